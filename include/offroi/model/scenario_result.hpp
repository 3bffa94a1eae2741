#pragma once
/// \file
/// What `simulate(scenario, options)` takes and returns -- `simulate_options`,
/// `scenario_result` with one `arrangement_result` per arrangement -- and its declaration.
/// Light: no Boost, Eigen or engine templates, so the façade (offroi/offroi.hpp) can offer
/// `simulate` cheaply; the definition is in liboffroi (compiled mode) or, header-only, in
/// offroi/model/simulate.hpp, which this header then includes (offroi/detail/config.hpp).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "offroi/detail/config.hpp"
#include "offroi/engine/cancellation.hpp"
#include "offroi/engine/engine_options.hpp"
#include "offroi/engine/run_options.hpp"
#include "offroi/error.hpp"
#include "offroi/model/output_set.hpp"
#include "offroi/model/scenario.hpp"
#include "offroi/model/sourcing_model.hpp"
#include "offroi/stats/summary.hpp"

namespace offroi {

// The deprecated `override_seed` member is still initialised and copied by the
// implicitly defined members; only user code naming it should be warned about.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

/// How `simulate` runs (the scenario's own simulation settings apply unless overridden).
/// Every member has a default, so designated initializers may name any subset:
/// `simulate(s, {.trials = 20000, .seed = 7, .percentiles = {0.05, 0.95}})`.
struct simulate_options {
    std::uint64_t trials = 0;             ///< 0: the scenario's `simulation.trials`
    std::optional<std::uint64_t> seed{};  ///< the run's seed (default: the scenario's `simulation.seed`)
    unsigned threads = 0;                 ///< 0: all hardware threads
    output_set outputs = output_set::essential;  ///< which outputs are summarised
    sample_policy samples = sample_policy::within_budget;  ///< keep per-trial samples?
    progress_callback progress{};         ///< called between blocks (see engine_options)
    cancellation_token cancel{};          ///< cooperative cancellation (see engine_options)
    double shortfall_alpha = 0.05;        ///< tail mass of the expected shortfall of the loss
    /// Percentile levels in (0, 1) reported for every output besides P10, P50 and P90
    /// (e.g. {0.05, 0.95}); read them with `summary::percentile(p)`.
    std::vector<double> percentiles{};
    /// K > 0: rank the inputs that drive each alternative's net benefit on the first K
    /// trials (standardized rank regression, right under correlated inputs) into
    /// `arrangement_result::drivers`; capped at the trials run. 0: no drivers (the default).
    std::uint64_t driver_trials = 0;
    /// Use `seed` instead of the scenario's seed. Deprecated: `seed` is a std::optional; set
    /// it and it is used. (Kept for one release: `override_seed = true` with `seed` unset
    /// still means seed 0, as before.)
    [[deprecated("simulate_options::seed is now a std::optional: set seed and it is used")]]
    bool override_seed = false;
};

#pragma GCC diagnostic pop

/// One output of an arrangement and its decision summary.
struct output_result {
    std::string field{};  ///< outcome field, e.g. "net_benefit"
    summary stats{};      ///< its summary over the trials
};

/// One bar of the waterfall from the rate gap to the net benefit (mean over trials of its
/// contribution to the net benefit, USD present value; docs/model.md §4.4).
struct breakdown_row {
    std::string component{};  ///< "rate gap", "volume (useful hours)", ..., "net benefit"
    std::string output{};     ///< the output it is the mean of ("nb_rate_gap", ..., "net_benefit")
    double mean_usd = 0;      ///< its mean contribution to the net benefit
};

/// One input's part in an alternative's net benefit (`simulate_options::driver_trials`;
/// offroi/analysis/model_sensitivity.hpp has the full rank-sensitivity result).
struct input_driver {
    std::string input{};  ///< the input's name, as `scenario::get` takes it
    double srrc = 0;      ///< standardized rank regression coefficient: its effect, the other inputs held fixed
    double prcc = 0;      ///< partial rank correlation coefficient, in [-1, 1]
    double spearman = 0;  ///< Spearman rank correlation with the net benefit (total association)
    double contribution_to_variance = 0;  ///< sign(rho) rho^2 / sum of rho^2 over the inputs
};

/// The results of one arrangement.
struct arrangement_result {
    std::string name{};                               ///< arrangement name
    sourcing_model model = sourcing_model::in_house;  ///< its sourcing model
    bool is_baseline = false;                         ///< true for the baseline
    std::vector<output_result> outputs{};             ///< every summarised output
    double prob_net_loss = 0;            ///< P(net benefit < 0) (0 for the baseline)
    double expected_shortfall_loss = 0;  ///< mean net benefit in its worst shortfall_alpha tail, as a loss (>= 0 means losing)
    double prob_delivered = 1;  ///< share of trials delivering the backlog within the horizon (capacity framing: 1)
    double prob_breakeven = 1;  ///< share of trials breaking even in cash within the horizon (baseline: 1)
    double prob_parity = 1;     ///< share of trials reaching cost parity within the horizon (baseline: 1)
    /// Waterfall rows (alternatives only): the eight bars of `waterfall_bars` and the net
    /// benefit (the sum of the rows before it, exactly, trial by trial and so in the mean).
    std::vector<breakdown_row> breakdown{};
    /// The inputs that drive the net benefit, by decreasing |SRRC| (alternatives only; empty
    /// unless `simulate_options::driver_trials` > 0). The inputs ranked are those that feed
    /// this alternative: the scenario's, the baseline's and its own.
    std::vector<input_driver> drivers{};
    double drivers_r2 = 0;  ///< R^2 of the rank regression behind `drivers` (how much they explain)

    /// The summary of output `field`. \throws invalid_argument listing the outputs.
    const summary& output(std::string_view field) const {
        for (const auto& o : outputs)
            if (o.field == field) return o.stats;
        std::string msg = "offroi::arrangement_result::output: no output \"" + std::string(field) +
                          "\" for " + name + "; outputs:";
        for (const auto& o : outputs) msg += " " + o.field;
        throw invalid_argument(msg);
    }
};

/// The result of `simulate`.
struct scenario_result {
    std::string scenario_name{};                     ///< the scenario's name
    std::uint64_t seed = 0;                          ///< the seed used
    std::vector<arrangement_result> arrangements{};  ///< baseline first, then the alternatives
    run_result run;                                  ///< the engine's result (summaries, samples)

    /// Number of trials run (fewer than requested only if cancelled).
    std::uint64_t trials() const noexcept { return run.trials(); }
    /// True if every output of every trial was kept (see `simulate_options::samples`).
    bool samples_kept() const noexcept { return run.samples_kept(); }
    /// The per-trial values of output `field` of arrangement `arrangement`, in trial order
    /// (e.g. samples("offshore_team", "net_benefit")).
    /// \throws invalid_argument if samples were not kept or there is no such output.
    std::span<const double> samples(std::string_view arrangement, std::string_view field) const {
        return run.samples(std::string(arrangement) + "." + std::string(field));
    }

    /// The result of the arrangement named `name`. \throws invalid_argument listing them.
    const arrangement_result& arrangement(std::string_view name) const {
        for (const auto& a : arrangements)
            if (a.name == name) return a;
        std::string msg = "offroi::scenario_result: no arrangement \"" + std::string(name) + "\";";
        for (const auto& a : arrangements) msg += " " + a.name;
        throw invalid_argument(msg);
    }
};

/// Simulates a scenario: validates it, builds the sampler over every non-constant input
/// (with the scenario's rank correlations), runs the ROI model on the engine -- every
/// arrangement evaluated on the same draws per trial (common random numbers) -- and returns
/// per arrangement the decision summaries and the waterfall (offroi/model/simulate.hpp).
/// Reproducible: the same scenario, seed and trials give the same bits for any thread count.
/// \throws invalid_scenario if `validate(s)` fails; invalid_argument for bad options.
OFFROI_FUNC scenario_result simulate(const scenario& s, const simulate_options& opt = {});

}  // namespace offroi

#if !OFFROI_SEPARATE_COMPILATION
#include "offroi/model/simulate.hpp"
#endif
