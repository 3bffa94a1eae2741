"""The ROI model from Python: Scenario, simulate -> Result, compare, sweep, breakeven, sensitivity.

Every number comes from the C++ core; this module only reshapes results into pandas/numpy.
"""
from __future__ import annotations

import json
from typing import Dict, Iterable, Optional, Sequence

import numpy as np
import pandas as pd

from . import _core
from ._core import Scenario, contract_types, framings, presets
from .distributions import _sobol_frame, _tornado_frame

__all__ = ["Scenario", "presets", "contract_types", "framings", "NEVER_MONTH", "MONTH_FIELDS", "WATERFALL_BARS",
           "Result", "simulate", "compare", "sweep", "breakeven", "sensitivity"]

#: The value of a month output (break-even, parity) that never happens (C++ offroi::never_month).
NEVER_MONTH: float = float(_core.never_month)

#: Month outputs that hold NEVER_MONTH for "never".
MONTH_FIELDS = ("breakeven_month", "parity_month")

#: The waterfall bars in report order, as (output field, label); they add up to the net benefit.
WATERFALL_BARS = tuple((f, lbl) for f, lbl in _core.waterfall_bars())


def _progress_callable(progress, desc: str):
    """None, a callable(done, total), or True for a tqdm bar (if tqdm is installed)."""
    if progress is None or progress is False:
        return None, None
    if progress is True:
        try:
            from tqdm.auto import tqdm
        except ImportError:  # pragma: no cover - tqdm is optional
            return None, None
        bar = tqdm(total=0, desc=desc, unit="trial", unit_scale=True)

        def update(done, total):
            if total and bar.total != total:
                bar.total = total
            bar.n = done
            bar.refresh()
        return update, bar
    if callable(progress):
        return progress, None
    raise TypeError("progress must be None, True or a callable(done, total)")


def _call(fn, *args, progress=None, desc="offroi", **kw):
    cb, bar = _progress_callable(progress, desc)
    try:
        return fn(*args, progress=cb, **kw)
    finally:
        if bar is not None:
            bar.close()


class Result:
    """The result of :func:`simulate`: summaries, per-trial samples (numpy views) and components.

    Attributes
    ----------
    run : offroi._core.Run
        The C++ result (owns the samples).
    data : dict
        The result as the JSON form of the C++ result (``offroi run --format json``).
    """

    def __init__(self, run: "_core.Run"):
        self.run = run
        self.data = json.loads(run.to_json())
        # The per-arrangement facts straight from the C++ arrangement_result (probabilities of
        # delivery, break-even and parity; the waterfall rows with their output fields).
        facts = {a["name"]: a for a in run.arrangements}
        for a in self.data["arrangements"]:
            f = facts[a["name"]]
            a.update({k: v for k, v in f.items() if k not in ("name", "breakdown")})
            if not f["is_baseline"]:
                a["breakdown"] = f["breakdown"]

    # -- basic facts -------------------------------------------------------------
    @property
    def trials(self) -> int:
        """Number of trials run."""
        return self.run.trials

    @property
    def seed(self) -> int:
        """The seed used."""
        return self.run.seed

    @property
    def arrangements(self) -> list:
        """Arrangement names, baseline first."""
        return [a["name"] for a in self.data["arrangements"]]

    @property
    def baseline(self) -> str:
        """The baseline's name."""
        return self.arrangements[0]

    @property
    def alternatives(self) -> list:
        """The alternatives' names."""
        return self.arrangements[1:]

    @property
    def framing(self) -> str:
        """The scenario's framing: "project" or "capacity"."""
        return self.run.scenario.framing

    @property
    def horizon_months(self) -> int:
        """The scenario's horizon."""
        return self.run.scenario.horizon_months

    @property
    def output_names(self) -> list:
        """Output columns, ``"<arrangement>.<field>"``."""
        return list(self.run.output_names)

    def _arr(self, name: Optional[str]) -> dict:
        if name is None:
            name = self.alternatives[0]
        for a in self.data["arrangements"]:
            if a["name"] == name:
                return a
        raise _core.InvalidArgument(f"Result: no arrangement \"{name}\"; arrangements: {', '.join(self.arrangements)}")

    # -- tables -----------------------------------------------------------------------
    def summary(self, field: str = "net_benefit") -> pd.DataFrame:
        """Summary of one outcome ``field`` for every arrangement that has it.

        Returns
        -------
        pandas.DataFrame
            Index: arrangement; columns mean, sd, se, p10, p50, p90, min, max, prob_negative,
            expected_shortfall (and ``prob_loss`` for the net benefit, ``prob_delivered`` for
            ``delivered``). For the month fields (:data:`MONTH_FIELDS`) a value of
            :data:`NEVER_MONTH` ("never") shows as +inf, mean/sd/se are NaN when any trial
            never gets there, and ``prob_in_horizon`` is added.
        """
        rows = {}
        month = field in MONTH_FIELDS
        for a in self.data["arrangements"]:
            s = a["outputs"].get(field)
            if s is None:
                continue
            row = {"mean": s["mean"], "sd": s["standard_deviation"], "se": s["standard_error"]}
            for p in s["percentiles"]:
                row[f"p{round(p['p'] * 100):g}"] = p["value"]
            row.update(min=s["min"], max=s["max"], prob_negative=s["prob_negative"],
                       expected_shortfall=s["expected_shortfall"])
            if month:
                # NEVER_MONTH is "never": +inf in the percentiles; a mean over it means nothing.
                for k in row:
                    if row[k] is not None and row[k] >= NEVER_MONTH:
                        row[k] = np.inf
                if row["max"] == np.inf:
                    row.update(mean=np.nan, sd=np.nan, se=np.nan, expected_shortfall=np.nan)
                row["prob_in_horizon"] = a["prob_breakeven" if field == "breakeven_month" else "prob_parity"]
            elif field == "net_benefit" and "prob_net_loss" in a:
                row["prob_loss"] = a["prob_net_loss"]
            elif field == "delivered":
                row["prob_delivered"] = a["prob_delivered"]
            rows[a["name"]] = row
        if not rows:
            raise _core.InvalidArgument(f"Result.summary: no output field \"{field}\"; fields: "
                                        + ", ".join(sorted({n.split('.', 1)[1] for n in self.output_names})))
        df = pd.DataFrame.from_dict(rows, orient="index")
        df.index.name = "arrangement"
        return df

    def summaries(self) -> pd.DataFrame:
        """Every output's summary in long form (arrangement, field, mean, sd, p10, p50, p90)."""
        rows = []
        for a in self.data["arrangements"]:
            for field, s in a["outputs"].items():
                r = {"arrangement": a["name"], "field": field, "mean": s["mean"], "sd": s["standard_deviation"]}
                for p in s["percentiles"]:
                    r[f"p{round(p['p'] * 100):g}"] = p["value"]
                rows.append(r)
        return pd.DataFrame(rows)

    def components(self, arrangement: Optional[str] = None) -> pd.Series:
        """The mean net benefit split into the eight waterfall bars (rate gap, volume,
        transition, quality, management, talent access, delivery, risk events), then
        ``"net benefit"``. The bars add up to the net benefit trial by trial, so their means
        add up to the mean net benefit (to rounding)."""
        a = self._arr(arrangement)
        if a.get("is_baseline"):
            raise _core.InvalidArgument(f"Result.components: \"{a['name']}\" is the baseline; it has no components")
        s = pd.Series({b["component"]: b["mean_usd"] for b in a["breakdown"]}, name=a["name"])
        s.index.name = "component"
        return s

    def breakdown(self, arrangement: Optional[str] = None) -> pd.DataFrame:
        """The waterfall as a table: component (label), output (field), mean_usd and its
        standard error ``se``; eight bars, then the net benefit."""
        a = self._arr(arrangement)
        if a.get("is_baseline"):
            raise _core.InvalidArgument(f"Result.breakdown: \"{a['name']}\" is the baseline; it has no breakdown")
        rows = [{"component": b["component"], "output": b["output"], "mean_usd": b["mean_usd"],
                 "se": a["outputs"][b["output"]]["standard_error"] if b["output"] in a["outputs"] else np.nan}
                for b in a["breakdown"]]
        df = pd.DataFrame(rows).set_index("component")
        df.attrs["arrangement"] = a["name"]
        return df

    def prob_loss(self, arrangement: Optional[str] = None) -> float:
        """P(net benefit < 0) of an alternative (default: the first)."""
        return float(self._arr(arrangement)["prob_net_loss"])

    def prob_delivered(self, arrangement: Optional[str] = None) -> float:
        """Share of trials in which an arrangement (default: the first alternative; the
        baseline too) delivers the backlog within the horizon (capacity framing: 1)."""
        return float(self._arr(arrangement)["prob_delivered"])

    def prob_breakeven(self, arrangement: Optional[str] = None) -> float:
        """Share of trials in which an alternative breaks even in cash within the horizon."""
        return float(self._arr(arrangement)["prob_breakeven"])

    def prob_parity(self, arrangement: Optional[str] = None) -> float:
        """Share of trials in which an alternative reaches cost parity (trailing-year cost per
        useful engineer-month at or below the baseline's) within the horizon."""
        return float(self._arr(arrangement)["prob_parity"])

    def decision(self) -> pd.DataFrame:
        """One row per alternative with what a decision needs: the net benefit (mean, se,
        P10/P50/P90), P(loss), the expected shortfall, the net saving on spend (median),
        P(delivered) of the alternative and of the baseline, P(break-even) and P(parity)
        within the horizon and the median break-even and parity months (+inf: never)."""
        rows = {}
        base = self._arr(self.baseline)
        for n in self.alternatives:
            a = self._arr(n)
            nb = a["outputs"]["net_benefit"]
            pct = {f"p{round(p['p'] * 100):g}": p["value"] for p in nb["percentiles"]}

            def med(field):
                o = a["outputs"].get(field)
                if o is None:
                    return np.nan
                v = next((p["value"] for p in o["percentiles"] if p["p"] == 0.5), np.nan)
                return np.inf if v is not None and v >= NEVER_MONTH else v

            rows[n] = {"mean": nb["mean"], "se": nb["standard_error"], "p10": pct.get("p10"), "p50": pct.get("p50"),
                       "p90": pct.get("p90"), "prob_loss": a["prob_net_loss"],
                       "expected_shortfall_loss": a["expected_shortfall_loss"], "net_saving_p50": med("net_saving"),
                       "prob_delivered": a["prob_delivered"], "baseline_prob_delivered": base["prob_delivered"],
                       "prob_breakeven": a["prob_breakeven"], "prob_parity": a["prob_parity"],
                       "breakeven_month_p50": med("breakeven_month"), "parity_month_p50": med("parity_month")}
        df = pd.DataFrame.from_dict(rows, orient="index")
        df.index.name = "arrangement"
        df.attrs.update(framing=self.framing, horizon_months=self.horizon_months, baseline=self.baseline)
        return df

    def expected_shortfall(self, arrangement: Optional[str] = None) -> float:
        """Mean loss in the worst 5% of trials (> 0: losing money)."""
        return float(self._arr(arrangement)["expected_shortfall_loss"])

    def quantiles(self, ps: Iterable[float], output: Optional[str] = None) -> pd.Series:
        """Quantiles (type 7 from the kept samples) of ``output`` (default: first alternative's net benefit)."""
        output = output or f"{self.alternatives[0]}.net_benefit"
        ps = [float(p) for p in ps]
        return pd.Series([self.run.quantile(output, p) for p in ps], index=pd.Index(ps, name="p"), name=output)

    def samples(self, outputs: Optional[Sequence[str]] = None) -> Dict[str, np.ndarray]:
        """Per-trial values as read-only numpy views of the C++ result (no copy).

        Each array's ``base`` keeps the result alive. ``outputs`` defaults to every output.
        """
        names = self.output_names if outputs is None else list(outputs)
        return {n: self.run.samples(n) for n in names}

    def samples_frame(self, outputs: Optional[Sequence[str]] = None) -> pd.DataFrame:
        """The samples as a DataFrame (this copies)."""
        return pd.DataFrame(self.samples(outputs))

    def months(self, field: str = "breakeven_month", arrangement: Optional[str] = None) -> np.ndarray:
        """Per-trial values of a month output (``breakeven_month``, ``parity_month``,
        ``delivery_month``) of an arrangement as a new float array in which
        :data:`NEVER_MONTH` ("never") is +inf (needs kept samples)."""
        name = self._arr(arrangement)["name"]
        x = np.array(self.run.samples(f"{name}.{field}"), dtype=float)
        if field in MONTH_FIELDS:
            x[x >= NEVER_MONTH] = np.inf
        return x

    def drivers(self, arrangement: Optional[str] = None) -> pd.DataFrame:
        """Rank sensitivity of an alternative's net benefit to the sampled inputs
        (needs ``driver_trials`` > 0 in :func:`simulate`)."""
        j = json.loads(self.run.drivers(arrangement or ""))
        df = pd.DataFrame(j["drivers"]).set_index("input")
        df.attrs.update({k: v for k, v in j.items() if k != "drivers"})
        return df

    def to_json(self) -> str:
        """The C++ result's JSON (no wall-clock time: equal runs give equal text)."""
        return self.run.to_json()

    def __repr__(self) -> str:
        return f"<offroi.Result '{self.data['scenario']}' {self.trials} trials, seed {self.seed}>"


def simulate(scenario: Scenario, trials: int = 0, seed: Optional[int] = None, sampler: Optional[str] = None,
             threads: int = 0, progress=None, keep_samples: bool = True, all_outputs: bool = False,
             driver_trials: int = 0) -> Result:
    """Simulate a scenario.

    Parameters
    ----------
    scenario : Scenario
    trials : int
        Trials (0: the scenario's ``simulation.trials``).
    seed : int, optional
        Seed (default: the scenario's). Same seed, same bits, for any ``threads``.
    sampler : {"mc", "lhs", "sobol"}, optional
        Design (default: the scenario's).
    threads : int
        Worker threads (0: all).
    progress : None, True or callable(done, total)
        True shows a tqdm bar. Ctrl-C cancels the run and raises KeyboardInterrupt.
    keep_samples : bool
        Keep per-trial outputs (within a 512 MiB budget) for :meth:`Result.samples`.
    driver_trials : int
        Trials whose inputs are recorded for :meth:`Result.drivers`.

    Returns
    -------
    Result

    Raises
    ------
    offroi.InvalidScenario, offroi.InvalidArgument
    """
    run = _call(_core.simulate, scenario, int(trials), seed, sampler, int(threads), keep_samples, all_outputs,
                int(driver_trials), progress=progress, desc="simulate")
    return Result(run)


def compare(scenario: Scenario, trials: int = 0, seed: Optional[int] = None, sampler: Optional[str] = None,
            threads: int = 0, pairing: str = "common", progress=None) -> pd.DataFrame:
    """Pairwise comparison of the arrangements on common random numbers.

    Returns
    -------
    pandas.DataFrame
        One row per pair (a, b): mean difference of net benefit NB(a) - NB(b), its SE, P10/P50/P90,
        and ``prob_a_better``. ``attrs["mean_net_benefit"]`` maps arrangement to mean net benefit.
    """
    j = json.loads(_call(_core.compare, scenario, int(trials), seed, sampler, int(threads), pairing,
                         progress=progress, desc="compare"))
    rows = []
    for p in j["pairs"]:
        d = p["net_benefit_difference"]
        rows.append({"a": p["a"], "b": p["b"], "mean": d["mean"], "se": d["standard_error"], "p10": d["p10"],
                     "p50": d["p50"], "p90": d["p90"], "prob_a_better": p["prob_a_better"]})
    df = pd.DataFrame(rows)
    df.attrs.update({k: v for k, v in j.items() if k != "pairs"})
    return df


def sweep(scenario: Scenario, input: str, values: Sequence[float], mode: str = "set", trials: int = 0,  # noqa: A002
          seed: Optional[int] = None, sampler: Optional[str] = None, threads: int = 0, progress=None) -> pd.DataFrame:
    """Net benefit of every alternative as one input is set to (mode "set") or scaled by
    (mode "scale") each of ``values``, at the same seed (common random numbers).

    Returns
    -------
    pandas.DataFrame
        Long form: value, arrangement, p10, p50, p90, mean, se, prob_loss, net_saving_p50,
        prob_delivered (and the baseline's, baseline_prob_delivered), breakeven_month_p50,
        prob_breakeven, parity_month_p50, prob_parity (median months: +inf for never).
        ``attrs["best_mean_value"]`` maps each alternative to the value with the highest
        mean net benefit among those swept.
    """
    j = json.loads(_call(_core.sweep, scenario, input, [float(v) for v in values], mode, int(trials), seed,
                         sampler, int(threads), progress=progress, desc="sweep"))
    return _sweep_frame(j)


_SWEEP_EXTRA = ("net_saving_p50", "prob_delivered", "breakeven_month_p50", "prob_breakeven", "parity_month_p50",
                "prob_parity")


def _sweep_frame(j: dict) -> pd.DataFrame:
    rows = []
    for st in j["steps"]:
        for a in st["alternatives"]:
            r = {"value": st["value"], "arrangement": a["arrangement"], "p10": a["p10"], "p50": a["p50"],
                 "p90": a["p90"], "mean": a["mean"], "se": a["standard_error"], "prob_loss": a["prob_loss"]}
            for k in _SWEEP_EXTRA:
                if k in a:
                    v = a[k]
                    r[k] = np.inf if k.endswith("month_p50") and v is not None and v >= NEVER_MONTH else v
            if "baseline_prob_delivered" in st:
                r["baseline_prob_delivered"] = st["baseline_prob_delivered"]
            rows.append(r)
    df = pd.DataFrame(rows)
    df.attrs.update({k: v for k, v in j.items() if k != "steps"})
    return df


def breakeven(scenario: Scenario, input: str, lower: float, upper: float, mode: str = "set",  # noqa: A002
              arrangement: str = "", target: str = "median_net_benefit", prob_loss_target: float = 0.5,
              trials: int = 0, seed: Optional[int] = None, sampler: Optional[str] = None, threads: int = 0,
              x_tolerance: float = 0.0, max_evaluations: int = 60, progress=None) -> dict:
    """The input value where an alternative breaks even (median net benefit 0, or P(loss) = target).

    Returns
    -------
    dict
        ``value``, ``standard_error``, ``slope``, ``evaluations`` ... (the C++ breakeven_result).
    """
    return json.loads(_call(_core.breakeven, scenario, input, float(lower), float(upper), mode, arrangement, target,
                            float(prob_loss_target), float(x_tolerance), int(max_evaluations), int(trials), seed,
                            sampler, int(threads), progress=progress, desc="breakeven"))


class _Sensitivity:
    """Model-level sensitivity of an alternative's net benefit (``offroi.sensitivity.*``)."""

    @staticmethod
    def tornado(scenario: Scenario, arrangement: str = "", event_trials: int = 1024, seed: int = 0) -> pd.DataFrame:
        """Swing of the expected net benefit as each sampled input goes P10 -> P90, others at P50."""
        return _tornado_frame(json.loads(_core.scenario_tornado(scenario, arrangement, int(event_trials), int(seed))))

    @staticmethod
    def sobol(scenario: Scenario, arrangement: str = "", n: int = 1024, event_trials: int = 256, seed: int = 0,
              bootstrap: int = 100, threads: int = 0) -> pd.DataFrame:
        """Sobol' first-order and total indices of the (event-averaged) net benefit."""
        return _sobol_frame(_core.scenario_sobol(scenario, arrangement, int(n), int(event_trials), int(seed),
                                                 int(bootstrap), int(threads)))

    @staticmethod
    def rank(scenario: Scenario, arrangement: str = "", trials: int = 20000, seed: Optional[int] = None) -> pd.DataFrame:
        """Spearman/SRRC ranking of the inputs from a run's recorded draws."""
        return simulate(scenario, trials=trials, seed=seed, keep_samples=False,
                        driver_trials=trials).drivers(arrangement or None)


sensitivity = _Sensitivity()
