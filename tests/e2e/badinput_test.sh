# The bad-input suite (issue 6): whatever an analyst feeds lector, it ends
# with a message naming the file (and line or byte offset where one
# applies), the documented exit code, and never a crash: no signal, no
# sanitizer report (under `make test-asan` a leak or memory error shows up
# in stderr and fails the case). Exit codes: 0 ok, 1 error, 2 bad usage or
# missing file, 130 interrupted.
#
# Cases that need a module (tokenizer, store, gazetteer, pattern, readers,
# recipes) check that the module is there first and are SKIPPED with the
# reason when it is not.

# expect_clean ID: the last run ended by itself (no signal) and left no
# sanitizer report.
expect_clean() {
  if [ "$RC" -ge 128 ]; then
    fail "$1" "killed by a signal (exit $RC): $(echo "$ERR" | head -5)"
  else
    case "$ERR" in
      *Sanitizer* | *"runtime error:"*) fail "$1" "sanitizer: $(echo "$ERR" | grep -m3 -E 'Sanitizer|runtime error')" ;;
      *) pass ;;
    esac
  fi
}

# has_lua EXPR: true when `lector -e` can evaluate EXPR without error; a
# module that is missing fails its whole group of cases.
has_lua() { "$LECTOR" -e "assert($1)" >/dev/null 2>&1 </dev/null; }

# ---- usage errors: exit 2 with the usage line ----------------------------
run "$LECTOR" -e
expect_rc usage-1.1 2
expect_err_has usage-1.2 "usage: lector"
run "$LECTOR" run
expect_rc usage-1.3 2
run "$LECTOR" --no-such-option
expect_rc usage-1.4 2
expect_err_has usage-1.5 "lector: unknown option --no-such-option"
run "$LECTOR" recipe
expect_rc usage-1.6 2
run "$LECTOR" repl a.db b.db
expect_rc usage-1.7 2

# ---- scripts that cannot be read or do not parse --------------------------
run "$LECTOR" no-such-script.lua
expect_rc script-1.1 2
expect_err_has script-1.2 "lector: no-such-script.lua: No such file or directory"
mkdir adir
run "$LECTOR" adir
expect_rc script-1.3 2   # a file named on the command line that cannot be read
expect_err_has script-1.4 "lector: adir: Is a directory"
expect_clean script-1.5
# An ELF binary and a PNG given as a script: a syntax error naming the
# file, never a crash.
run "$LECTOR" /bin/true
expect_rc script-2.1 1
expect_err_has script-2.2 "/bin/true:"
expect_clean script-2.3
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\000\001\000\000\000\001\010\006\000\000\000\037\025\304\211' > img.png
run "$LECTOR" img.png
expect_rc script-2.4 1
expect_err_has script-2.5 "img.png:"
expect_clean script-2.6
printf 'print("a")\000print("b")\n' > nul.lua
run "$LECTOR" nul.lua
expect_rc script-2.7 1
expect_err_has script-2.8 "nul.lua:1:"
printf 'local x = = 1\n' > syntax.lua
run "$LECTOR" syntax.lua
expect_rc script-2.9 1
expect_err_has script-2.10 "syntax.lua:1:"
: > empty.lua
run "$LECTOR" empty.lua
expect_rc script-3.1 0
expect_err_empty script-3.2
printf '  \n\t\n' > blank.lua
run "$LECTOR" blank.lua
expect_rc script-3.3 0
printf '\357\273\277print("bom")\r\nprint("crlf")\r\n' > bom.lua
run "$LECTOR" bom.lua
expect_rc script-3.4 0
expect_out script-3.5 "bom
crlf"
run_in 'local t = nil; return t.x' "$LECTOR" -
expect_rc script-3.6 1
expect_err_has script-3.7 "stdin:1:"

# ---- errors raised by scripts, also from inside C callbacks ---------------
printf 'local a = 1\nerror("plain boom")\n' > err.lua
run "$LECTOR" err.lua
expect_rc throw-1.1 1
expect_err_has throw-1.2 "err.lua:2: plain boom"
# Inside a comparator called by table.sort (C calling back into Lua).
printf 'local t = {3, 1, 2}\ntable.sort(t, function(a, b)\n  error("comparator boom")\nend)\n' > sortcb.lua
run "$LECTOR" sortcb.lua
expect_rc throw-1.3 1
expect_err_has throw-1.4 "sortcb.lua:3: comparator boom"
expect_clean throw-1.5
# A comparator that is inconsistent ("invalid order function").
run "$LECTOR" -e 'local t = {} for i = 1, 200 do t[i] = i % 7 end table.sort(t, function() return true end)'
expect_rc throw-1.6 1
expect_err_has throw-1.6b "(command line):1: invalid order function for sorting"
expect_clean throw-1.6c
# Inside a string.gsub replacement function.
printf 'local s = ("word "):rep(10)\ns = s:gsub("%%a+", function(w)\n  error("gsub boom in " .. w)\nend)\n' > gsubcb.lua
run "$LECTOR" gsubcb.lua
expect_rc throw-1.7 1
expect_err_has throw-1.8 "gsubcb.lua:3: gsub boom in word"
# Inside a __gc finalizer and an __index metamethod.
run "$LECTOR" -e 'setmetatable({}, {__index = function() error("index boom") end}).x = nil; local _ = setmetatable({}, {__index = function() error("index boom") end}).y'
expect_rc throw-1.9 1
expect_err_has throw-1.10 "index boom"
run "$LECTOR" -e 'local p = newproxy(true); getmetatable(p).__gc = function() error("gc boom") end; p = nil; collectgarbage(); collectgarbage()'
expect_rc throw-1.11 1
expect_err_has throw-1.11b "(command line):1: gc boom"
expect_clean throw-1.11c
# Inside a coroutine, resumed through coroutine.wrap.
run "$LECTOR" -e 'local f = coroutine.wrap(function() coroutine.yield(1); error("coro boom") end); f(); f()'
expect_rc throw-1.12 1
expect_err_has throw-1.13 "coro boom"
# Error objects that are not strings.
run "$LECTOR" -e 'error(nil)'
expect_rc throw-2.1 1
expect_err_has throw-2.2 "nil value"
run "$LECTOR" -e 'error({code = 7})'
expect_rc throw-2.3 1
expect_err_has throw-2.3b "(error object is a table value)"
expect_clean throw-2.3c
run "$LECTOR" -e 'error(setmetatable({}, {__tostring = function() return "custom error object" end}))'
expect_rc throw-2.11 1
expect_true throw-2.12 "an error object with __tostring prints 'lector: error', not its text (core/host/embed.c report)" \
  grep -q "custom error object" "$E2E_TMP/err"
run "$LECTOR" -e 'error(setmetatable({}, {__tostring = function() error("tostring boom") end}))'
expect_rc throw-2.4 1
expect_clean throw-2.5
# Runaway recursion is a Lua error, not a C stack overflow.
run "$LECTOR" -e 'local function f(n) return 1 + f(n + 1) end f(1)'
expect_rc throw-2.6 1
expect_err_has throw-2.7 "stack overflow"
run "$LECTOR" -e 'local t = setmetatable({}, {}) getmetatable(t).__index = function(s, k) return s[k] end local _ = t.x'
expect_rc throw-2.8 1
expect_clean throw-2.9
# os.exit's code is the process's.
run "$LECTOR" -e 'os.exit(3)'
expect_rc throw-2.10 3

# ---- Ctrl-C ----------------------------------------------------------------
# A JIT-compiled loop runs no hooks: the watchdog still ends it with 130.
# The script says "ready" once running, so a slow (sanitized) start is not
# mistaken for the default SIGINT death.
"$LECTOR" -e 'io.stderr:write("ready\n") local x = 0 while true do x = x + 1 end' >/dev/null 2>int.err &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q ready int.err 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
sleep 0.2
kill -INT "$pid"
wait "$pid"
RC=$? ERR=$(cat int.err)
expect_rc sigint-1.1 130
expect_err_has sigint-1.2 "interrupted"

# ---- odd files through a recipe (stats reads whole files) -----------------
# json_field NAME: the integer field NAME of the JSON object in $OUT.
json_field() { echo "$OUT" | LC_ALL=C sed -nE "s/.*\"$1\": *([0-9]+).*/\1/p"; }

: > empty.txt
run "$LECTOR" recipe stats --format json empty.txt
expect_rc files-1.1 0
expect_eq files-1.2 "$(json_field documents)/$(json_field words)" "1/0"
printf '  \t\n\r\n \n' > blank.txt
run "$LECTOR" recipe stats --format json blank.txt
expect_rc files-1.3 0
expect_eq files-1.4 "$(json_field words)" 0
printf 'one\r\ntwo\r\n\r\nthree\rfour\r' > crlf.txt
run "$LECTOR" recipe stats --format json crlf.txt
expect_rc files-1.5 0
expect_eq files-1.6 "$(json_field words)" 4
printf 'a\000b\000\000c\n' > nul.txt
run "$LECTOR" recipe stats --format json nul.txt
expect_rc files-1.7 0
expect_eq files-1.8 "$(json_field bytes)" 7
printf '\377\376h\000i\000\n\000' > utf16.txt
# Not UTF-8 (UTF-16, an ELF, a PNG): each skipped with its file and byte
# offset; nothing read means exit 1.
run "$LECTOR" recipe stats --format json utf16.txt /bin/true img.png
expect_rc files-1.9 1
expect_err_has files-1.10 "utf16.txt: UTF-16 (little-endian, with a byte order mark), not UTF-8"
expect_err_has files-1.11 "/bin/true: invalid UTF-8 at byte"
expect_err_has files-1.12 "img.png: invalid UTF-8 at byte 1:"
expect_clean files-1.13
expect_true files-1.14 "stdout is valid UTF-8" iconv -f UTF-8 -t UTF-8 -o /dev/null "$E2E_TMP/out"
# Invalid UTF-8 at the start, in the middle and at the end: the offset of
# the first bad byte (1-based, as lector counts bytes for Lua); the good
# files are still read.
printf '\377starts badly\n' > bad-start.txt
printf 'good text \303\050 then more\n' > bad-middle.txt
printf 'ends mid-character \342\202' > bad-end.txt
printf 'perfectly fine\n' > fine.txt
run "$LECTOR" recipe stats --format json bad-start.txt bad-middle.txt bad-end.txt fine.txt
expect_rc files-1.15 1   # a skipped input makes the exit code 1; the rest is still read
expect_err_has files-1.16 "bad-start.txt: invalid UTF-8 at byte 1:"
expect_err_has files-1.17 "bad-middle.txt: invalid UTF-8 at byte 11:"
expect_err_has files-1.18 "bad-end.txt: invalid UTF-8 at byte 20:"
expect_eq files-1.19 "$(json_field documents)" 1
# A byte order mark is not a word.
printf '\357\273\277BOM first\n' > bom.txt
run "$LECTOR" recipe stats --format json --top 5 bom.txt
expect_rc files-1.20 0
expect_eq files-1.21 "$(json_field words)" 2
# 100 MB without a single newline: read whole, counted as one line.
awk 'BEGIN { s = "word "; for (i = 0; i < 10; i++) s = s s; n = 0;
             while (n < 100000000) { printf "%s", s; n += length(s) } }' > big.txt
size=$(wc -c < big.txt)
run "$LECTOR" recipe stats --format json --top 1 big.txt
expect_rc files-2.1 0
expect_eq files-2.2 "$(json_field bytes)/$(json_field lines)" "$size/1"
expect_clean files-2.3
rm -f big.txt

# ---- a directory with unreadable files, symlink loops, a FIFO -------------
mkdir -p tree/sub
echo "alpha beta" > tree/a.txt
echo "gamma" > tree/sub/b.txt
echo "secret words" > tree/locked.txt
chmod 000 tree/locked.txt
ln -s .. tree/sub/up          # a directory loop
ln -s y tree/x; ln -s x tree/y  # a two-link loop (ELOOP)
ln -s /nonexistent tree/dangling
mkfifo tree/pipe              # reading it would block forever
# Root reads any file: drop to nobody to see "unreadable" as analysts do.
as_user=""
if [ "$(id -u)" = 0 ]; then
  if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
    as_user="setpriv --reuid=nobody --regid=$(id -g nobody) --clear-groups"
    chmod 755 "$E2E_TMP"
  fi
fi
run timeout 20 $as_user "$LECTOR" recipe stats --format json tree
expect_rc tree-1.1 1
expect_err_has tree-1.2 "tree/sub/up: symlink loop"
expect_err_has tree-1.3 "tree/x"
expect_err_has tree-1.4 "lector: tree/dangling: No such file or directory"
if [ "$(id -u)" != 0 ] || [ -n "$as_user" ]; then
  expect_err_has tree-1.5 "tree/locked.txt: Permission denied"
  expect_eq tree-1.6 "$(json_field documents)" 2
else
  skip tree-1.5 "running as root without setpriv: every file is readable"
fi
expect_clean tree-1.7
# Every input missing: exit 2 (files named on the command line) and each named.
run "$LECTOR" recipe stats nothere.txt alsomissing
expect_rc tree-2.1 2
expect_err_has tree-2.2 "nothere.txt"
expect_err_has tree-2.3 "alsomissing"
# Recipe usage errors exit 2.
run "$LECTOR" recipe no-such-recipe
expect_rc recipe-1.1 2
expect_err_has recipe-1.2 "lector: no recipe named 'no-such-recipe' (lector recipes lists them)"
run "$LECTOR" recipe stats --top notanumber a.txt
expect_rc recipe-1.3 2
expect_err_has recipe-1.4 "lector: option --top: expected an integer, got 'notanumber'"
run "$LECTOR" recipe stats --no-such-opt 1
expect_rc recipe-1.5 2

# ---- JSON lines --------------------------------------------------------------
# Every kept fuzz input of the JSON-lines reader goes through the fuzz
# target's own invariant check (tests/fuzz/jsonl_check.lua).
if has_lua 'lector.read.documents'; then
  for f in "$E2E_ROOT"/tests/fuzz/regress/jsonl/*; do
    [ -f "$f" ] || continue
    run "$LECTOR" -e 'package.path = arg[1] .. "/tests/fuzz/?.lua;" .. package.path
      local msg = require("jsonl_check").check(arg[2])
      if msg then io.stderr:write(msg, "\n") os.exit(1) end' "$E2E_ROOT" "$f"
    expect_rc "jsonl-regress:$(basename "$f")" 0
  done
  printf '{"text": "fine"}\n{"text": broken}\n{"text": "also fine"}\n' > docs.jsonl
  run "$LECTOR" -e 'for d in lector.read.documents({arg[1]}) do
      print(d.where, d.error and "error: " .. d.error or "ok") end' docs.jsonl
  expect_rc jsonl-1.1 0
  expect_out_has jsonl-1.2 "docs.jsonl:2	error: "
  expect_out_has jsonl-1.3 "docs.jsonl:3	ok"
  printf '\357\273\277{"text": "after a BOM"}\n' > bom.jsonl
  run "$LECTOR" -e 'for d in lector.read.documents({arg[1]}) do
      print(d.where, d.error and "error: " .. d.error or "ok") end' bom.jsonl
  expect_true jsonl-1.4 "a JSON-lines file starting with a UTF-8 BOM loses its first record as 'invalid JSON' (scripts/lector/read.lua)" \
    grep -q "bom.jsonl:1	ok" "$E2E_TMP/out"
else
  fail jsonl-1 "lector.read has not landed"
fi

# ---- stores that are read-only, locked, or not a database -----------------
if has_lua 'lector.store.open'; then
  # count_docs DB: the number of documents, read with the sqlite3 shell
  # (independent of lector); "ERR" when the file cannot be read.
  count_docs() { sqlite3 "$1" 'SELECT count(*) FROM documents' 2>/dev/null || echo ERR; }
  add_doc='local db = lector.store.open(arg[1], {busy_timeout = tonumber(arg[4]) or 200})
    db:add{uri = arg[2], text = arg[3]} db:close()'
  run "$LECTOR" -e "$add_doc" kept.db a.txt "first document"
  run "$LECTOR" -e "$add_doc" kept.db b.txt "second document"
  expect_eq store-0.1 "$(count_docs kept.db)" 2

  # Not a database: refused with the path named, and the file untouched.
  printf 'just some text, not SQLite\n' > notdb.db
  sum=$(cksum < notdb.db)
  run "$LECTOR" -e "$add_doc" notdb.db c.txt "x"
  expect_rc store-1.1 1
  expect_err_has store-1.2 "notdb.db: not an SQLite database (file is not a database); give the path of a lector store or of a new file"
  expect_clean store-1.3
  expect_eq store-1.4 "$(cksum < notdb.db)" "$sum"
  head -c 4096 /bin/true > elf.db
  run "$LECTOR" -e "$add_doc" elf.db c.txt "x"
  expect_rc store-1.5 1
  expect_err_has store-1.6 "elf.db: not an SQLite database (file is not a database)"
  # A SQLite database that is not a lector store is not taken over.
  sqlite3 other.db 'CREATE TABLE t(x); INSERT INTO t VALUES (1);'
  run "$LECTOR" -e "$add_doc" other.db c.txt "x"
  expect_rc store-1.7 1
  expect_err_has store-1.8 "other.db: an SQLite database with tables of its own, not a lector store; give a new file"
  expect_eq store-1.9 "$(sqlite3 other.db 'SELECT count(*) FROM t; SELECT count(*) FROM sqlite_master')" "1
1"
  # A missing directory.
  run "$LECTOR" -e "$add_doc" no/such/dir/x.db c.txt "x"
  expect_rc store-1.10 1
  expect_err_has store-1.11 "no/such/dir/x.db: cannot create the database: directory no/such/dir does not exist; create it first"

  # Locked by another process (a write transaction held open by the
  # sqlite3 shell): a clear "locked" error after the busy timeout, and
  # nothing lost once the lock is gone.
  { echo "BEGIN IMMEDIATE; INSERT INTO runs(name, version, started) VALUES ('lock', '0', 'now');"
    sleep 3; echo "ROLLBACK;"; } | sqlite3 kept.db &
  locker=$!
  sleep 0.5
  run "$LECTOR" -e "$add_doc" kept.db c.txt "third document" 200
  expect_rc store-2.1 1
  expect_err_has store-2.2 "kept.db"
  case "$ERR" in *lock* | *busy*) pass ;; *) fail store-2.3 "no lock/busy in: $ERR" ;; esac
  expect_clean store-2.4
  wait "$locker"
  expect_eq store-2.5 "$(count_docs kept.db)" 2

  # Read-only: the file (and its directory) not writable by the user.
  mkdir ro
  cp kept.db ro/kept.db
  as_user=""
  [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1 &&
    as_user="setpriv --reuid=nobody --regid=$(id -g nobody) --clear-groups"
  if [ "$(id -u)" != 0 ] || [ -n "$as_user" ]; then
    chmod 755 "$E2E_TMP"; chmod 555 ro; chmod 444 ro/kept.db
    run $as_user "$LECTOR" -e "$add_doc" ro/kept.db c.txt "third document"
    expect_rc store-3.1 1
    expect_err_has store-3.2 "ro/kept.db"
    case "$ERR" in *read-only* | *readonly* | *"read only"*) pass ;; *) fail store-3.3 "no read-only in: $ERR" ;; esac
    expect_clean store-3.4
    # Opened read-only on purpose, it can still be read.
    run $as_user "$LECTOR" -e 'local db = lector.store.open(arg[1], {readonly = true})
      local n = 0 for _ in db:documents() do n = n + 1 end print(n)' ro/kept.db
    expect_clean store-3.5
    expect_true store-3.6 "a store in a read-only directory cannot be opened even with readonly = true: the WAL file needs its -shm beside it (core/store_open.c: leave WAL on close, or retry read-only opens immutable)" \
      test "$OUT" = 2
    chmod 755 ro; chmod 644 ro/kept.db
    expect_eq store-3.7 "$(count_docs ro/kept.db)" 2
    # A read-only file in a writable directory reads fine with readonly.
    mkdir rofile; cp kept.db rofile/kept.db; chmod 777 rofile; chmod 444 rofile/kept.db
    run $as_user "$LECTOR" -e 'local db = lector.store.open(arg[1], {readonly = true})
      local n = 0 for _ in db:documents() do n = n + 1 end print(n)' rofile/kept.db
    expect_rc store-3.8 0
    expect_out store-3.9 2
  else
    skip store-3 "running as root without setpriv: nothing is read-only"
  fi

  # A script that fails inside a transaction: rolled back, nothing lost.
  run "$LECTOR" -e 'local db = lector.store.open(arg[1])
    db:transaction(function()
      db:add{uri = "d.txt", text = "fourth"}
      table.sort({3, 2, 1}, function() error("boom inside sort inside a transaction") end)
    end)' kept.db
  expect_rc store-4.1 1
  expect_err_has store-4.2 "boom inside sort"
  expect_eq store-4.3 "$(count_docs kept.db)" 2
  # Killed mid-write: the database stays whole (SQLite's journal).
  "$LECTOR" -e 'local db = lector.store.open(arg[1])
    io.stderr:write("ready\n")
    db:transaction(function()
      for i = 1, 1e9 do db:add{uri = "k" .. i, text = "doc " .. i} end
    end)' kept.db 2>kill.err &
  pid=$!
  i=0
  while [ $i -lt 100 ] && ! grep -q ready kill.err 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
  sleep 0.3
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  expect_eq store-4.4 "$(sqlite3 kept.db 'PRAGMA integrity_check')" ok
  expect_eq store-4.5 "$(count_docs kept.db)" 2
  # Invalid UTF-8 text is refused with its byte offset, and not stored.
  run "$LECTOR" -e 'local db = lector.store.open(arg[1])
    db:add{uri = "bad.txt", text = "caf\233 au lait"}' kept.db
  expect_rc store-5.1 1
  expect_err_has store-5.2 "bad.txt: invalid UTF-8 at byte 4"
  expect_eq store-5.3 "$(count_docs kept.db)" 2
else
  fail store "lector.store has not landed"
fi

# ---- gazetteers and patterns ----------------------------------------------
if has_lua 'lector.gazetteer.load' && has_lua 'lector.pattern.compile'; then
  printf 'Fighting near Aleppo and in Deir ez-Zor, said SANA.\n' > doc.txt
  printf 'alias\ttype\nAleppo\tPLACE\n' > nocol.tsv
  run "$LECTOR" recipe entities --gazetteer nocol.tsv doc.txt
  expect_rc gaz-1.1 1
  expect_err_has gaz-1.2 "nocol.tsv:1:"
  printf 'alias\tentity\ttype\nAleppo\tAleppo\tPLACE\n\tNobody\tPERSON\nSANA\tSANA\tMEDIA\n' > emptyalias.tsv
  run "$LECTOR" recipe entities --gazetteer emptyalias.tsv doc.txt
  expect_rc gaz-1.3 1
  expect_err_has gaz-1.4 "emptyalias.tsv:3: empty alias"
  run "$LECTOR" recipe entities --skip-bad --format csv --gazetteer emptyalias.tsv doc.txt
  expect_rc gaz-1.5 0
  expect_err_has gaz-1.6 "emptyalias.tsv:3"
  expect_out_has gaz-1.7 "SANA"
  printf 'alias\tentity\ttype\n%s\tLong\tX\nAleppo\tAleppo\tPLACE\n' "$(head -c 10000 /dev/zero | tr '\0' a)" > long.tsv
  run "$LECTOR" recipe entities --format csv --gazetteer long.tsv doc.txt
  expect_rc gaz-1.8 0
  expect_out_has gaz-1.9 "Aleppo"
  # A 10,000-character alias that does occur is found.
  head -c 10000 /dev/zero | tr '\0' a > longdoc.txt
  run "$LECTOR" recipe entities --format csv --gazetteer long.tsv longdoc.txt
  expect_rc gaz-1.10 0
  expect_out_has gaz-1.11 "Long"
  printf 'alias\tentity\ttype\nAleppo\tAleppo\tPLACE\nAleppo\tAleppo\tPLACE\nAleppo\tAleppo\tPLACE\n' > dup.tsv
  run "$LECTOR" -e 'local g = lector.gazetteer.load(arg[1]) print(g:stats().entries)' dup.tsv
  expect_rc gaz-1.12 0
  expect_out gaz-1.13 1
  printf 'alias,entity\n"never closed,X\nAleppo,Aleppo\n' > quote.csv
  run "$LECTOR" recipe entities --gazetteer quote.csv doc.txt
  expect_rc gaz-1.14 1
  expect_err_has gaz-1.15 "quote.csv:2"
  run "$LECTOR" recipe entities --gazetteer /bin/true doc.txt
  expect_rc gaz-1.16 1
  expect_err_has gaz-1.17 "/bin/true:1:"
  expect_clean gaz-1.18
  run "$LECTOR" recipe entities --gazetteer missing.tsv doc.txt
  expect_rc gaz-1.19 2   # a file named on the command line that is missing
  expect_err_has gaz-1.20 "lector: missing.tsv: No such file or directory"
  # A compiled gazetteer file that is damaged: refused, never trusted.
  printf 'alias\tentity\nAleppo\tAleppo\n' > ok.tsv
  run "$LECTOR" recipe entities --gazetteer ok.tsv --save ok.gaz doc.txt
  expect_rc gaz-2.1 0
  head -c 40 ok.gaz > cut.gaz
  run "$LECTOR" recipe entities --gazetteer cut.gaz doc.txt
  expect_rc gaz-2.2 1
  expect_err_has gaz-2.3 "cut.gaz"
  expect_clean gaz-2.4

  # Documents with invalid UTF-8, a BOM, CRLF, NUL bytes: the bad one is
  # named with its byte; the odd ones are matched; an entry without a type
  # keeps every CSV column.
  printf 'near Aleppo \377 and\n' > inv.txt
  printf '\357\273\277Aleppo\r\nAleppo\000Aleppo\r' > odd.txt
  run "$LECTOR" recipe entities --mentions --format csv --gazetteer ok.tsv inv.txt odd.txt doc.txt
  expect_err_has gaz-3.1 "lector: inv.txt: invalid UTF-8 at byte 13: invalid byte"
  expect_clean gaz-3.2
  expect_out_has gaz-3.3 "odd.txt,4,9,Aleppo,,Aleppo,Aleppo,ok.tsv:2,"
  expect_out_has gaz-3.4 "odd.txt,19,24,Aleppo,,Aleppo,Aleppo,ok.tsv:2,"
  expect_out_has gaz-3.5 "doc.txt,15,20,Aleppo,,Aleppo,Aleppo,ok.tsv:2,\"Fighting near Aleppo"
  run "$LECTOR" recipe entities --format csv --gazetteer ok.tsv doc.txt
  expect_out gaz-3.6 "entity,type,mentions,documents,aliases
Aleppo,,1,1,Aleppo (1)"

  # Patterns: unbalanced, unknown kind, bad repeat, too deep: the column.
  for case in "pat-1.1|(a|b|column 5" "pat-1.2|a)|column 2" "pat-1.3|<nosuchkind>|column 2" \
              "pat-1.4|x{5,2}|column 3" "pat-1.5|\"open|column 6: expected '\"' to close the text opened at column 1" "pat-1.6|@|column 1: expected a gazetteer for @ (lector.pattern(src, {gazetteer = g}))" ; do
    id=${case%%|*}; rest=${case#*|}; src=${rest%|*}; want=${rest##*|}
    run "$LECTOR" -e 'lector.pattern.compile(arg[1])' "$src"
    expect_rc "$id" 1
    expect_err_has "$id.msg" "pattern: $want"
  done
  run "$LECTOR" -e 'lector.pattern.compile(string.rep("(", 500) .. "a" .. string.rep(")", 500))'
  expect_rc pat-1.7 1
  expect_err_has pat-1.8 "nested"
  run "$LECTOR" -e 'lector.pattern.compile("_{1000}{1000}")'
  expect_rc pat-1.9 1
  expect_clean pat-1.10

  # Errors raised inside the library's iterators and callbacks: a clean
  # error with the script's line; the objects stay usable.
  printf '%s\n' 'local toks = lector.tokenize("one two three")' \
    'local ok, err = pcall(function() for i, t in toks:each() do if i == 2 then error("in each") end end end)' \
    'assert(not ok and err:find("in each"))' \
    'local p = lector.pattern("<word>")' \
    'ok, err = pcall(function() for m in p:matches(toks) do error("in matches") end end)' \
    'assert(not ok and err:find("in matches"))' \
    'local n = 0 for _ in p:matches(toks) do n = n + 1 end' \
    'assert(n == 3, "pattern still usable")' \
    'local g = lector.gazetteer.new() g:add("two", "Two")' \
    'ok, err = pcall(function() for m in g:matches(toks) do error("in gaz matches") end end)' \
    'assert(not ok and err:find("in gaz matches"))' \
    'print("survived")' \
    'for m in g:matches(toks) do error("uncaught in gazetteer loop") end' > iter.lua
  run "$LECTOR" iter.lua
  expect_rc iter-1.1 1
  expect_out iter-1.2 survived
  expect_err_has iter-1.3 "iter.lua:13: uncaught in gazetteer loop"
  expect_clean iter-1.4
else
  fail gaz "lector.gazetteer / lector.pattern have not landed"
fi
if has_lua 'lector.store.open' && has_lua 'lector.read.documents'; then
  printf '%s\n' 'local db = lector.store.open(arg[1]) db:add{uri = "first.txt", text = "first"}' \
    'local ok, err = pcall(function() for d in db:documents() do error("in documents") end end)' \
    'assert(not ok and err:find("in documents"))' \
    'db:add{uri = "after.txt", text = "added after a broken loop"}' \
    'local n = 0 for _ in db:documents() do n = n + 1 end print(n)' \
    'for d in lector.read.documents({arg[2]}) do error("in read.documents: " .. d.where) end' > dbiter.lua
  printf 'x\n' > one.txt
  run "$LECTOR" dbiter.lua iter.db one.txt
  expect_rc iter-2.1 1
  expect_out iter-2.2 2
  expect_err_has iter-2.3 "dbiter.lua:6: in read.documents: one.txt"
  expect_eq iter-2.4 "$(sqlite3 iter.db 'PRAGMA integrity_check')" ok
else
  fail iter-2 "lector.store / lector.read have not landed"
fi

# ---- the ingest recipe over odd inputs ------------------------------------
if [ -f "$E2E_ROOT/scripts/recipes/ingest.lua" ]; then
  mkdir -p odd
  printf 'a\000b\000' > odd/nul.txt
  : > odd/empty.txt
  printf ' \t\r\n' > odd/blank.txt
  printf 'ok\377bad' > odd/bad.txt
  printf 'line one\r\nline two\rlone CR\n' > odd/crlf.txt
  cp /bin/true odd/elf
  cp img.png odd/img.png
  ln -s . odd/loop
  printf '{"uri": "j1", "text": "from json"}\n{"text": broken}\n' > odd/docs.jsonl
  run "$LECTOR" recipe ingest --db odd.db odd
  expect_rc ingest-1.1 1
  expect_err_has ingest-1.2 "lector: odd/bad.txt: invalid UTF-8 at byte 3: invalid byte; --repair replaces it with U+FFFD"
  # A directory gives its text files only: the program and the image are
  # passed over in silence, and taken (and refused as not UTF-8) with
  # --all-files.
  expect_err_lacks ingest-1.3 "odd/elf"
  expect_err_lacks ingest-1.4 "odd/img.png"
  run "$LECTOR" recipe ingest --all-files --db odd-all.db odd
  expect_err_has ingest-1.3b "odd/elf: invalid UTF-8"
  expect_err_has ingest-1.4b "lector: odd/img.png: invalid UTF-8 at byte 1:"
  run "$LECTOR" recipe ingest --db odd.db odd
  expect_err_has ingest-1.5 "odd/loop"
  expect_err_has ingest-1.6 "odd/docs.jsonl:2"
  expect_clean ingest-1.7
  # What was stored is exact: NUL bytes, CRLF, lone CR and empty texts.
  expect_eq ingest-1.8 "$(sqlite3 odd.db "SELECT hex(text) FROM documents WHERE uri = 'odd/nul.txt'")" 61006200
  expect_eq ingest-1.9 "$(sqlite3 odd.db "SELECT hex(text) FROM documents WHERE uri = 'odd/crlf.txt'")" \
    "$(od -An -tx1 odd/crlf.txt | tr -d ' \n' | tr a-f A-F)"
  expect_eq ingest-1.10 "$(sqlite3 odd.db "SELECT count(*) FROM documents WHERE uri IN ('odd/empty.txt', 'odd/blank.txt', 'j1')")" 3
  # --repair keeps the bad file, with U+FFFD and the repair recorded.
  run "$LECTOR" recipe ingest --repair --db odd.db odd/bad.txt
  expect_rc ingest-2.1 0
  expect_eq ingest-2.2 "$(sqlite3 odd.db "SELECT hex(text) FROM documents WHERE uri = 'odd/bad.txt'")" 6F6BEFBFBD626164
  # Ingesting into a database locked by another writer: a clear error,
  # nothing half-written, and the next run completes.
  n_before=$(sqlite3 odd.db 'SELECT count(*) FROM documents')
  { echo "BEGIN IMMEDIATE; INSERT INTO runs(name, version, started) VALUES ('lock', '0', 'now');"
    sleep 3; echo "ROLLBACK;"; } | sqlite3 odd.db &
  locker=$!
  sleep 0.5
  printf 'new text\n' > new.txt
  run "$LECTOR" recipe ingest --busy-timeout 200 --db odd.db new.txt
  expect_rc ingest-3.1 1
  expect_err_has ingest-3.2 "odd.db"
  expect_clean ingest-3.3
  wait "$locker"
  expect_eq ingest-3.4 "$(sqlite3 odd.db 'SELECT count(*) FROM documents')" "$n_before"
  run "$LECTOR" recipe ingest --db odd.db new.txt
  expect_rc ingest-3.5 0
  expect_eq ingest-3.6 "$(sqlite3 odd.db 'SELECT count(*) FROM documents')" "$((n_before + 1))"
  # Not a database.
  run "$LECTOR" recipe ingest --db notdb.db new.txt
  expect_rc ingest-4.1 1
  expect_err_has ingest-4.2 "notdb.db"
  expect_eq ingest-4.3 "$(cksum < notdb.db)" "$sum"
  # The database inside the directory being ingested is not a document.
  mkdir -p corpus
  printf 'an article\n' > corpus/a.txt
  run "$LECTOR" recipe ingest --db corpus/c.db corpus
  expect_rc ingest-5.1 0
  run "$LECTOR" recipe ingest --db corpus/c.db corpus
  expect_rc ingest-5.2 0
  expect_eq ingest-5.3 "$(sqlite3 corpus/c.db 'SELECT group_concat(uri) FROM documents')" corpus/a.txt
else
  fail ingest "the ingest recipe has not landed"
fi
