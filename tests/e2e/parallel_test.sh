# Issue 20: -j N worker processes and --stream, against one process.
# Equal means the same rows (compared sorted, attrs key by key) and the
# same report; ids and row order may differ. GNU parallel and Dask run on
# this machine (loopback only) when installed; otherwise they are skipped.
E=$E2E_ROOT/examples
G=$E/gazetteer.tsv
PT=$E/patterns.tsv
PY=/usr/bin/python3

# Every annotation of a store, by uri, sorted; attrs as sorted key=value.
rows() {
  sqlite3 "$1" "SELECT d.uri, a.layer, a.label, a.entity, a.start_byte, a.end_byte,
    (SELECT group_concat(key || '=' || value, ';') FROM
      (SELECT key, value FROM json_each(a.attrs) ORDER BY key))
    FROM annotations a JOIN documents d ON d.id = a.doc_id ORDER BY 1, 2, 3, 4, 5, 6, 7"
}
docs_of() {
  sqlite3 "$1" "SELECT uri, hash, title, author, outlet, published, meta FROM documents ORDER BY uri"
}
# JSON lines of files: {"uri": path, "text": ...}
to_jsonl() {
  "$LECTOR" -e 'local json = require "lector.json"
    for p in lector.fs.files(arg) do io.write(json.encode { uri = p, text = lector.fs.read(p) }, "\n") end' "$@"
}

"$LECTOR" recipe ingest --db base.db "$E/corpus" >/dev/null 2>&1
cp base.db one.db; cp base.db two.db; cp base.db all.db

# ---- parallel-1: tag -j 2 (and -j 0) gives what tag -j 1 gives ----
run "$LECTOR" recipe tag --db one.db --gazetteer "$G" --patterns "$PT"
expect_rc parallel-1.1 0
one_out=$OUT
run "$LECTOR" recipe tag -j 2 --db two.db --gazetteer "$G" --patterns "$PT"
expect_rc parallel-1.2 0
expect_out parallel-1.3 "$(echo "$one_out" | sed 's/one.db/two.db/')"
expect_err_empty parallel-1.4
expect_eq parallel-1.5 "$(rows two.db)" "$(rows one.db)"
run "$LECTOR" recipe tag -j0 --db all.db --gazetteer "$G" --patterns "$PT"
expect_rc parallel-1.6 0
expect_eq parallel-1.7 "$(rows all.db)" "$(rows one.db)"
expect_eq parallel-1.8 "$("$LECTOR" recipe report --db two.db)" "$("$LECTOR" recipe report --db one.db)"
# The rows as stored, not only as the view shows them: the sentence in
# its column, attrs without it (key by key), and the catalogue's types.
stored() {
  sqlite3 "$1" "SELECT d.uri, l.layer, l.label, e.key, a.start_byte, a.end_byte, a.sentence,
    (SELECT group_concat(key || '=' || value, ';') FROM (SELECT key, value FROM json_each(a.attrs) ORDER BY key))
    FROM annotation_rows a JOIN documents d ON d.id = a.doc_id JOIN labels l ON l.id = a.label_id
    LEFT JOIN entities e ON e.id = a.entity_id ORDER BY 1, 2, 3, 4, 5, 6, 7, 8;
    SELECT key, type, attrs FROM entities ORDER BY key"
}
expect_eq parallel-1.12 "$(stored two.db)" "$(stored one.db)"
expect_true parallel-1.13 "sentence numbers are in their column" \
  test "$(sqlite3 two.db "SELECT count(*) FROM annotation_rows WHERE sentence > 0")" -gt 10
expect_eq parallel-1.9 "$(sqlite3 two.db "SELECT name, recipe, status FROM runs ORDER BY id")" \
  "$(printf 'ingest|ingest|ok\ntag|tag|ok')"
# Running again replaces the run's layers: still the same rows.
"$LECTOR" recipe tag -j 2 --db two.db --gazetteer "$G" --patterns "$PT" >/dev/null 2>&1
expect_eq parallel-1.10 "$(rows two.db)" "$(rows one.db)"
expect_true parallel-1.11 "options record no -j" \
  sh -c "sqlite3 two.db \"SELECT options FROM runs WHERE name = 'tag'\" | grep -vq jobs"

# ---- parallel-2: the seed corpus, when this clone has it ----
seed=$(shared_corpus)
if [ -n "$seed" ]; then
  "$LECTOR" recipe ingest --db s1.db "$seed" >/dev/null 2>&1
  cp s1.db s2.db
  "$LECTOR" recipe tag --db s1.db --gazetteer "$G" --patterns "$PT" >/dev/null 2>&1
  run "$LECTOR" recipe tag -j 2 --db s2.db --gazetteer "$G" --patterns "$PT"
  expect_rc parallel-2.1 0
  expect_eq parallel-2.2 "$(rows s2.db)" "$(rows s1.db)"
  expect_eq parallel-2.3 "$("$LECTOR" recipe report --db s2.db)" "$("$LECTOR" recipe report --db s1.db)"
else
  skip parallel-2 "no seed corpus at ../shared/corpus/news"
fi

# ---- parallel-3: entities and stats -j 2, output for output ----
for fmt in table csv; do
  for m in "" --mentions; do
    a=$("$LECTOR" recipe entities --gazetteer "$G" --format $fmt $m "$E/corpus" 2>&1)
    b=$("$LECTOR" recipe entities -j 2 --gazetteer "$G" --format $fmt $m "$E/corpus" 2>&1)
    expect_eq "parallel-3.$fmt$m" "$b" "$a"
  done
done
"$LECTOR" recipe entities --db e1.db --gazetteer "$G" "$E/corpus" >/dev/null 2>&1
run "$LECTOR" recipe entities -j 2 --db e2.db --gazetteer "$G" "$E/corpus"
expect_rc parallel-3.1 0
expect_eq parallel-3.2 "$(rows e2.db)" "$(rows e1.db)"
expect_eq parallel-3.3 "$(docs_of e2.db)" "$(docs_of e1.db)"
expect_eq parallel-3.4 "$("$LECTOR" recipe stats -j 2 "$E/corpus")" "$("$LECTOR" recipe stats "$E/corpus")"
run "$LECTOR" recipe stats -j 2 --top 3 --format json "$E/corpus"
expect_out_has parallel-3.5 '"documents":5'

# ---- parallel-4: --stream, then ingest: the store tagging in place makes ----
to_jsonl "$E/corpus" > docs.jsonl
"$LECTOR" recipe ingest --db place.db docs.jsonl >/dev/null 2>&1
"$LECTOR" recipe tag --db place.db --gazetteer "$G" --patterns "$PT" >/dev/null 2>&1
run sh -c "\"$LECTOR\" recipe tag --stream --gazetteer \"$G\" --patterns \"$PT\" < docs.jsonl > tagged.jsonl"
expect_rc parallel-4.1 0
expect_eq parallel-4.2 "$(wc -l < tagged.jsonl | tr -d ' ')" 5
run "$LECTOR" recipe ingest --db streamed.db tagged.jsonl
expect_rc parallel-4.3 0
expect_out_has parallel-4.4 "$(sqlite3 place.db "select count(*) from annotations where layer <> 'meta'") annotations"
expect_eq parallel-4.5 "$(rows streamed.db)" "$(rows place.db)"
expect_eq parallel-4.6 "$(docs_of streamed.db)" "$(docs_of place.db)"
expect_eq parallel-4.7 "$(sqlite3 streamed.db "SELECT name, recipe, status, version = '$("$LECTOR" -e 'io.write(lector.version)')',
  json_extract(options, '$.gazetteer') FROM runs ORDER BY id")" \
  "$(printf 'ingest|ingest|ok|1|\ntag|tag|ok|1|%s' "$G")"
expect_eq parallel-4.8 "$(sqlite3 streamed.db "SELECT count(*) FROM documents WHERE meta LIKE '%annotations%' OR meta LIKE '%\"run\"%'")" 0
# Ingesting it again replaces the layers: the rows stay the same.
"$LECTOR" recipe ingest --db streamed.db tagged.jsonl >/dev/null 2>&1
expect_eq parallel-4.9 "$(rows streamed.db)" "$(rows place.db)"
# --no-text: the annotations without the text; entities --stream too.
run sh -c "\"$LECTOR\" recipe entities --stream --no-text --gazetteer \"$G\" < docs.jsonl"
expect_rc parallel-4.10 0
expect_out_lacks parallel-4.11 '"text":"Turkish-backed'
expect_out_has parallel-4.12 '"layer":"entity"'
run sh -c "\"$LECTOR\" recipe stats --stream --no-text < docs.jsonl"
expect_out_has parallel-4.13 '"stats":{'

# ---- parallel-5: bad lines are named by number and skipped; bad annotations refused ----
printf '%s\n' '{"uri":"a","text":"Aleppo and Raqqa."}' 'not json' '{"uri":"c"}' \
  '{"uri":"d","text":"Palmyra."}' > bad.jsonl
run sh -c "\"$LECTOR\" recipe tag --stream --gazetteer \"$G\" < bad.jsonl"
expect_rc parallel-5.1 1
expect_err_has parallel-5.2 "skipped line 2: invalid JSON"
expect_err_has parallel-5.3 "skipped line 3: no \"text\" string field"
expect_eq parallel-5.4 "$(echo "$OUT" | wc -l | tr -d ' ')" 2
printf '%s\n' '{"uri":"x","text":"abc","annotations":[{"layer":"entity","start_byte":1,"end_byte":9}]}' \
  '{"uri":"y","text":"abc","annotations":[{"layer":"entity","start_byte":0.5,"end_byte":2}]}' \
  '{"uri":"z","text":"abc","annotations":[{"layer":"entity","start_byte":0,"end_byte":2,"label":"L"}],"run":{"name":"tag","recipe":"tag"}}' > anns.jsonl
run "$LECTOR" recipe ingest --db anns.db anns.jsonl
expect_rc parallel-5.5 1
expect_err_has parallel-5.6 "anns.jsonl:1: annotation 1: bytes 1 to 9 are not inside the text (3 bytes)"
expect_err_has parallel-5.7 "anns.jsonl:2: annotation 1: start_byte and end_byte must be integers"
expect_eq parallel-5.8 "$(sqlite3 anns.db "SELECT uri FROM documents")" z
expect_eq parallel-5.9 "$(sqlite3 anns.db "SELECT r.name, a.label FROM annotations a JOIN runs r ON r.id = a.run_id
  WHERE a.layer <> 'meta'")" "tag|L"

# ---- parallel-6: a worker that fails fails the run; Ctrl-C stops them all ----
cat > badworker.sh <<'EOF'
#!/bin/sh
read line
exit 3
EOF
# A worker that never answers: exec, so that it is the process the pool
# stops; its unique duration finds it afterwards.
slow="31.$$"
cat > slowworker.sh <<EOF
#!/bin/sh
exec sleep $slow
EOF
chmod +x badworker.sh slowworker.sh
cp base.db fail.db
run env LECTOR_BIN="$PWD/badworker.sh" "$LECTOR" recipe tag -j 2 --db fail.db --gazetteer "$G"
expect_rc parallel-6.1 1
expect_err_has parallel-6.2 "failed (exit code 3)"
expect_eq parallel-6.3 "$(sqlite3 fail.db "SELECT status FROM runs WHERE name = 'tag'")" failed
expect_eq parallel-6.4 "$(sqlite3 fail.db "SELECT count(*) FROM annotations WHERE layer = 'entity'")" 0
# interrupted ID RECIPE DB ARGS...: Ctrl-C a second into RECIPE -j 2 with
# workers that never answer: exit 130, no worker left, the run failed.
interrupted() {
  id=$1 recipe=$2 db=$3
  shift 3
  LECTOR_BIN="$PWD/slowworker.sh" "$LECTOR" recipe "$recipe" -j 2 --db "$db" "$@" >/dev/null 2>int.err &
  pid=$!
  sleep 1
  kill -INT $pid
  wait $pid
  expect_eq "$id.1" "$?" 130
  sleep 0.3
  expect_eq "$id.2" "$(pgrep -f "sleep $slow" | wc -l | tr -d ' ')" 0
  expect_eq "$id.3" "$(sqlite3 "$db" "SELECT status FROM runs WHERE name = '$recipe'")" failed
}
cp base.db int.db
interrupted parallel-6.5 tag int.db --gazetteer "$G"
run "$LECTOR" recipe tag -j 2 --stream --db x.db --gazetteer "$G"
expect_rc parallel-6.8 2

# ---- parallel-7: GNU parallel --pipe gives the annotations of one process ----
if command -v parallel >/dev/null 2>&1; then
  run sh -c "parallel --will-cite --pipe --block 1k -j 2 \"$LECTOR\" recipe tag --stream \
    --gazetteer \"$G\" --patterns \"$PT\" < docs.jsonl > gp.jsonl"
  expect_rc parallel-7.1 0
  "$LECTOR" recipe ingest --db gp.db gp.jsonl >/dev/null 2>&1
  expect_eq parallel-7.2 "$(rows gp.db)" "$(rows place.db)"
  expect_eq parallel-7.3 "$(sqlite3 gp.db "SELECT count(*) FROM runs WHERE name = 'tag'")" 1
else
  skip parallel-7 "GNU parallel is not installed (apt-get install parallel)"
fi

# ---- parallel-8: examples/dask_tag.py on a LocalCluster of 2 workers ----
if [ -x "$PY" ] && "$PY" -c 'import distributed, dask.bag' 2>/dev/null; then
  run env LECTOR_BIN="$LECTOR" timeout 60 "$PY" "$E/dask_tag.py" --workers 2 --blocksize 2kB \
    --gazetteer "$G" --patterns "$PT" --db dask.db docs.jsonl
  expect_rc parallel-8.1 0
  expect_err_has parallel-8.2 "on 2 workers"
  expect_eq parallel-8.3 "$(rows dask.db)" "$(rows place.db)"
  expect_eq parallel-8.4 "$(docs_of dask.db)" "$(docs_of place.db)"
else
  skip parallel-8 "Dask is not installed (apt-get install python3-distributed)"
fi

# ---- parallel-9: ingest -j 2 makes the store ingest -j 1 makes ----
# (the workers' texts go through files in $TMPDIR: parallel-11.6 looks
# for what is left of them)
mkdir tmp9
TMPDIR="$PWD/tmp9"
export TMPDIR
# Every column of every document (ids and versions too: the writer keeps
# the input order) and every annotation; meta and attrs key by key (the
# order of keys in their JSON is not the same from one process to the next).
docs_all() {
  sqlite3 "$1" "SELECT id, uri, base_uri, version, supersedes, hash, title, author, outlet, published,
    (SELECT group_concat(key || '=' || value, ';') FROM (SELECT key, value FROM json_each(meta) ORDER BY key))
    FROM documents ORDER BY id"
}
anns_all() {
  sqlite3 "$1" "SELECT a.doc_id, a.layer, a.label, a.entity, a.start_byte, a.end_byte, r.name,
    (SELECT group_concat(key || '=' || value, ';') FROM (SELECT key, value FROM json_each(a.attrs) ORDER BY key))
    FROM annotations a JOIN runs r ON r.id = a.run_id ORDER BY 1, 2, 5, 6, 3, 4"
}
# Inputs of every kind: text files with news headers, HTML, a JSON-lines
# file of many shares (the corpus 40 times; every 7th line a changed text
# under a uri seen before: a new version; bad lines), tagged lines.
mkdir -p in9/html
cp "$E"/corpus/*.txt in9/
printf '<html><head><title>Homs</title><meta charset="windows-1252"></head><body><p>Homs \222s market</p></body></html>' \
  > in9/html/homs.html
printf 'caf\351 Aleppo\n' > in9/latin1.txt
"$LECTOR" -e 'local json = require "lector.json"
  local texts = {}
  for p in lector.fs.files({ arg[1] }) do texts[#texts + 1] = lector.fs.read(p) end
  local n = 0
  for r = 1, 40 do
    for i, t in ipairs(texts) do
      n = n + 1
      local uri = n % 7 == 0 and string.format("doc-%d-%d", r - 1, i) or string.format("doc-%d-%d", r, i)
      io.write(json.encode { uri = uri, text = t .. (n % 7 == 0 and " (changed)" or ""), published = "2017-0" .. i,
        outlet = "o" .. r, rank = n / 3 }, "\n")
      if n % 61 == 0 then io.write("{broken\n") end
      if n % 67 == 0 then io.write("{\"uri\":\"no-text\"}\n") end
    end
  end' "$E/corpus" > in9/many.jsonl
cp tagged.jsonl in9/tagged.jsonl
run "$LECTOR" recipe ingest --db i1.db in9
expect_rc parallel-9.1 1
i1_out=$OUT i1_err=$ERR
run "$LECTOR" recipe ingest -j 2 --db i2.db in9
expect_rc parallel-9.2 1
expect_eq parallel-9.3 "$OUT" "$(echo "$i1_out" | sed 's/i1.db/i2.db/')"
expect_eq parallel-9.4 "$ERR" "$i1_err"
expect_err_has parallel-9.5 "in9/latin1.txt: invalid UTF-8"
expect_err_has parallel-9.6 "in9/many.jsonl:62: invalid JSON"
expect_true parallel-9.7 "versions were made" sh -c "[ \$(sqlite3 i2.db 'SELECT count(*) FROM documents WHERE version > 1') -gt 20 ]"
expect_eq parallel-9.8 "$(docs_all i2.db)" "$(docs_all i1.db)"
expect_eq parallel-9.9 "$(anns_all i2.db)" "$(anns_all i1.db)"
expect_eq parallel-9.10 "$(sqlite3 i2.db "SELECT rowid, text FROM documents_fts WHERE documents_fts MATCH 'Palmyra' ORDER BY rowid")" \
  "$(sqlite3 i1.db "SELECT rowid, text FROM documents_fts WHERE documents_fts MATCH 'Palmyra' ORDER BY rowid")"
expect_eq parallel-9.11 "$(sqlite3 i2.db "SELECT name, status FROM runs ORDER BY id")" \
  "$(sqlite3 i1.db "SELECT name, status FROM runs ORDER BY id")"
# the reading options go to the workers; standard input is read here
"$LECTOR" recipe ingest --db r1.db --repair --raw --from-encoding cp1252 in9/latin1.txt in9/html >/dev/null 2>&1
run "$LECTOR" recipe ingest -j 2 --db r2.db --repair --raw --from-encoding cp1252 in9/latin1.txt in9/html
expect_rc parallel-9.12 0
expect_eq parallel-9.13 "$(docs_all r2.db)" "$(docs_all r1.db)"
"$LECTOR" recipe ingest --db p1.db - < in9/many.jsonl >/dev/null 2>&1
run sh -c "\"$LECTOR\" recipe ingest -j 2 --db p2.db - < in9/many.jsonl"
expect_rc parallel-9.14 1
expect_err_has parallel-9.15 "-:62: invalid JSON"
expect_eq parallel-9.16 "$(docs_all p2.db)" "$(docs_all p1.db)"
# Again, into the stores made: what is there is unchanged, what changed
# under a uri is a new version, new metadata is merged, as with -j 1.
sed 's/"rank"/"rank2"/' in9/many.jsonl > in9/many2.jsonl
"$LECTOR" recipe ingest --db i1.db in9 >/dev/null 2>&1
run "$LECTOR" recipe ingest -j 2 --db i2.db in9
expect_out_has parallel-9.17 "with new metadata"
expect_eq parallel-9.18 "$(docs_all i2.db)" "$(docs_all i1.db)"
# A FIFO named as an input is read once, by this process, as stdin is.
mkfifo fifo.jsonl
(cat in9/many.jsonl > fifo.jsonl &)
run "$LECTOR" recipe ingest -j 2 --special-files --db ff.db fifo.jsonl
expect_rc parallel-9.19 1
expect_eq parallel-9.20 "$(sqlite3 ff.db "SELECT uri, hash FROM documents ORDER BY id")" \
  "$(sqlite3 p1.db "SELECT uri, hash FROM documents ORDER BY id")"

# ---- parallel-10: stats and entities -j 2 read their own shares ----
expect_eq parallel-10.1 "$("$LECTOR" recipe stats -j 2 in9 2>&1; echo "rc $?")" \
  "$("$LECTOR" recipe stats in9 2>&1; echo "rc $?")"
# JSON with its keys sorted (their order is not the same from one process to the next)
sorted_json() {
  /usr/bin/python3 -c 'import json, sys
for l in sys.stdin: print(json.dumps(json.loads(l), sort_keys=True) if l.startswith("{") else l.rstrip("\n"))'
}
expect_eq parallel-10.2 "$("$LECTOR" recipe stats -j 2 --format json - < in9/many.jsonl 2>&1 | sorted_json)" \
  "$("$LECTOR" recipe stats --format json - < in9/many.jsonl 2>&1 | sorted_json)"
for m in "" --mentions; do
  expect_eq "parallel-10.3$m" "$("$LECTOR" recipe entities -j 2 $m --format csv --gazetteer "$G" in9 2>&1; echo "rc $?")" \
    "$("$LECTOR" recipe entities $m --format csv --gazetteer "$G" in9 2>&1; echo "rc $?")"
done
"$LECTOR" recipe entities --db n1.db --gazetteer "$G" in9 >/dev/null 2>&1
run "$LECTOR" recipe entities -j 2 --db n2.db --gazetteer "$G" in9
expect_rc parallel-10.4 1
expect_eq parallel-10.5 "$(docs_all n2.db)" "$(docs_all n1.db)"
expect_eq parallel-10.6 "$(rows n2.db)" "$(rows n1.db)"

# ---- parallel-11: a worker that fails names what it was reading ----
for r in "ingest --db f.db" "stats" "entities --gazetteer $G"; do
  run env LECTOR_BIN="$PWD/badworker.sh" "$LECTOR" recipe $r -j 2 in9/many.jsonl
  expect_rc "parallel-11.1 $r" 1
  expect_err_has "parallel-11.2 $r" "failed (exit code 3) while reading in9/many.jsonl, lines "
done
expect_eq parallel-11.3 "$(sqlite3 f.db "SELECT status FROM runs WHERE name = 'ingest'")" failed
expect_eq parallel-11.4 "$(sqlite3 f.db "SELECT count(*) FROM documents")" 0
# Ctrl-C stops ingest's workers too; the run is recorded as failed.
interrupted parallel-11.5 ingest int2.db in9
# The files the workers' texts went through are gone, whether the run
# ended well, failed or was interrupted.
expect_eq parallel-11.6 "$(ls tmp9 | grep -c lector-shares)" 0
# (and they were there: a worker that, once done, says what $TMPDIR holds)
printf '#!/bin/sh\n"%s" "$@"\nrc=$?\nls "$TMPDIR" >> "%s/seen9"\nexit $rc\n' "$LECTOR" "$PWD" > lsworker.sh
chmod +x lsworker.sh
run env LECTOR_BIN="$PWD/lsworker.sh" "$LECTOR" recipe ingest -j 2 --db t9.db in9/many.jsonl
expect_true parallel-11.7 "the workers' texts went through \$TMPDIR" grep -q '^lector-shares-' seen9
expect_eq parallel-11.8 "$(ls tmp9 | grep -c lector-shares)" 0
unset TMPDIR

# ---- parallel-12: a worker that fails half-way: the groups committed ----
# before stay, each document whole, and the run is failed
"$LECTOR" -e 'local json = require "lector.json"
  local texts = {}
  for p in lector.fs.files({ arg[1] }) do texts[#texts + 1] = lector.fs.read(p) end
  for i = 1, 1000 do io.write(json.encode { uri = "doc/" .. i, text = texts[i % #texts + 1] }, "\n") end' \
  "$E/corpus" > thousand.jsonl
"$LECTOR" recipe ingest --db k1.db thousand.jsonl >/dev/null 2>&1
cp k1.db k2.db
"$LECTOR" recipe tag --db k1.db --gazetteer "$G" --patterns "$PT" >/dev/null 2>&1
# The worker answers 40 documents, then dies; its output stays open a
# second longer (sleep holds it), so the writer, which tags the rest
# itself meanwhile, commits groups before it sees the failure however
# the two processes' timings fall (under load the failure could
# otherwise come before the first group). 40: fewer than the first batch
# of ids a worker gets (64), whatever share the writer takes after it
# (under a sanitizer the worker got fewer than 400 in all).
printf '#!/bin/sh\n"%s" "$@" | { head -n 40; sleep 1; }\n' "$LECTOR" > halfworker.sh
chmod +x halfworker.sh
run env LECTOR_BIN="$PWD/halfworker.sh" "$LECTOR" recipe tag -j 2 --db k2.db --gazetteer "$G" --patterns "$PT"
expect_rc parallel-12.1 1
expect_err_has parallel-12.2 "lector: worker "
expect_eq parallel-12.3 "$(sqlite3 k2.db "SELECT status FROM runs WHERE name = 'tag'")" failed
kept=$(sqlite3 k2.db "SELECT count(DISTINCT doc_id) FROM annotations WHERE layer = 'entity'")
expect_true parallel-12.4 "some documents kept ($kept), not all" test "$kept" -gt 0 -a "$kept" -lt 1000
# the documents kept have every annotation -j 1 gives them
of_kept() {
  sqlite3 "$1" "ATTACH 'k2.db' AS k; SELECT d.uri, a.layer, a.label, a.entity, a.start_byte, a.end_byte
    FROM annotations a JOIN documents d ON d.id = a.doc_id
    WHERE a.layer <> 'meta' AND d.uri IN (SELECT d2.uri FROM k.annotations a2 JOIN k.documents d2 ON d2.id = a2.doc_id
      WHERE a2.layer = 'entity') ORDER BY 1, 2, 3, 4, 5, 6"
}
expect_eq parallel-12.5 "$(of_kept k2.db)" "$(of_kept k1.db)"

# ---- parallel-13: --skip-bad: a document a worker cannot tag is skipped ----
# as tag -j 1 skips it (it failed the whole run before)
cp base.db sb1.db
sqlite3 sb1.db "INSERT INTO documents(uri, base_uri, version, hash, text, meta)
  VALUES ('bad', 'bad', 1, 'x', CAST(X'41ff20416c6570706f' AS TEXT), '{}')"
cp sb1.db sb2.db
run "$LECTOR" recipe tag --db sb1.db --gazetteer "$G" --skip-bad
one_out=$OUT one_err=$ERR
run "$LECTOR" recipe tag -j 2 --db sb2.db --gazetteer "$G" --skip-bad
expect_rc parallel-13.1 1
expect_out parallel-13.2 "$(echo "$one_out" | sed 's/sb1.db/sb2.db/')"
expect_eq parallel-13.3 "$ERR" "$one_err"
expect_err_has parallel-13.4 "lector: skipped document 6 (bad): tokenize: invalid UTF-8"
expect_eq parallel-13.5 "$(stored sb2.db)" "$(stored sb1.db)"
