/// \file
/// libFuzzer target for the scenario loader and validator (issue 11, Build 4): bytes ->
/// `offroi::parse_scenario` -> `offroi::validate` -> write and read again -> a tiny
/// `offroi::simulate` run. Built with -fsanitize=fuzzer,address,undefined by
/// tests/fuzz/run.sh (target `fuzz_scenario`), and without libFuzzer as
/// `fuzz_scenario_replay` (tests/fuzz/replay_main.cpp), which runs every file of the kept
/// corpus once as the CTest test `fuzz.corpus`.
///
/// What counts as a finding (the process aborts, so libFuzzer and the replay both fail):
///  - a signal, a sanitizer report, a leak, a hang (libFuzzer's -timeout);
///  - loading throws anything but an `offroi::error`, or one with an empty message;
///  - a loaded scenario that `validate()` then rejects;
///  - `to_json(s, complete)` that does not load again, or loads to a different `to_json`;
///  - the run of at most `max_run_trials` trials of a loaded scenario throws anything but
///    an `offroi::error` (strict mode: throws at all, "validate = run"), or, in strict mode,
///    gives a summary that is not finite.
///
/// The same bytes also go through the assumption-table reader (io/assumptions.hpp): read as
/// CSV and applied to the default scenario. Findings there: anything but an `offroi::error`
/// (with a non-empty, valid UTF-8 message); a table that applies but leaves a scenario that
/// `validate()` rejects or that does not run; a template of the result that does not read
/// back to the same scenario.
///
/// Every check is always on (issue 11's contract): messages must be valid UTF-8, a scenario
/// that loads must run and give finite summaries. (Until the issue-11 fixes landed, a
/// non-strict mode stepped around deep nesting, extreme numbers and run-time errors; a
/// strict run then found nothing, and the mode was removed.)

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "offroi/error.hpp"
#include "offroi/io/assumptions.hpp"
#include "offroi/io/scenario_json.hpp"
#include "offroi/model/simulate.hpp"
#include "offroi/model/validate.hpp"

namespace {

/// Trials of the run after a successful load: enough for a few blocks' worth of every
/// run-time check, cheap enough for thousands of inputs a minute under ASan.
constexpr std::uint64_t max_run_trials = 64;


[[noreturn]] void finding(const char* what, std::string_view detail) {
    std::fprintf(stderr, "offroi fuzz finding: %s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
    std::abort();
}

bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;  // continuation bytes
        if (c >= 0x80) {
            if ((c & 0xE0) == 0xC0) n = 1;
            else if ((c & 0xF0) == 0xE0) n = 2;
            else if ((c & 0xF8) == 0xF0) n = 3;
            else return false;
        }
        if (n > s.size() - i - 1) return false;
        for (std::size_t k = 1; k <= n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += n + 1;
    }
    return true;
}

void check_message(const char* stage, const std::exception& e) {
    const std::string_view m = e.what();
    if (m.empty()) finding(stage, "an offroi::error with an empty message");
    if (!valid_utf8(m)) {
        std::string shown = "a message that is not valid UTF-8 (bytes >= 0x80 as \\xNN): ";
        for (const char c : m) {
            const auto u = static_cast<unsigned char>(c);
            if (u < 0x80) {
                shown += c;
            } else {
                char hex[5];
                std::snprintf(hex, sizeof hex, "\\x%02X", u);
                shown += hex;
            }
        }
        finding(stage, shown);
    }
}

bool finite_summary(const offroi::summary& s) {
    if (!std::isfinite(s.mean) || !std::isfinite(s.standard_deviation) || !std::isfinite(s.min) ||
        !std::isfinite(s.max) || !std::isfinite(s.expected_shortfall))
        return false;
    if (!(s.prob_negative >= 0 && s.prob_negative <= 1)) return false;
    for (const auto& p : s.percentiles)
        if (!std::isfinite(p.value)) return false;
    return true;
}

/// The run of a scenario: must not throw, and must give finite summaries.
void check_run(const offroi::scenario& s, const char* what) {
    offroi::simulate_options o;
    o.trials = s.simulation.trials < max_run_trials ? s.simulation.trials : max_run_trials;
    o.threads = 1;
    o.samples = offroi::sample_policy::never;
    try {
        const offroi::scenario_result r = offroi::simulate(s, o);
        for (const auto& a : r.arrangements)
            for (const auto& out : a.outputs)
                if (!finite_summary(out.stats))
                    finding(what, "a summary that is not finite: " + a.name + "." + out.field);
    } catch (const offroi::error& e) {
        check_message("running", e);
        finding(what, e.what());
    } catch (const std::exception& e) {
        finding("running threw an exception that is not an offroi::error", e.what());
    }
}

/// The bytes as an assumption table applied to the default scenario.
void check_assumptions(std::string_view text) {
    static const offroi::scenario base = [] {
        offroi::scenario s = offroi::default_scenario();
        s.simulation.trials = max_run_trials;
        return s;
    }();
    offroi::scenario s = base;
    try {
        const auto table = offroi::parse_assumptions_csv(text, "fuzz.csv");
        const auto rows = offroi::read_assumptions(table, s);
        offroi::apply_assumptions(s, rows, table.source_name);
        if (rows.empty()) return;  // the default scenario itself: known to run
    } catch (const offroi::error& e) {
        check_message("reading an assumption table", e);
        return;
    } catch (const std::exception& e) {
        finding("reading an assumption table threw an exception that is not an offroi::error", e.what());
    }
    try {
        offroi::validate(s);
    } catch (const std::exception& e) {
        finding("validate() rejects a scenario an assumption table applied to", e.what());
    }
    try {
        offroi::scenario again = base;
        offroi::apply_assumptions(again, offroi::parse_assumptions_csv(
                                             offroi::assumptions_to_csv(offroi::assumptions_template(s)), "template"));
        if (offroi::to_json(again, offroi::field_style::complete) != offroi::to_json(s, offroi::field_style::complete))
            finding("the template of a scenario does not read back to it", offroi::to_json(s).dump());
    } catch (const std::exception& e) {
        finding("the template of a scenario does not read back", e.what());
    }
    check_run(s, "a scenario an assumption table applied to does not run");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check_assumptions(text);

    std::optional<offroi::scenario> loaded;  // not a default scenario: that builds presets
    try {
        loaded.emplace(offroi::parse_scenario(text, "fuzz.json"));
    } catch (const offroi::error& e) {
        check_message("loading", e);
        return 0;
    } catch (const std::exception& e) {
        finding("loading threw an exception that is not an offroi::error", e.what());
    }
    const offroi::scenario& s = *loaded;

    try {
        offroi::validate(s);
    } catch (const std::exception& e) {
        finding("validate() rejects a scenario that loaded", e.what());
    }

    // Writing and reading again gives the same scenario (docs/scenario-format.md).
    try {
        const nlohmann::json written = offroi::to_json(s, offroi::field_style::complete);
        const offroi::scenario again = offroi::scenario_from_json(written);
        if (offroi::to_json(again, offroi::field_style::complete) != written)
            finding("to_json -> scenario_from_json -> to_json changed the scenario", written.dump());
    } catch (const std::exception& e) {
        finding("the written scenario does not load again", e.what());
    }

    check_run(s, "a scenario that validates does not run");
    return 0;
}
