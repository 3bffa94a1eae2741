#pragma once
/// \file
/// `compare(scenario, options)`: the arrangements side by side, paired on the same random
/// draws. `simulate` evaluates every arrangement on the same draws of every trial (common
/// random numbers, CRN): the shared inputs (backlog, cost of delay, ...) and each
/// arrangement's own inputs are drawn once per trial, so the per-trial difference of two
/// arrangements cancels the shared noise and its mean carries a small standard error.
///
/// For every pair (A, B) of arrangements (A before B in scenario order, the baseline first)
/// the per-trial difference of net benefit d_t = NB_A(t) - NB_B(t) (the model's
/// `net_benefit` against the baseline; the baseline's is 0) is summarised by its mean, the
/// standard error s_d / sqrt(n), its P10/P50/P90 (type 7) and P(A better than B) =
/// P(d > 0). Under the project framing NB = TC_baseline - TC (TC = total cost including the
/// cost of delay), so d_t = TC_B(t) - TC_A(t); under the capacity framing NB compares the
/// arrangements at the baseline's useful output, which a plain cost difference does not.
/// The total-cost difference TC_A - TC_B is summarised on its own (under the project
/// framing it is -d up to rounding; under the capacity framing it ignores the output gap).
///
/// `draw_pairing::independent` is the control without CRN: arrangement k's outcomes come
/// from a run with its own seed `substream(seed, k)`, so trial t of A and trial t of B use
/// independent draws; the difference TC_B - TC_A then has Var(d) = Var(TC_A) + Var(TC_B)
/// with no covariance to cancel. It exists to show, and test, what CRN buys, and needs the
/// project framing (under the capacity framing a net benefit is only defined against the
/// baseline's output in the same trial).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "offroi/analysis/scenario_run.hpp"
#include "offroi/error.hpp"
#include "offroi/model/framing.hpp"
#include "offroi/model/scenario.hpp"
#include "offroi/random/stream_id.hpp"
#include "offroi/stats/sample_statistics.hpp"

namespace offroi {

/// How the arrangements of a comparison are paired.
enum class draw_pairing {
    common,      ///< the same draws for every arrangement in a trial (CRN; the default)
    independent  ///< each arrangement from its own seed (control; larger SE of differences)
};

/// Summary of a per-trial difference.
struct difference_stats {
    double mean = 0;            ///< mean difference
    double standard_error = 0;  ///< s_d / sqrt(n)
    double p10 = 0;             ///< 10th percentile (type 7)
    double p50 = 0;             ///< median
    double p90 = 0;             ///< 90th percentile
};

/// One pair of a comparison.
struct pair_comparison {
    std::string a;  ///< first arrangement
    std::string b;  ///< second arrangement
    difference_stats net_benefit_difference;  ///< NB_A - NB_B (> 0: A better)
    difference_stats total_cost_difference;   ///< TC_A - TC_B (project framing: -(NB_A - NB_B) up to rounding)
    double prob_a_better = 0;  ///< P(NB_A > NB_B), the share of trials where A is the better deal
};

/// Options of `compare`.
struct compare_options {
    run_request run{};                          ///< trials, seed, sampler, threads (samples are kept)
    draw_pairing pairing = draw_pairing::common;  ///< CRN or independent draws
};

/// The result of `compare`.
struct comparison_result {
    std::string scenario_name;           ///< the scenario's name
    std::uint64_t seed = 0;              ///< the seed (independent: the parent of each arrangement's)
    std::uint64_t trials = 0;            ///< trials per arrangement
    draw_pairing pairing = draw_pairing::common;  ///< how draws were paired
    framing frame = framing::project;    ///< the scenario's framing (what net benefit means)
    std::vector<std::string> arrangements;  ///< names, baseline first
    std::vector<double> mean_net_benefit;   ///< mean net benefit per arrangement (0 for the baseline)
    std::vector<pair_comparison> pairs;     ///< every pair (i < j)
};

namespace detail {

inline difference_stats difference_summary(const std::vector<double>& d) {
    difference_stats s;
    const double n = double(d.size());
    double m = 0;
    for (double x : d) m += x;
    m /= n;
    double ss = 0;
    for (double x : d) ss += (x - m) * (x - m);
    s.mean = m;
    s.standard_error = d.size() > 1 ? std::sqrt(ss / (n - 1) / n) : 0.0;
    const sorted_sample q{std::span<const double>(d)};
    s.p10 = q.quantile(0.1);
    s.p50 = q.quantile(0.5);
    s.p90 = q.quantile(0.9);
    return s;
}

}  // namespace detail

/// Compares the arrangements of `s` pairwise (see the file comment).
/// \throws invalid_scenario / invalid_argument as `run_scenario`; invalid_argument if the
///         run could not keep its samples (over the memory budget: ask for fewer trials), or
///         for independent draws under the capacity framing.
inline comparison_result compare(const scenario& s, const compare_options& opt = {}) {
    const std::size_t m = 1 + s.alternatives.size();
    if (opt.pairing == draw_pairing::independent && s.frame != framing::project)
        throw invalid_argument("offroi::compare: independent draws need the project framing; under the capacity "
                               "framing the net benefit is defined against the baseline's output in the same "
                               "trial (use common random numbers)");
    run_request req = opt.run;
    req.samples = sample_policy::within_budget;
    {
        // Every trial's outputs are kept: refuse a run over the memory budget before it starts.
        std::vector<std::string> names = {s.baseline.name};
        for (const auto& a : s.alternatives) names.push_back(a.name);
        const std::uint64_t trials = req.trials ? req.trials : s.simulation.trials;
        const std::size_t n_out = default_outputs(names, req.outputs).size();
        const std::uint64_t max_trials = req.sample_budget_bytes / sizeof(double) / n_out;
        if (trials > max_trials)
            detail::throw_invalid("offroi::compare", "trials", double(trials),
                                  "must be at most " + std::to_string(max_trials) + " for " +
                                      std::to_string(m) + " arrangements: every trial's " + std::to_string(n_out) +
                                      " outputs are kept within the memory budget (run_request::sample_budget_bytes)");
    }
    const std::uint64_t seed = req.seed ? *req.seed : s.simulation.seed;
    comparison_result res;
    res.scenario_name = s.name;
    res.seed = seed;
    res.pairing = opt.pairing;
    res.frame = s.frame;
    for (std::size_t k = 0; k < m; ++k) res.arrangements.push_back(k == 0 ? s.baseline.name : s.alternatives[k - 1].name);
    // Per arrangement: total cost and net benefit samples (the baseline's net benefit is 0).
    std::vector<std::vector<double>> tc(m), nb(m);
    auto column = [](const scenario_run& r, const std::string& name) {
        if (!r.result.run.samples_kept())
            throw invalid_argument("offroi::compare: the run could not keep its samples within the memory "
                                   "budget; ask for fewer trials");
        const auto col = r.result.run.samples(name);
        return std::vector<double>(col.begin(), col.end());
    };
    if (opt.pairing == draw_pairing::common) {
        const scenario_run r = run_scenario(s, req);
        res.trials = r.result.run.trials();
        for (std::size_t k = 0; k < m; ++k) {
            tc[k] = column(r, res.arrangements[k] + ".total_cost");
            nb[k] = k == 0 ? std::vector<double>(tc[0].size(), 0.0) : column(r, res.arrangements[k] + ".net_benefit");
        }
    } else {
        for (std::size_t k = 0; k < m; ++k) {
            run_request rk = req;
            rk.seed = substream(seed, k);
            const scenario_run r = run_scenario(s, rk);
            tc[k] = column(r, res.arrangements[k] + ".total_cost");
            res.trials = r.result.run.trials();
        }
        // Project framing: NB_k = TC_0 - TC_k, each total from its own draws.
        for (std::size_t k = 0; k < m; ++k) {
            nb[k].resize(tc[k].size());
            for (std::size_t t = 0; t < tc[k].size(); ++t) nb[k][t] = k == 0 ? 0.0 : tc[0][t] - tc[k][t];
        }
    }
    for (std::size_t k = 0; k < m; ++k) {
        double sum = 0;
        for (double x : nb[k]) sum += x;
        res.mean_net_benefit.push_back(k == 0 ? 0.0 : sum / double(nb[k].size()));
    }
    std::vector<double> d(tc[0].size()), dc(tc[0].size());
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = i + 1; j < m; ++j) {
            std::size_t better = 0;
            for (std::size_t t = 0; t < d.size(); ++t) {
                d[t] = nb[i][t] - nb[j][t];
                dc[t] = tc[i][t] - tc[j][t];
                better += d[t] > 0.0;
            }
            pair_comparison p;
            p.a = res.arrangements[i];
            p.b = res.arrangements[j];
            p.net_benefit_difference = detail::difference_summary(d);
            p.total_cost_difference = detail::difference_summary(dc);
            p.prob_a_better = double(better) / double(d.size());
            res.pairs.push_back(std::move(p));
        }
    return res;
}

}  // namespace offroi
