#pragma once
// Test support for tests/distributions: philox uniforms, a Kolmogorov-Smirnov statistic and
// a message-checking helper for invalid parameters.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "offroi/error.hpp"
#include "offroi/random/philox.hpp"

namespace offroi_test {

/// n philox uniforms in (0, 1) at a fixed seed.
inline std::vector<double> uniforms(std::size_t n, std::uint64_t seed = 12345,
                                    std::uint64_t stream = 7) {
    std::vector<double> u(n);
    offroi::philox_stream(seed, stream).fill(0, n, 0, u.data());
    return u;
}

/// One-sample Kolmogorov-Smirnov statistic sup |F_n(x) - F(x)| of the samples x against cdf.
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

/// Critical value of the KS statistic at level 0.001 (asymptotic, c = 1.949).
inline double ks_critical_001(std::size_t n) { return 1.949 / std::sqrt(static_cast<double>(n)); }

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
