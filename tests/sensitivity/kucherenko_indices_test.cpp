#include <doctest/doctest.h>

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include <cmath>
#include <numbers>
#include <vector>

#include "offroi/distributions/distribution.hpp"
#include "offroi/sensitivity/kucherenko_indices.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace sensitivity_kucherenko_indices_test {

namespace {

// Y = c' X for the test's coefficient vector.
struct linear {
    Eigen::VectorXd c;
    void operator()(const Eigen::MatrixXd& X, Eigen::VectorXd& y) const { y = X * c; }
};

// Closed form for Y = c' X, X ~ N(mu, Sigma) (Kucherenko et al. 2012, section 4):
// S_i = (Sigma c)_i^2 / (Sigma_ii V), ST_i = c_i^2 (Sigma_ii - Sigma_i~i Sigma_~i~i^-1
// Sigma_~ii) / V, V = c' Sigma c.
void exact_linear(const Eigen::VectorXd& c, const Eigen::MatrixXd& Sigma, std::vector<double>& S,
                  std::vector<double>& ST) {
    const Eigen::Index d = c.size();
    const double V = c.dot(Sigma * c);
    const Eigen::VectorXd Sc = Sigma * c;
    S.assign(std::size_t(d), 0.0);
    ST.assign(std::size_t(d), 0.0);
    for (Eigen::Index i = 0; i < d; ++i) {
        S[std::size_t(i)] = Sc(i) * Sc(i) / (Sigma(i, i) * V);
        std::vector<Eigen::Index> rest;
        for (Eigen::Index k = 0; k < d; ++k)
            if (k != i) rest.push_back(k);
        const Eigen::Index m = d - 1;
        Eigen::MatrixXd Srr(m, m);
        Eigen::VectorXd sri(m);
        for (Eigen::Index a = 0; a < m; ++a) {
            sri(a) = Sigma(rest[std::size_t(a)], i);
            for (Eigen::Index b = 0; b < m; ++b) Srr(a, b) = Sigma(rest[std::size_t(a)], rest[std::size_t(b)]);
        }
        const double cond = Sigma(i, i) - sri.dot(Srr.ldlt().solve(sri));
        ST[std::size_t(i)] = c(i) * c(i) * cond / V;
    }
}

void check_close(const offroi::sobol_result& r, const std::vector<double>& S,
                 const std::vector<double>& ST) {
    for (std::size_t i = 0; i < S.size(); ++i) {
        INFO("input " << i << " S=" << r.first_order[i] << " (exact " << S[i] << ") ST="
                      << r.total_order[i] << " (exact " << ST[i] << ") seS=" << r.first_order_se[i]
                      << " seST=" << r.total_order_se[i]);
        CHECK(std::abs(r.first_order[i] - S[i]) <= 5.0 * r.first_order_se[i] + 1e-12);
        CHECK(std::abs(r.total_order[i] - ST[i]) <= 5.0 * r.total_order_se[i] + 1e-12);
    }
}

}  // namespace

TEST_CASE("linear model with correlated normal inputs matches the closed form") {
    // Kucherenko et al. 2012 test 1: Y = X1 + X2 + X3, X1, X2 ~ N(0, 1), X3 ~ N(0, 2^2),
    // corr(X2, X3) = rho, at several rho.
    for (double rho : {0.0, 0.5, -0.8, 0.95}) {
        INFO("rho = " << rho);
        Eigen::MatrixXd R = Eigen::MatrixXd::Identity(3, 3);
        R(1, 2) = R(2, 1) = rho;
        const Eigen::Vector3d sd(1.0, 1.0, 2.0);
        const Eigen::MatrixXd Sigma = sd.asDiagonal() * R * sd.asDiagonal();
        const Eigen::VectorXd c = Eigen::Vector3d(1.0, 1.0, 1.0);
        std::vector<double> S, ST;
        exact_linear(c, Sigma, S, ST);
        const std::vector<offroi::distribution> in = {offroi::normal_distribution(0.0, 1.0),
                                                      offroi::normal_distribution(0.0, 1.0),
                                                      offroi::normal_distribution(0.0, 2.0)};
        offroi::sobol_options o;
        o.base_samples = 1 << 13;
        o.seed = 21;
        const auto r = offroi::kucherenko_indices(linear{c}, in, R, o,
                                                  offroi::copula_correlation::normal_scores);
        CHECK(r.evaluations == (1u << 13) * 8);
        CHECK(r.variance == doctest::Approx(c.dot(Sigma * c)).epsilon(0.02));
        check_close(r, S, ST);
    }
}

TEST_CASE("a no-effect input correlated with the only active one: S > 0, ST = 0") {
    // Y = X1, corr(X1, X2) = rho (normal scores, normal marginals): S1 = 1, ST1 = 1 - rho^2,
    // S2 = rho^2, ST2 = 0 exactly (moving X2 alone never changes Y).
    const double rho = 0.8;
    Eigen::MatrixXd R(2, 2);
    R << 1.0, rho, rho, 1.0;
    const std::vector<offroi::distribution> in(2, offroi::normal_distribution(0.0, 1.0));
    offroi::sobol_options o;
    o.base_samples = 1 << 12;
    o.seed = 4;
    const auto r = offroi::kucherenko_indices(linear{Eigen::Vector2d(1.0, 0.0)}, in, R, o,
                                              offroi::copula_correlation::normal_scores);
    check_close(r, {1.0, rho * rho}, {1.0 - rho * rho, 0.0});
    CHECK(r.total_order[1] == 0.0);
    // Spearman input: rho_s = 0.8 means normal-score correlation 2 sin(0.8 pi / 6).
    const auto s = offroi::kucherenko_indices(linear{Eigen::Vector2d(1.0, 0.0)}, in, R, o);
    const double rn = 2.0 * std::sin(std::numbers::pi * rho / 6.0);
    check_close(s, {1.0, rn * rn}, {1.0 - rn * rn, 0.0});
}

TEST_CASE("independent inputs: Kucherenko indices are the Sobol' indices") {
    // Ishigami-free check with a non-linear model: y = x1 + x1 x2^2 on U(0,1)^2 (boost-free:
    // offroi::uniform_distribution). Exact: V1 = Var(x1 (1 + E x2^2)) = (4/3)^2 / 12,
    // V12 = Var(x1) Var(x2^2) + (E x1)^2 ... computed below by the ANOVA formulas.
    struct model {
        void operator()(const Eigen::MatrixXd& X, Eigen::VectorXd& y) const {
            y = X.col(0).array() + X.col(0).array() * X.col(1).array().square();
        }
    };
    // x1 (1 + x2^2): E x2^2 = 1/3, Var x2^2 = 1/5 - 1/9 = 4/45, E x1 = 1/2, Var x1 = 1/12.
    const double V1 = (16.0 / 9.0) / 12.0;             // Var(x1) (1 + 1/3)^2
    const double V2 = 0.25 * 4.0 / 45.0;                // (E x1)^2 Var(x2^2)
    const double V12 = (1.0 / 12.0) * (4.0 / 45.0);     // Var x1 Var x2^2
    const double V = V1 + V2 + V12;
    const std::vector<offroi::distribution> in(2, offroi::uniform_distribution(0.0, 1.0));
    offroi::sobol_options o;
    o.base_samples = 1 << 12;
    o.seed = 8;
    const auto r = offroi::kucherenko_indices(model{}, in, Eigen::MatrixXd::Identity(2, 2), o);
    check_close(r, {V1 / V, V2 / V}, {(V1 + V12) / V, (V2 + V12) / V});
}

TEST_CASE("reproducible across threads; bad correlation matrices rejected") {
    Eigen::MatrixXd R(3, 3);
    R << 1.0, 0.3, 0.0, 0.3, 1.0, -0.5, 0.0, -0.5, 1.0;
    const std::vector<offroi::distribution> in = {offroi::pert_distribution(1.0, 2.0, 5.0),
                                                  offroi::lognormal_distribution(0.0, 0.5),
                                                  offroi::uniform_distribution(-1.0, 1.0)};
    auto f = [](std::span<const double> x) { return x[0] * x[1] + x[2]; };
    offroi::sobol_options o;
    o.base_samples = 1000;
    o.bootstrap_resamples = 20;
    o.threads = 1;
    const auto a = offroi::kucherenko_indices(f, in, R, o);
    o.threads = 2;
    o.batch_rows = 100;
    const auto b = offroi::kucherenko_indices(f, in, R, o);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(a.first_order[i] == b.first_order[i]);
        CHECK(a.total_order_ci[i].upper == b.total_order_ci[i].upper);
    }
    Eigen::MatrixXd bad = R;
    bad(0, 1) = bad(1, 0) = 0.99;
    bad(0, 2) = bad(2, 0) = 0.99;
    bad(1, 2) = bad(2, 1) = -0.99;  // not positive semi-definite
    CHECK_THROWS_AS(offroi::kucherenko_indices(f, in, bad, o), offroi::invalid_argument);
    CHECK_THROWS_AS(offroi::kucherenko_indices(f, in, Eigen::MatrixXd::Identity(2, 2), o),
                    offroi::invalid_argument);
    o.base_samples = 0;
    CHECK_THROWS_AS(offroi::kucherenko_indices(f, in, R, o), offroi::invalid_argument);
}

}  // namespace sensitivity_kucherenko_indices_test
