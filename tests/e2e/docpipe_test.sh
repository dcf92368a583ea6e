# The document pipeline (lector.pipeline): every recipe reads current
# documents, recipe runs replace each other's layers, one span is one
# annotation, documents carry the same metadata whichever recipe added
# them, dates are ISO 8601, runs end at exit. On the repository's examples.
ex="$E2E_ROOT/examples"
G="$ex/gazetteer.tsv"
PT="$ex/patterns.tsv"
cp -r "$ex/corpus" corpus

# ---- 1. a changed article: current documents only, unless asked -------
run "$LECTOR" recipe ingest --db v.db corpus
printf '\nUpdate: the Syrian Observatory now puts the toll at 71.\n' >> corpus/04-palmyra.txt
run "$LECTOR" recipe ingest --db v.db corpus
expect_out_has doc-1.1 "0 added, 1 updated, 4 unchanged"
expect_eq doc-1.2 "$(sqlite3 v.db "select count(*) from documents")" 6
run "$LECTOR" recipe tag --db v.db --gazetteer "$G"
expect_out_has doc-1.3 "tag: 5 documents -> v.db"
expect_eq doc-1.4 "$(sqlite3 v.db "select count(distinct doc_id) from annotations where layer = 'entity'")" 5
expect_eq doc-1.5 "$(sqlite3 v.db "select count(*) from annotations a where layer = 'entity' and doc_id not in (select id from current_documents)")" 0
run "$LECTOR" recipe report --db v.db
expect_out_has doc-1.6 "5 documents"
run "$LECTOR" recipe tag --db v.db --gazetteer "$G" --all-versions
expect_out_has doc-1.7 "tag: 6 documents -> v.db"
run "$LECTOR" recipe report --db v.db --all-versions
expect_out_has doc-1.8 "6 documents"
run "$LECTOR" recipe tag --db v.db --gazetteer "$G" --doc corpus/04-palmyra.txt
expect_out_has doc-1.9 "tag: 1 document -> v.db"
run "$LECTOR" recipe report --db v.db --doc 1 --format json
expect_true doc-1.10 "one document in the filtered report" sh -c "printf '%s' '$(echo "$OUT" | tr -d "'")' | grep -q '\"documents\":\[{[^]]*\"id\":1[,}][^]]*\]'"

# ---- 2. entities --db then tag: the layer is replaced, not doubled ----
run "$LECTOR" recipe ingest --db d.db corpus
# meta as ingest wrote it, before any tag: tag writes only entity
meta=$(sqlite3 d.db "select count(*) from annotations where layer = 'meta'")
expect_true doc-2.0 "ingest wrote meta annotations" test "$meta" -gt 0
run "$LECTOR" recipe tag --db d.db --gazetteer "$G"
expect_eq doc-2.0b "$(sqlite3 d.db "select count(*) from annotations where layer = 'meta'")" "$meta"
once=$(sqlite3 d.db "select count(*) from annotations where layer = 'entity'")
# a hand-made annotation (a script's, then SQL's) in the same layer stays
run "$LECTOR" -e 'local db = lector.store.open(arg[1]); db:annotate(1, "entity", {{start = 1, stop = 4, label = "NOTE", entity = "mine"}}); db:close()' d.db
sqlite3 d.db "insert into annotations(doc_id, layer, label, start_byte, end_byte) values (2, 'entity', 'SQL', 0, 3)"
run "$LECTOR" recipe entities --gazetteer "$G" --db d.db corpus
run "$LECTOR" recipe tag --db d.db --gazetteer "$G"
expect_eq doc-2.1 "$(sqlite3 d.db "select count(*) from annotations where layer = 'entity' and label not in ('NOTE', 'SQL')")" "$once"
expect_eq doc-2.2 "$(sqlite3 d.db "select count(*) from annotations where label in ('NOTE', 'SQL')")" 2
expect_eq doc-2.3 "$(sqlite3 d.db "select count(*) from annotations where layer = 'meta'")" "$meta"
run "$LECTOR" recipe report --db d.db --format json
isis=$(printf '%s' "$OUT" | "$LECTOR" -e 'for _, e in ipairs(lector.json.decode(io.read("*a")).entities) do if e.entity == "Islamic State" then print(e.mentions) end end')
expect_eq doc-2.4 "$isis" "$(sqlite3 d.db "select count(*) from annotations where entity = 'Islamic State'")"
expect_eq doc-2.5 "$(sqlite3 d.db "select recipe from runs order by id desc limit 1")" tag

# ---- 3. one span, one layer, one label: one annotation ---------------
printf 'The Syrian Observatory reported heavy fighting. Troops were killing 60 Islamic State militants near Palmyra.\n' > claims.txt
printf 'layer\tlabel\tpattern\nsource\tcited\tsrc:@MEDIA reported\nsource\tcited\tsrc:@MEDIA {reported said}\nquantity\tclaim\tkilling count:<number> _{0,3} militants\nquantity\tclaim\tcount:<number> _{0,3} militants\n' > dup.tsv
run "$LECTOR" recipe ingest --db c.db claims.txt
run "$LECTOR" recipe tag --db c.db --gazetteer "$G" --patterns dup.tsv --extract none
expect_out_has doc-3.1 "(3 entity, 1 quantity, 1 source)"
expect_eq doc-3.2 "$(sqlite3 c.db "select span_text || '|' || json_extract(attrs, '$.value') from annotations where layer = 'quantity'")" \
  "killing 60 Islamic State militants|60"
expect_eq doc-3.3 "$(sqlite3 c.db "select entity from annotations where layer = 'source'")" "Syrian Observatory for Human Rights"

# ---- 4. entities --db reads as ingest does; better metadata updates --
run "$LECTOR" recipe entities --raw --gazetteer "$G" --db m.db corpus/01-al-bab-offensive.txt
expect_eq doc-4.1 "$(sqlite3 m.db "select count(title) from documents")" 0
run "$LECTOR" recipe ingest --db m.db corpus/01-al-bab-offensive.txt
expect_out_has doc-4.2 "1 unchanged (1 with new metadata)"
expect_eq doc-4.3 "$(sqlite3 m.db "select count(*) || '|' || max(version) || '|' || (title is not null) || '|' || published from documents")" \
  "1|1|1|$(sqlite3 v.db "select published from documents where uri = 'corpus/01-al-bab-offensive.txt'")"
run "$LECTOR" recipe entities --gazetteer "$G" --db m2.db corpus/01-al-bab-offensive.txt
expect_eq doc-4.4 "$(sqlite3 m2.db "select title || '|' || published from documents")" \
  "$(sqlite3 v.db "select title || '|' || published from documents where uri = 'corpus/01-al-bab-offensive.txt'")"
# the full-text index follows the new title
expect_eq doc-4.5 "$(sqlite3 m.db "select count(*) from documents_fts where documents_fts match 'title:rebels'")" 1

# ---- 5. published as ISO 8601, the original kept ---------------------
cat > dates.jsonl <<'JSONL'
{"uri": "d1", "text": "one", "published": "Mon, 06 Feb 2017 23:58 UTC"}
{"uri": "d2", "text": "two", "published": "3 November 2016"}
{"uri": "d3", "text": "three", "published": "2016/01/25"}
{"uri": "d4", "text": "four", "published": "April 2017"}
{"uri": "d5", "text": "five", "published": "sometime last spring"}
{"uri": "d6", "text": "six", "published": "2017-03-01"}
JSONL
run "$LECTOR" recipe ingest --db j.db dates.jsonl
expect_eq doc-5.1 "$(sqlite3 j.db "select group_concat(ifnull(published, 'NULL'), ' ') from (select published from documents order by id)")" \
  "2017-02-06T23:58:00Z 2016-11-03 2016-01-25 2017-04 NULL 2017-03-01"
expect_eq doc-5.2 "$(sqlite3 j.db "select json_extract(meta, '$.published_raw') from documents where uri = 'd5'")" "sometime last spring"
expect_eq doc-5.3 "$(sqlite3 j.db "select count(*) from documents where json_extract(meta, '$.published_raw') is not null")" 5
run "$LECTOR" -e 'local db = lector.store.open(arg[1]); local n = 0; for d in db:documents{since = "2017-01-01"} do n = n + 1 end; print(n)' j.db
expect_out doc-5.4 3

# ---- 6. runs end at exit ----------------------------------------------
run "$LECTOR" -e 'local db = lector.store.open(arg[1]); db:annotate(1, "note", {{start = 1, stop = 2}})' j.db
expect_eq doc-6.1 "$(sqlite3 j.db "select name || '|' || status || '|' || ifnull(recipe, '-') from runs order by id desc limit 1")" "-e|ok|-"
printf 'local db = lector.store.open(arg[1])\ndb:annotate(1, "note", {{start = 1, stop = 2}})\nerror("stop here")\n' > throws.lua
run "$LECTOR" throws.lua j.db
expect_rc doc-6.2 1
expect_eq doc-6.3 "$(sqlite3 j.db "select name || '|' || status from runs order by id desc limit 1")" "throws.lua|failed"
run "$LECTOR" -e 'local db = lector.store.open(arg[1]); db:annotate(1, "note", {{start = 1, stop = 2}}); os.exit(0)' j.db
expect_eq doc-6.4 "$(sqlite3 j.db "select status from runs order by id desc limit 1")" ok
expect_eq doc-6.5 "$(sqlite3 j.db "select count(*) from runs where status = 'running'")" 0

# ---- 7. the report says "same sentence", not "source" -----------------
printf 'Rudaw relays Russian claims of 60 dead, while SOHR said the death toll was only 44, Reuters reported.\n' > relay.txt
printf 'layer\tlabel\tpattern\nquantity\tclaim\tcount:<number> {dead killed}\nsource\tcited\tsrc:@MEDIA reported\n' > relay.tsv
run "$LECTOR" recipe ingest --db r.db relay.txt
run "$LECTOR" recipe tag --db r.db --gazetteer "$G" --patterns relay.tsv --extract none
run "$LECTOR" recipe report --db r.db
expect_out_has doc-7.1 "sources cited in the same sentence"
expect_out_has doc-7.2 "same sentence: Reuters"
expect_out_lacks doc-7.3 "source: Reuters"

# ---- tag without a gazetteer; bad rows all reported; warnings --------
grep -v '@' "$PT" > hedges.tsv
run "$LECTOR" recipe tag --db c.db --patterns hedges.tsv
expect_rc doc-8.1 0
expect_out_has doc-8.2 "tag: 1 document -> c.db ("
expect_eq doc-8.3 "$(sqlite3 c.db "select count(*) from annotations where layer = 'entity' and run_id = (select max(id) from runs)")" 0
run "$LECTOR" recipe tag --db c.db --extract none
expect_rc doc-8.4 2
expect_err_has doc-8.5 "tag needs --gazetteer, --patterns or extractors (--extract)"
printf 'layer\tlabel\tpattern\nquantity claim <number> fighters\nq\tc\t(unclosed\nq\tc\t<number>\nq\tc\t<nosuchclass>\n' > bad.tsv
run "$LECTOR" recipe tag --db c.db --patterns bad.tsv
expect_rc doc-8.6 1
expect_err_has doc-8.7 "bad.tsv:2: expected layer, label and pattern separated by tabs; this row is separated by spaces"
expect_err_has doc-8.8 "bad.tsv:3: "
expect_err_has doc-8.9 "bad.tsv:5: "
run "$LECTOR" recipe tag --db c.db --patterns bad.tsv --skip-bad
expect_rc doc-8.10 0
expect_err_has doc-8.11 "skipped 3 bad pattern rows (first: bad.tsv:2:"
# a type one gazetteer row alone names, that no pattern asks for: a typo?
{ cat "$G"; printf 'Homs\tHoms\tPALCE\n'; } > typo.tsv
run "$LECTOR" recipe tag --db c.db --gazetteer typo.tsv
expect_rc doc-8.12 0
expect_err_has doc-8.13 "warning: typo.tsv:$(($(wc -l < "$G") + 1)): type PALCE is named by this entry only and by no pattern"
# a pattern asking for a type no entry has cannot match: an error, with its line
printf 'layer\tlabel\tpattern\nsource\tcited\tsrc:@AGENCY said\n' > warn.tsv
run "$LECTOR" recipe tag --db c.db --gazetteer "$G" --patterns warn.tsv
expect_rc doc-8.14 1
expect_err_has doc-8.15 "warn.tsv:2: pattern: column 6: expected a type of the gazetteer; no entry has type AGENCY"

# ---- a stored document that is not UTF-8: named, and --skip-bad goes on
run "$LECTOR" recipe ingest --db u.db corpus
sqlite3 u.db "update documents set text = CAST(X'6F6BFF6F6B' AS TEXT) where id = 2"
run "$LECTOR" recipe tag --db u.db --gazetteer "$G"
expect_rc doc-9.1 1
expect_err_has doc-9.2 "document 2 (corpus/02-deir-ez-zor.txt): "
expect_err_has doc-9.3 "invalid UTF-8"
expect_eq doc-9.4 "$(sqlite3 u.db "select status from runs order by id desc limit 1")" failed
run "$LECTOR" recipe tag --db u.db --gazetteer "$G" --skip-bad
expect_rc doc-9.5 1
expect_out_has doc-9.6 "tag: 4 documents -> u.db"
expect_eq doc-9.7 "$(sqlite3 u.db "select count(distinct doc_id) from annotations where layer = 'entity' and run_id = (select max(id) from runs)")" 4

# ---- entities and stats read JSON lines and -, and repair -----------
printf '{"uri": "j1", "text": "ISIS left Palmyra."}\n' > one.jsonl
run "$LECTOR" recipe entities --gazetteer "$G" --format csv one.jsonl
expect_out_has doc-10.1 "Islamic State,ORG,1,1,ISIS (1)"
expect_out_lacks doc-10.2 "uri"
run_in '{"uri": "s1", "text": "ISIS left Palmyra."}' "$LECTOR" recipe entities --gazetteer "$G" --mentions -
expect_out_has doc-10.3 "s1:1-4	Islamic State"
printf 'Palmyra \377 again\n' > bad.txt
run "$LECTOR" recipe entities --gazetteer "$G" --repair bad.txt
expect_rc doc-10.4 0
expect_out_has doc-10.5 "Palmyra"
run_in '{"text": "one two two"}' "$LECTOR" recipe stats --format json -
expect_true doc-10.6 "stats counted the JSON line's text" sh -c "echo '$OUT' | grep -q '\"words\":3'"
run "$LECTOR" recipe stats --repair bad.txt
expect_rc doc-10.7 0

# ---- directories: text files by default, --all-files for the rest ----
mkdir -p mixed
printf 'a text\n' > mixed/a.txt
printf 'notes without an extension\n' > mixed/README
printf '\000\001\002binary' > mixed/blob
printf 'x,y\n' > mixed/table.csv
run "$LECTOR" recipe ingest --db mix.db mixed
expect_out_has doc-11.1 "2 added"
expect_eq doc-11.2 "$(sqlite3 mix.db "select group_concat(uri, ' ') from (select uri from documents order by uri)")" "mixed/README mixed/a.txt"
run "$LECTOR" recipe ingest --all-files --db mix2.db mixed
expect_out_has doc-11.3 "4 added"
run "$LECTOR" recipe ingest --db mix3.db mixed/table.csv
expect_out_has doc-11.4 "1 added"

# ---- integer options in range -----------------------------------------
run "$LECTOR" recipe report --db c.db --top 99999999999999999999
expect_rc doc-12.1 2
expect_err_has doc-12.2 "option --top: 99999999999999999999 is out of range"
run "$LECTOR" recipe report --db c.db --top -3
expect_rc doc-12.3 2
expect_err_has doc-12.4 "option --top: -3 is out of range"

# ---- progress: on request or on a terminal, never in a pipe ----------
run "$LECTOR" recipe tag --db v.db --gazetteer "$G" --progress always
expect_err_has doc-13.1 "tag ["
expect_err_has doc-13.2 "100%  5/5 documents"
run "$LECTOR" recipe tag --db v.db --gazetteer "$G"
expect_err_empty doc-13.3
if command -v script >/dev/null 2>&1; then
  script -qec "$LECTOR recipe tag --db v.db --gazetteer $G" /dev/null > tty.out 2>&1
  expect_true doc-13.4 "a bar on a terminal" grep -q "100%  5/5 documents" tty.out
else
  skip doc-13.4 "no script(1) to give the recipe a terminal"
fi

# ---- the example script: the same job as the recipes, in a script ----
run sh -c "cd '$E2E_ROOT' && '$LECTOR' examples/pipeline.lua '$E2E_TMP/ex.db'"
expect_rc doc-14.1 0
expect_out_has doc-14.2 "5 documents tagged: 57 entity mentions, 10 claims"
run "$LECTOR" recipe ingest --db t14.db "$ex/corpus"
run "$LECTOR" recipe tag --db t14.db --gazetteer "$G" --patterns "$PT"
expect_eq doc-14.3 "$(sqlite3 ex.db "select layer, label, entity, start_byte, end_byte, (select group_concat(key || '=' || value, ';') from (select key, value from json_each(attrs) where key not in ('source', 'pattern') order by key)) from annotations where layer <> 'meta' order by doc_id, start_byte, layer, label")" \
  "$(sqlite3 t14.db "select layer, label, entity, start_byte, end_byte, (select group_concat(key || '=' || value, ';') from (select key, value from json_each(attrs) where key not in ('source', 'pattern') order by key)) from annotations where layer <> 'meta' order by doc_id, start_byte, layer, label")"

# ---- HTML through the same reader: visible text and head metadata ----
cp "$E2E_ROOT/tests/data/news_page.html" page.html
run "$LECTOR" recipe ingest --db h.db page.html
expect_rc doc-15.1 0
expect_eq doc-15.2 "$(sqlite3 h.db "select title || '|' || author || '|' || outlet || '|' || published || '|' || json_extract(meta, '$.format') from documents")" \
  "Water returns to Manbij after three-week outage|Lina Haddad|The Riverside Courier|2017-03-14T09:30:00+03:00|html"
expect_eq doc-15.3 "$(sqlite3 h.db "select instr(text, '<') + instr(text, 'function(') from documents")" 0
expect_eq doc-15.4 "$(sqlite3 h.db "select json_extract(meta, '$.html') is null from documents")" 1
run "$LECTOR" recipe ingest --keep-html --db h2.db page.html
expect_eq doc-15.5 "$(sqlite3 h2.db "select json_extract(meta, '$.html') = CAST(readfile('page.html') AS TEXT) from documents" 2>/dev/null || sqlite3 h2.db "select length(json_extract(meta, '$.html')) > 1000 from documents")" 1
mkdir -p site && cp page.html site/a.htm
run "$LECTOR" recipe entities --gazetteer "$G" --format csv site
expect_rc doc-15.6 0
expect_out_lacks doc-15.7 "<"

# ---- tag --extract: which extractors (without boilerplate, a "3 comments"
# widget counts as a figure), and lexicons of one's own
run "$LECTOR" recipe ingest --db x.db corpus
run "$LECTOR" recipe tag --db x.db --extract quantities,dates
expect_rc doc-16.1 0
expect_out_has doc-16.2 "(13 date, 12 quantity)"
expect_eq doc-16.3 "$(sqlite3 x.db "select group_concat(distinct layer) from (select layer from annotations where layer <> 'meta' order by layer)")" "date,quantity"
run "$LECTOR" recipe tag --db x.db --extract quantities,bogus
expect_rc doc-16.4 2
expect_err_has doc-16.5 "option --extract: no extractor 'bogus'"
# an outlet of one's own: a user lexicon adds a row to the shipped one
mkdir -p lex
printf 'alias\tentity\tkind\tcountry\tcase\nRiverside Courier\tThe Riverside Courier\toutlet\tXX\t\n' > lex/outlets.tsv
printf 'The Riverside Courier reported that 40 families returned.\n' > courier.txt
run "$LECTOR" recipe ingest --db y.db courier.txt
run "$LECTOR" recipe tag --db y.db --extract sources
expect_eq doc-16.6 "$(sqlite3 y.db "select count(*) from annotations where layer = 'source' and entity = 'The Riverside Courier'")" 0
run "$LECTOR" recipe tag --db y.db --extract sources,quantities --lexicons lex
expect_eq doc-16.7 "$(sqlite3 y.db "select entity from annotations where layer = 'source'")" "The Riverside Courier"
expect_eq doc-16.8 "$(sqlite3 y.db "select json_extract(attrs, '$.source_entity') from annotations where layer = 'quantity'")" "The Riverside Courier"

# ---- report: a progress bar over its queries when asked --------------
run "$LECTOR" recipe report --db v.db --progress always
expect_err_has doc-17.1 "report [########################] 100%  6/6 queries"
run "$LECTOR" recipe report --db v.db
expect_err_empty doc-17.2

# ---- a gazetteer with several bad lines: every one of them, up to 20 ---
printf 'alias\tentity\ttype\nAleppo\tAleppo\tPLACE\nHoms Homs PLACE\n\tNoAlias\tPLACE\nfoo\t\tX\n' > bad-gaz.tsv
run "$LECTOR" recipe entities --gazetteer bad-gaz.tsv corpus
expect_rc doc-18.1 1
expect_err_has doc-18.2 "bad-gaz.tsv:3: no tab in the row: the fields must be separated by tabs, not spaces"
expect_err_has doc-18.3 "bad-gaz.tsv:4: empty alias"
expect_err_has doc-18.4 "bad-gaz.tsv:5: empty entity"
{ printf 'alias\tentity\n'; for i in $(seq 1 25); do printf 'only%d\n' "$i"; done; } > many-bad.tsv
run "$LECTOR" recipe tag --db v.db --gazetteer many-bad.tsv --extract none
expect_rc doc-18.5 1
expect_err_has doc-18.6 "many-bad.tsv:21: empty entity"
expect_err_lacks doc-18.7 "many-bad.tsv:22:"
expect_err_has doc-18.8 "... and 5 more bad lines"
run "$LECTOR" recipe tag --db v.db --gazetteer bad-gaz.tsv --extract none --skip-bad
expect_rc doc-18.9 0
expect_err_has doc-18.10 "skipped 3 bad gazetteer lines (first: bad-gaz.tsv:3: no tab in the row"
