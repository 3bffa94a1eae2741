#pragma once
/// \file
/// Internal: a parallel loop over independent tasks whose results never depend on the
/// thread count (each task writes only its own outputs).

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace offroi::detail {

/// Number of worker threads: `requested`, or all hardware threads when 0.
inline unsigned resolve_threads(unsigned requested) {
    if (requested != 0) return requested;
    const unsigned h = std::thread::hardware_concurrency();
    return h == 0 ? 1u : h;
}

/// Runs task(t) for t in [0, tasks) on up to `threads` threads. Each task must write only
/// its own outputs, so results never depend on the thread count. If tasks throw, the
/// exception of the lowest-numbered failing task that ran is rethrown (remaining tasks are
/// skipped once one has failed).
template <class Task>
void parallel_tasks(std::size_t tasks, unsigned threads, const Task& task) {
    threads = static_cast<unsigned>(std::min<std::size_t>(resolve_threads(threads), tasks));
    if (threads <= 1) {
        for (std::size_t t = 0; t < tasks; ++t) task(t);
        return;
    }
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::mutex m;
    std::size_t failed_task = tasks;
    std::exception_ptr error;
    auto worker = [&] {
        for (;;) {
            if (failed.load(std::memory_order_relaxed)) return;
            const std::size_t t = next.fetch_add(1);
            if (t >= tasks) return;
            try {
                task(t);
            } catch (...) {
                std::lock_guard<std::mutex> lock(m);
                if (t < failed_task) {
                    failed_task = t;
                    error = std::current_exception();
                }
                failed.store(true);
            }
        }
    };
    std::vector<std::thread> pool;
    pool.reserve(threads - 1);
    for (unsigned i = 0; i + 1 < threads; ++i) pool.emplace_back(worker);
    worker();
    for (auto& th : pool) th.join();
    if (error) std::rethrow_exception(error);
}

}  // namespace offroi::detail
