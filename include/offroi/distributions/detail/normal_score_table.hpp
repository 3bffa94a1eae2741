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

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define OFFROI_NST_AVX2 1
#else
#define OFFROI_NST_AVX2 0
#endif

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
        const data& t = *t_;
        std::size_t i = 0;
#if OFFROI_NST_AVX2
        static const bool avx2 = __builtin_cpu_supports("avx2");
        if (avx2) i = batch_avx2(t, z, x, n);
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

#if OFFROI_NST_AVX2
    // `one` on four lanes: the same index (capped at the last cell), s and Horner steps (separate multiply and add), the
    // coefficient rows loaded and transposed; max then min as std::max/std::min do (for
    // non-NaN r). A group with any |z| >= z_max or NaN takes the scalar path.
    __attribute__((target("avx2"))) static std::size_t batch_avx2(const data& t,
                                                                  const double* z, double* x,
                                                                  std::size_t n) {
        const __m256d sign = _mm256_set1_pd(-0.0), zm = _mm256_set1_pd(z_max);
        const __m256d cpu = _mm256_set1_pd(cells_per_unit), two = _mm256_set1_pd(2.0);
        const __m256d one_v = _mm256_set1_pd(1.0);
        const __m128i last = _mm_set1_epi32(cells - 1);
        const __m256d lo = _mm256_set1_pd(t.lower), hi = _mm256_set1_pd(t.upper);
        const double* c = t.coef.data();
        std::size_t i = 0;
        for (; i + 4 <= n; i += 4) {
            const __m256d zv = _mm256_loadu_pd(z + i);
            const __m256d in = _mm256_cmp_pd(_mm256_andnot_pd(sign, zv), zm, _CMP_LT_OQ);
            if (_mm256_movemask_pd(in) != 0xF) [[unlikely]] {
                for (std::size_t l = 0; l < 4; ++l) x[i + l] = one(t, z[i + l]);
                continue;
            }
            const __m256d u = _mm256_mul_pd(_mm256_add_pd(zv, zm), cpu);
            const __m128i k = _mm_min_epi32(_mm256_cvttpd_epi32(u), last);
            const __m256d s =
                _mm256_sub_pd(_mm256_mul_pd(_mm256_sub_pd(u, _mm256_cvtepi32_pd(k)), two), one_v);
            alignas(16) std::int32_t kk[4];
            _mm_store_si128(reinterpret_cast<__m128i*>(kk), k);
            const double* c0 = c + static_cast<std::size_t>(kk[0]) * ncoef;
            const double* c1 = c + static_cast<std::size_t>(kk[1]) * ncoef;
            const double* c2 = c + static_cast<std::size_t>(kk[2]) * ncoef;
            const double* c3 = c + static_cast<std::size_t>(kk[3]) * ncoef;
            __m256d q[ncoef];
            for (int b = 0; b < ncoef; b += 4) {
                const __m256d a0 = _mm256_loadu_pd(c0 + b), a1 = _mm256_loadu_pd(c1 + b);
                const __m256d a2 = _mm256_loadu_pd(c2 + b), a3 = _mm256_loadu_pd(c3 + b);
                const __m256d l01 = _mm256_unpacklo_pd(a0, a1), h01 = _mm256_unpackhi_pd(a0, a1);
                const __m256d l23 = _mm256_unpacklo_pd(a2, a3), h23 = _mm256_unpackhi_pd(a2, a3);
                q[b + 0] = _mm256_permute2f128_pd(l01, l23, 0x20);
                q[b + 1] = _mm256_permute2f128_pd(h01, h23, 0x20);
                q[b + 2] = _mm256_permute2f128_pd(l01, l23, 0x31);
                q[b + 3] = _mm256_permute2f128_pd(h01, h23, 0x31);
            }
            __m256d r = q[degree];
            for (int m = degree - 1; m >= 0; --m) r = _mm256_add_pd(_mm256_mul_pd(r, s), q[m]);
            // std::max(r, lo) = (r < lo) ? lo : r; std::min(., hi) = (hi < .) ? hi : .
            r = _mm256_blendv_pd(r, lo, _mm256_cmp_pd(r, lo, _CMP_LT_OQ));
            r = _mm256_blendv_pd(r, hi, _mm256_cmp_pd(hi, r, _CMP_LT_OQ));
            _mm256_storeu_pd(x + i, r);
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
