#pragma once
/// \file
/// The drivers of a run's alternatives from its recorded trials: which sampled inputs feed
/// which alternative, every input that feeds one ranked once, each alternative analysed on
/// its selection of the ranked columns, its inputs ordered by |SRRC|. Shared by
/// `run_drivers`/`run_drivers_all` (model_sensitivity.hpp) and `simulate` with
/// driver_trials (model/detail/simulate_impl.hpp). Not for direct inclusion.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "offroi/error.hpp"
#include "offroi/sensitivity/rank_sensitivity.hpp"

namespace offroi {

/// Rank-based drivers of one output, with the inputs ordered by importance.
struct driver_ranking {
    std::string output;                 ///< the output ranked against, "<arrangement>.net_benefit"
    rank_sensitivity_result measures;   ///< SRRC, PRCC, Spearman, contribution to variance, by input
    std::vector<std::size_t> order;     ///< input indices by decreasing |measure| (ties: input order)
    std::string measure = "srrc";       ///< what `order` is by: "srrc", |measures.srrc|
};

namespace detail {

/// The arrangement that input `input` belongs to: the part of its name before the first '.'
/// ("offshore_team.hourly_rate_usd" -> "offshore_team"; arrangement names contain no '.');
/// empty for a scenario-level input ("backlog_engineer_months").
inline std::string_view input_owner(std::string_view input) noexcept {
    const auto dot = input.find('.');
    return dot == std::string_view::npos ? std::string_view{} : input.substr(0, dot);
}

/// True if input `input` can move the net benefit of alternative `alternative`: a
/// scenario-level input, or one of the baseline's or of the alternative's own. An
/// alternative's outcome is computed from the scenario, the baseline and itself only
/// (`evaluate_trial`), so another alternative's inputs never reach it.
inline bool feeds_alternative(std::string_view input, std::string_view baseline, std::string_view alternative) noexcept {
    const std::string_view owner = input_owner(input);
    return owner.empty() || owner == baseline || owner == alternative;
}

/// The drivers of each alternative `alternatives[a]` (baseline `baseline`): the rank
/// sensitivity of its net benefit `outputs[a]` to the inputs that feed it
/// (`feeds_alternative`), in input order, ordered by decreasing |SRRC| (stable). Input j is
/// `input_names[j]` with draws `inputs[j]`; the first `n` trials of every input that feeds
/// an alternative are ranked once (`rank_columns`, on `threads`) and each alternative
/// analyses its selection of them: the same bits as `rank_sensitivity` on its own columns,
/// for any `threads`. An alternative no input feeds: invalid_argument if `throw_unfed`, else
/// an empty ranking (no measures, no order).
/// \throws invalid_argument as above, if an input that feeds an alternative and its output
///         differ in length, or as `rank_sensitivity`.
inline std::vector<driver_ranking> rank_alternatives(const std::vector<std::string>& input_names,
                                                     const std::vector<std::span<const double>>& inputs, std::size_t n,
                                                     std::string_view baseline,
                                                     const std::vector<std::string>& alternatives,
                                                     const std::vector<std::span<const double>>& outputs,
                                                     unsigned threads, bool throw_unfed) {
    const std::size_t d = std::min(input_names.size(), inputs.size());
    // feeds[a]: the inputs that feed alternative a; rc_col[j]: input j's column in rc
    // (d if it feeds none: not ranked).
    std::vector<std::vector<std::size_t>> feeds(alternatives.size());
    std::vector<char> used_by_any(d, 0);
    for (std::size_t a = 0; a < alternatives.size(); ++a)
        for (std::size_t j = 0; j < d; ++j)
            if (feeds_alternative(input_names[j], baseline, alternatives[a])) {
                feeds[a].push_back(j);
                used_by_any[j] = 1;
            }
    std::vector<std::size_t> rc_col(d, d);
    std::vector<const double*> used;
    for (std::size_t j = 0; j < d; ++j)
        if (used_by_any[j]) {
            rc_col[j] = used.size();
            used.push_back(inputs[j].data());
        }
    ranked_columns rc;  // every input that feeds an alternative, ranked once for all of them
    rank_workspace ws;  // and the work matrices reused
    if (!used.empty()) rank_columns(rc, used, n, threads);

    std::vector<driver_ranking> out(alternatives.size());
    for (std::size_t a = 0; a < alternatives.size(); ++a) {
        driver_ranking& dr = out[a];
        dr.output = alternatives[a] + ".net_benefit";
        dr.measure = "srrc";
        if (feeds[a].empty()) {
            if (throw_unfed)
                throw invalid_argument("run_drivers: no sampled input feeds \"" + alternatives[a] +
                                       "\" (the scenario's, the baseline's and its own inputs are all constant)");
            continue;
        }
        const std::span<const double> y = outputs[a];
        std::vector<std::size_t> sel;
        std::vector<std::string> names;
        for (std::size_t k = 0; k < feeds[a].size(); ++k) {
            const std::size_t j = feeds[a][k];
            if (inputs[j].size() != y.size())
                throw invalid_argument("rank_sensitivity: input column " + std::to_string(k) + " has " +
                                       std::to_string(inputs[j].size()) + " samples but the output has " +
                                       std::to_string(y.size()) + "; they must match");
            sel.push_back(rc_col[j]);
            names.push_back(input_names[j]);
        }
        dr.measures = analyze_ranked(rc, sel, y, names, ws, "rank_sensitivity", threads);
        dr.order.resize(names.size());
        std::iota(dr.order.begin(), dr.order.end(), std::size_t{0});
        std::stable_sort(dr.order.begin(), dr.order.end(), [&](std::size_t x, std::size_t z) {
            return std::fabs(dr.measures.srrc[x]) > std::fabs(dr.measures.srrc[z]);
        });
    }
    return out;
}

}  // namespace detail
}  // namespace offroi
