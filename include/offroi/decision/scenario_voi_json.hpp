#pragma once
/// \file
/// JSON form of value-of-information results (decision/scenario_voi.hpp,
/// decision/decision_curves.hpp), for the command line (`offroi voi --format json`) and the
/// Python bindings. Money in USD; every estimate with its Monte Carlo standard error.

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "offroi/decision/decision_curves.hpp"
#include "offroi/decision/scenario_voi.hpp"

namespace offroi {

/// A decision summary as JSON: per option (named by `options`, in order) the expected net
/// benefit, P(best) and expected loss with SEs; the best option; the EVPI.
inline nlohmann::json to_json(const decision_summary_result& d, const std::vector<std::string>& options) {
    nlohmann::json rows = nlohmann::json::array();
    for (std::size_t k = 0; k < d.expected_nb.size(); ++k)
        rows.push_back({{"option", k < options.size() ? options[k] : std::to_string(k)},
                        {"expected_net_benefit", d.expected_nb[k].value},
                        {"expected_net_benefit_se", d.expected_nb[k].se},
                        {"p_best", d.p_best[k].value},
                        {"p_best_se", d.p_best[k].se},
                        {"expected_loss", d.expected_loss[k].value},
                        {"expected_loss_se", d.expected_loss[k].se},
                        {"best", k == d.best}});
    return {{"trials", d.trials},
            {"options", rows},
            {"best", d.best < options.size() ? options[d.best] : std::to_string(d.best)},
            {"evpi", d.evpi.value},
            {"evpi_se", d.evpi.se}};
}

/// One EVPPI entry as JSON.
inline nlohmann::json to_json(const voi_entry& e, double evpi) {
    return {{"name", e.name},
            {"inputs", e.inputs},
            {"evppi", e.evppi.value},
            {"evppi_se", e.evppi.se},
            {"share_of_evpi", evpi > 0.0 ? e.evppi.value / evpi : 0.0},
            {"method", e.evppi.method_name},
            {"r_squared", e.evppi.r_squared}};
}

/// The result of `scenario_voi` as JSON: scenario, trials, seed, options, the decision
/// summary, the inputs (by decreasing EVPPI) and the groups.
inline nlohmann::json to_json(const scenario_voi_result& r) {
    nlohmann::json inputs = nlohmann::json::array(), groups = nlohmann::json::array();
    for (const auto& e : r.inputs) inputs.push_back(to_json(e, r.decision.evpi.value));
    for (const auto& e : r.groups) groups.push_back(to_json(e, r.decision.evpi.value));
    return {{"scenario", r.scenario_name},
            {"trials", r.trials},
            {"seed", r.seed},
            {"options", r.options},
            {"baseline", r.options.empty() ? std::string() : r.options.front()},
            {"required_saving", r.required_saving},
            {"decision", to_json(r.decision, r.options)},
            {"inputs", inputs},
            {"groups", groups}};
}

/// A decision curve as JSON: the threshold's name, and per lambda the optimal option, the
/// EVPI and each option's P(best) and expected loss (with SEs).
inline nlohmann::json to_json(const decision_curve& c, const std::vector<std::string>& options,
                              const std::string& threshold) {
    nlohmann::json points = nlohmann::json::array();
    for (std::size_t k = 0; k < c.points.size(); ++k) {
        nlohmann::json j = to_json(c.points[k], options);
        j["lambda"] = c.lambda[k];
        points.push_back(std::move(j));
    }
    return {{"threshold", threshold}, {"options", options}, {"points", points}};
}

}  // namespace offroi
