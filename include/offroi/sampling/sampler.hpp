#pragma once
/// \file
/// The user-facing sampler: named inputs with their marginal distributions, a design
/// (plain Monte Carlo, Latin hypercube, scrambled Sobol') and optional rank correlation
/// (Gaussian copula or Iman–Conover). `fill` writes the marginal draws of any trial range,
/// structure of arrays (one column per input), using each distribution's batch quantile on
/// the uniforms of `uniform_sampler`: x = F^-1(u). With a Gaussian copula, correlated PERT
/// and beta inputs are drawn in one step from their normal scores, x = F^-1(Phi(z'))
/// (`detail::normal_score_table`; `sampling_options::fused_marginals = false` restores the
/// two-step path). Reproducible: the same (inputs, options,
/// trial) gives the same bits whatever the thread count or the split into shards.
///
/// Example:
/// \code
///   offroi::sampling_options o;
///   o.method = offroi::sampling_method::latin_hypercube;
///   o.seed = 42;
///   o.design_size = 100000;
///   o.correlations = {{"offshore_rate", "attrition", 0.4}};
///   offroi::sampler s({{"offshore_rate", offroi::pert_distribution(25, 35, 60)},
///                      {"attrition", offroi::pert_distribution(0.05, 0.12, 0.3)}}, o);
///   Eigen::MatrixXd x = s.sample(100000);  // 100000 x 2
/// \endcode

#include <Eigen/Dense>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "offroi/distributions/detail/normal_score_table.hpp"
#include "offroi/distributions/distribution.hpp"
#include "offroi/sampling/uniform_sampler.hpp"

namespace offroi {

/// One named input and its marginal distribution.
struct sampler_input {
    std::string name;   ///< unique name; its stream id keys the input's draws
    distribution dist;  ///< the marginal distribution
};

/// Named inputs with marginals, a design and a dependence structure. Immutable after
/// construction; every method is const and thread-safe (scratch space is per call).
class sampler {
public:
    /// \param inputs  the inputs, in column order (for Sobol', the dimension order).
    /// \param options design, seed, design size and correlations (see `sampling_options`).
    /// \throws invalid_argument as `uniform_sampler`.
    explicit sampler(std::vector<sampler_input> inputs, sampling_options options = {})
        : inputs_(std::move(inputs)), uniform_(names_of(inputs_), std::move(options)) {
        const gaussian_copula* cop = uniform_.copula();
        if (cop == nullptr || !uniform_.options().fused_marginals) return;
        fused_.resize(inputs_.size());
        for (std::size_t c : cop->transformed_columns()) {
            const distribution_variant_ptr v = &inputs_[c].dist.variant();
            if (const auto* p = std::get_if<pert_distribution>(v))
                fused_[c] = detail::beta_normal_score_table(p->as_beta());
            else if (const auto* b = std::get_if<beta_distribution>(v))
                fused_[c] = detail::beta_normal_score_table(*b);
        }
    }

    /// The inputs, in column order.
    const std::vector<sampler_input>& inputs() const noexcept { return inputs_; }
    /// The number of inputs d.
    std::size_t dimension() const noexcept { return inputs_.size(); }
    /// The uniform-space sampler underneath (design and dependence).
    const uniform_sampler& uniforms() const noexcept { return uniform_; }
    /// The seed its draws are keyed by (`sampling_options::seed`): a run that uses this
    /// sampler must use the same seed (`sampled_model` checks it).
    std::uint64_t seed() const noexcept { return uniform_.options().seed; }

    /// Writes the draws of trials [first_trial, first_trial + count): columns[i][k] is input
    /// i at trial first_trial + k, i.e. quantile(inputs()[i].dist, u) for the uniform u of
    /// `uniform_sampler::fill_uniform`.
    /// \throws invalid_argument for a Latin hypercube without a design_size, or a Sobol'
    ///   range beyond 2^32 trials.
    void fill(std::uint64_t first_trial, std::size_t count, double* const* columns) const {
        fill_impl(first_trial, count, columns, 0);
    }

    /// Trials 0..n-1 as an n x d matrix (column i = input i). A Latin hypercube with
    /// design_size 0 uses n.
    Eigen::MatrixXd sample(std::size_t n) const {
        Eigen::MatrixXd m(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(dimension()));
        std::vector<double*> cols(dimension());
        for (std::size_t i = 0; i < dimension(); ++i)
            cols[i] = m.col(static_cast<Eigen::Index>(i)).data();
        fill_impl(0, n, cols.data(), n);
        return m;
    }

private:
    static std::vector<std::string> names_of(const std::vector<sampler_input>& in) {
        std::vector<std::string> n;
        n.reserve(in.size());
        for (const auto& i : in) n.push_back(i.name);
        return n;
    }

    using distribution_variant_ptr = const distribution::variant_type*;

    // The fused path (Gaussian copula, `fused_marginals`): independent uniforms, the
    // copula's normal scores, and for each transformed input either its normal-score table
    // (x straight from z) or Phi back to a uniform then the quantile; untransformed inputs
    // take the quantile of their uniform as in the two-step path (same bits).
    void fill_fused(std::uint64_t first, std::size_t count, double* const* columns,
                    std::uint64_t design_size) const {
        const gaussian_copula& cop = *uniform_.copula();
        const std::size_t d = dimension();
        constexpr std::size_t chunk = 2048;
        std::vector<double> scratch(d * std::min<std::size_t>(chunk, count));
        std::vector<double*> ucols(d);
        std::vector<bool> direct(d, false);  // drawn from the normal-score table
        for (std::size_t c : cop.transformed_columns()) direct[c] = fused_[c].valid();
        for (std::size_t lo = 0; lo < count; lo += chunk) {
            const std::size_t m = std::min(chunk, count - lo);
            for (std::size_t i = 0; i < d; ++i) ucols[i] = &scratch[i * m];
            uniform_.fill_independent(first + lo, m, ucols.data(), design_size);
            cop.scores(m, ucols.data(),
                       [&](std::size_t c, const double* z, std::size_t start, std::size_t len) {
                           if (direct[c])
                               fused_[c](z, columns[c] + lo + start, len);
                           else
                               cop.to_uniform(z, ucols[c] + start, len);
                       });
            for (std::size_t i = 0; i < d; ++i)
                if (!direct[i]) quantile(inputs_[i].dist, ucols[i], columns[i] + lo, m);
        }
    }

    void fill_impl(std::uint64_t first, std::size_t count, double* const* columns,
                   std::uint64_t design_size) const {
        if (count == 0) return;
        if (!fused_.empty()) return fill_fused(first, count, columns, design_size);
        const auto& u = uniform_;
        // Chunks aligned to multiples of `chunk` (an Iman-Conover block when reordering, so
        // each block is reordered once), with the uniforms in a small scratch array.
        const std::size_t align = u.block_alignment();
        const std::size_t chunk = align != 0 ? align : 2048;
        const std::size_t d = dimension();
        std::vector<double> scratch(d * std::min<std::size_t>(chunk, count));
        std::vector<double*> ucols(d);
        const std::uint64_t end = first + count;
        for (std::uint64_t lo = first; lo < end;) {
            const std::uint64_t hi = std::min<std::uint64_t>(end, (lo / chunk + 1) * chunk);
            const auto m = static_cast<std::size_t>(hi - lo);
            for (std::size_t i = 0; i < d; ++i) ucols[i] = &scratch[i * m];
            u.fill_uniform(lo, m, ucols.data(), design_size);
            for (std::size_t i = 0; i < d; ++i)
                quantile(inputs_[i].dist, ucols[i], columns[i] + (lo - first), m);
            lo = hi;
        }
    }

    std::vector<sampler_input> inputs_;
    uniform_sampler uniform_;
    std::vector<detail::normal_score_table> fused_;  // per input (invalid: two-step path)
};

}  // namespace offroi
