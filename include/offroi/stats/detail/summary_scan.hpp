#pragma once
/// \file
/// The read-only first pass of streaming_summary::add over a batch: finiteness, min, max and
/// the sign counts, with a portable loop and an AVX2 loop chosen at run time (the policy of
/// offroi/random/detail/simd.hpp). Both give the same result for every input.

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "offroi/random/detail/simd.hpp"

namespace offroi::detail {

/// What summary_scan found: `finite` is true when every value is finite; only then are the
/// other fields meaningful. `lo` and `hi` are the min and max of the start values and of
/// x[i] + 0.0 (-0.0 counted as +0.0, so the bits do not depend on the order); `negative`
/// and `positive` count the values below and above zero.
struct summary_scan_result {
    double lo, hi;
    std::uint64_t negative, positive;
    bool finite;
};

/// The portable pass (the reference): one value at a time.
inline summary_scan_result summary_scan_portable(const double* x, std::size_t n, double lo,
                                                 double hi) noexcept {
    std::uint64_t neg = 0, pos = 0;
    bool finite = true;
    for (std::size_t i = 0; i < n; ++i) {
        finite &= (x[i] - x[i]) == 0.0;  // 0 only for finite x
        const double v = x[i] + 0.0;     // -0.0 becomes +0.0
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
        neg += v < 0.0;
        pos += v > 0.0;
    }
    return {lo, hi, neg, pos, finite};
}

#if OFFROI_SAMPLING_X86
/// The AVX2 pass: eight values per step in two groups of four lanes, the rest by the portable
/// pass. Same result as summary_scan_portable: when every value is finite, min and max of
/// values without -0.0 are unique (no ties of different bits, no NaN), so the lane order does
/// not matter; the counts are integers. (With a non-finite value only `finite` is used.)
__attribute__((target("avx2"))) inline summary_scan_result summary_scan_avx2(const double* x, std::size_t n,
                                                                             double lo,
                                                                             double hi) noexcept {
    const __m256d zero = _mm256_setzero_pd();
    __m256d lo0 = _mm256_set1_pd(lo), lo1 = lo0, hi0 = _mm256_set1_pd(hi), hi1 = hi0;
    __m256d bad = zero;  // lanes where some x - x was not 0 (NaN: infinity or NaN)
    __m256i neg = _mm256_setzero_si256(), pos = neg;
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256d a = _mm256_loadu_pd(x + i);
        const __m256d b = _mm256_loadu_pd(x + i + 4);
        bad = _mm256_or_pd(bad, _mm256_cmp_pd(_mm256_sub_pd(a, a), zero, _CMP_NEQ_UQ));
        bad = _mm256_or_pd(bad, _mm256_cmp_pd(_mm256_sub_pd(b, b), zero, _CMP_NEQ_UQ));
        const __m256d va = _mm256_add_pd(a, zero);  // -0.0 becomes +0.0
        const __m256d vb = _mm256_add_pd(b, zero);
        lo0 = _mm256_min_pd(lo0, va);
        lo1 = _mm256_min_pd(lo1, vb);
        hi0 = _mm256_max_pd(hi0, va);
        hi1 = _mm256_max_pd(hi1, vb);
        // A true comparison lane is all ones (-1 as an integer): subtracting counts it.
        neg = _mm256_sub_epi64(neg, _mm256_castpd_si256(_mm256_cmp_pd(va, zero, _CMP_LT_OQ)));
        neg = _mm256_sub_epi64(neg, _mm256_castpd_si256(_mm256_cmp_pd(vb, zero, _CMP_LT_OQ)));
        pos = _mm256_sub_epi64(pos, _mm256_castpd_si256(_mm256_cmp_pd(va, zero, _CMP_GT_OQ)));
        pos = _mm256_sub_epi64(pos, _mm256_castpd_si256(_mm256_cmp_pd(vb, zero, _CMP_GT_OQ)));
    }
    alignas(32) double l[4], h[4];
    alignas(32) std::uint64_t cn[4], cp[4];
    _mm256_store_pd(l, _mm256_min_pd(lo0, lo1));
    _mm256_store_pd(h, _mm256_max_pd(hi0, hi1));
    _mm256_store_si256(reinterpret_cast<__m256i*>(cn), neg);
    _mm256_store_si256(reinterpret_cast<__m256i*>(cp), pos);
    summary_scan_result r = summary_scan_portable(x + i, n - i, lo, hi);
    r.finite = r.finite && _mm256_movemask_pd(bad) == 0;
    for (int k = 0; k < 4; ++k) {
        r.lo = l[k] < r.lo ? l[k] : r.lo;
        r.hi = h[k] > r.hi ? h[k] : r.hi;
        r.negative += cn[k];
        r.positive += cp[k];
    }
    return r;
}
#endif

/// How many of x[0..n) are above and below a threshold t.
struct threshold_count_result {
    std::uint64_t above, below;
};

/// The portable threshold count (the reference): one value at a time.
inline threshold_count_result threshold_counts_portable(const double* x, std::size_t n, double t) noexcept {
    std::uint64_t a = 0, b = 0;
    for (std::size_t i = 0; i < n; ++i) {
        a += x[i] > t;
        b += x[i] < t;
    }
    return {a, b};
}

#if OFFROI_SAMPLING_X86
/// The AVX2 threshold count: eight values per step (ordered comparisons, as the portable
/// loop's > and <), the rest by the portable loop. Integer counts: the same result.
__attribute__((target("avx2"))) inline threshold_count_result threshold_counts_avx2(const double* x, std::size_t n,
                                                                                    double t) noexcept {
    const __m256d tv = _mm256_set1_pd(t);
    __m256i above = _mm256_setzero_si256(), below = above;
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256d a = _mm256_loadu_pd(x + i);
        const __m256d b = _mm256_loadu_pd(x + i + 4);
        above = _mm256_sub_epi64(above, _mm256_castpd_si256(_mm256_cmp_pd(a, tv, _CMP_GT_OQ)));
        above = _mm256_sub_epi64(above, _mm256_castpd_si256(_mm256_cmp_pd(b, tv, _CMP_GT_OQ)));
        below = _mm256_sub_epi64(below, _mm256_castpd_si256(_mm256_cmp_pd(a, tv, _CMP_LT_OQ)));
        below = _mm256_sub_epi64(below, _mm256_castpd_si256(_mm256_cmp_pd(b, tv, _CMP_LT_OQ)));
    }
    alignas(32) std::uint64_t ca[4], cb[4];
    _mm256_store_si256(reinterpret_cast<__m256i*>(ca), above);
    _mm256_store_si256(reinterpret_cast<__m256i*>(cb), below);
    threshold_count_result r = threshold_counts_portable(x + i, n - i, t);
    for (int k = 0; k < 4; ++k) {
        r.above += ca[k];
        r.below += cb[k];
    }
    return r;
}
#endif

/// The counts of streaming_summary's thresholds: AVX2 where available (n >= 8), otherwise
/// threshold_counts_portable. Same result either way.
inline threshold_count_result threshold_counts(const double* x, std::size_t n, double t) noexcept {
#if OFFROI_SAMPLING_X86
    if (n >= 8 && cpu_simd_level() >= simd_level::avx2) return threshold_counts_avx2(x, n, t);
#endif
    return threshold_counts_portable(x, n, t);
}

/// The pass of streaming_summary::add: AVX2 where available (batches of >= 8 values),
/// otherwise summary_scan_portable. Same result either way.
inline summary_scan_result summary_scan(const double* x, std::size_t n, double lo, double hi) noexcept {
#if OFFROI_SAMPLING_X86
    if (n >= 8 && cpu_simd_level() >= simd_level::avx2) return summary_scan_avx2(x, n, lo, hi);
#endif
    return summary_scan_portable(x, n, lo, hi);
}

}  // namespace offroi::detail
