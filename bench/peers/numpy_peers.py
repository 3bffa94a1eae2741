#!/usr/bin/python3
"""numpy/scipy peers of offroi's sampling (bench/run pairs them with bench/peers/offroi_tasks.cpp).

Written as a strong numpy user would: whole arrays, no Python loop over draws, scipy.special
for the distribution functions (scipy.stats' frozen-distribution .ppf adds argument checking
around the same special functions).

    numpy_peers.py pert --method mc|lhs --trials N [--seed S]
        10 PERT inputs PERT(10+i, 20+2i, 45+5i) (lambda 4: scaled betas), every pair at Spearman
        0.3 through a Gaussian copula (Pearson 2 sin(pi rho_s / 6), Cholesky factor):
        mc:  z = standard normals (N, 10) @ L^T; u = Phi(z); x = a + (b - a) I^-1(alpha, beta, u)
        lhs: Latin hypercube uniforms (one permutation per column plus a uniform jitter, the
             scipy.stats.qmc.LatinHypercube construction, vectorised), z = Phi^-1(u) @ L^T, then
             as mc: "LHS via ppf".
        Times the draws (not the imports); accuracy as offroi's task: largest |Spearman - 0.3|
        over the 45 pairs, largest Kolmogorov-Smirnov distance from the exact PERT cdf.
    numpy_peers.py quantile --values N
        scipy.special.betaincinv for PERT(10, 30, 100) on N uniforms (scipy's beta ppf; Boost's
        ibeta_inv underneath, so its error is the reference's own: reported as 0).

Prints one JSON line with the same fields as offroi_tasks.
"""
import argparse
import json
import math
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core, as offroi's sampler
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from scipy import special  # noqa: E402

INPUTS = 10
RHO_S = 0.3


def pert_params():
    k = np.arange(INPUTS, dtype=float)
    lo, mode, hi = 10.0 + k, 20.0 + 2.0 * k, 45.0 + 5.0 * k
    alpha = 1.0 + 4.0 * (mode - lo) / (hi - lo)
    beta = 1.0 + 4.0 * (hi - mode) / (hi - lo)
    return lo, hi, alpha, beta


def cholesky():
    r = np.full((INPUTS, INPUTS), 2.0 * math.sin(math.pi * RHO_S / 6.0))
    np.fill_diagonal(r, 1.0)
    return np.linalg.cholesky(r)


def draw(method, n, rng, lo, hi, alpha, beta, chol):
    if method == "mc":
        z = rng.standard_normal((n, INPUTS))
    else:
        perm = rng.permuted(np.broadcast_to(np.arange(n, dtype=float), (INPUTS, n)), axis=1).T
        z = special.ndtri((perm + rng.random((n, INPUTS))) * (1.0 / n))
    z = z @ chol.T
    u = special.ndtr(z, out=z)
    return lo + (hi - lo) * special.betaincinv(alpha, beta, u, out=u)


def accuracy(x, lo, hi, alpha, beta):
    n = x.shape[0]
    r = np.argsort(np.argsort(x, axis=0), axis=0).astype(float)
    c = np.corrcoef(r, rowvar=False)
    corr_err = float(np.max(np.abs(c[np.triu_indices(INPUTS, 1)] - RHO_S)))
    xs = np.sort(x, axis=0)
    f = special.betainc(alpha, beta, np.clip((xs - lo) / (hi - lo), 0.0, 1.0))
    k = np.arange(n, dtype=float)[:, None]
    ks = float(max(np.max(f - k / n), np.max((k + 1) / n - f)))
    return corr_err, ks


def task_pert(a):
    lo, hi, alpha, beta = pert_params()
    rng = np.random.default_rng(a.seed)
    t0, c0 = time.perf_counter(), time.process_time()
    chol = cholesky()
    setup = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    x = draw(a.method, a.trials, rng, lo, hi, alpha, beta, chol)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    corr_err, ks = accuracy(x, lo, hi, alpha, beta)
    draws = a.trials * INPUTS
    return {"task": f"pert_{a.method}", "impl": "numpy", "n": a.trials, "draws": draws,
            "wall_s": wall, "cpu_s": cpu, "setup_s": setup, "ns_per_draw": 1e9 * wall / draws,
            "cpu_ns_per_draw": 1e9 * cpu / draws, "spearman_max_abs_err": corr_err, "ks_max": ks}


def task_quantile(a):
    lo, mode, hi = 10.0, 30.0, 100.0
    alpha, beta = 1.0 + 4.0 * (mode - lo) / (hi - lo), 1.0 + 4.0 * (hi - mode) / (hi - lo)
    u = np.random.default_rng(2024).random(a.values)
    t0, c0 = time.perf_counter(), time.process_time()
    x = lo + (hi - lo) * special.betaincinv(alpha, beta, u)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert np.all(np.isfinite(x))
    return {"task": "quantile", "impl": "numpy", "n": a.values, "wall_s": wall, "cpu_s": cpu,
            "ns_per_value": 1e9 * wall / a.values, "max_abs_err_x_over_range": 0.0, "max_abs_err_u": 0.0}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("task", choices=("pert", "quantile"))
    ap.add_argument("--method", choices=("mc", "lhs"), default="mc")
    ap.add_argument("--trials", type=int, default=65536)
    ap.add_argument("--values", type=int, default=1 << 20)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    print(json.dumps(task_pert(a) if a.task == "pert" else task_quantile(a)))


if __name__ == "__main__":
    main()
