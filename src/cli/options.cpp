// offroi options: choose among a scenario's options -- the baseline, its alternatives and
// generated variants of an alternative (--vary NAME=v1,v2,...) -- by OCBA on common random
// numbers, and show the risk/return frontier (include/offroi/decision/scenario_options.hpp).

#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "offroi/analysis/report.hpp"
#include "offroi/decision/scenario_options.hpp"
#include "offroi/decision/scenario_options_json.hpp"

namespace offroi_cli {

namespace {

struct options_flags {
    std::string inputs;  // --inputs: assumption table
    std::string scenario;
    std::vector<std::string> vary;
    std::uint64_t budget = 0;
    double target_pcs = 0;
    std::uint64_t initial = 1024;
    std::uint64_t increment = 4096;
    std::uint64_t frontier_trials = 10000;
    bool no_baseline = false;
    bool no_alternatives = false;
    bool independent = false;
    bool equal = false;
    std::optional<std::uint64_t> seed;
    std::string sampler;
    unsigned threads = 0;
    std::string format = "table";
    std::string output;
};

// "offshore_team.overlap_hours=0,2,4" -> the variation; usage_error on anything else.
offroi::option_variation parse_vary(const std::string& arg) {
    const auto eq = arg.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == arg.size())
        throw usage_error("--vary " + arg + ": expected NAME=v1,v2,... (e.g. offshore_team.overlap_hours=0,2,4,6,8)");
    offroi::option_variation v;
    v.input = arg.substr(0, eq);
    std::size_t p = eq + 1;
    while (p <= arg.size()) {
        std::size_t q = arg.find(',', p);
        if (q == std::string::npos) q = arg.size();
        const std::string tok = arg.substr(p, q - p);
        double x = 0;
        const auto r = std::from_chars(tok.data(), tok.data() + tok.size(), x);
        if (tok.empty() || r.ec != std::errc() || r.ptr != tok.data() + tok.size())
            throw usage_error("--vary " + arg + ": \"" + tok + "\" is not a number");
        v.values.push_back(x);
        p = q + 1;
    }
    return v;
}

std::string money(double v) { return offroi::format_usd(v); }
std::string pct(double p) { return offroi::format_percent(p); }
// A probability that rounds to 100% is not certainty: show it as ">99.9%".
std::string sure(double p) { return p >= 0.9995 && p < 1.0 ? std::string(">99.9%") : offroi::format_percent(p); }
std::string pm(double se) { return "+-" + offroi::format_usd(se); }

std::string table_report(const offroi::scenario_options_result& r, std::uint64_t budget) {
    using offroi::detail::pad;
    const auto& sel = r.selection;
    const auto& fr = r.frontier;
    const std::size_t k = r.options.size();
    std::size_t w = 8;
    for (const auto& o : r.options) w = std::max(w, o.name.size() + 2);
    std::ostringstream o;
    o << "offroi options: " << r.scenario_name << " -- " << k << " options, net benefit vs " << r.baseline
      << " (USD, present value)\n";
    o << "  OCBA on common random numbers: " << sel.total_trials << " trials of " << budget << " budgeted"
      << (sel.reached_target ? " (stopped at the target)" : "") << ", seed " << r.seed
      << "; every option runs the same draws\n\n";
    const auto& best = r.options[sel.best];
    std::size_t runner = sel.best;
    for (std::size_t i = 0; i < k; ++i)
        if (i != sel.best && (runner == sel.best || sel.options[i].difference > sel.options[runner].difference)) runner = i;
    o << "Best option: " << best.name << (best.is_baseline ? " (keep the baseline)" : "") << "\n";
    o << "  expected net benefit " << money(sel.options[sel.best].adjusted_mean);
    if (runner != sel.best)
        o << ", " << money(-sel.options[runner].difference) << " (" << pm(sel.options[runner].difference_se)
          << ") more than the runner-up, " << r.options[runner].name;
    o << "\n  how sure: " << sure(sel.apcs)
      << " approximate probability that this is the best (Bonferroni bound over the rivals)\n\n";

    o << pad("option", w, false) << pad("trials", 8) << pad("mean", 10) << pad("+-SE", 9) << pad("vs best", 10)
      << pad("+-SE", 9) << pad("P(best is better)", 19) << "\n";
    for (std::size_t i = 0; i < k; ++i) {
        const auto& e = sel.options[i];
        o << pad(r.options[i].name, w, false) << pad(std::to_string(e.trials), 8) << pad(money(e.adjusted_mean), 10)
          << pad(money(e.adjusted_se), 9)
          << pad(i == sel.best ? std::string("best") : money(e.difference), 10)
          << pad(i == sel.best ? std::string("") : money(e.difference_se), 9)
          << pad(i == sel.best ? std::string("") : sure(e.pcs), 19) << "\n";
    }
    o << "  mean: corrected for the common noise of its trials by the most-simulated option (control variate);\n"
         "  vs best: the paired difference on the trials both ran. OCBA gives more trials to options whose\n"
         "  difference to the best is small next to its spread.\n\n";

    const std::string p = offroi::detail::fmt("P%g", 100 * fr.settings.percentile);
    const std::string c = offroi::detail::fmt("CVaR%g", 100 * fr.settings.tail_mass);
    o << "Risk and return (the first " << r.frontier_trials << " trials of every option, the same draws):\n";
    o << pad("option", w, false) << pad("mean", 10) << pad(p, 10) << pad(c, 10) << pad("P(loss)", 9)
      << "  efficient on\n";
    for (std::size_t i = 0; i < k; ++i) {
        const auto& f = fr.options[i];
        std::string eff;
        if (f.efficient_percentile) eff += "mean-" + p;
        if (f.efficient_cvar) eff += std::string(eff.empty() ? "" : ", ") + "mean-" + c;
        if (eff.empty()) eff = "dominated by " + r.options[f.dominated_by_percentile].name;
        o << pad(r.options[i].name, w, false) << pad(money(f.mean), 10) << pad(money(f.percentile), 10)
          << pad(money(f.cvar), 10) << pad(pct(f.prob_loss), 9) << "  " << eff << "\n";
    }
    o << "  " << c << ": mean net benefit of the worst " << pct(fr.settings.tail_mass) << " of trials; P(loss): P(net benefit < "
      << money(fr.settings.loss_threshold) << ")\n\n";
    o << "The frontier (mean vs " << p << "), from the most expected value to the safest:\n";
    for (std::size_t j = 0; j < fr.percentile_frontier.size(); ++j) {
        const std::size_t i = fr.percentile_frontier[j];
        const auto& f = fr.options[i];
        o << "  " << j + 1 << ". " << r.options[i].name << ": mean " << money(f.mean) << ", " << p << " "
          << money(f.percentile);
        if (j > 0) {
            const auto& prev = fr.options[fr.percentile_frontier[j - 1]];
            o << " -- gives up " << money(prev.mean - f.mean) << " of mean for " << money(f.percentile - prev.percentile)
              << " more in a bad case";
        }
        o << "\n";
    }
    if (fr.percentile_frontier.size() == 1)
        o << "  one option has both the highest mean and the best " << p << ": no trade-off to make.\n";
    o << "On mean vs " << c << ":";
    for (std::size_t j = 0; j < fr.cvar_frontier.size(); ++j) {
        const std::size_t i = fr.cvar_frontier[j];
        o << (j ? "; " : " ") << r.options[i].name << " (" << money(fr.options[i].mean) << ", " << c << " "
          << money(fr.options[i].cvar) << ")";
    }
    o << "\n";
    return o.str();
}

std::string csv_quote(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
}

std::string num(double v) {
    std::ostringstream o;
    o.precision(17);
    o << v;
    return o.str();
}

std::string csv_report(const offroi::scenario_options_result& r) {
    std::string o =
        "option,arrangement,is_baseline,best,trials,mean,standard_error,adjusted_mean,adjusted_se,difference,difference_se,pcs,"
        "frontier_mean,p10,cvar,cvar_se,prob_loss,efficient_p10,efficient_cvar\n";
    for (std::size_t i = 0; i < r.options.size(); ++i) {
        const auto& e = r.selection.options[i];
        const auto& f = r.frontier.options[i];
        o += csv_quote(r.options[i].name) + "," + r.options[i].arrangement + "," +
             (r.options[i].is_baseline ? "1" : "0") + "," + (e.best ? "1" : "0") + "," + std::to_string(e.trials) +
             "," + num(e.mean) + "," + num(e.standard_error) + "," + num(e.adjusted_mean) + "," + num(e.adjusted_se) + "," + num(e.difference) +
             "," + num(e.difference_se) + "," + num(e.pcs) + "," + num(f.mean) + "," + num(f.percentile) + "," +
             num(f.cvar) + "," + num(f.cvar_se) + "," + num(f.prob_loss) + "," + (f.efficient_percentile ? "1" : "0") +
             "," + (f.efficient_cvar ? "1" : "0") + "\n";
    }
    return o;
}

}  // namespace

void register_options(CLI::App& app) {
    auto f = std::make_shared<options_flags>();
    auto* cmd = app.add_subcommand(
        "options",
        "Choose among options -- the baseline, the alternatives and variants of an input (--vary) -- by OCBA on "
        "common random numbers; show how sure the choice is and the risk/return frontier");
    cmd->add_option("scenario", f->scenario,
                    "Scenario JSON file or bundled scenario name (default: the built-in default scenario)");
    add_inputs(cmd, f->inputs);
    cmd->add_option("--vary", f->vary,
                    "An alternative's input and its values, NAME=v1,v2,... (e.g. offshore_team.overlap_hours=0,2,4,6,8); "
                    "repeat for a grid (same alternative) or more variant sets")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    cmd->add_option("--budget", f->budget, "Total trials for the selection over all options (default: 20000 per option)")
        ->transform(whole_number(1, 100000000, "the limit of a selection's trials"));
    cmd->add_option("--target-pcs", f->target_pcs,
                    "Stop when the approximate probability of correct selection reaches this (0: spend the budget)")
        ->check(CLI::Range(0.0, 0.999999));
    cmd->add_option("--initial", f->initial, "Trials per option before OCBA allocates (a multiple of 256)")
        ->transform(whole_number(1, 10000000));
    cmd->add_option("--increment", f->increment, "Trials added per OCBA round (a multiple of 256)")
        ->transform(whole_number(1, 10000000));
    cmd->add_option("--frontier-trials", f->frontier_trials, "Trials per option for the risk/return frontier")
        ->transform(whole_number(1, offroi::limits::max_driver_trials, "every trial is kept"));
    cmd->add_flag("--no-baseline", f->no_baseline, "Leave the baseline (net benefit 0) out of the options");
    cmd->add_flag("--no-alternatives", f->no_alternatives, "Only the generated variants (and the baseline)");
    cmd->add_flag("--equal", f->equal, "Equal allocation instead of OCBA (for comparison)");
    cmd->add_flag("--independent", f->independent,
                  "Chen et al.'s independent-sampling variances instead of the paired CRN ones (for comparison)");
    cmd->add_option("--seed", f->seed, "Seed (default: the scenario's)")->transform(seed_number());
    cmd->add_option("--sampler", f->sampler, "Design: mc, lhs or sobol (default: the scenario's)")
        ->check(CLI::IsMember({"mc", "lhs", "sobol"}));
    cmd->add_option("--threads", f->threads, "Worker threads (0: all; results never depend on it)")
        ->check(CLI::Range(0u, 1024u));
    cmd->add_option("--format", f->format, "Output format: table, json or csv")
        ->check(CLI::IsMember({"table", "json", "csv"}));
    cmd->add_option("--output,-o", f->output, "Write the report to FILE instead of stdout");
    cmd->final_callback([f] {
        const offroi::scenario s = load(f->scenario, f->inputs);
        offroi::scenario_options_request r;
        for (const auto& v : f->vary) r.vary.push_back(parse_vary(v));
        r.include_baseline = !f->no_baseline;
        r.include_alternatives = !f->no_alternatives;
        r.selection.budget = f->budget;
        r.selection.target_pcs = f->target_pcs;
        r.selection.initial_trials = f->initial;
        r.selection.increment = f->increment;
        r.selection.threads = f->threads;
        if (f->equal) r.selection.rule = offroi::allocation_rule::equal;
        if (f->independent) r.selection.variance = offroi::comparison_variance::independent;
        r.frontier_trials = f->frontier_trials;
        r.seed = f->seed;
        if (f->sampler == "mc") r.sampler = offroi::sampling_method::monte_carlo;
        else if (f->sampler == "lhs") r.sampler = offroi::sampling_method::latin_hypercube;
        else if (f->sampler == "sobol") r.sampler = offroi::sampling_method::sobol;
        const auto res = offroi::choose_options(s, r);
        const std::uint64_t budget = f->budget ? f->budget : std::uint64_t(res.options.size()) * 20000;
        common_flags out;
        out.output = f->output;
        if (f->format == "json") emit(out, dump(offroi::to_json(res, budget)));
        else if (f->format == "csv") emit(out, csv_report(res));
        else emit(out, table_report(res, budget));
    });
}

}  // namespace offroi_cli
