#pragma once
/// \file
/// Sensitivity of a scenario's net benefit to its sampled inputs, through the sensitivity
/// layer's estimators:
///  - `scenario_tornado`: each sampled input swung between its P10 and P90 with the others
///    at their medians (tornado.hpp), on the ROI model evaluated at those points
///    (`scenario_point_model`: the mean over a fixed set of risk-event draws, the same
///    draws at every point). Correlations are ignored: each bar is the input's direct effect.
///  - `run_drivers`: SRRC (with its R^2), PRCC, Spearman rank correlation and contribution to
///    variance (rank_sensitivity.hpp) of each sampled input that feeds an alternative (the
///    scenario's, the baseline's and its own inputs) with the alternative's net
///    benefit, from the inputs and outputs a `run_scenario` recorded for its first K trials --
///    the run's own draws, no rerun. Inputs are then correlated as the scenario says, so they
///    are ranked by |SRRC|, the standardized rank regression coefficient: the effect of each
///    input with the others held fixed, which separates direct effects from correlated ones
///    when the model is near-linear (monotone) in the ranks. Spearman rho and the contribution to variance are
///    kept for reference: they are total associations in the joint distribution, so an input
///    correlated with a driver shares its rho (an input rank-correlated 0.5 with a strong
///    driver shows about half the driver's rho even when its own effect, its SRRC, is ~0 or
///    of the opposite sign). Risk events are not inputs: their share stays in 1 - R^2.
///  - `scenario_sobol`: first and total Sobol' indices (sobol_indices.hpp, Saltelli 2010 /
///    Jansen) of the point model over the sampled inputs' marginals. The estimator draws the
///    inputs independently, so the indices describe the model with the scenario's
///    correlations removed: S_i is the share of Var(f) that input i explains alone, ST_i the
///    share it is involved in, for independent inputs. With correlated inputs they are not
///    shares of the scenario's own variance (for Gaussian-copula dependence use
///    `kucherenko_indices`, which conditions on the correlation). The variance decomposed is
///    that of the event-averaged net benefit (risk-event noise is averaged out, not an input).
///  - `scenario_kucherenko`: the same indices with the scenario's rank correlations kept, as
///    a Gaussian copula (kucherenko_indices.hpp, Kucherenko, Tarantola and Annoni 2012):
///    S_i = Var(E[Y | X_i]) / Var(Y) then includes what the inputs correlated with X_i carry,
///    and ST_i = E[Var(Y | X_~i)] / Var(Y) is what X_i adds that no correlated input can
///    stand in for. Exact for `dependence_method::gaussian_copula` scenarios; for
///    Iman-Conover ones the copula is the Gaussian approximation of the imposed ranks.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "offroi/analysis/detail/alternative_drivers.hpp"
#include "offroi/analysis/scenario_model.hpp"
#include "offroi/analysis/scenario_run.hpp"
#include "offroi/engine/cancellation.hpp"
#include "offroi/error.hpp"
#include "offroi/model/scenario.hpp"
#include "offroi/model/validate.hpp"
#include "offroi/sensitivity/rank_sensitivity.hpp"
#include "offroi/sensitivity/kucherenko_indices.hpp"
#include "offroi/sensitivity/sobol_indices.hpp"
#include "offroi/sensitivity/tornado.hpp"

namespace offroi {

/// Options of the model-level sensitivity adapters.
struct scenario_sensitivity_options {
    std::string arrangement{};        ///< the alternative (empty: the first)
    std::size_t event_trials = 1024;  ///< R, risk-event draws averaged per point
    std::uint64_t seed = 0;           ///< seed of the event draws (and of the Sobol' design)
    tornado_options tornado{};        ///< tornado quantile levels (names are filled in)
    sobol_options sobol{};            ///< Sobol' settings (names and seed are filled in)
    /// Checked before every model point: once cancelled, the analysis stops and throws
    /// offroi::cancelled (within one point, R event trials, per worker thread).
    cancellation_token cancel{};
};

namespace detail {

inline std::size_t alternative_index(const scenario& s, const std::string& name, const char* fn) {
    if (s.alternatives.empty())
        throw invalid_argument(std::string(fn) + ": the scenario has no alternative arrangement");
    if (name.empty()) return 1;
    for (std::size_t i = 0; i < s.alternatives.size(); ++i)
        if (s.alternatives[i].name == name) return i + 1;
    std::string msg = std::string(fn) + ": no alternative named \"" + name + "\"; alternatives:";
    for (const auto& a : s.alternatives) msg += " " + a.name;
    throw invalid_argument(msg);
}

/// `s` with alternative `keep` (0-based) as its only alternative, and only the correlations
/// between inputs that remain. Risk-event draws are keyed by arrangement name, so the
/// alternative's outcomes at any input point are the same bits as in `s`; the work per
/// point no longer grows with the number of alternatives.
inline scenario with_one_alternative(const scenario& s, std::size_t keep) {
    scenario r = s;
    r.alternatives.assign(1, s.alternatives[keep]);
    const std::string_view base = s.baseline.name, alt = s.alternatives[keep].name;
    std::erase_if(r.correlations, [&](const auto& c) {
        return !feeds_alternative(c.a, base, alt) || !feeds_alternative(c.b, base, alt);
    });
    return r;
}

/// `f` with a cancellation check before each point (the result is the same bits).
template <class F>
struct cancellable_point_model {
    const F* f;
    cancellation_token cancel;
    double operator()(std::span<const double> x) const {
        if (cancel.cancelled()) throw cancelled();
        return (*f)(x);
    }
};

inline scenario_point_model point_model_of(const scenario& s, const scenario_sensitivity_options& o,
                                           const char* fn) {
    validate(s);
    const std::size_t a = alternative_index(s, o.arrangement, fn);
    // Only the baseline and this alternative: the others' inputs cannot move its net benefit
    // (their indices and tornado bars would be exactly 0), and evaluating them would make
    // every point, and so every index, cost O(alternatives) more.
    scenario_point_model f(model_parts(with_one_alternative(s, a - 1)), 1, "net_benefit", o.event_trials, o.seed);
    if (f.dimension() == 0)
        throw invalid_argument(std::string(fn) + ": the scenario has no sampled input (every input is constant)");
    return f;
}

}  // namespace detail

/// Tornado of an alternative's (event-averaged) net benefit over the sampled inputs of `s`
/// that feed it (the scenario's, the baseline's and its own; another alternative's inputs
/// would have bars of exactly 0).
/// \throws invalid_scenario if `s` is invalid; invalid_argument for an unknown
///         alternative, no sampled input, or bad tornado options; cancelled once `o.cancel` is.
inline tornado_result scenario_tornado(const scenario& s, const scenario_sensitivity_options& o = {}) {
    const auto f = detail::point_model_of(s, o, "scenario_tornado");
    tornado_options t = o.tornado;
    t.names = f.names();
    return tornado(detail::cancellable_point_model<scenario_point_model>{&f, o.cancel}, f.marginals(), t);
}

/// First and total Sobol' indices of an alternative's (event-averaged) net benefit over
/// the sampled inputs of `s` that feed it, inputs independent (see the file comment). Cost:
/// N (d + 2) R trial evaluations (N = sobol.base_samples).
/// \throws as `scenario_tornado`, and for bad Sobol' options.
inline sobol_result scenario_sobol(const scenario& s, const scenario_sensitivity_options& o = {}) {
    const auto f = detail::point_model_of(s, o, "scenario_sobol");
    sobol_options so = o.sobol;
    so.names = f.names();
    so.seed = o.seed;
    return sobol_indices(detail::cancellable_point_model<scenario_point_model>{&f, o.cancel}, f.marginals(), so);
}

/// First and total indices of an alternative's (event-averaged) net benefit with the
/// scenario's rank correlations as a Gaussian copula (see the file comment). Cost:
/// N (2d + 2) R trial evaluations.
/// \throws as `scenario_sobol`, and for a correlation set that is not positive semi-definite.
inline sobol_result scenario_kucherenko(const scenario& s, const scenario_sensitivity_options& o = {}) {
    const auto f = detail::point_model_of(s, o, "scenario_kucherenko");
    const auto& names = f.names();
    const Eigen::Index d = Eigen::Index(names.size());
    Eigen::MatrixXd R = Eigen::MatrixXd::Identity(d, d);
    auto index = [&](const std::string& n) {
        return Eigen::Index(std::find(names.begin(), names.end(), n) - names.begin());
    };
    for (const auto& c : s.correlations) {
        const Eigen::Index a = index(c.a), b = index(c.b);
        if (a < d && b < d) R(a, b) = R(b, a) = c.spearman;
    }
    sobol_options so = o.sobol;
    so.names = names;
    so.seed = o.seed;
    return kucherenko_indices(detail::cancellable_point_model<scenario_point_model>{&f, o.cancel}, f.marginals(), R,
                              so, copula_correlation::spearman);
}

namespace detail {

// The drivers of alternatives `names` of run `r` (rank_alternatives over its recorded trials):
// each recorded input that feeds one of them is ranked once over n trials, n = the shortest
// of the first output and `inputs_used`'s columns.
inline std::vector<driver_ranking> run_drivers_of(const scenario_run& r, const std::vector<std::string>& names,
                                                  const std::string& baseline,
                                                  const std::vector<std::size_t>& inputs_used, unsigned threads) {
    std::size_t n = r.output_samples.empty() ? 0 : r.output_samples.front().size();
    for (const std::size_t j : inputs_used) n = std::min(n, r.input_samples[j].size());
    std::vector<std::span<const double>> ys;
    for (const auto& name : names) ys.emplace_back(r.output_samples[r.result.run.index_of(name + ".net_benefit")]);
    return rank_alternatives(r.input_names, column_spans(r.input_samples), n, baseline, names, ys, threads, true);
}

inline void check_recorded(const scenario_run& r) {
    if (r.input_samples.empty() || r.output_samples.empty())
        throw invalid_argument("run_drivers: the run recorded no inputs; set run_request::driver_trials > 0 "
                               "(and give the scenario at least one sampled input)");
}

inline std::string baseline_of(const scenario_run& r) {
    for (const auto& a : r.result.arrangements)
        if (a.is_baseline) return a.name;
    return {};
}

}  // namespace detail

/// Rank-based drivers of an alternative's net benefit from the inputs and outputs that
/// `run_scenario` recorded (`run_request::driver_trials`), with no rerun. The inputs ranked
/// are those that feed the alternative: the scenario's, the baseline's and its own (another
/// alternative's inputs never reach its net benefit, so they are left out; with one
/// alternative that is every input). They are ordered by decreasing |SRRC| (`measure` =
/// "srrc"): the standardized rank regression coefficient, each input's effect with the
/// others held fixed, which stays right when the scenario correlates its inputs; Spearman
/// rho (the total association, which credits an input with the effects of inputs correlated
/// with it) and PRCC stay in `measures`. The cost does not depend on the number of
/// alternatives.
/// \param arrangement the alternative (empty: the first non-baseline arrangement).
/// \param threads worker threads for the ranking and the regressions (0 = all); the results
///        do not depend on it.
/// \throws invalid_argument if nothing was recorded, there is no sampled input, the
///         arrangement is unknown or the baseline, or as `rank_sensitivity`.
inline driver_ranking run_drivers(const scenario_run& r, const std::string& arrangement = {}, unsigned threads = 0) {
    detail::check_recorded(r);
    std::string name = arrangement;
    if (name.empty()) {
        for (const auto& a : r.result.arrangements)
            if (!a.is_baseline) {
                name = a.name;
                break;
            }
        if (name.empty()) throw invalid_argument("run_drivers: the run has no alternative arrangement");
    }
    for (const auto& a : r.result.arrangements)
        if (a.name == name && a.is_baseline)
            throw invalid_argument("run_drivers: \"" + name + "\" is the baseline; its net benefit is 0");
    const std::string base = detail::baseline_of(r);
    std::vector<std::size_t> cols;  // only the inputs that feed this alternative are ranked
    for (std::size_t j = 0; j < r.input_names.size() && j < r.input_samples.size(); ++j)
        if (detail::feeds_alternative(r.input_names[j], base, name)) cols.push_back(j);
    return std::move(detail::run_drivers_of(r, {name}, base, cols, threads).front());
}

/// The drivers of every alternative, in arrangement order: `run_drivers(r, name)` for each
/// (the same bits), in time linear in the number of alternatives; each recorded input is
/// ranked once for all of them.
/// \param threads as `run_drivers`.
/// \throws as `run_drivers`.
inline std::vector<driver_ranking> run_drivers_all(const scenario_run& r, unsigned threads = 0) {
    detail::check_recorded(r);
    const std::string base = detail::baseline_of(r);
    std::vector<std::size_t> cols(std::min(r.input_names.size(), r.input_samples.size()));
    std::iota(cols.begin(), cols.end(), std::size_t{0});
    std::vector<std::string> names;
    for (const auto& a : r.result.arrangements)
        if (!a.is_baseline) names.push_back(a.name);
    return detail::run_drivers_of(r, names, base, cols, threads);
}

}  // namespace offroi
