#pragma once
/// \file
/// Internal: penalised regression splines (P-splines, Eilers and Marx, Statistical Science
/// 11:89, 1996) on rank positions u in (0, 1), with the smoothing parameter chosen by
/// generalised cross-validation (Craven and Wahba 1979), for one input (cubic B-splines on
/// equal segments, second-difference penalty) and two inputs (tensor product, one penalty
/// per direction, the ratio of the two searched on a grid). Several responses share the
/// basis; each gets its own smoothing. Also the cell means of a discrete input.
///
/// Fitting: with B the n x K basis, A = B'B, c = B'y and P the penalty, the coefficients are
/// beta(l) = (A + l P)^-1 c. With A = L L' (Cholesky) and L^-1 P L^-T = U diag(s) U',
/// z = U' L^-1 c, the fit for any l is beta = L^-T U (z / (1 + l s)), its effective degrees
/// of freedom edf = sum 1 / (1 + l s) and its residual sum of squares
/// RSS = RSS_0 + sum z^2 (l s / (1 + l s))^2 (RSS_0: the unpenalised fit), so GCV(l) =
/// n RSS / (n - edf)^2 is scanned over l at the cost of K operations per value.

#include <Eigen/Cholesky>
#include <Eigen/Dense>
#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

namespace offroi::detail::voi {

/// The four non-zero uniform cubic B-splines at u in [0, 1] over `seg` equal segments:
/// basis functions first .. first + 3 (of seg + 3) with weights w.
struct bspline_row {
    std::size_t first;
    double w[4];
};

inline bspline_row cubic_bspline(double u, std::size_t seg) {
    const double s = std::clamp(u, 0.0, 1.0) * double(seg);
    const std::size_t j = std::min(static_cast<std::size_t>(s), seg - 1);
    const double t = s - double(j), t2 = t * t, t3 = t2 * t, m = 1.0 - t;
    return {j, {m * m * m / 6.0, (3.0 * t3 - 6.0 * t2 + 4.0) / 6.0, (-3.0 * t3 + 3.0 * t2 + 3.0 * t + 1.0) / 6.0,
                t3 / 6.0}};
}

/// Second-difference penalty D'D of K coefficients.
inline Eigen::MatrixXd difference_penalty(std::size_t k) {
    const Eigen::Index K = Eigen::Index(k);
    Eigen::MatrixXd D = Eigen::MatrixXd::Zero(std::max<Eigen::Index>(K - 2, 0), K);
    for (Eigen::Index i = 0; i + 2 < K; ++i) {
        D(i, i) = 1.0;
        D(i, i + 1) = -2.0;
        D(i, i + 2) = 1.0;
    }
    return D.transpose() * D;
}

/// One response's smoothing choice.
struct gcv_choice {
    double gcv = std::numeric_limits<double>::infinity();
    double lambda = 0.0;
    double edf = 0.0;
    double rss = 0.0;
    Eigen::VectorXd beta;
};

/// The spectral form of A + l P for a fixed penalty: scans l for each response.
class penalised_system {
public:
    /// A must be symmetric positive definite (callers add a small ridge).
    penalised_system(const Eigen::MatrixXd& A, const Eigen::MatrixXd& P) : llt_(A) {
        const Eigen::MatrixXd Li_P = llt_.matrixL().solve(P);                       // L^-1 P
        const Eigen::MatrixXd M = llt_.matrixL().solve(Li_P.transpose());  // L^-1 P L^-T
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(0.5 * (M + M.transpose()));
        s_ = es.eigenvalues().cwiseMax(0.0);
        U_ = es.eigenvectors();
    }

    /// Best GCV over l for the response with B'y = c, y'y = yy (y centred), n points;
    /// updates `best` if better.
    void scan(const Eigen::VectorXd& c, double yy, double n, gcv_choice& best) const {
        const Eigen::VectorXd z = U_.transpose() * llt_.matrixL().solve(c);
        const double rss0 = std::max(0.0, yy - z.squaredNorm());
        double smax = s_.maxCoeff(), smin = smax;
        for (Eigen::Index j = 0; j < s_.size(); ++j)
            if (s_(j) > smax * 1e-12) smin = std::min(smin, s_(j));
        if (!(smax > 0.0)) smax = smin = 1.0;
        const double lo = std::log10(1e-4 / smax), hi = std::log10(1e4 / smin);
        const int steps = std::max(2, int(std::ceil((hi - lo) / 0.05)));
        double best_here = std::numeric_limits<double>::infinity(), best_l = 0.0, best_edf = 0.0, best_rss = 0.0;
        for (int k = 0; k <= steps; ++k) {
            const double l = std::pow(10.0, lo + (hi - lo) * k / steps);
            double edf = 0.0, rss = rss0;
            for (Eigen::Index j = 0; j < s_.size(); ++j) {
                const double ls = l * s_(j), f = 1.0 / (1.0 + ls);
                edf += f;
                rss += z(j) * z(j) * (ls * f) * (ls * f);
            }
            const double dof = n - edf;
            if (!(dof > 0.0)) continue;
            const double g = n * rss / (dof * dof);
            if (g < best_here) {
                best_here = g;
                best_l = l;
                best_edf = edf;
                best_rss = rss;
            }
        }
        if (best_here < best.gcv) {
            best.gcv = best_here;
            best.lambda = best_l;
            best.edf = best_edf;
            best.rss = best_rss;
            Eigen::VectorXd f(s_.size());
            for (Eigen::Index j = 0; j < s_.size(); ++j) f(j) = z(j) / (1.0 + best_l * s_(j));
            best.beta = llt_.matrixU().solve(U_ * f);  // L^-T U f
        }
    }

private:
    Eigen::LLT<Eigen::MatrixXd> llt_;
    Eigen::VectorXd s_;
    Eigen::MatrixXd U_;
};

/// Standardised copies of responses: (y - mean) / scale, one scale for all (the largest
/// standard deviation, 1 if all are constant).
struct standardised {
    std::vector<double> mean;
    double scale = 1.0;
};

inline standardised standardise(std::span<const std::span<const double>> y) {
    standardised s;
    double scale = 0.0;
    for (const auto& col : y) {
        long double m = 0.0L;
        for (double v : col) m += v;
        m /= static_cast<long double>(col.size());
        long double ss = 0.0L;
        for (double v : col) ss += (v - double(m)) * (v - double(m));
        s.mean.push_back(double(m));
        scale = std::max(scale, std::sqrt(double(ss / static_cast<long double>(col.size()))));
    }
    s.scale = scale > 0.0 ? scale : 1.0;
    return s;
}

/// Kronecker product of two dense matrices.
inline Eigen::MatrixXd kronecker(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
    Eigen::MatrixXd k(a.rows() * b.rows(), a.cols() * b.cols());
    for (Eigen::Index i = 0; i < a.rows(); ++i)
        for (Eigen::Index j = 0; j < a.cols(); ++j) k.block(i * b.rows(), j * b.cols(), b.rows(), b.cols()) = a(i, j) * b;
    return k;
}

/// A fitted one- or two-dimensional P-spline smoother (responses share the basis).
class pspline_smoother {
public:
    /// Fits on positions u[0] (one input) or u[0], u[1] (two inputs), all in (0, 1), with
    /// `seg` segments per direction. Responses y[r] of the same length.
    void fit(const std::vector<std::vector<double>>& u, std::span<const std::span<const double>> y,
             std::size_t seg) {
        dims_ = u.size();
        seg_ = seg;
        const std::size_t n = u[0].size();
        const std::size_t k1 = seg + 3;
        const std::size_t K = dims_ == 1 ? k1 : k1 * k1;
        const auto st = standardise(y);
        mean_ = st.mean;
        scale_ = st.scale;
        const std::size_t R = y.size();

        // A = B'B (upper triangle), C = B'Y, yy = Y'Y on standardised responses.
        Eigen::MatrixXd A = Eigen::MatrixXd::Zero(Eigen::Index(K), Eigen::Index(K));
        Eigen::MatrixXd C = Eigen::MatrixXd::Zero(Eigen::Index(K), Eigen::Index(R));
        std::vector<double> yy(R, 0.0), ys(R);
        std::size_t idx[16];
        double w[16];
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t m = row(u, i, idx, w);
            for (std::size_t r = 0; r < R; ++r) {
                ys[r] = (y[r][i] - mean_[r]) / scale_;
                yy[r] += ys[r] * ys[r];
            }
            for (std::size_t a = 0; a < m; ++a) {
                const Eigen::Index ia = Eigen::Index(idx[a]);
                for (std::size_t b = 0; b < m; ++b)
                    if (idx[b] >= idx[a]) A(ia, Eigen::Index(idx[b])) += w[a] * w[b];
                for (std::size_t r = 0; r < R; ++r) C(ia, Eigen::Index(r)) += w[a] * ys[r];
            }
        }
        A = A.selfadjointView<Eigen::Upper>();
        const double ridge = 1e-9 * A.trace() / double(K);
        A.diagonal().array() += ridge;

        std::vector<gcv_choice> best(R);
        const Eigen::MatrixXd D = difference_penalty(k1);
        if (dims_ == 1) {
            const penalised_system sys(A, D);
            for (std::size_t r = 0; r < R; ++r) sys.scan(C.col(Eigen::Index(r)), yy[r], double(n), best[r]);
        } else {
            const Eigen::MatrixXd I = Eigen::MatrixXd::Identity(Eigen::Index(k1), Eigen::Index(k1));
            // Row index j1 * k1 + j2: direction 1 varies slowest.
            const Eigen::MatrixXd P1 = kronecker(D, I);
            const Eigen::MatrixXd P2 = kronecker(I, D);
            // log10 ratio of the second direction's penalty to the first's: a coarse grid,
            // then half-decade refinement around each response's best.
            std::vector<double> ratios;
            for (int e = -4; e <= 4; ++e) ratios.push_back(e);
            std::vector<double> best_ratio(R, 0.0);
            for (double e : ratios) {
                const penalised_system sys(A, P1 + std::pow(10.0, e) * P2);
                for (std::size_t r = 0; r < R; ++r) {
                    const double before = best[r].gcv;
                    sys.scan(C.col(Eigen::Index(r)), yy[r], double(n), best[r]);
                    if (best[r].gcv < before) best_ratio[r] = e;
                }
            }
            // Half a decade either side of each response's best ratio.
            std::vector<double> refine;
            for (std::size_t r = 0; r < R; ++r)
                for (double e : {best_ratio[r] - 0.5, best_ratio[r] + 0.5})
                    if (std::find(refine.begin(), refine.end(), e) == refine.end()) refine.push_back(e);
            std::sort(refine.begin(), refine.end());
            for (double e : refine) {
                const penalised_system sys(A, P1 + std::pow(10.0, e) * P2);
                for (std::size_t r = 0; r < R; ++r)
                    if (std::fabs(best_ratio[r] - e) == 0.5) sys.scan(C.col(Eigen::Index(r)), yy[r], double(n), best[r]);
            }
        }
        beta_.clear();
        edf_.clear();
        r2_.clear();
        for (std::size_t r = 0; r < R; ++r) {
            beta_.push_back(std::move(best[r].beta));
            edf_.push_back(best[r].edf);
            r2_.push_back(yy[r] > 0.0 ? 1.0 - best[r].rss / yy[r] : 0.0);
        }
    }

    /// Prediction of response r at the positions of point i of `u` (same layout as in fit).
    double predict(const std::vector<std::vector<double>>& u, std::size_t i, std::size_t r) const {
        std::size_t idx[16];
        double w[16];
        const std::size_t m = row(u, i, idx, w);
        double s = 0.0;
        for (std::size_t a = 0; a < m; ++a) s += w[a] * beta_[r](Eigen::Index(idx[a]));
        return mean_[r] + scale_ * s;
    }

    const std::vector<double>& edf() const noexcept { return edf_; }
    const std::vector<double>& r_squared() const noexcept { return r2_; }

private:
    std::size_t row(const std::vector<std::vector<double>>& u, std::size_t i, std::size_t* idx, double* w) const {
        const bspline_row a = cubic_bspline(u[0][i], seg_);
        if (dims_ == 1) {
            for (std::size_t k = 0; k < 4; ++k) {
                idx[k] = a.first + k;
                w[k] = a.w[k];
            }
            return 4;
        }
        const bspline_row b = cubic_bspline(u[1][i], seg_);
        const std::size_t k1 = seg_ + 3;
        for (std::size_t p = 0; p < 4; ++p)
            for (std::size_t q = 0; q < 4; ++q) {
                idx[p * 4 + q] = (a.first + p) * k1 + b.first + q;
                w[p * 4 + q] = a.w[p] * b.w[q];
            }
        return 16;
    }

    std::size_t dims_ = 1, seg_ = 1;
    std::vector<double> mean_;
    double scale_ = 1.0;
    std::vector<Eigen::VectorXd> beta_;
    std::vector<double> edf_, r2_;
};

}  // namespace offroi::detail::voi
