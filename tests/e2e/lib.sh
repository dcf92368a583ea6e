# Shared helpers for the end-to-end tests, sourced by tests/e2e/run.sh.
# Each test file is a plain sh script of cases: run a command with `run`,
# then assert on $RC, $OUT (stdout) and $ERR (stderr). Every expect_* is
# one counted case with an id.

PASSED=0 FAILED=0 SKIPPED=0

pass() { PASSED=$((PASSED + 1)); }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $1: $2"; }
skip() { SKIPPED=$((SKIPPED + 1)); echo "SKIP $1: $2"; }

# run CMD...: runs it with stdin from /dev/null, capturing stdout, stderr, rc.
run() {
  "$@" >"$E2E_TMP/out" 2>"$E2E_TMP/err" </dev/null
  RC=$?
  OUT=$(cat "$E2E_TMP/out")
  ERR=$(cat "$E2E_TMP/err")
}

# run_in INPUT CMD...: like run, with INPUT on stdin.
run_in() {
  input=$1; shift
  printf '%s' "$input" | "$@" >"$E2E_TMP/out" 2>"$E2E_TMP/err"
  RC=$?
  OUT=$(cat "$E2E_TMP/out")
  ERR=$(cat "$E2E_TMP/err")
}

expect_rc() { # id want
  if [ "$RC" = "$2" ]; then pass; else fail "$1" "exit $RC, want $2; stderr: $(echo "$ERR" | head -5)"; fi
}
expect_out() { # id exact-stdout
  if [ "$OUT" = "$2" ]; then pass; else fail "$1" "stdout [$OUT], want [$2]"; fi
}
expect_out_has() { # id fixed-string
  case "$OUT" in *"$2"*) pass ;; *) fail "$1" "stdout lacks [$2]: [$(echo "$OUT" | head -20)]" ;; esac
}
expect_out_lacks() {
  case "$OUT" in *"$2"*) fail "$1" "stdout has [$2]" ;; *) pass ;; esac
}
expect_err_has() {
  case "$ERR" in *"$2"*) pass ;; *) fail "$1" "stderr lacks [$2]: [$(echo "$ERR" | head -20)]" ;; esac
}
expect_err_lacks() {
  case "$ERR" in *"$2"*) fail "$1" "stderr has [$2]" ;; *) pass ;; esac
}
expect_err_empty() {
  if [ -z "$ERR" ]; then pass; else fail "$1" "stderr not empty: [$(echo "$ERR" | head -5)]"; fi
}
expect_eq() { # id got want
  if [ "$2" = "$3" ]; then pass; else fail "$1" "got [$2], want [$3]"; fi
}
expect_true() { # id description command...
  id=$1; what=$2; shift 2
  if "$@"; then pass; else fail "$id" "$what"; fi
}

# skip_all WHY ID...: one skip for each case a missing prerequisite hides.
skip_all() {
  why=$1; shift
  for id in "$@"; do skip "$id" "$why"; done
}

# The seed corpus outside the repository, or empty when this clone has none.
shared_corpus() {
  d="${LECTOR_SHARED:-$E2E_ROOT/../shared}/corpus/news"
  [ -f "$d/000_edbceb3384c84068.txt" ] && echo "$d"
}
