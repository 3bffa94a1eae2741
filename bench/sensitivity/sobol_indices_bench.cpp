// Sobol' indices of Ishigami (a = 7, b = 0.1) at N = 2^16 base samples (327,680 model
// evaluations): time per full analysis, and the max abs error of the six indices against
// the exact values as counters (at seed 1 and the median over seeds 1..7, as the OpenTURNS
// peer script bench/sensitivity/openturns_ishigami.py reports them).
//   build/<dir>/bench/bench_sensitivity_sobol_indices
//   /usr/bin/python3 bench/sensitivity/openturns_ishigami.py
#include <benchmark/benchmark.h>

#include <boost/math/distributions/uniform.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "offroi/sensitivity/sobol_indices.hpp"

namespace {

struct ishigami {
    void operator()(const Eigen::MatrixXd& X, Eigen::VectorXd& y) const {
        const double* x1 = X.col(0).data();
        const double* x2 = X.col(1).data();
        const double* x3 = X.col(2).data();
        for (Eigen::Index r = 0; r < X.rows(); ++r) {
            const double s1 = std::sin(x1[r]), s2 = std::sin(x2[r]), q = x3[r] * x3[r];
            y(r) = s1 + 7.0 * s2 * s2 + 0.1 * q * q * s1;
        }
    }
};

const double exact_s[3] = {0.31391, 0.44241, 0.0};
const double exact_st[3] = {0.55759, 0.44241, 0.24368};

double max_error(const offroi::sobol_result& r) {
    double e = 0.0;
    for (int i = 0; i < 3; ++i)
        e = std::max({e, std::abs(r.first_order[i] - exact_s[i]),
                      std::abs(r.total_order[i] - exact_st[i])});
    return e;
}

void BM_sobol_ishigami(benchmark::State& state) {
    const std::vector<boost::math::uniform_distribution<>> in(
        3, {-std::numbers::pi, std::numbers::pi});
    offroi::sobol_options o;
    o.base_samples = std::size_t(1) << 16;
    o.seed = 1;
    o.threads = unsigned(state.range(0));
    o.bootstrap_resamples = std::size_t(state.range(1));
    o.sampling = static_cast<offroi::sobol_sampling>(state.range(2));
    offroi::sobol_result r;
    for (auto _ : state) {
        r = offroi::sobol_indices(ishigami{}, in, o);
        benchmark::DoNotOptimize(r.first_order.data());
    }
    state.counters["max_abs_err_seed1"] = max_error(r);
    std::vector<double> errs;
    for (std::uint64_t s = 1; s <= 7; ++s) {
        o.seed = s;
        o.bootstrap_resamples = 0;
        errs.push_back(max_error(offroi::sobol_indices(ishigami{}, in, o)));
    }
    std::sort(errs.begin(), errs.end());
    state.counters["max_abs_err_median7"] = errs[3];
    state.counters["evaluations"] = double(r.evaluations);
}

}  // namespace

// Args: threads, bootstrap resamples, design (0 = digitally shifted Sobol' (default),
// 1 = Owen-scrambled Sobol', 2 = Monte Carlo).
BENCHMARK(BM_sobol_ishigami)
    ->ArgNames({"threads", "bootstrap", "design"})
    ->Args({1, 0, 0})
    ->Args({2, 0, 0})
    ->Args({1, 0, 1})
    ->Args({1, 0, 2})
    ->Args({2, 200, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
