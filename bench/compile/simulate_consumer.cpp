// The measured consumer: the README's first C++ example (one include, one simulate call).
#include <offroi/offroi.hpp>

#include <cstdio>

int main() {
    offroi::scenario s = offroi::default_scenario();
    s.find("offshore_team").set("overlap_hours", offroi::pert_distribution(2, 3, 4));
    const offroi::scenario_result r = offroi::simulate(s, {.trials = 20000});
    for (const auto& a : r.arrangements) {
        if (a.is_baseline) continue;
        std::printf("%s P50 %.0f\n", a.name.c_str(), a.output("net_benefit").percentile(0.5).value);
    }
}
