# End-to-end tests of the corpus store through `lector recipe ingest`:
# ingesting, re-ingesting, and the faults of issue 4 (kill -9, concurrent
# writers, read-only, missing directory, not a database, full disk,
# hostile strings). Sourced by tests/e2e/run.sh; cwd is a fresh temp dir.

SQL() { sqlite3 -batch "$@"; }

# gen_jsonl FILE N WORDS [FIRST]: N news-like documents, one JSON object a
# line, each with a title, a By-line and a dateline the ingest recognises
# (so each document carries 3 meta annotations) and WORDS words of body.
gen_jsonl() {
  "$LECTOR" -e '
    local json = require "lector.json"
    local path, n, words, first = arg[1], tonumber(arg[2]), tonumber(arg[3]), tonumber(arg[4] or 1)
    local vocab = { "the", "army", "Aleppo", "Ḥalab", "fighters", "ISIS’s", "said", "al-Bab",
                    "town", "reports", "5,000", "of", "in", "and", "Deir ez-Zor", "convoy" }
    local f = assert(io.open(path, "wb"))
    for i = first, first + n - 1 do
      local body, seed = {}, i -- the same uri always gets the same text
      for w = 1, words do seed = (seed * 1103515245 + 12345) % 2147483648; body[w] = vocab[seed % #vocab + 1] end
      local text = "Report number " .. i .. " from the front\nBy Writer " .. i ..
                   "\nMon, 06 Feb 2017 23:58 UTC\n" .. table.concat(body, " ") .. ".\n"
      f:write(json.encode { uri = "doc/" .. i, text = text }, "\n")
    end
    f:close()' "$@"
}

# Documents whose meta annotations are not exactly the 3 of their header.
partial_docs() {
  SQL "$1" "SELECT count(*) FROM documents d WHERE
    (SELECT count(*) FROM annotations a WHERE a.doc_id = d.id AND a.layer = 'meta') <> 3"
}

# ---- ingesting and re-ingesting the repository's example corpus --------
mkdir -p news
cp "$E2E_ROOT"/examples/corpus/*.txt news/
ndocs=$(ls news/*.txt | wc -l)
run "$LECTOR" recipe ingest --db c.db news
expect_rc store-1.1 0
expect_out_has store-1.2 "$ndocs added, 0 updated, 0 unchanged, 0 skipped"
expect_eq store-1.3 "$(SQL c.db 'PRAGMA integrity_check')" ok
run "$LECTOR" recipe ingest --db c.db news
expect_rc store-1.4 0
expect_out_has store-1.5 "0 added, 0 updated, $ndocs unchanged"
expect_eq store-1.6 "$(SQL c.db 'SELECT count(*) FROM documents')" "$ndocs"
f1=$(ls news/*.txt | head -n 1)
printf '\nA correction was appended.\n' >> "$f1"
run "$LECTOR" recipe ingest --db c.db news
expect_out_has store-1.7 "0 added, 1 updated, $((ndocs - 1)) unchanged"
expect_eq store-1.8 "$(SQL c.db "SELECT uri || ' ' || version || ' ' || (supersedes IS NOT NULL) FROM documents WHERE version = 2")" "$f1#v2 2 1"
expect_eq store-1.9 "$(SQL c.db 'SELECT count(*) FROM current_documents')" "$ndocs"
# The hash is the text's SHA-256, as sha256sum prints it.
expect_eq store-1.10 "$(SQL c.db "SELECT hash FROM current_documents WHERE base_uri = '$f1'")" \
  "$(sha256sum < "$f1" | cut -d' ' -f1)"
# Any sqlite3 client can search: the FTS5 tokenizer is a stock one.
expect_true store-1.11 "sqlite3 shell can MATCH documents_fts" \
  test "$(SQL c.db "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'syria'")" -gt 0
expect_eq store-1.12 "$(SQL c.db "SELECT name || ' ' || status FROM runs ORDER BY id LIMIT 1")" "ingest ok"
# ingest pauses FTS5's automerge while it loads and sets it back: to the
# default after a run, to the value a user chose, and to the default after
# a run killed with it paused (0).
expect_eq store-1.13 "$(SQL c.db "SELECT v FROM documents_fts_config WHERE k = 'automerge'")" 4
# So is 'hashsize' (8 MB while it loads), and the index is whole.
expect_eq store-1.17 "$(SQL c.db "SELECT v FROM documents_fts_config WHERE k = 'hashsize'")" 1048576
expect_eq store-1.18 "$(SQL c.db "INSERT INTO documents_fts(documents_fts) VALUES('integrity-check'); SELECT 'ok'")" ok
SQL c.db "INSERT INTO documents_fts(documents_fts, rank) VALUES('automerge', 8)"
SQL c.db "INSERT INTO documents_fts(documents_fts, rank) VALUES('hashsize', 2000000)"
printf '\nA second correction.\n' >> "$f1"
run "$LECTOR" recipe ingest --db c.db news
expect_eq store-1.14 "$(SQL c.db "SELECT v FROM documents_fts_config WHERE k = 'automerge'")" 8
expect_eq store-1.19 "$(SQL c.db "SELECT v FROM documents_fts_config WHERE k = 'hashsize'")" 2000000
expect_true store-1.20 "the new version is found by MATCH" \
  test "$(SQL c.db "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH '\"second correction\"'")" -eq 1
SQL c.db "INSERT INTO documents_fts(documents_fts, rank) VALUES('automerge', 0)"
run "$LECTOR" recipe ingest --db c.db news
expect_eq store-1.15 "$(SQL c.db "SELECT v FROM documents_fts_config WHERE k = 'automerge'")" 4
expect_eq store-1.16 "$(SQL c.db "SELECT count(*) FROM current_documents")" "$ndocs"

# ---- metadata of news files ---------------------------------------------
printf 'Army retakes the town of Ḥalab\nBy Jane Roe\nMon, 06 Feb 2017 23:58 UTC\nBody text.\n' > meta.txt
run "$LECTOR" recipe ingest --db m.db meta.txt
expect_eq store-2.1 "$(SQL m.db "SELECT title || '|' || author || '|' || published FROM documents")" \
  "Army retakes the town of Ḥalab|Jane Roe|2017-02-06T23:58:00Z"
expect_eq store-2.2 "$(SQL m.db "SELECT group_concat(label, ',') FROM (SELECT label FROM annotations WHERE layer = 'meta' ORDER BY start_byte)")" \
  "title,author,published"
run "$LECTOR" recipe ingest --db m2.db --raw meta.txt
expect_eq store-2.3 "$(SQL m2.db "SELECT count(title) + (SELECT count(*) FROM annotations) FROM documents")" 0

# ---- progress: only when asked, or on a terminal with a large input ---
run "$LECTOR" recipe ingest --db pr.db --progress always news
expect_err_has store-2.4 "100%  $ndocs/$ndocs documents"
run "$LECTOR" recipe ingest --db pr2.db news
expect_err_empty store-2.5

# ---- invalid UTF-8: skipped with its byte offset, or repaired ----------
printf 'good text\n' > good.txt
printf 'caf\351 au lait\n' > bad.txt
run "$LECTOR" recipe ingest --db u.db good.txt bad.txt
expect_rc store-3.1 1
expect_err_has store-3.2 "lector: bad.txt: invalid UTF-8 at byte 4: truncated sequence; --repair replaces it with U+FFFD"
expect_out_has store-3.3 "1 added, 0 updated, 0 unchanged, 1 skipped"
run "$LECTOR" recipe ingest --db u.db --repair good.txt bad.txt
expect_rc store-3.4 0
expect_eq store-3.5 "$(SQL u.db "SELECT json_extract(meta, '$.utf8_repairs') || ' ' || hex(substr(text, 4, 1)) FROM documents WHERE uri = 'bad.txt'")" "1 EFBFBD"

# ---- JSON lines, from a file and from stdin ---------------------------
gen_jsonl docs.jsonl 20 30
run "$LECTOR" recipe ingest --db j.db docs.jsonl
expect_out_has store-4.1 "20 added"
expect_eq store-4.2 "$(partial_docs j.db)" 0
run_in '{"uri": "stdin/1", "text": "from stdin", "outlet": "Pipe"}
{"no text": 1}
' "$LECTOR" recipe ingest --db j.db -
expect_rc store-4.3 1
expect_err_has store-4.4 "-:2: no \"text\" string field"
expect_eq store-4.5 "$(SQL j.db "SELECT outlet FROM documents WHERE uri = 'stdin/1'")" Pipe
# the same uri three times in one file (so in one batch of add_many):
# added, unchanged, then a new version that supersedes the first
printf '%s\n' '{"uri": "dup/1", "text": "first"}' '{"uri": "dup/1", "text": "first"}' \
  '{"uri": "dup/1", "text": "second"}' > dup.jsonl
run "$LECTOR" recipe ingest --db d.db dup.jsonl
expect_out_has store-4.6 "1 added, 1 updated, 1 unchanged, 0 skipped"
expect_eq store-4.7 "$(SQL d.db "SELECT group_concat(uri || ' ' || version || ' ' || coalesce(supersedes, '-'), ', ') FROM (SELECT * FROM documents ORDER BY id)")" "dup/1 1 -, dup/1#v2 2 1"

# ---- hostile strings round-trip byte for byte --------------------------
cat > hostile.jsonl <<'EOF'
{"uri": "'); DROP TABLE documents; --", "title": "\"quoted\" 'single' `tick` \\ back", "author": "x\u0000y", "text": "NUL\u0000inside, emoji 😀👍🏽, RTL \u202e, CRLF\r\n'); DROP TABLE documents; --"}
EOF
run "$LECTOR" recipe ingest --db h.db --raw hostile.jsonl
expect_rc store-5.1 0
run "$LECTOR" -e '
  local json = require "lector.json"
  local want = json.decode(io.open("hostile.jsonl"):read("*l"))
  local db = lector.store.open("h.db", { readonly = true })
  local d = db:document(want.uri)
  for _, k in ipairs { "uri", "title", "author", "text" } do
    if d[k] ~= want[k] then print("MISMATCH " .. k) end
  end
  print("checked " .. #d.text)'
expect_out_has store-5.2 "checked "
expect_out_lacks store-5.3 "MISMATCH"
expect_eq store-5.4 "$(SQL h.db "SELECT count(*) FROM documents")" 1

# ---- kill -9 mid-ingest: only whole documents; re-ingest completes ------
gen_jsonl big.jsonl 12000 60
"$LECTOR" recipe ingest --db k.db big.jsonl >/dev/null 2>&1 &
pid=$!
# Wait until some documents are committed, then kill without warning.
i=0
while [ $i -lt 100 ]; do
  n=$(SQL k.db "SELECT count(*) FROM documents" 2>/dev/null || echo 0)
  [ "${n:-0}" -gt 500 ] && break
  sleep 0.05; i=$((i + 1))
done
if kill -9 $pid 2>/dev/null; then
  wait $pid 2>/dev/null
  got=$(SQL k.db "SELECT count(*) FROM documents")
  expect_true store-6.1 "killed mid-run (had $got of 12000)" test "$got" -gt 0 -a "$got" -lt 12000
  expect_eq store-6.2 "$(SQL k.db 'PRAGMA integrity_check')" ok
  expect_eq store-6.3 "$(partial_docs k.db)" 0
  run "$LECTOR" recipe ingest --db k.db big.jsonl
  expect_rc store-6.4 0
  expect_out_has store-6.5 "$((12000 - got)) added, 0 updated, $got unchanged"
  expect_eq store-6.6 "$(SQL k.db 'SELECT count(*) || " " || count(DISTINCT uri) FROM documents')" "12000 12000"
  expect_eq store-6.7 "$(partial_docs k.db)" 0
  expect_eq store-6.8 "$(SQL k.db "SELECT count(*) FROM runs WHERE status = 'running'")" 1
else
  wait $pid
  skip store-6.1 "ingest finished before it could be killed"
fi

# A script storing many annotations per document, killed mid-way.
cat > annotate.lua <<'EOF'
local db = lector.store.open("a.db")
local run = db:begin_run("bulk")
for i = 1, 100000 do
  db:transaction(function()
    local id = db:add { uri = "d" .. i, text = string.rep("word ", 400) }
    local spans = {}
    for k = 1, 400 do spans[k] = { start = 5 * k - 4, stop = 5 * k - 1, label = "W" } end
    db:annotate(id, "token", spans, { run = run })
  end)
end
EOF
"$LECTOR" annotate.lua >/dev/null 2>&1 &
pid=$!
i=0
while [ $i -lt 100 ]; do
  n=$(SQL a.db "SELECT count(*) FROM documents" 2>/dev/null || echo 0)
  [ "${n:-0}" -gt 200 ] && break
  sleep 0.05; i=$((i + 1))
done
if kill -9 $pid 2>/dev/null; then
  wait $pid 2>/dev/null
  expect_eq store-6.9 "$(SQL a.db 'PRAGMA integrity_check')" ok
  expect_eq store-6.10 "$(SQL a.db "SELECT count(*) FROM documents d WHERE (SELECT count(*) FROM annotations WHERE doc_id = d.id) <> 400")" 0
else
  wait $pid
  skip store-6.9 "script finished before it could be killed"
fi

# One big transaction (the bulk path: indexes by entity and label dropped
# inside it) killed after it began writing without them: the file is as
# it was before, indexes included.
cat > bulk.lua <<'EOF'
local db = lector.store.open("b.db")
local ids = {}
db:transaction(function()
  for i = 1, 300 do ids[i] = db:add { uri = "d" .. i, text = string.rep("word ", 400) } end
  db:annotate(ids[1], "token", { { start = 1, stop = 4, label = "W", entity = "E" } })
end)
db:transaction(function()
  for i = 1, 300 do
    local spans = {}
    for k = 1, 1000 do
      spans[k] = { start_byte = k % 1990, end_byte = k % 1990 + 4, label = "W", entity = "E" .. k % 97 }
    end
    db:annotate(ids[i], "token", spans)
    if i == 100 then io.stdout:write("bulk\n"); io.stdout:flush() end
  end
  os.execute("sleep 10")
end)
EOF
"$LECTOR" bulk.lua > bulk.out 2>&1 &
pid=$!
i=0
while [ $i -lt 400 ] && ! grep -q '^bulk' bulk.out; do sleep 0.05; i=$((i + 1)); done
if grep -q '^bulk' bulk.out && kill -9 $pid 2>/dev/null; then
  wait $pid 2>/dev/null
  expect_eq store-6.11 "$(SQL b.db 'PRAGMA integrity_check')" ok
  expect_eq store-6.12 "$(SQL b.db 'SELECT count(*) FROM annotations')" 1
  expect_eq store-6.13 "$(SQL b.db "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema
    WHERE type = 'index' AND tbl_name = 'annotation_rows' ORDER BY name)")" \
    "annotation_rows_doc annotation_rows_entity annotation_rows_label"
  expect_true store-6.14 "the index by entity answers" \
    sh -c "sqlite3 b.db \"EXPLAIN QUERY PLAN SELECT * FROM annotations WHERE entity = 'E'\" | grep -q annotation_rows_entity"
else
  wait $pid
  skip store-6.11 "bulk script ended before it could be killed: $(cat bulk.out)"
fi

# Another client writes through the annotations view; lector reads it.
SQL b.db "INSERT INTO annotations(doc_id, layer, label, entity, start_byte, end_byte, attrs)
  VALUES (1, 'note', 'checked', 'Someone', 0, 4, '{\"by\":\"hand\"}')"
expect_eq store-6.15 "$("$LECTOR" -e 'local db = lector.store.open("b.db")
  for a in db:annotations { layer = "note", text = true } do print(a.label, a.entity, a.text, a.attrs.by) end')" \
  "$(printf 'checked\tSomeone\tword\thand')"
expect_eq store-6.16 "$(SQL b.db "SELECT count(*) FROM entities WHERE key = 'Someone'")" 1

# A tag run killed mid-way: it writes in groups (one transaction each,
# recipes.in_groups), each group's annotations as batches of one
# statement, in one long write. A reader during the run sees only
# committed groups, its queries agreeing with a scan; after the kill the
# file is whole, indexed again at the next open, every document has all
# of its entity annotations or none, and tagging again completes it.
"$LECTOR" -e '
  local json = require "lector.json"
  local vocab = { "the", "army", "Aleppo", "Ḥalab", "fighters", "said", "al-Bab",
                  "town", "reports", "of", "in", "and", "Deir ez-Zor", "convoy" }
  local f = assert(io.open(arg[1], "wb"))
  for i = 1, tonumber(arg[2]) do
    local body, seed = {}, i
    for w = 1, 200 do
      seed = (seed * 1103515245 + 12345) % 2147483648
      body[w] = vocab[math.floor(seed / 65536) % #vocab + 1]
    end
    f:write(json.encode { uri = "doc/" .. i, text = table.concat(body, " ") .. ".\n" }, "\n")
  end
  f:close()' tagk.jsonl 12000
printf 'alias\tentity\ttype\nAleppo\tAleppo\tPLACE\nḤalab\tAleppo\tPLACE\nal-Bab\tal-Bab\tPLACE\nDeir ez-Zor\tDeir ez-Zor\tPLACE\n' > tagk.tsv
"$LECTOR" recipe ingest --db tk.db --quiet tagk.jsonl
cp tk.db tfull.db
"$LECTOR" recipe tag --db tfull.db --gazetteer tagk.tsv --extract none >/dev/null
# per_doc DB: each document's entity annotations, "id:n" by id
per_doc() {
  SQL "$1" "SELECT group_concat(doc_id || ':' || n, ' ') FROM (SELECT a.doc_id, count(*) n
    FROM annotation_rows a JOIN labels l ON l.id = a.label_id WHERE l.layer = 'entity'
    GROUP BY a.doc_id ORDER BY a.doc_id)"
}
ent_rows() {
  SQL "$1" "SELECT count(*) FROM annotation_rows a JOIN labels l ON l.id = a.label_id WHERE l.layer = 'entity'"
}
full=$(ent_rows tfull.db)
"$LECTOR" recipe tag --db tk.db --gazetteer tagk.tsv --extract none >/dev/null 2>&1 &
pid=$!
i=0 reader=none
while [ $i -lt 200 ]; do
  n=$(ent_rows tk.db 2>/dev/null || echo 0)
  if [ "${n:-0}" -gt 0 ]; then
    # one statement: one snapshot, read as SQLite plans it (by the
    # indexes when there, as tag's long write may have left them out) and
    # by a scan
    reader=$(SQL tk.db "SELECT (SELECT count(*) FROM annotation_rows
        WHERE entity_id > 0) = (SELECT count(*) FROM annotation_rows NOT INDEXED WHERE entity_id > 0)
      AND (SELECT count(*) FROM annotation_rows WHERE label_id =
        (SELECT id FROM labels WHERE layer = 'entity')) = (SELECT count(*) FROM annotation_rows NOT INDEXED
        WHERE label_id = (SELECT id FROM labels WHERE layer = 'entity'))" 2>&1)
    break
  fi
  sleep 0.02; i=$((i + 1))
done
if kill -9 $pid 2>/dev/null; then
  wait $pid 2>/dev/null
  got=$(ent_rows tk.db)
  # (a starved poller may see the first group only after the last one)
  if [ "$got" -lt "$full" ]; then
    expect_true store-6.17 "killed mid-run (had $got of $full)" test "$got" -gt 0
  else
    skip store-6.17 "tag had committed its last group when it was killed"
  fi
  expect_eq store-6.18 "$reader" 1
  expect_eq store-6.19 "$(SQL tk.db 'PRAGMA integrity_check')" ok
  # tag's long write leaves the indexes by label and entity out between
  # its groups: killed, it leaves them out (or all there, killed before
  # it dropped them), and the next read-write open builds them
  ann_indexes() {
    SQL tk.db "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema
      WHERE type = 'index' AND tbl_name = 'annotation_rows' ORDER BY name)"
  }
  case $(ann_indexes) in
    annotation_rows_doc|"annotation_rows_doc annotation_rows_entity annotation_rows_label") left=ok ;;
    *) left="$(ann_indexes)" ;;
  esac
  expect_eq store-6.20a "$left" ok
  "$LECTOR" -e 'lector.store.open(arg[1]):close()' tk.db
  expect_eq store-6.20 "$(ann_indexes)" "annotation_rows_doc annotation_rows_entity annotation_rows_label"
  # the documents tagged before the kill, each whole
  SQL tfull.db "SELECT doc_id, count(*) FROM annotation_rows a JOIN labels l ON l.id = a.label_id
    WHERE l.layer = 'entity' GROUP BY doc_id" > full.counts
  expect_eq store-6.21 "$(SQL -cmd "CREATE TEMP TABLE w(doc_id INTEGER, n INTEGER)" -cmd ".mode list" \
    -cmd ".separator |" -cmd ".import full.counts w" tk.db "SELECT count(*) FROM (SELECT a.doc_id, count(*) n
      FROM annotation_rows a JOIN labels l ON l.id = a.label_id WHERE l.layer = 'entity' GROUP BY a.doc_id) k
      JOIN w USING (doc_id) WHERE k.n <> w.n")" 0
  run "$LECTOR" recipe tag --db tk.db --gazetteer tagk.tsv --extract none
  expect_rc store-6.22 0
  expect_eq store-6.23 "$(per_doc tk.db)" "$(per_doc tfull.db)"
  expect_eq store-6.24 "$(SQL tk.db 'PRAGMA integrity_check')" ok
else
  wait $pid
  skip store-6.17 "tag finished before it could be killed"
fi

# ---- two ingesters at once into one database ---------------------------
gen_jsonl p1.jsonl 3000 40 1
gen_jsonl p2.jsonl 3000 40 2001   # overlaps p1 on doc/2001..doc/3000
"$LECTOR" recipe ingest --db p.db p1.jsonl > p1.out 2> p1.err &
pid1=$!
"$LECTOR" recipe ingest --db p.db p2.jsonl > p2.out 2> p2.err &
pid2=$!
wait $pid1; rc1=$?
wait $pid2; rc2=$?
expect_eq store-7.1 "$rc1 $rc2" "0 0"
# (what went wrong, for the log of a run where one of them failed)
[ "$rc1 $rc2" = "0 0" ] || echo "store-7.1: ingester stderr: $(cat p1.err p2.err)"
expect_eq store-7.2 "$(SQL p.db 'SELECT count(*) || " " || count(DISTINCT uri) FROM documents')" "5000 5000"
expect_eq store-7.3 "$(partial_docs p.db)" 0
expect_eq store-7.4 "$(SQL p.db 'PRAGMA integrity_check')" ok
added=$(cat p1.out p2.out | sed -n 's/^ingest: \([0-9]*\) added.*/\1/p' | awk '{s += $1} END {print s}')
expect_eq store-7.5 "$added" 5000

# ---- a locked database: wait, then a clear message ---------------------
rm -f held.flag release.flag
# the writer holds the lock from the moment it says so until the test
# lets it go (fixed sleeps on either side raced a slow, sanitized or busy
# machine); it gives up after 60 s whatever happens
"$LECTOR" -e 'local db = lector.store.open("p.db")
  db:transaction(function() db:add { uri = "held", text = "held" }
    io.open("held.flag", "w"):close()
    os.execute("i=0; while [ ! -f release.flag ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done") end)' &
pid=$!
for _ in $(seq 1 100); do [ -f held.flag ] && break; sleep 0.1; done
run "$LECTOR" recipe ingest --db p.db --busy-timeout 200 good.txt
: > release.flag
expect_rc store-8.1 1
expect_err_has store-8.2 "p.db: "
expect_err_has store-8.3 "the database is locked by another process (waited 200 ms)"
wait $pid

# ---- missing directory, not a database, newer schema -------------------
run "$LECTOR" recipe ingest --db nodir/c.db good.txt
expect_rc store-9.1 1
expect_err_has store-9.2 "nodir/c.db: cannot create the database: directory nodir does not exist"
expect_true store-9.3 "nothing created" test ! -e nodir
printf 'these are my notes, not a database\n%.0s' $(seq 1 100) > notes.db
cp notes.db notes.orig
run "$LECTOR" recipe ingest --db notes.db good.txt
expect_rc store-9.4 1
expect_err_has store-9.5 "notes.db: not an SQLite database"
expect_true store-9.6 "the file is untouched" cmp -s notes.db notes.orig
cp j.db newer.db
SQL newer.db "PRAGMA user_version = 99"
run "$LECTOR" recipe ingest --db newer.db good.txt
expect_rc store-9.7 1
expect_err_has store-9.8 "newer.db: schema version 99 is newer than this lector"

# ---- a read-only database ----------------------------------------------
mkdir ro
cp j.db ro/r.db
before=$(SQL ro/r.db 'SELECT count(*) FROM documents')
chmod 444 ro/r.db; chmod 555 ro
as_user=""
if [ "$(id -u)" = 0 ]; then
  # root ignores permissions: run the ingest as nobody.
  chmod 755 . ; chmod 644 good.txt
  command -v setpriv >/dev/null && as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
if [ "$(id -u)" != 0 ] || [ -n "$as_user" ]; then
  run $as_user "$LECTOR" recipe ingest --db ro/r.db good.txt
  expect_rc store-10.1 1
  expect_err_has store-10.2 "ro/r.db: "
  expect_err_has store-10.3 "the database is read-only"
  # A read-only file in a writable directory.
  chmod 777 ro
  run $as_user "$LECTOR" recipe ingest --db ro/r.db good.txt
  expect_rc store-10.4 1
  expect_err_has store-10.5 "ro/r.db: the database is read-only (check the permissions"
  chmod 755 ro; chmod 644 ro/r.db
  expect_eq store-10.6 "$(SQL ro/r.db 'SELECT count(*) FROM documents')" "$before"
else
  skip store-10.1 "running as root without setpriv"
  chmod 755 ro
fi

# ---- a full disk (RLIMIT_FSIZE): a clear error, nothing half-written ---
gen_jsonl full.jsonl 4000 200
(
  # no trap here: lector itself ignores SIGXFSZ, so write() fails with EFBIG
  ulimit -f 2048    # 1 MiB in 512-byte blocks (2 MiB where blocks are 1 KiB)
  "$LECTOR" recipe ingest --db full.db full.jsonl > full.out 2> full.err
  echo $? > full.rc
)
expect_eq store-11.1 "$(cat full.rc)" 1
expect_true store-11.2 "the error names the file and the cause: $(head -c 300 full.err)" \
  grep -q 'full.db: .*cannot write: \(File too large\|the disk is full\)' full.err
expect_eq store-11.3 "$(SQL full.db 'PRAGMA integrity_check')" ok
expect_eq store-11.4 "$(partial_docs full.db)" 0
run "$LECTOR" recipe ingest --db full.db full.jsonl
expect_rc store-11.5 0
expect_eq store-11.6 "$(SQL full.db 'SELECT count(*) || " " || count(DISTINCT uri) FROM documents')" "4000 4000"
