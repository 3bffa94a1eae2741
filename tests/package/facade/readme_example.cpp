// The README's C++ example, compiled by the package tests (the façade consumer against
// offroi::offroi and the header-only consumer, both with -Wall -Wextra -Wshadow -Werror);
// tests/package/check_snippets.cmake checks that README.md shows exactly the lines between
// the markers.
#include <offroi/offroi.hpp>

#include <cstdio>

#include "readme_example.hpp"

offroi::scenario_result readme_example() {
    // [README]
    offroi::scenario s = offroi::default_scenario();  // offshore team vs local hiring
    s.alternatives.push_back(offroi::preset(offroi::sourcing_model::nearshore));
    s.find("offshore_team").set("overlap_hours", offroi::pert_distribution(2, 3, 4));
    s.set("cost_of_delay_per_month_usd", offroi::constant_distribution(150000));
    offroi::scenario_result r = offroi::simulate(s, {.trials = 20000, .percentiles = {0.05, 0.95}});
    for (const auto& a : r.arrangements) {
        if (a.is_baseline) continue;
        const offroi::summary& nb = a.output("net_benefit");
        std::printf("%-14s net benefit P5 %s  P50 %s  P95 %s  P(loss) %s  break-even P50 month %.0f\n",
                    a.name.c_str(), offroi::format_usd(nb.percentile(0.05).value).c_str(),
                    offroi::format_usd(nb.percentile(0.5).value).c_str(),
                    offroi::format_usd(nb.percentile(0.95).value).c_str(),
                    offroi::format_percent(a.prob_net_loss).c_str(),
                    a.output("breakeven_month").percentile(0.5).value);
    }
    // [/README]
    return r;
}
