"""Model-level sensitivity of an alternative's net benefit: ``import offroi.sensitivity``.

Three views of which inputs matter, all computed in the C++ core:

- :func:`tornado`: the swing of the expected net benefit as each sampled input goes from its
  P10 to its P90, the others at their P50 (one at a time);
- :func:`sobol`: Sobol' first-order and total indices of the (event-averaged) net benefit
  (variance-based, all inputs varying together);
- :func:`rank`: Spearman / SRRC ranking of the inputs from a run's recorded draws (no reruns).

Each returns a pandas DataFrame indexed by input name; ``attrs["labels"]`` maps each input
to a human label from the scenario's descriptions (:func:`offroi.input_label`), which the
plots use.
"""
from __future__ import annotations

import json
from typing import Optional

import pandas as pd

from . import _core
from .distributions import _sobol_frame, _tornado_frame

__all__ = ["tornado", "sobol", "rank"]


def _labelled(df: pd.DataFrame, scenario) -> pd.DataFrame:
    from .labels import input_label
    df.attrs["labels"] = {n: input_label(n, scenario) for n in df.index}
    return df


def tornado(scenario, arrangement: str = "", event_trials: int = 1024, seed: int = 0) -> pd.DataFrame:
    """Swing of the expected net benefit as each sampled input goes P10 -> P90, others at P50.

    Returns
    -------
    pandas.DataFrame
        One row per input, widest swing first: ``output_at_low``, ``output_at_high``,
        ``swing``...; ``attrs["base_output"]`` (all inputs at P50), ``attrs["output"]``
        ("net benefit of <alternative> vs <baseline>, USD") and ``attrs["labels"]``.
    """
    df = _tornado_frame(json.loads(_core.scenario_tornado(scenario, arrangement, int(event_trials), int(seed))))
    alt = arrangement or scenario.alternatives[0]
    df.attrs["output"] = f"Expected net benefit of {alt} vs {scenario.baseline}, USD"
    return _labelled(df, scenario)


def sobol(scenario, arrangement: str = "", n: int = 1024, event_trials: int = 256, seed: int = 0,
          bootstrap: int = 100, threads: int = 0) -> pd.DataFrame:
    """Sobol' first-order and total indices of the (event-averaged) net benefit.

    Where an estimated first-order index exceeds its total index (impossible for the true
    indices: Monte Carlo error), the row's ``first_exceeds_total`` is True and
    ``attrs["notes"]`` says so; more base samples ``n`` shrink the error.
    """
    df = _sobol_frame(_core.scenario_sobol(scenario, arrangement, int(n), int(event_trials), int(seed),
                                           int(bootstrap), int(threads)))
    return _labelled(df, scenario)


def rank(scenario, arrangement: str = "", trials: int = 20000, seed: Optional[int] = None) -> pd.DataFrame:
    """Spearman/SRRC ranking of the inputs from a run's recorded draws (see :meth:`Result.drivers`)."""
    from .model import simulate
    df = simulate(scenario, trials=trials, seed=seed, keep_samples=False,
                  driver_trials=trials).drivers(arrangement or None)
    return _labelled(df, scenario)
