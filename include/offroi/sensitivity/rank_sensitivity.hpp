#pragma once
/// \file
/// Sampling-based sensitivity from stored samples, with no reruns of the model: Spearman
/// rank correlation of each input with the output, standardized rank regression
/// coefficients (SRRC) with their R^2, partial rank correlation coefficients (PRCC),
/// standardized regression coefficients on the raw values (SRC) with their R^2, and
/// contribution to variance.
///
/// Definitions (n samples, d inputs):
/// - ranks are mid-ranks (ties get the mean of the ranks they span);
/// - Spearman rho_i = Pearson correlation of rank(x_i) and rank(y);
/// - SRRC: least squares of the standardized rank(y) on the standardized rank(x_i); R^2 =
///   1 - SS_res / SS_tot on the standardized ranks. Solved from the normal equations
///   G b = g (G = Z^T Z / n, g = Z^T y / n: the Gram matrix the PRCC needs anyway) by
///   Cholesky, R^2 = b.g / (y.y / n); when G is not numerically positive definite (its
///   reciprocal condition number below 1e-6: collinear or nearly collinear inputs) by Eigen's
///   column-pivoting Householder QR on the n x m matrix instead, whose error does not grow
///   with the square of the condition number. Above the cut-off the two agree to ~1e-10
///   relative (the normal equations' error is ~eps / rcond); on the scenarios' inputs
///   (rcond ~0.1-1) to ~1e-15;
/// - PRCC_i: the Pearson correlation of the residuals of rank(x_i) and of rank(y) after
///   least squares of each on the ranks of the other inputs (and a constant), i.e. the
///   partial correlation of rank(x_i) and rank(y) given the other inputs' ranks. It is
///   computed from C, the (m + 1) x (m + 1) correlation matrix of the standardized ranks of
///   the m non-constant inputs and of the output: with P = C^-1,
///       PRCC_i = -P_iy / sqrt(P_ii P_yy)
///   (O(n m^2) to form C, O(m^3) to invert it; no regression per input). PRCC and SRRC
///   have the same sign and the same zeros: PRCC_i = SRRC_i sqrt(Var(x_i | rest) /
///   Var(y | rest)) on the ranks, so PRCC scales each direct effect by what the other inputs
///   leave unexplained of y, not by y's total spread; a small direct effect gets a large
///   PRCC when R^2 is close to 1. Rank inputs by |SRRC| to compare effect sizes; read PRCC
///   as "how strongly x_i and y still move together once the other inputs are fixed";
/// - SRC: the same regression (the same two solvers) on the standardized raw values (for a linear model with
///   independent inputs SRC_i^2 = S_i, the first-order Sobol' index, and their sum is R^2);
/// - contribution to variance, as Crystal Ball reports it: rho_i^2 / sum_j rho_j^2, carrying
///   the sign of rho_i (so the absolute values sum to 1).
///
/// An input that is constant in the samples gets rho = 0, SRRC = PRCC = SRC = 0 and is left
/// out of the regressions and of C; a constant output gives all zeros (nothing varies).
/// Collinear inputs (perfectly correlated) give one least-squares solution among many (the
/// pivoting QR's, the fallback above) for SRRC/SRC. When C is numerically singular (smallest eigenvalue below
/// 1e-10 of the largest: collinear input ranks, or an output whose ranks are an exact linear
/// function of the inputs' ranks) each PRCC_i is computed from its definition instead:
/// the 2 x 2 residual covariance of (rank(x_i), rank(y)) given the others is
/// C_ab - C_aS C_SS^+ C_Sa (a = {i, y}, S = the other inputs, ^+ the eigenvalue-cutoff
/// pseudo-inverse, which gives the least-squares residuals even for collinear S); an input
/// whose residual variance is below 1e-10 (it is a linear combination of the others' ranks)
/// or whose residual of y is (y fully explained by the others) gets PRCC = 0, never NaN.
///
/// Correlated inputs: rho_i then measures the total association of x_i with y, which mixes
/// x_i's direct effect with the effects of the inputs correlated with it (two inputs
/// correlated at 0.9 can both rank high when only one acts). SRRC and PRCC are partial
/// effects, holding the other inputs fixed: they separate direct effects when the model is
/// close to linear (monotone) in the ranks, so an input with no effect of its own has SRRC
/// and PRCC near 0 (within a few 1/sqrt(n)) however strongly it is correlated with a driver.
/// Near, not at: the rank transform bends even a linear model, and the bend correlates with
/// the correlated input. For y = x1 + x2 (standard normals, Gaussian copula with rank
/// correlations 0.3 for x1-x2 and 0.7 for x1-x3, x3 not in y) the population SRRC_3 is
/// -0.007 and PRCC_3 -0.03, because PRCC divides by the little that x1, x2 leave of rank(y)
/// (R^2 = 0.976); with N(0, 1) noise added to y (R^2 = 0.70) both are -0.001 (numpy, 1.6e7
/// draws; the tests use this case). SRRC becomes unstable (large standard errors,
/// possibly opposite signs) under strong correlation; the contribution to variance inherits
/// rho's mixing. Read them as "associations in this joint input distribution", not as
/// causal shares of the variance.

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/Eigenvalues>
#include <Eigen/QR>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <numeric>
#include <span>
#include <string>
#include <utility>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "offroi/detail/sort_order.hpp"
#include "offroi/error.hpp"
#include "offroi/sensitivity/model_evaluation.hpp"

namespace offroi {

/// Result of `rank_sensitivity`; vectors are indexed by input, in column order.
struct rank_sensitivity_result {
    std::vector<std::string> names;     ///< input names
    std::vector<double> spearman;       ///< rank correlation of each input with the output
    std::vector<double> srrc;           ///< standardized rank regression coefficients
    double srrc_r2 = 0.0;               ///< R^2 of the rank regression
    std::vector<double> prcc;           ///< partial rank correlation coefficients, in [-1, 1]
    std::vector<double> src;            ///< standardized regression coefficients (raw values)
    double src_r2 = 0.0;                ///< R^2 of the raw-value regression
    std::vector<double> contribution_to_variance;  ///< sign(rho_i) rho_i^2 / sum rho_j^2
    std::size_t samples = 0;            ///< n
};

namespace detail {

/// Mid-ranks (1-based) of v[0..n) into out[0..n); ties (equal values) get the average of the
/// ranks they span. The order comes from `detail::sort_order` (a stable LSD radix sort,
/// O(n)); `scratch` and `idx` are reusable work space.
inline void mid_ranks_into(const double* v, std::size_t n, double* out, sort_scratch& scratch,
                           std::vector<std::uint32_t>& idx) {
    idx.resize(n);
    // Ties from the sorted keys (equal keys are equal values), read in order, not v[idx[.]].
    const std::uint64_t* key = sort_order_keys(v, n, scratch, idx.data());
    std::size_t i = 0;
    while (i < n) {
        std::size_t j = i;
        while (j + 1 < n && key[j + 1] == key[i]) ++j;
        const double rank = 0.5 * double(i + j) + 1.0;
        for (std::size_t k = i; k <= j; ++k) out[idx[k]] = rank;
        i = j + 1;
    }
}

/// Mid-ranks (1-based) of v; ties (equal values) get the average of the ranks they span.
/// The order comes from `detail::sort_order` (a stable LSD radix sort, O(n)).
inline Eigen::VectorXd mid_ranks(const Eigen::Ref<const Eigen::VectorXd>& v) {
    Eigen::VectorXd r(v.size());
    sort_scratch scratch;
    std::vector<std::uint32_t> idx;
    mid_ranks_into(v.data(), std::size_t(v.size()), r.data(), scratch, idx);  // Ref<const VectorXd>: contiguous
    return r;
}

/// Centres and scales v to unit (population) standard deviation; returns false (and
/// zeroes v) when v is constant. (A Ref: a VectorXd or a 16-byte aligned column of a
/// `column_store` gives the same bits.)
inline bool standardize(Eigen::Ref<Eigen::VectorXd> v) {
    const double m = v.mean();
    v.array() -= m;
    const double s = std::sqrt(v.squaredNorm() / double(v.size()));
    if (!(s > 0.0) || s <= 1e-14 * (std::abs(m) + 1.0)) {
        v.setZero();
        return false;
    }
    v /= s;
    return true;
}

/// Least squares of a standardized y on the m columns `cols` of a standardized n x d matrix
/// Z from its Gram matrix G = Z^T Z / n (d x d, lower triangle read) and g = Z^T y / n: the
/// Cholesky solution of G[cols, cols] b = g[cols] and R^2 = b.g[cols] / yy (yy = y.y / n),
/// clamped to [0, 1]. Returns false, leaving b and r2 alone, when G[cols, cols] is not
/// numerically positive definite (Cholesky fails or its reciprocal condition number is
/// below `gram_min_rcond`): the caller then solves by QR (see the file comment).
inline constexpr double gram_min_rcond = 1e-6;
inline bool gram_regression(const Eigen::MatrixXd& G, const Eigen::VectorXd& g, const std::vector<Eigen::Index>& cols,
                            double yy, Eigen::VectorXd& b, double& r2) {
    const Eigen::Index m = Eigen::Index(cols.size());
    Eigen::MatrixXd S(m, m);
    Eigen::VectorXd t(m);
    for (Eigen::Index p = 0; p < m; ++p) {
        for (Eigen::Index q = 0; q <= p; ++q) {
            const Eigen::Index a = cols[std::size_t(p)], c = cols[std::size_t(q)];
            S(p, q) = S(q, p) = a >= c ? G(a, c) : G(c, a);
        }
        t(p) = g(cols[std::size_t(p)]);
    }
    const Eigen::LLT<Eigen::MatrixXd> llt(S);
    if (llt.info() != Eigen::Success || !(llt.rcond() >= gram_min_rcond)) return false;
    b = llt.solve(t);
    if (!b.allFinite() || !(yy > 0.0)) return false;
    r2 = std::clamp(b.dot(t) / yy, 0.0, 1.0);
    return true;
}

/// Partial correlations of each of the first k variables with the last one given the other
/// k - 1, from the (k + 1) x (k + 1) correlation matrix C (unit diagonal): -P_iy /
/// sqrt(P_ii P_yy) with P = C^-1 when C is well conditioned, else from the residual
/// covariances C_ab - C_aS C_SS^+ C_Sa (see the file comment). Always finite, in [-1, 1].
inline std::vector<double> partial_correlations_with_last(const Eigen::MatrixXd& C) {
    constexpr double tol = 1e-10;
    const Eigen::Index k = C.rows() - 1;
    std::vector<double> out(std::size_t(std::max<Eigen::Index>(k, 0)), 0.0);
    if (k <= 0) return out;
    auto clamp = [](double r) { return std::isfinite(r) ? std::clamp(r, -1.0, 1.0) : 0.0; };
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(C);
    if (es.info() == Eigen::Success && es.eigenvalues()(0) > tol * es.eigenvalues()(k)) {
        const Eigen::MatrixXd& V = es.eigenvectors();
        const Eigen::MatrixXd P = V * es.eigenvalues().cwiseInverse().asDiagonal() * V.transpose();
        for (Eigen::Index i = 0; i < k; ++i) {
            const double den = P(i, i) * P(k, k);
            out[std::size_t(i)] = den > 0.0 ? clamp(-P(i, k) / std::sqrt(den)) : 0.0;
        }
        return out;
    }
    // Numerically singular: the definition, with a pseudo-inverse of the others' block.
    for (Eigen::Index i = 0; i < k; ++i) {
        std::vector<Eigen::Index> S;
        for (Eigen::Index j = 0; j < k; ++j)
            if (j != i) S.push_back(j);
        const Eigen::Index a[2] = {i, k};
        Eigen::Matrix2d Sigma;
        for (int u = 0; u < 2; ++u)
            for (int v = 0; v < 2; ++v) Sigma(u, v) = C(a[u], a[v]);
        if (!S.empty()) {
            const Eigen::Index s = Eigen::Index(S.size());
            Eigen::MatrixXd Css(s, s), Csa(s, 2);
            for (Eigen::Index p = 0; p < s; ++p) {
                for (Eigen::Index q = 0; q < s; ++q) Css(p, q) = C(S[std::size_t(p)], S[std::size_t(q)]);
                for (int v = 0; v < 2; ++v) Csa(p, v) = C(S[std::size_t(p)], a[v]);
            }
            const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> e(Css);
            const double cut = tol * std::max(1.0, e.eigenvalues().cwiseAbs().maxCoeff());
            const Eigen::MatrixXd W = e.eigenvectors().transpose() * Csa;  // s x 2
            for (Eigen::Index p = 0; p < s; ++p) {
                const double l = e.eigenvalues()(p);
                if (l > cut) Sigma -= W.row(p).transpose() * W.row(p) / l;
            }
        }
        if (Sigma(0, 0) > tol && Sigma(1, 1) > tol)
            out[std::size_t(i)] = clamp(Sigma(0, 1) / std::sqrt(Sigma(0, 0) * Sigma(1, 1)));
    }
    return out;
}

/// PRCC of the columns of the standardized ranks Zr (constant columns zero, flagged in
/// `varies`) with the standardized output ranks ry; 0 for constant columns.
inline std::vector<double> partial_rank_correlations(const Eigen::MatrixXd& Zr, const std::vector<char>& varies,
                                                     const Eigen::VectorXd& ry) {
    const std::size_t d = varies.size();
    std::vector<Eigen::Index> cols;
    for (std::size_t i = 0; i < d; ++i)
        if (varies[i]) cols.push_back(Eigen::Index(i));
    std::vector<double> prcc(d, 0.0);
    if (cols.empty()) return prcc;
    const Eigen::Index m = Eigen::Index(cols.size()), n = Zr.rows();
    // C = [Zr_varying, ry]^T [Zr_varying, ry] / n, without copying the n x m block.
    Eigen::MatrixXd G = Eigen::MatrixXd::Zero(Zr.cols(), Zr.cols());
    G.selfadjointView<Eigen::Lower>().rankUpdate(Zr.transpose(), 1.0 / double(n));
    const Eigen::VectorXd gy = Zr.transpose() * ry / double(n);
    Eigen::MatrixXd C(m + 1, m + 1);
    for (Eigen::Index p = 0; p < m; ++p) {
        for (Eigen::Index q = 0; q <= p; ++q) C(p, q) = C(q, p) = G(cols[std::size_t(p)], cols[std::size_t(q)]);
        C(p, m) = C(m, p) = gy(cols[std::size_t(p)]);
    }
    C(m, m) = ry.squaredNorm() / double(n);
    const std::vector<double> r = partial_correlations_with_last(C);
    for (Eigen::Index p = 0; p < m; ++p) prcc[std::size_t(cols[std::size_t(p)])] = r[std::size_t(p)];
    return prcc;
}

/// Uninitialised storage of doubles for the n x d work matrices of the rank analysis,
/// 64-byte aligned. Blocks of 2 MiB or more are aligned to 2 MiB and, on Linux, advised as
/// transparent huge pages: the analysis touches each page once, and on a VM a 4 KiB page
/// fault costs about as much as the arithmetic on it (an n = 20 000, d = 52 matrix is
/// 2 000 faults, ~20 ms; with huge pages 4). The contents are lost when it grows.
class work_buffer {
public:
    work_buffer() = default;
    work_buffer(const work_buffer&) = delete;
    work_buffer& operator=(const work_buffer&) = delete;
    ~work_buffer() { std::free(p_); }
    /// At least `count` doubles (64-byte aligned, uninitialised).
    double* get(std::size_t count) {
        if (count <= cap_) return p_;
        constexpr std::size_t huge = std::size_t{1} << 21;
        std::size_t bytes = std::max<std::size_t>(count * sizeof(double), 64);
        const std::size_t align = bytes >= huge ? huge : 64;
        bytes = (bytes + align - 1) / align * align;
        void* q = std::aligned_alloc(align, bytes);
        if (!q) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
        if (align == huge) ::madvise(q, bytes, MADV_HUGEPAGE);  // advice only: failure is harmless
#endif
        std::free(p_);
        p_ = static_cast<double*>(q);
        cap_ = bytes / sizeof(double);
        return p_;
    }

private:
    double* p_ = nullptr;
    std::size_t cap_ = 0;
};

/// Column view of a work matrix: n rows, outer stride ld.
using column_map = Eigen::Map<Eigen::MatrixXd, 0, Eigen::OuterStride<>>;

/// The standardized ranks (and standardized values) of sample columns, computed once and
/// shared by every output ranked against them (`run_drivers_all` ranks the scenario's and
/// the baseline's inputs once for all alternatives). Column i starts at i * ld (ld = n
/// rounded up to 8: every column 64-byte aligned).
struct ranked_columns {
    std::size_t n = 0, d = 0, ld = 0;
    work_buffer rank_store, value_store;
    std::vector<char> varies;           ///< column i is not constant
    std::vector<std::size_t> first_nan; ///< the first row holding NaN, n if none (then not ranked)
    std::vector<double> nan_value;      ///< that NaN (its sign bit shows in messages)
    double* rank_col(std::size_t i) { return rank_store.get(0) + i * ld; }
    double* value_col(std::size_t i) { return value_store.get(0) + i * ld; }
    const double* rank_col(std::size_t i) const { return const_cast<ranked_columns*>(this)->rank_col(i); }
    const double* value_col(std::size_t i) const { return const_cast<ranked_columns*>(this)->value_col(i); }
};

/// Ranks and standardizes cols[i][0..n) into `rc` (in parallel over columns; the result
/// does not depend on `threads`): the same bits as `rank_sensitivity` has always computed
/// per column (mid_ranks, standardize; the value column standardized, or its ranks when it
/// holds an infinity). A column holding NaN is only flagged (`first_nan`).
inline void rank_columns(ranked_columns& rc, const std::vector<const double*>& cols, std::size_t n,
                         unsigned threads) {
    rc.n = n;
    rc.d = cols.size();
    rc.ld = (n + 7) / 8 * 8;
    rc.rank_store.get(rc.ld * std::max<std::size_t>(rc.d, 1));
    rc.value_store.get(rc.ld * std::max<std::size_t>(rc.d, 1));
    rc.varies.assign(rc.d, 0);
    rc.first_nan.assign(rc.d, n);
    rc.nan_value.assign(rc.d, 0.0);
    // One task per worker thread, each taking the next column and keeping its sort scratch
    // (fresh scratch per column would be fresh pages per column); any order gives the same
    // columns.
    const std::size_t workers = std::max<std::size_t>(1, std::min<std::size_t>(resolve_threads(threads), rc.d));
    std::atomic<std::size_t> next{0};
    parallel_tasks(workers, threads, [&](std::size_t) {
        sort_scratch scratch;
        std::vector<std::uint32_t> idx;
        for (;;) {
            const std::size_t i = next.fetch_add(1);
            if (i >= rc.d) return;
            const double* x = cols[i];
            bool nan = false;
            for (std::size_t r = 0; r < n; ++r)
                if (std::isnan(x[r])) {
                    rc.first_nan[i] = r;
                    rc.nan_value[i] = x[r];
                    nan = true;
                    break;
                }
            if (nan) continue;
            double* zr = rc.rank_col(i);
            double* zx = rc.value_col(i);
            mid_ranks_into(x, n, zr, scratch, idx);
            Eigen::Map<Eigen::VectorXd> r(zr, Eigen::Index(n)), v(zx, Eigen::Index(n));
            rc.varies[i] = standardize(r);
            v = Eigen::Map<const Eigen::VectorXd>(x, Eigen::Index(n));
            if (v.allFinite()) standardize(v);
            else v = r;  // infinite draws: the SRC sees this input through its ranks
        }
    });
}

/// Work space of `analyze_ranked` (reused across outputs: no new page faults).
struct rank_workspace {
    work_buffer picked_ranks, picked_values, qr, qr_values;
};

/// Least squares of standardized y on the columns of the n x m matrix M (stride ld, left
/// intact), by column-pivoting Householder QR in `qr_store` (a copy of M): coefficients
/// and R^2 (the fallback of `gram_regression`).
inline double regression_in_place(const column_map& M, const Eigen::VectorXd& zy, work_buffer& qr_store,
                                  Eigen::VectorXd& b) {
    column_map Q(qr_store.get(std::size_t(M.outerStride()) * std::size_t(M.cols())), M.rows(), M.cols(),
                 Eigen::OuterStride<>(M.outerStride()));
    Q = M;
    const Eigen::ColPivHouseholderQR<Eigen::Ref<Eigen::MatrixXd>> qr(Q);
    b = qr.solve(zy);
    const double ss_tot = zy.squaredNorm();
    const double ss_res = (zy - M * b).squaredNorm();
    return ss_tot > 0.0 ? 1.0 - ss_res / ss_tot : 0.0;
}

/// Rank sensitivity of output y (n values) to the columns `sel` of `rc` (in that order,
/// named `names`), as `rank_sensitivity` defines it; the checks and messages are those of
/// `rank_sensitivity` (fn names the caller). The rank side (PRCC, SRRC) and the value side
/// (SRC) run as two tasks on up to `threads` threads (0: all); the bits do not depend on it.
inline rank_sensitivity_result analyze_ranked(const ranked_columns& rc, const std::vector<std::size_t>& sel,
                                              std::span<const double> y, const std::vector<std::string>& names,
                                              rank_workspace& ws, const char* fn = "rank_sensitivity",
                                              unsigned threads = 1) {
    const std::size_t n = rc.n, d = sel.size();
    if (d == 0) throw invalid_argument(std::string(fn) + ": the sample matrix has no input columns");
    if (y.size() != n)
        throw invalid_argument(std::string(fn) + ": the samples have " + std::to_string(n) +
                               " rows but the output has " + std::to_string(y.size()) +
                               " values; they must match");
    if (n <= d + 1)
        throw_invalid(fn, "number of samples", double(n),
                      "need more samples than inputs + 1 (" + std::to_string(d + 1) + ")");
    if (std::uint64_t(n) > 0xffffffffULL) throw_invalid(fn, "number of samples", double(n), "must be below 2^32");
    rank_sensitivity_result res;
    res.names = input_names(names, d, fn);
    res.samples = n;
    // The first bad row, the output before the inputs of that row (a row-major scan).
    std::size_t bad_y = n;
    for (std::size_t r = 0; r < n; ++r)
        if (!std::isfinite(y[r])) {
            bad_y = r;
            break;
        }
    std::size_t bad_x = n, bad_i = d;
    for (std::size_t k = 0; k < d; ++k)
        if (rc.first_nan[sel[k]] < bad_x) {
            bad_x = rc.first_nan[sel[k]];
            bad_i = k;
        }
    if (bad_y < n && bad_y <= bad_x)
        throw_invalid(fn, "output at row " + std::to_string(bad_y), y[bad_y], "must be finite");
    if (bad_i < d)
        throw_invalid(fn, "input " + res.names[bad_i] + " at row " + std::to_string(bad_x),
                      rc.nan_value[sel[bad_i]],
                      "must not be NaN");

    const Eigen::Index N = Eigen::Index(n);
    const Eigen::Map<const Eigen::VectorXd> ymap(y.data(), N);
    Eigen::VectorXd ry, zy;  // the output's standardized ranks (rank task), values (value task)
    bool y_varies = false;

    res.spearman.assign(d, 0.0);
    res.contribution_to_variance.assign(d, 0.0);
    res.srrc.assign(d, 0.0);
    res.prcc.assign(d, 0.0);
    res.src.assign(d, 0.0);

    // The selected columns as n x d matrices of stride ld: the stores themselves when `sel`
    // is 0..d-1, else copies (constant columns are zero, as rank_sensitivity leaves them).
    const Eigen::Index ld = Eigen::Index(rc.ld);
    bool identity = true;
    for (std::size_t k = 0; k < d; ++k) identity = identity && sel[k] == k;
    auto picked = [&](bool ranks, work_buffer& buf) {
        auto col = [&](std::size_t i) { return ranks ? rc.rank_col(i) : rc.value_col(i); };
        if (identity) return column_map(const_cast<double*>(col(0)), N, Eigen::Index(d), Eigen::OuterStride<>(ld));
        double* z = buf.get(rc.ld * d);
        for (std::size_t k = 0; k < d; ++k)
            Eigen::Map<Eigen::VectorXd>(z + Eigen::Index(k) * ld, N) = Eigen::Map<const Eigen::VectorXd>(col(sel[k]), N);
        return column_map(z, N, Eigen::Index(d), Eigen::OuterStride<>(ld));
    };
    const column_map Zr = picked(true, ws.picked_ranks);
    std::vector<char> varies(d);
    for (std::size_t k = 0; k < d; ++k) varies[k] = rc.varies[sel[k]];

    auto spearman = [&] {
        double sum_sq = 0.0;
        for (std::size_t i = 0; i < d; ++i) {
            res.spearman[i] = varies[i] ? Zr.col(Eigen::Index(i)).dot(ry) / double(n) : 0.0;
            sum_sq += res.spearman[i] * res.spearman[i];
        }
        if (sum_sq > 0.0)
            for (std::size_t i = 0; i < d; ++i)
                res.contribution_to_variance[i] =
                    std::copysign(res.spearman[i] * res.spearman[i] / sum_sq, res.spearman[i]);
    };

    // The varying columns (the regressions' and C's).
    std::vector<Eigen::Index> cols;
    for (std::size_t i = 0; i < d; ++i)
        if (varies[i]) cols.push_back(Eigen::Index(i));
    // The Gram matrix Z^T Z / n (lower triangle) of a picked n x d matrix and Z^T t / n.
    auto gram = [&](const column_map& Z, const Eigen::VectorXd& t, Eigen::MatrixXd& G, Eigen::VectorXd& g) {
        G = Eigen::MatrixXd::Zero(Z.cols(), Z.cols());
        G.selfadjointView<Eigen::Lower>().rankUpdate(Z.transpose(), 1.0 / double(n));
        g = Z.transpose() * t / double(n);
    };
    Eigen::MatrixXd Gr;  // the ranks' Gram matrix: PRCC's C and the SRRC's normal equations
    Eigen::VectorXd gr;

    // PRCC before SRRC: it reads Zr, which the rank regression may compact in place.
    auto prcc = [&] {
        gram(Zr, ry, Gr, gr);
        if (!cols.empty()) {
            const Eigen::Index m = Eigen::Index(cols.size());
            Eigen::MatrixXd C(m + 1, m + 1);
            for (Eigen::Index p = 0; p < m; ++p) {
                for (Eigen::Index q = 0; q <= p; ++q)
                    C(p, q) = C(q, p) = Gr(cols[std::size_t(p)], cols[std::size_t(q)]);
                C(p, m) = C(m, p) = gr(cols[std::size_t(p)]);
            }
            C(m, m) = ry.squaredNorm() / double(n);
            const std::vector<double> r = partial_correlations_with_last(C);
            for (Eigen::Index p = 0; p < m; ++p) res.prcc[std::size_t(cols[std::size_t(p)])] = r[std::size_t(p)];
        }
    };

    // SRRC and SRC: least squares on the varying columns only, from the Gram matrix G of
    // the picked matrix Z (the normal equations) or, when G is nearly singular, by QR on a
    // compact n x m matrix (the picked one itself when every column varies).
    const Eigen::Index m = Eigen::Index(cols.size());
    auto regress = [&](const column_map& Z, const Eigen::MatrixXd& G, const Eigen::VectorXd& g,
                       work_buffer& own, const Eigen::VectorXd& target, std::vector<double>& coef,
                       work_buffer& qr_store) {
        Eigen::VectorXd b;
        double r2 = 0.0;
        if (gram_regression(G, g, cols, target.squaredNorm() / double(n), b, r2)) {
            for (Eigen::Index k = 0; k < m; ++k) coef[std::size_t(cols[std::size_t(k)])] = b(k);
            return r2;
        }
        double* const zdata = const_cast<double*>(Z.data());
        double* base = zdata;
        if (std::size_t(m) != d) {
            // Compact the varying columns: into `own` when Z is the store shared with other
            // outputs, else in place (Z is this output's copy; column vary_idx[k] >= k moves left).
            if (identity) base = own.get(rc.ld * d);
            for (Eigen::Index k = 0; k < m; ++k) {
                const Eigen::Index from = cols[std::size_t(k)];
                if (base != zdata || from != k)
                    Eigen::Map<Eigen::VectorXd>(base + k * ld, N) = Eigen::Map<const Eigen::VectorXd>(zdata + from * ld, N);
            }
        }
        const column_map M(base, N, m, Eigen::OuterStride<>(ld));
        r2 = regression_in_place(M, target, qr_store, b);
        for (Eigen::Index k = 0; k < m; ++k) coef[std::size_t(cols[std::size_t(k)])] = b(k);
        return r2;
    };
    // Two independent tasks (own buffers, own result fields: the same bits on any number of
    // threads): the output's ranks, Spearman, PRCC then SRRC on the ranks; and the output's
    // standardized values and SRC on the values, which need no ranks of the output (so
    // they do not wait for its sort). A constant output (its ranks do not vary) gives all
    // zeros: the value side's results are then dropped.
    parallel_tasks(2, threads, [&](std::size_t t) {
        if (t == 0) {
            ry = mid_ranks(ymap);
            y_varies = standardize(ry);
            if (!y_varies) return;
            spearman();
            prcc();
            if (m > 0) res.srrc_r2 = regress(Zr, Gr, gr, ws.picked_ranks, ry, res.srrc, ws.qr);
        } else {
            zy = ymap;
            standardize(zy);
            if (m > 0) {
                const column_map Zx = picked(false, ws.picked_values);
                Eigen::MatrixXd Gx;
                Eigen::VectorXd gx;
                gram(Zx, zy, Gx, gx);
                res.src_r2 = regress(Zx, Gx, gx, ws.picked_values, zy, res.src, ws.qr_values);
            }
        }
    });
    if (!y_varies) {
        res.src.assign(d, 0.0);
        res.src_r2 = 0.0;
    }
    return res;
}

}  // namespace detail

/// Rank correlations, SRRC (with R^2), PRCC, SRC (with R^2) and contribution to variance of the
/// output `y` to the inputs in the columns of `X`, from stored samples (see the file
/// comment for definitions and for what they mean under correlated inputs).
/// \param X     n x d samples, one column per input.
/// \param y     the n outputs, row r of X giving y(r).
/// \param names one name per input, or empty for x1..xd.
/// \param threads worker threads for the ranking and the regressions (0 = all); results do not
///        depend on it.
/// \throws offroi::invalid_argument when X has no columns, the row counts differ, n <= d + 1
///         or n >= 2^32
///         (too few samples to regress), names has the wrong length, an output is not
///         finite or an input is NaN (the message names the input or output and the row).
///         Inputs may be +-inf (a seat never filled): they rank above (below) every finite
///         draw, and the linear SRC uses such a column's ranks in place of its values.
inline rank_sensitivity_result rank_sensitivity(const Eigen::Ref<const Eigen::MatrixXd>& X,
                                                const Eigen::Ref<const Eigen::VectorXd>& y,
                                                const std::vector<std::string>& names = {},
                                                unsigned threads = 0) {
    constexpr const char* fn = "rank_sensitivity";
    const Eigen::Index n = X.rows();
    const std::size_t d = static_cast<std::size_t>(X.cols());
    if (d == 0) throw invalid_argument("rank_sensitivity: the sample matrix has no input columns");
    if (y.size() != n)
        throw invalid_argument("rank_sensitivity: the samples have " + std::to_string(n) +
                               " rows but the output has " + std::to_string(y.size()) +
                               " values; they must match");
    if (std::size_t(n) <= d + 1)
        detail::throw_invalid(fn, "number of samples", double(n),
                              "need more samples than inputs + 1 (" + std::to_string(d + 1) + ")");
    if (std::uint64_t(n) > 0xffffffffULL)
        detail::throw_invalid(fn, "number of samples", double(n), "must be below 2^32");
    detail::input_names(names, d, fn);  // checked before any work
    std::vector<const double*> cols(d);
    for (std::size_t i = 0; i < d; ++i) cols[i] = X.col(Eigen::Index(i)).data();  // inner stride 1
    detail::ranked_columns rc;
    detail::rank_columns(rc, cols, std::size_t(n), threads);
    std::vector<std::size_t> sel(d);
    std::iota(sel.begin(), sel.end(), std::size_t{0});
    detail::rank_workspace ws;
    return detail::analyze_ranked(rc, sel, std::span<const double>(y.data(), std::size_t(n)), names, ws, fn, threads);
}

/// The same from sample columns, as a run keeps them (`run_result::samples(i)`): one
/// span per input and the output's span, all of the same length (read in place; the same
/// bits as the matrix form).
/// \throws offroi::invalid_argument as the matrix form, and when a column's length differs
///         from the output's (naming the column).
inline rank_sensitivity_result rank_sensitivity(const std::vector<std::span<const double>>& inputs,
                                                std::span<const double> output,
                                                const std::vector<std::string>& names = {},
                                                unsigned threads = 0) {
    constexpr const char* fn = "rank_sensitivity";
    const std::size_t n = output.size(), d = inputs.size();
    std::vector<const double*> cols(d);
    for (std::size_t i = 0; i < d; ++i) {
        if (inputs[i].size() != output.size())
            throw invalid_argument("rank_sensitivity: input column " + std::to_string(i) + " has " +
                                   std::to_string(inputs[i].size()) + " samples but the output has " +
                                   std::to_string(output.size()) + "; they must match");
        cols[i] = inputs[i].data();
    }
    // The checks of the matrix form, before any work.
    if (d == 0) throw invalid_argument("rank_sensitivity: the sample matrix has no input columns");
    if (n <= d + 1)
        detail::throw_invalid(fn, "number of samples", double(n),
                              "need more samples than inputs + 1 (" + std::to_string(d + 1) + ")");
    if (std::uint64_t(n) > 0xffffffffULL)
        detail::throw_invalid(fn, "number of samples", double(n), "must be below 2^32");
    detail::input_names(names, d, fn);
    detail::ranked_columns rc;
    detail::rank_columns(rc, cols, n, threads);
    std::vector<std::size_t> sel(d);
    std::iota(sel.begin(), sel.end(), std::size_t{0});
    detail::rank_workspace ws;
    return detail::analyze_ranked(rc, sel, output, names, ws, fn, threads);
}

}  // namespace offroi
