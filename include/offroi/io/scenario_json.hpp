#pragma once
/// \file
/// Scenario files (docs/scenario-format.md): `scenario_from_json`, `parse_scenario`,
/// `load_scenario` read and strictly validate a scenario; `to_json` and `save_scenario`
/// write one so that loading it again gives the same scenario (same `to_json`, same
/// simulation bits at a fixed seed). The format is versioned: files say
/// `"format_version": 2` (`scenario_format_version`); format 1 (model v1, no
/// format_version key) is refused with a message that lists what changed.
///
/// Every error is an `offroi::invalid_scenario` whose message starts with the JSON path
/// (`alternatives[0].hourly_rate_usd.pert[1]`), then the bad value, then what is allowed.
/// Ranges come from the model's field tables and `validate()`, so they live in one place.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "offroi/distributions/distribution.hpp"
#include "offroi/error.hpp"
#include "offroi/io/detail/json_support.hpp"
#include "offroi/io/detail/text_file.hpp"
#include "offroi/io/distribution_json.hpp"
#include "offroi/model/arrangement.hpp"
#include "offroi/model/contract_type.hpp"
#include "offroi/model/framing.hpp"
#include "offroi/model/limits.hpp"
#include "offroi/model/parameter_values.hpp"
#include "offroi/model/presets.hpp"
#include "offroi/model/scenario.hpp"
#include "offroi/model/sourcing_model.hpp"
#include "offroi/model/validate.hpp"
#include "offroi/sampling/uniform_sampler.hpp"

namespace offroi {

/// The scenario-file format this library reads and writes (the top-level key
/// "format_version"). Format 1 was model v1 (files without the key); format 2 is model v2.
inline constexpr int scenario_format_version = 2;

/// Which arrangement fields `to_json` writes.
enum class field_style {
    overrides,  ///< only the fields that differ from the arrangement's preset (compact)
    complete    ///< every field (the file then does not depend on the presets' defaults)
};

namespace detail {

/// Keys that annotate a scenario or an arrangement and are not part of the model: accepted
/// (a string, or an array of strings for "assumptions") and not kept.
inline void check_annotation(const nlohmann::json& j, const std::string& path) {
    if (j.is_string()) return;
    if (j.is_array()) {
        for (std::size_t i = 0; i < j.size(); ++i)
            json_string(j[i], json_index(path, i), "must be a string (a note)");
        return;
    }
    throw_at(path, json_value_phrase(j), "must be a string or an array of strings (a note)");
}

/// The preset of `m` (named after the model), built on first use and then copied: a preset
/// holds about 20 PERT distributions whose quantile tables take milliseconds to build, and
/// copies share the tables. Thread-safe (std::call_once per model).
inline const arrangement& cached_preset(sourcing_model m) {
    constexpr std::size_t n = all_sourcing_models.size();
    struct cache {
        std::once_flag once[n];
        std::optional<arrangement> value[n];
    };
    static cache c;
    std::size_t i = 0;
    while (i + 1 < n && all_sourcing_models[i] != m) ++i;
    std::call_once(c.once[i], [&] { c.value[i] = preset(all_sourcing_models[i]); });
    return *c.value[i];
}

inline std::vector<std::string> sourcing_model_names() {
    std::vector<std::string> v;
    for (auto m : all_sourcing_models) v.emplace_back(to_string(m));
    return v;
}

/// What a format-1 file must change to be read as format 2 (the allowed-part of the
/// message at "format_version"; docs/scenario-format.md "Changes from format 1").
inline constexpr std::string_view format_1_changes =
    "this is a format-1 scenario file (no \"format_version\" means format 1) and this offroi reads "
    "format 2 only. What changed in format 2: "
    "(1) the arrangement key \"vendor_tier\" was removed: the capability tier now follows the all-in "
    "hourly rate's position in the labour market's band [market_rate_low_usd, market_rate_high_usd], "
    "shifted by capability_premium in [-1, 1]; delete vendor_tier and any correlation naming it; "
    "(2) in_house hourly_rate_usd is now pay per paid hour (salary / 1920 h) and the new input "
    "overhead_loading adds benefits and overhead: divide a format-1 (loaded) in-house rate by the "
    "loading; "
    "(3) staff_augmentation vendor_margin is now 0 (survey rates are bill rates) and an outsourcing "
    "risk premium is fixed_price_risk_premium under the arrangement key \"contract\": \"fixed_price\"; "
    "(4) payback_month is now breakeven_month (cash break-even, with breakeven_in_horizon and "
    "parity_month); "
    "(5) new keys: \"framing\" (\"project\", the default, or \"capacity\"), arrangement \"contract\", "
    "scenario inputs legacy_ramp_up_months, critical_path_months, scope_growth, "
    "leadership_supply_hours_per_week, arrangement inputs overhead_loading, annual_rate_escalation, "
    "annual_fx_drift, initial_staffed_share, legacy_learning_factor, market_rate_low_usd, "
    "market_rate_high_usd, capability_premium, fixed_price_risk_premium, overrun_cap_share, "
    "change_request_premium. To upgrade: make these edits, then add \"format_version\": 2 at the top "
    "level (docs/scenario-format.md, \"Changes from format 1\")";

/// The message part for the removed arrangement key "vendor_tier".
inline constexpr std::string_view vendor_tier_removed =
    "\"vendor_tier\" was removed in format 2: the capability tier now follows the arrangement's all-in "
    "hourly rate (hourly_rate_usd * overhead_loading) within its labour market's band "
    "[market_rate_low_usd, market_rate_high_usd] on a log scale, plus capability_premium in [-1, 1]; "
    "delete vendor_tier and set capability_premium (and market_rate_low_usd / market_rate_high_usd) "
    "instead";

/// Reads "format_version": only `scenario_format_version` is accepted; a missing key or 1
/// is format 1 (the message lists what changed), a larger one a newer format.
inline void check_format_version(const nlohmann::json& j) {
    const std::string cur = std::to_string(scenario_format_version);
    if (!j.contains("format_version")) throw_at("format_version", "a missing key", format_1_changes);
    const nlohmann::json& v = j["format_version"];
    if (!v.is_number())
        throw_at("format_version", json_value_phrase(v), "must be the integer " + cur + " (the current format)");
    const std::int64_t n = json_integer(v, "format_version", std::numeric_limits<std::int64_t>::min(),
                                        std::numeric_limits<std::int64_t>::max(),
                                        "must be the integer " + cur + " (the current format)");
    if (n == 1) throw_at("format_version", "1", format_1_changes);
    if (n != scenario_format_version)
        throw_at("format_version", std::to_string(n),
                 "this offroi reads format_version " + cur + " only" +
                     (n > scenario_format_version
                          ? std::string(" (the file was written for a newer offroi: upgrade offroi, or "
                                        "rewrite the file in format ") + cur + ")"
                          : std::string()));
}

inline std::vector<std::string> framing_names() {
    return {std::string(to_string(framing::project)), std::string(to_string(framing::capacity))};
}

inline std::vector<std::string> contract_type_names() {
    std::vector<std::string> v;
    for (auto c : all_contract_types) v.emplace_back(to_string(c));
    return v;
}

inline std::vector<std::string> arrangement_keys() {
    std::vector<std::string> v = {"preset", "name", "description", "assumptions", "contract"};
    for (const auto& f : arrangement_fields) v.emplace_back(f.name);
    return v;
}

inline std::vector<std::string> scenario_keys() {
    std::vector<std::string> v = {"$schema", "format_version", "name", "description", "assumptions",
                                  "framing", "horizon_months", "annual_discount_rate"};
    for (const auto& f : scenario_fields) v.emplace_back(f.name);
    for (const char* k : {"baseline", "alternatives", "correlations", "simulation"}) v.emplace_back(k);
    return v;
}

inline arrangement arrangement_from_json(const nlohmann::json& j, const std::string& path) {
    require_object(j, path, "{\"preset\": \"<sourcing model>\", \"name\": \"...\", <field overrides>}");
    if (j.contains("vendor_tier"))
        throw_at(json_child(path, "vendor_tier"), "the removed key \"vendor_tier\"", vendor_tier_removed);
    check_keys(j, path, arrangement_keys());
    if (!j.contains("preset"))
        throw_at(json_child(path, "preset"), "a missing key",
                 "every arrangement names its preset (sourcing model): " + join_names(sourcing_model_names()));
    const std::string pp = json_child(path, "preset");
    const std::string& model = json_string(j["preset"], pp, "must be a sourcing model name: " + join_names(sourcing_model_names()));
    const auto models = sourcing_model_names();
    if (std::find(models.begin(), models.end(), model) == models.end())
        throw_unknown_name(pp, model, "sourcing models", models);
    std::string name;
    if (j.contains("name")) name = json_string(j["name"], json_child(path, "name"));
    arrangement a = cached_preset(parse_sourcing_model(model));
    a.name = name.empty() ? model : name;
    for (const char* note : {"description", "assumptions"})
        if (j.contains(note)) check_annotation(j[note], json_child(path, note));
    if (j.contains("contract")) {
        const std::string pc = json_child(path, "contract");
        const auto names = contract_type_names();
        const std::string& c = json_string(j["contract"], pc, "must be a contract type: " + join_names(names));
        if (std::find(names.begin(), names.end(), c) == names.end()) throw_unknown_name(pc, c, "contract types", names);
        a.contract = parse_contract_type(c);
    }
    for (std::size_t i = 0; i < arrangement_fields.size(); ++i) {
        const std::string key(arrangement_fields[i].name);
        if (j.contains(key)) a.*(arrangement_members[i]) = distribution_from_json(j[key], json_child(path, key));
    }
    return a;
}

inline sampling_method parse_sampler(const nlohmann::json& j, const std::string& path) {
    const std::string& s = json_string(j, path, "must be \"mc\", \"lhs\" or \"sobol\"");
    if (s == "mc" || s == "monte_carlo") return sampling_method::monte_carlo;
    if (s == "lhs" || s == "latin_hypercube") return sampling_method::latin_hypercube;
    if (s == "sobol") return sampling_method::sobol;
    throw_unknown_name(path, s, "samplers", {"mc", "lhs", "sobol"});
}

inline dependence_method parse_dependence(const nlohmann::json& j, const std::string& path) {
    const std::string& s = json_string(j, path, "must be \"gaussian_copula\" or \"iman_conover\"");
    if (s == "gaussian_copula") return dependence_method::gaussian_copula;
    if (s == "iman_conover") return dependence_method::iman_conover;
    throw_unknown_name(path, s, "dependence methods", {"gaussian_copula", "iman_conover"});
}

inline const char* sampler_name(sampling_method m) {
    switch (m) {
        case sampling_method::monte_carlo: return "mc";
        case sampling_method::latin_hypercube: return "lhs";
        case sampling_method::sobol: return "sobol";
    }
    return "mc";
}

inline nlohmann::json arrangement_to_json(const arrangement& a, field_style style) {
    nlohmann::json j = {{"preset", std::string(to_string(a.model))}, {"name", a.name}};
    const arrangement& ref = style == field_style::overrides ? cached_preset(a.model) : a;
    if (style == field_style::complete || a.contract != ref.contract) j["contract"] = std::string(to_string(a.contract));
    for (std::size_t i = 0; i < arrangement_fields.size(); ++i) {
        nlohmann::json v = distribution_to_json(a.*(arrangement_members[i]));
        if (style == field_style::complete || v != distribution_to_json(ref.*(arrangement_members[i])))
            j[std::string(arrangement_fields[i].name)] = std::move(v);
    }
    return j;
}

/// A parser callback that rejects a key repeated within one object (JSON readers usually
/// keep the last one silently, which hides typos such as two "hourly_rate_usd" overrides),
/// naming the JSON path of the repeated key; and that enforces the size limits of
/// model/limits.hpp while parsing (nesting depth, array length, keys per object), so a
/// hostile file costs bounded time and memory.
class duplicate_key_check {
public:
    /// Most keys in one object (the format's largest object has about 50).
    static constexpr std::size_t max_object_keys = 1000;

    bool operator()(int /*depth*/, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        using ev = nlohmann::json::parse_event_t;
        switch (event) {
            case ev::object_start:
            case ev::array_start:
                if (stack_->size() >= std::size_t(limits::max_json_depth))
                    throw_at(child_path(), "nesting deeper than " + std::to_string(limits::max_json_depth) + " levels",
                             "scenario files nest objects and arrays at most " +
                                 std::to_string(limits::max_json_depth) + " levels deep (the limit of nesting)");
                stack_->push_back({event == ev::array_start, 0, {}, {}, child_path()});
                break;
            case ev::key: {
                frame& f = stack_->back();
                f.key = parsed.get<std::string>();
                if (std::find(f.keys.begin(), f.keys.end(), f.key) != f.keys.end())
                    throw_at(json_child(f.path, f.key), "a second \"" + f.key + "\" key",
                             "each key may appear once in an object");
                if (f.keys.size() >= max_object_keys)
                    throw_at(f.path, "an object with more than " + std::to_string(max_object_keys) + " keys",
                             "objects in scenario files have at most " + std::to_string(max_object_keys) + " keys");
                f.keys.push_back(f.key);
                break;
            }
            case ev::object_end:
            case ev::array_end:
                stack_->pop_back();
                advance();
                break;
            case ev::value:
                advance();
                break;
        }
        return true;
    }

    /// The JSON path of the value being parsed (for errors the parser raises mid-value).
    std::string current_path() const { return child_path(); }

private:
    struct frame {
        bool is_array;
        std::size_t index;
        std::string key;
        std::vector<std::string> keys;
        std::string path;
    };
    std::string child_path() const {
        if (stack_->empty()) return {};
        const frame& f = stack_->back();
        return f.is_array ? json_index(f.path, f.index) : json_child(f.path, f.key);
    }
    void advance() {
        if (stack_->empty() || !stack_->back().is_array) return;
        frame& f = stack_->back();
        if (++f.index > limits::max_array_length)
            throw_at(f.path, "an array of more than " + std::to_string(limits::max_array_length) + " values",
                     "arrays in scenario files have at most " + std::to_string(limits::max_array_length) +
                         " values (the limit of array length)");
    }
    // Shared: nlohmann copies the callback.
    std::shared_ptr<std::vector<frame>> stack_ = std::make_shared<std::vector<frame>>();
};

}  // namespace detail

/// Reads a scenario from its JSON form (docs/scenario-format.md) and validates it.
/// Keys: "format_version" (required, 2), "name", "framing" ("project" (default) |
/// "capacity"), "horizon_months" (integer 1...600), "annual_discount_rate" (in (-0.5, 10]),
/// the scenario inputs of `scenario_fields` (numbers or distributions; missing ones keep
/// the defaults of `offroi::scenario`), "baseline" and "alternatives" (each {"preset",
/// "name", "contract"?, <overrides of `arrangement_fields`>}), "correlations" ([{"a", "b",
/// "spearman"}]), "simulation" ({"trials", "seed", "sampler": "mc" | "lhs" | "sobol",
/// "dependence": "gaussian_copula" | "iman_conover"}); "description", "assumptions" and
/// "$schema" are notes, accepted and not kept.
/// \throws invalid_scenario "<JSON path>: <value> is invalid; <allowed>" for a missing,
///   old (1: the message lists what changed in format 2) or unknown format_version, an
///   unknown key (with a did-you-mean and the valid keys; the removed "vendor_tier" with
///   what replaces it), a wrong type, a bad distribution, a value out of its field's range,
///   an unknown input in a correlation, a correlation set that is not positive
///   semi-definite, or anything else `validate()` rejects (e.g. a fixed price under the
///   capacity framing).
inline scenario scenario_from_json(const nlohmann::json& j) {
    using namespace detail;
    require_object(j, "", "(a scenario: {\"format_version\": 2, \"name\", \"baseline\", \"alternatives\", ...})");
    check_format_version(j);
    check_keys(j, "", scenario_keys());
    scenario s;
    if (j.contains("name")) s.name = json_string(j["name"], "name");
    if (j.contains("framing")) {
        const auto names = framing_names();
        const std::string& f = json_string(j["framing"], "framing", "must be a framing: " + join_names(names));
        if (std::find(names.begin(), names.end(), f) == names.end()) throw_unknown_name("framing", f, "framings", names);
        s.frame = parse_framing(f);
    }
    for (const char* note : {"description", "assumptions"})
        if (j.contains(note)) check_annotation(j[note], note);
    if (j.contains("$schema")) json_string(j["$schema"], "$schema");
    if (j.contains("horizon_months"))
        s.horizon_months = static_cast<int>(json_integer(j["horizon_months"], "horizon_months", 1, max_horizon_months,
                                                         "must be an integer in [1, 600]"));
    if (j.contains("annual_discount_rate"))
        s.annual_discount_rate = json_number(j["annual_discount_rate"], "annual_discount_rate", "must be a number in (-0.5, 10]");
    for (std::size_t i = 0; i < scenario_fields.size(); ++i) {
        const std::string key(scenario_fields[i].name);
        if (j.contains(key)) s.*(scenario_members[i]) = distribution_from_json(j[key], key);
    }
    if (!j.contains("baseline"))
        throw_at("baseline", "a missing key", "a scenario needs a baseline arrangement {\"preset\": ..., \"name\": ...}");
    s.baseline = arrangement_from_json(j["baseline"], "baseline");
    if (!j.contains("alternatives"))
        throw_at("alternatives", "a missing key", "a scenario needs at least one alternative arrangement");
    const auto& alts = j["alternatives"];
    if (!alts.is_array()) throw_at("alternatives", json_value_phrase(alts), "must be an array of arrangements");
    for (std::size_t i = 0; i < alts.size(); ++i)
        s.alternatives.push_back(arrangement_from_json(alts[i], json_index("alternatives", i)));

    if (j.contains("correlations")) {
        const auto& cs = j["correlations"];
        if (!cs.is_array())
            throw_at("correlations", json_value_phrase(cs), "must be an array of {\"a\", \"b\", \"spearman\"}");
        const std::vector<std::string> inputs = input_names(s);
        for (std::size_t i = 0; i < cs.size(); ++i) {
            const std::string p = json_index("correlations", i);
            require_object(cs[i], p, "{\"a\": \"<input>\", \"b\": \"<input>\", \"spearman\": rho}");
            check_keys(cs[i], p, {"a", "b", "spearman"});
            rank_correlation c;
            for (const char* k : {"a", "b"}) {
                const std::string pk = json_child(p, k);
                if (!cs[i].contains(k)) throw_at(pk, "a missing key", "must name an input, e.g. \"offshore_team.hourly_rate_usd\"");
                const std::string& n = json_string(cs[i][k], pk, "must be an input name (a string)");
                if (std::find(inputs.begin(), inputs.end(), n) == inputs.end()) {
                    const std::string_view removed = ".vendor_tier";
                    if (n.size() > removed.size() && n.compare(n.size() - removed.size(), removed.size(), removed) == 0)
                        throw_at(pk, "\"" + n + "\"",
                                 std::string(vendor_tier_removed) +
                                     "; the tier follows the rate by mechanism, so no correlation with the rate is needed");
                    std::string allowed;
                    const std::string guess = closest_match(n, inputs);
                    if (!guess.empty()) allowed = "did you mean \"" + guess + "\"? ";
                    allowed += "must name an input: a scenario field (" + field_list(scenario_fields) +
                               ") or \"<arrangement>.<field>\" with arrangements " + s.baseline.name;
                    for (const auto& a : s.alternatives) allowed += ", " + a.name;
                    throw_at(pk, "\"" + n + "\"", allowed);
                }
                (k[0] == 'a' ? c.a : c.b) = n;
            }
            const std::string ps = json_child(p, "spearman");
            if (!cs[i].contains("spearman")) throw_at(ps, "a missing key", "must be a rank correlation in [-1, 1]");
            c.spearman = json_number(cs[i]["spearman"], ps, "must be a rank correlation in [-1, 1]");
            if (!(c.spearman >= -1.0 && c.spearman <= 1.0)) throw_at(ps, short_number(c.spearman), "must be in [-1, 1]");
            s.correlations.push_back(std::move(c));
        }
    }
    if (j.contains("simulation")) {
        const auto& sim = j["simulation"];
        require_object(sim, "simulation", "{\"trials\", \"seed\", \"sampler\", \"dependence\"}");
        check_keys(sim, "simulation", {"trials", "seed", "sampler", "dependence"});
        if (sim.contains("trials")) {
            s.simulation.trials = json_unsigned(sim["trials"], "simulation.trials", 2,
                                                "must be an integer in [2, 1000000000] (the limit of trials)");
            if (s.simulation.trials > limits::max_trials)
                throw_at("simulation.trials", std::to_string(s.simulation.trials),
                         "must be an integer in [2, 1000000000] (the limit of trials)");
        }
        if (sim.contains("seed"))
            s.simulation.seed = json_unsigned(sim["seed"], "simulation.seed", 0, "must be an integer in [0, 2^64 - 1]");
        if (sim.contains("sampler")) s.simulation.method = parse_sampler(sim["sampler"], "simulation.sampler");
        if (sim.contains("dependence"))
            s.simulation.dependence = parse_dependence(sim["dependence"], "simulation.dependence");
    }
    validate(s);
    return s;
}

/// Writes a scenario as JSON (docs/scenario-format.md): "format_version" (2), every
/// scenario-level key including "framing", the arrangements as {"preset", "name",
/// "contract"?, \<fields\>} (only the fields -- and the contract -- that differ from the
/// preset with `field_style::overrides`, the default; all with `field_style::complete`),
/// the correlations and the simulation settings. `scenario_from_json` of the result gives
/// a scenario with the same `to_json` and the same simulation results.
inline nlohmann::json to_json(const scenario& s, field_style style = field_style::overrides) {
    nlohmann::json j;
    j["format_version"] = scenario_format_version;
    j["name"] = s.name;
    j["framing"] = std::string(to_string(s.frame));
    j["horizon_months"] = s.horizon_months;
    j["annual_discount_rate"] = s.annual_discount_rate;
    for (std::size_t i = 0; i < scenario_fields.size(); ++i)
        j[std::string(scenario_fields[i].name)] = distribution_to_json(s.*(scenario_members[i]));
    j["baseline"] = detail::arrangement_to_json(s.baseline, style);
    j["alternatives"] = nlohmann::json::array();
    for (const auto& a : s.alternatives) j["alternatives"].push_back(detail::arrangement_to_json(a, style));
    j["correlations"] = nlohmann::json::array();
    for (const auto& c : s.correlations) j["correlations"].push_back({{"a", c.a}, {"b", c.b}, {"spearman", c.spearman}});
    j["simulation"] = {{"trials", s.simulation.trials},
                       {"seed", s.simulation.seed},
                       {"sampler", detail::sampler_name(s.simulation.method)},
                       {"dependence", s.simulation.dependence == dependence_method::iman_conover ? "iman_conover"
                                                                                                 : "gaussian_copula"}};
    return j;
}

/// Parses scenario text (JSON) and reads it with `scenario_from_json`.
/// \param text        the JSON text.
/// \param source_name where it came from (a file name), prefixed to messages as
///                    "<source_name>: " when not empty.
/// \throws invalid_scenario "<source>:<line>:<column>: JSON syntax error: ..." for text
///   that is not JSON, "<source>: <path>: a second "\<key\>" key is invalid; ..." for a key
///   repeated in one object, or "<source>: <path>: ..." as `scenario_from_json`.
inline scenario parse_scenario(std::string_view text, std::string_view source_name = {}) {
    // A file name may be any bytes; messages stay UTF-8.
    const std::string prefix = source_name.empty() ? std::string() : detail::utf8_sanitized(source_name) + ": ";
    if (text.size() > limits::max_file_bytes)
        throw invalid_scenario(prefix + "a scenario of " + std::to_string(text.size()) +
                               " bytes is invalid; scenarios are at most 16 MiB (the limit of file size)");
    nlohmann::json j;
    const detail::duplicate_key_check check;
    try {
        j = nlohmann::json::parse(text.begin(), text.end(), check);
    } catch (const invalid_scenario& e) {
        throw invalid_scenario(prefix + e.what());
    } catch (const nlohmann::json::out_of_range& e) {
        // A number the parser cannot hold ("1e400"); its path is where the parser stopped.
        std::string what = e.what();
        if (const auto k = what.find("] "); k != std::string::npos && what.rfind("[json.exception", 0) == 0)
            what = what.substr(k + 2);
        const std::string path = check.current_path();
        throw invalid_scenario(prefix + (path.empty() ? std::string("(scenario)") : path) + ": " + what +
                               " is invalid; numbers must be finite doubles (about +-1.8e308; write \"inf\" "
                               "where a field allows infinity)");
    } catch (const nlohmann::json::parse_error& e) {
        // Line and column of the byte where parsing failed (e.byte is 1-based).
        std::size_t line = 1, col = 1;
        const std::size_t stop = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
        for (std::size_t i = 0; i < stop; ++i) {
            if (text[i] == '\n') {
                ++line;
                col = 1;
            } else {
                ++col;
            }
        }
        std::string what = e.what();
        // Drop nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: ".
        if (const auto k = what.find("]: "); k != std::string::npos && what.rfind("[json.exception", 0) == 0)
            what = what.substr(k + 3);
        else if (const auto c = what.find(": "); c != std::string::npos && what.rfind("[json.exception", 0) == 0)
            what = what.substr(c + 2);
        const std::string where = (source_name.empty() ? std::string("line ") : std::string(source_name) + ":") +
                                  std::to_string(line) + ":" + std::to_string(col);
        throw invalid_scenario(detail::utf8_sanitized(where + ": JSON syntax error: " + what));
    }
    try {
        return scenario_from_json(j);
    } catch (const invalid_scenario& e) {
        if (prefix.empty()) throw;
        throw invalid_scenario(prefix + e.what());
    }
}

/// Reads and validates a scenario file.
/// \throws invalid_scenario "<file>: cannot open ..." if the file cannot be read, or as
///   `parse_scenario` (messages prefixed with the file name).
inline scenario load_scenario(const std::filesystem::path& file) {
    const std::string text = detail::read_text_file(file, "scenario");
    return parse_scenario(text, file.string());
}

/// Writes `to_json(s, style)` to a file, indented by 2, with a final newline.
/// \throws offroi::error if the file cannot be written.
inline void save_scenario(const scenario& s, const std::filesystem::path& file,
                          field_style style = field_style::overrides) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!out) throw error(file.string() + ": cannot open the file for writing");
    out << to_json(s, style).dump(2) << '\n';
    out.flush();
    if (!out) throw error(file.string() + ": error while writing the scenario");
}

}  // namespace offroi
