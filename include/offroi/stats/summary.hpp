#pragma once
/// \file
/// `summary`: what a decision-maker reads about one output — count, mean with its standard
/// error and confidence interval, spread, range, percentiles with distribution-free
/// confidence intervals, the probability of a negative value and the expected shortfall of
/// the loss tail — built from a streaming_summary and, when the run kept them, the samples.
///
/// With samples, percentiles, their intervals and the expected shortfall are exact
/// (`exact == true`); without, they come from the quantile sketch and carry its relative
/// accuracy (`exact == false`, `sketch_relative_accuracy` says how close). Count, mean,
/// standard deviation, standard error, min, max and P(X < 0) are exact in both cases.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "offroi/detail/checks.hpp"
#include "offroi/error.hpp"
#include "offroi/stats/interval.hpp"
#include "offroi/stats/sample_statistics.hpp"
#include "offroi/stats/streaming_summary.hpp"
#include "offroi/stats/tail.hpp"

namespace offroi {

/// What summarize() reports beyond the fixed fields.
struct summary_request {
    /// Percentile levels in (0, 1); P10, P50 and P90 are always reported first.
    std::vector<double> percentiles;
    /// Confidence level of the intervals, in (0, 1).
    double confidence_level = 0.95;
    /// Tail mass of the expected shortfall, in (0, 1].
    double shortfall_alpha = 0.05;
    /// Which tail is the loss: lower for a net benefit, upper for a cost.
    tail shortfall_tail = tail::lower;
};

/// A percentile estimate with its confidence interval.
struct percentile_estimate {
    double p;      ///< level in (0, 1)
    double value;  ///< the estimate (type 7 quantile; from the sketch when not exact)
    interval ci;   ///< distribution-free interval (order statistics), may have infinite ends
};

/// The decision summary of one output; see the file comment.
struct summary {
    bool exact = false;                   ///< percentiles from kept samples (true) or sketch
    double sketch_relative_accuracy = 0;  ///< relative accuracy of sketch-based fields
    std::uint64_t count = 0;              ///< number of trials
    double mean = 0;                      ///< mean (exact sum / n)
    double standard_deviation = 0;        ///< sample standard deviation
    double standard_error = 0;            ///< standard error of the mean
    interval mean_ci;                     ///< confidence interval of the mean (Student's t)
    double confidence_level = 0.95;       ///< level of every interval here
    double min = 0;                       ///< smallest value
    double max = 0;                       ///< largest value
    std::vector<percentile_estimate> percentiles;  ///< P10, P50, P90, then the requested ones
    double prob_negative = 0;             ///< P(X < 0), exact
    double expected_shortfall = 0;        ///< mean of the loss tail of mass shortfall_alpha
    double shortfall_alpha = 0.05;        ///< tail mass of expected_shortfall
    tail shortfall_tail = tail::lower;    ///< which tail expected_shortfall averages

    /// Two levels closer than this are the same level (`percentile(0.3 - 0.2)` is P10).
    static constexpr double level_tolerance = 1e-9;

    /// The estimate at level p (one of `percentiles`, matched within `level_tolerance`).
    /// \throws invalid_argument if p was not reported; the message lists the levels that were.
    const percentile_estimate& percentile(double p) const {
        for (const auto& e : percentiles)
            if (std::fabs(e.p - p) <= level_tolerance) return e;
        std::string reported;
        for (const auto& e : percentiles) reported += (reported.empty() ? "" : ", ") + detail::format_value(e.p);
        detail::throw_invalid("summary::percentile", "p", p,
                              "was not requested (reported levels: " + reported +
                                  "; request more through summary_request::percentiles or "
                                  "simulate_options::percentiles)");
    }
};

/// Builds the summary of one output.
/// \param s the streaming summary of every value.
/// \param samples the same values (any order) when kept, or empty: percentiles, their
///        intervals and the shortfall are then exact; otherwise they come from s's sketch.
/// \param request percentiles, confidence level and shortfall settings.
/// \throws invalid_argument if s has fewer than 2 values, samples is non-empty with a size
///         other than s.count(), or a request field is out of range (named).
inline summary summarize(const streaming_summary& s, std::span<const double> samples,
                         const summary_request& request = {}) {
    constexpr const char* fn = "summarize";
    detail::check_open_probability(fn, "confidence_level", request.confidence_level);
    detail::check_tail_mass(fn, request.shortfall_alpha);
    for (std::size_t k = 0; k < request.percentiles.size(); ++k)
        detail::check_open_probability(fn, "percentiles[" + std::to_string(k) + "]",
                                       request.percentiles[k]);
    if (s.count() < 2)
        throw invalid_argument("summarize: needs at least 2 values, count() = " +
                               std::to_string(s.count()));
    if (!samples.empty() && samples.size() != s.count())
        throw invalid_argument("summarize: samples.size() = " + std::to_string(samples.size()) +
                               " must be 0 or equal to the summary's count() = " +
                               std::to_string(s.count()));

    summary out;
    out.exact = !samples.empty();
    out.sketch_relative_accuracy = s.options().sketch_relative_accuracy;
    out.count = s.count();
    out.mean = s.mean();
    out.standard_deviation = s.standard_deviation();
    out.standard_error = s.standard_error();
    out.confidence_level = request.confidence_level;
    out.mean_ci = s.mean_ci(request.confidence_level);
    out.min = s.min();
    out.max = s.max();
    out.prob_negative = static_cast<double>(s.count_negative()) / static_cast<double>(s.count());
    out.shortfall_alpha = request.shortfall_alpha;
    out.shortfall_tail = request.shortfall_tail;

    std::vector<double> levels = {0.1, 0.5, 0.9};
    for (double p : request.percentiles)
        if (std::none_of(levels.begin(), levels.end(),
                         [p](double l) { return std::fabs(l - p) <= summary::level_tolerance; }))
            levels.push_back(p);

    const double inf = std::numeric_limits<double>::infinity();
    if (out.exact) {
        // Only a few order statistics are needed: select them (O(n log k)) instead of
        // sorting; the values, and the exact tail sum, are the same bits as from a sort.
        detail::check_all_finite("summarize", samples);
        std::vector<double> v(samples.begin(), samples.end());
        for (auto& x : v) x += 0.0;  // -0.0 as +0.0, as sorted_sample does
        const std::size_t n = v.size();
        std::vector<order_statistic_ranks> ci_ranks;
        const std::vector<std::size_t> ranks =
            detail::summary_ranks(n, levels, request.confidence_level, request.shortfall_alpha,
                                  request.shortfall_tail, &ci_ranks);
        detail::select_ranks(v, ranks);
        for (std::size_t i = 0; i < levels.size(); ++i) {
            const auto& r = ci_ranks[i];
            const interval ci{r.lower >= 0 ? v[static_cast<std::size_t>(r.lower)] : -inf,
                              r.upper < static_cast<std::int64_t>(n) ? v[static_cast<std::size_t>(r.upper)] : inf};
            out.percentiles.push_back({levels[i], detail::type7_from_selected(v, levels[i]), ci});
        }
        out.expected_shortfall =
            detail::shortfall_from_selected(v, request.shortfall_alpha, request.shortfall_tail);
    } else {
        for (double p : levels) {
            const auto r = quantile_ci_ranks(s.count(), p, request.confidence_level);
            const interval ci{r.lower >= 0 ? s.value_at_rank(static_cast<std::uint64_t>(r.lower)) : -inf,
                              r.upper < static_cast<std::int64_t>(s.count())
                                  ? s.value_at_rank(static_cast<std::uint64_t>(r.upper))
                                  : inf};
            out.percentiles.push_back({p, s.quantile(p), ci});
        }
        out.expected_shortfall = s.expected_shortfall(request.shortfall_alpha, request.shortfall_tail);
    }
    return out;
}

}  // namespace offroi
