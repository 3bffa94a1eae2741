#pragma once
/// \file
/// `sweep(scenario, options)`: one input over a list of values -- set to a constant
/// (`sweep_mode::set`, e.g. "offshore_team.hourly_rate_usd" = 15, 20, ..., 150) or scaled
/// by a factor in every trial (`sweep_mode::scale`, keeping its uncertainty) -- each step
/// simulated with the same seed, so all steps share their random numbers (common random
/// numbers across steps: the other inputs and the risk events are the same draws at every
/// step, and the curve is smooth in the swept value rather than noisy). Per step and per
/// alternative: the net benefit's P10/P50/P90, mean with its standard error, P(loss), the
/// median net saving on spend, P(delivered within the horizon), and the median cash
/// break-even and cost-parity months with the shares of trials reaching them within the
/// horizon; per step also the baseline's P(delivered). `best_mean_step` says at which step
/// each alternative's mean net benefit is highest (where the optimum of the swept input lies,
/// on the grid).
///
/// CRN across steps holds exactly for the Monte Carlo and Latin hypercube designs (an
/// input's draws are keyed by its name). In `set` mode the swept input leaves the sampled
/// set, so a correlation with it is dropped at every step alike.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "offroi/analysis/run_request.hpp"
#include "offroi/detail/config.hpp"
#include "offroi/error.hpp"
#include "offroi/model/framing.hpp"
#include "offroi/model/scenario.hpp"

namespace offroi {

/// How a swept or searched input takes its value.
enum class sweep_mode {
    set,   ///< the input is the constant value
    scale  ///< the input's draws are multiplied by the value
};

/// Options of `sweep`.
struct sweep_options {
    std::string input{};         ///< the input's name, as `scenario::get` takes it
    std::vector<double> values{};  ///< the values (set) or factors (scale), in order
    sweep_mode mode = sweep_mode::set;  ///< set or scale
    run_request run{};           ///< trials, seed, sampler, threads
};

/// One alternative at one step.
struct sweep_point {
    std::string arrangement;  ///< the alternative's name
    double p10 = 0;           ///< P10 of net benefit
    double p50 = 0;           ///< P50 of net benefit
    double p90 = 0;           ///< P90 of net benefit
    double mean = 0;          ///< mean net benefit
    double standard_error = 0;  ///< its standard error
    double prob_loss = 0;     ///< P(net benefit < 0)
    double net_saving_p50 = 0;  ///< median net saving on spend (share of the baseline's spend)
    double prob_delivered = 1;  ///< P(backlog delivered within the horizon) (capacity framing: 1)
    double breakeven_p50 = 0;   ///< median cash break-even month (may exceed the horizon; never_month: never, or a median between a month and never)
    double prob_breakeven = 0;  ///< P(break-even within the horizon)
    double parity_p50 = 0;      ///< median cost-parity month (as `breakeven_p50`)
    double prob_parity = 0;     ///< P(parity within the horizon)
};

/// One step of a sweep.
struct sweep_step {
    double value = 0;                     ///< the input's value (set) or factor (scale)
    double baseline_prob_delivered = 1;   ///< the baseline's P(delivered within the horizon)
    std::vector<sweep_point> alternatives;  ///< one per alternative, scenario order
};

/// The result of `sweep`.
struct sweep_result {
    std::string input;                  ///< the swept input
    sweep_mode mode = sweep_mode::set;  ///< set or scale
    std::uint64_t seed = 0;             ///< the seed shared by every step
    std::uint64_t trials = 0;           ///< trials per step
    std::string baseline;               ///< the baseline's name
    framing frame = framing::project;   ///< the scenario's framing
    int horizon_months = 0;             ///< the scenario's horizon
    std::vector<sweep_step> steps;      ///< in the order of the values
    /// Per alternative (scenario order): the index of the step with the highest mean net
    /// benefit (the first of equal ones).
    std::vector<std::size_t> best_mean_step;
};

/// `count` evenly spaced values from `from` to `to` inclusive (count >= 2; count = 1
/// gives {from}). \throws invalid_argument for count 0 or non-finite ends.
inline std::vector<double> linear_range(double from, double to, std::size_t count) {
    if (count == 0) throw invalid_argument("linear_range: count = 0 is invalid; must be >= 1");
    if (!std::isfinite(from) || !std::isfinite(to))
        detail::throw_invalid("linear_range", "from/to", std::isfinite(from) ? to : from, "must be finite");
    std::vector<double> v(count);
    for (std::size_t i = 0; i < count; ++i)
        v[i] = count == 1 ? from : (i + 1 == count ? to : std::lerp(from, to, double(i) / double(count - 1)));
    return v;
}

/// Sweeps one input (see the file comment).
/// \throws invalid_argument for no values, an unknown input, a non-finite value or a
///         factor that takes the input out of its range; invalid_scenario when a set value
///         is out of the field's range (the message names the field); as `run_scenario`.
OFFROI_FUNC sweep_result sweep(const scenario& s, const sweep_options& opt);

}  // namespace offroi

#if !OFFROI_SEPARATE_COMPILATION
#include "offroi/analysis/detail/sweep_impl.hpp"
#endif
