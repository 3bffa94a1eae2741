#!/usr/bin/python3
"""The default scenario of offroi (model v2) written the way a strong numpy user would write it
in a notebook: numpy vectorised over trials, a Python loop over the 36 months, the inputs drawn
with numpy's Generator (PERT as a scaled beta, lognormals fitted to P10/P90).

It is an independent transcription of include/offroi/model/evaluate.hpp (the source of truth),
parameter_values.hpp, presets.hpp and scenario.hpp for the default scenario: local_hiring
(in_house preset, the baseline) against offshore_team (offshore_team preset), the project
framing, time-and-materials contracts, 36 months at 10% a year. It covers what the default
scenario and the per-trial check use: the staffing dynamics with regular and niche seats,
ramp-up (with legacy ramp-up), the capability tier from the market band, rework, review,
coordination, follow-the-sun, the leadership deficit and supply, transition, rate escalation
and FX drift, the four risk events (failure moves the work to the baseline, which starts from
empty seats), delivery at max(effort, critical path), the run-on beyond the horizon, the cost
components, net benefit and its eight waterfall bars, net saving, ROI, the cash break-even
and cost-parity months. Not covered (not in the default scenario): the capacity framing and
fixed-price contracts.

It draws its own random numbers (numpy PCG64), so it agrees with offroi in distribution (the
Monte Carlo check, --check) and, fed the same inputs and event uniforms, trial by trial (the
per-trial check, --check-eval, against bench/model/numpy_peer_eval.cpp).

    /usr/bin/python3 bench/model/numpy_default_scenario.py --trials 1000000
    /usr/bin/python3 bench/model/numpy_default_scenario.py --trials 200000 --check build/release/src/offroi
    /usr/bin/python3 bench/model/numpy_default_scenario.py --check-eval build/release/tests/numpy_peer_eval

The two arrangements are stacked on axis 0 (row 0 local_hiring = baseline, row 1
offshore_team), trials on axis 1, so each month is one set of (2, n) array operations.
"""

import argparse
import json
import math
import subprocess
import sys
import time

import numpy as np

HORIZON = 36
ANNUAL_DISCOUNT_RATE = 0.10
ARRANGEMENTS = ("local_hiring", "offshore_team")
NEVER = 9999.0  # offroi::never_month
EVENTS = ("failure", "vendor_switch", "security_incident", "key_person_loss")

# evaluate.hpp, namespace model_constants
SYNC_LOSS_PER_HOUR = 0.11
WORKDAY_HOURS = 8.0
HANDOFF_EFFORT = 0.25
REFERENCE_LEADERSHIP_HOURS = 3.0
FAILURE_WITHOUT_LEADERSHIP = 2.2
COORDINATION_WITHOUT_LEADERSHIP = 2.5
REWORK_WITHOUT_LEADERSHIP = 1.42
REVIEW_CATCH = 0.6
REVIEW_EFFORT = 0.10
VETTING_EFFECT = 0.5
VETTING_HOURS_PER_HIRE = 16.0
PCAP_VERY_LOW, PCAP_VERY_HIGH = 1.34, 0.76
ACAP_VERY_LOW, ACAP_VERY_HIGH = 1.42, 0.71
MAX_REWORK_SHARE = 0.85
MAX_TAIL_MONTHS = 120.0
WEEKS_PER_MONTH = 52.0 / 12.0
PARITY_WINDOW = 12
MAX_HORIZON = 600

# The outputs (evaluate.hpp outcome_fields), per arrangement.
OUTCOME_FIELDS = (
    "labour_cost", "quality_cost", "transition_cost", "management_cost", "talent_cost",
    "delivery_cost", "risk_cost", "total_cost", "spend", "delay_cost", "delivery_month",
    "delivered", "net_benefit", "net_saving", "delivery_value", "roi", "breakeven_month",
    "breakeven_in_horizon", "parity_month", "parity_in_horizon", "gross_rate_saving",
    "nb_rate_gap", "nb_volume", "nb_transition", "nb_quality", "nb_management", "nb_talent",
    "nb_delivery", "nb_risk", "billed_rate_usd", "capability_tier", "rework_share",
    "coordination_penalty", "useful_share", "reramp_engineer_months", "useful_engineer_months", "billed_hours_pv")
BARS = ("nb_rate_gap", "nb_volume", "nb_transition", "nb_quality", "nb_management", "nb_talent",
        "nb_delivery", "nb_risk")
# offroi's essential outputs (roi_model.hpp default_outputs): what `offroi run` summarises.
ESSENTIAL_BASE = ("total_cost", "spend", "delivery_month", "delivered")
ESSENTIAL_ALT = ("net_benefit", "net_saving", "delivery_value", "roi", "breakeven_month",
                 "breakeven_in_horizon", "parity_month", "parity_in_horizon", "gross_rate_saving") + BARS


# ---------------------------------------------------------------- inputs (presets.hpp, scenario.hpp)
class Pert:
    """PERT(a, m, b) with lambda = 4: a beta(1 + 4 (m - a)/(b - a), 1 + 4 (b - m)/(b - a)) on [a, b]."""

    def __init__(self, a, m, b):
        self.a, self.b = a, b
        self.alpha = 1.0 + 4.0 * (m - a) / (b - a)
        self.beta = 1.0 + 4.0 * (b - m) / (b - a)

    def draw(self, n, rng):
        return self.a + (self.b - self.a) * rng.beta(self.alpha, self.beta, n)

    def scipy(self):
        import scipy.stats as st
        return st.beta(self.alpha, self.beta, loc=self.a, scale=self.b - self.a)


class LogNormal:
    """Lognormal with P10 and P90 as given."""
    Z90 = 1.2815515655446004  # standard normal 0.9 quantile

    def __init__(self, p10, p90):
        self.sigma = math.log(p90 / p10) / (2.0 * self.Z90)
        self.mu = math.log(p10) + self.sigma * self.Z90

    def draw(self, n, rng):
        return rng.lognormal(self.mu, self.sigma, n)

    def scipy(self):
        import scipy.stats as st
        return st.lognorm(s=self.sigma, scale=math.exp(self.mu))


def arrangement_defaults():
    """arrangement_values defaults (parameter_values.hpp): what a field not set by a preset is."""
    return {
        "headcount": 10.0, "hourly_rate_usd": 100.0, "overhead_loading": 1.0, "vendor_margin": 0.0,
        "annual_rate_escalation": 0.0, "annual_fx_drift": 0.0, "hours_per_month": 160.0,
        "initial_staffed_share": 0.0, "time_to_fill_months": 1.0, "niche_time_to_fill_months": 3.0,
        "ramp_up_months": 3.0, "legacy_learning_factor": 1.0, "annual_attrition": 0.0,
        "overlap_hours": 8.0, "scope_isolation": 0.0, "follow_the_sun_share": 0.0,
        "handoff_quality": 0.5, "leadership_hours_per_engineer_week": 3.0, "governance_share": 0.0,
        "vetting_rigor": 0.5, "review_strength": 0.5, "market_rate_low_usd": 15.0,
        "market_rate_high_usd": 150.0, "capability_premium": 0.0, "transition_months": 0.0,
        "transition_productivity": 1.0, "vendor_search_share": 0.0, "setup_cost_usd": 0.0,
        "cost_per_hire_usd": 0.0, "exit_cost_usd": 0.0, "failure_annual_probability": 0.0,
        "reversal_cost_usd": 0.0, "security_incident_annual_probability": 0.0,
        "security_controls": 0.0, "security_incident_cost_usd": 0.0,
        "key_person_loss_annual_probability": 0.0, "key_person_loss_engineer_months": 0.0,
        "vendor_switch_annual_probability": 0.0, "knowledge_transfer_share": 0.0,
        "travel_usd_per_engineer_month": 0.0, "fixed_price_risk_premium": 0.0,
        "overrun_cap_share": 0.0, "change_request_premium": 0.0,
    }


def scenario_inputs():
    """The default scenario's inputs: scenario-level, and per arrangement (baseline first).
    Plain floats are constants."""
    scen = {
        "backlog_engineer_months": Pert(100, 140, 200),
        "cost_of_delay_per_month_usd": LogNormal(60e3, 250e3),
        "niche_role_share": Pert(0.1, 0.2, 0.3),
        "sync_work_share": Pert(0.2, 0.3, 0.4),
        "base_rework_share": Pert(0.3, 0.4, 0.5),
        "leader_hourly_cost_usd": Pert(110, 140, 190),
        "escaped_defect_cost_usd_per_engineer_month": Pert(5e3, 15e3, 40e3),
        "legacy_ramp_up_months": 0.0,
        "critical_path_months": 0.0,
        "scope_growth": 0.0,
        "leadership_supply_hours_per_week": 1e6,
    }
    shared = {  # every preset, then the vendor defaults
        "headcount": 10.0, "hours_per_month": 160.0, "overhead_loading": 1.0,
        "annual_rate_escalation": Pert(0.03, 0.05, 0.08), "annual_fx_drift": Pert(-0.03, 0, 0.03),
        "initial_staffed_share": 0.0, "ramp_up_months": Pert(2, 4, 8), "legacy_learning_factor": 1.5,
        "follow_the_sun_share": 0.0, "handoff_quality": Pert(0.2, 0.5, 0.8),
        "capability_premium": Pert(-0.15, 0, 0.15), "security_controls": Pert(0.3, 0.6, 0.9),
        "security_incident_cost_usd": LogNormal(50e3, 1e6),
        "key_person_loss_engineer_months": Pert(1, 3, 6),
        "vendor_margin": 0.0, "cost_per_hire_usd": 0.0, "scope_isolation": 0.0,
        "exit_cost_usd": LogNormal(20e3, 150e3), "governance_share": Pert(0.04, 0.06, 0.08),
        "vendor_search_share": Pert(0.002, 0.01, 0.02), "transition_months": Pert(1, 2, 4),
        "transition_productivity": Pert(0.6, 0.8, 0.9), "vendor_switch_annual_probability": 0.03,
        "reversal_cost_usd": LogNormal(100e3, 800e3), "security_incident_annual_probability": 0.05,
        "key_person_loss_annual_probability": 0.15, "knowledge_transfer_share": Pert(0.1, 0.2, 0.35),
        "travel_usd_per_engineer_month": Pert(50, 150, 400),
    }
    in_house = dict(shared, **{
        "hourly_rate_usd": Pert(55, 69, 90), "overhead_loading": Pert(1.45, 1.65, 1.95),
        "market_rate_low_usd": 75.0, "market_rate_high_usd": 165.0,
        "annual_rate_escalation": Pert(0.02, 0.035, 0.05), "annual_fx_drift": 0.0,
        "time_to_fill_months": LogNormal(1.3, 3.0), "niche_time_to_fill_months": LogNormal(3, 12),
        "legacy_learning_factor": 1.0, "annual_attrition": Pert(0.08, 0.13, 0.20),
        "overlap_hours": 8.0, "leadership_hours_per_engineer_week": Pert(2, 3, 4.5),
        "governance_share": 0.0, "vetting_rigor": Pert(0.5, 0.7, 0.9),
        "review_strength": Pert(0.5, 0.7, 0.9), "transition_months": 0.0,
        "transition_productivity": 1.0, "vendor_search_share": 0.0, "setup_cost_usd": 0.0,
        "cost_per_hire_usd": Pert(5e3, 15e3, 30e3), "exit_cost_usd": 0.0,
        "knowledge_transfer_share": Pert(0.05, 0.1, 0.2), "travel_usd_per_engineer_month": 0.0,
        "failure_annual_probability": Pert(0.005, 0.01, 0.02),
        "reversal_cost_usd": LogNormal(20e3, 200e3), "security_incident_annual_probability": 0.03,
        "security_controls": Pert(0.4, 0.6, 0.8), "key_person_loss_annual_probability": 0.10,
        "vendor_switch_annual_probability": 0.0,
    })
    offshore_team = dict(shared, **{
        "hourly_rate_usd": Pert(22, 35, 50), "market_rate_low_usd": 18.0, "market_rate_high_usd": 50.0,
        "time_to_fill_months": LogNormal(0.5, 1.5), "niche_time_to_fill_months": LogNormal(1, 4),
        "annual_attrition": Pert(0.13, 0.19, 0.28), "overlap_hours": Pert(1, 2, 4),
        "leadership_hours_per_engineer_week": Pert(2, 3.5, 6), "vetting_rigor": Pert(0.3, 0.5, 0.7),
        "review_strength": Pert(0.3, 0.5, 0.7), "travel_usd_per_engineer_month": Pert(100, 250, 600),
        "setup_cost_usd": Pert(20e3, 50e3, 120e3), "failure_annual_probability": Pert(0.02, 0.04, 0.08),
        "security_incident_annual_probability": 0.06, "key_person_loss_annual_probability": 0.20,
    })
    arrs = []
    for spec in (in_house, offshore_team):
        full = arrangement_defaults()
        full.update(spec)
        arrs.append(full)
    return scen, arrs


def sample(n, rng, draws="numpy"):
    """Draws every input for n trials, independently (the default scenario has no
    correlations). Returns (scenario dict of (n,) arrays, arrangement dict of (2, n) arrays,
    event uniforms dict of (2, n) arrays). draws: "numpy" (Generator.beta / .lognormal) or
    "scipy" (scipy.stats rvs, the textbook notebook choice)."""
    scen_d, arr_d = scenario_inputs()
    # every input as one row: the scenario's, then each arrangement field for both arrangements
    specs = list(scen_d.values()) + [arr_d[i][k] for k in arr_d[0] for i in (0, 1)]
    x = np.empty((len(specs), n))
    if draws == "numpy":
        # all PERTs in one Generator.beta call and all lognormals in one .lognormal call
        # (parameters broadcast over the rows)
        pert = [i for i, d in enumerate(specs) if isinstance(d, Pert)]
        logn = [i for i, d in enumerate(specs) if isinstance(d, LogNormal)]
        const = [i for i, d in enumerate(specs) if isinstance(d, float)]
        col = lambda idx, attr: np.array([getattr(specs[i], attr) for i in idx])[:, None]  # noqa: E731
        lo, hi = col(pert, "a"), col(pert, "b")
        x[pert] = lo + (hi - lo) * rng.beta(col(pert, "alpha"), col(pert, "beta"), (len(pert), n))
        x[logn] = rng.lognormal(col(logn, "mu"), col(logn, "sigma"), (len(logn), n))
        x[const] = np.array([specs[i] for i in const])[:, None]
    else:  # scipy.stats, one frozen distribution per input, as a notebook would
        for i, d in enumerate(specs):
            x[i] = d if isinstance(d, float) else d.scipy().rvs(size=n, random_state=rng)
    k = len(scen_d)
    scen = dict(zip(scen_d, x[:k]))
    arr = dict(zip(arr_d[0], x[k:].reshape(-1, 2, n)))
    events = dict(zip(EVENTS, rng.random((len(EVENTS), 2, n))))
    return scen, arr, events


# ---------------------------------------------------------------- the model (evaluate.hpp)
def capability_tier(a):
    """clamp(clamp(ln(p / low) / ln(high / low), 0, 1) + premium, 0, 1), p = rate x loading."""
    q = np.log(a["hourly_rate_usd"] * a["overhead_loading"] / a["market_rate_low_usd"]) / \
        np.log(a["market_rate_high_usd"] / a["market_rate_low_usd"])
    return np.clip(np.clip(q, 0.0, 1.0) + a["capability_premium"], 0.0, 1.0)


def rating_multiplier(x, very_low, very_high):
    """COCOMO II rating: very_low^(1 - 2x) below nominal (x = 0.5), very_high^(2x - 1) above."""
    return np.where(x < 0.5, np.power(very_low, 1.0 - 2.0 * x), np.power(very_high, 2.0 * x - 1.0))


def leadership_hours(a, s):
    """Leadership actually given per engineer-week, min(L, supply / N)."""
    return np.minimum(a["leadership_hours_per_engineer_week"], s["leadership_supply_hours_per_week"] / a["headcount"])


def leadership_deficit(a, s):
    return np.maximum(0.0, 1.0 - leadership_hours(a, s) / REFERENCE_LEADERSHIP_HOURS)


def fill_probability(t_mean):
    """Monthly fill probability 1 - exp(-1/T); 1 for T = 0, 0 for T = inf."""
    with np.errstate(divide="ignore"):
        phi = -np.expm1(-1.0 / t_mean)
    return np.where(t_mean > 0, np.where(np.isinf(t_mean), 0.0, phi), 1.0)


def critical_path(a, s):
    """Follow-the-sun compression CP (1 - f + f / (1 + q_h (8 - O) / 8))."""
    f = a["follow_the_sun_share"]
    speedup = 1.0 + a["handoff_quality"] * (WORKDAY_HOURS - a["overlap_hours"]) / WORKDAY_HOURS
    return s["critical_path_months"] * (1.0 - f + f / speedup)


def regime(a, s):
    """The derived constants of an arrangement (evaluate.hpp detail::make_regime), as (2, n)
    arrays (writable: a failure replaces them with the baseline's)."""
    shape = a["headcount"].shape
    full = lambda x: np.array(np.broadcast_to(x, shape), dtype=float)  # noqa: E731
    n = a["headcount"]
    n_niche = n * s["niche_role_share"]
    ramp = a["ramp_up_months"] + s["legacy_ramp_up_months"] * a["legacy_learning_factor"]
    ramp_mean = np.maximum(1.0, ramp)
    p = a["hourly_rate_usd"] * a["overhead_loading"] * (1.0 + a["vendor_margin"])
    tier = capability_tier(a)
    deficit = leadership_deficit(a, s)
    w = np.minimum(MAX_REWORK_SHARE, s["base_rework_share"] * rating_multiplier(tier, ACAP_VERY_LOW, ACAP_VERY_HIGH) *
                   (1.0 - VETTING_EFFECT * a["vetting_rigor"]) * (1.0 + (REWORK_WITHOUT_LEADERSHIP - 1.0) * deficit))
    review = REVIEW_EFFORT * a["review_strength"]
    retained = np.exp((WORKDAY_HOURS - a["overlap_hours"]) * math.log1p(-SYNC_LOSS_PER_HOUR))
    coord = np.minimum(0.95, s["sync_work_share"] * (1.0 - a["scope_isolation"]) * (1.0 - retained) *
                       (1.0 + (COORDINATION_WITHOUT_LEADERSHIP - 1.0) * deficit))
    productivity = 1.0 / rating_multiplier(tier, PCAP_VERY_LOW, PCAP_VERY_HIGH)
    handoff = a["follow_the_sun_share"] * HANDOFF_EFFORT * (1.0 - a["handoff_quality"])
    useful = productivity * (1.0 - coord) * np.maximum(0.0, 1.0 - w - review) * (1.0 - handoff)
    hours, leader = a["hours_per_month"], s["leader_hourly_cost_usd"]
    r = {
        "n": n, "seats0": n - n_niche, "seats1": n_niche,
        "fill0": fill_probability(a["time_to_fill_months"]),
        "fill1": fill_probability(a["niche_time_to_fill_months"]),
        "attrition": -np.expm1(np.log1p(-a["annual_attrition"]) / 12.0),
        "graduate": 1.0 / ramp_mean, "rho": 1.0 - ramp / (2.0 * ramp_mean),
        "p": p, "hours": hours,
        "growth": np.power((1.0 + a["annual_rate_escalation"]) * (1.0 + a["annual_fx_drift"]), 1.0 / 12.0),
        "tier": tier, "w": w, "review": review, "coord": coord, "useful": useful,
        "leader_per_head": leadership_hours(a, s) * WEEKS_PER_MONTH * leader,
        "travel_per_head": a["travel_usd_per_engineer_month"],
        "governance": a["governance_share"],
        "escaped_per_head": s["escaped_defect_cost_usd_per_engineer_month"] * w * (1.0 - REVIEW_CATCH * a["review_strength"]),
        "transfer_per_head": a["knowledge_transfer_share"] * hours * leader,
        "vetting_per_hire": a["vetting_rigor"] * VETTING_HOURS_PER_HIRE * leader,
        "hire_cost": a["cost_per_hire_usd"],
        "search": a["vendor_search_share"] * 12.0 * n * hours * p,
        "setup": a["setup_cost_usd"], "exit": a["exit_cost_usd"],
        "transition_months": a["transition_months"], "transition_productivity": a["transition_productivity"],
    }
    return {k: full(v) for k, v in r.items()}


def event_month(u, p, horizon):
    """First month of an event with annual probability p from its uniform u: floor(12 ln u /
    ln(1 - p)), horizon if not within it (risk_events.hpp event_month)."""
    years = horizon / 12.0
    with np.errstate(divide="ignore", invalid="ignore"):
        x = 12.0 * np.log(u) / np.log1p(-p)
        never = ~(p > 0.0) | (1.0 - u >= years * p / (1.0 - p)) | ~(x < horizon)
    return np.where(p >= 1.0, 0, np.where(never, horizon, np.floor(np.where(never, 0.0, x)))).astype(np.int64)


def annuity(x, k):
    """x (1 - x^k) / (1 - x) for k > 0 (k when x = 1), 0 for k <= 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        a = x * -np.expm1(k * np.log(x)) / (1.0 - x)
    return np.where(~(k > 0.0), 0.0, np.where(np.abs(1.0 - x) < 1e-12, k, a))


def months_to_recover(cum, rate, v, limit):
    """Months after the horizon at which cum + rate annuity(v, k) reaches 0 (inf if not within limit)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        need = -cum / rate
        k = np.log(1.0 - need * (1.0 - v) / v) / math.log(v)
    k = np.where(annuity(v, limit) < need, np.inf, k)
    k = np.where(~(rate > 0), np.inf, k)
    return np.where(cum >= 0, 0.0, k)


def evaluate(scen, a, ev, horizon=HORIZON, rate=ANNUAL_DISCOUNT_RATE, mutate=None, tie=0.0):
    """Evaluates both arrangements for every trial (project framing, time and materials);
    returns a dict of (2, n) outputs, every field of OUTCOME_FIELDS (row 0 is the baseline,
    whose comparison fields keep offroi's defaults). mutate: a deliberate error, to show
    that the checks fail. tie > 0: also the parity months with unit costs within a relative
    `tie` of each other counted as not dearer ("parity_lo") and as dearer ("parity_hi")."""
    n_tr = scen["backlog_engineer_months"].shape[0]
    shape = (2, n_tr)
    v = (1.0 + rate) ** (-1.0 / 12.0)
    R = regime(a, scen)  # the regime in force: the arrangement's own, the baseline's after a failure
    if mutate == "sync_loss":
        R["useful"] *= np.where(R["coord"] > 0, 0.99, 1.0)
    # per-head and per-hire costs of a month (docs/model.md §4.4), constant within a regime
    R["labour_rate"] = R["hours"] * R["p"]
    R["qs"] = np.minimum(1.0, R["w"] + R["review"])  # share of hours on rework and review
    R["spend_rate"] = R["labour_rate"] * (1.0 + R["governance"])
    R["per_head"] = R["leader_per_head"] + R["travel_per_head"] + R["escaped_per_head"]
    R["per_hire"] = R["vetting_per_hire"] + R["hire_cost"]
    R["keep"], R["stay"] = 1.0 - R["attrition"], 1.0 - R["graduate"]
    R["transition_loss"] = 1.0 - R["transition_productivity"]
    # One (fields, 2, n) array with R's entries as views into it, so that a failure replaces
    # every field of the regime in force by the baseline's (the fallback) in one assignment.
    R_all = np.stack(list(R.values()))
    R = dict(zip(R, R_all))
    FB_all = R_all[:, 0].copy()  # the fallback: the baseline's regime, (fields, n)
    own = {k: R[k].copy() for k in ("tier", "w", "coord", "useful")}
    cod = np.broadcast_to(scen["cost_of_delay_per_month_usd"], shape)
    cp = np.array(np.broadcast_to(critical_path(a, scen), shape))
    cp_fb = np.broadcast_to(cp[0], shape)

    # §5 event months, as the trials (row, column indices) each month
    deficit = leadership_deficit(a, scen)
    p_fail = np.minimum(1.0, a["failure_annual_probability"] * (1.0 + (FAILURE_WITHOUT_LEADERSHIP - 1.0) * deficit) *
                        (1.25 - 0.5 * a["vetting_rigor"]))

    def by_month(u, p):
        flat = event_month(u, p, horizon).ravel()
        order = np.argsort(flat, kind="stable")
        cut = np.searchsorted(flat[order], np.arange(horizon + 1))
        return [np.divmod(order[cut[t]:cut[t + 1]], n_tr) for t in range(horizon)]

    fails = by_month(ev["failure"], p_fail)
    switches = by_month(ev["vendor_switch"], a["vendor_switch_annual_probability"])
    incidents = by_month(ev["security_incident"],
                         a["security_incident_annual_probability"] * (1.0 - a["security_controls"]))
    key_losses = by_month(ev["key_person_loss"], a["key_person_loss_annual_probability"])

    # §3 staffing state: vacancies per kind (regular, niche) from the start (v0*) and from
    # leavers (va*), ramping pools r0 / ra, productive pp; the seats-always-filled
    # counterfactual rf / pf.
    staffed = a["initial_staffed_share"]
    v00, v01 = (1.0 - staffed) * R["seats0"], (1.0 - staffed) * R["seats1"]
    va0, va1, r0, ra = (np.zeros(shape) for _ in range(4))
    pp, rf, pf = staffed * R["n"], (1.0 - staffed) * R["n"], staffed * R["n"]
    backlog = np.array(np.broadcast_to(scen["backlog_engineer_months"], shape))
    done, done_f, t_effort, t_effort_f = (np.zeros(shape) for _ in range(4))
    effort_done, effort_done_f, delivered, delivered_f, failed = (np.zeros(shape, bool) for _ in range(5))
    delivery = np.full(shape, -1.0)
    restart = np.zeros(shape)
    gpow = np.ones(shape)  # rate growth since month 0 (escalation, FX)
    one_time = R["search"] + R["setup"]
    # Discounted sums of heads, escalated heads, learning heads and hires under the regime in
    # force; `flush` prices them into the cost sums (pv) when the regime changes and at the end.
    sums = {k: np.zeros(shape) for k in ("heads", "grown", "learning", "hires")}
    pv = {k: np.zeros(shape) for k in (
        "useful_labour", "quality_labour", "hours", "quality_hours", "management", "other_quality",
        "transition", "hiring", "risk", "delay", "delay_f", "useful", "lost")}

    def flush(i):
        labour = sums["grown"][i] * R["labour_rate"][i]
        qs = R["qs"][i]
        pv["useful_labour"][i] += labour * (1.0 - qs)
        pv["quality_labour"][i] += labour * qs
        pv["hours"][i] += sums["heads"][i] * R["hours"][i]
        pv["quality_hours"][i] += sums["heads"][i] * R["hours"][i] * qs
        pv["management"][i] += sums["heads"][i] * R["leader_per_head"][i] + R["governance"][i] * labour
        pv["other_quality"][i] += sums["heads"][i] * R["escaped_per_head"][i] + sums["hires"][i] * R["vetting_per_hire"][i]
        pv["transition"][i] += sums["learning"][i] * R["transfer_per_head"][i] + sums["heads"][i] * R["travel_per_head"][i]
        pv["hiring"][i] += sums["hires"][i] * R["hire_cost"][i]
        for x in sums.values():
            x[i] = 0.0

    def engaged(i, also=None):  # the trials i whose project is not yet delivered (and `also`)
        keep = ~delivered[i] if also is None else ~delivered[i] & also[i]
        return i[0][keep], i[1][keep]

    active_months = np.zeros(shape)
    spend_tr = np.zeros((horizon,) + shape)   # undiscounted spend per month (parity)
    output_tr = np.zeros((horizon,) + shape)  # useful engineer-months per month
    cum = np.zeros(n_tr)                      # cumulative discounted net benefit (break-even)
    last_negative = np.zeros(n_tr)
    d = 1.0

    for t in range(horizon):
        # §5 events at the start of month t
        risk = np.zeros(shape)  # risk-event costs and restarts (search, set-up) of the month
        i = engaged(fails[t])
        if i[0].size:  # the work moves to the baseline, which starts from empty seats
            risk[i] = R["exit"][i] + a["reversal_cost_usd"][i]
            flush(i)
            R_all[:, i[0], i[1]] = FB_all[:, i[1]]
            risk[i] += R["search"][i] + R["setup"][i]
            cp[i] = np.maximum(cp[i], cp_fb[i])
            failed[i] = True
        j = engaged(switches[t], ~failed)
        if j[0].size:  # a new vendor of the same kind: exit, search, set-up, empty seats
            risk[j] = R["exit"][j] + R["search"][j] + R["setup"][j]
        for i in (i, j):
            if i[0].size:
                restart[i] = t
                v00[i], v01[i] = R["seats0"][i], R["seats1"][i]
                va0[i] = va1[i] = r0[i] = ra[i] = pp[i] = pf[i] = 0.0
                rf[i] = R["n"][i]
        i = engaged(incidents[t])
        risk[i] += a["security_incident_cost_usd"][i]
        i = engaged(key_losses[t])
        backlog[i] += a["key_person_loss_engineer_months"][i]

        # §3 hiring, heads, productive equivalent
        x0r, xar = R["fill0"] * v00, R["fill0"] * va0
        x0n, xan = R["fill1"] * v01, R["fill1"] * va1
        v00 -= x0r
        va0 -= xar
        v01 -= x0n
        va1 -= xan
        r0 += x0r + x0n
        ra += xar + xan
        hires = (x0r + xar) + (x0n + xan)
        ramping = r0 + ra
        heads = ramping + pp
        productive = R["rho"] * ramping + pp
        productive_f = R["rho"] * rf + pf

        # §4 capacity with the transition factor
        in_transition = np.clip(R["transition_months"] - (t - restart), 0.0, 1.0)
        useful = R["useful"] * (1.0 - R["transition_loss"] * in_transition)
        cap = productive * useful
        cap_f = productive_f * useful

        # §4.2 delivery at max(effort complete, critical path); active = share of the month
        # worked (and of the cost of delay)
        active = (~delivered).astype(float)
        working = ~(delivered | effort_done)
        need = backlog - done
        output = np.where(working, np.minimum(cap, need), 0.0)
        finish = working & (done + cap >= backlog)
        done += output
        if finish.any():
            i = np.nonzero(finish)
            t_effort[i] = t + np.where(cap[i] > 0, need[i] / np.where(cap[i] > 0, cap[i], 1.0), 0.0)
            effort_done[i] = True
        i = np.nonzero(effort_done & ~delivered)
        when = np.maximum(t_effort[i], cp[i])
        now = when <= t + 1.0
        i = i[0][now], i[1][now]
        delivery[i] = when[now]
        active[i] = when[now] - t
        delivered[i] = True
        completing, completion = i, np.where(active[i] > 0, R["exit"][i], 0.0)  # exit terms at delivery
        # the seats-always-filled counterfactual
        working_f = ~(delivered_f | effort_done_f)
        finish_f = working_f & (done_f + cap_f >= backlog)
        if finish_f.any():
            i = np.nonzero(finish_f)
            t_effort_f[i] = t + np.where(cap_f[i] > 0, (backlog[i] - done_f[i]) / np.where(cap_f[i] > 0, cap_f[i], 1.0), 0.0)
            effort_done_f[i] = True
        done_f += np.where(working_f, cap_f, 0.0)
        af = (~delivered_f).astype(float)
        i = np.nonzero(effort_done_f & ~delivered_f)
        when = np.maximum(t_effort_f[i], cp[i])
        now = when <= t + 1.0
        i = i[0][now], i[1][now]
        af[i] = when[now] - t
        delivered_f[i] = True
        pv["delay_f"] += (d * v) * cod * af

        # §4.4 flows of the month, scaled by the share of it worked
        d *= v
        learning = ramping + pp * in_transition  # shadowed by knowledge holders
        grown = heads * gpow
        full_spend = grown * R["spend_rate"] + heads * R["per_head"] + learning * R["transfer_per_head"] + \
            hires * R["per_hire"]
        spend = active * full_spend + risk
        spend[completing] += completion
        da = d * active
        sums["heads"] += da * heads
        sums["grown"] += da * grown
        sums["learning"] += da * learning
        sums["hires"] += da * hires
        pv["risk"] += d * risk
        pv["transition"][completing] += d * completion
        delay = active * cod
        pv["delay"] += d * delay
        pv["useful"] += output
        pv["lost"] += active * (va0 + va1 + (1.0 - R["rho"]) * ra)
        flow = d * (spend + delay)
        if t == 0:
            flow += one_time
            spend += one_time
        spend_tr[t] = spend
        output_tr[t] = output
        cum += flow[0] - flow[1]
        last_negative[cum < 0] = t + 1.0
        active_months += active > 0
        if t == horizon - 1:  # the run-on's run rates (they matter only for teams still at work)
            last = {"heads": heads, "learning": learning, "hires": hires, "growth": gpow.copy(),
                    "full_spend": full_spend, "cap": cap, "cap_f": cap_f}

        # end of month: attrition to the leavers' vacancies, then graduation
        va0 += R["attrition"] * (R["seats0"] - v00 - va0)
        va1 += R["attrition"] * (R["seats1"] - v01 - va1)
        r0 *= R["keep"]
        ra *= R["keep"]
        pp *= R["keep"]
        pp += R["graduate"] * (r0 + ra)
        r0 *= R["stay"]
        ra *= R["stay"]
        rf += R["attrition"] * pf
        pf *= R["keep"]
        pf += R["graduate"] * rf
        rf *= R["stay"]
        gpow *= R["growth"]

    # §4.3 run-on of a project not delivered within the horizon, at the last month's run rate
    # (month k after the horizon discounted by d v^k and escalated by g^k), until its expected
    # delivery, at most 120 months
    late = ~delivered
    with np.errstate(divide="ignore", invalid="ignore"):
        tail = np.where(last["cap"] > 0, (backlog - done) / last["cap"], MAX_TAIL_MONTHS)
    tail = np.where(effort_done, np.maximum(0.0, cp - horizon), np.maximum(tail, cp - horizon))
    tail = np.where(late, np.minimum(tail, MAX_TAIL_MONTHS), 0.0)
    delivery = np.where(late, horizon + tail, delivery)
    a_flat = annuity(v, tail)  # 0 where tail = 0
    a_grow = annuity(v * R["growth"], tail)
    sums["heads"] += d * last["heads"] * a_flat
    sums["grown"] += d * last["heads"] * last["growth"] * a_grow
    sums["learning"] += d * last["learning"] * a_flat
    sums["hires"] += d * last["hires"] * a_flat
    pv["transition"] += np.where(late, d * np.power(v, tail) * R["exit"], 0.0)
    pv["delay"] += d * cod * a_flat
    tail_flow = np.where(late, last["full_spend"] + cod, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        tail_f = np.where(last["cap_f"] > 0, (backlog - done_f) / last["cap_f"], MAX_TAIL_MONTHS)
    tail_f = np.minimum(np.maximum(tail_f, cp - horizon), MAX_TAIL_MONTHS)
    pv["delay_f"] += np.where(delivered_f, 0.0, d * cod * annuity(v, tail_f))
    delay_f = np.minimum(pv["delay_f"], pv["delay"])
    flush(...)

    o = {
        "labour_cost": pv["useful_labour"],
        "quality_cost": pv["quality_labour"] + pv["other_quality"],
        "transition_cost": pv["transition"] + one_time,
        "management_cost": pv["management"],
        "talent_cost": pv["hiring"] + (pv["delay"] - delay_f),
        "delivery_cost": delay_f,
        "risk_cost": pv["risk"],
    }
    o["total_cost"] = (o["labour_cost"] + o["quality_cost"] + o["transition_cost"] + o["management_cost"] +
                       o["talent_cost"] + o["delivery_cost"] + o["risk_cost"])
    o["delay_cost"] = pv["delay"]
    o["spend"] = o["total_cost"] - pv["delay"]
    o["delivery_month"] = delivery
    o["delivered"] = (delivery <= horizon).astype(float)
    o["billed_rate_usd"] = a["hourly_rate_usd"] * a["overhead_loading"] * (1.0 + a["vendor_margin"])
    o["capability_tier"], o["rework_share"], o["coordination_penalty"] = own["tier"], own["w"], own["coord"]
    o["useful_share"] = own["useful"]
    o["reramp_engineer_months"] = pv["lost"]
    o["useful_engineer_months"] = pv["useful"]
    o["billed_hours_pv"] = pv["hours"]

    # §4.5 comparison with the baseline (row 0); the baseline keeps the defaults
    b = 0
    for k, x in (("net_benefit", 0.0), ("net_saving", 0.0), ("delivery_value", 0.0), ("roi", 0.0),
                 ("breakeven_month", 1.0), ("breakeven_in_horizon", 1.0), ("parity_month", 1.0),
                 ("parity_in_horizon", 1.0), ("gross_rate_saving", 0.0)) + tuple((f, 0.0) for f in BARS):
        o[k] = np.full(shape, x)
    labour_total = pv["useful_labour"] + pv["quality_labour"]
    with np.errstate(divide="ignore", invalid="ignore"):
        price = np.where(pv["hours"] > 0, labour_total / pv["hours"], o["billed_rate_usd"])
    pb, pa = price[b], price[1]
    useful_hours = pv["hours"] - pv["quality_hours"]
    dv = o["delay_cost"][b] - o["delay_cost"][1]
    o["delivery_value"][1] = dv
    o["net_benefit"][1] = o["spend"][b] - o["spend"][1] + dv
    o["nb_rate_gap"][1] = (pb - pa) * pv["hours"][1]
    o["nb_volume"][1] = pb * (useful_hours[b] - useful_hours[1])
    o["nb_quality"][1] = pb * (pv["quality_hours"][b] - pv["quality_hours"][1]) + \
        (pv["other_quality"][b] - pv["other_quality"][1])
    for bar, comp in (("nb_transition", "transition_cost"), ("nb_management", "management_cost"),
                      ("nb_talent", "talent_cost"), ("nb_delivery", "delivery_cost"), ("nb_risk", "risk_cost")):
        o[bar][1] = o[comp][b] - o[comp][1]
    with np.errstate(divide="ignore", invalid="ignore"):
        o["net_saving"][1] = np.where(o["spend"][b] != 0, (o["spend"][b] - o["spend"][1]) / o["spend"][b], 0.0)
        o["roi"][1] = np.where(o["total_cost"][1] != 0, o["net_benefit"][1] / o["total_cost"][1], 0.0)
    o["gross_rate_saving"][1] = 1.0 - o["billed_rate_usd"][1] / o["billed_rate_usd"][b]

    # Cash break-even: the last month with negative cumulative net benefit, continued through
    # the run-on phases (both running, then the later one alone) at their discounted rates;
    # never if the net benefit is negative (the run-on flows leave out escalation).
    d_end = v ** horizon
    tb, ta = tail[b], tail[1]
    k1, k2 = np.minimum(tb, ta), np.maximum(tb, ta)
    rate1 = d_end * (tail_flow[b] * (tb > 0) - tail_flow[1] * (ta > 0))
    rate2 = d_end * np.where(tb > ta, tail_flow[b], -tail_flow[1])
    ann1 = annuity(v, k1)
    cum1 = cum + rate1 * ann1
    cum2 = cum1 + rate2 * (annuity(v, k2) - ann1)
    phase2 = horizon + np.maximum(k1, months_to_recover(cum1 + rate2 * -ann1, rate2, v, k2)) + 1.0
    phase1 = horizon + months_to_recover(cum, rate1, v, k1) + 1.0
    be = np.where((cum2 < 0) | (o["net_benefit"][1] < 0), NEVER,
                  np.where(cum1 < 0, phase2, np.where(cum < 0, phase1, last_negative + 1.0)))
    o["breakeven_month"][1] = np.minimum(be, NEVER)
    # parity beyond the horizon only while both teams still work at it
    traces = (spend_tr, output_tr, active_months, last["full_spend"], last["cap"], (tail[0] > 0) & (tail[1] > 0), horizon)
    o["parity_month"][1] = np.minimum(parity(*traces), NEVER)
    if tie > 0:
        o["parity_lo"], o["parity_hi"] = (np.minimum(parity(*traces, tie=x), NEVER) for x in (tie, -tie))
    o["breakeven_in_horizon"][1] = (o["breakeven_month"][1] <= horizon).astype(float)
    o["parity_in_horizon"][1] = (o["parity_month"][1] <= horizon).astype(float)
    return o


def parity(spend, output, active_months, last_spend, last_output, running, horizon, tie=0.0):
    """Cost parity: the first month from which the alternative's trailing-12-month spend per
    useful engineer-month stays <= the baseline's, over the months both work; beyond the
    horizon (where `running`: both teams still at work) the window rolls on for a year at the
    last month's run rates. tie = 0: offroi's
    rule. tie > 0: near-ties count as not dearer (sa ob - sb oa > tie |sb oa| is dearer; a
    window output oa <= tie is taken as a rounding residue of 0, which may go either way);
    tie < 0: near-ties count as dearer (and oa <= |tie| as no output, dearer)."""
    w = PARITY_WINDOW

    def above(sb, sa, ob, oa):  # the alternative dearer per unit than the baseline (no output yet: dearer)
        if tie == 0:
            return ~(oa > 0) | ((ob > 0) & (sa * ob > sb * oa))
        dearer = (ob > 0) & (sa * ob - sb * oa > tie * np.abs(sb * oa))
        none = ~(oa > abs(tie))
        return (~none & dearer) if tie > 0 else (none | dearer)

    end = np.minimum(active_months[0], active_months[1])
    # Trailing-window sums of every month at once: the months of the horizon followed by a
    # year at the last month's run rates, cumulated along the months; a window is the
    # difference of two cumulative sums 12 months apart. (The same sums as offroi's running
    # window up to rounding: near-ties are what `tie` is for.)
    ext = horizon + w
    cum_s = np.empty((ext,) + spend.shape[1:])
    cum_s[:horizon] = spend
    cum_s[horizon:] = last_spend
    cum_o = np.empty((ext,) + output.shape[1:])
    cum_o[:horizon] = output
    cum_o[horizon:] = last_output
    np.cumsum(cum_s, axis=0, out=cum_s)
    np.cumsum(cum_o, axis=0, out=cum_o)
    win_s, win_o = cum_s.copy(), cum_o.copy()
    win_s[w:] -= cum_s[:-w]
    win_o[w:] -= cum_o[:-w]
    dearer = above(win_s[:, 0], win_s[:, 1], win_o[:, 0], win_o[:, 1])  # (ext, n)
    months = np.arange(horizon, dtype=float)[:, None]
    # the last month within the months both work in which the alternative is dearer
    last_above = np.max(np.where(dearer[:horizon] & (months < end), months + 1.0, 0.0), axis=0)
    res = np.where(last_above < end, last_above + 1.0, NEVER)
    # Both still at work at the horizon and dearer in its last month: the window rolls on at
    # the run rates; the first month of that year in which the alternative is not dearer.
    late = (last_above >= end) & (end >= horizon) & running
    cheaper = ~dearer[horizon:]
    hit = late & cheaper.any(axis=0)
    return np.where(hit, horizon + np.argmax(cheaper, axis=0) + 1.0, res)


def simulate(n, seed, draws="numpy", chunk=10_000, mutate=None):
    """Samples and evaluates n trials in chunks (to bound memory); returns the outputs (dict of
    (2, n)) and the CPU seconds spent sampling and evaluating."""
    rng = np.random.default_rng(seed)
    parts, t_sample, t_eval = [], 0.0, 0.0
    for start in range(0, n, chunk):
        m = min(chunk, n - start)
        t0 = time.process_time()
        scen, arr, ev = sample(m, rng, draws)
        t1 = time.process_time()
        parts.append(evaluate(scen, arr, ev, mutate=mutate))
        t2 = time.process_time()
        t_sample += t1 - t0
        t_eval += t2 - t1
    out = {k: np.concatenate([p[k] for p in parts], axis=1) for k in parts[0]}
    return out, t_sample, t_eval


# ---------------------------------------------------------------- agreement with offroi
def quantile_with_se(x, q, z=1.96):
    """Sample quantile (numpy's linear interpolation) and its standard error from the
    distribution-free order-statistic interval: ranks n q -/+ z sqrt(n q (1 - q)) bound a
    ~95% interval, whose half-width / z is the SE."""
    xs = np.sort(x)
    n = xs.size
    h = z * math.sqrt(n * q * (1 - q))
    lo = xs[max(0, int(math.floor(n * q - h)))]
    hi = xs[min(n - 1, int(math.ceil(n * q + h)))]
    return float(np.quantile(xs, q)), float((hi - lo) / (2 * z))


def summarize(x):
    """mean, its SE, and P10/P50/P90 with their SEs."""
    s = {"mean": float(np.mean(x)), "mean_se": float(np.std(x, ddof=1) / math.sqrt(x.size))}
    for q in (0.1, 0.5, 0.9):
        s[f"p{int(q * 100)}"], s[f"p{int(q * 100)}_se"] = quantile_with_se(x, q)
    return s


def run_offroi(exe, n, seed, threads=2):
    """`offroi run --trials n --seed seed --threads T --driver-trials 0 --format json` on the
    built-in default scenario; the parsed JSON."""
    cmd = [exe, "run", "--trials", str(n), "--seed", str(seed), "--threads", str(threads),
           "--driver-trials", "0", "--format", "json"]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(res.stdout)


def offroi_summary(out):
    """mean, SE, P10/P50/P90 and their SEs from one output of offroi's JSON (a percentile's SE
    is its reported interval's half-width over the interval's z)."""
    z = {0.90: 1.6448536269514722, 0.95: 1.959963984540054, 0.99: 2.5758293035489004}[round(out["confidence_level"], 2)]
    s = {"mean": out["mean"], "mean_se": out["standard_error"]}
    for p in out["percentiles"]:
        for q in (0.1, 0.5, 0.9):
            if abs(p["p"] - q) < 1e-12:
                key = f"p{int(q * 100)}"
                s[key] = p["value"]
                s[key + "_se"] = (p["ci"][1] - p["ci"][0]) / (2 * z)
    return s


# Outputs whose P10/P50/P90 are compared too (continuous ones; the months and 0/1 flags have
# point masses, where a percentile's SE is not meaningful: their means are compared).
PERCENTILE_OUTPUTS = ("total_cost", "spend", "net_benefit", "net_saving", "delivery_value", "roi")


def agreement(exe, n, seed, threads, limit, mutate=None):
    """Compares numpy and offroi at n trials each (independent random numbers) on every output
    offroi's `run` reports (its essential outputs): the mean of each, P10/P50/P90 of the
    continuous ones, and P(net loss). Prints one line per statistic with
    z = difference / sqrt(SE_numpy^2 + SE_offroi^2); returns the largest |z|."""
    out, _, _ = simulate(n, seed, mutate=mutate)
    j = run_offroi(exe, n, seed, threads)
    arr = {a["name"]: a for a in j["arrangements"]}
    rows = []
    for i, name in enumerate(ARRANGEMENTS):
        fields = ESSENTIAL_BASE + (ESSENTIAL_ALT if i == 1 else ())
        missing = [f for f in fields if f not in arr[name]["outputs"]]
        if missing:
            raise RuntimeError(f"{exe} does not report {name}.{missing}")
        for f in fields:
            a, b = summarize(out[f][i]), offroi_summary(arr[name]["outputs"][f])
            for k in ("mean", "p10", "p50", "p90") if f in PERCENTILE_OUTPUTS else ("mean",):
                se = math.hypot(a[k + "_se"], b[k + "_se"])
                if se > 0:
                    rows.append((f"{name}.{f}", k, a[k], b[k], se, (a[k] - b[k]) / se))
                elif a[k] != b[k]:  # both constant but different
                    rows.append((f"{name}.{f}", k, a[k], b[k], se, math.inf))
    p_np = float(np.mean(out["net_benefit"][1] < 0))
    p_or = arr[ARRANGEMENTS[1]]["prob_net_loss"]
    pbar = 0.5 * (p_np + p_or)
    se = math.sqrt(2 * pbar * (1 - pbar) / n)
    rows.append((f"{ARRANGEMENTS[1]}.prob_net_loss", "", p_np, p_or, se, (p_np - p_or) / se))
    print(f"agreement at {n} trials (numpy seed {seed}, offroi seed {seed}; independent streams)")
    print(f"  {'output':40s} {'stat':4s} {'numpy':>14s} {'offroi':>14s} {'SE(diff)':>11s} {'z':>6s}")
    worst = 0.0
    for name, k, x, y, se, zz in rows:
        flag = "" if abs(zz) <= limit else "  <-- DISAGREES"
        print(f"  {name:40s} {k:4s} {x:14.6g} {y:14.6g} {se:11.4g} {zz:6.2f}{flag}")
        worst = max(worst, abs(zz))
    print(f"  {len(rows)} statistics; largest |z| = {worst:.2f} (limit {limit})")
    return worst


def eval_inputs(n, seed):
    """Inputs for the per-trial check: n draws of the default scenario with the mechanisms the
    default scenario leaves off switched on and the rare branches made frequent."""
    rng = np.random.default_rng(seed)
    scen, arr, ev = sample(n, rng)
    u = lambda lo, hi, shape=(2, n): rng.uniform(lo, hi, shape)  # noqa: E731
    part = lambda share: rng.random(n) < share  # noqa: E731
    # frequent risk events (failure of either arrangement; the baseline's falls back on itself)
    arr["failure_annual_probability"][:] = u([[0.0], [0.0]], [[0.3], [0.6]])
    arr["vendor_switch_annual_probability"][:] = u([[0.0], [0.0]], [[0.3], [0.5]])
    arr["key_person_loss_annual_probability"][:] = u(0, 0.9)
    arr["security_incident_annual_probability"][:] = u(0, 0.5)
    # staffing and productivity mechanisms
    arr["initial_staffed_share"][:] = np.where(rng.random((2, n)) < 0.3, u(0, 1), 0.0)
    arr["initial_staffed_share"][:, part(0.1)] = 1.0  # existing, fully productive teams
    arr["follow_the_sun_share"][1] = np.where(part(0.5), u(0, 1, n), 0.0)
    arr["scope_isolation"][1] = u(0, 1, n)
    arr["vendor_margin"][1] = np.where(part(0.5), u(0, 0.3, n), 0.0)
    arr["annual_fx_drift"][:] = u(-0.5, 1)
    arr["annual_rate_escalation"][:, part(0.2)] = 0.0
    arr["capability_premium"][:] = u(-1, 1)  # the tier clamps at both ends
    arr["ramp_up_months"][0, : n // 10] = u(0, 1, n // 10)
    arr["niche_time_to_fill_months"][0, n // 10: n // 5] = np.inf
    arr["time_to_fill_months"][1, n // 5: n // 5 + n // 50] = 0.0
    short = part(0.1)
    arr["transition_months"][1, short] = u(0, 0.5, n)[short]
    arr["annual_attrition"][:, part(0.2)] = 0.0
    high = part(0.1)
    arr["annual_attrition"][:, high] = u(0.3, 0.9)[:, high]
    arr["hours_per_month"][:] = u(120, 200)
    arr["headcount"][:] = np.where(part(0.2), u(1, 30, n), 10.0)
    scen["legacy_ramp_up_months"] = np.where(part(0.4), u(0, 12, n), 0.0)
    scen["critical_path_months"] = np.where(part(0.4), u(0, 60, n), 0.0)  # binds, also beyond the horizon
    scen["leadership_supply_hours_per_week"] = np.where(part(0.4), u(5, 60, n), 1e6)  # deficits
    scen["backlog_engineer_months"][: n // 20] *= 3   # run-on beyond the horizon
    scen["backlog_engineer_months"][n // 20: n // 15] *= 40  # run-on capped at 120 months
    scen["backlog_engineer_months"][n // 15: n // 14] = 0.0
    arr["niche_time_to_fill_months"][1, n // 14: n // 13] = np.inf
    arr["time_to_fill_months"][1, n // 14: n // 13] = np.inf  # never staffed: no capacity at all
    return scen, arr, ev


def check_eval(exe, n=4000, seed=3, limit=1e-9, mutate=None):
    """Per-trial check of `evaluate` against offroi's `evaluate_trial` (the program
    bench/model/numpy_peer_eval.cpp, `exe`) on the same n input sets and event uniforms
    (eval_inputs); prints the largest relative difference |x - y| / max(1, |y|) of every output
    over the trials and returns the largest. Every output offroi prints must be computed by
    numpy, and every input numpy uses must be known to offroi."""
    known = set(subprocess.run([exe, "--fields"], capture_output=True, text=True, check=True).stdout.split())
    scen, arr, ev = eval_inputs(n, seed)
    cols, data = [], []
    for name, x in ([(f"s.{k}", x) for k, x in scen.items()] +
                    [(f"a{i}.{k}", x[i]) for i in range(2) for k, x in arr.items()] +
                    [(f"e{i}.{k}", x[i]) for i in range(2) for k, x in ev.items()]):
        if name not in known:
            raise RuntimeError(f"{exe} does not know input {name}")
        cols.append(name)
        data.append(x)
    if len(cols) != len(known):
        raise RuntimeError(f"inputs not set by numpy: {sorted(known - set(cols))}")
    rows = np.column_stack(data)
    text = " ".join(cols) + "\n" + "\n".join(" ".join(repr(float(v)) for v in r) for r in rows) + "\n"
    res = subprocess.run([exe], input=text, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"{exe} failed ({res.returncode}): {res.stderr.strip()}")
    lines = res.stdout.splitlines()
    names = lines[0].split()
    cpp = np.array([[float(v) for v in line.split()] for line in lines[1:]])
    if cpp.shape[0] != n:
        raise RuntimeError(f"{exe} returned {cpp.shape[0]} rows for {n} inputs")
    out = evaluate(scen, arr, ev, mutate=mutate, tie=1e-9)
    # Parity compares two trailing-year unit costs; where they are equal up to rounding
    # (after an alternative's failure in month 0 it is an exact replica of the baseline, bar
    # one-time costs) the month depends on the order of additions. There offroi's month must
    # lie between numpy's with near-ties (relative 1e-9) counted as not dearer and as dearer.
    parity_cpp = cpp[:, names.index("1.parity_month")]
    tied = (out["parity_lo"] != out["parity_hi"]) & (parity_cpp >= out["parity_lo"]) & (parity_cpp <= out["parity_hi"])
    worst, worst_name = 0.0, ""
    for j, name in enumerate(names):
        k, field = name.split(".", 1)
        if field not in out:
            raise RuntimeError(f"numpy does not compute output {field}")
        x, y = out[field][int(k)], cpp[:, j]
        rel = np.abs(x - y) / np.maximum(1.0, np.abs(y))
        rel = np.where(x == y, 0.0, rel)  # equal infinities
        if field in ("parity_month", "parity_in_horizon"):
            rel = np.where(tied, 0.0, rel)
        err = float(np.max(rel))
        if err > worst:
            worst, worst_name = err, name
        if err > limit:
            bad = int(np.argmax(rel))
            print(f"  {name:36s} max relative difference {err:.3g} (trial {bad}: numpy {x[bad]!r}, "
                  f"offroi {y[bad]!r}; {int(np.sum(rel > limit))} trials)  <-- DISAGREES")
    delivered = out["delivered"]
    print(f"per-trial check: {n} input sets ({np.mean(out['breakeven_month'][1] >= NEVER):.0%} never break even, "
          f"{1 - np.mean(delivered[1]):.0%}/{1 - np.mean(delivered[0]):.0%} not delivered in the horizon), "
          f"{len(names)} outputs compared, largest relative difference {worst:.3g} ({worst_name}; limit {limit:g}); "
          f"parity month differs but lies within numpy's tie range in {int(np.sum(tied & (out['parity_month'][1] != parity_cpp)))} "
          f"trials (of {int(np.sum(out['parity_lo'] != out['parity_hi']))} with rounding-level ties)")
    return worst


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trials", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--draws", choices=("numpy", "scipy"), default="numpy",
                    help="input draws: numpy Generator.beta/.lognormal (default) or scipy.stats rvs")
    ap.add_argument("--chunk", type=int, default=10_000, help="trials per vectorised chunk (10 000: the (2, n) arrays stay in the L2 cache)")
    ap.add_argument("--json", action="store_true", help="print a JSON line (timing and summaries)")
    ap.add_argument("--check", metavar="OFFROI_EXE",
                    help="agreement check against `offroi run` at --trials; exit 1 if some |z| > --limit")
    ap.add_argument("--threads", type=int, default=2, help="offroi threads for --check")
    ap.add_argument("--limit", type=float, default=4.5, help="largest |z| accepted by --check")
    ap.add_argument("--check-eval", metavar="NUMPY_PEER_EVAL_EXE",
                    help="per-trial check against bench/model/numpy_peer_eval.cpp; exit 1 on a difference > --eval-limit")
    ap.add_argument("--eval-trials", type=int, default=4000, help="input sets of --check-eval")
    ap.add_argument("--eval-limit", type=float, default=1e-9, help="largest relative difference accepted by --check-eval")
    ap.add_argument("--mutate", choices=("sync_loss",),
                    help="evaluate a deliberately wrong model (useful capacity 1%% low when there is "
                         "a coordination penalty), to show that the checks fail")
    args = ap.parse_args()
    if args.check_eval:
        sys.exit(0 if check_eval(args.check_eval, args.eval_trials, limit=args.eval_limit,
                                 mutate=args.mutate) <= args.eval_limit else 1)
    if args.check:
        sys.exit(0 if agreement(args.check, args.trials, args.seed, args.threads, args.limit,
                                mutate=args.mutate) <= args.limit else 1)

    t0, c0 = time.perf_counter(), time.process_time()
    out, t_sample, t_eval = simulate(args.trials, args.seed, args.draws, args.chunk, args.mutate)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    res = {"trials": args.trials, "seconds": wall, "cpu_seconds": cpu,
           "trials_per_second": args.trials / wall, "trials_per_cpu_second": args.trials / cpu,
           "sample_cpu_seconds": t_sample, "evaluate_cpu_seconds": t_eval, "draws": args.draws,
           "chunk": args.chunk, "summaries": {}}
    for i, name in enumerate(ARRANGEMENTS):
        for k in ("total_cost", "spend", "delivery_month") + (("net_benefit", "breakeven_month", "parity_month")
                                                              if i == 1 else ()):
            res["summaries"][f"{name}.{k}"] = summarize(out[k][i])
        res["summaries"][f"{name}.prob_delivered"] = float(np.mean(out["delivered"][i]))
        if i == 1:
            res["summaries"][f"{name}.prob_net_loss"] = float(np.mean(out["net_benefit"][1] < 0))
    if args.json:
        print(json.dumps(res))
    else:
        print(f"numpy: {args.trials} trials in {wall:.2f} s, {cpu:.2f} s CPU ({args.trials / wall:,.0f} trials/s; "
              f"CPU: sampling {t_sample:.2f} s, evaluation {t_eval:.2f} s; draws={args.draws})")
        for k, s in res["summaries"].items():
            if isinstance(s, float):
                print(f"  {k:40s} {s:.4f}")
            else:
                print(f"  {k:40s} mean {s['mean']:14.6g}  P10 {s['p10']:14.6g}  P50 {s['p50']:14.6g}  P90 {s['p90']:14.6g}")


if __name__ == "__main__":
    main()
