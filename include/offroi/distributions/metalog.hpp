#pragma once
/// \file
/// The metalog distribution (Keelin 2016, "The Metalog Distributions", Decision Analysis
/// 13(4):243-277): a quantile function linear in its coefficients, fitted exactly or by
/// least squares to quantile-probability pairs, unbounded, semi-bounded or bounded.
///
/// With y in (0, 1), L = ln(y / (1 - y)) and c = y - 1/2, the k-term metalog is
///   M(y) = a1 + a2 L + a3 c L + a4 c + a5 c^2 + a6 c^2 L + a7 c^3 + a8 c^3 L + ...
/// (term j >= 5: c^((j-1)/2) for odd j, c^(j/2-1) L for even j). Written as
/// M = P(c) + L R(c) with P(c) = a1 + a4 c + a5 c^2 + a7 c^3 + ... and
/// R(c) = a2 + a3 c + a6 c^2 + a8 c^3 + ...
/// The quantile is Q(y) = M(y) (unbounded), b_l + e^M (lower bound b_l),
/// b_u - e^-M (upper bound b_u), or b_l + (b_u - b_l) / (1 + e^-M) (both bounds).
/// The fit works on z = x, ln(x - b_l), -ln(b_u - x) or ln((x - b_l) / (b_u - x)).
///
/// Numerics: everything but `quantile` works in t = L = logit(y), where c = tanh(t/2)/2
/// and y(1 - y) = e^-|t| / (1 + e^-|t|)^2 are exact in both tails, and
/// dM/dt = R(c) + (P'(c) + t R'(c)) y(1 - y). A metalog is feasible iff dM/dt > 0 for
/// all t: checked on a grid t in [-40, 40] step 0.01 (y from 4e-18 to 1 - 4e-18) and by the
/// tail limits R(+-1/2) > 0. The cdf inverts M by bracketed Newton (Boost.Math); the pdf is
/// y(1 - y) / (dQ/dM dM/dt); mean and variance are integrals of Q over y, done in t by
/// adaptive Gauss-Kronrod (Boost.Math, relative tolerance 1e-10) at construction.


#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "offroi/detail/checks.hpp"
#include "offroi/distributions/detail/distribution_checks.hpp"
#include "offroi/distributions/detail/special_functions.hpp"
#include "offroi/distributions/quantile_point.hpp"
#include "offroi/error.hpp"

namespace offroi {

/// Bounds of a metalog: an infinite bound means unbounded on that side.
struct metalog_bounds {
    double lower = -std::numeric_limits<double>::infinity();  ///< b_l, or -inf
    double upper = std::numeric_limits<double>::infinity();   ///< b_u, or +inf
};

/// Metalog distribution (Keelin 2016) with 2 to 12 terms; see the file comment.
/// Holds shared immutable state (copies are cheap).
class metalog_distribution {
public:
    /// Fewest and most terms accepted.
    static constexpr std::size_t min_terms = 2;
    /// Beyond about 12 terms the fit's design matrix is too ill-conditioned to trust.
    static constexpr std::size_t max_terms = 12;

    /// A metalog from its coefficients a1..ak.
    /// \param coefficients k finite numbers, 2 <= k <= 12.
    /// \param bounds       lower < upper (either may be infinite, neither NaN).
    /// \throws invalid_argument for a bad count, a non-finite coefficient, bad bounds, or
    ///         an infeasible metalog (quantile not increasing: the message gives the ranges
    ///         of p where the density would be negative).
    explicit metalog_distribution(std::vector<double> coefficients, metalog_bounds bounds = {})
        : metalog_distribution(std::move(coefficients), bounds, {}, "metalog_distribution") {}

    /// Fits a `terms`-term metalog to quantile-probability pairs (x at probability p).
    /// Exact (a linear solve) when there are as many points as terms, least squares
    /// (column-pivoted Householder QR, Eigen) when there are more.
    /// \param points at least `terms` pairs, p in (0, 1) distinct, x finite and strictly
    ///        inside the bounds, x non-decreasing in p (strictly increasing for an exact fit).
    /// \param terms  number of terms, 2 <= terms <= min(12, points.size()).
    /// \param bounds see `metalog_bounds`.
    /// \throws invalid_argument naming the bad point, count or bound; or, when the fitted
    ///         quantile function is not increasing, a message listing where it decreases.
    static metalog_distribution fit(std::vector<quantile_point> points, std::size_t terms,
                                    metalog_bounds bounds = {}) {
        constexpr const char* fn = "metalog_distribution::fit";
        check_bounds(fn, bounds);
        if (terms < min_terms || terms > max_terms)
            detail::throw_invalid(fn, "terms", double(terms), "must be an integer in [2, 12]");
        if (points.size() < terms)
            detail::throw_invalid(fn, "terms", double(terms),
                                  "must not exceed the number of quantile points (" + std::to_string(points.size()) + ")");
        for (std::size_t i = 0; i < points.size(); ++i) {
            const std::string at = "points[" + std::to_string(i) + "]";
            detail::check_open_probability(fn, at + ".p", points[i].p);
            detail::check_finite(fn, at + ".x", points[i].x);
            if (!(points[i].x > bounds.lower) || !(points[i].x < bounds.upper))
                detail::throw_invalid(fn, at + ".x", points[i].x,
                                      "must lie strictly inside the bounds (" + detail::format_value(bounds.lower) +
                                          ", " + detail::format_value(bounds.upper) + ")");
        }
        std::stable_sort(points.begin(), points.end(),
                         [](const quantile_point& a, const quantile_point& b) { return a.p < b.p; });
        const bool exact = points.size() == terms;
        for (std::size_t i = 1; i < points.size(); ++i) {
            if (points[i].p == points[i - 1].p)
                detail::throw_invalid(fn, "p", points[i].p, "it appears twice; the probabilities must be distinct");
            if (points[i].x < points[i - 1].x || (exact && points[i].x == points[i - 1].x))
                detail::throw_invalid(fn, "x at p = " + detail::format_value(points[i].p), points[i].x,
                                      std::string("must be ") + (exact ? "greater than" : "at least") +
                                          " x at the lower p = " + detail::format_value(points[i - 1].p) + " (" +
                                          detail::format_value(points[i - 1].x) + ")");
        }
        const std::size_t n = points.size();
        std::vector<double> Y(n * terms), z(n), coef;
        for (std::size_t i = 0; i < n; ++i) {
            const double y = points[i].p;
            const double L = std::log(y) - std::log1p(-y), c = y - 0.5;
            for (std::size_t j = 0; j < terms; ++j) Y[i * terms + j] = basis(j, L, c);
            z[i] = to_z(bounds, points[i].x);
        }
        const std::size_t rank = detail::math::least_squares_qr(Y, n, terms, z, coef);
        if (rank < terms)
            throw invalid_argument(std::string(fn) + ": the " + std::to_string(n) + " quantile points do not determine " +
                                   std::to_string(terms) + " metalog terms (rank " + std::to_string(rank) +
                                   "); use fewer terms or more distinct probabilities");
        for (double v : coef)
            if (!std::isfinite(v))
                throw invalid_argument(std::string(fn) + ": the fit gives non-finite coefficients; the points are too close together");
        return metalog_distribution(std::move(coef), bounds, std::move(points), fn);
    }

    /// As `fit(points, terms, bounds)` with terms = min(points.size(), 12).
    static metalog_distribution fit(std::vector<quantile_point> points, metalog_bounds bounds = {}) {
        const std::size_t k = std::min(points.size(), max_terms);
        return fit(std::move(points), k, bounds);
    }

    /// The coefficients a1..ak.
    const std::vector<double>& coefficients() const noexcept { return s_->a; }
    /// The number of terms k.
    std::size_t terms() const noexcept { return s_->a.size(); }
    /// The bounds.
    metalog_bounds bounds() const noexcept { return s_->bounds; }
    /// The points it was fitted to, sorted by p (empty when built from coefficients).
    const std::vector<quantile_point>& points() const noexcept { return s_->points; }

    /// M(y) in t = logit(y): P(c) + t R(c), c = tanh(t/2)/2.
    double m_of_t(double t) const noexcept {
        const double c = 0.5 * std::tanh(0.5 * t);
        return horner(s_->P, c) + t * horner(s_->R, c);
    }
    /// dM/dt = R(c) + (P'(c) + t R'(c)) y(1 - y).
    double dm_dt(double t) const noexcept {
        const double c = 0.5 * std::tanh(0.5 * t);
        return horner(s_->R, c) + (horner(s_->dP, c) + t * horner(s_->dR, c)) * y1my(t);
    }
    /// M(y) at a probability y in (0, 1).
    double m_of_p(double y) const noexcept {
        const double L = std::log(y) - std::log1p(-y), c = y - 0.5;
        return horner(s_->P, c) + L * horner(s_->R, c);
    }
    /// The quantile x for a value m of M.
    double x_of_m(double m) const noexcept {
        const auto& b = s_->bounds;
        switch (s_->kind) {
            case 0: return m;
            case 1: return b.lower + std::exp(m);
            case 2: return b.upper - std::exp(-m);
            default: return b.lower + (b.upper - b.lower) / (1.0 + std::exp(-m));
        }
    }
    /// Cached mean (+-inf when the tail makes it infinite).
    double mean_value() const noexcept { return s_->mean; }
    /// Cached variance (+inf when infinite).
    double variance_value() const noexcept { return s_->variance; }

    /// y(1 - y) for y = logistic(t), exact in both tails.
    static double y1my(double t) noexcept {
        const double s = std::exp(-std::abs(t));
        return s / ((1.0 + s) * (1.0 + s));
    }
    /// logistic(t) = 1 / (1 + e^-t).
    static double logistic(double t) noexcept { return 1.0 / (1.0 + std::exp(-t)); }

private:
    struct state {
        std::vector<double> a, P, R, dP, dR;
        metalog_bounds bounds;
        int kind = 0;  // 0 unbounded, 1 lower, 2 upper, 3 both
        std::vector<quantile_point> points;
        double mean = 0.0, variance = 0.0;
    };
    std::shared_ptr<const state> s_;

    static double horner(const std::vector<double>& p, double c) noexcept {
        double r = 0.0;
        for (std::size_t i = p.size(); i-- > 0;) r = r * c + p[i];
        return r;
    }

    /// Basis function j (0-based) at L = logit(y), c = y - 1/2.
    static double basis(std::size_t j, double L, double c) noexcept {
        switch (j) {
            case 0: return 1.0;
            case 1: return L;
            case 2: return c * L;
            case 3: return c;
            default: {
                if (j % 2 == 0) return std::pow(c, double(j / 2));  // j = 4, 6, 8: c^2, c^3, c^4
                return std::pow(c, double((j - 1) / 2)) * L;       // j = 5, 7, 9: c^2 L, c^3 L, ...
            }
        }
    }

    static void check_bounds(const char* fn, const metalog_bounds& b) {
        if (std::isnan(b.lower) || b.lower == std::numeric_limits<double>::infinity())
            detail::throw_invalid(fn, "bounds.lower", b.lower, "must be finite or -inf");
        if (std::isnan(b.upper) || b.upper == -std::numeric_limits<double>::infinity())
            detail::throw_invalid(fn, "bounds.upper", b.upper, "must be finite or +inf");
        if (!(b.lower < b.upper))
            detail::throw_invalid(fn, "bounds.upper", b.upper,
                                  "must be greater than bounds.lower (" + detail::format_value(b.lower) + ")");
    }

    static int kind_of(const metalog_bounds& b) noexcept {
        const bool lo = std::isfinite(b.lower), hi = std::isfinite(b.upper);
        return lo && hi ? 3 : lo ? 1 : hi ? 2 : 0;
    }

    static double to_z(const metalog_bounds& b, double x) noexcept {
        switch (kind_of(b)) {
            case 0: return x;
            case 1: return std::log(x - b.lower);
            case 2: return -std::log(b.upper - x);
            default: return std::log((x - b.lower) / (b.upper - x));
        }
    }

    metalog_distribution(std::vector<double> a, metalog_bounds bounds, std::vector<quantile_point> points,
                         const char* fn) {
        check_bounds(fn, bounds);
        if (a.size() < min_terms || a.size() > max_terms)
            detail::throw_invalid(fn, "number of coefficients", double(a.size()), "must be in [2, 12]");
        for (std::size_t i = 0; i < a.size(); ++i)
            detail::check_finite(fn, "coefficients[" + std::to_string(i) + "]", a[i]);
        auto s = std::make_shared<state>();
        s->bounds = bounds;
        s->kind = kind_of(bounds);
        s->points = std::move(points);
        // Split into P (powers of c) and R (powers of c, multiplying L).
        const std::size_t k = a.size();
        for (std::size_t j = 0; j < k; ++j) {
            std::size_t power;
            bool with_L;
            switch (j) {
                case 0: power = 0; with_L = false; break;
                case 1: power = 0; with_L = true; break;
                case 2: power = 1; with_L = true; break;
                case 3: power = 1; with_L = false; break;
                default: with_L = (j % 2 == 1); power = with_L ? (j - 1) / 2 : j / 2; break;
            }
            auto& poly = with_L ? s->R : s->P;
            if (poly.size() <= power) poly.resize(power + 1, 0.0);
            poly[power] += a[j];
        }
        for (std::size_t i = 1; i < s->P.size(); ++i) s->dP.push_back(double(i) * s->P[i]);
        for (std::size_t i = 1; i < s->R.size(); ++i) s->dR.push_back(double(i) * s->R[i]);
        s->a = std::move(a);
        s_ = s;
        check_feasible(fn);
        compute_moments(*s);
    }

    void check_feasible(const char* fn) const {
        // Ranges of t on the grid where dM/dt <= 0, reported as ranges of p.
        std::vector<std::pair<double, double>> bad;
        const double step = 0.01;
        const int half = 4000;
        bool in_bad = false;
        double start = 0.0;
        for (int i = -half; i <= half; ++i) {
            const double t = i * step;
            const bool neg = !(dm_dt(t) > 0.0);
            if (neg && !in_bad) { in_bad = true; start = t; }
            if (!neg && in_bad) { in_bad = false; bad.emplace_back(start, t - step); }
        }
        if (in_bad) bad.emplace_back(start, half * step);
        const double r_lo = horner(s_->R, -0.5), r_hi = horner(s_->R, 0.5);
        if (bad.empty() && r_lo > 0.0 && r_hi > 0.0) return;
        std::ostringstream os;
        os.precision(4);
        os << fn << ": infeasible metalog: its quantile function is not increasing (the density would be negative)";
        if (!bad.empty()) {
            os << " for p in";
            for (std::size_t i = 0; i < bad.size() && i < 4; ++i)
                os << (i ? "," : "") << " [" << logistic(bad[i].first) << ", " << logistic(bad[i].second) << "]";
            if (bad.size() > 4) os << " and " << (bad.size() - 4) << " more ranges";
        }
        if (!(r_lo > 0.0)) os << "; in the lower tail (p -> 0) the quantile decreases";
        if (!(r_hi > 0.0)) os << "; in the upper tail (p -> 1) the quantile decreases";
        os << "; coefficients = [";
        os.precision(6);
        for (std::size_t i = 0; i < s_->a.size(); ++i) os << (i ? ", " : "") << s_->a[i];
        os << "]; use fewer terms, different quantile points, or bounds";
        throw invalid_argument(os.str());
    }

    void compute_moments(state& s) const {
        const double inf = std::numeric_limits<double>::infinity();
        // Tail exponents: Q grows like exp(R(+-1/2) |t|) in the log tails.
        const double r_hi = horner(s.R, 0.5), r_lo = horner(s.R, -0.5);
        bool mean_inf = false, var_inf = false;
        double mean_sign = 1.0;
        if (s.kind == 1) {
            mean_inf = r_hi >= 1.0;
            var_inf = r_hi >= 0.5;
        } else if (s.kind == 2) {
            mean_inf = r_lo >= 1.0;
            var_inf = r_lo >= 0.5;
            mean_sign = -1.0;
        }
        // Split at t = 0 so each half maps (0, inf) smoothly.
        // Far in the tails y(1 - y) underflows while Q may overflow: there (|t| > ~700, only
        // reached when the moment is finite) the integrand is negligible and counts as 0.
        auto integrate = [&](auto g) {
            auto f = [&](double t) {
                const double v = g(t);
                return std::isfinite(v) ? v : 0.0;
            };
            double e1 = 0.0, e2 = 0.0;
            const double a = detail::math::gauss_kronrod_61(f, -inf, 0.0, 15, 1e-10, &e1);
            const double b = detail::math::gauss_kronrod_61(f, 0.0, inf, 15, 1e-10, &e2);
            return a + b;
        };
        auto q = [this](double t) { return x_of_m(m_of_t(t)); };
        if (mean_inf) {
            s.mean = mean_sign * inf;
            s.variance = inf;
            return;
        }
        // Centre on the median to limit cancellation.
        const double med = q(0.0);
        s.mean = med + integrate([&](double t) { return (q(t) - med) * y1my(t); });
        if (var_inf) {
            s.variance = inf;
            return;
        }
        s.variance = integrate([&](double t) {
            const double e = q(t) - s.mean;
            return e * e * y1my(t);
        });
    }
};

namespace detail {
/// Quantile for y in (0, 1), not validated.
inline double metalog_quantile_unchecked(const metalog_distribution& d, double y) {
    return d.x_of_m(d.m_of_p(y));
}

/// t = logit(F(x)) for x strictly inside the support (M(t) = z(x)); +-inf beyond the
/// representable tails.
inline double metalog_t_of_x(const metalog_distribution& d, double x) {
    const auto b = d.bounds();
    double z;
    if (std::isfinite(b.lower) && std::isfinite(b.upper)) z = std::log((x - b.lower) / (b.upper - x));
    else if (std::isfinite(b.lower)) z = std::log(x - b.lower);
    else if (std::isfinite(b.upper)) z = -std::log(b.upper - x);
    else z = x;
    const double inf = std::numeric_limits<double>::infinity();
    if (z == -inf) return -inf;
    if (z == inf) return inf;
    double lo = -1.0, hi = 1.0;
    while (d.m_of_t(lo) > z) {
        if (lo < -700.0) return -inf;
        lo *= 2.0;
    }
    while (d.m_of_t(hi) < z) {
        if (hi > 700.0) return inf;
        hi *= 2.0;
    }
    auto f = [&](double t) { return std::make_pair(d.m_of_t(t) - z, d.dm_dt(t)); };
    std::uintmax_t iters = 200;
    return math::newton_raphson(f, 0.5 * (lo + hi), lo, hi, std::numeric_limits<double>::digits - 4, iters);
}
}  // namespace detail

/// P(X <= x) by inverting M with bracketed Newton iteration (relative accuracy about 1e-15
/// in t = logit(p)). 0 at or below the lower bound, 1 at or above the upper bound.
inline double cdf(const metalog_distribution& d, double x) {
    if (std::isnan(x)) detail::throw_invalid("cdf(metalog_distribution)", "x", x, "must not be NaN");
    const auto b = d.bounds();
    if (x <= b.lower) return 0.0;
    if (x >= b.upper) return 1.0;
    const double t = detail::metalog_t_of_x(d, x);
    return metalog_distribution::logistic(t);
}

/// Density y(1 - y) / (dQ/dM dM/dt) at x; 0 outside the open support (lower, upper).
inline double pdf(const metalog_distribution& d, double x) {
    detail::check_not_nan("pdf(metalog_distribution)", x);
    const auto b = d.bounds();
    if (x <= b.lower || x >= b.upper) return 0.0;
    const double t = detail::metalog_t_of_x(d, x);
    if (!std::isfinite(t)) return 0.0;
    double dq_dm = 1.0;
    if (std::isfinite(b.lower) && std::isfinite(b.upper)) dq_dm = (x - b.lower) * (b.upper - x) / (b.upper - b.lower);
    else if (std::isfinite(b.lower)) dq_dm = x - b.lower;
    else if (std::isfinite(b.upper)) dq_dm = b.upper - x;
    return metalog_distribution::y1my(t) / (dq_dm * d.dm_dt(t));
}

/// Q(p) in closed form; quantile(0) and quantile(1) are the bounds (+-inf when unbounded).
/// \throws invalid_argument if p is not in [0, 1].
inline double quantile(const metalog_distribution& d, double p) {
    detail::check_quantile_level("quantile(metalog_distribution)", p);
    if (p == 0.0) return d.bounds().lower;
    if (p == 1.0) return d.bounds().upper;
    return detail::metalog_quantile_unchecked(d, p);
}

/// Batch quantile: x[i] = quantile(d, p[i]) for i in [0, n).
/// \throws invalid_argument at the first p[i] outside [0, 1].
inline void quantile(const metalog_distribution& d, const double* p, double* x, std::size_t n) {
    detail::check_quantile_levels("quantile(metalog_distribution)", p, n);
    for (std::size_t i = 0; i < n; ++i) {
        const double u = p[i];
        x[i] = (u > 0.0 && u < 1.0) ? detail::metalog_quantile_unchecked(d, u) : quantile(d, u);
    }
}

/// The exact quantile: the same closed form or search as `quantile` (no table involved).
/// \throws invalid_argument if p is not in [0, 1].
inline double exact_quantile(const metalog_distribution& d, double p) { return quantile(d, p); }

/// Integral of Q over (0, 1) (cached at construction); +inf (lower-bounded) or -inf
/// (upper-bounded) when the log tail is too heavy for a finite mean.
inline double mean(const metalog_distribution& d) noexcept { return d.mean_value(); }
/// Integral of (Q - mean)^2 over (0, 1) (cached); +inf when the tail is too heavy.
inline double variance(const metalog_distribution& d) noexcept { return d.variance_value(); }
/// [lower, upper] bounds (infinite where unbounded).
inline std::pair<double, double> support(const metalog_distribution& d) noexcept {
    return {d.bounds().lower, d.bounds().upper};
}

}  // namespace offroi
