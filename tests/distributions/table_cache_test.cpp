#include <doctest/doctest.h>

#include <boost/math/distributions/beta.hpp>

#include <cmath>
#include <thread>
#include <vector>

#include "offroi/distributions/beta.hpp"
#include "offroi/distributions/gamma.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace distributions_table_cache_test {

namespace {

// Quantiles at levels spread over the body and both tails.
std::vector<double> levels() {
    std::vector<double> p;
    for (double e = -12.0; e < -0.31; e += 0.37) {
        p.push_back(std::pow(10.0, e));
        p.push_back(1.0 - std::pow(10.0, e));
    }
    for (int k = 1; k < 40; ++k) p.push_back(k / 40.0);
    return p;
}

template <class D>
std::vector<double> quantiles(const D& d) {
    const auto p = levels();
    std::vector<double> x(p.size());
    quantile(d, p.data(), x.data(), p.size());
    return x;
}

}  // namespace

TEST_CASE("quantile tables are shared by shape: same shape, same bits; other shapes their own") {
    // Beta(2.5, 4) built twice (the second from the process-wide table cache) gives the same
    // bits; swapping the shapes or moving the bounds must not hit the wrong table.
    const offroi::beta_distribution a(2.5, 4.0), b(2.5, 4.0), swapped(4.0, 2.5);
    const offroi::beta_distribution shifted(2.5, 4.0, 10.0, 30.0);
    const auto qa = quantiles(a), qb = quantiles(b), qs = quantiles(swapped),
               qm = quantiles(shifted);
    CHECK(qa == qb);
    // Beta(4, 2.5) is the mirror of Beta(2.5, 4): Q_swapped(p) = 1 - Q_a(1 - p). Check the
    // swapped table against Boost's exact quantile (the tables are accurate to ~1e-12 of the
    // range, docs/distributions.md) so a cache key that ignored the order of the shapes fails.
    const boost::math::beta_distribution<double> exact_swapped(4.0, 2.5);
    const auto p = levels();
    double worst = 0.0, worst_shift = 0.0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        worst = std::max(worst, std::abs(qs[i] - boost::math::quantile(exact_swapped, p[i])));
        worst_shift = std::max(worst_shift, std::abs(qm[i] - (10.0 + 20.0 * qa[i])));
    }
    CHECK(worst < 1e-9);
    CHECK(worst_shift < 1e-12 * 30.0);
    // A gamma whose shape equals a beta's first shape has a table of its own.
    const offroi::gamma_distribution g(2.5, 1.0);
    CHECK(quantiles(g)[10] != qa[10]);
}

TEST_CASE("quantile tables built concurrently for one shape give the same bits") {
    // Several threads construct the same never-seen shape at once: each may build the table
    // (outside the cache's lock); all must give identical quantiles.
    const double alpha = 3.0 + 1.0 / 7.0, beta = 5.0 + 1.0 / 9.0;
    std::vector<std::vector<double>> got(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < got.size(); ++t)
        threads.emplace_back(
            [&, t] { got[t] = quantiles(offroi::beta_distribution(alpha, beta)); });
    for (auto& th : threads) th.join();
    for (std::size_t t = 1; t < got.size(); ++t) CHECK(got[t] == got[0]);
    CHECK(got[0] == quantiles(offroi::beta_distribution(alpha, beta)));
}

}  // namespace distributions_table_cache_test
