#include "offroi/distributions/beta.hpp"

#include <doctest/doctest.h>

#include <boost/math/distributions/beta.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "distributions/sample_checks.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace distributions_beta_test {

using offroi::beta_distribution;

TEST_CASE("beta: fast quantile vs Boost over a dense grid incl. tails; cdf, pdf, moments") {
    const double cases[][4] = {{2.0, 5.0, 0.0, 1.0}, {0.5, 0.5, 0.0, 1.0}, {0.8, 3.0, -2.0, 6.0},
                               {40.0, 12.0, 100.0, 200.0}, {1.0, 1.0, 0.0, 1.0}};
    for (const auto& c : cases) {
        const beta_distribution d(c[0], c[1], c[2], c[3]);
        const boost::math::beta_distribution<double> b(c[0], c[1]);
        const double w = c[3] - c[2];
        auto ref_q = [&](double p) { return c[2] + w * boost::math::quantile(b, p); };
        const double iqr = ref_q(0.75) - ref_q(0.25);
        double worst = 0.0;
        for (double e = -15.0; e < -0.3; e += 0.02)
            for (double p : {std::pow(10.0, e), 1.0 - std::pow(10.0, e)})
                worst = std::max(worst, std::fabs(quantile(d, p) - ref_q(p)) / std::max(std::fabs(ref_q(p)), iqr));
        for (int i = 1; i < 4000; ++i) {
            const double p = i / 4000.0;
            worst = std::max(worst, std::fabs(quantile(d, p) - ref_q(p)) / std::max(std::fabs(ref_q(p)), iqr));
        }
        MESSAGE("beta(" << c[0] << ", " << c[1] << ") on [" << c[2] << ", " << c[3] << "]: worst " << worst);
        CHECK(worst <= 1e-9);
        CHECK(exact_quantile(d, 0.37) == doctest::Approx(ref_q(0.37)).epsilon(1e-15));
        for (int i = 1; i < 100; ++i) {
            const double x = c[2] + w * i / 100.0;
            CHECK(cdf(d, x) == doctest::Approx(boost::math::cdf(b, i / 100.0)).epsilon(1e-14));
            CHECK(pdf(d, x) == doctest::Approx(boost::math::pdf(b, i / 100.0) / w).epsilon(1e-13));
        }
        CHECK(mean(d) == doctest::Approx(c[2] + w * boost::math::mean(b)).epsilon(1e-14));
        CHECK(variance(d) == doctest::Approx(w * w * boost::math::variance(b)).epsilon(1e-13));
        CHECK(quantile(d, 0.0) == c[2]);
        CHECK(quantile(d, 1.0) == c[3]);
        CHECK(cdf(d, c[2] - 1.0) == 0.0);
        CHECK(cdf(d, c[3] + 1.0) == 1.0);
    }
    CHECK(std::isinf(pdf(beta_distribution(0.5, 2.0), 0.0)));
    CHECK(pdf(beta_distribution(1.0, 3.0), 0.0) == 3.0);
    CHECK(pdf(beta_distribution(2.0, 3.0), 1.0) == 0.0);
}

TEST_CASE("beta: KS at a fixed seed; batch equals scalar") {
    const beta_distribution d(0.8, 3.0, -2.0, 6.0);
    auto u = offroi_test::uniforms(100000, 12345, 31);
    std::vector<double> x(u.size());
    quantile(d, u.data(), x.data(), u.size());
    for (std::size_t i = 0; i < u.size(); i += 997) REQUIRE(x[i] == quantile(d, u[i]));
    const double D = offroi_test::ks_statistic(x, [&](double v) { return cdf(d, v); });
    MESSAGE("KS D = " << D);
    CHECK(D < offroi_test::ks_critical_001(x.size()));
}

TEST_CASE("beta: from_mean_sd reproduces the moments") {
    const auto d = beta_distribution::from_mean_sd(130.0, 15.0, 100.0, 200.0);
    CHECK(mean(d) == doctest::Approx(130.0).epsilon(1e-13));
    CHECK(std::sqrt(variance(d)) == doctest::Approx(15.0).epsilon(1e-13));
}

TEST_CASE("beta: invalid parameters") {
    using offroi_test::check_invalid;
    check_invalid([] { beta_distribution(0.0, 1.0); }, {"beta_distribution", "alpha", "0"});
    check_invalid([] { beta_distribution(1.0, -3.5); }, {"beta", "-3.5"});
    check_invalid([] { beta_distribution(1.0, 2.0, 3.0, 3.0); }, {"lower", "3", "upper"});
    check_invalid([] { beta_distribution(1.0, 2.0, 0.0, std::numeric_limits<double>::infinity()); }, {"upper", "inf"});
    check_invalid([] { (void)beta_distribution::from_mean_sd(0.5, 0.6); }, {"sd", "0.6"});
    check_invalid([] { (void)beta_distribution::from_mean_sd(1.5, 0.1); }, {"mean", "1.5"});
    const beta_distribution d(2.0, 2.0);
    check_invalid([&] { (void)quantile(d, 1.5); }, {"p", "1.5"});
    check_invalid([&] { (void)cdf(d, std::nan("")); }, {"x", "nan"});
}

}  // namespace distributions_beta_test
