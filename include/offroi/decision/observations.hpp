#pragma once
/// \file
/// What can be observed after N months of an arrangement, and the likelihood of each
/// observation given a trial's values -- the data that `update_scenario`
/// (decision/scenario_update.hpp) learns from:
///  - `input_measurement`: a measured value of a sampled input ("offshore_team.hourly_rate_usd")
///    with normal measurement error: y ~ N(theta, sd^2);
///  - `attrition_count`: k leavers among E engineers of an arrangement over m months, a count
///    whose likelihood follows from the arrangement's annual attrition a through the model's
///    monthly hazard h = 1 - (1 - a)^(1/12) (model/evaluate.hpp, make_regime):
///      cohort (default): E engineers followed for m months, leavers not counted again:
///        k ~ Binomial(E, q), q = 1 - (1 - h)^m = 1 - (1 - a)^(m/12);
///      exposure: E seats kept filled for m months (leavers replaced, replacements may leave
///        too), k ~ Poisson(E m h), so k may exceed E;
///  - `output_measurement`: a measured value of an output of an arrangement
///    ("offshore_team.rework_share", any field of `arrangement_outcome`) with normal error.
///    It is compared with the trial's value of that field: the whole-horizon value for
///    cumulative fields, so observe per-trial constants (rework share, coordination penalty,
///    billed rate, capability tier) or give the horizon-level value.
/// Each log-likelihood includes its normalising constant, so sums over observations are
/// log-likelihoods of the data (only differences between trials matter for updating).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <string>
#include <string_view>
#include <vector>

#include "offroi/error.hpp"

namespace offroi {

/// A measured value of a sampled input with normal measurement error.
struct input_measurement {
    std::string input;  ///< the input's name, as `scenario::get` takes it
    double value = 0;   ///< the measured value
    double sd = 0;      ///< the measurement's standard deviation, > 0 (tiny for an exact value)
};

/// How an attrition count is read (see the file comment).
enum class attrition_count_model {
    cohort,    ///< E engineers followed for m months: k ~ Binomial(E, 1 - (1 - a)^(m/12))
    exposure,  ///< E seats kept filled for m months: k ~ Poisson(E m h), h the monthly hazard
};

/// k leavers among E engineers of an arrangement over m months.
struct attrition_count {
    std::string arrangement;     ///< the arrangement whose annual_attrition is observed
    std::int64_t leavers = 0;    ///< k >= 0 (cohort: <= E)
    std::int64_t engineers = 0;  ///< E >= 1
    double months = 0;           ///< m > 0, at most 600
    attrition_count_model model = attrition_count_model::cohort;  ///< how the count is read
};

/// A measured value of an output of an arrangement with normal measurement error.
struct output_measurement {
    std::string output;  ///< "<arrangement>.<outcome field>", e.g. "offshore_team.rework_share"
    double value = 0;    ///< the measured value
    double sd = 0;       ///< the measurement's standard deviation, > 0
};

/// Everything observed so far.
struct observations {
    std::vector<input_measurement> inputs;     ///< measured inputs
    std::vector<attrition_count> attrition;    ///< attrition counts
    std::vector<output_measurement> outputs;   ///< measured outputs
    /// True when nothing is observed.
    bool empty() const noexcept { return inputs.empty() && attrition.empty() && outputs.empty(); }
};

/// log N(value; theta, sd^2).
inline double normal_log_likelihood(double theta, double value, double sd) noexcept {
    const double z = (value - theta) / sd;
    return -0.5 * z * z - std::log(sd) - 0.5 * std::log(2.0 * std::numbers::pi);
}

/// The model's monthly attrition hazard 1 - (1 - a)^(1/12) for annual attrition a in [0, 1).
inline double monthly_attrition_hazard(double annual) noexcept {
    return -std::expm1(std::log1p(-annual) / 12.0);
}

/// log P(k leavers | annual attrition a) under the count's model (file comment); -inf when
/// the count is impossible (k > 0 with a = 0).
inline double attrition_log_likelihood(double annual, const attrition_count& c) noexcept {
    const double k = double(c.leavers), E = double(c.engineers), m = c.months;
    const double l1 = std::log1p(-annual);  // log(1 - a)
    if (c.model == attrition_count_model::cohort) {
        const double log_stay = m / 12.0 * l1;                      // log(1 - q)
        const double log_leave = std::log(-std::expm1(log_stay));   // log q
        const double binom = std::lgamma(E + 1) - std::lgamma(k + 1) - std::lgamma(E - k + 1);
        const double a = k > 0 ? k * log_leave : 0.0;
        const double b = E - k > 0 ? (E - k) * log_stay : 0.0;
        return binom + a + b;
    }
    const double lambda = E * m * monthly_attrition_hazard(annual);
    if (lambda <= 0.0) return k > 0 ? -std::numeric_limits<double>::infinity() : 0.0;
    return k * std::log(lambda) - lambda - std::lgamma(k + 1);
}

/// The annual attrition that maximises the count's likelihood (the rate it implies):
/// cohort 1 - (1 - k/E)^(12/m), exposure 1 - (1 - k/(E m))^12 (capped at 0.999).
inline double implied_annual_attrition(const attrition_count& c) noexcept {
    const double k = double(c.leavers), E = double(c.engineers), m = c.months;
    const double per = c.model == attrition_count_model::cohort ? k / E : std::min(1.0, k / (E * m));
    const double months_per = c.model == attrition_count_model::cohort ? m : 1.0;
    if (per >= 1.0) return 0.999;
    return std::min(0.999, -std::expm1(12.0 / months_per * std::log1p(-per)));
}

namespace detail {

/// Checks a measurement's value and sd; `what` names it in messages ("observations.inputs[0]").
inline void check_measurement(std::string_view fn, const std::string& what, double value, double sd) {
    if (!std::isfinite(value)) throw_invalid(fn, what + ".value", value, "must be finite");
    if (!std::isfinite(sd) || !(sd > 0.0))
        throw_invalid(fn, what + ".sd", sd,
                      "the measurement's standard deviation must be finite and > 0 (use a tiny sd, e.g. 1e-9, "
                      "for an exact value)");
}

/// Checks an attrition count; `what` names it in messages ("observations.attrition[0]").
inline void check_count(std::string_view fn, const std::string& what, const attrition_count& c) {
    if (c.engineers < 1) throw_invalid(fn, what + ".engineers", double(c.engineers), "must be an integer >= 1");
    if (c.leavers < 0) throw_invalid(fn, what + ".leavers", double(c.leavers), "must be an integer >= 0");
    if (c.model != attrition_count_model::cohort && c.model != attrition_count_model::exposure)
        throw_invalid(fn, what + ".model", double(int(c.model)), "must be attrition_count_model::cohort or exposure");
    if (c.model == attrition_count_model::cohort && c.leavers > c.engineers)
        throw_invalid(fn, what + ".leavers", double(c.leavers),
                      "must be <= engineers (" + std::to_string(c.engineers) +
                          ") for a cohort count; use the exposure model if leavers were replaced and counted again");
    if (!std::isfinite(c.months) || !(c.months > 0.0) || c.months > 600.0)
        throw_invalid(fn, what + ".months", c.months, "must be in (0, 600]");
}

}  // namespace detail
}  // namespace offroi
