#pragma once
/// \file
/// Definition of `sweep` (offroi/analysis/sweep.hpp) and the helpers it shares with
/// `breakeven`. Included by sweep.hpp in header-only builds; compiled once into liboffroi
/// (src/lib/analysis.cpp) otherwise. Not for direct inclusion.

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "offroi/analysis/scenario_run.hpp"
#include "offroi/analysis/sweep.hpp"
#include "offroi/distributions/constant.hpp"
#include "offroi/model/evaluate.hpp"

namespace offroi {

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

OFFROI_FUNC sweep_result sweep(const scenario& s, const sweep_options& opt) {
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
        res.trials = r.trials();
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
