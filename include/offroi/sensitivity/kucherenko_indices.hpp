#pragma once
/// \file
/// First-order and total Sobol' indices for inputs that are dependent through a Gaussian
/// copula, after Kucherenko, Tarantola and Annoni (2012), "Estimation of global sensitivity
/// indices for models with dependent variables", Comput. Phys. Commun. 183: 937-946.
///
/// Inputs: marginals F_k and the copula's correlation R, either the Spearman rank
/// correlations the sampling layer's Gaussian copula takes (converted to normal-score
/// correlations by rho = 2 sin(pi rho_s / 6)) or the normal-score correlations directly.
/// In normal space z ~ N(0, R) and x_k = F_k^{-1}(Phi(z_k)).
///
/// What the indices mean under dependence (they are the variance-based definitions, not the
/// independent-input estimators applied blindly):
/// - S_i = Var(E[Y | X_i]) / Var(Y): what fixing X_i alone would remove, *including* the
///   part carried by the inputs correlated with X_i (a no-effect input correlated with an
///   influential one gets S_i > 0);
/// - ST_i = E[Var(Y | X_~i)] / Var(Y): what remains uncertain when every other input is
///   known: X_i's own contribution that no correlated input can stand in for (strong
///   correlation drives it towards 0).
/// So S_i > ST_i can happen, and neither sums to 1. Under R = I both reduce to the usual
/// indices.
///
/// Estimators (N base rows; A and B independent joint draws; z the A draw):
/// - S_i = (1/N) sum_j (y_A[j] - m) (f(x_i = A_i[j], x_~i ~ p(x_~i | x_i)) - y_B[j]) / V,
///   the conditional draw z'_~i = R_~i,i z_i + C_i^{1/2} g_B,~i with C_i = R_~i~i -
///   R_~i,i R_i,~i (Kucherenko et al. 2012 eq. for S_y, with B as an independent joint
///   sample to subtract f0^2 without bias, as in Saltelli 2010);
/// - ST_i = (1/(2N)) sum_j (y_A[j] - f(x_i ~ p(x_i | x_~i), x_~i = A_~i[j]))^2 / V, the
///   conditional draw z'_i = beta_i' z_~i + sigma_i g_B,i with beta_i = R_~i~i^+ R_~i,i and
///   sigma_i^2 = 1 - R_i,~i beta_i;
/// - V, the mean, bootstrap intervals and designs exactly as `sobol_indices` (the design's
///   2d uniforms become the independent normals g_A, g_B); N (2d + 2) evaluations.
/// Matrix square roots are symmetric eigen-factors (negative rounding eigenvalues clipped),
/// so a singular (PSD) R with perfectly correlated inputs is handled. With R = I the
/// S_i estimator uses B with column i from A, and ST_i is Jansen's.
///
/// Reproducibility as `sobol_indices`: same inputs, R, options -> same bits, any threads.

#include <Eigen/Core>
#include <Eigen/Eigenvalues>
#include <Eigen/QR>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "offroi/distributions/detail/normal_math.hpp"
#include "offroi/error.hpp"
#include "offroi/sampling/correlation_matrix.hpp"
#include "offroi/sensitivity/model_evaluation.hpp"
#include "offroi/sensitivity/sobol_indices.hpp"

namespace offroi {

/// Which correlation a Gaussian copula is given by.
enum class copula_correlation {
    spearman,      ///< Spearman rank correlations (as the sampling layer's copula takes them)
    normal_scores  ///< Pearson correlations of the normal scores z (the copula's own R)
};

namespace detail {

/// Symmetric PSD square root factor F (F F' = C) from the eigen-decomposition, negative
/// eigenvalues (rounding) clipped to 0.
inline Eigen::MatrixXd psd_factor(const Eigen::MatrixXd& C) {
    if (C.rows() == 0) return C;
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(0.5 * (C + C.transpose()));
    const Eigen::VectorXd l = es.eigenvalues().cwiseMax(0.0).cwiseSqrt();
    return es.eigenvectors() * l.asDiagonal();
}

/// The conditional-sampling pieces of input i under normal-score correlation R.
struct conditional_gaussian {
    std::vector<Eigen::Index> rest;  ///< indices of the other inputs, in order
    Eigen::VectorXd r_rest_i;        ///< R_~i,i
    Eigen::MatrixXd factor_rest;     ///< C_i^{1/2}, C_i = R_~i~i - R_~i,i R_i,~i
    Eigen::VectorXd beta;            ///< R_~i~i^+ R_~i,i
    double sigma = 1.0;              ///< sqrt(1 - R_i,~i beta)
};

inline conditional_gaussian make_conditional(const Eigen::MatrixXd& R, Eigen::Index i) {
    conditional_gaussian c;
    const Eigen::Index d = R.rows();
    for (Eigen::Index k = 0; k < d; ++k)
        if (k != i) c.rest.push_back(k);
    const Eigen::Index m = d - 1;
    Eigen::MatrixXd Rrr(m, m);
    c.r_rest_i.resize(m);
    for (Eigen::Index a = 0; a < m; ++a) {
        c.r_rest_i(a) = R(c.rest[std::size_t(a)], i);
        for (Eigen::Index b = 0; b < m; ++b) Rrr(a, b) = R(c.rest[std::size_t(a)], c.rest[std::size_t(b)]);
    }
    c.factor_rest = psd_factor(Rrr - c.r_rest_i * c.r_rest_i.transpose());
    if (m > 0) {
        c.beta = Rrr.completeOrthogonalDecomposition().solve(c.r_rest_i);
        c.sigma = std::sqrt(std::max(0.0, 1.0 - c.r_rest_i.dot(c.beta)));
    } else {
        c.beta.resize(0);
        c.sigma = 1.0;
    }
    return c;
}

/// Maps normal scores to inputs, column by column: x_k = F_k^{-1}(Phi(z_k)), Phi clamped to
/// [2^-53, 1 - 2^-53] so an unbounded marginal never sees 0 or 1.
template <class Marginal>
void scores_to_inputs(const std::vector<Marginal>& inputs, const Eigen::MatrixXd& Z,
                      double* out_col_major) {
    const Eigen::Index nb = Z.rows();
    std::vector<double> u(static_cast<std::size_t>(nb));
    for (Eigen::Index k = 0; k < Z.cols(); ++k) {
        for (Eigen::Index r = 0; r < nb; ++r)
            u[std::size_t(r)] = std::clamp(normal_cdf(Z(r, k)), 0x1.0p-53, 1.0 - 0x1.0p-53);
        marginal_quantiles(inputs[std::size_t(k)], u.data(), out_col_major, std::size_t(nb));
        out_col_major += nb;
    }
}

}  // namespace detail

/// First-order and total indices of model `f` whose inputs have the given marginals and a
/// Gaussian copula with correlation `correlation` (see the file comment for what the
/// indices mean under dependence, the estimators and the design).
/// \param f           batch or point model; called concurrently when threads != 1.
/// \param inputs      one marginal per input; `quantile(m, p)` found by ADL.
/// \param correlation d x d correlation matrix (Spearman or normal-score, see `kind`).
/// \param options     as for `sobol_indices` (N, seed, design, bootstrap, threads, names).
/// \param kind        how to read `correlation` (default: Spearman rank correlations).
/// \throws offroi::invalid_argument the checks of `sobol_indices`; a correlation matrix of
///         the wrong size, not symmetric, with entries outside [-1, 1], a diagonal != 1 or
///         not positive semi-definite (the sampling layer's messages, naming the pair);
///         offroi::numerical_error when the model returns a non-finite value.
template <sensitivity_model F, quantile_marginal Marginal>
sobol_result kucherenko_indices(const F& f, const std::vector<Marginal>& inputs,
                                const Eigen::MatrixXd& correlation,
                                const sobol_options& options = {},
                                copula_correlation kind = copula_correlation::spearman) {
    constexpr const char* fn = "kucherenko_indices";
    const std::size_t d = inputs.size();
    const std::size_t n = options.base_samples;
    detail::check_sobol_options(fn, d, options);
    sobol_result res;
    res.names = detail::input_names(options.names, d, fn);
    if (correlation.rows() != Eigen::Index(d) || correlation.cols() != Eigen::Index(d))
        throw invalid_argument(std::string(fn) + ": the correlation matrix is " +
                               std::to_string(correlation.rows()) + " x " +
                               std::to_string(correlation.cols()) + " but there are " +
                               std::to_string(d) + " inputs; it must be " + std::to_string(d) +
                               " x " + std::to_string(d));
    check_correlation_matrix(correlation, res.names);
    const Eigen::MatrixXd R =
        kind == copula_correlation::spearman ? spearman_to_pearson(correlation) : correlation;
    if (kind == copula_correlation::spearman) check_correlation_matrix(R, res.names);

    res.base_samples = n;
    res.evaluations = n * (2 * d + 2);
    res.bootstrap_resamples = options.bootstrap_resamples;
    res.confidence_level = options.confidence_level;

    const Eigen::MatrixXd factor = detail::psd_factor(R);
    std::vector<detail::conditional_gaussian> cond;
    for (std::size_t i = 0; i < d; ++i) cond.push_back(detail::make_conditional(R, Eigen::Index(i)));

    // Outputs: y[0] = A, y[1] = B, y[2 + i] = S-point of i, y[2 + d + i] = T-point of i.
    const std::size_t blocks = 2 * d + 2;
    std::vector<std::vector<double>> y(blocks, std::vector<double>(n));
    const detail::saltelli_design design(options.seed, options.sampling, 2 * d);
    const std::size_t per_batch = std::max<std::size_t>(1, options.batch_rows / blocks);
    const std::size_t batches = (n + per_batch - 1) / per_batch;
    detail::parallel_tasks(batches, options.threads, [&](std::size_t b) {
        const std::size_t j0 = b * per_batch;
        const std::size_t nb = std::min(per_batch, n - j0);
        const Eigen::Index nbi = Eigen::Index(nb), di = Eigen::Index(d);
        std::vector<double> u(nb * 2 * d);
        design.columns(j0, nb, u.data());
        detail::normal_quantile(u.data(), u.data(), u.size());
        const Eigen::Map<const Eigen::MatrixXd> gA(u.data(), nbi, di);
        const Eigen::Map<const Eigen::MatrixXd> gB(u.data() + nb * d, nbi, di);
        const Eigen::MatrixXd zA = gA * factor.transpose();
        const Eigen::MatrixXd zB = gB * factor.transpose();
        Eigen::MatrixXd X(Eigen::Index(nb * blocks), di);
        // Block k of X holds rows [k nb, (k + 1) nb); fill it column-major via a scratch.
        Eigen::MatrixXd block(nbi, di);
        auto put = [&](std::size_t k, const Eigen::MatrixXd& Z) {
            detail::scores_to_inputs(inputs, Z, block.data());
            X.middleRows(Eigen::Index(k * nb), nbi) = block;
        };
        put(0, zA);
        put(1, zB);
        Eigen::MatrixXd Z(nbi, di);
        for (std::size_t i = 0; i < d; ++i) {
            const auto& c = cond[i];
            const Eigen::Index ii = Eigen::Index(i);
            const Eigen::Index m = Eigen::Index(c.rest.size());
            // S-point: x_i from A, the others drawn from their law given x_i.
            Eigen::MatrixXd gRest(nbi, m), zRest(nbi, m);
            for (Eigen::Index a = 0; a < m; ++a) {
                gRest.col(a) = gB.col(c.rest[std::size_t(a)]);
                zRest.col(a) = zA.col(c.rest[std::size_t(a)]);
            }
            const Eigen::MatrixXd zc =
                zA.col(ii) * c.r_rest_i.transpose() + gRest * c.factor_rest.transpose();
            Z.col(ii) = zA.col(ii);
            for (Eigen::Index a = 0; a < m; ++a) Z.col(c.rest[std::size_t(a)]) = zc.col(a);
            put(2 + i, Z);
            // T-point: the others from A, x_i drawn from its law given them.
            Z = zA;
            if (m > 0)
                Z.col(ii) = zRest * c.beta + c.sigma * gB.col(ii);
            else
                Z.col(ii) = gB.col(ii);
            put(2 + d + i, Z);
        }
        Eigen::VectorXd out;
        detail::evaluate_model(f, X, out, fn, j0);
        for (std::size_t k = 0; k < blocks; ++k)
            std::copy(out.data() + k * nb, out.data() + (k + 1) * nb, y[k].data() + j0);
    });

    // First order a (y_Si - y_B) from the S-points, total (y_A - y_Ti)^2 from the T-points.
    detail::indices_from_outputs(
        y, d, n, options, "kucherenko_indices.bootstrap", res,
        [&](std::size_t j, std::size_t i, double a, double, double* t) {
            t[0] = a * (y[2 + i][j] - y[1][j]);
            const double diff = y[0][j] - y[2 + d + i][j];
            t[1] = diff * diff;
        });
    return res;
}

}  // namespace offroi
