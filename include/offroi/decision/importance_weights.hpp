#pragma once
/// \file
/// Importance weights and their diagnostics: Pareto-smoothed importance sampling (PSIS,
/// Vehtari, Simpson, Gelman, Yao and Gabry, "Pareto smoothed importance sampling", JMLR 25(72),
/// 2024), the generalized Pareto fit it rests on (Zhang and Stephens, "A new and efficient
/// estimation method for the generalized Pareto distribution", Technometrics 51(3), 2009,
/// with the weakly informative prior on the shape that R's loo uses), and Kish's effective
/// sample size. Generic: works on any array of log-weights, independent of scenarios.
///
/// Given S draws theta_s from a proposal g and log-weights lw_s = log p(theta_s) - log g(theta_s)
/// (up to a constant; for Bayesian updating of prior draws, lw_s = log-likelihood of the
/// observations at theta_s), `psis`:
///  1. shifts lw by its maximum, so raw weights r_s = exp(lw_s - max) lie in [0, 1];
///  2. takes the M = ceil(min(0.2 S, 3 sqrt(S))) largest raw weights (the tail) and the
///     largest weight below them (the cutoff u);
///  3. fits a generalized Pareto distribution GPD(k, sigma) to the exceedances r - u of the
///     tail (Zhang and Stephens 2009: a posterior-mean estimate of theta = -k / sigma over a
///     grid of 30 + floor(sqrt(M)) points weighted by the profile likelihood; then
///     k = mean(log(1 - theta x)), sigma = -k / theta), and shrinks k towards 0.5 with the
///     weakly informative prior k <- (M k + 10 * 0.5) / (M + 10);
///  4. replaces the i-th smallest tail weight by u + F^-1((i - 1/2) / M), F^-1 the fitted GPD
///     quantile sigma ((1 - p)^-k - 1) / k;
///  5. truncates every weight at the largest raw weight (1 after the shift) and normalises.
///
/// k-hat (the fitted shape) is the diagnostic: the weights' distribution has finite moments
/// of order < 1/k, and PSIS estimates are reliable when k-hat <= min(1 - 1 / log10 S, 0.7)
/// (Vehtari et al. 2024, section 3): above 0.7 the bias and variance grow quickly whatever
/// S; below 1 - 1/log10 S the sample is large enough for the pre-asymptotic convergence rate.
///
/// Effective sample size (Kish 1965): ESS = (sum w)^2 / sum w^2 of the smoothed weights; S for
/// equal weights, 1 when one weight dominates. A weighted mean of a quantity with standard
/// deviation sd then has Monte Carlo standard error about sd / sqrt(ESS).
///
/// Special cases, as loo treats them except the first: a tail of equal weights (for example
/// all weights equal) has nothing to smooth: the weights are left as they are and k-hat is
/// -infinity (`psis_tail::constant`; loo reports +Inf with a warning, which would wrongly
/// flag uniform weights as unreliable); fewer than 5 tail draws (S <= 20) cannot be fitted:
/// the raw weights are only truncated and k-hat is +infinity (`psis_tail::too_short`); when
/// at most M weights are positive (after underflow of exp: one draw holds all the mass, as
/// for an exact observation), nothing is smoothed and k-hat is +infinity
/// (`psis_tail::degenerate`).

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
#include "offroi/stats/double_double.hpp"
#include "offroi/stats/exact_sum.hpp"

namespace offroi {

/// Parameters of a generalized Pareto distribution with location 0, in the sign convention
/// of Vehtari et al. (heavy tail: k > 0): F(x) = 1 - (1 + k x / sigma)^(-1/k).
struct gpd_fit {
    double k = 0.0;      ///< shape; the distribution has finite moments of order < 1/k
    double sigma = 0.0;  ///< scale, > 0
};

/// What `psis` could do with the tail.
enum class psis_tail {
    fitted,     ///< a GPD was fitted and the tail smoothed
    constant,   ///< the M largest weights are equal: nothing to smooth, k-hat = -inf
    too_short,  ///< M < 5 (S <= 20): no fit, k-hat = +inf, weights only truncated
    degenerate, ///< at most M weights are > 0 (the cutoff weight is 0): k-hat = +inf, not smoothed
};

/// The result of `psis`.
struct psis_result {
    std::vector<double> log_weights;  ///< smoothed and truncated log-weights, shifted so the largest raw one is 0
    std::vector<double> weights;      ///< normalised smoothed weights, summing to 1
    double k_hat = 0.0;               ///< fitted GPD shape of the weights' tail (the diagnostic)
    double sigma_hat = 0.0;           ///< fitted GPD scale (of the weights shifted so the largest is 1)
    double k_threshold = 0.7;         ///< min(1 - 1 / log10 S, 0.7)
    double ess = 0.0;                 ///< Kish ESS of the smoothed weights
    double raw_ess = 0.0;             ///< Kish ESS of the raw weights, before smoothing
    std::size_t tail_size = 0;        ///< M = ceil(min(0.2 S, 3 sqrt S))
    psis_tail tail = psis_tail::fitted;  ///< what happened to the tail
    /// True when k-hat <= k_threshold: PSIS estimates are then reliable (Vehtari et al. 2024).
    bool reliable() const noexcept { return k_hat <= k_threshold; }
};

/// The sample-size dependent k-hat threshold min(1 - 1 / log10 S, 0.7) of Vehtari et al.
/// (2024): 0.7 for S >= 2155 (so not below 0 for S > 10; -inf for S = 1).
/// \throws invalid_argument if S == 0.
inline double psis_k_threshold(std::size_t S) {
    if (S == 0) detail::throw_invalid("psis_k_threshold", "S", 0.0, "must be >= 1 draw");
    const double l = std::log10(static_cast<double>(S));
    if (!(l > 0.0)) return -std::numeric_limits<double>::infinity();
    return std::min(1.0 - 1.0 / l, 0.7);
}

/// The PSIS tail size M = ceil(min(0.2 S, 3 sqrt(S))) (Vehtari et al. 2024, with r_eff = 1:
/// independent draws).
inline std::size_t psis_tail_size(std::size_t S) {
    const double s = static_cast<double>(S);
    return static_cast<std::size_t>(std::ceil(std::min(0.2 * s, 3.0 * std::sqrt(s))));
}

/// Kish's effective sample size (sum w)^2 / sum w^2 of non-negative weights (any scale); S
/// exactly for S equal weights. The sums are exact (exact_sum), so the result does not depend
/// on the order of the weights.
/// \throws invalid_argument if a weight is negative or not finite (naming `weights[i]`), or
///         all weights are 0 or there are none.
inline double kish_ess(std::span<const double> weights) {
    constexpr const char* fn = "kish_ess";
    if (weights.empty()) throw invalid_argument("kish_ess: no weights; needs at least one");
    exact_sum s;
    exact_sum_of_squares s2;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const double w = weights[i];
        if (!std::isfinite(w) || w < 0.0)
            detail::throw_invalid(fn, "weights[" + std::to_string(i) + "]", w, "weights must be finite and >= 0");
        s.add(w);
        s2.add_square(w);
    }
    const detail::double_double a = s.to_double_double();
    const detail::double_double b = s2.to_double_double();
    if (!(a.hi > 0.0)) throw invalid_argument("kish_ess: all weights are 0; at least one must be > 0");
    return detail::dd_to_double(detail::dd_div(detail::dd_mul(a, a), b));
}

/// Fits a generalized Pareto distribution (location 0) to positive exceedances by the
/// method of Zhang and Stephens (2009, section 4): theta = -k / sigma is estimated as the
/// posterior mean over the grid theta_j = 1 / x_(n) + (1 - sqrt(m / (j - 1/2))) / (3 x*),
/// j = 1..m, m = 30 + floor(sqrt(n)), x* the first quartile x_(floor(n/4 + 1/2)), each point
/// weighted by its profile likelihood n (log(-theta / k(theta)) - k(theta) - 1) with
/// k(theta) = mean(log(1 - theta x)); then k = k(theta-hat), sigma = -k / theta-hat.
/// With `weakly_informative_prior`, k is shrunk towards 0.5 as if by 10 prior observations:
/// (n k + 5) / (n + 10), as in loo (Vehtari et al. 2024, appendix).
/// \param x exceedances, finite and >= 0 (any order); at least one must be > 0.
/// \throws invalid_argument for fewer than 2 values, a negative or non-finite value, or
///         all values 0.
inline gpd_fit fit_generalized_pareto(std::span<const double> x, bool weakly_informative_prior = true) {
    constexpr const char* fn = "fit_generalized_pareto";
    const std::size_t n = x.size();
    if (n < 2) detail::throw_invalid(fn, "number of values", double(n), "must be >= 2");
    std::vector<double> v(x.begin(), x.end());
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(v[i]) || v[i] < 0.0)
            detail::throw_invalid(fn, "x[" + std::to_string(i) + "]", v[i], "exceedances must be finite and >= 0");
    std::sort(v.begin(), v.end());
    const double xmax = v.back();
    if (!(xmax > 0.0)) throw invalid_argument("fit_generalized_pareto: all exceedances are 0; at least one must be > 0");
    // First quartile (1-based index floor(n/4 + 1/2)); if ties at 0 make it 0, the smallest
    // positive value keeps the grid finite.
    double xstar = v[std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(double(n) / 4.0 + 0.5))) - 1];
    if (!(xstar > 0.0)) xstar = *std::upper_bound(v.begin(), v.end(), 0.0);
    const std::size_t m = 30 + static_cast<std::size_t>(std::floor(std::sqrt(double(n))));
    constexpr double prior = 3.0;
    std::vector<double> theta(m), loglik(m);
    auto k_of = [&](double t) {  // mean(log1p(-t x))
        double s = 0.0;
        for (double xi : v) s += std::log1p(-t * xi);
        return s / double(n);
    };
    for (std::size_t j = 0; j < m; ++j) {
        const double t = 1.0 / xmax + (1.0 - std::sqrt(double(m) / (double(j) + 0.5))) / prior / xstar;
        theta[j] = t;
        double l;
        if (t == 0.0) {
            // Limit theta -> 0 (exponential): -theta / k(theta) -> 1 / mean(x).
            double mean = 0.0;
            for (double xi : v) mean += xi;
            l = -std::log(mean / double(n)) - 1.0;
        } else {
            const double k = k_of(t);
            l = std::log(-t / k) - k - 1.0;
        }
        loglik[j] = double(n) * l;
    }
    // Posterior-mean weights exp(l_j) / sum exp(l_i), computed stably; non-finite profile
    // likelihoods (grid points outside the domain) get weight 0.
    double lmax = -std::numeric_limits<double>::infinity();
    for (double l : loglik)
        if (std::isfinite(l)) lmax = std::max(lmax, l);
    if (!std::isfinite(lmax)) return {std::numeric_limits<double>::infinity(), 0.0};
    double wsum = 0.0, tsum = 0.0;
    for (std::size_t j = 0; j < m; ++j) {
        if (!std::isfinite(loglik[j])) continue;
        const double w = std::exp(loglik[j] - lmax);
        wsum += w;
        tsum += w * theta[j];
    }
    const double theta_hat = tsum / wsum;
    gpd_fit f;
    f.k = k_of(theta_hat);
    f.sigma = theta_hat != 0.0 ? -f.k / theta_hat : [&] {
        double mean = 0.0;
        for (double xi : v) mean += xi;
        return mean / double(n);
    }();
    if (weakly_informative_prior) f.k = (double(n) * f.k + 10.0 * 0.5) / (double(n) + 10.0);
    if (std::isnan(f.k)) f.k = std::numeric_limits<double>::infinity();
    return f;
}

/// Quantile of GPD(k, sigma) at p in [0, 1): sigma ((1 - p)^-k - 1) / k (-sigma log(1 - p)
/// for k = 0).
inline double gpd_quantile(const gpd_fit& f, double p) {
    const double l = std::log1p(-p);
    if (std::fabs(f.k) < 1e-12) return -f.sigma * l;
    return f.sigma * std::expm1(-f.k * l) / f.k;
}

/// Pareto-smoothed importance sampling of the log-weights `log_weights` (see the file
/// comment): smoothed, truncated, normalised weights, k-hat and its threshold, and the ESS.
/// A log-weight of -inf is a weight of 0 (a draw the observations rule out).
/// \throws invalid_argument if a log-weight is NaN or +inf (naming `log_weights[i]`), there
///         are fewer than 2, or all are -inf (no draw is compatible with the observations).
inline psis_result psis(std::span<const double> log_weights) {
    constexpr const char* fn = "psis";
    const std::size_t S = log_weights.size();
    if (S < 2) detail::throw_invalid(fn, "number of log-weights", double(S), "must be >= 2");
    double lmax = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < S; ++i) {
        const double l = log_weights[i];
        if (std::isnan(l) || l == std::numeric_limits<double>::infinity())
            detail::throw_invalid(fn, "log_weights[" + std::to_string(i) + "]", l,
                                  "log-weights must be finite or -inf (a weight of 0)");
        lmax = std::max(lmax, l);
    }
    if (lmax == -std::numeric_limits<double>::infinity())
        throw invalid_argument("psis: every log-weight is -inf (every weight is 0); no draw is compatible "
                               "with the observations");
    psis_result r;
    r.k_threshold = psis_k_threshold(S);
    r.tail_size = psis_tail_size(S);
    r.log_weights.resize(S);
    for (std::size_t i = 0; i < S; ++i) r.log_weights[i] = log_weights[i] - lmax;
    {
        std::vector<double> raw(S);
        for (std::size_t i = 0; i < S; ++i) raw[i] = std::exp(r.log_weights[i]);
        r.raw_ess = kish_ess(raw);
    }
    const std::size_t M = r.tail_size;
    if (M < 5) {
        r.tail = psis_tail::too_short;
        r.k_hat = std::numeric_limits<double>::infinity();
    } else {
        // The M + 1 largest, in increasing order of (value, index): a strict total order,
        // so the result does not depend on the sort's tie handling.
        std::vector<std::uint32_t> idx(S);
        std::iota(idx.begin(), idx.end(), std::uint32_t{0});
        const auto less = [&](std::uint32_t a, std::uint32_t b) {
            const double x = r.log_weights[a], y = r.log_weights[b];
            return x < y || (x == y && a < b);
        };
        const auto first = idx.begin() + static_cast<std::ptrdiff_t>(S - M - 1);
        std::nth_element(idx.begin(), first, idx.end(), less);
        std::sort(first, idx.end(), less);
        const double cutoff_log = r.log_weights[*first];
        const double tail_min = r.log_weights[*(first + 1)], tail_max = r.log_weights[idx.back()];
        if (std::exp(cutoff_log) == 0.0) {
            // At most M weights are positive (the rest are 0 or underflow): the tail is all
            // there is, and no tail shape can be estimated (loo's fit returns NaN -> Inf here).
            r.tail = psis_tail::degenerate;
            r.k_hat = std::numeric_limits<double>::infinity();
        } else if (!(tail_max - tail_min > std::numeric_limits<double>::epsilon() / 100.0)) {
            r.tail = psis_tail::constant;
            r.k_hat = -std::numeric_limits<double>::infinity();
        } else {
            const double cutoff = std::exp(cutoff_log);
            std::vector<double> ex(M);
            for (std::size_t i = 0; i < M; ++i) ex[i] = std::max(0.0, std::exp(r.log_weights[*(first + 1 + i)]) - cutoff);
            const gpd_fit f = fit_generalized_pareto(ex);
            r.k_hat = f.k;
            r.sigma_hat = f.sigma;
            if (std::isfinite(f.k) && f.sigma > 0.0) {
                for (std::size_t i = 0; i < M; ++i) {
                    const double p = (double(i) + 0.5) / double(M);
                    r.log_weights[*(first + 1 + i)] = std::log(gpd_quantile(f, p) + cutoff);
                }
            }
        }
    }
    // Truncate at the largest raw weight (0 after the shift), then normalise exactly.
    for (auto& l : r.log_weights) l = std::min(l, 0.0);
    r.weights.resize(S);
    exact_sum total;
    for (std::size_t i = 0; i < S; ++i) {
        r.weights[i] = std::exp(r.log_weights[i]);
        total.add(r.weights[i]);
    }
    r.ess = kish_ess(r.weights);
    const detail::double_double t = total.to_double_double();
    for (auto& w : r.weights) w = detail::dd_to_double(detail::dd_div({w, 0.0}, t));
    return r;
}

}  // namespace offroi
