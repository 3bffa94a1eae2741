#pragma once
// One registration function per area; each lives in its own src/<area>.cpp.
#include <pybind11/pybind11.h>

namespace offroi::python {
void register_errors(pybind11::module_& m);
void register_random(pybind11::module_& m);
}  // namespace offroi::python
