#pragma once
/// \file
/// Correlation matrices: validation with messages that name the offending entry or pair,
/// the Spearman-to-Pearson conversion used by the Gaussian copula, and Higham's nearest
/// correlation matrix as an explicit repair.

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <string>
#include <vector>

#include "offroi/error.hpp"

namespace offroi {

/// Tolerance of `check_correlation_matrix`: |M(i,j) - M(j,i)| and |M(i,i) - 1| up to this are
/// accepted as rounding.
inline constexpr double correlation_symmetry_tolerance = 1e-12;
/// Tolerance of the semi-definiteness check: the smallest eigenvalue must be >= -this.
inline constexpr double correlation_psd_tolerance = 1e-10;

namespace detail {

inline std::string correlation_label(const std::vector<std::string>& names, std::size_t i) {
    // Built by appending: GCC 12 warns falsely (-Wrestrict) on "'" + str + "'" at -O3.
    std::string s;
    if (i < names.size()) {
        s += '\'';
        s += names[i];
        s += '\'';
    } else {
        s += '#';
        s += std::to_string(i);
    }
    return s;
}

inline std::string correlation_pair(const std::vector<std::string>& names, std::size_t i,
                                    std::size_t j) {
    std::string s = "(";
    s += correlation_label(names, i);
    s += ", ";
    s += correlation_label(names, j);
    s += ')';
    return s;
}

}  // namespace detail

namespace detail {

/// Every check of `check_correlation_matrix` except positive semi-definiteness.
inline void check_correlation_entries(const Eigen::MatrixXd& m,
                                      const std::vector<std::string>& names) {
    const std::string where = "correlation matrix: ";
    if (m.rows() != m.cols())
        throw invalid_argument(where + "must be square, got " + std::to_string(m.rows()) + " x " +
                               std::to_string(m.cols()));
    const auto n = static_cast<std::size_t>(m.rows());
    if (!names.empty() && names.size() != n)
        throw invalid_argument(where + "has " + std::to_string(n) + " rows but " +
                               std::to_string(names.size()) + " input names are given");
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) {
            const double v = m(i, j);
            if (!std::isfinite(v) || v < -1.0 || v > 1.0)
                throw invalid_argument(where + "entry " + correlation_pair(names, i, j) + " = " +
                                       format_value(v) + " is outside [-1, 1]");
        }
    for (std::size_t i = 0; i < n; ++i) {
        if (std::fabs(m(i, i) - 1.0) > correlation_symmetry_tolerance)
            throw invalid_argument(where + "diagonal entry " + correlation_pair(names, i, i) +
                                   " = " + format_value(m(i, i)) + " must be 1");
        for (std::size_t j = i + 1; j < n; ++j)
            if (std::fabs(m(i, j) - m(j, i)) > correlation_symmetry_tolerance)
                throw invalid_argument(where + "not symmetric: entry " +
                                       correlation_pair(names, i, j) + " = " +
                                       format_value(m(i, j)) + " but entry " +
                                       correlation_pair(names, j, i) + " = " +
                                       format_value(m(j, i)));
    }
}

/// Throws if the (valid-entry) matrix m is not positive semi-definite; `what` prefixes the
/// message (e.g. "correlation matrix: ").
inline void check_correlation_psd(const Eigen::MatrixXd& m, const std::vector<std::string>& names,
                                  const std::string& where) {
    const auto n = static_cast<std::size_t>(m.rows());
    if (n < 2) return;
    const Eigen::MatrixXd sym = 0.5 * (m + m.transpose());
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(sym);
    if (es.info() != Eigen::Success)
        throw numerical_error(where + "eigenvalue decomposition failed");
    const double lmin = es.eigenvalues()(0);
    if (lmin >= -correlation_psd_tolerance) return;
    const Eigen::VectorXd v = es.eigenvectors().col(0);
    std::size_t bi = 0, bj = 1;
    double worst = 0.0;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j) {
            const double t = v(i) * sym(i, j) * v(j);
            if (t < worst) {
                worst = t;
                bi = i;
                bj = j;
            }
        }
    throw invalid_argument(
        where + "not positive semi-definite (smallest eigenvalue " + format_value(lmin) +
        "); the pair most involved is " + correlation_pair(names, bi, bj) + " with correlation " +
        format_value(m(bi, bj)) +
        "; the correlations are mutually inconsistent: relax them, or ask for the nearest "
        "positive semi-definite matrix (nearest_psd_correlation)");
}

}  // namespace detail

/// Validates a correlation matrix over the inputs `names` (names may be empty: inputs are
/// then called #0, #1, ...).
/// \throws invalid_argument, with a message starting "correlation matrix:", if M is not
///   square (or its size differs from names.size() when names are given), has a non-finite
///   entry or an entry outside [-1, 1] (names the entry and its value), is not symmetric
///   (names the pair and both values), has a diagonal entry != 1, or is not positive
///   semi-definite: the message gives the smallest eigenvalue and the pair most involved,
///   i.e. the off-diagonal (i, j) with the most negative term v_i M_ij v_j of
///   v' M v = lambda_min < 0 (v the eigenvector of lambda_min).
inline void check_correlation_matrix(const Eigen::MatrixXd& m,
                                     const std::vector<std::string>& names = {}) {
    detail::check_correlation_entries(m, names);
    detail::check_correlation_psd(m, names, "correlation matrix: ");
}

/// Pearson correlation of the normal scores that gives Spearman rank correlation `rho_s`
/// under a Gaussian copula: rho = 2 sin(pi rho_s / 6) (Pearson 1907; Kruskal 1958).
inline double spearman_to_pearson(double rho_s) noexcept {
    return 2.0 * std::sin(std::numbers::pi * rho_s / 6.0);
}

/// Inverse of `spearman_to_pearson`: rho_s = (6 / pi) asin(rho / 2).
inline double pearson_to_spearman(double rho) noexcept {
    return 6.0 / std::numbers::pi * std::asin(rho / 2.0);
}

/// Kendall's tau of a Gaussian copula with Pearson correlation rho: tau = (2 / pi) asin(rho).
inline double pearson_to_kendall(double rho) noexcept {
    return 2.0 / std::numbers::pi * std::asin(rho);
}

/// Element-wise `spearman_to_pearson` with the diagonal kept at 1.
inline Eigen::MatrixXd spearman_to_pearson(const Eigen::MatrixXd& spearman) {
    Eigen::MatrixXd r = spearman.unaryExpr([](double x) { return spearman_to_pearson(x); });
    r.diagonal().setOnes();
    return r;
}

/// The nearest correlation matrix in the Frobenius norm (Higham 2002, "Computing the
/// nearest correlation matrix — a problem from finance", IMA J. Numer. Anal. 22: alternating
/// projections onto the positive semi-definite cone and the unit-diagonal set, with
/// Dykstra's correction). Use only as an explicit repair: it changes the correlations.
/// The result has unit diagonal and smallest eigenvalue >= `min_eigenvalue` (a final clip
/// and rescale guarantees it, so the result passes `check_correlation_matrix`).
/// \param m square symmetric matrix with finite entries (need not be PSD).
/// \param tolerance stop when successive iterates differ by less (Frobenius, relative).
/// \param max_iterations cap on the number of iterations.
/// \param min_eigenvalue floor of the eigenvalues of the result (>= 0).
/// \throws invalid_argument if m is not square, has a non-finite entry or is not symmetric.
/// \throws numerical_error if an eigenvalue decomposition fails.
inline Eigen::MatrixXd nearest_psd_correlation(const Eigen::MatrixXd& m,
                                               double tolerance = 1e-12,
                                               int max_iterations = 10000,
                                               double min_eigenvalue = 1e-12) {
    if (m.rows() != m.cols())
        throw invalid_argument("nearest_psd_correlation: the matrix must be square, got " +
                               std::to_string(m.rows()) + " x " + std::to_string(m.cols()));
    if (!m.allFinite())
        throw invalid_argument("nearest_psd_correlation: the matrix has a non-finite entry");
    if (m.size() > 0 && (m - m.transpose()).cwiseAbs().maxCoeff() > correlation_symmetry_tolerance)
        throw invalid_argument("nearest_psd_correlation: the matrix must be symmetric");
    const auto n = m.rows();
    auto project_psd = [](const Eigen::MatrixXd& a, double floor) {
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(0.5 * (a + a.transpose()));
        if (es.info() != Eigen::Success)
            throw numerical_error("nearest_psd_correlation: eigenvalue decomposition failed");
        Eigen::VectorXd l = es.eigenvalues().cwiseMax(floor);
        Eigen::MatrixXd r = es.eigenvectors() * l.asDiagonal() * es.eigenvectors().transpose();
        return r;
    };
    Eigen::MatrixXd y = 0.5 * (m + m.transpose());
    Eigen::MatrixXd ds = Eigen::MatrixXd::Zero(n, n);
    for (int it = 0; it < max_iterations; ++it) {
        const Eigen::MatrixXd r = y - ds;
        const Eigen::MatrixXd x = project_psd(r, 0.0);
        ds = x - r;
        Eigen::MatrixXd ynew = x;
        ynew.diagonal().setOnes();
        const double change = (ynew - y).norm() / std::max(1.0, y.norm());
        y = ynew;
        if (change < tolerance) break;
    }
    // Final guarantee: eigenvalues >= min_eigenvalue, then rescale to unit diagonal (a
    // congruence by a positive diagonal keeps the matrix positive definite).
    Eigen::MatrixXd x = project_psd(y, min_eigenvalue);
    const Eigen::VectorXd s = x.diagonal().cwiseSqrt().cwiseInverse();
    x = s.asDiagonal() * x * s.asDiagonal();
    x = 0.5 * (x + x.transpose());
    x.diagonal().setOnes();
    return x;
}

}  // namespace offroi

namespace offroi::detail {

/// The correlated part of a Spearman matrix, ready for a Gaussian copula or Iman–Conover:
/// the columns that have a non-zero off-diagonal entry, the Pearson matrix of their normal
/// scores (2 sin(pi rho_s / 6)), and a factor B with B B' = that Pearson matrix (Cholesky,
/// lower triangular, when positive definite; otherwise V sqrt(max(Lambda, 0)) from the
/// eigen-decomposition, which also covers semi-definite matrices).
struct correlation_factor {
    std::vector<std::size_t> columns;  ///< correlated inputs, ascending
    Eigen::MatrixXd spearman;          ///< target Spearman matrix over `columns`
    Eigen::MatrixXd pearson;           ///< normal-score Pearson matrix over `columns`
    Eigen::MatrixXd factor;            ///< B with B B' = pearson
    bool lower_triangular = true;      ///< whether B is the Cholesky factor
};

/// Validates `spearman` (repairing it with `nearest_psd_correlation` first when `repair`)
/// and builds its `correlation_factor`. \throws invalid_argument as check_correlation_matrix,
/// also when the converted Pearson matrix is not positive semi-definite.
inline correlation_factor make_correlation_factor(const Eigen::MatrixXd& spearman_in,
                                                  const std::vector<std::string>& names,
                                                  bool repair) {
    check_correlation_entries(spearman_in, names);
    Eigen::MatrixXd spearman = spearman_in;
    if (repair)
        spearman = nearest_psd_correlation(spearman_in);
    else
        check_correlation_psd(spearman, names, "correlation matrix: ");
    correlation_factor f;
    const auto n = static_cast<std::size_t>(spearman.rows());
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
            if (i != j && spearman(i, j) != 0.0) {
                f.columns.push_back(i);
                break;
            }
    const auto k = static_cast<Eigen::Index>(f.columns.size());
    f.spearman.resize(k, k);
    std::vector<std::string> sub_names;
    for (Eigen::Index a = 0; a < k; ++a) {
        if (!names.empty()) sub_names.push_back(names[f.columns[a]]);
        for (Eigen::Index b = 0; b < k; ++b)
            f.spearman(a, b) = spearman(f.columns[a], f.columns[b]);
    }
    f.pearson = spearman_to_pearson(f.spearman);
    if (k == 0) return f;
    if (repair) {
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(f.pearson, Eigen::EigenvaluesOnly);
        if (es.eigenvalues()(0) < -correlation_psd_tolerance)
            f.pearson = nearest_psd_correlation(f.pearson);
    } else {
        check_correlation_psd(f.pearson, sub_names,
                              "correlation matrix (as normal-score Pearson 2 sin(pi rho_s/6)): ");
    }
    Eigen::LLT<Eigen::MatrixXd> llt(f.pearson);
    if (llt.info() == Eigen::Success) {
        f.factor = llt.matrixL();
        f.lower_triangular = true;
    } else {
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(f.pearson);
        if (es.info() != Eigen::Success)
            throw numerical_error("correlation matrix: eigenvalue decomposition failed");
        f.factor = es.eigenvectors() *
                   es.eigenvalues().cwiseMax(0.0).cwiseSqrt().asDiagonal();
        f.lower_triangular = false;
    }
    return f;
}

}  // namespace offroi::detail
