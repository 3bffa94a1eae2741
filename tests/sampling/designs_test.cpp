#include <doctest/doctest.h>

#include <boost/random/sobol.hpp>

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <numeric>
#include <vector>

#include "offroi/sampling/latin_hypercube.hpp"
#include "offroi/sampling/monte_carlo.hpp"
#include "offroi/sampling/sobol.hpp"
#include "sampling/helpers.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace sampling_designs_test {

using namespace offroi;

TEST_CASE("monte carlo design is philox dimension 0 and shard invariant") {
    const monte_carlo_design mc(7);
    const auto s = stream_id("rate");
    std::vector<double> all(1000), a(1000);
    mc.fill(s, 0, 1000, all.data());
    mc.fill(s, 0, 333, a.data());
    mc.fill(s, 333, 667, a.data() + 333);
    CHECK(all == a);
    for (std::size_t t = 0; t < 1000; t += 97) CHECK(all[t] == philox_stream(7, s).uniform(t, 0));
}

TEST_CASE("feistel permutation is a bijection of [0, n) for many n") {
    for (std::uint64_t n : {1ULL, 2ULL, 3ULL, 5ULL, 17ULL, 1000ULL, 1024ULL, 4097ULL}) {
        detail::feistel_permutation p(n, 12345 + n);
        std::vector<int> seen(n, 0);
        for (std::uint64_t i = 0; i < n; ++i) {
            const auto y = p(i);
            REQUIRE(y < n);
            ++seen[y];
        }
        for (auto c : seen) CHECK(c == 1);
    }
    // Different keys give different permutations.
    detail::feistel_permutation p1(1000, 1), p2(1000, 2);
    int same = 0;
    for (std::uint64_t i = 0; i < 1000; ++i) same += p1(i) == p2(i);
    CHECK(same < 20);  // expected ~1 fixed coincidence for random permutations
}

TEST_CASE("latin hypercube: one point per stratum per input per design") {
    const std::uint64_t n = 1000;
    const latin_hypercube_design lhs(2024, n);
    const char* names[] = {"a", "b", "c", "d", "e"};
    for (const char* name : names) {
        const auto s = stream_id(name);
        for (std::uint64_t design = 0; design < 3; ++design) {
            std::vector<double> u(n);
            lhs.fill(s, design * n, n, u.data());
            std::vector<int> count(n, 0);
            for (std::size_t i = 0; i < n; ++i) {
                REQUIRE(u[i] > 0.0);
                REQUIRE(u[i] < 1.0);
                const auto k = static_cast<std::size_t>(std::floor(u[i] * static_cast<double>(n)));
                ++count[std::min<std::size_t>(k, n - 1)];
                CHECK(k == lhs.stratum(s, design * n + i));
            }
            for (int c : count) REQUIRE(c == 1);
        }
    }
    // Columns of different inputs are not the same permutation.
    std::vector<double> a(n), b(n);
    lhs.fill(stream_id("a"), 0, n, a.data());
    lhs.fill(stream_id("b"), 0, n, b.data());
    CHECK(std::abs(offroi_test::spearman(a, b)) < 5.0 / std::sqrt(999.0));
}

TEST_CASE("latin hypercube: sub-range fill equals the full fill, across designs") {
    const latin_hypercube_design lhs(9, 1000);
    const auto s = stream_id("x");
    std::vector<double> all(2500), parts(2500);
    lhs.fill(s, 0, 2500, all.data());
    lhs.fill(s, 0, 1, parts.data());
    lhs.fill(s, 1, 998, parts.data() + 1);
    lhs.fill(s, 999, 1302, parts.data() + 999);  // crosses designs 0 -> 1 -> 2
    lhs.fill(s, 2301, 199, parts.data() + 2301);
    CHECK(all == parts);
    for (std::size_t t = 0; t < 2500; t += 123) CHECK(all[t] == lhs.uniform(s, t));
    CHECK_THROWS_AS(latin_hypercube_design(1, 0), invalid_argument);
}

TEST_CASE("sobol direction numbers reproduce boost::random::sobol_engine") {
    const std::size_t d = 7;
    const sobol_design sd(0, d);
    boost::random::sobol_engine<std::uint32_t, 32> eng(d);
    // Boost skips the origin: its vector n is our point n + 1.
    for (std::uint64_t n = 0; n < 5000; ++n)
        for (std::size_t j = 0; j < d; ++j) REQUIRE(sd.raw(j, n + 1) == eng());
    for (std::size_t j = 0; j < d; ++j) CHECK(sd.raw(j, 0) == 0u);
    // Random access far out agrees with boost's seek.
    eng.seed(123456788);
    for (std::size_t j = 0; j < d; ++j) CHECK(sd.raw(j, 123456789) == eng());
}

TEST_CASE("sobol: scrambled points are stratified like a (0, m, 1)-net per dimension") {
    const sobol_design sd(5, 4);
    for (std::size_t j = 0; j < 4; ++j) {
        std::vector<double> u(1024);
        sd.fill(stream_id("in") + j, j, 0, 1024, u.data());
        std::vector<int> count(1024, 0);
        for (double x : u) {
            REQUIRE(x > 0.0);
            REQUIRE(x < 1.0);
            ++count[static_cast<std::size_t>(x * 1024.0)];
        }
        for (int c : count) REQUIRE(c == 1);
    }
    // Two-dimensional projection of the first 2^m points: every 2^a x 2^b box with
    // a + b = m holds one point (dimensions 0 and 1 of Sobol' form a (0, m, 2)-net).
    std::vector<double> x(256), y(256);
    sd.fill(11, 0, 0, 256, x.data());
    sd.fill(12, 1, 0, 256, y.data());
    for (int a = 0; a <= 8; ++a) {
        std::vector<int> box(256, 0);
        for (std::size_t i = 0; i < 256; ++i) {
            const auto bx = static_cast<std::size_t>(x[i] * (1 << a));
            const auto by = static_cast<std::size_t>(y[i] * (1 << (8 - a)));
            ++box[(bx << (8 - a)) | by];
        }
        for (int c : box) REQUIRE(c == 1);
    }
}

TEST_CASE("sobol: shard invariance and errors") {
    const sobol_design sd(3, 5);
    std::vector<double> all(5000), parts(5000);
    sd.fill(77, 4, 0, 5000, all.data());
    sd.fill(77, 4, 0, 1234, parts.data());
    sd.fill(77, 4, 1234, 3766, parts.data() + 1234);
    CHECK(all == parts);
    CHECK(sd.uniform(77, 4, 4321) == all[4321]);
    CHECK_THROWS_AS(sd.fill(77, 5, 0, 1, parts.data()), invalid_argument);
    CHECK_THROWS_AS(sd.fill(77, 0, sobol_design::max_points, 1, parts.data()), invalid_argument);
    CHECK_THROWS_AS(sobol_design(1, 0), invalid_argument);
    CHECK_THROWS_AS(sobol_design(1, sobol_design::max_dimension + 1), invalid_argument);
    // Different seeds scramble differently.
    CHECK(sobol_design(4, 5).uniform(77, 4, 10) != all[10]);
}

namespace {
// Test integrand prod_i (1 + (x_i - 0.5) / (i + 1)) over [0, 1]^5: exact integral 1.
double integrand(const std::vector<std::vector<double>>& u, std::size_t t) {
    double p = 1.0;
    for (std::size_t i = 0; i < u.size(); ++i) p *= 1.0 + (u[i][t] - 0.5) / static_cast<double>(i + 1);
    return p;
}
}  // namespace

TEST_CASE("sobol integrates a smooth function far better than plain Monte Carlo") {
    const std::size_t d = 5, n = 4096, reps = 20;
    double se_mc = 0, se_qmc = 0;
    for (std::uint64_t seed = 1; seed <= reps; ++seed) {
        const sobol_design sd(seed, d);
        const monte_carlo_design mc(seed);
        std::vector<std::vector<double>> us(d, std::vector<double>(n)), um = us;
        for (std::size_t i = 0; i < d; ++i) {
            std::string name = "x";
            name += std::to_string(i);
            const auto s = stream_id(name);
            sd.fill(s, i, 0, n, us[i].data());
            mc.fill(s, 0, n, um[i].data());
        }
        double a = 0, b = 0;
        for (std::size_t t = 0; t < n; ++t) {
            a += integrand(us, t);
            b += integrand(um, t);
        }
        a /= n;
        b /= n;
        se_qmc += (a - 1) * (a - 1);
        se_mc += (b - 1) * (b - 1);
    }
    const double rmse_qmc = std::sqrt(se_qmc / reps), rmse_mc = std::sqrt(se_mc / reps);
    MESSAGE("RMSE sobol " << rmse_qmc << ", MC " << rmse_mc);
    // Var f = prod(1 + 1/(12 (i+1)^2)) - 1 = 0.12568, so the MC RMSE is sigma =
    // sqrt(0.12568 / 4096) = 5.54e-3 and 20 RMSE^2 / sigma^2 ~ chi-square(20), whose 0.1%
    // and 99.9% points are 8.26 and 45.3: RMSE in [3.56e-3, 8.34e-3]. Scrambled Sobol'
    // converges about as N^-1.5 for a smooth f: at N = 4096 we ask for 100x less.
    CHECK(rmse_mc > 3.56e-3);
    CHECK(rmse_mc < 8.34e-3);
    CHECK(rmse_qmc < rmse_mc / 100.0);
}

TEST_CASE("golden values at a fixed seed") {
    // Pinned draws: a change here changes every result and must be announced.
    const auto s = stream_id("offshore_rate");
    const monte_carlo_design mc(42);
    const latin_hypercube_design lhs(42, 1000);
    const sobol_design sd(42, 3);
    CHECK(mc.uniform(s, 0) == 0x1.d7254be50808p-8);
    CHECK(mc.uniform(s, 999) == 0x1.d9fc78e789e5dp-1);
    CHECK(lhs.uniform(s, 0) == 0x1.84a6f8e7f4b3dp-1);
    CHECK(lhs.uniform(s, 999) == 0x1.37594fbae99bp-3);
    CHECK(sd.uniform(s, 2, 0) == 0x1.393c1216b231cp-1);
    CHECK(sd.uniform(s, 2, 999) == 0x1.066f08da4fc9ap-1);
}

TEST_CASE("batch Philox (AVX2 when available) is bit-identical to philox_stream") {
    std::vector<std::uint64_t> a(1000), b(1000);
    std::vector<double> u(1000);
    for (std::uint64_t first : {0ULL, 77ULL, (1ULL << 32) - 13})
        for (std::uint64_t pair : {0ULL, 5ULL, 1ULL << 33}) {
            const philox_stream ps(3, 4);
            detail::philox_words(3, 4, first, 1000, pair, a.data(), b.data());
            for (std::size_t i = 0; i < 1000; ++i) {
                const auto w = ps.words(first + i, pair);
                REQUIRE(a[i] == w.first);
                REQUIRE(b[i] == w.second);
            }
            detail::philox_uniforms(3, 4, first, 1000, 2 * pair + 1, u.data());
            for (std::size_t i = 0; i < 1000; ++i) REQUIRE(u[i] == ps.uniform(first + i, 2 * pair + 1));
        }
    // Every vector path this CPU has (portable, AVX2, AVX-512) gives the same uniforms (whole
    // runs of 32 blocks, 64 trials, go straight to doubles, the rest through the words; an
    // odd first trial starts on the second word of its block) ...
    std::vector<double> uv(1001);
    for (int l = 0; l <= static_cast<int>(detail::cpu_simd_level()); ++l)
        for (std::uint64_t dim : {0ULL, 1ULL, 6ULL, 7ULL})
            for (std::uint64_t first : {40ULL, 41ULL})
                for (std::size_t n : {std::size_t{1000}, std::size_t{1}, std::size_t{31}, std::size_t{64},
                                      std::size_t{65}, std::size_t{97}, std::size_t{600}}) {
                    CAPTURE(l);
                    CAPTURE(dim);
                    CAPTURE(first);
                    CAPTURE(n);
                    const philox_stream ps(8, 13);
                    uv.assign(1001, -1.0);
                    detail::philox_uniforms(8, 13, first, n, dim, uv.data(), static_cast<detail::simd_level>(l));
                    for (std::size_t i = 0; i < n; ++i) REQUIRE(uv[i] == ps.uniform(first + i, dim));
                    REQUIRE(uv[n] == -1.0);  // nothing written past count
                }
    // ... and the same words.
    for (int l = 0; l <= static_cast<int>(detail::cpu_simd_level()); ++l) {
        const auto level = static_cast<detail::simd_level>(l);
        CAPTURE(l);
        const philox_stream ps(9, 11);
        for (std::uint64_t first : {0ULL, 31ULL, (1ULL << 32) - 40}) {
            detail::philox_words(9, 11, first, 1000, 3, a.data(), b.data(), level);
            for (std::size_t i = 0; i < 1000; ++i) {
                const auto w = ps.words(first + i, 3);
                REQUIRE(a[i] == w.first);
                REQUIRE(b[i] == w.second);
            }
        }
    }
    // Extremes of the word-to-double conversion.
    const std::uint64_t w[3] = {0, ~0ULL, 0x123456789abcdef0ULL};
    double v[3];
    detail::words_to_open_unit(w, v, 3);
    for (int i = 0; i < 3; ++i) CHECK(v[i] == to_open_unit(w[i]));
}

TEST_CASE("latin hypercube: every vector path equals the scalar stratum, walking and not") {
    // The lane forms of the Feistel permutation (AVX2: 64-bit products from 32-bit ones;
    // AVX-512: vpmullq), sixteen strata at a time, must give uniform()'s bits: design sizes
    // that need cycle-walking (2^(2h) > n) and that do not (n = 4^8), ranges that cross a
    // design boundary, and lengths that leave a remainder for the scalar loop. Paths above
    // this CPU's level are not run (a CPU without AVX-512 tests the paths it has).
    std::vector<double> got(1003);
    using list = std::initializer_list<std::uint64_t>;
    for (std::uint64_t n : list{1, 3, 17, 1000, 4000, 65536, 100003, (std::uint64_t{1} << 40) + 7})
        for (std::uint64_t first : list{0, 5, n > 500 ? n - 500 : 2 * n}) {
            const latin_hypercube_design d(42, n);
            for (int l = 0; l <= static_cast<int>(detail::cpu_simd_level()); ++l) {
                CAPTURE(n);
                CAPTURE(first);
                CAPTURE(l);
                d.fill(77, first, got.size(), got.data(), static_cast<detail::simd_level>(l));
                for (std::size_t i = 0; i < got.size(); ++i)
                    REQUIRE(got[i] == d.uniform(77, first + i));
            }
        }
}

}  // namespace sampling_designs_test
