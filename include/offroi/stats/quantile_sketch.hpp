#pragma once
/// \file
/// A deterministic, mergeable quantile sketch with relative value accuracy: DDSketch
/// (Masson, Rim and Lee, "DDSketch: a fast and fully-mergeable quantile sketch with
/// relative-error guarantees", PVLDB 12(12), 2019), with the cubically interpolated
/// logarithm of the reference implementations (no call to std::log: the bucket index is a
/// function of the bits of x computed with + and * only).
///
/// Buckets. Positive values |x| >= DBL_MIN go to a positive store, negative ones (by their
/// magnitude) to a negative store, and 0 and subnormals to a zero count. A magnitude
/// a = 2^e (1 + s), s in [0, 1), is mapped to f(a) = e + P(s) with P(s) = A s^3 + B s^2 + C s,
/// A = 6/35, B = -3/5, C = 10/7 (P(0) = 0, P(1) = 1, so f is continuous and increasing and
/// approximates log2 a), and to the bucket index i = ceil(m f(a)). Bucket i holds
/// f in ((i-1)/m, i/m]. Since d(ln a)/df = 1 / ((1+s) P'(s)) <= 0.7 (the minimum of
/// (1+s) P'(s) on [0, 1] is 10/7, reached at s = 0 and s = 2/3), choosing
/// m = 0.7 (1 + 1e-6) / ln(gamma), gamma = (1 + alpha) / (1 - alpha), makes every bucket
/// [lo, hi] satisfy hi / lo < gamma; its representative 2 lo hi / (lo + hi) is then within
/// alpha * |x| of every value x in it (the 1e-6 margin absorbs the rounding of f).
///
/// Error bounds (value_at_rank(r) returns the representative of the bucket that holds the
/// r-th smallest value x_(r)):
///  - relative value error: |value_at_rank(r) - x_(r)| <= alpha |x_(r)|, provided x_(r) is
///    not in a collapsed bucket (below) and |x_(r)| >= DBL_MIN (else the error is < DBL_MIN);
///  - rank error: the true rank of the returned value differs from r by less than the count
///    of its bucket.
///
/// Bounded memory. Each store keeps at most `max_buckets` consecutive indices: when the
/// largest index M of a store is known, every value of index below M - max_buckets + 1 is
/// counted in bucket M - max_buckets + 1 instead (the smallest magnitudes collapse, i.e.
/// values near zero, which matter least for costs and tails). The final state is a function
/// of the multiset of values only (each value ends in bucket max(i, M - max_buckets + 1)), so
/// collapsing keeps merges exactly commutative and associative. With alpha = 1e-3 a decade
/// of magnitudes takes about 1,163 buckets: the default 16,384 buckets per store (128 KiB)
/// cover about 14 decades below the largest magnitude before anything collapses. `collapsed()`
/// says whether it happened.
///
/// Counts are integers, so `merge` is exact, commutative and associative.

#include <algorithm>
#include <bit>
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "offroi/detail/checks.hpp"
#include "offroi/error.hpp"
#include "offroi/stats/detail/byte_codec.hpp"
#include "offroi/random/detail/simd.hpp"
#include "offroi/stats/double_double.hpp"

namespace offroi {

class quantile_sketch;

namespace detail {

/// Counts per consecutive bucket index, with the collapsing rule of quantile_sketch.
class sketch_store {
public:
    static constexpr std::int64_t empty_max = std::numeric_limits<std::int64_t>::min();

    explicit sketch_store(std::size_t max_buckets = 16384)
        : max_buckets_(static_cast<std::int64_t>(max_buckets)) {}

    /// Adds c values of bucket index i.
    void add(std::int64_t i, std::uint64_t c = 1) {
        if (i > max_) raise_max(i);
        if (i < floor_) {
            i = floor_;
            collapsed_ = true;
        }
        if (i < lo_) extend_down(i);
        cells_[static_cast<std::size_t>(i - lo_)] += c;
        total_ += c;
    }

    /// Adds every count of `o`: the same state as `add(i, c)` for each of its non-empty
    /// buckets, in one pass over o's cells (no per-bucket checks).
    void merge(const sketch_store& o) {
        if (o.total_ == 0) return;
        // o's non-empty cells are [k0, k1] (its largest index o.max_ is never empty).
        std::size_t k0 = 0;
        while (o.cells_[k0] == 0) ++k0;
        const auto k1 = static_cast<std::size_t>(o.max_ - o.lo_);
        const std::uint64_t o_total = o.total_;
        const bool o_collapsed = o.collapsed_;
        prepare(o.lo_ + static_cast<std::int64_t>(k0), o.max_);  // may reallocate (o may be *this)
        // Buckets below the floor are counted in the floor's bucket, as add() does.
        std::uint64_t folded = 0;
        std::size_t k = k0;
        for (; k <= k1 && o.lo_ + static_cast<std::int64_t>(k) < floor_; ++k) folded += o.cells_[k];
        if (&o == this) {  // self-merge: every count doubles (no cell lies below the floor)
            for (auto& c : cells_) c *= 2;
        } else {
            const std::int64_t shift = o.lo_ - lo_;  // o's cell k is this store's k + shift
            for (; k <= k1; ++k) cells_[static_cast<std::size_t>(static_cast<std::int64_t>(k) + shift)] += o.cells_[k];
        }
        if (folded != 0) cells_[0] += folded;  // lo_ == floor_ then (prepare extended down to it)
        total_ += o_total;
        collapsed_ = collapsed_ || o_collapsed;
    }


    /// Number of values counted.
    std::uint64_t total() const { return total_; }
    /// Whether some value was counted in a higher bucket than its own (see quantile_sketch).
    bool collapsed() const { return collapsed_; }
    /// Calls fn(index, count) for each non-empty bucket, by increasing index.
    template <class Fn>
    void for_each_ascending(Fn&& fn) const {
        for (std::size_t k = 0; k < cells_.size(); ++k)
            if (cells_[k] != 0) fn(lo_ + static_cast<std::int64_t>(k), cells_[k]);
    }
    /// Calls fn(index, count) for each non-empty bucket, by decreasing index; stops when fn
    /// returns false.
    template <class Fn>
    void for_each_descending(Fn&& fn) const {
        for (std::size_t k = cells_.size(); k-- > 0;)
            if (cells_[k] != 0 && !fn(lo_ + static_cast<std::int64_t>(k), cells_[k])) return;
    }
    /// Same as for_each_ascending, stopping when fn returns false.
    template <class Fn>
    void for_each_ascending_until(Fn&& fn) const {
        for (std::size_t k = 0; k < cells_.size(); ++k)
            if (cells_[k] != 0 && !fn(lo_ + static_cast<std::int64_t>(k), cells_[k])) return;
    }
    /// Number of bucket cells allocated (memory is 8 bytes per cell).
    std::size_t allocated_cells() const { return cells_.size(); }

    /// Equality of the counted content (independent of the allocation).
    friend bool operator==(const sketch_store& a, const sketch_store& b) {
        if (a.total_ != b.total_ || a.collapsed_ != b.collapsed_ || a.max_ != b.max_)
            return false;
        std::vector<std::pair<std::int64_t, std::uint64_t>> x, y;
        a.for_each_ascending([&](std::int64_t i, std::uint64_t c) { x.emplace_back(i, c); });
        b.for_each_ascending([&](std::int64_t i, std::uint64_t c) { y.emplace_back(i, c); });
        return x == y;
    }

    /// Appends the counted content: u8 collapsed flag, varint number of non-empty buckets
    /// k, then (if k > 0) svarint first index and varint count, and for each further bucket
    /// varint (index - previous index) and varint count. The largest index is the last
    /// bucket's (the bucket of the largest index is never empty).
    void write_to(byte_writer& w) const {
        std::uint64_t k = 0;
        for_each_ascending([&](std::int64_t, std::uint64_t) { ++k; });
        w.u8(collapsed_ ? 1 : 0);
        w.varint(k);
        bool first = true;
        std::int64_t prev = 0;
        for_each_ascending([&](std::int64_t i, std::uint64_t c) {
            if (first) w.svarint(i);
            else w.varint(static_cast<std::uint64_t>(i - prev));
            w.varint(c);
            first = false;
            prev = i;
        });
    }

    /// Reads what write_to wrote into an empty store of `max_buckets` buckets whose indices
    /// must lie in [min_index, max_index] (the indices the sketch can produce).
    /// \throws invalid_argument naming `what` on truncation, a flag byte other than 0/1, a
    ///         zero count, a count total above 2^64 - 1, an index outside the range, or
    ///         buckets spanning more than max_buckets indices.
    static sketch_store read_from(byte_reader& r, const char* what, std::size_t max_buckets,
                                  std::int64_t min_index, std::int64_t max_index) {
        sketch_store st(max_buckets);
        const std::size_t at = r.offset();
        const std::uint8_t flag = r.u8(what);
        if (flag > 1) r.fail(what, "collapsed flag " + std::to_string(flag) + " is not 0 or 1", at);
        const std::uint64_t k = r.varint(what);
        if (k > r.remaining() / 2)  // each bucket takes at least 2 bytes
            r.fail(what, "truncated input: " + std::to_string(k) + " buckets cannot fit in the " + std::to_string(r.remaining()) +
                             " bytes left", at);
        if (k == 0) {
            if (flag != 0) r.fail(what, "an empty store cannot be collapsed", at);
            return st;
        }
        std::vector<std::pair<std::int64_t, std::uint64_t>> cells;
        cells.reserve(static_cast<std::size_t>(k));
        std::int64_t i = r.svarint(what);
        std::uint64_t total = 0;
        for (std::uint64_t b = 0; b < k; ++b) {
            if (b > 0) {
                const std::uint64_t d = r.varint(what);
                if (d == 0 || d > static_cast<std::uint64_t>(max_index - i))
                    r.fail(what, "bucket index step " + std::to_string(d) + " is 0 or leaves the index range");
                i += static_cast<std::int64_t>(d);
            }
            if (i < min_index || i > max_index)
                r.fail(what, "bucket index " + std::to_string(i) + " is outside [" + std::to_string(min_index) +
                                 ", " + std::to_string(max_index) + "]");
            const std::uint64_t c = r.varint(what);
            if (c == 0) r.fail(what, "a listed bucket has count 0");
            if (c > std::numeric_limits<std::uint64_t>::max() - total)
                r.fail(what, "the bucket counts overflow 2^64 - 1");
            total += c;
            cells.emplace_back(i, c);
        }
        const std::int64_t top = cells.back().first;
        if (static_cast<std::uint64_t>(top - cells.front().first) >= static_cast<std::uint64_t>(max_buckets))
            r.fail(what, "buckets span " + std::to_string(top - cells.front().first + 1) +
                             " indices, more than max_buckets = " + std::to_string(max_buckets), at);
        st.raise_max(top);
        for (const auto& [idx, c] : cells) st.add(idx, c);
        st.collapsed_ = flag != 0;
        return st;
    }

private:
    friend class ::offroi::quantile_sketch;  // its batch add prepares a store, then fills cells

    /// Makes room for indices [lo_index, hi_index] (lo_index <= hi_index): raises the largest
    /// index to hi_index if higher, then extends the cells down to max(lo_index, floor).
    /// Marks the store collapsed if lo_index is below the (raised) floor. Afterwards every
    /// index in [max(lo_index, floor), hi_index] has a cell. Counts nothing, so the caller
    /// must then count a value of index hi_index (the largest index's bucket is never empty).
    void prepare(std::int64_t lo_index, std::int64_t hi_index) {
        if (hi_index > max_) raise_max(hi_index);
        if (lo_index < floor_) {
            lo_index = floor_;
            collapsed_ = true;
        }
        if (lo_index < lo_) extend_down(lo_index);
    }

    void raise_max(std::int64_t i) {
        max_ = i;
        const std::int64_t new_floor = i - max_buckets_ + 1;
        if (cells_.empty()) {
            floor_ = new_floor;
            lo_ = std::max(floor_, i - 32);
            cells_.assign(static_cast<std::size_t>(i - lo_ + 1), 0);
            return;
        }
        if (new_floor > floor_) {
            floor_ = new_floor;
            if (lo_ < floor_) {
                const auto below = std::min<std::int64_t>(floor_ - lo_,
                                                          static_cast<std::int64_t>(cells_.size()));
                std::uint64_t folded = 0;
                for (std::int64_t k = 0; k < below; ++k) folded += cells_[static_cast<std::size_t>(k)];
                cells_.erase(cells_.begin(), cells_.begin() + below);
                lo_ += below;
                if (cells_.empty() || lo_ != floor_) {  // everything was below the floor
                    cells_.clear();
                    lo_ = floor_;
                    cells_.push_back(0);
                }
                if (folded != 0) collapsed_ = true;
                cells_[0] += folded;
            }
        }
        const std::int64_t need = i - lo_ + 1;
        if (need > static_cast<std::int64_t>(cells_.size())) {
            const auto grown = static_cast<std::int64_t>(cells_.size() + cells_.size() / 2 + 16);
            const std::int64_t cap = max_buckets_ + 64;  // cells above max_ stay zero
            cells_.resize(static_cast<std::size_t>(std::max(need, std::min(grown, cap))), 0);
        }
    }

    void extend_down(std::int64_t i) {
        const auto slack = static_cast<std::int64_t>(cells_.size() / 2 + 16);
        const std::int64_t new_lo = std::max(floor_, std::min(i, lo_ - slack));
        cells_.insert(cells_.begin(), static_cast<std::size_t>(lo_ - new_lo), 0);
        lo_ = new_lo;
    }

    std::vector<std::uint64_t> cells_;  // cells_[k] counts bucket lo_ + k
    std::int64_t lo_ = 0;
    std::int64_t max_ = empty_max;      // largest index added (empty_max when empty)
    std::int64_t floor_ = empty_max;    // max_ - max_buckets + 1
    std::int64_t max_buckets_;
    std::uint64_t total_ = 0;
    bool collapsed_ = false;
};

#if OFFROI_SAMPLING_X86
/// What sketch_codes_avx2 found in a batch: the extreme bucket indices of its positive and
/// of its negative values (as exact doubles; +-1e300 when there are none) and their counts.
struct sketch_batch_summary {
    double pos_min, pos_max, neg_min, neg_max;
    std::uint64_t positives, negatives;
};

/// The bucket codes of n values (n a multiple of 4), four at a time (AVX2): codes[i] =
/// 4 i + c with i = quantile_sketch::index_of(|x[i]|) (the same operations in the same order,
/// each rounded on its own: same bits) and c the class of x[i]: 0 for x <= -DBL_MIN, 1 for
/// zero and subnormals, 2 for x >= DBL_MIN. Bucket indices lie within +-4e8 (m < 3.6e5 for
/// alpha >= 1e-6, |f| <= 1024), so the codes fit 32 bits. Precondition: finite values.
__attribute__((target("avx2"))) inline sketch_batch_summary sketch_codes_avx2(const double* x, std::size_t n,
                                                                              double multiplier,
                                                                              std::int32_t* codes) noexcept {
    const __m256d sign = _mm256_set1_pd(-0.0);
    const __m256i magic = _mm256_set1_epi64x(0x4330000000000000LL);  // 2^52: exact integer -> double
    const __m256d two52 = _mm256_set1_pd(0x1p52);
    const __m256i frac_mask = _mm256_set1_epi64x((std::int64_t{1} << 52) - 1);
    const __m256d a_ = _mm256_set1_pd(6.0 / 35.0), b_ = _mm256_set1_pd(-3.0 / 5.0), c_ = _mm256_set1_pd(10.0 / 7.0);
    const __m256d bias = _mm256_set1_pd(1023.0), ulp = _mm256_set1_pd(0x1p-52), m = _mm256_set1_pd(multiplier);
    const __m256d dmin = _mm256_set1_pd(DBL_MIN), neg_dmin = _mm256_set1_pd(-DBL_MIN);
    const __m256d one = _mm256_set1_pd(1.0), four = _mm256_set1_pd(4.0);
    const __m256d big = _mm256_set1_pd(1e300), small = _mm256_set1_pd(-1e300);
    __m256d pmin = big, pmax = small, nmin = big, nmax = small;
    __m256i npos = _mm256_setzero_si256(), nneg = _mm256_setzero_si256();
    for (std::size_t i = 0; i < n; i += 4) {
        const __m256d v = _mm256_loadu_pd(x + i);
        const __m256i bits = _mm256_castpd_si256(_mm256_andnot_pd(sign, v));  // |v|
        // e = biased exponent - 1023 and s = fraction * 2^-52, both exact (as index_of).
        const __m256d biased =
            _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(_mm256_srli_epi64(bits, 52), magic)), two52);
        const __m256d e = _mm256_sub_pd(biased, bias);
        const __m256d frac =
            _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(_mm256_and_si256(bits, frac_mask), magic)), two52);
        const __m256d s = _mm256_mul_pd(frac, ulp);
        const __m256d t1 = _mm256_add_pd(_mm256_mul_pd(a_, s), b_);
        const __m256d t2 = _mm256_add_pd(_mm256_mul_pd(t1, s), c_);
        const __m256d f = _mm256_add_pd(_mm256_mul_pd(t2, s), e);
        // ceil(y): what index_of's truncation and increment give.
        const __m256d idx = _mm256_round_pd(_mm256_mul_pd(f, m), _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC);
        const __m256d pos = _mm256_cmp_pd(v, dmin, _CMP_GE_OQ);
        const __m256d neg = _mm256_cmp_pd(v, neg_dmin, _CMP_LE_OQ);
        pmin = _mm256_min_pd(pmin, _mm256_blendv_pd(big, idx, pos));
        pmax = _mm256_max_pd(pmax, _mm256_blendv_pd(small, idx, pos));
        nmin = _mm256_min_pd(nmin, _mm256_blendv_pd(big, idx, neg));
        nmax = _mm256_max_pd(nmax, _mm256_blendv_pd(small, idx, neg));
        npos = _mm256_sub_epi64(npos, _mm256_castpd_si256(pos));  // a true lane is -1
        nneg = _mm256_sub_epi64(nneg, _mm256_castpd_si256(neg));
        const __m256d cls = _mm256_sub_pd(_mm256_add_pd(one, _mm256_and_pd(pos, one)), _mm256_and_pd(neg, one));
        const __m256d code = _mm256_add_pd(_mm256_mul_pd(idx, four), cls);  // exact small integers
        _mm_storeu_si128(reinterpret_cast<__m128i*>(codes + i), _mm256_cvttpd_epi32(code));
    }
    alignas(32) double lo_p[4], hi_p[4], lo_n[4], hi_n[4];
    alignas(32) std::uint64_t cp[4], cn[4];
    _mm256_store_pd(lo_p, pmin);
    _mm256_store_pd(hi_p, pmax);
    _mm256_store_pd(lo_n, nmin);
    _mm256_store_pd(hi_n, nmax);
    _mm256_store_si256(reinterpret_cast<__m256i*>(cp), npos);
    _mm256_store_si256(reinterpret_cast<__m256i*>(cn), nneg);
    sketch_batch_summary r{lo_p[0], hi_p[0], lo_n[0], hi_n[0], cp[0], cn[0]};
    for (int k = 1; k < 4; ++k) {
        r.pos_min = std::min(r.pos_min, lo_p[k]);
        r.pos_max = std::max(r.pos_max, hi_p[k]);
        r.neg_min = std::min(r.neg_min, lo_n[k]);
        r.neg_max = std::max(r.neg_max, hi_n[k]);
        r.positives += cp[k];
        r.negatives += cn[k];
    }
    return r;
}
#endif

}  // namespace detail

/// One bucket of a quantile_sketch as a value range: every value counted in it lies in
/// [lower, upper] (up to the collapse of small magnitudes), and `representative` is within
/// the sketch's relative accuracy of each.
struct sketch_bucket {
    double lower;            ///< smallest value the bucket can hold
    double upper;            ///< largest value the bucket can hold
    double representative;   ///< the value reported for its members
    std::uint64_t count;     ///< how many values it holds
};

/// DDSketch with relative accuracy alpha; see the file comment for the bounds.
class quantile_sketch {
public:
    /// Creates an empty sketch.
    /// \param relative_accuracy alpha in [1e-6, 0.5]: relative error bound of returned values.
    /// \param max_buckets buckets kept per sign, >= 16 (memory: 8 bytes each, at most).
    /// \throws invalid_argument naming the parameter when out of range.
    explicit quantile_sketch(double relative_accuracy = 1e-3, std::size_t max_buckets = 16384)
        : alpha_(relative_accuracy), max_buckets_(max_buckets) {
        if (!(relative_accuracy >= 1e-6 && relative_accuracy <= 0.5))
            detail::throw_invalid("quantile_sketch", "relative_accuracy", relative_accuracy,
                                  "must be in [1e-6, 0.5]");
        if (max_buckets < 16)
            detail::throw_invalid("quantile_sketch", "max_buckets",
                                  static_cast<double>(max_buckets), "must be >= 16");
        const double gamma = (1.0 + alpha_) / (1.0 - alpha_);
        multiplier_ = 0.7 * (1.0 + 1e-6) / std::log(gamma);
        positive_ = detail::sketch_store(max_buckets);
        negative_ = detail::sketch_store(max_buckets);
    }

    /// Adds a finite value (precondition: std::isfinite(x); streaming_summary checks it).
    void add(double x) {
        if (x >= DBL_MIN)
            positive_.add(index_of(x));
        else if (x <= -DBL_MIN)
            negative_.add(index_of(-x));
        else
            ++zero_count_;
    }

    /// Adds n finite values (precondition, as add(double)): the same state as adding them
    /// one by one. Where AVX2 is available (detail::cpu_simd_level), 512 values at a time:
    /// their bucket indices four at a time (detail::sketch_codes_avx2, the bits of index_of),
    /// each store made room for once, then one increment per value with no branch on its
    /// sign. Elsewhere, add(double) per value.
    void add(const double* x, std::size_t n) {
#if OFFROI_SAMPLING_X86
        if (detail::cpu_simd_level() >= detail::simd_level::avx2) {
            std::int32_t codes[512];
            while (n >= 4) {
                const std::size_t k = std::min<std::size_t>(n - n % 4, 512);
                add_codes(detail::sketch_codes_avx2(x, k, multiplier_, codes), codes, k);
                x += k;
                n -= k;
            }
        }
#endif
        for (std::size_t i = 0; i < n; ++i) add(x[i]);
    }

    /// Adds the counts of `other`. Exact, commutative and associative.
    /// \throws invalid_argument if the two sketches have different parameters.
    void merge(const quantile_sketch& other) {
        if (other.alpha_ != alpha_ || other.max_buckets_ != max_buckets_)
            detail::throw_invalid("quantile_sketch::merge", "other.relative_accuracy",
                                  other.alpha_,
                                  "merged sketches must have the same relative_accuracy (" +
                                      detail::format_value(alpha_) + ") and max_buckets (" +
                                      std::to_string(max_buckets_) + ")");
        positive_.merge(other.positive_);
        negative_.merge(other.negative_);
        zero_count_ += other.zero_count_;
    }

    /// Number of values added.
    std::uint64_t count() const { return positive_.total() + negative_.total() + zero_count_; }
    /// The relative accuracy alpha.
    double relative_accuracy() const { return alpha_; }
    /// Buckets kept per sign.
    std::size_t max_buckets() const { return max_buckets_; }
    /// True if some small magnitudes were merged into a higher bucket (accuracy bound then
    /// does not hold for them; see the file comment).
    bool collapsed() const { return positive_.collapsed() || negative_.collapsed(); }
    /// Bytes used by the bucket arrays.
    std::size_t memory_bytes() const {
        return (positive_.allocated_cells() + negative_.allocated_cells()) * sizeof(std::uint64_t);
    }

    /// The bucket index of a magnitude a >= DBL_MIN: ceil(m f(a)).
    std::int64_t index_of(double a) const {
        const auto bits = std::bit_cast<std::uint64_t>(a);
        const double e = static_cast<double>(static_cast<int>((bits >> 52) & 0x7ffU) - 1023);
        const double s = static_cast<double>(bits & ((std::uint64_t{1} << 52) - 1)) * 0x1p-52;
        // Each product is rounded on its own (no FMA contraction), so the index is the same
        // on every IEEE-754 target whatever the compiler flags.
        using detail::no_contract;
        const double t1 = no_contract(A * s) + B;
        const double t2 = no_contract(t1 * s) + C;
        const double f = no_contract(t2 * s) + e;
        const double y = f * multiplier_;
        auto t = static_cast<std::int64_t>(y);  // truncation, then ceiling
        if (static_cast<double>(t) < y) ++t;
        return t;
    }

    /// The smallest magnitude of bucket i: f^-1((i - 1) / m).
    double bucket_lower(std::int64_t i) const {
        return inverse_f(static_cast<double>(i - 1) / multiplier_);
    }
    /// The largest magnitude of bucket i: f^-1(i / m).
    double bucket_upper(std::int64_t i) const {
        return inverse_f(static_cast<double>(i) / multiplier_);
    }
    /// The representative magnitude of bucket i: 2 lo hi / (lo + hi) (harmonic mean of the
    /// ends, which equalises the relative error at both ends).
    double bucket_representative(std::int64_t i) const {
        const double lo = bucket_lower(i);
        const double hi = bucket_upper(i);
        return 2.0 * lo / (1.0 + lo / hi);
    }

    /// Every non-empty bucket as a value range, in increasing order of value.
    std::vector<sketch_bucket> buckets() const {
        std::vector<sketch_bucket> out;
        negative_.for_each_descending([&](std::int64_t i, std::uint64_t c) {
            out.push_back({-bucket_upper(i), -bucket_lower(i), -bucket_representative(i), c});
            return true;
        });
        if (zero_count_ != 0) out.push_back({-DBL_MIN, DBL_MIN, 0.0, zero_count_});
        positive_.for_each_ascending([&](std::int64_t i, std::uint64_t c) {
            out.push_back({bucket_lower(i), bucket_upper(i), bucket_representative(i), c});
        });
        return out;
    }

    /// Calls fn(representative, count) for each non-empty bucket, in increasing order of
    /// value (`ascending`) or decreasing, until fn returns false: the representatives and
    /// counts of `buckets()` in that order (or its reverse), computed only for the buckets
    /// visited.
    template <class Fn>
    void for_each_representative(bool ascending, Fn&& fn) const {
        bool go = true;
        const detail::sketch_store& first = ascending ? negative_ : positive_;
        const detail::sketch_store& second = ascending ? positive_ : negative_;
        const double first_sign = ascending ? -1.0 : 1.0;
        first.for_each_descending([&](std::int64_t i, std::uint64_t c) {
            go = fn(first_sign * bucket_representative(i), c);
            return go;
        });
        if (!go) return;
        if (zero_count_ != 0 && !fn(0.0, zero_count_)) return;
        second.for_each_ascending_until([&](std::int64_t i, std::uint64_t c) {
            return fn(-first_sign * bucket_representative(i), c);
        });
    }

    /// The representative of the bucket holding the r-th smallest value (0-based).
    /// \throws invalid_argument if r >= count().
    double value_at_rank(std::uint64_t r) const {
        const std::uint64_t n = count();
        if (r >= n)
            detail::throw_invalid("quantile_sketch::value_at_rank", "rank", static_cast<double>(r),
                                  "must be < count() = " + std::to_string(n));
        std::uint64_t seen = 0;
        double result = 0.0;
        bool found = false;
        negative_.for_each_descending([&](std::int64_t i, std::uint64_t c) {
            seen += c;
            if (r < seen) {
                result = -bucket_representative(i);
                found = true;
                return false;
            }
            return true;
        });
        if (found) return result;
        seen += zero_count_;
        if (r < seen) return 0.0;
        positive_.for_each_ascending_until([&](std::int64_t i, std::uint64_t c) {
            seen += c;
            if (r < seen) {
                result = bucket_representative(i);
                return false;
            }
            return true;
        });
        return result;
    }

    /// Equality of the counted content.
    friend bool operator==(const quantile_sketch& a, const quantile_sketch& b) {
        return a.alpha_ == b.alpha_ && a.max_buckets_ == b.max_buckets_ &&
               a.zero_count_ == b.zero_count_ && a.positive_ == b.positive_ &&
               a.negative_ == b.negative_;
    }

    /// Format tag of to_bytes ("ORQS").
    static constexpr std::string_view bytes_magic = "ORQS";
    /// Version of the to_bytes format this build writes and reads.
    static constexpr std::uint16_t bytes_version = 1;

    /// The sketch as bytes: "ORQS", u16 version 1, f64 relative_accuracy, varint
    /// max_buckets, then the body of write_to. Canonical (equal sketches give equal bytes);
    /// about 2-4 bytes per non-empty bucket, at most max_buckets buckets per sign, so the
    /// size does not grow with count().
    std::string to_bytes() const {
        detail::byte_writer w;
        detail::write_header(w, bytes_magic, bytes_version);
        w.f64(alpha_);
        w.varint(max_buckets_);
        write_to(w);
        return w.take();
    }

    /// Reads what to_bytes wrote; the result == the serialised sketch and merges with
    /// sketches of the same parameters as the original would.
    /// \throws invalid_argument naming the problem (bad magic, unsupported version,
    ///         truncation, trailing bytes, parameters out of range, impossible buckets).
    static quantile_sketch from_bytes(std::string_view bytes) {
        detail::byte_reader r(bytes, "quantile_sketch::from_bytes");
        detail::read_header(r, bytes_magic, bytes_version, "quantile_sketch");
        const double alpha = r.f64("relative_accuracy");
        const std::uint64_t mb = r.varint("max_buckets");
        quantile_sketch q = make_for_reading(r, alpha, mb);
        q.read_body(r);
        r.expect_end();
        return q;
    }

    /// Appends the counts (not the parameters): varint zero count, then the positive and
    /// the negative store (detail::sketch_store::write_to).
    void write_to(detail::byte_writer& w) const {
        w.varint(zero_count_);
        positive_.write_to(w);
        negative_.write_to(w);
    }

    /// An empty sketch with parameters read from a byte stream.
    /// \throws invalid_argument (through r) if they are out of range.
    static quantile_sketch make_for_reading(detail::byte_reader& r, double alpha, std::uint64_t max_buckets) {
        if (!(alpha >= 1e-6 && alpha <= 0.5))
            r.fail("relative_accuracy", "value " + detail::format_value(alpha) + " is not in [1e-6, 0.5]");
        if (max_buckets < 16 || max_buckets > (std::uint64_t{1} << 40))
            r.fail("max_buckets", "value " + std::to_string(max_buckets) + " is not in [16, 2^40]");
        return quantile_sketch(alpha, static_cast<std::size_t>(max_buckets));
    }

    /// Replaces the counts by a body written by write_to (same parameters as this sketch).
    /// \throws invalid_argument (through r) on truncation or impossible buckets.
    void read_body(detail::byte_reader& r) {
        const std::int64_t lo = index_of(DBL_MIN);
        const std::int64_t hi = index_of(DBL_MAX);
        const std::size_t at = r.offset();
        const std::uint64_t z = r.varint("quantile_sketch zero count");
        auto pos = detail::sketch_store::read_from(r, "quantile_sketch positive buckets", max_buckets_, lo, hi);
        auto neg = detail::sketch_store::read_from(r, "quantile_sketch negative buckets", max_buckets_, lo, hi);
        constexpr auto top = std::numeric_limits<std::uint64_t>::max();
        if (pos.total() > top - z || neg.total() > top - z - pos.total())
            r.fail("quantile_sketch", "the total count overflows 2^64 - 1", at);
        zero_count_ = z;
        positive_ = std::move(pos);
        negative_ = std::move(neg);
    }

private:
#if OFFROI_SAMPLING_X86
    // Counts k values from their codes (see detail::sketch_codes_avx2).
    void add_codes(const detail::sketch_batch_summary& b, const std::int32_t* codes, std::size_t k) {
        zero_count_ += k - b.positives - b.negatives;
        if (b.positives + b.negatives == 0) return;
        // A sign without values has +-1e300 as its extremes: converted only when it has values.
        const std::int64_t pmin = b.positives != 0 ? static_cast<std::int64_t>(b.pos_min) : 0;
        const std::int64_t pmax = b.positives != 0 ? static_cast<std::int64_t>(b.pos_max) : 0;
        const std::int64_t nmin = b.negatives != 0 ? static_cast<std::int64_t>(b.neg_min) : 0;
        const std::int64_t nmax = b.negatives != 0 ? static_cast<std::int64_t>(b.neg_max) : 0;
        // Raising a store's largest index first is what adding the values in any order ends
        // with (the state is a function of the multiset of values, see the file comment).
        if (b.positives != 0) positive_.prepare(pmin, pmax);
        if (b.negatives != 0) negative_.prepare(nmin, nmax);
        if (b.positives == k && pmin == pmax) {  // one bucket (a flag, a constant): one addition
            positive_.cells_[static_cast<std::size_t>(std::max(pmin, positive_.floor_) - positive_.lo_)] += k;
        } else if (b.negatives == k && nmin == nmax) {
            negative_.cells_[static_cast<std::size_t>(std::max(nmin, negative_.floor_) - negative_.lo_)] += k;
        } else {
            // Per class (code & 3): the cells, the floor and the index of cells[0]. Zeros and
            // subnormals (counted above) go to a sink, never read: floor = offset = max int64.
            // Each of the four positions of a step has its own sinks, so a run of zeros is not
            // one chain of increments of one memory cell (each waits for the previous store).
            constexpr std::int64_t none = std::numeric_limits<std::int64_t>::max();
            std::uint64_t zero_sink[4] = {0, 0, 0, 0};
            std::uint64_t* bases[4][3];
            for (int j = 0; j < 4; ++j) bases[j][0] = bases[j][1] = bases[j][2] = &zero_sink[j];
            std::int64_t floors[3] = {none, none, none};
            std::int64_t offsets[3] = {none, none, none};
            if (b.negatives != 0) {
                for (auto& bj : bases) bj[0] = negative_.cells_.data();
                floors[0] = negative_.floor_;
                offsets[0] = negative_.lo_;
            }
            if (b.positives != 0) {
                for (auto& bj : bases) bj[2] = positive_.cells_.data();
                floors[2] = positive_.floor_;
                offsets[2] = positive_.lo_;
            }
            for (std::size_t i = 0; i < k; i += 4) {  // k is a multiple of 4
                for (std::size_t j = 0; j < 4; ++j) {
                    const std::int32_t code = codes[i + j];
                    const unsigned c = static_cast<unsigned>(code) & 3U;
                    const std::int64_t idx = code >> 2;  // arithmetic shift (C++20)
                    ++bases[j][c][static_cast<std::size_t>(std::max(idx, floors[c]) - offsets[c])];
                }
            }
        }
        positive_.total_ += b.positives;
        negative_.total_ += b.negatives;
    }
#endif

    static constexpr double A = 6.0 / 35.0;
    static constexpr double B = -3.0 / 5.0;
    static constexpr double C = 10.0 / 7.0;

    static double cubic(double s) { return ((A * s + B) * s + C) * s; }

    /// f^-1(y) = 2^floor(y) (1 + s) with P(s) = y - floor(y), by Newton's method (P is
    /// increasing with P' >= 6/7, so a handful of steps from s = y - floor(y) converge).
    static double inverse_f(double y) {
        const double e = std::floor(y);
        const double r = y - e;
        double s = r;
        for (int k = 0; k < 8; ++k) {
            const double d = (cubic(s) - r) / ((3.0 * A * s + 2.0 * B) * s + C);
            s = std::clamp(s - d, 0.0, 1.0);
            if (d == 0.0) break;
        }
        return std::ldexp(1.0 + s, static_cast<int>(e));
    }

    double alpha_;
    std::size_t max_buckets_;
    double multiplier_ = 1.0;
    detail::sketch_store positive_;
    detail::sketch_store negative_;
    std::uint64_t zero_count_ = 0;
};

}  // namespace offroi
