#!/bin/sh
# `make bench`: runs every tests/bench/bench_*.sh in turn (each installs its
# own peers, builds its data under tests/bench/data/ and prints its ratios).
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
export LECTOR_BIN="$root/$build/lector" LECTOR_BUILD="$root/$build"
status=0
for b in "$root"/tests/bench/bench_*.sh; do
  [ -f "$b" ] || continue
  echo "== $(basename "$b")"
  sh "$b" || { echo "bench failed: $b"; status=1; }
done
exit $status
