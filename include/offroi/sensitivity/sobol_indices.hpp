#pragma once
/// \file
/// First-order and total Sobol' indices with bootstrap confidence intervals.
///
/// Design (Saltelli 2002/2010 "radial" scheme): two independent N x d matrices A and B are
/// the two halves of an N-point, 2d-dimensional randomised quasi-random design; for each
/// input i, A_B^(i) is A with column i taken from B. The model is run on A, B and the d
/// matrices A_B^(i): N (d + 2) evaluations. With y_A, y_B, y_ABi the outputs and V the
/// variance of the 2N outputs of A and B,
/// - first order (Saltelli et al. 2010, Table 2 (b)):
///   S_i = (1/N) sum_j (y_B[j] - m) (y_ABi[j] - y_A[j]) / V, with m the mean output
///   (centring by m leaves the estimator unbiased and lowers its variance);
/// - total (Jansen 1999): ST_i = (1/(2N)) sum_j (y_A[j] - y_ABi[j])^2 / V.
///
/// Quasi-random design: points 0 .. N-1 of Boost.Random's Sobol' sequence
/// (`boost::random::sobol`, Joe-Kuo direction numbers, 64-bit) in dimension 2d, the origin
/// included so that N = 2^m points form a (t, m, 2d)-net, randomised by a digital shift:
/// each coordinate's 64 bits are XORed with a word drawn from
/// `philox_stream(seed, stream_id("sobol_indices.shift"))`. A digitally shifted net is
/// still a net, and each point is uniform on (0, 1)^{2d}, so the estimators stay
/// unbiased/consistent. N need not be a power of two, but powers of two balance the net
/// best. At most 1833 inputs (Boost's 3667 Sobol' dimensions). Plain Monte Carlo
/// (`sobol_sampling::monte_carlo`) draws from `philox_stream(seed,
/// stream_id("sobol_indices.design"))` instead.
///
/// Bootstrap: B resamples of the N design rows (each row j carries y_A[j], y_B[j] and all
/// y_ABi[j]); each resample recomputes V, S and ST; the intervals are percentile
/// intervals of the B replicates and the standard errors their standard deviations.
/// Resampling indices come from `philox_stream(seed, stream_id("sobol_indices.bootstrap"))`
/// at (trial = resample, dimension = row), so they are reproducible and independent of the
/// thread count. Caveat: resampling rows treats them as independent; on a quasi-random
/// design the true error is usually smaller than the bootstrap says, so the intervals are
/// conservative there (on `monte_carlo` designs they have their nominal coverage).
///
/// Correlated inputs: these estimators assume independent inputs; the design draws each
/// input independently from its marginal and so ignores any correlation the inputs have in
/// the study. The indices then describe the model under independent inputs. Indices under
/// dependence (Kucherenko, Tarantola and Annoni 2012) are not implemented in this layer.
///
/// Reproducibility: the result is a pure function of (model, inputs, N, seed, sampling,
/// bootstrap count, confidence level); batch size and thread count change nothing, bit for
/// bit, as long as the model computes each row independently of the others.

#include <Eigen/Core>
#include <boost/random/sobol.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "offroi/error.hpp"
#include "offroi/random/philox.hpp"
#include "offroi/random/stream_id.hpp"
#include "offroi/sensitivity/model_evaluation.hpp"

namespace offroi {

/// Which design feeds the Saltelli scheme.
enum class sobol_sampling {
    quasi_random,  ///< digitally shifted Sobol' sequence (default; smaller error)
    monte_carlo    ///< independent Philox uniforms (bootstrap intervals are exact in law)
};

/// Options of `sobol_indices`.
struct sobol_options {
    /// N, the number of base samples (rows of A and of B); must be >= 2. Powers of two are
    /// best for the quasi-random design. Evaluations: N (d + 2).
    std::size_t base_samples = 4096;
    /// Seed of the design randomisation and of the bootstrap.
    std::uint64_t seed = 0;
    /// Design: quasi-random (default) or plain Monte Carlo.
    sobol_sampling sampling = sobol_sampling::quasi_random;
    /// B, the number of bootstrap resamples; 0 skips the bootstrap (no intervals or SEs).
    std::size_t bootstrap_resamples = 200;
    /// Two-sided level of the percentile intervals, in (0, 1).
    double confidence_level = 0.95;
    /// Model rows per model call (a batch holds about batch_rows / (d + 2) base rows).
    std::size_t batch_rows = 16384;
    /// Worker threads; 0 = all hardware threads. Results do not depend on it.
    unsigned threads = 0;
    /// Input names for the result (one per input, or empty for x1..xd).
    std::vector<std::string> names;
};

/// A two-sided confidence interval.
struct sensitivity_interval {
    double lower = 0.0;  ///< lower end
    double upper = 0.0;  ///< upper end
};

/// Result of `sobol_indices`. Vectors are indexed by input, in the order given.
struct sobol_result {
    std::vector<std::string> names;               ///< input names
    std::vector<double> first_order;              ///< S_i (Saltelli 2010)
    std::vector<double> total_order;              ///< ST_i (Jansen 1999)
    std::vector<double> first_order_se;           ///< bootstrap SE of S_i (empty if B = 0)
    std::vector<double> total_order_se;           ///< bootstrap SE of ST_i (empty if B = 0)
    std::vector<sensitivity_interval> first_order_ci;  ///< percentile CI of S_i (empty if B = 0)
    std::vector<sensitivity_interval> total_order_ci;  ///< percentile CI of ST_i (empty if B = 0)
    double mean = 0.0;                            ///< mean of the 2N outputs of A and B
    double variance = 0.0;                        ///< variance (n - 1 divisor) of those outputs
    std::size_t base_samples = 0;                 ///< N
    std::size_t evaluations = 0;                  ///< N (d + 2)
    std::size_t bootstrap_resamples = 0;          ///< B
    double confidence_level = 0.0;                ///< level of the intervals
};

namespace detail {

/// Fills `out` (row-major, count x dims) with design points [first, first + count) of the
/// randomised design in dimension `dims`.
inline void sobol_design_rows(std::uint64_t seed, sobol_sampling sampling, std::size_t dims,
                              std::size_t first, std::size_t count, double* out) {
    if (count == 0) return;
    if (sampling == sobol_sampling::monte_carlo) {
        const philox_stream s(seed, stream_id("sobol_indices.design"));
        for (std::size_t r = 0; r < count; ++r) {
            for (std::size_t k = 0; k + 1 < dims; k += 2) {
                const auto w = s.words(first + r, k / 2);
                out[r * dims + k] = to_open_unit(w.first);
                out[r * dims + k + 1] = to_open_unit(w.second);
            }
            if (dims % 2) out[r * dims + dims - 1] = s.uniform(first + r, dims - 1);
        }
        return;
    }
    const philox_stream shift_stream(seed, stream_id("sobol_indices.shift"));
    std::vector<std::uint64_t> shift(dims);
    for (std::size_t k = 0; k < dims; ++k) shift[k] = shift_stream.bits(0, k);
    // Point j of the net is gray(j) in Boost's Gray-code order; Boost's engine starts at
    // j = 1 (it skips the origin), so point 0 is the origin and point j >= 1 is the
    // engine's output after seed(j - 1).
    boost::random::sobol engine(dims);
    std::size_t r = 0;
    if (first == 0) {
        for (std::size_t k = 0; k < dims; ++k) out[k] = to_open_unit(shift[k]);
        r = 1;
    } else {
        engine.seed(static_cast<std::uint64_t>(first - 1));
    }
    for (; r < count; ++r)
        for (std::size_t k = 0; k < dims; ++k)
            out[r * dims + k] = to_open_unit(static_cast<std::uint64_t>(engine()) ^ shift[k]);
}

/// floor(w * n / 2^64) for n < 2^32, exactly (a nearly unbiased index in [0, n): the
/// bias is below n / 2^64).
constexpr std::uint32_t scale_index(std::uint64_t w, std::uint64_t n) noexcept {
    const std::uint64_t hi = (w >> 32) * n + (((w & 0xffffffffULL) * n) >> 32);
    return static_cast<std::uint32_t>(hi >> 32);
}

/// Per-resample estimates from row terms. `terms` is row-major N x (2d + 4): y_A - c,
/// y_B - c, (y_A - c)^2, (y_B - c)^2, then for each i (y_B - c)(y_ABi - y_A) and
/// (y_A - y_ABi)^2. `rows` lists the (resampled) row indices.
template <class RowIndex>
void sobol_estimates(const std::vector<double>& terms, std::size_t d, std::size_t n,
                     const RowIndex& row, double* S, double* ST) {
    const std::size_t w = 2 * d + 4;
    std::vector<double> sum(w, 0.0);
    for (std::size_t j = 0; j < n; ++j) {
        const double* t = terms.data() + row(j) * w;
        for (std::size_t k = 0; k < w; ++k) sum[k] += t[k];
    }
    const double nn = 2.0 * double(n);
    const double mean = (sum[0] + sum[1]) / nn;
    double var = (sum[2] + sum[3] - nn * mean * mean) / (nn - 1.0);
    for (std::size_t i = 0; i < d; ++i) {
        if (!(var > 0.0)) {
            S[i] = 0.0;
            ST[i] = 0.0;
            continue;
        }
        S[i] = sum[4 + 2 * i] / double(n) / var;
        ST[i] = sum[5 + 2 * i] / (2.0 * double(n)) / var;
    }
}

/// The common body of both `sobol_indices` overloads.
template <sensitivity_model F, class Marginal>
sobol_result sobol_indices_impl(const F& f, const std::vector<Marginal>& inputs,
                                const sobol_options& opt) {
    constexpr const char* fn = "sobol_indices";
    const std::size_t d = inputs.size();
    const std::size_t n = opt.base_samples;
    if (d == 0) throw invalid_argument("sobol_indices: no inputs given; need at least 1");
    if (2 * d > boost::random::detail::qrng_tables::sobol::max_dimension)
        throw_invalid(fn, "number of inputs", double(d),
                      "at most 1833 inputs (Boost's Sobol' sequence has 3667 dimensions)");
    if (n < 2 || n > 0xffffffffULL)
        throw_invalid(fn, "base_samples", double(n), "must be in [2, 2^32 - 1]");
    if (!(opt.confidence_level > 0.0 && opt.confidence_level < 1.0))
        throw_invalid(fn, "confidence_level", opt.confidence_level,
                      "must be in the open interval (0, 1)");
    if (opt.batch_rows == 0) throw_invalid(fn, "batch_rows", 0.0, "must be >= 1");

    sobol_result res;
    res.names = input_names(opt.names, d, fn);
    res.base_samples = n;
    res.evaluations = n * (d + 2);
    res.bootstrap_resamples = opt.bootstrap_resamples;
    res.confidence_level = opt.confidence_level;

    // Model outputs: y[0] = y_A, y[1] = y_B, y[2 + i] = y_ABi, each of length N.
    std::vector<std::vector<double>> y(d + 2, std::vector<double>(n));
    const std::size_t per_batch = std::max<std::size_t>(1, opt.batch_rows / (d + 2));
    const std::size_t batches = (n + per_batch - 1) / per_batch;
    parallel_tasks(batches, opt.threads, [&](std::size_t b) {
        const std::size_t j0 = b * per_batch;
        const std::size_t nb = std::min(per_batch, n - j0);
        std::vector<double> u(nb * 2 * d);
        sobol_design_rows(opt.seed, opt.sampling, 2 * d, j0, nb, u.data());
        // Stack A, B, A_B^(1..d) into one matrix: block k holds rows [k nb, (k+1) nb).
        const Eigen::Index rows = Eigen::Index(nb * (d + 2));
        Eigen::MatrixXd X(rows, Eigen::Index(d));
        std::vector<double> p(nb), xa(nb), xb(nb);
        for (std::size_t i = 0; i < d; ++i) {
            for (std::size_t r = 0; r < nb; ++r) p[r] = u[r * 2 * d + i];
            marginal_quantiles(inputs[i], p.data(), xa.data(), nb);
            for (std::size_t r = 0; r < nb; ++r) p[r] = u[r * 2 * d + d + i];
            marginal_quantiles(inputs[i], p.data(), xb.data(), nb);
            double* col = X.col(Eigen::Index(i)).data();
            for (std::size_t k = 0; k < d + 2; ++k) {
                const double* src = (k == 1 || k == 2 + i) ? xb.data() : xa.data();
                std::copy(src, src + nb, col + k * nb);
            }
        }
        Eigen::VectorXd out;
        evaluate_model(f, X, out, fn, j0);
        for (std::size_t k = 0; k < d + 2; ++k)
            std::copy(out.data() + k * nb, out.data() + (k + 1) * nb, y[k].data() + j0);
    });

    // Mean of the 2N outputs of A and B (pairwise-free, fixed order), then row terms.
    double c = 0.0;
    for (std::size_t j = 0; j < n; ++j) c += y[0][j] + y[1][j];
    c /= 2.0 * double(n);
    const std::size_t w = 2 * d + 4;
    std::vector<double> terms(n * w);
    for (std::size_t j = 0; j < n; ++j) {
        double* t = terms.data() + j * w;
        const double a = y[0][j] - c, bb = y[1][j] - c;
        t[0] = a;
        t[1] = bb;
        t[2] = a * a;
        t[3] = bb * bb;
        for (std::size_t i = 0; i < d; ++i) {
            const double diff = y[2 + i][j] - y[0][j];
            t[4 + 2 * i] = bb * diff;
            t[5 + 2 * i] = diff * diff;
        }
    }
    res.first_order.assign(d, 0.0);
    res.total_order.assign(d, 0.0);
    sobol_estimates(terms, d, n, [](std::size_t j) { return j; }, res.first_order.data(),
                    res.total_order.data());
    {
        double s0 = 0.0, s2 = 0.0;
        for (std::size_t j = 0; j < n; ++j) {
            s0 += terms[j * w] + terms[j * w + 1];
            s2 += terms[j * w + 2] + terms[j * w + 3];
        }
        const double nn = 2.0 * double(n);
        res.mean = c + s0 / nn;
        res.variance = (s2 - s0 * s0 / nn) / (nn - 1.0);
    }

    const std::size_t B = opt.bootstrap_resamples;
    if (B == 0) return res;
    // Replicates: rep[b * 2d + i] = S_i, rep[b * 2d + d + i] = ST_i.
    std::vector<double> rep(B * 2 * d);
    const philox_stream boot(opt.seed, stream_id("sobol_indices.bootstrap"));
    const std::size_t boot_per_task = 8;
    parallel_tasks((B + boot_per_task - 1) / boot_per_task, opt.threads, [&](std::size_t t) {
        std::vector<std::uint32_t> idx(n);
        for (std::size_t b = t * boot_per_task; b < std::min(B, (t + 1) * boot_per_task); ++b) {
            for (std::size_t j = 0; j < n; j += 2) {
                const auto wds = boot.words(b, j / 2);
                idx[j] = scale_index(wds.first, n);
                if (j + 1 < n) idx[j + 1] = scale_index(wds.second, n);
            }
            sobol_estimates(terms, d, n, [&](std::size_t j) { return std::size_t(idx[j]); },
                            rep.data() + b * 2 * d, rep.data() + b * 2 * d + d);
        }
    });
    const double alpha = 1.0 - opt.confidence_level;
    auto summarise = [&](std::size_t col, double& se, sensitivity_interval& ci) {
        std::vector<double> v(B);
        double m = 0.0;
        for (std::size_t b = 0; b < B; ++b) {
            v[b] = rep[b * 2 * d + col];
            m += v[b];
        }
        m /= double(B);
        double ss = 0.0;
        for (double x : v) ss += (x - m) * (x - m);
        se = B > 1 ? std::sqrt(ss / double(B - 1)) : 0.0;
        std::sort(v.begin(), v.end());
        ci.lower = sorted_quantile(v, alpha / 2.0);
        ci.upper = sorted_quantile(v, 1.0 - alpha / 2.0);
    };
    res.first_order_se.resize(d);
    res.total_order_se.resize(d);
    res.first_order_ci.resize(d);
    res.total_order_ci.resize(d);
    for (std::size_t i = 0; i < d; ++i) {
        summarise(i, res.first_order_se[i], res.first_order_ci[i]);
        summarise(d + i, res.total_order_se[i], res.total_order_ci[i]);
    }
    return res;
}

}  // namespace detail

/// First-order and total Sobol' indices of model `f` whose inputs are independent with the
/// given marginals (see the file comment for estimators, design and bootstrap).
/// \param f       batch or point model (see model_evaluation.hpp); called concurrently.
/// \param inputs  one marginal per input; `quantile(m, p)` must be found by ADL.
/// \param options N, seed, design, bootstrap count and level, threads, names.
/// \throws offroi::invalid_argument no inputs, more than 1833 inputs, N < 2, a level
///         outside (0, 1), batch_rows = 0, names of the wrong length;
///         offroi::numerical_error when the model returns a non-finite value.
template <sensitivity_model F, quantile_marginal Marginal>
sobol_result sobol_indices(const F& f, const std::vector<Marginal>& inputs,
                           const sobol_options& options = {}) {
    return detail::sobol_indices_impl(f, inputs, options);
}

/// Sobol' indices of a model of `dimension` independent U(0, 1) inputs ("uniform space").
/// \throws as the marginal overload; also when dimension = 0.
template <sensitivity_model F>
sobol_result sobol_indices(const F& f, std::size_t dimension, const sobol_options& options = {}) {
    return detail::sobol_indices_impl(
        f, std::vector<detail::unit_uniform_marginal>(dimension), options);
}

}  // namespace offroi
