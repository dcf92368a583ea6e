#!/bin/sh
# Runs every tests/e2e/*_test.sh (or the ones named: tests/e2e/run.sh
# FILE...) against $LECTOR_BIN (default build/lector) and prints the
# closing "N passed, N failed, N skipped" line.
E2E_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LECTOR=${LECTOR_BIN:-$E2E_ROOT/build/lector}
export E2E_ROOT LECTOR
total_p=0 total_f=0 total_s=0
[ $# -gt 0 ] || set -- "$E2E_ROOT"/tests/e2e/*_test.sh
for t in "$@"; do
  case "$t" in /*) ;; *) t="$(pwd)/$t" ;; esac
  E2E_TMP=$(mktemp -d)
  export E2E_TMP
  res=$( cd "$E2E_TMP" && . "$E2E_ROOT/tests/e2e/lib.sh" && . "$t"; echo "TALLY $PASSED $FAILED $SKIPPED" )
  echo "$res" | grep -av '^TALLY'
  set -- $(echo "$res" | grep -a '^TALLY' | tail -n 1)
  if [ "$1" != TALLY ]; then total_f=$((total_f + 1)); echo "FAIL $t: died"; set -- TALLY 0 0 0; fi
  total_p=$((total_p + $2)); total_f=$((total_f + $3)); total_s=$((total_s + $4))
  printf '%-40s %s passed, %s failed, %s skipped\n' "$(basename "$t")" "$2" "$3" "$4"
  chmod -R u+rwx "$E2E_TMP" 2>/dev/null; rm -rf "$E2E_TMP"
done
echo "$total_p passed, $total_f failed, $total_s skipped"
[ "$total_f" = 0 ]
