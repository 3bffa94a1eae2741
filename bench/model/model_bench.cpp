// Speed of the ROI model. Run: build/<dir>/bench/bench_model_model
//  - BM_evaluate_trial: the pure per-trial evaluation of the default scenario's two
//    arrangements (36 months) with fixed values: the model's own cost per trial.
//  - BM_simulate_default/threads:T: simulate(default_scenario()) end to end (sampling of the
//    45 uncertain inputs with two rank correlations, events, evaluation, streaming
//    summaries of 23 outputs) on T threads; items_per_second = trials per second.
//    Target (issue 4): >= 1,000,000 trials/s on 2 cores.
//  - BM_simulate_default_lhs: the same with Latin hypercube sampling.
#include <benchmark/benchmark.h>

#include <vector>

#include "offroi/model/evaluate.hpp"
#include "offroi/model/scenario.hpp"
#include "offroi/model/simulate.hpp"

using namespace offroi;

static void BM_evaluate_trial(benchmark::State& state) {
    scenario_values s;
    s.niche_role_share = 0.2;
    arrangement_values local;
    local.hourly_rate_usd = 105;
    local.time_to_fill_months = 2;
    local.niche_time_to_fill_months = 6;
    local.ramp_up_months = 4;
    local.annual_attrition = 0.13;
    local.leadership_hours_per_engineer_week = 2.5;
    local.vendor_tier = 0.85;
    local.cost_per_hire_usd = 15000;
    local.security_incident_annual_probability = 0.03;
    local.key_person_loss_annual_probability = 0.1;
    arrangement_values off;
    off.hourly_rate_usd = 35;
    off.time_to_fill_months = 0.9;
    off.ramp_up_months = 5;
    off.annual_attrition = 0.19;
    off.overlap_hours = 2;
    off.leadership_hours_per_engineer_week = 3.5;
    off.governance_share = 0.06;
    off.vendor_tier = 0.37;
    off.transition_months = 6;
    off.transition_productivity = 0.7;
    off.failure_annual_probability = 0.04;
    off.security_incident_annual_probability = 0.06;
    off.key_person_loss_annual_probability = 0.2;
    off.vendor_switch_annual_probability = 0.03;
    std::vector<arrangement_values> arr = {local, off};
    const event_streams e0(1, "local_hiring"), e1(1, "offshore_team");
    std::vector<event_uniforms> ev(2);
    std::vector<arrangement_outcome> out(2);
    const evaluation_settings set;
    const double v = set.monthly_discount();
    std::uint64_t trial = 0;
    for (auto _ : state) {
        ev[0] = e0.draw(trial);
        ev[1] = e1.draw(trial);
        ++trial;
        evaluate_trial(s, arr, ev, set, v, out);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_evaluate_trial);

static void simulate_default(benchmark::State& state, sampling_method method) {
    scenario s = default_scenario();
    s.simulation.method = method;
    simulate_options o;
    o.trials = 1000000;
    o.threads = static_cast<unsigned>(state.range(0));
    o.samples = sample_policy::never;
    double mean = 0;
    for (auto _ : state) {
        const auto r = simulate(s, o);
        mean = r.arrangements[1].output("net_benefit").mean;
        benchmark::DoNotOptimize(mean);
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(o.trials));
    state.counters["net_benefit_mean"] = mean;
}

static void BM_simulate_default(benchmark::State& state) {
    simulate_default(state, sampling_method::monte_carlo);
}
BENCHMARK(BM_simulate_default)->Arg(1)->Arg(2)->ArgName("threads")->Unit(benchmark::kMillisecond)->UseRealTime();

static void BM_simulate_default_lhs(benchmark::State& state) {
    simulate_default(state, sampling_method::latin_hypercube);
}
BENCHMARK(BM_simulate_default_lhs)->Arg(2)->ArgName("threads")->Unit(benchmark::kMillisecond)->UseRealTime();
