#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "offroi/error.hpp"
#include "offroi/random.hpp"
#include "offroi/stats/sample_statistics.hpp"
#include "offroi/stats/streaming_summary.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace stats_sample_statistics_test {

namespace {

std::vector<double> uniforms(std::uint64_t seed, std::size_t n) {
    std::vector<double> x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = offroi::uniform01(seed, 1, i, 0);
    return x;
}

// Tolerance for a count of successes among reps trials of probability c: 4.5 standard errors.
double binomial_tolerance(double reps, double c) { return 4.5 * std::sqrt(reps * c * (1 - c)); }

}  // namespace

TEST_CASE("type 7 quantiles match numpy") {
    const std::vector<double> a = {4, 1, 3, 2};
    CHECK(offroi::sample_quantile(a, 0.1) == doctest::Approx(1.3).epsilon(1e-15));
    CHECK(offroi::sample_quantile(a, 0.5) == 2.5);
    CHECK(offroi::sample_quantile(a, 0.0) == 1.0);
    CHECK(offroi::sample_quantile(a, 1.0) == 4.0);
    std::vector<double> b;
    for (int i = 10; i >= 1; --i) b.push_back(i);
    CHECK(offroi::sample_quantile(b, 0.33) == doctest::Approx(3.97).epsilon(1e-14));
}

TEST_CASE("order-statistic ranks: known values and exact coverage") {
    // n = 100, median, 95%: the classical ranks 40 and 61 (1-based), coverage 0.9648.
    auto r = offroi::quantile_ci_ranks(100, 0.5, 0.95);
    CHECK(r.lower == 39);
    CHECK(r.upper == 60);
    CHECK(r.coverage == doctest::Approx(0.9647997997822952).epsilon(1e-12));
    // n = 20, P90: no finite upper end exists at 95%.
    r = offroi::quantile_ci_ranks(20, 0.9, 0.95);
    CHECK(r.lower == 14);
    CHECK(r.upper == 20);
    for (std::uint64_t n : {1ULL, 7ULL, 50ULL, 1000ULL, 123457ULL, 10000000ULL})
        for (double p : {0.01, 0.1, 0.5, 0.9, 0.99}) {
            const auto q = offroi::quantile_ci_ranks(n, p, 0.9);
            CHECK(q.coverage >= 0.9);
            CHECK(q.lower < q.upper);
        }
}

TEST_CASE("percentile interval covers the true quantile at its exact rate") {
    // 400 repetitions of 200 uniforms: the true p-quantile is p.
    const int reps = 400;
    const std::size_t n = 200;
    for (double p : {0.1, 0.5, 0.9}) {
        const double c = offroi::quantile_ci_ranks(n, p, 0.95).coverage;
        int covered = 0;
        for (int k = 0; k < reps; ++k) {
            const offroi::sorted_sample s(uniforms(1000 + static_cast<std::uint64_t>(k), n));
            covered += s.quantile_ci(p, 0.95).contains(p);
        }
        CAPTURE(p);
        CAPTURE(c);
        CHECK(std::abs(covered - reps * c) <= binomial_tolerance(reps, c));
    }
}

TEST_CASE("mean interval covers the true mean in about 95% of seeds") {
    const int reps = 400;
    int covered = 0, covered_stream = 0;
    for (int k = 0; k < reps; ++k) {
        const auto x = uniforms(5000 + static_cast<std::uint64_t>(k), 100);
        covered += offroi::sample_mean_ci(x, 0.95).contains(0.5);
        offroi::streaming_summary s;
        s.add(x.data(), x.size());
        covered_stream += s.mean_ci(0.95).contains(0.5);
    }
    CHECK(std::abs(covered - reps * 0.95) <= binomial_tolerance(reps, 0.95));
    CHECK(covered_stream == covered);
}

TEST_CASE("expected shortfall: hand example and closed forms") {
    std::vector<double> x;
    for (int i = 1; i <= 10; ++i) x.push_back(i);
    // m = 2.5: (1 + 2 + 0.5 * 3) / 2.5 = 1.8; upper: (10 + 9 + 0.5 * 8) / 2.5 = 9.2
    CHECK(offroi::sample_expected_shortfall(x, 0.25, offroi::tail::lower) == doctest::Approx(1.8).epsilon(1e-15));
    CHECK(offroi::sample_expected_shortfall(x, 0.25, offroi::tail::upper) == doctest::Approx(9.2).epsilon(1e-15));
    CHECK(offroi::sample_expected_shortfall(x, 1.0, offroi::tail::lower) == 5.5);

    const std::size_t n = 1000000;
    auto u = uniforms(77, n);
    // Uniform(0,1), lower 10%: ES = 0.05. Asymptotic variance of the estimator:
    // (Var(X | X < q) + (1 - a)(q - ES)^2) / (n a) = (0.01/12 + 0.9 * 0.0025) / (0.1 n).
    const double se_u = std::sqrt((0.01 / 12 + 0.9 * 0.0025) / (0.1 * n));
    const double es_u = offroi::sample_expected_shortfall(u, 0.1, offroi::tail::lower);
    CHECK(std::abs(es_u - 0.05) <= 4.5 * se_u);
    // Exponential(1), upper 5%: ES = 1 + ln 20; variance (1 + 0.95 * 1) / (0.05 n).
    std::vector<double> e(n);
    for (std::size_t i = 0; i < n; ++i) e[i] = -std::log(u[i]);
    const double se_e = std::sqrt(1.95 / (0.05 * n));
    const double es_e = offroi::sample_expected_shortfall(e, 0.05, offroi::tail::upper);
    CHECK(std::abs(es_e - (1 + std::log(20.0))) <= 4.5 * se_e);
    // The sketch's ES is within alpha * |ES| of the exact one (one-signed tail).
    for (double alpha : {1e-3, 1e-2}) {
        offroi::summary_options o;
        o.sketch_relative_accuracy = alpha;
        offroi::streaming_summary s(o);
        s.add(e.data(), e.size());
        CHECK(std::abs(s.expected_shortfall(0.05, offroi::tail::upper) - es_e) <= alpha * es_e);
        const double es_low = offroi::sample_expected_shortfall(e, 0.01, offroi::tail::lower);
        CHECK(std::abs(s.expected_shortfall(0.01, offroi::tail::lower) - es_low) <= alpha * es_low);
    }
}

TEST_CASE("exceedance and histogram: exact counts and sketch bounds") {
    std::mt19937_64 g(4);
    std::normal_distribution<double> d(1e5, 1e6);
    std::vector<double> x(200000);
    for (auto& v : x) v = d(g);
    offroi::summary_options o;
    o.thresholds = {0.0, 5e5, -1e6};
    offroi::streaming_summary s(o);
    s.add(x.data(), x.size());
    const offroi::sorted_sample ss(x);
    for (double t : o.thresholds) {
        CHECK(s.exceedance_is_exact(t));
        CHECK(s.prob_exceed(t) == ss.prob_exceed(t));
        CHECK(s.prob_below(t) == ss.prob_below(t));
        CHECK(s.prob_exceed(t) == offroi::sample_prob_exceed(x, t));
        CHECK(s.prob_below(t) == offroi::sample_prob_below(x, t));
    }
    // Not a threshold: the sketch differs by at most the values within ~2 alpha of t.
    for (double t : {-2e6, 3e5, 1.7e6}) {
        CHECK(!s.exceedance_is_exact(t));
        const double near = ss.prob_exceed(t * (1 - 2.1e-3)) - ss.prob_exceed(t * (1 + 2.1e-3));
        CHECK(std::abs(s.prob_exceed(t) - ss.prob_exceed(t)) <= std::abs(near) + 1e-15);
        CHECK(std::abs(s.prob_below(t) - ss.prob_below(t)) <= std::abs(near) + 1e-15);
    }
    CHECK(s.prob_exceed(1e300) == 0.0);
    CHECK(s.prob_below(-1e300) == 0.0);

    const std::vector<double> edges = {0, 1, 2, 3};
    const std::vector<double> small = {-1, 0, 0.5, 1, 2.5, 3, 3, 4};
    const auto h = offroi::sample_histogram(small, edges);
    CHECK(h.counts == std::vector<std::uint64_t>{2, 1, 3});
    CHECK(h.below == 1);
    CHECK(h.above == 1);
    const auto he = ss.histogram(std::size_t{20});
    const auto hs = s.histogram(20);
    CHECK(he.total() == x.size());
    CHECK(hs.total() == x.size());
    CHECK(!hs.exact);
    CHECK(hs.edges == he.edges);
    for (std::size_t k = 0; k < 20; ++k) {
        // Only values within alpha of an edge can move between bins.
        const double lo = he.edges[k], hi = he.edges[k + 1];
        auto near_edge = [&](double e) {
            return static_cast<double>(x.size()) *
                   std::abs(ss.prob_below(e + 1e-3 * std::abs(e)) - ss.prob_below(e - 1e-3 * std::abs(e)));
        };
        CHECK(std::abs(static_cast<double>(hs.counts[k]) - static_cast<double>(he.counts[k])) <=
              near_edge(lo) + near_edge(hi));
    }
}

TEST_CASE("bad inputs are rejected with the parameter named") {
    const std::vector<double> x = {1, 2, 3};
    auto message = [](auto&& f) {
        try {
            f();
        } catch (const offroi::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("no throw");
    };
    CHECK(message([&] { offroi::sample_quantile(x, 1.5); }).find("p = 1.5") != std::string::npos);
    CHECK(message([&] { offroi::sample_quantile(x, -0.1); }).find("p =") != std::string::npos);
    CHECK(message([&] { offroi::sample_quantile_ci(x, 0.0); }).find("p = 0") != std::string::npos);
    CHECK(message([&] { offroi::sample_quantile_ci(x, 0.5, 1.0); }).find("level = 1") != std::string::npos);
    CHECK(message([&] { offroi::sample_mean_ci(x, std::nan("")); }).find("level") != std::string::npos);
    CHECK(message([&] { offroi::sample_expected_shortfall(x, 0.0, offroi::tail::lower); }).find("alpha") != std::string::npos);
    const std::vector<double> bad = {1, std::nan(""), 3};
    CHECK(message([&] { offroi::sample_quantile(bad, 0.5); }).find("value[1]") != std::string::npos);
    CHECK(message([&] { offroi::sample_quantile(std::vector<double>{}, 0.5); }) != "no throw");
    const std::vector<double> bad_edges = {0, 2, 1};
    CHECK(message([&] { offroi::sample_histogram(x, bad_edges); }).find("edges[2]") != std::string::npos);
    offroi::streaming_summary s;
    s.add(x.data(), x.size());
    CHECK(message([&] { (void)s.quantile(2.0); }).find("p = 2") != std::string::npos);
    CHECK(message([&] { (void)s.mean_ci(0.0); }).find("level = 0") != std::string::npos);
    CHECK(message([&] { (void)s.expected_shortfall(1.5, offroi::tail::upper); }).find("alpha = 1.5") != std::string::npos);
    CHECK(message([&] { (void)s.prob_exceed(std::nan("")); }).find("t = nan") != std::string::npos);
    CHECK(message([&] { (void)s.histogram(0); }).find("bins") != std::string::npos);
    offroi::summary_options o;
    o.thresholds = {1.0};
    offroi::streaming_summary other(o);
    CHECK(message([&] { s.merge(other); }).find("summary_options") != std::string::npos);
    o.thresholds = {INFINITY};
    CHECK(message([&] { offroi::streaming_summary t(o); }).find("thresholds[0]") != std::string::npos);
}

TEST_CASE("selecting a few ranks gives the sorted values at those ranks") {
    std::mt19937_64 g(12);
    std::normal_distribution<double> d(0.0, 1.0);
    for (std::size_t n : {2u, 3u, 10u, 1000u, 54321u}) {
        std::vector<double> x(n);
        for (auto& v : x) v = std::round(d(g) * 50.0);  // many ties
        auto sorted = x;
        std::sort(sorted.begin(), sorted.end());
        std::uniform_int_distribution<std::size_t> u(0, n - 1);
        std::vector<std::size_t> ranks;
        for (int k = 0; k < 7; ++k) ranks.push_back(u(g));
        ranks.push_back(0);
        ranks.push_back(n - 1);
        std::sort(ranks.begin(), ranks.end());
        ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
        offroi::detail::select_ranks(x, ranks);
        for (std::size_t r : ranks) {
            CHECK(x[r] == sorted[r]);
            CHECK(*std::max_element(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(r) + 1) == x[r]);
            CHECK(*std::min_element(x.begin() + static_cast<std::ptrdiff_t>(r), x.end()) == x[r]);
        }
    }
}

TEST_CASE("selecting ranks past the branch-free cut-over: any order, ties, one value") {
    // select_rank partitions branch free from 4 096 values on: random, sorted, reversed,
    // two values, few values, all equal, an organ pipe; the 13 ranks a summary asks for
    // (P10, P50, P90 with their confidence ranks, the 5% shortfall boundary) and random ones.
    std::mt19937_64 g(21);
    std::normal_distribution<double> d(0.0, 1.0);
    for (std::size_t n : {4095u, 4096u, 20000u, 100003u}) {
        for (int kind = 0; kind < 7; ++kind) {
            std::vector<double> x(n);
            for (auto& v : x) v = d(g);
            if (kind == 1) std::sort(x.begin(), x.end());
            if (kind == 2) std::sort(x.rbegin(), x.rend());
            if (kind == 3)
                for (auto& v : x) v = v > 0.3 ? 1.0 : 0.0;
            if (kind == 4)
                for (auto& v : x) v = std::round(v * 2.0);
            if (kind == 5)
                for (auto& v : x) v = 7.0;
            if (kind == 6)
                for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<double>(std::min(i, n - 1 - i));
            auto sorted = x;
            std::sort(sorted.begin(), sorted.end());
            const double levels[] = {0.1, 0.5, 0.9};
            std::vector<std::size_t> ranks =
                offroi::detail::summary_ranks(n, levels, 0.95, 0.05, offroi::tail::lower);
            std::uniform_int_distribution<std::size_t> u(0, n - 1);
            for (int k = 0; k < 3; ++k) ranks.push_back(u(g));
            std::sort(ranks.begin(), ranks.end());
            ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
            offroi::detail::select_ranks(x, ranks);
            INFO("n = " << n << ", kind " << kind);
            bool placed = true;
            for (std::size_t r : ranks) {
                placed = placed && x[r] == sorted[r] &&
                         *std::max_element(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(r) + 1) == x[r] &&
                         *std::min_element(x.begin() + static_cast<std::ptrdiff_t>(r), x.end()) == x[r];
            }
            CHECK(placed);
            // The values are only moved: the same multiset as before.
            std::sort(x.begin(), x.end());
            CHECK(x == sorted);
            // The 5% lower shortfall from the selected values is the sorted sample's, bit for bit.
            auto y = sorted;
            std::shuffle(y.begin(), y.end(), g);
            offroi::detail::select_ranks(y, ranks);
            CHECK(offroi::detail::shortfall_from_selected(y, 0.05, offroi::tail::lower) ==
                  offroi::detail::shortfall_from_selected(sorted, 0.05, offroi::tail::lower));
        }
    }
}

}  // namespace stats_sample_statistics_test
