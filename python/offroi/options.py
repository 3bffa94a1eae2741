"""Choosing among many options: which arrangement, which overlap, which team size, which rate.

The options are a scenario's baseline ("keep what we have", net benefit 0), its alternatives
and generated variants of an alternative (one or more of its inputs stepped over constant
values; several inputs of one alternative form a grid). Every option is evaluated against
the baseline on common random numbers; the optimal computing budget allocation (OCBA, Chen,
Lin, Yücesan & Chick 2000) spends the trials where the choice is close, and the risk/return
frontier (mean against P10, and against CVaR10) shows what each step of safety costs
(docs/choosing-among-options.md). All the computation is in the C++ core.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Dict, Iterable, Mapping, Optional, Sequence, Tuple, Union

import pandas as pd

from . import _core
from .model import Scenario

__all__ = ["OptionChoice", "select_options", "plot_frontier"]

Vary = Union[Mapping[str, Sequence[float]], Iterable[Tuple[str, Sequence[float]]], None]


@dataclass
class OptionChoice:
    """The result of :func:`select_options`.

    Attributes
    ----------
    best : str
        The selected option (largest expected net benefit).
    apcs : float
        Approximate probability that it is the best (Bonferroni bound over the rivals).
    options : pandas.DataFrame
        One row per option (index: its name): ``arrangement``, ``is_baseline``, ``trials``
        (what OCBA spent on it), ``mean`` and ``standard_error`` (of its own trials),
        ``adjusted_mean`` and ``adjusted_se`` (corrected for the common noise of its trials:
        the ranking uses these), ``difference`` (option minus the best, paired on the trials
        both ran) with ``difference_se``, ``pcs`` (probability that the best beats this
        option; for the best itself, the APCS) and ``best``.
    frontier : pandas.DataFrame
        One row per option, from the same first ``frontier_trials`` trials of every option:
        ``mean``, ``mean_se``, ``p10`` with its interval ``p10_low``/``p10_high``, ``cvar``
        (mean of the worst ``tail_mass`` share of trials) with ``cvar_se``, ``prob_loss``
        with ``prob_loss_se``, and whether the option is efficient (not dominated) on
        (mean, P10) and on (mean, CVaR): ``efficient_p10``, ``efficient_cvar``. (With
        another ``percentile`` the ``p10`` columns are named after it, e.g. ``p5``.)
    p10_frontier, cvar_frontier : list of str
        The efficient options, from the highest mean to the safest.
    rounds : pandas.DataFrame
        Trials spent, the option selected and the APCS after the first stage and each round.
    raw : dict
        Everything the C++ core returned (JSON, as ``offroi options --format json``).
    """

    best: str
    apcs: float
    options: pd.DataFrame
    frontier: pd.DataFrame
    p10_frontier: list
    cvar_frontier: list
    rounds: pd.DataFrame
    raw: dict = field(repr=False)

    @property
    def total_trials(self) -> int:
        """Trials simulated: OCBA's plus the frontier's top-up."""
        return int(self.raw["total_trials"])

    def __repr__(self) -> str:
        return (f"<OptionChoice best {self.best!r} (APCS {self.apcs:.3f}) among {len(self.options)} options, "
                f"{self.raw['selection_trials']} selection trials>")

    def plot(self, risk: str = "p10", ax=None):
        """The frontier plot; see :func:`plot_frontier`."""
        return plot_frontier(self, risk=risk, ax=ax)


def _vary_pairs(vary: Vary) -> list:
    if vary is None:
        return []
    items = vary.items() if isinstance(vary, Mapping) else vary
    out = []
    for item in items:
        try:
            name, values = item
        except (TypeError, ValueError):
            raise _core.InvalidArgument(
                f"select_options: vary item {item!r} is invalid; give {{'arrangement.field': [v1, v2, ...]}} "
                "or [('arrangement.field', [v1, v2, ...]), ...]") from None
        if isinstance(values, (int, float)):
            values = [values]
        out.append((str(name), [float(v) for v in values]))
    return out


def select_options(scenario: Scenario, vary: Vary = None, budget: int = 0, target_pcs: float = 0.0,
                   initial_trials: int = 1024, increment: int = 4096, block: int = 256,
                   frontier_trials: int = 10000, percentile: float = 0.10, tail_mass: float = 0.10,
                   loss_threshold: float = 0.0, include_baseline: bool = True, include_alternatives: bool = True,
                   rule: str = "ocba", variance: str = "paired", seed: Optional[int] = None,
                   sampler: Optional[str] = None, threads: int = 0, progress=None) -> OptionChoice:
    """Choose among a scenario's options by OCBA on common random numbers; report the frontier.

    Parameters
    ----------
    scenario : Scenario
        The scenario: its baseline and alternatives are options.
    vary : dict or list of (str, list of float), optional
        Generated variants: ``{"offshore_team.overlap_hours": [0, 2, 4, 6, 8]}``. Each key is
        an alternative's input; several inputs of one alternative form a grid (every
        combination), inputs of different alternatives separate variant sets. The model has
        no onshore/offshore split field (the hybrid preset is one blended team): compare a
        split by adding arrangements to the scenario.
    budget : int
        Total trials OCBA may spend over all options (default 20 000 per option).
    target_pcs : float
        Stop as soon as the approximate probability of correct selection reaches this
        (0: spend the budget).
    initial_trials, increment, block : int
        n0 trials per option first, then rounds of ``increment`` trials over all options;
        every allocation is a whole number of blocks of ``block`` trials (both counts must be
        multiples of it).
    frontier_trials : int
        Trials per option of the frontier (the same first trials of every option).
    percentile, tail_mass, loss_threshold : float
        The frontier's low percentile (P10), CVaR's tail mass (10%) and P(loss)'s threshold.
    include_baseline, include_alternatives : bool
        Whether the baseline and the scenario's own alternatives are options.
    rule : {"ocba", "equal"}
        OCBA, or equal allocation (for comparison).
    variance : {"paired", "independent"}
        How a comparison's noise is modelled: paired differences on common random numbers
        (sigma^2 of the difference to the best), or Chen et al.'s independent sampling.
    seed : int, optional
        The seed of every option's draws (default: the scenario's).
    sampler : {"mc", "lhs", "sobol"}, optional
        The design (default: the scenario's).
    threads : int
        Worker threads (0: all); never changes the result.
    progress : callable or True, optional
        ``progress(done, total)`` after each round (or True for a text bar if tqdm is present).

    Returns
    -------
    OptionChoice

    Raises
    ------
    InvalidArgument
        For an input that is not an alternative's field, a value outside its range, fewer
        than 2 options, or bad trial counts (the message names the field, the value and what
        is allowed).
    """
    from .model import _progress_callable

    cb, bar = _progress_callable(progress, "offroi options")
    try:
        raw = json.loads(_core.select_options(
            scenario, _vary_pairs(vary), int(budget), float(target_pcs), int(initial_trials), int(increment),
            int(block), int(frontier_trials), float(percentile), float(tail_mass), float(loss_threshold),
            bool(include_baseline), bool(include_alternatives), str(rule), str(variance), seed, sampler,
            int(threads), progress=cb))
    finally:
        if bar is not None:
            bar.close()
    return _choice(raw)


def _choice(raw: dict) -> OptionChoice:
    pname = f"p{100 * raw['percentile']:g}"
    rows, frows = [], []
    for o in raw["options"]:
        rows.append({"option": o["name"], "arrangement": o["arrangement"], "is_baseline": o["is_baseline"],
                     **{f"set_{k}": v for k, v in o["settings"].items()},
                     "trials": o["trials"], "mean": o["mean"], "standard_error": o["standard_error"],
                     "adjusted_mean": o["adjusted_mean"], "adjusted_se": o["adjusted_se"],
                     "difference": o["difference"], "difference_se": o["difference_se"], "pcs": o["pcs"],
                     "best": o["best"]})
        f = o["frontier"]
        lo, hi = f["percentile_ci"]
        frows.append({"option": o["name"], "mean": f["mean"], "mean_se": f["mean_se"], pname: f["percentile"],
                      f"{pname}_low": float("-inf") if lo is None else lo,
                      f"{pname}_high": float("inf") if hi is None else hi,
                      "cvar": f["cvar"], "cvar_se": f["cvar_se"], "prob_loss": f["prob_loss"],
                      "prob_loss_se": f["prob_loss_se"], f"efficient_{pname}": f["efficient_percentile"],
                      "efficient_cvar": f["efficient_cvar"]})
    options = pd.DataFrame(rows).set_index("option")
    frontier = pd.DataFrame(frows).set_index("option")
    rounds = pd.DataFrame(raw["rounds"])
    return OptionChoice(best=raw["best"], apcs=float(raw["apcs"]), options=options, frontier=frontier,
                        p10_frontier=list(raw["percentile_frontier"]), cvar_frontier=list(raw["cvar_frontier"]),
                        rounds=rounds, raw=raw)


def plot_frontier(choice: OptionChoice, risk: str = "p10", ax=None):
    """The risk/return frontier: mean net benefit against P10 (or CVaR) per option.

    Every option is a point with its mean's standard error (vertical bar) and, for P10, its
    percentile interval (horizontal bar); the efficient options are joined from the safest to
    the highest mean, the dominated ones drawn hollow, the selected option starred. USD
    millions on both axes. Returns the Axes.
    """
    from . import plot as _plot  # selects a headless backend when needed
    import matplotlib.pyplot as plt

    fr = choice.frontier
    pname = f"p{100 * choice.raw['percentile']:g}"
    if risk in ("p10", "percentile", pname):
        x, eff_col, front = fr[pname], f"efficient_{pname}", choice.p10_frontier
        xlabel = f"{pname.upper()} net benefit, USD: a bad case, 1 in {round(1 / choice.raw['percentile'])}"
    elif risk == "cvar":
        x, eff_col, front = fr["cvar"], "efficient_cvar", choice.cvar_frontier
        xlabel = f"CVaR{100 * choice.raw['tail_mass']:g}: mean net benefit of the worst {100 * choice.raw['tail_mass']:g}%, USD"
    else:
        raise _core.InvalidArgument(f"plot_frontier: risk = {risk!r} is invalid; allowed: 'p10', 'cvar'")
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 5.2), layout="constrained")
    y = fr["mean"]
    xm = x
    eff = fr[eff_col].astype(bool)
    if risk != "cvar":
        lo = (x - fr[f"{pname}_low"]).clip(lower=0)
        hi = (fr[f"{pname}_high"] - x).clip(lower=0)
        finite = lo.abs().lt(float("inf")) & hi.abs().lt(float("inf"))
        ax.errorbar(xm[finite], y[finite], xerr=[lo[finite], hi[finite]], yerr=fr["mean_se"][finite] * 1.96,
                    fmt="none", ecolor="0.6", elinewidth=0.8, capsize=2, zorder=1)
    else:
        ax.errorbar(xm, y, xerr=fr["cvar_se"] * 1.96, yerr=fr["mean_se"] * 1.96, fmt="none",
                    ecolor="0.6", elinewidth=0.8, capsize=2, zorder=1)
    ax.scatter(xm[~eff], y[~eff], s=40, facecolors="none", edgecolors="tab:gray", label="dominated", zorder=2)
    ax.scatter(xm[eff], y[eff], s=50, color="tab:blue", label="efficient", zorder=3)
    order = sorted(front, key=lambda n: x[n])
    ax.plot([xm[n] for n in order], [y[n] for n in order], color="tab:blue", lw=1.2, zorder=2)
    ax.scatter([xm[choice.best]], [y[choice.best]], marker="*", s=260, color="tab:orange", zorder=4,
               label=f"selected (APCS {choice.apcs:.3f})")
    # Variants are labelled by their settings ("[overlap_hours=8]"); the scenario's own
    # arrangements by name.
    for name in fr.index:
        label = name[name.index("["):] if "[" in name else name
        ax.annotate(label, (xm[name], y[name]), textcoords="offset points", xytext=(5, 4), fontsize=7,
                    color="black" if eff[name] else "0.45")
    ax.margins(x=0.18, y=0.08)
    ax.axhline(0, color="0.8", lw=0.8, zorder=0)
    ax.axvline(0, color="0.8", lw=0.8, zorder=0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("Mean net benefit, USD")
    ax.set_title(f"Risk/return frontier: {len(front)} efficient of {len(fr)} options "
                 f"({choice.raw['frontier_trials']} common trials each)")
    _plot.money_axis(ax.xaxis)
    _plot.money_axis(ax.yaxis)
    _plot.legend_outside(ax, title=f"best: {choice.best}", title_fontsize=8)
    if not ax.figure.get_constrained_layout():
        ax.figure.tight_layout()
    return ax
