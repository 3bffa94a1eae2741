"""docs/python-guide.md: every ```python block runs, in order, in one namespace (as a reader
would paste them), in a scratch directory. A block that raises fails the test."""
import os
import re
import warnings
from pathlib import Path

import pytest

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "python-guide.md"


def _blocks():
    text = GUIDE.read_text()
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_the_guide_has_code():
    assert len(_blocks()) >= 12


def test_every_python_block_of_the_guide_runs(tmp_path, monkeypatch, capsys):
    import matplotlib
    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)
    ns = {"__name__": "__guide__"}
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)  # the guide uses current names only
        for i, code in enumerate(_blocks()):
            try:
                exec(compile(code, f"{GUIDE.name} block {i + 1}", "exec"), ns)
            except Exception as e:  # pragma: no cover - the message is the point
                pytest.fail(f"block {i + 1} of {GUIDE.name} raised {type(e).__name__}: {e}\n{code}")
    import matplotlib.pyplot as plt
    plt.close("all")
    out = capsys.readouterr().out
    # What the text promises about the printed results.
    assert "<offroi.Scenario 'Where to build the payments platform'>" in out
    assert "offroi.pert(38, 45, 60)" in out
    refused = next(line for line in out.splitlines() if line.startswith("refused:"))
    assert "did you mean" in refused and "lisbon_team.hourly_rate_usd" in refused
    assert "india_team.hourly_rate_usd: uniform(-5, 30)" in out
    assert "breaks even" in out
    assert "{'lognormal': {'p10': 60000.0, 'p90': 250000.0}}" in out
    assert ns["b"].value > 0 and ns["r"].summary().loc["local_hiring", "is_baseline"]
    assert sorted(os.listdir(ns["out"])) == ["delivery.png", "histogram.png", "sweep.png", "tornado.png",
                                             "waterfall.png"]
