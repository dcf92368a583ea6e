# The whole job as `make demo` runs it: ingest -> tag -> report, on the
# project's own examples (ground truth below comes from reading them).
ex="$E2E_ROOT/examples"
run "$LECTOR" recipe ingest --db c.db "$ex/corpus"
expect_rc pipe-1.1 0
run "$LECTOR" recipe tag --db c.db --gazetteer "$ex/gazetteer.tsv" --patterns "$ex/patterns.tsv"
expect_rc pipe-1.2 0
expect_out_has pipe-1.3 "tag: 5 documents -> c.db"

# the ten claimed figures in the five articles, in order (the extractors'
# quantity layer: 2,000–3,000 is one range)
run sqlite3 c.db "SELECT json_extract(attrs, '$.value') || ifnull('-' || json_extract(attrs, '$.high'), '') FROM annotations WHERE layer = 'quantity' ORDER BY doc_id, start_byte"
expect_out pipe-2.1 "5000
93000
150
30000
500
1000
400
4500
34000
2000-3000"
# the events of examples/patterns.tsv: lean rows (no text copied into
# attrs; the view's span_text is the document's bytes and the sentence
# number a column, also given back in attrs), and each names its place
run sqlite3 c.db "SELECT count(*) || ':' || sum(a.span_text IS NULL OR json_extract(a.attrs, '$.text') IS NOT NULL
    OR a.sentence IS NULL OR json_extract(a.attrs, '$.sentence') IS NOT a.sentence
    OR json_extract(r.attrs, '$.sentence') IS NOT NULL)
  FROM annotations a JOIN annotation_rows r ON r.id = a.id WHERE a.layer = 'event'"
expect_out pipe-2.2 "4:0"
run sqlite3 c.db "SELECT group_concat(label || ':' || ifnull(json_extract(attrs, '$.place_entity'), '-'), ' ') FROM (SELECT * FROM annotations WHERE layer = 'event' ORDER BY doc_id, start_byte)"
expect_out pipe-2.2b "siege:Deir ez-Zor capture:Palmyra evacuation:Aleppo evacuation:-"
# ISIS, Daesh, IS, ISIL and Islamic State are one entity; the verb "is" never is
run sqlite3 c.db "SELECT group_concat(DISTINCT span_text) FROM (SELECT span_text FROM annotations WHERE layer = 'entity' AND entity = 'Islamic State' ORDER BY span_text)"
expect_out pipe-2.3 "Daesh,IS,ISIL,ISIS,Islamic State"
run sqlite3 c.db "SELECT count(*) FROM annotations WHERE layer = 'entity' AND json_extract(attrs, '$.text') = 'is'"
expect_out pipe-2.4 "0"
# ISIS’s: the mention covers ISIS only
run sqlite3 c.db "SELECT count(*) FROM annotations a JOIN documents d ON d.id = a.doc_id WHERE a.layer = 'entity'
  AND CAST(substr(CAST(d.text AS BLOB), a.start_byte + 1, a.end_byte - a.start_byte) AS TEXT) = 'ISIS'
  AND instr(CAST(d.text AS BLOB), CAST('ISIS’s fighters' AS BLOB)) = a.start_byte + 1"
expect_out pipe-2.5 "1"

# re-tagging replaces, never duplicates; each run is recorded
before=$(sqlite3 c.db "SELECT count(*) FROM annotations WHERE layer <> 'meta'")
run "$LECTOR" recipe tag --db c.db --gazetteer "$ex/gazetteer.tsv" --patterns "$ex/patterns.tsv"
after=$(sqlite3 c.db "SELECT count(*) FROM annotations WHERE layer <> 'meta'")
expect_eq pipe-3.1 "$after" "$before"
run sqlite3 c.db "SELECT count(*), min(status) FROM runs WHERE name = 'tag'"
expect_out pipe-3.2 "2|ok"
run sqlite3 c.db "SELECT count(DISTINCT run_id) FROM annotations WHERE layer = 'entity'"
expect_out pipe-3.3 "1"

# the report joins claims to the sources and hedges around them
run "$LECTOR" recipe report --db c.db
expect_rc pipe-4.1 0
expect_out_has pipe-4.2 "5 documents"
expect_out_has pipe-4.3 "around 150 or so militants"
run "$LECTOR" recipe report --db c.db --format json
run_in "$OUT" "$LECTOR" -e '
  local r = lector.json.decode(io.read("*a"))
  for _, c in ipairs(r.claims) do
    if c.value == 150 then print(c.source, table.concat(c.hedges, ",")) end
    if c.value == 5000 then print(c.source) end
  end
  print(r.entities[1].entity, #r.documents)'
# each figure's own source: TASS cites the ministry for the 150
expect_out pipe-4.4 "Syrian Observatory for Human Rights
Russian Ministry of Defence	conditional,evidential
Islamic State	5"

# errors name the file and line, or the path
printf 'layer\tlabel\tpattern\nquantity\tclaim\tcount:<number> (unclosed\n' > bad.tsv
run "$LECTOR" recipe tag --db c.db --gazetteer "$ex/gazetteer.tsv" --patterns bad.tsv
expect_rc pipe-5.1 1
expect_err_has pipe-5.2 "bad.tsv:2:"
printf 'layer\tlabel\tpattern\njust one column\n' > bad2.tsv
run "$LECTOR" recipe tag --db c.db --gazetteer "$ex/gazetteer.tsv" --patterns bad2.tsv
expect_rc pipe-5.3 1
expect_err_has pipe-5.4 "bad2.tsv:2: expected layer, label and pattern"
run "$LECTOR" recipe tag --db c.db --gazetteer "$ex/gazetteer.tsv" extra-input
expect_rc pipe-5.5 2
run "$LECTOR" recipe report --db missing-dir/none.db
expect_rc pipe-5.6 2
expect_err_has pipe-5.7 "lector: missing-dir/none.db: No such file or directory"
# a failed tag run changed nothing
after2=$(sqlite3 c.db "SELECT count(*) FROM annotations WHERE layer <> 'meta'")
expect_eq pipe-5.8 "$after2" "$before"
# a write that fails in the middle of a group: the recipe says why and
# exits 1, the run is marked failed, and the group's documents keep what
# they had
cp c.db f.db
sqlite3 f.db "CREATE TRIGGER boom BEFORE INSERT ON annotation_rows WHEN new.doc_id = (SELECT max(id) FROM documents) BEGIN SELECT RAISE(ABORT, 'no tags today'); END;"
# (the trigger is not lector's, so the store opens only with --trust-schema)
run "$LECTOR" recipe tag --db f.db --trust-schema --gazetteer "$ex/gazetteer.tsv" --patterns "$ex/patterns.tsv"
expect_rc pipe-5.9 1
expect_err_has pipe-5.10 "no tags today"
expect_eq pipe-5.11 "$(sqlite3 f.db "SELECT status FROM runs WHERE name = 'tag' ORDER BY id DESC LIMIT 1")" failed
expect_eq pipe-5.12 "$(sqlite3 f.db "SELECT count(*) FROM annotations WHERE layer <> 'meta'")" "$before"

# make demo's script runs from a clean build directory
run sh "$E2E_ROOT/examples/demo.sh" "$LECTOR"
expect_rc pipe-6.1 0
expect_out_has pipe-6.2 "claimed numbers"

# every pattern annotation names the row that matched it (FILE:LINE)
run sqlite3 c.db "SELECT DISTINCT label || ' ' || replace(json_extract(attrs, '$.pattern'), '$ex/', '') FROM annotations WHERE layer = 'event' ORDER BY 1"
expect_out pipe-7.1 "capture patterns.tsv:14
evacuation patterns.tsv:11
siege patterns.tsv:9"

# LECTOR_PROFILE=1: where tag's time goes, part by part, on stderr; the
# annotations are the same as without it
cp c.db cp.db
run env LECTOR_PROFILE=1 "$LECTOR" recipe tag --db cp.db --gazetteer "$ex/gazetteer.tsv" --patterns "$ex/patterns.tsv"
expect_rc pipe-prof.1 0
for part in read tokenize sentences match entities extract.quantities extract.hedges patterns json sqlite.annotate sqlite.clear "total (process)"; do
  expect_err_has "pipe-prof.$part" "$part"
done
expect_eq pipe-prof.same "$(sqlite3 cp.db "SELECT count(*) FROM annotations WHERE layer <> 'meta'")" \
  "$(sqlite3 c.db "SELECT count(*) FROM annotations WHERE layer <> 'meta'")"
