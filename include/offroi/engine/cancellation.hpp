#pragma once
/// \file
/// Cooperative cancellation of a run: the caller keeps a copy of the token given in
/// `run_options::cancel` and calls `cancel()` from any thread (a signal-handling thread, a
/// GUI, Python's Ctrl-C handler) or from the run's own progress callback. The engine checks
/// the token between blocks and returns a valid partial result (see `run`).

#include <atomic>
#include <memory>

namespace offroi {

/// A shared cancellation flag. Copies share the same flag; all members are thread-safe.
class cancellation_token {
public:
    /// A new, not-cancelled flag.
    cancellation_token() : flag_(std::make_shared<std::atomic<bool>>(false)) {}

    /// Requests cancellation (idempotent).
    void cancel() const noexcept { flag_->store(true, std::memory_order_relaxed); }
    /// True once `cancel()` was called on this token or a copy of it.
    bool cancelled() const noexcept { return flag_->load(std::memory_order_relaxed); }
    /// Clears the flag so the token can serve another run.
    void reset() const noexcept { flag_->store(false, std::memory_order_relaxed); }

private:
    std::shared_ptr<std::atomic<bool>> flag_;
};

}  // namespace offroi
