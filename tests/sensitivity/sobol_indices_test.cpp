#include <doctest/doctest.h>

#include <boost/math/distributions/uniform.hpp>
#include <boost/random/sobol.hpp>

#include <Eigen/Core>

#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>
#include <vector>

#include "offroi/sensitivity/sobol_indices.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace sensitivity_sobol_indices_test {

namespace {

constexpr double pi = std::numbers::pi;

// Ishigami with a = 7, b = 0.1 on X ~ U(-pi, pi)^3 (batch form).
struct ishigami {
    void operator()(const Eigen::MatrixXd& X, Eigen::VectorXd& y) const {
        for (Eigen::Index r = 0; r < X.rows(); ++r) {
            const double s1 = std::sin(X(r, 0)), s2 = std::sin(X(r, 1)), x3 = X(r, 2);
            y(r) = s1 + 7.0 * s2 * s2 + 0.1 * x3 * x3 * x3 * x3 * s1;
        }
    }
};

// Sobol' G-function on U(0, 1)^d (point form).
struct g_function {
    std::vector<double> a;
    double operator()(std::span<const double> x) const {
        double p = 1.0;
        for (std::size_t i = 0; i < a.size(); ++i)
            p *= (std::abs(4.0 * x[i] - 2.0) + a[i]) / (1.0 + a[i]);
        return p;
    }
};

// Y = X1 + 2 X2 + 3 X3 on U(0, 1)^3.
struct linear3 {
    void operator()(const Eigen::MatrixXd& X, Eigen::VectorXd& y) const {
        y = X.col(0) + 2.0 * X.col(1) + 3.0 * X.col(2);
    }
};

std::vector<boost::math::uniform_distribution<>> ishigami_inputs() {
    return std::vector<boost::math::uniform_distribution<>>(3, {-pi, pi});
}

// |estimate - exact| within 5 bootstrap SEs (and a floor of 1e-12 for exact zeros of
// total effects, whose bootstrap SE can be zero).
void check_close(const offroi::sobol_result& r, const std::vector<double>& S,
                 const std::vector<double>& ST) {
    for (std::size_t i = 0; i < S.size(); ++i) {
        INFO("input " << i << " S=" << r.first_order[i] << " ST=" << r.total_order[i]
                      << " seS=" << r.first_order_se[i] << " seST=" << r.total_order_se[i]);
        CHECK(std::abs(r.first_order[i] - S[i]) <= 5.0 * r.first_order_se[i] + 1e-12);
        CHECK(std::abs(r.total_order[i] - ST[i]) <= 5.0 * r.total_order_se[i] + 1e-12);
    }
}

}  // namespace

TEST_CASE("Ishigami indices match the exact values within the bootstrap intervals") {
    offroi::sobol_options o;
    o.base_samples = 1 << 14;
    o.seed = 2024;
    o.bootstrap_resamples = 300;
    o.names = {"x1", "x2", "x3"};
    const auto r = offroi::sobol_indices(ishigami{}, ishigami_inputs(), o);
    const std::vector<double> S = {0.31391, 0.44241, 0.0};
    const std::vector<double> ST = {0.55759, 0.44241, 0.24368};
    CHECK(r.evaluations == (1u << 14) * 5);
    CHECK(r.mean == doctest::Approx(3.5).epsilon(0.01));
    CHECK(r.variance == doctest::Approx(13.84459).epsilon(0.01));
    check_close(r, S, ST);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(r.first_order_ci[i].lower <= S[i]);
        CHECK(S[i] <= r.first_order_ci[i].upper);
        CHECK(r.total_order_ci[i].lower <= ST[i]);
        CHECK(ST[i] <= r.total_order_ci[i].upper);
    }
    // The quasi-random design at N = 2^14 is accurate to well under 0.01 here.
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(std::abs(r.first_order[i] - S[i]) < 0.01);
        CHECK(std::abs(r.total_order[i] - ST[i]) < 0.01);
    }
}

TEST_CASE("G-function indices match the closed form") {
    const std::vector<double> a = {0, 1, 4.5, 9, 99, 99, 99, 99};
    std::vector<double> Vi(a.size());
    double V = 1.0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        Vi[i] = 1.0 / (3.0 * (1.0 + a[i]) * (1.0 + a[i]));
        V *= 1.0 + Vi[i];
    }
    V -= 1.0;
    std::vector<double> S(a.size()), ST(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        S[i] = Vi[i] / V;
        double p = 1.0;
        for (std::size_t j = 0; j < a.size(); ++j)
            if (j != i) p *= 1.0 + Vi[j];
        ST[i] = Vi[i] * p / V;
    }
    // The closed form agrees with VALIDATION.md's rounded values.
    CHECK(S[0] == doctest::Approx(0.7162).epsilon(1e-3));
    CHECK(ST[1] == doctest::Approx(0.2422).epsilon(1e-3));

    offroi::sobol_options o;
    o.base_samples = 1 << 14;
    o.seed = 7;
    o.bootstrap_resamples = 300;
    const auto r = offroi::sobol_indices(g_function{a}, a.size(), o);
    CHECK(r.mean == doctest::Approx(1.0).epsilon(0.01));
    check_close(r, S, ST);
    for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(r.total_order_ci[i].lower <= ST[i]);
        CHECK(ST[i] <= r.total_order_ci[i].upper);
    }
}

TEST_CASE("linear model: S = ST = c_i^2 / sum c^2") {
    offroi::sobol_options o;
    o.base_samples = 1 << 12;
    o.seed = 11;
    const auto r = offroi::sobol_indices(linear3{}, 3, o);
    const std::vector<double> S = {1.0 / 14.0, 4.0 / 14.0, 9.0 / 14.0};
    check_close(r, S, S);
    CHECK(r.variance == doctest::Approx(14.0 / 12.0).epsilon(0.01));
    // For an additive model the Jansen total-effect estimator is exact up to the variance
    // estimate: (y_A - y_ABi)^2 = c_i^2 (x_Ai - x_Bi)^2 whose mean is c_i^2 / 6.
    CHECK(r.total_order[2] == doctest::Approx(9.0 / 14.0).epsilon(0.01));
}

TEST_CASE("bootstrap intervals have about their nominal coverage") {
    // Monte Carlo design: rows are i.i.d., so the percentile interval should cover the
    // exact index in about 95% of seeds. 200 seeds: binomial SE 0.0154; accept 5 SE below
    // (0.873). The Sobol' designs are conservative (coverage at least nominal).
    const std::vector<double> S = {1.0 / 14.0, 4.0 / 14.0, 9.0 / 14.0};
    for (auto sampling : {offroi::sobol_sampling::monte_carlo, offroi::sobol_sampling::digital_shift,
                          offroi::sobol_sampling::owen_scrambled}) {
        const int seeds = 200;
        std::vector<int> cover(6, 0);
        for (int s = 0; s < seeds; ++s) {
            offroi::sobol_options o;
            o.base_samples = 512;
            o.seed = 1000 + std::uint64_t(s);
            o.sampling = sampling;
            o.bootstrap_resamples = 200;
            o.threads = 1;
            const auto r = offroi::sobol_indices(linear3{}, 3, o);
            for (std::size_t i = 0; i < 3; ++i) {
                cover[i] += r.first_order_ci[i].lower <= S[i] && S[i] <= r.first_order_ci[i].upper;
                cover[3 + i] += r.total_order_ci[i].lower <= S[i] && S[i] <= r.total_order_ci[i].upper;
            }
        }
        for (int k = 0; k < 6; ++k) {
            const double c = double(cover[std::size_t(k)]) / seeds;
            INFO("sampling " << int(sampling) << " index " << k << " coverage " << c);
            CHECK(c >= 0.873);
            if (sampling == offroi::sobol_sampling::monte_carlo) CHECK(c <= 1.0 - 1e-9);
        }
    }
}

TEST_CASE("both Sobol' designs beat Monte Carlo at the same N") {
    // Mean absolute error over the six Ishigami indices, summed over 8 seeds.
    const std::vector<double> S = {0.31391, 0.44241, 0.0};
    const std::vector<double> ST = {0.55759, 0.44241, 0.24368};
    double err[3] = {0.0, 0.0, 0.0};
    for (int k = 0; k < 3; ++k) {
        for (int s = 0; s < 8; ++s) {
            offroi::sobol_options o;
            o.base_samples = 1 << 12;
            o.seed = 50 + std::uint64_t(s);
            o.bootstrap_resamples = 0;
            o.sampling = offroi::sobol_sampling(k);
            const auto r = offroi::sobol_indices(ishigami{}, ishigami_inputs(), o);
            for (std::size_t i = 0; i < 3; ++i)
                err[k] += std::abs(r.first_order[i] - S[i]) + std::abs(r.total_order[i] - ST[i]);
        }
    }
    INFO("shift " << err[0] << " Owen " << err[1] << " MC " << err[2]);
    CHECK(err[0] < 0.5 * err[2]);
    CHECK(err[1] < 0.5 * err[2]);
}

TEST_CASE("same seed, same bits, whatever the threads and batch size") {
    for (int design = 0; design < 3; ++design) {
        INFO("design " << design);
        offroi::sobol_options o;
        o.sampling = offroi::sobol_sampling(design);
        o.base_samples = 3000;  // not a power of two, several batches
        o.seed = 99;
        o.bootstrap_resamples = 50;
        o.threads = 1;
        o.batch_rows = 5 * 1000;
        const auto a = offroi::sobol_indices(ishigami{}, ishigami_inputs(), o);
        o.threads = 3;
        o.batch_rows = 5 * 77;
        const auto b = offroi::sobol_indices(ishigami{}, ishigami_inputs(), o);
        o.threads = 2;
        o.batch_rows = 1;
        const auto c = offroi::sobol_indices(ishigami{}, ishigami_inputs(), o);
        for (std::size_t i = 0; i < 3; ++i) {
            CHECK(a.first_order[i] == b.first_order[i]);
            CHECK(a.total_order[i] == b.total_order[i]);
            CHECK(a.first_order_ci[i].lower == b.first_order_ci[i].lower);
            CHECK(a.total_order_ci[i].upper == b.total_order_ci[i].upper);
            CHECK(a.first_order_se[i] == c.first_order_se[i]);
            CHECK(a.total_order[i] == c.total_order[i]);
        }
        CHECK(a.mean == b.mean);
        CHECK(a.variance == c.variance);
        o.seed = 100;
        const auto d = offroi::sobol_indices(ishigami{}, ishigami_inputs(), o);
        CHECK(d.first_order[0] != a.first_order[0]);
    }
}

TEST_CASE("the digitally shifted design is Boost's Sobol' sequence, point for point") {
    // saltelli_design builds the points from Boost's direction numbers by Gray-code
    // updates; point j >= 1 must equal what boost::random::sobol returns after seed(j - 1),
    // XORed with the shift, for any first point of a batch (including a large one).
    const std::size_t dims = 7;
    const std::uint64_t seed = 5;
    const offroi::detail::saltelli_design design(seed, offroi::sobol_sampling::digital_shift,
                                                 dims);
    const offroi::philox_stream shift_stream(seed, offroi::stream_id("sobol_indices.shift"));
    for (const std::size_t first : {std::size_t(0), std::size_t(1), std::size_t(37),
                                    std::size_t(1) << 20, (std::size_t(1) << 31) + 5}) {
        INFO("first " << first);
        const std::size_t count = 300;
        std::vector<double> got(count * dims);
        design.columns(first, count, got.data());
        boost::random::sobol engine(dims);
        std::size_t r = 0;
        if (first == 0) {
            for (std::size_t k = 0; k < dims; ++k)
                CHECK(got[k * count] == offroi::to_open_unit(shift_stream.bits(0, k)));
            r = 1;
        } else {
            engine.seed(first - 1);
        }
        std::size_t mismatches = 0;
        for (; r < count; ++r)
            for (std::size_t k = 0; k < dims; ++k)
                mismatches += got[k * count + r] !=
                              offroi::to_open_unit(std::uint64_t(engine()) ^
                                                   shift_stream.bits(0, k));
        CHECK(mismatches == 0);
    }
}

TEST_CASE("the point estimates do not depend on whether the bootstrap runs") {
    // Without a bootstrap the row terms are summed on the fly and never stored; the sums,
    // taken in the same order, must give the same bits as with the stored terms.
    offroi::sobol_options o;
    o.base_samples = 2000;
    o.seed = 3;
    o.bootstrap_resamples = 0;
    const auto a = offroi::sobol_indices(ishigami{}, ishigami_inputs(), o);
    o.bootstrap_resamples = 20;
    const auto b = offroi::sobol_indices(ishigami{}, ishigami_inputs(), o);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(a.first_order[i] == b.first_order[i]);
        CHECK(a.total_order[i] == b.total_order[i]);
    }
    CHECK(a.mean == b.mean);
    CHECK(a.variance == b.variance);
    CHECK(a.first_order_se.empty());
    CHECK(b.first_order_se.size() == 3);
}

TEST_CASE("point and batch models give the same bits") {
    struct ishigami_point {
        double operator()(std::span<const double> x) const {
            const double s1 = std::sin(x[0]), s2 = std::sin(x[1]);
            return s1 + 7.0 * s2 * s2 + 0.1 * x[2] * x[2] * x[2] * x[2] * s1;
        }
    };
    offroi::sobol_options o;
    o.base_samples = 1024;
    o.bootstrap_resamples = 10;
    const auto a = offroi::sobol_indices(ishigami{}, ishigami_inputs(), o);
    const auto b = offroi::sobol_indices(ishigami_point{}, ishigami_inputs(), o);
    for (std::size_t i = 0; i < 3; ++i) CHECK(a.first_order[i] == b.first_order[i]);
    CHECK(a.total_order_ci[2].lower == b.total_order_ci[2].lower);
}

TEST_CASE("invalid arguments throw offroi::invalid_argument naming the problem") {
    offroi::sobol_options o;
    o.base_samples = 0;
    CHECK_THROWS_AS(offroi::sobol_indices(linear3{}, 3, o), offroi::invalid_argument);
    CHECK_THROWS_WITH(offroi::sobol_indices(linear3{}, 3, o),
                      doctest::Contains("base_samples = 0"));
    o.base_samples = 64;
    CHECK_THROWS_AS(offroi::sobol_indices(linear3{}, 0, o), offroi::invalid_argument);
    o.confidence_level = 1.5;
    CHECK_THROWS_WITH_AS(offroi::sobol_indices(linear3{}, 3, o),
                         doctest::Contains("confidence_level = 1.5"), offroi::invalid_argument);
    o.confidence_level = 0.9;
    o.names = {"a", "b"};
    CHECK_THROWS_WITH_AS(offroi::sobol_indices(linear3{}, 3, o), doctest::Contains("names has 2"),
                         offroi::invalid_argument);
    o.names.clear();
    CHECK_THROWS_AS(offroi::sobol_indices(linear3{}, 2000, o), offroi::invalid_argument);
    // A model returning NaN is reported, never propagated.
    auto bad = [](std::span<const double> x) { return x[0] > 0.5 ? std::nan("") : x[0]; };
    CHECK_THROWS_WITH_AS(offroi::sobol_indices(bad, 2, o), doctest::Contains("not finite"),
                         offroi::numerical_error);
}

}  // namespace sensitivity_sobol_indices_test
