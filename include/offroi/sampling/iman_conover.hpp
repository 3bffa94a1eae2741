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
#include "offroi/error.hpp"
#include "offroi/sampling/correlation_matrix.hpp"

namespace offroi {

namespace detail {

/// Maps a double to an unsigned integer with the same order (IEEE-754: flip all bits of a
/// negative, the sign bit of a positive; -0 is taken as +0).
inline std::uint64_t order_key(double v) noexcept {
    const auto b = std::bit_cast<std::uint64_t>(v == 0.0 ? 0.0 : v);
    return (b >> 63) ? ~b : (b | 0x8000000000000000ULL);
}

/// Scratch space of `sort_order`.
struct sort_scratch {
    std::vector<std::uint64_t> key, key2;
    std::vector<std::uint32_t> idx, idx2;
    void resize(std::size_t n) {
        key.resize(n);
        key2.resize(n);
        idx.resize(n);
        idx2.resize(n);
    }
};

/// order[r] = the trial of rank r of x[0..n), ties in trial order (exactly a stable sort
/// by value): an LSD radix sort on `order_key` with 8-bit digits, skipping digits that all
/// keys share. x must hold no NaN.
inline void sort_order(const double* x, std::size_t n, sort_scratch& w, std::uint32_t* order) {
    w.resize(n);
    std::uint64_t all_and = ~std::uint64_t{0}, all_or = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t k = order_key(x[i]);
        w.key[i] = k;
        w.idx[i] = static_cast<std::uint32_t>(i);
        all_and &= k;
        all_or |= k;
    }
    const std::uint64_t varying = all_and ^ all_or;
    std::uint64_t* k0 = w.key.data();
    std::uint64_t* k1 = w.key2.data();
    std::uint32_t* i0 = w.idx.data();
    std::uint32_t* i1 = w.idx2.data();
    for (unsigned shift = 0; shift < 64; shift += 8) {
        if (((varying >> shift) & 0xff) == 0) continue;
        std::size_t count[257] = {};
        for (std::size_t i = 0; i < n; ++i) ++count[((k0[i] >> shift) & 0xff) + 1];
        for (std::size_t b = 1; b < 257; ++b) count[b] += count[b - 1];
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t pos = count[(k0[i] >> shift) & 0xff]++;
            k1[pos] = k0[i];
            i1[pos] = i0[i];
        }
        std::swap(k0, k1);
        std::swap(i0, i1);
    }
    std::copy(i0, i0 + n, order);
}

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
