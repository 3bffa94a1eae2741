#pragma once
/// \file
/// Batch Philox4x32-10 over consecutive blocks of one dimension, bit-identical to
/// `philox_stream::words` (and a dimension's uniforms over consecutive trials, two per block):
/// eight blocks at a time with AVX2 when the CPU has it (checked at run time, so the
/// library needs no -mavx2), otherwise the scalar Random123 path. Used by the designs'
/// `fill` for the hot loop.

#include <bit>
#include <cstddef>
#include <cstdint>

#include "offroi/random/detail/simd.hpp"
#include "offroi/random/philox.hpp"


namespace offroi::detail {

/// The Philox key words philox_stream(seed, stream) uses.
inline void philox_key(std::uint64_t seed, std::uint64_t stream, std::uint32_t& k0,
                       std::uint32_t& k1) noexcept {
    const std::uint64_t k = mix64(seed ^ mix64(stream));
    k0 = static_cast<std::uint32_t>(k);
    k1 = static_cast<std::uint32_t>(k >> 32);
}

#if OFFROI_SAMPLING_X86
/// Four words to four uniforms at `out`, as `words_to_open_unit` computes them.
__attribute__((target("avx2"), always_inline)) inline void store_open_unit4(double* out, __m256i w) noexcept {
    const __m256i two52_bits = _mm256_set1_epi64x(0x4330000000000000LL);
    const __m256d d = _mm256_castsi256_pd(_mm256_or_si256(_mm256_srli_epi64(w, 12), two52_bits));
    _mm256_storeu_pd(out, _mm256_mul_pd(_mm256_sub_pd(d, _mm256_set1_pd(0x1.fffffffffffffp+51)),
                                        _mm256_set1_pd(0x1.0p-52)));
}

/// The output of a 32-block Philox kernel for one group of eight blocks (lanes): the words
/// (c1 << 32) | c0 and (c3 << 32) | c2 in block order to w0 and w1; or, when u is not null,
/// the uniforms of both words in draw order, u[2 k] from the first word of block k and
/// u[2 k + 1] from the second (sixteen doubles, as `words_to_open_unit` computes them: the
/// same operations, the same bits).
__attribute__((target("avx2"), always_inline)) inline void philox_store8(
    __m256i c0, __m256i c1, __m256i c2, __m256i c3, std::uint64_t* w0, std::uint64_t* w1,
    double* u) noexcept {
    const __m256i w0a = _mm256_unpacklo_epi32(c0, c1);  // first words of blocks 0 1 | 4 5
    const __m256i w0b = _mm256_unpackhi_epi32(c0, c1);  // blocks 2 3 | 6 7
    const __m256i w1a = _mm256_unpacklo_epi32(c2, c3);  // second words, blocks 0 1 | 4 5
    const __m256i w1b = _mm256_unpackhi_epi32(c2, c3);
    if (u != nullptr) {
        // Draw order: first and second word of block 0, of block 1, ...
        const __m256i x0 = _mm256_unpacklo_epi64(w0a, w1a);  // block 0 | block 4
        const __m256i x1 = _mm256_unpackhi_epi64(w0a, w1a);  // block 1 | block 5
        const __m256i x2 = _mm256_unpacklo_epi64(w0b, w1b);  // block 2 | block 6
        const __m256i x3 = _mm256_unpackhi_epi64(w0b, w1b);  // block 3 | block 7
        store_open_unit4(u, _mm256_permute2x128_si256(x0, x1, 0x20));       // blocks 0, 1
        store_open_unit4(u + 4, _mm256_permute2x128_si256(x2, x3, 0x20));   // blocks 2, 3
        store_open_unit4(u + 8, _mm256_permute2x128_si256(x0, x1, 0x31));   // blocks 4, 5
        store_open_unit4(u + 12, _mm256_permute2x128_si256(x2, x3, 0x31));  // blocks 6, 7
        return;
    }
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(w0), _mm256_permute2x128_si256(w0a, w0b, 0x20));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(w0 + 4), _mm256_permute2x128_si256(w0a, w0b, 0x31));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(w1), _mm256_permute2x128_si256(w1a, w1b, 0x20));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(w1 + 4), _mm256_permute2x128_si256(w1a, w1b, 0x31));
}
#endif

#if OFFROI_SAMPLING_X86
/// Groups of eight lanes in the 32-block Philox kernels.
inline constexpr int philox32_groups = 4;

/// The counters of blocks [t, t + 32) of dimension `dimension`, in four groups of eight lanes:
/// c0/c1 the low/high 32 bits of the block index, c2/c3 those of the dimension.
__attribute__((target("avx2"), always_inline)) inline void philox32_counters(
    std::uint64_t t, std::uint64_t dimension, __m256i* c0, __m256i* c1, __m256i* c2,
    __m256i* c3) noexcept {
    constexpr int G = philox32_groups;
    alignas(32) std::uint32_t lo[8 * G], hi[8 * G];
    for (int i = 0; i < 8 * G; ++i) {
        const std::uint64_t ti = t + static_cast<std::uint64_t>(i);
        lo[i] = static_cast<std::uint32_t>(ti);
        hi[i] = static_cast<std::uint32_t>(ti >> 32);
    }
    for (int g = 0; g < G; ++g) {
        c0[g] = _mm256_load_si256(reinterpret_cast<const __m256i*>(lo + 8 * g));
        c1[g] = _mm256_load_si256(reinterpret_cast<const __m256i*>(hi + 8 * g));
        c2[g] = _mm256_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(dimension)));
        c3[g] = _mm256_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(dimension >> 32)));
    }
}

/// The outputs of the four groups of a 32-block kernel (`philox_store8` on each).
__attribute__((target("avx2"), always_inline)) inline void philox32_store(
    const __m256i* c0, const __m256i* c1, const __m256i* c2, const __m256i* c3,
    std::uint64_t* w0, std::uint64_t* w1, double* u) noexcept {
    for (int g = 0; g < philox32_groups; ++g) {
        if (u != nullptr)
            philox_store8(c0[g], c1[g], c2[g], c3[g], nullptr, nullptr, u + 16 * g);
        else
            philox_store8(c0[g], c1[g], c2[g], c3[g], w0 + 8 * g, w1 + 8 * g, nullptr);
    }
}

/// Thirty-two blocks [t, t + 32) of dimension `dimension`: their words w0 and w1, as
/// `philox_stream::words`; or, when u is not null, the 64 uniforms of trials [2 t, 2 t + 64)
/// in order (`philox_store8`). Four independent groups of eight lanes are interleaved
/// because one Philox round chain is latency-bound.
__attribute__((target("avx2"))) inline void philox32_avx2(std::uint32_t k0, std::uint32_t k1,
                                                          std::uint64_t t, std::uint64_t dimension,
                                                          std::uint64_t* w0, std::uint64_t* w1,
                                                          double* u = nullptr) {
    constexpr int G = philox32_groups;
    __m256i c0[G], c1[G], c2[G], c3[G];
    philox32_counters(t, dimension, c0, c1, c2, c3);
    const __m256i m0 = _mm256_set1_epi32(static_cast<int>(0xD2511F53u));
    const __m256i m1 = _mm256_set1_epi32(static_cast<int>(0xCD9E8D57u));
    std::uint32_t a = k0, b = k1;
    for (int r = 0; r < 10; ++r) {
        const __m256i ka = _mm256_set1_epi32(static_cast<int>(a));
        const __m256i kb = _mm256_set1_epi32(static_cast<int>(b));
        for (int g = 0; g < G; ++g) {
            // 32 x 32 -> 64-bit products of all eight lanes: even lanes, then odd lanes.
            const __m256i pe0 = _mm256_mul_epu32(c0[g], m0);
            const __m256i po0 = _mm256_mul_epu32(_mm256_srli_epi64(c0[g], 32), m0);
            const __m256i pe1 = _mm256_mul_epu32(c2[g], m1);
            const __m256i po1 = _mm256_mul_epu32(_mm256_srli_epi64(c2[g], 32), m1);
            const __m256i lo0 = _mm256_blend_epi32(pe0, _mm256_slli_epi64(po0, 32), 0xAA);
            const __m256i hi0 = _mm256_blend_epi32(_mm256_srli_epi64(pe0, 32), po0, 0xAA);
            const __m256i lo1 = _mm256_blend_epi32(pe1, _mm256_slli_epi64(po1, 32), 0xAA);
            const __m256i hi1 = _mm256_blend_epi32(_mm256_srli_epi64(pe1, 32), po1, 0xAA);
            c0[g] = _mm256_xor_si256(_mm256_xor_si256(hi1, c1[g]), ka);
            c2[g] = _mm256_xor_si256(_mm256_xor_si256(hi0, c3[g]), kb);
            c1[g] = lo1;
            c3[g] = lo0;
        }
        a += 0x9E3779B9u;
        b += 0xBB67AE85u;
    }
    philox32_store(c0, c1, c2, c3, w0, w1, u);
}

/// `philox32_avx2` with AVX-512 VL on the same 256-bit vectors: the 32-bit halves of the
/// products are interleaved by one masked dword shuffle each (instead of a shift and a
/// blend) and the three-way xors are single ternary-logic operations. The same words.
__attribute__((target("avx2,avx512f,avx512vl"))) inline void philox32_avx512(
    std::uint32_t k0, std::uint32_t k1, std::uint64_t t, std::uint64_t dimension, std::uint64_t* w0,
    std::uint64_t* w1, double* u = nullptr) {
    constexpr int G = philox32_groups;
    __m256i c0[G], c1[G], c2[G], c3[G];
    philox32_counters(t, dimension, c0, c1, c2, c3);
    const __m256i m0 = _mm256_set1_epi32(static_cast<int>(0xD2511F53u));
    const __m256i m1 = _mm256_set1_epi32(static_cast<int>(0xCD9E8D57u));
    std::uint32_t a = k0, b = k1;
    for (int r = 0; r < 10; ++r) {
        const __m256i ka = _mm256_set1_epi32(static_cast<int>(a));
        const __m256i kb = _mm256_set1_epi32(static_cast<int>(b));
        for (int g = 0; g < G; ++g) {
            const __m256i pe0 = _mm256_mul_epu32(c0[g], m0);
            const __m256i po0 = _mm256_mul_epu32(_mm256_srli_epi64(c0[g], 32), m0);
            const __m256i pe1 = _mm256_mul_epu32(c2[g], m1);
            const __m256i po1 = _mm256_mul_epu32(_mm256_srli_epi64(c2[g], 32), m1);
            // lo: even dwords of pe (in place) and of po (moved up); hi: odd dwords of pe
            // (moved down) and of po (in place).
            const __m256i lo0 = _mm256_mask_shuffle_epi32(pe0, 0xAA, po0, _MM_PERM_CCAA);
            const __m256i hi0 = _mm256_mask_shuffle_epi32(po0, 0x55, pe0, _MM_PERM_DDBB);
            const __m256i lo1 = _mm256_mask_shuffle_epi32(pe1, 0xAA, po1, _MM_PERM_CCAA);
            const __m256i hi1 = _mm256_mask_shuffle_epi32(po1, 0x55, pe1, _MM_PERM_DDBB);
            c0[g] = _mm256_ternarylogic_epi32(hi1, c1[g], ka, 0x96);  // a ^ b ^ c
            c2[g] = _mm256_ternarylogic_epi32(hi0, c3[g], kb, 0x96);
            c1[g] = lo1;
            c3[g] = lo0;
        }
        a += 0x9E3779B9u;
        b += 0xBB67AE85u;
    }
    philox32_store(c0, c1, c2, c3, w0, w1, u);
}
#endif

/// w0[i], w1[i] = philox_stream(seed, stream).words(first + i, dimension) for i < count:
/// consecutive Philox blocks of one dimension (on the vector path `level`, lowered to the
/// CPU's; the same words on every path).
inline void philox_words(std::uint64_t seed, std::uint64_t stream, std::uint64_t first,
                         std::size_t count, std::uint64_t dimension, std::uint64_t* w0,
                         std::uint64_t* w1, simd_level level = cpu_simd_level()) noexcept {
    std::size_t i = 0;
#if OFFROI_SAMPLING_X86
    if (level > cpu_simd_level()) level = cpu_simd_level();
    if (level >= simd_level::avx2) {
        std::uint32_t k0, k1;
        philox_key(seed, stream, k0, k1);
        if (level >= simd_level::avx512)
            for (; i + 32 <= count; i += 32)
                philox32_avx512(k0, k1, first + i, dimension, w0 + i, w1 + i);
        else
            for (; i + 32 <= count; i += 32)
                philox32_avx2(k0, k1, first + i, dimension, w0 + i, w1 + i);
    }
#else
    (void)level;
#endif
    const philox_stream ps(seed, stream);
    for (; i < count; ++i) {
        const auto w = ps.words(first + i, dimension);
        w0[i] = w.first;
        w1[i] = w.second;
    }
}

/// u[i] = to_open_unit(w[i]) for i < n, written so that it vectorises: for m = w >> 12
/// < 2^52, the double with bits (m | bits(2^52)) is exactly 2^52 + m, and
/// (2^52 + m) - (2^52 - 0.5) = m + 0.5 exactly; times 2^-52 gives to_open_unit's value.
inline void words_to_open_unit(const std::uint64_t* w, double* u, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i) {
        const double d = std::bit_cast<double>((w[i] >> 12) | 0x4330000000000000ULL);
        u[i] = (d - 0x1.fffffffffffffp+51) * 0x1.0p-52;  // 2^52 - 0.5
    }
}

/// out[i] = philox_stream(seed, stream).uniform(first_trial + i, dimension) for i < count:
/// one Philox block per two trials (the mapping's trials 2k and 2k + 1).
inline void philox_uniforms(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_trial,
                            std::size_t count, std::uint64_t dimension, double* out,
                            simd_level level = cpu_simd_level()) noexcept {
    if (count == 0) return;
    std::size_t done = 0;
    if (first_trial & 1) {  // an odd first trial: the second word of its block
        out[0] = philox_stream(seed, stream).uniform(first_trial, dimension);
        done = 1;
    }
#if OFFROI_SAMPLING_X86
    // Whole runs of 32 blocks (64 trials) straight to doubles (no pass through word arrays).
    if (level > cpu_simd_level()) level = cpu_simd_level();
    if (level >= simd_level::avx2) {
        std::uint32_t k0, k1;
        philox_key(seed, stream, k0, k1);
        if (level >= simd_level::avx512)
            for (; done + 64 <= count; done += 64)
                philox32_avx512(k0, k1, (first_trial + done) >> 1, dimension, nullptr, nullptr, out + done);
        else
            for (; done + 64 <= count; done += 64)
                philox32_avx2(k0, k1, (first_trial + done) >> 1, dimension, nullptr, nullptr, out + done);
    }
#endif
    // The rest (an even first trial here) through the words: blocks of up to 256 trials.
    constexpr std::size_t chunk = 128;  // blocks
    alignas(32) std::uint64_t w0[chunk], w1[chunk], w[2 * chunk];
    while (done < count) {
        const std::size_t trials = count - done < 2 * chunk ? count - done : 2 * chunk;
        const std::size_t blocks = (trials + 1) / 2;
        philox_words(seed, stream, (first_trial + done) >> 1, blocks, dimension, w0, w1, level);
        for (std::size_t k = 0; k < blocks; ++k) {
            w[2 * k] = w0[k];
            w[2 * k + 1] = w1[k];
        }
        words_to_open_unit(w, out + done, trials);
        done += trials;
    }
}

}  // namespace offroi::detail
