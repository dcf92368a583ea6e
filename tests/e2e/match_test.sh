# The entities recipe end to end: summary, mentions in three formats, the
# example gazetteer, saved gazetteers, and errors in gazetteer files.

mkdir -p docs
printf 'ISIS fighters left Al-Bab.\nThe Syrian Army entered al-Bab; it is quiet.\n' > docs/a.txt
printf 'Daesh and the Islamic State are one. Putin spoke to TASS.\n' > docs/b.txt
printf 'alias\tentity\ttype\tcase\nISIS\tIslamic State\tORG\nDaesh\tIslamic State\tORG\nIS\tIslamic State\tORG\nIslamic State\tIslamic State\tORG\nal-Bab\tal-Bab\tPLACE\nSyrian Army\tSyrian Arab Army\tORG\nSyrian\tSyria\tNORP\n' > g.tsv

run "$LECTOR" recipe entities --gazetteer g.tsv docs
expect_rc match-1.1 0
expect_out_has match-1.2 "Islamic State"
expect_out_has match-1.3 "Daesh (1), ISIS (1), Islamic State (1)"
expect_out_has match-1.4 "Al-Bab (1), al-Bab (1)"
expect_out_has match-1.5 "3 entities in 2 documents"
expect_out_lacks match-1.6 "Syria "
line=$(echo "$OUT" | grep '^Islamic State')
expect_eq match-1.7 "$(echo "$line" | awk '{print $3, $4, $5}')" "ORG 3 2"

run "$LECTOR" recipe entities --gazetteer g.tsv --mentions --format csv docs/a.txt
expect_rc match-2.1 0
expect_out_has match-2.2 "document,start,stop,entity,type,text,alias,source,sentence"
expect_out_has match-2.3 "docs/a.txt,1,4,Islamic State,ORG,ISIS,ISIS,g.tsv:2,ISIS fighters left Al-Bab."
expect_out_has match-2.4 "docs/a.txt,32,42,Syrian Arab Army,ORG,Syrian Army,Syrian Army,g.tsv:7,The Syrian Army entered al-Bab; it is quiet."
expect_eq match-2.5 "$(echo "$OUT" | wc -l)" 5

run "$LECTOR" recipe entities --gazetteer g.tsv --mentions --format jsonl docs/b.txt
expect_rc match-3.1 0
expect_out_has match-3.2 '"text":"Islamic State"'
expect_eq match-3.3 "$(echo "$OUT" | wc -l)" 2

run "$LECTOR" recipe entities --gazetteer g.tsv --format csv docs
expect_out_has match-3.4 "entity,type,mentions,documents,aliases"
expect_out_has match-3.5 'Islamic State,ORG,3,2,Daesh (1); ISIS (1); Islamic State (1)'

# the example gazetteer, saved and loaded again
run "$LECTOR" recipe entities --gazetteer "$E2E_ROOT/examples/gazetteer.tsv" --save ex.lgz docs
expect_rc match-4.1 0
expect_out_has match-4.2 "Vladimir Putin"
expect_out_has match-4.3 "TASS"
first=$OUT
expect_true match-4.4 "saved gazetteer written" test -s ex.lgz
run "$LECTOR" recipe entities --gazetteer ex.lgz docs
expect_rc match-4.5 0
expect_eq match-4.6 "$OUT" "$first"

# bad gazetteers: FILE:LINE: what is wrong
printf 'alias\tentity\nok\tfine\n\tnothing\n' > bad.tsv
run "$LECTOR" recipe entities --gazetteer bad.tsv docs
expect_rc match-5.1 1
expect_err_has match-5.2 "bad.tsv:3: empty alias"
run "$LECTOR" recipe entities --gazetteer bad.tsv --skip-bad docs
expect_rc match-5.3 0
expect_err_has match-5.4 "skipped 1 bad gazetteer line (first: bad.tsv:3: empty alias)"
run "$LECTOR" recipe entities --gazetteer missing.tsv docs
expect_rc match-5.5 2
expect_err_has match-5.6 "lector: missing.tsv: No such file or directory"
run "$LECTOR" recipe entities docs
expect_rc match-5.7 2
expect_err_has match-5.8 "needs --gazetteer"
printf 'ISIS \377 here\n' > docs/c.txt
run "$LECTOR" recipe entities --gazetteer g.tsv docs
expect_rc match-5.9 1
expect_err_has match-5.10 "docs/c.txt"
expect_err_has match-5.11 "invalid UTF-8 at byte 6"

# --db: documents and mentions into the store, replaced by a second run
run "$LECTOR" recipe entities --gazetteer g.tsv --db m.db docs/a.txt docs/b.txt
expect_rc match-7.1 0
expect_err_has match-7.2 "stored 6 mentions of 2 documents in m.db"
run "$LECTOR" recipe entities --gazetteer g.tsv --db m.db docs/a.txt docs/b.txt
expect_rc match-7.3 0
expect_eq match-7.4 "$(sqlite3 m.db "select count(*) from annotations where layer = 'entity'")" 6
expect_eq match-7.5 "$(sqlite3 m.db "select count(*) from documents")" 2
expect_eq match-7.6 "$(sqlite3 m.db "select count(*) from runs where name = 'entities' and status = 'ok'")" 2
expect_eq match-7.7 "$(sqlite3 m.db "select a.entity || '|' || substr(d.text, a.start_byte + 1, a.end_byte - a.start_byte) from annotations a join documents d on d.id = a.doc_id where a.layer = 'entity' order by a.id limit 1")" "Islamic State|ISIS"

# a store failure in the middle of a group: the recipe says why and exits
# 1, the run is marked failed, and nothing of the group is kept
run "$LECTOR" recipe entities --gazetteer g.tsv --db f.db docs/a.txt
sqlite3 f.db "CREATE TRIGGER boom BEFORE INSERT ON documents WHEN new.uri LIKE '%b.txt' BEGIN SELECT RAISE(ABORT, 'no b today'); END; DELETE FROM annotation_rows; DELETE FROM documents;"
# (the trigger is not lector's, so the store opens only with --trust-schema)
run "$LECTOR" recipe entities --gazetteer g.tsv --db f.db --trust-schema docs/a.txt docs/b.txt
expect_rc match-7.8 1
expect_err_has match-7.9 "no b today"
expect_eq match-7.10 "$(sqlite3 f.db "select count(*) from documents")" 0
expect_eq match-7.11 "$(sqlite3 f.db "select status from runs where name = 'entities' order by id desc limit 1")" failed

# a document where every word is a mention (300,000 of them): the recipe
# keeps 24 bytes a mention until it reaches it, not a table (g:find_all
# made one per mention before the loop: 420 MB peak with --db, 160 MB
# without); memory growth read from /proc in the recipe's own process
"$LECTOR" -e 'local f = assert(io.open("many.txt", "wb"))
  local w = { "Aleppo", "Damascus", "Raqqa", "Homs" }
  for i = 1, 300000 do f:write(w[i % 4 + 1], i % 10 == 0 and ".\n" or " ") end
  f:close()'
cat > peak.lua <<'LUA'
local function kb(field)
  local f = io.open("/proc/self/status")
  if not f then return 0 end
  local v = f:read("*a"):match(field .. ":%s*(%d+)")
  f:close()
  return tonumber(v) or 0
end
local before = kb("VmRSS")
io.stdout:setvbuf("full")
local recipe = arg[3] or "entities"
local rc = require("lector.recipes").run(recipe,
  { gazetteer = arg[1], db = arg[2] ~= "" and arg[2] or nil,
    extract = recipe == "tag" and { "none" } or nil },
  recipe == "entities" and { "many.txt" } or {})
io.stderr:write(string.format("rc %s grew %d MB\n", tostring(rc), math.floor((kb("VmHWM") - before) / 1024)))
LUA
# (a sanitizer holds freed memory back for a while, so the bounds are for
# normal builds)
peak_check() { # id limit-MB what
  grew=$(printf '%s\n' "$ERR" | sed -n 's/^rc 0 grew \([0-9]*\) MB$/\1/p')
  if [ -n "${LECTOR_SANITIZER:-}" ]; then
    skip "$1" "peak memory is not measured under a sanitizer"
  elif [ ! -r /proc/self/status ]; then
    skip "$1" "no /proc/self/status to read peak memory from"
  else
    expect_true "$1" "peak growth ${grew:-?} MB under $2 MB $3" test "${grew:-999}" -lt "$2"
  fi
}
run "$LECTOR" peak.lua "$E2E_ROOT/examples/gazetteer.tsv" ""
expect_out_has match-8.1 "4 entities in 1 document"
peak_check match-8.2 80 "without --db"
run "$LECTOR" peak.lua "$E2E_ROOT/examples/gazetteer.tsv" many.db
expect_err_has match-8.3 "stored 300000 mentions of 1 document"
peak_check match-8.4 200 "with --db"
expect_eq match-8.5 "$(sqlite3 many.db "select count(*) from annotations where layer = 'entity'")" 300000
# the tag recipe on the same document, from a store: 10,000 annotations at
# a time too (it grew by 325 MB before, with a table per mention held
# for the whole document)
run "$LECTOR" recipe ingest --quiet --db tagm.db many.txt
run "$LECTOR" peak.lua "$E2E_ROOT/examples/gazetteer.tsv" tagm.db tag
expect_out_has match-8.6 "tag: 1 document -> tagm.db (300000 entity)"
peak_check match-8.7 160 "tagging"
expect_eq match-8.8 "$(sqlite3 tagm.db "select count(*) from annotations where layer = 'entity'")" 300000

# the seed corpus, when present
corpus=$(shared_corpus)
if [ -n "$corpus" ]; then
  run "$LECTOR" recipe entities --gazetteer "$E2E_ROOT/examples/gazetteer.tsv" --format csv "$corpus"
  expect_rc match-6.1 0
  expect_out_has match-6.2 "Islamic State,ORG,"
  expect_out_has match-6.3 "al-Bab,PLACE,17,1,Al-Bab (10); al-Bab (7)"
else
  skip_all "no seed corpus in ../shared/corpus/news" match-6.1 match-6.2 match-6.3
fi
