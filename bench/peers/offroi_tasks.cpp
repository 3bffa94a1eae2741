// offroi's side of the peer comparisons run by bench/run: one task per process, sizes from
// the command line, one JSON line on stdout with the timed region's wall-clock and process
// CPU seconds (all threads) and the task's accuracy numbers. The Python peers
// (bench/peers/numpy_peers.py, bench/peers/openturns_peers.py,
// bench/model/numpy_default_scenario.py) do the same work and print the same fields, so
// bench/run can pair them repetition by repetition. Peak memory is measured by bench/run
// (wait4's ru_maxrss of each process).
//
//   offroi_bench_tasks pert    --method mc|lhs --trials N [--seed S]
//       10 PERT inputs (as bench_sampling_sampler: PERT(10+i, 20+2i, 45+5i)), every pair at
//       Spearman 0.3, Gaussian copula; times sampler::fill of N trials (setup timed apart);
//       accuracy: largest |Spearman - 0.3| over the 45 pairs, largest Kolmogorov-Smirnov
//       distance of a column from its exact PERT cdf (Boost's incomplete beta).
//   offroi_bench_tasks quantile --values N
//       PERT(10, 30, 100) batch quantile of N uniforms (offroi's table); error against the
//       exact quantile (Boost ibeta_inv): largest |x - x_exact| / (b - a) and largest
//       |F(x) - u|, over the N uniforms and 2 x 200 tail points down to 1e-12.
//   offroi_bench_tasks default --trials N --threads T [--seed S] [--method mc|lhs]
//       simulate(default_scenario()) end to end (essential outputs, no kept samples).
//   offroi_bench_tasks sobol --n N --threads T [--seed S]
//       sobol_indices of Ishigami (a = 7, b = 0.1) at N base samples, no bootstrap, default
//       design; error: largest |index - exact| of the six first and total indices.
#include <boost/math/distributions/uniform.hpp>
#include <boost/math/special_functions/beta.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <numbers>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "offroi/distributions/pert.hpp"
#include "offroi/model/scenario.hpp"
#include "offroi/model/simulate.hpp"
#include "offroi/random/philox.hpp"
#include "offroi/sampling.hpp"
#include "offroi/sensitivity/sobol_indices.hpp"

namespace {

// ---------------------------------------------------------------- timing
double cpu_now() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}
double wall_now() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
struct stopwatch {
    double w0 = wall_now(), c0 = cpu_now();
    double wall() const { return wall_now() - w0; }
    double cpu() const { return cpu_now() - c0; }
};

// ---------------------------------------------------------------- arguments and output
struct args {
    std::map<std::string, std::string> kv;
    args(int argc, char** argv) {
        for (int i = 2; i < argc; ++i) {
            std::string k = argv[i];
            if (k.rfind("--", 0) != 0 || i + 1 >= argc)
                throw std::invalid_argument("expected --key value, got '" + k + "'");
            kv[k.substr(2)] = argv[++i];
        }
    }
    std::string str(const std::string& k, const std::string& def) const {
        auto it = kv.find(k);
        return it == kv.end() ? def : it->second;
    }
    std::uint64_t num(const std::string& k, std::uint64_t def) const {
        auto it = kv.find(k);
        return it == kv.end() ? def : std::stoull(it->second);
    }
};

struct json_line {
    std::string s = "{";
    json_line& add(const std::string& k, double v) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.17g", v);
        return raw(k, std::isfinite(v) ? buf : "null");
    }
    json_line& add(const std::string& k, const std::string& v) { return raw(k, "\"" + v + "\""); }
    json_line& add(const std::string& k, const std::vector<double>& v) {
        std::string r = "[";
        for (std::size_t i = 0; i < v.size(); ++i) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%s%.17g", i ? ", " : "", v[i]);
            r += buf;
        }
        return raw(k, r + "]");
    }
    json_line& raw(const std::string& k, const std::string& v) {
        s += (s.size() > 1 ? ", \"" : "\"") + k + "\": " + v;
        return *this;
    }
    void print() const { std::printf("%s}\n", s.c_str()); }
};

// ---------------------------------------------------------------- correlated PERT
constexpr std::size_t kInputs = 10;

struct pert_spec {
    double lo, mode, hi;
    double alpha() const { return 1.0 + 4.0 * (mode - lo) / (hi - lo); }
    double beta() const { return 1.0 + 4.0 * (hi - mode) / (hi - lo); }
};
pert_spec pert_of(std::size_t i) {
    const double k = double(i);
    return {10.0 + k, 20.0 + 2.0 * k, 45.0 + 5.0 * k};
}

// Ranks 0..n-1 of x (ties impossible for continuous draws up to measure zero).
std::vector<double> ranks(const std::vector<double>& x) {
    std::vector<std::size_t> idx(x.size());
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
    std::vector<double> r(x.size());
    for (std::size_t k = 0; k < idx.size(); ++k) r[idx[k]] = double(k);
    return r;
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
    const double n = double(a.size());
    const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n;
    const double mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t k = 0; k < a.size(); ++k) {
        sab += (a[k] - ma) * (b[k] - mb);
        saa += (a[k] - ma) * (a[k] - ma);
        sbb += (b[k] - mb) * (b[k] - mb);
    }
    return sab / std::sqrt(saa * sbb);
}

// Kolmogorov-Smirnov distance of the sample x from PERT p's exact cdf.
double ks_distance(std::vector<double> x, const pert_spec& p) {
    std::sort(x.begin(), x.end());
    const double n = double(x.size());
    double d = 0;
    for (std::size_t k = 0; k < x.size(); ++k) {
        const double z = std::clamp((x[k] - p.lo) / (p.hi - p.lo), 0.0, 1.0);
        const double f = boost::math::ibeta(p.alpha(), p.beta(), z);
        d = std::max({d, f - double(k) / n, double(k + 1) / n - f});
    }
    return d;
}

int task_pert(const args& a) {
    const std::string method = a.str("method", "mc");
    const std::size_t n = a.num("trials", 65536);
    offroi::sampling_options o;
    o.method = method == "lhs" ? offroi::sampling_method::latin_hypercube
                               : offroi::sampling_method::monte_carlo;
    if (method != "lhs" && method != "mc") throw std::invalid_argument("--method must be mc or lhs");
    o.seed = a.num("seed", 42);
    o.design_size = n;
    std::vector<offroi::sampler_input> in;
    std::vector<std::string> names;
    for (std::size_t i = 0; i < kInputs; ++i) {
        const auto p = pert_of(i);
        names.push_back("cost_" + std::to_string(i));
        in.push_back({names.back(), offroi::pert_distribution(p.lo, p.mode, p.hi)});
    }
    for (std::size_t i = 0; i < kInputs; ++i)
        for (std::size_t j = i + 1; j < kInputs; ++j) o.correlations.push_back({names[i], names[j], 0.3});

    stopwatch setup;
    const offroi::sampler s(in, o);
    const double setup_wall = setup.wall();
    std::vector<std::vector<double>> cols(kInputs, std::vector<double>(n));
    std::vector<double*> p;
    for (auto& c : cols) p.push_back(c.data());
    for (auto& c : cols) std::fill(c.begin(), c.end(), 0.0);  // page the buffers in, untimed
    stopwatch sw;
    s.fill(0, n, p.data());
    const double wall = sw.wall(), cpu = sw.cpu();

    std::vector<std::vector<double>> r;
    for (auto& c : cols) r.push_back(ranks(c));
    double corr_err = 0, ks = 0;
    for (std::size_t i = 0; i < kInputs; ++i) {
        ks = std::max(ks, ks_distance(cols[i], pert_of(i)));
        for (std::size_t j = i + 1; j < kInputs; ++j)
            corr_err = std::max(corr_err, std::abs(pearson(r[i], r[j]) - 0.3));
    }
    json_line()
        .add("task", "pert_" + method)
        .add("impl", "offroi")
        .add("n", double(n))
        .add("draws", double(n * kInputs))
        .add("wall_s", wall)
        .add("cpu_s", cpu)
        .add("setup_s", setup_wall)
        .add("ns_per_draw", 1e9 * wall / double(n * kInputs))
        .add("cpu_ns_per_draw", 1e9 * cpu / double(n * kInputs))
        .add("spearman_max_abs_err", corr_err)
        .add("ks_max", ks)
        .print();
    return 0;
}

// ---------------------------------------------------------------- PERT quantile accuracy
int task_quantile(const args& a) {
    const std::size_t n = a.num("values", 1 << 20);
    const pert_spec ps{10, 30, 100};
    const offroi::pert_distribution d(ps.lo, ps.mode, ps.hi);
    std::vector<double> u(n), x(n);
    offroi::philox_stream(2024, 1).fill(0, n, 0, u.data());
    std::fill(x.begin(), x.end(), 0.0);
    stopwatch sw;
    quantile(d, u.data(), x.data(), n);
    const double wall = sw.wall(), cpu = sw.cpu();
    // tails: u = 10^-k and 1 - 10^-k, k in [3, 12]
    std::vector<double> ut;
    for (int k = 0; k < 200; ++k) {
        const double t = std::pow(10.0, -3.0 - 9.0 * k / 199.0);
        ut.push_back(t);
        ut.push_back(1.0 - t);
    }
    std::vector<double> xt(ut.size());
    quantile(d, ut.data(), xt.data(), ut.size());
    double ex = 0, eu = 0;
    auto check = [&](double uu, double xx) {
        const double exact = ps.lo + (ps.hi - ps.lo) * boost::math::ibeta_inv(ps.alpha(), ps.beta(), uu);
        ex = std::max(ex, std::abs(xx - exact) / (ps.hi - ps.lo));
        const double z = std::clamp((xx - ps.lo) / (ps.hi - ps.lo), 0.0, 1.0);
        eu = std::max(eu, std::abs(boost::math::ibeta(ps.alpha(), ps.beta(), z) - uu));
    };
    const std::size_t stride = std::max<std::size_t>(1, n / 100000);  // <= 1e5 exact references
    for (std::size_t k = 0; k < n; k += stride) check(u[k], x[k]);
    for (std::size_t k = 0; k < ut.size(); ++k) check(ut[k], xt[k]);
    json_line()
        .add("task", "quantile")
        .add("impl", "offroi")
        .add("n", double(n))
        .add("wall_s", wall)
        .add("cpu_s", cpu)
        .add("ns_per_value", 1e9 * wall / double(n))
        .add("max_abs_err_x_over_range", ex)
        .add("max_abs_err_u", eu)
        .print();
    return 0;
}

// ---------------------------------------------------------------- the default scenario
int task_default(const args& a) {
    offroi::scenario s = offroi::default_scenario();
    const std::string method = a.str("method", "mc");
    s.simulation.method = method == "lhs" ? offroi::sampling_method::latin_hypercube
                                          : offroi::sampling_method::monte_carlo;
    offroi::simulate_options o;
    o.trials = a.num("trials", 1000000);
    o.threads = unsigned(a.num("threads", 1));
    o.seed = a.num("seed", 20240601);
    o.samples = offroi::sample_policy::never;
    stopwatch sw;
    const auto r = offroi::simulate(s, o);
    const double wall = sw.wall(), cpu = sw.cpu();
    const double nb = r.arrangements[1].output("net_benefit").mean;
    json_line()
        .add("task", "default_" + method)
        .add("impl", "offroi")
        .add("n", double(o.trials))
        .add("threads", double(o.threads))
        .add("wall_s", wall)
        .add("cpu_s", cpu)
        .add("trials_per_s", double(o.trials) / wall)
        .add("trials_per_cpu_s", double(o.trials) / cpu)
        .add("net_benefit_mean", nb)
        .print();
    return 0;
}

// ---------------------------------------------------------------- Sobol' indices of Ishigami
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

int task_sobol(const args& a) {
    // Exact indices of Ishigami with a = 7, b = 0.1 (Saltelli et al. 2008, 4.4.3).
    const double pi = std::numbers::pi, A = 7.0, B = 0.1;
    const double v1 = 0.5 * std::pow(1 + B * std::pow(pi, 4) / 5, 2), v2 = A * A / 8;
    const double v13 = B * B * std::pow(pi, 8) * (1.0 / 18 - 1.0 / 50);
    const double v = v1 + v2 + v13;
    const double exact_s[3] = {v1 / v, v2 / v, 0.0}, exact_st[3] = {(v1 + v13) / v, v2 / v, v13 / v};
    const std::vector<boost::math::uniform_distribution<>> in(3, {-pi, pi});
    offroi::sobol_options o;
    o.base_samples = a.num("n", 1 << 16);
    o.seed = a.num("seed", 1);
    o.threads = unsigned(a.num("threads", 1));
    o.bootstrap_resamples = 0;
    stopwatch sw;
    const auto r = offroi::sobol_indices(ishigami{}, in, o);
    const double wall = sw.wall(), cpu = sw.cpu();
    double e = 0;
    for (int i = 0; i < 3; ++i)
        e = std::max({e, std::abs(r.first_order[i] - exact_s[i]), std::abs(r.total_order[i] - exact_st[i])});
    // The model's own share: the same N (d + 2) evaluations of Ishigami on points spread over
    // (-pi, pi)^3, timed alone. No analysis can take less CPU than this, offroi's or a peer's
    // with the same model code, so it bounds the ratio a peer's time can show.
    const Eigen::Index rows = Eigen::Index(r.evaluations);
    Eigen::MatrixXd X(rows, 3);
    for (Eigen::Index k = 0; k < rows; ++k)
        for (Eigen::Index c = 0; c < 3; ++c)
            X(k, c) = pi * (2.0 * std::fmod(double(k) * (0.7548776662466927 + 0.2 * double(c)), 1.0) - 1.0);
    Eigen::VectorXd y(rows);
    stopwatch msw;
    ishigami{}(X, y);
    const double model_cpu = msw.cpu();
    json_line()
        .add("task", "sobol")
        .add("impl", "offroi")
        .add("n", double(o.base_samples))
        .add("threads", double(o.threads))
        .add("evaluations", double(r.evaluations))
        .add("wall_s", wall)
        .add("cpu_s", cpu)
        .add("max_abs_err", e)
        .add("model_cpu_s", model_cpu)
        .add("model_check", y.sum())
        .add("first_order", r.first_order)
        .add("total_order", r.total_order)
        .print();
    return 0;
}

}  // namespace

int main(int argc, char** argv) try {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s pert|quantile|default|sobol [--key value ...]\n", argv[0]);
        return 2;
    }
    const std::string task = argv[1];
    const args a(argc, argv);
    if (task == "pert") return task_pert(a);
    if (task == "quantile") return task_quantile(a);
    if (task == "default") return task_default(a);
    if (task == "sobol") return task_sobol(a);
    std::fprintf(stderr, "unknown task '%s'\n", task.c_str());
    return 2;
} catch (const std::exception& e) {
    std::fprintf(stderr, "offroi_bench_tasks: %s\n", e.what());
    return 2;
}
