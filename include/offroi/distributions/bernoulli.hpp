#pragma once
/// \file
/// The Bernoulli distribution: 1 with probability p, 0 otherwise (a risk event that
/// happens or not).

#include <cmath>
#include <cstddef>
#include <utility>

#include "offroi/detail/checks.hpp"
#include "offroi/distributions/detail/distribution_checks.hpp"
#include "offroi/error.hpp"

namespace offroi {

/// Bernoulli distribution on {0, 1} with success probability p in [0, 1].
/// Holds its parameter only; every operation is a free function found by ADL.
class bernoulli_distribution {
public:
    /// \param p probability of the value 1, in [0, 1].
    /// \throws invalid_argument naming `p` and its value otherwise (NaN included).
    explicit bernoulli_distribution(double p) : p_(p) {
        detail::check_probability("bernoulli_distribution", "p", p);
    }

    /// Success probability P(X = 1).
    double probability() const noexcept { return p_; }

private:
    double p_;
};

/// P(X = x): 1 - p at 0, p at 1, 0 elsewhere.
inline double pmf(const bernoulli_distribution& d, double x) {
    if (std::isnan(x)) detail::throw_invalid("pmf(bernoulli_distribution)", "x", x, "must not be NaN");
    if (x == 0.0) return 1.0 - d.probability();
    if (x == 1.0) return d.probability();
    return 0.0;
}

/// P(X <= x): 0 below 0, 1 - p on [0, 1), 1 from 1 on.
inline double cdf(const bernoulli_distribution& d, double x) {
    if (std::isnan(x)) detail::throw_invalid("cdf(bernoulli_distribution)", "x", x, "must not be NaN");
    if (x < 0.0) return 0.0;
    if (x < 1.0) return 1.0 - d.probability();
    return 1.0;
}

/// Smallest k in {0, 1} with cdf(k) >= u: 0 when u <= 1 - p, else 1.
/// So a uniform u in (0, 1) gives 1 with probability p exactly.
/// \throws invalid_argument if u is not in [0, 1].
inline double quantile(const bernoulli_distribution& d, double u) {
    detail::check_quantile_level("quantile(bernoulli_distribution)", u);
    return u <= 1.0 - d.probability() ? 0.0 : 1.0;
}

/// Batch quantile: x[i] = quantile(d, p[i]) for i in [0, n).
/// \throws invalid_argument at the first p[i] outside [0, 1].
inline void quantile(const bernoulli_distribution& d, const double* p, double* x, std::size_t n) {
    detail::check_quantile_levels("quantile(bernoulli_distribution)", p, n);
    const double q = 1.0 - d.probability();
    for (std::size_t i = 0; i < n; ++i) x[i] = p[i] <= q ? 0.0 : 1.0;
}

/// The exact quantile: the same closed form or search as `quantile` (no table involved).
/// \throws invalid_argument if p is not in [0, 1].
inline double exact_quantile(const bernoulli_distribution& d, double p) { return quantile(d, p); }

/// p.
inline double mean(const bernoulli_distribution& d) noexcept { return d.probability(); }
/// p (1 - p).
inline double variance(const bernoulli_distribution& d) noexcept {
    return d.probability() * (1.0 - d.probability());
}
/// [0, 1] (the smallest and largest possible values).
inline std::pair<double, double> support(const bernoulli_distribution&) noexcept { return {0.0, 1.0}; }

}  // namespace offroi
