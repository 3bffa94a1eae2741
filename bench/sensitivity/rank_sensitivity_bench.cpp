// Rank correlation + SRRC + PRCC + SRC of stored samples: n trials x 10 inputs (ranking
// dominates), and the shape of `offroi run`'s drivers (20 000 trials x 52 inputs: the two
// QR regressions and the n x d work matrices dominate), at 1 thread.
//   build/<dir>/bench/bench_sensitivity_rank_sensitivity
#include <benchmark/benchmark.h>

#include <Eigen/Core>

#include "offroi/random/philox.hpp"
#include "offroi/sensitivity/rank_sensitivity.hpp"

namespace {

void BM_rank_sensitivity(benchmark::State& state) {
    const Eigen::Index n = state.range(0), d = 10;
    Eigen::MatrixXd X(n, d);
    const offroi::philox_stream s(1, offroi::stream_id("bench"));
    for (Eigen::Index c = 0; c < d; ++c) s.fill(0, std::size_t(n), std::uint64_t(c), X.col(c).data());
    Eigen::VectorXd y = X * Eigen::VectorXd::LinSpaced(d, 1.0, 10.0);
    for (auto _ : state) {
        auto r = offroi::rank_sensitivity(X, y);
        benchmark::DoNotOptimize(r.srrc.data());
    }
    state.SetItemsProcessed(state.iterations() * n);
}

// The default scenario's driver analysis: K = 20 000 recorded trials, d = 52 inputs.
void BM_rank_sensitivity_drivers_shape(benchmark::State& state) {
    const Eigen::Index n = state.range(0), d = 52;
    Eigen::MatrixXd X(n, d);
    const offroi::philox_stream s(2, offroi::stream_id("bench"));
    for (Eigen::Index c = 0; c < d; ++c) s.fill(0, std::size_t(n), std::uint64_t(c), X.col(c).data());
    Eigen::VectorXd noise(n);
    s.fill(0, std::size_t(n), std::uint64_t(d), noise.data());
    const Eigen::VectorXd y = X * Eigen::VectorXd::LinSpaced(d, 1.0, 10.0) + 30.0 * noise;
    for (auto _ : state) {
        auto r = offroi::rank_sensitivity(X, y, {}, 1);
        benchmark::DoNotOptimize(r.srrc.data());
    }
    state.SetItemsProcessed(state.iterations() * n);
}

}  // namespace

BENCHMARK(BM_rank_sensitivity)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_rank_sensitivity_drivers_shape)->Arg(20000)->Unit(benchmark::kMillisecond);
