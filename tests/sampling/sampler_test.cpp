#include <doctest/doctest.h>

#include <Eigen/Dense>

#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "offroi/distributions/distribution.hpp"
#include "offroi/sampling/sampler.hpp"
#include "sampling/helpers.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace sampling_sampler_test {

using namespace offroi;

namespace {
std::vector<sampler_input> inputs() {
    return {{"offshore_rate", pert_distribution(25, 35, 60)},
            {"attrition", pert_distribution(0.05, 0.12, 0.3)},
            {"ramp_months", triangular_distribution(2, 4, 9)},
            {"travel", uniform_distribution(1000, 5000)}};
}

sampling_options correlated(sampling_method m, dependence_method d) {
    sampling_options o;
    o.method = m;
    o.seed = 2026;
    o.dependence = d;
    o.correlations = {{"offshore_rate", "attrition", 0.5}, {"attrition", "ramp_months", -0.3}};
    return o;
}

std::vector<double> column(const Eigen::MatrixXd& m, Eigen::Index j) {
    return std::vector<double>(m.col(j).data(), m.col(j).data() + m.rows());
}
}  // namespace

TEST_CASE("sampler draws are the marginal quantiles of the sampler's uniforms") {
    // The two-step path (the fused one is tested against it in fused_marginal_test.cpp).
    auto o = correlated(sampling_method::monte_carlo, dependence_method::gaussian_copula);
    o.fused_marginals = false;
    const sampler s(inputs(), o);
    const std::size_t n = 5000;
    const auto x = s.sample(n);
    const auto u = s.uniforms().sample_uniform(n);
    for (Eigen::Index j = 0; j < 4; ++j)
        for (Eigen::Index t = 0; t < static_cast<Eigen::Index>(n); t += 37)
            REQUIRE(x(t, j) == quantile(s.inputs()[j].dist, u(t, j)));
}

TEST_CASE("sampler: marginals, target Spearman and PERT mean for every method") {
    const std::size_t n = 20000;
    for (auto m : {sampling_method::monte_carlo, sampling_method::latin_hypercube, sampling_method::sobol})
        for (auto d : {dependence_method::gaussian_copula, dependence_method::iman_conover}) {
            const sampler s(inputs(), correlated(m, d));
            const auto x = s.sample(n);
            INFO("method " << int(m) << " dependence " << int(d));
            // Marginals: KS against each family's cdf at the 1% level.
            for (Eigen::Index j = 0; j < 4; ++j) {
                const auto& dist = s.inputs()[j].dist;
                CHECK(offroi_test::ks_statistic(column(x, j), [&](double v) { return cdf(dist, v); }) <
                      offroi_test::ks_critical_1pct(n));
            }
            // Rank correlations (quantiles are monotone, so ranks are the uniforms' ranks).
            const auto& t = s.uniforms().spearman();
            for (Eigen::Index i = 0; i < 4; ++i)
                for (Eigen::Index j = i + 1; j < 4; ++j) {
                    const double rs = offroi_test::spearman(column(x, i), column(x, j));
                    CHECK(std::abs(rs - t(i, j)) < 5 * (1 - t(i, j) * t(i, j)) / std::sqrt(n - 1.0));
                }
            // PERT(25, 35, 60) mean (a + 4m + b) / 6 = 37.5; sd = sqrt(variance).
            const double mean = x.col(0).mean();
            const double se = std::sqrt(variance(s.inputs()[0].dist) / n);
            CHECK(std::abs(mean - 37.5) < 5 * se);
        }
}

TEST_CASE("sampler fill is shard invariant bitwise for every method and dependence") {
    for (auto m : {sampling_method::monte_carlo, sampling_method::latin_hypercube, sampling_method::sobol})
        for (auto d : {dependence_method::gaussian_copula, dependence_method::iman_conover}) {
            auto o = correlated(m, d);
            o.design_size = 10000;
            o.reorder_block = 2048;
            const sampler s(inputs(), o);
            const std::size_t n = 7000, k = 2500;
            std::vector<std::vector<double>> all(4, std::vector<double>(n)), parts = all;
            std::vector<double*> pa, pb, pc;
            for (std::size_t i = 0; i < 4; ++i) {
                pa.push_back(all[i].data());
                pb.push_back(parts[i].data());
                pc.push_back(parts[i].data() + k);
            }
            s.fill(3000, n, pa.data());
            s.fill(3000, k, pb.data());
            s.fill(3000 + k, n - k, pc.data());
            INFO("method " << int(m) << " dependence " << int(d));
            CHECK(all == parts);
        }
}

TEST_CASE("adding an input does not change the draws of the others") {
    sampling_options o;
    o.seed = 5;
    auto in = inputs();
    const sampler a(in, o);
    in.insert(in.begin() + 1, sampler_input{"new_input", normal_distribution(0, 1)});
    const sampler b(in, o);
    const auto xa = a.sample(1000), xb = b.sample(1000);
    CHECK(xa.col(0) == xb.col(0));
    CHECK(xa.col(1) == xb.col(2));
    CHECK(xa.col(3) == xb.col(4));
}

TEST_CASE("golden sampler draws at a fixed seed") {
    const sampler s(inputs(), correlated(sampling_method::latin_hypercube, dependence_method::gaussian_copula));
    const auto u = s.uniforms().sample_uniform(100);
    // The uniforms are pinned bit for bit (design + copula) ...
    CHECK(u(0, 0) == 0x1.b629b24ffffd2p-1);
    CHECK(u(0, 1) == 0x1.cf9f6005b674bp-1);
    CHECK(u(99, 2) == 0x1.3d7e3142a493fp-1);
    CHECK(u(50, 3) == 0x1.af04914c6058ep-3);
    // ... and the draws are the marginal quantiles of those uniforms, to the fast quantile's
    // documented accuracy against Boost's exact quantile (1e-9 relative).
    const auto x = s.sample(100);
    CHECK(x(0, 0) == doctest::Approx(exact_quantile(s.inputs()[0].dist, 0x1.b629b24ffffd2p-1)).epsilon(1e-9));
    CHECK(x(0, 1) == doctest::Approx(exact_quantile(s.inputs()[1].dist, 0x1.cf9f6005b674bp-1)).epsilon(1e-9));
    CHECK(x(99, 2) == doctest::Approx(exact_quantile(s.inputs()[2].dist, 0x1.3d7e3142a493fp-1)).epsilon(1e-9));
    CHECK(x(50, 3) == doctest::Approx(exact_quantile(s.inputs()[3].dist, 0x1.af04914c6058ep-3)).epsilon(1e-9));
}

TEST_CASE("sampler errors") {
    sampling_options o;
    o.method = sampling_method::latin_hypercube;
    const sampler s(inputs(), o);
    std::vector<double> v(4 * 10);
    double* p[4] = {&v[0], &v[10], &v[20], &v[30]};
    CHECK_THROWS_WITH_AS(s.fill(0, 10, p), doctest::Contains("design_size"), invalid_argument);
    CHECK_NOTHROW(s.sample(10));
    o.correlations = {{"offshore_rate", "atrition", 0.2}};
    CHECK_THROWS_WITH_AS(sampler(inputs(), o), doctest::Contains("unknown input 'atrition'"),
                         invalid_argument);
}

TEST_CASE("concurrent fills from two threads equal the serial fill") {
    auto o = correlated(sampling_method::latin_hypercube, dependence_method::iman_conover);
    o.design_size = 8192;
    o.reorder_block = 1024;
    const sampler s(inputs(), o);
    const std::size_t n = 8192, half = 4000;  // not aligned to the reorder block
    std::vector<std::vector<double>> serial(4, std::vector<double>(n)), par = serial;
    std::vector<double*> ps, p0, p1;
    for (std::size_t i = 0; i < 4; ++i) {
        ps.push_back(serial[i].data());
        p0.push_back(par[i].data());
        p1.push_back(par[i].data() + half);
    }
    s.fill(0, n, ps.data());
    std::thread t([&] { s.fill(half, n - half, p1.data()); });
    s.fill(0, half, p0.data());
    t.join();
    CHECK(serial == par);
}

}  // namespace sampling_sampler_test
