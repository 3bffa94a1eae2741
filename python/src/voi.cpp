// Bindings of the value-of-information layer (decision/value_of_information.hpp,
// decision/decision_curves.hpp, decision/scenario_voi.hpp). Arrays come in as numpy
// (net benefit (n, options), inputs (n,) or (n, g), Fortran order: one column per option or
// input); scenario-level results go to Python as JSON (decision/scenario_voi_json.hpp) and
// offroi/voi.py builds the frames.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "offroi/decision/decision_curves.hpp"
#include "offroi/decision/scenario_voi.hpp"
#include "offroi/decision/scenario_voi_json.hpp"
#include "offroi/decision/value_of_information.hpp"

namespace py = pybind11;

namespace offroi::python {

namespace {

using fortran_array = py::array_t<double, py::array::f_style | py::array::forcecast>;

// Columns of a 1-D (n,) or 2-D (n, k) array (Fortran order: each column contiguous).
std::vector<std::span<const double>> columns_of(const fortran_array& a, const char* fn, const char* what) {
    if (a.ndim() == 1) return {std::span<const double>(a.data(), std::size_t(a.shape(0)))};
    if (a.ndim() != 2)
        throw invalid_argument(std::string(fn) + ": " + what + " must be 1-D (n,) or 2-D (n, k); got " +
                               std::to_string(a.ndim()) + " dimensions");
    std::vector<std::span<const double>> c;
    const std::size_t n = std::size_t(a.shape(0));
    for (py::ssize_t j = 0; j < a.shape(1); ++j) c.emplace_back(a.data() + std::size_t(j) * n, n);
    return c;
}

// Copies of columns, for run_detached (the computation may outlive the numpy arrays).
std::vector<std::vector<double>> copy_columns(const std::vector<std::span<const double>>& c) {
    std::vector<std::vector<double>> v;
    v.reserve(c.size());
    for (const auto& s : c) v.emplace_back(s.begin(), s.end());
    return v;
}

std::vector<std::span<const double>> spans_of(const std::vector<std::vector<double>>& v) {
    std::vector<std::span<const double>> s;
    s.reserve(v.size());
    for (const auto& c : v) s.emplace_back(c);
    return s;
}

regression_method method_of(const std::string& m) {
    if (m == "auto" || m == "automatic") return regression_method::automatic;
    if (m == "spline") return regression_method::spline;
    if (m == "cell_means") return regression_method::cell_means;
    if (m == "boosted_trees" || m == "trees") return regression_method::boosted_trees;
    throw invalid_argument("offroi.evppi: method = \"" + m +
                           "\" is invalid; must be one of auto, spline, cell_means, boosted_trees");
}

scenario_voi_options voi_options(std::optional<std::uint64_t> trials, std::optional<std::uint64_t> seed,
                                 unsigned threads) {
    scenario_voi_options o;
    o.trials = trials.value_or(0);
    o.seed = seed;
    o.threads = threads;
    return o;
}

// detail::voi::record_all with Ctrl-C served between blocks of the run: the same request
// (every trial recorded), plus the cancellation token of run_interruptible.
scenario_run record_all_interruptible(const scenario& s, const scenario_voi_options& o, const char* fn) {
    const std::uint64_t trials = o.trials ? o.trials : s.simulation.trials;
    if (trials < 10)
        detail::throw_invalid(fn, "trials", double(trials), "must be >= 10 (every trial is recorded for the regression)");
    return run_interruptible(
        [&](progress_callback, cancellation_token tok) {
            run_request req;
            req.trials = trials;
            req.seed = o.seed;
            req.threads = o.threads;
            req.samples = sample_policy::never;
            req.driver_trials = trials;
            req.cancel = tok;
            return run_scenario(s, req);
        },
        py::none());
}

}  // namespace

void register_voi(py::module_& m) {
    m.def(
        "decision_summary",
        [](const fortran_array& nb) {
            const auto c = columns_of(nb, "offroi.decision_summary", "net_benefit");
            return to_json(decision_summary(sample_columns(c)), {}).dump();
        },
        py::arg("net_benefit"),
        "decision_summary(net_benefit (n, options)) -> str (JSON): per option its mean net benefit, P(best) and "
        "expected loss, and the EVPI with its standard error (see offroi.decision_summary).");
    m.def(
        "evppi",
        [](const fortran_array& nb, const fortran_array& x, const std::string& method, unsigned threads) {
            const auto c = columns_of(nb, "offroi.evppi", "net_benefit");
            const auto in = columns_of(x, "offroi.evppi", "inputs");
            evppi_options o;
            o.regression.method = method_of(method);
            o.regression.threads = threads;
            // No cancellation hook inside the regression: Ctrl-C returns at once (run_detached,
            // on copies of the columns).
            const evppi_result r = run_detached([cv = copy_columns(c), iv = copy_columns(in), o] {
                const auto cs = spans_of(cv), is = spans_of(iv);
                return evppi(sample_columns(cs), sample_columns(is), o);
            });
            py::dict d;
            d["value"] = r.value;
            d["se"] = r.se;
            d["method"] = r.method_name;
            d["r_squared"] = r.r_squared;
            return d;
        },
        py::arg("net_benefit"), py::arg("inputs"), py::arg("method") = "auto", py::arg("threads") = 0,
        "evppi(net_benefit (n, options), inputs (n,) or (n, g), method='auto', threads=0) -> str (JSON): the "
        "expected value of partial perfect information on the inputs, by regression, with its SE (see offroi.evppi).");
    m.def(
        "evppi_each",
        [](const fortran_array& nb, const fortran_array& x, unsigned threads) {
            const auto c = columns_of(nb, "offroi.evppi_each", "net_benefit");
            const auto in = columns_of(x, "offroi.evppi_each", "inputs");
            const std::vector<evppi_result> r =
                run_detached([cv = copy_columns(c), iv = copy_columns(in), threads] {
                    const auto cs = spans_of(cv), is = spans_of(iv);
                    return evppi_each(sample_columns(cs), sample_columns(is), {}, threads);
                });
            py::list out;
            for (const auto& e : r) {
                py::dict d;
                d["value"] = e.value;
                d["se"] = e.se;
                d["method"] = e.method_name;
                d["r_squared"] = e.r_squared;
                out.append(d);
            }
            return out;
        },
        py::arg("net_benefit"), py::arg("inputs"), py::arg("threads") = 0,
        "evppi_each(net_benefit (n, options), inputs (n, d), threads=0) -> str (JSON): the EVPPI of every column "
        "of inputs on its own.");
    m.def(
        "decision_curves",
        [](const fortran_array& a, const fortran_array& b, const std::vector<double>& lambda) {
            const auto ac = columns_of(a, "offroi.decision_curves", "a");
            const auto bc = columns_of(b, "offroi.decision_curves", "b");
            return to_json(decision_curves(sample_columns(ac), sample_columns(bc), lambda), {}, "lambda").dump();
        },
        py::arg("a"), py::arg("b"), py::arg("lambdas"),
        "decision_curves(a (n, options), b (n, options), lambdas) -> str (JSON): for net benefits a + lambda * b "
        "at each lambda, P(best) per option and the EVPI (acceptability and EVPI curves).");
    m.def(
        "scenario_voi",
        [](const scenario& s, std::optional<std::uint64_t> trials, std::optional<std::uint64_t> seed, unsigned threads,
           const std::vector<std::pair<std::string, std::vector<std::string>>>& groups, bool arrangement_groups,
           bool each_input, double required_saving) {
            auto o = voi_options(trials, seed, threads);
            o.required_saving = required_saving;
            for (const auto& [name, inputs] : groups) o.groups.push_back({name, inputs});
            o.arrangement_groups = arrangement_groups;
            o.each_input = each_input;
            // The run serves Ctrl-C between blocks; the regressions that follow have no
            // cancellation hook, so they run detached (Ctrl-C returns at once).
            auto run = record_all_interruptible(s, o, "offroi::scenario_voi");
            return run_detached([r = std::move(run), o] { return to_json(scenario_voi(r, o)).dump(); });
        },
        py::arg("scenario"), py::arg("trials") = py::none(), py::arg("seed") = py::none(), py::arg("threads") = 0,
        py::arg("groups") = std::vector<std::pair<std::string, std::vector<std::string>>>{},
        py::arg("arrangement_groups") = true, py::arg("each_input") = true, py::arg("required_saving") = 0.0,
        "scenario_voi(scenario, ...) -> str (JSON): EVPI, P(best), expected loss and the EVPPI of every input and "
        "group of a scenario's decision (see offroi.voi).");
    m.def(
        "scenario_decision_curve",
        [](const scenario& s, const std::string& threshold, const std::vector<double>& lambda,
           std::optional<std::uint64_t> trials, std::optional<std::uint64_t> seed, unsigned threads) {
            voi_threshold t;
            if (threshold == "cost-of-delay" || threshold == "cost_of_delay") t = voi_threshold::cost_of_delay;
            else if (threshold == "required-saving" || threshold == "required_saving") t = voi_threshold::required_saving;
            else
                throw invalid_argument("offroi.decision_curve: threshold = \"" + threshold +
                                       "\" is invalid; must be \"cost-of-delay\" or \"required-saving\"");
            const auto o = voi_options(trials, seed, threads);
            auto run = record_all_interruptible(s, o, "offroi.decision_curve");
            return run_detached([s, r = std::move(run), t, lambda, threshold] {
                std::vector<std::string> names;
                scenario_net_benefits(r, &names);
                return to_json(scenario_decision_curve(s, r, t, lambda), names, threshold).dump();
            });
        },
        py::arg("scenario"), py::arg("threshold"), py::arg("lambdas"), py::arg("trials") = py::none(),
        py::arg("seed") = py::none(), py::arg("threads") = 0,
        "scenario_decision_curve(scenario, threshold, values, ...) -> str (JSON): the acceptability and EVPI curves "
        "of a scenario against the cost of delay or a required saving (see offroi.decision_curve).");
}

}  // namespace offroi::python
