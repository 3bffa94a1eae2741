#pragma once
/// \file
/// A finite discrete distribution: listed values with listed probabilities
/// (e.g. "team size 8, 10 or 12 with probabilities 0.25, 0.5, 0.25").

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "offroi/detail/checks.hpp"
#include "offroi/distributions/detail/distribution_checks.hpp"
#include "offroi/error.hpp"

namespace offroi {

/// Discrete distribution over finitely many values.
///
/// Values need not be sorted; equal values are merged (their probabilities add).
/// Probabilities must be finite, >= 0, with at least one > 0, and sum to 1 within 1e-6;
/// they are then divided by their sum so the cdf ends at exactly 1. A sum further from 1
/// is rejected rather than silently normalised, since it usually means a typo.
/// Holds shared immutable arrays (copies are cheap).
class discrete_distribution {
public:
    /// Tolerance on |sum(probabilities) - 1|.
    static constexpr double sum_tolerance = 1e-6;

    /// \param values        the possible values, finite, any order.
    /// \param probabilities P(X = values[i]), same length as `values`.
    /// \throws invalid_argument if the lists are empty or of different lengths, a value is
    ///         not finite, a probability is negative or not finite, or the sum is off by
    ///         more than 1e-6 (the message gives the index and value, or the sum).
    discrete_distribution(std::vector<double> values, std::vector<double> probabilities) {
        constexpr const char* fn = "discrete_distribution";
        if (values.empty())
            throw invalid_argument(std::string(fn) + ": values is empty; at least one value is required");
        if (values.size() != probabilities.size())
            throw invalid_argument(std::string(fn) + ": values has " + std::to_string(values.size()) +
                                   " entries but probabilities has " + std::to_string(probabilities.size()) +
                                   "; they must have the same length");
        double sum = 0.0;
        for (std::size_t i = 0; i < values.size(); ++i) {
            detail::check_finite(fn, "values[" + std::to_string(i) + "]", values[i]);
            detail::check_nonnegative_finite(fn, "probabilities[" + std::to_string(i) + "]", probabilities[i]);
            sum += probabilities[i];
        }
        if (!(std::abs(sum - 1.0) <= sum_tolerance))
            detail::throw_invalid(fn, "sum of probabilities", sum, "must be 1 within 1e-6");
        std::vector<std::size_t> order(values.size());
        std::iota(order.begin(), order.end(), std::size_t(0));
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
        auto s = std::make_shared<state>();
        for (std::size_t i : order) {
            const double v = values[i], p = probabilities[i] / sum;
            if (!s->values.empty() && s->values.back() == v)
                s->probabilities.back() += p;
            else {
                s->values.push_back(v);
                s->probabilities.push_back(p);
            }
        }
        s->cdf.resize(s->values.size());
        double c = 0.0;
        for (std::size_t i = 0; i < s->values.size(); ++i) s->cdf[i] = std::min(1.0, c += s->probabilities[i]);
        // Exactly 1 from the last value with positive probability on.
        std::size_t last = s->values.size() - 1;
        while (last > 0 && s->probabilities[last] == 0.0) --last;
        for (std::size_t i = last; i < s->cdf.size(); ++i) s->cdf[i] = 1.0;
        std::size_t first = 0;
        while (s->probabilities[first] == 0.0) ++first;
        s->lower = s->values[first];
        s->upper = s->values[last];
        state_ = std::move(s);
    }

    /// Distinct values in increasing order.
    const std::vector<double>& values() const noexcept { return state_->values; }
    /// Their probabilities (normalised to sum to 1).
    const std::vector<double>& probabilities() const noexcept { return state_->probabilities; }
    /// Cumulative probabilities: cumulative()[i] = P(X <= values()[i]); the last is 1.
    const std::vector<double>& cumulative() const noexcept { return state_->cdf; }
    /// Smallest value with positive probability.
    double lower() const noexcept { return state_->lower; }
    /// Largest value with positive probability.
    double upper() const noexcept { return state_->upper; }

private:
    struct state {
        std::vector<double> values, probabilities, cdf;
        double lower = 0.0, upper = 0.0;
    };
    std::shared_ptr<const state> state_;
};

/// P(X = x).
inline double pmf(const discrete_distribution& d, double x) {
    if (std::isnan(x)) detail::throw_invalid("pmf(discrete_distribution)", "x", x, "must not be NaN");
    const auto& v = d.values();
    auto it = std::lower_bound(v.begin(), v.end(), x);
    return (it != v.end() && *it == x) ? d.probabilities()[std::size_t(it - v.begin())] : 0.0;
}

/// P(X <= x).
inline double cdf(const discrete_distribution& d, double x) {
    if (std::isnan(x)) detail::throw_invalid("cdf(discrete_distribution)", "x", x, "must not be NaN");
    const auto& v = d.values();
    auto it = std::upper_bound(v.begin(), v.end(), x);
    return it == v.begin() ? 0.0 : d.cumulative()[std::size_t(it - v.begin()) - 1];
}

namespace detail {
inline double discrete_quantile_unchecked(const discrete_distribution& d, double p) {
    if (p == 0.0) return d.lower();
    const auto& c = d.cumulative();
    auto it = std::lower_bound(c.begin(), c.end(), p);
    if (it == c.end()) --it;  // unreachable for p <= 1: the last entry is exactly 1
    return d.values()[std::size_t(it - c.begin())];
}
}  // namespace detail

/// Smallest value v with cdf(v) >= p (so never a value of probability 0);
/// quantile(0) = lower().
/// \throws invalid_argument if p is not in [0, 1].
inline double quantile(const discrete_distribution& d, double p) {
    detail::check_quantile_level("quantile(discrete_distribution)", p);
    return detail::discrete_quantile_unchecked(d, p);
}

/// Batch quantile: x[i] = quantile(d, p[i]) for i in [0, n).
/// \throws invalid_argument at the first p[i] outside [0, 1].
inline void quantile(const discrete_distribution& d, const double* p, double* x, std::size_t n) {
    detail::check_quantile_levels("quantile(discrete_distribution)", p, n);
    for (std::size_t i = 0; i < n; ++i) x[i] = detail::discrete_quantile_unchecked(d, p[i]);
}

/// The exact quantile: the same closed form or search as `quantile` (no table involved).
/// \throws invalid_argument if p is not in [0, 1].
inline double exact_quantile(const discrete_distribution& d, double p) { return quantile(d, p); }

/// Sum of p_i v_i.
inline double mean(const discrete_distribution& d) noexcept {
    double m = 0.0;
    for (std::size_t i = 0; i < d.values().size(); ++i) m += d.probabilities()[i] * d.values()[i];
    return m;
}

/// Sum of p_i (v_i - mean)^2 (two-pass, no cancellation).
inline double variance(const discrete_distribution& d) noexcept {
    const double m = mean(d);
    double v = 0.0;
    for (std::size_t i = 0; i < d.values().size(); ++i) {
        const double e = d.values()[i] - m;
        v += d.probabilities()[i] * e * e;
    }
    return v;
}

/// [smallest, largest] value with positive probability.
inline std::pair<double, double> support(const discrete_distribution& d) noexcept {
    return {d.lower(), d.upper()};
}

}  // namespace offroi
