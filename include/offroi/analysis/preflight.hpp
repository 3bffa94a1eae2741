#pragma once
/// \file
/// `preflight(scenario)`: what `offroi validate` runs -- `validate` and then everything
/// `offroi run` does, on a few trials: the model built (distribution tables), trials
/// evaluated with every output checked finite, and the drivers ranked from the recorded
/// draws. A scenario that passes runs; one that fails is refused with the error `run` would
/// give, before any long work starts.

#include <cstdint>

#include "offroi/analysis/model_sensitivity.hpp"
#include "offroi/analysis/scenario_run.hpp"
#include "offroi/model/scenario.hpp"
#include "offroi/model/validate.hpp"

namespace offroi {

/// Checks that `s` runs: `validate(s)`, then a run of `trials` trials (the scenario's seed
/// and sampler, one thread) recording the draws of every trial, and the driver ranking of
/// each alternative when there are more trials than inputs + 1 (as `offroi run` ranks them).
/// \throws invalid_scenario as `validate`, or when an output is not finite in a trial;
///         invalid_argument as `run_scenario` and `run_drivers`.
inline void preflight(const scenario& s, std::uint64_t trials = 256) {
    validate(s);
    run_request r;
    r.trials = trials;
    r.driver_trials = trials;
    r.threads = 1;
    r.samples = sample_policy::never;
    const scenario_run res = run_scenario(s, r);
    if (res.input_samples.empty() || res.input_samples.front().size() <= res.input_names.size() + 1) return;
    for (const auto& a : res.result.arrangements)
        if (!a.is_baseline) (void)run_drivers(res, a.name);
}

}  // namespace offroi
