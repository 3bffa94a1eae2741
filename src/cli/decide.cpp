// offroi decide: is a pilot worth it, and what to do when it ends? A pilot of k engineers of
// an alternative for m months, then scale up, keep the pilot or exit to the baseline, against
// committing now and never starting (include/offroi/decision/staged_decision.hpp).

#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "offroi/analysis/report.hpp"
#include "offroi/decision/staged_decision.hpp"
#include "offroi/decision/staged_decision_json.hpp"

namespace offroi_cli {

namespace {

struct decide_flags {
    std::string inputs;  // --inputs: assumption table
    std::string scenario;
    std::string arrangement;
    double pilot_headcount = 3;
    int decision_month = 6;
    std::uint64_t training = 20000, evaluation = 20000;
    double output_cv = 0.35, work_items = 8;
    std::optional<std::uint64_t> seed;
    unsigned threads = 0;
    std::string format = "table";
    std::string output;
};

std::string report(const offroi::scenario& s, const offroi::staged_decision_result& r) {
    using offroi::detail::pad;
    using offroi::format_percent;
    using offroi::format_usd;
    std::ostringstream os;
    os << "offroi decide: " << s.name << "\n"
       << "Pilot " << r.pilot.arrangement << " with " << offroi::detail::format_value(r.pilot.pilot_headcount)
       << " of " << offroi::detail::format_value(r.full_headcount) << " engineers for " << r.pilot.decision_month
       << " months, then scale up, keep the pilot team, or exit to " << r.baseline << ".\n"
       << "Policies learnt on " << r.training_trials << " draws, every strategy valued on " << r.evaluation_trials
       << " fresh draws (seed " << r.seed << "); net benefit against " << r.baseline << ".\n\n";
    os << pad("strategy", 46, false) << pad("mean", 10) << pad("+- SE", 9) << pad("P10", 10) << pad("P50", 10)
       << pad("P90", 10) << pad("P(loss)", 9) << "\n";
    for (std::size_t i = 0; i < r.strategies.size(); ++i) {
        const auto& v = r.strategies[i];
        std::string name = v.strategy;
        if (i == r.recommended) name += "  <- learnt";
        os << pad(name, 46, false) << pad(format_usd(v.mean), 10) << pad(format_usd(v.standard_error), 9)
           << pad(format_usd(v.p10), 10) << pad(format_usd(v.p50), 10) << pad(format_usd(v.p90), 10)
           << pad(format_percent(v.prob_loss), 9) << "\n";
    }
    const auto& staged = r.strategies[r.recommended];
    const double commit = r.strategy("commit now").mean;
    os << "\nDecision rule (" << r.recommended_policy << " recommended; the best one-signal rule):\n  " << r.rule_text
       << "\n";
    os << "Under the learnt policy: scale " << format_percent(r.action_shares[0]) << ", stay "
       << format_percent(r.action_shares[1]) << ", exit " << format_percent(r.action_shares[2])
       << " of the draws.\n\n";
    os << "Option value of piloting: " << format_usd(r.option_value) << " +- " << format_usd(r.option_value_se)
       << " (pilot-then-decide minus the better of committing now and never starting).\n";
    if (r.option_value > 2 * r.option_value_se)
        os << "  -> Pilot first: what the pilot shows is worth more than the time and money it costs.\n";
    else if (r.option_value < -2 * r.option_value_se)
        os << "  -> Do not pilot: " << (commit > 0 ? "committing now" : "not starting") << " is worth "
           << format_usd(-r.option_value) << " more; the pilot's cost (a smaller team for "
           << r.pilot.decision_month << " months, set-up, delay) exceeds what it can reveal.\n";
    else
        os << "  -> No clear difference between piloting and the best choice today.\n";
    os << "Value of information for the choice today (commit now or never start):\n"
       << "  EVPI " << format_usd(r.evpi_now) << " +- " << format_usd(r.evpi_now_se)
       << ": the most any information could be worth;\n"
       << "  EVSI " << format_usd(r.evsi) << " +- " << format_usd(r.evsi_se)
       << ": what the pilot's observations would be worth if they came free and at once.\n"
       << "Perfect information at month " << r.pilot.decision_month << " would be worth "
       << format_usd(r.strategy("perfect information at the decision month").mean - staged.mean)
       << " more than the learnt policy.\n";
    return os.str();
}

}  // namespace

void register_decide(CLI::App& app) {
    auto f = std::make_shared<decide_flags>();
    auto* sub = app.add_subcommand(
        "decide", "Pilot first? Value a pilot of k engineers for m months, then scale / stay / exit, "
                  "against committing now and never starting; the decision rule in plain words");
    sub->add_option("scenario", f->scenario,
                    "Scenario JSON file or bundled scenario name (default: the built-in default scenario)");
    add_inputs(sub, f->inputs);
    sub->add_option("--arrangement", f->arrangement, "The alternative piloted (default: the first)");
    sub->add_option("--pilot-headcount,-k", f->pilot_headcount, "Engineers in the pilot (default 3)")
        ->check(CLI::Range(1e-9, 1e6));
    sub->add_option("--decision-month,-m", f->decision_month, "Months of pilot before the decision (default 6)")
        ->check(CLI::Range(1, 599));
    sub->add_option("--training-trials", f->training, "Draws the policies are learnt on (default 20000)")
        ->transform(whole_number(1000, 1000000));
    sub->add_option("--evaluation-trials", f->evaluation, "Fresh draws the strategies are valued on (default 20000)")
        ->transform(whole_number(1000, 1000000));
    sub->add_option("--output-cv", f->output_cv,
                    "CV of one engineer-month's measured useful output (default 0.35)")
        ->check(CLI::Range(0.0, 10.0));
    sub->add_option("--work-items", f->work_items,
                    "Work items per engineer-month whose rework is classified (default 8)")
        ->check(CLI::Range(1e-9, 1e6));
    sub->add_option("--seed", f->seed, "Seed (default: the scenario's)")->transform(seed_number());
    sub->add_option("--threads", f->threads, "Worker threads (0: all; results never depend on it)")
        ->check(CLI::Range(0u, 1024u));
    sub->add_option("--format", f->format, "Output format: table, json or csv")
        ->check(CLI::IsMember({"table", "json", "csv"}));
    sub->add_option("--output,-o", f->output, "Write the report to FILE instead of stdout");
    sub->final_callback([f] {
        const offroi::scenario s = load(f->scenario, f->inputs);
        offroi::staged_decision_options o;
        o.pilot.arrangement = f->arrangement;
        o.pilot.pilot_headcount = f->pilot_headcount;
        o.pilot.decision_month = f->decision_month;
        o.pilot.observation.output_cv = f->output_cv;
        o.pilot.observation.work_items_per_engineer_month = f->work_items;
        o.training_trials = f->training;
        o.evaluation_trials = f->evaluation;
        o.seed = f->seed;
        o.threads = f->threads;
        const auto r = offroi::staged_decision(s, o);
        common_flags out;
        out.output = f->output;
        if (f->format == "json") {
            emit(out, dump(offroi::to_json(r)));
        } else if (f->format == "csv") {
            std::ostringstream os;
            os.precision(17);
            os << "strategy,mean,standard_error,p10,p50,p90,prob_loss,recommended\n";
            for (std::size_t i = 0; i < r.strategies.size(); ++i) {
                const auto& v = r.strategies[i];
                os << '"' << v.strategy << "\"," << v.mean << ',' << v.standard_error << ',' << v.p10 << ',' << v.p50
                   << ',' << v.p90 << ',' << v.prob_loss << ',' << (i == r.recommended ? 1 : 0) << "\n";
            }
            emit(out, os.str());
        } else {
            emit(out, report(s, r));
        }
    });
}

}  // namespace offroi_cli
