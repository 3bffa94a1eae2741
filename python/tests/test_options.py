"""Choosing among options through Python (mirrors tests/decision/scenario_options_test.cpp)."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import offroi  # noqa: E402

KW = dict(budget=12 * 1024, initial_trials=512, increment=2048, frontier_trials=2048, seed=99)


@pytest.fixture(scope="module")
def choice():
    return offroi.select_options(offroi.Scenario.default(),
                                 vary={"offshore_team.hourly_rate_usd": [30, 40, 45, 48, 50, 52, 55, 60]}, **KW)


def test_best_and_frames(choice):
    # The rate buys capability up to the top of the offshore band: $50/h is best (the C++
    # test checks it against 40 000 brute-force trials per option on common random numbers).
    assert choice.best == "offshore_team[hourly_rate_usd=50]"
    assert choice.apcs > 0.99
    df = choice.options
    assert list(df.index[:2]) == ["local_hiring", "offshore_team"]
    assert len(df) == 10
    assert df["trials"].sum() == choice.raw["selection_trials"] == 12 * 1024
    assert (df["trials"] % 256 == 0).all()
    assert df.loc[choice.best, "best"] and df["best"].sum() == 1
    assert df.loc[choice.best, "difference"] == 0.0
    # The baseline's net benefit is 0 in every trial, and so are its mean and CV mean.
    assert df.loc["local_hiring", "mean"] == 0.0 and df.loc["local_hiring", "adjusted_mean"] == 0.0
    assert df.loc["offshore_team[hourly_rate_usd=48]", "set_hourly_rate_usd"] == 48
    rivals = df[~df["best"]]
    assert (rivals["difference"] < 0).all()
    # P(best beats it) is Phi(-difference / SE): the normal approximation, recomputed here.
    from math import erf, sqrt
    for name, row in rivals.iterrows():
        if row["difference_se"] > 0:
            z = -row["difference"] / row["difference_se"]
            assert row["pcs"] == pytest.approx(0.5 * (1 + erf(z / sqrt(2))), abs=1e-12)
    # OCBA spends most where the choice is closest in z: $48/h among the rivals.
    assert rivals["trials"].idxmax() == "offshore_team[hourly_rate_usd=48]"


def test_frontier(choice):
    fr = choice.frontier
    assert list(fr.columns) == ["mean", "mean_se", "p10", "p10_low", "p10_high", "cvar", "cvar_se", "prob_loss",
                                "prob_loss_se", "efficient_p10", "efficient_cvar"]
    # The frontier is the non-dominated set of the reported points, by mean descending.
    m, p = fr["mean"].values, fr["p10"].values
    for i, name in enumerate(fr.index):
        dominated = any(m[j] >= m[i] and p[j] >= p[i] and (m[j] > m[i] or p[j] > p[i]) for j in range(len(m)))
        assert fr.loc[name, "efficient_p10"] == (not dominated)
    assert choice.p10_frontier == list(fr[fr["efficient_p10"]].sort_values("mean", ascending=False).index)
    assert (fr["p10_low"] <= fr["p10"]).all() and (fr["p10"] <= fr["p10_high"]).all()
    assert (fr["cvar"] <= fr["p10"] + 1e-9).all()  # the mean of the worst 10% lies below P10
    assert fr.loc["local_hiring", "prob_loss"] == 0.0


def test_same_bits_whatever_the_threads(choice):
    one = offroi.select_options(offroi.Scenario.default(),
                                vary={"offshore_team.hourly_rate_usd": [30, 40, 45, 48, 50, 52, 55, 60]},
                                threads=1, **KW)
    assert np.array_equal(one.options["adjusted_mean"].values, choice.options["adjusted_mean"].values)
    assert np.array_equal(one.frontier["cvar"].values, choice.frontier["cvar"].values)


def test_plot(choice):
    ax = choice.plot()
    assert "frontier" in ax.get_title()
    ax2 = offroi.plot_frontier(choice, risk="cvar")
    assert "CVaR" in ax2.get_xlabel()
    with pytest.raises(offroi.InvalidArgument, match="risk"):
        offroi.plot_frontier(choice, risk="variance")


def test_grid_and_list_form():
    r = offroi.select_options(offroi.Scenario.default(),
                              vary=[("offshore_team.overlap_hours", [2, 6]), ("offshore_team.headcount", [10, 14])],
                              include_baseline=False, include_alternatives=False, budget=4096, initial_trials=512,
                              increment=1024, frontier_trials=512, seed=3, target_pcs=0.99)
    assert list(r.options.index) == ["offshore_team[overlap_hours=2,headcount=10]",
                                     "offshore_team[overlap_hours=2,headcount=14]",
                                     "offshore_team[overlap_hours=6,headcount=10]",
                                     "offshore_team[overlap_hours=6,headcount=14]"]
    assert r.best == "offshore_team[overlap_hours=6,headcount=14]"
    assert r.raw["reached_target"] and r.apcs >= 0.99


def test_bad_input_names_the_field():
    s = offroi.Scenario.default()
    with pytest.raises(offroi.InvalidArgument, match=r"overlap_hours value = 9 is invalid; must be in \[0, 8\]"):
        offroi.select_options(s, vary={"offshore_team.overlap_hours": [4, 9]})
    with pytest.raises(offroi.InvalidArgument, match="local_hiring is the baseline"):
        offroi.select_options(s, vary={"local_hiring.headcount": [8]})
    with pytest.raises(offroi.InvalidArgument, match="initial_trials = 100 is invalid"):
        offroi.select_options(s, initial_trials=100)
    with pytest.raises(offroi.InvalidArgument, match="rule"):
        offroi.select_options(s, rule="greedy")
    with pytest.raises(offroi.InvalidArgument, match="vary item"):
        offroi.select_options(s, vary=[("offshore_team.headcount",)])
