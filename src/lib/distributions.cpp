// liboffroi: the Boost.Math and Eigen calls of the distribution families, compiled once
// (offroi/distributions/detail/special_functions.hpp).
#include "offroi/distributions/detail/special_functions_impl.hpp"
