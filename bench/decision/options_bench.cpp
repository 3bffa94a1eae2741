// Choosing among options: OCBA against equal allocation at equal probability of correct
// selection (PCS), and the cost of `offroi options`.
//  - BM_pcs_synthetic/<rule>/<T>: Chen et al. (2000), experiment 1 -- ten options N(i, 6^2),
//    independent sampling -- over R = 2000 seeds: the empirical PCS at a total budget of T
//    trials (rule 0 = OCBA, 1 = equal); counters pcs and its binomial SE.
//  - BM_pcs_scenario/<rule>/<T>: the real-time product scenario (bench/scenarios/
//    nearshore-vs-offshore-realtime.json, rebuilt in code) with 11 options -- the baseline,
//    nearshore and offshore teams, offshore overlap 0/1/2/2.8 h, nearshore headcount 8-11 --
//    on common random numbers (paired comparisons) over R = 100 seeds. The best is nearshore
//    with 11 engineers (brute force, 100 000 trials per option: $566k), the runner-up the
//    offshore team at 2.8 h of overlap ($501k; the per-trial spread of the difference is
//    $1.9M, so the call is close); counters pcs and its SE.
//  - BM_choose_options/<threads>: `offroi options --vary offshore_team.overlap_hours=0,2,4,6,8`
//    on the default scenario (7 options, budget 100 000 trials, frontier 10 000 per option).
//   build/<dir>/bench/bench_decision_options --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <cmath>
#include <span>
#include <vector>

#include "offroi/decision/scenario_options.hpp"
#include "offroi/distributions/lognormal.hpp"
#include "offroi/distributions/pert.hpp"
#include "offroi/model.hpp"
#include "offroi/random/philox.hpp"

namespace {

struct chen_options {
    std::uint64_t seed = 1;
    void operator()(std::size_t i, std::uint64_t first, std::span<double> v) const {
        for (std::size_t j = 0; j < v.size(); ++j)
            v[j] = double(i + 1) + 6 * offroi::detail::normal_quantile(offroi::uniform01(seed, 1000 + i, first + j));
    }
};

void set_pcs(benchmark::State& state, int correct, int runs) {
    const double p = double(correct) / runs;
    state.counters["pcs"] = p;
    state.counters["pcs_se"] = std::sqrt(p * (1 - p) / runs);
    state.counters["trials"] = double(state.range(1));
}

void BM_pcs_synthetic(benchmark::State& state) {
    const int runs = 2000;
    int correct = 0;
    for (auto _ : state) {
        correct = 0;
        for (int r = 0; r < runs; ++r) {
            offroi::selection_options o;
            o.initial_trials = 10;
            o.increment = 20;
            o.block = 2;
            o.budget = std::uint64_t(state.range(1));
            o.variance = offroi::comparison_variance::independent;
            o.rule = state.range(0) == 0 ? offroi::allocation_rule::ocba : offroi::allocation_rule::equal;
            correct += offroi::select_best(10, chen_options{1000 + std::uint64_t(r)}, o).best == 9;
        }
    }
    set_pcs(state, correct, runs);
}

offroi::scenario realtime() {
    offroi::scenario s = offroi::default_scenario();
    s.name = "nearshore vs offshore for a real-time product";
    s.sync_work_share = offroi::pert_distribution(0.45, 0.6, 0.75);
    s.cost_of_delay_per_month_usd = offroi::lognormal_distribution::from_percentiles({0.10, 80e3}, {0.90, 300e3});
    s.alternatives = {offroi::preset(offroi::sourcing_model::nearshore, "nearshore_team"),
                      offroi::preset(offroi::sourcing_model::offshore_team, "offshore_team")};
    s.simulation.seed = 20240602;
    return s;
}

void BM_pcs_scenario(benchmark::State& state) {
    const offroi::scenario s = realtime();
    const auto opts = offroi::scenario_option_list(
        s, {{"offshore_team.overlap_hours", {0, 1, 2, 2.8}}, {"nearshore_team.headcount", {8, 9, 10, 11}}});
    std::size_t best = 0;
    for (std::size_t i = 0; i < opts.size(); ++i)
        if (opts[i].name == "nearshore_team[headcount=11]") best = i;
    const int runs = 100;
    int correct = 0;
    for (auto _ : state) {
        correct = 0;
        for (int r = 0; r < runs; ++r) {
            const offroi::scenario_option_simulator sim(s, opts, 1000 + std::uint64_t(r), 1 << 20);
            const offroi::option_simulator f = [&sim](std::size_t i, std::uint64_t a, std::span<double> v) { sim(i, a, v); };
            offroi::selection_options o;
            o.initial_trials = 512;
            o.increment = 2048;
            o.block = 256;
            o.budget = std::uint64_t(state.range(1));
            o.threads = 2;
            o.rule = state.range(0) == 0 ? offroi::allocation_rule::ocba : offroi::allocation_rule::equal;
            correct += offroi::select_best(opts.size(), f, o).best == best;
        }
    }
    set_pcs(state, correct, runs);
}

void BM_choose_options(benchmark::State& state) {
    const offroi::scenario s = offroi::default_scenario();
    offroi::scenario_options_request r;
    r.vary = {{"offshore_team.overlap_hours", {0, 2, 4, 6, 8}}};
    r.selection.budget = 100000;
    r.selection.threads = unsigned(state.range(0));
    r.frontier_trials = 10000;
    std::uint64_t total = 0;
    for (auto _ : state) {
        const auto res = offroi::choose_options(s, r);
        total = res.total_trials;
        benchmark::DoNotOptimize(res.selection.apcs);
    }
    state.counters["trials"] = double(total);
}

}  // namespace

BENCHMARK(BM_pcs_synthetic)
    ->ArgsProduct({{0, 1}, {200, 400, 800, 1600}})
    ->ArgNames({"equal", "T"})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);
BENCHMARK(BM_pcs_scenario)
    ->ArgsProduct({{0, 1}, {6144, 12288, 24576, 49152}})
    ->ArgNames({"equal", "T"})
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();
BENCHMARK(BM_choose_options)->Arg(1)->Arg(2)->ArgNames({"threads"})->Unit(benchmark::kMillisecond)->UseRealTime();
