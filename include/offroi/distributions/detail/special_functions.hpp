#pragma once
/// \file
/// The Boost.Math and Eigen calls the distribution families need, behind plain functions,
/// so that the family headers (and everything holding an `offroi::distribution`, such as a
/// scenario) do not include Boost or Eigen. Header-only builds define them inline
/// (special_functions_impl.hpp, included below); compiled builds define them once in
/// liboffroi (src/lib/distributions.cpp); see offroi/detail/config.hpp. Each forwards to
/// the same Boost.Math function with the same policy as before, so results are unchanged.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "offroi/detail/config.hpp"
#include "offroi/distributions/detail/fast_quantile.hpp"

namespace offroi::detail::math {

/// Regularised incomplete beta I_x(a, b) (boost::math::ibeta, default policy).
OFFROI_FUNC double ibeta(double a, double b, double x);
/// Its complement 1 - I_x(a, b) (boost::math::ibetac).
OFFROI_FUNC double ibetac(double a, double b, double x);
/// Density of the standard Beta(a, b) at y in (0, 1) (boost::math::pdf, exact policy).
OFFROI_FUNC double beta_pdf(double a, double b, double y);
/// cdf of the standard Beta(a, b) at y in (0, 1) (boost::math::cdf, exact policy).
OFFROI_FUNC double beta_cdf(double a, double b, double y);
/// The fast quantile table of the standard Beta(a, b) on [0, 1] (exact Boost inverse for
/// the nodes, Boost's cdf without promotion for the abscissae).
OFFROI_FUNC fast_quantile beta_table(double a, double b);

/// Regularised lower incomplete gamma P(a, x) (boost::math::gamma_p).
OFFROI_FUNC double gamma_p(double a, double x);
/// Regularised upper incomplete gamma Q(a, x) (boost::math::gamma_q).
OFFROI_FUNC double gamma_q(double a, double x);
/// Inverse of P(a, .) at p (boost::math::gamma_p_inv).
OFFROI_FUNC double gamma_p_inv(double a, double p);
/// dP(a, x)/dx (boost::math::gamma_p_derivative).
OFFROI_FUNC double gamma_p_derivative(double a, double x);
/// The fast quantile table of the standard gamma (shape k, scale 1) on [0, inf).
OFFROI_FUNC fast_quantile gamma_table(double shape);

/// Poisson(lambda) probability mass at k (boost::math::pdf, default policy).
OFFROI_FUNC double poisson_pmf(double lambda, double k);
/// Boost's Poisson quantile with the integer_round_up discrete-quantile policy.
OFFROI_FUNC double poisson_quantile_round_up(double lambda, double p);

/// TOMS 748 on a bracket [lo, hi] with f(lo) = f_lo, f(hi) = f_hi of opposite signs
/// (boost::math::tools::toms748_solve); `max_iter` is updated to the iterations used.
OFFROI_FUNC std::pair<double, double> toms748(const std::function<double(double)>& f, double lo,
                                              double hi, double f_lo, double f_hi,
                                              const std::function<bool(double, double)>& tol,
                                              std::uintmax_t& max_iter);
/// Bracketed Newton-Raphson (boost::math::tools::newton_raphson_iterate); f returns the
/// value and the derivative.
OFFROI_FUNC double newton_raphson(const std::function<std::pair<double, double>(double)>& f,
                                  double guess, double lo, double hi, int digits,
                                  std::uintmax_t& max_iter);
/// Adaptive 61-point Gauss-Kronrod integral of f over [a, b] (infinite ends allowed;
/// boost::math::quadrature::gauss_kronrod<double, 61>::integrate); `error` receives the
/// error estimate.
OFFROI_FUNC double gauss_kronrod_61(const std::function<double(double)>& f, double a, double b,
                                    unsigned max_depth, double tolerance, double* error);

/// Least squares min |Y a - z| by column-pivoted Householder QR (Eigen), Y an n x m matrix
/// in row-major order. Returns the rank of Y; `a` receives the m coefficients.
OFFROI_FUNC std::size_t least_squares_qr(const std::vector<double>& y_row_major, std::size_t n,
                                         std::size_t m, const std::vector<double>& z,
                                         std::vector<double>& a);

}  // namespace offroi::detail::math

#if !OFFROI_SEPARATE_COMPILATION
#include "offroi/distributions/detail/special_functions_impl.hpp"
#endif
