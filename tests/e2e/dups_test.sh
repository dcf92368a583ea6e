# Issue 19, duplicates: ingest flags a text already stored under another
# uri (meta.duplicate_of), fills metadata the header missed, the dups
# recipe finds the wire copy in examples/wire (a boilerplate tail, another
# header) and stores the pair, and the report skips both kinds of copy
# unless --with-duplicates.
ex="$E2E_ROOT/examples"
mkdir -p copies
cp "$ex/corpus/03-raqqa.txt" copies/raqqa-again.txt

# ---- 1. ingest: exact copies flagged, metadata filled ---------------------
run "$LECTOR" recipe ingest --db d.db "$ex/corpus" "$ex/wire" copies
expect_rc dups-1.1 0
expect_out_has dups-1.2 "7 added"
expect_out_has dups-1.3 "1 copy of another uri's text"
run sqlite3 d.db "SELECT json_extract(meta, '\$.duplicate_of') FROM documents WHERE uri = 'copies/raqqa-again.txt'"
expect_out dups-1.4 "$ex/corpus/03-raqqa.txt"
run sqlite3 d.db "SELECT count(*) FROM documents WHERE json_extract(meta, '\$.duplicate_of') IS NOT NULL"
expect_out dups-1.5 "1"
# the wire copy's header has a URL only: its date and slug (in title case) fill in
run sqlite3 d.db "SELECT title, published, json_extract(meta, '\$.published_from') FROM documents WHERE uri LIKE '%levant-wire.txt'"
expect_out dups-1.6 "Palmyra Recaptured Russian Media Say|2017-03-02|url"
# the lookup is an index search, not a scan
run sqlite3 d.db "EXPLAIN QUERY PLAN SELECT id FROM documents WHERE hash = 'x'"
expect_out_has dups-1.7 "INDEX documents_hash (hash=?)"
# ingesting again adds and flags nothing
run "$LECTOR" recipe ingest --db d.db "$ex/corpus" "$ex/wire" copies
expect_out_has dups-1.8 "0 added, 0 updated, 7 unchanged, 0 skipped ->"

# ---- 2. dups: the wire copy and the exact copy ------------------------------
run "$LECTOR" recipe dups --db d.db
expect_rc dups-2.1 0
expect_out_has dups-2.2 "examples/wire/palmyra-levant-wire.txt  copies  [4] $ex/corpus/04-palmyra.txt"
expect_out_has dups-2.3 "1.000  [7] copies/raqqa-again.txt  copies  [3] $ex/corpus/03-raqqa.txt"
expect_out_has dups-2.4 "dups: 2 pairs among 7 documents -> d.db"
run sqlite3 d.db "SELECT d.uri, a.label, json_extract(a.attrs, '\$.of'), json_extract(a.attrs, '\$.similarity') >= 0.8,
  a.start_byte = 0 AND a.end_byte = length(CAST(d.text AS BLOB)) FROM annotations a JOIN documents d ON d.id = a.doc_id
  WHERE a.layer = 'duplicate' ORDER BY a.doc_id"
expect_out dups-2.5 "$ex/wire/palmyra-levant-wire.txt|near|$ex/corpus/04-palmyra.txt|1|1
copies/raqqa-again.txt|exact|$ex/corpus/03-raqqa.txt|1|1"
# a second run replaces the pairs; a higher threshold keeps only the exact one
run "$LECTOR" recipe dups --db d.db --threshold 0.95 --quiet
expect_out dups-2.6 "dups: 1 pair among 7 documents -> d.db"
run sqlite3 d.db "SELECT count(*) FROM annotations WHERE layer = 'duplicate'"
expect_out dups-2.7 "1"
run "$LECTOR" recipe dups --db d.db --threshold 0 --quiet
expect_rc dups-2.8 2
expect_err_has dups-2.9 "--threshold: a number in (0, 1] expected"
# scope filters: one document alone has no pair; --dry-run stores nothing
run "$LECTOR" recipe dups --db d.db --doc 4 --dry-run
expect_out dups-2.10 "dups: 0 pairs among 1 document (dry run: nothing stored)"
run "$LECTOR" recipe dups --db d.db --quiet
expect_out dups-2.11 "dups: 2 pairs among 7 documents -> d.db"

# ---- 3. the report skips the copies unless asked ----------------------------
run "$LECTOR" recipe tag --db d.db --gazetteer "$ex/gazetteer.tsv" --patterns "$ex/patterns.tsv"
expect_rc dups-3.1 0
run "$LECTOR" recipe report --db d.db --top 3
expect_rc dups-3.2 0
expect_out_has dups-3.3 "5 documents (2 duplicates skipped: --with-duplicates counts them)"
expect_out_lacks dups-3.4 "Palmyra Recaptured Russian Media Say"
run "$LECTOR" recipe report --db d.db --top 3 --with-duplicates
expect_out_has dups-3.5 "7 documents"
expect_out_has dups-3.6 "[6] Palmyra Recaptured Russian Media Say"
expect_out_lacks dups-3.7 "skipped"
# a copy asked for by itself is reported: what it copies is not in scope
run "$LECTOR" recipe report --db d.db --doc 6
expect_out_has dups-3.8 "1 document
  [6] Palmyra Recaptured Russian Media Say"
run "$LECTOR" recipe report --db d.db --format json
printf '%s' "$OUT" > r.json
run "$LECTOR" -e '
  local r = lector.json.decode(io.open("r.json"):read("*a"))
  local docs = {}
  for _, c in ipairs(r.claims) do docs[c.doc_id] = true end
  print(r.overview.documents, r.overview.duplicates, #r.documents, docs[6] == nil, docs[7] == nil, docs[4])'
expect_out dups-3.9 "5	2	5	true	true	true"
run "$LECTOR" recipe report --db d.db --format md --with-duplicates
expect_out_has dups-3.10 "7 documents, 3 outlets"
expect_out_has dups-3.11 "0 duplicates skipped"
