#pragma once
/// \file
/// `exact_moments`: count, exact sum and exact sum of squares of finite doubles, with the
/// mean, variance, standard error and confidence interval of the mean computed from them.
///
/// The sums are exact (offroi::exact_sum, offroi::exact_sum_of_squares), so the state — and
/// every result, computed from it in double-double — is the same bits whatever the order of
/// the additions and merges. The mean is sum / n (error below 1 ulp). The variance is
/// (n S2 - S1^2) / (n (n - 1)) with the numerator formed exactly in integer arithmetic
/// (a 32-bit-limb product of the exact sums), then divided in double-double: relative error
/// below 2^-100 before the final rounding, whatever mean / sd is (no cancellation), and
/// exactly 0 for constant data. Intermediates are scaled by powers of two, so no finite
/// input overflows; the variance itself is inf only if it exceeds DBL_MAX.

#include <climits>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
#include <algorithm>
#include <bit>


#include "offroi/detail/checks.hpp"
#include "offroi/random/detail/simd.hpp"
#include "offroi/error.hpp"
#include "offroi/stats/detail/byte_codec.hpp"
#include "offroi/stats/detail/stat_functions.hpp"
#include "offroi/stats/double_double.hpp"
#include "offroi/stats/exact_sum.hpp"
#include "offroi/stats/interval.hpp"

namespace offroi {

/// Exact, mergeable first and second moments; see the file comment.
class exact_moments {
public:
    /// Adds a finite x (precondition; callers reject non-finite values with a message).
    void add(double x) {
        sum_.add(x);
        sum_sq_.add_square(x);
        ++count_;
    }

    /// Adds n finite values. Where AVX-512 is available (detail::cpu_simd_level) and
    /// n >= 32, both sums are accumulated 8 values at a time in registers (add_avx512);
    /// the exact values, hence every result and to_bytes(), are the same bits as adding the
    /// values one by one.
    void add(const double* x, std::size_t n) {
#if OFFROI_SAMPLING_X86
        if (n >= 32 && detail::cpu_simd_level() >= detail::simd_level::avx512) {
            add_avx512(x, n);
            count_ += n;
            return;
        }
#endif
        sum_.add(x, n);
        sum_sq_.add_squares(x, n);
        count_ += n;
    }

    /// Adds what `other` holds; exactly commutative and associative.
    void merge(const exact_moments& other) {
        sum_.merge(other.sum_);
        sum_sq_.merge(other.sum_sq_);
        count_ += other.count_;
    }

    /// Number of values.
    std::uint64_t count() const { return count_; }

    /// The exact sum as a double-double.
    detail::double_double sum_dd() const { return sum_.to_double_double(); }
    /// The exact sum rounded to double.
    double sum() const { return detail::dd_to_double(sum_dd()); }

    /// The mean. \throws invalid_argument if count() == 0 (`fn` names the caller).
    double mean(const char* fn = "exact_moments::mean") const {
        require(fn, 1);
        const int top = sum_.top_bit();
        if (top == INT_MIN) return 0.0;
        const int k = -top;  // scale the sum to about 1: no overflow, no underflow
        const auto m = detail::dd_div(sum_.to_double_double(k), detail::dd_from_u64(count_));
        return std::ldexp(detail::dd_to_double(m), -k);
    }

    /// The unbiased sample variance. \throws invalid_argument if count() < 2.
    double variance(const char* fn = "exact_moments::variance") const {
        require(fn, 2);
        const auto [v, te] = exact_variance();
        return std::ldexp(detail::dd_to_double(v), te);
    }

    /// The sample standard deviation. \throws invalid_argument if count() < 2.
    double standard_deviation(const char* fn = "exact_moments::standard_deviation") const {
        require(fn, 2);
        const auto [v, te] = exact_variance();
        return std::ldexp(detail::dd_to_double(detail::dd_sqrt(v)), te / 2);
    }

    /// The standard error of the mean, sd / sqrt(n). \throws invalid_argument if count() < 2.
    double standard_error(const char* fn = "exact_moments::standard_error") const {
        return standard_deviation(fn) / std::sqrt(static_cast<double>(count_));
    }

    /// mean ± t_{(1+level)/2, n-1} · se (Student's t: exact for normal data, asymptotically
    /// right for any finite-variance data).
    /// \throws invalid_argument if level is not in (0, 1) or count() < 2.
    interval mean_ci(double level = 0.95, const char* fn = "exact_moments::mean_ci") const {
        detail::check_open_probability(fn, "level", level);
        require(fn, 2);
        const double t = detail::math::students_t_quantile(static_cast<double>(count_ - 1), 0.5 + 0.5 * level);
        const double m = mean(fn);
        const double h = t * standard_error(fn);
        return {m - h, m + h};
    }

    /// Equality of the exact state.
    friend bool operator==(const exact_moments& a, const exact_moments& b) {
        return a.count_ == b.count_ && a.sum_ == b.sum_ && a.sum_sq_ == b.sum_sq_;
    }

    /// Format tag of to_bytes ("ORXM") and its version.
    static constexpr std::string_view bytes_magic = "ORXM";
    /// Version of the to_bytes format this build writes and reads.
    static constexpr std::uint16_t bytes_version = 1;

    /// The exact state as bytes: "ORXM", u16 version 1, then the body of write_to.
    /// Canonical: equal states give equal bytes. Size: about 4 bytes per 32 bits of the
    /// exact sums' spans (tens to a few hundred bytes), independent of count().
    std::string to_bytes() const {
        detail::byte_writer w;
        detail::write_header(w, bytes_magic, bytes_version);
        write_to(w);
        return w.take();
    }

    /// Reads what to_bytes wrote; the result == the serialised state.
    /// \throws invalid_argument naming the problem (bad magic, unsupported version,
    ///         truncation, trailing bytes, inconsistent state).
    static exact_moments from_bytes(std::string_view bytes) {
        detail::byte_reader r(bytes, "exact_moments::from_bytes");
        detail::read_header(r, bytes_magic, bytes_version, "exact_moments");
        exact_moments m = read_from(r);
        r.expect_end();
        return m;
    }

    /// Appends the body: varint count, the exact sum, then the exact sum of squares (each
    /// in chunked_fixed_point::write_to form).
    void write_to(detail::byte_writer& w) const {
        w.varint(count_);
        sum_.write_to(w);
        sum_sq_.write_to(w);
    }

    /// Reads a body written by write_to.
    /// \throws invalid_argument on truncation or an impossible state: a negative sum of
    ///         squares, non-zero sums with count 0, or a non-zero sum with a zero sum of
    ///         squares.
    static exact_moments read_from(detail::byte_reader& r) {
        exact_moments m;
        const std::size_t at = r.offset();
        m.count_ = r.varint("exact_moments count");
        m.sum_.read_from(r, "exact_moments sum");
        m.sum_sq_.read_from(r, "exact_moments sum of squares");
        if (m.sum_sq_.is_negative()) r.fail("exact_moments", "the sum of squares is negative", at);
        if (m.count_ == 0 && !(m.sum_.is_zero() && m.sum_sq_.is_zero()))
            r.fail("exact_moments", "count is 0 but the sums are not", at);
        if (m.sum_sq_.is_zero() && !m.sum_.is_zero())
            r.fail("exact_moments", "the sum is non-zero but the sum of squares is zero", at);
        return m;
    }

private:
#if OFFROI_SAMPLING_X86
    // GCC 12's 512-bit intrinsics pass _mm512_undefined_epi32() as the unused merge source
    // and warn about it (-Wuninitialized) where they are inlined.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#if !defined(__clang__)  // GCC's name; clang would warn about an unknown warning group
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
    /// Adds f times the lanes of acc, at chunk position p, to chunk[p] and chunk[p + 1]: each
    /// lane split into its low 32 bits and the arithmetic rest, so no sum overflows.
    __attribute__((target("avx2,avx512f,avx512vl,avx512dq"), always_inline)) static void flush(
        std::int64_t* chunk, std::size_t p, __m512i acc, std::int64_t f) {
        alignas(64) std::int64_t lo[8], hi[8];
        _mm512_store_si512(lo, _mm512_and_si512(acc, _mm512_set1_epi64(0xffffffffLL)));
        _mm512_store_si512(hi, _mm512_srai_epi64(acc, 32));
        std::int64_t l = 0, h = 0;
        for (int i = 0; i < 8; ++i) {
            l += lo[i];
            h += hi[i];
        }
        chunk[p] += f * l;
        chunk[p + 1] += f * h;
    }


    /// Adds n finite values to both exact sums, 8 at a time (AVX-512 F/DQ).
    ///
    /// A pre-pass finds q_max, the largest exponent field (decomposed_double::q) of the batch.
    /// It fixes a window: sum chunks c.. with c = max(q_max / 32 - 1, 0) and square chunks
    /// c2.. with c2 = max(q_max / 16 - 1, 0). A value x = +-m 2^(q - 1074) with q >= 16 c2
    /// (or x = 0) is "in the window": then o = q - 32 c is in [0, 63] and h = q - 16 c2 in
    /// [0, 31], and
    ///  - x = +-(m << o) 2^(32 c - 1074), whose 32-bit pieces (bits 0-31 and 32-63 of
    ///    m << o, and m >> (64 - o) < 2^52) are added to / subtracted from three per-lane
    ///    accumulators (sum positions c, c + 1, c + 2);
    ///  - x^2 = (m << h)^2 2^(32 c2 - 2148) (2q = 2h + 32 c2), and m << h < 2^84 has 32-bit
    ///    limbs l0, l1 and l2 < 2^20, so x^2 is the six 32x32 -> 64-bit products l_i l_j at
    ///    positions i + j (cross products twice), accumulated per lane as they are (< 2^52)
    ///    or split into 32-bit halves (< 2^64).
    /// Values below the window (rare for model outputs: 2^-16 to 2^-32 of the batch's
    /// largest magnitude) go through the scalar pieces (exact_sum::add_uncounted,
    /// add_square_uncounted). Every sub-batch of k <= room() values (<= 250 per lane, so
    /// no lane accumulator overflows) is flushed: each lane is split into its low 32 bits
    /// and the arithmetic rest, the lanes are summed and added to the chunks (at most a
    /// few 2^35 per chunk, less than one scalar addition may add), and k additions are
    /// counted, as the scalar path does. Integer addition being exact, the value of each
    /// sum is the one the scalar path gives, so the normalised state is the same bits.
    __attribute__((target("avx2,avx512f,avx512vl,avx512dq"))) void add_avx512(const double* x,
                                                                           std::size_t n) {
        const __m512i abs_mask = _mm512_set1_epi64(0x7fffffffffffffffLL);
        const __m512i frac_mask = _mm512_set1_epi64((std::int64_t{1} << 52) - 1);
        const __m512i exp_mask = _mm512_set1_epi64(0x7ff0000000000000LL);
        const __m512i implicit = _mm512_set1_epi64(std::int64_t{1} << 52);
        const __m512i one = _mm512_set1_epi64(1);
        const __m512i low32 = _mm512_set1_epi64(0xffffffffLL);
        const __m512i sixty_four = _mm512_set1_epi64(64);

        // Pre-pass: the largest |x| (as bits: the order of the magnitudes).
        __m512i top = _mm512_setzero_si512();
        std::size_t i = 0;
        for (; i + 8 <= n; i += 8)
            top = _mm512_max_epu64(top, _mm512_and_si512(_mm512_loadu_si512(x + i), abs_mask));
        if (i < n) {
            const auto tail = static_cast<__mmask8>((1U << (n - i)) - 1);
            top = _mm512_max_epu64(top, _mm512_and_si512(_mm512_maskz_loadu_epi64(tail, x + i), abs_mask));
        }
        alignas(64) std::uint64_t lanes[8];
        _mm512_store_si512(lanes, top);
        const auto biased_max = static_cast<unsigned>(*std::max_element(lanes, lanes + 8) >> 52);
        const unsigned q_max = biased_max != 0 ? biased_max - 1 : 0;
        const unsigned c = q_max >= 64 ? (q_max >> 5) - 1 : 0;
        const unsigned c2 = q_max >= 32 ? (q_max >> 4) - 1 : 0;
        const __m512i sum_base = _mm512_set1_epi64(32 * c);
        const __m512i sq_base = _mm512_set1_epi64(16 * c2);

        std::int64_t* const s = sum_.chunks_.data() + c;
        std::int64_t* const t = sum_sq_.chunks_.data() + c2;
        while (n > 0) {
            const std::size_t k = std::min<std::size_t>(n, std::min(sum_.room(), sum_sq_.room()));
            __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0;                   // sum
            __m512i s0 = a0, s1 = a0, t1 = a0, t2 = a0, s2 = a0, s3 = a0, u2 = a0, u3 = a0, s4 = a0;
            for (std::size_t j = 0; j < k; j += 8) {
                const auto live = static_cast<__mmask8>(k - j >= 8 ? 0xff : (1U << (k - j)) - 1);
                const __m512i b = _mm512_maskz_loadu_epi64(live, x + j);
                const __m512i mag = _mm512_and_si512(b, abs_mask);
                const __mmask8 neg = _mm512_movepi64_mask(b);
                const __m512i biased = _mm512_srli_epi64(mag, 52);
                const __m512i q = _mm512_sub_epi64(_mm512_max_epu64(biased, one), one);
                __m512i m = _mm512_mask_or_epi64(_mm512_and_si512(mag, frac_mask),
                                                 _mm512_test_epi64_mask(mag, exp_mask),
                                                 _mm512_and_si512(mag, frac_mask), implicit);
                const __mmask8 below = _kandn_mask8(_mm512_cmpge_epu64_mask(q, sq_base),
                                                    _mm512_test_epi64_mask(mag, mag));
                if (below != 0) [[unlikely]] {
                    for (unsigned r = below; r != 0; r &= r - 1) {
                        const double v = x[j + static_cast<unsigned>(std::countr_zero(r))];
                        sum_.add_uncounted(v);
                        sum_sq_.add_square_uncounted(v);
                    }
                    m = _mm512_maskz_mov_epi64(static_cast<__mmask8>(~below), m);
                }
                // Sum: m << o in pieces at c, c + 1, c + 2 (lanes with m = 0 add 0 whatever
                // their shift counts, which may then be out of range: vpsllvq/vpsrlvq give 0).
                const __m512i o = _mm512_sub_epi64(q, sum_base);
                const __m512i v = _mm512_sllv_epi64(m, o);
                const __m512i p0 = _mm512_and_si512(v, low32);
                const __m512i p1 = _mm512_srli_epi64(v, 32);
                const __m512i p2 = _mm512_srlv_epi64(m, _mm512_sub_epi64(sixty_four, o));
                const auto pos = static_cast<__mmask8>(~neg);
                a0 = _mm512_mask_sub_epi64(_mm512_mask_add_epi64(a0, pos, a0, p0), neg, a0, p0);
                a1 = _mm512_mask_sub_epi64(_mm512_mask_add_epi64(a1, pos, a1, p1), neg, a1, p1);
                a2 = _mm512_mask_sub_epi64(_mm512_mask_add_epi64(a2, pos, a2, p2), neg, a2, p2);
                // Square: limbs of m << h, products at positions i + j.
                const __m512i h = _mm512_sub_epi64(q, sq_base);
                const __m512i l0 = _mm512_sllv_epi64(m, h);  // vpmuludq reads the low 32 bits
                const __m512i l1 = _mm512_srli_epi64(l0, 32);
                const __m512i l2 = _mm512_srlv_epi64(m, _mm512_sub_epi64(sixty_four, h));
                const __m512i p00 = _mm512_mul_epu32(l0, l0);
                const __m512i p01 = _mm512_mul_epu32(l0, l1);
                const __m512i p11 = _mm512_mul_epu32(l1, l1);
                s0 = _mm512_add_epi64(s0, _mm512_and_si512(p00, low32));
                s1 = _mm512_add_epi64(s1, _mm512_srli_epi64(p00, 32));
                t1 = _mm512_add_epi64(t1, _mm512_and_si512(p01, low32));
                t2 = _mm512_add_epi64(t2, _mm512_srli_epi64(p01, 32));
                s2 = _mm512_add_epi64(s2, _mm512_and_si512(p11, low32));
                s3 = _mm512_add_epi64(s3, _mm512_srli_epi64(p11, 32));
                u2 = _mm512_add_epi64(u2, _mm512_mul_epu32(l0, l2));  // < 2^52
                u3 = _mm512_add_epi64(u3, _mm512_mul_epu32(l1, l2));  // < 2^52
                s4 = _mm512_add_epi64(s4, _mm512_mul_epu32(l2, l2));  // < 2^40
            }
            flush(s, 0, a0, 1);
            flush(s, 1, a1, 1);
            flush(s, 2, a2, 1);
            flush(t, 0, s0, 1);
            flush(t, 1, s1, 1);
            flush(t, 1, t1, 2);
            flush(t, 2, t2, 2);
            flush(t, 2, s2, 1);
            flush(t, 3, s3, 1);
            flush(t, 2, u2, 2);
            flush(t, 3, u3, 2);
            flush(t, 4, s4, 1);
            sum_.after_adds(static_cast<std::uint32_t>(k));
            sum_sq_.after_adds(static_cast<std::uint32_t>(k));
            x += k;
            n -= k;
        }
    }
#pragma GCC diagnostic pop
#endif

    void require(const char* fn, std::uint64_t needed) const {
        if (count_ < needed)
            throw invalid_argument(std::string(fn) + ": needs at least " + std::to_string(needed) +
                                   " value(s), count = " + std::to_string(count_));
    }

    /// n (n - 1) variance = n S2 - S1^2 = D 2^-2148 with D an exact integer (>= 0 by
    /// Cauchy-Schwarz), computed with schoolbook multiplication on 32-bit limbs; returns
    /// (D 2^-te / (n (n - 1)) as a double-double, te): the variance is that times 2^te and te
    /// is even, so the standard deviation is sqrt(first) times 2^(te/2).
    std::pair<detail::double_double, int> exact_variance() const {
        using limbs = std::vector<std::uint32_t>;
        limbs a, b;
        sum_.magnitude_limbs(a);      // |S1| = a 2^-1074, so S1^2 = a^2 2^-2148
        sum_sq_.magnitude_limbs(b);   // S2 = b 2^-2148
        static_assert(exact_sum::base_exponent * 2 == exact_sum_of_squares::base_exponent);
        // a^2
        limbs sq(2 * a.size() + 1, 0);
        for (std::size_t i = 0; i < a.size(); ++i) {
            std::uint64_t carry = 0;
            for (std::size_t j = 0; j < a.size(); ++j) {
                const std::uint64_t t = static_cast<std::uint64_t>(a[i]) * a[j] + sq[i + j] + carry;
                sq[i + j] = static_cast<std::uint32_t>(t);
                carry = t >> 32;
            }
            for (std::size_t k = i + a.size(); carry != 0; ++k) {
                const std::uint64_t t = static_cast<std::uint64_t>(sq[k]) + carry;
                sq[k] = static_cast<std::uint32_t>(t);
                carry = t >> 32;
            }
        }
        // n b (n < 2^64: two limbs)
        const std::uint32_t n_limbs[2] = {static_cast<std::uint32_t>(count_),
                                          static_cast<std::uint32_t>(count_ >> 32)};
        limbs nb(b.size() + 3, 0);
        for (std::size_t i = 0; i < 2; ++i) {
            std::uint64_t carry = 0;
            for (std::size_t j = 0; j < b.size(); ++j) {
                const std::uint64_t t = static_cast<std::uint64_t>(n_limbs[i]) * b[j] + nb[i + j] + carry;
                nb[i + j] = static_cast<std::uint32_t>(t);
                carry = t >> 32;
            }
            for (std::size_t k = i + b.size(); carry != 0; ++k) {
                const std::uint64_t t = static_cast<std::uint64_t>(nb[k]) + carry;
                nb[k] = static_cast<std::uint32_t>(t);
                carry = t >> 32;
            }
        }
        // D = n b - a^2 (non-negative)
        const std::size_t len = std::max(nb.size(), sq.size());
        nb.resize(len, 0);
        sq.resize(len, 0);
        std::int64_t borrow = 0;
        for (std::size_t k = 0; k < len; ++k) {
            std::int64_t t = static_cast<std::int64_t>(nb[k]) - sq[k] - borrow;
            borrow = t < 0;
            if (t < 0) t += std::int64_t{1} << 32;
            nb[k] = static_cast<std::uint32_t>(t);
        }
        std::size_t top = len;
        while (top > 0 && nb[top - 1] == 0) --top;
        if (top == 0 || borrow != 0) return {{0.0, 0.0}, 0};
        // Scale D so that its top bit is at 2^0 or 2^1 (te even), then divide.
        const int top_bit = static_cast<int>(32 * (top - 1)) + 31 - std::countl_zero(nb[top - 1]) +
                            exact_sum_of_squares::base_exponent;
        const int te = top_bit >= 0 ? top_bit - (top_bit % 2) : top_bit - ((top_bit % 2 + 2) % 2);
        detail::double_double d{0.0, 0.0};
        for (std::size_t k = top; k-- > 0;) {
            if (nb[k] == 0) continue;
            d = detail::dd_add(d, std::ldexp(static_cast<double>(nb[k]),
                                             static_cast<int>(32 * k) +
                                                 exact_sum_of_squares::base_exponent - te));
        }
        d = detail::dd_div(d, detail::dd_from_u64(count_));
        d = detail::dd_div(d, detail::dd_from_u64(count_ - 1));
        return {d, te};
    }

    std::uint64_t count_ = 0;
    exact_sum sum_;
    exact_sum_of_squares sum_sq_;
};

}  // namespace offroi
