#pragma once
/// \file
/// An adaptor that turns "fill the input columns of a block" plus "compute one trial's
/// outputs from its inputs" into an engine model (see engine/model.hpp). Handy for user
/// models written trial by trial; models that vectorise over a block should implement the
/// block call themselves.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "offroi/engine/model.hpp"
#include "offroi/error.hpp"

namespace offroi {

/// A model built from an input filler and a per-trial function.
///
/// \tparam Fill callable `void(std::uint64_t seed, std::uint64_t first_trial, std::size_t count,
///              double* const* columns)` that writes `n_inputs` columns of `count` inputs
///              (trial order), e.g. a lambda over a sampler's `fill`. It must be a pure
///              function of (seed, trial) per value, like every model.
/// \tparam Fn   callable `void(std::span<const double> inputs, std::span<double> outputs)`
///              for one trial (inputs has n_inputs values, outputs has one slot per name).
template <class Fill, class Fn>
class trial_model {
public:
    /// \param n_inputs     number of input columns the filler writes (>= 1).
    /// \param fill         the input filler.
    /// \param fn           the per-trial function.
    /// \param output_names the names of the outputs (at least one).
    /// \throws invalid_argument if n_inputs is 0 or output_names is empty.
    trial_model(std::size_t n_inputs, Fill fill, Fn fn, std::vector<std::string> output_names)
        : n_inputs_(n_inputs), fill_(std::move(fill)), fn_(std::move(fn)),
          names_(std::move(output_names)) {
        if (n_inputs_ == 0)
            throw invalid_argument("offroi::trial_model: n_inputs = 0 is invalid; must be >= 1");
        if (names_.empty())
            throw invalid_argument(
                "offroi::trial_model: output_names is empty; a model needs at least one output");
    }

    /// The names of the outputs.
    std::vector<std::string> output_names() const { return names_; }
    /// Number of input columns.
    std::size_t n_inputs() const noexcept { return n_inputs_; }

    /// Fills the inputs of the block (in the worker's scratch memory), then calls the
    /// per-trial function for each trial and scatters its outputs into the columns.
    void operator()(const block_context& ctx, block_outputs& out) const {
        const std::size_t n = ctx.count;
        const std::size_t m = names_.size();
        // Layout of the scratch: n_inputs columns of n, then one row of inputs and outputs.
        double* base = ctx.scratch(n_inputs_ * n + n_inputs_ + m);
        std::vector<double*> cols(n_inputs_);
        for (std::size_t j = 0; j < n_inputs_; ++j) cols[j] = base + j * n;
        fill_(ctx.seed, ctx.first_trial, n, cols.data());
        double* in_row = base + n_inputs_ * n;
        double* out_row = in_row + n_inputs_;
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t j = 0; j < n_inputs_; ++j) in_row[j] = cols[j][i];
            fn_(std::span<const double>(in_row, n_inputs_), std::span<double>(out_row, m));
            for (std::size_t k = 0; k < m; ++k) out.column(k)[i] = out_row[k];
        }
    }

private:
    std::size_t n_inputs_;
    Fill fill_;
    Fn fn_;
    std::vector<std::string> names_;
};

/// Builds a `trial_model` (see there for the parameters and what they must satisfy).
template <class Fill, class Fn>
trial_model<std::decay_t<Fill>, std::decay_t<Fn>> make_trial_model(
    std::size_t n_inputs, Fill&& fill, Fn&& fn, std::vector<std::string> output_names) {
    return {n_inputs, std::forward<Fill>(fill), std::forward<Fn>(fn), std::move(output_names)};
}

}  // namespace offroi
