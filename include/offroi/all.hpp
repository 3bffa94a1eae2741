#pragma once
/// \file
/// Every layer of offroi's core in one include: the random layer, distributions, sampling,
/// the engine, statistics, sensitivity, the ROI model and the analyses (what
/// offroi/offroi.hpp included before the façade). Heavy to compile (Boost, Eigen,
/// Random123, the engine templates): prefer offroi/offroi.hpp plus the layer headers you
/// use. Scenario files and result output are in offroi/io.hpp (target `offroi::io`).
#include "offroi/offroi.hpp"
#include "offroi/random.hpp"
#include "offroi/distributions.hpp"
#include "offroi/sampling.hpp"
#include "offroi/engine.hpp"
#include "offroi/stats.hpp"
#include "offroi/sensitivity.hpp"
#include "offroi/model.hpp"
#include "offroi/analysis.hpp"
