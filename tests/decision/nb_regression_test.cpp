#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <span>
#include <string>
#include <vector>

#include "offroi/decision/nb_regression.hpp"
#include "offroi/distributions/detail/normal_math.hpp"
#include "offroi/error.hpp"
#include "offroi/random/philox.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace decision_nb_regression_test {

namespace {

using cols = std::vector<std::vector<double>>;

std::vector<double> uniforms(std::size_t n, std::uint64_t seed, const char* name) {
    offroi::philox_stream s(seed, offroi::stream_id(name));
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = s.uniform(i);
    return v;
}

std::vector<double> normals(std::size_t n, std::uint64_t seed, const char* name) {
    offroi::philox_stream s(seed, offroi::stream_id(name));
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = offroi::detail::normal_quantile(s.uniform(i));
    return v;
}

offroi::nb_regression fit(const cols& x, const cols& y, const offroi::nb_regression_options& o = {}) {
    const auto xs = std::vector<std::span<const double>>(x.begin(), x.end());
    const auto ys = std::vector<std::span<const double>>(y.begin(), y.end());
    offroi::nb_regression r;
    r.fit(offroi::nb_regression::columns(xs), offroi::nb_regression::columns(ys), o);
    return r;
}

cols predict(const offroi::nb_regression& r, const cols& x) {
    const auto xs = std::vector<std::span<const double>>(x.begin(), x.end());
    return r.predict(offroi::nb_regression::columns(xs));
}

}  // namespace

TEST_CASE("one input: the P-spline recovers a smooth curve and predicts between and beyond the samples") {
    // y = sin(2 pi x) + 0.5 x + N(0, 1), x ~ U(0, 1), n = 20000. A GCV spline with edf ~ 10
    // has pointwise SE ~ sigma sqrt(edf / n) = 0.022; the RMS error over a grid of new
    // points must be below 0.05 (~2.3 pointwise SEs; a wrong smoothing, e.g. a straight
    // line, gives RMS 0.7, and no smoothing at all 1.0).
    const std::size_t n = 20000;
    const auto x = uniforms(n, 3, "x"), e = normals(n, 3, "e");
    std::vector<double> y(n);
    auto f = [](double v) { return std::sin(2.0 * std::numbers::pi * v) + 0.5 * v; };
    for (std::size_t i = 0; i < n; ++i) y[i] = f(x[i]) + e[i];
    const auto r = fit({x}, {y});
    CHECK(r.method() == offroi::regression_method::spline);
    CHECK(r.method_name() == "P-spline (GCV)");
    CHECK(r.segments() == 40);
    CHECK(r.effective_df()[0] > 4.0);
    CHECK(r.effective_df()[0] < 30.0);
    std::vector<double> grid;
    for (int k = 1; k < 100; ++k) grid.push_back(k / 100.0);
    const auto p = r.predict(std::span<const double>(grid));
    double ss = 0.0;
    for (std::size_t k = 0; k < grid.size(); ++k) ss += (p[0][k] - f(grid[k])) * (p[0][k] - f(grid[k]));
    const double rms = std::sqrt(ss / double(grid.size()));
    MESSAGE("RMS error " << rms << ", edf " << r.effective_df()[0] << ", R2 " << r.r_squared()[0]);
    CHECK(rms < 0.05);
    // R^2 of the fit ~ Var(f) / (Var(f) + 1), Var(f) = 1/2 + 1/48 - 1/(2 pi) = 0.3617
    // (cov(sin 2 pi x, x) = -1/(2 pi)); the sample R^2 has SE ~ 0.01.
    const double vf = 0.5 + 1.0 / 48.0 - 1.0 / (2.0 * std::numbers::pi);
    CHECK(std::fabs(r.r_squared()[0] - vf / (vf + 1.0)) < 0.02);
    // At the training points the prediction is the fitted value.
    const auto at = r.predict(std::span<const double>(x.data(), 50));
    for (std::size_t i = 0; i < 50; ++i) CHECK(at[0][i] == doctest::Approx(r.fitted()[0][i]).epsilon(1e-12));
    // Beyond the range: the end values.
    const std::vector<double> out{-5.0, 7.0, -std::numeric_limits<double>::infinity()};
    const auto q = r.predict(std::span<const double>(out));
    CHECK(q[0][0] == q[0][2]);
    CHECK(std::fabs(q[0][0] - f(0.0)) < 0.2);
    CHECK(std::fabs(q[0][1] - f(1.0)) < 0.2);
}

TEST_CASE("ranks: a monotone transform of the input gives the same fit; infinite draws are allowed") {
    // exp(x) has the ranks of x, so the fitted values are the same bits; +inf draws (a
    // seat never filled) are the largest ranks.
    const std::size_t n = 5000;
    const auto x = uniforms(n, 4, "x"), e = normals(n, 4, "e");
    std::vector<double> y(n), ex(n), xi(x);
    for (std::size_t i = 0; i < n; ++i) {
        y[i] = 2.0 * x[i] * x[i] + e[i];
        ex[i] = std::exp(5.0 * x[i]);
    }
    const auto a = fit({x}, {y}), b = fit({ex}, {y});
    for (std::size_t i = 0; i < n; ++i) CHECK(a.fitted()[0][i] == b.fitted()[0][i]);
    for (std::size_t i = 0; i < n; ++i)
        if (x[i] > 0.99) xi[i] = std::numeric_limits<double>::infinity();
    const auto c = fit({xi}, {y});
    for (std::size_t i = 0; i < n; ++i) CHECK(std::isfinite(c.fitted()[0][i]));
}

TEST_CASE("a discrete input uses the cell means, which are exact") {
    // x in {0, 1, 2, 3}: fitted = the mean of y at each level, to rounding.
    const std::size_t n = 4000;
    const auto u = uniforms(n, 5, "x"), e = normals(n, 5, "e");
    std::vector<double> x(n), y(n);
    double s[4] = {0, 0, 0, 0}, c[4] = {0, 0, 0, 0};
    for (std::size_t i = 0; i < n; ++i) {
        x[i] = std::floor(4.0 * u[i]);
        y[i] = x[i] * x[i] + e[i];
        s[int(x[i])] += y[i];
        c[int(x[i])] += 1.0;
    }
    const auto r = fit({x}, {y});
    CHECK(r.method() == offroi::regression_method::cell_means);
    CHECK(r.effective_df()[0] == 4.0);
    for (std::size_t i = 0; i < n; ++i) CHECK(r.fitted()[0][i] == doctest::Approx(s[int(x[i])] / c[int(x[i])]).epsilon(1e-12));
    // Between levels 1 and 2: linear interpolation of their means.
    const std::vector<double> mid{1.5};
    CHECK(r.predict(std::span<const double>(mid))[0][0] ==
          doctest::Approx(0.5 * (s[1] / c[1] + s[2] / c[2])).epsilon(1e-12));
}

TEST_CASE("two inputs: the tensor P-spline finds an interaction") {
    // y = 4 (x1 - 0.5)(x2 - 0.5) + N(0, 0.5^2), n = 20000: no main effects, so a fit of either
    // input alone explains nothing; the tensor spline's RMS error over a grid must be < 0.05
    // (the interaction's own RMS is 0.33; pointwise SE ~ 0.5 sqrt(edf / n) ~ 0.02 at edf ~ 30).
    const std::size_t n = 20000;
    const auto x1 = uniforms(n, 6, "x1"), x2 = uniforms(n, 6, "x2"), e = normals(n, 6, "e");
    std::vector<double> y(n);
    auto f = [](double a, double b) { return 4.0 * (a - 0.5) * (b - 0.5); };
    for (std::size_t i = 0; i < n; ++i) y[i] = f(x1[i], x2[i]) + 0.5 * e[i];
    const auto r = fit({x1, x2}, {y});
    CHECK(r.method_name() == "tensor P-spline (GCV)");
    cols g(2);
    for (int a = 1; a < 20; ++a)
        for (int b = 1; b < 20; ++b) {
            g[0].push_back(a / 20.0);
            g[1].push_back(b / 20.0);
        }
    const auto p = predict(r, g);
    double ss = 0.0;
    for (std::size_t k = 0; k < g[0].size(); ++k) ss += std::pow(p[0][k] - f(g[0][k], g[1][k]), 2);
    const double rms = std::sqrt(ss / double(g[0].size()));
    MESSAGE("tensor RMS " << rms << " edf " << r.effective_df()[0]);
    CHECK(rms < 0.05);
}

TEST_CASE("three or more inputs: cross-fitted boosted trees; predictions at new points") {
    // y = x1 + x2^2 + 2 x1 x3 + N(0, 1) with x ~ N(0, 1): main effects and an interaction. The
    // out-of-fold R^2 must approach the attainable Var(f) / (Var(f) + 1) = 7 / 8 (Var f =
    // 1 + 2 + 4); predictions at 2000 new points have RMS error below 0.4 (measured 0.31:
    // the product of two normals is hard for trees in the tails; an additive model without the
    // interaction has RMS 2, the mean alone 2.6).
    const std::size_t n = 40000;
    const auto x1 = normals(n, 8, "x1"), x2 = normals(n, 8, "x2"), x3 = normals(n, 8, "x3"), e = normals(n, 8, "e");
    auto f = [](double a, double b, double c) { return a + b * b + 2.0 * a * c; };
    std::vector<double> y(n);
    for (std::size_t i = 0; i < n; ++i) y[i] = f(x1[i], x2[i], x3[i]) + e[i];
    offroi::nb_regression_options o;
    o.threads = 1;
    const auto r = fit({x1, x2, x3}, {y}, o);
    CHECK(r.method() == offroi::regression_method::boosted_trees);
    CHECK(r.boosting_rounds() > 10);
    MESSAGE("trees R2 " << r.r_squared()[0] << " rounds " << r.boosting_rounds());
    CHECK(r.r_squared()[0] > 0.85);
    CHECK(r.r_squared()[0] < 0.875 + 0.005);  // out-of-fold: cannot beat the noise (+3 SE of R^2)
    const std::size_t m = 2000;
    cols z{normals(m, 9, "x1"), normals(m, 9, "x2"), normals(m, 9, "x3")};
    const auto p = predict(r, z);
    double ss = 0.0;
    for (std::size_t i = 0; i < m; ++i) ss += std::pow(p[0][i] - f(z[0][i], z[1][i], z[2][i]), 2);
    const double rms = std::sqrt(ss / double(m));
    MESSAGE("trees RMS at new points " << rms);
    CHECK(rms < 0.4);
    // The thread count does not change a bit.
    o.threads = 2;
    const auto r2 = fit({x1, x2, x3}, {y}, o);
    CHECK(r2.fitted() == r.fitted());
    CHECK(predict(r2, z) == p);
}

TEST_CASE("bad input names the field, the value and what is allowed") {
    const std::size_t n = 100;
    const auto x = uniforms(n, 1, "x");
    auto msg = [&](const cols& xs, const cols& ys, const offroi::nb_regression_options& o = {}) -> std::string {
        try {
            fit(xs, ys, o);
        } catch (const offroi::invalid_argument& e) {
            return e.what();
        }
        return "no throw";
    };
    CHECK(msg({}, {x}) == "offroi::nb_regression::fit: inputs (columns) = 0 is invalid; must be >= 1 input column");
    CHECK(msg({x}, {}) == "offroi::nb_regression::fit: responses (columns) = 0 is invalid; must be >= 1 response column");
    CHECK(msg({std::vector<double>(5, 1.0)}, {std::vector<double>(5, 1.0)}) ==
          "offroi::nb_regression::fit: trials (length of responses[0]) = 5 is invalid; must be >= 10 for a regression");
    CHECK(msg({std::vector<double>(99, 1.0)}, {x}) ==
          "offroi::nb_regression::fit: inputs[0] length = 99 is invalid; must equal the number of trials of the "
          "responses, 100");
    auto bad = x;
    bad[7] = std::nan("");
    CHECK(msg({bad}, {x}) ==
          "offroi::nb_regression::fit: inputs[0][7] = nan is invalid; must not be NaN (+-inf is allowed: inputs enter by "
          "rank)");
    CHECK(msg({x}, {bad}) == "offroi::nb_regression::fit: responses[0][7] = nan is invalid; must be finite");
    offroi::nb_regression_options o;
    o.method = offroi::regression_method::spline;
    CHECK(msg({x, x, x}, {x}, o) ==
          "offroi::nb_regression::fit: inputs (columns) for method spline = 3 is invalid; must be 1 or 2 (use "
          "boosted_trees or automatic for 3 or more)");
    o = {};
    o.trees.folds = 1;
    CHECK(msg({x}, {x}, o) ==
          "offroi::nb_regression::fit: trees.folds = 1 is invalid; must be >= 2 and <= the number of trials");
    o = {};
    o.trees.learning_rate = 0.0;
    CHECK(msg({x}, {x}, o) == "offroi::nb_regression::fit: trees.learning_rate = 0 is invalid; must be in (0, 1]");
    offroi::nb_regression r;
    CHECK_THROWS_AS(r.predict(std::span<const double>(x)), offroi::invalid_argument);
    r = fit({x}, {x});
    CHECK_THROWS_WITH_AS(predict(r, {x, x}),
                         "offroi::nb_regression::predict: inputs (columns) = 2 is invalid; must equal the number of "
                         "inputs fitted, 1",
                         offroi::invalid_argument);
}

}  // namespace decision_nb_regression_test
