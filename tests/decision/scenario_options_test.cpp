#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "offroi/analysis/scenario_run.hpp"
#include "offroi/decision/scenario_options.hpp"
#include "offroi/io/scenario_json.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace decision_scenario_options_test {

using namespace offroi;

namespace {

bool same_bits(std::span<const double> a, std::span<const double> b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

std::vector<double> simulate(const scenario_option_simulator& sim, std::size_t i, std::uint64_t first, std::size_t n) {
    std::vector<double> v(n);
    sim(i, first, v);
    return v;
}

struct moments {
    double mean = 0, var = 0;
};
moments moments_of(std::span<const double> x) {
    double s = 0, s2 = 0;
    for (double v : x) s += v;
    const double m = s / double(x.size());
    for (double v : x) s2 += (v - m) * (v - m);
    return {m, s2 / double(x.size() - 1)};
}

}  // namespace

TEST_CASE("scenario_options: the option list -- baseline, alternatives, grids of variants") {
    scenario s = default_scenario();
    const auto one = scenario_option_list(s, {{"offshore_team.overlap_hours", {0, 2, 4, 6, 8}}});
    REQUIRE(one.size() == 7);
    CHECK(one[0].name == "local_hiring");
    CHECK(one[0].is_baseline);
    CHECK(one[1].name == "offshore_team");
    CHECK(one[1].settings.empty());
    CHECK(one[2].name == "offshore_team[overlap_hours=0]");
    CHECK(one[6].name == "offshore_team[overlap_hours=8]");
    CHECK(one[6].settings == std::vector<std::pair<std::string, double>>{{"overlap_hours", 8}});
    // Two inputs of one alternative: a grid, the last stepping fastest.
    const auto grid = scenario_option_list(
        s, {{"offshore_team.overlap_hours", {2, 6}}, {"offshore_team.headcount", {8, 12, 16}}}, false, false);
    REQUIRE(grid.size() == 6);
    CHECK(grid[0].name == "offshore_team[overlap_hours=2,headcount=8]");
    CHECK(grid[1].name == "offshore_team[overlap_hours=2,headcount=12]");
    CHECK(grid[5].name == "offshore_team[overlap_hours=6,headcount=16]");
    // Two alternatives: separate variant sets.
    s.alternatives.push_back(preset(sourcing_model::nearshore, "nearshore_team"));
    const auto two = scenario_option_list(
        s, {{"offshore_team.overlap_hours", {2, 6}}, {"nearshore_team.hourly_rate_usd", {40, 50.5}}});
    REQUIRE(two.size() == 7);
    CHECK(two[5].name == "nearshore_team[hourly_rate_usd=40]");
    CHECK(two[6].name == "nearshore_team[hourly_rate_usd=50.5]");
}

TEST_CASE("scenario_options: the simulator reproduces run_scenario bit for bit, any trial range") {
    const scenario s = default_scenario();
    const std::uint64_t seed = 424242, n = 5000;
    const auto opts = scenario_option_list(s, {{"offshore_team.overlap_hours", {4}}});
    const scenario_option_simulator sim(s, opts, seed, n);
    run_request req;
    req.trials = n;
    req.seed = seed;
    req.threads = 2;
    const auto run = run_scenario(s, req);
    const auto want = run.result.run.samples("offshore_team.net_benefit");
    CHECK(same_bits(simulate(sim, 1, 0, n), want));
    // Any range [a, b) is the same numbers as the slice: trial t is a pure function of (seed, t).
    CHECK(same_bits(simulate(sim, 1, 1234, 77), want.subspan(1234, 77)));
    CHECK(same_bits(simulate(sim, 1, 4090, 20), want.subspan(4090, 20)));  // across the 4096 grid
    // The variant equals run_scenario of the scenario with the input set to the constant
    // (Monte Carlo: every other input's draws are keyed by its name).
    scenario sv = s;
    sv.set("offshore_team.overlap_hours", constant_distribution(4));
    const auto run4 = run_scenario(sv, req);
    const auto want4 = run4.result.run.samples("offshore_team.net_benefit");
    CHECK(same_bits(simulate(sim, 2, 0, n), want4));
    // The baseline is 0 in every trial.
    for (double v : simulate(sim, 0, 10, 100)) CHECK(v == 0.0);
    // A Latin hypercube with design size n: the same design as a run of n trials.
    scenario sl = s;
    sl.simulation.method = sampling_method::latin_hypercube;
    const scenario_option_simulator lhs(sl, opts, seed, n);
    const auto run_l = run_scenario(sl, req);
    const auto want_l = run_l.result.run.samples("offshore_team.net_benefit");
    CHECK(same_bits(simulate(lhs, 1, 0, n), want_l));
    CHECK_THROWS_WITH_AS(simulate(sim, 3, 0, 1), doctest::Contains("option = 3 is invalid"), invalid_argument);
}

TEST_CASE("scenario_options: common random numbers shrink the variance of differences") {
    // overlap 6 h vs 2 h on the default scenario: the per-trial difference on common random
    // numbers against the same difference with the second option on another seed
    // (independent draws). With n = 20 000 each variance has a relative standard error of
    // about sqrt((kurtosis - 1) / n) < 5% for these (moderately heavy-tailed) outputs, so a
    // ratio below 0.1 is a decisive margin, not noise.
    const scenario s = default_scenario();
    const auto opts = scenario_option_list(s, {{"offshore_team.overlap_hours", {2, 6}}}, false, false);
    const std::size_t n = 20000;
    const scenario_option_simulator a(s, opts, 1, n), b(s, opts, 2, n);
    const auto x2 = simulate(a, 0, 0, n), x6 = simulate(a, 1, 0, n), y2 = simulate(b, 0, 0, n);
    std::vector<double> crn(n), ind(n);
    for (std::size_t t = 0; t < n; ++t) {
        crn[t] = x6[t] - x2[t];
        ind[t] = x6[t] - y2[t];
    }
    const auto mc = moments_of(crn), mi = moments_of(ind);
    const double ratio = mc.var / mi.var;
    MESSAGE("var(diff) CRN " << mc.var << ", independent " << mi.var << ", ratio " << ratio
                             << "; mean difference " << mc.mean << " +- " << std::sqrt(mc.var / n) << " (CRN) vs "
                             << mi.mean << " +- " << std::sqrt(mi.var / n));
    CHECK(ratio < 0.1);
    // Both estimate the same difference: within 4 combined SE.
    CHECK(std::fabs(mc.mean - mi.mean) < 4 * std::sqrt((mc.var + mi.var) / n));
}

TEST_CASE("scenario_options: the chosen option agrees with brute force on common random numbers") {
    // Brute force: N trials of every option on CRN, the largest mean. The brute-force winner
    // beats every rival by more than 5 paired standard errors, so it is itself certain.
    const scenario s = default_scenario();
    struct grid {
        const char* input;
        std::vector<double> values;
        const char* winner;
    };
    const std::vector<grid> grids{
        {"offshore_team.overlap_hours", {0, 2, 4, 6, 8}, "offshore_team[overlap_hours=8]"},
        // the rate buys capability up to the top of the offshore band ($50/h): an interior optimum
        {"offshore_team.hourly_rate_usd", {30, 40, 45, 48, 50, 52, 55, 60}, "offshore_team[hourly_rate_usd=50]"}};
    for (const auto& g : grids) {
        scenario_options_request r;
        r.vary = {{g.input, g.values}};
        r.selection.initial_trials = 512;
        r.selection.increment = 2048;
        r.selection.block = 256;
        r.selection.budget = 12 * 1024;
        r.frontier_trials = 2048;
        r.seed = 99;
        const auto res = choose_options(s, r);
        const std::size_t k = res.options.size();
        CHECK(res.options[res.selection.best].name == g.winner);
        CHECK(res.selection.apcs > 0.99);
        // Brute force, another seed, 40 000 trials per option.
        const std::size_t N = 40000;
        const scenario_option_simulator sim(s, res.options, 7, N);
        std::vector<std::vector<double>> v(k);
        std::size_t best = 0;
        std::vector<double> mean(k);
        for (std::size_t i = 0; i < k; ++i) {
            v[i] = simulate(sim, i, 0, N);
            mean[i] = moments_of(v[i]).mean;
            if (mean[i] > mean[best]) best = i;
        }
        CHECK(best == res.selection.best);
        for (std::size_t i = 0; i < k; ++i) {
            if (i == best) continue;
            std::vector<double> d(N);
            for (std::size_t t = 0; t < N; ++t) d[t] = v[best][t] - v[i][t];
            const auto m = moments_of(d);
            CHECK(m.mean > 5 * std::sqrt(m.var / double(N)));
            // OCBA's paired difference agrees with brute force within 4 combined SE.
            const auto& e = res.selection.options[i];
            CHECK(std::fabs(-e.difference - m.mean) < 4 * std::hypot(e.difference_se, std::sqrt(m.var / double(N))));
        }
        if (std::string(g.input) == "offshore_team.hourly_rate_usd") {
            // OCBA spends where the choice is closest in z = delta / sd(difference): $48/h
            // (a $32k gap with an $86k per-trial spread) gets more trials than any other rival.
            const auto& opts = res.options;
            std::size_t i48 = 0;
            for (std::size_t i = 0; i < k; ++i)
                if (opts[i].name == "offshore_team[hourly_rate_usd=48]") i48 = i;
            for (std::size_t i = 0; i < k; ++i)
                if (i != i48 && i != res.selection.best)
                    CHECK(res.selection.options[i48].trials > res.selection.options[i].trials);
        }
        // The frontier is computed on F trials of every option, and the best mean is on both.
        CHECK(res.frontier_trials == 2048);
        for (const auto& p : res.frontier.options) CHECK(p.trials == 2048);
        std::size_t fb = 0;
        for (std::size_t i = 0; i < k; ++i)
            if (res.frontier.options[i].mean > res.frontier.options[fb].mean) fb = i;
        CHECK(res.frontier.options[fb].efficient_percentile);
        CHECK(res.frontier.options[fb].efficient_cvar);
        CHECK(res.frontier.percentile_frontier.front() == fb);
    }
}

TEST_CASE("scenario_options: a close call -- nearshore vs offshore for real-time work") {
    // bench/scenarios/nearshore-vs-offshore-realtime.json: nearshore beats the offshore team
    // by ~$30k in mean on a ~$1.9M per-trial spread of the difference (different teams, so
    // CRN helps less). Brute force at 200 000 trials says nearshore by more than 5 SE; OCBA
    // with 60 000 trials in all agrees and spends most of them on these two.
    const scenario s = load_scenario(std::string(OFFROI_SOURCE_DIR) + "/bench/scenarios/nearshore-vs-offshore-realtime.json");
    scenario_options_request r;
    r.selection.initial_trials = 2048;
    r.selection.increment = 4096;
    r.selection.budget = 60 * 1024;
    r.frontier_trials = 2048;
    const auto res = choose_options(s, r);
    REQUIRE(res.options.size() == 3);
    CHECK(res.options[res.selection.best].name == "nearshore_team");
    const auto& o = res.selection.options;
    CHECK(o[1].trials + o[2].trials > 4 * o[0].trials);
    MESSAGE("trials: " << o[0].trials << " " << o[1].trials << " " << o[2].trials << ", APCS " << res.selection.apcs
                       << ", offshore - nearshore " << o[2].difference << " +- " << o[2].difference_se);
    const std::size_t N = 200000;
    const scenario_option_simulator sim(s, res.options, 5, N);
    const auto near = simulate(sim, 1, 0, N), off = simulate(sim, 2, 0, N);
    std::vector<double> d(N);
    for (std::size_t t = 0; t < N; ++t) d[t] = near[t] - off[t];
    const auto m = moments_of(d);
    MESSAGE("brute force nearshore - offshore " << m.mean << " +- " << std::sqrt(m.var / double(N)));
    CHECK(m.mean > 5 * std::sqrt(m.var / double(N)));
}

TEST_CASE("scenario_options: same bits for any thread count") {
    const scenario s = default_scenario();
    scenario_options_request r;
    r.vary = {{"offshore_team.overlap_hours", {2, 4, 6}}, {"offshore_team.headcount", {10, 12}}};
    r.selection.initial_trials = 256;
    r.selection.increment = 1024;
    r.selection.block = 128;
    r.selection.budget = 8 * 1024;
    r.frontier_trials = 1024;
    r.selection.keep_values = true;
    r.selection.threads = 1;
    const auto a = choose_options(s, r);
    r.selection.threads = 3;
    const auto b = choose_options(s, r);
    REQUIRE(a.options.size() == b.options.size());
    CHECK(a.selection.best == b.selection.best);
    CHECK(std::memcmp(&a.selection.apcs, &b.selection.apcs, sizeof(double)) == 0);
    CHECK(a.total_trials == b.total_trials);
    for (std::size_t i = 0; i < a.options.size(); ++i) {
        CHECK(a.selection.options[i].trials == b.selection.options[i].trials);
        CHECK(same_bits(a.selection.values[i], b.selection.values[i]));
        CHECK(std::memcmp(&a.frontier.options[i].cvar, &b.frontier.options[i].cvar, sizeof(double)) == 0);
        CHECK(std::memcmp(&a.selection.options[i].difference, &b.selection.options[i].difference, sizeof(double)) == 0);
    }
    CHECK(a.frontier.percentile_frontier == b.frontier.percentile_frontier);
}

TEST_CASE("scenario_options: bad input names the field, the value and what is allowed") {
    const scenario s = default_scenario();
    auto bad = [&](std::vector<option_variation> vary, const char* what) {
        scenario_options_request r;
        r.vary = std::move(vary);
        r.selection.budget = 100000;
        CHECK_THROWS_WITH_AS(choose_options(s, r), doctest::Contains(what), invalid_argument);
    };
    bad({{"offshore_team.overlap_hours", {4, 9}}},
        "vary offshore_team.overlap_hours value = 9 is invalid; must be in [0, 8]");
    bad({{"offshore_team.overlap_hours", {4, NAN}}}, "vary offshore_team.overlap_hours value = nan is invalid");
    bad({{"offshore_team.overlap_hours", {4, 4}}}, "value = 4 is invalid; each value may appear once");
    bad({{"offshore_team.overlap_hours", {}}}, "vary offshore_team.overlap_hours has no values");
    bad({{"offshore_team.overlap_hours", {2}}, {"offshore_team.overlap_hours", {4}}}, "is given twice");
    bad({{"offshore_team.overlap", {2}}}, "unknown field \"overlap\"; valid fields: headcount");
    bad({{"onshore.overlap_hours", {2}}}, "no arrangement named \"onshore\"");
    bad({{"local_hiring.headcount", {8}}}, "local_hiring is the baseline");
    bad({{"backlog_engineer_months", {100}}}, "must be \"<alternative>.<field>\"");
    bad({{"offshore_team.headcount", {0}}}, "vary offshore_team.headcount value = 0 is invalid; must be in (0, 100000] (and finite)");
    // A rate band turned upside down by a variant: the scenario's own check, as invalid_argument.
    bad({{"offshore_team.market_rate_low_usd", {60}}}, "option offshore_team[market_rate_low_usd=60] makes the scenario invalid");
    std::vector<double> many(1001);
    for (std::size_t i = 0; i < many.size(); ++i) many[i] = 1 + double(i);
    bad({{"offshore_team.headcount", many}}, "options = 1001 is invalid");
    // Too few options; bad selection and frontier settings are named too.
    scenario_options_request r;
    r.include_alternatives = false;
    CHECK_THROWS_WITH_AS(choose_options(s, r), doctest::Contains("options = 1 is invalid; need at least 2 options"),
                         invalid_argument);
    r = {};
    r.selection.initial_trials = 100;
    CHECK_THROWS_WITH_AS(choose_options(s, r), doctest::Contains("initial_trials = 100 is invalid"), invalid_argument);
    r = {};
    r.frontier_trials = 0;
    CHECK_THROWS_WITH_AS(choose_options(s, r), doctest::Contains("frontier_trials = 0 is invalid"), invalid_argument);
    r = {};
    r.frontier.tail_mass = 0;
    r.selection.budget = 2 * 1024;
    r.frontier_trials = 256;
    CHECK_THROWS_WITH_AS(choose_options(s, r), doctest::Contains("tail_mass = 0 is invalid"), invalid_argument);
}

}  // namespace decision_scenario_options_test
