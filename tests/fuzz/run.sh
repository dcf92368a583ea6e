#!/bin/sh
# `make fuzz`: builds and runs every libFuzzer target for $1 seconds each.
set -u
secs=${1:-60}
root=$(cd "$(dirname "$0")/../.." && pwd)
status=0
for t in "$root"/tests/fuzz/fuzz_*.c; do
  [ -f "$t" ] || continue
  sh "$root/tests/fuzz/one.sh" "$t" "$secs" || status=1
done
exit $status
