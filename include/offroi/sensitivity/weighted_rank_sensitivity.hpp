#pragma once
/// \file
/// Rank-based sensitivity of an output to its inputs from weighted samples (for example prior
/// draws reweighted by the likelihood of observations, decision/scenario_update.hpp): the
/// weighted counterparts of Spearman's rho, the standardized rank regression coefficients
/// (SRRC, with R^2) and the partial rank correlation coefficients (PRCC) of
/// rank_sensitivity.hpp, so that "what drives the result" is read under the updated
/// distribution, not the prior one.
///
/// Definitions, with normalised weights p_s = w_s / sum w (n samples, d inputs):
///  - the rank score of a value is its weighted mid-rank ECDF, F(v-) + P(V = v) / 2: the
///    weight of the smaller values plus half the weight of the tied ones. For equal weights
///    it is (mid-rank - 1/2) / n, an affine map of the mid-rank, so after standardisation
///    every measure below equals its unweighted counterpart (up to rounding);
///  - scores are standardized with the weighted mean and the weighted (population) standard
///    deviation; a column whose weighted standard deviation is 0 is constant under the weights
///    and gets 0 in every measure (as in rank_sensitivity);
///  - Spearman rho_i: the weighted Pearson correlation sum p z_i z_y of the standardized scores;
///  - SRRC: weighted least squares of the output's scores on the inputs' scores (minimise
///    sum p (z_y - sum_i b_i z_i)^2, by column-pivoting QR of diag(sqrt p) Z), with the
///    weighted R^2 = 1 - sum p r^2 / sum p z_y^2;
///  - PRCC_i = -P_iy / sqrt(P_ii P_yy), P the inverse of the weighted correlation matrix of
///    the scores (the same routine as rank_sensitivity, including its singular-matrix path).
/// What they mean under correlated inputs is as in rank_sensitivity.hpp: rank by |SRRC|.
/// Standard errors grow as 1/sqrt(ESS), not 1/sqrt(n): read the measures with the ESS that
/// `weighted_rank_sensitivity_result::ess` reports.

#include <Eigen/Core>
#include <Eigen/QR>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "offroi/error.hpp"
#include "offroi/sensitivity/model_evaluation.hpp"
#include "offroi/sensitivity/rank_sensitivity.hpp"

namespace offroi {

/// Result of `weighted_rank_sensitivity`; vectors are indexed by input, in column order.
struct weighted_rank_sensitivity_result {
    std::vector<std::string> names;  ///< input names
    std::vector<double> spearman;    ///< weighted rank correlation of each input with the output
    std::vector<double> srrc;        ///< weighted standardized rank regression coefficients
    double srrc_r2 = 0.0;            ///< weighted R^2 of the rank regression
    std::vector<double> prcc;        ///< weighted partial rank correlation coefficients
    std::size_t samples = 0;         ///< n, all samples (zero weights included)
    double ess = 0.0;                ///< Kish effective sample size of the weights
};

namespace detail {

/// Weighted mid-rank ECDF scores F(v-) + P(V = v) / 2 of v under the normalised weights p.
inline Eigen::VectorXd weighted_mid_rank_scores(const Eigen::Ref<const Eigen::VectorXd>& v,
                                                const Eigen::VectorXd& p) {
    const std::size_t n = static_cast<std::size_t>(v.size());
    std::vector<std::uint32_t> idx(n);
    std::iota(idx.begin(), idx.end(), std::uint32_t{0});
    std::stable_sort(idx.begin(), idx.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return v(Eigen::Index(a)) < v(Eigen::Index(b)); });
    Eigen::VectorXd r(v.size());
    double below = 0.0;
    std::size_t i = 0;
    while (i < n) {
        std::size_t j = i;
        double tied = p(Eigen::Index(idx[i]));
        while (j + 1 < n && v(Eigen::Index(idx[j + 1])) == v(Eigen::Index(idx[i]))) tied += p(Eigen::Index(idx[++j]));
        const double score = below + 0.5 * tied;
        for (std::size_t k = i; k <= j; ++k) r(Eigen::Index(idx[k])) = score;
        below += tied;
        i = j + 1;
    }
    return r;
}

/// Centres v on its p-weighted mean and scales it to unit p-weighted standard deviation;
/// returns false (and zeroes v) when v is constant under the weights.
inline bool weighted_standardize(Eigen::VectorXd& v, const Eigen::VectorXd& p) {
    const double m = p.dot(v);
    v.array() -= m;
    const double s = std::sqrt(p.dot(v.cwiseAbs2()));
    if (!(s > 0.0) || s <= 1e-14 * (std::abs(m) + 1.0)) {
        v.setZero();
        return false;
    }
    v /= s;
    return true;
}

}  // namespace detail

/// Weighted Spearman rho, SRRC (with R^2) and PRCC of `output` to the `inputs` under the
/// sample weights `weights` (see the file comment).
/// \param inputs  one column per input, each of n samples.
/// \param output  the n outputs.
/// \param weights the n weights, finite and >= 0, any scale, not all 0.
/// \param names   one name per input, or empty for x1..xd.
/// \param threads worker threads for the ranking (0 = all); results do not depend on it.
/// \throws invalid_argument when there are no inputs, lengths differ, fewer than d + 2
///         samples have positive weight, names has the wrong length, or a value or weight is
///         not finite (or a weight negative), naming the column and row.
inline weighted_rank_sensitivity_result weighted_rank_sensitivity(const std::vector<std::span<const double>>& inputs,
                                                                  std::span<const double> output,
                                                                  std::span<const double> weights,
                                                                  const std::vector<std::string>& names = {},
                                                                  unsigned threads = 0) {
    constexpr const char* fn = "weighted_rank_sensitivity";
    const std::size_t d = inputs.size();
    const std::size_t n = output.size();
    if (d == 0) throw invalid_argument("weighted_rank_sensitivity: no input columns");
    if (weights.size() != n)
        throw invalid_argument("weighted_rank_sensitivity: the output has " + std::to_string(n) + " values but there are " +
                               std::to_string(weights.size()) + " weights; they must match");
    for (std::size_t i = 0; i < d; ++i)
        if (inputs[i].size() != n)
            throw invalid_argument("weighted_rank_sensitivity: input column " + std::to_string(i) + " has " +
                                   std::to_string(inputs[i].size()) + " samples but the output has " +
                                   std::to_string(n) + "; they must match");
    weighted_rank_sensitivity_result res;
    res.names = detail::input_names(names, d, fn);
    res.samples = n;
    double sum = 0.0, sum2 = 0.0;
    std::size_t positive = 0;
    for (std::size_t r = 0; r < n; ++r) {
        if (!std::isfinite(weights[r]) || weights[r] < 0.0)
            detail::throw_invalid(fn, "weights[" + std::to_string(r) + "]", weights[r], "weights must be finite and >= 0");
        if (!std::isfinite(output[r]))
            detail::throw_invalid(fn, "output at row " + std::to_string(r), output[r], "must be finite");
        for (std::size_t i = 0; i < d; ++i)
            if (!std::isfinite(inputs[i][r]))
                detail::throw_invalid(fn, "input " + res.names[i] + " at row " + std::to_string(r), inputs[i][r],
                                      "must be finite");
        sum += weights[r];
        sum2 += weights[r] * weights[r];
        positive += weights[r] > 0.0;
    }
    if (positive < d + 2)
        detail::throw_invalid(fn, "number of samples with positive weight", double(positive),
                              "need more than inputs + 1 (" + std::to_string(d + 1) + ")");
    res.ess = sum * sum / sum2;
    const Eigen::Index N = Eigen::Index(n);
    Eigen::VectorXd p = Eigen::Map<const Eigen::VectorXd>(weights.data(), N) / sum;

    Eigen::MatrixXd Z(N, Eigen::Index(d));
    Eigen::VectorXd zy;
    std::vector<char> varies(d + 1);
    detail::parallel_tasks(d + 1, threads, [&](std::size_t i) {
        if (i == d) {
            zy = detail::weighted_mid_rank_scores(Eigen::Map<const Eigen::VectorXd>(output.data(), N), p);
            varies[d] = detail::weighted_standardize(zy, p);
            return;
        }
        Eigen::VectorXd z = detail::weighted_mid_rank_scores(Eigen::Map<const Eigen::VectorXd>(inputs[i].data(), N), p);
        varies[i] = detail::weighted_standardize(z, p);
        Z.col(Eigen::Index(i)) = z;
    });
    const bool y_varies = varies[d];
    varies.pop_back();
    res.spearman.assign(d, 0.0);
    res.srrc.assign(d, 0.0);
    res.prcc.assign(d, 0.0);
    if (!y_varies) return res;
    for (std::size_t i = 0; i < d; ++i)
        if (varies[i]) res.spearman[i] = (Z.col(Eigen::Index(i)).cwiseProduct(p)).dot(zy);

    std::vector<Eigen::Index> cols;
    for (std::size_t i = 0; i < d; ++i)
        if (varies[i]) cols.push_back(Eigen::Index(i));
    if (cols.empty()) return res;
    const Eigen::Index m = Eigen::Index(cols.size());
    const Eigen::VectorXd sp = p.cwiseSqrt();
    Eigen::MatrixXd M(N, m);
    for (Eigen::Index k = 0; k < m; ++k) M.col(k) = Z.col(cols[std::size_t(k)]).cwiseProduct(sp);
    const Eigen::VectorXd yw = zy.cwiseProduct(sp);
    const Eigen::VectorXd b = M.colPivHouseholderQr().solve(yw);
    for (Eigen::Index k = 0; k < m; ++k) res.srrc[std::size_t(cols[std::size_t(k)])] = b(k);
    const double ss_tot = yw.squaredNorm();
    res.srrc_r2 = ss_tot > 0.0 ? 1.0 - (yw - M * b).squaredNorm() / ss_tot : 0.0;

    // Weighted correlation matrix of the varying inputs' scores and the output's.
    Eigen::MatrixXd C(m + 1, m + 1);
    C.topLeftCorner(m, m) = M.transpose() * M;
    const Eigen::VectorXd cy = M.transpose() * yw;
    C.block(0, m, m, 1) = cy;
    C.block(m, 0, 1, m) = cy.transpose();
    C(m, m) = ss_tot;
    const std::vector<double> r = detail::partial_correlations_with_last(C);
    for (Eigen::Index k = 0; k < m; ++k) res.prcc[std::size_t(cols[std::size_t(k)])] = r[std::size_t(k)];
    return res;
}

}  // namespace offroi
