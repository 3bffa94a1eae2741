"""Plots of offroi results (matplotlib; Agg-safe). Every function returns a Figure."""
from __future__ import annotations

from typing import Optional, Sequence

import os
import sys

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

__all__ = ["histogram", "cdf", "months_cdf", "tornado", "waterfall", "fan", "usd", "money_axis", "legend_outside",
           "colours"]

# The value of a month output that never happens (C++ offroi::never_month).
_NEVER = 9999.0


def usd(x, _pos=None) -> str:
    """Money as a board reads it: "$1.2M", "-$350k", "$950", "$0"."""
    a = abs(x)
    s = "-" if x < 0 and a >= 0.5 else ""
    if a >= 1e9:
        return f"{s}${a / 1e9:.1f}B"
    if a >= 1e6:
        return f"{s}${a / 1e6:.1f}M"
    if a >= 1e3:
        return f"{s}${a / 1e3:.0f}k"
    return f"{s}${a:.0f}"


_usd = usd  # the name of earlier releases


def money_axis(axis) -> None:
    """Format a matplotlib axis (ax.xaxis or ax.yaxis) as money ($1.2M)."""
    axis.set_major_formatter(FuncFormatter(usd))


def legend_outside(ax, **kw):
    """A legend to the right of the axes, outside the data area (it never covers data);
    constrained layout makes room for it. Returns the Legend."""
    kw.setdefault("fontsize", 8)
    return ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, frameon=False, **kw)


def colours(result) -> dict:
    """One colour per arrangement of a result, keyed by its name (offroi.arrangement_colours):
    the same in every plot of the result."""
    from .labels import arrangement_colours
    return arrangement_colours(result.arrangements, result.baseline)


def _figure(ax, figsize):
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    else:
        fig = ax.figure
    return fig, ax


def _net_benefit(result, arrangements):
    names = arrangements or result.alternatives
    if hasattr(result, "_need_samples"):
        result._need_samples("offroi.plot")
    return {n: result.run.samples(f"{n}.net_benefit") for n in names}


def _nb_label(result) -> str:
    return f"Net benefit vs {result.baseline}, USD (present value)"


def histogram(result, arrangements: Optional[Sequence[str]] = None, bins: int = 80, ax=None,
              figsize=(9, 4.5)) -> Figure:
    """Overlaid histograms of the alternatives' net benefit (needs kept samples); money x
    axis, each arrangement in its colour, P(loss) in the legend (outside the data)."""
    fig, ax = _figure(ax, figsize)
    data = _net_benefit(result, arrangements)
    col = colours(result)
    lo = min(np.min(v) for v in data.values())
    hi = max(np.max(v) for v in data.values())
    edges = np.linspace(lo, hi, bins + 1)
    for n, v in data.items():
        ax.hist(v, bins=edges, alpha=0.45, density=True, color=col[n],
                label=f"{n} (P(loss) {result.prob_loss(n):.1%})")
    ax.axvline(0, color="k", lw=1)
    money_axis(ax.xaxis)
    ax.set_yticks([])
    ax.set_xlabel(_nb_label(result))
    ax.set_ylabel("Share of trials (density)")
    legend_outside(ax)
    return fig


def cdf(result, arrangements: Optional[Sequence[str]] = None, ax=None, figsize=(9, 4.5)) -> Figure:
    """Overlaid empirical CDFs of the alternatives' net benefit; P(loss) is read at 0."""
    fig, ax = _figure(ax, figsize)
    col = colours(result)
    for n, v in _net_benefit(result, arrangements).items():
        x = np.sort(v)
        ax.plot(x, np.arange(1, x.size + 1) / x.size, color=col[n], label=f"{n} (P(loss) {result.prob_loss(n):.1%})")
    ax.axvline(0, color="k", lw=1)
    money_axis(ax.xaxis)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_xlabel(_nb_label(result))
    ax.set_ylabel("Share of trials at or below")
    ax.grid(alpha=0.3)
    legend_outside(ax)
    return fig


def tornado(frame: pd.DataFrame, top: int = 12, ax=None, figsize=(10, 5), labels=None, scenario=None) -> Figure:
    """Tornado chart of a tornado frame (offroi.tornado or offroi.sensitivity.tornado).

    Inputs are shown by their human names (``frame.attrs["labels"]``, set by
    offroi.sensitivity.tornado, else offroi.input_label; ``labels={name: text}`` overrides),
    the x axis is money and says what it is (``frame.attrs["output"]``), each bar carries the
    output at its end, and the legend sits outside the data.
    """
    from .labels import input_label
    fig, ax = _figure(ax, figsize)
    df = frame.head(top).iloc[::-1]
    base = frame.attrs.get("base_output", 0.0)
    y = np.arange(len(df))
    lo_v = df["output_at_low"].to_numpy()
    hi_v = df["output_at_high"].to_numpy()
    ax.barh(y, lo_v - base, left=base, color="#D55E00", label="input at its P10")
    ax.barh(y, hi_v - base, left=base, color="#0072B2", label="input at its P90")
    known = dict(frame.attrs.get("labels", {}))
    names = [(labels or {}).get(n) or known.get(n) or input_label(n, scenario) for n in df.index]
    ax.set_yticks(y, names)
    ax.axvline(base, color="k", lw=1)
    money_axis(ax.xaxis)
    ax.set_xlabel(frame.attrs.get("output", "Model output, USD") +
                  (f" (all inputs at P50: {usd(base)})" if base else ""))
    # The value at each bar end, outside the bar.
    span = max(1.0, float(np.max(np.abs(np.concatenate([lo_v, hi_v]) - base))))
    for yi, a, b in zip(y, lo_v, hi_v):
        for v in (a, b):
            right = v >= base
            ax.text(v + (0.01 if right else -0.01) * span, yi, usd(v), va="center",
                    ha="left" if right else "right", fontsize=7)
    ax.margins(x=0.15)
    legend_outside(ax)
    return fig


def _short(component: str) -> str:
    """ "transition (transfer, set-up, ...)" -> "transition" """
    return component.split(" (", 1)[0]


def waterfall(result, arrangement: Optional[str] = None, ax=None, figsize=(11, 5), rtol: float = 1e-9) -> Figure:
    """Waterfall of the mean net benefit: the eight additive bars (rate gap, volume,
    transition, quality, management, talent access, delivery, risk events), then the net
    benefit, each labelled with its value ($1.2M); gains green, costs red, the net benefit
    in the arrangement's colour. The bars add up to the net benefit trial by trial, so their
    means must add up to the mean net benefit: a ValueError is raised if they do not (to
    ``rtol`` of the largest bar). Tick labels are the bars' short names (the full ones are in
    ``Result.breakdown``)."""
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
    bar_colours = ["#3a923a" if v >= 0 else "#c44e52" for v in steps]  # gains, costs (not arrangement hues)
    x = np.arange(len(steps) + 1)
    try:
        total_colour = colours(result).get(comp.name, "#0072B2")
    except AttributeError:  # a stand-in without arrangements
        total_colour = "#0072B2"
    ax.bar(x[:-1], steps.to_numpy(), bottom=start, color=bar_colours, width=0.7)
    ax.bar(x[-1], total, color=total_colour, width=0.7)
    # Connectors from each bar's end to the next bar's start.
    ends = np.concatenate([start + steps.to_numpy(), [total]])
    for i in range(len(steps)):
        ax.plot([x[i] + 0.35, x[i + 1] - 0.35], [ends[i], ends[i]], color="0.5", lw=0.7)
    # Value labels: above a gain's top, below a cost's bottom.
    values = list(steps.to_numpy()) + [total]
    bottoms = list(start) + [0.0]
    for xi, v, b in zip(x, values, bottoms):
        top = b + v
        y_at = max(b, top) if v >= 0 else min(b, top)
        ax.annotate(usd(v) if v < 0 else "+" + usd(v) if xi < x[-1] else usd(v), (xi, y_at),
                    xytext=(0, 3 if v >= 0 else -3), textcoords="offset points", ha="center",
                    va="bottom" if v >= 0 else "top", fontsize=8, fontweight="bold" if xi == x[-1] else "normal")
    labels = [_short(c) for c in steps.index] + ["net benefit"]
    ax.set_xticks(x, labels, fontsize=9)
    ax.axhline(0, color="k", lw=1)
    # Room for the value labels above the highest and below the lowest bar end.
    lo_y = min(0.0, float(np.min(np.minimum(start, ends[:-1]))), total)
    hi_y = max(0.0, float(np.max(np.maximum(start, ends[:-1]))), total)
    pad = 0.1 * (hi_y - lo_y or 1.0)
    ax.set_ylim(lo_y - (pad if lo_y < 0 else 0.0), hi_y + pad)
    money_axis(ax.yaxis)
    ax.set_ylabel(f"Mean contribution vs {result.baseline}, USD (present value)")
    ax.set_title(f"Where the net benefit of {comp.name} vs {result.baseline} comes from")
    return fig


def months_cdf(result, field: str = "breakeven_month", arrangements: Optional[Sequence[str]] = None, ax=None,
               figsize=(9, 4.5)) -> Figure:
    """Empirical CDF of a month output (``breakeven_month``, ``parity_month``,
    ``delivery_month``) of the arrangements (needs kept samples; default: the alternatives,
    and the baseline too for ``delivery_month``). Trials that never get there (9999) are not
    plotted as a month: each curve ends at P(ever), below 1, and the legend gives P(within the
    horizon) and P(never). Months beyond the horizon are the model's extrapolation at the
    last month's run rate (shaded)."""
    if hasattr(result, "_need_samples"):
        result._need_samples("offroi.plot.months_cdf")
    fig, ax = _figure(ax, figsize)
    col = colours(result)
    if arrangements:
        names = list(arrangements)
    elif field == "delivery_month":
        names = result.arrangements
    else:
        names = result.alternatives
    horizon = result.horizon_months
    hi = horizon
    for n in names:
        x = np.asarray(result.run.samples(f"{n}.{field}"), dtype=float)
        finite = np.sort(x[x < _NEVER])
        never = 1.0 - finite.size / x.size
        within = float(np.mean(x <= horizon))
        if finite.size:
            y = np.arange(1, finite.size + 1) / x.size
            ax.step(finite, y, where="post", color=col.get(n), label=f"{n}: {within:.0%} within {horizon} m, "
                                                                    f"never {never:.1%}")
            hi = max(hi, float(finite[-1]))
        else:
            ax.plot([], [], color=col.get(n), label=f"{n}: never (100%)")
    ax.axvspan(horizon, max(hi, horizon) * 1.02 + 1, color="0.92", zorder=0, label="beyond the horizon (extrapolated)")
    ax.axvline(horizon, color="k", lw=1)
    ax.set_xlim(0, max(hi, horizon) * 1.02 + 1)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0%}"))
    from .labels import output_label
    ax.set_xlabel(f"{output_label(field)[0].upper()}{output_label(field)[1:]}, months from the start")
    ax.set_ylabel("Share of trials reached by then")
    ax.grid(alpha=0.3)
    legend_outside(ax)
    return fig


def fan(frame: pd.DataFrame, arrangements: Optional[Sequence[str]] = None, ax=None, figsize=(9, 4.5),
        xlabel: Optional[str] = None, mean: bool = False) -> Figure:
    """Fan chart of a sweep frame (offroi.sweep): the P10-P90 band and the median per
    alternative (in its colour); with ``mean`` also the mean with a band of +-2 standard
    errors. The y axis is money; the x axis is the swept input by its human name (money
    when the input is in USD, "x factor" in mode "scale"); the legend sits outside."""
    from .labels import arrangement_colours, input_label
    fig, ax = _figure(ax, figsize)
    names = arrangements or list(dict.fromkeys(frame["arrangement"]))
    baseline = frame.attrs.get("baseline")
    col = arrangement_colours(list(dict.fromkeys(frame["arrangement"])), baseline)
    for n in names:
        d = frame[frame["arrangement"] == n].sort_values("value")
        c = col.get(n)
        ax.plot(d["value"], d["p50"], marker="o", color=c, label=f"{n}: median")
        ax.fill_between(d["value"], d["p10"], d["p90"], color=c, alpha=0.2, label=f"{n}: P10-P90")
        if mean:
            ax.errorbar(d["value"], d["mean"], yerr=2 * d["se"], color=c, ls="--", marker="s",
                        ms=3, capsize=2, label=f"{n}: mean +-2 SE")
    ax.axhline(0, color="k", lw=1)
    money_axis(ax.yaxis)
    inp = frame.attrs.get("input", "")
    scale = frame.attrs.get("mode") == "scale"
    if xlabel is None:
        xlabel = (f"Factor on {input_label(inp)}" if scale else input_label(inp)) if inp else "value"
    if inp.endswith("_usd") and not scale:
        money_axis(ax.xaxis)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(f"Net benefit vs {baseline}, USD (present value)" if baseline
                  else "Net benefit, USD (present value)")
    legend_outside(ax)
    ax.grid(alpha=0.3)
    return fig
