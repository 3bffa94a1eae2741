#pragma once
/// \file
/// JSON form of a staged decision (decision/staged_decision.hpp), for the command line and
/// the Python bindings.

#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "offroi/decision/staged_decision.hpp"

namespace offroi {

/// The result of `staged_decision` as JSON (the CLI's `offroi decide --format json` and the
/// Python bindings): pilot, signals, strategies (the recommended one flagged), the rule,
/// action shares, option value, EVPI now and EVSI with their standard errors.
inline nlohmann::json to_json(const staged_decision_result& r) {
    nlohmann::json strategies = nlohmann::json::array();
    for (std::size_t i = 0; i < r.strategies.size(); ++i) {
        const auto& v = r.strategies[i];
        strategies.push_back({{"strategy", v.strategy},
                              {"mean", v.mean},
                              {"standard_error", v.standard_error},
                              {"p10", v.p10},
                              {"p50", v.p50},
                              {"p90", v.p90},
                              {"prob_loss", v.prob_loss},
                              {"recommended", i == r.recommended}});
    }
    nlohmann::json signals = nlohmann::json::array();
    for (const auto& s : r.signals) signals.push_back({{"name", s.name}, {"description", s.description}});
    nlohmann::json shares = nlohmann::json::object();
    for (std::size_t a = 0; a < r.actions.size(); ++a) shares[std::string(to_string(r.actions[a]))] = r.action_shares[a];
    return {{"arrangement", r.pilot.arrangement},
            {"baseline", r.baseline},
            {"pilot_headcount", r.pilot.pilot_headcount},
            {"full_headcount", r.full_headcount},
            {"decision_month", r.pilot.decision_month},
            {"observation", {{"output_cv", r.pilot.observation.output_cv},
                             {"work_items_per_engineer_month", r.pilot.observation.work_items_per_engineer_month}}},
            {"signals", signals},
            {"strategies", strategies},
            {"recommended_policy", r.recommended_policy},
            {"rule", {{"signal", r.signals[r.rule.signal].name},
                      {"threshold", std::isfinite(r.rule.threshold) ? nlohmann::json(r.rule.threshold) : nlohmann::json()},
                      {"at_most", to_string(r.actions[r.rule.at_most])},
                      {"above", to_string(r.actions[r.rule.above])},
                      {"text", r.rule_text}}},
            {"action_shares", shares},
            {"policy_r_squared", r.policy_r_squared},
            {"option_value", r.option_value},
            {"option_value_se", r.option_value_se},
            {"evpi_now", r.evpi_now},
            {"evpi_now_se", r.evpi_now_se},
            {"evsi", r.evsi},
            {"evsi_se", r.evsi_se},
            {"training_trials", r.training_trials},
            {"evaluation_trials", r.evaluation_trials},
            {"seed", r.seed}};
}

}  // namespace offroi
