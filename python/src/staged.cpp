// Bindings of the staged decision of a pilot (decision/staged_decision.hpp). The result goes
// to Python as JSON (decision/staged_decision_json.hpp); offroi/staged.py builds the frames.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>

#include "bindings.hpp"
#include "offroi/decision/staged_decision.hpp"
#include "offroi/decision/staged_decision_json.hpp"

namespace py = pybind11;

namespace offroi::python {

void register_staged(py::module_& m) {
    m.def(
        "staged_decision",
        [](const scenario& s, const std::string& arrangement, double pilot_headcount, int decision_month,
           std::uint64_t training_trials, std::uint64_t evaluation_trials, double output_cv, double work_items,
           std::optional<std::uint64_t> seed, unsigned threads) {
            staged_decision_options o;
            o.pilot.arrangement = arrangement;
            o.pilot.pilot_headcount = pilot_headcount;
            o.pilot.decision_month = decision_month;
            o.pilot.observation.output_cv = output_cv;
            o.pilot.observation.work_items_per_engineer_month = work_items;
            o.training_trials = training_trials;
            o.evaluation_trials = evaluation_trials;
            o.seed = seed;
            o.threads = threads;
            // No cancellation hook inside: Ctrl-C returns at once, the work finishes in the
            // background (run_detached; it owns copies of the scenario and options).
            return run_detached([s, o] { return to_json(staged_decision(s, o)).dump(); });
        },
        py::arg("scenario"), py::arg("arrangement") = "", py::arg("pilot_headcount") = 3.0,
        py::arg("decision_month") = 6, py::arg("training_trials") = 20000, py::arg("evaluation_trials") = 20000,
        py::arg("output_cv") = 0.35, py::arg("work_items") = 8.0, py::arg("seed") = py::none(),
        py::arg("threads") = 0,
        "staged_decision(scenario, arrangement, pilot_headcount, decision_month, ...) -> str (JSON): a pilot with "
        "a break clause against committing now: the value of the option to scale up or pull out, with its SE "
        "(see offroi.staged_decision).");
}

}  // namespace offroi::python
