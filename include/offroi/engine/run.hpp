#pragma once
/// \file
/// `run(model, options)`: runs a model over a range of trials, in parallel, in fixed-size
/// blocks, and returns per-output summaries (and samples when they fit the memory budget).
///
/// Guarantees (given a model that keeps the contract of engine/model.hpp):
///  - the result's summaries and samples are bit-identical for any `threads`;
///  - for any k, merge(run of [f, f+k), run of [f+k, f+N)) equals the run of [f, f+N)
///    (summaries, samples, trial range), because blocks sit on a fixed grid of absolute
///    trial indices and the summary's merge is exact;
///  - cancellation (`options.cancel.cancel()`, from any thread or from the progress
///    callback) is checked between blocks; the run then returns normally with
///    `cancelled() == true` and a valid result over a prefix of whole blocks
///    [first_trial, first_trial + trials()) -- it does not throw `offroi::cancelled`, so the
///    partial summaries stay usable (a caller who prefers an exception checks `cancelled()`);
///  - an exception thrown by the model or the progress callback stops all workers and
///    propagates to the caller; a non-finite output throws `offroi::numerical_error`.

#include <string_view>
#include <vector>

#include "offroi/engine/engine_options.hpp"
#include "offroi/engine/executor.hpp"
#include "offroi/engine/model.hpp"
#include "offroi/engine/run_options.hpp"
#include "offroi/engine/run_result.hpp"

namespace offroi {

/// Runs `m` over trials [o.first_trial, o.first_trial + o.trials) with a custom per-output
/// accumulator: each block's summary of output i is a copy of `prototype` (normally empty)
/// to which the block's values are added; block summaries are merged in block order.
/// \throws invalid_argument for bad options (naming the field), or a model without outputs.
/// \throws numerical_error  if o.check_finite_outputs and an output is NaN or infinite.
/// Anything the model or the progress callback throws propagates.
template <model M, mergeable_summary Summary>
basic_run_result<Summary> run(const M& m, const engine_options& o, const Summary& prototype) {
    const std::vector<Summary> prototypes(m.output_names().size(), prototype);
    return detail::execute(m, o, prototypes, "offroi::run", 0, detail::never_stop{});
}

/// Runs `m` over trials [o.first_trial, o.first_trial + o.trials) with one
/// `streaming_summary` per output (settings from o.summary and o.output_summary).
/// \throws invalid_argument for bad options (naming the field), an output_summary key that
///         is not an output, or a model without outputs.
/// \throws numerical_error  if an output is NaN or infinite (with check_finite_outputs off,
///         the summary rejects it with invalid_argument instead).
/// Anything the model or the progress callback throws propagates.
template <model M>
run_result run(const M& m, const run_options& o) {
    constexpr std::string_view where = "offroi::run";
    detail::validate(where, o);
    const auto names = m.output_names();
    return detail::execute(m, o, detail::make_prototypes(where, names, o), where, 0,
                           detail::never_stop{});
}

}  // namespace offroi
