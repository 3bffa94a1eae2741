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
        offroi.Scenario.from_dict({"format_version": 2, "name": "x", "horizon_monthz": 3})
    assert "horizon_monthz" in str(e.value)
    with pytest.raises(offroi.InvalidArgument) as e:
        offroi.Scenario.default().get("no_such_input")
    assert "no_such_input" in str(e.value)


def test_a_format_1_scenario_is_refused_with_what_changed():
    d = offroi.Scenario.default().to_dict()
    assert d["format_version"] == 2
    del d["format_version"]
    with pytest.raises(offroi.InvalidScenario) as e:
        offroi.Scenario.from_dict(d)
    assert "format_version" in str(e.value) and "vendor_tier" in str(e.value)


def test_framing_round_trips(scenario, tmp_path):
    assert offroi.framings() == ["project", "capacity"]
    assert scenario.framing == "project"
    s = scenario.copy()
    s.framing = "capacity"
    assert s.framing == "capacity" and scenario.framing == "project"
    d = s.to_dict()
    assert d["framing"] == "capacity"
    assert offroi.Scenario.from_dict(d).framing == "capacity"
    p = tmp_path / "capacity.json"
    s.save(str(p))
    assert offroi.Scenario.load(str(p)).framing == "capacity"
    import pickle
    assert pickle.loads(pickle.dumps(s)).framing == "capacity"
    assert s.copy().framing == "capacity"
    with pytest.raises(offroi.InvalidArgument, match="capacity"):
        s.framing = "programme"
    assert offroi.Scenario.from_presets(["nearshore"], framing="capacity").framing == "capacity"


def test_contract_follows_the_preset_and_round_trips(scenario):
    assert offroi.contract_types() == ["time_and_materials", "fixed_price", "staff_augmentation"]
    assert scenario.contract("offshore_team") == "time_and_materials"
    assert scenario.contract("local_hiring") == "time_and_materials"
    assert scenario.sourcing_model("offshore_team") == "offshore_team"
    p = offroi.Scenario.from_presets(["outsourcing", "staff_augmentation", "hybrid"])
    assert [p.contract(a) for a in p.alternatives] == ["fixed_price", "staff_augmentation", "time_and_materials"]
    p.set_contract("hybrid", "fixed_price")
    assert p.contract("hybrid") == "fixed_price"
    q = offroi.Scenario.from_dict(p.to_dict())
    assert [q.contract(a) for a in q.alternatives] == ["fixed_price", "staff_augmentation", "fixed_price"]
    import pickle
    assert pickle.loads(pickle.dumps(p)).contract("hybrid") == "fixed_price"
    with pytest.raises(offroi.InvalidArgument, match="fixed_price"):
        p.set_contract("hybrid", "cost_plus")
    with pytest.raises(offroi.InvalidArgument, match="no_such"):
        p.contract("no_such")
    # A fixed price is a project contract: the capacity framing refuses it.
    p.framing = "capacity"
    with pytest.raises(offroi.InvalidScenario):
        p.validate()
    p.set_contract("outsourcing", "time_and_materials")
    p.set_contract("hybrid", "time_and_materials")
    p.validate()


def test_new_inputs_are_settable_by_name(scenario):
    s = scenario.copy()
    for name in ["legacy_ramp_up_months", "critical_path_months", "scope_growth", "leadership_supply_hours_per_week"]:
        assert name in s.scenario_inputs and name in s.inputs
    for field in ["overhead_loading", "annual_rate_escalation", "annual_fx_drift", "initial_staffed_share",
                  "legacy_learning_factor", "market_rate_low_usd", "market_rate_high_usd", "capability_premium",
                  "fixed_price_risk_premium", "overrun_cap_share", "change_request_premium"]:
        assert f"offshore_team.{field}" in s.inputs
    assert not any(n.endswith(".vendor_tier") for n in s.inputs)
    s.set("legacy_ramp_up_months", offroi.constant(4))
    assert s.get("legacy_ramp_up_months").mean() == 4
    assert offroi.Scenario.from_dict(s.to_dict()).get("legacy_ramp_up_months").mean() == 4


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


def test_components_are_the_eight_bars_and_add_up_to_the_net_benefit(result):
    c = result.components()
    assert list(c.index) == [label for _, label in offroi.WATERFALL_BARS] + ["net benefit"]
    assert len(c) == 9
    # The mean of each bar, summed, is the mean net benefit to rounding.
    assert c.iloc[:-1].sum() == pytest.approx(c.iloc[-1], rel=1e-9, abs=1e-6)
    assert c.iloc[-1] == pytest.approx(result.summary().loc["offshore_team", "mean"], rel=1e-12)
    b = result.breakdown()
    assert list(b["output"]) == [f for f, _ in offroi.WATERFALL_BARS] + ["net_benefit"]
    x = result.samples()
    bars = np.zeros(TRIALS)
    for field, row in zip(b["output"][:-1], b.itertuples()):
        v = x[f"offshore_team.{field}"]
        assert row.mean_usd == pytest.approx(v.mean(), rel=1e-9, abs=1e-6)
        assert row.se == pytest.approx(v.std(ddof=1) / np.sqrt(TRIALS), rel=1e-9)
        bars += v
    # And trial by trial.
    nb = x["offshore_team.net_benefit"]
    np.testing.assert_allclose(bars, nb, rtol=0, atol=1e-6 * np.max(np.abs(nb)))
    # The bars mean what their names say: cheaper hours make the rate gap positive.
    assert c["rate gap"] > 0
    with pytest.raises(offroi.InvalidArgument, match="baseline"):
        result.components("local_hiring")


def _within_se(p, samples):
    """p equals the samples' mean: exactly (same summary), and so within 3 SE of it."""
    n = samples.size
    m = samples.mean()
    se = max(np.sqrt(m * (1 - m) / n), 1 / n)
    assert abs(p - m) <= 3 * se
    assert p == pytest.approx(m, rel=1e-12, abs=1e-15)


def test_prob_delivered_breakeven_parity(result):
    x = result.samples()
    for a in result.arrangements:
        p = result.prob_delivered(a)
        assert 0 <= p <= 1
        _within_se(p, x[f"{a}.delivered"])
        # delivered within the horizon <=> the delivery month is at most the horizon.
        d = x[f"{a}.delivery_month"]
        np.testing.assert_array_equal(x[f"{a}.delivered"] == 1, d <= result.horizon_months)
    a = "offshore_team"
    assert 0 < result.prob_delivered(a) < 1  # the default backlog is late in some trials
    _within_se(result.prob_breakeven(a), x[f"{a}.breakeven_in_horizon"])
    _within_se(result.prob_parity(a), x[f"{a}.parity_in_horizon"])
    assert result.prob_breakeven(a) == pytest.approx(np.mean(x[f"{a}.breakeven_month"] <= result.horizon_months))
    facts = {f["name"]: f for f in result.run.arrangements}
    assert facts[a]["prob_delivered"] == result.prob_delivered(a)
    assert facts["local_hiring"]["is_baseline"] and not facts["local_hiring"]["breakdown"]
    d = result.decision()
    assert list(d.index) == ["offshore_team"]
    assert d.loc[a, "prob_delivered"] == result.prob_delivered(a)
    assert d.loc[a, "baseline_prob_delivered"] == result.prob_delivered("local_hiring")
    assert d.attrs["framing"] == "project"


def test_months_treat_never_as_infinite(result):
    raw = result.samples()["offshore_team.breakeven_month"]
    m = result.months("breakeven_month")
    assert np.array_equal(np.isinf(m), raw >= offroi.NEVER_MONTH)
    assert np.array_equal(m[np.isfinite(m)], raw[raw < offroi.NEVER_MONTH])
    s = result.summary("breakeven_month")
    assert s.loc["offshore_team", "prob_in_horizon"] == result.prob_breakeven()
    if (raw >= offroi.NEVER_MONTH).any():
        assert np.isnan(s.loc["offshore_team", "mean"]) and s.loc["offshore_team", "max"] == np.inf
    assert (s.drop(columns=["mean", "sd", "se", "expected_shortfall"]).to_numpy() != offroi.NEVER_MONTH).all()


def test_capacity_framing_compares_at_equal_output(scenario):
    s = scenario.copy()
    s.framing = "capacity"
    r = offroi.simulate(s, trials=5000, seed=3)
    assert r.framing == "capacity"
    assert r.prob_delivered() == 1 and r.prob_delivered("local_hiring") == 1
    x = r.samples()
    assert (x["offshore_team.delivered"] == 1).all()
    c = r.components()
    assert c.iloc[:-1].sum() == pytest.approx(c.iloc[-1], rel=1e-9, abs=1e-6)
    # No cost of delay under the capacity framing: the delivery bar is the value of the output gap.
    assert c["output (gap at the baseline's unit cost)"] == pytest.approx(r.summary("delivery_value").loc["offshore_team", "mean"],
                                                           rel=1e-12, abs=1e-9)


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
    assert w.loc[1, "mean"] == pytest.approx(r.summary().loc["offshore_team", "mean"], rel=1e-12)
    assert w.loc[1, "prob_delivered"] == pytest.approx(r.prob_delivered(), abs=0)
    assert w.loc[1, "prob_breakeven"] == pytest.approx(r.prob_breakeven(), abs=0)
    assert (w["baseline_prob_delivered"] == r.prob_delivered("local_hiring")).all()
    # The capability tier follows the rate, so the net benefit is not monotonic in the rate:
    # dearer vendors first gain (a higher tier) and then lose (the tier is capped at the top of
    # the offshore band while the price keeps rising). Break-even above the optimum:
    b = offroi.breakeven(scenario, "offshore_team.hourly_rate_usd", 1.5, 4.0, mode="scale", trials=5000, seed=2)
    assert 1.5 < b["value"] < 4.0
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
