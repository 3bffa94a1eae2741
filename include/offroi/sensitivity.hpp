#pragma once
/// \file
/// Umbrella header of the sensitivity layer: tornado swings, rank correlation and
/// standardized rank regression from stored samples, Sobol' first and total indices with
/// bootstrap intervals (independent inputs, and Kucherenko et al. 2012 for inputs joined by
/// a Gaussian copula), and Morris screening.
#include "offroi/sensitivity/kucherenko_indices.hpp"
#include "offroi/sensitivity/model_evaluation.hpp"
#include "offroi/sensitivity/morris_screening.hpp"
#include "offroi/sensitivity/rank_sensitivity.hpp"
#include "offroi/sensitivity/sobol_indices.hpp"
#include "offroi/sensitivity/tornado.hpp"
#include "offroi/sensitivity/weighted_rank_sensitivity.hpp"
