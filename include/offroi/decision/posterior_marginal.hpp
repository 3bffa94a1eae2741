#pragma once
/// \file
/// The posterior of one input from its prior and a likelihood, computed "exactly" in one
/// dimension on a grid of the prior's quantiles, as a tabulated (empirical) distribution
/// that a scenario can be re-run with. The fallback of `update_scenario` when reweighting
/// prior draws degenerates (decision/scenario_update.hpp).
///
/// Method. With U = F(theta) the prior's probability integral transform, the posterior of U
/// on (0, 1) has density proportional to L(Q(u)), Q = F^-1 the prior's quantile function: no
/// prior density is needed, and every family of the catalog works. On a grid
/// 0 = u_0 < u_1 < ... < u_G = 1 the mass of cell [u_a, u_b] is taken as
/// (u_b - u_a) L(Q((u_a + u_b)/2)) (midpoint rule), so the posterior is piecewise uniform in u
/// (prior-shaped within each cell in theta). The grid is G equal steps in u, plus G equal
/// steps over each `focus` interval (given by the caller where the likelihood is sharp: a
/// normal measurement's value +- 12 sd), then zoomed: while the cells holding all but
/// e^-46 of the mass are fewer than G/4, G more points are spread over them (at most 6
/// times). The result is the posterior quantile function, through Q (`exact_quantile`), as
/// an empirical distribution: for a continuous prior the interpolated kind with data at the
/// levels j / (N - 1) (so its quantiles are the posterior's at every node, linear in between)
/// and the end points at 1e-6 and 1 - 1e-6; for a discrete prior the resampled kind with
/// data at the midpoints (j + 1/2) / N. What is approximate: the midpoint rule within a cell
/// (error O(cell width^2) in the masses), linear interpolation between nodes 1/(N - 1)
/// apart, and the tails beyond 1e-6, cut at the end points.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "offroi/distributions/distribution.hpp"
#include "offroi/distributions/empirical.hpp"
#include "offroi/error.hpp"

namespace offroi {

/// Settings of `posterior_marginal`.
struct posterior_marginal_options {
    std::size_t grid_points = 2048;    ///< G, steps of the base grid in u (and of each refinement), >= 16
    std::size_t output_points = 4096;  ///< N, points of the tabulated posterior, >= 16
    /// Intervals of theta where the likelihood is sharp (each gets G grid steps of its own).
    std::vector<std::pair<double, double>> focus;
};

/// The posterior of one input.
struct posterior_marginal_result {
    distribution posterior;      ///< tabulated posterior (empirical), re-usable as a scenario input
    double mean = 0.0;           ///< posterior mean (midpoint rule on the grid)
    double sd = 0.0;             ///< posterior standard deviation (same)
    double log_evidence = 0.0;   ///< log of the integral of L over the prior, log E_prior[L]
    std::size_t grid_cells = 0;  ///< cells of the final grid
};

/// The posterior of an input with prior `prior` and log-likelihood `log_lik(theta)` (see the
/// file comment). `log_lik` may return -inf (impossible values), never NaN.
/// \throws invalid_argument for a constant prior, grid or output points below 16, a focus
///         interval that is not finite, or a likelihood that is 0 (or NaN) everywhere on
///         the grid (the observation is impossible under the prior).
template <class LogLik>
posterior_marginal_result posterior_marginal(const distribution& prior, LogLik&& log_lik,
                                             const posterior_marginal_options& o = {}) {
    constexpr const char* fn = "posterior_marginal";
    if (o.grid_points < 16) detail::throw_invalid(fn, "grid_points", double(o.grid_points), "must be >= 16");
    if (o.output_points < 16) detail::throw_invalid(fn, "output_points", double(o.output_points), "must be >= 16");
    const auto [lo, hi] = support(prior);
    if (!(hi > lo)) throw invalid_argument("posterior_marginal: the prior is constant; there is nothing to update");
    const std::size_t G = o.grid_points;
    std::vector<double> u;
    u.reserve(4 * G);
    for (std::size_t i = 0; i <= G; ++i) u.push_back(double(i) / double(G));
    auto spread = [&](double a, double b) {
        a = std::clamp(a, 0.0, 1.0);
        b = std::clamp(b, 0.0, 1.0);
        if (!(b > a)) {
            u.push_back(a);
            return;
        }
        for (std::size_t i = 0; i <= G; ++i) u.push_back(a + (b - a) * double(i) / double(G));
    };
    for (const auto& [a, b] : o.focus) {
        if (!std::isfinite(a) || !std::isfinite(b) || !(b >= a))
            throw invalid_argument("posterior_marginal: focus interval [" + detail::format_value(a) + ", " +
                                   detail::format_value(b) + "] is invalid; it must be finite with lower <= upper");
        spread(cdf(prior, a), cdf(prior, b));
    }
    std::vector<double> lm;  // log mass per cell
    double lmax = -std::numeric_limits<double>::infinity();
    auto evaluate = [&] {
        std::sort(u.begin(), u.end());
        u.erase(std::unique(u.begin(), u.end()), u.end());
        lm.assign(u.size() - 1, -std::numeric_limits<double>::infinity());
        lmax = -std::numeric_limits<double>::infinity();
        for (std::size_t c = 0; c + 1 < u.size(); ++c) {
            const double w = u[c + 1] - u[c];
            const double x = exact_quantile(prior, 0.5 * (u[c] + u[c + 1]));
            const double l = log_lik(x);
            if (std::isnan(l))
                throw invalid_argument("posterior_marginal: the log-likelihood is NaN at " + detail::format_value(x));
            lm[c] = std::log(w) + l;
            lmax = std::max(lmax, lm[c]);
        }
        if (!std::isfinite(lmax))
            throw invalid_argument("posterior_marginal: the likelihood is 0 over the whole prior; the observation "
                                   "is impossible under this input's distribution");
    };
    evaluate();
    for (int zoom = 0; zoom < 6; ++zoom) {
        std::size_t first = lm.size(), last = 0, active = 0;
        for (std::size_t c = 0; c < lm.size(); ++c)
            if (lm[c] > lmax - 46.0) {
                first = std::min(first, c);
                last = c;
                ++active;
            }
        if (active >= G / 4) break;
        const std::size_t a = first > 0 ? first - 1 : 0, b = std::min(last + 2, u.size() - 1);
        spread(u[a], u[b]);
        evaluate();
    }
    // Normalised cell masses, cumulative, and moments.
    const std::size_t C = lm.size();
    std::vector<double> m(C), cum(C + 1, 0.0);
    double total = 0.0;
    for (std::size_t c = 0; c < C; ++c) total += m[c] = std::exp(lm[c] - lmax);
    for (std::size_t c = 0; c < C; ++c) cum[c + 1] = cum[c] + m[c] / total;
    posterior_marginal_result r;
    r.grid_cells = C;
    r.log_evidence = lmax + std::log(total);
    double mean = 0.0, m2 = 0.0;
    std::vector<double> xmid(C, 0.0);
    for (std::size_t c = 0; c < C; ++c)
        if (m[c] > 0.0) {
            xmid[c] = exact_quantile(prior, 0.5 * (u[c] + u[c + 1]));
            mean += m[c] / total * xmid[c];
        }
    for (std::size_t c = 0; c < C; ++c)
        if (m[c] > 0.0) m2 += m[c] / total * (xmid[c] - mean) * (xmid[c] - mean);
    r.mean = mean;
    r.sd = std::sqrt(m2);
    // Posterior quantiles: the cell where the cumulative mass crosses p, linear in u within
    // it, through the prior's quantile function. Continuous prior: at p_j = j / (N - 1) (the
    // levels of the interpolated empirical distribution's data, so its quantiles match at
    // every node), with 1e-6 and 1 - 1e-6 for the end points; discrete prior: at the
    // midpoints (j + 1/2) / N of the resampled kind's steps.
    const std::size_t N = o.output_points;
    const bool discrete = is_discrete(prior);
    std::vector<double> xs(N);
    std::size_t c = 0;
    for (std::size_t j = 0; j < N; ++j) {
        double p = discrete ? (double(j) + 0.5) / double(N) : double(j) / double(N - 1);
        if (!discrete) p = std::clamp(p, 1e-6, 1.0 - 1e-6);
        while (c + 1 < C && cum[c + 1] < p) ++c;
        const double mass = cum[c + 1] - cum[c];
        const double t = mass > 0.0 ? std::clamp((p - cum[c]) / mass, 0.0, 1.0) : 0.5;
        xs[j] = exact_quantile(prior, std::clamp(u[c] + t * (u[c + 1] - u[c]), u[c], u[c + 1]));
        if (!std::isfinite(xs[j])) xs[j] = exact_quantile(prior, 0.5 * (u[c] + u[c + 1]));
        xs[j] = std::clamp(xs[j], lo, hi);
    }
    r.posterior = empirical_distribution(std::move(xs), discrete ? empirical_kind::resampled
                                                                            : empirical_kind::interpolated);
    return r;
}

}  // namespace offroi
