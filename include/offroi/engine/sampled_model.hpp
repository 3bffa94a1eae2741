#pragma once
/// \file
/// `sampled_model`: wires a `sampler` into the engine. For each block the sampler writes the
/// inputs of the block's trials and a function computes the outputs from them:
///
///     offroi::sampler in({{"rate", offroi::pert_distribution(20, 30, 50)},
///                         {"hours", offroi::lognormal_distribution::from_percentiles({0.1, 1500}, {0.9, 2100})}},
///                        {.seed = 42, .correlations = {{"rate", "hours", -0.3}}});
///     auto m = offroi::sampled_model(in, {"cost"}, [](const offroi::block_context&,
///                                                     const double* const* x, offroi::block_outputs& out) {
///         for (std::size_t k = 0; k < out.count(); ++k) out.column(0)[k] = x[0][k] * x[1][k];
///     });
///     offroi::run_result r = offroi::run(m, m.run_options_for(200000));
///
/// The sampler's draws are keyed by its own seed, so the run must use that seed: the model
/// checks that `block_context::seed` equals `sampler::seed()` and throws naming both
/// otherwise, instead of a lambda that silently ignores the engine's seed. `run_options_for`
/// gives options with the sampler's seed.
/// Reproducible for any thread count, as every sampler draw is a pure function of
/// (seed, input, trial).

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "offroi/engine/model.hpp"
#include "offroi/engine/run_options.hpp"
#include "offroi/error.hpp"
#include "offroi/sampling/sampler.hpp"

namespace offroi {

/// An engine model whose inputs come from a sampler (see the file comment).
/// \tparam F callable `void(const block_context& ctx, const double* const* inputs,
///         block_outputs& out)`: `inputs[i][k]` is input i (sampler column order) of trial
///         `ctx.first_trial + k`, k < `out.count()`; it must write every output element.
template <class F>
class sampled_model {
public:
    /// \param inputs the sampler (copied; samplers share their immutable state).
    /// \param outputs the output names, in column order.
    /// \param f computes the outputs of a block from its inputs.
    /// \throws invalid_argument if `outputs` is empty.
    sampled_model(sampler inputs, std::vector<std::string> outputs, F f)
        : sampler_(std::move(inputs)), outputs_(std::move(outputs)), f_(std::move(f)) {
        if (outputs_.empty()) throw invalid_argument("offroi::sampled_model: needs at least one output name");
    }

    /// The output names (engine model interface).
    std::vector<std::string> output_names() const { return outputs_; }
    /// The sampler.
    const sampler& input_sampler() const noexcept { return sampler_; }

    /// Run options for `trials` trials with the sampler's seed. (A Latin hypercube sampler
    /// needs its design size in `sampling_options::design_size`, usually the trial count.)
    run_options run_options_for(std::uint64_t trials) const {
        run_options o;
        o.trials = trials;
        o.seed = sampler_.seed();
        return o;
    }

    /// Computes one block (engine model interface).
    /// \throws invalid_argument if the run's seed is not the sampler's.
    void operator()(const block_context& ctx, block_outputs& out) const {
        if (ctx.seed != sampler_.seed())
            throw invalid_argument("offroi::sampled_model: the run's seed " + std::to_string(ctx.seed) +
                                   " is not the sampler's seed " + std::to_string(sampler_.seed()) +
                                   "; run with run_options::seed = sampler.seed() (see run_options_for)");
        const std::size_t d = sampler_.dimension(), n = ctx.count;
        std::vector<double> own;
        double* buf = nullptr;
        if (ctx.workspace != nullptr) {
            buf = ctx.scratch(d * n);
        } else {
            own.resize(d * n);
            buf = own.data();
        }
        std::vector<double*> cols(d);
        for (std::size_t i = 0; i < d; ++i) cols[i] = buf + i * n;
        sampler_.fill(ctx.first_trial, n, cols.data());
        f_(ctx, static_cast<const double* const*>(cols.data()), out);
    }

private:
    sampler sampler_;
    std::vector<std::string> outputs_;
    F f_;
};

}  // namespace offroi
