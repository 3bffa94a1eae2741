#include <doctest/doctest.h>

#include <Random123/philox.h>

#include <cmath>
#include <set>
#include <vector>

#include "offroi/random.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace random_philox_test {

TEST_CASE("Philox4x32-10 known-answer vector (Random123 kat_vectors)") {
    // From Random123's kat_vectors: philox4x32 10 rounds, counter 243f6a88 85a308d3
    // 13198a2e 03707344, key a4093822 299f31d0 -> d16cfe09 94fdcceb 5001e420 24126ea1.
    r123::Philox4x32 g;
    r123::Philox4x32::ctr_type c = {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}};
    r123::Philox4x32::key_type k = {{0xa4093822, 0x299f31d0}};
    auto r = g(c, k);
    CHECK(r[0] == 0xd16cfe09u);
    CHECK(r[1] == 0x94fdccebu);
    CHECK(r[2] == 0x5001e420u);
    CHECK(r[3] == 0x24126ea1u);
}

TEST_CASE("stream ids are stable golden values and distinct") {
    CHECK(offroi::stream_id("") == offroi::mix64(0xcbf29ce484222325ULL));
    static_assert(offroi::stream_id("offshore_rate") == offroi::stream_id("offshore_rate"));
    CHECK(offroi::stream_id("a") != offroi::stream_id("b"));
    CHECK(offroi::stream_id("offshore_rate") != offroi::stream_id("offshore_rate "));
    // Golden value: fixes the hash for all future releases.
    CHECK(offroi::stream_id("offshore_rate") == 0x6da2bf7acee4f4eaULL);
}

TEST_CASE("draws are pure functions of (seed, stream, trial, dimension)") {
    const auto s = offroi::stream_id("x");
    offroi::philox_stream a(42, s), b(42, s);
    for (std::uint64_t t = 0; t < 100; ++t)
        for (std::uint64_t d = 0; d < 5; ++d) CHECK(a.uniform(t, d) == b.uniform(t, d));
    CHECK(a.uniform(7, 0) != offroi::philox_stream(43, s).uniform(7, 0));
    CHECK(a.uniform(7, 0) != offroi::philox_stream(42, offroi::stream_id("y")).uniform(7, 0));
    CHECK(a.uniform(7, 0) != a.uniform(7, 1));
    CHECK(a.uniform(7, 0) != a.uniform(8, 0));
    // Trials beyond 2^32 use the high counter word.
    CHECK(a.uniform(1ULL << 32, 0) != a.uniform(0, 0));
    // fill agrees with the scalar form from an even or odd first trial, any count.
    for (std::uint64_t first : {1000ULL, 1001ULL})
        for (std::size_t n : {0, 1, 2, 3, 64, 65}) {
            std::vector<double> v(n + 1, -1.0);
            a.fill(first, n, 3, v.data());
            for (std::size_t i = 0; i < n; ++i) CHECK(v[i] == a.uniform(first + i, 3));
            CHECK(v[n] == -1.0);  // nothing written past count
        }
    CHECK(offroi::uniform01(42, s, 5, 1) == a.uniform(5, 1));
}

TEST_CASE("mapping: trials 2k and 2k + 1 of a dimension are the two words of one Philox call") {
    // Counter (k low, k high, dimension low, dimension high), key from (seed, stream); trial
    // 2k takes the first 64-bit word (r1 << 32 | r0), trial 2k + 1 the second.
    const std::uint64_t seed = 7, stream = offroi::stream_id("mapping");
    const offroi::philox_stream a(seed, stream);
    const std::uint64_t key = offroi::mix64(seed ^ offroi::mix64(stream));
    for (std::uint64_t k : {0ULL, 5ULL, (1ULL << 32) + 3})
        for (std::uint64_t d : {0ULL, 1ULL, 6ULL}) {
            r123::Philox4x32::ctr_type c = {{static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(k >> 32),
                                            static_cast<std::uint32_t>(d), 0u}};
            r123::Philox4x32::key_type kk = {{static_cast<std::uint32_t>(key), static_cast<std::uint32_t>(key >> 32)}};
            const auto r = r123::Philox4x32{}(c, kk);
            CHECK(a.bits(2 * k, d) == ((std::uint64_t(r[1]) << 32) | r[0]));
            CHECK(a.bits(2 * k + 1, d) == ((std::uint64_t(r[3]) << 32) | r[2]));
            CHECK(a.uniform(2 * k + 1, d) == offroi::to_open_unit(a.bits(2 * k + 1, d)));
        }
}

TEST_CASE("uniforms lie in (0,1) and pass a chi-square test at a fixed seed") {
    offroi::philox_stream g(2026, offroi::stream_id("chi2"));
    const int bins = 100;
    const std::uint64_t n = 1'000'000;
    std::vector<double> count(bins, 0.0);
    double mean = 0;
    for (std::uint64_t t = 0; t < n; ++t) {
        double u = g.uniform(t);
        REQUIRE(u > 0.0);
        REQUIRE(u < 1.0);
        mean += u;
        count[static_cast<int>(u * bins)] += 1;
    }
    mean /= n;
    // Mean of U(0,1): 1/2 with standard error sqrt(1/12/n); 5 standard errors.
    CHECK(std::abs(mean - 0.5) < 5 * std::sqrt(1.0 / 12.0 / n));
    double chi2 = 0;
    for (double c : count) chi2 += (c - n / bins) * (c - n / bins) / (double(n) / bins);
    // 99 degrees of freedom: the 0.9999 quantile is about 155.
    CHECK(chi2 < 155.0);
    CHECK(chi2 > 50.0);  // the 1e-4 lower quantile is about 56; far too uniform is a bug too
    CHECK(offroi::to_open_unit(0) > 0.0);
    CHECK(offroi::to_open_unit(~0ULL) < 1.0);
}

}  // namespace random_philox_test
