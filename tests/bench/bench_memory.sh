#!/bin/sh
# Memory stays flat while streaming: 1 GB of news-like text (one document
# per line) goes through lector.tokenize, then tokenize + gazetteer matching
# (examples/gazetteer.tsv), and a slice through tokenize + the store, and /usr/bin/time -v prints the peak
# RSS. The same run over 1/16 of the data shows the difference: a flat
# profile has nearly the same peak for 64 MB and for 1 GB; what grows is
# the process-wide intern table (one entry per distinct word form).
#
# Input: built by the bench itself, the same in any clone (issue 24): the
# news-sized documents of the distinct-text corpus (corpus.sh,
# bench_distinct_corpus news) less the seed articles of ../shared, which a
# clone may not have, cycled to size, one document a line.
#
# Env: LECTOR_BIN (default build/lector), BENCH_MEMORY_MB (default 1024),
# BENCH_MEMORY_STORE_MB (default 128: the store also keeps an FTS5 index,
# so it gets a smaller slice; 0 skips it).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
lector=${LECTOR_BIN:-$root/build/lector}
mb=${BENCH_MEMORY_MB:-1024}
store_mb=${BENCH_MEMORY_STORE_MB:-128}
data=$root/tests/bench/data
mkdir -p "$data"
[ -x /usr/bin/time ] || { echo "bench_memory: /usr/bin/time missing (apt-get install time)"; exit 1; }

# One document per line, from the corpus's news-sized documents (not the
# seed articles, so the input is the same with and without ../shared);
# every line gets an id and a few numbers of its own, so the vocabulary
# keeps growing as in a real corpus.
# shellcheck source=tests/bench/corpus.sh
. "$root/tests/bench/corpus.sh"
news=$(bench_distinct_corpus news) || exit 1
gen() { # MB FILE
  /usr/bin/python3 - "$1" "$2" "$news" <<'PY'
import json, random, sys
mb, out, news = int(sys.argv[1]), sys.argv[2], sys.argv[3]
texts = []
with open(news, encoding="utf-8") as f:
    for line in f:
        doc = json.loads(line)
        if not doc["uri"].startswith("seed/"):
            texts.append(" ".join(doc["text"].split()))
rnd = random.Random(1)
target, n, i = mb * 1024 * 1024, 0, 0
with open(out, "w", encoding="utf-8") as f:
    while n < target:
        t = texts[i % len(texts)]
        line = "Document %d (ref %d-%d): %s\n" % (i, rnd.randrange(10**6), rnd.randrange(10**4), t)
        f.write(line)
        n += len(line.encode("utf-8"))
        i += 1
PY
}

big=$data/memory_distinct_${mb}mb.txt
small=$data/memory_distinct_$((mb / 16))mb.txt
[ -f "$big" ] || { echo "generating $big"; gen "$mb" "$big"; }
[ -f "$small" ] || gen $((mb / 16)) "$small"

# The streaming script: reads one line (document) at a time.
script=$data/memory_stream.lua
cat > "$script" <<'LUA'
local path, db_path, gaz_path = arg[1], arg[2], arg[3]
local lector = require "lector"
local docs, toks, bytes, hits = 0, 0, 0, 0
if db_path == "" then db_path = nil end
local db = db_path and lector.store.open(db_path)
local gaz = gaz_path and lector.gazetteer.load(gaz_path)
local lines = io.lines(path)
-- One batch of documents: tokenized, and stored in one transaction.
local function batch()
  for _ = 1, 1000 do
    local line = lines()
    if not line then return false end
    local t = lector.tokenize(line)
    docs, toks, bytes = docs + 1, toks + #t, bytes + #line
    if gaz then for _ in gaz:matches(t) do hits = hits + 1 end end
    if db then db:add { uri = "doc:" .. docs, text = line } end
  end
  return true
end
while true do
  local more
  if db then more = db:transaction(batch) else more = batch() end
  if not more then break end
end
if db then db:close() end
io.write(string.format("%d documents, %d tokens, %.0f MB%s%s", docs, toks, bytes / 1048576,
  gaz and string.format(", %d gazetteer matches", hits) or "",
  db and ", all stored" or ""), "\n")
LUA

measure() { # LABEL ARGS...
  label=$1; shift
  /usr/bin/time -v "$lector" "$script" "$@" > "$data/memory.out" 2> "$data/memory.time" || {
    echo "$label: failed"; tail -5 "$data/memory.time"; return 1; }
  rss=$(sed -nE 's/.*Maximum resident set size \(kbytes\): ([0-9]+)/\1/p' "$data/memory.time")
  secs=$(sed -nE 's/.*Elapsed \(wall clock\) time.*: (.*)/\1/p' "$data/memory.time")
  printf '%-34s peak RSS %6d MB  %8s  (%s)\n' "$label" $((rss / 1024)) "$secs" "$(cat "$data/memory.out")"
}

echo "machine: $(nproc) cores, $(lscpu | sed -nE 's/^Model name: *//p'), $(date -u +%F)"
echo "input: $(basename "$news") less the seed articles, one document a line, cycled to size ($(md5sum < "$big" | cut -c1-12) for $mb MB)"
measure "tokenize $((mb / 16)) MB" "$small"
measure "tokenize $mb MB" "$big"
if "$lector" -e 'assert(lector.gazetteer.load)' 2>/dev/null; then
  gaz=$root/examples/gazetteer.tsv
  measure "tokenize+match $((mb / 16)) MB" "$small" "" "$gaz"
  measure "tokenize+match $mb MB" "$big" "" "$gaz"
fi
if [ "$store_mb" -gt 0 ] && "$lector" -e 'assert(lector.store.open)' 2>/dev/null; then
  slice=$data/memory_distinct_${store_mb}mb.txt
  [ -f "$slice" ] || gen "$store_mb" "$slice"
  eighth=$data/memory_distinct_$((store_mb / 8))mb.txt
  [ -f "$eighth" ] || gen $((store_mb / 8)) "$eighth"
  rm -f "$data/memory.db"*
  measure "tokenize+store $((store_mb / 8)) MB" "$eighth" "$data/memory.db"
  rm -f "$data/memory.db"*
  measure "tokenize+store $store_mb MB" "$slice" "$data/memory.db"
  rm -f "$data/memory.db"*
fi
