#pragma once
/// \file
/// Validation shared by the two-point `from_percentiles` factories (normal, lognormal,
/// uniform, gamma, weibull): both levels in (0, 1) and distinct, both values finite (and > 0
/// for the log-scale families), and the larger level with the larger value.

#include <string_view>
#include <utility>

#include "offroi/detail/checks.hpp"
#include "offroi/distributions/quantile_point.hpp"
#include "offroi/error.hpp"

namespace offroi::detail {

/// Checks the two percentile points of a two-parameter fit and returns them ordered by p
/// (lower level first).
/// \param fn          the factory's name, used in messages.
/// \param a, b        the points, in either order.
/// \param positive_x  whether each x must be > 0 (log-scale fits) rather than only finite.
/// \throws invalid_argument if a p is outside (0, 1), the p are equal, an x is not finite
///         (or not > 0 when positive_x), or the larger p does not have the larger x.
inline std::pair<quantile_point, quantile_point> ordered_percentile_pair(std::string_view fn,
                                                                         quantile_point a,
                                                                         quantile_point b,
                                                                         bool positive_x) {
    check_open_probability(fn, "first point p", a.p);
    check_open_probability(fn, "second point p", b.p);
    if (positive_x) {
        check_positive_finite(fn, "first point x", a.x);
        check_positive_finite(fn, "second point x", b.x);
    } else {
        check_finite(fn, "first point x", a.x);
        check_finite(fn, "second point x", b.x);
    }
    if (a.p == b.p) throw_invalid(fn, "second point p", b.p, "must differ from the first point's p");
    if (a.p > b.p) std::swap(a, b);
    if (!(b.x > a.x))
        throw_invalid(fn, "x at the higher p", b.x,
                      "must be > x at the lower p = " + format_value(a.x));
    return {a, b};
}

}  // namespace offroi::detail
