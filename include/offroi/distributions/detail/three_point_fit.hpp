#pragma once
/// \file
/// Fits the bounds (min, max) of a three-parameter bounded distribution with a fixed mode to
/// two percentiles, as @RISK's TriangGen / PertAlt do: given "P_lo = x_lo, mode m,
/// P_hi = x_hi", find a < x_lo and b > x_hi with F(x_lo; a, b) = p_lo and
/// F(x_hi; a, b) = p_hi. Used by `triangular_distribution::from_percentiles` and
/// `pert_distribution::from_percentiles`.
///
/// Method: nested bracketed root finding (TOMS 748, Boost.Math). For a fixed a, the survival
/// S(x_hi; a, b) rises from 0 (b -> x_hi, or the mode) to 1 (b -> inf), so b(a) is the
/// unique root of S(x_hi; a, b) = 1 - p_hi. Then h(a) = F(x_lo; a, b(a)) - p_lo is negative
/// as a -> x_lo and tends to (1 - (1 - p_hi)) - p_lo > 0 as a -> -inf (both tails become
/// proportional to the half-widths), so a is bracketed by doubling the distance below x_lo.


#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

#include "offroi/detail/checks.hpp"
#include "offroi/distributions/detail/special_functions.hpp"
#include "offroi/distributions/quantile_point.hpp"
#include "offroi/error.hpp"

namespace offroi::detail {

/// Validates (lo, mode, hi) for a three-point fit: p in (0, 1), p_lo < p_hi, finite x and
/// x_lo <= mode <= x_hi with x_lo < x_hi. Throws invalid_argument naming `fn` otherwise.
inline void check_three_points(const char* fn, quantile_point lo, double mode, quantile_point hi) {
    check_open_probability(fn, "low point p", lo.p);
    check_open_probability(fn, "high point p", hi.p);
    check_finite(fn, "low point x", lo.x);
    check_finite(fn, "mode", mode);
    check_finite(fn, "high point x", hi.x);
    if (!(lo.p < hi.p))
        throw_invalid(fn, "low point p", lo.p, "must be < high point p = " + format_value(hi.p));
    if (!(lo.x < hi.x))
        throw_invalid(fn, "low point x", lo.x, "must be < high point x = " + format_value(hi.x));
    if (!(lo.x <= mode))
        throw_invalid(fn, "mode", mode, "must be >= low point x = " + format_value(lo.x));
    if (!(mode <= hi.x))
        throw_invalid(fn, "mode", mode, "must be <= high point x = " + format_value(hi.x));
}

/// Solves for (a, b). `cdf(a, b, x)` and `sf(a, b, x)` are the distribution's cdf and
/// survival function with the mode fixed. Returns {a, b}; throws numerical_error if the
/// brackets cannot be found (which the argument above rules out for valid input).
template <class Cdf, class Sf>
std::pair<double, double> fit_min_max(const char* fn, quantile_point lo, double mode,
                                      quantile_point hi, Cdf cdf, Sf sf) {
    const double span = hi.x - lo.x;
    const double b_floor = std::max(mode, hi.x);
    auto tol = [span](double l, double h) { return std::fabs(h - l) <= 1e-15 * span; };
    auto b_of_a = [&](double a) {
        auto phi = [&](double b) { return sf(a, b, hi.x) - (1.0 - hi.p); };  // increasing in b
        double b_lo = b_floor, f_lo = phi(b_lo);
        double step = span, b_hi = b_floor + step, f_hi = phi(b_hi);
        for (int i = 0; i < 200 && f_hi < 0.0; ++i) {
            b_lo = b_hi;
            f_lo = f_hi;
            step *= 2.0;
            b_hi = b_floor + step;
            f_hi = phi(b_hi);
        }
        if (!(f_hi >= 0.0) || !(f_lo <= 0.0))
            throw numerical_error(std::string(fn) + ": cannot bracket the maximum");
        if (f_lo == 0.0) return b_lo;
        if (f_hi == 0.0) return b_hi;
        std::uintmax_t iters = 200;
        auto r = math::toms748(phi, b_lo, b_hi, f_lo, f_hi, tol, iters);
        return 0.5 * (r.first + r.second);
    };
    auto h = [&](double a) { return cdf(a, b_of_a(a), lo.x) - lo.p; };  // decreasing in a
    const double a_ceiling = std::min(mode, lo.x);
    double a_hi = a_ceiling, h_hi = -lo.p;  // limit a -> x_lo: F(x_lo) -> 0
    double step = span, a_lo = a_ceiling - step, h_lo = h(a_lo);
    for (int i = 0; i < 200 && h_lo < 0.0; ++i) {
        a_hi = a_lo;
        h_hi = h_lo;
        step *= 2.0;
        a_lo = a_ceiling - step;
        h_lo = h(a_lo);
    }
    if (!(h_lo >= 0.0))
        throw numerical_error(std::string(fn) + ": cannot bracket the minimum");
    if (h_lo == 0.0) return {a_lo, b_of_a(a_lo)};
    std::uintmax_t iters = 200;
    auto r = math::toms748(h, a_lo, a_hi, h_lo, h_hi, tol, iters);
    const double a = 0.5 * (r.first + r.second);
    return {a, b_of_a(a)};
}

}  // namespace offroi::detail
