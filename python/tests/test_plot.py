"""offroi.plot renders every chart to PNG (Agg)."""
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
    p = tmp_path / f"{name}.png"
    fig.savefig(p, dpi=60)
    data = p.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 2000


def test_histogram_cdf(result, tmp_path):
    s, r = result
    fig = oplot.histogram(r)
    assert len(fig.axes[0].get_legend().get_texts()) == 2
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
    _png(oplot.tornado(offroi.sensitivity.tornado(s, event_trials=32)), tmp_path, "tornado")
    w = offroi.sweep(s, "nearshore.hourly_rate_usd", [0.8, 1.0, 1.2], mode="scale", trials=2000)
    fig = oplot.fan(w)
    assert len(fig.axes[0].collections) == 2  # one band per alternative
    _png(fig, tmp_path, "fan")
