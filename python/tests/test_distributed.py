"""offroi.distributed on a LocalCluster of two worker processes equals the local run bit for bit."""
import numpy as np
import pytest

import offroi

distributed = pytest.importorskip("dask.distributed")
import offroi.distributed as od  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=40)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_shard_ranges():
    assert od.shard_ranges(10, 3) == [(0, 4), (4, 3), (7, 3)]


@pytest.mark.parametrize("sampler", ["mc", "lhs"])
def test_simulate_equals_local(client, sampler):
    s = offroi.Scenario.default()
    local = offroi.simulate(s, trials=30_000, seed=5, sampler=sampler)
    remote = od.simulate(client, s, trials=30_000, seed=5, sampler=sampler, shards=3)
    assert remote.to_json() == local.to_json()
    np.testing.assert_array_equal(remote.samples()["offshore_team.net_benefit"],
                                  local.samples()["offshore_team.net_benefit"])


def test_sweep_equals_local(client):
    s = offroi.Scenario.default()
    args = ("offshore_team.hourly_rate_usd", [0.9, 1.0, 1.1])
    local = offroi.sweep(s, *args, mode="scale", trials=4000, seed=1)
    remote = od.sweep(client, s, *args, mode="scale", trials=4000, seed=1)
    assert remote.equals(local)


def _ishigami(X):
    return np.sin(X[:, 0]) + 7 * np.sin(X[:, 1]) ** 2 + 0.1 * X[:, 2] ** 4 * np.sin(X[:, 0])


def test_sobol_design_equals_local(client):
    u = offroi.uniform(-np.pi, np.pi)
    local = offroi.sobol_indices(_ishigami, [u] * 3, 1024, bootstrap=20)
    remote = od.sobol_indices(client, _ishigami, [u] * 3, 1024, bootstrap=20)
    assert remote.equals(local)
