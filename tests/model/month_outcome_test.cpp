// Tests of month_outcomes: "never" as a first-class outcome. The shares are exact counts of
// the trials; the month is summarised over the trials in which it happens within the
// horizon only (checked against the kept samples), and a run that kept no samples gives the
// same shares and sketch-based percentiles within the sketch's accuracy.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "offroi/model/month_outcome.hpp"
#include "offroi/model/scenario.hpp"
#include "offroi/model/simulate.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace model_month_outcome_test {

using namespace offroi;

namespace {

double type7(std::vector<double> x, double p) {
    std::sort(x.begin(), x.end());
    const double h = p * double(x.size() - 1);
    const auto k = static_cast<std::size_t>(h);
    return k + 1 < x.size() ? x[k] + (h - double(k)) * (x[k + 1] - x[k]) : x[k];
}

const month_outcome& find(const std::vector<month_outcome>& ms, const std::string& field) {
    for (const auto& m : ms)
        if (m.field == field) return m;
    FAIL("no month outcome " << field);
    return ms.front();
}

}  // namespace

TEST_CASE("month_outcomes: shares are exact and the month is conditional on the horizon") {
    scenario s = default_scenario();
    s.horizon_months = 30;  // late deliveries and break-evens in a good share of trials
    s.simulation.seed = 3;
    simulate_options o;
    o.trials = 4000;
    o.samples = sample_policy::within_budget;
    const auto r = simulate(s, o);
    const double h = s.horizon_months;
    for (const std::string a : {"local_hiring", "offshore_team"}) {
        const auto ms = month_outcomes(r, a);
        CHECK(ms.size() == (a == "local_hiring" ? 1u : 3u));  // the baseline has no break-even or parity
        for (const auto& m : ms) {
            CAPTURE(a);
            CAPTURE(m.field);
            CHECK(m.exact);
            const auto x = r.run.samples(a + "." + m.field);
            std::vector<double> within;
            std::size_t never = 0, beyond = 0;
            for (double v : x) {
                if (v <= h) within.push_back(v);
                else if (v >= never_month) ++never;
                else ++beyond;
            }
            CHECK(m.count_within == within.size());
            CHECK(m.prob_within_horizon == double(within.size()) / double(x.size()));
            CHECK(m.prob_never == double(never) / double(x.size()));
            CHECK(m.prob_beyond_horizon == doctest::Approx(double(beyond) / double(x.size())).epsilon(1e-12));
            REQUIRE(within.size() > 100);
            double sum = 0;
            for (double v : within) sum += v;
            CHECK(m.mean == doctest::Approx(sum / double(within.size())).epsilon(1e-12));
            CHECK(m.p50 == doctest::Approx(type7(within, 0.5)).epsilon(1e-12));
            CHECK(m.p90 == doctest::Approx(type7(within, 0.9)).epsilon(1e-12));
            CHECK(m.max <= h);
        }
        // The delivery month is late in some trials: the conditional mean is below the
        // unconditional one, which mixes extrapolated months in.
        const auto& d = find(ms, "delivery_month");
        CHECK(d.prob_within_horizon < 1.0);
        CHECK(d.mean < r.arrangement(a).output("delivery_month").mean);
    }
    const auto outcomes = month_outcomes(r, "offshore_team");  // kept alive: find returns a reference into it
    const auto& be = find(outcomes, "breakeven_month");
    CHECK(be.prob_within_horizon == r.arrangement("offshore_team").prob_breakeven);
    CHECK(be.prob_never > 0.0);  // some trials never break even (net benefit < 0)
}

TEST_CASE("month_outcomes: without samples the shares stay exact, the percentiles come from the sketch") {
    scenario s = default_scenario();
    s.horizon_months = 30;
    s.simulation.seed = 3;
    simulate_options o;
    o.trials = 4000;
    o.samples = sample_policy::within_budget;
    const auto kept = simulate(s, o);
    o.samples = sample_policy::never;
    const auto streamed = simulate(s, o);
    for (const std::string a : {"local_hiring", "offshore_team"}) {
        const auto e = month_outcomes(kept, a), x = month_outcomes(streamed, a);
        REQUIRE(e.size() == x.size());
        for (std::size_t i = 0; i < e.size(); ++i) {
            CAPTURE(e[i].field);
            CHECK_FALSE(x[i].exact);
            CHECK(x[i].count_within == e[i].count_within);
            CHECK(x[i].prob_never == e[i].prob_never);
            // DDSketch relative accuracy 0.1% (summary_options default) on each order statistic;
            // the conditional mean averages 4096 of them: 2% is a loose bound for both.
            CHECK(x[i].p50 == doctest::Approx(e[i].p50).epsilon(0.02));
            CHECK(x[i].p90 == doctest::Approx(e[i].p90).epsilon(0.02));
            CHECK(x[i].mean == doctest::Approx(e[i].mean).epsilon(0.02));
        }
    }
}

TEST_CASE("month_outcomes: the capacity framing has no delivery month; unknown arrangements are named") {
    scenario s = default_scenario();
    s.frame = framing::capacity;
    simulate_options o;
    o.trials = 1000;
    const auto r = simulate(s, o);
    for (const auto& m : month_outcomes(r, "offshore_team")) CHECK(m.field != "delivery_month");
    CHECK(month_outcomes(r, "local_hiring").empty());
    CHECK_THROWS_WITH_AS(month_outcomes(r, "nearshore"), doctest::Contains("nearshore"), invalid_argument);
}

}  // namespace model_month_outcome_test
