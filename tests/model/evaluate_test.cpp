// Tests of the per-trial evaluation (docs/model.md): a hand calculation of every component
// with constant inputs, the run-on beyond the horizon and horizon invariance, the framings,
// the waterfall's additivity, limits and monotone levers, review and vetting, fallback on
// failure, fixed price, follow-the-sun, escalation, and the risk-event month law.
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "offroi/model/evaluate.hpp"
#include "offroi/model/parameter_values.hpp"
#include "offroi/model/risk_events.hpp"
#include "offroi/random/philox.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace model_evaluate_test {

using namespace offroi;
namespace elementary = offroi::detail::elementary;

namespace {

// One engineer of a nominal tier (the rate sits in the geometric middle of its band, so
// PCAP = ACAP = 1), already staffed and productive, no distance, no leadership cost (the
// leaders' hourly cost is 0), no events: useful capacity 1 - w = 0.8 a month.
arrangement_values plain(double rate) {
    arrangement_values a;
    a.headcount = 1;
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
    return a;
}

scenario_values plain_scenario() {
    scenario_values s;
    s.backlog_engineer_months = 2;  // 2 / 0.8 = 2.5 months of work
    s.cost_of_delay_per_month_usd = 1000;
    s.niche_role_share = 0;
    s.sync_work_share = 0.3;
    s.base_rework_share = 0.2;  // w = 0.2 at the nominal tier, no vetting, no deficit
    s.leader_hourly_cost_usd = 0;
    s.escaped_defect_cost_usd_per_engineer_month = 1000;  // 1000 w (1 - 0) = 200 per head-month
    return s;
}

std::vector<arrangement_outcome> run(const scenario_values& s, std::vector<arrangement_values> arr,
                                     evaluation_settings set, std::vector<event_uniforms> ev = {}) {
    ev.resize(arr.size(), event_uniforms{});
    std::vector<arrangement_outcome> out(arr.size());
    evaluate_trial(s, arr, ev, set, set.monthly_discount(), out);
    return out;
}

double bars(const arrangement_outcome& o) {
    return o.nb_rate_gap + o.nb_volume + o.nb_transition + o.nb_quality + o.nb_management + o.nb_talent +
           o.nb_delivery + o.nb_risk;
}

// Labour billed for all hours (useful + rework + review), without the escaped defects.
double labour_all(const arrangement_outcome& o) { return o.labour_total_pv; }

}  // namespace

TEST_CASE("constant inputs: every component matches a hand calculation") {
    // Baseline $100/h, alternative $50/h, identical otherwise; no discounting. Each delivers
    // at month 2.5: two full months and half of the third.
    const auto out = run(plain_scenario(), {plain(100), plain(50)}, {6, 0.0, framing::project});
    const auto& b = out[0];
    const auto& a = out[1];
    CHECK(b.delivery_month == doctest::Approx(2.5));
    CHECK(b.delivered == 1.0);
    CHECK(b.labour_cost == doctest::Approx(100 * 100 * 0.8 * 2.5));              // 20 000
    CHECK(b.quality_cost == doctest::Approx(100 * 100 * 0.2 * 2.5 + 200 * 2.5));  // 5 500
    CHECK(b.delivery_cost == doctest::Approx(1000 * 2.5));
    CHECK(b.talent_cost == doctest::Approx(0));
    CHECK(b.transition_cost == doctest::Approx(0));
    CHECK(b.management_cost == doctest::Approx(0));
    CHECK(b.total_cost == doctest::Approx(28000));
    CHECK(b.spend == doctest::Approx(25500));
    CHECK(b.useful_engineer_months == doctest::Approx(2.0));
    CHECK(a.total_cost == doctest::Approx(5000 * 2.5 + 200 * 2.5 + 2500));  // 15 500
    CHECK(a.net_benefit == doctest::Approx(12500));
    CHECK(a.nb_rate_gap == doctest::Approx((100 - 50) * 250.0));  // 250 billed hours
    CHECK(a.nb_volume == doctest::Approx(0).epsilon(1e-12));
    CHECK(a.nb_quality == doctest::Approx(0).epsilon(1e-12));
    CHECK(bars(a) == doctest::Approx(a.net_benefit));
    CHECK(a.net_saving == doctest::Approx((25500.0 - 13000.0) / 25500.0));
    CHECK(a.delivery_value == doctest::Approx(0).epsilon(1e-12));
    CHECK(a.gross_rate_saving == doctest::Approx(0.5));
    CHECK(a.breakeven_month == 1.0);
    CHECK(a.parity_month == 1.0);
    CHECK(a.capability_tier == doctest::Approx(0.5));
    CHECK(a.rework_share == doctest::Approx(0.2));
}

TEST_CASE("project framing: the run-on beyond the horizon equals running the months") {
    // A 2-month horizon leaves 0.4 engineer-months undelivered; at 0.8 a month the run-on is
    // 0.5 months: without discounting the totals equal those of a 6-month horizon exactly.
    const auto full = run(plain_scenario(), {plain(100), plain(50)}, {6, 0.0, framing::project});
    const auto cut = run(plain_scenario(), {plain(100), plain(50)}, {2, 0.0, framing::project});
    CHECK(cut[0].delivered == 0.0);
    CHECK(cut[0].delivery_month == doctest::Approx(2.5));
    for (int i = 0; i < 2; ++i) {
        CHECK(cut[i].total_cost == doctest::Approx(full[i].total_cost));
        CHECK(cut[i].labour_cost == doctest::Approx(full[i].labour_cost));
        CHECK(cut[i].quality_cost == doctest::Approx(full[i].quality_cost));
        CHECK(cut[i].delay_cost == doctest::Approx(full[i].delay_cost));
    }
    CHECK(cut[1].net_benefit == doctest::Approx(full[1].net_benefit));
    // Once delivered, lengthening the horizon changes nothing, with discounting too.
    const auto h12 = run(plain_scenario(), {plain(100), plain(50)}, {12, 0.1, framing::project});
    const auto h48 = run(plain_scenario(), {plain(100), plain(50)}, {48, 0.1, framing::project});
    CHECK(h12[1].net_benefit == h48[1].net_benefit);
    CHECK(h12[0].total_cost == h48[0].total_cost);
}

TEST_CASE("project framing: spend stops at delivery, slower delivery is charged its delay") {
    // The alternative works at half its productivity (a transition lasting the whole
    // horizon at 0.5): it needs 5 months, paying 5 months of spend and of delay.
    auto slow = plain(50);
    slow.transition_months = 100;
    slow.transition_productivity = 0.5;
    const auto out = run(plain_scenario(), {plain(100), slow}, {12, 0.0, framing::project});
    CHECK(out[1].delivery_month == doctest::Approx(5.0));
    CHECK(out[1].delay_cost == doctest::Approx(5000));
    CHECK(out[1].delivery_value == doctest::Approx(2500 - 5000));
    CHECK(out[1].spend == doctest::Approx(5200 * 5.0));
    CHECK(bars(out[1]) == doctest::Approx(out[1].net_benefit));
}

TEST_CASE("capacity framing: compared at the baseline's useful output") {
    // Half the rate, 60% of the useful output (a transition that never ends, at 0.6).
    auto alt = plain(50);
    alt.transition_months = 1000;
    alt.transition_productivity = 0.6;
    const auto out = run(plain_scenario(), {plain(100), alt}, {12, 0.0, framing::capacity});
    const double spend_b = 12 * 10200.0, spend_a = 12 * 5200.0;
    const double out_b = 12 * 0.8, out_a = 12 * 0.48;
    CHECK(out[0].spend == doctest::Approx(spend_b));
    CHECK(out[1].spend == doctest::Approx(spend_a));
    CHECK(out[1].delay_cost == 0.0);
    CHECK(out[1].delivery_value == doctest::Approx((out_a - out_b) * spend_b / out_b));
    CHECK(out[1].net_benefit == doctest::Approx(spend_b - spend_a + (out_a - out_b) * spend_b / out_b));
    CHECK(bars(out[1]) == doctest::Approx(out[1].net_benefit));
    // Unit costs 5 200 / 0.48 = 10 833 against 10 200 / 0.8 = 12 750: at parity from month 1.
    CHECK(out[1].parity_month == 1.0);
    CHECK(out[1].net_benefit > 0);
    // A dearer unit cost never reaches parity and never breaks even.
    alt.transition_productivity = 0.3;  // 5 200 / 0.24 = 21 667 per useful engineer-month
    const auto worse = run(plain_scenario(), {plain(100), alt}, {12, 0.0, framing::capacity});
    CHECK(worse[1].parity_month == never_month);
    CHECK(worse[1].breakeven_month == never_month);
    CHECK(worse[1].parity_in_horizon == 0.0);
}

TEST_CASE("waterfall bars and cost components add up for realistic inputs") {
    arrangement_values b = plain(69), a = plain(35);
    b.overhead_loading = 1.65;
    b.market_rate_low_usd = 75;
    b.market_rate_high_usd = 165;
    b.initial_staffed_share = 0;
    b.time_to_fill_months = 2;
    b.niche_time_to_fill_months = 6;
    b.ramp_up_months = 4;
    b.annual_attrition = 0.13;
    b.cost_per_hire_usd = 15000;
    b.vetting_rigor = 0.7;
    b.review_strength = 0.7;
    b.knowledge_transfer_share = 0.1;
    a.market_rate_low_usd = 18;
    a.market_rate_high_usd = 50;
    a.initial_staffed_share = 0;
    a.time_to_fill_months = 1;
    a.ramp_up_months = 4;
    a.annual_attrition = 0.19;
    a.overlap_hours = 2;
    a.leadership_hours_per_engineer_week = 2;  // a deficit
    a.governance_share = 0.06;
    a.transition_months = 2;
    a.transition_productivity = 0.8;
    a.vendor_search_share = 0.01;
    a.setup_cost_usd = 50000;
    a.exit_cost_usd = 40000;
    a.knowledge_transfer_share = 0.2;
    a.travel_usd_per_engineer_month = 250;
    a.annual_rate_escalation = 0.05;
    a.failure_annual_probability = 0.5;
    a.reversal_cost_usd = 300000;
    a.security_incident_annual_probability = 0.5;
    a.security_incident_cost_usd = 100000;
    a.vendor_switch_annual_probability = 0.3;
    scenario_values s = plain_scenario();
    s.backlog_engineer_months = 30;
    s.niche_role_share = 0.2;
    s.leader_hourly_cost_usd = 140;
    for (auto frame : {framing::project, framing::capacity})
        for (double u : {0.01, 0.2, 0.5, 0.9})
            for (int h : {6, 36}) {
                const auto out = run(s, {b, a}, {h, 0.1, frame}, {event_uniforms{}, {u, u, u, u}});
                for (const auto& o : out) {
                    const double costs = o.labour_cost + o.quality_cost + o.transition_cost + o.management_cost +
                                         o.talent_cost + o.delivery_cost + o.risk_cost;
                    CHECK(costs == doctest::Approx(o.total_cost).epsilon(1e-12));
                    CHECK(o.spend == doctest::Approx(o.total_cost - o.delay_cost).epsilon(1e-12));
                }
                CHECK(bars(out[1]) == doctest::Approx(out[1].net_benefit).epsilon(1e-12));
                CHECK(std::isfinite(out[1].breakeven_month));
                CHECK(std::isfinite(out[1].parity_month));
                CHECK(out[1].breakeven_month >= 1.0);
            }
}

TEST_CASE("limits") {
    const scenario_values s = plain_scenario();
    SUBCASE("identical arrangements: net benefit zero, every bar zero") {
        const auto out = run(s, {plain(100), plain(100)}, {12, 0.1, framing::project});
        CHECK(out[1].net_benefit == doctest::Approx(0).epsilon(1e-12));
        CHECK(out[1].nb_rate_gap == doctest::Approx(0).epsilon(1e-12));
    }
    SUBCASE("zero attrition: no re-ramp") {
        auto a = plain(100);
        a.initial_staffed_share = 0;
        a.ramp_up_months = 3;
        CHECK(run(s, {a, a}, {12, 0.1, framing::project})[0].reramp_engineer_months == 0.0);
        a.annual_attrition = 0.2;
        CHECK(run(s, {a, a}, {12, 0.1, framing::project})[0].reramp_engineer_months > 0.0);
    }
    SUBCASE("infinite time to fill: nothing is delivered, the delay runs for the capped run-on") {
        auto a = plain(100);
        a.initial_staffed_share = 0;
        a.time_to_fill_months = std::numeric_limits<double>::infinity();
        const auto out = run(s, {a, plain(100)}, {12, 0.0, framing::project});
        CHECK(out[0].delivered == 0.0);
        CHECK(out[0].delivery_month == doctest::Approx(12 + model_constants::max_tail_months));
        CHECK(out[0].delay_cost == doctest::Approx(1000 * (12 + model_constants::max_tail_months)));
        CHECK(out[0].spend == doctest::Approx(0));
        CHECK(out[1].net_benefit > 0);
    }
}

TEST_CASE("monotone levers") {
    const scenario_values s = plain_scenario();
    SUBCASE("a higher rate at a fixed capability never raises net benefit") {
        double last = HUGE_VAL;
        for (double rate : {20.0, 40.0, 60.0, 80.0}) {
            auto a = plain(rate);
            a.market_rate_low_usd = 1;  // the tier stays 1 over the whole sweep
            a.market_rate_high_usd = 2;
            const double nb = run(s, {plain(100), a}, {12, 0.1, framing::project})[1].net_benefit;
            CHECK(nb <= last);
            last = nb;
        }
    }
    SUBCASE("within its market a higher rate buys capability: less rework, more productivity") {
        auto a = plain(20);
        a.market_rate_low_usd = 18;
        a.market_rate_high_usd = 50;
        const double q20 = capability_tier(a), w20 = rework_share(a, s);
        a.hourly_rate_usd = 45;
        CHECK(capability_tier(a) > q20);
        CHECK(rework_share(a, s) < w20);
    }
    SUBCASE("more leadership never raises rework, coordination or failure risk") {
        auto a = plain(50);
        a.overlap_hours = 2;
        a.failure_annual_probability = 0.05;
        double w = HUGE_VAL, c = HUGE_VAL, f = HUGE_VAL;
        for (double l : {0.0, 1.0, 2.0, 3.0, 6.0}) {
            a.leadership_hours_per_engineer_week = l;
            CHECK(rework_share(a, s) <= w);
            CHECK(coordination_penalty(a, s) <= c);
            CHECK(effective_failure_probability(a, s) <= f);
            w = rework_share(a, s);
            c = coordination_penalty(a, s);
            f = effective_failure_probability(a, s);
        }
        // The sourced sizes at no leadership (docs/model.md §2).
        a.leadership_hours_per_engineer_week = 0;
        const double w0 = rework_share(a, s), c0 = coordination_penalty(a, s),
                     f0 = effective_failure_probability(a, s);
        a.leadership_hours_per_engineer_week = 3;
        CHECK(w0 / rework_share(a, s) == doctest::Approx(1.42));
        CHECK(c0 / coordination_penalty(a, s) == doctest::Approx(2.5));
        CHECK(f0 / effective_failure_probability(a, s) == doctest::Approx(2.2));
        // A leadership supply below the plan acts as a cut.
        scenario_values scarce = s;
        scarce.leadership_supply_hours_per_week = 1.5;  // 1.5 h for one engineer
        CHECK(leadership_deficit(a, scarce) == doctest::Approx(0.5));
    }
    SUBCASE("more overlap never raises the coordination penalty") {
        auto a = plain(50);
        double last = HUGE_VAL;
        for (double o = 0; o <= 8; o += 1) {
            a.overlap_hours = o;
            CHECK(coordination_penalty(a, s) <= last);
            last = coordination_penalty(a, s);
        }
        CHECK(last == 0.0);
    }
}

TEST_CASE("review and vetting are counted once, with their cost") {
    scenario_values s = plain_scenario();
    s.leader_hourly_cost_usd = 100;
    auto a = plain(50);
    const double w = rework_share(a, s);
    a.review_strength = 1;
    CHECK(rework_share(a, s) == w);  // review changes which defects escape, not the rework
    const auto reviewed = run(s, {plain(100), a}, {12, 0.0, framing::project});
    a.review_strength = 0;
    const auto unreviewed = run(s, {plain(100), a}, {12, 0.0, framing::project});
    // Review takes 10% of the hours (slower delivery) and cuts escaped defects by 60%.
    CHECK(reviewed[1].delivery_month == doctest::Approx(2.0 / (1 - 0.2 - 0.1)));
    CHECK(unreviewed[1].delivery_month == doctest::Approx(2.5));
    const double escaped_reviewed = 1000 * 0.2 * 0.4 * reviewed[1].delivery_month;
    CHECK(reviewed[1].quality_cost ==
          doctest::Approx(5000 * 0.3 * reviewed[1].delivery_month + escaped_reviewed));
    // Vetting costs leader hours per hire: 16 h at full rigor.
    auto hire = plain(50);
    hire.initial_staffed_share = 0;
    hire.vetting_rigor = 1;
    const auto vetted = run(s, {plain(100), hire}, {12, 0.0, framing::project});
    hire.vetting_rigor = 0;
    const auto unvetted = run(s, {plain(100), hire}, {12, 0.0, framing::project});
    CHECK(vetted[1].rework_share == doctest::Approx(0.1));  // vetting prevents half the defects
    CHECK(vetted[1].quality_cost - 1000 * 0.1 * vetted[1].delivery_month -
              5000 * 0.1 * vetted[1].delivery_month ==
          doctest::Approx(16 * 100));  // one hire
    CHECK(unvetted[1].rework_share == doctest::Approx(0.2));
}

TEST_CASE("failure moves the work to the fallback; a switch pays set-up again") {
    // An alternative identical to the baseline but certain to fail in month 0: from then on
    // it is the baseline, so the net benefit is minus the reversal cost (r = 0).
    auto base = plain(100);
    base.initial_staffed_share = 0;  // the fallback starts from empty seats, like the baseline
    auto alt = base;
    alt.failure_annual_probability = 1;
    alt.reversal_cost_usd = 1000;
    const auto out = run(plain_scenario(), {base, alt}, {12, 0.0, framing::project});
    CHECK(out[1].risk_cost == doctest::Approx(1000));
    CHECK(out[1].net_benefit == doctest::Approx(-1000));
    // A cheaper alternative that fails at once costs the baseline's spend plus the reversal.
    auto cheap = plain(50);
    cheap.initial_staffed_share = 0;
    cheap.failure_annual_probability = 1;
    cheap.reversal_cost_usd = 1000;
    CHECK(run(plain_scenario(), {base, cheap}, {12, 0.0, framing::project})[1].net_benefit ==
          doctest::Approx(-1000));
    // A vendor switch pays exit, search and set-up again.
    alt = base;
    alt.vendor_switch_annual_probability = 1;
    alt.setup_cost_usd = 300;
    alt.exit_cost_usd = 200;
    const auto sw = run(plain_scenario(), {base, alt}, {12, 0.0, framing::project});
    CHECK(sw[1].risk_cost == doctest::Approx(500));
    CHECK(sw[1].transition_cost == doctest::Approx(300 + 200));  // set-up at the start, exit at delivery
}

TEST_CASE("fixed price: the vendor bears overrun up to the cap, change requests at a premium") {
    scenario_values s = plain_scenario();
    auto fp = plain(50);
    fp.contract = contract_type::fixed_price;
    fp.transition_months = 100;  // the vendor works at 80% of the productivity it priced
    fp.transition_productivity = 0.8;
    // Price = 50 * 100 * 2 / 0.8 = 12 500 (no premium); T&M labour would be 12 500 / 0.8.
    fp.overrun_cap_share = 0.5;  // absorbs the whole 25% overrun
    auto out = run(s, {plain(100), fp}, {12, 0.0, framing::project});
    CHECK(labour_all(out[1]) == doctest::Approx(12500));
    fp.overrun_cap_share = 0.1;  // absorbs 10% of the price; the buyer pays the rest
    out = run(s, {plain(100), fp}, {12, 0.0, framing::project});
    CHECK(labour_all(out[1]) == doctest::Approx(15625 - 1250));
    CHECK(bars(out[1]) == doctest::Approx(out[1].net_benefit));
    // Scope growth: 25% more backlog than specified, paid as change requests at +20%.
    s.scope_growth = 0.25;
    fp.overrun_cap_share = 10;
    fp.change_request_premium = 0.2;
    fp.transition_productivity = 1;
    out = run(s, {plain(100), fp}, {12, 0.0, framing::project});
    // Spec 1.6 EM priced at 50 * 100 * 1.6 / 0.8 = 10 000; growth 0.4 EM = 2 500 * 1.2.
    CHECK(labour_all(out[1]) == doctest::Approx(10000 + 3000));
    CHECK(bars(out[1]) == doctest::Approx(out[1].net_benefit));
}

TEST_CASE("follow-the-sun compresses a binding critical path, with handoff effort") {
    scenario_values s = plain_scenario();
    s.critical_path_months = 6;  // binds: the effort alone needs about 3 months
    auto a = plain(50);
    a.overlap_hours = 2;
    a.follow_the_sun_share = 1;
    a.handoff_quality = 1;
    // Two sites chain 8 + (8 - 2) = 14 hours a day: the path runs 1.75x as fast.
    CHECK(compressed_critical_path(a, s) == doctest::Approx(6 / 1.75));
    const auto good = run(s, {plain(100), a}, {24, 0.0, framing::project});
    CHECK(good[1].delivery_month == doctest::Approx(6 / 1.75));
    a.handoff_quality = 0;  // no gain, and handoffs cost a quarter of the hours
    const auto poor = run(s, {plain(100), a}, {24, 0.0, framing::project});
    CHECK(poor[1].delivery_month == doctest::Approx(6.0));
    CHECK(good[1].net_benefit > poor[1].net_benefit);
    a.overlap_hours = 8;  // one site: nothing to chain
    a.handoff_quality = 1;
    CHECK(compressed_critical_path(a, s) == doctest::Approx(6.0));
    // Without a critical path follow-the-sun only adds handoff effort.
    s.critical_path_months = 0;
    a.overlap_hours = 2;
    a.handoff_quality = 0.5;
    const auto none = run(s, {plain(100), a}, {24, 0.0, framing::project});
    a.follow_the_sun_share = 0;
    const auto off = run(s, {plain(100), a}, {24, 0.0, framing::project});
    CHECK(none[1].net_benefit < off[1].net_benefit);
}

TEST_CASE("key-person loss: relearned out of the backlog (project) or of the output (capacity)") {
    auto a = plain(100);
    a.key_person_loss_annual_probability = 1;  // month 0
    a.key_person_loss_engineer_months = 0.4;
    const auto project = run(plain_scenario(), {a, plain(50)}, {12, 0.0, framing::project});
    CHECK(project[0].delivery_month == doctest::Approx(2.4 / 0.8));
    const auto capacity = run(plain_scenario(), {a, plain(50)}, {12, 0.0, framing::capacity});
    CHECK(capacity[0].useful_engineer_months == doctest::Approx(12 * 0.8 - 0.4));
}

TEST_CASE("exit terms at completion: vendors pay them, staff augmentation does not") {
    auto a = plain(50);
    a.exit_cost_usd = 700;
    CHECK(run(plain_scenario(), {plain(100), a}, {12, 0.0, framing::project})[1].transition_cost ==
          doctest::Approx(700));
    a.contract = contract_type::staff_augmentation;
    CHECK(run(plain_scenario(), {plain(100), a}, {12, 0.0, framing::project})[1].transition_cost ==
          doctest::Approx(0));
}

TEST_CASE("parity and break-even do not depend on the horizon once both have delivered") {
    auto b = plain(100), a = plain(60);
    b.initial_staffed_share = 0;
    b.time_to_fill_months = 2;
    b.ramp_up_months = 2;
    a.initial_staffed_share = 0;
    a.transition_months = 3;
    a.transition_productivity = 0.5;
    a.setup_cost_usd = 3000;
    scenario_values s = plain_scenario();
    s.backlog_engineer_months = 8;
    const auto h24 = run(s, {b, a}, {24, 0.1, framing::project});
    REQUIRE(h24[0].delivered == 1.0);
    REQUIRE(h24[1].delivered == 1.0);
    for (int h : {30, 48, 120}) {
        const auto o = run(s, {b, a}, {h, 0.1, framing::project});
        CHECK(o[1].parity_month == h24[1].parity_month);
        CHECK(o[1].breakeven_month == h24[1].breakeven_month);
        CHECK(o[1].net_benefit == h24[1].net_benefit);
    }
}

TEST_CASE("rate escalation and currency drift compound monthly") {
    auto a = plain(100);
    a.annual_rate_escalation = 0.12;
    a.annual_fx_drift = -0.05;
    const auto out = run(plain_scenario(), {a, plain(50)}, {12, 0.0, framing::capacity});
    const double g = std::pow(1.12 * 0.95, 1.0 / 12.0);
    double sum = 0;
    for (int t = 0; t < 12; ++t) sum += std::pow(g, t);
    CHECK(out[0].labour_cost == doctest::Approx(10000 * 0.8 * sum));
}

TEST_CASE("risk events: first-occurrence month is geometric") {
    CHECK(event_month(0.3, 0.0, 36) == 36);
    CHECK(event_month(0.3, 1.0, 36) == 0);
    // P(T < H) = 1 - (1 - p)^(H/12); estimate it from 200000 counter-based uniforms.
    const double p = 0.1;
    const int horizon = 36, n = 200000;
    const philox_stream st(42, event_stream_id("offshore", risk_event::failure));
    int hits = 0, first_year = 0;
    for (int i = 0; i < n; ++i) {
        const int m = event_month(st.uniform(static_cast<std::uint64_t>(i), 0), p, horizon);
        hits += m < horizon;
        first_year += m < 12;
    }
    const double expect = 1 - std::pow(1 - p, 3.0);
    const double se = std::sqrt(expect * (1 - expect) / n);
    CHECK(std::abs(hits / double(n) - expect) < 5 * se);
    const double se1 = std::sqrt(p * (1 - p) / n);
    CHECK(std::abs(first_year / double(n) - p) < 5 * se1);
    // Streams differ by arrangement and by event.
    CHECK(event_stream_id("a", risk_event::failure) != event_stream_id("b", risk_event::failure));
    CHECK(event_stream_id("a", risk_event::failure) != event_stream_id("a", risk_event::vendor_switch));
}

TEST_CASE("value checks name the field, the value and what is allowed") {
    arrangement_values a;
    a.annual_attrition = 1.5;
    try {
        check(a, "offshore");
        FAIL("expected invalid_argument");
    } catch (const invalid_argument& e) {
        const std::string m = e.what();
        CHECK(m.find("offshore.annual_attrition") != std::string::npos);
        CHECK(m.find("1.5") != std::string::npos);
        CHECK(m.find("[0, 0.999]") != std::string::npos);
    }
    a = arrangement_values{};
    a.time_to_fill_months = std::numeric_limits<double>::infinity();
    CHECK_NOTHROW(check(a));
    a.ramp_up_months = std::nan("");
    CHECK_THROWS_AS(check(a), invalid_argument);
    scenario_values s;
    s.niche_role_share = -0.1;
    CHECK_THROWS_WITH_AS(check(s), doctest::Contains("scenario.niche_role_share"), invalid_argument);
    CHECK_THROWS_AS(check(evaluation_settings{0, 0.1}), invalid_argument);
    CHECK_THROWS_AS(check(evaluation_settings{36, -0.5}), invalid_argument);
}

TEST_CASE("rate band position: the remembered band widths give the logarithm's bits") {
    // Six bands, more than the per-thread memory of band widths holds (4), in an order that
    // evicts and asks again: every position must have the bits of the formula without memory.
    const double bands[6][2] = {{75, 165}, {18, 50}, {35, 70}, {30, 80}, {18, 50.000000000000007}, {75, 165}};
    for (int round = 0; round < 3; ++round) {
        for (int b = 0; b < 6; ++b) {
            const double low = bands[(b + round) % 6][0], high = bands[(b + round) % 6][1];
            for (double rate : {low * 1.01, std::sqrt(low * high), high * 0.99, low * 0.5, high * 2}) {
                const double expected =
                    std::clamp(elementary::log(rate / low) / elementary::log(high / low), 0.0, 1.0);
                const double got = rate_band_position(rate, low, high);
                CHECK(std::bit_cast<std::uint64_t>(got) == std::bit_cast<std::uint64_t>(expected));
            }
        }
    }
    // A band one ulp wider, asked right after the band, is another band (the memory is keyed by
    // the exact bits): its own logarithm's bits, a different position.
    const double wide = std::nextafter(50.0, 100.0);
    CHECK(rate_band_position(40, 18, 50) == elementary::log(40.0 / 18) / elementary::log(50.0 / 18));
    CHECK(rate_band_position(40, 18, wide) == elementary::log(40.0 / 18) / elementary::log(wide / 18));
    CHECK(rate_band_position(40, 18, 1e9) < rate_band_position(40, 18, 50));
}

TEST_CASE("no separation: the coordination penalty is exactly 0") {
    // Overlap all day: 0.89^0 = 1 exactly (taken without the call to exp), so nothing is lost.
    arrangement_values a;
    a.overlap_hours = model_constants::workday_hours;
    scenario_values s;
    s.sync_work_share = 0.4;
    CHECK(coordination_penalty(a, s) == 0.0);
    a.overlap_hours = model_constants::workday_hours - 1.0;  // one hour: 0.4 * 0.11 exactly as the formula
    CHECK(coordination_penalty(a, s) == std::min(0.95, 0.4 * (1.0 - a.scope_isolation) *
                                                             (1.0 - std::exp(1.0 * std::log1p(-0.11))) *
                                                             (1.0 + 1.5 * leadership_deficit(a, s))));
}

}  // namespace model_evaluate_test
