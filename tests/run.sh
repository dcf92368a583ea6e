#!/bin/sh
# Runs every test suite — C unit tests, Lua specs, end-to-end CLI tests —
# and closes with one line summing them: "N passed, N failed, N skipped".
# Usage: tests/run.sh BUILD_DIR   (as `make test` calls it)
set -u
build=${1:-build}
export LECTOR_BUILD_DIR="$build" LECTOR_SANITIZER="${2:-}"
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
export LECTOR_BIN="$root/$build/lector"
# Sanitized builds: find leaks, stop on the first error, keep reports readable.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
if [ -f "$root/tests/fuzz/lsan.supp" ]; then
  export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/fuzz/lsan.supp:print_suppressions=0}
fi

passed=0 failed=0 skipped=0 broken=""
# Adds up a runner's closing line; a runner that dies without one is a failure.
tally() { # name logfile exitcode
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$2" | tail -n 1)
  if [ -z "$line" ]; then
    failed=$((failed + 1)); broken="$broken $1"
    echo "FAIL $1: no summary line (exit $3)"; tail -n 20 "$2"; return
  fi
  p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
  f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
  s=$(echo "$line" | sed -nE 's/.* ([0-9]+) skipped.*/\1/p')
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + ${s:-0}))
  if [ "$3" != 0 ] && [ "$f" = 0 ]; then
    failed=$((failed + 1)); broken="$broken $1"; echo "FAIL $1: exit $3 with no failed case"
  fi
}

run_suite() { # name command...
  name=$1; shift
  out="$log/$(echo "$name" | tr '/ ' '__').log"
  "$@" >"$out" 2>&1
  rc=$?
  grep -E '^(FAIL|SKIP)|ERROR: (Address|Leak)Sanitizer|runtime error:' "$out" | sed "s|^|  [$name] |"
  tally "$name" "$out" "$rc"
  printf '%-40s %s\n' "$name" "$(grep -E '^[0-9]+ passed' "$out" | tail -n 1)"
}

echo "== C unit tests"
for t in "$build"/tests/test_*; do
  case "$t" in *.d) continue ;; esac
  [ -x "$t" ] || continue
  run_suite "c/$(basename "$t")" "$t"
done
echo "== Lua specs"
run_suite "spec" "$LECTOR_BIN" tests/spec/run.lua tests/spec
echo "== end-to-end"
run_suite "e2e" sh tests/e2e/run.sh
echo
[ -n "$broken" ] && echo "suites that broke:$broken"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
