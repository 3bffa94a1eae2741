#!/usr/bin/env bash
# Side-by-side speed of offroi and the numpy implementation of the default scenario
# (issue 4: offroi >= 10x numpy, and >= 1,000,000 trials/s on 2 cores), measured in one run.
#
# Usage: bench/model/side_by_side.sh [BUILD_DIR] [TRIALS]
#   BUILD_DIR  a Release build dir that already holds bench/bench_model_model (and, if built,
#              src/offroi); default build/release. This script builds nothing.
#   TRIALS     numpy trials (default 1000000, as offroi's bench). Env: OFFROI_THREADS (2),
#              NUMPY_DRAWS: the numpy variants to run, default "numpy scipy" (how the inputs
#              are drawn: numpy's Generator.beta / .lognormal, or scipy.stats rvs, the
#              textbook notebook choice; the same numbers, more overhead; the model is the
#              same numpy code). The default scenario has no correlations (model v2), so no
#              copula.
#
# It runs, one after the other on the same machine:
#   1. offroi's C++ bench BM_simulate_default at 1 and 2 threads (simulate(default_scenario()),
#      1e6 trials: sampling the 52 uncertain inputs, events, evaluation, streaming summaries);
#   2. the CLI `offroi run --trials 1000000 --threads T --driver-trials 0 --format json`
#      end to end (process start, exact percentiles from kept samples, JSON), if built;
#   3. bench/model/numpy_default_scenario.py at TRIALS (/usr/bin/python3; scipy only for draws=scipy).
# and prints trials/s (wall clock) for each, trials per CPU-second where it is measurable
# (single-threaded runs), and the ratios. The machine's load average is printed: on a
# shared machine wall-clock rates fall with the load, the CPU-second rates much less.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${1:-$root/build/release}"
trials="${2:-1000000}"
threads="${OFFROI_THREADS:-2}"
draws="${NUMPY_DRAWS:-numpy scipy}"
py=/usr/bin/python3

bench="$build/bench/bench_model_model"
cli="$build/src/offroi"
if [[ ! -x "$bench" ]]; then
  echo "side_by_side: $bench not found; build it first:" >&2
  echo "  cmake --build $build --target bench_model_model offroi_cli -j2" >&2
  exit 2
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "machine: $(nproc) CPUs; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. offroi, C++ bench (wall clock at 1 and T threads; CPU time at 1 thread).
"$bench" --benchmark_filter="^BM_simulate_default/threads:(1|$threads)/" \
  --benchmark_repetitions=1 --benchmark_format=json >"$tmp/bench.json" 2>/dev/null

# 2. offroi, CLI end to end (wall clock).
cli_s=""
if [[ -x "$cli" ]]; then
  t0=$(date +%s.%N)
  "$cli" run --trials 1000000 --seed 20240601 --threads "$threads" --driver-trials 0 --format json >"$tmp/cli.json"
  t1=$(date +%s.%N)
  cli_s=$(echo "$t1 - $t0" | bc -l)
fi

# 3. numpy, one JSON line per variant.
for d in $draws; do
  "$py" "$here/numpy_default_scenario.py" --trials "$trials" --draws "$d" --json >>"$tmp/numpy.json"
done

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
"$py" - "$tmp/bench.json" "$tmp/numpy.json" "$threads" "$cli_s" <<'EOF'
import json, sys
bench = json.load(open(sys.argv[1]))
npys = [json.loads(line) for line in open(sys.argv[2])]
threads = int(sys.argv[3])
cli_s = float(sys.argv[4]) if sys.argv[4] else None
runs = {}
for b in bench["benchmarks"]:
    t = int(b["name"].split("threads:")[1].split("/")[0])
    scale = {"ms": 1e-3, "us": 1e-6, "ns": 1e-9, "s": 1.0}[b["time_unit"]]
    runs[t] = {"tps": b["items_per_second"], "cpu_s": b["cpu_time"] * scale,
               "real_s": b["real_time"] * scale, "mean": b.get("net_benefit_mean")}
one, many = runs[1], runs[threads]
n_off = one["tps"] * one["real_s"]  # trials per iteration (1e6)
rows = [
    (f"offroi simulate(), {threads} threads (C++ bench)", many["tps"], None),
    ("offroi simulate(), 1 thread (C++ bench)", one["tps"], n_off / one["cpu_s"]),
]
if cli_s:
    rows.append((f"offroi CLI run --threads {threads}, end to end", 1e6 / cli_s, None))
for npy in npys:
    rows.append((f"numpy, draws={npy['draws']}, 1 process", npy["trials_per_second"], npy["trials_per_cpu_second"]))
print()
print(f"{'implementation':52s} {'trials/s (wall)':>16s} {'trials/CPU-s':>14s}")
for name, tps, cps in rows:
    print(f"{name:52s} {tps:16,.0f} {('%14s' % format(cps, ',.0f')) if cps else '%14s' % '-'}")
print()
for npy in npys:
    s = npy["summaries"]["offshore_team.net_benefit"]
    print(f"numpy draws={npy['draws']:6s}: {npy['trials']} trials in {npy['seconds']:.2f} s wall, "
          f"{npy['cpu_seconds']:.2f} s CPU (sampling {npy['sample_cpu_seconds']:.2f} s CPU, evaluation "
          f"{npy['evaluate_cpu_seconds']:.2f} s CPU); mean net benefit {s['mean']:,.0f} +- {s['mean_se']:,.0f}")
print(f"offroi mean net benefit {many['mean']:,.0f} (same scenario, its own random numbers)")
print()
print(f"{'ratio offroi / numpy':22s} {'wall, ' + str(threads) + ' thr vs 1':>14s} {'CPU-s, 1 vs 1':>14s} "
      f"{'CPU-s x ' + str(threads) + ' cores':>15s}" + (f" {'CLI wall':>9s}" if cli_s else ""))
for npy in npys:
    line = (f"numpy draws={npy['draws']:10s} {many['tps'] / npy['trials_per_second']:13.1f}x "
            f"{(n_off / one['cpu_s']) / npy['trials_per_cpu_second']:13.1f}x "
            f"{threads * (n_off / one['cpu_s']) / npy['trials_per_cpu_second']:14.1f}x")
    if cli_s:
        line += f" {1e6 / cli_s / npy['trials_per_second']:8.1f}x"
    print(line)
print("(target: >= 10x. 'CPU-s x cores' = offroi's 1-thread CPU rate times the cores over numpy's CPU rate:")
print(" the wall-clock ratio on idle cores if offroi scales linearly; numpy runs on one core.)")
print(f"offroi {threads} threads: {many['tps']:,.0f} trials/s wall (target >= 1,000,000); "
      f"1-thread CPU rate x {threads} = {threads * n_off / one['cpu_s']:,.0f} trials/s")
EOF
