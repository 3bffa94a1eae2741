#pragma once
/// \file
/// `summarize(run_result, output)`: the decision summary of one output of a run -- exact
/// percentiles, their intervals and the expected shortfall from the kept samples when the
/// run kept them (`summary::exact`), from the streaming sketch otherwise -- in one call
/// instead of `summarize(r.summary(i), r.samples(i))`.

#include <cstddef>
#include <span>
#include <string_view>

#include "offroi/engine/run_options.hpp"
#include "offroi/stats/summary.hpp"

namespace offroi {

/// The summary of output `i` of `r` (see the file comment).
/// \throws invalid_argument if i is out of range, or as `summarize`.
inline summary summarize(const run_result& r, std::size_t i, const summary_request& request = {}) {
    const streaming_summary& s = r.summary(i);
    return summarize(s, r.samples_kept() ? r.samples(i) : std::span<const double>{}, request);
}

/// The summary of the output named `output` (see the file comment).
/// \throws invalid_argument if there is no such output, or as `summarize`.
inline summary summarize(const run_result& r, std::string_view output, const summary_request& request = {}) {
    return summarize(r, r.index_of(output), request);
}

}  // namespace offroi
