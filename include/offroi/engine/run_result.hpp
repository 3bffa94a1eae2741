#pragma once
/// \file
/// The result of a run: per output a mergeable summary (and the samples, when kept), the
/// trial range, the number of blocks, the wall-clock time, and whether the run was
/// cancelled. `merge` joins the results of adjacent shards; the merged result equals the
/// result of the unsplit run bit for bit (summaries, samples, trial range).

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "offroi/error.hpp"

namespace offroi {

namespace detail {

/// std::allocator whose value-less construct default-initialises: resizing a vector of
/// doubles leaves the new elements unwritten, so memory reserved for samples is only
/// touched (and only costs pages) where trials actually write.
template <class T>
struct default_init_allocator : std::allocator<T> {
    template <class U>
    struct rebind {
        using other = default_init_allocator<U>;
    };
    using std::allocator<T>::allocator;
    default_init_allocator() = default;
    template <class U>
    default_init_allocator(const default_init_allocator<U>&) noexcept {}
    template <class U>
    void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
        ::new (static_cast<void*>(p)) U;
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
};

}  // namespace detail

/// A column of kept samples (one output, trial order): a std::vector of doubles whose
/// resize does not zero the new elements.
using sample_column = std::vector<double, detail::default_init_allocator<double>>;

/// What the engine needs of a per-output accumulator: copyable (a block's summary is a copy
/// of an empty prototype), `add(values, n)`, `merge(other)` and `count()`. For bit-identical
/// results across thread counts and shards, `merge` must be exactly associative and
/// commutative and `add` independent of the order of values, as `streaming_summary` is.
template <class S>
concept mergeable_summary = std::copy_constructible<S> &&
    requires(S s, const S& c, const double* x, std::size_t n) {
        s.add(x, n);
        s.merge(c);
        { c.count() } -> std::convertible_to<std::uint64_t>;
    };

/// The result of a run over trials [first_trial(), first_trial() + trials()), generic in the
/// per-output accumulator (`run_result` uses `streaming_summary`).
template <mergeable_summary Summary>
class basic_run_result {
public:
    /// Assembles a result (the engine does this; also useful to rebuild a result that was
    /// shipped between processes).
    /// \param names        output names, one per summary.
    /// \param summaries    one summary per output.
    /// \param samples      one column per output with `trials` values in trial order, or
    ///                     empty if the run streamed.
    /// \param first_trial  absolute index of the first trial.
    /// \param trials       number of trials summarised.
    /// \param blocks       number of blocks computed and merged.
    /// \param elapsed_seconds wall-clock time of the run.
    /// \param cancelled    true if the run stopped early on its cancellation token.
    /// \throws invalid_argument if the sizes disagree.
    basic_run_result(std::vector<std::string> names, std::vector<Summary> summaries,
                     std::vector<sample_column> samples, std::uint64_t first_trial,
                     std::uint64_t trials, std::uint64_t blocks, double elapsed_seconds,
                     bool cancelled)
        : names_(std::move(names)), summaries_(std::move(summaries)),
          samples_(std::move(samples)), first_trial_(first_trial), trials_(trials),
          blocks_(blocks), elapsed_(elapsed_seconds), cancelled_(cancelled) {
        if (summaries_.size() != names_.size())
            throw invalid_argument("offroi::basic_run_result: " + std::to_string(summaries_.size()) +
                                   " summaries for " + std::to_string(names_.size()) + " outputs");
        if (!samples_.empty()) {
            if (samples_.size() != names_.size())
                throw invalid_argument("offroi::basic_run_result: " +
                                       std::to_string(samples_.size()) + " sample columns for " +
                                       std::to_string(names_.size()) + " outputs");
            for (const auto& col : samples_)
                if (col.size() != trials_)
                    throw invalid_argument("offroi::basic_run_result: a sample column holds " +
                                           std::to_string(col.size()) + " values for " +
                                           std::to_string(trials_) + " trials");
        }
    }

    /// Output names, in column order.
    const std::vector<std::string>& output_names() const noexcept { return names_; }
    /// Number of outputs.
    std::size_t n_outputs() const noexcept { return names_.size(); }
    /// Index of the output called `name`. \throws invalid_argument if there is none.
    std::size_t index_of(std::string_view name) const {
        for (std::size_t i = 0; i < names_.size(); ++i)
            if (names_[i] == name) return i;
        std::string msg = "offroi::run_result: no output named '" + std::string(name) + "'; outputs are";
        for (const auto& n : names_) msg += " '" + n + "'";
        throw invalid_argument(msg);
    }

    /// Summary of output i. \throws invalid_argument if i >= n_outputs().
    const Summary& summary(std::size_t i) const { return summaries_.at(check_index(i)); }
    /// Summary of the output called `name`. \throws invalid_argument if there is none.
    const Summary& summary(std::string_view name) const { return summaries_[index_of(name)]; }
    /// All summaries, in output order.
    const std::vector<Summary>& summaries() const noexcept { return summaries_; }

    /// True if every output of every trial was kept (see `sample_policy`); false if the run
    /// streamed (summaries only).
    bool samples_kept() const noexcept { return !samples_.empty(); }
    /// The samples of output i, `trials()` values in trial order.
    /// \throws invalid_argument if samples were not kept or i is out of range.
    std::span<const double> samples(std::size_t i) const {
        check_index(i);
        if (samples_.empty())
            throw invalid_argument("offroi::run_result::samples: samples were not kept (the run "
                                   "streamed: sample_policy::never or over the memory budget)");
        return samples_[i];
    }
    /// The samples of the output called `name` (see `samples(i)`).
    std::span<const double> samples(std::string_view name) const { return samples(index_of(name)); }
    /// Moves the sample columns out of the result (empty if not kept); the result then
    /// reports samples_kept() == false.
    std::vector<sample_column> release_samples() noexcept { return std::exchange(samples_, {}); }

    /// Absolute index of the first trial.
    std::uint64_t first_trial() const noexcept { return first_trial_; }
    /// Number of trials summarised (fewer than requested if cancelled or stopped on
    /// precision).
    std::uint64_t trials() const noexcept { return trials_; }
    /// Number of blocks computed and merged (a block cut by a shard edge counts in both
    /// shards).
    std::uint64_t blocks() const noexcept { return blocks_; }
    /// Wall-clock seconds of the run (summed over merged shards).
    double elapsed_seconds() const noexcept { return elapsed_; }
    /// True if the run was cancelled: the result then covers a prefix of whole blocks.
    bool cancelled() const noexcept { return cancelled_; }

private:
    std::size_t check_index(std::size_t i) const {
        if (i >= names_.size())
            throw invalid_argument("offroi::run_result: output index " + std::to_string(i) +
                                   " is out of range; the run has " +
                                   std::to_string(names_.size()) + " outputs");
        return i;
    }

    std::vector<std::string> names_;
    std::vector<Summary> summaries_;
    std::vector<sample_column> samples_;
    std::uint64_t first_trial_;
    std::uint64_t trials_;
    std::uint64_t blocks_;
    double elapsed_;
    bool cancelled_;
};

/// Joins the results of two adjacent shards of one run: `a` covers [f, f + k) and `b`
/// covers [f + k, f + n). The summaries are merged (a then b), samples concatenated (kept
/// only if both kept them), blocks and elapsed time added, cancelled if either was. With
/// an exactly mergeable summary the result equals the unsplit run bit for bit.
/// \throws invalid_argument if the outputs differ or `b` does not start where `a` ends.
template <mergeable_summary Summary>
basic_run_result<Summary> merge(const basic_run_result<Summary>& a,
                                const basic_run_result<Summary>& b) {
    if (a.output_names() != b.output_names())
        throw invalid_argument("offroi::merge(run_result): the two results have different outputs");
    if (a.first_trial() + a.trials() != b.first_trial())
        throw invalid_argument("offroi::merge(run_result): results are not adjacent: the first "
                               "ends before trial " + std::to_string(a.first_trial() + a.trials()) +
                               ", the second starts at trial " + std::to_string(b.first_trial()));
    std::vector<Summary> sums = a.summaries();
    for (std::size_t i = 0; i < sums.size(); ++i) sums[i].merge(b.summaries()[i]);
    std::vector<sample_column> samples;
    if (a.samples_kept() && b.samples_kept()) {
        samples.resize(a.n_outputs());
        for (std::size_t i = 0; i < samples.size(); ++i) {
            auto sa = a.samples(i);
            auto sb = b.samples(i);
            samples[i].reserve(sa.size() + sb.size());
            samples[i].insert(samples[i].end(), sa.begin(), sa.end());
            samples[i].insert(samples[i].end(), sb.begin(), sb.end());
        }
    }
    return basic_run_result<Summary>(a.output_names(), std::move(sums), std::move(samples),
                                     a.first_trial(), a.trials() + b.trials(),
                                     a.blocks() + b.blocks(),
                                     a.elapsed_seconds() + b.elapsed_seconds(),
                                     a.cancelled() || b.cancelled());
}

}  // namespace offroi
