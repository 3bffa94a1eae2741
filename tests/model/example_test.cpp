// A planning tool builds and edits a scenario in code and simulates it in one call (the
// README's example itself is compiled and run by the package tests, tests/package/facade), and the article's two warnings reproduced by the model: cutting senior
// leadership raises the probability of a loss, and the cheapest vendor tier (its capability
// follows its rate in the offshore market band) does worse than a mid tier.
#include <doctest/doctest.h>

#include <cmath>
#include <utility>
#include <vector>

#include <offroi/model.hpp>

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace model_example_test {

TEST_CASE("build, edit and simulate a scenario in code") {
    offroi::scenario s = offroi::default_scenario();  // offshore team vs local hiring
    s.alternatives.push_back(offroi::preset(offroi::sourcing_model::nearshore));
    s.find("offshore_team").set("overlap_hours", offroi::pert_distribution(2, 3, 4));
    s.set("cost_of_delay_per_month_usd", offroi::constant_distribution(150000));
    offroi::scenario_result r = offroi::simulate(s, {.trials = 20000});
    for (const auto& a : r.arrangements) {
        if (a.is_baseline) continue;
        const auto& nb = a.output("net_benefit");
        // a.name, nb.percentile(0.1).value, nb.percentile(0.5).value, nb.percentile(0.9).value,
        // a.prob_net_loss, a.output("breakeven_month").percentile(0.5).value, a.prob_delivered, a.breakdown ...
        CHECK(nb.count == 20000);
        CHECK(a.prob_net_loss >= 0.0);
        CHECK(a.prob_net_loss <= 1.0);
        CHECK(a.breakdown.size() == 9);  // eight bars and the net benefit
    }
    CHECK(r.arrangements.size() == 3);
    CHECK(r.arrangement("nearshore").model == offroi::sourcing_model::nearshore);
    // Nearshore's overlap keeps its coordination penalty below the offshore team's.
    offroi::simulate_options all{.trials = 2000};
    all.outputs = offroi::output_set::all;
    const auto r2 = offroi::simulate(s, all);
    CHECK(r2.arrangement("nearshore").output("coordination_penalty").mean <
          r2.arrangement("offshore_team").output("coordination_penalty").mean);
}

TEST_CASE("the article's warning: cutting senior leadership by 40% raises P(loss)") {
    using namespace offroi;
    scenario full = default_scenario();
    scenario cut = full;
    cut.find("offshore_team").leadership_hours_per_engineer_week =
        pert_distribution(2 * 0.6, 3.5 * 0.6, 6 * 0.6);
    simulate_options o{.trials = 40000};
    const auto rf = simulate(full, o).arrangement("offshore_team");
    const auto rc = simulate(cut, o).arrangement("offshore_team");
    MESSAGE("P(loss) full leadership " << rf.prob_net_loss << ", cut by 40% " << rc.prob_net_loss);
    const double mf = rf.output("nb_management").mean, mc = rc.output("nb_management").mean;
    MESSAGE("management bar full " << mf << ", cut " << mc);
    MESSAGE("mean net benefit full " << rf.output("net_benefit").mean << ", cut " << rc.output("net_benefit").mean);
    // The cut saves management cost ...
    CHECK(mc > mf);
    // ... yet raises the probability of a loss; 5 standard errors of the difference of two
    // proportions (treated as independent, which is conservative under common random numbers).
    const double n = 40000;
    const double se = std::sqrt(rf.prob_net_loss * (1 - rf.prob_net_loss) / n +
                                rc.prob_net_loss * (1 - rc.prob_net_loss) / n);
    CHECK(rc.prob_net_loss - rf.prob_net_loss > 5 * se);
}

TEST_CASE("the article's rate claim: the cheapest tier does worse than a mid tier") {
    using namespace offroi;
    scenario cheap = default_scenario();
    auto& c = cheap.find("offshore_team");
    c.hourly_rate_usd = pert_distribution(15, 20, 28);
    c.vetting_rigor = pert_distribution(0.1, 0.3, 0.5);
    c.review_strength = pert_distribution(0.1, 0.3, 0.5);
    scenario mid = default_scenario();
    auto& m = mid.find("offshore_team");
    m.hourly_rate_usd = pert_distribution(35, 45, 60);
    simulate_options o{.trials = 40000};
    const auto rc = simulate(cheap, o).arrangement("offshore_team").output("net_benefit");
    const auto rm = simulate(mid, o).arrangement("offshore_team").output("net_benefit");
    MESSAGE("median net benefit cheapest tier " << rc.percentile(0.5).value << ", mid tier "
                                                << rm.percentile(0.5).value);
    // The distribution-free 95% intervals of the two medians do not overlap.
    CHECK(rc.percentile(0.5).ci.upper < rm.percentile(0.5).ci.lower);
}

TEST_CASE("the article's mid-tier claim: the offshore rate sweep peaks near $50/h, mid-band of $15-150") {
    // Capability follows the rate within the offshore market band ($18-50/h): up to its top a
    // dearer vendor buys less rework and more output; beyond it the rate buys nothing more.
    // $50/h is the geometric middle of the article's $15-150/h band. Paired on common random
    // numbers: the offshore rate is a constant at every step, every other draw is shared.
    using namespace offroi;
    auto net_benefit = [](double rate) {
        scenario s = default_scenario();
        s.find("offshore_team").hourly_rate_usd = constant_distribution(rate);
        simulate_options o{.trials = 20000};
        const auto r = simulate(s, o);
        const auto x = r.run.samples("offshore_team.net_benefit");
        return std::vector<double>(x.begin(), x.end());
    };
    auto paired = [](const std::vector<double>& a, const std::vector<double>& b) {
        double m = 0, m2 = 0;
        for (std::size_t i = 0; i < a.size(); ++i) {
            const double d = a[i] - b[i];
            m += d;
            m2 += d * d;
        }
        const double n = double(a.size());
        m /= n;
        const double se = std::sqrt((m2 / n - m * m) / (n - 1));
        return std::pair{m, se};
    };
    const auto r25 = net_benefit(25), r35 = net_benefit(35), r50 = net_benefit(50), r80 = net_benefit(80);
    for (const auto* lower : {&r25, &r35, &r80}) {
        const auto [diff, se] = paired(r50, *lower);
        MESSAGE("mean net benefit at $50/h minus another rate: " << diff << " (SE " << se << ")");
        CHECK(diff > 5 * se);
    }
}

}  // namespace model_example_test
