"""The self-contained HTML report (``offroi report`` from Python): one file, no network, no script.

The page is written by the C++ library (include/offroi/report/html_report.hpp), from the same
JSON documents as ``offroi run --format json``; see docs/report.md.
"""

from __future__ import annotations

import json
import os
from typing import Optional, Union

from . import _core
from ._core import Scenario

__all__ = ["report"]


def _scenario_doc(scenario: Scenario) -> str:
    """The scenario's complete JSON text with its notes (description, assumptions)."""
    return scenario.to_json("complete")


def _result_parts(result, scenario: Scenario):
    run = result.run
    cdf = {}
    levels = list(_core.report_cdf_levels())
    for a in result.data["arrangements"]:
        if a["is_baseline"]:
            continue
        name = a["name"]
        values = [run.quantile(name + ".net_benefit", p) for p in levels]
        cdf[name] = {"p": levels, "value": [v if v == v and abs(v) != float("inf") else None for v in values]}
    drivers = []
    names = run.input_names
    if names and len(run.input_samples(0)) > len(names) + 1:
        for a in result.data["arrangements"]:
            if not a["is_baseline"]:
                drivers.append(run.drivers(a["name"]))
    return run.to_json(), drivers, json.dumps(cdf)


def report(result_or_scenario, path: Union[str, os.PathLike, None] = None, *, trials: int = 0,
           seed: Optional[int] = None, sampler: Optional[str] = None, threads: int = 0, driver_trials: int = 20000,
           tornado: bool = False, event_trials: int = 256, arrangement: str = "", decision=None,
           decide: bool = False, pilot_headcount: float = 3.0, decision_month: int = 6,
           decision_trials: int = 20000, source: str = "", scenario: Optional[Scenario] = None) -> str:
    """Write the self-contained HTML report of a run and return its text.

    Parameters
    ----------
    result_or_scenario : Scenario or Result
        A :class:`Scenario` is run here exactly as ``offroi report`` runs it (``trials``,
        ``seed``, ``sampler``, ``threads``, ``driver_trials``), so the page equals the CLI's
        for the same scenario and flags. A :class:`Result` of :func:`offroi.simulate` is
        reported as it is (its drivers when it recorded ``driver_trials``; the run options
        are then ignored, except ``sampler``, which names the design in the appendix and
        defaults to the scenario's).
    path : str or os.PathLike, optional
        File written (UTF-8); None: nothing written, the text is returned only.
    tornado : bool
        Add a tornado of ``arrangement``'s net benefit (``event_trials`` risk-event draws
        per point).
    arrangement : str
        The alternative of the tornado and of ``decide`` (default: the first).
    decision : StagedDecision, optional
        A result of :func:`offroi.staged_decision` to show in the "Pilot first?" section
        (exclusive with ``decide``).
    decide : bool
        With a Scenario: run the staged decision here (``pilot_headcount``,
        ``decision_month``, ``decision_trials`` draws to learn and as many to value).
    source : str
        The scenario file name shown in the rerun command.
    scenario : Scenario, optional
        With a Result: the scenario it ran, for its notes (description, assumptions), which
        the C++ result does not keep (default: the result's scenario, without notes).

    Returns
    -------
    str
        The HTML text.

    Raises
    ------
    offroi.InvalidArgument
        For a bad argument (named), or a path that cannot be written.
    TypeError
        If ``result_or_scenario`` is neither a Scenario nor a Result.
    """
    from .model import Result  # late: model imports many modules

    decision_json = ""
    if decision is not None:
        data = getattr(decision, "raw", decision)
        decision_json = data if isinstance(data, str) else json.dumps(data)
    if isinstance(result_or_scenario, Scenario):
        s = result_or_scenario
        html = _core.report_html(s, _scenario_doc(s), int(trials), seed, sampler, int(threads), int(driver_trials),
                                 bool(tornado), int(event_trials), bool(decide), arrangement, float(pilot_headcount),
                                 int(decision_month), int(decision_trials), source, decision_json)
    elif isinstance(result_or_scenario, Result):
        res = result_or_scenario
        s = scenario if scenario is not None else res.run.scenario
        result_json, drivers, cdf = _result_parts(res, s)
        html = _core.report_html_from_parts(s, _scenario_doc(s), result_json, drivers, cdf, sampler,
                                            bool(tornado), int(event_trials), arrangement, int(res.seed),
                                            decision_json, source)
    else:
        raise TypeError("report: result_or_scenario must be an offroi.Scenario or an offroi.Result, not "
                        + type(result_or_scenario).__name__)
    if path is not None:
        try:
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(html)
        except OSError as e:
            raise _core.InvalidArgument(f"report: path {os.fspath(path)!r} cannot be written ({e.strerror})") from None
    return html
