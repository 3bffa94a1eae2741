// offroi report: the self-contained HTML report of a run (include/offroi/report/html_report.hpp):
// the run exactly as `offroi run --format json` makes it with the same flags (same draws, same
// drivers), optionally a tornado (--tornado) and a staged decision (--decide), written as one
// HTML file with no network access.

#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "offroi/analysis/model_sensitivity.hpp"
#include "offroi/decision/staged_decision.hpp"
#include "offroi/decision/staged_decision_json.hpp"
#include "offroi/report/html_report.hpp"

namespace offroi_cli {

namespace {

struct report_flags {
    common_flags common;
    std::uint64_t driver_trials = 20000;
    bool tornado = false;
    std::size_t event_trials = 256;
    bool decide = false;
    std::string arrangement;
    double pilot_headcount = 3;
    int decision_month = 6;
    std::uint64_t decision_trials = 20000;
};

// The scenario's JSON document, notes included: the file's own text (a bundled name resolved
// as `load` does), or the complete form of the built-in default scenario.
nlohmann::json scenario_document(const std::string& arg, const offroi::scenario& s) {
    if (arg.empty()) return offroi::to_json(s, offroi::field_style::complete);
    fs::path file = arg;
    std::error_code ec;
    if (!fs::exists(arg, ec) && arg.find('/') == std::string::npos)
        for (const auto& f : bundled_scenarios())
            if (f.stem() == arg || f.filename() == arg) file = f;
    std::ifstream in(file, std::ios::binary);
    if (!in) throw usage_error(arg + ": cannot read the scenario file");
    // Already read and validated by load(): a second parse cannot fail on the same bytes.
    return nlohmann::json::parse(in);
}

}  // namespace

void register_report(CLI::App& app) {
    auto f = std::make_shared<report_flags>();
    auto* sub = app.add_subcommand(
        "report", "Write a self-contained HTML report (no network, no script): the question, assumptions, "
                  "net benefit P10/P50/P90, P(loss), delivery, break-even, parity, CDFs, waterfall, drivers, "
                  "optional tornado and pilot decision, and how to rerun it");
    sub->add_option("scenario", f->common.scenario,
                    "Scenario JSON file or bundled scenario name (default: the built-in default scenario)");
    sub->add_option("--trials", f->common.trials, "Number of trials (>= 2)")
        ->transform(whole_number(2, offroi::limits::max_trials, "the limit of trials"));
    sub->add_option("--seed", f->common.seed, "Seed (default: the scenario's)")->transform(seed_number());
    sub->add_option("--sampler", f->common.sampler, "Design: mc, lhs or sobol (default: the scenario's)")
        ->check(CLI::IsMember({"mc", "lhs", "sobol"}));
    sub->add_option("--threads", f->common.threads, "Worker threads (0: all; results never depend on it)")
        ->check(CLI::Range(0u, 1024u));
    sub->add_option("--output,-o", f->common.output, "Write the HTML to FILE (default: standard output)");
    add_inputs(sub, f->common.inputs);
    sub->add_option("--driver-trials", f->driver_trials, "Trials whose draws rank the drivers (0: no drivers)")
        ->transform(whole_number(0, offroi::limits::max_driver_trials, "the limit of driver trials"));
    sub->add_flag("--tornado", f->tornado, "Add a tornado of the alternative's net benefit (--arrangement)");
    sub->add_option("--event-trials", f->event_trials, "Risk-event draws averaged per tornado point")
        ->transform(whole_number(1, std::uint64_t{1} << 20));
    sub->add_flag("--decide", f->decide,
                  "Add the staged decision of `offroi decide` (pilot first?) for the alternative (--arrangement)");
    sub->add_option("--arrangement", f->arrangement, "The alternative of --tornado and --decide (default: the first)");
    sub->add_option("--pilot-headcount,-k", f->pilot_headcount, "--decide: engineers in the pilot (default 3)")
        ->check(CLI::Range(1e-9, 1e6));
    sub->add_option("--decision-month,-m", f->decision_month, "--decide: months of pilot (default 6)")
        ->check(CLI::Range(1, 599));
    sub->add_option("--decision-trials", f->decision_trials,
                    "--decide: draws the policies are learnt on and valued on, each (default 20000)")
        ->transform(whole_number(1000, 1000000));
    sub->final_callback([f] {
        const offroi::scenario s = load(f->common);
        // The appendix reprints the file as written; with --inputs, the scenario as run.
        const nlohmann::json doc =
            f->common.inputs.empty() ? scenario_document(f->common.scenario, s) : nlohmann::json();
        // The run exactly as `offroi run` makes it with the same flags.
        offroi::run_request r = request_of(f->common);
        r.driver_trials = f->driver_trials;
        const std::uint64_t n = r.trials ? r.trials : s.simulation.trials;
        r.samples = n <= 250000 ? offroi::sample_policy::within_budget : offroi::sample_policy::never;
        r.progress = progress_bar(n * (1 + s.alternatives.size()));
        const offroi::scenario_run res = offroi::run_scenario(s, r);
        const std::vector<offroi::driver_ranking> drivers = alternative_drivers(res, r.threads);
        const auto method = r.sampler ? *r.sampler : s.simulation.method;
        offroi::html_report_data d = offroi::report_data(s, doc, res, drivers, method, f->common.scenario);
        d.inputs = f->common.inputs;
        const std::uint64_t seed = f->common.seed ? *f->common.seed : s.simulation.seed;
        if (f->tornado) {
            offroi::scenario_sensitivity_options o;
            o.arrangement = f->arrangement;
            o.event_trials = f->event_trials;
            o.seed = seed;
            const std::string arr = f->arrangement.empty() ? s.alternatives.front().name : f->arrangement;
            d.sensitivity = {{"output", arr + ".net_benefit"},
                             {"event_trials", f->event_trials},
                             {"tornado", offroi::to_json(offroi::scenario_tornado(s, o))}};
        }
        if (f->decide) {
            offroi::staged_decision_options o;
            o.pilot.arrangement = f->arrangement;
            o.pilot.pilot_headcount = f->pilot_headcount;
            o.pilot.decision_month = f->decision_month;
            o.training_trials = f->decision_trials;
            o.evaluation_trials = f->decision_trials;
            o.seed = f->common.seed;
            o.threads = f->common.threads;
            d.decision = offroi::to_json(offroi::staged_decision(s, o));
        }
        emit(f->common, offroi::html_report(d));
    });
}

}  // namespace offroi_cli
