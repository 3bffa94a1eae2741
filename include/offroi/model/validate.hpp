#pragma once
/// \file
/// `validate(scenario)`: rejects a scenario that cannot be simulated, before any trial runs,
/// with `offroi::invalid_scenario` whose message starts with the field path
/// (`alternatives[0].annual_attrition`, `horizon_months`, `correlations[1]`, ...), then the
/// bad value and what is allowed.

#include <cmath>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "offroi/distributions/distribution.hpp"
#include "offroi/error.hpp"
#include "offroi/model/arrangement.hpp"
#include "offroi/model/evaluate.hpp"
#include "offroi/model/limits.hpp"
#include "offroi/model/parameter_values.hpp"
#include "offroi/model/scenario.hpp"
#include "offroi/sampling/uniform_sampler.hpp"

namespace offroi {

namespace detail {

[[noreturn]] inline void throw_scenario(const std::string& path, const std::string& what,
                                        std::string_view allowed) {
    std::string msg = path + ": " + what + " is invalid; ";
    msg += allowed;
    throw invalid_scenario(msg);
}

/// The smallest and largest values a draw of `d` can take: its quantiles at the most
/// extreme uniforms a sampler hands out (2^-1074 after the copula's clamp, 1 - 2^-53 at the
/// top: model/limits.hpp), within the support. A lognormal's draws are positive and finite
/// although its support is [0, inf].
inline std::pair<double, double> drawable_range(const distribution& d) {
    const auto [lo, hi] = support(d);
    if (!(lo < hi)) return {lo, hi};
    return {std::max(lo, quantile(d, 0x1p-1074)), std::min(hi, quantile(d, limits::max_uniform))};
}

/// Whether a value a draw can take is allowed for field `f` ("must be > 0" fields store
/// 1e-9 as their lower bound, for constants; a draw only has to be positive).
template <class Values>
bool drawable_in_range(const field_descriptor<Values>& f, double x) {
    return in_range(f, x) || (f.lower == 1e-9 && x > 0.0 && x <= f.upper);
}

// Every value a draw of d can take must lie in the field's range (`drawable_range`): a
// lognormal cost is accepted when no draw of it can exceed the field's cap, a lognormal
// headcount because no draw reaches 0.
template <class Values>
void check_support(const std::string& path, const field_descriptor<Values>& f, const distribution& d) {
    const auto [lo, hi] = support(d);
    // Every draw lies in the support, and the finite values a field allows form an interval
    // ([lower, upper], or (0, upper] for the "> 0" fields): when both ends of a finite support
    // are allowed, so is every draw, and the extreme quantiles need not be computed (for a
    // PERT or beta input they are Boost's exact inverse deep in the tails, ~1 ms each).
    if (std::isfinite(lo) && std::isfinite(hi) && drawable_in_range(f, lo) && drawable_in_range(f, hi))
        return;
    const auto [lo_reach, hi_reach] = drawable_range(d);
    const bool lo_ok = drawable_in_range(f, lo_reach);
    const bool hi_ok = drawable_in_range(f, hi_reach);
    if (!lo_ok || !hi_ok) {
        const bool constant = lo == hi;
        std::string what;
        if (constant) {
            what = format_value(lo);
        } else {
            what = describe(d) + ", a distribution with support [" + format_value(lo) + ", " + format_value(hi) + "]";
            if (!lo_ok && lo_reach != lo) what += " whose draws reach down to " + format_value(lo_reach);
            else if (!hi_ok && hi_reach != hi) what += " whose draws reach up to " + format_value(hi_reach);
            else if (!hi_ok && hi == infinity_v) what += " whose draws reach up to inf";
            what += ",";
        }
        std::string allowed(f.allowed);
        if (!constant) allowed += " (for every value a draw can take)";
        throw_scenario(path, what, allowed);
    }
}

inline void check_arrangement(const std::string& path, const arrangement& a) {
    if (a.name.empty() || a.name.find('.') != std::string::npos)
        throw_scenario(path + ".name", "\"" + a.name + "\"",
                       "must be non-empty and contain no '.' (it prefixes input names)");
    for (std::size_t i = 0; i < arrangement_fields.size(); ++i)
        check_support(path + "." + std::string(arrangement_fields[i].name), arrangement_fields[i],
                      a.*(arrangement_members[i]));
}

// The market band must be a band: its dearest tier above its cheapest over the supports.
inline void check_market_band(const std::string& path, const arrangement& a) {
    const double low_max = support(a.market_rate_low_usd).second;
    const double high_min = support(a.market_rate_high_usd).first;
    if (!(high_min > low_max))
        throw_scenario(path + ".market_rate_high_usd", format_value(high_min),
                       "must exceed market_rate_low_usd (" + format_value(low_max) +
                           ") over both supports: the band runs from the cheapest to the dearest tier");
}

inline void check_contract(const std::string& path, const arrangement& a, framing f) {
    if (a.contract == contract_type::fixed_price && f == framing::capacity)
        throw_scenario(path + ".contract", "\"fixed_price\"",
                       "a fixed price needs a scope to price: use framing \"project\", or contract "
                       "\"time_and_materials\" or \"staff_augmentation\" for an ongoing team");
}

}  // namespace detail

/// All input names of a scenario, in sampler order: the scenario-level fields, then
/// "<arrangement>.<field>" for the baseline and each alternative.
inline std::vector<std::string> input_names(const scenario& s) {
    std::vector<std::string> names;
    for (const auto& f : scenario_fields) names.emplace_back(f.name);
    auto add = [&](const arrangement& a) {
        for (const auto& f : arrangement_fields) names.push_back(a.name + "." + std::string(f.name));
    };
    add(s.baseline);
    for (const auto& a : s.alternatives) add(a);
    return names;
}

/// Checks a scenario.
/// \throws invalid_scenario naming the field path, the value and what is allowed: horizon
///   and discount rate out of range; no alternatives, or more than `limits::max_alternatives`;
///   more than `limits::max_correlations` correlations; trials above `limits::max_trials`; empty, dotted or duplicate
///   arrangement names; a parameter whose distribution reaches outside its allowed range
///   (e.g. an attrition above 0.999, a negative rate, a probability above 1); zero trials;
///   a correlation naming an unknown input, an input with itself, |rho| > 1, or a set of
///   correlations that is not positive semi-definite.
inline void validate(const scenario& s) {
    using detail::throw_scenario;
    if (s.horizon_months < 1 || s.horizon_months > max_horizon_months)
        throw_scenario("horizon_months", std::to_string(s.horizon_months),
                       "must be an integer in [1, 600]");
    if (!std::isfinite(s.annual_discount_rate) || !(s.annual_discount_rate > -0.5) ||
        s.annual_discount_rate > 10.0)
        throw_scenario("annual_discount_rate", detail::format_value(s.annual_discount_rate),
                       "must be in (-0.5, 10]");
    if (s.simulation.trials < 1)
        throw_scenario("simulation.trials", "0", "must be >= 1");
    if (s.simulation.trials > limits::max_trials)
        throw_scenario("simulation.trials", std::to_string(s.simulation.trials),
                       "must be an integer in [2, 1000000000] (the limit of trials)");
    if (s.alternatives.empty())
        throw_scenario("alternatives", "an empty list",
                       "a scenario compares at least one arrangement with the baseline");
    if (s.alternatives.size() > limits::max_alternatives)
        throw_scenario("alternatives", "a list of " + std::to_string(s.alternatives.size()) + " arrangements",
                       "a scenario compares at most " + std::to_string(limits::max_alternatives) +
                           " arrangements with the baseline (the limit of alternatives)");
    if (s.correlations.size() > limits::max_correlations)
        throw_scenario("correlations", "a list of " + std::to_string(s.correlations.size()) + " correlations",
                       "a scenario has at most " + std::to_string(limits::max_correlations) +
                           " correlations (the limit of correlations)");
    for (std::size_t i = 0; i < scenario_fields.size(); ++i)
        detail::check_support(std::string(scenario_fields[i].name), scenario_fields[i],
                              s.*(scenario_members[i]));
    detail::check_arrangement("baseline", s.baseline);
    detail::check_contract("baseline", s.baseline, s.frame);
    detail::check_market_band("baseline", s.baseline);
    std::set<std::string, std::less<>> names = {s.baseline.name};
    for (std::size_t i = 0; i < s.alternatives.size(); ++i) {
        const std::string path = "alternatives[" + std::to_string(i) + "]";
        detail::check_arrangement(path, s.alternatives[i]);
        detail::check_contract(path, s.alternatives[i], s.frame);
        detail::check_market_band(path, s.alternatives[i]);
        if (!names.insert(s.alternatives[i].name).second)
            throw_scenario(path + ".name", "\"" + s.alternatives[i].name + "\"",
                           "must be unique among the arrangements");
    }
    const std::vector<std::string> all = input_names(s);
    const std::set<std::string, std::less<>> known(all.begin(), all.end());
    for (std::size_t i = 0; i < s.correlations.size(); ++i) {
        const auto& c = s.correlations[i];
        const std::string path = "correlations[" + std::to_string(i) + "]";
        for (const std::string* n : {&c.a, &c.b})
            if (!known.count(*n))
                throw_scenario(path + (n == &c.a ? ".a" : ".b"), "\"" + *n + "\"",
                               "must name an input: a scenario field (" +
                                   detail::field_list(scenario_fields) +
                                   ") or \"<arrangement>.<field>\"");
        if (c.a == c.b) throw_scenario(path, "\"" + c.a + "\" with itself", "must name two inputs");
        if (!(c.spearman >= -1.0 && c.spearman <= 1.0))
            throw_scenario(path + ".spearman", detail::format_value(c.spearman), "must be in [-1, 1]");
    }
    if (!s.correlations.empty()) {
        sampling_options o;
        o.correlations = s.correlations;
        o.dependence = s.simulation.dependence;
        try {
            uniform_sampler check(all, o);
        } catch (const invalid_argument& e) {
            throw invalid_scenario(std::string("correlations: ") + e.what());
        }
    }
}

}  // namespace offroi
