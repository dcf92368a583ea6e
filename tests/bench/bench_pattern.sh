#!/bin/sh
# bench_pattern: the token-pattern matcher on the patterns of issue 16
# (bench_pattern.lua), one core. Env: LECTOR_BIN, BENCH_CPU (default 1;
# empty: no pinning), BENCH_TOKENS (default 50000), BENCH_ROUNDS (default 3).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
LECTOR=${LECTOR_BIN:-$root/build/lector}
cpu=${BENCH_CPU-1}
pin=""
[ -n "$cpu" ] && command -v taskset >/dev/null && pin="taskset -c $cpu"
# shellcheck disable=SC2086
$pin "$LECTOR" "$here/bench_pattern.lua" "${BENCH_TOKENS:-50000}" \
  "${BENCH_ROUNDS:-3}"
