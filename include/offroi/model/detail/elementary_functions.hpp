#pragma once
/// \file
/// exp, expm1, log and log1p of doubles for the model's regime (make_regime's fill
/// probabilities, monthly attrition and growth, capability multipliers and coordination
/// penalty: `detail::make_regime_exponentials`, model/evaluate.hpp), written out in
/// element-wise IEEE operations instead of calls into the C library. Two reasons:
///  - speed: each function is written once for a `double` and for the lanes of a block
///    (lane_vec<L>, model/detail/block_lanes.hpp; GCC vectors): the block evaluation computes
///    the regimes' exponentials of four trials at once, about one C library call's time for
///    four (bench/model/elementary_bench.cpp). One double at a time they are slower than
///    glibc's FMA code: the scalar form is for the scalar path's bits, not for speed;
///  - the same bits everywhere: every operation is +, -, *, / or an integer operation on the
///    bit pattern, compiled without FMA contraction (-ffp-contract=off), so a lane gives the
///    scalar call's bits, and a result depends neither on the C library's version nor on which
///    of its code paths (FMA or not) it picks at run time.
/// Accuracy: exp and log within 1 ulp of the exact value, expm1 and log1p within 1.5 ulp, over
/// their whole ranges (tests/model/elementary_functions_test.cpp measures the largest error
/// against long double on 200 000 arguments per range); not correctly rounded, so a value may
/// differ from the C library's in the last bit. Special values as in C: exp(+-inf) = +inf /
/// +0, log(0) = -inf, log of a negative number NaN, NaN in gives NaN out, signed zeros kept
/// (expm1(-0) = -0, log1p(-0) = -0).
///
/// Method. exp and expm1: x = k ln 2 + r with k = round(x / ln 2) and |r| <= ln 2 / 2 (ln 2 in
/// two parts, the first with 32 significant bits, so k ln2_hi is exact for every k in range),
/// expm1(r) = r + r^2 P(r) with P the Taylor polynomial of (e^r - 1 - r) / r^2 to degree 11
/// (truncation below 2^-60 relative), then the scaling by 2^k in two exact steps (subnormal
/// results rounded once). log: x = 2^k m with m in [sqrt(1/2), sqrt(2)), f = m - 1 (exact),
/// s = f / (2 + f), ln m = 2 atanh(s) = f - (f^2/2 - s (f^2/2 + R)) with R = sum_{j=1..10}
/// 2 s^(2j) / (2j + 1) (truncation below 2^-60 relative); log1p(y) = log(1 + y) + e / (1 + y)
/// with e = y - ((1 + y) - 1), the rounding error of 1 + y.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "offroi/model/detail/block_lanes.hpp"

namespace offroi::detail::elementary {

#if defined(__GNUC__)
#define OFFROI_ELEM_INLINE [[gnu::always_inline]] inline
#else
#define OFFROI_ELEM_INLINE inline
#endif

// ln 2 = ln2_hi + ln2_lo: ln2_hi has 32 significant bits (k ln2_hi exact for |k| < 2^21).
inline constexpr double ln2_hi = 0x1.62e42fee00000p-1;
inline constexpr double ln2_lo = 0x1.a39ef35793c76p-33;
inline constexpr double inv_ln2 = 0x1.71547652b82fep+0;
// Adding 1.5 2^52 rounds a double of magnitude below 2^51 to an integer, held in the low bits.
inline constexpr double round_shifter = 0x1.8p52;
inline constexpr std::int64_t round_shifter_bits = 0x4338000000000000LL;

// What the functions below need of their value type D (double, or lane_vec<L>) and of its
// integer twin (std::int64_t, or lane_int<L>): constants, selections, the bit pattern as
// integers and back, a left shift by 52. The lanes' versions wrap GCC vectors in structs (as
// lane_vec does), so no function passes a bare 32-byte vector by value.
using offroi::detail::sel;  // sel(mask, a, b) of block_lanes.hpp, for double and lane_vec<L>
OFFROI_ELEM_INLINE double splat(double, double c) noexcept { return c; }
OFFROI_ELEM_INLINE std::int64_t sel(bool m, std::int64_t a, std::int64_t b) noexcept { return m ? a : b; }
OFFROI_ELEM_INLINE std::int64_t as_int(double x) noexcept { return std::bit_cast<std::int64_t>(x); }
OFFROI_ELEM_INLINE double as_double(std::int64_t i) noexcept { return std::bit_cast<double>(i); }
OFFROI_ELEM_INLINE std::int64_t shl52(std::int64_t i) noexcept {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(i) << 52);
}
OFFROI_ELEM_INLINE std::int64_t shr52(std::int64_t i) noexcept { return i >> 52; }  // arithmetic
OFFROI_ELEM_INLINE std::int64_t half(std::int64_t i) noexcept { return i >> 1; }   // floor(i / 2)
OFFROI_ELEM_INLINE bool either(bool a, bool b) noexcept { return a || b; }

#if defined(__GNUC__)
/// One 64-bit integer per lane (bit patterns of lane_vec<L>, exponents).
template <std::size_t L>
struct lane_int {
    OFFROI_LANE_VM i;
};
template <std::size_t L>
OFFROI_ELEM_INLINE lane_vec<L> splat(const lane_vec<L>&, double c) noexcept {
    return lane_vec<L>::splat(c);
}
template <std::size_t L>
OFFROI_ELEM_INLINE lane_int<L> operator+(const lane_int<L>& a, long long b) noexcept { return {a.i + b}; }
template <std::size_t L>
OFFROI_ELEM_INLINE lane_int<L> operator-(const lane_int<L>& a, long long b) noexcept { return {a.i - b}; }
template <std::size_t L>
OFFROI_ELEM_INLINE lane_int<L> operator-(const lane_int<L>& a, const lane_int<L>& b) noexcept { return {a.i - b.i}; }
template <std::size_t L>
OFFROI_ELEM_INLINE lane_int<L> operator&(const lane_int<L>& a, long long b) noexcept { return {a.i & b}; }
template <std::size_t L>
OFFROI_ELEM_INLINE lane_mask<L> operator<(const lane_int<L>& a, long long b) noexcept { return {a.i < b}; }
template <std::size_t L>
OFFROI_ELEM_INLINE lane_mask<L> operator>(const lane_int<L>& a, long long b) noexcept { return {a.i > b}; }
template <std::size_t L>
OFFROI_ELEM_INLINE lane_mask<L> operator==(const lane_int<L>& a, long long b) noexcept { return {a.i == b}; }
template <std::size_t L>
OFFROI_ELEM_INLINE lane_mask<L> operator==(const lane_vec<L>& a, double b) noexcept {
    return {(OFFROI_LANE_VM)(a.x == b)};
}
template <std::size_t L>
OFFROI_ELEM_INLINE lane_int<L> sel(const lane_mask<L>& m, const lane_int<L>& a, const lane_int<L>& b) noexcept {
    return {m.m ? a.i : b.i};
}
template <std::size_t L>
OFFROI_ELEM_INLINE lane_mask<L> either(const lane_mask<L>& a, const lane_mask<L>& b) noexcept { return a | b; }
template <std::size_t L>
OFFROI_ELEM_INLINE lane_int<L> as_int(const lane_vec<L>& x) noexcept { return {(OFFROI_LANE_VM)x.x}; }
template <std::size_t L>
OFFROI_ELEM_INLINE lane_vec<L> as_double(const lane_int<L>& i) noexcept { return {(OFFROI_LANE_VD)i.i}; }
template <std::size_t L>
OFFROI_ELEM_INLINE lane_int<L> shl52(const lane_int<L>& a) noexcept {
    typedef unsigned long long vu __attribute__((vector_size(8 * L)));
    return {(OFFROI_LANE_VM)((vu)a.i << 52)};
}
template <std::size_t L>
OFFROI_ELEM_INLINE lane_int<L> shr52(const lane_int<L>& a) noexcept { return {a.i >> 52}; }
template <std::size_t L>
OFFROI_ELEM_INLINE lane_int<L> half(const lane_int<L>& a) noexcept { return {a.i >> 1}; }
#endif

// round(x / ln 2) as a double kd and as an integer k, for |x| <= 746.
template <class D, class I>
OFFROI_ELEM_INLINE void reduce_ln2(const D& x, D& kd, I& k) noexcept {
    const D t = x * inv_ln2 + round_shifter;
    kd = t - round_shifter;
    k = as_int(t) - round_shifter_bits;
}

// The integer k (|k| < 2^51) as a double, exactly.
template <class I>
OFFROI_ELEM_INLINE auto to_double(const I& k) noexcept {
    return as_double(k + round_shifter_bits) - round_shifter;
}

// 2^j for an integer j in [-1022, 1023].
template <class I>
OFFROI_ELEM_INLINE auto pow2(const I& j) noexcept {
    return as_double(shl52(j + 1023));
}

// y 2^k for y in [0.5, 2) and k in [-1077, 1025]: two exact scalings by about 2^(k/2) and a
// rounded one (overflow to infinity, gradual underflow rounded once).
template <class D, class I>
OFFROI_ELEM_INLINE D scale(const D& y, const I& k) noexcept {
    const I k1 = half(k);  // floor(k / 2), in [-539, 512]
    return y * pow2(k1) * pow2(k - k1);
}

// The argument of exp and expm1 clamped to [-746, 710] (beyond, e^x is +inf or +0 all the same;
// NaN stays) and reduced: x = k ln 2 + r + r_lo with k = round(x / ln 2), r = x - k ln 2
// rounded and r_lo its rounding error (x - k ln2_hi is exact; the error of the product
// k ln2_lo, below 2^-80 relative to r, is left out).
template <class D, class I>
OFFROI_ELEM_INLINE D reduce_exp_argument(const D& x_in, I& k, D& r_lo) noexcept {
    D x = sel(x_in > 710.0, splat(x_in, 710.0), x_in);
    x = sel(x < -746.0, splat(x, -746.0), x);
    D kd;
    reduce_ln2(x, kd, k);
    const D r_hi = x - kd * ln2_hi;
    const D t = kd * ln2_lo;
    const D r = r_hi - t;
    r_lo = (r_hi - r) - t;
    return r;
}

// e^r - 1 - r for |r| <= ln 2 / 2 (+ 1e-15): r^2 P(r), P(r) = sum_{i=0..11} r^i / (i + 2)!
// evaluated in Estrin's scheme.
template <class D>
OFFROI_ELEM_INLINE D expm1_tail(const D& r) noexcept {
    constexpr double c0 = 1.0 / 2, c1 = 1.0 / 6, c2 = 1.0 / 24, c3 = 1.0 / 120, c4 = 1.0 / 720,
                     c5 = 1.0 / 5040, c6 = 1.0 / 40320, c7 = 1.0 / 362880, c8 = 1.0 / 3628800,
                     c9 = 1.0 / 39916800, c10 = 1.0 / 479001600, c11 = 1.0 / 6227020800;
    const D r2 = r * r, r4 = r2 * r2;
    const D q0 = (c0 + c1 * r) + r2 * (c2 + c3 * r);
    const D q1 = (c4 + c5 * r) + r2 * (c6 + c7 * r);
    const D q2 = (c8 + c9 * r) + r2 * (c10 + c11 * r);
    const D p = q0 + r4 * (q1 + r4 * q2);
    return r2 * p;
}

/// e^x, within 1 ulp.
template <class D>
OFFROI_ELEM_INLINE D exp(const D& x) noexcept {
    decltype(as_int(x)) k;
    D r_lo;
    const D r = reduce_exp_argument(x, k, r_lo);
    const D e = r + expm1_tail(r);
    return scale(1.0 + (e + (r_lo + r_lo * e)), k);
}

/// e^x - 1, within 1.5 ulp (x itself for |x| tiny).
template <class D>
OFFROI_ELEM_INLINE D expm1(const D& x) noexcept {
    decltype(as_int(x)) k;
    D r_lo;
    const D r = reduce_exp_argument(x, k, r_lo);
    // e^(r + r_lo) - 1 = e + e_lo: e = r + t rounded, e_lo its rounding error plus
    // r_lo (1 + e) (first order in r_lo).
    const D t = expm1_tail(r);
    const D e = r + t;
    const D e_lo = ((r - e) + t) + (r_lo + r_lo * e);
    // k = 0: e + e_lo (x itself for x = +-0, keeping the sign). Else 2^k (1 + e) - 1 with
    // 1 + e = hi + lo exactly: |k| <= 53, (2^k hi - 1) + 2^k lo (2^k hi - 1 exact for k >= 1,
    // so no cancellation loses e's last bits); beyond, 2^k hi - 1 (the -1 below the last bit,
    // or the result -1 to the last bit).
    const D hi = 1.0 + e;
    const D lo = (e - (hi - 1.0)) + e_lo;
    const auto kc = sel(k < -53, k - k + -53, sel(k > 53, k - k + 53, k));
    const D two_k = pow2(kc);
    const D mid = (two_k * hi - 1.0) + two_k * lo;
    const D far = scale(hi, k) - 1.0;
    const D res = sel(either(k < -53, k > 53), far, mid);
    return sel(k == 0, sel(x == 0.0, x, e + e_lo), res);
}

// ln(1 + f) for f = m - 1, m in [sqrt(1/2), sqrt(2)), plus kd ln2_lo (the low part of k ln 2).
template <class D>
OFFROI_ELEM_INLINE D log1p_reduced(const D& f, const D& kd) noexcept {
    constexpr double c1 = 2.0 / 3, c2 = 2.0 / 5, c3 = 2.0 / 7, c4 = 2.0 / 9, c5 = 2.0 / 11,
                     c6 = 2.0 / 13, c7 = 2.0 / 15, c8 = 2.0 / 17, c9 = 2.0 / 19, c10 = 2.0 / 21;
    const D s = f / (2.0 + f);
    const D z = s * s, z2 = z * z, z4 = z2 * z2;
    const D q0 = (c1 + c2 * z) + z2 * (c3 + c4 * z);
    const D q1 = (c5 + c6 * z) + z2 * (c7 + c8 * z);
    const D q2 = c9 + c10 * z;
    const D big_r = z * (q0 + z4 * (q1 + z4 * q2));
    const D hfsq = 0.5 * f * f;
    return f - (hfsq - (s * (hfsq + big_r) + kd * ln2_lo));
}

/// ln x, within 1 ulp: -inf at +-0, NaN below 0, +inf at +inf.
template <class D>
OFFROI_ELEM_INLINE D log(const D& x) noexcept {
    const auto sub = x < 0x1p-1022;  // subnormal (or zero, negative: handled at the end)
    const D xs = sel(sub, x * 0x1p54, x);
    const auto hx = as_int(xs) & 0x7fffffffffffffffLL;  // |x| (a negative x gives NaN below)
    // k = exponent of x relative to sqrt(1/2): m = x / 2^k in [sqrt(1/2), sqrt(2)).
    constexpr std::int64_t sqrt_half_bits = 0x3fe6a09e667f3bcdLL;
    const auto k = shr52(hx - sqrt_half_bits);
    const D m = as_double(hx - shl52(k));
    const D kd = to_double(k) - sel(sub, splat(x, 54.0), splat(x, 0.0));
    const D res = kd * ln2_hi + log1p_reduced(m - 1.0, kd);
    constexpr double inf = std::numeric_limits<double>::infinity();
    const D special = sel(x == 0.0, splat(x, -inf), splat(x, std::numeric_limits<double>::quiet_NaN()));
    return sel(x > 0.0, sel(x == inf, splat(x, inf), res), special);
}

/// ln(1 + y), within 1.5 ulp (y itself for |y| tiny): -inf at -1, NaN below -1.
template <class D>
OFFROI_ELEM_INLINE D log1p(const D& y) noexcept {
    const D u = 1.0 + y;
    const D e = y - (u - 1.0);  // exact for |y| <= 1; below 1 ulp of u beyond
    const D corr = sel(e == 0.0, splat(y, 0.0), e / u);
    const D res = log(u) + corr;
    return sel(either(y == 0.0, y == std::numeric_limits<double>::infinity()), y, res);
}

#if !defined(__GNUC__)
/// The functions on the lanes of a block (model/detail/block_lanes.hpp) without GCC vectors:
/// the scalar function on each lane.
#define OFFROI_ELEM_LANES(name)                                                                \
    template <std::size_t L>                                                                   \
    OFFROI_ELEM_INLINE lane_vec<L> name(const lane_vec<L>& x) noexcept {                       \
        lane_vec<L> r;                                                                         \
        for (std::size_t i = 0; i < L; ++i) r.x[i] = name(x.x[i]);                             \
        return r;                                                                              \
    }
OFFROI_ELEM_LANES(exp)
OFFROI_ELEM_LANES(expm1)
OFFROI_ELEM_LANES(log)
OFFROI_ELEM_LANES(log1p)
#undef OFFROI_ELEM_LANES
#endif

}  // namespace offroi::detail::elementary
