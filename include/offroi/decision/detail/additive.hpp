#pragma once
/// \file
/// Internal: an additive model y_r = a_r + sum_j f_rj(u_j) + e of one or more responses on
/// the rank positions u_j of g inputs, each f_rj a cubic P-spline (pspline.hpp) centred over
/// the fitting rows, fitted by backfitting (Hastie and Tibshirani, Generalized Additive
/// Models, 1990, ch. 4) with each component's smoothing chosen by GCV at every update. It is
/// the first stage of the group regression (boosted_trees.hpp): main effects are smooth
/// and cheap to fit this way, and the trees then only have to find the interactions.

#include <Eigen/Dense>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "offroi/decision/detail/pspline.hpp"

namespace offroi::detail::voi {

class additive_spline {
public:
    /// Fits on rows `rows` of the columns u[j] (positions in (0, 1)) and responses y[r].
    /// Writes the residuals y - fit of those rows to res[r][p] (p: index into rows).
    void fit(const std::vector<std::vector<double>>& u, const std::vector<std::uint32_t>& rows,
             std::span<const std::span<const double>> y, std::size_t seg, std::size_t max_sweeps,
             std::vector<std::vector<double>>& res) {
        g_ = u.size();
        R_ = y.size();
        seg_ = seg;
        const std::size_t n = rows.size(), K = seg + 3;
        const Eigen::MatrixXd P = difference_penalty(K);
        std::vector<penalised_system> systems;
        std::vector<Eigen::MatrixXd> A(g_);
        std::vector<Eigen::VectorXd> colsum(g_);
        for (std::size_t j = 0; j < g_; ++j) {
            A[j] = Eigen::MatrixXd::Zero(Eigen::Index(K), Eigen::Index(K));
            colsum[j] = Eigen::VectorXd::Zero(Eigen::Index(K));
            for (std::uint32_t i : rows) {
                const bspline_row b = cubic_bspline(u[j][i], seg);
                for (std::size_t a = 0; a < 4; ++a) {
                    colsum[j](Eigen::Index(b.first + a)) += b.w[a];
                    for (std::size_t c = 0; c < 4; ++c)
                        A[j](Eigen::Index(b.first + a), Eigen::Index(b.first + c)) += b.w[a] * b.w[c];
                }
            }
            A[j].diagonal().array() += 1e-9 * A[j].trace() / double(K);
            systems.emplace_back(A[j], P);
        }
        intercept_.assign(R_, 0.0);
        beta_.assign(R_, std::vector<Eigen::VectorXd>(g_, Eigen::VectorXd::Zero(Eigen::Index(K))));
        res.assign(R_, std::vector<double>(n));
        for (std::size_t r = 0; r < R_; ++r) {
            long double m = 0.0L;
            for (std::uint32_t i : rows) m += y[r][i];
            intercept_[r] = double(m / static_cast<long double>(n));
            for (std::size_t p = 0; p < n; ++p) res[r][p] = y[r][rows[p]] - intercept_[r];
        }
        for (std::size_t r = 0; r < R_; ++r) {
            double sy = 0.0;
            for (double v : res[r]) sy += v * v;
            const double tol = 1e-8 * (sy / double(n)) + 1e-300;  // mean squared change, relative
            for (std::size_t sweep = 0; sweep < max_sweeps; ++sweep) {
                double change = 0.0;
                for (std::size_t j = 0; j < g_; ++j) {
                    // Partial residual z = res + f_j: B'z = B'res + A beta_old; z'z from one pass.
                    Eigen::VectorXd c = A[j] * beta_[r][j];
                    // A's ridge adds 1e-9 tr/K * beta: negligible, harmless.
                    double zz = 0.0;
                    for (std::size_t p = 0; p < n; ++p) {
                        const bspline_row b = cubic_bspline(u[j][rows[p]], seg);
                        double f = 0.0;
                        for (std::size_t a = 0; a < 4; ++a) {
                            c(Eigen::Index(b.first + a)) += b.w[a] * res[r][p];
                            f += b.w[a] * beta_[r][j](Eigen::Index(b.first + a));
                        }
                        const double z = res[r][p] + f;
                        zz += z * z;
                    }
                    gcv_choice best;
                    systems[j].scan(c, zz, double(n), best);
                    Eigen::VectorXd nb = best.beta;
                    nb.array() -= colsum[j].dot(nb) / double(n);  // centre: B-splines sum to 1
                    const Eigen::VectorXd delta = nb - beta_[r][j];
                    double ch = 0.0;
                    for (std::size_t p = 0; p < n; ++p) {
                        const bspline_row b = cubic_bspline(u[j][rows[p]], seg);
                        double f = 0.0;
                        for (std::size_t a = 0; a < 4; ++a) f += b.w[a] * delta(Eigen::Index(b.first + a));
                        res[r][p] -= f;
                        ch += f * f;
                    }
                    beta_[r][j] = nb;
                    change += ch / double(n);
                }
                if (change < tol) break;
            }
        }
    }

    /// a_r + sum_j f_rj at point i of the columns u.
    double predict(const std::vector<std::vector<double>>& u, std::size_t i, std::size_t r) const {
        double s = intercept_[r];
        for (std::size_t j = 0; j < g_; ++j) {
            const bspline_row b = cubic_bspline(u[j][i], seg_);
            for (std::size_t a = 0; a < 4; ++a) s += b.w[a] * beta_[r][j](Eigen::Index(b.first + a));
        }
        return s;
    }

private:
    std::size_t g_ = 0, R_ = 0, seg_ = 1;
    std::vector<double> intercept_;
    std::vector<std::vector<Eigen::VectorXd>> beta_;
};

}  // namespace offroi::detail::voi
