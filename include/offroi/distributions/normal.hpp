#pragma once
/// \file
/// `offroi::normal_distribution`: the normal (Gaussian) distribution. Closed forms through
/// `detail::normal_quantile` (AS 241) and `detail::normal_cdf` (erfc with tail correction).

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

/// Normal distribution with mean mu (finite) and standard deviation sigma (finite, > 0).
class normal_distribution {
public:
    /// \param mean mu, finite.  \param sd sigma, finite and > 0.
    /// \throws invalid_argument naming the parameter and its value otherwise.
    normal_distribution(double mean, double sd) : mean_(mean), sd_(sd) {
        detail::check_finite("normal_distribution", "mean", mean);
        detail::check_positive_finite("normal_distribution", "sd", sd);
    }

    /// Mean mu.
    double mean() const noexcept { return mean_; }
    /// Standard deviation sigma.
    double sd() const noexcept { return sd_; }

    /// The normal distribution with quantiles a.x at a.p and b.x at b.p (either order):
    /// sigma = (x_hi - x_lo) / (z_hi - z_lo), mu = x_lo - sigma z_lo, z = Phi^{-1}(p).
    /// \throws invalid_argument if a p is outside (0, 1), the p are equal, an x is not
    ///         finite or the larger p does not have the larger x.
    static normal_distribution from_percentiles(quantile_point a, quantile_point b) {
        constexpr const char* fn = "normal_distribution::from_percentiles";
        std::tie(a, b) = detail::ordered_percentile_pair(fn, a, b, false);
        const double za = detail::normal_quantile(a.p), zb = detail::normal_quantile(b.p);
        const double sd = (b.x - a.x) / (zb - za);
        return normal_distribution(a.x - sd * za, sd);
    }

private:
    double mean_, sd_;
};

/// Density exp(-z^2/2) / (sigma sqrt(2 pi)), z = (x - mu)/sigma. \throws for NaN x.
inline double pdf(const normal_distribution& d, double x) {
    detail::check_not_nan("pdf(normal_distribution)", x);
    const double z = (x - d.mean()) / d.sd();
    return std::exp(-0.5 * z * z) * (0.5 * std::numbers::inv_sqrtpi * std::numbers::sqrt2) / d.sd();
}
/// Phi((x - mu)/sigma), relatively accurate in the lower tail. \throws for NaN x.
inline double cdf(const normal_distribution& d, double x) {
    detail::check_not_nan("cdf(normal_distribution)", x);
    return detail::normal_cdf((x - d.mean()) / d.sd());
}
/// mu + sigma Phi^{-1}(p); -inf at p = 0, +inf at p = 1.
/// \throws invalid_argument for p outside [0, 1].
inline double quantile(const normal_distribution& d, double p) {
    detail::check_quantile_level("quantile(normal_distribution)", p);
    return d.mean() + d.sd() * detail::normal_quantile(p);
}
/// Batch quantile (vectorised AS 241). \throws invalid_argument if some p[i] is outside [0, 1].
inline void quantile(const normal_distribution& d, const double* p, double* x, std::size_t n) {
    detail::check_quantile_levels("quantile(normal_distribution)", p, n);
    detail::normal_quantile(p, x, n);
    const double m = d.mean(), s = d.sd();
    for (std::size_t i = 0; i < n; ++i) x[i] = m + s * x[i];
}
/// Same as `quantile` (AS 241 is already accurate to about 1e-16).
inline double exact_quantile(const normal_distribution& d, double p) { return quantile(d, p); }
/// Mean mu.
inline double mean(const normal_distribution& d) noexcept { return d.mean(); }
/// Variance sigma^2.
inline double variance(const normal_distribution& d) noexcept { return d.sd() * d.sd(); }
/// Support {-inf, +inf}.
inline std::pair<double, double> support(const normal_distribution&) noexcept {
    return {-std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
}

}  // namespace offroi
