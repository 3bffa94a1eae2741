"""Distributions and the generic engine (mirrors tests/distributions, tests/sampling, tests/sensitivity)."""
import numpy as np
import pytest
from scipy import stats

import offroi


def test_pert_mean_matches_the_formula():
    # VALIDATION.md: PERT mean = (a + 4m + b) / 6.
    d = offroi.pert(10, 20, 60)
    assert d.mean() == pytest.approx((10 + 4 * 20 + 60) / 6, rel=1e-12)
    x = offroi.sample([d], 200_000, seed=3)[:, 0]
    se = np.sqrt(d.var() / x.size)
    assert abs(x.mean() - d.mean()) < 5 * se


def test_lognormal_from_p10_p90_hits_the_percentiles():
    d = offroi.lognormal(p10=60e3, p90=250e3)
    np.testing.assert_allclose(d.ppf(np.array([0.1, 0.9])), [60e3, 250e3], rtol=1e-9)
    np.testing.assert_allclose(d.cdf(np.array([60e3, 250e3])), [0.1, 0.9], rtol=1e-9)
    # mu = (ln 60e3 + ln 250e3) / 2
    mu = (np.log(60e3) + np.log(250e3)) / 2
    assert d.ppf(0.5) == pytest.approx(np.exp(mu), rel=1e-9)


@pytest.mark.parametrize("make, ref", [
    (lambda: offroi.normal(3, 2), stats.norm(3, 2)),
    (lambda: offroi.uniform(-1, 4), stats.uniform(-1, 5)),
    (lambda: offroi.triangular(0, 1, 4), stats.triang(0.25, loc=0, scale=4)),
    (lambda: offroi.beta(2, 5, 1, 3), stats.beta(2, 5, loc=1, scale=2)),
    (lambda: offroi.gamma(2.5, 3), stats.gamma(2.5, scale=3)),
    (lambda: offroi.weibull(1.7, 2), stats.weibull_min(1.7, scale=2)),
])
def test_families_agree_with_scipy(make, ref):
    d = make()
    p = np.linspace(0.01, 0.99, 41)
    np.testing.assert_allclose(d.ppf(p), ref.ppf(p), rtol=1e-7, atol=1e-9)
    x = ref.ppf(p)
    np.testing.assert_allclose(d.cdf(x), p, rtol=1e-7)
    assert d.mean() == pytest.approx(ref.mean(), rel=1e-10)
    assert d.var() == pytest.approx(ref.var(), rel=1e-10)


def test_vectorised_shapes_and_dtypes():
    d = offroi.pert(1, 2, 4)
    p = np.full((3, 4), 0.5)
    assert d.ppf(p).shape == (3, 4) and d.ppf(p).dtype == np.float64
    assert np.ndim(d.cdf(2.0)) == 0 or d.cdf(2.0).shape == ()


def test_json_round_trip():
    d = offroi.pert(1, 2, 4)
    e = offroi.Distribution.from_json(d.to_json())
    np.testing.assert_array_equal(d.ppf(np.linspace(0, 1, 11)), e.ppf(np.linspace(0, 1, 11)))


def test_bad_parameters_raise_invalid_argument_with_the_cpp_message():
    with pytest.raises(offroi.InvalidArgument) as e:
        offroi.pert(5, 2, 4)
    assert "pert" in str(e.value)
    assert isinstance(e.value, ValueError)
    with pytest.raises(offroi.InvalidArgument, match="p"):
        offroi.normal(0, 1).ppf(np.array([1.5]))
    with pytest.raises(offroi.InvalidArgument, match="lognormal"):
        offroi.lognormal(p10=1.0)


def test_sample_correlated_lhs():
    dists = [offroi.pert(0, 1, 3)] * 3
    c = np.array([[1, 0.6, 0], [0.6, 1, -0.4], [0, -0.4, 1]])
    n = 50_000
    X = offroi.sample(dists, n, correlation=c, sampler="lhs", seed=7)
    assert X.shape == (n, 3) and X.dtype == np.float64
    rho = stats.spearmanr(X).statistic
    # SE of a Spearman estimate ~ (1 - rho^2) / sqrt(n)
    for i, j in [(0, 1), (1, 2), (0, 2)]:
        assert abs(rho[i, j] - c[i, j]) < 5 * (1 - c[i, j] ** 2) / np.sqrt(n) + 0.01
    # LHS: exactly one point per stratum of every margin.
    u = dists[0].cdf(X[:, 0])
    np.testing.assert_array_equal(np.sort(np.floor(u * n)), np.arange(n))
    # Reproducible bit for bit, whatever the thread count.
    np.testing.assert_array_equal(X, offroi.sample(dists, n, correlation=c, sampler="lhs", seed=7))
    for t in (1, 3):
        np.testing.assert_array_equal(X, offroi.sample(dists, n, correlation=c, sampler="lhs", seed=7, threads=t))
    # Iman-Conover reorders aligned blocks: still the same bits for any split.
    Y = offroi.sample(dists, n, correlation=c, seed=3, dependence="iman_conover", threads=1)
    np.testing.assert_array_equal(Y, offroi.sample(dists, n, correlation=c, seed=3, dependence="iman_conover",
                                                   threads=3))


def test_sample_rejects_a_bad_matrix():
    with pytest.raises(offroi.InvalidArgument):
        offroi.sample([offroi.normal(0, 1)] * 2, 10, correlation=np.array([[1, 2], [2, 1]]))
    with pytest.raises(offroi.InvalidArgument, match="sampler"):
        offroi.sample([offroi.normal(0, 1)], 10, sampler="quasi")


def ishigami(X, a=7.0, b=0.1):
    return np.sin(X[:, 0]) + a * np.sin(X[:, 1]) ** 2 + b * X[:, 2] ** 4 * np.sin(X[:, 0])


def test_ishigami_sobol_indices():
    # VALIDATION.md: Ishigami a=7, b=0.1 closed form.
    a, b = 7.0, 0.1
    v1 = 0.5 * (1 + b * np.pi ** 4 / 5) ** 2
    v2 = a ** 2 / 8
    v13 = b ** 2 * np.pi ** 8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    s = np.array([v1 / v, v2 / v, 0.0])
    st = np.array([(v1 + v13) / v, v2 / v, v13 / v])
    u = offroi.uniform(-np.pi, np.pi)
    df = offroi.sobol_indices(ishigami, [u, u, u], 8192, bootstrap=100, seed=1)
    assert list(df.index) == ["x1", "x2", "x3"]
    for k in range(3):
        assert abs(df["first_order"].iloc[k] - s[k]) < 5 * df["first_order_se"].iloc[k] + 1e-3
        assert abs(df["total_order"].iloc[k] - st[k]) < 5 * df["total_order_se"].iloc[k] + 1e-3
    assert df.attrs["evaluations"] == 8192 * 5


def test_sobol_callable_errors_surface():
    u = offroi.uniform(0, 1)
    with pytest.raises(offroi.InvalidArgument, match="shape"):
        offroi.sobol_indices(lambda X: X[:5, 0], [u, u], 64, bootstrap=0)
    with pytest.raises(ZeroDivisionError):
        offroi.sobol_indices(lambda X: 1 / 0, [u, u], 64, bootstrap=0)


def test_tornado_and_rank_on_a_linear_model():
    dists = [offroi.normal(0, 1), offroi.normal(0, 3)]
    t = offroi.tornado(lambda X: X[:, 0] + 2 * X[:, 1], dists, names=["a", "b"])
    assert list(t.index) == ["b", "a"]  # widest first
    z = 1.2815515655446004  # P90 of N(0, 1)
    assert t.loc["b", "swing"] == pytest.approx(2 * 3 * 2 * z, rel=1e-9)
    X = offroi.sample(dists, 20_000, seed=2)
    r = offroi.rank_sensitivity(X, X[:, 0] + 2 * X[:, 1], names=["a", "b"])
    assert r.loc["b", "spearman"] > r.loc["a", "spearman"] > 0
    # Partial rank correlations: both inputs act, b more; each close to 1 once the other is held.
    assert r.loc["b", "prcc"] > r.loc["a", "prcc"] > 0.5
