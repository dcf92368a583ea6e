#!/bin/sh
# bench_fuzzy: the fuzzy (transliteration-aware) matcher's time beside the
# exact one (issue 23), on the example gazetteer with fuzzy keys on every
# entry, over the bench corpus when bench_match.sh has built it
# (data/corpus.txt), else over the seed articles and the examples repeated
# to about BENCH_FUZZY_MB megabytes (default 20).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${LECTOR_BUILD:-$root/build}
LECTOR=${LECTOR_BIN:-$build/lector}
mb=${BENCH_FUZZY_MB:-20}
corpus=$here/data/corpus.txt
if [ ! -s "$corpus" ]; then
  mkdir -p "$here/data"
  corpus=$here/data/fuzzy_corpus.txt
  if [ ! -s "$corpus" ]; then
    src=$(ls "$root"/examples/corpus/*.txt "$root"/../shared/corpus/news/*.txt 2>/dev/null)
    : > "$corpus"
    while [ "$(wc -c < "$corpus")" -lt $((mb * 1000000)) ]; do
      for f in $src; do cat "$f"; printf '\n\f\n'; done >> "$corpus"
    done
  fi
fi
cd "$root" && "$LECTOR" run "$here/bench_fuzzy.lua" "$root/examples/gazetteer.tsv" "$corpus" "${BENCH_ROUNDS:-3}"
# Accuracy on the seed articles respelled the ways outlets spell names.
if [ -d "$root/../shared/corpus/news" ]; then
  "$LECTOR" run "$here/eval_fuzzy.lua" "$root/examples/gazetteer.tsv" "$root/../shared/corpus/news" | head -12
fi
