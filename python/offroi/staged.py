"""Pilot first? The staged decision of a pilot, then scale up, keep the pilot team or exit.

A pilot of ``k`` engineers of an alternative runs for ``m`` months; at month ``m`` the buyer
sees what the pilot shows (useful output per engineer-month, rework share, attrition, overlap
hours: each measured with noise) and scales up, keeps the pilot team, or exits to the
baseline. :func:`staged_decision` values this against committing now and never starting on
the same draws, learns the decision rule on training draws and values every strategy on
fresh ones (docs/staged-decisions.md). All the computation is in the C++ core.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import pandas as pd

from . import _core
from .model import Scenario

__all__ = ["StagedDecision", "staged_decision", "plot_staged_decision"]


@dataclass
class StagedDecision:
    """The result of :func:`staged_decision`.

    Attributes
    ----------
    strategies : pandas.DataFrame
        One row per strategy (index: its name): ``mean``, ``standard_error``, ``p10``,
        ``p50``, ``p90``, ``prob_loss`` of the net benefit against the baseline, and
        ``recommended`` (the learnt staged policy).
    rule : str
        The best one-signal decision rule in plain words.
    recommended_policy : str
        ``"threshold rule"`` or ``"regression"`` (least-squares Monte Carlo).
    action_shares : dict
        Share of the evaluation draws in which the learnt policy scales, stays or exits.
    option_value, option_value_se : float
        The learnt staged strategy minus the better of committing now and never starting
        (USD), with its paired standard error. Negative: the pilot costs more than it reveals.
    evpi_now, evpi_now_se : float
        Expected value of perfect information for the choice today (commit or not).
    evsi, evsi_se : float
        Expected value of the pilot's observations for that choice, were they free and
        immediate (regression on the simulated signals).
    raw : dict
        Everything the C++ core returned (JSON), including the pilot and the signals.
    """

    strategies: pd.DataFrame
    rule: str
    recommended_policy: str
    action_shares: Dict[str, float]
    option_value: float
    option_value_se: float
    evpi_now: float
    evpi_now_se: float
    evsi: float
    evsi_se: float
    raw: dict = field(repr=False)

    @property
    def recommended(self) -> str:
        """The name of the recommended staged strategy."""
        return str(self.strategies.index[self.strategies["recommended"]][0])

    @property
    def signals(self) -> List[str]:
        """What the buyer observes at the decision month, in plain words."""
        return [s["description"] for s in self.raw["signals"]]

    def __repr__(self) -> str:
        return (f"<StagedDecision {self.raw['arrangement']}: pilot {self.raw['pilot_headcount']:g} engineers for "
                f"{self.raw['decision_month']} months; option value {self.option_value:,.0f} "
                f"+- {self.option_value_se:,.0f} USD>")


def staged_decision(scenario: Scenario, arrangement: str = "", pilot_headcount: float = 3.0,
                    decision_month: int = 6, training_trials: int = 20000, evaluation_trials: int = 20000,
                    output_cv: float = 0.35, work_items: float = 8.0, seed: Optional[int] = None,
                    threads: int = 0) -> StagedDecision:
    """Value a pilot of ``pilot_headcount`` engineers for ``decision_month`` months, then a decision.

    Parameters
    ----------
    scenario : Scenario
        The scenario; the pilot is of one of its alternatives, an exit goes to its baseline.
    arrangement : str
        The alternative piloted (default: the first).
    pilot_headcount : float
        ``k``, engineers in the pilot (at most the arrangement's smallest headcount).
    decision_month : int
        ``m``, months of pilot before the decision (1 to horizon - 1).
    training_trials, evaluation_trials : int
        Draws the policies are learnt on, and fresh draws every strategy is valued on
        (each 1 000 to 1 000 000).
    output_cv : float
        Coefficient of variation of one engineer-month's measured useful output (0.35).
    work_items : float
        Work items per engineer-month whose rework is classified (8).
    seed : int, optional
        The seed (default: the scenario's).
    threads : int
        Worker threads (0: all); never changes the result.

    Returns
    -------
    StagedDecision

    Raises
    ------
    InvalidArgument
        For a pilot larger than the team, a decision month outside the horizon, bad trial
        counts or an unknown arrangement (the message names the field and what is allowed).
    """
    raw = json.loads(_core.staged_decision(scenario, arrangement, float(pilot_headcount), int(decision_month),
                                           int(training_trials), int(evaluation_trials), float(output_cv),
                                           float(work_items), seed, int(threads)))
    columns = ["mean", "standard_error", "p10", "p50", "p90", "prob_loss", "recommended"]
    df = pd.DataFrame(raw["strategies"]).set_index("strategy")[columns]
    return StagedDecision(strategies=df, rule=raw["rule"]["text"], recommended_policy=raw["recommended_policy"],
                          action_shares=dict(raw["action_shares"]), option_value=raw["option_value"],
                          option_value_se=raw["option_value_se"], evpi_now=raw["evpi_now"],
                          evpi_now_se=raw["evpi_now_se"], evsi=raw["evsi"], evsi_se=raw["evsi_se"], raw=raw)


def plot_staged_decision(result: StagedDecision, ax=None):
    """The decision tree: today (commit now, never start, pilot), then the pilot's branches.

    Each leaf shows the strategy's mean net benefit (USD millions) and, for the pilot's
    branches, the share of draws in which the learnt policy takes it. Returns the Axes.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4.8))
    s = result.strategies["mean"] / 1e6
    raw = result.raw
    staged = result.recommended
    today = [("commit now", s["commit now"]), ("never start", s["never start"]),
             (f"pilot {raw['pilot_headcount']:g} engineers", s[staged])]
    best_today = max(today, key=lambda t: t[1])[0]
    ax.set_xlim(0, 10)
    ax.set_ylim(-0.5, 6.5)
    ax.axis("off")
    root = (0.6, 3.0)
    ax.add_patch(plt.Rectangle((root[0] - 0.35, root[1] - 0.3), 0.7, 0.6, color="0.3"))
    ax.text(root[0], root[1] - 0.6, "today", ha="center", va="top", fontsize=9)
    ys = [5.5, 3.0, 0.8]
    for (name, value), y in zip(today, ys):
        bold = "bold" if name == best_today else "normal"
        ax.plot([root[0] + 0.35, 3.2], [root[1], y], color="0.4", lw=1.2)
        ax.text(3.3, y, f"{name}\n{value:+.2f} M", va="center", fontsize=9, fontweight=bold)
    # The pilot's decision node and its branches.
    node = (5.6, 0.8)
    ax.plot([4.9, node[0] - 0.25], [0.8, node[1]], color="0.4", lw=1.2)
    ax.add_patch(plt.Circle(node, 0.25, color="tab:blue"))
    ax.text(node[0], node[1] - 0.45, f"month {raw['decision_month']}", ha="center", va="top", fontsize=8)
    shares = result.action_shares
    for (action, label), y in zip([("scale", "pilot, then scale"), ("stay", "pilot, then stay"),
                                   ("exit", "pilot, then exit")], [2.4, 0.8, -0.6 + 0.2]):
        ax.plot([node[0] + 0.25, 7.0], [node[1], y], color="tab:blue", lw=0.8 + 3 * shares.get(action, 0))
        ax.text(7.1, y, f"{action}: {s[label]:+.2f} M if always\nlearnt policy: {100 * shares.get(action, 0):.0f}% of draws",
                va="center", fontsize=8)
    ax.set_title(f"Pilot first? {raw['arrangement']} vs {raw['baseline']}: option value "
                 f"{result.option_value / 1e6:+.2f} M (± {result.option_value_se / 1e6:.2f} M)", fontsize=10)
    return ax
