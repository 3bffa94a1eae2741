#pragma once
/// \file
/// Gaussian (normal) copula with a target Spearman rank-correlation matrix.
///
/// A block of independent uniforms U (n trials x d inputs, one array per input, structure
/// of arrays) becomes correlated uniforms: z = Phi^-1(u), z' = B z, u' = Phi(z'), where
/// B B' = R and R(i,j) = 2 sin(pi rho_s(i,j) / 6) is the Pearson correlation of the normal
/// scores that yields Spearman rho_s (Kruskal 1958). Phi^-1 is
/// `detail::normal_quantile_table` (AS 241 for |u - 1/2| <= 0.425, tabulated tails within
/// 2e-15 relative of AS 241); Phi is `detail::normal_cdf_table` (tabulated on |z| <= 3 to 2e-15, exact
/// `detail::normal_cdf` beyond), ~5x faster than erfc in the hot loop. B is the Cholesky factor (Eigen LLT)
/// when R is positive definite, otherwise V sqrt(Lambda) from its eigen-decomposition
/// (semi-definite R, e.g. a correlation of exactly 1). Kendall's tau of the result is
/// (2/pi) asin(R(i,j)).
///
/// Only the inputs that appear in a non-zero correlation are touched: correlating a pair of
/// inputs leaves every other input's draws bitwise unchanged. The transform is applied trial
/// by trial, so it is shard invariant.

#include <Eigen/Dense>

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "offroi/distributions/detail/normal_math.hpp"
#include "offroi/sampling/correlation_matrix.hpp"
#include "offroi/sampling/detail/normal_cdf_table.hpp"
#include "offroi/sampling/detail/normal_quantile_table.hpp"

namespace offroi {

/// A Gaussian copula over d inputs. Immutable after construction; `apply` is const and
/// thread-safe.
class gaussian_copula {
public:
    /// \param spearman d x d target Spearman rank-correlation matrix.
    /// \param names    the inputs' names for error messages (empty, or d names).
    /// \param repair   replace a matrix that is not positive semi-definite by the nearest
    ///                 correlation matrix (`nearest_psd_correlation`) instead of throwing.
    /// \throws invalid_argument as `check_correlation_matrix` (unless repaired).
    explicit gaussian_copula(const Eigen::MatrixXd& spearman,
                             const std::vector<std::string>& names = {}, bool repair = false)
        : dim_(static_cast<std::size_t>(spearman.rows())),
          f_(detail::make_correlation_factor(spearman, names, repair)) {
        const auto k = f_.columns.size();
        b_.assign(k * k, 0.0);
        for (std::size_t i = 0; i < k; ++i)
            for (std::size_t j = 0; j < k; ++j) b_[i * k + j] = f_.factor(i, j);
        // A row of the Cholesky factor equal to e_i leaves that input unchanged: skip it so
        // its draws stay bitwise equal (Phi(Phi^-1(u)) may differ from u in the last bit).
        identity_row_.assign(k, false);
        if (f_.lower_triangular)
            for (std::size_t i = 0; i < k; ++i) {
                bool id = b_[i * k + i] == 1.0;
                for (std::size_t j = 0; j < i && id; ++j) id = b_[i * k + j] == 0.0;
                identity_row_[i] = id;
            }
    }

    /// d, the number of inputs.
    std::size_t dimension() const noexcept { return dim_; }
    /// The inputs that take part in a correlation (ascending); only these are modified.
    const std::vector<std::size_t>& correlated_columns() const noexcept { return f_.columns; }
    /// The normal-score Pearson matrix R over `correlated_columns()`.
    const Eigen::MatrixXd& pearson() const noexcept { return f_.pearson; }
    /// The target Spearman matrix over `correlated_columns()` (after repair, if asked).
    const Eigen::MatrixXd& spearman() const noexcept { return f_.spearman; }
    /// The factor B (B B' = R) over `correlated_columns()`.
    const Eigen::MatrixXd& factor() const noexcept { return f_.factor; }

    /// Transforms n trials in place: columns[i][t] for input i < d, trial t < n, holds an
    /// independent uniform in (0, 1) on entry and the correlated uniform on exit. Columns of
    /// inputs outside `correlated_columns()` are not read or written (may be null).
    void apply(std::size_t n, double* const* columns) const {
        const std::size_t k = f_.columns.size();
        if (k == 0 || n == 0) return;
        constexpr std::size_t chunk = 256;
        std::vector<double> z(k * chunk);
        double w[chunk];
        for (std::size_t start = 0; start < n; start += chunk) {
            const std::size_t m = std::min(chunk, n - start);
            for (std::size_t a = 0; a < k; ++a)
                (*phi_inv_)(columns[f_.columns[a]] + start, &z[a * chunk], m);
            for (std::size_t a = 0; a < k; ++a) {
                if (identity_row_[a]) continue;
                const double* row = &b_[a * k];
                const std::size_t last = f_.lower_triangular ? a + 1 : k;
                for (std::size_t t = 0; t < m; ++t) w[t] = 0.0;
                for (std::size_t b = 0; b < last; ++b) {
                    const double c = row[b];
                    if (c == 0.0) continue;
                    const double* zb = &z[b * chunk];
                    for (std::size_t t = 0; t < m; ++t) w[t] += c * zb[t];
                }
                double* out = columns[f_.columns[a]] + start;
                phi_(w, out, m);
                // Phi rounds to 1 above z' ~ 8.3 (and to 0 below ~ -38.5): keep u' in (0, 1)
                // so that unbounded marginals stay finite.
                for (std::size_t t = 0; t < m; ++t)
                    out[t] = std::clamp(out[t], 0x1.0p-1074, 0x1.fffffffffffffp-1);
            }
        }
    }

private:
    std::size_t dim_;
    detail::correlation_factor f_;
    std::vector<double> b_;  // row-major factor over the correlated columns
    std::vector<bool> identity_row_;
    detail::normal_cdf_table phi_;  // fast Phi (|error| < 2e-15), see normal_cdf_table.hpp
    // fast Phi^-1 (AS 241 centre, tabulated tails), see normal_quantile_table.hpp
    const detail::normal_quantile_table* phi_inv_ = &detail::normal_quantile_table::instance();
};

}  // namespace offroi
