#pragma once
/// \file
/// `result_to_json`: a `scenario_result` as JSON (docs/scenario-format.md "Results") -- per
/// arrangement its decision summaries and P(delivered within the horizon); per alternative
/// also P(net benefit < 0), the expected shortfall of the loss, P(break-even within the
/// horizon), P(cost parity within the horizon) and the waterfall of the eight additive bars
/// to the net benefit. Deterministic: the same result gives the same text (no timings), so
/// outputs can be compared as files. Every number is valid JSON: non-finite values are
/// null; "never" months are `never_month` (9999), a number, in the output summaries, and
/// apart (probabilities and a summary conditional on the month happening) in "months".

#include <nlohmann/json.hpp>

#include <cmath>
#include <string>

#include "offroi/model/month_outcome.hpp"
#include "offroi/model/simulate.hpp"
#include "offroi/model/sourcing_model.hpp"
#include "offroi/stats/interval.hpp"
#include "offroi/stats/summary.hpp"
#include "offroi/stats/tail.hpp"

namespace offroi {

namespace detail {

/// Finite numbers as numbers; NaN and infinities as null (JSON has neither; an infinite
/// end of a percentile interval means "unbounded").
inline nlohmann::json result_number(double x) {
    if (!std::isfinite(x)) return nullptr;
    return x;
}

inline nlohmann::json interval_to_json(const interval& i) {
    return nlohmann::json::array({result_number(i.lower), result_number(i.upper)});
}

}  // namespace detail

/// One output's summary as JSON: {"exact", "count", "mean", "standard_deviation",
/// "standard_error", "mean_ci": [lo, hi], "confidence_level", "min", "max",
/// "percentiles": [{"p", "value", "ci": [lo, hi]}], "prob_negative", "expected_shortfall",
/// "shortfall_alpha", "shortfall_tail": "lower" | "upper", "sketch_relative_accuracy"
/// (only when not exact)}. Non-finite numbers are null.
inline nlohmann::json summary_to_json(const summary& s) {
    using detail::result_number;
    nlohmann::json pct = nlohmann::json::array();
    for (const auto& p : s.percentiles)
        pct.push_back({{"p", p.p}, {"value", result_number(p.value)}, {"ci", detail::interval_to_json(p.ci)}});
    nlohmann::json j = {{"exact", s.exact},
                        {"count", s.count},
                        {"mean", result_number(s.mean)},
                        {"standard_deviation", result_number(s.standard_deviation)},
                        {"standard_error", result_number(s.standard_error)},
                        {"mean_ci", detail::interval_to_json(s.mean_ci)},
                        {"confidence_level", s.confidence_level},
                        {"min", result_number(s.min)},
                        {"max", result_number(s.max)},
                        {"percentiles", pct},
                        {"prob_negative", s.prob_negative},
                        {"expected_shortfall", result_number(s.expected_shortfall)},
                        {"shortfall_alpha", s.shortfall_alpha},
                        {"shortfall_tail", s.shortfall_tail == tail::lower ? "lower" : "upper"}};
    if (!s.exact) j["sketch_relative_accuracy"] = s.sketch_relative_accuracy;
    return j;
}

/// A month outcome as JSON: {"prob_within_horizon", "prob_beyond_horizon", "prob_never",
/// "trials", "count_within", "exact", "within_horizon": {"mean", "standard_deviation",
/// "standard_error", "p10", "p50", "p90", "min", "max"}} (null where no trial, or fewer than
/// two for the sd and se, happens within the horizon).
inline nlohmann::json month_outcome_to_json(const month_outcome& m) {
    using detail::result_number;
    return {{"prob_within_horizon", m.prob_within_horizon},
            {"prob_beyond_horizon", m.prob_beyond_horizon},
            {"prob_never", m.prob_never},
            {"trials", m.trials},
            {"count_within", m.count_within},
            {"exact", m.exact},
            {"within_horizon",
             {{"mean", result_number(m.mean)},
              {"standard_deviation", result_number(m.standard_deviation)},
              {"standard_error", result_number(m.standard_error)},
              {"p10", result_number(m.p10)},
              {"p50", result_number(m.p50)},
              {"p90", result_number(m.p90)},
              {"min", result_number(m.min)},
              {"max", result_number(m.max)}}}};
}

/// A scenario result as JSON:
/// {"scenario": name, "seed", "trials", "cancelled", "samples_kept",
///  "arrangements": [{"name", "model", "is_baseline", "prob_delivered", "prob_net_loss",
///  "expected_shortfall_loss", "prob_breakeven", "prob_parity",
///  "breakdown": [{"component", "output", "mean_usd"}],
///  "outputs": {"<field>": summary_to_json(...)}}]} (baseline first; the baseline has
/// "prob_delivered" but no breakdown and no comparison fields). The breakdown rows are the
/// bars of `waterfall_bars` in report order ("component" is the label, "output" the field,
/// e.g. "nb_rate_gap") and then "net benefit" ("net_benefit"), their exact sum. Wall-clock
/// time is left out on purpose.
///
/// Each arrangement also has "months": {"<month field>": month_outcome_to_json(...)} for its
/// month outputs (delivery, break-even, parity; see `month_outcomes`): "never" apart, and the
/// month summarised over the trials in which it happens within the horizon. The month
/// outputs' entries in "outputs" stay as they were (never_month included) for compatibility.
inline nlohmann::json result_to_json(const scenario_result& r) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& a : r.arrangements) {
        nlohmann::json outs = nlohmann::json::object();
        for (const auto& o : a.outputs) outs[o.field] = summary_to_json(o.stats);
        nlohmann::json j = {{"name", a.name},
                            {"model", std::string(to_string(a.model))},
                            {"is_baseline", a.is_baseline},
                            {"prob_delivered", detail::result_number(a.prob_delivered)},
                            {"outputs", outs}};
        nlohmann::json months = nlohmann::json::object();
        for (const auto& m : month_outcomes(r, a.name)) months[m.field] = month_outcome_to_json(m);
        j["months"] = months;
        if (!a.is_baseline) {
            j["prob_net_loss"] = detail::result_number(a.prob_net_loss);
            j["expected_shortfall_loss"] = detail::result_number(a.expected_shortfall_loss);
            j["prob_breakeven"] = detail::result_number(a.prob_breakeven);
            j["prob_parity"] = detail::result_number(a.prob_parity);
            nlohmann::json b = nlohmann::json::array();
            for (const auto& row : a.breakdown)
                b.push_back({{"component", row.component},
                             {"output", row.output},
                             {"mean_usd", detail::result_number(row.mean_usd)}});
            j["breakdown"] = b;
        }
        arr.push_back(std::move(j));
    }
    return {{"scenario", r.scenario_name},
            {"seed", r.seed},
            {"trials", r.run.trials()},
            {"cancelled", r.run.cancelled()},
            {"samples_kept", r.run.samples_kept()},
            {"arrangements", arr}};
}

}  // namespace offroi
