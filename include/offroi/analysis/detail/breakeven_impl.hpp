#pragma once
/// \file
/// Definition of `breakeven` (offroi/analysis/breakeven.hpp). Included by breakeven.hpp in
/// header-only builds; compiled once into liboffroi (src/lib/analysis.cpp) otherwise. Not
/// for direct inclusion.

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "offroi/analysis/breakeven.hpp"
#include "offroi/analysis/detail/sweep_impl.hpp"
#include "offroi/analysis/scenario_run.hpp"

namespace offroi {

OFFROI_FUNC breakeven_result breakeven(const scenario& s, const breakeven_options& opt) {
    constexpr const char* fn = "breakeven";
    if (!std::isfinite(opt.lower) || !std::isfinite(opt.upper) || opt.lower == opt.upper)
        throw invalid_argument("breakeven: the bracket [" + detail::format_value(opt.lower) + ", " +
                               detail::format_value(opt.upper) + "] is invalid; need two different finite ends");
    if (opt.target == breakeven_target::prob_loss && !(opt.prob_loss_target > 0 && opt.prob_loss_target < 1))
        detail::throw_invalid(fn, "prob_loss_target", opt.prob_loss_target, "must be in (0, 1)");
    if (opt.max_evaluations < 3) detail::throw_invalid(fn, "max_evaluations", opt.max_evaluations, "must be >= 3");
    if (s.alternatives.empty()) throw invalid_argument("breakeven: the scenario has no alternative arrangement");
    (void)s.get(opt.input);
    const std::string arr = opt.arrangement.empty() ? s.alternatives.front().name : opt.arrangement;
    if (s.find(arr).name == s.baseline.name)
        throw invalid_argument("breakeven: arrangement \"" + arr + "\" is the baseline; its net benefit is 0");

    breakeven_result res;
    res.input = opt.input;
    res.arrangement = arr;
    res.target = opt.target;
    res.seed = opt.run.seed ? *opt.run.seed : s.simulation.seed;
    const double z = 1.959963984540054;

    auto g = [&](double x) {
        scenario sx = s;
        run_request req = opt.run;
        req.seed = res.seed;
        req.precision = 0.0;
        detail::apply_input_value(sx, req, opt.input, opt.mode, x);
        const scenario_run r = run_scenario(std::move(sx), req);
        res.trials = r.trials();
        const arrangement_result& a = r.result.arrangement(arr);
        breakeven_evaluation e;
        e.x = x;
        if (opt.target == breakeven_target::median_net_benefit) {
            const auto& p = a.output("net_benefit").percentile(0.5);
            e.objective = p.value;
            e.objective_se = (p.ci.upper - p.ci.lower) / (2 * z);
        } else {
            const double p = a.prob_net_loss;
            e.objective = p - opt.prob_loss_target;
            e.objective_se = std::sqrt(std::max(p * (1 - p), 0.25 / double(res.trials)) / double(res.trials));
        }
        res.evaluations.push_back(e);
        return e;
    };

    double a = std::min(opt.lower, opt.upper), b = std::max(opt.lower, opt.upper);
    breakeven_evaluation ea = g(a), eb = g(b);
    double fa = ea.objective, fb = eb.objective;
    if (fa * fb > 0)
        throw invalid_argument("breakeven: no sign change of the objective (" +
                               std::string(opt.target == breakeven_target::median_net_benefit
                                               ? "median net benefit"
                                               : "P(loss) - target") +
                               " of " + arr + ") on [" + detail::format_value(a) + ", " + detail::format_value(b) +
                               "]: " + detail::format_value(fa) + " at " + detail::format_value(a) + ", " +
                               detail::format_value(fb) + " at " + detail::format_value(b) +
                               "; widen the bracket or choose another input");
    const double xtol = opt.x_tolerance > 0 ? opt.x_tolerance : 1e-6 * (b - a);
    double root = fa == 0 ? a : b;
    if (fa != 0 && fb != 0) {
        int side = 0;  // Illinois: which end was kept last time
        int evals = 2;
        while (b - a > xtol && evals < opt.max_evaluations) {
            double x = (a * fb - b * fa) / (fb - fa);
            const double w = b - a;
            if (!(x > a + 0.01 * w && x < b - 0.01 * w)) x = 0.5 * (a + b);
            const double fx = g(x).objective;
            ++evals;
            if (fx == 0) {
                a = b = x;
                break;
            }
            if ((fx < 0) == (fa < 0)) {
                a = x;
                fa = fx;
                if (side == -1) fb *= 0.5;
                side = -1;
            } else {
                b = x;
                fb = fx;
                if (side == 1) fa *= 0.5;
                side = 1;
            }
        }
        // The final estimate: the secant point of the last bracket (its midpoint if flat).
        root = (a == b || fb == fa) ? 0.5 * (a + b) : (a * fb - b * fa) / (fb - fa);
        root = std::clamp(root, a, b);
    }
    res.value = root;
    const breakeven_evaluation er = g(root);
    res.objective_at_root = er.objective;
    res.objective_se_at_root = er.objective_se;
    const double h = 0.02 * std::fabs(opt.upper - opt.lower);
    const double lo = std::min(opt.lower, opt.upper), hi = std::max(opt.lower, opt.upper);
    const double x1 = std::max(root - h, lo), x2 = std::min(root + h, hi);
    res.slope = (g(x2).objective - g(x1).objective) / (x2 - x1);
    res.standard_error = res.slope != 0 ? er.objective_se / std::fabs(res.slope)
                                        : std::numeric_limits<double>::infinity();
    return res;
}

}  // namespace offroi
