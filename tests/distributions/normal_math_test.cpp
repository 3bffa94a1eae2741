// Tests of offroi::detail::normal_quantile / normal_cdf against Boost.Math's normal
// distribution evaluated in long double (64-bit mantissa, ~2000x finer than double).
#include "offroi/distributions/detail/normal_math.hpp"

#include <doctest/doctest.h>

#include <boost/math/distributions/normal.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace distributions_normal_math_test {

namespace {

using ld = long double;
const boost::math::normal_distribution<ld> ref01(0.0L, 1.0L);

// Grid of p: log-spaced in both tails from 1e-300 (lower) and 1e-16 (upper) to 0.5, plus
// a fine linear grid over the body.
std::vector<double> probability_grid() {
    std::vector<double> g;
    for (double e = -300.0; e <= std::log10(0.5); e += 0.01) g.push_back(std::pow(10.0, e));
    for (double e = -16.0; e <= std::log10(0.5); e += 0.01) g.push_back(1.0 - std::pow(10.0, e));
    for (int i = 1; i < 100000; ++i) g.push_back(i / 100000.0);
    g.push_back(std::numeric_limits<double>::min());        // smallest normal double
    g.push_back(std::nextafter(1.0, 0.0));                  // 1 - 2^-53
    g.push_back(0.075); g.push_back(0.925);                 // region boundaries of AS 241
    g.push_back(std::exp(-25.0)); g.push_back(1.0 - std::exp(-25.0));
    return g;
}

double rel_err(double got, ld want) {
    if (want == 0.0L) return std::fabs(got);
    return static_cast<double>(std::fabs((static_cast<ld>(got) - want) / want));
}

}  // namespace

TEST_CASE("normal_quantile matches Boost (long double) over 1e-300 .. 1-1e-16") {
    double worst = 0.0, worst_p = 0.0;
    for (double p : probability_grid()) {
        if (p == 0.5) continue;  // quantile 0: relative error undefined, checked below
        const ld want = boost::math::quantile(ref01, static_cast<ld>(p));
        const double e = rel_err(offroi::detail::normal_quantile(p), want);
        if (e > worst) { worst = e; worst_p = p; }
    }
    MESSAGE("normal_quantile worst relative error " << worst << " at p = " << worst_p);
    CHECK(worst < 1e-15);
    CHECK(offroi::detail::normal_quantile(0.5) == 0.0);
}

TEST_CASE("normal_quantile special values") {
    using offroi::detail::normal_quantile;
    CHECK(normal_quantile(0.0) == -std::numeric_limits<double>::infinity());
    CHECK(normal_quantile(1.0) == std::numeric_limits<double>::infinity());
    CHECK(std::isnan(normal_quantile(std::numeric_limits<double>::quiet_NaN())));
    CHECK(std::isnan(normal_quantile(-0.1)));
    CHECK(std::isnan(normal_quantile(1.1)));
    // Symmetry: Phi^{-1}(1-p) = -Phi^{-1}(p) where 1-p is exact.
    for (double p : {0.01, 0.1, 0.25, 0.3, 0.4999}) {
        CHECK(normal_quantile(1.0 - p) == doctest::Approx(-normal_quantile(p)).epsilon(1e-15));
    }
    // Known values: Phi^{-1}(0.975) = 1.959963984540054, Phi^{-1}(1e-10) = -6.361340902404056.
    CHECK(normal_quantile(0.975) == doctest::Approx(1.959963984540054).epsilon(1e-15));
    CHECK(normal_quantile(1e-10) == doctest::Approx(-6.361340902404056).epsilon(1e-15));
}

TEST_CASE("normal_cdf matches Boost (long double), relative accuracy in the lower tail") {
    double worst = 0.0, worst_z = 0.0;
    // Phi(-37.5) ~ 4.6e-308 is still a normal double; below it results are subnormal.
    for (double z = -37.5; z <= 8.3; z += 0.0007) {
        const ld want = boost::math::cdf(ref01, static_cast<ld>(z));
        const double e = rel_err(offroi::detail::normal_cdf(z), want);
        if (e > worst) { worst = e; worst_z = z; }
    }
    MESSAGE("normal_cdf worst relative error " << worst << " at z = " << worst_z);
    CHECK(worst < 2e-15);  // a few ulps: erfc's own error plus roundings
    using offroi::detail::normal_cdf;
    CHECK(normal_cdf(-std::numeric_limits<double>::infinity()) == 0.0);
    CHECK(normal_cdf(std::numeric_limits<double>::infinity()) == 1.0);
    CHECK(std::isnan(normal_cdf(std::numeric_limits<double>::quiet_NaN())));
    CHECK(normal_cdf(0.0) == 0.5);
}

TEST_CASE("round trip cdf(quantile(p)) = p") {
    double worst = 0.0;
    for (double e = -300.0; e < -0.31; e += 0.013) {
        const double p = std::pow(10.0, e);
        const double back = offroi::detail::normal_cdf(offroi::detail::normal_quantile(p));
        // Condition number of the round trip: |z| * phi(z) / Phi(z) * |z| ~ z^2 grows in
        // the tail; compare in the scale of that amplification.
        const double z = offroi::detail::normal_quantile(p);
        const double amp = 1.0 + z * z;
        worst = std::max(worst, std::fabs(back - p) / p / amp);
    }
    CHECK(worst < 1e-15);
}

TEST_CASE("batch forms are bit-identical to the scalar forms, also in place") {
    std::vector<double> p = probability_grid();
    p.push_back(0.0); p.push_back(1.0);
    std::vector<double> z(p.size()), back(p.size());
    offroi::detail::normal_quantile(p.data(), z.data(), p.size());
    offroi::detail::normal_cdf(z.data(), back.data(), z.size());
    for (std::size_t i = 0; i < p.size(); ++i) {
        REQUIRE(z[i] == offroi::detail::normal_quantile(p[i]));
        REQUIRE(back[i] == offroi::detail::normal_cdf(z[i]));
    }
    std::vector<double> inplace = p;
    offroi::detail::normal_quantile(inplace.data(), inplace.data(), inplace.size());
    for (std::size_t i = 0; i < p.size(); ++i) REQUIRE(inplace[i] == z[i]);
}

TEST_CASE("every batch path gives the scalar quantile's bits: region edges, NaN, odd lengths") {
    // Values at and beside the edges of the central region (|p - 0.5| = 0.425) and of the
    // tails' split (r = 5), 0 and 1, NaN and levels outside [0, 1], then a grid; lengths
    // that are not multiples of the vector width and that cross the 256-element blocks.
    std::vector<double> edge = {0.0, 1.0, std::nan(""), -0.0, -1e-300, 1.5, 0.5, 0.075, 0.925, 1e-300,
                                std::exp(-25.0), 1.0 - 1e-16};
    for (double e : {0.075, 0.925, 0.5, std::exp(-25.0)}) {
        double up = e, down = e;
        for (int k = 0; k < 4; ++k) {
            up = std::nextafter(up, 2.0);
            down = std::nextafter(down, -1.0);
            edge.push_back(up);
            edge.push_back(down);
        }
    }
    std::vector<double> p = edge;
    for (double g : probability_grid()) p.push_back(g);
    auto bits = [](double x) { return std::bit_cast<std::uint64_t>(x); };
    for (std::size_t len : {std::size_t{1}, std::size_t{3}, std::size_t{5}, std::size_t{255}, std::size_t{257},
                            std::size_t{515}, p.size()}) {
        len = std::min(len, p.size());
        // Rotate so that the edge values fall on every lane position.
        for (std::size_t shift = 0; shift < 4; ++shift) {
            std::vector<double> in(len);
            for (std::size_t i = 0; i < len; ++i) in[i] = p[(i + shift) % p.size()];
            std::vector<double> portable(len), best(len);
            offroi::detail::normal_quantile_portable(in.data(), portable.data(), len);
            offroi::detail::normal_quantile(in.data(), best.data(), len);
            std::vector<std::vector<double>> paths = {portable, best};
#if OFFROI_SAMPLING_X86
            if (__builtin_cpu_supports("avx2")) {
                std::vector<double> avx2(len);
                offroi::detail::normal_quantile_avx2(in.data(), avx2.data(), len);
                paths.push_back(avx2);
            }
#endif
            for (const auto& z : paths)
                for (std::size_t i = 0; i < len; ++i) {
                    const double want = offroi::detail::normal_quantile(in[i]);
                    INFO("p = " << in[i] << ", length " << len << ", shift " << shift);
                    if (std::isnan(want)) REQUIRE(std::isnan(z[i]));
                    else REQUIRE(bits(z[i]) == bits(want));
                }
        }
    }
}

}  // namespace distributions_normal_math_test
