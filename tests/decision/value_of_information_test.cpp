#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <span>
#include <string>
#include <vector>

#include "offroi/decision/nb_regression.hpp"
#include "offroi/decision/value_of_information.hpp"
#include "offroi/distributions/detail/normal_math.hpp"
#include "offroi/random/philox.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace decision_value_of_information_test {

// Tolerances. Every comparison with a known answer allows 3 standard errors (a correct
// estimator fails one such check with probability 0.3%; all draws are at fixed seeds, so the
// tests are deterministic), where the SE is the one the function reports (its validity is
// itself checked in "EVPPI standard errors match the spread over seeds").

namespace {

using cols = std::vector<std::vector<double>>;

constexpr double inv_sqrt_2pi = 0.3989422804014327;

double phi(double z) { return inv_sqrt_2pi * std::exp(-0.5 * z * z); }
double Phi(double z) { return offroi::detail::normal_cdf(z); }

// Column c of n standard normal draws at (seed, name).
std::vector<double> normals(std::size_t n, std::uint64_t seed, const char* name, double mean = 0.0, double sd = 1.0) {
    offroi::philox_stream s(seed, offroi::stream_id(name));
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = mean + sd * offroi::detail::normal_quantile(s.uniform(i));
    return v;
}

std::vector<double> uniforms(std::size_t n, std::uint64_t seed, const char* name) {
    offroi::philox_stream s(seed, offroi::stream_id(name));
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = s.uniform(i);
    return v;
}

// E[max(0, mu + s Z)].
double emax0(double mu, double s) { return s * phi(mu / s) + mu * Phi(mu / s); }

}  // namespace

TEST_CASE("EVPI of a normal linear decision equals the closed form") {
    // Two options, NB_0 = 0, NB_1 ~ N(mu, s^2): EVPI = s phi(mu/s) - |mu| Phi(-|mu|/s);
    // P(option 1 best) = Phi(mu/s); expected losses E[max(0, X)] (option 0), E[max(0, -X)].
    const std::size_t n = 200000;
    for (double mu : {-0.7, 0.0, 0.4, 1.5}) {
        const double s = 1.3;
        cols nb{std::vector<double>(n, 0.0), normals(n, 11, "inb", mu, s)};
        const auto r = offroi::decision_summary(nb);
        const double exact = s * phi(mu / s) - std::fabs(mu) * Phi(-std::fabs(mu) / s);
        CAPTURE(mu);
        CHECK(std::fabs(r.evpi.value - exact) <= 3.0 * r.evpi.se);
        CHECK(r.evpi.se > 0.0);
        CHECK(r.evpi.se < 0.01);
        CHECK(std::fabs(r.p_best[1].value - Phi(mu / s)) <= 3.0 * r.p_best[1].se + 1e-12);
        CHECK(r.p_best[0].value + r.p_best[1].value == doctest::Approx(1.0).epsilon(1e-12));
        CHECK(std::fabs(r.expected_loss[0].value - emax0(mu, s)) <= 3.0 * r.expected_loss[0].se);
        CHECK(std::fabs(r.expected_loss[1].value - emax0(-mu, s)) <= 3.0 * r.expected_loss[1].se);
        CHECK(std::fabs(r.expected_nb[1].value - mu) <= 3.0 * r.expected_nb[1].se);
        CHECK(r.best == (r.expected_nb[1].value > 0.0 ? 1u : 0u));
        CHECK(r.evpi.value == r.expected_loss[r.best].value);
        CHECK(offroi::evpi(nb).value == r.evpi.value);
    }
}

TEST_CASE("three exchangeable options: P(best) 1/3 each, expected loss E[max of 3 normals]") {
    // NB_d iid N(0, 1): P(best) = 1/3; expected loss = E[max(Z1, Z2, Z3)] = 3 / (2 sqrt(pi)).
    const std::size_t n = 200000;
    cols nb{normals(n, 5, "a"), normals(n, 5, "b"), normals(n, 5, "c")};
    const auto r = offroi::decision_summary(nb);
    const double emax3 = 1.5 / std::sqrt(std::numbers::pi);
    double total = 0.0;
    for (std::size_t d = 0; d < 3; ++d) {
        CHECK(std::fabs(r.p_best[d].value - 1.0 / 3.0) <= 3.0 * r.p_best[d].se);
        CHECK(r.p_best[d].se == doctest::Approx(std::sqrt(2.0 / 9.0 / double(n))).epsilon(0.01));
        CHECK(std::fabs(r.expected_loss[d].value - emax3) <= 3.0 * r.expected_loss[d].se);
        total += r.p_best[d].value;
    }
    CHECK(total == doctest::Approx(1.0).epsilon(1e-12));
}

TEST_CASE("ties share P(best); a dominated option has loss = the gap") {
    // Options 0 and 1 identical, option 2 = option 0 - 1: P(best) = 1/2, 1/2, 0 exactly;
    // expected loss 0, 0, 1 exactly; EVPI 0.
    const std::size_t n = 1000;
    auto a = normals(n, 9, "x");
    std::vector<double> c(n);
    for (std::size_t i = 0; i < n; ++i) c[i] = a[i] - 1.0;
    cols nb{a, a, c};
    const auto r = offroi::decision_summary(nb);
    CHECK(r.p_best[0].value == 0.5);
    CHECK(r.p_best[1].value == 0.5);
    CHECK(r.p_best[2].value == 0.0);
    CHECK(r.expected_loss[0].value == 0.0);
    CHECK(r.expected_loss[2].value == doctest::Approx(1.0).epsilon(1e-12));
    CHECK(r.evpi.value == 0.0);
    CHECK(r.best == 0);
}

TEST_CASE("EVPPI of a sum of independent normals: 1, 2 and 4 inputs") {
    // INB = mu + X1 + X2 + X3 + X4, X_j ~ N(0, s_j^2) independent. E[INB | X_G] = mu + sum_G X_j,
    // so EVPPI(G) = E[max(0, mu + N(0, S_G^2))] - max(0, mu), S_G^2 = sum_G s_j^2; with mu = 0,
    // EVPPI(X1) = s1 / sqrt(2 pi).
    const std::size_t n = 100000;
    const double s[4] = {1.0, 0.7, 0.5, 1.2};
    for (double mu : {0.0, 0.6}) {
        cols x{normals(n, 21, "x1", 0, s[0]), normals(n, 21, "x2", 0, s[1]), normals(n, 21, "x3", 0, s[2]),
               normals(n, 21, "x4", 0, s[3])};
        std::vector<double> inb(n);
        for (std::size_t i = 0; i < n; ++i) inb[i] = mu + x[0][i] + x[1][i] + x[2][i] + x[3][i];
        cols nb{std::vector<double>(n, 0.0), inb};
        auto exact = [&](std::initializer_list<int> g) {
            double v = 0.0;
            for (int j : g) v += s[j] * s[j];
            return emax0(mu, std::sqrt(v)) - std::max(0.0, mu);
        };
        CAPTURE(mu);
        const auto e1 = offroi::evppi(nb, std::span<const double>(x[0]));
        MESSAGE("mu " << mu << " EVPPI(X1) " << e1.value << " +- " << e1.se << " exact " << exact({0}) << " " << e1.method_name);
        CHECK(e1.method == offroi::regression_method::spline);
        CHECK(std::fabs(e1.value - exact({0})) <= 3.0 * e1.se);
        const auto e4 = offroi::evppi(nb, std::span<const double>(x[3]));
        CHECK(std::fabs(e4.value - exact({3})) <= 3.0 * e4.se);
        const auto e12 = offroi::evppi(nb, cols{x[0], x[1]});
        MESSAGE("EVPPI(X1,X2) " << e12.value << " +- " << e12.se << " exact " << exact({0, 1}) << " " << e12.method_name);
        CHECK(e12.method_name == "tensor P-spline (GCV)");
        CHECK(std::fabs(e12.value - exact({0, 1})) <= 3.0 * e12.se);
        const auto e123 = offroi::evppi(nb, cols{x[0], x[1], x[2]});
        MESSAGE("EVPPI(X1,X2,X3) " << e123.value << " +- " << e123.se << " exact " << exact({0, 1, 2}) << " "
                                   << e123.method_name << " R2 " << e123.r_squared[0]);
        CHECK(e123.method == offroi::regression_method::boosted_trees);
        CHECK(std::fabs(e123.value - exact({0, 1, 2})) <= 3.0 * e123.se);
        const auto all = offroi::evppi(nb, x);
        const auto pi = offroi::evpi(nb);
        MESSAGE("EVPPI(all) " << all.value << " +- " << all.se << " EVPI " << pi.value << " +- " << pi.se);
        CHECK(std::fabs(all.value - exact({0, 1, 2, 3})) <= 3.0 * all.se);
    }
}

namespace {

// A small nonlinear decision: X1 ~ U(0, 1), X2 ~ N(0, 1), X3 ~ U(0, 1), noise e1, e2 ~ N(0, 1)
// (the part no input explains, like the model's risk events);
//   NB_0 = 0, NB_1 = 3 exp(X1) (1 + 0.5 X2 X3) - 5.5 + e1, NB_2 = 2.5 X3^2 + X1 X2 - 0.7 + e2
// (means 0, -0.345, 0.133: no two options are tied on average, which would bias nested Monte
// Carlo's inner maximum by the inner noise).
struct nonlinear_case {
    static void nb(double x1, double x2, double x3, double e1, double e2, double* out) {
        out[0] = 0.0;
        out[1] = 3.0 * std::exp(x1) * (1.0 + 0.5 * x2 * x3) - 5.5 + e1;
        out[2] = 2.5 * x3 * x3 + x1 * x2 - 0.7 + e2;
    }
    cols x, nbs;
    nonlinear_case(std::size_t n, std::uint64_t seed) {
        x = {uniforms(n, seed, "x1"), normals(n, seed, "x2"), uniforms(n, seed, "x3")};
        const auto e1 = normals(n, seed, "e1"), e2 = normals(n, seed, "e2");
        nbs.assign(3, std::vector<double>(n));
        double o[3];
        for (std::size_t i = 0; i < n; ++i) {
            nb(x[0][i], x[1][i], x[2][i], e1[i], e2[i], o);
            for (int d = 0; d < 3; ++d) nbs[std::size_t(d)][i] = o[d];
        }
    }
};

// Nested Monte Carlo EVPPI of the inputs in `outer` (a mask over X1, X2, X3): M outer draws of
// those inputs; for each, N inner draws of the other inputs and the noise, giving the
// conditional means mu_d(x_m); EVPPI = mean_m max_d mu_d - max_d mean_m mu_d, SE = sd_m of
// (max_d mu_d(x_m) - mu_{d*}(x_m)) / sqrt(M). The inner error (sd of an inner mean of a gap ~ 3 / sqrt(N) = 0.07)
// biases max_d mu_d up by about var / 2 times the density of the gap at 0, ~0.002 here, a
// third of the outer SE.
offroi::mc_estimate nested_evppi(std::array<bool, 3> outer, std::size_t M, std::size_t N, std::uint64_t seed) {
    offroi::philox_stream so(seed, offroi::stream_id("outer")), si(seed, offroi::stream_id("inner"));
    auto draw = [](const offroi::philox_stream& s, std::uint64_t t, std::uint64_t base, double* v) {
        v[0] = s.uniform(t, base + 0);
        v[1] = offroi::detail::normal_quantile(s.uniform(t, base + 1));
        v[2] = s.uniform(t, base + 2);
        v[3] = offroi::detail::normal_quantile(s.uniform(t, base + 3));
        v[4] = offroi::detail::normal_quantile(s.uniform(t, base + 4));
    };
    std::vector<std::array<double, 3>> mu(M);
    for (std::size_t m = 0; m < M; ++m) {
        double xo[5];
        draw(so, m, 0, xo);
        std::array<double, 3> s{0, 0, 0};
        for (std::size_t k = 0; k < N; ++k) {
            double xi[5], o[3];
            draw(si, m * N + k, 0, xi);
            for (int j = 0; j < 3; ++j)
                if (outer[std::size_t(j)]) xi[j] = xo[j];
            nonlinear_case::nb(xi[0], xi[1], xi[2], xi[3], xi[4], o);
            for (int d = 0; d < 3; ++d) s[std::size_t(d)] += o[d];
        }
        for (int d = 0; d < 3; ++d) mu[m][std::size_t(d)] = s[std::size_t(d)] / double(N);
    }
    std::array<double, 3> mean{0, 0, 0};
    for (const auto& v : mu)
        for (int d = 0; d < 3; ++d) mean[std::size_t(d)] += v[std::size_t(d)] / double(M);
    const std::size_t star = std::size_t(std::max_element(mean.begin(), mean.end()) - mean.begin());
    std::vector<double> g(M);
    double s = 0.0;
    for (std::size_t m = 0; m < M; ++m) {
        g[m] = *std::max_element(mu[m].begin(), mu[m].end()) - mu[m][star];
        s += g[m];
    }
    const double v = s / double(M);
    double ss = 0.0;
    for (double x : g) ss += (x - v) * (x - v);
    return {v, std::sqrt(ss / double(M - 1) / double(M))};
}

}  // namespace

TEST_CASE("EVPPI of a nonlinear three-option decision agrees with nested Monte Carlo") {
    // Regression on n = 50000 samples against nested Monte Carlo (M = 12000 outer x N = 2000
    // inner draws): each within 3 combined SEs, sqrt(se_reg^2 + se_nested^2).
    const nonlinear_case c(50000, 7);
    struct group {
        std::array<bool, 3> mask;
        cols x;
        std::string name;
    };
    const std::vector<group> groups{{{true, false, false}, {c.x[0]}, "X1"},
                                    {{false, true, false}, {c.x[1]}, "X2"},
                                    {{false, false, true}, {c.x[2]}, "X3"},
                                    {{true, true, false}, {c.x[0], c.x[1]}, "X1,X2"},
                                    {{true, false, true}, {c.x[0], c.x[2]}, "X1,X3"},
                                    {{true, true, true}, {c.x[0], c.x[1], c.x[2]}, "X1,X2,X3"}};
    for (const auto& g : groups) {
        const auto reg = offroi::evppi(c.nbs, g.x);
        const auto nest = nested_evppi(g.mask, 12000, 2000, 99);
        const double tol = 3.0 * std::sqrt(reg.se * reg.se + nest.se * nest.se);
        MESSAGE(g.name << ": regression " << reg.value << " +- " << reg.se << " (" << reg.method_name << "), nested "
                       << nest.value << " +- " << nest.se);
        CAPTURE(g.name);
        CHECK(std::fabs(reg.value - nest.value) <= tol);
    }
    const auto pi = offroi::evpi(c.nbs);
    MESSAGE("EVPI " << pi.value << " +- " << pi.se);
}

TEST_CASE("EVPPI standard errors match the spread over seeds") {
    // R = 40 independent samples of n = 20000 trials of the nonlinear case. EVPPI(X1) is known
    // exactly: E[NB_1 | x1] = 3 e^x1 - 5.5, E[NB_2 | x1] = 2.5 / 3 - 0.7, so EVPPI(X1) =
    // int_{x0}^1 (3 e^x - 5.5 - 0.1333) dx with x0 = ln(5.6333 / 3).
    // Checks: (a) the sd of the R estimates over the mean reported SE is in [0.7, 1.4] (the
    // sample sd of 40 values has a relative SE of 1/sqrt(78) = 11%, so this is +-3 SE of a
    // ratio of 1); (b) the mean estimate is within 3 sd / sqrt(R) of the exact value (bias).
    const double c = 2.5 / 3.0 - 0.7, x0 = std::log((5.5 + c) / 3.0);
    const double exact = 3.0 * (std::exp(1.0) - std::exp(x0)) - (5.5 + c) * (1.0 - x0);
    for (int method = 0; method < 2; ++method) {
        const int R = method == 0 ? 40 : 20;
        std::vector<double> est, se;
        for (int r = 0; r < R; ++r) {
            const nonlinear_case cs(20000, 1000 + std::uint64_t(r));
            offroi::evppi_options o;
            if (method == 1) o.regression.method = offroi::regression_method::boosted_trees;
            const auto e = offroi::evppi(cs.nbs, std::span<const double>(cs.x[0]), o);
            est.push_back(e.value);
            se.push_back(e.se);
        }
        double m = 0.0, ms = 0.0;
        for (int r = 0; r < R; ++r) {
            m += est[std::size_t(r)] / R;
            ms += se[std::size_t(r)] / R;
        }
        double ss = 0.0;
        for (double v : est) ss += (v - m) * (v - m);
        const double sd = std::sqrt(ss / (R - 1));
        MESSAGE("method " << method << ": mean " << m << " exact " << exact << " sd over seeds " << sd
                          << " mean SE " << ms << " ratio " << sd / ms);
        CHECK(sd / ms >= 0.7);
        CHECK(sd / ms <= 1.4);
        CHECK(std::fabs(m - exact) <= 3.0 * sd / std::sqrt(double(R)));
    }
}

TEST_CASE("evppi_each: one EVPPI per input, the same bits for any thread count") {
    const nonlinear_case c(20000, 3);
    const auto nb = offroi::column_spans(c.nbs), x = offroi::column_spans(c.x);
    const auto one = offroi::evppi_each(offroi::sample_columns(nb), offroi::sample_columns(x), {}, 1);
    for (unsigned t : {2u, 3u, 0u}) {
        const auto many = offroi::evppi_each(offroi::sample_columns(nb), offroi::sample_columns(x), {}, t);
        REQUIRE(many.size() == 3);
        for (std::size_t j = 0; j < 3; ++j) {
            CHECK(many[j].value == one[j].value);
            CHECK(many[j].se == one[j].se);
        }
    }
    for (std::size_t j = 0; j < 3; ++j) CHECK(one[j].value == offroi::evppi(c.nbs, std::span<const double>(c.x[j])).value);
    // A group fitted by trees on 1 or 2 threads: the same bits.
    offroi::evppi_options o;
    o.regression.threads = 1;
    const auto g1 = offroi::evppi(c.nbs, c.x, o);
    o.regression.threads = 2;
    const auto g2 = offroi::evppi(c.nbs, c.x, o);
    CHECK(g1.value == g2.value);
    CHECK(g1.se == g2.se);
}

TEST_CASE("value_of_fitted: the exact conditional means give the EVPPI of a known case") {
    // INB = X1 + X2 (N(0, 1) each); fitted with the true E[INB | X1] = X1: value = mean max(0, x1)
    // - max(0, mean x1), within 3 SE of 1 / sqrt(2 pi); the same as evppi's spline within 3 SE.
    const std::size_t n = 50000;
    const auto x1 = normals(n, 31, "x1"), x2 = normals(n, 31, "x2");
    std::vector<double> inb(n);
    for (std::size_t i = 0; i < n; ++i) inb[i] = x1[i] + x2[i];
    const cols nb{std::vector<double>(n, 0.0), inb};
    const auto spans = offroi::column_spans(nb);
    const auto v = offroi::value_of_fitted(offroi::sample_columns(spans), cols{std::vector<double>(n, 0.0), x1});
    CHECK(std::fabs(v.value - inv_sqrt_2pi) <= 3.0 * v.se);
    const auto e = offroi::evppi(nb, std::span<const double>(x1));
    CHECK(std::fabs(e.value - v.value) <= 3.0 * v.se);
}

TEST_CASE("bad input: the field, the value and what is allowed") {
    auto msg = [](auto&& f) -> std::string {
        try {
            f();
        } catch (const offroi::invalid_argument& e) {
            return e.what();
        }
        return "no throw";
    };
    const std::vector<double> a(20, 1.0), b(19, 1.0);
    CHECK(msg([&] { offroi::decision_summary(cols{}); }) ==
          "offroi::decision_summary: nb (options) = 0 is invalid; must be >= 1 option column");
    CHECK(msg([&] { offroi::decision_summary(cols{a, b}); }) ==
          "offroi::decision_summary: nb[1] length = 19 is invalid; must equal the length of nb[0], 20");
    CHECK(msg([&] { offroi::evpi(cols{{1.0}, {2.0}}); }) ==
          "offroi::decision_summary: trials (length of nb[0]) = 1 is invalid; must be >= 2");
    auto c = a;
    c[3] = std::nan("");
    CHECK(msg([&] { offroi::evpi(cols{a, c}); }) == "offroi::decision_summary: nb[1][3] = nan is invalid; must be finite");
    c[3] = std::numeric_limits<double>::infinity();
    CHECK(msg([&] { offroi::evpi(cols{a, c}); }) == "offroi::decision_summary: nb[1][3] = inf is invalid; must be finite");
    CHECK(msg([&] { offroi::evppi(cols{a, a}, std::span<const double>(b)); }) ==
          "offroi::evppi: inputs[0] length = 19 is invalid; must equal the number of trials of nb, 20");
    CHECK(msg([&] { offroi::evppi(cols{a, a}, cols{}); }) ==
          "offroi::evppi: inputs (columns) = 0 is invalid; must be >= 1 input column");
    CHECK(msg([&] { offroi::evppi(cols{std::vector<double>(5, 0.0)}, std::span<const double>(a.data(), 5)); }) ==
          "offroi::evppi: trials (length of nb[0]) = 5 is invalid; must be >= 10");
    auto x = a;
    x[2] = std::nan("");
    CHECK(msg([&] { offroi::evppi(cols{a, a}, std::span<const double>(x)); }) ==
          "offroi::nb_regression::fit: inputs[0][2] = nan is invalid; must not be NaN (+-inf is allowed: inputs enter by "
          "rank)");
    const cols nbc{a, a}, xc{a, x};
    const auto nb = offroi::column_spans(nbc);
    const auto xs = offroi::column_spans(xc);
    CHECK(msg([&] { offroi::evppi_each(offroi::sample_columns(nb), offroi::sample_columns(xs)); }) ==
          "offroi::evppi_each: inputs[1][2] = nan is invalid; must not be NaN (+-inf is allowed: inputs enter by rank)");
    CHECK(msg([&] { offroi::value_of_fitted(offroi::sample_columns(nb), cols{a}); }) ==
          "offroi::value_of_fitted: fitted (columns) = 1 is invalid; must equal the number of options, 2");
    // One option: nothing to decide, EVPI and EVPPI are 0.
    CHECK(offroi::evpi(cols{a}).value == 0.0);
    CHECK(offroi::evppi(cols{a}, std::span<const double>(a)).value == 0.0);
}

TEST_CASE("evppi with reached options: the others at their means, exact when the inputs do not reach them") {
    // Options: 0 (NB 0), 1: X1 + X2, 2: 0.2 + X3; X ~ N(0, 1) independent. X1 reaches only
    // option 1: E[NB_1 | X1] = X1, E[NB_2 | X1] = 0.2, so EVPPI(X1) = E[max(0, X1, 0.2)] - 0.2
    // = E[(X1 - 0.2)^+] = phi(0.2) - 0.2 (1 - Phi(0.2)) = 0.30689. Tolerance 4 SE (the
    // estimator's own SE; 0.006% two-sided under normality).
    const std::size_t n = 100000;
    const auto x1 = normals(n, 31, "x1"), x2 = normals(n, 31, "x2"), x3 = normals(n, 31, "x3");
    std::vector<double> nb1(n), nb2(n);
    for (std::size_t i = 0; i < n; ++i) {
        nb1[i] = x1[i] + x2[i];
        nb2[i] = 0.2 + x3[i];
    }
    const cols nb{std::vector<double>(n, 0.0), nb1, nb2};
    const double exact = phi(0.2) - 0.2 * (1.0 - Phi(0.2));
    offroi::evppi_options o;
    o.reached = {1};
    const auto r = offroi::evppi(nb, std::span<const double>(x1), o);
    MESSAGE("EVPPI(X1), option 1 reached: " << r.value << " +- " << r.se << " exact " << exact);
    CHECK(std::fabs(r.value - exact) <= 4.0 * r.se);
    CHECK(r.r_squared.size() == 2);
    CHECK(r.r_squared[1] == 0.0);  // option 2 not regressed
    CHECK(r.r_squared[0] == doctest::Approx(0.5).epsilon(0.02));  // Var X1 / Var(X1 + X2)
    // All options regressed: the same quantity, within the combined SE.
    const auto all = offroi::evppi(nb, std::span<const double>(x1));
    CHECK(std::fabs(all.value - exact) <= 4.0 * all.se);
    // Declaring the wrong option reached loses the information: option 1 sits at its mean 0,
    // option 2's regression on X1 is flat, so the rule is "always 2" and the value is ~0.
    o.reached = {2};
    CHECK(offroi::evppi(nb, std::span<const double>(x1), o).value < 0.02);
    o.reached = {3};
    CHECK_THROWS_AS(offroi::evppi(nb, std::span<const double>(x1), o), offroi::invalid_argument);
    o.reached = {1, 1};
    CHECK_THROWS_AS(offroi::evppi(nb, std::span<const double>(x1), o), offroi::invalid_argument);
}

}  // namespace decision_value_of_information_test
