#pragma once
/// \file
/// One trial's parameter values, as plain numbers: what the per-trial evaluation
/// (`model/evaluate.hpp`) consumes after the sampler has drawn every input. The field names
/// (units in the names) are the input names of scenarios; docs/model.md gives each field's
/// meaning, symbol and default. The tables `arrangement_fields` / `scenario_fields` list
/// every field once with its allowed range, for overrides by name and for validation.

#include <array>
#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>

#include "offroi/error.hpp"
#include "offroi/model/contract_type.hpp"
#include "offroi/model/limits.hpp"

namespace offroi {

/// The drawn parameters of one sourcing arrangement for one trial (docs/model.md §1).
struct arrangement_values {
    double headcount = 10;                          ///< engineers N (> 0; fractional allowed)
    double hourly_rate_usd = 100;                   ///< vendor rate card per billed hour, or in-house pay per paid hour
    double overhead_loading = 1;                    ///< multiplier from hourly_rate_usd to full cost (in-house benefits and overhead; rate cards 1)
    double vendor_margin = 0;                       ///< fees on top of the rate card (share, >= 0)
    double annual_rate_escalation = 0;              ///< yearly growth of the rate (wage inflation)
    double annual_fx_drift = 0;                     ///< yearly change of the rate's USD value from exchange rates
    double hours_per_month = 160;                   ///< billed hours per engineer-month
    double initial_staffed_share = 0;               ///< share of seats held by productive engineers at month 0 (existing team: 1)
    double time_to_fill_months = 1;                 ///< mean months to fill a regular seat (inf: never)
    double niche_time_to_fill_months = 3;           ///< mean months to fill a niche seat (inf: never)
    double ramp_up_months = 3;                      ///< months of a linear ramp to full productivity on new work
    double legacy_learning_factor = 1;              ///< multiplier on the scenario's legacy_ramp_up_months
    double annual_attrition = 0;                    ///< share of engineers leaving per year, [0, 1)
    double overlap_hours = 8;                       ///< working-day overlap with the buyer, [0, 8]
    double scope_isolation = 0;                     ///< share of work that needs no sync with the buyer
    double follow_the_sun_share = 0;                ///< share of the critical path run follow-the-sun across sites
    double handoff_quality = 0.5;                   ///< quality of follow-the-sun handoffs, [0, 1]
    double leadership_hours_per_engineer_week = 3;  ///< buyer's senior technical leadership planned per engineer-week
    double governance_share = 0;                    ///< governance overhead, share of contract value
    double vetting_rigor = 0.5;                     ///< rigor of hiring/vendor vetting, [0, 1]
    double review_strength = 0.5;                   ///< strength of code review standards, [0, 1]
    double market_rate_low_usd = 15;                ///< all-in rate of the cheapest tier of this labour market, USD/h
    double market_rate_high_usd = 150;              ///< all-in rate of the dearest tier of this labour market, USD/h
    double capability_premium = 0;                  ///< capability tier above (+) or below (-) what the rate buys
    double transition_months = 0;                   ///< engagement set-up period, months
    double transition_productivity = 1;             ///< productivity during transition, [0, 1]
    double vendor_search_share = 0;                 ///< vendor search/contracting, share of annual contract
    double setup_cost_usd = 0;                      ///< one-time security, compliance and legal set-up
    double cost_per_hire_usd = 0;                   ///< recruiting cost per hire (incl. replacements)
    double exit_cost_usd = 0;                       ///< cost of ending the engagement (completion, failure, switch)
    double failure_annual_probability = 0;          ///< engagement failure / reversal, per year
    double reversal_cost_usd = 0;                   ///< cost of bringing work back after a failure
    double security_incident_annual_probability = 0;  ///< security/IP incident without controls, per year
    double security_controls = 0;                   ///< share of incident probability removed by controls
    double security_incident_cost_usd = 0;          ///< cost of an incident
    double key_person_loss_annual_probability = 0;  ///< loss of a key engineer, per year
    double key_person_loss_engineer_months = 0;     ///< knowledge lost (added to the backlog)
    double vendor_switch_annual_probability = 0;    ///< replacement of the vendor, per year
    double knowledge_transfer_share = 0;            ///< knowledge-holder hours per hour of a learning engineer
    double travel_usd_per_engineer_month = 0;       ///< travel and communication infrastructure per engineer-month
    double fixed_price_risk_premium = 0;            ///< fixed price: premium over the vendor's estimate
    double overrun_cap_share = 0;                   ///< fixed price: overrun the vendor absorbs, share of the price
    double change_request_premium = 0;              ///< fixed price: premium on change requests (scope growth)
    contract_type contract = contract_type::time_and_materials;  ///< how the labour is billed (not sampled)
};

/// The drawn scenario-level parameters of one trial, shared by every arrangement (common
/// random numbers; docs/model.md §1).
struct scenario_values {
    double backlog_engineer_months = 240;            ///< work to deliver (nominal engineer-months)
    double cost_of_delay_per_month_usd = 100000;     ///< value lost per month of undelivered backlog
    double niche_role_share = 0.2;                   ///< share of seats needing niche skills
    double sync_work_share = 0.3;                    ///< share of work needing synchronous communication
    double base_rework_share = 0.4;                  ///< avoidable rework at nominal capability, before controls
    double leader_hourly_cost_usd = 140;             ///< buyer's leader loaded cost, USD/h
    double escaped_defect_cost_usd_per_engineer_month = 15000;  ///< cost of escaped defect work
    double legacy_ramp_up_months = 0;                ///< extra ramp-up to learn existing code (0: new work)
    double critical_path_months = 0;                 ///< shortest calendar time of the backlog (0: no bound)
    double scope_growth = 0;                         ///< backlog beyond the contracted specification (share)
    double leadership_supply_hours_per_week = 1e6;  ///< senior leadership hours per week the buyer can give a team (1e6: unlimited)
};

/// Describes one numeric field: its name, its member, and the closed range it must lie in.
/// An upper bound of +inf means "unbounded above": every finite value is allowed and so is
/// a distribution with unbounded support; +inf itself only if `allow_infinite`. A field
/// with a finite range also takes a distribution with unbounded support (a lognormal cost)
/// when every value a draw can take lies in the range (`validate`: the quantiles at the
/// smallest and largest uniform a sampler hands out). Money, rates, headcounts and work
/// have finite upper bounds (model/limits.hpp), so no trial can overflow.
template <class Values>
struct field_descriptor {
    std::string_view name;    ///< field (and input) name
    double Values::*member;   ///< the member it names
    double lower;             ///< smallest allowed value
    double upper;             ///< largest allowed value (may be +inf)
    bool allow_infinite;      ///< whether +inf itself is allowed (times to fill)
    std::string_view allowed; ///< the allowed range, as messages print it
};

/// +infinity: the upper bound of a field without one.
inline constexpr double infinity_v = HUGE_VAL;

/// Every field of `arrangement_values`, in declaration order, with its allowed range.
inline constexpr std::array<field_descriptor<arrangement_values>, 43> arrangement_fields = {{
    {"headcount", &arrangement_values::headcount, 1e-9, limits::max_headcount, false, "must be in (0, 100000]"},
    {"hourly_rate_usd", &arrangement_values::hourly_rate_usd, 1e-9, limits::max_usd_per_hour, false, "must be in (0, 1e5]"},
    {"overhead_loading", &arrangement_values::overhead_loading, 1, 10, false, "must be in [1, 10]"},
    {"vendor_margin", &arrangement_values::vendor_margin, 0, 10, false, "must be in [0, 10]"},
    {"annual_rate_escalation", &arrangement_values::annual_rate_escalation, -0.5, 1, false, "must be in [-0.5, 1]"},
    {"annual_fx_drift", &arrangement_values::annual_fx_drift, -0.5, 1, false, "must be in [-0.5, 1]"},
    {"hours_per_month", &arrangement_values::hours_per_month, 1e-9, 744, false, "must be in (0, 744]"},
    {"initial_staffed_share", &arrangement_values::initial_staffed_share, 0, 1, false, "must be in [0, 1]"},
    {"time_to_fill_months", &arrangement_values::time_to_fill_months, 0, infinity_v, true, "must be >= 0 (inf: never filled)"},
    {"niche_time_to_fill_months", &arrangement_values::niche_time_to_fill_months, 0, infinity_v, true, "must be >= 0 (inf: never filled)"},
    {"ramp_up_months", &arrangement_values::ramp_up_months, 0, 600, false, "must be in [0, 600]"},
    {"legacy_learning_factor", &arrangement_values::legacy_learning_factor, 0, 10, false, "must be in [0, 10]"},
    {"annual_attrition", &arrangement_values::annual_attrition, 0, 0.999, false, "must be in [0, 0.999]"},
    {"overlap_hours", &arrangement_values::overlap_hours, 0, 8, false, "must be in [0, 8]"},
    {"scope_isolation", &arrangement_values::scope_isolation, 0, 1, false, "must be in [0, 1]"},
    {"follow_the_sun_share", &arrangement_values::follow_the_sun_share, 0, 1, false, "must be in [0, 1]"},
    {"handoff_quality", &arrangement_values::handoff_quality, 0, 1, false, "must be in [0, 1]"},
    {"leadership_hours_per_engineer_week", &arrangement_values::leadership_hours_per_engineer_week, 0, 168, false, "must be in [0, 168]"},
    {"governance_share", &arrangement_values::governance_share, 0, 1, false, "must be in [0, 1]"},
    {"vetting_rigor", &arrangement_values::vetting_rigor, 0, 1, false, "must be in [0, 1]"},
    {"review_strength", &arrangement_values::review_strength, 0, 1, false, "must be in [0, 1]"},
    {"market_rate_low_usd", &arrangement_values::market_rate_low_usd, 1e-9, limits::max_usd_per_hour, false, "must be in (0, 1e5] and below market_rate_high_usd"},
    {"market_rate_high_usd", &arrangement_values::market_rate_high_usd, 1e-9, limits::max_usd_per_hour, false, "must be in (0, 1e5] and above market_rate_low_usd"},
    {"capability_premium", &arrangement_values::capability_premium, -1, 1, false, "must be in [-1, 1]"},
    {"transition_months", &arrangement_values::transition_months, 0, 600, false, "must be in [0, 600]"},
    {"transition_productivity", &arrangement_values::transition_productivity, 0, 1, false, "must be in [0, 1]"},
    {"vendor_search_share", &arrangement_values::vendor_search_share, 0, 1, false, "must be in [0, 1]"},
    {"setup_cost_usd", &arrangement_values::setup_cost_usd, 0, limits::max_usd, false, "must be in [0, 1e12]"},
    {"cost_per_hire_usd", &arrangement_values::cost_per_hire_usd, 0, limits::max_usd, false, "must be in [0, 1e12]"},
    {"exit_cost_usd", &arrangement_values::exit_cost_usd, 0, limits::max_usd, false, "must be in [0, 1e12]"},
    {"failure_annual_probability", &arrangement_values::failure_annual_probability, 0, 1, false, "must be a probability in [0, 1]"},
    {"reversal_cost_usd", &arrangement_values::reversal_cost_usd, 0, limits::max_usd, false, "must be in [0, 1e12]"},
    {"security_incident_annual_probability", &arrangement_values::security_incident_annual_probability, 0, 1, false, "must be a probability in [0, 1]"},
    {"security_controls", &arrangement_values::security_controls, 0, 1, false, "must be in [0, 1]"},
    {"security_incident_cost_usd", &arrangement_values::security_incident_cost_usd, 0, limits::max_usd, false, "must be in [0, 1e12]"},
    {"key_person_loss_annual_probability", &arrangement_values::key_person_loss_annual_probability, 0, 1, false, "must be a probability in [0, 1]"},
    {"key_person_loss_engineer_months", &arrangement_values::key_person_loss_engineer_months, 0, limits::max_engineer_months, false, "must be in [0, 1e7]"},
    {"vendor_switch_annual_probability", &arrangement_values::vendor_switch_annual_probability, 0, 1, false, "must be a probability in [0, 1]"},
    {"knowledge_transfer_share", &arrangement_values::knowledge_transfer_share, 0, 1, false, "must be in [0, 1]"},
    {"travel_usd_per_engineer_month", &arrangement_values::travel_usd_per_engineer_month, 0, limits::max_usd, false, "must be in [0, 1e12]"},
    {"fixed_price_risk_premium", &arrangement_values::fixed_price_risk_premium, 0, 10, false, "must be in [0, 10]"},
    {"overrun_cap_share", &arrangement_values::overrun_cap_share, 0, 10, false, "must be in [0, 10]"},
    {"change_request_premium", &arrangement_values::change_request_premium, 0, 10, false, "must be in [0, 10]"},
}};

/// Every field of `scenario_values`, in declaration order, with its allowed range.
inline constexpr std::array<field_descriptor<scenario_values>, 11> scenario_fields = {{
    {"backlog_engineer_months", &scenario_values::backlog_engineer_months, 0, limits::max_engineer_months, false, "must be in [0, 1e7]"},
    {"cost_of_delay_per_month_usd", &scenario_values::cost_of_delay_per_month_usd, 0, limits::max_usd, false, "must be in [0, 1e12]"},
    {"niche_role_share", &scenario_values::niche_role_share, 0, 1, false, "must be in [0, 1]"},
    {"sync_work_share", &scenario_values::sync_work_share, 0, 1, false, "must be in [0, 1]"},
    {"base_rework_share", &scenario_values::base_rework_share, 0, 1, false, "must be in [0, 1]"},
    {"leader_hourly_cost_usd", &scenario_values::leader_hourly_cost_usd, 0, limits::max_usd_per_hour, false, "must be in [0, 1e5]"},
    {"escaped_defect_cost_usd_per_engineer_month", &scenario_values::escaped_defect_cost_usd_per_engineer_month, 0, limits::max_usd, false, "must be in [0, 1e12]"},
    {"legacy_ramp_up_months", &scenario_values::legacy_ramp_up_months, 0, 600, false, "must be in [0, 600]"},
    {"critical_path_months", &scenario_values::critical_path_months, 0, 600, false, "must be in [0, 600]"},
    {"scope_growth", &scenario_values::scope_growth, 0, 10, false, "must be in [0, 10]"},
    {"leadership_supply_hours_per_week", &scenario_values::leadership_supply_hours_per_week, 0, 1e6, false, "must be in [0, 1e6] (1e6: unlimited)"},
}};

/// Whether `x` is allowed for field `f` (NaN never is).
template <class Values>
constexpr bool in_range(const field_descriptor<Values>& f, double x) noexcept {
    if (x != x) return false;
    if (x == infinity_v) return f.allow_infinite;
    return x >= f.lower && x <= f.upper;
}

namespace detail {

template <class Values, std::size_t N>
const field_descriptor<Values>* find_field(const std::array<field_descriptor<Values>, N>& table,
                                           std::string_view name) noexcept {
    for (const auto& f : table)
        if (f.name == name) return &f;
    return nullptr;
}

template <class Values, std::size_t N>
std::string field_list(const std::array<field_descriptor<Values>, N>& table) {
    std::string s;
    for (std::size_t i = 0; i < N; ++i) {
        if (i) s += ", ";
        s += table[i].name;
    }
    return s;
}

template <class Values, std::size_t N>
void check_values(const std::array<field_descriptor<Values>, N>& table, const Values& v,
                  std::string_view where) {
    for (const auto& f : table) {
        const double x = v.*(f.member);
        if (!in_range(f, x)) {
            std::string msg(where);
            msg += '.';
            msg += f.name;
            msg += ": ";
            msg += detail::format_value(x);
            msg += " is invalid; ";
            msg += f.allowed;
            throw invalid_argument(msg);
        }
    }
}

}  // namespace detail

/// Checks every field of one trial's arrangement values against `arrangement_fields`, and
/// that the market band runs upwards.
/// \param where prefix of the message (e.g. the arrangement's name).
/// \throws invalid_argument "<where>.<field>: <value> is invalid; <allowed>".
inline void check(const arrangement_values& v, std::string_view where = "arrangement") {
    detail::check_values(arrangement_fields, v, where);
    if (!(v.market_rate_high_usd > v.market_rate_low_usd)) {
        std::string msg(where);
        msg += ".market_rate_high_usd: ";
        msg += detail::format_value(v.market_rate_high_usd);
        msg += " is invalid; must exceed market_rate_low_usd (";
        msg += detail::format_value(v.market_rate_low_usd);
        msg += ")";
        throw invalid_argument(msg);
    }
}

/// Checks every field of one trial's scenario values against `scenario_fields`.
/// \throws invalid_argument "<where>.<field>: <value> is invalid; <allowed>".
inline void check(const scenario_values& v, std::string_view where = "scenario") {
    detail::check_values(scenario_fields, v, where);
}

}  // namespace offroi
