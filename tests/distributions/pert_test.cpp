#include "offroi/distributions/pert.hpp"

#include <doctest/doctest.h>

#include <boost/math/distributions/beta.hpp>

#include <exception>
#include <cmath>
#include <vector>

#include "distributions/sample_checks.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace distributions_pert_test {

using offroi::pert_distribution;

namespace {
// Boost reference: PERT = min + (max - min) Beta(alpha, beta).
struct pert_ref {
    double a, b;
    boost::math::beta_distribution<double> beta;
    pert_ref(double min, double mode, double max, double lambda)
        : a(min), b(max),
          beta(1.0 + lambda * (mode - min) / (max - min), 1.0 + lambda * (max - mode) / (max - min)) {}
    // Boost 1.74's inverse throws at the median of symmetric shapes such as Beta(5, 5); the
    // reference then is the median 1/2 itself.
    double quantile(double p) const {
        double y;
        try {
            y = boost::math::quantile(beta, p);
        } catch (const std::exception&) {
            REQUIRE(p == 0.5);
            REQUIRE(beta.alpha() == beta.beta());
            y = 0.5;
        }
        return a + (b - a) * y;
    }
    double cdf(double x) const { return boost::math::cdf(beta, (x - a) / (b - a)); }
};
}  // namespace

TEST_CASE("pert: fast quantile within 1e-9 of Boost over a dense grid incl. tails") {
    const double cases[][4] = {{10.0, 30.0, 100.0, 4.0}, {0.0, 0.0, 1.0, 4.0}, {0.0, 1.0, 1.0, 4.0},
                               {-3.0, 1.0, 2.0, 4.0},    {100.0, 120.0, 300.0, 2.0},
                               {0.0, 5.0, 10.0, 8.0},    {1e-3, 0.5, 1e3, 4.0}};
    for (const auto& c : cases) {
        const pert_distribution d(c[0], c[1], c[2], c[3]);
        const pert_ref ref(c[0], c[1], c[2], c[3]);
        const double iqr = ref.quantile(0.75) - ref.quantile(0.25);
        double body = 0.0, tail = 0.0;
        std::vector<double> grid;
        for (double e = -15.0; e < -0.3; e += 0.02) { grid.push_back(std::pow(10.0, e)); grid.push_back(1.0 - std::pow(10.0, e)); }
        for (int i = 1; i < 4000; ++i) grid.push_back(i / 4000.0);
        for (double p : grid) {
            const double want = ref.quantile(p);
            const double e = std::fabs(quantile(d, p) - want) / std::max(std::fabs(want), iqr);
            ((p >= 1e-6 && p <= 1.0 - 1e-6) ? body : tail) = std::max((p >= 1e-6 && p <= 1.0 - 1e-6) ? body : tail, e);
        }
        MESSAGE("pert(" << c[0] << ", " << c[1] << ", " << c[2] << ", lambda " << c[3] << "): body " << body << ", tails " << tail);
        CHECK(body <= 1e-9);
        CHECK(tail <= 1e-9);
        CHECK(exact_quantile(d, 0.3) == doctest::Approx(ref.quantile(0.3)).epsilon(1e-15));
        CHECK(quantile(d, 0.0) == c[0]);
        CHECK(quantile(d, 1.0) == c[2]);
        CHECK(cdf(d, c[0] + 0.3 * (c[2] - c[0])) == doctest::Approx(ref.cdf(c[0] + 0.3 * (c[2] - c[0]))).epsilon(1e-14));
    }
}

TEST_CASE("pert: VALIDATION.md mean (a + 4m + b)/6 and the sample mean within 5 SE; KS") {
    const pert_distribution d(10.0, 30.0, 100.0);
    CHECK(mean(d) == doctest::Approx((10.0 + 4.0 * 30.0 + 100.0) / 6.0).epsilon(1e-15));
    const pert_ref ref(10.0, 30.0, 100.0, 4.0);
    CHECK(variance(d) == doctest::Approx(boost::math::variance(ref.beta) * 90.0 * 90.0).epsilon(1e-13));
    auto u = offroi_test::uniforms(200000, 12345, 21);
    std::vector<double> x(u.size());
    quantile(d, u.data(), x.data(), u.size());
    for (std::size_t i = 0; i < u.size(); i += 991) REQUIRE(x[i] == quantile(d, u[i]));
    double s = 0.0;
    for (double v : x) s += v;
    const double m = s / static_cast<double>(x.size());
    CHECK(std::fabs(m - mean(d)) < 5.0 * std::sqrt(variance(d) / static_cast<double>(x.size())));
    const double D = offroi_test::ks_statistic(x, [&](double v) { return ref.cdf(v); });
    MESSAGE("KS D = " << D);
    CHECK(D < offroi_test::ks_critical_001(x.size()));
}

TEST_CASE("pert: copies share the table; from_percentiles") {
    const pert_distribution d(0.0, 2.0, 10.0);
    const pert_distribution copy = d;
    CHECK(&copy.as_beta().standard_quantile_table().stats() == &d.as_beta().standard_quantile_table().stats());
    const auto f = pert_distribution::from_percentiles({0.10, 20.0}, 30.0, {0.90, 60.0});
    MESSAGE("PertAlt fit: min " << f.min() << ", max " << f.max());
    CHECK(quantile(f, 0.10) == doctest::Approx(20.0).epsilon(1e-9));
    CHECK(quantile(f, 0.90) == doctest::Approx(60.0).epsilon(1e-9));
    CHECK(exact_quantile(f, 0.10) == doctest::Approx(20.0).epsilon(1e-9));
    CHECK(exact_quantile(f, 0.90) == doctest::Approx(60.0).epsilon(1e-9));
    const auto g = pert_distribution::from_percentiles({0.05, 5.0}, 5.0, {0.95, 9.0}, 2.0);
    CHECK(g.lambda() == 2.0);
    CHECK(exact_quantile(g, 0.05) == doctest::Approx(5.0).epsilon(1e-9));
    CHECK(exact_quantile(g, 0.95) == doctest::Approx(9.0).epsilon(1e-9));
}

TEST_CASE("pert: invalid parameters") {
    using offroi_test::check_invalid;
    check_invalid([] { pert_distribution(5.0, 3.0, 9.0); }, {"pert_distribution", "min = 5", "mode = 3"});
    check_invalid([] { pert_distribution(1.0, 9.5, 9.0); }, {"mode = 9.5", "max = 9"});
    check_invalid([] { pert_distribution(2.0, 2.0, 2.0); }, {"min = 2", "max = 2"});
    check_invalid([] { pert_distribution(0.0, 1.0, 2.0, 0.0); }, {"lambda", "0"});
    check_invalid([] { pert_distribution(0.0, 1.0, 2.0, -1.0); }, {"lambda", "-1"});
    check_invalid([] { pert_distribution(0.0, std::nan(""), 2.0); }, {"mode", "nan"});
    check_invalid([] { (void)pert_distribution::from_percentiles({0.1, 20.0}, 10.5, {0.9, 60.0}); }, {"mode", "10.5"});
    const pert_distribution d(0.0, 1.0, 2.0);
    check_invalid([&] { (void)quantile(d, -1e-9); }, {"quantile(pert_distribution)", "p", "-1e-09"});
}

TEST_CASE("quantile levels: the batch check finds one bad level at any position, and only then") {
    // quantile_levels_ok runs four levels per step in registers, then the remainder: a bad
    // level must be caught in either part, at every position of a step.
    using offroi::detail::quantile_levels_ok;
    const double bad[] = {-1e-300, -1.0, std::nextafter(1.0, 2.0), 2.0, std::nan(""), -std::nan(""),
                          HUGE_VAL, -HUGE_VAL};
    const double good[] = {0.0, -0.0, 1.0, 0.5, 4.9e-324, std::nextafter(1.0, 0.0)};
    CHECK(quantile_levels_ok(nullptr, 0));
    for (std::size_t n = 1; n <= 13; ++n) {
        for (double g : good) {
            std::vector<double> p(n, g);
            CHECK(quantile_levels_ok(p.data(), n));
            for (std::size_t i = 0; i < n; ++i) {
                for (double b : bad) {
                    p[i] = b;
                    CHECK_FALSE(quantile_levels_ok(p.data(), n));
                }
                p[i] = g;
            }
        }
    }
    // The error names the first bad index of a batch.
    std::vector<double> p(11, 0.25);
    p[6] = std::nan("");
    p[9] = 3.0;
    std::vector<double> x(p.size());
    const pert_distribution d(0.0, 1.0, 2.0);
    offroi_test::check_invalid([&] { quantile(d, p.data(), x.data(), p.size()); },
                               {"quantile(pert_distribution)", "p[6]", "nan"});
}

}  // namespace distributions_pert_test
