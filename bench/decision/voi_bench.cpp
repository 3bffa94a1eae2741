// Value of information of the default scenario at 100,000 trials (issue 10's target: EVPPI
// of every sampled input in under 5 s on 2 cores):
//  - BM_evppi_every_input: the EVPPI of each of the 52 sampled inputs (P-splines on ranks,
//    GCV) from the recorded run, threads = 1 or 2;
//  - BM_scenario_voi_inputs: the same from scratch -- the run recording every trial, the
//    decision summary and every input's EVPPI;
//  - BM_evppi_group: one group's EVPPI (additive P-splines + cross-fitted boosted trees),
//    "offshore_team.*" (26 inputs);
//  - BM_scenario_voi_all: everything `offroi voi` computes (the run, every input, the three
//    automatic groups).
//   build/<dir>/bench/bench_decision_voi
#include <benchmark/benchmark.h>

#include <span>
#include <string>
#include <vector>

#include "offroi/decision/scenario_voi.hpp"
#include "offroi/model.hpp"

namespace {

constexpr std::uint64_t trials = 100000;

const offroi::scenario_run& recorded_run() {
    static const offroi::scenario_run r = [] {
        offroi::run_request q;
        q.trials = trials;
        q.driver_trials = trials;
        q.samples = offroi::sample_policy::never;
        return offroi::run_scenario(offroi::default_scenario(), q);
    }();
    return r;
}

void BM_evppi_every_input(benchmark::State& state) {
    const auto& r = recorded_run();
    const auto nbv = offroi::scenario_net_benefits(r);
    const auto nb = offroi::column_spans(nbv), x = offroi::column_spans(r.input_samples);
    std::vector<offroi::evppi_result> out;
    for (auto _ : state) {
        out = offroi::evppi_each(offroi::sample_columns(nb), offroi::sample_columns(x), {}, unsigned(state.range(0)));
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["inputs"] = double(out.size());
}

void BM_scenario_voi_inputs(benchmark::State& state) {
    const auto s = offroi::default_scenario();
    offroi::scenario_voi_options o;
    o.trials = trials;
    o.threads = unsigned(state.range(0));
    o.arrangement_groups = false;
    for (auto _ : state) {
        auto r = offroi::scenario_voi(s, o);
        benchmark::DoNotOptimize(r.inputs.data());
    }
}

void BM_evppi_group(benchmark::State& state) {
    const auto& r = recorded_run();
    const auto nbv = offroi::scenario_net_benefits(r);
    const auto nb = offroi::column_spans(nbv);
    std::vector<std::span<const double>> g;
    for (std::size_t j = 0; j < r.input_names.size(); ++j)
        if (r.input_names[j].rfind("offshore_team.", 0) == 0) g.emplace_back(r.input_samples[j]);
    offroi::evppi_options o;
    o.regression.threads = unsigned(state.range(0));
    offroi::evppi_result e;
    for (auto _ : state) {
        e = offroi::evppi(offroi::sample_columns(nb), offroi::sample_columns(g), o);
        benchmark::DoNotOptimize(&e);
        benchmark::ClobberMemory();
    }
    state.counters["inputs"] = double(g.size());
    state.counters["evppi_usd"] = benchmark::Counter(e.value);
    state.counters["se_usd"] = benchmark::Counter(e.se);
}

void BM_scenario_voi_all(benchmark::State& state) {
    const auto s = offroi::default_scenario();
    offroi::scenario_voi_options o;
    o.trials = trials;
    o.threads = unsigned(state.range(0));
    for (auto _ : state) {
        auto r = offroi::scenario_voi(s, o);
        benchmark::DoNotOptimize(r.groups.data());
    }
}

}  // namespace

BENCHMARK(BM_evppi_every_input)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_scenario_voi_inputs)->ArgName("threads")->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_evppi_group)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_scenario_voi_all)->ArgName("threads")->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
