#!/bin/sh
# The text benchmark (issues 3 and 24): lector's tokenizer and sentence
# splitter against peers on the same bytes, single core.
#
# Corpus: the distinct-text corpus (corpus.sh, bench_distinct_corpus:
# about 35 MB of real text in which no paragraph repeats; TEXT_MB
# megabytes of it when set), documents split at "\n\f\n". Every tool runs
# in a fresh process and times its own first pass over the whole corpus
# (process CPU time; reading the file is not timed): the headline figure,
# "cold", is that first pass, for lector (whose per-surface cache is empty
# then) and for every peer alike. The whole round of fresh processes runs
# REPEAT times (default 5), tools taking turns, and each figure is the
# median of its REPEAT runs (five, not three: on this VM a process's first
# touch of fresh huge pages now and then costs it 0.1-0.2 s of system
# time, tests/bench/RESULTS.md, text, "Fifth round"; a median of three
# lands on such a run far more often). lector, the raw u8_wordbreaks pass and ICU4C
# also time a second pass over the same text in the same process: the
# "warm" column (lector's cache full). The table ends with each row's cold
# speed relative to "lector kinds+norm" (tokens, kinds and the norm id of
# every token, from Lua, with a loop reading them through toks:array(),
# the fastest way the README documents; "each()" reads them through
# toks:each()'s views) and the issue's ratios. The sentences row reads
# them through toks:sentence_view() (README: the structs, no copy); the
# splitter's time alone comes from a run of its own ("split"), as the
# clock reads around every call would
# weigh on the sentences row. "no token loop" makes the same tokens and
# sentences but reads only the sentences, as ICU4C's sentence loop reads
# only its boundaries (the C rows read no token either).
#
# Environment: LECTOR_BIN, LECTOR_BUILD (set by make bench), REPEAT (5),
# TEXT_MB (all of the corpus).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
bench=$root/tests/bench
data=$bench/data
build=${LECTOR_BUILD:-$root/build}
lector=${LECTOR_BIN:-$build/lector}
repeat=${REPEAT:-5}
text_mb=${TEXT_MB:-}
mkdir -p "$data/bin"
# shellcheck source=tests/bench/corpus.sh
. "$bench/corpus.sh"

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
if [ ! -d "$bench/node_modules/wink-nlp" ] ||
   [ ! -d "$bench/node_modules/wink-eng-lite-web-model" ]; then
  # every bench's npm peers at once (package.json): installing only
  # these would remove bench_match's
  (cd "$bench" && npm install --no-package-lock --no-audit --no-fund \
     --prefix . >&2)
fi

# ---- data ---------------------------------------------------------------
corpus=$(bench_distinct_corpus text ${text_mb:+"$text_mb"})

# ---- drivers ------------------------------------------------------------
cc=${CC:-cc}
$cc -O2 -I"$root/include" -o "$data/bin/text_lector" "$bench/text_lector.c" \
  "$build/liblector.a" -lunistring -lsqlite3 -lm
$cc -O2 -shared -fPIC -o "$data/bin/text_u8wb.so" "$bench/text_u8wb.c" -lunistring
# shellcheck disable=SC2046 # pkg-config prints several words
$cc -O2 -o "$data/bin/text_icu" "$bench/text_icu.c" $(pkg-config --cflags --libs icu-uc icu-i18n)

pin=""
command -v taskset >/dev/null && pin="taskset -c 0"
rows=$data/text_rows.txt
: > "$rows"

# wc -w has no inner timer: the wall time of the whole command
wc_w() {
  t0=$(date +%s.%N)
  words=$(LC_ALL=C.UTF-8 $pin wc -w < "$corpus")
  t1=$(date +%s.%N)
  printf 'wc -w\t%s\t%s\ttokens\t%s\t-\n' "$(wc -c < "$corpus")" "$words" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')"
}

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'), single core${pin:+ (taskset -c 0)}"
echo "# corpus: $(basename "$corpus"), $(wc -c < "$corpus") bytes ($(cat "$data/distinct.info"))"
echo "# every tool: a fresh process, its first pass over the corpus (cold) and, where shown, a second (warm); median of $repeat rounds; load average before: $(cut -d" " -f1-3 /proc/loadavg)"
for _ in $(seq "$repeat"); do
  for m in kinds norm each call sentences sentonly split raw; do
    $pin "$lector" "$bench/bench_text.lua" "$corpus" "$m" "$data/bin/text_u8wb.so" >> "$rows"
  done
  for m in 0 1 2 3; do $pin "$data/bin/text_lector" "$corpus" "$m" >> "$rows"; done
  $pin "$data/bin/text_icu" "$corpus" word >> "$rows"
  $pin "$data/bin/text_icu" "$corpus" sentence >> "$rows"
  (cd "$bench" && $pin /usr/bin/python3 text_pyicu.py "$corpus" 0) >> "$rows"
  (cd "$bench" && $pin /usr/bin/python3 text_nltk.py "$corpus" 0 wordpunct) >> "$rows"
  (cd "$bench" && $pin /usr/bin/python3 text_nltk.py "$corpus" 0 treebank) >> "$rows"
  NODE_PATH="$bench/node_modules" $pin node "$bench/text_wink.js" "$corpus" 0 >> "$rows"
  wc_w >> "$rows"
done
echo "# load average after: $(cut -d" " -f1-3 /proc/loadavg)"

# Each row's median cold and warm seconds, in the order rows first came;
# then speeds, ratios to lector kinds+norm (cold), and the issue's ratios.
awk -F '\t' '
  function median(s,   a, n, i, j, t) {
    n = split(substr(s, 2), a, " ")
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  { if (!($1 in bytes)) order[++n] = $1
    bytes[$1] = $2; count[$1] = $3; unit[$1] = $4; cold[$1] = cold[$1] " " $5
    if ($6 != "-") warm[$1] = warm[$1] " " $6 }
  END {
    for (i = 1; i <= n; i++) { k = order[i]; c[k] = median(cold[k]); if (k in warm) w[k] = median(warm[k]) }
    printf "%-30s %10s %16s %10s %12s\n", "", "cold MB/s", "cold per s", "warm MB/s", "cold s, by run"
    for (i = 1; i <= n; i++) {
      k = order[i]
      printf "%-30s %10.1f %12.0f %-9s %10s %s\n", k, bytes[k] / c[k] / 1e6, count[k] / c[k], unit[k],
        (k in w) ? sprintf("%.1f", bytes[k] / w[k] / 1e6) : "-", cold[k]
    }
    base = "lector kinds+norm"
    print ""
    print "cold, relative to lector kinds+norm (from Lua, first pass):"
    for (i = 1; i <= n; i++) {
      k = order[i]
      if (unit[k] == "tokens") printf "  %-30s %8.1f MB/s   lector is %6.2fx\n", k, bytes[k] / c[k] / 1e6, c[k] / c[base]
    }
    raw = "u8_wordbreaks + kinds (C)"; icu = "ICU4C word BreakIterator"; isent = "ICU4C sentence BreakIterator"
    print ""
    print "the issue'"'"'s ratios, cold (first pass in a fresh process), and warm:"
    printf "  tokens+kinds+norm vs raw u8_wordbreaks+kinds, from Lua with the loop  %6.2fx  (warm %.2fx; target 2x)\n", c[raw] / c[base], w[raw] / w[base]
    printf "  the same, the loop through toks:each() instead                       %6.2fx  (warm %.2fx)\n", c[raw] / c["lector kinds+norm, each()"], w[raw] / w["lector kinds+norm, each()"]
    printf "  the same, the tokenize call alone from Lua                           %6.2fx  (warm %.2fx)\n", c[raw] / c["lector kinds+norm, no loop"], w[raw] / w["lector kinds+norm, no loop"]
    printf "  the same, from C                                                     %6.2fx  (warm %.2fx)\n", c[raw] / c["lector C kinds+norm"], w[raw] / w["lector C kinds+norm"]
    printf "  tokens+kinds+norm vs ICU4C word BreakIterator, from Lua               %6.2fx  (warm %.2fx; target 3x)\n", c[icu] / c[base], w[icu] / w[base]
    printf "  the same, from C                                                     %6.2fx  (warm %.2fx)\n", c[icu] / c["lector C kinds+norm"], w[icu] / w["lector C kinds+norm"]
    printf "  tokens+norm+sentences vs ICU4C sentence BreakIterator, from Lua       %6.2fx  (warm %.2fx; target 1x)\n", c[isent] / c["lector kinds+norm+sentences"], w[isent] / w["lector kinds+norm+sentences"]
    printf "  the same, the loop reading only the sentences                        %6.2fx  (warm %.2fx)\n", c[isent] / c["lector +sentences, no loop"], w[isent] / w["lector +sentences, no loop"]
    printf "  the same, from C                                                     %6.2fx  (warm %.2fx)\n", c[isent] / c["lector C kinds+norm+sentences"], w[isent] / w["lector C kinds+norm+sentences"]
    printf "  tokens+kinds+norm vs NLTK wordpunct_tokenize, from Lua               %6.2fx\n", c["NLTK wordpunct_tokenize"] / c[base]
  }
' "$rows"
