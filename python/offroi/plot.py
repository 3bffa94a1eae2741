"""Plots of offroi results (matplotlib; Agg-safe). Every function returns a Figure."""
from __future__ import annotations

from typing import Optional, Sequence

import os
import sys
import textwrap

import matplotlib

# Debian's /etc/matplotlibrc selects TkAgg, which cannot start without a display: fall back
# to Agg on a headless machine. Notebook and user-chosen backends are left alone.
_GUI_BACKENDS = {"tkagg", "tkcairo", "qtagg", "qt5agg", "qtcairo", "gtk3agg", "gtk4agg", "wxagg"}
if (sys.platform.startswith("linux") and matplotlib.get_backend().lower() in _GUI_BACKENDS
        and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")):
    matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

__all__ = ["histogram", "cdf", "months_cdf", "tornado", "waterfall", "fan"]

# The value of a month output that never happens (C++ offroi::never_month).
_NEVER = 9999.0


def _usd(x, _pos=None) -> str:
    a = abs(x)
    s = "-" if x < 0 else ""
    if a >= 1e6:
        return f"{s}${a / 1e6:.1f}M"
    if a >= 1e3:
        return f"{s}${a / 1e3:.0f}k"
    return f"{s}${a:.0f}"


def _figure(ax, figsize):
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    else:
        fig = ax.figure
    return fig, ax


def _net_benefit(result, arrangements):
    names = arrangements or result.alternatives
    return {n: result.run.samples(f"{n}.net_benefit") for n in names}


def histogram(result, arrangements: Optional[Sequence[str]] = None, bins: int = 80, ax=None,
              figsize=(8, 4.5)) -> Figure:
    """Overlaid histograms of the alternatives' net benefit (needs kept samples)."""
    fig, ax = _figure(ax, figsize)
    data = _net_benefit(result, arrangements)
    lo = min(np.min(v) for v in data.values())
    hi = max(np.max(v) for v in data.values())
    edges = np.linspace(lo, hi, bins + 1)
    for n, v in data.items():
        ax.hist(v, bins=edges, alpha=0.5, density=True, label=f"{n} (P(loss) {result.prob_loss(n):.1%})")
    ax.axvline(0, color="k", lw=1)
    ax.xaxis.set_major_formatter(FuncFormatter(_usd))
    ax.set_xlabel(f"net benefit vs {result.baseline} (USD, present value)")
    ax.set_ylabel("density")
    ax.legend()
    return fig


def cdf(result, arrangements: Optional[Sequence[str]] = None, ax=None, figsize=(8, 4.5)) -> Figure:
    """Overlaid empirical CDFs of the alternatives' net benefit; P(loss) is read at 0."""
    fig, ax = _figure(ax, figsize)
    for n, v in _net_benefit(result, arrangements).items():
        x = np.sort(v)
        ax.plot(x, np.arange(1, x.size + 1) / x.size, label=n)
    ax.axvline(0, color="k", lw=1)
    ax.xaxis.set_major_formatter(FuncFormatter(_usd))
    ax.set_xlabel(f"net benefit vs {result.baseline} (USD, present value)")
    ax.set_ylabel("P(net benefit <= x)")
    ax.grid(alpha=0.3)
    ax.legend()
    return fig


def tornado(frame: pd.DataFrame, top: int = 12, ax=None, figsize=(8, 5)) -> Figure:
    """Tornado chart of a tornado frame (offroi.tornado or offroi.sensitivity.tornado)."""
    fig, ax = _figure(ax, figsize)
    df = frame.head(top).iloc[::-1]
    base = frame.attrs.get("base_output", 0.0)
    y = np.arange(len(df))
    lo = df["output_at_low"].to_numpy() - base
    hi = df["output_at_high"].to_numpy() - base
    ax.barh(y, lo, left=base, color="#d62728", label="input at low quantile")
    ax.barh(y, hi, left=base, color="#1f77b4", label="input at high quantile")
    ax.set_yticks(y, df.index)
    ax.axvline(base, color="k", lw=1)
    ax.xaxis.set_major_formatter(FuncFormatter(_usd))
    ax.set_xlabel("output")
    ax.legend(loc="lower right")
    return fig


def waterfall(result, arrangement: Optional[str] = None, ax=None, figsize=(10, 4.5), rtol: float = 1e-9) -> Figure:
    """Waterfall of the mean net benefit: the eight additive bars (rate gap, volume,
    transition, quality, management, talent access, delivery, risk events), then the net
    benefit. The bars add up to the net benefit trial by trial, so their means must add up
    to the mean net benefit: a ValueError is raised if they do not (to ``rtol`` of the
    largest bar)."""
    comp = result.components(arrangement)
    if comp.index[-1] != "net benefit":
        raise ValueError(f"waterfall: the last component is \"{comp.index[-1]}\", not \"net benefit\"")
    steps = comp.iloc[:-1]
    total = float(comp.iloc[-1])
    scale = max(1.0, float(np.max(np.abs(steps.to_numpy()))), abs(total))
    if abs(float(steps.sum()) - total) > rtol * scale:
        raise ValueError(f"waterfall: the bars of {comp.name} add up to {steps.sum():,.2f}, "
                         f"not to the mean net benefit {total:,.2f}")
    fig, ax = _figure(ax, figsize)
    start = np.concatenate([[0.0], np.cumsum(steps.to_numpy())[:-1]])
    colors = ["#2ca02c" if v >= 0 else "#d62728" for v in steps]
    x = np.arange(len(steps) + 1)
    ax.bar(x[:-1], steps.to_numpy(), bottom=start, color=colors)
    ax.bar(x[-1], total, color="#1f77b4")
    labels = [textwrap.fill(c, 13, break_on_hyphens=False) for c in steps.index] + ["net benefit"]
    ax.set_xticks(x, labels, fontsize=7)
    ax.axhline(0, color="k", lw=1)
    ax.yaxis.set_major_formatter(FuncFormatter(_usd))
    ax.set_ylabel("mean USD (present value)")
    ax.set_title(f"{comp.name} vs {result.baseline}")
    return fig


def months_cdf(result, field: str = "breakeven_month", arrangements: Optional[Sequence[str]] = None, ax=None,
               figsize=(8, 4.5)) -> Figure:
    """Empirical CDF of a month output (``breakeven_month``, ``parity_month``) of the
    alternatives (needs kept samples). Trials that never get there (9999) are not plotted
    as a month: each curve ends at P(ever), below 1, and the legend gives P(never). Months
    beyond the horizon are the model's extrapolation at the last month's run rates (shaded)."""
    fig, ax = _figure(ax, figsize)
    names = arrangements or result.alternatives
    horizon = result.horizon_months
    hi = horizon
    for n in names:
        x = np.asarray(result.run.samples(f"{n}.{field}"), dtype=float)
        finite = np.sort(x[x < _NEVER])
        never = 1.0 - finite.size / x.size
        if finite.size:
            y = np.arange(1, finite.size + 1) / x.size
            ax.step(finite, y, where="post", label=f"{n} (never: {never:.1%})")
            hi = max(hi, float(finite[-1]))
        else:
            ax.plot([], [], label=f"{n} (never: 100%)")
    ax.axvspan(horizon, max(hi, horizon) * 1.02 + 1, color="0.9", zorder=0, label="beyond the horizon")
    ax.axvline(horizon, color="k", lw=1)
    ax.set_xlim(0, max(hi, horizon) * 1.02 + 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel(f"{field.replace('_', ' ')} (months)")
    ax.set_ylabel("P(month <= x)")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    return fig


def fan(frame: pd.DataFrame, arrangements: Optional[Sequence[str]] = None, ax=None, figsize=(8, 4.5),
        xlabel: Optional[str] = None, mean: bool = False) -> Figure:
    """Fan chart of a sweep frame (offroi.sweep): the P10-P90 band and the median per
    alternative; with ``mean`` also the mean with a band of +-2 standard errors."""
    fig, ax = _figure(ax, figsize)
    names = arrangements or list(dict.fromkeys(frame["arrangement"]))
    for n in names:
        d = frame[frame["arrangement"] == n].sort_values("value")
        line, = ax.plot(d["value"], d["p50"], marker="o", label=f"{n} median")
        ax.fill_between(d["value"], d["p10"], d["p90"], color=line.get_color(), alpha=0.25, label=f"{n} P10-P90")
        if mean:
            ax.errorbar(d["value"], d["mean"], yerr=2 * d["se"], color=line.get_color(), ls="--", marker="s",
                        ms=3, capsize=2, label=f"{n} mean +-2 SE")
    ax.axhline(0, color="k", lw=1)
    ax.yaxis.set_major_formatter(FuncFormatter(_usd))
    ax.set_xlabel(xlabel or frame.attrs.get("input", "value"))
    ax.set_ylabel("net benefit (USD, present value)")
    ax.legend()
    ax.grid(alpha=0.3)
    return fig
