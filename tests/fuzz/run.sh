#!/usr/bin/env bash
# Fuzzes the scenario loader and validator (tests/fuzz/scenario_fuzz.cpp) with libFuzzer,
# ASan and UBSan (clang 14; Debian clang + libclang-rt-14-dev, installed by scripts/setup.sh).
#
# Usage: tests/fuzz/run.sh [seconds]     fuzz for `seconds` (default 60; OFFROI_FUZZ_SECONDS)
#        tests/fuzz/run.sh --replay      run every kept and seed input once (fast)
#        tests/fuzz/run.sh --merge [s]   fuzz, then add the inputs that cover new code to
#                                        tests/fuzz/corpus (commit them)
# Exits non-zero on any crash, hang (an input taking over 10 s), leak, out-of-memory (an
# input using over 2 GB) or sanitizer report; libFuzzer writes the input to
# build/fuzz/artifacts/ (crash-*, timeout-*, leak-*, oom-*). Reproduce one with
#   build/fuzz/tests/fuzz_scenario build/fuzz/artifacts/crash-<sha1>
# Environment: OFFROI_FUZZ_SEED (default 1) makes a CI run repeatable; OFFROI_FUZZ_BUILD_DIR (build/fuzz).
set -euo pipefail
cd "$(dirname "$0")/../.."

mode=fuzz
if [ "${1:-}" = "--replay" ]; then mode=replay; shift; fi
if [ "${1:-}" = "--merge" ]; then mode=merge; shift; fi
seconds="${1:-${OFFROI_FUZZ_SECONDS:-60}}"
build="${OFFROI_FUZZ_BUILD_DIR:-build/fuzz}"
seeds=(tests/fuzz/corpus bench/scenarios tests/io/data tests/cli/data)

# Only the fuzz target is built: -O2 -g, ASan + UBSan (every report fatal), assertions on.
sanitize="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O2 -g" \
    "-DCMAKE_CXX_FLAGS=$sanitize" -DOFFROI_BUILD_TESTS=ON -DOFFROI_BUILD_FUZZ=ON \
    -DOFFROI_BUILD_BENCH=OFF -DOFFROI_BUILD_PYTHON=OFF -DOFFROI_BUILD_CLI=OFF -DOFFROI_INSTALL=OFF >/dev/null
fi
cmake --build "$build" --target fuzz_scenario -j2
fuzzer="$build/tests/fuzz_scenario"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
common=(-timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 -detect_leaks=1 -max_len=16384
        -dict=tests/fuzz/scenario.dict -print_final_stats=1)

if [ "$mode" = replay ]; then
  # libFuzzer runs each file given once and exits (a finding makes it exit non-zero).
  files=()
  for d in "${seeds[@]}"; do
    while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$d" -type f -print0 | sort -z)
  done
  echo "fuzz: replaying ${#files[@]} inputs"
  exec "$fuzzer" "${common[@]}" -runs=1 "${files[@]}"
fi

artifacts="$build/artifacts"
work="$build/corpus"  # new inputs found by this run (the kept corpus is only read)
mkdir -p "$artifacts" "$work"
echo "fuzz: $seconds s on $fuzzer (corpus: ${seeds[*]})"
rc=0
"$fuzzer" "${common[@]}" -max_total_time="$seconds" -seed="${OFFROI_FUZZ_SEED:-1}" \
  -artifact_prefix="$artifacts/" "$work" "${seeds[@]}" || rc=$?
if [ "$rc" -ne 0 ]; then
  echo "fuzz: FAILED (exit $rc); the input is in $artifacts/:" >&2
  ls -t "$artifacts" | head -5 >&2
  exit "$rc"
fi
if [ "$mode" = merge ]; then
  "$fuzzer" "${common[@]}" -merge=1 tests/fuzz/corpus "$work"
  echo "fuzz: tests/fuzz/corpus now holds $(ls tests/fuzz/corpus | wc -l) inputs"
fi
echo "fuzz: no finding in $seconds s"
