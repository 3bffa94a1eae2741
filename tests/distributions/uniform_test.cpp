#include "offroi/distributions/uniform.hpp"

#include <doctest/doctest.h>

#include <boost/math/distributions/uniform.hpp>

#include <cmath>
#include <vector>

#include "distributions/sample_checks.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace distributions_uniform_test {

using offroi::uniform_distribution;

TEST_CASE("uniform: against Boost, moments, ends exact") {
    const uniform_distribution d(-2.0, 5.0);
    const boost::math::uniform_distribution<double> b(-2.0, 5.0);
    for (int i = 0; i <= 1000; ++i) {
        const double p = i / 1000.0;
        CHECK(quantile(d, p) == doctest::Approx(boost::math::quantile(b, p)).epsilon(1e-15));
        const double x = -3.0 + 9.0 * p;
        CHECK(cdf(d, x) == doctest::Approx(boost::math::cdf(b, x)).epsilon(1e-15));
    }
    CHECK(quantile(d, 0.0) == -2.0);
    CHECK(quantile(d, 1.0) == 5.0);
    CHECK(pdf(d, 0.0) == doctest::Approx(1.0 / 7.0));
    CHECK(pdf(d, 6.0) == 0.0);
    CHECK(mean(d) == 1.5);
    CHECK(variance(d) == doctest::Approx(49.0 / 12.0).epsilon(1e-15));
    CHECK(support(d).second == 5.0);
}

TEST_CASE("uniform: from_percentiles and KS") {
    const auto d = uniform_distribution::from_percentiles({0.9, 60.0}, {0.1, 20.0});
    CHECK(d.lower() == doctest::Approx(15.0).epsilon(1e-14));
    CHECK(d.upper() == doctest::Approx(65.0).epsilon(1e-14));
    CHECK(quantile(d, 0.1) == doctest::Approx(20.0).epsilon(1e-12));
    CHECK(quantile(d, 0.9) == doctest::Approx(60.0).epsilon(1e-12));
    auto u = offroi_test::uniforms(100000, 5, 5);
    std::vector<double> x(u.size());
    quantile(d, u.data(), x.data(), u.size());
    const double D = offroi_test::ks_statistic(x, [&](double v) { return cdf(d, v); });
    CHECK(D < offroi_test::ks_critical_001(x.size()));
}

TEST_CASE("uniform: invalid parameters") {
    using offroi_test::check_invalid;
    check_invalid([] { uniform_distribution(3.0, 3.0); }, {"uniform_distribution", "lower", "3", "upper"});
    check_invalid([] { uniform_distribution(0.0, std::nan("")); }, {"upper", "nan"});
    check_invalid([] { (void)uniform_distribution::from_percentiles({0.1, 5.0}, {0.9, 5.0}); }, {"x", "5"});
    const uniform_distribution d(0.0, 1.0);
    check_invalid([&] { (void)quantile(d, 2.0); }, {"p", "2"});
}

}  // namespace distributions_uniform_test
