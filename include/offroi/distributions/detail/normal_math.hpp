#pragma once
/// \file
/// Standard normal quantile and cdf in double precision, scalar and batch.
///
/// - `normal_quantile(p)`: Wichura's algorithm AS 241 (PPND16), Applied Statistics 37(3),
///   1988, pp. 477-484: three rational approximations (central |p - 0.5| <= 0.425, then in
///   r = sqrt(-log(min(p, 1-p))) for r <= 5 and r > 5). Wichura states a relative accuracy
///   of about 1e-16; tests/distributions/normal_math_test.cpp checks it against
///   Boost.Math's `normal_distribution<long double>` over p in [1e-300, 1 - 1e-16].
/// - `normal_cdf(z)`: 0.5 * erfc(-z / sqrt 2), with the rounding error of the argument
///   z / sqrt 2 corrected to first order, so the result keeps full relative accuracy in
///   the lower tail (plain erfc(-z/sqrt2) loses ~2 x^2 ulps at x = -z/sqrt2; e.g. ~1e-13
///   relative at z = -37).

#include <cmath>
#include <cstddef>
#include <limits>

#include "offroi/random/detail/simd.hpp"

namespace offroi::detail {

namespace normal_math_detail {

/// AS 241 central region: z = q * A(r) / B(r), r = 0.180625 - q^2, for |q| <= 0.425.
inline double ppnd16_central(double q) noexcept {
    const double r = 0.180625 - q * q;
    const double num =
        (((((((2.5090809287301226727e+3 * r + 3.3430575583588128105e+4) * r +
              6.7265770927008700853e+4) * r + 4.5921953931549871457e+4) * r +
            1.3731693765509461125e+4) * r + 1.9715909503065514427e+3) * r +
          1.3314166789178437745e+2) * r + 3.3871328727963666080e+0);
    const double den =
        (((((((5.2264952788528545610e+3 * r + 2.8729085735721942674e+4) * r +
              3.9307895800092710610e+4) * r + 2.1213794301586595867e+4) * r +
            5.3941960214247511077e+3) * r + 6.8718700749205790830e+2) * r +
          4.2313330701600911252e+1) * r + 1.0);
    return q * num / den;
}

/// AS 241 tail regions for the smaller tail probability r0 = min(p, 1-p) in (0, 0.075);
/// returns the positive quantile magnitude |z|.
inline double ppnd16_tail(double r0) noexcept {
    double r = std::sqrt(-std::log(r0));
    if (r <= 5.0) {
        r -= 1.6;
        const double num =
            (((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r +
                  2.41780725177450611770e-1) * r + 1.27045825245236838258e+0) * r +
                3.64784832476320460504e+0) * r + 5.76949722146069140550e+0) * r +
              4.63033784615654529590e+0) * r + 1.42343711074968357734e+0);
        const double den =
            (((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r +
                  1.51986665636164571966e-2) * r + 1.48103976427480074590e-1) * r +
                6.89767334985100004550e-1) * r + 1.67638483018380384940e+0) * r +
              2.05319162663775882187e+0) * r + 1.0);
        return num / den;
    }
    r -= 5.0;
    const double num =
        (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r +
              1.24266094738807843860e-3) * r + 2.65321895265761230930e-2) * r +
            2.96560571828504891230e-1) * r + 1.78482653991729133580e+0) * r +
          5.46378491116411436990e+0) * r + 6.65790464350110377720e+0);
    const double den =
        (((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r +
              1.84631831751005468180e-5) * r + 7.86869131145613259100e-4) * r +
            1.48753612908506148525e-2) * r + 1.36929880922735805310e-1) * r +
          5.99832206555887937690e-1) * r + 1.0);
    return num / den;
}

inline constexpr double sqrt1_2_hi = 0.70710678118654757;      // round(1/sqrt 2)
inline constexpr double sqrt1_2_lo = -4.8336466567264567e-17;  // 1/sqrt 2 - sqrt1_2_hi
inline constexpr double two_over_sqrt_pi = 1.1283791670955126;  // 2/sqrt(pi)

}  // namespace normal_math_detail

/// Standard normal inverse cdf Phi^{-1}(p) (Wichura AS 241, PPND16; relative error about
/// 1e-16). Returns -inf at p = 0, +inf at p = 1 and NaN for NaN or p outside [0, 1].
inline double normal_quantile(double p) noexcept {
    using namespace normal_math_detail;
    if (!(p > 0.0 && p < 1.0)) {
        if (p == 0.0) return -std::numeric_limits<double>::infinity();
        if (p == 1.0) return std::numeric_limits<double>::infinity();
        return std::numeric_limits<double>::quiet_NaN();
    }
    const double q = p - 0.5;
    if (std::fabs(q) <= 0.425) return ppnd16_central(q);
    const double z = ppnd16_tail(q < 0.0 ? p : 1.0 - p);
    return q < 0.0 ? -z : z;
}

/// Standard normal cdf Phi(z) with full relative accuracy in both the body and the lower
/// tail: 0.5 * erfc(x) with x = -z/sqrt 2, plus the first-order correction
/// -(2/sqrt pi) exp(-x^2) dx for the rounding error dx of x (computed with an fma).
/// Returns 0 at -inf, 1 at +inf and NaN for NaN.
inline double normal_cdf(double z) noexcept {
    using namespace normal_math_detail;
    const double x = -z * sqrt1_2_hi;
    if (!std::isfinite(x)) {
        if (std::isnan(x)) return x;
        return x > 0 ? 0.0 : 1.0;
    }
    // Exact residual of the product -z * sqrt1_2_hi, plus the low part of 1/sqrt 2.
    const double dx = std::fma(-z, sqrt1_2_hi, -x) + (-z) * sqrt1_2_lo;
    const double e = std::erfc(x);
    // erfc(x + dx) = erfc(x) - (2/sqrt pi) exp(-x^2) dx + O(dx^2); the correction only
    // matters where erfc(x) is tiny, and exp(-x^2) underflows no sooner than erfc does.
    return 0.5 * (e - two_over_sqrt_pi * std::exp(-x * x) * dx);
}

#if OFFROI_SAMPLING_X86
// AS 241's central rational on four lanes (|q| <= 0.425 or q = +0 per lane): the operations of
// `ppnd16_central` in the same order (separate multiply and add, then q * num / den),
// element-wise IEEE, no FMA, hence the same bits.
__attribute__((target("avx2"), always_inline)) inline __m256d ppnd16_central_avx2(
    __m256d q) noexcept {
    const __m256d r = _mm256_sub_pd(_mm256_set1_pd(0.180625), _mm256_mul_pd(q, q));
    __m256d num = _mm256_set1_pd(2.5090809287301226727e+3);
    num = _mm256_add_pd(_mm256_mul_pd(num, r), _mm256_set1_pd(3.3430575583588128105e+4));
    num = _mm256_add_pd(_mm256_mul_pd(num, r), _mm256_set1_pd(6.7265770927008700853e+4));
    num = _mm256_add_pd(_mm256_mul_pd(num, r), _mm256_set1_pd(4.5921953931549871457e+4));
    num = _mm256_add_pd(_mm256_mul_pd(num, r), _mm256_set1_pd(1.3731693765509461125e+4));
    num = _mm256_add_pd(_mm256_mul_pd(num, r), _mm256_set1_pd(1.9715909503065514427e+3));
    num = _mm256_add_pd(_mm256_mul_pd(num, r), _mm256_set1_pd(1.3314166789178437745e+2));
    num = _mm256_add_pd(_mm256_mul_pd(num, r), _mm256_set1_pd(3.3871328727963666080e+0));
    __m256d den = _mm256_set1_pd(5.2264952788528545610e+3);
    den = _mm256_add_pd(_mm256_mul_pd(den, r), _mm256_set1_pd(2.8729085735721942674e+4));
    den = _mm256_add_pd(_mm256_mul_pd(den, r), _mm256_set1_pd(3.9307895800092710610e+4));
    den = _mm256_add_pd(_mm256_mul_pd(den, r), _mm256_set1_pd(2.1213794301586595867e+4));
    den = _mm256_add_pd(_mm256_mul_pd(den, r), _mm256_set1_pd(5.3941960214247511077e+3));
    den = _mm256_add_pd(_mm256_mul_pd(den, r), _mm256_set1_pd(6.8718700749205790830e+2));
    den = _mm256_add_pd(_mm256_mul_pd(den, r), _mm256_set1_pd(4.2313330701600911252e+1));
    den = _mm256_add_pd(_mm256_mul_pd(den, r), _mm256_set1_pd(1.0));
    return _mm256_div_pd(_mm256_mul_pd(q, num), den);
}

// The batch quantile with AVX2: the central rational four lanes at a time (the operations of
// `ppnd16_central` in the same order, element-wise IEEE, no FMA: the same bits), then the tail
// elements one by one, as the portable form.
__attribute__((target("avx2"))) inline void normal_quantile_avx2(const double* p, double* z,
                                                                 std::size_t n) noexcept {
    using namespace normal_math_detail;
    constexpr std::size_t block = 256;
    alignas(32) double pv[block];  // a copy, so that p and z may alias
    const __m256d half = _mm256_set1_pd(0.5), bound = _mm256_set1_pd(0.425);
    const __m256d sign = _mm256_set1_pd(-0.0);
    for (std::size_t start = 0; start < n; start += block) {
        const std::size_t m = (n - start < block) ? n - start : block;
        for (std::size_t i = 0; i < m; ++i) pv[i] = p[start + i];
        std::size_t i = 0;
        for (; i + 4 <= m; i += 4) {
            const __m256d q = _mm256_sub_pd(_mm256_load_pd(pv + i), half);
            const __m256d central = _mm256_cmp_pd(_mm256_andnot_pd(sign, q), bound, _CMP_LE_OQ);
            const __m256d cq = _mm256_and_pd(central, q);  // q, or +0 in the tail lanes
            _mm256_storeu_pd(z + start + i, ppnd16_central_avx2(cq));
        }
        for (; i < m; ++i) {
            const double q = pv[i] - 0.5;
            z[start + i] = ppnd16_central(std::fabs(q) <= 0.425 ? q : 0.0);
        }
        for (std::size_t k = 0; k < m; ++k)
            if (!(std::fabs(pv[k] - 0.5) <= 0.425)) z[start + k] = normal_quantile(pv[k]);
    }
}
#endif

/// The batch standard normal quantile on the portable path (any CPU): z[i] =
/// normal_quantile(p[i]), the same bits. The central region is a branch-free rational
/// evaluated for every element first; the tail elements are then recomputed.
inline void normal_quantile_portable(const double* p, double* z, std::size_t n) noexcept {
    using namespace normal_math_detail;
    constexpr std::size_t block = 256;
    double pv[block];  // a copy, so that p and z may alias
    for (std::size_t start = 0; start < n; start += block) {
        const std::size_t m = (n - start < block) ? n - start : block;
        for (std::size_t i = 0; i < m; ++i) pv[i] = p[start + i];
        for (std::size_t i = 0; i < m; ++i) {
            const double q = pv[i] - 0.5;
            const double c = std::fabs(q) <= 0.425 ? q : 0.0;
            z[start + i] = ppnd16_central(c);
        }
        for (std::size_t i = 0; i < m; ++i) {
            if (!(std::fabs(pv[i] - 0.5) <= 0.425)) z[start + i] = normal_quantile(pv[i]);
        }
    }
}

/// Batch standard normal quantile: z[i] = normal_quantile(p[i]) for i < n, bit-identical
/// to the scalar form, on the best path of this CPU (`normal_quantile_avx2` or
/// `normal_quantile_portable`). The central region (|p - 0.5| <= 0.425, 85% of uniform
/// input) is evaluated for every element first, the tail elements are then recomputed.
/// `p` and `z` may be the same array.
inline void normal_quantile(const double* p, double* z, std::size_t n) noexcept {
#if OFFROI_SAMPLING_X86
    if (cpu_simd_level() >= simd_level::avx2) return normal_quantile_avx2(p, z, n);
#endif
    normal_quantile_portable(p, z, n);
}

/// Batch standard normal cdf: p[i] = normal_cdf(z[i]) for i < n. `z` and `p` may alias.
inline void normal_cdf(const double* z, double* p, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i) p[i] = normal_cdf(z[i]);
}

}  // namespace offroi::detail
