// offroi update: what the first months taught us. Observations (measured inputs, attrition
// counts, measured outputs) update the scenario's forecast by importance reweighting of the
// prior trials, with the PSIS diagnostics and a fallback when the weights degenerate
// (include/offroi/decision/scenario_update.hpp; docs/learning-from-data.md).

#include <cmath>
#include <fstream>
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
#include "offroi/decision/scenario_update.hpp"

namespace offroi_cli {

namespace {

struct update_flags {
    std::string inputs;  // --inputs: assumption table
    std::string scenario;
    std::vector<std::string> observe;
    std::optional<std::int64_t> leavers, engineers;
    std::optional<double> months;
    std::string arrangement;
    bool exposure = false;
    std::string observations_file;
    std::uint64_t trials = 50000, max_trials = 200000;
    double min_ess = 1000;
    std::string fallback = "auto";
    std::optional<std::uint64_t> seed;
    unsigned threads = 0;
    std::string format = "table";
    std::string output;
};

// "NAME=VALUE+-SD" (also "+/-").
void parse_observe(const std::string& arg, const offroi::scenario& s, offroi::observations& obs) {
    const auto eq = arg.find('=');
    std::size_t pm = arg.find("+-");
    std::size_t pm_len = 2;
    if (pm == std::string::npos) pm = arg.find("+/-"), pm_len = 3;
    if (eq == std::string::npos || eq == 0 || pm == std::string::npos || pm < eq)
        throw usage_error("--observe " + arg + ": expected NAME=VALUE+-SD, e.g. offshore_team.annual_attrition=0.24+-0.03 "
                          "(an exact value: +-1e-9)");
    const std::string name = arg.substr(0, eq);
    double value = 0, sd = 0;
    try {
        std::size_t used = 0;
        const std::string v = arg.substr(eq + 1, pm - eq - 1), d = arg.substr(pm + pm_len);
        value = std::stod(v, &used);
        if (used != v.size()) throw std::invalid_argument(v);
        sd = std::stod(d, &used);
        if (used != d.size()) throw std::invalid_argument(d);
    } catch (const std::exception&) {
        throw usage_error("--observe " + arg + ": VALUE and SD must be numbers (NAME=VALUE+-SD)");
    }
    // An output "<arrangement>.<outcome field>" is a measured output; anything else an input
    // (update_scenario says which names exist, with a did-you-mean).
    const auto dot = name.find('.');
    bool is_output = false;
    if (dot != std::string::npos) {
        const std::string arr = name.substr(0, dot), field = name.substr(dot + 1);
        bool is_input_field = false;
        for (const auto& f : offroi::arrangement_fields) is_input_field = is_input_field || f.name == field;
        bool arrangement_exists = s.baseline.name == arr;
        for (const auto& a : s.alternatives) arrangement_exists = arrangement_exists || a.name == arr;
        for (const auto& f : offroi::outcome_fields)
            is_output = is_output || (arrangement_exists && !is_input_field && f.name == field);
    }
    if (is_output)
        obs.outputs.push_back({name, value, sd});
    else
        obs.inputs.push_back({name, value, sd});
}

// The observations file (docs/learning-from-data.md): {"inputs": [{"input", "value", "sd"}],
// "attrition": [{"arrangement", "leavers", "engineers", "months", "model"}],
// "outputs": [{"output", "value", "sd"}]}; every key optional, unknown keys are errors.
void read_observations(const std::string& path, offroi::observations& obs) {
    std::ifstream in(path);
    if (!in) throw usage_error(path + ": cannot open the observations file");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw usage_error(path + ": not valid JSON (" + e.what() + ")");
    }
    auto fail = [&](const std::string& where, const std::string& what) { throw usage_error(path + ": " + where + ": " + what); };
    if (!j.is_object()) fail("top level", "must be an object with \"inputs\", \"attrition\" and/or \"outputs\"");
    auto number = [&](const nlohmann::json& o, const std::string& where, const char* key) {
        if (!o.contains(key) || !o[key].is_number()) fail(where + "." + key, "must be a number");
        return o[key].get<double>();
    };
    auto integer = [&](const nlohmann::json& o, const std::string& where, const char* key) {
        if (!o.contains(key) || !o[key].is_number_integer()) fail(where + "." + key, "must be an integer");
        return o[key].get<std::int64_t>();
    };
    auto text = [&](const nlohmann::json& o, const std::string& where, const char* key, bool required) {
        if (!o.contains(key)) {
            if (required) fail(where + "." + key, "is missing");
            return std::string();
        }
        if (!o[key].is_string()) fail(where + "." + key, "must be a string");
        return o[key].get<std::string>();
    };
    auto keys = [&](const nlohmann::json& o, const std::string& where, std::initializer_list<const char*> allowed) {
        if (!o.is_object()) fail(where, "must be an object");
        for (const auto& [k, v] : o.items()) {
            bool ok = false;
            for (const char* a : allowed) ok = ok || k == a;
            if (!ok) {
                std::string list;
                for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
                fail(where + "." + k, "is not a known key; allowed: " + list);
            }
        }
    };
    keys(j, "top level", {"inputs", "attrition", "outputs"});
    auto array = [&](const char* key) {
        if (!j.contains(key)) return nlohmann::json::array();
        if (!j[key].is_array()) fail(key, "must be an array");
        return j[key];
    };
    const auto inputs = array("inputs");
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const std::string w = "inputs[" + std::to_string(i) + "]";
        keys(inputs[i], w, {"input", "value", "sd"});
        obs.inputs.push_back({text(inputs[i], w, "input", true), number(inputs[i], w, "value"), number(inputs[i], w, "sd")});
    }
    const auto attrition = array("attrition");
    for (std::size_t i = 0; i < attrition.size(); ++i) {
        const std::string w = "attrition[" + std::to_string(i) + "]";
        keys(attrition[i], w, {"arrangement", "leavers", "engineers", "months", "model"});
        offroi::attrition_count c;
        c.arrangement = text(attrition[i], w, "arrangement", false);
        c.leavers = integer(attrition[i], w, "leavers");
        c.engineers = integer(attrition[i], w, "engineers");
        c.months = number(attrition[i], w, "months");
        const std::string model = text(attrition[i], w, "model", false);
        if (model == "exposure")
            c.model = offroi::attrition_count_model::exposure;
        else if (!model.empty() && model != "cohort")
            fail(w + ".model", "\"" + model + "\" is invalid; must be \"cohort\" or \"exposure\"");
        obs.attrition.push_back(c);
    }
    const auto outputs = array("outputs");
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        const std::string w = "outputs[" + std::to_string(i) + "]";
        keys(outputs[i], w, {"output", "value", "sd"});
        obs.outputs.push_back({text(outputs[i], w, "output", true), number(outputs[i], w, "value"), number(outputs[i], w, "sd")});
    }
}

std::string fmt(double v, int digits = 4) {
    std::ostringstream os;
    os.precision(digits);
    os << v;
    return os.str();
}

std::string diag_words(const offroi::weight_diagnostics& d, double min_ess) {
    auto k = [](double v) {
        if (std::isinf(v)) return std::string(v > 0 ? "inf" : "-inf (equal weights)");
        char b[32];
        std::snprintf(b, sizeof b, "%.2f", v);
        return std::string(b);
    };
    char th[32], ess[32];
    std::snprintf(th, sizeof th, "%.2f", d.k_threshold);
    std::snprintf(ess, sizeof ess, "%.0f", d.ess);
    return "PSIS k-hat " + k(d.k_hat) + (d.k_hat <= d.k_threshold ? " <= " : " > ") + th + ", ESS " + ess +
           (d.ess >= min_ess ? " >= " : " < ") + fmt(min_ess, 6) + " of " + std::to_string(d.trials) + " trials";
}

std::string report(const offroi::scenario& s, const offroi::scenario_update_result& r, double min_ess) {
    using offroi::format_percent;
    using offroi::format_usd;
    using offroi::detail::pad;
    std::ostringstream os;
    os << "offroi update: " << s.name << "\n\nObserved:\n";
    for (const auto& q : r.observed) {
        os << "  " << q.name << ": " << q.observation << "\n"
           << "    prior   mean " << fmt(q.prior_mean) << "  (P10 " << fmt(q.prior_p10) << ", P90 " << fmt(q.prior_p90)
           << ")\n"
           << "    updated mean " << fmt(q.updated_mean) << "  (P10 " << fmt(q.updated_p10) << ", P90 "
           << fmt(q.updated_p90) << ")\n";
    }
    if (r.observed.empty()) os << "  nothing: the updated forecast is the prior one\n";
    const char* how = r.method == offroi::update_method::reweighting ? "reweighting of the prior trials"
                      : r.method == offroi::update_method::more_trials
                          ? "reweighting of more prior trials (the first ones were too few)"
                          : "fallback: refitted the observed inputs and re-ran the scenario";
    os << "\nMethod: " << how << " -- " << diag_words(r.diagnostics, min_ess) << ": "
       << (r.reliable ? "reliable." : "NOT reliable, read the updated numbers as indicative.") << "\n";
    if (r.method != offroi::update_method::reweighting)
        os << "  (reweighting the prior trials alone: " << diag_words(r.prior_reweighting, min_ess) << ")\n";
    os << "\nNet benefit against " << s.baseline.name << " (USD), prior -> updated:\n";
    os << pad("arrangement", 22, false) << pad("", 8) << pad("P10", 10) << pad("P50", 10) << pad("P90", 10)
       << pad("mean", 10) << pad("+- SE", 9) << pad("P(loss)", 9) << pad("P(deliv.)", 10) << pad("P(b-even)", 10)
       << pad("b-even P50", 11) << "\n";
    for (const auto& a : r.arrangements) {
        if (a.is_baseline) {
            os << pad(a.name + " (baseline)", 22, false) << pad("prior", 8) << pad("", 58)
               << pad(format_percent(a.prior_delivered.p), 10) << "\n"
               << pad("", 22) << pad("updated", 8) << pad("", 58) << pad(format_percent(a.updated_delivered.p), 10) << "\n";
            continue;
        }
        auto row = [&](const char* label, const offroi::weighted_summary& w, const offroi::probability_estimate& d,
                       const offroi::probability_estimate& b, double be) {
            return pad(label, 8) + pad(format_usd(w.p10), 10) + pad(format_usd(w.p50), 10) + pad(format_usd(w.p90), 10) +
                   pad(format_usd(w.mean), 10) + pad(format_usd(w.mean_se), 9) + pad(format_percent(w.prob_loss.p), 9) +
                   pad(format_percent(d.p), 10) + pad(format_percent(b.p), 10) +
                   pad(offroi::format_month(be, s.horizon_months), 11) + "\n";
        };
        os << pad(a.name, 22, false) << row("prior", a.prior, a.prior_delivered, a.prior_breakeven, a.prior_breakeven_p50)
           << pad("", 22) << row("updated", a.updated, a.updated_delivered, a.updated_breakeven, a.updated_breakeven_p50);
    }
    for (const auto& a : r.arrangements) {
        if (a.is_baseline || a.updated_order.empty()) continue;
        os << "\nWhat drives " << a.name << "'s net benefit now (weighted SRRC, top 5; prior in brackets):\n";
        for (std::size_t k = 0; k < std::min<std::size_t>(5, a.updated_order.size()); ++k) {
            const std::size_t i = a.updated_order[k];
            std::size_t prior_rank = 0;
            while (prior_rank < a.prior_order.size() && a.prior_order[prior_rank] != i) ++prior_rank;
            char b[96];
            std::snprintf(b, sizeof b, "  %+.2f  (%+.2f, was #%zu)  ", a.updated_drivers.srrc[i],
                          i < a.prior_drivers.srrc.size() ? a.prior_drivers.srrc[i] : 0.0, prior_rank + 1);
            os << b << a.updated_drivers.names[i] << "\n";
        }
    }
    if (!r.notes.empty()) {
        os << "\nNotes:\n";
        for (const auto& n : r.notes) os << "  - " << n << "\n";
    }
    return os.str();
}

nlohmann::json summary_json(const offroi::weighted_summary& w) {
    return {{"p10", w.p10}, {"p50", w.p50}, {"p90", w.p90}, {"mean", w.mean}, {"mean_se", w.mean_se},
            {"sd", w.sd}, {"prob_loss", w.prob_loss.p}, {"prob_loss_se", w.prob_loss.se},
            {"expected_shortfall", w.expected_shortfall}, {"alpha", w.alpha}, {"ess", w.ess}};
}

nlohmann::json diag_json(const offroi::weight_diagnostics& d) {
    auto finite = [](double v) -> nlohmann::json { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); };
    const char* tail = d.tail == offroi::psis_tail::fitted     ? "fitted"
                       : d.tail == offroi::psis_tail::constant ? "constant"
                       : d.tail == offroi::psis_tail::too_short ? "too_short"
                                                                : "degenerate";
    return {{"trials", d.trials}, {"k_hat", finite(d.k_hat)}, {"k_threshold", d.k_threshold}, {"ess", d.ess},
            {"raw_ess", d.raw_ess}, {"tail", tail}, {"reliable", d.reliable}};
}

nlohmann::json to_json(const offroi::scenario& s, const offroi::scenario_update_result& r) {
    nlohmann::json j;
    j["scenario"] = s.name;
    j["method"] = offroi::to_string(r.method);
    j["reliable"] = r.reliable;
    j["diagnostics"] = diag_json(r.diagnostics);
    j["prior_reweighting"] = diag_json(r.prior_reweighting);
    j["refitted_inputs"] = r.refitted_inputs;
    j["copula_corrected"] = r.copula_corrected;
    j["notes"] = r.notes;
    j["observed"] = nlohmann::json::array();
    for (const auto& q : r.observed)
        j["observed"].push_back({{"name", q.name}, {"kind", q.kind}, {"observation", q.observation},
                                 {"prior", {{"mean", q.prior_mean}, {"sd", q.prior_sd}, {"p10", q.prior_p10},
                                            {"p50", q.prior_p50}, {"p90", q.prior_p90}}},
                                 {"updated", {{"mean", q.updated_mean}, {"sd", q.updated_sd}, {"p10", q.updated_p10},
                                              {"p50", q.updated_p50}, {"p90", q.updated_p90}}}});
    j["arrangements"] = nlohmann::json::array();
    for (const auto& a : r.arrangements) {
        nlohmann::json x{{"name", a.name}, {"is_baseline", a.is_baseline},
                         {"prior", {{"prob_delivered", a.prior_delivered.p}}},
                         {"updated", {{"prob_delivered", a.updated_delivered.p}}}};
        if (!a.is_baseline) {
            x["prior"]["net_benefit"] = summary_json(a.prior);
            x["updated"]["net_benefit"] = summary_json(a.updated);
            x["prior"]["prob_breakeven_in_horizon"] = a.prior_breakeven.p;
            x["updated"]["prob_breakeven_in_horizon"] = a.updated_breakeven.p;
            x["prior"]["breakeven_month_p50"] = a.prior_breakeven_p50;
            x["updated"]["breakeven_month_p50"] = a.updated_breakeven_p50;
            nlohmann::json drivers = nlohmann::json::array();
            for (std::size_t i : a.updated_order)
                drivers.push_back({{"input", a.updated_drivers.names[i]},
                                   {"srrc_updated", a.updated_drivers.srrc[i]},
                                   {"srrc_prior", i < a.prior_drivers.srrc.size() ? a.prior_drivers.srrc[i] : 0.0},
                                   {"prcc_updated", a.updated_drivers.prcc[i]}});
            x["drivers"] = drivers;
        }
        j["arrangements"].push_back(x);
    }
    return j;
}

std::string to_csv(const offroi::scenario_update_result& r) {
    std::ostringstream os;
    os.precision(17);
    os << "arrangement,when,p10,p50,p90,mean,mean_se,prob_loss,expected_shortfall,prob_delivered,"
          "prob_breakeven_in_horizon,breakeven_month_p50,method,k_hat,ess,reliable\n";
    for (const auto& a : r.arrangements)
        for (int u = 0; u < 2; ++u) {
            const auto& w = u ? a.updated : a.prior;
            const auto& d = u ? a.updated_delivered : a.prior_delivered;
            os << a.name << ',' << (u ? "updated" : "prior") << ',';
            if (a.is_baseline)
                os << ",,,,,,,";
            else
                os << w.p10 << ',' << w.p50 << ',' << w.p90 << ',' << w.mean << ',' << w.mean_se << ',' << w.prob_loss.p
                   << ',' << w.expected_shortfall << ',';
            os << d.p << ',';
            if (a.is_baseline)
                os << ",,";
            else
                os << (u ? a.updated_breakeven.p : a.prior_breakeven.p) << ','
                   << (u ? a.updated_breakeven_p50 : a.prior_breakeven_p50) << ',';
            os << offroi::to_string(r.method) << ',' << r.diagnostics.k_hat << ',' << r.diagnostics.ess << ','
               << (r.reliable ? 1 : 0) << "\n";
        }
    return os.str();
}

}  // namespace

void register_update(CLI::App& app) {
    auto f = std::make_shared<update_flags>();
    auto* sub = app.add_subcommand(
        "update", "Learn from what the first months showed: observed inputs (rates, attrition counts) and metrics "
                  "update the forecast (prior vs updated, PSIS k-hat, ESS, method)");
    sub->add_option("scenario", f->scenario,
                    "Scenario JSON file or bundled scenario name (default: the built-in default scenario)");
    add_inputs(sub, f->inputs);
    sub->add_option("--observe", f->observe,
                    "NAME=VALUE+-SD, repeatable: a measured input (offshore_team.hourly_rate_usd=42+-2) or output "
                    "of an arrangement (offshore_team.rework_share=0.31+-0.02); an exact value: +-1e-9");
    sub->add_option("--leavers", f->leavers, "Attrition count: K engineers left ...")->check(CLI::Range(0, 1000000000));
    sub->add_option("--of", f->engineers, "... of E engineers ...")->check(CLI::Range(1, 1000000000));
    sub->add_option("--months", f->months, "... over M months");
    sub->add_option("--arrangement", f->arrangement, "Whose attrition was counted (default: the first alternative)");
    sub->add_flag("--exposure", f->exposure,
                  "Leavers were replaced and the seats kept filled (Poisson on E*M engineer-months); default: a "
                  "cohort of E engineers followed for M months (binomial)");
    sub->add_option("--observations", f->observations_file, "Observations JSON file (docs/learning-from-data.md)");
    sub->add_option("--trials", f->trials, "Prior trials reweighted (default 50000)")
        ->transform(whole_number(100, offroi::limits::max_driver_trials, "every trial is kept"));
    sub->add_option("--max-trials", f->max_trials, "Cap when more trials are needed (default 200000)")
        ->transform(whole_number(100, offroi::limits::max_driver_trials, "every trial is kept"));
    sub->add_option("--min-ess", f->min_ess, "Effective sample size target (default 1000)")->check(CLI::Range(1.0, 1e12));
    sub->add_option("--fallback", f->fallback, "When to use the fallback: auto, never or always (default auto)")
        ->check(CLI::IsMember({"auto", "never", "always"}));
    sub->add_option("--seed", f->seed, "Seed (default: the scenario's)")->transform(seed_number());
    sub->add_option("--threads", f->threads, "Worker threads (0: all; results never depend on it)")
        ->check(CLI::Range(0u, 1024u));
    sub->add_option("--format", f->format, "Output format: table, json or csv")
        ->check(CLI::IsMember({"table", "json", "csv"}));
    sub->add_option("--output,-o", f->output, "Write the report to FILE instead of stdout");
    sub->final_callback([f] {
        const offroi::scenario s = load(f->scenario, f->inputs);
        offroi::observations obs;
        if (!f->observations_file.empty()) read_observations(f->observations_file, obs);
        for (const auto& a : f->observe) parse_observe(a, s, obs);
        const int given = int(f->leavers.has_value()) + int(f->engineers.has_value()) + int(f->months.has_value());
        if (given != 0 && given != 3)
            throw usage_error("an attrition count needs all of --leavers K --of E --months M");
        if (given == 3)
            obs.attrition.push_back({f->arrangement, *f->leavers, *f->engineers, *f->months,
                                     f->exposure ? offroi::attrition_count_model::exposure
                                                 : offroi::attrition_count_model::cohort});
        else if (f->exposure || !f->arrangement.empty())
            throw usage_error("--arrangement and --exposure describe an attrition count: give --leavers K --of E --months M");
        if (obs.empty())
            throw usage_error("nothing observed: give --observe NAME=VALUE+-SD, --leavers K --of E --months M, or "
                              "--observations FILE");
        offroi::update_options o;
        o.trials = f->trials;
        o.max_trials = std::max(f->max_trials, f->trials);
        o.min_ess = f->min_ess;
        o.seed = f->seed;
        o.threads = f->threads;
        o.fallback = f->fallback == "never"    ? offroi::update_fallback::never
                     : f->fallback == "always" ? offroi::update_fallback::always
                                               : offroi::update_fallback::automatic;
        const auto r = offroi::update_scenario(s, obs, o);
        common_flags out;
        out.output = f->output;
        if (f->format == "json")
            emit(out, dump(to_json(s, r)));
        else if (f->format == "csv")
            emit(out, to_csv(r));
        else
            emit(out, report(s, r, o.min_ess));
    });
}

}  // namespace offroi_cli
