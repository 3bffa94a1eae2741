#include <doctest/doctest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include <boost/multiprecision/cpp_bin_float.hpp>

#include "offroi/error.hpp"
#include "offroi/stats/streaming_summary.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace stats_streaming_summary_test {

namespace {

using big = boost::multiprecision::number<boost::multiprecision::cpp_bin_float<2400>>;

std::vector<double> lognormal_mixed(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 g(seed);
    std::lognormal_distribution<double> ln(12.0, 2.0);
    std::bernoulli_distribution neg(0.3);
    std::vector<double> x(n);
    for (auto& v : x) v = neg(g) ? -ln(g) : ln(g);
    return x;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

TEST_CASE("moments match a 2400-bit reference") {
    auto x = lognormal_mixed(20000, 1);
    x.push_back(1e-300);
    x.push_back(-3e-310);  // subnormal
    x.push_back(1.5e150);
    x.push_back(-1.5e150);
    offroi::streaming_summary s;
    s.add(x.data(), x.size());
    big s1 = 0, s2 = 0;
    for (double v : x) {
        s1 += big(v);
        s2 += big(v) * big(v);
    }
    const big n = big(x.size());
    const big mean = s1 / n;
    const big var = (s2 - s1 * s1 / n) / (n - 1);
    CHECK(s.count() == x.size());
    CHECK(s.sum() == static_cast<double>(s1));
    CHECK(s.mean() == static_cast<double>(mean));
    // Correctly rounded (the exact numerator leaves only a 2^-100 relative error before
    // the final rounding; a tie this close is not in this data).
    CHECK(s.variance() == static_cast<double>(var));
    CHECK(s.standard_deviation() == static_cast<double>(sqrt(var)));
}

TEST_CASE("variance has no cancellation when |mean| / sd is huge") {
    // Costs of 1e9 dollars varying by cents: mean / sd about 3e9.
    std::mt19937_64 g(5);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<double> x(100000);
    for (auto& v : x) v = 1e9 + u(g);
    offroi::streaming_summary s;
    s.add(x.data(), x.size());
    big s1 = 0, s2 = 0;
    for (double v : x) {
        s1 += big(v);
        s2 += big(v) * big(v);
    }
    const big n = big(x.size());
    const big var = (s2 - s1 * s1 / n) / (n - 1);
    CHECK(s.variance() == static_cast<double>(var));
    CHECK(s.mean() == static_cast<double>(s1 / n));
    CHECK(s.standard_error() == doctest::Approx(static_cast<double>(sqrt(var / n))).epsilon(1e-15));
}

TEST_CASE("merge is bitwise order independent") {
    auto x = lognormal_mixed(50000, 2);
    offroi::summary_options o;
    o.thresholds = {0.0, 1e5};
    offroi::streaming_summary whole(o);
    whole.add(x.data(), x.size());
    std::mt19937_64 g(7);
    for (int rep = 0; rep < 20; ++rep) {
        auto y = x;
        std::shuffle(y.begin(), y.end(), g);
        // random split points at any index
        std::vector<std::size_t> cuts = {0, y.size()};
        std::uniform_int_distribution<std::size_t> u(0, y.size());
        for (int k = 0; k < 6; ++k) cuts.push_back(u(g));
        std::sort(cuts.begin(), cuts.end());
        std::vector<offroi::streaming_summary> parts;
        for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
            parts.emplace_back(o);
            parts.back().add(y.data() + cuts[k], cuts[k + 1] - cuts[k]);
        }
        std::shuffle(parts.begin(), parts.end(), g);
        offroi::streaming_summary m(o);
        for (auto& p : parts) m.merge(p);
        CHECK(m == whole);
        CHECK(same_bits(m.mean(), whole.mean()));
        CHECK(same_bits(m.variance(), whole.variance()));
        CHECK(same_bits(m.standard_error(), whole.standard_error()));
        CHECK(same_bits(m.min(), whole.min()));
        CHECK(same_bits(m.max(), whole.max()));
        CHECK(m.mean_ci() == whole.mean_ci());
        for (double p : {0.0, 0.01, 0.1, 0.5, 0.9, 0.99, 1.0}) CHECK(same_bits(m.quantile(p), whole.quantile(p)));
        for (double t : {-1e5, 0.0, 3e4, 1e5, 1e7}) {
            CHECK(same_bits(m.prob_exceed(t), whole.prob_exceed(t)));
            CHECK(same_bits(m.prob_below(t), whole.prob_below(t)));
        }
        for (auto w : {offroi::tail::lower, offroi::tail::upper})
            CHECK(same_bits(m.expected_shortfall(0.05, w), whole.expected_shortfall(0.05, w)));
        const auto hm = m.histogram(30), hw = whole.histogram(30);
        CHECK(hm.counts == hw.counts);
        CHECK(hm.edges == hw.edges);
    }
}

TEST_CASE("edge cases: constants, extremes, empty parts") {
    offroi::streaming_summary c;
    const std::vector<double> same(1000, 0.1);
    c.add(same);
    CHECK(c.mean() == 0.1);
    CHECK(c.variance() == 0.0);
    CHECK(c.standard_error() == 0.0);
    CHECK(c.quantile(0.5) == 0.1);
    CHECK(c.histogram(4).counts == std::vector<std::uint64_t>{1000, 0, 0, 0});

    offroi::streaming_summary big_values;
    const std::vector<double> huge = {DBL_MAX, DBL_MAX, DBL_MAX};
    big_values.add(huge);
    CHECK(big_values.mean() == DBL_MAX);  // the sum overflows a double, the mean does not
    CHECK(big_values.variance() == 0.0);

    offroi::streaming_summary tiny;
    const std::vector<double> sub = {4.9e-324, 9.9e-324, 0.0, -4.9e-324};
    tiny.add(sub);
    CHECK(tiny.mean() == std::ldexp(1.0, -1074) * 2 / 4 * 1);  // exact sum 3 * 2^-1074 - 2^-1074
    CHECK(tiny.variance() >= 0.0);

    // Signed zeros: min and max do not depend on which zero came first.
    offroi::streaming_summary z1, z2;
    z1.add(std::vector<double>{-0.0, 0.0});
    z2.add(std::vector<double>{0.0, -0.0});
    CHECK(same_bits(z1.min(), z2.min()));
    CHECK(same_bits(z1.max(), z2.max()));
    CHECK(z1 == z2);

    // Merging an empty summary changes nothing; merging into an empty one copies.
    auto x = lognormal_mixed(1000, 3);
    offroi::streaming_summary a, e1, e2;
    a.add(x.data(), x.size());
    offroi::streaming_summary b = a;
    b.merge(e1);
    CHECK(b == a);
    e2.merge(a);
    CHECK(e2 == a);
    CHECK(same_bits(e2.quantile(0.3), a.quantile(0.3)));

    // Single values are accepted; statistics needing two values say so.
    offroi::streaming_summary one;
    one.add(5.0);
    CHECK(one.mean() == 5.0);
    CHECK(one.quantile(0.5) == 5.0);
    CHECK_THROWS_WITH_AS(one.variance(), doctest::Contains("at least 2"), offroi::invalid_argument);
}

TEST_CASE("add rejects non-finite values and adds nothing") {
    offroi::streaming_summary s;
    std::vector<double> x = {1.0, 2.0, std::nan(""), 4.0};
    CHECK_THROWS_AS(s.add(x.data(), x.size()), offroi::invalid_argument);
    CHECK(s.count() == 0);
    try {
        s.add(x.data(), x.size());
    } catch (const offroi::invalid_argument& e) {
        CHECK(std::string(e.what()).find("value[2]") != std::string::npos);
    }
    x[2] = INFINITY;
    CHECK_THROWS_AS(s.add(x.data(), x.size()), offroi::invalid_argument);
    CHECK_THROWS_AS(s.mean(), offroi::invalid_argument);
}

}  // namespace stats_streaming_summary_test
