#include "offroi/distributions/normal.hpp"

#include <doctest/doctest.h>

#include <boost/math/distributions/normal.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "distributions/sample_checks.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace distributions_normal_test {

using offroi::normal_distribution;

TEST_CASE("normal: quantile and cdf agree with Boost") {
    const normal_distribution d(3.0, 2.5);
    const boost::math::normal_distribution<double> b(3.0, 2.5);
    double worst_q = 0.0, worst_c = 0.0;
    for (double e = -15.0; e < -0.3; e += 0.01) {
        for (double p : {std::pow(10.0, e), 1.0 - std::pow(10.0, e)}) {
            const double want = boost::math::quantile(b, p);
            worst_q = std::max(worst_q, std::fabs(quantile(d, p) - want) / std::max(std::fabs(want), 2.5));
        }
    }
    // cdf against Boost in long double (Boost's double cdf itself loses ~z^2 ulps in the
    // far lower tail, which offroi's tail-corrected normal_cdf does not).
    const boost::math::normal_distribution<long double> bl(3.0L, 2.5L);
    for (double x = -60.0; x < 25.0; x += 0.01) {
        const long double want = boost::math::cdf(bl, static_cast<long double>(x));
        if (want > 1e-300L)
            worst_c = std::max(worst_c, static_cast<double>(std::fabs(cdf(d, x) - want) / want));
    }
    MESSAGE("normal quantile worst " << worst_q << ", cdf worst " << worst_c);
    CHECK(worst_q < 1e-14);
    // (x - mean)/sd rounds once: relative error up to z^2 ulps at z ~ -25.
    CHECK(worst_c < 2e-13);
    CHECK(pdf(d, 4.0) == doctest::Approx(boost::math::pdf(b, 4.0)).epsilon(1e-14));
    CHECK(mean(d) == 3.0);
    CHECK(variance(d) == 6.25);
    CHECK(quantile(d, 0.0) == -std::numeric_limits<double>::infinity());
    CHECK(quantile(d, 1.0) == std::numeric_limits<double>::infinity());
    CHECK(std::isinf(support(d).first));
}

TEST_CASE("normal: philox samples through quantile pass Kolmogorov-Smirnov") {
    const normal_distribution d(-1.0, 0.3);
    auto u = offroi_test::uniforms(100000);
    std::vector<double> x(u.size());
    quantile(d, u.data(), x.data(), u.size());
    for (std::size_t i = 0; i < u.size(); i += 997) REQUIRE(x[i] == quantile(d, u[i]));
    const boost::math::normal_distribution<double> b(-1.0, 0.3);
    const double D = offroi_test::ks_statistic(x, [&](double v) { return boost::math::cdf(b, v); });
    MESSAGE("KS D = " << D);
    CHECK(D < offroi_test::ks_critical_001(x.size()));
}

TEST_CASE("normal: from_percentiles returns the percentiles") {
    const auto d = normal_distribution::from_percentiles({0.9, 60.0}, {0.1, 20.0});
    CHECK(quantile(d, 0.1) == doctest::Approx(20.0).epsilon(1e-12));
    CHECK(quantile(d, 0.9) == doctest::Approx(60.0).epsilon(1e-12));
    CHECK(d.mean() == doctest::Approx(40.0).epsilon(1e-14));
}

TEST_CASE("normal: invalid parameters name the parameter and value") {
    using offroi_test::check_invalid;
    check_invalid([] { normal_distribution(1.0, 0.0); }, {"normal_distribution", "sd", "0"});
    check_invalid([] { normal_distribution(1.0, -2.5); }, {"sd", "-2.5"});
    check_invalid([] { normal_distribution(std::nan(""), 1.0); }, {"mean", "nan"});
    check_invalid([] { normal_distribution(std::numeric_limits<double>::infinity(), 1.0); }, {"mean", "inf"});
    const normal_distribution d(0.0, 1.0);
    check_invalid([&] { (void)quantile(d, 1.5); }, {"quantile", "p", "1.5"});
    check_invalid([&] { (void)cdf(d, std::nan("")); }, {"cdf", "x", "nan"});
    std::vector<double> p = {0.1, -0.2}, x(2);
    check_invalid([&] { quantile(d, p.data(), x.data(), 2); }, {"p[1]", "-0.2"});
    check_invalid([] { (void)normal_distribution::from_percentiles({0.1, 5.0}, {0.1, 6.0}); }, {"p", "0.1"});
    check_invalid([] { (void)normal_distribution::from_percentiles({0.1, 7.0}, {0.9, 6.0}); }, {"x", "6"});
    check_invalid([] { (void)normal_distribution::from_percentiles({0.0, 7.0}, {0.9, 8.0}); }, {"p", "0"});
}

}  // namespace distributions_normal_test
