#pragma once
/// \file
/// Everything offroi's core offers, in one include: the random layer, distributions,
/// sampling, the engine, statistics, sensitivity, the ROI model and the analyses. Each layer
/// also has its own umbrella header (offroi/random.hpp, offroi/distributions.hpp, ...) and
/// every header compiles alone. Scenario files and result output (nlohmann_json) are in
/// offroi/io.hpp, which links `offroi::io`.
#include "offroi/error.hpp"
#include "offroi/random.hpp"
#include "offroi/distributions.hpp"
#include "offroi/sampling.hpp"
#include "offroi/engine.hpp"
#include "offroi/stats.hpp"
#include "offroi/sensitivity.hpp"
#include "offroi/model.hpp"
#include "offroi/analysis.hpp"
