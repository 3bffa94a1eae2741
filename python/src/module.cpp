// offroi._core: thin pybind11 bindings over the C++ headers. No model logic lives here.
#include <pybind11/pybind11.h>

#include "bindings.hpp"

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
}
