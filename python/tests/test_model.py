"""The ROI model through Python (mirrors tests/model, tests/io, tests/analysis)."""
import json

import numpy as np
import pandas as pd
import pytest

import offroi

TRIALS = 20_000


@pytest.fixture(scope="module")
def scenario():
    return offroi.Scenario.default()


@pytest.fixture(scope="module")
def result(scenario):
    return offroi.simulate(scenario, trials=TRIALS, seed=11)


def test_scenario_round_trips(scenario, tmp_path):
    d = scenario.to_dict()
    assert d["name"] == scenario.name
    s2 = offroi.Scenario.from_dict(d)
    assert s2.to_json() == scenario.to_json()
    p = tmp_path / "s.json"
    scenario.save(str(p))
    assert offroi.Scenario.load(str(p)).to_json("complete") == scenario.to_json("complete")
    import pickle
    assert pickle.loads(pickle.dumps(scenario)).to_json("complete") == scenario.to_json("complete")


def test_scenario_get_set_and_presets(scenario):
    s = scenario.copy()
    s.set("offshore_team.headcount", offroi.constant(12))
    assert s.get("offshore_team.headcount").mean() == 12
    assert scenario.get("offshore_team.headcount").mean() == 10  # the copy is independent
    assert "offshore_team" in offroi.presets()
    p = offroi.Scenario.from_presets(["nearshore", "outsourcing"])
    assert p.alternatives == ["nearshore", "outsourcing"] and p.baseline == "in_house"


def test_bad_scenario_raises_invalid_scenario_with_the_field_path():
    with pytest.raises(offroi.InvalidScenario) as e:
        offroi.Scenario.from_dict({"name": "x", "horizon_monthz": 3})
    assert "horizon_monthz" in str(e.value)
    with pytest.raises(offroi.InvalidArgument) as e:
        offroi.Scenario.default().get("no_such_input")
    assert "no_such_input" in str(e.value)


def test_summary_is_a_dataframe_consistent_with_the_samples(result):
    df = result.summary()
    assert isinstance(df, pd.DataFrame)
    assert list(df.index) == ["offshore_team"]
    x = result.samples(["offshore_team.net_benefit"])["offshore_team.net_benefit"]
    assert x.shape == (TRIALS,)
    assert df.loc["offshore_team", "mean"] == pytest.approx(x.mean(), rel=1e-12)
    assert result.prob_loss() == pytest.approx(np.mean(x < 0), abs=0)
    q = result.quantiles([0.1, 0.5, 0.9])
    np.testing.assert_allclose(q.to_numpy(), np.quantile(x, [0.1, 0.5, 0.9]), rtol=1e-12)
    assert df.loc["offshore_team", "p50"] == pytest.approx(q.loc[0.5], rel=1e-12)


def test_samples_are_views_without_copies(result):
    a = result.samples()["offshore_team.net_benefit"]
    b = result.samples()["offshore_team.net_benefit"]
    assert not a.flags.owndata and not a.flags.writeable
    assert a.base is result.run
    assert np.shares_memory(a, b)
    del result  # the view keeps the C++ result alive
    assert np.isfinite(a).all()


def test_components_add_up_to_the_net_benefit(result):
    c = result.components()
    assert c.index[0] == "gross rate saving" and c.index[-1] == "net benefit"
    assert c.iloc[:-1].sum() == pytest.approx(c.iloc[-1], rel=1e-9)
    assert c.iloc[-1] == pytest.approx(result.summary().loc["offshore_team", "mean"], rel=1e-12)


def test_same_seed_same_bits_any_thread_count(scenario):
    a = offroi.simulate(scenario, trials=5000, seed=3, threads=1)
    b = offroi.simulate(scenario, trials=5000, seed=3, threads=2)
    assert a.to_json() == b.to_json()
    np.testing.assert_array_equal(a.samples()["offshore_team.roi"], b.samples()["offshore_team.roi"])


def test_progress_callback_is_called(scenario):
    seen = []
    offroi.simulate(scenario, trials=200_000, seed=1, progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1] == (200_000, 200_000)


def test_progress_exception_cancels_the_run(scenario):
    def stop(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        offroi.simulate(scenario, trials=2_000_000, seed=1, progress=stop)


def test_compare_sweep_breakeven(scenario):
    c = offroi.compare(scenario, trials=5000, seed=2)
    assert list(c.columns[:2]) == ["a", "b"] and len(c) == 1
    r = offroi.simulate(scenario, trials=5000, seed=2)
    # NB(baseline) - NB(offshore) = -mean net benefit of offshore.
    assert c.loc[0, "mean"] == pytest.approx(-r.summary().loc["offshore_team", "mean"], rel=1e-9)
    w = offroi.sweep(scenario, "offshore_team.hourly_rate_usd", [0.8, 1.0, 1.2], mode="scale", trials=5000, seed=2)
    assert list(w["value"]) == [0.8, 1.0, 1.2]
    assert w["mean"].is_monotonic_decreasing  # dearer offshore rates, less benefit (common random numbers)
    assert w.loc[1, "mean"] == pytest.approx(r.summary().loc["offshore_team", "mean"], rel=1e-12)
    b = offroi.breakeven(scenario, "offshore_team.hourly_rate_usd", 0.5, 4.0, mode="scale", trials=5000, seed=2)
    assert b["value"] > 1.2
    assert abs(b["objective_at_root"]) < 5 * max(b["objective_se_at_root"], 1.0)


def test_model_sensitivity(scenario):
    t = offroi.sensitivity.tornado(scenario, event_trials=64)
    assert (np.diff(t["swing"].to_numpy()) <= 0).all()
    r = offroi.sensitivity.rank(scenario, trials=5000, seed=1)
    assert set(r.columns) >= {"spearman", "srrc"}
    s = offroi.sensitivity.sobol(scenario, n=128, event_trials=16, bootstrap=0)
    assert "cost_of_delay_per_month_usd" in s.index


def test_ctrl_c_cancels_a_long_run_and_raises_keyboard_interrupt():
    import subprocess
    import sys
    import textwrap
    code = textwrap.dedent("""
        import os, signal, threading, time, offroi
        s = offroi.Scenario.default()
        threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
        t = time.perf_counter()
        try:
            offroi.simulate(s, trials=10**9, seed=1, keep_samples=False)
        except KeyboardInterrupt:
            print("interrupted after", round(time.perf_counter() - t, 2))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "interrupted after" in out.stdout
    assert float(out.stdout.split()[-1]) < 30  # 1e9 trials would take minutes
