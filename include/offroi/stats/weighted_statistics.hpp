#pragma once
/// \file
/// Statistics of weighted samples: what a decision-maker reads (mean with its standard
/// error, percentiles, P(loss), expected shortfall, the probability of an event) when each
/// sample carries a weight -- importance weights after updating on observations
/// (decision/importance_weights.hpp), or frequency weights (counts).
///
/// Two readings of the weights (`weight_kind`):
///  - importance (default): only the ratios matter; the weights are rescaled to mean 1 over
///    the n samples with positive weight (all exactly 1 when they are all equal). The
///    effective sample size is Kish's, ESS = (sum w)^2 / sum w^2.
///  - frequency: w_i is how many times sample i counts (sum w >= 1); the weights are used as
///    given and ESS = sum w.
/// Samples with weight 0 are dropped; every statistic below depends only on the others.
///
/// Definitions, for the samples sorted as x_(0) <= ... <= x_(n-1) (ties by input order) with
/// (rescaled) weights w_(k), cumulative weights C_k = w_(0) + ... + w_(k) and W = C_(n-1):
///  - mean: sum w x / W; variance: the reliability-weighted unbiased estimate
///    sum w (x - mean)^2 / (W - sum w^2 / W) (the sample variance for equal weights); the
///    mean's standard error sd / sqrt(ESS) (Kish 1965; Owen, Monte Carlo theory, methods and
///    examples, 2013, section 9.3).
///  - quantile: the type-7 quantile (Hyndman and Fan 1996, numpy's and R's default) of the
///    sample in which x_(k) appears w_(k) times, for real weights: with the expanded sample's
///    quantile function y(t) = x_(k) for C_(k-1) <= t < C_k, h = p (W - 1),
///        Q(p) = integral of y(t) over [h, h + 1]
///             = y(h) + sum over C_k in (h, h + 1) of (h - (C_k - 1)) (x_(k+1) - x_(k)).
///    For unit weights this is x_(floor h) + (h - floor h)(x_(floor h + 1) - x_(floor h)),
///    the same bits as `sorted_sample::quantile`; for integer frequency weights it is the
///    type-7 quantile of the repeated sample, bit for bit; for importance weights (W = n) it
///    is consistent for the weighted distribution's quantile as n grows. (No estimator can be
///    both type 7 for equal weights of any size and invariant to repeating every sample:
///    type 7 depends on n. Hence the two readings.)
///  - P(X < t) = (sum of w with x < t) / W, P(X > t) likewise.
///  - expected shortfall at tail mass alpha (Acerbi and Tasche 2002), lower tail: with
///    m = alpha W, (sum over C_k <= m of w_(k) x_(k) + (m - C_j) x_(j+1)) / m, C_j the last
///    cumulative weight <= m: the mean of the lowest alpha of the weighted distribution (the
///    definition of `sorted_sample::expected_shortfall`, same bits for unit weights); upper
///    tail from the largest values.
///  - probability of an event: the weighted mean of 0/1 flags, with standard error
///    sqrt(p (1 - p) / ESS) (the mean's, from the flags' variance).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "offroi/detail/checks.hpp"
#include "offroi/error.hpp"
#include "offroi/stats/double_double.hpp"
#include "offroi/stats/exact_sum.hpp"
#include "offroi/stats/tail.hpp"

namespace offroi {

/// How weights are read: see the file comment.
enum class weight_kind {
    importance,  ///< only ratios matter (rescaled to mean 1); ESS = Kish's
    frequency,   ///< w_i = how many times sample i counts (sum >= 1); ESS = sum w
};

/// A weighted sample, sorted once, with the statistics of the file comment.
class weighted_sample {
public:
    /// Copies, drops zero weights, sorts by value (ties by input order) and rescales.
    /// \throws invalid_argument if the sizes differ, there are no values, a value is not
    ///         finite (`x[i]`), a weight is negative or not finite (`w[i]`), every weight is 0,
    ///         or frequency weights sum to less than 1.
    weighted_sample(std::span<const double> x, std::span<const double> w,
                    weight_kind kind = weight_kind::importance)
        : kind_(kind) {
        constexpr const char* fn = "weighted_sample";
        if (x.size() != w.size())
            throw invalid_argument("weighted_sample: " + std::to_string(x.size()) + " values but " +
                                   std::to_string(w.size()) + " weights; they must match");
        if (x.empty()) throw invalid_argument("weighted_sample: no values; needs at least one");
        if (kind != weight_kind::importance && kind != weight_kind::frequency)
            detail::throw_invalid(fn, "kind", double(int(kind)), "must be weight_kind::importance or frequency");
        std::vector<std::uint32_t> idx;
        idx.reserve(x.size());
        for (std::size_t i = 0; i < x.size(); ++i) {
            if (!std::isfinite(x[i])) detail::throw_invalid(fn, "x[" + std::to_string(i) + "]", x[i], "values must be finite");
            if (!std::isfinite(w[i]) || w[i] < 0.0)
                detail::throw_invalid(fn, "w[" + std::to_string(i) + "]", w[i], "weights must be finite and >= 0");
            if (w[i] > 0.0) idx.push_back(static_cast<std::uint32_t>(i));
        }
        if (idx.empty()) throw invalid_argument("weighted_sample: every weight is 0; at least one must be > 0");
        // -0.0 becomes +0.0 so that results do not depend on input order (as sorted_sample).
        std::stable_sort(idx.begin(), idx.end(), [&](std::uint32_t a, std::uint32_t b) { return x[a] + 0.0 < x[b] + 0.0; });
        const std::size_t n = idx.size();
        x_.resize(n);
        w_.resize(n);
        bool equal = true;
        for (std::size_t k = 0; k < n; ++k) {
            x_[k] = x[idx[k]] + 0.0;
            w_[k] = w[idx[k]];
            equal = equal && w_[k] == w_[0];
        }
        exact_sum s;
        exact_sum_of_squares s2;
        for (double v : w_) {
            s.add(v);
            s2.add_square(v);
        }
        const detail::double_double sum = s.to_double_double();
        const detail::double_double sum2 = s2.to_double_double();
        if (kind == weight_kind::frequency) {
            if (detail::dd_to_double(sum) < 1.0)
                detail::throw_invalid(fn, "sum of frequency weights", detail::dd_to_double(sum),
                                      "must be >= 1 (a frequency weight counts samples)");
            ess_ = detail::dd_to_double(sum);
        } else {
            ess_ = detail::dd_to_double(detail::dd_div(detail::dd_mul(sum, sum), sum2));
            if (equal) {
                std::fill(w_.begin(), w_.end(), 1.0);
            } else {
                const detail::double_double c = detail::dd_div(detail::dd_from_u64(n), sum);
                for (auto& v : w_) v = detail::dd_to_double(detail::dd_mul({v, 0.0}, c));
            }
        }
        c_.resize(n);
        double acc = 0.0;
        for (std::size_t k = 0; k < n; ++k) c_[k] = acc += w_[k];
        exact_sum ws;
        for (double v : w_) ws.add(v);
        total_ = ws.to_double_double();
        sum_w2_ = 0.0;
        {
            exact_sum_of_squares q;
            for (double v : w_) q.add_square(v);
            sum_w2_ = detail::dd_to_double(q.to_double_double());
        }
    }

    /// Number of samples with positive weight.
    std::size_t size() const noexcept { return x_.size(); }
    /// How the weights are read.
    weight_kind kind() const noexcept { return kind_; }
    /// The values, sorted increasingly.
    std::span<const double> values() const noexcept { return x_; }
    /// Their (rescaled, for importance weights) weights, in the same order.
    std::span<const double> weights() const noexcept { return w_; }
    /// W, the sum of the (rescaled) weights: n for importance weights (up to rounding).
    double total_weight() const noexcept { return detail::dd_to_double(total_); }
    /// Effective sample size: Kish's (importance) or the sum of the weights (frequency).
    double ess() const noexcept { return ess_; }

    /// Weighted mean sum w x / W (the sum is exact).
    double mean() const {
        exact_sum s;
        for (std::size_t k = 0; k < x_.size(); ++k) {
            const detail::double_double p = detail::two_prod(w_[k], x_[k]);
            s.add(p.hi);
            s.add(p.lo);
        }
        return detail::dd_to_double(detail::dd_div(s.to_double_double(), total_));
    }

    /// Reliability-weighted unbiased variance sum w (x - mean)^2 / (W - sum w^2 / W); the
    /// sample variance (n - 1 denominator) for equal weights; 0 for a single sample.
    double variance() const {
        const double m = mean();
        exact_sum s;
        for (std::size_t k = 0; k < x_.size(); ++k) {
            const double d = x_[k] - m;
            const detail::double_double p = detail::two_prod(w_[k], d * d);
            s.add(p.hi);
            s.add(p.lo);
        }
        const double W = total_weight();
        const double den = W - sum_w2_ / W;
        if (!(den > 0.0)) return 0.0;
        return std::max(0.0, detail::dd_to_double(s.to_double_double()) / den);
    }

    /// Weighted standard deviation, sqrt(variance()).
    double sd() const { return std::sqrt(variance()); }

    /// Monte Carlo standard error of `mean()`: sd / sqrt(ESS).
    double mean_se() const { return sd() / std::sqrt(ess_); }

    /// The weighted type-7 p-quantile (file comment).
    /// \throws invalid_argument if p is not in [0, 1].
    double quantile(double p) const {
        detail::check_probability("weighted_sample::quantile", "p", p);
        const std::size_t n = x_.size();
        const double h = p * (c_.back() - 1.0);
        std::size_t k = static_cast<std::size_t>(std::upper_bound(c_.begin(), c_.end(), h) - c_.begin());
        if (k >= n) return x_.back();
        double q = x_[k];
        for (; k + 1 < n && c_[k] - 1.0 < h; ++k) q += (h - (c_[k] - 1.0)) * (x_[k + 1] - x_[k]);
        return q;
    }

    /// P(X < t): the weight of the values below t over W. \throws invalid_argument if t is NaN.
    double prob_below(double t) const {
        if (std::isnan(t)) detail::throw_invalid("weighted_sample::prob_below", "t", t, "must not be NaN");
        const auto k = static_cast<std::size_t>(std::lower_bound(x_.begin(), x_.end(), t) - x_.begin());
        return k == 0 ? 0.0 : weight_up_to(k) / total_weight();
    }

    /// P(X > t): the weight of the values above t over W. \throws invalid_argument if t is NaN.
    double prob_exceed(double t) const {
        if (std::isnan(t)) detail::throw_invalid("weighted_sample::prob_exceed", "t", t, "must not be NaN");
        const auto k = static_cast<std::size_t>(std::upper_bound(x_.begin(), x_.end(), t) - x_.begin());
        if (k == x_.size()) return 0.0;
        exact_sum s;
        for (std::size_t j = k; j < x_.size(); ++j) s.add(w_[j]);
        return detail::dd_to_double(detail::dd_div(s.to_double_double(), total_));
    }

    /// Expected shortfall at tail mass alpha (file comment).
    /// \throws invalid_argument if alpha is not in (0, 1].
    double expected_shortfall(double alpha, tail which) const {
        if (!(alpha > 0.0 && alpha <= 1.0))
            detail::throw_invalid("weighted_sample::expected_shortfall", "alpha", alpha,
                                  "must be a tail probability in (0, 1]");
        const std::size_t n = x_.size();
        const double W = total_weight();
        const double m = alpha * W;
        exact_sum s;
        double acc = 0.0;  // cumulative weight of the values taken whole, from the tail's end
        std::size_t taken = 0;
        for (; taken < n; ++taken) {
            const std::size_t k = which == tail::lower ? taken : n - 1 - taken;
            if (acc + w_[k] > m) break;
            acc += w_[k];
            const detail::double_double p = detail::two_prod(w_[k], x_[k]);
            s.add(p.hi);
            s.add(p.lo);
        }
        detail::double_double total = s.to_double_double();
        const double frac = m - acc;
        if (frac > 0.0 && taken < n) {
            const double boundary = which == tail::lower ? x_[taken] : x_[n - 1 - taken];
            total = detail::dd_add(total, detail::two_prod(frac, boundary));
        }
        return detail::dd_to_double(detail::dd_div(total, {m, 0.0}));
    }

private:
    double weight_up_to(std::size_t k) const {  // exact sum of w_[0..k)
        exact_sum s;
        s.add(w_.data(), k);
        return detail::dd_to_double(s.to_double_double());
    }

    weight_kind kind_;
    std::vector<double> x_, w_, c_;
    detail::double_double total_{0.0, 0.0};
    double sum_w2_ = 0.0;
    double ess_ = 0.0;
};

/// A probability estimate with its Monte Carlo standard error.
struct probability_estimate {
    double p = 0.0;   ///< the estimate
    double se = 0.0;  ///< its standard error sqrt(p (1 - p) / ESS)
};

/// What a decision-maker reads of a weighted output, for one output.
struct weighted_summary {
    std::size_t samples = 0;   ///< n, samples with positive weight
    double ess = 0.0;          ///< effective sample size
    double mean = 0.0;         ///< weighted mean
    double mean_se = 0.0;      ///< its standard error sd / sqrt(ESS)
    double sd = 0.0;           ///< weighted standard deviation
    double p10 = 0.0;          ///< weighted 10th percentile
    double p50 = 0.0;          ///< weighted median
    double p90 = 0.0;          ///< weighted 90th percentile
    probability_estimate prob_loss;  ///< P(X < 0), the probability of a loss when X is a net benefit
    double expected_shortfall = 0.0;  ///< mean of the lowest `alpha` of the distribution
    double alpha = 0.05;       ///< the expected shortfall's tail mass
};

/// P(event) from per-sample flags in [0, 1] (1: the event happened): the weighted mean of
/// the flags, with standard error sqrt(p (1 - p) / ESS) (exact form for 0/1 flags; an upper
/// bound of sd / sqrt(ESS) for fractional ones).
/// \throws invalid_argument as `weighted_sample`, or for a flag outside [0, 1] (`flags[i]`).
inline probability_estimate weighted_event_probability(std::span<const double> flags, std::span<const double> w,
                                                       weight_kind kind = weight_kind::importance) {
    for (std::size_t i = 0; i < flags.size(); ++i)
        if (!(flags[i] >= 0.0 && flags[i] <= 1.0))
            detail::throw_invalid("weighted_event_probability", "flags[" + std::to_string(i) + "]", flags[i],
                                  "event flags must be in [0, 1] (1: the event happened)");
    const weighted_sample s(flags, w, kind);
    const double p = std::clamp(s.mean(), 0.0, 1.0);
    return {p, std::sqrt(p * (1.0 - p) / s.ess())};
}

/// The summary of the weighted output x (`weighted_summary`), expected shortfall at `alpha`
/// of the lower tail.
/// \throws invalid_argument as `weighted_sample`, or if alpha is not in (0, 1].
inline weighted_summary summarize_weighted(std::span<const double> x, std::span<const double> w,
                                           double alpha = 0.05, weight_kind kind = weight_kind::importance) {
    const weighted_sample s(x, w, kind);
    weighted_summary r;
    r.samples = s.size();
    r.ess = s.ess();
    r.mean = s.mean();
    r.sd = s.sd();
    r.mean_se = r.sd / std::sqrt(r.ess);
    r.p10 = s.quantile(0.10);
    r.p50 = s.quantile(0.50);
    r.p90 = s.quantile(0.90);
    r.prob_loss.p = s.prob_below(0.0);
    r.prob_loss.se = std::sqrt(r.prob_loss.p * (1.0 - r.prob_loss.p) / r.ess);
    r.alpha = alpha;
    r.expected_shortfall = s.expected_shortfall(alpha, tail::lower);
    return r;
}

/// Weighted mean of x. \throws invalid_argument as `weighted_sample`.
inline double weighted_mean(std::span<const double> x, std::span<const double> w) {
    return weighted_sample(x, w).mean();
}

/// Weighted p-quantile of x (file comment). \throws invalid_argument as `weighted_sample`,
/// or if p is not in [0, 1].
inline double weighted_quantile(std::span<const double> x, std::span<const double> w, double p,
                                weight_kind kind = weight_kind::importance) {
    return weighted_sample(x, w, kind).quantile(p);
}

/// Weighted P(X < t). \throws invalid_argument as `weighted_sample`, or if t is NaN.
inline double weighted_prob_below(std::span<const double> x, std::span<const double> w, double t) {
    return weighted_sample(x, w).prob_below(t);
}

/// Weighted expected shortfall (file comment). \throws invalid_argument as `weighted_sample`,
/// or if alpha is not in (0, 1].
inline double weighted_expected_shortfall(std::span<const double> x, std::span<const double> w, double alpha,
                                          tail which = tail::lower) {
    return weighted_sample(x, w).expected_shortfall(alpha, which);
}

}  // namespace offroi
