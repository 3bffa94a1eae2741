#!/usr/bin/env python3
"""`offroi report` from the command line (standard library only).

    cli_test.py OFFROI_CLI WORKDIR

- writes a report file (exit 0) whose embedded run equals `offroi run --format json` with the
  same flags, with the sections of the issue, and no external reference;
- the same seed gives the same bytes with 1 and 2 threads; another seed gives other numbers;
- without -o the page goes to standard output;
- bad input ends with exit 2 and a message naming the problem: no such scenario, --trials 1,
  an unknown sampler, an output path that cannot be written, an invalid scenario file.
"""

import json
import os
import re
import subprocess
import sys

failures = []


def run(args, rc=0, stdin=None):
    p = subprocess.run(args, capture_output=True, text=True, input=stdin)
    if p.returncode != rc:
        failures.append(f"{' '.join(args[1:])}: exit {p.returncode}, expected {rc}; stderr: {p.stderr[:500]}")
    return p


def embedded(html):
    m = re.search(r'<script type="application/json" id="offroi-report-data">(.*?)</script>', html, re.S)
    return json.loads(m.group(1)) if m else None


def main():
    cli, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    out1, out2, out3 = (os.path.join(work, f"r{k}.html") for k in (1, 2, 3))
    flags = ["--trials", "3000", "--seed", "9", "--driver-trials", "800"]
    run([cli, "report", "vendor-tier-cheapest-vs-mid", *flags, "--threads", "1", "-o", out1])
    run([cli, "report", "vendor-tier-cheapest-vs-mid", *flags, "--threads", "2", "-o", out2])
    html1 = open(out1, encoding="utf-8").read()
    if html1 != open(out2, encoding="utf-8").read():
        failures.append("the report differs between 1 and 2 threads")
    data = embedded(html1)
    ref = json.loads(run([cli, "run", "vendor-tier-cheapest-vs-mid", *flags, "--format", "json"]).stdout)
    if data is None or data["run"] != ref:
        failures.append("the embedded run differs from `offroi run --format json`")
    for sid in ("question", "headline", "assumptions", "distribution", "waterfall", "drivers", "appendix"):
        if f'<section id="{sid}"' not in html1:
            failures.append(f"section {sid} missing")
    # The scenario's own notes are shown (its first assumption, escaped as the page escapes it).
    scenario_file = os.path.join(os.path.dirname(__file__), "..", "..", "bench", "scenarios",
                                 "vendor-tier-cheapest-vs-mid.json")
    doc = json.load(open(scenario_file, encoding="utf-8"))
    first = doc["assumptions"][0].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
        .replace('"', "&quot;").replace("'", "&#39;")
    if first not in html1:
        failures.append("the scenario's first assumption is not shown")
    # The appendix's scenario reruns the report: same seed and trials in its simulation block.
    if data["scenario"]["simulation"]["seed"] != 9 or data["scenario"]["simulation"]["trials"] != 3000:
        failures.append(f"appendix simulation block: {data['scenario']['simulation']}")
    rerun = os.path.join(work, "rerun.json")
    with open(rerun, "w", encoding="utf-8") as f:
        json.dump(data["scenario"], f)
    again = json.loads(run([cli, "run", rerun, "--driver-trials", "800", "--format", "json"]).stdout)
    if again != ref:
        failures.append("running the appendix's scenario does not reproduce the run")
    for bad in ("src=", "href=", "<link", "url(", "@import"):
        if bad in html1:
            failures.append(f"the page contains {bad!r}")
    run([cli, "report", "vendor-tier-cheapest-vs-mid", *flags[:2], "--seed", "10", "-o", out3])
    if embedded(open(out3, encoding="utf-8").read())["run"] == data["run"]:
        failures.append("another seed gives the same numbers")
    # Standard output.
    p = run([cli, "report", "--trials", "500", "--driver-trials", "0"])
    if not p.stdout.startswith("<!DOCTYPE html>") or "id=\"drivers\"" in p.stdout:
        failures.append("report to stdout: not an HTML page without drivers")
    # Bad input: exit 2 and a message.
    cases = [
        (["no-such-scenario"], "no such scenario file"),
        (["--trials", "1"], "--trials"),
        (["--sampler", "qmc"], "--sampler"),
        (["--trials", "500", "-o", os.path.join(work, "no-dir", "x.html")], "cannot open"),
    ]
    invalid = os.path.join(work, "invalid.json")
    with open(invalid, "w") as f:
        f.write('{"format_version": 2, "baseline": {"preset": "in_house"}, "alternatives": '
                '[{"preset": "offshore_team", "hourly_rate_usd": -5}]}')
    cases.append(([invalid], "hourly_rate_usd"))
    for args, message in cases:
        p = run([cli, "report", *args], rc=2)
        if message not in p.stderr:
            failures.append(f"report {' '.join(args)}: stderr lacks {message!r}: {p.stderr[:300]}")
    for f in failures:
        print("FAIL:", f)
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
