// Every option struct a user fills takes designated initializers that name any subset of its
// fields, warning-free under -Wall -Wextra -Wshadow -Werror (option_initializers.cmake): each
// member has a default member initializer. The values named arrive; the rest keep their
// defaults.
#include <doctest/doctest.h>

#include "offroi/all.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace analysis_option_initializers_test {

using namespace offroi;

TEST_CASE("designated initializers: simulate_options, run_request and the analysis options") {
    const simulate_options so{.trials = 5000, .seed = 7, .percentiles = {0.05, 0.95}};
    CHECK(so.trials == 5000);
    CHECK(so.seed == 7u);
    CHECK(so.threads == 0u);
    CHECK(so.shortfall_alpha == 0.05);
    CHECK(so.percentiles.size() == 2);

    const run_request rr{.trials = 1000, .driver_trials = 500};
    CHECK(rr.trials == 1000);
    CHECK(rr.driver_trials == 500);
    CHECK(!rr.seed.has_value());
    CHECK(rr.precision == 0.0);

    const compare_options co{.run = {.trials = 300, .seed = 4}};
    CHECK(co.run.trials == 300);
    CHECK(co.pairing == draw_pairing::common);

    const sweep_options sw{.input = "offshore_team.hourly_rate_usd", .values = {20, 30}};
    CHECK(sw.values.size() == 2);
    CHECK(sw.mode == sweep_mode::set);

    const breakeven_options be{.input = "offshore_team.hourly_rate_usd", .lower = 15, .upper = 150};
    CHECK(be.upper == 150);
    CHECK(be.max_evaluations == 60);

    const scenario_sensitivity_options ss{.arrangement = "offshore_team"};
    CHECK(ss.event_trials == 1024);

    const sampling_options sa{.seed = 3, .design_size = 100};
    CHECK(sa.method == sampling_method::monte_carlo);
    CHECK(sa.reorder_block == 4096);
}

}  // namespace analysis_option_initializers_test
