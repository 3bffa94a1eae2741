#pragma once
/// \file
/// A distribution built from observed data (past project durations, historical rates).
///
/// Two kinds, for sorted data x_0 <= ... <= x_{n-1}:
/// - `empirical_kind::interpolated` (default): the continuous distribution whose quantile
///   is the piecewise-linear interpolation Q(p) = x_i + (h - i)(x_{i+1} - x_i),
///   h = p (n - 1), i = floor(h) (Hyndman and Fan 1996 type 7, numpy's and R's default);
///   its cdf is the matching piecewise-linear interpolation of i / (n - 1) at x_i.
///   Support [x_0, x_{n-1}].
/// - `empirical_kind::resampled`: the discrete distribution putting 1/n on each
///   observation (bootstrap resampling); Q(p) = x_{ceil(n p) - 1}.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "offroi/detail/checks.hpp"
#include "offroi/distributions/detail/distribution_checks.hpp"
#include "offroi/error.hpp"

namespace offroi {

/// How an empirical distribution treats the data: see the file comment.
enum class empirical_kind {
    interpolated,  ///< continuous, piecewise-linear quantile through the order statistics
    resampled,     ///< discrete, probability 1/n on each observation
};

/// Distribution from observed data; holds the sorted data (shared, so copies are cheap).
class empirical_distribution {
public:
    /// \param data observations, finite, at least one; any order.
    /// \param kind interpolated (default) or resampled.
    /// \throws invalid_argument if `data` is empty or holds a NaN or infinite value
    ///         (the message gives its index and value).
    explicit empirical_distribution(std::vector<double> data,
                                    empirical_kind kind = empirical_kind::interpolated)
        : kind_(kind) {
        constexpr const char* fn = "empirical_distribution";
        if (data.empty()) throw invalid_argument(std::string(fn) + ": data is empty; at least one observation is required");
        if (kind != empirical_kind::interpolated && kind != empirical_kind::resampled)
            throw invalid_argument(std::string(fn) + ": kind = " + std::to_string(int(kind)) +
                                   " is invalid; must be empirical_kind::interpolated or empirical_kind::resampled");
        for (std::size_t i = 0; i < data.size(); ++i) detail::check_finite(fn, "data[" + std::to_string(i) + "]", data[i]);
        std::sort(data.begin(), data.end());
        data_ = std::make_shared<const std::vector<double>>(std::move(data));
    }

    /// The observations, sorted increasingly.
    const std::vector<double>& data() const noexcept { return *data_; }
    /// interpolated or resampled.
    empirical_kind kind() const noexcept { return kind_; }

private:
    std::shared_ptr<const std::vector<double>> data_;
    empirical_kind kind_;
};

/// P(X <= x). Interpolated: 0 below x_0, 1 from x_{n-1} on, linear in between (at a run of
/// tied observations the cdf jumps, right-continuous). Resampled: (number of x_i <= x) / n.
inline double cdf(const empirical_distribution& d, double x) {
    if (std::isnan(x)) detail::throw_invalid("cdf(empirical_distribution)", "x", x, "must not be NaN");
    const auto& v = d.data();
    const std::size_t n = v.size();
    const std::size_t above = std::size_t(std::upper_bound(v.begin(), v.end(), x) - v.begin());
    if (d.kind() == empirical_kind::resampled) return double(above) / double(n);
    if (above == 0) return 0.0;
    if (above == n) return 1.0;
    const std::size_t j = above - 1;  // v[j] <= x < v[j + 1]
    return (double(j) + (x - v[j]) / (v[j + 1] - v[j])) / double(n - 1);
}

/// Density of the interpolated kind: 1 / ((n - 1)(x_{j+1} - x_j)) inside segment j, 0
/// outside [x_0, x_{n-1}]; for the resampled kind (no density) it throws.
/// \throws invalid_argument for the resampled kind (use pmf).
inline double pdf(const empirical_distribution& d, double x) {
    if (d.kind() == empirical_kind::resampled)
        throw invalid_argument("pdf(empirical_distribution): a resampled empirical distribution is discrete; use pmf");
    detail::check_not_nan("pdf(empirical_distribution)", x);
    const auto& v = d.data();
    const std::size_t n = v.size();
    const std::size_t above = std::size_t(std::upper_bound(v.begin(), v.end(), x) - v.begin());
    if (above == 0 || above == n) return 0.0;
    const std::size_t j = above - 1;
    return 1.0 / (double(n - 1) * (v[j + 1] - v[j]));
}

/// P(X = x): (number of x_i equal to x) / n for the resampled kind; 0 for the interpolated
/// kind unless all data are equal (then 1 at that value).
inline double pmf(const empirical_distribution& d, double x) {
    if (std::isnan(x)) detail::throw_invalid("pmf(empirical_distribution)", "x", x, "must not be NaN");
    const auto& v = d.data();
    auto r = std::equal_range(v.begin(), v.end(), x);
    const double k = double(r.second - r.first);
    if (d.kind() == empirical_kind::resampled) return k / double(v.size());
    return (v.front() == v.back() && k > 0) ? 1.0 : 0.0;
}

namespace detail {
inline double empirical_quantile_unchecked(const empirical_distribution& d, double p) {
    const auto& v = d.data();
    const std::size_t n = v.size();
    if (d.kind() == empirical_kind::resampled) {
        double c = std::ceil(p * double(n));
        std::size_t i = c < 1.0 ? 0 : std::size_t(c) - 1;
        return v[std::min(i, n - 1)];
    }
    if (n == 1) return v[0];
    const double h = p * double(n - 1);
    const double fl = std::floor(h);
    const std::size_t i = std::size_t(fl);
    if (i >= n - 1) return v[n - 1];
    return v[i] + (h - fl) * (v[i + 1] - v[i]);
}
}  // namespace detail

/// Interpolated: x_i + (h - i)(x_{i+1} - x_i) with h = p (n - 1). Resampled: the smallest
/// observation with cdf >= p, x_{ceil(n p) - 1} (x_0 at p = 0).
/// \throws invalid_argument if p is not in [0, 1].
inline double quantile(const empirical_distribution& d, double p) {
    detail::check_quantile_level("quantile(empirical_distribution)", p);
    return detail::empirical_quantile_unchecked(d, p);
}

/// Batch quantile: x[i] = quantile(d, p[i]) for i in [0, n).
/// \throws invalid_argument at the first p[i] outside [0, 1].
inline void quantile(const empirical_distribution& d, const double* p, double* x, std::size_t n) {
    detail::check_quantile_levels("quantile(empirical_distribution)", p, n);
    for (std::size_t i = 0; i < n; ++i) x[i] = detail::empirical_quantile_unchecked(d, p[i]);
}

/// The exact quantile: the same closed form or search as `quantile` (no table involved).
/// \throws invalid_argument if p is not in [0, 1].
inline double exact_quantile(const empirical_distribution& d, double p) { return quantile(d, p); }

/// Resampled: the sample mean. Interpolated: the integral of Q over (0, 1), i.e. the
/// average over segments of (x_i + x_{i+1}) / 2.
inline double mean(const empirical_distribution& d) noexcept {
    const auto& v = d.data();
    const std::size_t n = v.size();
    if (n == 1) return v[0];
    double s = 0.0;
    if (d.kind() == empirical_kind::resampled) {
        for (double x : v) s += x;
        return s / double(n);
    }
    for (std::size_t i = 0; i + 1 < n; ++i) s += 0.5 * (v[i] + v[i + 1]);
    return s / double(n - 1);
}

/// Resampled: the population variance (divisor n) of the data. Interpolated:
/// integral of (Q - mean)^2 over (0, 1): for each segment from a to b (with a, b centred
/// on the mean) (a^2 + ab + b^2) / 3, averaged over the n - 1 segments.
inline double variance(const empirical_distribution& d) noexcept {
    const auto& v = d.data();
    const std::size_t n = v.size();
    if (n == 1) return 0.0;
    const double m = mean(d);
    double s = 0.0;
    if (d.kind() == empirical_kind::resampled) {
        for (double x : v) s += (x - m) * (x - m);
        return s / double(n);
    }
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const double a = v[i] - m, b = v[i + 1] - m;
        s += (a * a + a * b + b * b) / 3.0;
    }
    return s / double(n - 1);
}

/// [smallest, largest] observation.
inline std::pair<double, double> support(const empirical_distribution& d) noexcept {
    return {d.data().front(), d.data().back()};
}

}  // namespace offroi
