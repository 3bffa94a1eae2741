// Kucherenko et al. (2012) indices of Y = X1 + X2 + X3 with corr(X2, X3) = 0.5 (normal
// marginals, normal-score correlation) at N = 2^16: time and max abs error vs the closed
// form (S = (1/8, 1/2, 25/32), ST = (1/8, 3/32, 3/8)). N (2d + 2) = 524,288 evaluations.
//   build/<dir>/bench/bench_sensitivity_kucherenko_indices
#include <benchmark/benchmark.h>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <vector>

#include "offroi/distributions/distribution.hpp"
#include "offroi/sensitivity/kucherenko_indices.hpp"

namespace {

void BM_kucherenko_linear(benchmark::State& state) {
    Eigen::MatrixXd R = Eigen::MatrixXd::Identity(3, 3);
    R(1, 2) = R(2, 1) = 0.5;
    const std::vector<offroi::distribution> in = {offroi::normal_distribution(0, 1),
                                                  offroi::normal_distribution(0, 1),
                                                  offroi::normal_distribution(0, 2)};
    auto f = [](const Eigen::MatrixXd& X, Eigen::VectorXd& y) { y = X.rowwise().sum(); };
    offroi::sobol_options o;
    o.base_samples = std::size_t(1) << 16;
    o.seed = 1;
    o.threads = unsigned(state.range(0));
    o.bootstrap_resamples = 0;
    offroi::sobol_result r;
    for (auto _ : state) {
        r = offroi::kucherenko_indices(f, in, R, o, offroi::copula_correlation::normal_scores);
        benchmark::DoNotOptimize(r.first_order.data());
    }
    const double S[3] = {1.0 / 8, 0.5, 25.0 / 32}, ST[3] = {1.0 / 8, 3.0 / 32, 3.0 / 8};
    double e = 0.0;
    for (int i = 0; i < 3; ++i)
        e = std::max({e, std::abs(r.first_order[i] - S[i]), std::abs(r.total_order[i] - ST[i])});
    state.counters["max_abs_err"] = e;
    state.counters["evaluations"] = double(r.evaluations);
}

}  // namespace

BENCHMARK(BM_kucherenko_linear)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
