#include <doctest/doctest.h>

#include "offroi/analysis/sweep.hpp"

using namespace offroi;

TEST_CASE("sweep: the net benefit P50 never rises as the offshore rate rises (CRN)") {
    sweep_options o;
    o.input = "offshore_team.hourly_rate_usd";
    o.values = linear_range(15, 150, 10);
    o.run.trials = 4000;
    const sweep_result w = sweep(default_scenario(), o);
    REQUIRE(w.steps.size() == 10);
    CHECK(w.steps.front().value == 15);
    CHECK(w.steps.back().value == 150);
    for (std::size_t i = 1; i < w.steps.size(); ++i) {
        const auto& prev = w.steps[i - 1].alternatives.at(0);
        const auto& cur = w.steps[i].alternatives.at(0);
        CHECK(cur.p50 <= prev.p50);
        CHECK(cur.mean <= prev.mean);
        CHECK(cur.prob_loss >= prev.prob_loss);
    }
    // At $150/h offshore costs more than local hiring ($85-140/h): mostly a loss.
    CHECK(w.steps.back().alternatives[0].prob_loss > 0.9);
    CHECK(w.steps.front().alternatives[0].prob_loss < 0.05);
}

TEST_CASE("sweep in scale mode and bad values") {
    sweep_options o;
    o.input = "cost_of_delay_per_month_usd";
    o.mode = sweep_mode::scale;
    o.values = {1.0, 2.0};
    o.run.trials = 2000;
    const sweep_result w = sweep(default_scenario(), o);
    CHECK(w.steps.size() == 2);
    o.input = "offshore_team.annual_attrition";
    o.mode = sweep_mode::set;
    o.values = {2.0};
    CHECK_THROWS_WITH_AS(sweep(default_scenario(), o), doctest::Contains("annual_attrition"), invalid_scenario);
    o.values = {};
    CHECK_THROWS_AS(sweep(default_scenario(), o), invalid_argument);
}
