#pragma once
/// \file
/// Everything offroi offers, in one include. Each layer also has its own umbrella header
/// (offroi/random.hpp, offroi/distributions.hpp, ...) and every header compiles alone.
#include "offroi/error.hpp"
#include "offroi/random.hpp"
