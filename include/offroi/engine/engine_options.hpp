#pragma once
/// \file
/// The settings of a run that do not concern the statistics: trials, seed, threads, block
/// size, shard offset, sample keeping, progress and cancellation. `run_options` (in
/// engine/run_options.hpp) adds the summary settings.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>

#include "offroi/engine/cancellation.hpp"
#include "offroi/error.hpp"

namespace offroi {

/// Whether a run keeps the per-trial outputs (samples) besides the streaming summaries.
enum class sample_policy {
    /// Keep every output of every trial, in trial order, if that fits in
    /// `engine_options::sample_budget_bytes`; otherwise stream (summaries only).
    within_budget,
    /// Never keep samples: summaries only.
    never,
};

/// Progress callback: `(done_trials, total_trials)`, called from the thread that called
/// `run` (never from a worker) after each batch of merged blocks, with done_trials strictly
/// increasing; the last call has the final count (equal to total_trials unless the run was
/// cancelled or stopped on precision). It may call
/// `cancel()` on the run's token. An exception it throws stops the run and propagates.
using progress_callback = std::function<void(std::uint64_t done_trials, std::uint64_t total_trials)>;

/// Default block size: 4096 trials. Large enough that per-block costs (summary set-up and
/// merge, scheduling) vanish next to the model, small enough that a block's columns stay
/// in the L2 cache (4096 x 8 bytes = 32 KiB per column).
inline constexpr std::size_t default_block_size = 4096;

/// Largest accepted block size (2^24 trials).
inline constexpr std::size_t max_block_size = std::size_t{1} << 24;

/// Settings of a run that do not concern the statistics. Results are a pure function of
/// (model, seed, first_trial, trials) -- never of `threads` or of the scheduling -- as long
/// as the model keeps the contract of engine/model.hpp. `block_size` fixes the block grid
/// (and with it the precision checkpoints), so it is part of the result's identity only for
/// block-dependent models and precision runs.
struct engine_options {
    /// Number of trials N to run (>= 1). For a precision run (engine/precision.hpp) this is
    /// the trial cap.
    std::uint64_t trials = 0;
    /// The seed handed to the model in `block_context::seed`.
    std::uint64_t seed = 1;
    /// Worker threads; 0 means `std::thread::hardware_concurrency()`. Never changes results.
    unsigned threads = 0;
    /// Trials per block (1 ... max_block_size); blocks sit on the grid
    /// [b * block_size, (b + 1) * block_size) of absolute trial indices.
    std::size_t block_size = default_block_size;
    /// Absolute index of the first trial: the run computes trials
    /// [first_trial, first_trial + trials). Shards of one run use adjacent ranges.
    std::uint64_t first_trial = 0;
    /// Whether to keep samples (see `sample_policy`).
    sample_policy samples = sample_policy::within_budget;
    /// Memory budget for kept samples, in bytes: samples are kept only if
    /// trials x outputs x 8 bytes fits (default 512 MiB, i.e. 64 M values).
    std::size_t sample_budget_bytes = std::size_t{512} << 20;
    /// Optional progress callback (see `progress_callback`).
    progress_callback progress;
    /// Cancellation token; keep a copy to cancel the run from elsewhere. Copies of the
    /// options share the token (assign a fresh `cancellation_token{}` to separate two runs),
    /// and a token stays cancelled until `reset()`: a run given a cancelled token returns at
    /// once with zero trials and `cancelled() == true`.
    cancellation_token cancel;
    /// If true (default), an output that is NaN or infinite stops the run with
    /// `offroi::numerical_error` naming the output and the trial: never a silent NaN.
    bool check_finite_outputs = true;
};

namespace detail {

[[noreturn]] inline void throw_bad_option(std::string_view where, std::string_view field,
                                          std::string value, std::string_view allowed) {
    std::string msg(where);
    msg += ": ";
    msg += field;
    msg += " = ";
    msg += value;
    msg += " is invalid; ";
    msg += allowed;
    throw invalid_argument(msg);
}

/// Validates the engine settings; each failure names the field, the value and what is
/// allowed.
inline void validate(std::string_view where, const engine_options& o) {
    if (o.trials == 0)
        throw_bad_option(where, "trials", "0", "must be >= 1");
    if (o.block_size == 0)
        throw_bad_option(where, "block_size", "0", "must be >= 1");
    if (o.block_size > max_block_size)
        throw_bad_option(where, "block_size", std::to_string(o.block_size),
                         "must be <= " + std::to_string(max_block_size));
    if (o.first_trial > std::numeric_limits<std::uint64_t>::max() - o.trials)
        throw_bad_option(where, "first_trial", std::to_string(o.first_trial),
                         "first_trial + trials must be <= 2^64 - 1 (trials = " +
                             std::to_string(o.trials) + ")");
    if (o.threads > 1024)
        throw_bad_option(where, "threads", std::to_string(o.threads),
                         "must be <= 1024 (0 means the hardware's thread count)");
}

}  // namespace detail
}  // namespace offroi
