#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "offroi/error.hpp"
#include "offroi/stats/quantile_sketch.hpp"
#include "offroi/stats/streaming_summary.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace stats_quantile_sketch_test {

namespace {

std::vector<double> make(const std::string& kind, std::size_t n, std::uint64_t seed) {
    std::mt19937_64 g(seed);
    std::vector<double> x(n);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    if (kind == "lognormal") {
        std::lognormal_distribution<double> d(10.0, 2.5);
        for (auto& v : x) v = d(g);
    } else if (kind == "pareto") {  // tail index 1.1: infinite variance
        for (auto& v : x) v = 1e3 * std::pow(1.0 - u(g), -1.0 / 1.1);
    } else if (kind == "mixed") {  // costs of either sign from 1e3 to 1e9, and some zeros
        for (auto& v : x) {
            const double r = u(g);
            v = r < 0.02 ? 0.0 : (r < 0.4 ? -1.0 : 1.0) * std::pow(10.0, 3.0 + 6.0 * u(g));
        }
    } else if (kind == "months") {  // small integers: many ties
        std::poisson_distribution<int> d(18.0);
        for (auto& v : x) v = static_cast<double>(1 + d(g));
    } else {  // normal around zero
        std::normal_distribution<double> d(2e5, 1e6);
        for (auto& v : x) v = d(g);
    }
    return x;
}

double type7(const std::vector<double>& sorted, double p) {
    const double h = p * static_cast<double>(sorted.size() - 1);
    const double fl = std::floor(h);
    const auto k = static_cast<std::size_t>(fl);
    const double a = sorted[k];
    if (h == fl || k + 1 >= sorted.size()) return a;
    return a + (h - fl) * (sorted[k + 1] - a);
}

}  // namespace

TEST_CASE("bucket geometry: hi/lo < gamma and every value lies in its bucket") {
    for (double alpha : {1e-6, 1e-4, 1e-3, 1e-2, 0.1, 0.5}) {
        offroi::quantile_sketch s(alpha);
        const double gamma = (1 + alpha) / (1 - alpha);
        std::mt19937_64 g(3);
        std::uniform_real_distribution<double> e(-1000.0, 1000.0);
        for (int k = 0; k < 20000; ++k) {
            const double x = std::pow(2.0, e(g));
            const auto i = s.index_of(x);
            const double lo = s.bucket_lower(i), hi = s.bucket_upper(i);
            REQUIRE(hi / lo < gamma);
            REQUIRE(lo <= x * (1 + 1e-15));
            REQUIRE(x <= hi * (1 + 1e-15));
            const double rep = s.bucket_representative(i);
            REQUIRE(std::abs(rep - x) <= alpha * x);
        }
    }
}

TEST_CASE("index is monotone across binade boundaries and DBL_MIN..DBL_MAX") {
    offroi::quantile_sketch s(1e-3);
    double prev = DBL_MIN;
    auto pi = s.index_of(prev);
    for (double x = DBL_MIN; x < DBL_MAX / 1.0001; x *= 1.0001) {
        const auto i = s.index_of(x);
        REQUIRE(i >= pi);
        pi = i;
        prev = x;
    }
    CHECK(s.index_of(1.0) == 0);
    CHECK(s.index_of(2.0) >= s.index_of(std::nextafter(2.0, 0.0)));
}

TEST_CASE("every order statistic within alpha relative error on heavy-tailed data") {
    for (const std::string kind : {"lognormal", "pareto", "mixed", "months", "normal"}) {
        for (double alpha : {1e-3, 1e-2}) {
            CAPTURE(kind);
            CAPTURE(alpha);
            auto x = make(kind, 100000, 11);
            offroi::summary_options o;
            o.sketch_relative_accuracy = alpha;
            offroi::streaming_summary s(o);
            s.add(x.data(), x.size());
            CHECK(!s.sketch().collapsed());
            std::sort(x.begin(), x.end());
            std::size_t worst_rank_error = 0;
            const auto buckets = s.sketch().buckets();
            for (std::size_t r = 0; r < x.size(); r += 97) {
                const double v = s.value_at_rank(r);
                REQUIRE(std::abs(v - x[r]) <= alpha * std::abs(x[r]));
                // rank error: r must be within the count of v's bucket of v's true ranks
                const auto lb = static_cast<std::size_t>(std::lower_bound(x.begin(), x.end(), v) - x.begin());
                const auto ub = static_cast<std::size_t>(std::upper_bound(x.begin(), x.end(), v) - x.begin());
                const std::size_t err = r < lb ? lb - r : (r >= ub && ub > 0 ? r - (ub - 1) : 0);
                worst_rank_error = std::max(worst_rank_error, err);
                std::uint64_t bucket_count = 0;
                for (const auto& b : buckets)
                    if (x[r] >= b.lower && x[r] <= b.upper) bucket_count = std::max(bucket_count, b.count);
                if (x[r] != 0.0) REQUIRE(err <= bucket_count);
            }
            for (double p : {0.0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0}) {
                const double q = type7(x, p);
                const double h = p * static_cast<double>(x.size() - 1);
                const auto k = static_cast<std::size_t>(std::floor(h));
                const double bound =
                    alpha * std::max(std::abs(x[k]), std::abs(x[std::min(k + 1, x.size() - 1)]));
                CAPTURE(p);
                CHECK(std::abs(s.quantile(p) - q) <= bound);
            }
            CHECK(s.quantile(0.0) == x.front());
            CHECK(s.quantile(1.0) == x.back());
        }
    }
}

TEST_CASE("collapsing the smallest magnitudes keeps merges order independent") {
    auto x = make("lognormal", 60000, 5);
    auto y = make("mixed", 60000, 6);
    x.insert(x.end(), y.begin(), y.end());
    offroi::summary_options o;
    o.sketch_max_buckets = 300;  // far fewer than the data span: forces collapsing
    o.sketch_relative_accuracy = 1e-2;
    offroi::streaming_summary whole(o);
    whole.add(x.data(), x.size());
    CHECK(whole.sketch().collapsed());
    CHECK(whole.sketch().memory_bytes() <= 2 * (300 + 64) * 8);
    std::mt19937_64 g(9);
    for (int rep = 0; rep < 10; ++rep) {
        auto z = x;
        std::shuffle(z.begin(), z.end(), g);
        std::uniform_int_distribution<std::size_t> u(0, z.size());
        std::size_t a = u(g), b = u(g);
        if (a > b) std::swap(a, b);
        offroi::streaming_summary p1(o), p2(o), p3(o);
        p1.add(z.data(), a);
        p2.add(z.data() + a, b - a);
        p3.add(z.data() + b, z.size() - b);
        offroi::streaming_summary m(o);
        if (rep % 2) {
            m.merge(p3);
            m.merge(p1);
            m.merge(p2);
        } else {
            p2.merge(p1);
            p3.merge(p2);
            m = p3;
        }
        CHECK(m == whole);
        for (double p : {0.01, 0.5, 0.99}) CHECK(m.quantile(p) == whole.quantile(p));
    }
    // The largest magnitudes keep their accuracy.
    std::sort(x.begin(), x.end());
    for (double p : {0.001, 0.999}) {
        const double q = type7(x, p);
        CHECK(std::abs(whole.quantile(p) - q) <= 1e-2 * std::abs(q) * 1.0001);
    }
}

TEST_CASE("sketch parameters are validated") {
    CHECK_THROWS_AS(offroi::quantile_sketch(0.0), offroi::invalid_argument);
    CHECK_THROWS_AS(offroi::quantile_sketch(0.7), offroi::invalid_argument);
    CHECK_THROWS_AS(offroi::quantile_sketch(std::nan("")), offroi::invalid_argument);
    CHECK_THROWS_AS(offroi::quantile_sketch(1e-3, 4), offroi::invalid_argument);
    try {
        offroi::quantile_sketch s(2.0);
    } catch (const offroi::invalid_argument& e) {
        CHECK(std::string(e.what()).find("relative_accuracy") != std::string::npos);
    }
    offroi::quantile_sketch a(1e-3), b(1e-2);
    CHECK_THROWS_AS(a.merge(b), offroi::invalid_argument);
    CHECK_THROWS_AS(a.value_at_rank(0), offroi::invalid_argument);
}

// quantile_sketch::add(const double*, n) computes bucket indices four at a time where AVX2 is
// available (detail::sketch_codes_avx2); it must count every value in the bucket index_of
// gives, so the state (and its bytes) equals adding the values one by one.
TEST_CASE("batched add: the same buckets as index_of, value by value") {
    for (double alpha : {1e-6, 1e-3, 1e-2, 0.5}) {
        CAPTURE(alpha);
        offroi::quantile_sketch probe(alpha);
        std::vector<double> special = {0.0, -0.0, 4.9e-324, -4.9e-324, 2.2e-310, -1e-315, DBL_MIN, -DBL_MIN,
                                       std::nextafter(DBL_MIN, 0.0), std::nextafter(DBL_MIN, 1.0), DBL_MAX,
                                       -DBL_MAX, 1.0, -1.0, 2.0, std::nextafter(2.0, 0.0), 0.5, 3.0, 1e300,
                                       -1e-300, 1e6, -1234567.0};
        // Bucket edges: the largest magnitude of a bucket and its neighbours (index_of puts
        // them on either side of the edge; the batch must agree to the last bit).
        std::mt19937_64 g(17);
        std::uniform_int_distribution<std::int64_t> bucket(probe.index_of(DBL_MIN) + 1, probe.index_of(DBL_MAX) - 1);
        for (int k = 0; k < 400; ++k) {
            const double edge = probe.bucket_upper(bucket(g));
            for (double v : {edge, std::nextafter(edge, 0.0), std::nextafter(edge, INFINITY)})
                special.push_back(k % 2 ? v : -v);
        }
        // Binade edges.
        for (int e = -1022; e <= 1023; e += 7) {
            const double p = std::ldexp(1.0, e);
            for (double v : {p, std::nextafter(p, 0.0), std::nextafter(p, INFINITY)}) special.push_back(e % 2 ? v : -v);
        }
        // Each value alone (in every lane of a group of four, and in the scalar tail), then all
        // of them together in several orders.
        for (double v : special) {
            CAPTURE(v);
            for (std::size_t n : {1, 3, 4, 5, 8, 11}) {
                const std::vector<double> x(n, v);
                offroi::quantile_sketch batch(alpha), one(alpha);
                batch.add(x.data(), x.size());
                for (double y : x) one.add(y);
                REQUIRE(batch.to_bytes() == one.to_bytes());
            }
        }
        for (int rep = 0; rep < 3; ++rep) {
            std::shuffle(special.begin(), special.end(), g);
            offroi::quantile_sketch batch(alpha), one(alpha);
            batch.add(special.data(), special.size());
            for (double y : special) one.add(y);
            CHECK(batch.to_bytes() == one.to_bytes());
            CHECK(batch.count() == special.size());
        }
    }
    // Mixed data over many batches, collapsing stores included.
    auto x = make("mixed", 50001, 3);
    for (std::size_t max_buckets : {std::size_t{16384}, std::size_t{40}}) {
        offroi::quantile_sketch batch(1e-2, max_buckets), one(1e-2, max_buckets);
        batch.add(x.data(), 3);  // a tail only
        batch.add(x.data() + 3, x.size() - 3);
        for (double y : x) one.add(y);
        CHECK(batch.to_bytes() == one.to_bytes());
        CHECK(batch.collapsed() == (max_buckets == 40));
        CHECK(batch == one);
    }
}

TEST_CASE("batched add: zeros and subnormals at every lane among both signs") {
    // The batch counts zeros (and subnormals) apart, through one sink per lane position; the
    // other values of the same groups of four must land in their own buckets.
    const double others[] = {-3.0, 7.5, 1e6, -2.5e-3, 42.0};
    const double zeros[] = {0.0, -0.0, 4.9e-324, -2.2e-310};
    std::mt19937_64 g(29);
    std::uniform_int_distribution<std::size_t> pick(0, std::size(others) - 1), pick_zero(0, std::size(zeros) - 1);
    std::bernoulli_distribution is_zero(0.5);
    for (std::size_t n = 1; n <= 70; ++n) {
        CAPTURE(n);
        for (int rep = 0; rep < 8; ++rep) {
            std::vector<double> x(n);
            for (auto& v : x) v = is_zero(g) ? zeros[pick_zero(g)] : others[pick(g)];
            if (rep == 0) x.assign(n, 0.0);
            if (rep == 1) for (std::size_t i = 0; i < n; ++i) x[i] = i % 4 == 1 ? 5.0 : 0.0;
            offroi::quantile_sketch batch(1e-3), one(1e-3);
            batch.add(x.data(), x.size());
            for (double y : x) one.add(y);
            REQUIRE(batch.to_bytes() == one.to_bytes());
        }
    }
}

TEST_CASE("a summary reset by assignment and refilled: the state and bits of a fresh one") {
    // The engine resets each block's summaries from empty prototypes (copy-assignment keeps
    // the cells' capacity, which the next values are laid out in): whatever the previous
    // content, the refilled summary equals a fresh one with the same values, in memory
    // within the bound, and gives the same quantiles bit for bit.
    for (std::size_t max_buckets : {std::size_t{300}, std::size_t{16384}}) {
        offroi::summary_options o;
        o.sketch_max_buckets = max_buckets;
        const offroi::streaming_summary empty(o);
        offroi::streaming_summary reused(o);
        const std::vector<std::string> kinds = {"lognormal", "mixed", "months", "normal", "pareto", "tiny", "mixed"};
        std::uint64_t seed = 40;
        for (const auto& kind : kinds)
            for (std::size_t n : {std::size_t{4096}, std::size_t{37}, std::size_t{20000}}) {
                auto x = make(kind == "tiny" ? "lognormal" : kind, n, ++seed);
                if (kind == "tiny")
                    for (auto& v : x) v *= 1e-40;  // far below the previous cells
                reused = empty;
                reused.add(x.data(), x.size());
                offroi::streaming_summary fresh(o);
                fresh.add(x.data(), x.size());
                INFO(kind << " n " << n << " max_buckets " << max_buckets);
                CHECK(reused == fresh);
                CHECK(reused.sketch().memory_bytes() <= 2 * (max_buckets + 64) * 8);
                for (double p : {0.0, 1e-4, 0.01, 0.1, 0.5, 0.9, 0.99, 1.0})
                    CHECK(std::bit_cast<std::uint64_t>(reused.quantile(p)) ==
                          std::bit_cast<std::uint64_t>(fresh.quantile(p)));
                // And merged into a running total, as the engine does.
                offroi::streaming_summary total(o), total_fresh(o);
                total.merge(reused);
                total_fresh.merge(fresh);
                CHECK(total == total_fresh);
            }
    }
}

}  // namespace stats_quantile_sketch_test
