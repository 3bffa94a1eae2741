#include <doctest/doctest.h>

#include <boost/math/distributions/logistic.hpp>
#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "offroi/distributions/metalog.hpp"
#include "offroi/random.hpp"

#include "distributions/sample_checks.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace distributions_metalog_test {

using namespace offroi_test;

using offroi::metalog_bounds;
using offroi::metalog_distribution;
using offroi::quantile_point;

namespace {
/// Independent check of the moments: trapezoid rule in t = logit(y) on [-100, 100]
/// (log tails with exponent near 1/2 still contribute beyond |t| = 35).
std::pair<double, double> trapezoid_moments(const metalog_distribution& d) {
    const double h = 1e-3;
    auto q = [&](double t) { return d.x_of_m(d.m_of_t(t)); };
    double m = 0.0;
    for (double t = -100.0; t <= 100.0; t += h) m += q(t) * metalog_distribution::y1my(t) * h;
    double v = 0.0;
    for (double t = -100.0; t <= 100.0; t += h) {
        const double e = q(t) - m;
        v += e * e * metalog_distribution::y1my(t) * h;
    }
    return {m, v};
}
}  // namespace

TEST_CASE("metalog: a 3-term fit to (P10, P50, P90) returns them, in every bounds variant") {
    const std::vector<quantile_point> pts{{0.1, 20}, {0.5, 30}, {0.9, 45}};
    for (auto b : {metalog_bounds{}, metalog_bounds{0.0}, metalog_bounds{-INFINITY, 60.0}, metalog_bounds{5.0, 100.0}}) {
        auto d = metalog_distribution::fit(pts, 3, b);
        CHECK(d.terms() == 3);
        for (auto q : pts) {
            CHECK(quantile(d, q.p) == doctest::Approx(q.x).epsilon(1e-12));
            CHECK(cdf(d, q.x) == doctest::Approx(q.p).epsilon(1e-12));
        }
        // Unsorted input gives the same fit.
        auto e = metalog_distribution::fit({pts[2], pts[0], pts[1]}, 3, b);
        CHECK(e.coefficients() == d.coefficients());
        CHECK(e.points().front().p == 0.1);
    }
    // Keelin's closed form for the unbounded 3-term mean: a1 + a3 / 2.
    auto d = metalog_distribution::fit(pts, 3);
    CHECK(mean(d) == doctest::Approx(d.coefficients()[0] + d.coefficients()[2] / 2).epsilon(1e-10));
}

TEST_CASE("metalog: 2 terms = logistic; least squares on more points recovers it (vs Boost.Math)") {
    boost::math::logistic_distribution<double> lg(5.0, 2.0);
    std::vector<quantile_point> pts;
    for (double p : {0.02, 0.1, 0.3, 0.5, 0.6, 0.85, 0.99}) pts.push_back({p, boost::math::quantile(lg, p)});
    auto d = metalog_distribution::fit(pts, 2);
    CHECK(d.coefficients()[0] == doctest::Approx(5.0).epsilon(1e-12));
    CHECK(d.coefficients()[1] == doctest::Approx(2.0).epsilon(1e-12));
    for (double x : {-20.0, -3.0, 0.0, 4.0, 5.0, 11.0, 30.0}) {
        CHECK(cdf(d, x) == doctest::Approx(boost::math::cdf(lg, x)).epsilon(1e-12));
        CHECK(pdf(d, x) == doctest::Approx(boost::math::pdf(lg, x)).epsilon(1e-10));
    }
    for (double p : {1e-15, 1e-5, 0.3, 0.999, 1 - 1e-12})
        CHECK(quantile(d, p) == doctest::Approx(boost::math::quantile(lg, p)).epsilon(1e-12));
    CHECK(mean(d) == doctest::Approx(5.0).epsilon(1e-10));
    CHECK(variance(d) == doctest::Approx(boost::math::variance(lg)).epsilon(1e-9));
    // Default term count: one per point.
    CHECK(metalog_distribution::fit(pts).terms() == pts.size());
}

TEST_CASE("metalog: an exact 9-term fit to a normal's quantiles approximates the normal") {
    boost::math::normal_distribution<double> n(10.0, 2.0);
    std::vector<quantile_point> pts;
    // Asymmetric probabilities: with p placed symmetrically about 1/2 the odd and even
    // basis functions are not independent and the 9 x 9 system is singular.
    for (double p : {0.01, 0.04, 0.1, 0.25, 0.45, 0.6, 0.8, 0.93, 0.995}) pts.push_back({p, boost::math::quantile(n, p)});
    auto d = metalog_distribution::fit(pts, 9);
    for (auto q : pts) CHECK(quantile(d, q.p) == doctest::Approx(q.x).epsilon(1e-10));
    double max_cdf_err = 0.0;
    for (double x = 2.0; x <= 18.0; x += 0.05) max_cdf_err = std::max(max_cdf_err, std::abs(cdf(d, x) - boost::math::cdf(n, x)));
    CHECK(max_cdf_err < 5e-4);  // measured 3.5e-4
    CHECK(pdf(d, 10.0) == doctest::Approx(boost::math::pdf(n, 10.0)).epsilon(2e-3));
    CHECK(mean(d) == doctest::Approx(10.0).epsilon(1e-4));
    CHECK(variance(d) == doctest::Approx(4.0).epsilon(5e-3));
}

TEST_CASE("metalog: bounded and semi-bounded variants stay inside their bounds") {
    const std::vector<quantile_point> pts{{0.1, 20}, {0.5, 30}, {0.9, 45}};
    auto both = metalog_distribution::fit(pts, 3, {0.0, 100.0});
    auto lower = metalog_distribution::fit(pts, 3, {15.0});
    auto upper = metalog_distribution::fit(pts, 3, {-INFINITY, 50.0});
    std::vector<double> u(20'000), x(u.size());
    offroi::philox_stream(1, offroi::stream_id("bounds")).fill(0, u.size(), 0, u.data());
    u[0] = 1e-300;
    u[1] = 1.0 - 0x1.0p-53;
    quantile(both, u.data(), x.data(), u.size());
    CHECK(*std::min_element(x.begin(), x.end()) >= 0.0);
    CHECK(*std::max_element(x.begin(), x.end()) <= 100.0);
    quantile(lower, u.data(), x.data(), u.size());
    CHECK(*std::min_element(x.begin(), x.end()) >= 15.0);
    quantile(upper, u.data(), x.data(), u.size());
    CHECK(*std::max_element(x.begin(), x.end()) <= 50.0);
    CHECK(quantile(both, 0.0) == 0.0);
    CHECK(quantile(both, 1.0) == 100.0);
    CHECK(cdf(both, 0.0) == 0.0);
    CHECK(cdf(both, -5.0) == 0.0);
    CHECK(cdf(both, 100.0) == 1.0);
    CHECK(pdf(both, 100.5) == 0.0);
    CHECK(cdf(lower, 15.0) == 0.0);
    CHECK(cdf(upper, 50.0) == 1.0);
    CHECK(support(both) == std::pair<double, double>{0.0, 100.0});
    CHECK(support(lower).first == 15.0);
    CHECK(std::isinf(support(lower).second));
    CHECK(std::isinf(quantile(metalog_distribution::fit(pts, 3), 1.0)));
}

TEST_CASE("metalog: draws pass KS against the inverted cdf; mean and variance within 5 SE; pdf = cdf'") {
    const std::vector<quantile_point> pts{{0.05, 12}, {0.3, 20}, {0.5, 24}, {0.8, 33}, {0.97, 60}};
    for (auto b : {metalog_bounds{}, metalog_bounds{5.0}, metalog_bounds{-INFINITY, 90.0}, metalog_bounds{0.0, 80.0}}) {
        auto d = metalog_distribution::fit(pts, 5, b);
        const auto x = draw(d, 40'000, 2026, "metalog");
        CHECK(ks_sqrt_n(x, [&](double v) { return cdf(d, v); }) < ks_crit);
        const auto m = sample_moments(x);
        CHECK(std::abs(m.mean - mean(d)) < 5 * m.se_mean);
        CHECK(std::abs(m.var - variance(d)) < 5 * m.se_var);
        // Moments agree with an independent trapezoid rule.
        const auto tm = trapezoid_moments(d);
        CHECK(mean(d) == doctest::Approx(tm.first).epsilon(1e-7));
        CHECK(variance(d) == doctest::Approx(tm.second).epsilon(1e-6));
        // pdf is the derivative of cdf (central difference).
        for (double v : {13.0, 22.0, 40.0}) {
            const double h = 1e-4;
            CHECK(pdf(d, v) == doctest::Approx((cdf(d, v + h) - cdf(d, v - h)) / (2 * h)).epsilon(1e-6));
        }
    }
}

TEST_CASE("metalog: heavy log tails give infinite moments, not NaN") {
    // Lower-bounded Q = e^(1.5 L): the upper tail decays like x^(-1/1.5), no finite mean.
    metalog_distribution heavy({0.0, 1.5}, {0.0});
    CHECK(std::isinf(mean(heavy)));
    CHECK(mean(heavy) > 0);
    CHECK(std::isinf(variance(heavy)));
    // Q = e^(0.7 L): finite mean, infinite variance. Mean = B(1.7, 0.3) = Gamma(1.7) Gamma(0.3).
    metalog_distribution mid({0.0, 0.7}, {0.0});
    CHECK(mean(mid) == doctest::Approx(std::tgamma(1.7) * std::tgamma(0.3)).epsilon(1e-8));
    CHECK(std::isinf(variance(mid)));
    metalog_distribution up({0.0, 1.2}, {-INFINITY, 0.0});
    CHECK(mean(up) < 0);
    CHECK(std::isinf(mean(up)));
}

TEST_CASE("metalog: invalid input throws invalid_argument naming the problem") {
    const std::vector<quantile_point> pts{{0.1, 20}, {0.5, 30}, {0.9, 45}};
    auto m = thrown_message([&] { (void)metalog_distribution::fit(pts, 1); });
    CHECK(m.find("metalog_distribution::fit: terms = 1") != std::string::npos);
    CHECK(m.find("[2, 12]") != std::string::npos);
    CHECK(thrown_message([&] { (void)metalog_distribution::fit(pts, 13); }).find("terms = 13") != std::string::npos);
    m = thrown_message([&] { (void)metalog_distribution::fit(pts, 4); });
    CHECK(m.find("terms = 4") != std::string::npos);
    CHECK(m.find("number of quantile points (3)") != std::string::npos);
    CHECK(thrown_message([] { (void)metalog_distribution::fit({{0.1, 1}, {1.0, 2}}, 2); }).find("points[1].p = 1") !=
          std::string::npos);
    CHECK(thrown_message([] { (void)metalog_distribution::fit({{0.1, 1}, {0.5, NAN}}, 2); }).find("points[1].x = nan") !=
          std::string::npos);
    CHECK(thrown_message([] { (void)metalog_distribution::fit({{0.1, 1}, {0.1, 2}}, 2); }).find("p = 0.1 is invalid; it appears twice") !=
          std::string::npos);
    m = thrown_message([] { (void)metalog_distribution::fit({{0.1, 5}, {0.9, 2}}, 2); });
    CHECK(m.find("x at p = 0.9 = 2") != std::string::npos);
    CHECK(m.find("greater than x at the lower p = 0.1 (5)") != std::string::npos);
    m = thrown_message([&] { (void)metalog_distribution::fit({{0.1, 21}, {0.5, 31}}, 2, {25.0}); });
    CHECK(m.find("points[0].x = 21") != std::string::npos);
    CHECK(m.find("strictly inside the bounds (25, inf)") != std::string::npos);
    CHECK(thrown_message([&] { (void)metalog_distribution::fit(pts, 3, {50.0, 45.0}); }).find("bounds.upper = 45") !=
          std::string::npos);
    CHECK(thrown_message([&] { (void)metalog_distribution::fit(pts, 3, {NAN, 40.0}); }).find("bounds.lower = nan") !=
          std::string::npos);
    // Infeasible: the median too close to P10 for a 3-term metalog.
    m = thrown_message([] { (void)metalog_distribution::fit({{0.1, 20}, {0.5, 21}, {0.9, 45}}, 3); });
    CHECK(m.find("infeasible metalog") != std::string::npos);
    CHECK(m.find("for p in [") != std::string::npos);
    CHECK(m.find("lower tail") != std::string::npos);
    CHECK(m.find("use fewer terms") != std::string::npos);
    // Symmetric p with 7 terms: the design matrix is singular.
    std::vector<quantile_point> sym;
    for (double p : {0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99}) sym.push_back({p, 10 + 3 * std::log(p / (1 - p))});
    CHECK(thrown_message([&] { (void)metalog_distribution::fit(sym, 7); }).find("do not determine 7 metalog terms") !=
          std::string::npos);
    CHECK(thrown_message([] { metalog_distribution({1.0, NAN}); }).find("coefficients[1] = nan") != std::string::npos);
    CHECK(thrown_message([] { metalog_distribution({1.0, -2.0}); }).find("infeasible") != std::string::npos);
    metalog_distribution d({1.0, 2.0});
    CHECK(thrown_message([&] { (void)quantile(d, 1.5); }).find("p = 1.5") != std::string::npos);
    double p[2] = {0.5, -1.5}, x[2];
    CHECK(thrown_message([&] { quantile(d, p, x, 2); }).find("p[1] = -1.5") != std::string::npos);
    CHECK(thrown_message([&] { (void)cdf(d, NAN); }).find("x = nan") != std::string::npos);
}

}  // namespace distributions_metalog_test
