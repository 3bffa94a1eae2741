// offroi voi: what would it be worth to know more before choosing? EVPI, P(best), expected
// loss, and the EVPPI of every sampled input and of groups (include/offroi/decision/
// scenario_voi.hpp); with --curve, the acceptability and EVPI curves over the cost of delay
// per month or over a required saving.

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "offroi/analysis/report.hpp"
#include "offroi/decision/scenario_voi.hpp"
#include "offroi/decision/scenario_voi_json.hpp"

namespace offroi_cli {

namespace {

struct voi_flags {
    common_flags common;
    std::vector<std::string> groups;
    bool no_auto_groups = false;
    std::string curve;
    std::optional<double> from, to;
    std::size_t steps = 11;
    std::size_t show = 20;
    double required_saving = 0.0;
};

// "NAME=in1,in2,..." -> a group.
offroi::input_group parse_group(const std::string& spec) {
    const auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
        throw usage_error("--group " + spec + ": expected NAME=input1,input2,... (an input may end in '*', e.g. "
                          "vendor=offshore_team.*)");
    offroi::input_group g{spec.substr(0, eq), {}};
    std::stringstream ss(spec.substr(eq + 1));
    for (std::string item; std::getline(ss, item, ',');)
        if (!item.empty()) g.inputs.push_back(item);
    if (g.inputs.empty()) throw usage_error("--group " + spec + ": no input names after '='");
    return g;
}

std::string usd_se(double v, double se) { return offroi::format_usd(v) + " +- " + offroi::format_usd(se); }

std::string r2_text(const std::vector<double>& r2) {
    std::string s;
    for (std::size_t k = 0; k < r2.size(); ++k) {
        if (k) s += '/';
        s += offroi::format_percent(std::max(0.0, r2[k]));
    }
    return s;
}

std::string report(const offroi::scenario_voi_result& r, std::size_t show) {
    using offroi::detail::pad;
    using offroi::format_percent;
    using offroi::format_usd;
    const auto& d = r.decision;
    const std::string& base = r.options.front();
    const std::string& best = r.options[d.best];
    std::ostringstream os;
    os << "offroi voi: " << r.scenario_name << "\n"
       << "Choice: " << base << " (the baseline, net benefit 0)";
    for (std::size_t k = 1; k < r.options.size(); ++k) os << (k + 1 == r.options.size() ? " or " : ", ") << r.options[k];
    os << "; " << r.trials << " trials, seed " << r.seed << ".\n";
    if (r.required_saving != 0.0)
        os << "Required saving " << format_usd(r.required_saving) << ": an alternative counts only by what its net "
           << "benefit exceeds it\n(every alternative's net benefit below is minus " << format_usd(r.required_saving)
           << ").\n";
    os << "\nThe decision now (net benefit against " << base << ", USD)\n";
    os << pad("option", 28, false) << pad("expected NB", 13) << pad("+- SE", 10) << pad("P(best)", 9)
       << pad("expected loss", 15) << pad("+- SE", 10) << "\n";
    for (std::size_t k = 0; k < r.options.size(); ++k) {
        os << pad(r.options[k], 28, false) << pad(format_usd(d.expected_nb[k].value), 13)
           << pad(format_usd(d.expected_nb[k].se), 10) << pad(format_percent(d.p_best[k].value), 9)
           << pad(format_usd(d.expected_loss[k].value), 15) << pad(format_usd(d.expected_loss[k].se), 10)
           << (k == d.best ? "   <- best on average" : "") << "\n";
    }
    os << "P(best): share of trials in which the option has the highest net benefit. Expected loss: what\n"
          "choosing it gives up on average against choosing with hindsight.\n\n";
    os << "EVPI " << usd_se(d.evpi.value, d.evpi.se) << ": choosing " << best << " now gives up "
       << format_usd(d.evpi.value) << " on average against\ndeciding with perfect knowledge of every input and "
       << "risk event. No study, pilot or reference check\ncan be worth more.\n\n";

    const double evpi = d.evpi.value;
    std::size_t w = 30;  // name column: the longest name shown, + 2
    for (const auto& e : r.inputs) w = std::max(w, e.name.size() + 2);
    if (!r.inputs.empty()) {
        os << "What perfect information about each input would be worth (EVPPI, USD)\n";
        os << pad("input", w, false) << pad("EVPPI", 10) << pad("+- SE", 10) << pad("% of EVPI", 11)
           << pad("R^2", 8) << "\n";
        std::size_t shown = 0, zero = 0;
        for (const auto& e : r.inputs) {
            if (e.evppi.value <= 0.0) {
                ++zero;
                continue;
            }
            if (shown == show) continue;
            ++shown;
            os << pad(e.name, w, false) << pad(format_usd(e.evppi.value), 10) << pad(format_usd(e.evppi.se), 10)
               << pad(format_percent(evpi > 0 ? e.evppi.value / evpi : 0.0), 11) << pad(r2_text(e.evppi.r_squared), 8)
               << (e.evppi.value < 2.0 * e.evppi.se ? "   (not distinguishable from 0)" : "") << "\n";
        }
        const std::size_t positive = r.inputs.size() - zero;
        if (positive > shown)
            os << "... and " << positive - shown << " more with a positive EVPPI (--show N, or --format json/csv for all)\n";
        if (zero > 0)
            os << zero << (zero == 1 ? " input has" : " inputs have") << " EVPPI $0: whatever value any one of them takes, "
               << "the same option stays the better\none on average, so finding it out alone cannot change the choice.\n";
        os << "\n";
    }
    if (!r.groups.empty()) {
        os << "Groups (learning all of a group's inputs at once)\n";
        std::size_t gw = 30;
        for (const auto& e : r.groups) gw = std::max(gw, e.name.size() + 2);
        os << pad("group", gw, false) << pad("inputs", 7) << pad("EVPPI", 10) << pad("+- SE", 10) << pad("% of EVPI", 11)
           << pad("R^2", 8) << "   method\n";
        for (const auto& e : r.groups)
            os << pad(e.name, gw, false) << pad(std::to_string(e.inputs.size()), 7) << pad(format_usd(e.evppi.value), 10)
               << pad(format_usd(e.evppi.se), 10) << pad(format_percent(evpi > 0 ? e.evppi.value / evpi : 0.0), 11)
               << pad(r2_text(e.evppi.r_squared), 8) << "   " << e.evppi.method_name << "\n";
        os << "\n";
    }
    os << "How to read it: an input's EVPPI is the most worth paying, on average, to learn its true value\n"
          "before choosing (a rate quote, a reference call, a pilot that measures it). Spend on finding out\n"
          "only where the EVPPI exceeds the cost. R^2: the share of the net benefit's variance the input\n"
          "(or group) explains. What no input explains -- risk events such as vendor failure, security\n"
          "incidents and key-person loss -- stays uncertain whatever is studied: that part of the EVPI\n"
          "cannot be bought. Method: regression on this run's own trials (Strong, Oakley & Brennan 2014);\n"
          "docs/value-of-information.md.\n";
    return os.str();
}

std::string curve_report(const offroi::scenario& s, const offroi::decision_curve& c,
                         const std::vector<std::string>& options, offroi::voi_threshold t, std::uint64_t trials) {
    using offroi::detail::pad;
    using offroi::format_percent;
    using offroi::format_usd;
    const bool cod = t == offroi::voi_threshold::cost_of_delay;
    std::ostringstream os;
    os << "offroi voi: " << s.name << " -- acceptability and EVPI curves over "
       << (cod ? "the cost of delay per month" : "a required saving") << "\n"
       << (cod ? "Net benefit = what is paid saved + cost of delay x discounted months of delay saved (linear in the\n"
                 "cost of delay); each row values every trial at that cost of delay.\n"
               : "An alternative is chosen only if its net benefit exceeds the required saving (the baseline stays 0).\n")
       << trials << " trials; USD.\n\n";
    os << pad(cod ? "cost of delay/mo" : "required saving", 17, false) << pad("best on average", 24, false);
    for (const auto& o : options) os << pad("P(" + o + ")", std::max<std::size_t>(12, o.size() + 4));
    os << pad("EVPI", 10) << pad("+- SE", 9) << "\n";
    for (std::size_t k = 0; k < c.points.size(); ++k) {
        const auto& p = c.points[k];
        os << pad(format_usd(c.lambda[k]), 17, false) << pad(options[p.best], 24, false);
        for (std::size_t d = 0; d < options.size(); ++d)
            os << pad(format_percent(p.p_best[d].value), std::max<std::size_t>(12, options[d].size() + 4));
        os << pad(format_usd(p.evpi.value), 10) << pad(format_usd(p.evpi.se), 9) << "\n";
    }
    os << "\nP(option): the acceptability curve -- the share of trials in which the option is best at that\n"
          "threshold. EVPI: what perfect information would be worth there; it peaks where the choice is\n"
          "closest, and research pays most near that threshold.\n";
    return os.str();
}

}  // namespace

void register_voi(CLI::App& app) {
    auto f = std::make_shared<voi_flags>();
    auto* sub = app.add_subcommand(
        "voi", "Value of information: what knowing each input (or group) before choosing would be worth "
               "(EVPI, EVPPI), P(best), expected loss; --curve for acceptability and EVPI curves");
    sub->add_option("scenario", f->common.scenario,
                    "Scenario JSON file or bundled scenario name (default: the built-in default scenario)");
    add_inputs(sub, f->common.inputs);
    sub->add_option("--trials", f->common.trials, "Number of trials, all recorded (default: the scenario's)")
        ->transform(whole_number(10, offroi::limits::max_driver_trials, "every trial is kept"));
    sub->add_option("--seed", f->common.seed, "Seed (default: the scenario's)")->transform(seed_number());
    sub->add_option("--threads", f->common.threads, "Worker threads (0: all; results never depend on it)")
        ->check(CLI::Range(0u, 1024u));
    sub->add_option("--group", f->groups,
                    "A group whose joint EVPPI is wanted: NAME=input1,input2,... (an input ending in '*' "
                    "matches a prefix, e.g. vendor=offshore_team.*); repeatable");
    sub->add_flag("--no-auto-groups", f->no_auto_groups,
                  "Skip the automatic groups (one per arrangement, and the shared scenario-level inputs)");
    sub->add_option("--required-saving", f->required_saving,
                    "USD an alternative must save to be worth choosing: its net benefit counts minus this "
                    "(default 0); near the expected net benefit the choice is close and single inputs matter");
    sub->add_option("--show", f->show, "Inputs listed in the table (default 20)")->check(CLI::Range(0, 100000));
    sub->add_option("--curve", f->curve,
                    "Instead: acceptability and EVPI curves over cost-of-delay (USD per month; project framing) "
                    "or required-saving (USD)")
        ->check(CLI::IsMember({"cost-of-delay", "required-saving"}));
    sub->add_option("--from", f->from, "Curve: first threshold (default 0)");
    sub->add_option("--to", f->to,
                    "Curve: last threshold (default: twice the mean cost of delay, or twice the larger of the best "
                    "expected net benefit and the EVPI)");
    sub->add_option("--steps", f->steps, "Curve: thresholds from --from to --to (default 11)")
        ->check(CLI::Range(2, 10000));
    sub->add_option("--format", f->common.format, "Output format: table, json or csv")
        ->check(CLI::IsMember({"table", "json", "csv"}));
    sub->add_option("--output,-o", f->common.output, "Write the report to FILE instead of stdout");
    sub->final_callback([f, sub] {
        const offroi::scenario s = load(f->common);
        offroi::scenario_voi_options o;
        o.trials = f->common.trials;
        o.seed = f->common.seed;
        o.threads = f->common.threads;
        o.arrangement_groups = !f->no_auto_groups;
        o.required_saving = f->required_saving;
        for (const auto& g : f->groups) o.groups.push_back(parse_group(g));
        const bool curve_flags = sub->count("--from") || sub->count("--to") || sub->count("--steps");
        if (f->curve.empty()) {
            if (curve_flags) throw usage_error("--from, --to and --steps go with --curve cost-of-delay|required-saving");
            if (!std::isfinite(f->required_saving)) throw usage_error("--required-saving must be a finite number of USD");
            const auto r = offroi::scenario_voi(s, o);
            if (f->common.format == "json") {
                emit(f->common, dump(offroi::to_json(r)));
            } else if (f->common.format == "csv") {
                std::ostringstream os;
                os.precision(17);
                os << "kind,name,measure,value,standard_error,share_of_evpi,method,r_squared,inputs\n";
                const auto& d = r.decision;
                for (std::size_t k = 0; k < r.options.size(); ++k) {
                    os << "option," << r.options[k] << ",expected_net_benefit," << d.expected_nb[k].value << ','
                       << d.expected_nb[k].se << ",,,,\n";
                    os << "option," << r.options[k] << ",p_best," << d.p_best[k].value << ',' << d.p_best[k].se << ",,,,\n";
                    os << "option," << r.options[k] << ",expected_loss," << d.expected_loss[k].value << ','
                       << d.expected_loss[k].se << ",,,,\n";
                }
                os << "decision," << r.options[d.best] << ",evpi," << d.evpi.value << ',' << d.evpi.se << ",1,,,\n";
                auto entry = [&](const char* kind, const offroi::voi_entry& e) {
                    std::string ins;
                    std::ostringstream t;
                    t.precision(17);
                    for (std::size_t k = 0; k < e.evppi.r_squared.size(); ++k) t << (k ? ";" : "") << e.evppi.r_squared[k];
                    for (std::size_t k = 0; k < e.inputs.size(); ++k) {
                        if (k) ins += ';';
                        ins += e.inputs[k];
                    }
                    os << kind << ",\"" << e.name << "\",evppi," << e.evppi.value << ',' << e.evppi.se << ','
                       << (d.evpi.value > 0 ? e.evppi.value / d.evpi.value : 0.0) << ",\"" << e.evppi.method_name
                       << "\"," << t.str() << ",\"" << ins << "\"\n";
                };
                for (const auto& e : r.inputs) entry("input", e);
                for (const auto& e : r.groups) entry("group", e);
                emit(f->common, os.str());
            } else {
                emit(f->common, report(r, f->show));
            }
            return;
        }
        if (sub->count("--required-saving"))
            throw usage_error("--required-saving goes with the EVPPI table; with --curve required-saving the "
                              "saving is the curve's threshold (--from, --to)");
        const auto t = f->curve == "cost-of-delay" ? offroi::voi_threshold::cost_of_delay
                                                    : offroi::voi_threshold::required_saving;
        if (t == offroi::voi_threshold::cost_of_delay && s.frame == offroi::framing::capacity)
            throw offroi::invalid_argument(
                "offroi voi --curve cost-of-delay: the scenario uses the capacity framing, which has no backlog and "
                "no cost of delay; use --curve required-saving");
        offroi::scenario_voi_options ro = o;
        const auto run = offroi::detail::voi::record_all(s, ro, "offroi voi");
        std::vector<std::string> names;
        const auto nb = offroi::scenario_net_benefits(run, &names);
        double from = f->from.value_or(0.0), to = 0.0;
        if (f->to) {
            to = *f->to;
        } else if (t == offroi::voi_threshold::cost_of_delay) {
            to = 2.0 * offroi::mean(s.cost_of_delay_per_month_usd);
        } else {
            const auto d = offroi::decision_summary(nb);
            to = 2.0 * std::max(d.expected_nb[d.best].value, d.evpi.value);
        }
        if (!f->to && to <= from) to = from + 1.0;
        const auto grid = offroi::threshold_grid(from, to, f->steps);
        const auto c = offroi::scenario_decision_curve(s, run, t, grid);
        if (f->common.format == "json") {
            emit(f->common, dump(offroi::to_json(c, names, f->curve)));
        } else if (f->common.format == "csv") {
            std::ostringstream os;
            os.precision(17);
            os << "lambda,option,p_best,p_best_se,expected_net_benefit,expected_loss,expected_loss_se,optimal,evpi,"
                  "evpi_se\n";
            for (std::size_t k = 0; k < c.points.size(); ++k)
                for (std::size_t d = 0; d < names.size(); ++d) {
                    const auto& p = c.points[k];
                    os << c.lambda[k] << ',' << names[d] << ',' << p.p_best[d].value << ',' << p.p_best[d].se << ','
                       << p.expected_nb[d].value << ',' << p.expected_loss[d].value << ',' << p.expected_loss[d].se
                       << ',' << (p.best == d ? 1 : 0) << ',' << p.evpi.value << ',' << p.evpi.se << "\n";
                }
            emit(f->common, os.str());
        } else {
            emit(f->common, curve_report(s, c, names, t, run.result.run.trials()));
        }
    });
}

}  // namespace offroi_cli
