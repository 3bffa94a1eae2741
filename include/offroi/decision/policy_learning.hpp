#pragma once
/// \file
/// Learning a decision policy from simulated draws: at a decision point the decision-maker
/// sees signals s (what a pilot shows) and picks one of A actions, whose values v_a are known
/// per training draw. Two policy families, both generic (plain columns, no scenario):
///  - `threshold_rule`: "take action L if signal j <= theta, else action H" -- one signal,
///    one number, readable in plain words. `learn_threshold_rule` finds the rule with the
///    highest mean value on the training draws exactly: for each signal it sorts the draws
///    once and scans every cut with cumulative sums, O(n log n + n A^2) per signal.
///  - `regression_policy`: least-squares Monte Carlo (Longstaff and Schwartz, Review of
///    Financial Studies 14:113, 2001): the continuation value of each action is regressed on
///    the signals (`nb_regression`: splines for one or two signals, cross-fitted boosted
///    trees for more) and the policy takes the action with the highest fitted value.
/// A policy's value must be measured on fresh draws, not on those it was learnt from (the
/// in-sample value is biased upwards); decision/staged_decision.hpp does so.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "offroi/decision/nb_regression.hpp"
#include "offroi/error.hpp"

namespace offroi {

/// Columns of equal length: `columns[j][i]` is column j at draw i.
using policy_columns = std::span<const std::span<const double>>;

/// A rule on one signal: take action `at_most` if signal `signal` <= `threshold`, else
/// action `above` (a constant policy has at_most == above and threshold +inf).
struct threshold_rule {
    std::size_t signal = 0;      ///< index of the signal the rule reads
    double threshold = HUGE_VAL; ///< the cut (midway between two training values)
    std::size_t at_most = 0;     ///< action taken when signal <= threshold
    std::size_t above = 0;       ///< action taken when signal > threshold
    double training_value = 0;   ///< the rule's mean value on the training draws (in-sample)

    /// The action the rule takes for signal values `s` (one per signal).
    std::size_t choose(std::span<const double> s) const { return s[signal] <= threshold ? at_most : above; }
};

namespace detail {

inline std::size_t check_policy_data(policy_columns signals, policy_columns values, const char* fn) {
    if (signals.empty()) throw_invalid(fn, "signals (columns)", 0, "must be >= 1 signal column");
    if (values.size() < 2) throw_invalid(fn, "values (columns)", double(values.size()), "must be >= 2 actions");
    const std::size_t n = values[0].size();
    if (n < 10) throw_invalid(fn, "draws (length of values[0])", double(n), "must be >= 10");
    for (std::size_t a = 0; a < values.size(); ++a) {
        if (values[a].size() != n)
            throw_invalid(fn, "values[" + std::to_string(a) + "] length", double(values[a].size()),
                          "must equal the length of values[0], " + std::to_string(n));
        for (std::size_t i = 0; i < n; ++i)
            if (!std::isfinite(values[a][i]))
                throw_invalid(fn, "values[" + std::to_string(a) + "][" + std::to_string(i) + "]", values[a][i],
                              "must be finite");
    }
    for (std::size_t j = 0; j < signals.size(); ++j) {
        if (signals[j].size() != n)
            throw_invalid(fn, "signals[" + std::to_string(j) + "] length", double(signals[j].size()),
                          "must equal the number of draws, " + std::to_string(n));
        for (std::size_t i = 0; i < n; ++i)
            if (std::isnan(signals[j][i]))
                throw_invalid(fn, "signals[" + std::to_string(j) + "][" + std::to_string(i) + "]", signals[j][i],
                              "must not be NaN");
    }
    return n;
}

}  // namespace detail

/// The threshold rule with the highest mean training value, over every signal, every
/// ordered pair of actions and every cut between consecutive training values (and the
/// constant policies). Ties go to the earlier signal, then the constant policy, then the
/// lower cut. Deterministic.
/// \param signals the signals, one column each, n draws.
/// \param values  the value of each action (>= 2 columns of n finite values).
/// \throws invalid_argument naming the field, the value and what is allowed.
inline threshold_rule learn_threshold_rule(policy_columns signals, policy_columns values) {
    const std::size_t n = detail::check_policy_data(signals, values, "offroi::learn_threshold_rule");
    const std::size_t A = values.size();
    threshold_rule best;
    // Constant policies first: the bar a rule must clear.
    best.training_value = -HUGE_VAL;
    for (std::size_t a = 0; a < A; ++a) {
        long double sum = 0;
        for (double v : values[a]) sum += v;
        const double mean = double(sum / n);
        if (mean > best.training_value) best = {0, HUGE_VAL, a, a, mean};
    }
    std::vector<std::size_t> order(n);
    std::vector<long double> total(A), prefix(A * (n + 1));
    for (std::size_t a = 0; a < A; ++a) {
        long double sum = 0;
        for (double v : values[a]) sum += v;
        total[a] = sum;
    }
    for (std::size_t j = 0; j < signals.size(); ++j) {
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t x, std::size_t y) { return signals[j][x] < signals[j][y]; });
        for (std::size_t a = 0; a < A; ++a) {
            long double* p = &prefix[a * (n + 1)];
            p[0] = 0;
            for (std::size_t q = 0; q < n; ++q) p[q + 1] = p[q] + values[a][order[q]];
        }
        // A cut after sorted position q (1 <= q < n) between two distinct values.
        for (std::size_t q = 1; q < n; ++q) {
            const double lo = signals[j][order[q - 1]], hi = signals[j][order[q]];
            if (!(hi > lo)) continue;
            for (std::size_t l = 0; l < A; ++l)
                for (std::size_t h = 0; h < A; ++h) {
                    if (l == h) continue;
                    const double v = double((prefix[l * (n + 1) + q] + (total[h] - prefix[h * (n + 1) + q])) / n);
                    if (v > best.training_value) {
                        const double cut = std::isfinite(lo) && std::isfinite(hi) ? lo + 0.5 * (hi - lo) : lo;
                        best = {j, cut, l, h, v};
                    }
                }
        }
    }
    return best;
}

/// The action each draw gets under `rule`. \throws invalid_argument if the rule's signal is
/// missing or the columns differ in length.
inline std::vector<std::size_t> choose_actions(const threshold_rule& rule, policy_columns signals) {
    if (rule.signal >= signals.size())
        detail::throw_invalid("offroi::choose_actions", "signal", double(rule.signal),
                              "must index one of the " + std::to_string(signals.size()) + " signal columns");
    std::vector<std::size_t> out(signals[rule.signal].size());
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = signals[rule.signal][i] <= rule.threshold ? rule.at_most : rule.above;
    return out;
}

/// A least-squares Monte Carlo policy: E[value_a | signals] by `nb_regression`, then the
/// action with the highest fitted value (ties: the lower action index).
class regression_policy {
public:
    /// Fits the continuation value of every action on the signals.
    /// \throws invalid_argument as `learn_threshold_rule`, or as `nb_regression::fit`.
    void fit(policy_columns signals, policy_columns values, const nb_regression_options& o = {}) {
        detail::check_policy_data(signals, values, "offroi::regression_policy::fit");
        reg_.fit(signals, values, o);
    }

    /// The fitted value of each action at the rows of `signals`: result[a][i].
    std::vector<std::vector<double>> values(policy_columns signals) const { return reg_.predict(signals); }

    /// The action each row of `signals` gets.
    std::vector<std::size_t> choose(policy_columns signals) const {
        const auto v = reg_.predict(signals);
        std::vector<std::size_t> out(v.empty() ? 0 : v[0].size(), 0);
        for (std::size_t i = 0; i < out.size(); ++i)
            for (std::size_t a = 1; a < v.size(); ++a)
                if (v[a][i] > v[out[i]][i]) out[i] = a;
        return out;
    }

    /// The regression (method, R^2 per action).
    const nb_regression& regression() const noexcept { return reg_; }

private:
    nb_regression reg_;
};

}  // namespace offroi
