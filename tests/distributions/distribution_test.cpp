#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <variant>
#include <vector>

#include "offroi/distributions.hpp"
#include "offroi/random.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace distributions_distribution_test {

using offroi::distribution;

namespace {

/// One instance of every family, with its expected name, description and discreteness.
struct family_case {
    distribution d;
    const char* name;
    const char* text;
    bool discrete;
};

std::vector<family_case> all_families() {
    using namespace offroi;
    return {
        {constant_distribution(7.5), "constant", "constant(7.5)", true},
        {uniform_distribution(10, 20), "uniform", "uniform(10, 20)", false},
        {triangular_distribution(10, 20, 40), "triangular", "triangular(10, 20, 40)", false},
        {pert_distribution(10, 20, 40), "pert", "pert(10, 20, 40)", false},
        {beta_distribution(2, 5), "beta", "beta(2, 5)", false},
        {normal_distribution(100, 15), "normal", "normal(100, 15)", false},
        {truncated_normal_distribution(0, 1, -1, 2.5), "truncated_normal", "truncated_normal(0, 1, -1, 2.5)", false},
        {lognormal_distribution(3.2, 0.4), "lognormal", "lognormal(3.2, 0.4)", false},
        {gamma_distribution(2.5, 4), "gamma", "gamma(2.5, 4)", false},
        {weibull_distribution(1.5, 30), "weibull", "weibull(1.5, 30)", false},
        {bernoulli_distribution(0.07), "bernoulli", "bernoulli(0.07)", true},
        {poisson_distribution(3.5), "poisson", "poisson(3.5)", true},
        {discrete_distribution({12, 8, 10}, {0.25, 0.25, 0.5}), "discrete", "discrete([8, 10, 12], [0.25, 0.5, 0.25])",
         true},
        {empirical_distribution({3.5, 1.25, 9, 4}), "empirical", "empirical(interpolated, n = 4, [1.25, 9])", false},
        {metalog_distribution::fit({{0.1, 20}, {0.5, 30}, {0.9, 45}}, 3, {0.0}), "metalog",
         "metalog(3 terms, bounds [0, inf), P10 = 20, P50 = 30, P90 = 45)", false},
    };
}

/// The same quantities computed on the concrete family, to compare with the erased calls.
struct direct_values {
    double cdf_at_q30, q30, q_batch_last, mean, variance, lo, hi;
};

template <class D>
direct_values direct(const D& f) {
    const double p[3] = {0.3, 0.6, 0.95};
    double x[3];
    quantile(f, p, x, 3);
    const double q30 = quantile(f, 0.3);
    return {cdf(f, q30), q30, x[2], mean(f), variance(f), support(f).first, support(f).second};
}

}  // namespace

TEST_CASE("distribution: all 15 families, names, descriptions and discreteness") {
    const auto cases = all_families();
    REQUIRE(cases.size() == std::variant_size_v<distribution::variant_type>);
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const auto& c = cases[i];
        CHECK(c.d.index() == i);
        CHECK(name(c.d) == c.name);
        CHECK(describe(c.d) == c.text);
        CHECK(is_discrete(c.d) == c.discrete);
    }
    using namespace offroi;
    CHECK(describe(pert_distribution(1, 2, 4, 3)) == "pert(1, 2, 4, lambda = 3)");
    CHECK(describe(beta_distribution(2, 3, 0, 100)) == "beta(2, 3, 0, 100)");
    CHECK(describe(distribution(normal_distribution(0.1, 1e-300))) == "normal(0.1, 1e-300)");
    const distribution resampled = empirical_distribution({1, 2, 2}, empirical_kind::resampled);
    CHECK(is_discrete(resampled));
    CHECK(describe(resampled) == "empirical(resampled, n = 3, [1, 2])");
    CHECK(describe(metalog_distribution({1.0, 2.0})) == "metalog(2 terms, coefficients [1, 2])");
    CHECK(describe(metalog_distribution::fit({{0.07, 1}, {0.5, 2}}, 2, {0.0, 10.0})) ==
          "metalog(2 terms, bounds [0, 10], P7 = 1, P50 = 2)");
    std::vector<double> many(20);
    for (std::size_t i = 0; i < many.size(); ++i) many[i] = double(i);
    std::vector<double> probs(20, 0.05);
    CHECK(describe(discrete_distribution(many, probs)).find("... (20 in all)") != std::string::npos);
    // Default: the constant 0.
    const distribution def;
    CHECK(name(def) == "constant");
    CHECK(quantile(def, 0.5) == 0.0);
}

TEST_CASE("distribution: every free function forwards to the family") {
    for (const auto& c : all_families()) {
        const direct_values v = std::visit([](const auto& f) { return direct(f); }, c.d.variant());
        INFO(c.name);
        const double q30 = quantile(c.d, 0.3);
        CHECK(q30 == v.q30);
        CHECK(cdf(c.d, q30) == v.cdf_at_q30);
        CHECK(exact_quantile(c.d, 0.3) == doctest::Approx(v.q30).epsilon(1e-9));
        CHECK(mean(c.d) == v.mean);
        CHECK(variance(c.d) == v.variance);
        CHECK(support(c.d).first == v.lo);
        CHECK(support(c.d).second == v.hi);
        // Batch: one visit per batch, the same bits as the scalar calls.
        std::vector<double> u(1000), x(1000);
        offroi::philox_stream(9, offroi::stream_id(c.name)).fill(0, u.size(), 0, u.data());
        u[0] = 0.95;
        quantile(c.d, u.data(), x.data(), u.size());
        CHECK(x[0] == v.q_batch_last);
        std::size_t diff = 0;
        for (std::size_t i = 0; i < u.size(); ++i) diff += x[i] != quantile(c.d, u[i]);
        CHECK(diff == 0);
        // Draws stay in the support, and the cdf at a draw is in [0, 1].
        std::size_t outside = 0;
        for (double xi : x) outside += !(xi >= v.lo && xi <= v.hi) || !(cdf(c.d, xi) >= 0.0 && cdf(c.d, xi) <= 1.0);
        CHECK(outside == 0);
    }
}

TEST_CASE("distribution: mean of draws through the erased batch quantile within 5 SE") {
    const std::size_t n = 100'000;
    std::vector<double> u(n), x(n);
    for (const auto& c : all_families()) {
        INFO(c.name);
        offroi::philox_stream(2026, offroi::stream_id(c.name)).fill(0, n, 0, u.data());
        quantile(c.d, u.data(), x.data(), n);
        double s = 0.0;
        for (double xi : x) s += xi;
        const double se = std::sqrt(variance(c.d) / double(n));
        CHECK(std::abs(s / double(n) - mean(c.d)) <= 5.0 * se + 1e-12 * std::abs(mean(c.d)));
    }
}

TEST_CASE("distribution: errors of the family arrive unchanged; std::visit and get_if work") {
    const distribution d = offroi::gamma_distribution(2.0, 1.0);
    try {
        (void)quantile(d, 1.5);
        FAIL("no exception");
    } catch (const offroi::invalid_argument& e) {
        CHECK(std::string(e.what()).find("quantile(gamma_distribution): p = 1.5") != std::string::npos);
    }
    double p[2] = {0.5, -2.0}, x[2];
    CHECK_THROWS_AS(quantile(d, p, x, 2), offroi::invalid_argument);
    CHECK_THROWS_AS((void)cdf(d, NAN), offroi::invalid_argument);
    REQUIRE(d.get_if<offroi::gamma_distribution>() != nullptr);
    CHECK(d.get_if<offroi::gamma_distribution>()->shape() == 2.0);
    CHECK(d.get_if<offroi::normal_distribution>() == nullptr);
    const bool is_gamma = std::visit(
        [](const auto& f) { return std::is_same_v<std::decay_t<decltype(f)>, offroi::gamma_distribution>; }, d.variant());
    CHECK(is_gamma);
    // Copies are values: reassigning one leaves the other alone.
    distribution a = offroi::normal_distribution(0, 1);
    distribution b = a;
    a = offroi::poisson_distribution(2.0);
    CHECK(name(b) == "normal");
    CHECK(name(a) == "poisson");
    static_assert(distribution::holds_family<offroi::pert_distribution>);
    static_assert(!distribution::holds_family<double>);
    static_assert(!std::is_constructible_v<distribution, double>);
}

}  // namespace distributions_distribution_test
