#pragma once
/// \file
/// JSON form of the choice among a scenario's options (decision/scenario_options.hpp), for
/// the command line (`offroi options --format json`) and the Python bindings.

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "offroi/decision/scenario_options.hpp"

namespace offroi {

/// The result of `choose_options` as JSON: the scenario, seed and trials; the best option
/// and the APCS; per option its settings, the OCBA estimates (trials, mean, control-variate
/// mean, difference to the best, each with its standard error, and the PCS) and its
/// frontier statistics (mean, percentile with its interval, CVaR, P(loss), each with its
/// standard error, and whether it is efficient); both frontiers by name; the rounds.
/// Non-finite interval ends (too few trials to bound a percentile) are written as null.
/// \param budget the selection's trial budget (as given, or the default it took).
inline nlohmann::json to_json(const scenario_options_result& r, std::uint64_t budget) {
    auto finite_or_null = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); };
    nlohmann::json opts = nlohmann::json::array();
    for (std::size_t i = 0; i < r.options.size(); ++i) {
        const auto& e = r.selection.options[i];
        const auto& f = r.frontier.options[i];
        nlohmann::json settings = nlohmann::json::object();
        for (const auto& [field, value] : r.options[i].settings) settings[field] = value;
        opts.push_back({{"name", r.options[i].name},
                        {"arrangement", r.options[i].arrangement},
                        {"is_baseline", r.options[i].is_baseline},
                        {"settings", settings},
                        {"trials", e.trials},
                        {"mean", e.mean},
                        {"standard_error", e.standard_error},
                        {"adjusted_mean", e.adjusted_mean},
                        {"adjusted_se", e.adjusted_se},
                        {"difference", e.difference},
                        {"difference_se", e.difference_se},
                        {"difference_trials", e.difference_trials},
                        {"pcs", e.pcs},
                        {"best", e.best},
                        {"frontier",
                         {{"mean", f.mean},
                          {"mean_se", f.mean_se},
                          {"percentile", f.percentile},
                          {"percentile_ci", {finite_or_null(f.percentile_ci.lower), finite_or_null(f.percentile_ci.upper)}},
                          {"cvar", f.cvar},
                          {"cvar_se", f.cvar_se},
                          {"prob_loss", f.prob_loss},
                          {"prob_loss_se", f.prob_loss_se},
                          {"efficient_percentile", f.efficient_percentile},
                          {"efficient_cvar", f.efficient_cvar}}}});
    }
    nlohmann::json rounds = nlohmann::json::array();
    for (const auto& x : r.selection.rounds)
        rounds.push_back({{"total_trials", x.total_trials}, {"best", r.options[x.best].name}, {"apcs", x.apcs}});
    auto names = [&](const std::vector<std::size_t>& idx) {
        nlohmann::json a = nlohmann::json::array();
        for (auto i : idx) a.push_back(r.options[i].name);
        return a;
    };
    return {{"scenario", r.scenario_name},
            {"baseline", r.baseline},
            {"seed", r.seed},
            {"budget", budget},
            {"total_trials", r.total_trials},
            {"selection_trials", r.selection.total_trials},
            {"best", r.options[r.selection.best].name},
            {"apcs", r.selection.apcs},
            {"reached_target", r.selection.reached_target},
            {"frontier_trials", r.frontier_trials},
            {"percentile", r.frontier.settings.percentile},
            {"tail_mass", r.frontier.settings.tail_mass},
            {"loss_threshold", r.frontier.settings.loss_threshold},
            {"percentile_frontier", names(r.frontier.percentile_frontier)},
            {"cvar_frontier", names(r.frontier.cvar_frontier)},
            {"options", opts},
            {"rounds", rounds}};
}

}  // namespace offroi
