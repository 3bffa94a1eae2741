#!/usr/bin/python3
"""OpenTURNS peers of offroi (python3-openturns, Debian; bench/run pairs them with
bench/peers/offroi_tasks.cpp).

    openturns_peers.py pert --trials N [--seed S]
        ComposedDistribution of the 10 PERT marginals (ot.Beta(alpha, beta, a, b), lambda 4) with
        a NormalCopula at Pearson 2 sin(pi 0.3 / 6) for every pair (the Spearman 0.3 of offroi's
        task, via NormalCopula.GetCorrelationFromSpearmanCorrelation); times getSample(N).
    openturns_peers.py sobol --n N [--seed S]
        SaltelliSensitivityAlgorithm(distribution, N, model, False) on Ishigami (a = 7, b = 0.1;
        the SymbolicFunction of bench/sensitivity/openturns_ishigami.py) plus its first and total
        indices; error: largest |index - exact| of the six.

--threads T sets OpenTURNS' TBB thread count (default 1, as offroi's task). Prints one JSON line
with the fields of offroi_tasks (wall and process CPU seconds of the timed region).
"""
import argparse
import json
import math
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import openturns as ot  # noqa: E402

INPUTS = 10


def task_pert(a):
    ot.RandomGenerator.SetSeed(a.seed)
    t0 = time.perf_counter()
    marginals = []
    for i in range(INPUTS):
        lo, mode, hi = 10.0 + i, 20.0 + 2.0 * i, 45.0 + 5.0 * i
        marginals.append(ot.Beta(1.0 + 4.0 * (mode - lo) / (hi - lo), 1.0 + 4.0 * (hi - mode) / (hi - lo), lo, hi))
    spearman = ot.CorrelationMatrix(INPUTS)
    for i in range(INPUTS):
        for j in range(i + 1, INPUTS):
            spearman[i, j] = 0.3
    copula = ot.NormalCopula(ot.NormalCopula.GetCorrelationFromSpearmanCorrelation(spearman))
    dist = ot.ComposedDistribution(marginals, copula)
    setup = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    sample = dist.getSample(a.trials)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    x = np.asarray(sample)
    # accuracy, as offroi's task
    r = np.argsort(np.argsort(x, axis=0), axis=0).astype(float)
    c = np.corrcoef(r, rowvar=False)
    corr_err = float(np.max(np.abs(c[np.triu_indices(INPUTS, 1)] - 0.3)))
    ks = 0.0
    n = a.trials
    for i in range(INPUTS):
        xs = np.sort(x[:, i])
        f = np.asarray(marginals[i].computeCDF(ot.Sample(xs[:, None]))).ravel()
        k = np.arange(n, dtype=float)
        ks = max(ks, float(np.max(f - k / n)), float(np.max((k + 1) / n - f)))
    draws = n * INPUTS
    return {"task": "pert_mc", "impl": "openturns", "n": n, "draws": draws, "wall_s": wall, "cpu_s": cpu,
            "setup_s": setup, "ns_per_draw": 1e9 * wall / draws, "cpu_ns_per_draw": 1e9 * cpu / draws,
            "spearman_max_abs_err": corr_err, "ks_max": ks}


def ishigami_exact(a=7.0, b=0.1):
    pi = math.pi
    v1 = 0.5 * (1 + b * pi ** 4 / 5) ** 2
    v2 = a * a / 8
    v13 = b * b * pi ** 8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return [v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v]


def task_sobol(a):
    ot.RandomGenerator.SetSeed(a.seed)
    model = ot.SymbolicFunction(["x1", "x2", "x3"], ["sin(x1) + 7 * sin(x2)^2 + 0.1 * x3^4 * sin(x1)"])
    dist = ot.ComposedDistribution([ot.Uniform(-math.pi, math.pi)] * 3)
    t0, c0 = time.perf_counter(), time.process_time()
    algo = ot.SaltelliSensitivityAlgorithm(dist, a.n, model, False)
    s = list(algo.getFirstOrderIndices())
    st = list(algo.getTotalOrderIndices())
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    es, est = ishigami_exact()
    err = max(max(abs(s[i] - es[i]) for i in range(3)), max(abs(st[i] - est[i]) for i in range(3)))
    return {"task": "sobol", "impl": "openturns", "n": a.n, "threads": a.threads, "evaluations": a.n * 5,
            "wall_s": wall, "cpu_s": cpu, "max_abs_err": err, "first_order": s, "total_order": st}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("task", choices=("pert", "sobol"))
    ap.add_argument("--trials", type=int, default=65536)
    ap.add_argument("--n", type=int, default=1 << 16)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    ot.TBB.SetThreadsNumber(a.threads)
    res = task_pert(a) if a.task == "pert" else task_sobol(a)
    res["version"] = ot.__version__
    print(json.dumps(res))


if __name__ == "__main__":
    main()
