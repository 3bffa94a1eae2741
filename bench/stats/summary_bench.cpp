// ns per value of streaming_summary::add and of its parts, and the cost of merge.
// Run: build/<dir>/bench/bench_stats_summary
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

#include "offroi/stats.hpp"

namespace {

std::vector<double> costs(std::size_t n) {
    std::mt19937_64 g(1);
    std::lognormal_distribution<double> d(13.0, 1.0);
    std::bernoulli_distribution neg(0.3);
    std::vector<double> x(n);
    for (auto& v : x) v = neg(g) ? -d(g) : d(g);
    return x;
}

constexpr std::size_t block = 4096;

void BM_exact_sum(benchmark::State& st) {
    const auto x = costs(block);
    offroi::exact_sum s;
    for (auto _ : st) {
        for (double v : x) s.add(v);
        benchmark::DoNotOptimize(s);
    }
    st.SetItemsProcessed(st.iterations() * static_cast<long>(block));
}
BENCHMARK(BM_exact_sum);

void BM_exact_moments(benchmark::State& st) {
    const auto x = costs(block);
    offroi::exact_moments m;
    for (auto _ : st) {
        m.add(x.data(), x.size());
        benchmark::DoNotOptimize(m);
    }
    st.SetItemsProcessed(st.iterations() * static_cast<long>(block));
}
BENCHMARK(BM_exact_moments);

void BM_sketch_add(benchmark::State& st) {
    const auto x = costs(block);
    offroi::quantile_sketch s;
    for (auto _ : st) {
        for (double v : x) s.add(v);
        benchmark::DoNotOptimize(s);
    }
    st.SetItemsProcessed(st.iterations() * static_cast<long>(block));
}
BENCHMARK(BM_sketch_add);

// The batched add (quantile_sketch::add(const double*, n): AVX2 bucket indices where
// available), the same state as BM_sketch_add's value-by-value adds.
void BM_sketch_add_batch(benchmark::State& st) {
    const auto x = costs(block);
    offroi::quantile_sketch s;
    for (auto _ : st) {
        s.add(x.data(), x.size());
        benchmark::DoNotOptimize(s);
    }
    st.SetItemsProcessed(st.iterations() * static_cast<long>(block));
}
BENCHMARK(BM_sketch_add_batch);

// Outputs the model emits besides costs: Arg(0) half the values 0 (a cost that happens in
// some trials only), Arg(1) whole months 1..36 (a month of delivery or of break-even).
// Runs of values in one bucket (or in the zero count) are what these measure.
std::vector<double> mixed_output(std::size_t n, int kind) {
    std::mt19937_64 g(2);
    std::vector<double> x = costs(n);
    std::uniform_int_distribution<int> month(1, 36);
    std::bernoulli_distribution zero(0.5);
    for (auto& v : x) {
        if (kind == 0 && zero(g)) v = 0.0;
        if (kind == 1) v = month(g);
    }
    return x;
}

void BM_sketch_add_batch_mixed(benchmark::State& st) {
    const auto x = mixed_output(block, static_cast<int>(st.range(0)));
    offroi::quantile_sketch s;
    for (auto _ : st) {
        s.add(x.data(), x.size());
        benchmark::DoNotOptimize(s);
    }
    st.SetItemsProcessed(st.iterations() * static_cast<long>(block));
}
BENCHMARK(BM_sketch_add_batch_mixed)->Arg(0)->Arg(1);

void BM_naive_sum(benchmark::State& st) {  // reference: a plain double sum
    const auto x = costs(block);
    double s = 0;
    for (auto _ : st) {
        for (double v : x) s += v;
        benchmark::DoNotOptimize(s);
    }
    st.SetItemsProcessed(st.iterations() * static_cast<long>(block));
}
BENCHMARK(BM_naive_sum);

void BM_summary_add(benchmark::State& st) {
    const auto x = costs(block);
    offroi::summary_options o;
    o.thresholds.assign(static_cast<std::size_t>(st.range(0)), 0.0);
    for (std::size_t j = 0; j < o.thresholds.size(); ++j) o.thresholds[j] = 1e5 * static_cast<double>(j);
    offroi::streaming_summary s(o);
    for (auto _ : st) {
        s.add(x.data(), x.size());
        benchmark::DoNotOptimize(s);
    }
    st.SetItemsProcessed(st.iterations() * static_cast<long>(block));
}
BENCHMARK(BM_summary_add)->Arg(0)->Arg(1)->Arg(4);

// Merging a block's summary into a run total (what the engine does per block).
void BM_summary_merge(benchmark::State& st) {
    const auto x = costs(static_cast<std::size_t>(st.range(0)));
    offroi::streaming_summary part, total;
    part.add(x.data(), x.size());
    total.add(x.data(), x.size());
    for (auto _ : st) {
        total.merge(part);
        benchmark::DoNotOptimize(total);
    }
}
BENCHMARK(BM_summary_merge)->Arg(4096)->Arg(1 << 20);

// Building a summary for one block from scratch (allocation included) and merging it.
void BM_block_summary_and_merge(benchmark::State& st) {
    const auto x = costs(block);
    offroi::streaming_summary total;
    for (auto _ : st) {
        offroi::streaming_summary part;
        part.add(x.data(), x.size());
        total.merge(part);
        benchmark::DoNotOptimize(total);
    }
    st.SetItemsProcessed(st.iterations() * static_cast<long>(block));
}
BENCHMARK(BM_block_summary_and_merge);

void BM_summarize_sketch(benchmark::State& st) {
    const auto x = costs(1 << 20);
    offroi::streaming_summary s;
    s.add(x.data(), x.size());
    for (auto _ : st) benchmark::DoNotOptimize(offroi::summarize(s, {}));
}
BENCHMARK(BM_summarize_sketch)->Unit(benchmark::kMicrosecond);

void BM_summarize_exact(benchmark::State& st) {
    const auto x = costs(1 << 20);
    offroi::streaming_summary s;
    s.add(x.data(), x.size());
    for (auto _ : st) benchmark::DoNotOptimize(offroi::summarize(s, x));
}
BENCHMARK(BM_summarize_exact)->Unit(benchmark::kMillisecond);

// detail::select_ranks on 1e5 normal values with the 13 ranks an exact summary asks for (P10,
// P50, P90 with their 95% confidence ranks, the 5% shortfall boundary): the core of
// BM_summarize_exact, without the copy and the checks.
void BM_select_summary_ranks(benchmark::State& st) {
    const std::size_t n = 100000;
    std::mt19937_64 g(1);
    std::normal_distribution<double> d;
    std::vector<double> x(n), v(n);
    for (auto& a : x) a = d(g);
    const double levels[] = {0.1, 0.5, 0.9};
    const auto ranks = offroi::detail::summary_ranks(n, levels, 0.95, 0.05, offroi::tail::lower);
    for (auto _ : st) {
        st.PauseTiming();
        v = x;
        st.ResumeTiming();
        offroi::detail::select_ranks(v, ranks);
        benchmark::DoNotOptimize(v.data());
    }
}
BENCHMARK(BM_select_summary_ranks)->Unit(benchmark::kMicrosecond);

}  // namespace

namespace {
// Query cost of the exact variance (integer numerator n S2 - S1^2).
void BM_variance_query(benchmark::State& st) {
    const auto x = costs(1 << 16);
    offroi::streaming_summary s;
    s.add(x.data(), x.size());
    for (auto _ : st) benchmark::DoNotOptimize(s.variance());
}
BENCHMARK(BM_variance_query);
}  // namespace
