#pragma once
/// \file
/// `spearman_matrix(sample)`: the achieved Spearman rank correlations between the columns of
/// a sample (e.g. `sampler::sample(n)`), to compare with the targets a sampler was given.
/// Ranks are mid-ranks (ties share the average of the ranks they span), and the matrix is
/// the Pearson correlation of the ranks, so ties are handled as in the usual definition.

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <vector>

#include "offroi/error.hpp"

namespace offroi {

/// The d x d matrix of Spearman rank correlations between the d columns of an n x d sample
/// (1 on the diagonal; 0 off it for a column with a single distinct value, whose ranks do
/// not vary). O(n d log n + n d^2).
/// \throws invalid_argument for fewer than 2 rows or a NaN entry (naming row and column).
inline Eigen::MatrixXd spearman_matrix(const Eigen::Ref<const Eigen::MatrixXd>& sample) {
    const Eigen::Index n = sample.rows(), d = sample.cols();
    if (n < 2)
        throw invalid_argument("offroi::spearman_matrix: needs at least 2 rows (trials), got " + std::to_string(n));
    Eigen::MatrixXd ranks(n, d);
    std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
    for (Eigen::Index j = 0; j < d; ++j) {
        auto col = sample.col(j);
        for (Eigen::Index i = 0; i < n; ++i)
            if (std::isnan(col(i)))
                throw invalid_argument("offroi::spearman_matrix: sample(" + std::to_string(i) + ", " +
                                       std::to_string(j) + ") is NaN");
        std::iota(order.begin(), order.end(), Eigen::Index{0});
        std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return col(a) < col(b); });
        for (std::size_t k = 0; k < order.size();) {
            std::size_t e = k + 1;
            while (e < order.size() && col(order[e]) == col(order[k])) ++e;
            const double mid = 0.5 * double(k + 1 + e);  // average of 1-based ranks k+1 ... e
            for (std::size_t t = k; t < e; ++t) ranks(order[t], j) = mid;
            k = e;
        }
    }
    const Eigen::RowVectorXd mean = ranks.colwise().mean();
    ranks.rowwise() -= mean;
    Eigen::MatrixXd c = ranks.transpose() * ranks;
    Eigen::VectorXd sd = c.diagonal().cwiseSqrt();
    Eigen::MatrixXd out = Eigen::MatrixXd::Identity(d, d);
    for (Eigen::Index a = 0; a < d; ++a)
        for (Eigen::Index b = 0; b < d; ++b)
            if (a != b) out(a, b) = (sd(a) > 0 && sd(b) > 0) ? c(a, b) / (sd(a) * sd(b)) : 0.0;
    return out;
}

}  // namespace offroi
