// offroi template: a scenario's inputs as an assumption table (CSV), one row per input,
// pre-filled with its current distribution, unit and source; edit it in a spreadsheet and
// run it with `offroi run SCENARIO --inputs FILE` (docs/scenario-format.md section 9).

#include <memory>
#include <string>

#include "cli/commands.hpp"
#include "cli/common.hpp"

namespace offroi_cli {

void register_template(CLI::App& app) {
    struct template_flags {
        std::string scenario, inputs, output;
    };
    auto f = std::make_shared<template_flags>();
    auto* sub = app.add_subcommand(
        "template", "Write a scenario's inputs as an assumption table (CSV: name, distribution, parameters, unit, "
                    "source), pre-filled with its current values, to edit and pass back with --inputs");
    sub->add_option("scenario", f->scenario,
                    "Scenario JSON file or bundled scenario name (default: the built-in default scenario)");
    add_inputs(sub, f->inputs);
    sub->add_option("--output,-o", f->output, "Write the table to FILE instead of stdout");
    sub->final_callback([f] {
        const offroi::scenario s = load(f->scenario, f->inputs);
        common_flags out;
        out.output = f->output;
        emit(out, offroi::assumptions_to_csv(offroi::assumptions_template(s)));
    });
}

}  // namespace offroi_cli
