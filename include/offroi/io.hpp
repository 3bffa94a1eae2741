#pragma once
/// \file
/// Umbrella header of the io layer: scenario files (JSON, strict validation), the JSON
/// Schema of the format, and results as JSON and CSV. Needs nlohmann_json (target
/// `offroi::io`); the rest of offroi does not. docs/scenario-format.md is the reference.

#include "offroi/io/assumptions.hpp"
#include "offroi/io/distribution_json.hpp"
#include "offroi/io/result_csv.hpp"
#include "offroi/io/result_json.hpp"
#include "offroi/io/scenario_json.hpp"
#include "offroi/io/scenario_schema.hpp"
