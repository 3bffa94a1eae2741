#include <doctest/doctest.h>

#include <cmath>

#include "offroi/analysis/compare.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace analysis_compare_test {

using namespace offroi;

namespace {
// Mean of an output of a run with the same seed and trials as the comparison's.
double run_mean(const scenario& s, std::uint64_t trials, const std::string& arrangement) {
    run_request r;
    r.trials = trials;
    return run_scenario(s, r).result.arrangement(arrangement).output("net_benefit").mean;
}
}  // namespace

TEST_CASE("common random numbers give a smaller SE of a difference than independent draws") {
    const scenario s = default_scenario();
    compare_options o;
    o.run.trials = 20000;
    const comparison_result crn = compare(s, o);
    o.pairing = draw_pairing::independent;
    const comparison_result ind = compare(s, o);
    REQUIRE(crn.pairs.size() == 1);
    REQUIRE(ind.pairs.size() == 1);
    CHECK(crn.frame == framing::project);
    const auto& c = crn.pairs[0];
    const auto& i = ind.pairs[0];
    CHECK(c.a == "local_hiring");
    CHECK(c.b == "offshore_team");
    const double ratio = c.net_benefit_difference.standard_error / i.net_benefit_difference.standard_error;
    MESSAGE("SE ratio CRN / independent = " << ratio);
    // The shared backlog, cost of delay and critical path cancel in the paired difference:
    // the paired SE is well below half the unpaired one.
    CHECK(ratio < 0.5);
    CHECK(ratio > 0.05);
    // Both estimate the same mean difference: within 5 combined standard errors.
    const double se = std::hypot(c.net_benefit_difference.standard_error, i.net_benefit_difference.standard_error);
    CHECK(std::fabs(c.net_benefit_difference.mean - i.net_benefit_difference.mean) < 5 * se);
    // NB(A) - NB(B) with A the baseline is minus the alternative's net benefit, which is the
    // model's own net_benefit output of the same run.
    CHECK(c.net_benefit_difference.mean == doctest::Approx(-crn.mean_net_benefit[1]).epsilon(1e-12));
    CHECK(crn.mean_net_benefit[1] == doctest::Approx(run_mean(s, 20000, "offshore_team")).epsilon(1e-9));
    // Project framing: NB = TC_baseline - TC, so the total-cost difference mirrors it (up to
    // rounding: the model sums spend and cost of delay separately).
    const double scale = std::fabs(c.net_benefit_difference.mean) + 1.0;
    CHECK(std::fabs(c.total_cost_difference.mean + c.net_benefit_difference.mean) < 1e-9 * scale);
    CHECK(std::fabs(c.total_cost_difference.p10 + c.net_benefit_difference.p90) < 1e-6 * scale);
    CHECK(c.total_cost_difference.standard_error ==
          doctest::Approx(c.net_benefit_difference.standard_error).epsilon(1e-9));
    // P(baseline better) is P(net benefit of the offshore team < 0).
    CHECK(c.prob_a_better > 0.0);
    CHECK(c.prob_a_better < 0.5);
}

TEST_CASE("capacity framing: the comparison is the model's net benefit at equal output, not a cost difference") {
    scenario s = default_scenario();
    s.frame = framing::capacity;
    compare_options o;
    o.run.trials = 8000;
    const comparison_result c = compare(s, o);
    CHECK(c.frame == framing::capacity);
    REQUIRE(c.pairs.size() == 1);
    const auto& p = c.pairs[0];
    CHECK(c.mean_net_benefit[1] == doctest::Approx(run_mean(s, 8000, "offshore_team")).epsilon(1e-9));
    CHECK(p.net_benefit_difference.mean == doctest::Approx(-c.mean_net_benefit[1]).epsilon(1e-12));
    // The total costs ignore the output gap: TC_baseline - TC plus the value of the output
    // gap (the alternative's mean delivery_value) is the net benefit.
    run_request r;
    r.trials = 8000;
    const double output_value =
        run_scenario(s, r).result.arrangement("offshore_team").output("delivery_value").mean;
    const double cost_gap = p.total_cost_difference.mean;  // TC_local - TC_offshore
    MESSAGE("capacity: mean NB " << c.mean_net_benefit[1] << ", mean TC_baseline - TC " << cost_gap
                                 << ", output value " << output_value);
    CHECK(std::fabs(output_value) > 1e4);
    CHECK(std::fabs(cost_gap - c.mean_net_benefit[1]) > 1e4);
    CHECK(cost_gap + output_value == doctest::Approx(c.mean_net_benefit[1]).epsilon(1e-9));
    // Independent draws cannot form a capacity net benefit: refused, with the reason.
    o.pairing = draw_pairing::independent;
    CHECK_THROWS_WITH_AS(compare(s, o), doctest::Contains("capacity"), invalid_argument);
}

}  // namespace analysis_compare_test
