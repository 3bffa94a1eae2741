#include <doctest/doctest.h>

#include <cmath>

#include "offroi/analysis/model_sensitivity.hpp"
#include "offroi/distributions/constant.hpp"
#include "offroi/distributions/uniform.hpp"

using namespace offroi;

namespace {
// The default scenario with every input at its mean, then three inputs made uncertain.
scenario three_input_scenario() {
    scenario s = default_scenario();
    s.correlations.clear();
    for (const auto& f : scenario_fields) s.set(f.name, constant_distribution(mean(s.get(f.name))));
    for (auto* a : {&s.baseline, &s.alternatives[0]})
        for (const auto& f : arrangement_fields) a->set(f.name, constant_distribution(mean(a->get(f.name))));
    // The offshore rate over $20-80/h moves the labour bill by ~10 x 160 h x ~30 PV months
    // x $48 (P10-P90 width) = ~$2.3M; the leader cost over $139-141/h and the sync share over
    // 0.29-0.31 move the management load and the coordination penalty by a few $10k at most;
    // the rate must lead by far.
    s.set("offshore_team.hourly_rate_usd", uniform_distribution(20, 80));
    s.set("leader_hourly_cost_usd", uniform_distribution(139, 141));
    s.set("sync_work_share", uniform_distribution(0.29, 0.31));
    return s;
}
}  // namespace

TEST_CASE("tornado on net benefit: the dominant input leads") {
    scenario_sensitivity_options o;
    o.event_trials = 256;
    const tornado_result t = scenario_tornado(three_input_scenario(), o);
    REQUIRE(t.bars.size() == 3);
    CHECK(t.bars[0].name == "offshore_team.hourly_rate_usd");
    CHECK(t.bars[0].low_input == doctest::Approx(26.0));
    CHECK(t.bars[0].high_input == doctest::Approx(74.0));
    CHECK(t.bars[0].output_at_low > t.bars[0].output_at_high);  // dearer offshore: less benefit
    CHECK(t.bars[0].swing > 1e6);
    CHECK(t.bars[0].swing > 20 * t.bars[1].swing);
    // A dearer leader costs the offshore team more leadership hours than local hiring.
    for (const auto& b : t.bars)
        if (b.name == "leader_hourly_cost_usd") CHECK(b.output_at_high < b.output_at_low);
}

TEST_CASE("run drivers and Sobol' indices agree on the dominant input") {
    const scenario s = three_input_scenario();
    run_request r;
    r.trials = 4000;
    r.driver_trials = 4000;
    const driver_ranking d = run_drivers(run_scenario(s, r));
    CHECK(d.measures.names[d.order[0]] == "offshore_team.hourly_rate_usd");
    CHECK(d.measures.spearman[d.order[0]] < -0.9);
    scenario_sensitivity_options o;
    o.event_trials = 16;
    o.sobol.base_samples = 256;
    o.sobol.bootstrap_resamples = 50;
    const sobol_result so = scenario_sobol(s, o);
    std::size_t rate = 0;
    for (std::size_t i = 0; i < so.names.size(); ++i)
        if (so.names[i] == "offshore_team.hourly_rate_usd") rate = i;
    CHECK(so.first_order[rate] > 0.9);
    CHECK(so.total_order[rate] > 0.9);
}

TEST_CASE("Kucherenko indices: a no-effect input correlated with the driver gets S but no ST") {
    scenario s = three_input_scenario();
    // The leader cost barely matters; correlated at 0.9 with the offshore rate it carries
    // the rate's effect into its first-order index (S ~ 0.9^2 x S_rate), while its total
    // index (what it adds given the rate) stays near its own tiny share.
    s.correlations = {{"offshore_team.hourly_rate_usd", "leader_hourly_cost_usd", 0.9}};
    scenario_sensitivity_options o;
    o.event_trials = 16;
    o.sobol.base_samples = 256;
    o.sobol.bootstrap_resamples = 0;
    const sobol_result k = scenario_kucherenko(s, o);
    std::size_t leader = 0;
    for (std::size_t i = 0; i < k.names.size(); ++i)
        if (k.names[i] == "leader_hourly_cost_usd") leader = i;
    CHECK(k.first_order[leader] > 0.5);
    CHECK(k.total_order[leader] < 0.05);
}

TEST_CASE("adapters reject what they cannot do") {
    scenario_sensitivity_options o;
    o.arrangement = "nobody";
    CHECK_THROWS_WITH_AS(scenario_tornado(default_scenario(), o), doctest::Contains("nobody"), invalid_argument);
}
