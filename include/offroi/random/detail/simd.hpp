#pragma once
/// \file
/// What the sampling hot loops (random, distributions, sampling) share for their x86 vector paths: whether they are compiled
/// (`OFFROI_SAMPLING_X86`), the run-time CPU checks, and the left-pack table that gathers
/// the selected lanes of a 4 x 64-bit vector to its front.
///
/// Policy (as the model's block evaluation, include/offroi/model/evaluate_block.hpp): the
/// vector paths are functions with `__attribute__((target(...)))` chosen at run time, so the
/// library needs no -mavx2; every helper they call is `always_inline` (a call from AVX2 code
/// to an out-of-line function compiled for SSE2 passes 32-byte vectors differently); and the
/// dispatch exists only in optimised builds (-O1 and up): an unoptimised build takes the
/// portable path. Every vector path gives the same bits as the portable one.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#if defined(__GNUC__) && defined(__x86_64__) && defined(__OPTIMIZE__)
#include <immintrin.h>
#define OFFROI_SAMPLING_X86 1
#else
#define OFFROI_SAMPLING_X86 0
#endif

namespace offroi::detail {

/// The vector instruction sets a sampling hot loop may use, in increasing order.
enum class simd_level {
    portable = 0,  ///< plain C++ (any CPU, and every unoptimised build)
    avx2 = 1,      ///< AVX2 (256-bit vectors)
    avx512 = 2,    ///< AVX2 plus AVX-512 F, VL and DQ (64-bit multiplies, masks, 8 lanes)
};

/// The best `simd_level` of this CPU that this build can use, checked once. The environment
/// variable OFFROI_SIMD (read at the first call) can lower it: "portable" or "avx2", for
/// measuring or testing the other paths on the same machine; any other value is ignored.
inline simd_level cpu_simd_level() noexcept {
    static const simd_level level = [] {
        simd_level l = simd_level::portable;
#if OFFROI_SAMPLING_X86
        if (__builtin_cpu_supports("avx2")) l = simd_level::avx2;
        if (l == simd_level::avx2 && __builtin_cpu_supports("avx512f") &&
            __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq"))
            l = simd_level::avx512;
#endif
        if (const char* cap = std::getenv("OFFROI_SIMD")) {
            const std::string_view c(cap);
            if (c == "portable") l = simd_level::portable;
            if (c == "avx2" && l > simd_level::avx2) l = simd_level::avx2;
        }
        return l;
    }();
    return level;
}

/// Left-pack permutations for `_mm256_permutevar8x32_epi32` on four 64-bit lanes: row m (a
/// 4-bit lane mask) moves the lanes whose bit is set, in order, to the front (the other
/// entries are 0). Used to append the selected lanes of a vector to a list without a branch.
struct left_pack_table {
    alignas(32) std::int32_t idx[16][8];
};

/// See `left_pack_table`.
inline constexpr left_pack_table make_left_pack_table() noexcept {
    left_pack_table t{};
    for (int m = 0; m < 16; ++m) {
        int k = 0;
        for (int l = 0; l < 4; ++l)
            if ((m >> l) & 1) {
                t.idx[m][2 * k] = 2 * l;
                t.idx[m][2 * k + 1] = 2 * l + 1;
                ++k;
            }
    }
    return t;
}

/// The shared left-pack table.
inline constexpr left_pack_table left_pack = make_left_pack_table();

}  // namespace offroi::detail
