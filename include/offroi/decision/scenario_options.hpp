#pragma once
/// \file
/// Choosing among many options of a scenario: the scenario's alternatives, the baseline
/// ("keep what we have", net benefit 0 in every trial) and generated variants of an
/// alternative -- one or more of its inputs set to stepped constants (for example
/// offshore_team.overlap_hours in 0, 2, 4, 6, 8; offshore_team.headcount; a vendor's
/// hourly_rate_usd). Several inputs of the same alternative form a grid (every
/// combination); inputs of different alternatives give separate variant sets. Every option
/// is evaluated against the scenario's baseline on common random numbers, OCBA
/// (ranking_selection.hpp) spends the trials where the choice is close, and the risk/return
/// frontier (option_frontier.hpp) is computed on the same first trials of every option.
///
/// **Common random numbers, exactly.** All options draw from one sampler over the
/// scenario's full set of sampled inputs (the same names, marginals, design, correlations
/// and seed as `run_scenario`); a variant overwrites its set inputs with the constants
/// *after* the draw, so every other input -- and, through the arrangement's name, every
/// risk event -- is the same number in trial t for every option, for every design
/// (Monte Carlo, Latin hypercube, Sobol', whose dimensions are positions) and with
/// correlations (a correlation with a set input still shapes the others' draws as in the
/// scenario). An option's model holds only the baseline and its own arrangement (each
/// alternative's net benefit depends on the baseline and itself only), so trial t of the
/// scenario's own alternatives is the same bits as `run_scenario`'s (a test checks it).
/// Trial t is a pure function of (seed, t), so any trial range [a, b) can be computed on
/// its own (as the engine does with `run_options::first_trial`).
///
/// **Onshore/offshore split.** The model has no split field: the hybrid preset is one
/// blended team (about 30% in-house core and 70% external; docs/model.md §7, note 4), and a
/// split is modelled as separate arrangements. So a split is not generated here; add the
/// arrangements (e.g. `preset(sourcing_model::hybrid)`, or a nearshore team) as
/// alternatives of the scenario and they become options; the model is not changed.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "offroi/analysis/scenario_model.hpp"
#include "offroi/decision/option_frontier.hpp"
#include "offroi/decision/ranking_selection.hpp"
#include "offroi/distributions/constant.hpp"
#include "offroi/engine/engine_options.hpp"
#include "offroi/engine/model.hpp"
#include "offroi/error.hpp"
#include "offroi/model/parameter_values.hpp"
#include "offroi/model/roi_model.hpp"
#include "offroi/model/scenario.hpp"
#include "offroi/model/validate.hpp"

namespace offroi {

/// One input of an alternative stepped over constant values.
struct option_variation {
    std::string input;           ///< "<alternative>.<field>", e.g. "offshore_team.overlap_hours"
    std::vector<double> values;  ///< the constants, each finite and in the field's range, no repeats
};

/// One option of a scenario.
struct scenario_option {
    std::string name;          ///< "offshore_team", "offshore_team[overlap_hours=4]", or the baseline's name
    std::string arrangement;   ///< the arrangement it evaluates (the baseline's name for the baseline)
    bool is_baseline = false;  ///< the baseline itself: net benefit 0 in every trial
    /// The fields it sets and their values (empty for the scenario's own arrangements).
    std::vector<std::pair<std::string, double>> settings;
};

/// Largest number of options `scenario_option_list` generates.
inline constexpr std::size_t max_scenario_options = 1000;

namespace detail {

inline std::size_t arrangement_field_of(std::string_view fn, const std::string& input, std::string_view field) {
    for (std::size_t i = 0; i < arrangement_fields.size(); ++i)
        if (arrangement_fields[i].name == field) return i;
    throw invalid_argument(std::string(fn) + ": vary " + input + ": unknown field \"" + std::string(field) +
                           "\"; valid fields: " + field_list(arrangement_fields));
}

inline std::string option_label(const std::string& arrangement,
                                const std::vector<std::pair<std::string, double>>& settings) {
    std::string n = arrangement + "[";
    for (std::size_t i = 0; i < settings.size(); ++i) {
        if (i) n += ",";
        n += settings[i].first + "=" + format_value(settings[i].second);
    }
    return n + "]";
}

}  // namespace detail

/// The options of scenario `s`: the baseline (if `include_baseline`), the scenario's
/// alternatives (if `include_alternatives`), then per varied alternative (in order of first
/// mention) the grid of its variations (the last variation stepping fastest).
/// \throws invalid_argument naming the input, the value and what is allowed: an input that
///   is not "<alternative>.<field>" (unknown arrangement or field, the baseline -- its net
///   benefit is the reference, 0 by definition -- or a scenario-level input), the same input
///   twice, no values, a repeated, non-finite or out-of-range value, a variant that makes
///   the scenario invalid (e.g. a market band turned upside down), fewer than 2 options or
///   more than `max_scenario_options`.
inline std::vector<scenario_option> scenario_option_list(const scenario& s, const std::vector<option_variation>& vary,
                                                         bool include_alternatives = true,
                                                         bool include_baseline = true) {
    constexpr std::string_view fn = "offroi::scenario_option_list";
    std::vector<scenario_option> out;
    if (include_baseline) out.push_back({s.baseline.name, s.baseline.name, true, {}});
    if (include_alternatives)
        for (const auto& a : s.alternatives) out.push_back({a.name, a.name, false, {}});
    // Group the variations by alternative, first mention first.
    std::vector<std::string> arrs;
    std::vector<std::vector<const option_variation*>> groups;
    for (std::size_t v = 0; v < vary.size(); ++v) {
        const auto& var = vary[v];
        const auto dot = var.input.find('.');
        if (dot == std::string::npos)
            throw invalid_argument(std::string(fn) + ": vary input \"" + var.input +
                                   "\" is invalid; must be \"<alternative>.<field>\" (a scenario-level input is "
                                   "not a choice between options)");
        const std::string arr = var.input.substr(0, dot), field = var.input.substr(dot + 1);
        (void)s.find(arr);  // unknown arrangement: lists them
        if (arr == s.baseline.name)
            throw invalid_argument(std::string(fn) + ": vary input \"" + var.input + "\" is invalid; " + arr +
                                   " is the baseline, whose net benefit is the reference (0 by definition); vary "
                                   "an alternative's input");
        const std::size_t fi = detail::arrangement_field_of(fn, var.input, field);
        const auto& f = arrangement_fields[fi];
        if (var.values.empty())
            throw invalid_argument(std::string(fn) + ": vary " + var.input + " has no values; give at least 1");
        for (std::size_t i = 0; i < var.values.size(); ++i) {
            const double x = var.values[i];
            if (!std::isfinite(x) || !in_range(f, x))
                detail::throw_invalid(fn, "vary " + var.input + " value", x, std::string(f.allowed) + " (and finite)");
            for (std::size_t j = 0; j < i; ++j)
                if (var.values[j] == x)
                    detail::throw_invalid(fn, "vary " + var.input + " value", x, "each value may appear once");
        }
        for (std::size_t w = 0; w < v; ++w)
            if (vary[w].input == var.input)
                throw invalid_argument(std::string(fn) + ": vary input \"" + var.input +
                                       "\" is given twice; give each input once with all its values");
        std::size_t g = 0;
        while (g < arrs.size() && arrs[g] != arr) ++g;
        if (g == arrs.size()) {
            arrs.push_back(arr);
            groups.emplace_back();
        }
        groups[g].push_back(&var);
    }
    for (std::size_t g = 0; g < arrs.size(); ++g) {
        std::size_t count = 1;
        for (const auto* v : groups[g]) {
            count *= v->values.size();
            if (count > max_scenario_options)
                detail::throw_invalid(fn, "options", double(count),
                                      "the variations of " + arrs[g] + " give more than " +
                                          std::to_string(max_scenario_options) + " options");
        }
        std::vector<std::size_t> idx(groups[g].size(), 0);
        for (std::size_t c = 0; c < count; ++c) {
            scenario_option o;
            o.arrangement = arrs[g];
            for (std::size_t d = 0; d < idx.size(); ++d) {
                const auto* v = groups[g][d];
                o.settings.emplace_back(v->input.substr(v->input.find('.') + 1), v->values[idx[d]]);
            }
            o.name = detail::option_label(o.arrangement, o.settings);
            out.push_back(std::move(o));
            if (out.size() > max_scenario_options)
                detail::throw_invalid(fn, "options", double(out.size()),
                                      "at most " + std::to_string(max_scenario_options) + " options");
            for (std::size_t d = idx.size(); d-- > 0;) {
                if (++idx[d] < groups[g][d]->values.size()) break;
                idx[d] = 0;
            }
        }
    }
    if (out.size() < 2)
        detail::throw_invalid(fn, "options", double(out.size()),
                              "need at least 2 options (include the baseline or the alternatives, or vary an input)");
    // Each variant must leave a valid scenario (ranges over supports, market bands).
    for (const auto& o : out) {
        if (o.settings.empty()) continue;
        scenario sv = s;
        for (const auto& [field, value] : o.settings) sv.find(o.arrangement).set(field, constant_distribution(value));
        try {
            validate(sv);
        } catch (const invalid_scenario& e) {
            throw invalid_argument(std::string(fn) + ": option " + o.name + " makes the scenario invalid: " + e.what());
        }
    }
    return out;
}

namespace detail {

// The full analysis fill of the scenario, with only the columns one option's model binds
// copied out: every option draws the same uniforms for every input.
struct option_fill {
    std::shared_ptr<const analysis_fill> full;
    std::size_t n_full = 0;
    std::shared_ptr<const std::vector<std::size_t>> keep;  // full column of each bound column
    void operator()(std::uint64_t seed, std::uint64_t first, std::size_t n, double* const* cols) const {
        std::vector<double> buf(n_full * n);
        std::vector<double*> p(n_full);
        for (std::size_t j = 0; j < n_full; ++j) p[j] = buf.data() + j * n;
        (*full)(seed, first, n, p.data());
        for (std::size_t c = 0; c < keep->size(); ++c) std::copy(p[(*keep)[c]], p[(*keep)[c]] + n, cols[c]);
    }
};

}  // namespace detail

/// The options of a scenario as an `option_simulator` on common random numbers (see the
/// file comment): option i's value in trial t is the net benefit of its arrangement (with
/// its settings) against the baseline, a pure function of (seed, t). Immutable after
/// construction; the call is const and thread-safe.
class scenario_option_simulator {
public:
    /// \param s           the scenario (validated here).
    /// \param options     its options (from `scenario_option_list`).
    /// \param seed        the seed of every option's draws.
    /// \param design_size the Latin hypercube's design size (the largest trial count any
    ///                    option may reach); ignored by the other designs.
    /// \throws invalid_scenario if `s` is invalid; invalid_argument for an option naming an
    ///         unknown arrangement or field, or design_size 0.
    scenario_option_simulator(const scenario& s, std::vector<scenario_option> options, std::uint64_t seed,
                              std::uint64_t design_size)
        : options_(std::move(options)), seed_(seed) {
        constexpr const char* fn = "offroi::scenario_option_simulator";
        validate(s);
        if (design_size == 0) detail::throw_invalid(fn, "design_size", 0.0, "must be >= 1");
        const scenario_model_parts parts = model_parts(s);
        auto full = std::make_shared<analysis_fill>();
        if (!parts.input_names.empty())
            full->sampler = std::make_shared<const uniform_sampler>(parts.input_names, parts.sampling(seed, design_size));
        full->dists = std::make_shared<const std::vector<distribution>>(parts.input_distributions);
        full->factors = std::make_shared<const std::vector<double>>(parts.input_factors);
        std::shared_ptr<const analysis_fill> shared_full = full;
        for (const auto& o : options_) {
            if (o.is_baseline) {
                models_.push_back(nullptr);
                continue;
            }
            const std::size_t a = parts.arrangement_index(o.arrangement);
            if (a == 0)
                throw invalid_argument(std::string(fn) + ": option " + o.name +
                                       " names the baseline's arrangement but is not marked is_baseline");
            arrangement_values v = parts.arrangements[a];
            std::vector<double arrangement_values::*> set_members;
            for (const auto& [field, value] : o.settings) {
                const auto& f = arrangement_fields[detail::arrangement_field_of(fn, o.name, field)];
                if (!std::isfinite(value) || !in_range(f, value))
                    detail::throw_invalid(fn, o.name + " " + field, value, std::string(f.allowed) + " (and finite)");
                v.*(f.member) = value;
                set_members.push_back(f.member);
            }
            std::vector<input_binding> bindings;
            auto keep = std::make_shared<std::vector<std::size_t>>();
            for (std::size_t j = 0; j < parts.bindings.size(); ++j) {
                input_binding b = parts.bindings[j];
                if (b.arrangement == input_binding::scenario_input || b.arrangement == 0) {
                    // shared input or the baseline's: kept as is
                } else if (b.arrangement == a) {
                    bool overridden = false;
                    for (auto m : set_members) overridden = overridden || m == b.arrangement_member;
                    if (overridden) continue;
                    b.arrangement = 1;
                } else {
                    continue;
                }
                bindings.push_back(b);
                keep->push_back(j);
            }
            detail::option_fill fill{shared_full, parts.input_names.size(), std::move(keep)};
            std::vector<output_binding> out{{1, &arrangement_outcome::net_benefit, o.arrangement + ".net_benefit"}};
            models_.push_back(std::make_shared<const roi_model<detail::option_fill>>(
                parts.scenario, std::vector<arrangement_values>{parts.arrangements[0], v},
                std::vector<std::string>{parts.names[0], parts.names[a]}, std::move(bindings), std::move(fill),
                parts.settings, std::move(out)));
        }
    }

    /// Number of options.
    std::size_t size() const noexcept { return options_.size(); }
    /// The options.
    const std::vector<scenario_option>& options() const noexcept { return options_; }
    /// The seed.
    std::uint64_t seed() const noexcept { return seed_; }

    /// Writes option `option`'s net benefit for trials [first_trial, first_trial +
    /// values.size()), computed in blocks on the engine's fixed grid.
    /// \throws invalid_argument if `option` is out of range.
    void operator()(std::size_t option, std::uint64_t first_trial, std::span<double> values) const {
        if (option >= models_.size())
            detail::throw_invalid("offroi::scenario_option_simulator", "option", double(option),
                                  "must be < the number of options (" + std::to_string(models_.size()) + ")");
        if (!models_[option]) {
            std::fill(values.begin(), values.end(), 0.0);
            return;
        }
        std::vector<double> ws;
        std::size_t done = 0;
        while (done < values.size()) {
            const std::uint64_t t = first_trial + done;
            const std::uint64_t grid_end = (t / default_block_size + 1) * default_block_size;
            const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(grid_end - t, values.size() - done));
            block_context ctx;
            ctx.seed = seed_;
            ctx.first_trial = t;
            ctx.count = n;
            ctx.block_index = t / default_block_size;
            ctx.workspace = &ws;
            double* cols[1] = {values.data() + done};
            block_outputs bo(cols, 1, n);
            (*models_[option])(ctx, bo);
            done += n;
        }
    }

private:
    std::vector<scenario_option> options_;
    std::uint64_t seed_;
    std::vector<std::shared_ptr<const roi_model<detail::option_fill>>> models_;
};

/// What `choose_options` does.
struct scenario_options_request {
    std::vector<option_variation> vary;  ///< the generated variants (may be empty)
    bool include_alternatives = true;    ///< the scenario's alternatives are options
    bool include_baseline = true;        ///< the baseline ("keep what we have", NB 0) is an option
    /// OCBA settings. budget 0: 20 000 trials per option. threads 0: all cores.
    selection_options selection = [] {
        selection_options o;
        o.threads = 0;
        return o;
    }();
    std::optional<std::uint64_t> seed;        ///< the seed (default: the scenario's)
    std::optional<sampling_method> sampler;   ///< the design (default: the scenario's)
    /// Trials [0, F) of every option on which the frontier is computed (rounded up to whole
    /// blocks of selection.block); options OCBA ran for fewer trials are topped up.
    std::uint64_t frontier_trials = 10000;
    frontier_options frontier;                ///< P10, CVaR tail mass, loss threshold
    // Progress and cancellation: selection.progress and selection.cancel (the frontier's
    // top-up checks the token too).
};

/// The result of `choose_options`.
struct scenario_options_result {
    std::string scenario_name;             ///< the scenario's name
    std::string baseline;                  ///< the baseline's name
    std::uint64_t seed = 0;                ///< the seed of every option's draws
    std::vector<scenario_option> options;  ///< the options, in the order of the estimates
    selection_result selection;            ///< OCBA: per option trials, mean, difference to the best, PCS
    frontier_result frontier;              ///< the frontier on trials [0, frontier_trials)
    std::uint64_t frontier_trials = 0;     ///< F
    std::uint64_t total_trials = 0;        ///< trials simulated: OCBA plus the frontier's top-up
};

/// Chooses among the options of scenario `s` (see the file comment): builds the options,
/// runs OCBA on common random numbers (paired comparisons by default), then the frontier
/// on the first F trials of every option.
/// \throws invalid_argument for bad variations (see `scenario_option_list`), bad selection
///         settings (see `select_best`), frontier_trials 0 or bad frontier settings (see
///         `option_frontier`); invalid_scenario if `s` is invalid.
inline scenario_options_result choose_options(scenario s, const scenario_options_request& r) {
    constexpr const char* fn = "offroi::choose_options";
    if (r.sampler) s.simulation.method = *r.sampler;
    validate(s);
    auto options = scenario_option_list(s, r.vary, r.include_alternatives, r.include_baseline);
    const std::size_t k = options.size();
    selection_options so = r.selection;
    if (so.budget == 0) so.budget = std::uint64_t(k) * 20000;
    if (so.block < 1) detail::throw_invalid(fn, "selection.block", double(so.block), "must be >= 1 trial");
    if (r.frontier_trials == 0)
        detail::throw_invalid(fn, "frontier_trials", 0.0, "must be >= 2 (the frontier's trials per option)");
    const std::uint64_t F = (r.frontier_trials + so.block - 1) / so.block * so.block;
    so.keep_values = true;
    const std::uint64_t seed = r.seed ? *r.seed : s.simulation.seed;
    const scenario_option_simulator sim(s, options, seed, std::max(so.budget, F));
    const option_simulator f = [&sim](std::size_t i, std::uint64_t first, std::span<double> v) { sim(i, first, v); };

    scenario_options_result res;
    res.scenario_name = s.name;
    res.baseline = s.baseline.name;
    res.seed = seed;
    res.selection = select_best(k, f, so);
    res.frontier_trials = F;
    // Top up to F trials: whole blocks on the same grid, in parallel.
    auto& values = res.selection.values;
    std::vector<std::pair<std::size_t, std::uint64_t>> tasks;
    std::uint64_t extra = 0;
    for (std::size_t i = 0; i < k; ++i) {
        const std::uint64_t n = values[i].size();
        if (n >= F) continue;
        values[i].resize(static_cast<std::size_t>(F));
        for (std::uint64_t t = n; t < F; t += so.block) tasks.emplace_back(i, t);
        extra += F - n;
    }
    detail::run_option_blocks(f, values, tasks, so.block, detail::selection_threads(so.threads), so.cancel);
    std::vector<std::span<const double>> cols(k);
    for (std::size_t i = 0; i < k; ++i) cols[i] = std::span<const double>(values[i].data(), static_cast<std::size_t>(F));
    res.frontier = option_frontier(std::span<const std::span<const double>>(cols), r.frontier);
    res.total_trials = res.selection.total_trials + extra;
    res.options = std::move(options);
    if (!r.selection.keep_values) res.selection.values.clear();
    return res;
}

}  // namespace offroi
