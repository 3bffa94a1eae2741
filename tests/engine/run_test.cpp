#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <mutex>
#include <numeric>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "offroi/engine.hpp"
#include "offroi/random.hpp"
#include "engine/exact_bag.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace engine_run_test {

namespace {

// Three outputs with random inputs: an exponential, a sum of two uniforms, a product.
struct random_model {
    std::vector<std::string> output_names() const { return {"expo", "sum", "prod"}; }
    void operator()(const offroi::block_context& ctx, offroi::block_outputs& out) const {
        const offroi::philox_stream a(ctx.seed, offroi::stream_id("a"));
        const offroi::philox_stream b(ctx.seed, offroi::stream_id("b"));
        double* ua = ctx.scratch(2 * ctx.count);
        double* ub = ua + ctx.count;
        a.fill(ctx.first_trial, ctx.count, 0, ua);
        b.fill(ctx.first_trial, ctx.count, 0, ub);
        for (std::size_t i = 0; i < ctx.count; ++i) {
            out.column(0)[i] = -std::log(ua[i]);
            out.column(1)[i] = ua[i] + ub[i];
            out.column(2)[i] = ua[i] * ub[i] * 100.0;
        }
    }
};

offroi::engine_options opts(std::uint64_t trials, unsigned threads, std::size_t block = 1000) {
    offroi::engine_options o;
    o.trials = trials;
    o.threads = threads;
    o.block_size = block;
    o.seed = 42;
    return o;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void check_identical(const offroi::basic_run_result<exact_bag>& a,
                     const offroi::basic_run_result<exact_bag>& b) {
    REQUIRE(a.n_outputs() == b.n_outputs());
    CHECK(a.first_trial() == b.first_trial());
    CHECK(a.trials() == b.trials());
    for (std::size_t i = 0; i < a.n_outputs(); ++i) {
        CHECK(a.summary(i).sorted() == b.summary(i).sorted());
        CHECK(same_bits(a.summary(i).mean(), b.summary(i).mean()));
        REQUIRE(a.samples_kept() == b.samples_kept());
        if (a.samples_kept()) {
            auto sa = a.samples(i);
            auto sb = b.samples(i);
            CHECK(std::equal(sa.begin(), sa.end(), sb.begin(), sb.end()));
        }
    }
}

}  // namespace

TEST_CASE("run: outputs are the model's, in trial order, on the block grid") {
    const random_model m;
    auto r = offroi::run(m, opts(5500, 1), exact_bag{});
    CHECK(r.trials() == 5500);
    CHECK(r.blocks() == 6);
    CHECK(r.samples_kept());
    CHECK_FALSE(r.cancelled());
    CHECK(r.output_names() == std::vector<std::string>{"expo", "sum", "prod"});
    // Sample t is a pure function of (seed, t).
    const offroi::philox_stream a(42, offroi::stream_id("a"));
    const offroi::philox_stream b(42, offroi::stream_id("b"));
    for (std::uint64_t t : {0u, 1u, 999u, 1000u, 5499u}) {
        CHECK(same_bits(r.samples("expo")[t], -std::log(a.uniform(t))));
        CHECK(same_bits(r.samples(1)[t], a.uniform(t) + b.uniform(t)));
    }
    CHECK(r.summary("sum").count() == 5500);
    // index_of and bad names / indices.
    CHECK(r.index_of("prod") == 2);
    CHECK_THROWS_AS((void)r.index_of("nope"), offroi::invalid_argument);
    CHECK_THROWS_AS((void)r.summary(std::size_t{3}), offroi::invalid_argument);

    // Blocks sit on the absolute grid: a shard starting at 2500 gets [2500,3000), [3000,4000)...
    struct recorder {
        mutable std::mutex mu;
        mutable std::vector<offroi::block_context> seen;
        std::vector<std::string> output_names() const { return {"x"}; }
        void operator()(const offroi::block_context& c, offroi::block_outputs& o) const {
            for (std::size_t i = 0; i < c.count; ++i) o.column(0)[i] = double(c.first_trial + i);
            std::lock_guard lk(mu);
            seen.push_back(c);
        }
    } rec;
    auto o = opts(3000, 3);
    o.first_trial = 2500;
    auto rr = offroi::run(rec, o, exact_bag{});
    CHECK(rr.blocks() == 4);
    std::sort(rec.seen.begin(), rec.seen.end(),
              [](const auto& x, const auto& y) { return x.first_trial < y.first_trial; });
    REQUIRE(rec.seen.size() == 4);
    CHECK(rec.seen[0].first_trial == 2500);
    CHECK(rec.seen[0].count == 500);
    CHECK(rec.seen[0].block_index == 2);
    CHECK(rec.seen[1].first_trial == 3000);
    CHECK(rec.seen[1].count == 1000);
    CHECK(rec.seen[3].first_trial == 5000);
    CHECK(rec.seen[3].count == 500);
    CHECK(rec.seen[3].block_index == 5);
    for (std::size_t i = 0; i < 3000; ++i) CHECK(rr.samples(0)[i] == double(2500 + i));
}

TEST_CASE("run: bit-identical for T = 1, 2, 3, 7 threads") {
    const random_model m;
    const auto r1 = offroi::run(m, opts(37'777, 1, 1024), exact_bag{});
    for (unsigned t : {2u, 3u, 7u}) {
        CAPTURE(t);
        const auto rt = offroi::run(m, opts(37'777, t, 1024), exact_bag{});
        check_identical(r1, rt);
        CHECK(rt.blocks() == r1.blocks());
    }
    // Streaming too (no samples: summaries built from worker buffers).
    auto o1 = opts(37'777, 1, 1024);
    o1.samples = offroi::sample_policy::never;
    auto o2 = o1;
    o2.threads = 2;
    check_identical(offroi::run(m, o1, exact_bag{}), offroi::run(m, o2, exact_bag{}));
}

TEST_CASE("run: any split into shards merges to the unsplit run, bit for bit") {
    const random_model m;
    const std::uint64_t n = 10'000;
    const auto whole = offroi::run(m, opts(n, 2), exact_bag{});
    for (std::uint64_t k : {1ull, 999ull, 1000ull, 1001ull, 4321ull, 5000ull, 9999ull}) {
        CAPTURE(k);
        auto oa = opts(k, 2);
        auto ob = opts(n - k, 1);
        ob.first_trial = k;
        const auto merged = offroi::merge(offroi::run(m, oa, exact_bag{}), offroi::run(m, ob, exact_bag{}));
        check_identical(whole, merged);
    }
    // Three shards, merged left to right.
    auto o1 = opts(3333, 2);
    auto o2 = opts(3333, 3);
    o2.first_trial = 3333;
    auto o3 = opts(n - 6666, 1);
    o3.first_trial = 6666;
    const auto m3 = offroi::merge(offroi::merge(offroi::run(m, o1, exact_bag{}), offroi::run(m, o2, exact_bag{})),
                                  offroi::run(m, o3, exact_bag{}));
    check_identical(whole, m3);
    // Non-adjacent or mismatched results are refused.
    auto gap = opts(100, 1);
    gap.first_trial = 5;
    CHECK_THROWS_AS(offroi::merge(offroi::run(m, opts(4, 1), exact_bag{}), offroi::run(m, gap, exact_bag{})),
                    offroi::invalid_argument);
}

TEST_CASE("run: memory budget switches to streaming, summaries unchanged") {
    const random_model m;
    auto o = opts(20'000, 2);
    const auto kept = offroi::run(m, o, exact_bag{});
    CHECK(kept.samples_kept());
    // 20'000 trials x 3 outputs x 8 bytes = 480'000 bytes: one byte less streams.
    o.sample_budget_bytes = 480'000;
    CHECK(offroi::run(m, o, exact_bag{}).samples_kept());
    o.sample_budget_bytes = 479'999;
    const auto streamed = offroi::run(m, o, exact_bag{});
    CHECK_FALSE(streamed.samples_kept());
    CHECK_THROWS_AS((void)streamed.samples(0), offroi::invalid_argument);
    for (std::size_t i = 0; i < 3; ++i) CHECK(streamed.summary(i).sorted() == kept.summary(i).sorted());
    o.sample_budget_bytes = std::size_t{1} << 30;
    o.samples = offroi::sample_policy::never;
    CHECK_FALSE(offroi::run(m, o, exact_bag{}).samples_kept());
}

TEST_CASE("run: the mean's 95% interval covers the true mean in ~95% of 200 seeds") {
    // expo ~ Exp(1): mean 1; sum ~ U+U: mean 1; prod*100: mean 25.
    const random_model m;
    int cover[3] = {0, 0, 0};
    const double truth[3] = {1.0, 1.0, 25.0};
    for (std::uint64_t seed = 1; seed <= 200; ++seed) {
        auto o = opts(2000, 1, 500);
        o.seed = seed * 7919;
        o.samples = offroi::sample_policy::never;
        const auto r = offroi::run(m, o, exact_bag{});
        for (int i = 0; i < 3; ++i) {
            const auto& s = r.summary(std::size_t(i));
            if (std::fabs(s.mean() - truth[i]) <= 1.959964 * s.standard_error()) ++cover[i];
        }
    }
    // Binomial(200, 0.95): mean 190, sd 3.08; accept 4 sd below. (For the skewed exponential
    // the normal interval's true coverage at n = 2000 is about 0.948, well inside the band.)
    for (int i = 0; i < 3; ++i) {
        CAPTURE(i);
        CHECK(cover[i] >= 178);
        CHECK(cover[i] <= 200);
    }
}

TEST_CASE("run: cancellation from the progress callback leaves a valid prefix") {
    const random_model m;
    const auto full = offroi::run(m, opts(200'000, 1), exact_bag{});
    for (unsigned t : {1u, 2u, 3u}) {
        CAPTURE(t);
        auto o = opts(200'000, t);
        int calls = 0;
        std::uint64_t last_done = 0;
        o.progress = [&, token = o.cancel](std::uint64_t done, std::uint64_t total) {
            CHECK(total == 200'000);
            CHECK(done > last_done);
            last_done = done;
            if (++calls == 3) token.cancel();
        };
        const auto r = offroi::run(m, o, exact_bag{});
        CHECK(r.cancelled());
        // Workers run at most 8T blocks ahead of the merged prefix, so after 3 progress
        // calls (3 merged batches) at most 3 * 8T of the 200 blocks are merged.
        CHECK(r.trials() <= 3 * 8 * t * 1000);
        CHECK(r.trials() >= 3000);
        CHECK(r.trials() % 1000 == 0);  // whole blocks
        CHECK(r.blocks() == r.trials() / 1000);
        if (t == 1) CHECK(r.trials() == 3000);  // single thread: exactly after the 3rd block
        for (std::size_t i = 0; i < 3; ++i) {
            CHECK(r.summary(i).count() == r.trials());
            auto s = r.samples(i);
            REQUIRE(s.size() == r.trials());
            CHECK(std::equal(s.begin(), s.end(), full.samples(i).begin()));
        }
    }
    // A token cancelled before the run: no blocks, still a valid (empty) result.
    auto o = opts(10'000, 2);
    o.cancel.cancel();
    const auto r = offroi::run(m, o, exact_bag{});
    CHECK(r.cancelled());
    CHECK(r.trials() == 0);
    // Cancel from another thread while a 2-thread run is going.
    auto o2 = opts(2'000'000, 2);
    o2.samples = offroi::sample_policy::never;
    std::atomic<bool> started{false};
    o2.progress = [&](std::uint64_t, std::uint64_t) { started = true; };
    std::thread killer([&, token = o2.cancel] {
        while (!started) std::this_thread::yield();
        token.cancel();
    });
    const auto r2 = offroi::run(m, o2, exact_bag{});
    killer.join();
    CHECK(r2.cancelled());
    CHECK(r2.trials() < 2'000'000);
    CHECK(r2.summary(0).count() == r2.trials());
}

TEST_CASE("run: progress reports every trial once at the end") {
    const random_model m;
    for (unsigned t : {1u, 2u}) {
        auto o = opts(12'345, t);
        std::vector<std::uint64_t> seen;
        o.progress = [&](std::uint64_t d, std::uint64_t) { seen.push_back(d); };
        offroi::run(m, o, exact_bag{});
        REQUIRE_FALSE(seen.empty());
        CHECK(seen.back() == 12'345);
        CHECK(std::is_sorted(seen.begin(), seen.end()));
        CHECK(std::adjacent_find(seen.begin(), seen.end()) == seen.end());
    }
    // An exception from the callback stops the workers and propagates.
    for (unsigned t : {1u, 2u}) {
        auto o = opts(1'000'000, t);
        int calls = 0;
        o.progress = [&](std::uint64_t, std::uint64_t) {
            if (++calls == 2) throw std::runtime_error("stop from callback");
        };
        CHECK_THROWS_WITH_AS(offroi::run(m, o, exact_bag{}), "stop from callback", std::runtime_error);
        CHECK(calls == 2);
    }
}

TEST_CASE("run: bad options throw invalid_argument naming the field") {
    const random_model m;
    auto msg_of = [&](const offroi::engine_options& o) {
        try {
            offroi::run(m, o, exact_bag{});
        } catch (const offroi::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("no throw");
    };
    auto o = opts(0, 1);
    CHECK(msg_of(o).find("trials = 0") != std::string::npos);
    o = opts(10, 1, 0);
    CHECK(msg_of(o).find("block_size = 0") != std::string::npos);
    o = opts(10, 1, offroi::max_block_size + 1);
    CHECK(msg_of(o).find("block_size = 16777217") != std::string::npos);
    o = opts(10, 1);
    o.first_trial = ~std::uint64_t{0} - 5;
    CHECK(msg_of(o).find("first_trial") != std::string::npos);
    o = opts(10, 5000);
    CHECK(msg_of(o).find("threads = 5000") != std::string::npos);
    CHECK(msg_of(opts(10, 1)) == "no throw");

    struct no_outputs {
        std::vector<std::string> output_names() const { return {}; }
        void operator()(const offroi::block_context&, offroi::block_outputs&) const {}
    };
    CHECK_THROWS_AS(offroi::run(no_outputs{}, opts(10, 1), exact_bag{}), offroi::invalid_argument);
}

TEST_CASE("run: model exceptions and non-finite outputs propagate, for any thread count") {
    struct throws_at {
        std::uint64_t bad;
        std::vector<std::string> output_names() const { return {"x"}; }
        void operator()(const offroi::block_context& c, offroi::block_outputs& o) const {
            for (std::size_t i = 0; i < c.count; ++i) {
                if (c.first_trial + i == bad) throw std::runtime_error("model failed");
                o.column(0)[i] = 1.0;
            }
        }
    };
    struct nan_at {
        std::uint64_t bad;
        std::vector<std::string> output_names() const { return {"a", "net_benefit"}; }
        void operator()(const offroi::block_context& c, offroi::block_outputs& o) const {
            for (std::size_t i = 0; i < c.count; ++i) {
                o.column(0)[i] = 0.0;
                o.column(1)[i] = (c.first_trial + i == bad) ? std::nan("") : 1.0;
            }
        }
    };
    for (unsigned t : {1u, 2u, 3u}) {
        CAPTURE(t);
        CHECK_THROWS_WITH_AS(offroi::run(throws_at{77'777}, opts(100'000, t), exact_bag{}),
                             "model failed", std::runtime_error);
        try {
            offroi::run(nan_at{4242}, opts(100'000, t), exact_bag{});
            FAIL("no throw");
        } catch (const offroi::numerical_error& e) {
            CHECK(std::string(e.what()).find("'net_benefit' is NaN at trial 4242") != std::string::npos);
        }
    }
    auto o = opts(10'000, 2);
    o.check_finite_outputs = false;
    CHECK(offroi::run(nan_at{5}, o, exact_bag{}).trials() == 10'000);
}

// With streaming summaries the engine does not scan the outputs itself: the summary's own
// check is the only one. The user must still get the engine's error naming the output and
// the first bad trial, at any thread count; with check_finite_outputs off, the summary's.
TEST_CASE("run with streaming summaries: a non-finite output is named with its trial") {
    struct bad_at {
        std::uint64_t bad;
        double value;
        std::vector<std::string> output_names() const { return {"a", "net_benefit", "c"}; }
        void operator()(const offroi::block_context& c, offroi::block_outputs& o) const {
            for (std::size_t i = 0; i < c.count; ++i) {
                const std::uint64_t t = c.first_trial + i;
                o.column(0)[i] = 1.0;
                o.column(1)[i] = (t == bad || t == bad + 3) ? value : static_cast<double>(t);
                o.column(2)[i] = t == bad + 1 ? value : 2.0;  // later trial, later output
            }
        }
    };
    static_assert(offroi::detail::rejects_non_finite_values<offroi::streaming_summary>);
    static_assert(!offroi::detail::rejects_non_finite_values<exact_bag>);
    for (unsigned t : {1u, 2u, 3u}) {
        CAPTURE(t);
        offroi::run_options ro;
        ro.trials = 20'000;
        ro.threads = t;
        ro.block_size = 1000;
        ro.seed = 42;
        for (const double v : {std::nan(""), std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()}) {
            CAPTURE(v);
            try {
                offroi::run(bad_at{4242, v}, ro);
                FAIL("no throw");
            } catch (const offroi::numerical_error& e) {
                const std::string what = std::isnan(v) ? "NaN" : "infinite";
                CHECK(std::string(e.what()) ==
                      "offroi::run: output 'net_benefit' is " + what + " at trial 4242 (seed 42)");
            }
        }
        auto off = ro;
        off.check_finite_outputs = false;
        try {
            offroi::run(bad_at{4242, std::numeric_limits<double>::infinity()}, off);
            FAIL("no throw");
        } catch (const offroi::invalid_argument& e) {  // the summary's: value 242 of block 4
            CHECK(std::string(e.what()).find("streaming_summary::add") != std::string::npos);
            CHECK(std::string(e.what()).find("value[242]") != std::string::npos);
        }
        CHECK(offroi::run(bad_at{~std::uint64_t{0} - 8, 0.0}, ro).trials() == 20'000);
    }
}

TEST_CASE("trial_model: per-trial function over filled input columns") {
    auto fill = [](std::uint64_t seed, std::uint64_t first, std::size_t n, double* const* cols) {
        for (std::uint64_t j = 0; j < 2; ++j)
            offroi::philox_stream(seed, offroi::substream(7, j)).fill(first, n, 0, cols[j]);
    };
    auto fn = [](std::span<const double> in, std::span<double> out) {
        out[0] = in[0] + in[1];
        out[1] = in[0] * in[1];
    };
    const auto tm = offroi::make_trial_model(2, fill, fn, {"sum", "prod"});
    static_assert(offroi::model<decltype(tm)>);
    const auto r1 = offroi::run(tm, opts(7001, 1), exact_bag{});
    const auto r2 = offroi::run(tm, opts(7001, 2), exact_bag{});
    check_identical(r1, r2);
    const offroi::philox_stream s0(42, offroi::substream(7, 0)), s1(42, offroi::substream(7, 1));
    for (std::uint64_t t : {0u, 4000u, 7000u}) {
        CHECK(same_bits(r1.samples("sum")[t], s0.uniform(t) + s1.uniform(t)));
        CHECK(same_bits(r1.samples("prod")[t], s0.uniform(t) * s1.uniform(t)));
    }
    CHECK_THROWS_AS(offroi::make_trial_model(0, fill, fn, {"a"}), offroi::invalid_argument);
    CHECK_THROWS_AS(offroi::make_trial_model(2, fill, fn, {}), offroi::invalid_argument);
}

TEST_CASE("run_result: assembly checks sizes; release_samples; token reset") {
    using result = offroi::basic_run_result<exact_bag>;
    CHECK_THROWS_AS(result({"a", "b"}, std::vector<exact_bag>(1), {}, 0, 0, 0, 0.0, false),
                    offroi::invalid_argument);
    CHECK_THROWS_AS(result({"a"}, std::vector<exact_bag>(1), std::vector<offroi::sample_column>(1, offroi::sample_column(3)),
                           0, 4, 1, 0.0, false),
                    offroi::invalid_argument);
    const random_model m;
    auto r = offroi::run(m, opts(2500, 2), exact_bag{});
    const double first = r.samples(0)[0];
    auto cols = r.release_samples();
    REQUIRE(cols.size() == 3);
    CHECK(cols[0].size() == 2500);
    CHECK(cols[0][0] == first);
    CHECK_FALSE(r.samples_kept());
    CHECK(r.summary(0).count() == 2500);

    offroi::cancellation_token tok;
    const auto copy = tok;
    copy.cancel();
    CHECK(tok.cancelled());
    tok.reset();
    CHECK_FALSE(copy.cancelled());
}

}  // namespace engine_run_test
