#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include <boost/multiprecision/cpp_bin_float.hpp>

#include "offroi/error.hpp"
#include "offroi/stats/streaming_summary.hpp"

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
    const double rv = static_cast<double>(var);
    CHECK(std::abs(s.variance() - rv) <= 2e-16 * rv);
    CHECK(std::abs(s.standard_deviation() - static_cast<double>(sqrt(var))) <=
          2e-16 * static_cast<double>(sqrt(var)));
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
    }
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
