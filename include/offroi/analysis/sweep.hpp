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

#include "offroi/analysis/scenario_run.hpp"
#include "offroi/distributions/constant.hpp"
#include "offroi/error.hpp"
#include "offroi/model/evaluate.hpp"
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

namespace detail {

/// The scenario and request for one value of a swept/searched input.
inline void apply_input_value(scenario& s, run_request& req, const std::string& input, sweep_mode mode,
                              double value) {
    if (!std::isfinite(value)) throw_invalid("sweep", input + " value", value, "must be finite");
    if (mode == sweep_mode::set) {
        s.set(input, constant_distribution(value));
    } else {
        req.scaling.push_back({input, value});
    }
}

/// A median month as the sweep reports it: `never_month` when it is not a month (never, or
/// interpolated between a month and never: no month output lies beyond the horizon by more
/// than the model's longest extrapolation, max_horizon_months).
inline double median_month(const summary& m, int horizon_months) {
    const double v = m.percentile(0.5).value;
    return !(v <= double(horizon_months) + max_horizon_months + 12.0) ? never_month : v;
}

inline sweep_step sweep_step_of(const scenario_run& r, double value, int horizon_months) {
    sweep_step st;
    st.value = value;
    for (const auto& a : r.result.arrangements) {
        if (a.is_baseline) {
            st.baseline_prob_delivered = a.prob_delivered;
            continue;
        }
        const summary& nb = a.output("net_benefit");
        sweep_point p;
        p.arrangement = a.name;
        p.p10 = nb.percentile(0.1).value;
        p.p50 = nb.percentile(0.5).value;
        p.p90 = nb.percentile(0.9).value;
        p.mean = nb.mean;
        p.standard_error = nb.standard_error;
        p.prob_loss = a.prob_net_loss;
        p.net_saving_p50 = a.output("net_saving").percentile(0.5).value;
        p.prob_delivered = a.prob_delivered;
        p.breakeven_p50 = median_month(a.output("breakeven_month"), horizon_months);
        p.prob_breakeven = a.prob_breakeven;
        p.parity_p50 = median_month(a.output("parity_month"), horizon_months);
        p.prob_parity = a.prob_parity;
        st.alternatives.push_back(std::move(p));
    }
    return st;
}

}  // namespace detail

/// Sweeps one input (see the file comment).
/// \throws invalid_argument for no values, an unknown input, a non-finite value or a
///         factor that takes the input out of its range; invalid_scenario when a set value
///         is out of the field's range (the message names the field); as `run_scenario`.
inline sweep_result sweep(const scenario& s, const sweep_options& opt) {
    if (opt.values.empty()) throw invalid_argument("sweep: no values given; need at least 1");
    (void)s.get(opt.input);  // unknown names fail before any run
    sweep_result res;
    res.input = opt.input;
    res.mode = opt.mode;
    res.seed = opt.run.seed ? *opt.run.seed : s.simulation.seed;
    res.baseline = s.baseline.name;
    res.frame = s.frame;
    res.horizon_months = s.horizon_months;
    for (double v : opt.values) {
        scenario sv = s;
        run_request req = opt.run;
        req.seed = res.seed;
        req.precision = 0.0;  // every step runs the same trials (CRN)
        detail::apply_input_value(sv, req, opt.input, opt.mode, v);
        const scenario_run r = run_scenario(std::move(sv), req);
        res.trials = r.result.run.trials();
        res.steps.push_back(detail::sweep_step_of(r, v, s.horizon_months));
    }
    res.best_mean_step.assign(s.alternatives.size(), 0);
    for (std::size_t k = 0; k < s.alternatives.size(); ++k)
        for (std::size_t i = 1; i < res.steps.size(); ++i)
            if (res.steps[i].alternatives[k].mean > res.steps[res.best_mean_step[k]].alternatives[k].mean)
                res.best_mean_step[k] = i;
    return res;
}

}  // namespace offroi
