#pragma once
// Result structs as Python dicts of lists (the package turns them into DataFrames).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <utility>
#include <vector>

#include "offroi/error.hpp"
#include "offroi/sampling/sampling_method.hpp"
#include "offroi/sensitivity/sobol_indices.hpp"

namespace offroi::python {

/// A sampler's name as Python passes it ("mc"/"monte_carlo", "lhs"/"latin_hypercube", "sobol").
inline sampling_method parse_method(const std::string& s) {
    if (s == "mc" || s == "monte_carlo") return sampling_method::monte_carlo;
    if (s == "lhs" || s == "latin_hypercube") return sampling_method::latin_hypercube;
    if (s == "sobol") return sampling_method::sobol;
    throw invalid_argument("sampler: \"" + s + "\" is not a sampler; allowed: \"mc\", \"lhs\", \"sobol\"");
}

/// A sobol_result as a dict: names, first_order, total_order, their SEs and CIs (lists of
/// [lower, upper]; empty without bootstrap), mean, variance, base_samples, evaluations.
inline pybind11::dict sobol_to_dict(const sobol_result& r) {
    pybind11::dict d;
    d["names"] = r.names;
    d["first_order"] = r.first_order;
    d["total_order"] = r.total_order;
    d["first_order_se"] = r.first_order_se;
    d["total_order_se"] = r.total_order_se;
    std::vector<std::pair<double, double>> f, t;
    for (const auto& c : r.first_order_ci) f.emplace_back(c.lower, c.upper);
    for (const auto& c : r.total_order_ci) t.emplace_back(c.lower, c.upper);
    d["first_order_ci"] = f;
    d["total_order_ci"] = t;
    d["mean"] = r.mean;
    d["variance"] = r.variance;
    d["base_samples"] = r.base_samples;
    d["evaluations"] = r.evaluations;
    d["bootstrap_resamples"] = r.bootstrap_resamples;
    d["confidence_level"] = r.confidence_level;
    return d;
}

}  // namespace offroi::python
