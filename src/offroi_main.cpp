// offroi: the command-line tool. A thin layer over the headers: parse flags (CLI11), load
// the scenario (io), run the analysis (analysis/), print a report (analysis/report.hpp) or
// JSON/CSV. Exit codes: 0 success, 2 bad input or usage, 1 internal error.

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "offroi/analysis.hpp"
#include "offroi/analysis/analysis_json.hpp"
#include "offroi/analysis/report.hpp"
#include "offroi/io.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"

using namespace offroi_cli;

int main(int argc, char** argv) {
    CLI::App app{"offroi: Monte Carlo ROI of software-development offshoring"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "offroi 0.1.0");

    // run
    common_flags run_f;
    std::string samples_file;
    std::uint64_t driver_trials = 20000;
    bool all_outputs = false;
    auto* run = app.add_subcommand("run", "Simulate a scenario and report net benefit P10/P50/P90, P(loss), delivery, break-even, parity, waterfall, drivers");
    add_common(run, run_f);
    run->add_option("--precision", run_f.precision,
                    "Stop when the 95% half-width of the mean net benefit is <= this fraction of |mean| (e.g. 0.01)")
        ->check(CLI::Range(0.0, 1.0));
    run->add_option("--samples", samples_file, "Write every trial's outputs to FILE.csv");
    run->add_option("--driver-trials", driver_trials, "Trials whose draws rank the drivers (0: no drivers)")
        ->transform(whole_number(0, offroi::limits::max_driver_trials, "the limit of driver trials"));
    run->add_flag("--all-outputs", all_outputs,
                  "Summarise every output of every arrangement (cost components, useful engineer-months, "
                  "capability tier, rework share, ...) in JSON, CSV and --samples, not only the essential ones");

    // compare
    common_flags cmp_f;
    bool independent = false;
    auto* cmp = app.add_subcommand("compare", "Arrangements side by side on common random numbers");
    add_common(cmp, cmp_f);
    cmp->add_flag("--independent", independent, "Independent draws per arrangement (control; larger SE)");

    // sensitivity
    common_flags sen_f;
    std::string method = "all", sen_arr;
    std::size_t event_trials = 256, base_samples = 256;
    auto* sen = app.add_subcommand("sensitivity", "Tornado, rank drivers (SRRC) and Sobol' indices of net benefit");
    add_common(sen, sen_f);
    sen->add_option("--method", method,
                    "tornado, rank, sobol (independent inputs), kucherenko (with the scenario's correlations) "
                    "or all (default: tornado and rank)")
        ->check(CLI::IsMember({"tornado", "rank", "sobol", "kucherenko", "all"}));
    sen->add_option("--arrangement", sen_arr, "The alternative (default: the first)");
    sen->add_option("--event-trials", event_trials, "Risk-event draws averaged per point (tornado, Sobol')")
        ->transform(whole_number(1, std::uint64_t{1} << 20));
    sen->add_option("--base-samples", base_samples, "Sobol' base samples N (cost N (d+2) x event trials)")
        ->transform(whole_number(2, std::uint64_t{1} << 20));

    // sweep
    common_flags sw_f;
    std::string sw_input;
    std::vector<double> sw_values;
    std::optional<double> sw_from, sw_to;
    std::size_t sw_steps = 10;
    bool sw_scale = false;
    auto* sw = app.add_subcommand("sweep", "Net benefit, P(loss), P(delivered) and break-even month over the values of one input (same draws per step)");
    add_common(sw, sw_f);
    sw->add_option("--input", sw_input, "Input name, e.g. offshore_team.hourly_rate_usd")->required();
    sw->add_option("--values", sw_values, "Values (comma-separated)")->delimiter(',');
    sw->add_option("--from", sw_from, "First value of a range");
    sw->add_option("--to", sw_to, "Last value of a range");
    sw->add_option("--steps", sw_steps, "Number of values in the range")->check(CLI::Range(std::size_t{1}, std::size_t{10000}));
    sw->add_flag("--scale", sw_scale, "Values are factors multiplying the input's draws");

    // breakeven
    common_flags be_f;
    std::string be_input, be_arr, be_target = "median";
    double be_lower = 0, be_upper = 0, be_ploss = 0.5;
    bool be_scale = false;
    auto* be = app.add_subcommand("breakeven", "Value of an input at which the median net benefit is 0 (or P(loss) = target); not the cash break-even month of run");
    add_common(be, be_f);
    be->add_option("--input", be_input, "Input name, e.g. offshore_team.hourly_rate_usd")->required();
    be->add_option("--lower", be_lower, "Lower end of the bracket")->required();
    be->add_option("--upper", be_upper, "Upper end of the bracket")->required();
    be->add_option("--target", be_target, "median (net benefit P50 = 0) or ploss (P(loss) = --ploss)")
        ->check(CLI::IsMember({"median", "ploss"}));
    be->add_option("--ploss", be_ploss, "Target P(loss) for --target ploss")->check(CLI::Range(0.0, 1.0));
    be->add_option("--arrangement", be_arr, "The alternative (default: the first)");
    be->add_flag("--scale", be_scale, "Search a factor multiplying the input's draws");

    // validate, schema, scenarios
    std::vector<std::string> val_files;
    std::string val_inputs;
    auto* val = app.add_subcommand("validate", "Check scenario files: the rules of the format, then a run of 256 trials "
                                               "with drivers, so that a file that validates runs (exit 2 on the first invalid one)");
    val->add_option("files", val_files, "Scenario files or bundled names")->required();
    add_inputs(val, val_inputs);
    auto* sch = app.add_subcommand("schema", "Print the JSON Schema of scenario files");
    auto* scn = app.add_subcommand("scenarios", "List the bundled scenarios");

    // Decision analyses, one file each under src/cli/ (commands.hpp).
    register_decide(app);
    register_update(app);
    register_options(app);
    register_voi(app);
    register_template(app);
    register_report(app);

    // Subcommands in their own files (src/cli/commands.hpp) run from their final callback,
    // inside parse: their errors are caught below like the core commands'.
    try {
        try {
            app.parse(argc, argv);
        } catch (const CLI::Success& e) {
            return app.exit(e);
        } catch (const CLI::ParseError& e) {
            app.exit(e);
            return 2;
        }
        if (run->parsed()) {
            const offroi::scenario s = load(run_f);
            offroi::run_request r = request_of(run_f);
            r.driver_trials = driver_trials;
            if (all_outputs) r.outputs = offroi::output_set::all;
            const std::uint64_t n = r.trials ? r.trials : s.simulation.trials;
            // Exact percentiles need every trial kept and sorted (about 1 s of CPU per 1e6
            // trials for the essential outputs); past 250 000 trials they come from the streaming
            // quantile sketch (relative accuracy stated in JSON), unless --samples needs them.
            r.samples = (n <= 250000 || !samples_file.empty()) ? offroi::sample_policy::within_budget
                                                               : offroi::sample_policy::never;
            r.progress = progress_bar(n * (1 + s.alternatives.size()));
            const offroi::scenario_run res = offroi::run_scenario(s, r);
            const std::vector<offroi::driver_ranking> drivers = alternative_drivers(res, r.threads);
            if (!samples_file.empty()) {
                if (!res.result.run.samples_kept())
                    throw usage_error("--samples: the run could not keep every trial within the memory budget; "
                                      "use fewer --trials");
                std::ofstream out(samples_file, std::ios::binary | std::ios::trunc);
                if (!out) throw usage_error(samples_file + ": cannot open the samples file for writing");
                offroi::write_samples_csv(out, res.result);
                if (!out.flush()) throw usage_error(samples_file + ": error while writing the samples file (disk full?)");
            }
            if (run_f.format == "json") emit(run_f, dump(offroi::run_to_json(s, res, drivers)));
            else if (run_f.format == "csv") {
                std::ostringstream os;
                offroi::write_result_csv(os, res.result);
                // What the scenario adds (numbers, so the value column stays numeric): the
                // framing (framing_capacity 1 = capacity, 0 = project) and the horizon that
                // prob_delivered / prob_breakeven / prob_parity refer to.
                os << ",,,scenario,framing_capacity," << (s.frame == offroi::framing::capacity ? 1 : 0) << "\n"
                   << ",,,scenario,horizon_months," << s.horizon_months << "\n";
                emit(run_f, os.str());
            } else {
                const auto method_used = r.sampler ? *r.sampler : s.simulation.method;
                emit(run_f, offroi::run_report(s, res, drivers, method_used));
            }
        } else if (cmp->parsed()) {
            require_table_or_json(cmp_f, "compare");
            const offroi::scenario s = load(cmp_f);
            offroi::compare_options o;
            o.run = request_of(cmp_f);
            o.pairing = independent ? offroi::draw_pairing::independent : offroi::draw_pairing::common;
            const auto c = offroi::compare(s, o);
            emit(cmp_f, cmp_f.format == "json" ? dump(offroi::to_json(c)) : offroi::comparison_report(c));
        } else if (sen->parsed()) {
            require_table_or_json(sen_f, "sensitivity");
            const offroi::scenario s = load(sen_f);
            offroi::scenario_sensitivity_options o;
            o.arrangement = sen_arr;
            o.event_trials = event_trials;
            o.seed = sen_f.seed ? *sen_f.seed : s.simulation.seed;
            o.sobol.base_samples = base_samples;
            o.sobol.threads = sen_f.threads;
            const bool all = method == "all";
            std::optional<offroi::tornado_result> t;
            std::optional<offroi::driver_ranking> d;
            std::optional<offroi::sobol_result> so;
            if (all || method == "tornado") t = offroi::scenario_tornado(s, o);
            if (all || method == "rank") {
                offroi::run_request r = request_of(sen_f);
                r.samples = offroi::sample_policy::never;
                r.driver_trials = r.trials ? r.trials : std::min<std::uint64_t>(s.simulation.trials, 20000);
                d = offroi::run_drivers(offroi::run_scenario(s, r), sen_arr);
            }
            if (method == "sobol" || method == "kucherenko") {
                // Cost N (d + 2) x event trials model evaluations: refuse what cannot finish.
                const double evals = double(base_samples) * double(offroi::input_names(s).size() + 2) * double(event_trials);
                if (evals > offroi::limits::max_sensitivity_evaluations)
                    throw usage_error("--base-samples " + std::to_string(base_samples) + " x (" +
                                      std::to_string(offroi::input_names(s).size()) + " inputs + 2) x --event-trials " +
                                      std::to_string(event_trials) + " = " + offroi::detail::format_value(evals) +
                                      " model evaluations is invalid; at most 1e9 (the limit of a sensitivity analysis)");
            }
            if (method == "sobol") so = offroi::scenario_sobol(s, o);
            if (method == "kucherenko") so = offroi::scenario_kucherenko(s, o);
            const std::string arr = sen_arr.empty() ? (s.alternatives.empty() ? "" : s.alternatives.front().name) : sen_arr;
            if (sen_f.format == "json") {
                nlohmann::json j = {{"output", arr + ".net_benefit"}};
                if (t) j["tornado"] = offroi::to_json(*t);
                if (d) j["rank"] = offroi::to_json(*d);
                if (so) j["sobol"] = offroi::to_json(*so);
                emit(sen_f, dump(j));
            } else {
                emit(sen_f, offroi::sensitivity_report(arr + ".net_benefit", t ? &*t : nullptr, d ? &*d : nullptr,
                                                       so ? &*so : nullptr, 10, method == "kucherenko"));
            }
        } else if (sw->parsed()) {
            require_table_or_json(sw_f, "sweep");
            const offroi::scenario s = load(sw_f);
            offroi::sweep_options o;
            o.input = sw_input;
            o.mode = sw_scale ? offroi::sweep_mode::scale : offroi::sweep_mode::set;
            o.run = request_of(sw_f);
            if (!sw_values.empty()) {
                if (sw_from || sw_to) throw usage_error("sweep: give either --values or --from/--to, not both");
                o.values = sw_values;
            } else {
                if (!sw_from || !sw_to) throw usage_error("sweep: give --values v1,v2,... or --from A --to B [--steps K]");
                o.values = offroi::linear_range(*sw_from, *sw_to, sw_steps);
            }
            const auto w = offroi::sweep(s, o);
            emit(sw_f, sw_f.format == "json" ? dump(offroi::to_json(w)) : offroi::sweep_report(w));
        } else if (be->parsed()) {
            require_table_or_json(be_f, "breakeven");
            const offroi::scenario s = load(be_f);
            offroi::breakeven_options o;
            o.input = be_input;
            o.lower = be_lower;
            o.upper = be_upper;
            o.mode = be_scale ? offroi::sweep_mode::scale : offroi::sweep_mode::set;
            o.arrangement = be_arr;
            o.target = be_target == "ploss" ? offroi::breakeven_target::prob_loss
                                            : offroi::breakeven_target::median_net_benefit;
            o.prob_loss_target = be_ploss;
            o.run = request_of(be_f);
            const auto b = offroi::breakeven(s, o);
            emit(be_f, be_f.format == "json" ? dump(offroi::to_json(b)) : offroi::breakeven_report(b));
        } else if (val->parsed()) {
            for (const auto& f : val_files) {
                const offroi::scenario s = load(f, val_inputs);
                offroi::preflight(s);  // validate, then what run does on a few trials
                std::cout << f << ": ok (" << s.name << ", " << 1 + s.alternatives.size() << " arrangements)\n";
            }
        } else if (sch->parsed()) {
            std::cout << offroi::scenario_schema().dump(2) << "\n";
        } else if (scn->parsed()) {
            const auto files = bundled_scenarios();
            if (files.empty()) throw std::runtime_error("no bundled scenario folder found");
            std::cout << "bundled scenarios (" << files.front().parent_path().string() << "):\n";
            for (const auto& f : files) {
                const offroi::scenario s = offroi::load_scenario(f);
                std::cout << "  " << f.stem().string() << "  " << s.name << "\n";
            }
        }
    } catch (const usage_error& e) {
        std::cerr << "offroi: error: " << e.what() << "\n";
        return 2;
    } catch (const offroi::invalid_scenario& e) {
        std::cerr << "offroi: invalid scenario: " << e.what() << "\n";
        return 2;
    } catch (const offroi::invalid_argument& e) {
        std::cerr << "offroi: invalid input: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "offroi: internal error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
