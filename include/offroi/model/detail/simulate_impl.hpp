#pragma once
/// \file
/// Definition of `simulate` (declared in offroi/model/scenario_result.hpp). Included by
/// offroi/model/simulate.hpp in header-only builds; compiled once into liboffroi
/// (src/lib/model.cpp) otherwise. Not for direct inclusion.

#include <string>
#include <utility>

#include "offroi/detail/checks.hpp"
#include "offroi/engine/run.hpp"
#include "offroi/model/simulate.hpp"
#include "offroi/model/validate.hpp"

namespace offroi {

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
    const auto model = make_roi_model(s, seed, trials, opt.outputs);

    run_options ro;
    ro.trials = trials;
    ro.seed = seed;
    ro.threads = opt.threads;
    ro.samples = opt.samples;
    ro.progress = opt.progress;
    ro.cancel = opt.cancel;
    run_result r = run(model, ro);

    return assemble_result(s, seed, std::move(r), model.outputs(), opt.shortfall_alpha, opt.percentiles);
}

}  // namespace offroi
