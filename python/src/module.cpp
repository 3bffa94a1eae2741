// offroi._core: thin pybind11 bindings over the C++ headers. No model logic lives here.
#include <pybind11/pybind11.h>

#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "bindings.hpp"

namespace offroi::python {
void register_report(pybind11::module_& m);  // report.cpp: the HTML report
}

namespace {
std::mutex detached_mutex;
std::vector<std::thread>& detached_threads() {
    static std::vector<std::thread> v;  // joined at exit (join_detached), never destroyed joinable
    return v;
}
}  // namespace

void offroi::python::keep_detached(std::thread t) {
    const std::lock_guard<std::mutex> lock(detached_mutex);
    detached_threads().push_back(std::move(t));
}

void offroi::python::join_detached() {
    std::vector<std::thread> v;
    {
        const std::lock_guard<std::mutex> lock(detached_mutex);
        v.swap(detached_threads());
    }
    for (auto& t : v)
        if (t.joinable()) t.join();
}

PYBIND11_MODULE(_core, m) {
    m.doc() = "offroi's C++ core (private; use the offroi package)";
    m.attr("__version__") = "0.1.0";
    offroi::python::register_errors(m);
    offroi::python::register_random(m);
    offroi::python::register_distributions(m);
    offroi::python::register_model(m);
    offroi::python::register_staged(m);
    offroi::python::register_update(m);
    offroi::python::register_options(m);
    offroi::python::register_voi(m);
    offroi::python::register_report(m);
    // Calls abandoned on Ctrl-C (run_detached) finish before the interpreter exits.
    m.def("_join_detached", [] {
        pybind11::gil_scoped_release release;
        offroi::python::join_detached();
    }, "_join_detached(): wait for calls abandoned on Ctrl-C to finish (registered with atexit).");
    pybind11::module_::import("atexit").attr("register")(m.attr("_join_detached"));
}
