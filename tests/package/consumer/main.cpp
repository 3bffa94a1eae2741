// A planning tool's view of offroi: one include for the core, one for scenario files; the
// public API only; no global state.
#include <offroi/io.hpp>
#include <offroi/offroi.hpp>

#include <cstdio>

int main() {
    offroi::scenario s = offroi::default_scenario();
    s.find("offshore_team").set("hourly_rate_usd", offroi::pert_distribution(25, 32, 45));
    const offroi::scenario_result r = offroi::simulate(s, {.trials = 4096});
    const auto& nb = r.arrangement("offshore_team").output("net_benefit");
    // The scenario survives a JSON round trip.
    const offroi::scenario back = offroi::scenario_from_json(offroi::to_json(s));
    if (offroi::to_json(back) != offroi::to_json(s)) return 1;
    if (!(nb.count == 4096)) return 1;
    std::printf("offroi consumer ok: offshore_team P50 net benefit %.0f USD\n",
                nb.percentile(0.5).value);
    return 0;
}
