// Tests of engagement plans (docs/model.md §13): a pilot of k engineers for m months, then
// scale, stay or exit. Hand calculations with constant inputs, the identities k = N (a plan
// that changes nothing changes no output), common random numbers in roi_model (adding plans
// leaves the arrangements' outputs bit-identical), and the checks.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "offroi/model/engagement_plan.hpp"
#include "offroi/model/evaluate.hpp"
#include "offroi/model/parameter_values.hpp"
#include "offroi/model/roi_model.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace model_engagement_plan_test {

using namespace offroi;

namespace {

// Four engineers of a nominal tier (PCAP = ACAP = 1), seats filled within the month, no
// ramp-up, no distance, no leadership cost, no events: 0.8 useful engineer-months per head
// and month (w = 0.2), $rate x 100 h per head and month.
arrangement_values team(double rate, double n = 4) {
    arrangement_values a;
    a.headcount = n;
    a.hourly_rate_usd = rate;
    a.market_rate_low_usd = rate / 2;
    a.market_rate_high_usd = rate * 2;
    a.hours_per_month = 100;
    a.initial_staffed_share = 1;
    a.time_to_fill_months = 0;
    a.niche_time_to_fill_months = 0;
    a.ramp_up_months = 0;
    a.overlap_hours = 8;
    a.leadership_hours_per_engineer_week = 3;
    a.vetting_rigor = 0;
    a.review_strength = 0;
    a.failure_annual_probability = 0;
    a.vendor_switch_annual_probability = 0;
    a.security_incident_annual_probability = 0;
    a.key_person_loss_annual_probability = 0;
    return a;
}

scenario_values backlog(double engineer_months) {
    scenario_values s;
    s.backlog_engineer_months = engineer_months;
    s.cost_of_delay_per_month_usd = 1000;
    s.niche_role_share = 0;
    s.sync_work_share = 0.3;
    s.base_rework_share = 0.2;
    s.leader_hourly_cost_usd = 0;
    s.escaped_defect_cost_usd_per_engineer_month = 0;
    return s;
}

// Baseline at $100/h, alternative at $50/h, the alternative also under `plans`.
std::vector<arrangement_outcome> run(const scenario_values& s, const arrangement_values& alt,
                                     std::vector<planned_engagement> plans, evaluation_settings set = {24, 0.0}) {
    const std::vector<arrangement_values> arr = {team(100), alt};
    const std::vector<event_uniforms> ev(2);
    std::vector<arrangement_outcome> out(2 + plans.size());
    evaluate_trial(s, arr, ev, set, set.monthly_discount(), out, plans);
    return out;
}

void check_same(const arrangement_outcome& a, const arrangement_outcome& b) {
    for (const auto& f : outcome_fields)
        CHECK_MESSAGE(a.*(f.member) == doctest::Approx(b.*(f.member)).epsilon(1e-12), f.name);
}

}  // namespace

TEST_CASE("a pilot of the full team that scales or stays is the arrangement itself") {
    const auto s = backlog(20);
    for (auto action : {pilot_action::scale, pilot_action::stay}) {
        const auto out = run(s, team(50), {{1, {4, 3, action}}});
        check_same(out[2], out[1]);
    }
}

TEST_CASE("pilot then scale: hand calculation") {
    // 1 engineer for 2 months (0.8 a month), then 4 (3.2 a month): a backlog of 8 is done at
    // 1.6 + 2 x 3.2 = 8, month 4. Committing: 8 / 3.2 = 2.5 months. The same useful work at
    // the same rate costs the same labour: 0.8 x (2 x 5 000 + 2 x 20 000) = 40 000.
    const auto out = run(backlog(8), team(50), {{1, {1, 2, pilot_action::scale}}});
    const auto& commit = out[1];
    const auto& staged = out[2];
    CHECK(commit.delivery_month == doctest::Approx(2.5));
    CHECK(staged.delivery_month == doctest::Approx(4.0));
    CHECK(staged.labour_cost == doctest::Approx(40000));
    CHECK(commit.labour_cost == doctest::Approx(40000));
    CHECK(staged.delay_cost == doctest::Approx(4000));  // $1 000 a month until month 4
    // The pilot costs 1.5 months of delay against committing: $1 500 less net benefit.
    CHECK(commit.net_benefit - staged.net_benefit == doctest::Approx(1500));
    // What the buyer observes is the pilot team's: the same useful share as the full team's
    // here (no leadership constraint), 0.8.
    CHECK(staged.useful_share == doctest::Approx(0.8));
}

TEST_CASE("pilot then stay: the pilot team delivers alone") {
    const auto out = run(backlog(8), team(50), {{1, {1, 2, pilot_action::stay}}});
    CHECK(out[2].delivery_month == doctest::Approx(10.0));  // 8 / 0.8
    CHECK(out[2].labour_cost == doctest::Approx(0.8 * 10 * 5000));
}

TEST_CASE("pilot then exit: the fallback starts from empty seats at the decision month") {
    // Pilot: 1 engineer at $50/h for 2 months (1.6 done). Exit terms $700; the fallback (the
    // baseline, $100/h, 4 seats filled within the month, set-up $300) does the remaining 6.4
    // at 3.2 a month: delivered at month 4.
    arrangement_values alt = team(50);
    alt.exit_cost_usd = 700;
    scenario_values s = backlog(8);
    std::vector<arrangement_values> arr = {team(100), alt};
    arr[0].setup_cost_usd = 300;
    const std::vector<event_uniforms> ev(2);
    std::vector<arrangement_outcome> out(3);
    const std::vector<planned_engagement> plans = {{1, {1, 2, pilot_action::exit}}};
    const evaluation_settings set{24, 0.0};
    evaluate_trial(s, arr, ev, set, 1.0, out, plans);
    const auto& exited = out[2];
    CHECK(exited.delivery_month == doctest::Approx(4.0));
    CHECK(exited.labour_cost == doctest::Approx(0.8 * (2 * 5000 + 2 * 40000)));
    // Transition: the exit terms and the fallback's set-up; no exit at completion (the
    // fallback is in-house work now; its own exit cost is 0).
    CHECK(exited.transition_cost == doctest::Approx(700 + 300));
    CHECK(exited.risk_cost == 0.0);  // a planned exit is not a risk event
    // Against the baseline alone (set-up 300 at month 0, 2.5 months at $40 000 a month):
    const auto& base = out[0];
    CHECK(base.delivery_month == doctest::Approx(2.5));
    CHECK(exited.net_benefit == doctest::Approx(base.spend - exited.spend + base.delay_cost - exited.delay_cost));
}

TEST_CASE("plans leave the arrangements' own outcomes bit-identical") {
    const auto s = backlog(30);
    arrangement_values alt = team(40, 6);
    alt.ramp_up_months = 3;
    alt.time_to_fill_months = 1.5;
    alt.initial_staffed_share = 0;
    const auto alone = run(s, alt, {});
    const auto with = run(s, alt, {{1, {2, 4, pilot_action::scale}}, {1, {2, 4, pilot_action::exit}}});
    for (const auto& f : outcome_fields) {
        CHECK(alone[0].*(f.member) == with[0].*(f.member));
        CHECK(alone[1].*(f.member) == with[1].*(f.member));
    }
    // Piloting with fewer engineers delivers later than committing (the same team, started
    // smaller), and exiting to the dearer baseline costs more spend than scaling.
    CHECK(with[2].delivery_month > with[1].delivery_month);
    CHECK(with[3].spend > with[2].spend);
}

TEST_CASE("engagement plans are checked") {
    CHECK_THROWS_AS(check(engagement_plan{0, 6, pilot_action::scale}, 10, 36), invalid_argument);
    CHECK_THROWS_AS(check(engagement_plan{11, 6, pilot_action::scale}, 10, 36), invalid_argument);
    CHECK_THROWS_AS(check(engagement_plan{2, 0, pilot_action::scale}, 10, 36), invalid_argument);
    CHECK_THROWS_AS(check(engagement_plan{2, 36, pilot_action::scale}, 10, 36), invalid_argument);
    CHECK_THROWS_AS(check(engagement_plan{std::nan(""), 6, pilot_action::scale}, 10, 36), invalid_argument);
    CHECK_NOTHROW(check(engagement_plan{2, 35, pilot_action::exit}, 10, 36));
    try {
        check(engagement_plan{12, 6, pilot_action::scale}, 10, 36);
    } catch (const invalid_argument& e) {
        CHECK(std::string(e.what()).find("pilot_headcount") != std::string::npos);
    }
    CHECK(parse_pilot_action("exit") == pilot_action::exit);
    CHECK_THROWS_AS(parse_pilot_action("abandon"), invalid_argument);
}

}  // namespace model_engagement_plan_test
