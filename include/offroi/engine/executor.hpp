#pragma once
/// \file
/// The engine's core (internal): runs a model over the blocks of a trial range on a pool of
/// worker threads and merges the per-block summaries in block order on the calling thread.
/// Public entry points are `run` (engine/run.hpp) and `run_to_precision`
/// (engine/precision.hpp).
///
/// How a run proceeds. The range [first, first + N) is cut on the fixed grid of absolute
/// block indices b (block b = trials [b*B, (b+1)*B)), so only the first and last block can
/// be partial. Worker w takes the next block index from an atomic counter, runs the model
/// on it into its own column buffers (or straight into the kept-sample columns at the
/// block's offset), builds one summary per output from a copy of the empty prototype, and
/// deposits the summaries in a slot of a ring of W = 8T slots. The calling thread (the
/// coordinator) merges slots in block order, calls the progress callback, checks the
/// cancellation token and, for precision runs, evaluates the stopping rule after every K
/// merged blocks. A worker never runs further than W blocks ahead of the merged prefix, so
/// memory stays bounded (a 1e9-trial streaming run holds at most W block summaries).
///
/// Why results do not depend on the thread count: a block's outputs depend only on (seed,
/// trials) by the model contract; its summaries only on its outputs; and summaries are
/// merged in block order. Shard invariance additionally needs the summary's merge to be
/// exactly associative and commutative (true of `streaming_summary`), because a shard edge
/// inside a block splits that block in two.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "offroi/engine/engine_options.hpp"
#include "offroi/engine/model.hpp"
#include "offroi/engine/run_result.hpp"
#include "offroi/error.hpp"

namespace offroi::detail {

/// What the stopping rule of a precision run sees at a checkpoint: the merged prefix.
template <class Summary>
struct checkpoint_state {
    std::uint64_t blocks;                                ///< blocks merged so far
    std::uint64_t trials;                                ///< trials merged so far
    const std::vector<Summary>& summaries;               ///< merged summaries, per output
    const std::vector<sample_column>* samples;     ///< kept samples (first `trials` valid) or null
};

/// Summaries whose add() rejects a NaN or an infinity with offroi::invalid_argument before
/// changing anything (they declare `static constexpr bool rejects_non_finite = true`, as
/// streaming_summary does). For them the engine does not scan the outputs for non-finite
/// values itself: the summary's check (one pass it makes anyway) is the only one, and the
/// engine turns its rejection into the engine's own error naming the output and the trial.
template <class S>
concept rejects_non_finite_values = requires { requires S::rejects_non_finite; };

/// A stopping rule that never stops (plain runs).
struct never_stop {
    template <class S>
    bool operator()(const checkpoint_state<S>&) const noexcept { return false; }
};

/// The worker count a run uses: `threads` (0 = hardware), at most one per block.
inline unsigned effective_threads(unsigned threads, std::uint64_t blocks) {
    unsigned t = threads != 0 ? threads : std::thread::hardware_concurrency();
    if (t == 0) t = 1;
    if (blocks < t) t = static_cast<unsigned>(blocks);
    return t;
}

/// Runs the model over o.trials trials from o.first_trial; see the file comment.
/// \param prototypes      one empty summary per output: block summaries start as copies.
/// \param where           the public function's name, for error messages.
/// \param checkpoint_every K: the stopping rule is evaluated after every K merged blocks
///                        (0 = never).
/// \param stop            `bool(const checkpoint_state<Summary>&)`: true stops the run at
///                        that checkpoint; blocks beyond it are discarded.
template <model M, mergeable_summary Summary, class Stop>
basic_run_result<Summary> execute(const M& m, const engine_options& o,
                                  const std::vector<Summary>& prototypes, std::string_view where,
                                  std::uint64_t checkpoint_every, Stop&& stop) {
    validate(where, o);
    const auto start_time = std::chrono::steady_clock::now();
    const std::vector<std::string> names = m.output_names();
    if (names.empty())
        throw invalid_argument(std::string(where) + ": the model has no outputs; it needs at least one");
    const std::size_t n_out = names.size();
    if (prototypes.size() != n_out)
        throw invalid_argument(std::string(where) + ": " + std::to_string(prototypes.size()) +
                               " summary prototypes for " + std::to_string(n_out) + " outputs");
    const std::uint64_t first = o.first_trial;
    const std::uint64_t end = first + o.trials;
    const std::uint64_t B = o.block_size;
    const std::uint64_t b0 = first / B;
    const std::uint64_t nblocks = (end - 1) / B - b0 + 1;

    // Trial range of the run's k-th block.
    auto block_lo = [&](std::uint64_t k) { return std::max(first, (b0 + k) * B); };
    auto block_count = [&](std::uint64_t k) {
        const std::uint64_t b = b0 + k;
        const std::uint64_t lo = std::max(first, b * B);
        const std::uint64_t hi = (end - b * B > B) ? b * B + B : end;
        return static_cast<std::size_t>(hi - lo);
    };

    const bool keep = o.samples == sample_policy::within_budget &&
                      o.trials <= o.sample_budget_bytes / sizeof(double) / n_out;
    std::vector<sample_column> samples;
    if (keep) {
        samples.resize(n_out);
        for (auto& col : samples) col.resize(static_cast<std::size_t>(o.trials));
    }
    const std::size_t max_count = static_cast<std::size_t>(std::min<std::uint64_t>(B, o.trials));

    struct worker_state {
        std::vector<double> buffer;
        std::vector<double*> columns;
        std::vector<double> workspace;
    };

    // Computes block k into `sums`, one summary per output reset to the prototypes (a vector
    // recycled from a merged block keeps its buffers, so a warm run allocates no summary
    // storage per block: at 2 threads, summaries allocated on a worker and freed on the
    // coordinator cost page faults and copies). Runs on any thread.
    auto compute_block = [&](std::uint64_t k, worker_state& ws, std::vector<Summary>& sums) {
        const std::uint64_t lo = block_lo(k);
        const std::size_t count = block_count(k);
        ws.columns.resize(n_out);
        if (keep) {
            for (std::size_t i = 0; i < n_out; ++i)
                ws.columns[i] = samples[i].data() + (lo - first);
        } else {
            if (ws.buffer.size() < n_out * max_count) ws.buffer.resize(n_out * max_count);
            for (std::size_t i = 0; i < n_out; ++i) ws.columns[i] = ws.buffer.data() + i * max_count;
        }
        const block_context ctx{o.seed, lo, count, lo / B, &ws.workspace};
        block_outputs out(ws.columns.data(), n_out, count);
        m(ctx, out);
        sums = prototypes;  // copy-assignment: reuses the elements' buffers
        // With check_finite_outputs, a NaN or infinite output is the engine's numerical_error
        // naming the output and the first such trial.
        auto throw_if_not_finite = [&](std::size_t i, const double* col) {
            std::size_t j = 0;
            while (j < count && std::isfinite(col[j])) ++j;
            if (j == count) return;
            throw numerical_error(std::string(where) + ": output '" + names[i] + "' is " +
                                  (std::isnan(col[j]) ? "NaN" : "infinite") + " at trial " +
                                  std::to_string(lo + j) + " (seed " + std::to_string(o.seed) + ")");
        };
        for (std::size_t i = 0; i < n_out; ++i) {
            const double* col = ws.columns[i];
            if constexpr (rejects_non_finite_values<Summary>) {
                // The summary checks every value before it adds anything; only when it
                // rejects the column is the column scanned, to name the trial.
                if (!o.check_finite_outputs) {
                    sums[i].add(col, count);
                    continue;
                }
                try {
                    sums[i].add(col, count);
                } catch (const invalid_argument&) {
                    throw_if_not_finite(i, col);
                    throw;
                }
            } else {
                if (o.check_finite_outputs) {
                    bool finite = true;
                    for (std::size_t j = 0; j < count; ++j) finite &= std::isfinite(col[j]);
                    if (!finite) throw_if_not_finite(i, col);
                }
                sums[i].add(col, count);
            }
        }
    };

    // Coordinator state: the merged prefix.
    std::vector<Summary> total(prototypes);
    std::uint64_t merged_blocks = 0;
    std::uint64_t merged_trials = 0;
    std::uint64_t reported = ~std::uint64_t{0};
    bool stopped = false;    // by the stopping rule
    bool cancelled = false;  // by the token, before the end

    // Merges block `merged_blocks`; returns true if the stopping rule says stop.
    auto merge_next = [&](std::vector<Summary>& sums) {
        for (std::size_t i = 0; i < n_out; ++i) total[i].merge(sums[i]);
        merged_trials += block_count(merged_blocks);
        ++merged_blocks;
        if (checkpoint_every != 0 && merged_blocks % checkpoint_every == 0 && merged_blocks < nblocks) {
            const checkpoint_state<Summary> st{merged_blocks, merged_trials, total,
                                               keep ? &samples : nullptr};
            if (stop(st)) return true;
        }
        return false;
    };
    auto report = [&] {
        if (o.progress && merged_trials != reported) {
            reported = merged_trials;
            o.progress(merged_trials, o.trials);
        }
    };

    const unsigned T = effective_threads(o.threads, nblocks);
    if (T <= 1) {
        worker_state ws;
        std::vector<Summary> sums;
        while (merged_blocks < nblocks) {
            if (o.cancel.cancelled()) { cancelled = true; break; }
            compute_block(merged_blocks, ws, sums);
            if (merge_next(sums)) { stopped = true; break; }
            report();
        }
    } else {
        const std::uint64_t W = 8 * std::uint64_t{T};
        std::mutex mu;
        std::condition_variable cv_work, cv_coord;
        std::atomic<std::uint64_t> next{0};
        std::uint64_t shared_merged = 0;  // guarded by mu
        bool halt = false;                // guarded by mu
        unsigned live = T;                // guarded by mu
        std::exception_ptr error;         // guarded by mu
        std::vector<std::optional<std::vector<Summary>>> slots(W);  // guarded by mu
        std::vector<std::vector<Summary>> spare;  // merged blocks' summaries for reuse; guarded by mu

        auto worker = [&] {
            worker_state ws;
            std::vector<Summary> sums;
            for (;;) {
                const std::uint64_t k = next.fetch_add(1, std::memory_order_relaxed);
                if (k >= nblocks) break;
                {
                    std::unique_lock lk(mu);
                    cv_work.wait(lk, [&] { return halt || k < shared_merged + W; });
                    if (halt) break;
                    if (sums.empty() && !spare.empty()) {
                        sums = std::move(spare.back());
                        spare.pop_back();
                    }
                }
                if (o.cancel.cancelled()) break;
                try {
                    compute_block(k, ws, sums);
                    bool wake = false;
                    {
                        std::lock_guard lk(mu);
                        slots[k % W] = std::move(sums);
                        sums.clear();  // moved from (empty): the next block takes a spare
                        // The coordinator waits for the oldest unmerged block only; waking
                        // it for any other block would be a wasted context switch.
                        wake = k == shared_merged;
                    }
                    if (wake) cv_coord.notify_one();
                } catch (...) {
                    std::lock_guard lk(mu);
                    if (!error) error = std::current_exception();
                    halt = true;
                    break;
                }
            }
            {
                std::lock_guard lk(mu);
                --live;
            }
            cv_work.notify_all();
            cv_coord.notify_one();
        };

        std::vector<std::thread> pool;
        struct joiner {
            std::mutex& mu;
            std::condition_variable& cv;
            bool& halt;
            std::vector<std::thread>& pool;
            ~joiner() {
                {
                    std::lock_guard lk(mu);
                    halt = true;
                }
                cv.notify_all();
                for (auto& t : pool)
                    if (t.joinable()) t.join();
            }
        } join_on_exit{mu, cv_work, halt, pool};
        pool.reserve(T);
        for (unsigned t = 0; t < T; ++t) pool.emplace_back(worker);

        std::vector<std::vector<Summary>> ready;
        std::unique_lock lk(mu);
        while (merged_blocks < nblocks) {
            cv_coord.wait_for(lk, std::chrono::milliseconds(20), [&] {
                return error || slots[merged_blocks % W].has_value() || live == 0 ||
                       o.cancel.cancelled();
            });
            if (error) break;
            ready.clear();
            for (std::uint64_t k = merged_blocks; k < nblocks && slots[k % W].has_value(); ++k) {
                ready.push_back(std::move(*slots[k % W]));
                slots[k % W].reset();
            }
            if (ready.empty()) {
                if (o.cancel.cancelled() || live == 0) { cancelled = true; break; }
                continue;
            }
            lk.unlock();
            for (auto& sums : ready)
                if (merge_next(sums)) { stopped = true; break; }
            if (!stopped) report();
            const bool cancel_now = !stopped && merged_blocks < nblocks && o.cancel.cancelled();
            lk.lock();
            for (auto& sums : ready) spare.push_back(std::move(sums));
            shared_merged = merged_blocks;
            cv_work.notify_all();
            if (stopped) break;
            if (cancel_now) { cancelled = true; break; }
        }
        halt = true;
        lk.unlock();
        cv_work.notify_all();
        for (auto& t : pool) t.join();
        if (error) std::rethrow_exception(error);
    }
    report();  // the final count, also after a precision stop or a cancel

    if (keep)
        for (auto& col : samples) col.resize(static_cast<std::size_t>(merged_trials));
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time).count();
    return basic_run_result<Summary>(names, std::move(total), std::move(samples), first,
                                     merged_trials, merged_blocks, elapsed, cancelled);
}

}  // namespace offroi::detail
