#pragma once
/// \file
/// `streaming_summary`: the mergeable, order-independent summary of one output of a run.
///
/// Every statistic it holds merges exactly: the count and the threshold counts are integers,
/// sum(x) and sum(x^2) are exact (offroi::exact_sum), min and max are order-free, and the
/// quantile sketch counts integers per bucket. Adding values in any order, in any split,
/// and merging the parts in any order gives the same state, hence the same bits from every
/// query. (Queries depend only on that state.)
///
/// NaN and infinities: add() rejects them with offroi::invalid_argument and adds nothing
/// from that call: a model that emits a non-finite value has a bug the user must see.

#include <algorithm>
#include <cmath>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include <boost/math/distributions/students_t.hpp>

#include "offroi/detail/checks.hpp"
#include "offroi/error.hpp"
#include "offroi/stats/double_double.hpp"
#include "offroi/stats/exact_sum.hpp"
#include "offroi/stats/histogram.hpp"
#include "offroi/stats/interval.hpp"
#include "offroi/stats/quantile_sketch.hpp"
#include "offroi/stats/tail.hpp"

namespace offroi {

/// Settings of a streaming_summary. Summaries merge only when their options are equal.
struct summary_options {
    /// Relative value accuracy alpha of the quantile sketch, in [1e-6, 0.5] (DDSketch).
    double sketch_relative_accuracy = 1e-3;
    /// Thresholds t whose P(X > t) and P(X < t) are counted exactly (finite values).
    std::vector<double> thresholds;
    /// Sketch buckets kept per sign (memory bound: 8 bytes each), >= 16.
    std::size_t sketch_max_buckets = 16384;

    friend bool operator==(const summary_options&, const summary_options&) = default;
};

/// Streaming, mergeable summary of a sequence of finite doubles; see the file comment.
/// Not thread-safe for concurrent modification; summaries of disjoint parts are built on
/// separate threads and merged.
class streaming_summary {
public:
    /// An empty summary.
    /// \throws invalid_argument if an option is out of range (names the option).
    explicit streaming_summary(const summary_options& options = {})
        : options_(options),
          sketch_(options.sketch_relative_accuracy, options.sketch_max_buckets),
          above_(options.thresholds.size(), 0),
          below_(options.thresholds.size(), 0) {
        for (std::size_t j = 0; j < options_.thresholds.size(); ++j)
            detail::check_finite("summary_options", "thresholds[" + std::to_string(j) + "]",
                                 options_.thresholds[j]);
    }

    /// Adds n values; their order does not matter.
    /// \throws invalid_argument naming the first non-finite value (`value[i]`); nothing is
    ///         added then.
    void add(const double* x, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i)
            if (!std::isfinite(x[i]))
                detail::throw_invalid("streaming_summary::add", "value[" + std::to_string(i) + "]",
                                      x[i],
                                      "values must be finite (a model that emits NaN or "
                                      "infinity has a bug)");
        double lo = min_, hi = max_;
        std::uint64_t neg = 0, pos = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const double v = x[i];
            sum_.add(v);
            sum_sq_.add_square(v);
            lo = std::min(lo, v);
            hi = std::max(hi, v);
            neg += v < 0.0;
            pos += v > 0.0;
            sketch_.add(v);
        }
        min_ = lo;
        max_ = hi;
        negative_ += neg;
        positive_ += pos;
        const std::size_t k = options_.thresholds.size();
        for (std::size_t j = 0; j < k; ++j) {
            const double t = options_.thresholds[j];
            std::uint64_t a = 0, b = 0;
            for (std::size_t i = 0; i < n; ++i) {
                a += x[i] > t;
                b += x[i] < t;
            }
            above_[j] += a;
            below_[j] += b;
        }
        count_ += n;
    }

    /// Adds the values of a span.
    void add(std::span<const double> x) { add(x.data(), x.size()); }
    /// Adds one value.
    void add(double x) { add(&x, 1); }

    /// Adds everything `other` summarises. Exactly commutative and associative: the
    /// result's state, and every query on it, is the same bits for any merge order.
    /// \throws invalid_argument if the options differ.
    void merge(const streaming_summary& other) {
        if (!(other.options_ == options_))
            throw invalid_argument(
                "streaming_summary::merge: other has different summary_options "
                "(sketch_relative_accuracy, thresholds and sketch_max_buckets must be equal)");
        sum_.merge(other.sum_);
        sum_sq_.merge(other.sum_sq_);
        min_ = std::min(min_, other.min_);
        max_ = std::max(max_, other.max_);
        negative_ += other.negative_;
        positive_ += other.positive_;
        sketch_.merge(other.sketch_);
        for (std::size_t j = 0; j < above_.size(); ++j) {
            above_[j] += other.above_[j];
            below_[j] += other.below_[j];
        }
        count_ += other.count_;
    }

    /// Number of values added.
    std::uint64_t count() const { return count_; }
    /// The options it was built with.
    const summary_options& options() const { return options_; }
    /// The quantile sketch.
    const quantile_sketch& sketch() const { return sketch_; }

    /// The exact sum of the values, rounded to double-double.
    detail::double_double sum_dd() const { return sum_.to_double_double(); }
    /// The exact sum of the values, rounded to double (inf only if the sum overflows).
    double sum() const { return detail::dd_to_double(sum_dd()); }

    /// The mean, sum(x) / n from the exact sum (error below 1 ulp).
    /// \throws invalid_argument if count() == 0.
    double mean() const {
        require_count("mean", 1);
        // Scale so that the sum's top bit is near 2^0: no overflow for any finite input.
        const int top = sum_.top_bit();
        if (top == INT_MIN) return 0.0;
        const int k = -top;
        const auto m = detail::dd_div(sum_.to_double_double(k), detail::dd_from_u64(count_));
        return std::ldexp(detail::dd_to_double(m), -k);
    }

    /// The unbiased sample variance (sum(x^2) - sum(x)^2 / n) / (n - 1), evaluated in
    /// double-double from the exact sums. Relative error about 2^-104 * mean^2 / variance
    /// (so full double accuracy unless |mean| / sd > 1e8). May be inf if the variance
    /// exceeds DBL_MAX.
    /// \throws invalid_argument if count() < 2.
    double variance() const {
        require_count("variance", 2);
        const detail::double_double v = scaled_m2_over_n1();
        return std::ldexp(detail::dd_to_double(v), -2 * variance_scale());
    }

    /// The sample standard deviation sqrt(variance()).
    /// \throws invalid_argument if count() < 2.
    double standard_deviation() const {
        require_count("standard_deviation", 2);
        const detail::double_double v = scaled_m2_over_n1();
        return std::ldexp(detail::dd_to_double(detail::dd_sqrt(v)), -variance_scale());
    }

    /// The standard error of the mean, sd / sqrt(n).
    /// \throws invalid_argument if count() < 2.
    double standard_error() const {
        require_count("standard_error", 2);
        return standard_deviation() / std::sqrt(static_cast<double>(count_));
    }

    /// Confidence interval of the mean: mean ± t_{(1+level)/2, n-1} · se (Student's t, so
    /// exact for normal data and asymptotically right otherwise).
    /// \throws invalid_argument if level is not in (0, 1) or count() < 2.
    interval mean_ci(double level = 0.95) const {
        detail::check_open_probability("streaming_summary::mean_ci", "level", level);
        require_count("mean_ci", 2);
        const boost::math::students_t dist(static_cast<double>(count_ - 1));
        const double t = boost::math::quantile(dist, 0.5 + 0.5 * level);
        const double m = mean();
        const double h = t * standard_error();
        return {m - h, m + h};
    }

    /// The smallest value added. \throws invalid_argument if count() == 0.
    double min() const {
        require_count("min", 1);
        return min_;
    }
    /// The largest value added. \throws invalid_argument if count() == 0.
    double max() const {
        require_count("max", 1);
        return max_;
    }

    /// Exact number of values below zero.
    std::uint64_t count_negative() const { return negative_; }
    /// Exact number of values above zero.
    std::uint64_t count_positive() const { return positive_; }

    /// Equality of the summarised state (what every query depends on).
    friend bool operator==(const streaming_summary& a, const streaming_summary& b) {
        return a.options_ == b.options_ && a.count_ == b.count_ && a.sum_ == b.sum_ &&
               a.sum_sq_ == b.sum_sq_ &&
               (a.count_ == 0 || (a.min_ == b.min_ && a.max_ == b.max_)) &&
               a.negative_ == b.negative_ && a.positive_ == b.positive_ &&
               a.above_ == b.above_ && a.below_ == b.below_ && a.sketch_ == b.sketch_;
    }

private:
    void require_count(const char* fn, std::uint64_t needed) const {
        if (count_ < needed)
            throw invalid_argument("streaming_summary::" + std::string(fn) + ": needs at least " +
                                   std::to_string(needed) + " value(s), count() = " +
                                   std::to_string(count_));
    }

    /// k such that sum(x^2) * 2^(2k) has its top bit near 2^0.
    int variance_scale() const {
        const int top = sum_sq_.top_bit();
        if (top == INT_MIN) return 0;
        return -(top / 2);
    }

    /// (S2 - S1^2 / n) / (n - 1) scaled by 2^(2k), k = variance_scale(), clamped at 0.
    detail::double_double scaled_m2_over_n1() const {
        const int k = variance_scale();
        const detail::double_double s1 = sum_.to_double_double(k);
        const detail::double_double s2 = sum_sq_.to_double_double(2 * k);
        const detail::double_double n = detail::dd_from_u64(count_);
        const detail::double_double m2 = detail::dd_sub(s2, detail::dd_div(detail::dd_mul(s1, s1), n));
        if (!(m2.hi > 0.0)) return {0.0, 0.0};
        return detail::dd_div(m2, detail::dd_from_u64(count_ - 1));
    }

    summary_options options_;
    std::uint64_t count_ = 0;
    exact_sum sum_;
    exact_sum_of_squares sum_sq_;
    double min_ = std::numeric_limits<double>::infinity();
    double max_ = -std::numeric_limits<double>::infinity();
    std::uint64_t negative_ = 0;
    std::uint64_t positive_ = 0;
    quantile_sketch sketch_;
    std::vector<std::uint64_t> above_;
    std::vector<std::uint64_t> below_;
};

}  // namespace offroi
