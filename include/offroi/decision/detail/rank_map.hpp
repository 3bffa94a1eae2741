#pragma once
/// \file
/// Internal: the empirical distribution function of one input column as a map to (0, 1).
/// Training values map to their mid-rank positions u = (mid-rank - 1/2) / n; new values
/// between two training values are interpolated linearly, values beyond the range clamp to
/// the end positions. Ties share one position, so a discrete input keeps its levels. Used by
/// the smoothers (pspline.hpp, boosted_trees.hpp) so that they work on ranks: invariant to
/// monotone transforms of the input, robust to heavy tails and to infinite values.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "offroi/detail/sort_order.hpp"

namespace offroi::detail::voi {

class rank_map {
public:
    /// Fits the map on x (no NaN; +-inf allowed) and writes the training positions to u.
    void fit(std::span<const double> x, std::vector<double>& u) {
        const std::size_t n = x.size();
        std::vector<std::uint32_t> order(n);
        sort_scratch scratch;
        sort_order(x.data(), n, scratch, order.data());
        values_.clear();
        pos_.clear();
        u.assign(n, 0.0);
        for (std::size_t r = 0; r < n;) {
            std::size_t e = r + 1;
            while (e < n && x[order[e]] == x[order[r]]) ++e;
            // ranks r+1 .. e (1-based): mid-rank (r + 1 + e) / 2
            const double p = ((double(r + 1) + double(e)) / 2.0 - 0.5) / double(n);
            values_.push_back(x[order[r]]);
            pos_.push_back(p);
            for (std::size_t k = r; k < e; ++k) u[order[k]] = p;
            r = e;
        }
    }

    /// Position of a new value (x not NaN).
    double operator()(double x) const {
        const std::size_t m = values_.size();
        if (m == 0) return 0.5;
        if (!(x > values_.front())) return pos_.front();
        if (!(x < values_.back())) return pos_.back();
        std::size_t lo = 0, hi = m - 1;  // values_[lo] < x < values_[hi]
        while (hi - lo > 1) {
            const std::size_t mid = (lo + hi) / 2;
            if (values_[mid] <= x) lo = mid;
            else hi = mid;
        }
        if (values_[lo] == x) return pos_[lo];
        const double a = values_[lo], b = values_[hi];
        if (!std::isfinite(a) || !std::isfinite(b)) return std::isfinite(a) ? pos_[lo] : pos_[hi];
        return pos_[lo] + (pos_[hi] - pos_[lo]) * ((x - a) / (b - a));
    }

    /// Number of distinct training values.
    std::size_t distinct() const noexcept { return values_.size(); }
    /// The distinct training values, increasing.
    const std::vector<double>& values() const noexcept { return values_; }
    /// Their positions in (0, 1).
    const std::vector<double>& positions() const noexcept { return pos_; }

private:
    std::vector<double> values_, pos_;
};

}  // namespace offroi::detail::voi
