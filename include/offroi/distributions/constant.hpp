#pragma once
/// \file
/// `offroi::constant_distribution`: a point mass (an input that is known exactly).

#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>

#include "offroi/detail/checks.hpp"
#include "offroi/distributions/detail/distribution_checks.hpp"

namespace offroi {

/// All mass at one value. It has no density, so there is no `pdf`. The value may be
/// infinite (a seat that is never filled: `time_to_fill_months` = inf); the fields that
/// cannot take infinity refuse it in `validate`.
class constant_distribution {
public:
    /// \param value the value: finite or +inf.
    /// \throws invalid_argument naming `value` otherwise (NaN, -inf).
    explicit constant_distribution(double value) : value_(value) {
        if (std::isnan(value) || value == -std::numeric_limits<double>::infinity())
            detail::throw_invalid("constant_distribution", "value", value, "must be finite or +inf");
    }
    /// The value.
    double value() const noexcept { return value_; }

private:
    double value_;
};

/// P(X <= x): 0 below the value, 1 at and above it. \throws invalid_argument for NaN x.
inline double cdf(const constant_distribution& d, double x) {
    detail::check_not_nan("cdf(constant_distribution)", x);
    return x < d.value() ? 0.0 : 1.0;
}
/// The value, for every p in [0, 1]. \throws invalid_argument for p outside [0, 1].
inline double quantile(const constant_distribution& d, double p) {
    detail::check_quantile_level("quantile(constant_distribution)", p);
    return d.value();
}
/// Batch quantile: x[i] = value. \throws invalid_argument if some p[i] is outside [0, 1].
inline void quantile(const constant_distribution& d, const double* p, double* x, std::size_t n) {
    detail::check_quantile_levels("quantile(constant_distribution)", p, n);
    for (std::size_t i = 0; i < n; ++i) x[i] = d.value();
}
/// Same as `quantile` (the quantile is exact).
inline double exact_quantile(const constant_distribution& d, double p) { return quantile(d, p); }
/// Mean = value.
inline double mean(const constant_distribution& d) noexcept { return d.value(); }
/// Variance = 0.
inline double variance(const constant_distribution&) noexcept { return 0.0; }
/// Support {value, value}.
inline std::pair<double, double> support(const constant_distribution& d) noexcept {
    return {d.value(), d.value()};
}

}  // namespace offroi
