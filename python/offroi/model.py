"""The ROI model from Python: Scenario, simulate -> Result, compare, sweep, breakeven, sensitivity.

Every number comes from the C++ core; this module only reshapes results into pandas/numpy.
"""
from __future__ import annotations

import json
import numbers
import warnings
from dataclasses import dataclass, field as _dc_field
from typing import Dict, Iterable, Mapping, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

from . import _core
from ._core import Scenario, contract_types, framings, presets
from .distributions import scaled as _scaled_distribution

__all__ = ["Scenario", "presets", "contract_types", "framings", "NEVER_MONTH", "MONTH_FIELDS", "MONTH_OUTPUTS",
           "WATERFALL_BARS", "OUTPUT_ALIASES", "Result", "BreakevenResult", "simulate", "compare", "sweep",
           "breakeven"]

#: The value of a month output (break-even, parity) that never happens (C++ offroi::never_month).
NEVER_MONTH: float = float(_core.never_month)

#: Month outputs that hold NEVER_MONTH for "never".
MONTH_FIELDS = ("breakeven_month", "parity_month")

#: Every month output, with "never" as a first-class outcome in :meth:`Result.summary`:
#: P(within the horizon), P(beyond it, extrapolated), P(never), and the month summarised
#: over the trials in which it happens within the horizon.
MONTH_OUTPUTS = ("delivery_month", "breakeven_month", "parity_month")

#: Output names of earlier releases and their current names (format 1 -> 2; accepted with a
#: DeprecationWarning for one release).
OUTPUT_ALIASES = {"cost_of_delay": "delay_cost", "direct_cost": "spend", "payback_month": "breakeven_month"}

#: Outputs whose lower tail is the bad one (the expected shortfall is a loss there).
_BENEFIT_FIELDS = ("net_benefit", "net_saving", "roi", "gross_rate_saving", "delivery_value")


def _is_benefit(field: str) -> bool:
    return field in _BENEFIT_FIELDS or field.startswith("nb_")


def _current_output(field: str, where: str) -> str:
    """The current name of an output field; old names warn (DeprecationWarning)."""
    if field in OUTPUT_ALIASES:
        new = OUTPUT_ALIASES[field]
        warnings.warn(f"{where}: output \"{field}\" is now called \"{new}\"; the old name is accepted for one "
                      "more release", DeprecationWarning, stacklevel=3)
        return new
    return field


def _current_column(name: str, where: str) -> str:
    arr, dot, field = name.rpartition(".")
    if not dot:
        return name
    return f"{arr}.{_current_output(field, where)}"


# -- Scenario: the compiled class with a few Python conveniences ------------------------------
# The compiled methods, kept once (a reload of this module must not wrap the wrappers).
if not hasattr(_core.Scenario, "_compiled"):
    _core.Scenario._compiled = {"from_presets": _core.Scenario.from_presets, "set": _core.Scenario.set,
                                "validate": _core.Scenario.validate}
_core_from_presets = _core.Scenario._compiled["from_presets"]
_core_set = _core.Scenario._compiled["set"]


def _from_presets(alternatives, baseline: str = "in_house", framing: str = "project", name: Optional[str] = None,
                  baseline_name: Optional[str] = None) -> "Scenario":
    """A scenario of preset arrangements sharing the default scenario's global inputs.

    Parameters
    ----------
    alternatives : list of preset names, or {arrangement name: preset}, or [(name, preset)]
        The compared arrangements (``offroi.presets()``); a name is needed to compare two
        arrangements of the same preset (names must be unique and have no ".").
    baseline : str
        The baseline's preset.
    framing : {"project", "capacity"}
    name : str, optional
        The scenario's name (default: "<alternatives> vs <baseline>").
    baseline_name : str, optional
        The baseline's name (default: its preset's).

    Each arrangement's capability tier follows its rate within its labour market's band
    (docs/model.md), as in the default scenario, so rate and tier need no correlation: a
    dearer draw of a team's rate is a better team by mechanism. The default scenario states
    no correlations; neither does this one.

    Examples
    --------
    >>> s = Scenario.from_presets({"india_team": "offshore_team", "lisbon_team": "nearshore"},
    ...                           baseline="in_house", baseline_name="local_hiring", name="Where to build")
    """
    if isinstance(alternatives, Mapping):
        pairs = [(str(k), str(v)) for k, v in alternatives.items()]
    else:
        pairs = []
        for a in alternatives:
            if isinstance(a, str):
                pairs.append((a, a))
            else:
                n, p = a
                pairs.append((str(n), str(p)))
    if not pairs:
        raise _core.InvalidArgument("Scenario.from_presets: alternatives is empty; give at least one preset "
                                    f"(offroi.presets(): {', '.join(presets())})")
    s = _core_from_presets([p for _, p in pairs], baseline, framing)
    d = s.to_dict("overrides")
    bname = baseline_name or baseline
    names = [bname] + [n for n, _ in pairs]
    for n in names:
        if "." in n or not n:
            raise _core.InvalidArgument(f"Scenario.from_presets: arrangement name \"{n}\" must be non-empty and "
                                        "have no \".\" (it prefixes the input names)")
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise _core.InvalidArgument(f"Scenario.from_presets: arrangement names must be unique; "
                                    f"\"{dup[0]}\" is used twice (give names: {{name: preset}})")
    d["baseline"]["name"] = bname
    for a, (n, _) in zip(d["alternatives"], pairs):
        a["name"] = n
    d["name"] = name or f"{', '.join(n for n, _ in pairs)} vs {bname}"
    # Parsed under the project framing, then given its own: like the compiled from_presets,
    # the result is not validated yet (a preset's fixed price under the capacity framing is
    # fixed with set_contract before simulate, which validates).
    d["framing"] = "project"
    s = _core.Scenario._compiled["from_dict"](d)
    s.framing = framing
    return s


def _set(self, input: str, dist) -> "Scenario":  # noqa: A002
    """Replace input ``input`` (\"<field>\" or \"<arrangement>.<field>\") by ``dist``: a
    Distribution or a plain number (a constant). Returns the scenario, so calls chain.

    Raises offroi.InvalidArgument for an unknown input (with the closest names)."""
    if isinstance(dist, numbers.Real) and not isinstance(dist, bool):
        dist = _core.Distribution.constant(float(dist))
    elif not isinstance(dist, _core.Distribution):
        raise TypeError(f"Scenario.set: {input} must be set to an offroi Distribution or a number, "
                        f"not {type(dist).__name__}")
    try:
        _core_set(self, input, dist)
    except _core.InvalidArgument as e:
        raise _core.InvalidArgument(_did_you_mean(str(e), input, self)) from None
    _set_stated(self, input, dist)
    return self


def _did_you_mean(message: str, name: str, scenario) -> str:
    """A message about an unknown input, with the closest input names appended."""
    if "did you mean" in message.lower():
        return message
    import difflib
    close = difflib.get_close_matches(name, scenario.inputs, n=3, cutoff=0.6)
    return message + (f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else "")


def _scale(self, input: str, factor: float) -> "Scenario":  # noqa: A002
    """Multiply input ``input`` by ``factor`` (> 0) in every trial, keeping its uncertainty:
    its distribution is replaced by the scaled one (P10, P50, P90 all times ``factor``), as
    ``sweep(..., mode="scale")`` does for one step. Returns the scenario."""
    try:
        current = self.get(input)
    except _core.InvalidArgument as e:
        raise _core.InvalidArgument(_did_you_mean(str(e), input, self)) from None
    _core_set(self, input, _scaled_distribution(current, factor, where=f"Scenario.scale: {input}"))
    return self


_core_validate = _core.Scenario._compiled["validate"]


def _input_names_in(message: str, scenario) -> str:
    """A validation message with JSON paths ("alternatives[0].hourly_rate_usd") written as
    input names ("offshore_team.hourly_rate_usd")."""
    import re
    alts = scenario.alternatives

    def alt(m):
        i = int(m.group(1))
        return f"{alts[i]}." if i < len(alts) else m.group(0)
    message = re.sub(r"\balternatives\[(\d+)\]\.", alt, message)
    return re.sub(r"(^|[\s:(])baseline\.", lambda m: f"{m.group(1)}{scenario.baseline}.", message)


def _validate(self, run: bool = False) -> None:
    """Check the scenario now, as simulate would before running: raises
    offroi.InvalidScenario naming the first invalid input by its input name
    ("offshore_team.hourly_rate_usd"), its value and what is allowed. With run=True,
    also run what simulate and the driver ranking run on 256 trials (every output checked
    finite), as `offroi validate` does, so that a scenario that passes runs."""
    try:
        _core_validate(self, run)
    except _core.InvalidScenario as e:
        raise _core.InvalidScenario(_input_names_in(str(e), self)) from None


# -- notes and stated forms: what save() keeps ------------------------------------------------
# The C++ scenario holds distributions by their parameters (a lognormal by mu and sigma) and
# no notes. The Python Scenario remembers, in its own attributes, the notes of the file it was
# read from ("description", "assumptions" of the scenario and of each arrangement) and the
# form each input was stated in (a lognormal by P10/P90, read from a file or made by
# offroi.lognormal(p10=, p90=)); to_dict, to_json and save write them back. A stated form is
# written only while the input still is that distribution (set() and scale() replace it).
_NOTE_KEYS = ("description", "assumptions")
for _k in ("to_dict", "to_json", "save", "copy", "load", "from_json", "from_dict", "default"):
    _core.Scenario._compiled.setdefault(_k, getattr(_core.Scenario, _k))


def _meta(self) -> dict:
    m = self.__dict__.get("_offroi_meta")
    if m is None:
        m = {"notes": {}, "stated": {}}
        self.__dict__["_offroi_meta"] = m
    return m


def _has_meta(self) -> bool:
    m = self.__dict__.get("_offroi_meta")
    return bool(m and (m["notes"] or m["stated"]))


def _rebuild(text: str) -> "Scenario":
    """Unpickling: a scenario from its complete JSON text, notes and stated forms included."""
    return _from_json(text, "pickle")


def _reduce(self):
    return (_rebuild, (_to_json(self, "complete"),))


def _harvest(scenario, d: Mapping) -> "Scenario":
    """Remember the notes and the stated input forms of the scenario dict ``d`` it was read from."""
    meta = _meta(scenario)
    fields = set(scenario.scenario_inputs)

    def notes(obj, key):
        n = {k: obj[k] for k in _NOTE_KEYS if k in obj}
        if n:
            meta["notes"][key] = n
    notes(d, "")

    def stated(name, raw):
        # Only a form that differs from the canonical one needs remembering.
        try:
            canonical = json.loads(_core.Distribution.from_json(json.dumps(raw)).to_json())
        except (_core.OffroiError, ValueError, TypeError):
            return
        if canonical != raw:
            meta["stated"][name] = raw
    for k, v in d.items():
        if k in fields:
            stated(k, v)
    arrangement_fields = {n.split(".", 1)[1] for n in scenario.inputs if "." in n}
    for arr in [d.get("baseline")] + list(d.get("alternatives") or []):
        if not isinstance(arr, Mapping):
            continue
        name = arr.get("name") or arr.get("preset")
        notes(arr, name)
        for k, v in arr.items():
            if k in arrangement_fields:
                stated(f"{name}.{k}", v)
    return scenario


_PROBE = np.array([0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999])


def _same(raw, dist) -> bool:
    """Whether the stated form ``raw`` is the distribution ``dist``: the same family and the
    same quantiles (to 1e-12), whatever parameters either is held by."""
    try:
        d = _core.Distribution.from_json(json.dumps(raw))
    except (_core.OffroiError, ValueError, TypeError):
        return False
    if d.family != dist.family:
        return False
    a, b = d.ppf(_PROBE), dist.ppf(_PROBE)
    return bool(np.all((a == b) | (np.abs(a - b) <= 1e-12 * np.maximum(np.abs(a), np.abs(b)))))


def _to_dict(self, style: str = "overrides") -> dict:
    """The scenario's JSON form as a dict, with its notes and the inputs in the form they were
    stated in (see :meth:`save`)."""
    d = _core.Scenario._compiled["to_dict"](self, style)
    meta = self.__dict__.get("_offroi_meta")
    if not meta:
        return d
    arrangements = {a["name"]: a for a in [d["baseline"]] + list(d["alternatives"])}
    for name, raw in meta["stated"].items():
        arr, dot, field = name.rpartition(".")
        target = arrangements.get(arr) if dot else d
        if target is None or field not in target:
            continue  # not written in this style (an override equal to the preset)
        try:
            current = self.get(name)
        except (_core.OffroiError, ValueError):
            continue
        if _same(raw, current):
            target[field] = raw
    for key, n in meta["notes"].items():
        target = d if key == "" else arrangements.get(key)
        if target is not None:
            target.update(n)
    return d


def _to_json(self, style: str = "overrides") -> str:
    """The scenario file text (2-space indent, sorted keys), with its notes and stated forms."""
    if not _has_meta(self):
        return _core.Scenario._compiled["to_json"](self, style)
    return json.dumps(_to_dict(self, style), indent=2, sort_keys=True)


def _save(self, path: str, style: str = "overrides") -> None:
    """Write the scenario file. An input keeps the form it was stated in (a lognormal by its
    P10/P90, as read from a file or made with offroi.lognormal(p10=, p90=)) while it is that
    distribution; the descriptions and assumptions of the scenario and of its arrangements
    are written back. ``style``: "overrides" (arrangement fields that differ from the preset)
    or "complete"."""
    if not _has_meta(self):
        return _core.Scenario._compiled["save"](self, path, style)
    _core.Scenario._compiled["validate"](self)
    with open(path, "w") as f:
        f.write(_to_json(self, style) + "\n")


def _copy(self, *_memo) -> "Scenario":
    """An independent copy (notes and stated forms included)."""
    import copy as _copymod
    c = _core.Scenario._compiled["copy"](self)
    meta = self.__dict__.get("_offroi_meta")
    if meta:
        c.__dict__["_offroi_meta"] = _copymod.deepcopy(meta)
    return c


def _load(path: str) -> "Scenario":
    """Scenario.load(path) -> Scenario: reads and validates a scenario file (JSON,
    docs/scenario-format.md), keeping its notes and the form of its inputs for save()."""
    s = _core.Scenario._compiled["load"](path)
    try:
        with open(path) as f:
            return _harvest(s, json.load(f))
    except (OSError, ValueError):
        return s


def _from_json(text: str, source: str = "") -> "Scenario":
    """Scenario.from_json(text, source='') -> Scenario: parses and validates scenario JSON text
    (``source`` names it in messages), keeping its notes and stated forms for save()."""
    s = _core.Scenario._compiled["from_json"](text, source)
    try:
        return _harvest(s, json.loads(text))
    except ValueError:
        return s


def _from_dict(d) -> "Scenario":
    """Scenario.from_dict(d) -> Scenario: a scenario from its JSON form as a dict."""
    return _harvest(_core.Scenario._compiled["from_dict"](d), d)


def _default() -> "Scenario":
    """The built-in default scenario (docs/model.md section 7); its cost of delay is stated
    by P10/P90 ($60k, $250k per month) and saved so."""
    s = _core.Scenario._compiled["default"]()
    _meta(s)["stated"]["cost_of_delay_per_month_usd"] = {"lognormal": {"p10": 60000.0, "p90": 250000.0}}
    return s


def _set_stated(self, input: str, dist) -> None:  # noqa: A002
    stated = getattr(dist, "_stated", None)
    if stated is not None:
        _meta(self)["stated"][input] = stated
    elif self.__dict__.get("_offroi_meta"):
        self.__dict__["_offroi_meta"]["stated"].pop(input, None)


_core.Scenario.from_presets = staticmethod(_from_presets)
_core.Scenario.set = _set
_core.Scenario.scale = _scale
_core.Scenario.validate = _validate
_core.Scenario.to_dict = _to_dict
_core.Scenario.to_json = _to_json
_core.Scenario.save = _save
_core.Scenario.copy = _copy
_core.Scenario.__copy__ = _copy
_core.Scenario.__deepcopy__ = _copy
_core.Scenario.load = staticmethod(_load)
_core.Scenario.from_json = staticmethod(_from_json)
_core.Scenario.from_dict = staticmethod(_from_dict)
_core.Scenario.default = staticmethod(_default)
_core.Scenario.__reduce__ = _reduce

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


def _nan(x):
    return np.nan if x is None else x


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
        """Summary of one output ``field`` for every arrangement, the baseline included.

        The columns are those that mean something for the field:

        - every field: ``mean``, ``sd``, ``se``, ``p10``, ``p50``, ``p90``, ``min``, ``max``;
        - benefits (``net_benefit``, ``net_saving``, ``roi``, ``delivery_value``, the
          waterfall bars ``nb_*``): ``prob_loss`` = P(value < 0) and ``expected_shortfall``,
          the mean *loss* in the worst 5% of trials, positive when losing (the convention of
          :meth:`expected_shortfall`);
        - costs and other outputs: ``tail_mean``, the mean of the highest 5% of trials;
        - ``delivered``: ``prob_delivered`` only beside the mean;
        - month outputs (:data:`MONTH_OUTPUTS`): "never" is an outcome, not a number:
          ``prob_within_horizon``, ``prob_beyond_horizon`` (extrapolated at the run rate),
          ``prob_never`` (not reached even extrapolated), ``count_within``, and ``mean`` ...
          ``max`` summarise the month over the trials in which it happens within the horizon
          only (``attrs["conditional"]``). No trial's "never" enters a mean or a percentile.
          (``prob_in_horizon``, the name of earlier releases for break-even and parity, is
          kept beside ``prob_within_horizon`` for one release.)

        The baseline's row is always there (``is_baseline`` True): for a benefit measured
        against the baseline its values are 0 by definition (the baseline vs itself). Old
        output names (``cost_of_delay``, ``direct_cost``, ``payback_month``) still work with
        a DeprecationWarning.

        Returns
        -------
        pandas.DataFrame
            Index: arrangement (baseline first).
        """
        field = _current_output(field, "Result.summary")
        month = field in MONTH_OUTPUTS
        rows = {}
        for a in self.data["arrangements"]:
            s = a["outputs"].get(field)
            row: dict = {"is_baseline": bool(a["is_baseline"])}
            if month:
                m = a.get("months", {}).get(field)
                if m is None:
                    if s is None and a["is_baseline"]:
                        row.update({k: np.nan for k in ("prob_within_horizon", "prob_beyond_horizon", "prob_never")})
                        rows[a["name"]] = row
                    continue
                w = m["within_horizon"]
                row.update(prob_within_horizon=m["prob_within_horizon"], prob_beyond_horizon=m["prob_beyond_horizon"],
                           prob_never=m["prob_never"], count_within=m["count_within"])
                row.update({k: (np.nan if w[k] is None else w[k]) for k in ("mean",)})
                row.update(sd=_nan(w["standard_deviation"]), se=_nan(w["standard_error"]), p10=_nan(w["p10"]),
                           p50=_nan(w["p50"]), p90=_nan(w["p90"]), min=_nan(w["min"]), max=_nan(w["max"]))
                if field in MONTH_FIELDS:
                    # The column's name in earlier releases (deprecated; removed in the next one).
                    row["prob_in_horizon"] = row["prob_within_horizon"]
                rows[a["name"]] = row
                continue
            if s is None:
                if a["is_baseline"] and _is_benefit(field) and any(field in x["outputs"]
                                                                    for x in self.data["arrangements"]):
                    row.update(mean=0.0, sd=0.0, se=0.0, p10=0.0, p50=0.0, p90=0.0, min=0.0, max=0.0,
                               prob_loss=0.0, expected_shortfall=0.0)
                    rows[a["name"]] = row
                continue
            row.update(mean=s["mean"], sd=_nan(s["standard_deviation"]), se=_nan(s["standard_error"]))
            for p in s["percentiles"]:
                row[f"p{round(p['p'] * 100):g}"] = _nan(p["value"])
            row.update(min=_nan(s["min"]), max=_nan(s["max"]))
            if field == "delivered":
                row = {"is_baseline": row["is_baseline"], "mean": row["mean"], "prob_delivered": a["prob_delivered"]}
            elif _is_benefit(field):
                row["prob_loss"] = s["prob_negative"]
                # The lower tail's mean as a loss: > 0 means losing money (Result.expected_shortfall).
                row["expected_shortfall"] = -_nan(s["expected_shortfall"])
            else:
                row["tail_mean"] = _nan(s["expected_shortfall"])
            rows[a["name"]] = row
        if not rows:
            raise _core.InvalidArgument(f"Result.summary: no output field \"{field}\"; fields: "
                                        + ", ".join(sorted({n.split('.', 1)[1] for n in self.output_names})))
        df = pd.DataFrame.from_dict(rows, orient="index")
        df.index.name = "arrangement"
        df.attrs.update(field=field, horizon_months=self.horizon_months, baseline=self.baseline)
        if month:
            df.attrs["conditional"] = (f"mean .. max: the {field.replace('_', ' ')} over the trials in which it "
                                       f"happens within the {self.horizon_months}-month horizon")
        if _is_benefit(field):
            df.attrs["expected_shortfall"] = "mean loss in the worst 5% of trials (> 0: losing money)"
        return df

    def month_outcome(self, field: str = "breakeven_month", arrangement: Optional[str] = None) -> dict:
        """"Never" apart for one month output of one arrangement (default: the first
        alternative): ``prob_within_horizon``, ``prob_beyond_horizon``, ``prob_never``,
        ``count_within`` and ``within_horizon`` (mean, standard_deviation, standard_error,
        p10, p50, p90, min, max of the month over the trials within the horizon)."""
        field = _current_output(field, "Result.month_outcome")
        a = self._arr(arrangement)
        m = a.get("months", {}).get(field)
        if m is None:
            raise _core.InvalidArgument(f"Result.month_outcome: {a['name']} has no month output \"{field}\"; "
                                        f"it has: {', '.join(a.get('months', {})) or 'none'}")
        return m

    def summaries(self) -> pd.DataFrame:
        """Every output's summary in long form (arrangement, field, mean, sd, p10, p50, p90,
        prob_within_horizon). A month output's statistics are over the trials in which it
        happens within the horizon (as in :meth:`summary`), with ``prob_within_horizon``
        beside them; other outputs have NaN there."""
        rows = []
        for a in self.data["arrangements"]:
            months = a.get("months", {})
            for field, s in a["outputs"].items():
                if field in months:
                    w = months[field]["within_horizon"]
                    r = {"arrangement": a["name"], "field": field, "mean": _nan(w["mean"]),
                         "sd": _nan(w["standard_deviation"]), "p10": _nan(w["p10"]), "p50": _nan(w["p50"]),
                         "p90": _nan(w["p90"]), "prob_within_horizon": months[field]["prob_within_horizon"]}
                else:
                    r = {"arrangement": a["name"], "field": field, "mean": s["mean"], "sd": _nan(s["standard_deviation"])}
                    for p in s["percentiles"]:
                        r[f"p{round(p['p'] * 100):g}"] = _nan(p["value"])
                    r["prob_within_horizon"] = np.nan
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
        """Mean loss in the worst 5% of trials (> 0: losing money); equal to
        ``summary()["expected_shortfall"]`` of the arrangement."""
        return float(self._arr(arrangement)["expected_shortfall_loss"])

    def quantiles(self, ps: Iterable[float], output: Optional[str] = None) -> pd.Series:
        """Quantiles (type 7 from the kept samples) of ``output`` (default: first alternative's net benefit)."""
        output = _current_column(output or f"{self.alternatives[0]}.net_benefit", "Result.quantiles")
        ps = [float(p) for p in ps]
        return pd.Series([self.run.quantile(output, p) for p in ps], index=pd.Index(ps, name="p"), name=output)

    def samples(self, outputs: Optional[Sequence[str]] = None) -> Dict[str, np.ndarray]:
        """Per-trial values as read-only numpy views of the C++ result (no copy).

        Each array's ``base`` keeps the result alive. ``outputs`` defaults to every output.
        """
        self._need_samples("Result.samples")
        names = self.output_names if outputs is None else [_current_column(n, "Result.samples") for n in outputs]
        return {n: self.run.samples(n) for n in names}

    @property
    def samples_kept(self) -> bool:
        """True if the per-trial outputs were kept (for samples, months and the plots)."""
        return bool(self.run.samples_kept)

    def _need_samples(self, where: str) -> None:
        if not self.run.samples_kept:
            raise _core.InvalidArgument(
                f"{where}: this result kept no per-trial samples (keep_samples=False, the default of "
                "offroi.distributed.simulate, or more than the 512 MiB budget). Run again with "
                "keep_samples=True (e.g. offroi.simulate(scenario, trials, keep_samples=True) or "
                "offroi.distributed.simulate(client, scenario, trials, keep_samples=True)); summary(), decision(), "
                "quantiles() and the waterfall work without samples.")

    def samples_frame(self, outputs: Optional[Sequence[str]] = None) -> pd.DataFrame:
        """The samples as a DataFrame (this copies)."""
        return pd.DataFrame(self.samples(outputs))

    def months(self, field: str = "breakeven_month", arrangement: Optional[str] = None) -> np.ndarray:
        """Per-trial values of a month output (``breakeven_month``, ``parity_month``,
        ``delivery_month``) of an arrangement as a new float array in which
        :data:`NEVER_MONTH` ("never") is +inf (needs kept samples)."""
        field = _current_output(field, "Result.months")
        self._need_samples("Result.months")
        name = self._arr(arrangement)["name"]
        x = np.array(self.run.samples(f"{name}.{field}"), dtype=float)
        if field in MONTH_FIELDS:
            x[x >= NEVER_MONTH] = np.inf
        return x

    def drivers(self, arrangement: Optional[str] = None) -> pd.DataFrame:
        """Rank sensitivity of an alternative's net benefit to the sampled inputs
        (needs ``driver_trials`` > 0 in :func:`simulate`).

        Columns: ``spearman`` (signed rank correlation), ``srrc`` (signed standardized rank
        regression coefficient: the effect with the other inputs held fixed; the ranking
        key), ``prcc``, ``contribution_to_variance`` (rho^2 / sum rho^2: a non-negative share
        of the ranks' explained variance; the direction is the sign of ``spearman``) and
        ``label`` (a human name for plots). Rows by the absolute value of the SRRC, largest first.
        """
        try:
            j = json.loads(self.run.drivers(arrangement or ""))
        except _core.InvalidArgument as e:
            if "recorded no inputs" not in str(e):
                raise
            raise _core.InvalidArgument(
                "Result.drivers: this run recorded no inputs; pass driver_trials=N (e.g. 20000) to offroi.simulate "
                "(or offroi.distributed.simulate) to record the inputs of the first N trials") from None
        df = _drivers_frame(j["drivers"])
        df.attrs.update({k: v for k, v in j.items() if k != "drivers"})
        from .labels import input_label
        df["label"] = [input_label(n, self.run.scenario) for n in df.index]
        return df

    def to_json(self) -> str:
        """The C++ result's JSON (no wall-clock time: equal runs give equal text)."""
        return self.run.to_json()

    def __repr__(self) -> str:
        return f"<offroi.Result '{self.data['scenario']}' {self.trials} trials, seed {self.seed}>"


def _drivers_frame(rows) -> pd.DataFrame:
    df = pd.DataFrame(rows).set_index("input")
    if "contribution_to_variance" in df:
        # The C++ table gives sign(rho) rho^2 / sum rho^2: keep the share non-negative and the
        # direction in the signed coefficients (spearman, srrc) beside it.
        df["contribution_to_variance"] = df["contribution_to_variance"].abs()
    cols = [c for c in ("spearman", "srrc", "prcc", "contribution_to_variance") if c in df]
    return df[cols + [c for c in df.columns if c not in cols]]


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
        Trials whose inputs are recorded for :meth:`Result.drivers` (the first ones of this
        run; at most ``trials``).

    Returns
    -------
    Result

    Raises
    ------
    offroi.InvalidScenario
        Naming the input ("offshore_team.hourly_rate_usd"), its value and what is allowed.
    offroi.InvalidArgument
        For bad arguments, named as here (trials, driver_trials, sampler, ...).
    """
    _check_counts("simulate", trials, driver_trials)
    try:
        run = _call(_core.simulate, scenario, int(trials), seed, sampler, int(threads), keep_samples, all_outputs,
                    int(driver_trials), progress=progress, desc="simulate")
    except _core.InvalidScenario as e:
        raise _core.InvalidScenario(_input_names_in(str(e), scenario)) from None
    return Result(run)


def _check_counts(where: str, trials, driver_trials) -> None:
    """Python-side checks of the trial counts, with the Python argument names."""
    for name, v in (("trials", trials), ("driver_trials", driver_trials)):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 0:
            raise _core.InvalidArgument(f"{where}: {name} = {v!r} must be a whole number >= 0 "
                                        f"({'0: the scenario' + chr(39) + 's simulation.trials' if name == 'trials' else '0: record none'})")
    if trials == 1:
        raise _core.InvalidArgument(f"{where}: trials = 1 must be >= 2 (or 0 for the scenario's simulation.trials)")
    if driver_trials and trials and driver_trials > trials:
        raise _core.InvalidArgument(f"{where}: driver_trials = {driver_trials} must be <= trials = {trials} "
                                    "(the drivers are ranked from the run's own first trials)")


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
    BreakevenResult
        ``value`` (the input's value, or factor in mode "scale"), its Monte Carlo
        ``standard_error``, ``slope`` of the objective there, ``evaluations`` (a DataFrame
        of x, objective, objective_se) ... Indexing it like the dict of earlier releases
        (``b["value"]``) still works, with a DeprecationWarning.
    """
    j = json.loads(_call(_core.breakeven, scenario, input, float(lower), float(upper), mode, arrangement, target,
                         float(prob_loss_target), float(x_tolerance), int(max_evaluations), int(trials), seed,
                         sampler, int(threads), progress=progress, desc="breakeven"))
    return BreakevenResult._from_json(j, mode)


@dataclass(frozen=True)
class BreakevenResult:
    """Where an alternative breaks even as one input varies (:func:`breakeven`).

    Attributes
    ----------
    input : str
        The input searched ("offshore_team.hourly_rate_usd").
    arrangement : str
        The alternative.
    mode : str
        "set" (``value`` is the input's value) or "scale" (``value`` is a factor).
    target : str
        "median_net_benefit" (the median net benefit is 0 there) or "prob_loss".
    value : float
        The break-even value (or factor).
    standard_error : float
        Its Monte Carlo standard error (from the objective's SE and slope at the root).
    slope : float
        d objective / d value at the root (USD per unit of the input for the median).
    objective_at_root, objective_se_at_root : float
        The objective there and its SE.
    trials, seed : int
        Trials per evaluation and the seed (common random numbers across evaluations).
    evaluations : pandas.DataFrame
        Every evaluation: x, objective, objective_se, in search order.
    """

    input: str
    arrangement: str
    mode: str
    target: str
    value: float
    standard_error: float
    slope: float
    objective_at_root: float
    objective_se_at_root: float
    trials: int
    seed: int
    evaluations: pd.DataFrame = _dc_field(repr=False, compare=False)
    _raw: dict = _dc_field(repr=False, compare=False, default_factory=dict)

    @classmethod
    def _from_json(cls, j: dict, mode: str) -> "BreakevenResult":
        ev = pd.DataFrame(j.get("evaluations", []), columns=["x", "objective", "objective_se"])
        return cls(input=j["input"], arrangement=j["arrangement"], mode=mode, target=j["target"],
                   value=float(_nan(j["value"])), standard_error=float(_nan(j["standard_error"])),
                   slope=float(_nan(j["slope"])), objective_at_root=float(_nan(j["objective_at_root"])),
                   objective_se_at_root=float(_nan(j["objective_se_at_root"])), trials=int(j["trials"]),
                   seed=int(j["seed"]), evaluations=ev, _raw=dict(j))

    def interval(self, z: float = 1.96) -> Tuple[float, float]:
        """value +- z standard errors (default: a 95% interval of the simulation noise)."""
        return (self.value - z * self.standard_error, self.value + z * self.standard_error)

    def __str__(self) -> str:
        what = "factor" if self.mode == "scale" else "value"
        goal = "median net benefit 0" if self.target == "median_net_benefit" else "P(loss) at target"
        return (f"{self.arrangement} breaks even ({goal}) at {self.input} {what} {self.value:,.4g} "
                f"+- {self.standard_error:,.2g} (SE; {self.trials} trials per evaluation, "
                f"{len(self.evaluations)} evaluations)")

    # Dict access of earlier releases.
    def __getitem__(self, key: str):
        warnings.warn("breakeven() returns a BreakevenResult: use attributes (b.value) rather than b[\"value\"]; "
                      "dict access will be removed in the next release", DeprecationWarning, stacklevel=2)
        return self._raw[key]

    def keys(self):
        """The keys of the dict earlier releases returned (deprecated access)."""
        return self._raw.keys()


def __getattr__(name: str):
    # offroi.model.sensitivity was an object; it is the module offroi.sensitivity now.
    if name == "sensitivity":
        from . import sensitivity
        return sensitivity
    raise AttributeError(f"module 'offroi.model' has no attribute {name!r}")
