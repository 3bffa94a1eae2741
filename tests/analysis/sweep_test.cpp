#include <doctest/doctest.h>

#include <algorithm>

#include "offroi/analysis/sweep.hpp"
#include "offroi/model/evaluate.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace analysis_sweep_test {

using namespace offroi;

TEST_CASE("sweep over the offshore rate: an optimum inside the market band, monotone above it (CRN)") {
    // The offshore capability tier follows the rate's position in the $18-50 band (shifted by
    // the capability premium), so cheaper is not always better: below the band the team is at
    // COCOMO "very low" and delivers late; above it the tier is capped and a higher rate only
    // costs more.
    sweep_options o;
    o.input = "offshore_team.hourly_rate_usd";
    o.values = linear_range(15, 150, 10);  // 15, 30, 45, ..., 150
    o.run.trials = 4000;
    const scenario s = default_scenario();
    const sweep_result w = sweep(s, o);
    REQUIRE(w.steps.size() == 10);
    CHECK(w.steps.front().value == 15);
    CHECK(w.steps.back().value == 150);
    CHECK(w.baseline == "local_hiring");
    CHECK(w.frame == framing::project);
    CHECK(w.horizon_months == s.horizon_months);
    for (const auto& st : w.steps) {
        REQUIRE(st.alternatives.size() == 1);
        const auto& p = st.alternatives[0];
        CHECK(p.p10 <= p.p50);
        CHECK(p.p50 <= p.p90);
        CHECK(p.prob_delivered >= 0.0);
        CHECK(p.prob_delivered <= 1.0);
        CHECK(p.prob_breakeven <= 1.0);
        CHECK(p.breakeven_p50 >= 1.0);
        CHECK(p.parity_p50 >= 1.0);
        // The baseline's inputs do not move: its delivery is the same draws at every step.
        CHECK(st.baseline_prob_delivered == w.steps.front().baseline_prob_delivered);
    }
    CHECK(w.steps.front().baseline_prob_delivered > 0.5);
    // From $60 (above the band's top, $50) on, every trial only pays more as the rate rises.
    for (std::size_t i = 4; i < w.steps.size(); ++i) {
        const auto& prev = w.steps[i - 1].alternatives[0];
        const auto& cur = w.steps[i].alternatives[0];
        CAPTURE(w.steps[i].value);
        CHECK(cur.p10 <= prev.p10);
        CHECK(cur.p50 <= prev.p50);
        CHECK(cur.p90 <= prev.p90);
        CHECK(cur.mean < prev.mean);
        CHECK(cur.prob_loss >= prev.prob_loss);
        CHECK(cur.net_saving_p50 <= prev.net_saving_p50);
        CHECK(cur.prob_delivered == prev.prob_delivered);  // capability capped: same delivery
        CHECK(cur.breakeven_p50 >= prev.breakeven_p50);
        CHECK(cur.prob_breakeven <= prev.prob_breakeven);
    }
    // At $150/h the offshore team costs more than local hiring: mostly a loss.
    CHECK(w.steps.back().alternatives[0].prob_loss > 0.6);
    // At $15/h (below the band) it rarely delivers within the horizon and mostly loses.
    CHECK(w.steps.front().alternatives[0].prob_delivered < 0.5);
    CHECK(w.steps.front().alternatives[0].prob_loss > 0.5);
    CHECK(w.steps[2].alternatives[0].prob_delivered > 0.9);
    // The best mean is the argmax over the steps, and lies inside the band.
    REQUIRE(w.best_mean_step.size() == 1);
    std::size_t best = 0;
    for (std::size_t i = 1; i < w.steps.size(); ++i)
        if (w.steps[i].alternatives[0].mean > w.steps[best].alternatives[0].mean) best = i;
    CHECK(w.best_mean_step[0] == best);
    CHECK(w.steps[best].value > 18);
    CHECK(w.steps[best].value < 60);
}

TEST_CASE("sweep in scale mode and bad values") {
    sweep_options o;
    o.input = "cost_of_delay_per_month_usd";
    o.mode = sweep_mode::scale;
    o.values = {1.0, 2.0};
    o.run.trials = 2000;
    const sweep_result w = sweep(default_scenario(), o);
    REQUIRE(w.steps.size() == 2);
    // A dearer delay changes what delay costs, not when the teams deliver (same draws).
    CHECK(w.steps[0].alternatives[0].prob_delivered == w.steps[1].alternatives[0].prob_delivered);
    CHECK(w.steps[0].baseline_prob_delivered == w.steps[1].baseline_prob_delivered);
    CHECK(w.steps[0].alternatives[0].net_saving_p50 ==
          doctest::Approx(w.steps[1].alternatives[0].net_saving_p50).epsilon(1e-12));
    o.input = "offshore_team.annual_attrition";
    o.mode = sweep_mode::set;
    o.values = {2.0};
    CHECK_THROWS_WITH_AS(sweep(default_scenario(), o), doctest::Contains("annual_attrition"), invalid_scenario);
    o.values = {};
    CHECK_THROWS_AS(sweep(default_scenario(), o), invalid_argument);
}

TEST_CASE("sweep under the capacity framing: delivery is not a question") {
    scenario s = default_scenario();
    s.frame = framing::capacity;
    sweep_options o;
    o.input = "offshore_team.hourly_rate_usd";
    o.values = {30, 45};
    o.run.trials = 2000;
    const sweep_result w = sweep(s, o);
    CHECK(w.frame == framing::capacity);
    for (const auto& st : w.steps) {
        CHECK(st.baseline_prob_delivered == 1.0);
        CHECK(st.alternatives[0].prob_delivered == 1.0);
    }
}

}  // namespace analysis_sweep_test
