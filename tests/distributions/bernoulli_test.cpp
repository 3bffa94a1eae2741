#include <doctest/doctest.h>

#include <boost/math/distributions/bernoulli.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "offroi/distributions/bernoulli.hpp"
#include "offroi/random.hpp"

#include "distributions/sample_checks.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace distributions_bernoulli_test {

using namespace offroi_test;

TEST_CASE("bernoulli: pmf, cdf and quantile agree with Boost.Math") {
    for (double p : {0.0, 0.03, 0.5, 0.9, 1.0}) {
        offroi::bernoulli_distribution d(p);
        boost::math::bernoulli_distribution<double> b(p);
        CHECK(pmf(d, 0.0) == doctest::Approx(boost::math::pdf(b, 0)).epsilon(1e-15));
        CHECK(pmf(d, 1.0) == doctest::Approx(boost::math::pdf(b, 1)).epsilon(1e-15));
        CHECK(pmf(d, 0.5) == 0.0);
        CHECK(cdf(d, 0.0) == doctest::Approx(boost::math::cdf(b, 0)).epsilon(1e-15));
        CHECK(cdf(d, 0.7) == cdf(d, 0.0));
        CHECK(cdf(d, 1.0) == 1.0);
        CHECK(cdf(d, -0.1) == 0.0);
        CHECK(mean(d) == doctest::Approx(boost::math::mean(b)));
        CHECK(variance(d) == doctest::Approx(boost::math::variance(b)));
        // Smallest k with cdf(k) >= u.
        for (double u : {1e-9, 0.02, 0.1, 0.5, 0.95, 1 - 1e-9}) {
            const double k = quantile(d, u);
            CHECK(cdf(d, k) >= u);
            if (k > 0) CHECK(cdf(d, k - 1) < u);
        }
    }
    offroi::bernoulli_distribution d(0.25);
    CHECK(quantile(d, 0.75) == 0.0);               // boundary: cdf(0) = 0.75 >= 0.75
    CHECK(quantile(d, std::nextafter(0.75, 1.0)) == 1.0);
    CHECK(support(d).first == 0.0);
    CHECK(support(d).second == 1.0);
}

TEST_CASE("bernoulli: draws pass a chi-square test; mean within 5 SE") {
    offroi::bernoulli_distribution d(0.137);
    const std::size_t n = 200'000;
    const auto x = draw(d, n, 2026, "bernoulli");
    double ones = 0.0;
    std::size_t other = 0;
    for (double v : x) {
        other += (v != 0.0 && v != 1.0);
        ones += v;
    }
    CHECK(other == 0);
    const double e1 = n * 0.137, e0 = n * (1 - 0.137);
    const double chi2 = (ones - e1) * (ones - e1) / e1 + (n - ones - e0) * (n - ones - e0) / e0;
    CHECK(chi2 < chi_square_critical_999(1));
    const auto m = sample_moments(x);
    CHECK(std::abs(m.mean - mean(d)) < 5 * std::sqrt(variance(d) / n));
    CHECK(std::abs(m.var - variance(d)) < 5 * m.se_var);
}

TEST_CASE("bernoulli: invalid parameters throw invalid_argument naming parameter and value") {
    auto msg = thrown_message([] { (void)offroi::bernoulli_distribution(1.25); });
    CHECK(msg.find("bernoulli_distribution") != std::string::npos);
    CHECK(msg.find("p = 1.25") != std::string::npos);
    CHECK(msg.find("[0, 1]") != std::string::npos);
    CHECK(thrown_message([] { (void)offroi::bernoulli_distribution(-0.5); }).find("p = -0.5") != std::string::npos);
    CHECK(thrown_message([] { (void)offroi::bernoulli_distribution(NAN); }).find("p = nan") != std::string::npos);
    offroi::bernoulli_distribution d(0.5);
    CHECK(thrown_message([&] { (void)quantile(d, 1.5); }).find("p = 1.5") != std::string::npos);
    double p[2] = {0.5, NAN}, x[2];
    CHECK(thrown_message([&] { quantile(d, p, x, 2); }).find("p[1] = nan") != std::string::npos);
    CHECK(thrown_message([&] { (void)cdf(d, NAN); }).find("x = nan") != std::string::npos);
}

}  // namespace distributions_bernoulli_test
