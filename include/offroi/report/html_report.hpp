#pragma once
/// \file
/// The self-contained HTML report of a run (`offroi report`, `offroi.report`): one file
/// with no network access, no script, no external font or image, that a decision-maker can
/// forward. Sections (each a `<section id=...>`):
///  - `question`: the question in plain words, the framing, the scenario's description;
///  - `headline`: per alternative the net benefit P10/P50/P90 (each with the half-width of
///    its 95% interval), mean +- SE, P(loss), P(delivered within the horizon), cash break-even
///    and cost parity (the share of trials within the horizon, the median month of those
///    trials, the shares later and never: `month_outcome`), every probability with its
///    binomial standard error;
///  - `assumptions`: the scenario's own description and assumptions, each arrangement's
///    notes and overrides, the stated inputs and correlations;
///  - `distribution`: the CDF of each alternative's net benefit (SVG);
///  - `waterfall`: the additive bars to the mean net benefit, each with its SE (SVG + table);
///  - `drivers`: the rank drivers (SRRC) of each alternative (SVG + table), when recorded;
///  - `sensitivity`: a tornado, when given; `decision`: a staged decision (pilot first?),
///    when given;
///  - `appendix`: seed, trials, sampler, version, the command that reruns it and the full
///    scenario JSON (its simulation block set to the seed, trials and sampler used).
///
/// The report is built from the same JSON as `offroi run --format json` (`run_to_json`):
/// every number on the page is read from that document, and a machine-readable copy of it
/// sits in `<script type="application/json" id="offroi-report-data">` (not executed); each
/// number shown is a `<span class="num" data-path="/run/..." data-value="...">` whose
/// data-path is the JSON pointer of the value in that copy (derived numbers, such as the
/// standard error of a probability, carry `data-value` and class `derived`). A Content
/// Security Policy meta tag (`default-src 'none'; style-src 'unsafe-inline'; img-src data:`)
/// makes the browser refuse, and report, any external load.
///
/// Every string from the scenario is HTML-escaped (html_escape.hpp). Deterministic: the
/// same inputs give the same bytes (no timestamp).

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "offroi/analysis/analysis_json.hpp"
#include "offroi/analysis/format.hpp"
#include "offroi/analysis/report.hpp"
#include "offroi/analysis/scenario_run.hpp"
#include "offroi/error.hpp"
#include "offroi/io/scenario_json.hpp"
#include "offroi/model/month_outcome.hpp"
#include "offroi/report/html_escape.hpp"
#include "offroi/report/svg_chart.hpp"
#include "offroi/stats/sample_statistics.hpp"

namespace offroi {

/// The library version the report names in its appendix.
inline constexpr const char* report_library_version = "0.1.0";

/// What the HTML report is made of: JSON documents, so that a report built in C++ and one
/// built from Python's results read the same numbers.
struct html_report_data {
    /// The scenario as a JSON document, notes included ("description", "assumptions" at the
    /// top and per arrangement), as read from its file or written by `to_json`.
    nlohmann::json scenario;
    /// The run: `run_to_json(scenario, run, drivers)` (what `offroi run --format json` writes).
    nlohmann::json run;
    /// The CDF of each alternative's net benefit: {"<arrangement>": {"p": [...], "value": [...]}}
    /// (`net_benefit_cdfs`).
    nlohmann::json cdf = nlohmann::json::object();
    /// Optional tornado: {"output", "event_trials", "tornado": to_json(tornado_result)}; null: none.
    nlohmann::json sensitivity;
    /// Optional staged decision: to_json(staged_decision_result); null: none.
    nlohmann::json decision;
    std::string sampler = "mc";                       ///< the design used ("mc", "lhs", "sobol")
    std::string version = report_library_version;    ///< library version
    std::string source;                               ///< scenario file or bundled name ("" : default)
    std::string inputs;                               ///< assumption table applied (`--inputs`; "" : none)
};

/// The probability levels at which `net_benefit_cdfs` evaluates each CDF: 0.001, 0.005,
/// 0.01, 0.02, ..., 0.99, 0.995, 0.999 (103 levels).
inline std::vector<double> report_cdf_levels() {
    std::vector<double> p = {0.001, 0.005};
    for (int k = 1; k <= 99; ++k) p.push_back(k / 100.0);
    p.push_back(0.995);
    p.push_back(0.999);
    return p;
}

/// The CDF of each alternative's net benefit at `report_cdf_levels()`: type-7 quantiles of
/// the kept samples (exact), else the streaming quantile sketch of the run's summary.
inline nlohmann::json net_benefit_cdfs(const scenario_run& r) {
    nlohmann::json out = nlohmann::json::object();
    const auto levels = report_cdf_levels();
    for (const auto& a : r.result.arrangements) {
        if (a.is_baseline) continue;
        const std::string name = a.name + ".net_benefit";
        nlohmann::json values = nlohmann::json::array();
        if (r.result.run.samples_kept()) {
            const sorted_sample q{r.result.run.samples(name)};
            for (double p : levels) values.push_back(detail::jnum(q.quantile(p)));
        } else {
            const auto& s = r.result.run.summary(name);
            for (double p : levels) values.push_back(detail::jnum(s.quantile(p)));
        }
        out[a.name] = {{"p", levels}, {"value", values}};
    }
    return out;
}

/// The report data of a run: `run_to_json(s, r, drivers)`, the CDFs, the scenario document
/// (`scenario_doc`, or `to_json(s, complete)` when it is null).
inline html_report_data report_data(const scenario& s, const nlohmann::json& scenario_doc, const scenario_run& r,
                                    const std::vector<driver_ranking>& drivers, sampling_method sampler,
                                    std::string source = {}) {
    html_report_data d;
    d.scenario = scenario_doc.is_null() ? to_json(s, field_style::complete) : scenario_doc;
    d.run = run_to_json(s, r, drivers);
    d.cdf = net_benefit_cdfs(r);
    d.sampler = detail::sampler_label(sampler);
    d.source = std::move(source);
    return d;
}

namespace detail {

/// Builds the page; numbers go through `num`, which records their JSON pointer.
class html_report_writer {
public:
    explicit html_report_writer(const html_report_data& d) : d_(d) {
        data_ = {{"run", d.run}, {"cdf", d.cdf}, {"sensitivity", d.sensitivity}, {"decision", d.decision},
                 {"scenario", appendix_scenario()}, {"sampler", d.sampler}, {"version", d.version}};
        const auto& run = d.run;
        check(run.is_object() && run.contains("arrangements") && run["arrangements"].is_array() &&
                  run["arrangements"].size() >= 2,
              "run", "has no \"arrangements\" array with a baseline and an alternative");
        trials_ = run.value("trials", std::uint64_t{0});
        horizon_ = run.value("horizon_months", 0);
        project_ = run.value("framing", std::string("project")) == "project";
        baseline_ = run["arrangements"][0].value("name", std::string("baseline"));
    }

    std::string page() {
        const std::string title = "offroi report: " + d_.run.value("scenario", std::string("scenario"));
        std::string o;
        o += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
             "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
             "img-src data:\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
             "<meta name=\"color-scheme\" content=\"light dark\">\n<title>" +
             html_escape(title) + "</title>\n<style>\n" + stylesheet() + "</style>\n</head>\n<body>\n<main>\n";
        o += question();
        o += headline();
        o += assumptions();
        o += distribution();
        o += waterfall();
        o += drivers();
        o += sensitivity();
        o += decision();
        o += appendix();
        o += "</main>\n<script type=\"application/json\" id=\"offroi-report-data\">" +
             script_safe_json(data_.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)) +
             "</script>\n</body>\n</html>\n";
        return o;
    }

private:
    const html_report_data& d_;
    nlohmann::json data_;
    std::uint64_t trials_ = 0;
    int horizon_ = 0;
    bool project_ = true;
    std::string baseline_;

    static void check(bool ok, const std::string& field, const std::string& what) {
        if (!ok) throw invalid_argument("html_report: " + field + " " + what + "; allowed: run_to_json's document");
    }

    // --- numbers -------------------------------------------------------------------------
    static std::string g17(double v) {
        char buf[40];
        std::snprintf(buf, sizeof buf, "%.17g", v);
        return buf;
    }

    /// The value at JSON pointer `path` of the embedded data (NaN for null or missing).
    double at(const std::string& path) const {
        const nlohmann::json::json_pointer p(path);
        if (!data_.contains(p)) return std::nan("");
        const auto& v = data_.at(p);
        return v.is_number() ? v.get<double>() : std::nan("");
    }

    /// A number read from the data at `path`, shown as `text(value)`.
    template <class F>
    std::string num(const std::string& path, F text) const {
        const double v = at(path);
        return "<span class=\"num\" data-path=\"" + html_escape(path) + "\" data-value=\"" +
               (std::isfinite(v) ? g17(v) : std::string("null")) + "\">" + html_escape(text(v)) + "</span>";
    }

    /// A derived number (a standard error computed here), shown as `text`.
    static std::string derived(double v, const std::string& text) {
        return "<span class=\"num derived\" data-value=\"" + (std::isfinite(v) ? g17(v) : std::string("null")) +
               "\">" + html_escape(text) + "</span>";
    }

    static std::string usd(double v) { return std::isfinite(v) ? format_usd(v) : "n/a"; }
    static std::string pct(double v) { return std::isfinite(v) ? format_percent(v) : "n/a"; }
    static std::string pct_se(double v) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "\xC2\xB1%.2g%%", 100 * v);
        return buf;
    }
    static std::string plain(double v, const char* f = "%.3g") {
        if (!std::isfinite(v)) return "n/a";
        char buf[40];
        std::snprintf(buf, sizeof buf, f, v);
        return buf;
    }
    std::string month(double v) const { return std::isfinite(v) ? format_month(v, horizon_) : "\xE2\x80\x94"; }

    /// Binomial standard error of a share p over the run's trials.
    double prob_se(double p) const {
        return trials_ > 0 && std::isfinite(p) ? std::sqrt(p * (1 - p) / double(trials_)) : std::nan("");
    }
    std::string prob_with_se(const std::string& path) const {
        const double p = at(path);
        return num(path, pct) + " <small>" + derived(prob_se(p), pct_se(prob_se(p))) + "</small>";
    }

    /// Index of percentile level p in an output summary's "percentiles".
    std::string percentile_path(const std::string& output_path, double p) const {
        const nlohmann::json::json_pointer ptr(output_path + "/percentiles");
        if (data_.contains(ptr))
            for (std::size_t k = 0; k < data_.at(ptr).size(); ++k)
                if (std::fabs(data_.at(ptr)[k].value("p", -1.0) - p) < 1e-9)
                    return output_path + "/percentiles/" + std::to_string(k);
        return output_path + "/percentiles/missing";
    }

    /// A percentile with the half-width of its confidence interval.
    std::string percentile_with_error(const std::string& output_path, double p) const {
        const std::string pp = percentile_path(output_path, p);
        const double lo = at(pp + "/ci/0"), hi = at(pp + "/ci/1");
        const double hw = std::isfinite(lo) && std::isfinite(hi) ? (hi - lo) / 2 : std::nan("");
        return num(pp + "/value", usd) + " <small>" + derived(hw, "\xC2\xB1" + usd(hw)) + "</small>";
    }

    std::string arr_path(std::size_t i) const { return "/run/arrangements/" + std::to_string(i); }
    const nlohmann::json& arrangements() const { return d_.run["arrangements"]; }
    std::string name_of(std::size_t i) const { return arrangements()[i].value("name", std::string("?")); }

    // --- the scenario document -----------------------------------------------------------
    nlohmann::json appendix_scenario() const {
        nlohmann::json s = d_.scenario.is_object() ? d_.scenario : nlohmann::json::object();
        nlohmann::json sim = s.contains("simulation") && s["simulation"].is_object() ? s["simulation"]
                                                                                   : nlohmann::json::object();
        if (d_.run.contains("seed")) sim["seed"] = d_.run["seed"];
        if (d_.run.contains("trials")) sim["trials"] = d_.run["trials"];
        sim["sampler"] = d_.sampler;
        s["simulation"] = sim;
        return s;
    }

    static std::string notes_of(const nlohmann::json& j) {
        std::string o;
        if (!j.is_object()) return o;
        if (j.contains("description") && j["description"].is_string())
            o += "<p class=\"description\">" + html_escape(j["description"].get<std::string>()) + "</p>\n";
        if (j.contains("description") && j["description"].is_array())
            for (const auto& x : j["description"])
                if (x.is_string()) o += "<p class=\"description\">" + html_escape(x.get<std::string>()) + "</p>\n";
        if (j.contains("assumptions")) {
            const auto& a = j["assumptions"];
            o += "<ul class=\"assumptions\">\n";
            if (a.is_string()) o += "<li>" + html_escape(a.get<std::string>()) + "</li>\n";
            else if (a.is_array())
                for (const auto& x : a)
                    if (x.is_string()) o += "<li>" + html_escape(x.get<std::string>()) + "</li>\n";
            o += "</ul>\n";
        }
        return o;
    }

    /// An input as written in the scenario: 5000, "PERT(100, 140, 200)", "lognormal(p10 6e4, p90 2.5e5)".
    static std::string input_text(const nlohmann::json& v) {
        auto number = [](const nlohmann::json& x) {
            if (!x.is_number()) return x.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            char buf[40];
            std::snprintf(buf, sizeof buf, "%.10g", x.get<double>());
            return std::string(buf);
        };
        if (v.is_number()) return number(v);
        if (v.is_object() && v.size() == 1) {
            const auto it = v.begin();
            const auto& args = it.value();
            std::string o = it.key() + "(";
            if (args.is_array()) {
                for (std::size_t k = 0; k < args.size(); ++k) o += (k ? ", " : "") + number(args[k]);
            } else if (args.is_object()) {
                bool first = true;
                for (const auto& [k, x] : args.items()) {
                    o += (first ? "" : ", ") + k + " " + number(x);
                    first = false;
                }
            } else {
                o += number(args);
            }
            return o + ")";
        }
        return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }

    // --- sections ------------------------------------------------------------------------
    std::string question() const {
        const std::string name = d_.run.value("scenario", std::string("scenario"));
        std::string alts;
        for (std::size_t i = 1; i < arrangements().size(); ++i)
            alts += (i == 1 ? "" : i + 1 == arrangements().size() ? " or " : ", ") + std::string("<b>") +
                    html_escape(name_of(i)) + "</b>";
        std::string o = "<header>\n<p class=\"kicker\">offroi decision report</p>\n<h1>" + html_escape(name) +
                        "</h1>\n</header>\n<section id=\"question\">\n<h2>The question</h2>\n<p class=\"lead\">";
        o += project_ ? "To deliver the backlog, should we use " + alts + " instead of <b>" + html_escape(baseline_) +
                            "</b>? "
                      : "To run the team, should we use " + alts + " instead of <b>" + html_escape(baseline_) + "</b>? ";
        o += "This report gives what each is worth against <b>" + html_escape(baseline_) +
             "</b> in today&#39;s dollars over " + std::to_string(horizon_) +
             " months (the net benefit: " + html_escape(baseline_) +
             "&#39;s total cost minus the arrangement&#39;s), how likely each is to lose money, and when it pays back.";
        o += "</p>\n<p>Framing: " + html_escape(framing_description(project_ ? framing::project : framing::capacity,
                                                                      baseline_)) +
             ".</p>\n";
        if (d_.scenario.is_object() && d_.scenario.contains("description"))
            o += "<h3>The scenario</h3>\n" + notes_of(nlohmann::json{{"description", d_.scenario["description"]}});
        o += "<p class=\"muted\">" + std::to_string(trials_) + " simulated futures (Monte Carlo trials), seed " +
             std::to_string(d_.run.value("seed", std::uint64_t{0})) +
             ". Every number is followed by its Monte Carlo error (&#177;): the simulation&#39;s own noise, "
             "which more trials shrink; the spread between P10 and P90 is the business risk.</p>\n</section>\n";
        return o;
    }

    std::string month_cells(std::size_t i, const char* field) const {
        const std::string m = arr_path(i) + "/months/" + field;
        if (!data_.contains(nlohmann::json::json_pointer(m)))
            return "<td>n/a</td><td>n/a</td><td>n/a</td>";
        const double se = at(m + "/within_horizon/standard_error");
        return "<td>" + prob_with_se(m + "/prob_within_horizon") + "</td><td>" +
               num(m + "/within_horizon/p50", [this](double v) { return month(v); }) + " <small>mean " +
               num(m + "/within_horizon/mean", [](double v) { return plain(v, "%.1f"); }) + " " +
               derived(se, "\xC2\xB1" + plain(se, "%.2g")) + "</small></td><td>" +
               num(m + "/prob_beyond_horizon", pct) + " / " + num(m + "/prob_never", pct) + "</td>";
    }

    std::string headline() const {
        const std::string hs = std::to_string(horizon_);
        std::string o = "<section id=\"headline\">\n<h2>The answer in numbers</h2>\n";
        // One sentence per alternative.
        o += "<ul class=\"verdicts\">\n";
        for (std::size_t i = 1; i < arrangements().size(); ++i) {
            const std::string nb = arr_path(i) + "/outputs/net_benefit";
            o += "<li><b>" + html_escape(name_of(i)) + "</b>: in half of the simulated futures the net benefit exceeds " +
                 num(percentile_path(nb, 0.5) + "/value", usd) + "; in 8 of 10 it lies between " +
                 num(percentile_path(nb, 0.1) + "/value", usd) + " and " +
                 num(percentile_path(nb, 0.9) + "/value", usd) + ". It does worse than " + html_escape(baseline_) +
                 " in " + num(arr_path(i) + "/prob_net_loss", pct) + " of them.</li>\n";
        }
        o += "</ul>\n";
        o += "<h3>Net benefit against " + html_escape(baseline_) +
             " <small>(USD, present value; &gt; 0: better than " + html_escape(baseline_) + ")</small></h3>\n";
        o += "<div class=\"table-wrap\"><table class=\"numbers\">\n<thead><tr><th>arrangement</th><th>P10</th><th>P50</th>"
             "<th>P90</th><th>mean &#177; SE</th><th>P(loss)</th></tr></thead>\n<tbody>\n";
        for (std::size_t i = 1; i < arrangements().size(); ++i) {
            const std::string nb = arr_path(i) + "/outputs/net_benefit";
            const double se = at(nb + "/standard_error");
            o += "<tr><th scope=\"row\">" + html_escape(name_of(i)) + "</th><td>" + percentile_with_error(nb, 0.1) +
                 "</td><td>" + percentile_with_error(nb, 0.5) + "</td><td>" + percentile_with_error(nb, 0.9) +
                 "</td><td>" + num(nb + "/mean", usd) + " <small>&#177;" + num(nb + "/standard_error", usd) +
                 "</small></td><td>" + prob_with_se(arr_path(i) + "/prob_net_loss") + "</td></tr>\n";
            (void)se;
        }
        o += "</tbody></table></div>\n<p class=\"note\">P10/P50/P90: 1 future in 10 ends below P10, half below P50, "
             "9 in 10 below P90; &#177; after a percentile: half the width of its 95% confidence interval; after "
             "the mean: its standard error; after a probability: its binomial standard error &#8730;(p(1&#8722;p)/n).";
        if (d_.run["arrangements"][1]["outputs"]["net_benefit"].value("exact", true) == false)
            o += " Percentiles come from the streaming quantile sketch (relative accuracy " +
                 plain(100 * d_.run["arrangements"][1]["outputs"]["net_benefit"].value("sketch_relative_accuracy", 0.0),
                       "%g") +
                 "%).";
        o += "</p>\n";

        o += "<h3>Delivery, break-even and parity <small>(within the " + hs + "-month horizon)</small></h3>\n";
        o += "<div class=\"table-wrap\"><table class=\"numbers\">\n<thead><tr><th rowspan=\"2\">arrangement</th>"
             "<th rowspan=\"2\">delivered in " + hs + " months</th><th colspan=\"3\">cash break-even</th>"
             "<th colspan=\"3\">cost parity</th></tr>\n<tr><th>in " + hs + " months</th><th>median month</th>"
             "<th>later / never</th><th>in " + hs + " months</th><th>median month</th><th>later / never</th></tr>"
             "</thead>\n<tbody>\n";
        for (std::size_t i = 0; i < arrangements().size(); ++i) {
            o += "<tr><th scope=\"row\">" + html_escape(name_of(i)) + "</th><td>" +
                 (project_ ? prob_with_se(arr_path(i) + "/prob_delivered") : std::string("n/a")) + "</td>";
            if (i == 0) o += "<td colspan=\"6\" class=\"muted\">the baseline (net benefit 0 by definition)</td>";
            else o += month_cells(i, "breakeven_month") + month_cells(i, "parity_month");
            o += "</tr>\n";
        }
        o += "</tbody></table></div>\n<p class=\"note\">Delivered: share of futures that deliver the whole backlog "
             "within the horizon" +
             std::string(project_ ? "" : " (n/a: an ongoing team has no backlog to deliver)") +
             ". Cash break-even: first month from which the cumulative discounted net benefit stays &#8805; 0. Cost "
             "parity: first month from which the trailing-year cost per useful engineer-month stays at or below " +
             html_escape(baseline_) +
             "&#39;s. Median month: over the futures in which it happens within the horizon only (mean &#177; SE "
             "beside it); later: beyond the horizon, extrapolated at the last month&#39;s run rate; never: not "
             "reached even extrapolated. &#8212;: no future reaches it within the horizon.</p>\n</section>\n";
        return o;
    }

    std::string assumptions() const {
        std::string o = "<section id=\"assumptions\">\n<h2>Assumptions</h2>\n";
        const auto& s = d_.scenario;
        if (s.is_object() && s.contains("assumptions")) o += notes_of(nlohmann::json{{"assumptions", s["assumptions"]}});
        else o += "<p class=\"muted\">The scenario states no assumptions of its own; its inputs follow.</p>\n";
        char disc[40];
        std::snprintf(disc, sizeof disc, "%g%%", 100 * (s.is_object() ? s.value("annual_discount_rate", 0.1) : 0.1));
        o += "<p>Horizon " + std::to_string(horizon_) + " months; discount rate " + std::string(disc) +
             " a year; framing " + std::string(project_ ? "project" : "capacity") + ".</p>\n";
        static const std::vector<std::string> not_inputs = {"format_version", "name", "description", "assumptions",
                                                             "$schema", "framing", "horizon_months",
                                                             "annual_discount_rate", "baseline", "alternatives",
                                                             "correlations", "simulation"};
        auto is_input = [&](const std::string& k) {
            return std::find(not_inputs.begin(), not_inputs.end(), k) == not_inputs.end();
        };
        if (s.is_object()) {
            std::string rows;
            for (const auto& [k, v] : s.items())
                if (is_input(k)) rows += "<tr><th scope=\"row\">" + html_escape(k) + "</th><td>" +
                                         html_escape(input_text(v)) + "</td></tr>\n";
            if (!rows.empty())
                o += "<h3>Scenario inputs</h3>\n<div class=\"table-wrap\"><table class=\"inputs\">\n<thead><tr><th>input"
                     "</th><th>value or distribution</th></tr></thead>\n<tbody>\n" + rows + "</tbody></table></div>\n";
            std::vector<std::pair<std::string, const nlohmann::json*>> arrs;
            if (s.contains("baseline")) arrs.emplace_back("baseline", &s["baseline"]);
            if (s.contains("alternatives") && s["alternatives"].is_array())
                for (const auto& a : s["alternatives"]) arrs.emplace_back("alternative", &a);
            static const std::vector<std::string> arr_keys = {"preset", "name", "contract", "description", "assumptions"};
            for (const auto& [role, ap] : arrs) {
                const auto& a = *ap;
                if (!a.is_object()) continue;
                const std::string preset = a.value("preset", std::string("?"));
                o += "<h3>" + html_escape(a.value("name", preset)) + " <small>(" + role + "; preset " +
                     html_escape(preset) + (a.contains("contract") && a["contract"].is_string()
                                                ? ", contract " + html_escape(a["contract"].get<std::string>())
                                                : std::string()) +
                     ")</small></h3>\n" + notes_of(a);
                std::string r;
                for (const auto& [k, v] : a.items())
                    if (std::find(arr_keys.begin(), arr_keys.end(), k) == arr_keys.end())
                        r += "<tr><th scope=\"row\">" + html_escape(k) + "</th><td>" + html_escape(input_text(v)) +
                             "</td></tr>\n";
                o += r.empty() ? "<p class=\"muted\">The preset&#39;s evidence-based values, unchanged (docs/model.md, "
                                 "presets).</p>\n"
                               : "<div class=\"table-wrap\"><table class=\"inputs\">\n<thead><tr><th>overridden input</th>"
                                 "<th>value or distribution</th></tr></thead>\n<tbody>\n" + r +
                                     "</tbody></table></div>\n";
            }
            if (s.contains("correlations") && s["correlations"].is_array() && !s["correlations"].empty()) {
                o += "<h3>Rank correlations</h3>\n<ul>\n";
                for (const auto& c : s["correlations"])
                    if (c.is_object())
                        o += "<li>" + html_escape(c.value("a", std::string("?"))) + " &#8596; " +
                             html_escape(c.value("b", std::string("?"))) + ": Spearman " +
                             html_escape(c.contains("spearman") ? input_text(c["spearman"]) : std::string("?")) +
                             "</li>\n";
                o += "</ul>\n";
            }
        }
        return o + "</section>\n";
    }

    std::string distribution() const {
        std::vector<svg_series> series;
        for (std::size_t i = 1; i < arrangements().size(); ++i) {
            const std::string name = name_of(i);
            svg_series s{name, {}};
            if (d_.cdf.contains(name)) {
                const auto& c = d_.cdf[name];
                for (std::size_t k = 0; k < c["p"].size() && k < c["value"].size(); ++k)
                    if (c["value"][k].is_number())
                        s.points.emplace_back(c["value"][k].get<double>(), c["p"][k].get<double>());
            }
            series.push_back(std::move(s));
        }
        std::string o = "<section id=\"distribution\">\n<h2>How the net benefit is spread</h2>\n"
                        "<p>The cumulative distribution of each alternative&#39;s net benefit: read across from a "
                        "probability to the net benefit that many futures stay below. A curve further right is "
                        "better; the vertical line is break-even against " + html_escape(baseline_) +
                        "; where a curve crosses it, read P(loss).</p>\n";
        bool any = false;
        for (const auto& s : series) any = any || !s.points.empty();
        if (!any) return o + "<p class=\"muted\">No distribution recorded.</p>\n</section>\n";
        svg_chart_options co;
        co.title = "Cumulative distribution of the net benefit against " + baseline_;
        co.x_label = "net benefit against " + baseline_ + " (USD, present value)";
        co.y_label = "share of futures at or below";
        co.x_format = [](double v) { return format_usd(v); };
        co.y_format = [](double v) { return plain(100 * v, "%g") + "%"; };
        co.x_reference = {0.0};
        return o + "<figure>" + svg_line_chart(series, co) + "</figure>\n</section>\n";
    }

    std::string waterfall() const {
        std::string o = "<section id=\"waterfall\">\n<h2>Where the net benefit comes from</h2>\n<p>Mean net benefit "
                        "split into additive parts (USD, present value): each bar starts where the previous one "
                        "ended; the last bar is their sum, the mean net benefit.</p>\n";
        for (std::size_t i = 1; i < arrangements().size(); ++i) {
            const auto& a = arrangements()[i];
            if (!a.contains("breakdown") || !a["breakdown"].is_array() || a["breakdown"].empty()) continue;
            const auto& rows = a["breakdown"];
            std::vector<svg_bar_row> bars;
            double run = 0;
            std::string table;
            for (std::size_t k = 0; k < rows.size(); ++k) {
                const std::string p = arr_path(i) + "/breakdown/" + std::to_string(k);
                const std::string label = rows[k].value("component", std::string("?"));
                const double v = at(p + "/mean_usd");
                const bool total = k + 1 == rows.size();
                if (std::isfinite(v)) {
                    if (total) bars.push_back({label, {{0.0, v, "bar-total", label + ": " + format_usd(v)}}});
                    else {
                        bars.push_back({label, {{run, run + v, v >= 0 ? "bar-pos" : "bar-neg", label + ": " + format_usd(v)}}});
                        run += v;
                    }
                }
                const std::string out = rows[k].value("output", std::string());
                const std::string se_path = arr_path(i) + "/outputs/" + out + "/standard_error";
                table += std::string("<tr") + (total ? " class=\"total\"" : "") + "><th scope=\"row\">" +
                         html_escape(label) + "</th><td>" + num(p + "/mean_usd", usd) + "</td><td>" +
                         (data_.contains(nlohmann::json::json_pointer(se_path)) ? "&#177;" + num(se_path, usd)
                                                                                 : std::string("n/a")) +
                         "</td></tr>\n";
            }
            svg_chart_options co;
            co.title = "Waterfall of the mean net benefit of " + name_of(i);
            co.x_label = "USD, present value (mean)";
            co.x_format = [](double v) { return format_usd(v); };
            co.x_reference = {0.0};
            o += "<h3>" + html_escape(name_of(i)) + "</h3>\n<figure>" + svg_bar_chart(bars, co) +
                 "</figure>\n<div class=\"table-wrap\"><table class=\"numbers\">\n<thead><tr><th>component</th><th>mean</th>"
                 "<th>SE</th></tr></thead>\n<tbody>\n" + table + "</tbody></table></div>\n";
        }
        return o + "</section>\n";
    }

    std::string drivers() const {
        const auto& ds = d_.run.contains("drivers") && d_.run["drivers"].is_array() ? d_.run["drivers"]
                                                                                 : nlohmann::json::array();
        if (ds.empty()) return "";
        std::string o = "<section id=\"drivers\">\n<h2>What drives the result</h2>\n<p>The inputs whose uncertainty "
                        "moves the net benefit most, by the standardized rank regression coefficient (SRRC: the "
                        "effect of each input with the others held fixed; +: the net benefit rises with the input, "
                        "&#8722;: it falls). &#177;: the coefficient&#39;s standard error &#8730;((1&#8722;R&#178;)/(n"
                        "&#8722;k&#8722;1)) for n recorded futures and k inputs.</p>\n";
        for (std::size_t j = 0; j < ds.size(); ++j) {
            const auto& d = ds[j];
            const std::string p = "/run/drivers/" + std::to_string(j);
            const auto& list = d.contains("drivers") && d["drivers"].is_array() ? d["drivers"] : nlohmann::json::array();
            const double n = d.value("samples", 0.0), r2 = d["srrc_r2"].is_number() ? d["srrc_r2"].get<double>() : 0.0;
            const double k = double(list.size());
            const double se = n > k + 1 ? std::sqrt(std::max(0.0, 1 - r2) / (n - k - 1)) : std::nan("");
            const std::size_t top = std::min<std::size_t>(10, list.size());
            std::vector<svg_bar_row> bars;
            std::string table;
            for (std::size_t t = 0; t < top; ++t) {
                const std::string name = list[t].value("input", std::string("?"));
                const double v = at(p + "/drivers/" + std::to_string(t) + "/srrc");
                if (std::isfinite(v))
                    bars.push_back({name, {{0.0, v, v >= 0 ? "bar-pos" : "bar-neg", name + ": SRRC " + plain(v, "%+.2f")}}});
                table += "<tr><th scope=\"row\">" + html_escape(name) + "</th><td>" +
                         num(p + "/drivers/" + std::to_string(t) + "/srrc", [](double x) { return plain(x, "%+.2f"); }) +
                         " <small>" + derived(se, "\xC2\xB1" + plain(se, "%.1g")) + "</small></td><td>" +
                         num(p + "/drivers/" + std::to_string(t) + "/spearman", [](double x) { return plain(x, "%+.2f"); }) +
                         "</td></tr>\n";
            }
            const std::string output = d.value("output", std::string("net benefit"));
            o += "<h3>" + html_escape(output) + " <small>(rank R&#178; " +
                 num(p + "/srrc_r2", [](double x) { return plain(x, "%.2f"); }) + ", first " +
                 num(p + "/samples", [](double x) { return plain(x, "%.0f"); }) + " futures)</small></h3>\n";
            if (!bars.empty()) {
                svg_chart_options co;
                co.title = "Drivers of " + output;
                co.x_label = "SRRC";
                co.x_format = [](double x) { return plain(x, "%g"); };
                co.x_reference = {0.0};
                o += "<figure>" + svg_bar_chart(bars, co) + "</figure>\n";
            }
            o += "<div class=\"table-wrap\"><table class=\"numbers\">\n<thead><tr><th>input</th><th>SRRC</th><th>Spearman "
                 "&#961;</th></tr></thead>\n<tbody>\n" + table + "</tbody></table></div>\n";
        }
        return o + "</section>\n";
    }

    std::string sensitivity() const {
        const auto& s = d_.sensitivity;
        if (!s.is_object() || !s.contains("tornado")) return "";
        const auto& t = s["tornado"];
        const std::string output = s.value("output", std::string("net benefit"));
        const double base = at("/sensitivity/tornado/base_output");
        std::string o = "<section id=\"sensitivity\">\n<h2>Sensitivity: one input at a time</h2>\n<p>Tornado of " +
                        html_escape(output) + ": each input set to its P10 and its P90 with every other input at its "
                        "median (base " + num("/sensitivity/tornado/base_output", usd) + "); risk events averaged over " +
                        num("/sensitivity/event_trials", [](double x) { return plain(x, "%.0f"); }) +
                        " draws per point, the same draws at every point, so the swings compare on common random "
                        "numbers (their Monte Carlo error is not estimated).</p>\n";
        const auto& bars_j = t.contains("bars") && t["bars"].is_array() ? t["bars"] : nlohmann::json::array();
        std::vector<svg_bar_row> bars;
        std::string table;
        for (std::size_t k = 0; k < std::min<std::size_t>(10, bars_j.size()); ++k) {
            const std::string p = "/sensitivity/tornado/bars/" + std::to_string(k);
            const std::string name = bars_j[k].value("input", std::string("?"));
            const double lo = at(p + "/output_at_low"), hi = at(p + "/output_at_high");
            if (std::isfinite(lo) && std::isfinite(hi) && std::isfinite(base))
                bars.push_back({name,
                                {{base, lo, "bar-low", name + " at P10: " + format_usd(lo)},
                                 {base, hi, "bar-high", name + " at P90: " + format_usd(hi)}}});
            table += "<tr><th scope=\"row\">" + html_escape(name) + "</th><td>" + num(p + "/output_at_low", usd) +
                     "</td><td>" + num(p + "/output_at_high", usd) + "</td><td>" + num(p + "/swing", usd) + "</td></tr>\n";
        }
        if (!bars.empty()) {
            svg_chart_options co;
            co.title = "Tornado of " + output;
            co.x_label = output + " (USD, present value); light: input at P10, dark: input at P90";
            co.x_format = [](double v) { return format_usd(v); };
            co.x_reference = {base};
            o += "<figure>" + svg_bar_chart(bars, co) + "</figure>\n";
        }
        o += "<div class=\"table-wrap\"><table class=\"numbers\">\n<thead><tr><th>input</th><th>at P10</th><th>at P90</th>"
             "<th>swing</th></tr></thead>\n<tbody>\n" + table + "</tbody></table></div>\n</section>\n";
        return o;
    }

    std::string decision() const {
        const auto& r = d_.decision;
        if (!r.is_object() || !r.contains("strategies")) return "";
        const std::string arr = r.value("arrangement", std::string("?"));
        std::string o = "<section id=\"decision\">\n<h2>Pilot first?</h2>\n<p>A pilot of " +
                        num("/decision/pilot_headcount", [](double x) { return plain(x, "%g"); }) + " of " +
                        num("/decision/full_headcount", [](double x) { return plain(x, "%g"); }) + " engineers of <b>" +
                        html_escape(arr) + "</b> for " +
                        num("/decision/decision_month", [](double x) { return plain(x, "%.0f"); }) +
                        " months, then scale up, keep the pilot team or exit to " +
                        html_escape(r.value("baseline", std::string("the baseline"))) +
                        ", against committing now and never starting. Policies learnt on " +
                        num("/decision/training_trials", [](double x) { return plain(x, "%.0f"); }) +
                        " futures, every strategy valued on " +
                        num("/decision/evaluation_trials", [](double x) { return plain(x, "%.0f"); }) +
                        " fresh ones.</p>\n";
        o += "<div class=\"table-wrap\"><table class=\"numbers\">\n<thead><tr><th>strategy</th><th>mean &#177; SE</th><th>P10</th>"
             "<th>P50</th><th>P90</th><th>P(loss)</th></tr></thead>\n<tbody>\n";
        const double n = r.value("evaluation_trials", 0.0);
        for (std::size_t k = 0; k < r["strategies"].size(); ++k) {
            const auto& v = r["strategies"][k];
            const std::string p = "/decision/strategies/" + std::to_string(k);
            const double pl = at(p + "/prob_loss");
            const double se = n > 0 && std::isfinite(pl) ? std::sqrt(pl * (1 - pl) / n) : std::nan("");
            o += std::string("<tr") + (v.value("recommended", false) ? " class=\"recommended\"" : "") +
                 "><th scope=\"row\">" + html_escape(v.value("strategy", std::string("?"))) +
                 (v.value("recommended", false) ? " <small>(learnt policy)</small>" : "") + "</th><td>" +
                 num(p + "/mean", usd) + " <small>&#177;" + num(p + "/standard_error", usd) + "</small></td><td>" +
                 num(p + "/p10", usd) + "</td><td>" + num(p + "/p50", usd) + "</td><td>" + num(p + "/p90", usd) +
                 "</td><td>" + num(p + "/prob_loss", pct) + " <small>" + derived(se, pct_se(se)) + "</small></td></tr>\n";
        }
        o += "</tbody></table></div>\n";
        if (r.contains("rule") && r["rule"].is_object())
            o += "<p>Decision rule (" + html_escape(r.value("recommended_policy", std::string())) + "): " +
                 html_escape(r["rule"].value("text", std::string())) + "</p>\n";
        const double ov = at("/decision/option_value"), ovse = at("/decision/option_value_se");
        o += "<p>Option value of piloting: " + num("/decision/option_value", usd) + " &#177;" +
             num("/decision/option_value_se", usd) + " (pilot-then-decide minus the better of committing now and never "
             "starting). ";
        if (ov > 2 * ovse) o += "<b>Pilot first</b>: what the pilot shows is worth more than the time and money it costs.";
        else if (ov < -2 * ovse) o += "<b>Do not pilot</b>: the pilot costs more than what it can reveal.";
        else o += "No clear difference between piloting and the best choice today.";
        o += "</p>\n<p>Value of information for the choice today: EVPI " + num("/decision/evpi_now", usd) + " &#177;" +
             num("/decision/evpi_now_se", usd) + " (the most any information could be worth); EVSI " +
             num("/decision/evsi", usd) + " &#177;" + num("/decision/evsi_se", usd) +
             " (what the pilot&#39;s observations would be worth, free and at once).</p>\n</section>\n";
        return o;
    }

    std::string appendix() const {
        const std::string seed = std::to_string(d_.run.value("seed", std::uint64_t{0}));
        const std::string trials = std::to_string(trials_);
        const std::string src = d_.source.empty() ? std::string("scenario.json") : d_.source;
        std::string o = "<section id=\"appendix\">\n<h2>Appendix: rerun it</h2>\n<dl class=\"facts\">\n";
        // Whole numbers as written in the JSON (a seed may exceed 2^53).
        o += "<dt>seed</dt><dd><span class=\"num\" data-path=\"/run/seed\" data-value=\"" + seed + "\">" + seed +
             "</span></dd>\n";
        o += "<dt>trials</dt><dd><span class=\"num\" data-path=\"/run/trials\" data-value=\"" + trials + "\">" +
             trials + "</span></dd>\n";
        o += "<dt>sampler</dt><dd>" + html_escape(d_.sampler) + "</dd>\n";
        if (!d_.inputs.empty())
            o += "<dt>assumption table</dt><dd>" + html_escape(d_.inputs) +
                 " (applied: the JSON below is the scenario as run)</dd>\n";
        o += "<dt>offroi version</dt><dd>" + html_escape(d_.version) + "</dd>\n";
        o += "<dt>scenario format</dt><dd>" + std::to_string(scenario_format_version) + "</dd>\n</dl>\n";
        o += "<p>Save the JSON below as <code>scenario.json</code> (its simulation block holds the seed, trials and "
             "sampler of this report) and run</p>\n<pre class=\"command\">offroi run scenario.json\noffroi report "
             "scenario.json -o report.html</pre>\n";
        if (!d_.source.empty() || !d_.inputs.empty())
            o += "<p>or, from the original file" + std::string(d_.inputs.empty() ? "" : "s") + ": <code>offroi report " +
                 (d_.source.empty() ? "" : html_escape(src) + " ") +
                 (d_.inputs.empty() ? "" : "--inputs " + html_escape(d_.inputs) + " ") + "--seed " + seed +
                 " --trials " + trials + " --sampler " + html_escape(d_.sampler) + " -o report.html</code></p>\n";
        o += "<p>The same seed gives the same numbers whatever the number of threads.</p>\n";
        o += "<pre class=\"scenario-json\">" +
             html_escape(data_["scenario"].dump(2, ' ', false, nlohmann::json::error_handler_t::replace)) + "</pre>\n";
        return o + "</section>\n";
    }

    static std::string stylesheet() {
        return R"css(:root { --bg: #ffffff; --fg: #1a1a1a; --muted: #5c5c5c; --rule: #d0d0d0; --grid: #e6e6e6;
  --panel: #f5f5f5; --pos: #1b7f3b; --neg: #b3261e; --total: #2f4b7c; --low: #8fb8de; --high: #1f5a96;
  --s0: #0072b2; --s1: #d55e00; --s2: #009e73; --s3: #cc79a7; --s4: #8a6d00; --s5: #56b4e9; --s6: #6a3d9a; --s7: #444444; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #15171a; --fg: #e8e8e8; --muted: #a8a8a8; --rule: #3a3d42; --grid: #2a2d31; --panel: #1f2226;
    --pos: #5cc27a; --neg: #ff7b72; --total: #8fb3ff; --low: #6d8fb0; --high: #b9d7f7;
    --s0: #56b4e9; --s1: #ff9e4a; --s2: #3fd0a0; --s3: #f0a3d0; --s4: #f0d060; --s5: #9fd3ff; --s6: #c4a5ff; --s7: #d0d0d0; }
}
@media print {
  :root { --bg: #ffffff; --fg: #000000; --muted: #444444; --rule: #999999; --grid: #dddddd; --panel: #ffffff;
    --pos: #1b7f3b; --neg: #b3261e; --total: #2f4b7c; --low: #8fb8de; --high: #1f5a96;
    --s0: #0072b2; --s1: #d55e00; --s2: #009e73; --s3: #cc79a7; --s4: #8a6d00; --s5: #56b4e9; --s6: #6a3d9a; --s7: #444444; }
  section { break-inside: avoid-page; }
  h2 { break-after: avoid; }
  pre.scenario-json { white-space: pre-wrap; font-size: 8pt; }
  body { font-size: 10pt; }
}
html { background: var(--bg); color: var(--fg); }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 960px; margin: 0 auto; padding: 24px 20px 48px; }
header h1 { margin: 0 0 8px; font-size: 28px; line-height: 1.2; }
.kicker { margin: 0; color: var(--muted); text-transform: uppercase; letter-spacing: .08em; font-size: 12px; }
section { border-top: 1px solid var(--rule); padding: 12px 0 8px; }
h2 { font-size: 21px; margin: 8px 0; } h3 { font-size: 16px; margin: 16px 0 6px; }
h3 small, th small, td small { color: var(--muted); font-weight: normal; }
.lead { font-size: 17px; } .muted, .note { color: var(--muted); } .note { font-size: 13px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: 6px 0; font-size: 14px; }
th, td { border-bottom: 1px solid var(--rule); padding: 4px 10px; text-align: left; vertical-align: top; }
table.numbers td { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead th { background: var(--panel); }
tr.total th, tr.total td { font-weight: bold; } tr.recommended th { font-weight: bold; }
pre { background: var(--panel); padding: 10px; overflow-x: auto; font-size: 12px; border: 1px solid var(--rule); }
code { font-size: 13px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
figure { margin: 8px 0; }
svg.chart { width: 100%; height: auto; display: block; font: 12px system-ui, "DejaVu Sans", sans-serif; }
svg.chart text { fill: var(--fg); } svg.chart .tick, svg.chart .axis-label { fill: var(--muted); }
svg.chart .grid { stroke: var(--grid); stroke-width: 1; } svg.chart .axis { stroke: var(--muted); stroke-width: 1; }
svg.chart .reference { stroke: var(--fg); stroke-width: 1.2; stroke-dasharray: 4 3; }
svg.chart .line { fill: none; stroke-width: 2.4; stroke-linejoin: round; }
.series-0 { stroke: var(--s0); } .series-1 { stroke: var(--s1); } .series-2 { stroke: var(--s2); }
.series-3 { stroke: var(--s3); } .series-4 { stroke: var(--s4); } .series-5 { stroke: var(--s5); }
.series-6 { stroke: var(--s6); } .series-7 { stroke: var(--s7); }
svg.chart .bar-pos { fill: var(--pos); } svg.chart .bar-neg { fill: var(--neg); }
svg.chart .bar-total { fill: var(--total); } svg.chart .bar-low { fill: var(--low); }
svg.chart .bar-high { fill: var(--high); }
)css";
    }
};

}  // namespace detail

/// The HTML report of `d` (see the file comment): a complete UTF-8 document.
/// \throws invalid_argument if `d.run` is not a run document with a baseline and at least
///         one alternative.
inline std::string html_report(const html_report_data& d) { return detail::html_report_writer(d).page(); }

/// Writes `html_report(d)` to `path` (created or truncated).
/// \throws invalid_argument naming the path when it cannot be opened or written.
inline void write_html_report(const std::filesystem::path& path, const html_report_data& d) {
    const std::string page = html_report(d);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw invalid_argument("write_html_report: path \"" + path.string() + "\" cannot be opened for writing");
    out << page;
    if (!out.flush())
        throw invalid_argument("write_html_report: path \"" + path.string() + "\": error while writing (disk full?)");
}

}  // namespace offroi
