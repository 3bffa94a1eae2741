#pragma once
/// \file
/// `scenario`: a decision to simulate -- the horizon and discounting, the shared inputs
/// (backlog, cost of delay, ...) as distributions, a baseline arrangement and the
/// arrangements compared with it, rank correlations between named inputs, and the
/// simulation settings. `default_scenario()` is the built-in example: a 10-engineer offshore
/// dedicated team versus local hiring over 36 months.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "offroi/distributions/constant.hpp"
#include "offroi/distributions/distribution.hpp"
#include "offroi/distributions/lognormal.hpp"
#include "offroi/distributions/pert.hpp"
#include "offroi/error.hpp"
#include "offroi/model/arrangement.hpp"
#include "offroi/model/framing.hpp"
#include "offroi/model/parameter_values.hpp"
#include "offroi/model/presets.hpp"
#include "offroi/sampling/sampling_method.hpp"

namespace offroi {

/// How a scenario is simulated.
struct simulation_settings {
    std::uint64_t trials = 100000;  ///< number of trials, >= 1
    std::uint64_t seed = 20240601;  ///< the run's seed
    sampling_method method = sampling_method::monte_carlo;            ///< MC, LHS or Sobol'
    dependence_method dependence = dependence_method::gaussian_copula;  ///< how correlations are imposed
};

/// A scenario. Input names: the scenario-level fields by their names
/// ("backlog_engineer_months", ...), arrangement fields as "<arrangement name>.<field>".
struct scenario {
    std::string name = "scenario";     ///< label
    int horizon_months = 36;           ///< months simulated, 1 ... 600
    double annual_discount_rate = 0.10;  ///< r, in (-0.5, 10]
    framing frame = framing::project;  ///< project (deliver a backlog) or capacity (an ongoing team)
    distribution backlog_engineer_months = constant_distribution(240);  ///< work to deliver
    distribution cost_of_delay_per_month_usd = constant_distribution(100000);  ///< value lost per month of delay
    distribution niche_role_share = constant_distribution(0.2);         ///< share of niche seats
    distribution sync_work_share = constant_distribution(0.3);          ///< work needing synchronous communication
    distribution base_rework_share = constant_distribution(0.4);        ///< avoidable rework before controls
    distribution leader_hourly_cost_usd = constant_distribution(140);   ///< buyer's leader cost, USD/h
    distribution escaped_defect_cost_usd_per_engineer_month = constant_distribution(15000);  ///< escaped defects
    distribution legacy_ramp_up_months = constant_distribution(0);      ///< extra ramp-up on existing code (0: new work)
    distribution critical_path_months = constant_distribution(0);       ///< shortest calendar time of the backlog
    distribution scope_growth = constant_distribution(0);               ///< backlog beyond the contracted specification
    distribution leadership_supply_hours_per_week = constant_distribution(1e6);  ///< leadership hours available per team per week (1e6: unlimited)
    arrangement baseline = preset(sourcing_model::in_house);  ///< what the others are compared with
    std::vector<arrangement> alternatives;                    ///< the compared arrangements (>= 1)
    std::vector<rank_correlation> correlations;  ///< Spearman targets between named inputs
    simulation_settings simulation;              ///< trials, seed, sampler

    /// Sets an input by name: a scenario-level field ("cost_of_delay_per_month_usd") or an
    /// arrangement field ("offshore_team.hourly_rate_usd").
    /// \throws invalid_argument naming an unknown arrangement or field and listing the valid ones.
    scenario& set(std::string_view input, distribution d);
    /// The input named `input` (as `set`). \throws invalid_argument as `set`.
    const distribution& get(std::string_view input) const;
    /// The arrangement named `name` (baseline or alternative).
    /// \throws invalid_argument listing the arrangements' names.
    arrangement& find(std::string_view name);
    /// \copydoc find
    const arrangement& find(std::string_view name) const;
};

/// The distribution member of `scenario` for each entry of `scenario_fields`, same order.
inline const std::array<distribution scenario::*, scenario_fields.size()> scenario_members = {
    &scenario::backlog_engineer_months, &scenario::cost_of_delay_per_month_usd,
    &scenario::niche_role_share, &scenario::sync_work_share, &scenario::base_rework_share,
    &scenario::leader_hourly_cost_usd, &scenario::escaped_defect_cost_usd_per_engineer_month,
    &scenario::legacy_ramp_up_months, &scenario::critical_path_months, &scenario::scope_growth,
    &scenario::leadership_supply_hours_per_week};

inline const arrangement& scenario::find(std::string_view n) const {
    if (baseline.name == n) return baseline;
    for (const auto& a : alternatives)
        if (a.name == n) return a;
    std::vector<std::string> names = {baseline.name};
    for (const auto& a : alternatives) names.push_back(a.name);
    std::string msg = "offroi::scenario: no arrangement named \"";
    msg += n;
    msg += "\"; ";
    if (const std::string guess = detail::closest_match(n, names); !guess.empty())
        msg += "did you mean \"" + guess + "\"? ";
    msg += "arrangements: " + baseline.name;
    for (const auto& a : alternatives) msg += ", " + a.name;
    throw invalid_argument(msg);
}

inline arrangement& scenario::find(std::string_view n) {
    return const_cast<arrangement&>(static_cast<const scenario&>(*this).find(n));
}

inline const distribution& scenario::get(std::string_view input) const {
    const auto dot = input.find('.');
    if (dot == std::string_view::npos) {
        for (std::size_t i = 0; i < scenario_fields.size(); ++i)
            if (scenario_fields[i].name == input) return this->*(scenario_members[i]);
        detail::throw_unknown_field("offroi::scenario", input,
                                    detail::field_list(scenario_fields) +
                                        " (or \"<arrangement>.<field>\")",
                                    detail::field_names(scenario_fields));
    }
    const arrangement& a = find(input.substr(0, dot));
    const std::string_view field = input.substr(dot + 1);
    for (std::size_t i = 0; i < arrangement_fields.size(); ++i)
        if (arrangement_fields[i].name == field) return a.*(arrangement_members[i]);
    // The whole input name in the message, and the suggestion as an input name too.
    std::vector<std::string> inputs;
    for (const auto& f : arrangement_fields) inputs.push_back(a.name + "." + std::string(f.name));
    detail::throw_unknown_field("offroi::scenario", input,
                                detail::field_list(arrangement_fields) + " (after \"" + a.name + ".\")", inputs);
}

inline scenario& scenario::set(std::string_view input, distribution d) {
    const_cast<distribution&>(static_cast<const scenario&>(*this).get(input)) = std::move(d);
    return *this;
}

/// A blank scenario to build on in code: the default scenario's shared inputs (backlog,
/// cost of delay, niche share, sync share, rework, leader cost, defect cost: the
/// distributions of `default_scenario()`), an in-house baseline named "in_house", no
/// alternatives and no correlations. Add alternatives (and replace the baseline) before
/// simulating: a scenario compares at least one.
inline scenario blank_scenario() {
    scenario s;
    s.name = "scenario";
    s.backlog_engineer_months = pert_distribution(100, 140, 200);
    const quantile_point p10{0.10, 60e3}, p90{0.90, 250e3};  // stated as a range: kept in that form
    s.cost_of_delay_per_month_usd =
        distribution(lognormal_distribution::from_percentiles(p10, p90)).with_stated_percentiles({p10, p90});
    s.niche_role_share = pert_distribution(0.1, 0.2, 0.3);
    s.sync_work_share = pert_distribution(0.2, 0.3, 0.4);
    s.base_rework_share = pert_distribution(0.3, 0.4, 0.5);  // Boehm & Basili 2001
    s.leader_hourly_cost_usd = pert_distribution(110, 140, 190);
    s.escaped_defect_cost_usd_per_engineer_month = pert_distribution(5e3, 15e3, 40e3);
    s.baseline = preset(sourcing_model::in_house, "in_house");
    return s;
}

/// The built-in default scenario (docs/model.md §7): a 10-engineer offshore dedicated team
/// ("offshore_team" preset) versus local hiring ("in_house" preset) for a new product's
/// backlog (project framing) over 36 months at a 10% discount rate; a time-critical backlog of
/// PERT(100, 140, 200) nominal engineer-months, cost of delay lognormal (P10 $60k, P90 $250k
/// per month); 100 000 Monte Carlo trials. Each arrangement's capability tier follows its
/// rate (`capability_tier`), so no correlation needs stating.
inline scenario default_scenario() {
    scenario s = blank_scenario();
    s.name = "offshore team vs local hiring";
    s.baseline = preset(sourcing_model::in_house, "local_hiring");
    s.alternatives = {preset(sourcing_model::offshore_team, "offshore_team")};
    return s;
}

}  // namespace offroi
