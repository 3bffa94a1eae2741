// Drivers from simulate (simulate_options::driver_trials): the same run as without them, and
// the same ranking as run_scenario + run_drivers.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "offroi/analysis/model_sensitivity.hpp"
#include "offroi/analysis/scenario_run.hpp"
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

TEST_CASE("simulate with driver_trials: bad requests name the problem") {
    scenario s = default_scenario();
    CHECK_THROWS_WITH_AS(simulate(s, {.trials = 1000, .driver_trials = 2}), doctest::Contains("driver_trials"),
                         invalid_argument);
}

}  // namespace model_simulate_drivers_test
