#pragma once
/// \file
/// The parts of a scenario's engine model, exposed for the analyses: which inputs are
/// sampled (names, marginals, column order), the constant parameter values, the input
/// bindings and the sampler settings -- the same construction as `make_roi_model`
/// (model/simulate.hpp), so a model built here draws the same bits (a test checks that
/// `run_scenario` reproduces `simulate`). On top of it:
///  - `input_scaling`: multiply an input by a factor in every trial (a constant input's
///    value, or each draw of a sampled input -- the uniforms stay the same, so the scaled
///    runs share their random numbers with the unscaled one);
///  - `analysis_fill`: the sampler fill of the run, which can also record the drawn inputs
///    of the first K trials (for rank-based drivers from the run's own draws, no rerun);
///  - `scenario_point_model`: the ROI model at a fixed input point, averaged over a fixed
///    set of risk-event draws (the tornado and the Sobol' adapters evaluate it).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "offroi/analysis/run_request.hpp"
#include "offroi/distributions/distribution.hpp"
#include "offroi/engine/model.hpp"
#include "offroi/engine/run_result.hpp"
#include "offroi/error.hpp"
#include "offroi/model/arrangement.hpp"
#include "offroi/model/evaluate.hpp"
#include "offroi/model/parameter_values.hpp"
#include "offroi/model/roi_model.hpp"
#include "offroi/model/scenario.hpp"
#include "offroi/model/validate.hpp"
#include "offroi/sampling/uniform_sampler.hpp"

namespace offroi {

/// The parts of a scenario's engine model (see the file comment).
struct scenario_model_parts {
    scenario_values scenario;                     ///< constants (sampled fields overwritten per trial)
    std::vector<arrangement_values> arrangements; ///< constants per arrangement, baseline first
    std::vector<std::string> names;               ///< arrangement names, baseline first
    std::vector<input_binding> bindings;          ///< one per sampled input, column order
    std::vector<std::string> input_names;         ///< sampled inputs' names, column order
    std::vector<distribution> input_distributions;  ///< their marginals, column order
    std::vector<double> input_factors;            ///< their scale factors (1 unless scaled)
    std::vector<rank_correlation> correlations;   ///< the scenario's pairs between sampled inputs
    sampling_method method = sampling_method::monte_carlo;  ///< design
    dependence_method dependence = dependence_method::gaussian_copula;  ///< dependence
    evaluation_settings settings;                 ///< horizon and discounting

    /// The sampler settings for `seed` and `design_size` (the run's trial count).
    sampling_options sampling(std::uint64_t seed, std::uint64_t design_size) const {
        sampling_options o;
        o.method = method;
        o.seed = seed;
        o.design_size = design_size;
        o.dependence = dependence;
        o.correlations = correlations;
        return o;
    }
    /// Index of arrangement `name`. \throws invalid_argument listing the arrangements.
    std::size_t arrangement_index(std::string_view name) const {
        for (std::size_t i = 0; i < names.size(); ++i)
            if (names[i] == name) return i;
        std::string msg = "offroi::scenario_model_parts: no arrangement named \"" + std::string(name) +
                          "\"; arrangements:";
        for (const auto& n : names) msg += " " + n;
        throw invalid_argument(msg);
    }
};

namespace detail {

inline bool analysis_is_constant(const distribution& d) {
    const auto [lo, hi] = support(d);
    return lo == hi;
}

// Checks that every value a draw can take, times factor, stays in the field's range (as
// `validate` checks an input: `drawable_range`).
template <class Values>
void check_scaled(const field_descriptor<Values>& f, const std::string& input, const distribution& d,
                  double factor) {
    const auto [lo, hi] = drawable_range(d);
    for (double v : {lo * factor, hi * factor}) {
        const bool ok = v == infinity_v ? f.upper == infinity_v || f.allow_infinite : drawable_in_range(f, v);
        if (!ok)
            throw invalid_argument("input_scaling: " + input + " scaled by " + format_value(factor) +
                                   " reaches " + format_value(v) + ", which is invalid; " +
                                   std::string(f.allowed));
    }
}

}  // namespace detail

/// The model parts of scenario `s` (not validated here: call `validate(s)` first), with
/// the given inputs scaled.
/// \throws invalid_argument for an unknown input name, a factor that is not finite and
///         > 0, or a scaled input that leaves its field's range (naming the input).
inline scenario_model_parts model_parts(const scenario& s, const std::vector<input_scaling>& scaling = {}) {
    for (const auto& sc : scaling) {
        (void)s.get(sc.input);  // throws on an unknown name
        if (!(sc.factor > 0.0) || !std::isfinite(sc.factor))
            detail::throw_invalid("input_scaling", sc.input + " factor", sc.factor, "must be finite and > 0");
    }
    auto factor_of = [&](const std::string& name) {
        double f = 1.0;
        for (const auto& sc : scaling)
            if (sc.input == name) f *= sc.factor;
        return f;
    };
    scenario_model_parts p;
    p.method = s.simulation.method;
    p.dependence = s.simulation.dependence;
    p.settings = {s.horizon_months, s.annual_discount_rate, s.frame};
    for (std::size_t i = 0; i < scenario_fields.size(); ++i) {
        const distribution& d = s.*(scenario_members[i]);
        const std::string name(scenario_fields[i].name);
        const double f = factor_of(name);
        if (f != 1.0) detail::check_scaled(scenario_fields[i], name, d, f);
        if (detail::analysis_is_constant(d)) {
            p.scenario.*(scenario_fields[i].member) = support(d).first * f;
        } else {
            input_binding b;
            b.scenario_member = scenario_fields[i].member;
            p.bindings.push_back(b);
            p.input_names.push_back(name);
            p.input_distributions.push_back(d);
            p.input_factors.push_back(f);
        }
    }
    auto add = [&](const arrangement& a) {
        arrangement_values v;
        v.contract = a.contract;
        const std::size_t index = p.arrangements.size();
        for (std::size_t i = 0; i < arrangement_fields.size(); ++i) {
            const distribution& d = a.*(arrangement_members[i]);
            const std::string name = a.name + "." + std::string(arrangement_fields[i].name);
            const double f = factor_of(name);
            if (f != 1.0) detail::check_scaled(arrangement_fields[i], name, d, f);
            if (detail::analysis_is_constant(d)) {
                v.*(arrangement_fields[i].member) = support(d).first * f;
            } else {
                input_binding b;
                b.arrangement = index;
                b.arrangement_member = arrangement_fields[i].member;
                p.bindings.push_back(b);
                p.input_names.push_back(name);
                p.input_distributions.push_back(d);
                p.input_factors.push_back(f);
            }
        }
        // A scaled band must still run upwards over both supports.
        const auto band_end = [&](const distribution& d, const char* field, bool upper) {
            const auto [lo, hi] = support(d);
            return (upper ? lo : hi) * factor_of(a.name + "." + field);
        };
        const double low_max = band_end(a.market_rate_low_usd, "market_rate_low_usd", false);
        const double high_min = band_end(a.market_rate_high_usd, "market_rate_high_usd", true);
        if (!(high_min > low_max))
            throw invalid_argument("input_scaling: " + a.name + ".market_rate_high_usd reaches " +
                                   detail::format_value(high_min) + " while market_rate_low_usd reaches " +
                                   detail::format_value(low_max) +
                                   ", which is invalid; the band must run from the cheapest to the dearest tier");
        p.arrangements.push_back(v);
        p.names.push_back(a.name);
    };
    add(s.baseline);
    for (const auto& a : s.alternatives) add(a);
    // A correlation with a constant input has no effect: keep pairs of sampled inputs.
    for (const auto& c : s.correlations) {
        const bool a = std::find(p.input_names.begin(), p.input_names.end(), c.a) != p.input_names.end();
        const bool b = std::find(p.input_names.begin(), p.input_names.end(), c.b) != p.input_names.end();
        if (a && b) p.correlations.push_back(c);
    }
    return p;
}

/// A column of recorded draws (trial order): a std::vector of doubles (data, size, indexing,
/// iteration, spans) whose sizing leaves the elements unwritten, so the worker threads
/// that record a block's trials are the first to touch its pages (no zero fill of K
/// doubles per column on the calling thread first).
using recorded_column = sample_column;

/// Storage for the drawn inputs (or outputs) of trials [0, trials): one column per sampled
/// input. Filled concurrently by blocks of disjoint trials, so no locking is needed. The
/// columns are sized (`size_columns`) but not initialised: only the trials a run has
/// computed hold values, so a reader keeps to the run's trials (`run_result::trials()`,
/// a prefix of whole blocks also after a cancel or a precision stop).
struct input_recorder {
    std::uint64_t trials = 0;                 ///< K, the number of recorded trials
    std::vector<recorded_column> columns;     ///< columns[j][t]: input j in trial t < K

    /// Sizes `d` columns of `trials` elements, unwritten.
    void size_columns(std::size_t d) {
        columns.clear();
        columns.resize(d);
        for (auto& c : columns) c.resize(static_cast<std::size_t>(trials));
    }
};

/// The fill of an analysis run: the sampler's uniforms, each input's batch quantile, its
/// scale factor, and optionally a copy of the first K trials' inputs into a recorder.
struct analysis_fill {
    std::shared_ptr<const uniform_sampler> sampler;       ///< the run's sampler (null: no sampled input)
    std::shared_ptr<const std::vector<distribution>> dists;  ///< the marginals, column order
    std::shared_ptr<const std::vector<double>> factors;   ///< the scale factors, column order
    std::shared_ptr<input_recorder> recorder;             ///< optional recorder

    /// Writes `n` draws per column for trials [first, first + n).
    void operator()(std::uint64_t /*seed: the sampler holds it*/, std::uint64_t first, std::size_t n,
                    double* const* cols) const {
        sampler->fill_uniform(first, n, cols);
        std::vector<double> x(n);
        for (std::size_t j = 0; j < dists->size(); ++j) {
            quantile((*dists)[j], cols[j], x.data(), n);
            const double f = (*factors)[j];
            if (f == 1.0)
                std::copy(x.begin(), x.end(), cols[j]);
            else
                for (std::size_t i = 0; i < n; ++i) cols[j][i] = x[i] * f;
        }
        if (recorder && first < recorder->trials) {
            const std::size_t m = static_cast<std::size_t>(std::min<std::uint64_t>(n, recorder->trials - first));
            for (std::size_t j = 0; j < dists->size(); ++j)
                std::copy(cols[j], cols[j] + m, recorder->columns[j].begin() + static_cast<std::ptrdiff_t>(first));
        }
    }
};

/// The engine model of the parts for `seed` and `design_size` (the run's trial count), with
/// the given outputs (`default_outputs(parts.names, ...)` for a scenario run) and an
/// optional recorder of the first trials' inputs (its columns are sized here), and optional
/// planned engagements (pilots) evaluated on the same draws (outputs may refer to them).
inline roi_model<analysis_fill> make_analysis_model(const scenario_model_parts& p, std::uint64_t seed,
                                                    std::uint64_t design_size,
                                                    std::vector<output_binding> outputs,
                                                    std::shared_ptr<input_recorder> recorder = nullptr,
                                                    std::vector<planned_engagement> plans = {}) {
    analysis_fill fill;
    if (!p.input_names.empty())
        fill.sampler = std::make_shared<const uniform_sampler>(p.input_names, p.sampling(seed, design_size));
    fill.dists = std::make_shared<const std::vector<distribution>>(p.input_distributions);
    fill.factors = std::make_shared<const std::vector<double>>(p.input_factors);
    if (recorder) {
        recorder->size_columns(p.input_names.size());
        fill.recorder = std::move(recorder);
    }
    return roi_model<analysis_fill>(p.scenario, p.arrangements, p.names, p.bindings, std::move(fill),
                                    p.settings, std::move(outputs), std::move(plans));
}

/// The ROI model at a fixed point of the sampled inputs: f(x) = the mean, over risk-event
/// trials 0 ... R-1 of `seed`, of output `field` of arrangement `arrangement`, with the
/// sampled inputs (in `parts.input_names` order) set to x. The same R event draws serve
/// every point (common random numbers), so f is a deterministic, smooth-as-the-model
/// function of x; risk events enter through their expected effect, not as inputs.
/// Thread-safe (const, no shared mutable state): usable as a sensitivity `point_model`.
class scenario_point_model {
public:
    /// \param parts       the scenario's model parts.
    /// \param arrangement index of the arrangement whose output is returned.
    /// \param field       the outcome field (default net benefit).
    /// \param event_trials R >= 1, the risk-event draws averaged over.
    /// \param seed        the seed of the event draws.
    /// \throws invalid_argument for an arrangement index out of range, R = 0, or an unknown field.
    scenario_point_model(scenario_model_parts parts, std::size_t arrangement, std::string_view field = "net_benefit",
                         std::size_t event_trials = 256, std::uint64_t seed = 0)
        : parts_(std::move(parts)), arrangement_(arrangement), event_trials_(event_trials), seed_(seed) {
        if (arrangement_ >= parts_.names.size())
            detail::throw_invalid("scenario_point_model", "arrangement", double(arrangement_),
                                  "must be < the number of arrangements (" + std::to_string(parts_.names.size()) + ")");
        if (event_trials_ == 0)
            detail::throw_invalid("scenario_point_model", "event_trials", 0.0, "must be >= 1");
        for (const auto& f : outcome_fields)
            if (f.name == field) member_ = f.member;
        if (member_ == nullptr)
            throw invalid_argument("scenario_point_model: unknown outcome field \"" + std::string(field) + "\"");
    }

    /// Number of sampled inputs (the length of x).
    std::size_t dimension() const noexcept { return parts_.input_names.size(); }
    /// The sampled inputs' names.
    const std::vector<std::string>& names() const noexcept { return parts_.input_names; }
    /// The sampled inputs' marginals.
    const std::vector<distribution>& marginals() const noexcept { return parts_.input_distributions; }

    /// f(x). \throws invalid_argument if x has the wrong length; numerical_error if the
    /// model's output is not finite.
    double operator()(std::span<const double> x) const {
        if (x.size() != dimension())
            throw invalid_argument("scenario_point_model: got " + std::to_string(x.size()) +
                                   " input values; the scenario has " + std::to_string(dimension()) +
                                   " sampled inputs");
        point_fill fill{std::vector<double>(x.begin(), x.end())};
        std::vector<output_binding> out{{arrangement_, member_, "y"}};
        roi_model<point_fill> m(parts_.scenario, parts_.arrangements, parts_.names, parts_.bindings,
                                std::move(fill), parts_.settings, std::move(out));
        std::vector<double> ws, col(event_trials_);
        block_context ctx;
        ctx.seed = seed_;
        ctx.first_trial = 0;
        ctx.count = event_trials_;
        ctx.workspace = &ws;
        double* cols[1] = {col.data()};
        block_outputs bo(cols, 1, event_trials_);
        m(ctx, bo);
        double sum = 0.0;
        for (double v : col) sum += v;
        const double y = sum / double(event_trials_);
        if (!std::isfinite(y))
            throw numerical_error("scenario_point_model: the model returned " + detail::format_value(y));
        return y;
    }

private:
    struct point_fill {
        std::vector<double> x;
        void operator()(std::uint64_t, std::uint64_t, std::size_t n, double* const* cols) const {
            for (std::size_t j = 0; j < x.size(); ++j) std::fill(cols[j], cols[j] + n, x[j]);
        }
    };
    scenario_model_parts parts_;
    std::size_t arrangement_;
    std::size_t event_trials_;
    std::uint64_t seed_;
    double arrangement_outcome::*member_ = nullptr;
};

}  // namespace offroi
