#pragma once
/// \file
/// The per-trial evaluation of the offshoring ROI model: a pure, allocation-free function of
/// one trial's drawn parameter values (`arrangement_values`, `scenario_values`) and its
/// risk-event uniforms. It steps month by month over the horizon with discounting and
/// returns, per arrangement, the present value of the five ROI components of the article
/// (direct cost, delivery impact, talent access, quality, management load) plus risk events,
/// the delivery month, and -- against the baseline (arrangement 0) -- the cost of delay, net
/// benefit, net saving, ROI and payback month. Every equation is in docs/model.md (§2-§5);
/// the comments below cite its symbols.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "offroi/error.hpp"
#include "offroi/model/parameter_values.hpp"
#include "offroi/model/risk_events.hpp"

namespace offroi {

/// The longest horizon the model accepts, in months (50 years).
inline constexpr int max_horizon_months = 600;

/// The fixed constants of the model's mechanisms (docs/model.md §2); each names its source.
namespace model_constants {
/// Loss of synchronous communication per hour of time-zone separation (Pan Fang et al. 2024).
inline constexpr double sync_loss_per_hour = 0.11;
/// Length of the working day that overlap hours are counted against.
inline constexpr double workday_hours = 8.0;
/// Follow-the-sun ceiling gain (the article's vendor claim "30% faster") and handoff cost
/// (break-even at handoff quality 0.5; assumption after Carmel, Espinosa & Dubinsky 2010).
inline constexpr double follow_the_sun_gain = 0.30;
/// See `follow_the_sun_gain`.
inline constexpr double follow_the_sun_cost = 0.15;
/// Reference leadership time per engineer-week (assumption): leadership deficit 0.5 here.
inline constexpr double reference_leadership_hours = 3.0;
/// Share of defects that full review catches (Boehm & Basili 2001: peer review ~60%).
inline constexpr double review_catch = 0.6;
/// Share of defects that full vetting prevents (assumption).
inline constexpr double vetting_effect = 0.5;
/// The article's rate band for vendor tiers, USD/h.
inline constexpr double tier_low_rate_usd = 15.0;
/// See `tier_low_rate_usd`.
inline constexpr double tier_high_rate_usd = 150.0;
/// Upper cap of the rework share.
inline constexpr double max_rework_share = 0.95;
/// Weeks per month (52/12).
inline constexpr double weeks_per_month = 52.0 / 12.0;
}  // namespace model_constants

/// Horizon and discounting of an evaluation.
struct evaluation_settings {
    int horizon_months = 36;           ///< months simulated, 1 ... max_horizon_months
    double annual_discount_rate = 0.10;  ///< r, > -1 (0: no discounting)

    /// Monthly discount factor v = (1 + r)^(-1/12).
    double monthly_discount() const noexcept {
        return std::pow(1.0 + annual_discount_rate, -1.0 / 12.0);
    }
};

/// Checks an `evaluation_settings`.
/// \throws invalid_argument naming the field, the value and the allowed range.
inline void check(const evaluation_settings& s) {
    if (s.horizon_months < 1 || s.horizon_months > max_horizon_months)
        detail::throw_invalid("offroi::evaluation_settings", "horizon_months", s.horizon_months,
                              "must be an integer in [1, 600]");
    if (!std::isfinite(s.annual_discount_rate) || !(s.annual_discount_rate > -1.0) ||
        s.annual_discount_rate > 10.0)
        detail::throw_invalid("offroi::evaluation_settings", "annual_discount_rate",
                              s.annual_discount_rate, "must be in (-1, 10]");
}

/// What one arrangement costs and delivers in one trial. Costs are present values in USD
/// at the start of the horizon; the comparison fields are against the baseline.
struct arrangement_outcome {
    double direct_cost = 0;      ///< labour on useful work + vendor search + set-up (one-time)
    double delivery_cost = 0;    ///< cost of delay with seats always filled (delivery impact)
    double talent_cost = 0;      ///< cost of delay caused by vacancies + hiring costs
    double quality_cost = 0;     ///< labour spent on rework + escaped defects
    double management_cost = 0;  ///< leadership time + governance share of contract value
    double risk_cost = 0;        ///< failure/reversal, vendor switch and security-incident costs
    double total_cost = 0;       ///< sum of the six components above
    double delay_cost = 0;       ///< cost of delay counted from month 0 (delivery + vacancy part)
    double delivery_month = 0;   ///< fractional month the backlog is done; horizon + 1 if never
    double cost_of_delay = 0;    ///< delay_cost - the baseline's delay_cost
    double net_benefit = 0;      ///< baseline total_cost - total_cost
    double net_saving = 0;       ///< net_benefit / baseline total_cost (0 if that is 0)
    double roi = 0;              ///< net_benefit / total_cost (0 if total_cost is 0)
    double payback_month = 1;    ///< first month from which cumulative net benefit stays >= 0; horizon + 1 if never
    double gross_rate_saving = 0;  ///< 1 - billed rate / baseline billed rate
    double gross_rate_saving_usd = 0;  ///< labour_cost (baseline rate / billed rate - 1): the rate gap on these hours
    double labour_cost = 0;        ///< PV of billed labour (direct + rework share), USD
    double billed_rate_usd = 0;    ///< hourly_rate_usd * (1 + vendor_margin)
    double rework_share = 0;       ///< w, share of effort spent on rework
    double coordination_penalty = 0;  ///< c, capacity lost to time-zone separation
    double reramp_engineer_months = 0;  ///< capacity lost to attrition (vacancy + re-ramp), undiscounted
    double parity_month = 1;       ///< first month from which the cumulative cost per useful engineer-month stays <= the baseline's; horizon + 1 if never
    double useful_engineer_months = 0;  ///< useful capacity produced over the horizon (after ramp, transition, coordination, rework), undiscounted
};

/// Describes one output of `arrangement_outcome`: its name and member.
struct outcome_field {
    std::string_view name;                ///< output name (engine column suffix)
    double arrangement_outcome::*member;  ///< the member
};

/// Every field of `arrangement_outcome`, in declaration order.
inline constexpr std::array<outcome_field, 23> outcome_fields = {{
    {"direct_cost", &arrangement_outcome::direct_cost},
    {"delivery_cost", &arrangement_outcome::delivery_cost},
    {"talent_cost", &arrangement_outcome::talent_cost},
    {"quality_cost", &arrangement_outcome::quality_cost},
    {"management_cost", &arrangement_outcome::management_cost},
    {"risk_cost", &arrangement_outcome::risk_cost},
    {"total_cost", &arrangement_outcome::total_cost},
    {"delay_cost", &arrangement_outcome::delay_cost},
    {"delivery_month", &arrangement_outcome::delivery_month},
    {"cost_of_delay", &arrangement_outcome::cost_of_delay},
    {"net_benefit", &arrangement_outcome::net_benefit},
    {"net_saving", &arrangement_outcome::net_saving},
    {"roi", &arrangement_outcome::roi},
    {"payback_month", &arrangement_outcome::payback_month},
    {"gross_rate_saving", &arrangement_outcome::gross_rate_saving},
    {"gross_rate_saving_usd", &arrangement_outcome::gross_rate_saving_usd},
    {"labour_cost", &arrangement_outcome::labour_cost},
    {"billed_rate_usd", &arrangement_outcome::billed_rate_usd},
    {"rework_share", &arrangement_outcome::rework_share},
    {"coordination_penalty", &arrangement_outcome::coordination_penalty},
    {"reramp_engineer_months", &arrangement_outcome::reramp_engineer_months},
    {"parity_month", &arrangement_outcome::parity_month},
    {"useful_engineer_months", &arrangement_outcome::useful_engineer_months},
}};

/// Billed hourly rate p = hourly_rate_usd (1 + vendor_margin).
inline double billed_rate(const arrangement_values& a) noexcept {
    return a.hourly_rate_usd * (1.0 + a.vendor_margin);
}

/// Leadership deficit d = L0 / (L0 + L), L0 = 3 h per engineer-week: 1 without leadership,
/// 0.5 at L0, towards 0 with more (docs/model.md §2).
inline double leadership_deficit(double leadership_hours_per_engineer_week) noexcept {
    constexpr double l0 = model_constants::reference_leadership_hours;
    return l0 / (l0 + leadership_hours_per_engineer_week);
}

/// Leadership multiplier 0.4 + 1.2 d on rework, coordination penalty and failure risk: 1 at
/// the reference L0, 1.6 without leadership, towards 0.4 with much of it (the article: teams
/// fail when buyers cut senior technical leadership; size is an assumption, docs/model.md §2).
inline double leadership_multiplier(double leadership_hours_per_engineer_week) noexcept {
    return 0.4 + 1.2 * leadership_deficit(leadership_hours_per_engineer_week);
}

/// Position of a billed rate in the article's $15-150/h band, clamp(ln(p/15)/ln 10, 0, 1):
/// the default `vendor_tier` of a preset with that rate (docs/model.md §2). The tier is a
/// separate input, not derived from the rate in a trial, so that a higher rate with
/// everything else equal never raises net benefit; correlate the two inputs to tie them.
inline double rate_band_position(double billed_rate_usd) noexcept {
    const double q = std::log(billed_rate_usd / model_constants::tier_low_rate_usd) /
                     std::log(model_constants::tier_high_rate_usd / model_constants::tier_low_rate_usd);
    return std::clamp(q, 0.0, 1.0);
}

/// Rework share w = min(0.95, w_b (1.5 - q)(1 - 0.5 v)(1 - 0.6 s)(0.4 + 1.2 d)) with q the
/// vendor tier (Boehm & Basili 2001; docs/model.md §2). Never rises with the tier,
/// leadership time, vetting or review.
inline double rework_share(const arrangement_values& a, const scenario_values& s) noexcept {
    const double w = s.base_rework_share * (1.5 - a.vendor_tier) *
                     (1.0 - model_constants::vetting_effect * a.vetting_rigor) *
                     (1.0 - model_constants::review_catch * a.review_strength) *
                     leadership_multiplier(a.leadership_hours_per_engineer_week);
    return std::min(model_constants::max_rework_share, w);
}

/// Coordination penalty c = min(0.95, sigma (1 - iota)(1 - 0.89^(8 - O)) (0.4 + 1.2 d))
/// (Pan Fang et al. 2024: -11% synchronous communication per hour of separation; the
/// leadership multiplier: written decisions and architects in contact cut the cost of
/// distance). Never rises with overlap hours or leadership time.
inline double coordination_penalty(const arrangement_values& a, const scenario_values& s) noexcept {
    const double separation = model_constants::workday_hours - a.overlap_hours;
    static const double log_keep = std::log1p(-model_constants::sync_loss_per_hour);
    const double retained = std::exp(separation * log_keep);
    return std::min(0.95, s.sync_work_share * (1.0 - a.scope_isolation) * (1.0 - retained) *
                              leadership_multiplier(a.leadership_hours_per_engineer_week));
}

/// Follow-the-sun throughput multiplier 1 + f (0.30 q_h - 0.15): a gain only with handoffs
/// better than 0.5 (Carmel, Espinosa & Dubinsky 2010; assumption).
inline double follow_the_sun_multiplier(const arrangement_values& a) noexcept {
    return 1.0 + a.follow_the_sun_share * (model_constants::follow_the_sun_gain * a.handoff_quality -
                                           model_constants::follow_the_sun_cost);
}

/// Effective annual failure probability p_f (0.4 + 1.2 d)(1.25 - 0.5 v), capped at 1: cutting
/// leadership or vetting raises it (the article's warning; assumption for the size).
inline double effective_failure_probability(const arrangement_values& a) noexcept {
    return std::min(1.0, a.failure_annual_probability *
                             leadership_multiplier(a.leadership_hours_per_engineer_week) *
                             (1.25 - 0.5 * a.vetting_rigor));
}

/// Effective annual security-incident probability p_s (1 - controls).
inline double effective_security_probability(const arrangement_values& a) noexcept {
    return a.security_incident_annual_probability * (1.0 - a.security_controls);
}

/// Probability that a vacancy is filled within a month when the mean time to fill is
/// `months`: 1 - exp(-1/T); 1 for T = 0, 0 for T = inf.
inline double monthly_fill_probability(double months) noexcept {
    if (!(months > 0.0)) return 1.0;
    if (std::isinf(months)) return 0.0;
    return -std::expm1(-1.0 / months);
}

/// Evaluates one arrangement for one trial (docs/model.md §2-§5), without the comparison
/// fields (cost_of_delay, net_benefit, net_saving, roi, payback_month, parity_month, gross_rate_saving),
/// which `evaluate_trial` fills in.
///
/// \param a      the arrangement's drawn values (assumed valid: see `check`).
/// \param s      the scenario's drawn values (assumed valid).
/// \param events the arrangement's event uniforms for this trial.
/// \param set    horizon and discounting (assumed valid).
/// \param v      the monthly discount factor, `set.monthly_discount()` (passed in so that a
///               run computes it once).
/// \param flows  if not null, receives `set.horizon_months` discounted monthly cash flows
///               (total cost of month t; month 0 includes the one-time costs).
/// \param unit_costs if not null, receives `set.horizon_months` cumulative unit costs: the
///               undiscounted spend of months 0 ... t (every cost except the cost of delay)
///               divided by the useful engineer-months of months 0 ... t (+inf while no
///               useful capacity has been produced; docs/model.md §4, cost parity).
/// \return the outcome.
inline arrangement_outcome evaluate_arrangement(const arrangement_values& a, const scenario_values& s,
                                                const event_uniforms& events,
                                                const evaluation_settings& set, double v,
                                                double* flows, double* unit_costs = nullptr) noexcept {
    const int horizon = set.horizon_months;

    // §2 derived quantities (a handful of transcendental calls per trial).
    const double n = a.headcount;
    const double n_niche = n * s.niche_role_share;
    const double seats[2] = {n - n_niche, n_niche};
    const double fill[2] = {monthly_fill_probability(a.time_to_fill_months),
                            monthly_fill_probability(a.niche_time_to_fill_months)};
    const double attrition = -std::expm1(std::log1p(-a.annual_attrition) / 12.0);
    const double ramp_mean = std::max(1.0, a.ramp_up_months);
    const double graduate = 1.0 / ramp_mean;
    const double rho = 1.0 - a.ramp_up_months / (2.0 * ramp_mean);
    const double p = billed_rate(a);
    const double labour_per_head = a.hours_per_month * p;
    const double w = rework_share(a, s);
    const double coord = coordination_penalty(a, s);
    const double useful = (1.0 - coord) * (1.0 - w) * follow_the_sun_multiplier(a);
    const double escaped = 1.0 - model_constants::review_catch * a.review_strength;
    const double direct_per_head = (1.0 - w) * labour_per_head;
    const double quality_per_head =
        w * labour_per_head + s.escaped_defect_cost_usd_per_engineer_month * w * escaped;
    const double management_per_head =
        a.leadership_hours_per_engineer_week * model_constants::weeks_per_month * s.leader_hourly_cost_usd +
        a.governance_share * labour_per_head + a.travel_usd_per_engineer_month;
    // Knowledge transfer: the buyer's knowledge holders shadow the team for chi of its hours
    // while it is in transition, at the leaders' loaded cost (duplicated capacity).
    const double transfer_per_head = a.knowledge_transfer_share * a.hours_per_month * s.leader_hourly_cost_usd;
    const double annual_contract = 12.0 * n * labour_per_head;
    const double cod = s.cost_of_delay_per_month_usd;
    arrangement_outcome o;

    // §5 event months (horizon = does not occur).
    const int t_fail = event_month(events.failure, effective_failure_probability(a), horizon);
    const int t_switch = event_month(events.vendor_switch, a.vendor_switch_annual_probability, horizon);
    const int t_security = event_month(events.security_incident, effective_security_probability(a), horizon);
    const int t_key = event_month(events.key_person_loss, a.key_person_loss_annual_probability, horizon);

    // §3 state: vacancies per kind (regular, niche) V0, Va; ramping and productive pools
    // R0, Ra, P summed over the kinds (the heads of kind k are seats_k - V0_k - Va_k, so
    // its leavers are known without per-kind pools); counterfactual Rf, Pf.
    double v0[2] = {seats[0], seats[1]}, va[2] = {0, 0};
    double r0 = 0, ra = 0, pp = 0;
    double rf = n, pf = 0;
    double backlog = s.backlog_engineer_months;
    double done = 0, done_f = 0;  // cumulative useful capacity C, C^f
    bool delivered = false, delivered_f = false;
    double delivery_month = horizon + 1.0;
    int restart = 0;  // t_s
    double d = 1.0;   // discount factor d_t, updated to v^(t+1) in month t

    // Every per-head cost is constant over the months, so the loop only accumulates
    // discounted sums: heads, hires, undelivered shares and event costs.
    double sum_heads = 0, sum_hires = 0, sum_u = 0, sum_u_f = 0, risk_pv = 0, lost_total = 0;
    double sum_transfer = 0;               // discounted heads in transition (W_t x in-transition share)
    double spend_total = 0, cap_total = 0;  // undiscounted spend without cost of delay, useful capacity
    const double cost_per_head = direct_per_head + quality_per_head + management_per_head;
    const double one_time = a.vendor_search_share * annual_contract + a.setup_cost_usd;
    const double keep = 1.0 - attrition, stay = 1.0 - graduate;

    for (int t = 0; t < horizon; ++t) {
        double risk = 0;
        if (t == t_fail || t == t_switch) {
            if (t == t_fail) risk += a.reversal_cost_usd + a.exit_cost_usd;
            if (t == t_switch) risk += a.exit_cost_usd + a.vendor_search_share * annual_contract;
            v0[0] = seats[0];
            v0[1] = seats[1];
            va[0] = va[1] = r0 = ra = pp = 0;
            rf = n;
            pf = 0;
            restart = t;
        }
        if (t == t_security) risk += a.security_incident_cost_usd;
        if (t == t_key) backlog += a.key_person_loss_engineer_months;

        // Hiring (x0 from initial vacancies, xa from leavers' seats), heads, productive
        // equivalent, capacity lost to attrition.
        const double x0r = fill[0] * v0[0], xar = fill[0] * va[0];
        const double x0n = fill[1] * v0[1], xan = fill[1] * va[1];
        v0[0] -= x0r;
        va[0] -= xar;
        v0[1] -= x0n;
        va[1] -= xan;
        r0 += x0r + x0n;
        ra += xar + xan;
        const double hires = (x0r + xar) + (x0n + xan);
        const double heads = r0 + ra + pp;
        const double productive = rho * (r0 + ra) + pp;
        const double productive_f = rho * rf + pf;
        lost_total += va[0] + va[1] + (1.0 - rho) * ra;

        // §4 capacity with the transition factor.
        const double in_transition = std::clamp(a.transition_months - (t - restart), 0.0, 1.0);
        const double tau = 1.0 - (1.0 - a.transition_productivity) * in_transition;
        const double cap = productive * useful * tau;
        const double cap_f = productive_f * useful * tau;
        const double transferring = heads * in_transition;

        // Delivery: undelivered share of the month (u_t, u_t^f).
        double u = 0, u_f = 0;
        if (!delivered) {
            if (done + cap >= backlog) {
                u = cap > 0 ? (backlog - done) / cap : 0.0;
                delivery_month = t + u;
                delivered = true;
            } else {
                u = 1.0;
            }
            done += cap;
        }
        if (!delivered_f) {
            if (done_f + cap_f >= backlog) {
                u_f = cap_f > 0 ? (backlog - done_f) / cap_f : 0.0;
                delivered_f = true;
            } else {
                u_f = 1.0;
            }
            done_f += cap_f;
        }

        // Discounted sums (flows at the end of the month).
        d *= v;
        sum_heads += d * heads;
        sum_hires += d * hires;
        sum_u += d * u;
        sum_u_f += d * u_f;
        sum_transfer += d * transferring;
        risk_pv += d * risk;
        const double spend = heads * cost_per_head + transfer_per_head * transferring +
                             a.cost_per_hire_usd * hires + risk;
        if (flows != nullptr) flows[t] = d * (spend + cod * u) + (t == 0 ? one_time : 0.0);
        spend_total += spend + (t == 0 ? one_time : 0.0);
        cap_total += cap;
        if (unit_costs != nullptr) unit_costs[t] = cap_total > 0 ? spend_total / cap_total : HUGE_VAL;

        // End of month: attrition to Va, then graduation from ramping to productive.
        va[0] += attrition * (seats[0] - v0[0] - va[0]);
        va[1] += attrition * (seats[1] - v0[1] - va[1]);
        r0 *= keep;
        ra *= keep;
        pp *= keep;
        pp += graduate * (r0 + ra);
        r0 *= stay;
        ra *= stay;
        rf += attrition * pf;  // leavers of P are replaced at once and ramp again
        pf *= keep;
        pf += graduate * rf;
        rf *= stay;
    }

    o.direct_cost = one_time + direct_per_head * sum_heads + transfer_per_head * sum_transfer;
    o.labour_cost = labour_per_head * sum_heads;
    o.quality_cost = quality_per_head * sum_heads;
    o.management_cost = management_per_head * sum_heads;
    o.delivery_cost = cod * sum_u_f;
    o.talent_cost = cod * (sum_u - sum_u_f) + a.cost_per_hire_usd * sum_hires;
    o.delay_cost = cod * sum_u;
    o.risk_cost = risk_pv;
    o.reramp_engineer_months = lost_total;
    o.total_cost = o.direct_cost + o.delivery_cost + o.talent_cost + o.quality_cost +
                   o.management_cost + o.risk_cost;
    o.delivery_month = delivery_month;
    o.billed_rate_usd = p;
    o.rework_share = w;
    o.coordination_penalty = coord;
    o.useful_engineer_months = cap_total;
    return o;
}

/// Evaluates every arrangement of one trial and compares each with the baseline
/// (arrangement 0): net benefit, net saving, ROI, cost of delay, gross rate saving and
/// payback month and cost-parity month (docs/model.md §4). Pure and allocation-free.
///
/// \param s       the scenario's drawn values.
/// \param arr     the arrangements' drawn values, baseline first (at least one).
/// \param events  the arrangements' event uniforms (same size as `arr`).
/// \param set     horizon and discounting.
/// \param v       `set.monthly_discount()`.
/// \param out     receives one outcome per arrangement (same size as `arr`).
inline void evaluate_trial(const scenario_values& s, std::span<const arrangement_values> arr,
                           std::span<const event_uniforms> events, const evaluation_settings& set,
                           double v, std::span<arrangement_outcome> out) noexcept {
    std::array<double, max_horizon_months> base_flows, flows, base_units, units;
    const int horizon = set.horizon_months;
    const arrangement_outcome base =
        evaluate_arrangement(arr[0], s, events[0], set, v, base_flows.data(), base_units.data());
    out[0] = base;
    for (std::size_t i = 1; i < arr.size(); ++i) {
        arrangement_outcome o =
            evaluate_arrangement(arr[i], s, events[i], set, v, flows.data(), units.data());
        o.net_benefit = base.total_cost - o.total_cost;
        o.net_saving = base.total_cost != 0 ? o.net_benefit / base.total_cost : 0.0;
        o.roi = o.total_cost != 0 ? o.net_benefit / o.total_cost : 0.0;
        o.cost_of_delay = o.delay_cost - base.delay_cost;
        o.gross_rate_saving = 1.0 - o.billed_rate_usd / base.billed_rate_usd;
        o.gross_rate_saving_usd = o.labour_cost * (base.billed_rate_usd / o.billed_rate_usd - 1.0);
        double cum = 0;
        int last_negative = 0;  // 1-based month of the last negative cumulative net benefit
        for (int t = 0; t < horizon; ++t) {
            cum += base_flows[t] - flows[t];
            if (cum < 0) last_negative = t + 1;
        }
        o.payback_month = last_negative + 1.0;
        // Cost parity: the first month from which the cumulative cost per useful
        // engineer-month stays at or below the baseline's (no output yet: not at parity).
        int last_above = 0;
        for (int t = horizon - 1; t >= 0; --t)
            if (!(units[t] < HUGE_VAL && units[t] <= base_units[t])) {
                last_above = t + 1;
                break;
            }
        o.parity_month = last_above + 1.0;
        out[i] = o;
    }
}

}  // namespace offroi
