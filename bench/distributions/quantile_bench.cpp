// ns per quantile, batch of 4096 philox uniforms, for each continuous distribution, and
// Boost.Math's quantile for beta and normal as the baseline. Items/s = quantiles/s.
#include <benchmark/benchmark.h>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/normal.hpp>

#include <vector>

#include "offroi/distributions/beta.hpp"
#include "offroi/distributions/constant.hpp"
#include "offroi/distributions/lognormal.hpp"
#include "offroi/distributions/normal.hpp"
#include "offroi/distributions/pert.hpp"
#include "offroi/distributions/triangular.hpp"
#include "offroi/distributions/truncated_normal.hpp"
#include "offroi/distributions/uniform.hpp"
#include "offroi/random/philox.hpp"

namespace {
constexpr std::size_t batch = 4096;

const std::vector<double>& uniforms() {
    static const std::vector<double> u = [] {
        std::vector<double> v(batch);
        offroi::philox_stream(2024, 1).fill(0, batch, 0, v.data());
        return v;
    }();
    return u;
}

template <class D>
void batch_quantile(benchmark::State& state, const D& d) {
    const auto& u = uniforms();
    std::vector<double> x(batch);
    for (auto _ : state) {
        quantile(d, u.data(), x.data(), batch);
        benchmark::DoNotOptimize(x.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * batch));
}

void BM_constant(benchmark::State& s) { batch_quantile(s, offroi::constant_distribution(3.0)); }
void BM_uniform(benchmark::State& s) { batch_quantile(s, offroi::uniform_distribution(1.0, 3.0)); }
void BM_triangular(benchmark::State& s) { batch_quantile(s, offroi::triangular_distribution(10, 30, 100)); }
void BM_normal(benchmark::State& s) { batch_quantile(s, offroi::normal_distribution(3.0, 2.0)); }
void BM_lognormal(benchmark::State& s) { batch_quantile(s, offroi::lognormal_distribution(1.0, 0.5)); }
void BM_truncated_normal(benchmark::State& s) {
    batch_quantile(s, offroi::truncated_normal_distribution(10.0, 3.0, 0.0, 20.0));
}
void BM_beta(benchmark::State& s) { batch_quantile(s, offroi::beta_distribution(1.4, 4.6, 10, 100)); }
void BM_pert(benchmark::State& s) { batch_quantile(s, offroi::pert_distribution(10, 30, 100)); }

void BM_pert_scalar(benchmark::State& state) {
    const offroi::pert_distribution d(10, 30, 100);
    const auto& u = uniforms();
    std::vector<double> x(batch);
    for (auto _ : state) {
        for (std::size_t i = 0; i < batch; ++i) x[i] = quantile(d, u[i]);
        benchmark::DoNotOptimize(x.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * batch));
}

void BM_boost_normal(benchmark::State& state) {
    const boost::math::normal_distribution<double> d(3.0, 2.0);
    const auto& u = uniforms();
    std::vector<double> x(batch);
    for (auto _ : state) {
        for (std::size_t i = 0; i < batch; ++i) x[i] = boost::math::quantile(d, u[i]);
        benchmark::DoNotOptimize(x.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * batch));
}

void BM_boost_beta(benchmark::State& state) {
    const boost::math::beta_distribution<double> d(1.4, 4.6);
    const auto& u = uniforms();
    std::vector<double> x(256);
    for (auto _ : state) {
        for (std::size_t i = 0; i < 256; ++i) x[i] = boost::math::quantile(d, u[i]);
        benchmark::DoNotOptimize(x.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * 256));
}

void BM_pert_construct(benchmark::State& state) {
    double m = 30.0;
    for (auto _ : state) {
        offroi::pert_distribution d(10, m, 100);
        benchmark::DoNotOptimize(&d);
        m = m == 30.0 ? 31.0 : 30.0;
    }
}
}  // namespace

BENCHMARK(BM_constant);
BENCHMARK(BM_uniform);
BENCHMARK(BM_triangular);
BENCHMARK(BM_normal);
BENCHMARK(BM_lognormal);
BENCHMARK(BM_truncated_normal);
BENCHMARK(BM_beta);
BENCHMARK(BM_pert);
BENCHMARK(BM_pert_scalar);
BENCHMARK(BM_boost_normal);
BENCHMARK(BM_boost_beta);
BENCHMARK(BM_pert_construct)->Unit(benchmark::kMillisecond);
