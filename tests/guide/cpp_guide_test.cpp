// docs/cpp-guide.md, compiled and run: each region between "// [name]" and "// [/name]" is
// shown verbatim in the guide (tests/package/check_snippets.py checks it); the CHECKs after
// each region assert what the guide says about the numbers.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <string>

// [includes]
#include <offroi/offroi.hpp>    // scenarios, distributions, simulate, sweep, breakeven (light)
#include <offroi/analysis.hpp>  // compare, model sensitivity (templates: heavier)
#include <offroi/engine.hpp>    // the generic engine: run, sampled_model, summarize
#include <offroi/sampling.hpp>  // samplers, spearman_matrix
// [/includes]

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace guide_cpp_guide_test {

namespace {

offroi::scenario planner_scenario() {
    // [scenario]
    offroi::scenario s = offroi::default_scenario();  // 10 offshore engineers vs local hiring, 36 months
    s.name = "platform team";
    // The shared inputs: a range stated as P10/P90 is a lognormal fitted to them.
    s.set("cost_of_delay_per_month_usd",
          offroi::lognormal_distribution::from_percentiles({0.1, 60000}, {0.9, 250000}));
    // Arrangements: edit the preset offshore team, add a nearshore vendor.
    offroi::arrangement& offshore = s.find("offshore_team");
    offshore.set("hourly_rate_usd", offroi::pert_distribution(25, 32, 45));
    offshore.set("overlap_hours", offroi::pert_distribution(2, 3, 4));
    s.alternatives.push_back(offroi::preset(offroi::sourcing_model::nearshore, "nearshore"));
    // Rank correlations between named inputs (Spearman), and the simulation settings.
    s.correlations.push_back({"offshore_team.hourly_rate_usd", "offshore_team.overlap_hours", 0.4});
    s.simulation.trials = 20000;
    s.simulation.seed = 2024;
    // [/scenario]
    return s;
}

}  // namespace

TEST_CASE("guide: a scenario built in code, simulated, read") {
    const offroi::scenario s = planner_scenario();
    // [simulate]
    const offroi::scenario_result r = offroi::simulate(s, {.percentiles = {0.05, 0.95}, .driver_trials = 5000});
    std::printf("%s: %llu trials, seed %llu\n", r.scenario_name.c_str(),
                static_cast<unsigned long long>(r.trials()), static_cast<unsigned long long>(r.seed));
    for (const offroi::arrangement_result& a : r.arrangements) {
        if (a.is_baseline) continue;
        const offroi::summary& nb = a.output("net_benefit");
        std::printf("%-14s P5 %s  P50 %s  P95 %s  mean %s +- %s  P(loss) %s  P(delivered) %s\n", a.name.c_str(),
                    offroi::format_usd(nb.percentile(0.05).value).c_str(),
                    offroi::format_usd(nb.percentile(0.5).value).c_str(),
                    offroi::format_usd(nb.percentile(0.95).value).c_str(), offroi::format_usd(nb.mean).c_str(),
                    offroi::format_usd(nb.standard_error).c_str(), offroi::format_percent(a.prob_net_loss).c_str(),
                    offroi::format_percent(a.prob_delivered).c_str());
        for (const offroi::breakdown_row& bar : a.breakdown)  // eight bars that add up to the net benefit
            std::printf("    %-28s %s\n", bar.component.c_str(), offroi::format_usd(bar.mean_usd).c_str());
        for (std::size_t i = 0; i < 3 && i < a.drivers.size(); ++i)  // the top drivers, by |SRRC|
            std::printf("    driver %-40s SRRC %+.2f\n", a.drivers[i].input.c_str(), a.drivers[i].srrc);
    }
    // [/simulate]
    CHECK(r.trials() == 20000);
    CHECK(r.seed == 2024);
    for (const auto& a : r.arrangements) {
        if (a.is_baseline) continue;
        const auto& nb = a.output("net_benefit");
        CHECK(nb.percentile(0.05).value <= nb.percentile(0.5).value);
        CHECK(nb.percentile(0.5).value <= nb.percentile(0.95).value);
        double sum = 0;
        for (std::size_t i = 0; i + 1 < a.breakdown.size(); ++i) sum += a.breakdown[i].mean_usd;
        // The bars add up to the net benefit trial by trial, so in the mean up to rounding.
        CHECK(sum == doctest::Approx(a.breakdown.back().mean_usd).epsilon(1e-9));
        REQUIRE(!a.drivers.empty());
        CHECK(std::fabs(a.drivers[0].srrc) >= std::fabs(a.drivers.back().srrc));
    }
}

TEST_CASE("guide: compare, sweep, break-even") {
    const offroi::scenario s = planner_scenario();
    // [compare]
    const offroi::comparison_result c = offroi::compare(s, {.run = {.trials = 20000}});
    for (const offroi::pair_comparison& p : c.pairs)
        std::printf("%s vs %s: NB difference %s +- %s, P(%s better) %s\n", p.a.c_str(), p.b.c_str(),
                    offroi::format_usd(p.net_benefit_difference.mean).c_str(),
                    offroi::format_usd(p.net_benefit_difference.standard_error).c_str(), p.a.c_str(),
                    offroi::format_percent(p.prob_a_better).c_str());
    // [/compare]
    REQUIRE(c.pairs.size() == 3);  // baseline-offshore, baseline-nearshore, offshore-nearshore
    for (const auto& p : c.pairs) {
        CHECK(p.prob_a_better >= 0.0);
        CHECK(p.prob_a_better <= 1.0);
        CHECK(p.net_benefit_difference.standard_error > 0.0);
    }

    // [sweep]
    const offroi::sweep_result sw = offroi::sweep(
        s, {.input = "offshore_team.hourly_rate_usd", .values = offroi::linear_range(20, 80, 7), .run = {.trials = 8000}});
    for (const offroi::sweep_step& step : sw.steps)
        std::printf("rate %5.1f: offshore P50 %s, P(loss) %s\n", step.value,
                    offroi::format_usd(step.alternatives[0].p50).c_str(),
                    offroi::format_percent(step.alternatives[0].prob_loss).c_str());
    // [/sweep]
    REQUIRE(sw.steps.size() == 7);
    // Capability follows the rate within its market: the cheapest tier loses, the best mean
    // net benefit is at a mid-tier rate, and dearer rates give part of it back.
    CHECK(sw.steps.front().alternatives[0].p50 < 0);
    CHECK(sw.best_mean_step[0] > 0);
    CHECK(sw.best_mean_step[0] < 6);

    // [breakeven]
    const offroi::breakeven_result be = offroi::breakeven(
        s, {.input = "offshore_team.hourly_rate_usd", .lower = 15, .upper = 40, .arrangement = "offshore_team",
            .run = {.trials = 8000}});
    std::printf("offshore break-even rate: $%.1f/h +- %.1f (median net benefit 0)\n", be.value, be.standard_error);
    // [/breakeven]
    CHECK(be.value > 15);
    CHECK(be.value < 40);
    CHECK(be.standard_error > 0);
    // At the root the median net benefit is 0 within a few of its standard errors.
    CHECK(std::fabs(be.objective_at_root) <= 4 * be.objective_se_at_root + 1.0);
}

TEST_CASE("guide: the generic engine with your own model") {
    // [engine]
    // Inputs with marginals and a rank correlation; draws keyed by (seed, input, trial).
    const offroi::sampler inputs({{"rate", offroi::pert_distribution(20, 30, 50)},
                                  {"hours", offroi::lognormal_distribution::from_percentiles({0.1, 1500}, {0.9, 2100})}},
                                 {.seed = 42, .correlations = {{"rate", "hours", -0.3}}});
    // A block model: outputs of trials [first, first + count) from the sampler's draws.
    const auto model = offroi::sampled_model(inputs, {"cost"},
        [](const offroi::block_context&, const double* const* x, offroi::block_outputs& out) {
            for (std::size_t k = 0; k < out.count(); ++k) out.column(0)[k] = x[0][k] * x[1][k];
        });
    const offroi::run_result run = offroi::run(model, model.run_options_for(200000));  // all cores, same bits
    const offroi::summary cost = offroi::summarize(run, "cost", {.percentiles = {0.05, 0.95}});  // exact
    std::printf("cost P5 %s  P50 %s  P95 %s\n", offroi::format_usd(cost.percentile(0.05).value).c_str(),
                offroi::format_usd(cost.percentile(0.5).value).c_str(),
                offroi::format_usd(cost.percentile(0.95).value).c_str());
    // The rank correlation the sampler achieved.
    const Eigen::MatrixXd rho = offroi::spearman_matrix(inputs.sample(20000));
    std::printf("achieved Spearman(rate, hours) = %.3f (target -0.3)\n", rho(0, 1));
    // [/engine]
    CHECK(cost.exact);
    CHECK(cost.count == 200000);
    CHECK(cost.percentile(0.05).value < cost.percentile(0.95).value);
    // SE of a rank correlation from n = 20000 draws < 1/sqrt(n - 1) = 0.0071: within 5 SE.
    CHECK(std::fabs(rho(0, 1) + 0.3) < 0.036);
}

}  // namespace guide_cpp_guide_test
