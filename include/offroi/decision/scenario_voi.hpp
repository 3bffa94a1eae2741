#pragma once
/// \file
/// Value of information of a scenario: what it would be worth to know the uncertain inputs
/// before choosing among the baseline and the alternatives.
///  - `scenario_voi`: one run (`run_scenario` recording every trial's inputs and outputs,
///    driver_trials = trials); the options are the baseline (net benefit 0 in every trial) and
///    each alternative (its output "<alternative>.net_benefit"). Reports the decision summary
///    (P(best), expected loss, EVPI; value_of_information.hpp), the EVPPI of every sampled
///    input (sorted, largest first) and of groups: the user's named groups and, automatically,
///    one group per arrangement ("<arrangement>.*": every sampled input of that arrangement)
///    and one of the shared scenario-level inputs.
///  - `scenario_decision_curve`: acceptability and EVPI curves (decision_curves.hpp) over
///    (a) the cost of delay per month c (project framing): the net benefit is linear in c,
///        NB = (spend_b - spend_a) + c (M_b - M_a) with M the discounted months of delay
///        (docs/model.md 4.4-4.5: Delay = sum_t d_t alpha_t c_D, the run-on D c_D A(v, k) and
///        the counterfactual's Delay^f likewise; c never changes when delivery happens), so
///        per trial b = delivery_value / c_i (c_i the trial's drawn cost of delay, or the
///        constant) and a = NB - delivery_value; at threshold l the NB is a + l b. The
///        capacity framing has no cost of delay and is refused.
///    (b) a required saving l: an alternative is chosen only if its NB exceeds l, so
///        NB_alt(l) = NB_alt - l and the baseline stays 0.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "offroi/analysis/scenario_run.hpp"
#include "offroi/decision/decision_curves.hpp"
#include "offroi/decision/value_of_information.hpp"
#include "offroi/detail/checks.hpp"
#include "offroi/distributions/distribution.hpp"
#include "offroi/error.hpp"
#include "offroi/model/scenario.hpp"

namespace offroi {

/// A named group of sampled inputs whose joint EVPPI is wanted.
struct input_group {
    std::string name;  ///< label, e.g. "vendor quality"
    /// Sampled input names, e.g. "offshore_team.annual_attrition"; an entry ending in '*'
    /// stands for every sampled input starting with what precedes it ("offshore_team.*";
    /// "*": all of them -- a large group is slow: 52 inputs at 10^5 trials ~ 5 s of CPU).
    std::vector<std::string> inputs;
};

/// Settings of `scenario_voi` and of the run behind `scenario_decision_curve`.
struct scenario_voi_options {
    std::uint64_t trials = 0;            ///< trials (0: the scenario's), all recorded; >= 10
    std::optional<std::uint64_t> seed;   ///< the seed (default: the scenario's)
    unsigned threads = 0;                ///< worker threads (0 = all); never changes results
    bool each_input = true;              ///< the EVPPI of every sampled input
    std::vector<input_group> groups;     ///< named groups (EVPPI of each, jointly)
    bool arrangement_groups = true;      ///< add "<arrangement>.*" and the shared-inputs group
    /// A required saving s (USD, finite): an alternative is worth choosing only by what its
    /// net benefit exceeds s, so every alternative's NB is taken as NB - s (the baseline stays
    /// 0). 0: the plain comparison. A close call (s near the best expected NB) is where
    /// information about single inputs starts to pay.
    double required_saving = 0.0;
    evppi_options evppi;                 ///< regression settings
};

/// The EVPPI of one input or group.
struct voi_entry {
    std::string name;                 ///< the input's name, or the group's
    std::vector<std::string> inputs;  ///< the inputs it covers (one for a single input)
    evppi_result evppi;               ///< value, SE, method, R^2
};

/// The value of information of a scenario's decision.
struct scenario_voi_result {
    std::string scenario_name;             ///< the scenario's name
    std::uint64_t trials = 0;              ///< trials run (all recorded)
    std::uint64_t seed = 0;                ///< seed used
    std::vector<std::string> options;      ///< baseline first, then the alternatives
    double required_saving = 0.0;          ///< subtracted from every alternative's NB
    decision_summary_result decision;      ///< expected NB, P(best), expected loss, EVPI
    std::vector<voi_entry> inputs;         ///< every sampled input, by decreasing EVPPI
    std::vector<voi_entry> groups;         ///< the user's groups (as given), then the automatic ones
};

/// Which threshold a scenario's decision curve is over.
enum class voi_threshold {
    cost_of_delay,    ///< cost of delay per month, USD (project framing)
    required_saving   ///< the net benefit an alternative must exceed to be chosen, USD
};

/// The options' per-trial net benefits of a recorded run: [baseline zeros, alternatives...].
/// \throws invalid_argument if the run recorded nothing or not every trial.
inline std::vector<std::vector<double>> scenario_net_benefits(const scenario_run& r, std::vector<std::string>* names = nullptr) {
    if (r.output_samples.empty())
        throw invalid_argument("offroi::scenario_net_benefits: the run recorded no trials; run it with "
                               "run_request::driver_trials = trials");
    const std::size_t n = r.output_samples[0].size();
    std::vector<std::vector<double>> nb;
    if (names) names->clear();
    for (const auto& a : r.result.arrangements) {
        if (a.is_baseline) {
            nb.insert(nb.begin(), std::vector<double>(n, 0.0));
            if (names) names->insert(names->begin(), a.name);
        } else {
            const auto& col = r.output_samples[r.result.run.index_of(a.name + ".net_benefit")];
            nb.emplace_back(col.begin(), col.end());
            if (names) names->push_back(a.name);
        }
    }
    return nb;
}

namespace detail::voi {

inline scenario_run record_all(const scenario& s, const scenario_voi_options& o, const char* fn) {
    const std::uint64_t trials = o.trials ? o.trials : s.simulation.trials;
    if (trials < 10)
        throw_invalid(fn, "trials", double(trials), "must be >= 10 (every trial is recorded for the regression)");
    run_request req;
    req.trials = trials;
    req.seed = o.seed;
    req.threads = o.threads;
    req.samples = sample_policy::never;  // the recorded columns are all that is needed
    req.driver_trials = trials;
    return run_scenario(s, req);
}

inline std::size_t input_index(const scenario_run& r, const std::string& name, const std::string& field, const char* fn) {
    for (std::size_t j = 0; j < r.input_names.size(); ++j)
        if (r.input_names[j] == name) return j;
    std::string msg = std::string(fn) + ": " + field + " = \"" + name + "\" is invalid; must be a sampled input (";
    for (std::size_t j = 0; j < r.input_names.size(); ++j) msg += (j ? ", " : "") + r.input_names[j];
    msg += "); a constant input has no uncertainty to resolve";
    throw invalid_argument(msg);
}

}  // namespace detail::voi

/// EVPI, decision summary and EVPPI of inputs and groups from a run that recorded every
/// trial (`run_request::driver_trials` = trials; see the file comment), with every
/// alternative's NB reduced by `o.required_saving`. `o.trials`, `seed` are ignored here (the
/// run's are used).
/// \throws invalid_argument if the run recorded nothing, has no alternative, or a group is
///         empty or names an input that is not sampled (the message lists the sampled ones).
inline scenario_voi_result scenario_voi(const scenario_run& r, const scenario_voi_options& o = {}) {
    static constexpr const char* fn = "offroi::scenario_voi";
    scenario_voi_result res;
    res.scenario_name = r.result.scenario_name;
    res.seed = r.result.seed;
    auto nbv = scenario_net_benefits(r, &res.options);
    if (res.options.size() < 2) throw invalid_argument(std::string(fn) + ": the scenario has no alternative arrangement");
    detail::check_finite(fn, "required_saving", o.required_saving);
    res.required_saving = o.required_saving;
    if (o.required_saving != 0.0)
        for (std::size_t d = 1; d < nbv.size(); ++d)
            for (double& v : nbv[d]) v -= o.required_saving;
    res.trials = nbv[0].size();
    if (res.trials != r.result.run.trials())
        detail::throw_invalid(fn, "recorded trials", double(res.trials),
                              "must equal the trials run, " + std::to_string(r.result.run.trials()) +
                                  " (set run_request::driver_trials = trials)");
    const auto nbs = column_spans(nbv);
    const sample_columns nb(nbs);
    res.decision = decision_summary(nb);
    const std::size_t g = r.input_names.size();
    // Groups: the user's, then one per arrangement and the shared inputs.
    std::vector<input_group> groups = o.groups;
    for (std::size_t k = 0; k < groups.size(); ++k) {
        const std::string f = "groups[" + std::to_string(k) + "]";
        if (groups[k].name.empty()) throw invalid_argument(std::string(fn) + ": " + f + ".name is empty; give the group a name");
        if (groups[k].inputs.empty())
            throw invalid_argument(std::string(fn) + ": " + f + " (\"" + groups[k].name + "\") has no inputs; list at least one");
        std::vector<std::string> expanded;
        for (std::size_t j = 0; j < groups[k].inputs.size(); ++j) {
            const std::string& e = groups[k].inputs[j];
            const std::string field = f + ".inputs[" + std::to_string(j) + "]";
            if (!e.empty() && e.back() == '*') {
                const std::string prefix = e.substr(0, e.size() - 1);
                std::size_t matched = 0;
                for (const auto& name : r.input_names)
                    if (name.rfind(prefix, 0) == 0) {
                        ++matched;
                        if (std::find(expanded.begin(), expanded.end(), name) == expanded.end()) expanded.push_back(name);
                    }
                if (matched == 0)
                    throw invalid_argument(std::string(fn) + ": " + field + " = \"" + e +
                                           "\" is invalid; it matches no sampled input");
            } else {
                detail::voi::input_index(r, e, field, fn);
                if (std::find(expanded.begin(), expanded.end(), e) == expanded.end()) expanded.push_back(e);
            }
        }
        groups[k].inputs = std::move(expanded);
    }
    if (o.arrangement_groups) {
        input_group shared{"shared (scenario-level) inputs", {}};
        for (const auto& name : r.input_names)
            if (name.find('.') == std::string::npos) shared.inputs.push_back(name);
        if (!shared.inputs.empty()) groups.push_back(shared);
        for (const auto& a : r.result.arrangements) {
            input_group grp{a.name + ".*", {}};
            for (const auto& name : r.input_names)
                if (name.rfind(a.name + ".", 0) == 0) grp.inputs.push_back(name);
            if (!grp.inputs.empty()) groups.push_back(grp);
        }
    }
    std::vector<std::span<const double>> cols;
    for (const auto& c : r.input_samples) cols.emplace_back(c);
    if (o.each_input && g > 0) {
        // An alternative's own input reaches only that alternative's net benefit (the model
        // evaluates each arrangement from the shared inputs, the baseline's and its own): one
        // regression per input, so the cost grows linearly with the alternatives.
        std::vector<evppi_result> each(g);
        evppi_options one = o.evppi;
        one.regression.threads = 1;
        detail::voi::parallel_for(g, o.threads, [&](std::size_t j) {
            evppi_options oj = one;
            const std::string& name = r.input_names[j];
            for (std::size_t d = 1; d < res.options.size(); ++d)
                if (name.rfind(res.options[d] + ".", 0) == 0) oj.reached = {d};
            each[j] = evppi(nb, cols[j], oj);
        });
        std::vector<std::size_t> order(g);
        for (std::size_t j = 0; j < g; ++j) order[j] = j;
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return each[a].value > each[b].value; });
        for (std::size_t j : order) res.inputs.push_back({r.input_names[j], {r.input_names[j]}, each[j]});
    }
    evppi_options go = o.evppi;
    go.regression.threads = o.threads;
    for (const auto& grp : groups) {
        std::vector<std::span<const double>> gc;
        for (const auto& name : grp.inputs) gc.push_back(cols[detail::voi::input_index(r, name, "input", fn)]);
        // A group of one alternative's inputs reaches only that alternative (as above).
        evppi_options og = go;
        for (std::size_t d = 1; d < res.options.size(); ++d)
            if (std::all_of(grp.inputs.begin(), grp.inputs.end(),
                            [&](const std::string& n) { return n.rfind(res.options[d] + ".", 0) == 0; }))
                og.reached = {d};
        res.groups.push_back({grp.name, grp.inputs, evppi(nb, sample_columns(gc), og)});
    }
    return res;
}

/// Runs `s` recording every trial (o.trials, o.seed, o.threads) and returns `scenario_voi`
/// of that run.
/// \throws invalid_scenario if `s` is invalid; invalid_argument as the run overload, or for
///         trials < 10.
inline scenario_voi_result scenario_voi(const scenario& s, const scenario_voi_options& o = {}) {
    return scenario_voi(detail::voi::record_all(s, o, "offroi::scenario_voi"), o);
}

/// The per-trial coefficients (a, b) of NB_d(l) = a_d + l b_d for threshold `t` (file
/// comment), options baseline first. `s` is the scenario the run `r` ran (for the framing and
/// a constant cost of delay); the run must not scale the cost of delay.
/// \throws invalid_argument for the capacity framing (cost of delay), a run that recorded
///         nothing, or a trial whose cost of delay is 0 (its delay months cannot be
///         recovered from the delivery value; rerun with a positive cost of delay).
inline std::pair<std::vector<std::vector<double>>, std::vector<std::vector<double>>> scenario_threshold_coefficients(
    const scenario& s, const scenario_run& r, voi_threshold t) {
    static constexpr const char* fn = "offroi::scenario_decision_curve";
    auto a = scenario_net_benefits(r);
    const std::size_t D = a.size(), n = a[0].size();
    std::vector<std::vector<double>> b(D, std::vector<double>(n, 0.0));
    if (t == voi_threshold::required_saving) {
        for (std::size_t d = 1; d < D; ++d) std::fill(b[d].begin(), b[d].end(), -1.0);
        return {std::move(a), std::move(b)};
    }
    if (s.frame == framing::capacity)
        throw invalid_argument(std::string(fn) +
                               ": a cost-of-delay curve needs the project framing; this scenario uses the capacity "
                               "framing, which has no backlog and no cost of delay (use the required-saving curve)");
    const std::string cod_name = "cost_of_delay_per_month_usd";
    const auto it = std::find(r.input_names.begin(), r.input_names.end(), cod_name);
    const recorded_column* cod_col = nullptr;
    if (it != r.input_names.end()) cod_col = &r.input_samples[std::size_t(it - r.input_names.begin())];
    const double cod_const = cod_col ? 0.0 : mean(s.cost_of_delay_per_month_usd);
    std::size_t alt = 0;
    for (const auto& arr : r.result.arrangements) {
        if (arr.is_baseline) continue;
        ++alt;
        const auto& dv = r.output_samples[r.result.run.index_of(arr.name + ".delivery_value")];
        for (std::size_t i = 0; i < n; ++i) {
            const double c = cod_col ? (*cod_col)[i] : cod_const;
            if (!(c > 0.0))
                detail::throw_invalid(fn, "cost_of_delay_per_month_usd (trial " + std::to_string(i) + ")", c,
                                      "must be > 0 for a cost-of-delay curve (the months of delay saved are "
                                      "delivery_value / cost of delay)");
            b[alt][i] = dv[i] / c;
            a[alt][i] -= dv[i];
        }
    }
    return {std::move(a), std::move(b)};
}

/// Acceptability and EVPI curves of a recorded run over threshold `t` at `lambda`.
/// \throws as `scenario_threshold_coefficients` and `decision_curves`.
inline decision_curve scenario_decision_curve(const scenario& s, const scenario_run& r, voi_threshold t,
                                              std::span<const double> lambda) {
    const auto [a, b] = scenario_threshold_coefficients(s, r, t);
    return decision_curves(a, b, lambda);
}

/// Runs `s` recording every trial (o.trials, o.seed, o.threads) and returns its curves.
inline decision_curve scenario_decision_curve(const scenario& s, voi_threshold t, std::span<const double> lambda,
                                              const scenario_voi_options& o = {}) {
    return scenario_decision_curve(s, detail::voi::record_all(s, o, "offroi::scenario_decision_curve"), t, lambda);
}

}  // namespace offroi
