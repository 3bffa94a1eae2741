#pragma once
/// \file
/// The Poisson distribution with mean lambda: P(X = k) = lambda^k e^-lambda / k!.
///
/// Quantile = the smallest k with cdf(k) >= p (for p > 1/2 evaluated as the smallest k with
/// P(X > k) <= 1 - p, which keeps relative accuracy where cdf(k) rounds to 1). Fast path: at
/// construction the cdf and the survival function are tabulated over the body
/// k in [lambda - 9 sd, lambda + 9 sd + 20] (exact Boost.Math values at up to ~256 anchors,
/// the pmf recurrence in between: relative error below 5e-13), with a guide table that maps
/// p to a starting index, so a quantile costs one lookup and a short scan (about 10-20 ns).
/// p below the table (lower tail beyond 9 sd) takes Boost's inverse with round-up followed
/// by an exact cdf check. When the table
/// would exceed 2^18 entries (lambda above about 2e8) the quantile starts from a
/// Cornish-Fisher guess and walks the pmf recurrence from one exact cdf value (see
/// `detail::poisson_quantile_large`): correct, but ~0.1-1 ms per value, since Boost's
/// incomplete gamma is slow at such arguments.

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "offroi/detail/checks.hpp"
#include "offroi/distributions/detail/normal_math.hpp"
#include "offroi/distributions/detail/distribution_checks.hpp"
#include "offroi/distributions/detail/special_functions.hpp"
#include "offroi/error.hpp"

namespace offroi {

namespace detail {

/// The tabulated body of a Poisson distribution, cdf and survival function; guide[g] is the
/// smallest j with cdf[j] >= g / guide.size().
struct poisson_table {
    double first = 0.0;
    std::vector<double> cdf;  ///< cdf[j] = P(X <= first + j), for p <= 1/2
    std::vector<double> sf;   ///< sf[j] = P(X > first + j), for p > 1/2 (relative accuracy near p = 1)
    std::vector<std::uint32_t> guide;
};

/// P(X <= k) for integer k >= 0: Q(k + 1, lambda), the upper regularised gamma.
inline double poisson_cdf_at(double lambda, double k) { return math::gamma_q(k + 1.0, lambda); }

}  // namespace detail

/// Poisson distribution with mean lambda > 0 (a count of events).
/// Holds its parameter and a shared, immutable cdf table (copies are cheap).
class poisson_distribution {
public:
    /// Largest table the constructor builds (entries).
    static constexpr std::size_t max_table_size = std::size_t(1) << 18;

    /// Largest mean: Boost's incomplete gamma, which the cdf and quantile need, stops
    /// converging near 3e10; a Poisson with a larger mean is a normal to within 1e-4.
    static constexpr double max_mean = 1e9;

    /// \param mean lambda, finite, > 0 and <= max_mean (1e9).
    /// \throws invalid_argument naming `mean` and its value otherwise.
    explicit poisson_distribution(double mean) : mean_(mean) {
        detail::check_positive_finite("poisson_distribution", "mean", mean);
        if (mean > max_mean)
            detail::throw_invalid("poisson_distribution", "mean", mean,
                                  "must be <= 1e9 (a larger mean is a normal; use normal)");
        const double sd = std::sqrt(mean);
        const double lo = std::max(0.0, std::floor(mean - 9.0 * sd));
        const double hi = std::ceil(mean + 9.0 * sd + 20.0);
        if (hi - lo + 1.0 > double(max_table_size)) return;
        auto t = std::make_shared<detail::poisson_table>();
        t->first = lo;
        const std::size_t n = static_cast<std::size_t>(hi - lo) + 1;
        t->cdf.resize(n);
        t->sf.resize(n);
        // Exact values (Boost.Math) at anchors every `step` entries, at most ~256 of them
        // (Boost's incomplete gamma costs ~0.1 ms at lambda ~ 1e7); in between the pmf
        // recurrence p(k+1) = p(k) lambda / (k+1) and running sums that only add: the cdf
        // forward from the exact value at the start of each block, the survival function
        // backward from the exact value at its end. Each adds at most ~2 step ulps
        // (step <= 1024: relative error below 5e-13) to the exact anchors.
        const std::size_t step = std::clamp<std::size_t>(std::bit_ceil((n + 255) / 256), 16, 1024);
        std::vector<double> pmf(n);
        for (std::size_t j = 0; j < n; ++j) {
            const double k = lo + double(j);
            if (j % step == 0) {
                t->cdf[j] = detail::poisson_cdf_at(mean, k);
                pmf[j] = detail::math::poisson_pmf(mean, k);
            } else {
                pmf[j] = pmf[j - 1] * (mean / k);
                t->cdf[j] = std::min(1.0, t->cdf[j - 1] + pmf[j]);
            }
        }
        for (std::size_t end = n; end > 0;) {
            const std::size_t begin = (end - 1) / step * step;  // block [begin, end)
            t->sf[end - 1] = detail::math::gamma_p(lo + double(end - 1) + 1.0, mean);
            for (std::size_t j = end - 1; j-- > begin;) t->sf[j] = t->sf[j + 1] + pmf[j + 1];
            end = begin;
        }
        const std::size_t g = n;
        t->guide.resize(g);
        std::size_t j = 0;
        for (std::size_t i = 0; i < g; ++i) {
            const double u = double(i) / double(g);
            while (j + 1 < n && t->cdf[j] < u) ++j;
            t->guide[i] = static_cast<std::uint32_t>(j);
        }
        table_ = std::move(t);
    }

    /// The mean lambda.
    double mean() const noexcept { return mean_; }

    /// The tabulated body (null when lambda is too large for a table); for tests and io.
    const detail::poisson_table* table() const noexcept { return table_.get(); }

private:
    double mean_;
    std::shared_ptr<const detail::poisson_table> table_;
};

/// P(X = x) for integer x >= 0, 0 for any other x.
inline double pmf(const poisson_distribution& d, double x) {
    if (std::isnan(x)) detail::throw_invalid("pmf(poisson_distribution)", "x", x, "must not be NaN");
    if (x < 0.0 || std::floor(x) != x || std::isinf(x)) return 0.0;
    return detail::math::poisson_pmf(d.mean(), x);
}

/// P(X <= x) = Q(floor(x) + 1, lambda).
inline double cdf(const poisson_distribution& d, double x) {
    if (std::isnan(x)) detail::throw_invalid("cdf(poisson_distribution)", "x", x, "must not be NaN");
    if (x < 0.0) return 0.0;
    if (std::isinf(x)) return 1.0;
    return detail::poisson_cdf_at(d.mean(), std::floor(x));
}

namespace detail {

/// The definition's quantile through Boost.Math (round-up policy), then an exact check
/// against the cdf so ties and Boost's inexact inverse cannot move the answer by one.
inline double poisson_quantile_boost(double lambda, double p) {
    double k = math::poisson_quantile_round_up(lambda, p);
    while (k > 0.0 && poisson_cdf_at(lambda, k - 1.0) >= p) k -= 1.0;
    while (poisson_cdf_at(lambda, k) < p) k += 1.0;
    return k;
}

/// Quantile for large lambda without a table: a Cornish-Fisher start
/// k0 = lambda + sqrt(lambda) z + (z^2 - 1)/6 (z the normal quantile of p), one exact cdf (or,
/// for p > 1/2, survival function, so the upper tail keeps relative accuracy) and pmf there
/// (Boost.Math), then a walk with the pmf recurrence p(k+1) = p(k) lambda/(k+1) to the
/// smallest k with cdf(k) >= p, i.e. P(X > k) <= 1 - p. The start is within a few units of
/// the answer, so the walk is short; if the pmf underflows or the walk runs long, Boost's
/// inverse takes over.
inline double poisson_quantile_large(double lambda, double p) {
    const double z = normal_quantile(p);
    double k = std::max(0.0, std::floor(lambda + std::sqrt(lambda) * z + (z * z - 1.0) / 6.0));
    double f = math::poisson_pmf(lambda, k);
    if (!(f > 0.0)) return poisson_quantile_boost(lambda, p);
    if (p <= 0.5) {
        double c = poisson_cdf_at(lambda, k);  // P(X <= k)
        for (int steps = 0; steps < 1000; ++steps) {
            if (c >= p) {
                if (k == 0.0 || c - f < p) return k;  // c - f = P(X <= k - 1)
                c -= f;
                f *= k / lambda;
                k -= 1.0;
            } else {
                k += 1.0;
                f *= lambda / k;
                c += f;
            }
        }
    } else {
        const double q = 1.0 - p;                          // exact for p > 1/2
        double s = math::gamma_p(k + 1.0, lambda);  // P(X > k)
        for (int steps = 0; steps < 1000; ++steps) {
            if (s <= q) {
                if (k == 0.0 || s + f > q) return k;  // s + f = P(X > k - 1)
                s += f;
                f *= k / lambda;
                k -= 1.0;
            } else {
                k += 1.0;
                f *= lambda / k;
                s -= f;
            }
        }
    }
    return poisson_quantile_boost(lambda, p);
}

/// Quantile for p in (0, 1) (not validated).
inline double poisson_quantile_unchecked(const poisson_distribution& d, double p) {
    const poisson_table* t = d.table();
    if (!t) return poisson_quantile_large(d.mean(), p);
    const std::size_t n = t->cdf.size();
    std::size_t g = static_cast<std::size_t>(p * double(t->guide.size()));
    if (g >= t->guide.size()) g = t->guide.size() - 1;
    std::size_t j = t->guide[g];
    if (p <= 0.5) {
        if (t->first > 0.0 && p <= t->cdf[0]) return poisson_quantile_boost(d.mean(), p);  // below the table
        // p * size may round up across a guide boundary: step back if needed.
        while (j > 0 && t->cdf[j - 1] >= p) --j;
        while (t->cdf[j] < p) ++j;  // terminates: cdf[n - 1] > 1/2
        return t->first + double(j);
    }
    // Upper half on the survival side: smallest j with P(X > first + j) <= q = 1 - p (exact).
    const double q = 1.0 - p;
    if (q < t->sf[n - 1]) return poisson_quantile_large(d.mean(), p);  // beyond the table
    while (j > 0 && t->sf[j - 1] <= q) --j;
    for (int steps = 0; t->sf[j] > q; ++j, ++steps)
        if (steps == 8) {  // far upper tail, where the cdf-based guide is coarse: bisect
            j = std::size_t(std::partition_point(t->sf.begin() + std::ptrdiff_t(j), t->sf.end(),
                                                 [q](double s) { return s > q; }) - t->sf.begin());
            break;
        }
    return t->first + double(j);
}

}  // namespace detail

/// Smallest integer k >= 0 with cdf(k) >= p; quantile(0) = 0, quantile(1) = +inf.
/// \throws invalid_argument if p is not in [0, 1].
inline double quantile(const poisson_distribution& d, double p) {
    detail::check_quantile_level("quantile(poisson_distribution)", p);
    if (p == 0.0) return 0.0;
    if (p == 1.0) return std::numeric_limits<double>::infinity();
    return detail::poisson_quantile_unchecked(d, p);
}

/// Batch quantile: x[i] = quantile(d, p[i]) for i in [0, n).
/// \throws invalid_argument at the first p[i] outside [0, 1].
inline void quantile(const poisson_distribution& d, const double* p, double* x, std::size_t n) {
    detail::check_quantile_levels("quantile(poisson_distribution)", p, n);
    for (std::size_t i = 0; i < n; ++i) {
        const double u = p[i];
        x[i] = (u > 0.0 && u < 1.0) ? detail::poisson_quantile_unchecked(d, u) : quantile(d, u);
    }
}

/// The exact quantile: the same closed form or search as `quantile` (no table involved).
/// \throws invalid_argument if p is not in [0, 1].
inline double exact_quantile(const poisson_distribution& d, double p) { return quantile(d, p); }

/// lambda.
inline double mean(const poisson_distribution& d) noexcept { return d.mean(); }
/// lambda.
inline double variance(const poisson_distribution& d) noexcept { return d.mean(); }
/// [0, +inf).
inline std::pair<double, double> support(const poisson_distribution&) noexcept {
    return {0.0, std::numeric_limits<double>::infinity()};
}

}  // namespace offroi
