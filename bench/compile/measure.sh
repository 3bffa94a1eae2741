#!/bin/sh
# What a consumer pays to compile against offroi: CPU seconds (user + sys) and peak memory
# (/usr/bin/time -v) of one `g++ -c`, plus the preprocessed size and the number of Boost
# headers read, for every consumer in bench/compile/*.cpp at -O0 and -O2, in both modes:
#   compiled     -DOFFROI_COMPILED_LIB, as the CMake target offroi::offroi compiles it
#   header-only  no define, as offroi::header_only (or a bare include path) compiles it
# Usage, from anywhere: bench/compile/measure.sh [extra compiler flags...]
# Results are in bench/compile/README.md. CXX selects the compiler (default g++).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cxx=${CXX:-g++}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%-12s %-18s %-4s %8s %9s %10s %6s\n' mode consumer opt cpu_s peak_MB pp_lines boost
for mode in compiled header-only; do
  if [ "$mode" = compiled ]; then def=-DOFFROI_COMPILED_LIB; else def=; fi
  flags="-std=c++20 -I$root/include -isystem /usr/include/eigen3 $def $*"
  for src in "$here"/*.cpp; do
    name=$(basename "$src" .cpp)
    lines=$($cxx $flags -E "$src" | wc -l)
    boost=$($cxx $flags -M "$src" | tr ' ' '\n' | grep -c '/boost/' || true)
    for opt in -O0 -O2; do
      /usr/bin/time -v $cxx $flags $opt -c "$src" -o "$tmp/$name.o" 2>"$tmp/time" >/dev/null
      cpu=$(awk -F': ' '/User time/{u=$2} /System time/{s=$2} END{printf "%.1f", u+s}' "$tmp/time")
      mb=$(awk -F': ' '/Maximum resident/{printf "%.0f", $2/1024}' "$tmp/time")
      printf '%-12s %-18s %-4s %8s %9s %10s %6s\n' "$mode" "$name" "$opt" "$cpu" "$mb" "$lines" "$boost"
    done
  done
done
