// The claims of the benchmark scenarios of bench/scenarios/ (README.md there gives each claim,
// its sources and the measured numbers), one test case per scenario, each at the file's own
// seed and trials.
//
// Tolerances come from standard errors, not from fixed margins: where two arrangements are
// compared, the difference is taken trial by trial (the arrangements share the scenario-level
// draws and the baseline: common random numbers) and its standard error is that of the
// paired differences; a median's error comes from batch medians. An effect is accepted when
// it exceeds 4 standard errors; a band claim holds when the estimate is 4 standard errors
// inside the band. Every check can fail: each one pins a direction or a band that a change of
// the model's mechanism or presets could reverse, and the README's numbers with it.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "offroi/io/scenario_json.hpp"
#include "offroi/model/simulate.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace model_scenarios_test {

using namespace offroi;

namespace {

const std::filesystem::path dir = std::filesystem::path(OFFROI_SOURCE_DIR) / "bench" / "scenarios";

// An estimate and its standard error.
struct estimate {
    double value = 0;
    double se = 0;
};

std::ostream& operator<<(std::ostream& os, const estimate& e) { return os << e.value << " (SE " << e.se << ")"; }

// Mean and standard error of f(t) over the trials.
estimate mean_of(std::size_t n, const std::function<double(std::size_t)>& f) {
    double sum = 0, sum2 = 0;
    for (std::size_t t = 0; t < n; ++t) {
        const double x = f(t);
        sum += x;
        sum2 += x * x;
    }
    const double m = sum / double(n);
    const double var = std::max(0.0, (sum2 / double(n) - m * m) * double(n) / double(n - 1));
    return {m, std::sqrt(var / double(n))};
}

// Paired mean difference a - b.
estimate mean_difference(std::span<const double> a, std::span<const double> b) {
    REQUIRE(a.size() == b.size());
    return mean_of(a.size(), [&](std::size_t t) { return a[t] - b[t]; });
}

// Paired difference of the probabilities of a net loss, P(a < 0) - P(b < 0).
estimate loss_difference(std::span<const double> a, std::span<const double> b) {
    REQUIRE(a.size() == b.size());
    return mean_of(a.size(), [&](std::size_t t) { return double(a[t] < 0) - double(b[t] < 0); });
}

// Share of trials with pred true, and its binomial standard error.
estimate share(std::span<const double> x, const std::function<bool(double)>& pred) {
    return mean_of(x.size(), [&](std::size_t t) { return pred(x[t]) ? 1.0 : 0.0; });
}

double median_of(std::vector<double> v) {
    const std::size_t m = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(m), v.end());
    return v[m];
}

// Median of a (b empty) or difference of the medians of a and b, with a standard error by
// batch medians: the trials split into 40 consecutive batches (independent: each trial has
// its own counter-based draws); pairing within a batch keeps the common random numbers.
estimate median_difference(std::span<const double> a, std::span<const double> b = {}) {
    constexpr std::size_t batches = 40;
    const std::size_t m = a.size() / batches;
    std::vector<double> d(batches);
    for (std::size_t k = 0; k < batches; ++k) {
        const auto first = a.begin() + std::ptrdiff_t(k * m);
        d[k] = median_of({first, first + std::ptrdiff_t(m)});
        if (!b.empty()) {
            const auto fb = b.begin() + std::ptrdiff_t(k * m);
            d[k] -= median_of({fb, fb + std::ptrdiff_t(m)});
        }
    }
    const double whole = median_of({a.begin(), a.end()}) - (b.empty() ? 0.0 : median_of({b.begin(), b.end()}));
    double mean_b = 0, var_b = 0;
    for (double v : d) mean_b += v / batches;
    for (double v : d) var_b += (v - mean_b) * (v - mean_b) / (batches - 1);
    return {whole, std::sqrt(var_b / batches)};
}

// Effect exceeds k standard errors above zero.
bool above(const estimate& e, double bound = 0.0, double k = 4.0) { return e.value - k * e.se > bound; }
bool below(const estimate& e, double bound = 0.0, double k = 4.0) { return e.value + k * e.se < bound; }

scenario_result run(const scenario& s, std::uint64_t trials = 0) {
    simulate_options o;
    o.trials = trials;
    auto r = simulate(s, o);
    REQUIRE(r.run.samples_kept());
    return r;
}

std::span<const double> col(const scenario_result& r, const std::string& arrangement, const std::string& field) {
    return r.run.samples(arrangement + "." + field);
}

double bar(const scenario_result& r, const std::string& arrangement, const std::string& field) {
    return r.arrangement(arrangement).output(field).mean;
}

estimate bar_est(const scenario_result& r, const std::string& arrangement, const std::string& field) {
    const auto& s = r.arrangement(arrangement).output(field);
    return {s.mean, s.standard_error};
}

}  // namespace

TEST_CASE("default-offshore-team: gross rate saving in the 40-70% band, net saving far below it") {
    const scenario s = load_scenario(dir / "default-offshore-team.json");
    const auto r = run(s);
    const auto gross = median_difference(col(r, "offshore_team", "gross_rate_saving"));
    const auto net = median_difference(col(r, "offshore_team", "net_saving"));
    const auto gap = mean_difference(col(r, "offshore_team", "gross_rate_saving"), col(r, "offshore_team", "net_saving"));
    MESSAGE("median gross rate saving " << gross << ", median net saving " << net << ", mean gap " << gap);
    CHECK(above(gross, 0.40));
    CHECK(below(gross, 0.70));
    CHECK(above(gap, 0.20));  // hidden costs take more than 20 points of the rate saving
}

TEST_CASE("nearshore-vs-offshore-realtime: the nearshore team's overlap pays for its rate on real-time work") {
    const scenario s = load_scenario(dir / "nearshore-vs-offshore-realtime.json");
    const auto r = run(s);
    const auto nb_near = col(r, "nearshore_team", "net_benefit"), nb_off = col(r, "offshore_team", "net_benefit");
    const auto d_mean = mean_difference(nb_near, nb_off);
    const auto d_loss = loss_difference(nb_near, nb_off);
    const auto d_deliv = mean_difference(col(r, "nearshore_team", "delivered"), col(r, "offshore_team", "delivered"));
    const auto d_month = mean_difference(col(r, "nearshore_team", "delivery_month"), col(r, "offshore_team", "delivery_month"));
    MESSAGE("mean net benefit nearshore - offshore " << d_mean << "; P(loss) nearshore - offshore " << d_loss
                                                     << "; P(delivered) nearshore - offshore " << d_deliv
                                                     << "; delivery month nearshore - offshore " << d_month);
    MESSAGE("P(delivered): local " << r.arrangement("local_hiring").prob_delivered << ", nearshore "
                                   << r.arrangement("nearshore_team").prob_delivered << ", offshore "
                                   << r.arrangement("offshore_team").prob_delivered);
    // The nearshore team comes out ahead on the mean net benefit and delivers earlier and
    // more often within the horizon: its overlap saves coordination (the delivery bar).
    CHECK(above(d_mean));
    CHECK(above(d_deliv));
    CHECK(below(d_month));
    CHECK(above(mean_difference(col(r, "nearshore_team", "nb_delivery"), col(r, "offshore_team", "nb_delivery"))));
    // The offshore team keeps the larger rate gap: the ranking is a balance, not a rout.
    CHECK(above(mean_difference(col(r, "offshore_team", "nb_rate_gap"), col(r, "nearshore_team", "nb_rate_gap"))));
    // The mechanism behind the ranking: more synchronous work widens the nearshore team's
    // lead (same seed and sampled inputs: common random numbers across the two runs).
    scenario less_sync = s;
    less_sync.sync_work_share = pert_distribution(0.15, 0.3, 0.45);
    const auto r2 = run(less_sync);
    const auto d_mean2 = mean_difference(col(r2, "nearshore_team", "net_benefit"), col(r2, "offshore_team", "net_benefit"));
    const auto near2 = col(r2, "nearshore_team", "net_benefit"), off2 = col(r2, "offshore_team", "net_benefit");
    const auto widen =
        mean_of(nb_near.size(), [&](std::size_t t) { return (nb_near[t] - nb_off[t]) - (near2[t] - off2[t]); });
    MESSAGE("with half the synchronous work (15-30-45%): nearshore - offshore " << d_mean2 << "; widening " << widen);
    CHECK(above(widen));
    CHECK(below(d_mean2));  // at the default's synchronous share the offshore team wins
}

TEST_CASE("staff-augmentation-migration-burst: augmented engineers fill the burst's seats at a lower cost") {
    const scenario s = load_scenario(dir / "staff-augmentation-migration-burst.json");
    const auto r = run(s);
    const auto& sa = r.arrangement("staff_augmentation");
    const auto nb = bar_est(r, "staff_augmentation", "net_benefit");
    const auto loss = share(col(r, "staff_augmentation", "net_benefit"), [](double x) { return x < 0; });
    const auto talent = bar_est(r, "staff_augmentation", "nb_talent");
    const auto delivery = bar_est(r, "staff_augmentation", "nb_delivery");
    const auto d_month = mean_difference(col(r, "staff_augmentation", "delivery_month"), col(r, "local_hiring", "delivery_month"));
    MESSAGE("mean net benefit " << nb << ", P(loss) " << loss << ", talent bar " << talent << ", delivery bar " << delivery
                                << ", delivery month staff aug - local " << d_month);
    MESSAGE("P(delivered within 18 months): local " << r.arrangement("local_hiring").prob_delivered << ", staff aug "
                                                     << sa.prob_delivered);
    CHECK(above(nb));
    CHECK(below(loss, 0.25));
    // Faster seats: the talent-access bar is positive ...
    CHECK(above(talent));
    // ... but the augmented team is not faster overall (documented divergence): coordination
    // at 2-8 h overlap, higher attrition and the transition eat the head start.
    CHECK(below(delivery));
    CHECK(above(d_month, -0.5));
}

TEST_CASE("vendor-tier-cheapest-vs-mid: the mid tier is more cost-efficient than the cheapest tier") {
    const scenario s = load_scenario(dir / "vendor-tier-cheapest-vs-mid.json");
    const auto r = run(s);
    const auto cheap = col(r, "cheapest_vendor", "net_benefit"), mid = col(r, "mid_tier_vendor", "net_benefit"),
               top = col(r, "top_tier_vendor", "net_benefit");
    const auto d_median = median_difference(mid, cheap);
    const auto d_mean = mean_difference(mid, cheap);
    const auto d_loss = loss_difference(cheap, mid);
    MESSAGE("median net benefit mid - cheapest " << d_median << "; mean " << d_mean << "; P(loss) cheapest - mid "
                                                 << d_loss);
    CHECK(above(d_median));
    CHECK(above(d_mean));
    CHECK(above(d_loss));
    // The mechanism: the cheapest tier saves more on the rate card and loses it to rework,
    // escaped defects and the delay they cause.
    CHECK(above(mean_difference(col(r, "cheapest_vendor", "nb_rate_gap"), col(r, "mid_tier_vendor", "nb_rate_gap"))));
    CHECK(above(mean_difference(col(r, "mid_tier_vendor", "nb_quality"), col(r, "cheapest_vendor", "nb_quality"))));
    CHECK(above(mean_difference(col(r, "mid_tier_vendor", "nb_delivery"), col(r, "cheapest_vendor", "nb_delivery"))));
    CHECK(r.arrangement("cheapest_vendor").prob_delivered < r.arrangement("mid_tier_vendor").prob_delivered);
    // Documented divergence from the article's "mid tier is the most cost-efficient": within
    // the band the model's capability keeps rising with the rate, so the top tier does better
    // still.
    const auto d_top = mean_difference(top, mid);
    MESSAGE("mean net benefit top - mid " << d_top);
    CHECK(above(d_top));
}

TEST_CASE("leadership-cut: a 25-40% cut of senior leadership raises P(loss) and lowers the net benefit") {
    const scenario s = load_scenario(dir / "leadership-cut.json");
    const auto r = run(s);
    const auto full = col(r, "full_leadership", "net_benefit"), cut = col(r, "leadership_cut", "net_benefit");
    const auto d_loss = loss_difference(cut, full);
    const auto d_mean = mean_difference(full, cut);
    const double p_full = r.arrangement("full_leadership").prob_net_loss, p_cut = r.arrangement("leadership_cut").prob_net_loss;
    MESSAGE("P(loss): full " << p_full << ", cut " << p_cut << ", difference " << d_loss << "; mean net benefit full - cut "
                             << d_mean << " (means " << bar(r, "full_leadership", "net_benefit") << ", "
                             << bar(r, "leadership_cut", "net_benefit") << ")");
    CHECK(d_loss.value == doctest::Approx(p_cut - p_full).epsilon(1e-12));
    // Materially: at least 3 points of P(loss) and $150k of mean net benefit, beyond 4 SE.
    CHECK(above(d_loss, 0.03));
    CHECK(above(d_mean, 150e3));
    // The cut does lower the management bill, as the article says; the loss comes from
    // rework, coordination (delivery) and risk.
    CHECK(above(mean_difference(col(r, "leadership_cut", "nb_management"), col(r, "full_leadership", "nb_management"))));
    CHECK(above(mean_difference(col(r, "full_leadership", "nb_quality"), col(r, "leadership_cut", "nb_quality"))));
    CHECK(above(mean_difference(col(r, "full_leadership", "nb_delivery"), col(r, "leadership_cut", "nb_delivery"))));
    CHECK(above(mean_difference(col(r, "full_leadership", "nb_risk"), col(r, "leadership_cut", "nb_risk")), 0.0, 3.0));
}

TEST_CASE("follow-the-sun-handoffs: follow-the-sun pays only with efficient handoffs") {
    const scenario s = load_scenario(dir / "follow-the-sun-handoffs.json");
    const auto r = run(s);
    const auto good = col(r, "good_handoffs", "net_benefit"), poor = col(r, "poor_handoffs", "net_benefit"),
               none = col(r, "no_follow_the_sun", "net_benefit");
    const auto good_vs_poor = mean_difference(good, poor);
    const auto good_vs_none = mean_difference(good, none);
    const auto none_vs_poor = mean_difference(none, poor);
    const auto month_good_none =
        mean_difference(col(r, "good_handoffs", "delivery_month"), col(r, "no_follow_the_sun", "delivery_month"));
    const auto month_poor_good =
        mean_difference(col(r, "poor_handoffs", "delivery_month"), col(r, "good_handoffs", "delivery_month"));
    MESSAGE("mean net benefit good - poor " << good_vs_poor << ", good - none " << good_vs_none << ", none - poor "
                                            << none_vs_poor);
    MESSAGE("delivery month good - none " << month_good_none << ", poor - good " << month_poor_good);
    CHECK(above(good_vs_poor));
    CHECK(above(good_vs_none));  // pays with good handoffs ...
    CHECK(above(none_vs_poor));  // ... and costs with poor ones
    CHECK(above(loss_difference(poor, good)));
    // Through the delivery date: good handoffs compress the binding critical path and deliver
    // earlier than the same team without follow-the-sun (which only the compression can do:
    // handoffs add effort), poor handoffs deliver later than good ones.
    CHECK(below(month_good_none));
    CHECK(above(month_poor_good));
    // Without a binding critical path the compression is worth nothing and good handoffs only
    // add effort: follow-the-sun no longer pays.
    scenario free = s;
    free.critical_path_months = constant_distribution(0);
    const auto rf = run(free);
    const auto free_good_vs_none = mean_difference(col(rf, "good_handoffs", "net_benefit"), col(rf, "no_follow_the_sun", "net_benefit"));
    MESSAGE("no critical path: mean net benefit good - none " << free_good_vs_none);
    CHECK(below(free_good_vs_none));
}

TEST_CASE("outsourcing-fixed-scope: saves on the median, but a net loss is likely") {
    const scenario s = load_scenario(dir / "outsourcing-fixed-scope.json");
    REQUIRE(s.alternatives[0].contract == contract_type::fixed_price);
    const auto r = run(s);
    const auto nb = col(r, "outsourced_scope", "net_benefit");
    const auto median = median_difference(nb);
    const auto loss = share(nb, [](double x) { return x < 0; });
    MESSAGE("median net benefit " << median << ", P(loss) " << loss);
    CHECK(above(median));
    CHECK(above(loss, 0.25));  // tens of percent
    // Weak buyer review: the quality bar is the largest loss of the waterfall.
    const auto& bd = r.arrangement("outsourced_scope").breakdown;
    const auto worst = std::min_element(bd.begin(), bd.end() - 1, [](const breakdown_row& a, const breakdown_row& b) {
        return a.mean_usd < b.mean_usd;
    });
    MESSAGE("largest loss bar: " << worst->component << " " << worst->mean_usd);
    CHECK(worst->output == "nb_quality");
    // The contract on identical draws (the contract is not sampled): the fixed price shifts
    // the vendor's overrun on the specified scope to the vendor, which the buyer gains from
    // even after the risk premium.
    scenario tm = s;
    tm.alternatives[0].contract = contract_type::time_and_materials;
    const auto rt = run(tm);
    const auto fp_vs_tm = mean_difference(nb, col(rt, "outsourced_scope", "net_benefit"));
    MESSAGE("mean net benefit fixed price - time and materials " << fp_vs_tm);
    CHECK(above(fp_vs_tm));
    // Scope growth is paid as change requests at a premium: more growth, less net benefit
    // (constants, so the draws are identical).
    scenario low = s, high = s;
    low.scope_growth = constant_distribution(0.05);
    high.scope_growth = constant_distribution(0.30);
    const auto rl = run(low), rh = run(high);
    const auto growth = mean_difference(col(rl, "outsourced_scope", "net_benefit"), col(rh, "outsourced_scope", "net_benefit"));
    MESSAGE("mean net benefit at 5% minus at 30% scope growth " << growth);
    CHECK(above(growth));
}

TEST_CASE("smite-van-solingen-replication: the stated facts do not reach the paper's parity; the sweep says why") {
    const scenario s = load_scenario(dir / "smite-van-solingen-replication.json");
    const auto r = run(s);
    const auto& off = r.arrangement("invend_offshore");
    const double n = double(r.run.trials());
    const double se_par = std::sqrt(off.prob_parity * (1 - off.prob_parity) / n);
    MESSAGE("P(parity within 84 months) " << off.prob_parity << " (SE " << se_par << "), P(break-even within 84) "
                                          << off.prob_breakeven << ", P(loss) " << off.prob_net_loss
                                          << ", median net saving " << off.output("net_saving").percentile(0.5).value);
    // The documented divergence: the paper saw parity after about 3 years and break-even after
    // about 5; the mechanism, fed the case's facts, reaches parity in fewer than one trial in
    // five within 7 years and almost never breaks even.
    CHECK(off.prob_parity + 4 * se_par < 0.2);
    CHECK(off.prob_breakeven < 0.02);
    CHECK(off.prob_net_loss > 0.95);

    // Which input would have to change. All steps keep the same sampled inputs (the swept
    // input is a constant in every step), so the steps share their draws.
    constexpr std::uint64_t trials = 20000;
    auto parity_at = [&](const std::function<void(scenario&)>& change) {
        scenario t = s;
        change(t);
        const auto rr = run(t, trials);
        const double p = rr.arrangement("invend_offshore").prob_parity;
        return estimate{p, std::sqrt(p * (1 - p) / double(trials))};
    };
    // (1) Vendor attrition alone, from the preset's median 19% down to none.
    std::vector<double> levels = {0.19, 0.12, 0.06, 0.03, 0.0};
    std::vector<estimate> p_attr;
    for (double a : levels)
        p_attr.push_back(parity_at([a](scenario& t) { t.alternatives[0].annual_attrition = constant_distribution(a); }));
    double first_most = -1;
    for (std::size_t i = 0; i < levels.size(); ++i) {
        MESSAGE("vendor attrition " << levels[i] << ": P(parity within 84 months) " << p_attr[i]);
        if (first_most < 0 && above(p_attr[i], 0.5, 2.0)) first_most = levels[i];
    }
    MESSAGE("highest vendor attrition with parity in most trials: "
            << (first_most < 0 ? std::string("none in [0, 19%]") : std::to_string(first_most)));
    for (std::size_t i = 1; i < levels.size(); ++i) CHECK(p_attr[i].value > p_attr[i - 1].value);  // monotone
    // Attrition alone does not get there: even with no attrition parity comes in about one
    // trial in two, not in most.
    CHECK(first_most < 0);
    CHECK(below(p_attr.back(), 0.6));
    CHECK(above(p_attr.back(), 0.4));
    // (2) Capability: a vendor team as capable as the in-house one (capability premium +0.25
    // lifts its tier from about 0.33 to the in-house team's 0.55) gets about half; with the
    // in-house team's attrition as well, most trials reach parity.
    const auto p_cap = parity_at([](scenario& t) { t.alternatives[0].capability_premium = constant_distribution(0.25); });
    const auto p_cap_attr = parity_at([](scenario& t) {
        t.alternatives[0].capability_premium = constant_distribution(0.25);
        t.alternatives[0].annual_attrition = constant_distribution(0.06);
    });
    MESSAGE("capability premium +0.25: " << p_cap << "; and attrition 6%: " << p_cap_attr);
    CHECK(above(p_cap_attr, 0.5));
    CHECK(above(p_cap_attr, p_cap.value));
}

TEST_CASE("ongoing-product-team-capacity: realised net savings near Overby's ~20%, rarely above 40%") {
    const scenario s = load_scenario(dir / "ongoing-product-team-capacity.json");
    REQUIRE(s.frame == framing::capacity);
    const auto r = run(s);
    for (const char* a : {"nearshore_team", "offshore_team"}) {
        const auto ns = col(r, a, "net_saving");
        const auto median = median_difference(ns);
        const auto over40 = share(ns, [](double x) { return x > 0.4; });
        const auto gross = median_difference(col(r, a, "gross_rate_saving"));
        MESSAGE(a << ": median net saving " << median << ", P(net saving > 40%) " << over40 << ", median gross rate saving "
                  << gross << ", P(loss) " << r.arrangement(a).prob_net_loss);
        // Overby 2003: nobody saves the 80% of the rate cards, few even half that; the best
        // realise about 20%.
        CHECK(above(median, 0.0));
        CHECK(below(median, 0.25));
        CHECK(below(over40, 0.10));
        CHECK(above(gross, median.value + 0.3));
    }
    // The ranking: the offshore team's larger rate gap outweighs its slower learning and
    // weaker overlap.
    const auto d = mean_difference(col(r, "offshore_team", "net_benefit"), col(r, "nearshore_team", "net_benefit"));
    const auto rate = mean_difference(col(r, "offshore_team", "nb_rate_gap"), col(r, "nearshore_team", "nb_rate_gap"));
    MESSAGE("mean net benefit offshore - nearshore " << d << "; rate gap bar offshore - nearshore " << rate);
    CHECK(above(d));
    CHECK(above(rate, d.value));
}

}  // namespace model_scenarios_test
