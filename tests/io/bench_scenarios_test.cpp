// The benchmark scenarios of bench/scenarios/: every file loads and validates, states its
// decision and assumptions, is listed in the README, and default-offshore-team.json is the
// built-in default_scenario() exactly (same to_json, same simulation bits).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "offroi/io/scenario_json.hpp"
#include "offroi/model/scenario.hpp"
#include "offroi/model/simulate.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace io_bench_scenarios_test {

using namespace offroi;

namespace {

const std::filesystem::path dir = std::filesystem::path(OFFROI_SOURCE_DIR) / "bench" / "scenarios";

std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("bench scenarios: all load, validate and document their assumptions") {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    CHECK(files.size() >= 7);
    for (const char* required :
         {"default-offshore-team.json", "nearshore-vs-offshore-realtime.json", "staff-augmentation-migration-burst.json",
          "vendor-tier-cheapest-vs-mid.json", "leadership-cut.json", "follow-the-sun-handoffs.json",
          "outsourcing-fixed-scope.json"})
        CHECK_MESSAGE(std::filesystem::exists(dir / required), required);
    const std::string readme = read_text(dir / "README.md");
    for (const auto& f : files) {
        INFO(f.filename().string());
        scenario s;
        CHECK_NOTHROW(s = load_scenario(f));
        CHECK_NOTHROW(validate(s));
        CHECK(!s.name.empty());
        CHECK(s.alternatives.size() >= 1);
        const auto raw = nlohmann::json::parse(read_text(f));
        REQUIRE(raw.contains("description"));
        CHECK(raw["description"].get<std::string>().size() > 80);
        REQUIRE(raw.contains("assumptions"));
        CHECK(raw["assumptions"].size() >= 3);
        CHECK(readme.find(f.filename().string()) != std::string::npos);
        // A short run works (every distribution samples, every arrangement evaluates).
        simulate_options o;
        o.trials = 500;
        const auto r = simulate(s, o);
        CHECK(r.arrangements.size() == 1 + s.alternatives.size());
        for (const auto& a : r.arrangements) CHECK(std::isfinite(a.output("total_cost").mean));
    }
}

TEST_CASE("bench scenarios: default-offshore-team.json is default_scenario()") {
    const scenario f = load_scenario(dir / "default-offshore-team.json");
    const scenario d = default_scenario();
    CHECK(f.name == d.name);
    CHECK(to_json(f) == to_json(d));
    CHECK(to_json(f, field_style::complete) == to_json(d, field_style::complete));
    simulate_options o;
    o.trials = 5000;
    const auto rf = simulate(f, o);
    const auto rd = simulate(d, o);
    for (std::size_t i = 0; i < rf.run.n_outputs(); ++i) {
        const auto a = rf.run.samples(i), b = rd.run.samples(i);
        CHECK_MESSAGE(std::equal(a.begin(), a.end(), b.begin(), b.end()), rf.run.output_names()[i]);
    }
}

}  // namespace io_bench_scenarios_test
