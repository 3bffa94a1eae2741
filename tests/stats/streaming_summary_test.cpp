#include <doctest/doctest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include <boost/multiprecision/cpp_bin_float.hpp>

#include "offroi/error.hpp"
#include "offroi/stats/streaming_summary.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace stats_streaming_summary_test {

namespace {

using big = boost::multiprecision::number<boost::multiprecision::cpp_bin_float<2400>>;

std::vector<double> lognormal_mixed(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 g(seed);
    std::lognormal_distribution<double> ln(12.0, 2.0);
    std::bernoulli_distribution neg(0.3);
    std::vector<double> x(n);
    for (auto& v : x) v = neg(g) ? -ln(g) : ln(g);
    return x;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

TEST_CASE("moments match a 2400-bit reference") {
    auto x = lognormal_mixed(20000, 1);
    x.push_back(1e-300);
    x.push_back(-3e-310);  // subnormal
    x.push_back(1.5e150);
    x.push_back(-1.5e150);
    offroi::streaming_summary s;
    s.add(x.data(), x.size());
    big s1 = 0, s2 = 0;
    for (double v : x) {
        s1 += big(v);
        s2 += big(v) * big(v);
    }
    const big n = big(x.size());
    const big mean = s1 / n;
    const big var = (s2 - s1 * s1 / n) / (n - 1);
    CHECK(s.count() == x.size());
    CHECK(s.sum() == static_cast<double>(s1));
    CHECK(s.mean() == static_cast<double>(mean));
    // Correctly rounded (the exact numerator leaves only a 2^-100 relative error before
    // the final rounding; a tie this close is not in this data).
    CHECK(s.variance() == static_cast<double>(var));
    CHECK(s.standard_deviation() == static_cast<double>(sqrt(var)));
}

TEST_CASE("variance has no cancellation when |mean| / sd is huge") {
    // Costs of 1e9 dollars varying by cents: mean / sd about 3e9.
    std::mt19937_64 g(5);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<double> x(100000);
    for (auto& v : x) v = 1e9 + u(g);
    offroi::streaming_summary s;
    s.add(x.data(), x.size());
    big s1 = 0, s2 = 0;
    for (double v : x) {
        s1 += big(v);
        s2 += big(v) * big(v);
    }
    const big n = big(x.size());
    const big var = (s2 - s1 * s1 / n) / (n - 1);
    CHECK(s.variance() == static_cast<double>(var));
    CHECK(s.mean() == static_cast<double>(s1 / n));
    CHECK(s.standard_error() == doctest::Approx(static_cast<double>(sqrt(var / n))).epsilon(1e-15));
}

TEST_CASE("merge is bitwise order independent") {
    auto x = lognormal_mixed(50000, 2);
    offroi::summary_options o;
    o.thresholds = {0.0, 1e5};
    offroi::streaming_summary whole(o);
    whole.add(x.data(), x.size());
    std::mt19937_64 g(7);
    for (int rep = 0; rep < 20; ++rep) {
        auto y = x;
        std::shuffle(y.begin(), y.end(), g);
        // random split points at any index
        std::vector<std::size_t> cuts = {0, y.size()};
        std::uniform_int_distribution<std::size_t> u(0, y.size());
        for (int k = 0; k < 6; ++k) cuts.push_back(u(g));
        std::sort(cuts.begin(), cuts.end());
        std::vector<offroi::streaming_summary> parts;
        for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
            parts.emplace_back(o);
            parts.back().add(y.data() + cuts[k], cuts[k + 1] - cuts[k]);
        }
        std::shuffle(parts.begin(), parts.end(), g);
        offroi::streaming_summary m(o);
        for (auto& p : parts) m.merge(p);
        CHECK(m == whole);
        CHECK(same_bits(m.mean(), whole.mean()));
        CHECK(same_bits(m.variance(), whole.variance()));
        CHECK(same_bits(m.standard_error(), whole.standard_error()));
        CHECK(same_bits(m.min(), whole.min()));
        CHECK(same_bits(m.max(), whole.max()));
        CHECK(m.mean_ci() == whole.mean_ci());
        for (double p : {0.0, 0.01, 0.1, 0.5, 0.9, 0.99, 1.0}) CHECK(same_bits(m.quantile(p), whole.quantile(p)));
        for (double t : {-1e5, 0.0, 3e4, 1e5, 1e7}) {
            CHECK(same_bits(m.prob_exceed(t), whole.prob_exceed(t)));
            CHECK(same_bits(m.prob_below(t), whole.prob_below(t)));
        }
        for (auto w : {offroi::tail::lower, offroi::tail::upper})
            CHECK(same_bits(m.expected_shortfall(0.05, w), whole.expected_shortfall(0.05, w)));
        const auto hm = m.histogram(30), hw = whole.histogram(30);
        CHECK(hm.counts == hw.counts);
        CHECK(hm.edges == hw.edges);
    }
}

TEST_CASE("edge cases: constants, extremes, empty parts") {
    offroi::streaming_summary c;
    const std::vector<double> same(1000, 0.1);
    c.add(same);
    CHECK(c.mean() == 0.1);
    CHECK(c.variance() == 0.0);
    CHECK(c.standard_error() == 0.0);
    CHECK(c.quantile(0.5) == 0.1);
    CHECK(c.histogram(4).counts == std::vector<std::uint64_t>{1000, 0, 0, 0});

    offroi::streaming_summary big_values;
    const std::vector<double> huge = {DBL_MAX, DBL_MAX, DBL_MAX};
    big_values.add(huge);
    CHECK(big_values.mean() == DBL_MAX);  // the sum overflows a double, the mean does not
    CHECK(big_values.variance() == 0.0);

    offroi::streaming_summary tiny;
    const std::vector<double> sub = {4.9e-324, 9.9e-324, 0.0, -4.9e-324};
    tiny.add(sub);
    CHECK(tiny.mean() == std::ldexp(1.0, -1074) * 2 / 4 * 1);  // exact sum 3 * 2^-1074 - 2^-1074
    CHECK(tiny.variance() >= 0.0);

    // Signed zeros: min and max do not depend on which zero came first.
    offroi::streaming_summary z1, z2;
    z1.add(std::vector<double>{-0.0, 0.0});
    z2.add(std::vector<double>{0.0, -0.0});
    CHECK(same_bits(z1.min(), z2.min()));
    CHECK(same_bits(z1.max(), z2.max()));
    CHECK(z1 == z2);

    // Merging an empty summary changes nothing; merging into an empty one copies.
    auto x = lognormal_mixed(1000, 3);
    offroi::streaming_summary a, e1, e2;
    a.add(x.data(), x.size());
    offroi::streaming_summary b = a;
    b.merge(e1);
    CHECK(b == a);
    e2.merge(a);
    CHECK(e2 == a);
    CHECK(same_bits(e2.quantile(0.3), a.quantile(0.3)));

    // Single values are accepted; statistics needing two values say so.
    offroi::streaming_summary one;
    one.add(5.0);
    CHECK(one.mean() == 5.0);
    CHECK(one.quantile(0.5) == 5.0);
    CHECK_THROWS_WITH_AS(one.variance(), doctest::Contains("at least 2"), offroi::invalid_argument);
}

TEST_CASE("add rejects non-finite values and adds nothing") {
    offroi::streaming_summary s;
    std::vector<double> x = {1.0, 2.0, std::nan(""), 4.0};
    CHECK_THROWS_AS(s.add(x.data(), x.size()), offroi::invalid_argument);
    CHECK(s.count() == 0);
    try {
        s.add(x.data(), x.size());
    } catch (const offroi::invalid_argument& e) {
        CHECK(std::string(e.what()).find("value[2]") != std::string::npos);
    }
    x[2] = INFINITY;
    CHECK_THROWS_AS(s.add(x.data(), x.size()), offroi::invalid_argument);
    CHECK_THROWS_AS(s.mean(), offroi::invalid_argument);
}

// merge takes a block summary's sketch cells in one pass and adds the exact sums without
// normalising them; the state must be exactly what adding the values themselves gives,
// including when a merged part's buckets fall below the other's collapsing floor.
TEST_CASE("merging parts gives the bytes of adding their values, collapsed sketches included") {
    std::vector<double> x = lognormal_mixed(20000, 4);
    // Special values: zeros of both signs, subnormals, DBL_MIN, huge magnitudes.
    for (double v : {0.0, -0.0, 4.9e-324, -4.9e-324, 2.2e-310, DBL_MIN, -DBL_MIN, 1e-300, -1e300,
                     DBL_MAX / 4, -DBL_MAX / 8, 1.0, 1.0, 1.0})
        x.push_back(v);
    std::mt19937_64 g(11);
    std::shuffle(x.begin(), x.end(), g);
    for (std::size_t max_buckets : {std::size_t{16384}, std::size_t{64}, std::size_t{16}}) {
        CAPTURE(max_buckets);
        offroi::summary_options o;
        o.sketch_max_buckets = max_buckets;
        o.sketch_relative_accuracy = max_buckets == 16384 ? 1e-3 : 1e-2;
        o.thresholds = {0.0, 1e5};
        offroi::streaming_summary whole(o);
        for (double v : x) whole.add(v);  // one value at a time
        // Parts of uneven sizes, merged in order, then in reverse order into another total.
        const std::size_t sizes[] = {1, 4096, 3, 1999, 2000, 700, 1, 2500};
        std::vector<offroi::streaming_summary> parts;
        for (std::size_t at = 0, k = 0; at < x.size(); ++k) {
            const std::size_t n = std::min(sizes[k % 8], x.size() - at);
            parts.emplace_back(o);
            parts.back().add(x.data() + at, n);
            at += n;
        }
        offroi::streaming_summary fwd(o), rev(o);
        for (const auto& p : parts) fwd.merge(p);
        for (auto it = parts.rbegin(); it != parts.rend(); ++it) rev.merge(*it);
        CHECK(fwd.to_bytes() == whole.to_bytes());
        CHECK(rev.to_bytes() == whole.to_bytes());
        CHECK(fwd.sketch().collapsed());  // DBL_MIN ... DBL_MAX / 4 spans more than 14 decades
        // A part whose smallest buckets lie far below the total's floor: the largest
        // magnitude first, then everything else in one part.
        offroi::streaming_summary big_first(o), rest(o);
        const auto top = std::max_element(x.begin(), x.end(), [](double a, double b) { return std::abs(a) < std::abs(b); });
        big_first.add(*top);
        for (auto it = x.begin(); it != x.end(); ++it)
            if (it != top) rest.add(*it);
        big_first.merge(rest);
        CHECK(big_first.to_bytes() == whole.to_bytes());
        // Self-merge equals adding every value twice.
        offroi::streaming_summary twice(o), self = whole;
        twice.add(x.data(), x.size());
        twice.add(x.data(), x.size());
        self.merge(self);
        CHECK(self.to_bytes() == twice.to_bytes());
        // Many small merges: the exact sums' unnormalised path crosses its bound many times.
        offroi::streaming_summary many(o);
        for (std::size_t i = 0; i < 5000; ++i) {
            offroi::streaming_summary one(o);
            one.add(x[i]);
            many.merge(one);
        }
        offroi::streaming_summary direct(o);
        direct.add(x.data(), 5000);
        CHECK(many.to_bytes() == direct.to_bytes());
        CHECK(same_bits(many.mean(), direct.mean()));
        CHECK(same_bits(many.variance(), direct.variance()));
    }
}

// add(x, n) takes batched paths (exact sums 8 values at a time where AVX-512 is available,
// the sketch's vector bucket indices); add(v) of one value the scalar ones. Both must give
// the same bytes for batches of any length over values in one exponent window, across many,
// with zeros, subnormals and huge magnitudes.
TEST_CASE("batches give the bytes of value-by-value adds") {
    std::vector<std::vector<double>> sets;
    sets.push_back(lognormal_mixed(9000, 21));
    auto y = lognormal_mixed(9000, 22);
    for (std::size_t i = 0; i < y.size(); i += 5) y[i] = i % 2 ? 0.0 : -0.0;
    for (std::size_t i = 1; i < y.size(); i += 97) y[i] *= 1e-9;  // below the batch's window
    sets.push_back(y);
    std::mt19937_64 g(23);
    std::vector<double> z;
    for (int i = 0; i < 7000; ++i) {
        const double m = 1.0 + static_cast<double>(g() >> 12) * 0x1p-52;
        const int e = static_cast<int>(g() % 2098) - 1074;  // subnormals to near DBL_MAX
        z.push_back((i % 3 ? 1.0 : -1.0) * std::ldexp(m, e));
    }
    sets.push_back(z);
    offroi::summary_options o;
    o.thresholds = {0.0, 1e5, -3e4};
    for (std::size_t k = 0; k < sets.size(); ++k) {
        CAPTURE(k);
        const auto& x = sets[k];
        offroi::streaming_summary one(o), batched(o);
        for (double v : x) one.add(v);
        std::size_t at = 0, len = 1;
        while (at < x.size()) {
            const std::size_t n = std::min(len, x.size() - at);
            batched.add(x.data() + at, n);
            at += n;
            len = len * 5 % 4099 + 1;
        }
        CHECK(batched.to_bytes() == one.to_bytes());
        CHECK(same_bits(batched.mean(), one.mean()));
        CHECK(same_bits(batched.variance(), one.variance()));
    }
}

// The expected shortfall as it was computed before the tail walk: from every bucket
// (clamped to [min, max]), reversed for the upper tail.
double shortfall_from_all_buckets(const offroi::streaming_summary& s, double alpha, offroi::tail which) {
    auto bs = s.sketch().buckets();
    for (auto& b : bs) b.representative = std::clamp(b.representative, s.min(), s.max());
    if (which == offroi::tail::upper) std::reverse(bs.begin(), bs.end());
    const double mass = alpha * static_cast<double>(s.count());
    double remaining = mass;
    const double first = std::min(1.0, remaining);
    double total = first * (which == offroi::tail::lower ? s.min() : s.max());
    remaining -= first;
    bool first_bucket = true;
    for (const auto& b : bs) {
        if (!(remaining > 0.0)) break;
        double c = static_cast<double>(b.count);
        if (first_bucket) {
            c -= 1.0;
            first_bucket = false;
        }
        const double take = std::min(c, remaining);
        total += take * b.representative;
        remaining -= take;
    }
    return total / mass;
}

TEST_CASE("expected_shortfall walks the tail's buckets only: the bits of the walk over all buckets") {
    std::mt19937_64 rng(11);
    std::normal_distribution<double> z(0.0, 1.0);
    for (int shape = 0; shape < 6; ++shape)
        for (std::size_t n : {1u, 2u, 3u, 10u, 1000u, 50000u}) {
            offroi::streaming_summary s;
            for (std::size_t i = 0; i < n; ++i) {
                double x = z(rng);
                if (shape == 1) x = std::exp(3.0 * x);         // positive, skewed
                if (shape == 2) x = -std::exp(2.0 * x);        // negative
                if (shape == 3 && i % 7 == 0) x = 0.0;         // zeros among both signs
                if (shape == 4) x = std::round(4.0 * x);       // many ties, zeros
                if (shape == 5) x = 1e6 * x + (i % 2 ? 3e5 : -3e5);
                s.add(x);
            }
            for (double alpha : {1e-9, 0.001, 0.01, 0.05, 0.1, 0.37, 0.5, 0.9, 1.0})
                for (auto w : {offroi::tail::lower, offroi::tail::upper}) {
                    INFO("shape " << shape << ", n " << n << ", alpha " << alpha);
                    CHECK(same_bits(s.expected_shortfall(alpha, w), shortfall_from_all_buckets(s, alpha, w)));
                }
        }
}

}  // namespace stats_streaming_summary_test
