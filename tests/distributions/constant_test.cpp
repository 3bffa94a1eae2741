#include "offroi/distributions/constant.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "distributions/sample_checks.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace distributions_constant_test {

using offroi::constant_distribution;

TEST_CASE("constant: every quantile is the value, cdf is a step") {
    const constant_distribution d(42.5);
    CHECK(quantile(d, 0.0) == 42.5);
    CHECK(quantile(d, 0.37) == 42.5);
    CHECK(quantile(d, 1.0) == 42.5);
    CHECK(cdf(d, 42.4999) == 0.0);
    CHECK(cdf(d, 42.5) == 1.0);
    CHECK(cdf(d, std::numeric_limits<double>::infinity()) == 1.0);
    CHECK(mean(d) == 42.5);
    CHECK(variance(d) == 0.0);
    CHECK(support(d).first == 42.5);
    std::vector<double> p = {0.1, 0.5, 0.9}, x(3);
    quantile(d, p.data(), x.data(), 3);
    CHECK(x[2] == 42.5);
}

TEST_CASE("constant: invalid value") {
    using offroi_test::check_invalid;
    check_invalid([] { constant_distribution(std::nan("")); }, {"constant_distribution", "value", "nan"});
    check_invalid([] { constant_distribution(-std::numeric_limits<double>::infinity()); }, {"value", "-inf"});
    const constant_distribution d(1.0);
    check_invalid([&] { (void)quantile(d, std::nan("")); }, {"p", "nan"});
}

}  // namespace distributions_constant_test
