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


def test_waterfall_ends_at_the_net_benefit(result, tmp_path):
    s, r = result
    fig = oplot.waterfall(r, "nearshore")
    bars = fig.axes[0].patches
    assert bars[-1].get_height() == pytest.approx(r.components("nearshore").iloc[-1])
    _png(fig, tmp_path, "waterfall")


def test_tornado_and_fan(result, tmp_path):
    s, r = result
    _png(oplot.tornado(offroi.sensitivity.tornado(s, event_trials=32)), tmp_path, "tornado")
    w = offroi.sweep(s, "nearshore.hourly_rate_usd", [0.8, 1.0, 1.2], mode="scale", trials=2000)
    fig = oplot.fan(w)
    assert len(fig.axes[0].collections) == 2  # one band per alternative
    _png(fig, tmp_path, "fan")
