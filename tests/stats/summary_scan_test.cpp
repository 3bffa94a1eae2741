#include <doctest/doctest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "offroi/stats/detail/summary_scan.hpp"
#include "offroi/stats/streaming_summary.hpp"

// This file's own namespace (the area's files are compiled as one translation unit).
namespace stats_summary_scan_test {

namespace {

using offroi::detail::summary_scan_result;

// A plain copy of streaming_summary::add's first pass before it moved to summary_scan.
summary_scan_result reference_scan(const double* x, std::size_t n, double lo, double hi) {
    std::uint64_t neg = 0, pos = 0;
    bool finite = true;
    for (std::size_t i = 0; i < n; ++i) {
        finite &= (x[i] - x[i]) == 0.0;
        const double v = x[i] + 0.0;
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
        neg += v < 0.0;
        pos += v > 0.0;
    }
    return {lo, hi, neg, pos, finite};
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Every field (min and max by their bits) when the values are finite, else only `finite`.
void check_same(const summary_scan_result& got, const summary_scan_result& want) {
    REQUIRE(got.finite == want.finite);
    if (!want.finite) return;
    CHECK(same_bits(got.lo, want.lo));
    CHECK(same_bits(got.hi, want.hi));
    CHECK(got.negative == want.negative);
    CHECK(got.positive == want.positive);
}

// The scans this build and CPU can run: the dispatcher, the portable one and AVX2.
void check_all(const std::vector<double>& x, double lo, double hi) {
    const auto want = reference_scan(x.data(), x.size(), lo, hi);
    check_same(offroi::detail::summary_scan(x.data(), x.size(), lo, hi), want);
    check_same(offroi::detail::summary_scan_portable(x.data(), x.size(), lo, hi), want);
#if OFFROI_SAMPLING_X86
    if (offroi::detail::cpu_simd_level() >= offroi::detail::simd_level::avx2)
        check_same(offroi::detail::summary_scan_avx2(x.data(), x.size(), lo, hi), want);
#endif
}

constexpr double inf = std::numeric_limits<double>::infinity();

}  // namespace

TEST_CASE("summary_scan: the vector pass equals the reference on hostile inputs, lengths 0..100") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double finite_pool[] = {-0.0, 0.0, -0.0, 0.0, 1.0, -1.0, DBL_MIN, -DBL_MIN, 4.9e-324, -4.9e-324,
                                  2.2e-310, -2.2e-310, DBL_MAX, -DBL_MAX, 1e6, -1e6, 3.5, -3.5};
    const double hostile_pool[] = {inf, -inf, nan, -nan};
    const double starts[][2] = {{inf, -inf}, {0.0, 0.0}, {-1.0, 2.0}, {DBL_MAX, -DBL_MAX}, {5.0, 5.0}};
    std::mt19937_64 g(12);
    std::uniform_int_distribution<std::size_t> pick(0, std::size(finite_pool) - 1);
    std::uniform_int_distribution<std::size_t> pick_bad(0, std::size(hostile_pool) - 1);
    for (std::size_t n = 0; n <= 100; ++n) {
        for (int rep = 0; rep < 6; ++rep) {
            std::vector<double> x(n);
            for (auto& v : x) v = finite_pool[pick(g)];
            for (const auto& s : starts) check_all(x, s[0], s[1]);
            if (n == 0) continue;
            // One non-finite value at each position in turn (and two at once).
            for (std::size_t p = 0; p < n; ++p) {
                auto y = x;
                y[p] = hostile_pool[pick_bad(g)];
                check_all(y, inf, -inf);
                y[n - 1 - p] = hostile_pool[pick_bad(g)];
                check_all(y, 0.0, 0.0);
            }
        }
    }
}

TEST_CASE("summary_scan: -0.0 and +0.0 in every lane give +0.0 min and max") {
    for (std::size_t n = 1; n <= 40; ++n) {
        for (std::size_t p = 0; p < n; ++p) {
            std::vector<double> x(n, -0.0);
            x[p] = 0.0;  // one +0.0 among -0.0s, at every position
            check_all(x, inf, -inf);
            const auto r = offroi::detail::summary_scan(x.data(), n, inf, -inf);
            CHECK(!std::signbit(r.lo));
            CHECK(!std::signbit(r.hi));
            CHECK(r.negative == 0);
            CHECK(r.positive == 0);
            std::vector<double> y(n, 0.0);
            y[p] = -0.0;
            check_all(y, inf, -inf);
        }
    }
}

TEST_CASE("summary_scan: the extreme value at every position of a long batch") {
    for (const double e : {-DBL_MAX, DBL_MAX, -4.9e-324, 4.9e-324}) {
        for (std::size_t p = 0; p < 67; ++p) {
            std::vector<double> x(67, 1.0);
            x[p] = e;
            check_all(x, inf, -inf);
        }
    }
}

TEST_CASE("streaming_summary: min and max after batches with -0.0, subnormals and extremes") {
    std::vector<double> x = {-0.0, 3.0, -2.0, 0.0, -0.0, 4.9e-324, -DBL_MAX, 7.0, -0.0, 0.0, 1.0, DBL_MAX};
    offroi::streaming_summary s;
    s.add(x.data(), x.size());
    CHECK(same_bits(s.min(), -DBL_MAX));
    CHECK(same_bits(s.max(), DBL_MAX));
    CHECK(s.count_negative() == 2);
    CHECK(s.count_positive() == 5);
    offroi::streaming_summary z;
    std::vector<double> zeros(9, -0.0);
    z.add(zeros.data(), zeros.size());
    CHECK(same_bits(z.min(), 0.0));
    CHECK(same_bits(z.max(), 0.0));
    std::vector<double> bad(20, 1.0);
    bad[17] = -inf;
    CHECK_THROWS_AS(z.add(bad.data(), bad.size()), offroi::invalid_argument);
    CHECK(z.count() == 9);
    CHECK(same_bits(z.min(), 0.0));
}

TEST_CASE("threshold_counts: the vector count equals the reference, lengths 0..100") {
    const double pool[] = {-0.0, 0.0, 1.0, -1.0, 2.0, 4.9e-324, -4.9e-324, DBL_MAX, -DBL_MAX, 1e5, -1e5, 3.0};
    const double ts[] = {0.0, -0.0, 1.0, 2.0, 1e5, -1e5, 4.9e-324, DBL_MAX, -DBL_MAX, 1.5};
    std::mt19937_64 g(31);
    std::uniform_int_distribution<std::size_t> pick(0, std::size(pool) - 1);
    for (std::size_t n = 0; n <= 100; ++n) {
        for (int rep = 0; rep < 4; ++rep) {
            std::vector<double> x(n);
            for (auto& v : x) v = pool[pick(g)];
            for (const double t : ts) {
                std::uint64_t a = 0, b = 0;  // the old loop of streaming_summary::add
                for (const double v : x) {
                    a += v > t;
                    b += v < t;
                }
                const auto r = offroi::detail::threshold_counts(x.data(), n, t);
                CHECK(r.above == a);
                CHECK(r.below == b);
                const auto p = offroi::detail::threshold_counts_portable(x.data(), n, t);
                CHECK(p.above == a);
                CHECK(p.below == b);
#if OFFROI_SAMPLING_X86
                if (offroi::detail::cpu_simd_level() >= offroi::detail::simd_level::avx2) {
                    const auto v = offroi::detail::threshold_counts_avx2(x.data(), n, t);
                    CHECK(v.above == a);
                    CHECK(v.below == b);
                }
#endif
            }
        }
    }
}

}  // namespace stats_summary_scan_test
