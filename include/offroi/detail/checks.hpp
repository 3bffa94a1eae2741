#pragma once
/// \file
/// Parameter checks in the stan-math style: `check_finite("pert_distribution", "min", a)`.
/// Each throws `offroi::invalid_argument` naming the function, the parameter, the value and
/// what is allowed.

#include <cmath>
#include <string_view>

#include "offroi/error.hpp"

namespace offroi::detail {

inline void check_finite(std::string_view fn, std::string_view name, double x) {
    if (!std::isfinite(x)) throw_invalid(fn, name, x, "must be finite");
}

inline void check_positive_finite(std::string_view fn, std::string_view name, double x) {
    if (!std::isfinite(x) || !(x > 0.0)) throw_invalid(fn, name, x, "must be finite and > 0");
}

inline void check_nonnegative_finite(std::string_view fn, std::string_view name, double x) {
    if (!std::isfinite(x) || !(x >= 0.0)) throw_invalid(fn, name, x, "must be finite and >= 0");
}

inline void check_probability(std::string_view fn, std::string_view name, double p) {
    if (!(p >= 0.0 && p <= 1.0)) throw_invalid(fn, name, p, "must be a probability in [0, 1]");
}

/// Open-interval probability, as a quantile level or a percentile of a fit needs.
inline void check_open_probability(std::string_view fn, std::string_view name, double p) {
    if (!(p > 0.0 && p < 1.0)) throw_invalid(fn, name, p, "must be in the open interval (0, 1)");
}

}  // namespace offroi::detail
