// Bindings of the choice among a scenario's options (decision/scenario_options.hpp): OCBA on
// common random numbers and the risk/return frontier. The result goes to Python as JSON
// (decision/scenario_options_json.hpp); offroi/options.py builds the frames and the plot.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "offroi/decision/scenario_options.hpp"
#include "offroi/decision/scenario_options_json.hpp"

namespace py = pybind11;

namespace offroi::python {

void register_options(py::module_& m) {
    m.def(
        "select_options",
        [](const scenario& s, const std::vector<std::pair<std::string, std::vector<double>>>& vary, std::uint64_t budget,
           double target_pcs, std::uint64_t initial_trials, std::uint64_t increment, std::uint64_t block,
           std::uint64_t frontier_trials, double percentile, double tail_mass, double loss_threshold,
           bool include_baseline, bool include_alternatives, const std::string& rule, const std::string& variance,
           std::optional<std::uint64_t> seed, std::optional<std::string> sampler, unsigned threads,
           const py::object& progress) {
            constexpr const char* fn = "offroi.select_options";
            scenario_options_request r;
            for (const auto& [input, values] : vary) r.vary.push_back({input, values});
            r.selection.budget = budget;
            r.selection.target_pcs = target_pcs;
            r.selection.initial_trials = initial_trials;
            r.selection.increment = increment;
            r.selection.block = block;
            r.selection.threads = threads;
            if (rule == "equal") r.selection.rule = allocation_rule::equal;
            else if (rule != "ocba")
                throw invalid_argument(std::string(fn) + ": rule = \"" + rule + "\" is invalid; allowed: \"ocba\", \"equal\"");
            if (variance == "independent") r.selection.variance = comparison_variance::independent;
            else if (variance != "paired")
                throw invalid_argument(std::string(fn) + ": variance = \"" + variance +
                                       "\" is invalid; allowed: \"paired\", \"independent\"");
            r.frontier_trials = frontier_trials;
            r.frontier.percentile = percentile;
            r.frontier.tail_mass = tail_mass;
            r.frontier.loss_threshold = loss_threshold;
            r.include_baseline = include_baseline;
            r.include_alternatives = include_alternatives;
            r.seed = seed;
            if (sampler) {
                if (*sampler == "mc" || *sampler == "monte_carlo") r.sampler = sampling_method::monte_carlo;
                else if (*sampler == "lhs" || *sampler == "latin_hypercube") r.sampler = sampling_method::latin_hypercube;
                else if (*sampler == "sobol") r.sampler = sampling_method::sobol;
                else
                    throw invalid_argument(std::string(fn) + ": sampler = \"" + *sampler +
                                           "\" is invalid; allowed: \"mc\", \"lhs\", \"sobol\"");
            }
            const auto res = run_interruptible(
                [&](progress_callback cb, cancellation_token tok) {
                    auto rr = r;
                    rr.selection.progress = std::move(cb);
                    rr.selection.cancel = tok;
                    return choose_options(s, rr);
                },
                progress);
            const std::uint64_t b = budget ? budget : std::uint64_t(res.options.size()) * 20000;
            return to_json(res, b).dump();
        },
        py::arg("scenario"), py::arg("vary"), py::arg("budget") = 0, py::arg("target_pcs") = 0.0,
        py::arg("initial_trials") = 1024, py::arg("increment") = 4096, py::arg("block") = 256,
        py::arg("frontier_trials") = 10000, py::arg("percentile") = 0.10, py::arg("tail_mass") = 0.10,
        py::arg("loss_threshold") = 0.0, py::arg("include_baseline") = true, py::arg("include_alternatives") = true,
        py::arg("rule") = "ocba", py::arg("variance") = "paired", py::arg("seed") = py::none(),
        py::arg("sampler") = py::none(), py::arg("threads") = 0, py::arg("progress") = py::none(),
        "select_options(scenario, vary, budget=0, ...) -> str (JSON): the best of the scenario's variants by "
        "ranking and selection (OCBA on common random numbers), how sure (APCS) and the risk/return frontier "
        "(see offroi.select_options).");
}

}  // namespace offroi::python
