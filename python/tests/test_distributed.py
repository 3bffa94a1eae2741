"""offroi.distributed on a LocalCluster of two worker processes equals the local run bit for bit.

Trial shards ship serialised streaming summaries (streaming_summary::to_bytes), merged on the
client; per-trial outputs travel only with keep_samples=True.
"""
import numpy as np
import pytest

import offroi
from offroi import _core

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


def _summary_bytes(result):
    return {n: _core.summary_bytes(result.run, n) for n in result.output_names}


def test_shard_ranges():
    assert od.shard_ranges(10, 3) == [(0, 4), (4, 3), (7, 3)]


@pytest.mark.parametrize("sampler", ["mc", "lhs"])
def test_simulate_summaries_equal_local(client, sampler):
    """Summary path: no samples travel, and the merged summaries equal the local run's state."""
    s = offroi.Scenario.default()
    local = offroi.simulate(s, trials=30_000, seed=5, sampler=sampler, keep_samples=False)
    remote = od.simulate(client, s, trials=30_000, seed=5, sampler=sampler, shards=3)
    assert remote.to_json() == local.to_json()
    assert remote.output_names == local.output_names
    # The merged C++ summaries serialise to the same bytes as the local run's.
    assert _summary_bytes(remote) == _summary_bytes(local)
    with pytest.raises(offroi.InvalidArgument):
        remote.samples(["offshore_team.net_benefit"])


def test_simulate_keep_samples_equals_local(client):
    """With keep_samples the shards also ship their columns: same summaries and samples."""
    s = offroi.Scenario.default()
    local = offroi.simulate(s, trials=30_000, seed=5, sampler="lhs")
    remote = od.simulate(client, s, trials=30_000, seed=5, sampler="lhs", shards=3, keep_samples=True)
    assert remote.to_json() == local.to_json()
    assert _summary_bytes(remote) == _summary_bytes(local)
    np.testing.assert_array_equal(remote.samples()["offshore_team.net_benefit"],
                                  local.samples()["offshore_team.net_benefit"])


def test_capacity_framing_and_contracts_travel_to_the_workers(client):
    """The workers rebuild the scenario from its JSON: framing and contracts must survive."""
    s = offroi.Scenario.from_presets(["staff_augmentation", "nearshore"], framing="capacity")
    s.set_contract("nearshore", "staff_augmentation")
    local = offroi.simulate(s, trials=8_000, seed=4, keep_samples=False)
    remote = od.simulate(client, s, trials=8_000, seed=4, shards=2)
    assert remote.framing == "capacity"
    assert remote.to_json() == local.to_json()
    assert _summary_bytes(remote) == _summary_bytes(local)
    project = s.copy()
    project.framing = "project"
    assert offroi.simulate(project, trials=8_000, seed=4, keep_samples=False).to_json() != local.to_json()


def test_all_outputs_equal_local(client):
    s = offroi.Scenario.default()
    local = offroi.simulate(s, trials=8_000, seed=9, keep_samples=False, all_outputs=True)
    remote = od.simulate(client, s, trials=8_000, seed=9, shards=2, all_outputs=True)
    assert remote.to_json() == local.to_json()
    assert _summary_bytes(remote) == _summary_bytes(local)


def test_shard_payload_does_not_grow_with_trials(client):
    """A shard of 10^6 trials returns summaries of about the same size as one of 10^4: < 1 MB."""
    text = offroi.Scenario.default().to_json("complete")
    small, big = client.gather([
        client.submit(od.run_shard_task, text, 0, 10_000, 1_000_000, 3, None, pure=False),
        client.submit(od.run_shard_task, text, 0, 1_000_000, 1_000_000, 3, None, pure=False),
    ])
    assert small["columns"] is None and big["columns"] is None
    n_small, n_big = od.shard_payload_bytes(small), od.shard_payload_bytes(big)
    print(f"payload: 1e4 trials {n_small} bytes, 1e6 trials {n_big} bytes, {len(big['names'])} outputs")
    assert n_big < 1_000_000
    # The old per-trial payload would be 8 x outputs x trials bytes.
    assert n_big * 100 < 8 * len(big["names"]) * 1_000_000
    # Bounded by the sketch's bucket span, not the count: at most a few times the 1e4 shard.
    assert n_big < 4 * n_small
    # And the 1e6-trial shard is the whole run: it equals the local streaming run.
    whole = od.Result(_core.merge_shards(offroi.Scenario.default(), [big]))
    local = offroi.simulate(offroi.Scenario.default(), trials=1_000_000, seed=3, keep_samples=False)
    assert _summary_bytes(whole) == _summary_bytes(local)


def test_merge_shards_rejects_bad_parts():
    s = offroi.Scenario.default()
    text = s.to_json("complete")
    a = od.run_shard_task(text, 0, 300, 600, 1, None)
    b = od.run_shard_task(text, 300, 300, 600, 1, None)
    assert _core.merge_shards(s, [a, b]).trials == 600
    with pytest.raises(offroi.InvalidArgument, match="expected 0"):
        _core.merge_shards(s, [b, a])
    with pytest.raises(offroi.InvalidArgument, match="cover trials"):
        _core.merge_shards(s, [a])
    bad = dict(b)
    bad["summaries"] = [b"ORSS\x07\x00" + x[6:] for x in b["summaries"]]
    with pytest.raises(offroi.InvalidArgument, match="unsupported version 7"):
        _core.merge_shards(s, [a, bad])
    bad["summaries"] = [x[:-3] for x in b["summaries"]]
    with pytest.raises(offroi.InvalidArgument, match="truncated"):
        _core.merge_shards(s, [a, bad])


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


def test_driver_trials_equal_local_drivers(client):
    """The shards holding the first driver_trials trials send their inputs and outputs back:
    the drivers equal the local run's, number for number."""
    s = offroi.Scenario.default()
    local = offroi.simulate(s, trials=20_000, seed=7, keep_samples=False, driver_trials=5000)
    remote = od.simulate(client, s, trials=20_000, seed=7, shards=4, driver_trials=5000)
    assert remote.to_json() == local.to_json()
    a, b = remote.drivers(), local.drivers()
    assert a.attrs["samples"] == 5000
    assert list(a.index) == list(b.index)
    np.testing.assert_array_equal(a[["spearman", "srrc", "prcc"]].to_numpy(), b[["spearman", "srrc", "prcc"]].to_numpy())
    # Shards past the driver trials ship no inputs.
    part = od.run_shard_task(s.to_json("complete"), 10_000, 10_000, 20_000, 7, None, driver_trials=5000)
    assert part["driver_inputs"] == [] and part["driver_outputs"] == []
    part = od.run_shard_task(s.to_json("complete"), 4000, 2000, 20_000, 7, None, driver_trials=5000)
    assert len(part["driver_inputs"][0]) == 1000  # trials 4000 .. 4999


def test_errors_use_python_names_and_hint_at_keep_samples(client):
    s = offroi.Scenario.default()
    with pytest.raises(offroi.InvalidArgument, match=r"distributed.simulate: driver_trials = 500 must be <= trials"):
        od.simulate(client, s, trials=100, driver_trials=500)
    with pytest.raises(offroi.InvalidArgument, match=r"shards = 0"):
        od.simulate(client, s, trials=100, shards=0)
    bad = s.copy().set("offshore_team.hourly_rate_usd", -3)
    with pytest.raises(offroi.InvalidScenario, match=r"offshore_team\.hourly_rate_usd") as e:
        od.simulate(client, bad, trials=100)
    assert "alternatives[" not in str(e.value) and "run_request" not in str(e.value)
    r = od.simulate(client, s, trials=2000, seed=1)
    with pytest.raises(offroi.InvalidArgument, match=r"keep_samples=True") as e:
        r.samples()
    assert "offroi.distributed.simulate(client, scenario, trials, keep_samples=True)" in str(e.value)
    import offroi.plot as oplot
    with pytest.raises(offroi.InvalidArgument, match=r"keep_samples=True"):
        oplot.histogram(r)
    with pytest.raises(offroi.InvalidArgument, match=r"driver_trials=N"):
        r.drivers()
    assert r.summary().loc["offshore_team", "mean"] == offroi.simulate(s, trials=2000, seed=1).summary().loc[
        "offshore_team", "mean"]
