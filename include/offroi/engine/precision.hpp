#pragma once
/// \file
/// Precision stopping, as Crystal Ball's precision control and @RISK's convergence
/// monitoring do: keep adding blocks until the confidence half-width of a chosen statistic
/// (the mean, or the p-quantile) of a chosen output is within a tolerance, with a trial cap.
///
/// Determinism: the rule is evaluated only at fixed checkpoints -- after every K merged
/// blocks, K = `precision_target::check_every_blocks` -- on the merged summaries of blocks
/// 0 ... mK - 1, never on a block count that depends on timing; blocks that other threads
/// finished beyond the stopping checkpoint are discarded. The stopping point, and so the
/// whole result, is therefore the same for any thread count. It is also the same whether
/// or not samples are kept, because the rule reads the summaries only.
///
/// Half-widths, with z = Phi^-1((1 + confidence) / 2) (1.95996... for 95%):
///  - mean: z * s / sqrt(n) (the summary's standard error);
///  - p-quantile: the distribution-free order-statistic interval (the number of values
///    below the p-quantile is Binomial(n, p)): [Q(p - d), Q(p + d)] with
///    d = z * sqrt(p (1 - p) / n), Q the summary's quantile; half-width = (Q(p + d) -
///    Q(p - d)) / 2. Infinite while p - d <= 0 or p + d >= 1 (too few trials for the tail).
/// The target is met when half-width <= max(absolute_tolerance, relative_tolerance *
/// |estimate|) and at least `min_trials` trials were merged.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <boost/math/distributions/normal.hpp>

#include "offroi/engine/engine_options.hpp"
#include "offroi/engine/executor.hpp"
#include "offroi/engine/model.hpp"
#include "offroi/engine/run_options.hpp"
#include "offroi/engine/run_result.hpp"
#include "offroi/error.hpp"

namespace offroi {

/// Which statistic a precision target is about.
enum class precision_statistic {
    mean,      ///< the mean of the output
    quantile,  ///< the quantile at `precision_target::probability` (e.g. 0.9 for P90)
};

/// A precision target: stop when the confidence half-width of the statistic of the output
/// is within tolerance. At least one tolerance must be > 0.
struct precision_target {
    /// Name of the output (one of the model's output_names()).
    std::string output;
    /// The statistic: mean or quantile.
    precision_statistic statistic = precision_statistic::mean;
    /// Probability level of the quantile, in (0, 1); ignored for the mean.
    double probability = 0.5;
    /// Absolute tolerance on the half-width (same unit as the output); 0 = not used.
    double absolute_tolerance = 0.0;
    /// Relative tolerance on the half-width, as a fraction of |estimate|; 0 = not used.
    double relative_tolerance = 0.0;
    /// Confidence level of the interval, in (0, 1); default 95%.
    double confidence = 0.95;
    /// Never stop before this many trials (in addition to the first checkpoint).
    std::uint64_t min_trials = 0;
    /// K: the rule is evaluated after every K merged blocks (>= 1). Part of the result's
    /// identity (a different K can stop elsewhere); independent of the thread count.
    std::uint64_t check_every_blocks = 8;
};

/// Where a precision run ended, relative to its target.
struct precision_status {
    bool met = false;          ///< true if the target was met (false: the trial cap or a cancel came first)
    double estimate = 0.0;     ///< the statistic's estimate on the result
    double half_width = 0.0;   ///< its confidence half-width (may be +inf, see the file comment)
    double tolerance = 0.0;    ///< max(absolute_tolerance, relative_tolerance * |estimate|)
    std::uint64_t checkpoints = 0;  ///< number of times the rule was evaluated during the run
};

/// The result of a precision run: the run's result and the status of the target.
template <mergeable_summary Summary>
struct basic_precision_result {
    basic_run_result<Summary> result;  ///< the run (trials() = trials up to the stopping checkpoint)
    precision_status status;           ///< the target's status on that result
};

/// What a summary must offer for precision stopping on it.
template <class S>
concept precision_summary = mergeable_summary<S> && requires(const S& s, double p) {
    { s.mean() } -> std::convertible_to<double>;
    { s.standard_error() } -> std::convertible_to<double>;
    { s.quantile(p) } -> std::convertible_to<double>;
};

namespace detail {

inline void validate(std::string_view where, const precision_target& t) {
    auto bad = [&](const char* field, double v, const char* allowed) {
        throw_invalid(where, std::string("precision_target.") + field, v, allowed);
    };
    if (t.statistic == precision_statistic::quantile && !(t.probability > 0.0 && t.probability < 1.0))
        bad("probability", t.probability, "must be in the open interval (0, 1)");
    if (!(t.confidence > 0.0 && t.confidence < 1.0))
        bad("confidence", t.confidence, "must be in the open interval (0, 1)");
    if (!(std::isfinite(t.absolute_tolerance) && t.absolute_tolerance >= 0.0))
        bad("absolute_tolerance", t.absolute_tolerance, "must be finite and >= 0");
    if (!(std::isfinite(t.relative_tolerance) && t.relative_tolerance >= 0.0))
        bad("relative_tolerance", t.relative_tolerance, "must be finite and >= 0");
    if (t.absolute_tolerance == 0.0 && t.relative_tolerance == 0.0)
        throw invalid_argument(std::string(where) +
                               ": precision_target.absolute_tolerance and relative_tolerance are "
                               "both 0; at least one must be > 0");
    if (t.check_every_blocks == 0)
        throw_bad_option(where, "precision_target.check_every_blocks", "0", "must be >= 1");
}

/// z = Phi^-1((1 + confidence) / 2).
inline double two_sided_z(double confidence) {
    return boost::math::quantile(boost::math::normal_distribution<double>(),
                                 0.5 + 0.5 * confidence);
}

/// Estimate and half-width of the target's statistic on one summary.
template <precision_summary S>
std::pair<double, double> estimate_and_half_width(const S& s, const precision_target& t, double z) {
    const double n = static_cast<double>(s.count());
    if (t.statistic == precision_statistic::mean) {
        if (n < 2) return {n > 0 ? s.mean() : 0.0, std::numeric_limits<double>::infinity()};
        return {s.mean(), z * s.standard_error()};
    }
    const double p = t.probability;
    if (n < 1) return {0.0, std::numeric_limits<double>::infinity()};
    const double est = s.quantile(p);
    const double d = z * std::sqrt(p * (1.0 - p) / n);
    if (p - d <= 0.0 || p + d >= 1.0) return {est, std::numeric_limits<double>::infinity()};
    return {est, 0.5 * (s.quantile(p + d) - s.quantile(p - d))};
}

template <precision_summary S>
precision_status status_of(const S& s, const precision_target& t, double z, std::uint64_t trials) {
    precision_status st;
    auto [est, hw] = estimate_and_half_width(s, t, z);
    st.estimate = est;
    st.half_width = hw;
    st.tolerance = std::max(t.absolute_tolerance, t.relative_tolerance * std::fabs(est));
    st.met = trials >= t.min_trials && hw <= st.tolerance;
    return st;
}

}  // namespace detail

namespace detail {

/// The precision run behind both `run_to_precision` overloads (`prototypes`: one per output).
template <model M, precision_summary Summary>
basic_precision_result<Summary> precision_run(const M& m, const engine_options& o,
                                              const precision_target& target,
                                              const std::vector<std::string>& names,
                                              const std::vector<Summary>& prototypes) {
    constexpr std::string_view where = "offroi::run_to_precision";
    const auto it = std::find(names.begin(), names.end(), target.output);
    if (it == names.end()) {
        std::string msg = std::string(where) + ": precision_target.output = '" + target.output +
                          "' is not an output of the model; outputs are";
        for (const auto& n : names) msg += " '" + n + "'";
        throw invalid_argument(msg);
    }
    const std::size_t out = static_cast<std::size_t>(it - names.begin());
    const double z = two_sided_z(target.confidence);
    std::uint64_t checkpoints = 0;
    auto stop = [&](const checkpoint_state<Summary>& st) {
        ++checkpoints;
        return status_of(st.summaries[out], target, z, st.trials).met;
    };
    auto result = execute(m, o, prototypes, where, target.check_every_blocks, stop);
    precision_status status = status_of(result.summary(out), target, z, result.trials());
    status.checkpoints = checkpoints;
    return {std::move(result), status};
}

/// Validates the options and the target of a precision run.
inline void validate_precision(const engine_options& o, const precision_target& target) {
    constexpr std::string_view where = "offroi::run_to_precision";
    validate(where, o);
    validate(where, target);
    if (target.min_trials > o.trials)
        throw_bad_option(where, "precision_target.min_trials", std::to_string(target.min_trials),
                         "must be <= the trial cap (trials = " + std::to_string(o.trials) + ")");
}

}  // namespace detail

/// Runs `m` from o.first_trial, block after block, until the target is met at a checkpoint
/// or o.trials (the cap) trials were run, with a custom accumulator (see `run`).
/// Samples are kept if the cap's samples fit the budget.
/// \throws invalid_argument for bad options or targets (naming the field), or an unknown
///         output name; see `run` for the rest.
template <model M, precision_summary Summary>
basic_precision_result<Summary> run_to_precision(const M& m, const engine_options& o,
                                                 const precision_target& target,
                                                 const Summary& prototype) {
    detail::validate_precision(o, target);
    const auto names = m.output_names();
    return detail::precision_run(m, o, target, names,
                                 std::vector<Summary>(names.size(), prototype));
}

/// The result of a precision run with streaming summaries.
using precision_result = basic_precision_result<streaming_summary>;

/// Runs `m` from o.first_trial, block after block, with one `streaming_summary` per output,
/// until the target is met at a checkpoint or o.trials (the cap) trials were run. The
/// quantile's half-width comes from the summary's sketch (relative accuracy
/// o.summary.sketch_relative_accuracy, 1e-3 by default, well below typical tolerances).
/// \throws invalid_argument for bad options or targets (naming the field), or an unknown
///         output name; see `run` for the rest.
template <model M>
precision_result run_to_precision(const M& m, const run_options& o, const precision_target& target) {
    detail::validate_precision(o, target);
    const auto names = m.output_names();
    return detail::precision_run(m, o, target, names,
                                 detail::make_prototypes("offroi::run_to_precision", names, o));
}

}  // namespace offroi
