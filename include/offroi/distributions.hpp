#pragma once
/// \file
/// Umbrella header: every distribution of the catalog and the type-erased `distribution`.

#include "offroi/distributions/bernoulli.hpp"
#include "offroi/distributions/beta.hpp"
#include "offroi/distributions/constant.hpp"
#include "offroi/distributions/discrete.hpp"
#include "offroi/distributions/distribution.hpp"
#include "offroi/distributions/empirical.hpp"
#include "offroi/distributions/gamma.hpp"
#include "offroi/distributions/lognormal.hpp"
#include "offroi/distributions/metalog.hpp"
#include "offroi/distributions/normal.hpp"
#include "offroi/distributions/pert.hpp"
#include "offroi/distributions/poisson.hpp"
#include "offroi/distributions/quantile_point.hpp"
#include "offroi/distributions/triangular.hpp"
#include "offroi/distributions/truncated_normal.hpp"
#include "offroi/distributions/uniform.hpp"
#include "offroi/distributions/weibull.hpp"
