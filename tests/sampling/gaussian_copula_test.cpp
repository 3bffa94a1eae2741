#include <doctest/doctest.h>

#include <Eigen/Dense>

#include <cmath>
#include <string>
#include <vector>

#include "offroi/sampling/gaussian_copula.hpp"
#include "offroi/sampling/monte_carlo.hpp"
#include "sampling/helpers.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace sampling_gaussian_copula_test {

using namespace offroi;

namespace {
const std::vector<std::string> names = {"a", "b", "c", "d"};

std::vector<std::vector<double>> independent(std::size_t n, std::uint64_t seed,
                                             std::uint64_t first = 0) {
    const monte_carlo_design mc(seed);
    std::vector<std::vector<double>> u(names.size(), std::vector<double>(n));
    for (std::size_t i = 0; i < names.size(); ++i)
        mc.fill(stream_id(names[i]), first, n, u[i].data());
    return u;
}

std::vector<double*> pointers(std::vector<std::vector<double>>& u) {
    std::vector<double*> p;
    for (auto& c : u) p.push_back(c.data());
    return p;
}

Eigen::MatrixXd target() {
    Eigen::MatrixXd s = Eigen::MatrixXd::Identity(4, 4);
    s(0, 1) = s(1, 0) = 0.7;
    s(0, 2) = s(2, 0) = -0.4;
    s(1, 2) = s(2, 1) = -0.2;
    return s;
}

// Standard error of a sample Spearman coefficient, roughly (1 - rho^2) / sqrt(n - 1).
double spearman_se(double rho, std::size_t n) {
    return (1.0 - rho * rho) / std::sqrt(static_cast<double>(n - 1));
}
}  // namespace

TEST_CASE("gaussian copula reaches the target Spearman matrix and keeps uniform marginals") {
    const std::size_t n = 50000;
    auto u = independent(n, 1);
    const auto before = u;
    const gaussian_copula cop(target(), names);
    CHECK(cop.correlated_columns() == std::vector<std::size_t>{0, 1, 2});
    cop.apply(n, pointers(u).data());
    const auto s = target();
    for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = i + 1; j < 4; ++j) {
            const double rs = offroi_test::spearman(u[i], u[j]);
            INFO("pair " << i << "," << j << " spearman " << rs);
            CHECK(std::abs(rs - s(i, j)) < 5 * spearman_se(s(i, j), n));
        }
    // Marginals stay uniform (KS at the 1% level).
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(offroi_test::ks_statistic(u[i], [](double x) { return x; }) <
              offroi_test::ks_critical_1pct(n));
        for (double x : u[i]) REQUIRE((x > 0.0 && x < 1.0));
    }
    // The unrelated input d is untouched bit for bit; so is the first correlated input
    // (its Cholesky row is e_1).
    CHECK(u[3] == before[3]);
    CHECK(u[0] == before[0]);
    CHECK(u[1] != before[1]);
}

TEST_CASE("correlating a pair leaves unrelated inputs bitwise unchanged") {
    const std::size_t n = 3000;
    Eigen::MatrixXd s = Eigen::MatrixXd::Identity(4, 4);
    s(1, 3) = s(3, 1) = 0.5;
    auto u = independent(n, 2);
    const auto before = u;
    gaussian_copula(s, names).apply(n, pointers(u).data());
    CHECK(u[0] == before[0]);
    CHECK(u[2] == before[2]);
    CHECK(u[1] == before[1]);
    CHECK(u[3] != before[3]);
    // The transform is trial by trial: a split block gives the same bits.
    auto v = independent(n, 2);
    auto p = pointers(v);
    const gaussian_copula cop(s, names);
    cop.apply(1000, p.data());
    for (auto& q : p) q += 1000;
    cop.apply(n - 1000, p.data());
    CHECK(u == v);
}

TEST_CASE("gaussian copula: Kendall tau = (2/pi) asin(rho)") {
    const std::size_t n = 6000;
    auto u = independent(n, 3);
    const gaussian_copula cop(target(), names);
    cop.apply(n, pointers(u).data());
    const auto& r = cop.pearson();
    // Var(tau) <= 2(2n+5)/(9n(n-1)) (its value at independence); 5 SE.
    const double se = std::sqrt(2.0 * (2.0 * n + 5) / (9.0 * n * (n - 1.0)));
    CHECK(std::abs(offroi_test::kendall(u[0], u[1]) - pearson_to_kendall(r(0, 1))) < 5 * se);
    CHECK(std::abs(offroi_test::kendall(u[0], u[2]) - pearson_to_kendall(r(0, 2))) < 5 * se);
    CHECK(std::abs(offroi_test::kendall(u[1], u[2]) - pearson_to_kendall(r(1, 2))) < 5 * se);
    CHECK(r(0, 1) == doctest::Approx(spearman_to_pearson(0.7)));
}

TEST_CASE("semi-definite targets and repair") {
    Eigen::MatrixXd s = Eigen::MatrixXd::Identity(4, 4);
    s(0, 1) = s(1, 0) = 1.0;  // comonotone pair: PSD but not PD
    const std::size_t n = 2000;
    auto u = independent(n, 4);
    gaussian_copula(s, names).apply(n, pointers(u).data());
    CHECK(offroi_test::spearman(u[0], u[1]) == doctest::Approx(1.0));

    Eigen::MatrixXd bad = Eigen::MatrixXd::Identity(4, 4);
    bad(0, 1) = bad(1, 0) = 0.9;
    bad(1, 2) = bad(2, 1) = 0.9;
    bad(0, 2) = bad(2, 0) = -0.6;
    CHECK_THROWS_WITH_AS(gaussian_copula(bad, names), doctest::Contains("not positive semi-definite"),
                         invalid_argument);
    const gaussian_copula repaired(bad, names, true);
    CHECK_NOTHROW(check_correlation_matrix(repaired.spearman()));
    auto v = independent(n, 4);
    repaired.apply(n, pointers(v).data());
    CHECK(offroi_test::spearman(v[0], v[1]) > 0.3);
    Eigen::MatrixXd asym = Eigen::MatrixXd::Identity(4, 4);
    asym(2, 3) = 0.3;
    CHECK_THROWS_WITH_AS(gaussian_copula(asym, names), doctest::Contains("('c', 'd') = 0.3"),
                         invalid_argument);
}

}  // namespace sampling_gaussian_copula_test
