#pragma once
/// \file
/// Internal: a deterministic parallel loop over independent tasks. Each task writes only its
/// own result slot, so what is computed never depends on the thread count or on which worker
/// runs which task; the first exception (by task index) is rethrown on the calling thread.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace offroi::detail::voi {

/// Runs f(k) for k in [0, tasks) on up to `threads` workers (0 = hardware threads; 1 = on
/// the calling thread). f must only write state owned by task k.
template <class F>
void parallel_for(std::size_t tasks, unsigned threads, F&& f) {
    unsigned t = threads != 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
    t = static_cast<unsigned>(std::min<std::size_t>(t, tasks));
    if (t <= 1) {
        for (std::size_t k = 0; k < tasks; ++k) f(k);
        return;
    }
    std::atomic<std::size_t> next{0};
    std::vector<std::exception_ptr> errors(tasks);
    auto work = [&] {
        for (std::size_t k; (k = next.fetch_add(1)) < tasks;) {
            try {
                f(k);
            } catch (...) {
                errors[k] = std::current_exception();
            }
        }
    };
    std::vector<std::thread> pool;
    pool.reserve(t - 1);
    for (unsigned w = 1; w < t; ++w) pool.emplace_back(work);
    work();
    for (auto& th : pool) th.join();
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
}

}  // namespace offroi::detail::voi
