#pragma once
/// \file
/// Umbrella header of the decision layer: what to do under uncertainty, on top of the model
/// and the generic engine -- value of information (EVPI, EVPPI, EVSI of a pilot), decision
/// summaries and curves, staged decisions (a pilot before scaling), learning from observed
/// data by importance reweighting, and choosing among many options.
#include "offroi/decision/ranking_selection.hpp"
#include "offroi/decision/option_frontier.hpp"
#include "offroi/decision/importance_weights.hpp"
#include "offroi/decision/scenario_options.hpp"
#include "offroi/decision/nb_regression.hpp"
#include "offroi/decision/value_of_information.hpp"
#include "offroi/decision/policy_learning.hpp"
#include "offroi/decision/staged_decision.hpp"
#include "offroi/decision/decision_curves.hpp"
#include "offroi/decision/scenario_voi.hpp"
#include "offroi/decision/observations.hpp"
#include "offroi/decision/posterior_marginal.hpp"
#include "offroi/decision/scenario_update.hpp"
