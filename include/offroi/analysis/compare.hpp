#pragma once
/// \file
/// `compare(scenario, options)`: the arrangements side by side, paired on the same random
/// draws. `simulate` evaluates every arrangement on the same draws of every trial (common
/// random numbers, CRN): the shared inputs (backlog, cost of delay, ...) and each
/// arrangement's own inputs are drawn once per trial, so the per-trial difference of two
/// arrangements cancels the shared noise and its mean carries a small standard error.
///
/// For every pair (A, B) of arrangements (A before B in scenario order, the baseline first)
/// the per-trial difference of net benefit d_t = NB_A(t) - NB_B(t) = TC_B(t) - TC_A(t)
/// (TC = total cost; the baseline's net benefit is 0) is summarised by its mean, the
/// standard error s_d / sqrt(n), its P10/P50/P90 (type 7) and P(A better than B) =
/// P(d > 0); the total-cost difference TC_A - TC_B is -d (mean negated, percentiles
/// mirrored, same SE).
///
/// `draw_pairing::independent` is the control without CRN: arrangement k's outcomes come
/// from a run with its own seed `substream(seed, k)`, so trial t of A and trial t of B use
/// independent draws; the difference then has Var(d) = Var(NB_A) + Var(NB_B) with no
/// covariance to cancel. It exists to show, and test, what CRN buys.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "offroi/analysis/scenario_run.hpp"
#include "offroi/error.hpp"
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
    difference_stats total_cost_difference;   ///< TC_A - TC_B (= -(NB_A - NB_B))
    double prob_a_better = 0;  ///< P(NB_A > NB_B), the share of trials where A costs less
};

/// Options of `compare`.
struct compare_options {
    run_request run;                            ///< trials, seed, sampler, threads (samples are kept)
    draw_pairing pairing = draw_pairing::common;  ///< CRN or independent draws
};

/// The result of `compare`.
struct comparison_result {
    std::string scenario_name;           ///< the scenario's name
    std::uint64_t seed = 0;              ///< the seed (independent: the parent of each arrangement's)
    std::uint64_t trials = 0;            ///< trials per arrangement
    draw_pairing pairing = draw_pairing::common;  ///< how draws were paired
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

inline difference_stats negated(const difference_stats& s) {
    return {-s.mean, s.standard_error, -s.p90, -s.p50, -s.p10};
}

}  // namespace detail

/// Compares the arrangements of `s` pairwise (see the file comment).
/// \throws invalid_scenario / invalid_argument as `run_scenario`; invalid_argument if the
///         run could not keep its samples (over the memory budget: ask for fewer trials).
inline comparison_result compare(const scenario& s, const compare_options& opt = {}) {
    const std::size_t m = 1 + s.alternatives.size();
    run_request req = opt.run;
    req.samples = sample_policy::within_budget;
    const std::uint64_t seed = req.seed ? *req.seed : s.simulation.seed;
    comparison_result res;
    res.scenario_name = s.name;
    res.seed = seed;
    res.pairing = opt.pairing;
    // total_cost samples per arrangement.
    std::vector<std::vector<double>> tc(m);
    auto take = [&](const scenario_run& r, std::size_t k) {
        if (!r.result.run.samples_kept())
            throw invalid_argument("offroi::compare: the run could not keep its samples within the memory "
                                   "budget; ask for fewer trials");
        const std::string name = (k == 0 ? s.baseline.name : s.alternatives[k - 1].name) + ".total_cost";
        const auto col = r.result.run.samples(name);
        tc[k].assign(col.begin(), col.end());
    };
    if (opt.pairing == draw_pairing::common) {
        const scenario_run r = run_scenario(s, req);
        for (std::size_t k = 0; k < m; ++k) take(r, k);
        res.trials = r.result.run.trials();
    } else {
        for (std::size_t k = 0; k < m; ++k) {
            run_request rk = req;
            rk.seed = substream(seed, k);
            const scenario_run r = run_scenario(s, rk);
            take(r, k);
            res.trials = r.result.run.trials();
        }
    }
    for (std::size_t k = 0; k < m; ++k) {
        res.arrangements.push_back(k == 0 ? s.baseline.name : s.alternatives[k - 1].name);
        double nb = 0;
        for (std::size_t t = 0; t < tc[k].size(); ++t) nb += tc[0][t] - tc[k][t];
        res.mean_net_benefit.push_back(k == 0 ? 0.0 : nb / double(tc[k].size()));
    }
    std::vector<double> d(tc[0].size());
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = i + 1; j < m; ++j) {
            std::size_t better = 0;
            for (std::size_t t = 0; t < d.size(); ++t) {
                d[t] = tc[j][t] - tc[i][t];
                better += d[t] > 0.0;
            }
            pair_comparison p;
            p.a = res.arrangements[i];
            p.b = res.arrangements[j];
            p.net_benefit_difference = detail::difference_summary(d);
            p.total_cost_difference = detail::negated(p.net_benefit_difference);
            p.prob_a_better = double(better) / double(d.size());
            res.pairs.push_back(std::move(p));
        }
    return res;
}

}  // namespace offroi
