"""Python-side benchmarks (issue 6 targets), side by side in one run.

1. offroi.simulate() from Python vs the CLI (`offroi run`) on the default scenario, 1e6 trials
   (target: within 5%).
2. offroi.sample of 10 correlated PERT inputs (LHS + Gaussian copula) vs numpy+scipy
   (LHS + beta ppf + Gaussian copula; target >= 20x) and vs OpenTURNS ComposedDistribution
   with a NormalCopula, getSample (target >= 50x; OpenTURNS has no LHS for a dependent copula).

Usage: PYTHONPATH=<build>/python /usr/bin/python3 bench/python/python_bench.py [--cli <build>/src/offroi]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

import offroi


def best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def bench_simulate(cli, trials):
    s = offroi.Scenario.default()
    # The CLI keeps no per-trial samples above 250k trials: compare like with like.
    py = best_of(lambda: offroi.simulate(s, trials=trials, seed=1, keep_samples=trials <= 250_000))
    out = {"trials": trials, "python_s": py}
    if cli:
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "s.json")
            s.save(path)
            cmd = [cli, "run", path, "--trials", str(trials), "--seed", "1", "--driver-trials", "0",
                   "--format", "json"]
            subprocess.run(cmd, check=True, capture_output=True)
            out["cli_s"] = best_of(lambda: subprocess.run(cmd, check=True, capture_output=True))
        out["python_over_cli"] = py / out["cli_s"]
    return out


def pert_params(a, m, b, lam=4.0):
    alpha = 1 + lam * (m - a) / (b - a)
    beta = 1 + lam * (b - m) / (b - a)
    return alpha, beta


def bench_sample(n, d=10):
    from scipy import stats
    rng = np.random.default_rng(0)
    specs = [(10.0 * i, 10.0 * i + 3 + i % 4, 10.0 * i + 10) for i in range(d)]
    corr = np.full((d, d), 0.3) + 0.7 * np.eye(d)
    dists = [offroi.pert(*s) for s in specs]
    out = {"n": n, "d": d}
    out["offroi_s"] = best_of(lambda: offroi.sample(dists, n, correlation=corr, sampler="lhs", seed=1))
    # Gaussian-copula normal correlation for a Spearman target: r = 2 sin(pi rho / 6).
    rn = 2 * np.sin(np.pi * corr / 6)
    chol = np.linalg.cholesky(rn)
    ab = [pert_params(*s) for s in specs]

    def scipy_way():
        # LHS uniforms, normal scores, correlate, back to uniforms, beta ppf.
        u = (rng.permuted(np.tile(np.arange(n), (d, 1)), axis=1).T + rng.random((n, d))) / n
        z = stats.norm.ppf(u) @ chol.T
        v = stats.norm.cdf(z)
        x = np.empty_like(v)
        for j, ((a, m, b), (al, be)) in enumerate(zip(specs, ab)):
            x[:, j] = a + (b - a) * stats.beta.ppf(v[:, j], al, be)
        return x
    out["scipy_s"] = best_of(scipy_way, repeat=2)
    out["speedup_vs_scipy"] = out["scipy_s"] / out["offroi_s"]
    try:
        import openturns as ot
        marg = [ot.Beta(al, be, a, b) for (a, m, b), (al, be) in zip(specs, ab)]
        R = ot.CorrelationMatrix(d)
        for i in range(d):
            for j in range(d):
                R[i, j] = float(rn[i, j])
        dist = ot.ComposedDistribution(marg, ot.NormalCopula(R))
        ot.RandomGenerator.SetSeed(1)
        # OpenTURNS' LHSExperiment refuses a dependent copula: it samples the joint law (MC).
        out["openturns_s"] = best_of(lambda: np.asarray(dist.getSample(n)), repeat=1)
        out["speedup_vs_openturns"] = out["openturns_s"] / out["offroi_s"]
    except ImportError:
        out["openturns_s"] = None
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default=shutil.which("offroi"))
    ap.add_argument("--trials", type=int, default=1_000_000)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--openturns-n", type=int, default=0, help="sample size for OpenTURNS (0: --n)")
    a = ap.parse_args()
    res = {"simulate": bench_simulate(a.cli, a.trials), "sample": bench_sample(a.n)}
    json.dump(res, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
