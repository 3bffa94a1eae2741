"""Distributions and the generic sampling/sensitivity engine (thin wrappers over offroi._core)."""
from __future__ import annotations

from typing import Callable, Optional, Sequence

import numpy as np
import pandas as pd

from . import _core
from ._core import Distribution

__all__ = [
    "Distribution", "constant", "uniform", "triangular", "pert", "beta", "normal",
    "truncated_normal", "lognormal", "gamma", "weibull", "bernoulli", "poisson", "discrete",
    "empirical", "sample", "sobol_indices", "tornado", "rank_sensitivity", "scaled",
]


def _times(v, c: float):
    if isinstance(v, list):
        return [x * c for x in v]
    return v * c


def scaled(dist: Distribution, factor: float, where: str = "scaled") -> Distribution:
    """``dist`` multiplied by ``factor`` (> 0): the distribution of ``factor * X``, in the same
    family (every quantile times ``factor``; a lognormal's mu moves by log(factor)).

    The form ``sweep(..., mode="scale")`` and ``breakeven(..., mode="scale")`` apply to one
    input, available on its own (also as ``Distribution.scaled(factor)`` and
    ``Scenario.scale(input, factor)``). Bernoulli and Poisson counts are not closed under
    scaling and are refused.

    Raises
    ------
    offroi.InvalidArgument
        For a factor that is not finite and > 0, or a count family.
    """
    import json
    import math
    c = float(factor)
    if not (math.isfinite(c) and c > 0):
        raise _core.InvalidArgument(f"{where}: factor = {factor!r} must be finite and > 0")
    j = json.loads(dist.to_json())
    if not isinstance(j, dict):  # a constant is a bare number
        return Distribution.constant(float(j) * c)
    (family, v), = j.items()
    import re
    if isinstance(v, dict) and any(re.fullmatch(r"p\d+(\.\d+)?", k) for k in v):
        # Stated by percentiles (P10/P90, a mode or lambda beside them): every quantile scales.
        v = {k: (x * c if re.fullmatch(r"p\d+(\.\d+)?", k) or k in ("mode", "min", "max") else x)
             for k, x in v.items()}
        return Distribution.from_json(json.dumps({family: v}))
    if family in ("bernoulli", "poisson"):
        raise _core.InvalidArgument(f"{where}: a {family} distribution (a count) cannot be scaled by {c:g}; "
                                    "replace it with Scenario.set instead")
    if family in ("uniform", "triangular", "empirical"):
        v = _times(v, c)
    elif family == "pert":
        if isinstance(v, list):
            v = _times(v, c)
        else:
            v = {k: (x * c if k in ("min", "mode", "max") else x) for k, x in v.items()}
    elif family == "beta":
        v = {k: (x * c if k in ("lower", "upper") else x) for k, x in v.items()}
    elif family in ("normal", "truncated_normal"):
        v = {k: x * c for k, x in v.items()}
    elif family == "lognormal":
        v = {k: (x + math.log(c) if k == "mu" else x) for k, x in v.items()}
    elif family in ("gamma", "weibull"):
        v = {k: (x * c if k == "scale" else x) for k, x in v.items()}
    elif family == "discrete":
        v = dict(v, values=_times(v["values"], c))
    else:
        raise _core.InvalidArgument(f"{where}: scaling a {family} distribution is not supported; "
                                    "set the input to a scaled distribution with Scenario.set")
    return Distribution.from_json(json.dumps({family: v}))


Distribution.scaled = lambda self, factor: scaled(self, factor, where="Distribution.scaled")
Distribution.scaled.__doc__ = "factor * X as a distribution of the same family (see offroi.scaled)."


def _two_point(family: str, p10, p90, p50=None, **named):
    """Fit a two-parameter family to two of P10/P50/P90."""
    pts = [(p, x) for p, x in ((0.1, p10), (0.5, p50), (0.9, p90)) if x is not None]
    if len(pts) != 2:
        raise _core.InvalidArgument(
            f"{family}: give the parameters ({', '.join(named)}) or exactly two of p10, p50, p90")
    (a, xa), (b, xb) = pts
    d = Distribution.from_percentiles(family, a, float(xa), b, float(xb))
    # Remember the statement, so that a scenario saves it as given (Scenario.save).
    d._stated = {family: {f"p{100 * a:g}": float(xa), f"p{100 * b:g}": float(xb)}}
    return d


def constant(value: float) -> Distribution:
    """A point mass at ``value``."""
    return Distribution.constant(value)


def uniform(lower: Optional[float] = None, upper: Optional[float] = None, *, p10=None, p90=None) -> Distribution:
    """Uniform on [lower, upper], or fitted to its P10 and P90."""
    if lower is None or upper is None:
        return _two_point("uniform", p10, p90, lower=lower, upper=upper)
    return Distribution.uniform(lower, upper)


def triangular(min: float, mode: float, max: float) -> Distribution:  # noqa: A002
    """Triangular with minimum, mode and maximum."""
    return Distribution.triangular(min, mode, max)


def pert(min: float, mode: float, max: float, lam: float = 4.0) -> Distribution:  # noqa: A002
    """(Modified) PERT on [min, max] with the given mode; mean (min + lam*mode + max)/(lam + 2)."""
    return Distribution.pert(min, mode, max, lam)


def beta(alpha: float, beta: float, lower: float = 0.0, upper: float = 1.0) -> Distribution:
    """Beta(alpha, beta) scaled to [lower, upper]."""
    return Distribution.beta(alpha, beta, lower, upper)


def normal(mean: Optional[float] = None, sd: Optional[float] = None, *, p10=None, p50=None, p90=None) -> Distribution:
    """Normal(mean, sd), or fitted to two of P10/P50/P90."""
    if mean is None or sd is None:
        return _two_point("normal", p10, p90, p50, mean=mean, sd=sd)
    return Distribution.normal(mean, sd)


def truncated_normal(mean: float, sd: float, lower: float, upper: float) -> Distribution:
    """Normal(mean, sd) truncated to [lower, upper]."""
    return Distribution.truncated_normal(mean, sd, lower, upper)


def lognormal(mu: Optional[float] = None, sigma: Optional[float] = None, *, p10=None, p50=None, p90=None) -> Distribution:
    """Lognormal with log-mean ``mu`` and log-sd ``sigma``, or fitted to two of P10/P50/P90.

    Examples
    --------
    >>> d = lognormal(p10=60e3, p90=250e3)
    """
    if mu is None or sigma is None:
        return _two_point("lognormal", p10, p90, p50, mu=mu, sigma=sigma)
    return Distribution.lognormal(mu, sigma)


def gamma(shape: Optional[float] = None, scale: float = 1.0, *, p10=None, p50=None, p90=None) -> Distribution:
    """Gamma(shape, scale), or fitted to two of P10/P50/P90."""
    if shape is None:
        return _two_point("gamma", p10, p90, p50, shape=shape)
    return Distribution.gamma(shape, scale)


def weibull(shape: Optional[float] = None, scale: float = 1.0, *, p10=None, p50=None, p90=None) -> Distribution:
    """Weibull(shape, scale), or fitted to two of P10/P50/P90."""
    if shape is None:
        return _two_point("weibull", p10, p90, p50, shape=shape)
    return Distribution.weibull(shape, scale)


def bernoulli(p: float) -> Distribution:
    """1 with probability p, else 0."""
    return Distribution.bernoulli(p)


def poisson(mean: float) -> Distribution:
    """Poisson with the given mean."""
    return Distribution.poisson(mean)


def discrete(values: Sequence[float], probabilities: Sequence[float]) -> Distribution:
    """Finite distribution on ``values`` with ``probabilities`` (summing to 1)."""
    return Distribution.discrete(list(values), list(probabilities))


def empirical(data: Sequence[float]) -> Distribution:
    """The empirical distribution of ``data``."""
    return Distribution.empirical(list(np.asarray(data, dtype=float)))


def sample(dists: Sequence[Distribution], n: int, correlation=None, sampler: str = "mc", seed: int = 0,
           names: Optional[Sequence[str]] = None, dependence: str = "gaussian_copula",
           threads: int = 0) -> np.ndarray:
    """Draw ``n`` joint samples of ``dists``.

    Parameters
    ----------
    dists : sequence of Distribution
        The marginals, one per column.
    n : int
        Number of rows (trials).
    correlation : array_like (d, d), optional
        Target Spearman rank-correlation matrix (positive semi-definite).
    sampler : {"mc", "lhs", "sobol"}
        Design: Monte Carlo, Latin hypercube (design size ``n``) or Owen-scrambled Sobol'.
    seed : int
        Seed; draws are pure functions of (seed, input name, trial).
    names : sequence of str, optional
        Input names (keys of the random streams); default x1..xd.
    dependence : {"gaussian_copula", "iman_conover"}
        How the correlation is imposed.
    threads : int
        Worker threads (0: all cores). The result is the same bits for any value.

    Returns
    -------
    numpy.ndarray
        Shape (n, d), float64 (Fortran order: columns are contiguous).

    Raises
    ------
    offroi.InvalidArgument
        For a bad matrix, sampler or name.
    """
    corr = None if correlation is None else np.asarray(correlation, dtype=float)
    return _core.sample(list(dists), int(n), corr, sampler, int(seed), list(names or []), 0, None, dependence,
                        int(threads))


def sobol_indices(func: Callable[[np.ndarray], np.ndarray], dists: Sequence[Distribution], n: int,
                  names: Optional[Sequence[str]] = None, bootstrap: int = 200, seed: int = 0,
                  confidence_level: float = 0.95, sampling: str = "digital_shift") -> pd.DataFrame:
    """First-order and total Sobol' indices of a vectorised model.

    Parameters
    ----------
    func : callable
        ``func(X) -> y`` with X of shape (m, d) (read-only) and y of shape (m,).
    dists : sequence of Distribution
        The independent inputs' marginals.
    n : int
        Base sample size N (N (d + 2) evaluations; Saltelli 2010 / Jansen estimators).
    bootstrap : int
        Bootstrap resamples for standard errors and intervals (0: none).

    Returns
    -------
    pandas.DataFrame
        Indexed by input: ``first_order``, ``total_order`` and, with bootstrap, ``*_se`` and CI columns.
        ``attrs`` holds mean, variance and evaluations.
    """
    d = _core.sobol_indices(func, list(dists), int(n), list(names or []), int(bootstrap), float(confidence_level),
                            int(seed), sampling)
    return _sobol_frame(d)


def _sobol_frame(d: dict) -> pd.DataFrame:
    df = pd.DataFrame({"first_order": d["first_order"], "total_order": d["total_order"]},
                      index=pd.Index(d["names"], name="input"))
    if d["first_order_se"]:
        df["first_order_se"] = d["first_order_se"]
        df["total_order_se"] = d["total_order_se"]
        df["first_order_lo"] = [c[0] for c in d["first_order_ci"]]
        df["first_order_hi"] = [c[1] for c in d["first_order_ci"]]
        df["total_order_lo"] = [c[0] for c in d["total_order_ci"]]
        df["total_order_hi"] = [c[1] for c in d["total_order_ci"]]
    df.attrs.update({k: d[k] for k in ("mean", "variance", "base_samples", "evaluations")})
    # A true first-order index never exceeds its total index; an estimate may (Monte Carlo
    # error, largest for small indices): flag it rather than let it pass as a finding.
    over = df["first_order"] > df["total_order"]
    df["first_exceeds_total"] = over
    notes = []
    for name in df.index[over]:
        r = df.loc[name]
        se = f" (SEs {r['first_order_se']:.2g} and {r['total_order_se']:.2g})" if "first_order_se" in df else ""
        notes.append(f"{name}: first-order {r['first_order']:.3g} above total {r['total_order']:.3g}{se}: "
                     "Monte Carlo error, not an effect; more base samples n shrink it")
    df.attrs["notes"] = notes
    return df


def tornado(func: Callable[[np.ndarray], np.ndarray], dists: Sequence[Distribution],
            names: Optional[Sequence[str]] = None, low: float = 0.1, high: float = 0.9,
            base: float = 0.5) -> pd.DataFrame:
    """One-at-a-time swings: each input at its ``low`` and ``high`` quantile, the others at ``base``.

    Returns
    -------
    pandas.DataFrame
        One row per input, widest swing first; ``attrs["base_output"]``.
    """
    import json
    j = json.loads(_core.tornado(func, list(dists), list(names or []), low, high, base))
    return _tornado_frame(j)


def _tornado_frame(j: dict) -> pd.DataFrame:
    df = pd.DataFrame(j["bars"]).set_index("input")
    df.attrs["base_output"] = j["base_output"]
    return df


def rank_sensitivity(X, y, names: Optional[Sequence[str]] = None) -> pd.DataFrame:
    """Rank sensitivity of y to the columns of X, from the samples alone (no reruns).

    Columns: ``spearman`` (total association), ``srrc`` (standardized rank regression
    coefficient: the effect of each input with the others held fixed, right under correlated
    inputs when the rank regression's R^2 in ``attrs["srrc_r2"]`` is high), ``prcc`` (partial
    rank correlation), ``src`` (standardized regression coefficient on the raw values) and
    ``contribution_to_variance`` (rho^2 / sum rho^2: a non-negative share; the direction is
    the sign of ``spearman``). Rows in input order.
    """
    d = _core.rank_sensitivity(np.asarray(X, dtype=float), np.asarray(y, dtype=float), list(names or []))
    df = pd.DataFrame({k: d[k] for k in ("spearman", "srrc", "prcc", "src", "contribution_to_variance")},
                      index=pd.Index(d["names"], name="input"))
    df["contribution_to_variance"] = df["contribution_to_variance"].abs()
    df.attrs.update(srrc_r2=d["srrc_r2"], src_r2=d["src_r2"], samples=d["samples"])
    return df
