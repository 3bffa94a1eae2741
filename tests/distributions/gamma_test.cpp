#include <doctest/doctest.h>

#include <boost/math/distributions/gamma.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "offroi/distributions/gamma.hpp"
#include "offroi/random.hpp"

#include "distributions/sample_checks.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace distributions_gamma_test {

using namespace offroi_test;


TEST_CASE("gamma: cdf, pdf and quantile agree with Boost.Math, tails included") {
    for (double k : {0.1, 0.3, 1.0, 2.5, 40.0}) {  // 0.1: no table, Boost inverse
        for (double theta : {0.5, 3.0}) {
            offroi::gamma_distribution d(k, theta);
            boost::math::gamma_distribution<double> b(k, theta);
            for (double x : {1e-6, 0.01, 0.5, 1.0, 4.0, 20.0, 150.0}) {
                CHECK(cdf(d, x) == doctest::Approx(boost::math::cdf(b, x)).epsilon(1e-14));
                CHECK(pdf(d, x) == doctest::Approx(boost::math::pdf(b, x)).epsilon(1e-13));
            }
            // Fast quantile: error below 1e-9 relative to max(|x|, IQR) (fast_quantile's bound);
            // exact_quantile is Boost's inverse.
            const double iqr = boost::math::quantile(b, 0.75) - boost::math::quantile(b, 0.25);
            std::vector<double> ps;
            for (double e = -15; e <= -1; e += 0.25) {
                ps.push_back(std::pow(10.0, e));
                ps.push_back(1.0 - std::pow(10.0, e));
            }
            for (int i = 1; i < 200; ++i) ps.push_back(i / 200.0);
            double worst = 0.0;
            for (double p : ps) {
                const double xb = boost::math::quantile(b, p);
                worst = std::max(worst, std::abs(quantile(d, p) - xb) / std::max(std::abs(xb), iqr));
                CHECK(exact_quantile(d, p) == doctest::Approx(xb).epsilon(1e-14));
            }
            CHECK_MESSAGE(worst < 1e-9, "k = " << k << " worst = " << worst);
            std::vector<double> xs(ps.size());
            quantile(d, ps.data(), xs.data(), ps.size());
            std::size_t diff = 0;
            for (std::size_t i = 0; i < ps.size(); ++i) diff += xs[i] != quantile(d, ps[i]);
            CHECK(diff == 0);
            CHECK(mean(d) == doctest::Approx(boost::math::mean(b)).epsilon(1e-15));
            CHECK(variance(d) == doctest::Approx(boost::math::variance(b)).epsilon(1e-15));
        }
    }
    offroi::gamma_distribution d(2.0, 3.0);
    CHECK(quantile(d, 0.0) == 0.0);
    CHECK(std::isinf(quantile(d, 1.0)));
    CHECK(cdf(d, -1.0) == 0.0);
    CHECK(pdf(d, -1.0) == 0.0);
    CHECK(pdf(d, INFINITY) == 0.0);
    CHECK(cdf(d, INFINITY) == 1.0);
    CHECK(support(d).first == 0.0);
    CHECK(std::isinf(support(d).second));
    CHECK(std::isinf(pdf(offroi::gamma_distribution(0.5, 1.0), 0.0)));
    CHECK(pdf(offroi::gamma_distribution(1.0, 2.0), 0.0) == 0.5);
    CHECK(offroi::gamma_distribution(0.3, 1.0).standard_quantile_table().valid());
    CHECK(!offroi::gamma_distribution(0.1, 1.0).standard_quantile_table().valid());
}

TEST_CASE("gamma: draws pass KS against the cdf; mean and variance within 5 SE") {
    for (double k : {0.4, 3.0}) {
        offroi::gamma_distribution d(k, 2.0);
        const auto x = draw(d, 50'000, 2026, "gamma");
        CHECK(ks_sqrt_n(x, [&](double v) { return cdf(d, v); }) < ks_crit);
        const auto m = sample_moments(x);
        CHECK(std::abs(m.mean - mean(d)) < 5 * m.se_mean);
        CHECK(std::abs(m.var - variance(d)) < 5 * m.se_var);
    }
}

TEST_CASE("gamma: from_percentiles returns its percentiles") {
    struct c { double p1, x1, p2, x2; };
    for (auto t : {c{0.1, 20, 0.9, 45}, c{0.05, 1, 0.95, 100}, c{0.5, 10, 0.9, 10.5}, c{0.9, 30, 0.1, 10}}) {
        auto d = offroi::gamma_distribution::from_percentiles({t.p1, t.x1}, {t.p2, t.x2});
        CHECK(exact_quantile(d, t.p1) == doctest::Approx(t.x1).epsilon(1e-10));
        CHECK(exact_quantile(d, t.p2) == doctest::Approx(t.x2).epsilon(1e-10));
        CHECK(quantile(d, t.p2) == doctest::Approx(t.x2).epsilon(1e-9));
    }
    // The exact parameters come back from a gamma's own percentiles.
    offroi::gamma_distribution g(2.7, 4.0);
    auto f = offroi::gamma_distribution::from_percentiles({0.2, exact_quantile(g, 0.2)}, {0.8, exact_quantile(g, 0.8)});
    CHECK(f.shape() == doctest::Approx(2.7).epsilon(1e-10));
    CHECK(f.scale() == doctest::Approx(4.0).epsilon(1e-10));
}

TEST_CASE("gamma: invalid parameters throw invalid_argument naming parameter and value") {
    using G = offroi::gamma_distribution;
    auto msg = thrown_message([] { G(-1.0, 2.0); });
    CHECK(msg.find("gamma_distribution") != std::string::npos);
    CHECK(msg.find("shape = -1") != std::string::npos);
    CHECK(msg.find("> 0") != std::string::npos);
    CHECK(thrown_message([] { G(1.0, 0.0); }).find("scale = 0") != std::string::npos);
    CHECK(thrown_message([] { G(NAN, 1.0); }).find("shape = nan") != std::string::npos);
    CHECK(thrown_message([] { G(1.0, INFINITY); }).find("scale = inf") != std::string::npos);
    G d(2.0, 1.0);
    CHECK(thrown_message([&] { (void)quantile(d, 1.5); }).find("p = 1.5") != std::string::npos);
    CHECK(thrown_message([&] { (void)quantile(d, NAN); }).find("p = nan") != std::string::npos);
    CHECK(thrown_message([&] { (void)cdf(d, NAN); }).find("x = nan") != std::string::npos);
    double p[2] = {0.5, -0.1}, x[2];
    CHECK(thrown_message([&] { quantile(d, p, x, 2); }).find("p[1] = -0.1") != std::string::npos);
    CHECK(thrown_message([] { G::from_percentiles({0.1, 25}, {0.9, 15}); }).find("x at the higher p = 15") !=
          std::string::npos);
    CHECK(thrown_message([] { G::from_percentiles({0.1, -2}, {0.9, 10}); }).find("first point x = -2") !=
          std::string::npos);
    CHECK(thrown_message([] { G::from_percentiles({0.1, 2}, {1.0, 10}); }).find("second point p = 1") !=
          std::string::npos);
    CHECK(thrown_message([] { G::from_percentiles({0.5, 2}, {0.5, 10}); }).find("second point p = 0.5") !=
          std::string::npos);
    CHECK(thrown_message([] { G::from_percentiles({0.1, 1}, {0.9, 1e300}); }).find("more skewed") !=
          std::string::npos);
}

}  // namespace distributions_gamma_test
