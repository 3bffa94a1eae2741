#include <doctest/doctest.h>


#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "offroi/distributions/empirical.hpp"
#include "offroi/random.hpp"

#include "distributions/sample_checks.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace distributions_empirical_test {

using namespace offroi_test;


TEST_CASE("empirical interpolated: type-7 quantile, piecewise-linear cdf, closed-form moments") {
    // Unsorted data with a tie; sorted: 1, 2, 2, 4, 9 (n - 1 = 4 segments of probability 1/4).
    offroi::empirical_distribution d({4, 2, 9, 1, 2});
    CHECK(d.kind() == offroi::empirical_kind::interpolated);
    CHECK(quantile(d, 0.0) == 1);
    CHECK(quantile(d, 0.125) == doctest::Approx(1.5));   // h = 0.5 in segment [1, 2]
    CHECK(quantile(d, 0.25) == 2);
    CHECK(quantile(d, 0.5) == 2);                         // tie: flat segment
    CHECK(quantile(d, 0.625) == doctest::Approx(3));      // h = 2.5 in [2, 4]
    CHECK(quantile(d, 0.9) == doctest::Approx(7));        // h = 3.6 in [4, 9]
    CHECK(quantile(d, 1.0) == 9);
    CHECK(cdf(d, 0.5) == 0.0);
    CHECK(cdf(d, 1.5) == doctest::Approx(0.125));
    CHECK(cdf(d, 2.0) == doctest::Approx(0.5));           // right-continuous at the tie
    CHECK(cdf(d, 3.0) == doctest::Approx(0.625));
    CHECK(cdf(d, 9.0) == 1.0);
    CHECK(pdf(d, 3.0) == doctest::Approx(1.0 / (4 * 2)));
    CHECK(pdf(d, 10.0) == 0.0);
    // Mean: average of segment midpoints (1.5 + 2 + 3 + 6.5) / 4.
    CHECK(mean(d) == doctest::Approx(13.0 / 4));
    // Variance: E[Q^2] - mean^2 with E[Q^2] = mean over segments of (a^2 + ab + b^2) / 3.
    const double eq2 = ((1 + 2 + 4) + (4 + 4 + 4) + (4 + 8 + 16) + (16 + 36 + 81)) / 3.0 / 4.0;
    CHECK(variance(d) == doctest::Approx(eq2 - (13.0 / 4) * (13.0 / 4)));
    CHECK(support(d) == std::pair<double, double>{1, 9});
    // cdf and quantile are inverse on the strictly increasing parts.
    for (double p : {0.01, 0.2, 0.55, 0.7, 0.99}) CHECK(cdf(d, quantile(d, p)) == doctest::Approx(p));
    // One observation: a point mass.
    offroi::empirical_distribution one({5.0});
    CHECK(quantile(one, 0.3) == 5.0);
    CHECK(mean(one) == 5.0);
    CHECK(variance(one) == 0.0);
    CHECK(pmf(one, 5.0) == 1.0);
}

TEST_CASE("empirical interpolated: draws pass KS; mean and variance within 5 SE") {
    std::vector<double> data;
    offroi::philox_stream g(7, offroi::stream_id("data"));
    for (int i = 0; i < 40; ++i) data.push_back(std::exp(3.0 * g.uniform(i)));  // skewed data
    offroi::empirical_distribution d(data);
    const auto x = draw(d, 100'000, 2026, "empirical");
    CHECK(ks_sqrt_n(x, [&](double v) { return cdf(d, v); }) < ks_crit);
    const auto m = sample_moments(x);
    CHECK(std::abs(m.mean - mean(d)) < 5 * m.se_mean);
    CHECK(std::abs(m.var - variance(d)) < 5 * m.se_var);
}

TEST_CASE("empirical resampled: each observation with probability 1/n") {
    const std::vector<double> data{3, 1, 4, 1, 5, 9, 2, 6};
    offroi::empirical_distribution d(data, offroi::empirical_kind::resampled);
    CHECK(pmf(d, 1) == doctest::Approx(2.0 / 8));
    CHECK(pmf(d, 4) == doctest::Approx(1.0 / 8));
    CHECK(pmf(d, 7) == 0.0);
    CHECK(cdf(d, 1) == doctest::Approx(2.0 / 8));
    CHECK(cdf(d, 4.5) == doctest::Approx(5.0 / 8));
    CHECK(quantile(d, 0.0) == 1);
    CHECK(quantile(d, 0.25) == 1);       // smallest x with cdf >= 0.25
    CHECK(quantile(d, 0.2500001) == 2);
    CHECK(quantile(d, 1.0) == 9);
    double s = 0, s2 = 0;
    for (double v : data) s += v;
    const double mu = s / 8;
    for (double v : data) s2 += (v - mu) * (v - mu);
    CHECK(mean(d) == doctest::Approx(mu));
    CHECK(variance(d) == doctest::Approx(s2 / 8));
    CHECK_THROWS_AS((void)pdf(d, 2.0), offroi::invalid_argument);
    // Chi-square over the 7 distinct values.
    const std::size_t n = 160'000;
    const auto x = draw(d, n, 2026, "resampled");
    const std::vector<double> vals{1, 2, 3, 4, 5, 6, 9};
    double chi2 = 0.0;
    std::size_t total = 0;
    for (double v : vals) {
        const double c = double(std::count(x.begin(), x.end(), v));
        total += std::size_t(c);
        const double e = n * pmf(d, v);
        chi2 += (c - e) * (c - e) / e;
    }
    CHECK(total == n);
    CHECK(chi2 < chi_square_critical_999(6));
    const auto m = sample_moments(x);
    CHECK(std::abs(m.mean - mean(d)) < 5 * std::sqrt(variance(d) / n));
}

TEST_CASE("empirical: invalid data throws invalid_argument naming the problem and value") {
    using E = offroi::empirical_distribution;
    CHECK(thrown_message([] { E(std::vector<double>{}); }).find("data is empty") != std::string::npos);
    auto m = thrown_message([] { E({1.0, 2.0, NAN}); });
    CHECK(m.find("empirical_distribution") != std::string::npos);
    CHECK(m.find("data[2] = nan") != std::string::npos);
    CHECK(thrown_message([] { E({INFINITY}); }).find("data[0] = inf") != std::string::npos);
    CHECK(thrown_message([] { E({1.0}, static_cast<offroi::empirical_kind>(7)); }).find("kind = 7") !=
          std::string::npos);
    E d({1.0, 2.0});
    CHECK(thrown_message([&] { (void)quantile(d, 1.5); }).find("p = 1.5") != std::string::npos);
    double p[2] = {0.5, -1.5}, x[2];
    CHECK(thrown_message([&] { quantile(d, p, x, 2); }).find("p[1] = -1.5") != std::string::npos);
    CHECK(thrown_message([&] { (void)cdf(d, NAN); }).find("x = nan") != std::string::npos);
}

}  // namespace distributions_empirical_test
