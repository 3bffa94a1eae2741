// Engine throughput on the reference model "sum of 20 correlated PERT costs" (Gaussian
// copula, every pair at Spearman 0.3, PERT batch fast quantile), 1e6 trials per run.
//
//   build/<dir>/bench/bench_engine_engine --benchmark_min_time=2
//
// Counters: trials_per_second (ns per trial = 1e9 / it); `speedup`
// (BM_speedup_1_to_2_threads: time at 1 thread / time at 2 threads, the same run). Engine overhead per trial =
// BM_reference_engine/threads:1 minus BM_reference_model_only (the model called block by
// block, no engine, no summaries), and BM_null_model (a model that writes one cheap value:
// engine + one streaming_summary per trial).
//
// The streaming run of 1e9 trials (trivial model, summaries only) runs only when asked:
//   OFFROI_BENCH_STREAMING_TRIALS=1000000000 build/<dir>/bench/bench_engine_engine \
//       --benchmark_filter=streaming
// and reports peak_rss_mb (getrusage ru_maxrss of the whole process; run it alone).
#include <benchmark/benchmark.h>

#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "offroi/distributions/pert.hpp"
#include "offroi/engine.hpp"
#include "offroi/sampling/uniform_sampler.hpp"

namespace {

constexpr std::size_t kInputs = 20;
constexpr std::uint64_t kTrials = 1'000'000;

offroi::uniform_sampler make_sampler(std::uint64_t seed) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < kInputs; ++i) names.push_back("cost_" + std::to_string(i));
    offroi::sampling_options o;
    o.seed = seed;
    for (std::size_t i = 0; i < kInputs; ++i)
        for (std::size_t j = i + 1; j < kInputs; ++j) o.correlations.push_back({names[i], names[j], 0.3});
    return offroi::uniform_sampler(names, o);
}

// Sum of 20 correlated PERT costs (the reference model of issue 3). The sampler holds the
// seed, so the output of trial t is a pure function of t.
struct pert_sum_model {
    offroi::uniform_sampler sampler = make_sampler(42);
    std::vector<offroi::pert_distribution> costs = [] {
        std::vector<offroi::pert_distribution> c;
        for (std::size_t i = 0; i < kInputs; ++i) {
            const double base = 10.0 + 5.0 * static_cast<double>(i);
            c.emplace_back(0.8 * base, base, 1.9 * base);
        }
        return c;
    }();

    std::vector<std::string> output_names() const { return {"total_cost"}; }

    void operator()(const offroi::block_context& ctx, offroi::block_outputs& out) const {
        const std::size_t n = ctx.count;
        double* base = ctx.scratch((kInputs + 1) * n);
        double* cols[kInputs];
        for (std::size_t j = 0; j < kInputs; ++j) cols[j] = base + j * n;
        double* x = base + kInputs * n;
        sampler.fill_uniform(ctx.first_trial, n, cols);
        double* total = out.column(0);
        std::fill(total, total + n, 0.0);
        for (std::size_t j = 0; j < kInputs; ++j) {
            quantile(costs[j], cols[j], x, n);
            for (std::size_t i = 0; i < n; ++i) total[i] += x[i];
        }
    }
};

// One cheap output per trial: what the engine and one streaming_summary cost by themselves.
struct null_model {
    std::vector<std::string> output_names() const { return {"x"}; }
    void operator()(const offroi::block_context& ctx, offroi::block_outputs& out) const {
        double* x = out.column(0);
        for (std::size_t i = 0; i < ctx.count; ++i)
            x[i] = static_cast<double>((ctx.first_trial + i) & 1023u) + 1.0;
    }
};

const pert_sum_model& reference() {
    static const pert_sum_model m;
    return m;
}

offroi::run_options options(unsigned threads, std::uint64_t trials = kTrials) {
    offroi::run_options o;
    o.trials = trials;
    o.threads = threads;
    o.seed = 42;
    return o;
}

void set_trial_counters(benchmark::State& state, std::uint64_t trials_per_iteration) {
    const double t = static_cast<double>(state.iterations() * trials_per_iteration);
    state.counters["trials_per_second"] = benchmark::Counter(t, benchmark::Counter::kIsRate);
}

void BM_reference_engine(benchmark::State& state) {
    const auto& m = reference();
    const auto o = options(static_cast<unsigned>(state.range(0)));
    for (auto _ : state) {
        auto r = offroi::run(m, o);
        benchmark::DoNotOptimize(r.summary(0).count());
    }
    set_trial_counters(state, kTrials);
}
BENCHMARK(BM_reference_engine)->Arg(1)->Arg(2)->ArgName("threads")->Unit(benchmark::kMillisecond)->UseRealTime();

// The reference model alone, block by block on one thread (no engine, no summaries).
void BM_reference_model_only(benchmark::State& state) {
    const auto& m = reference();
    std::vector<double> col(offroi::default_block_size);
    std::vector<double> workspace;
    double* cols[1] = {col.data()};
    for (auto _ : state) {
        for (std::uint64_t first = 0; first < kTrials; first += offroi::default_block_size) {
            const std::size_t n =
                static_cast<std::size_t>(std::min<std::uint64_t>(offroi::default_block_size, kTrials - first));
            offroi::block_context ctx{42, first, n, first / offroi::default_block_size, &workspace};
            offroi::block_outputs out(cols, 1, n);
            m(ctx, out);
            benchmark::DoNotOptimize(col[0]);
        }
    }
    set_trial_counters(state, kTrials);
}
BENCHMARK(BM_reference_model_only)->Unit(benchmark::kMillisecond)->UseRealTime();

// Process CPU time (all threads), seconds.
double process_cpu_seconds() {
    struct rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           1e-6 * static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

// A trivially parallel control: the same fixed amount of dependent floating-point work on
// 1 thread, then split over 2 threads; returns wall(1) / wall(2), the speedup this machine
// gives right now to any 2-thread job (about 2 when idle, about 1 when other work saturates
// it or the scheduler caps this process group's share).
double machine_speedup() {
    auto spin = [](long n) {
        double x = 1.0;
        for (long i = 0; i < n; ++i) x = x * 1.0000001 + 1e-9;
        benchmark::DoNotOptimize(x);
    };
    const long total = 100'000'000;
    double wall[2];
    for (int t = 1; t <= 2; ++t) {
        const auto a = std::chrono::steady_clock::now();
        std::vector<std::thread> ts;
        for (int k = 0; k < t; ++k) ts.emplace_back(spin, total / t);
        for (auto& th : ts) th.join();
        wall[t - 1] = std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count();
    }
    return wall[0] / wall[1];
}

// Speedup from 1 to 2 threads on the same 1e6-trial run, measured back to back. On a
// machine shared with other work the wall-clock speedup understates the engine's, so the
// benchmark also reports `machine_speedup` (the control above, run in the same iterations)
// and the CPU time ratio cpu_ratio = cpu_2 / cpu_1 (all threads): the work the parallel run
// adds (1.0 = none); on an idle 2-core machine the speedup is about 2 / cpu_ratio.
void BM_speedup_1_to_2_threads(benchmark::State& state) {
    const auto& m = reference();
    double t1 = 0, t2 = 0, c1 = 0, c2 = 0, control = 0;
    for (auto _ : state) {
        control += machine_speedup();
        for (unsigned th : {1u, 2u}) {
            const double c = process_cpu_seconds();
            const auto a = std::chrono::steady_clock::now();
            auto r = offroi::run(m, options(th));
            benchmark::DoNotOptimize(r.summary(0).count());
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count();
            (th == 1 ? t1 : t2) += s;
            (th == 1 ? c1 : c2) += process_cpu_seconds() - c;
        }
    }
    state.counters["speedup"] = t1 / t2;
    state.counters["cpu_ratio"] = c2 / c1;
    state.counters["machine_speedup"] = control / static_cast<double>(state.iterations());
    state.counters["trials_per_second_1"] = static_cast<double>(state.iterations() * kTrials) / t1;
    state.counters["trials_per_second_2"] = static_cast<double>(state.iterations() * kTrials) / t2;
}
BENCHMARK(BM_speedup_1_to_2_threads)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

// Engine + one summary per trial, with a model that does (almost) nothing.
void BM_null_model(benchmark::State& state) {
    const null_model m;
    auto o = options(static_cast<unsigned>(state.range(0)), 10'000'000);
    o.samples = state.range(1) ? offroi::sample_policy::within_budget : offroi::sample_policy::never;
    for (auto _ : state) {
        auto r = offroi::run(m, o);
        benchmark::DoNotOptimize(r.summary(0).count());
    }
    set_trial_counters(state, 10'000'000);
}
BENCHMARK(BM_null_model)->Args({1, 0})->Args({1, 1})->Args({2, 0})->ArgNames({"threads", "keep"})
    ->Unit(benchmark::kMillisecond)->UseRealTime();

// The streaming run (opt-in, see the file comment).
void BM_streaming(benchmark::State& state, std::uint64_t trials) {
    const null_model m;
    auto o = options(2, trials);
    o.samples = offroi::sample_policy::never;
    for (auto _ : state) {
        auto r = offroi::run(m, o);
        if (r.summary(0).count() != trials) state.SkipWithError("wrong count");
        benchmark::DoNotOptimize(r.summary(0).mean());
    }
    struct rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    state.counters["peak_rss_mb"] = static_cast<double>(ru.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB
    set_trial_counters(state, trials);
}

const bool streaming_registered = [] {
    if (const char* env = std::getenv("OFFROI_BENCH_STREAMING_TRIALS")) {
        const std::uint64_t trials = std::strtoull(env, nullptr, 10);
        if (trials > 0)
            benchmark::RegisterBenchmark(("BM_streaming/trials:" + std::to_string(trials)).c_str(),
                                         BM_streaming, trials)
                ->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);
    }
    return true;
}();

}  // namespace
