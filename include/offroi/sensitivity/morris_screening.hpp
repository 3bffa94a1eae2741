#pragma once
/// \file
/// Morris elementary-effects screening (Morris 1991) with Campolongo, Cariboni and
/// Saltelli's (2007) mu*, the mean absolute elementary effect.
///
/// Grid: each input has p levels (p even), level k at probability u_k = (k + 1/2) / p, the
/// centres of p equiprobable bins, mapped through the input's quantile (so unbounded
/// marginals work; Morris's original grid k / (p - 1) puts levels at probability 0 and 1,
/// where an unbounded quantile is infinite). A step moves one input by p/2 levels, i.e. by
/// Delta = 1/2 in probability, Morris's recommended jump for even p.
///
/// Trajectory t (of r): for each input a base level b_i uniform in {0, ..., p/2 - 1} and a
/// direction; the input starts at b_i (up) or b_i + p/2 (down); inputs then move one at a
/// time in a random order, giving d + 1 points and one elementary effect per input:
/// EE_i = (f(x after) - f(x before)) / (+-Delta), in output units per unit of probability
/// (for x ~ U(a, b) divide by b - a to get per unit of x; for a linear model in uniform
/// space EE_i is its coefficient times (b - a)). Cost r (d + 1) evaluations.
/// Random choices come from `philox_stream(seed, stream_id("morris_screening"))` at
/// (trial = trajectory, dimension = 3 i .. 3 i + 2): reproducible, independent of threads.
///
/// mu_i = mean EE_i, mu*_i = mean |EE_i|, sigma_i = standard deviation of EE_i (r - 1
/// divisor). Large mu* = influential; large sigma = non-linear or interacting. With
/// `candidate_trajectories` = M > r, r of M random trajectories are kept for their spread
/// (Campolongo et al. 2007's criterion; greedy selection, see `select_trajectories`).
///
/// Correlated inputs: the design moves one input at a time independently of the others, so
/// the effects are those of the model under independent inputs; correlation is ignored.

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "offroi/error.hpp"
#include "offroi/random/philox.hpp"
#include "offroi/random/stream_id.hpp"
#include "offroi/sensitivity/model_evaluation.hpp"

namespace offroi {

/// Options of `morris_screening`.
struct morris_options {
    std::size_t trajectories = 20;  ///< r, >= 2
    unsigned levels = 4;            ///< p, even and >= 2
    std::uint64_t seed = 0;         ///< seed of the trajectories
    /// M > r: draw M candidate trajectories and keep r of large spread (Campolongo et al.
    /// 2007, greedy selection; cost O(M^2 d^3)); 0 = keep the first r random ones.
    std::size_t candidate_trajectories = 0;
    unsigned threads = 0;           ///< worker threads (0 = all); results do not depend on it
    std::vector<std::string> names; ///< one name per input, or empty for x1..xd
};

/// Result of `morris_screening`; vectors are indexed by input, in the order given.
struct morris_result {
    std::vector<std::string> names;  ///< input names
    std::vector<double> mu;          ///< mean elementary effect
    std::vector<double> mu_star;     ///< mean absolute elementary effect (Campolongo 2007)
    std::vector<double> sigma;       ///< standard deviation of the elementary effects
    std::vector<std::size_t> order;  ///< inputs by decreasing mu* (ties: input order)
    std::vector<std::size_t> trajectory_ids;  ///< which candidate trajectories were used
    std::size_t trajectories = 0;    ///< r
    unsigned levels = 0;             ///< p
    std::size_t evaluations = 0;     ///< r (d + 1)
};

namespace detail {

/// The levels (0 .. p-1) of trajectory t's d + 1 points (row-major, (d+1) x d) and the input
/// moved at each step with its direction (+1 up, -1 down).
inline void morris_trajectory(const philox_stream& s, std::size_t t, std::size_t d, unsigned p,
                              std::vector<unsigned>& levels, std::vector<std::size_t>& moved,
                              std::vector<int>& dir) {
    const unsigned half = p / 2;
    std::vector<unsigned> cur(d);
    std::vector<double> key(d);
    dir.resize(d);
    for (std::size_t i = 0; i < d; ++i) {
        const unsigned base = std::min(half - 1, unsigned(s.uniform(t, 3 * i) * half));
        const bool up = s.uniform(t, 3 * i + 1) < 0.5;
        cur[i] = up ? base : base + half;
        dir[i] = up ? 1 : -1;
        key[i] = s.uniform(t, 3 * i + 2);
    }
    moved.resize(d);
    std::iota(moved.begin(), moved.end(), std::size_t(0));
    std::stable_sort(moved.begin(), moved.end(),
                     [&](std::size_t a, std::size_t b) { return key[a] < key[b]; });
    levels.resize((d + 1) * d);
    std::copy(cur.begin(), cur.end(), levels.begin());
    for (std::size_t k = 0; k < d; ++k) {
        const std::size_t i = moved[k];
        cur[i] = dir[i] > 0 ? cur[i] + half : cur[i] - half;
        std::copy(cur.begin(), cur.end(), levels.begin() + std::ptrdiff_t((k + 1) * d));
    }
}

/// Campolongo et al.'s (2007) spread of two trajectories: the sum over their point pairs of
/// the Euclidean distance between the points, in level units.
inline double trajectory_distance(const std::vector<unsigned>& a, const std::vector<unsigned>& b,
                                  std::size_t d) {
    double total = 0.0;
    for (std::size_t k = 0; k <= d; ++k)
        for (std::size_t l = 0; l <= d; ++l) {
            double s2 = 0.0;
            for (std::size_t i = 0; i < d; ++i) {
                const double diff = double(a[k * d + i]) - double(b[l * d + i]);
                s2 += diff * diff;
            }
            total += std::sqrt(s2);
        }
    return total;
}

/// Picks r of the first m candidate trajectories with a large Campolongo spread
/// sqrt(sum over selected pairs of distance^2): greedy forward selection (the farthest
/// pair, then repeatedly the candidate adding the most squared distance; ties to the lower
/// index), a heuristic for the exact combinatorial maximum. Returns ascending ids.
inline std::vector<std::size_t> select_trajectories(const philox_stream& s, std::size_t d,
                                                    unsigned p, std::size_t r, std::size_t m) {
    std::vector<std::vector<unsigned>> cand(m);
    std::vector<std::size_t> moved;
    std::vector<int> dir;
    for (std::size_t t = 0; t < m; ++t) morris_trajectory(s, t, d, p, cand[t], moved, dir);
    std::vector<double> D(m * m, 0.0);
    for (std::size_t a = 0; a < m; ++a)
        for (std::size_t b = a + 1; b < m; ++b)
            D[a * m + b] = D[b * m + a] = trajectory_distance(cand[a], cand[b], d);
    std::size_t best_a = 0, best_b = 1;
    for (std::size_t a = 0; a < m; ++a)
        for (std::size_t b = a + 1; b < m; ++b)
            if (D[a * m + b] > D[best_a * m + best_b]) {
                best_a = a;
                best_b = b;
            }
    std::vector<char> taken(m, 0);
    std::vector<double> gain(m, 0.0);  // sum of squared distances to the selected set
    std::vector<std::size_t> chosen = {best_a, best_b};
    for (std::size_t c : chosen) {
        taken[c] = 1;
        for (std::size_t t = 0; t < m; ++t) gain[t] += D[t * m + c] * D[t * m + c];
    }
    while (chosen.size() < r) {
        std::size_t best = m;
        for (std::size_t t = 0; t < m; ++t)
            if (!taken[t] && (best == m || gain[t] > gain[best])) best = t;
        taken[best] = 1;
        chosen.push_back(best);
        for (std::size_t t = 0; t < m; ++t) gain[t] += D[t * m + best] * D[t * m + best];
    }
    std::sort(chosen.begin(), chosen.end());
    return chosen;
}

template <sensitivity_model F, class Marginal>
morris_result morris_impl(const F& f, const std::vector<Marginal>& inputs,
                          const morris_options& opt) {
    constexpr const char* fn = "morris_screening";
    const std::size_t d = inputs.size();
    const std::size_t r = opt.trajectories;
    const unsigned p = opt.levels;
    if (d == 0) throw invalid_argument("morris_screening: no inputs given; need at least 1");
    if (r < 2) throw_invalid(fn, "trajectories", double(r), "must be >= 2");
    if (p < 2 || p % 2 != 0 || p > 1024)
        throw_invalid(fn, "levels", double(p), "must be an even number in [2, 1024]");
    if (opt.candidate_trajectories != 0 && opt.candidate_trajectories <= r)
        throw_invalid(fn, "candidate_trajectories", double(opt.candidate_trajectories),
                      "must be 0 (no selection) or above trajectories = " + std::to_string(r));
    morris_result res;
    res.names = input_names(opt.names, d, fn);
    res.trajectories = r;
    res.levels = p;
    res.evaluations = r * (d + 1);

    // Value of each input at each level, from its quantile at the bin centres.
    std::vector<double> prob(p);
    for (unsigned k = 0; k < p; ++k) prob[k] = (k + 0.5) / p;
    std::vector<std::vector<double>> value(d, std::vector<double>(p));
    for (std::size_t i = 0; i < d; ++i) {
        marginal_quantiles(inputs[i], prob.data(), value[i].data(), p);
        for (double v : value[i])
            if (!std::isfinite(v))
                throw_invalid(fn, "a level of input " + res.names[i], v, "must be finite");
    }

    const philox_stream s(opt.seed, stream_id("morris_screening"));
    res.trajectory_ids = opt.candidate_trajectories == 0
                             ? std::vector<std::size_t>(r)
                             : select_trajectories(s, d, p, r, opt.candidate_trajectories);
    if (opt.candidate_trajectories == 0)
        std::iota(res.trajectory_ids.begin(), res.trajectory_ids.end(), std::size_t(0));
    const auto& ids = res.trajectory_ids;
    std::vector<double> ee(r * d);  // ee[t * d + i], t = position in ids
    const std::size_t per_task = std::max<std::size_t>(1, 16384 / (d + 1));
    parallel_tasks((r + per_task - 1) / per_task, opt.threads, [&](std::size_t task) {
        const std::size_t t0 = task * per_task, t1 = std::min(r, t0 + per_task);
        Eigen::MatrixXd X(Eigen::Index((t1 - t0) * (d + 1)), Eigen::Index(d));
        std::vector<unsigned> levels;
        std::vector<std::size_t> moved;
        std::vector<int> dir;
        for (std::size_t t = t0; t < t1; ++t) {
            morris_trajectory(s, ids[t], d, p, levels, moved, dir);
            for (std::size_t k = 0; k <= d; ++k)
                for (std::size_t i = 0; i < d; ++i)
                    X(Eigen::Index((t - t0) * (d + 1) + k), Eigen::Index(i)) =
                        value[i][levels[k * d + i]];
        }
        Eigen::VectorXd y;
        evaluate_model(f, X, y, fn, t0 * (d + 1));
        for (std::size_t t = t0; t < t1; ++t) {
            morris_trajectory(s, ids[t], d, p, levels, moved, dir);
            const Eigen::Index row0 = Eigen::Index((t - t0) * (d + 1));
            for (std::size_t k = 0; k < d; ++k) {
                const std::size_t i = moved[k];
                const double dy = y(row0 + Eigen::Index(k + 1)) - y(row0 + Eigen::Index(k));
                ee[t * d + i] = dy / (0.5 * dir[i]);
            }
        }
    });

    res.mu.assign(d, 0.0);
    res.mu_star.assign(d, 0.0);
    res.sigma.assign(d, 0.0);
    for (std::size_t i = 0; i < d; ++i) {
        double m = 0.0, ma = 0.0;
        for (std::size_t t = 0; t < r; ++t) {
            m += ee[t * d + i];
            ma += std::abs(ee[t * d + i]);
        }
        m /= double(r);
        double ss = 0.0;
        for (std::size_t t = 0; t < r; ++t) ss += (ee[t * d + i] - m) * (ee[t * d + i] - m);
        res.mu[i] = m;
        res.mu_star[i] = ma / double(r);
        res.sigma[i] = std::sqrt(ss / double(r - 1));
    }
    res.order.resize(d);
    std::iota(res.order.begin(), res.order.end(), std::size_t(0));
    std::stable_sort(res.order.begin(), res.order.end(), [&](std::size_t a, std::size_t b) {
        return res.mu_star[a] > res.mu_star[b];
    });
    return res;
}

}  // namespace detail

/// Morris screening of model `f` over inputs with the given marginals (see the file
/// comment for the grid, trajectories and measures).
/// \param f       batch or point model; called concurrently when threads != 1.
/// \param inputs  one marginal per input; `quantile(m, p)` must be found by ADL.
/// \throws offroi::invalid_argument no inputs; trajectories < 2; levels odd, < 2 or > 1024;
///         candidate_trajectories neither 0 nor above trajectories;
///         names of the wrong length; a level whose quantile is not finite.
///         offroi::numerical_error when the model returns a non-finite value.
template <sensitivity_model F, quantile_marginal Marginal>
morris_result morris_screening(const F& f, const std::vector<Marginal>& inputs,
                               const morris_options& options = {}) {
    return detail::morris_impl(f, inputs, options);
}

/// Morris screening of a model of `dimension` independent U(0, 1) inputs.
/// \throws as the marginal overload; also when dimension = 0.
template <sensitivity_model F>
morris_result morris_screening(const F& f, std::size_t dimension,
                               const morris_options& options = {}) {
    return detail::morris_impl(f, std::vector<detail::unit_uniform_marginal>(dimension), options);
}

}  // namespace offroi
