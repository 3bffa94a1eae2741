#pragma once
/// \file
/// What each model input is measured in, and where its preset value comes from: the unit
/// and the evidence of every scenario-level and arrangement field, as docs/model.md §1 and §7
/// give them. Used by assumption tables (io/assumptions.hpp) to pre-fill and check the
/// `unit` and `source` columns.

#include <array>
#include <string_view>

namespace offroi {

/// The unit and the preset's evidence of one input field.
struct input_info {
    std::string_view field;   ///< field name (scenario-level, or arrangement field without the prefix)
    std::string_view unit;    ///< unit, as assumption tables write it ("USD/hour", "share", ...)
    std::string_view source;  ///< evidence for the preset / default value (docs/model.md §7)
};

/// Every scenario-level field (docs/model.md §1.2), in `scenario_fields` order. Sources
/// are those of `blank_scenario()` / `default_scenario()`.
inline constexpr std::array<input_info, 11> scenario_input_info = {{
    {"backlog_engineer_months", "engineer-months", "the default decision's backlog: a new product (assumption)"},
    {"cost_of_delay_per_month_usd", "USD/month", "Reinertsen 2009: quantify the cost of delay per unit of time; size (assumption)"},
    {"niche_role_share", "share", "(assumption)"},
    {"sync_work_share", "share", "(assumption)"},
    {"base_rework_share", "share", "Boehm & Basili 2001: avoidable rework is 40-50% of effort"},
    {"leader_hourly_cost_usd", "USD/hour", "loaded cost of senior US engineers (BLS OES x overhead; assumption)"},
    {"escaped_defect_cost_usd_per_engineer_month", "USD/engineer-month", "(assumption)"},
    {"legacy_ramp_up_months", "months", "0: new work"},
    {"critical_path_months", "months", "0: no bound on the calendar time"},
    {"scope_growth", "share", "0: no growth beyond the specification"},
    {"leadership_supply_hours_per_week", "hours/week", "1e6: unlimited"},
}};

/// Every arrangement field (docs/model.md §1.3), in `arrangement_fields` order. Sources
/// are those of the presets (`preset(sourcing_model)`, docs/model.md §7.1-7.2).
inline constexpr std::array<input_info, 43> arrangement_input_info = {{
    {"headcount", "engineers", "the default decision's team size"},
    {"hourly_rate_usd", "USD/hour", "in-house: US engineer pay / 1 920 h (BLS OES); vendors: trade surveys of rate cards (offshore $18-50/h, nearshore $35-70/h)"},
    {"overhead_loading", "multiplier", "in-house: benefits x1.44-1.46 (BLS ECEC) x office overhead; vendors: 1, rate cards are all-in"},
    {"vendor_margin", "share", "0: survey rates are bill rates"},
    {"annual_rate_escalation", "share/year", "in-house: US wage growth; vendors: USD rate cards (assumption)"},
    {"annual_fx_drift", "share/year", "currency risk passed on (assumption)"},
    {"hours_per_month", "hours/engineer-month", "billed hours: 40 h x 4 weeks"},
    {"initial_staffed_share", "share", "0: a new team"},
    {"time_to_fill_months", "months", "in-house: Glassdoor 2015, Workable 2017 (35-58 days plus notice); vendors (assumption)"},
    {"niche_time_to_fill_months", "months", "in-house: Glassdoor 2015, Workable 2017, niche roles much longer; vendors (assumption)"},
    {"ramp_up_months", "months", "Zhou & Mockus 2010: 2-6 months to productivity on new work"},
    {"legacy_learning_factor", "multiplier", "Smite & van Solingen 2016: the offshore team learned the product in about 3 years against 2 in-house"},
    {"annual_attrition", "share/year", "in-house: US tech turnover about 13%/year; offshore: Indian IT filings FY10-FY24, 13-28%; others (assumption)"},
    {"overlap_hours", "hours/day", "time-zone geography: US-India 1-3 h, US-Latin America 5-8 h"},
    {"scope_isolation", "share", "outsourcing: the vendor owns a defined scope (assumption); others 0"},
    {"follow_the_sun_share", "share", "0: not used unless a scenario says so"},
    {"handoff_quality", "score in [0, 1]", "Carmel, Espinosa & Dubinsky 2010: handoffs are hard"},
    {"leadership_hours_per_engineer_week", "hours/engineer-week", "the article: strong outcomes need senior leadership close to the work; hours (assumption)"},
    {"governance_share", "share", "Willcocks (LSE): retained management 4-8% of contract value"},
    {"vetting_rigor", "score in [0, 1]", "(assumption)"},
    {"review_strength", "score in [0, 1]", "(assumption); staff augmentation works under the buyer's review"},
    {"market_rate_low_usd", "USD/hour", "cheapest tier of the arrangement's labour market (trade surveys; onshore band an assumption)"},
    {"market_rate_high_usd", "USD/hour", "dearest tier of the arrangement's labour market (trade surveys; onshore band an assumption)"},
    {"capability_premium", "tier", "what the rate buys is uncertain (assumption)"},
    {"transition_months", "months", "engagement set-up of greenfield work (assumption)"},
    {"transition_productivity", "share", "(assumption)"},
    {"vendor_search_share", "share", "Overby 2003: vendor selection 0.2-2% of annual contract value"},
    {"setup_cost_usd", "USD", "security, compliance and legal set-up (assumption)"},
    {"cost_per_hire_usd", "USD", "in-house: SHRM about $4.7k; agency fees 15-25% of salary; vendors hire from their bench"},
    {"exit_cost_usd", "USD", "(assumption)"},
    {"failure_annual_probability", "probability/year", "Barthelemy 2001: about 14% of outsourcing efforts failed, scaled per model (assumption)"},
    {"reversal_cost_usd", "USD", "heavy-tailed (Flyvbjerg & Budzier; Standish CHAOS); size (assumption)"},
    {"security_incident_annual_probability", "probability/year", "(assumption)"},
    {"security_controls", "share", "share of incidents removed by controls (assumption)"},
    {"security_incident_cost_usd", "USD", "heavy-tailed (assumption)"},
    {"key_person_loss_annual_probability", "probability/year", "(assumption); the article: vendors swap seniors for juniors"},
    {"key_person_loss_engineer_months", "engineer-months", "(assumption)"},
    {"vendor_switch_annual_probability", "probability/year", "(assumption)"},
    {"knowledge_transfer_share", "share", "Overby 2003; Smite & van Solingen 2016; size (assumption)"},
    {"travel_usd_per_engineer_month", "USD/engineer-month", "Smite & van Solingen 2016: travel and communication infrastructure; size (assumption)"},
    {"fixed_price_risk_premium", "share", "fixed price only (docs/model.md §6.2)"},
    {"overrun_cap_share", "share", "fixed price only (docs/model.md §6.2)"},
    {"change_request_premium", "share", "fixed price only (docs/model.md §6.2)"},
}};

}  // namespace offroi
