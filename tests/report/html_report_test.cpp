// The HTML report (include/offroi/report/): escaping, nice ticks, SVG charts, and the page's
// numbers against the JSON report they are built from.
#include <doctest/doctest.h>

#include <cmath>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "offroi/analysis/analysis_json.hpp"
#include "offroi/io/scenario_json.hpp"
#include "offroi/model/presets.hpp"
#include "offroi/report/html_report.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace report_html_report_test {

using namespace offroi;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
    return n;
}

struct built {
    scenario s;
    scenario_run run;
    std::vector<driver_ranking> drivers;
    html_report_data data;
    std::string html;
};

built build(const nlohmann::json& doc, std::uint64_t trials, std::uint64_t driver_trials,
            sample_policy samples = sample_policy::within_budget) {
    scenario s = scenario_from_json(doc);
    run_request r;
    r.trials = trials;
    r.seed = 7;
    r.driver_trials = driver_trials;
    r.samples = samples;
    scenario_run run = run_scenario(s, r);
    std::vector<driver_ranking> drivers;
    if (driver_trials > 0)
        for (const auto& a : run.result.arrangements)
            if (!a.is_baseline) drivers.push_back(run_drivers(run, a.name));
    html_report_data data = report_data(s, doc, run, drivers, sampling_method::monte_carlo, "x.json");
    std::string html = html_report(data);
    return built{std::move(s), std::move(run), std::move(drivers), std::move(data), std::move(html)};
}

// The embedded machine-readable copy of the data.
nlohmann::json embedded(const std::string& html) {
    const std::string open = "<script type=\"application/json\" id=\"offroi-report-data\">";
    const auto a = html.find(open);
    REQUIRE(a != std::string::npos);
    const auto b = html.find("</script>", a);
    REQUIRE(b != std::string::npos);
    return nlohmann::json::parse(html.substr(a + open.size(), b - a - open.size()));
}

nlohmann::json default_doc() { return to_json(default_scenario(), field_style::complete); }

}  // namespace

TEST_CASE("nice_ticks: 1-2-5 steps, range widened outward to whole steps") {
    const auto a = nice_ticks(0, 1, 6);
    CHECK(a.step == doctest::Approx(0.2));
    CHECK(a.values.size() == 6);
    CHECK(a.values.front() == 0.0);
    CHECK(a.values.back() == doctest::Approx(1.0));
    const auto b = nice_ticks(-1.23e6, 3.4e6, 6);  // raw step 0.926e6 -> 1e6
    CHECK(b.step == doctest::Approx(1e6));
    CHECK(b.lo == doctest::Approx(-2e6));
    CHECK(b.hi == doctest::Approx(4e6));
    CHECK(b.values.size() == 7);
    const auto c = nice_ticks(0.001, 0.999, 6);  // raw 0.1996 -> 0.2
    CHECK(c.step == doctest::Approx(0.2));
    CHECK(c.lo == 0.0);
    CHECK(c.hi == doctest::Approx(1.0));
    const auto d = nice_ticks(-0.37, 0.52, 6);  // raw 0.178 -> 0.2; no "-0" tick
    CHECK(d.step == doctest::Approx(0.2));
    for (double v : d.values) CHECK(!(v == 0.0 && std::signbit(v)));
    const auto e = nice_ticks(5, 5, 6);  // degenerate: widened by 10%
    CHECK(e.lo <= 4.5);
    CHECK(e.hi >= 5.5);
    CHECK_THROWS_AS(nice_ticks(1, 0), invalid_argument);
    CHECK_THROWS_AS(nice_ticks(0, std::nan("")), invalid_argument);
    CHECK_THROWS_AS(nice_ticks(0, 1, 1), invalid_argument);
}

TEST_CASE("html_escape: markup, quotes, UTF-8 kept, ill-formed UTF-8 and controls replaced") {
    CHECK(html_escape("<script>alert(\"x\")</script>") == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    CHECK(html_escape("a & b' c") == "a &amp; b&#39; c");
    CHECK(html_escape("\xC3\xA9quipe \xE6\xB5\xB7\xE5\xA4\x96 \xF0\x9F\x9A\x80") == "\xC3\xA9quipe \xE6\xB5\xB7\xE5\xA4\x96 \xF0\x9F\x9A\x80");
    CHECK(html_escape("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
    CHECK(html_escape("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");          // overlong '/'
    CHECK(html_escape("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
    CHECK(html_escape("\xE6\xB5") == "\xEF\xBF\xBD\xEF\xBF\xBD");          // truncated
    CHECK(html_escape(std::string("a\0b\x1b", 4)) == "ab");
    CHECK(html_escape("line\nnext\ttab") == "line\nnext\ttab");
}

TEST_CASE("script_safe_json: no </script> or <!-- survives, the JSON value is unchanged") {
    const nlohmann::json j = {{"name", "</script><!-- & \xE2\x80\xA8"}, {"x", 1.5}};
    const std::string s = script_safe_json(j.dump());
    CHECK(s.find('<') == std::string::npos);
    CHECK(s.find('>') == std::string::npos);
    CHECK(s.find('&') == std::string::npos);
    CHECK(s.find("\xE2\x80\xA8") == std::string::npos);
    CHECK(nlohmann::json::parse(s) == j);
}

TEST_CASE("svg_line_chart: one polyline per series, points mapped into the plot, names escaped") {
    svg_chart_options o;
    o.title = "t<1>";
    const std::vector<svg_series> series = {{"a<b>", {{0, 0}, {10, 1}}}, {"c", {{5, 0.5}, {std::nan(""), 1}}}};
    const std::string svg = svg_line_chart(series, o);
    CHECK(count(svg, "<polyline") == 2);
    CHECK(svg.find("a<b>") == std::string::npos);
    CHECK(svg.find("a&lt;b&gt;") != std::string::npos);
    CHECK(svg.find("t&lt;1&gt;") != std::string::npos);
    // Axis 0..10 (step 2) over x in [64, 740]; y 0..1 (step 0.2) over [32, 312]: the first
    // series runs from the bottom-left corner to the top-right one.
    CHECK(svg.find("points=\"64.0,312.0 740.0,32.0\"") != std::string::npos);
    CHECK(svg.find("points=\"402.0,172.0\"") != std::string::npos);  // the NaN point skipped
    CHECK_THROWS_AS(svg_line_chart({{"empty", {}}}, o), invalid_argument);
}

TEST_CASE("svg_bar_chart: bars span their values on a nice axis, labels shortened and escaped") {
    svg_chart_options o;
    const std::vector<svg_bar_row> rows = {
        {"plus", {{0, 4, "bar-pos", ""}}}, {"minus", {{4, 1, "bar-neg", ""}}}, {"total", {{0, 1, "bar-total", ""}}}};
    const std::string svg = svg_bar_chart(rows, o);
    CHECK(count(svg, "<rect") == 3);
    // Axis 0..4 (step 1); the labels are 5 characters (33 px) -> plot x in [49, 736].
    const double x0 = 33 + 16, x1 = 760 - 24, unit = (x1 - x0) / 4;
    char want[96];
    std::snprintf(want, sizeof want, "x=\"%.1f\" y=\"14.2\" width=\"%.1f\"", x0, 4 * unit);
    CHECK(svg.find(want) != std::string::npos);
    std::snprintf(want, sizeof want, "x=\"%.1f\" y=\"40.2\" width=\"%.1f\"", x0 + unit, 3 * unit);
    CHECK(svg.find(want) != std::string::npos);
    const std::string long_label(400, 'x');
    const std::string svg2 = svg_bar_chart({{long_label + "<", {{0, 1, "bar-pos", "<t>"}}}}, o);
    CHECK(svg2.find(long_label) == std::string::npos);  // shortened with an ellipsis
    CHECK(svg2.find("\xE2\x80\xA6") != std::string::npos);
    CHECK(svg2.find("&lt;t&gt;") != std::string::npos);
    CHECK_THROWS_AS(svg_bar_chart({}, o), invalid_argument);
    CHECK_THROWS_AS(svg_bar_chart({{"x", {{0, INFINITY, "bar-pos", ""}}}}, o), invalid_argument);
}

TEST_CASE("html_report: every number on the page is the JSON report's") {
    const auto b = build(default_doc(), 3000, 1000);
    const auto& html = b.html;
    // The machine-readable copy is run_to_json's document, bit for bit.
    const nlohmann::json data = embedded(html);
    CHECK(data["run"] == run_to_json(b.s, b.run, b.drivers));
    CHECK(data["scenario"]["simulation"]["seed"] == 7);
    CHECK(data["scenario"]["simulation"]["trials"] == 3000);
    for (const char* id : {"question", "headline", "assumptions", "distribution", "waterfall", "drivers", "appendix"})
        CHECK_MESSAGE(html.find(std::string("<section id=\"") + id + "\"") != std::string::npos, id);
    CHECK(html.find("id=\"sensitivity\"") == std::string::npos);  // not given
    CHECK(html.find("id=\"decision\"") == std::string::npos);
    // Each number shown names its JSON pointer; the value there is the data-value exactly.
    const std::regex re("data-path=\"([^\"]*)\" data-value=\"([^\"]*)\"");
    std::size_t n = 0, null_values = 0;
    for (auto it = std::sregex_iterator(html.begin(), html.end(), re); it != std::sregex_iterator(); ++it) {
        const std::string path = (*it)[1], value = (*it)[2];
        const nlohmann::json::json_pointer p(path);
        REQUIRE_MESSAGE(data.contains(p), path);
        if (value == "null") {
            CHECK_MESSAGE(data.at(p).is_null(), path);
            ++null_values;
        } else {
            CHECK_MESSAGE(data.at(p).get<double>() == std::stod(value), path);
        }
        ++n;
    }
    CHECK(n > 60);
    CHECK(null_values < n / 4);
    // Headline numbers are there: P50 of the offshore team's net benefit, formatted.
    const auto& nb = b.run.result.arrangements[1].output("net_benefit");
    CHECK(html.find(">" + format_usd(nb.percentile(0.5).value) + "</span>") != std::string::npos);
    CHECK(html.find(">" + format_percent(b.run.result.arrangements[1].prob_net_loss) + "</span>") != std::string::npos);
    // P(loss)'s derived SE is the binomial one: sqrt(p (1 - p) / n).
    const double p = b.run.result.arrangements[1].prob_net_loss;
    char se[64];
    std::snprintf(se, sizeof se, "data-value=\"%.17g\">\xC2\xB1%.2g%%", std::sqrt(p * (1 - p) / 3000), 100 * std::sqrt(p * (1 - p) / 3000));
    CHECK(html.find(se) != std::string::npos);
    // The CDFs are the type-7 quantiles of the kept samples.
    const auto s = b.run.result.run.samples("offshore_team.net_benefit");
    const sorted_sample q{s};
    CHECK(data["cdf"]["offshore_team"]["value"][51].get<double>() == q.quantile(0.5));
    CHECK(data["cdf"]["offshore_team"]["p"][51].get<double>() == 0.5);
    // Self-contained: no script but the JSON data block, no external reference of any kind.
    CHECK(count(html, "<script") == 1);
    CHECK(html.find("default-src 'none'") != std::string::npos);
    for (const char* bad : {"src=", "href=", "<link", "url(", "@import", "<img", "<iframe", "https:"})
        CHECK_MESSAGE(html.find(bad) == std::string::npos, bad);
    CHECK(count(html, "http://") == count(html, "xmlns=\"http://www.w3.org/2000/svg\""));
    // Deterministic.
    CHECK(html_report(b.data) == html);
}

TEST_CASE("html_report: hostile names and notes are shown as text, never as markup") {
    nlohmann::json doc = default_doc();
    const std::string evil = "<script>alert(\"x\")</script>'\"&";
    doc["name"] = evil;
    doc["description"] = "</script><img src=x onerror=alert(1)><!-- \xC3\xA9t\xC3\xA9 \xE6\xB5\xB7\xE5\xA4\x96";
    doc["assumptions"] = nlohmann::json::array({"<b onmouseover=\"x()\">bold</b>", "\xF0\x9F\x9A\x80 rocket"});
    doc["alternatives"][0]["name"] = "<img src=x onerror=alert(2)>";
    doc["alternatives"][0]["description"] = "<style>body{display:none}</style>";
    const auto b = build(doc, 500, 0);
    const auto& html = b.html;
    CHECK(count(html, "<script") == 1);
    CHECK(html.find("<img") == std::string::npos);
    CHECK(html.find("<b onmouseover") == std::string::npos);
    CHECK(count(html, "<style>") == 1);  // the report's own stylesheet only
    CHECK(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&quot;&amp;") != std::string::npos);
    CHECK(html.find("&lt;img src=x onerror=alert(2)&gt;") != std::string::npos);
    CHECK(html.find("\xC3\xA9t\xC3\xA9 \xE6\xB5\xB7\xE5\xA4\x96") != std::string::npos);  // UTF-8 kept
    CHECK(html.find("\xF0\x9F\x9A\x80 rocket") != std::string::npos);
    // The data block stays one script element and round-trips the names.
    const nlohmann::json data = embedded(html);
    CHECK(data["run"]["scenario"] == evil);
    CHECK(data["run"]["arrangements"][1]["name"] == "<img src=x onerror=alert(2)>");
    CHECK(data["scenario"]["description"] == doc["description"]);
    // No drivers recorded: no drivers section.
    CHECK(html.find("id=\"drivers\"") == std::string::npos);
}

TEST_CASE("html_report: percentiles from the sketch when no sample is kept; capacity framing") {
    nlohmann::json doc = nlohmann::json::parse(R"({"format_version": 2, "name": "cap", "framing": "capacity",
        "baseline": {"preset": "in_house"}, "alternatives": [{"preset": "nearshore"}, {"preset": "offshore_team"}]})");
    const auto b = build(doc, 2000, 0, sample_policy::never);
    const nlohmann::json data = embedded(b.html);
    CHECK(data["run"]["samples_kept"] == false);
    CHECK(b.html.find("streaming quantile sketch") != std::string::npos);
    const auto& s = b.run.result.run.summary("nearshore.net_benefit");
    CHECK(data["cdf"]["nearshore"]["value"][51].get<double>() == s.quantile(0.5));
    CHECK(count(b.html, "<polyline") == 2);  // two alternatives in the CDF chart
    CHECK(b.html.find("To run the team") != std::string::npos);
}

TEST_CASE("html_report: sensitivity and decision sections when given; bad run documents refused") {
    auto b = build(default_doc(), 500, 0);
    b.data.sensitivity = {{"output", "offshore_team.net_benefit"},
                          {"event_trials", 8},
                          {"tornado", {{"base_output", 1e6},
                                       {"bars", {{{"input", "<x>"}, {"low_input", 1}, {"high_input", 2},
                                                  {"output_at_low", 5e5}, {"output_at_high", 2e6}, {"swing", 1.5e6}}}}}}};
    b.data.decision = {{"arrangement", "offshore_team"}, {"baseline", "local_hiring"}, {"pilot_headcount", 3},
                       {"full_headcount", 10}, {"decision_month", 6}, {"training_trials", 1000},
                       {"evaluation_trials", 1000}, {"recommended_policy", "threshold rule"},
                       {"rule", {{"text", "scale when <ok>"}}},
                       {"strategies", {{{"strategy", "commit now"}, {"mean", 1e6}, {"standard_error", 1e4},
                                        {"p10", -1e5}, {"p50", 1e6}, {"p90", 2e6}, {"prob_loss", 0.2},
                                        {"recommended", false}}}},
                       {"option_value", 5e4}, {"option_value_se", 1e4}, {"evpi_now", 2e5}, {"evpi_now_se", 1e4},
                       {"evsi", 1e5}, {"evsi_se", 1e4}};
    const std::string html = html_report(b.data);
    CHECK(html.find("<section id=\"sensitivity\"") != std::string::npos);
    CHECK(html.find("<section id=\"decision\"") != std::string::npos);
    CHECK(html.find("&lt;x&gt;") != std::string::npos);
    CHECK(html.find("scale when &lt;ok&gt;") != std::string::npos);
    CHECK(html.find("<b>Pilot first</b>") != std::string::npos);  // 5e4 > 2 x 1e4
    // Tornado bars: base -> low and base -> high.
    CHECK(count(html, "class=\"bar bar-low\"") == 1);
    CHECK(count(html, "class=\"bar bar-high\"") == 1);
    html_report_data bad = b.data;
    bad.run = nlohmann::json::object();
    CHECK_THROWS_AS(html_report(bad), invalid_argument);
    bad.run = {{"arrangements", nlohmann::json::array({b.data.run["arrangements"][0]})}};
    CHECK_THROWS_AS(html_report(bad), invalid_argument);
    CHECK_THROWS_AS(write_html_report("/nonexistent-dir/x/report.html", b.data), invalid_argument);
}

}  // namespace report_html_report_test
