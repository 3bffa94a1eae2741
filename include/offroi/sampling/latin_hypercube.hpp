#pragma once
/// \file
/// Latin hypercube design (McKay, Beckman and Conover 1979) with random access.
///
/// Trials are grouped in consecutive designs of `design_size` trials: trial t belongs to
/// design d = t / design_size at position r = t % design_size. In every design and for every
/// input, each of the `design_size` strata [k/N, (k+1)/N) holds exactly one point: trial t
/// lies in stratum perm(r), where perm is a keyed pseudo-random permutation of [0, N) — a
/// 4-round balanced Feistel network over the smallest even number of bits covering N,
/// restricted to [0, N) by cycle-walking (Black and Rogaway 2002) — keyed by
/// (seed, stream, d). Within the stratum the point is uniform:
///   u = (perm(r) + U) / N,  U = philox_stream(seed, stream).uniform(t, 1).
/// Any trial is thus computable without generating the others, and results do not depend
/// on how a run is split into shards.

#include <cstddef>
#include <cstdint>

#include "offroi/detail/checks.hpp"
#include "offroi/error.hpp"
#include "offroi/random/detail/simd.hpp"
#include "offroi/random/philox.hpp"
#include "offroi/random/stream_id.hpp"
#include "offroi/sampling/detail/philox_batch.hpp"


namespace offroi {

namespace detail {

/// A keyed pseudo-random permutation of [0, n), n >= 1: a balanced Feistel network on 2h
/// bits (2^(2h) >= n, h >= 1) with cycle-walking. Expected walk length < 4 (2^(2h) < 4n).
class feistel_permutation {
public:
    feistel_permutation(std::uint64_t n, std::uint64_t key) noexcept : n_(n) {
        unsigned bits = 1;
        while (bits < 64 && (std::uint64_t{1} << bits) < n) ++bits;
        half_ = (bits + 1) / 2;
        mask_ = (half_ >= 64) ? ~std::uint64_t{0} : ((std::uint64_t{1} << half_) - 1);
        std::uint64_t k = key;
        for (auto& rk : keys_) {
            k = mix64(k);
            rk = k;
        }
    }

    /// The image of x in [0, n).
    std::uint64_t operator()(std::uint64_t x) const noexcept {
        do {
            x = encrypt(x);
        } while (x >= n_);
        return x;
    }

    /// The size n of the permuted domain.
    std::uint64_t size() const noexcept { return n_; }

#if OFFROI_SAMPLING_X86
    // a * b modulo 2^64 per 64-bit lane, from three 32 x 32 -> 64-bit products.
    __attribute__((target("avx2"), always_inline)) static inline __m256i mul64_avx2(
        __m256i a, __m256i b) noexcept {
        const __m256i p0 = _mm256_mul_epu32(a, b);
        const __m256i p1 = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), b);
        const __m256i p2 = _mm256_mul_epu32(a, _mm256_srli_epi64(b, 32));
        return _mm256_add_epi64(p0, _mm256_slli_epi64(_mm256_add_epi64(p1, p2), 32));
    }
    // The same product with AVX-512 DQ + VL's vpmullq.
    __attribute__((target("avx2,avx512f,avx512vl,avx512dq"), always_inline)) static inline __m256i
    mul64_avx512(__m256i a, __m256i b) noexcept {
        return _mm256_mullo_epi64(a, b);
    }

// `encrypt` on G groups of four lanes, the rounds of the groups interleaved (one group's
// round chain is latency-bound): the same rounds as `round`, with the product MUL.
#define OFFROI_FEISTEL_ENCRYPT(MUL)                                                          \
    __m256i l[G], r[G];                                                                      \
    for (int g = 0; g < G; ++g) {                                                            \
        l[g] = _mm256_srl_epi64(x[g], k.sh);                                                 \
        r[g] = _mm256_and_si256(x[g], k.mask);                                               \
    }                                                                                        \
    for (int rk = 0; rk < 4; ++rk)                                                           \
        for (int g = 0; g < G; ++g) {                                                        \
            __m256i z = MUL(_mm256_xor_si256(r[g], k.kv[rk]), k.c1);                         \
            z = _mm256_xor_si256(z, _mm256_srli_epi64(z, 29));                               \
            z = MUL(z, k.c2);                                                                \
            const __m256i t =                                                                \
                _mm256_xor_si256(l[g], _mm256_and_si256(_mm256_srli_epi64(z, 32), k.mask));  \
            l[g] = r[g];                                                                     \
            r[g] = t;                                                                        \
        }                                                                                    \
    for (int g = 0; g < G; ++g) x[g] = _mm256_or_si256(_mm256_sll_epi64(l[g], k.sh), r[g]);

    // The round constants of the lane form.
    struct lane_keys {
        __m128i sh;
        __m256i mask, c1, c2, kv[4];
    };
    template <int G>
    __attribute__((target("avx2"), always_inline)) static inline void encrypt_avx2(
        __m256i* x, const lane_keys& k) noexcept {
        OFFROI_FEISTEL_ENCRYPT(mul64_avx2)
    }
    template <int G>
    __attribute__((target("avx2,avx512f,avx512vl,avx512dq"), always_inline)) static inline void
    encrypt_avx512(__m256i* x, const lane_keys& k) noexcept {
        OFFROI_FEISTEL_ENCRYPT(mul64_avx512)
    }
#undef OFFROI_FEISTEL_ENCRYPT

// The body of to_unit_avx2 / to_unit_avx512 with the lane encryption ENC.
#define OFFROI_FEISTEL_TO_UNIT(ENC)                                                            \
    if (n_ > (std::uint64_t{1} << 52)) return 0;                                               \
    lane_keys k;                                                                               \
    k.sh = _mm_cvtsi32_si128(static_cast<int>(half_));                                         \
    k.mask = _mm256_set1_epi64x(static_cast<long long>(mask_));                                \
    k.c1 = _mm256_set1_epi64x(static_cast<long long>(0x9e3779b97f4a7c15ULL));                  \
    k.c2 = _mm256_set1_epi64x(static_cast<long long>(0xbf58476d1ce4e5b9ULL));                  \
    for (int i = 0; i < 4; ++i) k.kv[i] = _mm256_set1_epi64x(static_cast<long long>(keys_[i])); \
    const __m256i nm1 = _mm256_set1_epi64x(static_cast<long long>(n_ - 1));                    \
    const __m256i two52_bits = _mm256_set1_epi64x(0x4330000000000000LL);                       \
    const __m256d two52 = _mm256_set1_pd(0x1.0p52);                                            \
    const __m256d nd = _mm256_set1_pd(static_cast<double>(n_));                                \
    const __m256d below_one = _mm256_set1_pd(0x1.fffffffffffffp-1), one = _mm256_set1_pd(1.0); \
    constexpr int G = 4;                                                                       \
    std::size_t j = 0;                                                                         \
    for (; j + 4 * G <= m; j += 4 * G) {                                                       \
        __m256i x[G];                                                                          \
        for (int g = 0; g < G; ++g)                                                            \
            x[g] = _mm256_add_epi64(_mm256_set1_epi64x(static_cast<long long>(r0 + j + 4 * g)), \
                                    _mm256_set_epi64x(3, 2, 1, 0));                            \
        ENC<G>(x, k);                                                                          \
        for (int g = 0; g < G; ++g) {                                                          \
            /* Lanes with x >= n walk on (values < 2^53: the signed compare is exact). */      \
            __m256i again = _mm256_cmpgt_epi64(x[g], nm1);                                     \
            while (!_mm256_testz_si256(again, again)) {                                        \
                __m256i y = x[g];                                                              \
                ENC<1>(&y, k);                                                                 \
                x[g] = _mm256_blendv_epi8(x[g], y, again);                                     \
                again = _mm256_cmpgt_epi64(x[g], nm1);                                         \
            }                                                                                  \
            const __m256d kd =                                                                 \
                _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(x[g], two52_bits)), two52);  \
            double* o = out + j + 4 * g;                                                       \
            const __m256d u = _mm256_div_pd(_mm256_add_pd(kd, _mm256_loadu_pd(o)), nd);        \
            _mm256_storeu_pd(o, _mm256_blendv_pd(below_one, u, _mm256_cmp_pd(u, one, _CMP_LT_OQ))); \
        }                                                                                      \
    }                                                                                          \
    return j;

    /// For j < m (a multiple of 16 is done; the count done is returned): out[j] = the stratum
    /// of position r0 + j mapped into (0, 1) with out[j] as the jitter, exactly as
    /// `latin_hypercube_design::to_unit(perm(r0 + j), out[j])`: the same Feistel rounds on
    /// four groups of four 64-bit lanes (64-bit products from three 32 x 32 -> 64-bit ones,
    /// exact modulo 2^64), cycle-walking lane by lane until every lane is below n, then
    /// (k + U) / N with k converted exactly (k < 2^52) and the same clamp. Requires
    /// n <= 2^52 (else returns 0).
    __attribute__((target("avx2"))) std::size_t to_unit_avx2(std::uint64_t r0, std::size_t m,
                                                             double* out) const noexcept {
        OFFROI_FEISTEL_TO_UNIT(encrypt_avx2)
    }
    /// `to_unit_avx2` with AVX-512 DQ's 64-bit lane products (vpmullq): the same values.
    __attribute__((target("avx2,avx512f,avx512vl,avx512dq"))) std::size_t to_unit_avx512(
        std::uint64_t r0, std::size_t m, double* out) const noexcept {
        OFFROI_FEISTEL_TO_UNIT(encrypt_avx512)
    }
#undef OFFROI_FEISTEL_TO_UNIT
#endif

private:
    std::uint64_t round(std::uint64_t r, std::uint64_t k) const noexcept {
        std::uint64_t z = (r ^ k) * 0x9e3779b97f4a7c15ULL;
        z ^= z >> 29;
        z *= 0xbf58476d1ce4e5b9ULL;
        return (z >> 32) & mask_;
    }
    std::uint64_t encrypt(std::uint64_t x) const noexcept {
        std::uint64_t l = x >> half_, r = x & mask_;
        for (std::uint64_t k : keys_) {
            const std::uint64_t t = l ^ round(r, k);
            l = r;
            r = t;
        }
        return (l << half_) | r;
    }

    std::uint64_t n_;
    unsigned half_;
    std::uint64_t mask_;
    std::uint64_t keys_[4];
};

}  // namespace detail

/// Latin hypercube design in uniform space with random access to any trial. Cheap to copy;
/// thread-safe (all members const).
class latin_hypercube_design {
public:
    /// \param seed        the run's seed.
    /// \param design_size N, the number of trials per design (usually the run's trial count).
    /// \throws invalid_argument if design_size is 0.
    latin_hypercube_design(std::uint64_t seed, std::uint64_t design_size)
        : seed_(seed), n_(design_size) {
        if (design_size == 0)
            detail::throw_invalid("latin_hypercube_design", "design_size", 0.0,
                                  "must be >= 1 (the number of trials per design)");
    }

    /// The run's seed.
    std::uint64_t seed() const noexcept { return seed_; }
    /// N, the number of trials per design.
    std::uint64_t design_size() const noexcept { return n_; }

    /// The permutation of design `design` for input `stream`.
    detail::feistel_permutation permutation(std::uint64_t stream,
                                            std::uint64_t design) const noexcept {
        return detail::feistel_permutation(
            n_, mix64(seed_ ^ mix64(stream ^ mix64(design + 0x4c48535f64657369ULL))));
    }

    /// The stratum index in [0, N) of `trial` for input `stream`.
    std::uint64_t stratum(std::uint64_t stream, std::uint64_t trial) const noexcept {
        return permutation(stream, trial / n_)(trial % n_);
    }

    /// The uniform of input `stream` at `trial`: (stratum + U(seed, stream, trial, 1)) / N.
    double uniform(std::uint64_t stream, std::uint64_t trial) const noexcept {
        const double jitter = philox_stream(seed_, stream).uniform(trial, 1);
        return to_unit(stratum(stream, trial), jitter);
    }

    /// out[i] = uniform(stream, first_trial + i) for i in [0, count).
    void fill(std::uint64_t stream, std::uint64_t first_trial, std::size_t count,
              double* out) const noexcept {
        fill(stream, first_trial, count, out, detail::cpu_simd_level());
    }

    /// `fill` on a given vector path (`detail::simd_level`, lowered to the CPU's): the same
    /// values on every path.
    void fill(std::uint64_t stream, std::uint64_t first_trial, std::size_t count, double* out,
              detail::simd_level level) const noexcept {
        if (level > detail::cpu_simd_level()) level = detail::cpu_simd_level();
        // The jitters (dimension 1) first, in batch, then the strata design by design.
        detail::philox_uniforms(seed_, stream, first_trial, count, 1, out, level);
        std::size_t i = 0;
        while (i < count) {
            const std::uint64_t t0 = first_trial + i;
            const std::uint64_t design = t0 / n_;
            const std::uint64_t r0 = t0 % n_;
            const std::uint64_t left = n_ - r0;
            const std::size_t m = (count - i < left) ? count - i : static_cast<std::size_t>(left);
            const auto perm = permutation(stream, design);
            std::size_t j = 0;
#if OFFROI_SAMPLING_X86
            // Sixteen strata at a time, the same bits (see feistel_permutation::to_unit_avx2).
            if (level >= detail::simd_level::avx512)
                j = perm.to_unit_avx512(r0, m, out + i);
            else if (level >= detail::simd_level::avx2)
                j = perm.to_unit_avx2(r0, m, out + i);
#endif
            for (; j < m; ++j) out[i + j] = to_unit(perm(r0 + j), out[i + j]);
            i += m;
        }
    }

private:
    double to_unit(std::uint64_t stratum, double jitter) const noexcept {
        // (k + U) / N with U in (0, 1); rounding can only reach the stratum's edges, never
        // leave (0, 1): the largest value is (N - 1 + U) / N < 1 up to one rounding, so clamp.
        const double u = (static_cast<double>(stratum) + jitter) / static_cast<double>(n_);
        return u < 1.0 ? u : 0x1.fffffffffffffp-1;
    }

    std::uint64_t seed_;
    std::uint64_t n_;
};

}  // namespace offroi
