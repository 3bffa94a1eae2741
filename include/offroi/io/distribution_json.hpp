#pragma once
/// \file
/// Distributions in scenario files (docs/scenario-format.md §2): `distribution_from_json`
/// reads a number (a constant) or a one-key object naming the family, e.g.
/// `{"pert": [min, mode, max]}`, `{"lognormal": {"p10": 20, "p90": 45}}`;
/// `distribution_to_json` writes the canonical form, which reads back to the same
/// distribution bit for bit.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "offroi/distributions/distribution.hpp"
#include "offroi/distributions/quantile_point.hpp"
#include "offroi/error.hpp"
#include "offroi/io/detail/json_support.hpp"

namespace offroi {

namespace detail {

/// The family names a scenario file accepts, in the order of `distribution::variant_type`.
inline std::vector<std::string> distribution_family_names() {
    return {std::begin(distribution_names), std::end(distribution_names)};
}

/// Reads the parameters of one family, in array form (positional) or object form
/// (named), and remembers which JSON path holds each constructor parameter, so that a
/// constructor's message "fn: min = 5 is invalid; must be <= mode = 3" becomes
/// "<path>.pert[0]: 5 is invalid; must be <= mode = 3".
class family_reader {
public:
    family_reader(const nlohmann::json& body, std::string path, std::string family, std::string shapes)
        : body_(body), path_(std::move(path)), family_(std::move(family)), shapes_(std::move(shapes)) {}

    const nlohmann::json& body() const { return body_; }
    const std::string& path() const { return path_; }
    bool is_array() const { return body_.is_array(); }
    bool is_object() const { return body_.is_object(); }
    bool has(std::string_view key) const { return body_.is_object() && body_.contains(key); }

    /// Throws the "wrong shape" error: what the family accepts.
    [[noreturn]] void bad_shape(const std::string& what) const {
        throw_at(path_, what, family_ + " takes " + shapes_);
    }

    /// Requires an array of n0..n1 numbers.
    void array_size(std::size_t n0, std::size_t n1) const {
        if (body_.size() < n0 || body_.size() > n1)
            bad_shape("an array of " + std::to_string(body_.size()) + (body_.size() == 1 ? " entry" : " entries"));
    }

    /// Element i of the array form; `param` is the constructor's name for it.
    double at(std::size_t i, std::string_view param) {
        const std::string p = json_index(path_, i);
        names_.emplace_back(param, p);
        return json_number(body_[i], p);
    }

    /// Key `key` of the object form (required); `param` is the constructor's name for it.
    double key(std::string_view key, std::string_view param) {
        if (!has(key)) bad_shape("an object without \"" + std::string(key) + "\"");
        const std::string p = json_child(path_, key);
        names_.emplace_back(param, p);
        return json_number(body_[std::string(key)], p);
    }

    /// Key `key` if present, else `fallback`.
    double key_or(std::string_view k, std::string_view param, double fallback) {
        return has(k) ? key(k, param) : fallback;
    }

    /// Records that messages naming `param` belong to JSON path `p`.
    void name(std::string param, std::string p) { names_.emplace_back(std::move(param), std::move(p)); }

    /// Rejects keys outside `valid` (percentile keys "p<level>" too when `percentiles`).
    void only_keys(std::vector<std::string> valid, bool percentiles = false) const {
        for (auto it = body_.begin(); it != body_.end(); ++it) {
            const std::string& k = it.key();
            if (percentiles && percentile_key_level(k) > 0) continue;
            if (std::find(valid.begin(), valid.end(), k) != valid.end()) continue;
            if (percentiles) valid.push_back("p<percent> (e.g. p10, p90)");
            throw_unknown_name(json_child(path_, k), k, "valid keys", valid);
        }
    }

    /// The percentile keys of the object form, sorted by level: (level, key).
    std::vector<std::pair<double, std::string>> percentile_keys() const {
        std::vector<std::pair<double, std::string>> v;
        if (!body_.is_object()) return v;
        for (auto it = body_.begin(); it != body_.end(); ++it) {
            const double p = percentile_key_level(it.key());
            if (p > 0) v.emplace_back(p, it.key());
        }
        std::sort(v.begin(), v.end());
        return v;
    }

    /// Exactly two percentile keys as quantile points (low first); records the message
    /// names of the percentile factories for them.
    std::pair<quantile_point, quantile_point> two_percentiles() {
        const auto keys = percentile_keys();
        if (keys.size() != 2)
            bad_shape("an object with " + std::to_string(keys.size()) + " percentile keys");
        const std::string lo = json_child(path_, keys[0].second), hi = json_child(path_, keys[1].second);
        quantile_point a{keys[0].first, json_number(body_[keys[0].second], lo)};
        quantile_point b{keys[1].first, json_number(body_[keys[1].second], hi)};
        stated_ = {a, b};
        for (const char* n : {"first point p", "first point x", "low point p", "low point x"}) names_.emplace_back(n, lo);
        for (const char* n : {"second point p", "second point x", "high point p", "high point x", "x at the higher p"})
            names_.emplace_back(n, hi);
        return {a, b};
    }

    /// Builds the distribution, turning a constructor's invalid_argument (or a fit's
    /// numerical_error) into invalid_scenario at the JSON path of the offending parameter.
    template <class F>
    distribution build(F&& make) const {
        try {
            distribution d(make());
            return stated_.empty() ? d : d.with_stated_percentiles(stated_);
        } catch (const invalid_scenario&) {
            throw;
        } catch (const error& e) {
            rethrow_at(e.what());
        }
    }

private:
    // "4e+01" (how offroi::detail::format_value prints some values) -> "40".
    static std::string tidy_number(const std::string& v) {
        try {
            std::size_t used = 0;
            const double x = std::stod(v, &used);
            if (used == v.size()) return short_number(x);
        } catch (const std::exception&) {
        }
        return v;
    }

    [[noreturn]] void rethrow_at(const std::string& msg) const {
        // Constructor messages: "<fn>: <name> = <value> is invalid; <allowed>".
        const auto colon = msg.find(": ");
        const std::string rest = colon == std::string::npos ? msg : msg.substr(colon + 2);
        const auto eq = rest.find(" = ");
        const auto inv = rest.find(" is invalid; ");
        if (eq != std::string::npos && inv != std::string::npos && eq < inv) {
            const std::string param = rest.substr(0, eq);
            for (const auto& [n, p] : names_)
                if (n == param)
                    throw invalid_scenario(p + ": " + tidy_number(rest.substr(eq + 3, inv - eq - 3)) + " is invalid; " +
                                           rest.substr(inv + 13) + " (" + family_ + " " + param + ")");
        }
        throw invalid_scenario(path_ + ": " + rest);
    }

    const nlohmann::json& body_;
    std::string path_;
    std::string family_;
    std::string shapes_;
    std::vector<std::pair<std::string, std::string>> names_;
    std::vector<quantile_point> stated_;  // the percentiles read, if the form had them
};

inline distribution read_two_scale(family_reader& r, const char* family) {
    // gamma and weibull: [shape, scale] | {shape, scale} | {pA, pB}; gamma also {mean, sd}.
    const std::string f = family;
    if (r.is_array()) {
        r.array_size(2, 2);
        const double k = r.at(0, "shape"), s = r.at(1, "scale");
        if (f == "gamma") return r.build([&] { return gamma_distribution(k, s); });
        return r.build([&] { return weibull_distribution(k, s); });
    }
    if (!r.percentile_keys().empty()) {
        r.only_keys({}, true);
        const auto ab = r.two_percentiles();  // no structured bindings: clang 14 cannot capture them
        const quantile_point a = ab.first, b = ab.second;
        if (f == "gamma") return r.build([&] { return gamma_distribution::from_percentiles(a, b); });
        return r.build([&] { return weibull_distribution::from_percentiles(a, b); });
    }
    if (f == "gamma" && (r.has("mean") || r.has("sd"))) {
        r.only_keys({"mean", "sd"});
        const double m = r.key("mean", "mean"), sd = r.key("sd", "sd");
        if (!(m > 0) || !std::isfinite(m)) throw_at(json_child(r.path(), "mean"), short_number(m), "must be finite and > 0 (gamma mean)");
        if (!(sd > 0) || !std::isfinite(sd)) throw_at(json_child(r.path(), "sd"), short_number(sd), "must be finite and > 0 (gamma sd)");
        return r.build([&] { return gamma_distribution((m / sd) * (m / sd), sd * sd / m); });
    }
    r.only_keys({"shape", "scale"}, true);
    const double k = r.key("shape", "shape"), s = r.key("scale", "scale");
    if (f == "gamma") return r.build([&] { return gamma_distribution(k, s); });
    return r.build([&] { return weibull_distribution(k, s); });
}

inline distribution read_three_point(family_reader& r, bool pert) {
    // [min, mode, max] (pert: optional 4th lambda) | {min, mode, max[, lambda]} |
    // {pA, mode, pB[, lambda]}.
    if (r.is_array()) {
        r.array_size(3, pert ? 4 : 3);
        const double a = r.at(0, "min"), m = r.at(1, "mode"), b = r.at(2, "max");
        if (!pert) return r.build([&] { return triangular_distribution(a, m, b); });
        const double l = r.body().size() == 4 ? r.at(3, "lambda") : 4.0;
        return r.build([&] { return pert_distribution(a, m, b, l); });
    }
    std::vector<std::string> named = {"min", "mode", "max"};
    if (pert) named.push_back("lambda");
    r.only_keys(named, true);
    if (!r.percentile_keys().empty()) {
        if (r.has("min") || r.has("max")) r.bad_shape("an object mixing min/max with percentiles");
        const auto lh = r.two_percentiles();  // no structured bindings: clang 14 cannot capture them
        const quantile_point lo = lh.first, hi = lh.second;
        const double m = r.key("mode", "mode");
        const double l = pert ? r.key_or("lambda", "lambda", 4.0) : 4.0;
        if (!pert) return r.build([&] { return triangular_distribution::from_percentiles(lo, m, hi); });
        return r.build([&] { return pert_distribution::from_percentiles(lo, m, hi, l); });
    }
    const double a = r.key("min", "min"), m = r.key("mode", "mode"), b = r.key("max", "max");
    if (!pert) return r.build([&] { return triangular_distribution(a, m, b); });
    const double l = r.key_or("lambda", "lambda", 4.0);
    return r.build([&] { return pert_distribution(a, m, b, l); });
}

inline std::string family_shapes(std::string_view f) {
    if (f == "constant") return "a number or {\"value\": x}";
    if (f == "uniform") return "[lower, upper], {\"lower\", \"upper\"} or two percentiles {\"p10\", \"p90\"}";
    if (f == "triangular") return "[min, mode, max], {\"min\", \"mode\", \"max\"} or {\"p10\", \"mode\", \"p90\"}";
    if (f == "pert")
        return "[min, mode, max], [min, mode, max, lambda], {\"min\", \"mode\", \"max\", \"lambda\"?} or "
               "{\"p10\", \"mode\", \"p90\", \"lambda\"?}";
    if (f == "beta")
        return "[alpha, beta], [alpha, beta, lower, upper], {\"alpha\", \"beta\", \"lower\"?, \"upper\"?} or "
               "{\"mean\", \"sd\", \"lower\"?, \"upper\"?}";
    if (f == "normal") return "[mean, sd], {\"mean\", \"sd\"} or two percentiles {\"p10\", \"p90\"}";
    if (f == "truncated_normal") return "[mean, sd, lower, upper] or {\"mean\", \"sd\", \"lower\"?, \"upper\"?}";
    if (f == "lognormal") return "[mu, sigma], {\"mu\", \"sigma\"} or two percentiles {\"p10\", \"p90\"}";
    if (f == "gamma") return "[shape, scale], {\"shape\", \"scale\"}, {\"mean\", \"sd\"} or two percentiles {\"p10\", \"p90\"}";
    if (f == "weibull") return "[shape, scale], {\"shape\", \"scale\"} or two percentiles {\"p10\", \"p90\"}";
    if (f == "bernoulli") return "a probability p or {\"p\": p}";
    if (f == "poisson") return "a mean or {\"mean\": m}";
    if (f == "discrete") return "{\"values\": [...], \"probabilities\": [...]}";
    if (f == "empirical") return "[data...] or {\"data\": [...], \"kind\"?: \"interpolated\" | \"resampled\"}";
    if (f == "metalog")
        return "{\"quantiles\": [[p, x], ...], \"terms\"?, \"lower\"?, \"upper\"?} or "
               "{\"coefficients\": [...], \"lower\"?, \"upper\"?}";
    return "";
}

}  // namespace detail

/// Reads a distribution from its scenario-file form (docs/scenario-format.md §2): a number
/// (constant) or an object with one key, the family, whose value holds the parameters:
/// constant, uniform, triangular, pert, beta, normal, truncated_normal, lognormal, gamma,
/// weibull, bernoulli, poisson, discrete, empirical, metalog. Families fitted from
/// percentiles take keys "p<percent>" ("p10", "p90", "p2.5"). Bounds may be "inf"/"-inf".
/// \param j    the JSON value.
/// \param path its JSON path, the prefix of every message (e.g. "baseline.hourly_rate_usd").
/// \throws invalid_scenario "<path>[.<family>[<i>|.<key>]]: <value> is invalid; <allowed>"
///   for a wrong type, an unknown family (with a did-you-mean), a wrong shape, or a
///   parameter the family rejects (min > mode, sd <= 0, p outside [0, 1], ...).
inline distribution distribution_from_json(const nlohmann::json& j, std::string_view path) {
    using namespace detail;
    const std::string base(path);
    if (j.is_number() || j.is_string()) {
        const double v = json_number(j, base, "must be a number or a distribution object such as {\"pert\": [min, mode, max]}");
        family_reader r(j, base, "constant", family_shapes("constant"));
        r.name("value", base);
        return r.build([&] { return constant_distribution(v); });
    }
    if (!j.is_object() || j.size() != 1) {
        if (j.is_object() && j.empty())
            throw_at(base, "an empty object", "a distribution object has exactly one key, the family: " +
                                                  join_names(distribution_family_names()));
        if (j.is_object())
            throw_at(base, "an object with " + std::to_string(j.size()) + " keys",
                     "a distribution object has exactly one key, the family (e.g. {\"pert\": [min, mode, max]}); "
                     "families: " + join_names(distribution_family_names()));
        throw_at(base, json_value_phrase(j), "must be a number or a distribution object such as {\"pert\": [min, mode, max]}");
    }
    const std::string family = j.begin().key();
    const nlohmann::json& body = j.begin().value();
    const auto families = distribution_family_names();
    if (std::find(families.begin(), families.end(), family) == families.end())
        throw_unknown_name(json_child(base, family), family, "distribution families", families);
    const std::string p = json_child(base, family);
    family_reader r(body, p, family, family_shapes(family));
    const bool arr = body.is_array(), obj = body.is_object(), num = body.is_number() || body.is_string();

    if (family == "constant") {
        if (num) {
            r.name("value", p);
            const double v = json_number(body, p);
            return r.build([&] { return constant_distribution(v); });
        }
        if (!obj) r.bad_shape(json_value_phrase(body));
        r.only_keys({"value"});
        const double v = r.key("value", "value");
        return r.build([&] { return constant_distribution(v); });
    }
    if (family == "bernoulli" || family == "poisson") {
        const bool bern = family == "bernoulli";
        const char* key = bern ? "p" : "mean";
        double v;
        if (num) {
            r.name(key, p);
            v = json_number(body, p);
        } else if (obj) {
            r.only_keys({key});
            v = r.key(key, key);
        } else {
            r.bad_shape(json_value_phrase(body));
        }
        if (bern) return r.build([&] { return bernoulli_distribution(v); });
        return r.build([&] { return poisson_distribution(v); });
    }
    if (family == "discrete") {
        if (!obj) r.bad_shape(json_value_phrase(body));
        r.only_keys({"values", "probabilities"});
        if (!r.has("values") || !r.has("probabilities")) r.bad_shape("an object without \"values\" and \"probabilities\"");
        const std::string pv = json_child(p, "values"), pp = json_child(p, "probabilities");
        auto v = json_numbers(body["values"], pv, 1, "must be a non-empty array of numbers");
        auto q = json_numbers(body["probabilities"], pp, 1, "must be a non-empty array of probabilities");
        for (std::size_t i = 0; i < v.size(); ++i) r.name("values[" + std::to_string(i) + "]", json_index(pv, i));
        for (std::size_t i = 0; i < q.size(); ++i) r.name("probabilities[" + std::to_string(i) + "]", json_index(pp, i));
        r.name("sum of probabilities", pp);
        if (v.size() != q.size())
            throw_at(pp, "an array of " + std::to_string(q.size()) + " probabilities",
                     "must have one probability per value (" + std::to_string(v.size()) + ")");
        return r.build([&] { return discrete_distribution(std::move(v), std::move(q)); });
    }
    if (family == "empirical") {
        empirical_kind kind = empirical_kind::interpolated;
        std::vector<double> data;
        std::string pd = p;
        if (arr) {
            data = json_numbers(body, p, 1, "must be a non-empty array of numbers");
        } else if (obj) {
            r.only_keys({"data", "kind"});
            if (!r.has("data")) r.bad_shape("an object without \"data\"");
            pd = json_child(p, "data");
            data = json_numbers(body["data"], pd, 1, "must be a non-empty array of numbers");
            if (r.has("kind")) {
                const std::string pk = json_child(p, "kind");
                const std::string& k = json_string(body["kind"], pk, "must be \"interpolated\" or \"resampled\"");
                if (k == "resampled") kind = empirical_kind::resampled;
                else if (k != "interpolated") throw_unknown_name(pk, k, "kinds", {"interpolated", "resampled"});
            }
        } else {
            r.bad_shape(json_value_phrase(body));
        }
        for (std::size_t i = 0; i < data.size(); ++i) r.name("data[" + std::to_string(i) + "]", json_index(pd, i));
        return r.build([&] { return empirical_distribution(std::move(data), kind); });
    }
    if (family == "metalog") {
        if (!obj) r.bad_shape(json_value_phrase(body));
        r.only_keys({"quantiles", "terms", "lower", "upper", "coefficients"});
        metalog_bounds bounds;
        bounds.lower = r.key_or("lower", "bounds.lower", -std::numeric_limits<double>::infinity());
        bounds.upper = r.key_or("upper", "bounds.upper", std::numeric_limits<double>::infinity());
        if (r.has("coefficients")) {
            if (r.has("quantiles") || r.has("terms")) r.bad_shape("an object with both \"coefficients\" and \"quantiles\"/\"terms\"");
            const std::string pc = json_child(p, "coefficients");
            auto c = json_numbers(body["coefficients"], pc, 0, "must be an array of 2 to 12 numbers");
            for (std::size_t i = 0; i < c.size(); ++i) r.name("coefficients[" + std::to_string(i) + "]", json_index(pc, i));
            r.name("number of coefficients", pc);
            return r.build([&] { return metalog_distribution(std::move(c), bounds); });
        }
        if (!r.has("quantiles")) r.bad_shape("an object without \"quantiles\" or \"coefficients\"");
        const std::string pq = json_child(p, "quantiles");
        const nlohmann::json& q = body["quantiles"];
        if (!q.is_array() || q.size() < 2)
            throw_at(pq, json_value_phrase(q), "must be an array of at least 2 [p, x] pairs");
        std::vector<quantile_point> pts;
        for (std::size_t i = 0; i < q.size(); ++i) {
            const std::string pi = json_index(pq, i);
            if (!q[i].is_array() || q[i].size() != 2) throw_at(pi, json_value_phrase(q[i]), "must be a pair [p, x]");
            pts.push_back({json_number(q[i][0], json_index(pi, 0)), json_number(q[i][1], json_index(pi, 1))});
            r.name("points[" + std::to_string(i) + "].p", json_index(pi, 0));
            r.name("points[" + std::to_string(i) + "].x", json_index(pi, 1));
        }
        std::size_t terms = std::min<std::size_t>(pts.size(), metalog_distribution::max_terms);
        if (r.has("terms"))
            terms = static_cast<std::size_t>(json_integer(body["terms"], json_child(p, "terms"), 2,
                                                          static_cast<std::int64_t>(std::min<std::size_t>(pts.size(), 12)),
                                                          "must be an integer in [2, min(12, number of quantiles = " +
                                                              std::to_string(pts.size()) + ")]"));
        return r.build([&] { return metalog_distribution::fit(std::move(pts), terms, bounds); });
    }
    if (!arr && !obj) r.bad_shape(json_value_phrase(body));
    if (family == "uniform") {
        if (arr) {
            r.array_size(2, 2);
            const double a = r.at(0, "lower"), b = r.at(1, "upper");
            return r.build([&] { return uniform_distribution(a, b); });
        }
        r.only_keys({"lower", "upper"}, true);
        if (!r.percentile_keys().empty()) {
            const auto ab = r.two_percentiles();  // no structured bindings: clang 14 cannot capture them
            const quantile_point a = ab.first, b = ab.second;
            return r.build([&] { return uniform_distribution::from_percentiles(a, b); });
        }
        const double a = r.key("lower", "lower"), b = r.key("upper", "upper");
        return r.build([&] { return uniform_distribution(a, b); });
    }
    if (family == "triangular" || family == "pert") return detail::read_three_point(r, family == "pert");
    if (family == "beta") {
        if (arr) {
            r.array_size(2, 4);
            if (body.size() == 3) r.bad_shape("an array of 3 entries");
            const double a = r.at(0, "alpha"), b = r.at(1, "beta");
            const double lo = body.size() == 4 ? r.at(2, "lower") : 0.0, hi = body.size() == 4 ? r.at(3, "upper") : 1.0;
            return r.build([&] { return beta_distribution(a, b, lo, hi); });
        }
        r.only_keys({"alpha", "beta", "mean", "sd", "lower", "upper"});
        const double lo = r.key_or("lower", "lower", 0.0), hi = r.key_or("upper", "upper", 1.0);
        if (r.has("mean") || r.has("sd")) {
            if (r.has("alpha") || r.has("beta")) r.bad_shape("an object mixing alpha/beta with mean/sd");
            const double m = r.key("mean", "mean"), sd = r.key("sd", "sd");
            return r.build([&] { return beta_distribution::from_mean_sd(m, sd, lo, hi); });
        }
        const double a = r.key("alpha", "alpha"), b = r.key("beta", "beta");
        return r.build([&] { return beta_distribution(a, b, lo, hi); });
    }
    if (family == "normal" || family == "lognormal") {
        const bool ln = family == "lognormal";
        const char* k1 = ln ? "mu" : "mean";
        const char* k2 = ln ? "sigma" : "sd";
        double a, b;
        if (arr) {
            r.array_size(2, 2);
            a = r.at(0, k1);
            b = r.at(1, k2);
        } else {
            r.only_keys({k1, k2}, true);
            if (!r.percentile_keys().empty()) {
                if (r.has(k1) || r.has(k2)) r.bad_shape(std::string("an object mixing ") + k1 + "/" + k2 + " with percentiles");
                const auto xy = r.two_percentiles();  // no structured bindings: clang 14 cannot capture them
                const quantile_point x = xy.first, y = xy.second;
                if (ln) return r.build([&] { return lognormal_distribution::from_percentiles(x, y); });
                return r.build([&] { return normal_distribution::from_percentiles(x, y); });
            }
            a = r.key(k1, k1);
            b = r.key(k2, k2);
        }
        if (ln) return r.build([&] { return lognormal_distribution(a, b); });
        return r.build([&] { return normal_distribution(a, b); });
    }
    if (family == "truncated_normal") {
        const double inf = std::numeric_limits<double>::infinity();
        double m, sd, lo = -inf, hi = inf;
        if (arr) {
            r.array_size(4, 4);
            m = r.at(0, "mean");
            sd = r.at(1, "sd");
            lo = r.at(2, "lower");
            hi = r.at(3, "upper");
        } else {
            r.only_keys({"mean", "sd", "lower", "upper"});
            m = r.key("mean", "mean");
            sd = r.key("sd", "sd");
            lo = r.key_or("lower", "lower", -inf);
            hi = r.key_or("upper", "upper", inf);
        }
        return r.build([&] { return truncated_normal_distribution(m, sd, lo, hi); });
    }
    // gamma, weibull
    return detail::read_two_scale(r, family.c_str());
}

/// Writes a distribution in its canonical scenario-file form: a constant as a plain number;
/// uniform and triangular as arrays; PERT as [min, mode, max] (an object with "lambda" when
/// lambda != 4); beta {alpha, beta, lower, upper}; normal {mean, sd}; truncated_normal
/// {mean, sd, lower?, upper?} (infinite bounds left out); lognormal {mu, sigma}; gamma and
/// weibull {shape, scale}; bernoulli p; poisson mean; discrete {values, probabilities} (as
/// stored: sorted, merged, normalised); empirical [data] ({data, kind} when resampled);
/// metalog {quantiles, terms, lower?, upper?} when it was fitted, else {coefficients, ...}.
/// Numbers are written in shortest round-trip form, so `distribution_from_json` of the
/// result gives the same parameters bit for bit.
inline nlohmann::json distribution_to_json(const distribution& d) {
    using nlohmann::json;
    using detail::json_from_number;
    // As stated: {"lognormal": {"p10": 20, "p90": 45}}, {"pert": {"p10", "mode", "p90"}}; the
    // parameter form when a level has no exact "p<percent>" key (reading back must give the
    // same distribution).
    const auto& stated = d.stated_percentiles();
    const bool keyed = std::all_of(stated.begin(), stated.end(), [](const quantile_point& q) {
        return detail::percentile_key_level("p" + detail::percent_label(q.p)) == q.p && std::isfinite(q.x);
    });
    if (!stated.empty() && keyed) {
        json b = json::object();
        for (const auto& q : stated) b["p" + detail::percent_label(q.p)] = q.x;
        if (const auto* p = d.get_if<pert_distribution>()) {
            b["mode"] = p->mode();
            if (p->lambda() != 4.0) b["lambda"] = p->lambda();
        }
        if (const auto* t = d.get_if<triangular_distribution>()) b["mode"] = t->mode();
        return {{std::string(family_name(d)), b}};
    }
    struct visitor {
        json operator()(const constant_distribution& f) const { return json_from_number(f.value()); }
        json operator()(const uniform_distribution& f) const { return {{"uniform", {f.lower(), f.upper()}}}; }
        json operator()(const triangular_distribution& f) const {
            return {{"triangular", {f.min(), f.mode(), f.max()}}};
        }
        json operator()(const pert_distribution& f) const {
            if (f.lambda() == 4.0) return {{"pert", {f.min(), f.mode(), f.max()}}};
            return {{"pert", {{"min", f.min()}, {"mode", f.mode()}, {"max", f.max()}, {"lambda", f.lambda()}}}};
        }
        json operator()(const beta_distribution& f) const {
            return {{"beta", {{"alpha", f.alpha()}, {"beta", f.beta()}, {"lower", f.lower()}, {"upper", f.upper()}}}};
        }
        json operator()(const normal_distribution& f) const { return {{"normal", {{"mean", f.mean()}, {"sd", f.sd()}}}}; }
        json operator()(const truncated_normal_distribution& f) const {
            json b = {{"mean", f.mean()}, {"sd", f.sd()}};
            if (std::isfinite(f.lower())) b["lower"] = f.lower();
            if (std::isfinite(f.upper())) b["upper"] = f.upper();
            return {{"truncated_normal", b}};
        }
        json operator()(const lognormal_distribution& f) const {
            return {{"lognormal", {{"mu", f.mu()}, {"sigma", f.sigma()}}}};
        }
        json operator()(const gamma_distribution& f) const {
            return {{"gamma", {{"shape", f.shape()}, {"scale", f.scale()}}}};
        }
        json operator()(const weibull_distribution& f) const {
            return {{"weibull", {{"shape", f.shape()}, {"scale", f.scale()}}}};
        }
        json operator()(const bernoulli_distribution& f) const { return {{"bernoulli", f.probability()}}; }
        json operator()(const poisson_distribution& f) const { return {{"poisson", f.mean()}}; }
        json operator()(const discrete_distribution& f) const {
            return {{"discrete", {{"values", f.values()}, {"probabilities", f.probabilities()}}}};
        }
        json operator()(const empirical_distribution& f) const {
            if (f.kind() == empirical_kind::interpolated) return {{"empirical", f.data()}};
            return {{"empirical", {{"data", f.data()}, {"kind", "resampled"}}}};
        }
        json operator()(const metalog_distribution& f) const {
            json b = json::object();
            if (f.points().empty()) {
                b["coefficients"] = f.coefficients();
            } else {
                json q = json::array();
                for (const auto& pt : f.points()) q.push_back({pt.p, pt.x});
                b["quantiles"] = q;
                b["terms"] = f.terms();
            }
            if (std::isfinite(f.bounds().lower)) b["lower"] = f.bounds().lower;
            if (std::isfinite(f.bounds().upper)) b["upper"] = f.bounds().upper;
            return {{"metalog", b}};
        }
    };
    return std::visit(visitor{}, d.variant());
}

}  // namespace offroi
