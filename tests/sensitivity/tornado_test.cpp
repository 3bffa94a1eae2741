#include <doctest/doctest.h>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/uniform.hpp>

#include <Eigen/Core>

#include <cmath>
#include <span>
#include <vector>

#include "offroi/sensitivity/tornado.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace sensitivity_tornado_test {

TEST_CASE("tornado of a linear model: exact swings, sorted") {
    // f = 1 x1 - 5 x2 + 3 x3 + 0 x4, x_i ~ U(0, 10): P10 = 1, P90 = 9, P50 = 5.
    auto f = [](std::span<const double> x) { return x[0] - 5.0 * x[1] + 3.0 * x[2] + 0.0 * x[3]; };
    const std::vector<boost::math::uniform_distribution<>> in(4, {0.0, 10.0});
    const auto t = offroi::tornado(f, in, {.names = {"a", "b", "c", "d"}});
    REQUIRE(t.bars.size() == 4);
    CHECK(t.base_output == doctest::Approx(5.0 - 25.0 + 15.0));
    CHECK(t.bars[0].name == "b");
    CHECK(t.bars[1].name == "c");
    CHECK(t.bars[2].name == "a");
    CHECK(t.bars[3].name == "d");
    CHECK(t.bars[0].swing == doctest::Approx(40.0));
    CHECK(t.bars[1].swing == doctest::Approx(24.0));
    CHECK(t.bars[2].swing == doctest::Approx(8.0));
    CHECK(t.bars[3].swing == 0.0);
    CHECK(t.bars[0].low_input == doctest::Approx(1.0));
    CHECK(t.bars[0].high_input == doctest::Approx(9.0));
    CHECK(t.bars[0].output_at_low == doctest::Approx(-5.0 + 5.0 + 15.0));
    CHECK(t.bars[0].output_at_high > -100.0);
    CHECK(t.bars[0].output_at_high == doctest::Approx(5.0 - 45.0 + 15.0));
}

TEST_CASE("tornado on a batch model with normal inputs and custom levels") {
    // y = exp(x1) + x2^3, x1 ~ N(0, 1), x2 ~ N(0, 0.5): P5/P95 = +-1.6449 sd.
    struct model {
        void operator()(const Eigen::MatrixXd& X, Eigen::VectorXd& y) const {
            y = X.col(0).array().exp() + X.col(1).array().cube();
        }
    };
    const std::vector<boost::math::normal_distribution<>> in = {{0.0, 1.0}, {0.0, 0.5}};
    offroi::tornado_options o;
    o.low_probability = 0.05;
    o.high_probability = 0.95;
    const auto t = offroi::tornado(model{}, in, o);
    const double z = 1.6448536269514722;
    const double s1 = std::exp(z) - std::exp(-z);
    const double s2 = 2.0 * std::pow(0.5 * z, 3);
    CHECK(t.bars[0].input == 0);
    CHECK(t.bars[0].swing == doctest::Approx(s1).epsilon(1e-12));
    CHECK(t.bars[1].swing == doctest::Approx(s2).epsilon(1e-12));
    CHECK(t.base_output == doctest::Approx(1.0));
}

TEST_CASE("tornado rejects bad levels and inputs") {
    auto f = [](std::span<const double> x) { return x[0]; };
    const std::vector<boost::math::uniform_distribution<>> in(1, {0.0, 1.0});
    offroi::tornado_options o;
    o.low_probability = 0.0;
    CHECK_THROWS_WITH_AS(offroi::tornado(f, in, o), doctest::Contains("low_probability = 0"),
                         offroi::invalid_argument);
    o.low_probability = 0.9;
    o.high_probability = 0.1;
    CHECK_THROWS_AS(offroi::tornado(f, in, o), offroi::invalid_argument);
    CHECK_THROWS_AS(offroi::tornado(f, std::vector<boost::math::uniform_distribution<>>{}),
                    offroi::invalid_argument);
    CHECK_THROWS_AS(offroi::tornado(f, in, {.names = {"a", "b"}}), offroi::invalid_argument);
    auto bad = [](std::span<const double> x) { return std::log(x[0] - 0.5); };
    CHECK_THROWS_AS(offroi::tornado(bad, in), offroi::numerical_error);
}

}  // namespace sensitivity_tornado_test
