#!/usr/bin/python3
"""Peer benchmark: OpenTURNS' SaltelliSensitivityAlgorithm on Ishigami (a = 7, b = 0.1).

Runs with Debian's interpreter (python3-openturns): /usr/bin/python3 openturns_ishigami.py [N]
Times, with time.perf_counter over several repeats, the construction of the algorithm
(which draws the Saltelli design and evaluates the SymbolicFunction on N (d + 2) points)
plus getFirstOrderIndices/getTotalOrderIndices, and prints the best and median wall times
(and the median process CPU time, all threads, robust to other load on the machine) and
the max abs error of the six indices against the exact values. Same N as
bench_sensitivity_sobol_indices (base samples N = 2^16 by default).
"""
import statistics
import sys
import time

import math

import openturns as ot

EXACT_S = [0.31391, 0.44241, 0.0]
EXACT_ST = [0.55759, 0.44241, 0.24368]


def run(n, seed):
    ot.RandomGenerator.SetSeed(seed)
    model = ot.SymbolicFunction(
        ["x1", "x2", "x3"], ["sin(x1) + 7 * sin(x2)^2 + 0.1 * x3^4 * sin(x1)"])
    dist = ot.ComposedDistribution([ot.Uniform(-math.pi, math.pi)] * 3)
    t0, c0 = time.perf_counter(), time.process_time()
    algo = ot.SaltelliSensitivityAlgorithm(dist, n, model, False)
    s = algo.getFirstOrderIndices()
    st = algo.getTotalOrderIndices()
    t1, c1 = time.perf_counter(), time.process_time()
    err = max(max(abs(s[i] - EXACT_S[i]) for i in range(3)),
              max(abs(st[i] - EXACT_ST[i]) for i in range(3)))
    return t1 - t0, c1 - c0, err, list(s), list(st)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1 << 16
    repeats = 7
    times, cpus, errs = [], [], []
    for r in range(repeats):
        t, c, e, s, st = run(n, 1 + r)
        times.append(t)
        cpus.append(c)
        errs.append(e)
    print(f"openturns {ot.__version__} SaltelliSensitivityAlgorithm Ishigami N={n} "
          f"evaluations={n * 5}")
    print(f"time_ms best={1e3 * min(times):.2f} median={1e3 * statistics.median(times):.2f} "
          f"(process CPU median={1e3 * statistics.median(cpus):.2f}; the machine's load "
          f"inflates wall time)")
    print(f"max_abs_error first_seed={errs[0]:.5f} median_over_seeds={statistics.median(errs):.5f}")
    print(f"S={['%.5f' % v for v in s]} ST={['%.5f' % v for v in st]}")


if __name__ == "__main__":
    main()
