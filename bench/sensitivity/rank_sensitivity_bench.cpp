// Rank correlation + SRRC + SRC of stored samples: n trials x 10 inputs (ranking dominates).
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

}  // namespace

BENCHMARK(BM_rank_sensitivity)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);
