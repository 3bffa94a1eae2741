#include <doctest/doctest.h>

#include <cmath>
#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "offroi/decision/decision_curves.hpp"
#include "offroi/distributions/detail/normal_math.hpp"
#include "offroi/random/philox.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace decision_decision_curves_test {

// Known-answer checks allow 3 of the reported standard errors (see value_of_information_test).

namespace {

using cols = std::vector<std::vector<double>>;

std::vector<double> normals(std::size_t n, std::uint64_t seed, const char* name, double mean, double sd) {
    offroi::philox_stream s(seed, offroi::stream_id(name));
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = mean + sd * offroi::detail::normal_quantile(s.uniform(i));
    return v;
}

double phi(double z) { return 0.3989422804014327 * std::exp(-0.5 * z * z); }
double Phi(double z) { return offroi::detail::normal_cdf(z); }

}  // namespace

TEST_CASE("a linear threshold decision: acceptability and EVPI curves match the closed form") {
    // Option 0: NB 0. Option 1: NB(l) = A + l B with A ~ N(-3, 2^2), B ~ N(1, 0.5^2) independent,
    // so INB(l) ~ N(m, s^2), m = -3 + l, s^2 = 4 + 0.25 l^2: P(option 1 best) = Phi(m / s),
    // EVPI(l) = s phi(m / s) - |m| Phi(-|m| / s), and the optimal option switches at l = 3.
    const std::size_t n = 200000;
    const cols a{std::vector<double>(n, 0.0), normals(n, 1, "a", -3.0, 2.0)};
    const cols b{std::vector<double>(n, 0.0), normals(n, 1, "b", 1.0, 0.5)};
    const auto grid = offroi::threshold_grid(0.0, 6.0, 13);
    CHECK(grid.size() == 13);
    CHECK(grid[6] == 3.0);
    CHECK(grid.back() == 6.0);
    const auto c = offroi::decision_curves(a, b, grid);
    REQUIRE(c.points.size() == 13);
    for (std::size_t k = 0; k < grid.size(); ++k) {
        const double l = grid[k], m = -3.0 + l, s = std::sqrt(4.0 + 0.25 * l * l);
        const auto& p = c.points[k];
        CAPTURE(l);
        CHECK(std::fabs(p.p_best[1].value - Phi(m / s)) <= 3.0 * p.p_best[1].se + 1e-9);
        const double evpi = s * phi(m / s) - std::fabs(m) * Phi(-std::fabs(m) / s);
        CHECK(std::fabs(p.evpi.value - evpi) <= 3.0 * p.evpi.se);
        // The identity EVPI = min_d expected loss, exactly.
        CHECK(p.evpi.value == std::min(p.expected_loss[0].value, p.expected_loss[1].value));
        CHECK(p.p_best[0].value + p.p_best[1].value == doctest::Approx(1.0).epsilon(1e-12));
        if (std::fabs(m) > 0.1) CHECK(p.best == (m > 0 ? 1u : 0u));
    }
    CHECK(c.optimal().front() == 0);
    CHECK(c.optimal().back() == 1);
    CHECK(c.evpi()[6] == c.points[6].evpi.value);
    CHECK(c.p_best(1)[12] == c.points[12].p_best[1].value);
    // The EVPI curve peaks where the decision is closest (l = 3).
    const auto e = c.evpi();
    CHECK(std::max_element(e.begin(), e.end()) - e.begin() == 6);
}

TEST_CASE("curves with three options: each point equals decision_summary of a + l b") {
    const std::size_t n = 5000;
    const cols a{normals(n, 2, "a0", 0, 1), normals(n, 2, "a1", 0.5, 1), normals(n, 2, "a2", 1, 2)};
    const cols b{std::vector<double>(n, 0.0), std::vector<double>(n, -1.0), std::vector<double>(n, -1.0)};
    const std::vector<double> grid{-1.0, 0.0, 0.5, 2.0};
    const auto c = offroi::decision_curves(a, b, grid);
    for (std::size_t k = 0; k < grid.size(); ++k) {
        cols nb = a;
        for (std::size_t d = 1; d < 3; ++d)
            for (auto& v : nb[d]) v -= grid[k];
        const auto s = offroi::decision_summary(nb);
        for (std::size_t d = 0; d < 3; ++d) {
            CHECK(c.points[k].p_best[d].value == s.p_best[d].value);
            CHECK(c.points[k].expected_loss[d].value == s.expected_loss[d].value);
        }
        CHECK(c.points[k].best == s.best);
    }
    // A required saving makes the alternatives less attractive: P(baseline best) rises with l.
    const auto p0 = c.p_best(0);
    for (std::size_t k = 1; k < p0.size(); ++k) CHECK(p0[k] >= p0[k - 1]);
}

TEST_CASE("decision curves: bad input") {
    auto msg = [](auto&& f) -> std::string {
        try {
            f();
        } catch (const offroi::invalid_argument& e) {
            return e.what();
        }
        return "no throw";
    };
    const cols a{std::vector<double>(10, 0.0), std::vector<double>(10, 1.0)};
    const std::vector<double> g{0.0, 1.0};
    CHECK(msg([&] { offroi::decision_curves(a, cols{std::vector<double>(10, 0.0)}, g); }) ==
          "offroi::decision_curves: b (options) = 1 is invalid; must equal the options of a, 2");
    CHECK(msg([&] { offroi::decision_curves(a, cols{std::vector<double>(10, 0.0), std::vector<double>(9, 0.0)}, g); }) ==
          "offroi::decision_curves: b[1] length = 9 is invalid; must equal the length of a[0], 10");
    CHECK(msg([&] { offroi::decision_curves(a, a, std::vector<double>{}); }) ==
          "offroi::decision_curves: lambda (thresholds) = 0 is invalid; must be >= 1 threshold");
    CHECK(msg([&] { offroi::decision_curves(a, a, std::vector<double>{std::nan("")}); }) ==
          "offroi::decision_curves: lambda[0] = nan is invalid; must be finite");
    CHECK(msg([&] { offroi::threshold_grid(5.0, 1.0, 3); }) == "offroi::threshold_grid: to = 1 is invalid; must be >= from (5)");
    CHECK(msg([&] { offroi::threshold_grid(0.0, 1.0, 0); }) == "offroi::threshold_grid: steps = 0 is invalid; must be in 1 .. 10000");
    CHECK(msg([&] { offroi::threshold_grid(0.0, 1.0, 1); }) == "offroi::threshold_grid: steps = 1 is invalid; must be >= 2 when to > from");
    CHECK(offroi::threshold_grid(2.0, 2.0, 1) == std::vector<double>{2.0});
}

}  // namespace decision_decision_curves_test
