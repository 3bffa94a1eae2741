#pragma once
/// \file
/// Learning from data at the scenario level: observations after N months (measured inputs,
/// attrition counts, measured outputs; decision/observations.hpp) update a scenario's
/// forecast. `update_scenario` returns, per arrangement, the updated net benefit (P10, P50,
/// P90, mean with its standard error, P(loss), expected shortfall), P(delivered), P(break-even
/// within the horizon) and the break-even month's median side by side with the prior ones,
/// the updated drivers, the PSIS diagnostics (k-hat, ESS) and which method was used.
///
/// Method.
///  1. Reweighting (Bayes by importance sampling, the prior as proposal): K trials of the
///     scenario are run, recording every sampled input and the outputs needed; each trial s
///     gets log-weight lw_s = sum of the observations' log-likelihoods at its values; PSIS
///     (decision/importance_weights.hpp) smooths the weights and gives k-hat and the ESS. The
///     weighted trials are draws from the posterior: exact up to Monte Carlo error, dependence
///     between inputs included. Accepted when k-hat <= min(1 - 1/log10 K, 0.7) and ESS >=
///     `min_ess`.
///  2. Fallback when the weights degenerate (an observation much sharper than the prior: few
///     prior draws land where the likelihood is, e.g. an exact value):
///     a) observations of inputs: each observed input's posterior marginal is computed in one
///        dimension from its prior marginal and its own observations' likelihood
///        (decision/posterior_marginal.hpp: a fine grid of the prior's quantiles, tabulated
///        as an empirical distribution), and the scenario is re-run with those marginals in
///        place of the priors, the copula (rank correlations) kept; then what is left --
///        observations of outputs, and the copula correction below -- is applied by
///        reweighting the re-run's trials (PSIS again).
///        Copula correction: the re-run draws the inputs from c_R(z_q) g(theta), g the product
///        of marginals with the posterior ones in place, z_q their normal scores; the posterior
///        is proportional to c_R(z_p) f(theta) L(theta), z_p the normal scores under the prior
///        marginals. Since g_j is proportional to f_j L_j, the ratio is c_R(z_p) / c_R(z_q) =
///        exp(-z_p'(R^-1 - I) z_p / 2 + z_q'(R^-1 - I) z_q / 2), R the copula's Pearson matrix
///        of the normal scores (2 sin(pi rho_s / 6)). With these weights the update is exact
///        (up to Monte Carlo and grid error) for a Gaussian-copula scenario. Without them --
///        Iman-Conover dependence, or a correlation matrix that is singular -- the result is
///        approximate in exactly one respect: the copula's conditional structure is not
///        updated, so an input rank-correlated with an observed one keeps its prior marginal
///        instead of shifting with what was observed, and the observed inputs' posteriors
///        ignore what their correlated partners imply. With no correlation involving an
///        observed input, the correction is 1 and nothing is approximate.
///     b) observations of outputs only (or what still degenerates after a): more trials. The
///        likelihood weights are bounded (a normal density is at most its peak), so the true
///        Pareto k of the weights is <= 0 and a large k-hat only says that too few draws land
///        where the likelihood is; K is raised (to max(2K, 1.25 K min_ess / ESS), at most
///        `max_trials`) until the ESS target is met, or the result says it could not be.
///  Everything runs on the scenario's seed: the same inputs give the same bits for any thread
///  count.

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <numbers>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "offroi/analysis/scenario_model.hpp"
#include "offroi/analysis/scenario_run.hpp"
#include "offroi/decision/importance_weights.hpp"
#include "offroi/decision/observations.hpp"
#include "offroi/decision/posterior_marginal.hpp"
#include "offroi/distributions/detail/normal_math.hpp"
#include "offroi/engine/run.hpp"
#include "offroi/error.hpp"
#include "offroi/model/roi_model.hpp"
#include "offroi/model/scenario.hpp"
#include "offroi/model/validate.hpp"
#include "offroi/sensitivity/weighted_rank_sensitivity.hpp"
#include "offroi/stats/weighted_statistics.hpp"

namespace offroi {

/// When `update_scenario` uses its fallback.
enum class update_fallback {
    automatic,  ///< when the reweighted prior trials fail the k-hat or ESS check
    never,      ///< never: report the reweighting with its diagnostics, even if unreliable
    always,     ///< always refit observed inputs (for checks); outputs-only: as automatic
};

/// How the update was computed.
enum class update_method {
    reweighting,         ///< PSIS reweighting of the prior trials
    more_trials,         ///< reweighting of more prior trials (outputs observed only)
    refit_resimulation,  ///< observed inputs' marginals refitted, scenario re-run, the rest reweighted
};

/// Settings of `update_scenario`.
struct update_options {
    std::uint64_t trials = 50000;        ///< K, prior trials (>= 100)
    std::optional<std::uint64_t> seed;   ///< the runs' seed (default: the scenario's)
    unsigned threads = 0;                ///< worker threads, 0 = all; never changes results
    double min_ess = 1000.0;             ///< ESS target, > 0
    update_fallback fallback = update_fallback::automatic;  ///< when to use the fallback
    std::uint64_t max_trials = 200000;   ///< cap on K when more trials are run (>= trials); memory ~ 8 (inputs + 5 per arrangement) bytes per trial
    posterior_marginal_options grid;     ///< grid of the refitted marginals
    double shortfall_alpha = 0.05;       ///< tail mass of the expected shortfall
    /// The arrangements reported (empty: all, baseline first). Unknown names are an error.
    std::vector<std::string> arrangements;
};

/// PSIS diagnostics of one set of weights.
struct weight_diagnostics {
    std::uint64_t trials = 0;  ///< K, trials weighted
    double k_hat = 0.0;        ///< Pareto k-hat of the weights
    double k_threshold = 0.7;  ///< min(1 - 1/log10 K, 0.7)
    double ess = 0.0;          ///< Kish ESS of the smoothed weights
    double raw_ess = 0.0;      ///< Kish ESS of the raw weights (before smoothing)
    psis_tail tail = psis_tail::fitted;  ///< what PSIS did with the tail
    bool reliable = false;     ///< k-hat <= threshold and ESS >= the target
};

/// Prior and updated summaries of one arrangement.
struct arrangement_update {
    std::string name;                     ///< the arrangement
    bool is_baseline = false;             ///< true for the baseline (net benefit 0 by definition)
    weighted_summary prior;               ///< net benefit under the prior (alternatives)
    weighted_summary updated;             ///< net benefit after the observations (alternatives)
    probability_estimate prior_delivered;     ///< P(delivered within the horizon), prior
    probability_estimate updated_delivered;   ///< the same, updated
    probability_estimate prior_breakeven;     ///< P(break-even within the horizon), prior (alternatives)
    probability_estimate updated_breakeven;   ///< the same, updated
    double prior_breakeven_p50 = 0.0;     ///< median break-even month, prior (never_month when never)
    double updated_breakeven_p50 = 0.0;   ///< the same, updated
    weighted_rank_sensitivity_result prior_drivers;    ///< rank drivers of the net benefit, prior
    weighted_rank_sensitivity_result updated_drivers;  ///< the same under the updated weights
    std::vector<std::size_t> prior_order;    ///< inputs by decreasing |prior SRRC|
    std::vector<std::size_t> updated_order;  ///< inputs by decreasing |updated SRRC|
};

/// Prior and updated distribution of an observed quantity.
struct observed_quantity {
    std::string name;         ///< the input or output
    std::string kind;         ///< "input" or "output"
    std::string observation;  ///< what was observed, in words
    double prior_mean = 0;    ///< prior mean
    double prior_sd = 0;      ///< prior standard deviation
    double prior_p10 = 0;     ///< prior 10th percentile
    double prior_p50 = 0;     ///< prior median
    double prior_p90 = 0;     ///< prior 90th percentile
    double updated_mean = 0;  ///< updated mean
    double updated_sd = 0;    ///< updated standard deviation
    double updated_p10 = 0;   ///< updated 10th percentile
    double updated_p50 = 0;   ///< updated median
    double updated_p90 = 0;   ///< updated 90th percentile
};

/// The result of `update_scenario`.
struct scenario_update_result {
    update_method method = update_method::reweighting;  ///< how the update was computed
    bool reliable = false;                ///< the final weights pass the k-hat and ESS checks
    weight_diagnostics prior_reweighting; ///< diagnostics of reweighting the prior trials
    weight_diagnostics diagnostics;       ///< diagnostics of the final weights
    std::vector<std::string> refitted_inputs;  ///< inputs whose marginals were refitted (fallback a)
    bool copula_corrected = false;        ///< whether copula-correction weights were applied
    std::vector<arrangement_update> arrangements;  ///< per arrangement, prior vs updated
    std::vector<observed_quantity> observed;       ///< the observed quantities, prior vs updated
    std::vector<std::string> notes;       ///< what was done and what is approximate, in words
    std::vector<std::string> input_names;            ///< the final trials' sampled inputs
    std::vector<std::vector<double>> input_samples;  ///< their values, [input][trial]
    std::vector<std::string> output_names;           ///< the recorded outputs
    std::vector<std::vector<double>> output_samples; ///< their values, [output][trial]
    std::vector<double> weights;          ///< normalised final weights, one per final trial
};

/// Name of an update method: "reweighting", "more_trials", "refit_resimulation".
inline const char* to_string(update_method m) {
    switch (m) {
        case update_method::reweighting: return "reweighting";
        case update_method::more_trials: return "more_trials";
        case update_method::refit_resimulation: return "refit_resimulation";
    }
    return "?";
}

namespace detail {

/// Levenshtein distance (for "did you mean").
inline std::size_t name_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    std::iota(prev.begin(), prev.end(), std::size_t{0});
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

/// " did you mean \"x\"?" for the closest candidate within a small distance, else "".
inline std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
    std::size_t best = std::numeric_limits<std::size_t>::max();
    const std::string* pick = nullptr;
    for (const auto& c : candidates) {
        const std::size_t d = name_distance(name, c);
        if (d < best) best = d, pick = &c;
    }
    if (pick && best <= std::max<std::size_t>(2, name.size() / 5)) return " did you mean \"" + *pick + "\"?";
    return "";
}

inline std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
}

/// Observations resolved against a scenario: input columns and output names.
struct resolved_observations {
    struct input_obs {
        std::size_t column;  // sampled input column
        std::string name;
        std::vector<input_measurement> measurements;
        std::vector<attrition_count> counts;
    };
    std::vector<input_obs> inputs;            // one entry per observed input
    std::vector<output_measurement> outputs;  // as given
    std::vector<std::string> output_names;    // unique observed outputs
};

inline resolved_observations resolve(const scenario& s, const scenario_model_parts& parts, const observations& obs) {
    constexpr const char* fn = "update_scenario";
    resolved_observations r;
    auto column_of = [&](const std::string& what, const std::string& name) -> std::size_t {
        for (std::size_t j = 0; j < parts.input_names.size(); ++j)
            if (parts.input_names[j] == name) return j;
        bool known = true;
        try {
            (void)s.get(name);
        } catch (const invalid_argument&) {
            known = false;
        }
        if (known) {
            const auto [lo, hi] = support(s.get(name));
            (void)hi;
            throw invalid_argument(std::string(fn) + ": " + what + " = \"" + name + "\" is constant (" +
                                   detail::format_value(lo) + ") in this scenario, so an observation cannot change it; give it "
                                   "a distribution to learn about it. Sampled inputs: " + join(parts.input_names));
        }
        std::vector<std::string> all = parts.input_names;
        for (const auto& f : scenario_fields) all.emplace_back(f.name);
        for (const auto& a : parts.names)
            for (const auto& f : arrangement_fields) all.push_back(a + "." + std::string(f.name));
        throw invalid_argument(std::string(fn) + ": " + what + " = \"" + name + "\" is not an input of the scenario;" +
                               did_you_mean(name, all) + " Sampled inputs: " + join(parts.input_names));
    };
    auto entry = [&](std::size_t col) -> resolved_observations::input_obs& {
        for (auto& e : r.inputs)
            if (e.column == col) return e;
        r.inputs.push_back({col, parts.input_names[col], {}, {}});
        return r.inputs.back();
    };
    for (std::size_t i = 0; i < obs.inputs.size(); ++i) {
        const std::string what = "observations.inputs[" + std::to_string(i) + "]";
        check_measurement(fn, what, obs.inputs[i].value, obs.inputs[i].sd);
        entry(column_of(what + ".input", obs.inputs[i].input)).measurements.push_back(obs.inputs[i]);
    }
    for (std::size_t i = 0; i < obs.attrition.size(); ++i) {
        const std::string what = "observations.attrition[" + std::to_string(i) + "]";
        attrition_count c = obs.attrition[i];
        check_count(fn, what, c);
        if (c.arrangement.empty()) {
            if (s.alternatives.empty()) throw invalid_argument(std::string(fn) + ": " + what + " names no arrangement");
            c.arrangement = s.alternatives.front().name;
        }
        if (std::find(parts.names.begin(), parts.names.end(), c.arrangement) == parts.names.end())
            throw invalid_argument(std::string(fn) + ": " + what + ".arrangement = \"" + c.arrangement +
                                   "\" is not an arrangement of the scenario;" + did_you_mean(c.arrangement, parts.names) +
                                   " Arrangements: " + join(parts.names));
        entry(column_of(what + ".arrangement", c.arrangement + ".annual_attrition")).counts.push_back(c);
    }
    std::vector<std::string> outputs;
    for (const auto& a : parts.names)
        for (const auto& f : outcome_fields) outputs.push_back(a + "." + std::string(f.name));
    for (std::size_t i = 0; i < obs.outputs.size(); ++i) {
        const std::string what = "observations.outputs[" + std::to_string(i) + "]";
        const auto& o = obs.outputs[i];
        check_measurement(fn, what, o.value, o.sd);
        if (std::find(outputs.begin(), outputs.end(), o.output) == outputs.end())
            throw invalid_argument(std::string(fn) + ": " + what + ".output = \"" + o.output +
                                   "\" is not an output of the scenario;" + did_you_mean(o.output, outputs) +
                                   " Outputs are \"<arrangement>.<field>\" with arrangements " + join(parts.names) +
                                   " and the fields of docs/model.md (rework_share, coordination_penalty, ...)");
        r.outputs.push_back(o);
        if (std::find(r.output_names.begin(), r.output_names.end(), o.output) == r.output_names.end())
            r.output_names.push_back(o.output);
    }
    return r;
}

/// The inputs and chosen outputs of trials [0, K) of a scenario.
struct trial_record {
    std::vector<std::string> input_names;
    std::vector<distribution> input_distributions;
    std::vector<recorded_column> inputs;
    std::vector<std::string> output_names;
    std::vector<recorded_column> outputs;
    std::uint64_t trials = 0;
    const recorded_column& output(const std::string& name) const {
        for (std::size_t i = 0; i < output_names.size(); ++i)
            if (output_names[i] == name) return outputs[i];
        throw invalid_argument("update_scenario: internal: output " + name + " not recorded");
    }
};

inline trial_record record_trials(const scenario& s, const std::vector<std::string>& outputs, std::uint64_t trials,
                                  std::uint64_t seed, unsigned threads) {
    validate(s);
    const scenario_model_parts parts = model_parts(s);
    std::vector<output_binding> binds;
    for (const auto& name : outputs) {
        const auto dot = name.find('.');
        const std::size_t a = parts.arrangement_index(name.substr(0, dot));
        double arrangement_outcome::*member = nullptr;
        for (const auto& f : outcome_fields)
            if (f.name == std::string_view(name).substr(dot + 1)) member = f.member;
        binds.push_back({a, member, name});
    }
    auto in_rec = std::make_shared<input_recorder>();
    in_rec->trials = trials;
    auto out_rec = std::make_shared<input_recorder>();
    out_rec->trials = trials;
    out_rec->size_columns(binds.size());  // every trial is run (no cancel, no stop): all written
    const auto inner = make_analysis_model(parts, seed, trials, binds, in_rec);
    const output_recording_model<roi_model<analysis_fill>> model{&inner, out_rec};
    run_options ro;
    ro.trials = trials;
    ro.seed = seed;
    ro.threads = threads;
    ro.samples = sample_policy::never;
    (void)run(model, ro);
    trial_record r;
    r.input_names = parts.input_names;
    r.input_distributions = parts.input_distributions;
    r.inputs = std::move(in_rec->columns);
    r.output_names = outputs;
    r.outputs = std::move(out_rec->columns);
    r.trials = trials;
    return r;
}

inline double input_log_likelihood(const resolved_observations::input_obs& e, double theta) {
    double l = 0.0;
    for (const auto& m : e.measurements) l += normal_log_likelihood(theta, m.value, m.sd);
    for (const auto& c : e.counts) l += attrition_log_likelihood(theta, c);
    return l;
}

/// Log-weights of each trial: the observations' log-likelihoods (inputs and/or outputs).
inline std::vector<double> log_likelihoods(const trial_record& r, const resolved_observations& obs, bool with_inputs) {
    std::vector<double> lw(static_cast<std::size_t>(r.trials), 0.0);
    if (with_inputs)
        for (const auto& e : obs.inputs) {
            const auto& col = r.inputs[e.column];
            for (std::size_t t = 0; t < lw.size(); ++t) lw[t] += input_log_likelihood(e, col[t]);
        }
    for (const auto& o : obs.outputs) {
        const auto& col = r.output(o.output);
        for (std::size_t t = 0; t < lw.size(); ++t) lw[t] += normal_log_likelihood(col[t], o.value, o.sd);
    }
    return lw;
}

inline weight_diagnostics diagnose(const psis_result& p, std::uint64_t trials, double min_ess) {
    return {trials, p.k_hat, p.k_threshold, p.ess, p.raw_ess, p.tail, p.reliable() && p.ess >= min_ess};
}

inline std::vector<std::size_t> order_by_srrc(const weighted_rank_sensitivity_result& r) {
    std::vector<std::size_t> o(r.srrc.size());
    std::iota(o.begin(), o.end(), std::size_t{0});
    std::stable_sort(o.begin(), o.end(),
                     [&](std::size_t a, std::size_t b) { return std::fabs(r.srrc[a]) > std::fabs(r.srrc[b]); });
    return o;
}

inline std::string describe_observations(const resolved_observations::input_obs& e) {
    std::string s;
    for (const auto& m : e.measurements)
        s += (s.empty() ? "" : "; ") + std::string("measured ") + detail::format_value(m.value) + " +- " + detail::format_value(m.sd);
    for (const auto& c : e.counts)
        s += (s.empty() ? "" : "; ") + std::to_string(c.leavers) + " leavers among " + std::to_string(c.engineers) +
             " engineers in " + detail::format_value(c.months) + " months (" +
             (c.model == attrition_count_model::cohort ? "cohort" : "seats kept filled") + "; implies " +
             detail::format_value(std::round(implied_annual_attrition(c) * 1e4) / 1e4) + " a year)";
    return s;
}

}  // namespace detail

/// Updates scenario `s` on the observations `obs` (see the file comment): prior vs updated
/// summaries per arrangement, drivers, diagnostics and the method used. With no observation
/// the weights are all equal and the updated summaries equal the prior ones exactly.
/// \throws invalid_scenario if `s` is invalid; invalid_argument for bad options (trials < 100,
///         max_trials < trials, min_ess not > 0, alpha not in (0, 1]), an unknown or constant
///         observed input (with a did-you-mean), an unknown output or arrangement, a
///         measurement with sd <= 0 or a non-finite value, a count with leavers < 0 or >
///         engineers (cohort), engineers < 1 or months outside (0, 600] -- each message
///         names the field (`observations.inputs[0].sd`), the value and what is allowed.
inline scenario_update_result update_scenario(const scenario& s, const observations& obs,
                                              const update_options& o = {}) {
    constexpr const char* fn = "update_scenario";
    validate(s);
    if (o.trials < 100) detail::throw_invalid(fn, "trials", double(o.trials), "must be >= 100");
    if (o.max_trials < o.trials)
        detail::throw_invalid(fn, "max_trials", double(o.max_trials), "must be >= trials (" + std::to_string(o.trials) + ")");
    if (!std::isfinite(o.min_ess) || !(o.min_ess > 0.0))
        detail::throw_invalid(fn, "min_ess", o.min_ess, "must be finite and > 0");
    if (!(o.shortfall_alpha > 0.0 && o.shortfall_alpha <= 1.0))
        detail::throw_invalid(fn, "shortfall_alpha", o.shortfall_alpha, "must be in (0, 1]");
    const scenario_model_parts parts = model_parts(s);
    const detail::resolved_observations ro = detail::resolve(s, parts, obs);
    std::vector<std::string> reported = o.arrangements;
    if (reported.empty()) reported = parts.names;
    for (const auto& a : reported)
        if (std::find(parts.names.begin(), parts.names.end(), a) == parts.names.end())
            throw invalid_argument(std::string(fn) + ": arrangement \"" + a + "\" is not in the scenario;" +
                                   detail::did_you_mean(a, parts.names) + " Arrangements: " + detail::join(parts.names));
    const std::uint64_t seed = o.seed ? *o.seed : s.simulation.seed;

    // Outputs to record: per reported arrangement, the summaries' fields; then the observed.
    std::vector<std::string> outputs;
    auto add_output = [&](const std::string& n) {
        if (std::find(outputs.begin(), outputs.end(), n) == outputs.end()) outputs.push_back(n);
    };
    for (const auto& a : reported) {
        add_output(a + ".delivered");
        if (a != parts.names.front()) {
            add_output(a + ".net_benefit");
            add_output(a + ".breakeven_month");
            add_output(a + ".breakeven_in_horizon");
        }
    }
    for (const auto& n : ro.output_names) add_output(n);

    scenario_update_result res;
    const detail::trial_record prior = detail::record_trials(s, outputs, o.trials, seed, o.threads);
    std::vector<double> lw = detail::log_likelihoods(prior, ro, true);
    psis_result ps = psis(lw);
    res.prior_reweighting = detail::diagnose(ps, o.trials, o.min_ess);
    res.diagnostics = res.prior_reweighting;
    res.method = update_method::reweighting;

    detail::trial_record cur_record;  // the final trials when they differ from the prior's
    bool use_prior_record = true;
    const bool want_fallback = o.fallback == update_fallback::always ||
                               (o.fallback == update_fallback::automatic && !res.prior_reweighting.reliable);
    if (want_fallback && !obs.empty()) {
        res.notes.push_back("Reweighting the " + std::to_string(o.trials) + " prior trials " +
                            (res.prior_reweighting.reliable ? std::string("was reliable") : std::string("degenerated")) +
                            " (k-hat " + detail::format_value(std::round(ps.k_hat * 1000) / 1000) + ", threshold " +
                            detail::format_value(std::round(ps.k_threshold * 1000) / 1000) + "; ESS " +
                            detail::format_value(std::round(ps.ess * 10) / 10) + ", target " + detail::format_value(o.min_ess) + ").");
        scenario current = s;
        std::vector<distribution> used = parts.input_distributions;
        bool with_inputs = true;
        if (!ro.inputs.empty()) {
            // a) refit each observed input's marginal in 1-D and re-run with the copula kept.
            for (const auto& e : ro.inputs) {
                posterior_marginal_options g = o.grid;
                for (const auto& m : e.measurements) g.focus.emplace_back(m.value - 12.0 * m.sd, m.value + 12.0 * m.sd);
                const auto pm = posterior_marginal(
                    parts.input_distributions[e.column],
                    [&](double theta) { return detail::input_log_likelihood(e, theta); }, g);
                current.set(e.name, pm.posterior);
                used[e.column] = pm.posterior;
                res.refitted_inputs.push_back(e.name);
                const auto [lo, hi] = support(parts.input_distributions[e.column]);
                for (const auto& m : e.measurements)
                    if (m.value < lo || m.value > hi)
                        res.notes.push_back("The measured " + e.name + " (" + detail::format_value(m.value) +
                                            ") lies outside its prior's support [" + detail::format_value(lo) + ", " +
                                            detail::format_value(hi) + "]: the posterior piles up at the nearest end; widen "
                                            "the prior if the measurement is right.");
            }
            with_inputs = false;
            res.method = update_method::refit_resimulation;
            res.notes.push_back("Fallback: the posterior marginal of " + detail::join(res.refitted_inputs) +
                                " was computed on a grid of its prior's quantiles and the scenario re-run with it "
                                "(same seed, copula kept); observations of outputs, if any, are applied by reweighting "
                                "the re-run's trials.");
        } else {
            res.method = update_method::more_trials;
        }
        // Copula correction for refitted inputs that take part in a rank correlation.
        std::vector<std::size_t> corr;  // columns in some correlation
        for (const auto& c : parts.correlations)
            for (const auto* n : {&c.a, &c.b}) {
                const auto j = std::size_t(std::find(parts.input_names.begin(), parts.input_names.end(), *n) -
                                           parts.input_names.begin());
                if (std::find(corr.begin(), corr.end(), j) == corr.end()) corr.push_back(j);
            }
        std::sort(corr.begin(), corr.end());
        bool involved = false;
        for (const auto& e : ro.inputs)
            involved = involved || std::find(corr.begin(), corr.end(), e.column) != corr.end();
        Eigen::MatrixXd A;  // R^-1 - I over `corr`
        if (involved) {
            const Eigen::Index k = Eigen::Index(corr.size());
            Eigen::MatrixXd R = Eigen::MatrixXd::Identity(k, k);
            for (const auto& c : parts.correlations) {
                const auto ia = Eigen::Index(std::find(corr.begin(), corr.end(),
                                                       std::size_t(std::find(parts.input_names.begin(), parts.input_names.end(), c.a) -
                                                                   parts.input_names.begin())) - corr.begin());
                const auto ib = Eigen::Index(std::find(corr.begin(), corr.end(),
                                                       std::size_t(std::find(parts.input_names.begin(), parts.input_names.end(), c.b) -
                                                                   parts.input_names.begin())) - corr.begin());
                R(ia, ib) = R(ib, ia) = 2.0 * std::sin(std::numbers::pi * c.spearman / 6.0);
            }
            const Eigen::LLT<Eigen::MatrixXd> llt(R);
            const bool gaussian = s.simulation.dependence == dependence_method::gaussian_copula;
            if (gaussian && llt.info() == Eigen::Success && R.minCoeff() > -1.0) {
                A = llt.solve(Eigen::MatrixXd::Identity(k, k)) - Eigen::MatrixXd::Identity(k, k);
                res.copula_corrected = true;
                res.notes.push_back("Copula correction: observed inputs are rank-correlated with others; weights "
                                    "c_R(z_prior) / c_R(z_refitted) make the re-run's joint distribution the exact "
                                    "posterior under the scenario's Gaussian copula.");
            } else {
                res.notes.push_back(
                    std::string("Approximate: observed inputs are rank-correlated with others and the copula ") +
                    (gaussian ? "matrix is singular" : "is Iman-Conover's (no density)") +
                    ", so the copula's conditional structure is not updated: inputs correlated with an observed "
                    "one keep their prior marginals instead of shifting with it.");
            }
        }
        auto weights_of = [&](const detail::trial_record& r) {
            std::vector<double> l = detail::log_likelihoods(r, ro, with_inputs);
            if (res.copula_corrected) {
                const Eigen::Index k = Eigen::Index(corr.size());
                Eigen::VectorXd zp(k), zq(k);
                auto score = [](double u) {
                    return detail::normal_quantile(std::clamp(u, 1e-15, 1.0 - 1e-15));
                };
                for (std::size_t t = 0; t < l.size(); ++t) {
                    for (Eigen::Index i = 0; i < k; ++i) {
                        const std::size_t j = corr[std::size_t(i)];
                        const double x = r.inputs[j][t];
                        zp(i) = score(cdf(parts.input_distributions[j], x));
                        zq(i) = score(cdf(used[j], x));
                    }
                    l[t] += -0.5 * zp.dot(A * zp) + 0.5 * zq.dot(A * zq);
                }
            }
            return l;
        };
        std::uint64_t K = o.trials;
        if (res.method == update_method::refit_resimulation) {
            cur_record = detail::record_trials(current, outputs, K, seed, o.threads);
            use_prior_record = false;
            lw = weights_of(cur_record);
            ps = psis(lw);
            res.diagnostics = detail::diagnose(ps, K, o.min_ess);
        }
        // b) more trials while the (remaining) weights degenerate.
        while (!res.diagnostics.reliable && K < o.max_trials &&
               (res.method == update_method::more_trials || !ro.outputs.empty() || res.copula_corrected)) {
            const double grow = ps.ess > 0.0 ? 1.25 * o.min_ess / ps.ess : 2.0;
            K = std::min<std::uint64_t>(o.max_trials,
                                        std::max<std::uint64_t>(2 * K, std::uint64_t(std::ceil(double(K) * grow))));
            cur_record = detail::record_trials(current, outputs, K, seed, o.threads);
            use_prior_record = false;
            lw = weights_of(cur_record);
            ps = psis(lw);
            res.diagnostics = detail::diagnose(ps, K, o.min_ess);
        }
        if (K > o.trials)
            res.notes.push_back("More trials: the weights were reweighted over " + std::to_string(K) + " trials.");
    }
    res.reliable = res.diagnostics.reliable;
    if (!res.reliable)
        res.notes.push_back(
            "Unreliable: the final weights fail the check (k-hat " + detail::format_value(std::round(ps.k_hat * 1000) / 1000) +
            " vs " + detail::format_value(std::round(ps.k_threshold * 1000) / 1000) + ", ESS " +
            detail::format_value(std::round(ps.ess * 10) / 10) + " vs " + detail::format_value(o.min_ess) + ")" +
            (o.fallback == update_fallback::never ? " and the fallback is off"
                                                  : "; the observations are too sharp for the trials allowed (raise "
                                                    "max_trials, or observe inputs rather than outputs)") +
            ". Read the updated numbers as indicative.");
    if (res.method == update_method::reweighting && res.reliable)
        res.notes.push_back("Reweighting of the prior trials: exact up to Monte Carlo error.");

    // Summaries: prior = the prior trials with equal weights; updated = the final trials.
    const detail::trial_record& fin = use_prior_record ? prior : cur_record;
    const std::vector<double> ones(static_cast<std::size_t>(prior.trials), 1.0);
    const std::vector<double>& w = ps.weights;
    std::vector<std::span<const double>> prior_cols, fin_cols;
    for (const auto& c : prior.inputs) prior_cols.emplace_back(c);
    for (const auto& c : fin.inputs) fin_cols.emplace_back(c);
    for (const auto& a : reported) {
        arrangement_update u;
        u.name = a;
        u.is_baseline = a == parts.names.front();
        u.prior_delivered = weighted_event_probability(prior.output(a + ".delivered"), ones);
        u.updated_delivered = weighted_event_probability(fin.output(a + ".delivered"), w);
        if (!u.is_baseline) {
            const auto& nb0 = prior.output(a + ".net_benefit");
            const auto& nb1 = fin.output(a + ".net_benefit");
            u.prior = summarize_weighted(nb0, ones, o.shortfall_alpha);
            u.updated = summarize_weighted(nb1, w, o.shortfall_alpha);
            u.prior_breakeven = weighted_event_probability(prior.output(a + ".breakeven_in_horizon"), ones);
            u.updated_breakeven = weighted_event_probability(fin.output(a + ".breakeven_in_horizon"), w);
            u.prior_breakeven_p50 = weighted_quantile(prior.output(a + ".breakeven_month"), ones, 0.5);
            u.updated_breakeven_p50 = weighted_quantile(fin.output(a + ".breakeven_month"), w, 0.5);
            if (!prior_cols.empty()) {
                try {
                    u.prior_drivers = weighted_rank_sensitivity(prior_cols, nb0, ones, prior.input_names, o.threads);
                    u.prior_order = detail::order_by_srrc(u.prior_drivers);
                    u.updated_drivers = weighted_rank_sensitivity(fin_cols, nb1, w, fin.input_names, o.threads);
                    u.updated_order = detail::order_by_srrc(u.updated_drivers);
                } catch (const invalid_argument& e) {
                    res.notes.push_back("Drivers of " + a + " not computed: " + e.what());
                }
            }
        }
        res.arrangements.push_back(std::move(u));
    }
    auto summarise_quantity = [&](observed_quantity& q, std::span<const double> x0, std::span<const double> x1) {
        const weighted_sample p(x0, ones), f(x1, w);
        q.prior_mean = p.mean(), q.prior_sd = p.sd();
        q.prior_p10 = p.quantile(0.1), q.prior_p50 = p.quantile(0.5), q.prior_p90 = p.quantile(0.9);
        q.updated_mean = f.mean(), q.updated_sd = f.sd();
        q.updated_p10 = f.quantile(0.1), q.updated_p50 = f.quantile(0.5), q.updated_p90 = f.quantile(0.9);
    };
    for (const auto& e : ro.inputs) {
        observed_quantity q;
        q.name = e.name;
        q.kind = "input";
        q.observation = detail::describe_observations(e);
        summarise_quantity(q, prior.inputs[e.column], fin.inputs[e.column]);
        res.observed.push_back(std::move(q));
    }
    for (const auto& n : ro.output_names) {
        observed_quantity q;
        q.name = n;
        q.kind = "output";
        for (const auto& m : ro.outputs)
            if (m.output == n)
                q.observation += (q.observation.empty() ? "" : "; ") + std::string("measured ") + detail::format_value(m.value) +
                                 " +- " + detail::format_value(m.sd);
        summarise_quantity(q, prior.output(n), fin.output(n));
        res.observed.push_back(std::move(q));
    }
    res.input_names = fin.input_names;
    res.output_names = fin.output_names;
    res.weights = ps.weights;
    // The result's columns are std::vector<double>: copies of the recorded ones.
    const auto copy_columns = [](const std::vector<recorded_column>& from, std::vector<std::vector<double>>& to) {
        to.clear();
        to.reserve(from.size());
        for (const auto& c : from) to.emplace_back(c.begin(), c.end());
    };
    copy_columns(fin.inputs, res.input_samples);
    copy_columns(fin.outputs, res.output_samples);
    return res;
}

}  // namespace offroi
