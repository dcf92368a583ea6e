# Hardening (issue 16): what an analyst opens — scraped folders, stores
# and gazetteers that colleagues send — cannot break lector's promises or
# reach outside what was asked. Each case names the promise it keeps.

# ---- a saved gazetteer loads again, whatever its norms hold -----------------
printf 'near Aleppo\n' > gdoc.txt
printf 'alias\tentity\ttype\n\000\357\276\236\tE\tORG\nAleppo\tAleppo\tPLACE\n' > nul.tsv
run "$LECTOR" recipe entities --gazetteer nul.tsv --save nul.lgz gdoc.txt
expect_rc harden-gaz-1.1 0
run "$LECTOR" recipe entities --gazetteer nul.lgz gdoc.txt
expect_rc harden-gaz-1.2 0
expect_out_has harden-gaz-1.3 "Aleppo"

# ---- no Lua module runs from the current directory at startup ---------------
mkdir -p scraped/cjson scraped/lector
printf 'io.stderr:write("PWNED\\n") os.exit(7)\n' > scraped/cjson/safe.lua
printf 'io.stderr:write("PWNED\\n") os.exit(7)\n' > scraped/cjson.lua
printf 'io.stderr:write("PWNED\\n") os.exit(7)\n' > scraped/lector/json.lua
printf 'io.stderr:write("PWNED\\n") os.exit(7)\n' > scraped/ffi.lua
printf 'a scraped page about Aleppo\n' > scraped/page.txt
cd scraped; run "$LECTOR" recipe ingest --db ../mods.db page.txt; cd ..
expect_rc harden-path-1.1 0
expect_err_lacks harden-path-1.2 "PWNED"
cd scraped; run "$LECTOR" -e 'require "cjson.safe"; require "lector.json"; print("ok")'; cd ..
expect_rc harden-path-1.3 0
expect_out harden-path-1.4 "ok"
cd scraped; run "$LECTOR" recipe report --db ../mods.db; cd ..
expect_rc harden-path-1.5 0
expect_err_lacks harden-path-1.6 "PWNED"
# the user's own LUA_PATH still works, after lector's and the system's
mkdir -p mymods && printf 'return { hi = function() return "hi" end }\n' > mymods/mine.lua
LUA_PATH="$PWD/mymods/?.lua" run "$LECTOR" -e 'print(require("mine").hi())'
expect_rc harden-path-1.7 0
expect_out harden-path-1.8 "hi"
cd scraped; LUA_PATH="$PWD/../mymods/?.lua;;" run "$LECTOR" -e 'require "cjson.safe"; print(require("mine").hi())'; cd ..
expect_rc harden-path-1.9 0
expect_out harden-path-1.10 "hi"

# ---- a directory walk stays inside the directory named ----------------------
mkdir -p outside d/sub
printf 'root:SECRET-HASH:19000:0:99999:7:::\n' > outside/shadow.txt
printf 'a page about Raqqa\n' > d/page.txt
printf 'a note about Idlib\n' > d/sub/note.txt
ln -s "$PWD/outside" d/etclink
ln -s ../page.txt d/sub/inside-link.txt
run "$LECTOR" recipe ingest --db links.db d
expect_rc harden-link-1.1 1
expect_err_has harden-link-1.2 "d/etclink: symbolic link leading outside d, skipped (--follow-symlinks reads it)"
expect_out_has harden-link-1.3 "3 added"
run "$LECTOR" -e 'local db = lector.store.open("links.db"); print(db:value("select count(*) from documents where text like ?", "%SECRET%"))'
expect_out harden-link-1.4 "0"
run "$LECTOR" recipe ingest --db links.db --follow-symlinks d
expect_rc harden-link-1.5 0
expect_out_has harden-link-1.6 "1 added"

# ---- FIFOs and devices named on the command line are not read unless asked --
mkfifo pipe.txt
run timeout 20 "$LECTOR" recipe ingest --db fifo.db pipe.txt d/page.txt
expect_rc harden-fifo-1.1 1
expect_err_has harden-fifo-1.2 "pipe.txt: not a regular file (a FIFO, device or socket), skipped (--special-files reads it)"
expect_out_has harden-fifo-1.3 "1 added"
run timeout 20 "$LECTOR" recipe stats /dev/null
expect_rc harden-fifo-1.4 1
expect_err_has harden-fifo-1.5 "/dev/null: not a regular file"
timeout 20 sh -c "sleep 1; printf 'a piped page about Homs\\n' > pipe.txt" &
run timeout 20 "$LECTOR" recipe ingest --db fifo.db --special-files pipe.txt
wait
expect_rc harden-fifo-1.6 0
expect_out_has harden-fifo-1.7 "1 added"

# ---- another program's SQLite file is refused before anything changes -------
if command -v sqlite3 >/dev/null; then
  printf 'a page about Aleppo\n' > x.txt
  sqlite3 other.db "create table t(a,b)"
  cp other.db other.orig
  run "$LECTOR" recipe ingest --db other.db x.txt
  expect_rc harden-db-1.1 1
  expect_err_has harden-db-1.2 "other.db: an SQLite database with tables of its own, not a lector store"
  expect_true harden-db-1.3 "the file is not touched (same bytes, no WAL)" cmp -s other.db other.orig
  expect_true harden-db-1.4 "no -wal file" test ! -e other.db-wal
  sqlite3 claims.db "pragma user_version=3"
  cp claims.db claims.orig
  run "$LECTOR" recipe ingest --db claims.db x.txt
  expect_rc harden-db-1.5 1
  expect_err_has harden-db-1.6 "claims.db: an SQLite database that claims schema version 3 but has no lector tables, not a lector store"
  expect_true harden-db-1.7 "the file is not touched" cmp -s claims.db claims.orig

  # ---- a store is code: foreign triggers and views are refused --------------
  run "$LECTOR" recipe ingest --db code.db x.txt
  expect_rc harden-code-1.1 0
  cp code.db plain.db
  sqlite3 code.db "create view endless as with recursive c(x) as (select 1 union all select x + 1 from c) select x from c; drop view current_documents; create view current_documents as select d.* from documents d, endless"
  run timeout 20 "$LECTOR" recipe report --db code.db
  expect_rc harden-code-1.2 1
  expect_err_has harden-code-1.3 "code.db: the store's view current_documents is not one lector creates"
  expect_err_has harden-code-1.4 "(--trust-schema opens it anyway)"
  cp plain.db trig.db
  sqlite3 trig.db "create trigger spy after insert on documents begin delete from runs; end"
  run "$LECTOR" recipe ingest --db trig.db x.txt
  expect_rc harden-code-1.5 1
  expect_err_has harden-code-1.6 "trig.db: the store's trigger spy is not one lector creates"
  cp plain.db changed.db
  sqlite3 changed.db "drop trigger documents_fts_insert; create trigger documents_fts_insert after insert on documents begin delete from runs; end"
  run "$LECTOR" recipe report --db changed.db
  expect_rc harden-code-1.7 1
  expect_err_has harden-code-1.8 "changed.db: the store's trigger documents_fts_insert is not one lector creates"
  # --trust-schema opens it; --time-limit stops the endless view
  run timeout 60 "$LECTOR" recipe report --db code.db --trust-schema --time-limit 1
  expect_rc harden-code-1.9 1
  expect_err_has harden-code-1.10 "code.db: stopped at the time limit (1 s)"
  run "$LECTOR" -e 'local db = lector.store.open("code.db", { trust_schema = true, time_limit = 0.5 }); print(pcall(db.value, db, "select count(*) from endless"))'
  expect_rc harden-code-1.11 0
  expect_out harden-code-1.12 "false	code.db: stopped at the time limit (0.5 s)"
  run "$LECTOR" -e 'lector.store.open("trig.db")'
  expect_rc harden-code-1.13 1
  expect_err_has harden-code-1.14 "trig.db: the store's trigger spy is not one lector creates"
  # DEFENSIVE: SQL cannot write the schema table even through a trusted store
  run "$LECTOR" -e 'local db = lector.store.open("plain.db"); db:exec("PRAGMA writable_schema=ON; UPDATE sqlite_schema SET sql = sql")'
  expect_rc harden-code-1.15 1
else
  skip harden-db "sqlite3 shell not installed"
fi

# ---- one bad JSON line is skipped with FILE:LINE; the rest is stored --------
printf '{"text":"one about Aleppo","uri":"a"}\n{"text":"big","uri":"b","n":1e999}\n{"text":"nul","uri":"c\\u0000d"}\n{"text":"deep","uri":"e","meta":{"k":[1,-1e999]}}\n{"text":"last one","uri":"f","title":"t"}\n' > bad.jsonl
printf 'another input\n' > other.txt
run "$LECTOR" recipe ingest --db j.db bad.jsonl other.txt
expect_rc harden-jsonl-1.1 1
expect_err_has harden-jsonl-1.2 'bad.jsonl:2: field "n": inf is not a number JSON can hold (NaN or out of range)'
expect_err_has harden-jsonl-1.3 'bad.jsonl:3: "uri" holds a NUL byte'
expect_err_has harden-jsonl-1.4 'bad.jsonl:4: field "meta.k.2": -inf is not a number JSON can hold'
expect_err_lacks harden-jsonl-1.5 "json.encode"
expect_out_has harden-jsonl-1.6 "3 added, 0 updated, 0 unchanged, 3 skipped"
run "$LECTOR" -e 'local db = lector.store.open("j.db"); print(db:value("select group_concat(uri, \",\") from (select uri from documents order by uri)"))'
expect_out harden-jsonl-1.7 "a,f,other.txt"
# meta that JSON cannot hold, from a script: an error naming the field
run "$LECTOR" -e 'local db = lector.store.open(":memory:"); db:add{uri = "x", text = "t", meta = {score = 0/0}}'
expect_rc harden-jsonl-1.8 1
expect_err_has harden-jsonl-1.9 "field 'meta.score': nan, which JSON cannot hold"
expect_err_lacks harden-jsonl-1.10 "json.encode"

# ---- terminal control sequences are escaped in text output ------------------
ESC=$(printf '\033')
BEL=$(printf '\007')
mkdir -p tty
printf '%s]0;owned%s Aleppo falls %s[2J\n\nAleppo was taken.\n' "$ESC" "$BEL" "$ESC" > "tty/title.txt"
printf 'a page about Aleppo\n' > "tty/x${ESC}[2J.txt"
printf 'alias\tentity\ttype\nAleppo\tAle%s[31mppo\tPLACE\n' "$ESC" > tty.tsv
run "$LECTOR" recipe ingest --db tty.db --all-files tty
expect_rc harden-tty-1.1 0
run "$LECTOR" recipe report --db tty.db
expect_rc harden-tty-1.2 0
expect_out_lacks harden-tty-1.3 "$ESC"
expect_out_has harden-tty-1.4 '\x1b]0;owned\x07 Aleppo falls \x1b[2J'
run "$LECTOR" recipe report --db tty.db --format json
expect_out_lacks harden-tty-1.5 "$BEL"
expect_out_has harden-tty-1.6 '\u001b]0;owned\u0007'
run "$LECTOR" recipe entities --gazetteer tty.tsv --mentions tty
expect_rc harden-tty-1.7 0
expect_out_lacks harden-tty-1.8 "$ESC"
expect_out_has harden-tty-1.9 'tty/x\x1b[2J.txt:'
expect_out_has harden-tty-1.10 'Ale\x1b[31mppo'
run "$LECTOR" recipe entities --gazetteer tty.tsv tty
expect_out_lacks harden-tty-1.11 "$ESC"
run "$LECTOR" recipe entities --gazetteer tty.tsv --mentions --format csv tty
expect_out_has harden-tty-1.12 "Ale${ESC}[31mppo"
printf '\377 bad\n' > "tty/bad${ESC}]0;x${BEL}.txt"
run "$LECTOR" recipe ingest --db tty2.db --all-files tty
expect_rc harden-tty-1.13 1
expect_err_lacks harden-tty-1.14 "$ESC"
expect_err_has harden-tty-1.15 'tty/bad\x1b]0;x\x07.txt'
run "$LECTOR" "no${ESC}[2Jscript.lua"
expect_rc harden-tty-1.16 2
expect_err_has harden-tty-1.17 'no\x1b[2Jscript.lua'
run "$LECTOR" -e "error('bad ${ESC}[2J thing')"
expect_rc harden-tty-1.18 1
expect_err_lacks harden-tty-1.19 "$ESC"

# ---- a damaged store: one message naming it, never positions or traces ------
if command -v sqlite3 >/dev/null; then
  mkdir -p many
  i=0
  while [ $i -lt 40 ]; do
    i=$((i + 1))
    { printf 'Report %d on Aleppo and Raqqa.\n' $i; head -c 3000 /dev/zero | tr '\0' 'x'; printf ' %d\n' $i; } > many/d$i.txt
  done
  run "$LECTOR" recipe ingest --db good.db many
  expect_rc harden-damage-1.1 0
  run "$LECTOR" recipe tag --db good.db --gazetteer "$E2E_ROOT/examples/gazetteer.tsv"
  expect_rc harden-damage-1.2 0
  sqlite3 good.db "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
  # clobber the first bytes (the b-tree page header) of a table's root page
  clobber() { # db table
    pg=$(sqlite3 "$1" "SELECT rootpage FROM sqlite_schema WHERE name = '$2'")
    printf '\377\377\377\377\377\377\377\377' | dd of="$1" bs=1 seek=$(( (pg - 1) * 4096 )) conv=notrunc 2>/dev/null
  }
  cp good.db bad.db
  clobber bad.db documents
  run "$LECTOR" recipe report --db bad.db
  expect_rc harden-damage-1.3 1
  expect_err_has harden-damage-1.4 "lector: bad.db: the store is damaged (database disk image is malformed); PRAGMA integrity_check"
  expect_err_lacks harden-damage-1.5 ".lua:"
  run "$LECTOR" recipe tag --db bad.db --gazetteer "$E2E_ROOT/examples/gazetteer.tsv"
  expect_rc harden-damage-1.6 1
  expect_err_has harden-damage-1.7 "bad.db: the store is damaged (database disk image is malformed)"
  expect_err_lacks harden-damage-1.8 ".lua:"
  expect_err_lacks harden-damage-1.9 "stack traceback"
  run "$LECTOR" recipe ingest --db bad.db x.txt
  expect_rc harden-damage-1.10 1
  expect_err_has harden-damage-1.11 "bad.db: the store is damaged ("
  expect_err_lacks harden-damage-1.12 "skipped"
  cp good.db fts.db
  clobber fts.db documents_fts_config
  run "$LECTOR" -e 'local db = lector.store.open("fts.db"); for r in db:search("Aleppo") do end'
  expect_rc harden-damage-1.13 1
  expect_err_has harden-damage-1.14 "lector: fts.db: the store is damaged (vtable constructor failed: documents_fts); PRAGMA integrity_check"
  expect_err_lacks harden-damage-1.15 "stack traceback"
  # a NULL position that SQL's NOT NULL should have kept out
  cp good.db null.db
  sqlite3 null.db "PRAGMA writable_schema=ON; UPDATE sqlite_schema SET sql = replace(sql, 'start_byte INTEGER NOT NULL', 'start_byte INTEGER') WHERE name = 'annotation_rows';"
  sqlite3 null.db "UPDATE annotation_rows SET start_byte = NULL WHERE id = (SELECT min(id) FROM annotation_rows);"
  sqlite3 null.db "PRAGMA writable_schema=ON; UPDATE sqlite_schema SET sql = replace(sql, 'start_byte INTEGER,', 'start_byte INTEGER NOT NULL,') WHERE name = 'annotation_rows';"
  run "$LECTOR" -e 'local db = lector.store.open("null.db"); for a in db:annotations{} do end'
  expect_rc harden-damage-1.16 1
  expect_err_has harden-damage-1.17 "lector: null.db: the store is damaged (annotation "
  expect_err_has harden-damage-1.18 "has no start_byte or end_byte); PRAGMA integrity_check says NULL value in annotation_rows.start_byte"
  expect_err_lacks harden-damage-1.19 "attempt to perform arithmetic"
  expect_err_lacks harden-damage-1.20 "stack traceback"
  # a recipe's own arithmetic on such a value: the store is named, not the recipe's line
  mkdir -p myrecipes
  cat > myrecipes/spans.lua <<'LUA'
local store = require "lector.store"
return { name = "spans", summary = "sum of span starts", inputs = "",
  options = { { name = "db", type = "string", required = true, help = "store" } },
  run = function(opts)
    local db = store.open(opts.db, { readonly = true })
    local sum = 0
    for _, r in ipairs(db:query("SELECT start_byte FROM annotation_rows")) do sum = sum + r.start_byte end
    print(sum)
    return 0
  end }
LUA
  LECTOR_RECIPES=$PWD/myrecipes run "$LECTOR" recipe spans --db null.db
  expect_rc harden-damage-1.21 1
  expect_err_has harden-damage-1.22 "lector: null.db: the store is damaged (attempt to perform arithmetic on field 'start_byte' (a nil value)); PRAGMA integrity_check says NULL value in annotation_rows.start_byte"
  expect_err_lacks harden-damage-1.23 "spans.lua:"
  LECTOR_RECIPES=$PWD/myrecipes run "$LECTOR" recipe spans --db good.db
  expect_rc harden-damage-1.24 0
fi
