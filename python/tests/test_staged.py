"""The staged decision of a pilot through Python (mirrors tests/decision/staged_decision_test.cpp)."""
import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

import offroi  # noqa: E402


@pytest.fixture(scope="module")
def result():
    return offroi.staged_decision(offroi.Scenario.default(), pilot_headcount=3, decision_month=6,
                                  training_trials=3000, evaluation_trials=3000, seed=5)


def test_strategies_and_bounds(result):
    df = result.strategies
    assert list(df.columns) == ["mean", "standard_error", "p10", "p50", "p90", "prob_loss", "recommended"]
    assert df.loc["never start", "mean"] == 0.0
    perfect = df.loc["perfect information at the decision month", "mean"]
    # Perfect information at the decision month is the per-draw maximum: an exact bound.
    for name in ["pilot, then scale", "pilot, then stay", "pilot, then exit", result.recommended]:
        assert df.loc[name, "mean"] <= perfect
    best_static = max(df.loc["commit now", "mean"], 0.0)
    assert result.option_value == pytest.approx(df.loc[result.recommended, "mean"] - best_static, rel=1e-9)
    assert sum(result.action_shares.values()) == pytest.approx(1.0)
    assert result.rule.startswith("After 6 months of a 3-engineer pilot of offshore_team")
    assert result.evsi <= result.evpi_now + 4 * (result.evsi_se + result.evpi_now_se)
    assert "observed rework share" in result.signals


def test_same_bits_whatever_the_threads(result):
    r1 = offroi.staged_decision(offroi.Scenario.default(), training_trials=3000, evaluation_trials=3000, seed=5,
                                threads=1)
    assert (r1.strategies["mean"].values == result.strategies["mean"].values).all()
    assert r1.rule == result.rule


def test_plot(result):
    ax = offroi.plot_staged_decision(result)
    assert "option value" in ax.get_title()


def test_bad_input_names_the_field():
    with pytest.raises(offroi.InvalidArgument, match="pilot_headcount"):
        offroi.staged_decision(offroi.Scenario.default(), pilot_headcount=0, training_trials=1000,
                               evaluation_trials=1000)
    with pytest.raises(offroi.InvalidArgument, match="decision_month"):
        offroi.staged_decision(offroi.Scenario.default(), decision_month=99)
