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
/// Strict mode (environment OFFROI_FUZZ_STRICT=1) is the full contract of issue 11. Without
/// it, the harness steps around the defects already reported in issue 11 (items 1, 3, 7, 8,
/// 11), which are being fixed in include/offroi/io, model/validate.hpp and distributions/:
/// inputs nested deeper than `known_max_depth` or holding a number of magnitude above
/// `known_max_magnitude` (or nonzero below its inverse, or beyond a double: 1e400) are
/// skipped, `offroi::error` from the run is accepted, and messages need not be valid UTF-8
/// (a JSON syntax error quotes the input's ill-formed bytes; a message cut mid-character).

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
#include "offroi/io/scenario_json.hpp"
#include "offroi/model/simulate.hpp"
#include "offroi/model/validate.hpp"

namespace {

/// Trials of the run after a successful load: enough for a few blocks' worth of every
/// run-time check, cheap enough for thousands of inputs a minute under ASan.
constexpr std::uint64_t max_run_trials = 64;
/// Non-strict mode: bracket depth above which an input is skipped (issue 11 item 1).
constexpr int known_max_depth = 64;
/// Non-strict mode: numbers beyond this magnitude (or nonzero below 1 / it) make an input
/// skipped (issue 11 items 3, 4, 6, 7: huge distribution parameters, rates, trials).
constexpr double known_max_magnitude = 1e12;

bool strict_mode() {
    static const bool strict = [] {
        const char* v = std::getenv("OFFROI_FUZZ_STRICT");
        return v != nullptr && std::string_view(v) == "1";
    }();
    return strict;
}

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
    if (strict_mode() && !valid_utf8(m)) {
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

/// Bracket nesting depth outside strings (a cheap scan; no JSON parser involved).
int nesting_depth(std::string_view text) {
    int depth = 0, deepest = 0;
    bool in_string = false, escaped = false;
    for (const char c : text) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > deepest) deepest = depth;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return deepest;
}

bool has_extreme_number(const nlohmann::json& j) {
    if (j.is_number()) {
        const double x = std::fabs(j.get<double>());
        return x > known_max_magnitude || (x != 0 && x < 1 / known_max_magnitude);
    }
    if (j.is_structured())
        for (const auto& v : j)
            if (has_extreme_number(v)) return true;
    return false;
}

/// Non-strict mode: true for an input that would only reproduce a defect already reported.
bool known_defect(std::string_view text) {
    if (nesting_depth(text) > known_max_depth) return true;
    try {
        return has_extreme_number(nlohmann::json::parse(text.begin(), text.end()));
    } catch (const nlohmann::json::out_of_range&) {
        return true;  // a number beyond double (1e400): item 7, escapes the loader today
    } catch (const nlohmann::json::exception&) {
        return false;  // not JSON: the loader must say so with its own exception
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (!strict_mode() && known_defect(text)) return 0;

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

    offroi::simulate_options o;
    o.trials = s.simulation.trials < max_run_trials ? s.simulation.trials : max_run_trials;
    o.threads = 1;
    o.samples = offroi::sample_policy::never;
    try {
        const offroi::scenario_result r = offroi::simulate(s, o);
        if (strict_mode())
            for (const auto& a : r.arrangements)
                for (const auto& out : a.outputs)
                    if (!finite_summary(out.stats))
                        finding("a scenario that validates gives a summary that is not finite",
                                a.name + "." + out.field);
    } catch (const offroi::error& e) {
        check_message("running", e);
        if (strict_mode()) finding("a scenario that validates does not run", e.what());
    } catch (const std::exception& e) {
        finding("running threw an exception that is not an offroi::error", e.what());
    }
    return 0;
}
