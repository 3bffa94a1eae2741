"""Human names for inputs, outputs and arrangements (what a board reads on a chart).

Every scenario input has a short description here (from docs/scenario-format.md §3 and §5);
:func:`input_label` turns ``"offshore_team.hourly_rate_usd"`` into ``"offshore_team:
hourly rate (USD/h)"``. Labels given by the caller (``labels={...}``) take precedence. The
palette gives each arrangement one colour in every plot, keyed by its name
(:func:`arrangement_colours`): the baseline is grey, so the same scenario draws an
arrangement in the same colour everywhere.
"""
from __future__ import annotations

from typing import Dict, Iterable, Mapping, Optional

__all__ = ["FIELD_LABELS", "OUTPUT_LABELS", "PALETTE", "BASELINE_COLOUR", "input_label", "output_label",
           "arrangement_colours", "colour_of"]

#: Short human names of the inputs, by field (scenario-level and arrangement-level).
FIELD_LABELS: Dict[str, str] = {
    # scenario-level (shared) inputs
    "backlog_engineer_months": "backlog (engineer-months)",
    "cost_of_delay_per_month_usd": "cost of delay (USD/month)",
    "niche_role_share": "share of niche roles",
    "sync_work_share": "share of synchronous work",
    "base_rework_share": "base rework share",
    "leader_hourly_cost_usd": "leaders' cost (USD/h)",
    "escaped_defect_cost_usd_per_engineer_month": "escaped-defect cost (USD/eng-month)",
    "legacy_ramp_up_months": "legacy ramp-up (months)",
    "critical_path_months": "critical path (months)",
    "scope_growth": "scope growth",
    "leadership_supply_hours_per_week": "leadership supply (h/week)",
    # arrangement inputs
    "headcount": "headcount",
    "hourly_rate_usd": "hourly rate (USD/h)",
    "overhead_loading": "overhead loading",
    "vendor_margin": "vendor margin",
    "annual_rate_escalation": "rate escalation (per year)",
    "annual_fx_drift": "FX drift (per year)",
    "hours_per_month": "billed hours per month",
    "initial_staffed_share": "seats staffed at start",
    "time_to_fill_months": "time to fill a seat (months)",
    "niche_time_to_fill_months": "time to fill a niche seat (months)",
    "ramp_up_months": "ramp-up (months)",
    "legacy_learning_factor": "legacy learning factor",
    "annual_attrition": "attrition (per year)",
    "overlap_hours": "overlap hours per day",
    "scope_isolation": "scope isolation",
    "follow_the_sun_share": "follow-the-sun share",
    "handoff_quality": "handoff quality",
    "leadership_hours_per_engineer_week": "leadership hours per engineer-week",
    "governance_share": "governance share",
    "vetting_rigor": "vetting rigour",
    "review_strength": "review strength",
    "market_rate_low_usd": "market rate, cheapest tier (USD/h)",
    "market_rate_high_usd": "market rate, dearest tier (USD/h)",
    "capability_premium": "capability above what the rate buys",
    "transition_months": "transition (months)",
    "transition_productivity": "productivity in transition",
    "vendor_search_share": "vendor search cost share",
    "setup_cost_usd": "set-up cost (USD)",
    "cost_per_hire_usd": "cost per hire (USD)",
    "exit_cost_usd": "exit cost (USD)",
    "failure_annual_probability": "P(engagement fails) per year",
    "reversal_cost_usd": "cost of bringing work back (USD)",
    "security_incident_annual_probability": "P(security incident) per year",
    "security_controls": "security controls",
    "security_incident_cost_usd": "security incident cost (USD)",
    "key_person_loss_annual_probability": "P(key-person loss) per year",
    "key_person_loss_engineer_months": "key-person loss (engineer-months)",
    "vendor_switch_annual_probability": "P(vendor switch) per year",
    "knowledge_transfer_share": "knowledge-transfer share",
    "travel_usd_per_engineer_month": "travel (USD/eng-month)",
    "fixed_price_risk_premium": "fixed-price risk premium",
    "overrun_cap_share": "overrun cap share",
    "change_request_premium": "change-request premium",
}

#: Human names of the outputs most plotted, with their unit.
OUTPUT_LABELS: Dict[str, str] = {
    "net_benefit": "net benefit (USD, present value)",
    "spend": "spend (USD, present value)",
    "total_cost": "total cost (USD, present value)",
    "delay_cost": "cost of delay (USD, present value)",
    "delivery_month": "delivery month",
    "breakeven_month": "cash break-even month",
    "parity_month": "cost-parity month",
    "net_saving": "net saving (share of the baseline's spend)",
}

#: The alternatives' colours (colour-blind-safe Okabe-Ito and Tol hues; lower-case hex, as matplotlib reports them).
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#882255", "#44aa99")
#: The baseline's colour.
BASELINE_COLOUR = "#7f7f7f"


def input_label(name: str, scenario=None, labels: Optional[Mapping[str, str]] = None) -> str:
    """The human name of input ``name`` ("<field>" or "<arrangement>.<field>").

    ``labels`` (caller-given, by full input name or by field) win; then the field's
    description; an unknown field keeps its name with underscores as spaces.
    """
    if labels:
        if name in labels:
            return labels[name]
    arrangement, _, field = name.rpartition(".")
    if labels and field in labels:
        text = labels[field]
    else:
        text = FIELD_LABELS.get(field, field.replace("_", " "))
    return f"{arrangement}: {text}" if arrangement else text


def output_label(field: str) -> str:
    """The human name of an output field (with its unit)."""
    return OUTPUT_LABELS.get(field, field.replace("_", " "))


#: Fixed colours of the preset names (an arrangement named after its preset keeps its hue).
_NAMED = {"offshore_team": 0, "nearshore": 1, "outsourcing": 2, "staff_augmentation": 3, "hybrid": 4,
          "in_house": 5}


def arrangement_colours(names: Iterable[str], baseline: Optional[str] = None) -> Dict[str, str]:
    """One colour per arrangement, keyed by its name: the baseline grey; a preset's name its
    fixed hue; any other name the hue its CRC-32 picks, moving on to the next free hue when
    an earlier arrangement of ``names`` holds it. Deterministic: the same names give the same
    colours in every plot and every session."""
    import zlib
    out: Dict[str, str] = {}
    used = set()
    names = list(dict.fromkeys(names))
    # Preset names first, so that they keep their hue whatever the order.
    for n in sorted(names, key=lambda x: (x not in _NAMED, names.index(x))):
        if n == baseline:
            out[n] = BASELINE_COLOUR
            continue
        k = _NAMED.get(n, zlib.crc32(n.encode()) % len(PALETTE))
        for step in range(len(PALETTE)):
            if (k + step) % len(PALETTE) not in used:
                k = (k + step) % len(PALETTE)
                break
        used.add(k)
        out[n] = PALETTE[k]
    return {n: out[n] for n in names}


def colour_of(name: str, arrangements: Iterable[str], baseline: Optional[str] = None) -> str:
    """The colour of arrangement ``name`` among ``arrangements`` (see :func:`arrangement_colours`)."""
    return arrangement_colours(list(arrangements) + [name], baseline)[name]
