#include <doctest/doctest.h>

#include <cmath>

#include "offroi/analysis/breakeven.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace analysis_breakeven_test {

using namespace offroi;

// The median net benefit of the offshore team is not monotone in its rate (the capability
// tier follows the rate up to the band's top, $50): brackets start inside the band, where
// the team is capable and cheap, and end where it is dear.

TEST_CASE("breakeven: the offshore rate at which the median net benefit is zero") {
    breakeven_options o;
    o.input = "offshore_team.hourly_rate_usd";
    o.lower = 45;
    o.upper = 150;
    o.run.trials = 4000;
    const breakeven_result b = breakeven(default_scenario(), o);
    MESSAGE("root " << b.value << " +- " << b.standard_error << ", g(root) " << b.objective_at_root << " (SE "
                    << b.objective_se_at_root << "), slope " << b.slope);
    CHECK(b.value > 45);
    CHECK(b.value < 150);
    // The objective changes sign around the root (bracket ends evaluated first).
    CHECK(b.evaluations[0].objective > 0);
    CHECK(b.evaluations[1].objective < 0);
    // At the root the median is zero within its Monte Carlo uncertainty.
    CHECK(std::fabs(b.objective_at_root) <= 4 * b.objective_se_at_root);
    CHECK(b.slope < 0);
    CHECK(b.standard_error > 0);
    // The root reproduces over independent seeds within the stated uncertainty.
    for (std::uint64_t seed : {7u, 8u}) {
        breakeven_options p = o;
        p.run.seed = seed;
        const breakeven_result c = breakeven(default_scenario(), p);
        CHECK(std::fabs(c.value - b.value) < 5 * std::hypot(b.standard_error, c.standard_error));
    }
}

TEST_CASE("breakeven: P(loss) target, and no sign change") {
    breakeven_options o;
    o.input = "offshore_team.hourly_rate_usd";
    o.lower = 45;
    o.upper = 150;
    o.target = breakeven_target::prob_loss;
    o.prob_loss_target = 0.2;
    o.run.trials = 4000;
    const breakeven_result b = breakeven(default_scenario(), o);
    CHECK(b.value > 45);
    CHECK(b.value < 150);
    CHECK(std::fabs(b.objective_at_root) <= 4 * b.objective_se_at_root);
    // Below the band the team rarely delivers: a loss at both ends of [15, 20].
    o.target = breakeven_target::median_net_benefit;
    o.lower = 15;
    o.upper = 20;
    CHECK_THROWS_WITH_AS(breakeven(default_scenario(), o), doctest::Contains("no sign change"), invalid_argument);
    o.upper = 15;
    CHECK_THROWS_AS(breakeven(default_scenario(), o), invalid_argument);
}

}  // namespace analysis_breakeven_test
