// A planner that links offroi::offroi and includes only <offroi/offroi.hpp>: the façade
// must not pull Boost, Eigen or Random123 into this file, and its API must link against
// liboffroi and give sound numbers.
#include <offroi/offroi.hpp>

#if defined(BOOST_VERSION) || defined(EIGEN_WORLD_VERSION) || defined(R123_USE_PHILOX_64BIT)
#error "offroi/offroi.hpp pulled Boost, Eigen or Random123 into a façade consumer"
#endif

#include <cmath>
#include <cstdio>

#include "readme_example.hpp"

namespace {
int failures = 0;
void check(bool ok, const char* what) {
    if (!ok) {
        std::printf("FAILED: %s\n", what);
        ++failures;
    }
}
}  // namespace

int main() {
    const offroi::scenario_result r = readme_example();
    check(r.trials() == 20000, "trials() is the trial count");
    check(r.arrangements.size() == 3, "baseline and two alternatives");
    for (const auto& a : r.arrangements) {
        if (a.is_baseline) continue;
        const offroi::summary& nb = a.output("net_benefit");
        check(nb.count == 20000, "every trial summarised");
        // Requested levels come after P10/P50/P90 and are ordered with them.
        check(nb.percentile(0.05).value <= nb.percentile(0.1).value, "P5 <= P10");
        check(nb.percentile(0.9).value <= nb.percentile(0.95).value, "P90 <= P95");
        check(nb.percentile(0.3 - 0.2).value == nb.percentile(0.1).value, "0.3 - 0.2 finds P10");
        check(a.breakdown.size() == 9, "eight bars and the net benefit");
    }
    // A seed given through the optional field changes the draws; the same seed repeats them.
    offroi::scenario s = offroi::default_scenario();
    const auto a = offroi::simulate(s, {.trials = 4000, .seed = 11});
    const auto b = offroi::simulate(s, {.trials = 4000, .seed = 11});
    const auto c = offroi::simulate(s, {.trials = 4000, .seed = 12});
    const double ma = a.arrangement("offshore_team").output("net_benefit").mean;
    check(a.seed == 11, "seed used");
    check(ma == b.arrangement("offshore_team").output("net_benefit").mean, "same seed, same bits");
    check(ma != c.arrangement("offshore_team").output("net_benefit").mean, "another seed, other draws");
    // Bad input names the field.
    try {
        offroi::simulate(s, {.trials = 1000, .percentiles = {1.5}});
        check(false, "percentiles = {1.5} is refused");
    } catch (const offroi::invalid_argument& e) {
        check(std::string(e.what()).find("percentiles[0]") != std::string::npos, "message names percentiles[0]");
    }
    // Sweep and break-even come from liboffroi through the façade too. Capability follows
    // the rate, so the cheapest tier loses: the median net benefit changes sign on [15, 40].
    const offroi::sweep_result sw =
        offroi::sweep(s, {.input = "offshore_team.hourly_rate_usd", .values = {15, 40}, .run = {.trials = 4000}});
    check(sw.steps.size() == 2 && sw.steps[0].alternatives[0].p50 < 0 && sw.steps[1].alternatives[0].p50 > 0,
          "sweep: P50 negative at $15/h, positive at $40/h");
    const offroi::breakeven_result be = offroi::breakeven(
        s, {.input = "offshore_team.hourly_rate_usd", .lower = 15, .upper = 40, .run = {.trials = 4000}});
    check(be.value > 15 && be.value < 40 && be.standard_error > 0, "break-even rate inside the bracket, with an SE");
    if (failures) return 1;
    std::printf("offroi façade consumer ok\n");
    return 0;
}
