#pragma once
/// \file
/// Argument checks shared by the distribution free functions (quantile levels, abscissae)
/// (the Boost.Math policies are in special_functions_impl.hpp).

#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>

#include "offroi/error.hpp"

namespace offroi::detail {

/// Throws unless p is a probability in [0, 1] (the argument of `quantile`).
inline void check_quantile_level(std::string_view fn, double p) {
    if (!(p >= 0.0 && p <= 1.0)) throw_invalid(fn, "p", p, "must be a probability in [0, 1]");
}

/// Throws unless every p[i], i < n, is in [0, 1]; the message names the first bad index.
/// One branch-free pass, so it costs a fraction of a nanosecond per element.
inline void check_quantile_levels(std::string_view fn, const double* p, std::size_t n) {
    bool ok = true;
    for (std::size_t i = 0; i < n; ++i) ok &= (p[i] >= 0.0) & (p[i] <= 1.0);
    if (ok) return;
    for (std::size_t i = 0; i < n; ++i)
        if (!(p[i] >= 0.0 && p[i] <= 1.0))
            throw_invalid(fn, "p[" + std::to_string(i) + "]", p[i],
                          "must be a probability in [0, 1]");
}

/// Throws if x is NaN (the argument of `cdf` and `pdf`; infinities are allowed).
inline void check_not_nan(std::string_view fn, double x) {
    if (std::isnan(x)) throw_invalid(fn, "x", x, "must not be NaN");
}

}  // namespace offroi::detail
