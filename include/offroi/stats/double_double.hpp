#pragma once
/// \file
/// Double-double arithmetic (an unevaluated sum hi + lo of two doubles, about 106 bits),
/// used to turn exact sums into means and variances without losing the exactness of the
/// inputs. Algorithms from Hida, Li and Bailey, "Library for double-double and quad-double
/// arithmetic" (QD, 2007) and Dekker (1971); two_prod uses std::fma, so it is exact on every
/// IEEE-754 platform (hardware FMA or not).

#include <cmath>
#include <cstdint>

namespace offroi::detail {

/// Returns v, forcing the compiler to round it to double here: a product passed through
/// no_contract cannot be fused with a following addition into an FMA (which
/// -ffp-contract=fast does on FMA targets), so results do not depend on the target's
/// instruction set.
inline double no_contract(double v) {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
    __asm__("" : "+x"(v));
#elif defined(__GNUC__) && defined(__aarch64__)
    __asm__("" : "+w"(v));
#endif
    return v;
}

/// The value hi + lo with |lo| <= ulp(hi)/2.
struct double_double {
    double hi = 0.0;  ///< leading part
    double lo = 0.0;  ///< trailing part
};

/// Knuth's two-sum: s + e == a + b exactly.
inline double_double two_sum(double a, double b) {
    const double s = a + b;
    const double bb = s - a;
    const double e = (a - (s - bb)) + (b - bb);
    return {s, e};
}

/// Dekker's fast two-sum, requires |a| >= |b| (or a == 0).
inline double_double quick_two_sum(double a, double b) {
    const double s = a + b;
    return {s, b - (s - a)};
}

/// p + e == a * b exactly (no overflow/underflow assumed).
inline double_double two_prod(double a, double b) {
    const double p = a * b;
    return {p, std::fma(a, b, -p)};
}

/// a + b in double-double (QD's accurate "ieee_add").
inline double_double dd_add(double_double a, double_double b) {
    double_double s = two_sum(a.hi, b.hi);
    const double_double t = two_sum(a.lo, b.lo);
    s.lo += t.hi;
    s = quick_two_sum(s.hi, s.lo);
    s.lo += t.lo;
    return quick_two_sum(s.hi, s.lo);
}

/// a + b where b is a double.
inline double_double dd_add(double_double a, double b) {
    double_double s = two_sum(a.hi, b);
    s.lo += a.lo;
    return quick_two_sum(s.hi, s.lo);
}

/// -a.
inline double_double dd_neg(double_double a) { return {-a.hi, -a.lo}; }

/// a - b.
inline double_double dd_sub(double_double a, double_double b) { return dd_add(a, dd_neg(b)); }

/// a * b in double-double.
inline double_double dd_mul(double_double a, double_double b) {
    double_double p = two_prod(a.hi, b.hi);
    p.lo += no_contract(a.hi * b.lo) + no_contract(a.lo * b.hi);
    return quick_two_sum(p.hi, p.lo);
}

/// a / b in double-double (three-term long division, QD's "accurate_div").
inline double_double dd_div(double_double a, double_double b) {
    const double q1 = a.hi / b.hi;
    double_double r = dd_sub(a, dd_mul({q1, 0.0}, b));
    const double q2 = r.hi / b.hi;
    r = dd_sub(r, dd_mul({q2, 0.0}, b));
    const double q3 = r.hi / b.hi;
    const double_double q = quick_two_sum(q1, q2);
    return dd_add(q, q3);
}

/// sqrt(a) in double-double (one Newton step on the double square root).
inline double_double dd_sqrt(double_double a) {
    if (!(a.hi > 0.0)) return {0.0, 0.0};
    const double x = std::sqrt(a.hi);
    const double_double x2 = two_prod(x, x);
    const double_double r = dd_sub(a, x2);
    return quick_two_sum(x, r.hi / (2.0 * x));
}

/// An unsigned 64-bit integer as a double-double, exactly.
inline double_double dd_from_u64(std::uint64_t n) {
    // Both halves are exact doubles; two_sum makes the exact unevaluated sum canonical.
    const double high = static_cast<double>(n >> 32) * 4294967296.0;
    const double low = static_cast<double>(n & 0xffffffffULL);
    return two_sum(high, low);
}

/// The double nearest hi + lo.
inline double dd_to_double(double_double a) { return a.hi + a.lo; }

}  // namespace offroi::detail
