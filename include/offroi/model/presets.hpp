#pragma once
/// \file
/// `preset(sourcing_model)`: the evidence-based default distributions of each sourcing
/// arrangement (docs/model.md §7 gives every value with its source, and marks assumptions).
/// A scenario starts from presets and overrides fields one by one.

#include <string>

#include "offroi/distributions/constant.hpp"
#include "offroi/distributions/distribution.hpp"
#include "offroi/distributions/lognormal.hpp"
#include "offroi/distributions/pert.hpp"
#include "offroi/model/arrangement.hpp"
#include "offroi/model/sourcing_model.hpp"

namespace offroi {

namespace detail {
inline distribution pert(double a, double m, double b) { return pert_distribution(a, m, b); }
// Stated as a range, and kept in that form (messages, files and assumption tables show
// P10/P90, not mu and sigma).
inline distribution p10_p90(double p10, double p90) {
    const quantile_point lo{0.10, p10}, hi{0.90, p90};
    return distribution(lognormal_distribution::from_percentiles(lo, hi)).with_stated_percentiles({lo, hi});
}
inline distribution fixed(double v) { return constant_distribution(v); }
}  // namespace detail

/// The default arrangement of sourcing model `m` (docs/model.md §7), named `name` (by
/// default the model's name, e.g. "offshore_team").
inline arrangement preset(sourcing_model m, std::string name = {}) {
    using detail::fixed;
    using detail::p10_p90;
    using detail::pert;
    arrangement a;
    a.name = name.empty() ? std::string(to_string(m)) : std::move(name);
    a.model = m;
    // Shared by all presets (docs/model.md §7).
    a.headcount = fixed(10);
    a.hours_per_month = fixed(160);
    a.overhead_loading = fixed(1);                       // vendor rate cards are all-in
    a.annual_rate_escalation = pert(0.03, 0.05, 0.08);   // USD rate cards: assumption
    a.annual_fx_drift = pert(-0.03, 0, 0.03);            // currency risk passed on: assumption
    a.initial_staffed_share = fixed(0);                  // a new team
    a.ramp_up_months = pert(2, 4, 8);                    // Zhou & Mockus 2010, new work
    a.legacy_learning_factor = fixed(1.5);               // remote learning of legacy code: Smite & van Solingen 2016
    a.follow_the_sun_share = fixed(0);
    a.handoff_quality = pert(0.2, 0.5, 0.8);             // Carmel et al. 2010: handoffs are hard
    a.capability_premium = pert(-0.15, 0, 0.15);         // what the rate buys is uncertain: assumption
    a.security_controls = pert(0.3, 0.6, 0.9);
    a.security_incident_cost_usd = p10_p90(50e3, 1e6);
    a.key_person_loss_engineer_months = pert(1, 3, 6);
    // Vendor defaults (overridden below for in-house).
    a.vendor_margin = fixed(0);
    a.cost_per_hire_usd = fixed(0);
    a.scope_isolation = fixed(0);
    a.exit_cost_usd = p10_p90(20e3, 150e3);
    a.governance_share = pert(0.04, 0.06, 0.08);           // Willcocks: 4-8%
    a.vendor_search_share = pert(0.002, 0.01, 0.02);       // Overby 2003: 0.2-2%
    a.transition_months = pert(1, 2, 4);                   // engagement set-up (greenfield): assumption
    a.transition_productivity = pert(0.6, 0.8, 0.9);
    a.vendor_switch_annual_probability = fixed(0.03);
    a.reversal_cost_usd = p10_p90(100e3, 800e3);
    a.security_incident_annual_probability = fixed(0.05);
    a.key_person_loss_annual_probability = fixed(0.15);
    // Knowledge transfer: knowledge-holder hours per hour of a learning engineer (remote
    // shadowing; Overby 2003; Smite & van Solingen 2016; size an assumption) and travel and
    // communication infrastructure per engineer-month (Smite & van Solingen 2016).
    a.knowledge_transfer_share = pert(0.1, 0.2, 0.35);
    a.travel_usd_per_engineer_month = pert(50, 150, 400);

    switch (m) {
        case sourcing_model::in_house:
            a.hourly_rate_usd = pert(55, 69, 90);          // US engineer pay / 1 920 h (BLS OES)
            a.overhead_loading = pert(1.45, 1.65, 1.95);   // benefits x1.44-1.46 (BLS ECEC) x overhead
            a.market_rate_low_usd = fixed(75);             // loaded onshore band: assumption
            a.market_rate_high_usd = fixed(165);
            a.annual_rate_escalation = pert(0.02, 0.035, 0.05);  // US wage growth
            a.annual_fx_drift = fixed(0);
            a.time_to_fill_months = p10_p90(1.3, 3.0);     // Glassdoor/Workable 35-58 days + notice
            a.niche_time_to_fill_months = p10_p90(3, 12);
            a.legacy_learning_factor = fixed(1);
            a.annual_attrition = pert(0.08, 0.13, 0.20);
            a.overlap_hours = fixed(8);
            a.leadership_hours_per_engineer_week = pert(2, 3, 4.5);
            a.governance_share = fixed(0);
            a.vetting_rigor = pert(0.5, 0.7, 0.9);
            a.review_strength = pert(0.5, 0.7, 0.9);
            a.transition_months = fixed(0);
            a.transition_productivity = fixed(1);
            a.vendor_search_share = fixed(0);
            a.setup_cost_usd = fixed(0);
            a.cost_per_hire_usd = pert(5e3, 15e3, 30e3);    // SHRM ~4.7k; agency 15-25% of salary
            a.exit_cost_usd = fixed(0);
            a.knowledge_transfer_share = pert(0.05, 0.1, 0.2);  // on-site mentoring of new hires
            a.travel_usd_per_engineer_month = fixed(0);
            a.failure_annual_probability = pert(0.005, 0.01, 0.02);  // reorganisation, cancellation: assumption
            a.reversal_cost_usd = p10_p90(20e3, 200e3);
            a.security_incident_annual_probability = fixed(0.03);
            a.security_controls = pert(0.4, 0.6, 0.8);
            a.key_person_loss_annual_probability = fixed(0.10);
            a.vendor_switch_annual_probability = fixed(0);
            break;
        case sourcing_model::offshore_team:
            a.hourly_rate_usd = pert(22, 35, 50);        // offshore $18-50/h
            a.market_rate_low_usd = fixed(18);
            a.market_rate_high_usd = fixed(50);
            a.time_to_fill_months = p10_p90(0.5, 1.5);
            a.niche_time_to_fill_months = p10_p90(1, 4);
            a.annual_attrition = pert(0.13, 0.19, 0.28);  // Indian IT filings FY10-FY24
            a.overlap_hours = pert(1, 2, 4);
            a.leadership_hours_per_engineer_week = pert(2, 3.5, 6);
            a.vetting_rigor = pert(0.3, 0.5, 0.7);
            a.review_strength = pert(0.3, 0.5, 0.7);
            a.travel_usd_per_engineer_month = pert(100, 250, 600);
            a.setup_cost_usd = pert(20e3, 50e3, 120e3);
            a.failure_annual_probability = pert(0.02, 0.04, 0.08);  // Barthelemy 2001
            a.security_incident_annual_probability = fixed(0.06);
            a.key_person_loss_annual_probability = fixed(0.20);
            break;
        case sourcing_model::nearshore:
            a.hourly_rate_usd = pert(35, 50, 70);        // nearshore $35-70/h
            a.market_rate_low_usd = fixed(35);
            a.market_rate_high_usd = fixed(70);
            a.time_to_fill_months = p10_p90(0.5, 1.8);
            a.niche_time_to_fill_months = p10_p90(1.5, 5);
            a.legacy_learning_factor = fixed(1.25);
            a.annual_attrition = pert(0.10, 0.15, 0.22);
            a.overlap_hours = pert(4, 6, 8);
            a.leadership_hours_per_engineer_week = pert(1.5, 3, 5);
            a.vetting_rigor = pert(0.3, 0.5, 0.7);
            a.review_strength = pert(0.3, 0.5, 0.7);
            a.setup_cost_usd = pert(15e3, 40e3, 100e3);
            a.failure_annual_probability = pert(0.015, 0.03, 0.06);
            break;
        case sourcing_model::staff_augmentation:
            a.hourly_rate_usd = pert(30, 50, 80);        // survey bill rates: the margin is in them
            a.market_rate_low_usd = fixed(30);
            a.market_rate_high_usd = fixed(80);
            a.contract = contract_type::staff_augmentation;
            a.time_to_fill_months = p10_p90(0.3, 1.2);
            a.niche_time_to_fill_months = p10_p90(1, 4);
            a.legacy_learning_factor = fixed(1.25);
            a.annual_attrition = pert(0.15, 0.25, 0.40);
            a.overlap_hours = pert(2, 4, 8);
            a.leadership_hours_per_engineer_week = pert(2, 3, 5);
            a.governance_share = pert(0.02, 0.03, 0.05);
            a.vetting_rigor = pert(0.4, 0.6, 0.8);
            a.review_strength = pert(0.5, 0.7, 0.9);
            a.transition_months = pert(0.5, 1, 2);
            a.knowledge_transfer_share = pert(0.05, 0.1, 0.2);
            a.travel_usd_per_engineer_month = pert(0, 50, 200);
            a.vendor_search_share = pert(0.002, 0.005, 0.01);
            a.setup_cost_usd = pert(5e3, 15e3, 40e3);
            a.exit_cost_usd = p10_p90(5e3, 40e3);
            a.failure_annual_probability = pert(0.01, 0.02, 0.05);
            a.reversal_cost_usd = p10_p90(30e3, 300e3);
            a.key_person_loss_annual_probability = fixed(0.20);
            a.vendor_switch_annual_probability = fixed(0.05);
            break;
        case sourcing_model::outsourcing:
            a.hourly_rate_usd = pert(25, 45, 80);
            a.market_rate_low_usd = fixed(25);
            a.market_rate_high_usd = fixed(80);
            a.contract = contract_type::fixed_price;      // the vendor owns a defined scope
            a.fixed_price_risk_premium = pert(0.05, 0.10, 0.20);  // assumption
            a.overrun_cap_share = pert(0.1, 0.2, 0.3);    // assumption
            a.change_request_premium = pert(0.1, 0.2, 0.4);  // assumption
            a.time_to_fill_months = p10_p90(0.5, 1.5);
            a.niche_time_to_fill_months = p10_p90(1, 4);
            a.annual_attrition = pert(0.13, 0.19, 0.28);
            a.overlap_hours = pert(1, 3, 6);
            a.scope_isolation = pert(0.3, 0.5, 0.7);
            a.leadership_hours_per_engineer_week = pert(0.5, 1.5, 3);
            a.vetting_rigor = pert(0.2, 0.4, 0.6);
            a.review_strength = pert(0.1, 0.3, 0.5);
            a.setup_cost_usd = pert(15e3, 40e3, 100e3);
            a.failure_annual_probability = pert(0.03, 0.05, 0.10);
            a.reversal_cost_usd = p10_p90(100e3, 1e6);
            a.security_incident_annual_probability = fixed(0.06);
            a.key_person_loss_annual_probability = fixed(0.20);
            break;
        case sourcing_model::hybrid:
            a.hourly_rate_usd = pert(45, 60, 85);        // ~30% in-house core + ~70% external
            a.market_rate_low_usd = fixed(40);
            a.market_rate_high_usd = fixed(90);
            a.time_to_fill_months = p10_p90(0.8, 2.2);
            a.niche_time_to_fill_months = p10_p90(1.5, 6);
            a.legacy_learning_factor = fixed(1.25);
            a.annual_attrition = pert(0.10, 0.16, 0.24);
            a.overlap_hours = pert(3, 5, 7);
            a.leadership_hours_per_engineer_week = pert(2, 3, 5);
            a.governance_share = pert(0.02, 0.04, 0.06);
            a.vetting_rigor = pert(0.4, 0.6, 0.8);
            a.review_strength = pert(0.4, 0.6, 0.8);
            a.transition_productivity = pert(0.6, 0.8, 0.9);
            a.vendor_search_share = pert(0.002, 0.008, 0.02);
            a.setup_cost_usd = pert(15e3, 40e3, 100e3);
            a.cost_per_hire_usd = pert(2e3, 6e3, 12e3);
            a.exit_cost_usd = p10_p90(10e3, 100e3);
            a.failure_annual_probability = pert(0.01, 0.03, 0.06);
            a.reversal_cost_usd = p10_p90(60e3, 500e3);
            a.vendor_switch_annual_probability = fixed(0.02);
            break;
    }
    return a;
}

}  // namespace offroi
