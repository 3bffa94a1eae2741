#pragma once
/// \file
/// What the engine runs: a *model* computes the outputs of a block of consecutive trials in
/// structure-of-arrays form. The model draws its own inputs (for example with a sampler's
/// `fill(first_trial, count, columns)` or directly from `philox_stream`), so the engine
/// knows nothing about samplers or distributions.
///
/// Reproducibility contract: the value a model writes for trial t must be a pure function of
/// (ctx.seed, t) -- never of ctx.first_trial, ctx.count, ctx.block_index or of the thread
/// that runs it. Counter-based draws (`philox_stream::uniform(trial, dim)`) give exactly
/// that. Under this contract the engine's results are bit-identical for any thread count and
/// any split of the trial range into shards. (A model that stratifies within a block, such
/// as a Latin hypercube over the block, still gets the same bits for any thread count,
/// because blocks sit on a fixed grid of absolute trial indices; it is shard-invariant only
/// for shard edges on that grid.)

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace offroi {

/// The trials a model call must compute: trials [first_trial, first_trial + count).
struct block_context {
    /// The run's seed (`run_options::seed`), to key the model's random streams.
    std::uint64_t seed = 0;
    /// Absolute index of the first trial of the block.
    std::uint64_t first_trial = 0;
    /// Number of trials in the block (at most `run_options::block_size`; the first and the
    /// last block of a run may be shorter).
    std::size_t count = 0;
    /// Absolute block index: `first_trial / block_size` (blocks sit on a fixed grid of
    /// trial indices, so a block's index does not depend on the shard or thread).
    std::uint64_t block_index = 0;
    /// Scratch memory owned by the worker thread that runs this block, reused from block to
    /// block (so a model need not allocate per block); null if the engine gives none.
    std::vector<double>* workspace = nullptr;

    /// Returns at least `n` doubles of worker-owned scratch memory, valid for this call
    /// only; the contents are unspecified. Allocates only when the call needs more memory
    /// than an earlier block on the same worker did.
    double* scratch(std::size_t n) const {
        if (workspace == nullptr) throw std::logic_error("offroi::block_context::scratch: no workspace");
        if (workspace->size() < n) workspace->resize(n);
        return workspace->data();
    }
};

/// Where a model writes its outputs: `n_outputs()` columns of `count()` doubles each
/// (structure of arrays); column i holds output i of trials first_trial ... first_trial +
/// count - 1, in trial order. The model must write every element.
class block_outputs {
public:
    /// \param columns   pointers to the columns (not owned).
    /// \param n_outputs number of columns.
    /// \param count     number of trials (rows) in each column.
    block_outputs(double* const* columns, std::size_t n_outputs, std::size_t count) noexcept
        : columns_(columns), n_outputs_(n_outputs), count_(count) {}

    /// The column of output `i` (0 <= i < n_outputs()): `count()` writable doubles.
    double* column(std::size_t i) const noexcept { return columns_[i]; }
    /// Number of outputs (columns).
    std::size_t n_outputs() const noexcept { return n_outputs_; }
    /// Number of trials in the block (rows of each column).
    std::size_t count() const noexcept { return count_; }
    /// All column pointers, as a sampler's `fill` takes them.
    double* const* columns() const noexcept { return columns_; }

private:
    double* const* columns_;
    std::size_t n_outputs_;
    std::size_t count_;
};

/// A model the engine can run: a const call over a block (called concurrently from several
/// threads, on blocks in any order) and the names of its outputs (one column each, at
/// least one, fixed for the model's lifetime).
template <class M>
concept model = requires(const M& m, const block_context& ctx, block_outputs& out) {
    { m(ctx, out) };
    { m.output_names() } -> std::convertible_to<std::vector<std::string>>;
};

}  // namespace offroi
