#pragma once
/// \file
/// How the sensitivity layer calls a model and maps inputs.
///
/// A model under study is either
/// - a *batch model*: `void f(const Eigen::MatrixXd& X, Eigen::VectorXd& y)`, with X of
///   n rows (trials) and d columns (one per input, in the order the inputs are given); the
///   layer resizes `y` to n before the call and `f` writes y(r) = model(X.row(r)); or
/// - a *point model*: `double f(std::span<const double> x)` with x of size d.
///
/// Models are called concurrently from several threads when a function's `threads` option
/// is not 1, so `f` must be safe to call concurrently (a const, stateless callable is).
/// Every output is checked: a NaN or infinity from the model throws
/// `offroi::numerical_error` naming the function and the input row, never a silent NaN.
///
/// Inputs are marginals in the Boost.Math style: any type `M` for which
/// `quantile(m, p)` (found by argument-dependent lookup) gives the p-quantile, e.g.
/// `boost::math::uniform_distribution<>` or `offroi::distribution`. When a batch
/// `quantile(m, const double* p, double* x, std::size_t n)` exists it is used instead.

#include <Eigen/Core>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <exception>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "offroi/detail/parallel_tasks.hpp"
#include "offroi/error.hpp"

namespace offroi {

/// A vectorised model: fills y (already sized to X.rows()) from the rows of X.
template <class F>
concept batch_model = requires(const F& f, const Eigen::MatrixXd& X, Eigen::VectorXd& y) {
    f(X, y);
};

/// A per-point model: returns the output for one input vector.
template <class F>
concept point_model = requires(const F& f, std::span<const double> x) {
    { f(x) } -> std::convertible_to<double>;
};

/// Either kind of model the sensitivity layer accepts.
template <class F>
concept sensitivity_model = batch_model<F> || point_model<F>;

/// A marginal whose quantile function is found by ADL (`quantile(m, p)`).
template <class M>
concept quantile_marginal = requires(const M& m, double p) {
    { quantile(m, p) } -> std::convertible_to<double>;
};

namespace detail {

/// U(0, 1) as a marginal: the overloads that work "in uniform space" use it.
struct unit_uniform_marginal {};

/// quantile of U(0, 1) is the identity.
inline double quantile(const unit_uniform_marginal&, double p) noexcept { return p; }

/// The batch quantile when the marginal offers one, else the scalar one in a loop.
template <quantile_marginal M>
void marginal_quantiles(const M& m, const double* p, double* x, std::size_t n) {
    if constexpr (requires { quantile(m, p, x, n); }) {
        quantile(m, p, x, n);
    } else {
        for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<double>(quantile(m, p[i]));
    }
}

/// Evaluates model `f` on the rows of X into y (resized to X.rows()) and checks every
/// output is finite; `fn` names the calling function in the error, `first_row` is the
/// global index of X's first row (for the message).
template <sensitivity_model F>
void evaluate_model(const F& f, const Eigen::MatrixXd& X, Eigen::VectorXd& y,
                    std::string_view fn, std::size_t first_row = 0) {
    y.resize(X.rows());
    if constexpr (batch_model<F>) {
        f(X, y);
        if (y.size() != X.rows())
            throw invalid_argument(std::string(fn) + ": the model resized its output to " +
                                   std::to_string(y.size()) + " rows; expected " +
                                   std::to_string(X.rows()));
    } else {
        std::vector<double> row(static_cast<std::size_t>(X.cols()));
        for (Eigen::Index r = 0; r < X.rows(); ++r) {
            for (Eigen::Index c = 0; c < X.cols(); ++c) row[std::size_t(c)] = X(r, c);
            y(r) = static_cast<double>(f(std::span<const double>(row)));
        }
    }
    for (Eigen::Index r = 0; r < y.size(); ++r) {
        if (!std::isfinite(y(r)))
            throw numerical_error(std::string(fn) + ": the model returned " +
                                  format_value(y(r)) + " (not finite) for input row " +
                                  std::to_string(first_row + std::size_t(r)));
    }
}

/// Evaluates a model at one point (either kind of model).
template <sensitivity_model F>
double evaluate_point(const F& f, std::span<const double> x, std::string_view fn) {
    double v;
    if constexpr (point_model<F>) {
        v = static_cast<double>(f(x));
    } else {
        Eigen::MatrixXd X(1, Eigen::Index(x.size()));
        for (std::size_t c = 0; c < x.size(); ++c) X(0, Eigen::Index(c)) = x[c];
        Eigen::VectorXd y(1);
        f(X, y);
        if (y.size() != 1)
            throw invalid_argument(std::string(fn) + ": the model resized its output to " +
                                   std::to_string(y.size()) + " rows; expected 1");
        v = y(0);
    }
    if (!std::isfinite(v))
        throw numerical_error(std::string(fn) + ": the model returned " + format_value(v) +
                              " (not finite)");
    return v;
}

/// The input names: `names` when given (must have d entries), else "x1", ..., "xd".
inline std::vector<std::string> input_names(const std::vector<std::string>& names,
                                            std::size_t d, std::string_view fn) {
    if (names.empty()) {
        std::vector<std::string> out(d);
        for (std::size_t i = 0; i < d; ++i) {
            // Built by push_back: `"x" + ...` trips a GCC 12 -Wrestrict false positive.
            out[i].push_back('x');
            out[i].append(std::to_string(i + 1));
        }
        return out;
    }
    if (names.size() != d)
        throw invalid_argument(std::string(fn) + ": names has " + std::to_string(names.size()) +
                               " entries but there are " + std::to_string(d) +
                               " inputs; give one name per input or none");
    return names;
}

/// Type-7 (linear interpolation) quantile of sorted data.
inline double sorted_quantile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0.0;
    const double h = p * double(sorted.size() - 1);
    const std::size_t lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (h - double(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace detail
}  // namespace offroi
