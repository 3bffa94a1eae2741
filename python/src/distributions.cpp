// The generic engine: distributions (type-erased offroi::distribution), correlated sampling,
// and sensitivity analysis on a vectorised Python callable.
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "convert.hpp"
#include "offroi/analysis/analysis_json.hpp"
#include "offroi/distributions.hpp"
#include "offroi/error.hpp"
#include "offroi/io/distribution_json.hpp"
#include "offroi/sampling.hpp"
#include "offroi/sensitivity.hpp"

namespace py = pybind11;

namespace {

using darray = py::array_t<double, py::array::c_style | py::array::forcecast>;

offroi::dependence_method parse_dependence(const std::string& s) {
    if (s == "gaussian_copula") return offroi::dependence_method::gaussian_copula;
    if (s == "iman_conover") return offroi::dependence_method::iman_conover;
    throw offroi::invalid_argument("dependence: \"" + s +
                                   "\" is not a dependence method; allowed: \"gaussian_copula\", \"iman_conover\"");
}

std::vector<std::string> default_names(std::size_t d, const std::vector<std::string>& names) {
    if (!names.empty()) return names;
    std::vector<std::string> n;
    for (std::size_t i = 0; i < d; ++i) n.push_back("x" + std::to_string(i + 1));
    return n;
}

// A vectorised Python callable as a batch model: X (n, d) -> y (n,). The GIL is taken for
// the call only; X is passed as a read-only view (no copy).
struct python_batch_model {
    py::object func;
    void operator()(const Eigen::MatrixXd& X, Eigen::VectorXd& y) const {
        py::gil_scoped_acquire acquire;
        offroi::python::check_signals();  // Ctrl-C between batches (the caller's thread is the interpreter's)
        py::array view(py::dtype::of<double>(), {X.rows(), X.cols()},
                       {Eigen::Index(sizeof(double)), Eigen::Index(sizeof(double)) * X.rows()}, X.data(),
                       py::none());
        py::detail::array_proxy(view.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
        py::object r = func(view);
        auto a = py::array_t<double, py::array::forcecast>::ensure(r);
        if (!a) throw offroi::invalid_argument("sobol_indices: func must return an array of floats");
        if (a.ndim() != 1 || a.shape(0) != X.rows())
            throw offroi::invalid_argument("sobol_indices: func returned shape (" +
                                           std::to_string(a.ndim() ? a.shape(0) : 0) + (a.ndim() > 1 ? ", ..." : "") +
                                           "); must return shape (" + std::to_string(X.rows()) + ",)");
        auto u = a.unchecked<1>();
        for (Eigen::Index i = 0; i < X.rows(); ++i) y[i] = u(i);
    }
};

}  // namespace

void offroi::python::register_distributions(py::module_& m) {
    using offroi::distribution;
    // dynamic_attr: a distribution fitted from percentiles remembers them (offroi.lognormal(p10=, p90=)).
    py::class_<distribution> d(m, "Distribution", py::dynamic_attr(),
                               "A univariate distribution (one of offroi's families); immutable.");
    d.def_static("constant", [](double v) { return distribution(offroi::constant_distribution(v)); }, py::arg("value"),
                     "constant(value) -> Distribution: a point mass at value.")
        .def_static("uniform", [](double a, double b) { return distribution(offroi::uniform_distribution(a, b)); },
                    py::arg("lower"), py::arg("upper"),
                    "uniform(lower, upper) -> Distribution: uniform on [lower, upper]; lower < upper.")
        .def_static("triangular",
                    [](double a, double c, double b) { return distribution(offroi::triangular_distribution(a, c, b)); },
                    py::arg("min"), py::arg("mode"), py::arg("max"),
                    "triangular(min, mode, max) -> Distribution: triangular; min <= mode <= max, min < max.")
        .def_static("pert",
                    [](double a, double c, double b, double lam) {
                        return distribution(offroi::pert_distribution(a, c, b, lam));
                    },
                    py::arg("min"), py::arg("mode"), py::arg("max"), py::arg("lam") = 4.0,
                    "pert(min, mode, max, lam=4) -> Distribution: (modified) PERT on [min, max]; mean "
                    "(min + lam*mode + max)/(lam + 2).")
        .def_static("beta",
                    [](double al, double be, double lo, double hi) {
                        return distribution(offroi::beta_distribution(al, be, lo, hi));
                    },
                    py::arg("alpha"), py::arg("beta"), py::arg("lower") = 0.0, py::arg("upper") = 1.0,
                    "beta(alpha, beta, lower=0, upper=1) -> Distribution: Beta(alpha, beta) scaled to [lower, upper].")
        .def_static("normal", [](double mu, double sd) { return distribution(offroi::normal_distribution(mu, sd)); },
                    py::arg("mean"), py::arg("sd"), "normal(mean, sd) -> Distribution: Normal(mean, sd); sd > 0.")
        .def_static("truncated_normal",
                    [](double mu, double sd, double lo, double hi) {
                        return distribution(offroi::truncated_normal_distribution(mu, sd, lo, hi));
                    },
                    py::arg("mean"), py::arg("sd"), py::arg("lower"), py::arg("upper"),
                    "truncated_normal(mean, sd, lower, upper) -> Distribution: Normal(mean, sd) truncated to [lower, upper].")
        .def_static("lognormal",
                    [](double mu, double sigma) { return distribution(offroi::lognormal_distribution(mu, sigma)); },
                    py::arg("mu"), py::arg("sigma"),
                    "lognormal(mu, sigma) -> Distribution: exp(Normal(mu, sigma)); median exp(mu). For P10/P90 "
                    "use from_percentiles or offroi.lognormal(p10=, p90=).")
        .def_static("gamma", [](double k, double s) { return distribution(offroi::gamma_distribution(k, s)); },
                    py::arg("shape"), py::arg("scale") = 1.0,
                    "gamma(shape, scale=1) -> Distribution: Gamma with mean shape*scale.")
        .def_static("weibull", [](double k, double s) { return distribution(offroi::weibull_distribution(k, s)); },
                    py::arg("shape"), py::arg("scale") = 1.0,
                    "weibull(shape, scale=1) -> Distribution: Weibull with shape k and scale lambda.")
        .def_static("bernoulli", [](double p) { return distribution(offroi::bernoulli_distribution(p)); }, py::arg("p"),
                    "bernoulli(p) -> Distribution: 1 with probability p, else 0.")
        .def_static("poisson", [](double mu) { return distribution(offroi::poisson_distribution(mu)); }, py::arg("mean"),
                    "poisson(mean) -> Distribution: Poisson counts with the given mean.")
        .def_static("discrete",
                    [](std::vector<double> v, std::vector<double> p) {
                        return distribution(offroi::discrete_distribution(std::move(v), std::move(p)));
                    },
                    py::arg("values"), py::arg("probabilities"),
                    "discrete(values, probabilities) -> Distribution: the values with the given probabilities (sum 1).")
        .def_static("empirical",
                    [](std::vector<double> data) { return distribution(offroi::empirical_distribution(std::move(data))); },
                    py::arg("data"),
                    "empirical(data) -> Distribution: the empirical distribution of data (type-7 quantiles).")
        .def_static("from_percentiles",
                    [](const std::string& family, double p1, double x1, double p2, double x2) {
                        const offroi::quantile_point a{p1, x1}, b{p2, x2};
                        // Remembers the stated percentiles: descriptions and save() show them.
                        const std::vector<offroi::quantile_point> stated =
                            p1 <= p2 ? std::vector<offroi::quantile_point>{a, b} : std::vector<offroi::quantile_point>{b, a};
                        if (family == "lognormal")
                            return distribution(offroi::lognormal_distribution::from_percentiles(a, b)).with_stated_percentiles(stated);
                        if (family == "normal")
                            return distribution(offroi::normal_distribution::from_percentiles(a, b)).with_stated_percentiles(stated);
                        if (family == "uniform")
                            return distribution(offroi::uniform_distribution::from_percentiles(a, b)).with_stated_percentiles(stated);
                        if (family == "gamma")
                            return distribution(offroi::gamma_distribution::from_percentiles(a, b)).with_stated_percentiles(stated);
                        if (family == "weibull")
                            return distribution(offroi::weibull_distribution::from_percentiles(a, b)).with_stated_percentiles(stated);
                        throw offroi::invalid_argument("from_percentiles: family \"" + family +
                                                       "\" is not fitted from two percentiles; allowed: lognormal, "
                                                       "normal, uniform, gamma, weibull");
                    },
                    py::arg("family"), py::arg("p1"), py::arg("x1"), py::arg("p2"), py::arg("x2"),
                    "from_percentiles(family, p1, x1, p2, x2) -> Distribution: a two-parameter family "
                    "(lognormal, normal, uniform, gamma, weibull) through the points P(p1) = x1 and P(p2) = x2, "
                    "e.g. ('lognormal', 0.1, 60e3, 0.9, 250e3).")
        .def_static("from_json",
                    [](const std::string& text) {
                        return offroi::distribution_from_json(nlohmann::json::parse(text), "distribution");
                    },
                    py::arg("text"), "A distribution from its scenario-file JSON form.")
        .def("to_json", [](const distribution& x) { return offroi::distribution_to_json(x).dump(); },
             "The scenario-file JSON form.")
        .def_property_readonly("family", [](const distribution& x) { return offroi::name(x); },
                               "The family's name, e.g. \"pert\".")
        .def("describe", [](const distribution& x) { return offroi::describe(x); },
             "describe() -> str: the family and its parameters, e.g. \"pert(55, 69, 90)\".")
        .def("mean", [](const distribution& x) { return offroi::mean(x); }, "mean() -> float: the exact mean.")
        .def("var", [](const distribution& x) { return offroi::variance(x); }, "var() -> float: the exact variance.")
        .def("support", [](const distribution& x) { return offroi::support(x); },
             "support() -> (lower, upper): the smallest interval holding all the mass (may be infinite).")
        .def(
            "cdf",
            [](const distribution& x, darray v) {
                py::array_t<double> out(v.request().shape);
                const double* in = v.data();
                double* o = out.mutable_data();
                const auto n = static_cast<std::size_t>(v.size());
                py::gil_scoped_release release;
                for (std::size_t i = 0; i < n; ++i) o[i] = offroi::cdf(x, in[i]);
                return out;
            },
            py::arg("x"), "cdf(x) -> ndarray: P(X <= x) elementwise.")
        .def(
            "ppf",
            [](const distribution& x, darray p) {
                py::array_t<double> out(p.request().shape);
                const double* in = p.data();
                double* o = out.mutable_data();
                const auto n = static_cast<std::size_t>(p.size());
                py::gil_scoped_release release;
                offroi::quantile(x, in, o, n);
                return out;
            },
            py::arg("p"), "ppf(p) -> ndarray: the quantile function elementwise, p in [0, 1].")
        .def("__repr__", [](const distribution& x) { return "offroi." + offroi::describe(x); });

    m.def(
        "sample",
        [](const std::vector<distribution>& dists, std::size_t n, std::optional<Eigen::MatrixXd> correlation,
           const std::string& sampler, std::uint64_t seed, std::vector<std::string> names, std::uint64_t first,
           std::optional<std::uint64_t> design_size, const std::string& dependence, unsigned threads) {
            const std::size_t dim = dists.size();
            names = default_names(dim, names);
            if (names.size() != dim)
                throw offroi::invalid_argument("sample: names has " + std::to_string(names.size()) +
                                               " entries; must have one per distribution (" + std::to_string(dim) + ")");
            std::vector<offroi::sampler_input> in;
            for (std::size_t i = 0; i < dim; ++i) in.push_back({names[i], dists[i]});
            offroi::sampling_options o;
            o.method = offroi::python::parse_method(sampler);
            o.seed = seed;
            o.design_size = design_size ? *design_size : n;
            o.dependence = parse_dependence(dependence);
            if (correlation) o.correlation_matrix = offroi::correlation_matrix_spec{names, *correlation};
            py::array_t<double, py::array::f_style> out({n, dim});
            double* base = out.mutable_data();
            {
                py::gil_scoped_release release;
                const offroi::sampler s(std::move(in), std::move(o));
                // Draws are pure functions of the trial index, so the range is split into
                // contiguous chunks filled in parallel: the same bits for any thread count.
                // Rounds of at most about 2^22 values per thread, with a Ctrl-C check between
                // rounds (tens of ms apart), so sample(n=1e8) stops when asked.
                const std::size_t t = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
                const std::size_t align = std::max<std::size_t>(4096, s.uniforms().block_alignment());
                const std::size_t per_thread =
                    std::max<std::size_t>(1, (std::size_t(1) << 22) / std::max<std::size_t>(dim, 1) / align) * align;
                for (std::size_t start = 0; start < n; start += per_thread * t) {
                    const std::size_t m = std::min(per_thread * t, n - start);
                    const std::size_t chunk = ((m + t - 1) / t + align - 1) / align * align;
                    auto fill = [&](std::size_t lo) {
                        const std::size_t count = std::min(chunk, m - lo);
                        std::vector<double*> cols(dim);
                        for (std::size_t j = 0; j < dim; ++j) cols[j] = base + j * n + start + lo;
                        s.fill(first + start + lo, count, cols.data());
                    };
                    std::vector<std::thread> pool;
                    std::exception_ptr failure;
                    std::mutex failure_mutex;
                    for (std::size_t lo = chunk; lo < m; lo += chunk)
                        pool.emplace_back([&, lo] {
                            try {
                                fill(lo);
                            } catch (...) {
                                const std::lock_guard<std::mutex> lock(failure_mutex);
                                failure = std::current_exception();
                            }
                        });
                    fill(0);
                    for (auto& th : pool) th.join();
                    if (failure) std::rethrow_exception(failure);
                    py::gil_scoped_acquire acquire;
                    offroi::python::check_signals();
                }
            }
            return out;
        },
        py::arg("dists"), py::arg("n"), py::arg("correlation") = py::none(), py::arg("sampler") = "mc",
        py::arg("seed") = 0, py::arg("names") = std::vector<std::string>{}, py::arg("first_trial") = 0,
        py::arg("design_size") = py::none(), py::arg("dependence") = "gaussian_copula", py::arg("threads") = 0,
        "sample(dists, n, correlation=None, sampler='mc', seed=0, names=[], first_trial=0, design_size=None, "
        "dependence='gaussian_copula', threads=0) -> ndarray (n, len(dists)): draws of the inputs, rank-correlated "
        "by `correlation` (Spearman targets); trials [first_trial, first_trial + n) of a design of design_size "
        "(default n) trials. Same seed, same bits for any thread count.");

    m.def(
        "sobol_indices",
        [](py::object func, const std::vector<distribution>& dists, std::size_t n, std::vector<std::string> names,
           std::size_t bootstrap, double level, std::uint64_t seed, const std::string& sampling,
           std::size_t batch_rows) {
            offroi::sobol_options o;
            o.base_samples = n;
            o.bootstrap_resamples = bootstrap;
            o.confidence_level = level;
            o.seed = seed;
            o.names = default_names(dists.size(), names);
            o.batch_rows = batch_rows;
            o.threads = 1;  // the callable holds the GIL anyway
            if (sampling == "digital_shift") o.sampling = offroi::sobol_sampling::digital_shift;
            else if (sampling == "owen_scrambled") o.sampling = offroi::sobol_sampling::owen_scrambled;
            else if (sampling == "monte_carlo") o.sampling = offroi::sobol_sampling::monte_carlo;
            else
                throw offroi::invalid_argument("sobol_indices: sampling \"" + sampling +
                                               "\" is invalid; allowed: digital_shift, owen_scrambled, monte_carlo");
            const python_batch_model f{func};
            offroi::sobol_result r;
            {
                py::gil_scoped_release release;
                r = offroi::sobol_indices(f, dists, o);
            }
            return offroi::python::sobol_to_dict(r);
        },
        py::arg("func"), py::arg("dists"), py::arg("n"), py::arg("names") = std::vector<std::string>{},
        py::arg("bootstrap") = 200, py::arg("confidence_level") = 0.95, py::arg("seed") = 0,
        py::arg("sampling") = "digital_shift", py::arg("batch_rows") = 16384,
        "sobol_indices(func, dists, n, ...) -> dict: Sobol' first-order and total indices of a vectorised "
        "func(X (rows, d)) -> (rows,), with bootstrap standard errors and intervals (Saltelli/Jansen estimators).");

    m.def(
        "tornado",
        [](py::object func, const std::vector<distribution>& dists, std::vector<std::string> names, double lo,
           double hi, double base) {
            offroi::tornado_options o;
            o.names = default_names(dists.size(), names);
            o.low_probability = lo;
            o.high_probability = hi;
            o.base_probability = base;
            const python_batch_model f{func};
            offroi::tornado_result r;
            {
                py::gil_scoped_release release;
                r = offroi::tornado(f, dists, o);
            }
            return offroi::to_json(r).dump();
        },
        py::arg("func"), py::arg("dists"), py::arg("names") = std::vector<std::string>{}, py::arg("low") = 0.1,
        py::arg("high") = 0.9, py::arg("base") = 0.5,
        "tornado(func, dists, names=[], low=0.1, high=0.9, base=0.5) -> str (JSON): one-at-a-time swings of "
        "func as each input goes to its low and high quantile, the others at base.");

    m.def(
        "rank_sensitivity",
        [](py::array_t<double, py::array::f_style | py::array::forcecast> X,
           py::array_t<double, py::array::forcecast> y, std::vector<std::string> names) {
            if (X.ndim() != 2) throw offroi::invalid_argument("rank_sensitivity: X must be 2-D (n, d)");
            if (y.ndim() != 1) throw offroi::invalid_argument("rank_sensitivity: y must be 1-D (n,)");
            const auto n = X.shape(0), dim = X.shape(1);
            std::vector<std::span<const double>> cols;
            for (py::ssize_t j = 0; j < dim; ++j) cols.emplace_back(X.data() + j * n, std::size_t(n));
            names = default_names(std::size_t(dim), names);
            offroi::rank_sensitivity_result r;
            {
                py::gil_scoped_release release;
                r = offroi::rank_sensitivity(cols, std::span<const double>(y.data(), std::size_t(y.shape(0))), names);
            }
            py::dict out;
            out["names"] = r.names;
            out["spearman"] = r.spearman;
            out["srrc"] = r.srrc;
            out["prcc"] = r.prcc;
            out["srrc_r2"] = r.srrc_r2;
            out["src"] = r.src;
            out["src_r2"] = r.src_r2;
            out["contribution_to_variance"] = r.contribution_to_variance;
            out["samples"] = r.samples;
            return out;
        },
        py::arg("X"), py::arg("y"), py::arg("names") = std::vector<std::string>{},
        "rank_sensitivity(X (n, d), y (n,), names=[]) -> dict: Spearman rho, SRRC, PRCC, SRC and the share "
        "of variance of y attributed to each column of X, from the samples alone.");
}
