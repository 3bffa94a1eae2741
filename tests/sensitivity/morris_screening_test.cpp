#include <doctest/doctest.h>

#include <boost/math/distributions/normal.hpp>

#include <Eigen/Core>

#include <cmath>
#include <span>
#include <vector>

#include "offroi/random/philox.hpp"
#include "offroi/sensitivity/morris_screening.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace sensitivity_morris_screening_test {

namespace {

struct g_function {
    std::vector<double> a;
    double operator()(std::span<const double> x) const {
        double p = 1.0;
        for (std::size_t i = 0; i < a.size(); ++i)
            p *= (std::abs(4.0 * x[i] - 2.0) + a[i]) / (1.0 + a[i]);
        return p;
    }
};

}  // namespace

TEST_CASE("linear model: mu = mu* = coefficient, sigma = 0") {
    struct lin {
        void operator()(const Eigen::MatrixXd& X, Eigen::VectorXd& y) const {
            y = X.col(0) - 2.0 * X.col(1) + 3.0 * X.col(2);
        }
    };
    offroi::morris_options o;
    o.trajectories = 10;
    o.levels = 6;
    o.seed = 3;
    const auto r = offroi::morris_screening(lin{}, 3, o);
    const double c[3] = {1.0, -2.0, 3.0};
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(r.mu[i] == doctest::Approx(c[i]).epsilon(1e-12));
        CHECK(r.mu_star[i] == doctest::Approx(std::abs(c[i])).epsilon(1e-12));
        CHECK(r.sigma[i] == doctest::Approx(0.0).epsilon(1e-9));
    }
    CHECK(r.order == std::vector<std::size_t>{2, 1, 0});
    CHECK(r.evaluations == 40);
}

TEST_CASE("Morris ranks the G-function inputs in order of importance (mu*)") {
    const g_function g{{0, 1, 4.5, 9, 99, 99, 99, 99}};
    offroi::morris_options o;
    o.trajectories = 100;
    o.levels = 4;
    o.seed = 1;
    const auto r = offroi::morris_screening(g, 8, o);
    CHECK(r.order[0] == 0);
    CHECK(r.order[1] == 1);
    CHECK(r.order[2] == 2);
    CHECK(r.order[3] == 3);
    // Inputs with a = 99 are negligible next to x1.
    for (std::size_t i = 4; i < 8; ++i) CHECK(r.mu_star[i] < 0.05 * r.mu_star[0]);
    // With 4 levels at probabilities 1/8, 3/8, 5/8, 7/8, x1 (a = 0) moves between levels
    // 0 <-> 2 or 1 <-> 3: |4x - 2| goes 1.5 <-> 0.5 or 0.5 <-> 1.5, so |EE| = 2 * prod of
    // the other factors; E|EE_1| = 2 E prod_{j>1} g_j = 2 (each factor averages 1 over the
    // symmetric levels). Check within 5 SE (SE = sigma / sqrt(r)).
    CHECK(std::abs(r.mu_star[0] - 2.0) < 5.0 * r.sigma[0] / std::sqrt(100.0) + 1e-12);
}

TEST_CASE("normal inputs work through their quantiles, and results do not depend on threads") {
    auto f = [](std::span<const double> x) { return x[0] * x[1] + 0.1 * x[2]; };
    const std::vector<boost::math::normal_distribution<>> in = {{0, 1}, {1, 2}, {0, 1}};
    offroi::morris_options o;
    o.trajectories = 37;
    o.levels = 8;
    o.seed = 42;
    o.threads = 1;
    const auto a = offroi::morris_screening(f, in, o);
    o.threads = 3;
    const auto b = offroi::morris_screening(f, in, o);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(a.mu[i] == b.mu[i]);
        CHECK(a.mu_star[i] == b.mu_star[i]);
        CHECK(a.sigma[i] == b.sigma[i]);
    }
    CHECK(a.order.back() == 2);
    o.seed = 43;
    const auto c = offroi::morris_screening(f, in, o);
    CHECK(c.mu_star[0] != a.mu_star[0]);
}

TEST_CASE("Campolongo selection keeps a spread at least that of the first r candidates") {
    const std::size_t d = 6, r = 10, m = 60;
    const offroi::philox_stream s(9, offroi::stream_id("morris_screening"));
    auto spread = [&](const std::vector<std::size_t>& ids) {
        std::vector<std::vector<unsigned>> lv(ids.size());
        std::vector<std::size_t> moved;
        std::vector<int> dir;
        for (std::size_t k = 0; k < ids.size(); ++k)
            offroi::detail::morris_trajectory(s, ids[k], d, 4, lv[k], moved, dir);
        double sum = 0.0;
        for (std::size_t a = 0; a < ids.size(); ++a)
            for (std::size_t b = a + 1; b < ids.size(); ++b) {
                const double x = offroi::detail::trajectory_distance(lv[a], lv[b], d);
                sum += x * x;
            }
        return std::sqrt(sum);
    };
    const auto chosen = offroi::detail::select_trajectories(s, d, 4, r, m);
    REQUIRE(chosen.size() == r);
    std::vector<std::size_t> first(r);
    for (std::size_t k = 0; k < r; ++k) first[k] = k;
    CHECK(spread(chosen) > spread(first));

    const g_function g{{0, 1, 4.5, 9, 99, 99}};
    offroi::morris_options o;
    o.trajectories = r;
    o.candidate_trajectories = m;
    o.seed = 9;
    const auto res = offroi::morris_screening(g, d, o);
    CHECK(res.trajectory_ids == chosen);
    CHECK(res.order[0] == 0);
    CHECK(res.order[1] == 1);
    CHECK(res.evaluations == r * (d + 1));
}

TEST_CASE("Morris rejects bad options") {
    auto f = [](std::span<const double> x) { return x[0]; };
    offroi::morris_options o;
    o.levels = 5;
    CHECK_THROWS_WITH_AS(offroi::morris_screening(f, 2, o), doctest::Contains("levels = 5"),
                         offroi::invalid_argument);
    o.levels = 0;
    CHECK_THROWS_AS(offroi::morris_screening(f, 2, o), offroi::invalid_argument);
    o.levels = 4;
    o.trajectories = 1;
    CHECK_THROWS_AS(offroi::morris_screening(f, 2, o), offroi::invalid_argument);
    CHECK_THROWS_AS(offroi::morris_screening(f, 0), offroi::invalid_argument);
    o.trajectories = 4;
    o.candidate_trajectories = 4;
    CHECK_THROWS_WITH_AS(offroi::morris_screening(f, 2, o),
                         doctest::Contains("candidate_trajectories = 4"), offroi::invalid_argument);
    o.candidate_trajectories = 0;
    o.names = {"x"};
    CHECK_THROWS_AS(offroi::morris_screening(f, 2, o), offroi::invalid_argument);
}

}  // namespace sensitivity_morris_screening_test
