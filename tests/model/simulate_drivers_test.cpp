// Drivers from simulate (simulate_options::driver_trials): the same run as without them, and
// the same ranking as run_scenario + run_drivers.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <string>

#include "offroi/analysis/model_sensitivity.hpp"
#include "offroi/analysis/scenario_run.hpp"
#include "offroi/distributions/constant.hpp"
#include "offroi/distributions/uniform.hpp"
#include "offroi/model/scenario.hpp"
#include "offroi/model/scenario_result.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace model_simulate_drivers_test {

using namespace offroi;

TEST_CASE("simulate with driver_trials: same summaries, drivers as run_drivers ranks them") {
    scenario s = default_scenario();
    s.alternatives.push_back(preset(sourcing_model::nearshore));
    const scenario_result plain = simulate(s, {.trials = 12000, .threads = 2});
    const scenario_result with = simulate(s, {.trials = 12000, .threads = 1, .driver_trials = 4000});
    REQUIRE(plain.arrangements.size() == with.arrangements.size());
    for (std::size_t a = 0; a < plain.arrangements.size(); ++a)
        for (std::size_t o = 0; o < plain.arrangements[a].outputs.size(); ++o) {
            CHECK(plain.arrangements[a].outputs[o].stats.mean == with.arrangements[a].outputs[o].stats.mean);
            CHECK(plain.arrangements[a].outputs[o].stats.percentiles[1].value ==
                  with.arrangements[a].outputs[o].stats.percentiles[1].value);
        }
    CHECK(with.arrangements[0].drivers.empty());  // the baseline has none
    CHECK(plain.arrangement("offshore_team").drivers.empty());  // not requested

    run_request req;
    req.trials = 12000;
    req.driver_trials = 4000;
    const scenario_run sr = run_scenario(s, req);
    CHECK(sr.trials() == 12000);  // the direct accessor (was sr.result.run.trials())
    CHECK(with.trials() == 12000);
    for (const std::string name : {"offshore_team", "nearshore"}) {
        const driver_ranking d = run_drivers(sr, name);
        const auto& got = with.arrangement(name).drivers;
        REQUIRE(got.size() == d.order.size());
        for (std::size_t i = 0; i < got.size(); ++i) {
            CHECK(got[i].input == d.measures.names[d.order[i]]);
            CHECK(got[i].srrc == d.measures.srrc[d.order[i]]);
            CHECK(got[i].spearman == d.measures.spearman[d.order[i]]);
        }
        CHECK(with.arrangement(name).drivers_r2 == d.measures.srrc_r2);
        // Ordered by |SRRC|; another alternative's inputs never appear.
        for (std::size_t i = 1; i < got.size(); ++i) CHECK(std::fabs(got[i - 1].srrc) >= std::fabs(got[i].srrc));
        const std::string other = name == std::string("nearshore") ? "offshore_team." : "nearshore.";
        for (const auto& g : got) CHECK(g.input.rfind(other, 0) == std::string::npos);
    }
}

TEST_CASE("simulate with driver_trials: the drivers are the same bits on 1, 2 and all threads") {
    // Three alternatives (inputs shared through the scenario and the baseline, ranked once),
    // an odd number of driver trials; every field of every driver, and R^2, bit for bit, and
    // equal to run_drivers on the recorded run (which ranks each alternative's own columns).
    scenario s = default_scenario();
    s.alternatives.push_back(preset(sourcing_model::nearshore));
    arrangement third = s.alternatives.front();
    third.name = "vendor_b";
    s.alternatives.push_back(third);
    const scenario_result one = simulate(s, {.trials = 6001, .threads = 1, .driver_trials = 5001});
    run_request req;
    req.trials = 6001;
    req.driver_trials = 5001;
    const scenario_run sr = run_scenario(s, req);
    for (const unsigned threads : {2u, 0u}) {
        const scenario_result other = simulate(s, {.trials = 6001, .threads = threads, .driver_trials = 5001});
        for (std::size_t a = 1; a < one.arrangements.size(); ++a) {
            const auto& x = one.arrangements[a].drivers;
            const auto& y = other.arrangements[a].drivers;
            REQUIRE(x.size() == y.size());
            CHECK(!x.empty());
            CHECK(std::bit_cast<std::uint64_t>(one.arrangements[a].drivers_r2) ==
                  std::bit_cast<std::uint64_t>(other.arrangements[a].drivers_r2));
            for (std::size_t i = 0; i < x.size(); ++i) {
                CHECK(x[i].input == y[i].input);
                CHECK(std::bit_cast<std::uint64_t>(x[i].srrc) == std::bit_cast<std::uint64_t>(y[i].srrc));
                CHECK(std::bit_cast<std::uint64_t>(x[i].prcc) == std::bit_cast<std::uint64_t>(y[i].prcc));
                CHECK(std::bit_cast<std::uint64_t>(x[i].spearman) == std::bit_cast<std::uint64_t>(y[i].spearman));
                CHECK(std::bit_cast<std::uint64_t>(x[i].contribution_to_variance) ==
                      std::bit_cast<std::uint64_t>(y[i].contribution_to_variance));
            }
        }
    }
    for (std::size_t a = 1; a < one.arrangements.size(); ++a) {
        const std::string& name = one.arrangements[a].name;
        for (const unsigned threads : {1u, 2u}) {
            const driver_ranking d = run_drivers(sr, name, threads);
            const auto& got = one.arrangements[a].drivers;
            REQUIRE(got.size() == d.order.size());
            CHECK(one.arrangements[a].drivers_r2 == d.measures.srrc_r2);
            for (std::size_t i = 0; i < got.size(); ++i) {
                const std::size_t k = d.order[i];
                CHECK(got[i].input == d.measures.names[k]);
                CHECK(got[i].srrc == d.measures.srrc[k]);
                CHECK(got[i].prcc == d.measures.prcc[k]);
                CHECK(got[i].spearman == d.measures.spearman[k]);
                CHECK(got[i].contribution_to_variance == d.measures.contribution_to_variance[k]);
            }
        }
    }
}

TEST_CASE("an alternative no sampled input feeds: simulate leaves its drivers empty, run_drivers_all names it") {
    // Everything constant but one input of the first alternative: the second alternative's
    // net benefit is fed by no sampled input (risk events are draws, not inputs).
    scenario s = default_scenario();
    s.alternatives.push_back(preset(sourcing_model::nearshore));
    s.correlations.clear();
    for (const auto& f : scenario_fields) s.set(f.name, constant_distribution(mean(s.get(f.name))));
    for (auto& a : s.alternatives)
        for (const auto& f : arrangement_fields) a.set(f.name, constant_distribution(mean(a.get(f.name))));
    for (const auto& f : arrangement_fields)
        s.baseline.set(f.name, constant_distribution(mean(s.baseline.get(f.name))));
    s.set(s.alternatives[0].name + ".hourly_rate_usd", uniform_distribution(50, 110));
    const scenario_result res = simulate(s, {.trials = 3000, .threads = 2, .driver_trials = 2000});
    REQUIRE(res.arrangements.size() == 3);
    REQUIRE(res.arrangements[1].drivers.size() == 1);
    CHECK(res.arrangements[1].drivers[0].input == s.alternatives[0].name + ".hourly_rate_usd");
    CHECK(res.arrangements[1].drivers_r2 > 0.5);
    CHECK(res.arrangements[2].drivers.empty());
    CHECK(res.arrangements[2].drivers_r2 == 0.0);

    run_request req;
    req.trials = 3000;
    req.driver_trials = 2000;
    const scenario_run sr = run_scenario(s, req);
    const std::string unfed = "no sampled input feeds \"" + s.alternatives[1].name + "\"";
    CHECK_THROWS_WITH_AS(run_drivers_all(sr), doctest::Contains(unfed.c_str()), invalid_argument);
    CHECK_THROWS_AS(run_drivers(sr, s.alternatives[1].name), invalid_argument);
    // The fed alternative: the same bits as simulate's.
    const driver_ranking d = run_drivers(sr, s.alternatives[0].name, 1);
    REQUIRE(d.order.size() == 1);
    CHECK(std::bit_cast<std::uint64_t>(d.measures.srrc[0]) ==
          std::bit_cast<std::uint64_t>(res.arrangements[1].drivers[0].srrc));
    CHECK(std::bit_cast<std::uint64_t>(d.measures.srrc_r2) == std::bit_cast<std::uint64_t>(res.arrangements[1].drivers_r2));
}

TEST_CASE("simulate with driver_trials: bad requests name the problem") {
    scenario s = default_scenario();
    CHECK_THROWS_WITH_AS(simulate(s, {.trials = 1000, .driver_trials = 2}), doctest::Contains("driver_trials"),
                         invalid_argument);
}

}  // namespace model_simulate_drivers_test
