#pragma once
/// \file
/// Umbrella header of the offshoring ROI model (docs/model.md): sourcing models, parameter
/// values, arrangements and presets, scenarios and their validation, risk events, the
/// per-trial evaluation, the engine model and `simulate`.
#include "offroi/model/arrangement.hpp"
#include "offroi/model/engagement_plan.hpp"
#include "offroi/model/evaluate.hpp"
#include "offroi/model/parameter_values.hpp"
#include "offroi/model/presets.hpp"
#include "offroi/model/risk_events.hpp"
#include "offroi/model/roi_model.hpp"
#include "offroi/model/scenario.hpp"
#include "offroi/model/simulate.hpp"
#include "offroi/model/sourcing_model.hpp"
#include "offroi/model/validate.hpp"
