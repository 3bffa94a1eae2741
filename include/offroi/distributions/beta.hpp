#pragma once
/// \file
/// `offroi::beta_distribution`: the beta distribution on [lower, upper] (default [0, 1]).
/// Boost.Math supplies the exact cdf (regularised incomplete beta) and quantile; `quantile`
/// uses a `detail::fast_quantile` table built once at construction (about 1 ms, shared by
/// copies), accurate to better than 1e-9 relative (see docs/distributions.md);
/// `exact_quantile` calls Boost's inverse (about 14 us).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <utility>

#include "offroi/detail/checks.hpp"
#include "offroi/distributions/detail/distribution_checks.hpp"
#include "offroi/distributions/detail/fast_quantile.hpp"
#include "offroi/distributions/detail/normal_score_table.hpp"
#include "offroi/distributions/detail/special_functions.hpp"
#include "offroi/error.hpp"

namespace offroi {

/// Beta(alpha, beta) scaled to [lower, upper]: X = lower + (upper - lower) Y,
/// Y ~ Beta(alpha, beta) with density y^(alpha-1) (1-y)^(beta-1) / B(alpha, beta).
class beta_distribution {
public:
    /// Largest shape: the quantile table builds in about 0.02 s there (a shape of 1e20 runs
    /// for minutes); a beta with larger shapes has a standard deviation below 5e-5 of its range.
    static constexpr double max_shape = 1e8;

    /// \param alpha, beta shapes, finite, > 0 and <= max_shape (1e8).
    /// \param lower, upper bounds, finite, lower < upper.
    /// \throws invalid_argument naming the parameter and its value otherwise.
    beta_distribution(double alpha, double beta, double lower = 0.0, double upper = 1.0)
        : alpha_(alpha), beta_(beta), lower_(lower), upper_(upper) {
        constexpr const char* fn = "beta_distribution";
        detail::check_positive_finite(fn, "alpha", alpha);
        detail::check_positive_finite(fn, "beta", beta);
        if (alpha > max_shape) detail::throw_invalid(fn, "alpha", alpha, "must be <= 1e8 (the limit of beta shapes)");
        if (beta > max_shape) detail::throw_invalid(fn, "beta", beta, "must be <= 1e8 (the limit of beta shapes)");
        detail::check_finite(fn, "lower", lower);
        detail::check_finite(fn, "upper", upper);
        if (!(lower < upper))
            detail::throw_invalid(fn, "lower", lower, "must be < upper = " + detail::format_value(upper));
        table_ = detail::math::beta_table(alpha, beta);
    }

    /// The beta distribution on [lower, upper] with the given mean and standard deviation
    /// (method of moments): with m = (mean - lower)/w, v = (sd/w)^2, w = upper - lower,
    /// alpha = m k, beta = (1 - m) k, k = m (1 - m)/v - 1.
    /// \throws invalid_argument unless lower < mean < upper and 0 < sd^2 < (mean-lower)(upper-mean).
    static beta_distribution from_mean_sd(double mean, double sd, double lower = 0.0,
                                          double upper = 1.0) {
        constexpr const char* fn = "beta_distribution::from_mean_sd";
        detail::check_finite(fn, "lower", lower);
        detail::check_finite(fn, "upper", upper);
        if (!(lower < upper))
            detail::throw_invalid(fn, "lower", lower, "must be < upper = " + detail::format_value(upper));
        if (!(mean > lower && mean < upper))
            detail::throw_invalid(fn, "mean", mean, "must be strictly between lower and upper");
        detail::check_positive_finite(fn, "sd", sd);
        const double w = upper - lower, m = (mean - lower) / w, v = (sd / w) * (sd / w);
        if (!(v < m * (1.0 - m)))
            detail::throw_invalid(fn, "sd", sd,
                                  "must be < sqrt((mean - lower)(upper - mean)) = " +
                                      detail::format_value(w * std::sqrt(m * (1.0 - m))));
        const double k = m * (1.0 - m) / v - 1.0;
        return beta_distribution(m * k, (1.0 - m) * k, lower, upper);
    }

    /// Shape alpha.
    double alpha() const noexcept { return alpha_; }
    /// Shape beta.
    double beta() const noexcept { return beta_; }
    /// Lower bound.
    double lower() const noexcept { return lower_; }
    /// Upper bound.
    double upper() const noexcept { return upper_; }
    /// The fast quantile table of the standard Beta(alpha, beta) on [0, 1].
    const detail::fast_quantile& standard_quantile_table() const noexcept { return table_; }

private:
    double alpha_, beta_, lower_, upper_;
    detail::fast_quantile table_;
};

namespace detail {
inline double beta_scale(const beta_distribution& d, double y) noexcept {
    return std::min(d.lower() + (d.upper() - d.lower()) * y, d.upper());
}
}  // namespace detail

/// Density; at a bound where it is unbounded (alpha < 1 at lower, beta < 1 at upper) +inf.
/// \throws invalid_argument for NaN x.
inline double pdf(const beta_distribution& d, double x) {
    detail::check_not_nan("pdf(beta_distribution)", x);
    const double w = d.upper() - d.lower();
    if (x < d.lower() || x > d.upper()) return 0.0;
    if (x == d.lower()) {
        if (d.alpha() < 1.0) return std::numeric_limits<double>::infinity();
        return d.alpha() == 1.0 ? d.beta() / w : 0.0;
    }
    if (x == d.upper()) {
        if (d.beta() < 1.0) return std::numeric_limits<double>::infinity();
        return d.beta() == 1.0 ? d.alpha() / w : 0.0;
    }
    return detail::math::beta_pdf(d.alpha(), d.beta(), (x - d.lower()) / w) / w;
}
/// cdf I_y(alpha, beta), y = (x - lower)/(upper - lower) (Boost.Math ibeta).
/// \throws invalid_argument for NaN x.
inline double cdf(const beta_distribution& d, double x) {
    detail::check_not_nan("cdf(beta_distribution)", x);
    if (x <= d.lower()) return 0.0;
    if (x >= d.upper()) return 1.0;
    return detail::math::beta_cdf(d.alpha(), d.beta(), (x - d.lower()) / (d.upper() - d.lower()));
}
namespace detail {
inline void beta_quantile_batch_unchecked(const beta_distribution& d, const double* p, double* x,
                                          std::size_t n) {
    d.standard_quantile_table()(p, x, n);
    const double lo = d.lower(), hi = d.upper(), w = hi - lo;
    for (std::size_t i = 0; i < n; ++i) x[i] = std::min(lo + w * x[i], hi);
}
inline double beta_exact_quantile_unchecked(const beta_distribution& d, double p) {
    if (p == 0.0) return d.lower();
    if (p == 1.0) return d.upper();
    return beta_scale(d, d.standard_quantile_table().exact(p));
}
}  // namespace detail

namespace detail {
/// The fused normal-score transform x = F^-1(Phi(z)) of `d` (see normal_score_table.hpp),
/// built from the upper and lower halves of its fast quantile table (~50 us).
inline normal_score_table beta_normal_score_table(const beta_distribution& d) {
    return normal_score_table(
        [q = d.standard_quantile_table(), lo = d.lower(), w = d.upper() - d.lower()](
            bool upper_side, double v) { return lo + w * q.tail(upper_side, v); },
        d.lower(), d.upper());
}
}  // namespace detail

/// Fast tabulated quantile (error < 1e-9 relative, see docs/distributions.md).
/// \throws invalid_argument for p outside [0, 1].
inline double quantile(const beta_distribution& d, double p) {
    detail::check_quantile_level("quantile(beta_distribution)", p);
    return detail::beta_scale(d, d.standard_quantile_table()(p));
}
/// Batch fast quantile. \throws invalid_argument if some p[i] is outside [0, 1].
inline void quantile(const beta_distribution& d, const double* p, double* x, std::size_t n) {
    detail::check_quantile_levels("quantile(beta_distribution)", p, n);
    detail::beta_quantile_batch_unchecked(d, p, x, n);
}
/// Boost.Math's exact inverse (slow, ~14 us; where Boost 1.74's inverse throws, e.g. at the
/// median of Beta(5, 5), the cdf is inverted by bisection instead).
/// \throws invalid_argument for p outside [0, 1].
inline double exact_quantile(const beta_distribution& d, double p) {
    detail::check_quantile_level("exact_quantile(beta_distribution)", p);
    return detail::beta_exact_quantile_unchecked(d, p);
}
/// Mean lower + w alpha/(alpha + beta).
inline double mean(const beta_distribution& d) noexcept {
    return d.lower() + (d.upper() - d.lower()) * d.alpha() / (d.alpha() + d.beta());
}
/// Variance w^2 alpha beta / ((alpha + beta)^2 (alpha + beta + 1)).
inline double variance(const beta_distribution& d) noexcept {
    const double w = d.upper() - d.lower(), s = d.alpha() + d.beta();
    return w * w * d.alpha() * d.beta() / (s * s * (s + 1.0));
}
/// Support {lower, upper}.
inline std::pair<double, double> support(const beta_distribution& d) noexcept {
    return {d.lower(), d.upper()};
}

}  // namespace offroi
