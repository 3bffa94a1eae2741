#!/usr/bin/env bash
# Installs the Debian 12 packages offroi needs. Idempotent: packages already present are
# skipped. Runs as root directly, through sudo otherwise.
set -euo pipefail

packages=(
  build-essential cmake git
  clang libclang-rt-14-dev
  libeigen3-dev libboost-math-dev libboost-dev librandom123-dev
  nlohmann-json3-dev libcli11-dev doctest-dev libbenchmark-dev
  pybind11-dev python3-dev python3-numpy python3-pandas python3-matplotlib python3-scipy
  python3-pytest python3-tqdm python3-dask python3-distributed python3-hypothesis
  python3-nbclient python3-nbformat python3-ipykernel
  # spreadsheets of assumptions (XLSX from Python), pip install into a venv
  python3-openpyxl python3-venv python3-setuptools python3-wheel
  # the HTML report's browser test
  chromium
  # API reference: C++ (Doxygen) and Python (Sphinx, numpydoc)
  doxygen python3-sphinx python3-numpydoc
  # the peer of the benchmark command (bench/run); its quick mode runs in CI
  python3-openturns
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
