#pragma once
/// \file
/// Definitions of offroi/distributions/detail/special_functions.hpp (Boost.Math, Eigen).
/// Included by that header in header-only builds; compiled once into liboffroi
/// (src/lib/distributions.cpp) otherwise. Not for direct inclusion.

#include <Eigen/Dense>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/poisson.hpp>
#include <boost/math/policies/policy.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/tools/roots.hpp>

#include <bit>
#include <cstdint>
#include <limits>
#include <map>
#include <mutex>
#include <tuple>

#include "offroi/distributions/detail/special_functions.hpp"

namespace offroi::detail {

/// Boost.Math policy for the exact reference functions: the default (doubles promoted to
/// long double internally), the most accurate.
using boost_exact_policy = boost::math::policies::policy<>;

/// Boost.Math policy for table construction: no promotion to long double, about 10x faster
/// for the incomplete beta function and accurate to a few ulps.
using boost_fast_policy =
    boost::math::policies::policy<boost::math::policies::promote_double<false>>;

/// The quantile tables built so far in this process, by family and shape: a table is a pure
/// function of its shape, and building one costs about a millisecond (a scenario builds the
/// same PERT shapes several times: loading, presets, validation), while a copy shares the
/// table (`fast_quantile` holds it by shared_ptr). Built outside the lock (concurrent builds
/// of the same shape give identical tables; the first stored wins); at most `max_entries`
/// shapes are kept, later ones are built every time, so memory stays bounded (~15 KB each).
template <class Build>
fast_quantile cached_table(char family, double a, double b, const Build& build) {
    constexpr std::size_t max_entries = 512;
    using key = std::tuple<char, std::uint64_t, std::uint64_t>;
    static std::mutex mutex;
    static std::map<key, fast_quantile> cache;
    const key k{family, std::bit_cast<std::uint64_t>(a), std::bit_cast<std::uint64_t>(b)};
    {
        const std::lock_guard<std::mutex> lock(mutex);
        if (const auto it = cache.find(k); it != cache.end()) return it->second;
    }
    fast_quantile t = build();
    const std::lock_guard<std::mutex> lock(mutex);
    if (cache.size() < max_entries) return cache.emplace(k, std::move(t)).first->second;
    return t;
}

namespace math {

OFFROI_FUNC double ibeta(double a, double b, double x) { return boost::math::ibeta(a, b, x); }
OFFROI_FUNC double ibetac(double a, double b, double x) { return boost::math::ibetac(a, b, x); }

OFFROI_FUNC double beta_pdf(double a, double b, double y) {
    return boost::math::pdf(boost::math::beta_distribution<double, boost_exact_policy>(a, b), y);
}
OFFROI_FUNC double beta_cdf(double a, double b, double y) {
    return boost::math::cdf(boost::math::beta_distribution<double, boost_exact_policy>(a, b), y);
}
OFFROI_FUNC fast_quantile beta_table(double a, double b) {
    return cached_table('b', a, b, [a, b] {
        const boost::math::beta_distribution<double, boost_exact_policy> exact(a, b);
        const boost::math::beta_distribution<double, boost_fast_policy> fast(a, b);
        return fast_quantile(
            [exact](double p) { return boost::math::quantile(exact, p); },
            [exact](double q) { return boost::math::quantile(boost::math::complement(exact, q)); },
            [fast](double y) { return y <= 0.0 ? 0.0 : y >= 1.0 ? 1.0 : boost::math::cdf(fast, y); },
            [fast](double y) {
                return y <= 0.0 ? 1.0 : y >= 1.0 ? 0.0 : boost::math::cdf(boost::math::complement(fast, y));
            },
            0.0, 1.0);
    });
}

OFFROI_FUNC double gamma_p(double a, double x) { return boost::math::gamma_p(a, x); }
OFFROI_FUNC double gamma_q(double a, double x) { return boost::math::gamma_q(a, x); }
OFFROI_FUNC double gamma_p_inv(double a, double p) { return boost::math::gamma_p_inv(a, p); }
OFFROI_FUNC double gamma_p_derivative(double a, double x) { return boost::math::gamma_p_derivative(a, x); }
OFFROI_FUNC fast_quantile gamma_table(double shape) {
    return cached_table('g', shape, 0.0, [shape] {
        const boost::math::gamma_distribution<double, boost_exact_policy> exact(shape, 1.0);
        const boost::math::gamma_distribution<double, boost_fast_policy> fast(shape, 1.0);
        return fast_quantile(
            [exact](double p) { return boost::math::quantile(exact, p); },
            [exact](double q) { return boost::math::quantile(boost::math::complement(exact, q)); },
            [fast](double y) { return y <= 0.0 ? 0.0 : boost::math::cdf(fast, y); },
            [fast](double y) { return y <= 0.0 ? 1.0 : boost::math::cdf(boost::math::complement(fast, y)); },
            0.0, std::numeric_limits<double>::infinity());
    });
}

OFFROI_FUNC double poisson_pmf(double lambda, double k) {
    return boost::math::pdf(boost::math::poisson_distribution<double>(lambda), k);
}
OFFROI_FUNC double poisson_quantile_round_up(double lambda, double p) {
    using namespace boost::math::policies;
    using pol = policy<discrete_quantile<integer_round_up>>;
    return boost::math::quantile(boost::math::poisson_distribution<double, pol>(lambda), p);
}

OFFROI_FUNC std::pair<double, double> toms748(const std::function<double(double)>& f, double lo,
                                              double hi, double f_lo, double f_hi,
                                              const std::function<bool(double, double)>& tol,
                                              std::uintmax_t& max_iter) {
    return boost::math::tools::toms748_solve(f, lo, hi, f_lo, f_hi, tol, max_iter);
}

OFFROI_FUNC double newton_raphson(const std::function<std::pair<double, double>(double)>& f,
                                  double guess, double lo, double hi, int digits,
                                  std::uintmax_t& max_iter) {
    return boost::math::tools::newton_raphson_iterate(f, guess, lo, hi, digits, max_iter);
}

OFFROI_FUNC double gauss_kronrod_61(const std::function<double(double)>& f, double a, double b,
                                    unsigned max_depth, double tolerance, double* error) {
    return boost::math::quadrature::gauss_kronrod<double, 61>::integrate(f, a, b, max_depth, tolerance, error);
}

OFFROI_FUNC std::size_t least_squares_qr(const std::vector<double>& y_row_major, std::size_t n,
                                         std::size_t m, const std::vector<double>& z,
                                         std::vector<double>& a) {
    Eigen::MatrixXd Y(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(m));
    Eigen::VectorXd zv(static_cast<Eigen::Index>(n));
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < m; ++j) Y(Eigen::Index(i), Eigen::Index(j)) = y_row_major[i * m + j];
        zv(Eigen::Index(i)) = z[i];
    }
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(Y);
    const auto rank = static_cast<std::size_t>(qr.rank());
    if (rank < m) return rank;
    const Eigen::VectorXd sol = qr.solve(zv);
    a.assign(sol.data(), sol.data() + sol.size());
    return rank;
}

}  // namespace math
}  // namespace offroi::detail
