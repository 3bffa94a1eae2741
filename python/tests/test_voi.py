"""Value of information through Python (mirrors tests/decision/value_of_information_test.cpp,
decision_curves_test.cpp and scenario_voi_test.cpp). Known answers within 3 reported SEs."""
import math

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import offroi  # noqa: E402


def _phi(z):
    return math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)


def _Phi(z):
    return 0.5 * math.erfc(-z / math.sqrt(2))


def test_evpi_of_a_normal_linear_decision():
    # INB ~ N(mu, s^2): EVPI = s phi(mu/s) - |mu| Phi(-|mu|/s).
    rng = np.random.default_rng(3)
    n, mu, s = 200_000, 0.4, 1.3
    nb = np.column_stack([np.zeros(n), rng.normal(mu, s, n)])
    value, se = offroi.evpi(nb)
    exact = s * _phi(mu / s) - abs(mu) * _Phi(-abs(mu) / s)
    assert abs(value - exact) <= 3 * se
    assert 0 < se < 0.01
    e = offroi.evpi(nb)
    assert (e.value, e.se) == (value, se)


def test_evppi_of_a_sum_of_normals_for_shapes_n_and_n_g():
    # INB = X1 + X2 + X3, mean 0: EVPPI(G) = sqrt(sum_G s_j^2) / sqrt(2 pi).
    rng = np.random.default_rng(4)
    n = 60_000
    s = np.array([1.0, 0.7, 0.5])
    x = rng.normal(size=(n, 3)) * s
    nb = np.column_stack([np.zeros(n), x.sum(axis=1)])
    one = offroi.evppi(nb, x[:, 0])
    value, se = one
    assert one.method == "P-spline (GCV)"
    assert abs(value - s[0] / math.sqrt(2 * math.pi)) <= 3 * se
    # (n,) and (n, 1) are the same input: the same bits.
    assert offroi.evppi(nb, x[:, :1]).value == value
    two = offroi.evppi(nb, x[:, :2])
    assert two.method == "tensor P-spline (GCV)"
    assert abs(two.value - math.hypot(s[0], s[1]) / math.sqrt(2 * math.pi)) <= 3 * two.se
    three = offroi.evppi(nb, x, threads=1)
    assert three.method == "boosted trees (cross-fitted)"
    assert abs(three.value - math.sqrt((s ** 2).sum()) / math.sqrt(2 * math.pi)) <= 3 * three.se
    assert offroi.evppi(nb, x, threads=2).value == three.value
    assert three.r_squared[0] > 0.99


def test_decision_summary_and_curves():
    rng = np.random.default_rng(5)
    n = 20_000
    a = np.column_stack([np.zeros(n), rng.normal(-3, 2, n)])
    b = np.column_stack([np.zeros(n), rng.normal(1, 0.5, n)])
    df = offroi.decision_summary(a, options=["keep", "switch"])
    assert list(df.index) == ["keep", "switch"]
    assert df["p_best"].sum() == pytest.approx(1.0)
    assert df.attrs["evpi"] == df.loc[df["best"], "expected_loss"].iloc[0]
    curve = offroi.decision_curves(a, b, np.linspace(0, 6, 7), options=["keep", "switch"])
    # EVPI(lambda) = min over options of the expected loss, exactly.
    losses = curve[["expected_loss.keep", "expected_loss.switch"]].min(axis=1)
    assert (curve["evpi"] == losses).all()
    assert curve["optimal"].iloc[0] == "keep" and curve["optimal"].iloc[-1] == "switch"
    # P(switch best) = Phi((l - 3) / sqrt(4 + l^2 / 4)).
    for lam, row in curve.iterrows():
        p = _Phi((lam - 3) / math.sqrt(4 + lam * lam / 4))
        assert abs(row["p_best.switch"] - p) <= 3 * row["p_best_se.switch"] + 1e-9


def test_bad_input():
    nb = np.zeros((100, 2))
    with pytest.raises(ValueError, match="must be 2-D"):
        offroi.evpi(np.zeros(100))
    with pytest.raises(offroi.InvalidArgument, match=r"inputs\[0\] length = 99 is invalid"):
        offroi.evppi(nb, np.zeros(99))
    bad = nb.copy()
    bad[7, 1] = np.nan
    with pytest.raises(offroi.InvalidArgument, match=r"nb\[1\]\[7\] = nan is invalid; must be finite"):
        offroi.evpi(bad)
    with pytest.raises(offroi.InvalidArgument, match=r"trials \(length of nb\[0\]\) = 1 is invalid"):
        offroi.evpi(np.zeros((1, 2)))
    with pytest.raises(offroi.InvalidArgument, match="method"):
        offroi.evppi(nb, np.zeros(100), method="gp")


@pytest.fixture(scope="module")
def result():
    return offroi.voi(offroi.Scenario.default(), trials=4000, threads=1, groups={"vendor": ["offshore_team.*"]})


def test_scenario_voi_frames(result):
    assert list(result.decision.index) == ["local_hiring", "offshore_team"]
    assert result.best == "offshore_team"
    assert result.evpi == result.decision.loc["offshore_team", "expected_loss"]
    assert len(result.inputs) == 52
    assert (np.diff(result.inputs["evppi"].to_numpy()) <= 0).all()
    assert list(result.groups.index) == ["vendor", "shared (scenario-level) inputs", "local_hiring.*", "offshore_team.*"]
    assert result.groups.loc["vendor", "n_inputs"] == 26
    assert result.groups.loc["vendor", "evppi"] == result.groups.loc["offshore_team.*", "evppi"]
    again = offroi.voi(offroi.Scenario.default(), trials=4000, threads=2, groups={"vendor": ["offshore_team.*"]})
    assert (again.inputs["evppi"] == result.inputs["evppi"]).all()
    assert (again.groups["evppi"] == result.groups["evppi"]).all()
    with pytest.raises(offroi.InvalidArgument, match="must be a sampled input"):
        offroi.voi(offroi.Scenario.default(), trials=1000, groups={"g": ["no_such_input"]})


def test_required_saving_makes_a_close_call(result):
    close = offroi.voi(offroi.Scenario.default(), trials=4000, threads=1, arrangement_groups=False,
                       required_saving=float(result.decision.loc["offshore_team", "expected_net_benefit"]))
    assert close.raw["required_saving"] > 1e6
    assert close.evpi > 3 * result.evpi
    assert close.inputs.index[0] == "offshore_team.hourly_rate_usd"
    assert close.inputs["evppi"].iloc[0] > 5 * close.inputs["evppi_se"].iloc[0]


def test_scenario_curves():
    s = offroi.Scenario.default()
    c = offroi.decision_curve(s, "cost-of-delay", values=[0, 1e5, 3e5], trials=3000)
    assert list(c.index) == [0, 1e5, 3e5]
    assert c.attrs["threshold"] == "cost-of-delay"
    r = offroi.decision_curve(s, "required-saving", start=0, stop=4e6, steps=5, trials=3000)
    p = r["p_best.offshore_team"].to_numpy()
    assert (np.diff(p) <= 0).all()
    assert r["optimal"].iloc[-1] == "local_hiring"
    cap = offroi.Scenario.default()
    cap.framing = "capacity"
    with pytest.raises(offroi.InvalidArgument, match="capacity framing"):
        offroi.decision_curve(cap, "cost-of-delay", values=[1e5], trials=1000)
    with pytest.raises(offroi.InvalidArgument, match="threshold"):
        offroi.decision_curve(s, "delay", values=[1e5], trials=1000)


def test_plots(result):
    c = offroi.decision_curve(offroi.Scenario.default(), "required-saving", start=0, stop=3e6, steps=4, trials=2000)
    assert offroi.plot_acceptability(c).get_ylabel() == "P(option is best)"
    assert offroi.plot_evpi_curve(c).get_ylabel() == "EVPI (USD)"
    ax = offroi.plot_evppi(result, top=5)
    assert len(ax.patches) == 5 + len(result.groups)
