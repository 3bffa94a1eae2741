#pragma once
/// \file
/// Umbrella header of the random layer: counter-based Philox streams and stable stream ids.
#include "offroi/random/philox.hpp"
#include "offroi/random/stream_id.hpp"
