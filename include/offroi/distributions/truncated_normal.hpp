#pragma once
/// \file
/// `offroi::truncated_normal_distribution`: normal(mean, sd) conditioned on
/// lower <= X <= upper (either bound may be infinite). Closed-form quantile through
/// `detail::normal_quantile`, so no table is needed:
///   Q(p) = mu + sigma Phi^{-1}(Phi(alpha) + p Z),  alpha = (lower - mu)/sigma,
///   beta = (upper - mu)/sigma,  Z = Phi(beta) - Phi(alpha).
/// When the interval lies mostly above the mean (alpha + beta > 0) the computation is done
/// on the mirrored distribution, -X, whose interval lies mostly below its mean, so Phi is
/// evaluated where it has full relative accuracy; intervals up to ~37 sd into a tail work.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>
#include <string>
#include <utility>

#include "offroi/detail/checks.hpp"
#include "offroi/distributions/detail/distribution_checks.hpp"
#include "offroi/distributions/detail/normal_math.hpp"
#include "offroi/error.hpp"

namespace offroi {

/// Truncated normal: parent normal(mean, sd), truncated to [lower, upper].
class truncated_normal_distribution {
public:
    /// \param mean, sd the parent normal's mean (finite) and standard deviation (finite, > 0).
    /// \param lower, upper the truncation bounds, lower < upper; lower may be -inf and upper
    ///        +inf (both infinite gives the parent normal).
    /// \throws invalid_argument naming the parameter and its value if a parameter is out of
    ///         range or the interval has (numerically) zero probability under the parent.
    truncated_normal_distribution(double mean, double sd, double lower, double upper)
        : mean_(mean), sd_(sd), lower_(lower), upper_(upper) {
        constexpr const char* fn = "truncated_normal_distribution";
        detail::check_finite(fn, "mean", mean);
        detail::check_positive_finite(fn, "sd", sd);
        if (std::isnan(lower) || lower == std::numeric_limits<double>::infinity())
            detail::throw_invalid(fn, "lower", lower, "must be finite or -inf");
        if (std::isnan(upper) || upper == -std::numeric_limits<double>::infinity())
            detail::throw_invalid(fn, "upper", upper, "must be finite or +inf");
        if (!(lower < upper))
            detail::throw_invalid(fn, "lower", lower, "must be < upper = " + detail::format_value(upper));
        alpha_ = (lower - mean) / sd;
        beta_ = (upper - mean) / sd;
        flip_ = alpha_ + beta_ > 0.0;
        // Working interval [wa, wb] (mirrored if flip_), mostly below 0.
        const double wa = flip_ ? -beta_ : alpha_, wb = flip_ ? -alpha_ : beta_;
        phi_a_ = detail::normal_cdf(wa);
        phi_b_ = detail::normal_cdf(wb);
        z_ = phi_b_ - phi_a_;
        if (!(z_ >= std::numeric_limits<double>::min()))
            detail::throw_invalid(fn, flip_ ? "lower" : "upper", flip_ ? lower : upper,
                                  "leaves an interval of probability " + detail::format_value(z_) +
                                      " under normal(mean, sd); it must be >= 2.2e-308");
    }

    /// Mean of the parent normal.
    double mean() const noexcept { return mean_; }
    /// Standard deviation of the parent normal.
    double sd() const noexcept { return sd_; }
    /// Lower truncation bound (may be -inf).
    double lower() const noexcept { return lower_; }
    /// Upper truncation bound (may be +inf).
    double upper() const noexcept { return upper_; }
    /// Probability of [lower, upper] under the parent normal.
    double mass() const noexcept { return z_; }

    /// Quantile without argument check (p in [0, 1]).
    double quantile_unchecked(double p) const noexcept {
        // Unflipped: Phi^{-1}(Phi(wa) + p Z); flipped: -Phi^{-1}(Phi(wb) - p Z).
        const double w = flip_ ? -detail::normal_quantile(std::max(phi_b_ - p * z_, 0.0))
                               : detail::normal_quantile(std::min(phi_a_ + p * z_, 1.0));
        return std::clamp(mean_ + sd_ * w, lower_, upper_);
    }
    /// cdf without argument check.
    double cdf_unchecked(double x) const noexcept {
        if (x <= lower_) return 0.0;
        if (x >= upper_) return 1.0;
        const double xi = (x - mean_) / sd_;
        if (!flip_) return std::clamp((detail::normal_cdf(xi) - phi_a_) / z_, 0.0, 1.0);
        // Mirrored: F(x) = P(alpha < N < xi)/Z = (Phi(-alpha) - Phi(-xi))/Z.
        return std::clamp((phi_b_ - detail::normal_cdf(-xi)) / z_, 0.0, 1.0);
    }
    /// Standardised bounds (alpha, beta) = ((lower - mean)/sd, (upper - mean)/sd).
    std::pair<double, double> standardized_bounds() const noexcept { return {alpha_, beta_}; }

private:
    double mean_, sd_, lower_, upper_;
    double alpha_ = 0.0, beta_ = 0.0, phi_a_ = 0.0, phi_b_ = 0.0, z_ = 1.0;
    bool flip_ = false;
};

namespace detail {
inline double std_normal_pdf(double z) noexcept {
    return std::isinf(z) ? 0.0 : std::exp(-0.5 * z * z) * (0.5 * std::numbers::inv_sqrtpi * std::numbers::sqrt2);
}
}  // namespace detail

/// Density phi((x - mu)/sigma) / (sigma Z) on [lower, upper], 0 outside.
/// \throws invalid_argument for NaN x.
inline double pdf(const truncated_normal_distribution& d, double x) {
    detail::check_not_nan("pdf(truncated_normal_distribution)", x);
    if (x < d.lower() || x > d.upper()) return 0.0;
    return detail::std_normal_pdf((x - d.mean()) / d.sd()) / (d.sd() * d.mass());
}
/// (Phi((x - mu)/sigma) - Phi(alpha)) / Z (mirrored when the interval lies above the mean).
/// \throws invalid_argument for NaN x.
inline double cdf(const truncated_normal_distribution& d, double x) {
    detail::check_not_nan("cdf(truncated_normal_distribution)", x);
    return d.cdf_unchecked(x);
}
/// mu + sigma Phi^{-1}(Phi(alpha) + p Z), closed form; lower at p = 0, upper at p = 1.
/// \throws invalid_argument for p outside [0, 1].
inline double quantile(const truncated_normal_distribution& d, double p) {
    detail::check_quantile_level("quantile(truncated_normal_distribution)", p);
    return d.quantile_unchecked(p);
}
/// Batch quantile. \throws invalid_argument if some p[i] is outside [0, 1].
inline void quantile(const truncated_normal_distribution& d, const double* p, double* x,
                     std::size_t n) {
    detail::check_quantile_levels("quantile(truncated_normal_distribution)", p, n);
    for (std::size_t i = 0; i < n; ++i) x[i] = d.quantile_unchecked(p[i]);
}
/// Same as `quantile` (closed form).
inline double exact_quantile(const truncated_normal_distribution& d, double p) {
    return quantile(d, p);
}
/// Mean mu + sigma (phi(alpha) - phi(beta)) / Z.
inline double mean(const truncated_normal_distribution& d) noexcept {
    const auto [a, b] = d.standardized_bounds();
    return d.mean() + d.sd() * (detail::std_normal_pdf(a) - detail::std_normal_pdf(b)) / d.mass();
}
/// Variance sigma^2 [1 + (alpha phi(alpha) - beta phi(beta))/Z - ((phi(alpha) - phi(beta))/Z)^2]
/// (loses digits to cancellation for intervals far in one tail, e.g. ~4 digits at 10 sd).
inline double variance(const truncated_normal_distribution& d) noexcept {
    const auto [a, b] = d.standardized_bounds();
    const double pa = detail::std_normal_pdf(a), pb = detail::std_normal_pdf(b);
    const double apa = std::isinf(a) ? 0.0 : a * pa, bpb = std::isinf(b) ? 0.0 : b * pb;
    const double r = (pa - pb) / d.mass();
    return d.sd() * d.sd() * (1.0 + (apa - bpb) / d.mass() - r * r);
}
/// Support {lower, upper}.
inline std::pair<double, double> support(const truncated_normal_distribution& d) noexcept {
    return {d.lower(), d.upper()};
}

}  // namespace offroi
