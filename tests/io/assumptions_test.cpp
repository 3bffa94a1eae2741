// Assumption tables (issue 13 item 2; docs/scenario-format.md §9): CSV parsing (quotes,
// CRLF, BOM, ';' separators, comments), every family from its table columns, strict messages
// naming the file, the row, the column and what is allowed, the unit check, the range check
// of a field, and the template round trip (every input of every bundled preset reads back
// bit for bit).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "offroi/io/assumptions.hpp"
#include "offroi/io/scenario_json.hpp"
#include "offroi/model/input_info.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace io_assumptions_test {

using namespace offroi;

namespace {

std::string error_of(const std::string& csv, scenario s = default_scenario()) {
    try {
        apply_assumptions(s, parse_assumptions_csv(csv, "a.csv"));
    } catch (const invalid_scenario& e) {
        return e.what();
    }
    return "(no error)";
}

template <class T>
const T& as(const distribution& d) {
    const T* p = d.get_if<T>();
    REQUIRE(p != nullptr);
    return *p;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("input_info lists every field in the model's order") {
    REQUIRE(scenario_input_info.size() == scenario_fields.size());
    REQUIRE(arrangement_input_info.size() == arrangement_fields.size());
    for (std::size_t i = 0; i < scenario_fields.size(); ++i) CHECK(scenario_input_info[i].field == scenario_fields[i].name);
    for (std::size_t i = 0; i < arrangement_fields.size(); ++i)
        CHECK(arrangement_input_info[i].field == arrangement_fields[i].name);
}

TEST_CASE("a CSV table overrides inputs by name, in every family's columns") {
    const std::string csv =
        "\xEF\xBB\xBFName,Distribution,value,min,mode,max,p10,p90,lambda,alpha,beta,lower,upper,mu,sigma,unit,source\r\n"
        "backlog_engineer_months,pert,,90,130,210,,,,,,,,,,engineer-months,\"team estimate, March\"\r\n"
        "# a comment row\r\n"
        "\r\n"
        "offshore_team.hourly_rate_usd,triangular,,,33,,25,45,,,,,,,,USD/h,vendor quotes\r\n"
        "offshore_team.annual_attrition,pert,,10%,18%,30%,,,3,,,,,,,share/year,\r\n"
        "cost_of_delay_per_month_usd,lognormal,,,,,50000,200000,,,,,,,,$/month,\r\n"
        "local_hiring.headcount,,12,,,,,,,,,,,,,,\r\n"
        "offshore_team.capability_premium,uniform,,-0.2,,0.1,,,,,,,,,,,\r\n"
        "offshore_team.vetting_rigor,beta,,,,,,,,2,3,0.2,0.9,,,,\r\n"
        "offshore_team.exit_cost_usd,lognormal,,,,,,,,,,,,10,0.5,USD,\r\n";
    scenario s = default_scenario();
    const auto t = parse_assumptions_csv(csv, "a.csv");
    CHECK(t.columns.front() == "name");  // BOM skipped, names lower-cased
    const auto rows = read_assumptions(t, s);
    REQUIRE(rows.size() == 8);
    CHECK(rows[0].row == 2);
    CHECK(rows[1].row == 5);  // comment and blank rows keep the spreadsheet's numbering
    CHECK(rows[0].source == "team estimate, March");
    apply_assumptions(s, rows, "a.csv");
    const auto& pert = as<pert_distribution>(s.backlog_engineer_months);
    CHECK(pert.min() == 90);
    CHECK(pert.mode() == 130);
    CHECK(pert.max() == 210);
    const auto& attr = as<pert_distribution>(s.find("offshore_team").annual_attrition);
    CHECK(attr.min() == doctest::Approx(0.10).epsilon(1e-15));
    CHECK(attr.lambda() == 3);
    // P10/P90 stated: the fitted distribution has those percentiles.
    CHECK(quantile(s.find("offshore_team").hourly_rate_usd, 0.10) == doctest::Approx(25).epsilon(1e-9));
    CHECK(quantile(s.find("offshore_team").hourly_rate_usd, 0.90) == doctest::Approx(45).epsilon(1e-9));
    CHECK(quantile(s.cost_of_delay_per_month_usd, 0.90) == doctest::Approx(200000).epsilon(1e-9));
    CHECK(as<constant_distribution>(s.find("local_hiring").headcount).value() == 12);
    const auto& u = as<uniform_distribution>(s.find("offshore_team").capability_premium);
    CHECK(u.lower() == -0.2);
    CHECK(u.upper() == 0.1);
    const auto& b = as<beta_distribution>(s.find("offshore_team").vetting_rigor);
    CHECK(b.alpha() == 2);
    CHECK(b.upper() == 0.9);
    CHECK(as<lognormal_distribution>(s.find("offshore_team").exit_cost_usd).mu() == 10);
}

TEST_CASE("semicolon- and tab-separated tables, quoted cells with line breaks") {
    scenario s = default_scenario();
    apply_assumptions(s, parse_assumptions_csv("name;distribution;value;source\n"
                                               "local_hiring.headcount;constant;8;\"two\nlines; quoted\"\n"
                                               "offshore_team.headcount;;9;\n",
                                               "semi.csv"));
    CHECK(as<constant_distribution>(s.find("local_hiring").headcount).value() == 8);
    CHECK(as<constant_distribution>(s.find("offshore_team").headcount).value() == 9);
    apply_assumptions(s, parse_assumptions_csv("name\tdistribution\tvalue\nlocal_hiring.headcount\tconstant\t7\n", "t.tsv"));
    CHECK(as<constant_distribution>(s.find("local_hiring").headcount).value() == 7);
}

TEST_CASE("messages name the file, the row, the column and what is allowed") {
    // An unknown input, with a suggestion.
    std::string m = error_of("name,distribution,value\noffshore_team.hourly_rate,constant,30\n");
    CHECK(contains(m, "a.csv, row 2 (offshore_team.hourly_rate), column name (A)"));
    CHECK(contains(m, "did you mean \"offshore_team.hourly_rate_usd\""));
    // An unknown arrangement.
    m = error_of("name,distribution,value\nvendor.headcount,constant,3\n");
    CHECK(contains(m, "row 2 (vendor.headcount), column name (A)"));
    CHECK(contains(m, "offshore_team"));
    // An unknown family.
    m = error_of("name,distribution,min,mode,max\nbacklog_engineer_months,prt,1,2,3\n");
    CHECK(contains(m, "row 2 (backlog_engineer_months), column distribution (B): \"prt\" is invalid; did you mean \"pert\"?"));
    // A bad number.
    m = error_of("name,distribution,min,mode,max\nbacklog_engineer_months,pert,100,\"1,400\",200\n");
    CHECK(contains(m, "column mode (D): \"1,400\" is invalid; must be a number"));
    // A constructor's rule, mapped to the column.
    m = error_of("name,distribution,min,mode,max\nbacklog_engineer_months,pert,100,300,200\n");
    CHECK(contains(m, "row 2 (backlog_engineer_months), column mode (D): 300 is invalid"));
    // A parameter the family does not take.
    m = error_of("name,distribution,min,mode,max,sigma\nbacklog_engineer_months,pert,100,140,200,3\n");
    CHECK(contains(m, "row 2 (backlog_engineer_months), column sigma (F)"));
    // Out of the field's range over the whole support.
    m = error_of("name,distribution,min,mode,max\noffshore_team.annual_attrition,pert,0.5,0.9,1.2\n");
    CHECK(contains(m, "a.csv, row 2 (offshore_team.annual_attrition): "));
    CHECK(contains(m, "must be in [0, 0.999]"));
    // Units.
    m = error_of("name,distribution,value,unit\noffshore_team.hourly_rate_usd,constant,300,USD/day\n");
    CHECK(contains(m, "column unit (D): \"USD/day\" is invalid; the input is measured in USD/hour"));
    // Header problems.
    m = error_of("name,distrib,value\nlocal_hiring.headcount,constant,3\n");
    CHECK(contains(m, "a.csv, row 1, column B: unknown column \"distrib\" is invalid; did you mean \"distribution\"?"));
    m = error_of("name,value\nlocal_hiring.headcount,3\n");
    CHECK(contains(m, "without the column \"distribution\""));
    // Duplicates, too many cells, an empty distribution with several parameters.
    m = error_of("name,distribution,value\nlocal_hiring.headcount,constant,3\nlocal_hiring.headcount,constant,4\n");
    CHECK(contains(m, "row 3 (local_hiring.headcount), column name (A): a second row for local_hiring.headcount is invalid; each input appears once (first in row 2)"));
    m = error_of("name,distribution,value\nlocal_hiring.headcount,constant,3,4\n");
    CHECK(contains(m, "a.csv, row 2: a row of 4 cells is invalid; rows have at most as many cells as the header (3)"));
    m = error_of("name,distribution,min,max\nlocal_hiring.headcount,,3,4\n");
    CHECK(contains(m, "column distribution (B): an empty cell is invalid"));
    m = error_of("name,distribution,value\n\"local_hiring.headcount,constant,3\n");
    CHECK(contains(m, "a.csv, line 2: a quoted cell that never ends is invalid"));
    // Ill-formed UTF-8 in a cell (found by the fuzzer): the message stays UTF-8.
    m = error_of("name,distribution,min,mode,max\noffshore_team.annual_attrition,pert,0.5\xAE,0.9,1.2\n");
    CHECK(contains(m, "column min (C): \"0.5"));
    CHECK(m.find('\xAE') == std::string::npos);
    // A whole-scenario rule after the rows are set: the market band must stay a band.
    m = error_of("name,distribution,value\noffshore_team.market_rate_low_usd,constant,60\n");
    CHECK(contains(m, "a.csv (after setting its inputs): alternatives[0].market_rate_high_usd"));
    // The scenario is unchanged by a table that fails.
    scenario s = default_scenario();
    const std::string before = to_json(s).dump();
    (void)error_of("name,distribution,value\nlocal_hiring.headcount,constant,3\nlocal_hiring.headcountt,constant,4\n", s);
    CHECK(to_json(s).dump() == before);
}

TEST_CASE("formula-looking text cells are escaped on write and read back") {
    assumption_table t;
    t.columns = {"name", "distribution", "value", "source"};
    t.rows = {{"local_hiring.headcount", "constant", "3", "=HYPERLINK(\"x\")"}};
    const std::string csv = assumptions_to_csv(t);
    CHECK(contains(csv, "\"'=HYPERLINK(\"\"x\"\")\""));
    scenario s = default_scenario();
    const auto rows = read_assumptions(parse_assumptions_csv(csv), s);
    CHECK(rows[0].source == "=HYPERLINK(\"x\")");
}

TEST_CASE("the template lists every input with unit and source, and reads back bit for bit") {
    scenario s = default_scenario();
    // Every preset, and inputs in forms the template must carry: stated percentiles,
    // non-default lambda, a beta, a discrete, an empirical, a metalog.
    for (auto m : {sourcing_model::nearshore, sourcing_model::staff_augmentation, sourcing_model::outsourcing,
                   sourcing_model::hybrid})
        s.alternatives.push_back(preset(m));
    s.find("nearshore").vetting_rigor = beta_distribution(2, 3, 0.1, 0.9);
    s.find("nearshore").headcount = discrete_distribution({8, 10, 12}, {0.25, 0.5, 0.25});
    s.find("hybrid").ramp_up_months = empirical_distribution({2, 3, 5, 8});
    s.find("hybrid").overlap_hours = pert_distribution(2, 4, 8, 6);
    s.cost_of_delay_per_month_usd = metalog_distribution::fit({{0.1, 5e4}, {0.5, 1e5}, {0.9, 3e5}}, 3, {0, 1e7});
    const assumption_table t = assumptions_template(s);
    CHECK(t.rows.size() == scenario_fields.size() + 6 * arrangement_fields.size());
    CHECK(t.columns.front() == "name");
    CHECK(t.columns.back() == "source");
    const std::string csv = assumptions_to_csv(t);
    CHECK(contains(csv, "offshore_team.hourly_rate_usd,pert,,22,35,50,"));
    CHECK(contains(csv, "cost_of_delay_per_month_usd,metalog,"));
    CHECK(contains(csv, "preset offshore_team: trade surveys") == false);  // the source is the field's text
    CHECK(contains(csv, "preset offshore_team: in-house: US engineer pay"));
    CHECK(contains(csv, "nearshore.vetting_rigor,beta,"));
    CHECK(contains(csv, "set by the scenario"));
    CHECK(contains(csv, "local_hiring.time_to_fill_months,lognormal,,,,,1.3,3,"));
    scenario back = default_scenario();
    for (auto m : {sourcing_model::nearshore, sourcing_model::staff_augmentation, sourcing_model::outsourcing,
                   sourcing_model::hybrid})
        back.alternatives.push_back(preset(m));
    apply_assumptions(back, parse_assumptions_csv(csv, "template.csv"));
    CHECK(to_json(back, field_style::complete).dump() == to_json(s, field_style::complete).dump());
}

TEST_CASE("a missing file and a directory are refused with the file's name") {
    CHECK_THROWS_WITH_AS(load_assumptions_csv("/nonexistent/a.csv"),
                         "/nonexistent/a.csv: cannot open the assumptions table file for reading (no such file)",
                         invalid_scenario);
    CHECK_THROWS_WITH_AS(load_assumptions_csv("/tmp"),
                         "/tmp: a directory is invalid; an assumptions table must be a regular file", invalid_scenario);
}

}  // namespace io_assumptions_test
