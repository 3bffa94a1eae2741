#pragma once
/// \file
/// A fast batch standard normal quantile Phi^-1 for the Gaussian copula's hot loop.
///
/// - Central region |p - 1/2| <= 0.425 (85% of uniform input): Wichura's AS 241 rational,
///   evaluated branch-free for every element, four at a time with AVX2 when the CPU has it
///   (checked at run time; separate multiplies and adds in AS 241's order, so the values
///   are the same bits as the scalar `detail::normal_quantile`).
/// - Tails, v = min(p, 1 - p) in [2^-63, 0.075): a table indexed by the bits of v (the
///   `fast_quantile` layout): the binade [2^-(j+2), 2^-(j+1)) of v (j = 2 .. 61) from the
///   exponent, one of 8 equal cells from the top three mantissa bits, and in each cell a
///   degree-9 polynomial in the local coordinate s in [-1, 1] that interpolates the scalar
///   AS 241 tail at the 10 Chebyshev-Lobatto points of the cell. No log, no sqrt, no
///   division: ~3 ns per tail value instead of ~29. With AVX2 the tail elements of each
///   block of 256 are first appended to a list (a branch-free left-pack while the centre is
///   evaluated) and the list is evaluated four entries at a time (the same bits as the
///   scalar form): a tail value costs one lane, not a whole group of four (48% of groups
///   of four uniforms hold at least one tail value, 1 - 0.85^4).
/// - v < 2^-63 (probability 1e-19 per draw), p outside (0, 1) and NaN: the scalar
///   `detail::normal_quantile`.
///
/// Error of the tabulated tails, relative to the scalar AS 241 (itself ~1e-16 relative to
/// the true quantile): a cell spans 1/8 of its binade, so its distance to the only
/// singularity of Phi^-1(v) (the log at v = 0) is at least 17 half-widths; the Chebyshev
/// interpolation error then decays like 34^-10. Measured over 2e6 log-uniform tail points
/// and the cell edges (tests/sampling/normal_quantile_table_test.cpp): at most 1.2e-15
/// relative (a few ulps: rounding in AS 241's nodes and in the Horner sum); the test
/// asserts 2e-15, and 1.2e-15 against Boost's long double quantile. Not bit-identical to the scalar form: use it
/// only where that is acceptable (the copula); `detail::normal_quantile` stays the exact
/// reference.

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "offroi/distributions/detail/lobatto_basis.hpp"
#include "offroi/distributions/detail/normal_math.hpp"
#include "offroi/random/detail/simd.hpp"


namespace offroi::detail {

/// Tabulated Phi^-1 tails (see the file comment). Built once (`instance()`), immutable,
/// thread-safe.
class normal_quantile_table {
public:
    static constexpr int first_binade = 2;      ///< v < 2^-(first_binade+1) = 1/8
    static constexpr int binades = 62;          ///< binades j = first_binade .. binades-1
    static constexpr int cells_per_binade = 8;  ///< equal cells per binade
    static constexpr int degree = 9;            ///< polynomial degree per cell
    /// Smallest tail probability answered by the table.
    static constexpr double table_min_tail = 0x1.0p-63;
    /// Tail threshold of AS 241: the table is used for min(p, 1 - p) < 0.075.
    static constexpr double central_limit = 0.425;

    /// The shared table (built on first use, ~0.2 ms).
    static const normal_quantile_table& instance() {
        static const normal_quantile_table t;
        return t;
    }

    /// |Phi^-1(v)| for a tail probability v in [table_min_tail, 1/8) (unchecked).
    double tail_magnitude(double v) const noexcept {
        const std::uint64_t bits = std::bit_cast<std::uint64_t>(v);
        const int j = 1021 - static_cast<int>(bits >> 52);
        const std::uint64_t mant = bits & ((std::uint64_t(1) << 52) - 1);
        const int cell = static_cast<int>(mant >> mant_shift);
        const std::uint64_t frac = mant & ((std::uint64_t(1) << mant_shift) - 1);
        // s = 2 frac / 2^mant_shift - 1, exact.
        const double s = static_cast<double>(frac) * 0x1.0p-48 - 1.0;
        static_assert(mant_shift == 49);
        const double* c =
            coef_.data() +
            static_cast<std::size_t>((j - first_binade) * cells_per_binade + cell) * ncoef;
        double r = c[degree];
        for (int k = degree - 1; k >= 0; --k) r = r * s + c[k];
        return r;
    }

    /// Phi^-1(p) for one p: AS 241 in the centre, the table in the tails, the scalar
    /// `normal_quantile` below 2^-63 and at/outside the ends (+-inf at 0 and 1, NaN).
    double operator()(double p) const noexcept {
        const double q = p - 0.5;
        if (std::fabs(q) <= central_limit) return normal_math_detail::ppnd16_central(q);
        const double v = q < 0.0 ? p : 1.0 - p;  // exact for p >= 1/2
        if (!(v >= table_min_tail)) return normal_quantile(p);
        const double z = tail_magnitude(v);
        return q < 0.0 ? -z : z;
    }

    /// Batch form: z[i] = (*this)(p[i]) for i < n (same bits). `p` and `z` may alias.
    void operator()(const double* p, double* z, std::size_t n) const noexcept {
        batch(p, z, n, cpu_simd_level());
    }

    /// The batch form on a given path (`simd_level` at most `cpu_simd_level()`; a higher one
    /// is lowered to it): every path gives the scalar operator's bits. With AVX2, the centre
    /// is evaluated four lanes at a time for every element while the tail elements are
    /// appended to a list (a branch-free left-pack), then the list is evaluated four entries
    /// at a time: a tail value costs one lane, not a group of four.
    void batch(const double* p, double* z, std::size_t n, simd_level level) const noexcept {
#if OFFROI_SAMPLING_X86
        if (level > cpu_simd_level()) level = cpu_simd_level();
        if (level >= simd_level::avx2) return batch_avx2(p, z, n);
#else
        (void)level;
#endif
        for (std::size_t i = 0; i < n; ++i) z[i] = (*this)(p[i]);
    }

private:
    static constexpr int ncoef = degree + 1;
    static constexpr int mant_shift = 52 - 3;  // log2(cells_per_binade) = 3

#if OFFROI_SAMPLING_X86
    // AVX2 batch (see `batch`): blocks of 256; `central_avx2` writes every element's central
    // value (0 for tail lanes) and appends each tail lane's p and destination address to
    // tp/td; `tails4_avx2` then evaluates the list four entries at a time (padded with a
    // valid tail probability whose result goes to `padding_sink`, discarded).
    __attribute__((target("avx2"))) void batch_avx2(const double* p, double* z,
                                                    std::size_t n) const noexcept {
        constexpr std::size_t block = 256;
        alignas(32) double tp[block + 4];
        alignas(32) std::uint64_t td[block + 4];
        double padding_sink[4];  // results of the padding entries, never read
        for (std::size_t start = 0; start < n; start += block) {
            const std::size_t m = (n - start < block) ? n - start : block;
            std::size_t nt = 0;
            const std::size_t done = central_avx2(p + start, z + start, m, tp, td, nt);
            for (std::size_t i = done; i < m; ++i) z[start + i] = (*this)(p[start + i]);
            for (std::size_t k = nt; k % 4 != 0; ++k) {
                tp[k] = 0.0625;
                td[k] = reinterpret_cast<std::uintptr_t>(&padding_sink[k % 4]);
            }
            for (std::size_t k = 0; k < nt; k += 4) tails4_avx2(tp + k, td + k);
        }
    }

    // AS 241's central rational on four lanes at a time (`ppnd16_central_avx2`: the bits of
    // `ppnd16_central`). Lanes outside the centre (or NaN) get q = 0 and are appended to tp/td
    // (their p and the address of their z). Returns the count done (a multiple of 4).
    __attribute__((target("avx2"), always_inline)) static inline std::size_t central_avx2(
        const double* p, double* z, std::size_t m, double* tp, std::uint64_t* td,
        std::size_t& nt) noexcept {
        const __m256d half = _mm256_set1_pd(0.5), lim = _mm256_set1_pd(central_limit);
        const __m256d sign = _mm256_set1_pd(-0.0);
        const __m256i lane_bytes = _mm256_set_epi64x(24, 16, 8, 0);
        std::size_t i = 0;
        for (; i + 4 <= m; i += 4) {
            const __m256d pv = _mm256_loadu_pd(p + i);
            __m256d q = _mm256_sub_pd(pv, half);
            const __m256d inside = _mm256_cmp_pd(_mm256_andnot_pd(sign, q), lim, _CMP_LE_OQ);
            const int tail = _mm256_movemask_pd(inside) ^ 0xF;
            const __m256i perm = _mm256_load_si256(
                reinterpret_cast<const __m256i*>(left_pack.idx[tail]));
            _mm256_storeu_pd(tp + nt, _mm256_castsi256_pd(_mm256_permutevar8x32_epi32(
                                          _mm256_castpd_si256(pv), perm)));
            const __m256i dst = _mm256_add_epi64(
                _mm256_set1_epi64x(static_cast<long long>(reinterpret_cast<std::uintptr_t>(z + i))),
                lane_bytes);
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(td + nt),
                                _mm256_permutevar8x32_epi32(dst, perm));
            nt += static_cast<std::size_t>(__builtin_popcount(static_cast<unsigned>(tail)));
            q = _mm256_and_pd(q, inside);
            _mm256_storeu_pd(z + i, ppnd16_central_avx2(q));
        }
        return i;
    }

    // Four tail entries (p in tp[0..4), destinations td[0..4)): v = p (p < 1/2) or 1 - p, the
    // cell from the exponent and top mantissa bits, s from the low bits (exact), the four
    // coefficient rows loaded and transposed, and Horner with a separate multiply and add
    // as `tail_magnitude`, negated below 1/2: the same bits as the scalar operator. A group
    // with any v below table_min_tail (or NaN, or p outside (0, 1)) is done by the scalar
    // operator lane by lane.
    __attribute__((target("avx2"), always_inline)) inline void tails4_avx2(
        const double* tp, const std::uint64_t* td) const noexcept {
        const __m256d pv = _mm256_load_pd(tp);
        const __m256d half = _mm256_set1_pd(0.5), one = _mm256_set1_pd(1.0);
        const __m256d sign = _mm256_set1_pd(-0.0);
        const __m256d low = _mm256_cmp_pd(pv, half, _CMP_LT_OQ);  // q = p - 1/2 < 0
        const __m256d v = _mm256_blendv_pd(_mm256_sub_pd(one, pv), pv, low);
        const __m256d ok = _mm256_cmp_pd(v, _mm256_set1_pd(table_min_tail), _CMP_GE_OQ);
        if (_mm256_movemask_pd(ok) != 0xF) [[unlikely]] {
            for (int l = 0; l < 4; ++l)
                *reinterpret_cast<double*>(static_cast<std::uintptr_t>(td[l])) = (*this)(tp[l]);
            return;
        }
        const __m256i bits = _mm256_castpd_si256(v);
        const __m256i j = _mm256_sub_epi64(_mm256_set1_epi64x(1021 - first_binade),
                                           _mm256_srli_epi64(bits, 52));
        const __m256i cell = _mm256_and_si256(_mm256_srli_epi64(bits, mant_shift),
                                              _mm256_set1_epi64x(cells_per_binade - 1));
        // Row offsets in doubles: (j * 8 + cell) * 10.
        const __m256i row = _mm256_add_epi64(_mm256_slli_epi64(j, 3), cell);
        const __m256i off = _mm256_add_epi64(_mm256_slli_epi64(row, 3), _mm256_slli_epi64(row, 1));
        const __m256i frac = _mm256_and_si256(
            bits, _mm256_set1_epi64x((std::int64_t(1) << mant_shift) - 1));
        const __m256d fd = _mm256_sub_pd(
            _mm256_castsi256_pd(_mm256_or_si256(frac, _mm256_set1_epi64x(0x4330000000000000LL))),
            _mm256_set1_pd(0x1.0p52));
        const __m256d s = _mm256_sub_pd(_mm256_mul_pd(fd, _mm256_set1_pd(0x1.0p-48)), one);
        alignas(32) std::int64_t o[4];
        _mm256_store_si256(reinterpret_cast<__m256i*>(o), off);
        const double* c0 = coef_.data() + o[0];
        const double* c1 = coef_.data() + o[1];
        const double* c2 = coef_.data() + o[2];
        const double* c3 = coef_.data() + o[3];
        __m256d c[ncoef];
        for (int b = 0; b < 8; b += 4) {
            const __m256d a0 = _mm256_loadu_pd(c0 + b), a1 = _mm256_loadu_pd(c1 + b);
            const __m256d a2 = _mm256_loadu_pd(c2 + b), a3 = _mm256_loadu_pd(c3 + b);
            const __m256d l01 = _mm256_unpacklo_pd(a0, a1), h01 = _mm256_unpackhi_pd(a0, a1);
            const __m256d l23 = _mm256_unpacklo_pd(a2, a3), h23 = _mm256_unpackhi_pd(a2, a3);
            c[b + 0] = _mm256_permute2f128_pd(l01, l23, 0x20);
            c[b + 1] = _mm256_permute2f128_pd(h01, h23, 0x20);
            c[b + 2] = _mm256_permute2f128_pd(l01, l23, 0x31);
            c[b + 3] = _mm256_permute2f128_pd(h01, h23, 0x31);
        }
        const __m256d b02 = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(c0 + 8)),
                                                 _mm_loadu_pd(c2 + 8), 1);
        const __m256d b13 = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(c1 + 8)),
                                                 _mm_loadu_pd(c3 + 8), 1);
        c[8] = _mm256_unpacklo_pd(b02, b13);
        c[9] = _mm256_unpackhi_pd(b02, b13);
        static_assert(ncoef == 10);
        __m256d r = c[degree];
        for (int k = degree - 1; k >= 0; --k) r = _mm256_add_pd(_mm256_mul_pd(r, s), c[k]);
        r = _mm256_blendv_pd(r, _mm256_xor_pd(r, sign), low);
        alignas(32) double out[4];
        _mm256_store_pd(out, r);
        for (int l = 0; l < 4; ++l)
            *reinterpret_cast<double*>(static_cast<std::uintptr_t>(td[l])) = out[l];
    }
#endif

    static_assert(cells_per_binade == 8);

    std::vector<double> coef_;  // [binade - first_binade][cell][ncoef], monomials in s

    normal_quantile_table()
        : coef_(static_cast<std::size_t>((binades - first_binade) * cells_per_binade * ncoef)) {
        const auto& basis = lobatto_basis<degree>::instance();
        const auto& s = basis.s;
        std::array<long double, ncoef> y{};
        for (int j = first_binade; j < binades; ++j)
            for (int c = 0; c < cells_per_binade; ++c) {
                for (int i = 0; i < ncoef; ++i) {
                    // v at local coordinate s_i of (binade j, cell c); exact in double.
                    const double t = (c + 0.5 * (s[i] + 1.0)) /
                                     cells_per_binade;
                    const double v = std::ldexp(1.0 + t, -(j + 2));
                    y[i] = normal_math_detail::ppnd16_tail(v);
                }
                double* out = coef_.data() +
                              static_cast<std::size_t>((j - first_binade) * cells_per_binade +
                                                       c) * ncoef;
                for (int k = 0; k < ncoef; ++k) {
                    long double acc = 0.0L;
                    for (int i = 0; i < ncoef; ++i) acc += basis.vinv[k][i] * y[i];
                    out[k] = static_cast<double>(acc);
                }
            }
    }
};

/// Batch Phi^-1 through `normal_quantile_table::instance()` (see the file comment).
inline void normal_quantile_fast(const double* p, double* z, std::size_t n) noexcept {
    normal_quantile_table::instance()(p, z, n);
}

}  // namespace offroi::detail
