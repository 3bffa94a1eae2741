#pragma once
/// \file
/// `roi_model`: the offshoring ROI model as an engine model (engine/model.hpp). For a block
/// of trials it fills the sampled inputs (through any filler, normally a sampler's `fill`),
/// writes them over the constant parameter values, draws the risk-event uniforms, evaluates
/// every arrangement with `evaluate_trial` (all arrangements on the same draws of the shared
/// inputs: common random numbers) and scatters the chosen outputs into the block's columns.
/// Without planned engagements, where `block_evaluation_pays()` (AVX2), trials go through
/// `evaluate_trials_block` four at a time: the same bits (docs/model.md §12.1).
/// No allocation per trial; the value of trial t is a pure function of (seed, t).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "offroi/engine/model.hpp"
#include "offroi/error.hpp"
#include "offroi/model/evaluate.hpp"
#include "offroi/model/evaluate_block.hpp"
#include "offroi/model/output_set.hpp"
#include "offroi/model/parameter_values.hpp"
#include "offroi/model/risk_events.hpp"

namespace offroi {

namespace detail {
// Cache hints (GCC and Clang; nothing elsewhere): no value changes.
inline void prefetch_read(const void* p) noexcept {
#if defined(__GNUC__)
    __builtin_prefetch(p, 0);
#else
    (void)p;
#endif
}
inline void prefetch_write(void* p) noexcept {
#if defined(__GNUC__)
    __builtin_prefetch(p, 1);
#else
    (void)p;
#endif
}
}  // namespace detail

/// Binds sampled input column `column` to a scenario field (`arrangement == scenario_input`)
/// or to a field of arrangement `arrangement`.
struct input_binding {
    /// Marks a scenario-level input.
    static constexpr std::size_t scenario_input = static_cast<std::size_t>(-1);
    std::size_t arrangement = scenario_input;           ///< arrangement index or scenario_input
    double arrangement_values::*arrangement_member = nullptr;  ///< the field, for an arrangement input
    double scenario_values::*scenario_member = nullptr;        ///< the field, for a scenario input
};

/// One output column: field `member` of the outcome of arrangement `arrangement`, named
/// "<arrangement name>.<field name>".
struct output_binding {
    std::size_t arrangement = 0;                   ///< arrangement index (0 = baseline)
    double arrangement_outcome::*member = nullptr;  ///< the outcome field
    std::string name;                              ///< column name
};

/// The output columns of a run over the arrangements named `names` (baseline first):
/// for `essential`, every arrangement's total cost, spend, delivery month and delivered
/// flag, and each alternative's net benefit, net saving, delivery value, ROI, break-even and
/// parity months with their in-horizon flags, gross rate saving and the eight waterfall
/// bars (`waterfall_bars`); for `all`, every outcome field of every arrangement.
inline std::vector<output_binding> default_outputs(const std::vector<std::string>& names,
                                                   output_set set = output_set::essential) {
    static constexpr std::string_view essential_base[] = {"total_cost", "spend", "delivery_month", "delivered"};
    static constexpr std::string_view essential_alt[] = {
        "net_benefit", "net_saving", "delivery_value", "roi", "breakeven_month", "breakeven_in_horizon",
        "parity_month", "parity_in_horizon", "gross_rate_saving", "nb_rate_gap", "nb_volume",
        "nb_transition", "nb_quality", "nb_management", "nb_talent", "nb_delivery", "nb_risk"};
    std::vector<output_binding> out;
    for (std::size_t a = 0; a < names.size(); ++a) {
        for (const auto& f : outcome_fields) {
            bool keep = set == output_set::all;
            for (auto n : essential_base) keep = keep || n == f.name;
            if (a > 0)
                for (auto n : essential_alt) keep = keep || n == f.name;
            if (keep) out.push_back({a, f.member, names[a] + "." + std::string(f.name)});
        }
    }
    return out;
}

/// The ROI model as an engine model.
///
/// \tparam Fill callable `void(std::uint64_t seed, std::uint64_t first_trial, std::size_t
///         count, double* const* columns)` writing one column of `count` draws per binding
///         (a pure function of (seed, trial) per value, e.g. a sampler's `fill`).
template <class Fill>
class roi_model {
public:
    /// \param scenario     the scenario-level values (constants; sampled fields are overwritten).
    /// \param arrangements the arrangements' values, baseline first (constants likewise).
    /// \param names        the arrangements' names (event stream keys), same size.
    /// \param bindings     one per sampled input column, in the filler's column order.
    /// \param fill         the filler of the sampled columns (ignored if there are none).
    /// \param settings     horizon and discounting.
    /// \param outputs      the output columns (see `default_outputs`); an output's
    ///                     arrangement index may also be M + j, the j-th planned engagement.
    /// \param plans        planned engagements (pilots) evaluated after the M arrangements
    ///                     on the same draws (`evaluate_trial`).
    /// \throws invalid_argument on inconsistent sizes, a binding to a missing arrangement,
    ///         a plan of the baseline or of a missing arrangement, or invalid settings.
    roi_model(scenario_values scenario, std::vector<arrangement_values> arrangements,
              std::vector<std::string> names, std::vector<input_binding> bindings, Fill fill,
              evaluation_settings settings, std::vector<output_binding> outputs,
              std::vector<planned_engagement> plans = {})
        : scenario_(scenario), arrangements_(std::move(arrangements)), names_(std::move(names)),
          bindings_(std::move(bindings)), fill_(std::move(fill)), settings_(settings),
          outputs_(std::move(outputs)), plans_(std::move(plans)) {
        check(settings_);
        if (arrangements_.empty() || arrangements_.size() != names_.size())
            throw invalid_argument("offroi::roi_model: arrangements and names must be non-empty and "
                                   "of the same size");
        for (const auto& b : bindings_) {
            const bool scen = b.arrangement == input_binding::scenario_input;
            if ((scen && b.scenario_member == nullptr) ||
                (!scen && (b.arrangement >= arrangements_.size() || b.arrangement_member == nullptr)))
                throw invalid_argument("offroi::roi_model: an input binding names no field or a "
                                       "missing arrangement");
        }
        if (outputs_.empty()) throw invalid_argument("offroi::roi_model: no outputs");
        for (const auto& p : plans_) {
            if (p.arrangement == 0 || p.arrangement >= arrangements_.size())
                detail::throw_invalid("offroi::roi_model", "plan arrangement", double(p.arrangement),
                                      "must index an alternative, in [1, " +
                                          std::to_string(arrangements_.size() - 1) + "]");
            // k <= N per trial: evaluate_arrangement caps the pilot at the drawn headcount.
            check(p.plan, infinity_v, settings_.horizon_months);
        }
        for (const auto& o : outputs_)
            if (o.arrangement >= arrangements_.size() + plans_.size() || o.member == nullptr)
                throw invalid_argument("offroi::roi_model: output \"" + o.name +
                                       "\" names a missing arrangement or no field");
        v_ = settings_.monthly_discount();
    }

    /// The output names, "<arrangement>.<field>".
    std::vector<std::string> output_names() const {
        std::vector<std::string> n;
        n.reserve(outputs_.size());
        for (const auto& o : outputs_) n.push_back(o.name);
        return n;
    }

    /// The output bindings.
    const std::vector<output_binding>& outputs() const noexcept { return outputs_; }

    /// Computes trials [ctx.first_trial, ctx.first_trial + ctx.count).
    void operator()(const block_context& ctx, block_outputs& out) const {
        const std::size_t n = ctx.count;
        const std::size_t k = bindings_.size();
        const std::size_t m = arrangements_.size();
        // Scratch: k input columns of n. The few small vectors below are per block, not per
        // trial.
        std::vector<double*> cols(k);
        // Columns 8 doubles further apart than n: with n a power of two they would otherwise
        // map to the same L1 sets, and the per-trial gather below would thrash them.
        const std::size_t stride = n + 8;
        double* base = ctx.scratch(k * stride + 1);
        for (std::size_t j = 0; j < k; ++j) cols[j] = base + j * stride;
        if (k > 0) fill_(ctx.seed, ctx.first_trial, n, cols.data());

        std::vector<arrangement_values> arr(arrangements_);
        std::vector<event_uniforms> events(m);
        std::vector<arrangement_outcome> outcome(m + plans_.size());
        std::vector<event_streams> streams;
        streams.reserve(m);
        for (std::size_t a = 0; a < m; ++a) streams.emplace_back(ctx.seed, names_[a]);
        scenario_values s = scenario_;
        // Where each sampled column goes, and where each output comes from, as plain pointers
        // into this block's working copies: the trial loop has no branches on bindings.
        std::vector<double*> target(k);
        for (std::size_t j = 0; j < k; ++j) {
            const input_binding& b = bindings_[j];
            target[j] = b.arrangement == input_binding::scenario_input
                            ? &(s.*(b.scenario_member))
                            : &(arr[b.arrangement].*(b.arrangement_member));
        }
        std::vector<const double*> source(outputs_.size());
        for (std::size_t c = 0; c < outputs_.size(); ++c)
            source[c] = &(outcome[outputs_[c].arrangement].*(outputs_[c].member));

        std::size_t done = 0;
        // Without planned engagements, where the lanes pay (AVX2), groups of block_lanes trials
        // go through evaluate_trials_block: the same bits as evaluate_trial, one trial per lane.
        if (plans_.empty() && block_evaluation_pays()) done = evaluate_blocked(ctx, cols.data(), streams, out);
        for (std::size_t i = done; i < n; ++i) {
            for (std::size_t j = 0; j < k; ++j) *target[j] = cols[j][i];
            const std::uint64_t trial = ctx.first_trial + i;
            for (std::size_t a = 0; a < m; ++a) events[a] = streams[a].draw(trial);
            evaluate_trial(s, arr, events, settings_, v_, outcome, plans_);
            for (std::size_t c = 0; c < outputs_.size(); ++c) out.column(c)[i] = *source[c];
        }
        check_finite(ctx.first_trial, n, out);
    }

private:
    // Trials [0, n - n % block_lanes) of the block, block_lanes at a time (evaluate_trials_block:
    // the month loops of a group's trials in lanes); returns the number of trials done.
    std::size_t evaluate_blocked(const block_context& ctx, double* const* cols,
                                 const std::vector<event_streams>& streams, block_outputs& out) const {
        constexpr std::size_t L = block_lanes;
        const std::size_t n = ctx.count - ctx.count % L;
        if (n == 0) return 0;
        const std::size_t k = bindings_.size();
        const std::size_t m = arrangements_.size();
        const std::size_t n_out = outputs_.size();
        // Working copies per lane, and where lane i's sampled column j goes (target[j * L + i])
        // and its output c comes from (source[c * L + i]).
        std::vector<scenario_values> s(L, scenario_);
        std::vector<arrangement_values> arr;
        arr.reserve(L * m);
        for (std::size_t i = 0; i < L; ++i) arr.insert(arr.end(), arrangements_.begin(), arrangements_.end());
        std::vector<event_uniforms> events(L * m);
        std::vector<arrangement_outcome> outcome(L * m);
        std::vector<double> scratch(block_trace_doubles(settings_));
        std::vector<double*> target(k * L);
        for (std::size_t j = 0; j < k; ++j) {
            const input_binding& b = bindings_[j];
            for (std::size_t i = 0; i < L; ++i)
                target[j * L + i] = b.arrangement == input_binding::scenario_input
                                        ? &(s[i].*(b.scenario_member))
                                        : &(arr[i * m + b.arrangement].*(b.arrangement_member));
        }
        std::vector<const double*> source(n_out * L);
        for (std::size_t c = 0; c < n_out; ++c)
            for (std::size_t i = 0; i < L; ++i)
                source[c * L + i] = &(outcome[i * m + outputs_[c].arrangement].*(outputs_[c].member));
        // The event uniforms of `chunk` trials at a time, one column per arrangement and event
        // (event_streams::fill: batched Philox, the bits of `draw`), small enough to stay in L1.
        constexpr std::size_t chunk = 256;
        constexpr std::size_t prefetch_doubles = 16;  // how far ahead the columns are read
        static_assert(chunk % L == 0);
        std::vector<double> u(4 * m * chunk);
        for (std::size_t c0 = 0; c0 < n; c0 += chunk) {
            const std::size_t cn = std::min(chunk, n - c0);
            for (std::size_t a = 0; a < m; ++a) {
                double* const ua = u.data() + 4 * a * chunk;
                double* const cols_a[4] = {ua, ua + chunk, ua + 2 * chunk, ua + 3 * chunk};
                streams[a].fill(ctx.first_trial + c0, cn, cols_a);
            }
            for (std::size_t t = c0; t < c0 + cn; t += L) {
                // The k columns of the block (n doubles each) do not stay in L1 or L2 until
                // the trial loop reads them: each is read ahead (two cache lines), as are the
                // output columns the group writes (prefetches change no value).
                for (std::size_t j = 0; j < k; ++j) {
                    detail::prefetch_read(cols[j] + t + prefetch_doubles);
                    for (std::size_t i = 0; i < L; ++i) *target[j * L + i] = cols[j][t + i];
                }
                for (std::size_t i = 0; i < L; ++i) {
                    const std::size_t r = t - c0 + i;
                    for (std::size_t a = 0; a < m; ++a) {
                        const double* ua = u.data() + 4 * a * chunk + r;
                        events[i * m + a] = {ua[0], ua[chunk], ua[2 * chunk], ua[3 * chunk]};
                    }
                }
                evaluate_trials_block(s, arr, events, m, settings_, v_, outcome, scratch);
                for (std::size_t c = 0; c < n_out; ++c) {
                    double* col = out.column(c) + t;
                    detail::prefetch_write(col + prefetch_doubles);
                    for (std::size_t i = 0; i < L; ++i) col[i] = *source[c * L + i];
                }
            }
        }
        return n;
    }

    // Every output of every trial must be finite: `validate` bounds each input's magnitude
    // (model/limits.hpp) so that none overflows, and this check (x - x is 0 only for finite
    // x; one vectorised pass, about 1% of a trial's cost) turns any case that escapes into
    // an error naming the output and the trial instead of a NaN in the results.
    void check_finite(std::uint64_t first_trial, std::size_t n, block_outputs& out) const {
        for (std::size_t c = 0; c < outputs_.size(); ++c) {
            const double* col = out.column(c);
            bool ok = true;
            for (std::size_t i = 0; i < n; ++i) ok &= (col[i] - col[i]) == 0.0;
            if (ok) continue;
            std::size_t i = 0;
            while ((col[i] - col[i]) == 0.0) ++i;
            throw invalid_scenario("output \"" + outputs_[c].name + "\" is " + detail::format_value(col[i]) +
                                   " in trial " + std::to_string(first_trial + i) +
                                   "; every output must be finite: an input's magnitude overflows the model "
                                   "(see the limits of docs/scenario-format.md)");
        }
    }

    scenario_values scenario_;
    std::vector<arrangement_values> arrangements_;
    std::vector<std::string> names_;
    std::vector<input_binding> bindings_;
    Fill fill_;
    evaluation_settings settings_;
    std::vector<output_binding> outputs_;
    std::vector<planned_engagement> plans_;
    double v_ = 1.0;
};

}  // namespace offroi
