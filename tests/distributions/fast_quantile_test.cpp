// Accuracy of offroi::detail::fast_quantile against Boost.Math's exact inverses (default,
// long-double-promoting policy) for beta, gamma and normal shapes, over a dense grid of
// (0, 1) that includes both tails down to 1e-15.
#include "offroi/distributions/detail/fast_quantile.hpp"

#include <doctest/doctest.h>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/normal.hpp>

#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace distributions_fast_quantile_test {

namespace {

using fast_pol = boost::math::policies::policy<boost::math::policies::promote_double<false>>;

template <class Dist, class FastDist>
offroi::detail::fast_quantile make(const Dist& d, const FastDist& f, double lo, double hi) {
    using boost::math::cdf;
    using boost::math::complement;
    using boost::math::quantile;
    return offroi::detail::fast_quantile([d](double p) { return quantile(d, p); },
                                         [d](double q) { return quantile(complement(d, q)); },
                                         [f](double x) { return cdf(f, x); },
                                         [f](double x) { return cdf(complement(f, x)); }, lo, hi);
}

// Grid: log-spaced tails from 1e-15 in both directions plus a linear body grid.
std::vector<double> grid(double tail_min, int per_decade, int body) {
    std::vector<double> g;
    const double lmin = std::log10(tail_min);
    for (int i = 0; i <= static_cast<int>(-lmin * per_decade); ++i) {
        const double t = std::pow(10.0, lmin + static_cast<double>(i) / per_decade);
        if (t >= 0.5) break;
        g.push_back(t);
        g.push_back(1.0 - t);
    }
    for (int i = 1; i < body; ++i) g.push_back(static_cast<double>(i) / body);
    return g;
}

struct err_report {
    double body = 0.0, tail = 0.0, body_p = 0.0, tail_p = 0.0;
};

// Error relative to max(|x|, scale), scale = interquartile range.
template <class Dist>
err_report errors(const offroi::detail::fast_quantile& fq, const Dist& d) {
    using boost::math::quantile;
    const double scale = quantile(d, 0.75) - quantile(d, 0.25);
    err_report r;
    for (double p : grid(1e-15, 40, 20000)) {
        const double want = quantile(d, p);
        const double got = fq(p);
        const double e = std::fabs(got - want) / std::max(std::fabs(want), scale);
        const bool body = p >= 1e-6 && p <= 1.0 - 1e-6;
        if (body && e > r.body) { r.body = e; r.body_p = p; }
        if (!body && e > r.tail) { r.tail = e; r.tail_p = p; }
    }
    return r;
}

}  // namespace

TEST_CASE("fast_quantile: beta shapes (PERT-like and general) within 1e-9 of Boost") {
    const double shapes[][2] = {{1.4, 4.6}, {3.0, 3.0}, {1.0, 5.0}, {5.0, 1.0}, {1.0, 1.0},
                                {4.6, 1.4}, {0.5, 0.5}, {0.7, 2.5}, {2.0, 30.0}, {30.4, 70.6},
                                {200.0, 3.0}, {1.0001, 4.9999}};
    for (const auto& ab : shapes) {
        boost::math::beta_distribution<double> d(ab[0], ab[1]);
        boost::math::beta_distribution<double, fast_pol> f(ab[0], ab[1]);
        const auto fq = make(d, f, 0.0, 1.0);
        const err_report r = errors(fq, d);
        MESSAGE("beta(" << ab[0] << ", " << ab[1] << "): body " << r.body << " at p = " << r.body_p
                        << ", tails " << r.tail << " at p = " << r.tail_p << "; nodes "
                        << fq.stats().nodes << ", cdf calls " << fq.stats().cdf_calls
                        << ", exact calls " << fq.stats().exact_calls);
        CHECK(r.body <= 1e-9);
        CHECK(r.tail <= 1e-9);
        // Construction is from the cdf: exact quantile calls stay a small fraction.
        CHECK(fq.stats().exact_calls <= 40);
        CHECK(fq.stats().cdf_calls <= 3 * fq.stats().nodes);
    }
}

TEST_CASE("fast_quantile: gamma and normal (unbounded supports)") {
    for (double k : {0.5, 1.0, 2.5, 20.0}) {
        boost::math::gamma_distribution<double> d(k, 2.0);
        boost::math::gamma_distribution<double, fast_pol> f(k, 2.0);
        const auto fq = make(d, f, 0.0, std::numeric_limits<double>::infinity());
        const err_report r = errors(fq, d);
        MESSAGE("gamma(" << k << "): body " << r.body << ", tails " << r.tail << " at p = "
                         << r.tail_p << "; exact calls " << fq.stats().exact_calls);
        CHECK(r.body <= 1e-9);
        CHECK(r.tail <= 1e-9);
    }
    boost::math::normal_distribution<double> d(3.0, 2.0);
    const auto fq = make(d, d, -std::numeric_limits<double>::infinity(),
                         std::numeric_limits<double>::infinity());
    const err_report r = errors(fq, d);
    MESSAGE("normal: body " << r.body << ", tails " << r.tail << " at p = " << r.tail_p);
    CHECK(r.body <= 1e-9);
    CHECK(r.tail <= 1e-9);
}

TEST_CASE("fast_quantile: edges, fallback below the table, batch = scalar") {
    boost::math::beta_distribution<double> d(2.0, 3.0);
    boost::math::beta_distribution<double, fast_pol> f(2.0, 3.0);
    const auto fq = make(d, f, 0.0, 1.0);
    CHECK(fq(0.0) == 0.0);
    CHECK(fq(1.0) == 1.0);
    CHECK(std::isnan(fq(std::numeric_limits<double>::quiet_NaN())));
    CHECK(std::isnan(fq(-0.5)));
    // Below 2^-51 the exact inverse answers: identical to Boost.
    for (double p : {1e-16, 1e-20, 1e-100, 1e-300}) CHECK(fq(p) == boost::math::quantile(d, p));
    const double q = 0x1.0p-53;
    CHECK(fq(1.0 - q) == boost::math::quantile(boost::math::complement(d, q)));
    std::vector<double> p = grid(1e-18, 10, 1000);
    p.push_back(0.0); p.push_back(1.0); p.push_back(0.5);
    std::vector<double> x(p.size());
    fq(p.data(), x.data(), p.size());
    for (std::size_t i = 0; i < p.size(); ++i) REQUIRE(x[i] == fq(p[i]));
    // Monotone on a fine grid of the body.
    double last = -1.0;
    for (int i = 1; i < 200000; ++i) {
        const double xi = fq(i / 200000.0);
        REQUIRE(xi >= last);
        last = xi;
    }
    // Copies share the table.
    const auto copy = fq;
    CHECK(copy(0.3) == fq(0.3));
}

TEST_CASE("fast_quantile: both sides built (in parallel where possible), statistics summed") {
    // The two sides of a table are built independently (the upper one on a second thread
    // where there is one): every call of the four functions is counted in the statistics,
    // each side solves its 901 nodes, and each side answers within 1e-9 (a side left unbuilt
    // would answer 0, one built from the other side's nodes would be far off).
    const boost::math::beta_distribution<double> d(2.5, 7.0);
    const boost::math::beta_distribution<double, fast_pol> f(2.5, 7.0);
    std::atomic<std::size_t> q_calls{0}, cdf_calls{0}, q_upper{0}, sf_upper{0};
    const offroi::detail::fast_quantile fq(
        [&](double p) { ++q_calls; return quantile(d, p); },
        [&](double q) { ++q_upper; return quantile(complement(d, q)); },
        [&](double x) { ++cdf_calls; return cdf(f, x); },
        [&](double x) { ++sf_upper; return cdf(complement(f, x)); }, 0.0, 1.0);
    CHECK(fq.stats().nodes == 1802);
    CHECK(fq.stats().exact_calls == q_calls.load() + q_upper.load());
    CHECK(fq.stats().cdf_calls == cdf_calls.load() + sf_upper.load());
    CHECK(q_calls.load() >= 10);
    CHECK(q_upper.load() >= 10);
    CHECK(sf_upper.load() > 0);
    for (double p : {1e-12, 1e-6, 0.01, 0.3, 0.5, 0.7, 0.99, 1 - 1e-6, 1 - 1e-12}) {
        const double exact = quantile(d, p);
        CHECK(std::fabs(fq(p) - exact) <= 1e-9 * std::max(std::fabs(exact), 0.1));
    }
    // Deterministic: a second build gives the same table, bit for bit.
    const auto g = make(d, f, 0.0, 1.0);
    for (int i = 1; i < 1000; ++i) {
        const double p = i / 1000.0;
        CHECK(std::bit_cast<std::uint64_t>(g(p)) == std::bit_cast<std::uint64_t>(fq(p)));
    }
}

TEST_CASE("fast_quantile: survives an exact inverse that throws (Boost 1.74, Beta(5, 5) at 0.5)") {
    boost::math::beta_distribution<double> d(5.0, 5.0);
    boost::math::beta_distribution<double, fast_pol> f(5.0, 5.0);
    const auto fq = make(d, f, 0.0, 1.0);  // the first node is the median, where Boost throws
    CHECK(fq.exact(0.5) == doctest::Approx(0.5).epsilon(1e-15));
    CHECK(fq(0.5) == doctest::Approx(0.5).epsilon(1e-14));
    const err_report r = [&] {
        err_report e;
        for (double p : grid(1e-15, 20, 2000)) {
            if (p == 0.5) continue;
            const double want = boost::math::quantile(d, p);
            e.body = std::max(e.body, std::fabs(fq(p) - want) / want);
        }
        return e;
    }();
    CHECK(r.body <= 1e-9);
}

TEST_CASE("fast_quantile: batch = scalar bit for bit on random p, any length, in place") {
    // The batch form runs four values at a time with AVX2 where the CPU has it; every value
    // must be the same bits as the scalar form, including groups of four that mix table
    // lanes with lanes below the table, at the edges or NaN (those take the scalar path).
    boost::math::gamma_distribution<double> d(0.7, 1.0);
    boost::math::gamma_distribution<double, fast_pol> f(0.7, 1.0);
    const auto fq = make(d, f, 0.0, std::numeric_limits<double>::infinity());
    std::uint64_t state = 0x9e3779b97f4a7c15ULL;
    auto next = [&] {  // splitmix64
        std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    };
    std::vector<double> p;
    for (int i = 0; i < 200000; ++i) {
        const double u = static_cast<double>(next() >> 11) * 0x1.0p-53;
        switch (i % 8) {
            case 0: p.push_back(std::ldexp(1.0 + u, -static_cast<int>(next() % 60) - 1)); break;
            case 1: p.push_back(1.0 - std::ldexp(1.0 + u, -static_cast<int>(next() % 54) - 2)); break;
            default: p.push_back(u); break;
        }
    }
    // Special values at scattered positions (lanes 0..3 of different groups).
    p[5] = 0.0; p[10] = 1.0; p[15] = 0.5; p[20] = 1e-17; p[25] = 1.0 - 0x1.0p-53;
    p[30] = std::numeric_limits<double>::quiet_NaN(); p[35] = 0x1.0p-51; p[40] = 0.5 + 0x1.0p-53;
    // Every vector path this CPU has (portable; AVX2: 16 values a step in four interleaved
    // groups, a step holding a value outside the table done lane by lane).
    for (int l = 0; l <= static_cast<int>(offroi::detail::cpu_simd_level()); ++l) {
        for (std::size_t n : {std::size_t(1), std::size_t(3), std::size_t(4), std::size_t(7),
                              std::size_t(41), p.size()}) {
            CAPTURE(l);
            const auto level = static_cast<offroi::detail::simd_level>(l);
            std::vector<double> x(n), y(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(n));
            fq.batch(p.data(), x.data(), n, level);
            fq.batch(y.data(), y.data(), n, level);  // in place
            std::size_t same = 0;
            for (std::size_t i = 0; i < n; ++i) {
                const double want = fq(p[i]);
                const bool eq = std::isnan(want) ? std::isnan(x[i]) && std::isnan(y[i])
                                                 : x[i] == want && y[i] == want &&
                                                       std::signbit(x[i]) == std::signbit(want);
                same += eq ? 1 : 0;
            }
            CHECK(same == n);
        }
    }
}

}  // namespace distributions_fast_quantile_test
