#pragma once
/// \file
/// Definitions of offroi/stats/detail/stat_functions.hpp (Boost.Math). Included by that
/// header in header-only builds; compiled once into liboffroi (src/lib/stats.cpp)
/// otherwise. Not for direct inclusion.

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include "offroi/stats/detail/stat_functions.hpp"

namespace offroi::detail::math {

OFFROI_FUNC double students_t_quantile(double df, double p) {
    return boost::math::quantile(boost::math::students_t(df), p);
}
OFFROI_FUNC double binomial_cdf(double n, double p, double k) {
    return boost::math::cdf(boost::math::binomial_distribution<double>(n, p), k);
}
OFFROI_FUNC double binomial_sf(double n, double p, double k) {
    return boost::math::cdf(boost::math::complement(boost::math::binomial_distribution<double>(n, p), k));
}
OFFROI_FUNC double standard_normal_quantile(double p) {
    return boost::math::quantile(boost::math::normal_distribution<double>(), p);
}

}  // namespace offroi::detail::math
