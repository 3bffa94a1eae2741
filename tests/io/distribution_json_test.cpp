// Tests of io/distribution_json.hpp: every family in every accepted form gives the
// parameters it states; percentile forms reproduce their percentiles; the canonical form
// reads back to the same distribution bit for bit; and every error names its JSON path,
// the value and what is allowed.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "offroi/io/distribution_json.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace io_distribution_json_test {

using namespace offroi;
using nlohmann::json;

namespace {

distribution read(const char* text) { return distribution_from_json(json::parse(text), "x"); }

std::string error_of(const char* text) {
    try {
        distribution_from_json(json::parse(text), "alternatives[0].hourly_rate_usd");
    } catch (const invalid_scenario& e) {
        return e.what();
    }
    return "no error";
}

// The canonical form reads back to an identical distribution (same JSON, same quantiles).
void check_round_trip(const distribution& d) {
    const json j = distribution_to_json(d);
    const distribution e = distribution_from_json(json::parse(j.dump()), "x");
    CHECK(distribution_to_json(e) == j);
    CHECK(e.index() == d.index());
    for (double p : {0.01, 0.1, 0.37, 0.5, 0.9, 0.99}) CHECK(quantile(e, p) == quantile(d, p));
}

}  // namespace

TEST_CASE("distribution_from_json: constants") {
    const auto d = read("42.5");
    REQUIRE(d.get_if<constant_distribution>());
    CHECK(d.get_if<constant_distribution>()->value() == 42.5);
    CHECK(read(R"({"constant": 3})").get_if<constant_distribution>()->value() == 3);
    CHECK(read(R"({"constant": {"value": -2}})").get_if<constant_distribution>()->value() == -2);
    // A constant is finite or +inf ("inf": a seat never filled; the fields that cannot be
    // infinite refuse it in validate); it is written back as "inf".
    CHECK(std::isinf(read(R"("inf")").get_if<constant_distribution>()->value()));
    CHECK(distribution_to_json(read(R"("inf")")) == "inf");
    check_round_trip(read(R"("inf")"));
    CHECK_THROWS_WITH_AS(read(R"("-inf")"), "x: -inf is invalid; must be finite or +inf (constant value)",
                         invalid_scenario);
    check_round_trip(read("7"));
}

TEST_CASE("distribution_from_json: uniform, triangular, PERT") {
    auto u = read(R"({"uniform": [2, 5]})");
    REQUIRE(u.get_if<uniform_distribution>());
    CHECK(u.get_if<uniform_distribution>()->lower() == 2);
    CHECK(u.get_if<uniform_distribution>()->upper() == 5);
    CHECK(u.get_if<uniform_distribution>()->upper() == read(R"({"uniform": {"lower": 2, "upper": 5}})").get_if<uniform_distribution>()->upper());
    // Uniform with P10 = 3, P90 = 7: width 5, lower 2.5.
    auto up = read(R"({"uniform": {"p10": 3, "p90": 7}})");
    CHECK(up.get_if<uniform_distribution>()->lower() == doctest::Approx(2.5).epsilon(1e-14));
    CHECK(up.get_if<uniform_distribution>()->upper() == doctest::Approx(7.5).epsilon(1e-14));

    auto t = read(R"({"triangular": [1, 2, 6]})");
    CHECK(mean(t) == doctest::Approx(3.0).epsilon(1e-15));
    CHECK(mean(read(R"({"triangular": {"min": 1, "mode": 2, "max": 6}})")) == mean(t));
    auto tp = read(R"({"triangular": {"p10": 20, "mode": 30, "p90": 60}})");
    CHECK(cdf(tp, 20) == doctest::Approx(0.10).epsilon(1e-9));
    CHECK(cdf(tp, 60) == doctest::Approx(0.90).epsilon(1e-9));

    auto p = read(R"({"pert": [22, 35, 50]})");
    REQUIRE(p.get_if<pert_distribution>());
    CHECK(mean(p) == doctest::Approx((22 + 4 * 35 + 50) / 6.0).epsilon(1e-14));
    CHECK(p.get_if<pert_distribution>()->lambda() == 4);
    auto pl = read(R"({"pert": {"min": 22, "mode": 35, "max": 50, "lambda": 3}})");
    CHECK(pl.get_if<pert_distribution>()->lambda() == 3);
    CHECK(read(R"({"pert": [22, 35, 50, 3]})").get_if<pert_distribution>()->lambda() == 3);
    CHECK(mean(pl) == doctest::Approx((22 + 3 * 35 + 50) / 5.0).epsilon(1e-14));
    auto pp = read(R"({"pert": {"p10": 25, "mode": 35, "p90": 47}})");
    CHECK(cdf(pp, 25) == doctest::Approx(0.10).epsilon(1e-8));
    CHECK(cdf(pp, 47) == doctest::Approx(0.90).epsilon(1e-8));
    for (const auto& d : {u, up, t, tp, p, pl, pp}) check_round_trip(d);
}

TEST_CASE("distribution_from_json: normal, truncated normal, lognormal") {
    auto n = read(R"({"normal": {"mean": 10, "sd": 2}})");
    CHECK(mean(n) == 10);
    CHECK(variance(n) == 4);
    CHECK(mean(read(R"({"normal": [10, 2]})")) == 10);
    auto np = read(R"({"normal": {"p10": 20, "p90": 40}})");
    CHECK(quantile(np, 0.10) == doctest::Approx(20).epsilon(1e-12));
    CHECK(quantile(np, 0.90) == doctest::Approx(40).epsilon(1e-12));

    auto tn = read(R"({"truncated_normal": {"mean": 0, "sd": 1, "lower": 0}})");
    CHECK(support(tn).first == 0);
    CHECK(support(tn).second == std::numeric_limits<double>::infinity());
    CHECK(mean(tn) == doctest::Approx(std::sqrt(2 / M_PI)).epsilon(1e-12));  // half-normal
    auto tn2 = read(R"({"truncated_normal": [5, 2, "-inf", 6]})");
    CHECK(support(tn2).second == 6);

    auto ln = read(R"({"lognormal": {"p10": 20, "p90": 45}})");
    REQUIRE(ln.get_if<lognormal_distribution>());
    CHECK(quantile(ln, 0.10) == doctest::Approx(20).epsilon(1e-12));
    CHECK(quantile(ln, 0.90) == doctest::Approx(45).epsilon(1e-12));
    auto lm = read(R"({"lognormal": {"mu": 1, "sigma": 0.5}})");
    CHECK(lm.get_if<lognormal_distribution>()->mu() == 1);
    CHECK(lm.get_if<lognormal_distribution>()->sigma() == 0.5);
    auto l5 = read(R"({"lognormal": {"p5": 10, "p95": 90}})");
    CHECK(quantile(l5, 0.05) == doctest::Approx(10).epsilon(1e-12));
    for (const auto& d : {n, np, tn, tn2, ln, lm, l5}) check_round_trip(d);
}

TEST_CASE("distribution_from_json: beta, gamma, weibull") {
    auto b = read(R"({"beta": {"alpha": 2, "beta": 5}})");
    CHECK(mean(b) == doctest::Approx(2.0 / 7).epsilon(1e-14));
    auto b4 = read(R"({"beta": [2, 5, 10, 20]})");
    CHECK(mean(b4) == doctest::Approx(10 + 10 * 2.0 / 7).epsilon(1e-14));
    auto bm = read(R"({"beta": {"mean": 0.3, "sd": 0.1}})");
    CHECK(mean(bm) == doctest::Approx(0.3).epsilon(1e-12));
    CHECK(std::sqrt(variance(bm)) == doctest::Approx(0.1).epsilon(1e-12));

    auto g = read(R"({"gamma": {"shape": 3, "scale": 2}})");
    CHECK(mean(g) == 6);
    auto gm = read(R"({"gamma": {"mean": 6, "sd": 3}})");
    CHECK(mean(gm) == doctest::Approx(6).epsilon(1e-14));
    CHECK(variance(gm) == doctest::Approx(9).epsilon(1e-14));
    auto gp = read(R"({"gamma": {"p10": 2, "p90": 9}})");
    CHECK(cdf(gp, 2) == doctest::Approx(0.10).epsilon(1e-8));
    CHECK(cdf(gp, 9) == doctest::Approx(0.90).epsilon(1e-8));

    auto w = read(R"({"weibull": [2, 10]})");
    CHECK(mean(w) == doctest::Approx(10 * std::tgamma(1.5)).epsilon(1e-14));
    auto wp = read(R"({"weibull": {"p10": 3, "p90": 15}})");
    CHECK(quantile(wp, 0.10) == doctest::Approx(3).epsilon(1e-12));
    CHECK(quantile(wp, 0.90) == doctest::Approx(15).epsilon(1e-12));
    for (const auto& d : {b, b4, bm, g, gm, gp, w, wp}) check_round_trip(d);
}

TEST_CASE("distribution_from_json: bernoulli, poisson, discrete, empirical") {
    auto be = read(R"({"bernoulli": 0.2})");
    CHECK(mean(be) == 0.2);
    CHECK(mean(read(R"({"bernoulli": {"p": 0.3}})")) == 0.3);
    auto po = read(R"({"poisson": 4})");
    CHECK(mean(po) == 4);
    CHECK(mean(read(R"({"poisson": {"mean": 2.5}})")) == 2.5);
    auto di = read(R"({"discrete": {"values": [8, 10, 12], "probabilities": [0.25, 0.5, 0.25]}})");
    CHECK(mean(di) == 10);
    CHECK(variance(di) == 2);
    auto di3 = read(R"({"discrete": {"values": [1, 2, 3], "probabilities": [0.1, 0.2, 0.7]}})");
    CHECK(mean(di3) == doctest::Approx(2.6).epsilon(1e-14));
    auto em = read(R"({"empirical": [3, 1, 2, 5]})");
    CHECK(support(em).first == 1);
    CHECK(support(em).second == 5);
    auto er = read(R"({"empirical": {"data": [3, 1, 2, 5], "kind": "resampled"}})");
    CHECK(is_discrete(er));
    CHECK(mean(er) == doctest::Approx(2.75).epsilon(1e-15));
    for (const auto& d : {be, po, di, di3, em, er}) check_round_trip(d);
}

TEST_CASE("distribution_from_json: metalog") {
    auto m = read(R"({"metalog": {"quantiles": [[0.1, 20], [0.5, 30], [0.9, 45]], "terms": 3, "lower": 0}})");
    REQUIRE(m.get_if<metalog_distribution>());
    CHECK(m.get_if<metalog_distribution>()->terms() == 3);
    CHECK(quantile(m, 0.1) == doctest::Approx(20).epsilon(1e-10));
    CHECK(quantile(m, 0.5) == doctest::Approx(30).epsilon(1e-10));
    CHECK(quantile(m, 0.9) == doctest::Approx(45).epsilon(1e-10));
    CHECK(support(m).first == 0);
    auto mb = read(R"({"metalog": {"quantiles": [[0.1, 2], [0.5, 5], [0.9, 8]], "lower": 0, "upper": 10}})");
    CHECK(support(mb).second == 10);
    CHECK(quantile(mb, 0.5) == doctest::Approx(5).epsilon(1e-10));
    auto mc = read(R"({"metalog": {"coefficients": [30, 5]}})");
    CHECK(quantile(mc, 0.5) == doctest::Approx(30).epsilon(1e-14));
    for (const auto& d : {m, mb, mc}) check_round_trip(d);
}

TEST_CASE("distribution_from_json: errors name the path, the value and what is allowed") {
    using doctest::Contains;
    // Parameter order (min > mode): the element's path.
    CHECK(error_of(R"({"pert": [40, 35, 50]})") ==
          "alternatives[0].hourly_rate_usd.pert[0]: 40 is invalid; must be <= mode = 35 (pert min)");
    CHECK_THROWS_WITH_AS(read(R"({"pert": {"min": 10, "mode": 5, "max": 50}})"), Contains("x.pert.min: 10 is invalid"),
                         invalid_scenario);
    CHECK(error_of(R"({"normal": {"mean": 1, "sd": -2}})").find("alternatives[0].hourly_rate_usd.normal.sd: -2 is invalid; ") == 0);
    CHECK(error_of(R"({"bernoulli": 1.5})").find("alternatives[0].hourly_rate_usd.bernoulli: 1.5 is invalid; ") == 0);
    CHECK(error_of(R"({"lognormal": {"p10": 45, "p90": 20}})").find("alternatives[0].hourly_rate_usd.lognormal.p90: 20 is invalid; must be > x at the lower p = 45") == 0);
    CHECK(error_of(R"({"discrete": {"values": [1, 2], "probabilities": [0.5, -0.5]}})")
              .find("alternatives[0].hourly_rate_usd.discrete.probabilities[1]: -0.5 is invalid;") == 0);
    CHECK(error_of(R"({"discrete": {"values": [1, 2], "probabilities": [0.5, 0.3]}})")
              .find("alternatives[0].hourly_rate_usd.discrete.probabilities: 0.8") == 0);
    CHECK(error_of(R"({"metalog": {"quantiles": [[0.1, 20], [1.5, 30], [0.9, 45]]}})")
              .find("alternatives[0].hourly_rate_usd.metalog.quantiles[1][0]: 1.5 is invalid;") == 0);
    // Unknown family, with a did-you-mean and the list.
    const std::string fam = error_of(R"({"perty": [1, 2, 3]})");
    CHECK(fam.find("alternatives[0].hourly_rate_usd.perty: \"perty\" is invalid; did you mean \"pert\"? "
                   "distribution families: constant, uniform, triangular, pert,") == 0);
    CHECK(error_of(R"({"lognormal": {"p10": 20, "p90": 45, "sigma_": 1}})")
              .find("alternatives[0].hourly_rate_usd.lognormal.sigma_: unknown key \"sigma_\" is invalid; did you mean \"sigma\"?") == 0);
    // Wrong types and shapes.
    CHECK(error_of(R"("ten")") == "alternatives[0].hourly_rate_usd: \"ten\" (a string) is invalid; must be a number or a "
                                  "distribution object such as {\"pert\": [min, mode, max]}");
    CHECK(error_of(R"(true)").find("alternatives[0].hourly_rate_usd: true (a boolean) is invalid;") == 0);
    CHECK(error_of(R"({"pert": [1, 2]})").find("alternatives[0].hourly_rate_usd.pert: an array of 2 entries is invalid; pert takes [min, mode, max]") == 0);
    CHECK(error_of(R"({"pert": [1, "x", 3]})").find("alternatives[0].hourly_rate_usd.pert[1]: \"x\" (a string) is invalid; must be a number") == 0);
    CHECK(error_of(R"({"pert": [1, 2, 3], "uniform": [1, 2]})").find("alternatives[0].hourly_rate_usd: an object with 2 keys is invalid;") == 0);
    CHECK(error_of(R"({"normal": {"p10": 1}})").find("alternatives[0].hourly_rate_usd.normal: an object with 1 percentile keys is invalid; normal takes") == 0);
    CHECK(error_of(R"({"normal": {"mean": 1}})").find("alternatives[0].hourly_rate_usd.normal: an object without \"sd\" is invalid;") == 0);
    CHECK(error_of(R"({"gamma": {"p10": 2, "p90": 2.0000000001}})").find("alternatives[0].hourly_rate_usd.gamma") == 0);
}

}  // namespace io_distribution_json_test
