// Resource limits and hostile input (issue 11; docs/scenario-format.md "Limits"): the
// reader refuses deep nesting, long arrays, huge objects and files, special files and
// numbers that overflow, each with a message naming the limit and the JSON path, in
// bounded time; message excerpts never cut a UTF-8 character; distribution parameters have
// bounds where their tables build quickly; field ranges apply to every value a draw can
// take (a lognormal headcount stated by P10/P90 is accepted, a lognormal cost whose draws
// exceed the cap is not); percentile-stated inputs keep their stated form in messages and
// files; the model refuses a non-finite output; `preflight` runs what run runs.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "offroi/analysis/preflight.hpp"
#include "offroi/io/scenario_json.hpp"
#include "offroi/model/roi_model.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace io_limits_test {

using namespace offroi;
using nlohmann::json;

namespace {

json minimal() {
    return json::parse(R"({"format_version": 2, "baseline": {"preset": "in_house", "name": "local"},
                          "alternatives": [{"preset": "offshore_team", "name": "offshore"}],
                          "simulation": {"trials": 1000, "seed": 3}})");
}

template <class F>
std::string message_of(F&& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "(no exception)";
}

bool valid_utf8(const std::string& s) {
    for (std::size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (len == 0 || i + len > s.size()) return false;
        for (std::size_t k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += len;
    }
    return true;
}

}  // namespace

TEST_CASE("limits: nesting deeper than 64 levels is refused at the 65th level, naming the path") {
    const std::string deep = R"({"format_version": 2, "name": )" + std::string(1000000, '[') + std::string(1000000, ']') + "}";
    const std::string m = message_of([&] { (void)parse_scenario(deep, "deep.json"); });
    CHECK(m.find("deep.json: name") == 0);
    CHECK(m.find("nesting deeper than 64 levels") != std::string::npos);
    CHECK(m.find("the limit of nesting") != std::string::npos);
    // 64 levels are fine for the parser (the reader then says what "name" must be).
    const std::string ok = R"({"format_version": 2, "name": )" + std::string(63, '[') + std::string(63, ']') + "}";
    CHECK(message_of([&] { (void)parse_scenario(ok); }).find("nesting") == std::string::npos);
}

TEST_CASE("limits: arrays, objects and text size") {
    json j = minimal();
    j["alternatives"][0]["hourly_rate_usd"] = {{"empirical", std::vector<double>(100001, 30.0)}};
    std::string m = message_of([&] { (void)parse_scenario(j.dump()); });
    CHECK(m.find("alternatives[0].hourly_rate_usd.empirical: an array of more than 100000 values") == 0);
    j["alternatives"][0]["hourly_rate_usd"] = {{"empirical", std::vector<double>(100000, 30.0)}};
    CHECK_NOTHROW((void)parse_scenario(j.dump()));  // exactly at the limit

    std::string keys = "{";
    for (int i = 0; i < 1001; ++i) keys += (i ? ",\"k" : "\"k") + std::to_string(i) + "\": 1";
    m = message_of([&] { (void)parse_scenario(keys + "}"); });
    CHECK(m.find("an object with more than 1000 keys") != std::string::npos);

    const std::string huge(limits::max_file_bytes + 1, ' ');
    m = message_of([&] { (void)parse_scenario(huge, "big.json"); });
    CHECK(m.find("big.json: a scenario of 16777217 bytes is invalid") == 0);
    CHECK(m.find("the limit of file size") != std::string::npos);
}

TEST_CASE("limits: special files are refused without reading them") {
    std::string m = message_of([] { (void)load_scenario(std::filesystem::temp_directory_path()); });
    CHECK(m.find(": a directory is invalid; a scenario must be a regular file") != std::string::npos);
    m = message_of([] { (void)load_scenario("/dev/zero"); });
    CHECK(m == "/dev/zero: a device is invalid; a scenario must be a regular file");
    m = message_of([] { (void)load_scenario("/no/such/file.json"); });
    CHECK(m.find("/no/such/file.json: cannot open the scenario file for reading") == 0);
}

TEST_CASE("limits: a number the parser cannot hold names its path") {
    json j = minimal();
    std::string text = j.dump();
    text.insert(1, R"("horizon_months": 1e400, )");
    const std::string m = message_of([&] { (void)parse_scenario(text, "h.json"); });
    CHECK(m.find("h.json: horizon_months: number overflow parsing '1e400' is invalid") == 0);
}

TEST_CASE("limits: message excerpts end at a UTF-8 character boundary") {
    // "€" is 3 bytes: the 57-byte cut falls inside the 19th (1 quote + 18 x 3 = 55 bytes).
    std::string e;
    for (int i = 0; i < 40; ++i) e += "\xE2\x82\xAC";
    const json euros = e;
    const std::string x = detail::json_excerpt(euros);
    CHECK(valid_utf8(x));
    CHECK(x.size() == 1 + 18 * 3 + 3);  // quote, 18 whole characters, "..."
    json j = minimal();
    j["alternatives"][0]["hourly_rate_usd"] = euros;
    const std::string m = message_of([&] { (void)scenario_from_json(j); });
    CHECK(m.find("alternatives[0].hourly_rate_usd") == 0);
    CHECK(valid_utf8(m));
    // A syntax error quotes the bytes it stopped at, and a file name may be any bytes: the
    // message is still UTF-8.
    const std::string syntax = message_of([] { (void)parse_scenario("{\"name\": \xFF\xFE}", "f\xE9.json"); });
    CHECK(syntax.find("JSON syntax error") != std::string::npos);
    CHECK(valid_utf8(syntax));
    CHECK(detail::utf8_sanitized("a\xE2\x82\xAC\xE2\x82z\xFF") == "a\xE2\x82\xAC??z?");
    // Invalid UTF-8 in a value built in code is replaced, not thrown on.
    CHECK(valid_utf8(detail::json_excerpt(json(std::string("ab\xFF\xFE" "cd")))));
    // A deeply nested value built in code: bounded excerpt, no recursion through all levels.
    json nested = 1;
    for (int i = 0; i < 100000; ++i) nested = json::array({std::move(nested)});
    CHECK(detail::json_excerpt(nested) == "[[[[[...]]]]]");
}

TEST_CASE("limits: distribution parameters where the tables build in bounded time") {
    CHECK(message_of([] { beta_distribution(1e300, 1e300); }).find("must be <= 1e8") != std::string::npos);
    CHECK_NOTHROW(beta_distribution(1e8, 2.0));
    CHECK(message_of([] { pert_distribution(0, 1, 2, 1e300); }).find("must be <= 1e6 (the limit of PERT shapes)") !=
          std::string::npos);
    CHECK(message_of([] { (void)pert_distribution::from_percentiles({0.1, 0}, 1, {0.9, 2}, 1e7); })
              .find("must be <= 1e6") != std::string::npos);
    CHECK(message_of([] { poisson_distribution(1e18); }).find("must be <= 1e9") != std::string::npos);
    CHECK(poisson_distribution(1e9).mean() == 1e9);
    CHECK(message_of([] { gamma_distribution(1e12, 1.0); }).find("must be <= 1e6") != std::string::npos);
}

TEST_CASE("limits: field ranges hold for every value a draw can take") {
    // Issue 14: a lognormal headcount stated by P10/P90 has support [0, inf] but no draw
    // reaches 0; its smallest drawable value, the quantile at 2^-1074, is positive.
    json j = minimal();
    j["alternatives"][0]["headcount"] = {{"lognormal", {{"p10", 8}, {"p90", 12}}}};
    j["alternatives"][0]["hourly_rate_usd"] = {{"gamma", {{"p10", 25}, {"p90", 45}}}};
    const scenario s = scenario_from_json(j);
    const distribution& h = s.alternatives[0].headcount;
    CHECK(describe(h) == "lognormal(P10 = 8, P90 = 12)");
    CHECK(quantile(h, 0x1p-1074) > 0.0);
    // The same form is written back, and reads back to the same distribution.
    const json back = to_json(s)["alternatives"][0]["headcount"];
    CHECK(back == json{{"lognormal", {{"p10", 8}, {"p90", 12}}}});
    const scenario s2 = scenario_from_json(to_json(s));
    CHECK(s2.alternatives[0].headcount.get_if<lognormal_distribution>()->mu() ==
          h.get_if<lognormal_distribution>()->mu());
    CHECK(s2.alternatives[0].headcount.get_if<lognormal_distribution>()->sigma() ==
          h.get_if<lognormal_distribution>()->sigma());

    // A lognormal cost whose largest draws (quantile at 1 - 2^-53 ~ 8.2 sd) pass 1e12.
    j = minimal();
    j["alternatives"][0]["setup_cost_usd"] = {{"lognormal", {{"p10", 1e10}, {"p90", 1e11}}}};
    std::string m = message_of([&] { (void)scenario_from_json(j); });
    CHECK(m.find("alternatives[0].setup_cost_usd: lognormal(P10 = ") == 0);
    CHECK(m.find("a distribution with support [0, inf] whose draws reach up to") != std::string::npos);
    CHECK(m.find("must be in [0, 1e12] (for every value a draw can take)") != std::string::npos);
    // sigma = ln(10) / 2.563 = 0.90 and Phi^-1(1 - 2^-53) = 8.21: the draws reach
    // P10 x exp(0.90 x (8.21 + 1.28)) ~ 5000 x P10, i.e. 5e13 here and 5e11 one decade lower.
    j["alternatives"][0]["setup_cost_usd"] = {{"lognormal", {{"p10", 1e8}, {"p90", 1e9}}}};
    CHECK_NOTHROW((void)scenario_from_json(j));

    j = minimal();
    j["alternatives"][0]["setup_cost_usd"] = 1e308;
    CHECK(message_of([&] { (void)scenario_from_json(j); }).find("alternatives[0].setup_cost_usd: ") == 0);
    CHECK(message_of([&] { (void)scenario_from_json(j); }).find("is invalid; must be in [0, 1e12]") != std::string::npos);
    j = minimal();
    j["baseline"]["headcount"] = 8e300;
    CHECK(message_of([&] { (void)scenario_from_json(j); }).find("baseline.headcount: ") == 0);
    // "inf" where the field allows it (never filled).
    j = minimal();
    j["alternatives"][0]["time_to_fill_months"] = "inf";
    CHECK(std::isinf(support(scenario_from_json(j).alternatives[0].time_to_fill_months).first));
}

TEST_CASE("limits: a bounded input is checked at both ends of its support") {
    // validate() accepts a bounded input whose support lies in the field's range without
    // computing its extreme quantiles; an input with either end outside is still rejected,
    // with the message naming the support.
    json j = minimal();
    j["alternatives"][0]["annual_attrition"] = {{"pert", {0.1, 0.5, 0.999}}};
    j["alternatives"][0]["hourly_rate_usd"] = {{"pert", {1e-6, 30, 1e5}}};
    CHECK_NOTHROW((void)scenario_from_json(j));
    j["alternatives"][0]["annual_attrition"] = {{"pert", {0.5, 0.9, 1.2}}};
    std::string m = message_of([&] { (void)scenario_from_json(j); });
    CHECK(m.find("alternatives[0].annual_attrition: pert(") == 0);
    CHECK(m.find("a distribution with support [0.5, 1.2]") != std::string::npos);
    CHECK(m.find("must be in [0, 0.999] (for every value a draw can take)") != std::string::npos);
    j["alternatives"][0]["annual_attrition"] = {{"pert", {-0.1, 0.2, 0.5}}};
    m = message_of([&] { (void)scenario_from_json(j); });
    CHECK(m.find("alternatives[0].annual_attrition: pert(") == 0);
    CHECK(m.find("a distribution with support [-0.1, 0.5]") != std::string::npos);
    // A "> 0" field whose upper end is out of range.
    j = minimal();
    j["alternatives"][0]["hourly_rate_usd"] = {{"pert", {1e5, 1.5e5, 2e5}}};
    CHECK(message_of([&] { (void)scenario_from_json(j); }).find("alternatives[0].hourly_rate_usd: ") == 0);
}

TEST_CASE("limits: alternatives and trials") {
    json j = minimal();
    for (int i = 1; i < 65; ++i) j["alternatives"].push_back({{"preset", "offshore_team"}, {"name", "o" + std::to_string(i)}});
    CHECK(message_of([&] { (void)scenario_from_json(j); })
              .find("alternatives: a list of 65 arrangements is invalid; a scenario compares at most 64") == 0);
    j["alternatives"].erase(64);
    CHECK(scenario_from_json(j).alternatives.size() == 64);
    j = minimal();
    j["simulation"]["trials"] = 1000000001;
    CHECK(message_of([&] { (void)scenario_from_json(j); })
              .find("simulation.trials: 1000000001 is invalid; must be an integer in [2, 1000000000]") == 0);
    scenario code = default_scenario();
    code.simulation.trials = 1000000001;
    CHECK(message_of([&] { validate(code); }).find("simulation.trials: 1000000001 is invalid") == 0);
}

TEST_CASE("limits: the model refuses a non-finite output, naming it and the trial") {
    // Values built in code skip validate: an hourly rate of 1e308 overflows the labour cost.
    struct fill {
        void operator()(std::uint64_t, std::uint64_t first, std::size_t n, double* const* cols) const {
            for (std::size_t i = 0; i < n; ++i) cols[0][i] = first + i == 5 ? 1e308 : 40.0;
        }
    };
    arrangement_values local, off;
    std::vector<arrangement_values> arr = {local, off};
    std::vector<std::string> names = {"local", "offshore"};
    input_binding b;
    b.arrangement = 1;
    b.arrangement_member = &arrangement_values::hourly_rate_usd;
    roi_model<fill> m(scenario_values{}, arr, names, {b}, fill{}, evaluation_settings{}, default_outputs(names));
    const std::size_t n = 16;
    std::vector<std::vector<double>> cols(m.outputs().size(), std::vector<double>(n));
    std::vector<double*> ptr;
    for (auto& c : cols) ptr.push_back(c.data());
    block_outputs out(ptr.data(), ptr.size(), n);
    std::vector<double> scratch;
    block_context ctx{1, 0, n, 0, &scratch};
    const std::string msg = message_of([&] { m(ctx, out); });
    CHECK(msg.find("output \"offshore.") == 0);
    CHECK(msg.find(" in trial 5; every output must be finite") != std::string::npos);
    block_context ok{1, 6, n, 0, &scratch};  // trials 6..21 are all finite
    CHECK_NOTHROW(m(ok, out));
}

TEST_CASE("limits: preflight runs what run runs, drivers included") {
    // A time to fill whose draws reach infinity (seats never filled) validates and runs, and
    // its drivers rank the infinite draws above every finite one.
    json j = minimal();
    j["alternatives"][0]["time_to_fill_months"] = {{"lognormal", {700, 5}}};
    const scenario s = scenario_from_json(j);
    CHECK_NOTHROW(preflight(s));
    CHECK_NOTHROW(preflight(default_scenario()));
}

}  // namespace io_limits_test
