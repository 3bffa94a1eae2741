#pragma once
/// \file
/// Exact, order-independent sums of doubles and of their squares: small superaccumulators
/// in the style of Neal (2015), "Fast exact summation using small and large
/// superaccumulators" (arXiv:1505.05571).
///
/// The exact sum of any finite doubles is a multiple of 2^-1074 (of 2^-2148 for squares), so
/// it is held as a fixed-point number in signed 64-bit limbs ("chunks") of 32 bits each, the
/// upper 31 bits of every chunk being head-room for carries. Adding a value adds the bits of
/// its significand to two chunks (four for a square, whose 106-bit significand comes from an
/// exact 64x64 -> 128-bit integer product, so squares of subnormals and of values near
/// DBL_MAX are exact too); carries are propagated lazily, every few thousand additions.
/// Integer addition is commutative and associative, so after normalisation the state is the
/// same bits whatever the order of the additions and however they were split and merged.
/// Conversions to double or double-double are functions of that canonical state only.
///
/// Cost (bench/stats/summary_bench.cpp, CPU time on the 2-core development machine):
/// about 1.3 ns per value for the sum, 3.2 ns for the sum and the sum of squares together
/// (a plain double sum: 0.5 ns); exact_moments::add of a batch, where AVX-512 is available,
/// about 1 ns per value for both sums (bench_stats_summary BM_exact_moments).

#include <algorithm>
#include <array>
#include <bit>
#include <climits>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "offroi/error.hpp"
#include "offroi/stats/detail/byte_codec.hpp"
#include "offroi/stats/double_double.hpp"

namespace offroi {
class exact_moments;
namespace detail {

/// Fixed-point number sum_i chunk[i] * 2^(32 i + BaseExponent) with lazily propagated carries.
/// `MaxPending` is how many additions may happen between normalisations without overflow.
template <std::size_t Chunks, int BaseExponent, std::uint32_t MaxPending>
class chunked_fixed_point {
public:
    /// True when the value is exactly zero.
    bool is_zero() const {
        chunked_fixed_point m = *this;
        m.normalize();
        for (auto v : m.chunks_)
            if (v != 0) return false;
        return true;
    }

    /// Adds `other` exactly. Commutative and associative.
    void merge(const chunked_fixed_point& other) {
        // Between normalisations every chunk stays below 2^32 (its normalised value) plus
        // pending_ times the most one addition adds to a chunk (>= 2^32), which is what
        // MaxPending keeps below 2^63. The sum of two such accumulators is within the bound
        // of other.pending_ + pending_ + 1 additions: while that is below MaxPending, the
        // chunks are added as they are (the exact value is the same; every reader normalises).
        const std::uint64_t room_needed = std::uint64_t{other.pending_} + 1;
        if (std::uint64_t{pending_} + room_needed < MaxPending) {
            for (std::size_t i = 0; i < Chunks; ++i) chunks_[i] += other.chunks_[i];
            pending_ += static_cast<std::uint32_t>(room_needed);
            return;
        }
        normalize();
        chunked_fixed_point o = other;
        o.normalize();
        for (std::size_t i = 0; i < Chunks; ++i) chunks_[i] += o.chunks_[i];
        normalize();
    }

    /// Bitwise equality of the exact values.
    friend bool operator==(const chunked_fixed_point& a, const chunked_fixed_point& b) {
        chunked_fixed_point x = a, y = b;
        x.normalize();
        y.normalize();
        return x.chunks_ == y.chunks_;
    }

    /// floor(log2 |value|), or INT_MIN when the value is zero.
    int top_bit() const {
        chunked_fixed_point m = *this;
        m.make_magnitude();
        for (std::size_t i = Chunks; i-- > 0;) {
            if (m.chunks_[i] != 0) {
                const int b = 63 - std::countl_zero(static_cast<std::uint64_t>(m.chunks_[i]));
                return static_cast<int>(32 * i) + BaseExponent + b;
            }
        }
        return INT_MIN;
    }

    /// The value times 2^scale as a double-double (relative error below 2^-104, unless the
    /// scaled value overflows or underflows the double range). A function of the exact value
    /// only, so independent of the order of additions.
    double_double to_double_double(int scale = 0) const {
        chunked_fixed_point m = *this;
        const bool negative = m.make_magnitude();
        double_double acc{0.0, 0.0};
        // Chunks are non-negative and below 2^32: each term is an exact double; adding from
        // the top keeps every partial sum within 2^-104 of the exact one.
        for (std::size_t i = Chunks; i-- > 0;) {
            if (m.chunks_[i] == 0) continue;
            const double term = std::ldexp(static_cast<double>(m.chunks_[i]),
                                           static_cast<int>(32 * i) + BaseExponent + scale);
            acc = dd_add(acc, term);
        }
        return negative ? dd_neg(acc) : acc;
    }

    /// The magnitude as little-endian 32-bit limbs of the integer |value| / 2^BaseExponent
    /// (trailing zero limbs removed); returns true if the value is negative.
    bool magnitude_limbs(std::vector<std::uint32_t>& limbs) const {
        chunked_fixed_point m = *this;
        const bool negative = m.make_magnitude();
        std::size_t top = Chunks;
        while (top > 0 && m.chunks_[top - 1] == 0) --top;
        limbs.resize(top);
        for (std::size_t i = 0; i < top; ++i) limbs[i] = static_cast<std::uint32_t>(m.chunks_[i]);
        return negative;
    }

    /// The exponent of the least significant limb: value = +-limbs * 2^base_exponent.
    static constexpr int base_exponent = BaseExponent;

    /// Appends the exact value in canonical sign-magnitude form: u8 sign (1 = negative),
    /// varint index of the lowest non-zero 32-bit limb of |value| / 2^BaseExponent, varint
    /// number of limbs n, then n limbs as u32 little-endian (first and last non-zero; zero is
    /// sign 0, n = 0). Equal values give equal bytes, whatever the order of the additions.
    void write_to(detail::byte_writer& w) const {
        chunked_fixed_point m = *this;
        const bool negative = m.make_magnitude();
        std::size_t hi = Chunks;
        while (hi > 0 && m.chunks_[hi - 1] == 0) --hi;
        std::size_t lo = 0;
        while (lo < hi && m.chunks_[lo] == 0) ++lo;
        // Below 2^64 additions the magnitude stays below the top chunk's weight (see the
        // derived classes), so every limb of the magnitude is < 2^32.
        if (hi == Chunks && static_cast<std::uint64_t>(m.chunks_[Chunks - 1]) >> 32 != 0)
            throw numerical_error("exact_sum::write_to: the sum exceeds the accumulator's range");
        w.u8(negative && hi > lo ? 1 : 0);
        w.varint(lo);
        w.varint(hi - lo);
        for (std::size_t i = lo; i < hi; ++i) w.u32(static_cast<std::uint32_t>(m.chunks_[i]));
    }

    /// Replaces the value by one written by write_to. Only canonical encodings are accepted.
    /// \throws invalid_argument (naming `what` and the byte offset) if the sign byte is not
    ///         0 or 1, the limbs do not fit the accumulator, an end limb is zero, or the
    ///         input is truncated.
    void read_from(detail::byte_reader& r, const char* what) {
        const std::size_t at = r.offset();
        const std::uint8_t sign = r.u8(what);
        if (sign > 1) r.fail(what, "sign byte " + std::to_string(sign) + " is not 0 or 1", at);
        const std::uint64_t lo = r.varint(what);
        const std::uint64_t n = r.varint(what);
        if (lo > Chunks || n > Chunks - lo)
            r.fail(what, "limbs [" + std::to_string(lo) + ", " + std::to_string(lo) + " + " + std::to_string(n) +
                             ") exceed the " + std::to_string(Chunks) + " limbs of the accumulator", at);
        if (n == 0 && sign != 0) r.fail(what, "negative zero is not canonical", at);
        chunks_.fill(0);
        pending_ = 0;
        for (std::uint64_t k = 0; k < n; ++k) chunks_[lo + k] = static_cast<std::int64_t>(r.u32(what));
        if (n > 0 && (chunks_[lo] == 0 || chunks_[lo + n - 1] == 0))
            r.fail(what, "an end limb is zero (not canonical)", at);
        if (sign != 0) {
            for (auto& v : chunks_) v = -v;
            normalize();
        }
    }

    /// True if the value is negative.
    bool is_negative() const {
        chunked_fixed_point m = *this;
        m.normalize();
        return m.chunks_[Chunks - 1] < 0;
    }

protected:
    /// Counts one addition; normalises before any chunk could overflow.
    void after_add() {
        if (++pending_ >= MaxPending) normalize();
    }

    /// Additions still allowed before a normalisation is due (>= 1).
    std::uint32_t room() const { return MaxPending - pending_; }

    /// Counts k <= room() additions.
    void after_adds(std::uint32_t k) {
        pending_ += k;
        if (pending_ >= MaxPending) normalize();
    }

    /// Propagates carries so that chunks 0..Chunks-2 lie in [0, 2^32); the top chunk keeps
    /// the sign. The representation is then canonical.
    void normalize() {
        for (std::size_t i = 0; i + 1 < Chunks; ++i) {
            const std::int64_t carry = chunks_[i] >> 32;  // arithmetic shift (C++20)
            chunks_[i] -= static_cast<std::int64_t>(static_cast<std::uint64_t>(carry) << 32);
            chunks_[i + 1] += carry;
        }
        pending_ = 0;
    }

    /// Normalises and replaces the value by its magnitude; returns true if it was negative.
    bool make_magnitude() {
        normalize();
        if (chunks_[Chunks - 1] >= 0) return false;
        for (auto& v : chunks_) v = -v;
        normalize();
        return true;
    }

    std::array<std::int64_t, Chunks> chunks_{};
    std::uint32_t pending_ = 0;
};

/// Splits a finite double into sign, integer significand m (< 2^53) and q in [0, 2045] with
/// |x| = m * 2^(q - 1074).
struct decomposed_double {
    std::uint64_t significand;
    unsigned q;
    bool negative;
};

inline decomposed_double decompose(double x) {
    const auto bits = std::bit_cast<std::uint64_t>(x);
    const auto biased = static_cast<unsigned>((bits >> 52) & 0x7ffU);
    const std::uint64_t frac = bits & ((std::uint64_t{1} << 52) - 1);
    const std::uint64_t m = biased != 0 ? (frac | (std::uint64_t{1} << 52)) : frac;
    const unsigned q = biased != 0 ? biased - 1 : 0;
    return {m, q, (bits >> 63) != 0};
}

}  // namespace detail

/// Exact sum of finite doubles, independent of the order of additions and merges.
/// 70 chunks cover 2^-1074 .. 2^1088: no overflow for fewer than 2^64 additions.
/// Non-finite inputs are a precondition violation (callers reject them first).
class exact_sum : public detail::chunked_fixed_point<70, -1074, 2000> {
    friend class offroi::exact_moments;  // its batched add writes the chunks directly

public:
    /// Adds a finite x exactly.
    void add(double x) {
        add_uncounted(x);
        after_add();
    }

    /// Adds finite values exactly; carries are propagated once per batch of additions.
    void add(const double* x, std::size_t n) {
        while (n > 0) {
            const std::size_t k = std::min<std::size_t>(n, room());
            for (std::size_t i = 0; i < k; ++i) add_uncounted(x[i]);
            after_adds(static_cast<std::uint32_t>(k));
            x += k;
            n -= k;
        }
    }

private:
    void add_uncounted(double x) {
        const detail::decomposed_double d = detail::decompose(x);
        const unsigned i = d.q >> 5;
        const unsigned s = d.q & 31U;
        // Low 32 bits of m << s go to chunk i, the rest (< 2^53) to chunk i + 1.
        const auto low = static_cast<std::int64_t>((d.significand << s) & 0xffffffffULL);
        const auto high = static_cast<std::int64_t>(d.significand >> (32 - s));
        const std::int64_t sign = -static_cast<std::int64_t>(d.negative);  // 0 or -1
        chunks_[i] += (low ^ sign) - sign;
        chunks_[i + 1] += (high ^ sign) - sign;
    }
};

/// Exact sum of the squares of finite doubles, independent of order. Each square is formed
/// exactly as a 106-bit integer (m * m) times 2^(2q - 2148); 136 chunks cover
/// 2^-2148 .. 2^2204, enough for 2^64 squares of DBL_MAX.
class exact_sum_of_squares : public detail::chunked_fixed_point<136, -2148, 1000000> {
    __extension__ typedef unsigned __int128 uint128;
    friend class offroi::exact_moments;  // its batched add writes the chunks directly

public:
    /// Adds x*x exactly (finite x).
    void add_square(double x) {
        add_square_uncounted(x);
        after_add();
    }

    /// Adds the squares of finite values exactly.
    void add_squares(const double* x, std::size_t n) {
        while (n > 0) {
            const std::size_t k = std::min<std::size_t>(n, room());
            for (std::size_t i = 0; i < k; ++i) add_square_uncounted(x[i]);
            after_adds(static_cast<std::uint32_t>(k));
            x += k;
            n -= k;
        }
    }

private:
    void add_square_uncounted(double x) {
        const detail::decomposed_double d = detail::decompose(x);
        const unsigned pos = 2 * d.q;
        const unsigned i = pos >> 5;
        const unsigned s = pos & 31U;
        const uint128 p = static_cast<uint128>(d.significand) * d.significand;  // < 2^106
        const auto p_lo = static_cast<std::uint64_t>(p);
        const auto p_hi = static_cast<std::uint64_t>(p >> 64);  // < 2^42
        // p * 2^s (s even, <= 30) in 32-bit pieces, with 64-bit shifts only.
        const std::uint64_t v0 = p_lo << s;                                    // bits 0..63
        const std::uint64_t v1 = (p_hi << s) | ((p_lo >> 1) >> (63 - s));      // bits 64..127 (mod)
        chunks_[i] += static_cast<std::int64_t>(v0 & 0xffffffffULL);
        chunks_[i + 1] += static_cast<std::int64_t>(v0 >> 32);
        chunks_[i + 2] += static_cast<std::int64_t>(v1 & 0xffffffffULL);
        chunks_[i + 3] += static_cast<std::int64_t>(p_hi >> (32 - s));       // bits 96.. (< 2^40)
    }
};

}  // namespace offroi
