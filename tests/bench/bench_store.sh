#!/bin/sh
# The store benchmark of issue 4, lector against Python's sqlite3 module
# (Debian's /usr/bin/python3) on the same schema in the same run:
#
#  1. ingest: the bench corpus split into documents (one file each), through
#     `lector recipe ingest` (UTF-8 check, news metadata, meta annotations;
#     transactions of up to 512 documents or a quarter of a second, 64
#     documents to an INSERT) and `--raw`, against a Python
#     script that reads, checks, hashes and inserts the same files into the
#     same schema (FTS triggers included), 500 documents a transaction;
#  2. annotations: ANN (default 1,000,000) annotations through db:annotate
#     (batches of 1,000 per document, one transaction) against Python's
#     executemany of the same rows into the same schema, indexes included,
#     in one transaction. The rows (doc, layer, label, entity, start, end,
#     run) are built before the clock starts on both sides. Both then turn
#     names into ids (labels.id, entities.id, adding the 4 labels and 2,000
#     entities): lector inside db:annotate, with its cache; Python as its
#     programmer would, with two dicts loaded from those tables, then one
#     executemany of single-row INSERTs into annotation_rows, the table
#     behind the annotations view (writing through the view's trigger
#     measured about half as fast). Into a table that holds fewer rows
#     than the transaction adds, db:annotate takes its bulk path (the
#     indexes by entity and label dropped and rebuilt inside the
#     transaction; README, "The Lua API"); so a second round adds ANN2
#     (default 200,000) more rows to each store, now holding ANN, where
#     lector keeps every index up to date row by row, as Python does.
#     Python runs the first round twice, as a careful user may write it:
#     a plain indexed table (executemany, every index kept up to date) and,
#     as lector does, the indexes by label and by entity dropped before
#     the executemany and created again after it, in the transaction.
#     Target (issue 24): db:annotate >= 1.5x the best Python row.
#
# Corpus: the distinct-text corpus (corpus.sh, bench_distinct_corpus, one
# file per document); without npm or /usr/bin/python3's corpus builder, a
# generated news-like corpus of MIN_MB (default 50) MB.
# Process CPU times (user + system); prints documents/s, MB/s, annotations/s, bytes per
# annotation and lector/Python ratios. Env: LECTOR_BIN, LECTOR_BUILD, ANN,
# MIN_MB.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
bench=$root/tests/bench
data=$bench/data
build=${LECTOR_BUILD:-$root/build}
lector=${LECTOR_BIN:-$build/lector}
ann=${ANN:-1000000}
ann2=${ANN2:-200000}
min_mb=${MIN_MB:-50}
py=/usr/bin/python3
mkdir -p "$data"
command -v sqlite3 >/dev/null || { echo "bench_store: needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 1; }
[ -x "$py" ] || { echo "bench_store: needs /usr/bin/python3 (apt-get install python3)" >&2; exit 1; }

# CPU time (user + system) of a command, in seconds: two cores are shared
# here, so wall time would measure the neighbours as much as the tools.
cpu() { /usr/bin/time -f '%U %S' -o "$data/store_time" "$@" && awk '{ print $1 + $2 }' "$data/store_time"; }
rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", n / t }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# ---- the corpus, one file per document ----------------------------------
# shellcheck source=tests/bench/corpus.sh
. "$bench/corpus.sh"
corpus=$(bench_distinct_corpus text) || corpus=$data/no-corpus
docs=$data/store_docs_distinct
if [ ! -f "$docs/.done" ]; then
  rm -rf "$docs"; mkdir -p "$docs"
  "$lector" -e '
    local src, dir, min_mb = arg[1], arg[2], tonumber(arg[3])
    local f = io.open(src, "rb")
    local n, bytes = 0, 0
    local function put(text)
      n = n + 1
      bytes = bytes + #text
      local out = assert(io.open(string.format("%s/%06d.txt", dir, n), "wb"))
      out:write(text)
      out:close()
    end
    if f then
      local all = f:read("*a")
      f:close()
      for doc in (all .. "\n\f\n"):gmatch("(.-)\n\f\n") do
        if doc:find("%S") then put(doc) end
      end
    else
      -- No text corpus: news-like documents from a Zipf-ish vocabulary.
      local words = {}
      for w in ([[the of and to in a is that for on was with said by as at from his it an were
        are which this be has have had not but or its after their who they been more one new
        Syrian army forces government rebels fighters Aleppo Ḥalab Damascus Raqqa Deir ez-Zor
        al-Bab Palmyra ISIS ISIS’s Kurdish Turkish Russian airstrikes civilians killed reported
        officials according city town province offensive control siege ceasefire 5,000 dozens
        week Monday Tuesday February spokesman statement sources opposition militants convoy]])
        :gmatch("%S+") do words[#words + 1] = w end
      local seed = 42
      local function rnd(k) seed = (seed * 48271) % 2147483647; return seed % k end
      while bytes < min_mb * 1e6 do
        local parts = { "Report " .. n .. ": " .. words[rnd(40) + 41] .. " " .. words[rnd(40) + 41],
                        "By Staff Writer", "Mon, 06 Feb 2017 23:58 UTC", "" }
        for _ = 1, 8 + rnd(20) do
          local s = {}
          for w = 1, 10 + rnd(25) do
            local r = rnd(1000)
            s[w] = words[(r * r) % #words + 1]
          end
          parts[#parts + 1] = table.concat(s, " ") .. "."
        end
        put(table.concat(parts, "\n") .. "\n")
      end
    end
    io.stderr:write(string.format("bench_store: %d documents, %.1f MB\n", n, bytes / 1e6))' \
    "$corpus" "$docs" "$min_mb"
  touch "$docs/.done"
fi
ndocs=$(find "$docs" -name '*.txt' | wc -l)
mb=$(find "$docs" -name '*.txt' -print0 | du -cb --files0-from=- | tail -n 1 | awk '{ printf "%.1f", $1 / 1e6 }')
corpus_what="distinct-text corpus: $(cat "$data/distinct.info" 2>/dev/null)"
[ -f "$corpus" ] || corpus_what="generated news-like corpus"

# ---- ingest ---------------------------------------------------------------
rm -f "$data"/store_*.db*
t_lector=$(cpu "$lector" recipe ingest --db "$data/store_lector.db" --quiet "$docs")
t_raw=$(cpu "$lector" recipe ingest --db "$data/store_raw.db" --quiet --raw "$docs")

# Python gets an empty store with lector's exact schema.
"$lector" -e 'lector.store.open(arg[1]):close()' "$data/store_py.db"
cat > "$data/store_ingest.py" <<'EOF'
import hashlib, os, sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=NORMAL")
db.execute("PRAGMA foreign_keys=ON"); db.execute("PRAGMA cache_size=-32768")
d = sys.argv[2]
db.execute("BEGIN IMMEDIATE")
for i, name in enumerate(sorted(os.listdir(d))):
    if not name.endswith(".txt"):
        continue
    path = os.path.join(d, name)
    raw = open(path, "rb").read()
    text = raw.decode("utf-8")  # validates
    h = hashlib.sha256(raw).hexdigest()
    if i % 500 == 499:
        db.execute("COMMIT")
        db.execute("BEGIN IMMEDIATE")
    row = db.execute("SELECT hash FROM documents WHERE base_uri = ? ORDER BY version DESC LIMIT 1", (path,)).fetchone()
    if row is None or row[0] != h:
        db.execute("INSERT INTO documents(uri, hash, title, text, base_uri, version) VALUES (?, ?, ?, ?, ?, 1)",
                   (path, h, text.split("\n", 1)[0][:200], text, path))
db.execute("COMMIT")
EOF
t_py=$(cpu $py "$data/store_ingest.py" "$data/store_py.db" "$docs")
n_l=$(sqlite3 "$data/store_lector.db" "SELECT count(*) FROM documents")
n_p=$(sqlite3 "$data/store_py.db" "SELECT count(*) FROM documents")
[ "$n_l" = "$ndocs" ] && [ "$n_p" = "$ndocs" ] || { echo "bench_store: document counts differ: $n_l $n_p $ndocs" >&2; exit 1; }

# ---- annotations --------------------------------------------------------
# The same rows on both sides: MINSTD random spans inside each document
# (up to 20 bytes, cut at its end: some mails are shorter),
# 4 labels, 2,000 entity keys, 1,000 annotations per document.
cp "$data/store_raw.db" "$data/store_ann_lector.db"
cp "$data/store_raw.db" "$data/store_ann_py.db"
cp "$data/store_raw.db" "$data/store_ann_pyb.db"
rm -f "$data"/store_ann_*.db-wal "$data"/store_ann_*.db-shm
cat > "$data/store_ann.lua" <<'EOF'
local db = lector.store.open(arg[1])
local n = tonumber(arg[2])
local docs = db:query("SELECT id, length(CAST(text AS BLOB)) AS len FROM documents ORDER BY id")
local labels = { "PLACE", "ORG", "PERSON", "MEDIA" }
local ents = {}
for i = 1, 2000 do ents[i] = "Entity " .. i end
local seed = 1
local batches, d = {}, 0
for k = 0, n - 1 do
  if k % 1000 == 0 then d = d % #docs + 1; batches[#batches + 1] = { doc = docs[d].id, spans = {} } end
  local b = batches[#batches]
  seed = (seed * 48271) % 2147483647
  local len = docs[d].len
  local s = seed % math.max(len - 20, 1)
  b.spans[#b.spans + 1] = { start_byte = s, end_byte = math.min(s + seed % 20 + 1, len),
                            label = labels[seed % 4 + 1], entity = ents[seed % 2000 + 1] }
end
local run = db:begin_run("bench")
local t0 = os.clock() -- process CPU time, as Python's process_time
db:transaction(function()
  for _, b in ipairs(batches) do db:annotate(b.doc, "entity", b.spans, { run = run }) end
end)
local t = os.clock() - t0
run:finish()
print(t)
EOF
cat > "$data/store_ann.py" <<'EOF'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=NORMAL")
db.execute("PRAGMA foreign_keys=ON"); db.execute("PRAGMA cache_size=-32768")
n = int(sys.argv[2])
rebuild = len(sys.argv) > 3 and sys.argv[3] == "rebuild"
docs = db.execute("SELECT id, length(CAST(text AS BLOB)) FROM documents ORDER BY id").fetchall()
labels = ["PLACE", "ORG", "PERSON", "MEDIA"]
ents = ["Entity %d" % i for i in range(1, 2001)]
db.execute("INSERT INTO runs(name, options, version, started) VALUES ('bench', '{}', 'python', datetime())")
run = db.execute("SELECT max(id) FROM runs").fetchone()[0]
seed, d, rows = 1, -1, []
for k in range(n):
    if k % 1000 == 0:
        d = (d + 1) % len(docs)
    seed = (seed * 48271) % 2147483647
    doc, length = docs[d]
    s = seed % max(length - 20, 1)
    rows.append((doc, "entity", labels[seed % 4], ents[seed % 2000], s, min(s + seed % 20 + 1, length), run))
t0 = time.process_time()
db.execute("BEGIN IMMEDIATE")
label_ids = {(layer, label): i for i, layer, label in db.execute("SELECT id, layer, label FROM labels")}
entity_ids = {key: i for i, key in db.execute("SELECT id, key FROM entities")}
def label_id(layer, label):
    i = label_ids.get((layer, label))
    if i is None:
        i = label_ids[(layer, label)] = db.execute(
            "INSERT INTO labels(layer, label) VALUES (?, ?)", (layer, label)).lastrowid
    return i
def entity_id(key, type):
    i = entity_ids.get(key)
    if i is None:
        i = entity_ids[key] = db.execute(
            "INSERT INTO entities(key, type) VALUES (?, ?)", (key, type)).lastrowid
    return i
# rebuild: as lector's bulk path, the indexes by label and by entity are
# dropped, and created again once the rows are in
indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN "
                     "('annotation_rows_label', 'annotation_rows_entity')").fetchall() if rebuild else []
for name, _ in indexes:
    db.execute("DROP INDEX " + name)
db.executemany("INSERT INTO annotation_rows(doc_id, label_id, entity_id, start_byte, end_byte, run_id) "
               "VALUES (?, ?, ?, ?, ?, ?)",
               [(doc, label_id(layer, label), entity_id(ent, label), s, e, r)
                for doc, layer, label, ent, s, e, r in rows])
for _, sql in indexes:
    db.execute(sql)
db.execute("COMMIT")
print(time.process_time() - t0)
EOF
ta_lector=$("$lector" "$data/store_ann.lua" "$data/store_ann_lector.db" "$ann")
ta_py=$($py "$data/store_ann.py" "$data/store_ann_py.db" "$ann")
ta_pyb=$($py "$data/store_ann.py" "$data/store_ann_pyb.db" "$ann" rebuild)
for p in py pyb; do
  same=$(sqlite3 "$data/store_ann_lector.db" "ATTACH '$data/store_ann_$p.db' AS p;
    SELECT (SELECT count(*) FROM (SELECT doc_id, layer, label, entity, start_byte, end_byte FROM main.annotations
    EXCEPT SELECT doc_id, layer, label, entity, start_byte, end_byte FROM p.annotations))
    + abs((SELECT count(*) FROM main.annotations) - $ann) + abs((SELECT count(*) FROM p.annotations) - $ann)
    + abs((SELECT count(*) FROM sqlite_master WHERE type = 'index') - (SELECT count(*) FROM p.sqlite_master WHERE type = 'index'))")
  [ "$same" = 0 ] || { echo "bench_store: lector and Python ($p) stored different rows or indexes" >&2; exit 1; }
done
ta_best=$(awk -v a="$ta_py" -v b="$ta_pyb" 'BEGIN { print (a < b ? a : b) }')

# Bytes per annotation, page by page: the rows, their three indexes, and
# the labels and entities (with their indexes) they point at.
bpa=$(sqlite3 "$data/store_ann_lector.db" "SELECT sum(pgsize) * 1.0 / (SELECT count(*) FROM annotation_rows)
  FROM dbstat WHERE name IN ('annotation_rows', 'annotation_rows_label', 'annotation_rows_entity',
    'annotation_rows_doc', 'labels', 'sqlite_autoindex_labels_1', 'entities',
    'entities_key')" |
  awk '{ printf "%.1f", $1 }')
sqlite3 "$data/store_ann_lector.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
file_b=$(stat -c %s "$data/store_ann_lector.db")
text_b=$(sqlite3 "$data/store_ann_lector.db" "SELECT sum(length(CAST(text AS BLOB))) FROM documents")
fts_b=$(sqlite3 "$data/store_ann_lector.db" "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'documents_fts%'")
over=$(awk -v f="$file_b" -v t="$text_b" -v s="$fts_b" -v n="$ann" 'BEGIN { printf "%.1f", (f - t - s) / n }')

# The row-by-row path: more annotations into the stores that hold them.
ta2_lector=$("$lector" "$data/store_ann.lua" "$data/store_ann_lector.db" "$ann2")
ta2_py=$($py "$data/store_ann.py" "$data/store_ann_py.db" "$ann2")

# ---- report ---------------------------------------------------------------
echo "store benchmark: $ndocs documents, $mb MB ($corpus_what); $ann annotations"
echo "machine: $(nproc --all) cores, $(lscpu | sed -n 's/^Model name: *//p'); $(date -u +%Y-%m-%d)"
printf '%-44s %10s %10s %12s\n' "ingest (500 documents a transaction)" "docs/s" "MB/s" "vs python"
printf '%-44s %10s %10s %12s\n' "lector recipe ingest" "$(rate "$ndocs" "$t_lector")" "$(div "$mb" "$t_lector")" "$(div "$t_py" "$t_lector")x"
printf '%-44s %10s %10s %12s\n' "lector recipe ingest --raw" "$(rate "$ndocs" "$t_raw")" "$(div "$mb" "$t_raw")" "$(div "$t_py" "$t_raw")x"
printf '%-44s %10s %10s %12s\n' "python3 sqlite3 (read, hash, insert)" "$(rate "$ndocs" "$t_py")" "$(div "$mb" "$t_py")" "1.00x"
printf '%-44s %10s %22s\n' "annotations (one transaction, 3 indexes)" "ann/s" "vs python"
printf '%-44s %10s %22s\n' "lector db:annotate" "$(rate "$ann" "$ta_lector")" "$(div "$ta_py" "$ta_lector")x"
printf '%-44s %10s %22s\n' "python3 executemany, plain indexed table" "$(rate "$ann" "$ta_py")" "1.00x"
printf '%-44s %10s %22s\n' "python3 executemany, 2 indexes rebuilt" "$(rate "$ann" "$ta_pyb")" "$(div "$ta_py" "$ta_pyb")x"
echo "db:annotate against the best Python row: $(div "$ta_best" "$ta_lector")x (target 1.5x)"
printf '%-44s %10s %22s\n' "$ann2 more, into $ann (row by row)" "" ""
printf '%-44s %10s %22s\n' "lector db:annotate" "$(rate "$ann2" "$ta2_lector")" "$(div "$ta2_py" "$ta2_lector")x"
printf '%-44s %10s %22s\n' "python3 sqlite3 executemany" "$(rate "$ann2" "$ta2_py")" "1.00x"
echo "bytes per annotation (rows + 3 indexes, labels, entities): $bpa"
echo "file size beyond text and FTS index, per annotation: $over bytes"
