#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cfloat>
#include <climits>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include <boost/multiprecision/cpp_bin_float.hpp>

#include "offroi/stats/exact_sum.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace stats_exact_sum_test {

namespace {

// 2400 decimal digits (about 8000 bits): sums of squares of any doubles are exact in it.
using big = boost::multiprecision::number<boost::multiprecision::cpp_bin_float<2400>>;

// Random finite doubles with exponents spread over the whole range, subnormals included.
std::vector<double> any_doubles(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 g(seed);
    std::vector<double> x;
    while (x.size() < n) {
        const double v = std::bit_cast<double>(g());
        if (std::isfinite(v)) x.push_back(v);
    }
    return x;
}

// Checks that dd == ref * 2^scale rounded: hi is ref rounded to nearest and lo the rest.
void check_dd(offroi::detail::double_double dd, const big& ref, int scale) {
    const big r = ldexp(ref, scale);
    const double hi = static_cast<double>(r);
    const double lo = static_cast<double>(big(r - big(hi)));
    CHECK(dd.hi == hi);
    CHECK(std::abs(dd.lo - lo) <= std::abs(lo) * 0x1p-50);
}

}  // namespace

TEST_CASE("exact sums of doubles over the whole exponent range") {
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        const auto x = any_doubles(3000, seed);
        offroi::exact_sum s;
        offroi::exact_sum_of_squares q;
        big rs = 0, rq = 0;
        for (double v : x) {
            s.add(v);
            q.add_square(v);
            rs += big(v);
            rq += big(v) * big(v);
        }
        const int ts = s.top_bit();
        const int tq = q.top_bit();
        CHECK(ts == static_cast<int>(boost::multiprecision::ilogb(rs)));
        CHECK(tq == static_cast<int>(boost::multiprecision::ilogb(rq)));
        check_dd(s.to_double_double(-ts), rs, -ts);
        check_dd(q.to_double_double(-tq), rq, -tq);
    }
}

TEST_CASE("squares of small magnitudes and every shift, and cancellation to zero") {
    // Values 2^k (1 + j 2^-52) for every k in a range: every position within a chunk.
    std::vector<double> x;
    for (int k = -1074; k <= 1023; ++k) {
        if (k >= -1022) x.push_back(std::ldexp(1.0 + 3 * DBL_EPSILON, k));  // normal, 3 bits
        if (k <= -1022) x.push_back(std::ldexp(1.0, k));                    // subnormal powers
        if (k <= -1030) x.push_back(std::ldexp(181.0, k));                   // subnormal, 8 bits
    }
    offroi::exact_sum_of_squares q;
    offroi::exact_sum s;
    big rq = 0, rs = 0;
    for (double v : x) {
        q.add_square(v);
        s.add(v);
        s.add(-v * 0.5);
        rq += big(v) * big(v);
        rs += big(v) - big(v * 0.5);
    }
    const int tq = q.top_bit();
    check_dd(q.to_double_double(-tq), rq, -tq);
    const int ts = s.top_bit();
    check_dd(s.to_double_double(-ts), rs, -ts);
    // Adding the negatives brings the sum back to exactly zero.
    for (double v : x) {
        s.add(-v);
        s.add(v * 0.5);
    }
    CHECK(s.is_zero());
    CHECK(s.top_bit() == INT_MIN);
    CHECK(s.to_double_double().hi == 0.0);
}

TEST_CASE("batch and single additions, any order, give the same state") {
    auto x = any_doubles(10000, 9);
    // Same significands, exponents folded into [-30, 30): many values share chunks.
    for (auto& v : x) {
        int e = 0;
        const double m = std::frexp(v, &e);
        v = std::ldexp(m, ((e % 60) + 60) % 60 - 30);
    }
    offroi::exact_sum a, b;
    offroi::exact_sum_of_squares qa, qb;
    a.add(x.data(), x.size());
    qa.add_squares(x.data(), x.size());
    std::mt19937_64 g(1);
    std::shuffle(x.begin(), x.end(), g);
    for (double v : x) {
        b.add(v);
        qb.add_square(v);
    }
    CHECK(a == b);
    CHECK(qa == qb);
    offroi::exact_sum c, d;
    c.add(x.data(), 4000);
    d.add(x.data() + 4000, x.size() - 4000);
    d.merge(c);
    CHECK(d == a);
}

// merge adds the chunks of two accumulators without normalising while the pending additions
// of both (plus one for the second accumulator's normalised part) stay below the bound that
// keeps every chunk below 2^63; these are the cases where that bound is tight.
TEST_CASE("merges without normalising stay exact at the chunk-overflow bound") {
    // Largest significand, every shift: the high parts are the largest a chunk can receive
    // (just below 2^52 for sums, 2^40 for squares), all of one sign, so nothing cancels.
    std::vector<double> x;
    for (int e = -1074; e <= 1023; ++e) x.push_back(std::ldexp(0x1.fffffffffffffp0, e));  // subnormals too
    // 2^97 (1 + (1 - 2^-52)): q = 1119 = 32 * 34 + 31, the largest shift, so every value
    // adds just under 2^52 to chunk 35.
    std::vector<double> hot(5000, std::ldexp(0x1.fffffffffffffp0, 97));
    for (const auto* data : {&x, &hot}) {
        const auto& v = *data;
        big ref = 0, ref_sq = 0;
        // Parts of sizes that leave every pending count from 0 to near MaxPending (2000 for
        // sums), merged one after another, some of them many times over.
        offroi::exact_sum whole, merged;
        offroi::exact_sum_of_squares whole_sq, merged_sq;
        const std::size_t sizes[] = {1, 1999, 7, 1998, 2000, 1, 999, 1000, 4096};
        std::size_t at = 0;
        for (std::size_t k = 0; at < v.size(); ++k) {
            const std::size_t n = std::min(sizes[k % 9], v.size() - at);
            offroi::exact_sum part;
            offroi::exact_sum_of_squares part_sq;
            part.add(v.data() + at, n);
            part_sq.add_squares(v.data() + at, n);
            merged.merge(part);
            merged_sq.merge(part_sq);
            at += n;
        }
        for (double d : v) {
            whole.add(d);
            whole_sq.add_square(d);
            ref += big(d);
            ref_sq += big(d) * big(d);
        }
        CHECK(merged == whole);
        CHECK(merged_sq == whole_sq);
        const int ts = static_cast<int>(boost::multiprecision::ilogb(ref));
        const int tq = static_cast<int>(boost::multiprecision::ilogb(ref_sq));
        check_dd(merged.to_double_double(-ts), ref, -ts);
        check_dd(merged_sq.to_double_double(-tq), ref_sq, -tq);
        // 3000 single-value merges (each leaves pending + 2): the lazy path and the
        // normalising one alternate.
        offroi::exact_sum many;
        offroi::exact_sum_of_squares many_sq;
        for (std::size_t i = 0; i < 3000; ++i) {
            offroi::exact_sum one;
            offroi::exact_sum_of_squares one_sq;
            one.add(v[i % v.size()]);
            one_sq.add_square(v[i % v.size()]);
            many.merge(one);
            many_sq.merge(one_sq);
        }
        offroi::exact_sum direct;
        offroi::exact_sum_of_squares direct_sq;
        for (std::size_t i = 0; i < 3000; ++i) {
            direct.add(v[i % v.size()]);
            direct_sq.add_square(v[i % v.size()]);
        }
        CHECK(many == direct);
        CHECK(many_sq == direct_sq);
        // Self-merge doubles the value exactly.
        offroi::exact_sum twice = merged;
        twice.merge(twice);
        offroi::exact_sum doubled = merged;
        doubled.merge(merged);
        CHECK(twice == doubled);
        check_dd(twice.to_double_double(-ts), 2 * ref, -ts);
    }
}

}  // namespace stats_exact_sum_test
