"""offroi.plot renders every chart to PNG (Agg), readable by a board: value labels, money
axes, human input names, legends outside the data, one colour per arrangement.

Set OFFROI_PLOT_DIR to keep the PNGs for a look (they were looked at when these tests were
written: docs/python-guide.md shows the same charts)."""
import os

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import offroi  # noqa: E402
import offroi.plot as oplot  # noqa: E402


@pytest.fixture(scope="module")
def result():
    s = offroi.Scenario.from_presets(["offshore_team", "nearshore"])
    return s, offroi.simulate(s, trials=5000, seed=4)


def _png(fig, tmp_path, name):
    assert isinstance(fig, Figure)
    keep = os.environ.get("OFFROI_PLOT_DIR")
    p = (tmp_path if not keep else __import__("pathlib").Path(keep)) / f"{name}.png"
    fig.savefig(p, dpi=80)
    data = p.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 2000
    _legends_outside_the_data(fig)
    _tick_labels_do_not_overlap(fig)


def _legends_outside_the_data(fig):
    """No legend's box overlaps the data area of its axes."""
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    for ax in fig.axes:
        leg = ax.get_legend()
        if leg is None:
            continue
        lb = leg.get_window_extent(r)
        ab = ax.get_window_extent(r)
        overlap_w = min(lb.x1, ab.x1) - max(lb.x0, ab.x0)
        overlap_h = min(lb.y1, ab.y1) - max(lb.y0, ab.y0)
        assert overlap_w <= 0 or overlap_h <= 0, f"the legend covers the data of {ax.get_title() or ax}"


def _tick_labels_do_not_overlap(fig):
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            boxes = [t.get_window_extent(r) for t in axis.get_ticklabels() if t.get_visible() and t.get_text()]
            for a, b in zip(boxes, boxes[1:]):
                ow = min(a.x1, b.x1) - max(a.x0, b.x0)
                oh = min(a.y1, b.y1) - max(a.y0, b.y0)
                assert ow <= 0 or oh <= 0, f"tick labels overlap: {[t.get_text() for t in axis.get_ticklabels()]}"


def _money(axis):
    """The axis's tick labels are money ($1.2M)."""
    labels = [t.get_text() for t in axis.get_ticklabels() if t.get_text()]
    assert labels and all("$" in t for t in labels), labels


def test_histogram_cdf(result, tmp_path):
    s, r = result
    fig = oplot.histogram(r)
    ax = fig.axes[0]
    assert len(ax.get_legend().get_texts()) == 2
    assert ax.get_xlabel() == "Net benefit vs in_house, USD (present value)"
    fig.canvas.draw()
    _money(ax.xaxis)
    _png(fig, tmp_path, "hist")
    fig = oplot.cdf(r)
    line = fig.axes[0].get_lines()[0]
    assert np.all(np.diff(line.get_ydata()) > 0)
    _png(fig, tmp_path, "cdf")


def test_waterfall_has_eight_bars_that_add_up_to_the_net_benefit(result, tmp_path):
    s, r = result
    fig = oplot.waterfall(r, "nearshore")
    bars = fig.axes[0].patches
    assert len(bars) == 9
    nb = r.summary().loc["nearshore", "mean"]
    assert bars[-1].get_height() == pytest.approx(nb, rel=1e-12)
    # Each floating bar starts where the previous one ended; the last one ends at the net benefit.
    for prev, cur in zip(bars[:7], bars[1:8]):
        assert cur.get_y() == pytest.approx(prev.get_y() + prev.get_height(), abs=1e-6)
    assert bars[7].get_y() + bars[7].get_height() == pytest.approx(nb, rel=1e-9, abs=1e-6)
    assert sum(b.get_height() for b in bars[:8]) == pytest.approx(nb, rel=1e-9, abs=1e-6)
    # A value label per bar ("+$2.5M", "-$275k", "$894k"), money on the axis, short names.
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    comp = r.components("nearshore")
    assert len(texts) == 9
    for text, v in zip(texts, comp.to_numpy()):
        assert text.lstrip("+") == oplot.usd(v)
    assert texts[-1] == oplot.usd(nb)
    assert [t.get_text() for t in ax.get_xticklabels()][:3] == ["rate gap", "volume", "transition"]
    fig.canvas.draw()
    _money(ax.yaxis)
    assert "USD" in ax.get_ylabel() and r.baseline in ax.get_ylabel()
    # The labels sit inside the axes (not clipped at the top or bottom).
    rend = fig.canvas.get_renderer()
    box = ax.get_window_extent(rend)
    for t in ax.texts:
        tb = t.get_window_extent(rend)
        assert box.y0 - 1 <= tb.y0 and tb.y1 <= box.y1 + 1
    _png(fig, tmp_path, "waterfall")


def test_waterfall_refuses_bars_that_do_not_add_up(result):
    s, r = result

    class Broken:
        baseline = r.baseline

        def components(self, arrangement=None):
            c = r.components(arrangement).copy()
            c.iloc[0] += 1000.0
            return c

    with pytest.raises(ValueError, match="add up"):
        oplot.waterfall(Broken(), "nearshore")


def test_months_cdf_treats_never_as_never(result, tmp_path):
    s, r = result
    fig = oplot.months_cdf(r, "breakeven_month")
    assert fig.axes[0].get_xlabel() == "Cash break-even month, months from the start"
    ax = fig.axes[0]
    lines = ax.get_lines()
    steps = [ln for ln in lines if len(ln.get_xdata()) > 2]
    assert len(steps) == 2
    for name, ln in zip(r.alternatives, steps):
        raw = r.samples([f"{name}.breakeven_month"])[f"{name}.breakeven_month"]
        x, y = np.asarray(ln.get_xdata()), np.asarray(ln.get_ydata())
        assert x.max() < offroi.NEVER_MONTH  # "never" is not a month on the axis
        assert y[-1] == pytest.approx(np.mean(raw < offroi.NEVER_MONTH))  # the curve ends at P(ever)
        assert np.all(np.diff(y) > 0)
    assert ax.get_xlim()[1] < offroi.NEVER_MONTH
    _png(fig, tmp_path, "months")


def test_tornado_and_fan(result, tmp_path):
    s, r = result
    t = offroi.sensitivity.tornado(s, event_trials=32)
    fig = oplot.tornado(t)
    ax = fig.axes[0]
    names = [x.get_text() for x in ax.get_yticklabels()]
    # Human names from the descriptions, not raw field names; the axis says what it is.
    assert "offshore_team: hourly rate (USD/h)" in names
    assert all("_usd" not in n and "_months" not in n for n in names), names
    assert ax.get_xlabel().startswith("Expected net benefit of offshore_team vs in_house, USD")
    fig.canvas.draw()
    _money(ax.xaxis)
    assert len(ax.texts) == 2 * len(names)  # the output at each bar end
    _png(fig, tmp_path, "tornado")
    fig = oplot.tornado(t, labels={"offshore_team.hourly_rate_usd": "India rate"})
    assert "India rate" in [x.get_text() for x in fig.axes[0].get_yticklabels()]
    w = offroi.sweep(s, "nearshore.hourly_rate_usd", [0.8, 1.0, 1.2], mode="scale", trials=2000)
    fig = oplot.fan(w)
    ax = fig.axes[0]
    assert len(ax.collections) == 2  # one band per alternative
    assert ax.get_xlabel() == "Factor on nearshore: hourly rate (USD/h)"
    assert ax.get_ylabel() == "Net benefit vs in_house, USD (present value)"
    fig.canvas.draw()
    _money(ax.yaxis)
    _png(fig, tmp_path, "fan")
    w = offroi.sweep(s, "nearshore.hourly_rate_usd", [40, 60, 80], trials=1000)
    fig = oplot.fan(w, mean=True)
    fig.canvas.draw()
    _money(fig.axes[0].xaxis)  # a USD input: money on x too
    _png(fig, tmp_path, "fan_set")


def _colour_of_label(ax, name):
    from matplotlib.colors import to_hex
    leg = ax.get_legend()
    for h, t in zip(leg.legend_handles if hasattr(leg, "legend_handles") else leg.legendHandles, leg.get_texts()):
        if t.get_text().startswith(name):
            c = h.get_facecolor() if hasattr(h, "get_facecolor") and not hasattr(h, "get_xdata") else h.get_color()
            return to_hex(c, keep_alpha=False)
    raise AssertionError(f"no legend entry for {name}")


def test_one_colour_per_arrangement_in_every_plot(result, tmp_path):
    s, r = result
    want = offroi.arrangement_colours(r.arrangements, r.baseline)
    assert len(set(want.values())) == len(want)  # distinct
    assert want == offroi.arrangement_colours(["nearshore", "in_house", "offshore_team"], "in_house")  # by name
    w = offroi.sweep(s, "nearshore.hourly_rate_usd", [0.9, 1.1], mode="scale", trials=1000)
    figs = {"hist": oplot.histogram(r), "cdf": oplot.cdf(r), "months": oplot.months_cdf(r, "delivery_month"),
            "fan": oplot.fan(w)}
    for kind, fig in figs.items():
        ax = fig.axes[0]
        names = r.arrangements if kind == "months" else r.alternatives
        for n in names:
            assert _colour_of_label(ax, n) == want[n], (kind, n)
    from matplotlib.colors import to_hex
    fig = oplot.waterfall(r, "nearshore")
    assert to_hex(fig.axes[0].patches[-1].get_facecolor(), keep_alpha=False) == want["nearshore"]
    # Another scenario with the same arrangement names: the same colours.
    s2 = offroi.Scenario.from_presets(["nearshore"])
    r2 = offroi.simulate(s2, trials=500, seed=1)
    assert _colour_of_label(oplot.cdf(r2).axes[0], "nearshore") == want["nearshore"]


def test_plots_need_samples_and_say_so(result):
    s, _ = result
    r = offroi.simulate(s, trials=500, seed=1, keep_samples=False)
    for plot in (oplot.histogram, oplot.cdf, oplot.months_cdf):
        with pytest.raises(offroi.InvalidArgument, match="keep_samples=True"):
            plot(r)
    oplot.waterfall(r)  # means only: works without samples
