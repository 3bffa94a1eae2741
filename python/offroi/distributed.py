"""Scale-out on Dask: a scenario run split into trial shards, a sweep split into its steps,
and a Sobol' design whose model evaluations run on the workers.

Task functions live here (an importable module) so workers can unpickle them. Each result
equals the local run bit for bit at the same seed. A trial shard returns one serialised
``streaming_summary`` per output (the C++ ``streaming_summary::to_bytes``: exact sums,
quantile sketch, sign and threshold counts), whose size does not grow with the shard's
trials (tens of KiB per shard for the default scenario); the client merges them in shard
order, exactly. Per-trial outputs travel only when the caller asks to keep samples.
"""
from __future__ import annotations

import json
from typing import Callable, Optional, Sequence

import numpy as np

from . import _core
from .model import Result, Scenario, _check_counts, _sweep_frame

__all__ = ["simulate", "sweep", "sobol_indices", "shard_ranges", "shard_payload_bytes"]


def shard_ranges(trials: int, shards: int):
    """Split [0, trials) into ``shards`` adjacent ranges (first, count)."""
    if shards < 1 or trials < 2:
        raise _core.InvalidArgument(f"shard_ranges: shards = {shards} must be >= 1 and trials = {trials} >= 2")
    shards = min(shards, trials)
    base, extra = divmod(trials, shards)
    out, first = [], 0
    for i in range(shards):
        n = base + (i < extra)
        out.append((first, n))
        first += n
    return out


def run_shard_task(scenario_json: str, first: int, count: int, total: int, seed: Optional[int],
                   sampler: Optional[str], keep_samples: bool = False, all_outputs: bool = False,
                   driver_trials: int = 0) -> dict:
    """Task: trials [first, first + count) of a run of ``total`` trials.

    Returns a dict with the trial range, seed, output names, ``summaries`` (one ``bytes``
    per output, ``streaming_summary::to_bytes``), ``columns`` (per-trial outputs, or
    None unless ``keep_samples`` and the whole run's samples fit the local 512 MiB budget)
    and, for its trials below ``driver_trials``, their inputs and outputs
    (``driver_inputs``, ``driver_outputs``) for the drivers.
    """
    s = Scenario.from_json(scenario_json)
    return _core.run_shard(s, first, count, total, seed, sampler, 1, all_outputs, keep_samples, driver_trials)


def shard_payload_bytes(part: dict) -> int:
    """Bytes of a shard's result that travel back to the client (summaries and columns)."""
    n = sum(len(b) for b in part["summaries"])
    if part.get("columns") is not None:
        n += sum(np.asarray(c).nbytes for c in part["columns"])
    for k in ("driver_inputs", "driver_outputs"):
        n += sum(np.asarray(c).nbytes for c in part.get(k) or [])
    return n


def sweep_step_task(scenario_json: str, input: str, value: float, mode: str, trials: int,  # noqa: A002
                    seed: Optional[int], sampler: Optional[str]) -> dict:
    """Task: one step of a sweep (one scenario variant)."""
    s = Scenario.from_json(scenario_json)
    return json.loads(_core.sweep(s, input, [value], mode, trials, seed, sampler, 1, None))


def evaluate_task(func: Callable, X: np.ndarray) -> np.ndarray:
    """Task: a vectorised model on a block of design rows."""
    return np.asarray(func(X), dtype=float)


def simulate(client, scenario: Scenario, trials: int = 0, seed: Optional[int] = None,
             sampler: Optional[str] = None, shards: Optional[int] = None, keep_samples: bool = False,
             all_outputs: bool = False, driver_trials: int = 0) -> Result:
    """Run a scenario on a Dask cluster, split into trial shards.

    Each shard returns the serialised summaries of its trials (and, with ``keep_samples``,
    its per-trial outputs); the client merges them in trial order.

    Parameters
    ----------
    client : dask.distributed.Client
    shards : int, optional
        Number of shards (default: the cluster's worker threads).
    keep_samples : bool
        Ship the per-trial outputs back too (8 bytes x outputs x trials), for
        :meth:`Result.samples` and exact sample quantiles. Default False: summaries only,
        a payload per shard that does not grow with its trials.
    all_outputs : bool
        Summarise every output (as ``offroi.simulate(..., all_outputs=True)``).
    driver_trials : int
        Record the inputs and outputs of the run's first ``driver_trials`` trials (the shards
        that hold them send them back) for :meth:`Result.drivers`, as
        ``offroi.simulate(..., driver_trials=...)`` does; at most ``trials``.

    Returns
    -------
    Result
        Equal bit for bit to ``offroi.simulate(scenario, trials, seed, sampler,
        keep_samples=keep_samples, all_outputs=all_outputs, driver_trials=driver_trials)``
        (its drivers too). Without ``keep_samples``, ``samples()``, ``months()`` and the
        sample plots raise with a hint; summaries, decision() and the waterfall work.

    Raises
    ------
    offroi.InvalidScenario, offroi.InvalidArgument
        Before any task is sent, with the Python argument names.
    """
    _check_counts("distributed.simulate", trials, driver_trials)
    total = int(trials or scenario.trials)
    if driver_trials > total:
        raise _core.InvalidArgument(f"distributed.simulate: driver_trials = {driver_trials} must be <= trials = "
                                    f"{total} (the drivers are ranked from the run's own first trials)")
    if shards is not None and (isinstance(shards, bool) or int(shards) != shards or shards < 1):
        raise _core.InvalidArgument(f"distributed.simulate: shards = {shards!r} must be a whole number >= 1")
    try:
        scenario.validate()
    except _core.InvalidScenario as e:
        raise _core.InvalidScenario(f"distributed.simulate: {e}") from None
    if shards is None:
        shards = max(1, sum(client.nthreads().values()))
    text = scenario.to_json("complete")
    futures = [client.submit(run_shard_task, text, f, n, total, seed, sampler, bool(keep_samples),
                             bool(all_outputs), int(driver_trials), pure=False)
               for f, n in shard_ranges(total, int(shards))]
    parts = client.gather(futures)
    return Result(_core.merge_shards(scenario, parts, sampler, bool(all_outputs)))


def sweep(client, scenario: Scenario, input: str, values: Sequence[float], mode: str = "set",  # noqa: A002
          trials: int = 0, seed: Optional[int] = None, sampler: Optional[str] = None):
    """A sweep with one task per value; equals ``offroi.sweep`` with the same arguments."""
    text = scenario.to_json("complete")
    futures = [client.submit(sweep_step_task, text, input, float(v), mode, int(trials), seed, sampler, pure=False)
               for v in values]
    steps = client.gather(futures)
    j = dict(steps[0])
    j["steps"] = [st for part in steps for st in part["steps"]]
    return _sweep_frame(j)


def sobol_indices(client, func: Callable, dists, n: int, chunks: Optional[int] = None, **kw):
    """Sobol' indices with the design's model evaluations on the cluster.

    Each batch of the design is split into ``chunks`` row blocks evaluated by workers; the
    estimator runs locally on the gathered outputs, so the indices equal
    ``offroi.sobol_indices(func, dists, n, **kw)`` for a deterministic ``func``.
    """
    from .distributions import sobol_indices as local
    if chunks is None:
        chunks = max(1, sum(client.nthreads().values()))
    remote = func

    def dispatched(X):
        blocks = np.array_split(np.asarray(X), chunks)
        futures = [client.submit(evaluate_task, remote, np.ascontiguousarray(b), pure=False) for b in blocks if len(b)]
        return np.concatenate(client.gather(futures))

    return local(dispatched, dists, n, **kw)
