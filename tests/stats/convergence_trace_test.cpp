#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "offroi/error.hpp"
#include "offroi/random.hpp"
#include "offroi/stats/convergence_trace.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace stats_convergence_trace_test {

TEST_CASE("trace records checkpoints and settles like 1/sqrt(n)") {
    offroi::convergence_trace tr({0.1, 0.9});
    offroi::streaming_summary s;
    const std::size_t block = 1000;
    std::vector<double> x(block);
    for (std::uint64_t b = 0; b < 64; ++b) {
        for (std::size_t i = 0; i < block; ++i) x[i] = offroi::uniform01(3, 1, b * block + i, 0);
        s.add(x.data(), x.size());
        tr.record(s);
    }
    REQUIRE(tr.points().size() == 64);
    const auto& last = tr.points().back();
    CHECK(last.trials == 64000);
    CHECK(last.mean == s.mean());
    CHECK(last.quantiles[1] == s.quantile(0.9));
    // Standard error of a uniform mean: sqrt(1/12 / n), within sampling error of s.
    CHECK(last.standard_error == doctest::Approx(std::sqrt(1.0 / 12 / 64000)).epsilon(0.02));
    CHECK(tr.points()[0].standard_error > 7 * last.standard_error);  // sqrt(64) = 8
    // Over the last 16 checkpoints the estimates move by at most 4.5 standard errors of the
    // difference to the final one: Var(m_i - m_N) = s^2 (1/n_i - 1/N), and for the uniform
    // p-quantile p (1 - p) (1/n_i - 1/N) (density 1). The quantiles are the sketch's, each
    // within alpha = 1e-3 relative of the sample quantile (streaming_summary's default
    // DDSketch), so a difference of two may also be off by up to alpha (|q_i| + |q_N|).
    const double N = 64000, alpha = offroi::summary_options{}.sketch_relative_accuracy;
    double manual = 0;
    for (std::size_t i = 48; i < 63; ++i) {
        const auto& pt = tr.points()[i];
        const double f = 1.0 / static_cast<double>(pt.trials) - 1.0 / N;
        CHECK(std::abs(pt.mean - last.mean) <= 4.5 * std::sqrt(f / 12));
        for (std::size_t q = 0; q < 2; ++q)
            CHECK(std::abs(pt.quantiles[q] - last.quantiles[q]) <=
                  4.5 * std::sqrt(0.09 * f) + alpha * (pt.quantiles[q] + last.quantiles[q]));
        manual = std::max({manual, std::abs(pt.mean - last.mean) / last.mean,
                           std::abs(pt.quantiles[0] - last.quantiles[0]) / last.quantiles[0],
                           std::abs(pt.quantiles[1] - last.quantiles[1]) / last.quantiles[1]});
    }
    CHECK(tr.max_relative_change(15) == manual);
    CHECK(manual > 0.0);
    CHECK_THROWS_AS(tr.record(s), offroi::invalid_argument);  // no new trials
    CHECK_THROWS_AS(offroi::convergence_trace({1.0}), offroi::invalid_argument);
    CHECK_THROWS_AS(offroi::convergence_trace({0.5}, 0.0), offroi::invalid_argument);
}

}  // namespace stats_convergence_trace_test
