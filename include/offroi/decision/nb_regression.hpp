#pragma once
/// \file
/// `nb_regression`: a non-parametric regression of one or more responses (net benefits, or
/// incremental net benefits) on one or more inputs, fitted on Monte Carlo samples and usable
/// to predict at new points. It is the regression step of EVPPI by regression on the
/// simulation's own samples (Strong, Oakley and Brennan, Medical Decision Making 34:311,
/// 2014; value_of_information.hpp), and serves EVSI by regression on simulated summary
/// statistics (Strong et al., MDM 35:570, 2015) and least-squares Monte Carlo policies
/// (Longstaff and Schwartz, RFS 14:113, 2001).
///
/// Methods (`regression_method`; `automatic` picks by the number of inputs):
///  - one input: a cubic P-spline (Eilers and Marx 1996) on the input's rank positions
///    u = (mid-rank - 1/2) / n, 40 equal segments at n >= 4000 (n / 100, at least 4, below),
///    second-difference penalty, smoothing by GCV (per response). Working on ranks places the
///    knots at the input's quantiles (every coefficient is fitted from the same number of
///    trials), makes the fit invariant to monotone transforms of the input and immune to
///    heavy tails and infinite draws (a time to fill of +inf is just the largest rank); the
///    smoothing penalty shrinks towards a straight line in u. An input with at most
///    `max_cell_levels` distinct values (a discrete input) uses the cell means instead: the
///    exact conditional mean at each level.
///  - two inputs: the tensor product of two such bases (10 segments each at n >= 10^4), one
///    second-difference penalty per direction; GCV over the overall smoothing and the ratio
///    of the two (a decade grid refined by half decades).
///  - three or more: gradient-boosted regression trees on rank-binned inputs with K-fold
///    cross-fitting (detail/boosted_trees.hpp): fitted values are out-of-fold, so the
///    regression cannot memorise the noise of the trials it is evaluated on.
/// Overfitting: the splines' smoothing is chosen by GCV, an estimate of out-of-sample error;
/// the trees are cross-fitted. `fitted()` are the values the EVPPI uses.
///
/// Inputs may hold +-inf (they enter by rank only) but no NaN; responses must be finite.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "offroi/decision/detail/boosted_trees.hpp"
#include "offroi/decision/detail/pspline.hpp"
#include "offroi/decision/detail/rank_map.hpp"
#include "offroi/error.hpp"

namespace offroi {

/// The regression behind `nb_regression` (see the file comment).
enum class regression_method {
    automatic,      ///< 1 input: spline (cell means if discrete); 2: tensor spline; 3+: boosted trees
    cell_means,     ///< one discrete input: the mean of each level
    spline,         ///< one input: P-spline; two inputs: tensor-product P-spline (GCV)
    boosted_trees   ///< any number of inputs: cross-fitted gradient-boosted trees
};

/// The name of a method, as reports print it ("cell means", "P-spline (GCV)",
/// "tensor P-spline (GCV)", "boosted trees (cross-fitted)").
inline std::string regression_method_name(regression_method m, std::size_t inputs = 1) {
    switch (m) {
        case regression_method::automatic: return "automatic";
        case regression_method::cell_means: return "cell means";
        case regression_method::spline: return inputs >= 2 ? "tensor P-spline (GCV)" : "P-spline (GCV)";
        case regression_method::boosted_trees: return "boosted trees (cross-fitted)";
    }
    return "?";
}

/// Settings of `nb_regression::fit`.
struct nb_regression_options {
    regression_method method = regression_method::automatic;  ///< which regression
    /// Spline segments per direction (0: automatic, see the file comment); 1 .. 200.
    std::size_t segments = 0;
    /// `automatic` with one input: at most this many distinct values -> cell means.
    std::size_t max_cell_levels = 24;
    boosted_trees_options trees;  ///< the boosted trees' settings
    unsigned threads = 0;         ///< worker threads for the trees' folds (0 = all); never changes results
};

/// A fitted regression of responses y_r (r = 0 .. R-1) on inputs x_j (j = 0 .. g-1), all
/// columns of n trials: E[y_r | x] estimated by the method of `nb_regression_options`.
class nb_regression {
public:
    /// Columns of equal length: `columns[j][i]` is column j at trial i.
    using columns = std::span<const std::span<const double>>;

    /// Fits every response on the inputs.
    /// \param inputs    g >= 1 columns of n >= 10 values (no NaN; +-inf allowed).
    /// \param responses R >= 1 columns of n finite values.
    /// \throws invalid_argument naming the field, its value and what is allowed: no
    ///         inputs or responses, mismatched lengths, n < 10, a NaN input, a non-finite
    ///         response, a method that does not fit the number of inputs, bad settings.
    void fit(columns inputs, columns responses, const nb_regression_options& o = {}) {
        static constexpr const char* fn = "offroi::nb_regression::fit";
        if (inputs.empty()) detail::throw_invalid(fn, "inputs (columns)", 0, "must be >= 1 input column");
        if (responses.empty()) detail::throw_invalid(fn, "responses (columns)", 0, "must be >= 1 response column");
        const std::size_t n = responses[0].size();
        if (n < 10) detail::throw_invalid(fn, "trials (length of responses[0])", double(n), "must be >= 10 for a regression");
        for (std::size_t r = 0; r < responses.size(); ++r) {
            if (responses[r].size() != n)
                detail::throw_invalid(fn, "responses[" + std::to_string(r) + "] length", double(responses[r].size()),
                                      "must equal the length of responses[0], " + std::to_string(n));
            for (std::size_t i = 0; i < n; ++i)
                if (!std::isfinite(responses[r][i]))
                    detail::throw_invalid(fn, "responses[" + std::to_string(r) + "][" + std::to_string(i) + "]",
                                          responses[r][i], "must be finite");
        }
        for (std::size_t j = 0; j < inputs.size(); ++j) {
            if (inputs[j].size() != n)
                detail::throw_invalid(fn, "inputs[" + std::to_string(j) + "] length", double(inputs[j].size()),
                                      "must equal the number of trials of the responses, " + std::to_string(n));
            for (std::size_t i = 0; i < n; ++i)
                if (std::isnan(inputs[j][i]))
                    detail::throw_invalid(fn, "inputs[" + std::to_string(j) + "][" + std::to_string(i) + "]",
                                          inputs[j][i], "must not be NaN (+-inf is allowed: inputs enter by rank)");
        }
        check_options(o, inputs.size(), n);
        g_ = inputs.size();
        R_ = responses.size();
        n_ = n;
        o_ = o;
        maps_.assign(g_, {});
        std::vector<std::vector<double>> u(g_);
        for (std::size_t j = 0; j < g_; ++j) maps_[j].fit(inputs[j], u[j]);

        method_ = o.method;
        if (method_ == regression_method::automatic) {
            if (g_ == 1) method_ = maps_[0].distinct() <= o.max_cell_levels ? regression_method::cell_means
                                                                              : regression_method::spline;
            else if (g_ == 2) method_ = regression_method::spline;
            else method_ = regression_method::boosted_trees;
        }
        fitted_.assign(R_, std::vector<double>(n));
        edf_.assign(R_, std::numeric_limits<double>::quiet_NaN());
        rounds_ = 0;
        if (method_ == regression_method::cell_means) {
            fit_cells(u[0], responses);
        } else if (method_ == regression_method::spline) {
            seg_ = o.segments ? o.segments : automatic_segments(g_, n);
            spline_.fit(u, responses, seg_);
            edf_ = spline_.edf();
            for (std::size_t r = 0; r < R_; ++r)
                for (std::size_t i = 0; i < n; ++i) fitted_[r][i] = spline_.predict(u, i, r);
        } else {
            const auto st = detail::voi::standardise(responses);
            mean_ = st.mean;
            scale_ = st.scale;
            std::vector<std::vector<double>> ys(R_, std::vector<double>(n));
            std::vector<std::span<const double>> yspan;
            for (std::size_t r = 0; r < R_; ++r) {
                for (std::size_t i = 0; i < n; ++i) ys[r][i] = (responses[r][i] - mean_[r]) / scale_;
                yspan.emplace_back(ys[r]);
            }
            std::vector<std::uint8_t> codes(n * g_);
            for (std::size_t i = 0; i < n; ++i)
                for (std::size_t j = 0; j < g_; ++j) codes[i * g_ + j] = bin_of(u[j][i]);
            trees_.fit(codes, u, yspan, o.trees, o.threads);
            rounds_ = trees_.rounds();
            for (std::size_t r = 0; r < R_; ++r)
                for (std::size_t i = 0; i < n; ++i) fitted_[r][i] = mean_[r] + scale_ * trees_.out_of_fold()[r][i];
        }
        r2_.assign(R_, 0.0);
        for (std::size_t r = 0; r < R_; ++r) {
            long double m = 0.0L;
            for (double v : responses[r]) m += v;
            m /= static_cast<long double>(n);
            long double tot = 0.0L, res = 0.0L;
            for (std::size_t i = 0; i < n; ++i) {
                tot += (responses[r][i] - m) * (responses[r][i] - m);
                res += (responses[r][i] - fitted_[r][i]) * (responses[r][i] - fitted_[r][i]);
            }
            r2_[r] = tot > 0.0L ? double(1.0L - res / tot) : 0.0;
        }
    }

    /// Convenience: one input column.
    void fit(std::span<const double> input, columns responses, const nb_regression_options& o = {}) {
        const std::span<const double> in[1] = {input};
        fit(columns(in), responses, o);
    }

    /// Predictions at new points: result[r][i] for the rows of `inputs` (g columns of equal
    /// length, no NaN). Splines and cell means interpolate in rank position between the
    /// training values and hold the end values beyond them; boosted trees average their K
    /// fold models.
    /// \throws invalid_argument if not fitted, for a wrong number of columns, mismatched
    ///         lengths or a NaN.
    std::vector<std::vector<double>> predict(columns inputs) const {
        static constexpr const char* fn = "offroi::nb_regression::predict";
        if (n_ == 0) throw invalid_argument(std::string(fn) + ": the regression is not fitted (call fit first)");
        if (inputs.size() != g_)
            detail::throw_invalid(fn, "inputs (columns)", double(inputs.size()),
                                  "must equal the number of inputs fitted, " + std::to_string(g_));
        const std::size_t m = inputs[0].size();
        for (std::size_t j = 0; j < g_; ++j) {
            if (inputs[j].size() != m)
                detail::throw_invalid(fn, "inputs[" + std::to_string(j) + "] length", double(inputs[j].size()),
                                      "must equal the length of inputs[0], " + std::to_string(m));
            for (std::size_t i = 0; i < m; ++i)
                if (std::isnan(inputs[j][i]))
                    detail::throw_invalid(fn, "inputs[" + std::to_string(j) + "][" + std::to_string(i) + "]",
                                          inputs[j][i], "must not be NaN");
        }
        std::vector<std::vector<double>> out(R_, std::vector<double>(m));
        std::vector<std::vector<double>> u(g_, std::vector<double>(m));
        for (std::size_t j = 0; j < g_; ++j)
            for (std::size_t i = 0; i < m; ++i) u[j][i] = maps_[j](inputs[j][i]);
        if (method_ == regression_method::cell_means) {
            for (std::size_t i = 0; i < m; ++i) {
                const double x = inputs[0][i];
                const auto& v = maps_[0].values();
                const std::size_t hi = std::size_t(std::lower_bound(v.begin(), v.end(), x) - v.begin());
                for (std::size_t r = 0; r < R_; ++r) {
                    if (hi == 0) out[r][i] = cells_[r].front();
                    else if (hi == v.size()) out[r][i] = cells_[r].back();
                    else if (v[hi] == x || !std::isfinite(v[hi - 1]) || !std::isfinite(v[hi])) out[r][i] = cells_[r][hi];
                    else {
                        const double t = (x - v[hi - 1]) / (v[hi] - v[hi - 1]);
                        out[r][i] = cells_[r][hi - 1] + t * (cells_[r][hi] - cells_[r][hi - 1]);
                    }
                }
            }
        } else if (method_ == regression_method::spline) {
            for (std::size_t r = 0; r < R_; ++r)
                for (std::size_t i = 0; i < m; ++i) out[r][i] = spline_.predict(u, i, r);
        } else {
            std::vector<std::uint8_t> row(g_);
            std::vector<double> p(R_);
            for (std::size_t i = 0; i < m; ++i) {
                for (std::size_t j = 0; j < g_; ++j) row[j] = bin_of(u[j][i]);
                trees_.predict(row.data(), u, i, p.data());
                for (std::size_t r = 0; r < R_; ++r) out[r][i] = mean_[r] + scale_ * p[r];
            }
        }
        return out;
    }

    /// Convenience: predictions at points of one input (a one-input fit).
    std::vector<std::vector<double>> predict(std::span<const double> input) const {
        const std::span<const double> in[1] = {input};
        return predict(columns(in));
    }

    /// Fitted values at the training trials, fitted()[r][i]: in-sample for splines and cell
    /// means (smoothing chosen by GCV), out-of-fold for boosted trees.
    const std::vector<std::vector<double>>& fitted() const noexcept { return fitted_; }
    /// The method used (never `automatic` after a fit).
    regression_method method() const noexcept { return method_; }
    /// Its name, as reports print it.
    std::string method_name() const { return regression_method_name(method_, g_); }
    /// Number of inputs.
    std::size_t inputs() const noexcept { return g_; }
    /// Number of responses.
    std::size_t responses() const noexcept { return R_; }
    /// Number of training trials.
    std::size_t trials() const noexcept { return n_; }
    /// Effective degrees of freedom per response (splines: trace of the smoother; cell
    /// means: the number of levels; trees: NaN).
    const std::vector<double>& effective_df() const noexcept { return edf_; }
    /// 1 - sum (y - fitted)^2 / sum (y - mean)^2 per response (out-of-fold for trees).
    const std::vector<double>& r_squared() const noexcept { return r2_; }
    /// Boosting rounds chosen by the held-out loss (0 unless boosted trees).
    std::size_t boosting_rounds() const noexcept { return rounds_; }
    /// Spline segments per direction used (0 unless a spline).
    std::size_t segments() const noexcept { return method_ == regression_method::spline ? seg_ : 0; }

private:
    static std::size_t automatic_segments(std::size_t g, std::size_t n) {
        if (g == 1) return std::clamp<std::size_t>(n / 100, 4, 40);
        return std::clamp<std::size_t>(static_cast<std::size_t>(std::sqrt(double(n) / 100.0)), 3, 10);
    }

    static void check_options(const nb_regression_options& o, std::size_t g, std::size_t n) {
        static constexpr const char* fn = "offroi::nb_regression::fit";
        if (o.method == regression_method::cell_means && g != 1)
            detail::throw_invalid(fn, "inputs (columns) for method cell_means", double(g), "must be 1");
        if (o.method == regression_method::spline && g > 2)
            detail::throw_invalid(fn, "inputs (columns) for method spline", double(g),
                                  "must be 1 or 2 (use boosted_trees or automatic for 3 or more)");
        if (o.segments > 200) detail::throw_invalid(fn, "segments", double(o.segments), "must be 0 (automatic) or 1 .. 200");
        const auto& t = o.trees;
        if (t.folds < 2 || t.folds > n)
            detail::throw_invalid(fn, "trees.folds", double(t.folds), "must be >= 2 and <= the number of trials");
        if (t.depth < 1 || t.depth > 8) detail::throw_invalid(fn, "trees.depth", double(t.depth), "must be in 1 .. 8");
        if (!(t.learning_rate > 0.0 && t.learning_rate <= 1.0))
            detail::throw_invalid(fn, "trees.learning_rate", t.learning_rate, "must be in (0, 1]");
        if (t.max_rounds < 1) detail::throw_invalid(fn, "trees.max_rounds", 0, "must be >= 1");
        if (t.patience < 1) detail::throw_invalid(fn, "trees.patience", 0, "must be >= 1");
        if (t.bins < 2 || t.bins > 256) detail::throw_invalid(fn, "trees.bins", double(t.bins), "must be in 2 .. 256");
        if (t.min_leaf < 1) detail::throw_invalid(fn, "trees.min_leaf", 0, "must be >= 1");
        if (!(t.subsample > 0.0 && t.subsample <= 1.0))
            detail::throw_invalid(fn, "trees.subsample", t.subsample, "must be in (0, 1]");
        if (!(t.l2 >= 0.0) || !std::isfinite(t.l2)) detail::throw_invalid(fn, "trees.l2", t.l2, "must be finite and >= 0");
        if (t.additive_segments > 200)
            detail::throw_invalid(fn, "trees.additive_segments", double(t.additive_segments), "must be 0 (off) or 1 .. 200");
        if (t.additive_sweeps < 1) detail::throw_invalid(fn, "trees.additive_sweeps", 0, "must be >= 1");
    }

    std::uint8_t bin_of(double u) const {
        const std::size_t B = o_.trees.bins;
        return std::uint8_t(std::min(B - 1, static_cast<std::size_t>(u * double(B))));
    }

    void fit_cells(const std::vector<double>& u, columns y) {
        const auto& pos = maps_[0].positions();
        const std::size_t L = pos.size();
        cells_.assign(R_, std::vector<double>(L, 0.0));
        std::vector<double> count(L, 0.0);
        std::vector<std::size_t> level(n_);
        for (std::size_t i = 0; i < n_; ++i) {
            level[i] = std::size_t(std::lower_bound(pos.begin(), pos.end(), u[i]) - pos.begin());
            count[level[i]] += 1.0;
        }
        for (std::size_t r = 0; r < R_; ++r) {
            std::vector<long double> s(L, 0.0L);
            for (std::size_t i = 0; i < n_; ++i) s[level[i]] += y[r][i];
            for (std::size_t l = 0; l < L; ++l) cells_[r][l] = double(s[l] / static_cast<long double>(count[l]));
            for (std::size_t i = 0; i < n_; ++i) fitted_[r][i] = cells_[r][level[i]];
            edf_[r] = double(L);
        }
    }

    std::size_t g_ = 0, R_ = 0, n_ = 0, seg_ = 0, rounds_ = 0;
    nb_regression_options o_;
    regression_method method_ = regression_method::automatic;
    std::vector<detail::voi::rank_map> maps_;
    detail::voi::pspline_smoother spline_;
    detail::voi::boosted_trees trees_;
    std::vector<std::vector<double>> cells_, fitted_;
    std::vector<double> mean_, edf_, r2_;
    double scale_ = 1.0;
};

}  // namespace offroi
