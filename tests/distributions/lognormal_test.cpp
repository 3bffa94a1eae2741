#include "offroi/distributions/lognormal.hpp"

#include <doctest/doctest.h>

#include <boost/math/distributions/lognormal.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "distributions/sample_checks.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace distributions_lognormal_test {

using offroi::lognormal_distribution;

TEST_CASE("lognormal: quantile and cdf agree with Boost") {
    const lognormal_distribution d(1.2, 0.7);
    const boost::math::lognormal_distribution<double> b(1.2, 0.7);
    double worst_q = 0.0, worst_c = 0.0;
    for (double e = -15.0; e < -0.3; e += 0.01) {
        for (double p : {std::pow(10.0, e), 1.0 - std::pow(10.0, e)}) {
            const double want = boost::math::quantile(b, p);
            worst_q = std::max(worst_q, std::fabs(quantile(d, p) - want) / want);
        }
    }
    for (double x = 0.01; x < 200.0; x *= 1.01) {
        const double want = boost::math::cdf(b, x);
        worst_c = std::max(worst_c, std::fabs(cdf(d, x) - want) / want);
    }
    MESSAGE("lognormal quantile worst " << worst_q << ", cdf worst " << worst_c);
    // exp amplifies the relative error of mu + sigma z by |mu + sigma z| (<= ~7 here).
    CHECK(worst_q < 1e-14);
    CHECK(worst_c < 1e-13);
    CHECK(pdf(d, 3.0) == doctest::Approx(boost::math::pdf(b, 3.0)).epsilon(1e-14));
    CHECK(mean(d) == doctest::Approx(boost::math::mean(b)).epsilon(1e-14));
    CHECK(variance(d) == doctest::Approx(boost::math::variance(b)).epsilon(1e-13));
    CHECK(cdf(d, -1.0) == 0.0);
    CHECK(pdf(d, 0.0) == 0.0);
    CHECK(quantile(d, 0.0) == 0.0);
}

TEST_CASE("lognormal: from P10/P90 returns those percentiles (VALIDATION.md)") {
    const auto d = lognormal_distribution::from_percentiles({0.10, 20.0}, {0.90, 60.0});
    CHECK(quantile(d, 0.10) == doctest::Approx(20.0).epsilon(1e-12));
    CHECK(quantile(d, 0.90) == doctest::Approx(60.0).epsilon(1e-12));
    // median = geometric mean of P10 and P90 for symmetric levels
    CHECK(quantile(d, 0.5) == doctest::Approx(std::sqrt(20.0 * 60.0)).epsilon(1e-12));
    const auto e = lognormal_distribution::from_percentiles({0.05, 1e-3}, {0.999, 1e4});
    CHECK(quantile(e, 0.05) == doctest::Approx(1e-3).epsilon(1e-12));
    CHECK(quantile(e, 0.999) == doctest::Approx(1e4).epsilon(1e-12));
}

TEST_CASE("lognormal: philox samples pass Kolmogorov-Smirnov") {
    const lognormal_distribution d(0.0, 1.5);
    auto u = offroi_test::uniforms(100000, 99, 3);
    std::vector<double> x(u.size());
    quantile(d, u.data(), x.data(), u.size());
    for (std::size_t i = 0; i < u.size(); i += 997) REQUIRE(x[i] == quantile(d, u[i]));
    const boost::math::lognormal_distribution<double> b(0.0, 1.5);
    const double D = offroi_test::ks_statistic(x, [&](double v) { return boost::math::cdf(b, v); });
    MESSAGE("KS D = " << D);
    CHECK(D < offroi_test::ks_critical_001(x.size()));
}

TEST_CASE("lognormal: invalid parameters") {
    using offroi_test::check_invalid;
    check_invalid([] { lognormal_distribution(0.0, 0.0); }, {"lognormal_distribution", "sigma", "0"});
    check_invalid([] { lognormal_distribution(std::nan(""), 1.0); }, {"mu", "nan"});
    check_invalid([] { (void)lognormal_distribution::from_percentiles({0.1, -2.0}, {0.9, 6.0}); }, {"x", "-2"});
    check_invalid([] { (void)lognormal_distribution::from_percentiles({0.1, 0.0}, {0.9, 6.0}); }, {"x", "0"});
    const lognormal_distribution d(0.0, 1.0);
    check_invalid([&] { (void)quantile(d, -0.1); }, {"p", "-0.1"});
}

}  // namespace distributions_lognormal_test
