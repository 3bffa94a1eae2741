// The sensitivity functions take the library's type-erased `offroi::distribution` inputs
// (quantile found by ADL, batch quantile used by Sobol' and Morris).
#include <doctest/doctest.h>

#include <Eigen/Core>

#include <cmath>
#include <span>
#include <vector>

#include "offroi/distributions/distribution.hpp"
#include "offroi/random/philox.hpp"
#include "offroi/sensitivity.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace sensitivity_distribution_inputs_test {

namespace {

// y = 2 x1 + x2 + 0 x3 (x3 constant)
struct model {
    void operator()(const Eigen::MatrixXd& X, Eigen::VectorXd& y) const {
        y = 2.0 * X.col(0) + X.col(1) + 0.0 * X.col(2);
    }
};

std::vector<offroi::distribution> inputs() {
    return {offroi::pert_distribution(10.0, 20.0, 40.0), offroi::normal_distribution(5.0, 3.0),
            offroi::constant_distribution(7.0)};
}

}  // namespace

TEST_CASE("Sobol' indices over PERT, normal and constant inputs") {
    const auto in = inputs();
    const double v1 = 4.0 * offroi::variance(in[0]), v2 = 9.0;
    const double S1 = v1 / (v1 + v2), S2 = v2 / (v1 + v2);
    offroi::sobol_options o;
    o.base_samples = 1 << 13;
    o.seed = 5;
    o.names = {"effort_days", "rate", "fixed_fee"};
    const auto r = offroi::sobol_indices(model{}, in, o);
    CHECK(r.names[2] == "fixed_fee");
    CHECK(std::abs(r.first_order[0] - S1) <= 5.0 * r.first_order_se[0]);
    CHECK(std::abs(r.first_order[1] - S2) <= 5.0 * r.first_order_se[1]);
    CHECK(std::abs(r.total_order[0] - S1) <= 5.0 * r.total_order_se[0]);
    CHECK(std::abs(r.total_order[1] - S2) <= 5.0 * r.total_order_se[1]);
    // A constant input changes nothing: its indices are exactly 0.
    CHECK(r.first_order[2] == 0.0);
    CHECK(r.total_order[2] == 0.0);
    CHECK(r.mean == doctest::Approx(2.0 * offroi::mean(in[0]) + 5.0).epsilon(1e-3));
}

TEST_CASE("tornado over offroi::distribution inputs uses their P10/P50/P90") {
    const auto in = inputs();
    const auto t = offroi::tornado(model{}, in);
    const double w1 = 2.0 * (offroi::quantile(in[0], 0.9) - offroi::quantile(in[0], 0.1));
    const double w2 = 2.0 * 1.2815515655446004 * 3.0;
    REQUIRE(w1 > w2);  // PERT(10, 20, 40): P90 - P10 is about 16.6
    CHECK(t.bars[0].input == 0);
    CHECK(t.bars[0].swing == doctest::Approx(w1).epsilon(1e-12));
    CHECK(t.bars[1].swing == doctest::Approx(w2).epsilon(1e-9));
    CHECK(t.bars[2].swing == 0.0);
    CHECK(t.base_output ==
          doctest::Approx(2.0 * offroi::quantile(in[0], 0.5) + 5.0).epsilon(1e-12));
}

TEST_CASE("Morris and rank indices over offroi::distribution inputs") {
    const auto in = inputs();
    offroi::morris_options o;
    o.trajectories = 8;
    const auto m = offroi::morris_screening(model{}, in, o);
    // Linear model: EE_i = c_i (Q(p + 1/2) - Q(p)) / (1/2) varies with the level for a
    // non-uniform marginal, but x3 (constant) has exactly 0.
    CHECK(m.mu_star[2] == 0.0);
    CHECK(m.order[2] == 2);
    CHECK(m.mu[0] > 0.0);

    // Rank indices from samples drawn through the quantiles (Philox uniforms).
    const Eigen::Index n = 4000;
    Eigen::MatrixXd X(n, 3);
    offroi::philox_stream s(17, offroi::stream_id("distribution_inputs_test"));
    for (Eigen::Index r = 0; r < n; ++r)
        for (Eigen::Index c = 0; c < 3; ++c)
            X(r, c) = offroi::quantile(in[std::size_t(c)], s.uniform(std::uint64_t(r), std::uint64_t(c)));
    Eigen::VectorXd y(n);
    model{}(X, y);
    const auto rk = offroi::rank_sensitivity(X, y);
    CHECK(rk.src_r2 == doctest::Approx(1.0).epsilon(1e-12));
    CHECK(rk.spearman[2] == 0.0);
    CHECK(rk.spearman[0] > rk.spearman[1]);
}

}  // namespace sensitivity_distribution_inputs_test
