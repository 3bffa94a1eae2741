#pragma once
/// \file
/// `run_scenario(scenario, run_request)`: what `simulate` does (model/simulate.hpp: same
/// model, same draws, same summaries and waterfall -- a test checks the bits agree), plus
/// what the analyses and the command line need from one run:
///  - overrides of trials, seed and sampler;
///  - precision stopping on the mean net benefit of an alternative (the engine's
///    `run_to_precision`, relative half-width at 95%);
///  - input scaling (sweeps, break-even searches);
///  - the drawn inputs and the net benefits of the first K trials of the run itself (no
///    rerun), from which `run_drivers` (model_sensitivity.hpp) ranks the inputs.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "offroi/analysis/run_request.hpp"
#include "offroi/analysis/scenario_model.hpp"
#include "offroi/engine/precision.hpp"
#include "offroi/engine/run.hpp"
#include "offroi/engine/run_options.hpp"
#include "offroi/error.hpp"
#include "offroi/model/roi_model.hpp"
#include "offroi/model/scenario.hpp"
#include "offroi/model/simulate.hpp"
#include "offroi/model/validate.hpp"
#include "offroi/stats/summary.hpp"

namespace offroi {

/// The result of `run_scenario`.
struct scenario_run {
    scenario_result result;                    ///< as `simulate` returns it
    std::optional<precision_status> precision; ///< the precision target's status, if one was set
    std::vector<std::string> input_names;      ///< the sampled inputs, column order
    std::vector<distribution> input_distributions;  ///< their marginals
    /// The inputs drawn in trials [0, K) (K = driver_trials, capped at the trials run):
    /// input_samples[j][t]. Empty if nothing was recorded. (A column is a `recorded_column`:
    /// a std::vector of doubles with an allocator that does not zero what it sizes.)
    std::vector<recorded_column> input_samples;
    /// Every output of trials [0, K), by output name order of `result.run.output_names()`.
    std::vector<recorded_column> output_samples;

    /// Number of trials run (`result.trials()`; fewer than requested after a precision stop
    /// or a cancel).
    std::uint64_t trials() const noexcept { return result.trials(); }
};

/// Spans over recorded columns (`scenario_run::input_samples`, `output_samples`), as
/// `column_spans` (decision/value_of_information.hpp) gives them over vectors of vectors.
inline std::vector<std::span<const double>> column_spans(const std::vector<recorded_column>& c) {
    return {c.begin(), c.end()};
}

namespace detail {

// Wraps a model: copies the outputs of trials [0, K) into a recorder after each block.
template <class M>
struct output_recording_model {
    const M* inner;
    std::shared_ptr<input_recorder> outputs;  // reused as plain column storage
    std::vector<std::string> output_names() const { return inner->output_names(); }
    void operator()(const block_context& ctx, block_outputs& out) const {
        (*inner)(ctx, out);
        if (outputs && ctx.first_trial < outputs->trials) {
            const std::size_t m =
                static_cast<std::size_t>(std::min<std::uint64_t>(ctx.count, outputs->trials - ctx.first_trial));
            for (std::size_t c = 0; c < out.n_outputs(); ++c)
                std::copy(out.column(c), out.column(c) + m,
                          outputs->columns[c].begin() + static_cast<std::ptrdiff_t>(ctx.first_trial));
        }
    }
};

}  // namespace detail

/// Runs scenario `s` as `req` says (see the file comment). Reproducible: the same scenario
/// and request give the same bits for any thread count.
/// \throws invalid_scenario if `validate(s)` fails; invalid_argument for bad request fields
///         (trials < 2, a negative or non-finite precision, an unknown precision
///         arrangement or scaled input); numerical_error if an output is not finite.
inline scenario_run run_scenario(scenario s, const run_request& req = {}) {
    if (req.sampler) s.simulation.method = *req.sampler;
    validate(s);
    const std::uint64_t trials = req.trials ? req.trials : s.simulation.trials;
    const std::uint64_t seed = req.seed ? *req.seed : s.simulation.seed;
    if (trials < 2) detail::throw_invalid("offroi::run_scenario", "trials", double(trials), "must be >= 2");
    if (!(req.precision >= 0.0) || !std::isfinite(req.precision))
        detail::throw_invalid("offroi::run_scenario", "precision", req.precision,
                              "must be a finite relative half-width >= 0 (0: off)");
    const scenario_model_parts parts = model_parts(s, req.scaling);
    auto binds = default_outputs(parts.names, req.outputs);

    std::optional<precision_status> status;
    std::shared_ptr<input_recorder> in_rec, out_rec;
    const std::uint64_t k = std::min(req.driver_trials, trials);
    if (k > 0) {
        in_rec = std::make_shared<input_recorder>();
        in_rec->trials = k;
        out_rec = std::make_shared<input_recorder>();
        out_rec->trials = k;
        out_rec->size_columns(binds.size());
    }
    const auto inner = make_analysis_model(parts, seed, trials, binds, in_rec);
    const detail::output_recording_model<roi_model<analysis_fill>> model{&inner, out_rec};

    run_options ro;
    ro.trials = trials;
    ro.seed = seed;
    ro.threads = req.threads;
    ro.samples = req.samples;
    ro.sample_budget_bytes = req.sample_budget_bytes;
    ro.progress = req.progress;
    ro.cancel = req.cancel;
    std::optional<run_result> rr;
    if (req.precision > 0.0) {
        if (s.alternatives.empty())
            throw invalid_argument("offroi::run_scenario: a precision target needs an alternative arrangement");
        const std::string arr = req.precision_arrangement.empty() ? s.alternatives.front().name
                                                                   : req.precision_arrangement;
        if (parts.arrangement_index(arr) == 0)
            throw invalid_argument("offroi::run_scenario: precision_arrangement \"" + arr +
                                   "\" is the baseline; its net benefit is 0 by definition");
        precision_target t;
        t.output = arr + ".net_benefit";
        t.statistic = precision_statistic::mean;
        t.relative_tolerance = req.precision;
        auto pr = run_to_precision(model, ro, t);
        status = pr.status;
        rr.emplace(std::move(pr.result));
    } else {
        rr.emplace(run(model, ro));
    }
    // Trials recorded: only those the run kept (a precision stop or a cancel may end earlier).
    // The run's trials are a prefix [0, trials()) of whole blocks, each computed (its
    // inputs drawn, its outputs copied out) before it was merged: every kept element was
    // written, and the rest of the unwritten columns is cut off here.
    const std::uint64_t kept = std::min(k, rr->trials());
    std::vector<recorded_column> ins, outs;
    if (kept > 0) {
        ins = std::move(in_rec->columns);
        outs = std::move(out_rec->columns);
        for (auto& c : ins) c.resize(static_cast<std::size_t>(kept));
        for (auto& c : outs) c.resize(static_cast<std::size_t>(kept));
    }
    return scenario_run{assemble_result(s, seed, std::move(*rr), binds, req.shortfall_alpha, {}, req.threads),
                        status, parts.input_names, parts.input_distributions, std::move(ins), std::move(outs)};
}

}  // namespace offroi
