// Accuracy of offroi::detail::normal_score_table (x = F^-1(Phi(z)) tabulated in z, the
// fused marginal of the Gaussian copula) against Boost.Math's exact beta inverse at the
// long-double Phi(z), for PERT and beta shapes, over a dense z grid that covers both tails
// and beyond the table (|z| up to 9), plus every cell edge.
#include "offroi/distributions/detail/normal_score_table.hpp"

#include <doctest/doctest.h>

#include <boost/math/distributions/beta.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "offroi/distributions/beta.hpp"
#include "offroi/distributions/detail/special_functions.hpp"
#include "offroi/distributions/pert.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace distributions_normal_score_table_test {

namespace {

// Phi(-|z|) in long double (independent of offroi's normal_cdf).
double lower_tail(double z) {
    return static_cast<double>(0.5L * std::erfc(std::fabs(static_cast<long double>(z)) /
                                                std::sqrt(2.0L)));
}

struct errors {
    double x_rel = 0.0;  // |x - x_exact| / max(|x_exact|, IQR)
    double p_rel = 0.0;  // |F(x) - Phi(z)| / min(Phi(z), 1 - Phi(z)) on the side of z
};

errors measure(const offroi::beta_distribution& d) {
    using boost::math::cdf;
    using boost::math::complement;
    using boost::math::quantile;
    const boost::math::beta_distribution<> b(d.alpha(), d.beta());
    const offroi::detail::normal_score_table t(
        [&d](bool up, double v) {
            return d.lower() + (d.upper() - d.lower()) * d.standard_quantile_table().tail(up, v);
        },
        d.lower(), d.upper());
    const double w = d.upper() - d.lower();
    const double iqr = w * (quantile(b, 0.75) - quantile(b, 0.25));
    std::vector<double> zs;
    constexpr int n = 20000;
    for (int i = 0; i <= n; ++i) zs.push_back(-9.0 + 18.0 * i / n);
    for (int k = 0; k <= offroi::detail::normal_score_table::cells; ++k) {
        const double e = -8.0 + 0.25 * k;
        zs.push_back(e);
        zs.push_back(std::nextafter(e, -100.0));
    }
    std::vector<double> x(zs.size());
    t(zs.data(), x.data(), zs.size());
    errors err;
    for (std::size_t i = 0; i < zs.size(); ++i) {
        const double z = zs[i];
        CHECK(x[i] == t(z));  // batch and scalar forms agree bit for bit
        const bool up = z > 0.0;
        const double v = lower_tail(z);
        // Boost's inverse (bisection of the cdf where Boost 1.74's root finder gives up).
        const auto& q = d.standard_quantile_table();
        const double y = up ? q.exact_complement(v) : q.exact(v);
        const double xe = std::min(d.lower() + w * y, d.upper());
        const double xr = std::fabs(x[i] - xe) / std::max(std::fabs(xe), iqr);
        err.x_rel = std::max(err.x_rel, xr);
        const double yy = (x[i] - d.lower()) / w;
        const double pv = up ? offroi::detail::math::ibetac(d.alpha(), d.beta(), yy)
                             : offroi::detail::math::ibeta(d.alpha(), d.beta(), yy);
        // Probability error relative to the tail probability, where the double resolution
        // of x allows it (64 ulps of x must move F by less than 1e-3 v; the
        // table's x has a few ulps of rounding, which near a bound is a large part of 1 - F).
        const double res = 64.0 * std::numeric_limits<double>::epsilon() * std::max(std::fabs(xe), w);
        const double dens = boost::math::pdf(b, std::clamp(y, 1e-300, 1.0 - 1e-16)) / w;
        if (dens * res < 1e-3 * v)
            err.p_rel = std::max(err.p_rel, std::fabs(pv - v) / v);
    }
    return err;
}

}  // namespace

TEST_CASE("normal_score_table: x error <= 1e-9 of max(|x|, IQR) and F(x) within 1e-5 relative of the tail probability") {
    const std::vector<offroi::beta_distribution> cases = {
        offroi::pert_distribution(10, 20, 45).as_beta(),
        offroi::pert_distribution(0, 0, 1).as_beta(),       // mode at the lower bound
        offroi::pert_distribution(0, 1, 1).as_beta(),       // mode at the upper bound
        offroi::pert_distribution(25, 35, 60, 40).as_beta(),
        offroi::pert_distribution(-5, 0, 1e6).as_beta(),
        offroi::beta_distribution(0.6, 3.0, 0.0, 1.0),
        offroi::beta_distribution(200.0, 200.0, 0.0, 1.0),
        offroi::beta_distribution(2.0, 5.0, 100.0, 101.0),
    };
    double worst_x = 0.0, worst_p = 0.0;
    for (const auto& d : cases) {
        const auto e = measure(d);
        CAPTURE(d.alpha());
        CAPTURE(d.beta());
        CHECK(e.x_rel <= 1e-9);
        CHECK(e.p_rel <= 1e-5);
        worst_x = std::max(worst_x, e.x_rel);
        worst_p = std::max(worst_p, e.p_rel);
    }
    MESSAGE("normal_score_table worst x error " << worst_x << ", worst probability error " << worst_p);
}

TEST_CASE("normal_score_table: edges, monotone, NaN") {
    const auto d = offroi::pert_distribution(10, 20, 45).as_beta();
    const offroi::detail::normal_score_table t(
        [&d](bool up, double v) { return 10.0 + 35.0 * d.standard_quantile_table().tail(up, v); },
        10.0, 45.0);
    CHECK(t(-INFINITY) == 10.0);
    CHECK(t(INFINITY) == 45.0);
    CHECK(std::isnan(t(NAN)));
    CHECK(t(0.0) == doctest::Approx(offroi::quantile(offroi::pert_distribution(10, 20, 45), 0.5)).epsilon(1e-12));
    // Non-decreasing on a fine grid across every cell (a copula must not swap ranks).
    double prev = t(-9.0);
    int bad = 0;
    for (int i = 1; i <= 180000; ++i) {
        const double x = t(-9.0 + 1e-4 * i);
        bad += x < prev;
        prev = x;
    }
    CHECK(bad == 0);
}

TEST_CASE("normal_score_table: every batch path equals the scalar bits") {
    // The AVX2 batch takes 16 values a step (four interleaved groups of four) and falls back
    // to the scalar form for a step holding |z| >= 8 or NaN; every path must give the scalar
    // bits: z over and beyond the table, specials at scattered positions, lengths with a
    // remainder, in place and not. Paths above this CPU's level are not run.
    const auto d = offroi::pert_distribution(10, 20, 45).as_beta();
    const auto t = offroi::detail::beta_normal_score_table(d);
    std::vector<double> z;
    std::uint64_t x = 5;
    for (int i = 0; i < 10007; ++i) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        double v = (static_cast<double>(x >> 11) * 0x1.0p-53 - 0.5) * 18.0;  // [-9, 9)
        if (i % 101 == 7) v = NAN;
        if (i % 103 == 8) v = INFINITY;
        if (i % 107 == 9) v = -INFINITY;
        if (i % 109 == 10) v = std::nextafter(8.0, 0.0);
        if (i % 113 == 11) v = -8.0;
        z.push_back(v);
    }
    for (int l = 0; l <= static_cast<int>(offroi::detail::cpu_simd_level()); ++l)
        for (std::size_t n : {z.size(), std::size_t{3}, std::size_t{21}, std::size_t{100}}) {
            CAPTURE(l);
            CAPTURE(n);
            const auto level = static_cast<offroi::detail::simd_level>(l);
            std::vector<double> out(n), w(z.begin(), z.begin() + static_cast<std::ptrdiff_t>(n));
            t.batch(z.data(), out.data(), n, level);
            t.batch(w.data(), w.data(), n, level);
            for (std::size_t i = 0; i < n; ++i) {
                const double want = t(z[i]);
                if (std::isnan(want)) {
                    REQUIRE(std::isnan(out[i]));
                    REQUIRE(std::isnan(w[i]));
                } else {
                    REQUIRE(out[i] == want);
                    REQUIRE(w[i] == want);
                }
            }
        }
}

}  // namespace distributions_normal_score_table_test
