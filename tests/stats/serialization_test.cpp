// Binary serialisation of streaming_summary, quantile_sketch and exact_moments: exact round
// trips, canonical bytes, shard summaries that merge after a trip through bytes to the
// summary of the union, sizes independent of the count, and validation on load.
#include <doctest/doctest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "offroi/error.hpp"
#include "offroi/stats/exact_moments.hpp"
#include "offroi/stats/quantile_sketch.hpp"
#include "offroi/stats/streaming_summary.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace stats_serialization_test {

namespace {

std::vector<double> lognormal_mixed(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 g(seed);
    std::lognormal_distribution<double> ln(12.0, 2.0);
    std::bernoulli_distribution neg(0.3);
    std::vector<double> x(n);
    for (auto& v : x) v = neg(g) ? -ln(g) : ln(g);
    return x;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

offroi::summary_options with_thresholds() {
    offroi::summary_options o;
    o.thresholds = {0.0, -1e5, 2.5e5};
    return o;
}

// Every query the result assembly uses gives the same bits on both summaries.
void check_same_answers(const offroi::streaming_summary& a, const offroi::streaming_summary& b) {
    REQUIRE(a.count() == b.count());
    CHECK(same_bits(a.sum(), b.sum()));
    CHECK(same_bits(a.mean(), b.mean()));
    CHECK(same_bits(a.variance(), b.variance()));
    CHECK(same_bits(a.min(), b.min()));
    CHECK(same_bits(a.max(), b.max()));
    for (double p : {0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0})
        CHECK(same_bits(a.quantile(p), b.quantile(p)));
    for (double t : {0.0, -1e5, 2.5e5, 1234.5})
        CHECK(same_bits(a.prob_exceed(t), b.prob_exceed(t)));
    CHECK(same_bits(a.expected_shortfall(0.05, offroi::tail::lower),
                    b.expected_shortfall(0.05, offroi::tail::lower)));
    CHECK(a.histogram(20).counts == b.histogram(20).counts);
}

}  // namespace

TEST_CASE("exact_moments bytes: hand-checked little-endian layout of {1.0}") {
    offroi::exact_moments m;
    m.add(1.0);
    // 1.0 = 2^1074 * 2^-1074: limb 1074 / 32 = 33 holds 2^(1074 - 1056) = 2^18.
    // 1.0^2 = 2^2148 * 2^-2148: limb 2148 / 32 = 67 holds 2^(2148 - 2144) = 2^4.
    const std::string expect = std::string("ORXM") + std::string("\x01\x00", 2) +  // magic, version 1
                               std::string("\x01", 1) +                               // count 1
                               std::string("\x00\x21\x01\x00\x00\x04\x00", 7) +       // +, limb 33, 1 limb, 2^18
                               std::string("\x00\x43\x01\x10\x00\x00\x00", 7);        // +, limb 67, 1 limb, 16
    CHECK(m.to_bytes() == expect);
    const auto back = offroi::exact_moments::from_bytes(expect);
    CHECK(back == m);
    CHECK(back.mean() == 1.0);

    offroi::exact_moments neg;
    neg.add(-1.0);
    neg.add(-1.0);
    const std::string nb = neg.to_bytes();
    CHECK(static_cast<unsigned char>(nb[7]) == 1);  // sign byte of the sum: negative
    CHECK(offroi::exact_moments::from_bytes(nb) == neg);
    CHECK(offroi::exact_moments::from_bytes(nb).mean() == -1.0);
}

TEST_CASE("exact_moments round trip at the edges of the double range") {
    offroi::exact_moments m;
    for (double v : {DBL_MAX, DBL_MAX, -DBL_MAX * 0.75, DBL_TRUE_MIN, -DBL_TRUE_MIN * 3, DBL_MIN, 1e-300, -7.25, 0.0})
        m.add(v);
    const auto back = offroi::exact_moments::from_bytes(m.to_bytes());
    CHECK(back == m);
    CHECK(back.to_bytes() == m.to_bytes());
    CHECK(same_bits(back.mean(), m.mean()));
    CHECK(same_bits(back.variance(), m.variance()));
    // The restored sums keep accumulating exactly: adding the same values to both agrees.
    offroi::exact_moments a = back, b = m;
    a.add(-DBL_MAX);
    b.add(-DBL_MAX);
    CHECK(a == b);
    CHECK(same_bits(a.mean(), b.mean()));

    const offroi::exact_moments empty;
    CHECK(offroi::exact_moments::from_bytes(empty.to_bytes()) == empty);
    CHECK(empty.to_bytes().size() == 4 + 2 + 1 + 3 + 3);
}

TEST_CASE("streaming_summary round trip equals and answers with the same bits") {
    auto x = lognormal_mixed(50000, 11);
    x.push_back(0.0);
    x.push_back(-0.0);
    x.push_back(3e-310);   // subnormal: zero bucket of the sketch
    x.push_back(-1e-320);  // subnormal negative
    x.push_back(1.5e150);
    offroi::streaming_summary s(with_thresholds());
    s.add(x);
    const std::string b = s.to_bytes();
    const auto back = offroi::streaming_summary::from_bytes(b);
    CHECK(back == s);
    CHECK(back.to_bytes() == b);  // canonical
    CHECK(back.count_negative() == s.count_negative());
    CHECK(back.count_positive() == s.count_positive());
    CHECK(back.sketch().collapsed() == s.sketch().collapsed());
    check_same_answers(back, s);

    // Keeps summarising exactly like the original.
    auto y = lognormal_mixed(3000, 12);
    offroi::streaming_summary a = back, c = s;
    a.add(y);
    c.add(y);
    CHECK(a == c);
    CHECK(a.to_bytes() == c.to_bytes());
}

TEST_CASE("deserialised shards merge to the summary of the union, bit for bit") {
    const auto x = lognormal_mixed(200000, 21);
    offroi::streaming_summary whole(with_thresholds());
    whole.add(x);
    // Uneven shards, summarised separately, shipped as bytes.
    const std::vector<std::size_t> cuts = {0, 1, 17, 4096, 50000, 50001, 123457, 200000};
    std::vector<std::string> wire;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
        offroi::streaming_summary part(with_thresholds());
        part.add(x.data() + cuts[k], cuts[k + 1] - cuts[k]);
        wire.push_back(part.to_bytes());
    }
    offroi::streaming_summary forward(with_thresholds()), backward(with_thresholds());
    for (const auto& w : wire) forward.merge(offroi::streaming_summary::from_bytes(w));
    for (auto it = wire.rbegin(); it != wire.rend(); ++it) backward.merge(offroi::streaming_summary::from_bytes(*it));
    CHECK(forward == whole);
    CHECK(backward == whole);
    CHECK(forward.to_bytes() == whole.to_bytes());
    CHECK(backward.to_bytes() == whole.to_bytes());
    check_same_answers(forward, whole);

    // Merging into a deserialised summary works too (the receiver's state is live).
    auto first = offroi::streaming_summary::from_bytes(wire.front());
    for (std::size_t k = 1; k < wire.size(); ++k) first.merge(offroi::streaming_summary::from_bytes(wire[k]));
    CHECK(first == whole);
}

TEST_CASE("the serialised size does not grow with the count") {
    // 10^4 and 10^6 values of the same distribution: the exact sums span about the same
    // limbs and the sketch holds at most its buckets, so the sizes are within a few KiB.
    offroi::streaming_summary small, big;
    small.add(lognormal_mixed(10000, 31));
    for (std::uint64_t k = 0; k < 10; ++k) big.add(lognormal_mixed(100000, 100 + k));
    const auto bs = small.to_bytes().size();
    const auto bb = big.to_bytes().size();
    MESSAGE("bytes for 1e4 values: " << bs << ", for 1e6 values: " << bb);
    CHECK(bb < 64 * 1024);
    // Sketch buckets: every non-empty bucket costs 2-4 bytes; the count of non-empty buckets
    // is bounded by 2 x 16384, so the size is bounded whatever the count.
    CHECK(bb < 2 * 16384 * 4 + 2048);
    CHECK(offroi::streaming_summary::from_bytes(big.to_bytes()) == big);
}

TEST_CASE("empty and collapsed summaries round trip") {
    const offroi::streaming_summary empty(with_thresholds());
    const auto e = offroi::streaming_summary::from_bytes(empty.to_bytes());
    CHECK(e == empty);
    CHECK(e.count() == 0);
    CHECK(e.options() == empty.options());

    // 16 buckets per sign and values over 30 decades: small magnitudes collapse.
    offroi::summary_options o;
    o.sketch_max_buckets = 16;
    o.sketch_relative_accuracy = 0.01;
    std::vector<double> x;
    for (int k = -15; k <= 15; ++k) {
        x.push_back(std::pow(10.0, k));
        x.push_back(-2.0 * std::pow(10.0, k));
    }
    offroi::streaming_summary a(o), b(o), whole(o);
    a.add(x.data(), x.size() / 2);
    b.add(x.data() + x.size() / 2, x.size() - x.size() / 2);
    whole.add(x);
    REQUIRE(a.sketch().collapsed());
    auto a2 = offroi::streaming_summary::from_bytes(a.to_bytes());
    CHECK(a2 == a);
    CHECK(a2.sketch().collapsed());
    a2.merge(offroi::streaming_summary::from_bytes(b.to_bytes()));
    CHECK(a2 == whole);
    check_same_answers(a2, whole);
    // Merging an empty deserialised summary changes nothing.
    offroi::streaming_summary w2 = whole;
    w2.merge(offroi::streaming_summary::from_bytes(offroi::streaming_summary(o).to_bytes()));
    CHECK(w2 == whole);
}

TEST_CASE("quantile_sketch standalone round trip") {
    offroi::quantile_sketch q(0.005, 512);
    for (double v : lognormal_mixed(20000, 41)) q.add(v);
    q.add(0.0);
    const auto back = offroi::quantile_sketch::from_bytes(q.to_bytes());
    CHECK(back == q);
    CHECK(back.to_bytes() == q.to_bytes());
    CHECK(back.relative_accuracy() == 0.005);
    CHECK(back.max_buckets() == 512);
    for (std::uint64_t r : {std::uint64_t{0}, std::uint64_t{100}, std::uint64_t{10000}, std::uint64_t{20000}})
        CHECK(same_bits(back.value_at_rank(r), q.value_at_rank(r)));
    // Different parameters still refuse to merge after a round trip.
    offroi::quantile_sketch other(0.01, 512);
    CHECK_THROWS_AS(other.merge(back), offroi::invalid_argument);
}

TEST_CASE("from_bytes rejects bad input with a message naming the problem") {
    offroi::streaming_summary s(with_thresholds());
    s.add(lognormal_mixed(2000, 51));
    const std::string good = s.to_bytes();
    auto message_of = [](const std::string& b) -> std::string {
        try {
            (void)offroi::streaming_summary::from_bytes(b);
        } catch (const offroi::invalid_argument& e) {
            return e.what();
        }
        return "(no error)";
    };

    std::string bad = good;
    bad[0] = 'X';
    CHECK(message_of(bad).find("streaming_summary::from_bytes: invalid magic at byte 0: bad magic 0x") == 0);
    CHECK(message_of(offroi::quantile_sketch().to_bytes()).find("bad magic") != std::string::npos);

    bad = good;
    bad[4] = 2;
    CHECK(message_of(bad).find("unsupported version 2") != std::string::npos);

    // Every proper prefix is refused (truncation), never read past its end.
    for (std::size_t n = 0; n < good.size(); ++n) {
        const std::string m = message_of(good.substr(0, n));
        CHECK_MESSAGE(m.find("streaming_summary::from_bytes:") == 0, "prefix of " << n << " bytes: " << m);
        if (n >= 6) CHECK_MESSAGE(m != "(no error)", "prefix of " << n << " bytes");
    }
    CHECK(message_of(good.substr(0, 20)).find("truncated input") != std::string::npos);
    CHECK(message_of(good + '\0').find("trailing byte") != std::string::npos);

    // Inconsistent content: a summary claiming one more value than its sketch holds.
    {
        offroi::streaming_summary one;
        one.add(5.0);
        std::string b = one.to_bytes();
        // Layout: magic 4, version 2, alpha 8, max_buckets varint (16384 = 3 bytes),
        // threshold count 1, then the moments' count varint at offset 18.
        REQUIRE(static_cast<unsigned char>(b[18]) == 1);
        b[18] = 2;
        CHECK(message_of(b).find("the sketch counts 1 values, the moments 2") != std::string::npos);
        // An out-of-range relative accuracy.
        std::string c = one.to_bytes();
        const double bad_alpha = 0.9;
        std::uint64_t bits;
        std::memcpy(&bits, &bad_alpha, 8);
        for (int k = 0; k < 8; ++k) c[6 + k] = static_cast<char>((bits >> (8 * k)) & 0xff);
        CHECK(message_of(c).find("relative_accuracy") != std::string::npos);
        // min > max.
        offroi::streaming_summary two;
        two.add(1.0);
        two.add(2.0);
        std::string d = two.to_bytes();
        const auto pos = d.find(std::string("\x00\x00\x00\x00\x00\x00\xf0\x3f", 8));  // 1.0: the min
        REQUIRE(pos != std::string::npos);
        const double three = 3.0;
        std::memcpy(&bits, &three, 8);
        for (int k = 0; k < 8; ++k) d[pos + k] = static_cast<char>((bits >> (8 * k)) & 0xff);
        CHECK(message_of(d).find("min <= max") != std::string::npos);
    }

    // Random corruption never crashes: each flipped byte gives a valid summary or an
    // invalid_argument.
    std::mt19937_64 g(7);
    int refused = 0;
    for (int k = 0; k < 2000; ++k) {
        std::string b = good;
        b[g() % b.size()] ^= static_cast<char>(1 + g() % 255);
        try {
            (void)offroi::streaming_summary::from_bytes(b);
        } catch (const offroi::invalid_argument&) {
            ++refused;
        }
    }
    MESSAGE("corrupted inputs refused: " << refused << " of 2000");
    CHECK(refused > 0);
}

}  // namespace stats_serialization_test
