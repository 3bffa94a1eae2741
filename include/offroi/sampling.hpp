#pragma once
/// \file
/// Umbrella header of the sampling layer: designs (plain Monte Carlo, Latin hypercube,
/// scrambled Sobol'), correlation matrices, Gaussian copula, Iman–Conover, samplers.
#include "offroi/sampling/correlation_matrix.hpp"
#include "offroi/sampling/gaussian_copula.hpp"
#include "offroi/sampling/iman_conover.hpp"
#include "offroi/sampling/latin_hypercube.hpp"
#include "offroi/sampling/monte_carlo.hpp"
#include "offroi/sampling/sobol.hpp"
#include "offroi/sampling/uniform_sampler.hpp"
#include "offroi/sampling/sampler.hpp"
#include "offroi/sampling/rank_correlation_matrix.hpp"
#include "offroi/sampling/sampling_method.hpp"
