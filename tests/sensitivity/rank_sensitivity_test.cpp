#include <doctest/doctest.h>

#include <Eigen/Core>

#include <cmath>
#include <span>
#include <vector>

#include "offroi/random/philox.hpp"
#include "offroi/sensitivity/rank_sensitivity.hpp"

namespace {

// n samples of 3 independent U(0, 1) inputs from Philox at a fixed seed.
Eigen::MatrixXd uniform_samples(Eigen::Index n, std::uint64_t seed) {
    offroi::philox_stream s(seed, offroi::stream_id("rank_test"));
    Eigen::MatrixXd X(n, 3);
    for (Eigen::Index r = 0; r < n; ++r)
        for (Eigen::Index c = 0; c < 3; ++c) X(r, c) = s.uniform(std::uint64_t(r), std::uint64_t(c));
    return X;
}

}  // namespace

TEST_CASE("mid-ranks average ties") {
    Eigen::VectorXd v(5);
    v << 3.0, 1.0, 3.0, 2.0, 3.0;
    const auto r = offroi::detail::mid_ranks(v);
    CHECK(r(1) == 1.0);
    CHECK(r(3) == 2.0);
    CHECK(r(0) == 4.0);
    CHECK(r(2) == 4.0);
    CHECK(r(4) == 4.0);
}

TEST_CASE("radix-sorted mid-ranks equal a direct count, with ties, negatives and -0") {
    // rank(v_i) = #{v_j < v_i} + (#{v_j == v_i} + 1) / 2, checked on n = 20000 > 4096 values
    // drawn from 101 levels (many ties) in [-50, 50], some of them -0.0.
    const std::size_t n = 20000;
    offroi::philox_stream s(3, offroi::stream_id("ranks"));
    Eigen::VectorXd v(static_cast<Eigen::Index>(n));
    for (std::size_t i = 0; i < n; ++i) {
        v(Eigen::Index(i)) = std::floor(s.uniform(i) * 101.0) - 50.0;
        if (v(Eigen::Index(i)) == 0.0 && i % 2) v(Eigen::Index(i)) = -0.0;
    }
    std::vector<std::size_t> below(101, 0), equal(101, 0);
    for (std::size_t i = 0; i < n; ++i) ++equal[std::size_t(v(Eigen::Index(i)) + 50.0)];
    for (std::size_t k = 1; k < 101; ++k) below[k] = below[k - 1] + equal[k - 1];
    const auto r = offroi::detail::mid_ranks(v);
    for (std::size_t i = 0; i < n; i += 7) {
        const std::size_t k = std::size_t(v(Eigen::Index(i)) + 50.0);
        CHECK(r(Eigen::Index(i)) == double(below[k]) + (double(equal[k]) + 1.0) / 2.0);
    }
}

TEST_CASE("linear model: squared SRC equal the Sobol' indices; SRRC^2 close") {
    const Eigen::Index n = 100000;
    const Eigen::MatrixXd X = uniform_samples(n, 3);
    const Eigen::VectorXd y = X.col(0) + 2.0 * X.col(1) + 3.0 * X.col(2);
    const auto r = offroi::rank_sensitivity(X, y, {"a", "b", "c"});
    const auto r1 = offroi::rank_sensitivity(X, y, {"a", "b", "c"}, 1);
    for (std::size_t i = 0; i < 3; ++i) {  // thread count changes nothing
        CHECK(r1.srrc[i] == r.srrc[i]);
        CHECK(r1.spearman[i] == r.spearman[i]);
    }
    const std::vector<double> S = {1.0 / 14.0, 4.0 / 14.0, 9.0 / 14.0};
    // The model is exactly linear: R^2 = 1 and SRC_i^2 = c_i^2 s_i^2 / s_y^2, which differs
    // from S_i only through sample variances/covariances: relative SE about 1.3 / sqrt(n)
    // (uniform kurtosis 1.8), so 5 SE = 0.021 at n = 1e5 (absolute, S_i <= 1).
    CHECK(r.src_r2 == doctest::Approx(1.0).epsilon(1e-12));
    const double tol = 5.0 * 1.3 / std::sqrt(double(n));
    for (std::size_t i = 0; i < 3; ++i) CHECK(std::abs(r.src[i] * r.src[i] - S[i]) < tol);
    // SRRC^2: the rank transform of y is not linear, so SRRC^2 has a bias; its population
    // values, from n = 1e6 with scipy, are (0.06395, 0.26608, 0.65244), R^2 = 0.98248.
    const std::vector<double> srrc2 = {0.06395, 0.26608, 0.65244};
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(std::abs(r.srrc[i] * r.srrc[i] - srrc2[i]) < tol);
        CHECK(std::abs(r.srrc[i] * r.srrc[i] - S[i]) < 0.025);
    }
    CHECK(r.srrc_r2 == doctest::Approx(0.98248).epsilon(0.005));
    // Spearman correlations are positive and ordered; contributions sum to 1.
    CHECK(r.spearman[0] < r.spearman[1]);
    CHECK(r.spearman[1] < r.spearman[2]);
    double sum = 0.0;
    for (double c : r.contribution_to_variance) sum += std::abs(c);
    CHECK(sum == doctest::Approx(1.0));
    // Population values (scipy, n = 1e6): contribution (0.0650, 0.2706, 0.6644).
    CHECK(r.contribution_to_variance[2] == doctest::Approx(0.6644).epsilon(0.02));
    CHECK(r.names[1] == "b");
    CHECK(r.samples == std::size_t(n));
}

TEST_CASE("Spearman of a monotone transform is 1, sign follows the direction") {
    const Eigen::MatrixXd X = uniform_samples(2000, 5);
    Eigen::VectorXd y(X.rows());
    for (Eigen::Index r = 0; r < X.rows(); ++r) y(r) = -std::exp(5.0 * X(r, 1));
    const auto res = offroi::rank_sensitivity(X, y);
    CHECK(res.spearman[1] == doctest::Approx(-1.0).epsilon(1e-12));
    CHECK(res.contribution_to_variance[1] < -0.99);
    CHECK(res.srrc[1] == doctest::Approx(-1.0).epsilon(1e-9));
    CHECK(res.srrc_r2 == doctest::Approx(1.0).epsilon(1e-9));
    // Unrelated inputs: |rho| within 5 / sqrt(n - 1) of 0.
    CHECK(std::abs(res.spearman[0]) < 5.0 / std::sqrt(1999.0));
    CHECK(std::abs(res.spearman[2]) < 5.0 / std::sqrt(1999.0));
}

TEST_CASE("constant inputs and outputs give zeros, not NaN") {
    Eigen::MatrixXd X = uniform_samples(500, 9);
    X.col(2).setConstant(4.0);
    const Eigen::VectorXd y = X.col(0) - X.col(1);
    const auto r = offroi::rank_sensitivity(X, y);
    CHECK(r.spearman[2] == 0.0);
    CHECK(r.srrc[2] == 0.0);
    CHECK(r.src[2] == 0.0);
    CHECK(r.src_r2 == doctest::Approx(1.0));
    const auto c = offroi::rank_sensitivity(X, Eigen::VectorXd::Constant(500, 1.0));
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(c.spearman[i] == 0.0);
        CHECK(c.srrc[i] == 0.0);
    }
}

TEST_CASE("invalid samples throw offroi::invalid_argument") {
    const Eigen::MatrixXd X = uniform_samples(10, 1);
    CHECK_THROWS_AS(offroi::rank_sensitivity(X, Eigen::VectorXd::Zero(9)), offroi::invalid_argument);
    CHECK_THROWS_AS(offroi::rank_sensitivity(X.topRows(4), Eigen::VectorXd::Zero(4)),
                    offroi::invalid_argument);
    CHECK_THROWS_AS(offroi::rank_sensitivity(Eigen::MatrixXd(10, 0), Eigen::VectorXd::Zero(10)),
                    offroi::invalid_argument);
    CHECK_THROWS_AS(offroi::rank_sensitivity(X, X.col(0), {"a"}), offroi::invalid_argument);
    Eigen::VectorXd y = X.col(0);
    y(3) = std::nan("");
    CHECK_THROWS_WITH_AS(offroi::rank_sensitivity(X, y), doctest::Contains("output at row 3"),
                         offroi::invalid_argument);
}

TEST_CASE("span-of-columns form gives the same numbers as the matrix form") {
    const Eigen::MatrixXd X = uniform_samples(300, 12);
    const Eigen::VectorXd y = X.col(0).array().square() + X.col(2).array();
    std::vector<std::vector<double>> cols(3, std::vector<double>(300));
    for (int c = 0; c < 3; ++c)
        for (int r = 0; r < 300; ++r) cols[std::size_t(c)][std::size_t(r)] = X(r, c);
    std::vector<double> out(y.data(), y.data() + 300);
    const auto a = offroi::rank_sensitivity(X, y);
    const auto b = offroi::rank_sensitivity(
        std::vector<std::span<const double>>{cols[0], cols[1], cols[2]}, out);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(a.spearman[i] == b.spearman[i]);
        CHECK(a.srrc[i] == b.srrc[i]);
    }
    cols[1].pop_back();
    CHECK_THROWS_WITH_AS(offroi::rank_sensitivity(
                             std::vector<std::span<const double>>{cols[0], cols[1], cols[2]}, out),
                         doctest::Contains("input column 1 has 299"), offroi::invalid_argument);
}
