#pragma once
/// \file
/// Exact statistics of kept samples: quantiles (Hyndman and Fan type 7, numpy's default),
/// distribution-free confidence intervals of percentiles from order statistics (exact
/// binomial), exceedance probabilities, expected shortfall, histograms and the confidence
/// interval of the mean.
///
/// `sorted_sample` sorts a copy once and answers every query from it; the `sample_*` free
/// functions are one-shot conveniences. All reject non-finite values with
/// offroi::invalid_argument naming the first one (`value[i]`).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>


#include "offroi/detail/checks.hpp"
#include "offroi/error.hpp"
#include "offroi/stats/detail/stat_functions.hpp"
#include "offroi/stats/double_double.hpp"
#include "offroi/stats/exact_moments.hpp"
#include "offroi/stats/exact_sum.hpp"
#include "offroi/stats/histogram.hpp"
#include "offroi/stats/interval.hpp"
#include "offroi/stats/tail.hpp"

namespace offroi {

/// The order statistics that bracket a population quantile (0-based ranks of the sorted
/// sample), and the exact probability that they do.
struct order_statistic_ranks {
    std::int64_t lower;  ///< rank of the lower end; -1 when no finite lower end exists
    std::int64_t upper;  ///< rank of the upper end; n when no finite upper end exists
    double coverage;     ///< P(x_(lower) <= xi_p < x_(upper)) for continuous distributions
};

/// Distribution-free confidence interval of the p-quantile xi_p of a continuous
/// distribution from n samples. With B = #{X_i <= xi_p} ~ Binomial(n, p),
/// P(x_(j) <= xi_p < x_(u)) = F(u) - F(j) (0-based ranks, F the binomial cdf, F(-1) = 0).
/// The lower rank j is the largest with F(j) <= (1 - level) / 2 and the upper rank u the
/// smallest with P(B > u) <= (1 - level) / 2, so each side misses with probability at most
/// (1 - level)/2 and coverage >= level (equal-tailed; exact binomial from Boost.Math, no
/// normal approximation; the normal quantile only seeds the search).
/// \throws invalid_argument if n == 0, or p or level is not in (0, 1).
inline order_statistic_ranks quantile_ci_ranks(std::uint64_t n, double p, double level) {
    constexpr const char* fn = "quantile_ci_ranks";
    detail::check_open_probability(fn, "p", p);
    detail::check_open_probability(fn, "level", level);
    if (n == 0) throw invalid_argument("quantile_ci_ranks: n = 0 is invalid; needs >= 1 sample");
    const auto nn = static_cast<std::int64_t>(n);
    const double a2 = 0.5 * (1.0 - level);
    auto cdf = [&](std::int64_t k) -> double {  // P(B <= k)
        if (k < 0) return 0.0;
        if (k >= nn) return 1.0;
        return detail::math::binomial_cdf(static_cast<double>(n), p, static_cast<double>(k));
    };
    auto sf = [&](std::int64_t k) -> double {  // P(B > k)
        if (k < 0) return 1.0;
        if (k >= nn) return 0.0;
        return detail::math::binomial_sf(static_cast<double>(n), p, static_cast<double>(k));
    };
    const double z = detail::math::standard_normal_quantile(1.0 - a2);
    const double mu = static_cast<double>(n) * p;
    const double sd = std::sqrt(mu * (1.0 - p));
    auto clamp_rank = [&](double v, std::int64_t lo, std::int64_t hi) {
        if (!(v > static_cast<double>(lo))) return lo;
        if (!(v < static_cast<double>(hi))) return hi;
        return static_cast<std::int64_t>(v);
    };
    std::int64_t j = clamp_rank(std::floor(mu - z * sd), -1, nn - 1);
    while (j >= 0 && cdf(j) > a2) --j;
    while (j + 1 <= nn - 1 && cdf(j + 1) <= a2) ++j;
    std::int64_t u = clamp_rank(std::ceil(mu + z * sd), 0, nn);
    while (u < nn && sf(u) > a2) ++u;
    while (u - 1 >= 0 && sf(u - 1) <= a2) --u;
    return {j, u, (1.0 - sf(u)) - cdf(j)};
}

namespace detail {

inline void check_all_finite(const char* fn, std::span<const double> x) {
    for (std::size_t i = 0; i < x.size(); ++i)
        if (!std::isfinite(x[i]))
            throw_invalid(fn, "value[" + std::to_string(i) + "]", x[i], "values must be finite");
}

inline void check_tail_mass(const char* fn, double alpha) {
    if (!(alpha > 0.0 && alpha <= 1.0))
        throw_invalid(fn, "alpha", alpha, "must be a tail probability in (0, 1]");
}

// Moves the values of v[lo, hi) less than p (OrEqual: not greater than p) to its front, in a
// loop without a branch on the values (a Lomuto partition whose swap always happens and whose
// split advances by the comparison); returns where the others start.
template <bool OrEqual>
inline std::size_t partition_branch_free(double* v, std::size_t lo, std::size_t hi, double p) noexcept {
    std::size_t i = lo;
    for (std::size_t j = lo; j < hi; ++j) {
        const double t = v[j];
        const bool front = OrEqual ? !(p < t) : t < p;
        v[j] = v[i];
        v[i] = t;
        i += front;
    }
    return i;
}

/// std::nth_element(v, v + k, v + n) for finite values, without branches on the values in its
/// partitions: the mispredicted branches of std::nth_element's partition cost more than its
/// comparisons on random data (measured on 1e5 normal values with the 13 ranks of a summary:
/// 2.1 ms with std::nth_element, 0.6 ms branch free). The pivot is a ninther; values equal to
/// a pivot that is the least of its range are split off in a second pass (so many ties cannot
/// make it quadratic), and after 64 rounds std::nth_element finishes. Below 4 096 values
/// std::nth_element is as fast and is used.
inline void select_rank(double* v, std::size_t n, std::size_t k) {
    std::size_t lo = 0, hi = n;
    auto med3 = [](double a, double b, double c) { return std::max(std::min(a, b), std::min(std::max(a, b), c)); };
    for (int round = 0; round < 64 && hi - lo >= 4096; ++round) {
        const std::size_t m = hi - lo, s = m / 8;
        const double* w = v + lo;
        const double p = med3(med3(w[0], w[s], w[2 * s]), med3(w[3 * s], w[m / 2], w[5 * s]),
                              med3(w[6 * s], w[7 * s], w[m - 1]));
        const std::size_t a = partition_branch_free<false>(v, lo, hi, p);  // [lo, a) < p
        if (k < a) {
            hi = a;
        } else if (a > lo) {
            lo = a;
        } else {  // p is the least value of [lo, hi): split off the values equal to it
            const std::size_t b = partition_branch_free<true>(v, lo, hi, p);
            if (k < b) return;
            lo = b;
        }
    }
    std::nth_element(v + lo, v + k, v + hi);
}

/// Rearranges v so that, for every r in `ranks` (ascending, unique, < v.size()), v[r] is the
/// r-th smallest value with no larger value before it and no smaller after it (numpy's
/// partition with several kth): O(n log k) instead of a full sort. v must hold no NaN.
inline void select_ranks(std::span<double> v, std::span<const std::size_t> ranks) {
    if (ranks.empty() || v.size() < 2) return;
    const std::size_t mid = ranks.size() / 2;
    const std::size_t r = ranks[mid];
    select_rank(v.data(), v.size(), r);
    select_ranks(v.subspan(0, r), ranks.subspan(0, mid));
    std::vector<std::size_t> upper(ranks.begin() + static_cast<std::ptrdiff_t>(mid) + 1, ranks.end());
    for (auto& u : upper) u -= r + 1;
    select_ranks(v.subspan(r + 1), upper);
}

/// Type 7 quantile from values where ranks floor(h) and floor(h) + 1 are in place.
inline double type7_from_selected(std::span<const double> v, double p) {
    const double h = p * static_cast<double>(v.size() - 1);
    const double fl = std::floor(h);
    const auto k = static_cast<std::size_t>(fl);
    const double a = v[k];
    const double frac = h - fl;
    if (frac == 0.0 || k + 1 >= v.size()) return a;
    return a + frac * (v[k + 1] - a);
}

/// The ranks type7_from_selected(v, p) reads.
inline void type7_ranks(std::size_t n, double p, std::vector<std::size_t>& out) {
    const double h = p * static_cast<double>(n - 1);
    const double fl = std::floor(h);
    const auto k = static_cast<std::size_t>(fl);
    out.push_back(k);
    if (h - fl != 0.0 && k + 1 < n) out.push_back(k + 1);
}

/// Expected shortfall (definition of sorted_sample::expected_shortfall) from values where
/// rank `boundary_rank(n, alpha, which)` is in place; the tail sum is exact, so the result
/// is the same bits as from a fully sorted copy.
inline std::size_t shortfall_boundary(std::size_t n, double alpha, tail which) {
    const auto whole = std::min(n, static_cast<std::size_t>(std::floor(alpha * static_cast<double>(n))));
    if (whole >= n) return n;  // the whole sample: no boundary needed
    return which == tail::lower ? whole : n - 1 - whole;
}

/// The ranks an exact summary of n values reads (ascending, unique, for `select_ranks`): per
/// level p, the type 7 ranks and the confidence ranks of `quantile_ci_ranks(n, p,
/// confidence_level)` (those inside [0, n), which it also appends to `ci` when given), and
/// the expected shortfall's boundary rank.
inline std::vector<std::size_t> summary_ranks(std::size_t n, std::span<const double> levels,
                                              double confidence_level, double shortfall_alpha,
                                              tail shortfall_tail,
                                              std::vector<order_statistic_ranks>* ci = nullptr) {
    std::vector<std::size_t> ranks;
    for (double p : levels) {
        type7_ranks(n, p, ranks);
        const auto r = quantile_ci_ranks(n, p, confidence_level);
        if (ci) ci->push_back(r);
        if (r.lower >= 0) ranks.push_back(static_cast<std::size_t>(r.lower));
        if (r.upper < static_cast<std::int64_t>(n)) ranks.push_back(static_cast<std::size_t>(r.upper));
    }
    const std::size_t es_rank = shortfall_boundary(n, shortfall_alpha, shortfall_tail);
    if (es_rank < n) ranks.push_back(es_rank);
    std::sort(ranks.begin(), ranks.end());
    ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
    return ranks;
}

inline double shortfall_from_selected(std::span<const double> v, double alpha, tail which) {
    const std::size_t n = v.size();
    const double m = alpha * static_cast<double>(n);
    const auto whole = std::min(n, static_cast<std::size_t>(std::floor(m)));
    exact_sum s;
    if (which == tail::lower)
        s.add(v.data(), whole);
    else
        s.add(v.data() + (n - whole), whole);
    double_double total = s.to_double_double();
    const double frac = m - static_cast<double>(whole);
    if (frac > 0.0 && whole < n) {
        const double boundary = which == tail::lower ? v[whole] : v[n - 1 - whole];
        total = dd_add(total, two_prod(frac, boundary));
    }
    return dd_to_double(dd_div(total, {m, 0.0}));
}

}  // namespace detail

/// A sorted copy of finite samples and the exact statistics computed from it.
class sorted_sample {
public:
    /// Copies and sorts the values.
    /// \throws invalid_argument if a value is not finite (names `value[i]`) or x is empty.
    explicit sorted_sample(std::span<const double> x) : v_(x.begin(), x.end()) {
        detail::check_all_finite("sorted_sample", x);
        if (x.empty()) throw invalid_argument("sorted_sample: needs at least 1 value, got 0");
        for (auto& v : v_) v += 0.0;  // -0.0 becomes +0.0, so results do not depend on order
        std::sort(v_.begin(), v_.end());
    }

    /// Number of values.
    std::size_t size() const { return v_.size(); }
    /// The sorted values.
    std::span<const double> values() const { return v_; }
    /// The smallest value.
    double min() const { return v_.front(); }
    /// The largest value.
    double max() const { return v_.back(); }

    /// The p-quantile, Hyndman and Fan type 7 (numpy's default, R's default): with
    /// h = p (n - 1), Q = x_(floor h) + (h - floor h) (x_(floor h + 1) - x_(floor h)), 0-based.
    /// \throws invalid_argument if p is not in [0, 1].
    double quantile(double p) const {
        detail::check_probability("sorted_sample::quantile", "p", p);
        const double h = p * static_cast<double>(v_.size() - 1);
        const double fl = std::floor(h);
        const auto k = static_cast<std::size_t>(fl);
        const double a = v_[k];
        const double frac = h - fl;
        if (frac == 0.0 || k + 1 >= v_.size()) return a;
        return a + frac * (v_[k + 1] - a);
    }

    /// Distribution-free confidence interval of the population p-quantile from order
    /// statistics (quantile_ci_ranks): [x_(l), x_(u)], an infinite end when the sample is too
    /// small to bound that side at this level.
    /// \throws invalid_argument if p or level is not in (0, 1).
    interval quantile_ci(double p, double level = 0.95) const {
        const auto r = quantile_ci_ranks(v_.size(), p, level);
        const double inf = std::numeric_limits<double>::infinity();
        return {r.lower >= 0 ? v_[static_cast<std::size_t>(r.lower)] : -inf,
                r.upper < static_cast<std::int64_t>(v_.size()) ? v_[static_cast<std::size_t>(r.upper)]
                                                               : inf};
    }

    /// P(X > t), the exact fraction. \throws invalid_argument if t is NaN.
    double prob_exceed(double t) const {
        if (std::isnan(t)) detail::throw_invalid("sorted_sample::prob_exceed", "t", t, "must not be NaN");
        const auto it = std::upper_bound(v_.begin(), v_.end(), t);
        return static_cast<double>(v_.end() - it) / static_cast<double>(v_.size());
    }

    /// P(X < t), the exact fraction. \throws invalid_argument if t is NaN.
    double prob_below(double t) const {
        if (std::isnan(t)) detail::throw_invalid("sorted_sample::prob_below", "t", t, "must not be NaN");
        const auto it = std::lower_bound(v_.begin(), v_.end(), t);
        return static_cast<double>(it - v_.begin()) / static_cast<double>(v_.size());
    }

    /// Expected shortfall at tail mass alpha (Acerbi and Tasche 2002): with m = alpha n, the
    /// lower-tail ES is (sum_{i < floor m} x_(i) + (m - floor m) x_(floor m)) / m, the upper
    /// tail likewise from the largest values. The sum is exact (exact_sum).
    /// \throws invalid_argument if alpha is not in (0, 1].
    double expected_shortfall(double alpha, tail which) const {
        detail::check_tail_mass("sorted_sample::expected_shortfall", alpha);
        return detail::shortfall_from_selected(v_, alpha, which);
    }

    /// Histogram with the given increasing edges: bin k counts [edges[k], edges[k+1]), the
    /// last bin is closed; values outside go to `below` / `above`.
    /// \throws invalid_argument if there are fewer than 2 edges or they do not increase.
    ::offroi::histogram histogram(std::span<const double> edges) const {
        if (edges.size() < 2)
            detail::throw_invalid("sorted_sample::histogram", "edges.size()",
                                  static_cast<double>(edges.size()), "must be >= 2");
        for (std::size_t k = 0; k < edges.size(); ++k) {
            detail::check_finite("sorted_sample::histogram", "edges[" + std::to_string(k) + "]", edges[k]);
            if (k > 0 && !(edges[k] > edges[k - 1]))
                detail::throw_invalid("sorted_sample::histogram", "edges[" + std::to_string(k) + "]",
                                      edges[k], "edges must increase strictly");
        }
        ::offroi::histogram h;
        h.exact = true;
        h.edges.assign(edges.begin(), edges.end());
        h.counts.assign(edges.size() - 1, 0);
        auto pos = [&](double e) { return std::lower_bound(v_.begin(), v_.end(), e) - v_.begin(); };
        const auto last_end = std::upper_bound(v_.begin(), v_.end(), edges.back()) - v_.begin();
        h.below = static_cast<std::uint64_t>(pos(edges.front()));
        for (std::size_t k = 0; k + 1 < edges.size(); ++k) {
            const auto b = pos(edges[k]);
            const auto e = k + 2 == edges.size() ? last_end : pos(edges[k + 1]);
            h.counts[k] = static_cast<std::uint64_t>(e - b);
        }
        h.above = static_cast<std::uint64_t>(static_cast<std::ptrdiff_t>(v_.size()) - last_end);
        return h;
    }

    /// Histogram of `bins` equal-width bins over [min, max], edges std::lerp(min, max, k/bins)
    /// (a single bin at min when all values are equal).
    /// \throws invalid_argument if bins == 0.
    ::offroi::histogram histogram(std::size_t bins) const {
        if (bins == 0) detail::throw_invalid("sorted_sample::histogram", "bins", 0.0, "must be >= 1");
        const double lo = min();
        if (!(max() > lo)) {
            ::offroi::histogram h;
            h.edges = {lo, lo};
            h.counts = {static_cast<std::uint64_t>(v_.size())};
            return h;
        }
        std::vector<double> e(bins + 1);
        for (std::size_t k = 0; k <= bins; ++k)
            e[k] = std::lerp(lo, max(), static_cast<double>(k) / static_cast<double>(bins));
        return histogram(std::span<const double>(e));
    }

    /// Exact moments of the values (same bits as a streaming_summary of them).
    exact_moments moments() const {
        exact_moments m;
        m.add(v_.data(), v_.size());
        return m;
    }

    /// Confidence interval of the mean (Student's t; see exact_moments::mean_ci).
    /// \throws invalid_argument if level is not in (0, 1) or size() < 2.
    interval mean_ci(double level = 0.95) const {
        return moments().mean_ci(level, "sorted_sample::mean_ci");
    }

private:
    std::vector<double> v_;
};

/// The p-quantile (type 7) of x. \throws invalid_argument on empty or non-finite x, or p
/// outside [0, 1].
inline double sample_quantile(std::span<const double> x, double p) {
    return sorted_sample(x).quantile(p);
}

/// Distribution-free confidence interval of the p-quantile (see sorted_sample::quantile_ci).
inline interval sample_quantile_ci(std::span<const double> x, double p, double level = 0.95) {
    return sorted_sample(x).quantile_ci(p, level);
}

/// P(X > t) over x. \throws invalid_argument on empty or non-finite x, or NaN t.
inline double sample_prob_exceed(std::span<const double> x, double t) {
    detail::check_all_finite("sample_prob_exceed", x);
    if (x.empty()) throw invalid_argument("sample_prob_exceed: needs at least 1 value, got 0");
    if (std::isnan(t)) detail::throw_invalid("sample_prob_exceed", "t", t, "must not be NaN");
    std::size_t c = 0;
    for (double v : x) c += v > t;
    return static_cast<double>(c) / static_cast<double>(x.size());
}

/// P(X < t) over x. \throws invalid_argument on empty or non-finite x, or NaN t.
inline double sample_prob_below(std::span<const double> x, double t) {
    detail::check_all_finite("sample_prob_below", x);
    if (x.empty()) throw invalid_argument("sample_prob_below: needs at least 1 value, got 0");
    if (std::isnan(t)) detail::throw_invalid("sample_prob_below", "t", t, "must not be NaN");
    std::size_t c = 0;
    for (double v : x) c += v < t;
    return static_cast<double>(c) / static_cast<double>(x.size());
}

/// Expected shortfall of x (see sorted_sample::expected_shortfall).
inline double sample_expected_shortfall(std::span<const double> x, double alpha, tail which) {
    return sorted_sample(x).expected_shortfall(alpha, which);
}

/// Histogram of x with the given edges (see sorted_sample::histogram).
inline histogram sample_histogram(std::span<const double> x, std::span<const double> edges) {
    return sorted_sample(x).histogram(edges);
}

/// Equal-width histogram of x over [min, max].
inline histogram sample_histogram(std::span<const double> x, std::size_t bins) {
    return sorted_sample(x).histogram(bins);
}

/// Confidence interval of the mean of x (Student's t).
inline interval sample_mean_ci(std::span<const double> x, double level = 0.95) {
    detail::check_all_finite("sample_mean_ci", x);
    exact_moments m;
    m.add(x.data(), x.size());
    return m.mean_ci(level, "sample_mean_ci");
}

}  // namespace offroi
