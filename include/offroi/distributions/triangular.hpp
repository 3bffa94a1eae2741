#pragma once
/// \file
/// `offroi::triangular_distribution`: triangular on [min, max] with mode `mode`. Closed-form
/// cdf and quantile.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>

#include "offroi/detail/checks.hpp"
#include "offroi/distributions/detail/distribution_checks.hpp"
#include "offroi/distributions/detail/three_point_fit.hpp"
#include "offroi/distributions/quantile_point.hpp"
#include "offroi/error.hpp"

namespace offroi {

/// Triangular distribution: min <= mode <= max, min < max, all finite.
/// Mean (a + m + b)/3, variance (a^2 + b^2 + m^2 - ab - am - bm)/18.
class triangular_distribution {
public:
    /// \param min lower bound a.  \param mode m.  \param max upper bound b.
    /// \throws invalid_argument naming the parameter and value unless all are finite and
    ///         min <= mode <= max, min < max (e.g. "min = 5 ... must be <= mode = 3").
    triangular_distribution(double min, double mode, double max)
        : min_(min), mode_(mode), max_(max) {
        constexpr const char* fn = "triangular_distribution";
        detail::check_finite(fn, "min", min);
        detail::check_finite(fn, "mode", mode);
        detail::check_finite(fn, "max", max);
        if (!(min <= mode)) detail::throw_invalid(fn, "min", min, "must be <= mode = " + detail::format_value(mode));
        if (!(mode <= max)) detail::throw_invalid(fn, "mode", mode, "must be <= max = " + detail::format_value(max));
        if (!(min < max)) detail::throw_invalid(fn, "min", min, "must be < max = " + detail::format_value(max));
    }

    /// Lower bound a.
    double min() const noexcept { return min_; }
    /// Mode m.
    double mode() const noexcept { return mode_; }
    /// Upper bound b.
    double max() const noexcept { return max_; }

    /// The triangular distribution with the given mode whose quantiles at lo.p and hi.p are
    /// lo.x and hi.x ("P10 = 20, mode 30, P90 = 60"), solving for min and max numerically as
    /// @RISK's TriangGen does (see detail/three_point_fit.hpp).
    /// \throws invalid_argument unless p in (0, 1), lo.p < hi.p, lo.x <= mode <= hi.x,
    ///         lo.x < hi.x, all finite.
    static triangular_distribution from_percentiles(quantile_point lo, double mode,
                                                    quantile_point hi) {
        constexpr const char* fn = "triangular_distribution::from_percentiles";
        detail::check_three_points(fn, lo, mode, hi);
        auto F = [mode](double a, double b, double x) { return cdf_raw(a, mode, b, x); };
        auto S = [mode](double a, double b, double x) { return sf_raw(a, mode, b, x); };
        const auto [a, b] = detail::fit_min_max(fn, lo, mode, hi, F, S);
        return triangular_distribution(a, mode, b);
    }

    /// cdf without checks, for fitting (a < b, a <= m <= b).
    static double cdf_raw(double a, double m, double b, double x) noexcept {
        if (x <= a) return 0.0;
        if (x >= b) return 1.0;
        if (x <= m) return (x - a) * (x - a) / ((b - a) * (m - a));
        return 1.0 - (b - x) * (b - x) / ((b - a) * (b - m));
    }
    /// Survival function 1 - cdf without checks, accurate near the upper bound.
    static double sf_raw(double a, double m, double b, double x) noexcept {
        if (x <= a) return 1.0;
        if (x >= b) return 0.0;
        if (x <= m) return 1.0 - (x - a) * (x - a) / ((b - a) * (m - a));
        return (b - x) * (b - x) / ((b - a) * (b - m));
    }

private:
    double min_, mode_, max_;
};

/// Density 2(x-a)/((b-a)(m-a)) on [a, m], 2(b-x)/((b-a)(b-m)) on [m, b], 0 outside.
/// \throws invalid_argument for NaN x.
inline double pdf(const triangular_distribution& d, double x) {
    detail::check_not_nan("pdf(triangular_distribution)", x);
    const double a = d.min(), m = d.mode(), b = d.max();
    if (x < a || x > b) return 0.0;
    if (x < m) return 2.0 * (x - a) / ((b - a) * (m - a));
    if (x == m) return 2.0 / (b - a);
    return 2.0 * (b - x) / ((b - a) * (b - m));
}
/// cdf: (x-a)^2/((b-a)(m-a)) for x <= m, 1 - (b-x)^2/((b-a)(b-m)) above.
/// \throws invalid_argument for NaN x.
inline double cdf(const triangular_distribution& d, double x) {
    detail::check_not_nan("cdf(triangular_distribution)", x);
    return triangular_distribution::cdf_raw(d.min(), d.mode(), d.max(), x);
}

namespace detail {
inline double triangular_quantile_unchecked(double a, double m, double b, double p) noexcept {
    const double fm = (m - a) / (b - a);
    const double x = p <= fm ? a + std::sqrt(p * (b - a) * (m - a))
                             : b - std::sqrt((1.0 - p) * (b - a) * (b - m));
    return std::clamp(x, a, b);
}
}  // namespace detail

/// Closed form: a + sqrt(p (b-a)(m-a)) for p <= (m-a)/(b-a), else b - sqrt((1-p)(b-a)(b-m)).
/// \throws invalid_argument for p outside [0, 1].
inline double quantile(const triangular_distribution& d, double p) {
    detail::check_quantile_level("quantile(triangular_distribution)", p);
    return detail::triangular_quantile_unchecked(d.min(), d.mode(), d.max(), p);
}
/// Batch quantile. \throws invalid_argument if some p[i] is outside [0, 1].
inline void quantile(const triangular_distribution& d, const double* p, double* x, std::size_t n) {
    detail::check_quantile_levels("quantile(triangular_distribution)", p, n);
    const double a = d.min(), m = d.mode(), b = d.max();
    for (std::size_t i = 0; i < n; ++i) x[i] = detail::triangular_quantile_unchecked(a, m, b, p[i]);
}
/// Same as `quantile` (closed form).
inline double exact_quantile(const triangular_distribution& d, double p) { return quantile(d, p); }
/// Mean (a + m + b)/3.
inline double mean(const triangular_distribution& d) noexcept {
    return (d.min() + d.mode() + d.max()) / 3.0;
}
/// Variance (a^2 + b^2 + m^2 - ab - am - bm)/18.
inline double variance(const triangular_distribution& d) noexcept {
    const double a = d.min(), m = d.mode(), b = d.max();
    return (a * a + b * b + m * m - a * b - a * m - b * m) / 18.0;
}
/// Support {min, max}.
inline std::pair<double, double> support(const triangular_distribution& d) noexcept {
    return {d.min(), d.max()};
}

}  // namespace offroi
