// Speed of the ROI model (version 2). Run: build/<dir>/bench/bench_model_model
//  - BM_evaluate_trial: the pure per-trial evaluation of the default scenario's two
//    arrangements (local_hiring baseline, offshore_team; project framing, 36 months) at the
//    medians of their preset distributions, with each trial's Philox event uniforms: the
//    model's own cost per trial.
//  - BM_evaluate_trials_block: the same, block_lanes trials at a time (evaluate_trials_block,
//    the month loop across trials in lanes; the same bits); items = trials.
//  - BM_evaluate_trials_block_isa/isa:I: the same with the lanes' build I (0 portable, 1 AVX2,
//    2 AVX-512 F/VL/DQ: four lanes in 256-bit registers, 32 of them); skipped where unavailable.
//  - BM_evaluate_trials_block8_avx512: experiment, eight lanes as AVX-512 (not used by the
//    library; tells whether wider lanes would pay).
//  - BM_simulate_default/threads:T: simulate(default_scenario()) end to end (sampling of the
//    sampled inputs, events, evaluation, streaming summaries of the essential outputs) on T
//    threads, 1e6 trials; items_per_second = trials per second.
//    Target (issue 12): >= 3,000,000 trials/s on 2 cores. The CPU column is the process's CPU
//    time (all threads): on a shared machine compare it, not the wall time.
//  - BM_simulate_default_lhs: the same with Latin hypercube sampling.
#include <benchmark/benchmark.h>

#include <vector>

#include "offroi/model/evaluate.hpp"
#include "offroi/model/evaluate_block.hpp"
#include "offroi/model/scenario.hpp"
#include "offroi/model/simulate.hpp"

using namespace offroi;

// The default scenario's values at (roughly) the medians of their distributions.
static void default_medians(scenario_values& s, arrangement_values& local, arrangement_values& off) {
    // The default scenario at (roughly) the medians of its distributions.
    s.backlog_engineer_months = 142;
    s.cost_of_delay_per_month_usd = 122e3;
    s.niche_role_share = 0.2;
    s.sync_work_share = 0.3;
    s.base_rework_share = 0.4;
    s.leader_hourly_cost_usd = 143;
    s.escaped_defect_cost_usd_per_engineer_month = 17e3;
    local = arrangement_values{};  // in_house preset
    local.hourly_rate_usd = 70;
    local.overhead_loading = 1.67;
    local.annual_rate_escalation = 0.035;
    local.market_rate_low_usd = 75;
    local.market_rate_high_usd = 165;
    local.time_to_fill_months = 2;
    local.niche_time_to_fill_months = 6;
    local.ramp_up_months = 4.3;
    local.legacy_learning_factor = 1;
    local.annual_attrition = 0.13;
    local.overlap_hours = 8;
    local.handoff_quality = 0.5;
    local.leadership_hours_per_engineer_week = 3.1;
    local.vetting_rigor = 0.7;
    local.review_strength = 0.7;
    local.cost_per_hire_usd = 16e3;
    local.knowledge_transfer_share = 0.11;
    local.failure_annual_probability = 0.011;
    local.reversal_cost_usd = 63e3;
    local.security_incident_annual_probability = 0.03;
    local.security_controls = 0.6;
    local.security_incident_cost_usd = 224e3;
    local.key_person_loss_annual_probability = 0.1;
    local.key_person_loss_engineer_months = 3.2;
    off = arrangement_values{};  // offshore_team preset
    off.hourly_rate_usd = 35;
    off.annual_rate_escalation = 0.052;
    off.market_rate_low_usd = 18;
    off.market_rate_high_usd = 50;
    off.time_to_fill_months = 0.87;
    off.niche_time_to_fill_months = 2;
    off.ramp_up_months = 4.3;
    off.legacy_learning_factor = 1.5;
    off.annual_attrition = 0.19;
    off.overlap_hours = 2.2;
    off.handoff_quality = 0.5;
    off.leadership_hours_per_engineer_week = 3.7;
    off.governance_share = 0.06;
    off.vetting_rigor = 0.5;
    off.review_strength = 0.5;
    off.transition_months = 2.2;
    off.transition_productivity = 0.78;
    off.vendor_search_share = 0.01;
    off.setup_cost_usd = 56e3;
    off.exit_cost_usd = 55e3;
    off.knowledge_transfer_share = 0.21;
    off.travel_usd_per_engineer_month = 287;
    off.failure_annual_probability = 0.043;
    off.reversal_cost_usd = 283e3;
    off.security_incident_annual_probability = 0.06;
    off.security_controls = 0.6;
    off.security_incident_cost_usd = 224e3;
    off.key_person_loss_annual_probability = 0.2;
    off.key_person_loss_engineer_months = 3.2;
    off.vendor_switch_annual_probability = 0.03;
}

static void BM_evaluate_trial(benchmark::State& state) {
    scenario_values s;
    arrangement_values local, off;
    default_medians(s, local, off);
    std::vector<arrangement_values> arr = {local, off};
    const event_streams e0(1, "local_hiring"), e1(1, "offshore_team");
    std::vector<event_uniforms> ev(2);
    std::vector<arrangement_outcome> out(2);
    const evaluation_settings set;  // 36 months, 10%, project
    const double v = set.monthly_discount();
    std::uint64_t trial = 0;
    for (auto _ : state) {
        ev[0] = e0.draw(trial);
        ev[1] = e1.draw(trial);
        ++trial;
        evaluate_trial(s, arr, ev, set, v, out);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["net_benefit"] = out[1].net_benefit;
}
BENCHMARK(BM_evaluate_trial);

// The default scenario's medians, block_lanes trials at a time through `evaluate` (the
// evaluate_trials_block signature); items = trials.
template <class Evaluate>
static void block_bench(benchmark::State& state, Evaluate evaluate) {
    constexpr std::size_t L = block_lanes;
    scenario_values s0;
    arrangement_values local, off;
    default_medians(s0, local, off);
    std::vector<scenario_values> s(L, s0);
    std::vector<arrangement_values> arr;
    for (std::size_t i = 0; i < L; ++i) {
        arr.push_back(local);
        arr.push_back(off);
    }
    const event_streams e0(1, "local_hiring"), e1(1, "offshore_team");
    std::vector<event_uniforms> ev(2 * L);
    std::vector<arrangement_outcome> out(2 * L);
    const evaluation_settings set;  // 36 months, 10%, project
    const double v = set.monthly_discount();
    std::vector<double> scratch(block_trace_doubles(set));
    std::uint64_t trial = 0;
    for (auto _ : state) {
        for (std::size_t i = 0; i < L; ++i, ++trial) {
            ev[2 * i] = e0.draw(trial);
            ev[2 * i + 1] = e1.draw(trial);
        }
        evaluate(s, arr, ev, set, v, out, scratch);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(L));
    state.counters["net_benefit"] = out[1].net_benefit;
}

// The same trials evaluated block_lanes at a time (evaluate_trials_block: the month loop in
// lanes, the same bits).
static void BM_evaluate_trials_block(benchmark::State& state) {
    block_bench(state, [](const auto& s, const auto& arr, const auto& ev, const auto& set, double v, auto& out,
                          auto& scratch) { evaluate_trials_block(s, arr, ev, 2, set, v, out, scratch); });
}
BENCHMARK(BM_evaluate_trials_block);

// The same with one build of the lanes (isa: 0 portable, 1 AVX2, 2 AVX-512).
static void BM_evaluate_trials_block_isa(benchmark::State& state) {
    const auto isa = static_cast<detail::block_isa>(state.range(0));
    if (!detail::block_isa_available(isa)) {
        state.SkipWithError("this build of the lanes does not run here");
        return;
    }
    block_bench(state, [isa](const auto& s, const auto& arr, const auto& ev, const auto& set, double v, auto& out,
                             auto& scratch) {
        detail::evaluate_trials_block_isa(isa, s, arr, ev, 2, set, v, out, scratch);
    });
}
BENCHMARK(BM_evaluate_trials_block_isa)->Arg(0)->Arg(1)->Arg(2)->ArgName("isa");

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
// Experiment (issue 12): eight lanes in AVX-512 registers (one 512-bit operation per value),
// the same lane code as evaluate_trials_block; not used by the library. Items = trials.
template <std::size_t L>
__attribute__((target("avx512f"))) static void lanes_avx512(detail::arrangement_eval (&e)[L],
                                                             detail::arrangement_trace* traces, int horizon,
                                                             bool project, double v, arrangement_outcome* out) {
    detail::evaluate_arrangement_lanes<L>(e, traces, horizon, project, v, out);
}

static void BM_evaluate_trials_block8_avx512(benchmark::State& state) {
    constexpr std::size_t L = 8;
    if (!__builtin_cpu_supports("avx512f")) {
        state.SkipWithError("no AVX-512F on this machine");
        return;
    }
    scenario_values s;
    arrangement_values local, off;
    default_medians(s, local, off);
    const event_streams e0(1, "local_hiring"), e1(1, "offshore_team");
    const evaluation_settings set;
    const double v = set.monthly_discount();
    const std::size_t h = static_cast<std::size_t>(set.horizon_months);
    std::vector<double> scratch(L * 6 * h);
    detail::arrangement_trace tb[L], ta[L];
    for (std::size_t i = 0; i < L; ++i) {  // interleaved, as the lanes write them
        double* p = scratch.data() + i;
        const std::size_t n = h * L;
        tb[i] = detail::arrangement_trace{p, p + n, p + 2 * n};
        ta[i] = detail::arrangement_trace{p + 3 * n, p + 4 * n, p + 5 * n};
        tb[i].stride = ta[i].stride = L;
    }
    detail::arrangement_eval e[L];
    arrangement_outcome ob[L], oa[L];
    event_uniforms eb[L], ea[L];
    std::uint64_t trial = 0;
    for (auto _ : state) {
        for (std::size_t i = 0; i < L; ++i, ++trial) {
            eb[i] = e0.draw(trial);
            ea[i] = e1.draw(trial);
        }
        for (std::size_t i = 0; i < L; ++i) e[i].start(local, local, s, eb[i], set, v, nullptr);
        lanes_avx512<L>(e, tb, set.horizon_months, true, v, ob);
        for (std::size_t i = 0; i < L; ++i) e[i].start(off, local, s, ea[i], set, v, nullptr);
        lanes_avx512<L>(e, ta, set.horizon_months, true, v, oa);
        for (std::size_t i = 0; i < L; ++i) detail::compare_with_baseline(ob[i], tb[i], ta[i], set, v, oa[i]);
        benchmark::DoNotOptimize(oa);
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(L));
    state.counters["net_benefit"] = oa[L - 1].net_benefit;
}
BENCHMARK(BM_evaluate_trials_block8_avx512);
#endif

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
BENCHMARK(BM_simulate_default)->Arg(1)->Arg(2)->ArgName("threads")->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();

static void BM_simulate_default_lhs(benchmark::State& state) {
    simulate_default(state, sampling_method::latin_hypercube);
}
BENCHMARK(BM_simulate_default_lhs)->Arg(2)->ArgName("threads")->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();
