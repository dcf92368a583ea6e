#!/bin/sh
# Builds one libFuzzer target against the core sources and runs it.
# Usage: tests/fuzz/one.sh tests/fuzz/fuzz_NAME.c [SECONDS]   (default 60)
#
# The target is compiled with clang -fsanitize=fuzzer,address,undefined
# together with every core/*.c (the library; the host binary's files are
# in core/host/). A target whose source contains the marker
# LECTOR_FUZZ_NEEDS_LUAJIT also links LuaJIT with -rdynamic, so that the
# FFI inside the embedded state sees the core's symbols.
#
# Seeds: ../shared/corpus/news/ (when present), tests/data/, and the
# target's own tests/fuzz/seeds/NAME/ and tests/fuzz/regress/NAME/. The
# working corpus grows in build-fuzz/NAME/corpus and is kept between runs.
# Crashes, leaks, timeouts and invariant failures are copied into
# tests/fuzz/regress/NAME/ — commit them: tests/c/test_regress.c replays
# every file there in `make test`.
#
# The last line is a summary: target, seconds, exec/s, coverage, corpus
# size, findings. Exit status 1 when the target found something.
set -u
target=${1:?usage: one.sh tests/fuzz/fuzz_NAME.c [SECONDS]}
secs=${2:-60}
root=$(cd "$(dirname "$0")/../.." && pwd)
target=$(cd "$(dirname "$target")" && pwd)/$(basename "$target")
name=$(basename "$target" .c)
short=${name#fuzz_}
work=$root/build-fuzz/$name
mkdir -p "$work/corpus" "$work/artifacts"
cd "$root" || exit 1

CC=${FUZZ_CC:-clang}
if ! command -v "$CC" >/dev/null; then
  echo "one.sh: $CC not found (make fuzz installs clang and libclang-rt-14-dev)" >&2
  exit 1
fi

srcs=""
for f in core/*.c; do
  srcs="$srcs $f"
done
extra_cflags="" extra_libs=""
if grep -q LECTOR_FUZZ_NEEDS_LUAJIT "$target"; then
  make -s scripts/lector/cdef.lua >/dev/null || exit 1
  extra_cflags=$(pkg-config --cflags luajit 2>/dev/null || echo -I/usr/include/luajit-2.1)
  extra_libs="-rdynamic $(pkg-config --libs luajit 2>/dev/null || echo -lluajit-5.1) -ldl"
fi
sqlite_libs=$(pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3)
xml_cflags=$(pkg-config --cflags libxml-2.0 2>/dev/null || echo -I/usr/include/libxml2)
xml_libs=$(pkg-config --libs libxml-2.0 2>/dev/null || echo -lxml2)

bin=$work/$name
# Rebuild only when a source is newer than the binary.
need=1
if [ -x "$bin" ]; then
  need=0
  for f in $srcs "$target" include/lector.h tests/fuzz/*.h; do
    [ "$f" -nt "$bin" ] && need=1 && break
  done
fi
if [ $need = 1 ]; then
  echo "one.sh: building $name" >&2
  # shellcheck disable=SC2086
  $CC -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -Iinclude -Itests/fuzz $extra_cflags $xml_cflags -DLECTOR_FUZZ_ROOT="\"$root\"" \
    -o "$bin" "$target" $srcs $extra_libs $sqlite_libs $xml_libs -lunistring -lm ||
    { echo "one.sh: build of $name failed" >&2; exit 1; }
fi

seeds=""
shared=${LECTOR_SHARED:-$root/../shared}/corpus/news
[ -d "$shared" ] && seeds="$seeds $shared"
for d in tests/data "tests/fuzz/seeds/$short" "tests/fuzz/regress/$short"; do
  [ -d "$d" ] && [ -n "$(ls -A "$d" 2>/dev/null)" ] && seeds="$seeds $d"
done

log=$work/last.log
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/fuzz/lsan.supp:print_suppressions=0}
export LECTOR_FUZZ_ROOT=$root
dict=""
[ -f "tests/fuzz/$short.dict" ] && dict="-dict=tests/fuzz/$short.dict"
# shellcheck disable=SC2086
"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
  -max_len="${FUZZ_MAX_LEN:-16384}" -print_final_stats=1 $dict \
  -artifact_prefix="$work/artifacts/" "$work/corpus" $seeds >"$log" 2>&1
rc=$?

found=0
for a in "$work/artifacts"/*; do
  [ -f "$a" ] || continue
  mkdir -p "tests/fuzz/regress/$short"
  base=$(basename "$a")
  cp "$a" "tests/fuzz/regress/$short/$base"
  rm -f "$a"
  found=$((found + 1))
  echo "one.sh: $name: finding kept as tests/fuzz/regress/$short/$base" >&2
done
if [ $rc != 0 ] || [ $found != 0 ]; then
  grep -E 'ERROR|SUMMARY|INVARIANT|runtime error' "$log" | head -n 10 >&2
fi

execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log" | tail -n 1)
eps=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+)/\1/p' "$log" | tail -n 1)
cov=$(grep -E '^#[0-9]+' "$log" | grep -oE 'cov: [0-9]+' | tail -n 1 | cut -d' ' -f2)
ft=$(grep -E '^#[0-9]+' "$log" | grep -oE 'ft: [0-9]+' | tail -n 1 | cut -d' ' -f2)
corp=$(ls "$work/corpus" | wc -l)
printf '%s: %ss, %s execs, %s exec/s, cov %s, ft %s, corpus %s, findings %s (rc %s)\n' \
  "$name" "$secs" "${execs:-?}" "${eps:-?}" "${cov:-?}" "${ft:-?}" "$corp" "$found" "$rc"
[ $rc = 0 ] && [ $found = 0 ]
