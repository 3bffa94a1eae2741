#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "offroi/engine.hpp"
#include "offroi/random.hpp"
#include "engine/exact_bag.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace engine_precision_test {

namespace {

// Output "expo" ~ Exp(1) (mean 1, sd 1, P90 = ln 10); output "u" ~ U(0, 1).
struct expo_model {
    std::vector<std::string> output_names() const { return {"expo", "u"}; }
    void operator()(const offroi::block_context& ctx, offroi::block_outputs& out) const {
        offroi::philox_stream(ctx.seed, offroi::stream_id("e")).fill(ctx.first_trial, ctx.count, 0, out.column(1));
        for (std::size_t i = 0; i < ctx.count; ++i) out.column(0)[i] = -std::log(out.column(1)[i]);
    }
};

offroi::engine_options opts(std::uint64_t cap, unsigned threads) {
    offroi::engine_options o;
    o.trials = cap;
    o.threads = threads;
    o.block_size = 1000;
    o.seed = 2024;
    return o;
}

offroi::precision_target mean_target(double abs_tol) {
    offroi::precision_target t;
    t.output = "expo";
    t.absolute_tolerance = abs_tol;
    t.check_every_blocks = 4;  // checkpoints every 4000 trials
    return t;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

TEST_CASE("precision: the mean stops at the first checkpoint that meets the tolerance") {
    const expo_model m;
    const auto t = mean_target(0.01);  // needs about (1.96 / 0.01)^2 = 38'416 trials
    auto o1 = opts(1'000'000, 1);
    std::uint64_t last_progress = 0;
    o1.progress = [&](std::uint64_t done, std::uint64_t total) {
        CHECK(total == 1'000'000);
        last_progress = done;
    };
    const auto p1 = offroi::run_to_precision(m, o1, t, exact_bag{});
    const auto& r = p1.result;
    CHECK(last_progress == r.trials());  // the final call reports where the run stopped
    CHECK(p1.status.met);
    CHECK_FALSE(r.cancelled());
    CHECK(r.trials() % 4000 == 0);
    CHECK(r.trials() > 30'000);
    CHECK(r.trials() < 50'000);
    CHECK(p1.status.checkpoints == r.trials() / 4000);
    CHECK(p1.status.half_width <= 0.01);
    CHECK(p1.status.tolerance == 0.01);
    CHECK(same_bits(p1.status.estimate, r.summary("expo").mean()));
    CHECK(same_bits(p1.status.half_width, offroi::detail::two_sided_z(0.95) * r.summary("expo").standard_error()));
    // The estimate is within 4 standard errors of the true mean 1.
    CHECK(std::fabs(p1.status.estimate - 1.0) <= 4.0 * r.summary("expo").standard_error());
    // The previous checkpoint did not meet the tolerance: a plain run of that many trials
    // has a half-width above it.
    const auto prev = offroi::run(m, opts(r.trials() - 4000, 1), exact_bag{});
    CHECK(offroi::detail::two_sided_z(0.95) * prev.summary("expo").standard_error() > 0.01);
    // Samples are the prefix of the trials.
    CHECK(r.samples_kept());
    CHECK(r.samples(0).size() == r.trials());

    // Identical for T = 2 and 3: same stopping point, same bits.
    for (unsigned th : {2u, 3u}) {
        CAPTURE(th);
        const auto pt = offroi::run_to_precision(m, opts(1'000'000, th), t, exact_bag{});
        CHECK(pt.result.trials() == r.trials());
        CHECK(pt.status.checkpoints == p1.status.checkpoints);
        CHECK(same_bits(pt.status.estimate, p1.status.estimate));
        CHECK(same_bits(pt.status.half_width, p1.status.half_width));
        for (std::size_t i = 0; i < 2; ++i) {
            CHECK(pt.result.summary(i).sorted() == r.summary(i).sorted());
            auto a = pt.result.samples(i);
            auto b = r.samples(i);
            CHECK(std::equal(a.begin(), a.end(), b.begin(), b.end()));
        }
    }
    // The same stopping point when streaming (the rule reads the summaries only).
    auto os = opts(1'000'000, 2);
    os.samples = offroi::sample_policy::never;
    const auto ps = offroi::run_to_precision(m, os, t, exact_bag{});
    CHECK(ps.result.trials() == r.trials());
    CHECK_FALSE(ps.result.samples_kept());
}

TEST_CASE("precision: a relative tolerance on P90 and a minimum of trials") {
    const expo_model m;
    offroi::precision_target t;
    t.output = "expo";
    t.statistic = offroi::precision_statistic::quantile;
    t.probability = 0.9;
    t.relative_tolerance = 0.02;
    t.check_every_blocks = 5;
    const auto p1 = offroi::run_to_precision(m, opts(2'000'000, 1), t, exact_bag{});
    const auto p2 = offroi::run_to_precision(m, opts(2'000'000, 2), t, exact_bag{});
    CHECK(p1.status.met);
    CHECK(p1.result.trials() % 5000 == 0);
    CHECK(p1.status.half_width <= 0.02 * p1.status.estimate);
    CHECK(p2.result.trials() == p1.result.trials());
    CHECK(same_bits(p2.status.estimate, p1.status.estimate));
    CHECK(same_bits(p2.status.half_width, p1.status.half_width));
    // Asymptotically the P90's sd is sqrt(p(1-p)/n)/f(q) = sqrt(0.09/n)/0.1: the needed n is
    // about (1.96 * 3 / (0.02 * ln 10))^2 = 16'300.
    CHECK(p1.result.trials() >= 10'000);
    CHECK(p1.result.trials() <= 25'000);
    // The estimate lies within 4 standard errors (half-width / 1.96) of ln 10.
    CHECK(std::fabs(p1.status.estimate - std::log(10.0)) <= 4.0 * p1.status.half_width / 1.96);

    t.min_trials = 100'001;
    const auto pm = offroi::run_to_precision(m, opts(2'000'000, 2), t, exact_bag{});
    CHECK(pm.status.met);
    CHECK(pm.result.trials() == 105'000);  // first checkpoint at or beyond the minimum
}

TEST_CASE("precision: the trial cap ends a run that cannot meet its target") {
    const expo_model m;
    auto t = mean_target(1e-6);
    for (unsigned th : {1u, 2u}) {
        const auto p = offroi::run_to_precision(m, opts(25'500, th), t, exact_bag{});
        CHECK_FALSE(p.status.met);
        CHECK(p.result.trials() == 25'500);
        CHECK(p.result.summary(0).count() == 25'500);
        CHECK(p.status.half_width > 1e-6);
        CHECK(p.status.checkpoints == 6);  // after blocks 4, 8, ..., 24 of 26
    }
}

TEST_CASE("precision: bad targets throw invalid_argument naming the field") {
    const expo_model m;
    auto msg = [&](const offroi::precision_target& t, std::uint64_t cap = 1000) {
        try {
            offroi::run_to_precision(m, opts(cap, 1), t, exact_bag{});
        } catch (const offroi::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("no throw");
    };
    auto t = mean_target(0.1);
    CHECK(msg(t) == "no throw");
    t.output = "net";
    CHECK(msg(t).find("precision_target.output = 'net'") != std::string::npos);
    t = mean_target(0.1);
    t.statistic = offroi::precision_statistic::quantile;
    t.probability = 1.5;
    CHECK(msg(t).find("precision_target.probability = 1.5") != std::string::npos);
    t = mean_target(0.0);
    CHECK(msg(t).find("absolute_tolerance and relative_tolerance") != std::string::npos);
    t = mean_target(-1.0);
    CHECK(msg(t).find("precision_target.absolute_tolerance = -1") != std::string::npos);
    t = mean_target(0.1);
    t.confidence = 1.0;
    CHECK(msg(t).find("precision_target.confidence = 1") != std::string::npos);
    t = mean_target(0.1);
    t.check_every_blocks = 0;
    CHECK(msg(t).find("precision_target.check_every_blocks = 0") != std::string::npos);
    t = mean_target(0.1);
    t.min_trials = 1001;
    CHECK(msg(t).find("precision_target.min_trials = 1001") != std::string::npos);
    CHECK(msg(mean_target(0.1), 0).find("trials = 0") != std::string::npos);
}

}  // namespace engine_precision_test
