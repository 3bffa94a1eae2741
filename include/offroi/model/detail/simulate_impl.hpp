#pragma once
/// \file
/// Definition of `simulate` (declared in offroi/model/scenario_result.hpp). Included by
/// offroi/model/simulate.hpp in header-only builds; compiled once into liboffroi
/// (src/lib/model.cpp) otherwise. Not for direct inclusion.

#include <string>
#include <utility>

#include <algorithm>
#include <cmath>
#include <memory>
#include <span>
#include <vector>

#include "offroi/analysis/detail/alternative_drivers.hpp"
#include "offroi/analysis/scenario_model.hpp"
#include "offroi/detail/checks.hpp"
#include "offroi/engine/run.hpp"
#include "offroi/model/simulate.hpp"
#include "offroi/model/validate.hpp"
#include "offroi/sensitivity/rank_sensitivity.hpp"

namespace offroi {

namespace detail {

// The ROI model with the first K trials' outputs copied out after each block (the inputs
// are recorded by the analysis fill).
template <class M>
struct output_recorder_model {
    const M* inner;
    std::shared_ptr<input_recorder> outputs;
    std::vector<std::string> output_names() const { return inner->output_names(); }
    void operator()(const block_context& ctx, block_outputs& out) const {
        (*inner)(ctx, out);
        if (ctx.first_trial >= outputs->trials) return;
        const auto m = static_cast<std::size_t>(std::min<std::uint64_t>(ctx.count, outputs->trials - ctx.first_trial));
        for (std::size_t c = 0; c < out.n_outputs(); ++c)
            std::copy(out.column(c), out.column(c) + m,
                      outputs->columns[c].begin() + static_cast<std::ptrdiff_t>(ctx.first_trial));
    }
};

// simulate with drivers: the run of the analysis model (bit for bit the run simulate makes,
// as run_scenario does it) recording the inputs and outputs of trials [0, K), then per
// alternative the rank sensitivity of its net benefit to the inputs that feed it (the
// scenario's, the baseline's and its own), ordered by |SRRC| -- as run_drivers ranks them.
inline scenario_result simulate_with_drivers(const scenario& s, const simulate_options& opt,
                                             std::uint64_t trials, std::uint64_t seed) {
    const scenario_model_parts parts = model_parts(s);
    auto binds = default_outputs(parts.names, opt.outputs);
    const std::uint64_t k = std::min(opt.driver_trials, trials);
    auto in_rec = std::make_shared<input_recorder>();
    in_rec->trials = k;
    auto out_rec = std::make_shared<input_recorder>();
    out_rec->trials = k;
    out_rec->size_columns(binds.size());
    const auto inner = make_analysis_model(parts, seed, trials, binds, in_rec);
    const output_recorder_model<roi_model<analysis_fill>> model{&inner, out_rec};

    run_options ro;
    ro.trials = trials;
    ro.seed = seed;
    ro.threads = opt.threads;
    ro.samples = opt.samples;
    ro.progress = opt.progress;
    ro.cancel = opt.cancel;
    run_result r = run(model, ro);
    const auto kept = static_cast<std::size_t>(std::min<std::uint64_t>(k, r.trials()));
    if (parts.input_names.empty())
        throw invalid_argument("offroi::simulate: driver_trials = " + std::to_string(opt.driver_trials) +
                               " needs a sampled input; every input of the scenario is a constant");
    if (kept < 3)
        detail::throw_invalid("offroi::simulate", "driver_trials", double(opt.driver_trials),
                              "must be >= 3 trials that ran (the rank regression needs them)");

    // Per alternative, the inputs that feed it (the scenario's, the baseline's and its own),
    // ranked once for all alternatives, ordered by |SRRC|: as run_drivers_all ranks them.
    std::vector<std::span<const double>> ins, ys;
    for (const auto& c : in_rec->columns) ins.emplace_back(c.data(), kept);
    std::vector<std::string> alternatives;
    for (const auto& a : s.alternatives) {
        alternatives.push_back(a.name);
        ys.emplace_back(out_rec->columns[r.index_of(a.name + ".net_benefit")].data(), kept);
    }
    const std::vector<driver_ranking> ranked = detail::rank_alternatives(
        parts.input_names, ins, kept, s.baseline.name, alternatives, ys, opt.threads, /*throw_unfed=*/false);
    std::vector<std::vector<input_driver>> drivers;
    std::vector<double> r2;
    for (const driver_ranking& d : ranked) {
        std::vector<input_driver> v;
        const rank_sensitivity_result& m = d.measures;
        for (const std::size_t i : d.order)
            v.push_back({m.names[i], m.srrc[i], m.prcc[i], m.spearman[i], m.contribution_to_variance[i]});
        drivers.push_back(std::move(v));
        r2.push_back(d.order.empty() ? 0.0 : m.srrc_r2);
    }
    scenario_result out = assemble_result(s, seed, std::move(r), binds, opt.shortfall_alpha, opt.percentiles,
                                          opt.threads);
    for (std::size_t a = 0; a < s.alternatives.size(); ++a) {
        out.arrangements[a + 1].drivers = std::move(drivers[a]);
        out.arrangements[a + 1].drivers_r2 = r2[a];
    }
    return out;
}

}  // namespace detail

OFFROI_FUNC scenario_result simulate(const scenario& s, const simulate_options& opt) {
    constexpr const char* fn = "offroi::simulate";
    validate(s);
    const std::uint64_t trials = opt.trials ? opt.trials : s.simulation.trials;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    const bool legacy_zero_seed = opt.override_seed && !opt.seed;  // old form: override_seed, seed 0
#pragma GCC diagnostic pop
    const std::uint64_t seed = legacy_zero_seed ? 0 : opt.seed.value_or(s.simulation.seed);
    if (trials < 2) detail::throw_invalid(fn, "trials", double(trials), "must be >= 2");
    for (std::size_t k = 0; k < opt.percentiles.size(); ++k)
        detail::check_open_probability(fn, "percentiles[" + std::to_string(k) + "]", opt.percentiles[k]);
    if (opt.driver_trials > 0) return detail::simulate_with_drivers(s, opt, trials, seed);
    const auto model = make_roi_model(s, seed, trials, opt.outputs);

    run_options ro;
    ro.trials = trials;
    ro.seed = seed;
    ro.threads = opt.threads;
    ro.samples = opt.samples;
    ro.progress = opt.progress;
    ro.cancel = opt.cancel;
    run_result r = run(model, ro);

    return assemble_result(s, seed, std::move(r), model.outputs(), opt.shortfall_alpha, opt.percentiles, opt.threads);
}

}  // namespace offroi
