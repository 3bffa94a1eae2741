// Tests of io/result_json.hpp and io/result_csv.hpp on a real simulate() result: every
// number written equals the summary it came from (bit for bit after parsing back), the
// layout is as documented (tidy long CSV, one samples row per trial), CSV quoting works,
// non-finite numbers are null in JSON, and bad requests throw.
#include <doctest/doctest.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "offroi/io/result_csv.hpp"
#include "offroi/io/result_json.hpp"
#include "offroi/model/scenario.hpp"
#include "offroi/model/simulate.hpp"

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
    CHECK(alt["prob_net_loss"].get<double>() == a.prob_net_loss);
    REQUIRE(alt["breakdown"].size() == a.breakdown.size());
    double sum = 0;
    for (std::size_t i = 0; i + 1 < a.breakdown.size(); ++i) sum += alt["breakdown"][i]["mean_usd"].get<double>();
    CHECK(alt["breakdown"].back()["component"] == "net benefit");
    CHECK(sum == doctest::Approx(alt["breakdown"].back()["mean_usd"].get<double>()).epsilon(1e-9));
    // Deterministic text (no timings): the same result dumps to the same bytes, and it
    // parses back to the same numbers.
    CHECK(result_to_json(r).dump() == j.dump());
    CHECK(json::parse(j.dump()) == j);
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
    // 8 fixed statistics, 3 rows per percentile, 2 tail rows per output; per alternative 2
    // comparison rows and one row per breakdown component.
    std::size_t expected = 1;
    for (const auto& a : r.arrangements) {
        for (const auto& o : a.outputs) expected += 8 + 3 * o.stats.percentiles.size() + 2;
        if (!a.is_baseline) expected += 2 + a.breakdown.size();
    }
    CHECK(lines.size() == expected);
    const auto& a = r.arrangement("offshore_team");
    const summary& nb = a.output("net_benefit");
    CHECK(csv_value(lines, "offshore_team,offshore_team,0,net_benefit,p50,") == nb.percentile(0.5).value);
    CHECK(csv_value(lines, "offshore_team,offshore_team,0,net_benefit,p90_ci_upper,") == nb.percentile(0.9).ci.upper);
    CHECK(csv_value(lines, "offshore_team,offshore_team,0,net_benefit,mean,") == nb.mean);
    CHECK(csv_value(lines, "offshore_team,offshore_team,0,comparison,prob_net_loss,") == a.prob_net_loss);
    CHECK(csv_value(lines, "local_hiring,in_house,1,total_cost,count,") == 3000);
    // A component name with a comma is quoted.
    CHECK(csv_value(lines, "offshore_team,offshore_team,0,breakdown,\"quality (rework, escaped defects)\",") ==
          a.breakdown[3].mean_usd);
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
