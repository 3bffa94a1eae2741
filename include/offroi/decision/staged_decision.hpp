#pragma once
/// \file
/// `staged_decision`: is a pilot worth it, and what should the buyer do when it ends? A pilot
/// of k engineers of an alternative runs for m months (docs/model.md §13); at month m the
/// buyer sees what the pilot shows and scales up, keeps the pilot team, or exits to the
/// baseline. Against committing now (the alternative at full size from month 0) and never
/// starting (the baseline), on the same draws (common random numbers).
///
/// What the buyer observes by month m (the pilot's signals; `pilot_observation_model`):
///  - useful output per engineer-month: the pilot team's useful share u (capability,
///    coordination, rework, review, handoffs; the `useful_share` output) measured over k m
///    engineer-months, u exp(sigma z - sigma^2 / 2), sigma = cv / sqrt(k m);
///  - rework share: the pilot team's w measured on n = items k m work items,
///    clamp(w + sqrt(w (1 - w) / n) z, 0, 1);
///  - annual attrition: L ~ Poisson(k m a) leavers at the monthly rate a = 1 - (1 - A)^(1/12),
///    annualised 1 - (1 - L / (k m))^12;
///  - overlap hours, when uncertain: known exactly once the team works.
/// The noise draws are a pure function of (seed, trial) (Philox stream "pilot_observation").
///
/// Policies (policy_learning.hpp), learnt on training draws [0, n_train) and valued on fresh
/// draws [n_train, n_train + n_eval) of the same seed (no in-sample bias):
///  - the best threshold rule on one signal ("exit if the observed rework share > 0.31");
///  - least-squares Monte Carlo (Longstaff and Schwartz 2001): each action's value regressed
///    on the signals, the action with the highest fitted value.
/// Which of the two is recommended is decided on a held-out half of the training draws (both
/// fitted on the other half), then the chosen one is refitted on all training draws.
/// Reported: the value of every strategy (mean, SE, P10/P50/P90, P(loss)), the option value
/// of the staged strategy over the best of committing now and never starting (paired SE),
/// the value with perfect information at the decision month (an upper bound of any staged
/// policy), EVPI of today's commit-or-not decision, and the EVSI of the pilot's observations
/// for that decision (Strong et al., MDM 35:570, 2015: regression of the net benefit of
/// committing on the simulated signals, fitted on the training draws, averaged on fresh ones).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "offroi/analysis/model_sensitivity.hpp"
#include "offroi/analysis/scenario_model.hpp"
#include "offroi/decision/policy_learning.hpp"
#include "offroi/distributions/detail/normal_math.hpp"
#include "offroi/engine/run.hpp"
#include "offroi/error.hpp"
#include "offroi/model/engagement_plan.hpp"
#include "offroi/model/scenario.hpp"
#include "offroi/model/validate.hpp"
#include "offroi/random/philox.hpp"
#include "offroi/random/stream_id.hpp"

namespace offroi {

/// How precisely a pilot's metrics are measured (assumptions; docs/staged-decisions.md).
struct pilot_observation_model {
    /// Coefficient of variation of one engineer-month's measured useful output (throughput of
    /// individual engineers varies month to month; assumption 0.35).
    double output_cv = 0.35;
    /// Work items per engineer-month whose rework is classified (assumption 8: about two a week).
    double work_items_per_engineer_month = 8;
};

/// The pilot: which alternative, how many engineers, how long.
struct pilot_design {
    std::string arrangement;      ///< the alternative piloted (empty: the first)
    double pilot_headcount = 3;   ///< k engineers, 0 < k <= the arrangement's smallest headcount
    int decision_month = 6;       ///< m, months before the decision, 1 <= m < horizon
    pilot_observation_model observation;  ///< measurement noise of the signals
};

/// Settings of `staged_decision`.
struct staged_decision_options {
    pilot_design pilot;                    ///< the pilot
    std::uint64_t training_trials = 20000;   ///< draws the policies are learnt on, 1 000 ... 10^6
    std::uint64_t evaluation_trials = 20000; ///< fresh draws the strategies are valued on, 1 000 ... 10^6
    std::optional<std::uint64_t> seed;     ///< the seed (default: the scenario's)
    unsigned threads = 0;                  ///< worker threads (0 = all); never changes results
};

/// The value of one strategy on the evaluation draws.
struct strategy_value {
    std::string strategy;        ///< "commit now", "never start", "pilot, then scale", ...
    double mean = 0;             ///< mean net benefit against the baseline (USD)
    double standard_error = 0;   ///< its Monte Carlo standard error
    double p10 = 0;              ///< 10th percentile of the net benefit
    double p50 = 0;              ///< median net benefit
    double p90 = 0;              ///< 90th percentile of the net benefit
    double prob_loss = 0;        ///< P(net benefit < 0)
};

/// One observed signal of the pilot.
struct pilot_signal {
    std::string name;         ///< "useful_output", "rework_share", "attrition", "overlap_hours"
    std::string description;  ///< in plain words
};

/// The result of `staged_decision`.
struct staged_decision_result {
    pilot_design pilot;                ///< the pilot (arrangement name filled in)
    std::string baseline;              ///< the fallback of an exit (the baseline's name)
    double full_headcount = 0;         ///< the arrangement's headcount (its median if uncertain)
    std::vector<pilot_signal> signals; ///< what the buyer observes at the decision month
    /// Strategies: "commit now", "never start", "pilot, then scale", "pilot, then stay",
    /// "pilot, then exit", "pilot, then decide (threshold rule)", "pilot, then decide
    /// (regression)", "perfect information at the decision month" (an upper bound).
    std::vector<strategy_value> strategies;
    std::string recommended_policy;    ///< "threshold rule" or "regression"
    std::size_t recommended = 0;       ///< index in `strategies` of the recommended staged policy
    threshold_rule rule;               ///< the best threshold rule (actions index `actions`)
    std::string rule_text;             ///< the rule in plain words
    /// The actions, in the order the indices of `rule` and `action_shares` refer to.
    std::array<pilot_action, 3> actions = {pilot_action::scale, pilot_action::stay, pilot_action::exit};
    std::array<double, 3> action_shares{};  ///< share of evaluation draws per action, recommended policy
    double policy_r_squared = 0;       ///< mean R^2 of the regression policy's fits (training)
    double option_value = 0;           ///< recommended staged value - max(commit now, never start)
    double option_value_se = 0;        ///< its paired standard error
    double evpi_now = 0;               ///< EVPI of committing now versus never starting
    double evpi_now_se = 0;            ///< its standard error
    double evsi = 0;                   ///< EVSI of the pilot's signals for the commit-or-not decision
    double evsi_se = 0;                ///< its standard error (sampling of the evaluation draws)
    std::uint64_t training_trials = 0; ///< n_train
    std::uint64_t evaluation_trials = 0;  ///< n_eval
    std::uint64_t seed = 0;            ///< the seed

    /// The strategy called `name`. \throws invalid_argument listing the strategies.
    const strategy_value& strategy(std::string_view name) const {
        for (const auto& v : strategies)
            if (v.strategy == name) return v;
        std::string msg = "staged_decision_result: no strategy \"" + std::string(name) + "\"; strategies:";
        for (const auto& v : strategies) msg += " \"" + v.strategy + "\"";
        throw invalid_argument(msg);
    }
};

namespace detail {

inline strategy_value value_of(std::string name, std::span<const double> nb) {
    strategy_value v;
    v.strategy = std::move(name);
    const std::size_t n = nb.size();
    long double s = 0, s2 = 0;
    std::size_t loss = 0;
    for (double x : nb) {
        s += x;
        loss += x < 0;
    }
    const long double mean = s / n;
    for (double x : nb) s2 += (x - mean) * (x - mean);
    v.mean = double(mean);
    v.standard_error = double(std::sqrt(s2 / (n - 1) / n));
    v.prob_loss = double(loss) / double(n);
    std::vector<double> sorted(nb.begin(), nb.end());
    std::sort(sorted.begin(), sorted.end());
    auto q = [&](double p) {  // type 7
        const double h = (n - 1) * p;
        const std::size_t lo = std::size_t(std::floor(h));
        const std::size_t hi = std::min(lo + 1, n - 1);
        return sorted[lo] + (h - double(lo)) * (sorted[hi] - sorted[lo]);
    };
    v.p10 = q(0.1);
    v.p50 = q(0.5);
    v.p90 = q(0.9);
    return v;
}

// Mean and standard error of a column.
inline std::pair<double, double> mean_se(std::span<const double> x) {
    long double s = 0, s2 = 0;
    for (double v : x) s += v;
    const long double m = s / x.size();
    for (double v : x) s2 += (v - m) * (v - m);
    return {double(m), double(std::sqrt(s2 / (x.size() - 1) / x.size()))};
}

// Poisson(mu) by inversion of one uniform (mu is small: k m a, a few leavers).
inline double poisson_inverse(double mu, double u) noexcept {
    if (!(mu > 0)) return 0;
    double p = std::exp(-mu), cdf = p, k = 0;
    while (u > cdf && k < 10000) {
        k += 1;
        p *= mu / k;
        cdf += p;
        if (p < 1e-300) break;
    }
    return k;
}

inline std::string format_signal_value(const std::string& signal, double v) {
    char buf[64];
    if (signal == "overlap_hours") std::snprintf(buf, sizeof buf, "%.1f h", v);
    else if (signal == "useful_output") std::snprintf(buf, sizeof buf, "%.2f", v);
    else std::snprintf(buf, sizeof buf, "%.0f%%", 100 * v);
    return buf;
}

}  // namespace detail

/// Values a pilot-then-decide strategy against committing now and never starting (see the
/// file comment). Reproducible: the same scenario, options and seed give the same bits for
/// any thread count.
/// \throws invalid_scenario if `s` is invalid; invalid_argument for an unknown or baseline
///         arrangement, a pilot headcount outside (0, smallest headcount], a decision month
///         outside [1, horizon - 1], trials outside [1000, 10^6] (every trial's inputs are
///         kept: about 1 GB at the cap for 52 inputs), or bad observation settings.
inline staged_decision_result staged_decision(const scenario& s, const staged_decision_options& o = {}) {
    static constexpr const char* fn = "offroi::staged_decision";
    validate(s);
    const std::size_t alt = detail::alternative_index(s, o.pilot.arrangement, fn);
    const arrangement& arr = s.alternatives[alt - 1];
    const double n_min = support(arr.headcount).first;
    if (!std::isfinite(o.pilot.pilot_headcount) || !(o.pilot.pilot_headcount > 0) || o.pilot.pilot_headcount > n_min)
        detail::throw_invalid(fn, "pilot.pilot_headcount", o.pilot.pilot_headcount,
                              "must be > 0 and at most " + arr.name + "'s smallest headcount (" +
                                  detail::format_value(n_min) + ")");
    check(engagement_plan{o.pilot.pilot_headcount, o.pilot.decision_month, pilot_action::scale}, n_min,
          s.horizon_months);
    const auto& ob = o.pilot.observation;
    if (!std::isfinite(ob.output_cv) || !(ob.output_cv >= 0) || ob.output_cv > 10)
        detail::throw_invalid(fn, "pilot.observation.output_cv", ob.output_cv, "must be in [0, 10]");
    if (!std::isfinite(ob.work_items_per_engineer_month) || !(ob.work_items_per_engineer_month > 0) ||
        ob.work_items_per_engineer_month > 1e6)
        detail::throw_invalid(fn, "pilot.observation.work_items_per_engineer_month", ob.work_items_per_engineer_month,
                              "must be in (0, 10^6]");
    for (auto [name, v] : {std::pair{"training_trials", o.training_trials}, {"evaluation_trials", o.evaluation_trials}})
        if (v < 1000 || v > 1000000)
            detail::throw_invalid(fn, name, double(v), "must be an integer in [1000, 10^6]");

    const std::uint64_t seed = o.seed ? *o.seed : s.simulation.seed;
    const std::uint64_t n_train = o.training_trials, n_eval = o.evaluation_trials, n = n_train + n_eval;
    scenario_model_parts parts = model_parts(s);
    // Plain Monte Carlo: training and evaluation draws are then independent samples (a Latin
    // hypercube or Sobol' design would stratify across the two).
    parts.method = sampling_method::monte_carlo;
    const std::size_t M = parts.names.size();
    const double k = o.pilot.pilot_headcount;
    const int m = o.pilot.decision_month;
    std::vector<planned_engagement> plans;
    for (auto a : {pilot_action::scale, pilot_action::stay, pilot_action::exit})
        plans.push_back({alt, engagement_plan{k, m, a}});
    std::vector<output_binding> outs = {
        {alt, &arrangement_outcome::net_benefit, "commit"},
        {M + 0, &arrangement_outcome::net_benefit, "scale"},
        {M + 1, &arrangement_outcome::net_benefit, "stay"},
        {M + 2, &arrangement_outcome::net_benefit, "exit"},
        {M + 0, &arrangement_outcome::useful_share, "useful_share"},
        {M + 0, &arrangement_outcome::rework_share, "rework_share"},
    };
    auto rec = std::make_shared<input_recorder>();
    rec->trials = n;
    const auto model = make_analysis_model(parts, seed, n, outs, rec, plans);
    run_options ro;
    ro.trials = n;
    ro.seed = seed;
    ro.threads = o.threads;
    ro.sample_budget_bytes = std::size_t{8} << 30;
    const run_result rr = run(model, ro);
    if (!rr.samples_kept()) throw invalid_argument(std::string(fn) + ": too many trials to keep in memory");

    // The latent quantities the signals measure.
    auto input_column = [&](const std::string& field) -> std::optional<std::span<const double>> {
        const std::string name = arr.name + "." + field;
        for (std::size_t j = 0; j < parts.input_names.size(); ++j)
            if (parts.input_names[j] == name) return std::span<const double>(rec->columns[j]);
        return std::nullopt;
    };
    const auto attrition_col = input_column("annual_attrition");
    const auto overlap_col = input_column("overlap_hours");
    const double attrition_const = parts.arrangements[alt].annual_attrition;
    const auto u_lat = rr.samples("useful_share"), w_lat = rr.samples("rework_share");

    staged_decision_result res;
    res.pilot = o.pilot;
    res.pilot.arrangement = arr.name;
    res.baseline = s.baseline.name;
    res.full_headcount = quantile(arr.headcount, 0.5);
    res.signals = {{"useful_output", "observed useful output per engineer-month"},
                   {"rework_share", "observed rework share"},
                   {"attrition", "observed annual attrition"}};
    if (overlap_col) res.signals.push_back({"overlap_hours", "realised overlap hours"});
    const std::size_t S = res.signals.size();
    std::vector<std::vector<double>> sig(S, std::vector<double>(n));
    const philox_stream noise(seed, stream_id("pilot_observation"));
    const double em = k * m;  // engineer-months observed
    const double sigma = ob.output_cv / std::sqrt(em);
    const double items = ob.work_items_per_engineer_month * em;
    for (std::uint64_t i = 0; i < n; ++i) {
        const double z1 = detail::normal_quantile(noise.uniform(i, 0));
        const double z2 = detail::normal_quantile(noise.uniform(i, 1));
        sig[0][i] = u_lat[i] * std::exp(sigma * z1 - 0.5 * sigma * sigma);
        const double w = w_lat[i];
        sig[1][i] = std::clamp(w + std::sqrt(std::max(0.0, w * (1 - w)) / items) * z2, 0.0, 1.0);
        const double A = attrition_col ? (*attrition_col)[i] : attrition_const;
        const double a = -std::expm1(std::log1p(-std::min(A, 1.0)) / 12.0);
        const double leavers = std::min(detail::poisson_inverse(em * a, noise.uniform(i, 2)), em);
        sig[2][i] = -std::expm1(12.0 * std::log1p(-leavers / em));
        if (overlap_col) sig[3][i] = (*overlap_col)[i];
    }

    // Action values: scale, stay, exit; and commit now.
    const std::array<std::span<const double>, 3> act = {rr.samples("scale"), rr.samples("stay"), rr.samples("exit")};
    const auto commit = rr.samples("commit");
    auto cols = [&](std::uint64_t from, std::uint64_t count) {
        std::vector<std::span<const double>> sc, vc;
        for (const auto& c : sig) sc.emplace_back(c.data() + from, count);
        for (const auto& c : act) vc.emplace_back(c.data() + from, count);
        return std::pair{sc, vc};
    };
    nb_regression_options ro_reg;
    ro_reg.threads = o.threads;

    // Choose the policy family on a held-out half of the training draws.
    const std::uint64_t half = n_train / 2;
    auto [s_a, v_a] = cols(0, half);
    auto [s_b, v_b] = cols(half, n_train - half);
    auto realised = [&](const std::vector<std::size_t>& choice, std::uint64_t from) {
        long double sum = 0;
        for (std::size_t i = 0; i < choice.size(); ++i) sum += act[choice[i]][from + i];
        return double(sum / choice.size());
    };
    const threshold_rule rule_a = learn_threshold_rule(s_a, v_a);
    regression_policy lsm_a;
    lsm_a.fit(s_a, v_a, ro_reg);
    const bool use_rule = realised(choose_actions(rule_a, s_b), half) >= realised(lsm_a.choose(s_b), half);

    // Refit both on all training draws; value everything on the evaluation draws.
    auto [s_t, v_t] = cols(0, n_train);
    auto [s_e, v_e] = cols(n_train, n_eval);
    res.rule = learn_threshold_rule(s_t, v_t);
    regression_policy lsm;
    lsm.fit(s_t, v_t, ro_reg);
    for (double r2 : lsm.regression().r_squared()) res.policy_r_squared += r2 / 3.0;
    const auto choice_rule = choose_actions(res.rule, s_e);
    const auto choice_lsm = lsm.choose(s_e);
    std::vector<double> nb_rule(n_eval), nb_lsm(n_eval), nb_perfect(n_eval), zero(n_eval, 0.0);
    for (std::uint64_t i = 0; i < n_eval; ++i) {
        nb_rule[i] = act[choice_rule[i]][n_train + i];
        nb_lsm[i] = act[choice_lsm[i]][n_train + i];
        nb_perfect[i] = std::max({act[0][n_train + i], act[1][n_train + i], act[2][n_train + i]});
    }
    auto eval = [&](std::span<const double> c) { return c.subspan(n_train, n_eval); };
    res.strategies = {detail::value_of("commit now", eval(commit)),
                      detail::value_of("never start", zero),
                      detail::value_of("pilot, then scale", eval(act[0])),
                      detail::value_of("pilot, then stay", eval(act[1])),
                      detail::value_of("pilot, then exit", eval(act[2])),
                      detail::value_of("pilot, then decide (threshold rule)", nb_rule),
                      detail::value_of("pilot, then decide (regression)", nb_lsm),
                      detail::value_of("perfect information at the decision month", nb_perfect)};
    res.recommended_policy = use_rule ? "threshold rule" : "regression";
    res.recommended = use_rule ? 5 : 6;
    const auto& chosen = use_rule ? choice_rule : choice_lsm;
    const auto& nb_staged = use_rule ? nb_rule : nb_lsm;
    std::array<std::uint64_t, 3> counts{};
    for (auto c : chosen) ++counts[c];
    for (std::size_t a = 0; a < 3; ++a) res.action_shares[a] = double(counts[a]) / double(n_eval);

    // Option value over the best static choice today (paired differences).
    const auto commit_e = eval(commit);
    const bool commit_better = detail::mean_se(commit_e).first > 0.0;
    std::vector<double> diff(n_eval), evpi(n_eval);
    for (std::uint64_t i = 0; i < n_eval; ++i) {
        const double best_static = commit_better ? commit_e[i] : 0.0;
        diff[i] = nb_staged[i] - best_static;
        evpi[i] = std::max(commit_e[i], 0.0) - best_static;
    }
    std::tie(res.option_value, res.option_value_se) = detail::mean_se(diff);
    std::tie(res.evpi_now, res.evpi_now_se) = detail::mean_se(evpi);

    // EVSI of the pilot's signals for committing now or never: E[max(g(S), 0)] - max(E g(S), 0)
    // with g the regression of the net benefit of committing on the signals (training draws),
    // predicted on the evaluation draws.
    {
        nb_regression g;
        const std::span<const double> y[1] = {commit.subspan(0, n_train)};
        g.fit(s_t, y, ro_reg);
        const auto pred = g.predict(nb_regression::columns(s_e))[0];
        const double mean_pred = detail::mean_se(pred).first;
        std::vector<double> gain(n_eval);
        for (std::uint64_t i = 0; i < n_eval; ++i) gain[i] = std::max(pred[i], 0.0) - std::max(mean_pred, 0.0);
        std::tie(res.evsi, res.evsi_se) = detail::mean_se(gain);
    }

    // The rule in plain words.
    auto act_words = [&](std::size_t a) -> std::string {
        switch (res.actions[a]) {
            case pilot_action::scale:
                return k < res.full_headcount ? "scale up to " + detail::format_value(res.full_headcount) + " engineers"
                                              : "continue with the full team";
            case pilot_action::stay:
                return k < res.full_headcount ? "keep the pilot team of " + detail::format_value(k)
                                              : "continue with the full team";
            case pilot_action::exit: return "exit to " + res.baseline;
        }
        return "?";
    };
    std::string text = "After " + std::to_string(m) + " months of a " + detail::format_value(k) + "-engineer pilot of " +
                       arr.name + ": ";
    if (res.rule.at_most == res.rule.above) {
        text += act_words(res.rule.at_most) + " whatever the pilot shows.";
    } else {
        const auto& sg = res.signals[res.rule.signal];
        text += act_words(res.rule.at_most) + " if the " + sg.description + " is at most " +
                detail::format_signal_value(sg.name, res.rule.threshold) + "; otherwise " + act_words(res.rule.above) + ".";
    }
    res.rule_text = text;
    res.training_trials = n_train;
    res.evaluation_trials = n_eval;
    res.seed = seed;
    return res;
}

}  // namespace offroi
