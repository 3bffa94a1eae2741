#pragma once
/// \file
/// Iman–Conover rank reordering (Iman and Conover 1982, "A distribution-free approach to
/// inducing rank correlation among input variables", Commun. Stat. B 11(3)).
///
/// Given n samples of k inputs that are independent, the values of each input are permuted
/// among the n trials so that the rank correlation approaches a target Spearman matrix,
/// while every input keeps exactly its sampled values (marginals, and Latin hypercube
/// strata, are preserved exactly). Method: van der Waerden scores a_r = Phi^-1(r/(n+1));
/// the score matrix S gives each input's scores in the rank order of its own samples (so
/// S is a random permutation per column, drawn by the samples themselves: no extra random
/// numbers); with E = corr(S) = F F' (Cholesky) and the target normal-score correlation
/// R = B B' (R = 2 sin(pi rho_s / 6)), the scores S* = S (B F^-1)' have correlation R
/// exactly; each input is then reordered to have the ranks of its column of S*.
///
/// The reordering is a function of the block alone; the sampler applies it to fixed,
/// aligned blocks of trials, so a trial's value depends only on its block (shard invariant).

#include <Eigen/Dense>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstddef>
#include <numeric>
#include <string>
#include <vector>

#include "offroi/distributions/detail/normal_math.hpp"
#include "offroi/detail/sort_order.hpp"
#include "offroi/error.hpp"
#include "offroi/sampling/correlation_matrix.hpp"

namespace offroi {

namespace detail {

}  // namespace detail

/// Iman–Conover reordering towards a target Spearman matrix over d inputs. Immutable after
/// construction; `reorder` is const and thread-safe.
class iman_conover {
public:
    /// \param spearman d x d target Spearman rank-correlation matrix.
    /// \param names    the inputs' names for error messages (empty, or d names).
    /// \param repair   use the nearest correlation matrix instead of throwing when the
    ///                 matrix is not positive semi-definite.
    /// \throws invalid_argument as `check_correlation_matrix` (unless repaired).
    explicit iman_conover(const Eigen::MatrixXd& spearman,
                          const std::vector<std::string>& names = {}, bool repair = false)
        : dim_(static_cast<std::size_t>(spearman.rows())),
          f_(detail::make_correlation_factor(spearman, names, repair)) {}

    /// d, the number of inputs.
    std::size_t dimension() const noexcept { return dim_; }
    /// The inputs that take part in a correlation (ascending); only these are reordered.
    const std::vector<std::size_t>& correlated_columns() const noexcept { return f_.columns; }
    /// The normal-score Pearson matrix the scores are given, over `correlated_columns()`.
    const Eigen::MatrixXd& pearson() const noexcept { return f_.pearson; }

    /// Reorders n trials in place: for each correlated input i, columns[i][0..n) is
    /// permuted. Other columns are not touched (may be null). Ties keep their trial order.
    /// \throws invalid_argument if n is not larger than the number of correlated inputs
    ///   (the score correlation would be singular).
    void reorder(std::size_t n, double* const* columns) const {
        const std::size_t k = f_.columns.size();
        if (k == 0) return;
        if (n > 0xffffffffULL)
            detail::throw_invalid("iman_conover::reorder", "block size", static_cast<double>(n),
                                  "must be < 2^32");
        if (n <= k)
            detail::throw_invalid("iman_conover::reorder", "block size", static_cast<double>(n),
                                  "must exceed the number of correlated inputs (" +
                                      std::to_string(k) + ")");
        const auto ni = static_cast<Eigen::Index>(n);
        const auto ki = static_cast<Eigen::Index>(k);
        Eigen::VectorXd score(ni);
        for (std::size_t r = 0; r < n; ++r)
            score(static_cast<Eigen::Index>(r)) =
                detail::normal_quantile(static_cast<double>(r + 1) / static_cast<double>(n + 1));
        const double ss = score.squaredNorm();
        // order[c]: trials sorted by their value of input c (ties by trial: a stable order);
        // S(t, c) = the score of t's rank.
        std::vector<std::vector<std::uint32_t>> order(k, std::vector<std::uint32_t>(n));
        detail::sort_scratch keys;
        Eigen::MatrixXd s(ni, ki);
        for (std::size_t c = 0; c < k; ++c) {
            const double* x = columns[f_.columns[c]];
            detail::sort_order(x, n, keys, order[c].data());
            for (std::size_t r = 0; r < n; ++r)
                s(static_cast<Eigen::Index>(order[c][r]), static_cast<Eigen::Index>(c)) =
                    score(static_cast<Eigen::Index>(r));
        }
        const Eigen::MatrixXd e = (s.transpose() * s) / ss;
        Eigen::LLT<Eigen::MatrixXd> llt(e);
        if (llt.info() != Eigen::Success)
            throw numerical_error("iman_conover::reorder: the score correlation is singular");
        // T = B F^-1 (solve T F = B on the right), then S* = S T'.
        const Eigen::MatrixXd fl = llt.matrixL();
        const Eigen::MatrixXd t =
            fl.triangularView<Eigen::Lower>().solve<Eigen::OnTheRight>(f_.factor);
        const Eigen::MatrixXd target = s * t.transpose();
        std::vector<double> sorted(n);
        std::vector<std::uint32_t> o2(n);
        for (std::size_t c = 0; c < k; ++c) {
            double* x = columns[f_.columns[c]];
            for (std::size_t r = 0; r < n; ++r) sorted[r] = x[order[c][r]];
            detail::sort_order(target.col(static_cast<Eigen::Index>(c)).data(), n, keys, o2.data());
            for (std::size_t r = 0; r < n; ++r) x[o2[r]] = sorted[r];
        }
    }

private:
    std::size_t dim_;
    detail::correlation_factor f_;
};

}  // namespace offroi
