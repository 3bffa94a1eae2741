// Weighted rank drivers (sensitivity/weighted_rank_sensitivity.hpp): equal weights give the
// unweighted measures, integer weights the repeated sample's, weights that pin an input
// remove it from the drivers, thread counts do not change the bits.
#include <doctest/doctest.h>

#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "offroi/distributions/detail/normal_math.hpp"
#include "offroi/random/philox.hpp"
#include "offroi/random/stream_id.hpp"
#include "offroi/sensitivity/rank_sensitivity.hpp"
#include "offroi/sensitivity/weighted_rank_sensitivity.hpp"

#include "decision/error_message.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace decision_weighted_rank_sensitivity_test {

using offroi_test::message_of;

namespace {

struct data {
    std::vector<std::vector<double>> x;
    std::vector<double> y;
    std::vector<std::span<const double>> cols() const {
        std::vector<std::span<const double>> c;
        for (const auto& v : x) c.emplace_back(v);
        return c;
    }
};

// y = 2 x1 + x2 + 0.3 x1 x3 + noise, x standard normal (x3's ties: rounded to 1 decimal).
data make(std::size_t n, std::uint64_t seed) {
    offroi::philox_stream s(seed, offroi::stream_id("wrs"));
    data d;
    d.x.assign(4, std::vector<double>(n));
    d.y.resize(n);
    for (std::size_t t = 0; t < n; ++t) {
        for (std::size_t j = 0; j < 4; ++j) d.x[j][t] = offroi::detail::normal_quantile(s.uniform(t, j));
        d.x[2][t] = std::round(10.0 * d.x[2][t]) / 10.0;
        d.y[t] = 2.0 * d.x[0][t] + d.x[1][t] + 0.3 * d.x[0][t] * d.x[2][t] + 0.5 * d.x[3][t];
    }
    d.x.pop_back();  // x4 is the noise, not an input
    return d;
}

}  // namespace

TEST_CASE("equal weights give rank_sensitivity's Spearman, SRRC and PRCC") {
    const auto d = make(3000, 1);
    const auto ref = offroi::rank_sensitivity(d.cols(), d.y);
    const std::vector<double> w(d.y.size(), 0.37);
    const auto r = offroi::weighted_rank_sensitivity(d.cols(), d.y, w);
    CHECK(r.ess == doctest::Approx(3000.0).epsilon(1e-12));
    for (std::size_t i = 0; i < 3; ++i) {
        CAPTURE(i);
        // Rounding only: the scores are an affine map of the mid-ranks.
        CHECK(r.spearman[i] == doctest::Approx(ref.spearman[i]).epsilon(1e-12).scale(1.0));
        CHECK(r.srrc[i] == doctest::Approx(ref.srrc[i]).epsilon(1e-12).scale(1.0));
        CHECK(r.prcc[i] == doctest::Approx(ref.prcc[i]).epsilon(1e-12).scale(1.0));
    }
    CHECK(r.srrc_r2 == doctest::Approx(ref.srrc_r2).epsilon(1e-12));
}

TEST_CASE("integer weights give the measures of the repeated sample") {
    const auto d = make(1500, 2);
    offroi::philox_stream s(5, offroi::stream_id("wrs_w"));
    std::vector<double> w(d.y.size());
    data rep;
    rep.x.assign(3, {});
    for (std::size_t t = 0; t < d.y.size(); ++t) {
        w[t] = std::floor(4.0 * s.uniform(t));  // 0..3 copies
        for (int k = 0; k < int(w[t]); ++k) {
            for (std::size_t j = 0; j < 3; ++j) rep.x[j].push_back(d.x[j][t]);
            rep.y.push_back(d.y[t]);
        }
    }
    const auto ref = offroi::rank_sensitivity(rep.cols(), rep.y);
    const auto r = offroi::weighted_rank_sensitivity(d.cols(), d.y, w);
    for (std::size_t i = 0; i < 3; ++i) {
        CAPTURE(i);
        CHECK(r.spearman[i] == doctest::Approx(ref.spearman[i]).epsilon(1e-11).scale(1.0));
        CHECK(r.srrc[i] == doctest::Approx(ref.srrc[i]).epsilon(1e-11).scale(1.0));
        CHECK(r.prcc[i] == doctest::Approx(ref.prcc[i]).epsilon(1e-11).scale(1.0));
    }
}

TEST_CASE("weights that pin an input remove it from the drivers") {
    // y = x1 + x2 (independent standard normals). Prior: SRRC about 0.70 each. Weights
    // exp(-x2^2 / (2 * 0.05^2)) pin x2 near 0 (weighted sd about 0.05), so under the weights
    // y ~ x1 + small: SRRC_2 near 0.05 (the rank transform of a near-linear model), SRRC_1
    // near 1. n = 2e5, ESS about 0.07 n = 1.4e4: SE of a rank coefficient about 1/sqrt(ESS) =
    // 0.01; tolerance 0.04 (~3 SE plus the 0.05 spread of the small term).
    const std::size_t n = 200000;
    offroi::philox_stream s(8, offroi::stream_id("pin"));
    std::vector<std::vector<double>> x(2, std::vector<double>(n));
    std::vector<double> y(n), w(n);
    for (std::size_t t = 0; t < n; ++t) {
        x[0][t] = offroi::detail::normal_quantile(s.uniform(t, 0));
        x[1][t] = offroi::detail::normal_quantile(s.uniform(t, 1));
        y[t] = x[0][t] + x[1][t];
        w[t] = std::exp(-x[1][t] * x[1][t] / (2 * 0.05 * 0.05));
    }
    const std::vector<std::span<const double>> cols{x[0], x[1]};
    const auto prior = offroi::rank_sensitivity(cols, y);
    CHECK(prior.srrc[0] == doctest::Approx(0.70).epsilon(0.03));
    const auto r = offroi::weighted_rank_sensitivity(cols, y, w, {"x1", "x2"});
    // Kish ESS in closed form: n E[w]^2 / E[w^2] = n sigma sqrt(sigma^2 + 2) / (sigma^2 + 1)
    // (= 0.0706 n); relative SE of the estimate below 1% at n = 2e5.
    const double sg = 0.05;
    CHECK(r.ess == doctest::Approx(double(n) * sg * std::sqrt(sg * sg + 2) / (sg * sg + 1)).epsilon(0.03));
    CHECK(r.srrc[0] > 0.96);
    CHECK(std::fabs(r.srrc[1] - 0.05) < 0.04);
    CHECK(r.names[1] == "x2");
}

TEST_CASE("weighted_rank_sensitivity: same bits for any thread count") {
    const auto d = make(5000, 3);
    std::vector<double> w(d.y.size());
    for (std::size_t t = 0; t < w.size(); ++t) w[t] = std::exp(-0.5 * d.x[1][t] * d.x[1][t]);
    const auto a = offroi::weighted_rank_sensitivity(d.cols(), d.y, w, {}, 1);
    const auto b = offroi::weighted_rank_sensitivity(d.cols(), d.y, w, {}, 2);
    const auto c = offroi::weighted_rank_sensitivity(d.cols(), d.y, w, {}, 4);
    CHECK(a.srrc == b.srrc);
    CHECK(a.srrc == c.srrc);
    CHECK(a.prcc == b.prcc);
    CHECK(a.spearman == c.spearman);
}

TEST_CASE("weighted_rank_sensitivity: bad input") {
    const auto d = make(20, 4);
    std::vector<double> w(20, 1.0);
    w[7] = std::nan("");
    CHECK(message_of([&] { offroi::weighted_rank_sensitivity(d.cols(), d.y, w); }).find("weights[7] = nan") !=
          std::string::npos);
    w[7] = 1.0;
    auto x = d.x;
    x[1][4] = INFINITY;
    std::vector<std::span<const double>> cols{x[0], x[1], x[2]};
    CHECK(message_of([&] { offroi::weighted_rank_sensitivity(cols, d.y, w, {"a", "b", "c"}); })
              .find("input b at row 4 = inf") != std::string::npos);
    std::vector<double> few(20, 0.0);
    few[0] = few[1] = few[2] = few[3] = 1.0;
    CHECK(message_of([&] { offroi::weighted_rank_sensitivity(d.cols(), d.y, few); })
              .find("number of samples with positive weight = 4") != std::string::npos);
}

}  // namespace decision_weighted_rank_sensitivity_test
