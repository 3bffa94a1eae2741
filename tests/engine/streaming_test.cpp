// The engine with the library's streaming_summary (run(model, run_options)).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "offroi/engine.hpp"
#include "offroi/random.hpp"
#include "offroi/stats/streaming_summary.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace engine_streaming_test {

namespace {

// Outputs: "loss" = lognormal-ish cost minus a benefit (both signs), "expo" ~ Exp(1),
// "u" ~ U(0, 1).
struct mixed_model {
    std::vector<std::string> output_names() const { return {"loss", "expo", "u"}; }
    void operator()(const offroi::block_context& ctx, offroi::block_outputs& out) const {
        const offroi::philox_stream s(ctx.seed, offroi::stream_id("mixed"));
        double* u = out.column(2);
        double* v = ctx.scratch(ctx.count);
        s.fill(ctx.first_trial, ctx.count, 0, u);
        s.fill(ctx.first_trial, ctx.count, 1, v);
        for (std::size_t i = 0; i < ctx.count; ++i) {
            out.column(1)[i] = -std::log(u[i]);
            out.column(0)[i] = 1000.0 * std::exp(0.5 * (v[i] - 0.5)) - 900.0 - 300.0 * u[i];
        }
    }
};

offroi::run_options opts(std::uint64_t trials, unsigned threads, std::size_t block = 4096) {
    offroi::run_options o;
    o.trials = trials;
    o.threads = threads;
    o.block_size = block;
    o.seed = 99;
    o.summary.thresholds = {0.0, 100.0};
    return o;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void check_identical(const offroi::run_result& a, const offroi::run_result& b) {
    REQUIRE(a.n_outputs() == b.n_outputs());
    CHECK(a.trials() == b.trials());
    CHECK(a.first_trial() == b.first_trial());
    for (std::size_t i = 0; i < a.n_outputs(); ++i) {
        CAPTURE(i);
        const auto& x = a.summary(i);
        const auto& y = b.summary(i);
        CHECK(x == y);
        CHECK(same_bits(x.mean(), y.mean()));
        CHECK(same_bits(x.variance(), y.variance()));
        CHECK(same_bits(x.quantile(0.1), y.quantile(0.1)));
        CHECK(same_bits(x.quantile(0.9), y.quantile(0.9)));
        CHECK(same_bits(x.prob_exceed(100.0), y.prob_exceed(100.0)));
        CHECK(same_bits(x.expected_shortfall(0.05, offroi::tail::lower),
                        y.expected_shortfall(0.05, offroi::tail::lower)));
        CHECK(a.samples_kept() == b.samples_kept());
        if (a.samples_kept() && b.samples_kept()) {
            auto sa = a.samples(i);
            auto sb = b.samples(i);
            CHECK(std::equal(sa.begin(), sa.end(), sb.begin(), sb.end()));
        }
    }
}

}  // namespace

TEST_CASE("streaming run: bit-identical for T = 1, 2, 3, 7") {
    const mixed_model m;
    const auto r1 = offroi::run(m, opts(100'003, 1));
    CHECK(r1.trials() == 100'003);
    CHECK(r1.blocks() == 25);
    for (unsigned t : {2u, 3u, 7u}) {
        CAPTURE(t);
        check_identical(r1, offroi::run(m, opts(100'003, t)));
    }
    auto o = opts(100'003, 2);
    o.samples = offroi::sample_policy::never;
    const auto streamed = offroi::run(m, o);
    CHECK_FALSE(streamed.samples_kept());
    for (std::size_t i = 0; i < 3; ++i) CHECK(streamed.summary(i) == r1.summary(i));
}

TEST_CASE("streaming run: shards at any k merge to the unsplit run") {
    const mixed_model m;
    const std::uint64_t n = 50'000;
    const auto whole = offroi::run(m, opts(n, 2));
    for (std::uint64_t k : {1ull, 4095ull, 4096ull, 4097ull, 12'345ull, 40'960ull, 49'999ull}) {
        CAPTURE(k);
        auto oa = opts(k, 2);
        auto ob = opts(n - k, 3);
        ob.first_trial = k;
        check_identical(whole, offroi::merge(offroi::run(m, oa), offroi::run(m, ob)));
    }
    // An offset run (shard of a bigger run) starting mid-block.
    auto o = opts(20'000, 2);
    o.first_trial = 1'000'001;
    auto o1 = opts(7'000, 1);
    o1.first_trial = 1'000'001;
    auto o2 = opts(13'000, 2);
    o2.first_trial = 1'007'001;
    check_identical(offroi::run(m, o), offroi::merge(offroi::run(m, o1), offroi::run(m, o2)));
}

TEST_CASE("streaming run: the merged summary equals the summary of the union") {
    const mixed_model m;
    const auto r = offroi::run(m, opts(30'000, 3, 1000));
    REQUIRE(r.samples_kept());
    for (std::size_t i = 0; i < 3; ++i) {
        offroi::summary_options so;
        so.thresholds = {0.0, 100.0};
        offroi::streaming_summary all(so);
        all.add(r.samples(i).data(), r.samples(i).size());  // one add, no blocks
        CHECK(all == r.summary(i));
        CHECK(same_bits(all.mean(), r.summary(i).mean()));
        CHECK(same_bits(all.quantile(0.5), r.summary(i).quantile(0.5)));
    }
    // Exceedance at a threshold is an exact count.
    const auto s = r.samples("loss");
    const auto above = std::count_if(s.begin(), s.end(), [](double x) { return x > 100.0; });
    CHECK(r.summary("loss").prob_exceed(100.0) == double(above) / 30'000.0);
}

TEST_CASE("streaming run: per-output summary options, by name") {
    const mixed_model m;
    auto o = opts(10'000, 2);
    o.output_summary["expo"].thresholds = {1.0};
    const auto r = offroi::run(m, o);
    CHECK(r.summary("expo").options().thresholds == std::vector<double>{1.0});
    CHECK(r.summary("loss").options().thresholds == std::vector<double>{0.0, 100.0});
    // P(Exp(1) > 1) = e^-1 within 4 standard errors.
    const double p = std::exp(-1.0);
    CHECK(std::fabs(r.summary("expo").prob_exceed(1.0) - p) <= 4.0 * std::sqrt(p * (1 - p) / 10'000));
    o.output_summary["net"] = {};
    try {
        offroi::run(m, o);
        FAIL("no throw");
    } catch (const offroi::invalid_argument& e) {
        CHECK(std::string(e.what()).find("output_summary['net']") != std::string::npos);
    }
    auto bad = opts(10, 1);
    bad.summary.sketch_relative_accuracy = 2.0;
    CHECK_THROWS_AS(offroi::run(m, bad), offroi::invalid_argument);
}

TEST_CASE("streaming run: mean_ci covers the true mean in ~95% of 200 seeds") {
    const mixed_model m;
    int cover_expo = 0, cover_u = 0;
    for (std::uint64_t seed = 1; seed <= 200; ++seed) {
        auto o = opts(4096, 1);
        o.seed = 1000 + seed;
        o.samples = offroi::sample_policy::never;
        const auto r = offroi::run(m, o);
        const auto ce = r.summary("expo").mean_ci(0.95);
        const auto cu = r.summary("u").mean_ci(0.95);
        cover_expo += ce.lower <= 1.0 && 1.0 <= ce.upper;
        cover_u += cu.lower <= 0.5 && 0.5 <= cu.upper;
    }
    // Binomial(200, 0.95): mean 190, sd 3.08; 4 sd below is 177.7.
    CHECK(cover_expo >= 178);
    CHECK(cover_u >= 178);
    CHECK(cover_expo <= 200);
    CHECK(cover_u <= 200);
}

TEST_CASE("streaming precision: identical for T = 1 and 2, meets its tolerance") {
    const mixed_model m;
    offroi::precision_target t;
    t.output = "loss";
    t.statistic = offroi::precision_statistic::quantile;
    t.probability = 0.1;
    t.absolute_tolerance = 2.0;
    t.check_every_blocks = 2;
    const auto p1 = offroi::run_to_precision(m, opts(5'000'000, 1, 1024), t);
    const auto p2 = offroi::run_to_precision(m, opts(5'000'000, 2, 1024), t);
    CHECK(p1.status.met);
    CHECK(p1.status.half_width <= 2.0);
    CHECK(p1.result.trials() < 5'000'000);
    CHECK(p1.result.trials() % 2048 == 0);
    CHECK(p2.result.trials() == p1.result.trials());
    check_identical(p1.result, p2.result);
    CHECK(same_bits(p1.status.estimate, p1.result.summary("loss").quantile(0.1)));

    t.statistic = offroi::precision_statistic::mean;
    t.absolute_tolerance = 0.0;
    t.relative_tolerance = 0.005;
    t.output = "expo";
    const auto q1 = offroi::run_to_precision(m, opts(5'000'000, 1, 1024), t);
    const auto q2 = offroi::run_to_precision(m, opts(5'000'000, 2, 1024), t);
    // sd/mean = 1 for Exp(1): n near (1.96 / 0.005)^2 = 153'664.
    CHECK(q1.status.met);
    CHECK(q1.result.trials() > 120'000);
    CHECK(q1.result.trials() < 190'000);
    CHECK(q1.status.half_width <= 0.005 * q1.status.estimate);
    check_identical(q1.result, q2.result);
}

}  // namespace engine_streaming_test
