#!/bin/bash
# Instructions per request of Tripod's request path, accepted and refused, counted by valgrind (callgrind):
# a figure the machine's other load cannot move, where request-path.ts's CPU µs swing with it. Runs
# request-path-run.ts with N=0 and N=3000 after the same warm-up and divides the difference by 3000. V8
# runs single-threaded with a predictable GC schedule, so that compilation and collection on background
# threads do not land in one count and not the other. Takes a few minutes per case.
#
#   bench/micro/request-path-instructions.sh [accepted|wrong-signature|unknown-consumer|replayed-nonce ...]
set -euo pipefail
here=$(dirname "$0")
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null --smc-check=all-non-file \
    node --single-threaded --predictable-gc-schedule "$here/request-path-run.ts" "$1" "$2" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
for kind in "${@:-accepted wrong-signature unknown-consumer replayed-nonce}"; do
  for k in $kind; do
    before=$(count "$k" 0)
    after=$(count "$k" 3000)
    echo "$k: $(((after - before) / 3000)) instructions per request"
  done
done
