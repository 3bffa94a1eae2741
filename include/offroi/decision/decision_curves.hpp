#pragma once
/// \file
/// Acceptability and EVPI curves over a threshold lambda (the cost-effectiveness
/// acceptability curve of health economics, van Hout et al., Health Economics 3:309, 1994;
/// the EVPI curve, Claxton, J Health Econ 18:341, 1999; Barton, Briggs and Fenwick, Value in
/// Health 11:886, 2008, for reading them together). The net benefit of option d in trial i is
/// linear in the threshold: NB_d(lambda)_i = a[d][i] + lambda * b[d][i] -- for example
/// lambda a cost of delay per month (b = discounted months of delay saved) or a required
/// saving (b = -1 for every alternative, 0 for the baseline). For each lambda: P(each option
/// is best) (the acceptability curve), the option with the highest expected NB, the expected
/// loss of each option and the EVPI (value_of_information.hpp), each with its MC SE. By
/// definition EVPI(lambda) = min_d expected loss(lambda), the loss of the optimal option.

#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "offroi/decision/value_of_information.hpp"
#include "offroi/detail/checks.hpp"
#include "offroi/error.hpp"

namespace offroi {

/// The decision at each threshold.
struct decision_curve {
    std::vector<double> lambda;                   ///< the thresholds, as given
    std::vector<decision_summary_result> points;  ///< the decision summary at each

    /// P(option d is best) at each lambda (the acceptability curve of d).
    std::vector<double> p_best(std::size_t d) const {
        std::vector<double> v;
        for (const auto& p : points) v.push_back(p.p_best.at(d).value);
        return v;
    }
    /// EVPI at each lambda (the EVPI curve).
    std::vector<double> evpi() const {
        std::vector<double> v;
        for (const auto& p : points) v.push_back(p.evpi.value);
        return v;
    }
    /// The option with the highest expected NB at each lambda.
    std::vector<std::size_t> optimal() const {
        std::vector<std::size_t> v;
        for (const auto& p : points) v.push_back(p.best);
        return v;
    }
};

/// `steps` equally spaced thresholds from `from` to `to` inclusive (steps = 1: {from}).
/// \throws invalid_argument for a non-finite end, to < from, or steps outside 1 .. 10000
///         (steps = 1 needs from == to).
inline std::vector<double> threshold_grid(double from, double to, std::size_t steps) {
    static constexpr const char* fn = "offroi::threshold_grid";
    detail::check_finite(fn, "from", from);
    detail::check_finite(fn, "to", to);
    if (to < from) detail::throw_invalid(fn, "to", to, "must be >= from (" + detail::format_value(from) + ")");
    if (steps < 1 || steps > 10000) detail::throw_invalid(fn, "steps", double(steps), "must be in 1 .. 10000");
    if (steps == 1 && to != from) detail::throw_invalid(fn, "steps", 1, "must be >= 2 when to > from");
    std::vector<double> v(steps);
    for (std::size_t k = 0; k < steps; ++k)
        v[k] = steps == 1 ? from : (k + 1 == steps ? to : from + (to - from) * double(k) / double(steps - 1));
    return v;
}

/// The decision summary at each lambda of NB_d(lambda) = a[d] + lambda b[d] (file comment).
/// \param a, b  D >= 1 columns each, of n >= 2 finite values, the same shape.
/// \param lambda the thresholds (finite, at least one).
/// \throws invalid_argument naming the field, value and what is allowed.
inline decision_curve decision_curves(sample_columns a, sample_columns b, std::span<const double> lambda) {
    static constexpr const char* fn = "offroi::decision_curves";
    detail::voi::check_nb(fn, a, 2);
    if (b.size() != a.size())
        detail::throw_invalid(fn, "b (options)", double(b.size()), "must equal the options of a, " + std::to_string(a.size()));
    const std::size_t D = a.size(), n = a[0].size();
    for (std::size_t d = 0; d < D; ++d) {
        if (b[d].size() != n)
            detail::throw_invalid(fn, "b[" + std::to_string(d) + "] length", double(b[d].size()),
                                  "must equal the length of a[0], " + std::to_string(n));
        for (std::size_t i = 0; i < n; ++i)
            if (!std::isfinite(b[d][i]))
                detail::throw_invalid(fn, "b[" + std::to_string(d) + "][" + std::to_string(i) + "]", b[d][i], "must be finite");
    }
    if (lambda.empty()) detail::throw_invalid(fn, "lambda (thresholds)", 0, "must be >= 1 threshold");
    for (std::size_t k = 0; k < lambda.size(); ++k)
        detail::check_finite(fn, "lambda[" + std::to_string(k) + "]", lambda[k]);
    decision_curve c;
    c.lambda.assign(lambda.begin(), lambda.end());
    std::vector<std::vector<double>> nb(D, std::vector<double>(n));
    for (double l : lambda) {
        for (std::size_t d = 0; d < D; ++d)
            for (std::size_t i = 0; i < n; ++i) nb[d][i] = a[d][i] + l * b[d][i];
        c.points.push_back(decision_summary(nb));
    }
    return c;
}

/// Overload for vectors of columns.
inline decision_curve decision_curves(const std::vector<std::vector<double>>& a, const std::vector<std::vector<double>>& b,
                                      std::span<const double> lambda) {
    const auto as = column_spans(a), bs = column_spans(b);
    return decision_curves(sample_columns(as), sample_columns(bs), lambda);
}

}  // namespace offroi
