#pragma once
/// \file
/// Ranking and selection on common random numbers: which of k options has the largest
/// expected value, spending simulation trials where the decision is close -- the optimal
/// computing budget allocation (OCBA) of Chen, Lin, Yücesan & Chick (2000), "Simulation
/// budget allocation for further enhancing the efficiency of ordinal optimization",
/// Discrete Event Dynamic Systems 10(3):251-270.
///
/// **Options and trials.** Option i (0 <= i < k) is simulated by a callable that writes the
/// per-trial values of option i for trials [a, b). The value of trial t must be a pure
/// function of (seed, t) -- the callable holds the seed -- and trial t of every option uses
/// the same random numbers (common random numbers, CRN). Option i has always run the
/// trials [0, n_i), a prefix, so two options share their first min(n_i, n_j) trials.
///
/// **Procedure** (Chen et al. 2000, §4, the sequential algorithm): n0 trials per option;
/// then rounds of Delta trials spread by the OCBA ratios computed from the current
/// estimates, until the total budget is spent or the approximate probability of correct
/// selection (APCS) reaches a target. Every allocation is a whole number of blocks of
/// `block` trials: an option's trials are always the prefix [0, n_i) on a fixed grid, and
/// the units of parallel work (one block of one option) do not depend on the thread
/// count, so the same seed gives the same bits for any `threads`.
///
/// **The OCBA ratios** (b the current best, delta_i = mean_b - mean_i > 0 for i != b):
///  - `comparison_variance::independent` (Chen et al. 2000, Theorem 1, for independent
///    sampling): N_i / N_j = (sigma_i / delta_i)^2 / (sigma_j / delta_j)^2 for i, j != b,
///    N_b = sigma_b sqrt(sum_{i != b} N_i^2 / sigma_i^2); the comparison of b with i has
///    variance sigma_b^2 / N_b + sigma_i^2 / N_i.
///  - `comparison_variance::paired` (default; for CRN): the comparison of b with i is the
///    mean of the paired differences D_t = X_{b,t} - X_{i,t} over their common trials, with
///    variance sigma^2_{b-i} / min(N_b, N_i), where sigma^2_{b-i} = sigma_b^2 + sigma_i^2 -
///    2 cov(X_b, X_i) is what CRN shrinks (in a sourcing scenario most of the spread of the
///    net benefit -- the cost of delay, the backlog -- is common to all options and cancels
///    in D). Minimising the total trials for a given APCS with these variances gives
///    sigma^2_{b-i} in place of sigma_i^2 in Chen's ratio, N_i ∝ sigma^2_{b-i} / delta_i^2,
///    and N_b = max_{i != b} N_i: the best must run every trial a rival runs (to pair it),
///    but trials of the best beyond that do not enter any paired comparison, so there is no
///    sigma_b term (with independent options, sigma^2_{b-i} = sigma_b^2 + sigma_i^2). This is
///    the same large-deviations argument as Chen's asymptotic ratio (equal z-values
///    delta_i / sd of every comparison); Fu, Hu, Chen & Xiong (2007), INFORMS Journal on
///    Computing 19(1):101-111, treat correlated sampling in general.
///  A difference of 0 would ask for infinite trials: delta_i^2 is floored at 1e-12 times
///  the comparison's variance (a tie then takes nearly the whole increment), and an option
///  whose difference to the best has no variance at all needs no further trials.
///
/// **Which option is best.** Independent: the largest mean. Paired: the option that no
/// other beats on their common trials -- starting from the largest control-variate mean
/// (below), the selection moves to the rival with the largest positive paired mean
/// difference until none is left (a cycle, possible only within the noise, keeps the
/// current one). Paired differences are what CRN makes precise; means of options with
/// different trial counts carry different common noise.
///
/// **Means on a common footing** (reported): the control-variate mean (the regression
/// estimator; Lavenberg & Welch 1981, "A perspective on the use of control variables to
/// increase the efficiency of Monte Carlo simulations", Management Science 27(3):322-335)
/// with the most-simulated option r that varies (not a constant such as the baseline's net
/// benefit of 0) as the control:
///   m_i = mean_i + beta_i (mean_r - mean_r^{(n_i)}),  beta_i = cov(X_i, X_r) / var(X_r),
/// where mean_r^{(n_i)} is r's mean over option i's trials [0, n_i). It corrects option i's
/// mean for the common noise of its first n_i trials with r's further trials (beta ~ 1
/// under strong CRN; an option that shares nothing with r keeps its own mean). Its variance
/// is sigma_i^2 (1 - rho^2 (1 - n_i / n_r)) / n_i (rho the correlation of X_i and X_r; beta
/// and rho estimated on the common trials from the variances of X_i, X_r and X_i - X_r).
///
/// **APCS** (Chen et al. 2000, eq. 3, Bonferroni lower bound): APCS = 1 - sum_{i != b}
/// P(option i is better than b), each term from the normal approximation
/// Phi(-delta_i / sd_i) with the comparison's standard deviation above.
///
/// **Allocation per round.** The targets N_i* = T' w_i / sum w for the new total T' =
/// T + Delta; the Delta / block blocks of the round go to the options in proportion to
/// max(0, N_i* - n_i), by largest remainders (ties to the lower index). `allocation_rule::
/// equal` uses w_i = 1 (the same estimates and stopping rule: the comparison the tests
/// and the benchmark make).

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "offroi/distributions/detail/normal_math.hpp"
#include "offroi/engine/cancellation.hpp"
#include "offroi/engine/engine_options.hpp"
#include "offroi/error.hpp"

namespace offroi {

/// How the noise of comparing an option with the current best is modelled (see the file
/// comment).
enum class comparison_variance {
    paired,      ///< CRN: paired differences on common trials, variance sigma^2_{b-i} / min(N_b, N_i)
    independent  ///< Chen et al. (2000): sigma_b^2 / N_b + sigma_i^2 / N_i
};

/// How the trials after the first n0 per option are spread.
enum class allocation_rule {
    ocba,  ///< by the OCBA ratios (Chen et al. 2000)
    equal  ///< equally (the benchmark OCBA is measured against)
};

/// Settings of `select_best`. Trial counts are per option (n0) or over all options
/// (increment, budget); each is a multiple of `block`.
struct selection_options {
    std::uint64_t initial_trials = 1024;  ///< n0: trials per option before any allocation (>= 2)
    std::uint64_t increment = 4096;       ///< Delta: trials added per round, over all options
    std::uint64_t budget = 0;             ///< the total trials over all options (>= k n0); required
    /// Stop as soon as the APCS reaches this (checked after the first stage and each round);
    /// 0: spend the whole budget. In [0, 1).
    double target_pcs = 0.0;
    std::uint64_t block = 256;            ///< granularity of every allocation, trials (>= 1)
    comparison_variance variance = comparison_variance::paired;  ///< paired (CRN) or independent
    allocation_rule rule = allocation_rule::ocba;  ///< OCBA or equal allocation
    bool maximize = true;                 ///< the best option has the largest mean (false: the smallest)
    unsigned threads = 1;                 ///< worker threads (0: all cores); never changes results
    bool keep_values = false;             ///< return every option's simulated values
    /// Called from the calling thread after the first stage and after each round with
    /// (trials spent, budget); may cancel.
    progress_callback progress;
    /// Checked between blocks: once cancelled, the run stops and throws offroi::cancelled.
    cancellation_token cancel;
};

/// The simulator of the options: writes `values.size()` per-trial values of option `option`
/// for trials [first_trial, first_trial + values.size()). Must be a pure function of
/// (option, trial) and, with threads > 1, safe to call concurrently.
using option_simulator =
    std::function<void(std::size_t option, std::uint64_t first_trial, std::span<double> values)>;

/// What `select_best` reports about one option.
struct option_estimate {
    std::uint64_t trials = 0;        ///< n_i: the option has run trials [0, n_i)
    double mean = 0;                 ///< mean of its n_i values
    double standard_deviation = 0;   ///< their sample standard deviation
    double standard_error = 0;       ///< standard error of the mean
    /// The control-variate mean (paired: see the file comment; independent: the mean): the
    /// option's mean on a common footing with the others.
    double adjusted_mean = 0;
    double adjusted_se = 0;          ///< its standard error (independent: standard_error)
    /// This option minus the best: paired, the mean of X_i - X_b over the common trials
    /// [0, min(n_i, n_b)); independent, mean_i - mean_b. 0 for the best.
    double difference = 0;
    double difference_se = 0;         ///< its standard error (paired: sd(X_i - X_b) / sqrt(common trials))
    std::uint64_t difference_trials = 0;  ///< trials the difference uses
    /// Approximate probability that the choice is right with respect to this option:
    /// P(the best's mean beats this option's), Phi(delta / sd) (normal approximation); for
    /// the best itself, the APCS of the whole selection.
    double pcs = 1;
    bool best = false;               ///< whether this is the selected option
};

/// The state after the first stage or after one round.
struct selection_round {
    std::uint64_t total_trials = 0;  ///< trials spent so far, all options
    std::size_t best = 0;            ///< the option selected then
    double apcs = 0;                 ///< its APCS then
};

/// The result of `select_best`.
struct selection_result {
    std::vector<option_estimate> options;  ///< one per option
    std::size_t best = 0;                  ///< the selected option
    double apcs = 0;                       ///< approximate P(correct selection), Bonferroni bound
    std::uint64_t total_trials = 0;        ///< trials spent over all options
    bool reached_target = false;           ///< stopped because APCS >= target_pcs
    std::vector<selection_round> rounds;   ///< the first stage, then each round
    /// With keep_values: values[i] holds option i's n_i values, trial order; else empty.
    std::vector<std::vector<double>> values;
};

namespace detail {

/// Welford's running mean and sum of squared deviations (deterministic in input order).
struct selection_moments {
    std::uint64_t n = 0;
    double mean = 0;
    double m2 = 0;
    void add(double x) noexcept {
        ++n;
        const double d = x - mean;
        mean += d / double(n);
        m2 += d * (x - mean);
    }
    double variance() const noexcept { return n > 1 ? std::max(0.0, m2 / double(n - 1)) : 0.0; }
};

/// OCBA weights (unnormalised) from the gaps to the best and the comparison variances:
/// paired, s2[i] = sigma^2_{b-i}; independent, s2[i] = sigma_i^2 (and s2[best] = sigma_b^2).
inline std::vector<double> ocba_weights(std::size_t best, std::span<const double> delta,
                                        std::span<const double> s2, comparison_variance mode) {
    const std::size_t k = delta.size();
    std::vector<double> w(k, 0.0);
    double wb_sq = 0.0, wmax = 0.0;
    for (std::size_t i = 0; i < k; ++i) {
        if (i == best || !(s2[i] > 0.0)) continue;
        const double d2 = std::max(delta[i] * delta[i], 1e-12 * s2[i]);
        w[i] = s2[i] / d2;
        wmax = std::max(wmax, w[i]);
        wb_sq += w[i] * w[i] / s2[i];
    }
    w[best] = mode == comparison_variance::paired ? wmax : std::sqrt(std::max(0.0, s2[best]) * wb_sq);
    return w;
}

inline std::vector<double> ocba_normalised(std::vector<double> w) {
    double sum = 0.0;
    for (double x : w) sum += x;
    if (!(sum > 0.0)) {
        std::fill(w.begin(), w.end(), 1.0 / double(w.size()));
        return w;
    }
    for (double& x : w) x /= sum;
    return w;
}

inline std::size_t ocba_best_of(std::span<const double> means, bool maximize) {
    std::size_t b = 0;
    for (std::size_t i = 1; i < means.size(); ++i)
        if (maximize ? means[i] > means[b] : means[i] < means[b]) b = i;
    return b;
}

inline void check_fraction_inputs(const char* fn, std::span<const double> means, std::span<const double> v,
                                  const char* vname) {
    if (means.size() < 2) throw_invalid(fn, "options", double(means.size()), "need at least 2 options");
    if (v.size() != means.size())
        throw_invalid(fn, std::string(vname) + " size", double(v.size()),
                      "must equal the number of means (" + std::to_string(means.size()) + ")");
    for (std::size_t i = 0; i < means.size(); ++i) {
        if (!std::isfinite(means[i]))
            throw_invalid(fn, "means[" + std::to_string(i) + "]", means[i], "must be finite");
        if (!(v[i] >= 0.0) || !std::isfinite(v[i]))
            throw_invalid(fn, std::string(vname) + "[" + std::to_string(i) + "]", v[i], "must be finite and >= 0");
    }
}

/// Runs `tasks` (option, first trial) blocks of `block` trials into values[option] on up to
/// `threads` threads; rethrows the exception of the lowest-numbered failed task.
inline void run_option_blocks(const option_simulator& sim, std::vector<std::vector<double>>& values,
                       const std::vector<std::pair<std::size_t, std::uint64_t>>& tasks, std::uint64_t block,
                       unsigned threads, const cancellation_token& cancel = {}) {
    if (tasks.empty()) return;
    auto one = [&](std::size_t t) {
        if (cancel.cancelled()) throw cancelled();
        const auto [opt, first] = tasks[t];
        sim(opt, first, std::span<double>(values[opt].data() + first, static_cast<std::size_t>(block)));
    };
    const std::size_t nthreads = std::min<std::size_t>(threads, tasks.size());
    if (nthreads <= 1) {
        for (std::size_t t = 0; t < tasks.size(); ++t) one(t);
        return;
    }
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::vector<std::exception_ptr> errors(tasks.size());
    auto worker = [&] {
        for (;;) {
            const std::size_t t = next.fetch_add(1);
            if (t >= tasks.size() || failed.load()) return;
            try {
                one(t);
            } catch (...) {
                errors[t] = std::current_exception();
                failed = true;
            }
        }
    };
    std::vector<std::thread> pool;
    pool.reserve(nthreads - 1);
    for (std::size_t i = 1; i < nthreads; ++i) pool.emplace_back(worker);
    worker();
    for (auto& th : pool) th.join();
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
}

inline unsigned selection_threads(unsigned threads) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    return threads;
}

}  // namespace detail

/// The asymptotic OCBA fractions of Chen et al. (2000), Theorem 1, for independent
/// sampling: with b the best mean and delta_i = |mean_b - mean_i|, N_i ∝ sigma_i^2 /
/// delta_i^2 (i != b) and N_b = sigma_b sqrt(sum_{i != b} N_i^2 / sigma_i^2); returned
/// normalised to sum 1 (delta_i^2 floored at 1e-12 sigma_i^2).
/// \param means     the options' means.
/// \param variances the options' variances sigma_i^2.
/// \param maximize  whether the best has the largest mean.
/// \throws invalid_argument for fewer than 2 options, mismatched sizes, a non-finite mean
///         or a variance that is negative or not finite.
inline std::vector<double> ocba_fractions(std::span<const double> means, std::span<const double> variances,
                                          bool maximize = true) {
    detail::check_fraction_inputs("offroi::ocba_fractions", means, variances, "variances");
    const std::size_t b = detail::ocba_best_of(means, maximize);
    std::vector<double> delta(means.size());
    for (std::size_t i = 0; i < means.size(); ++i) delta[i] = std::fabs(means[b] - means[i]);
    return detail::ocba_normalised(detail::ocba_weights(b, delta, variances, comparison_variance::independent));
}

/// The asymptotic OCBA fractions under common random numbers with paired comparisons (see
/// the file comment): N_i ∝ sigma^2_{b-i} / delta_i^2 for i != b and N_b = max_{i != b}
/// N_i, normalised to sum 1.
/// \param means                the options' means.
/// \param difference_variances sigma^2_{b-i}, the variance of X_b - X_i per trial, for each
///                             option (the entry of the best is ignored).
/// \param maximize             whether the best has the largest mean.
/// \throws invalid_argument as `ocba_fractions`.
inline std::vector<double> ocba_fractions_paired(std::span<const double> means,
                                                 std::span<const double> difference_variances,
                                                 bool maximize = true) {
    detail::check_fraction_inputs("offroi::ocba_fractions_paired", means, difference_variances,
                                  "difference_variances");
    const std::size_t b = detail::ocba_best_of(means, maximize);
    std::vector<double> delta(means.size());
    for (std::size_t i = 0; i < means.size(); ++i) delta[i] = std::fabs(means[b] - means[i]);
    return detail::ocba_normalised(detail::ocba_weights(b, delta, difference_variances, comparison_variance::paired));
}

namespace detail {

/// The bookkeeping of one `select_best` run.
class selection_state {
public:
    selection_state(std::size_t k, const selection_options& o)
        : k_(k), o_(o), sign_(o.maximize ? 1.0 : -1.0), values_(k), marginal_(k), prefix_(k) {}

    std::vector<std::vector<double>>& values() { return values_; }
    std::uint64_t trials(std::size_t i) const { return values_[i].size(); }

    // Adds the new values of option i (trials [from, n_i)) to its running moments, checking
    // that each is finite.
    void absorb(std::size_t i, std::uint64_t from) {
        for (std::uint64_t t = from; t < values_[i].size(); ++t) {
            const double x = values_[i][t];
            if (!std::isfinite(x))
                throw_invalid("offroi::select_best", "value of option " + std::to_string(i) + " at trial " +
                                                         std::to_string(t),
                              x, "the simulator must return finite values");
            marginal_[i].add(sign_ * x);
            if ((t + 1) % o_.block == 0) prefix_[i].push_back(marginal_[i]);
        }
    }

    // Running moments of option i over its first n trials (n a multiple of block, <= n_i).
    const selection_moments& prefix(std::size_t i, std::uint64_t n) const {
        return prefix_[i][static_cast<std::size_t>(n / o_.block - 1)];
    }

    // Running moments of y_a - y_c (y = sign x) over trials [0, min(n_a, n_c)), a != c.
    selection_moments pair(std::size_t a, std::size_t c) {
        const bool swap = a > c;
        const std::size_t lo = swap ? c : a, hi = swap ? a : c;
        selection_moments& m = pairs_[lo * k_ + hi];
        const std::uint64_t upto = std::min(trials(lo), trials(hi));
        for (std::uint64_t t = m.n; t < upto; ++t) m.add(sign_ * (values_[lo][t] - values_[hi][t]));
        selection_moments r = m;
        if (swap) r.mean = -r.mean;
        return r;
    }

    struct estimates {
        std::size_t best = 0;
        std::vector<double> delta;  // y_b - y_i (gap to the best, >= 0 typically)
        std::vector<double> s2;     // comparison variance per trial (see ocba_weights)
        std::vector<double> var;    // variance of the difference estimator
        std::vector<double> adjusted;  // control-variate means (y scale)
        std::vector<double> adjusted_var;  // their variances
        std::vector<std::uint64_t> common;  // trials of the difference
        std::vector<double> pcs;
        double apcs = 0;
    };

    estimates estimate() {
        estimates e;
        e.delta.assign(k_, 0.0);
        e.s2.assign(k_, 0.0);
        e.var.assign(k_, 0.0);
        e.adjusted.assign(k_, 0.0);
        e.adjusted_var.assign(k_, 0.0);
        e.common.assign(k_, 0);
        e.pcs.assign(k_, 1.0);
        const bool paired = o_.variance == comparison_variance::paired;
        if (paired) {
            // The control: the most-simulated option that varies (a constant, such as the
            // baseline's net benefit of 0, controls nothing); ties to the lower index.
            std::size_t r = k_;
            for (std::size_t i = 0; i < k_; ++i)
                if (marginal_[i].variance() > 0.0 && (r == k_ || trials(i) > trials(r))) r = i;
            if (r == k_) r = 0;
            const selection_moments& mr = marginal_[r];
            for (std::size_t i = 0; i < k_; ++i) {
                const selection_moments& mi = marginal_[i];
                const double vi = mi.variance(), ni = double(mi.n);
                if (i == r || mi.n >= mr.n) {  // the control has no further trials for i
                    e.adjusted[i] = mi.mean;
                    e.adjusted_var[i] = vi / ni;
                    continue;
                }
                // beta and rho from the common trials [0, n_i): r's moments there, and those of
                // X_i - X_r; cov = (var X_i + var X_r - var(X_i - X_r)) / 2.
                const selection_moments& rc = prefix(r, mi.n);
                const double vrc = rc.variance();
                const selection_moments d = pair(i, r);
                const double cov = 0.5 * (vi + vrc - d.variance());
                const double beta = vrc > 0.0 ? cov / vrc : 0.0;
                const double rho2 = vi > 0.0 && vrc > 0.0 ? std::min(1.0, cov * cov / (vi * vrc)) : 0.0;
                e.adjusted[i] = mi.mean + beta * (mr.mean - rc.mean);
                e.adjusted_var[i] = vi * (1.0 - rho2 * (1.0 - ni / double(mr.n))) / ni;
            }
        } else {
            for (std::size_t i = 0; i < k_; ++i) {
                e.adjusted[i] = marginal_[i].mean;
                e.adjusted_var[i] = marginal_[i].variance() / double(marginal_[i].n);
            }
        }
        e.best = ocba_best_of(e.adjusted, true);
        if (paired) {
            // From the largest control-variate mean, move to any option that beats the
            // current one on their common trials (the largest paired mean difference), until
            // none does (or a cycle would start: keep the current one).
            std::vector<bool> seen(k_, false);
            for (std::size_t step = 0; step < k_; ++step) {
                seen[e.best] = true;
                std::size_t next = e.best;
                double gain = 0.0;
                for (std::size_t i = 0; i < k_; ++i) {
                    if (i == e.best) continue;
                    const double d = pair(i, e.best).mean;
                    if (d > gain) {
                        gain = d;
                        next = i;
                    }
                }
                if (next == e.best || seen[next]) break;
                e.best = next;
            }
        }
        const std::size_t b = e.best;
        double miss = 0.0;
        for (std::size_t i = 0; i < k_; ++i) {
            if (i == b) continue;
            if (paired) {
                const selection_moments d = pair(b, i);
                e.delta[i] = d.mean;
                e.s2[i] = d.variance();
                e.common[i] = d.n;
                e.var[i] = e.s2[i] / double(d.n);
            } else {
                e.delta[i] = marginal_[b].mean - marginal_[i].mean;
                e.s2[i] = marginal_[i].variance();
                e.common[i] = trials(i);
                e.var[i] = marginal_[b].variance() / double(trials(b)) + e.s2[i] / double(trials(i));
            }
            e.pcs[i] = e.var[i] > 0.0 ? normal_cdf(e.delta[i] / std::sqrt(e.var[i])) : (e.delta[i] >= 0.0 ? 1.0 : 0.0);
            miss += 1.0 - e.pcs[i];
        }
        if (!paired) e.s2[b] = marginal_[b].variance();
        e.common[b] = trials(b);
        e.apcs = std::max(0.0, 1.0 - miss);
        e.pcs[b] = e.apcs;
        return e;
    }

    // Blocks per option for a round that adds `blocks` blocks, total after the round T'.
    std::vector<std::uint64_t> allocate(const estimates& e, std::uint64_t blocks, std::uint64_t total_after) const {
        std::vector<double> f;
        if (o_.rule == allocation_rule::equal) {
            f.assign(k_, 1.0 / double(k_));
        } else {
            // Gaps of the best to itself are 0; ocba_weights skips the best's own entry.
            f = ocba_normalised(ocba_weights(e.best, e.delta, e.s2, o_.variance));
        }
        std::vector<double> want(k_, 0.0);
        double sum = 0.0;
        for (std::size_t i = 0; i < k_; ++i) {
            want[i] = std::max(0.0, double(total_after) * f[i] - double(trials(i)));
            sum += want[i];
        }
        if (!(sum > 0.0)) {
            std::fill(want.begin(), want.end(), 1.0);
            sum = double(k_);
        }
        // Largest remainders: floor of the shares, then one more block each to the largest
        // remainders (ties: lower index).
        std::vector<std::uint64_t> give(k_, 0);
        std::vector<std::pair<double, std::size_t>> rem(k_);
        std::uint64_t given = 0;
        for (std::size_t i = 0; i < k_; ++i) {
            const double share = double(blocks) * want[i] / sum;
            give[i] = static_cast<std::uint64_t>(std::floor(share));
            given += give[i];
            rem[i] = {share - std::floor(share), i};
        }
        std::stable_sort(rem.begin(), rem.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        for (std::size_t j = 0; given < blocks; j = (j + 1) % k_, ++given) ++give[rem[j].second];
        return give;
    }

    std::vector<selection_moments>& marginal() { return marginal_; }
    double sign() const { return sign_; }

private:
    std::size_t k_;
    selection_options o_;
    double sign_;
    std::vector<std::vector<double>> values_;
    std::vector<selection_moments> marginal_;
    std::vector<std::vector<selection_moments>> prefix_;  // moments after each whole block
    std::unordered_map<std::size_t, selection_moments> pairs_;
};

inline void check_selection_options(std::size_t k, const selection_options& o) {
    constexpr const char* fn = "offroi::select_best";
    if (k < 2) throw_invalid(fn, "options", double(k), "need at least 2 options to choose among");
    if (o.block < 1) throw_invalid(fn, "block", double(o.block), "must be >= 1 trial");
    const std::string mult = "a multiple of block (" + std::to_string(o.block) + ")";
    if (o.initial_trials < 2 || o.initial_trials % o.block != 0)
        throw_invalid(fn, "initial_trials", double(o.initial_trials), "must be >= 2 and " + mult);
    if (o.increment < o.block || o.increment % o.block != 0)
        throw_invalid(fn, "increment", double(o.increment), "must be >= block and " + mult);
    if (o.budget < std::uint64_t(k) * o.initial_trials)
        throw_invalid(fn, "budget", double(o.budget),
                      "must be >= options x initial_trials (" + std::to_string(k) + " x " +
                          std::to_string(o.initial_trials) + ")");
    if (!(o.target_pcs >= 0.0 && o.target_pcs < 1.0))
        throw_invalid(fn, "target_pcs", o.target_pcs, "must be in [0, 1) (0: spend the whole budget)");
    if (o.threads > 1024) throw_invalid(fn, "threads", double(o.threads), "must be <= 1024 (0: all cores)");
}

}  // namespace detail

/// Selects the option with the largest (or smallest) mean by OCBA on common random
/// numbers (see the file comment for the procedure, the ratios and the APCS).
///
/// \param options  k >= 2, the number of options.
/// \param simulate the options' simulator (pure in (option, trial); thread-safe if threads > 1).
/// \param o        n0, Delta, budget, target, block, variance model, rule, direction, threads.
/// \returns per option its trials, mean, difference to the best with standard errors and
///          approximate P(correct selection); the best; the APCS; the trace of rounds.
/// \throws invalid_argument naming the field, the value and what is allowed, for bad
///         options (k < 2; block 0; n0 < 2 or not a multiple of block; Delta not a positive
///         multiple of block; budget < k n0; target outside [0, 1); threads > 1024) or a
///         non-finite simulated value (naming the option and the trial); cancelled if
///         `o.cancel` is cancelled. Anything the simulator or the progress callback throws
///         propagates.
inline selection_result select_best(std::size_t options, const option_simulator& simulate,
                                    const selection_options& o) {
    detail::check_selection_options(options, o);
    if (!simulate) throw invalid_argument("offroi::select_best: simulate is empty; need a simulator");
    const std::size_t k = options;
    const unsigned threads = detail::selection_threads(o.threads);
    detail::selection_state st(k, o);
    auto& values = st.values();

    // Runs `blocks[i]` more blocks of option i, all options, in parallel; absorbs in order.
    auto extend = [&](const std::vector<std::uint64_t>& blocks) {
        std::vector<std::pair<std::size_t, std::uint64_t>> tasks;
        std::vector<std::uint64_t> from(k);
        for (std::size_t i = 0; i < k; ++i) {
            from[i] = values[i].size();
            values[i].resize(static_cast<std::size_t>(from[i] + blocks[i] * o.block));
            for (std::uint64_t j = 0; j < blocks[i]; ++j) tasks.emplace_back(i, from[i] + j * o.block);
        }
        detail::run_option_blocks(simulate, values, tasks, o.block, threads, o.cancel);
        for (std::size_t i = 0; i < k; ++i) st.absorb(i, from[i]);
    };
    auto report = [&](std::uint64_t done) {
        if (o.progress) o.progress(done, o.budget);
        if (o.cancel.cancelled()) throw cancelled();
    };

    selection_result res;
    std::uint64_t total = std::uint64_t(k) * o.initial_trials;
    extend(std::vector<std::uint64_t>(k, o.initial_trials / o.block));
    auto e = st.estimate();
    res.rounds.push_back({total, e.best, e.apcs});
    report(total);
    for (;;) {
        if (o.target_pcs > 0.0 && e.apcs >= o.target_pcs) {
            res.reached_target = true;
            break;
        }
        const std::uint64_t left_blocks = (o.budget - total) / o.block;
        const std::uint64_t blocks = std::min(o.increment / o.block, left_blocks);
        if (blocks == 0) break;
        const std::uint64_t after = total + blocks * o.block;
        extend(st.allocate(e, blocks, after));
        total = after;
        e = st.estimate();
        res.rounds.push_back({total, e.best, e.apcs});
        report(total);
    }

    res.best = e.best;
    res.apcs = e.apcs;
    res.total_trials = total;
    res.options.resize(k);
    const double s = st.sign();
    for (std::size_t i = 0; i < k; ++i) {
        const auto& m = st.marginal()[i];
        option_estimate& r = res.options[i];
        r.trials = m.n;
        r.mean = s * m.mean;
        r.standard_deviation = std::sqrt(m.variance());
        r.standard_error = r.standard_deviation / std::sqrt(double(m.n));
        r.adjusted_mean = s * e.adjusted[i];
        r.adjusted_se = std::sqrt(std::max(0.0, e.adjusted_var[i]));
        r.best = i == e.best;
        r.difference = i == e.best ? 0.0 : -s * e.delta[i];
        r.difference_se = i == e.best ? 0.0 : std::sqrt(e.var[i]);
        r.difference_trials = e.common[i];
        r.pcs = e.pcs[i];
    }
    if (o.keep_values) res.values = std::move(values);
    return res;
}

}  // namespace offroi
