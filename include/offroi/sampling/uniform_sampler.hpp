#pragma once
/// \file
/// The uniform-space half of a sampler: named inputs, a design (plain Monte Carlo, Latin
/// hypercube or scrambled Sobol') and optional rank correlation (Gaussian copula or
/// Iman–Conover). Produces, for any trial range [first_trial, first_trial + count), the
/// uniforms in (0, 1) that `sampler` turns into marginal draws. Every value is a pure
/// function of (seed, input name, trial) — and, for Sobol', of the input's position; for
/// Iman–Conover, of the aligned reorder block holding the trial — so results do not depend
/// on threads or on how a run is split into shards.

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "offroi/error.hpp"
#include "offroi/random/stream_id.hpp"
#include "offroi/sampling/correlation_matrix.hpp"
#include "offroi/sampling/gaussian_copula.hpp"
#include "offroi/sampling/iman_conover.hpp"
#include "offroi/sampling/latin_hypercube.hpp"
#include "offroi/sampling/monte_carlo.hpp"
#include "offroi/sampling/sampling_method.hpp"
#include "offroi/sampling/sobol.hpp"

namespace offroi {

/// A full Spearman matrix over some of the inputs, named in matrix order.
struct correlation_matrix_spec {
    std::vector<std::string> names;  ///< the inputs of rows/columns, in order
    Eigen::MatrixXd spearman;        ///< target Spearman matrix (names.size() square)
};

/// Settings of a sampler.
struct sampling_options {
    sampling_method method = sampling_method::monte_carlo;  ///< design
    std::uint64_t seed = 0;                                 ///< the run's seed
    /// Latin hypercube: trials per design (usually the run's trial count). 0 means "not
    /// known": `fill` then throws, and `sample(n)` uses n.
    std::uint64_t design_size = 0;
    /// Pairwise rank correlations (inputs not named are independent). Give either these
    /// or `correlation_matrix`, not both.
    std::vector<rank_correlation> correlations{};
    /// A full Spearman matrix over named inputs.
    std::optional<correlation_matrix_spec> correlation_matrix{};
    dependence_method dependence = dependence_method::gaussian_copula;  ///< how
    /// Replace a target that is not positive semi-definite by the nearest correlation
    /// matrix (Higham 2002) instead of throwing.
    bool repair_correlation = false;
    /// Iman–Conover: trials per aligned reorder block; trial t's value depends only on block
    /// t / reorder_block. Must exceed the number of correlated inputs.
    std::size_t reorder_block = 4096;
    /// Gaussian copula only: draw each correlated PERT or beta input as x = F^-1(Phi(z')) from
    /// one table in normal-score space (`detail::normal_score_table`, error < 1e-9 of
    /// max(|x|, IQR) against Boost's exact quantile, see docs/distributions.md) instead of
    /// Phi(z') followed by the quantile table. Faster, and more accurate in the upper tail;
    /// the draws differ from the two-step path in the last digits. false restores the
    /// two-step path, bit for bit the draws of offroi before this option existed.
    bool fused_marginals = true;
};

/// Named inputs, a design and a dependence structure, in uniform space. Immutable after
/// construction; every method is const and thread-safe.
class uniform_sampler {
public:
    /// \param names   the inputs' names (unique, non-empty): each name's stream id keys its
    ///                draws, so adding an input never changes the others (except for Sobol',
    ///                whose dimension is the input's position).
    /// \param options design, seed and correlations.
    /// \throws invalid_argument for an empty or duplicate name, an unknown name in a
    ///   correlation, a correlation of an input with itself, conflicting duplicates, both
    ///   pairs and a matrix, a bad matrix (see `check_correlation_matrix`), or a
    ///   reorder_block not above the number of correlated inputs.
    uniform_sampler(std::vector<std::string> names, sampling_options options)
        : names_(std::move(names)), opt_(std::move(options)) {
        const std::string fn = "sampler";
        if (names_.empty()) throw invalid_argument(fn + ": needs at least one input");
        std::map<std::string, std::size_t> index;
        for (std::size_t i = 0; i < names_.size(); ++i) {
            if (names_[i].empty())
                throw invalid_argument(fn + ": input #" + std::to_string(i) + " has an empty name");
            if (!index.emplace(names_[i], i).second)
                throw invalid_argument(fn + ": input name '" + names_[i] +
                                       "' appears twice; names must be unique");
            streams_.push_back(stream_id(names_[i]));
        }
        const auto d = static_cast<Eigen::Index>(names_.size());
        spearman_ = Eigen::MatrixXd::Identity(d, d);
        auto find = [&](const std::string& name, const std::string& where) {
            auto it = index.find(name);
            if (it == index.end()) {
                std::string all;
                for (const auto& n : names_) all += (all.empty() ? "'" : ", '") + n + "'";
                throw invalid_argument(fn + ": " + where + " names unknown input '" + name +
                                       "'; inputs are " + all);
            }
            return static_cast<Eigen::Index>(it->second);
        };
        if (!opt_.correlations.empty() && opt_.correlation_matrix)
            throw invalid_argument(fn + ": give either pairwise correlations or a correlation "
                                        "matrix, not both");
        std::set<std::pair<Eigen::Index, Eigen::Index>> seen;
        for (std::size_t c = 0; c < opt_.correlations.size(); ++c) {
            const auto& rc = opt_.correlations[c];
            const std::string where = "correlations[" + std::to_string(c) + "]";
            const auto i = find(rc.a, where), j = find(rc.b, where);
            if (i == j)
                throw invalid_argument(fn + ": " + where + " correlates '" + rc.a +
                                       "' with itself; name two different inputs");
            if (!std::isfinite(rc.spearman) || rc.spearman < -1.0 || rc.spearman > 1.0)
                detail::throw_invalid(fn, where + " ('" + rc.a + "', '" + rc.b + "') spearman",
                                      rc.spearman, "must be in [-1, 1]");
            const auto key = std::minmax(i, j);
            if (!seen.insert(key).second && spearman_(i, j) != rc.spearman)
                throw invalid_argument(fn + ": " + where + " gives ('" + rc.a + "', '" + rc.b +
                                       "') = " + detail::format_value(rc.spearman) +
                                       " but an earlier entry gave " +
                                       detail::format_value(spearman_(i, j)));
            spearman_(i, j) = spearman_(j, i) = rc.spearman;
        }
        if (opt_.correlation_matrix) {
            const auto& spec = *opt_.correlation_matrix;
            detail::check_correlation_entries(spec.spearman, spec.names);
            if (spec.names.size() != static_cast<std::size_t>(spec.spearman.rows()))
                throw invalid_argument(fn + ": correlation matrix has " +
                                       std::to_string(spec.spearman.rows()) + " rows but " +
                                       std::to_string(spec.names.size()) + " names");
            std::vector<Eigen::Index> idx;
            std::set<Eigen::Index> unique;
            for (const auto& n : spec.names) {
                idx.push_back(find(n, "correlation matrix"));
                if (!unique.insert(idx.back()).second)
                    throw invalid_argument(fn + ": correlation matrix names '" + n + "' twice");
            }
            for (std::size_t a = 0; a < idx.size(); ++a)
                for (std::size_t b = 0; b < idx.size(); ++b)
                    if (a != b)
                        spearman_(idx[a], idx[b]) = spec.spearman(static_cast<Eigen::Index>(a),
                                                                  static_cast<Eigen::Index>(b));
        }
        const bool correlated = !spearman_.isIdentity(0.0);
        if (correlated) {
            if (opt_.dependence == dependence_method::gaussian_copula) {
                copula_.emplace(spearman_, names_, opt_.repair_correlation);
            } else {
                ic_.emplace(spearman_, names_, opt_.repair_correlation);
                if (opt_.reorder_block <= ic_->correlated_columns().size())
                    detail::throw_invalid(fn, "reorder_block",
                                          static_cast<double>(opt_.reorder_block),
                                          "must exceed the number of correlated inputs (" +
                                              std::to_string(ic_->correlated_columns().size()) +
                                              ")");
            }
        }
        if (opt_.method == sampling_method::sobol) sobol_.emplace(opt_.seed, names_.size());
    }

    /// The inputs' names, in column order.
    const std::vector<std::string>& names() const noexcept { return names_; }
    /// The number of inputs d.
    std::size_t dimension() const noexcept { return names_.size(); }
    /// The settings.
    const sampling_options& options() const noexcept { return opt_; }
    /// The full d x d target Spearman matrix (identity where no correlation is given).
    const Eigen::MatrixXd& spearman() const noexcept { return spearman_; }
    /// The stream id of input i (`stream_id(names()[i])`).
    std::uint64_t stream(std::size_t i) const noexcept { return streams_[i]; }

    /// Writes the uniforms of trials [first_trial, first_trial + count): columns[i][k] is
    /// input i at trial first_trial + k.
    /// \throws invalid_argument for a Latin hypercube without a design_size, or a Sobol'
    ///   range beyond 2^32 trials.
    void fill_uniform(std::uint64_t first_trial, std::size_t count, double* const* columns) const {
        fill_uniform_impl(first_trial, count, columns, lhs_size(0));
    }

    /// As `fill_uniform`, with the Latin hypercube design size given here when the options
    /// leave it 0 (for example by an engine that knows the run's trial count).
    void fill_uniform(std::uint64_t first_trial, std::size_t count, double* const* columns,
                      std::uint64_t design_size) const {
        fill_uniform_impl(first_trial, count, columns, lhs_size(design_size));
    }

    /// The trial alignment to respect when a range is computed piecewise for speed: with
    /// Iman–Conover, pieces aligned to `reorder_block` compute each block once (any split
    /// gives the same values, but a misaligned one recomputes blocks); 0 otherwise.
    std::size_t block_alignment() const noexcept { return ic_ ? opt_.reorder_block : 0; }

    /// The Gaussian copula, or null (no correlation, or Iman–Conover).
    const gaussian_copula* copula() const noexcept { return copula_ ? &*copula_ : nullptr; }

    /// As `fill_uniform` with `design_size`, but without the Gaussian copula: the design's
    /// independent uniforms, for a caller that applies `copula()->scores` itself. Only
    /// meaningful without Iman–Conover (throws logic_error otherwise).
    void fill_independent(std::uint64_t first_trial, std::size_t count, double* const* columns,
                          std::uint64_t design_size) const {
        if (ic_) throw std::logic_error("uniform_sampler::fill_independent with Iman-Conover");
        const std::uint64_t n = lhs_size(design_size);
        check_design_size(n);
        for (std::size_t i = 0; i < dimension(); ++i)
            independent(i, first_trial, count, columns[i], n);
    }

    /// Trials 0..n-1 as an n x d matrix of uniforms (a Latin hypercube with design_size 0
    /// uses n).
    Eigen::MatrixXd sample_uniform(std::size_t n) const {
        Eigen::MatrixXd m(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(dimension()));
        std::vector<double*> cols(dimension());
        for (std::size_t i = 0; i < dimension(); ++i)
            cols[i] = m.col(static_cast<Eigen::Index>(i)).data();
        fill_uniform_impl(0, n, cols.data(), lhs_size(n));
        return m;
    }

private:
    /// The LHS design size to use: the configured one, else `fallback` (0: none).
    std::uint64_t lhs_size(std::uint64_t fallback) const noexcept {
        return opt_.design_size != 0 ? opt_.design_size : fallback;
    }

    void check_design_size(std::uint64_t design_size) const {
        if (opt_.method == sampling_method::latin_hypercube && design_size == 0)
            throw invalid_argument(
                "sampler: design_size = 0 with the Latin hypercube method; set "
                "sampling_options::design_size to the run's trial count (or use sample(n))");
    }

    void fill_uniform_impl(std::uint64_t first, std::size_t count, double* const* columns,
                           std::uint64_t design_size) const {
        if (count == 0) return;
        check_design_size(design_size);
        if (!ic_) {
            for (std::size_t i = 0; i < dimension(); ++i)
                independent(i, first, count, columns[i], design_size);
            if (copula_) copula_->apply(count, columns);
            return;
        }
        const auto& corr = ic_->correlated_columns();
        std::vector<bool> is_corr(dimension(), false);
        for (auto c : corr) is_corr[c] = true;
        for (std::size_t i = 0; i < dimension(); ++i)
            if (!is_corr[i]) independent(i, first, count, columns[i], design_size);
        // Correlated inputs: whole aligned blocks, reordered, then the requested slice.
        const std::size_t bs = opt_.reorder_block;
        std::vector<double> buf(corr.size() * bs);
        std::vector<double*> bcols(dimension(), nullptr);
        for (std::size_t a = 0; a < corr.size(); ++a) bcols[corr[a]] = &buf[a * bs];
        const std::uint64_t end = first + count;
        for (std::uint64_t b = first / bs; b * bs < end; ++b) {
            const std::uint64_t b0 = b * bs;
            for (auto c : corr) independent(c, b0, bs, bcols[c], design_size);
            ic_->reorder(bs, bcols.data());
            const std::uint64_t lo = std::max(first, b0), hi = std::min(end, b0 + bs);
            for (auto c : corr)
                std::copy(bcols[c] + (lo - b0), bcols[c] + (hi - b0), columns[c] + (lo - first));
        }
    }

    void independent(std::size_t i, std::uint64_t first, std::size_t count, double* out,
                     std::uint64_t design_size) const {
        switch (opt_.method) {
            case sampling_method::monte_carlo:
                monte_carlo_design(opt_.seed).fill(streams_[i], first, count, out);
                break;
            case sampling_method::latin_hypercube:
                latin_hypercube_design(opt_.seed, design_size).fill(streams_[i], first, count, out);
                break;
            case sampling_method::sobol:
                sobol_->fill(streams_[i], i, first, count, out);
                break;
        }
    }

    std::vector<std::string> names_;
    sampling_options opt_;
    std::vector<std::uint64_t> streams_;
    Eigen::MatrixXd spearman_;
    std::optional<gaussian_copula> copula_;
    std::optional<iman_conover> ic_;
    std::optional<sobol_design> sobol_;
};

}  // namespace offroi
