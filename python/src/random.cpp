// Counter-based uniforms and stream ids.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <string>

#include "bindings.hpp"
#include "offroi/random.hpp"

namespace py = pybind11;

void offroi::python::register_random(py::module_& m) {
    m.def("stream_id", [](const std::string& name) { return offroi::stream_id(name); },
          py::arg("name"), "Stable 64-bit stream id of an input name.");
    m.def(
        "uniforms",
        [](std::uint64_t seed, const std::string& stream, std::uint64_t first_trial,
           std::size_t count, std::uint64_t dimension) {
            py::array_t<double> out(count);
            double* p = out.mutable_data();
            const offroi::philox_stream s(seed, offroi::stream_id(stream));
            {
                py::gil_scoped_release release;
                s.fill(first_trial, count, dimension, p);
            }
            return out;
        },
        py::arg("seed"), py::arg("stream"), py::arg("first_trial"), py::arg("count"),
        py::arg("dimension") = 0,
        "Counter-based uniforms in (0, 1): element i is a pure function of "
        "(seed, stream_id(stream), first_trial + i, dimension).");
}
