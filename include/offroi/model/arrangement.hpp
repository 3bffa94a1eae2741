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

#include "offroi/distributions/constant.hpp"
#include "offroi/distributions/distribution.hpp"
#include "offroi/error.hpp"
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
    distribution headcount = constant_distribution(10);                   ///< engineers
    distribution hourly_rate_usd = constant_distribution(100);            ///< rate card / loaded cost, USD/h
    distribution vendor_margin = constant_distribution(0);                ///< fees on top of the rate card
    distribution hours_per_month = constant_distribution(160);            ///< billed hours per engineer-month
    distribution time_to_fill_months = constant_distribution(1);          ///< mean months to fill a seat
    distribution niche_time_to_fill_months = constant_distribution(3);    ///< mean months to fill a niche seat
    distribution ramp_up_months = constant_distribution(3);               ///< months to full productivity
    distribution annual_attrition = constant_distribution(0);             ///< share leaving per year
    distribution overlap_hours = constant_distribution(8);                ///< working-day overlap, hours
    distribution scope_isolation = constant_distribution(0);              ///< share needing no sync
    distribution follow_the_sun_share = constant_distribution(0);         ///< share run follow-the-sun
    distribution handoff_quality = constant_distribution(0.5);            ///< follow-the-sun handoff quality
    distribution leadership_hours_per_engineer_week = constant_distribution(3);  ///< buyer leadership time
    distribution governance_share = constant_distribution(0);             ///< share of contract value
    distribution vetting_rigor = constant_distribution(0.5);              ///< vetting rigor, [0, 1]
    distribution review_strength = constant_distribution(0.5);            ///< review strength, [0, 1]
    distribution vendor_tier = constant_distribution(0.5);                ///< tier in the $15-150/h band
    distribution transition_months = constant_distribution(0);            ///< knowledge-transfer months
    distribution transition_productivity = constant_distribution(1);      ///< productivity in transition
    distribution vendor_search_share = constant_distribution(0);          ///< of annual contract value
    distribution setup_cost_usd = constant_distribution(0);               ///< security/compliance/legal set-up
    distribution cost_per_hire_usd = constant_distribution(0);            ///< recruiting cost per hire
    distribution exit_cost_usd = constant_distribution(0);                ///< cost of ending the engagement
    distribution failure_annual_probability = constant_distribution(0);   ///< failure/reversal per year
    distribution reversal_cost_usd = constant_distribution(0);            ///< cost of bringing work back
    distribution security_incident_annual_probability = constant_distribution(0);  ///< incident per year
    distribution security_controls = constant_distribution(0);            ///< share of incident risk removed
    distribution security_incident_cost_usd = constant_distribution(0);   ///< cost of an incident
    distribution key_person_loss_annual_probability = constant_distribution(0);  ///< key-person loss per year
    distribution key_person_loss_engineer_months = constant_distribution(0);     ///< knowledge lost
    distribution vendor_switch_annual_probability = constant_distribution(0);    ///< vendor switch per year
    distribution knowledge_transfer_share = constant_distribution(0);     ///< knowledge-holder hours per team hour in transition
    distribution travel_usd_per_engineer_month = constant_distribution(0);  ///< travel and communication infrastructure

    /// Sets the field named `field` (a name of `arrangement_fields`).
    /// \throws invalid_argument naming the unknown field and listing the valid ones.
    arrangement& set(std::string_view field, distribution d);
    /// The field named `field`. \throws invalid_argument as `set`.
    const distribution& get(std::string_view field) const;
};

/// The distribution member of `arrangement` for each entry of `arrangement_fields`, in the
/// same order (a test checks the correspondence).
inline const std::array<distribution arrangement::*, arrangement_fields.size()> arrangement_members = {
    &arrangement::headcount, &arrangement::hourly_rate_usd, &arrangement::vendor_margin,
    &arrangement::hours_per_month, &arrangement::time_to_fill_months,
    &arrangement::niche_time_to_fill_months, &arrangement::ramp_up_months,
    &arrangement::annual_attrition, &arrangement::overlap_hours, &arrangement::scope_isolation,
    &arrangement::follow_the_sun_share, &arrangement::handoff_quality,
    &arrangement::leadership_hours_per_engineer_week, &arrangement::governance_share,
    &arrangement::vetting_rigor, &arrangement::review_strength, &arrangement::vendor_tier,
    &arrangement::transition_months, &arrangement::transition_productivity,
    &arrangement::vendor_search_share, &arrangement::setup_cost_usd,
    &arrangement::cost_per_hire_usd, &arrangement::exit_cost_usd,
    &arrangement::failure_annual_probability, &arrangement::reversal_cost_usd,
    &arrangement::security_incident_annual_probability, &arrangement::security_controls,
    &arrangement::security_incident_cost_usd, &arrangement::key_person_loss_annual_probability,
    &arrangement::key_person_loss_engineer_months, &arrangement::vendor_switch_annual_probability,
    &arrangement::knowledge_transfer_share, &arrangement::travel_usd_per_engineer_month};

namespace detail {

[[noreturn]] inline void throw_unknown_field(std::string_view where, std::string_view field,
                                             const std::string& valid) {
    std::string msg(where);
    msg += ": unknown field \"";
    msg += field;
    msg += "\"; valid fields: ";
    msg += valid;
    throw invalid_argument(msg);
}

inline std::size_t arrangement_field_index(std::string_view where, std::string_view field) {
    for (std::size_t i = 0; i < arrangement_fields.size(); ++i)
        if (arrangement_fields[i].name == field) return i;
    throw_unknown_field(where, field, field_list(arrangement_fields));
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
