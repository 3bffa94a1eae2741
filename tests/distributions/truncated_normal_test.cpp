#include "offroi/distributions/truncated_normal.hpp"

#include <doctest/doctest.h>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "distributions/sample_checks.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace distributions_truncated_normal_test {

using offroi::truncated_normal_distribution;

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();

// Reference in long double through Boost: F(x) = (Phi(xi) - Phi(alpha)) / (Phi(beta) - Phi(alpha)),
// using complements on the upper side.
long double ref_cdf(double mu, double sd, double lo, double hi, double x) {
    const boost::math::normal_distribution<long double> n(mu, sd);
    const bool upper = (lo - mu) + (hi - mu) > 0;
    if (!upper)
        return (boost::math::cdf(n, (long double)x) - boost::math::cdf(n, (long double)lo)) /
               (boost::math::cdf(n, (long double)hi) - boost::math::cdf(n, (long double)lo));
    const long double sx = boost::math::cdf(boost::math::complement(n, (long double)x));
    const long double sl = boost::math::cdf(boost::math::complement(n, (long double)lo));
    const long double sh = boost::math::cdf(boost::math::complement(n, (long double)hi));
    return 1.0L - (sx - sh) / (sl - sh);
}
}  // namespace

TEST_CASE("truncated normal: cdf vs long-double reference, quantile round trip") {
    const double cases[][4] = {{0.0, 1.0, -1.0, 2.0}, {10.0, 3.0, 0.0, inf}, {0.0, 1.0, -inf, -3.0},
                               {0.0, 1.0, 5.0, 6.0},  {0.0, 1.0, 30.0, inf}, {5.0, 2.0, -inf, inf}};
    for (const auto& c : cases) {
        const truncated_normal_distribution d(c[0], c[1], c[2], c[3]);
        double worst_cdf = 0.0, worst_rt = 0.0;
        for (int i = 1; i < 2000; ++i) {
            const double p = i / 2000.0;
            const double x = quantile(d, p);
            // Error of the quantile in x: (F_ref(x) - p)/f(x), relative to max(|x|, sd).
            const double f = static_cast<double>(ref_cdf(c[0], c[1], c[2], c[3], x));
            worst_rt = std::max(worst_rt, std::fabs(f - p) / pdf(d, x) / std::max(std::fabs(x), c[1]));
            worst_cdf = std::max(worst_cdf, std::fabs(cdf(d, x) - f) / f);
        }
        MESSAGE("truncnorm(" << c[0] << ", " << c[1] << ", [" << c[2] << ", " << c[3] << "]): cdf " << worst_cdf
                             << ", quantile error in x " << worst_rt);
        CHECK(worst_cdf < 1e-12);
        CHECK(worst_rt < 1e-12);
        CHECK(quantile(d, 0.0) == c[2]);
        CHECK(quantile(d, 1.0) == c[3]);
        if (std::isfinite(c[2])) CHECK(quantile(d, 1e-15) >= c[2]);
    }
}

TEST_CASE("truncated normal: mean and variance against quadrature of the density") {
    const double cases[][4] = {{0.0, 1.0, -1.0, 2.0}, {10.0, 3.0, 0.0, inf}, {0.0, 1.0, 2.0, 4.0}};
    for (const auto& c : cases) {
        const truncated_normal_distribution d(c[0], c[1], c[2], c[3]);
        const double hi = std::isfinite(c[3]) ? c[3] : c[0] + 40.0 * c[1];
        using gk = boost::math::quadrature::gauss_kronrod<double, 61>;
        const double m0 = gk::integrate([&](double x) { return pdf(d, x); }, c[2], hi, 15, 1e-14);
        const double m1 = gk::integrate([&](double x) { return x * pdf(d, x); }, c[2], hi, 15, 1e-14);
        const double m2 = gk::integrate([&](double x) { return (x - m1) * (x - m1) * pdf(d, x); }, c[2], hi, 15, 1e-14);
        CHECK(m0 == doctest::Approx(1.0).epsilon(1e-12));
        CHECK(mean(d) == doctest::Approx(m1).epsilon(1e-12));
        CHECK(variance(d) == doctest::Approx(m2).epsilon(1e-10));
    }
    // infinite bounds: the parent normal
    const truncated_normal_distribution n(5.0, 2.0, -inf, inf);
    CHECK(mean(n) == doctest::Approx(5.0).epsilon(1e-15));
    CHECK(variance(n) == doctest::Approx(4.0).epsilon(1e-15));
}

TEST_CASE("truncated normal: KS at a fixed seed; batch equals scalar") {
    const truncated_normal_distribution d(10.0, 3.0, 8.0, inf);
    auto u = offroi_test::uniforms(100000, 12345, 41);
    std::vector<double> x(u.size());
    quantile(d, u.data(), x.data(), u.size());
    for (std::size_t i = 0; i < u.size(); i += 997) REQUIRE(x[i] == quantile(d, u[i]));
    const double D = offroi_test::ks_statistic(x, [&](double v) { return (double)ref_cdf(10.0, 3.0, 8.0, inf, v); });
    MESSAGE("KS D = " << D);
    CHECK(D < offroi_test::ks_critical_001(x.size()));
}

TEST_CASE("truncated normal: invalid parameters") {
    using offroi_test::check_invalid;
    check_invalid([] { truncated_normal_distribution(0.0, 0.0, -1.0, 1.0); }, {"truncated_normal_distribution", "sd", "0"});
    check_invalid([] { truncated_normal_distribution(0.0, 1.0, 2.5, 2.5); }, {"lower", "2.5", "upper"});
    check_invalid([] { truncated_normal_distribution(0.0, 1.0, inf, inf); }, {"lower", "inf"});
    check_invalid([] { truncated_normal_distribution(0.0, 1.0, std::nan(""), 1.0); }, {"lower", "nan"});
    check_invalid([] { truncated_normal_distribution(0.0, 1.0, 45.0, inf); }, {"lower", "45", "probability"});
    const truncated_normal_distribution d(0.0, 1.0, -1.0, 1.0);
    check_invalid([&] { (void)quantile(d, -0.5); }, {"p", "-0.5"});
}

}  // namespace distributions_truncated_normal_test
