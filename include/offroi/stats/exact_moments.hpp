#pragma once
/// \file
/// `exact_moments`: count, exact sum and exact sum of squares of finite doubles, with the
/// mean, variance, standard error and confidence interval of the mean computed from them.
///
/// The sums are exact (offroi::exact_sum, offroi::exact_sum_of_squares), so the state — and
/// every result, computed from it in double-double — is the same bits whatever the order of
/// the additions and merges. The mean is sum / n (error below 1 ulp); the variance is
/// (S2 - S1^2 / n) / (n - 1) in double-double, relative error about 2^-104 mean^2/variance,
/// i.e. full double accuracy unless |mean| / sd exceeds about 1e8. Inputs are scaled by a
/// power of two before the conversion, so no finite input overflows an intermediate.

#include <climits>
#include <cmath>
#include <cstdint>
#include <string>

#include <boost/math/distributions/students_t.hpp>

#include "offroi/detail/checks.hpp"
#include "offroi/error.hpp"
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
        return std::ldexp(detail::dd_to_double(scaled_variance()), -2 * variance_scale());
    }

    /// The sample standard deviation. \throws invalid_argument if count() < 2.
    double standard_deviation(const char* fn = "exact_moments::standard_deviation") const {
        require(fn, 2);
        return std::ldexp(detail::dd_to_double(detail::dd_sqrt(scaled_variance())),
                          -variance_scale());
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
        const boost::math::students_t dist(static_cast<double>(count_ - 1));
        const double t = boost::math::quantile(dist, 0.5 + 0.5 * level);
        const double m = mean(fn);
        const double h = t * standard_error(fn);
        return {m - h, m + h};
    }

    /// Equality of the exact state.
    friend bool operator==(const exact_moments& a, const exact_moments& b) {
        return a.count_ == b.count_ && a.sum_ == b.sum_ && a.sum_sq_ == b.sum_sq_;
    }

private:
    void require(const char* fn, std::uint64_t needed) const {
        if (count_ < needed)
            throw invalid_argument(std::string(fn) + ": needs at least " + std::to_string(needed) +
                                   " value(s), count = " + std::to_string(count_));
    }

    /// k such that sum(x^2) 2^(2k) is about 1.
    int variance_scale() const {
        const int top = sum_sq_.top_bit();
        return top == INT_MIN ? 0 : -(top / 2);
    }

    /// (S2 - S1^2 / n) / (n - 1) times 2^(2k), clamped at 0.
    detail::double_double scaled_variance() const {
        const int k = variance_scale();
        const detail::double_double s1 = sum_.to_double_double(k);
        const detail::double_double s2 = sum_sq_.to_double_double(2 * k);
        const detail::double_double n = detail::dd_from_u64(count_);
        const detail::double_double m2 =
            detail::dd_sub(s2, detail::dd_div(detail::dd_mul(s1, s1), n));
        if (!(m2.hi > 0.0)) return {0.0, 0.0};
        return detail::dd_div(m2, detail::dd_from_u64(count_ - 1));
    }

    std::uint64_t count_ = 0;
    exact_sum sum_;
    exact_sum_of_squares sum_sq_;
};

}  // namespace offroi
