#!/bin/bash
# Instructions per verification, counted by valgrind (callgrind), for a figure the machine's other load
# cannot move: runs core-verification-run.ts with N=0 and N=20000 after the same warm-up, and divides the
# difference by 20000. V8 runs single-threaded with a predictable GC schedule, so that compilation and
# collection on background threads do not land in one count and not the other. Takes a minute or two.
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
before=$(count 0)
after=$(count 20000)
echo "$root $which $verb: $(((after - before) / 20000)) instructions per call"
