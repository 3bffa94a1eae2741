#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "offroi/analysis/scenario_run.hpp"
#include "offroi/decision/scenario_voi.hpp"
#include "offroi/model.hpp"

#include "decision/error_message.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace decision_scenario_voi_test {

using offroi_test::message_of;

// Tolerances: known answers within 3 reported SEs (see value_of_information_test); identities
// to rounding.

namespace {

offroi::scenario_run recorded(const offroi::scenario& s, std::uint64_t trials, std::vector<offroi::input_scaling> scaling = {}) {
    offroi::run_request q;
    q.trials = trials;
    q.driver_trials = trials;
    q.samples = offroi::sample_policy::never;
    q.scaling = std::move(scaling);
    return offroi::run_scenario(s, q);
}

}  // namespace

TEST_CASE("scenario_voi on the default scenario: options, summary, every input, the automatic groups") {
    const auto s = offroi::default_scenario();
    offroi::scenario_voi_options o;
    o.trials = 20000;
    o.threads = 1;
    o.groups = {{"rates", {"local_hiring.hourly_rate_usd", "offshore_team.hourly_rate_usd"}},
                {"offshore by pattern", {"offshore_team.*"}}};
    const auto r = offroi::scenario_voi(s, o);
    CHECK(r.trials == 20000);
    CHECK(r.seed == s.simulation.seed);
    REQUIRE(r.options == std::vector<std::string>{"local_hiring", "offshore_team"});
    // The summary is decision_summary of [0, offshore_team.net_benefit] of the same run.
    const auto run = recorded(s, 20000);
    const auto nb = offroi::scenario_net_benefits(run);
    const auto d = offroi::decision_summary(nb);
    CHECK(r.decision.evpi.value == d.evpi.value);
    CHECK(r.decision.p_best[1].value == d.p_best[1].value);
    CHECK(r.decision.expected_nb[1].value ==
          doctest::Approx(run.result.arrangement("offshore_team").output("net_benefit").mean).epsilon(1e-12));
    // Every sampled input once, sorted by decreasing EVPPI, each in [0, EVPI + 3 SE].
    REQUIRE(r.inputs.size() == run.input_names.size());
    for (std::size_t k = 0; k < r.inputs.size(); ++k) {
        if (k) CHECK(r.inputs[k].evppi.value <= r.inputs[k - 1].evppi.value);
        CHECK(r.inputs[k].evppi.value >= 0.0);
        CHECK(r.inputs[k].evppi.value <= r.decision.evpi.value + 3.0 * r.decision.evpi.se);
    }
    // Groups: the user's first, then the shared inputs and one per arrangement.
    REQUIRE(r.groups.size() == 5);
    CHECK(r.groups[0].name == "rates");
    CHECK(r.groups[0].evppi.method_name == "tensor P-spline (GCV)");
    CHECK(r.groups[2].name == "shared (scenario-level) inputs");
    CHECK(r.groups[2].inputs.size() == 7);
    CHECK(r.groups[3].name == "local_hiring.*");
    CHECK(r.groups[3].inputs.size() == 19);
    CHECK(r.groups[4].name == "offshore_team.*");
    CHECK(r.groups[4].inputs.size() == 26);
    CHECK(r.groups[4].evppi.method == offroi::regression_method::boosted_trees);
    // A pattern expands to the same inputs in the same order: the same bits.
    CHECK(r.groups[1].inputs == r.groups[4].inputs);
    CHECK(r.groups[1].evppi.value == r.groups[4].evppi.value);
    // The same bits on two threads.
    o.threads = 2;
    const auto r2 = offroi::scenario_voi(s, o);
    for (std::size_t k = 0; k < r.inputs.size(); ++k) {
        CHECK(r2.inputs[k].name == r.inputs[k].name);
        CHECK(r2.inputs[k].evppi.value == r.inputs[k].evppi.value);
    }
    for (std::size_t k = 0; k < r.groups.size(); ++k) CHECK(r2.groups[k].evppi.value == r.groups[k].evppi.value);
}

TEST_CASE("the net benefit is linear in the cost of delay: a rerun at twice the cost of delay gives a + 2 c b") {
    // docs/model.md 4.4-4.5: c_D multiplies every delay term and changes nothing else. A rerun
    // with every drawn cost of delay doubled (same uniforms) must give NB = a + 2 c_i b_i to
    // rounding (relative 1e-9 of the NB's scale).
    const auto s = offroi::default_scenario();
    const auto r1 = recorded(s, 5000);
    const auto r2 = recorded(s, 5000, {{"cost_of_delay_per_month_usd", 2.0}});
    const auto [a, b] = offroi::scenario_threshold_coefficients(s, r1, offroi::voi_threshold::cost_of_delay);
    const auto nb2 = offroi::scenario_net_benefits(r2);
    std::size_t j = 0;
    while (r1.input_names[j] != "cost_of_delay_per_month_usd") ++j;
    double worst = 0.0;
    for (std::size_t i = 0; i < 5000; ++i) {
        const double c = r1.input_samples[j][i];
        const double pred = a[1][i] + 2.0 * c * b[1][i];
        worst = std::max(worst, std::fabs(pred - nb2[1][i]) / (1.0 + std::fabs(nb2[1][i])));
        CHECK(b[0][i] == 0.0);
    }
    MESSAGE("largest relative deviation " << worst);
    CHECK(worst < 1e-9);
    // The months saved are not all zero: the curve has something to show.
    double mb = 0.0;
    for (double v : b[1]) mb += v / 5000.0;
    CHECK(std::fabs(mb) > 0.01);
}

TEST_CASE("scenario curves: at the scenario's own cost of delay and at a zero required saving they reproduce the run") {
    auto s = offroi::default_scenario();
    s.set("cost_of_delay_per_month_usd", offroi::constant_distribution(150000));
    const auto run = recorded(s, 10000);
    const auto d = offroi::decision_summary(offroi::scenario_net_benefits(run));
    const std::vector<double> at{0.0, 150000.0, 400000.0};
    const auto c = offroi::scenario_decision_curve(s, run, offroi::voi_threshold::cost_of_delay, at);
    // a + 150000 b = NB - DV + DV: equal to rounding.
    CHECK(c.points[1].evpi.value == doctest::Approx(d.evpi.value).epsilon(1e-9));
    CHECK(c.points[1].p_best[1].value == d.p_best[1].value);
    CHECK(c.points[1].expected_nb[1].value == doctest::Approx(d.expected_nb[1].value).epsilon(1e-9));
    const auto rs = offroi::scenario_decision_curve(s, run, offroi::voi_threshold::required_saving,
                                                    offroi::threshold_grid(0.0, 2e6, 5));
    CHECK(rs.points[0].evpi.value == d.evpi.value);
    const auto p = rs.p_best(1);
    for (std::size_t k = 1; k < p.size(); ++k) CHECK(p[k] <= p[k - 1]);
    // Requiring more than the alternative's expected NB makes the baseline the choice.
    CHECK(rs.optimal().back() == 0);
    // The run-owning overload gives the same curve.
    offroi::scenario_voi_options o;
    o.trials = 10000;
    const auto c2 = offroi::scenario_decision_curve(s, offroi::voi_threshold::cost_of_delay, at, o);
    CHECK(c2.points[2].evpi.value == c.points[2].evpi.value);
}

TEST_CASE("EVPPI of the cost of delay on a close call agrees with the linear known answer") {
    // With a required saving l set to the alternative's mean NB the decision is close. The
    // cost of delay is independent of every other input in the default scenario and the NB
    // is a + c b, so E[NB - l | c] = E[a] - l + c E[b] exactly: EVPPI(c) =
    // mean_i max(0, E[a] - l + c_i E[b]) - max(0, mean_i (...)), with E[a], E[b] the sample
    // means (their MC error is common to both estimates to first order). The rank-spline
    // regression must agree within 3 SE -- a check on a heavy-tailed (lognormal) input of
    // the real model.
    const auto s = offroi::default_scenario();
    const auto run = recorded(s, 50000);
    const auto [a, b] = offroi::scenario_threshold_coefficients(s, run, offroi::voi_threshold::cost_of_delay);
    const std::size_t n = a[0].size();
    std::size_t j = 0;
    while (run.input_names[j] != "cost_of_delay_per_month_usd") ++j;
    const auto& c = run.input_samples[j];
    double ea = 0.0, eb = 0.0, enb = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        ea += a[1][i] / double(n);
        eb += b[1][i] / double(n);
        enb += (a[1][i] + c[i] * b[1][i]) / double(n);
    }
    const double l = enb;
    std::vector<std::vector<double>> nb{std::vector<double>(n, 0.0), std::vector<double>(n)};
    double known = 0.0, mean_cond = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        nb[1][i] = a[1][i] + c[i] * b[1][i] - l;
        const double cond = ea - l + c[i] * eb;
        known += std::max(0.0, cond) / double(n);
        mean_cond += cond / double(n);
    }
    known -= std::max(0.0, mean_cond);
    const auto e = offroi::evppi(nb, std::span<const double>(c));
    MESSAGE("EVPPI(cost of delay) at a close call: regression " << e.value << " +- " << e.se << ", linear known answer " << known
                                                               << " (E[b] = " << eb << " months)");
    CHECK(known > 5.0 * e.se);  // a non-trivial value (measured: 9 SE)
    CHECK(std::fabs(e.value - known) <= 3.0 * e.se);
}

TEST_CASE("scenario_voi with a required saving: the alternatives' NB minus it, and single inputs start to matter") {
    // required_saving = s gives exactly the summary of [0, NB - s]; at s near the expected NB
    // the choice is close and the EVPI rises (from ~$92k to ~$480k at 10^5 trials).
    const auto s = offroi::default_scenario();
    offroi::scenario_voi_options o;
    o.trials = 10000;
    o.arrangement_groups = false;
    const auto plain = offroi::scenario_voi(s, o);
    o.required_saving = plain.decision.expected_nb[1].value;
    const auto close = offroi::scenario_voi(s, o);
    CHECK(close.required_saving == o.required_saving);
    auto nb = offroi::scenario_net_benefits(recorded(s, 10000));
    for (double& v : nb[1]) v -= o.required_saving;
    const auto d = offroi::decision_summary(nb);
    CHECK(close.decision.evpi.value == d.evpi.value);
    CHECK(close.decision.evpi.value > 3.0 * plain.decision.evpi.value);
    // The offshore rate is the top driver of the close call, with an EVPPI many SEs above 0.
    CHECK(close.inputs[0].name == "offshore_team.hourly_rate_usd");
    CHECK(close.inputs[0].evppi.value > 10.0 * close.inputs[0].evppi.se);
    o.required_saving = std::nan("");
    CHECK(message_of([&] { offroi::scenario_voi(s, o); }) ==
          "offroi::scenario_voi: required_saving = nan is invalid; must be finite");
}

TEST_CASE("scenario VOI: bad input") {
    auto s = offroi::default_scenario();
    offroi::scenario_voi_options o;
    o.trials = 1000;
    o.each_input = false;
    o.arrangement_groups = false;
    o.groups = {{"g", {"offshore_team.hourly_rate_usd", "no_such_input"}}};
    const std::string m = message_of([&] { offroi::scenario_voi(s, o); });
    CHECK(m.rfind("offroi::scenario_voi: groups[0].inputs[1] = \"no_such_input\" is invalid; must be a sampled input "
                  "(backlog_engineer_months, cost_of_delay_per_month_usd,",
                  0) == 0);
    CHECK(m.find("); a constant input has no uncertainty to resolve") != std::string::npos);
    o.groups = {{"g", {"vendor.*"}}};
    CHECK(message_of([&] { offroi::scenario_voi(s, o); }) ==
          "offroi::scenario_voi: groups[0].inputs[0] = \"vendor.*\" is invalid; it matches no sampled input");
    o.groups = {{"empty", {}}};
    CHECK(message_of([&] { offroi::scenario_voi(s, o); }) ==
          "offroi::scenario_voi: groups[0] (\"empty\") has no inputs; list at least one");
    o.groups = {};
    o.trials = 5;
    CHECK(message_of([&] { offroi::scenario_voi(s, o); }) ==
          "offroi::scenario_voi: trials = 5 is invalid; must be >= 10 (every trial is recorded for the regression)");
    s.frame = offroi::framing::capacity;
    o.trials = 1000;
    const std::vector<double> g{1e5};
    CHECK(message_of([&] { offroi::scenario_decision_curve(s, offroi::voi_threshold::cost_of_delay, g, o); }) ==
          "offroi::scenario_decision_curve: a cost-of-delay curve needs the project framing; this scenario uses the "
          "capacity framing, which has no backlog and no cost of delay (use the required-saving curve)");
    CHECK(message_of([&] { offroi::scenario_decision_curve(s, offroi::voi_threshold::required_saving, g, o); }) == "no exception");
    offroi::run_request q;
    q.trials = 100;  // driver_trials = 0: nothing recorded
    const auto empty = offroi::run_scenario(offroi::default_scenario(), q);
    CHECK(message_of([&] { offroi::scenario_voi(empty); }) ==
          "offroi::scenario_net_benefits: the run recorded no trials; run it with run_request::driver_trials = trials");
}

}  // namespace decision_scenario_voi_test
