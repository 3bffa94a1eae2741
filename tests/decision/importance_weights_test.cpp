// PSIS (Vehtari et al. 2024) and its pieces: known GPD tails recovered, uniform weights,
// conjugate normal updating by reweighting, bad input.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "offroi/decision/importance_weights.hpp"
#include "offroi/distributions/normal.hpp"
#include "offroi/random/philox.hpp"
#include "offroi/random/stream_id.hpp"
#include "offroi/stats/weighted_statistics.hpp"

#include "decision/error_message.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace decision_importance_weights_test {

using offroi_test::message_of;

namespace {

std::vector<double> uniforms(std::size_t n, std::uint64_t seed, const char* stream = "psis_test") {
    offroi::philox_stream s(seed, offroi::stream_id(stream));
    std::vector<double> u(n);
    for (std::size_t i = 0; i < n; ++i) u[i] = s.uniform(i);
    return u;
}

// Log of S draws from GPD(k, sigma = 1): sigma ((1 - U)^-k - 1) / k.
std::vector<double> gpd_log_weights(std::size_t S, double k, std::uint64_t seed) {
    const auto u = uniforms(S, seed);
    std::vector<double> lw(S);
    for (std::size_t i = 0; i < S; ++i) lw[i] = std::log(std::expm1(-k * std::log1p(-u[i])) / k);
    return lw;
}

}  // namespace

TEST_CASE("psis: threshold and tail size follow Vehtari et al. (2024)") {
    CHECK(offroi::psis_k_threshold(100) == doctest::Approx(0.5));
    CHECK(offroi::psis_k_threshold(1000) == doctest::Approx(2.0 / 3.0));
    CHECK(offroi::psis_k_threshold(100000) == 0.7);  // 1 - 1/5 = 0.8 capped at 0.7
    CHECK(offroi::psis_tail_size(100) == 20);        // 0.2 S = 20 < 3 sqrt(S) = 30
    CHECK(offroi::psis_tail_size(10000) == 300);     // 3 sqrt(S) = 300 < 2000
    CHECK(offroi::psis_tail_size(1000000) == 3000);
    CHECK(offroi::psis_tail_size(1000001) == 3001);  // ceil(3 * 1000.0005)
}

TEST_CASE("fit_generalized_pareto recovers the shape of GPD samples") {
    // n = 4000 draws: the MLE's standard error of k is about (1 + k) / sqrt(n) = 0.021 (k =
    // 0.3) and 0.030 (k = 0.9); the prior's pull (n k + 5)/(n + 10) - k is below 0.001.
    // Tolerance 3 SE.
    for (double k : {0.3, 0.9}) {
        const auto lw = gpd_log_weights(4000, k, 11);
        std::vector<double> x(lw.size());
        for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::exp(lw[i]);
        const auto f = offroi::fit_generalized_pareto(x);
        CAPTURE(k);
        CHECK(std::fabs(f.k - k) < 3.0 * (1.0 + k) / std::sqrt(4000.0));
        // sigma's relative standard error is about sqrt(2 (1 + k)) / sqrt(n) (0.025 / 0.030).
        CHECK(std::fabs(f.sigma - 1.0) < 3.0 * std::sqrt(2.0 * (1.0 + k) / 4000.0));
    }
}

TEST_CASE("psis: k-hat of weights with a known GPD tail (k = 0.3 and 0.9)") {
    // S = 1e6 GPD(k, 1) weights: the tail above any threshold is GPD with the same k, so
    // k-hat estimates k from M = 3000 tail draws: SE about (1 + k) / sqrt(3000) = 0.024 (0.3)
    // and 0.035 (0.9). Tolerance 3 SE.
    const std::size_t S = 1000000;
    for (double k : {0.3, 0.9}) {
        CAPTURE(k);
        const auto r = offroi::psis(gpd_log_weights(S, k, 2024));
        CHECK(r.tail == offroi::psis_tail::fitted);
        CHECK(r.tail_size == 3000);
        CHECK(std::fabs(r.k_hat - k) < 3.0 * (1.0 + k) / std::sqrt(3000.0));
        CHECK(r.reliable() == (k < 0.7));
        double sum = 0.0;
        for (double w : r.weights) sum += w;
        CHECK(sum == doctest::Approx(1.0).epsilon(1e-12));
        // Smoothing never raises a weight above the largest raw one (log 0 after the shift).
        double lmax = -1.0;
        for (double l : r.log_weights) lmax = std::max(lmax, l);
        CHECK(lmax <= 0.0);
        MESSAGE("k = " << k << ": k-hat = " << r.k_hat << ", ESS = " << r.ess);
    }
}

TEST_CASE("psis: uniform weights give ESS = S exactly and nothing to smooth") {
    for (std::size_t S : {25u, 1000u, 65537u}) {
        const std::vector<double> lw(S, -3.25);
        const auto r = offroi::psis(lw);
        CHECK(r.ess == double(S));
        CHECK(r.raw_ess == double(S));
        CHECK(r.tail == offroi::psis_tail::constant);
        CHECK(r.k_hat == -std::numeric_limits<double>::infinity());
        CHECK(r.reliable());
        std::size_t off = 0;
        for (double w : r.weights) off += std::fabs(w * double(S) - 1.0) > 1e-15;
        CHECK(off == 0);
    }
    // Too few draws to fit a tail: no smoothing, k-hat = +inf (cannot be diagnosed).
    const auto small = offroi::psis(std::vector<double>{0.0, -1.0, -2.0, 0.5});
    CHECK(small.tail == offroi::psis_tail::too_short);
    CHECK_FALSE(small.reliable());
    CHECK(small.weights[3] == doctest::Approx(1.0 / (1.0 + std::exp(-0.5) + std::exp(-1.5) + std::exp(-2.5))));
}

TEST_CASE("kish_ess: known values") {
    CHECK(offroi::kish_ess(std::vector<double>{1, 1, 1, 1}) == 4.0);
    CHECK(offroi::kish_ess(std::vector<double>{3, 0, 0, 0}) == 1.0);
    CHECK(offroi::kish_ess(std::vector<double>{1, 2}) == doctest::Approx(9.0 / 5.0).epsilon(1e-15));
    CHECK(message_of([] { offroi::kish_ess(std::vector<double>{1, -1}); }).find("weights[1]") != std::string::npos);
}

TEST_CASE("conjugate normal updating by reweighting prior draws") {
    // Prior theta ~ N(m0, t^2), one observation y ~ N(theta, s^2): the posterior is normal with
    // precision 1/t^2 + 1/s^2 and mean (m0/t^2 + y/s^2) / precision. Reweighting S prior
    // draws by the likelihood must recover it within Monte Carlo error: the mean within 3 SE
    // (SE = posterior sd / sqrt(ESS)), the variance within 3 SE (SE of a normal sample
    // variance = var sqrt(2 / ESS)), the quartiles within 3 SE (SE of a p-quantile =
    // sqrt(p (1 - p) / ESS) / density at it).
    const double m0 = 35.0, t = 5.0, y = 41.0, s = 3.0;
    const double prec = 1.0 / (t * t) + 1.0 / (s * s);
    const double mpost = (m0 / (t * t) + y / (s * s)) / prec, vpost = 1.0 / prec;
    const std::size_t S = 200000;
    const auto u = uniforms(S, 7, "conjugate");
    const offroi::normal_distribution prior(m0, t);
    std::vector<double> theta(S), lw(S);
    for (std::size_t i = 0; i < S; ++i) {
        theta[i] = offroi::quantile(prior, u[i]);
        lw[i] = -0.5 * (y - theta[i]) * (y - theta[i]) / (s * s);
    }
    const auto r = offroi::psis(lw);
    CHECK(r.reliable());
    CHECK(r.k_hat < 0.5);
    // The ESS of normal-likelihood reweighting of a normal prior in closed form:
    // S E[w]^2 / E[w^2] = S s sqrt(s^2 + 2 t^2) / (s^2 + t^2) exp(-d^2 (1/(s^2 + t^2) - 1/(s^2 + 2 t^2))),
    // d = y - m0 (0.43 S here). Relative tolerance 2%: the estimate's relative SE at S = 2e5 is
    // below 0.5% (delta method on the sums of w and w^2, 0 <= w <= 1).
    const double d = y - m0;
    const double ess_expected = double(S) * s * std::sqrt(s * s + 2 * t * t) / (s * s + t * t) *
                                std::exp(-d * d * (1.0 / (s * s + t * t) - 1.0 / (s * s + 2 * t * t)));
    CHECK(r.ess == doctest::Approx(ess_expected).epsilon(0.02));
    const offroi::weighted_sample ws(theta, r.weights);
    const double se_mean = std::sqrt(vpost / r.ess);
    CHECK(std::fabs(ws.mean() - mpost) < 3.0 * se_mean);
    CHECK(ws.mean_se() == doctest::Approx(se_mean).epsilon(0.05));
    CHECK(std::fabs(ws.variance() - vpost) < 3.0 * vpost * std::sqrt(2.0 / r.ess));
    const offroi::normal_distribution post(mpost, std::sqrt(vpost));
    for (double p : {0.1, 0.25, 0.5, 0.75, 0.9}) {
        const double q = offroi::quantile(post, p);
        const double se_q = std::sqrt(p * (1.0 - p) / r.ess) / offroi::pdf(post, q);
        CAPTURE(p);
        CHECK(std::fabs(ws.quantile(p) - q) < 3.0 * se_q);
    }
}

TEST_CASE("psis: bad input names the field, the value and what is allowed") {
    std::vector<double> lw{0.0, -1.0, std::nan(""), -2.0};
    const auto m = message_of([&] { offroi::psis(lw); });
    CHECK(m.find("log_weights[2]") != std::string::npos);
    CHECK(m.find("nan") != std::string::npos);
    CHECK(m.find("finite or -inf") != std::string::npos);
    lw[2] = std::numeric_limits<double>::infinity();
    CHECK(message_of([&] { offroi::psis(lw); }).find("log_weights[2] = inf") != std::string::npos);
    const double ninf = -std::numeric_limits<double>::infinity();
    CHECK(message_of([&] { offroi::psis(std::vector<double>{ninf, ninf, ninf}); }).find("every log-weight is -inf") !=
          std::string::npos);
    CHECK(message_of([&] { offroi::psis(std::vector<double>{1.0}); }).find("number of log-weights = 1") !=
          std::string::npos);
    // One draw holds all the mass (an exact observation): degenerate, k-hat = +inf, ESS 1.
    std::vector<double> spike(10000);
    for (std::size_t i = 0; i < spike.size(); ++i) spike[i] = -1e12 * double(i % 97);
    const auto d = offroi::psis(spike);
    CHECK(d.tail == offroi::psis_tail::degenerate);
    CHECK(d.k_hat == std::numeric_limits<double>::infinity());
    CHECK_FALSE(d.reliable());
    CHECK(d.ess == doctest::Approx(double(spike.size() / 97 + 1)));  // the draws with lw = 0
    // -inf is a weight of 0, allowed.
    const auto r = offroi::psis(std::vector<double>{0.0, ninf, 0.0, ninf});
    CHECK(r.weights[0] == 0.5);
    CHECK(r.weights[1] == 0.0);
}

}  // namespace decision_importance_weights_test
