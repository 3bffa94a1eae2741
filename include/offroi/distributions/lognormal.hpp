#pragma once
/// \file
/// `offroi::lognormal_distribution`: X = exp(Y), Y ~ normal(mu, sigma). Closed forms through
/// `detail::normal_quantile` and `detail::normal_cdf`.

#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>
#include <tuple>
#include <utility>

#include "offroi/detail/checks.hpp"
#include "offroi/distributions/detail/distribution_checks.hpp"
#include "offroi/distributions/detail/normal_math.hpp"
#include "offroi/distributions/detail/two_point_fit.hpp"
#include "offroi/distributions/quantile_point.hpp"
#include "offroi/error.hpp"

namespace offroi {

/// Lognormal distribution: log X ~ normal(mu, sigma); mu finite, sigma finite and > 0.
class lognormal_distribution {
public:
    /// \param mu mean of log X, finite.  \param sigma sd of log X, finite and > 0.
    /// \throws invalid_argument naming the parameter and its value otherwise.
    lognormal_distribution(double mu, double sigma) : mu_(mu), sigma_(sigma) {
        detail::check_finite("lognormal_distribution", "mu", mu);
        detail::check_positive_finite("lognormal_distribution", "sigma", sigma);
    }

    /// mu (location of log X).
    double mu() const noexcept { return mu_; }
    /// sigma (scale of log X).
    double sigma() const noexcept { return sigma_; }

    /// The lognormal with quantiles a.x at a.p and b.x at b.p (either order), fitted on the
    /// log scale: sigma = (log x_hi - log x_lo)/(z_hi - z_lo), mu = log x_lo - sigma z_lo.
    /// \throws invalid_argument if a p is outside (0, 1), the p are equal, an x is not
    ///         finite and > 0, or the larger p does not have the larger x.
    static lognormal_distribution from_percentiles(quantile_point a, quantile_point b) {
        constexpr const char* fn = "lognormal_distribution::from_percentiles";
        std::tie(a, b) = detail::ordered_percentile_pair(fn, a, b, true);
        const double za = detail::normal_quantile(a.p), zb = detail::normal_quantile(b.p);
        const double sigma = std::log(b.x / a.x) / (zb - za);
        return lognormal_distribution(std::log(a.x) - sigma * za, sigma);
    }

private:
    double mu_, sigma_;
};

/// Density exp(-(log x - mu)^2 / (2 sigma^2)) / (x sigma sqrt(2 pi)) for x > 0, else 0.
/// \throws invalid_argument for NaN x.
inline double pdf(const lognormal_distribution& d, double x) {
    detail::check_not_nan("pdf(lognormal_distribution)", x);
    if (!(x > 0.0) || std::isinf(x)) return 0.0;
    const double z = (std::log(x) - d.mu()) / d.sigma();
    return std::exp(-0.5 * z * z) * (0.5 * std::numbers::inv_sqrtpi * std::numbers::sqrt2) /
           (x * d.sigma());
}
/// Phi((log x - mu)/sigma) for x > 0, 0 for x <= 0. \throws for NaN x.
inline double cdf(const lognormal_distribution& d, double x) {
    detail::check_not_nan("cdf(lognormal_distribution)", x);
    if (!(x > 0.0)) return 0.0;
    return detail::normal_cdf((std::log(x) - d.mu()) / d.sigma());
}
/// exp(mu + sigma Phi^{-1}(p)); 0 at p = 0, +inf at p = 1.
/// \throws invalid_argument for p outside [0, 1].
inline double quantile(const lognormal_distribution& d, double p) {
    detail::check_quantile_level("quantile(lognormal_distribution)", p);
    return std::exp(d.mu() + d.sigma() * detail::normal_quantile(p));
}
/// Batch quantile. \throws invalid_argument if some p[i] is outside [0, 1].
inline void quantile(const lognormal_distribution& d, const double* p, double* x, std::size_t n) {
    detail::check_quantile_levels("quantile(lognormal_distribution)", p, n);
    detail::normal_quantile(p, x, n);
    const double m = d.mu(), s = d.sigma();
    for (std::size_t i = 0; i < n; ++i) x[i] = std::exp(m + s * x[i]);
}
/// Same as `quantile` (closed form).
inline double exact_quantile(const lognormal_distribution& d, double p) { return quantile(d, p); }
/// Mean exp(mu + sigma^2/2).
inline double mean(const lognormal_distribution& d) noexcept {
    return std::exp(d.mu() + 0.5 * d.sigma() * d.sigma());
}
/// Variance (exp(sigma^2) - 1) exp(2 mu + sigma^2).
inline double variance(const lognormal_distribution& d) noexcept {
    const double s2 = d.sigma() * d.sigma();
    return std::expm1(s2) * std::exp(2.0 * d.mu() + s2);
}
/// Support {0, +inf}.
inline std::pair<double, double> support(const lognormal_distribution&) noexcept {
    return {0.0, std::numeric_limits<double>::infinity()};
}

}  // namespace offroi
