// Tests of the per-trial evaluation (docs/model.md §2-§5): a hand calculation of every
// component with constant inputs, the limits and monotone levers of VALIDATION.md, and the
// risk-event month law.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "offroi/model/evaluate.hpp"
#include "offroi/model/parameter_values.hpp"
#include "offroi/model/risk_events.hpp"
#include "offroi/random/philox.hpp"

using namespace offroi;

namespace {

// A small arrangement whose month-by-month dynamics are easy to follow by hand.
arrangement_values hand_baseline() {
    arrangement_values a;
    a.headcount = 2;
    a.hourly_rate_usd = 150;
    a.vendor_tier = 1;  // top of the tier band: (1.5 - q) = 0.5
    a.vendor_margin = 0;
    a.hours_per_month = 100;
    a.time_to_fill_months = 0;  // regular seat filled at once
    a.niche_time_to_fill_months = std::numeric_limits<double>::infinity();  // niche never
    a.ramp_up_months = 2;  // m = 2, g = 0.5, rho = 0.5
    a.annual_attrition = 0;
    a.overlap_hours = 8;  // no separation: c = 0
    a.leadership_hours_per_engineer_week = 3;  // d = 0.5: factor 0.75 + 0.25 = 1
    a.governance_share = 0.1;
    a.vetting_rigor = 0;
    a.review_strength = 0;
    a.transition_months = 1.5;
    a.transition_productivity = 0.5;
    a.vendor_search_share = 0.01;
    a.setup_cost_usd = 1000;
    a.cost_per_hire_usd = 50;
    a.security_incident_annual_probability = 1;  // occurs in month 0
    a.security_controls = 0;
    a.security_incident_cost_usd = 7000;
    return a;
}

scenario_values hand_scenario() {
    scenario_values s;
    s.backlog_engineer_months = 1;
    s.cost_of_delay_per_month_usd = 1000;
    s.niche_role_share = 0.5;
    s.sync_work_share = 0.3;
    s.base_rework_share = 0.4;  // w = 0.4 * 0.5 = 0.2
    s.leader_hourly_cost_usd = 100;
    s.escaped_defect_cost_usd_per_engineer_month = 500;
    return s;
}

// A plain in-house-like arrangement with no overheads and no risks.
arrangement_values plain(double rate) {
    arrangement_values a;
    a.headcount = 10;
    a.hourly_rate_usd = rate;
    a.time_to_fill_months = 1.5;
    a.niche_time_to_fill_months = 4;
    a.ramp_up_months = 4;
    a.annual_attrition = 0.15;
    a.overlap_hours = 8;
    a.leadership_hours_per_engineer_week = 2;
    a.vetting_rigor = 0.6;
    a.review_strength = 0.6;
    return a;
}

scenario_values plain_scenario() {
    scenario_values s;
    s.backlog_engineer_months = 200;
    s.cost_of_delay_per_month_usd = 100000;
    s.niche_role_share = 0.2;
    return s;
}

std::vector<arrangement_outcome> run(const scenario_values& s, std::vector<arrangement_values> arr,
                                     evaluation_settings set = {}) {
    std::vector<event_uniforms> ev(arr.size());
    std::vector<arrangement_outcome> out(arr.size());
    evaluate_trial(s, arr, ev, set, set.monthly_discount(), out);
    return out;
}

}  // namespace

TEST_CASE("constant inputs: every component matches a hand calculation") {
    const evaluation_settings set{3, 0.10};
    const double v = std::pow(1.10, -1.0 / 12.0);
    const double v1 = v, v2 = v * v, v3 = v * v * v;

    arrangement_values alt = hand_baseline();
    alt.hours_per_month = 50;  // half the labour per head; same rework share
    alt.failure_annual_probability = 1;  // fails in month 0 (reset of an empty team: no effect)
    alt.reversal_cost_usd = 20000;
    alt.exit_cost_usd = 5000;
    alt.knowledge_transfer_share = 0.1;      // 0.1 * 50 h * $100 = 500 per head-month in transition
    alt.travel_usd_per_engineer_month = 50;
    const auto out = run(hand_scenario(), {hand_baseline(), alt}, set);
    const arrangement_outcome& b = out[0];
    const arrangement_outcome& o = out[1];

    // Hand calculation (docs/model.md): w = 0.2, c = 0, rho = 0.5, g = 0.5; regular seat
    // hired in month 0, niche seat never. Useful multiplier (1-c)(1-w) = 0.8; transition
    // tau = 0.5, 0.75, 1. Productive equivalent 0.5, 0.75, 0.875 -> capacity 0.2, 0.45, 0.7
    // (cumulative 0.2, 0.65, 1.35: delivered in month 2 at 0.35/0.7 = 0.5 -> D = 2.5).
    // Seats-always-filled counterfactual: 1.0, 1.5 -> capacity 0.4, 0.9: u^f = 1, 2/3, 0.
    // Per head and month: labour 100 h * $150 = 15000; direct 0.8*15000 = 12000; quality
    // 0.2*15000 + 500*0.2*1 = 3100; management 3*52/12*100 + 0.1*15000 = 2800.
    CHECK(b.rework_share == doctest::Approx(0.2).epsilon(1e-15));
    CHECK(b.coordination_penalty == 0.0);
    CHECK(b.delivery_month == doctest::Approx(2.5).epsilon(1e-14));
    const double one_time = 0.01 * 12 * 2 * 15000 + 1000;  // 4600
    CHECK(b.direct_cost == doctest::Approx(one_time + 12000 * (v1 + v2 + v3)).epsilon(1e-14));
    CHECK(b.quality_cost == doctest::Approx(3100 * (v1 + v2 + v3)).epsilon(1e-14));
    CHECK(b.management_cost == doctest::Approx(2800 * (v1 + v2 + v3)).epsilon(1e-14));
    CHECK(b.delivery_cost == doctest::Approx(1000 * v1 + 1000 * (2.0 / 3.0) * v2).epsilon(1e-14));
    CHECK(b.talent_cost ==
          doctest::Approx(50 * v1 + 1000 * (1.0 / 3.0) * v2 + 1000 * 0.5 * v3).epsilon(1e-14));
    CHECK(b.risk_cost == doctest::Approx(7000 * v1).epsilon(1e-14));
    CHECK(b.delay_cost == doctest::Approx(1000 * v1 + 1000 * v2 + 500 * v3).epsilon(1e-14));
    CHECK(b.reramp_engineer_months == 0.0);
    CHECK(b.total_cost == doctest::Approx(b.direct_cost + b.delivery_cost + b.talent_cost +
                                          b.quality_cost + b.management_cost + b.risk_cost));
    CHECK(b.net_benefit == 0.0);
    CHECK(b.payback_month == 1.0);
    CHECK(b.parity_month == 1.0);
    CHECK(b.useful_engineer_months == doctest::Approx(1.35).epsilon(1e-14));

    // The alternative: labour per head 7500 -> direct 6000, quality 1500 + 100 = 1600,
    // management 1300 + 750 + travel 50 = 2100; one-time 0.01*180000 + 1000 = 2800; knowledge
    // transfer 0.1 * 50 * 100 = 500 per head while in transition (share 1, 0.5, 0 of months
    // 0, 1, 2); risk in month 0: incident 7000 + reversal 20000 + exit 5000. Same capacity ->
    // same delay.
    const double one_time_alt = 2800;
    CHECK(o.direct_cost ==
          doctest::Approx(one_time_alt + 6000 * (v1 + v2 + v3) + 500 * v1 + 250 * v2).epsilon(1e-14));
    CHECK(o.quality_cost == doctest::Approx(1600 * (v1 + v2 + v3)).epsilon(1e-14));
    CHECK(o.management_cost == doctest::Approx(2100 * (v1 + v2 + v3)).epsilon(1e-14));
    CHECK(o.risk_cost == doctest::Approx(32000 * v1).epsilon(1e-14));
    CHECK(o.delivery_month == doctest::Approx(2.5).epsilon(1e-14));
    CHECK(o.cost_of_delay == doctest::Approx(0.0));
    const double total_b = one_time + (12000 + 3100 + 2800) * (v1 + v2 + v3) + 1000 * v1 +
                           1000 * (2.0 / 3.0) * v2 + 50 * v1 + 1000 * (1.0 / 3.0) * v2 +
                           500 * v3 + 7000 * v1;
    const double total_o = one_time_alt + (6000 + 1600 + 2100) * (v1 + v2 + v3) + 500 * v1 + 250 * v2 + 1000 * v1 +
                           1000 * (2.0 / 3.0) * v2 + 50 * v1 + 1000 * (1.0 / 3.0) * v2 +
                           500 * v3 + 32000 * v1;
    CHECK(b.total_cost == doctest::Approx(total_b).epsilon(1e-14));
    CHECK(o.total_cost == doctest::Approx(total_o).epsilon(1e-14));
    CHECK(o.net_benefit == doctest::Approx(total_b - total_o).epsilon(1e-13));
    CHECK(o.net_saving == doctest::Approx((total_b - total_o) / total_b).epsilon(1e-13));
    CHECK(o.roi == doctest::Approx((total_b - total_o) / total_o).epsilon(1e-13));
    CHECK(o.gross_rate_saving == 0.0);
    // Cumulative net benefit: month 1: 1800 - 17300 v < 0; month 2: + 7950 v^2 (still < 0);
    // month 3: + 8200 v^3 > 0 -> payback in month 3.
    CHECK(1800 - 17300 * v1 + 7950 * v2 < 0);
    CHECK(1800 - 17300 * v1 + 7950 * v2 + 8200 * v3 > 0);
    CHECK(o.payback_month == 3.0);
    // Cost parity (undiscounted cumulative spend without cost of delay / cumulative useful
    // engineer-months 0.2, 0.65, 1.35). Baseline spend 4600 + 17900 + 50 + 7000 = 29550,
    // then +17900 a month: 147750, 73000, 48407.4. Alternative 2800 + 9700 + 500 + 50 +
    // 32000 = 45050, then +9950, +9700: 225250, 84615.4, 47925.9 -> at parity from month 3.
    CHECK(29550 / 0.2 < 45050 / 0.2);
    CHECK(47450 / 0.65 < 55000 / 0.65);
    CHECK(64700 / 1.35 < 65350 / 1.35);
    CHECK(o.parity_month == 3.0);
    CHECK(o.useful_engineer_months == doctest::Approx(1.35).epsilon(1e-14));
}

TEST_CASE("attrition: constant hazard, re-ramp only with attrition") {
    scenario_values s = plain_scenario();
    arrangement_values a = plain(100);
    a.annual_attrition = 0;
    const auto zero = run(s, {a})[0];
    CHECK(zero.reramp_engineer_months == 0.0);
    a.annual_attrition = 0.2;
    const auto some = run(s, {a})[0];
    CHECK(some.reramp_engineer_months > 0.0);
    CHECK(some.delivery_month > zero.delivery_month);
    // No cost per hire in plain(): attrition costs only delay, through the talent component.
    CHECK(some.talent_cost > zero.talent_cost);
    // Hand check of the first month's loss with all hires instant and no ramp: the loss in
    // month 1 is the vacancy left by month 0's leavers before refill = 0 (instant refill)
    // plus their re-ramp (1 - rho) * N a with a = 1 - (1 - A)^(1/12).
    a = plain(100);
    a.time_to_fill_months = 0;
    a.niche_time_to_fill_months = 0;
    a.ramp_up_months = 4;  // rho = 0.5, g = 0.25
    a.annual_attrition = 0.2;
    evaluation_settings two{2, 0.0};
    const auto o = run(s, {a}, two)[0];
    const double att = 1 - std::pow(0.8, 1.0 / 12.0);
    CHECK(o.reramp_engineer_months == doctest::Approx(0.5 * 10 * att).epsilon(1e-12));
}

TEST_CASE("limit: infinite time to fill makes local hiring deliver nothing") {
    scenario_values s = plain_scenario();
    arrangement_values local = plain(110);
    local.time_to_fill_months = std::numeric_limits<double>::infinity();
    local.niche_time_to_fill_months = std::numeric_limits<double>::infinity();
    local.cost_per_hire_usd = 10000;
    arrangement_values vendor = plain(40);
    evaluation_settings set{36, 0.10};
    const auto out = run(s, {local, vendor}, set);
    CHECK(out[0].delivery_month == 37.0);
    CHECK(out[0].direct_cost == 0.0);
    CHECK(out[0].quality_cost == 0.0);
    CHECK(out[0].management_cost == 0.0);
    // Every month is a month of delay: CoD * sum v^(t+1), all of it caused by vacancies.
    const double v = set.monthly_discount();
    double annuity = 0, d = 1;
    for (int t = 0; t < 36; ++t) annuity += (d *= v);
    CHECK(out[0].delay_cost == doctest::Approx(100000 * annuity).epsilon(1e-13));
    CHECK(out[0].talent_cost > 0.0);
    CHECK(out[0].talent_cost + out[0].delivery_cost == doctest::Approx(out[0].delay_cost));
    CHECK(out[1].delivery_month < 36.0);
    CHECK(out[1].cost_of_delay < 0.0);
    CHECK(out[1].cost_of_delay == doctest::Approx(out[1].delay_cost - out[0].delay_cost));
    CHECK(out[1].net_benefit == doctest::Approx(out[0].total_cost - out[1].total_cost));
}

TEST_CASE("limit: equal rates and no overheads give net benefit zero") {
    scenario_values s = plain_scenario();
    arrangement_values base = plain(100);
    arrangement_values same = plain(100);
    const auto out = run(s, {base, same});
    CHECK(out[1].net_benefit == 0.0);
    CHECK(out[1].cost_of_delay == 0.0);
    CHECK(out[1].gross_rate_saving == 0.0);
    CHECK(out[1].payback_month == 1.0);
    // Splitting the same billed rate differently between rate card and margin changes nothing.
    same.hourly_rate_usd = 80;
    same.vendor_margin = 0.25;
    const auto out2 = run(s, {base, same});
    CHECK(out2[1].net_benefit == doctest::Approx(0.0).epsilon(1e-9).scale(out2[0].total_cost));
}

TEST_CASE("monotone levers") {
    const scenario_values s = plain_scenario();
    arrangement_values base = plain(110);
    SUBCASE("a higher offshore rate never raises net benefit") {
        double previous = std::numeric_limits<double>::infinity();
        for (double rate = 15; rate <= 150; rate += 2.5) {
            arrangement_values off = plain(rate);
            off.overlap_hours = 2;
            off.governance_share = 0.06;
            const auto out = run(s, {base, off});
            CHECK(out[1].net_benefit <= previous);
            previous = out[1].net_benefit;
        }
    }
    SUBCASE("more leadership time never raises the rework share") {
        CHECK(rate_band_position(15) == 0.0);
        CHECK(rate_band_position(150) == doctest::Approx(1.0));
        CHECK(rate_band_position(47.434) == doctest::Approx(0.5).epsilon(1e-4));
        double previous = 1;
        for (double hours = 0; hours <= 20; hours += 0.25) {
            arrangement_values a = plain(35);
            a.leadership_hours_per_engineer_week = hours;
            const double w = rework_share(a, s);
            CHECK(w <= previous);
            previous = w;
        }
    }
    SUBCASE("more overlap hours never raise the coordination penalty") {
        double previous = 1;
        for (double overlap = 0; overlap <= 8; overlap += 0.125) {
            arrangement_values a = plain(35);
            a.overlap_hours = overlap;
            const double c = coordination_penalty(a, s);
            CHECK(c <= previous);
            CHECK(c >= 0.0);
            previous = c;
        }
        arrangement_values a = plain(35);
        a.overlap_hours = 8;
        CHECK(coordination_penalty(a, s) == 0.0);
        a.overlap_hours = 0;  // sigma (1 - 0.89^8) (0.4 + 1.2 d), d = 3/(3 + 2)
        CHECK(coordination_penalty(a, s) ==
              doctest::Approx(0.3 * (1 - std::pow(0.89, 8)) * (0.4 + 1.2 * 0.6)));
        previous = 1;
        for (double hours = 0; hours <= 20; hours += 0.25) {
            a.leadership_hours_per_engineer_week = hours;
            const double c = coordination_penalty(a, s);
            CHECK(c <= previous);
            previous = c;
        }
    }
    SUBCASE("cutting leadership lowers management cost, raises rework and failure risk") {
        arrangement_values full = plain(35);
        full.leadership_hours_per_engineer_week = 4;
        full.failure_annual_probability = 0.04;
        arrangement_values cut = full;
        cut.leadership_hours_per_engineer_week = 4 * 0.65;
        const auto o_full = run(s, {base, full})[1];
        const auto o_cut = run(s, {base, cut})[1];
        CHECK(o_cut.management_cost < o_full.management_cost);
        CHECK(o_cut.rework_share > o_full.rework_share);
        CHECK(effective_failure_probability(cut) > effective_failure_probability(full));
    }
    SUBCASE("follow-the-sun pays only with handoffs better than 0.5") {
        arrangement_values a = plain(35);
        a.follow_the_sun_share = 1;
        a.handoff_quality = 0.5;
        CHECK(follow_the_sun_multiplier(a) == doctest::Approx(1.0));
        a.handoff_quality = 0.9;
        CHECK(follow_the_sun_multiplier(a) > 1.0);
        a.handoff_quality = 0.2;
        CHECK(follow_the_sun_multiplier(a) < 1.0);
    }
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
    CHECK_THROWS_AS(check(evaluation_settings{36, -1.0}), invalid_argument);
}

TEST_CASE("knowledge transfer and travel: costs only while they apply, never raise net benefit") {
    scenario_values s = plain_scenario();
    arrangement_values base = plain(100);
    arrangement_values alt = plain(40);
    alt.transition_months = 6;
    alt.transition_productivity = 0.7;
    const auto ref = run(s, {base, alt})[1];
    // Knowledge transfer costs nothing without a transition.
    arrangement_values no_transition = alt;
    no_transition.transition_months = 0;
    no_transition.transition_productivity = 1;
    const auto nt0 = run(s, {base, no_transition})[1];
    no_transition.knowledge_transfer_share = 0.5;
    CHECK(run(s, {base, no_transition})[1].direct_cost == nt0.direct_cost);
    double prev = ref.net_benefit;
    for (double chi : {0.1, 0.25, 0.5, 1.0}) {
        arrangement_values a = alt;
        a.knowledge_transfer_share = chi;
        const auto o = run(s, {base, a})[1];
        CHECK(o.net_benefit < prev);
        CHECK(o.delivery_month == ref.delivery_month);  // a cost, not a capacity effect
        CHECK(o.parity_month >= ref.parity_month);
        prev = o.net_benefit;
    }
    arrangement_values t = alt;
    t.travel_usd_per_engineer_month = 300;
    const auto ot = run(s, {base, t})[1];
    CHECK(ot.net_benefit < ref.net_benefit);
    CHECK(ot.management_cost > ref.management_cost);
    CHECK(ot.parity_month >= ref.parity_month);
}
