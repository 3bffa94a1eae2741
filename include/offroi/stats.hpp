#pragma once
/// \file
/// Umbrella header of offroi's statistics layer: exact sums and moments, the quantile
/// sketch, the mergeable streaming_summary, exact statistics of kept samples and the
/// decision summary.

#include "offroi/stats/convergence_trace.hpp"
#include "offroi/stats/exact_moments.hpp"
#include "offroi/stats/exact_sum.hpp"
#include "offroi/stats/histogram.hpp"
#include "offroi/stats/interval.hpp"
#include "offroi/stats/quantile_sketch.hpp"
#include "offroi/stats/sample_statistics.hpp"
#include "offroi/stats/streaming_summary.hpp"
#include "offroi/stats/summary.hpp"
#include "offroi/stats/tail.hpp"
#include "offroi/stats/weighted_statistics.hpp"
