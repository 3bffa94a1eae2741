#pragma once
/// \file
/// `offroi::pert_distribution`: the (modified) PERT distribution on [min, max] with mode m
/// and shape lambda (Vose 2008): a beta on [min, max] with
/// alpha = 1 + lambda (m - min)/(max - min), beta = 1 + lambda (max - m)/(max - min);
/// mean (min + lambda m + max)/(lambda + 2), i.e. (a + 4m + b)/6 for lambda = 4.
/// Quantiles use the beta's fast table (built once, shared by copies).

#include <cmath>
#include <cstddef>
#include <string>
#include <utility>

#include "offroi/detail/checks.hpp"
#include "offroi/distributions/beta.hpp"
#include "offroi/distributions/detail/distribution_checks.hpp"
#include "offroi/distributions/detail/special_functions.hpp"
#include "offroi/distributions/detail/three_point_fit.hpp"
#include "offroi/distributions/quantile_point.hpp"
#include "offroi/error.hpp"

namespace offroi {

/// PERT distribution: min <= mode <= max, min < max, 0 < lambda <= 1e6 (default 4), all finite.
class pert_distribution {
public:
    /// Largest lambda (the beta's shapes are at most 1 + lambda; beta_distribution::max_shape).
    static constexpr double max_lambda = 1e6;

    /// \throws invalid_argument naming the parameter and value, e.g.
    ///         "pert_distribution: min = 5 is invalid; must be <= mode = 3".
    pert_distribution(double min, double mode, double max, double lambda = 4.0)
        : min_(min), mode_(mode), max_(max), lambda_(lambda), beta_(make_beta(min, mode, max, lambda)) {}

    /// Lower bound a.
    double min() const noexcept { return min_; }
    /// Mode m.
    double mode() const noexcept { return mode_; }
    /// Upper bound b.
    double max() const noexcept { return max_; }
    /// Shape lambda (weight of the mode; 4 is the classic PERT).
    double lambda() const noexcept { return lambda_; }
    /// The equivalent beta distribution on [min, max].
    const beta_distribution& as_beta() const noexcept { return beta_; }

    /// The PERT with the given mode and lambda whose quantiles at lo.p and hi.p are lo.x
    /// and hi.x ("P10 = 20, mode 30, P90 = 60"), solving for min and max numerically as
    /// @RISK's PertAlt does (see detail/three_point_fit.hpp).
    /// \throws invalid_argument unless p in (0, 1), lo.p < hi.p, lo.x <= mode <= hi.x,
    ///         lo.x < hi.x, lambda > 0, all finite.
    static pert_distribution from_percentiles(quantile_point lo, double mode, quantile_point hi,
                                              double lambda = 4.0) {
        constexpr const char* fn = "pert_distribution::from_percentiles";
        detail::check_three_points(fn, lo, mode, hi);
        detail::check_positive_finite(fn, "lambda", lambda);
        if (lambda > max_lambda) detail::throw_invalid(fn, "lambda", lambda, "must be <= 1e6 (the limit of PERT shapes)");
        auto shapes = [mode, lambda](double a, double b) {
            return std::pair{1.0 + lambda * (mode - a) / (b - a), 1.0 + lambda * (b - mode) / (b - a)};
        };
        auto F = [&](double a, double b, double x) {
            if (x <= a) return 0.0;
            if (x >= b) return 1.0;
            const auto [al, be] = shapes(a, b);
            return detail::math::ibeta(al, be, (x - a) / (b - a));
        };
        auto S = [&](double a, double b, double x) {
            if (x <= a) return 1.0;
            if (x >= b) return 0.0;
            const auto [al, be] = shapes(a, b);
            return detail::math::ibetac(al, be, (x - a) / (b - a));
        };
        const auto [a, b] = detail::fit_min_max(fn, lo, mode, hi, F, S);
        return pert_distribution(a, mode, b, lambda);
    }

private:
    static beta_distribution make_beta(double a, double m, double b, double lambda) {
        constexpr const char* fn = "pert_distribution";
        detail::check_finite(fn, "min", a);
        detail::check_finite(fn, "mode", m);
        detail::check_finite(fn, "max", b);
        detail::check_positive_finite(fn, "lambda", lambda);
        if (lambda > max_lambda) detail::throw_invalid(fn, "lambda", lambda, "must be <= 1e6 (the limit of PERT shapes)");
        if (!(a <= m)) detail::throw_invalid(fn, "min", a, "must be <= mode = " + detail::format_value(m));
        if (!(m <= b)) detail::throw_invalid(fn, "mode", m, "must be <= max = " + detail::format_value(b));
        if (!(a < b)) detail::throw_invalid(fn, "min", a, "must be < max = " + detail::format_value(b));
        const double w = b - a;
        return beta_distribution(1.0 + lambda * (m - a) / w, 1.0 + lambda * (b - m) / w, a, b);
    }

    double min_, mode_, max_, lambda_;
    beta_distribution beta_;
};

/// Density of the equivalent beta. \throws invalid_argument for NaN x.
inline double pdf(const pert_distribution& d, double x) {
    detail::check_not_nan("pdf(pert_distribution)", x);
    return pdf(d.as_beta(), x);
}
/// cdf of the equivalent beta. \throws invalid_argument for NaN x.
inline double cdf(const pert_distribution& d, double x) {
    detail::check_not_nan("cdf(pert_distribution)", x);
    return cdf(d.as_beta(), x);
}
/// Fast tabulated quantile. \throws invalid_argument for p outside [0, 1].
inline double quantile(const pert_distribution& d, double p) {
    detail::check_quantile_level("quantile(pert_distribution)", p);
    return detail::beta_scale(d.as_beta(), d.as_beta().standard_quantile_table()(p));
}
/// Batch fast quantile (a few ns per value). \throws if some p[i] is outside [0, 1].
inline void quantile(const pert_distribution& d, const double* p, double* x, std::size_t n) {
    detail::check_quantile_levels("quantile(pert_distribution)", p, n);
    detail::beta_quantile_batch_unchecked(d.as_beta(), p, x, n);
}
/// Boost.Math's exact inverse (slow). \throws invalid_argument for p outside [0, 1].
inline double exact_quantile(const pert_distribution& d, double p) {
    detail::check_quantile_level("exact_quantile(pert_distribution)", p);
    return detail::beta_exact_quantile_unchecked(d.as_beta(), p);
}
/// Mean (min + lambda mode + max)/(lambda + 2).
inline double mean(const pert_distribution& d) noexcept {
    return (d.min() + d.lambda() * d.mode() + d.max()) / (d.lambda() + 2.0);
}
/// Variance (mean - min)(max - mean)/(lambda + 3).
inline double variance(const pert_distribution& d) noexcept {
    const double mu = mean(d);
    return (mu - d.min()) * (d.max() - mu) / (d.lambda() + 3.0);
}
/// Support {min, max}.
inline std::pair<double, double> support(const pert_distribution& d) noexcept {
    return {d.min(), d.max()};
}

}  // namespace offroi
