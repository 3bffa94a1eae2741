#pragma once
/// \file
/// `arrangement`: one sourcing arrangement of a scenario -- a name, its sourcing model and
/// one `offroi::distribution` per parameter (the fields of `arrangement_values`, same names,
/// units in the names; docs/model.md §1). Fields are set directly
/// (`a.hourly_rate_usd = pert_distribution(22, 35, 50);`) or by name
/// (`a.set("hourly_rate_usd", pert_distribution(22, 35, 50))`), which rejects unknown names
/// with the list of valid ones.

#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "offroi/detail/suggest.hpp"
#include "offroi/distributions/constant.hpp"
#include "offroi/distributions/distribution.hpp"
#include "offroi/error.hpp"
#include "offroi/model/contract_type.hpp"
#include "offroi/model/parameter_values.hpp"
#include "offroi/model/sourcing_model.hpp"

namespace offroi {

/// A sourcing arrangement: its name (unique in a scenario; the prefix of its input names
/// "<name>.<field>" and the key of its risk-event streams), its sourcing model, and one
/// distribution per parameter. Defaults are the constants of `arrangement_values`;
/// `preset(sourcing_model)` gives the evidence-based defaults.
struct arrangement {
    std::string name = "arrangement";                ///< unique name, no '.'
    sourcing_model model = sourcing_model::in_house;  ///< which sourcing model it is
    distribution headcount = constant_distribution(10);  ///< engineers N (> 0; fractional allowed)
    distribution hourly_rate_usd = constant_distribution(100);  ///< vendor rate card per billed hour, or in-house pay per paid hour
    distribution overhead_loading = constant_distribution(1);  ///< multiplier from hourly_rate_usd to full cost (in-house benefits and overhead; rate cards 1)
    distribution vendor_margin = constant_distribution(0);  ///< fees on top of the rate card (share, >= 0)
    distribution annual_rate_escalation = constant_distribution(0);  ///< yearly growth of the rate (wage inflation)
    distribution annual_fx_drift = constant_distribution(0);  ///< yearly change of the rate's USD value from exchange rates
    distribution hours_per_month = constant_distribution(160);  ///< billed hours per engineer-month
    distribution initial_staffed_share = constant_distribution(0);  ///< share of seats held by productive engineers at month 0 (existing team: 1)
    distribution time_to_fill_months = constant_distribution(1);  ///< mean months to fill a regular seat (inf: never)
    distribution niche_time_to_fill_months = constant_distribution(3);  ///< mean months to fill a niche seat (inf: never)
    distribution ramp_up_months = constant_distribution(3);  ///< months of a linear ramp to full productivity on new work
    distribution legacy_learning_factor = constant_distribution(1);  ///< multiplier on the scenario's legacy_ramp_up_months
    distribution annual_attrition = constant_distribution(0);  ///< share of engineers leaving per year, [0, 1)
    distribution overlap_hours = constant_distribution(8);  ///< working-day overlap with the buyer, [0, 8]
    distribution scope_isolation = constant_distribution(0);  ///< share of work that needs no sync with the buyer
    distribution follow_the_sun_share = constant_distribution(0);  ///< share of the critical path run follow-the-sun across sites
    distribution handoff_quality = constant_distribution(0.5);  ///< quality of follow-the-sun handoffs, [0, 1]
    distribution leadership_hours_per_engineer_week = constant_distribution(3);  ///< buyer's senior technical leadership planned per engineer-week
    distribution governance_share = constant_distribution(0);  ///< governance overhead, share of contract value
    distribution vetting_rigor = constant_distribution(0.5);  ///< rigor of hiring/vendor vetting, [0, 1]
    distribution review_strength = constant_distribution(0.5);  ///< strength of code review standards, [0, 1]
    distribution market_rate_low_usd = constant_distribution(15);  ///< all-in rate of the cheapest tier of this labour market, USD/h
    distribution market_rate_high_usd = constant_distribution(150);  ///< all-in rate of the dearest tier of this labour market, USD/h
    distribution capability_premium = constant_distribution(0);  ///< capability tier above (+) or below (-) what the rate buys
    distribution transition_months = constant_distribution(0);  ///< engagement set-up period, months
    distribution transition_productivity = constant_distribution(1);  ///< productivity during transition, [0, 1]
    distribution vendor_search_share = constant_distribution(0);  ///< vendor search/contracting, share of annual contract
    distribution setup_cost_usd = constant_distribution(0);  ///< one-time security, compliance and legal set-up
    distribution cost_per_hire_usd = constant_distribution(0);  ///< recruiting cost per hire (incl. replacements)
    distribution exit_cost_usd = constant_distribution(0);  ///< cost of ending the engagement (completion, failure, switch)
    distribution failure_annual_probability = constant_distribution(0);  ///< engagement failure / reversal, per year
    distribution reversal_cost_usd = constant_distribution(0);  ///< cost of bringing work back after a failure
    distribution security_incident_annual_probability = constant_distribution(0);  ///< security/IP incident without controls, per year
    distribution security_controls = constant_distribution(0);  ///< share of incident probability removed by controls
    distribution security_incident_cost_usd = constant_distribution(0);  ///< cost of an incident
    distribution key_person_loss_annual_probability = constant_distribution(0);  ///< loss of a key engineer, per year
    distribution key_person_loss_engineer_months = constant_distribution(0);  ///< knowledge lost (added to the backlog)
    distribution vendor_switch_annual_probability = constant_distribution(0);  ///< replacement of the vendor, per year
    distribution knowledge_transfer_share = constant_distribution(0);  ///< knowledge-holder hours per hour of a learning engineer
    distribution travel_usd_per_engineer_month = constant_distribution(0);  ///< travel and communication infrastructure per engineer-month
    distribution fixed_price_risk_premium = constant_distribution(0);  ///< fixed price: premium over the vendor's estimate
    distribution overrun_cap_share = constant_distribution(0);  ///< fixed price: overrun the vendor absorbs, share of the price
    distribution change_request_premium = constant_distribution(0);  ///< fixed price: premium on change requests (scope growth)
    contract_type contract = contract_type::time_and_materials;  ///< how the labour is billed

    /// Sets the field named `field` (a name of `arrangement_fields`).
    /// \throws invalid_argument naming the unknown field and listing the valid ones.
    arrangement& set(std::string_view field, distribution d);
    /// The field named `field`. \throws invalid_argument as `set`.
    const distribution& get(std::string_view field) const;
};

/// The distribution member of `arrangement` for each entry of `arrangement_fields`, in the
/// same order (a test checks the correspondence).
inline const std::array<distribution arrangement::*, arrangement_fields.size()> arrangement_members = {
    &arrangement::headcount,
    &arrangement::hourly_rate_usd,
    &arrangement::overhead_loading,
    &arrangement::vendor_margin,
    &arrangement::annual_rate_escalation,
    &arrangement::annual_fx_drift,
    &arrangement::hours_per_month,
    &arrangement::initial_staffed_share,
    &arrangement::time_to_fill_months,
    &arrangement::niche_time_to_fill_months,
    &arrangement::ramp_up_months,
    &arrangement::legacy_learning_factor,
    &arrangement::annual_attrition,
    &arrangement::overlap_hours,
    &arrangement::scope_isolation,
    &arrangement::follow_the_sun_share,
    &arrangement::handoff_quality,
    &arrangement::leadership_hours_per_engineer_week,
    &arrangement::governance_share,
    &arrangement::vetting_rigor,
    &arrangement::review_strength,
    &arrangement::market_rate_low_usd,
    &arrangement::market_rate_high_usd,
    &arrangement::capability_premium,
    &arrangement::transition_months,
    &arrangement::transition_productivity,
    &arrangement::vendor_search_share,
    &arrangement::setup_cost_usd,
    &arrangement::cost_per_hire_usd,
    &arrangement::exit_cost_usd,
    &arrangement::failure_annual_probability,
    &arrangement::reversal_cost_usd,
    &arrangement::security_incident_annual_probability,
    &arrangement::security_controls,
    &arrangement::security_incident_cost_usd,
    &arrangement::key_person_loss_annual_probability,
    &arrangement::key_person_loss_engineer_months,
    &arrangement::vendor_switch_annual_probability,
    &arrangement::knowledge_transfer_share,
    &arrangement::travel_usd_per_engineer_month,
    &arrangement::fixed_price_risk_premium,
    &arrangement::overrun_cap_share,
    &arrangement::change_request_premium};

namespace detail {

/// Throws `<where>: unknown field "<field>"; did you mean "<closest>"? valid fields: ...`
/// (the suggestion when a candidate is close enough to be a likely typo).
[[noreturn]] inline void throw_unknown_field(std::string_view where, std::string_view field,
                                             const std::string& valid,
                                             const std::vector<std::string>& candidates = {}) {
    std::string msg(where);
    msg += ": unknown field \"";
    msg += field;
    msg += "\"; ";
    if (const std::string guess = closest_match(field, candidates); !guess.empty())
        msg += "did you mean \"" + guess + "\"? ";
    msg += "valid fields: ";
    msg += valid;
    throw invalid_argument(msg);
}

/// The names of a field table, as suggestion candidates.
template <class Values, std::size_t N>
std::vector<std::string> field_names(const std::array<field_descriptor<Values>, N>& table) {
    std::vector<std::string> v;
    v.reserve(N);
    for (const auto& f : table) v.emplace_back(f.name);
    return v;
}

inline std::size_t arrangement_field_index(std::string_view where, std::string_view field) {
    for (std::size_t i = 0; i < arrangement_fields.size(); ++i)
        if (arrangement_fields[i].name == field) return i;
    throw_unknown_field(where, field, field_list(arrangement_fields), field_names(arrangement_fields));
}

}  // namespace detail

inline arrangement& arrangement::set(std::string_view field, distribution d) {
    this->*(arrangement_members[detail::arrangement_field_index("offroi::arrangement::set", field)]) =
        std::move(d);
    return *this;
}

inline const distribution& arrangement::get(std::string_view field) const {
    return this->*(arrangement_members[detail::arrangement_field_index("offroi::arrangement::get", field)]);
}

}  // namespace offroi
