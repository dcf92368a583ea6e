# Messages and exit codes (issue 17): one rule for a file named on the
# command line that is missing or unreadable — "lector: PATH: reason" and
# exit 2 — in the runner and every recipe; byte positions, encodings and
# counts said the same way everywhere.

ex="$E2E_ROOT/examples"
missing="No such file or directory"

# expect_missing ID PATH: exit 2 and exactly "lector: PATH: reason" on stderr.
expect_missing() {
  expect_rc "$1.1" 2
  if printf '%s\n' "$ERR" | grep -qxF "lector: $2: $missing"; then pass
  else fail "$1.2" "stderr lacks the line [lector: $2: $missing]: [$(echo "$ERR" | head -5)]"; fi
}

run "$LECTOR" nope.lua
expect_missing msg-1 nope.lua
run "$LECTOR" run nope.lua
expect_missing msg-2 nope.lua
mkdir -p adir
run "$LECTOR" adir
expect_rc msg-2.3 2
expect_err_has msg-2.4 "lector: adir: Is a directory"
run "$LECTOR" recipe stats nope.txt
expect_missing msg-3 nope.txt
run "$LECTOR" recipe ingest --db new.db nope.txt
expect_missing msg-4 nope.txt
expect_true msg-4.3 "no store made for nothing" test ! -e new.db
run "$LECTOR" recipe entities --gazetteer nope.tsv "$ex/corpus"
expect_missing msg-5 nope.tsv
run "$LECTOR" recipe entities --gazetteer "$ex/gazetteer.tsv" nope.txt
expect_missing msg-6 nope.txt
"$LECTOR" recipe ingest --db c.db "$ex/corpus" >/dev/null 2>&1
run "$LECTOR" recipe tag --db c.db --gazetteer nope.tsv
expect_missing msg-7 nope.tsv
run "$LECTOR" recipe tag --db c.db --gazetteer "$ex/gazetteer.tsv" --patterns nope.tsv
expect_missing msg-8 nope.tsv
# a store to read is an input: a typo is refused, not made into an empty store
run "$LECTOR" recipe tag --db typo.db --gazetteer "$ex/gazetteer.tsv"
expect_missing msg-9 typo.db
expect_true msg-9.3 "tag made no store" test ! -e typo.db
run "$LECTOR" recipe report --db typo.db
expect_missing msg-10 typo.db
expect_true msg-10.3 "report made no store" test ! -e typo.db

# The other inputs are still read; the exit code says one was missing.
run "$LECTOR" recipe stats --format json nope.txt "$ex/corpus/01-al-bab-offensive.txt"
expect_missing msg-11 nope.txt
# (JSON keys come in any order)
expect_true msg-11.3 "one document read" grep -Eq '"documents": ?1[,}]' "$E2E_TMP/out"

# `lector help` states the rule once.
run "$LECTOR" help
expect_rc msg-12.1 0
expect_out_has msg-12.2 "2 bad usage,
or a file named on the command line that is missing or unreadable
(\"lector: PATH: reason\")"

# Unreadable: the same rule, with the system's reason.
echo "secret" > locked.txt
chmod 000 locked.txt
as_user=""
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
  as_user="setpriv --reuid=nobody --regid=$(id -g nobody) --clear-groups"
  chmod 755 "$E2E_TMP"
fi
if [ "$(id -u)" != 0 ] || [ -n "$as_user" ]; then
  run $as_user "$LECTOR" recipe stats locked.txt
  expect_rc msg-13.1 2
  expect_err_has msg-13.2 "lector: locked.txt: Permission denied"
  run $as_user "$LECTOR" recipe entities --gazetteer locked.txt "$ex/corpus"
  expect_rc msg-13.3 2
  expect_err_has msg-13.4 "lector: locked.txt: Permission denied"
  cp locked.txt locked.lua && chmod 000 locked.lua
  run $as_user "$LECTOR" locked.lua
  expect_rc msg-13.5 2
  expect_err_has msg-13.6 "lector: locked.lua: Permission denied"
else
  skip msg-13 "running as root without setpriv: every file is readable"
fi
chmod 644 locked.txt

# ---- byte positions: counted from 1, the same in every message -------------
printf 'abc\377 def\n' > bad.txt
run "$LECTOR" recipe stats bad.txt
expect_rc msg-20.1 1
expect_err_has msg-20.2 "lector: bad.txt: invalid UTF-8 at byte 4: invalid byte"
run "$LECTOR" recipe ingest --db pos.db bad.txt
expect_rc msg-20.3 1
expect_err_has msg-20.4 "lector: bad.txt: invalid UTF-8 at byte 4: invalid byte; --repair replaces it with U+FFFD"
run "$LECTOR" recipe entities --gazetteer "$ex/gazetteer.tsv" bad.txt
expect_rc msg-20.5 1
expect_err_has msg-20.6 "lector: bad.txt: invalid UTF-8 at byte 4: invalid byte"
# never the name of an internal function
case "$ERR" in *tokenize*) fail msg-20.7 "stderr names tokenize: [$ERR]" ;; *) pass ;; esac
run "$LECTOR" -e 'local db = lector.store.open("pos.db"); db:add{ uri = "bad.txt", text = io.open("bad.txt", "rb"):read("*a") }'
expect_rc msg-20.8 1
expect_err_has msg-20.9 "bad.txt: invalid UTF-8 at byte 4"

# ---- UTF-16 is named as such; --from-encoding converts ---------------------
# "Ḥalab’s is here\n" in UTF-16: little-endian with a mark, without one,
# and big-endian without one.
printf '\377\376$\036a\000l\000a\000b\000\031 s\000 \000i\000s\000 \000h\000e\000r\000e\000\n\000' > le-bom.txt
printf '$\036a\000l\000a\000b\000\031 s\000 \000i\000s\000 \000h\000e\000r\000e\000\n\000' > le.txt
printf '\036$\000a\000l\000a\000b \031\000s\000 \000i\000s\000 \000h\000e\000r\000e\000\n' > be.txt
run "$LECTOR" recipe stats le-bom.txt le.txt be.txt
expect_rc msg-21.1 1   # data that is not UTF-8: skipped, exit 1
expect_err_has msg-21.2 "lector: le-bom.txt: UTF-16 (little-endian, with a byte order mark), not UTF-8"
expect_err_has msg-21.3 "lector: le.txt: UTF-16 (little-endian, without a byte order mark), not UTF-8"
expect_err_has msg-21.4 "lector: be.txt: UTF-16 (big-endian, without a byte order mark), not UTF-8"
run "$LECTOR" recipe ingest --db enc.db le-bom.txt
expect_rc msg-21.5 1
expect_err_has msg-21.6 "lector: le-bom.txt: UTF-16 (little-endian, with a byte order mark), not UTF-8; --from-encoding utf-16 converts it"
# --repair would make U+FFFD and NUL bytes of it: UTF-16 is not repaired
run "$LECTOR" recipe ingest --repair --db enc.db le.txt
expect_rc msg-21.7 1
expect_err_has msg-21.8 "lector: le.txt: UTF-16 (little-endian, without a byte order mark), not UTF-8"
run "$LECTOR" recipe ingest --db enc.db --from-encoding utf-16 le-bom.txt le.txt be.txt
expect_rc msg-21.9 0
want=$(printf 'Ḥalab’s is here\n' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
expect_eq msg-21.10 "$(sqlite3 enc.db "SELECT group_concat(hex(text), ' ') FROM (SELECT text FROM documents ORDER BY uri)")" "$want $want $want"
printf 'Caf\351 in \223Homs\224 \226 \200 5\n' > cp.txt
run "$LECTOR" recipe ingest --db enc.db --from-encoding cp1252 cp.txt
expect_rc msg-22.1 0
expect_eq msg-22.2 "$(sqlite3 enc.db "SELECT text FROM documents WHERE uri = 'cp.txt'")" "Café in “Homs” – € 5"
printf 'Deir ez-Zor, Hal\341b\n' > latin.txt
run "$LECTOR" recipe ingest --db enc.db --from-encoding latin1 latin.txt
expect_rc msg-22.3 0
expect_eq msg-22.4 "$(sqlite3 enc.db "SELECT text FROM documents WHERE uri = 'latin.txt'")" "Deir ez-Zor, Haláb"
printf 'ab\201c\n' > not-cp.txt   # 0x81 is no cp1252 character
run "$LECTOR" recipe ingest --db enc.db --from-encoding cp1252 not-cp.txt
expect_rc msg-22.5 1
expect_err_has msg-22.6 "lector: not-cp.txt: not valid cp1252 at byte 3"
run "$LECTOR" recipe ingest --db enc.db --from-encoding klingon cp.txt
expect_rc msg-22.7 2
expect_err_has msg-22.8 "lector: option --from-encoding: unknown encoding 'klingon'"
# JSON lines are Unicode already: --from-encoding leaves them alone
printf '{"uri": "j", "text": "Ḥalab’s"}\n' > d.jsonl
run "$LECTOR" recipe ingest --db enc.db --from-encoding latin1 d.jsonl
expect_rc msg-22.9 0
expect_eq msg-22.10 "$(sqlite3 enc.db "SELECT text FROM documents WHERE uri = 'j'")" "Ḥalab’s"

# ---- counts read as English ------------------------------------------------
printf 'Fighting in Aleppo.\n' > one.txt
run "$LECTOR" recipe ingest --db one.db one.txt
expect_rc msg-30.1 0
expect_out msg-30.2 "ingest: 1 added, 0 updated, 0 unchanged, 0 skipped -> one.db (1 document)"
run "$LECTOR" recipe entities --gazetteer "$ex/gazetteer.tsv" one.txt
expect_rc msg-30.3 0
expect_out_has msg-30.4 "1 entity in 1 document"
run "$LECTOR" recipe tag --db one.db --gazetteer "$ex/gazetteer.tsv"
expect_rc msg-30.5 0
expect_out_has msg-30.6 "tag: 1 document -> one.db"
run "$LECTOR" recipe report --db one.db
expect_rc msg-30.7 0
expect_out_has msg-30.8 "1 document
"
run "$LECTOR" -e 'local g = lector.gazetteer.new(); g:add("Aleppo", "Aleppo", "PLACE"); print(g)'
expect_out msg-30.9 "gazetteer(1 entry, 1 entity)"
