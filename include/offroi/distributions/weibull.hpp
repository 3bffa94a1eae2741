#pragma once
/// \file
/// The Weibull distribution with shape k and scale lambda:
/// F(x) = 1 - exp(-(x/lambda)^k) on x >= 0, quantile Q(p) = lambda (-log(1 - p))^(1/k)
/// in closed form, so no fast-quantile table is needed.

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <tuple>
#include <utility>

#include "offroi/detail/checks.hpp"
#include "offroi/distributions/detail/distribution_checks.hpp"
#include "offroi/distributions/detail/two_point_fit.hpp"
#include "offroi/distributions/quantile_point.hpp"
#include "offroi/error.hpp"

namespace offroi {

/// Weibull distribution, shape k > 0 and scale lambda > 0.
/// Holds its parameters only; every operation is a free function found by ADL.
class weibull_distribution {
public:
    /// \param shape k, finite and > 0.
    /// \param scale lambda, finite and > 0.
    /// \throws invalid_argument naming the parameter and its value otherwise.
    explicit weibull_distribution(double shape, double scale = 1.0) : shape_(shape), scale_(scale) {
        detail::check_positive_finite("weibull_distribution", "shape", shape);
        detail::check_positive_finite("weibull_distribution", "scale", scale);
    }

    /// Shape parameter k.
    double shape() const noexcept { return shape_; }
    /// Scale parameter lambda.
    double scale() const noexcept { return scale_; }

    /// The Weibull distribution whose quantiles at `a.p` and `b.p` are `a.x` and `b.x`.
    ///
    /// Closed form: log Q(p) = log lambda + (1/k) log(-log(1 - p)), a straight line in
    /// w(p) = log(-log(1 - p)), so 1/k = (log x_hi - log x_lo) / (w_hi - w_lo) and
    /// lambda = x_lo exp(-w_lo / k).
    /// \param a, b percentile points in either order; p in (0, 1), distinct; x finite and > 0,
    ///        the larger p with the larger x.
    /// \throws invalid_argument if the points are invalid.
    static weibull_distribution from_percentiles(quantile_point a, quantile_point b) {
        constexpr const char* fn = "weibull_distribution::from_percentiles";
        std::tie(a, b) = detail::ordered_percentile_pair(fn, a, b, true);
        const double w_lo = std::log(-std::log1p(-a.p));
        const double w_hi = std::log(-std::log1p(-b.p));
        const double inv_k = (std::log(b.x) - std::log(a.x)) / (w_hi - w_lo);
        const double k = 1.0 / inv_k;
        const double lambda = a.x * std::exp(-w_lo * inv_k);
        if (!std::isfinite(k) || !std::isfinite(lambda) || !(k > 0.0) || !(lambda > 0.0))
            detail::throw_invalid(fn, "x ratio (high / low)", b.x / a.x,
                                  "gives no finite Weibull shape and scale");
        return weibull_distribution(k, lambda);
    }

private:
    double shape_;
    double scale_;
};

/// Density k/lambda (x/lambda)^(k-1) exp(-(x/lambda)^k); 0 for x < 0; at x = 0 it is +inf
/// for k < 1, 1/lambda for k = 1 and 0 for k > 1.
inline double pdf(const weibull_distribution& d, double x) {
    detail::check_not_nan("pdf(weibull_distribution)", x);
    if (std::isinf(x)) return 0.0;
    const double k = d.shape(), l = d.scale();
    if (x < 0.0) return 0.0;
    if (x == 0.0) {
        if (k < 1.0) return std::numeric_limits<double>::infinity();
        return k == 1.0 ? 1.0 / l : 0.0;
    }
    const double z = x / l;
    const double zk = std::pow(z, k);
    return k / l * zk / z * std::exp(-zk);
}

/// P(X <= x) = 1 - exp(-(x/lambda)^k), computed as -expm1(.) for accuracy near 0.
inline double cdf(const weibull_distribution& d, double x) {
    if (std::isnan(x)) detail::throw_invalid("cdf(weibull_distribution)", "x", x, "must not be NaN");
    if (x <= 0.0) return 0.0;
    return -std::expm1(-std::pow(x / d.scale(), d.shape()));
}

/// lambda (-log1p(-p))^(1/k); quantile(0) = 0, quantile(1) = +inf.
/// \throws invalid_argument if p is not in [0, 1].
inline double quantile(const weibull_distribution& d, double p) {
    detail::check_quantile_level("quantile(weibull_distribution)", p);
    if (p == 1.0) return std::numeric_limits<double>::infinity();
    if (p == 0.0) return 0.0;
    return d.scale() * std::exp((1.0 / d.shape()) * std::log(-std::log1p(-p)));
}

/// Batch quantile: x[i] = quantile(d, p[i]) for i in [0, n).
/// \throws invalid_argument at the first p[i] outside [0, 1].
inline void quantile(const weibull_distribution& d, const double* p, double* x, std::size_t n) {
    detail::check_quantile_levels("quantile(weibull_distribution)", p, n);
    const double inv_k = 1.0 / d.shape(), l = d.scale();
    for (std::size_t i = 0; i < n; ++i) {
        const double pi = p[i];
        // exp(log(w) / k) rather than pow(w, 1/k): about twice as fast here, and the same
        // accuracy to a few ulps (|log w / k| stays moderate for p in (0, 1)).
        x[i] = pi == 1.0 ? std::numeric_limits<double>::infinity() : l * std::exp(inv_k * std::log(-std::log1p(-pi)));
    }
}

/// The exact quantile: the same closed form or search as `quantile` (no table involved).
/// \throws invalid_argument if p is not in [0, 1].
inline double exact_quantile(const weibull_distribution& d, double p) { return quantile(d, p); }

/// lambda Gamma(1 + 1/k).
inline double mean(const weibull_distribution& d) noexcept {
    return d.scale() * std::tgamma(1.0 + 1.0 / d.shape());
}

/// lambda^2 (Gamma(1 + 2/k) - Gamma(1 + 1/k)^2), evaluated as
/// lambda^2 Gamma(1+1/k)^2 expm1(lgamma(1+2/k) - 2 lgamma(1+1/k)) to avoid cancellation
/// for large k; +inf when Gamma(1 + 2/k) overflows (k below about 0.0117).
inline double variance(const weibull_distribution& d) noexcept {
    const double a = 1.0 + 1.0 / d.shape(), b = 1.0 + 2.0 / d.shape();
    const double g1 = std::tgamma(a);
    const double r = std::expm1(std::lgamma(b) - 2.0 * std::lgamma(a));
    const double v = d.scale() * d.scale() * g1 * g1 * r;
    return std::isnan(v) ? std::numeric_limits<double>::infinity() : v;
}

/// [0, +inf).
inline std::pair<double, double> support(const weibull_distribution&) noexcept {
    return {0.0, std::numeric_limits<double>::infinity()};
}

}  // namespace offroi
