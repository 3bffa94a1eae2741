// Tests of offroi::detail::normal_quantile_table (tabulated Phi^-1 tails for the copula)
// against the scalar AS 241 (detail::normal_quantile) and Boost.Math in long double.
#include "offroi/sampling/detail/normal_quantile_table.hpp"

#include <doctest/doctest.h>

#include <boost/math/distributions/normal.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace sampling_normal_quantile_table_test {

using offroi::detail::normal_quantile;
using offroi::detail::normal_quantile_table;

namespace {

double rel(double got, long double want) {
    return static_cast<double>(std::fabs((static_cast<long double>(got) - want) / want));
}

// Log-uniform tail probabilities in [2^-64, 0.075) plus every cell edge and its neighbours.
std::vector<double> tail_grid() {
    std::vector<double> g;
    std::uint64_t x = 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < 2000000; ++i) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        const double u = static_cast<double>(x >> 11) * 0x1.0p-53;
        g.push_back(0.075 * std::exp2(-61.0 * u));
    }
    for (int j = normal_quantile_table::first_binade; j < normal_quantile_table::binades; ++j)
        for (int c = 0; c <= normal_quantile_table::cells_per_binade; ++c) {
            const double v = std::ldexp(1.0 + c / 8.0, -(j + 2));
            if (v >= 0.075) continue;
            g.push_back(v);
            g.push_back(std::nextafter(v, 0.0));
            g.push_back(std::nextafter(v, 1.0));
        }
    g.push_back(std::nextafter(0.075, 0.0));
    g.push_back(normal_quantile_table::table_min_tail);
    return g;
}

}  // namespace

TEST_CASE("normal_quantile_table: tails within 2e-15 of AS 241, both sides") {
    const auto& t = normal_quantile_table::instance();
    double worst = 0.0, worst_v = 0.0;
    for (double v : tail_grid()) {
        const double want = normal_quantile(v);  // negative
        const double lo = t(v);
        const double e = std::fabs((lo - want) / want);
        if (e > worst) { worst = e; worst_v = v; }
        // Upper side: p = 1 - v is exact only when v is a multiple of ulp(1/2); compare with
        // AS 241 at the same p (which uses the same 1 - p).
        const double p = 1.0 - v;
        const double up = t(p), up_want = normal_quantile(p);
        const double eu = std::fabs((up - up_want) / up_want);
        if (eu > worst) { worst = eu; worst_v = p; }
    }
    INFO("worst relative error ", worst, " at p = ", worst_v);
    CHECK(worst < 2e-15);
    CHECK(worst > 0.0);  // it is a different function: a zero here would mean no table
}

TEST_CASE("normal_quantile_table: tails within 1.2e-15 of Boost long double") {
    const boost::math::normal_distribution<long double> ref(0.0L, 1.0L);
    const auto& t = normal_quantile_table::instance();
    double worst = 0.0;
    for (double e = -19.0; e < std::log10(0.075); e += 0.001) {
        const double v = std::pow(10.0, e);
        worst = std::max(worst, rel(t(v), boost::math::quantile(ref, static_cast<long double>(v))));
    }
    INFO("worst relative error vs Boost ", worst);
    CHECK(worst < 1.2e-15);
}

TEST_CASE("normal_quantile_table: centre is AS 241 bit for bit; edges and fallback") {
    const auto& t = normal_quantile_table::instance();
    for (int i = 0; i <= 100000; ++i) {
        const double p = 0.075 + 0.85 * i / 100000.0;
        REQUIRE(std::bit_cast<std::uint64_t>(t(p)) ==
                std::bit_cast<std::uint64_t>(normal_quantile(p)));
    }
    CHECK(t(0.5) == 0.0);
    CHECK(t(0.0) == -std::numeric_limits<double>::infinity());
    CHECK(t(1.0) == std::numeric_limits<double>::infinity());
    CHECK(std::isnan(t(std::numeric_limits<double>::quiet_NaN())));
    CHECK(std::isnan(t(-0.1)));
    CHECK(std::isnan(t(1.1)));
    // Below 2^-63: the scalar AS 241.
    CHECK(t(1e-300) == normal_quantile(1e-300));
    CHECK(t(0x1.0p-64) == normal_quantile(0x1.0p-64));
    CHECK(t(1e-300) == doctest::Approx(-37.0471).epsilon(1e-5));
    // A known value: Phi^-1(0.025) = -1.959963984540054.
    CHECK(std::fabs(t(0.025) + 1.959963984540054) < 4e-15);
    CHECK(std::fabs(t(0.975) - 1.959963984540054) < 4e-15);
}

TEST_CASE("normal_quantile_table: batch equals scalar bits, in place too, monotone") {
    const auto& t = normal_quantile_table::instance();
    std::vector<double> p;
    std::uint64_t x = 12345;
    for (int i = 0; i < 100003; ++i) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        p.push_back((static_cast<double>(x >> 11) + 0.5) * 0x1.0p-53);
    }
    p.push_back(0.0); p.push_back(1.0); p.push_back(1e-300); p.push_back(0.5);
    std::vector<double> z(p.size()), w = p;
    offroi::detail::normal_quantile_fast(p.data(), z.data(), p.size());
    t(w.data(), w.data(), w.size());
    for (std::size_t i = 0; i < p.size(); ++i) {
        REQUIRE(std::bit_cast<std::uint64_t>(z[i]) == std::bit_cast<std::uint64_t>(t(p[i])));
        REQUIRE(std::bit_cast<std::uint64_t>(w[i]) == std::bit_cast<std::uint64_t>(z[i]));
    }
    // Monotone across the cells of the first tail binades (sorted fine grid).
    double prev = -std::numeric_limits<double>::infinity();
    for (double v = 1e-6; v < 0.0749; v *= 1.0001) {
        const double zv = t(v);
        REQUIRE(zv >= prev);
        prev = zv;
    }
}

TEST_CASE("normal_quantile_table: every batch path equals the scalar bits (tail lists)") {
    // The AVX2 batch appends tail elements to a list and evaluates it four at a time; the
    // list's padding, its fallback (a group holding p < 2^-63, 0, 1, NaN or p outside
    // [0, 1]) and blocks of 256 must all give the scalar operator's bits. Inputs: a third in
    // the tails (both sides), special values at scattered positions, lengths that are not
    // multiples of 4, in place and not. Paths above this CPU's level are not run.
    const auto& t = normal_quantile_table::instance();
    std::vector<double> p;
    std::uint64_t x = 99;
    for (int i = 0; i < 20011; ++i) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        double u = (static_cast<double>(x >> 11) + 0.5) * 0x1.0p-53;
        if (i % 3 == 0) u *= 0.07;
        if (i % 3 == 1 && i % 2 == 0) u = 1.0 - u * 0.07;
        if (i % 997 == 1) u = 1e-300;
        if (i % 1009 == 2) u = std::numeric_limits<double>::quiet_NaN();
        if (i % 1013 == 3) u = 0.0;
        if (i % 1019 == 4) u = 1.0;
        if (i % 1021 == 5) u = -0.25;
        if (i % 1031 == 6) u = 1.0 - 0x1.0p-53;
        p.push_back(u);
    }
    for (int l = 0; l <= static_cast<int>(offroi::detail::cpu_simd_level()); ++l)
        for (std::size_t n : {p.size(), std::size_t{1}, std::size_t{3}, std::size_t{257}, std::size_t{1030}}) {
            CAPTURE(l);
            CAPTURE(n);
            const auto level = static_cast<offroi::detail::simd_level>(l);
            std::vector<double> z(n), w(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(n));
            t.batch(p.data(), z.data(), n, level);
            t.batch(w.data(), w.data(), n, level);
            for (std::size_t i = 0; i < n; ++i) {
                const std::uint64_t want = std::bit_cast<std::uint64_t>(t(p[i]));
                REQUIRE(std::bit_cast<std::uint64_t>(z[i]) == want);
                REQUIRE(std::bit_cast<std::uint64_t>(w[i]) == want);
            }
        }
}

}  // namespace sampling_normal_quantile_table_test
