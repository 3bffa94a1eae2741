// Tests of io/result_json.hpp and io/result_csv.hpp on a real simulate() result (model v2):
// every number written equals the summary it came from (bit for bit after parsing back),
// including P(delivered), P(break-even) and P(parity) in the horizon and the waterfall rows
// {component, output, mean_usd}; the layout is as documented (tidy long CSV, one samples
// row per trial), CSV quoting works, non-finite numbers are null in JSON and "never" months
// are 9999 (valid JSON numbers), and bad requests throw.
#include <doctest/doctest.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "offroi/io/result_csv.hpp"
#include "offroi/io/result_json.hpp"
#include "offroi/model/evaluate.hpp"
#include "offroi/model/scenario.hpp"
#include "offroi/model/simulate.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace io_results_test {

using namespace offroi;
using nlohmann::json;

namespace {

const scenario_result& result() {
    static const scenario_result r = [] {
        simulate_options o;
        o.trials = 3000;
        o.threads = 2;
        return simulate(default_scenario(), o);
    }();
    return r;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> v;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) v.push_back(line);
    return v;
}

double parse_double(std::string_view s) {
    double v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    REQUIRE(r.ec == std::errc());
    REQUIRE(r.ptr == s.data() + s.size());
    return v;
}

// The value of the CSV row that starts with `prefix` (the text after the last comma).
double csv_value(const std::vector<std::string>& lines, const std::string& prefix) {
    for (const auto& l : lines)
        if (l.rfind(prefix, 0) == 0) return parse_double(std::string_view(l).substr(l.rfind(',') + 1));
    FAIL("no row starting with " << prefix);
    return 0;
}

}  // namespace

TEST_CASE("result_to_json: every field equals the summaries") {
    const auto& r = result();
    const json j = result_to_json(r);
    CHECK(j["scenario"] == "offshore team vs local hiring");
    CHECK(j["seed"] == 20240601);
    CHECK(j["trials"] == 3000);
    CHECK(j["cancelled"] == false);
    REQUIRE(j["arrangements"].size() == 2);
    const json& base = j["arrangements"][0];
    CHECK(base["name"] == "local_hiring");
    CHECK(base["is_baseline"] == true);
    CHECK_FALSE(base.contains("breakdown"));
    CHECK_FALSE(base.contains("prob_net_loss"));
    CHECK_FALSE(base.contains("prob_breakeven"));
    CHECK(base.at("prob_delivered").get<double>() == r.arrangements[0].prob_delivered);
    CHECK(base.at("prob_delivered").get<double>() == r.arrangements[0].output("delivered").mean);
    const json& alt = j["arrangements"][1];
    CHECK(alt["model"] == "offshore_team");
    const auto& a = r.arrangement("offshore_team");
    const summary& nb = a.output("net_benefit");
    const json& jn = alt["outputs"]["net_benefit"];
    CHECK(jn["mean"].get<double>() == nb.mean);
    CHECK(jn["standard_error"].get<double>() == nb.standard_error);
    CHECK(jn["count"] == 3000);
    CHECK(jn["exact"] == nb.exact);
    REQUIRE(jn["percentiles"].size() == nb.percentiles.size());
    CHECK(jn["percentiles"][1]["p"] == 0.5);
    CHECK(jn["percentiles"][1]["value"].get<double>() == nb.percentile(0.5).value);
    CHECK(jn["percentiles"][1]["ci"][0].get<double>() == nb.percentile(0.5).ci.lower);
    CHECK(jn["mean_ci"][1].get<double>() == nb.mean_ci.upper);
    CHECK(jn["shortfall_tail"] == "lower");
    CHECK(alt["outputs"]["total_cost"]["shortfall_tail"] == "upper");
    CHECK(alt.at("prob_net_loss").get<double>() == a.prob_net_loss);
    CHECK(alt.at("expected_shortfall_loss").get<double>() == a.expected_shortfall_loss);
    // The in-horizon probabilities of model v2, beside prob_net_loss.
    CHECK(alt.at("prob_delivered").get<double>() == a.prob_delivered);
    CHECK(alt.at("prob_breakeven").get<double>() == a.prob_breakeven);
    CHECK(alt.at("prob_parity").get<double>() == a.prob_parity);
    CHECK(alt.at("prob_breakeven").get<double>() == a.output("breakeven_in_horizon").mean);
    CHECK(alt.at("prob_parity").get<double>() == a.output("parity_in_horizon").mean);
    for (const char* p : {"prob_delivered", "prob_breakeven", "prob_parity", "prob_net_loss"}) {
        CHECK(alt.at(p).get<double>() >= 0);
        CHECK(alt.at(p).get<double>() <= 1);
    }
    // The waterfall: the eight bars in report order, then the net benefit, each row naming
    // its label and its output; the bars add up to the net benefit.
    REQUIRE(alt.at("breakdown").size() == waterfall_bars.size() + 1);
    REQUIRE(alt.at("breakdown").size() == a.breakdown.size());
    double sum = 0;
    for (std::size_t i = 0; i < waterfall_bars.size(); ++i) {
        const json& row = alt.at("breakdown")[i];
        CHECK(row.size() == 3);
        CHECK(row.at("output") == std::string(waterfall_bars[i].first));
        CHECK(row.at("component") == std::string(waterfall_bars[i].second));
        CHECK(row.at("mean_usd").get<double>() == a.output(waterfall_bars[i].first).mean);
        CHECK(row.at("mean_usd").get<double>() == alt["outputs"][row.at("output").get<std::string>()]["mean"].get<double>());
        sum += row.at("mean_usd").get<double>();
    }
    CHECK(alt.at("breakdown").back().at("component") == "net benefit");
    CHECK(alt.at("breakdown").back().at("output") == "net_benefit");
    CHECK(alt.at("breakdown").back().at("mean_usd").get<double>() == nb.mean);
    CHECK(sum == doctest::Approx(nb.mean).epsilon(1e-9));
    // No output of model v1 is written.
    for (const char* gone : {"payback_month", "gross_rate_saving_usd", "direct_cost", "cost_of_delay"})
        for (const auto& arr : j["arrangements"]) CHECK_MESSAGE(!arr["outputs"].contains(gone), gone);
    // Month outputs: "never" is never_month (9999), a finite number, so every month
    // percentile is a JSON number.
    for (const char* month : {"breakeven_month", "parity_month", "delivery_month"}) {
        const json& m = alt.at("outputs").at(month);
        CHECK_MESSAGE(m["max"].is_number(), month);
        CHECK_MESSAGE(m["max"].get<double>() <= never_month, month);
        for (const auto& p : m["percentiles"]) CHECK_MESSAGE(p["value"].is_number(), month);
    }
    // Deterministic text (no timings): the same result dumps to the same bytes, and it
    // parses back to the same numbers (strict JSON: no NaN or Infinity tokens).
    const std::string text = j.dump();
    CHECK(result_to_json(r).dump() == text);
    CHECK(json::parse(text) == j);
    CHECK(text.find("NaN") == std::string::npos);
    CHECK(text.find("Infinity") == std::string::npos);
}

TEST_CASE("result_to_json: never-breaking-even alternatives and non-finite comparison numbers") {
    // An alternative dearer than the baseline on every count never breaks even: its
    // breakeven months include 9999 and P(break-even in horizon) is below 1.
    scenario s = default_scenario();
    arrangement dear = preset(sourcing_model::in_house, "dear_copy");
    dear.hourly_rate_usd = pert_distribution(150, 200, 260);
    s.alternatives.push_back(dear);
    simulate_options o;
    o.trials = 400;
    o.threads = 2;
    const auto r = simulate(s, o);
    const json j = result_to_json(r);
    const json& d = j["arrangements"][2];
    CHECK(d["name"] == "dear_copy");
    CHECK(d["outputs"]["breakeven_month"]["max"].get<double>() == never_month);
    CHECK(d.at("prob_breakeven").get<double>() < 1);
    CHECK(d.at("prob_breakeven").get<double>() == r.arrangement("dear_copy").prob_breakeven);
    // A NaN in a comparison number would be null, never an invalid token.
    scenario_result bad = r;
    bad.arrangements[1].prob_parity = std::numeric_limits<double>::quiet_NaN();
    bad.arrangements[1].expected_shortfall_loss = std::numeric_limits<double>::infinity();
    const json jb = result_to_json(bad);
    CHECK(jb["arrangements"][1].at("prob_parity").is_null());
    CHECK(jb["arrangements"][1].at("expected_shortfall_loss").is_null());
    CHECK(json::parse(jb.dump()) == jb);
}

TEST_CASE("summary_to_json: non-finite numbers are null") {
    summary s;
    s.count = 2;
    s.percentiles.push_back({0.1, 1.0, {-std::numeric_limits<double>::infinity(), 2.0}});
    s.exact = false;
    s.sketch_relative_accuracy = 0.01;
    const json j = summary_to_json(s);
    CHECK(j["percentiles"][0]["ci"][0].is_null());
    CHECK(j["percentiles"][0]["ci"][1] == 2.0);
    CHECK(j["sketch_relative_accuracy"] == 0.01);
}

TEST_CASE("write_result_csv: tidy long form") {
    const auto& r = result();
    std::ostringstream out;
    write_result_csv(out, r);
    const auto lines = lines_of(out.str());
    REQUIRE(!lines.empty());
    CHECK(lines[0] == "arrangement,model,is_baseline,output,statistic,value");
    // 8 fixed statistics, 3 rows per percentile, 2 tail rows per output; one comparison row
    // (prob_delivered) per arrangement, 4 more per alternative and one row per breakdown
    // component.
    std::size_t expected = 1;
    for (const auto& a : r.arrangements) {
        for (const auto& o : a.outputs) expected += 8 + 3 * o.stats.percentiles.size() + 2;
        expected += 1;
        if (!a.is_baseline) expected += 4 + a.breakdown.size();
    }
    CHECK(lines.size() == expected);
    const auto& a = r.arrangement("offshore_team");
    const summary& nb = a.output("net_benefit");
    CHECK(csv_value(lines, "offshore_team,offshore_team,0,net_benefit,p50,") == nb.percentile(0.5).value);
    CHECK(csv_value(lines, "offshore_team,offshore_team,0,net_benefit,p90_ci_upper,") == nb.percentile(0.9).ci.upper);
    CHECK(csv_value(lines, "offshore_team,offshore_team,0,net_benefit,mean,") == nb.mean);
    CHECK(csv_value(lines, "offshore_team,offshore_team,0,comparison,prob_net_loss,") == a.prob_net_loss);
    CHECK(csv_value(lines, "offshore_team,offshore_team,0,comparison,expected_shortfall_loss,") == a.expected_shortfall_loss);
    CHECK(csv_value(lines, "offshore_team,offshore_team,0,comparison,prob_delivered,") == a.prob_delivered);
    CHECK(csv_value(lines, "offshore_team,offshore_team,0,comparison,prob_breakeven,") == a.prob_breakeven);
    CHECK(csv_value(lines, "offshore_team,offshore_team,0,comparison,prob_parity,") == a.prob_parity);
    CHECK(csv_value(lines, "local_hiring,in_house,1,comparison,prob_delivered,") == r.arrangements[0].prob_delivered);
    CHECK(csv_value(lines, "local_hiring,in_house,1,total_cost,count,") == 3000);
    // The baseline has no net-benefit comparison rows.
    for (const auto& l : lines) {
        CHECK_FALSE(l.rfind("local_hiring,in_house,1,comparison,prob_net_loss", 0) == 0);
        CHECK_FALSE(l.rfind("local_hiring,in_house,1,breakdown,", 0) == 0);
    }
    // Breakdown rows: statistic = the bar's output field, in waterfall order, then net_benefit.
    std::vector<std::string> bars;
    for (const auto& l : lines)
        if (l.rfind("offshore_team,offshore_team,0,breakdown,", 0) == 0) bars.push_back(l);
    REQUIRE(bars.size() == waterfall_bars.size() + 1);
    for (std::size_t i = 0; i < waterfall_bars.size(); ++i) {
        const std::string prefix = "offshore_team,offshore_team,0,breakdown," + std::string(waterfall_bars[i].first) + ",";
        CHECK(bars[i].rfind(prefix, 0) == 0);
        CHECK(csv_value(lines, prefix) == a.breakdown[i].mean_usd);
    }
    CHECK(csv_value(lines, "offshore_team,offshore_team,0,breakdown,net_benefit,") == nb.mean);
    CHECK(csv_value(lines, "offshore_team,offshore_team,0,breakeven_month,max,") <= never_month);
    // A field with a comma or a quote is quoted (arrangement names may hold them).
    CHECK(detail::csv_field("say \"hi\", bye") == "\"say \"\"hi\"\", bye\"");
    CHECK(detail::csv_field("plain") == "plain");
}

TEST_CASE("write_samples_csv: one row per trial, values bit for bit") {
    const auto& r = result();
    REQUIRE(r.run.samples_kept());
    std::ostringstream out;
    write_samples_csv(out, r);
    const auto lines = lines_of(out.str());
    REQUIRE(lines.size() == 3001);
    CHECK(lines[0].rfind("trial,local_hiring.", 0) == 0);
    // Row of trial 1234: every column equals the kept sample.
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream row(lines[1235]);
    while (std::getline(row, cell, ',')) cells.push_back(cell);
    REQUIRE(cells.size() == 1 + r.run.n_outputs());
    CHECK(cells[0] == "1234");
    for (std::size_t c = 0; c < r.run.n_outputs(); ++c) CHECK(parse_double(cells[c + 1]) == r.run.samples(c)[1234]);

    std::ostringstream sub;
    write_samples_csv(sub, r, {"offshore_team.net_benefit", "local_hiring.total_cost"});
    const auto sl = lines_of(sub.str());
    CHECK(sl[0] == "trial,offshore_team.net_benefit,local_hiring.total_cost");
    CHECK(sl[3] == "2," + detail::short_number(r.run.samples("offshore_team.net_benefit")[2]) + "," +
                       detail::short_number(r.run.samples("local_hiring.total_cost")[2]));
    CHECK_THROWS_WITH_AS(write_samples_csv(sub, r, {"offshore_team.net_benefits"}),
                         doctest::Contains("no output named 'offshore_team.net_benefits'"), invalid_argument);

    simulate_options o;
    o.trials = 100;
    o.samples = sample_policy::never;
    const auto streamed = simulate(default_scenario(), o);
    CHECK_THROWS_WITH_AS(write_samples_csv(sub, streamed), doctest::Contains("kept no samples"), invalid_argument);
}

}  // namespace io_results_test
