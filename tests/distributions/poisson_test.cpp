#include <doctest/doctest.h>

#include <boost/math/distributions/poisson.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "offroi/distributions/poisson.hpp"
#include "offroi/random.hpp"

#include "distributions/sample_checks.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace distributions_poisson_test {

using namespace offroi_test;

TEST_CASE("poisson: pmf and cdf agree with Boost.Math") {
    for (double lambda : {0.01, 0.7, 4.0, 55.5, 1e4, 3e7}) {
        offroi::poisson_distribution d(lambda);
        boost::math::poisson_distribution<double> b(lambda);
        const double sd = std::sqrt(lambda);
        for (double z : {-5.0, -2.0, 0.0, 1.0, 3.0, 8.0}) {
            const double k = std::max(0.0, std::floor(lambda + z * sd));
            CHECK(cdf(d, k) == doctest::Approx(boost::math::cdf(b, k)).epsilon(1e-13));
            CHECK(cdf(d, k + 0.5) == cdf(d, k));
            CHECK(pmf(d, k) == doctest::Approx(boost::math::pdf(b, k)).epsilon(1e-13));
        }
        CHECK(pmf(d, 1.5) == 0.0);
        CHECK(pmf(d, -1.0) == 0.0);
        CHECK(cdf(d, -0.5) == 0.0);
        CHECK(mean(d) == lambda);
        CHECK(variance(d) == lambda);
    }
    CHECK(offroi::poisson_distribution(30.0).table() != nullptr);
    // The table (exact anchors + pmf recurrence) matches Boost's cdf and survival function
    // to 1e-12 relative.
    for (double lambda : {0.01, 55.5, 1e4, 3e7}) {
        offroi::poisson_distribution d(lambda);
        const auto* t = d.table();
        REQUIRE(t != nullptr);
        const std::size_t stride = lambda > 1e6 ? 97 : 1;  // Boost is slow at huge lambda
        double worst = 0.0;
        for (std::size_t j = 0; j < t->cdf.size(); j += stride) {
            const double e = boost::math::gamma_q(t->first + double(j) + 1.0, lambda);
            const double es = boost::math::gamma_p(t->first + double(j) + 1.0, lambda);
            worst = std::max({worst, std::abs(t->cdf[j] - e) / e, std::abs(t->sf[j] - es) / es});
        }
        CHECK_MESSAGE(worst < 1e-12, "lambda = " << lambda << " worst = " << worst);
    }
    CHECK(offroi::poisson_distribution(3e7).table() != nullptr);
    CHECK(offroi::poisson_distribution(1e9).table() == nullptr);  // beyond the table size
}

TEST_CASE("poisson: quantile is the smallest k with cdf(k) >= p, table and Boost paths, tails") {
    // Probabilities from 1e-300 to 1 - 1e-16, both paths (table body and Boost tails), and
    // a lambda without a table.
    std::vector<double> ps;
    for (double e = -300; e <= -1; e += 0.5) ps.push_back(std::pow(10.0, e));
    for (int i = 1; i < 1000; ++i) ps.push_back(i / 1000.0);
    for (double e = -16; e <= -1; e += 0.5) ps.push_back(1.0 - std::pow(10.0, e));
    std::vector<double> ps_thin;  // without a table a quantile costs ~1 ms: every 10th p
    for (std::size_t i = 0; i < ps.size(); i += 10) ps_thin.push_back(ps[i]);
    for (double lambda : {0.01, 0.7, 4.0, 55.5, 1e4, 3e7, 1e9}) {
        offroi::poisson_distribution d(lambda);
        const std::vector<double>& ps_used = d.table() ? ps : ps_thin;
        using namespace boost::math::policies;
        boost::math::poisson_distribution<double, policy<discrete_quantile<integer_round_up>>> b(lambda);
        std::size_t bad = 0, far_from_boost = 0, sampled = 0;
        for (double p : ps_used) {
            const double k = quantile(d, p);
            if (p <= 0.5) {
                if (!(cdf(d, k) >= p) || (k > 0 && !(cdf(d, k - 1) < p))) ++bad;
            } else {
                // Upper half: the survival function P(X > k) = P(k + 1, lambda) keeps relative
                // accuracy where cdf(k) rounds to 1; one ulp of 1 of slack for rounding.
                const double q = 1.0 - p, tol = 0x1.0p-52;
                auto sf = [&](double j) { return boost::math::gamma_p(j + 1.0, lambda); };
                if (!(sf(k) <= q + tol) || (k > 0 && !(sf(k - 1) > q - tol))) ++bad;
            }
            // Boost's inverse may differ by one only at a near-tie (|cdf(k) - p| tiny); beyond
            // p = 0.999 its cdf-based search is not accurate for huge lambda, so stop there.
            // For huge lambda Boost's inverse costs ~1 ms: compare every 20th p only.
            if (p > 0.999 || (lambda > 1e6 && ++sampled % 20 != 0)) continue;
            const double kb = boost::math::quantile(b, p);
            if (k != kb && !(std::abs(cdf(d, std::min(k, kb)) - p) < 1e-12 * p + 1e-300)) ++far_from_boost;
        }
        CHECK_MESSAGE(bad == 0, "lambda = " << lambda);
        CHECK_MESSAGE(far_from_boost == 0, "lambda = " << lambda);
        // Batch equals scalar.
        std::vector<double> x(ps_used.size());
        quantile(d, ps_used.data(), x.data(), ps_used.size());
        std::size_t diff = 0;
        for (std::size_t i = 0; i < ps_used.size(); ++i) diff += x[i] != quantile(d, ps_used[i]);
        CHECK(diff == 0);
    }
    // Exact ties in the lower half: p equal to cdf(k) gives k.
    offroi::poisson_distribution d(3.0);
    for (double k = 0; cdf(d, k) <= 0.5; ++k) CHECK(quantile(d, cdf(d, k)) == k);
    // Upper half, decided on the survival side: just above and below P(X > k) = q_k.
    for (double k = 3; k < 12; ++k) {
        const double q = boost::math::gamma_p(k + 1.0, 3.0);
        CHECK(quantile(d, 1.0 - q * (1 + 1e-9)) == k);      // P(X > k) <= 1 - p < P(X > k - 1)
        CHECK(quantile(d, 1.0 - q * (1 - 1e-9)) == k + 1);  // 1 - p just below P(X > k)
    }
    CHECK(quantile(d, 0.0) == 0.0);
    CHECK(std::isinf(quantile(d, 1.0)));
}

TEST_CASE("poisson: draws pass a chi-square test; mean and variance within 5 SE") {
    for (double lambda : {0.3, 6.5, 2000.0}) {
        offroi::poisson_distribution d(lambda);
        const std::size_t n = 200'000;
        const auto x = draw(d, n, 2026, "poisson");
        // Bins: each k in the body with expected count >= 20, tails pooled.
        const double sd = std::sqrt(lambda);
        const double lo = std::max(0.0, std::floor(lambda - 4 * sd)), hi = std::ceil(lambda + 4 * sd);
        std::vector<double> obs(std::size_t(hi - lo) + 3, 0.0);  // [< lo], lo..hi, [> hi]
        for (double v : x) {
            if (v < lo) obs[0] += 1;
            else if (v > hi) obs.back() += 1;
            else obs[std::size_t(v - lo) + 1] += 1;
        }
        std::vector<double> expct(obs.size());
        expct[0] = lo > 0 ? n * cdf(d, lo - 1) : 0.0;
        for (double k = lo; k <= hi; ++k) expct[std::size_t(k - lo) + 1] = n * pmf(d, k);
        expct.back() = n * (1.0 - cdf(d, hi));
        // Pool adjacent bins until each expects >= 20.
        double chi2 = 0.0, o = 0.0, e = 0.0;
        int df = -1;
        for (std::size_t i = 0; i < obs.size(); ++i) {
            o += obs[i];
            e += expct[i];
            if (e >= 20.0 || i + 1 == obs.size()) {
                if (e > 0) {
                    chi2 += (o - e) * (o - e) / e;
                    ++df;
                }
                o = e = 0.0;
            }
        }
        CHECK_MESSAGE(chi2 < chi_square_critical_999(df),
                      "lambda = " << lambda << " chi2 = " << chi2 << " df = " << df);
        const auto m = sample_moments(x);
        CHECK(std::abs(m.mean - mean(d)) < 5 * std::sqrt(lambda / n));
        CHECK(std::abs(m.var - variance(d)) < 5 * m.se_var);
    }
}

TEST_CASE("poisson: invalid parameters throw invalid_argument naming parameter and value") {
    auto msg = thrown_message([] { (void)offroi::poisson_distribution(-2.5); });
    CHECK(msg.find("poisson_distribution") != std::string::npos);
    CHECK(msg.find("mean = -2.5") != std::string::npos);
    CHECK(thrown_message([] { (void)offroi::poisson_distribution(0.0); }).find("mean = 0") != std::string::npos);
    CHECK(thrown_message([] { (void)offroi::poisson_distribution(INFINITY); }).find("mean = inf") != std::string::npos);
    offroi::poisson_distribution d(2.0);
    CHECK(thrown_message([&] { (void)quantile(d, 1.5); }).find("p = 1.5") != std::string::npos);
    double p[2] = {0.5, -1.5}, x[2];
    CHECK(thrown_message([&] { quantile(d, p, x, 2); }).find("p[1] = -1.5") != std::string::npos);
    CHECK(thrown_message([&] { (void)cdf(d, NAN); }).find("x = nan") != std::string::npos);
}

}  // namespace distributions_poisson_test
