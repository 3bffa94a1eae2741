#pragma once
/// \file
/// `run_request`: how `run_scenario` and the analyses built on it (compare, sweep,
/// break-even) run a scenario -- trials, seed, sampler, threads, precision stopping, kept
/// samples, recorded driver trials, input scaling, progress and cancellation -- and
/// `input_scaling`. Light (no engine templates), so the analyses' option structs can be
/// declared by light headers (offroi/analysis/sweep.hpp, breakeven.hpp).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "offroi/engine/cancellation.hpp"
#include "offroi/engine/engine_options.hpp"
#include "offroi/model/output_set.hpp"
#include "offroi/sampling/sampling_method.hpp"

namespace offroi {

/// Multiplies input `input` ("offshore_team.hourly_rate_usd", "backlog_engineer_months")
/// by `factor` in every trial.
struct input_scaling {
    std::string input{};  ///< the input's name (as `scenario::get` takes it)
    double factor = 1.0;  ///< the multiplier, finite and > 0
};

/// How `run_scenario` runs a scenario (unset fields keep the scenario's own settings).
struct run_request {
    std::uint64_t trials = 0;                  ///< 0: the scenario's; with `precision`, the trial cap
    std::optional<std::uint64_t> seed{};       ///< the seed (default: the scenario's)
    std::optional<sampling_method> sampler{};  ///< the design (default: the scenario's)
    unsigned threads = 0;                      ///< worker threads, 0 = all; never changes results
    /// Relative precision target: stop when the 95% half-width of the mean net benefit of
    /// `precision_arrangement` is <= precision * |mean| (checked every 8 blocks of 4096
    /// trials; deterministic). 0: run all trials.
    double precision = 0.0;
    /// The alternative whose mean net benefit the precision target is on (empty: the first).
    std::string precision_arrangement{};
    sample_policy samples = sample_policy::within_budget;  ///< keep per-trial outputs?
    std::size_t sample_budget_bytes = std::size_t{512} << 20;  ///< budget for kept outputs
    output_set outputs = output_set::essential;  ///< which outputs are summarised
    /// K: record the drawn inputs and every output of trials [0, K) of this run, for
    /// rank-based drivers (capped at the trials run). 0: record nothing.
    std::uint64_t driver_trials = 0;
    std::vector<input_scaling> scaling{};      ///< inputs multiplied by a factor in every trial
    progress_callback progress{};              ///< called between blocks
    cancellation_token cancel{};               ///< cooperative cancellation
    double shortfall_alpha = 0.05;             ///< tail mass of the expected shortfall
};

}  // namespace offroi
