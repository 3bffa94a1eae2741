#pragma once
/// \file
/// The analyses' results as JSON (nlohmann_json; link `offroi::io`): a run with its
/// drivers and precision status, a comparison, a sweep, a break-even search, and
/// sensitivity results. Field names follow the C++ members. Non-finite numbers become null.

#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "offroi/analysis/breakeven.hpp"
#include "offroi/analysis/compare.hpp"
#include "offroi/analysis/model_sensitivity.hpp"
#include "offroi/analysis/scenario_run.hpp"
#include "offroi/analysis/sweep.hpp"
#include "offroi/io/result_json.hpp"
#include "offroi/model/evaluate.hpp"
#include "offroi/model/framing.hpp"
#include "offroi/model/scenario.hpp"

namespace offroi {

namespace detail {
inline nlohmann::json jnum(double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); }
}  // namespace detail

/// A driver ranking: {"output", "samples", "srrc_r2", "ranked_by", "drivers": [{"input",
/// "spearman", "srrc", "prcc", "contribution_to_variance"}]}, drivers in ranking order, by
/// decreasing |"ranked_by"| ("srrc": the standardized rank regression coefficient).
inline nlohmann::json to_json(const driver_ranking& d) {
    nlohmann::json arr = nlohmann::json::array();
    for (std::size_t i : d.order)
        arr.push_back({{"input", d.measures.names[i]},
                       {"spearman", detail::jnum(d.measures.spearman[i])},
                       {"srrc", detail::jnum(d.measures.srrc[i])},
                       {"prcc", detail::jnum(d.measures.prcc[i])},
                       {"contribution_to_variance", detail::jnum(d.measures.contribution_to_variance[i])}});
    return {{"output", d.output}, {"samples", d.measures.samples}, {"srrc_r2", detail::jnum(d.measures.srrc_r2)},
            {"ranked_by", d.measure}, {"drivers", arr}};
}

/// A run: `result_to_json(r.result)` (per arrangement its summaries and P(delivered), per
/// alternative P(loss), P(break-even) and P(parity) within the horizon and the waterfall)
/// plus what the run's scenario adds: "framing" ("project" | "capacity"), "horizon_months"
/// (the horizon the in-horizon probabilities refer to) and "never_month" (the value of a
/// month output that never happens, 9999); then "drivers" (one per alternative) and, with a
/// precision target, "precision": {"met", "estimate", "half_width", "tolerance"}.
inline nlohmann::json run_to_json(const scenario& s, const scenario_run& r, const std::vector<driver_ranking>& drivers) {
    nlohmann::json j = result_to_json(r.result);
    j["framing"] = std::string(to_string(s.frame));
    j["horizon_months"] = s.horizon_months;
    j["never_month"] = never_month;
    nlohmann::json d = nlohmann::json::array();
    for (const auto& x : drivers) d.push_back(to_json(x));
    j["drivers"] = d;
    if (r.precision)
        j["precision"] = {{"met", r.precision->met},
                          {"estimate", detail::jnum(r.precision->estimate)},
                          {"half_width", detail::jnum(r.precision->half_width)},
                          {"tolerance", detail::jnum(r.precision->tolerance)}};
    return j;
}

/// A difference summary.
inline nlohmann::json to_json(const difference_stats& d) {
    return {{"mean", detail::jnum(d.mean)}, {"standard_error", detail::jnum(d.standard_error)},
            {"p10", detail::jnum(d.p10)},   {"p50", detail::jnum(d.p50)},
            {"p90", detail::jnum(d.p90)}};
}

/// A comparison.
inline nlohmann::json to_json(const comparison_result& c) {
    nlohmann::json pairs = nlohmann::json::array();
    for (const auto& p : c.pairs)
        pairs.push_back({{"a", p.a},
                         {"b", p.b},
                         {"net_benefit_difference", to_json(p.net_benefit_difference)},
                         {"total_cost_difference", to_json(p.total_cost_difference)},
                         {"prob_a_better", p.prob_a_better}});
    nlohmann::json means = nlohmann::json::object();
    for (std::size_t i = 0; i < c.arrangements.size(); ++i) means[c.arrangements[i]] = detail::jnum(c.mean_net_benefit[i]);
    return {{"scenario", c.scenario_name},
            {"seed", c.seed},
            {"trials", c.trials},
            {"pairing", c.pairing == draw_pairing::common ? "common" : "independent"},
            {"framing", std::string(to_string(c.frame))},
            {"mean_net_benefit", means},
            {"pairs", pairs}};
}

/// A sweep: per step and alternative the net-benefit summary, P(loss), median net saving,
/// P(delivered), median break-even and parity months with their in-horizon shares;
/// "best_mean_value": per alternative the swept value with the highest mean net benefit.
inline nlohmann::json to_json(const sweep_result& w) {
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& st : w.steps) {
        nlohmann::json alts = nlohmann::json::array();
        for (const auto& p : st.alternatives)
            alts.push_back({{"arrangement", p.arrangement},
                            {"p10", detail::jnum(p.p10)},
                            {"p50", detail::jnum(p.p50)},
                            {"p90", detail::jnum(p.p90)},
                            {"mean", detail::jnum(p.mean)},
                            {"standard_error", detail::jnum(p.standard_error)},
                            {"prob_loss", p.prob_loss},
                            {"net_saving_p50", detail::jnum(p.net_saving_p50)},
                            {"prob_delivered", p.prob_delivered},
                            {"breakeven_month_p50", detail::jnum(p.breakeven_p50)},
                            {"prob_breakeven", p.prob_breakeven},
                            {"parity_month_p50", detail::jnum(p.parity_p50)},
                            {"prob_parity", p.prob_parity}});
        steps.push_back({{"value", st.value}, {"baseline_prob_delivered", st.baseline_prob_delivered}, {"alternatives", alts}});
    }
    nlohmann::json best = nlohmann::json::object();
    if (!w.steps.empty())
        for (std::size_t k = 0; k < w.best_mean_step.size() && k < w.steps.front().alternatives.size(); ++k)
            best[w.steps.front().alternatives[k].arrangement] = w.steps[w.best_mean_step[k]].value;
    return {{"input", w.input},       {"mode", w.mode == sweep_mode::set ? "set" : "scale"},
            {"seed", w.seed},         {"trials", w.trials},
            {"baseline", w.baseline}, {"framing", std::string(to_string(w.frame))},
            {"horizon_months", w.horizon_months}, {"never_month", never_month},
            {"best_mean_value", best}, {"steps", steps}};
}

/// A break-even search.
inline nlohmann::json to_json(const breakeven_result& b) {
    nlohmann::json ev = nlohmann::json::array();
    for (const auto& e : b.evaluations)
        ev.push_back({{"x", e.x}, {"objective", detail::jnum(e.objective)}, {"objective_se", detail::jnum(e.objective_se)}});
    return {{"input", b.input},
            {"arrangement", b.arrangement},
            {"target", b.target == breakeven_target::median_net_benefit ? "median_net_benefit" : "prob_loss"},
            {"value", detail::jnum(b.value)},
            {"standard_error", detail::jnum(b.standard_error)},
            {"objective_at_root", detail::jnum(b.objective_at_root)},
            {"objective_se_at_root", detail::jnum(b.objective_se_at_root)},
            {"slope", detail::jnum(b.slope)},
            {"seed", b.seed},
            {"trials", b.trials},
            {"evaluations", ev}};
}

/// A tornado.
inline nlohmann::json to_json(const tornado_result& t) {
    nlohmann::json bars = nlohmann::json::array();
    for (const auto& b : t.bars)
        bars.push_back({{"input", b.name}, {"low_input", b.low_input}, {"high_input", b.high_input},
                        {"output_at_low", b.output_at_low}, {"output_at_high", b.output_at_high}, {"swing", b.swing}});
    return {{"base_output", t.base_output}, {"bars", bars}};
}

/// Sobol' indices.
inline nlohmann::json to_json(const sobol_result& s) {
    nlohmann::json in = nlohmann::json::array();
    for (std::size_t i = 0; i < s.names.size(); ++i) {
        nlohmann::json e = {{"input", s.names[i]}, {"first_order", detail::jnum(s.first_order[i])},
                            {"total_order", detail::jnum(s.total_order[i])}};
        if (!s.first_order_ci.empty()) {
            e["first_order_ci"] = {detail::jnum(s.first_order_ci[i].lower), detail::jnum(s.first_order_ci[i].upper)};
            e["total_order_ci"] = {detail::jnum(s.total_order_ci[i].lower), detail::jnum(s.total_order_ci[i].upper)};
        }
        in.push_back(e);
    }
    return {{"base_samples", s.base_samples}, {"evaluations", s.evaluations}, {"inputs", in}};
}

}  // namespace offroi
