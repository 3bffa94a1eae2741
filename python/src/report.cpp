// offroi._core report functions: the HTML report (include/offroi/report/html_report.hpp) from a
// scenario (run here, as `offroi report` runs it) or from the JSON parts of a finished run
// (offroi.report with a Result). The Python wrapper is python/offroi/report.py.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bindings.hpp"
#include "offroi/analysis/analysis_json.hpp"
#include "offroi/analysis/model_sensitivity.hpp"
#include "offroi/decision/staged_decision.hpp"
#include "offroi/decision/staged_decision_json.hpp"
#include "offroi/io/scenario_json.hpp"
#include "offroi/report/html_report.hpp"

namespace py = pybind11;

namespace offroi::python {
void register_report(pybind11::module_& m);  // called by module.cpp
}

namespace {

offroi::sampling_method sampler_of(const offroi::scenario& s, const std::optional<std::string>& name) {
    if (!name) return s.simulation.method;
    if (*name == "mc" || *name == "monte_carlo") return offroi::sampling_method::monte_carlo;
    if (*name == "lhs" || *name == "latin_hypercube") return offroi::sampling_method::latin_hypercube;
    if (*name == "sobol") return offroi::sampling_method::sobol;
    throw offroi::invalid_argument("report: sampler \"" + *name + "\" is invalid; allowed: \"mc\", \"lhs\", \"sobol\"");
}

nlohmann::json parse_or_null(const std::string& text, const char* field) {
    if (text.empty()) return nullptr;
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw offroi::invalid_argument(std::string("report: ") + field + " is not valid JSON (" + e.what() +
                                       "); allowed: the JSON text of the offroi result");
    }
}

// The tornado block of the report: {"output", "event_trials", "tornado"}.
nlohmann::json tornado_block(const offroi::scenario& s, const std::string& arrangement, std::size_t event_trials,
                             std::uint64_t seed) {
    offroi::scenario_sensitivity_options o;
    o.arrangement = arrangement;
    o.event_trials = event_trials;
    o.seed = seed;
    const std::string arr = arrangement.empty() ? s.alternatives.front().name : arrangement;
    return {{"output", arr + ".net_benefit"},
            {"event_trials", event_trials},
            {"tornado", offroi::to_json(offroi::scenario_tornado(s, o))}};
}

}  // namespace

void offroi::python::register_report(py::module_& m) {
    m.def("report_cdf_levels", &offroi::report_cdf_levels,
          "report_cdf_levels() -> list[float]: the probability levels of the report's CDF curves.");

    m.def(
        "report_html",
        [](const offroi::scenario& s, const std::string& scenario_doc, std::uint64_t trials,
           std::optional<std::uint64_t> seed, std::optional<std::string> sampler, unsigned threads,
           std::uint64_t driver_trials, bool tornado, std::size_t event_trials, bool decide,
           const std::string& arrangement, double pilot_headcount, int decision_month, std::uint64_t decision_trials,
           const std::string& source, const std::string& decision_json) {
            if (trials == 1 || trials > offroi::limits::max_trials)
                throw offroi::invalid_argument("report: trials " + std::to_string(trials) +
                                               " is invalid; allowed: 0 (the scenario's) or 2 ... 1e9");
            if (event_trials < 1)
                throw offroi::invalid_argument("report: event_trials 0 is invalid; allowed: >= 1");
            const nlohmann::json doc = parse_or_null(scenario_doc, "scenario_doc");
            const nlohmann::json given_decision = parse_or_null(decision_json, "decision_json");
            if (decide && !given_decision.is_null())
                throw offroi::invalid_argument("report: decision and decide=True are exclusive; allowed: one of them");
            py::gil_scoped_release release;
            // As `offroi report` (src/cli/report.cpp) runs it.
            offroi::run_request r;
            r.trials = trials;
            r.seed = seed;
            const auto method = sampler_of(s, sampler);
            if (sampler) r.sampler = method;
            r.threads = threads;
            r.driver_trials = driver_trials;
            const std::uint64_t n = trials ? trials : s.simulation.trials;
            r.samples = n <= 250000 ? offroi::sample_policy::within_budget : offroi::sample_policy::never;
            const offroi::scenario_run res = offroi::run_scenario(s, r);
            std::vector<offroi::driver_ranking> drivers;
            if (!res.input_samples.empty() && res.input_samples.front().size() > res.input_names.size() + 1)
                for (const auto& a : res.result.arrangements)
                    if (!a.is_baseline) drivers.push_back(offroi::run_drivers(res, a.name));
            offroi::html_report_data d = offroi::report_data(s, doc, res, drivers, method, source);
            const std::uint64_t sd = seed ? *seed : s.simulation.seed;
            if (tornado) d.sensitivity = tornado_block(s, arrangement, event_trials, sd);
            if (decide) {
                offroi::staged_decision_options o;
                o.pilot.arrangement = arrangement;
                o.pilot.pilot_headcount = pilot_headcount;
                o.pilot.decision_month = decision_month;
                o.training_trials = decision_trials;
                o.evaluation_trials = decision_trials;
                o.seed = seed;
                o.threads = threads;
                d.decision = offroi::to_json(offroi::staged_decision(s, o));
            } else {
                d.decision = given_decision;
            }
            return offroi::html_report(d);
        },
        py::arg("scenario"), py::arg("scenario_doc") = "", py::arg("trials") = 0, py::arg("seed") = py::none(),
        py::arg("sampler") = py::none(), py::arg("threads") = 0, py::arg("driver_trials") = 20000,
        py::arg("tornado") = false, py::arg("event_trials") = 256, py::arg("decide") = false,
        py::arg("arrangement") = "", py::arg("pilot_headcount") = 3.0, py::arg("decision_month") = 6,
        py::arg("decision_trials") = 20000, py::arg("source") = "", py::arg("decision_json") = "",
        "report_html(scenario, scenario_doc='', ...) -> str: runs the scenario as `offroi report` does and returns "
        "the HTML report (see offroi.report).");

    m.def(
        "report_html_from_parts",
        [](const offroi::scenario& s, const std::string& scenario_doc, const std::string& result_json,
           const std::vector<std::string>& drivers_json, const std::string& cdf_json, const std::optional<std::string>& sampler,
           bool tornado, std::size_t event_trials, const std::string& arrangement, std::uint64_t seed,
           const std::string& decision_json, const std::string& source) {
            offroi::html_report_data d;
            const nlohmann::json doc = parse_or_null(scenario_doc, "scenario_doc");
            d.scenario = doc.is_null() ? offroi::to_json(s, offroi::field_style::complete) : doc;
            // run_to_json's document: the result plus what the scenario adds, and the drivers.
            nlohmann::json run = parse_or_null(result_json, "result_json");
            if (!run.is_object())
                throw offroi::invalid_argument("report: result_json is empty; allowed: Result.run.to_json()");
            run["framing"] = std::string(offroi::to_string(s.frame));
            run["horizon_months"] = s.horizon_months;
            run["never_month"] = offroi::never_month;
            nlohmann::json drivers = nlohmann::json::array();
            for (const auto& t : drivers_json) drivers.push_back(parse_or_null(t, "drivers_json"));
            run["drivers"] = drivers;
            d.run = run;
            d.cdf = parse_or_null(cdf_json, "cdf_json");
            if (!d.cdf.is_object()) d.cdf = nlohmann::json::object();
            d.sampler = offroi::detail::sampler_label(sampler_of(s, sampler));
            d.decision = parse_or_null(decision_json, "decision_json");
            d.source = source;
            if (tornado) {
                py::gil_scoped_release release;
                d.sensitivity = tornado_block(s, arrangement, event_trials, seed);
            }
            return offroi::html_report(d);
        },
        py::arg("scenario"), py::arg("scenario_doc"), py::arg("result_json"), py::arg("drivers_json"),
        py::arg("cdf_json"), py::arg("sampler"), py::arg("tornado") = false, py::arg("event_trials") = 256,
        py::arg("arrangement") = "", py::arg("seed") = 0, py::arg("decision_json") = "", py::arg("source") = "",
        "report_html_from_parts(...) -> str: the HTML report of a finished run from its JSON parts (see offroi.report).");
}
