// The ROI model and the analyses over it: Scenario, simulate (a Run holding the C++
// result, whose samples are exposed as numpy views), compare, sweep, breakeven, scenario
// sensitivity, and the shard run + merge that offroi.distributed builds on.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "convert.hpp"
#include "offroi/analysis.hpp"
#include "offroi/analysis/analysis_json.hpp"
#include "offroi/io.hpp"
#include "offroi/model.hpp"
#include "offroi/stats/streaming_summary.hpp"

namespace py = pybind11;

namespace {

// A finished run and the scenario it ran; Python's Run owns it, numpy views keep it alive.
struct run_holder {
    offroi::scenario scenario;
    offroi::scenario_run run;
};

py::object json_loads(const std::string& text) { return py::module_::import("json").attr("loads")(text); }
std::string json_dumps(const py::object& o) { return py::module_::import("json").attr("dumps")(o).cast<std::string>(); }

offroi::field_style parse_style(const std::string& s) {
    if (s == "overrides") return offroi::field_style::overrides;
    if (s == "complete") return offroi::field_style::complete;
    throw offroi::invalid_argument("Scenario.to_json: style \"" + s + "\" is invalid; allowed: \"overrides\", \"complete\"");
}

// The run request common to simulate, compare, sweep and breakeven.
offroi::run_request make_request(std::uint64_t trials, std::optional<std::uint64_t> seed,
                                 std::optional<std::string> sampler, unsigned threads, bool keep_samples,
                                 bool all_outputs, std::uint64_t driver_trials) {
    offroi::run_request r;
    r.trials = trials;
    r.seed = seed;
    if (sampler) r.sampler = offroi::python::parse_method(*sampler);
    r.threads = threads;
    r.samples = keep_samples ? offroi::sample_policy::within_budget : offroi::sample_policy::never;
    r.outputs = all_outputs ? offroi::output_set::all : offroi::output_set::essential;
    r.driver_trials = driver_trials;
    return r;
}

// A numpy view of a C++ column; `owner` (a Python object) keeps the memory alive.
py::array column_view(const double* data, std::size_t n, py::handle owner) {
    py::array a(py::dtype::of<double>(), {n}, {sizeof(double)}, data, owner);
    py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
    return a;
}

// The output columns and bindings a scenario run produces (as run_scenario builds them).
struct shard_model {
    offroi::scenario s;
    offroi::scenario_model_parts parts;
    std::vector<offroi::output_binding> binds;
};

shard_model make_shard_model(const offroi::scenario& in, std::optional<std::string> sampler, bool all_outputs) {
    shard_model m{in, {}, {}};
    if (sampler) m.s.simulation.method = offroi::python::parse_method(*sampler);
    offroi::validate(m.s);
    m.parts = offroi::model_parts(m.s);
    m.binds = offroi::default_outputs(m.parts.names, all_outputs ? offroi::output_set::all : offroi::output_set::essential);
    return m;
}

// The per-arrangement facts of a result (offroi::arrangement_result without its summaries,
// which travel as JSON) as a list of dicts, baseline first.
py::list arrangements_to_list(const offroi::scenario_result& r) {
    py::list out;
    for (const auto& a : r.arrangements) {
        py::dict d;
        d["name"] = a.name;
        d["model"] = std::string(offroi::to_string(a.model));
        d["is_baseline"] = a.is_baseline;
        d["prob_net_loss"] = a.prob_net_loss;
        d["expected_shortfall_loss"] = a.expected_shortfall_loss;
        d["prob_delivered"] = a.prob_delivered;
        d["prob_breakeven"] = a.prob_breakeven;
        d["prob_parity"] = a.prob_parity;
        py::list rows;
        for (const auto& b : a.breakdown) {
            py::dict row;
            row["component"] = b.component;
            row["output"] = b.output;
            row["mean_usd"] = b.mean_usd;
            rows.append(row);
        }
        d["breakdown"] = rows;
        out.append(d);
    }
    return out;
}

}  // namespace

void offroi::python::register_model(py::module_& m) {
    using offroi::scenario;
    // dynamic_attr: offroi.Scenario keeps its notes (descriptions, assumptions) and the stated
    // form of its inputs (a lognormal's P10/P90) in Python attributes, for save().
    py::class_<scenario> sc(m, "Scenario", py::dynamic_attr(),
                            "A scenario: global inputs, a baseline and the compared arrangements.");
    sc.def_static("default", &offroi::default_scenario, "The built-in default scenario (docs/model.md section 7).")
        .def_static("load", [](const std::string& path) { return offroi::load_scenario(path); }, py::arg("path"),
                    "Scenario.load(path) -> Scenario: reads and validates a scenario file (JSON, "
                    "docs/scenario-format.md).")
        .def_static("from_json",
                    [](const std::string& text, const std::string& source) { return offroi::parse_scenario(text, source); },
                    py::arg("text"), py::arg("source") = "",
                    "Scenario.from_json(text, source='') -> Scenario: parses and validates scenario JSON text; "
                    "`source` names it in error messages.")
        .def_static("from_dict", [](const py::object& d) { return offroi::parse_scenario(json_dumps(d), "dict"); },
                    py::arg("d"), "Scenario.from_dict(d) -> Scenario: a scenario from its JSON form as a dict.")
        .def_static(
            "from_presets",
            [](const std::vector<std::string>& alternatives, const std::string& baseline, const std::string& framing) {
                scenario s = offroi::default_scenario();
                s.frame = offroi::parse_framing(framing);
                s.baseline = offroi::preset(offroi::parse_sourcing_model(baseline));
                s.alternatives.clear();
                s.correlations.clear();
                for (const auto& a : alternatives) s.alternatives.push_back(offroi::preset(offroi::parse_sourcing_model(a)));
                return s;
            },
            py::arg("alternatives"), py::arg("baseline") = "in_house", py::arg("framing") = "project",
            "The compiled core of offroi.Scenario.from_presets (which adds names): the default scenario's shared "
            "inputs with preset arrangements.")
        .def("to_json", [](const scenario& s, const std::string& style) { return offroi::to_json(s, parse_style(style)).dump(2); },
             py::arg("style") = "overrides",
             "to_json(style='overrides') -> str: the scenario file text; 'overrides' writes an arrangement's "
             "fields that differ from its preset, 'complete' every field.")
        .def("to_dict", [](const scenario& s, const std::string& style) { return json_loads(offroi::to_json(s, parse_style(style)).dump()); },
             py::arg("style") = "overrides", "to_dict(style='overrides') -> dict: the scenario's JSON form as a dict.")
        .def("save",
             [](const scenario& s, const std::string& path, const std::string& style) {
                 offroi::save_scenario(s, path, parse_style(style));
             },
             py::arg("path"), py::arg("style") = "overrides", "save(path, style='overrides'): writes the scenario file.")
        .def("validate",
             [](const scenario& s, bool run) {
                 if (run) offroi::preflight(s);  // what `offroi validate` runs
                 else offroi::validate(s);
             },
             py::arg("run") = false,
             "validate(run=False): raises offroi.InvalidScenario naming the first invalid input, its value and what "
             "is allowed (the checks simulate runs first). run=True also runs what simulate and the drivers run on "
             "256 trials (every output checked finite), as `offroi validate` does: a scenario that passes runs.")
        .def("_apply_assumptions",
             [](scenario& s, std::vector<std::string> columns, std::vector<std::vector<std::string>> rows,
                std::vector<std::size_t> row_numbers, std::string source) {
                 for (auto& c : columns) c = offroi::detail::lower_ascii(offroi::detail::trim(c));
                 const offroi::assumption_table t{std::move(columns), std::move(rows), std::move(row_numbers),
                                                  std::move(source)};
                 const auto read = offroi::read_assumptions(t, s);
                 offroi::apply_assumptions(s, read, t.source_name);
                 std::vector<std::string> names;
                 for (const auto& a : read) names.push_back(a.name);
                 return names;
             },
             py::arg("columns"), py::arg("rows"), py::arg("row_numbers"), py::arg("source"),
             "The compiled core of offroi.Scenario.apply_assumptions: applies a table of text cells; returns the "
             "names set.")
        .def("_assumptions_template",
             [](const scenario& s) {
                 const auto t = offroi::assumptions_template(s);
                 return py::make_tuple(t.columns, t.rows, offroi::assumptions_to_csv(t));
             },
             "The compiled core of offroi.assumptions_template: (columns, rows of text cells, the CSV text).")
        .def("get", [](const scenario& s, const std::string& input) { return s.get(input); }, py::arg("input"),
             "get(input) -> Distribution: an input by name, \"<field>\" or \"<arrangement>.<field>\".")
        .def("set", [](scenario& s, const std::string& input, const offroi::distribution& d) { s.set(input, d); },
             py::arg("input"), py::arg("dist"),
             "set(input, dist): replaces an input's distribution (offroi.Scenario.set also takes a number).")
        .def("copy", [](const scenario& s) { return scenario(s); }, "copy() -> Scenario: an independent copy.")
        .def("__copy__", [](const scenario& s) { return scenario(s); })
        .def("__deepcopy__", [](const scenario& s, py::dict) { return scenario(s); })
        .def_readwrite("name", &scenario::name, "The scenario's label (shown in reports).")
        .def_readwrite("horizon_months", &scenario::horizon_months, "Months simulated, 1 ... 600 (default 36).")
        .def_readwrite("annual_discount_rate", &scenario::annual_discount_rate,
                       "Annual discount rate r of the net present values, in (-0.5, 10] (default 0.10).")
        .def_property(
            "framing", [](const scenario& s) { return std::string(offroi::to_string(s.frame)); },
            [](scenario& s, const std::string& f) { s.frame = offroi::parse_framing(f); },
            "\"project\" (deliver a backlog) or \"capacity\" (an ongoing team at equal useful output).")
        .def("contract", [](const scenario& s, const std::string& arrangement) {
                 return std::string(offroi::to_string(s.find(arrangement).contract));
             },
             py::arg("arrangement"), "How an arrangement's labour is billed (offroi.contract_types()).")
        .def("set_contract",
             [](scenario& s, const std::string& arrangement, const std::string& contract) {
                 s.find(arrangement).contract = offroi::parse_contract_type(contract);
             },
             py::arg("arrangement"), py::arg("contract"),
             "set_contract(arrangement, contract): how the arrangement's labour is billed (offroi.contract_types()).")
        .def("sourcing_model", [](const scenario& s, const std::string& arrangement) {
                 return std::string(offroi::to_string(s.find(arrangement).model));
             },
             py::arg("arrangement"), "sourcing_model(arrangement) -> str: the arrangement's preset sourcing model.")
        .def_property("trials", [](const scenario& s) { return s.simulation.trials; },
                      [](scenario& s, std::uint64_t t) { s.simulation.trials = t; }, "Default number of trials.")
        .def_property("seed", [](const scenario& s) { return s.simulation.seed; },
                      [](scenario& s, std::uint64_t t) { s.simulation.seed = t; }, "Default seed.")
        .def_property_readonly("baseline", [](const scenario& s) { return s.baseline.name; }, "The baseline's name.")
        .def_property_readonly("alternatives",
                               [](const scenario& s) {
                                   std::vector<std::string> n;
                                   for (const auto& a : s.alternatives) n.push_back(a.name);
                                   return n;
                               },
                               "The alternatives' names.")
        .def_property_readonly("scenario_inputs",
                               [](const scenario&) {
                                   std::vector<std::string> n;
                                   for (const auto& f : offroi::scenario_fields) n.emplace_back(f.name);
                                   return n;
                               },
                               "The shared (scenario-level) input names.")
        .def_property_readonly("inputs",
                               [](const scenario& s) {
                                   std::vector<std::string> n;
                                   for (const auto& f : offroi::scenario_fields) n.emplace_back(f.name);
                                   auto add = [&](const offroi::arrangement& a) {
                                       for (const auto& f : offroi::arrangement_fields) n.push_back(a.name + "." + std::string(f.name));
                                   };
                                   add(s.baseline);
                                   for (const auto& a : s.alternatives) add(a);
                                   return n;
                               },
                               "Every input name: shared ones, then \"<arrangement>.<field>\" per arrangement.")
        .def("__repr__", [](const scenario& s) { return "<offroi.Scenario '" + s.name + "'>"; })
        .def(py::pickle([](const scenario& s) { return offroi::to_json(s, offroi::field_style::complete).dump(); },
                        [](const std::string& t) { return offroi::parse_scenario(t, "pickle"); }));

    m.def(
        "_parse_assumptions_csv",
        [](const std::string& path) {
            const auto t = offroi::load_assumptions_csv(path);
            return py::make_tuple(t.columns, t.rows, t.row_numbers, t.source_name);
        },
        py::arg("path"), "An assumption table read from a CSV file: (columns, rows, row numbers, source name).");
    m.def("presets", [] {
        std::vector<std::string> n;
        for (auto x : offroi::all_sourcing_models) n.emplace_back(offroi::to_string(x));
        return n;
    }, "presets() -> list[str]: the sourcing-model presets (in_house, outsourcing, offshore_team, ...).");
    m.def("contract_types", [] {
        std::vector<std::string> n;
        for (auto x : offroi::all_contract_types) n.emplace_back(offroi::to_string(x));
        return n;
    }, "contract_types() -> list[str]: how labour can be billed (time_and_materials, fixed_price, ...).");
    m.def("framings", [] {
        return std::vector<std::string>{std::string(offroi::to_string(offroi::framing::project)),
                                        std::string(offroi::to_string(offroi::framing::capacity))};
    }, "framings() -> ['project', 'capacity'].");
    m.attr("never_month") = offroi::never_month;
    m.def("waterfall_bars", [] {
        std::vector<std::pair<std::string, std::string>> n;
        for (const auto& [field, label] : offroi::waterfall_bars) n.emplace_back(field, label);
        return n;
    }, "The waterfall bars in report order: [(output field, label)]; they add up to the net benefit.");

    py::class_<run_holder, std::shared_ptr<run_holder>> run(m, "Run", "A finished scenario run (C++ result).");
    run.def("to_json", [](const run_holder& h) { return offroi::result_to_json(h.run.result).dump(); },
            "to_json() -> str: the result as `offroi run --format json` writes it (no timings).")
        .def_property_readonly("trials", [](const run_holder& h) { return h.run.result.run.trials(); }, "Trials run.")
        .def_property_readonly("seed", [](const run_holder& h) { return h.run.result.seed; }, "The seed used.")
        .def_property_readonly("cancelled", [](const run_holder& h) { return h.run.result.run.cancelled(); },
                               "True if the run was cancelled.")
        .def_property_readonly("elapsed_seconds", [](const run_holder& h) { return h.run.result.run.elapsed_seconds(); },
                               "Wall-clock seconds of the run.")
        .def_property_readonly("samples_kept", [](const run_holder& h) { return h.run.result.run.samples_kept(); },
                               "True if per-trial outputs were kept (keep_samples and within the memory budget).")
        .def_property_readonly("output_names", [](const run_holder& h) { return h.run.result.run.output_names(); },
                               "Output columns, \"<arrangement>.<field>\".")
        .def_property_readonly("scenario", [](const run_holder& h) { return h.scenario; }, "The scenario run.")
        .def_property_readonly("arrangements", [](const run_holder& h) { return arrangements_to_list(h.run.result); },
                               "Per arrangement (baseline first): name, model, is_baseline, prob_net_loss, "
                               "expected_shortfall_loss, prob_delivered, prob_breakeven, prob_parity, breakdown "
                               "(rows of component, output, mean_usd).")
        .def("quantile",
             [](const run_holder& h, const std::string& output, double p) {
                 offroi::detail::check_probability("Result.quantile", "p", p);
                 const auto& r = h.run.result.run;
                 if (r.samples_kept()) {
                     const auto s = r.samples(output);
                     const offroi::sorted_sample q{s};
                     return q.quantile(p);
                 }
                 return r.summary(output).quantile(p);
             },
             py::arg("output"), py::arg("p"),
             "Type-7 quantile from the kept samples (exact), else from the summary's sketch.")
        .def(
            "samples",
            [](py::object self, const std::string& output) {
                const auto& h = self.cast<const run_holder&>();
                const auto& r = h.run.result.run;
                if (!r.samples_kept())
                    throw offroi::invalid_argument("Result.samples: the run kept no samples (keep_samples=False, or "
                                                   "they exceeded the memory budget)");
                const auto s = r.samples(output);
                return column_view(s.data(), s.size(), self);
            },
            py::arg("output"), "A read-only numpy view of one output's per-trial values (no copy).")
        .def_property_readonly("input_names", [](const run_holder& h) { return h.run.input_names; },
                               "The sampled inputs' names (columns of input_samples).")
        .def(
            "input_samples",
            [](py::object self, std::size_t j) {
                const auto& h = self.cast<const run_holder&>();
                if (j >= h.run.input_samples.size())
                    throw offroi::invalid_argument("Result.input_samples: input index " + std::to_string(j) +
                                                   " is out of range; recorded inputs: " +
                                                   std::to_string(h.run.input_samples.size()));
                const auto& c = h.run.input_samples[j];
                return column_view(c.data(), c.size(), self);
            },
            py::arg("index"),
            "input_samples(index) -> ndarray: the draws of sampled input `index` in the first driver_trials trials.")
        .def("drivers",
             [](const run_holder& h, const std::string& arrangement) {
                 return offroi::to_json(offroi::run_drivers(h.run, arrangement)).dump();
             },
             py::arg("arrangement") = "",
             "drivers(arrangement='') -> str (JSON): rank drivers (Spearman, SRRC, PRCC) of an alternative's net "
             "benefit from the recorded trials (needs driver_trials > 0).");

    m.def(
        "simulate",
        [](const scenario& s, std::uint64_t trials, std::optional<std::uint64_t> seed, std::optional<std::string> sampler,
           unsigned threads, bool keep_samples, bool all_outputs, std::uint64_t driver_trials, const py::object& progress) {
            auto req = make_request(trials, seed, sampler, threads, keep_samples, all_outputs, driver_trials);
            auto r = offroi::python::run_interruptible(
                [&](offroi::progress_callback cb, offroi::cancellation_token tok) {
                    auto r = req;
                    r.progress = std::move(cb);
                    r.cancel = tok;
                    return offroi::run_scenario(s, r);
                },
                progress);
            return std::make_shared<run_holder>(run_holder{s, std::move(r)});
        },
        py::arg("scenario"), py::arg("trials") = 0, py::arg("seed") = py::none(), py::arg("sampler") = py::none(),
        py::arg("threads") = 0, py::arg("keep_samples") = true, py::arg("all_outputs") = false,
        py::arg("driver_trials") = 0, py::arg("progress") = py::none(),
        "simulate(scenario, trials=0, seed=None, sampler=None, threads=0, keep_samples=True, all_outputs=False, "
        "driver_trials=0, progress=None) -> Run: runs a scenario (see offroi.simulate, which wraps it).");

    m.def(
        "compare",
        [](const scenario& s, std::uint64_t trials, std::optional<std::uint64_t> seed, std::optional<std::string> sampler,
           unsigned threads, const std::string& pairing, const py::object& progress) {
            offroi::compare_options o;
            o.run = make_request(trials, seed, sampler, threads, true, false, 0);
            if (pairing == "common") o.pairing = offroi::draw_pairing::common;
            else if (pairing == "independent") o.pairing = offroi::draw_pairing::independent;
            else
                throw offroi::invalid_argument("compare: pairing \"" + pairing + "\" is invalid; allowed: \"common\", \"independent\"");
            const auto r = offroi::python::run_interruptible(
                [&](offroi::progress_callback cb, offroi::cancellation_token tok) {
                    auto oo = o;
                    oo.run.progress = std::move(cb);
                    oo.run.cancel = tok;
                    return offroi::compare(s, oo);
                },
                progress);
            return offroi::to_json(r).dump();
        },
        py::arg("scenario"), py::arg("trials") = 0, py::arg("seed") = py::none(), py::arg("sampler") = py::none(),
        py::arg("threads") = 0, py::arg("pairing") = "common", py::arg("progress") = py::none(),
        "compare(scenario, trials=0, seed=None, sampler=None, threads=0, pairing='common', progress=None) -> str "
        "(JSON): pairwise net-benefit differences on common random numbers (see offroi.compare).");

    m.def(
        "sweep",
        [](const scenario& s, const std::string& input, std::vector<double> values, const std::string& mode,
           std::uint64_t trials, std::optional<std::uint64_t> seed, std::optional<std::string> sampler, unsigned threads,
           const py::object& progress) {
            offroi::sweep_options o;
            o.input = input;
            o.values = std::move(values);
            if (mode == "set") o.mode = offroi::sweep_mode::set;
            else if (mode == "scale") o.mode = offroi::sweep_mode::scale;
            else throw offroi::invalid_argument("sweep: mode \"" + mode + "\" is invalid; allowed: \"set\", \"scale\"");
            o.run = make_request(trials, seed, sampler, threads, true, false, 0);
            const auto r = offroi::python::run_interruptible(
                [&](offroi::progress_callback cb, offroi::cancellation_token tok) {
                    auto oo = o;
                    oo.run.progress = std::move(cb);
                    oo.run.cancel = tok;
                    return offroi::sweep(s, oo);
                },
                progress);
            return offroi::to_json(r).dump();
        },
        py::arg("scenario"), py::arg("input"), py::arg("values"), py::arg("mode") = "set", py::arg("trials") = 0,
        py::arg("seed") = py::none(), py::arg("sampler") = py::none(), py::arg("threads") = 0,
        py::arg("progress") = py::none(),
        "sweep(scenario, input, values, mode='set', ...) -> str (JSON): the net benefit as one input is set to "
        "(or scaled by) each value, at the same seed (see offroi.sweep).");

    m.def(
        "breakeven",
        [](const scenario& s, const std::string& input, double lower, double upper, const std::string& mode,
           const std::string& arrangement, const std::string& target, double prob_loss_target, double x_tolerance,
           int max_evaluations, std::uint64_t trials, std::optional<std::uint64_t> seed,
           std::optional<std::string> sampler, unsigned threads, const py::object& progress) {
            offroi::breakeven_options o;
            o.input = input;
            o.lower = lower;
            o.upper = upper;
            if (mode == "set") o.mode = offroi::sweep_mode::set;
            else if (mode == "scale") o.mode = offroi::sweep_mode::scale;
            else throw offroi::invalid_argument("breakeven: mode \"" + mode + "\" is invalid; allowed: \"set\", \"scale\"");
            o.arrangement = arrangement;
            if (target == "median_net_benefit") o.target = offroi::breakeven_target::median_net_benefit;
            else if (target == "prob_loss") o.target = offroi::breakeven_target::prob_loss;
            else
                throw offroi::invalid_argument("breakeven: target \"" + target +
                                               "\" is invalid; allowed: \"median_net_benefit\", \"prob_loss\"");
            o.prob_loss_target = prob_loss_target;
            o.x_tolerance = x_tolerance;
            o.max_evaluations = max_evaluations;
            o.run = make_request(trials, seed, sampler, threads, true, false, 0);
            const auto r = offroi::python::run_interruptible(
                [&](offroi::progress_callback cb, offroi::cancellation_token tok) {
                    auto oo = o;
                    oo.run.progress = std::move(cb);
                    oo.run.cancel = tok;
                    return offroi::breakeven(s, oo);
                },
                progress);
            return offroi::to_json(r).dump();
        },
        py::arg("scenario"), py::arg("input"), py::arg("lower"), py::arg("upper"), py::arg("mode") = "set",
        py::arg("arrangement") = "", py::arg("target") = "median_net_benefit", py::arg("prob_loss_target") = 0.5,
        py::arg("x_tolerance") = 0.0, py::arg("max_evaluations") = 60, py::arg("trials") = 0,
        py::arg("seed") = py::none(), py::arg("sampler") = py::none(), py::arg("threads") = 0,
        py::arg("progress") = py::none(),
        "breakeven(scenario, input, lower, upper, ...) -> str (JSON): the input value at which an alternative's "
        "median net benefit is 0 (or P(loss) hits a target), by a root search on common random numbers "
        "(see offroi.breakeven).");

    m.def(
        "scenario_tornado",
        [](const scenario& s, const std::string& arrangement, std::size_t event_trials, std::uint64_t seed) {
            offroi::scenario_sensitivity_options o;
            o.arrangement = arrangement;
            o.event_trials = event_trials;
            o.seed = seed;
            // Ctrl-C cancels between model points (o.cancel).
            const auto r = offroi::python::run_interruptible(
                [&](offroi::progress_callback, offroi::cancellation_token tok) {
                    auto oo = o;
                    oo.cancel = tok;
                    return offroi::scenario_tornado(s, oo);
                },
                py::none());
            return offroi::to_json(r).dump();
        },
        py::arg("scenario"), py::arg("arrangement") = "", py::arg("event_trials") = 1024, py::arg("seed") = 0,
        "scenario_tornado(scenario, arrangement='', event_trials=1024, seed=0) -> str (JSON): swing of the "
        "expected net benefit as each sampled input goes P10 -> P90 (see offroi.sensitivity.tornado).");

    m.def(
        "scenario_sobol",
        [](const scenario& s, const std::string& arrangement, std::size_t n, std::size_t event_trials,
           std::uint64_t seed, std::size_t bootstrap, unsigned threads) {
            offroi::scenario_sensitivity_options o;
            o.arrangement = arrangement;
            o.event_trials = event_trials;
            o.seed = seed;
            o.sobol.base_samples = n;
            o.sobol.bootstrap_resamples = bootstrap;
            o.sobol.threads = threads;
            // Ctrl-C cancels between model points (o.cancel).
            const auto r = offroi::python::run_interruptible(
                [&](offroi::progress_callback, offroi::cancellation_token tok) {
                    auto oo = o;
                    oo.cancel = tok;
                    return offroi::scenario_sobol(s, oo);
                },
                py::none());
            return offroi::python::sobol_to_dict(r);
        },
        py::arg("scenario"), py::arg("arrangement") = "", py::arg("n") = 1024, py::arg("event_trials") = 256,
        py::arg("seed") = 0, py::arg("bootstrap") = 100, py::arg("threads") = 0,
        "scenario_sobol(scenario, arrangement='', n=1024, event_trials=256, seed=0, bootstrap=100, threads=0) -> "
        "dict: Sobol' indices of the event-averaged net benefit (see offroi.sensitivity.sobol).");

    // Shards: trials [first, first + count) of a run of `total` trials (the design size).
    // A shard returns one serialised streaming_summary per output (streaming_summary::to_bytes:
    // a few tens of KiB at most, whatever `count` is) and, only if samples are kept, the
    // per-trial output columns. Samples are kept by the rule of a local run of `total` trials
    // with keep_samples: total x outputs x 8 bytes within the default 512 MiB budget.
    // merge_shards merges the summaries in trial order (exact, so the result equals the local
    // run's bit for bit) and concatenates the columns.
    m.def(
        "run_shard",
        [](const scenario& s, std::uint64_t first, std::uint64_t count, std::uint64_t total,
           std::optional<std::uint64_t> seed, std::optional<std::string> sampler, unsigned threads, bool all_outputs,
           bool keep_samples, std::uint64_t driver_trials) {
            const auto sm = make_shard_model(s, sampler, all_outputs);
            const std::uint64_t sd = seed ? *seed : sm.s.simulation.seed;
            if (total < 2) offroi::detail::throw_invalid("run_shard", "total", double(total), "must be >= 2");
            if (count == 0 || first > total || count > total - first)
                throw offroi::invalid_argument("run_shard: trials [" + std::to_string(first) + ", " +
                                               std::to_string(first + count) + ") must be a non-empty part of [0, " +
                                               std::to_string(total) + ")");
            // The local run's rule (engine executor): keep if total <= budget / 8 / outputs.
            const std::size_t budget = offroi::run_request{}.sample_budget_bytes;
            const bool keep = keep_samples && !sm.binds.empty() &&
                              total <= budget / sizeof(double) / sm.binds.size();
            // Driver trials [0, K) of the whole run that fall in this shard: their inputs and
            // outputs are recorded (the recorders index trials from 0, so they are sized to
            // the shard's end) and shipped back for merge_shards.
            const std::uint64_t rec_end = std::min({driver_trials, total, first + count});
            std::shared_ptr<offroi::input_recorder> in_rec, out_rec;
            if (rec_end > first) {
                in_rec = std::make_shared<offroi::input_recorder>();
                in_rec->trials = rec_end;
                out_rec = std::make_shared<offroi::input_recorder>();
                out_rec->trials = rec_end;
                out_rec->size_columns(sm.binds.size());  // trials [first, rec_end) are written
            }
            offroi::run_result rr = [&] {
                py::gil_scoped_release release;
                const auto inner = offroi::make_analysis_model(sm.parts, sd, total, sm.binds, in_rec);
                const offroi::detail::output_recording_model<std::decay_t<decltype(inner)>> model{&inner, out_rec};
                offroi::run_options ro;
                ro.first_trial = first;
                ro.trials = count;
                ro.seed = sd;
                ro.threads = threads;
                ro.samples = keep ? offroi::sample_policy::within_budget : offroi::sample_policy::never;
                ro.sample_budget_bytes = std::size_t(1) << 40;
                return offroi::run(model, ro);
            }();
            py::dict out;
            out["first"] = first;
            out["count"] = count;
            out["total"] = total;
            out["blocks"] = rr.blocks();
            out["elapsed"] = rr.elapsed_seconds();
            out["seed"] = sd;
            out["names"] = rr.output_names();
            py::list sums;
            for (std::size_t i = 0; i < rr.n_outputs(); ++i) sums.append(py::bytes(rr.summary(i).to_bytes()));
            out["summaries"] = sums;
            if (rr.samples_kept()) {
                py::list cols;
                for (std::size_t i = 0; i < rr.n_outputs(); ++i) {
                    const auto c = rr.samples(i);
                    py::array_t<double> a(c.size());
                    std::copy(c.begin(), c.end(), a.mutable_data());
                    cols.append(a);
                }
                out["columns"] = cols;
            } else {
                out["columns"] = py::none();
            }
            auto slices = [&](const std::shared_ptr<offroi::input_recorder>& rec) {
                py::list l;
                if (!rec) return l;
                for (const auto& c : rec->columns) {
                    py::array_t<double> a(static_cast<py::ssize_t>(rec_end - first));
                    std::copy(c.begin() + static_cast<std::ptrdiff_t>(first), c.end(), a.mutable_data());
                    l.append(a);
                }
                return l;
            };
            out["driver_inputs"] = slices(in_rec);
            out["driver_outputs"] = slices(out_rec);
            return out;
        },
        py::arg("scenario"), py::arg("first"), py::arg("count"), py::arg("total"), py::arg("seed") = py::none(),
        py::arg("sampler") = py::none(), py::arg("threads") = 1, py::arg("all_outputs") = false,
        py::arg("keep_samples") = false, py::arg("driver_trials") = 0,
        "run_shard(scenario, first, count, total, seed=None, sampler=None, threads=1, all_outputs=False, "
        "keep_samples=False, driver_trials=0) -> dict: trials [first, first + count) of a run of `total` trials "
        "(serialised summaries; columns if kept; the inputs and outputs of its trials below driver_trials). "
        "The task offroi.distributed.simulate sends to the workers.");

    m.def(
        "merge_shards",
        [](const scenario& s, const py::list& shards, std::optional<std::string> sampler, bool all_outputs) {
            const auto sm = make_shard_model(s, sampler, all_outputs);
            if (shards.empty()) throw offroi::invalid_argument("merge_shards: no shards");
            const py::dict head = shards[0].cast<py::dict>();
            const std::vector<std::string> names = head["names"].cast<std::vector<std::string>>();
            if (names.size() != sm.binds.size())
                throw offroi::invalid_argument("merge_shards: the shards have " + std::to_string(names.size()) +
                                               " outputs; the scenario has " + std::to_string(sm.binds.size()));
            for (std::size_t i = 0; i < names.size(); ++i)
                if (names[i] != sm.binds[i].name)
                    throw offroi::invalid_argument("merge_shards: shard output " + std::to_string(i) + " is \"" +
                                                   names[i] + "\"; the scenario's is \"" + sm.binds[i].name + "\"");
            const auto seed = head["seed"].cast<std::uint64_t>();
            const auto total = head["total"].cast<std::uint64_t>();
            const bool with_columns = !head["columns"].is_none();
            std::uint64_t expect = 0, blocks = 0;
            double elapsed = 0.0;
            std::vector<offroi::sample_column> cols(with_columns ? names.size() : 0);
            std::vector<offroi::streaming_summary> sums(names.size(), offroi::streaming_summary(offroi::summary_options{}));
            std::vector<offroi::recorded_column> din, dout;  // recorded driver trials, in trial order
            auto append = [](std::vector<offroi::recorded_column>& to, const py::handle& from) {
                if (!from || from.is_none()) return;
                const py::list l = py::reinterpret_borrow<py::list>(from);
                if (l.empty()) return;
                if (to.empty()) to.resize(l.size());
                if (to.size() != l.size())
                    throw offroi::invalid_argument("merge_shards: shards record different numbers of driver columns");
                for (std::size_t i = 0; i < l.size(); ++i) {
                    auto a = l[i].cast<py::array_t<double, py::array::c_style | py::array::forcecast>>();
                    to[i].insert(to[i].end(), a.data(), a.data() + a.size());
                }
            };
            for (const auto& item : shards) {
                const py::dict sh = item.cast<py::dict>();
                const auto first = sh["first"].cast<std::uint64_t>();
                if (first != expect)
                    throw offroi::invalid_argument("merge_shards: a shard starts at trial " + std::to_string(first) +
                                                   "; expected " + std::to_string(expect) + " (give them in trial order)");
                if (sh["seed"].cast<std::uint64_t>() != seed || sh["total"].cast<std::uint64_t>() != total ||
                    sh["names"].cast<std::vector<std::string>>() != names || sh["columns"].is_none() == with_columns)
                    throw offroi::invalid_argument("merge_shards: shards come from different runs");
                const auto count = sh["count"].cast<std::uint64_t>();
                expect += count;
                blocks += sh["blocks"].cast<std::uint64_t>();
                elapsed += sh["elapsed"].cast<double>();
                const py::list b = sh["summaries"];
                if (b.size() != names.size())
                    throw offroi::invalid_argument("merge_shards: a shard has " + std::to_string(b.size()) +
                                                   " summaries for " + std::to_string(names.size()) + " outputs");
                for (std::size_t i = 0; i < names.size(); ++i) {
                    const auto part = offroi::streaming_summary::from_bytes(b[i].cast<std::string_view>());
                    if (part.count() != count)
                        throw offroi::invalid_argument("merge_shards: the summary of output \"" + names[i] +
                                                       "\" counts " + std::to_string(part.count()) +
                                                       " values; its shard has " + std::to_string(count) + " trials");
                    sums[i].merge(part);
                }
                if (sh.contains("driver_inputs")) {
                    append(din, sh["driver_inputs"]);
                    append(dout, sh["driver_outputs"]);
                }
                if (with_columns) {
                    const py::list c = sh["columns"];
                    for (std::size_t i = 0; i < names.size(); ++i) {
                        auto a = c[i].cast<py::array_t<double, py::array::c_style | py::array::forcecast>>();
                        if (static_cast<std::uint64_t>(a.size()) != count)
                            throw offroi::invalid_argument("merge_shards: a sample column holds " +
                                                           std::to_string(a.size()) + " values for " +
                                                           std::to_string(count) + " trials");
                        cols[i].insert(cols[i].end(), a.data(), a.data() + a.size());
                    }
                }
            }
            if (expect != total)
                throw offroi::invalid_argument("merge_shards: the shards cover trials [0, " + std::to_string(expect) +
                                               ") of a run of " + std::to_string(total) + " trials");
            offroi::run_result rr(names, std::move(sums), std::move(cols), 0, expect, blocks, elapsed, false);
            return std::make_shared<run_holder>(run_holder{
                sm.s, offroi::scenario_run{offroi::assemble_result(sm.s, seed, std::move(rr), sm.binds, 0.05),
                                           std::nullopt, sm.parts.input_names, sm.parts.input_distributions,
                                           std::move(din), std::move(dout)}});
        },
        py::arg("scenario"), py::arg("shards"), py::arg("sampler") = py::none(), py::arg("all_outputs") = false,
        "merge_shards(scenario, shards, sampler=None, all_outputs=False) -> Run: the shards of run_shard merged in "
        "trial order (equal bit for bit to the local run).");

    m.def(
        "summary_bytes",
        [](const run_holder& h, const std::string& output) { return py::bytes(h.run.result.run.summary(output).to_bytes()); },
        py::arg("run"), py::arg("output"),
        "summary_bytes(run, output) -> bytes: the serialised streaming_summary of one output of a run (streaming_summary::to_bytes).");
}
