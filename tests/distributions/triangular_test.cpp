#include "offroi/distributions/triangular.hpp"

#include <doctest/doctest.h>

#include <boost/math/distributions/triangular.hpp>

#include <cmath>
#include <vector>

#include "distributions/sample_checks.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace distributions_triangular_test {

using offroi::triangular_distribution;

TEST_CASE("triangular: quantile, cdf, pdf against Boost; VALIDATION.md moments") {
    const double shapes[][3] = {{2.0, 3.0, 7.0}, {0.0, 0.0, 1.0}, {-5.0, 4.0, 4.0}, {10.0, 30.0, 100.0}};
    for (const auto& s : shapes) {
        const triangular_distribution d(s[0], s[1], s[2]);
        const boost::math::triangular_distribution<double> b(s[0], s[1], s[2]);
        double worst = 0.0;
        for (double e = -15.0; e < -0.3; e += 0.01)
            for (double p : {std::pow(10.0, e), 1.0 - std::pow(10.0, e)}) {
                const double want = boost::math::quantile(b, p);
                worst = std::max(worst, std::fabs(quantile(d, p) - want) / std::max(std::fabs(want), 1e-300));
            }
        MESSAGE("triangular(" << s[0] << ", " << s[1] << ", " << s[2] << ") quantile worst rel err " << worst);
        CHECK(worst < 1e-13);
        for (double x = s[0] - 1.0; x <= s[2] + 1.0; x += (s[2] - s[0]) / 997.0) {
            CHECK(cdf(d, x) == doctest::Approx(boost::math::cdf(b, x)).epsilon(1e-13));
            CHECK(pdf(d, x) == doctest::Approx(boost::math::pdf(b, x)).epsilon(1e-13));
        }
        const double a = s[0], m = s[1], c = s[2];
        CHECK(mean(d) == doctest::Approx((a + m + c) / 3.0).epsilon(1e-15));
        CHECK(variance(d) ==
              doctest::Approx((a * a + c * c + m * m - a * c - a * m - c * m) / 18.0).epsilon(1e-14));
        CHECK(variance(d) == doctest::Approx(boost::math::variance(b)).epsilon(1e-13));
        CHECK(quantile(d, 0.0) == a);
        CHECK(quantile(d, 1.0) == c);
    }
}

TEST_CASE("triangular: KS and sample moments within 5 standard errors") {
    const triangular_distribution d(10.0, 30.0, 100.0);
    auto u = offroi_test::uniforms(200000, 12345, 11);
    std::vector<double> x(u.size());
    quantile(d, u.data(), x.data(), u.size());
    const double D = offroi_test::ks_statistic(x, [&](double v) { return cdf(d, v); });
    CHECK(D < offroi_test::ks_critical_001(x.size()));
    double s = 0.0;
    for (double v : x) s += v;
    const double m = s / static_cast<double>(x.size());
    const double se = std::sqrt(variance(d) / static_cast<double>(x.size()));
    CHECK(std::fabs(m - mean(d)) < 5.0 * se);
}

TEST_CASE("triangular: from_percentiles (P10 = 20, mode 30, P90 = 60)") {
    const auto d = triangular_distribution::from_percentiles({0.10, 20.0}, 30.0, {0.90, 60.0});
    MESSAGE("fitted min " << d.min() << ", max " << d.max());
    CHECK(d.mode() == 30.0);
    CHECK(quantile(d, 0.10) == doctest::Approx(20.0).epsilon(1e-9));
    CHECK(quantile(d, 0.90) == doctest::Approx(60.0).epsilon(1e-9));
    // mode at a percentile point, and skew the other way
    const auto e = triangular_distribution::from_percentiles({0.05, 100.0}, 100.0, {0.95, 130.0});
    CHECK(quantile(e, 0.05) == doctest::Approx(100.0).epsilon(1e-9));
    CHECK(quantile(e, 0.95) == doctest::Approx(130.0).epsilon(1e-9));
    const auto f = triangular_distribution::from_percentiles({0.2, -50.0}, -1.0, {0.7, 0.0});
    CHECK(quantile(f, 0.2) == doctest::Approx(-50.0).epsilon(1e-9));
    CHECK(quantile(f, 0.7) == doctest::Approx(0.0).epsilon(1e-9).scale(50.0));
}

TEST_CASE("triangular: invalid parameters") {
    using offroi_test::check_invalid;
    check_invalid([] { triangular_distribution(5.0, 3.0, 9.0); }, {"triangular_distribution", "min = 5", "mode = 3"});
    check_invalid([] { triangular_distribution(1.0, 9.5, 9.0); }, {"mode = 9.5", "max = 9"});
    check_invalid([] { triangular_distribution(1.0, 1.0, 1.0); }, {"min = 1", "max = 1"});
    check_invalid([] { triangular_distribution(std::nan(""), 1.0, 2.0); }, {"min", "nan"});
    check_invalid([] { (void)triangular_distribution::from_percentiles({0.1, 20.0}, 70.5, {0.9, 60.0}); }, {"mode", "70.5"});
    check_invalid([] { (void)triangular_distribution::from_percentiles({0.9, 20.0}, 30.0, {0.1, 60.0}); }, {"p", "0.9"});
    const triangular_distribution d(0.0, 1.0, 2.0);
    check_invalid([&] { (void)quantile(d, 1.0000001); }, {"p", "1.0000001"});
}

}  // namespace distributions_triangular_test
