#pragma once
// Shared test support for tests/distributions: Philox uniforms and draws through the batch
// quantile, Kolmogorov-Smirnov statistics and critical values, sample moments with their
// standard errors, a chi-square critical value and helpers that check invalid_argument messages.
#include <doctest/doctest.h>

#include <boost/math/distributions/chi_squared.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "offroi/error.hpp"
#include "offroi/random/philox.hpp"
#include "offroi/random/stream_id.hpp"

namespace offroi_test {

/// n philox uniforms in (0, 1) at a fixed seed.
inline std::vector<double> uniforms(std::size_t n, std::uint64_t seed = 12345,
                                    std::uint64_t stream = 7) {
    std::vector<double> u(n);
    offroi::philox_stream(seed, stream).fill(0, n, 0, u.data());
    return u;
}

/// Draws n values through the batch quantile of d from Philox uniforms
/// (seed, stream stream_id(name), trials 0..n-1, dimension 0).
template <class D>
std::vector<double> draw(const D& d, std::size_t n, std::uint64_t seed, const char* name) {
    std::vector<double> u = uniforms(n, seed, offroi::stream_id(name)), x(n);
    quantile(d, u.data(), x.data(), n);
    return x;
}

/// One-sample Kolmogorov-Smirnov statistic D_n = sup |F_n(x) - F(x)| of the samples x against cdf.
template <class Cdf>
double ks_statistic(std::vector<double> x, Cdf cdf) {
    std::sort(x.begin(), x.end());
    const double n = static_cast<double>(x.size());
    double d = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double f = cdf(x[i]);
        d = std::max({d, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
    }
    return d;
}

/// Scaled Kolmogorov-Smirnov statistic sqrt(n) D_n of a sample against a cdf.
template <class Cdf>
double ks_sqrt_n(std::vector<double> x, Cdf cdf) {
    const double n = static_cast<double>(x.size());
    return std::sqrt(n) * ks_statistic(std::move(x), cdf);
}

/// Critical value of the KS statistic D_n at level 0.001 (asymptotic, c = 1.949).
inline double ks_critical_001(std::size_t n) { return 1.949 / std::sqrt(static_cast<double>(n)); }

/// Critical value of sqrt(n) D_n at alpha = 0.001 (asymptotic Kolmogorov distribution).
constexpr double ks_crit = 1.9495;

/// Upper 0.999 quantile of the chi-square distribution with df degrees of freedom (Boost.Math).
inline double chi_square_critical_999(double df) {
    return boost::math::quantile(boost::math::chi_squared_distribution<double>(df), 0.999);
}

/// Sample mean, (biased, 1/n) variance and their standard errors (SE of s^2 from the 4th
/// central moment: sqrt((m4 - m2^2) / n)).
struct moments {
    double mean, var, se_mean, se_var;
};

/// Sample moments of x with standard errors; see moments.
inline moments sample_moments(const std::vector<double>& x) {
    const double n = double(x.size());
    double m = 0.0;
    for (double v : x) m += v;
    m /= n;
    double m2 = 0.0, m4 = 0.0;
    for (double v : x) {
        const double e = (v - m) * (v - m);
        m2 += e;
        m4 += e * e;
    }
    m2 /= n;
    m4 /= n;
    return {m, m2, std::sqrt(m2 / n), std::sqrt((m4 - m2 * m2) / n)};
}

/// The message of the offroi::invalid_argument thrown by f(), or "<nothing thrown>".
template <class F>
std::string thrown_message(F f) {
    try {
        f();
    } catch (const offroi::invalid_argument& e) {
        return e.what();
    }
    return "<nothing thrown>";
}

/// Checks that `make()` throws offroi::invalid_argument whose message contains each of
/// the given fragments (the parameter name and the value).
template <class Make>
void check_invalid(Make make, const std::vector<std::string>& fragments) {
    try {
        make();
        FAIL("no exception thrown; expected invalid_argument mentioning " << fragments.front());
    } catch (const offroi::invalid_argument& e) {
        const std::string msg = e.what();
        for (const auto& f : fragments) {
            INFO("message: " << msg);
            CHECK(msg.find(f) != std::string::npos);
        }
    }
}

}  // namespace offroi_test
