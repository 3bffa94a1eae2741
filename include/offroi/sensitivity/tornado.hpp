#pragma once
/// \file
/// Tornado analysis: one-at-a-time swings. Every input is held at its base quantile
/// (default the median, P50) while one input at a time is set to its low quantile (default
/// P10) and then its high quantile (default P90); the model's output at both ends gives a
/// bar whose width (the swing) is |f(high) - f(low)|. Bars are sorted by swing, widest
/// first (ties keep input order). Cost: 1 + 2d model evaluations, no sampling.
///
/// What it does not show: interactions (only one input moves at a time) and effects that
/// peak inside the range (only the two ends are evaluated). A non-monotone input can have a
/// small swing and a large effect; the Sobol' indices catch that.
///
/// Correlated inputs: the swings ignore correlation; each input moves alone while the
/// others stay at their base values, even when in reality they would move with it. The
/// bar is then the direct effect of the input, not the effect of "this input and what comes
/// with it".

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "offroi/detail/checks.hpp"
#include "offroi/error.hpp"
#include "offroi/sensitivity/model_evaluation.hpp"

namespace offroi {

/// Options of `tornado`.
struct tornado_options {
    double low_probability = 0.1;   ///< quantile level of the low end (P10)
    double high_probability = 0.9;  ///< quantile level of the high end (P90)
    double base_probability = 0.5;  ///< quantile level every other input is held at (P50)
    std::vector<std::string> names; ///< one name per input, or empty for x1..xd
};

/// One bar of the tornado.
struct tornado_bar {
    std::size_t input = 0;         ///< position of the input in the list given
    std::string name;              ///< its name
    double low_input = 0.0;        ///< the input's low value (its low quantile)
    double high_input = 0.0;       ///< the input's high value (its high quantile)
    double output_at_low = 0.0;    ///< model output with this input at its low value
    double output_at_high = 0.0;   ///< model output with this input at its high value
    double swing = 0.0;            ///< |output_at_high - output_at_low|
};

/// Result of `tornado`.
struct tornado_result {
    std::vector<double> base_inputs;  ///< every input at its base quantile
    double base_output = 0.0;         ///< model output at the base inputs
    std::vector<tornado_bar> bars;    ///< one per input, widest swing first
};

/// Tornado of model `f` over inputs with the given marginals (see the file comment).
/// \param f      batch or point model; evaluated once on 2d + 1 rows.
/// \param inputs one marginal per input; `quantile(m, p)` must be found by ADL.
/// \throws offroi::invalid_argument no inputs; a probability outside (0, 1); low >= high;
///         names of the wrong length; a quantile that is not finite.
///         offroi::numerical_error when the model returns a non-finite value.
template <sensitivity_model F, quantile_marginal Marginal>
tornado_result tornado(const F& f, const std::vector<Marginal>& inputs,
                       const tornado_options& options = {}) {
    constexpr const char* fn = "tornado";
    const std::size_t d = inputs.size();
    if (d == 0) throw invalid_argument("tornado: no inputs given; need at least 1");
    detail::check_open_probability(fn, "low_probability", options.low_probability);
    detail::check_open_probability(fn, "high_probability", options.high_probability);
    detail::check_open_probability(fn, "base_probability", options.base_probability);
    if (!(options.low_probability < options.high_probability))
        detail::throw_invalid(fn, "low_probability", options.low_probability,
                              "must be below high_probability = " +
                                  detail::format_value(options.high_probability));
    const auto names = detail::input_names(options.names, d, fn);

    tornado_result res;
    res.base_inputs.resize(d);
    std::vector<double> lo(d), hi(d);
    for (std::size_t i = 0; i < d; ++i) {
        res.base_inputs[i] = static_cast<double>(quantile(inputs[i], options.base_probability));
        lo[i] = static_cast<double>(quantile(inputs[i], options.low_probability));
        hi[i] = static_cast<double>(quantile(inputs[i], options.high_probability));
        for (double v : {res.base_inputs[i], lo[i], hi[i]})
            if (!std::isfinite(v))
                detail::throw_invalid(fn, "a quantile of input " + names[i], v, "must be finite");
    }
    // Row 0: base; row 1 + 2i: input i low; row 2 + 2i: input i high.
    Eigen::MatrixXd X(Eigen::Index(2 * d + 1), Eigen::Index(d));
    for (Eigen::Index r = 0; r < X.rows(); ++r)
        for (std::size_t i = 0; i < d; ++i) X(r, Eigen::Index(i)) = res.base_inputs[i];
    for (std::size_t i = 0; i < d; ++i) {
        X(Eigen::Index(1 + 2 * i), Eigen::Index(i)) = lo[i];
        X(Eigen::Index(2 + 2 * i), Eigen::Index(i)) = hi[i];
    }
    Eigen::VectorXd y;
    detail::evaluate_model(f, X, y, fn);
    res.base_output = y(0);
    res.bars.resize(d);
    for (std::size_t i = 0; i < d; ++i) {
        auto& b = res.bars[i];
        b.input = i;
        b.name = names[i];
        b.low_input = lo[i];
        b.high_input = hi[i];
        b.output_at_low = y(Eigen::Index(1 + 2 * i));
        b.output_at_high = y(Eigen::Index(2 + 2 * i));
        b.swing = std::abs(b.output_at_high - b.output_at_low);
    }
    std::stable_sort(res.bars.begin(), res.bars.end(),
                     [](const tornado_bar& a, const tornado_bar& b) { return a.swing > b.swing; });
    return res;
}

}  // namespace offroi
