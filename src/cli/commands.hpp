#pragma once
// The subcommands that live in their own src/cli/<command>.cpp. Each registers a subcommand
// on the app with its options and a final callback that runs it; the callback throws
// offroi_cli::usage_error, offroi::invalid_scenario or offroi::invalid_argument for bad input
// (main turns them into exit code 2) and writes its report with offroi_cli::emit.

#include <CLI/CLI.hpp>

namespace offroi_cli {
void register_decide(CLI::App& app);  // offroi decide: pilot first? staged decision, option value, EVSI
void register_update(CLI::App& app);  // offroi update: observations update the forecast (PSIS reweighting)
void register_options(CLI::App& app);  // offroi options: OCBA among options, risk/return frontier
void register_voi(CLI::App& app);  // offroi voi: EVPI, EVPPI of inputs and groups, acceptability and EVPI curves
void register_template(CLI::App& app);  // offroi template: a scenario's inputs as an assumption table (CSV)
void register_report(CLI::App& app);  // offroi report: self-contained HTML report of a run
}  // namespace offroi_cli
