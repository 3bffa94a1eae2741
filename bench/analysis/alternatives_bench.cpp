// How the analyses scale with the number of alternatives (issue 11, finding 5 and Build 8).
// Run: build/<dir>/bench/bench_analysis_alternatives
//
// The scenario: the default scenario (local_hiring baseline, project framing, 36 months)
// with A copies of its offshore_team alternative, A = 1, 10, 30, 64 (64: the loader's
// limit of alternatives). Every alternative adds its own 26 sampled inputs, so the run has
// d = 26 + 26 A inputs (the scenario's and the baseline's 26, counter "inputs").
//  - BM_run/A: run_scenario with K = 5000 trials, all recorded for the drivers (the run
//    itself: sampling, evaluation, summaries; O(A) per trial).
//  - BM_drivers/A: run_drivers_all on that run: every alternative's drivers, each from the
//    inputs that feed it (the scenario's, the baseline's, its own): O(K A).
//  - BM_drivers_every_input/A: the previous algorithm, for reference: every alternative
//    ranked against every input of the run (rank_sensitivity over all d columns): O(K d^2)
//    per alternative, O(K A^3) in all. Only up to A = 30 (at 64 it takes minutes).
//  - BM_tornado/A: scenario_tornado of the first alternative (R = 64 event trials), now on
//    the baseline and that alternative only; BM_tornado_every_arrangement/A: the previous
//    point model, which evaluated every arrangement at each of 2 d points: O(A^2).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

#include "offroi/analysis/model_sensitivity.hpp"
#include "offroi/analysis/scenario_run.hpp"
#include "offroi/model/scenario.hpp"
#include "offroi/sensitivity/rank_sensitivity.hpp"
#include "offroi/sensitivity/tornado.hpp"

using namespace offroi;

namespace {

constexpr std::uint64_t driver_trials = 5000;

scenario with_alternatives(std::size_t count) {
    scenario s = default_scenario();
    const arrangement alt = s.alternatives.front();
    s.alternatives.clear();
    for (std::size_t i = 0; i < count; ++i) {
        arrangement a = alt;
        char name[32];
        std::snprintf(name, sizeof name, "vendor_%03zu", i);
        a.name = name;
        s.alternatives.push_back(a);
    }
    return s;
}

scenario_run recorded_run(std::size_t count) {
    run_request r;
    r.trials = driver_trials;
    r.driver_trials = driver_trials;
    r.samples = sample_policy::never;
    return run_scenario(with_alternatives(count), r);
}

}  // namespace

static void BM_run(benchmark::State& state) {
    const scenario s = with_alternatives(std::size_t(state.range(0)));
    run_request r;
    r.trials = driver_trials;
    r.driver_trials = driver_trials;
    r.samples = sample_policy::never;
    for (auto _ : state) benchmark::DoNotOptimize(run_scenario(s, r));
    state.counters["inputs"] = double(model_parts(s).input_names.size());
}
BENCHMARK(BM_run)->Arg(1)->Arg(10)->Arg(30)->Arg(64)->Unit(benchmark::kMillisecond);

static void BM_drivers(benchmark::State& state) {
    const scenario_run run = recorded_run(std::size_t(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(run_drivers_all(run));
    state.counters["inputs"] = double(run.input_names.size());
}
BENCHMARK(BM_drivers)->Arg(1)->Arg(10)->Arg(30)->Arg(64)->Unit(benchmark::kMillisecond);

static void BM_drivers_every_input(benchmark::State& state) {
    const scenario_run run = recorded_run(std::size_t(state.range(0)));
    std::vector<std::span<const double>> ins;
    for (const auto& c : run.input_samples) ins.emplace_back(c);
    for (auto _ : state) {
        for (const auto& a : run.result.arrangements) {
            if (a.is_baseline) continue;
            const std::size_t c = run.result.run.index_of(a.name + ".net_benefit");
            benchmark::DoNotOptimize(rank_sensitivity(ins, std::span<const double>(run.output_samples[c]), run.input_names));
        }
    }
    state.counters["inputs"] = double(run.input_names.size());
}
BENCHMARK(BM_drivers_every_input)->Arg(1)->Arg(10)->Arg(30)->Unit(benchmark::kMillisecond);

static void BM_tornado(benchmark::State& state) {
    const scenario s = with_alternatives(std::size_t(state.range(0)));
    scenario_sensitivity_options o;
    o.event_trials = 64;
    for (auto _ : state) benchmark::DoNotOptimize(scenario_tornado(s, o));
}
BENCHMARK(BM_tornado)->Arg(1)->Arg(10)->Arg(30)->Arg(64)->Unit(benchmark::kMillisecond);

static void BM_tornado_every_arrangement(benchmark::State& state) {
    const scenario s = with_alternatives(std::size_t(state.range(0)));
    for (auto _ : state) {
        const scenario_point_model f(model_parts(s), 1, "net_benefit", 64, 0);
        tornado_options t;
        t.names = f.names();
        benchmark::DoNotOptimize(tornado(f, f.marginals(), t));
    }
}
BENCHMARK(BM_tornado_every_arrangement)->Arg(1)->Arg(10)->Arg(30)->Arg(64)->Unit(benchmark::kMillisecond);
