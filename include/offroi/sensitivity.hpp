#pragma once
/// \file
/// Umbrella header of the sensitivity layer: tornado swings, rank correlation and
/// standardized rank regression from stored samples, Sobol' first and total indices with
/// bootstrap intervals, and Morris screening.
#include "offroi/sensitivity/model_evaluation.hpp"
#include "offroi/sensitivity/morris_screening.hpp"
#include "offroi/sensitivity/rank_sensitivity.hpp"
#include "offroi/sensitivity/sobol_indices.hpp"
#include "offroi/sensitivity/tornado.hpp"
