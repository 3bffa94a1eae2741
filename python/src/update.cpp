// Bindings of learning from data: PSIS weights (decision/importance_weights.hpp), weighted
// summaries (stats/weighted_statistics.hpp), weighted rank drivers
// (sensitivity/weighted_rank_sensitivity.hpp) and the scenario update
// (decision/scenario_update.hpp). offroi/update.py builds the pandas frames.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "offroi/decision/importance_weights.hpp"
#include "offroi/decision/scenario_update.hpp"
#include "offroi/sensitivity/weighted_rank_sensitivity.hpp"
#include "offroi/stats/weighted_statistics.hpp"

namespace py = pybind11;

namespace offroi::python {

namespace {

using farray = py::array_t<double, py::array::c_style | py::array::forcecast>;

std::span<const double> span_of(const farray& a, const char* what) {
    if (a.ndim() != 1) throw offroi::invalid_argument(std::string(what) + " must be 1-D");
    return {a.data(), std::size_t(a.shape(0))};
}

py::array_t<double> to_numpy(const std::vector<double>& v) {
    py::array_t<double> a(py::ssize_t(v.size()));
    std::copy(v.begin(), v.end(), a.mutable_data());
    return a;
}

weight_kind kind_of(const std::string& k) {
    if (k == "importance") return weight_kind::importance;
    if (k == "frequency") return weight_kind::frequency;
    throw offroi::invalid_argument("kind = \"" + k + "\" is invalid; must be \"importance\" or \"frequency\"");
}

const char* tail_name(psis_tail t) {
    switch (t) {
        case psis_tail::fitted: return "fitted";
        case psis_tail::constant: return "constant";
        case psis_tail::too_short: return "too_short";
        case psis_tail::degenerate: return "degenerate";
    }
    return "?";
}

py::dict summary_dict(const weighted_summary& w) {
    py::dict d;
    d["p10"] = w.p10;
    d["p50"] = w.p50;
    d["p90"] = w.p90;
    d["mean"] = w.mean;
    d["mean_se"] = w.mean_se;
    d["sd"] = w.sd;
    d["prob_loss"] = w.prob_loss.p;
    d["prob_loss_se"] = w.prob_loss.se;
    d["expected_shortfall"] = w.expected_shortfall;
    d["alpha"] = w.alpha;
    d["ess"] = w.ess;
    d["samples"] = w.samples;
    return d;
}

py::dict diag_dict(const weight_diagnostics& d) {
    py::dict x;
    x["trials"] = d.trials;
    x["k_hat"] = d.k_hat;
    x["k_threshold"] = d.k_threshold;
    x["ess"] = d.ess;
    x["raw_ess"] = d.raw_ess;
    x["tail"] = tail_name(d.tail);
    x["reliable"] = d.reliable;
    return x;
}

py::dict drivers_dict(const weighted_rank_sensitivity_result& r) {
    py::dict d;
    d["names"] = r.names;
    d["spearman"] = r.spearman;
    d["srrc"] = r.srrc;
    d["prcc"] = r.prcc;
    d["srrc_r2"] = r.srrc_r2;
    d["ess"] = r.ess;
    return d;
}

}  // namespace

void register_update(py::module_& m) {
    m.def("update_field_names", [] {
        py::dict d;
        std::vector<std::string> out, in;
        for (const auto& f : outcome_fields) out.emplace_back(f.name);
        for (const auto& f : arrangement_fields) in.emplace_back(f.name);
        d["outcome"] = out;
        d["arrangement"] = in;
        return d;
    }, "update_field_names() -> dict: the output fields ('outcome') and arrangement input fields ('arrangement') "
       "an observation may name.");
    m.def(
        "psis",
        [](const farray& log_weights) {
            psis_result r;
            const auto lw = span_of(log_weights, "log_weights");
            {
                py::gil_scoped_release release;
                r = psis(lw);
            }
            py::dict d;
            d["weights"] = to_numpy(r.weights);
            d["log_weights"] = to_numpy(r.log_weights);
            d["k_hat"] = r.k_hat;
            d["sigma_hat"] = r.sigma_hat;
            d["k_threshold"] = r.k_threshold;
            d["ess"] = r.ess;
            d["raw_ess"] = r.raw_ess;
            d["tail_size"] = r.tail_size;
            d["tail"] = tail_name(r.tail);
            d["reliable"] = r.reliable();
            return d;
        },
        py::arg("log_weights"),
        "psis(log_weights) -> dict: Pareto-smoothed importance weights, the tail shape k-hat, its reliability "
        "threshold and the effective sample size (Vehtari et al. 2024; see offroi.psis).");
    m.def(
        "weighted_summary",
        [](const farray& x, const farray& w, double alpha, const std::string& kind) {
            return summary_dict(summarize_weighted(span_of(x, "x"), span_of(w, "weights"), alpha, kind_of(kind)));
        },
        py::arg("x"), py::arg("weights"), py::arg("alpha") = 0.05, py::arg("kind") = "importance",
        "weighted_summary(x, weights, alpha=0.05, kind='importance') -> dict: mean, sd, SE (from the ESS), "
        "percentiles and expected shortfall of weighted samples.");
    m.def(
        "weighted_quantile",
        [](const farray& x, const farray& w, const farray& p, const std::string& kind) {
            const weighted_sample s(span_of(x, "x"), span_of(w, "weights"), kind_of(kind));
            const auto ps = span_of(p, "p");
            std::vector<double> q(ps.size());
            for (std::size_t i = 0; i < ps.size(); ++i) q[i] = s.quantile(ps[i]);
            return to_numpy(q);
        },
        py::arg("x"), py::arg("weights"), py::arg("p"), py::arg("kind") = "importance",
        "weighted_quantile(x, weights, p, kind='importance') -> ndarray: quantiles of weighted samples at each p.");
    m.def(
        "weighted_prob_below",
        [](const farray& x, const farray& w, double t) {
            const weighted_sample s(span_of(x, "x"), span_of(w, "weights"));
            const double p = s.prob_below(t);
            py::dict d;
            d["p"] = p;
            d["se"] = std::sqrt(p * (1.0 - p) / s.ess());
            return d;
        },
        py::arg("x"), py::arg("weights"), py::arg("threshold") = 0.0,
        "weighted_prob_below(x, weights, threshold=0) -> dict: P(X < threshold) of weighted samples ('p') and its "
        "SE from the ESS ('se').");
    m.def(
        "weighted_expected_shortfall",
        [](const farray& x, const farray& w, double alpha, const std::string& which) {
            if (which != "lower" && which != "upper")
                throw offroi::invalid_argument("tail = \"" + which + "\" is invalid; must be \"lower\" or \"upper\"");
            return weighted_expected_shortfall(span_of(x, "x"), span_of(w, "weights"), alpha,
                                               which == "lower" ? tail::lower : tail::upper);
        },
        py::arg("x"), py::arg("weights"), py::arg("alpha") = 0.05, py::arg("tail") = "lower",
        "weighted_expected_shortfall(x, weights, alpha=0.05, tail='lower') -> float: the mean of the weighted "
        "samples in their lower (or upper) tail of mass alpha.");
    m.def(
        "weighted_rank_sensitivity",
        [](py::array_t<double, py::array::f_style | py::array::forcecast> X, const farray& y, const farray& w,
           std::vector<std::string> names, unsigned threads) {
            if (X.ndim() != 2) throw offroi::invalid_argument("weighted_rank_sensitivity: X must be 2-D (n, d)");
            const auto n = X.shape(0), dim = X.shape(1);
            std::vector<std::span<const double>> cols;
            for (py::ssize_t j = 0; j < dim; ++j) cols.emplace_back(X.data() + j * n, std::size_t(n));
            weighted_rank_sensitivity_result r;
            const auto ys = span_of(y, "y"), ws = span_of(w, "weights");
            {
                py::gil_scoped_release release;
                r = weighted_rank_sensitivity(cols, ys, ws, names, threads);
            }
            return drivers_dict(r);
        },
        py::arg("X"), py::arg("y"), py::arg("weights"), py::arg("names") = std::vector<std::string>{},
        py::arg("threads") = 0,
        "weighted_rank_sensitivity(X (n, d), y (n,), weights (n,), ...) -> dict: Spearman and SRRC of y on the "
        "columns of X under importance weights.");
    m.def(
        "update_scenario",
        [](const scenario& s, const std::vector<std::tuple<std::string, double, double>>& inputs,
           const std::vector<std::tuple<std::string, std::int64_t, std::int64_t, double, std::string>>& attrition,
           const std::vector<std::tuple<std::string, double, double>>& outputs, std::uint64_t trials,
           std::optional<std::uint64_t> seed, unsigned threads, double min_ess, const std::string& fallback,
           std::uint64_t max_trials, double alpha, std::vector<std::string> arrangements) {
            observations obs;
            for (const auto& [n, v, sd] : inputs) obs.inputs.push_back({n, v, sd});
            for (std::size_t i = 0; i < attrition.size(); ++i) {
                const auto& [a, k, e, mo, model] = attrition[i];
                attrition_count c{a, k, e, mo, attrition_count_model::cohort};
                if (model == "exposure")
                    c.model = attrition_count_model::exposure;
                else if (model != "cohort")
                    throw offroi::invalid_argument("update_scenario: observations.attrition[" + std::to_string(i) +
                                                   "].model = \"" + model + "\" is invalid; must be \"cohort\" or \"exposure\"");
                obs.attrition.push_back(c);
            }
            for (const auto& [n, v, sd] : outputs) obs.outputs.push_back({n, v, sd});
            update_options o;
            o.trials = trials;
            o.seed = seed;
            o.threads = threads;
            o.min_ess = min_ess;
            o.max_trials = max_trials;
            o.shortfall_alpha = alpha;
            o.arrangements = std::move(arrangements);
            if (fallback == "auto")
                o.fallback = update_fallback::automatic;
            else if (fallback == "never")
                o.fallback = update_fallback::never;
            else if (fallback == "always")
                o.fallback = update_fallback::always;
            else
                throw offroi::invalid_argument("update_scenario: fallback = \"" + fallback +
                                               "\" is invalid; must be \"auto\", \"never\" or \"always\"");
            // No cancellation hook inside: Ctrl-C returns at once, the work finishes in the
            // background (run_detached; it owns copies of the scenario, observations, options).
            scenario_update_result r = run_detached([s, obs, o] { return update_scenario(s, obs, o); });
            py::dict d;
            d["method"] = to_string(r.method);
            d["reliable"] = r.reliable;
            d["diagnostics"] = diag_dict(r.diagnostics);
            d["prior_reweighting"] = diag_dict(r.prior_reweighting);
            d["refitted_inputs"] = r.refitted_inputs;
            d["copula_corrected"] = r.copula_corrected;
            d["notes"] = r.notes;
            py::list arr;
            for (const auto& a : r.arrangements) {
                py::dict x;
                x["name"] = a.name;
                x["is_baseline"] = a.is_baseline;
                x["prior_delivered"] = a.prior_delivered.p;
                x["updated_delivered"] = a.updated_delivered.p;
                x["prior_delivered_se"] = a.prior_delivered.se;
                x["updated_delivered_se"] = a.updated_delivered.se;
                if (!a.is_baseline) {
                    x["prior"] = summary_dict(a.prior);
                    x["updated"] = summary_dict(a.updated);
                    x["prior_breakeven"] = a.prior_breakeven.p;
                    x["updated_breakeven"] = a.updated_breakeven.p;
                    x["prior_breakeven_p50"] = a.prior_breakeven_p50;
                    x["updated_breakeven_p50"] = a.updated_breakeven_p50;
                    x["prior_drivers"] = drivers_dict(a.prior_drivers);
                    x["updated_drivers"] = drivers_dict(a.updated_drivers);
                }
                arr.append(x);
            }
            d["arrangements"] = arr;
            py::list obsl;
            for (const auto& q : r.observed) {
                py::dict x;
                x["name"] = q.name;
                x["kind"] = q.kind;
                x["observation"] = q.observation;
                x["prior_mean"] = q.prior_mean;
                x["prior_sd"] = q.prior_sd;
                x["prior_p10"] = q.prior_p10;
                x["prior_p50"] = q.prior_p50;
                x["prior_p90"] = q.prior_p90;
                x["updated_mean"] = q.updated_mean;
                x["updated_sd"] = q.updated_sd;
                x["updated_p10"] = q.updated_p10;
                x["updated_p50"] = q.updated_p50;
                x["updated_p90"] = q.updated_p90;
                obsl.append(x);
            }
            d["observed"] = obsl;
            d["weights"] = to_numpy(r.weights);
            d["input_names"] = r.input_names;
            d["output_names"] = r.output_names;
            py::list ins, outs;
            for (const auto& c : r.input_samples) ins.append(to_numpy(c));
            for (const auto& c : r.output_samples) outs.append(to_numpy(c));
            d["input_samples"] = ins;
            d["output_samples"] = outs;
            return d;
        },
        py::arg("scenario"), py::arg("inputs"), py::arg("attrition"), py::arg("outputs"), py::arg("trials") = 50000,
        py::arg("seed") = py::none(), py::arg("threads") = 0, py::arg("min_ess") = 1000.0,
        py::arg("fallback") = "auto", py::arg("max_trials") = 200000, py::arg("alpha") = 0.05,
        py::arg("arrangements") = std::vector<std::string>{},
        "update_scenario(scenario, inputs, ...) -> str (JSON): the forecast updated on observations of inputs and "
        "outputs (prior vs updated summaries, method, k-hat, ESS, drivers; see offroi.update).");
}

}  // namespace offroi::python
