#pragma once
/// \file
/// `exact_moments`: count, exact sum and exact sum of squares of finite doubles, with the
/// mean, variance, standard error and confidence interval of the mean computed from them.
///
/// The sums are exact (offroi::exact_sum, offroi::exact_sum_of_squares), so the state — and
/// every result, computed from it in double-double — is the same bits whatever the order of
/// the additions and merges. The mean is sum / n (error below 1 ulp). The variance is
/// (n S2 - S1^2) / (n (n - 1)) with the numerator formed exactly in integer arithmetic
/// (a 32-bit-limb product of the exact sums), then divided in double-double: relative error
/// below 2^-100 before the final rounding, whatever mean / sd is (no cancellation), and
/// exactly 0 for constant data. Intermediates are scaled by powers of two, so no finite
/// input overflows; the variance itself is inf only if it exceeds DBL_MAX.

#include <climits>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
#include <algorithm>
#include <bit>


#include "offroi/detail/checks.hpp"
#include "offroi/error.hpp"
#include "offroi/stats/detail/byte_codec.hpp"
#include "offroi/stats/detail/stat_functions.hpp"
#include "offroi/stats/double_double.hpp"
#include "offroi/stats/exact_sum.hpp"
#include "offroi/stats/interval.hpp"

namespace offroi {

/// Exact, mergeable first and second moments; see the file comment.
class exact_moments {
public:
    /// Adds a finite x (precondition; callers reject non-finite values with a message).
    void add(double x) {
        sum_.add(x);
        sum_sq_.add_square(x);
        ++count_;
    }

    /// Adds n finite values.
    void add(const double* x, std::size_t n) {
        sum_.add(x, n);
        sum_sq_.add_squares(x, n);
        count_ += n;
    }

    /// Adds what `other` holds; exactly commutative and associative.
    void merge(const exact_moments& other) {
        sum_.merge(other.sum_);
        sum_sq_.merge(other.sum_sq_);
        count_ += other.count_;
    }

    /// Number of values.
    std::uint64_t count() const { return count_; }

    /// The exact sum as a double-double.
    detail::double_double sum_dd() const { return sum_.to_double_double(); }
    /// The exact sum rounded to double.
    double sum() const { return detail::dd_to_double(sum_dd()); }

    /// The mean. \throws invalid_argument if count() == 0 (`fn` names the caller).
    double mean(const char* fn = "exact_moments::mean") const {
        require(fn, 1);
        const int top = sum_.top_bit();
        if (top == INT_MIN) return 0.0;
        const int k = -top;  // scale the sum to about 1: no overflow, no underflow
        const auto m = detail::dd_div(sum_.to_double_double(k), detail::dd_from_u64(count_));
        return std::ldexp(detail::dd_to_double(m), -k);
    }

    /// The unbiased sample variance. \throws invalid_argument if count() < 2.
    double variance(const char* fn = "exact_moments::variance") const {
        require(fn, 2);
        const auto [v, te] = exact_variance();
        return std::ldexp(detail::dd_to_double(v), te);
    }

    /// The sample standard deviation. \throws invalid_argument if count() < 2.
    double standard_deviation(const char* fn = "exact_moments::standard_deviation") const {
        require(fn, 2);
        const auto [v, te] = exact_variance();
        return std::ldexp(detail::dd_to_double(detail::dd_sqrt(v)), te / 2);
    }

    /// The standard error of the mean, sd / sqrt(n). \throws invalid_argument if count() < 2.
    double standard_error(const char* fn = "exact_moments::standard_error") const {
        return standard_deviation(fn) / std::sqrt(static_cast<double>(count_));
    }

    /// mean ± t_{(1+level)/2, n-1} · se (Student's t: exact for normal data, asymptotically
    /// right for any finite-variance data).
    /// \throws invalid_argument if level is not in (0, 1) or count() < 2.
    interval mean_ci(double level = 0.95, const char* fn = "exact_moments::mean_ci") const {
        detail::check_open_probability(fn, "level", level);
        require(fn, 2);
        const double t = detail::math::students_t_quantile(static_cast<double>(count_ - 1), 0.5 + 0.5 * level);
        const double m = mean(fn);
        const double h = t * standard_error(fn);
        return {m - h, m + h};
    }

    /// Equality of the exact state.
    friend bool operator==(const exact_moments& a, const exact_moments& b) {
        return a.count_ == b.count_ && a.sum_ == b.sum_ && a.sum_sq_ == b.sum_sq_;
    }

    /// Format tag of to_bytes ("ORXM") and its version.
    static constexpr std::string_view bytes_magic = "ORXM";
    /// Version of the to_bytes format this build writes and reads.
    static constexpr std::uint16_t bytes_version = 1;

    /// The exact state as bytes: "ORXM", u16 version 1, then the body of write_to.
    /// Canonical: equal states give equal bytes. Size: about 4 bytes per 32 bits of the
    /// exact sums' spans (tens to a few hundred bytes), independent of count().
    std::string to_bytes() const {
        detail::byte_writer w;
        detail::write_header(w, bytes_magic, bytes_version);
        write_to(w);
        return w.take();
    }

    /// Reads what to_bytes wrote; the result == the serialised state.
    /// \throws invalid_argument naming the problem (bad magic, unsupported version,
    ///         truncation, trailing bytes, inconsistent state).
    static exact_moments from_bytes(std::string_view bytes) {
        detail::byte_reader r(bytes, "exact_moments::from_bytes");
        detail::read_header(r, bytes_magic, bytes_version, "exact_moments");
        exact_moments m = read_from(r);
        r.expect_end();
        return m;
    }

    /// Appends the body: varint count, the exact sum, then the exact sum of squares (each
    /// in chunked_fixed_point::write_to form).
    void write_to(detail::byte_writer& w) const {
        w.varint(count_);
        sum_.write_to(w);
        sum_sq_.write_to(w);
    }

    /// Reads a body written by write_to.
    /// \throws invalid_argument on truncation or an impossible state: a negative sum of
    ///         squares, non-zero sums with count 0, or a non-zero sum with a zero sum of
    ///         squares.
    static exact_moments read_from(detail::byte_reader& r) {
        exact_moments m;
        const std::size_t at = r.offset();
        m.count_ = r.varint("exact_moments count");
        m.sum_.read_from(r, "exact_moments sum");
        m.sum_sq_.read_from(r, "exact_moments sum of squares");
        if (m.sum_sq_.is_negative()) r.fail("exact_moments", "the sum of squares is negative", at);
        if (m.count_ == 0 && !(m.sum_.is_zero() && m.sum_sq_.is_zero()))
            r.fail("exact_moments", "count is 0 but the sums are not", at);
        if (m.sum_sq_.is_zero() && !m.sum_.is_zero())
            r.fail("exact_moments", "the sum is non-zero but the sum of squares is zero", at);
        return m;
    }

private:
    void require(const char* fn, std::uint64_t needed) const {
        if (count_ < needed)
            throw invalid_argument(std::string(fn) + ": needs at least " + std::to_string(needed) +
                                   " value(s), count = " + std::to_string(count_));
    }

    /// n (n - 1) variance = n S2 - S1^2 = D 2^-2148 with D an exact integer (>= 0 by
    /// Cauchy-Schwarz), computed with schoolbook multiplication on 32-bit limbs; returns
    /// (D 2^-te / (n (n - 1)) as a double-double, te): the variance is that times 2^te and te
    /// is even, so the standard deviation is sqrt(first) times 2^(te/2).
    std::pair<detail::double_double, int> exact_variance() const {
        using limbs = std::vector<std::uint32_t>;
        limbs a, b;
        sum_.magnitude_limbs(a);      // |S1| = a 2^-1074, so S1^2 = a^2 2^-2148
        sum_sq_.magnitude_limbs(b);   // S2 = b 2^-2148
        static_assert(exact_sum::base_exponent * 2 == exact_sum_of_squares::base_exponent);
        // a^2
        limbs sq(2 * a.size() + 1, 0);
        for (std::size_t i = 0; i < a.size(); ++i) {
            std::uint64_t carry = 0;
            for (std::size_t j = 0; j < a.size(); ++j) {
                const std::uint64_t t = static_cast<std::uint64_t>(a[i]) * a[j] + sq[i + j] + carry;
                sq[i + j] = static_cast<std::uint32_t>(t);
                carry = t >> 32;
            }
            for (std::size_t k = i + a.size(); carry != 0; ++k) {
                const std::uint64_t t = static_cast<std::uint64_t>(sq[k]) + carry;
                sq[k] = static_cast<std::uint32_t>(t);
                carry = t >> 32;
            }
        }
        // n b (n < 2^64: two limbs)
        const std::uint32_t n_limbs[2] = {static_cast<std::uint32_t>(count_),
                                          static_cast<std::uint32_t>(count_ >> 32)};
        limbs nb(b.size() + 3, 0);
        for (std::size_t i = 0; i < 2; ++i) {
            std::uint64_t carry = 0;
            for (std::size_t j = 0; j < b.size(); ++j) {
                const std::uint64_t t = static_cast<std::uint64_t>(n_limbs[i]) * b[j] + nb[i + j] + carry;
                nb[i + j] = static_cast<std::uint32_t>(t);
                carry = t >> 32;
            }
            for (std::size_t k = i + b.size(); carry != 0; ++k) {
                const std::uint64_t t = static_cast<std::uint64_t>(nb[k]) + carry;
                nb[k] = static_cast<std::uint32_t>(t);
                carry = t >> 32;
            }
        }
        // D = n b - a^2 (non-negative)
        const std::size_t len = std::max(nb.size(), sq.size());
        nb.resize(len, 0);
        sq.resize(len, 0);
        std::int64_t borrow = 0;
        for (std::size_t k = 0; k < len; ++k) {
            std::int64_t t = static_cast<std::int64_t>(nb[k]) - sq[k] - borrow;
            borrow = t < 0;
            if (t < 0) t += std::int64_t{1} << 32;
            nb[k] = static_cast<std::uint32_t>(t);
        }
        std::size_t top = len;
        while (top > 0 && nb[top - 1] == 0) --top;
        if (top == 0 || borrow != 0) return {{0.0, 0.0}, 0};
        // Scale D so that its top bit is at 2^0 or 2^1 (te even), then divide.
        const int top_bit = static_cast<int>(32 * (top - 1)) + 31 - std::countl_zero(nb[top - 1]) +
                            exact_sum_of_squares::base_exponent;
        const int te = top_bit >= 0 ? top_bit - (top_bit % 2) : top_bit - ((top_bit % 2 + 2) % 2);
        detail::double_double d{0.0, 0.0};
        for (std::size_t k = top; k-- > 0;) {
            if (nb[k] == 0) continue;
            d = detail::dd_add(d, std::ldexp(static_cast<double>(nb[k]),
                                             static_cast<int>(32 * k) +
                                                 exact_sum_of_squares::base_exponent - te));
        }
        d = detail::dd_div(d, detail::dd_from_u64(count_));
        d = detail::dd_div(d, detail::dd_from_u64(count_ - 1));
        return {d, te};
    }

    std::uint64_t count_ = 0;
    exact_sum sum_;
    exact_sum_of_squares sum_sq_;
};

}  // namespace offroi
