#pragma once
// One registration function per area; each lives in its own src/<area>.cpp.
// Also the shared helper that runs a long C++ call off the interpreter's thread so that
// Ctrl-C and an optional Python progress callable are served while it runs.
#include <pybind11/pybind11.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "offroi/engine/cancellation.hpp"
#include "offroi/engine/engine_options.hpp"

namespace offroi::python {
void register_errors(pybind11::module_& m);
void register_random(pybind11::module_& m);
void register_distributions(pybind11::module_& m);
void register_model(pybind11::module_& m);
void register_staged(pybind11::module_& m);
void register_update(pybind11::module_& m);
void register_options(pybind11::module_& m);
void register_voi(pybind11::module_& m);

/// With the GIL held on the interpreter's main thread: raises the pending Python exception
/// (KeyboardInterrupt after Ctrl-C) if a signal arrived since the last check.
inline void check_signals() {
    if (PyErr_CheckSignals() != 0) throw pybind11::error_already_set();
}

/// Joins the threads that `run_detached` left running (registered with atexit, so the
/// interpreter does not exit under a computation that is still using the library).
void join_detached();

/// Adds a thread left running by `run_detached` (joined by `join_detached`).
void keep_detached(std::thread t);

/// For a long C++ call that has no cancellation hook: runs `body()` (which must own
/// everything it uses: capture by value) on a helper thread while the interpreter thread
/// polls for Ctrl-C every 50 ms. On Ctrl-C, KeyboardInterrupt is raised at once and the
/// helper thread is left to finish in the background (its result is dropped; it is joined
/// at exit). A C++ exception from `body` propagates unchanged.
template <class Body>
auto run_detached(Body body) -> decltype(body()) {
    namespace py = pybind11;
    using R = decltype(body());
    struct shared_state {
        std::mutex m;
        std::condition_variable cv;
        bool finished = false;
        std::optional<R> out;
        std::exception_ptr err;
    };
    auto st = std::make_shared<shared_state>();
    std::thread worker([st, b = std::move(body)]() mutable {
        try {
            st->out.emplace(b());
        } catch (...) {
            st->err = std::current_exception();
        }
        {
            std::lock_guard<std::mutex> lk(st->m);
            st->finished = true;
        }
        st->cv.notify_all();
    });
    for (;;) {
        bool done;
        {
            py::gil_scoped_release release;
            std::unique_lock<std::mutex> lk(st->m);
            done = st->cv.wait_for(lk, std::chrono::milliseconds(50), [&] { return st->finished; });
        }
        if (done) break;
        if (PyErr_CheckSignals() != 0) {
            py::error_already_set e;  // fetch KeyboardInterrupt before anything else runs
            keep_detached(std::move(worker));
            throw e;
        }
    }
    worker.join();
    if (st->err) std::rethrow_exception(st->err);
    return std::move(*st->out);
}

/// Runs `body(progress_callback, cancellation_token)` on a helper thread with the GIL
/// released. The calling (interpreter) thread wakes every 50 ms, re-acquires the GIL,
/// polls PyErr_CheckSignals (Ctrl-C) and calls `progress(done, total)` if it is not None.
/// On a pending signal (or an exception from `progress`) the engine's token is cancelled,
/// the run is awaited (it stops at the next block), and the Python exception
/// (KeyboardInterrupt) is raised. A C++ exception from `body` propagates unchanged.
template <class Body>
auto run_interruptible(Body body, const pybind11::object& progress) -> decltype(body(progress_callback{}, cancellation_token{})) {
    namespace py = pybind11;
    using R = decltype(body(progress_callback{}, cancellation_token{}));
    struct shared_state {
        std::atomic<std::uint64_t> done{0}, total{0};
        std::mutex m;
        std::condition_variable cv;
        bool finished = false;
    };
    auto st = std::make_shared<shared_state>();
    cancellation_token token;
    progress_callback cb = [st](std::uint64_t d, std::uint64_t t) {
        st->done.store(d, std::memory_order_relaxed);
        st->total.store(t, std::memory_order_relaxed);
    };
    std::optional<R> out;
    std::exception_ptr err;
    std::optional<py::error_already_set> py_err;
    const bool has_progress = !progress.is_none();
    {
        py::gil_scoped_release release;
        std::thread worker([&] {
            try {
                out.emplace(body(cb, token));
            } catch (...) {
                err = std::current_exception();
            }
            {
                std::lock_guard<std::mutex> lk(st->m);
                st->finished = true;
            }
            st->cv.notify_all();
        });
        for (;;) {
            {
                std::unique_lock<std::mutex> lk(st->m);
                if (st->cv.wait_for(lk, std::chrono::milliseconds(50), [&] { return st->finished; })) break;
            }
            py::gil_scoped_acquire acquire;
            if (py_err) continue;  // already cancelling
            if (PyErr_CheckSignals() != 0) {
                py_err.emplace();
                token.cancel();
                continue;
            }
            if (has_progress) {
                try {
                    progress(st->done.load(), st->total.load());
                } catch (py::error_already_set& e) {
                    py_err.emplace(std::move(e));
                    token.cancel();
                }
            }
        }
        worker.join();
    }
    if (py_err) throw std::move(*py_err);
    if (err) std::rethrow_exception(err);
    if (has_progress) progress(st->done.load(), st->total.load());
    return std::move(*out);
}
}  // namespace offroi::python
