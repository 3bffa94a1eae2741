#pragma once
/// \file
/// The Boost.Math distribution functions the statistics need (Student's t, binomial,
/// normal), behind plain functions so that the statistics headers (and a scenario's
/// result) do not include Boost. Defined inline in header-only builds
/// (stat_functions_impl.hpp, included below), once in liboffroi otherwise
/// (offroi/detail/config.hpp). Same Boost calls as before, so the same bits.

#include <cstdint>

#include "offroi/detail/config.hpp"

namespace offroi::detail::math {

/// Quantile of Student's t with `df` degrees of freedom at p (boost::math::students_t).
OFFROI_FUNC double students_t_quantile(double df, double p);
/// P(B <= k) for B ~ Binomial(n, p) (boost::math::binomial_distribution).
OFFROI_FUNC double binomial_cdf(double n, double p, double k);
/// P(B > k) for B ~ Binomial(n, p) (the complement, computed directly).
OFFROI_FUNC double binomial_sf(double n, double p, double k);
/// Quantile of the standard normal at p (boost::math::normal_distribution).
OFFROI_FUNC double standard_normal_quantile(double p);

}  // namespace offroi::detail::math

#if !OFFROI_SEPARATE_COMPILATION
#include "offroi/stats/detail/stat_functions_impl.hpp"
#endif
