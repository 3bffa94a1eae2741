#pragma once
/// \file
/// Fixed-width lanes of doubles for the block evaluation of the model (model/evaluate_block.hpp):
/// `lane_vec<L>` holds one value per trial of a group of L trials, `lane_mask<L>` one flag per
/// trial. Every operation is element-wise and written as a loop over the L lanes, which the
/// compiler turns into SIMD instructions; an element-wise IEEE operation (+, -, *, /,
/// comparisons, selections) gives the same bits in a vector register as in a scalar one, so a
/// lane computes exactly what the scalar path computes for its trial. The same functions exist
/// for plain `double` and `bool` (L = 1), so the month step of evaluate.hpp is written once for
/// both. `max`, `min` and `clamp` are `std::max`, `std::min` and `std::clamp` exactly
/// (including which operand a tie or a signed zero returns).

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace offroi::detail {

// Every lane operation is forced inline: the AVX2 build of the month loop
// (model/evaluate_block.hpp) must not call an out-of-line copy compiled for SSE2, whose calling
// convention for 32-byte vectors differs (a crash at -O0, where nothing is inlined otherwise).
#if defined(__GNUC__)
#define OFFROI_LANE_INLINE [[gnu::always_inline]] inline
#else
#define OFFROI_LANE_INLINE inline
#endif

#if defined(__GNUC__)
// GCC and Clang vector extensions: the element-wise operators, comparisons (-1 / 0 per lane)
// and `m ? a : b` are built in and compile to SIMD instructions of any width the target has
// (two SSE2 operations per value of four lanes, one AVX2 operation).
template <std::size_t L>
struct lane_types {
    typedef double vd __attribute__((vector_size(8 * L)));
    typedef long long vm __attribute__((vector_size(8 * L)));
};
#define OFFROI_LANE_VD typename lane_types<L>::vd
#define OFFROI_LANE_VM typename lane_types<L>::vm
#endif

/// One flag per lane (all bits set = true), the result of a lane comparison.
template <std::size_t L>
struct lane_mask {
#if defined(__GNUC__)
    OFFROI_LANE_VM m;  ///< -1 (true) or 0 (false) per lane
#else
    long long m[L];  ///< -1 (true) or 0 (false) per lane
#endif
};

/// One double per lane.
template <std::size_t L>
struct lane_vec {
#if defined(__GNUC__)
    OFFROI_LANE_VD x;  ///< the lanes' values
#else
    double x[L];  ///< the lanes' values
#endif

    /// All lanes set to `v`.
    OFFROI_LANE_INLINE static lane_vec splat(double v) noexcept {
        lane_vec r;
        for (std::size_t i = 0; i < L; ++i) r.x[i] = v;
        return r;
    }
};

#if defined(__GNUC__)
#define OFFROI_LANE_BINOP(op)                                                                  \
    template <std::size_t L>                                                                   \
    OFFROI_LANE_INLINE lane_vec<L> operator op(const lane_vec<L>& a, const lane_vec<L>& b) noexcept {      \
        return {a.x op b.x};                                                                   \
    }                                                                                          \
    template <std::size_t L>                                                                   \
    OFFROI_LANE_INLINE lane_vec<L> operator op(const lane_vec<L>& a, double b) noexcept {                  \
        return {a.x op b};                                                                     \
    }                                                                                          \
    template <std::size_t L>                                                                   \
    OFFROI_LANE_INLINE lane_vec<L> operator op(double a, const lane_vec<L>& b) noexcept {                  \
        return {a op b.x};                                                                     \
    }
#define OFFROI_LANE_CMP(op)                                                                    \
    template <std::size_t L>                                                                   \
    OFFROI_LANE_INLINE lane_mask<L> operator op(const lane_vec<L>& a, const lane_vec<L>& b) noexcept {     \
        return {(OFFROI_LANE_VM)(a.x op b.x)};                                                 \
    }                                                                                          \
    template <std::size_t L>                                                                   \
    OFFROI_LANE_INLINE lane_mask<L> operator op(const lane_vec<L>& a, double b) noexcept {                 \
        return {(OFFROI_LANE_VM)(a.x op b)};                                                   \
    }
#else
#define OFFROI_LANE_BINOP(op)                                                                  \
    template <std::size_t L>                                                                   \
    OFFROI_LANE_INLINE lane_vec<L> operator op(const lane_vec<L>& a, const lane_vec<L>& b) noexcept {      \
        lane_vec<L> r;                                                                         \
        for (std::size_t i = 0; i < L; ++i) r.x[i] = a.x[i] op b.x[i];                         \
        return r;                                                                              \
    }                                                                                          \
    template <std::size_t L>                                                                   \
    OFFROI_LANE_INLINE lane_vec<L> operator op(const lane_vec<L>& a, double b) noexcept {                  \
        lane_vec<L> r;                                                                         \
        for (std::size_t i = 0; i < L; ++i) r.x[i] = a.x[i] op b;                              \
        return r;                                                                              \
    }                                                                                          \
    template <std::size_t L>                                                                   \
    OFFROI_LANE_INLINE lane_vec<L> operator op(double a, const lane_vec<L>& b) noexcept {                  \
        lane_vec<L> r;                                                                         \
        for (std::size_t i = 0; i < L; ++i) r.x[i] = a op b.x[i];                              \
        return r;                                                                              \
    }
#define OFFROI_LANE_CMP(op)                                                                    \
    template <std::size_t L>                                                                   \
    OFFROI_LANE_INLINE lane_mask<L> operator op(const lane_vec<L>& a, const lane_vec<L>& b) noexcept {     \
        lane_mask<L> r;                                                                        \
        for (std::size_t i = 0; i < L; ++i) r.m[i] = a.x[i] op b.x[i] ? -1 : 0;                \
        return r;                                                                              \
    }                                                                                          \
    template <std::size_t L>                                                                   \
    OFFROI_LANE_INLINE lane_mask<L> operator op(const lane_vec<L>& a, double b) noexcept {                 \
        lane_mask<L> r;                                                                        \
        for (std::size_t i = 0; i < L; ++i) r.m[i] = a.x[i] op b ? -1 : 0;                     \
        return r;                                                                              \
    }
#endif
OFFROI_LANE_BINOP(+)
OFFROI_LANE_BINOP(-)
OFFROI_LANE_BINOP(*)
OFFROI_LANE_BINOP(/)
OFFROI_LANE_CMP(<)
OFFROI_LANE_CMP(<=)
OFFROI_LANE_CMP(>)
OFFROI_LANE_CMP(>=)
#undef OFFROI_LANE_BINOP
#undef OFFROI_LANE_CMP

#if defined(__GNUC__)
/// Lane-wise and.
template <std::size_t L>
OFFROI_LANE_INLINE lane_mask<L> operator&(const lane_mask<L>& a, const lane_mask<L>& b) noexcept { return {a.m & b.m}; }
/// Lane-wise or.
template <std::size_t L>
OFFROI_LANE_INLINE lane_mask<L> operator|(const lane_mask<L>& a, const lane_mask<L>& b) noexcept { return {a.m | b.m}; }
/// Lane-wise not.
template <std::size_t L>
OFFROI_LANE_INLINE lane_mask<L> operator~(const lane_mask<L>& a) noexcept { return {~a.m}; }
/// m ? a : b per lane.
template <std::size_t L>
OFFROI_LANE_INLINE lane_vec<L> sel(const lane_mask<L>& m, const lane_vec<L>& a, const lane_vec<L>& b) noexcept {
    return {m.m ? a.x : b.x};
}
/// m ? a : b per lane (a constant).
template <std::size_t L>
OFFROI_LANE_INLINE lane_vec<L> sel(const lane_mask<L>& m, double a, const lane_vec<L>& b) noexcept {
    return sel(m, lane_vec<L>::splat(a), b);
}
/// m ? a : b per lane (b constant).
template <std::size_t L>
OFFROI_LANE_INLINE lane_vec<L> sel(const lane_mask<L>& m, const lane_vec<L>& a, double b) noexcept {
    return sel(m, a, lane_vec<L>::splat(b));
}
/// std::max(a, b) per lane: a < b ? b : a.
template <std::size_t L>
OFFROI_LANE_INLINE lane_vec<L> lmax(const lane_vec<L>& a, const lane_vec<L>& b) noexcept { return sel(a < b, b, a); }
/// std::min(a, b) per lane: b < a ? b : a.
template <std::size_t L>
OFFROI_LANE_INLINE lane_vec<L> lmin(const lane_vec<L>& a, const lane_vec<L>& b) noexcept { return sel(b < a, b, a); }
/// std::clamp(v, lo, hi) per lane: v < lo ? lo : (hi < v ? hi : v).
template <std::size_t L>
OFFROI_LANE_INLINE lane_vec<L> lclamp(const lane_vec<L>& v, double lo, double hi) noexcept {
    return sel(v < lo, lo, sel(v > hi, hi, v));
}
#else
/// Lane-wise and.
template <std::size_t L>
OFFROI_LANE_INLINE lane_mask<L> operator&(const lane_mask<L>& a, const lane_mask<L>& b) noexcept {
    lane_mask<L> r;
    for (std::size_t i = 0; i < L; ++i) r.m[i] = a.m[i] & b.m[i];
    return r;
}
/// Lane-wise or.
template <std::size_t L>
OFFROI_LANE_INLINE lane_mask<L> operator|(const lane_mask<L>& a, const lane_mask<L>& b) noexcept {
    lane_mask<L> r;
    for (std::size_t i = 0; i < L; ++i) r.m[i] = a.m[i] | b.m[i];
    return r;
}
/// Lane-wise not.
template <std::size_t L>
OFFROI_LANE_INLINE lane_mask<L> operator~(const lane_mask<L>& a) noexcept {
    lane_mask<L> r;
    for (std::size_t i = 0; i < L; ++i) r.m[i] = ~a.m[i];
    return r;
}

/// m ? a : b per lane.
template <std::size_t L>
OFFROI_LANE_INLINE lane_vec<L> sel(const lane_mask<L>& m, const lane_vec<L>& a, const lane_vec<L>& b) noexcept {
    lane_vec<L> r;
    for (std::size_t i = 0; i < L; ++i) r.x[i] = m.m[i] ? a.x[i] : b.x[i];
    return r;
}
/// m ? a : b per lane (a constant).
template <std::size_t L>
OFFROI_LANE_INLINE lane_vec<L> sel(const lane_mask<L>& m, double a, const lane_vec<L>& b) noexcept {
    lane_vec<L> r;
    for (std::size_t i = 0; i < L; ++i) r.x[i] = m.m[i] ? a : b.x[i];
    return r;
}
/// m ? a : b per lane (b constant).
template <std::size_t L>
OFFROI_LANE_INLINE lane_vec<L> sel(const lane_mask<L>& m, const lane_vec<L>& a, double b) noexcept {
    lane_vec<L> r;
    for (std::size_t i = 0; i < L; ++i) r.x[i] = m.m[i] ? a.x[i] : b;
    return r;
}
/// std::max(a, b) per lane: a < b ? b : a.
template <std::size_t L>
OFFROI_LANE_INLINE lane_vec<L> lmax(const lane_vec<L>& a, const lane_vec<L>& b) noexcept {
    lane_vec<L> r;
    for (std::size_t i = 0; i < L; ++i) r.x[i] = a.x[i] < b.x[i] ? b.x[i] : a.x[i];
    return r;
}
/// std::min(a, b) per lane: b < a ? b : a.
template <std::size_t L>
OFFROI_LANE_INLINE lane_vec<L> lmin(const lane_vec<L>& a, const lane_vec<L>& b) noexcept {
    lane_vec<L> r;
    for (std::size_t i = 0; i < L; ++i) r.x[i] = b.x[i] < a.x[i] ? b.x[i] : a.x[i];
    return r;
}
/// std::clamp(v, lo, hi) per lane: v < lo ? lo : (hi < v ? hi : v).
template <std::size_t L>
OFFROI_LANE_INLINE lane_vec<L> lclamp(const lane_vec<L>& v, double lo, double hi) noexcept {
    lane_vec<L> r;
    for (std::size_t i = 0; i < L; ++i) r.x[i] = v.x[i] < lo ? lo : (hi < v.x[i] ? hi : v.x[i]);
    return r;
}

#endif

/// A value of type V (double or lane_vec) with every lane `x`.
template <class V>
OFFROI_LANE_INLINE V lane_splat(double x) noexcept {
    if constexpr (std::is_same_v<V, double>)
        return x;
    else
        return V::splat(x);
}

// The scalar forms (one lane), so that code written for lanes compiles for one trial.
/// Not, for a flag (scalar) or a lane mask.
OFFROI_LANE_INLINE bool lnot(bool m) noexcept { return !m; }
/// \copydoc lnot(bool)
template <std::size_t L>
OFFROI_LANE_INLINE lane_mask<L> lnot(const lane_mask<L>& m) noexcept { return ~m; }
OFFROI_LANE_INLINE double sel(bool m, double a, double b) noexcept { return m ? a : b; }
OFFROI_LANE_INLINE double lmax(double a, double b) noexcept { return a < b ? b : a; }
OFFROI_LANE_INLINE double lmin(double a, double b) noexcept { return b < a ? b : a; }
OFFROI_LANE_INLINE double lclamp(double v, double lo, double hi) noexcept { return v < lo ? lo : (hi < v ? hi : v); }

/// Whether any lane's flag is set (scalar: the flag): lets a step skip work whose per-lane
/// selection would keep every lane's value.
OFFROI_LANE_INLINE bool lany(bool m) noexcept { return m; }
/// \copydoc lany(bool)
template <std::size_t L>
OFFROI_LANE_INLINE bool lany(const lane_mask<L>& m) noexcept {
    long long r = 0;
    for (std::size_t i = 0; i < L; ++i) r |= m.m[i];
    return r != 0;
}

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define OFFROI_LANE_ANY_AVX2 1
/// `lany` of four lanes as one AVX `vptest` (the element-wise `lany` above extracts the lanes
/// one by one): only for code compiled for AVX2, such as the block evaluation's AVX2 month loop
/// (model/evaluate_block.hpp), into which it is always inlined (an assembler statement: a
/// target-specific intrinsic could not be inlined through the target-neutral month step).
template <std::size_t L>
OFFROI_LANE_INLINE bool lany_avx2(const lane_mask<L>& m) noexcept {
    static_assert(L == 4, "four lanes of 64 bits: one 256-bit register");
    bool any;
    __asm__("vptest %1, %1" : "=@ccnz"(any) : "x"(m.m));
    return any;
}
#else
#define OFFROI_LANE_ANY_AVX2 0
#endif

/// `lany`, as one `vptest` where `Avx2` says the caller is compiled for AVX2 (four lanes).
template <bool Avx2, class M>
OFFROI_LANE_INLINE bool lany_for(const M& m) noexcept {
#if OFFROI_LANE_ANY_AVX2
    if constexpr (Avx2 && !std::is_same_v<M, bool>) return lany_avx2(m);
#endif
    return lany(m);
}

/// Lane i of a value (scalar: the value).
OFFROI_LANE_INLINE double lane(double v, std::size_t) noexcept { return v; }
/// \copydoc lane(double, std::size_t)
template <std::size_t L>
OFFROI_LANE_INLINE double lane(const lane_vec<L>& v, std::size_t i) noexcept { return v.x[i]; }
/// Lane i of a flag.
OFFROI_LANE_INLINE bool lane(bool v, std::size_t) noexcept { return v; }
/// \copydoc lane(bool, std::size_t)
template <std::size_t L>
OFFROI_LANE_INLINE bool lane(const lane_mask<L>& v, std::size_t i) noexcept { return v.m[i] != 0; }

/// Sets lane i (scalar: the value).
OFFROI_LANE_INLINE void set_lane(double& v, std::size_t, double x) noexcept { v = x; }
/// \copydoc set_lane(double&, std::size_t, double)
template <std::size_t L>
OFFROI_LANE_INLINE void set_lane(lane_vec<L>& v, std::size_t i, double x) noexcept { v.x[i] = x; }
/// Sets lane i of a flag.
OFFROI_LANE_INLINE void set_lane(bool& v, std::size_t, bool x) noexcept { v = x; }
/// \copydoc set_lane(bool&, std::size_t, bool)
template <std::size_t L>
OFFROI_LANE_INLINE void set_lane(lane_mask<L>& v, std::size_t i, bool x) noexcept { v.m[i] = x ? -1 : 0; }

}  // namespace offroi::detail
