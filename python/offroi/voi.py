"""Value of information: what it would be worth to know more before choosing.

On any Monte Carlo sample (numpy):

* :func:`evpi` -- expected value of perfect information of a decision among options whose
  per-trial net benefits are the columns of ``net_benefit`` (n, options);
* :func:`evppi` -- expected value of partial perfect information about some inputs (n,) or
  (n, g), by regression of the net benefits on those inputs over the same trials (Strong,
  Oakley and Brennan, Medical Decision Making 34:311, 2014): P-splines on ranks for one input,
  a tensor P-spline for two, additive splines plus cross-fitted boosted trees for more;
* :func:`decision_summary` and :func:`decision_curves` -- P(best), expected loss, EVPI, and
  their curves over a threshold.

On a scenario (pandas frames): :func:`voi` (EVPI, decision summary, EVPPI of every input and of
groups) and :func:`decision_curve` (acceptability and EVPI curves over the cost of delay per
month or a required saving); plots :func:`plot_acceptability`, :func:`plot_evpi_curve`,
:func:`plot_evppi`. All computation is in the C++ core (docs/value-of-information.md).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Mapping, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

from . import _core
from .model import Scenario

__all__ = [
    "Estimate",
    "EVPPIEstimate",
    "VOI",
    "decision_curve",
    "decision_curves",
    "decision_summary",
    "evpi",
    "evppi",
    "plot_acceptability",
    "plot_evpi_curve",
    "plot_evppi",
    "voi",
]


@dataclass(frozen=True)
class Estimate:
    """A Monte Carlo estimate and its standard error; unpacks as ``value, se``."""

    value: float
    se: float

    def __iter__(self) -> Iterator[float]:
        yield self.value
        yield self.se


@dataclass(frozen=True)
class EVPPIEstimate(Estimate):
    """EVPPI with its standard error (unpacks as ``value, se``), the regression used and its
    R^2 per incremental net benefit (option d minus option 0, d = 1 .. D-1)."""

    method: str = ""
    r_squared: Tuple[float, ...] = ()


_SUMMARY_COLUMNS = ["expected_net_benefit", "expected_net_benefit_se", "p_best", "p_best_se", "expected_loss",
                    "expected_loss_se", "best"]


def _net_benefit(net_benefit) -> np.ndarray:
    a = np.asarray(net_benefit, dtype=float)
    if a.ndim == 1:
        raise ValueError("net_benefit must be 2-D (n, options): one column per option "
                         "(for one alternative against a baseline of 0, use np.column_stack([np.zeros(n), nb]))")
    return a


def evpi(net_benefit) -> Estimate:
    """Expected value of perfect information, E[max_d NB_d] - max_d E[NB_d], with its SE.

    Parameters
    ----------
    net_benefit : array_like, shape (n, options)
        Per-trial net benefit of each option (all options on the same trials).

    Returns
    -------
    Estimate
        ``value, se = evpi(nb)``; SE = sd(max_d NB_d - NB_{d*}) / sqrt(n).
    """
    d = json.loads(_core.decision_summary(_net_benefit(net_benefit)))
    return Estimate(d["evpi"], d["evpi_se"])


def evppi(net_benefit, inputs, method: str = "auto", threads: int = 0) -> EVPPIEstimate:
    """Expected value of partial perfect information about ``inputs`` (jointly), with its SE.

    Parameters
    ----------
    net_benefit : array_like, shape (n, options)
        Per-trial net benefit of each option.
    inputs : array_like, shape (n,) or (n, g)
        The inputs' values in the same trials (no NaN; +-inf allowed: they enter by rank).
    method : str
        ``"auto"`` (one input: P-spline on ranks with GCV, or cell means if it has at most 24
        distinct values; two: tensor P-spline; three or more: additive splines + cross-fitted
        boosted trees), ``"spline"``, ``"cell_means"`` or ``"boosted_trees"``.
    threads : int
        Worker threads for the boosted trees' folds (0: all); never changes the result.

    Returns
    -------
    EVPPIEstimate
        ``value, se = evppi(nb, x)``; also ``.method`` and ``.r_squared``. SE = sd over trials of
        NB_{d(x_i)} - NB_{d*} over sqrt(n), d(x) the option chosen knowing x.
    """
    d = _core.evppi(_net_benefit(net_benefit), np.asarray(inputs, dtype=float), str(method), int(threads))
    return EVPPIEstimate(d["value"], d["se"], d["method"], tuple(d["r_squared"]))


def decision_summary(net_benefit, options: Optional[Sequence[str]] = None) -> pd.DataFrame:
    """Per option: expected net benefit, P(best), expected loss (regret), each with its SE.

    The option with the highest expected net benefit has ``best`` True; ``attrs["evpi"]`` and
    ``attrs["evpi_se"]`` hold the EVPI (the best option's expected loss).
    """
    d = json.loads(_core.decision_summary(_net_benefit(net_benefit)))
    df = pd.DataFrame(d["options"])
    if options is not None:
        df["option"] = list(options)
    df = df.set_index("option")[_SUMMARY_COLUMNS]
    df.attrs.update(evpi=d["evpi"], evpi_se=d["evpi_se"], trials=d["trials"])
    return df


def _curve_frame(raw: dict, options: Sequence[str]) -> pd.DataFrame:
    rows = []
    for p in raw["points"]:
        row = {"lambda": p["lambda"], "optimal": options[[o["best"] for o in p["options"]].index(True)],
               "evpi": p["evpi"], "evpi_se": p["evpi_se"]}
        for name, o in zip(options, p["options"]):
            row[f"p_best.{name}"] = o["p_best"]
            row[f"p_best_se.{name}"] = o["p_best_se"]
            row[f"expected_net_benefit.{name}"] = o["expected_net_benefit"]
            row[f"expected_loss.{name}"] = o["expected_loss"]
        rows.append(row)
    df = pd.DataFrame(rows).set_index("lambda")
    df.attrs.update(options=list(options), threshold=raw.get("threshold", "lambda"))
    return df


def decision_curves(a, b, lambdas: Sequence[float], options: Optional[Sequence[str]] = None) -> pd.DataFrame:
    """Acceptability and EVPI curves of NB_d(lambda) = a[:, d] + lambda * b[:, d].

    Parameters
    ----------
    a, b : array_like, shape (n, options)
    lambdas : sequence of float
    options : names of the options (default "0", "1", ...)

    Returns
    -------
    pandas.DataFrame
        Index ``lambda``; columns ``optimal``, ``evpi``, ``evpi_se`` and per option
        ``p_best.<option>``, ``p_best_se.<option>``, ``expected_net_benefit.<option>``,
        ``expected_loss.<option>``.
    """
    a = _net_benefit(a)
    raw = json.loads(_core.decision_curves(a, _net_benefit(b), [float(x) for x in lambdas]))
    names = list(options) if options is not None else [str(k) for k in range(a.shape[1])]
    return _curve_frame(raw, names)


@dataclass
class VOI:
    """The value of information of a scenario's decision (:func:`voi`).

    Attributes
    ----------
    decision : pandas.DataFrame
        Per option (index, baseline first): ``expected_net_benefit``, ``p_best``,
        ``expected_loss`` and their ``*_se``, and ``best``.
    inputs : pandas.DataFrame
        Per sampled input (index, by decreasing EVPPI): ``evppi``, ``evppi_se``,
        ``share_of_evpi``, ``r_squared``, ``method``.
    groups : pandas.DataFrame
        Per group (index): ``n_inputs``, ``evppi``, ``evppi_se``, ``share_of_evpi``,
        ``r_squared``, ``method``, ``inputs`` (a list).
    evpi, evpi_se : float
        The EVPI (USD) and its SE.
    best : str
        The option with the highest expected net benefit.
    raw : dict
        Everything the C++ core returned (JSON).
    """

    decision: pd.DataFrame
    inputs: pd.DataFrame
    groups: pd.DataFrame
    evpi: float
    evpi_se: float
    best: str
    raw: dict = field(repr=False)

    def __repr__(self) -> str:
        return (f"<VOI {self.raw['scenario']}: EVPI {self.evpi:,.0f} +- {self.evpi_se:,.0f} USD, "
                f"best {self.best}, {len(self.inputs)} inputs, {len(self.groups)} groups>")


def _entries(rows: List[dict], name: str) -> pd.DataFrame:
    cols = ["evppi", "evppi_se", "share_of_evpi", "r_squared", "method"]
    if not rows:
        return pd.DataFrame(columns=cols, index=pd.Index([], name=name))
    df = pd.DataFrame(rows).set_index("name")
    df.index.name = name
    df["r_squared"] = [r[0] if len(r) == 1 else tuple(r) for r in df["r_squared"]]
    if name == "group":
        df["n_inputs"] = [len(v) for v in df["inputs"]]
        return df[["n_inputs"] + cols + ["inputs"]]
    return df[cols]


def voi(scenario: Scenario, trials: Optional[int] = None, seed: Optional[int] = None, threads: int = 0,
        groups: Optional[Mapping[str, Sequence[str]]] = None, arrangement_groups: bool = True,
        each_input: bool = True, required_saving: float = 0.0) -> VOI:
    """EVPI, P(best), expected loss and the EVPPI of every sampled input and of groups.

    One run records every trial; the options are the baseline (net benefit 0) and each
    alternative. Parameters: ``trials`` (default: the scenario's; >= 10), ``seed`` (default:
    the scenario's), ``threads`` (0: all; never changes the result), ``groups`` (name ->
    input names; a name ending in ``*`` matches a prefix, e.g. ``{"vendor":
    ["offshore_team.*"]}``), ``arrangement_groups`` (add one group per arrangement and one of
    the shared scenario-level inputs), ``each_input`` (the EVPPI of every input),
    ``required_saving`` (USD; every alternative's net benefit counts minus it -- near the
    expected net benefit the choice is close and single inputs start to matter).

    Raises
    ------
    InvalidArgument
        For a group naming an input that is not sampled (the message lists the sampled ones).
    """
    g = [(str(k), [str(x) for x in v]) for k, v in (groups or {}).items()]
    raw = json.loads(_core.scenario_voi(scenario, trials, seed, int(threads), g, bool(arrangement_groups),
                                        bool(each_input), float(required_saving)))
    d = raw["decision"]
    decision = pd.DataFrame(d["options"]).set_index("option")[_SUMMARY_COLUMNS]
    return VOI(decision=decision, inputs=_entries(raw["inputs"], "input"), groups=_entries(raw["groups"], "group"),
               evpi=d["evpi"], evpi_se=d["evpi_se"], best=d["best"], raw=raw)


def decision_curve(scenario: Scenario, threshold: str = "cost-of-delay", values: Optional[Sequence[float]] = None,
                   start: float = 0.0, stop: Optional[float] = None, steps: int = 11, trials: Optional[int] = None,
                   seed: Optional[int] = None, threads: int = 0) -> pd.DataFrame:
    """Acceptability and EVPI curves of a scenario over a threshold.

    ``threshold``: ``"cost-of-delay"`` (USD per month; project framing: the net benefit is
    linear in it, NB = saving on spend + cost of delay x discounted months of delay saved) or
    ``"required-saving"`` (an alternative is chosen only if its net benefit exceeds it).
    Thresholds: ``values``, or ``steps`` values from ``start`` to ``stop`` (default stop:
    twice the scenario's mean cost of delay, or 2 x 10^6 USD for a required saving).

    Returns a frame as :func:`decision_curves`, options named after the arrangements.
    """
    if values is None:
        if stop is None:
            stop = 2.0 * scenario.get("cost_of_delay_per_month_usd").mean() if threshold.startswith("cost") else 2e6
        values = np.linspace(float(start), float(stop), int(steps))
    raw = json.loads(_core.scenario_decision_curve(scenario, str(threshold), [float(x) for x in values], trials, seed,
                                                   int(threads)))
    return _curve_frame(raw, raw["options"])


def _options_of(curve: pd.DataFrame) -> List[str]:
    return list(curve.attrs.get("options") or [c.split(".", 1)[1] for c in curve.columns if c.startswith("p_best.")])


def _xlabel(curve: pd.DataFrame) -> str:
    t = curve.attrs.get("threshold", "lambda")
    return {"cost-of-delay": "cost of delay per month (USD)", "cost_of_delay": "cost of delay per month (USD)",
            "required-saving": "required saving (USD)", "required_saving": "required saving (USD)"}.get(t, str(t))


def plot_acceptability(curve: pd.DataFrame, ax=None):
    """The acceptability curve: P(each option is best) against the threshold, with 95% bands.
    Returns the Axes."""
    from . import plot as _plot
    from .labels import arrangement_colours
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4), layout="constrained")
    x = curve.index.to_numpy(dtype=float)
    names = _options_of(curve)
    # The options are the scenario's arrangements, baseline first.
    col = arrangement_colours(names, curve.attrs.get("baseline") or (names[0] if names else None))
    for name in names:
        p = curve[f"p_best.{name}"].to_numpy(dtype=float)
        se = curve[f"p_best_se.{name}"].to_numpy(dtype=float)
        ax.plot(x, p, label=name, color=col[name])
        ax.fill_between(x, np.clip(p - 1.96 * se, 0, 1), np.clip(p + 1.96 * se, 0, 1), alpha=0.2, color=col[name])
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0%}"))
    if "USD" in _xlabel(curve):
        _plot.money_axis(ax.xaxis)
    ax.set_xlabel(_xlabel(curve))
    ax.set_ylabel("P(option is best)")
    ax.set_title("Acceptability curve")
    _plot.legend_outside(ax)
    return ax


def plot_evpi_curve(curve: pd.DataFrame, ax=None):
    """The EVPI curve: what perfect information is worth at each threshold (USD), with a 95%
    band; the optimal option is marked along the bottom. Returns the Axes."""
    from . import plot as _plot
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4), layout="constrained")
    _plot.money_axis(ax.yaxis)
    if "USD" in _xlabel(curve):
        _plot.money_axis(ax.xaxis)
    x = curve.index.to_numpy(dtype=float)
    v = curve["evpi"].to_numpy(dtype=float)
    se = curve["evpi_se"].to_numpy(dtype=float)
    ax.plot(x, v, color="tab:red", label="EVPI")
    ax.fill_between(x, v - 1.96 * se, v + 1.96 * se, color="tab:red", alpha=0.2)
    opts = curve["optimal"].tolist()
    for k in range(1, len(opts)):
        if opts[k] != opts[k - 1]:
            ax.axvline(0.5 * (x[k] + x[k - 1]), color="0.5", ls="--", lw=0.8)
    ax.set_xlabel(_xlabel(curve))
    ax.set_ylabel("EVPI (USD)")
    ax.set_title("EVPI curve (optimal: " + " -> ".join(dict.fromkeys(opts)) + ")")
    ax.set_ylim(bottom=0)
    return ax


def plot_evppi(result: VOI, top: int = 15, groups: bool = True, ax=None):
    """EVPPI bars (USD) with 95% error bars: the ``top`` inputs and, if ``groups``, the groups,
    against the EVPI (dashed line). Returns the Axes."""
    from . import plot as _plot
    from .labels import input_label
    import matplotlib.pyplot as plt

    rows = result.inputs.head(top)[["evppi", "evppi_se"]].copy()
    rows.index = [input_label(n) for n in rows.index]
    if groups and len(result.groups):
        g = result.groups[["evppi", "evppi_se"]].copy()
        g.index = [f"[group] {n}" for n in g.index]
        rows = pd.concat([g, rows])
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 0.35 * len(rows) + 1.5), layout="constrained")
    y = np.arange(len(rows))[::-1]
    ax.barh(y, rows["evppi"], xerr=1.96 * rows["evppi_se"], color="tab:blue", alpha=0.8, capsize=2)
    ax.set_yticks(y)
    ax.set_yticklabels(rows.index, fontsize=8)
    ax.axvline(result.evpi, color="tab:red", ls="--", lw=1, label=f"EVPI {_plot.usd(result.evpi)}")
    _plot.money_axis(ax.xaxis)
    ax.set_xlabel("EVPPI: what knowing it before choosing is worth, USD")
    ax.set_title(f"Value of information ({result.raw['scenario']})")
    _plot.legend_outside(ax)
    return ax
