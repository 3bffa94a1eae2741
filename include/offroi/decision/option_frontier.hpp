#pragma once
/// \file
/// The risk/return frontier of a set of options: per option the mean net benefit, a low
/// percentile (P10), the conditional value at risk of the lower tail (CVaR at 10%: the mean
/// of the worst 10% of trials, the expected shortfall of stats/sample_statistics.hpp) and
/// the probability of a loss; and the options that are *efficient* -- not dominated -- on
/// (mean, P10) and on (mean, CVaR). Option j dominates option i on (mean, r) when mean_j >=
/// mean_i and r_j >= r_i with at least one strict (both "more is better": the risk measures
/// are lower-tail values of the net benefit). The efficient options, ordered by mean, are
/// the frontier a decision-maker chooses on: how much expected value each step of safety
/// costs (Markowitz 1952's mean-variance frontier, with lower-tail measures in place of the
/// variance; CVaR after Rockafellar & Uryasev 2000).
///
/// Statistics and their uncertainty, from each option's values:
///  - mean and its standard error sd / sqrt(n) (exact sums, stats/exact_moments.hpp);
///  - P10, type 7 (Hyndman & Fan 1996), with its distribution-free confidence interval from
///    order statistics (stats/sample_statistics.hpp);
///  - CVaR_alpha (Acerbi & Tasche 2002) with the asymptotic standard error of Manistre &
///    Hancock (2005), "Variance of the CTE estimator", North American Actuarial Journal
///    9(2): SE^2 = var((X - q_alpha) 1{X <= q_alpha}) / (alpha^2 n), i.e. (V + (1 - alpha)
///    (CVaR - q)^2) / (alpha n) with V the variance within the tail;
///  - P(loss) = P(X < threshold), with the binomial standard error sqrt(p (1 - p) / n).
/// Dominance is judged on the estimates; with common random numbers (the same trials for
/// every option) estimation noise is largely shared, and `dominated_by` names one option
/// that dominates, so a close call can be checked against the standard errors.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "offroi/error.hpp"
#include "offroi/stats/exact_moments.hpp"
#include "offroi/stats/interval.hpp"
#include "offroi/stats/sample_statistics.hpp"
#include "offroi/stats/tail.hpp"

namespace offroi {

/// Settings of `option_frontier`.
struct frontier_options {
    double percentile = 0.10;        ///< the low percentile of the first frontier (P10), in (0, 1)
    double tail_mass = 0.10;         ///< alpha of CVaR (the worst alpha share of trials), in (0, 1]
    double loss_threshold = 0.0;     ///< P(loss) = P(X < loss_threshold), finite
    double confidence_level = 0.95;  ///< level of the percentile's interval, in (0, 1)
};

/// One option on the risk/return plane.
struct frontier_point {
    std::uint64_t trials = 0;        ///< values used
    double mean = 0;                 ///< mean
    double mean_se = 0;              ///< its standard error
    double percentile = 0;           ///< the low percentile (P10 by default), type 7
    interval percentile_ci;          ///< its distribution-free confidence interval
    double cvar = 0;                 ///< mean of the worst tail_mass share of values
    double cvar_se = 0;              ///< its asymptotic standard error (Manistre & Hancock 2005)
    double prob_loss = 0;            ///< P(X < loss_threshold)
    double prob_loss_se = 0;         ///< its binomial standard error
    bool efficient_percentile = false;  ///< not dominated on (mean, percentile)
    bool efficient_cvar = false;        ///< not dominated on (mean, CVaR)
    /// An option that dominates this one on (mean, percentile) -- the one with the largest
    /// mean among those that do -- or npos if efficient.
    std::size_t dominated_by_percentile = npos;
    /// Likewise on (mean, CVaR).
    std::size_t dominated_by_cvar = npos;
    /// "No option".
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
};

/// The frontier of a set of options.
struct frontier_result {
    std::vector<frontier_point> options;         ///< one per option, input order
    std::vector<std::size_t> percentile_frontier;  ///< efficient on (mean, percentile), by mean descending
    std::vector<std::size_t> cvar_frontier;      ///< efficient on (mean, CVaR), by mean descending
    frontier_options settings;                   ///< the settings used
};

/// Which points are efficient (not dominated) when both coordinates are to be maximised:
/// i is dominated if some j has a_j >= a_i and b_j >= b_i with at least one strict. Equal
/// points do not dominate each other. O(k^2).
/// \throws invalid_argument if the sizes differ or a coordinate is not finite.
inline std::vector<bool> efficient_options(std::span<const double> a, std::span<const double> b) {
    constexpr const char* fn = "offroi::efficient_options";
    if (a.size() != b.size())
        detail::throw_invalid(fn, "b size", double(b.size()), "must equal a's size (" + std::to_string(a.size()) + ")");
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!std::isfinite(a[i])) detail::throw_invalid(fn, "a[" + std::to_string(i) + "]", a[i], "must be finite");
        if (!std::isfinite(b[i])) detail::throw_invalid(fn, "b[" + std::to_string(i) + "]", b[i], "must be finite");
    }
    std::vector<bool> eff(a.size(), true);
    for (std::size_t i = 0; i < a.size(); ++i)
        for (std::size_t j = 0; j < a.size() && eff[i]; ++j)
            if (a[j] >= a[i] && b[j] >= b[i] && (a[j] > a[i] || b[j] > b[i])) eff[i] = false;
    return eff;
}

namespace detail {

// The dominating option with the largest mean (lowest index on ties), or npos.
inline std::size_t dominator(std::span<const double> a, std::span<const double> b, std::size_t i) {
    std::size_t best = frontier_point::npos;
    for (std::size_t j = 0; j < a.size(); ++j)
        if (a[j] >= a[i] && b[j] >= b[i] && (a[j] > a[i] || b[j] > b[i]) &&
            (best == frontier_point::npos || a[j] > a[best]))
            best = j;
    return best;
}

inline std::vector<std::size_t> frontier_order(std::span<const double> mean, const std::vector<bool>& eff) {
    std::vector<std::size_t> idx;
    for (std::size_t i = 0; i < eff.size(); ++i)
        if (eff[i]) idx.push_back(i);
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t x, std::size_t y) { return mean[x] > mean[y]; });
    return idx;
}

}  // namespace detail

/// The statistics of each option and the efficient sets (see the file comment).
/// \param columns one span of values per option (each >= 2 finite values; options may have
///                different counts, but with common random numbers the same trials make
///                the comparison sharper).
/// \param o       percentile, CVaR tail mass, loss threshold, confidence level.
/// \throws invalid_argument naming the field, the value and what is allowed: no options, an
///         option with fewer than 2 values, a non-finite value (`columns[i][t]`), or a
///         setting outside its range.
inline frontier_result option_frontier(std::span<const std::span<const double>> columns,
                                       const frontier_options& o = {}) {
    constexpr const char* fn = "offroi::option_frontier";
    if (columns.empty()) detail::throw_invalid(fn, "options", 0.0, "need at least 1 option");
    if (!(o.percentile > 0.0 && o.percentile < 1.0))
        detail::throw_invalid(fn, "percentile", o.percentile, "must be in (0, 1)");
    if (!(o.tail_mass > 0.0 && o.tail_mass <= 1.0))
        detail::throw_invalid(fn, "tail_mass", o.tail_mass, "must be in (0, 1]");
    if (!std::isfinite(o.loss_threshold)) detail::throw_invalid(fn, "loss_threshold", o.loss_threshold, "must be finite");
    if (!(o.confidence_level > 0.0 && o.confidence_level < 1.0))
        detail::throw_invalid(fn, "confidence_level", o.confidence_level, "must be in (0, 1)");
    frontier_result res;
    res.settings = o;
    const std::size_t k = columns.size();
    res.options.resize(k);
    std::vector<double> mean(k), pct(k), cvar(k);
    for (std::size_t i = 0; i < k; ++i) {
        const auto x = columns[i];
        if (x.size() < 2)
            detail::throw_invalid(fn, "columns[" + std::to_string(i) + "] size", double(x.size()),
                                  "each option needs at least 2 values");
        for (std::size_t t = 0; t < x.size(); ++t)
            if (!std::isfinite(x[t]))
                detail::throw_invalid(fn, "columns[" + std::to_string(i) + "][" + std::to_string(t) + "]", x[t],
                                      "values must be finite");
        const sorted_sample s(x);
        const exact_moments m = s.moments();
        frontier_point& p = res.options[i];
        const double n = double(x.size());
        p.trials = x.size();
        p.mean = m.mean(fn);
        p.mean_se = m.standard_error(fn);
        p.percentile = s.quantile(o.percentile);
        p.percentile_ci = s.quantile_ci(o.percentile, o.confidence_level);
        p.cvar = s.expected_shortfall(o.tail_mass, tail::lower);
        // Manistre & Hancock (2005): the influence function of the lower-tail mean is
        // (X - q) 1{X <= q} / alpha + const; its sample variance over n gives the SE.
        const double q = s.quantile(o.tail_mass);
        double sh = 0.0, sh2 = 0.0;
        for (double v : s.values()) {
            if (v > q) break;
            const double h = v - q;
            sh += h;
            sh2 += h * h;
        }
        const double vh = std::max(0.0, (sh2 - sh * sh / n) / (n - 1.0));
        p.cvar_se = std::sqrt(vh / n) / o.tail_mass;
        p.prob_loss = s.prob_below(o.loss_threshold);
        p.prob_loss_se = std::sqrt(p.prob_loss * (1.0 - p.prob_loss) / n);
        mean[i] = p.mean;
        pct[i] = p.percentile;
        cvar[i] = p.cvar;
    }
    const auto ep = efficient_options(mean, pct);
    const auto ec = efficient_options(mean, cvar);
    for (std::size_t i = 0; i < k; ++i) {
        auto& p = res.options[i];
        p.efficient_percentile = ep[i];
        p.efficient_cvar = ec[i];
        p.dominated_by_percentile = ep[i] ? frontier_point::npos : detail::dominator(mean, pct, i);
        p.dominated_by_cvar = ec[i] ? frontier_point::npos : detail::dominator(mean, cvar, i);
    }
    res.percentile_frontier = detail::frontier_order(mean, ep);
    res.cvar_frontier = detail::frontier_order(mean, ec);
    return res;
}

/// As above, for options held as vectors.
inline frontier_result option_frontier(const std::vector<std::vector<double>>& columns,
                                       const frontier_options& o = {}) {
    std::vector<std::span<const double>> spans(columns.begin(), columns.end());
    return option_frontier(std::span<const std::span<const double>>(spans), o);
}

}  // namespace offroi
