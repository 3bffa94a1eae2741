#pragma once
// Test helper: a private, exactly order-independent accumulator for the engine tests.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace {

// Keeps every value; statistics are computed on the sorted values, so the engine tests
// check the engine independently of the stats layer.
class exact_bag {
public:
    void add(const double* x, std::size_t n) { v_.insert(v_.end(), x, x + n); sorted_ = false; }
    void merge(const exact_bag& o) { v_.insert(v_.end(), o.v_.begin(), o.v_.end()); sorted_ = false; }
    std::uint64_t count() const { return v_.size(); }
    const std::vector<double>& sorted() const {
        if (!sorted_) { std::sort(v_.begin(), v_.end()); sorted_ = true; }
        return v_;
    }
    double mean() const {
        const auto& s = sorted();
        long double acc = 0;
        for (double x : s) acc += x;
        return static_cast<double>(acc / s.size());
    }
    double variance() const {
        const auto& s = sorted();
        const double m = mean();
        long double acc = 0;
        for (double x : s) acc += (x - m) * (x - m);
        return static_cast<double>(acc / (s.size() - 1));
    }
    double standard_error() const { return std::sqrt(variance() / count()); }
    double quantile(double p) const {  // type 7
        const auto& s = sorted();
        const double h = (s.size() - 1) * p;
        const std::size_t i = static_cast<std::size_t>(h);
        if (i + 1 >= s.size()) return s.back();
        return s[i] + (h - i) * (s[i + 1] - s[i]);
    }

private:
    mutable std::vector<double> v_;
    mutable bool sorted_ = true;
};

}  // namespace
