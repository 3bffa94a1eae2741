#pragma once
/// \file
/// `scenario_schema()`: a JSON Schema (draft 2020-12) of the scenario-file format, built
/// from the model's field tables, so that editors can complete and check scenario files
/// (`offroi schema > scenario.schema.json`). The schema checks structure, types, key names,
/// "format_version" (the constant 2), the framing and contract names and the ranges of
/// plain-number inputs; the reader (`scenario_from_json`) checks
/// everything else (parameter order, distribution supports against the ranges, positive
/// semi-definite correlations).

#include <nlohmann/json.hpp>

#include <cmath>
#include <string>

#include "offroi/distributions/distribution.hpp"
#include "offroi/io/scenario_json.hpp"
#include "offroi/model/contract_type.hpp"
#include "offroi/model/evaluate.hpp"
#include "offroi/model/parameter_values.hpp"
#include "offroi/model/sourcing_model.hpp"

namespace offroi {

namespace detail {

inline nlohmann::json schema_ref(const char* name) { return {{"$ref", std::string("#/$defs/") + name}}; }

inline nlohmann::json schema_numbers(std::size_t min_items) {
    nlohmann::json j = {{"type", "array"}, {"items", schema_ref("number")}};
    if (min_items) j["minItems"] = min_items;
    return j;
}

inline nlohmann::json schema_tuple(std::size_t n0, std::size_t n1) {
    return {{"type", "array"}, {"items", schema_ref("number")}, {"minItems", n0}, {"maxItems", n1}};
}

inline nlohmann::json schema_object(std::initializer_list<const char*> required,
                                    std::initializer_list<const char*> optional = {}) {
    nlohmann::json props = nlohmann::json::object();
    for (const char* k : required) props[k] = schema_ref("number");
    for (const char* k : optional) props[k] = schema_ref("number");
    nlohmann::json req = nlohmann::json::array();
    for (const char* k : required) req.push_back(k);
    return {{"type", "object"}, {"properties", props}, {"required", req}, {"additionalProperties", false}};
}

// An object with exactly two percentile keys "p<percent>" plus the named extra keys.
inline nlohmann::json schema_percentiles(std::initializer_list<const char*> required = {},
                                         std::initializer_list<const char*> optional = {}) {
    nlohmann::json j = schema_object(required, optional);
    j["patternProperties"] = {{"^p[0-9]+(\\.[0-9]+)?$", schema_ref("number")}};
    j["minProperties"] = 2 + required.size();
    j["maxProperties"] = 2 + required.size() + optional.size();
    return j;
}

inline nlohmann::json schema_any(std::initializer_list<nlohmann::json> forms) {
    return {{"oneOf", nlohmann::json::array_t(forms)}};
}

template <class Values>
nlohmann::json schema_field(const field_descriptor<Values>& f) {
    nlohmann::json num = {{"type", "number"}, {"minimum", f.lower}};
    if (std::isfinite(f.upper)) num["maximum"] = f.upper;
    return {{"description", std::string(f.name) + ": a number or a distribution; " + std::string(f.allowed)},
            {"anyOf", {num, schema_ref("distribution_object")}}};
}

}  // namespace detail

/// The JSON Schema of scenario files (see the file comment and docs/scenario-format.md).
inline nlohmann::json scenario_schema() {
    using namespace detail;
    using nlohmann::json;
    json families = json::object();
    families["constant"] = schema_any({schema_ref("number"), schema_object({"value"})});
    families["uniform"] = schema_any({schema_tuple(2, 2), schema_object({"lower", "upper"}), schema_percentiles()});
    families["triangular"] =
        schema_any({schema_tuple(3, 3), schema_object({"min", "mode", "max"}), schema_percentiles({"mode"})});
    families["pert"] = schema_any({schema_tuple(3, 4), schema_object({"min", "mode", "max"}, {"lambda"}),
                                   schema_percentiles({"mode"}, {"lambda"})});
    families["beta"] = schema_any({schema_tuple(2, 4), schema_object({"alpha", "beta"}, {"lower", "upper"}),
                                   schema_object({"mean", "sd"}, {"lower", "upper"})});
    families["normal"] = schema_any({schema_tuple(2, 2), schema_object({"mean", "sd"}), schema_percentiles()});
    families["truncated_normal"] = schema_any({schema_tuple(4, 4), schema_object({"mean", "sd"}, {"lower", "upper"})});
    families["lognormal"] = schema_any({schema_tuple(2, 2), schema_object({"mu", "sigma"}), schema_percentiles()});
    families["gamma"] = schema_any({schema_tuple(2, 2), schema_object({"shape", "scale"}), schema_object({"mean", "sd"}),
                                    schema_percentiles()});
    families["weibull"] = schema_any({schema_tuple(2, 2), schema_object({"shape", "scale"}), schema_percentiles()});
    families["bernoulli"] = schema_any({{{"type", "number"}, {"minimum", 0}, {"maximum", 1}}, schema_object({"p"})});
    families["poisson"] = schema_any({{{"type", "number"}, {"exclusiveMinimum", 0}}, schema_object({"mean"})});
    families["discrete"] = {{"type", "object"},
                            {"properties", {{"values", schema_numbers(1)}, {"probabilities", schema_numbers(1)}}},
                            {"required", {"values", "probabilities"}},
                            {"additionalProperties", false}};
    families["empirical"] = schema_any(
        {schema_numbers(1),
         {{"type", "object"},
          {"properties", {{"data", schema_numbers(1)}, {"kind", {{"enum", {"interpolated", "resampled"}}}}}},
          {"required", {"data"}},
          {"additionalProperties", false}}});
    families["metalog"] = schema_any(
        {{{"type", "object"},
          {"properties",
           {{"quantiles", {{"type", "array"}, {"minItems", 2}, {"items", schema_tuple(2, 2)}}},
            {"terms", {{"type", "integer"}, {"minimum", 2}, {"maximum", 12}}},
            {"lower", schema_ref("number")},
            {"upper", schema_ref("number")}}},
          {"required", {"quantiles"}},
          {"additionalProperties", false}},
         {{"type", "object"},
          {"properties",
           {{"coefficients", {{"type", "array"}, {"minItems", 2}, {"maxItems", 12}, {"items", schema_ref("number")}}},
            {"lower", schema_ref("number")},
            {"upper", schema_ref("number")}}},
          {"required", {"coefficients"}},
          {"additionalProperties", false}}});

    json dist_forms = json::array();
    for (const char* f : distribution_names)
        dist_forms.push_back({{"type", "object"},
                              {"properties", {{f, families[f]}}},
                              {"required", {f}},
                              {"additionalProperties", false}});

    json note = {{"description", "a note (not part of the model)"},
                 {"anyOf", {{{"type", "string"}}, {{"type", "array"}, {"items", {{"type", "string"}}}}}}};

    json models = json::array();
    for (auto m : all_sourcing_models) models.push_back(std::string(to_string(m)));
    json contracts = json::array();
    for (auto c : all_contract_types) contracts.push_back(std::string(to_string(c)));
    json arr_props = {{"preset", {{"description", "the sourcing model whose defaults the fields override"}, {"enum", models}}},
                      {"name", {{"type", "string"}, {"pattern", "^[^.]+$"}}},
                      {"description", note},
                      {"assumptions", note},
                      {"contract",
                       {{"description", "how the labour is billed (default: the preset's; fixed_price needs the "
                                        "project framing)"},
                        {"enum", contracts}}}};
    for (const auto& f : arrangement_fields) arr_props[std::string(f.name)] = schema_field(f);

    json props = {{"$schema", {{"type", "string"}}},
                  {"format_version",
                   {{"description", "the scenario-file format: 2 (files of format 1, model v1, have no "
                                    "format_version and must be upgraded; docs/scenario-format.md)"},
                    {"const", scenario_format_version}}},
                  {"name", {{"type", "string"}}},
                  {"framing",
                   {{"description", "project (deliver a backlog; default) or capacity (an ongoing team "
                                    "compared at equal useful output)"},
                    {"enum", framing_names()}}},
                  {"description", note},
                  {"assumptions", note},
                  {"horizon_months", {{"type", "integer"}, {"minimum", 1}, {"maximum", max_horizon_months}}},
                  {"annual_discount_rate", {{"type", "number"}, {"exclusiveMinimum", -0.5}, {"maximum", 10}}}};
    for (const auto& f : scenario_fields) props[std::string(f.name)] = schema_field(f);
    props["baseline"] = schema_ref("arrangement");
    props["alternatives"] = {{"type", "array"}, {"minItems", 1}, {"items", schema_ref("arrangement")}};
    props["correlations"] = {
        {"type", "array"},
        {"items",
         {{"type", "object"},
          {"properties",
           {{"a", {{"type", "string"}, {"description", "an input: a scenario field or \"<arrangement>.<field>\""}}},
            {"b", {{"type", "string"}}},
            {"spearman", {{"type", "number"}, {"minimum", -1}, {"maximum", 1}}}}},
          {"required", {"a", "b", "spearman"}},
          {"additionalProperties", false}}}};
    props["simulation"] = {{"type", "object"},
                           {"properties",
                            {{"trials", {{"type", "integer"}, {"minimum", 2}}},
                             {"seed", {{"type", "integer"}, {"minimum", 0}}},
                             {"sampler", {{"enum", {"mc", "monte_carlo", "lhs", "latin_hypercube", "sobol"}}}},
                             {"dependence", {{"enum", {"gaussian_copula", "iman_conover"}}}}}},
                           {"additionalProperties", false}};

    return {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
            {"$id", "https://offroi.invalid/schema/scenario.json"},
            {"title", "offroi scenario"},
            {"description", "A decision to simulate: a baseline sourcing arrangement, the alternatives compared "
                            "with it, shared inputs, rank correlations and simulation settings "
                            "(docs/scenario-format.md)."},
            {"type", "object"},
            {"properties", props},
            {"required", {"format_version", "baseline", "alternatives"}},
            {"additionalProperties", false},
            {"$defs",
             {{"number",
               {{"description", "a number; JSON has no infinity, so \"inf\" and \"-inf\" stand for it"},
                {"anyOf", {{{"type", "number"}}, {{"enum", {"inf", "+inf", "infinity", "-inf", "-infinity"}}}}}}},
              {"distribution_object", {{"oneOf", dist_forms}}},
              {"arrangement",
               {{"type", "object"},
                {"properties", arr_props},
                {"required", {"preset"}},
                {"additionalProperties", false}}}}}};
}

}  // namespace offroi
