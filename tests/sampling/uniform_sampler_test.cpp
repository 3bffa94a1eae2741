#include <doctest/doctest.h>

#include <Eigen/Dense>

#include <cmath>
#include <string>
#include <vector>

#include "offroi/sampling/uniform_sampler.hpp"
#include "sampling/helpers.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace sampling_uniform_sampler_test {

using namespace offroi;

namespace {
const std::vector<std::string> names = {"rate", "attrition", "ramp", "overhead", "travel"};

std::vector<std::vector<double>> fill(const uniform_sampler& s, std::uint64_t first,
                                      std::size_t count) {
    std::vector<std::vector<double>> u(s.dimension(), std::vector<double>(count));
    std::vector<double*> p;
    for (auto& c : u) p.push_back(c.data());
    s.fill_uniform(first, count, p.data());
    return u;
}

std::vector<double> column(const Eigen::MatrixXd& m, Eigen::Index j) {
    return std::vector<double>(m.col(j).data(), m.col(j).data() + m.rows());
}

sampling_options options(sampling_method m, dependence_method d, bool correlated) {
    sampling_options o;
    o.method = m;
    o.seed = 99;
    o.design_size = 5000;
    o.dependence = d;
    o.reorder_block = 1024;
    if (correlated) o.correlations = {{"rate", "ramp", 0.6}, {"attrition", "ramp", -0.3}};
    return o;
}
}  // namespace

TEST_CASE("every method and dependence is shard invariant bitwise") {
    for (auto m : {sampling_method::monte_carlo, sampling_method::latin_hypercube,
                   sampling_method::sobol})
        for (auto d : {dependence_method::gaussian_copula, dependence_method::iman_conover})
            for (bool corr : {false, true}) {
                const uniform_sampler s(names, options(m, d, corr));
                const std::size_t n = 6000;
                const auto all = fill(s, 0, n);
                for (std::size_t k : {1ul, 1000ul, 1024ul, 4097ul}) {
                    const auto a = fill(s, 0, k), b = fill(s, k, n - k);
                    for (std::size_t i = 0; i < names.size(); ++i) {
                        INFO("method " << int(m) << " dep " << int(d) << " corr " << corr
                                       << " k " << k << " input " << i);
                        std::vector<double> joined = a[i];
                        joined.insert(joined.end(), b[i].begin(), b[i].end());
                        REQUIRE(joined == all[i]);
                    }
                }
            }
}

TEST_CASE("inputs are keyed by name: adding or correlating others leaves an input unchanged") {
    for (auto m : {sampling_method::monte_carlo, sampling_method::latin_hypercube}) {
        const uniform_sampler small({"rate", "travel"}, options(m, dependence_method::gaussian_copula, false));
        for (auto d : {dependence_method::gaussian_copula, dependence_method::iman_conover}) {
            const uniform_sampler big(names, options(m, d, true));
            const auto a = fill(small, 0, 3000), b = fill(big, 0, 3000);
            CHECK(a[1] == b[4]);  // "travel" is uncorrelated in both
        }
    }
}

TEST_CASE("Latin hypercube through the sampler: stratified per design, sample(n) uses n") {
    auto o = options(sampling_method::latin_hypercube, dependence_method::iman_conover, true);
    o.design_size = 0;
    o.reorder_block = 1000;
    const uniform_sampler s(names, o);
    const auto m = s.sample_uniform(1000);
    for (Eigen::Index j = 0; j < m.cols(); ++j) {
        std::vector<int> count(1000, 0);
        for (Eigen::Index t = 0; t < m.rows(); ++t) ++count[static_cast<std::size_t>(m(t, j) * 1000)];
        for (int c : count) REQUIRE(c == 1);
    }
    std::vector<double> buf(10);
    double* p[5] = {buf.data(), buf.data(), buf.data(), buf.data(), buf.data()};
    CHECK_THROWS_WITH_AS(s.fill_uniform(0, 2, p), doctest::Contains("design_size"),
                         invalid_argument);
}

TEST_CASE("correlated sampling reaches the target Spearman matrix (copula and Iman-Conover)") {
    const std::size_t n = 16384;
    for (auto m : {sampling_method::monte_carlo, sampling_method::latin_hypercube,
                   sampling_method::sobol})
        for (auto d : {dependence_method::gaussian_copula, dependence_method::iman_conover}) {
            auto o = options(m, d, true);
            o.design_size = n;
            o.reorder_block = 4096;
            const uniform_sampler s(names, o);
            const auto x = s.sample_uniform(n);
            const auto& t = s.spearman();
            for (Eigen::Index i = 0; i < 5; ++i)
                for (Eigen::Index j = i + 1; j < 5; ++j) {
                    const double rs = offroi_test::spearman(column(x, i), column(x, j));
                    const double target = t(i, j);
                    INFO("method " << int(m) << " dep " << int(d) << " pair " << i << "," << j
                                   << " spearman " << rs << " target " << target);
                    CHECK(std::abs(rs - target) < 5 * (1 - target * target) / std::sqrt(n - 1.0));
                }
        }
}

TEST_CASE("a full correlation matrix over named inputs") {
    sampling_options o;
    o.seed = 3;
    Eigen::MatrixXd c(2, 2);
    c << 1, -0.5, -0.5, 1;
    o.correlation_matrix = correlation_matrix_spec{{"travel", "attrition"}, c};
    const uniform_sampler s(names, o);
    CHECK(s.spearman()(4, 1) == -0.5);
    CHECK(s.spearman()(1, 4) == -0.5);
    CHECK(s.spearman()(0, 1) == 0.0);
    const auto x = s.sample_uniform(20000);
    CHECK(std::abs(offroi_test::spearman(column(x, 1), column(x, 4)) + 0.5) < 5 * 0.75 / std::sqrt(19999.0));
}

TEST_CASE("sampler configuration errors name the problem") {
    sampling_options o;
    o.correlations = {{"rate", "ramp", 0.5}, {"rate", "rampp", 0.2}};
    CHECK_THROWS_WITH_AS(uniform_sampler(names, o),
                         doctest::Contains("correlations[1] names unknown input 'rampp'"),
                         invalid_argument);
    o.correlations = {{"rate", "rate", 0.5}};
    CHECK_THROWS_WITH_AS(uniform_sampler(names, o), doctest::Contains("with itself"),
                         invalid_argument);
    o.correlations = {{"rate", "ramp", 1.5}};
    CHECK_THROWS_WITH_AS(uniform_sampler(names, o), doctest::Contains("= 1.5"), invalid_argument);
    o.correlations = {{"rate", "ramp", 0.5}, {"ramp", "rate", 0.4}};
    CHECK_THROWS_WITH_AS(uniform_sampler(names, o), doctest::Contains("earlier entry gave 0.5"),
                         invalid_argument);
    o.correlations = {{"rate", "attrition", 0.9}, {"attrition", "ramp", 0.9}, {"rate", "ramp", -0.6}};
    CHECK_THROWS_WITH_AS(uniform_sampler(names, o), doctest::Contains("not positive semi-definite"),
                         invalid_argument);
    o.repair_correlation = true;
    CHECK_NOTHROW(uniform_sampler(names, o));
    CHECK_THROWS_WITH_AS(uniform_sampler({"a", "b", "a"}, sampling_options{}),
                         doctest::Contains("'a' appears twice"), invalid_argument);
    CHECK_THROWS_AS(uniform_sampler({}, sampling_options{}), invalid_argument);
    sampling_options both;
    both.correlations = {{"rate", "ramp", 0.5}};
    both.correlation_matrix = correlation_matrix_spec{{"rate", "ramp"}, Eigen::MatrixXd::Identity(2, 2)};
    CHECK_THROWS_WITH_AS(uniform_sampler(names, both), doctest::Contains("not both"),
                         invalid_argument);
    sampling_options ic;
    ic.dependence = dependence_method::iman_conover;
    ic.reorder_block = 2;
    ic.correlations = {{"rate", "ramp", 0.5}};
    CHECK_THROWS_WITH_AS(uniform_sampler(names, ic), doctest::Contains("reorder_block"),
                         invalid_argument);
}

}  // namespace sampling_uniform_sampler_test
