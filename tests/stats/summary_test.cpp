#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "offroi/error.hpp"
#include "offroi/stats/summary.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace stats_summary_test {

TEST_CASE("summarize: exact from samples, sketch without, within the sketch bound") {
    std::mt19937_64 g(21);
    std::lognormal_distribution<double> cost(13.0, 0.8);
    std::vector<double> x(100000);
    for (auto& v : x) v = 4e5 - cost(g);  // net benefit: mostly positive, a loss tail
    offroi::streaming_summary s;
    s.add(x.data(), x.size());
    offroi::summary_request req;
    req.percentiles = {0.05, 0.5, 0.95};
    const auto e = offroi::summarize(s, x, req);
    const auto k = offroi::summarize(s, {}, req);
    CHECK(e.exact);
    CHECK(!k.exact);
    CHECK(e.count == x.size());
    REQUIRE(e.percentiles.size() == 5);  // P10, P50, P90, P5, P95
    CHECK(e.percentiles[0].p == 0.1);
    CHECK(e.percentiles[3].p == 0.05);
    const offroi::sorted_sample ss(x);
    for (std::size_t i = 0; i < e.percentiles.size(); ++i) {
        const double p = e.percentiles[i].p;
        CHECK(e.percentiles[i].value == ss.quantile(p));
        CHECK(e.percentiles[i].ci == ss.quantile_ci(p));
        CHECK(e.percentiles[i].ci.contains(e.percentiles[i].value));
        const double tol = 1e-3 * std::max(std::abs(e.percentiles[i].ci.lower), std::abs(e.percentiles[i].ci.upper));
        CHECK(std::abs(k.percentiles[i].value - e.percentiles[i].value) <= tol);
        CHECK(std::abs(k.percentiles[i].ci.lower - e.percentiles[i].ci.lower) <= 1e-3 * std::abs(e.percentiles[i].ci.lower));
        CHECK(std::abs(k.percentiles[i].ci.upper - e.percentiles[i].ci.upper) <= 1e-3 * std::abs(e.percentiles[i].ci.upper));
    }
    CHECK(e.percentile(0.95).value == ss.quantile(0.95));
    CHECK_THROWS_AS(e.percentile(0.42), offroi::invalid_argument);
    CHECK(e.mean == k.mean);
    CHECK(e.mean == s.mean());
    CHECK(e.standard_error == s.standard_error());
    CHECK(e.mean_ci == s.mean_ci());
    CHECK(e.prob_negative == ss.prob_below(0.0));
    CHECK(k.prob_negative == e.prob_negative);
    CHECK(e.prob_negative > 0.0);
    CHECK(e.expected_shortfall == ss.expected_shortfall(0.05, offroi::tail::lower));
    CHECK(e.expected_shortfall < 0.0);
    CHECK(std::abs(k.expected_shortfall - e.expected_shortfall) <= 1e-3 * std::abs(e.expected_shortfall));
    CHECK(e.min == ss.min());
    CHECK(e.max == ss.max());
}

TEST_CASE("summarize rejects bad requests and mismatched samples") {
    std::vector<double> x = {1, 2, 3, 4};
    offroi::streaming_summary s;
    s.add(x.data(), x.size());
    offroi::summary_request r;
    r.percentiles = {1.0};
    CHECK_THROWS_WITH_AS(offroi::summarize(s, x, r), doctest::Contains("percentiles[0]"), offroi::invalid_argument);
    r = {};
    r.confidence_level = 1.5;
    CHECK_THROWS_WITH_AS(offroi::summarize(s, x, r), doctest::Contains("confidence_level"), offroi::invalid_argument);
    r = {};
    r.shortfall_alpha = 0;
    CHECK_THROWS_WITH_AS(offroi::summarize(s, x, r), doctest::Contains("alpha"), offroi::invalid_argument);
    std::vector<double> y = {1, 2, 3};
    CHECK_THROWS_WITH_AS(offroi::summarize(s, y), doctest::Contains("samples.size()"), offroi::invalid_argument);
    offroi::streaming_summary one;
    one.add(1.0);
    CHECK_THROWS_AS(offroi::summarize(one, {}), offroi::invalid_argument);
}

}  // namespace stats_summary_test
