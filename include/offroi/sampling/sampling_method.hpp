#pragma once
/// \file
/// The small vocabulary of sampling settings that a scenario holds -- the design
/// (`sampling_method`), how correlations are imposed (`dependence_method`) and a named
/// Spearman target (`rank_correlation`) -- without the samplers themselves (which need
/// Eigen; see offroi/sampling/uniform_sampler.hpp).

#include <string>

namespace offroi {

/// How the independent uniforms are laid out.
enum class sampling_method {
    monte_carlo,      ///< independent Philox uniforms (`monte_carlo_design`)
    latin_hypercube,  ///< one point per stratum per design (`latin_hypercube_design`)
    sobol             ///< Owen-scrambled Sobol' points (`sobol_design`), dimension = position
};

/// How a rank-correlation target is imposed.
enum class dependence_method {
    gaussian_copula,  ///< trial by trial through normal scores (`gaussian_copula`)
    iman_conover      ///< rank reordering within aligned blocks (`iman_conover`)
};

/// One rank correlation between two named inputs.
struct rank_correlation {
    std::string a;        ///< first input's name
    std::string b;        ///< second input's name
    double spearman = 0;  ///< target Spearman rank correlation, in [-1, 1]
};

}  // namespace offroi
