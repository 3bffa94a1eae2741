#pragma once
/// \file
/// The per-trial evaluation of the offshoring ROI model (version 2): a pure, allocation-free
/// function of one trial's drawn parameter values (`arrangement_values`, `scenario_values`)
/// and its risk-event uniforms. It steps month by month over the horizon with discounting,
/// under one of two framings (`framing`): a *project* (a backlog; an arrangement's spend stops
/// when it is delivered, undelivered work at the horizon runs on at the arrangement's run
/// rate until its expected delivery) or *capacity* (an ongoing team, compared with the
/// baseline at equal useful output). Per arrangement it returns the present value of each
/// cost component and, against the baseline (arrangement 0), the net benefit, its waterfall
/// (rate gap, volume, transition, quality, management, talent access, delivery, risk: the
/// bars add up to the net benefit exactly), the net saving on spend, the cash break-even and
/// the cost-parity months. Every equation is in docs/model.md; the comments cite it.

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "offroi/error.hpp"
#include "offroi/model/detail/block_lanes.hpp"
#include "offroi/model/detail/elementary_functions.hpp"
#include "offroi/model/contract_type.hpp"
#include "offroi/model/engagement_plan.hpp"
#include "offroi/model/framing.hpp"
#include "offroi/model/parameter_values.hpp"
#include "offroi/model/risk_events.hpp"

namespace offroi {

/// The longest horizon the model accepts, in months (50 years).
inline constexpr int max_horizon_months = 600;

/// The value of a month output (delivery, break-even, parity) that never happens.
inline constexpr double never_month = 9999.0;

/// The fixed constants of the model's mechanisms (docs/model.md §2); each names its source.
namespace model_constants {
/// Loss of synchronous communication per hour of time-zone separation (Pan Fang et al. 2024).
inline constexpr double sync_loss_per_hour = 0.11;
/// Length of the working day that overlap hours are counted against.
inline constexpr double workday_hours = 8.0;
/// Follow-the-sun handoff effort per hour of follow-the-sun work at handoff quality 0
/// (assumption after Carmel, Espinosa & Dubinsky 2010: two hours of an eight-hour shift).
inline constexpr double handoff_effort = 0.25;
/// Reference senior leadership time per engineer-week (assumption: about one tech lead per
/// 13 engineers); less than this is a leadership deficit.
inline constexpr double reference_leadership_hours = 3.0;
/// Failure hazard multiplier without leadership: Standish CHAOS 1994 cancelled 31% of
/// projects against Barthelemy 2001's 14% of managed outsourcing efforts (31 / 14 = 2.2).
inline constexpr double failure_without_leadership = 2.2;
/// Coordination penalty multiplier without leadership: Herbsleb & Mockus 2003, distributed
/// work items take ~2.5x as long as collocated ones.
inline constexpr double coordination_without_leadership = 2.5;
/// Rework multiplier without leadership: COCOMO II ACAP very low (1.42) against nominal.
inline constexpr double rework_without_leadership = 1.42;
/// Share of defects that full review catches before they escape (Boehm & Basili 2001: ~60%).
inline constexpr double review_catch = 0.6;
/// Share of the team's hours that review takes at full strength (assumption: peer review
/// costs 5-15% of development effort).
inline constexpr double review_effort = 0.10;
/// Share of defects that full vetting prevents (assumption).
inline constexpr double vetting_effect = 0.5;
/// Leader hours per hire at full vetting rigor (assumption: four interviews of two hours by
/// two seniors).
inline constexpr double vetting_hours_per_hire = 16.0;
/// COCOMO II.2000 PCAP (programmer capability) effort multipliers, very low and very high.
inline constexpr double pcap_very_low = 1.34;
/// See `pcap_very_low`.
inline constexpr double pcap_very_high = 0.76;
/// COCOMO II.2000 ACAP (analyst capability) effort multipliers, very low and very high.
inline constexpr double acap_very_low = 1.42;
/// See `acap_very_low`.
inline constexpr double acap_very_high = 0.71;
/// Upper cap of the rework share.
inline constexpr double max_rework_share = 0.85;
/// Longest run-on beyond the horizon of a project not delivered by then (assumption: a
/// backlog not delivered ten years after the horizon is charged ten years of delay).
inline constexpr double max_tail_months = 120.0;
/// Weeks per month (52/12).
inline constexpr double weeks_per_month = 52.0 / 12.0;
/// Months of the trailing window of the parity unit cost (Smite & van Solingen compare
/// yearly hourly costs).
inline constexpr int parity_window_months = 12;
}  // namespace model_constants

/// Horizon, discounting and framing of an evaluation.
struct evaluation_settings {
    int horizon_months = 36;             ///< months simulated, 1 ... max_horizon_months
    double annual_discount_rate = 0.10;  ///< r, in (-0.5, 10] (0: no discounting)
    framing frame = framing::project;    ///< project (a backlog) or capacity (an ongoing team)

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
    if (!std::isfinite(s.annual_discount_rate) || !(s.annual_discount_rate > -0.5) ||
        s.annual_discount_rate > 10.0)
        detail::throw_invalid("offroi::evaluation_settings", "annual_discount_rate",
                              s.annual_discount_rate, "must be in (-0.5, 10]");
}

/// What one arrangement costs and delivers in one trial. Costs are present values in USD
/// at the start of the horizon (including, in the project framing, the run-on beyond the
/// horizon of a backlog not delivered by then); the comparison fields are against the
/// baseline. The cost components add up to `total_cost`; the `nb_*` bars add up to
/// `net_benefit`.
struct arrangement_outcome {
    double labour_cost = 0;      ///< billed labour on useful work (and coordination waits)
    double quality_cost = 0;     ///< labour on rework and review + escaped defects + vetting
    double transition_cost = 0;  ///< knowledge transfer + vendor search + set-up + travel + exit at completion
    double management_cost = 0;  ///< buyer's leadership time + governance share of contract value
    double talent_cost = 0;      ///< hiring costs + cost of delay caused by vacancies (project)
    double delivery_cost = 0;    ///< cost of delay with seats always filled (project)
    double risk_cost = 0;        ///< failure/reversal, vendor switch and security-incident costs
    double total_cost = 0;       ///< sum of the seven components above
    double spend = 0;            ///< total_cost without the cost of delay: what is paid
    double delay_cost = 0;       ///< cost of delay until delivery (project; 0 for capacity)
    double delivery_month = 0;   ///< (expected) fractional delivery month, beyond the horizon at the run rate; 0 for capacity
    double delivered = 1;        ///< 1 if delivered within the horizon (capacity: 1)
    double net_benefit = 0;      ///< baseline cost - this cost (capacity: at the baseline's useful output)
    double net_saving = 0;       ///< saving on spend, share of the baseline's spend
    double delivery_value = 0;   ///< value of faster (+) or slower (-) delivery; capacity: of more or less output
    double roi = 0;              ///< net_benefit / total_cost
    double breakeven_month = 1;  ///< first month from which cumulative discounted net benefit stays >= 0; never_month if never
    double breakeven_in_horizon = 1;  ///< 1 if breakeven_month <= horizon
    double parity_month = 1;     ///< first month from which the trailing-year cost per useful engineer-month stays <= the baseline's
    double parity_in_horizon = 1;  ///< 1 if parity_month <= horizon
    double gross_rate_saving = 0;  ///< 1 - billed rate / baseline billed rate (month 0, all-in)
    double nb_rate_gap = 0;      ///< waterfall: this arrangement's hours at the baseline's rate minus their cost
    double nb_volume = 0;        ///< waterfall: fewer (+) or more (-) hours of useful work, at the baseline's rate
    double nb_transition = 0;    ///< waterfall: transition cost difference
    double nb_quality = 0;       ///< waterfall: rework and review hours at the baseline's rate, escaped defects, vetting
    double nb_management = 0;    ///< waterfall: management cost difference
    double nb_talent = 0;        ///< waterfall: talent access difference (hiring, vacancy delay)
    double nb_delivery = 0;      ///< waterfall: delivery difference (project: cost of delay; capacity: output value)
    double nb_risk = 0;          ///< waterfall: risk-event cost difference
    double billed_rate_usd = 0;  ///< all-in billed rate at month 0: hourly_rate_usd * overhead_loading * (1 + vendor_margin)
    double capability_tier = 0;  ///< capability tier q in [0, 1] (0: COCOMO very low, 1: very high)
    double rework_share = 0;     ///< w, share of hours spent on rework
    double coordination_penalty = 0;  ///< c, share of capacity lost to time-zone separation
    double useful_share = 0;     ///< u, useful output per productive engineer-month: PCAP(q)^-1 (1 - c)(1 - w - review)(1 - handoff)
    double reramp_engineer_months = 0;  ///< capacity lost to attrition (vacancy + re-ramp), undiscounted
    double useful_engineer_months = 0;  ///< useful capacity delivered (nominal engineer-months), undiscounted
    double billed_hours_pv = 0;  ///< discounted billed hours (the waterfall's rate gap and volume)
    double quality_hours_pv = 0;  ///< discounted rework and review hours (for the waterfall; not an output column)
    double labour_total_pv = 0;  ///< discounted billed labour of all hours, after contract terms
    double other_quality_cost = 0;  ///< escaped defects + vetting (for the waterfall)
    double useful_output_pv = 0;  ///< discounted useful engineer-months (capacity framing)
};

/// Describes one output of `arrangement_outcome`: its name and member.
struct outcome_field {
    std::string_view name;                ///< output name (engine column suffix)
    double arrangement_outcome::*member;  ///< the member
};

/// Every output field of `arrangement_outcome`, in declaration order (the internal
/// terms after `billed_hours_pv` are not outputs). Under an engagement plan (a pilot), the
/// rework share, coordination penalty and useful share are the pilot team's: what the buyer
/// observes by the decision month.
inline constexpr std::array<outcome_field, 37> outcome_fields = {{
    {"labour_cost", &arrangement_outcome::labour_cost},
    {"quality_cost", &arrangement_outcome::quality_cost},
    {"transition_cost", &arrangement_outcome::transition_cost},
    {"management_cost", &arrangement_outcome::management_cost},
    {"talent_cost", &arrangement_outcome::talent_cost},
    {"delivery_cost", &arrangement_outcome::delivery_cost},
    {"risk_cost", &arrangement_outcome::risk_cost},
    {"total_cost", &arrangement_outcome::total_cost},
    {"spend", &arrangement_outcome::spend},
    {"delay_cost", &arrangement_outcome::delay_cost},
    {"delivery_month", &arrangement_outcome::delivery_month},
    {"delivered", &arrangement_outcome::delivered},
    {"net_benefit", &arrangement_outcome::net_benefit},
    {"net_saving", &arrangement_outcome::net_saving},
    {"delivery_value", &arrangement_outcome::delivery_value},
    {"roi", &arrangement_outcome::roi},
    {"breakeven_month", &arrangement_outcome::breakeven_month},
    {"breakeven_in_horizon", &arrangement_outcome::breakeven_in_horizon},
    {"parity_month", &arrangement_outcome::parity_month},
    {"parity_in_horizon", &arrangement_outcome::parity_in_horizon},
    {"gross_rate_saving", &arrangement_outcome::gross_rate_saving},
    {"nb_rate_gap", &arrangement_outcome::nb_rate_gap},
    {"nb_volume", &arrangement_outcome::nb_volume},
    {"nb_transition", &arrangement_outcome::nb_transition},
    {"nb_quality", &arrangement_outcome::nb_quality},
    {"nb_management", &arrangement_outcome::nb_management},
    {"nb_talent", &arrangement_outcome::nb_talent},
    {"nb_delivery", &arrangement_outcome::nb_delivery},
    {"nb_risk", &arrangement_outcome::nb_risk},
    {"billed_rate_usd", &arrangement_outcome::billed_rate_usd},
    {"capability_tier", &arrangement_outcome::capability_tier},
    {"rework_share", &arrangement_outcome::rework_share},
    {"coordination_penalty", &arrangement_outcome::coordination_penalty},
    {"useful_share", &arrangement_outcome::useful_share},
    {"reramp_engineer_months", &arrangement_outcome::reramp_engineer_months},
    {"useful_engineer_months", &arrangement_outcome::useful_engineer_months},
    {"billed_hours_pv", &arrangement_outcome::billed_hours_pv},
}};

/// The waterfall bars, in report order: {output field, label}.
inline constexpr std::array<std::pair<std::string_view, std::string_view>, 8> waterfall_bars = {{
    {"nb_rate_gap", "rate gap"},
    {"nb_volume", "volume (useful hours)"},
    {"nb_transition", "transition (transfer, set-up, search, travel)"},
    {"nb_quality", "quality (rework, review, defects, vetting)"},
    {"nb_management", "management (leadership, governance)"},
    {"nb_talent", "talent access (hiring, vacancies)"},
    {"nb_delivery", "delivery (delay at full staffing / output)"},
    {"nb_risk", "risk events"},
}};

/// The label of waterfall bar `field` under framing `f`: the labels of `waterfall_bars`, but
/// under the capacity framing the delivery bar is the value of more or less useful output and
/// talent access has no delay in it.
constexpr std::string_view waterfall_label(std::string_view field, framing f) noexcept {
    if (f == framing::capacity) {
        if (field == "nb_delivery") return "output (gap at the baseline's unit cost)";
        if (field == "nb_talent") return "talent access (hiring)";
    }
    for (const auto& [name, label] : waterfall_bars)
        if (name == field) return label;
    return field;
}

/// All-in hourly cost before fees: hourly_rate_usd * overhead_loading (in-house: pay per
/// hour times benefits and overhead; vendors: the rate card, loading 1).
inline double all_in_rate(const arrangement_values& a) noexcept {
    return a.hourly_rate_usd * a.overhead_loading;
}

/// Billed all-in rate at month 0, p = hourly_rate_usd * overhead_loading * (1 + vendor_margin).
inline double billed_rate(const arrangement_values& a) noexcept {
    return all_in_rate(a) * (1.0 + a.vendor_margin);
}

namespace detail {
// ln(high / low), remembered for the last few bands this thread asked for: a band is usually
// fixed while the rate in it is sampled, so every trial would take the same logarithm again.
// Keyed by the exact bits of both ends, so it returns the bits elementary::log gives.
inline double log_band_width(double low_usd, double high_usd) noexcept {
    struct entry {
        std::uint64_t low = 0, high = 0;
        double value = 0;
        bool used = false;
    };
    constexpr int slots = 4;
    thread_local entry cache[slots];
    thread_local int next = 0;
    const std::uint64_t lo = std::bit_cast<std::uint64_t>(low_usd), hi = std::bit_cast<std::uint64_t>(high_usd);
    for (const entry& c : cache)
        if (c.used && c.low == lo && c.high == hi) return c.value;
    const double value = elementary::log(high_usd / low_usd);
    cache[next] = {lo, hi, value, true};
    next = (next + 1) % slots;
    return value;
}
}  // namespace detail

namespace detail {
// rate_band_position for a double or for lanes (lane_vec<L>), given ln(high / low): the same
// operations, so a lane gives the scalar function's bits.
template <class V>
OFFROI_LANE_INLINE V rate_band_position_given(const V& rate_usd, const V& low_usd, const V& high_usd,
                                                     const V& log_width) noexcept {
    const V q = elementary::log(rate_usd / low_usd) / log_width;
    // Not a band (high <= low): validation refuses it; 1 at or above high, else 0.
    const V not_band = sel(rate_usd >= high_usd, lane_splat<V>(1.0), lane_splat<V>(0.0));
    return sel(high_usd > low_usd, lclamp(q, 0.0, 1.0), not_band);
}

// ln(high / low) of the arrangement's labour-market band (1 when it is not a band, which
// validation refuses: rate_band_position_given then does not use it).
inline double market_band_width(const arrangement_values& a) noexcept {
    return a.market_rate_high_usd > a.market_rate_low_usd ? log_band_width(a.market_rate_low_usd, a.market_rate_high_usd)
                                                         : 1.0;
}

// capability_tier for a double or for lanes, given the band's ln(high / low).
template <class V>
OFFROI_LANE_INLINE V capability_tier_given(const V& rate_usd, const V& low_usd, const V& high_usd,
                                                  const V& log_width, const V& premium) noexcept {
    return lclamp(rate_band_position_given(rate_usd, low_usd, high_usd, log_width) + premium, 0.0, 1.0);
}
}  // namespace detail

/// Position of an all-in hourly rate in its labour market's band [low, high] on a log
/// scale, clamp(ln(p / low) / ln(high / low), 0, 1) (docs/model.md §2).
inline double rate_band_position(double rate_usd, double low_usd, double high_usd) noexcept {
    if (!(high_usd > low_usd)) return rate_usd >= high_usd ? 1.0 : 0.0;  // not a band: validation refuses it
    return detail::rate_band_position_given(rate_usd, low_usd, high_usd, detail::log_band_width(low_usd, high_usd));
}

/// Capability tier q = clamp(rate_band_position(all-in rate, market band) + capability_premium,
/// 0, 1): where the rate sits among the tiers of its own labour market (offshore $18-50,
/// nearshore $35-70, onshore ...), shifted by the vendor's (or hires') capability relative to
/// their price. COCOMO II's ratings are percentiles of a labour pool: 0 is very low (15th
/// percentile), 0.5 nominal (55th), 1 very high (90th).
inline double capability_tier(const arrangement_values& a) noexcept {
    return detail::capability_tier_given(all_in_rate(a), a.market_rate_low_usd, a.market_rate_high_usd,
                                         detail::market_band_width(a), a.capability_premium);
}

namespace detail {
// rating_multiplier for a double or for lanes.
template <class V>
OFFROI_LANE_INLINE V rating_multiplier_lanes(const V& x, double log_very_low, double log_very_high) noexcept {
    return elementary::exp(sel(x < 0.5, (1.0 - 2.0 * x) * log_very_low, (2.0 * x - 1.0) * log_very_high));
}
}  // namespace detail

/// A COCOMO II rating multiplier at position x in [0, 1]: log-linear from `very_low` (x = 0)
/// through 1 (nominal, x = 0.5) to `very_high` (x = 1), given the logarithms of the two ends:
/// exp((1 - 2x) ln very_low) below nominal, exp((2x - 1) ln very_high) above.
inline double rating_multiplier(double x, double log_very_low, double log_very_high) noexcept {
    return detail::rating_multiplier_lanes(x, log_very_low, log_very_high);
}

namespace detail {
// ln of the COCOMO II.2000 PCAP and ACAP end ratings.
inline const double log_pcap_very_low = elementary::log(model_constants::pcap_very_low);
inline const double log_pcap_very_high = elementary::log(model_constants::pcap_very_high);
inline const double log_acap_very_low = elementary::log(model_constants::acap_very_low);
inline const double log_acap_very_high = elementary::log(model_constants::acap_very_high);

// capability_productivity and capability_rework for a double or for lanes.
template <class V>
OFFROI_LANE_INLINE V capability_productivity_lanes(const V& tier) noexcept {
    return 1.0 / rating_multiplier_lanes(tier, log_pcap_very_low, log_pcap_very_high);
}
template <class V>
OFFROI_LANE_INLINE V capability_rework_lanes(const V& tier) noexcept {
    return rating_multiplier_lanes(tier, log_acap_very_low, log_acap_very_high);
}
}  // namespace detail

/// Productivity multiplier of capability tier q: 1 / PCAP(q) (COCOMO II.2000 programmer
/// capability: 1.34 at very low, 0.76 at very high).
inline double capability_productivity(double tier) noexcept {
    return detail::capability_productivity_lanes(tier);
}

/// Rework multiplier of capability tier q: ACAP(q) (COCOMO II.2000 analyst capability: 1.42
/// at very low, 0.71 at very high).
inline double capability_rework(double tier) noexcept {
    return detail::capability_rework_lanes(tier);
}

/// Leadership deficit d = max(0, 1 - L_eff / L_ref), L_eff = min(L, supply / N), L_ref = 3 h
/// per engineer-week: 0 at or above the reference, 1 with no leadership (docs/model.md §2).
inline double leadership_deficit(const arrangement_values& a, const scenario_values& s) noexcept {
    const double available = s.leadership_supply_hours_per_week / a.headcount;
    const double l = std::min(a.leadership_hours_per_engineer_week, available);
    return std::max(0.0, 1.0 - l / model_constants::reference_leadership_hours);
}

/// Leadership hours actually given per engineer-week, min(L, supply / N).
inline double effective_leadership_hours(const arrangement_values& a, const scenario_values& s) noexcept {
    return std::min(a.leadership_hours_per_engineer_week, s.leadership_supply_hours_per_week / a.headcount);
}

namespace detail {
// rework_share given the tier's rework multiplier ACAP(q).
inline double rework_share_given(const arrangement_values& a, const scenario_values& s, double rework_multiplier,
                                 double deficit) noexcept {
    const double w = s.base_rework_share * rework_multiplier *
                     (1.0 - model_constants::vetting_effect * a.vetting_rigor) *
                     (1.0 + (model_constants::rework_without_leadership - 1.0) * deficit);
    return std::min(model_constants::max_rework_share, w);
}
}  // namespace detail

/// Rework share w = min(0.85, w_b ACAP(q) (1 - 0.5 v)(1 + 0.42 d)): base rework at nominal
/// capability (Boehm & Basili 2001: 40-50%), the tier's analyst capability (COCOMO II ACAP),
/// vetting, and the leadership deficit. Review does not change w (it changes which defects
/// escape). Never rises with the tier, leadership time or vetting.
inline double rework_share(const arrangement_values& a, const scenario_values& s, double tier,
                           double deficit) noexcept {
    return detail::rework_share_given(a, s, capability_rework(tier), deficit);
}

/// \copydoc rework_share(const arrangement_values&, const scenario_values&, double, double)
inline double rework_share(const arrangement_values& a, const scenario_values& s) noexcept {
    return rework_share(a, s, capability_tier(a), leadership_deficit(a, s));
}

namespace detail {
// ln(1 - 0.11), the synchronous communication kept per hour of separation.
inline const double log_sync_keep = elementary::log1p(-model_constants::sync_loss_per_hour);

// 0.89^(8 - O), the share of synchronous communication kept at O hours of overlap, for a
// double or for lanes (exactly 1 with no separation: exp(+-0) = 1).
template <class V>
OFFROI_LANE_INLINE V sync_retained(const V& overlap_hours) noexcept {
    return elementary::exp((model_constants::workday_hours - overlap_hours) * log_sync_keep);
}

// coordination_penalty given the share kept, sync_retained(O).
inline double coordination_given(const arrangement_values& a, const scenario_values& s, double retained,
                                 double deficit) noexcept {
    return std::min(0.95, s.sync_work_share * (1.0 - a.scope_isolation) * (1.0 - retained) *
                              (1.0 + (model_constants::coordination_without_leadership - 1.0) * deficit));
}
}  // namespace detail

/// Coordination penalty c = min(0.95, sigma (1 - iota)(1 - 0.89^(8 - O))(1 + 1.5 d)) (Pan
/// Fang et al. 2024: -11% synchronous communication per hour of separation; Herbsleb &
/// Mockus 2003: up to 2.5x without leadership). Never rises with overlap or leadership.
inline double coordination_penalty(const arrangement_values& a, const scenario_values& s, double deficit) noexcept {
    return detail::coordination_given(a, s, detail::sync_retained(a.overlap_hours), deficit);
}

/// \copydoc coordination_penalty(const arrangement_values&, const scenario_values&, double)
inline double coordination_penalty(const arrangement_values& a, const scenario_values& s) noexcept {
    return coordination_penalty(a, s, leadership_deficit(a, s));
}

/// Effective annual failure probability p_f (1 + 1.2 d)(1.25 - 0.5 v), capped at 1.
inline double effective_failure_probability(const arrangement_values& a, double deficit) noexcept {
    return std::min(1.0, a.failure_annual_probability *
                             (1.0 + (model_constants::failure_without_leadership - 1.0) * deficit) *
                             (1.25 - 0.5 * a.vetting_rigor));
}

/// \copydoc effective_failure_probability(const arrangement_values&, double)
inline double effective_failure_probability(const arrangement_values& a, const scenario_values& s) noexcept {
    return effective_failure_probability(a, leadership_deficit(a, s));
}

/// Effective annual security-incident probability p_s (1 - controls).
inline double effective_security_probability(const arrangement_values& a) noexcept {
    return a.security_incident_annual_probability * (1.0 - a.security_controls);
}

namespace detail {
// monthly_fill_probability for a double or for lanes.
template <class V>
OFFROI_LANE_INLINE V fill_probability(const V& months) noexcept {
    const V p = 0.0 - elementary::expm1(-1.0 / months);
    return sel(months > 0.0, sel(months > std::numeric_limits<double>::max(), lane_splat<V>(0.0), p),
               lane_splat<V>(1.0));
}

// The monthly rate of an annual attrition a, 1 - (1 - a)^(1/12), for a double or for lanes.
template <class V>
OFFROI_LANE_INLINE V monthly_attrition(const V& annual) noexcept {
    return 0.0 - elementary::expm1(elementary::log1p(0.0 - annual) / 12.0);
}

// The monthly growth of the rate under annual escalation e and FX drift f,
// ((1 + e)(1 + f))^(1/12), for a double or for lanes.
template <class V>
OFFROI_LANE_INLINE V monthly_growth(const V& escalation, const V& fx_drift) noexcept {
    return elementary::exp(elementary::log((1.0 + escalation) * (1.0 + fx_drift)) / 12.0);
}
}  // namespace detail

/// Probability that a vacancy is filled within a month when the mean time to fill is
/// `months`: 1 - exp(-1/T); 1 for T = 0, 0 for T = inf.
inline double monthly_fill_probability(double months) noexcept {
    return detail::fill_probability(months);
}

/// Follow-the-sun calendar compression of the critical path (Carmel, Espinosa & Dubinsky
/// 2010): the share f of it runs across two sites whose days chain for (16 - O) hours, used
/// in proportion to the handoff quality: CP' = CP (1 - f + f / (1 + q_h (8 - O) / 8)).
inline double compressed_critical_path(const arrangement_values& a, const scenario_values& s) noexcept {
    const double speedup = 1.0 + a.handoff_quality * (model_constants::workday_hours - a.overlap_hours) /
                                     model_constants::workday_hours;
    return s.critical_path_months * (1.0 - a.follow_the_sun_share + a.follow_the_sun_share / speedup);
}

/// Present value, at the end of the last horizon month, of a flow of 1 per month for `k`
/// (fractional) months after it, with monthly factor x (discount times growth):
/// x (1 - x^k) / (1 - x), or k when x = 1.
inline double annuity(double x, double k) noexcept {
    if (!(k > 0.0)) return 0.0;
    if (std::fabs(1.0 - x) < 1e-12) return k;
    return x * -std::expm1(k * std::log(x)) / (1.0 - x);
}

namespace detail {

// The derived constants of the arrangement in force (docs/model.md §2): the arrangement's
// own, or the fallback's after a failure.
struct arrangement_regime {
    double n = 0, seats[2] = {0, 0}, fill[2] = {1, 1};
    double attrition = 0, graduate = 1, rho = 1;
    double p = 0, growth = 1, hours = 0;
    double tier = 0, deficit = 0, w = 0, review = 0, coord = 0, useful = 0;
    double leader_per_head = 0, travel_per_head = 0, governance = 0, escaped_per_head = 0;
    double transfer_per_head = 0, vetting_per_hire = 0, hire_cost = 0;
    double search = 0, setup = 0, exit = 0;
    bool exit_at_completion = true;
    double transition_months = 0, transition_productivity = 1, staffed = 0;
};

// What make_regime takes exponentials and logarithms of (docs/model.md §2-§3): the fill
// probabilities, the monthly attrition and growth, the capability tier with its productivity
// and rework multipliers, the synchronous communication kept across time zones. For one
// arrangement (V = double) or for the arrangements of a block's lanes (V = lane_vec<L>, as the
// block evaluation computes them: the same operations, so the same bits).
template <class V>
struct regime_exponentials {
    V fill0, fill1, attrition, growth, tier, productivity, rework, retained;
};

// The arguments of regime_exponentials, per arrangement.
template <class V>
struct regime_exponential_inputs {
    V time_to_fill, niche_time_to_fill, annual_attrition, escalation, fx_drift;
    V rate, band_low, band_high, log_band_width, capability_premium, overlap_hours;
};

inline regime_exponential_inputs<double> exponential_inputs(const arrangement_values& a) noexcept {
    return {a.time_to_fill_months, a.niche_time_to_fill_months, a.annual_attrition, a.annual_rate_escalation,
            a.annual_fx_drift, all_in_rate(a), a.market_rate_low_usd, a.market_rate_high_usd, market_band_width(a),
            a.capability_premium, a.overlap_hours};
}

template <class V>
OFFROI_LANE_INLINE regime_exponentials<V> make_regime_exponentials(const regime_exponential_inputs<V>& in) noexcept {
    regime_exponentials<V> x;
    x.fill0 = fill_probability(in.time_to_fill);
    x.fill1 = fill_probability(in.niche_time_to_fill);
    x.attrition = monthly_attrition(in.annual_attrition);
    x.growth = monthly_growth(in.escalation, in.fx_drift);
    // capability_tier, capability_productivity, capability_rework, sync_retained.
    x.tier = capability_tier_given(in.rate, in.band_low, in.band_high, in.log_band_width, in.capability_premium);
    x.productivity = capability_productivity_lanes(x.tier);
    x.rework = capability_rework_lanes(x.tier);
    x.retained = sync_retained(in.overlap_hours);
    return x;
}

// make_regime given the arrangement's exponentials, make_regime_exponentials(exponential_inputs(a)).
inline arrangement_regime make_regime(const arrangement_values& a, const scenario_values& s,
                                      const regime_exponentials<double>& x) noexcept {
    namespace k = model_constants;
    arrangement_regime r;
    r.n = a.headcount;
    const double n_niche = r.n * s.niche_role_share;
    r.seats[0] = r.n - n_niche;
    r.seats[1] = n_niche;
    r.fill[0] = x.fill0;
    r.fill[1] = x.fill1;
    r.attrition = x.attrition;
    const double ramp = a.ramp_up_months + s.legacy_ramp_up_months * a.legacy_learning_factor;
    const double ramp_mean = std::max(1.0, ramp);
    r.graduate = 1.0 / ramp_mean;
    r.rho = 1.0 - ramp / (2.0 * ramp_mean);
    r.p = billed_rate(a);
    r.growth = x.growth;
    r.hours = a.hours_per_month;
    r.tier = x.tier;
    r.deficit = leadership_deficit(a, s);
    r.w = rework_share_given(a, s, x.rework, r.deficit);
    r.review = k::review_effort * a.review_strength;
    r.coord = coordination_given(a, s, x.retained, r.deficit);
    const double productivity = x.productivity;
    const double handoff = a.follow_the_sun_share * k::handoff_effort * (1.0 - a.handoff_quality);
    r.useful = productivity * (1.0 - r.coord) * std::max(0.0, 1.0 - r.w - r.review) * (1.0 - handoff);
    r.leader_per_head = effective_leadership_hours(a, s) * k::weeks_per_month * s.leader_hourly_cost_usd;
    r.travel_per_head = a.travel_usd_per_engineer_month;
    r.governance = a.governance_share;
    r.escaped_per_head = s.escaped_defect_cost_usd_per_engineer_month * r.w *
                         (1.0 - k::review_catch * a.review_strength);
    r.transfer_per_head = a.knowledge_transfer_share * a.hours_per_month * s.leader_hourly_cost_usd;
    r.vetting_per_hire = a.vetting_rigor * k::vetting_hours_per_hire * s.leader_hourly_cost_usd;
    r.hire_cost = a.cost_per_hire_usd;
    r.search = a.vendor_search_share * 12.0 * r.n * r.hours * r.p;
    r.setup = a.setup_cost_usd;
    r.exit = a.exit_cost_usd;
    r.exit_at_completion = a.contract != contract_type::staff_augmentation;
    r.transition_months = a.transition_months;
    r.transition_productivity = a.transition_productivity;
    r.staffed = a.initial_staffed_share;
    return r;
}

inline arrangement_regime make_regime(const arrangement_values& a, const scenario_values& s) noexcept {
    return make_regime(a, s, make_regime_exponentials(exponential_inputs(a)));
}

// The staffing state of §3: vacancies per kind (regular, niche) V0, Va; ramping and
// productive pools R0, Ra, P summed over the kinds; the seats-always-filled counterfactual.
struct staffing_state {
    double v0[2] = {0, 0}, va[2] = {0, 0};
    double r0 = 0, ra = 0, pp = 0, rf = 0, pf = 0;

    void start(const arrangement_regime& r, double staffed) noexcept {
        v0[0] = (1.0 - staffed) * r.seats[0];
        v0[1] = (1.0 - staffed) * r.seats[1];
        va[0] = va[1] = 0;
        r0 = ra = 0;
        pp = staffed * r.n;
        rf = (1.0 - staffed) * r.n;
        pf = staffed * r.n;
    }
};

// What evaluate_trial needs of an arrangement's months beyond its outcome.
struct arrangement_trace {
    double* flows;        // discounted total cost of month t (spend + cost of delay)
    double* spend;        // undiscounted spend of month t (parity)
    double* output;       // useful engineer-months of month t (undiscounted)
    int active_months = 0;     // months in which the team worked (project: up to delivery)
    double tail_months = 0;    // project run-on beyond the horizon (0 if delivered)
    double tail_flow = 0;      // discounted-at-horizon monthly cost in the run-on (spend + delay)
    double last_spend = 0;     // full-month spend of the last month (steady state, undiscounted)
    double last_output = 0;    // useful output of the last month
    double d_end = 1;          // v^H, the discount factor at the end of the horizon
    double one_time = 0;       // one-time costs at t = 0 (undiscounted; included in spend[0])
    // Month t of flows, spend and output is at [t * stride]: 1 for one trial's own arrays; the
    // block evaluation interleaves its lanes' traces (lane i at base + i, stride = lanes), so
    // that a month of all lanes is one vector store.
    std::size_t stride = 1;
};

}  // namespace detail

#if defined(__GNUC__)
#define OFFROI_BLOCK_INLINE [[gnu::always_inline]] inline
#else
#define OFFROI_BLOCK_INLINE inline
#endif

namespace detail {

// What changes from month to month in the evaluation of one arrangement (docs/model.md §3-§4):
// the staffing pools, delivery progress, discounting, the accumulators and the constants of
// the regime in force that the month step reads. V is `double` and M `bool` for one trial, or
// lane_vec<L> / lane_mask<L> for L trials at once (model/evaluate_block.hpp): `month_step` is
// written once for both, so a lane computes the same bits as the scalar path.
template <class V, class M>
struct month_state {
    // The regime in force (arrangement_regime; reloaded by `load_regime` when it changes), with
    // what the month step only uses in one combination combined once per regime: the labour
    // rate with governance, hours p (1 + governance); the cost per hire, vetting + hiring; the
    // transition's productivity loss, 1 - transition productivity (the same operations in the
    // same order as when the step computed them, so the same bits).
    V seats0, seats1, fill0, fill1, attrition, graduate, rho, growth, labour_rate;
    V useful, leader_per_head, travel_per_head, escaped_per_head, transfer_per_head;
    V per_hire, exit, transition_months, transition_loss;
    M exit_at_completion;
    // Per trial: cost of delay per month (project), critical path, backlog, one-time costs.
    V cod, critical_path, backlog, one_time;
    // Staffing (staffing_state).
    V v00, v01, va0, va1, r0, ra, pp, rf, pf;
    // Delivery.
    V done, done_f, t_effort, t_effort_f, delivery, delivery_f, relearn, restart;
    M effort_done, effort_done_f, delivered, delivered_f;
    V d, gpow;
    // Costs of this month's events (set by the events, consumed and zeroed by the step).
    V risk, restart_cost, plan_cost;
    // Accumulators the step adds to.
    V pv_transition, pv_risk, pv_delay, pv_delay_f, pv_output, useful_total, lost_total;
    V sum_heads, sum_grown, sum_learning, sum_hires, sum_grown_undiscounted;
    V last_full_spend, last_cap, last_cap_f, last_heads, last_learning, last_hires, last_growth;
    V active_months;
};

// Calls f(x, y) for every pair of corresponding fields of two month states (lane gathers and
// scatters). Forced inline, with the lambdas it is given: a lane's gather or scatter is then a
// run of scalar moves in the AVX2 month loop, not an out-of-line call per field.
template <class A, class B, class F>
OFFROI_BLOCK_INLINE void zip_month_state(A& x, B& y, F&& f) {
#define OFFROI_ZIP(name) f(x.name, y.name);
    OFFROI_ZIP(seats0) OFFROI_ZIP(seats1) OFFROI_ZIP(fill0) OFFROI_ZIP(fill1) OFFROI_ZIP(attrition)
    OFFROI_ZIP(graduate) OFFROI_ZIP(rho) OFFROI_ZIP(growth) OFFROI_ZIP(labour_rate)
    OFFROI_ZIP(useful) OFFROI_ZIP(leader_per_head) OFFROI_ZIP(travel_per_head)
    OFFROI_ZIP(escaped_per_head) OFFROI_ZIP(transfer_per_head) OFFROI_ZIP(per_hire)
    OFFROI_ZIP(exit) OFFROI_ZIP(transition_months) OFFROI_ZIP(transition_loss)
    OFFROI_ZIP(exit_at_completion) OFFROI_ZIP(cod) OFFROI_ZIP(critical_path) OFFROI_ZIP(backlog)
    OFFROI_ZIP(one_time) OFFROI_ZIP(v00) OFFROI_ZIP(v01) OFFROI_ZIP(va0) OFFROI_ZIP(va1) OFFROI_ZIP(r0)
    OFFROI_ZIP(ra) OFFROI_ZIP(pp) OFFROI_ZIP(rf) OFFROI_ZIP(pf) OFFROI_ZIP(done) OFFROI_ZIP(done_f)
    OFFROI_ZIP(t_effort) OFFROI_ZIP(t_effort_f) OFFROI_ZIP(delivery) OFFROI_ZIP(delivery_f)
    OFFROI_ZIP(relearn) OFFROI_ZIP(restart) OFFROI_ZIP(effort_done) OFFROI_ZIP(effort_done_f)
    OFFROI_ZIP(delivered) OFFROI_ZIP(delivered_f) OFFROI_ZIP(d) OFFROI_ZIP(gpow) OFFROI_ZIP(risk)
    OFFROI_ZIP(restart_cost) OFFROI_ZIP(plan_cost) OFFROI_ZIP(pv_transition) OFFROI_ZIP(pv_risk)
    OFFROI_ZIP(pv_delay) OFFROI_ZIP(pv_delay_f) OFFROI_ZIP(pv_output) OFFROI_ZIP(useful_total)
    OFFROI_ZIP(lost_total) OFFROI_ZIP(sum_heads) OFFROI_ZIP(sum_grown) OFFROI_ZIP(sum_learning)
    OFFROI_ZIP(sum_hires) OFFROI_ZIP(sum_grown_undiscounted) OFFROI_ZIP(last_full_spend)
    OFFROI_ZIP(last_cap) OFFROI_ZIP(last_cap_f) OFFROI_ZIP(last_heads) OFFROI_ZIP(last_learning)
    OFFROI_ZIP(last_hires) OFFROI_ZIP(last_growth) OFFROI_ZIP(active_months)
#undef OFFROI_ZIP
}

// The month's flows, for the trace.
template <class V>
struct month_flows {
    V flow, spend, output;
};

// One month t of the loop after the month's events (docs/model.md §3-§4.4): hiring, capacity,
// delivery, flows and accumulators, then the end-of-month attrition and graduation. Free of
// branches on any one lane (every branch of the scalar model is a selection), so that lanes run
// it in lockstep; its few branches are on all lanes at once and only skip work whose result is
// known exactly (the same bits either way):
//  - `Transition` false: the caller knows that no lane is in its transition this month (the
//    factor clamp(T - (t - t_s), 0, 1) is +-0 in every lane), so tau = 1 - loss * (+-0) = 1 and
//    the shadowing heads pp * (+-0) add nothing: cap = productive * useful, learning = ramping
//    (ramping is never -0: a sum and product of non-negative pools starting at +0);
//  - the completion of the effort (the division rest / cap) only in a month where some lane's
//    effort completes, the delivery test only while some lane's effort is done and not yet
//    delivered (a per-lane selection whose mask is all false leaves every value as it is);
//  - the counterfactual with seats always filled only while some lane has not delivered it
//    (its pools, capacity and last capacity are read only for a lane with delivered_f false);
//  - lanes only: in a month that every lane works in full (active = 1: capacity framing, or
//    no lane delivered, this month included) the flows leave out the products by active, the
//    exit terms at completion (+0) and the selections on working (all true).
// A project whose work and counterfactual are both delivered (delivered & delivered_f) has
// stopped; a further step adds only +0 to its accumulators and flows and leaves its delivery
// and `last_*` values alone (active = 0), so the lanes of a block may run on past it (the
// discount factor d is then reset by the caller, as the scalar loop does at its break).
template <bool Transition = true, bool Avx2 = false, class V, class M>
OFFROI_BLOCK_INLINE month_flows<V> month_step(month_state<V, M>& m, int t, bool project, double v,
                                              bool event_costs = true) noexcept {
    const double td = static_cast<double>(t);
    // The counterfactual runs while some lane has not delivered it (capacity framing: never).
    const bool counterfactual = project && lany_for<Avx2>(lnot(m.delivered_f));
    // §3 hiring (x0 from initial vacancies, xa from leavers' seats), heads, productive
    // equivalent, capacity lost to attrition.
    const V x0r = m.fill0 * m.v00, xar = m.fill0 * m.va0;
    const V x0n = m.fill1 * m.v01, xan = m.fill1 * m.va1;
    m.v00 = m.v00 - x0r;
    m.va0 = m.va0 - xar;
    m.v01 = m.v01 - x0n;
    m.va1 = m.va1 - xan;
    m.r0 = m.r0 + (x0r + x0n);
    m.ra = m.ra + (xar + xan);
    const V hires = (x0r + xar) + (x0n + xan);
    const V ramping = m.r0 + m.ra;
    const V heads = ramping + m.pp;
    const V productive = m.rho * ramping + m.pp;

    // §4 capacity with the transition factor.
    V in_transition{}, tau{}, cap{}, learning{};
    if constexpr (Transition) {
        in_transition = lclamp(m.transition_months - (td - m.restart), 0.0, 1.0);
        tau = 1.0 - m.transition_loss * in_transition;
        cap = productive * m.useful * tau;
    } else {
        cap = productive * m.useful;
    }

    // §4.2 delivery: the effort is complete when cumulative capacity covers the backlog;
    // the backlog is delivered at max(effort complete, critical path). active = share of
    // the month the team works (and the cost of delay runs).
    V active = lane_splat<V>(1.0), output = cap;
    if (!project) {  // capacity: key-person knowledge relearned out of useful output
        const M relearning = m.relearn > 0.0;
        const V lost = lmin(m.relearn, output);
        output = sel(relearning, output - lost, output);
        m.relearn = sel(relearning, m.relearn - lost, m.relearn);
    } else {
        const M open = lnot(m.delivered);
        const M working = open & lnot(m.effort_done);
        const V reached = m.done + cap;
        const M hit = working & (reached >= m.backlog);
        // Delivered: nothing; effort done: no output; this month completes it: the rest.
        output = sel(m.delivered | m.effort_done, 0.0, output);
        active = sel(m.delivered, 0.0, active);
        if (lany_for<Avx2>(hit)) {
            const V rest = m.backlog - m.done;
            output = sel(hit, rest, output);
            m.t_effort = sel(hit, td + sel(cap > 0.0, rest / cap, 0.0), m.t_effort);
            m.done = sel(hit, m.backlog, sel(working, reached, m.done));
            m.effort_done = m.effort_done | hit;
        } else {
            m.done = sel(working, reached, m.done);
        }
        const M pending = open & m.effort_done;
        if (lany_for<Avx2>(pending)) {
            const V at = lmax(m.t_effort, m.critical_path);
            const M now = pending & (at <= td + 1.0);
            m.delivery = sel(now, at, m.delivery);
            active = sel(now, at - td, active);
            m.delivered = m.delivered | now;
        }
    }
    // Lanes only (the scalar path keeps the general form, which the block tests compare
    // with): whether every lane works the whole month, active = 1 -- the capacity framing, or
    // a project none of whose lanes is delivered, this month's deliveries included (then
    // `active` was never selected away from 1). The flows below then leave out what is
    // exactly known in every lane: 1 x = x, completion = +0 (no lane delivered), a
    // selection on working (active > 0) that keeps the new value.
    bool all_active = false;
    if constexpr (!std::is_same_v<V, double>) all_active = !project || !lany_for<Avx2>(m.delivered);
    if (counterfactual) {  // the counterfactual with seats always filled
        const V productive_f = m.rho * m.rf + m.pf;
        const V cap_f = Transition ? productive_f * m.useful * tau : productive_f * m.useful;
        const M open_f = lnot(m.delivered_f);
        const M working_f = open_f & lnot(m.effort_done_f);
        const V reached_f = m.done_f + cap_f;
        const M hit_f = working_f & (reached_f >= m.backlog);
        if (lany_for<Avx2>(hit_f)) {
            m.t_effort_f = sel(hit_f, td + sel(cap_f > 0.0, (m.backlog - m.done_f) / cap_f, 0.0), m.t_effort_f);
            m.effort_done_f = m.effort_done_f | hit_f;
        }
        m.done_f = sel(working_f, reached_f, m.done_f);
        const V delay_f = m.d * v * m.cod;
        const M pending_f = open_f & m.effort_done_f;
        if (lany_for<Avx2>(pending_f)) {
            const V at_f = lmax(m.t_effort_f, m.critical_path);
            const M now_f = pending_f & (at_f <= td + 1.0);
            m.delivery_f = sel(now_f, at_f, m.delivery_f);
            const V af = sel(now_f, at_f - td, 1.0);
            m.delivered_f = m.delivered_f | now_f;
            m.pv_delay_f = sel(open_f, m.pv_delay_f + delay_f * af, m.pv_delay_f);
        } else {  // af = 1 in every lane (x * 1 = x)
            m.pv_delay_f = sel(open_f, m.pv_delay_f + delay_f, m.pv_delay_f);
        }
        m.last_cap_f = cap_f;
    }

    // Flows of the month (docs/model.md §4.4), scaled by the share of it worked.
    m.d = m.d * v;
    if constexpr (Transition)
        learning = ramping + m.pp * in_transition;  // shadowed by knowledge holders
    else
        learning = ramping;
    const V full_spend = heads * (m.labour_rate * m.gpow + m.leader_per_head +
                                  m.travel_per_head + m.escaped_per_head) +
                         learning * m.transfer_per_head + hires * m.per_hire;
    // Without event costs this month (`event_costs` false: the caller knows that risk,
    // restart_cost and plan_cost are +0 in every lane) the sums leave them out exactly: a + 0 + 0
    // is a + 0 (never -0), (a + 0) + c + 0 is (a + 0) + c, and pv_risk + d (0 + 0) is pv_risk
    // (an accumulator that starts at +0 and only adds is never -0; d is finite).
    V spend, delay;
    if (all_active) {
        // active = 1 and completion = +0 in every lane: active x is x, completion + 0 is
        // +0 (pv_transition + d (0 + 0) is pv_transition, as pv_risk above); the same
        // operations as the general form below on the same values.
        spend = event_costs ? full_spend + m.risk + m.restart_cost + 0.0 + m.plan_cost : full_spend + 0.0;
        m.sum_heads = m.sum_heads + m.d * heads;
        m.sum_grown = m.sum_grown + m.d * heads * m.gpow;
        m.sum_grown_undiscounted = m.sum_grown_undiscounted + heads * m.gpow;
        m.sum_learning = m.sum_learning + m.d * learning;
        m.sum_hires = m.sum_hires + m.d * hires;
        if (event_costs) {
            m.pv_transition = m.pv_transition + m.d * (0.0 + m.plan_cost);
            m.pv_risk = m.pv_risk + m.d * (m.risk + m.restart_cost);
        }
        delay = m.cod;
        m.lost_total = m.lost_total + (m.va0 + m.va1 + (1.0 - m.rho) * m.ra);
    } else {
        // Exit terms at delivery (staff augmentation: engineers released at short notice).
        V completion = lane_splat<V>(0.0);
        if (project) completion = sel(m.delivered & (active > 0.0) & m.exit_at_completion, m.exit, 0.0);
        spend = event_costs ? active * full_spend + m.risk + m.restart_cost + completion + m.plan_cost
                            : active * full_spend + 0.0 + completion;
        const V da = m.d * active;
        m.sum_heads = m.sum_heads + da * heads;
        m.sum_grown = m.sum_grown + da * heads * m.gpow;
        m.sum_grown_undiscounted = m.sum_grown_undiscounted + active * heads * m.gpow;
        m.sum_learning = m.sum_learning + da * learning;
        m.sum_hires = m.sum_hires + da * hires;
        if (event_costs) {
            m.pv_transition = m.pv_transition + m.d * (completion + m.plan_cost);
            m.pv_risk = m.pv_risk + m.d * (m.risk + m.restart_cost);
        } else {
            m.pv_transition = m.pv_transition + m.d * (completion + 0.0);
        }
        delay = active * m.cod;
        m.lost_total = m.lost_total + active * (m.va0 + m.va1 + (1.0 - m.rho) * m.ra);
    }
    m.pv_delay = m.pv_delay + m.d * delay;
    m.pv_output = m.pv_output + m.d * output;
    m.useful_total = m.useful_total + output;
    month_flows<V> f;
    if (t == 0) {
        f.flow = m.d * (spend + delay) + m.one_time;
        f.spend = spend + m.one_time;
    } else {
        f.flow = m.d * (spend + delay) + 0.0;
        f.spend = spend + 0.0;
    }
    f.output = output;
    if (all_active) {  // working (active > 0) in every lane
        m.active_months = lane_splat<V>(td + 1.0);
        m.last_full_spend = full_spend;
        m.last_heads = heads;
        m.last_learning = learning;
        m.last_hires = hires;
        m.last_growth = m.gpow;
        m.last_cap = cap;
    } else {
        const M working_now = active > 0.0;
        m.active_months = sel(working_now, td + 1.0, m.active_months);
        m.last_full_spend = sel(working_now, full_spend, m.last_full_spend);
        m.last_heads = sel(working_now, heads, m.last_heads);
        m.last_learning = sel(working_now, learning, m.last_learning);
        m.last_hires = sel(working_now, hires, m.last_hires);
        m.last_growth = sel(working_now, m.gpow, m.last_growth);
        m.last_cap = sel(working_now, cap, m.last_cap);
    }
    if (event_costs) m.risk = m.restart_cost = m.plan_cost = lane_splat<V>(0.0);

    // End of month: attrition to Va, then graduation from ramping to productive.
    const V keep = 1.0 - m.attrition, stay = 1.0 - m.graduate;
    m.va0 = m.va0 + m.attrition * (m.seats0 - m.v00 - m.va0);
    m.va1 = m.va1 + m.attrition * (m.seats1 - m.v01 - m.va1);
    m.r0 = m.r0 * keep;
    m.ra = m.ra * keep;
    m.pp = m.pp * keep;
    m.pp = m.pp + m.graduate * (m.r0 + m.ra);
    m.r0 = m.r0 * stay;
    m.ra = m.ra * stay;
    if (counterfactual) {
        m.rf = m.rf + m.attrition * m.pf;  // leavers of P are replaced at once and ramp again
        m.pf = m.pf * keep;
        m.pf = m.pf + m.graduate * m.rf;
        m.rf = m.rf * stay;
    }
    m.gpow = m.gpow * m.growth;
    return f;
}

// The evaluation of one arrangement for one trial, in three parts: `start` (the regime, the
// event months, the initial state), the month loop (`events` then `month_step` per month) and
// `finish` (run-on, fixed price, the outcome). The block evaluation runs `start`, `events`
// and `finish` per trial and `month_step` across the lanes.
struct arrangement_eval {
    const arrangement_values* a = nullptr;
    const arrangement_values* fallback = nullptr;
    const scenario_values* s = nullptr;
    const engagement_plan* plan = nullptr;  // null: no pilot
    // make_regime(*fallback, *s) when the caller has it already (the block evaluation: the
    // baseline's regime of the same trial), else null: a failure or a pilot's exit then
    // computes it (a pure function of the same values: the same bits either way).
    const arrangement_regime* fallback_regime = nullptr;
    int horizon = 0;
    bool project = true;
    double v = 1.0;
    arrangement_regime r, own;  // the regime in force; the arrangement's own
    double first_w = 0, first_coord = 0, first_useful = 0;
    int t_fail = 0, t_switch = 0, t_security = 0, t_key = 0;
    bool failed = false, exited = false;
    // Accumulators only `flush` adds to.
    double pv_useful_labour = 0, pv_quality_labour = 0, pv_hours = 0, pv_quality_hours = 0;
    double pv_other_quality = 0, pv_management = 0, pv_hiring = 0, labour_undiscounted = 0;
    month_state<double, bool> m{};

    // The regime's constants into the month state.
    void load_regime() noexcept {
        m.seats0 = r.seats[0];
        m.seats1 = r.seats[1];
        m.fill0 = r.fill[0];
        m.fill1 = r.fill[1];
        m.attrition = r.attrition;
        m.graduate = r.graduate;
        m.rho = r.rho;
        m.growth = r.growth;
        m.labour_rate = r.hours * r.p * (1.0 + r.governance);
        m.useful = r.useful;
        m.leader_per_head = r.leader_per_head;
        m.travel_per_head = r.travel_per_head;
        m.escaped_per_head = r.escaped_per_head;
        m.transfer_per_head = r.transfer_per_head;
        m.per_hire = r.vetting_per_hire + r.hire_cost;
        m.exit = r.exit;
        m.transition_months = r.transition_months;
        m.transition_loss = 1.0 - r.transition_productivity;
        m.exit_at_completion = r.exit_at_completion;
    }

    // staffing_state::start into the month state.
    void start_staffing(double staffed) noexcept {
        m.v00 = (1.0 - staffed) * r.seats[0];
        m.v01 = (1.0 - staffed) * r.seats[1];
        m.va0 = m.va1 = 0;
        m.r0 = m.ra = 0;
        m.pp = staffed * r.n;
        m.rf = (1.0 - staffed) * r.n;
        m.pf = staffed * r.n;
    }

    // Within a regime every per-head cost is constant: the loop sums discounted heads,
    // escalated heads, learning heads and hires, and `flush` prices them (docs/model.md §4.4).
    void flush(const arrangement_regime& x) noexcept {
        const double labour = m.sum_grown * x.hours * x.p;
        const double quality_share = std::min(1.0, x.w + x.review);
        pv_useful_labour += labour * (1.0 - quality_share);
        pv_quality_labour += labour * quality_share;
        labour_undiscounted += m.sum_grown_undiscounted * x.hours * x.p;
        pv_hours += m.sum_heads * x.hours;
        pv_quality_hours += m.sum_heads * x.hours * quality_share;
        pv_management += m.sum_heads * x.leader_per_head + x.governance * labour;
        pv_other_quality += m.sum_heads * x.escaped_per_head + m.sum_hires * x.vetting_per_hire;
        m.pv_transition += m.sum_learning * x.transfer_per_head + m.sum_heads * x.travel_per_head;
        pv_hiring += m.sum_hires * x.hire_cost;
        m.sum_heads = m.sum_grown = m.sum_learning = m.sum_hires = m.sum_grown_undiscounted = 0;
    }

    void start(const arrangement_values& a_, const arrangement_values& fallback_, const scenario_values& s_,
               const event_uniforms& events, const evaluation_settings& set, double v_,
               const engagement_plan* plan_, const arrangement_regime* fallback_regime_ = nullptr,
               const regime_exponentials<double>* exponentials = nullptr) noexcept {
        a = &a_;
        fallback = &fallback_;
        s = &s_;
        plan = plan_;
        fallback_regime = fallback_regime_;
        horizon = set.horizon_months;
        project = set.frame == framing::project;
        v = v_;
        // The caller's exponentials of a_ (the block evaluation computes them across its lanes),
        // or computed here: the same bits either way.
        r = exponentials != nullptr ? detail::make_regime(a_, s_, *exponentials) : detail::make_regime(a_, s_);
        own = r;  // the arrangement's own (r may become the fallback's)
        if (plan) {  // §13: a pilot of k engineers until the decision month
            arrangement_values pilot = a_;
            pilot.headcount = std::min(plan->pilot_headcount, a_.headcount);
            r = detail::make_regime(pilot, s_);
        }
        // What the buyer observes of the team of the first months (the pilot's, under a plan).
        first_w = r.w;
        first_coord = r.coord;
        first_useful = r.useful;
        // §5 event months (horizon = does not occur).
        t_fail = event_month(events.failure, effective_failure_probability(a_, r.deficit), horizon);
        t_switch = event_month(events.vendor_switch, a_.vendor_switch_annual_probability, horizon);
        t_security = event_month(events.security_incident, effective_security_probability(a_), horizon);
        t_key = event_month(events.key_person_loss, a_.key_person_loss_annual_probability, horizon);
        failed = exited = false;
        pv_useful_labour = pv_quality_labour = pv_hours = pv_quality_hours = 0;
        pv_other_quality = pv_management = pv_hiring = labour_undiscounted = 0;
        m = {};
        load_regime();
        start_staffing(r.staffed);
        m.cod = project ? s_.cost_of_delay_per_month_usd : 0.0;
        m.critical_path = compressed_critical_path(a_, s_);
        m.backlog = s_.backlog_engineer_months;
        m.one_time = r.search + r.setup;
        m.delivery = m.delivery_f = project ? -1.0 : 0.0;
        m.delivered = m.delivered_f = !project;
        m.d = 1.0;     // d_t = v^(t+1) after month t
        m.gpow = 1.0;  // rate growth since month 0 (escalation, FX)
        m.last_growth = 1.0;
    }

    // The fallback's regime: the caller's (fallback_regime), or computed.
    arrangement_regime fallback_regime_or_make() const noexcept {
        return fallback_regime != nullptr ? *fallback_regime : detail::make_regime(*fallback, *s);
    }

    // Whether month t has an event for this trial (a pilot's decision month included).
    bool has_event(int t) const noexcept {
        if (project && m.delivered) return false;  // not engaged
        return t == t_fail || t == t_switch || t == t_security || t == t_key ||
               (plan != nullptr && t == plan->decision_month);
    }

    // The events of month t (docs/model.md §5, §13), before its step.
    void events(int t) noexcept {
        const bool engaged = !project || !m.delivered;
        if (!engaged) return;
        if (plan != nullptr && t == plan->decision_month && !failed) {  // §13 the pilot's decision month
            if (plan->action == pilot_action::scale) {
                // N - k empty seats, hired at the fill rate; the search for the added value.
                flush(r);
                m.plan_cost += own.search - r.search;
                const double add0 = own.seats[0] - r.seats[0], add1 = own.seats[1] - r.seats[1];
                m.v00 += add0;
                m.v01 += add1;
                m.rf += add0 + add1;
                r = own;
                load_regime();
            } else if (plan->action == pilot_action::exit) {
                // Exit terms; the fallback starts from empty seats (as after a failure,
                // without the reversal cost: the exit is planned).
                m.plan_cost += r.exit;
                flush(r);
                r = fallback_regime_or_make();
                load_regime();
                start_staffing(0.0);
                m.plan_cost += r.search + r.setup;
                m.critical_path = std::max(m.critical_path, compressed_critical_path(*fallback, *s));
                m.restart = t;
                failed = exited = true;
            }
        }
        if (t == t_fail && !failed) {
            // §5: the work moves to the fallback, which starts from empty seats.
            m.risk += r.exit + a->reversal_cost_usd;
            flush(r);
            r = fallback_regime_or_make();
            load_regime();
            start_staffing(0.0);
            m.restart_cost = r.search + r.setup;
            m.critical_path = std::max(m.critical_path, compressed_critical_path(*fallback, *s));
            m.restart = t;
            failed = true;
        } else if (t == t_switch && !failed) {
            // A new vendor of the same kind: exit, search and set-up again, empty seats.
            m.risk += r.exit + r.search + r.setup;
            start_staffing(0.0);
            m.restart = t;
        }
        if (t == t_security && !exited) m.risk += a->security_incident_cost_usd;
        // Key-person loss: the lost knowledge is relearned, K engineer-months of work
        // (project: added to the backlog; capacity: taken out of useful output).
        if (t == t_key) {
            if (project)
                m.backlog += a->key_person_loss_engineer_months;
            else
                m.relearn += a->key_person_loss_engineer_months;
        }
    }

    // Whether the loop has nothing more to do after a month: the project and its
    // counterfactual are delivered.
    bool stopped() const noexcept { return project && m.delivered && m.delivered_f; }

    arrangement_outcome finish(arrangement_trace& trace) noexcept;
};

inline arrangement_outcome arrangement_eval::finish(arrangement_trace& trace) noexcept {
    namespace k = model_constants;
    const arrangement_values& a_ = *a;
    const scenario_values& s_ = *s;
    const bool delivered = m.delivered, delivered_f = m.delivered_f;
    const bool effort_done = m.effort_done;
    const double d = m.d, cod = m.cod, critical_path = m.critical_path, backlog = m.backlog;
    const double last_cap = m.last_cap, last_cap_f = m.last_cap_f;
    double delivery = m.delivery;
    // §4.3 run-on of a project not delivered within the horizon: the team keeps working at
    // its last month's run rate until the expected delivery (capped), paying its spend and
    // the cost of delay; no new one-time or risk-event costs.
    trace.tail_months = 0;
    trace.tail_flow = 0;
    double run_on_output_months = 0;  // run-on months with output (fixed-price milestones)
    if (project && !delivered) {
        double tail;
        if (effort_done) {
            tail = std::max(0.0, critical_path - horizon);
        } else {
            const double remaining = backlog - m.done;
            tail = last_cap > 0 ? remaining / last_cap : k::max_tail_months;
            tail = std::max(tail, critical_path - horizon);
        }
        tail = std::min(tail, k::max_tail_months);
        delivery = horizon + tail;
        const double a_flat = annuity(v, tail);
        const double a_grow = annuity(v * r.growth, tail);
        // Run-on month k (k = 1, 2, ...) is discounted by d v^k and escalated by g^k.
        m.sum_heads += d * m.last_heads * a_flat;
        m.sum_grown += d * m.last_heads * m.last_growth * a_grow;
        m.sum_grown_undiscounted += m.last_heads * m.last_growth * annuity(r.growth, tail);
        m.sum_learning += d * m.last_learning * a_flat;
        m.sum_hires += d * m.last_hires * a_flat;
        if (r.exit_at_completion) m.pv_transition += d * std::pow(v, tail) * r.exit;
        m.pv_delay += d * cod * a_flat;
        // Output only while there is work left (not while waiting for the critical path).
        run_on_output_months = effort_done ? 0.0 : std::min(tail, (backlog - m.done) / std::max(last_cap, 1e-300));
        m.pv_output += d * last_cap * annuity(v, run_on_output_months);
        trace.tail_months = tail;
        trace.tail_flow = m.last_full_spend + cod;
    }
    if (project && !delivered_f) {
        double tail_f = last_cap_f > 0 ? (backlog - m.done_f) / last_cap_f : k::max_tail_months;
        tail_f = std::min(std::max(tail_f, critical_path - horizon), k::max_tail_months);
        m.pv_delay_f += d * cod * annuity(v, tail_f);
    }
    m.pv_delay_f = std::min(m.pv_delay_f, m.pv_delay);
    flush(r);

    // §4.6 fixed price: the vendor prices the specified scope at its full-staffing
    // productivity plus a risk premium; it absorbs overrun on that scope up to the cap; scope
    // growth beyond the specification comes as change requests at a premium. The buyer pays
    // the T&M labour times the resulting ratio, in step with the output (milestones). A
    // failure ends the contract: the work done is then paid as T&M.
    double fp_last_adjust = 0;  // the fixed-price adjustment of a run-rate month
    if (project && a_.contract == contract_type::fixed_price && !failed && labour_undiscounted > 0 &&
        r.useful > 0) {
        const double spec = s_.backlog_engineer_months / (1.0 + s_.scope_growth);
        const double price = (1.0 + a_.fixed_price_risk_premium) * r.p * r.hours * spec / r.useful;
        const double spec_actual = labour_undiscounted / (1.0 + s_.scope_growth);
        const double change = labour_undiscounted - spec_actual;
        const double buyer = price + std::max(0.0, spec_actual - price * (1.0 + a_.overrun_cap_share)) +
                             change * (1.0 + a_.change_request_premium);
        const double extra = buyer / labour_undiscounted - 1.0;
        const double adjust = extra * (pv_useful_labour + pv_quality_labour);
        double weights = 0, dd = 1.0;
        const std::size_t ts = trace.stride;
        for (int t = 0; t < horizon; ++t) weights += (dd *= v) * trace.output[t * ts];
        weights += d * last_cap * annuity(v, run_on_output_months);
        if (weights > 0) {
            dd = 1.0;
            for (int t = 0; t < horizon; ++t) {
                dd *= v;
                const double add = adjust * trace.output[t * ts] / weights;
                trace.flows[t * ts] += dd * add;
                trace.spend[t * ts] += add;
            }
            trace.tail_flow += adjust * last_cap / weights;
            fp_last_adjust = adjust * last_cap / weights;
        }
        pv_useful_labour *= 1.0 + extra;
        pv_quality_labour *= 1.0 + extra;
    }

    arrangement_outcome o;
    o.labour_cost = pv_useful_labour;
    o.quality_cost = pv_quality_labour + pv_other_quality;
    o.transition_cost = m.pv_transition + m.one_time;
    o.management_cost = pv_management;
    o.talent_cost = pv_hiring + (m.pv_delay - m.pv_delay_f);
    o.delivery_cost = m.pv_delay_f;
    o.risk_cost = m.pv_risk;
    o.total_cost = o.labour_cost + o.quality_cost + o.transition_cost + o.management_cost +
                   o.talent_cost + o.delivery_cost + o.risk_cost;
    o.delay_cost = m.pv_delay;
    o.spend = o.total_cost - m.pv_delay;
    o.delivery_month = project ? delivery : 0.0;
    o.delivered = project ? (delivery <= horizon ? 1.0 : 0.0) : 1.0;
    o.billed_rate_usd = own.p;
    o.capability_tier = own.tier;
    o.rework_share = first_w;
    o.coordination_penalty = first_coord;
    o.useful_share = first_useful;
    o.reramp_engineer_months = m.lost_total;
    o.useful_engineer_months = m.useful_total;
    o.billed_hours_pv = pv_hours;
    o.quality_hours_pv = pv_quality_hours;
    o.labour_total_pv = pv_useful_labour + pv_quality_labour;
    o.other_quality_cost = pv_other_quality;
    o.useful_output_pv = m.pv_output;
    trace.active_months = project ? static_cast<int>(m.active_months) : horizon;
    trace.d_end = d;
    trace.last_spend = m.last_full_spend + fp_last_adjust;
    trace.one_time = m.one_time;
    trace.last_output = last_cap;
    return o;
}

// The body of `evaluate_arrangement`: the start and the month loop of one trial (branchy
// and stopping at its own delivery: the scalar loop), then `arrangement_eval::finish` -- the
// finishing code (run-on, fixed price, the outcome) the block evaluation runs per lane.
// `Planned` compiles the pilot's decision month in (a plan is given) or out (none: the month
// loop is as tight as without plans). tests/model/evaluate_block_test.cpp checks that the
// loop here and `month_step` in lanes give the same bits.
template <bool Planned>
arrangement_outcome evaluate_arrangement_impl(const arrangement_values& a, const arrangement_values& fallback,
                                              const scenario_values& s, const event_uniforms& events,
                                              const evaluation_settings& set, double v, arrangement_trace& trace,
                                              const engagement_plan* plan) noexcept {
    const int horizon = set.horizon_months;
    const bool project = set.frame == framing::project;
    detail::arrangement_regime r = detail::make_regime(a, s);
    const detail::arrangement_regime own = r;  // the arrangement's own (r may become the fallback's)
    if constexpr (Planned) {  // §13: a pilot of k engineers until the decision month
        arrangement_values pilot = a;
        pilot.headcount = std::min(plan->pilot_headcount, a.headcount);
        r = detail::make_regime(pilot, s);
    }
    // What the buyer observes of the team of the first months (the pilot's, under a plan).
    const double first_w = r.w, first_coord = r.coord, first_useful = r.useful;
    const double cod = project ? s.cost_of_delay_per_month_usd : 0.0;
    double critical_path = compressed_critical_path(a, s);

    // §5 event months (horizon = does not occur).
    const int t_fail = event_month(events.failure, effective_failure_probability(a, r.deficit), horizon);
    const int t_switch = event_month(events.vendor_switch, a.vendor_switch_annual_probability, horizon);
    const int t_security = event_month(events.security_incident, effective_security_probability(a), horizon);
    const int t_key = event_month(events.key_person_loss, a.key_person_loss_annual_probability, horizon);

    detail::staffing_state st;
    st.start(r, r.staffed);
    double backlog = s.backlog_engineer_months;
    double done = 0, done_f = 0;              // cumulative useful capacity C, C^f
    bool effort_done = false, effort_done_f = false, delivered = !project, delivered_f = !project;
    double t_effort = 0, t_effort_f = 0;      // fractional month the effort is complete
    double delivery = project ? -1.0 : 0.0, delivery_f = delivery;
    int restart = 0;                          // t_s: start of the (re)started engagement
    double relearn = 0;                       // capacity framing: knowledge still to relearn
    bool failed = false;                      // the work has moved to the fallback
    bool exited = false;                      // ... by a planned exit at a pilot's decision month
    double d = 1.0;                           // d_t = v^(t+1)
    double gpow = 1.0;                        // rate growth since month 0 (escalation, FX)

    double pv_useful_labour = 0, pv_quality_labour = 0, pv_hours = 0, pv_quality_hours = 0;
    double pv_other_quality = 0, pv_transition = 0, pv_management = 0, pv_hiring = 0, pv_risk = 0;
    double pv_delay = 0, pv_delay_f = 0, pv_output = 0, lost_total = 0, useful_total = 0;
    double labour_undiscounted = 0;  // billed labour of all hours (fixed price)
    // Within a regime every per-head cost is constant: the loop sums discounted heads,
    // escalated heads, learning heads and hires, and `flush` prices them (docs/model.md §4.4).
    double sum_heads = 0, sum_grown = 0, sum_learning = 0, sum_hires = 0, sum_grown_undiscounted = 0;
    auto flush = [&](const detail::arrangement_regime& x) {
        const double labour = sum_grown * x.hours * x.p;
        const double quality_share = std::min(1.0, x.w + x.review);
        pv_useful_labour += labour * (1.0 - quality_share);
        pv_quality_labour += labour * quality_share;
        labour_undiscounted += sum_grown_undiscounted * x.hours * x.p;
        pv_hours += sum_heads * x.hours;
        pv_quality_hours += sum_heads * x.hours * quality_share;
        pv_management += sum_heads * x.leader_per_head + x.governance * labour;
        pv_other_quality += sum_heads * x.escaped_per_head + sum_hires * x.vetting_per_hire;
        pv_transition += sum_learning * x.transfer_per_head + sum_heads * x.travel_per_head;
        pv_hiring += sum_hires * x.hire_cost;
        sum_heads = sum_grown = sum_learning = sum_hires = sum_grown_undiscounted = 0;
    };
    double one_time = r.search + r.setup;
    double last_full_spend = 0, last_cap = 0, last_cap_f = 0;
    double last_heads = 0, last_learning = 0, last_hires = 0, last_growth = 1;  // the run-on's run rate
    int active_months = 0;

    for (int t = 0; t < horizon; ++t) {
        const bool engaged = !project || !delivered;
        double risk = 0, restart_cost = 0, plan_cost = 0;
        if (engaged) {
            if constexpr (Planned) {
                if (t == plan->decision_month && !failed) {  // §13 the pilot's decision month
                    if (plan->action == pilot_action::scale) {
                        // N - k empty seats, hired at the fill rate; the search for the added value.
                        flush(r);
                        plan_cost += own.search - r.search;
                        const double add0 = own.seats[0] - r.seats[0], add1 = own.seats[1] - r.seats[1];
                        st.v0[0] += add0;
                        st.v0[1] += add1;
                        st.rf += add0 + add1;
                        r = own;
                    } else if (plan->action == pilot_action::exit) {
                        // Exit terms; the fallback starts from empty seats (as after a failure,
                        // without the reversal cost: the exit is planned).
                        plan_cost += r.exit;
                        flush(r);
                        r = detail::make_regime(fallback, s);
                        st.start(r, 0.0);
                        plan_cost += r.search + r.setup;
                        critical_path = std::max(critical_path, compressed_critical_path(fallback, s));
                        restart = t;
                        failed = exited = true;
                    }
                }
            }
            if (t == t_fail && !failed) {
                // §5: the work moves to the fallback, which starts from empty seats.
                risk += r.exit + a.reversal_cost_usd;
                flush(r);
                r = detail::make_regime(fallback, s);
                st.start(r, 0.0);
                restart_cost = r.search + r.setup;
                critical_path = std::max(critical_path, compressed_critical_path(fallback, s));
                restart = t;
                failed = true;
            } else if (t == t_switch && !failed) {
                // A new vendor of the same kind: exit, search and set-up again, empty seats.
                risk += r.exit + r.search + r.setup;
                st.start(r, 0.0);
                restart = t;
            }
            if (t == t_security && !(Planned && exited)) risk += a.security_incident_cost_usd;
            // Key-person loss: the lost knowledge is relearned, K engineer-months of work
            // (project: added to the backlog; capacity: taken out of useful output).
            if (t == t_key) {
                if (project)
                    backlog += a.key_person_loss_engineer_months;
                else
                    relearn += a.key_person_loss_engineer_months;
            }
        }

        // §3 hiring (x0 from initial vacancies, xa from leavers' seats), heads, productive
        // equivalent, capacity lost to attrition.
        const double x0r = r.fill[0] * st.v0[0], xar = r.fill[0] * st.va[0];
        const double x0n = r.fill[1] * st.v0[1], xan = r.fill[1] * st.va[1];
        st.v0[0] -= x0r;
        st.va[0] -= xar;
        st.v0[1] -= x0n;
        st.va[1] -= xan;
        st.r0 += x0r + x0n;
        st.ra += xar + xan;
        const double hires = (x0r + xar) + (x0n + xan);
        const double ramping = st.r0 + st.ra;
        const double heads = ramping + st.pp;
        const double productive = r.rho * ramping + st.pp;
        const double productive_f = r.rho * st.rf + st.pf;

        // §4 capacity with the transition factor.
        const double in_transition = std::clamp(r.transition_months - (t - restart), 0.0, 1.0);
        const double tau = 1.0 - (1.0 - r.transition_productivity) * in_transition;
        const double cap = productive * r.useful * tau;
        const double cap_f = productive_f * r.useful * tau;

        // §4.2 delivery: the effort is complete when cumulative capacity covers the backlog;
        // the backlog is delivered at max(effort complete, critical path). active = share of
        // the month the team works (and the cost of delay runs).
        double active = 1.0, output = cap;
        if (relearn > 0.0) {
            const double lost = std::min(relearn, output);
            output -= lost;
            relearn -= lost;
        }
        if (project) {
            if (delivered) {
                active = 0.0;
                output = 0.0;
            } else {
                if (!effort_done) {
                    if (done + cap >= backlog) {
                        output = backlog - done;
                        t_effort = t + (cap > 0 ? output / cap : 0.0);
                        effort_done = true;
                        done = backlog;
                    } else {
                        done += cap;
                    }
                } else {
                    output = 0.0;
                }
                if (effort_done && std::max(t_effort, critical_path) <= t + 1.0) {
                    delivery = std::max(t_effort, critical_path);
                    active = delivery - t;
                    delivered = true;
                }
            }
            if (!delivered_f) {
                double af = 1.0;
                if (!effort_done_f) {
                    if (done_f + cap_f >= backlog) {
                        t_effort_f = t + (cap_f > 0 ? (backlog - done_f) / cap_f : 0.0);
                        effort_done_f = true;
                    }
                    done_f += cap_f;
                }
                if (effort_done_f && std::max(t_effort_f, critical_path) <= t + 1.0) {
                    delivery_f = std::max(t_effort_f, critical_path);
                    af = delivery_f - t;
                    delivered_f = true;
                }
                pv_delay_f += d * v * cod * af;
            }
        }

        // Flows of the month (docs/model.md §4.4), scaled by the share of it worked.
        d *= v;
        const double learning = ramping + st.pp * in_transition;  // shadowed by knowledge holders
        const double full_spend = heads * (r.hours * r.p * (1.0 + r.governance) * gpow + r.leader_per_head +
                                           r.travel_per_head + r.escaped_per_head) +
                                  learning * r.transfer_per_head + hires * (r.vetting_per_hire + r.hire_cost);
        double completion = 0;
        // Exit terms at delivery (staff augmentation: engineers released at short notice).
        if (project && delivered && active > 0.0 && r.exit_at_completion) completion = r.exit;
        const double spend = active * full_spend + risk + restart_cost + completion + plan_cost;
        const double da = d * active;
        sum_heads += da * heads;
        sum_grown += da * heads * gpow;
        sum_grown_undiscounted += active * heads * gpow;
        sum_learning += da * learning;
        sum_hires += da * hires;
        pv_transition += d * (completion + plan_cost);
        pv_risk += d * (risk + restart_cost);
        const double delay = active * cod;
        pv_delay += d * delay;
        pv_output += d * output;
        useful_total += output;
        lost_total += active * (st.va[0] + st.va[1] + (1.0 - r.rho) * st.ra);
        const double first = t == 0 ? one_time : 0.0;
        const std::size_t ts = trace.stride;
        trace.flows[t * ts] = d * (spend + delay) + first;
        trace.spend[t * ts] = spend + first;
        trace.output[t * ts] = output;
        if (active > 0.0) {
            active_months = t + 1;
            last_full_spend = full_spend;
            last_heads = heads;
            last_learning = learning;
            last_hires = hires;
            last_growth = gpow;
            last_cap = cap;
        }
        last_cap_f = cap_f;
        if (project && delivered && delivered_f) {  // nothing more happens: the months are empty
            for (int u = t + 1; u < horizon; ++u)
                trace.flows[u * ts] = trace.spend[u * ts] = trace.output[u * ts] = 0.0;
            d = std::pow(v, horizon);
            break;
        }

        // End of month: attrition to Va, then graduation from ramping to productive.
        const double keep = 1.0 - r.attrition, stay = 1.0 - r.graduate;
        st.va[0] += r.attrition * (r.seats[0] - st.v0[0] - st.va[0]);
        st.va[1] += r.attrition * (r.seats[1] - st.v0[1] - st.va[1]);
        st.r0 *= keep;
        st.ra *= keep;
        st.pp *= keep;
        st.pp += r.graduate * (st.r0 + st.ra);
        st.r0 *= stay;
        st.ra *= stay;
        st.rf += r.attrition * st.pf;  // leavers of P are replaced at once and ramp again
        st.pf *= keep;
        st.pf += r.graduate * st.rf;
        st.rf *= stay;
        gpow *= r.growth;
    }

    // The state at the end of the loop, finished by the code the block evaluation shares.
    arrangement_eval e;
    e.a = &a;
    e.fallback = &fallback;
    e.s = &s;
    e.plan = plan;
    e.horizon = horizon;
    e.project = project;
    e.v = v;
    e.r = r;
    e.own = own;
    e.first_w = first_w;
    e.first_coord = first_coord;
    e.first_useful = first_useful;
    e.failed = failed;
    e.exited = exited;
    e.pv_useful_labour = pv_useful_labour;
    e.pv_quality_labour = pv_quality_labour;
    e.pv_hours = pv_hours;
    e.pv_quality_hours = pv_quality_hours;
    e.pv_other_quality = pv_other_quality;
    e.pv_management = pv_management;
    e.pv_hiring = pv_hiring;
    e.labour_undiscounted = labour_undiscounted;
    month_state<double, bool>& m = e.m;
    m.delivered = delivered;
    m.delivered_f = delivered_f;
    m.effort_done = effort_done;
    m.d = d;
    m.cod = cod;
    m.critical_path = critical_path;
    m.backlog = backlog;
    m.done = done;
    m.done_f = done_f;
    m.delivery = delivery;
    m.last_cap = last_cap;
    m.last_cap_f = last_cap_f;
    m.last_full_spend = last_full_spend;
    m.last_heads = last_heads;
    m.last_learning = last_learning;
    m.last_hires = last_hires;
    m.last_growth = last_growth;
    m.sum_heads = sum_heads;
    m.sum_grown = sum_grown;
    m.sum_learning = sum_learning;
    m.sum_hires = sum_hires;
    m.sum_grown_undiscounted = sum_grown_undiscounted;
    m.pv_transition = pv_transition;
    m.pv_risk = pv_risk;
    m.pv_delay = pv_delay;
    m.pv_delay_f = pv_delay_f;
    m.pv_output = pv_output;
    m.lost_total = lost_total;
    m.useful_total = useful_total;
    m.one_time = one_time;
    m.active_months = active_months;
    return e.finish(trace);
}

}  // namespace detail

/// Evaluates one arrangement for one trial (docs/model.md §2-§6), without the comparison
/// fields, which `evaluate_trial` fills in.
///
/// \param a        the arrangement's drawn values (assumed valid: see `check`).
/// \param fallback where the work goes after a failure (the baseline's values; the
///                 baseline's own fallback is itself).
/// \param s        the scenario's drawn values (assumed valid).
/// \param events   the arrangement's event uniforms for this trial.
/// \param set      horizon, discounting and framing (assumed valid).
/// \param v        the monthly discount factor, `set.monthly_discount()`.
/// \param trace    receives the monthly flows, spend and output (arrays of
///                 `set.horizon_months`) and the run-on.
/// \param plan     null: the arrangement at full headcount from month 0; else a pilot of k
///                 engineers and what happens at its decision month (engagement_plan.hpp;
///                 assumed valid: see `check(const engagement_plan&, ...)`).
inline arrangement_outcome evaluate_arrangement(const arrangement_values& a, const arrangement_values& fallback,
                                                const scenario_values& s, const event_uniforms& events,
                                                const evaluation_settings& set, double v,
                                                detail::arrangement_trace& trace,
                                                const engagement_plan* plan = nullptr) noexcept {
    return plan ? detail::evaluate_arrangement_impl<true>(a, fallback, s, events, set, v, trace, plan)
                : detail::evaluate_arrangement_impl<false>(a, fallback, s, events, set, v, trace, nullptr);
}

namespace detail {

// Months k >= 0 after the horizon at which cum + rate * annuity(v, k) reaches 0 (cum < 0,
// rate > 0), or +inf if not within `limit` months.
inline double months_to_recover(double cum, double rate, double v, double limit) noexcept {
    if (cum >= 0) return 0.0;
    if (!(rate > 0)) return HUGE_VAL;
    const double need = -cum / rate;  // annuity(v, k) = need
    if (annuity(v, limit) < need) return HUGE_VAL;
    if (std::fabs(1.0 - v) < 1e-12) return need;
    // v (1 - v^k) / (1 - v) = need  =>  v^k = 1 - need (1 - v) / v.
    return std::log(1.0 - need * (1.0 - v) / v) / std::log(v);
}

// The month loops of the project break-even and of the parity as they leave their sums, when
// the block evaluation has run them for its lanes at once (model/evaluate_block.hpp,
// compare_loops_lanes: the same operations in the same order per lane, so the same bits).
struct compare_loops {
    double cum = 0;          // project_breakeven: cumulative net flow over the horizon
    int last_negative = 0;   // ... the month after the last in which it was negative
    double sb = 0, sa = 0, ob = 0, oa = 0;  // parity: the trailing-window sums at its end
    int last_above = 0;      // ... the month after the last in which a was dearer
};

// Cash break-even, project framing (docs/model.md §4.5): the first month from which the
// cumulative discounted net benefit stays >= 0, over the horizon and the run-on phases.
// `pre`: the loop over the horizon already run (compare_loops).
inline double project_breakeven(const arrangement_trace& b, const arrangement_trace& a, int horizon, double v,
                                double d_end, double net_benefit, const compare_loops* pre = nullptr) noexcept {
    double cum = 0;
    int last_negative = 0;
    if (pre != nullptr) {
        cum = pre->cum;
        last_negative = pre->last_negative;
    } else {
        const std::size_t bs = b.stride, as = a.stride;
        for (int t = 0; t < horizon; ++t) {
            cum += b.flows[t * bs] - a.flows[t * as];
            if (cum < 0) last_negative = t + 1;
        }
    }
    // Run-on phases: both running, then the later one alone.
    const double k1 = std::min(b.tail_months, a.tail_months), k2 = std::max(b.tail_months, a.tail_months);
    const double rate1 = d_end * (b.tail_flow * (b.tail_months > 0) - a.tail_flow * (a.tail_months > 0));
    const double rate2 = d_end * (b.tail_months > a.tail_months ? b.tail_flow : -a.tail_flow);
    const double cum1 = cum + rate1 * annuity(v, k1);
    const double cum2 = cum1 + rate2 * (annuity(v, k2) - annuity(v, k1));
    // The run-on flows leave out escalation: the net benefit itself decides "never".
    if (cum2 < 0 || net_benefit < 0) return never_month;
    if (cum1 < 0) {  // the last upward crossing is in phase 2
        const double base = cum1 + rate2 * -annuity(v, k1);  // as if phase 2 ran from the horizon
        return horizon + std::max(k1, months_to_recover(base, rate2, v, k2)) + 1.0;
    }
    if (cum < 0) return horizon + months_to_recover(cum, rate1, v, k1) + 1.0;
    return last_negative + 1.0;
}

// Cash break-even, capacity framing: cumulative NB(m) = C_a(m) S_b(m)/C_b(m) - S_a(m) with
// discounted cumulative spend S and output C; beyond the horizon at the last month's run
// rates (docs/model.md §4.5).
inline double capacity_breakeven(const arrangement_trace& b, const arrangement_trace& a, int horizon, double v) {
    // One-time costs at t = 0 are not discounted (as in the totals).
    double sb = b.one_time * (1.0 - v), sa = a.one_time * (1.0 - v), cb = 0, ca = 0, dd = 1.0;
    int last_negative = 0;
    auto nb = [](double sb_, double sa_, double cb_, double ca_) {
        return cb_ > 0 ? ca_ * sb_ / cb_ - sa_ : sb_ - sa_;
    };
    const std::size_t bs = b.stride, as = a.stride;
    for (int t = 0; t < horizon; ++t) {
        dd *= v;
        sb += dd * b.spend[t * bs];
        sa += dd * a.spend[t * as];
        cb += dd * b.output[t * bs];
        ca += dd * a.output[t * as];
        if (nb(sb, sa, cb, ca) < 0) last_negative = t + 1;
    }
    if (last_negative < horizon) return last_negative + 1.0;
    // Extrapolate month by month (yearly steps, then refine) at the last month's run rates.
    auto at = [&](double k) {
        const double an = dd * annuity(v, k);
        return nb(sb + b.last_spend * an, sa + a.last_spend * an, cb + b.last_output * an, ca + a.last_output * an);
    };
    const double limit = max_horizon_months;
    double lo = 0;
    for (double k = 12; k <= limit; k += 12) {
        if (at(k) >= 0) {
            for (double m = lo + 1; m <= k; m += 1)
                if (at(m) >= 0) return horizon + m;
            return horizon + k;
        }
        lo = k;
    }
    return never_month;
}

// Cost parity (docs/model.md §4.5): the first month m from which the trailing-year unit
// cost (undiscounted spend / useful output of the last 12 months) of the alternative stays
// at or below the baseline's, over the months both teams work; beyond the horizon at the
// last month's run rates.
// `pre`: the loop over the months both work already run (compare_loops).
inline double parity(const arrangement_trace& b, const arrangement_trace& a, int horizon, bool extrapolate,
                     const compare_loops* pre = nullptr) {
    const int w = model_constants::parity_window_months;
    const int end = std::min(a.active_months, b.active_months);
    if (end <= 0) return never_month;
    const std::size_t bs = b.stride, as = a.stride;
    double sb = 0, sa = 0, ob = 0, oa = 0;
    int last_above = 0;
    // a dearer per unit than b (no output yet: not at parity). Running window sums carry
    // rounding: a window with less than 1e-9 engineer-months has no output, and a unit cost
    // within one part in 10^9 of the other is a tie (at parity).
    auto above = [](double s_a, double o_a, double s_b, double o_b) {
        constexpr double no_output = 1e-9, tie = 1e-9;
        if (!(o_a > no_output)) return true;
        if (!(o_b > no_output)) return false;
        return s_a * o_b > s_b * o_a * (1.0 + tie) + tie * std::fabs(s_b * o_a);
    };
    if (pre != nullptr) {
        sb = pre->sb;
        sa = pre->sa;
        ob = pre->ob;
        oa = pre->oa;
        last_above = pre->last_above;
    }
    for (int t = pre != nullptr ? end : 0; t < end; ++t) {
        sb += b.spend[t * bs];
        sa += a.spend[t * as];
        ob += b.output[t * bs];
        oa += a.output[t * as];
        if (t >= w) {
            sb -= b.spend[(t - w) * bs];
            sa -= a.spend[(t - w) * as];
            ob -= b.output[(t - w) * bs];
            oa -= a.output[(t - w) * as];
        }
        if (above(sa, oa, sb, ob)) last_above = t + 1;
    }
    if (last_above < end) return last_above + 1.0;
    if (!extrapolate || end < horizon) return never_month;
    // The window rolls on at the last month's run rates for one more year.
    for (int t = end; t < end + w; ++t) {
        const int old_t = t - w;  // the month leaving the window (>= 0: end >= w here or not)
        sb += b.last_spend - (old_t >= 0 ? b.spend[old_t * bs] : 0.0);
        sa += a.last_spend - (old_t >= 0 ? a.spend[old_t * as] : 0.0);
        ob += b.last_output - (old_t >= 0 ? b.output[old_t * bs] : 0.0);
        oa += a.last_output - (old_t >= 0 ? a.output[old_t * as] : 0.0);
        if (!above(sa, oa, sb, ob)) return t + 1.0;
    }
    return never_month;
}

// The comparison fields of outcome `o` (trace `ta`) against the baseline `base` (trace `tb`):
// net benefit and its waterfall, net saving, value of delivery, ROI, break-even and parity
// months (docs/model.md §4.5). Shared by `evaluate_trial` and the block evaluation (which
// may give the month loops of the break-even and the parity already run, `pre`).
inline void compare_with_baseline(const arrangement_outcome& base, const arrangement_trace& tb,
                                  const arrangement_trace& ta, const evaluation_settings& set, double v,
                                  arrangement_outcome& o, const compare_loops* pre = nullptr) noexcept {
    const int horizon = set.horizon_months;
    const bool project = set.frame == framing::project;
    const double pb = base.billed_hours_pv > 0 ? base.labour_total_pv / base.billed_hours_pv : base.billed_rate_usd;
    // Capacity framing: the output gap valued at the baseline's cost per useful engineer-month
    // (discounted spend over discounted output).
    const double unit_b = base.useful_output_pv > 0 ? base.spend / base.useful_output_pv : 0.0;
    const double pa = o.billed_hours_pv > 0 ? o.labour_total_pv / o.billed_hours_pv : o.billed_rate_usd;
    o.delivery_value = project ? base.delay_cost - o.delay_cost
                               : (o.useful_output_pv - base.useful_output_pv) * unit_b;
    o.net_benefit = base.spend - o.spend + o.delivery_value;
    o.nb_rate_gap = (pb - pa) * o.billed_hours_pv;
    o.nb_volume = pb * ((base.billed_hours_pv - base.quality_hours_pv) - (o.billed_hours_pv - o.quality_hours_pv));
    o.nb_quality = pb * (base.quality_hours_pv - o.quality_hours_pv) + (base.other_quality_cost - o.other_quality_cost);
    o.nb_transition = base.transition_cost - o.transition_cost;
    o.nb_management = base.management_cost - o.management_cost;
    o.nb_talent = base.talent_cost - o.talent_cost;
    o.nb_delivery = project ? base.delivery_cost - o.delivery_cost : o.delivery_value;
    o.nb_risk = base.risk_cost - o.risk_cost;
    const double spend_saving = base.spend - o.spend;
    o.net_saving = base.spend != 0 ? (project ? spend_saving : o.net_benefit) / base.spend : 0.0;
    o.roi = o.total_cost != 0 ? o.net_benefit / o.total_cost : 0.0;
    o.gross_rate_saving = 1.0 - o.billed_rate_usd / base.billed_rate_usd;
    o.breakeven_month = project ? detail::project_breakeven(tb, ta, horizon, v, ta.d_end, o.net_benefit, pre)
                                : detail::capacity_breakeven(tb, ta, horizon, v);
    o.breakeven_month = std::min(o.breakeven_month, never_month);
    // Parity beyond the horizon only while both teams still work at it (horizon invariance).
    const bool running = !project || (ta.tail_months > 0 && tb.tail_months > 0);
    o.parity_month = std::min(detail::parity(tb, ta, horizon, running, pre), never_month);
    o.breakeven_in_horizon = o.breakeven_month <= horizon ? 1.0 : 0.0;
    o.parity_in_horizon = o.parity_month <= horizon ? 1.0 : 0.0;
}

}  // namespace detail

/// An arrangement evaluated under an engagement plan (a pilot, then an action), as an extra
/// outcome of `evaluate_trial`: arrangement `arrangement`'s drawn values and risk-event
/// uniforms (the same draws as the arrangement itself: common random numbers).
struct planned_engagement {
    std::size_t arrangement = 1;  ///< index of the arrangement piloted (>= 1: not the baseline)
    engagement_plan plan;         ///< the pilot and its action
};

/// Evaluates every arrangement of one trial and compares each with the baseline
/// (arrangement 0): net benefit and its waterfall, net saving on spend, value of delivery,
/// ROI, break-even and parity months (docs/model.md §4.5). Then each planned engagement
/// (a pilot of an alternative, then an action: §13), compared with the same baseline. Pure
/// and allocation-free.
///
/// \param s       the scenario's drawn values.
/// \param arr     the arrangements' drawn values, baseline first (at least one).
/// \param events  the arrangements' event uniforms (same size as `arr`).
/// \param set     horizon, discounting and framing.
/// \param v       `set.monthly_discount()`.
/// \param out     receives one outcome per arrangement, then one per planned engagement
///                (size arr.size() + plans.size()).
/// \param plans   planned engagements (assumed valid: arrangement in [1, arr.size())).
inline void evaluate_trial(const scenario_values& s, std::span<const arrangement_values> arr,
                           std::span<const event_uniforms> events, const evaluation_settings& set,
                           double v, std::span<arrangement_outcome> out,
                           std::span<const planned_engagement> plans = {}) noexcept {
    std::array<double, max_horizon_months> bf, bs, bo, af, as, ao;
    detail::arrangement_trace tb{bf.data(), bs.data(), bo.data()}, ta{af.data(), as.data(), ao.data()};
    const arrangement_outcome base = detail::evaluate_arrangement_impl<false>(arr[0], arr[0], s, events[0], set, v, tb, nullptr);
    out[0] = base;
    for (std::size_t i = 1; i < arr.size(); ++i) {
        arrangement_outcome o = detail::evaluate_arrangement_impl<false>(arr[i], arr[0], s, events[i], set, v, ta, nullptr);
        detail::compare_with_baseline(base, tb, ta, set, v, o);
        out[i] = o;
    }
    for (std::size_t j = 0; j < plans.size(); ++j) {
        const std::size_t i = plans[j].arrangement;
        arrangement_outcome o =
            detail::evaluate_arrangement_impl<true>(arr[i], arr[0], s, events[i], set, v, ta, &plans[j].plan);
        detail::compare_with_baseline(base, tb, ta, set, v, o);
        out[arr.size() + j] = o;
    }
}

}  // namespace offroi
