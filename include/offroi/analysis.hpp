#pragma once
/// \file
/// Umbrella header of the analysis layer: scenario runs with precision stopping and
/// recorded draws, side-by-side comparisons on common random numbers, parameter sweeps,
/// break-even searches, and model-level sensitivity (tornado, rank drivers, Sobol').

#include "offroi/analysis/breakeven.hpp"
#include "offroi/analysis/compare.hpp"
#include "offroi/analysis/model_sensitivity.hpp"
#include "offroi/analysis/preflight.hpp"
#include "offroi/analysis/scenario_model.hpp"
#include "offroi/analysis/scenario_run.hpp"
#include "offroi/analysis/sweep.hpp"
