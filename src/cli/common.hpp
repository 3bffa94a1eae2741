#pragma once
// Shared pieces of the offroi command-line tool: flags every analysis takes, loading a
// scenario (file or bundled name), writing the report, and the usage error (exit code 2).
// Each subcommand beyond the core ones lives in its own src/cli/<command>.cpp and registers
// itself through src/cli/commands.hpp.

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "offroi/analysis/model_sensitivity.hpp"
#include "offroi/analysis/scenario_run.hpp"
#include "offroi/io/assumptions.hpp"
#include "offroi/io/scenario_json.hpp"
#include "offroi/model/limits.hpp"
#include "offroi/model/presets.hpp"

namespace offroi_cli {

namespace fs = std::filesystem;

// A usage or input problem found by main itself (exit code 2).
struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct common_flags {
    std::string scenario;
    std::uint64_t trials = 0;
    std::optional<std::uint64_t> seed;
    std::string sampler;
    unsigned threads = 0;
    double precision = 0;
    std::string format = "table";
    std::string output;
    std::string inputs;  // --inputs: an assumption table (CSV) overriding inputs by name
};

// The bundled scenarios' folder: <exe>/../share/offroi/scenarios (installed), else the
// source tree's bench/scenarios (build tree).
inline std::vector<fs::path> scenario_dirs() {
    std::vector<fs::path> dirs;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) dirs.push_back(exe.parent_path().parent_path() / "share" / "offroi" / "scenarios");
    dirs.emplace_back(OFFROI_SOURCE_SCENARIOS);
    std::vector<fs::path> found;
    for (const auto& d : dirs)
        if (fs::is_directory(d, ec)) found.push_back(d);
    return found;
}

inline std::vector<fs::path> bundled_scenarios() {
    std::vector<fs::path> files;
    const auto dirs = scenario_dirs();
    if (dirs.empty()) return files;
    for (const auto& e : fs::directory_iterator(dirs.front()))
        if (e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

// A file path, or the name of a bundled scenario ("leadership-cut"), or empty: the default.
inline offroi::scenario load(const std::string& arg) {
    if (arg.empty()) return offroi::default_scenario();
    std::error_code ec;
    if (!fs::exists(arg, ec) && arg.find('/') == std::string::npos) {
        for (const auto& f : bundled_scenarios())
            if (f.stem() == arg || f.filename() == arg) return offroi::load_scenario(f);
    }
    if (!fs::exists(arg, ec))
        throw usage_error(arg + ": no such scenario file (and no bundled scenario of that name; see `offroi scenarios`)");
    return offroi::load_scenario(arg);
}

// The scenario of `arg` (as above) with the assumption table `inputs` applied, if given.
inline offroi::scenario load(const std::string& arg, const std::string& inputs) {
    offroi::scenario s = load(arg);
    if (!inputs.empty()) offroi::apply_assumptions(s, offroi::load_assumptions_csv(inputs));
    return s;
}

// The scenario of a command's flags: its file or name, then its --inputs.
inline offroi::scenario load(const common_flags& f) { return load(f.scenario, f.inputs); }

// --inputs FILE: every command that loads a scenario takes it.
inline void add_inputs(CLI::App* app, std::string& inputs) {
    app->add_option("--inputs", inputs,
                    "Assumption table (CSV: name, distribution, parameters, unit, source) overriding the "
                    "scenario's inputs by name; `offroi template` writes one (docs/scenario-format.md section 9)");
}

inline offroi::run_request request_of(const common_flags& f) {
    offroi::run_request r;
    r.trials = f.trials;
    r.seed = f.seed;
    r.threads = f.threads;
    r.precision = f.precision;
    if (f.sampler == "mc") r.sampler = offroi::sampling_method::monte_carlo;
    else if (f.sampler == "lhs") r.sampler = offroi::sampling_method::latin_hypercube;
    else if (f.sampler == "sobol") r.sampler = offroi::sampling_method::sobol;
    return r;
}

// The drivers of every alternative of a run, ranked on its recorded driver trials (none when
// the run recorded none: --driver-trials 0, or fewer trials than inputs + 2), on the run's
// --threads (the ranking and regressions; the result does not depend on it).
inline std::vector<offroi::driver_ranking> alternative_drivers(const offroi::scenario_run& res, unsigned threads) {
    if (res.input_samples.empty() || res.input_samples.front().size() <= res.input_names.size() + 1) return {};
    return offroi::run_drivers_all(res, threads);
}

// Writes text to --output or stdout.
inline void emit(const common_flags& f, const std::string& text) {
    if (f.output.empty()) {
        std::cout << text;
        if (!std::cout.flush()) throw usage_error("error while writing the report to standard output (disk full or closed pipe?)");
        return;
    }
    std::ofstream out(f.output, std::ios::binary | std::ios::trunc);
    if (!out) throw usage_error(f.output + ": cannot open the output file for writing");
    out << text;
    if (!out.flush()) throw usage_error(f.output + ": error while writing the output file");
}

// A progress bar on stderr, only when stderr is a terminal and the run is long.
inline offroi::progress_callback progress_bar(std::uint64_t work) {
    if (!::isatty(STDERR_FILENO) || work < 2000000) return {};
    auto last = std::make_shared<int>(-1);
    return [last](std::uint64_t done, std::uint64_t total) {
        const int pct = total ? int(100 * done / total) : 100;
        if (pct == *last) return;
        *last = pct;
        std::string bar(40, ' ');
        for (int i = 0; i < pct * 40 / 100; ++i) bar[std::size_t(i)] = '#';
        std::fprintf(stderr, "\r[%s] %3d%%", bar.c_str(), pct);
        if (done >= total) std::fprintf(stderr, "\r%60s\r", "");
        std::fflush(stderr);
    };
}

// A whole number in [lo, hi], written as digits ("20000") or as an exact number in
// scientific notation ("2e4"); rewritten to digits for CLI11's conversion. Refuses signs,
// fractions and values out of range with a message naming the range (`what` says what the
// bound is, e.g. "the limit of trials"), instead of wrapping -1 to 2^64 - 1 or saturating.
inline CLI::Validator whole_number(std::uint64_t lo, std::uint64_t hi, const std::string& what = "") {
    const std::string range = "a whole number in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]" +
                              (what.empty() ? "" : " (" + what + ")");
    return CLI::Validator(
        [lo, hi, range](std::string& s) -> std::string {
            std::uint64_t v = 0;
            const char* end = s.data() + s.size();
            auto r = std::from_chars(s.data(), end, v);
            if (s.empty() || r.ptr != end || r.ec != std::errc()) {
                // "2e4": a double that is an exact whole number below 2^53.
                double d = 0;
                auto rd = std::from_chars(s.data(), end, d);
                if (s.empty() || rd.ptr != end || rd.ec != std::errc() || !(d >= 0) || d != std::floor(d) ||
                    d > 9007199254740992.0)
                    return "\"" + s + "\" is invalid; must be " + range;
                v = static_cast<std::uint64_t>(d);
            }
            if (v < lo || v > hi) return s + " is invalid; must be " + range;
            s = std::to_string(v);
            return {};
        },
        "UINT", "whole_number");
}

// Whole-number options every analysis uses.
inline const CLI::Validator& seed_number() {
    static const CLI::Validator v = whole_number(0, std::numeric_limits<std::uint64_t>::max());
    return v;
}

inline void add_common(CLI::App* app, common_flags& f, bool scenario_arg = true) {
    if (scenario_arg)
        app->add_option("scenario", f.scenario,
                        "Scenario JSON file or bundled scenario name (default: the built-in default scenario)");
    app->add_option("--trials", f.trials, "Number of trials (>= 2; with --precision, the cap)")
        ->transform(whole_number(2, offroi::limits::max_trials, "the limit of trials"));
    app->add_option("--seed", f.seed, "Seed (default: the scenario's)")->transform(seed_number());
    app->add_option("--sampler", f.sampler, "Design: mc, lhs or sobol (default: the scenario's)")
        ->check(CLI::IsMember({"mc", "lhs", "sobol"}));
    app->add_option("--threads", f.threads, "Worker threads (0: all; results never depend on it)")
        ->check(CLI::Range(0u, 1024u));
    app->add_option("--format", f.format, "Output format: table, json or csv")
        ->check(CLI::IsMember({"table", "json", "csv"}));
    app->add_option("--output,-o", f.output, "Write the report to FILE instead of stdout");
    add_inputs(app, f.inputs);
}

inline std::string dump(const nlohmann::json& j) { return j.dump(2) + "\n"; }

inline void require_table_or_json(const common_flags& f, const char* cmd) {
    if (f.format == "csv") throw usage_error(std::string("--format csv is not available for `") + cmd + "`; use table or json");
}


}  // namespace offroi_cli
