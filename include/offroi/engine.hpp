#pragma once
/// \file
/// The engine layer: runs models over trials in fixed-size blocks, in parallel, with
/// results that are bit-identical whatever the thread count or the split into shards;
/// progress, cancellation, sample keeping under a memory budget, precision stopping.

#include "offroi/engine/cancellation.hpp"
#include "offroi/engine/engine_options.hpp"
#include "offroi/engine/model.hpp"
#include "offroi/engine/precision.hpp"
#include "offroi/engine/run.hpp"
#include "offroi/engine/run_options.hpp"
#include "offroi/engine/run_result.hpp"
#include "offroi/engine/run_summary.hpp"
#include "offroi/engine/sampled_model.hpp"
#include "offroi/engine/trial_model.hpp"
