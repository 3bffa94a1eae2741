#include <doctest/doctest.h>

#include <boost/math/distributions/weibull.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "offroi/distributions/weibull.hpp"
#include "offroi/random.hpp"

#include "distributions/sample_checks.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace distributions_weibull_test {

using namespace offroi_test;


TEST_CASE("weibull: cdf, pdf and quantile agree with Boost.Math, tails included") {
    for (double k : {0.5, 1.0, 1.7, 8.0}) {
        for (double lambda : {0.5, 30.0}) {
            offroi::weibull_distribution d(k, lambda);
            boost::math::weibull_distribution<double> b(k, lambda);
            for (double x : {1e-6, 0.01, 0.5, 1.0, 4.0, 20.0, 150.0}) {
                CHECK(cdf(d, x) == doctest::Approx(boost::math::cdf(b, x)).epsilon(1e-14));
                CHECK(pdf(d, x) == doctest::Approx(boost::math::pdf(b, x)).epsilon(1e-13));
            }
            for (double p : {1e-12, 1e-6, 0.01, 0.1, 0.5, 0.9, 0.99, 1 - 1e-6, 1 - 1e-12}) {
                CHECK(quantile(d, p) == doctest::Approx(boost::math::quantile(b, p)).epsilon(1e-13));
                double x = 0.0;
                quantile(d, &p, &x, 1);
                CHECK(x == quantile(d, p));
            }
            CHECK(mean(d) == doctest::Approx(boost::math::mean(b)).epsilon(1e-14));
            CHECK(variance(d) == doctest::Approx(boost::math::variance(b)).epsilon(1e-12));
        }
    }
    // Large shape: the variance formula avoids cancellation (pi^2/6 lambda^2 / k^2 asymptotically).
    offroi::weibull_distribution big(1e4, 1.0);
    CHECK(variance(big) == doctest::Approx(1.6449340668482264e-8).epsilon(1e-3));
    offroi::weibull_distribution d(2.0, 3.0);
    CHECK(quantile(d, 0.0) == 0.0);
    CHECK(std::isinf(quantile(d, 1.0)));
    CHECK(cdf(d, -1.0) == 0.0);
    CHECK(pdf(d, INFINITY) == 0.0);
    CHECK(cdf(d, INFINITY) == 1.0);
    CHECK(support(d).first == 0.0);
    CHECK(std::isinf(pdf(offroi::weibull_distribution(0.5, 1.0), 0.0)));
    CHECK(pdf(offroi::weibull_distribution(1.0, 4.0), 0.0) == 0.25);
}

TEST_CASE("weibull: draws pass KS against the cdf; mean and variance within 5 SE") {
    for (double k : {0.8, 3.0}) {
        offroi::weibull_distribution d(k, 12.0);
        const auto x = draw(d, 50'000, 2026, "weibull");
        CHECK(ks_sqrt_n(x, [&](double v) { return cdf(d, v); }) < ks_crit);
        const auto m = sample_moments(x);
        CHECK(std::abs(m.mean - mean(d)) < 5 * m.se_mean);
        CHECK(std::abs(m.var - variance(d)) < 5 * m.se_var);
    }
}

TEST_CASE("weibull: from_percentiles returns its percentiles and recovers parameters") {
    struct c { double p1, x1, p2, x2; };
    for (auto t : {c{0.1, 20, 0.9, 45}, c{0.05, 1, 0.95, 100}, c{0.5, 10, 0.9, 10.5}, c{0.9, 30, 0.1, 10}}) {
        auto d = offroi::weibull_distribution::from_percentiles({t.p1, t.x1}, {t.p2, t.x2});
        CHECK(quantile(d, t.p1) == doctest::Approx(t.x1).epsilon(1e-12));
        CHECK(quantile(d, t.p2) == doctest::Approx(t.x2).epsilon(1e-12));
    }
    offroi::weibull_distribution w(1.3, 7.0);
    auto f = offroi::weibull_distribution::from_percentiles({0.2, quantile(w, 0.2)}, {0.8, quantile(w, 0.8)});
    CHECK(f.shape() == doctest::Approx(1.3).epsilon(1e-12));
    CHECK(f.scale() == doctest::Approx(7.0).epsilon(1e-12));
}

TEST_CASE("weibull: invalid parameters throw invalid_argument naming parameter and value") {
    using W = offroi::weibull_distribution;
    auto msg = thrown_message([] { W(-1.5, 2.0); });
    CHECK(msg.find("weibull_distribution") != std::string::npos);
    CHECK(msg.find("shape = -1.5") != std::string::npos);
    CHECK(thrown_message([] { W(1.0, -3.0); }).find("scale = -3") != std::string::npos);
    CHECK(thrown_message([] { W(NAN, 1.0); }).find("shape = nan") != std::string::npos);
    W d(2.0, 1.0);
    CHECK(thrown_message([&] { (void)quantile(d, -0.5); }).find("p = -0.5") != std::string::npos);
    double p[2] = {0.5, 2.5}, x[2];
    CHECK(thrown_message([&] { quantile(d, p, x, 2); }).find("p[1] = 2.5") != std::string::npos);
    CHECK(thrown_message([&] { (void)pdf(d, NAN); }).find("x = nan") != std::string::npos);
    CHECK(thrown_message([] { W::from_percentiles({0.1, 25}, {0.9, 15}); }).find("x at the higher p = 15") !=
          std::string::npos);
    CHECK(thrown_message([] { W::from_percentiles({0.0, 2}, {0.9, 15}); }).find("first point p = 0") !=
          std::string::npos);
    CHECK(thrown_message([] { W::from_percentiles({0.1, 2}, {0.9, 0}); }).find("second point x = 0") !=
          std::string::npos);
}

}  // namespace distributions_weibull_test
