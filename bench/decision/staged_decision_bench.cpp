// Staged decision of a pilot on the default scenario (issue target: under 10 s for a 6-month
// pilot): 20 000 training + 20 000 evaluation draws, each evaluating the baseline, the
// alternative and the pilot's three actions, the signals, both policies (threshold rule and
// least-squares Monte Carlo on nb_regression) and the EVSI regression.
#include <benchmark/benchmark.h>

#include "offroi/decision/staged_decision.hpp"
#include "offroi/model/presets.hpp"

static void BM_staged_decision_default(benchmark::State& state) {
    const offroi::scenario s = offroi::default_scenario();
    offroi::staged_decision_options o;
    o.pilot.pilot_headcount = 3;
    o.pilot.decision_month = 6;
    o.training_trials = static_cast<std::uint64_t>(state.range(0));
    o.evaluation_trials = static_cast<std::uint64_t>(state.range(0));
    o.threads = 0;
    for (auto _ : state) {
        const auto r = offroi::staged_decision(s, o);
        state.counters["option_value"] = r.option_value;
        state.counters["evsi"] = r.evsi;
    }
}
BENCHMARK(BM_staged_decision_default)->Arg(20000)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();
