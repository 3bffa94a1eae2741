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
#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#endif
#include <cstddef>
#include <string>
#include <vector>

#include "offroi/distributions/detail/normal_math.hpp"
#include "offroi/sampling/correlation_matrix.hpp"
#include "offroi/sampling/detail/normal_cdf_table.hpp"
#include "offroi/sampling/detail/normal_quantile_table.hpp"

namespace offroi {

namespace detail {

/// One row of the copula's mat-vec over a block of trials: w[t] = sum over b < last with
/// row[b] != 0 of row[b] * z[b * stride + t], t < m, accumulated from 0.0 in the order of b
/// with a separate multiply and add. With AVX2 (checked at run time) 16 trials at a time in
/// four 4-wide accumulators, the same operations per trial, hence the same bits as the
/// scalar loop.
inline void copula_row_scalar(const double* row, std::size_t last, const double* z,
                              std::size_t stride, std::size_t m, double* w) noexcept {
    for (std::size_t t = 0; t < m; ++t) w[t] = 0.0;
    for (std::size_t b = 0; b < last; ++b) {
        const double c = row[b];
        if (c == 0.0) continue;
        const double* zb = z + b * stride;
        for (std::size_t t = 0; t < m; ++t) w[t] += c * zb[t];
    }
}

#if defined(__GNUC__) && defined(__x86_64__)
__attribute__((target("avx2"))) inline std::size_t copula_row_avx2(
    const double* row, std::size_t last, const double* z, std::size_t stride, std::size_t m,
    double* w) noexcept {
    std::size_t t = 0;
    for (; t + 16 <= m; t += 16) {
        __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
        for (std::size_t b = 0; b < last; ++b) {
            const double cb = row[b];
            if (cb == 0.0) continue;
            const __m256d c = _mm256_set1_pd(cb);
            const double* zb = z + b * stride + t;
            a0 = _mm256_add_pd(a0, _mm256_mul_pd(c, _mm256_loadu_pd(zb)));
            a1 = _mm256_add_pd(a1, _mm256_mul_pd(c, _mm256_loadu_pd(zb + 4)));
            a2 = _mm256_add_pd(a2, _mm256_mul_pd(c, _mm256_loadu_pd(zb + 8)));
            a3 = _mm256_add_pd(a3, _mm256_mul_pd(c, _mm256_loadu_pd(zb + 12)));
        }
        _mm256_storeu_pd(w + t, a0);
        _mm256_storeu_pd(w + t + 4, a1);
        _mm256_storeu_pd(w + t + 8, a2);
        _mm256_storeu_pd(w + t + 12, a3);
    }
    return t;
}
#endif

/// See `copula_row_scalar`.
inline void copula_row(const double* row, std::size_t last, const double* z, std::size_t stride,
                       std::size_t m, double* w) noexcept {
    std::size_t t = 0;
#if defined(__GNUC__) && defined(__x86_64__)
    static const bool avx2 = __builtin_cpu_supports("avx2");
    if (avx2) t = copula_row_avx2(row, last, z, stride, m, w);
#endif
    if (t < m) copula_row_scalar(row, last, z + t, stride, m - t, w + t);
}

}  // namespace detail

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
        for (std::size_t i = 0; i < k; ++i)
            if (!identity_row_[i]) transformed_.push_back(f_.columns[i]);
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
        scores(n, columns, [&](std::size_t col, const double* w, std::size_t start, std::size_t m) {
            to_uniform(w, columns[col] + start, m);
        });
    }

    /// The correlated inputs whose values the copula changes: `correlated_columns()` minus
    /// those whose factor row is the unit vector (left bitwise unchanged), ascending.
    const std::vector<std::size_t>& transformed_columns() const noexcept { return transformed_; }

    /// The normal-score half of `apply`: reads the independent uniforms of n trials as
    /// `apply` does, and for every input of `transformed_columns()` calls
    /// sink(column, z, start, m) with its correlated normal scores z[0..m) of trials
    /// [start, start + m) (blocks of at most 256 trials, in trial order; z is scratch, valid
    /// during the call). The sink may overwrite a column's uniforms of the current block only
    /// (they are read before the block's first call). `apply` is this with sink = `to_uniform`
    /// into the column; a fused marginal (`detail::normal_score_table`) maps z straight to x.
    template <class Sink>
    void scores(std::size_t n, double* const* columns, Sink&& sink) const {
        const std::size_t k = f_.columns.size();
        if (k == 0 || n == 0) return;
        constexpr std::size_t chunk = 256;
        std::vector<double> z(k * chunk);
        alignas(32) double w[chunk];
        for (std::size_t start = 0; start < n; start += chunk) {
            const std::size_t m = std::min(chunk, n - start);
            for (std::size_t a = 0; a < k; ++a)
                (*phi_inv_)(columns[f_.columns[a]] + start, &z[a * chunk], m);
            for (std::size_t a = 0; a < k; ++a) {
                if (identity_row_[a]) continue;
                const std::size_t last = f_.lower_triangular ? a + 1 : k;
                detail::copula_row(&b_[a * k], last, z.data(), chunk, m, w);
                sink(f_.columns[a], static_cast<const double*>(w), start, m);
            }
        }
    }

    /// u[i] = Phi(z[i]) kept inside (0, 1), i < n (the copula's map back to uniforms; z and u
    /// may alias): the fast Phi, then a clamp to [2^-1074, 1 - 2^-53] because Phi rounds to 1
    /// above z ~ 8.3 (and to 0 below ~ -38.5), so that unbounded marginals stay finite.
    void to_uniform(const double* z, double* u, std::size_t n) const noexcept {
        phi_(z, u, n);
        for (std::size_t t = 0; t < n; ++t) u[t] = std::clamp(u[t], 0x1.0p-1074, 0x1.fffffffffffffp-1);
    }

private:
    std::size_t dim_;
    detail::correlation_factor f_;
    std::vector<double> b_;  // row-major factor over the correlated columns
    std::vector<bool> identity_row_;
    std::vector<std::size_t> transformed_;  // correlated columns without an identity row
    detail::normal_cdf_table phi_;  // fast Phi (|error| < 2e-15), see normal_cdf_table.hpp
    // fast Phi^-1 (AS 241 centre, tabulated tails), see normal_quantile_table.hpp
    const detail::normal_quantile_table* phi_inv_ = &detail::normal_quantile_table::instance();
};

}  // namespace offroi
