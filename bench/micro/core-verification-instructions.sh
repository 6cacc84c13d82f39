#!/bin/bash
# Instructions per verification, counted by valgrind (callgrind), for a figure the machine's other load
# cannot move: runs core-verification-run.ts with N=20000 and N=100000 after the same warm-up, and divides
# the difference by 80000. V8 runs single-threaded with a predictable GC schedule, so that compilation and
# collection on background threads do not land in one count and not the other. Neither count is of N=0:
# the first calls of the measured loop pay one-off work (its compilation), tens of millions of instructions
# that made the per-call figure 1,600 to 13,000 too high, and by a different amount from run to run
# (BENCHMARKS.md); past 20000 calls the figure is linear (20000-100000 and 100000-180000 agree within 1 %).
# Takes two to three minutes.
#
#   bench/micro/core-verification-instructions.sh [ROOT] [floor|core|provider] [POST|GET]
set -euo pipefail
root=${1:-.}
which=${2:-core}
verb=${3:-POST}
here=$(dirname "$0")
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null --smc-check=all-non-file \
    node --single-threaded --predictable-gc-schedule "$here/core-verification-run.ts" "$root" "$which" "$1" "$verb" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
before=$(count 20000)
after=$(count 100000)
echo "$root $which $verb: $(((after - before) / 80000)) instructions per call"
