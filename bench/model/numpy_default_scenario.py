#!/usr/bin/python3
"""The default scenario of offroi (docs/model.md §7) written the way an analyst would write it
in a notebook: numpy vectorised over trials, a Python loop over the 36 months, scipy.stats
for the PERT (scaled beta) and lognormal draws and scipy/numpy for the Gaussian copula.

It is an independent transcription of docs/model.md and include/offroi/model/evaluate.hpp
(same inputs, distributions, correlations, monthly dynamics, discounting, risk events,
components, net benefit and payback month) with its own random numbers (numpy PCG64), so
that its results agree with offroi's in distribution, not bit for bit.

Run with /usr/bin/python3 (it has numpy and scipy):

    /usr/bin/python3 bench/model/numpy_default_scenario.py --trials 1000000 --seed 1
    /usr/bin/python3 bench/model/numpy_default_scenario.py --trials 200000 \
        --check build/release/src/offroi          # agreement check against the CLI

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
import scipy.special as sp
import scipy.stats as st

HORIZON = 36
ANNUAL_DISCOUNT_RATE = 0.10
ARRANGEMENTS = ("local_hiring", "offshore_team")
COMPONENTS = ("direct_cost", "delivery_cost", "talent_cost", "quality_cost", "management_cost",
              "risk_cost", "delivery_month")
COMPARISONS = ("cost_of_delay", "net_saving", "roi", "payback_month", "parity_month",
               "gross_rate_saving", "gross_rate_saving_usd")


# ---------------------------------------------------------------- distributions (docs §6)
class Pert:
    """PERT(a, m, b) with lambda = 4: a beta(alpha, beta) on [a, b] (Vose 2008)."""

    def __init__(self, a, m, b, lam=4.0):
        self.a, self.m, self.b = a, m, b
        self.alpha = 1.0 + lam * (m - a) / (b - a)
        self.beta = 1.0 + lam * (b - m) / (b - a)
        self.dist = st.beta(self.alpha, self.beta, loc=a, scale=b - a)

    def rvs(self, n, rng):
        return self.dist.rvs(size=n, random_state=rng)

    def ppf(self, u, method="betaincinv"):
        if method == "stats":  # scipy.stats.beta.ppf: exact but ~13 us per value
            return self.dist.ppf(u)
        if method == "interp":  # inverse of the cdf tabulated on 4097 x points
            x = np.linspace(self.a, self.b, 4097)
            return np.interp(u, st.beta.cdf(x, self.alpha, self.beta, loc=self.a, scale=self.b - self.a), x)
        # scipy.special.betaincinv: the same inverse, ~1.5 us per value
        return self.a + (self.b - self.a) * sp.betaincinv(self.alpha, self.beta, u)


class LogNormal:
    """Lognormal fitted to P10 and P90."""

    def __init__(self, p10, p90):
        z = st.norm.ppf(0.9)
        self.mu = 0.5 * (math.log(p10) + math.log(p90))
        self.sigma = (math.log(p90) - math.log(p10)) / (2.0 * z)
        self.dist = st.lognorm(s=self.sigma, scale=math.exp(self.mu))

    def rvs(self, n, rng):
        return self.dist.rvs(size=n, random_state=rng)


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
    }
    local = {  # in_house preset
        "headcount": 10.0, "hourly_rate_usd": Pert(85, 105, 140), "vendor_margin": 0.0,
        "hours_per_month": 160.0, "time_to_fill_months": LogNormal(1.3, 3.0),
        "niche_time_to_fill_months": LogNormal(3, 12), "ramp_up_months": Pert(2, 4, 8),
        "annual_attrition": Pert(0.08, 0.13, 0.20), "overlap_hours": 8.0, "scope_isolation": 0.0,
        "follow_the_sun_share": 0.0, "handoff_quality": Pert(0.2, 0.5, 0.8),
        "leadership_hours_per_engineer_week": Pert(1.5, 2.5, 4), "governance_share": 0.0,
        "vetting_rigor": Pert(0.5, 0.7, 0.9), "review_strength": Pert(0.5, 0.7, 0.9),
        "vendor_tier": Pert(0.7, 0.85, 1.0), "transition_months": 0.0,
        "transition_productivity": 1.0, "vendor_search_share": 0.0, "setup_cost_usd": 0.0,
        "cost_per_hire_usd": Pert(5e3, 15e3, 30e3), "exit_cost_usd": 0.0,
        "failure_annual_probability": 0.0, "reversal_cost_usd": 0.0,
        "security_incident_annual_probability": 0.03, "security_controls": Pert(0.4, 0.6, 0.8),
        "security_incident_cost_usd": LogNormal(50e3, 1e6),
        "key_person_loss_annual_probability": 0.10,
        "key_person_loss_engineer_months": Pert(1, 3, 6), "vendor_switch_annual_probability": 0.0,
        "knowledge_transfer_share": 0.0, "travel_usd_per_engineer_month": 0.0,
    }
    offshore = {  # offshore_team preset
        "headcount": 10.0, "hourly_rate_usd": Pert(22, 35, 50), "vendor_margin": 0.0,
        "hours_per_month": 160.0, "time_to_fill_months": LogNormal(0.5, 1.5),
        "niche_time_to_fill_months": LogNormal(1, 4), "ramp_up_months": Pert(3, 6, 12),
        "annual_attrition": Pert(0.13, 0.19, 0.28), "overlap_hours": Pert(1, 2, 4),
        "scope_isolation": 0.0, "follow_the_sun_share": 0.0, "handoff_quality": Pert(0.2, 0.5, 0.8),
        "leadership_hours_per_engineer_week": Pert(2, 3.5, 6),
        "governance_share": Pert(0.04, 0.06, 0.08), "vetting_rigor": Pert(0.3, 0.5, 0.7),
        "review_strength": Pert(0.3, 0.5, 0.7), "vendor_tier": Pert(0.2, 0.37, 0.55),
        "transition_months": Pert(3, 6, 12), "transition_productivity": Pert(0.5, 0.7, 0.9),
        "vendor_search_share": Pert(0.002, 0.01, 0.02), "setup_cost_usd": Pert(20e3, 50e3, 120e3),
        "cost_per_hire_usd": 0.0, "exit_cost_usd": LogNormal(20e3, 150e3),
        "failure_annual_probability": Pert(0.02, 0.04, 0.08),
        "reversal_cost_usd": LogNormal(100e3, 800e3),
        "security_incident_annual_probability": 0.06, "security_controls": Pert(0.3, 0.6, 0.9),
        "security_incident_cost_usd": LogNormal(50e3, 1e6),
        "key_person_loss_annual_probability": 0.20,
        "key_person_loss_engineer_months": Pert(1, 3, 6),
        "vendor_switch_annual_probability": 0.03,
        "knowledge_transfer_share": Pert(0.1, 0.25, 0.4),
        "travel_usd_per_engineer_month": Pert(100, 250, 600),
    }
    return scen, [local, offshore]


# Spearman 0.5 between each arrangement's hourly_rate_usd and vendor_tier, imposed with a
# Gaussian copula whose normal-score correlation is 2 sin(pi rho_s / 6).
RATE_TIER_SPEARMAN = 0.5


def sample(n, rng, ppf="betaincinv"):
    """Draws every input for n trials. Returns (scenario dict of (n,) arrays, arrangement dict
    of (2, n) arrays, event uniforms dict of (2, n) arrays)."""
    scen_d, arr_d = scenario_inputs()
    scen = {k: (d.rvs(n, rng) if not isinstance(d, float) else np.full(n, d)) for k, d in scen_d.items()}
    rho = 2.0 * math.sin(math.pi * RATE_TIER_SPEARMAN / 6.0)
    chol = np.linalg.cholesky(np.array([[1.0, rho], [rho, 1.0]]))
    arr = {k: np.empty((2, n)) for k in arr_d[0]}
    for i, spec in enumerate(arr_d):
        u = st.norm.cdf(chol @ rng.standard_normal((2, n)))  # copula uniforms (rate, tier)
        for k, d in spec.items():
            if k == "hourly_rate_usd":
                arr[k][i] = d.ppf(u[0], ppf)
            elif k == "vendor_tier":
                arr[k][i] = d.ppf(u[1], ppf)
            elif isinstance(d, float):
                arr[k][i] = d
            else:
                arr[k][i] = d.rvs(n, rng)
    events = {e: rng.random((2, n)) for e in ("failure", "vendor_switch", "security_incident", "key_person_loss")}
    return scen, arr, events


# ---------------------------------------------------------------- the model (docs §2-§5)
def event_month(u, p_annual, horizon):
    """First occurrence month floor(12 ln u / ln(1 - p)); horizon if it does not occur."""
    with np.errstate(divide="ignore", invalid="ignore"):
        x = 12.0 * np.log(u) / np.log1p(-np.minimum(p_annual, 1.0))
    x = np.where(p_annual <= 0.0, horizon, np.where(p_annual >= 1.0, 0.0, x))
    return np.where(x < horizon, np.floor(x), horizon).astype(np.int64)


def fill_probability(t_mean):
    with np.errstate(divide="ignore"):
        phi = -np.expm1(-1.0 / t_mean)
    return np.where(t_mean > 0, np.where(np.isinf(t_mean), 0.0, phi), 1.0)


# Whether the offroi model being matched computes the cost-parity month (since 1436811;
# set False to match an older offroi). The per-trial check always computes it.
PARITY = True


def evaluate(scen, a, ev, horizon=HORIZON, rate=ANNUAL_DISCOUNT_RATE, parity=None):
    """Evaluates both arrangements for every trial; returns a dict of (2, n) outputs (row 1
    carries the comparison with the baseline, row 0's comparison fields are 0 / 1)."""
    n_tr = scen["backlog_engineer_months"].shape[0]
    parity = PARITY if parity is None else parity
    v = (1.0 + rate) ** (-1.0 / 12.0)

    # §2 derived quantities
    n = a["headcount"]
    n_niche = n * scen["niche_role_share"]
    seats = np.stack([n - n_niche, np.broadcast_to(n_niche, n.shape)])  # (kind, arr, trial)
    fill = np.stack([fill_probability(a["time_to_fill_months"]),
                     fill_probability(a["niche_time_to_fill_months"])])
    attr = -np.expm1(np.log1p(-a["annual_attrition"]) / 12.0)
    ramp_mean = np.maximum(1.0, a["ramp_up_months"])
    grad = 1.0 / ramp_mean
    rho = 1.0 - a["ramp_up_months"] / (2.0 * ramp_mean)
    p = a["hourly_rate_usd"] * (1.0 + a["vendor_margin"])
    labour_per_head = a["hours_per_month"] * p
    lead = 0.4 + 1.2 * (3.0 / (3.0 + a["leadership_hours_per_engineer_week"]))
    w = np.minimum(0.95, scen["base_rework_share"] * (1.5 - a["vendor_tier"]) *
                   (1.0 - 0.5 * a["vetting_rigor"]) * (1.0 - 0.6 * a["review_strength"]) * lead)
    coord = np.minimum(0.95, scen["sync_work_share"] * (1.0 - a["scope_isolation"]) *
                       (1.0 - 0.89 ** (8.0 - a["overlap_hours"])) * lead)
    fts = 1.0 + a["follow_the_sun_share"] * (0.30 * a["handoff_quality"] - 0.15)
    useful = (1.0 - coord) * (1.0 - w) * fts
    escaped = 1.0 - 0.6 * a["review_strength"]
    direct_per_head = (1.0 - w) * labour_per_head
    quality_per_head = w * labour_per_head + scen["escaped_defect_cost_usd_per_engineer_month"] * w * escaped
    travel = a.get("travel_usd_per_engineer_month", 0.0)
    management_per_head = (a["leadership_hours_per_engineer_week"] * (52.0 / 12.0) * scen["leader_hourly_cost_usd"]
                           + a["governance_share"] * labour_per_head + travel)
    # knowledge transfer: the buyer's knowledge holders shadow the team for chi of its hours
    # while it is in transition, at the leaders' loaded cost
    transfer_per_head = (a.get("knowledge_transfer_share", 0.0) * a["hours_per_month"] *
                         scen["leader_hourly_cost_usd"])
    cost_per_head = direct_per_head + quality_per_head + management_per_head
    annual_contract = 12.0 * n * labour_per_head
    one_time = a["vendor_search_share"] * annual_contract + a["setup_cost_usd"]
    cod = scen["cost_of_delay_per_month_usd"]
    keep, stay = 1.0 - attr, 1.0 - grad

    # §5 event months
    p_fail = np.minimum(1.0, a["failure_annual_probability"] * lead * (1.25 - 0.5 * a["vetting_rigor"]))
    t_fail = event_month(ev["failure"], p_fail, horizon)
    t_switch = event_month(ev["vendor_switch"], a["vendor_switch_annual_probability"], horizon)
    t_sec = event_month(ev["security_incident"],
                        a["security_incident_annual_probability"] * (1.0 - a["security_controls"]), horizon)
    t_key = event_month(ev["key_person_loss"], a["key_person_loss_annual_probability"], horizon)
    fail_cost = a["reversal_cost_usd"] + a["exit_cost_usd"]
    switch_cost = a["exit_cost_usd"] + a["vendor_search_share"] * annual_contract

    # §3 state
    shape = (2, n_tr)
    v0 = seats.copy()
    va = np.zeros((2,) + shape)
    r0, ra, pp = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    rf, pf = np.broadcast_to(n, shape).copy(), np.zeros(shape)
    backlog = np.broadcast_to(scen["backlog_engineer_months"], shape).copy()
    done, done_f = np.zeros(shape), np.zeros(shape)
    delivered, delivered_f = np.zeros(shape, bool), np.zeros(shape, bool)
    delivery_month = np.full(shape, horizon + 1.0)
    restart = np.zeros(shape)
    sum_heads, sum_hires, sum_u, sum_u_f, risk_pv, lost, sum_transfer = (np.zeros(shape) for _ in range(7))
    spend_total, cap_total = np.zeros(shape), np.zeros(shape)  # undiscounted, for cost parity
    last_above = np.zeros(n_tr)  # last month (1-based) the alternative's unit cost is above the baseline's
    cum_net = np.zeros(n_tr)  # cumulative discounted net benefit (baseline - alternative)
    last_negative = np.zeros(n_tr)
    d = 1.0

    for t in range(horizon):
        # events at the start of month t
        is_fail, is_switch = t_fail == t, t_switch == t
        risk = np.where(is_fail, fail_cost, 0.0) + np.where(is_switch, switch_cost, 0.0)
        reset = is_fail | is_switch
        if reset.any():
            v0 = np.where(reset, seats, v0)
            va = np.where(reset, 0.0, va)
            r0, ra, pp, pf = (np.where(reset, 0.0, x) for x in (r0, ra, pp, pf))
            rf = np.where(reset, n, rf)
            restart = np.where(reset, t, restart)
        risk += np.where(t_sec == t, a["security_incident_cost_usd"], 0.0)
        backlog += np.where(t_key == t, a["key_person_loss_engineer_months"], 0.0)

        # hiring, heads, productive equivalent
        x0 = fill * v0
        xa = fill * va
        v0 = v0 - x0
        va = va - xa
        r0 = r0 + x0.sum(axis=0)
        ra = ra + xa.sum(axis=0)
        hires = x0.sum(axis=0) + xa.sum(axis=0)
        heads = r0 + ra + pp
        productive = rho * (r0 + ra) + pp
        productive_f = rho * rf + pf
        lost += va.sum(axis=0) + (1.0 - rho) * ra  # capacity lost to attrition (undiscounted)

        # §4 capacity with the transition factor
        in_transition = np.clip(a["transition_months"] - (t - restart), 0.0, 1.0)
        tau = 1.0 - (1.0 - a["transition_productivity"]) * in_transition
        transferring = heads * in_transition
        cap = productive * useful * tau
        cap_f = productive_f * useful * tau

        # delivery: undelivered share of the month
        with np.errstate(divide="ignore", invalid="ignore"):
            part = np.where(cap > 0, (backlog - done) / cap, 0.0)
            part_f = np.where(cap_f > 0, (backlog - done_f) / cap_f, 0.0)
        finishing = ~delivered & (done + cap >= backlog)
        u = np.where(delivered, 0.0, np.where(finishing, part, 1.0))
        delivery_month = np.where(finishing, t + u, delivery_month)
        done = np.where(delivered, done, done + cap)
        delivered = delivered | finishing
        finishing_f = ~delivered_f & (done_f + cap_f >= backlog)
        u_f = np.where(delivered_f, 0.0, np.where(finishing_f, part_f, 1.0))
        done_f = np.where(delivered_f, done_f, done_f + cap_f)
        delivered_f = delivered_f | finishing_f

        # discounted sums and the monthly cash flow (for the payback month)
        d *= v
        sum_heads += d * heads
        sum_hires += d * hires
        sum_u += d * u
        sum_u_f += d * u_f
        risk_pv += d * risk
        sum_transfer += d * transferring
        spend = heads * cost_per_head + transfer_per_head * transferring + a["cost_per_hire_usd"] * hires + risk
        flow = d * (spend + cod * u)
        if t == 0:
            flow = flow + one_time
            spend = spend + one_time
        cum_net += flow[0] - flow[1]
        last_negative = np.where(cum_net < 0, t + 1.0, last_negative)
        cap_total += cap
        if parity:  # cost parity: cumulative spend (no cost of delay) per useful engineer-month
            spend_total += spend
            with np.errstate(divide="ignore", invalid="ignore"):
                unit = np.where(cap_total > 0, spend_total / cap_total, np.inf)
            last_above = np.where(~((unit[1] < np.inf) & (unit[1] <= unit[0])), t + 1.0, last_above)

        # end of month: attrition to Va, then graduation
        va = va + attr * (seats - v0 - va)
        r0, ra, pp = r0 * keep, ra * keep, pp * keep
        pp = pp + grad * (r0 + ra)
        r0, ra = r0 * stay, ra * stay
        rf = rf + attr * pf
        pf = pf * keep + grad * rf
        rf = rf * stay

    out = {
        "direct_cost": one_time + direct_per_head * sum_heads + transfer_per_head * sum_transfer,
        "useful_engineer_months": cap_total,
        "delivery_cost": cod * sum_u_f,
        "talent_cost": cod * (sum_u - sum_u_f) + a["cost_per_hire_usd"] * sum_hires,
        "quality_cost": quality_per_head * sum_heads,
        "management_cost": management_per_head * sum_heads,
        "risk_cost": risk_pv,
        "labour_cost": labour_per_head * sum_heads,
        "delay_cost": cod * sum_u,
        "delivery_month": delivery_month,
        "billed_rate_usd": p,
        "rework_share": w,
        "coordination_penalty": coord,
        "reramp_engineer_months": lost,
    }
    out["total_cost"] = (out["direct_cost"] + out["delivery_cost"] + out["talent_cost"] +
                         out["quality_cost"] + out["management_cost"] + out["risk_cost"])
    base_total = out["total_cost"][0]
    nb = np.zeros(shape)
    nb[1] = base_total - out["total_cost"][1]
    out["net_benefit"] = nb
    out["net_saving"] = np.zeros(shape)
    out["net_saving"][1] = np.where(base_total != 0, nb[1] / base_total, 0.0)
    out["roi"] = np.zeros(shape)
    out["roi"][1] = np.where(out["total_cost"][1] != 0, nb[1] / out["total_cost"][1], 0.0)
    out["cost_of_delay"] = out["delay_cost"] - out["delay_cost"][0]
    out["gross_rate_saving"] = 1.0 - p / p[0]
    out["gross_rate_saving_usd"] = out["labour_cost"] * (p[0] / p - 1.0)
    out["payback_month"] = np.ones(shape)
    out["payback_month"][1] = last_negative + 1.0
    if parity:
        out["parity_month"] = np.ones(shape)
        out["parity_month"][1] = last_above + 1.0
    return out


def simulate(n, seed, ppf="betaincinv", chunk=50_000):
    """Samples and evaluates n trials in chunks (to bound memory); returns the outputs and the
    CPU seconds spent sampling and evaluating."""
    rng = np.random.default_rng(seed)
    parts, t_sample, t_eval = [], 0.0, 0.0
    for start in range(0, n, chunk):
        m = min(chunk, n - start)
        t0 = time.process_time()
        scen, arr, ev = sample(m, rng, ppf)
        t1 = time.process_time()
        parts.append(evaluate(scen, arr, ev))
        t2 = time.process_time()
        t_sample += t1 - t0
        t_eval += t2 - t1
    out = {k: np.concatenate([p[k] for p in parts], axis=1) for k in parts[0]}
    return out, t_sample, t_eval


# ---------------------------------------------------------------- agreement with offroi
def quantile_with_se(x, q, z=1.96):
    """Sample quantile (linear interpolation, as numpy) and its standard error from the
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
    """Runs `offroi run --trials n --seed seed --threads T --driver-trials 0 --format json`
    (the default scenario) and returns the parsed JSON."""
    cmd = [exe, "run", "--trials", str(n), "--seed", str(seed), "--threads", str(threads),
           "--driver-trials", "0", "--format", "json"]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(res.stdout)


def offroi_summary(out):
    """mean, SE, P10/P50/P90 and their SEs from one output of offroi's JSON (the SE of a
    percentile is its reported interval's half-width over the interval's z)."""
    z = st.norm.ppf(0.5 + 0.5 * out["confidence_level"])
    s = {"mean": out["mean"], "mean_se": out["standard_error"]}
    for p in out["percentiles"]:
        for q in (0.1, 0.5, 0.9):
            if abs(p["p"] - q) < 1e-12:
                key = f"p{int(q * 100)}"
                s[key] = p["value"]
                s[key + "_se"] = (p["ci"][1] - p["ci"][0]) / (2 * z) if isinstance(p["ci"], list) else \
                    (p["ci"]["upper"] - p["ci"]["lower"]) / (2 * z)
    return s


def agreement(exe, n, seed, threads, limit):
    """Compares numpy and offroi at n trials each (independent random numbers): the mean and
    P10/P50/P90 of net benefit and of each arrangement's total cost, and P(net loss). Prints
    one line per statistic with z = difference / sqrt(SE_numpy^2 + SE_offroi^2); returns
    the largest |z|."""
    out, _, _ = simulate(n, seed)
    j = run_offroi(exe, n, seed, threads)
    arr = {a["name"]: a for a in j["arrangements"]}
    rows = []
    for i, name in enumerate(ARRANGEMENTS):
        fields = ("total_cost", "net_benefit") if i == 1 else ("total_cost",)
        for f in fields:
            a, b = summarize(out[f][i]), offroi_summary(arr[name]["outputs"][f])
            for k in ("mean", "p10", "p50", "p90"):
                se = math.hypot(a[k + "_se"], b[k + "_se"])
                rows.append((f"{name}.{f}", k, a[k], b[k], se, (a[k] - b[k]) / se))
    # Means of the components and months: a transcription difference in one component
    # shows up here even when the totals agree.
    for i, name in enumerate(ARRANGEMENTS):
        comps = COMPONENTS + (COMPARISONS if i == 1 else ())
        for f in comps:
            if f not in arr[name]["outputs"] or f not in out:  # not reported by this offroi / numpy setting
                continue
            x, b = out[f][i], arr[name]["outputs"][f]
            se_np = float(np.std(x, ddof=1) / math.sqrt(x.size))
            se = math.hypot(se_np, b["standard_error"])
            if se > 0:
                rows.append((f"{name}.{f}", "mean", float(np.mean(x)), b["mean"], se,
                             (float(np.mean(x)) - b["mean"]) / se))
    p_np = float(np.mean(out["net_benefit"][1] < 0))
    p_or = arr[ARRANGEMENTS[1]]["prob_net_loss"]
    pbar = 0.5 * (p_np + p_or)
    se = math.sqrt(2 * pbar * (1 - pbar) / n)
    rows.append((f"{ARRANGEMENTS[1]}.prob_net_loss", "", p_np, p_or, se, (p_np - p_or) / se))
    print(f"agreement at {n} trials (numpy seed {seed}, offroi seed {seed}; independent streams)")
    print(f"  {'output':34s} {'stat':4s} {'numpy':>14s} {'offroi':>14s} {'SE(diff)':>11s} {'z':>6s}")
    worst = 0.0
    for name, k, x, y, se, zz in rows:
        flag = "" if abs(zz) <= limit else "  <-- DISAGREES"
        print(f"  {name:34s} {k:4s} {x:14.6g} {y:14.6g} {se:11.4g} {zz:6.2f}{flag}")
        worst = max(worst, abs(zz))
    print(f"  largest |z| = {worst:.2f} (limit {limit})")
    return worst


def check_eval(exe, n=4000, seed=3, limit=1e-9):
    """Exact per-trial check of `evaluate` against offroi's `evaluate_trial` (the program
    bench/model/numpy_peer_eval.cpp, `exe`): n input sets from the default scenario's sampler,
    with risk events made frequent and the rarely used mechanisms switched on (follow-the-sun,
    scope isolation, vendor margin, ramp-up < 1 month, never-filled niche seats, triple
    backlogs), evaluated by both; prints the largest relative difference per output
    (|x - y| / max(1, |y|)) and returns the largest."""
    known = set(subprocess.run([exe, "--fields"], capture_output=True, text=True, check=True).stdout.split())
    rng = np.random.default_rng(seed)
    scen, arr, ev = sample(n, rng)
    for k, hi in (("knowledge_transfer_share", 0.4), ("travel_usd_per_engineer_month", 600.0)):
        if f"a1.{k}" in known:  # mechanisms of the newer model: exercise them
            arr[k] = rng.uniform(0, hi, (2, n))
    arr["failure_annual_probability"][:] = rng.uniform(0, [[0.3], [0.6]], (2, n))
    arr["vendor_switch_annual_probability"][:] = rng.uniform(0, [[0.3], [0.5]], (2, n))
    arr["key_person_loss_annual_probability"][:] = rng.uniform(0, 0.9, (2, n))
    arr["security_incident_annual_probability"][:] = rng.uniform(0, 0.5, (2, n))
    arr["follow_the_sun_share"][1] = rng.uniform(0, 1, n)
    arr["scope_isolation"][1] = rng.uniform(0, 1, n)
    arr["vendor_margin"][1] = rng.uniform(0, 0.3, n)
    arr["ramp_up_months"][0, : n // 10] = rng.uniform(0, 1, n // 10)
    arr["niche_time_to_fill_months"][0, n // 10: n // 5] = np.inf
    scen["backlog_engineer_months"][: n // 20] *= 3
    cols, data = [], []

    def add(name, x):
        if name in known:
            cols.append(name)
            data.append(x)
        elif np.any(x != 0):  # a field offroi does not have must be neutral (0) in numpy
            raise RuntimeError(f"{exe} does not know input {name}, which numpy sets non-zero")

    for k, x in scen.items():
        add(f"s.{k}", x)
    for i in range(2):
        for k, x in arr.items():
            add(f"a{i}.{k}", x[i])
        for k, x in ev.items():
            add(f"e{i}.{k}", x[i])
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
    out = evaluate(scen, arr, ev, parity=True)
    worst, compared, skipped = 0.0, 0, []
    for j, name in enumerate(names):
        k, field = name.split(".", 1)
        if field not in out:
            skipped.append(field)
            continue
        x, y = out[field][int(k)], cpp[:, j]
        err = float(np.max(np.abs(x - y) / np.maximum(1.0, np.abs(y))))
        compared += 1
        worst = max(worst, err)
        if err > limit:
            print(f"  {name:36s} max relative difference {err:.3g}  <-- DISAGREES")
    print(f"per-trial check: {n} input sets, {compared} outputs compared, largest relative "
          f"difference {worst:.3g} (limit {limit:g}); not computed by numpy: {sorted(set(skipped))}")
    return worst


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trials", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--ppf", choices=("betaincinv", "interp", "stats"), default="betaincinv",
                    help="inverse beta cdf for the copula's PERT marginals")
    ap.add_argument("--chunk", type=int, default=50_000, help="trials per vectorised chunk (memory; 10k-250k run at about the same speed)")
    ap.add_argument("--json", action="store_true", help="print a JSON line (timing and summaries)")
    ap.add_argument("--check", metavar="OFFROI_EXE",
                    help="agreement check against `offroi run` at --trials; exit 1 if some |z| > --limit")
    ap.add_argument("--threads", type=int, default=2, help="offroi threads for --check")
    ap.add_argument("--limit", type=float, default=4.5, help="largest |z| accepted by --check")
    ap.add_argument("--check-eval", metavar="NUMPY_PEER_EVAL_EXE",
                    help="exact per-trial check against bench/model/numpy_peer_eval.cpp; exit 1 on a difference > 1e-9")
    args = ap.parse_args()
    if args.check_eval:
        sys.exit(0 if check_eval(args.check_eval) <= 1e-9 else 1)
    if args.check:
        sys.exit(0 if agreement(args.check, args.trials, args.seed, args.threads, args.limit) <= args.limit else 1)

    t0, c0 = time.perf_counter(), time.process_time()
    out, t_sample, t_eval = simulate(args.trials, args.seed, args.ppf, args.chunk)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    res = {"trials": args.trials, "seconds": wall, "cpu_seconds": cpu,
           "trials_per_second": args.trials / wall, "trials_per_cpu_second": args.trials / cpu,
           "sample_cpu_seconds": t_sample, "evaluate_cpu_seconds": t_eval, "ppf": args.ppf,
           "summaries": {}}
    for i, name in enumerate(ARRANGEMENTS):
        for k in ("total_cost", "net_benefit", "net_saving", "payback_month", "parity_month", "delivery_month"):
            if (k in ("net_benefit", "net_saving", "payback_month", "parity_month") and i == 0) or k not in out:
                continue
            res["summaries"][f"{name}.{k}"] = summarize(out[k][i])
        if i == 1:
            res["summaries"][f"{name}.prob_net_loss"] = float(np.mean(out["net_benefit"][1] < 0))
    if args.json:
        print(json.dumps(res))
    else:
        print(f"numpy: {args.trials} trials in {wall:.2f} s, {cpu:.2f} s CPU ({args.trials / wall:,.0f} trials/s; "
              f"CPU: sampling {t_sample:.2f} s, evaluation {t_eval:.2f} s; ppf={args.ppf})")
        for k, s in res["summaries"].items():
            if isinstance(s, float):
                print(f"  {k:40s} {s:.4f}")
            else:
                print(f"  {k:40s} mean {s['mean']:14.6g}  P10 {s['p10']:14.6g}  P50 {s['p50']:14.6g}  P90 {s['p90']:14.6g}")


if __name__ == "__main__":
    main()
