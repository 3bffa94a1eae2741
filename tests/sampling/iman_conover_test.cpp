#include <doctest/doctest.h>

#include <Eigen/Dense>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cmath>
#include <string>
#include <vector>

#include "offroi/detail/sort_order.hpp"
#include "offroi/sampling/iman_conover.hpp"
#include "offroi/sampling/latin_hypercube.hpp"
#include "sampling/helpers.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace sampling_iman_conover_test {

using namespace offroi;

TEST_CASE("Iman-Conover reaches the target ranks and keeps each input's values") {
    const std::vector<std::string> names = {"a", "b", "c", "d"};
    const std::size_t n = 4096;
    const latin_hypercube_design lhs(5, n);
    std::vector<std::vector<double>> u(4, std::vector<double>(n));
    for (std::size_t i = 0; i < 4; ++i) lhs.fill(stream_id(names[i]), 0, n, u[i].data());
    const auto before = u;
    Eigen::MatrixXd s = Eigen::MatrixXd::Identity(4, 4);
    s(0, 1) = s(1, 0) = 0.7;
    s(0, 2) = s(2, 0) = -0.4;
    s(1, 2) = s(2, 1) = -0.2;
    const iman_conover ic(s, names);
    std::vector<double*> p;
    for (auto& c : u) p.push_back(c.data());
    ic.reorder(n, p.data());
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = i + 1; j < 3; ++j) {
            const double rs = offroi_test::spearman(u[i], u[j]);
            INFO(i << "," << j << ": " << rs);
            // The scores get exactly the target normal-score correlation; the sample
            // Spearman of the ranks then differs from the target by less than the sampling
            // error of a Spearman coefficient at this n ((1 - rho^2) / sqrt(n - 1)).
            CHECK(std::abs(rs - s(i, j)) < 5 * (1 - s(i, j) * s(i, j)) / std::sqrt(n - 1.0));
        }
    // Values are only permuted: the multiset (and so the LHS strata) is unchanged.
    for (std::size_t i = 0; i < 4; ++i) {
        auto x = u[i], y = before[i];
        std::sort(x.begin(), x.end());
        std::sort(y.begin(), y.end());
        CHECK(x == y);
    }
    CHECK(u[3] == before[3]);  // the unrelated input is not touched
    CHECK(u[0] == before[0]);  // T = B F^-1 is lower triangular with T(0,0) = 1
    CHECK(u[1] != before[1]);

    // Deterministic: the same block reorders the same way.
    auto again = before;
    std::vector<double*> q;
    for (auto& c : again) q.push_back(c.data());
    ic.reorder(n, q.data());
    CHECK(again == u);

    CHECK_THROWS_AS(ic.reorder(3, q.data()), invalid_argument);
}

TEST_CASE("radix sort_order equals a stable sort by value, ties and signs included") {
    std::vector<double> x = {0.5, -1.0, 0.0, -0.0, 3e-310, -3e-310, 0.5, -1.0, 1e300, -1e300, 2.0, 0.5};
    for (int i = 0; i < 500; ++i) x.push_back(std::sin(i * 1.7) * std::pow(10.0, i % 7 - 3));
    std::vector<std::uint32_t> o(x.size());
    detail::sort_scratch w;
    detail::sort_order(x.data(), x.size(), w, o.data());
    std::vector<std::uint32_t> e(x.size());
    for (std::uint32_t i = 0; i < e.size(); ++i) e[i] = i;
    std::stable_sort(e.begin(), e.end(), [&](std::uint32_t a, std::uint32_t b) { return x[a] < x[b]; });
    CHECK(o == e);
}

TEST_CASE("sort_values gives std::sort's values in order, below and above the radix cut-over") {
    for (const std::size_t n : {std::size_t{100}, std::size_t{511}, std::size_t{512}, std::size_t{5000},
                                std::size_t{100000}}) {
        INFO("n = " << n);
        std::vector<double> x;
        for (std::size_t i = 0; i < n; ++i) {
            const double v = std::sin(double(i) * 1.7) * std::pow(10.0, double(i % 7) - 3.0);
            x.push_back(i % 5 == 0 ? std::round(v) : v);  // ties, zeros and negatives
        }
        x[n / 2] = 3e-310;
        x[n / 3] = -3e-310;
        std::vector<double> expected = x;
        std::sort(expected.begin(), expected.end());
        detail::sort_scratch w;
        detail::sort_values(x, w);
        REQUIRE(x.size() == expected.size());
        std::size_t differ = 0;
        for (std::size_t r = 0; r < n; ++r)
            differ += (x[r] != expected[r]) ||
                      (x[r] != 0.0 && std::bit_cast<std::uint64_t>(x[r]) != std::bit_cast<std::uint64_t>(expected[r]));
        CHECK(differ == 0);
    }
}

}  // namespace sampling_iman_conover_test
