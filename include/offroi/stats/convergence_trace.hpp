#pragma once
/// \file
/// `convergence_trace`: how the estimates of one output settle as trials accumulate — the
/// mean with its confidence interval and chosen percentiles at checkpoints — as @RISK's
/// convergence monitoring and Crystal Ball's precision control show it. The engine (or a
/// caller) records the merged summary at fixed trial counts, so a trace is as reproducible
/// as the summaries it reads.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "offroi/detail/checks.hpp"
#include "offroi/error.hpp"
#include "offroi/stats/interval.hpp"
#include "offroi/stats/streaming_summary.hpp"

namespace offroi {

/// The estimates at one checkpoint.
struct convergence_point {
    std::uint64_t trials = 0;       ///< trials summarised at this checkpoint
    double mean = 0;                ///< mean
    double standard_error = 0;      ///< standard error of the mean
    interval mean_ci;               ///< confidence interval of the mean
    std::vector<double> quantiles;  ///< one per level of the trace (from the summary)
};

/// A sequence of checkpoints of one output; see the file comment.
class convergence_trace {
public:
    /// \param quantile_levels percentile levels to follow, each in (0, 1).
    /// \param confidence_level level of the mean's interval, in (0, 1).
    /// \throws invalid_argument naming the bad level.
    explicit convergence_trace(std::vector<double> quantile_levels = {0.1, 0.5, 0.9},
                               double confidence_level = 0.95)
        : levels_(std::move(quantile_levels)), confidence_level_(confidence_level) {
        for (std::size_t k = 0; k < levels_.size(); ++k)
            detail::check_open_probability("convergence_trace",
                                           "quantile_levels[" + std::to_string(k) + "]", levels_[k]);
        detail::check_open_probability("convergence_trace", "confidence_level", confidence_level);
    }

    /// Appends the estimates of `s` as a checkpoint.
    /// \throws invalid_argument if s has fewer than 2 values or no more trials than the
    ///         previous checkpoint.
    void record(const streaming_summary& s) {
        if (s.count() < 2)
            throw invalid_argument("convergence_trace::record: needs at least 2 values, count() = " +
                                   std::to_string(s.count()));
        if (!points_.empty() && s.count() <= points_.back().trials)
            throw invalid_argument("convergence_trace::record: count() = " + std::to_string(s.count()) +
                                   " must exceed the previous checkpoint's " +
                                   std::to_string(points_.back().trials));
        convergence_point p;
        p.trials = s.count();
        p.mean = s.mean();
        p.standard_error = s.standard_error();
        p.mean_ci = s.mean_ci(confidence_level_);
        p.quantiles.reserve(levels_.size());
        for (double q : levels_) p.quantiles.push_back(s.quantile(q));
        points_.push_back(std::move(p));
    }

    /// The checkpoints, by increasing trials.
    const std::vector<convergence_point>& points() const { return points_; }
    /// The percentile levels followed.
    std::span<const double> quantile_levels() const { return levels_; }
    /// The confidence level of the mean's intervals.
    double confidence_level() const { return confidence_level_; }

    /// The largest relative change of the mean and of every followed percentile between
    /// each of the last `window` checkpoints and the final one, |a - final| / |final| (the
    /// absolute change where final is 0); 0 with fewer than 2 checkpoints. A run has settled
    /// to a relative tolerance r over a window when this is <= r.
    double max_relative_change(std::size_t window) const {
        if (points_.size() < 2 || window == 0) return 0.0;
        const auto& last = points_.back();
        double worst = 0.0;
        auto rel = [](double a, double b) {
            const double d = std::abs(a - b);
            return b != 0.0 ? d / std::abs(b) : d;
        };
        const std::size_t first = points_.size() - 1 - std::min(window, points_.size() - 1);
        for (std::size_t i = first; i + 1 < points_.size(); ++i) {
            worst = std::max(worst, rel(points_[i].mean, last.mean));
            for (std::size_t k = 0; k < levels_.size(); ++k)
                worst = std::max(worst, rel(points_[i].quantiles[k], last.quantiles[k]));
        }
        return worst;
    }

private:
    std::vector<double> levels_;
    double confidence_level_;
    std::vector<convergence_point> points_;
};

}  // namespace offroi
