"""Learning from data: what the first months of an arrangement show updates the forecast.

Observations -- measured inputs (``offshore_team.hourly_rate_usd`` = 42 +- 2), attrition
counts (3 leavers among 10 engineers in 6 months) and measured outputs
(``offshore_team.rework_share`` = 0.31 +- 0.02) -- update a scenario's forecast by importance
reweighting of its prior trials, with Pareto-smoothed importance sampling (PSIS; Vehtari,
Simpson, Gelman, Yao and Gabry, JMLR 2024) for the diagnostics (k-hat, ESS) and a fallback
when the weights degenerate (docs/learning-from-data.md). Every summary works weighted, also
on plain numpy arrays: :func:`psis`, :func:`weighted_summary`, :func:`weighted_quantile`,
:func:`weighted_probability`, :func:`weighted_expected_shortfall`,
:func:`weighted_rank_sensitivity`. All the computation is in the C++ core.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import _core
from .model import Scenario

__all__ = [
    "PSIS",
    "Update",
    "psis",
    "update",
    "weighted_summary",
    "weighted_quantile",
    "weighted_probability",
    "weighted_expected_shortfall",
    "weighted_rank_sensitivity",
    "plot_update",
]


@dataclass
class PSIS:
    """Pareto-smoothed importance weights and their diagnostics (:func:`psis`).

    Attributes
    ----------
    weights : numpy.ndarray
        Smoothed, truncated weights normalised to sum to 1.
    log_weights : numpy.ndarray
        Smoothed log-weights, shifted so that the largest raw one is 0.
    k_hat : float
        Fitted generalized Pareto shape of the weights' tail: -inf for a constant tail
        (e.g. equal weights), +inf when it cannot be fitted (too few draws, or at most M
        positive weights).
    k_threshold : float
        ``min(1 - 1/log10(S), 0.7)``: estimates are reliable when ``k_hat <= k_threshold``.
    ess : float
        Kish effective sample size ``(sum w)^2 / sum w^2`` of the smoothed weights.
    raw_ess : float
        The same of the raw weights.
    tail_size : int
        ``M = ceil(min(0.2 S, 3 sqrt(S)))``, the draws in the fitted tail.
    tail : str
        ``"fitted"``, ``"constant"``, ``"too_short"`` or ``"degenerate"``.
    """

    weights: np.ndarray = field(repr=False)
    log_weights: np.ndarray = field(repr=False)
    k_hat: float
    k_threshold: float
    ess: float
    raw_ess: float
    tail_size: int
    tail: str

    @property
    def reliable(self) -> bool:
        """``k_hat <= k_threshold``."""
        return bool(self.k_hat <= self.k_threshold)


def psis(log_weights: npt.ArrayLike) -> PSIS:
    """Pareto-smoothed importance sampling of log-weights (Vehtari et al. 2024).

    Parameters
    ----------
    log_weights : array_like, shape (S,)
        Log importance ratios (for updating prior draws on data: the log-likelihood of each
        draw), up to a constant. ``-inf`` is a weight of 0; NaN and ``+inf`` are errors.

    Returns
    -------
    PSIS
        Normalised smoothed weights, k-hat and its threshold, and the ESS.

    Raises
    ------
    InvalidArgument
        For a NaN or +inf log-weight (naming ``log_weights[i]``), fewer than 2, or all -inf.
    """
    r = _core.psis(np.ascontiguousarray(log_weights, dtype=float))
    return PSIS(weights=r["weights"], log_weights=r["log_weights"], k_hat=r["k_hat"], k_threshold=r["k_threshold"],
                ess=r["ess"], raw_ess=r["raw_ess"], tail_size=r["tail_size"], tail=r["tail"])


def _arrays(x: npt.ArrayLike, weights: npt.ArrayLike) -> Tuple[np.ndarray, np.ndarray]:
    return np.ascontiguousarray(x, dtype=float).ravel(), np.ascontiguousarray(weights, dtype=float).ravel()


def weighted_summary(x: npt.ArrayLike, weights: npt.ArrayLike, alpha: float = 0.05,
                     kind: str = "importance") -> pd.Series:
    """What a decision-maker reads of a weighted sample.

    Returns a Series with ``mean``, ``mean_se`` (= sd / sqrt(ESS)), ``sd``, ``p10``, ``p50``,
    ``p90`` (weighted type-7 quantiles), ``prob_loss`` = P(x < 0) with ``prob_loss_se``,
    ``expected_shortfall`` (the mean of the lowest ``alpha``), ``ess`` and ``samples``.

    ``kind="importance"`` (default): only the weights' ratios matter (equal weights give the
    unweighted statistics exactly). ``kind="frequency"``: ``weights[i]`` is how many times
    ``x[i]`` counts (integer weights give the statistics of the repeated sample exactly).
    """
    xa, wa = _arrays(x, weights)
    return pd.Series(_core.weighted_summary(xa, wa, float(alpha), kind))


def weighted_quantile(x: npt.ArrayLike, weights: npt.ArrayLike, p: Union[float, npt.ArrayLike],
                      kind: str = "importance") -> Union[float, np.ndarray]:
    """Weighted type-7 quantile(s) of ``x`` at level(s) ``p`` (see :func:`weighted_summary` for ``kind``)."""
    xa, wa = _arrays(x, weights)
    scalar = np.ndim(p) == 0
    q = _core.weighted_quantile(xa, wa, np.atleast_1d(np.asarray(p, dtype=float)), kind)
    return float(q[0]) if scalar else q


def weighted_probability(x: npt.ArrayLike, weights: npt.ArrayLike, threshold: float = 0.0) -> Tuple[float, float]:
    """Weighted P(x < threshold) and its standard error sqrt(p (1 - p) / ESS).

    With ``threshold=0`` on net benefits: P(loss). For an event, pass 0/1 flags and
    ``threshold=0.5`` and take ``1 - p`` -- or simply :func:`weighted_summary` of the flags'
    ``mean``.
    """
    xa, wa = _arrays(x, weights)
    r = _core.weighted_prob_below(xa, wa, float(threshold))
    return float(r["p"]), float(r["se"])


def weighted_expected_shortfall(x: npt.ArrayLike, weights: npt.ArrayLike, alpha: float = 0.05,
                                tail: str = "lower") -> float:
    """Mean of the lowest (``tail="lower"``) or highest ``alpha`` of the weighted distribution."""
    xa, wa = _arrays(x, weights)
    return float(_core.weighted_expected_shortfall(xa, wa, float(alpha), tail))


def weighted_rank_sensitivity(X: npt.ArrayLike, y: npt.ArrayLike, weights: npt.ArrayLike,
                              names: Optional[Sequence[str]] = None, threads: int = 0) -> pd.DataFrame:
    """Weighted rank drivers of ``y``: Spearman rho, SRRC and PRCC under the sample weights.

    Ranks are the weighted mid-rank ECDF; SRRC is the weighted least-squares regression of
    the standardized ranks. One row per input (index: its name), sorted by ``|srrc|``; the
    frame's ``attrs`` hold ``srrc_r2`` and ``ess``.
    """
    Xa = np.asarray(X, dtype=float)
    if Xa.ndim == 1:
        Xa = Xa[:, None]
    r = _core.weighted_rank_sensitivity(Xa, np.ascontiguousarray(y, dtype=float).ravel(),
                                        np.ascontiguousarray(weights, dtype=float).ravel(), list(names or []),
                                        int(threads))
    df = pd.DataFrame({"spearman": r["spearman"], "srrc": r["srrc"], "prcc": r["prcc"]}, index=r["names"])
    df.index.name = "input"
    df = df.reindex(df["srrc"].abs().sort_values(ascending=False, kind="stable").index)
    df.attrs["srrc_r2"] = r["srrc_r2"]
    df.attrs["ess"] = r["ess"]
    return df


@dataclass
class Update:
    """The result of :func:`update`.

    Attributes
    ----------
    summary : pandas.DataFrame
        One row per (arrangement, ``"prior"`` / ``"updated"``): net benefit ``p10``, ``p50``,
        ``p90``, ``mean``, ``mean_se``, ``prob_loss``, ``expected_shortfall``, and
        ``prob_delivered``, ``prob_breakeven`` (within the horizon), ``breakeven_p50``
        (month; 9999 = never). The baseline has only ``prob_delivered``.
    observed : pandas.DataFrame
        One row per observed input or output: what was observed, prior and updated mean,
        sd, P10, P50, P90.
    drivers : pandas.DataFrame
        Weighted rank drivers of each alternative's net benefit: ``srrc_prior``,
        ``srrc_updated``, ``prcc_updated``, ``spearman_updated``, by (arrangement, input),
        sorted by ``|srrc_updated|``.
    method : str
        ``"reweighting"``, ``"more_trials"`` or ``"refit_resimulation"``.
    reliable : bool
        The final weights pass the k-hat and ESS checks.
    diagnostics, prior_reweighting : dict
        PSIS diagnostics (trials, k_hat, k_threshold, ess, raw_ess, tail, reliable) of the
        final weights and of reweighting the prior trials.
    notes : list of str
        What was done and what is approximate, in words.
    weights : numpy.ndarray
        The final normalised weights, one per trial of ``inputs`` / ``outputs``.
    inputs, outputs : pandas.DataFrame
        The final trials' sampled inputs and recorded outputs (one row per trial).
    """

    summary: pd.DataFrame
    observed: pd.DataFrame
    drivers: pd.DataFrame
    method: str
    reliable: bool
    diagnostics: Dict[str, Any]
    prior_reweighting: Dict[str, Any]
    refitted_inputs: List[str]
    copula_corrected: bool
    notes: List[str]
    weights: np.ndarray = field(repr=False)
    inputs: pd.DataFrame = field(repr=False)
    outputs: pd.DataFrame = field(repr=False)

    def __repr__(self) -> str:
        d = self.diagnostics
        return (f"<Update {self.method}: k-hat {d['k_hat']:.2f} (threshold {d['k_threshold']:.2f}), "
                f"ESS {d['ess']:,.0f} of {d['trials']:,} trials, {'reliable' if self.reliable else 'NOT reliable'}>")


def _classify(name: str, scenario: Scenario) -> str:
    fields = _core.update_field_names()
    arr, _, f = name.partition(".")
    arrangements = [scenario.baseline] + list(scenario.alternatives)
    if f and arr in arrangements and f in fields["outcome"] and f not in fields["arrangement"]:
        return "outputs"
    return "inputs"


def _observations(scenario: Scenario, observations: Union[None, str, os.PathLike, Mapping[str, Any]],
                  observe: Optional[Mapping[str, Tuple[float, float]]]) -> Dict[str, list]:
    obs: Dict[str, Any]
    if observations is None:
        obs = {}
    elif isinstance(observations, (str, os.PathLike)):
        with open(observations, encoding="utf-8") as fh:
            obs = json.load(fh)
    else:
        obs = dict(observations)
    unknown = set(obs) - {"inputs", "attrition", "outputs"}
    if unknown:
        raise _core.InvalidArgument(f"update: observations has unknown keys {sorted(unknown)}; "
                                    "allowed: inputs, attrition, outputs")
    out: Dict[str, list] = {"inputs": [], "attrition": [], "outputs": []}
    for o in obs.get("inputs", []):
        out["inputs"].append((str(o["input"]), float(o["value"]), float(o["sd"])))
    for o in obs.get("attrition", []):
        out["attrition"].append((str(o.get("arrangement", "")), int(o["leavers"]), int(o["engineers"]),
                                 float(o["months"]), str(o.get("model", "cohort"))))
    for o in obs.get("outputs", []):
        out["outputs"].append((str(o["output"]), float(o["value"]), float(o["sd"])))
    for name, (value, sd) in (observe or {}).items():
        out[_classify(name, scenario)].append((str(name), float(value), float(sd)))
    return out


def update(scenario: Scenario, observations: Union[None, str, os.PathLike, Mapping[str, Any]] = None, *,
           observe: Optional[Mapping[str, Tuple[float, float]]] = None, trials: int = 50000,
           seed: Optional[int] = None, threads: int = 0, min_ess: float = 1000.0, fallback: str = "auto",
           max_trials: int = 200000, alpha: float = 0.05,
           arrangements: Optional[Sequence[str]] = None) -> Update:
    """Update a scenario's forecast on observations (docs/learning-from-data.md).

    Parameters
    ----------
    scenario : Scenario
        The scenario (its distributions are the prior).
    observations : dict or path, optional
        ``{"inputs": [{"input", "value", "sd"}], "attrition": [{"arrangement", "leavers",
        "engineers", "months", "model"}], "outputs": [{"output", "value", "sd"}]}`` (every key
        optional; ``model`` is ``"cohort"``, E engineers followed for m months, or
        ``"exposure"``, E seats kept filled), or the path of a JSON file of that form.
    observe : mapping, optional
        ``{name: (value, sd)}``: measured inputs (``"offshore_team.hourly_rate_usd"``) or
        outputs (``"offshore_team.rework_share"``) with normal measurement error.
    trials : int
        Prior trials reweighted (>= 100).
    seed : int, optional
        Seed (default: the scenario's).
    threads : int
        Worker threads (0: all); never changes the result.
    min_ess : float
        Effective sample size target of the weights.
    fallback : str
        ``"auto"`` (when the weights degenerate), ``"never"`` or ``"always"``.
    max_trials : int
        Cap on the trials when more are needed.
    alpha : float
        Tail mass of the expected shortfall.
    arrangements : sequence of str, optional
        The arrangements reported (default: all).

    Returns
    -------
    Update

    Raises
    ------
    InvalidArgument
        For an unknown or constant input (with a did-you-mean), an unknown output, a
        measurement with sd <= 0 or a non-finite value, a count with leavers > engineers,
        engineers < 1 or months outside (0, 600], bad options: each message names the field
        (``observations.inputs[0].sd``), the value and what is allowed.
    """
    obs = _observations(scenario, observations, observe)
    r = _core.update_scenario(scenario, obs["inputs"], obs["attrition"], obs["outputs"], int(trials), seed,
                              int(threads), float(min_ess), fallback, int(max_trials), float(alpha),
                              list(arrangements or []))
    rows = []
    drivers = []
    for a in r["arrangements"]:
        for when in ("prior", "updated"):
            row: Dict[str, Any] = {"arrangement": a["name"], "when": when,
                                   "prob_delivered": a[f"{when}_delivered"]}
            if not a["is_baseline"]:
                s = a[when]
                row.update({k: s[k] for k in ("p10", "p50", "p90", "mean", "mean_se", "prob_loss",
                                              "expected_shortfall")})
                row["prob_breakeven"] = a[f"{when}_breakeven"]
                row["breakeven_p50"] = a[f"{when}_breakeven_p50"]
            rows.append(row)
        if not a["is_baseline"] and a["updated_drivers"]["names"]:
            p, u = a["prior_drivers"], a["updated_drivers"]
            for i, n in enumerate(u["names"]):
                drivers.append({"arrangement": a["name"], "input": n, "srrc_prior": p["srrc"][i] if p["srrc"] else 0.0,
                                "srrc_updated": u["srrc"][i], "prcc_updated": u["prcc"][i],
                                "spearman_updated": u["spearman"][i]})
    cols = ["p10", "p50", "p90", "mean", "mean_se", "prob_loss", "expected_shortfall", "prob_delivered",
            "prob_breakeven", "breakeven_p50"]
    summary = pd.DataFrame(rows).set_index(["arrangement", "when"]).reindex(columns=cols)
    observed = pd.DataFrame(r["observed"], columns=["name", "kind", "observation", "prior_mean", "prior_sd",
                                                    "prior_p10", "prior_p50", "prior_p90", "updated_mean",
                                                    "updated_sd", "updated_p10", "updated_p50",
                                                    "updated_p90"]).set_index("name")
    dcols = ["arrangement", "input", "srrc_prior", "srrc_updated", "prcc_updated", "spearman_updated"]
    dr = pd.DataFrame(drivers, columns=dcols)
    if len(dr):
        dr = dr.assign(_k=-dr["srrc_updated"].abs()).sort_values(["arrangement", "_k"], kind="stable").drop(columns="_k")
    dr = dr.set_index(["arrangement", "input"])
    inputs = pd.DataFrame({n: c for n, c in zip(r["input_names"], r["input_samples"])})
    outputs = pd.DataFrame({n: c for n, c in zip(r["output_names"], r["output_samples"])})
    return Update(summary=summary, observed=observed, drivers=dr, method=r["method"], reliable=r["reliable"],
                  diagnostics=dict(r["diagnostics"]), prior_reweighting=dict(r["prior_reweighting"]),
                  refitted_inputs=list(r["refitted_inputs"]), copula_corrected=bool(r["copula_corrected"]),
                  notes=list(r["notes"]), weights=r["weights"], inputs=inputs, outputs=outputs)


def plot_update(result: Update, arrangement: Optional[str] = None, ax=None):
    """Prior vs updated net benefit of an alternative: P10-P90 bars with the median and mean.

    Returns the matplotlib Axes (Agg-safe: no display needed).
    """
    from . import plot as _plot  # selects a headless backend when needed

    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(7, 2.6), layout="constrained")
    s = result.summary
    names = [a for a in s.index.get_level_values(0).unique() if not np.isnan(s.loc[(a, "prior"), "p50"])]
    if not names:
        raise _core.InvalidArgument("plot_update: the result has no alternative arrangement")
    a = arrangement or names[0]
    if a not in names:
        raise _core.InvalidArgument(f"plot_update: arrangement = {a!r} is not an alternative of the result; "
                                    f"alternatives: {names}")
    for y, when, color in ((1, "prior", "0.6"), (0, "updated", "C0")):
        row = s.loc[(a, when)]
        ax.plot([row["p10"], row["p90"]], [y, y], color=color, lw=6, solid_capstyle="butt")
        ax.plot([row["p50"]], [y], "|", color="k", ms=16)
        ax.plot([row["mean"]], [y], "o", color="k", ms=4)
    ax.axvline(0.0, color="0.3", lw=0.8, ls=":")
    ax.set_yticks([0, 1], ["updated", "prior"])
    ax.set_ylim(-0.7, 1.7)
    ax.set_xlabel(f"Net benefit of {a}, USD (present value): P10-P90 bar, | median, o mean")
    ax.set_title(f"{result.method}: k-hat {result.diagnostics['k_hat']:.2f}, ESS {result.diagnostics['ess']:,.0f}"
                 + ("" if result.reliable else " (NOT reliable)"), fontsize=9)
    _plot.money_axis(ax.xaxis)
    return ax
