#!/bin/sh
# Wall-clock time of `offroi run` on the built-in default scenario, from process start to
# printed report (target: under 1 s for 1e6 trials on 2 cores). hyperfine is not installed:
# this runs the command REPEATS times and prints each time and the median.
#   usage: bench/cli/time_run.sh <path to offroi> [trials] [repeats] [extra flags...]
set -eu
exe=${1:?usage: time_run.sh <path to offroi> [trials] [repeats] [extra flags...]}
trials=${2:-1000000}
repeats=${3:-5}
shift; [ $# -gt 0 ] && shift; [ $# -gt 0 ] && shift
echo "offroi run --trials $trials $* (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
times=""
i=0
while [ "$i" -lt "$repeats" ]; do
  start=$(date +%s.%N)
  "$exe" run --trials "$trials" "$@" > /dev/null
  end=$(date +%s.%N)
  t=$(echo "$end - $start" | bc -l)
  printf '  run %d: %.3f s\n' "$((i + 1))" "$t"
  times="$times $t"
  i=$((i + 1))
done
printf '%s\n' $times | sort -n | awk '{a[NR]=$1} END {printf "  median %.3f s, min %.3f s over %d runs\n", a[int((NR+1)/2)], a[1], NR}'
