#pragma once
/// \file
/// Value of information from Monte Carlo samples of the net benefit of D options, on plain
/// arrays: `nb[d][i]` is the net benefit of option d in trial i (i = 0 .. n-1), all options
/// evaluated on the same trials (common random numbers). Option 0 is usually the baseline
/// with NB 0, but nothing here assumes it.
///
/// Definitions (E: the mean over trials; d* = argmax_d E[NB_d], the option chosen now):
///  - P(option d is best) = E[1{NB_d = max_k NB_k}] (ties share the trial equally);
///  - expected loss (regret) of d: E[max_k NB_k - NB_d] >= 0;
///  - EVPI = E[max_d NB_d] - max_d E[NB_d] = the expected loss of d* (the smallest);
///  - EVPPI of inputs X (Strong, Oakley and Brennan, MDM 34:311, 2014): with g_d(x) a
///    regression estimate of E[NB_d - NB_0 | X = x] on the same samples (nb_regression.hpp;
///    g_0 = 0), EVPPI = E_i[max_d g_d(x_i)] - max_d E_i[g_d(x_i)].
///
/// Standard errors are Monte Carlo standard errors over trials, sd / sqrt(n), of:
///  - expected NB, P(best), expected loss: the per-trial quantity itself;
///  - EVPI: max_d NB_d - NB_{d*} (d* held fixed);
///  - EVPPI: NB_{d(x_i), i} - NB_{d*, i}, with d(x) = argmax_d g_d(x) the option chosen
///    knowing X. This is the influence function of the EVPPI with the decision rule held
///    fixed (perturbing the rule changes the value only to second order at the optimum):
///    to first order the regression estimate equals E_i[NB_{d(x_i), i} - NB_{d*, i}], whose
///    variance covers both the spread of the inputs and the regression's noise. Checked
///    empirically (tests/decision/value_of_information_test.cpp): over repeated seeds the
///    spread of the estimates matches the mean reported SE within a factor of 1.3.
/// The estimates are biased to second order: the regression's noise biases E[max] up,
/// its smoothing biases it down (both shrink with n); the tests bound both against known
/// answers and nested Monte Carlo.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "offroi/decision/detail/parallel.hpp"
#include "offroi/decision/nb_regression.hpp"
#include "offroi/error.hpp"

namespace offroi {

/// A Monte Carlo estimate and its standard error.
struct mc_estimate {
    double value = 0.0;  ///< the estimate
    double se = 0.0;     ///< its Monte Carlo standard error
};

/// Columns of equal length (`nb[d][i]`: option d, trial i).
using sample_columns = std::span<const std::span<const double>>;

/// Spans over the columns of a vector of vectors (for the `sample_columns` overloads).
inline std::vector<std::span<const double>> column_spans(const std::vector<std::vector<double>>& c) {
    return {c.begin(), c.end()};
}

/// What the options' net benefits say about the decision now.
struct decision_summary_result {
    std::size_t trials = 0;                   ///< n
    std::vector<mc_estimate> expected_nb;     ///< E[NB_d], per option
    std::vector<mc_estimate> p_best;          ///< P(option d is best), per option (sums to 1)
    std::vector<mc_estimate> expected_loss;   ///< E[max_k NB_k - NB_d], per option
    std::size_t best = 0;                     ///< d*: the highest expected NB (first on ties)
    mc_estimate evpi;                         ///< EVPI = expected_loss[best]
};

namespace detail::voi {

inline void check_nb(const char* fn, sample_columns nb, std::size_t min_trials) {
    if (nb.empty()) throw_invalid(fn, "nb (options)", 0, "must be >= 1 option column");
    const std::size_t n = nb[0].size();
    if (n < min_trials)
        throw_invalid(fn, "trials (length of nb[0])", double(n), "must be >= " + std::to_string(min_trials));
    for (std::size_t d = 0; d < nb.size(); ++d) {
        if (nb[d].size() != n)
            throw_invalid(fn, "nb[" + std::to_string(d) + "] length", double(nb[d].size()),
                          "must equal the length of nb[0], " + std::to_string(n));
        for (std::size_t i = 0; i < n; ++i)
            if (!std::isfinite(nb[d][i]))
                throw_invalid(fn, "nb[" + std::to_string(d) + "][" + std::to_string(i) + "]", nb[d][i], "must be finite");
    }
}

/// Mean and standard error (sd / sqrt(n), sd with divisor n - 1) of v.
inline mc_estimate mean_se(const std::vector<double>& v) {
    const std::size_t n = v.size();
    long double s = 0.0L;
    for (double x : v) s += x;
    const double m = double(s / static_cast<long double>(n));
    long double ss = 0.0L;
    for (double x : v) ss += (x - m) * (x - m);
    const double var = n > 1 ? double(ss / static_cast<long double>(n - 1)) : 0.0;
    return {m, std::sqrt(var / double(n))};
}

/// Value and SE of the decision made on `fitted` (fitted[d][i], d = 0 .. D-1, estimates of
/// E[NB_d | x_i] up to a common shift) against d*, with NB from `nb`.
inline mc_estimate value_of_rule(sample_columns nb, const std::vector<std::vector<double>>& fitted) {
    const std::size_t D = nb.size(), n = nb[0].size();
    std::vector<long double> mean_fit(D, 0.0L);
    for (std::size_t d = 0; d < D; ++d)
        for (std::size_t i = 0; i < n; ++i) mean_fit[d] += fitted[d][i];
    std::size_t star = 0;
    for (std::size_t d = 1; d < D; ++d)
        if (mean_fit[d] > mean_fit[star]) star = d;
    long double sum_max = 0.0L;
    std::vector<double> gain(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::size_t k = 0;
        for (std::size_t d = 1; d < D; ++d)
            if (fitted[d][i] > fitted[k][i]) k = d;
        sum_max += fitted[k][i];
        gain[i] = nb[k][i] - nb[star][i];
    }
    const double value = double((sum_max - mean_fit[star]) / static_cast<long double>(n));
    return {std::max(0.0, value), mean_se(gain).se};
}

}  // namespace detail::voi

/// P(best), expected loss and expected net benefit of each option, the option with the
/// highest expected net benefit, and the EVPI, each with its Monte Carlo SE (file comment).
/// \param nb D >= 1 columns of n >= 2 finite net benefits.
/// \throws invalid_argument naming the field, value and what is allowed (no options,
///         mismatched lengths, fewer than 2 trials, a non-finite value).
inline decision_summary_result decision_summary(sample_columns nb) {
    detail::voi::check_nb("offroi::decision_summary", nb, 2);
    const std::size_t D = nb.size(), n = nb[0].size();
    decision_summary_result s;
    s.trials = n;
    std::vector<double> mx(n), v(n);
    std::vector<std::vector<double>> best_share(D, std::vector<double>(n, 0.0));
    for (std::size_t i = 0; i < n; ++i) {
        double m = nb[0][i];
        for (std::size_t d = 1; d < D; ++d) m = std::max(m, nb[d][i]);
        mx[i] = m;
        std::size_t ties = 0;
        for (std::size_t d = 0; d < D; ++d) ties += nb[d][i] == m;
        for (std::size_t d = 0; d < D; ++d)
            if (nb[d][i] == m) best_share[d][i] = 1.0 / double(ties);
    }
    for (std::size_t d = 0; d < D; ++d) {
        v.assign(nb[d].begin(), nb[d].end());
        s.expected_nb.push_back(detail::voi::mean_se(v));
        s.p_best.push_back(detail::voi::mean_se(best_share[d]));
        for (std::size_t i = 0; i < n; ++i) v[i] = mx[i] - nb[d][i];
        s.expected_loss.push_back(detail::voi::mean_se(v));
    }
    for (std::size_t d = 1; d < D; ++d)
        if (s.expected_nb[d].value > s.expected_nb[s.best].value) s.best = d;
    s.evpi = s.expected_loss[s.best];
    return s;
}

/// Overload for a vector of columns.
inline decision_summary_result decision_summary(const std::vector<std::vector<double>>& nb) {
    const auto c = column_spans(nb);
    return decision_summary(sample_columns(c));
}

/// EVPI = E[max_d NB_d] - max_d E[NB_d], SE = sd(max_d NB_d - NB_{d*}) / sqrt(n).
/// \throws as `decision_summary`.
inline mc_estimate evpi(sample_columns nb) { return decision_summary(nb).evpi; }

/// Overload for a vector of columns.
inline mc_estimate evpi(const std::vector<std::vector<double>>& nb) { return decision_summary(nb).evpi; }

/// Settings of `evppi`.
struct evppi_options {
    nb_regression_options regression;  ///< the regression of the incremental net benefits
    /// The options (indices >= 1) whose net benefit the inputs can reach; empty: all. The
    /// others' conditional expectations given the inputs are their means, exactly when the
    /// inputs reach neither them nor option 0 (an alternative's own inputs reach only its net
    /// benefit; the baseline's NB is 0): one regression instead of D - 1, and no fitted noise
    /// for the options left out.
    std::vector<std::size_t> reached;
};

/// The EVPPI of one input or group, with how it was estimated.
struct evppi_result {
    double value = 0.0;                 ///< EVPPI (>= 0)
    double se = 0.0;                    ///< its Monte Carlo SE (file comment)
    regression_method method = regression_method::automatic;  ///< the regression used
    std::string method_name;            ///< as reports print it
    /// R^2 of the regression of NB_d - NB_0 on the inputs, d = 1 .. D-1 (in-sample for
    /// splines, out-of-fold for trees): the share of the incremental NB's variance the
    /// inputs explain.
    std::vector<double> r_squared;
};

/// The value of a decision rule fitted elsewhere: `fitted[d][i]` estimates E[NB_d | x_i]
/// for all D options (any common shift per trial is allowed, e.g. fitted[0] = 0 for
/// incremental fits). Returns E_i[max_d fitted_d] - max_d E_i[fitted_d] and its SE, as
/// `evppi` does after its regression. EVSI by regression on a study's simulated summary
/// statistics is this with fitted values from `nb_regression` on those statistics.
/// \throws invalid_argument for bad `nb` (as `decision_summary`) or a `fitted` of another
///         shape or with a non-finite value.
inline mc_estimate value_of_fitted(sample_columns nb, const std::vector<std::vector<double>>& fitted) {
    static constexpr const char* fn = "offroi::value_of_fitted";
    detail::voi::check_nb(fn, nb, 2);
    if (fitted.size() != nb.size())
        detail::throw_invalid(fn, "fitted (columns)", double(fitted.size()),
                              "must equal the number of options, " + std::to_string(nb.size()));
    for (std::size_t d = 0; d < fitted.size(); ++d) {
        if (fitted[d].size() != nb[0].size())
            detail::throw_invalid(fn, "fitted[" + std::to_string(d) + "] length", double(fitted[d].size()),
                                  "must equal the number of trials, " + std::to_string(nb[0].size()));
        for (std::size_t i = 0; i < fitted[d].size(); ++i)
            if (!std::isfinite(fitted[d][i]))
                detail::throw_invalid(fn, "fitted[" + std::to_string(d) + "][" + std::to_string(i) + "]", fitted[d][i],
                                      "must be finite");
    }
    return detail::voi::value_of_rule(nb, fitted);
}

/// EVPPI of the inputs X (one group: all columns of `inputs` together) by regression of
/// each incremental net benefit NB_d - NB_0 on X (`nb_regression`; method by the group's
/// size: 1 input P-spline or cell means, 2 inputs tensor P-spline, 3+ cross-fitted boosted
/// trees).
/// \param nb     D >= 1 columns of n >= 10 finite net benefits (D = 1: EVPPI 0).
/// \param inputs g >= 1 columns of n values (no NaN; +-inf allowed, inputs enter by rank).
/// \throws invalid_argument naming the field, value and what is allowed.
inline evppi_result evppi(sample_columns nb, sample_columns inputs, const evppi_options& o = {}) {
    static constexpr const char* fn = "offroi::evppi";
    detail::voi::check_nb(fn, nb, 10);
    if (inputs.empty()) detail::throw_invalid(fn, "inputs (columns)", 0, "must be >= 1 input column");
    const std::size_t D = nb.size(), n = nb[0].size();
    for (std::size_t j = 0; j < inputs.size(); ++j)
        if (inputs[j].size() != n)
            detail::throw_invalid(fn, "inputs[" + std::to_string(j) + "] length", double(inputs[j].size()),
                                  "must equal the number of trials of nb, " + std::to_string(n));
    evppi_result res;
    if (D == 1) {  // one option: nothing to decide
        res.method_name = "none (one option)";
        return res;
    }
    std::vector<std::size_t> reached = o.reached;
    if (reached.empty())
        for (std::size_t d = 1; d < D; ++d) reached.push_back(d);
    for (std::size_t k = 0; k < reached.size(); ++k)
        if (reached[k] < 1 || reached[k] >= D || std::count(reached.begin(), reached.end(), reached[k]) > 1)
            detail::throw_invalid(fn, "reached[" + std::to_string(k) + "]", double(reached[k]),
                                  "must be an option index in [1, " + std::to_string(D - 1) + "], each once");
    std::vector<std::vector<double>> inc(reached.size(), std::vector<double>(n));
    for (std::size_t k = 0; k < reached.size(); ++k)
        for (std::size_t i = 0; i < n; ++i) inc[k][i] = nb[reached[k]][i] - nb[0][i];
    const auto ys = column_spans(inc);
    nb_regression reg;
    reg.fit(inputs, sample_columns(ys), o.regression);
    std::vector<std::vector<double>> fitted(D);
    fitted[0].assign(n, 0.0);
    res.r_squared.assign(D - 1, 0.0);
    for (std::size_t d = 1; d < D; ++d) {
        const auto it = std::find(reached.begin(), reached.end(), d);
        if (it == reached.end()) {
            // Not reached: E[NB_d - NB_0 | X] = mean (NB_0 = 0 for the baseline option).
            double m = 0.0;
            for (std::size_t i = 0; i < n; ++i) m += nb[d][i] - nb[0][i];
            fitted[d].assign(n, m / double(n));
        } else {
            const auto k = static_cast<std::size_t>(it - reached.begin());
            fitted[d] = reg.fitted()[k];
            res.r_squared[d - 1] = reg.r_squared()[k];
        }
    }
    const mc_estimate v = detail::voi::value_of_rule(nb, fitted);
    res.value = v.value;
    res.se = v.se;
    res.method = reg.method();
    res.method_name = reg.method_name();
    return res;
}

/// EVPPI of one input (shape (n,)).
inline evppi_result evppi(sample_columns nb, std::span<const double> input, const evppi_options& o = {}) {
    const std::span<const double> in[1] = {input};
    return evppi(nb, sample_columns(in), o);
}

/// Overloads for vectors of columns.
inline evppi_result evppi(const std::vector<std::vector<double>>& nb, const std::vector<std::vector<double>>& inputs,
                          const evppi_options& o = {}) {
    const auto a = column_spans(nb), b = column_spans(inputs);
    return evppi(sample_columns(a), sample_columns(b), o);
}
/// EVPPI of one input, net benefits as a vector of columns.
inline evppi_result evppi(const std::vector<std::vector<double>>& nb, std::span<const double> input,
                          const evppi_options& o = {}) {
    const auto a = column_spans(nb);
    return evppi(sample_columns(a), input, o);
}

/// EVPPI of each input on its own: result[j] = evppi(nb, inputs[j]), computed in parallel
/// over inputs on `threads` workers (0 = all); the results do not depend on the thread count.
/// \throws as `evppi`.
inline std::vector<evppi_result> evppi_each(sample_columns nb, sample_columns inputs, const evppi_options& o = {},
                                            unsigned threads = 0) {
    static constexpr const char* fn = "offroi::evppi_each";
    detail::voi::check_nb(fn, nb, 10);
    if (inputs.empty()) detail::throw_invalid(fn, "inputs (columns)", 0, "must be >= 1 input column");
    for (std::size_t j = 0; j < inputs.size(); ++j) {
        if (inputs[j].size() != nb[0].size())
            detail::throw_invalid(fn, "inputs[" + std::to_string(j) + "] length", double(inputs[j].size()),
                                  "must equal the number of trials of nb, " + std::to_string(nb[0].size()));
        for (std::size_t i = 0; i < inputs[j].size(); ++i)
            if (std::isnan(inputs[j][i]))
                detail::throw_invalid(fn, "inputs[" + std::to_string(j) + "][" + std::to_string(i) + "]", inputs[j][i],
                                      "must not be NaN (+-inf is allowed: inputs enter by rank)");
    }
    std::vector<evppi_result> out(inputs.size());
    evppi_options one = o;
    one.regression.threads = 1;
    detail::voi::parallel_for(inputs.size(), threads, [&](std::size_t j) { out[j] = evppi(nb, inputs[j], one); });
    return out;
}

}  // namespace offroi
