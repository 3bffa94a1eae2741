#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "offroi/analysis/analysis_json.hpp"
#include "offroi/analysis/report.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace analysis_report_test {

using namespace offroi;

namespace {

scenario_run run_of(const scenario& s, std::uint64_t trials = 4000, std::uint64_t driver_trials = 0) {
    run_request r;
    r.trials = trials;
    r.seed = 42;
    r.driver_trials = driver_trials;
    return run_scenario(s, r);
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
    return n;
}

// The line of `text` that starts with `start`.
std::string line_starting(const std::string& text, const std::string& start) {
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (l.rfind(start, 0) == 0) return l;
    return {};
}

}  // namespace

TEST_CASE("format_month: within the horizon, beyond it (extrapolated) and never") {
    CHECK(format_month(7, 36) == "m7");
    CHECK(format_month(36, 36) == "m36");
    CHECK(format_month(41.3, 36) == "m41*");
    CHECK(format_month(36.2, 36) == "m37*");  // beyond the horizon is never shown as inside it
    CHECK(format_month(36 + 120 + 1, 36) == "m157*");
    CHECK(format_month(never_month, 36) == "never");
    CHECK(format_month(5000, 36) == "never");  // a median between a month and never
    CHECK(format_month(std::numeric_limits<double>::quiet_NaN(), 36) == "never");
}

TEST_CASE("run report, project framing: every number of the CFO table, the legend and the waterfall") {
    const scenario s = default_scenario();
    const scenario_run r = run_of(s, 4000, 4000);
    std::vector<driver_ranking> drivers{run_drivers(r, "offshore_team")};
    const std::string rep = run_report(s, r, drivers, sampling_method::monte_carlo);
    const arrangement_result& base = r.result.arrangements[0];
    const arrangement_result& off = r.result.arrangement("offshore_team");
    const int h = s.horizon_months;
    CHECK(rep.find("framing: project (deliver a backlog") != std::string::npos);
    CHECK(rep.find("payback") == std::string::npos);

    // Net benefit row.
    const summary& nb = off.output("net_benefit");
    const std::string row = line_starting(rep, "offshore_team ");
    CHECK(row.find(format_usd(nb.percentile(0.1).value)) != std::string::npos);
    CHECK(row.find(format_usd(nb.percentile(0.5).value)) != std::string::npos);
    CHECK(row.find(format_usd(nb.percentile(0.9).value)) != std::string::npos);
    CHECK(row.find(format_usd(nb.mean)) != std::string::npos);
    CHECK(row.find(format_usd(nb.standard_error)) != std::string::npos);
    CHECK(row.find(format_percent(off.prob_net_loss)) != std::string::npos);
    // Its own line: the net saving on spend (median) and the delivery value (mean).
    CHECK(rep.find("  net saving on spend " + format_percent(off.output("net_saving").percentile(0.5).value) +
                   " of local_hiring's spend (median), delivery value " +
                   format_usd(off.output("delivery_value").mean) + " (mean)") != std::string::npos);

    // Spend and timing rows: baseline and alternative. The months are the medians over the
    // trials in which they happen within the horizon (month_outcomes): "never" is a share.
    auto cond_month = [&](const std::string& a, const std::string& field) {
        for (const auto& m : month_outcomes(r.result, a))
            if (m.field == field) return " m" + detail::fmt("%.0f", std::round(m.p50)) + " ";
        return std::string("missing");
    };
    const std::string brow = line_starting(rep, "local_hiring ");
    CHECK(brow.find(format_percent(base.prob_delivered)) != std::string::npos);
    CHECK((brow + " ").find(cond_month("local_hiring", "delivery_month")) != std::string::npos);
    CHECK(brow.find(format_usd(base.output("spend").percentile(0.5).value)) != std::string::npos);
    CHECK(brow.find("*") == std::string::npos);
    std::string trow;
    {
        std::istringstream in(rep);
        for (std::string l; std::getline(in, l);)
            if (l.rfind("offshore_team ", 0) == 0) trow = l;  // the second offshore_team row
    }
    CHECK(trow != row);
    CHECK(trow.find(format_percent(off.prob_delivered)) != std::string::npos);
    CHECK((trow + " ").find(cond_month("offshore_team", "breakeven_month")) != std::string::npos);
    CHECK(trow.find(format_percent(off.prob_breakeven)) != std::string::npos);
    CHECK((trow + " ").find(cond_month("offshore_team", "parity_month")) != std::string::npos);
    CHECK(trow.find(format_percent(off.prob_parity)) != std::string::npos);
    (void)h;
    // The shares not within the horizon: later (extrapolated) / never, per arrangement.
    CHECK(rep.find("  not within 36 months (later, extrapolated at the last month's run rate / never):\n") !=
          std::string::npos);
    for (const auto& m : month_outcomes(r.result, "offshore_team"))
        if (m.prob_within_horizon < 1.0)
            CHECK(rep.find(format_percent(m.prob_beyond_horizon) + " / " + format_percent(m.prob_never)) !=
                  std::string::npos);

    // The legend: break-even is cash with the cost of delay, parity the trailing-year unit cost.
    CHECK(rep.find("break-even      cash: first month from which the cumulative discounted net benefit stays >= 0, "
                   "cost of delay included") != std::string::npos);
    CHECK(rep.find("trailing-year cost per useful engineer-month") != std::string::npos);
    CHECK(rep.find("Smite & van Solingen's 'true hourly cost'") != std::string::npos);
    CHECK(rep.find("delivery value  ") != std::string::npos);

    // The waterfall: the eight bars in order, a rule, then the net benefit; they add up.
    CHECK(rep.find("project framing; the bars add up to the net benefit") != std::string::npos);
    REQUIRE(off.breakdown.size() == waterfall_bars.size() + 1);
    std::size_t at = rep.find("Where the net benefit comes from");
    double sum = 0;
    for (std::size_t i = 0; i < waterfall_bars.size(); ++i) {
        CHECK(off.breakdown[i].output == waterfall_bars[i].first);
        const std::size_t p = rep.find("\n" + std::string(waterfall_bars[i].second) + " ", at);
        REQUIRE(p != std::string::npos);
        CHECK(line_starting(rep.substr(p + 1), std::string(waterfall_bars[i].second))
                  .find(format_usd(off.breakdown[i].mean_usd)) != std::string::npos);
        at = p + 1;
        sum += off.breakdown[i].mean_usd;
    }
    CHECK(sum == doctest::Approx(nb.mean).epsilon(1e-9));
    CHECK(rep.find("-----\nnet benefit ", at) != std::string::npos);
    CHECK(line_starting(rep.substr(at), "net benefit ").find(format_usd(nb.mean)) != std::string::npos);

    // Drivers, labelled with the measure.
    CHECK(rep.find("Top drivers of offshore_team.net_benefit, by |SRRC|") != std::string::npos);
    CHECK(rep.find("signed standardized rank regression coefficient") != std::string::npos);
}

TEST_CASE("run report: months not within the horizon are shares, never mixed into a month") {
    scenario s = default_scenario();
    s.horizon_months = 12;  // the backlog cannot be delivered in a year
    const scenario_run r = run_of(s, 2000);
    const std::string rep = run_report(s, r, {}, sampling_method::monte_carlo);
    const double d = r.result.arrangements[0].output("delivery_month").percentile(0.5).value;
    REQUIRE(d > 12);
    // No trial delivers within 12 months: 0.0% and no month, rather than an extrapolated median.
    const std::string brow = line_starting(rep, "local_hiring ");
    CHECK(brow.find("0.0%") != std::string::npos);
    CHECK(brow.find(format_month(d, 12)) == std::string::npos);
    CHECK(rep.find("not within 12 months (later, extrapolated at the last month's run rate / never):") !=
          std::string::npos);
    CHECK(rep.find("delivery 100.0% / 0.0%") != std::string::npos);  // all later, none never
    CHECK(rep.find("in 12 m") != std::string::npos);
}

TEST_CASE("run report: recorded driver trials too few to rank are named, not dropped silently") {
    const scenario s = default_scenario();
    const scenario_run few = run_of(s, 30, 20000);  // recorded: capped at the 30 trials run
    const std::size_t k = few.input_names.size();
    REQUIRE(k + 2 > 30);
    const std::string rep = run_report(s, few, {}, sampling_method::monte_carlo);
    CHECK(rep.find("Drivers not ranked: 30 recorded trials; ranking " + std::to_string(k) +
                   " inputs needs at least " + std::to_string(k + 2)) != std::string::npos);
    // None recorded (driver_trials 0): nothing was asked for, nothing to explain.
    CHECK(count(run_report(s, run_of(s, 30, 0), {}, sampling_method::monte_carlo), "Drivers not ranked") == 0);
    // Enough recorded: the drivers are ranked and no note appears.
    const scenario_run enough = run_of(s, 2000, 2000);
    const std::string ranked = run_report(s, enough, {run_drivers(enough, "offshore_team")}, sampling_method::monte_carlo);
    CHECK(count(ranked, "Top drivers of offshore_team.net_benefit") == 1);
    CHECK(count(ranked, "Drivers not ranked") == 0);
}

TEST_CASE("run report, capacity framing: no delivery, output value, break-even at equal output") {
    scenario s = default_scenario();
    s.frame = framing::capacity;
    const scenario_run r = run_of(s, 2000);
    const std::string rep = run_report(s, r, {}, sampling_method::monte_carlo);
    CHECK(rep.find("framing: capacity (an ongoing team") != std::string::npos);
    const std::string brow = line_starting(rep, "local_hiring ");
    CHECK(count(brow, "n/a") == 2);
    CHECK(rep.find("output value") != std::string::npos);
    CHECK(rep.find("net saving on spend") == std::string::npos);
    CHECK(rep.find("cost of delay included") == std::string::npos);
    CHECK(rep.find("stays >= 0, at equal useful output") != std::string::npos);
    CHECK(rep.find("capacity framing; the bars add up to the net benefit") != std::string::npos);
}

TEST_CASE("run JSON: the framing and horizon the probabilities refer to") {
    scenario s = default_scenario();
    const scenario_run r = run_of(s, 2000);
    nlohmann::json j = run_to_json(s, r, {});
    CHECK(j["framing"] == "project");
    CHECK(j["horizon_months"] == s.horizon_months);
    CHECK(j["never_month"] == never_month);
    CHECK(j["drivers"].empty());
    const auto& off = j["arrangements"][1];
    CHECK(off["prob_delivered"].get<double>() == r.result.arrangements[1].prob_delivered);
    CHECK(off["prob_breakeven"].get<double>() == r.result.arrangements[1].prob_breakeven);
    CHECK(off["prob_parity"].get<double>() == r.result.arrangements[1].prob_parity);
    REQUIRE(off["breakdown"].size() == waterfall_bars.size() + 1);
    CHECK(off["breakdown"][0]["output"] == "nb_rate_gap");
    CHECK(off["breakdown"][8]["output"] == "net_benefit");
    s.frame = framing::capacity;
    CHECK(run_to_json(s, run_of(s, 2000), {})["framing"] == "capacity");
}

TEST_CASE("sweep and comparison reports follow the framing and mark the best step") {
    sweep_options o;
    o.input = "offshore_team.hourly_rate_usd";
    o.values = {15, 45, 150};
    o.run.trials = 2000;
    const sweep_result w = sweep(default_scenario(), o);
    const std::string rep = sweep_report(w);
    CHECK(rep.find("framing: project") != std::string::npos);
    CHECK(count(rep, "<- best mean") == 1);
    const std::string best = line_starting(rep, detail::pad(detail::fmt("%g", w.steps[w.best_mean_step[0]].value), 12));
    CHECK(best.find("<- best mean") != std::string::npos);
    const auto& p = w.steps[0].alternatives[0];
    const std::string first = line_starting(rep, detail::pad("15", 12));
    CHECK(first.find(format_percent(p.prob_delivered)) != std::string::npos);
    CHECK(first.find(" " + format_month(p.breakeven_p50, w.horizon_months) + " ") != std::string::npos);
    CHECK(first.find(format_percent(p.prob_breakeven)) != std::string::npos);
    CHECK(rep.find("local_hiring delivers within 36 months in " + format_percent(w.steps[0].baseline_prob_delivered)) !=
          std::string::npos);
    const nlohmann::json j = to_json(w);
    CHECK(j["best_mean_value"]["offshore_team"] == w.steps[w.best_mean_step[0]].value);
    CHECK(j["steps"][0]["alternatives"][0]["prob_delivered"].get<double>() == p.prob_delivered);

    compare_options c;
    c.run.trials = 2000;
    const comparison_result cr = compare(default_scenario(), c);
    const std::string crep = comparison_report(cr);
    CHECK(crep.find("framing: project") != std::string::npos);
    CHECK(crep.find("local_hiring vs offshore_team") != std::string::npos);
    CHECK(to_json(cr)["framing"] == "project");
}

}  // namespace analysis_report_test
