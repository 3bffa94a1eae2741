#pragma once
/// \file
/// The planner's façade: everything needed to build a scenario in code, simulate it and
/// read the results, without the generic templates behind them.
///
/// - distributions: the 15 families and `offroi::distribution` (offroi/distributions/*.hpp);
/// - the model: sourcing models, arrangements and presets, `scenario` and
///   `default_scenario()` (offroi/model/scenario.hpp);
/// - `simulate(scenario, simulate_options)` and `scenario_result`
///   (offroi/model/scenario_result.hpp), with `summary` (offroi/stats/summary.hpp);
/// - `sweep` (one input over a list of values) and `breakeven` (the value of an input at
///   which an alternative's median net benefit is zero), offroi/analysis/sweep.hpp and
///   breakeven.hpp, with `run_request` (offroi/analysis/run_request.hpp);
/// - formatting: `format_usd`, `format_percent` (offroi/analysis/format.hpp).
///
/// Linked to `offroi::offroi` (compiled mode, offroi/detail/config.hpp) this header
/// includes no Boost, Eigen or Random123 header and compiles in a few seconds
/// (bench/compile/README.md). Header-only (`offroi::header_only`, or no CMake at all) it
/// brings the definitions inline. The generic layers -- the engine (`offroi::run`), samplers,
/// sensitivity, side-by-side comparisons (`offroi::compare`) -- are in their layer headers
/// (offroi/engine.hpp, offroi/sampling.hpp, offroi/analysis.hpp, ...; offroi/all.hpp has
/// every layer); scenario files and result output in offroi/io.hpp (`offroi::io`).
/// docs/cpp-guide.md walks through all of it.
#include "offroi/error.hpp"
#include "offroi/distributions/distribution.hpp"
#include "offroi/model/arrangement.hpp"
#include "offroi/model/contract_type.hpp"
#include "offroi/model/framing.hpp"
#include "offroi/model/presets.hpp"
#include "offroi/model/scenario.hpp"
#include "offroi/model/scenario_result.hpp"
#include "offroi/model/sourcing_model.hpp"
#include "offroi/stats/summary.hpp"
#include "offroi/analysis/breakeven.hpp"
#include "offroi/analysis/format.hpp"
#include "offroi/analysis/run_request.hpp"
#include "offroi/analysis/sweep.hpp"
