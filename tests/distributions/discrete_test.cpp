#include <doctest/doctest.h>


#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "offroi/distributions/discrete.hpp"
#include "offroi/random.hpp"

#include "distributions/sample_checks.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace distributions_discrete_test {

using namespace offroi_test;

TEST_CASE("discrete: unsorted values, merged duplicates, pmf, cdf, moments") {
    // 12 listed twice (0.1 + 0.15), unsorted, a zero-probability value at each end.
    offroi::discrete_distribution d({12, 8, 10, 12, 3, 20}, {0.1, 0.25, 0.5, 0.15, 0.0, 0.0});
    CHECK(d.values() == std::vector<double>{3, 8, 10, 12, 20});
    CHECK(pmf(d, 12) == doctest::Approx(0.25));
    CHECK(pmf(d, 8) == doctest::Approx(0.25));
    CHECK(pmf(d, 9) == 0.0);
    CHECK(cdf(d, 7.9) == 0.0);
    CHECK(cdf(d, 8) == doctest::Approx(0.25));
    CHECK(cdf(d, 11) == doctest::Approx(0.75));
    CHECK(cdf(d, 12) == 1.0);
    CHECK(cdf(d, 100) == 1.0);
    CHECK(mean(d) == doctest::Approx(0.25 * 8 + 0.5 * 10 + 0.25 * 12));
    CHECK(variance(d) == doctest::Approx(0.25 * 4 + 0.25 * 4));
    CHECK(support(d).first == 8);   // values of probability 0 are not in the support
    CHECK(support(d).second == 12);
    // Quantile: smallest value with cdf >= p; never a value of probability 0.
    CHECK(quantile(d, 0.0) == 8);
    CHECK(quantile(d, 1e-12) == 8);
    CHECK(quantile(d, 0.25) == 8);
    CHECK(quantile(d, 0.2500001) == 10);
    CHECK(quantile(d, 0.75) == 10);
    CHECK(quantile(d, 0.9) == 12);
    CHECK(quantile(d, 1.0) == 12);
    // Probabilities summing to 1 within 1e-6 are normalised.
    offroi::discrete_distribution n({1, 2}, {0.5, 0.5000005});
    CHECK(n.cumulative().back() == 1.0);
    CHECK(pmf(n, 1) == doctest::Approx(0.5 / 1.0000005).epsilon(1e-15));
}

TEST_CASE("discrete: draws pass a chi-square test; mean and variance within 5 SE") {
    const std::vector<double> v{-3, 0.5, 2, 7, 11}, p{0.05, 0.3, 0.4, 0.2, 0.05};
    offroi::discrete_distribution d(v, p);
    const std::size_t n = 200'000;
    const auto x = draw(d, n, 2026, "discrete");
    std::vector<double> count(v.size(), 0.0);
    std::size_t other = 0;
    for (double s : x) {
        auto it = std::find(v.begin(), v.end(), s);
        if (it == v.end()) ++other;
        else count[std::size_t(it - v.begin())] += 1;
    }
    CHECK(other == 0);
    double chi2 = 0.0;
    for (std::size_t i = 0; i < v.size(); ++i) chi2 += (count[i] - n * p[i]) * (count[i] - n * p[i]) / (n * p[i]);
    CHECK(chi2 < chi_square_critical_999(double(v.size() - 1)));
    const auto m = sample_moments(x);
    CHECK(std::abs(m.mean - mean(d)) < 5 * std::sqrt(variance(d) / n));
    CHECK(std::abs(m.var - variance(d)) < 5 * m.se_var);
}

TEST_CASE("discrete: invalid parameters throw invalid_argument naming parameter and value") {
    using D = offroi::discrete_distribution;
    CHECK(thrown_message([] { D({}, {}); }).find("values is empty") != std::string::npos);
    auto m = thrown_message([] { D({1, 2}, {1.0}); });
    CHECK(m.find("values has 2 entries but probabilities has 1") != std::string::npos);
    m = thrown_message([] { D({1, 2}, {1.25, -0.25}); });
    CHECK(m.find("discrete_distribution") != std::string::npos);
    CHECK(m.find("probabilities[1] = -0.25") != std::string::npos);
    CHECK(thrown_message([] { D({1, NAN}, {0.5, 0.5}); }).find("values[1] = nan") != std::string::npos);
    CHECK(thrown_message([] { D({1, 2}, {0.5, NAN}); }).find("probabilities[1] = nan") != std::string::npos);
    m = thrown_message([] { D({1, 2}, {0.5, 0.6}); });
    CHECK(m.find("sum of probabilities = 1.1") != std::string::npos);
    CHECK(m.find("must be 1 within 1e-6") != std::string::npos);
    CHECK(thrown_message([] { D({1, 2}, {0.0, 0.0}); }).find("sum of probabilities = 0") != std::string::npos);
    D d({1, 2}, {0.5, 0.5});
    CHECK(thrown_message([&] { (void)quantile(d, 1.5); }).find("p = 1.5") != std::string::npos);
    double p[2] = {0.5, -1.5}, x[2];
    CHECK(thrown_message([&] { quantile(d, p, x, 2); }).find("p[1] = -1.5") != std::string::npos);
    CHECK(thrown_message([&] { (void)cdf(d, NAN); }).find("x = nan") != std::string::npos);
}

}  // namespace distributions_discrete_test
