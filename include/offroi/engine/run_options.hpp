#pragma once
/// \file
/// `run_options`: the engine settings plus the settings of the per-output
/// `streaming_summary` (sketch accuracy, exceedance thresholds), and the result types of a
/// run with streaming summaries: `run_result` and `precision_result`'s `run_result`.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "offroi/engine/engine_options.hpp"
#include "offroi/engine/run_result.hpp"
#include "offroi/error.hpp"
#include "offroi/stats/streaming_summary.hpp"

namespace offroi {

/// Settings of a run with streaming summaries (see `engine_options` for the engine part).
struct run_options : engine_options {
    /// Settings of every output's summary, unless overridden below.
    summary_options summary;
    /// Per-output overrides, by output name (e.g. thresholds {0, 1e6} for "net_benefit").
    /// A name that is not an output of the model is an error.
    std::map<std::string, summary_options, std::less<>> output_summary;
};

/// The result of `run(model, run_options)`: one `streaming_summary` per output.
using run_result = basic_run_result<streaming_summary>;

namespace detail {

/// One empty summary per output, from `o.summary` and the overrides.
/// \throws invalid_argument naming an override key that is not an output, or a bad option.
inline std::vector<streaming_summary> make_prototypes(std::string_view where,
                                                      const std::vector<std::string>& names,
                                                      const run_options& o) {
    for (const auto& [key, opt] : o.output_summary) {
        bool found = false;
        for (const auto& n : names) found = found || n == key;
        if (!found) {
            std::string msg = std::string(where) + ": output_summary['" + key +
                              "'] names no output of the model; outputs are";
            for (const auto& n : names) msg += " '" + n + "'";
            throw invalid_argument(msg);
        }
    }
    std::vector<streaming_summary> out;
    out.reserve(names.size());
    for (const auto& n : names) {
        const auto it = o.output_summary.find(n);
        out.emplace_back(it != o.output_summary.end() ? it->second : o.summary);
    }
    return out;
}

}  // namespace detail
}  // namespace offroi
