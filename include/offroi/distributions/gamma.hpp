#pragma once
/// \file
/// The gamma distribution with shape k and scale theta, density
/// f(x) = x^(k-1) exp(-x/theta) / (Gamma(k) theta^k) on x >= 0.
/// Boost.Math supplies the exact cdf (regularised incomplete gamma); `quantile` uses a
/// `detail::fast_quantile` table of the standard gamma (scale 1) built once at construction
/// (about 1-2 ms for moderate shapes, 25 ms at k = 1e5, 0.4 s at k = 1e8; shared by copies;
/// error below 1e-9 relative to max(|x|, IQR), measured 1e-10 at k = 0.3, 4e-11 at k = 1,
/// 3e-12 at k = 40; shapes below 0.25 use Boost's inverse instead), and
/// `exact_quantile` calls Boost's inverse (about a microsecond or more per call).
/// `from_percentiles` fits (k, theta) to two percentiles.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <tuple>
#include <utility>

#include "offroi/detail/checks.hpp"
#include "offroi/distributions/detail/distribution_checks.hpp"
#include "offroi/distributions/detail/fast_quantile.hpp"
#include "offroi/distributions/detail/normal_math.hpp"
#include "offroi/distributions/detail/special_functions.hpp"
#include "offroi/distributions/detail/two_point_fit.hpp"
#include "offroi/distributions/quantile_point.hpp"
#include "offroi/error.hpp"

namespace offroi {

/// Gamma distribution, shape k > 0 and scale theta > 0 (mean k*theta, variance k*theta^2).
/// Holds its parameters only; every operation is a free function found by ADL.
class gamma_distribution {
public:
    /// Largest shape: the quantile table builds in about 0.06 s there (2 s at 1e9); a
    /// gamma with a larger shape is a normal to within 1e-3 in its quantiles.
    static constexpr double max_shape = 1e6;

    /// \param shape k, finite, > 0 and <= max_shape (1e6).
    /// \param scale theta, finite and > 0.
    /// \throws invalid_argument naming the parameter and its value otherwise.
    explicit gamma_distribution(double shape, double scale = 1.0) : shape_(shape), scale_(scale) {
        detail::check_positive_finite("gamma_distribution", "shape", shape);
        if (shape > max_shape)
            detail::throw_invalid("gamma_distribution", "shape", shape,
                                  "must be <= 1e6 (a larger shape is a normal; use normal or truncated_normal)");
        detail::check_positive_finite("gamma_distribution", "scale", scale);
        if (shape < min_table_shape) return;  // no table: quantile calls Boost's inverse
        table_ = detail::math::gamma_table(shape);
    }

    /// Below this shape the quantile near p = 0 is too steep for the table's 1e-9 bound
    /// (measured: 8.8e-10 at k = 0.1, 1.3e-8 at 0.05, 2.7e-5 at 0.02), so `quantile` calls
    /// Boost's exact inverse instead (about 5 us per value).
    static constexpr double min_table_shape = 0.25;

    /// Shape parameter k.
    double shape() const noexcept { return shape_; }
    /// Scale parameter theta.
    double scale() const noexcept { return scale_; }
    /// The fast quantile table of the standard gamma (shape k, scale 1); not `valid()` when
    /// shape < min_table_shape.
    const detail::fast_quantile& standard_quantile_table() const noexcept { return table_; }

    /// The gamma distribution whose quantiles at `a.p` and `b.p` are `a.x` and `b.x`.
    ///
    /// The ratio Q(k, p_hi) / Q(k, p_lo) of standard-gamma quantiles falls strictly from
    /// infinity to 1 as the shape k grows, so k is the root of
    /// log Q(k, p_hi) - log Q(k, p_lo) = log(x_hi / x_lo), found in log k by TOMS 748
    /// (Boost.Math) on k in [1e-2, 1e10], bracketed around a normal-approximation start;
    /// then theta = x_lo / Q(k, p_lo). About 1-3 ms.
    /// \param a, b percentile points in either order; p in (0, 1), distinct; x finite and > 0,
    ///        the larger p with the larger x.
    /// \throws invalid_argument if the points are invalid or the requested spread lies
    ///         outside what a gamma with k in [1e-2, 1e10] can give (the message says which).
    static gamma_distribution from_percentiles(quantile_point a, quantile_point b) {
        constexpr const char* fn = "gamma_distribution::from_percentiles";
        std::tie(a, b) = detail::ordered_percentile_pair(fn, a, b, true);
        const double target = std::log(b.x / a.x);
        auto g = [&](double u) {
            const double k = std::exp(u);
            return std::log(detail::math::gamma_p_inv(k, b.p)) -
                   std::log(detail::math::gamma_p_inv(k, a.p)) - target;
        };
        // Bracket around a normal-approximation start (sd from the z-score spread, k = (mean/sd)^2),
        // widening by 16x per step within [1e-2, 1e10]; Boost's inverse is slow at huge k, so
        // the far ends are only evaluated when the answer lies there.
        const double u_min = std::log(1e-2), u_max = std::log(1e10);
        const double z_a = detail::normal_quantile(a.p), z_b = detail::normal_quantile(b.p);
        const double sd = (b.x - a.x) / (z_b - z_a), m = a.x - z_a * sd;
        const double k0 = m > 0.0 ? (m / sd) * (m / sd) : 1.0;
        const double u0 = std::clamp(std::log(k0), u_min, u_max);
        double u_lo = std::max(u_min, u0 - std::log(4.0)), u_hi = std::min(u_max, u0 + std::log(4.0));
        double g_lo = g(u_lo), g_hi = g(u_hi);
        while (g_lo < 0.0 && u_lo > u_min) {
            u_hi = u_lo;
            g_hi = g_lo;
            u_lo = std::max(u_min, u_lo - std::log(16.0));
            g_lo = g(u_lo);
        }
        while (g_hi > 0.0 && u_hi < u_max) {
            u_lo = u_hi;
            g_lo = g_hi;
            u_hi = std::min(u_max, u_hi + std::log(16.0));
            g_hi = g(u_hi);
        }
        if (!(g_lo >= 0.0))
            detail::throw_invalid(fn, "x ratio (high / low)", b.x / a.x,
                                  "is more skewed than any gamma with shape >= 0.01 allows; use a lognormal or metalog");
        if (!(g_hi <= 0.0))
            detail::throw_invalid(fn, "x ratio (high / low)", b.x / a.x,
                                  "is narrower than any gamma with shape <= 1e10 allows; use a normal");
        if (g_lo == 0.0) u_hi = u_lo;
        if (g_hi == 0.0) u_lo = u_hi;
        std::uintmax_t iters = 200;
        auto tol = [](double l, double h) { return std::abs(h - l) <= 1e-15 * std::max(1.0, std::abs(l)); };
        double k = std::exp(u_lo);
        if (u_lo != u_hi) {
            auto r = detail::math::toms748(g, u_lo, u_hi, g_lo, g_hi, tol, iters);
            k = std::exp(0.5 * (r.first + r.second));
        }
        const double theta = a.x / detail::math::gamma_p_inv(k, a.p);
        return gamma_distribution(k, theta);
    }

private:
    double shape_;
    double scale_;
    detail::fast_quantile table_;
};

/// Density; +inf at x = 0 when shape < 1, 0 for x < 0.
inline double pdf(const gamma_distribution& d, double x) {
    detail::check_not_nan("pdf(gamma_distribution)", x);
    if (std::isinf(x)) return 0.0;
    if (x < 0.0) return 0.0;
    if (x == 0.0) {
        if (d.shape() < 1.0) return std::numeric_limits<double>::infinity();
        return d.shape() == 1.0 ? 1.0 / d.scale() : 0.0;
    }
    // gamma_p_derivative(k, z) = z^(k-1) e^-z / Gamma(k): the standard density.
    return detail::math::gamma_p_derivative(d.shape(), x / d.scale()) / d.scale();
}

/// P(X <= x) = P(k, x / theta), the regularised lower incomplete gamma function.
/// x may be +-inf; NaN throws.
inline double cdf(const gamma_distribution& d, double x) {
    if (std::isnan(x)) detail::throw_invalid("cdf(gamma_distribution)", "x", x, "must not be NaN");
    if (x <= 0.0) return 0.0;
    if (std::isinf(x)) return 1.0;
    return detail::math::gamma_p(d.shape(), x / d.scale());
}

/// Boost.Math's exact inverse theta * P^-1(k, p) (slow).
/// \throws invalid_argument if p is not in [0, 1].
inline double exact_quantile(const gamma_distribution& d, double p) {
    detail::check_quantile_level("exact_quantile(gamma_distribution)", p);
    if (p == 0.0) return 0.0;
    if (p == 1.0) return std::numeric_limits<double>::infinity();
    return d.scale() * detail::math::gamma_p_inv(d.shape(), p);
}

/// Fast tabulated quantile theta * Q_k(p) (error below 1e-9 relative to
/// max(|x|, interquartile range), tails included; see fast_quantile.hpp).
/// quantile(0) = 0, quantile(1) = +inf.
/// \throws invalid_argument if p is not in [0, 1].
inline double quantile(const gamma_distribution& d, double p) {
    detail::check_quantile_level("quantile(gamma_distribution)", p);
    if (!d.standard_quantile_table().valid()) [[unlikely]]
        return exact_quantile(d, p);
    return d.scale() * d.standard_quantile_table()(p);
}

/// Batch fast quantile: x[i] = quantile(d, p[i]) for i in [0, n).
/// \throws invalid_argument naming the first p[i] outside [0, 1].
inline void quantile(const gamma_distribution& d, const double* p, double* x, std::size_t n) {
    detail::check_quantile_levels("quantile(gamma_distribution)", p, n);
    if (!d.standard_quantile_table().valid()) [[unlikely]] {
        for (std::size_t i = 0; i < n; ++i) x[i] = exact_quantile(d, p[i]);
        return;
    }
    d.standard_quantile_table()(p, x, n);
    const double theta = d.scale();
    for (std::size_t i = 0; i < n; ++i) x[i] *= theta;
}

/// k * theta.
inline double mean(const gamma_distribution& d) noexcept { return d.shape() * d.scale(); }
/// k * theta^2.
inline double variance(const gamma_distribution& d) noexcept { return d.shape() * d.scale() * d.scale(); }
/// [0, +inf).
inline std::pair<double, double> support(const gamma_distribution&) noexcept {
    return {0.0, std::numeric_limits<double>::infinity()};
}

}  // namespace offroi
