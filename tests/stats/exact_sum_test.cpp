#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cfloat>
#include <climits>
#include <cmath>
#include <cstdint>
#include <array>
#include <random>
#include <string>
#include <vector>

#include <boost/multiprecision/cpp_bin_float.hpp>

#include "offroi/stats/detail/byte_codec.hpp"
#include "offroi/stats/exact_moments.hpp"
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

// A plain reference for exact_moments: the scalar algorithm of exact_sum and
// exact_sum_of_squares (2 or 4 pieces of every value scattered into 32-bit-weighted int64
// chunks, carries propagated every 1000 additions), written out in exact_moments::write_to's
// canonical form. exact_moments::add(x, n) may take a vector path; its bytes must equal these.
struct reference_moments {
    std::uint64_t count = 0;
    std::array<std::int64_t, 70> s{};
    std::array<std::int64_t, 136> q{};
    unsigned pending = 0;

    void add(double x) {
        const auto bits = std::bit_cast<std::uint64_t>(x);
        const auto biased = static_cast<unsigned>((bits >> 52) & 0x7ff);
        const std::uint64_t frac = bits & ((std::uint64_t{1} << 52) - 1);
        const std::uint64_t m = biased != 0 ? frac | (std::uint64_t{1} << 52) : frac;
        const unsigned e = biased != 0 ? biased - 1 : 0;  // |x| = m 2^(e - 1074)
        const std::int64_t sign = (bits >> 63) != 0 ? -1 : 1;
        // m 2^e in base 2^32 from chunk e / 32.
        __extension__ typedef unsigned __int128 u128;
        const u128 v = static_cast<u128>(m) << (e % 32);
        for (unsigned k = 0; k < 3; ++k)
            s[e / 32 + k] += sign * static_cast<std::int64_t>(static_cast<std::uint64_t>(v >> (32 * k)) & 0xffffffffULL);
        // m^2 2^(2e) from chunk 2e / 32 (m^2 2^(2e % 32) < 2^136: five 32-bit limbs).
        const u128 p = static_cast<u128>(m) * m;
        const unsigned sh = (2 * e) % 32;
        const u128 lo = p << sh;                            // bits 0..127
        const auto top = static_cast<std::uint64_t>(sh == 0 ? 0 : p >> (128 - sh));  // bits 128..
        for (unsigned k = 0; k < 4; ++k)
            q[2 * e / 32 + k] += static_cast<std::int64_t>(static_cast<std::uint64_t>(lo >> (32 * k)) & 0xffffffffULL);
        if (top != 0) q[2 * e / 32 + 4] += static_cast<std::int64_t>(top);
        ++count;
        if (++pending == 1000) normalize();
    }

    template <std::size_t N>
    static void normalize(std::array<std::int64_t, N>& c) {
        for (std::size_t i = 0; i + 1 < N; ++i) {
            const std::int64_t carry = c[i] >> 32;
            c[i] -= carry * (std::int64_t{1} << 32);
            c[i + 1] += carry;
        }
    }
    void normalize() {
        normalize(s);
        normalize(q);
        pending = 0;
    }

    template <std::size_t N>
    static void write(offroi::detail::byte_writer& w, std::array<std::int64_t, N> c) {
        normalize(c);
        const bool negative = c[N - 1] < 0;
        if (negative) {
            for (auto& v : c) v = -v;
            normalize(c);
        }
        std::size_t hi = N, lo = 0;
        while (hi > 0 && c[hi - 1] == 0) --hi;
        while (lo < hi && c[lo] == 0) ++lo;
        w.u8(negative ? 1 : 0);
        w.varint(lo);
        w.varint(hi - lo);
        for (std::size_t i = lo; i < hi; ++i) w.u32(static_cast<std::uint32_t>(c[i]));
    }

    std::string bytes() const {
        offroi::detail::byte_writer w;
        w.varint(count);
        write(w, s);
        write(w, q);
        return w.take();
    }
};

std::string body(const offroi::exact_moments& m) {
    offroi::detail::byte_writer w;
    m.write_to(w);
    return w.take();
}

}  // namespace

TEST_CASE("batched exact_moments::add (vector path) gives the bytes of a plain reference") {
    std::mt19937_64 g(12);
    std::lognormal_distribution<double> ln(13.0, 1.0);
    std::vector<std::vector<double>> sets;
    {  // costs of mixed signs: the batch shares a few exponent chunks (the fast window)
        std::vector<double> x(9000);
        for (auto& v : x) v = (g() & 3) == 0 ? -ln(g) : ln(g);
        sets.push_back(x);
        for (std::size_t i = 0; i < x.size(); i += 7) x[i] = (i % 2) ? 0.0 : -0.0;  // zeros in it
        sets.push_back(x);
        for (std::size_t i = 3; i < x.size(); i += 101) x[i] = 1e-3 * x[i + 1];  // a few below it
        sets.push_back(x);
    }
    sets.push_back(any_doubles(6000, 3));  // every exponent: most values below the window
    {  // subnormals only, then subnormals with the smallest normals (windows at chunk 0)
        std::vector<double> x, y;
        for (int i = 0; i < 3000; ++i) {
            const double v = std::bit_cast<double>(g() >> (12 + i % 40));  // biased exponent 0
            x.push_back(i % 3 ? v : -v);
            y.push_back(i % 5 ? v : std::ldexp(x.back(), 40 + i % 70));
        }
        sets.push_back(x);
        sets.push_back(y);
    }
    {  // huge: near DBL_MAX, the top of both accumulators
        std::vector<double> x;
        for (int i = 0; i < 5000; ++i)
            x.push_back((i % 2 ? -1.0 : 1.0) * std::ldexp(1.0 + static_cast<double>(g() >> 12) * 0x1p-52, 1023 - i % 20));
        sets.push_back(x);
    }
    {  // every exponent (folded into a range of 2^k) and the largest significand: every shift
       // and every window edge, one exponent below the window included
        for (int span : {8, 16, 17, 31, 32, 33, 64, 65, 200}) {
            std::vector<double> x;
            for (int i = 0; i < 4100; ++i) {
                const double m = i % 3 == 0 ? 0x1.fffffffffffffp0 : 1.0 + static_cast<double>(g() >> 12) * 0x1p-52;
                x.push_back((g() & 1 ? -1.0 : 1.0) * std::ldexp(m, 40 - i % span));
            }
            sets.push_back(x);
        }
    }
    for (std::size_t k = 0; k < sets.size(); ++k) {
        CAPTURE(k);
        const auto& x = sets[k];
        reference_moments ref;
        for (double v : x) ref.add(v);
        // One batch, then batches of many lengths into one accumulator (pending additions
        // carried from batch to batch; lengths longer than the 2000-addition normalisation
        // period, shorter than a vector, and every tail).
        offroi::exact_moments whole, parts;
        whole.add(x.data(), x.size());
        CHECK(body(whole) == ref.bytes());
        std::size_t at = 0, len = 1;
        while (at < x.size()) {
            const std::size_t n = std::min(len, x.size() - at);
            parts.add(x.data() + at, n);
            at += n;
            len = len * 3 % 2503 + 1;
        }
        CHECK(body(parts) == ref.bytes());
        CHECK(parts == whole);
        offroi::exact_moments one;  // value by value: the scalar path
        for (double v : x) one.add(v);
        CHECK(body(one) == ref.bytes());
    }
}

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
