#pragma once
/// \file
/// `offroi::detail::normal_score_table`: a marginal transform in normal-score space,
/// x = F^-1(Phi(z)), tabulated as one function of z, so that a Gaussian copula goes from
/// its correlated normal scores straight to the marginal draws without Phi and a quantile
/// table in between (the "fused z-space marginal").
///
/// Layout. z in [-z_max, z_max) (z_max = 8, Phi(-8) = 6.2e-16) is cut into cells of width
/// h = 1/4; in each cell x is a polynomial of degree 7 in the local coordinate s in [-1, 1]
/// that interpolates F^-1(Phi(z)) at the 8 Chebyshev-Lobatto points of the cell. The cell
/// index is min(trunc((z + z_max) * 4), 63): no search and no branch. Eight coefficients per cell,
/// 64 cells, 4 KB per distribution; four values at a time with AVX2 when the CPU has it
/// (checked at run time; same bits as the scalar form). Results are clamped to the support.
///
/// Nodes. For z <= 0 the node is Q(Phi(z)) on the lower side, for z > 0 Q(1 - Phi(-z)) on the
/// upper side (`fast_quantile::tail`), with Phi(-|z|) from the exact `normal_cdf`, so deep
/// upper-tail nodes keep their relative accuracy (better than Phi(z) rounded to a double and
/// then inverted). Beyond the table (|z| >= 8, probability 1.2e-15 per draw) and for NaN the
/// composition itself is evaluated: the exact `normal_cdf` and `tail`.
///
/// Error (tests/distributions/normal_score_table_test.cpp, docs/distributions.md): measured
/// against Boost's exact beta inverse at the long-double Phi(z) (the complement on the upper
/// side), over 20,001 points of z in [-9, 9] plus both sides of every cell edge, for PERT
/// and beta shapes from 0.6 to 200: the error in x relative to max(|x|, interquartile range)
/// is at most 2.2e-11 (the test asserts 1e-9, the bound `fast_quantile` documents). In
/// probability, |F(x) - v| / v with v = min(Phi(z), 1 - Phi(z)) is at most 5.8e-6 (asserted
/// 1e-5) wherever 64 ulps of x move F by less than 1e-3 v (closer to a bounded end the x
/// rounding of a few ulps dominates 1 - F, as for any double-valued quantile).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <vector>

#include "offroi/distributions/detail/lobatto_basis.hpp"
#include "offroi/distributions/detail/normal_math.hpp"
#include "offroi/random/detail/simd.hpp"


namespace offroi::detail {

/// Tabulated x = F^-1(Phi(z)) for a continuous distribution (see the file comment).
/// Immutable; copies share the table; thread-safe.
class normal_score_table {
public:
    static constexpr double z_max = 8.0;            ///< table range [-z_max, z_max)
    static constexpr double cells_per_unit = 4.0;   ///< 1 / h
    static constexpr int cells = 64;                ///< 2 z_max / h
    static constexpr int degree = 7;                ///< polynomial degree per cell
    static constexpr int ncoef = degree + 1;        ///< coefficients per cell

    /// An empty object; `valid()` is false.
    normal_score_table() = default;

    /// Builds the table.
    /// \param tail  tail(upper, v): Q(v) (upper false) or Q(1 - v) (upper true) for v in
    ///              (0, 1/2], accurate for tiny v (e.g. `fast_quantile::tail`, rescaled).
    /// \param lower, upper the support (results are clamped to it).
    normal_score_table(std::function<double(bool, double)> tail, double lower, double upper)
        : t_(build(std::move(tail), lower, upper)) {}

    /// True when the object holds a table.
    bool valid() const noexcept { return static_cast<bool>(t_); }

    /// F^-1(Phi(z)); NaN gives NaN, +-inf the support bounds.
    double operator()(double z) const { return one(*t_, z); }

    /// x[i] = (*this)(z[i]) for i < n, bit-identical to the scalar form; z and x may alias.
    void operator()(const double* z, double* x, std::size_t n) const {
        batch(z, x, n, cpu_simd_level());
    }

    /// The batch form on a given path (`simd_level`, lowered to `cpu_simd_level()`): every
    /// path gives the scalar form's bits.
    void batch(const double* z, double* x, std::size_t n, simd_level level) const {
        const data& t = *t_;
        std::size_t i = 0;
#if OFFROI_SAMPLING_X86
        if (level > cpu_simd_level()) level = cpu_simd_level();
        if (level >= simd_level::avx2) i = batch_avx2(t, z, x, n);
#else
        (void)level;
#endif
        for (; i < n; ++i) x[i] = one(t, z[i]);
    }

    /// The composition evaluated without the table: tail(z <= 0, Phi(-|z|)) with the exact
    /// `normal_cdf`, clamped to the support (the reference of the table, and its fallback).
    double direct(double z) const { return direct(*t_, z); }

private:
    struct data {
        std::vector<double> coef;  // [cell][ncoef], monomials in s
        std::function<double(bool, double)> tail;
        double lower = 0.0, upper = 0.0;
    };
    std::shared_ptr<const data> t_;

    static double direct(const data& t, double z) {
        if (std::isnan(z)) return z;
        const bool up = z > 0.0;
        const double v = normal_cdf(up ? -z : z);
        return std::clamp(t.tail(up, v), t.lower, t.upper);
    }

    static double one(const data& t, double z) {
        if (!(std::fabs(z) < z_max)) [[unlikely]]
            return direct(t, z);
        const double u = (z + z_max) * cells_per_unit;
        // z + z_max can round up to 2 z_max for z just below z_max: the last cell then.
        const int k = std::min(static_cast<int>(u), cells - 1);
        const double s = (u - k) * 2.0 - 1.0;
        const double* c = t.coef.data() + static_cast<std::size_t>(k) * ncoef;
        double r = c[degree];
        for (int m = degree - 1; m >= 0; --m) r = r * s + c[m];
        return std::min(std::max(r, t.lower), t.upper);
    }

#if OFFROI_SAMPLING_X86
    // `one` on G groups of four lanes with every |z| < z_max: the same index (capped at the
    // last cell), s and Horner steps (separate multiply and add); max then min as std::max /
    // std::min do (for non-NaN r). The coefficients are loaded two at a time per group,
    // [c0 c0 c2 c2] and [c1 c1 c3 c3] of rows 0..3 from 128-bit broadcasts (load-only) and
    // blends, then one unpack each; the G Horner chains are interleaved step by step, as one
    // chain's latency would otherwise leave the multipliers idle.
    // Coefficients b and b + 1 of four rows, each as a vector over the rows.
    __attribute__((target("avx2"), always_inline)) static inline void coef_pair(
        const double* const* row, int b, __m256d& lo, __m256d& hi) noexcept {
        const __m256d a02 =
            _mm256_blend_pd(_mm256_broadcast_pd(reinterpret_cast<const __m128d*>(row[0] + b)),
                            _mm256_broadcast_pd(reinterpret_cast<const __m128d*>(row[2] + b)), 0xC);
        const __m256d a13 =
            _mm256_blend_pd(_mm256_broadcast_pd(reinterpret_cast<const __m128d*>(row[1] + b)),
                            _mm256_broadcast_pd(reinterpret_cast<const __m128d*>(row[3] + b)), 0xC);
        lo = _mm256_unpacklo_pd(a02, a13);
        hi = _mm256_unpackhi_pd(a02, a13);
    }

    template <int G>
    __attribute__((target("avx2"), always_inline)) static inline void lanes(
        const data& t, const double* z, double* x) noexcept {
        __m256d s[G], r[G];
        const double* row[G][4];
        for (int g = 0; g < G; ++g) {
            const __m256d u = _mm256_mul_pd(_mm256_add_pd(_mm256_loadu_pd(z + 4 * g), _mm256_set1_pd(z_max)),
                                            _mm256_set1_pd(cells_per_unit));
            const __m128i k = _mm_min_epi32(_mm256_cvttpd_epi32(u), _mm_set1_epi32(cells - 1));
            s[g] = _mm256_sub_pd(
                _mm256_mul_pd(_mm256_sub_pd(u, _mm256_cvtepi32_pd(k)), _mm256_set1_pd(2.0)),
                _mm256_set1_pd(1.0));
            const __m128i off = _mm_slli_epi32(k, 3);  // k * ncoef
            static_assert(ncoef == 8);
            const double* c = t.coef.data();
            row[g][0] = c + _mm_cvtsi128_si32(off);
            row[g][1] = c + _mm_extract_epi32(off, 1);
            row[g][2] = c + _mm_extract_epi32(off, 2);
            row[g][3] = c + _mm_extract_epi32(off, 3);
        }
        for (int g = 0; g < G; ++g) {
            __m256d c6, c7;
            coef_pair(row[g], 6, c6, c7);
            r[g] = _mm256_add_pd(_mm256_mul_pd(c7, s[g]), c6);
        }
        for (int b = 4; b >= 0; b -= 2)
            for (int g = 0; g < G; ++g) {
                __m256d cl, ch;
                coef_pair(row[g], b, cl, ch);
                r[g] = _mm256_add_pd(_mm256_mul_pd(r[g], s[g]), ch);
                r[g] = _mm256_add_pd(_mm256_mul_pd(r[g], s[g]), cl);
            }
        const __m256d lo = _mm256_set1_pd(t.lower), hi = _mm256_set1_pd(t.upper);
        for (int g = 0; g < G; ++g) {
            // std::max(r, lo) = (r < lo) ? lo : r; std::min(., hi) = (hi < .) ? hi : .
            __m256d v = _mm256_blendv_pd(r[g], lo, _mm256_cmp_pd(r[g], lo, _CMP_LT_OQ));
            v = _mm256_blendv_pd(v, hi, _mm256_cmp_pd(hi, v, _CMP_LT_OQ));
            _mm256_storeu_pd(x + 4 * g, v);
        }
    }

    // True when the 4 G values at z all have |z| < z_max (no NaN).
    template <int G>
    __attribute__((target("avx2"), always_inline)) static inline bool inside(const double* z) noexcept {
        const __m256d sign = _mm256_set1_pd(-0.0), zm = _mm256_set1_pd(z_max);
        __m256d in = _mm256_cmp_pd(_mm256_andnot_pd(sign, _mm256_loadu_pd(z)), zm, _CMP_LT_OQ);
        for (int g = 1; g < G; ++g)
            in = _mm256_and_pd(in, _mm256_cmp_pd(_mm256_andnot_pd(sign, _mm256_loadu_pd(z + 4 * g)),
                                                 zm, _CMP_LT_OQ));
        return _mm256_movemask_pd(in) == 0xF;
    }

    // The batch, 16 values per step then 4; a step with any |z| >= z_max or NaN takes the
    // scalar path. Returns the count done (a multiple of 4).
    __attribute__((target("avx2"))) static std::size_t batch_avx2(const data& t,
                                                                  const double* z, double* x,
                                                                  std::size_t n) noexcept {
        std::size_t i = 0;
        for (; i + 16 <= n; i += 16) {
            if (inside<4>(z + i)) [[likely]] {
                lanes<4>(t, z + i, x + i);
            } else {
                for (std::size_t l = 0; l < 16; ++l) x[i + l] = one(t, z[i + l]);
            }
        }
        for (; i + 4 <= n; i += 4) {
            if (inside<1>(z + i)) {
                lanes<1>(t, z + i, x + i);
            } else {
                for (std::size_t l = 0; l < 4; ++l) x[i + l] = one(t, z[i + l]);
            }
        }
        return i;
    }
#endif

    static std::shared_ptr<const data> build(std::function<double(bool, double)> tail,
                                             double lower, double upper) {
        auto t = std::make_shared<data>();
        t->tail = std::move(tail);
        t->lower = lower;
        t->upper = upper;
        t->coef.assign(static_cast<std::size_t>(cells * ncoef), 0.0);
        const auto& L = lobatto_basis<degree>::instance();
        constexpr double h = 1.0 / cells_per_unit;
        double y[ncoef];
        for (int k = 0; k < cells; ++k) {
            for (int i = 0; i < ncoef; ++i) {
                // z at local coordinate s_i of cell k (the unclamped composition).
                const double z = -z_max + h * (k + 0.5 * (L.s[static_cast<std::size_t>(i)] + 1.0));
                const bool up = z > 0.0;
                y[i] = t->tail(up, normal_cdf(up ? -z : z));
            }
            double* out = t->coef.data() + static_cast<std::size_t>(k) * ncoef;
            for (int m = 0; m < ncoef; ++m) {
                long double acc = 0.0L;
                for (int i = 0; i < ncoef; ++i)
                    acc += L.vinv[static_cast<std::size_t>(m)][static_cast<std::size_t>(i)] *
                           static_cast<long double>(y[i]);
                out[m] = static_cast<double>(acc);
            }
        }
        return t;
    }
};

}  // namespace offroi::detail
