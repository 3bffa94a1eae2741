// C++ exceptions arrive in Python with the same messages: offroi::invalid_argument and
// offroi::invalid_scenario become ValueError subclasses, offroi::cancelled KeyboardInterrupt-like.
#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "offroi/error.hpp"

namespace py = pybind11;

void offroi::python::register_errors(py::module_& m) {
    static py::exception<offroi::error> base(m, "OffroiError", PyExc_RuntimeError);
    static py::exception<offroi::invalid_argument> invalid(m, "InvalidArgument", PyExc_ValueError);
    static py::exception<offroi::invalid_scenario> scenario(m, "InvalidScenario", PyExc_ValueError);
    static py::exception<offroi::numerical_error> numerical(m, "NumericalError", base.ptr());
    static py::exception<offroi::cancelled> cancelled(m, "Cancelled", base.ptr());
    base.doc() = "Base of offroi's runtime errors (a RuntimeError): NumericalError and Cancelled. Bad input "
                 "raises InvalidArgument or InvalidScenario (ValueError subclasses) instead.";
    invalid.doc() = "A function or distribution parameter outside its allowed domain (a ValueError); the "
                    "message names the parameter, the value and what is allowed.";
    scenario.doc() = "An invalid scenario, from a file or built in code (a ValueError); the message starts "
                     "with the path of the offending field, names the value and what is allowed.";
    numerical.doc() = "A numerical procedure failed, for example a fit that does not converge.";
    cancelled.doc() = "A run was stopped by its cancellation token (C++ offroi::cancelled).";
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const offroi::invalid_scenario& e) {
            PyErr_SetString(scenario.ptr(), e.what());
        } catch (const offroi::invalid_argument& e) {
            PyErr_SetString(invalid.ptr(), e.what());
        } catch (const offroi::numerical_error& e) {
            PyErr_SetString(numerical.ptr(), e.what());
        } catch (const offroi::cancelled& e) {
            PyErr_SetString(cancelled.ptr(), e.what());
        } catch (const offroi::error& e) {
            PyErr_SetString(base.ptr(), e.what());
        }
    });
}
