#!/usr/bin/env python3
"""package.pip_install: the README's `pip install` of the Python package, offline, checked.

    pip_install.py --source ROOT --work DIR [--reference PYTHONPATH_DIR]

1. Copies the clone ROOT (without build/ and .git/) to DIR/src: what a fresh clone holds.
2. Creates DIR/venv with `/usr/bin/python3 -m venv --system-site-packages` (numpy, pandas from
   Debian) and runs, in it, `python -m pip install --no-build-isolation --no-index DIR/src`:
   setuptools (Debian's) drives CMake; --no-index makes any attempt to reach an index an error.
3. Deletes DIR/src (the sources and the CMake build) so nothing of the build tree is left.
4. From an empty directory, with PYTHONPATH unset, imports offroi from the venv, checks it
   and its compiled module come from the venv's site-packages and that the version is
   CMakeLists.txt's, and runs a small simulation of the default scenario (2 000 trials).
5. With --reference: the same simulation through the build tree's module must give the same
   bits (offroi's results depend on the seed only, and both builds are Release with
   -ffp-contract=off), so the installed package is the library, not merely importable.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

SIMULATION = r"""
import json, math, sys
import offroi
r = offroi.simulate(offroi.Scenario.default(), trials=2000, seed=7, threads=2)
out = {}
for a in r.alternatives:
    nb = r.samples([a + ".net_benefit"])[a + ".net_benefit"]
    out[a] = [float(nb.sum()), float(nb.min()), float(nb.max())]
assert out and all(math.isfinite(v) for vs in out.values() for v in vs), out
print(json.dumps({"version": offroi.__version__, "file": offroi.__file__,
                  "core": offroi._core.__file__, "net_benefit": out}))
"""


def run(cmd, **kw):
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], check=True, **kw)


def clean_env():
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV") and not k.startswith("PIP_")}
    env.setdefault("CMAKE_BUILD_PARALLEL_LEVEL", "2")
    return env


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", required=True, type=Path)
    ap.add_argument("--work", required=True, type=Path)
    ap.add_argument("--reference", type=Path, help="a build tree's python/ directory")
    args = ap.parse_args()
    source, work = args.source.resolve(), args.work.resolve()
    version = re.search(r"project\(offroi VERSION ([0-9.]+)",
                        (source / "CMakeLists.txt").read_text(encoding="utf-8")).group(1)

    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    src = work / "src"
    shutil.copytree(source, src, symlinks=True, ignore=shutil.ignore_patterns(
        "build", ".git", "__pycache__", ".pytest_cache", "*.egg-info"))

    venv = work / "venv"
    env = clean_env()
    run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", venv], env=env)
    python = venv / "bin" / "python"
    start = time.monotonic()
    run([python, "-m", "pip", "install", "--no-build-isolation", "--no-index", src], env=env, cwd=work)
    print(f"pip_install.py: pip install took {time.monotonic() - start:.0f} s", flush=True)

    shutil.rmtree(src)  # the clone and its CMake build: the installed package must not need them
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    got = json.loads(run([python, "-c", SIMULATION], env=env, cwd=elsewhere,
                         capture_output=True, text=True).stdout)
    site = venv.resolve()
    for key in ("file", "core"):
        if not Path(got[key]).resolve().is_relative_to(site):
            sys.exit(f"pip_install.py: offroi {key} {got[key]} is not inside the venv {site}")
    if got["version"] != version:
        sys.exit(f"pip_install.py: installed version {got['version']}, CMakeLists.txt says {version}")
    # The wheel carries the typing files beside the module.
    package_dir = Path(got["file"]).parent
    for name in ("py.typed", "_core.pyi"):
        if not (package_dir / name).is_file():
            sys.exit(f"pip_install.py: {name} missing from the installed package {package_dir}")
    print("pip_install.py: installed offroi", got["version"], "at", package_dir, flush=True)

    if args.reference:
        ref_env = clean_env()
        ref_env["PYTHONPATH"] = str(args.reference.resolve())
        ref = json.loads(run(["/usr/bin/python3", "-c", SIMULATION], env=ref_env, cwd=elsewhere,
                             capture_output=True, text=True).stdout)
        if ref["net_benefit"] != got["net_benefit"]:
            sys.exit("pip_install.py: the installed package and the build tree differ:\n"
                     f"  installed  {got['net_benefit']}\n  build tree {ref['net_benefit']}")
        print("pip_install.py: same bits as the build tree:", got["net_benefit"], flush=True)
    shutil.rmtree(work)
    print("pip_install.py: OK")


if __name__ == "__main__":
    main()
