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
///
/// Serialisation: to_bytes() / from_bytes() give a compact, versioned, little-endian binary
/// form of the whole state (options included), so summaries of trial shards computed in
/// other processes or machines can be shipped and merged: from_bytes(s.to_bytes()) == s,
/// and merging deserialised shards gives the same bits as summarising their union. The
/// size does not grow with count() (exact sums: a few hundred bytes; sketch: 2-4 bytes per
/// non-empty bucket, at most sketch_max_buckets per sign).

#include <algorithm>
#include <cmath>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "offroi/detail/checks.hpp"
#include "offroi/error.hpp"
#include "offroi/stats/detail/byte_codec.hpp"
#include "offroi/stats/detail/summary_scan.hpp"
#include "offroi/stats/double_double.hpp"
#include "offroi/stats/exact_moments.hpp"
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
        // One read-only pass (detail::summary_scan, AVX2 where available): finiteness
        // (x - x is 0 only for finite x), min, max (of x + 0.0: -0.0 counts as +0.0, so the
        // bits do not depend on the order) and the sign counts; nothing is modified before
        // every value is known to be finite.
        const detail::summary_scan_result scan = detail::summary_scan(x, n, min_, max_);
        if (!scan.finite) {
            std::size_t i = 0;
            while (std::isfinite(x[i])) ++i;
            detail::throw_invalid("streaming_summary::add", "value[" + std::to_string(i) + "]", x[i],
                                  "values must be finite (a model that emits NaN or "
                                  "infinity has a bug)");
        }
        moments_.add(x, n);
        sketch_.add(x, n);  // the same state as adding the values one by one
        min_ = scan.lo;
        max_ = scan.hi;
        negative_ += scan.negative;
        positive_ += scan.positive;
        const std::size_t k = options_.thresholds.size();
        for (std::size_t j = 0; j < k; ++j) {  // detail::threshold_counts: AVX2 where available
            const detail::threshold_count_result c = detail::threshold_counts(x, n, options_.thresholds[j]);
            above_[j] += c.above;
            below_[j] += c.below;
        }
    }

    /// add() checks every value before it changes anything and rejects a NaN or an infinity
    /// with invalid_argument: the engine relies on this instead of scanning outputs itself
    /// (engine/executor.hpp, `rejects_non_finite_values`).
    static constexpr bool rejects_non_finite = true;

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
        moments_.merge(other.moments_);
        min_ = std::min(min_, other.min_);
        max_ = std::max(max_, other.max_);
        negative_ += other.negative_;
        positive_ += other.positive_;
        sketch_.merge(other.sketch_);
        for (std::size_t j = 0; j < above_.size(); ++j) {
            above_[j] += other.above_[j];
            below_[j] += other.below_[j];
        }
    }

    /// Number of values added.
    std::uint64_t count() const { return moments_.count(); }
    /// The options it was built with.
    const summary_options& options() const { return options_; }
    /// The quantile sketch.
    const quantile_sketch& sketch() const { return sketch_; }
    /// The exact moments (sums, mean, variance).
    const exact_moments& moments() const { return moments_; }

    /// The exact sum of the values, rounded to double (inf only if the sum overflows).
    double sum() const { return moments_.sum(); }
    /// The mean, from the exact sum (error below 1 ulp). \throws invalid_argument if empty.
    double mean() const { return moments_.mean("streaming_summary::mean"); }
    /// The unbiased sample variance from the exact sums (see exact_moments).
    /// \throws invalid_argument if count() < 2.
    double variance() const { return moments_.variance("streaming_summary::variance"); }
    /// The sample standard deviation. \throws invalid_argument if count() < 2.
    double standard_deviation() const {
        return moments_.standard_deviation("streaming_summary::standard_deviation");
    }
    /// The standard error of the mean, sd / sqrt(n). \throws invalid_argument if count() < 2.
    double standard_error() const {
        return moments_.standard_error("streaming_summary::standard_error");
    }
    /// Confidence interval of the mean: mean ± t_{(1+level)/2, n-1} se (Student's t).
    /// \throws invalid_argument if level is not in (0, 1) or count() < 2.
    interval mean_ci(double level = 0.95) const {
        return moments_.mean_ci(level, "streaming_summary::mean_ci");
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

    /// An estimate of the r-th smallest value (0-based): min() for r = 0, max() for
    /// r = n - 1, otherwise the sketch's bucket representative clamped to [min, max], within
    /// alpha |x_(r)| of the true x_(r) (quantile_sketch's bound).
    /// \throws invalid_argument if r >= count().
    double value_at_rank(std::uint64_t r) const {
        const std::uint64_t n = count();
        if (r >= n)
            detail::throw_invalid("streaming_summary::value_at_rank", "rank",
                                  static_cast<double>(r), "must be < count() = " + std::to_string(n));
        if (r == 0) return min_;
        if (r == n - 1) return max_;
        return std::clamp(sketch_.value_at_rank(r), min_, max_);
    }

    /// The p-quantile from the sketch, with the definition of Hyndman and Fan's type 7 (numpy's
    /// default): h = p (n - 1), Q = x_(floor h) + (h - floor h) (x_(floor h + 1) - x_(floor h)),
    /// each order statistic replaced by value_at_rank. Bound: |Q_sketch - Q_exact| <=
    /// alpha max(|x_(floor h)|, |x_(floor h + 1)|), which is alpha |Q_exact| when the two
    /// order statistics have the same sign (alpha = sketch_relative_accuracy; values in
    /// collapsed buckets excepted, see quantile_sketch). p = 0 gives min(), p = 1 max().
    /// \throws invalid_argument if p is not in [0, 1] or count() == 0.
    double quantile(double p) const {
        detail::check_probability("streaming_summary::quantile", "p", p);
        require_count("quantile", 1);
        const double h = p * static_cast<double>(count() - 1);
        const double fl = std::floor(h);
        // min(): for n > 2^53, p (n - 1) may round above n - 1.
        const auto k = std::min(static_cast<std::uint64_t>(fl), count() - 1);
        const double a = value_at_rank(k);
        const double frac = h - fl;
        if (frac == 0.0 || k + 1 >= count()) return a;
        const double b = value_at_rank(k + 1);
        return a + frac * (b - a);
    }

    /// True if prob_exceed(t) and prob_below(t) are exact counts: t is one of the
    /// thresholds of the options, or 0, or outside (min, max).
    bool exceedance_is_exact(double t) const {
        return threshold_slot(t) >= 0 || t == 0.0 || count() == 0 || t < min_ || t >= max_;
    }

    /// P(X > t) over the values added. Exact when exceedance_is_exact(t); otherwise from the
    /// sketch (the fraction of values whose bucket representative exceeds t), which differs
    /// from the exact fraction by at most the fraction of values in the bucket that holds t
    /// (values within a relative distance of about 2 alpha of t).
    /// \throws invalid_argument if t is NaN or count() == 0.
    double prob_exceed(double t) const {
        check_t("streaming_summary::prob_exceed", t);
        const double n = static_cast<double>(count());
        if (const int j = threshold_slot(t); j >= 0) return static_cast<double>(above_[static_cast<std::size_t>(j)]) / n;
        if (t == 0.0) return static_cast<double>(positive_) / n;
        if (t < min_) return 1.0;
        if (t >= max_) return 0.0;
        std::uint64_t c = 0;
        for (const auto& b : clamped_buckets())
            if (b.representative > t) c += b.count;
        return static_cast<double>(c) / n;
    }

    /// P(X < t), exact or from the sketch as prob_exceed.
    /// \throws invalid_argument if t is NaN or count() == 0.
    double prob_below(double t) const {
        check_t("streaming_summary::prob_below", t);
        const double n = static_cast<double>(count());
        if (const int j = threshold_slot(t); j >= 0) return static_cast<double>(below_[static_cast<std::size_t>(j)]) / n;
        if (t == 0.0) return static_cast<double>(negative_) / n;
        if (t <= min_) return 0.0;
        if (t > max_) return 1.0;
        std::uint64_t c = 0;
        for (const auto& b : clamped_buckets())
            if (b.representative < t) c += b.count;
        return static_cast<double>(c) / n;
    }

    /// Expected shortfall (CVaR) at tail mass alpha: the mean of the lowest (tail::lower) or
    /// highest (tail::upper) fraction alpha of the values, with a fractional share of the
    /// boundary value (Acerbi and Tasche 2002): for the lower tail, with m = alpha n,
    /// ES = (sum_{i < floor m} x_(i) + (m - floor m) x_(floor m)) / m. From the sketch: each
    /// x_(i) is replaced by value_at_rank(i) (the extreme one by the exact min or max), so
    /// |ES_sketch - ES_exact| <= a * mean of |x_(i)| over the tail, which is a |ES| when the
    /// tail has one sign (a = sketch_relative_accuracy).
    /// \throws invalid_argument if alpha is not in (0, 1] or count() == 0.
    double expected_shortfall(double alpha, tail which) const {
        if (!(alpha > 0.0 && alpha <= 1.0))
            detail::throw_invalid("streaming_summary::expected_shortfall", "alpha", alpha,
                                  "must be a tail probability in (0, 1]");
        require_count("expected_shortfall", 1);
        const double mass = alpha * static_cast<double>(count());
        // The first unit of the tail is the exact extreme value.
        double remaining = mass;
        const double extreme = which == tail::lower ? min_ : max_;
        const double first = std::min(1.0, remaining);
        double total = first * extreme;
        remaining -= first;
        bool first_bucket = true;
        // The buckets from the tail's end inwards (clamped as clamped_buckets()), only as
        // many as the tail takes.
        sketch_.for_each_representative(which == tail::lower, [&](double rep, std::uint64_t count) {
            if (!(remaining > 0.0)) return false;
            double c = static_cast<double>(count);
            if (first_bucket) {
                c -= 1.0;
                first_bucket = false;
            }
            const double take = std::min(c, remaining);
            total += take * std::clamp(rep, min_, max_);
            remaining -= take;
            return true;
        });
        return total / mass;
    }

    /// A histogram of `bins` equal-width bins over [min, max] (edges std::lerp(min, max, k /
    /// bins), bin k = [edges[k], edges[k+1]), the last closed: the same edges and rule as
    /// sorted_sample::histogram), from the
    /// sketch: each value counts in the bin of its bucket representative (min and max
    /// exactly), so a count can be off only by values within a relative distance alpha of a
    /// bin edge. `exact` is false.
    /// \throws invalid_argument if bins == 0 or count() == 0.
    ::offroi::histogram histogram(std::size_t bins) const {
        if (bins == 0)
            detail::throw_invalid("streaming_summary::histogram", "bins", 0.0, "must be >= 1");
        require_count("histogram", 1);
        ::offroi::histogram h;
        h.exact = false;
        h.edges.resize(bins + 1);
        for (std::size_t k = 0; k <= bins; ++k)  // std::lerp: exact ends, monotone, no overflow
            h.edges[k] = std::lerp(min_, max_, static_cast<double>(k) / static_cast<double>(bins));
        h.counts.assign(bins, 0);
        auto bin_of = [&](double v) -> std::size_t {  // [edges[k], edges[k+1]), last closed
            if (!(max_ > min_)) return 0;             // all values equal: the first bin
            const auto it = std::upper_bound(h.edges.begin(), h.edges.end(), v);
            const auto k = static_cast<std::size_t>(it - h.edges.begin());
            return k == 0 ? 0 : std::min(bins - 1, k - 1);
        };
        const auto bs = clamped_buckets();
        for (const auto& b : bs) h.counts[bin_of(b.representative)] += b.count;
        // Move one unit of the lowest and highest buckets to the exact min and max.
        if (count() >= 2) {
            --h.counts[bin_of(bs.front().representative)];
            ++h.counts[bin_of(min_)];
            --h.counts[bin_of(bs.back().representative)];
            ++h.counts[bin_of(max_)];
        }
        return h;
    }

    /// Equality of the summarised state (what every query depends on).
    friend bool operator==(const streaming_summary& a, const streaming_summary& b) {
        return a.options_ == b.options_ && a.moments_ == b.moments_ &&
               (a.count() == 0 || (a.min_ == b.min_ && a.max_ == b.max_)) &&
               a.negative_ == b.negative_ && a.positive_ == b.positive_ &&
               a.above_ == b.above_ && a.below_ == b.below_ && a.sketch_ == b.sketch_;
    }

    /// Format tag of to_bytes ("ORSS").
    static constexpr std::string_view bytes_magic = "ORSS";
    /// Version of the to_bytes format this build writes and reads.
    static constexpr std::uint16_t bytes_version = 1;

    /// The whole state as bytes. Format (version 1; integers little-endian, varint =
    /// unsigned LEB128, see stats/detail/byte_codec.hpp):
    ///  - "ORSS", u16 version;
    ///  - options: f64 sketch_relative_accuracy, varint sketch_max_buckets, varint number of
    ///    thresholds k, k x f64 thresholds;
    ///  - moments: varint count, exact sum, exact sum of squares (exact_moments::write_to);
    ///  - f64 min, f64 max (+inf and -inf when empty);
    ///  - varint count below zero, varint count above zero;
    ///  - sketch counts (quantile_sketch::write_to);
    ///  - k x (varint count above threshold, varint count below threshold).
    /// Canonical: equal states give equal bytes, whatever the order of additions and merges.
    std::string to_bytes() const {
        detail::byte_writer w;
        detail::write_header(w, bytes_magic, bytes_version);
        w.f64(options_.sketch_relative_accuracy);
        w.varint(options_.sketch_max_buckets);
        w.varint(options_.thresholds.size());
        for (double t : options_.thresholds) w.f64(t);
        moments_.write_to(w);
        w.f64(count() == 0 ? std::numeric_limits<double>::infinity() : min_);
        w.f64(count() == 0 ? -std::numeric_limits<double>::infinity() : max_);
        w.varint(negative_);
        w.varint(positive_);
        sketch_.write_to(w);
        for (std::size_t j = 0; j < above_.size(); ++j) {
            w.varint(above_[j]);
            w.varint(below_[j]);
        }
        return w.take();
    }

    /// Reads what to_bytes wrote: the result == the serialised summary, answers every query
    /// with the same bits and merges exactly like it.
    /// \throws invalid_argument whose message starts "streaming_summary::from_bytes:" and
    ///         names the problem and its byte offset: bad magic, unsupported version,
    ///         truncated input, trailing bytes, options out of range, or an inconsistent
    ///         state (counts that disagree, min > max, non-finite min/max of a non-empty
    ///         summary, a negative sum of squares, ...).
    static streaming_summary from_bytes(std::string_view bytes) {
        detail::byte_reader r(bytes, "streaming_summary::from_bytes");
        detail::read_header(r, bytes_magic, bytes_version, "streaming_summary");
        summary_options o;
        o.sketch_relative_accuracy = r.f64("sketch_relative_accuracy");
        const std::uint64_t mb = r.varint("sketch_max_buckets");
        quantile_sketch sk = quantile_sketch::make_for_reading(r, o.sketch_relative_accuracy, mb);
        o.sketch_max_buckets = static_cast<std::size_t>(mb);
        const std::uint64_t k = r.varint("threshold count");
        if (k > r.remaining() / 8)
            r.fail("threshold count", "truncated input: " + std::to_string(k) + " thresholds cannot fit in the " +
                                          std::to_string(r.remaining()) + " bytes left");
        o.thresholds.resize(static_cast<std::size_t>(k));
        for (auto& t : o.thresholds) {
            t = r.f64("threshold");
            if (!std::isfinite(t)) r.fail("threshold", "value " + detail::format_value(t) + " is not finite");
        }
        streaming_summary s(o);
        s.moments_ = exact_moments::read_from(r);
        const std::size_t at_minmax = r.offset();
        s.min_ = r.f64("min");
        s.max_ = r.f64("max");
        const std::uint64_t n = s.moments_.count();
        if (n == 0) {
            if (!(s.min_ == std::numeric_limits<double>::infinity() &&
                  s.max_ == -std::numeric_limits<double>::infinity()))
                r.fail("min/max", "an empty summary must have min = +inf and max = -inf", at_minmax);
        } else if (!(std::isfinite(s.min_) && std::isfinite(s.max_) && s.min_ <= s.max_) ||
                   std::signbit(s.min_ + 0.0) != std::signbit(s.min_) ||
                   std::signbit(s.max_ + 0.0) != std::signbit(s.max_)) {
            r.fail("min/max", "min = " + detail::format_value(s.min_) + ", max = " + detail::format_value(s.max_) +
                                  " must be finite, not -0, with min <= max", at_minmax);
        }
        const std::size_t at_counts = r.offset();
        s.negative_ = r.varint("count below zero");
        s.positive_ = r.varint("count above zero");
        if (s.negative_ > n || s.positive_ > n - s.negative_)
            r.fail("sign counts", std::to_string(s.negative_) + " below and " + std::to_string(s.positive_) +
                                      " above zero exceed the count " + std::to_string(n), at_counts);
        const std::size_t at_sketch = r.offset();
        sk.read_body(r);
        if (sk.count() != n)
            r.fail("sketch", "the sketch counts " + std::to_string(sk.count()) + " values, the moments " +
                                 std::to_string(n), at_sketch);
        s.sketch_ = std::move(sk);
        for (std::size_t j = 0; j < s.above_.size(); ++j) {
            const std::size_t at = r.offset();
            s.above_[j] = r.varint("threshold count above");
            s.below_[j] = r.varint("threshold count below");
            if (s.above_[j] > n || s.below_[j] > n - s.above_[j])
                r.fail("threshold counts", "threshold " + std::to_string(j) + ": " + std::to_string(s.above_[j]) +
                                               " above and " + std::to_string(s.below_[j]) +
                                               " below exceed the count " + std::to_string(n), at);
        }
        r.expect_end();
        return s;
    }

private:
    void require_count(const char* fn, std::uint64_t needed) const {
        if (count() < needed)
            throw invalid_argument("streaming_summary::" + std::string(fn) + ": needs at least " +
                                   std::to_string(needed) + " value(s), count() = " +
                                   std::to_string(count()));
    }

    void check_t(const char* fn, double t) const {
        if (std::isnan(t)) detail::throw_invalid(fn, "t", t, "must not be NaN");
        if (count() == 0)
            throw invalid_argument(std::string(fn) + ": needs at least 1 value, count() = 0");
    }

    /// Index of t in options().thresholds, or -1.
    int threshold_slot(double t) const {
        const auto& th = options_.thresholds;
        for (std::size_t j = 0; j < th.size(); ++j)
            if (th[j] == t) return static_cast<int>(j);
        return -1;
    }

    /// The sketch's buckets in increasing order, representatives clamped to [min, max].
    std::vector<sketch_bucket> clamped_buckets() const {
        auto bs = sketch_.buckets();
        for (auto& b : bs) b.representative = std::clamp(b.representative, min_, max_);
        return bs;
    }

    summary_options options_;
    exact_moments moments_;
    double min_ = std::numeric_limits<double>::infinity();
    double max_ = -std::numeric_limits<double>::infinity();
    std::uint64_t negative_ = 0;
    std::uint64_t positive_ = 0;
    quantile_sketch sketch_;
    std::vector<std::uint64_t> above_;
    std::vector<std::uint64_t> below_;
};

}  // namespace offroi
