#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "offroi/decision/ranking_selection.hpp"
#include "offroi/random/philox.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace decision_ranking_selection_test {

using namespace offroi;

namespace {

// Synthetic options with known means and variances: X_{i,t} = mu_i + c Z_t + s_i E_{i,t},
// Z and E independent standard normals from counter-based streams (a pure function of
// (seed, option, trial)). Z is common to all options (common random numbers), so
// var(X_i) = c^2 + s_i^2 and var(X_b - X_i) = s_b^2 + s_i^2.
struct synthetic {
    std::vector<double> mu, sd;
    double common = 0;
    std::uint64_t seed = 1;
    void operator()(std::size_t i, std::uint64_t first, std::span<double> v) const {
        for (std::size_t j = 0; j < v.size(); ++j) {
            const std::uint64_t t = first + j;
            const double z = common > 0 ? detail::normal_quantile(uniform01(seed, 77, t)) : 0.0;
            v[j] = mu[i] + common * z + sd[i] * detail::normal_quantile(uniform01(seed, 1000 + i, t));
        }
    }
};

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void check_same(const selection_result& a, const selection_result& b) {
    REQUIRE(a.options.size() == b.options.size());
    CHECK(a.best == b.best);
    CHECK(same_bits(a.apcs, b.apcs));
    CHECK(a.total_trials == b.total_trials);
    CHECK(a.rounds.size() == b.rounds.size());
    for (std::size_t i = 0; i < a.options.size(); ++i) {
        const auto& x = a.options[i];
        const auto& y = b.options[i];
        CHECK(x.trials == y.trials);
        CHECK(same_bits(x.mean, y.mean));
        CHECK(same_bits(x.standard_error, y.standard_error));
        CHECK(same_bits(x.adjusted_mean, y.adjusted_mean));
        CHECK(same_bits(x.adjusted_se, y.adjusted_se));
        CHECK(same_bits(x.difference, y.difference));
        CHECK(same_bits(x.difference_se, y.difference_se));
        CHECK(same_bits(x.pcs, y.pcs));
    }
    REQUIRE(a.values.size() == b.values.size());
    for (std::size_t i = 0; i < a.values.size(); ++i)
        CHECK(std::memcmp(a.values[i].data(), b.values[i].data(), a.values[i].size() * sizeof(double)) == 0);
}

}  // namespace

TEST_CASE("ocba_fractions: Chen et al. (2000) ratios and the paired (CRN) ratios, by hand") {
    // Means 1, 2, 3 (best 3), variances 1: delta = 2, 1. N_0 ∝ 1/4, N_1 ∝ 1,
    // N_b = sigma_b sqrt(N_0^2/sigma_0^2 + N_1^2/sigma_1^2) = sqrt(1/16 + 1) = sqrt(17)/4.
    const std::vector<double> means{1, 2, 3}, var{1, 1, 1};
    const auto f = ocba_fractions(means, var);
    const double wb = std::sqrt(17.0) / 4, sum = 0.25 + 1 + wb;
    CHECK(f[0] == doctest::Approx(0.25 / sum).epsilon(1e-14));
    CHECK(f[1] == doctest::Approx(1 / sum).epsilon(1e-14));
    CHECK(f[2] == doctest::Approx(wb / sum).epsilon(1e-14));
    // Paired: sigma^2_{b-i} = 2 each: N_0 ∝ 2/4, N_1 ∝ 2, N_b = max = 2; sum 4.5.
    const std::vector<double> dvar{2, 2, 0};
    const auto g = ocba_fractions_paired(means, dvar);
    CHECK(g[0] == doctest::Approx(0.5 / 4.5).epsilon(1e-14));
    CHECK(g[1] == doctest::Approx(2 / 4.5).epsilon(1e-14));
    CHECK(g[2] == doctest::Approx(2 / 4.5).epsilon(1e-14));
    // Minimising: the best is the smallest mean; the ratios mirror.
    const std::vector<double> neg{-1, -2, -3};
    const auto h = ocba_fractions(neg, var, false);
    for (int i = 0; i < 3; ++i) CHECK(h[std::size_t(i)] == doctest::Approx(f[std::size_t(i)]).epsilon(1e-14));
}

TEST_CASE("select_best: picks the best of synthetic options; means and differences within their SE") {
    synthetic s;
    s.mu = {0, 1, 2, 2.5, 3};
    s.sd = {3, 2, 4, 2, 3};
    s.common = 20;
    selection_options o;
    o.initial_trials = 100;
    o.increment = 2000;
    o.block = 10;
    o.budget = 200000;
    for (auto v : {comparison_variance::paired, comparison_variance::independent}) {
        o.variance = v;
        const auto r = select_best(5, s, o);
        CHECK(r.best == 4);
        CHECK(r.options[4].best);
        CHECK(r.total_trials == 200000);
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < 5; ++i) {
            const auto& e = r.options[i];
            sum += e.trials;
            // |mean - mu| <= 4 SE: a 4-sigma bound (two-sided 6e-5 per check).
            CHECK(std::fabs(e.mean - s.mu[i]) <= 4 * e.standard_error);
            CHECK(std::fabs(e.adjusted_mean - s.mu[i]) <= 4 * e.adjusted_se);
            CHECK(std::fabs(e.difference - (s.mu[i] - s.mu[4])) <= 4 * e.difference_se);
            CHECK(e.trials % o.block == 0);
        }
        CHECK(sum == r.total_trials);
        CHECK(r.apcs > 0.999);
        if (v == comparison_variance::paired) {
            // The paired SE of a difference is sd(X_b - X_i)/sqrt(n): sqrt(9 + 4)/sqrt(n) for
            // option 3, far below the marginal SE sqrt(400 + 4)/sqrt(n) -- the CRN gain.
            const auto& e = r.options[3];
            CHECK(e.difference_se == doctest::Approx(std::sqrt(13.0 / double(e.difference_trials))).epsilon(0.05));
            CHECK(e.difference_se < 0.25 * e.standard_error);
            // The control-variate mean of an option with fewer trials than the reference (the
            // best, 4, here) is sharper than its own mean: its SE is sigma_i sqrt(1 - rho^2 (1 -
            // n_i / n_r) / n_i) with sigma_i^2 = 400 + s_i^2 and rho = 400 / (sigma_i sigma_r).
            // The estimated rho^2 (~0.97) enters through 1 - rho^2 (1 - f); with thousands of
            // trials its error moves the SE by well under 5%.
            for (std::size_t i = 0; i < 4; ++i) {
                const auto& e = r.options[i];
                const double vi = 400 + s.sd[i] * s.sd[i], vr = 400 + 9.0;
                const double f = double(e.trials) / double(r.options[4].trials);
                const double se = std::sqrt(vi * (1 - 400.0 * 400.0 / (vi * vr) * (1 - f)) / double(e.trials));
                CHECK(e.adjusted_se == doctest::Approx(se).epsilon(0.05));
                if (f < 0.25) CHECK(e.adjusted_se < 0.6 * e.standard_error);
            }
        }
    }
}

TEST_CASE("select_best: the allocation converges to the asymptotic OCBA ratios") {
    synthetic s;
    s.mu = {0, 1, 2, 2.5, 3};
    s.sd = {3, 2, 4, 2, 3};
    selection_options o;
    o.initial_trials = 100;
    o.increment = 2000;
    o.block = 10;
    o.budget = 2000000;
    for (int mode = 0; mode < 2; ++mode) {
        const bool paired = mode == 1;
        s.common = paired ? 20 : 0;
        o.variance = paired ? comparison_variance::paired : comparison_variance::independent;
        const auto r = select_best(5, s, o);
        std::vector<double> v(5);
        for (std::size_t i = 0; i < 5; ++i) v[i] = paired ? s.sd[i] * s.sd[i] + s.sd[4] * s.sd[4] : s.sd[i] * s.sd[i];
        const auto f = paired ? ocba_fractions_paired(s.mu, v) : ocba_fractions(s.mu, v);
        // Tolerance from the standard errors of what the last allocation was computed from:
        // w_i = s^2 / delta^2 has relative SE sqrt(2/(m-1) + (2 SE(delta)/delta)^2) (delta
        // method; chi-square for s^2). The fractions normalise the w's, so each fraction
        // moves by at most a few times the largest of these; we allow 4 of them, plus the
        // granularity of one round (Delta + k blocks) over the total.
        double rel = 0;
        for (std::size_t i = 0; i < 4; ++i) {
            const auto& e = r.options[i];
            const double delta = s.mu[4] - s.mu[i];
            rel = std::max(rel, std::sqrt(2.0 / double(e.difference_trials - 1) +
                                          std::pow(2 * e.difference_se / delta, 2)));
        }
        const double lag = double(o.increment + 5 * o.block) / double(r.total_trials);
        MESSAGE(std::string(paired ? "paired" : "independent") << ": largest relative SE of a weight " << rel);
        for (std::size_t i = 0; i < 5; ++i) {
            const double frac = double(r.options[i].trials) / double(r.total_trials);
            MESSAGE("option " << i << ": fraction " << frac << ", OCBA ratio " << f[i]);
            CHECK(std::fabs(frac - f[i]) <= 4 * rel * f[i] + lag);
        }
        if (paired) CHECK(r.options[4].trials == r.options[3].trials);  // N_b = max N_i
    }
}

TEST_CASE("select_best: OCBA with half the trials selects correctly more often than equal allocation") {
    // Chen et al. (2000), experiment 1: ten options N(i, 6^2), i = 1..10, independent; and
    // the same with a large common component (sd 30) under CRN, paired comparisons. Over
    // R seeds, the per-seed indicator difference 1{OCBA at T correct} - 1{equal at 2T
    // correct} has mean > 0 by more than 3 of its standard errors: equal allocation needs
    // more than twice OCBA's trials for OCBA's probability of correct selection.
    const int R = 2000;
    for (int mode = 0; mode < 2; ++mode) {
        const std::uint64_t T = mode == 0 ? 400 : 300;
        double sum = 0, sum2 = 0, pcs_o = 0, pcs_e = 0, pcs_eT = 0;
        for (int r = 0; r < R; ++r) {
            synthetic s;
            for (int i = 0; i < 10; ++i) {
                s.mu.push_back(i + 1);
                s.sd.push_back(mode == 0 ? 6 : 4);
            }
            s.common = mode == 0 ? 0 : 30;
            s.seed = 1000 + std::uint64_t(r);
            selection_options o;
            o.initial_trials = 10;
            o.increment = 20;
            o.block = 2;
            o.budget = T;
            o.variance = mode == 0 ? comparison_variance::independent : comparison_variance::paired;
            const bool a = select_best(10, s, o).best == 9;
            o.rule = allocation_rule::equal;
            const bool c = select_best(10, s, o).best == 9;
            o.budget = 2 * T;
            const bool b = select_best(10, s, o).best == 9;
            const double d = double(a) - double(b);
            sum += d;
            sum2 += d * d;
            pcs_o += a;
            pcs_e += b;
            pcs_eT += c;
        }
        const double mean = sum / R, se = std::sqrt((sum2 / R - mean * mean) / (R - 1));
        MESSAGE(std::string(mode == 0 ? "independent" : "CRN paired") << ": PCS OCBA(T=" << T << ") " << pcs_o / R
                                                          << ", equal(T) " << pcs_eT / R << ", equal(2T) " << pcs_e / R
                                                          << ", difference " << mean << " +- " << se);
        CHECK(mean > 3 * se);
    }
}

TEST_CASE("select_best: same bits for any thread count; minimising; target PCS") {
    synthetic s;
    s.mu = {5, 4.5, 4, 3, 1, 4.8};
    s.sd = {2, 3, 2, 1, 2, 2};
    s.common = 10;
    selection_options o;
    o.initial_trials = 64;
    o.increment = 512;
    o.block = 32;
    o.budget = 40000;
    o.keep_values = true;
    o.threads = 1;
    const auto one = select_best(6, s, o);
    for (unsigned t : {2u, 3u, 8u}) {
        o.threads = t;
        check_same(one, select_best(6, s, o));
    }
    CHECK(one.best == 0);
    CHECK(one.values[0].size() == one.options[0].trials);
    // Minimising the negated values selects the same option with the same allocation.
    synthetic neg = s;
    for (auto& m : neg.mu) m = -m;
    neg.common = s.common;
    o.maximize = false;
    o.threads = 2;
    // X' = -mu + c Z + s E is not the negation of X trial by trial, so compare the choice
    // and the APCS level only.
    const auto mn = select_best(6, neg, o);
    CHECK(mn.best == 0);
    CHECK(mn.options[0].difference == 0);
    CHECK(mn.options[1].difference > 0);
    CHECK(mn.apcs > 0.95);
    // A target stops early: APCS >= target at the stop, fewer trials than the budget.
    o.maximize = true;
    o.target_pcs = 0.995;
    const auto t = select_best(6, s, o);
    CHECK(t.reached_target);
    CHECK(t.apcs >= 0.995);
    CHECK(t.total_trials < o.budget);
    CHECK(t.rounds.back().apcs == t.apcs);
    CHECK(t.rounds.size() >= 2);
    CHECK(t.rounds[t.rounds.size() - 2].apcs < 0.995);
}

TEST_CASE("select_best: under CRN the choice follows the paired comparisons, also with unequal counts") {
    // Nine options sharing a large common component (sd 50) with small gaps (0.25) and
    // idiosyncratic sd 1: means of options with different trial counts carry different
    // common noise (sd 50 / sqrt(n)), paired differences do not. Equal allocation in
    // whole blocks leaves the counts unequal (23 blocks over 9 options); the selected option
    // must never be beaten by a rival on their common trials, and the PCS must match what
    // the paired comparisons give: with n >= 32 trials each, the best beats the runner-up
    // (gap 0.25, sd of the difference sqrt 2) with z >= 1.0 -- PCS well above 1/9.
    const int R = 200;
    int correct = 0;
    for (int r = 0; r < R; ++r) {
        synthetic s;
        for (int i = 0; i < 9; ++i) {
            s.mu.push_back(0.25 * i);
            s.sd.push_back(1);
        }
        s.common = 50;
        s.seed = 500 + std::uint64_t(r);
        selection_options o;
        o.initial_trials = 32;
        o.increment = 80;
        o.block = 16;
        o.budget = 9 * 32 + 80;  // 23 blocks in all: unequal counts
        o.rule = allocation_rule::equal;
        const auto res = select_best(9, s, o);
        for (const auto& e : res.options) CHECK(e.difference <= 0.0);
        correct += res.best == 8;
    }
    MESSAGE("PCS with equal allocation, unequal counts: " << double(correct) / R);
    CHECK(double(correct) / R > 0.5);
}

TEST_CASE("select_best: progress after each round; a cancelled run throws") {
    synthetic s;
    s.mu = {1, 1.1, 0.5};
    s.sd = {1, 1, 1};
    selection_options o;
    o.initial_trials = 20;
    o.increment = 40;
    o.block = 10;
    o.budget = 500;
    std::vector<std::uint64_t> seen;
    o.progress = [&](std::uint64_t done, std::uint64_t total) {
        CHECK(total == 500);
        seen.push_back(done);
    };
    const auto r = select_best(3, s, o);
    REQUIRE(seen.size() == r.rounds.size());
    CHECK(seen.front() == 60);
    CHECK(seen.back() == r.total_trials);
    for (std::size_t i = 1; i < seen.size(); ++i) CHECK(seen[i] == seen[i - 1] + 40);
    o.progress = [&](std::uint64_t done, std::uint64_t) {
        if (done >= 100) o.cancel.cancel();
    };
    CHECK_THROWS_AS(select_best(3, s, o), cancelled);
}

TEST_CASE("select_best: bad input names the field, the value and what is allowed") {
    synthetic s;
    s.mu = {1, 2};
    s.sd = {1, 1};
    selection_options o;
    o.initial_trials = 10;
    o.increment = 10;
    o.block = 5;
    o.budget = 100;
    auto bad = [&](std::size_t k, selection_options p, const char* what) {
        CHECK_THROWS_WITH_AS(select_best(k, s, p), doctest::Contains(what), invalid_argument);
    };
    bad(1, o, "options = 1 is invalid");
    selection_options p = o;
    p.block = 0;
    bad(2, p, "block = 0 is invalid");
    p = o;
    p.initial_trials = 7;
    bad(2, p, "initial_trials = 7 is invalid; must be >= 2 and a multiple of block (5)");
    p = o;
    p.increment = 12;
    bad(2, p, "increment = 12 is invalid");
    p = o;
    p.budget = 15;
    bad(2, p, "budget = 15 is invalid; must be >= options x initial_trials (2 x 10)");
    p = o;
    p.target_pcs = 1;
    bad(2, p, "target_pcs = 1 is invalid; must be in [0, 1)");
    p = o;
    p.target_pcs = std::nan("");
    bad(2, p, "target_pcs = nan is invalid");
    p = o;
    p.threads = 5000;
    bad(2, p, "threads = 5000 is invalid");
    // A simulator returning NaN: named option and trial, never a silent NaN.
    auto nan_sim = [](std::size_t i, std::uint64_t first, std::span<double> v) {
        for (std::size_t j = 0; j < v.size(); ++j) v[j] = (i == 1 && first + j == 13) ? std::nan("") : 1.0;
    };
    CHECK_THROWS_WITH_AS(select_best(2, nan_sim, o), doctest::Contains("value of option 1 at trial 13 = nan"),
                         invalid_argument);
    CHECK_THROWS_AS(select_best(2, option_simulator{}, o), invalid_argument);
    // The fraction helpers check their inputs too.
    const std::vector<double> m{1, 2}, v{1, -1}, w{1}, inf{1, INFINITY};
    CHECK_THROWS_WITH_AS(ocba_fractions(m, v), doctest::Contains("variances[1] = -1 is invalid"), invalid_argument);
    CHECK_THROWS_WITH_AS(ocba_fractions(m, w), doctest::Contains("variances size = 1 is invalid"), invalid_argument);
    CHECK_THROWS_WITH_AS(ocba_fractions_paired(inf, m), doctest::Contains("means[1] = inf is invalid"),
                         invalid_argument);
    CHECK_THROWS_WITH_AS(ocba_fractions(w, w), doctest::Contains("options = 1 is invalid"), invalid_argument);
}

TEST_CASE("select_best: exact ties and noiseless options do not break the allocation") {
    // Two identical options and one worse: the tie takes the budget, APCS stays near 1/2,
    // every count is finite and the total is the budget.
    auto sim = [](std::size_t i, std::uint64_t first, std::span<double> v) {
        for (std::size_t j = 0; j < v.size(); ++j)
            v[j] = (i == 2 ? 0.0 : 1.0) + detail::normal_quantile(uniform01(3, 9, first + j));
    };
    selection_options o;
    o.initial_trials = 10;
    o.increment = 20;
    o.block = 10;
    o.budget = 1000;
    const auto r = select_best(3, sim, o);
    CHECK(r.total_trials == 1000);
    // Options 0 and 1 are the same numbers: their difference is exactly 0 with no variance;
    // the comparison is then known (pcs 1) and neither needs trials for it.
    CHECK(r.options[r.best == 0 ? 1 : 0].difference == 0);
    CHECK(r.options[r.best == 0 ? 1 : 0].difference_se == 0);
    CHECK(r.options[r.best == 0 ? 1 : 0].pcs == 1);
    CHECK(r.best != 2);
    // An option that shares nothing with the others (a constant: the baseline's net benefit
    // of 0) keeps its own mean as its control-variate mean (beta = 0), exactly.
    auto with_zero = [](std::size_t i, std::uint64_t first, std::span<double> v) {
        for (std::size_t j = 0; j < v.size(); ++j)
            v[j] = i == 0 ? 0.0 : double(i) + 5 * detail::normal_quantile(uniform01(3, 9, first + j));
    };
    const auto z = select_best(3, with_zero, o);
    CHECK(z.options[0].adjusted_mean == 0.0);
    CHECK(z.options[0].adjusted_se == 0.0);
    CHECK(z.options[0].mean == 0.0);
    // Noiseless distinct options: APCS is 1 at once.
    auto flat = [](std::size_t i, std::uint64_t, std::span<double> v) {
        for (double& x : v) x = double(i);
    };
    o.target_pcs = 0.99;
    const auto f = select_best(3, flat, o);
    CHECK(f.best == 2);
    CHECK(f.apcs == 1);
    CHECK(f.total_trials == 30);
    CHECK(f.reached_target);
}

}  // namespace decision_ranking_selection_test
