#pragma once
/// \file
/// `offroi::distribution`: a type-erased distribution holding any of the 15 families of the
/// catalog in a `std::variant`, so a scenario can hold "some distribution" per input.
///
/// Each free function (cdf, quantile, ...) visits the variant once and calls the family's
/// own function; the batch quantile visits once per batch, not per value, so the erased
/// type costs one indirect call per block. io code can `std::visit` on `variant()`.

#include <charconv>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "offroi/distributions/bernoulli.hpp"
#include "offroi/distributions/beta.hpp"
#include "offroi/distributions/constant.hpp"
#include "offroi/distributions/discrete.hpp"
#include "offroi/distributions/empirical.hpp"
#include "offroi/distributions/gamma.hpp"
#include "offroi/distributions/lognormal.hpp"
#include "offroi/distributions/metalog.hpp"
#include "offroi/distributions/normal.hpp"
#include "offroi/distributions/pert.hpp"
#include "offroi/distributions/poisson.hpp"
#include "offroi/distributions/quantile_point.hpp"
#include "offroi/distributions/triangular.hpp"
#include "offroi/distributions/truncated_normal.hpp"
#include "offroi/distributions/uniform.hpp"
#include "offroi/distributions/weibull.hpp"

namespace offroi {

/// Any distribution of the catalog. Implicitly constructible from each family, cheap to
/// copy (families with tables share them), immutable, safe to use from many threads.
/// The variant's alternative order is part of the API (io code may switch on `index()`).
class distribution {
public:
    /// The alternatives, in a fixed order.
    using variant_type =
        std::variant<constant_distribution, uniform_distribution, triangular_distribution,
                     pert_distribution, beta_distribution, normal_distribution,
                     truncated_normal_distribution, lognormal_distribution, gamma_distribution,
                     weibull_distribution, bernoulli_distribution, poisson_distribution,
                     discrete_distribution, empirical_distribution, metalog_distribution>;

    /// True when D is one of the alternatives.
    template <class D>
    static constexpr bool holds_family = []<class... A>(std::variant<A...>*) {
        return (std::is_same_v<std::remove_cvref_t<D>, A> || ...);
    }(static_cast<variant_type*>(nullptr));

    /// The constant 0 (so scenario structs can default-construct their inputs).
    distribution() : v_(constant_distribution(0.0)) {}

    /// Wraps a family (implicit: `distribution d = pert_distribution(10, 20, 40);`).
    template <class D>
        requires holds_family<D>
    distribution(D&& d) : v_(std::forward<D>(d)) {}  // NOLINT(google-explicit-constructor)

    /// The underlying variant, for `std::visit`.
    const variant_type& variant() const noexcept { return v_; }

    /// Index of the held family in `variant_type`.
    std::size_t index() const noexcept { return v_.index(); }

    /// The held family if it is D, else nullptr.
    template <class D>
    const D* get_if() const noexcept {
        return std::get_if<D>(&v_);
    }

    /// The percentiles this distribution was fitted to (e.g. P10 and P90 of a lognormal
    /// stated as a range; a PERT or triangular adds its mode), lowest level first; empty when
    /// it was stated by its parameters. Descriptions, messages and files show this form,
    /// as the user wrote it, instead of the fitted parameters.
    const std::vector<quantile_point>& stated_percentiles() const noexcept { return stated_; }

    /// A copy that records `points` as the percentiles it was fitted to (see
    /// `stated_percentiles`); the distribution itself is unchanged.
    distribution with_stated_percentiles(std::vector<quantile_point> points) const {
        distribution d = *this;
        d.stated_ = std::move(points);
        return d;
    }

private:
    variant_type v_;
    std::vector<quantile_point> stated_;
};

/// P(X <= x). \throws invalid_argument for NaN x.
inline double cdf(const distribution& d, double x) {
    return std::visit([x](const auto& f) { return cdf(f, x); }, d.variant());
}

/// The held family's quantile (fast where the family has a table).
/// \throws invalid_argument if p is not in [0, 1].
inline double quantile(const distribution& d, double p) {
    return std::visit([p](const auto& f) { return quantile(f, p); }, d.variant());
}

/// Batch quantile x[i] = quantile(d, p[i]), i < n: one visit per batch.
/// \throws invalid_argument naming the first p[i] outside [0, 1].
inline void quantile(const distribution& d, const double* p, double* x, std::size_t n) {
    std::visit([&](const auto& f) { quantile(f, p, x, n); }, d.variant());
}

/// The held family's exact (reference) quantile; slow for beta, PERT and gamma.
/// \throws invalid_argument if p is not in [0, 1].
inline double exact_quantile(const distribution& d, double p) {
    return std::visit([p](const auto& f) { return exact_quantile(f, p); }, d.variant());
}

/// Mean (may be +-inf for a heavy-tailed metalog).
inline double mean(const distribution& d) {
    return std::visit([](const auto& f) { return mean(f); }, d.variant());
}

/// Variance (may be +inf for a heavy-tailed metalog).
inline double variance(const distribution& d) {
    return std::visit([](const auto& f) { return variance(f); }, d.variant());
}

/// [smallest, largest] possible value (infinite where unbounded).
inline std::pair<double, double> support(const distribution& d) {
    return std::visit([](const auto& f) { return support(f); }, d.variant());
}

namespace detail {

/// The family name of each alternative, as scenario files spell it.
inline constexpr const char* distribution_names[] = {
    "constant", "uniform",  "triangular", "pert",      "beta",     "normal",    "truncated_normal", "lognormal",
    "gamma",    "weibull",  "bernoulli",  "poisson",   "discrete", "empirical", "metalog"};
static_assert(std::size(distribution_names) == std::variant_size_v<distribution::variant_type>);

/// Shortest round-trip decimal form of v (std::to_chars), e.g. 10, 0.1, 1e+300, inf.
inline std::string short_number(double v) {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

/// 100 p to 12 significant digits (P7, not P7.000000000000001).
inline std::string percent_label(double p) {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, 100.0 * p, std::chars_format::general, 12);
    return std::string(buf, r.ptr);
}

inline std::string join_numbers(const std::vector<double>& v, std::size_t max_shown = 8) {
    std::string s = "[";
    for (std::size_t i = 0; i < v.size() && i < max_shown; ++i) {
        if (i) s += ", ";
        s += short_number(v[i]);
    }
    if (v.size() > max_shown) s += ", ... (" + std::to_string(v.size()) + " in all)";
    return s + "]";
}

template <class... T>
std::string call_form(const char* name, T... args) {
    std::string s = name;
    s += '(';
    bool first = true;
    ((s += (first ? "" : ", ") + short_number(args), first = false), ...);
    return s + ')';
}

}  // namespace detail

/// The family name: "constant", "uniform", "triangular", "pert", "beta", "normal",
/// "truncated_normal", "lognormal", "gamma", "weibull", "bernoulli", "poisson", "discrete",
/// "empirical" or "metalog".
inline std::string name(const distribution& d) { return detail::distribution_names[d.index()]; }

/// True for families without a density whose draws take isolated values with positive
/// probability: constant, bernoulli, poisson, discrete, and empirical of kind resampled.
inline bool is_discrete(const distribution& d) {
    if (const auto* e = d.get_if<empirical_distribution>()) return e->kind() == empirical_kind::resampled;
    const std::size_t i = d.index();
    return i == 0 || i == 10 || i == 11 || i == 12;
}

/// The family's name as scenario files spell it: "pert", "lognormal", ...
inline std::string_view family_name(const distribution& d) noexcept {
    static constexpr std::string_view names[] = {"constant", "uniform", "triangular", "pert", "beta",
                                                 "normal", "truncated_normal", "lognormal", "gamma",
                                                 "weibull", "bernoulli", "poisson", "discrete",
                                                 "empirical", "metalog"};
    static_assert(std::size(names) == std::variant_size_v<distribution::variant_type>);
    return names[d.index()];
}

/// A one-line description with the parameters, e.g. "pert(10, 20, 40)",
/// "pert(10, 20, 40, lambda = 3)", "lognormal(3.2, 0.4)", "beta(2, 5, 0, 100)",
/// "discrete([8, 10, 12], [0.25, 0.5, 0.25])", "empirical(interpolated, n = 40, [1.2, 9.7])",
/// "metalog(3 terms, bounds [0, inf), P10 = 20, P50 = 30, P90 = 45)". Numbers are in
/// shortest round-trip form; long lists are cut after 8 entries.
inline std::string describe(const distribution& d) {
    using detail::call_form;
    using detail::short_number;
    if (!d.stated_percentiles().empty()) {
        // As stated: "lognormal(P10 = 20, P90 = 45)", "pert(P10 = 8, mode = 10, P90 = 15)".
        std::string s = std::string(family_name(d)) + "(";
        const auto& pts = d.stated_percentiles();
        const double mode = d.get_if<pert_distribution>()      ? d.get_if<pert_distribution>()->mode()
                            : d.get_if<triangular_distribution>() ? d.get_if<triangular_distribution>()->mode()
                                                                  : std::numeric_limits<double>::quiet_NaN();
        for (std::size_t i = 0; i < pts.size(); ++i) {
            if (i) s += ", ";
            if (i == pts.size() - 1 && pts.size() > 1 && mode == mode) s += "mode = " + short_number(mode) + ", ";
            s += "P" + detail::percent_label(pts[i].p) + " = " + short_number(pts[i].x);
        }
        if (const auto* p = d.get_if<pert_distribution>(); p && p->lambda() != 4.0)
            s += ", lambda = " + short_number(p->lambda());
        return s + ")";
    }
    struct visitor {
        std::string operator()(const constant_distribution& f) const { return call_form("constant", f.value()); }
        std::string operator()(const uniform_distribution& f) const { return call_form("uniform", f.lower(), f.upper()); }
        std::string operator()(const triangular_distribution& f) const {
            return call_form("triangular", f.min(), f.mode(), f.max());
        }
        std::string operator()(const pert_distribution& f) const {
            std::string s = call_form("pert", f.min(), f.mode(), f.max());
            if (f.lambda() != 4.0) s.insert(s.size() - 1, ", lambda = " + short_number(f.lambda()));
            return s;
        }
        std::string operator()(const beta_distribution& f) const {
            if (f.lower() == 0.0 && f.upper() == 1.0) return call_form("beta", f.alpha(), f.beta());
            return call_form("beta", f.alpha(), f.beta(), f.lower(), f.upper());
        }
        std::string operator()(const normal_distribution& f) const { return call_form("normal", f.mean(), f.sd()); }
        std::string operator()(const truncated_normal_distribution& f) const {
            return call_form("truncated_normal", f.mean(), f.sd(), f.lower(), f.upper());
        }
        std::string operator()(const lognormal_distribution& f) const { return call_form("lognormal", f.mu(), f.sigma()); }
        std::string operator()(const gamma_distribution& f) const { return call_form("gamma", f.shape(), f.scale()); }
        std::string operator()(const weibull_distribution& f) const { return call_form("weibull", f.shape(), f.scale()); }
        std::string operator()(const bernoulli_distribution& f) const { return call_form("bernoulli", f.probability()); }
        std::string operator()(const poisson_distribution& f) const { return call_form("poisson", f.mean()); }
        std::string operator()(const discrete_distribution& f) const {
            return "discrete(" + detail::join_numbers(f.values()) + ", " + detail::join_numbers(f.probabilities()) + ")";
        }
        std::string operator()(const empirical_distribution& f) const {
            return std::string("empirical(") +
                   (f.kind() == empirical_kind::interpolated ? "interpolated" : "resampled") +
                   ", n = " + std::to_string(f.data().size()) + ", [" + short_number(f.data().front()) + ", " +
                   short_number(f.data().back()) + "])";
        }
        std::string operator()(const metalog_distribution& f) const {
            std::string s = "metalog(" + std::to_string(f.terms()) + " terms";
            const auto b = f.bounds();
            if (std::isfinite(b.lower) || std::isfinite(b.upper))
                s += ", bounds " + std::string(std::isfinite(b.lower) ? "[" : "(") + short_number(b.lower) + ", " +
                     short_number(b.upper) + (std::isfinite(b.upper) ? "]" : ")");
            if (f.points().empty()) {
                s += ", coefficients " + detail::join_numbers(f.coefficients(), 12);
            } else {
                std::size_t shown = 0;
                for (const auto& q : f.points()) {
                    if (shown++ == 8) {
                        s += ", ... (" + std::to_string(f.points().size()) + " points)";
                        break;
                    }
                    s += ", P" + detail::percent_label(q.p) + " = " + short_number(q.x);
                }
            }
            return s + ")";
        }
    };
    return std::visit(visitor{}, d.variant());
}

}  // namespace offroi
