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
    assert list(df.index) == ["local_hiring", "offshore_team"]  # the baseline row is always there
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
    assert isinstance(b, offroi.BreakevenResult)
    assert 1.5 < b.value < 4.0
    assert abs(b.objective_at_root) < 5 * max(b.objective_se_at_root, 1.0)


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


# -- issue 14: "never" as a first-class outcome ---------------------------------------------------

@pytest.mark.parametrize("field,indicator", [("delivery_month", "delivered"),
                                             ("breakeven_month", "breakeven_in_horizon"),
                                             ("parity_month", "parity_in_horizon")])
def test_month_summaries_keep_never_apart(result, field, indicator):
    x = result.samples()
    h = result.horizon_months
    s = result.summary(field)
    assert s.attrs["conditional"].startswith("mean .. max")
    assert "prob_loss" not in s and "expected_shortfall" not in s and "prob_negative" not in s
    for a in s.index:
        if f"{a}.{field}" not in x:
            assert s.loc[a, "is_baseline"] and np.isnan(s.loc[a, "prob_within_horizon"])
            continue
        raw = x[f"{a}.{field}"]
        within = raw[x[f"{a}.{indicator}"] == 1]
        assert np.array_equal(x[f"{a}.{indicator}"] == 1, raw <= h)
        # The probabilities are the exact shares of the trials.
        assert s.loc[a, "prob_within_horizon"] == pytest.approx(within.size / raw.size, abs=1e-15)
        assert s.loc[a, "prob_never"] == pytest.approx(np.mean(raw >= offroi.NEVER_MONTH), abs=1e-15)
        assert s.loc[a, "prob_beyond_horizon"] == pytest.approx(np.mean((raw > h) & (raw < offroi.NEVER_MONTH)),
                                                                abs=1e-12)
        assert s.loc[a, "count_within"] == within.size
        # The month over the trials in which it happens within the horizon: no "never" and
        # no extrapolated month enters it.
        assert s.loc[a, "mean"] == pytest.approx(within.mean(), rel=1e-12)
        assert s.loc[a, "sd"] == pytest.approx(within.std(ddof=1), rel=1e-9)
        np.testing.assert_allclose(s.loc[a, ["p10", "p50", "p90"]].to_numpy(dtype=float),
                                   np.quantile(within, [0.1, 0.5, 0.9]), rtol=1e-12)
        assert s.loc[a, "max"] <= h and s.loc[a, "min"] == within.min()
        if within.size < raw.size:  # the unconditional mean is dragged up by the late trials
            assert s.loc[a, "mean"] < raw.mean()
    if field == "breakeven_month":
        assert s.loc["offshore_team", "prob_within_horizon"] == result.prob_breakeven()
    if field == "delivery_month":
        assert s.loc["local_hiring", "prob_within_horizon"] == result.prob_delivered("local_hiring")


def test_month_summaries_without_samples_come_from_the_sketch(scenario, result):
    r = offroi.simulate(scenario, trials=TRIALS, seed=11, keep_samples=False)
    assert not r.samples_kept
    exact = result.summary("delivery_month")
    approx = r.summary("delivery_month")
    # Probabilities are exact counts either way.
    for c in ("prob_within_horizon", "prob_beyond_horizon", "prob_never", "count_within"):
        assert approx[c].tolist() == pytest.approx(exact[c].tolist(), abs=1e-15)
    # Percentiles from the sketch (relative accuracy 0.1% per order statistic; the mean from 4096 of
    # them): within 2% of the exact ones.
    for c in ("p10", "p50", "p90", "mean"):
        np.testing.assert_allclose(approx[c].to_numpy(dtype=float), exact[c].to_numpy(dtype=float), rtol=0.02)
    assert r.month_outcome("delivery_month", "offshore_team")["exact"] is False
    assert result.month_outcome("delivery_month", "offshore_team")["exact"] is True


def test_json_keeps_the_old_month_summaries_and_adds_months(result):
    a = json.loads(result.to_json())["arrangements"][1]
    assert a["outputs"]["breakeven_month"]["max"] is not None  # unchanged, never_month included
    m = a["months"]["breakeven_month"]
    assert set(m) == {"prob_within_horizon", "prob_beyond_horizon", "prob_never", "trials", "count_within", "exact",
                      "within_horizon"}
    assert m["prob_within_horizon"] + m["prob_beyond_horizon"] + m["prob_never"] == pytest.approx(1.0, abs=1e-12)


# -- issue 14: the summary table --------------------------------------------------------------------

def test_summary_columns_fit_the_output_and_expected_shortfall_is_a_positive_loss(result):
    s = result.summary()
    base = s.loc["local_hiring"]
    assert base["is_baseline"] and base["mean"] == 0 and base["prob_loss"] == 0  # vs itself
    es = s.loc["offshore_team", "expected_shortfall"]
    assert es == result.expected_shortfall("offshore_team")
    # The mean loss in the worst 5% of trials, from the samples: > 0 (P(loss) is above 5%).
    x = np.sort(result.samples()["offshore_team.net_benefit"])
    k = int(np.ceil(0.05 * x.size))
    assert result.prob_loss() > 0.05 and es > 0
    assert es == pytest.approx(-x[:k].mean(), rel=2e-3)  # estimator conventions differ by < 1 trial in k
    spend = result.summary("spend")
    assert "prob_loss" not in spend and "expected_shortfall" not in spend and "tail_mean" in spend
    assert spend.loc["local_hiring", "tail_mean"] > spend.loc["local_hiring", "p90"]
    d = result.summary("delivered")
    assert list(d.columns) == ["is_baseline", "mean", "prob_delivered"]


def test_old_output_names_work_with_a_deprecation_warning(scenario, result):
    every = offroi.simulate(scenario, trials=2000, seed=1, all_outputs=True)
    with pytest.warns(DeprecationWarning, match="delay_cost"):
        old = every.summary("cost_of_delay")
    pd.testing.assert_frame_equal(old, every.summary("delay_cost"))
    with pytest.warns(DeprecationWarning, match="spend"):
        x = result.samples(["offshore_team.direct_cost"])
    assert list(x) == ["offshore_team.spend"]
    with pytest.warns(DeprecationWarning, match="breakeven_month"):
        result.months("payback_month")


def test_drivers_contribution_is_a_non_negative_share(scenario):
    r = offroi.simulate(scenario, trials=4000, seed=1, driver_trials=4000)
    d = r.drivers()
    c = d["contribution_to_variance"]
    assert (c >= 0).all()
    assert c.sum() == pytest.approx(1.0, rel=1e-9)  # rho^2 / sum rho^2
    np.testing.assert_allclose(c, d["spearman"] ** 2 / (d["spearman"] ** 2).sum(), rtol=1e-9)
    assert d.loc["offshore_team.hourly_rate_usd", "spearman"] > 0  # the sign lives in the coefficients
    assert d.loc["offshore_team.hourly_rate_usd", "label"] == "offshore_team: hourly rate (USD/h)"
    X = np.column_stack([np.arange(100.0), -np.arange(100.0) ** 3])
    rs = offroi.rank_sensitivity(X, np.arange(100.0) + np.sin(np.arange(100.0)))
    assert (rs["contribution_to_variance"] >= 0).all() and rs["spearman"].iloc[1] < 0


def test_drivers_without_recorded_trials_says_what_to_pass(result):
    with pytest.raises(offroi.InvalidArgument, match=r"driver_trials=N") as e:
        result.drivers()
    assert "run_request" not in str(e.value)


def test_sobol_notes_a_first_order_above_its_total_order():
    from offroi.distributions import _sobol_frame
    d = {"names": ["a", "b"], "first_order": [0.6, 0.05], "total_order": [0.7, 0.01], "first_order_se": [0.01, 0.02],
         "total_order_se": [0.01, 0.02], "first_order_ci": [[0.5, 0.7], [0, 0.1]],
         "total_order_ci": [[0.6, 0.8], [0, 0.05]], "mean": 0, "variance": 1, "base_samples": 64, "evaluations": 256}
    df = _sobol_frame(d)
    assert df["first_exceeds_total"].tolist() == [False, True]
    assert len(df.attrs["notes"]) == 1 and df.attrs["notes"][0].startswith("b: first-order 0.05 above total 0.01")
    assert "Monte Carlo error" in df.attrs["notes"][0]


def test_breakeven_returns_a_typed_result(scenario):
    b = offroi.breakeven(scenario, "offshore_team.hourly_rate_usd", 30, 200, trials=2000, seed=3)
    assert isinstance(b, offroi.BreakevenResult)
    assert "BreakevenResult(input='offshore_team.hourly_rate_usd'" in repr(b) and "value=" in repr(b)
    assert "breaks even" in str(b)
    assert b.standard_error > 0 and b.interval()[0] < b.value < b.interval()[1]
    assert list(b.evaluations.columns) == ["x", "objective", "objective_se"] and len(b.evaluations) >= 3
    # The root: the median net benefit at the value is 0 to its SE (a rerun at that value).
    s = scenario.copy().set("offshore_team.hourly_rate_usd", b.value)
    med = offroi.simulate(s, trials=2000, seed=3).summary().loc["offshore_team", "p50"]
    assert abs(med) < 4 * b.objective_se_at_root
    with pytest.warns(DeprecationWarning, match="b.value"):
        assert b["value"] == b.value


# -- issue 14: Scenario conveniences ------------------------------------------------------------------

def test_offroi_sensitivity_is_an_importable_module():
    import importlib
    import inspect
    m = importlib.import_module("offroi.sensitivity")
    assert inspect.ismodule(m) and m is offroi.sensitivity
    assert callable(m.tornado) and callable(m.sobol) and callable(m.rank)
    from offroi.sensitivity import tornado  # noqa: F401


def test_from_presets_names_the_scenario_and_its_arrangements(scenario):
    s = offroi.Scenario.from_presets({"india": "offshore_team", "lisbon": "nearshore"}, baseline_name="local",
                                     name="Where to build")
    assert (s.name, s.baseline, s.alternatives) == ("Where to build", "local", ["india", "lisbon"])
    assert s.sourcing_model("lisbon") == "nearshore"
    assert offroi.Scenario.from_presets(["nearshore"]).name == "nearshore vs in_house"
    # As the compiled one, it does not validate yet: a fixed price under the capacity framing
    # is fixed with set_contract before simulate (which validates).
    cap = offroi.Scenario.from_presets(["outsourcing"], framing="capacity")
    assert cap.framing == "capacity" and cap.contract("outsourcing") == "fixed_price"
    with pytest.raises(offroi.InvalidScenario, match="fixed_price"):
        cap.validate()
    cap.set_contract("outsourcing", "time_and_materials")
    cap.validate()
    two = offroi.Scenario.from_presets([("vendor_a", "offshore_team"), ("vendor_b", "offshore_team")])
    assert two.alternatives == ["vendor_a", "vendor_b"]
    with pytest.raises(offroi.InvalidArgument, match="unique"):
        offroi.Scenario.from_presets(["offshore_team", "offshore_team"])
    with pytest.raises(offroi.InvalidArgument, match="no \".\""):
        offroi.Scenario.from_presets({"a.b": "nearshore"})
    # Built like the default scenario (the tier follows the rate, so no correlations): the
    # same names give the default's draws bit for bit.
    same = offroi.Scenario.from_presets({"offshore_team": "offshore_team"}, baseline_name="local_hiring")
    assert same.to_dict()["correlations"] == scenario.to_dict()["correlations"] == []
    a = offroi.simulate(same, trials=2000, seed=5).summary()
    b = offroi.simulate(scenario, trials=2000, seed=5).summary()
    assert a.loc["offshore_team", "mean"] == b.loc["offshore_team", "mean"]


def test_set_takes_plain_numbers_and_names_unknown_inputs(scenario):
    s = scenario.copy().set("offshore_team.headcount", 12).set("scope_growth", 0.1)
    assert s.get("offshore_team.headcount").describe() == offroi.constant(12).describe()
    assert s.get("scope_growth").mean() == pytest.approx(0.1)
    with pytest.raises(TypeError, match="Distribution or a number"):
        s.set("offshore_team.headcount", "12")
    with pytest.raises(offroi.InvalidArgument, match="did you mean [\"']offshore_team.headcount[\"']"):
        s.set("offshore_team.headcont", 12)
    with pytest.raises(offroi.InvalidArgument, match="did you mean [\"']offshore_team.hourly_rate_usd[\"']"):
        s.scale("offshore_team.hourly_rate_us", 1.1)


def test_scale_matches_the_sweep_in_scale_mode(scenario):
    s = scenario.copy().scale("offshore_team.hourly_rate_usd", 1.2)
    np.testing.assert_allclose(s.get("offshore_team.hourly_rate_usd").ppf(np.array([0.1, 0.5, 0.9])),
                               1.2 * scenario.get("offshore_team.hourly_rate_usd").ppf(np.array([0.1, 0.5, 0.9])),
                               rtol=1e-12)
    w = offroi.sweep(scenario, "offshore_team.hourly_rate_usd", [1.2], mode="scale", trials=3000, seed=4)
    r = offroi.simulate(s, trials=3000, seed=4).summary().loc["offshore_team"]
    # Same draws (u) through x * 1.2 either way: equal to rounding.
    assert r["mean"] == pytest.approx(w.loc[0, "mean"], rel=1e-9)
    assert r["p50"] == pytest.approx(w.loc[0, "p50"], rel=1e-9)


@pytest.mark.parametrize("d", [offroi.constant(3), offroi.uniform(1, 2), offroi.triangular(1, 2, 4),
                               offroi.pert(1, 2, 4), offroi.pert(1, 2, 4, lam=6), offroi.beta(2, 3, 1, 5),
                               offroi.normal(1, 2), offroi.truncated_normal(1, 2, 0, 5),
                               offroi.lognormal(p10=60e3, p90=250e3), offroi.gamma(2, 3), offroi.weibull(2, 3),
                               offroi.discrete([1, 2], [0.3, 0.7]), offroi.empirical([1, 2, 3, 7])])
def test_every_family_scales_by_its_quantiles(d):
    p = np.array([0.05, 0.1, 0.5, 0.9, 0.95])
    np.testing.assert_allclose(d.scaled(2.5).ppf(p), 2.5 * d.ppf(p), rtol=1e-12)
    assert d.scaled(2.5).family == d.family


def test_scaling_refuses_counts_and_bad_factors():
    with pytest.raises(offroi.InvalidArgument, match="cannot be scaled"):
        offroi.poisson(3).scaled(2)
    for f in (0, -1, float("nan"), float("inf")):
        with pytest.raises(offroi.InvalidArgument, match="factor"):
            offroi.normal(1, 2).scaled(f)


def test_validate_before_simulate_names_inputs_not_json_paths(scenario):
    s = scenario.copy().set("offshore_team.hourly_rate_usd", offroi.uniform(-5, 3))
    for call in (s.validate, lambda: offroi.simulate(s, trials=100)):
        with pytest.raises(offroi.InvalidScenario) as e:
            call()
        msg = str(e.value)
        assert "offshore_team.hourly_rate_usd" in msg and "alternatives[" not in msg and "must be" in msg
    s = scenario.copy().set("local_hiring.annual_attrition", 1.5)
    with pytest.raises(offroi.InvalidScenario, match=r"local_hiring\.annual_attrition"):
        s.validate()


def test_validate_run_is_what_offroi_validate_runs(scenario):
    # run=True: the structural checks, then 256 trials with every output checked and the
    # drivers ranked (offroi::preflight). A time to fill whose draws reach infinity (never
    # filled) passes both and simulates with drivers.
    s = scenario.copy().set("offshore_team.time_to_fill_months", offroi.lognormal(700, 5))
    s.validate(run=True)
    r = offroi.simulate(s, trials=2000, seed=3, driver_trials=1000)
    assert np.isfinite(r.summary()["mean"].to_numpy(dtype=float)).all()
    bad = scenario.copy().set("offshore_team.setup_cost_usd", offroi.lognormal(700, 5))
    for run in (False, True):
        with pytest.raises(offroi.InvalidScenario, match=r"offshore_team\.setup_cost_usd.*whose draws reach"):
            bad.validate(run=run)


def test_python_argument_names_in_errors(scenario):
    with pytest.raises(offroi.InvalidArgument, match=r"driver_trials = 200 must be <= trials = 100"):
        offroi.simulate(scenario, trials=100, driver_trials=200)
    with pytest.raises(offroi.InvalidArgument, match=r"trials = -5"):
        offroi.simulate(scenario, trials=-5)


def test_samples_without_kept_samples_say_what_to_do(scenario):
    r = offroi.simulate(scenario, trials=1000, seed=1, keep_samples=False)
    for call in (r.samples, lambda: r.months("breakeven_month")):
        with pytest.raises(offroi.InvalidArgument, match="keep_samples=True"):
            call()
    assert r.summary().loc["offshore_team", "mean"] == pytest.approx(
        offroi.simulate(scenario, trials=1000, seed=1).summary().loc["offshore_team", "mean"], rel=1e-12)


def _doc_body(obj) -> str:
    """A pybind11 docstring without its signature lines."""
    doc = (obj.__doc__ or "").strip()
    head, _, rest = doc.partition("\n")
    if "(" in head and head.split("(")[0].strip().isidentifier():  # pybind11's generated signature line
        doc = rest
    return doc.strip()


def test_compiled_functions_and_methods_have_real_docstrings():
    core = offroi._core
    missing = []
    functions = [n for n, o in vars(core).items() if callable(o) and not isinstance(o, type) and not n.startswith("_")]
    assert {"simulate", "sweep", "breakeven", "run_shard", "sample", "psis", "select_options"} <= set(functions)
    for name in functions:
        if not _doc_body(getattr(core, name)):
            missing.append(name)
    for cls in (core.Scenario, core.Run, core.Distribution):
        for name, obj in vars(cls).items():
            if name.startswith("_") or not (callable(obj) or isinstance(obj, property)):
                continue
            target = obj.fget if isinstance(obj, property) else obj
            if not (_doc_body(target) or (isinstance(obj, property) and obj.__doc__)):
                missing.append(f"{cls.__name__}.{name}")
    assert not missing, missing


# -- issue 14 item 11: save() keeps what the user wrote ------------------------------------------

def test_save_keeps_percentile_forms_and_notes(tmp_path):
    text = json.dumps({
        "format_version": 2, "name": "notes kept",
        "description": "Should the payments backlog go to Pune?",
        "assumptions": ["rates from the 2025 rate cards", "backlog from the Q3 plan"],
        "cost_of_delay_per_month_usd": {"lognormal": {"p10": 50000, "p90": 200000}},
        "backlog_engineer_months": {"pert": [100, 140, 200]},
        "baseline": {"preset": "in_house", "name": "local_hiring", "description": "hire in Berlin"},
        "alternatives": [{"preset": "offshore_team", "name": "pune", "assumptions": ["vendor A's offer"],
                          "time_to_fill_months": {"gamma": {"p10": 0.5, "p90": 3}},
                          "hourly_rate_usd": {"lognormal": {"p10": 30, "p90": 55}}}]})
    s = offroi.Scenario.from_json(text)
    p = tmp_path / "s.json"
    s.save(str(p))
    d = json.loads(p.read_text())
    assert d["cost_of_delay_per_month_usd"] == {"lognormal": {"p10": 50000, "p90": 200000}}
    assert d["description"] == "Should the payments backlog go to Pune?"
    assert d["assumptions"] == ["rates from the 2025 rate cards", "backlog from the Q3 plan"]
    assert d["baseline"]["description"] == "hire in Berlin"
    pune = d["alternatives"][0]
    assert pune["assumptions"] == ["vendor A's offer"]
    assert pune["time_to_fill_months"] == {"gamma": {"p10": 0.5, "p90": 3}}
    assert pune["hourly_rate_usd"] == {"lognormal": {"p10": 30, "p90": 55}}
    # Read back: the same distributions (bit for bit) and the same text again.
    s2 = offroi.Scenario.load(str(p))
    probe = np.array([0.01, 0.1, 0.5, 0.9, 0.99])
    for name in ("cost_of_delay_per_month_usd", "pune.hourly_rate_usd", "pune.time_to_fill_months"):
        np.testing.assert_array_equal(s2.get(name).ppf(probe), s.get(name).ppf(probe))
    p2 = tmp_path / "s2.json"
    s2.save(str(p2))
    assert p2.read_text() == p.read_text()
    # Copies and pickles keep them too; the complete style as well.
    import pickle
    for c in (s.copy(), pickle.loads(pickle.dumps(s))):
        assert c.to_dict()["cost_of_delay_per_month_usd"] == {"lognormal": {"p10": 50000, "p90": 200000}}
        assert c.to_dict()["description"] == d["description"]
    assert s.to_dict("complete")["alternatives"][0]["hourly_rate_usd"] == {"lognormal": {"p10": 30, "p90": 55}}


def test_a_replaced_input_is_saved_as_it_is_now(tmp_path):
    s = offroi.Scenario.default()
    assert s.to_dict()["cost_of_delay_per_month_usd"] == {"lognormal": {"p10": 60000.0, "p90": 250000.0}}
    s.set("cost_of_delay_per_month_usd", offroi.lognormal(p10=70e3, p50=120e3))  # stated in Python
    assert s.to_dict()["cost_of_delay_per_month_usd"] == {"lognormal": {"p10": 70000.0, "p50": 120000.0}}
    before = s.get("cost_of_delay_per_month_usd")
    s.scale("cost_of_delay_per_month_usd", 1.5)  # no longer what was stated: written as it is now
    d = s.to_dict()["cost_of_delay_per_month_usd"]
    assert d != {"lognormal": {"p10": 70000.0, "p50": 120000.0}}
    probe = np.array([0.1, 0.5, 0.9])
    np.testing.assert_allclose(offroi.Distribution.from_json(json.dumps(d)).ppf(probe), 1.5 * before.ppf(probe),
                               rtol=1e-12)
    s.set("cost_of_delay_per_month_usd", offroi.pert(1e4, 5e4, 9e4))
    assert s.to_dict()["cost_of_delay_per_month_usd"] == {"pert": [1e4, 5e4, 9e4]}
    p = tmp_path / "s.json"
    s.save(str(p))
    assert offroi.Scenario.load(str(p)).get("cost_of_delay_per_month_usd").describe() == "pert(10000, 50000, 90000)"


def test_summaries_long_form_keeps_never_apart_too(result):
    df = result.summaries().set_index(["arrangement", "field"])
    s = result.summary("delivery_month")
    for a in result.arrangements:
        assert df.loc[(a, "delivery_month"), "mean"] == s.loc[a, "mean"]
        assert df.loc[(a, "delivery_month"), "prob_within_horizon"] == s.loc[a, "prob_within_horizon"]
    assert df.loc[("offshore_team", "net_benefit"), "mean"] == result.summary().loc["offshore_team", "mean"]
    assert (df.loc[df.index.get_level_values(1).str.endswith("_month"), "p90"] <= result.horizon_months).all()
