#pragma once
// Statistics helpers shared by the sampling tests: ranks, Spearman, Kendall, KS.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <vector>

namespace offroi_test {

inline std::vector<double> ranks(const std::vector<double>& x) {
    std::vector<std::size_t> o(x.size());
    std::iota(o.begin(), o.end(), std::size_t{0});
    std::sort(o.begin(), o.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
    std::vector<double> r(x.size());
    for (std::size_t i = 0; i < o.size(); ++i) r[o[i]] = static_cast<double>(i);
    return r;
}

inline double pearson(const std::vector<double>& a, const std::vector<double>& b) {
    const double n = static_cast<double>(a.size());
    const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n;
    const double mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / std::sqrt(saa * sbb);
}

inline double spearman(const std::vector<double>& a, const std::vector<double>& b) {
    return pearson(ranks(a), ranks(b));
}

// Kendall's tau-a by the O(n^2) definition (n up to a few thousand).
inline double kendall(const std::vector<double>& a, const std::vector<double>& b) {
    long long s = 0;
    const std::size_t n = a.size();
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j) {
            const double d = (a[i] - a[j]) * (b[i] - b[j]);
            s += d > 0 ? 1 : (d < 0 ? -1 : 0);
        }
    return 2.0 * static_cast<double>(s) / (static_cast<double>(n) * static_cast<double>(n - 1));
}

// Kolmogorov-Smirnov statistic D of a sample against a cdf.
template <class Cdf>
double ks_statistic(std::vector<double> x, Cdf cdf) {
    std::sort(x.begin(), x.end());
    const double n = static_cast<double>(x.size());
    double d = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double f = cdf(x[i]);
        d = std::max(d, std::max(f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f));
    }
    return d;
}

// The 1% critical value of D (asymptotic Kolmogorov: 1.628 / sqrt(n)).
inline double ks_critical_1pct(std::size_t n) { return 1.628 / std::sqrt(static_cast<double>(n)); }

}  // namespace offroi_test
