#include <doctest/doctest.h>

#include <Eigen/Core>

#include <Eigen/QR>

#include <algorithm>
#include <bit>
#include <numeric>
#include <cmath>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "offroi/distributions/detail/normal_math.hpp"
#include "offroi/random/philox.hpp"
#include "offroi/sampling/gaussian_copula.hpp"
#include "offroi/sensitivity/rank_sensitivity.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace sensitivity_rank_sensitivity_test {

namespace {

// n samples of `cols` (default 3) independent U(0, 1) inputs from Philox at a fixed seed;
// column c is the same for any `cols`.
Eigen::MatrixXd uniform_samples(Eigen::Index n, std::uint64_t seed, Eigen::Index cols = 3) {
    offroi::philox_stream s(seed, offroi::stream_id("rank_test"));
    Eigen::MatrixXd X(n, cols);
    for (Eigen::Index r = 0; r < n; ++r)
        for (Eigen::Index c = 0; c < cols; ++c) X(r, c) = s.uniform(std::uint64_t(r), std::uint64_t(c));
    return X;
}

// PRCC from its definition, independently of the library's C^-1 route: mid-ranks,
// least squares (with a constant) of rank(x_i) and of rank(y) on the other inputs' ranks,
// Pearson correlation of the two residuals.
std::vector<double> prcc_by_regression(const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
    const Eigen::Index n = X.rows(), d = X.cols();
    Eigen::MatrixXd R(n, d);
    for (Eigen::Index j = 0; j < d; ++j) R.col(j) = offroi::detail::mid_ranks(X.col(j));
    const Eigen::VectorXd ry = offroi::detail::mid_ranks(y);
    std::vector<double> out(std::size_t(d), 0.0);
    for (Eigen::Index i = 0; i < d; ++i) {
        Eigen::MatrixXd A(n, d);  // constant + the other d - 1 rank columns
        A.col(0).setOnes();
        for (Eigen::Index j = 0, k = 1; j < d; ++j)
            if (j != i) A.col(k++) = R.col(j);
        const auto qr = A.colPivHouseholderQr();
        const Eigen::VectorXd ex = R.col(i) - A * qr.solve(Eigen::VectorXd(R.col(i)));
        const Eigen::VectorXd ey = ry - A * qr.solve(ry);
        out[std::size_t(i)] = ex.dot(ey) / std::sqrt(ex.squaredNorm() * ey.squaredNorm());
    }
    return out;
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

TEST_CASE("sort_order_keys: a stable sort by value and the keys in order, both digit widths") {
    // 11-bit digits up to 2^16 values, 8-bit past; ties, -0/+0, infinities, a column where
    // every key shares most digits, and all-equal columns (no pass at all).
    for (const std::size_t n : {std::size_t(0), std::size_t(1), std::size_t(2), std::size_t(1000),
                                std::size_t(65536), std::size_t(70001)})
        for (int kind = 0; kind < 4; ++kind) {
            CAPTURE(n);
            CAPTURE(kind);
            offroi::philox_stream s(11, offroi::stream_id("sort keys"));
            std::vector<double> x(n);
            for (std::size_t i = 0; i < n; ++i) {
                const double u = s.uniform(i);
                x[i] = kind == 0   ? u - 0.5
                       : kind == 1 ? std::floor(u * 41.0) - 20.0  // many ties, some -0
                       : kind == 2 ? 1.0 + std::ldexp(std::floor(u * 4096.0), -40)  // low digits only
                                   : 7.0;  // constant
                if (kind == 1 && x[i] == 0.0 && i % 2) x[i] = -0.0;
                if (kind == 0 && i % 97 == 5) x[i] = (i % 2) ? INFINITY : -INFINITY;
            }
            std::vector<std::uint32_t> want(n), got(n, 0);
            std::iota(want.begin(), want.end(), 0u);
            std::stable_sort(want.begin(), want.end(), [&](std::uint32_t a, std::uint32_t b) { return x[a] < x[b]; });
            offroi::detail::sort_scratch w;
            const std::uint64_t* key = offroi::detail::sort_order_keys(x.data(), n, w, got.data());
            CHECK(got == want);
            bool keys_ok = true;
            for (std::size_t r = 0; r < n; ++r) keys_ok = keys_ok && key[r] == offroi::detail::order_key(x[want[r]]);
            CHECK(keys_ok);
            std::vector<std::uint32_t> again(n, 0);
            offroi::detail::sort_order(x.data(), n, w, again.data());  // the scratch reused
            CHECK(again == want);
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
        CHECK(r1.prcc[i] == r.prcc[i]);
        CHECK(r1.spearman[i] == r.spearman[i]);
    }
    const std::vector<double> S = {1.0 / 14.0, 4.0 / 14.0, 9.0 / 14.0};
    // The model is exactly linear: R^2 = 1 and SRC_i^2 = c_i^2 s_i^2 / s_y^2, which differs
    // from S_i only through sample variances/covariances: relative SE about 1.3 / sqrt(n)
    // (uniform kurtosis 1.8), so 5 SE = 0.021 at n = 1e5 (absolute, S_i <= 1).
    CHECK(r.src_r2 == doctest::Approx(1.0).epsilon(1e-12));
    const double tol = 5.0 * 1.3 / std::sqrt(double(n));
    for (std::size_t i = 0; i < 3; ++i) CHECK(std::abs(r.src[i] * r.src[i] - S[i]) < tol);
    // SRRC^2: the rank transform of y is not linear, so SRRC^2 has a bias. With independent
    // inputs the population SRRC_i is the population Spearman rho_i = 12 E[x_i F_y(y)] - 3,
    // which is exact in rationals (F_y is the box spline of 1, 2, 3): rho^2 = (0.063763,
    // 0.265852, 0.651764), R^2 = sum rho_i^2 = 0.981379 (checked against numpy at n = 2e6:
    // R^2 = 0.981362).
    const std::vector<double> srrc2 = {0.0637630, 0.2658521, 0.6517643};
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(std::abs(r.srrc[i] * r.srrc[i] - srrc2[i]) < tol);
        CHECK(std::abs(r.srrc[i] * r.srrc[i] - S[i]) < 0.025);
    }
    CHECK(r.srrc_r2 == doctest::Approx(0.981379).epsilon(0.001));
    // PRCC: with independent inputs the population partial rank correlation is
    // rho_i / sqrt(1 - sum_{j != i} rho_j^2) (the others' ranks are linear in the inputs, so
    // the residual of rank(x_i) is rank(x_i) itself and the residual variance of rank(y) is
    // 1 - sum_{j != i} rho_j^2): (0.879759, 0.966718, 0.986014). y has no noise, so its
    // residual is only the curvature of the rank transform and Fisher's SE (1 - r^2) /
    // sqrt(n) understates the spread ~2.5-fold; the standard deviations over 150 replicates
    // at this n (numpy) were (0.58, 0.18, 0.071) / sqrt(n): 5 of them as tolerance.
    const std::vector<double> prcc = {0.879759167, 0.966717790, 0.986014170};
    const std::vector<double> prcc_sd = {0.58, 0.18, 0.071};
    for (std::size_t i = 0; i < 3; ++i)
        CHECK(std::abs(r.prcc[i] - prcc[i]) < 5.0 * prcc_sd[i] / std::sqrt(double(n)));
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
    // rank(y) is an exact linear function of rank(x_2): the correlation matrix of the ranks
    // is singular. x_2's residuals and y's are then the same up to sign (PRCC -1); the
    // others have nothing of y left to explain once x_2 is fixed (0, not NaN).
    CHECK(res.prcc[1] == doctest::Approx(-1.0).epsilon(1e-9));
    CHECK(res.prcc[0] == 0.0);
    CHECK(res.prcc[2] == 0.0);
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
    CHECK(r.prcc[2] == 0.0);
    CHECK(r.src_r2 == doctest::Approx(1.0));
    // The constant column is left out of the PRCC too: the others match the definition
    // computed on the two varying columns alone.
    const auto ref = prcc_by_regression(X.leftCols(2), y);
    CHECK(r.prcc[0] == doctest::Approx(ref[0]).epsilon(1e-10));
    CHECK(r.prcc[1] == doctest::Approx(ref[1]).epsilon(1e-10));
    for (const unsigned threads : {1u, 2u}) {
        const auto c = offroi::rank_sensitivity(X, Eigen::VectorXd::Constant(500, 1.0), {}, threads);
        REQUIRE(c.src.size() == 3);
        for (std::size_t i = 0; i < 3; ++i) {
            CHECK(c.spearman[i] == 0.0);
            CHECK(c.srrc[i] == 0.0);
            CHECK(c.prcc[i] == 0.0);
            CHECK(c.src[i] == 0.0);  // the value side runs beside the ranks: its results dropped
            CHECK(c.contribution_to_variance[i] == 0.0);
        }
        CHECK(c.srrc_r2 == 0.0);
        CHECK(c.src_r2 == 0.0);
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
        CHECK(a.prcc[i] == b.prcc[i]);
    }
    cols[1].pop_back();
    CHECK_THROWS_WITH_AS(offroi::rank_sensitivity(
                             std::vector<std::span<const double>>{cols[0], cols[1], cols[2]}, out),
                         doctest::Contains("input column 1 has 299"), offroi::invalid_argument);
}

TEST_CASE("PRCC from the inverse correlation matrix equals the residual-correlation definition") {
    // Correlated, non-linear, non-monotone in x_4, with ties (x_4 on 7 levels) and noise.
    const Eigen::Index n = 3000;
    const Eigen::MatrixXd U = uniform_samples(n, 21, 5);
    Eigen::MatrixXd X(n, 4);
    X.col(0) = U.col(0);
    X.col(1) = 0.6 * U.col(0) + 0.4 * U.col(1);
    X.col(2) = (U.col(2).array() * 7.0).floor();
    X.col(3) = U.col(3) - 0.5 * U.col(0);
    Eigen::VectorXd y(n);
    for (Eigen::Index r = 0; r < n; ++r)
        y(r) = std::exp(2.0 * X(r, 0)) * X(r, 1) - 0.3 * (X(r, 2) - 3.0) * (X(r, 2) - 3.0) + 0.2 * X(r, 3) +
               0.5 * U(r, 4);
    const auto res = offroi::rank_sensitivity(X, y);
    const auto ref = prcc_by_regression(X, y);
    for (std::size_t i = 0; i < 4; ++i) {
        CAPTURE(i);
        CHECK(res.prcc[i] == doctest::Approx(ref[i]).epsilon(1e-10).scale(1e-12));
        // Same sign as SRRC (Frisch-Waugh: PRCC_i = SRRC_i sqrt(Var(x_i | rest) / Var(y | rest))).
        CHECK(res.prcc[i] * res.srrc[i] >= 0.0);
    }
    // One input: the partial correlation given nothing is the Spearman correlation.
    const auto one = offroi::rank_sensitivity(X.leftCols(1), y);
    CHECK(one.prcc[0] == doctest::Approx(one.spearman[0]).epsilon(1e-12));
}

TEST_CASE("PRCC, linear model with independent uniforms and noise: the analytic partial rank correlation") {
    // y = x1 + 2 x2 + 3 x3 + 3 e, all U(0, 1), e not an input. Population Spearman
    // rho_i = 12 E[x_i F_y(y)] - 3 with F_y the box spline of (1, 2, 3, 3), exact in
    // rationals: rho = (0.199239, 0.403552, 0.620265). Inputs independent, so the partial
    // rank correlation is rho_i / sqrt(1 - sum_{j != i} rho_j^2) = (0.296213, 0.531923,
    // 0.694586) (numpy, n = 2e6: 0.29565, 0.53177, 0.69445). Tolerance: 4 Fisher standard
    // errors (1 - r^2) / sqrt(n - 5); over 150 replicates at this n the spread was 0.90-0.98 of it.
    const Eigen::Index n = 100000;
    const Eigen::MatrixXd U = uniform_samples(n, 4, 4);
    const Eigen::VectorXd y = U.col(0) + 2.0 * U.col(1) + 3.0 * U.col(2) + 3.0 * U.col(3);
    const auto r = offroi::rank_sensitivity(U.leftCols(3), y, {"a", "b", "c"});
    const std::vector<double> prcc = {0.296213344, 0.531922653, 0.694585813};
    const std::vector<double> rho = {0.199238806, 0.403551832, 0.620265448};
    for (std::size_t i = 0; i < 3; ++i) {
        CAPTURE(i);
        const double se = (1.0 - prcc[i] * prcc[i]) / std::sqrt(double(n) - 5.0);
        CHECK(std::abs(r.prcc[i] - prcc[i]) < 4.0 * se);
        // Far above rho: the partial measure is not the total one.
        CHECK(r.prcc[i] - rho[i] > 20.0 * se);
        CHECK(std::abs(r.spearman[i] - rho[i]) < 4.0 / std::sqrt(double(n)));
    }
}

TEST_CASE("correlated inputs (Gaussian copula): an input with no effect has PRCC ~ 0 but Spearman ~ 0.36") {
    // x1, x2, x3 standard normal with Spearman (x1, x2) = 0.3, (x1, x3) = 0.7, (x2, x3) = 0
    // (offroi::gaussian_copula); y = x1 + x2 + e, e ~ N(0, 1) independent. x3 is not in y
    // but rides on x1: population Spearman(x3, y) = 0.3615. Population values (numpy,
    // 4 x 4e6 draws): PRCC = (0.5192, 0.6474, -0.0011 +- 0.0003), SRRC = (0.518, 0.517,
    // -0.0009). PRCC_3 is not exactly 0 (rank transforms bend the linear model: -0.029 without
    // the noise e, where Var(y | x1, x2) is tiny), but -0.0011 is 0.15 of this test's SE.
    // SE of a partial correlation near 0 given 2 others: 1 / sqrt(n - 5) (Fisher); the
    // spread over 300 replicates at n = 2e4 was 1.01 / sqrt(n) for PRCC_3 and 0.82 / sqrt(n)
    // for SRRC_3.
    const std::size_t n = 20000;
    Eigen::MatrixXd S(3, 3);
    S << 1.0, 0.3, 0.7, 0.3, 1.0, 0.0, 0.7, 0.0, 1.0;
    const offroi::gaussian_copula copula(S);
    const offroi::philox_stream s(5, offroi::stream_id("prcc_copula"));
    std::vector<std::vector<double>> u(4, std::vector<double>(n));
    for (std::size_t c = 0; c < 4; ++c) s.fill(0, n, c, u[c].data());
    double* cols[3] = {u[0].data(), u[1].data(), u[2].data()};
    copula.apply(n, cols);
    Eigen::MatrixXd X(Eigen::Index(n), 3);
    Eigen::VectorXd y = Eigen::VectorXd::Zero(Eigen::Index(n));
    for (std::size_t t = 0; t < n; ++t) {
        for (std::size_t c = 0; c < 3; ++c)
            X(Eigen::Index(t), Eigen::Index(c)) = offroi::detail::normal_quantile(u[c][t]);
        y(Eigen::Index(t)) = X(Eigen::Index(t), 0) + X(Eigen::Index(t), 1) + offroi::detail::normal_quantile(u[3][t]);
    }
    const auto r = offroi::rank_sensitivity(X, y, {"x1", "x2", "x3"});
    const double se0 = 1.0 / std::sqrt(double(n) - 5.0);
    INFO("x3: spearman " << r.spearman[2] << ", srrc " << r.srrc[2] << ", prcc " << r.prcc[2]);
    CHECK(std::abs(r.prcc[2]) < 4.0 * se0);
    CHECK(std::abs(r.srrc[2]) < 4.0 * 0.82 / std::sqrt(double(n)));
    CHECK(r.spearman[2] > 0.30);  // clearly not 0: > 40 standard errors
    CHECK(std::abs(r.spearman[2] - 0.3615) < 4.0 * 0.9 / std::sqrt(double(n)));
    const std::vector<double> prcc = {0.5192, 0.6474};
    for (std::size_t i = 0; i < 2; ++i) {
        CAPTURE(i);
        CHECK(std::abs(r.prcc[i] - prcc[i]) < 4.0 * (1.0 - prcc[i] * prcc[i]) * se0);
    }
}

TEST_CASE("PRCC with collinear inputs: finite, 0 for the duplicated pair, the definition for the rest") {
    // x3 is a copy of x1: the rank correlation matrix is singular. Given the copy, x1 has no
    // residual (and vice versa): PRCC 0 for both. x2's PRCC given {x1, x3} is its PRCC
    // given x1 alone.
    const Eigen::Index n = 2000;
    const Eigen::MatrixXd U = uniform_samples(n, 8, 4);
    Eigen::MatrixXd X(n, 3);
    X.col(0) = U.col(0);
    X.col(1) = U.col(1);
    X.col(2) = U.col(0);
    const Eigen::VectorXd y = U.col(0) + U.col(1) + U.col(3);
    const auto r = offroi::rank_sensitivity(X, y);
    for (double v : r.prcc) CHECK(std::isfinite(v));
    CHECK(r.prcc[0] == 0.0);
    CHECK(r.prcc[2] == 0.0);
    const auto ref = prcc_by_regression(X.leftCols(2), y);
    CHECK(r.prcc[1] == doctest::Approx(ref[1]).epsilon(1e-9));
    CHECK(r.prcc[1] > 0.5);
    // The singular branch agrees with the inverse branch where both apply: y = x1 exactly
    // (in ranks) with corr(x1, x2) = 0.5 -> PRCC (1, 0).
    Eigen::Matrix3d C;
    C << 1.0, 0.5, 1.0, 0.5, 1.0, 0.5, 1.0, 0.5, 1.0;
    const auto p = offroi::detail::partial_correlations_with_last(C);
    CHECK(p[0] == doctest::Approx(1.0).epsilon(1e-12));
    CHECK(p[1] == 0.0);
    // A regular matrix: -P_iy / sqrt(P_ii P_yy) against the closed form for two inputs,
    // r_{1y.2} = (r_1y - r_12 r_2y) / sqrt((1 - r_12^2)(1 - r_2y^2)).
    C << 1.0, 0.5, 0.6, 0.5, 1.0, 0.2, 0.6, 0.2, 1.0;
    const auto q = offroi::detail::partial_correlations_with_last(C);
    CHECK(q[0] == doctest::Approx((0.6 - 0.5 * 0.2) / std::sqrt((1 - 0.25) * (1 - 0.04))).epsilon(1e-12));
    CHECK(q[1] == doctest::Approx((0.2 - 0.5 * 0.6) / std::sqrt((1 - 0.25) * (1 - 0.36))).epsilon(1e-12));
}

namespace {

// The rank analysis as it was before the inputs were ranked once into shared 64-byte
// aligned work matrices (commit 1b90594): a MatrixXd of standardized ranks and one of
// standardized values, the regressions from the MatrixXd's Gram matrix (normal equations,
// `gram_regression`) or, when it is nearly singular, on MatrixXd copies of the varying
// columns (colPivHouseholderQr), PRCC from the library's C^-1 route. The library must give
// these bits exactly.
struct reference_result {
    std::vector<double> spearman, srrc, prcc, src;
    double srrc_r2 = 0.0, src_r2 = 0.0;
};

double reference_regression(const Eigen::MatrixXd& Z, const std::vector<char>& varies, const Eigen::VectorXd& zy,
                            std::vector<double>& coef, bool use_gram = true) {
    coef.assign(varies.size(), 0.0);
    std::vector<Eigen::Index> cols;
    for (std::size_t i = 0; i < varies.size(); ++i)
        if (varies[i]) cols.push_back(Eigen::Index(i));
    if (cols.empty()) return 0.0;
    if (use_gram) {
        const double n = double(Z.rows());
        Eigen::MatrixXd G = Eigen::MatrixXd::Zero(Z.cols(), Z.cols());
        G.selfadjointView<Eigen::Lower>().rankUpdate(Z.transpose(), 1.0 / n);
        const Eigen::VectorXd g = Z.transpose() * zy / n;
        Eigen::VectorXd b;
        double r2 = 0.0;
        if (offroi::detail::gram_regression(G, g, cols, zy.squaredNorm() / n, b, r2)) {
            for (std::size_t k = 0; k < cols.size(); ++k) coef[std::size_t(cols[k])] = b(Eigen::Index(k));
            return r2;
        }
    }
    Eigen::MatrixXd M(Z.rows(), Eigen::Index(cols.size()));
    for (std::size_t k = 0; k < cols.size(); ++k) M.col(Eigen::Index(k)) = Z.col(cols[k]);
    const Eigen::VectorXd b = M.colPivHouseholderQr().solve(zy);
    for (std::size_t k = 0; k < cols.size(); ++k) coef[std::size_t(cols[k])] = b(Eigen::Index(k));
    const double ss_tot = zy.squaredNorm();
    const double ss_res = (zy - M * b).squaredNorm();
    return ss_tot > 0.0 ? 1.0 - ss_res / ss_tot : 0.0;
}

reference_result reference_rank_sensitivity(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                                            bool use_gram = true) {
    const Eigen::Index n = X.rows(), d = X.cols();
    Eigen::MatrixXd Zr(n, d), Zx(n, d);
    std::vector<char> varies(static_cast<std::size_t>(d));
    for (Eigen::Index i = 0; i < d; ++i) {
        Eigen::VectorXd r = offroi::detail::mid_ranks(X.col(i));
        Eigen::VectorXd x = X.col(i);
        varies[std::size_t(i)] = offroi::detail::standardize(r);
        if (x.allFinite()) offroi::detail::standardize(x);
        else x = r;
        Zr.col(i) = r;
        Zx.col(i) = x;
    }
    Eigen::VectorXd ry = offroi::detail::mid_ranks(y), zy = y;
    const bool y_varies = offroi::detail::standardize(ry);
    offroi::detail::standardize(zy);
    reference_result res;
    res.spearman.assign(std::size_t(d), 0.0);
    if (!y_varies) {
        res.srrc = res.prcc = res.src = res.spearman;
        return res;
    }
    for (Eigen::Index i = 0; i < d; ++i)
        res.spearman[std::size_t(i)] = varies[std::size_t(i)] ? Zr.col(i).dot(ry) / double(n) : 0.0;
    res.srrc_r2 = reference_regression(Zr, varies, ry, res.srrc, use_gram);
    res.prcc = offroi::detail::partial_rank_correlations(Zr, varies, ry);
    res.src_r2 = reference_regression(Zx, varies, zy, res.src, use_gram);
    return res;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::bit_cast<std::uint64_t>(a[i]) != std::bit_cast<std::uint64_t>(b[i])) return false;
    return true;
}

void check_same_bits(const offroi::rank_sensitivity_result& r, const reference_result& ref) {
    CHECK(same_bits(r.spearman, ref.spearman));
    CHECK(same_bits(r.srrc, ref.srrc));
    CHECK(same_bits(r.prcc, ref.prcc));
    CHECK(same_bits(r.src, ref.src));
    CHECK(std::bit_cast<std::uint64_t>(r.srrc_r2) == std::bit_cast<std::uint64_t>(ref.srrc_r2));
    CHECK(std::bit_cast<std::uint64_t>(r.src_r2) == std::bit_cast<std::uint64_t>(ref.src_r2));
}

// n x d samples with the awkward cases: column 1 a copy of column 0 (collinear), column 2
// 2 x0 - x1 / 2 (in the span of 0, 1), column 3 constant, column 4 rounded (ties), column 5
// holding an infinity (its SRC uses its ranks); the rest U(0, 1).
Eigen::MatrixXd awkward_samples(Eigen::Index n, Eigen::Index d, std::uint64_t seed) {
    Eigen::MatrixXd X = uniform_samples(n, seed, d);
    if (d > 1) X.col(1) = X.col(0);
    if (d > 2) X.col(2) = 2.0 * X.col(0) - 0.5 * X.col(1);
    if (d > 3) X.col(3).setConstant(7.0);
    if (d > 4) X.col(4) = (10.0 * X.col(4)).array().round();
    if (d > 5) X(n / 2, 5) = INFINITY;
    return X;
}

}  // namespace

TEST_CASE("the shared-rank analysis gives the bits of the per-call MatrixXd analysis (QR), awkward inputs included") {
    // Odd and even n (columns of the old MatrixXd at 8 mod 16 bytes), d up to the default
    // scenario's 52, collinear, constant, tied and infinite columns.
    for (const Eigen::Index n : {Eigen::Index(57), Eigen::Index(1001), Eigen::Index(4000)})
        for (const Eigen::Index d : {Eigen::Index(1), Eigen::Index(3), Eigen::Index(6), Eigen::Index(52)}) {
            if (n <= d + 1) continue;
            CAPTURE(n);
            CAPTURE(d);
            const Eigen::MatrixXd X = awkward_samples(n, d, std::uint64_t(n + d));
            const Eigen::MatrixXd U = uniform_samples(n, 99, 1);
            Eigen::VectorXd y = X.col(0) + 0.5 * U.col(0);
            if (d > 5) y += X.col(4).array().square().matrix();  // the tied column (5 holds an infinity)
            check_same_bits(offroi::rank_sensitivity(X, y, {}, 2), reference_rank_sensitivity(X, y));
            check_same_bits(offroi::rank_sensitivity(X, y, {}, 1), reference_rank_sensitivity(X, y));
            // y an exact function of one input's ranks (C singular, R^2 = 1).
            const Eigen::VectorXd y2 = X.col(d - 1).array().isFinite().select(X.col(d - 1), 2.0);
            check_same_bits(offroi::rank_sensitivity(X, y2, {}, 1), reference_rank_sensitivity(X, y2));
        }
}

TEST_CASE("a selection of shared ranked columns gives the bits of rank_sensitivity on those columns alone") {
    // What run_drivers_all does per alternative: rank every column once, analyse subsets
    // (copied from the shared store; constant columns compacted out in place).
    const Eigen::Index n = 2001, d = 9;
    const Eigen::MatrixXd X = awkward_samples(n, d, 5);
    std::vector<const double*> cols;
    for (Eigen::Index i = 0; i < d; ++i) cols.push_back(X.col(i).data());
    offroi::detail::ranked_columns rc;
    offroi::detail::rank_columns(rc, cols, std::size_t(n), 2);
    offroi::detail::rank_workspace ws;
    const std::vector<std::vector<std::size_t>> selections = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8}, {3, 4, 5}, {8, 3, 0}, {6, 7, 8}, {0, 2, 3, 5, 7}, {1}};
    for (const auto& sel : selections) {
        Eigen::MatrixXd Xs(n, Eigen::Index(sel.size()));
        for (std::size_t k = 0; k < sel.size(); ++k) Xs.col(Eigen::Index(k)) = X.col(Eigen::Index(sel[k]));
        const Eigen::VectorXd y = Xs.col(0) + X.col(6).array().sqrt().matrix();
        const auto r = offroi::detail::analyze_ranked(rc, sel, std::span<const double>(y.data(), std::size_t(n)), {},
                                                      ws);
        CAPTURE(sel.size());
        check_same_bits(r, reference_rank_sensitivity(Xs, y));
    }
}

TEST_CASE("SRRC and SRC from the normal equations agree with the QR solution; nearly collinear inputs use the QR") {
    // Correlated inputs (x1 = x0 + noise: rank correlation ~0.7), a nonlinear output. The
    // Gram route's error is ~eps * cond(G) (cond ~10 here): 1e-12 is far above it and far
    // below any error of the method (a wrong R^2 formula or solve is off by >1e-3).
    const Eigen::Index n = 5000, d = 8;
    Eigen::MatrixXd X = uniform_samples(n, 21, d);
    X.col(1) = X.col(0) + 0.7 * X.col(1);
    X.col(3) = X.col(2) - 0.4 * X.col(3);
    const Eigen::MatrixXd U = uniform_samples(n, 77, 1);
    const Eigen::VectorXd y =
        (X.col(0).array() * 2.0 + X.col(1).array().square() - X.col(2).array().exp() + 0.3 * U.col(0).array()).matrix();
    const auto r = offroi::rank_sensitivity(X, y, {}, 1);
    const auto qr = reference_rank_sensitivity(X, y, false);
    check_same_bits(r, reference_rank_sensitivity(X, y));
    CHECK(r.srrc_r2 > 0.5);
    for (std::size_t i = 0; i < std::size_t(d); ++i) {
        CAPTURE(i);
        CHECK(std::abs(r.srrc[i] - qr.srrc[i]) <= 1e-12);
        CHECK(std::abs(r.src[i] - qr.src[i]) <= 1e-12);
    }
    CHECK(std::abs(r.srrc_r2 - qr.srrc_r2) <= 1e-12);
    CHECK(std::abs(r.src_r2 - qr.src_r2) <= 1e-12);
    // Nearly collinear values (x1 = x0 + 1e-6 noise: the values' Gram matrix has rcond ~1e-12,
    // below the cut-off): the SRC comes from the QR, bit for bit.
    Eigen::MatrixXd Xc = X;
    Xc.col(1) = X.col(0) + 1e-6 * U.col(0);
    const auto rc = offroi::rank_sensitivity(Xc, y, {}, 1);
    const auto qrc = reference_rank_sensitivity(Xc, y, false);
    CHECK(same_bits(rc.src, qrc.src));
    CHECK(std::bit_cast<std::uint64_t>(rc.src_r2) == std::bit_cast<std::uint64_t>(qrc.src_r2));
}

TEST_CASE("a NaN input is reported at its first row, the output first on the same row") {
    Eigen::MatrixXd X = uniform_samples(50, 3);
    Eigen::VectorXd y = X.col(0);
    X(20, 2) = std::nan("");
    X(30, 1) = std::nan("");
    CHECK_THROWS_WITH_AS(offroi::rank_sensitivity(X, y, {"a", "b", "c"}), doctest::Contains("input c at row 20"),
                         offroi::invalid_argument);
    X(20, 0) = std::nan("");
    CHECK_THROWS_WITH_AS(offroi::rank_sensitivity(X, y, {"a", "b", "c"}), doctest::Contains("input a at row 20"),
                         offroi::invalid_argument);
    y(20) = INFINITY;
    CHECK_THROWS_WITH_AS(offroi::rank_sensitivity(X, y, {"a", "b", "c"}), doctest::Contains("output at row 20"),
                         offroi::invalid_argument);
}

TEST_CASE("products and drivers keep their bits whatever cache sizes Eigen reads off the host") {
    // Eigen sizes its products' depth blocks from the L1 size it reads off the CPU, and the
    // blocks set the order of the sums: without offroi's fixed blocking (CMakeLists.txt) this
    // 4000 x 40 Gram matrix differs in its last bits between a 32 KiB and a 48 KiB L1, and so
    // do the drivers' PRCC and SRRC. Each host type below is simulated by telling Eigen its
    // cache sizes; the host's own are restored afterwards.
    const Eigen::MatrixXd X = uniform_samples(4000, 17, 40);
    Eigen::VectorXd y = X.rowwise().sum();
    for (Eigen::Index r = 0; r < y.size(); ++r) y(r) += std::sin(7.0 * X(r, 3)) * X(r, 5);
    const std::ptrdiff_t l1 = Eigen::l1CacheSize(), l2 = Eigen::l2CacheSize(), l3 = Eigen::l3CacheSize();
    auto products = [&] {
        Eigen::MatrixXd G = Eigen::MatrixXd::Zero(X.cols(), X.cols());
        G.selfadjointView<Eigen::Lower>().rankUpdate(X.transpose(), 1.0 / double(X.rows()));
        const Eigen::MatrixXd P = X.transpose() * X;
        return std::pair{G, P};
    };
    const std::ptrdiff_t hosts[][3] = {{32 << 10, 512 << 10, 32 << 20}, {48 << 10, 1 << 20, 32 << 20},
                                       {64 << 10, 2 << 20, 256 << 20}};
    std::vector<std::pair<Eigen::MatrixXd, Eigen::MatrixXd>> prod;
    std::vector<offroi::rank_sensitivity_result> drivers;
    for (const auto& h : hosts) {
        Eigen::setCpuCacheSizes(h[0], h[1], h[2]);
        prod.push_back(products());
        drivers.push_back(offroi::rank_sensitivity(X, y, {}, 1));
    }
    Eigen::setCpuCacheSizes(l1, l2, l3);
    for (std::size_t h = 1; h < prod.size(); ++h) {
        INFO("host " << h);
        CHECK(prod[h].first == prod[0].first);
        CHECK(prod[h].second == prod[0].second);
        CHECK(drivers[h].prcc == drivers[0].prcc);
        CHECK(drivers[h].srrc == drivers[0].srrc);
        CHECK(drivers[h].src == drivers[0].src);
        CHECK(std::bit_cast<std::uint64_t>(drivers[h].srrc_r2) == std::bit_cast<std::uint64_t>(drivers[0].srrc_r2));
    }
}

}  // namespace sensitivity_rank_sensitivity_test
