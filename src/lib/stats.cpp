// liboffroi: the Boost.Math distribution functions of the statistics, compiled once
// (offroi/stats/detail/stat_functions.hpp).
#include "offroi/stats/detail/stat_functions_impl.hpp"
