// Tests of io/scenario_json.hpp and io/scenario_schema.hpp (scenario-file format 2): a file
// using every key loads with the stated values (framing, contracts, the v2 inputs); every
// field of the model's field tables is read and written; load -> save -> load gives the
// same scenario (equal to_json, the same simulation bits at a fixed seed), for a file, for
// default_scenario() and for a capacity-framed scenario; format 1 (no format_version, or 1)
// and the removed key vendor_tier are refused with messages that say what changed; every
// class of error names the JSON path, the value and what is allowed, with a did-you-mean
// for unknown names; the JSON Schema lists exactly the keys the reader accepts;
// docs/scenario-format.md names every key.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "offroi/io/scenario_json.hpp"
#include "offroi/io/scenario_schema.hpp"
#include "offroi/model/simulate.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace io_scenario_json_test {

using namespace offroi;
using nlohmann::json;

namespace {

const std::filesystem::path data_dir = std::filesystem::path(OFFROI_SOURCE_DIR) / "tests" / "io" / "data";

json minimal() {
    return json::parse(R"({"format_version": 2, "baseline": {"preset": "in_house", "name": "local"},
                          "alternatives": [{"preset": "offshore_team", "name": "offshore"}]})");
}

std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    REQUIRE(in);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

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
    CHECK(s.frame == framing::project);
    CHECK(s.horizon_months == 48);
    CHECK(s.annual_discount_rate == 0.08);
    CHECK(mean(s.backlog_engineer_months) == doctest::Approx((180 + 4 * 240 + 320) / 6.0).epsilon(1e-14));
    CHECK(quantile(s.cost_of_delay_per_month_usd, 0.9) == doctest::Approx(250000).epsilon(1e-12));
    CHECK(mean(s.base_rework_share) == doctest::Approx(0.4).epsilon(1e-12));
    // The v2 scenario inputs.
    CHECK(mean(s.legacy_ramp_up_months) == doctest::Approx((1 + 4 * 2 + 4) / 6.0).epsilon(1e-14));
    CHECK(support(s.critical_path_months).first == 12);
    CHECK(support(s.scope_growth).second == 0.3);
    CHECK(support(s.leadership_supply_hours_per_week).first == 60);
    CHECK(s.baseline.name == "local");
    CHECK(s.baseline.model == sourcing_model::in_house);
    CHECK(s.baseline.contract == contract_type::time_and_materials);
    CHECK(support(s.baseline.headcount).first == 12);
    CHECK(support(s.baseline.overhead_loading) == std::pair<double, double>(1.4, 1.9));
    CHECK(mean(s.baseline.time_to_fill_months) == doctest::Approx(2).epsilon(1e-14));
    // Fields not overridden keep the preset's distribution.
    CHECK(distribution_to_json(s.baseline.hourly_rate_usd) ==
          distribution_to_json(preset(sourcing_model::in_house).hourly_rate_usd));
    REQUIRE(s.alternatives.size() == 4);
    const arrangement& off = s.alternatives[0];
    CHECK(off.model == sourcing_model::offshore_team);
    CHECK(off.contract == contract_type::time_and_materials);
    REQUIRE(off.hourly_rate_usd.get_if<pert_distribution>());
    CHECK(off.hourly_rate_usd.get_if<pert_distribution>()->lambda() == 3);
    CHECK(distribution_to_json(off.overlap_hours) == distribution_to_json(preset(sourcing_model::offshore_team).overlap_hours));
    CHECK(support(off.market_rate_low_usd).first == 20);
    CHECK(support(off.market_rate_high_usd).first == 55);
    CHECK(support(off.capability_premium) == std::pair<double, double>(-0.2, 0.2));
    CHECK(s.alternatives[1].model == sourcing_model::nearshore);
    CHECK(mean(s.alternatives[1].initial_staffed_share) == 0.5);
    CHECK(support(s.alternatives[1].annual_rate_escalation).first == 0.04);
    // Contracts: the preset's unless the file says otherwise.
    CHECK(s.alternatives[2].model == sourcing_model::outsourcing);
    CHECK(s.alternatives[2].contract == contract_type::time_and_materials);
    CHECK(support(s.alternatives[2].legacy_learning_factor).first == 2);
    CHECK(s.alternatives[3].contract == contract_type::fixed_price);
    CHECK(support(s.alternatives[3].fixed_price_risk_premium) == std::pair<double, double>(0.1, 0.3));
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
    CHECK(j.at("format_version") == 2);
    CHECK(j.at("framing") == "project");
    CHECK(j["alternatives"][0].contains("hourly_rate_usd"));
    CHECK_FALSE(j["alternatives"][0].contains("overlap_hours"));
    CHECK(to_json(s, field_style::complete)["alternatives"][0].contains("overlap_hours"));
    // The contract is an override like the fields: written only where it differs from the
    // preset (outsourcing's preset is fixed_price), always in the complete style.
    CHECK_FALSE(j["baseline"].contains("contract"));
    CHECK_FALSE(j["alternatives"][0].contains("contract"));
    CHECK(j["alternatives"][2].at("contract") == "time_and_materials");
    CHECK_FALSE(j["alternatives"][3].contains("contract"));
    const json c = to_json(s, field_style::complete);
    CHECK(c["baseline"].at("contract") == "time_and_materials");
    CHECK(c["alternatives"][3].at("contract") == "fixed_price");
    CHECK(c["alternatives"][0].at("contract") == "time_and_materials");
}

TEST_CASE("round trip: a capacity-framed scenario keeps its framing and contracts") {
    scenario s = default_scenario();
    s.name = "ongoing team";
    s.frame = framing::capacity;
    s.legacy_ramp_up_months = pert_distribution(2, 3, 6);
    s.leadership_supply_hours_per_week = constant_distribution(25);
    arrangement aug = preset(sourcing_model::staff_augmentation, "augment");
    aug.contract = contract_type::time_and_materials;  // differs from the preset
    arrangement out = preset(sourcing_model::outsourcing, "managed");
    out.contract = contract_type::staff_augmentation;  // fixed_price is not allowed for capacity
    out.initial_staffed_share = constant_distribution(1);
    s.alternatives.push_back(aug);
    s.alternatives.push_back(out);
    validate(s);
    for (field_style style : {field_style::overrides, field_style::complete}) {
        const json j = to_json(s, style);
        CHECK(j.at("framing") == "capacity");
        const scenario t = parse_scenario(j.dump(2), "capacity.json");
        CHECK(t.frame == framing::capacity);
        REQUIRE(t.alternatives.size() == 3);
        CHECK(t.alternatives[0].contract == contract_type::time_and_materials);
        CHECK(t.alternatives[1].contract == contract_type::time_and_materials);
        CHECK(t.alternatives[2].contract == contract_type::staff_augmentation);
        CHECK(support(t.alternatives[2].initial_staffed_share).first == 1);
        CHECK(to_json(t, style) == j);
        CHECK(to_json(t, field_style::complete) == to_json(s, field_style::complete));
    }
    // Same bits: the framing and the contracts reach the model.
    check_same_results(s, scenario_from_json(to_json(s)), 2000);
    // The framing changes the results (the test above would pass if it were dropped on
    // both sides: make sure it is not).
    scenario p = scenario_from_json(to_json(s));
    p.frame = framing::project;
    simulate_options o;
    o.trials = 500;
    o.threads = 2;
    CHECK(simulate(p, o).arrangements[1].output("net_benefit").mean !=
          simulate(scenario_from_json(to_json(s)), o).arrangements[1].output("net_benefit").mean);
}

TEST_CASE("every field of the model's field tables is read and written") {
    // A value inside each field's range, away from the preset's (a constant).
    auto value_for = [](double lower, double upper) {
        if (std::isfinite(upper)) return lower + 0.37 * (upper - lower);
        return lower + 7.25;
    };
    for (const auto& f : scenario_fields) {
        INFO(f.name);
        const double v = value_for(f.lower, f.upper);
        json j = minimal();
        j[std::string(f.name)] = v;
        const scenario s = scenario_from_json(j);
        CHECK(support(s.get(f.name)) == std::pair<double, double>(v, v));
        CHECK(to_json(s)[std::string(f.name)] == v);
    }
    for (const auto& f : arrangement_fields) {
        INFO(f.name);
        double v = value_for(f.lower, f.upper);
        if (f.name == "market_rate_low_usd") v = 10;   // keep the band ordered
        if (f.name == "market_rate_high_usd") v = 90;
        json j = minimal();
        j["alternatives"][0][std::string(f.name)] = v;
        const scenario s = scenario_from_json(j);
        CHECK(support(s.alternatives[0].get(f.name)) == std::pair<double, double>(v, v));
        CHECK(to_json(s)["alternatives"][0][std::string(f.name)] == v);
        CHECK(to_json(s, field_style::complete)["alternatives"][0][std::string(f.name)] == v);
    }
}

TEST_CASE("round trip: default_scenario() through JSON") {
    const scenario d = default_scenario();
    const json j = to_json(d);
    CHECK(j.at("format_version") == scenario_format_version);
    CHECK(j.at("framing") == "project");
    const scenario e = scenario_from_json(json::parse(j.dump()));
    CHECK(to_json(e) == j);
    CHECK(e.frame == d.frame);
    CHECK(e.correlations.empty());
    CHECK(e.alternatives.at(0).contract == d.alternatives.at(0).contract);
    check_same_results(d, e, 4000);
}

TEST_CASE("format_version: format 1 is refused with what changed; other versions name the supported one") {
    // No format_version: a format-1 file. The message names the path, says what changed
    // and how to upgrade.
    json j = minimal();
    j.erase("format_version");
    const std::string missing = error_of(j);
    CHECK(starts_with(missing, "format_version: a missing key is invalid; this is a format-1 scenario file"));
    for (const char* change :
         {"\"vendor_tier\" was removed", "market_rate_low_usd, market_rate_high_usd", "capability_premium",
          "pay per paid hour", "overhead_loading", "staff_augmentation vendor_margin is now 0",
          "payback_month is now breakeven_month", "\"framing\" (\"project\", the default, or \"capacity\")",
          "\"contract\"", "legacy_ramp_up_months", "leadership_supply_hours_per_week",
          "add \"format_version\": 2", "Changes from format 1"})
        CHECK_MESSAGE(contains(missing, change), change);
    j["format_version"] = 1;
    const std::string one = error_of(j);
    CHECK(starts_with(one, "format_version: 1 is invalid; this is a format-1 scenario file"));
    CHECK(one.substr(one.find("is invalid")) == missing.substr(missing.find("is invalid")));
    // The format check comes first: a real format-1 file (with vendor_tier keys and
    // correlations) gets the upgrade message, not an unknown-key one.
    const std::string old = error_of_text(read_text(data_dir / "format-1-default.json"), "format-1-default.json");
    CHECK(starts_with(old, "format-1-default.json: format_version: a missing key is invalid; this is a format-1"));
    const std::string file = (data_dir / "format-1-default.json").string();
    const std::string expected = file + ": format_version: a missing key is invalid;";
    CHECK_THROWS_WITH_AS(load_scenario(file), doctest::Contains(expected.c_str()), invalid_scenario);
    // A newer format.
    j["format_version"] = 3;
    CHECK(error_of(j) == "format_version: 3 is invalid; this offroi reads format_version 2 only (the file was "
                         "written for a newer offroi: upgrade offroi, or rewrite the file in format 2)");
    j["format_version"] = 0;
    CHECK(error_of(j) == "format_version: 0 is invalid; this offroi reads format_version 2 only");
    j["format_version"] = "2";
    CHECK(error_of(j) == "format_version: \"2\" (a string) is invalid; must be the integer 2 (the current format)");
    j["format_version"] = 2.5;
    CHECK(error_of(j) == "format_version: 2.5 is invalid; must be the integer 2 (the current format)");
    j["format_version"] = 2.0;  // a whole number written as a float is the integer
    CHECK(error_of(j) == "no error");
}

TEST_CASE("vendor_tier: the removed key says what replaces it") {
    json j = minimal();
    j["alternatives"][0]["vendor_tier"] = {{"pert", {0.2, 0.37, 0.55}}};
    const std::string msg = error_of(j);
    CHECK(starts_with(msg, "alternatives[0].vendor_tier: the removed key \"vendor_tier\" is invalid; "
                           "\"vendor_tier\" was removed in format 2: the capability tier now follows"));
    for (const char* part : {"capability_premium", "market_rate_low_usd", "market_rate_high_usd", "hourly_rate_usd * overhead_loading"})
        CHECK_MESSAGE(contains(msg, part), part);
    CHECK_FALSE(contains(msg, "unknown key"));
    j = minimal();
    j["baseline"]["vendor_tier"] = 0.8;
    CHECK(starts_with(error_of(j), "baseline.vendor_tier: the removed key \"vendor_tier\" is invalid;"));
    // A correlation naming it.
    j = minimal();
    j["correlations"] = {{{"a", "offshore.hourly_rate_usd"}, {"b", "offshore.vendor_tier"}, {"spearman", 0.5}}};
    const std::string corr = error_of(j);
    CHECK(starts_with(corr, "correlations[0].b: \"offshore.vendor_tier\" is invalid; \"vendor_tier\" was removed in format 2"));
    CHECK(contains(corr, "capability_premium"));
    CHECK(contains(corr, "no correlation with the rate is needed"));
}

TEST_CASE("framing and contract") {
    json j = minimal();
    j["framing"] = "capacity";
    CHECK(scenario_from_json(j).frame == framing::capacity);
    j["framing"] = "project";
    CHECK(scenario_from_json(j).frame == framing::project);
    j.erase("framing");
    CHECK(scenario_from_json(j).frame == framing::project);  // the default
    j["framing"] = "capcity";
    CHECK(error_of(j) == "framing: \"capcity\" is invalid; did you mean \"capacity\"? framings: project, capacity");
    j["framing"] = "ongoing";
    CHECK(error_of(j) == "framing: \"ongoing\" is invalid; framings: project, capacity");
    j["framing"] = 1;
    CHECK(error_of(j) == "framing: 1 (a number) is invalid; must be a framing: project, capacity");

    j = minimal();
    CHECK(scenario_from_json(j).alternatives[0].contract == contract_type::time_and_materials);
    j["alternatives"][0]["contract"] = "staff_augmentation";
    CHECK(scenario_from_json(j).alternatives[0].contract == contract_type::staff_augmentation);
    j["alternatives"][0] = {{"preset", "outsourcing"}};
    CHECK(scenario_from_json(j).alternatives[0].contract == contract_type::fixed_price);  // the preset's
    j["alternatives"][0] = {{"preset", "staff_augmentation"}};
    CHECK(scenario_from_json(j).alternatives[0].contract == contract_type::staff_augmentation);
    j["alternatives"][0]["contract"] = "fixed";
    CHECK(error_of(j) == "alternatives[0].contract: \"fixed\" is invalid; did you mean \"fixed_price\"? "
                         "contract types: time_and_materials, fixed_price, staff_augmentation");
    j["alternatives"][0]["contract"] = true;
    CHECK(error_of(j) == "alternatives[0].contract: true (a boolean) is invalid; must be a contract type: "
                         "time_and_materials, fixed_price, staff_augmentation");
    // validate(): a fixed price needs a scope, so not under the capacity framing.
    j = minimal();
    j["framing"] = "capacity";
    j["alternatives"][0] = {{"preset", "outsourcing"}, {"name", "vendor"}};
    const std::string fp = error_of(j);
    CHECK(starts_with(fp, "alternatives[0].contract: \"fixed_price\" is invalid; a fixed price needs a scope"));
    j["alternatives"][0]["contract"] = "time_and_materials";
    CHECK(error_of(j) == "no error");
}

TEST_CASE("errors: unknown keys with did-you-mean and the valid keys") {
    json j = minimal();
    j["horizon_month"] = 36;
    const std::string top = error_of(j);
    CHECK(starts_with(top, "horizon_month: unknown key \"horizon_month\" is invalid; did you mean \"horizon_months\"? valid keys: $schema, format_version, name,"));
    j = minimal();
    j["alternatives"][0]["hourly_rate"] = 30;
    CHECK(starts_with(error_of(j), "alternatives[0].hourly_rate: unknown key \"hourly_rate\" is invalid; did you mean "
                                   "\"hourly_rate_usd\"? valid keys: preset, name, description, assumptions, contract, headcount,"));
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
    CHECK(starts_with(error_of(j), "zzz: unknown key \"zzz\" is invalid; valid keys: $schema, format_version, name, description, assumptions, framing,"));
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
    CHECK(error_of(j) == "alternatives[0].hourly_rate_usd: -5 is invalid; must be in (0, 1e5]");
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
    j["annual_discount_rate"] = -0.5;
    CHECK(error_of(j) == "annual_discount_rate: -0.5 is invalid; must be in (-0.5, 10]");
    j["annual_discount_rate"] = "high";
    CHECK(error_of(j) == "annual_discount_rate: \"high\" (a string) is invalid; must be a number in (-0.5, 10]");
    j = minimal();
    j["scope_growth"] = 11;
    CHECK(error_of(j) == "scope_growth: 11 is invalid; must be in [0, 10]");
    j = minimal();
    j["alternatives"][0]["capability_premium"] = {{"pert", {-0.5, 0, 1.5}}};
    CHECK(starts_with(error_of(j), "alternatives[0].capability_premium: "));
    CHECK(contains(error_of(j), "is invalid; must be in [-1, 1] (for every value a draw can take)"));
    j = minimal();
    j["sync_work_share"] = {{"normal", {{"mean", 0.3}, {"sd", 0.1}}}};
    const std::string sync = error_of(j);
    CHECK(starts_with(sync, "sync_work_share: "));
    CHECK(sync.find("support [-inf, inf]") != std::string::npos);
    CHECK(sync.find("is invalid; must be in [0, 1]") != std::string::npos);
    j = minimal();
    j["simulation"] = {{"trials", 1}};
    CHECK(error_of(j) == "simulation.trials: 1 is invalid; must be an integer in [2, 1000000000] (the limit of trials)");
    j = minimal();
    j["alternatives"][0]["name"] = "local";
    CHECK(starts_with(error_of(j), "alternatives[0].name: \"local\" is invalid; must be unique"));
    j = minimal();
    j["alternatives"] = json::array();
    CHECK(starts_with(error_of(j), "alternatives: an empty list is invalid;"));
}

TEST_CASE("errors: correlations") {
    json j = minimal();
    j["correlations"] = {{{"a", "offshore.hourly_rate"}, {"b", "offshore.capability_premium"}, {"spearman", 0.5}}};
    CHECK(starts_with(error_of(j), "correlations[0].a: \"offshore.hourly_rate\" is invalid; did you mean \"offshore.hourly_rate_usd\"? must name an input"));
    j = minimal();
    j["correlations"] = {{{"a", "offshore.hourly_rate_usd"}, {"b", "offshore.capability_premium"}, {"spearman", 1.5}}};
    CHECK(error_of(j) == "correlations[0].spearman: 1.5 is invalid; must be in [-1, 1]");
    // Not positive semi-definite: a~b and b~c strongly positive, a~c strongly negative.
    j = minimal();
    j["correlations"] = {{{"a", "offshore.hourly_rate_usd"}, {"b", "offshore.capability_premium"}, {"spearman", 0.9}},
                         {{"a", "offshore.capability_premium"}, {"b", "offshore.annual_attrition"}, {"spearman", 0.9}},
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
    CHECK(starts_with(error_of_text(R"({"format_version": 2, "baseline": {"preset": "in_house"}, "alternatives": [{"preset": "offshore_team", "headcount": -1}]})", "f.json"),
                      "f.json: alternatives[0].headcount: -1 is invalid; must be in (0, 100000]"));
    // A key given twice in one object (readers usually keep the last silently).
    CHECK(error_of_text(R"({"format_version": 2, "baseline": {"preset": "in_house"}, "alternatives": [{"preset": "nearshore"},
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
    CHECK(ap["setup_cost_usd"]["anyOf"][0]["maximum"] == 1e12);  // limits::max_usd
    CHECK_FALSE(ap["time_to_fill_months"]["anyOf"][0].contains("maximum"));  // inf: never filled
    CHECK(s["$defs"]["distribution_object"]["oneOf"].size() == 15);
    CHECK(s["$defs"]["arrangement"]["properties"]["preset"]["enum"].size() == 6);
    // Format 2: format_version required and constant, framing and contract enumerated.
    CHECK(s["required"] == json({"format_version", "baseline", "alternatives"}));
    CHECK(s["properties"]["format_version"]["const"] == 2);
    CHECK(s["properties"]["framing"]["enum"] == json({"project", "capacity"}));
    CHECK(ap["contract"]["enum"] == json({"time_and_materials", "fixed_price", "staff_augmentation"}));
    CHECK(s["properties"]["annual_discount_rate"]["exclusiveMinimum"] == -0.5);
    CHECK_FALSE(ap.contains("vendor_tier"));
    CHECK(ap["capability_premium"]["anyOf"][0]["minimum"] == -1);
    CHECK(s["properties"]["scope_growth"]["anyOf"][0]["maximum"] == 10);
}

TEST_CASE("docs/scenario-format.md names every key of format 2") {
    const std::string doc = read_text(std::filesystem::path(OFFROI_SOURCE_DIR) / "docs" / "scenario-format.md");
    for (const auto& k : detail::scenario_keys()) CHECK_MESSAGE(contains(doc, "`" + k + "`"), k);
    for (const auto& k : detail::arrangement_keys()) CHECK_MESSAGE(contains(doc, "`" + k + "`"), k);
    for (const auto& k : detail::contract_type_names()) CHECK_MESSAGE(contains(doc, "`\"" + k + "\"`"), k);
    for (const auto& k : detail::framing_names()) CHECK_MESSAGE(contains(doc, "`\"" + k + "\"`"), k);
    // The section the format-1 message points to.
    CHECK(contains(doc, "## Changes from format 1"));
    CHECK(contains(std::string(detail::format_1_changes), "\"Changes from format 1\""));
    // Each field's table row states the range of the model's field table, as messages print it.
    auto row_of = [&](std::string_view name) {
        const std::string start = "\n| `" + std::string(name) + "` |";
        const auto at = doc.find(start);
        if (at == std::string::npos) return std::string();
        return doc.substr(at + 1, doc.find('\n', at + 1) - at - 1);
    };
    for (const auto& f : arrangement_fields) {
        const std::string row = row_of(f.name);
        CHECK_MESSAGE(contains(row, "| " + std::string(f.allowed) + " |"), f.name << ": " << row);
    }
    for (const auto& f : scenario_fields) {
        const std::string row = row_of(f.name);
        CHECK_MESSAGE(contains(row, "| " + std::string(f.allowed) + " |"), f.name << ": " << row);
    }
    // Every example of a format-2 file on the page loads (a ```json block with a format_version).
    std::size_t examples = 0;
    for (std::size_t at = doc.find("```json\n"); at != std::string::npos; at = doc.find("```json\n", at + 1)) {
        const std::size_t begin = at + 8, end = doc.find("```", begin);
        REQUIRE(end != std::string::npos);
        const std::string block = doc.substr(begin, end - begin);
        if (!contains(block, "\"format_version\"")) continue;
        ++examples;
        CHECK_NOTHROW(parse_scenario(block, "docs/scenario-format.md example " + std::to_string(examples)));
    }
    CHECK(examples >= 2);
}

}  // namespace io_scenario_json_test
