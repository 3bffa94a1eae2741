#pragma once
/// \file
/// `month_outcome`: a month output (delivery, cash break-even, cost parity) with "never" as a
/// first-class outcome. The per-trial month is stored as a number: within the horizon the
/// month it happens, beyond it the model's extrapolation at the last month's run rate, and
/// `never_month` (9999) when not even the extrapolation gets there. A mean or a percentile
/// over those numbers mixes months with "not within the horizon" (a mean delivery month of
/// 36.2 on a 36-month horizon), so a month output is reported as
///  - the probability that it happens within the horizon, beyond it (extrapolated) and never;
///  - the summary of the month *conditional on it happening within the horizon* (count, mean,
///    standard deviation and error, P10/P50/P90, min, max of those trials only).
/// Exact from kept samples (the trials whose within-horizon indicator is 1); otherwise the
/// probabilities are exact counts (the indicator's exact mean; "never" counted above
/// never_month / 2, where no month lies) and the conditional percentiles and mean come from
/// the streaming quantile sketch (the k smallest values, k = the count within the horizon:
/// the month is within the horizon exactly when it is among the smallest).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "offroi/detail/sort_order.hpp"
#include "offroi/model/evaluate.hpp"
#include "offroi/model/simulate.hpp"

namespace offroi {

/// A month output of one arrangement with "never" apart (see the file comment).
struct month_outcome {
    std::string field;                ///< "delivery_month", "breakeven_month" or "parity_month"
    std::string indicator;            ///< its per-trial within-horizon output ("delivered", ...)
    bool exact = false;               ///< conditional summary from kept samples (true) or the sketch
    std::uint64_t trials = 0;         ///< all trials
    std::uint64_t count_within = 0;   ///< trials in which it happens within the horizon
    double prob_within_horizon = 0;   ///< P(month <= horizon), exact
    double prob_beyond_horizon = 0;   ///< P(horizon < month < never): extrapolated at the run rate
    double prob_never = 0;            ///< P(not reached even extrapolated) (month == never_month)
    /// Summary of the month over the trials within the horizon; NaN when it is empty
    /// (sd and se need two trials).
    double mean = std::numeric_limits<double>::quiet_NaN();
    double standard_deviation = std::numeric_limits<double>::quiet_NaN();  ///< conditional sd
    double standard_error = std::numeric_limits<double>::quiet_NaN();      ///< sd / sqrt(count_within)
    double p10 = std::numeric_limits<double>::quiet_NaN();  ///< conditional P10 (type 7)
    double p50 = std::numeric_limits<double>::quiet_NaN();  ///< conditional median
    double p90 = std::numeric_limits<double>::quiet_NaN();  ///< conditional P90
    double min = std::numeric_limits<double>::quiet_NaN();  ///< earliest month within the horizon
    double max = std::numeric_limits<double>::quiet_NaN();  ///< latest month within the horizon
};

/// The month outputs and the per-trial indicator of "within the horizon" each goes with.
inline constexpr std::pair<std::string_view, std::string_view> month_fields[] = {
    {"delivery_month", "delivered"},
    {"breakeven_month", "breakeven_in_horizon"},
    {"parity_month", "parity_in_horizon"},
};

namespace detail {

inline double type7(const std::vector<double>& sorted, double p) {
    const double h = p * double(sorted.size() - 1);
    const auto k = static_cast<std::size_t>(std::floor(h));
    if (k + 1 >= sorted.size()) return sorted.back();
    return sorted[k] + (h - double(k)) * (sorted[k + 1] - sorted[k]);
}

}  // namespace detail

/// The month outcomes of an arrangement of `r`, in `month_fields` order, for those of its
/// outputs that the run summarised. A delivery month that is 0 in every trial (the capacity
/// framing: an ongoing team has no delivery date) is left out.
/// \throws invalid_argument if `arrangement` is not in `r` (names them).
inline std::vector<month_outcome> month_outcomes(const scenario_result& r, std::string_view arrangement) {
    const arrangement_result& a = r.arrangement(arrangement);
    const auto& names = r.run.output_names();
    auto has = [&](const std::string& n) { return std::find(names.begin(), names.end(), n) != names.end(); };
    std::vector<month_outcome> out;
    detail::sort_scratch scratch;
    for (const auto& [field_v, ind_v] : month_fields) {
        const std::string field(field_v), ind(ind_v);
        const std::string col = a.name + "." + field, icol = a.name + "." + ind;
        if (!has(col) || !has(icol)) continue;
        const auto& sm = r.run.summary(col);
        const auto& si = r.run.summary(icol);
        const std::uint64_t n = sm.count();
        if (n == 0) continue;
        if (field == "delivery_month" && sm.min() == 0.0 && sm.max() == 0.0) continue;
        month_outcome m;
        m.field = field;
        m.indicator = ind;
        m.trials = n;
        // The indicator is 0/1: its exact sum is the count.
        m.count_within = static_cast<std::uint64_t>(std::llround(si.sum()));
        m.prob_within_horizon = double(m.count_within) / double(n);
        std::vector<double> within;
        std::uint64_t never = 0;
        if (r.run.samples_kept()) {
            m.exact = true;
            const auto x = r.run.samples(col);
            const auto w = r.run.samples(icol);
            for (std::size_t i = 0; i < x.size(); ++i) {
                if (w[i] > 0.5) within.push_back(x[i]);
                else if (x[i] >= never_month) ++never;
            }
        } else {
            // No month lies near never_month / 2: the sketch's count above it is exact.
            never = static_cast<std::uint64_t>(std::llround(sm.prob_exceed(0.5 * never_month) * double(n)));
            const std::uint64_t k = m.count_within;
            const std::uint64_t pts = std::min<std::uint64_t>(k, 4096);
            // Midpoint ranks of k / pts equal slices stand for the k smallest values.
            for (std::uint64_t j = 0; j < pts; ++j) {
                const auto rank = static_cast<std::uint64_t>((double(j) + 0.5) * double(k) / double(pts));
                within.push_back(sm.value_at_rank(std::min(rank, k - 1)));
            }
        }
        // From the counts, so that the three shares add up to 1 without rounding residue.
        never = std::min(never, n - m.count_within);
        m.prob_never = double(never) / double(n);
        m.prob_beyond_horizon = double(n - m.count_within - never) / double(n);
        if (!within.empty()) {
            detail::sort_values(within, scratch);
            double s = 0;
            for (double v : within) s += v;
            m.mean = s / double(within.size());
            if (within.size() > 1) {
                double ss = 0;
                for (double v : within) ss += (v - m.mean) * (v - m.mean);
                m.standard_deviation = std::sqrt(ss / double(within.size() - 1));
                m.standard_error = m.standard_deviation / std::sqrt(double(m.count_within));
            }
            m.p10 = detail::type7(within, 0.1);
            m.p50 = detail::type7(within, 0.5);
            m.p90 = detail::type7(within, 0.9);
            m.min = within.front();
            m.max = within.back();
            if (!m.exact && m.count_within > 0) {
                // The sketch's quantiles at the conditional levels (type 7 over the k smallest).
                const double k1 = double(m.count_within - 1);
                auto q = [&](double p) {
                    const double h = p * k1;
                    const auto lo = static_cast<std::uint64_t>(std::floor(h));
                    const double a = sm.value_at_rank(lo);
                    if (lo + 1 >= m.count_within) return a;
                    return a + (h - double(lo)) * (sm.value_at_rank(lo + 1) - a);
                };
                m.p10 = q(0.1);
                m.p50 = q(0.5);
                m.p90 = q(0.9);
                m.min = sm.min();
                m.max = sm.value_at_rank(m.count_within - 1);
            }
        }
        out.push_back(std::move(m));
    }
    return out;
}

}  // namespace offroi
