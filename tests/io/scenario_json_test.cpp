// Tests of io/scenario_json.hpp and io/scenario_schema.hpp: a file using every key loads
// with the stated values; load -> save -> load gives the same scenario (equal to_json, the
// same simulation bits at a fixed seed), for a file and for default_scenario(); every class
// of error names the JSON path, the value and what is allowed, with a did-you-mean for
// unknown names; the JSON Schema lists exactly the keys the reader accepts.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "offroi/io/scenario_json.hpp"
#include "offroi/io/scenario_schema.hpp"
#include "offroi/model/simulate.hpp"

using namespace offroi;
using nlohmann::json;

namespace {

const std::filesystem::path data_dir = std::filesystem::path(OFFROI_SOURCE_DIR) / "tests" / "io" / "data";

json minimal() {
    return json::parse(R"({"baseline": {"preset": "in_house", "name": "local"},
                          "alternatives": [{"preset": "offshore_team", "name": "offshore"}]})");
}

std::string error_of(const json& j) {
    try {
        scenario_from_json(j);
    } catch (const invalid_scenario& e) {
        return e.what();
    }
    return "no error";
}

std::string error_of_text(const std::string& text, const std::string& source = "") {
    try {
        parse_scenario(text, source);
    } catch (const invalid_scenario& e) {
        return e.what();
    }
    return "no error";
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// Same bits: every output's mean, P10/P50/P90 and P(X < 0), and the samples when kept.
void check_same_results(const scenario& a, const scenario& b, std::uint64_t trials) {
    simulate_options o;
    o.trials = trials;
    o.threads = 2;
    o.samples = sample_policy::within_budget;
    const auto ra = simulate(a, o);
    const auto rb = simulate(b, o);
    REQUIRE(ra.run.output_names() == rb.run.output_names());
    for (std::size_t i = 0; i < ra.run.n_outputs(); ++i) {
        const auto sa = ra.run.samples(i), sb = rb.run.samples(i);
        REQUIRE(sa.size() == sb.size());
        bool same = true;
        for (std::size_t t = 0; t < sa.size(); ++t) same = same && sa[t] == sb[t];
        CHECK_MESSAGE(same, ra.run.output_names()[i]);
    }
    CHECK(ra.arrangements.back().prob_net_loss == rb.arrangements.back().prob_net_loss);
}

}  // namespace

TEST_CASE("load_scenario: a file using every key gives the stated scenario") {
    const scenario s = load_scenario(data_dir / "full.json");
    CHECK(s.name == "every key");
    CHECK(s.horizon_months == 48);
    CHECK(s.annual_discount_rate == 0.08);
    CHECK(mean(s.backlog_engineer_months) == doctest::Approx((180 + 4 * 240 + 320) / 6.0).epsilon(1e-14));
    CHECK(quantile(s.cost_of_delay_per_month_usd, 0.9) == doctest::Approx(250000).epsilon(1e-12));
    CHECK(mean(s.base_rework_share) == doctest::Approx(0.4).epsilon(1e-12));
    CHECK(s.baseline.name == "local");
    CHECK(s.baseline.model == sourcing_model::in_house);
    CHECK(support(s.baseline.headcount).first == 12);
    CHECK(mean(s.baseline.time_to_fill_months) == doctest::Approx(2).epsilon(1e-14));
    // Fields not overridden keep the preset's distribution.
    CHECK(distribution_to_json(s.baseline.hourly_rate_usd) ==
          distribution_to_json(preset(sourcing_model::in_house).hourly_rate_usd));
    REQUIRE(s.alternatives.size() == 2);
    const arrangement& off = s.alternatives[0];
    CHECK(off.model == sourcing_model::offshore_team);
    REQUIRE(off.hourly_rate_usd.get_if<pert_distribution>());
    CHECK(off.hourly_rate_usd.get_if<pert_distribution>()->lambda() == 3);
    CHECK(distribution_to_json(off.overlap_hours) == distribution_to_json(preset(sourcing_model::offshore_team).overlap_hours));
    CHECK(s.alternatives[1].model == sourcing_model::nearshore);
    REQUIRE(s.correlations.size() == 2);
    CHECK(s.correlations[1].a == "backlog_engineer_months");
    CHECK(s.correlations[1].spearman == -0.2);
    CHECK(s.simulation.trials == 20000);
    CHECK(s.simulation.seed == 7);
    CHECK(s.simulation.method == sampling_method::latin_hypercube);
    CHECK(s.simulation.dependence == dependence_method::gaussian_copula);
}

TEST_CASE("round trip: load -> save -> load gives the same scenario and the same bits") {
    const scenario s = load_scenario(data_dir / "full.json");
    const auto tmp = std::filesystem::temp_directory_path() / "offroi_io_round_trip.json";
    for (field_style style : {field_style::overrides, field_style::complete}) {
        save_scenario(s, tmp, style);
        const scenario t = load_scenario(tmp);
        CHECK(to_json(t) == to_json(s));
        CHECK(to_json(t, field_style::complete) == to_json(s, field_style::complete));
        // The saved text itself is stable: saving the reloaded scenario writes the same bytes.
        CHECK(to_json(t, style).dump(2) == to_json(s, style).dump(2));
        check_same_results(s, t, 3000);
    }
    std::filesystem::remove(tmp);
    // The compact form writes only overrides: the offshore overlap (a preset value) is absent.
    const json j = to_json(s);
    CHECK(j["alternatives"][0].contains("hourly_rate_usd"));
    CHECK_FALSE(j["alternatives"][0].contains("overlap_hours"));
    CHECK(to_json(s, field_style::complete)["alternatives"][0].contains("overlap_hours"));
}

TEST_CASE("round trip: default_scenario() through JSON") {
    const scenario d = default_scenario();
    const scenario e = scenario_from_json(json::parse(to_json(d).dump()));
    CHECK(to_json(e) == to_json(d));
    CHECK(e.correlations.size() == 2);
    check_same_results(d, e, 4000);
}

TEST_CASE("errors: unknown keys with did-you-mean and the valid keys") {
    json j = minimal();
    j["horizon_month"] = 36;
    const std::string top = error_of(j);
    CHECK(starts_with(top, "horizon_month: unknown key \"horizon_month\" is invalid; did you mean \"horizon_months\"? valid keys: $schema, name,"));
    j = minimal();
    j["alternatives"][0]["hourly_rate"] = 30;
    CHECK(starts_with(error_of(j), "alternatives[0].hourly_rate: unknown key \"hourly_rate\" is invalid; did you mean "
                                   "\"hourly_rate_usd\"? valid keys: preset, name, description, assumptions, headcount,"));
    j = minimal();
    j["alternatives"][0]["anual_atrition"] = 0.1;
    CHECK(starts_with(error_of(j), "alternatives[0].anual_atrition: unknown key \"anual_atrition\" is invalid; did you mean \"annual_attrition\"?"));
    j = minimal();
    j["simulation"] = {{"trails", 1000}};
    CHECK(starts_with(error_of(j), "simulation.trails: unknown key \"trails\" is invalid; did you mean \"trials\"? valid keys: trials, seed, sampler, dependence"));
    j = minimal();
    j["baseline"]["preset"] = "inhouse";
    CHECK(starts_with(error_of(j), "baseline.preset: \"inhouse\" is invalid; did you mean \"in_house\"? sourcing models: in_house, outsourcing,"));
    j = minimal();
    j["simulation"] = {{"sampler", "sobel"}};
    CHECK(error_of(j) == "simulation.sampler: \"sobel\" is invalid; did you mean \"sobol\"? samplers: mc, lhs, sobol");
    // Nothing close: no suggestion, just the list.
    j = minimal();
    j["zzz"] = 1;
    CHECK(starts_with(error_of(j), "zzz: unknown key \"zzz\" is invalid; valid keys: $schema,"));
}

TEST_CASE("errors: wrong types") {
    json j = minimal();
    j["horizon_months"] = "36";
    CHECK(error_of(j) == "horizon_months: \"36\" (a string) is invalid; must be an integer in [1, 600]");
    j = minimal();
    j["horizon_months"] = 36.5;
    CHECK(error_of(j) == "horizon_months: 36.5 is invalid; must be an integer in [1, 600]");
    j = minimal();
    j["alternatives"] = {{"preset", "offshore_team"}};
    CHECK(starts_with(error_of(j), "alternatives: {\"preset\":\"offshore_team\"} (an object) is invalid; must be an array"));
    j = minimal();
    j["baseline"] = "in_house";
    CHECK(starts_with(error_of(j), "baseline: \"in_house\" (a string) is invalid; must be an object"));
    j = minimal();
    j["alternatives"][0]["headcount"] = {1, 2};
    CHECK(starts_with(error_of(j), "alternatives[0].headcount: [1,2] (an array) is invalid; must be a number or a distribution object"));
    j = minimal();
    j["simulation"] = {{"seed", -3}};
    CHECK(error_of(j) == "simulation.seed: -3 is invalid; must be an integer in [0, 2^64 - 1]");
    j = minimal();
    j["correlations"] = {{{"a", "local.hourly_rate_usd"}, {"b", 7}, {"spearman", 0.5}}};
    CHECK(error_of(j) == "correlations[0].b: 7 (a number) is invalid; must be an input name (a string)");
    j = minimal();
    j.erase("baseline");
    CHECK(starts_with(error_of(j), "baseline: a missing key is invalid;"));
}

TEST_CASE("errors: out-of-range values come from the model's field table") {
    json j = minimal();
    j["alternatives"][0]["hourly_rate_usd"] = -5;
    CHECK(error_of(j) == "alternatives[0].hourly_rate_usd: -5 is invalid; must be > 0");
    j = minimal();
    j["alternatives"][0]["failure_annual_probability"] = 1.2;
    CHECK(error_of(j) == "alternatives[0].failure_annual_probability: 1.2 is invalid; must be a probability in [0, 1]");
    j = minimal();
    j["baseline"]["annual_attrition"] = {{"pert", {0.5, 0.9, 1.2}}};
    const std::string att = error_of(j);  // validate()'s wording: path, distribution, support, range
    CHECK(starts_with(att, "baseline.annual_attrition: "));
    CHECK(att.find("support [0.5, 1.2]") != std::string::npos);
    CHECK(att.find("is invalid; must be in [0, 0.999]") != std::string::npos);
    j = minimal();
    j["alternatives"][0]["hourly_rate_usd"] = {{"pert", {40, 35, 50}}};
    CHECK(error_of(j) == "alternatives[0].hourly_rate_usd.pert[0]: 40 is invalid; must be <= mode = 35 (pert min)");
    j = minimal();
    j["horizon_months"] = 0;
    CHECK(error_of(j) == "horizon_months: 0 is invalid; must be an integer in [1, 600]");
    j = minimal();
    j["annual_discount_rate"] = -1;
    CHECK(starts_with(error_of(j), "annual_discount_rate: -1 is invalid; must be in (-1, 10]"));
    j = minimal();
    j["sync_work_share"] = {{"normal", {{"mean", 0.3}, {"sd", 0.1}}}};
    const std::string sync = error_of(j);
    CHECK(starts_with(sync, "sync_work_share: "));
    CHECK(sync.find("support [-inf, inf]") != std::string::npos);
    CHECK(sync.find("is invalid; must be in [0, 1]") != std::string::npos);
    j = minimal();
    j["simulation"] = {{"trials", 1}};
    CHECK(error_of(j) == "simulation.trials: 1 is invalid; must be an integer >= 2");
    j = minimal();
    j["alternatives"][0]["name"] = "local";
    CHECK(starts_with(error_of(j), "alternatives[0].name: \"local\" is invalid; must be unique"));
    j = minimal();
    j["alternatives"] = json::array();
    CHECK(starts_with(error_of(j), "alternatives: an empty list is invalid;"));
}

TEST_CASE("errors: correlations") {
    json j = minimal();
    j["correlations"] = {{{"a", "offshore.hourly_rate"}, {"b", "offshore.vendor_tier"}, {"spearman", 0.5}}};
    CHECK(starts_with(error_of(j), "correlations[0].a: \"offshore.hourly_rate\" is invalid; did you mean \"offshore.hourly_rate_usd\"? must name an input"));
    j = minimal();
    j["correlations"] = {{{"a", "offshore.hourly_rate_usd"}, {"b", "offshore.vendor_tier"}, {"spearman", 1.5}}};
    CHECK(error_of(j) == "correlations[0].spearman: 1.5 is invalid; must be in [-1, 1]");
    // Not positive semi-definite: a~b and b~c strongly positive, a~c strongly negative.
    j = minimal();
    j["correlations"] = {{{"a", "offshore.hourly_rate_usd"}, {"b", "offshore.vendor_tier"}, {"spearman", 0.9}},
                         {{"a", "offshore.vendor_tier"}, {"b", "offshore.annual_attrition"}, {"spearman", 0.9}},
                         {{"a", "offshore.hourly_rate_usd"}, {"b", "offshore.annual_attrition"}, {"spearman", -0.9}}};
    const std::string psd = error_of(j);
    CHECK(starts_with(psd, "correlations: "));
    CHECK(psd.find("positive semi-definite") != std::string::npos);
    CHECK(psd.find("offshore.") != std::string::npos);  // names the inputs involved
}

TEST_CASE("errors: JSON syntax and files") {
    const std::string bad = "{\n  \"name\": \"x\",\n  \"baseline\": {\"preset\": \"in_house\",}\n}";
    const std::string msg = error_of_text(bad, "my.json");
    CHECK(starts_with(msg, "my.json:3:"));
    CHECK(msg.find("JSON syntax error") != std::string::npos);
    CHECK(starts_with(error_of_text("{\"name\": 1"), "line 1:"));
    // Semantic errors from text carry the source name before the path.
    CHECK(starts_with(error_of_text(R"({"baseline": {"preset": "in_house"}, "alternatives": [{"preset": "offshore_team", "headcount": -1}]})", "f.json"),
                      "f.json: alternatives[0].headcount: -1 is invalid; must be > 0"));
    // A key given twice in one object (readers usually keep the last silently).
    CHECK(error_of_text(R"({"baseline": {"preset": "in_house"}, "alternatives": [{"preset": "nearshore"},
                           {"preset": "offshore_team", "headcount": 5, "headcount": 6}]})", "d.json") ==
          "d.json: alternatives[1].headcount: a second \"headcount\" key is invalid; each key may appear once in an object");
    CHECK(starts_with(error_of_text(R"({"name": "a", "name": "b"})"), "name: a second \"name\" key is invalid;"));
    CHECK_THROWS_WITH_AS(load_scenario(data_dir / "does-not-exist.json"), doctest::Contains("does-not-exist.json: cannot open"),
                         invalid_scenario);
}

TEST_CASE("scenario_schema: the keys the reader accepts, and the field ranges") {
    const json s = scenario_schema();
    CHECK(s["$schema"] == "https://json-schema.org/draft/2020-12/schema");
    std::vector<std::string> keys;
    for (auto it = s["properties"].begin(); it != s["properties"].end(); ++it) keys.push_back(it.key());
    auto sorted = [](std::vector<std::string> v) {
        std::sort(v.begin(), v.end());
        return v;
    };
    CHECK(sorted(keys) == sorted(detail::scenario_keys()));
    std::vector<std::string> akeys;
    const json& ap = s["$defs"]["arrangement"]["properties"];
    for (auto it = ap.begin(); it != ap.end(); ++it) akeys.push_back(it.key());
    CHECK(sorted(akeys) == sorted(detail::arrangement_keys()));
    CHECK(ap["annual_attrition"]["anyOf"][0]["maximum"] == 0.999);
    CHECK(ap["overlap_hours"]["anyOf"][0]["maximum"] == 8);
    CHECK_FALSE(ap["setup_cost_usd"]["anyOf"][0].contains("maximum"));
    CHECK(s["$defs"]["distribution_object"]["oneOf"].size() == 15);
    CHECK(s["$defs"]["arrangement"]["properties"]["preset"]["enum"].size() == 6);
}
