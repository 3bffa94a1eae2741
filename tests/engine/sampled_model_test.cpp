// A sampler wired into the engine (sampled_model), the one-call exact summary of a run's
// output (summarize(run_result, name)) and the achieved Spearman matrix of a sample.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "offroi/distributions/lognormal.hpp"
#include "offroi/distributions/pert.hpp"
#include "offroi/distributions/uniform.hpp"
#include "offroi/engine/run.hpp"
#include "offroi/engine/run_summary.hpp"
#include "offroi/engine/sampled_model.hpp"
#include "offroi/sampling/rank_correlation_matrix.hpp"
#include "offroi/sampling/sampler.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace engine_sampled_model_test {

using namespace offroi;

namespace {
sampler cost_inputs(std::uint64_t seed) {
    return sampler({{"rate", pert_distribution(20, 30, 50)},
                    {"hours", lognormal_distribution::from_percentiles({0.1, 1500}, {0.9, 2100})}},
                   {.seed = seed, .correlations = {{"rate", "hours", -0.5}}});
}
auto cost = [](const block_context&, const double* const* x, block_outputs& out) {
    for (std::size_t k = 0; k < out.count(); ++k) out.column(0)[k] = x[0][k] * x[1][k];
};
}  // namespace

TEST_CASE("sampled_model: the sampler's draws through the engine, same bits for any thread count") {
    const sampler in = cost_inputs(42);
    const auto m = sampled_model(in, {"cost"}, cost);
    run_options o = m.run_options_for(50000);
    CHECK(o.seed == 42);
    o.threads = 1;
    const run_result r1 = run(m, o);
    o.threads = 2;
    const run_result r2 = run(m, o);
    CHECK(r1.summary(0) == r2.summary(0));
    // Trial t's output is the product of the sampler's own draws of trial t.
    const Eigen::MatrixXd x = in.sample(50000);
    for (Eigen::Index t = 0; t < 50000; t += 4999) CHECK(r1.samples(0)[std::size_t(t)] == x(t, 0) * x(t, 1));
}

TEST_CASE("sampled_model: a run seed other than the sampler's is refused, naming both") {
    const auto m = sampled_model(cost_inputs(42), {"cost"}, cost);
    run_options o = m.run_options_for(1000);
    o.seed = 7;
    CHECK_THROWS_WITH_AS(run(m, o), doctest::Contains("run's seed 7 is not the sampler's seed 42"), invalid_argument);
    CHECK_THROWS_AS(sampled_model(cost_inputs(1), {}, cost), invalid_argument);
}

TEST_CASE("summarize(run_result, name): exact type-7 percentiles from the kept samples") {
    const auto m = sampled_model(cost_inputs(3), {"cost"}, cost);
    const run_result r = run(m, m.run_options_for(20001));
    const summary s = summarize(r, "cost", {.percentiles = {0.05}});
    CHECK(s.exact);
    std::vector<double> v(r.samples(0).begin(), r.samples(0).end());
    std::sort(v.begin(), v.end());
    // n = 20001: P50 is the order statistic at h = 0.5 (n - 1) = 10000 exactly; P5 at h = 1000.
    CHECK(s.percentile(0.5).value == v[10000]);
    CHECK(s.percentile(0.05).value == v[1000]);
    CHECK(summarize(r, std::size_t{0}).mean == s.mean);
    CHECK_THROWS_AS(summarize(r, "nope"), invalid_argument);
}

TEST_CASE("spearman_matrix: known answer with ties, and the sampler's targets achieved") {
    Eigen::MatrixXd a(5, 3);
    // x: 1..5; y: reversed; z: ties (1, 1, 2, 2, 3) -> mid-ranks 1.5, 1.5, 3.5, 3.5, 5.
    a << 1, 5, 1, 2, 4, 1, 3, 3, 2, 4, 2, 2, 5, 1, 3;
    const Eigen::MatrixXd c = spearman_matrix(a);
    CHECK(c(0, 0) == 1.0);
    CHECK(c(0, 1) == doctest::Approx(-1.0).epsilon(1e-15));
    // The Pearson correlation of the mid-ranks: x centred -2..2, z centred -1.5, -1.5, 0.5, 0.5, 2.
    const double zc[] = {-1.5, -1.5, 0.5, 0.5, 2.0}, xc[] = {-2, -1, 0, 1, 2};
    double sxz = 0, sxx = 0, szz = 0;
    for (int i = 0; i < 5; ++i) sxz += xc[i] * zc[i], sxx += xc[i] * xc[i], szz += zc[i] * zc[i];
    CHECK(c(0, 2) == doctest::Approx(sxz / std::sqrt(sxx * szz)).epsilon(1e-14));
    CHECK(c(2, 0) == c(0, 2));

    // The Gaussian copula imposes the Spearman target in expectation; the achieved value of
    // n = 40000 draws has a standard error below 1/sqrt(n - 1) = 0.005: 5 SE = 0.025.
    const Eigen::MatrixXd s = spearman_matrix(cost_inputs(9).sample(40000));
    CHECK(std::fabs(s(0, 1) + 0.5) < 0.025);
    CHECK_THROWS_AS(spearman_matrix(Eigen::MatrixXd(1, 2)), invalid_argument);
}

}  // namespace engine_sampled_model_test
