#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "offroi/decision/option_frontier.hpp"
#include "offroi/distributions/detail/normal_math.hpp"
#include "offroi/random/philox.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace decision_option_frontier_test {

using namespace offroi;

namespace {
// n values mu + w z_j, z_j the standard normal quantiles at (j + 1/2) / n: a sample whose
// statistics approach those of N(mu, w^2) with no Monte Carlo noise.
std::vector<double> normal_grid(double mu, double w, std::size_t n = 1000) {
    std::vector<double> v(n);
    for (std::size_t j = 0; j < n; ++j) v[j] = mu + w * detail::normal_quantile((double(j) + 0.5) / double(n));
    return v;
}
constexpr std::size_t npos = frontier_point::npos;
}  // namespace

TEST_CASE("efficient_options: dominance by hand") {
    // (mean, P10): 0 (10, 8.9), 1 (12, 1.8), 2 (9, 7.9) dominated by 0, 3 (11, 5.8),
    // 4 (10.5, 1.45) dominated by 3, 5 = 0 (equal points do not dominate each other).
    const std::vector<double> a{10, 12, 9, 11, 10.5, 10}, b{8.9, 1.8, 7.9, 5.8, 1.45, 8.9};
    const auto e = efficient_options(a, b);
    CHECK(e == std::vector<bool>{true, true, false, true, false, true});
    // Equal mean, better risk dominates.
    const std::vector<double> c{1, 1}, d{0, 1};
    CHECK(efficient_options(c, d) == std::vector<bool>{false, true});
    CHECK_THROWS_WITH_AS(efficient_options(c, std::vector<double>{1}), doctest::Contains("b size = 1 is invalid"),
                         invalid_argument);
    CHECK_THROWS_WITH_AS(efficient_options(c, std::vector<double>{1, NAN}), doctest::Contains("b[1] = nan is invalid"),
                         invalid_argument);
}

TEST_CASE("option_frontier: statistics by hand on 1..20") {
    std::vector<double> x(20), y(20);
    for (int i = 0; i < 20; ++i) {
        x[std::size_t(i)] = i + 1;   // 1..20
        y[std::size_t(i)] = i - 4;   // -4..15
    }
    const auto f = option_frontier(std::vector<std::vector<double>>{x, y});
    const auto& a = f.options[0];
    const auto& b = f.options[1];
    CHECK(a.mean == 10.5);
    CHECK(a.mean_se == doctest::Approx(std::sqrt(35.0 / 20.0)).epsilon(1e-14));  // var(1..20) = 35
    // Type 7: h = 0.1 x 19 = 1.9 -> x_(1) + 0.9 (x_(2) - x_(1)) = 2.9.
    CHECK(a.percentile == doctest::Approx(2.9).epsilon(1e-15));
    // CVaR 10%: m = 2 -> (1 + 2) / 2.
    CHECK(a.cvar == 1.5);
    CHECK(a.prob_loss == 0);
    CHECK(b.mean == 5.5);
    CHECK(b.percentile == doctest::Approx(-2.1).epsilon(1e-15));
    CHECK(b.cvar == -3.5);
    CHECK(b.prob_loss == 0.2);  // -4..-1; 0 is not a loss
    CHECK(b.prob_loss_se == doctest::Approx(std::sqrt(0.2 * 0.8 / 20)).epsilon(1e-14));
    // Influence terms (x - q) for x <= q = 2.9: -1.9, -0.9, others 0; var over n-1, / alpha^2 n.
    const double s1 = -2.8, s2 = 1.9 * 1.9 + 0.9 * 0.9;
    const double vh = (s2 - s1 * s1 / 20) / 19;
    CHECK(a.cvar_se == doctest::Approx(std::sqrt(vh / 20) / 0.1).epsilon(1e-12));
    // x dominates y on both planes: the frontier is x alone.
    CHECK(f.percentile_frontier == std::vector<std::size_t>{0});
    CHECK(f.cvar_frontier == std::vector<std::size_t>{0});
    CHECK(b.dominated_by_percentile == 0);
    CHECK(a.dominated_by_percentile == npos);
}

TEST_CASE("option_frontier: a constructed example whose P10 and CVaR frontiers differ") {
    // A ~ N(10, 1); B ~ N(12, 6^2); C ~ N(9, 1) (dominated by A everywhere); F = 11 + 0.5 z
    // with its worst 5% of trials replaced by -5: a good P10 but a bad tail.
    const auto A = normal_grid(10, 1), B = normal_grid(12, 6), C = normal_grid(9, 1);
    auto F = normal_grid(11, 0.5);
    for (std::size_t j = 0; j < 50; ++j) F[j] = -5;
    const auto f = option_frontier(std::vector<std::vector<double>>{A, B, C, F});
    // Known values of the normal grid: P10 = mu + w z_{0.1} (z_{0.1} = -1.28155), CVaR10 =
    // mu - w phi(z_{0.1}) / 0.1 = mu - 1.75498 w. On the grid of 1000 points the type 7 P10
    // sits at h = 99.9, i.e. at level ~0.1004: z moves by 0.0004 / phi(z_{0.1}) = 0.0023;
    // the CVaR is the mean of 100 grid points, within 1e-3 of the integral. Allow 3e-3 w.
    const double z10 = -1.2815515655446004, es10 = -1.7549833193248681;
    CHECK(std::fabs(f.options[0].percentile - (10 + z10)) < 3e-3);
    CHECK(std::fabs(f.options[0].cvar - (10 + es10)) < 3e-3);
    CHECK(std::fabs(f.options[1].cvar - (12 + 6 * es10)) < 6 * 3e-3);
    CHECK(f.options[3].mean > f.options[0].mean);
    CHECK(f.options[3].percentile > f.options[0].percentile);
    CHECK(f.options[3].cvar < f.options[0].cvar);
    // On (mean, P10): F dominates A and C; B and F are the frontier, by mean.
    CHECK(f.percentile_frontier == std::vector<std::size_t>{1, 3});
    CHECK(f.options[0].dominated_by_percentile == 3);
    CHECK(f.options[2].dominated_by_percentile == 3);  // F has the larger mean of A and F
    // On (mean, CVaR): A's safe tail keeps it on the frontier; C is dominated by A.
    CHECK(f.cvar_frontier == std::vector<std::size_t>{1, 3, 0});
    CHECK(f.options[2].dominated_by_cvar == 0);
    CHECK(f.options[0].efficient_cvar);
    CHECK_FALSE(f.options[0].efficient_percentile);
}

TEST_CASE("option_frontier: CVaR standard error matches the normal asymptotics") {
    // For N(0, 1) at alpha = 0.1: q = -1.28155, CVaR = -1.75498, the tail variance V =
    // 1 + q CVaR - CVaR^2 = 0.16920; n var = (V + (1 - alpha)(CVaR - q)^2) / alpha = 3.7093.
    // A random sample of 200 000: the SE formula estimates sqrt(3.7093 / n) with relative
    // error ~ 1/sqrt(2 alpha n) ~ 0.5%; allow 3%.
    const std::size_t n = 200000;
    std::vector<double> x(n);
    for (std::size_t t = 0; t < n; ++t) x[t] = detail::normal_quantile(uniform01(5, 11, t));
    const auto f = option_frontier(std::vector<std::vector<double>>{x});
    const double q = -1.2815515655446004, es = -1.7549833193248681;
    const double v = 1 + q * es - es * es;
    const double nvar = (v + 0.9 * (es - q) * (es - q)) / 0.1;
    CHECK(f.options[0].cvar_se * std::sqrt(double(n)) == doctest::Approx(std::sqrt(nvar)).epsilon(0.03));
    // And the estimate itself lies within 4 of its SEs of the true CVaR.
    CHECK(std::fabs(f.options[0].cvar - es) < 4 * f.options[0].cvar_se);
    CHECK(f.options[0].percentile_ci.contains(q));
}

TEST_CASE("option_frontier: bad input names the field, the value and what is allowed") {
    const std::vector<double> ok{1, 2, 3};
    auto bad = [&](std::vector<std::vector<double>> c, frontier_options o, const char* what) {
        CHECK_THROWS_WITH_AS(option_frontier(c, o), doctest::Contains(what), invalid_argument);
    };
    bad({}, {}, "options = 0 is invalid");
    bad({ok, {1}}, {}, "columns[1] size = 1 is invalid; each option needs at least 2 values");
    bad({ok, {1, INFINITY}}, {}, "columns[1][1] = inf is invalid; values must be finite");
    bad({ok}, {.percentile = 0}, "percentile = 0 is invalid; must be in (0, 1)");
    bad({ok}, {.tail_mass = 1.5}, "tail_mass = 1.5 is invalid; must be in (0, 1]");
    bad({ok}, {.loss_threshold = NAN}, "loss_threshold = nan is invalid");
    bad({ok}, {.confidence_level = 1}, "confidence_level = 1 is invalid");
}

}  // namespace decision_option_frontier_test
