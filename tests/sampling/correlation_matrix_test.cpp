#include <doctest/doctest.h>

#include <Eigen/Dense>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "offroi/sampling/correlation_matrix.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace sampling_correlation_matrix_test {

using namespace offroi;

namespace {
std::string message_of(const Eigen::MatrixXd& m, const std::vector<std::string>& names) {
    try {
        check_correlation_matrix(m, names);
    } catch (const invalid_argument& e) {
        return e.what();
    }
    return "";
}
bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}
const std::vector<std::string> names = {"rate", "attrition", "ramp", "overhead"};
}  // namespace

TEST_CASE("valid correlation matrices pass") {
    CHECK_NOTHROW(check_correlation_matrix(Eigen::MatrixXd::Identity(4, 4), names));
    Eigen::MatrixXd m(3, 3);
    m << 1, 0.5, -0.3, 0.5, 1, 0.2, -0.3, 0.2, 1;
    CHECK_NOTHROW(check_correlation_matrix(m));
    // Semi-definite (a correlation of exactly 1) is allowed.
    Eigen::MatrixXd s(2, 2);
    s << 1, 1, 1, 1;
    CHECK_NOTHROW(check_correlation_matrix(s));
    CHECK_NOTHROW(check_correlation_matrix(Eigen::MatrixXd(0, 0)));
}

TEST_CASE("invalid correlation matrices throw with messages naming the entry or pair") {
    Eigen::MatrixXd m = Eigen::MatrixXd::Identity(4, 4);

    CHECK(contains(message_of(Eigen::MatrixXd::Identity(3, 4), {}), "must be square, got 3 x 4"));
    CHECK(contains(message_of(m, {"a", "b"}), "4 rows but 2 input names"));

    Eigen::MatrixXd a = m;
    a(0, 1) = 0.5;
    a(1, 0) = 0.4;
    auto msg = message_of(a, names);
    CHECK(contains(msg, "not symmetric"));
    CHECK(contains(msg, "('rate', 'attrition') = 0.5"));
    CHECK(contains(msg, "('attrition', 'rate') = 0.4"));

    Eigen::MatrixXd b = m;
    b(0, 2) = b(2, 0) = 1.5;
    msg = message_of(b, names);
    CHECK(contains(msg, "entry ('rate', 'ramp') = 1.5 is outside [-1, 1]"));

    Eigen::MatrixXd c = m;
    c(3, 1) = c(1, 3) = std::nan("");
    CHECK(contains(message_of(c, names), "('attrition', 'overhead') = nan"));

    Eigen::MatrixXd d = m;
    d(2, 2) = 0.9;
    CHECK(contains(message_of(d, names), "diagonal entry ('ramp', 'ramp') = 0.9 must be 1"));

    // Without names, inputs are numbered.
    CHECK(contains(message_of(b, {}), "entry (#0, #2) = 1.5"));

    CHECK_THROWS_AS(check_correlation_matrix(b, names), invalid_argument);
}

TEST_CASE("a matrix that is not PSD names the smallest eigenvalue and the pair most involved") {
    // rate~attrition and attrition~ramp strongly positive but rate~ramp strongly negative;
    // overhead is unrelated and must not be named.
    Eigen::MatrixXd m = Eigen::MatrixXd::Identity(4, 4);
    m(0, 1) = m(1, 0) = 0.9;
    m(1, 2) = m(2, 1) = 0.9;
    m(0, 2) = m(2, 0) = -0.6;
    const auto msg = message_of(m, names);
    MESSAGE(msg);
    CHECK(contains(msg, "not positive semi-definite (smallest eigenvalue -"));
    CHECK(contains(msg, "nearest_psd_correlation"));
    CHECK_FALSE(contains(msg, "overhead"));
    // The eigenvector of the negative eigenvalue is ~ (1, -1, 1): every pair contributes;
    // the most negative term v_i M_ij v_j is one of the two 0.9 pairs (|0.9| > |0.6|).
    CHECK((contains(msg, "('rate', 'attrition') with correlation 0.9") ||
           contains(msg, "('attrition', 'ramp') with correlation 0.9")));
    // Lambda_min of this matrix: check the reported value is the true one.
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(m);
    CHECK(contains(msg, detail::format_value(es.eigenvalues()(0))));
}

TEST_CASE("Spearman, Pearson and Kendall conversions for the Gaussian copula") {
    CHECK(spearman_to_pearson(0.0) == 0.0);
    CHECK(spearman_to_pearson(1.0) == doctest::Approx(1.0).epsilon(1e-15));
    CHECK(spearman_to_pearson(-1.0) == doctest::Approx(-1.0).epsilon(1e-15));
    CHECK(spearman_to_pearson(0.5) == doctest::Approx(2 * std::sin(std::numbers::pi / 12)));
    for (double r : {-0.9, -0.3, 0.1, 0.6, 0.95})
        CHECK(pearson_to_spearman(spearman_to_pearson(r)) == doctest::Approx(r).epsilon(1e-14));
    CHECK(pearson_to_kendall(0.5) == doctest::Approx(1.0 / 3.0));  // (2/pi) asin(1/2)
    Eigen::MatrixXd s(2, 2);
    s << 1, 0.3, 0.3, 1;
    const auto p = spearman_to_pearson(s);
    CHECK(p(0, 0) == 1.0);
    CHECK(p(0, 1) == spearman_to_pearson(0.3));
}

TEST_CASE("nearest_psd_correlation reproduces Higham's example and repairs a bad matrix") {
    // Higham (2002), section 4: A = tridiag(-1, 2, -1), n = 4; nearest correlation matrix
    // printed there to 4 decimals.
    Eigen::MatrixXd a(4, 4);
    a << 2, -1, 0, 0, -1, 2, -1, 0, 0, -1, 2, -1, 0, 0, -1, 2;
    Eigen::MatrixXd expected(4, 4);
    expected << 1, -0.8084, 0.1916, 0.1068, -0.8084, 1, -0.6562, 0.1916, 0.1916, -0.6562, 1,
        -0.8084, 0.1068, 0.1916, -0.8084, 1;
    const Eigen::MatrixXd x = nearest_psd_correlation(a);
    CHECK((x - expected).cwiseAbs().maxCoeff() < 1e-4);

    Eigen::MatrixXd m = Eigen::MatrixXd::Identity(4, 4);
    m(0, 1) = m(1, 0) = 0.9;
    m(1, 2) = m(2, 1) = 0.9;
    m(0, 2) = m(2, 0) = -0.6;
    const Eigen::MatrixXd r = nearest_psd_correlation(m);
    CHECK_NOTHROW(check_correlation_matrix(r, names));
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(r);
    CHECK(es.eigenvalues()(0) >= 0.0);
    CHECK(r.diagonal().isOnes());
    // Close: no farther than the smallest shrink towards the identity that is PSD
    // (t m + (1 - t) I is PSD for t <= 1 / (1 - lambda_min(m))).
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> em(m);
    const double t = 1.0 / (1.0 - em.eigenvalues()(0));
    const Eigen::MatrixXd shrunk = t * m + (1 - t) * Eigen::MatrixXd::Identity(4, 4);
    CHECK((r - m).norm() <= (shrunk - m).norm());
    // The unrelated input stays unrelated, and a valid matrix is (nearly) a fixed point.
    CHECK(std::abs(r(3, 0)) < 1e-9);
    Eigen::MatrixXd ok(2, 2);
    ok << 1, 0.4, 0.4, 1;
    CHECK((nearest_psd_correlation(ok) - ok).cwiseAbs().maxCoeff() < 1e-9);
    CHECK_THROWS_AS(nearest_psd_correlation(Eigen::MatrixXd::Ones(2, 3)), invalid_argument);
}

}  // namespace sampling_correlation_matrix_test
