#pragma once
/// \file
/// `simulate(scenario, options)`: validates the scenario, builds the sampler over every
/// non-constant input (with the scenario's rank correlations), runs the ROI model on the
/// engine -- every arrangement evaluated on the same draws per trial (common random
/// numbers) -- and returns per arrangement the decision summaries (P10/P50/P90, mean with
/// standard error, P(net benefit < 0), expected shortfall of the loss, P(delivered),
/// P(break-even) and P(parity) within the horizon) and the waterfall of eight bars that add
/// up to the net benefit.
///
/// The option and result types and `simulate`'s declaration are in the light
/// offroi/model/scenario_result.hpp; this header adds what runs it (the engine model of a
/// scenario, the assembly of the result) for analyses that run the model their own way.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "offroi/detail/parallel_tasks.hpp"
#include "offroi/distributions/distribution.hpp"
#include "offroi/engine/run.hpp"
#include "offroi/engine/run_options.hpp"
#include "offroi/error.hpp"
#include "offroi/model/arrangement.hpp"
#include "offroi/model/evaluate.hpp"
#include "offroi/model/roi_model.hpp"
#include "offroi/model/scenario.hpp"
#include "offroi/model/scenario_result.hpp"
#include "offroi/model/validate.hpp"
#include "offroi/sampling/uniform_sampler.hpp"
#include "offroi/stats/summary.hpp"

namespace offroi {

namespace detail {

// Draws the sampled inputs of a block: uniforms from the sampler, then each input's batch
// quantile. Shared state is immutable, so copies share it.
struct scenario_fill {
    std::shared_ptr<const uniform_sampler> sampler;
    std::shared_ptr<const std::vector<distribution>> dists;

    void operator()(std::uint64_t /*seed: the sampler holds it*/, std::uint64_t first,
                    std::size_t n, double* const* cols) const {
        sampler->fill_uniform(first, n, cols);
        std::vector<double> x(n);
        for (std::size_t j = 0; j < dists->size(); ++j) {
            quantile((*dists)[j], cols[j], x.data(), n);
            std::copy(x.begin(), x.end(), cols[j]);
        }
    }
};

inline bool is_constant(const distribution& d) {
    const auto [lo, hi] = support(d);
    return lo == hi;
}

}  // namespace detail

/// The engine model of a validated scenario and its seed: constants go straight into the
/// parameter values; every other input is sampled.
inline roi_model<detail::scenario_fill> make_roi_model(const scenario& s, std::uint64_t seed,
                                                      std::uint64_t design_size,
                                                      output_set outputs = output_set::essential) {
    scenario_values sv;
    std::vector<arrangement_values> av;
    std::vector<std::string> names;
    std::vector<input_binding> bindings;
    std::vector<std::string> sampled;
    auto dists = std::make_shared<std::vector<distribution>>();

    for (std::size_t i = 0; i < scenario_fields.size(); ++i) {
        const distribution& d = s.*(scenario_members[i]);
        if (detail::is_constant(d)) {
            sv.*(scenario_fields[i].member) = support(d).first;
        } else {
            input_binding b;
            b.scenario_member = scenario_fields[i].member;
            bindings.push_back(b);
            sampled.emplace_back(scenario_fields[i].name);
            dists->push_back(d);
        }
    }
    auto add = [&](const arrangement& a) {
        arrangement_values v;
        v.contract = a.contract;
        const std::size_t index = av.size();
        for (std::size_t i = 0; i < arrangement_fields.size(); ++i) {
            const distribution& d = a.*(arrangement_members[i]);
            if (detail::is_constant(d)) {
                v.*(arrangement_fields[i].member) = support(d).first;
            } else {
                input_binding b;
                b.arrangement = index;
                b.arrangement_member = arrangement_fields[i].member;
                bindings.push_back(b);
                sampled.push_back(a.name + "." + std::string(arrangement_fields[i].name));
                dists->push_back(d);
            }
        }
        av.push_back(v);
        names.push_back(a.name);
    };
    add(s.baseline);
    for (const auto& a : s.alternatives) add(a);

    detail::scenario_fill fill;
    if (!sampled.empty()) {
        sampling_options o;
        o.method = s.simulation.method;
        o.seed = seed;
        o.design_size = design_size;
        o.dependence = s.simulation.dependence;
        // A correlation with a constant input has no effect: keep pairs of sampled inputs.
        for (const auto& c : s.correlations) {
            bool a = false, b = false;
            for (const auto& n : sampled) {
                a = a || n == c.a;
                b = b || n == c.b;
            }
            if (a && b) o.correlations.push_back(c);
        }
        fill.sampler = std::make_shared<const uniform_sampler>(sampled, o);
    }
    fill.dists = dists;
    evaluation_settings set{s.horizon_months, s.annual_discount_rate, s.frame};
    auto outs = default_outputs(names, outputs);
    return roi_model<detail::scenario_fill>(sv, std::move(av), std::move(names), std::move(bindings),
                                            std::move(fill), set, std::move(outs));
}

/// Builds the per-arrangement summaries and the waterfall (eight bars) from a run
/// of `s`'s ROI model whose outputs are laid out as `binds` (as `make_roi_model` makes
/// them). `simulate` ends with it; analyses that run the model their own way (precision
/// stopping, recorded draws, Dask shards) use it so that the result is assembled once.
/// \param shortfall_alpha tail mass of the expected shortfall of each output.
/// \param percentiles extra percentile levels reported for every output (besides P10/P50/P90).
/// \param threads worker threads for the outputs' summaries (0 = all; each output's summary
///        is computed by one thread, so the result does not depend on it).
inline scenario_result assemble_result(const scenario& s, std::uint64_t seed, run_result r,
                                       const std::vector<output_binding>& binds,
                                       double shortfall_alpha,
                                       const std::vector<double>& percentiles = {}, unsigned threads = 1) {
    scenario_result out{s.name, seed, {}, std::move(r)};
    const std::size_t m = 1 + s.alternatives.size();
    // The field of output c (its name after "<arrangement>.") and its summary: exact order
    // statistics of the kept samples when there are any, one output per task.
    auto field_of = [&](std::size_t c) {
        const std::size_t a = binds[c].arrangement;
        const arrangement& arr = a == 0 ? s.baseline : s.alternatives[a - 1];
        return binds[c].name.substr(arr.name.size() + 1);
    };
    std::vector<summary> sums(binds.size());
    detail::parallel_tasks(binds.size(), threads, [&](std::size_t c) {
        if (binds[c].arrangement >= m) return;
        const std::string field = field_of(c);
        summary_request req;
        req.shortfall_alpha = shortfall_alpha;
        req.percentiles = percentiles;
        const bool benefit = field == "net_benefit" || field == "net_saving" || field == "roi" ||
                             field == "gross_rate_saving" || field == "delivery_value" ||
                             field.rfind("nb_", 0) == 0;
        req.shortfall_tail = benefit ? tail::lower : tail::upper;
        std::span<const double> samples;
        if (out.run.samples_kept()) samples = out.run.samples(c);
        sums[c] = summarize(out.run.summary(c), samples, req);
    });
    for (std::size_t a = 0; a < m; ++a) {
        const arrangement& arr = a == 0 ? s.baseline : s.alternatives[a - 1];
        arrangement_result ar;
        ar.name = arr.name;
        ar.model = arr.model;
        ar.is_baseline = a == 0;
        for (std::size_t c = 0; c < binds.size(); ++c)
            if (binds[c].arrangement == a) ar.outputs.push_back({field_of(c), std::move(sums[c])});
        ar.prob_delivered = ar.output("delivered").mean;
        if (a > 0) {
            const summary& nb = ar.output("net_benefit");
            ar.prob_net_loss = nb.prob_negative;
            ar.expected_shortfall_loss = -nb.expected_shortfall;
            ar.prob_breakeven = ar.output("breakeven_in_horizon").mean;
            ar.prob_parity = ar.output("parity_in_horizon").mean;
            for (const auto& bar : waterfall_bars)
                ar.breakdown.push_back({std::string(waterfall_label(bar.first, s.frame)), std::string(bar.first),
                                        ar.output(bar.first).mean});
            ar.breakdown.push_back({"net benefit", "net_benefit", nb.mean});
        }
        out.arrangements.push_back(std::move(ar));
    }
    return out;
}

}  // namespace offroi

#if !OFFROI_SEPARATE_COMPILATION
#include "offroi/model/detail/simulate_impl.hpp"
#endif
