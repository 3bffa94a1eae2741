#!/usr/bin/env python3
"""Hostile input to the offroi command-line tool: every case must end within its time limit
with exit code 2 (bad input) and a message naming the problem -- never a hang, unbounded
memory, a crash, exit 1 or a silent NaN -- and `validate` must accept exactly what `run`
can run. One case per finding of the hostile run recorded in issue 11 (and the limits of
docs/scenario-format.md).

Usage: hostile_test.py <offroi executable>   (CTest: cli.hostile)
"""

import json
import os
import resource
import subprocess
import sys
import tempfile

EXE = sys.argv[1]
TMP = tempfile.mkdtemp(prefix="offroi-hostile-")
failures = []


def base(**top):
    """A small valid scenario; `top` overrides top-level keys."""
    s = {
        "format_version": 2,
        "name": "hostile",
        "horizon_months": 24,
        "baseline": {"preset": "in_house", "name": "local"},
        "alternatives": [{"preset": "offshore_team", "name": "offshore"}],
        "simulation": {"trials": 500, "seed": 1},
    }
    s.update(top)
    return s


def with_alt(**fields):
    s = base()
    s["alternatives"][0].update(fields)
    return s


def write(name, content):
    path = os.path.join(TMP, name)
    mode = "wb" if isinstance(content, bytes) else "w"
    with open(path, mode) as f:
        f.write(content if isinstance(content, (str, bytes)) else json.dumps(content))
    return path


with open(EXE, "rb") as f:
    # An AddressSanitizer build reserves terabytes of shadow address space at start: no limit
    # on address space there (ASan reports its own allocation failures).
    SANITIZED = b"__asan_init" in f.read()


def limit_memory():
    # 2 GiB of address space: unbounded memory shows up as a failure, not a swapping machine.
    if not SANITIZED:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def check(name, args, rc=2, stderr=None, stdout=None, timeout=20):
    try:
        p = subprocess.run([EXE] + args, capture_output=True, timeout=timeout, preexec_fn=limit_memory)
    except subprocess.TimeoutExpired:
        failures.append(f"{name}: no answer within {timeout} s (a hang)")
        return None
    try:
        err = p.stderr.decode("utf-8")  # strict: a message cut inside a character fails here
        out = p.stdout.decode("utf-8")
    except UnicodeDecodeError as e:
        failures.append(f"{name}: output is not valid UTF-8 ({e})")
        return None
    if p.returncode != rc:
        failures.append(f"{name}: exit code {p.returncode}, expected {rc}\nstderr: {err[:400]}")
    elif stderr is not None and stderr not in err:
        failures.append(f"{name}: stderr lacks {stderr!r}: {err[:400]}")
    elif stdout is not None and stdout not in out:
        failures.append(f"{name}: stdout lacks {stdout!r}: {out[:400]}")
    if rc == 2 and not err.strip():
        failures.append(f"{name}: exit 2 without a message")
    if rc == 0 and p.returncode == 0:
        bad = silent_nan(out)
        if bad:
            failures.append(f"{name}: exit 0 with a missing number at {bad}")
    return p


def silent_nan(out):
    """Where a NaN or a null number hides in the output (None if nowhere). JSON null is
    allowed only for the summary of months within the horizon when no trial has one
    (`within_horizon` with count_within 0)."""
    try:
        doc = json.loads(out)
    except ValueError:
        words = out.lower().replace(",", " ").split()
        return "text" if "nan" in words or "-nan" in words else None

    def walk(x, path):
        if x is None:
            return path
        if isinstance(x, float) and x != x:
            return path
        if isinstance(x, dict):
            for k, v in x.items():
                if k == "within_horizon" and x.get("count_within") == 0:
                    continue
                r = walk(v, f"{path}.{k}")
                if r:
                    return r
        if isinstance(x, list):
            for i, v in enumerate(x):
                r = walk(v, f"{path}[{i}]")
                if r:
                    return r
        return None

    return walk(doc, "$")


def both(name, scenario, stderr, run_args=()):
    """validate and run must both refuse the scenario with the same message."""
    f = write(name + ".json", scenario)
    check(name + ".validate", ["validate", f], stderr=stderr)
    check(name + ".run", ["run", f, "--trials", "500"] + list(run_args), stderr=stderr)


# 1. Deep nesting: bounded time, a message naming the limit (16k levels took 4 s, 100k minutes).
deep = '{"format_version": 2, "name": ' + "[" * 100000 + "]" * 100000 + "}"
check("nesting", ["validate", write("deep.json", deep)], stderr="nesting deeper than 64 levels", timeout=5)
check("nesting_objects", ["validate", write("deepo.json", '{"a":' * 50000 + "1" + "}" * 50000)],
      stderr="nesting deeper than 64", timeout=5)

# 2. Special files: refused at once, never read without end or blocked on.
check("dev_zero", ["validate", "/dev/zero"], stderr="a device is invalid", timeout=5)
check("dev_urandom", ["run", "/dev/urandom"], stderr="a device is invalid", timeout=5)
fifo = os.path.join(TMP, "fifo.json")
os.mkfifo(fifo)
check("fifo", ["validate", fifo], stderr="a FIFO is invalid", timeout=5)
check("directory", ["run", TMP], stderr="a directory is invalid", timeout=5)
check("proc_self_mem", ["validate", "/proc/self/mem"], stderr="/proc/self/mem", timeout=5)
big = write("big.json", b" " * ((16 << 20) + 10) + b"{}")
check("file_size", ["validate", big], stderr="the limit of file size", timeout=5)
check("array_length", ["validate", write("arr.json", with_alt(hourly_rate_usd={"empirical": [30.0] * 100001}))],
      stderr="the limit of array length", timeout=10)

# 3. Distribution parameters whose tables would never finish building.
both("beta_huge", with_alt(handoff_quality={"beta": [1e300, 1e300]}), "the limit of beta shapes")
both("pert_lambda", with_alt(handoff_quality={"pert": {"min": 0, "mode": 0.5, "max": 1, "lambda": 1e300}}),
     "the limit of PERT shapes")
both("poisson_huge", with_alt(setup_cost_usd={"poisson": 1e300}), "must be <= 1e9")
both("poisson_1e18", with_alt(setup_cost_usd={"poisson": 1e18}), "must be <= 1e9")
both("gamma_shape", with_alt(setup_cost_usd={"gamma": [1e12, 1]}), "must be <= 1e6")

# 4. Trials and analysis sizes: refused before any work starts.
both("file_trials", base(simulation={"trials": 18446744073709551615, "seed": 1}), "the limit of trials")
check("driver_trials", ["run", "--driver-trials", "3000000"], stderr="the limit of driver trials", timeout=5)
check("driver_trials_negative", ["run", "--driver-trials", "-1"], stderr="whole number", timeout=5)
check("sobol_size", ["sensitivity", "--method", "sobol", "--base-samples", "1048576", "--event-trials", "1048576"],
      stderr="the limit of a sensitivity analysis", timeout=5)
many = base()
many["alternatives"] = [{"preset": "offshore_team", "name": f"o{i}"} for i in range(65)]
both("alternatives", many, "the limit of alternatives")
check("compare_budget", ["compare", "--trials", "300000000"], stderr="memory budget", timeout=5)

# 6-7. Magnitudes that overflowed into NaN or exit 1.
both("setup_cost_1e308", with_alt(setup_cost_usd=1e308), "setup_cost_usd")
s = base()
s["baseline"]["headcount"] = 8e300
both("headcount_8e300", s, "headcount")
both("rate_1e308", with_alt(hourly_rate_usd=1e308), "hourly_rate_usd")
both("weibull_tiny_shape", with_alt(setup_cost_usd={"weibull": [1e-300, 1]}), "draws reach up to")
both("lognormal_700", with_alt(security_incident_cost_usd={"lognormal": [700, 5]}), "security_incident_cost_usd")
check("horizon_1e400", ["validate", write("h.json", json.dumps(base()).replace('"horizon_months": 24',
                                                                              '"horizon_months": 1e400'))],
      stderr="horizon_months: number overflow", timeout=5)
both("discount_extreme", base(horizon_months=600, annual_discount_rate=-0.9999999), "annual_discount_rate")
check("sweep_1e308", ["sweep", "--input", "offshore_team.hourly_rate_usd", "--values", "1e308", "--trials", "500"],
      stderr="hourly_rate_usd")

# 8. validate = run: a lognormal time to fill whose draws reach infinity (never filled) runs,
# drivers included.
inf_draws = with_alt(time_to_fill_months={"lognormal": [700, 5]})
f = write("lognormal_inf_draws.json", inf_draws)
check("inf_draws.validate", ["validate", f], rc=0)
check("inf_draws.run", ["run", f, "--trials", "2000", "--format", "json"], rc=0, stdout='"drivers"')

# 9. Output errors and whole-number flags.
check("samples_dev_full", ["run", "--trials", "500", "--samples", "/dev/full"], stderr="error while writing")
check("seed_negative", ["run", "--trials", "500", "--seed=-1"], stderr="whole number", timeout=5)
check("seed_overflow", ["run", "--trials", "500", "--seed", "99999999999999999999999"], stderr="whole number",
      timeout=5)
check("seed_max", ["run", "--trials", "500", "--seed", "18446744073709551615"], rc=0, timeout=20)
check("trials_sci", ["run", "--trials", "1e3", "--format", "json"], rc=0, stdout='"trials": 1000')

# 11. Messages cut at a character boundary (the excerpt of a long value of multibyte text).
check("utf8_cut", ["validate", write("utf8.json", with_alt(hourly_rate_usd="€" * 40))], stderr="hourly_rate_usd")

# 12. "inf" where the field allows it.
check("inf_time_to_fill", ["validate", write("inf.json", with_alt(time_to_fill_months="inf"))], rc=0)

if failures:
    print(f"{len(failures)} hostile-input case(s) failed:\n" + "\n\n".join(failures))
    sys.exit(1)
print("all hostile-input cases passed")
