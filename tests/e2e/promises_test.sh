# What the README promises on the command line and no other test checked
# (issue 22), each written from the README's words.

# ---- lector -v ------------------------------------------------------------
run "$LECTOR" -v
expect_rc prom-1.1 0
expect_true prom-1.2 "-v prints the version and its libraries: [$OUT]" \
  sh -c "echo '$OUT' | grep -qE '^lector [0-9]+\.[0-9]+\.[0-9]+ \(LuaJIT [^,]+, SQLite 3\.[0-9.]+, libunistring [0-9.]+\)$'"
run "$LECTOR" --version
expect_eq prom-1.3 "$OUT" "$("$LECTOR" -v)"

# ---- LECTOR_SCRIPTS overrides where the Lua library is found ---------------
cp -r "$E2E_ROOT/scripts" myscripts
printf 'return "from my scripts"\n' > myscripts/lector/only_here.lua
LECTOR_SCRIPTS="$E2E_TMP/myscripts" run "$LECTOR" -e 'print(require("lector.only_here"), lector.version ~= nil)'
expect_rc prom-2.1 0
expect_out prom-2.2 "from my scripts	true"
run "$LECTOR" -e 'print(pcall(require, "lector.only_here"))'
expect_true prom-2.3 "without LECTOR_SCRIPTS the built-in scripts are used" sh -c "echo '$OUT' | grep -q '^false'"
mkdir empty_scripts
LECTOR_SCRIPTS="$E2E_TMP/empty_scripts" run "$LECTOR" -e 'print(1)'
expect_rc prom-2.4 1
# the folder is used even when it holds no library: nothing falls back, and
# the message names the file it looked for and what to do, without a traceback
expect_err_has prom-2.5 "LECTOR_SCRIPTS is $E2E_TMP/empty_scripts, but $E2E_TMP/empty_scripts/lector/init.lua is not there"
expect_err_has prom-2.6 "or unset it"
expect_true prom-2.7 "no traceback" sh -c "! grep -q traceback '$E2E_TMP/err'"

# ---- LECTOR_RECIPES: two folders, searched first, in order ------------------
mkdir -p rec1 rec2
cat > rec1/shout.lua <<'LUA'
return {
  name = "shout",
  summary = "print the inputs in capitals",
  options = {
    { name = "times", type = "integer", default = 1, help = "repeat count" },
    { name = "mark", type = "string", default = "!", help = "end mark" },
    { name = "loud", type = "boolean", default = true, help = "capitals" },
  },
  run = function(opts, inputs)
    local s = table.concat(inputs, " ")
    for _ = 1, opts.times do print((opts.loud and s:upper() or s) .. opts.mark) end
    return 0
  end,
}
LUA
cat > rec2/stats.lua <<'LUA'
return {
  name = "stats",
  summary = "my own stats, in place of the built-in one",
  options = {},
  run = function(_, inputs) print("my stats of " .. #inputs .. " inputs") return 0 end,
}
LUA
cat > rec2/shout.lua <<'LUA'
return { name = "shout", summary = "the second folder's shout", options = {},
  run = function() print("second folder") return 0 end }
LUA
LECTOR_RECIPES="$E2E_TMP/rec1:$E2E_TMP/rec2" run "$LECTOR" recipe shout --times 2 hello world
expect_rc prom-3.1 0
expect_out prom-3.2 "HELLO WORLD!
HELLO WORLD!"
LECTOR_RECIPES="$E2E_TMP/rec1:$E2E_TMP/rec2" run "$LECTOR" recipe stats a b
expect_out prom-3.3 "my stats of 2 inputs"
LECTOR_RECIPES="$E2E_TMP/rec1:$E2E_TMP/rec2" run "$LECTOR" recipes
expect_out_has prom-3.4 "my own stats, in place of the built-in one"
expect_out_has prom-3.5 "print the inputs in capitals"
expect_out_lacks prom-3.6 "the second folder's shout"
# without the folders, the built-in stats
run "$LECTOR" recipe stats --format json "$E2E_ROOT/examples/corpus"
expect_out_lacks prom-3.7 "my stats"

# ---- at exit: an analyst's recipe gets its finalizers run; lector's own
# recipes leave without freeing the Lua state, their stores closed first ----
mkdir -p rec3
cat > rec3/keep.lua <<'LUA'
return { name = "keep", summary = "leaves a store open and a finalizer to run", options = {},
  run = function(_, inputs)
    local db = lector.store.open(inputs[1])
    db:add { uri = "u", text = "Aleppo" }
    KEEP = { db = db, ffi = require("ffi").gc(require("ffi").new("char[1]"), function()
      local f = io.open(inputs[2], "w"); f:write("finalized\n"); f:close()
    end) }
    return 0
  end }
LUA
LECTOR_RECIPES="$E2E_TMP/rec3" run "$LECTOR" recipe keep "$E2E_TMP/keep.db" "$E2E_TMP/final.txt"
expect_rc prom-3.8 0
expect_true prom-3.9 "the analyst's recipe's finalizer ran at exit" grep -qx finalized "$E2E_TMP/final.txt"
expect_true prom-3.10 "its store closed: no WAL left" sh -c "! test -e '$E2E_TMP/keep.db-wal'"
run "$LECTOR" recipe ingest --db "$E2E_TMP/own.db" "$E2E_ROOT/examples/corpus"
run "$LECTOR" recipe tag --db "$E2E_TMP/own.db" --gazetteer "$E2E_ROOT/examples/gazetteer.tsv"
expect_rc prom-3.11 0
expect_true prom-3.12 "a built-in recipe's store closed: no WAL left" sh -c "! test -e '$E2E_TMP/own.db-wal'"
expect_true prom-3.13 "and whole" sh -c "[ \"\$(sqlite3 '$E2E_TMP/own.db' 'PRAGMA integrity_check')\" = ok ]"

# ---- boolean options: --flag, --no-flag, --flag=false ----------------------
for c in "prom-4.1||HELLO!" "prom-4.2|--loud|HELLO!" "prom-4.3|--no-loud|hello!" \
         "prom-4.4|--loud=false|hello!" "prom-4.5|--loud=true|HELLO!" "prom-4.6|--loud=no|hello!"; do
  id=${c%%|*}; rest=${c#*|}; flag=${rest%%|*}; want=${rest#*|}
  LECTOR_RECIPES="$E2E_TMP/rec1" run "$LECTOR" recipe shout $flag hello
  expect_out "$id" "$want"
done
LECTOR_RECIPES="$E2E_TMP/rec1" run "$LECTOR" recipe shout --loud=maybe hello
expect_rc prom-4.7 2
expect_err_has prom-4.8 "option --loud: expected true or false, got 'maybe'"

# ---- --progress never on a terminal --------------------------------------
G="$E2E_ROOT/examples/gazetteer.tsv"
"$LECTOR" recipe ingest --db p.db "$E2E_ROOT/examples/corpus" >/dev/null 2>&1
if command -v script >/dev/null 2>&1; then
  script -qec "$LECTOR recipe tag --db p.db --gazetteer $G --progress never" /dev/null > never.out 2>&1
  expect_true prom-5.1 "no bar on a terminal with --progress never: $(cat never.out)" sh -c "! grep -q 'documents' never.out || ! grep -q '%' never.out"
  expect_true prom-5.2 "the summary still prints" grep -q "tag: 5 documents -> p.db" never.out
  script -qec "$LECTOR recipe tag --db p.db --gazetteer $G" /dev/null > auto.out 2>&1
  expect_true prom-5.3 "the automatic bar on a terminal" grep -q "100%  5/5 documents" auto.out
else
  skip_all "no script(1) to give the recipe a terminal" prom-5.1 prom-5.2 prom-5.3
fi

# ---- ingest --repair records the first invalid offset ----------------------
printf 'caf\351 au lait \377\n' > bad.txt
run "$LECTOR" recipe ingest --db r.db bad.txt
expect_rc prom-6.1 1
expect_err_has prom-6.2 "lector: bad.txt: invalid UTF-8 at byte 4: truncated sequence; --repair replaces it with U+FFFD"
run "$LECTOR" recipe ingest --db r.db --repair bad.txt
expect_rc prom-6.3 0
expect_eq prom-6.4 "$(sqlite3 r.db "select json_extract(meta, '$.utf8_first_invalid_offset') || ' ' || json_extract(meta, '$.utf8_repairs') from documents")" "3 2"
expect_eq prom-6.5 "$(sqlite3 r.db "select hex(text) from documents")" "$(printf 'caf\357\277\275 au lait \357\277\275\n' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)"

# ---- JSON lines: .ndjson, url, fields win over the text -------------------
printf '%s\n' '{"text": "Islamic State close to taking city\nBy Alexander Mercouris\n\nThe city fell.", "url": "http://example.com/a", "author": "Someone Else", "lang": "en"}' > feed.ndjson
run "$LECTOR" recipe ingest --db j.db feed.ndjson
expect_rc prom-7.1 0
expect_eq prom-7.2 "$(sqlite3 j.db "select uri || '|' || author || '|' || title || '|' || json_extract(meta, '$.lang') from documents")" \
  "http://example.com/a|Someone Else|Islamic State close to taking city|en"

# ---- entities --overlap and --hyphens strict -------------------------------
printf 'alias\tentity\ttype\nSyrian Army\tSyrian Arab Army\tORG\nSyrian\tSyria\tNORP\nDeir ez-Zor\tDeir ez-Zor\tPLACE\n' > g.tsv
printf 'The Syrian Army held Deir ez Zor, Deir ez-Zor and Deir-ez-Zor.\n' > o.txt
run "$LECTOR" recipe entities --mentions --format csv --gazetteer g.tsv o.txt
expect_eq prom-8.1 "$(echo "$OUT" | grep -c 'Syria,NORP\|,Syria,')" 0
expect_eq prom-8.2 "$(echo "$OUT" | grep -c '^o.txt,[0-9]*,[0-9]*,Deir ez-Zor')" 3
run "$LECTOR" recipe entities --overlap --mentions --format csv --gazetteer g.tsv o.txt
expect_rc prom-8.3 0
expect_out_has prom-8.4 "o.txt,5,10,Syria,NORP,Syrian,"
expect_out_has prom-8.5 "o.txt,5,15,Syrian Arab Army,ORG,Syrian Army,"
run "$LECTOR" recipe entities --hyphens strict --mentions --format csv --gazetteer g.tsv o.txt
expect_rc prom-8.6 0
expect_eq prom-8.7 "$(echo "$OUT" | grep -c '^o.txt,[0-9]*,[0-9]*,Deir ez-Zor')" 1
expect_out_has prom-8.8 "o.txt,35,45,Deir ez-Zor,PLACE,Deir ez-Zor,"

# ---- ingest of a 100 MB line -----------------------------------------------
if [ -z "${LECTOR_SANITIZER:-}" ]; then
  head -c 100000000 /dev/zero | tr '\0' a > big.txt
  run timeout 120 "$LECTOR" recipe ingest --db big.db big.txt
  expect_rc prom-9.1 0
  expect_eq prom-9.2 "$(sqlite3 big.db "select length(text) from documents")" 100000000
  rm -f big.txt big.db*
else
  skip_all "a 100 MB ingest under a sanitizer takes too long" prom-9.1 prom-9.2
fi
