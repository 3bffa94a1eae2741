// Speed of the model's own exp, expm1, log and log1p (model/detail/elementary_functions.hpp)
// against the C library's. Run: build/<dir>/bench/bench_model_elementary
//  - BM_std_<f>: std::<f> on 4096 arguments (the C library; glibc picks its FMA code at run time).
//  - BM_scalar_<f>: the library's function on one double at a time.
//  - BM_lanes4_<f>: four lanes at once (lane_vec<4>), as the block evaluation would call it;
//    compiled for AVX2 where GCC can dispatch to it (skipped on a machine without AVX2), else
//    the portable lanes.
// items_per_second = values per second. Arguments: exp and expm1 in [-3, 0] (the model's
// fill, attrition and multiplier exponents), log in [0.01, 3], log1p in [-0.75, 0].
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "offroi/model/detail/elementary_functions.hpp"
#include "offroi/random.hpp"

namespace E = offroi::detail::elementary;
using lanes = offroi::detail::lane_vec<4>;

static std::vector<double> arguments(int which) {
    std::vector<double> x(4096);
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double u = offroi::uniform01(11, static_cast<std::uint64_t>(which), i, 0);
        x[i] = which == 2 ? 0.01 + 2.99 * u : (which == 3 ? -0.75 * u : -3.0 * u);
    }
    return x;
}

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__AVX2__)
#define OFFROI_BENCH_AVX2 1
#define OFFROI_BENCH_TARGET __attribute__((target("avx2")))
#else
#define OFFROI_BENCH_AVX2 0
#define OFFROI_BENCH_TARGET
#endif

template <int Which>
OFFROI_BENCH_TARGET void lanes_pass(const double* x, double* y, std::size_t n) {
    for (std::size_t i = 0; i < n; i += 4) {
        lanes v;
        std::memcpy(&v.x, x + i, sizeof v.x);
        const lanes r = Which == 0 ? E::exp(v) : Which == 1 ? E::expm1(v) : Which == 2 ? E::log(v) : E::log1p(v);
        std::memcpy(y + i, &r.x, sizeof r.x);
    }
}

template <int Which, int Kind>  // Kind 0 std, 1 scalar, 2 lanes
static void run(benchmark::State& state) {
#if OFFROI_BENCH_AVX2
    if (Kind == 2 && !__builtin_cpu_supports("avx2")) {
        state.SkipWithError("no AVX2");
        return;
    }
#endif
    const std::vector<double> x = arguments(Which);
    std::vector<double> y(x.size());
    for (auto _ : state) {
        if constexpr (Kind == 2) {
            lanes_pass<Which>(x.data(), y.data(), x.size());
        } else {
            for (std::size_t i = 0; i < x.size(); ++i) {
                const double v = x[i];
                if constexpr (Kind == 0)
                    y[i] = Which == 0 ? std::exp(v) : Which == 1 ? std::expm1(v) : Which == 2 ? std::log(v) : std::log1p(v);
                else
                    y[i] = Which == 0 ? E::exp(v) : Which == 1 ? E::expm1(v) : Which == 2 ? E::log(v) : E::log1p(v);
            }
        }
        benchmark::DoNotOptimize(y.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * x.size()));
}

BENCHMARK(run<0, 0>)->Name("BM_std_exp");
BENCHMARK(run<0, 1>)->Name("BM_scalar_exp");
BENCHMARK(run<0, 2>)->Name("BM_lanes4_exp");
BENCHMARK(run<1, 0>)->Name("BM_std_expm1");
BENCHMARK(run<1, 1>)->Name("BM_scalar_expm1");
BENCHMARK(run<1, 2>)->Name("BM_lanes4_expm1");
BENCHMARK(run<2, 0>)->Name("BM_std_log");
BENCHMARK(run<2, 1>)->Name("BM_scalar_log");
BENCHMARK(run<2, 2>)->Name("BM_lanes4_log");
BENCHMARK(run<3, 0>)->Name("BM_std_log1p");
BENCHMARK(run<3, 1>)->Name("BM_scalar_log1p");
BENCHMARK(run<3, 2>)->Name("BM_lanes4_log1p");
