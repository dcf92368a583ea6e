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
expect_out_has msg-11.3 '"documents":1,'

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
else
  skip msg-13 "running as root without setpriv: every file is readable"
fi
chmod 644 locked.txt
