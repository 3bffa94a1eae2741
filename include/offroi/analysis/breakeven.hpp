#pragma once
/// \file
/// `breakeven(scenario, options)`: the value of one input at which an alternative's median
/// net benefit is zero (`breakeven_target::median_net_benefit`), or its P(loss) equals a
/// target (`breakeven_target::prob_loss`).
///
/// Method. Every evaluation simulates the scenario with the input set to x (or scaled by x)
/// with the same seed, so the objective g(x) (P50 of net benefit, or P(loss) - target) is
/// a deterministic function of x under common random numbers -- smooth for the median,
/// a fine staircase for P(loss). The root is bracketed by [lower, upper] (g must change sign
/// there; otherwise `invalid_argument` reports g at both ends), then found by regula falsi
/// with the Illinois modification (a halved weight on a stale end), falling back to
/// bisection when an interpolated step leaves the middle 98% of the bracket, until the
/// bracket is narrower than `x_tolerance` or g is exactly 0.
///
/// Monte Carlo uncertainty (delta method): the root's standard error is
/// SE(g(x*)) / |g'(x*)|, with SE(g) the standard error of the objective's estimate at the
/// root -- for the median, the half-width of its distribution-free 95% interval divided by
/// 1.96; for P(loss), sqrt(p (1 - p) / n) -- and g'(x*) a central difference over +-2% of
/// the initial bracket (clipped to it) (same seed). A different seed moves the root by about that much; a
/// test checks roots over independent seeds agree within it.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "offroi/analysis/run_request.hpp"
#include "offroi/analysis/sweep.hpp"
#include "offroi/detail/config.hpp"
#include "offroi/error.hpp"
#include "offroi/model/scenario.hpp"

namespace offroi {

/// What the break-even search solves for.
enum class breakeven_target {
    median_net_benefit,  ///< P50 of net benefit = 0
    prob_loss            ///< P(net benefit < 0) = prob_loss_target
};

/// Options of `breakeven`.
struct breakeven_options {
    std::string input{};      ///< the input searched over
    double lower = 0;         ///< one end of the bracket
    double upper = 0;         ///< the other end
    sweep_mode mode = sweep_mode::set;  ///< value (set) or factor (scale)
    std::string arrangement{};  ///< the alternative (empty: the first)
    breakeven_target target = breakeven_target::median_net_benefit;  ///< the objective
    double prob_loss_target = 0.5;  ///< target P(loss), in (0, 1), for `prob_loss`
    double x_tolerance = 0;   ///< stop when the bracket is narrower (0: 1e-6 * |upper - lower|)
    int max_evaluations = 60; ///< cap on simulations in the search (>= 3)
    run_request run{};        ///< trials, seed, sampler, threads
};

/// One evaluation of the objective.
struct breakeven_evaluation {
    double x = 0;          ///< the input's value or factor
    double objective = 0;  ///< g(x)
    double objective_se = 0;  ///< SE of g(x)'s estimate
};

/// The result of `breakeven`.
struct breakeven_result {
    std::string input;         ///< the input
    std::string arrangement;   ///< the alternative
    breakeven_target target = breakeven_target::median_net_benefit;  ///< the objective
    double value = 0;          ///< x*, the root
    double standard_error = 0; ///< Monte Carlo SE of x* (delta method, see the file comment)
    double objective_at_root = 0;     ///< g(x*) (same seed)
    double objective_se_at_root = 0;  ///< SE of g's estimate at x*
    double slope = 0;          ///< g'(x*), central difference
    std::uint64_t seed = 0;    ///< the seed of every evaluation
    std::uint64_t trials = 0;  ///< trials per evaluation
    std::vector<breakeven_evaluation> evaluations;  ///< the search's evaluations, in order
};

/// Finds the break-even value (see the file comment).
/// \throws invalid_argument for a bracket that is not finite or empty, a target outside
///         (0, 1), max_evaluations < 3, an unknown input or arrangement (the baseline is
///         refused: its net benefit is 0), or no sign change of g on the bracket (the message
///         gives g at both ends); invalid_scenario for a value outside the field's range;
///         as `run_scenario`.
OFFROI_FUNC breakeven_result breakeven(const scenario& s, const breakeven_options& opt);

}  // namespace offroi

#if !OFFROI_SEPARATE_COMPILATION
#include "offroi/analysis/detail/breakeven_impl.hpp"
#endif
