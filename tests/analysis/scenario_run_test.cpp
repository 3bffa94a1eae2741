#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "offroi/analysis/model_sensitivity.hpp"
#include "offroi/analysis/scenario_run.hpp"
#include "offroi/distributions/constant.hpp"
#include "offroi/distributions/uniform.hpp"
#include "offroi/model/simulate.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace analysis_scenario_run_test {

using namespace offroi;

TEST_CASE("run_scenario reproduces simulate bit for bit, for any thread count") {
    const scenario s = default_scenario();
    simulate_options so;
    so.trials = 12000;
    so.threads = 2;
    const scenario_result a = simulate(s, so);
    run_request r;
    r.trials = 12000;
    r.threads = 1;
    r.driver_trials = 3000;
    const scenario_run b = run_scenario(s, r);
    REQUIRE(a.arrangements.size() == b.result.arrangements.size());
    for (std::size_t k = 0; k < a.arrangements.size(); ++k) {
        const auto& x = a.arrangements[k];
        const auto& y = b.result.arrangements[k];
        REQUIRE(x.outputs.size() == y.outputs.size());
        for (std::size_t o = 0; o < x.outputs.size(); ++o) {
            CHECK(x.outputs[o].stats.mean == y.outputs[o].stats.mean);
            CHECK(x.outputs[o].stats.percentiles[1].value == y.outputs[o].stats.percentiles[1].value);
        }
    }
    // The recorded outputs are the run's own first trials.
    const std::size_t c = b.result.run.index_of("offshore_team.net_benefit");
    REQUIRE(b.output_samples[c].size() == 3000);
    for (std::size_t t = 0; t < 3000; t += 97) CHECK(b.output_samples[c][t] == a.run.samples(c)[t]);
}

TEST_CASE("recorded inputs are the draws the run used") {
    // Only the offshore rate varies (no risk events): net benefit falls strictly as it rises, so the rank
    // correlation between the recorded rate and the recorded net benefit is exactly -1.
    scenario s = default_scenario();
    s.correlations.clear();
    for (const auto& f : scenario_fields) s.set(f.name, constant_distribution(mean(s.get(f.name))));
    for (auto* a : {&s.baseline, &s.alternatives[0]})
        for (const auto& f : arrangement_fields) a->set(f.name, constant_distribution(mean(a->get(f.name))));
    // Risk events are random even with constant inputs: switch them off.
    for (auto* a : {&s.baseline, &s.alternatives[0]})
        for (const char* f : {"failure_annual_probability", "security_incident_annual_probability",
                              "key_person_loss_annual_probability", "vendor_switch_annual_probability"})
            a->set(f, constant_distribution(0));
    // Above the top of its market band ($50) the capability tier is capped: dearer only costs more.
    s.set("offshore_team.hourly_rate_usd", uniform_distribution(50, 110));
    run_request r;
    r.trials = 5000;
    r.driver_trials = 2000;
    const scenario_run run = run_scenario(s, r);
    REQUIRE(run.input_names.size() == 1);
    CHECK(run.input_names[0] == "offshore_team.hourly_rate_usd");
    const driver_ranking d = run_drivers(run);
    CHECK(d.measures.samples == 2000);
    CHECK(d.measures.spearman[0] == doctest::Approx(-1.0).epsilon(1e-12));
    // One input, ranked by |SRRC|: the regression on it alone and the partial correlation
    // given nothing are the rank correlation itself.
    CHECK(d.measure == "srrc");
    CHECK(d.order == std::vector<std::size_t>{0});
    CHECK(d.measures.srrc[0] == doctest::Approx(-1.0).epsilon(1e-9));
    CHECK(d.measures.prcc[0] == doctest::Approx(d.measures.spearman[0]).epsilon(1e-12));
}

TEST_CASE("a cancelled run keeps the recorded trials it ran, each as the whole run draws it") {
    // The recorders are sized but not initialised: only the run's trials (a prefix of whole
    // blocks, also after a cancel) may be read. Cancelled after its first merged block(s),
    // the run keeps min(K, trials()) recorded trials, and each is the trial a run that is
    // not cancelled records (a recorded trial it did not write would be whatever the
    // allocator left there).
    const scenario s = default_scenario();
    for (const unsigned threads : {1u, 2u}) {
        CAPTURE(threads);
        run_request r;
        r.trials = 400000;
        r.threads = threads;
        r.samples = sample_policy::never;
        r.driver_trials = 400000;
        const cancellation_token token;
        r.cancel = token;
        r.progress = [token](std::uint64_t, std::uint64_t) { token.cancel(); };
        const scenario_run cut = run_scenario(s, r);
        REQUIRE(cut.result.run.cancelled());
        const std::uint64_t n = cut.trials();
        REQUIRE(n > 0);
        REQUIRE(n < 400000);
        REQUIRE(cut.input_samples.size() == cut.input_names.size());
        REQUIRE(!cut.output_samples.empty());
        for (const auto& c : cut.input_samples) REQUIRE(c.size() == n);
        for (const auto& c : cut.output_samples) REQUIRE(c.size() == n);

        run_request whole;
        whole.trials = 400000;  // the same design (the draws of LHS and Sobol' depend on it)
        whole.threads = threads;
        whole.samples = sample_policy::never;
        whole.driver_trials = n;
        whole.precision = 0.0;
        // Only the first n trials are needed: stop the reference as soon as they are run.
        const cancellation_token enough;
        whole.cancel = enough;
        whole.progress = [enough, n](std::uint64_t done, std::uint64_t) {
            if (done >= n) enough.cancel();
        };
        const scenario_run ref = run_scenario(s, whole);
        REQUIRE(ref.trials() >= n);
        REQUIRE(ref.input_samples.size() == cut.input_samples.size());
        REQUIRE(ref.output_samples.size() == cut.output_samples.size());
        std::size_t differ = 0;
        for (std::size_t j = 0; j < ref.input_samples.size(); ++j)
            for (std::size_t t = 0; t < n; ++t)
                differ += std::bit_cast<std::uint64_t>(ref.input_samples[j][t]) !=
                          std::bit_cast<std::uint64_t>(cut.input_samples[j][t]);
        for (std::size_t j = 0; j < ref.output_samples.size(); ++j)
            for (std::size_t t = 0; t < n; ++t)
                differ += std::bit_cast<std::uint64_t>(ref.output_samples[j][t]) !=
                          std::bit_cast<std::uint64_t>(cut.output_samples[j][t]);
        CHECK(differ == 0);
        // The drivers rank the kept trials.
        CHECK(run_drivers(cut).measures.samples == n);
    }
}

TEST_CASE("precision stopping ends at a checkpoint with the target met") {
    run_request r;
    r.trials = 2000000;
    r.precision = 0.02;
    r.samples = sample_policy::never;
    const scenario_run run = run_scenario(default_scenario(), r);
    REQUIRE(run.precision.has_value());
    CHECK(run.precision->met);
    CHECK(run.precision->half_width <= run.precision->tolerance);
    CHECK(run.result.run.trials() < 2000000);
    CHECK(run.result.run.trials() % (8 * 4096) == 0);
    // The stopping half-width is the run's own 95% half-width of the mean net benefit.
    const summary& nb = run.result.arrangement("offshore_team").output("net_benefit");
    CHECK(run.precision->half_width == doctest::Approx(1.959963984540054 * nb.standard_error).epsilon(1e-9));
    CHECK(run.precision->half_width <= 0.02 * std::fabs(nb.mean));
}

TEST_CASE("bad requests name the problem") {
    run_request r;
    r.trials = 1;
    CHECK_THROWS_WITH_AS(run_scenario(default_scenario(), r), doctest::Contains("trials"), invalid_argument);
    r.trials = 100;
    r.precision = -1;
    CHECK_THROWS_WITH_AS(run_scenario(default_scenario(), r), doctest::Contains("precision"), invalid_argument);
    r.precision = 0;
    r.scaling = {{"offshore_team.annual_attrition", 10.0}};
    CHECK_THROWS_WITH_AS(run_scenario(default_scenario(), r), doctest::Contains("annual_attrition"), invalid_argument);
    r.scaling = {{"offshore_team.no_such_field", 2.0}};
    CHECK_THROWS_WITH_AS(run_scenario(default_scenario(), r), doctest::Contains("no_such_field"), invalid_argument);
    // Scaling one end of a market band past the other is refused ($18 x 3 > $50).
    r.scaling = {{"offshore_team.market_rate_low_usd", 3.0}};
    CHECK_THROWS_WITH_AS(run_scenario(default_scenario(), r), doctest::Contains("offshore_team.market_rate_high_usd"),
                         invalid_argument);
    r.scaling = {{"offshore_team.market_rate_low_usd", 2.0}};  // $36 < $50: still a band
    r.trials = 2000;
    CHECK_NOTHROW(run_scenario(default_scenario(), r));
}

}  // namespace analysis_scenario_run_test
