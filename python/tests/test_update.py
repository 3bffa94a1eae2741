"""Learning from data from Python: PSIS on numpy, weighted summaries, offroi.update frames."""
import json

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import offroi  # noqa: E402


def test_psis_uniform_weights_give_ess_s_exactly():
    r = offroi.psis(np.zeros(1000))
    assert r.ess == 1000.0
    assert r.k_hat == -np.inf and r.tail == "constant" and r.reliable
    assert np.allclose(r.weights, 1e-3, rtol=1e-15, atol=0)


def test_psis_recovers_a_known_gpd_tail():
    # S = 1e6 GPD(k, 1) weights: k-hat from M = 3000 tail draws, SE about (1 + k)/sqrt(3000);
    # tolerance 3 SE.
    rng = np.random.default_rng(7)
    u = rng.random(1_000_000)
    for k in (0.3, 0.9):
        w = np.expm1(-k * np.log1p(-u)) / k
        r = offroi.psis(np.log(w))
        assert abs(r.k_hat - k) < 3 * (1 + k) / np.sqrt(3000)
        assert r.reliable == (k < 0.7)
        assert r.weights.sum() == pytest.approx(1.0, rel=1e-12)


def test_conjugate_normal_update_on_numpy():
    # Prior N(35, 5^2), y = 41 +- 3: posterior mean 39.41, sd 2.57; within 3 SE (SE = sd/sqrt(ESS)).
    rng = np.random.default_rng(3)
    theta = rng.normal(35.0, 5.0, 200_000)
    r = offroi.psis(-0.5 * ((41.0 - theta) / 3.0) ** 2)
    prec = 1 / 25 + 1 / 9
    mean, sd = (35 / 25 + 41 / 9) / prec, np.sqrt(1 / prec)
    s = offroi.weighted_summary(theta, r.weights)
    assert abs(s["mean"] - mean) < 3 * sd / np.sqrt(r.ess)
    assert s["mean_se"] == pytest.approx(sd / np.sqrt(r.ess), rel=0.05)
    assert abs(offroi.weighted_quantile(theta, r.weights, 0.5) - mean) < 3 * 1.2533 * sd / np.sqrt(r.ess)


def test_weighted_statistics_reduce_to_unweighted_and_repeated_samples():
    rng = np.random.default_rng(11)
    x = rng.normal(size=501)
    p = np.array([0.0, 0.1, 0.37, 0.5, 0.9, 1.0])
    # Equal weights: numpy's default (type 7) quantiles, to the last bit.
    assert np.array_equal(offroi.weighted_quantile(x, np.full(501, 0.3), p), np.quantile(x, p))
    # Integer frequency weights: the repeated sample's quantiles, to the last bit.
    w = rng.integers(0, 4, size=501).astype(float)
    w[0] = 1.0
    rep = np.repeat(x, w.astype(int))
    assert np.array_equal(offroi.weighted_quantile(x, w, p, kind="frequency"), np.quantile(rep, p))
    s = offroi.weighted_summary(x, np.ones(501))
    assert s["prob_loss"] == np.mean(x < 0)
    assert offroi.weighted_probability(x, np.ones(501))[0] == np.mean(x < 0)
    # Lowest 5% of 501: 25 whole values and 0.05 of the 26th, over 25.05.
    xs = np.sort(x)
    assert offroi.weighted_expected_shortfall(x, np.ones(501), 0.05) == pytest.approx(
        (xs[:25].sum() + 0.05 * xs[25]) / 25.05, rel=1e-13)


def test_weighted_rank_sensitivity_matches_rank_sensitivity_with_equal_weights():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(3000, 3))
    y = 2 * X[:, 0] + X[:, 1] + 0.5 * rng.normal(size=3000)
    ref = offroi.rank_sensitivity(X, y, ["a", "b", "c"])
    d = offroi.weighted_rank_sensitivity(X, y, np.full(3000, 2.0), ["a", "b", "c"])
    assert list(d.index[:2]) == ["a", "b"]
    for i, n in enumerate(["a", "b", "c"]):
        assert d.loc[n, "srrc"] == pytest.approx(ref["srrc"][i], abs=1e-12)
        assert d.loc[n, "prcc"] == pytest.approx(ref["prcc"][i], abs=1e-12)


def test_bad_input_raises_invalid_argument_naming_the_field():
    with pytest.raises(offroi.InvalidArgument, match=r"log_weights\[2\] = nan"):
        offroi.psis([0.0, -1.0, np.nan])
    with pytest.raises(offroi.InvalidArgument, match=r"w\[1\] = -1"):
        offroi.weighted_summary([1.0, 2.0], [1.0, -1.0])
    s = offroi.Scenario.default()
    with pytest.raises(offroi.InvalidArgument, match='did you mean "offshore_team.annual_attrition"'):
        offroi.update(s, observe={"offshore_team.annual_atrition": (0.2, 0.01)}, trials=500)
    with pytest.raises(offroi.InvalidArgument, match=r"observations.inputs\[0\].sd = 0 is invalid"):
        offroi.update(s, observe={"offshore_team.annual_attrition": (0.2, 0.0)}, trials=500)
    with pytest.raises(offroi.InvalidArgument, match=r"leavers = 13 is invalid; must be <= engineers \(12\)"):
        offroi.update(s, {"attrition": [{"leavers": 13, "engineers": 12, "months": 6}]}, trials=500)


def test_update_frames_and_methods(tmp_path):
    s = offroi.Scenario.default()
    u = offroi.update(s, observe={"offshore_team.hourly_rate_usd": (42.0, 2.0),
                                  "offshore_team.rework_share": (0.31, 0.02)},
                      trials=20000, threads=2)
    assert u.method == "reweighting" and u.reliable
    assert isinstance(u.summary, pd.DataFrame)
    assert ("offshore_team", "updated") in u.summary.index
    assert list(u.observed.index) == ["offshore_team.hourly_rate_usd", "offshore_team.rework_share"]
    assert u.observed.loc["offshore_team.rework_share", "kind"] == "output"
    q = u.observed.loc["offshore_team.hourly_rate_usd"]
    assert abs(q["updated_mean"] - 42.0) < abs(q["prior_mean"] - 42.0)
    assert u.weights.shape == (20000,) and u.weights.sum() == pytest.approx(1.0)
    assert u.inputs.shape[0] == 20000 and "offshore_team.net_benefit" in u.outputs
    # The frames' updated numbers are the weighted statistics of the returned trials.
    nb = u.outputs["offshore_team.net_benefit"].to_numpy()
    assert u.summary.loc[("offshore_team", "updated"), "p50"] == offroi.weighted_quantile(nb, u.weights, 0.5)
    assert u.drivers.loc["offshore_team"].shape[0] == u.inputs.shape[1]
    # An exact value: the fallback.
    f = tmp_path / "obs.json"
    f.write_text(json.dumps({"inputs": [{"input": "offshore_team.annual_attrition", "value": 0.25, "sd": 1e-9}],
                             "attrition": [{"arrangement": "offshore_team", "leavers": 2, "engineers": 10,
                                            "months": 6}]}))
    x = offroi.update(s, f, trials=5000)
    assert x.method == "refit_resimulation" and x.refitted_inputs == ["offshore_team.annual_attrition"]
    assert x.observed.loc["offshore_team.annual_attrition", "updated_mean"] == pytest.approx(0.25, abs=1e-6)
    assert "refit" in repr(x)
    ax = offroi.plot_update(u)
    assert ax.get_title().startswith("reweighting")


def test_update_is_reproducible_across_thread_counts():
    s = offroi.Scenario.default()
    a = offroi.update(s, observe={"offshore_team.rework_share": (0.3, 0.02)}, trials=3000, threads=1)
    b = offroi.update(s, observe={"offshore_team.rework_share": (0.3, 0.02)}, trials=3000, threads=2)
    assert np.array_equal(a.weights, b.weights)
    pd.testing.assert_frame_equal(a.summary, b.summary)
