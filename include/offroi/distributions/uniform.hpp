#pragma once
/// \file
/// `offroi::uniform_distribution`: continuous uniform on [lower, upper].

#include <algorithm>
#include <cstddef>
#include <string>
#include <tuple>
#include <utility>

#include "offroi/detail/checks.hpp"
#include "offroi/distributions/detail/distribution_checks.hpp"
#include "offroi/distributions/detail/two_point_fit.hpp"
#include "offroi/distributions/quantile_point.hpp"
#include "offroi/error.hpp"

namespace offroi {

/// Continuous uniform distribution on [lower, upper], lower < upper, both finite.
class uniform_distribution {
public:
    /// \param lower lower bound, finite.
    /// \param upper upper bound, finite and > lower.
    /// \throws invalid_argument naming the parameter and its value otherwise.
    uniform_distribution(double lower, double upper) : lower_(lower), upper_(upper) {
        constexpr const char* fn = "uniform_distribution";
        detail::check_finite(fn, "lower", lower);
        detail::check_finite(fn, "upper", upper);
        if (!(lower < upper))
            detail::throw_invalid(fn, "lower", lower,
                                  "must be < upper = " + detail::format_value(upper));
    }

    /// Lower bound.
    double lower() const noexcept { return lower_; }
    /// Upper bound.
    double upper() const noexcept { return upper_; }

    /// The uniform distribution with quantiles a.x at a.p and b.x at b.p (either order):
    /// width = (x_hi - x_lo) / (p_hi - p_lo), lower = x_lo - p_lo * width.
    /// \throws invalid_argument if a p is outside (0, 1), the p are equal, an x is not
    ///         finite or the larger p does not have the larger x.
    static uniform_distribution from_percentiles(quantile_point a, quantile_point b) {
        constexpr const char* fn = "uniform_distribution::from_percentiles";
        std::tie(a, b) = detail::ordered_percentile_pair(fn, a, b, false);
        const double width = (b.x - a.x) / (b.p - a.p);
        const double lower = a.x - a.p * width;
        return uniform_distribution(lower, lower + width);
    }

private:
    double lower_, upper_;
};

/// Density 1/(upper - lower) on [lower, upper], 0 outside. \throws for NaN x.
inline double pdf(const uniform_distribution& d, double x) {
    detail::check_not_nan("pdf(uniform_distribution)", x);
    return (x < d.lower() || x > d.upper()) ? 0.0 : 1.0 / (d.upper() - d.lower());
}
/// (x - lower)/(upper - lower), clamped to [0, 1]. \throws for NaN x.
inline double cdf(const uniform_distribution& d, double x) {
    detail::check_not_nan("cdf(uniform_distribution)", x);
    if (x <= d.lower()) return 0.0;
    if (x >= d.upper()) return 1.0;
    return (x - d.lower()) / (d.upper() - d.lower());
}

namespace detail {
inline double uniform_quantile_unchecked(double lo, double hi, double p) noexcept {
    // (1-p) lo + p hi is exact at both ends; clamp guards the last-ulp overshoot.
    return std::clamp((1.0 - p) * lo + p * hi, lo, hi);
}
}  // namespace detail

/// lower + p (upper - lower), exactly lower at p = 0 and upper at p = 1.
/// \throws invalid_argument for p outside [0, 1].
inline double quantile(const uniform_distribution& d, double p) {
    detail::check_quantile_level("quantile(uniform_distribution)", p);
    return detail::uniform_quantile_unchecked(d.lower(), d.upper(), p);
}
/// Batch quantile. \throws invalid_argument if some p[i] is outside [0, 1].
inline void quantile(const uniform_distribution& d, const double* p, double* x, std::size_t n) {
    detail::check_quantile_levels("quantile(uniform_distribution)", p, n);
    const double lo = d.lower(), hi = d.upper();
    for (std::size_t i = 0; i < n; ++i) x[i] = detail::uniform_quantile_unchecked(lo, hi, p[i]);
}
/// Same as `quantile` (closed form).
inline double exact_quantile(const uniform_distribution& d, double p) { return quantile(d, p); }
/// Mean (lower + upper)/2.
inline double mean(const uniform_distribution& d) noexcept { return 0.5 * (d.lower() + d.upper()); }
/// Variance (upper - lower)^2 / 12.
inline double variance(const uniform_distribution& d) noexcept {
    const double w = d.upper() - d.lower();
    return w * w / 12.0;
}
/// Support {lower, upper}.
inline std::pair<double, double> support(const uniform_distribution& d) noexcept {
    return {d.lower(), d.upper()};
}

}  // namespace offroi
