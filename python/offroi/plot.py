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

__all__ = ["histogram", "cdf", "tornado", "waterfall", "fan"]


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


def waterfall(result, arrangement: Optional[str] = None, ax=None, figsize=(9, 4.5)) -> Figure:
    """Waterfall of the mean net benefit: gross rate saving, then each cost component, to net benefit."""
    fig, ax = _figure(ax, figsize)
    comp = result.components(arrangement)
    steps = comp.drop(labels=[c for c in comp.index if c == "net benefit"])
    total = float(comp.get("net benefit", steps.sum()))
    start = np.concatenate([[0.0], np.cumsum(steps.to_numpy())[:-1]])
    colors = ["#2ca02c" if v >= 0 else "#d62728" for v in steps]
    x = np.arange(len(steps) + 1)
    ax.bar(x[:-1], steps.to_numpy(), bottom=start, color=colors)
    ax.bar(x[-1], total, color="#1f77b4")
    ax.set_xticks(x, [textwrap.fill(c, 12, break_on_hyphens=False) for c in steps.index] + ["net benefit"], fontsize=8)
    ax.axhline(0, color="k", lw=1)
    ax.yaxis.set_major_formatter(FuncFormatter(_usd))
    ax.set_ylabel("mean USD (present value)")
    ax.set_title(f"{comp.name} vs {result.baseline}")
    return fig


def fan(frame: pd.DataFrame, arrangements: Optional[Sequence[str]] = None, ax=None, figsize=(8, 4.5),
        xlabel: Optional[str] = None) -> Figure:
    """Fan chart of a sweep frame (offroi.sweep): the P10-P90 band and the median per alternative."""
    fig, ax = _figure(ax, figsize)
    names = arrangements or list(dict.fromkeys(frame["arrangement"]))
    for n in names:
        d = frame[frame["arrangement"] == n].sort_values("value")
        line, = ax.plot(d["value"], d["p50"], marker="o", label=f"{n} median")
        ax.fill_between(d["value"], d["p10"], d["p90"], color=line.get_color(), alpha=0.25, label=f"{n} P10-P90")
    ax.axhline(0, color="k", lw=1)
    ax.yaxis.set_major_formatter(FuncFormatter(_usd))
    ax.set_xlabel(xlabel or frame.attrs.get("input", "value"))
    ax.set_ylabel("net benefit (USD, present value)")
    ax.legend()
    ax.grid(alpha=0.3)
    return fig
