// Sampler throughput. ns per draw = time per iteration / (trials * inputs); Google
// Benchmark's items_per_second counts draws. Run:
//   build/<dir>/bench/bench_sampling_sampler --benchmark_min_time=0.5
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "offroi/distributions/distribution.hpp"
#include "offroi/sampling.hpp"
#include "offroi/sampling/detail/normal_quantile_table.hpp"

namespace {

constexpr std::size_t kInputs = 10;
constexpr std::size_t kTrials = 65536;

std::vector<std::string> input_names() {
    std::vector<std::string> n;
    for (std::size_t i = 0; i < kInputs; ++i) n.push_back("cost_" + std::to_string(i));
    return n;
}

// Every input correlated with every other at Spearman 0.3 (a dense 10 x 10 target).
std::vector<offroi::rank_correlation> dense_correlations() {
    std::vector<offroi::rank_correlation> c;
    const auto n = input_names();
    for (std::size_t i = 0; i < kInputs; ++i)
        for (std::size_t j = i + 1; j < kInputs; ++j) c.push_back({n[i], n[j], 0.3});
    return c;
}

offroi::sampling_options make_options(offroi::sampling_method m, bool correlated,
                                      offroi::dependence_method d) {
    offroi::sampling_options o;
    o.method = m;
    o.seed = 42;
    o.design_size = kTrials;
    o.dependence = d;
    if (correlated) o.correlations = dense_correlations();
    return o;
}

template <class Sampler, class Fill>
void run(benchmark::State& state, const Sampler& s, Fill fill) {
    std::vector<std::vector<double>> cols(kInputs, std::vector<double>(kTrials));
    std::vector<double*> p;
    for (auto& c : cols) p.push_back(c.data());
    std::uint64_t first = 0;
    for (auto _ : state) {
        fill(s, first % (1ULL << 30), p.data());
        benchmark::DoNotOptimize(cols[0][0]);
        first += kTrials;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kTrials * kInputs));
    state.counters["ns_per_draw"] = benchmark::Counter(
        static_cast<double>(state.iterations() * kTrials * kInputs),
        benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void uniform(benchmark::State& state, offroi::sampling_method m, bool correlated,
             offroi::dependence_method d) {
    const offroi::uniform_sampler s(input_names(), make_options(m, correlated, d));
    run(state, s, [](const offroi::uniform_sampler& u, std::uint64_t first, double* const* p) {
        u.fill_uniform(first, kTrials, p);
    });
}

using sm = offroi::sampling_method;
using dm = offroi::dependence_method;
BENCHMARK_CAPTURE(uniform, mc_independent, sm::monte_carlo, false, dm::gaussian_copula);
BENCHMARK_CAPTURE(uniform, lhs_independent, sm::latin_hypercube, false, dm::gaussian_copula);
BENCHMARK_CAPTURE(uniform, sobol_independent, sm::sobol, false, dm::gaussian_copula);
BENCHMARK_CAPTURE(uniform, mc_copula, sm::monte_carlo, true, dm::gaussian_copula);
BENCHMARK_CAPTURE(uniform, lhs_copula, sm::latin_hypercube, true, dm::gaussian_copula);
BENCHMARK_CAPTURE(uniform, mc_iman_conover, sm::monte_carlo, true, dm::iman_conover);

// Ten PERT costs with different shapes (each builds its fast quantile table once).
std::vector<offroi::sampler_input> pert_inputs() {
    std::vector<offroi::sampler_input> in;
    const auto n = input_names();
    for (std::size_t i = 0; i < kInputs; ++i) {
        const double lo = 10.0 + i, mode = 20.0 + 2.0 * i, hi = 45.0 + 5.0 * i;
        in.push_back({n[i], offroi::pert_distribution(lo, mode, hi)});
    }
    return in;
}

void pert(benchmark::State& state, offroi::sampling_method m, bool correlated,
          offroi::dependence_method d) {
    const offroi::sampler s(pert_inputs(), make_options(m, correlated, d));
    run(state, s, [](const offroi::sampler& u, std::uint64_t first, double* const* p) {
        u.fill(first, kTrials, p);
    });
}

// The target: correlated PERT draws, Gaussian copula, 10 inputs, MC and LHS
// (fused normal-score marginals, the default).
BENCHMARK_CAPTURE(pert, mc_copula, sm::monte_carlo, true, dm::gaussian_copula);
BENCHMARK_CAPTURE(pert, lhs_copula, sm::latin_hypercube, true, dm::gaussian_copula);

// The same with sampling_options::fused_marginals = false (Phi, then the quantile table).
void pert_two_step(benchmark::State& state, offroi::sampling_method m) {
    auto o = make_options(m, true, offroi::dependence_method::gaussian_copula);
    o.fused_marginals = false;
    const offroi::sampler s(pert_inputs(), o);
    run(state, s, [](const offroi::sampler& u, std::uint64_t first, double* const* p) {
        u.fill(first, kTrials, p);
    });
}
BENCHMARK_CAPTURE(pert_two_step, mc_copula, sm::monte_carlo);
BENCHMARK_CAPTURE(pert_two_step, lhs_copula, sm::latin_hypercube);
BENCHMARK_CAPTURE(pert, mc_independent, sm::monte_carlo, false, dm::gaussian_copula);
BENCHMARK_CAPTURE(pert, sobol_independent, sm::sobol, false, dm::gaussian_copula);
BENCHMARK_CAPTURE(pert, sobol_copula, sm::sobol, true, dm::gaussian_copula);
BENCHMARK_CAPTURE(pert, mc_iman_conover, sm::monte_carlo, true, dm::iman_conover);
BENCHMARK_CAPTURE(pert, lhs_iman_conover, sm::latin_hypercube, true, dm::iman_conover);

// The pieces, per value, for the time budget: normal quantile, normal cdf, PERT quantile,
// and the fused PERT normal-score table that replaces the last two.
void piece(benchmark::State& state, int which) {
    std::vector<double> u(kTrials), z(kTrials), x(kTrials);
    offroi::monte_carlo_design(1).fill(2, 0, kTrials, u.data());
    offroi::detail::normal_quantile(u.data(), z.data(), kTrials);
    const offroi::distribution d = offroi::pert_distribution(10, 20, 45);
    const auto fused =
        offroi::detail::beta_normal_score_table(offroi::pert_distribution(10, 20, 45).as_beta());
    for (auto _ : state) {
        if (which == 0) offroi::detail::normal_quantile(u.data(), x.data(), kTrials);
        if (which == 1) offroi::detail::normal_cdf(z.data(), x.data(), kTrials);
        if (which == 2) quantile(d, u.data(), x.data(), kTrials);
        if (which == 3) offroi::detail::normal_quantile_fast(u.data(), x.data(), kTrials);
        if (which == 4) fused(z.data(), x.data(), kTrials);
        benchmark::DoNotOptimize(x[0]);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kTrials));
    state.counters["ns_per_value"] = benchmark::Counter(
        static_cast<double>(state.iterations() * kTrials),
        benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK_CAPTURE(piece, normal_quantile, 0);
BENCHMARK_CAPTURE(piece, normal_quantile_table, 3);
BENCHMARK_CAPTURE(piece, normal_cdf, 1);
BENCHMARK_CAPTURE(piece, pert_quantile, 2);
BENCHMARK_CAPTURE(piece, pert_normal_score_table, 4);  // x = F^-1(Phi(z)) in one step

}  // namespace
