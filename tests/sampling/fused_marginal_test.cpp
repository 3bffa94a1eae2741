// The fused normal-score marginal of the Gaussian copula (sampling_options::fused_marginals):
// draws agree with the two-step path (Phi then the quantile table) to the tables' documented
// accuracy, reach the target rank correlation, are the same bits whatever the split into
// shards and threads, and the two-step path stays available bit for bit.
#include <doctest/doctest.h>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "offroi/distributions/distribution.hpp"
#include "offroi/sampling/sampler.hpp"
#include "sampling/helpers.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace sampling_fused_marginal_test {

using namespace offroi;

namespace {

constexpr std::size_t kInputs = 6;

std::vector<sampler_input> perts() {
    std::vector<sampler_input> in;
    for (std::size_t i = 0; i < kInputs; ++i)
        in.push_back({"cost_" + std::to_string(i),
                      pert_distribution(10.0 + i, 20.0 + 2.0 * i, 45.0 + 5.0 * i, i == 5 ? 40.0 : 4.0)});
    in.push_back({"beta", beta_distribution(0.7, 3.0, 0.0, 1.0)});
    in.push_back({"ramp", triangular_distribution(2, 4, 9)});  // not fused: Phi, then quantile
    return in;
}

sampling_options options(sampling_method m, bool fused, double rho = 0.3) {
    sampling_options o;
    o.method = m;
    o.seed = 7;
    o.design_size = 20000;
    o.fused_marginals = fused;
    const auto in = perts();
    for (std::size_t i = 0; i < in.size(); ++i)
        for (std::size_t j = i + 1; j < in.size(); ++j)
            o.correlations.push_back({in[i].name, in[j].name, rho});
    return o;
}

std::vector<double> column(const Eigen::MatrixXd& m, Eigen::Index j) {
    return std::vector<double>(m.col(j).data(), m.col(j).data() + m.rows());
}

}  // namespace

TEST_CASE("fused draws equal the two-step draws to 1e-9 of max(|x|, IQR); fused off = quantile(u) bitwise") {
    for (auto m : {sampling_method::monte_carlo, sampling_method::latin_hypercube, sampling_method::sobol}) {
        const sampler fused(perts(), options(m, true)), two(perts(), options(m, false));
        const std::size_t n = 5000;
        const auto xf = fused.sample(n), xt = two.sample(n);
        const auto u = two.uniforms().sample_uniform(n);
        double worst = 0.0;
        for (Eigen::Index j = 0; j < xf.cols(); ++j) {
            const auto& d = two.inputs()[static_cast<std::size_t>(j)].dist;
            const double iqr = quantile(d, 0.75) - quantile(d, 0.25);
            for (Eigen::Index t = 0; t < static_cast<Eigen::Index>(n); ++t) {
                REQUIRE(xt(t, j) == quantile(d, u(t, j)));  // the two-step path, unchanged
                worst = std::max(worst, std::fabs(xf(t, j) - xt(t, j)) / std::max(std::fabs(xt(t, j)), iqr));
            }
        }
        INFO("method " << int(m));
        CHECK(worst <= 2e-9);  // both paths within 1e-9 of Boost's exact quantile
        CHECK(worst > 0.0);    // the fused path is really taken
        // Columns outside the fused set are bitwise the two-step ones: the first correlated
        // input (identity row of the Cholesky factor) and the triangular input.
        CHECK(xf.col(0) == xt.col(0));
        CHECK(xf.col(7) == xt.col(7));
    }
}

TEST_CASE("fused draws reach the target Spearman matrix within 4 standard errors") {
    // Spearman of the Gaussian copula's output equals the target; its standard error at
    // n draws is about sqrt(1.06 / (n - 3)) (1 - rho^2) (Fieller, Hartley and Pearson 1957).
    const std::size_t n = 20000;
    for (double rho : {0.3, -0.1}) {
        for (auto m : {sampling_method::monte_carlo, sampling_method::latin_hypercube}) {
            const sampler s(perts(), options(m, true, rho));
            const auto x = s.sample(n);
            const double se = std::sqrt(1.06 / (n - 3.0)) * (1.0 - rho * rho);
            for (Eigen::Index i = 0; i < x.cols(); ++i)
                for (Eigen::Index j = i + 1; j < x.cols(); ++j) {
                    INFO("pair " << i << "," << j << " rho " << rho << " method " << int(m));
                    CHECK(std::fabs(offroi_test::spearman(column(x, i), column(x, j)) - rho) < 4.0 * se);
                }
            // Marginals: KS against each family's cdf at the 1% level.
            for (Eigen::Index j = 0; j < x.cols(); ++j) {
                const auto& d = s.inputs()[static_cast<std::size_t>(j)].dist;
                CHECK(offroi_test::ks_statistic(column(x, j), [&](double v) { return cdf(d, v); }) <
                      offroi_test::ks_critical_1pct(n));
            }
        }
    }
}

TEST_CASE("fused draws: same bits whatever the split into shards and threads") {
    for (auto m : {sampling_method::monte_carlo, sampling_method::latin_hypercube}) {
        const sampler s(perts(), options(m, true));
        const std::size_t n = 9001, d = s.dimension();
        std::vector<std::vector<double>> serial(d, std::vector<double>(n)), par = serial;
        std::vector<double*> ps(d);
        for (std::size_t i = 0; i < d; ++i) ps[i] = serial[i].data();
        s.fill(0, n, ps.data());
        // Three threads on unaligned shards [0, 1000), [1000, 4097), [4097, n).
        const std::size_t cut[4] = {0, 1000, 4097, n};
        std::vector<std::thread> th;
        for (int k = 0; k < 3; ++k)
            th.emplace_back([&, k] {
                std::vector<double*> p(d);
                for (std::size_t i = 0; i < d; ++i) p[i] = par[i].data() + cut[k];
                s.fill(cut[k], cut[k + 1] - cut[k], p.data());
            });
        for (auto& t : th) t.join();
        CHECK(serial == par);
        // A shard far into the run equals the same trials of a longer fill.
        std::vector<std::vector<double>> tail(d, std::vector<double>(77));
        std::vector<double*> pt(d);
        for (std::size_t i = 0; i < d; ++i) pt[i] = tail[i].data();
        s.fill(n - 77, 77, pt.data());
        for (std::size_t i = 0; i < d; ++i)
            CHECK(std::equal(tail[i].begin(), tail[i].end(), serial[i].begin() + (n - 77)));
    }
}

}  // namespace sampling_fused_marginal_test
