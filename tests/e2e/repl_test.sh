# The REPL through a real pseudo-terminal (tmux): value printing, multi-line
# input, error recovery, Ctrl-C, Tab completion, :help, history, Ctrl-D.

. "$E2E_ROOT/tests/e2e/repl_lib.sh"

mkdir -p home
start_repl tmux1
wait_for repl-1.1 "Ctrl-D to leave"

type_line '1 + 1'
wait_for repl-2.1 "2"
type_line 't = { b = 1, a = { 1, 2 }, name = "x" }'
type_line 't'
wait_for repl-2.2 '{ a = { 1, 2 }, b = 1, name = "x" }'
type_line 'cyc = {}; cyc.me = cyc'
type_line 'cyc'
wait_for repl-2.3 '{ me = <cycle> }'
type_line '"multi", 3 * 14'
wait_line repl-2.4 '"multi"[[:space:]]+42'
expect_true repl-2.5 "two values on one line" sh -c "tmux -S '$sock' capture-pane -p -t repl | grep -qE '^\"multi\"[[:space:]]+42'"


type_line 'for i = 1, 3 do'
wait_for repl-3.1 '>> '
type_line 'print(i * 111)'
type_line 'end'
wait_for repl-3.2 '333'

type_line 'error("deliberate failure")'
wait_line repl-4.1 '(.*: )?deliberate failure'
type_line 'print("still " .. "alive")'
wait_for repl-4.2 'still alive'

type_line 'local n = 0 while true do n = n + 1 end'
sleep 1
T send-keys -t repl C-c
wait_for repl-5.1 'interrupted'
type_line 'print("back at " .. "the prompt")'
wait_for repl-5.2 'back at the prompt'

T send-keys -t repl -l 'lector.pre'
T send-keys -t repl Tab
wait_for repl-6.1 'lector.pretty'
T send-keys -t repl C-u
type_line ':help'
wait_for repl-7.1 'Tab completes names'

T send-keys -t repl C-d
wait_for repl-8.1 'EXITED=0'
# libedit's history format escapes spaces as \040
expect_true repl-8.2 "history written" grep -q 'alive' home/.lector_history
T kill-server 2>/dev/null

# `lector repl corpus.db` opens the store as `db`; :help lists its methods
"$LECTOR" recipe ingest --db corpus.db "$E2E_ROOT/examples/corpus" >/dev/null 2>&1
start_repl tmux2 corpus.db
wait_for repl-9.1 "db = corpus.db (5 documents)"
type_line 'db:query("select count(*) as n from documents")[1].n'
wait_for repl-9.2 "5"
T send-keys -t repl -l 'db:ann'
T send-keys -t repl Tab
wait_for repl-9.3 'db:annotat'
T send-keys -t repl C-u
type_line ':help'
wait_for repl-9.4 'db:search'
T send-keys -t repl C-d
wait_for repl-9.5 'EXITED=0'
T kill-server 2>/dev/null

# a path that is not a database: the REPL says so and carries on without db
printf 'not a database at all, just text\n' > junk.db
start_repl tmux3 junk.db
wait_for repl-9.6 "junk.db"
wait_for repl-9.7 "continuing without"
type_line 'db == nil'
wait_for repl-9.8 "true"
T send-keys -t repl C-d
wait_for repl-9.9 'EXITED=0'
T kill-server 2>/dev/null

# Non-ASCII text goes in and out byte for byte, also with no locale in the
# environment (cron, CI, containers): libedit runs in a UTF-8 LC_CTYPE.
NOLOCALE="-u LANG -u LC_ALL -u LC_CTYPE -u LANGUAGE"
rm -f home/.lector_history
REPL_ENV=$NOLOCALE start_repl tmux4
wait_for repl-10.1 "Ctrl-D to leave"
type_line 's = "Ḥalab’s"'
type_line 'a = "دير الزور"'
type_line '"len=" .. #s .. "," .. #a .. " " .. s .. "|" .. a'
# 11 and 17 bytes: Ḥ and ’ are 3 bytes each, each Arabic letter 2
wait_for repl-10.2 '"len=11,17 Ḥalab’s|دير الزور"'
type_line 'h = "Ḥalab’s دير الزور"'
T send-keys -t repl C-d
wait_for repl-10.3 'EXITED=0'
T kill-server 2>/dev/null
expect_true repl-10.4 "history keeps the UTF-8 bytes" grep -qF '"Ḥalab’s\040دير\040الزور"' home/.lector_history
# after a restart, the line comes back from the history intact
REPL_ENV=$NOLOCALE start_repl tmux5
wait_for repl-10.5 "Ctrl-D to leave"
T send-keys -t repl Up
T send-keys -t repl Enter
type_line '"hist=" .. #h .. "|" .. h'
wait_for repl-10.6 '"hist=29|Ḥalab’s دير الزور"'
T send-keys -t repl C-d
wait_for repl-10.7 'EXITED=0'
T kill-server 2>/dev/null
# and from a pipe, with no locale either
run_in "$(printf 's = "Ḥalab’s"\n"len=" .. #s .. " " .. s\n')" env $NOLOCALE HOME="$E2E_TMP/home" "$LECTOR" repl
expect_rc repl-10.8 0
expect_out_has repl-10.9 '"len=11 Ḥalab’s"'

# Completion on the objects an analyst holds; statements then an
# expression; objects printed as what they are.
start_repl tmux6 corpus.db
wait_for repl-11.1 "db = corpus.db (5 documents)"
type_line 'toks = lector.tokenize("ISIS’s 5,000 fighters in Al-Bab, the U.S. said.")'
type_line 'g = lector.gazetteer.load("'"$E2E_ROOT"'/examples/gazetteer.tsv")'
T send-keys -t repl -l 'toks:'
T send-keys -t repl Tab Tab
wait_for repl-11.2 'toks:sentences'
expect_true repl-11.3 "toks: lists each and release" sh -c "tmux -S '$sock' capture-pane -p -t repl > pane.txt && grep -qF 'toks:each' pane.txt && grep -qF 'toks:release' pane.txt"
T send-keys -t repl C-u
T send-keys -t repl -l 'toks[1].'
T send-keys -t repl Tab Tab
wait_for repl-11.4 '.hyphen_joined'
expect_true repl-11.6 "toks[1]. offers no global" sh -c "! tmux -S '$sock' capture-pane -p -t repl | grep -qF '.print'"
T send-keys -t repl C-u
T send-keys -t repl -l 'g:'
T send-keys -t repl Tab Tab
wait_for repl-11.7 'g:find_all'
T send-keys -t repl C-u
T send-keys -t repl -l 'db:'
T send-keys -t repl Tab Tab
wait_for repl-11.8 'db:transaction'
expect_true repl-11.9 "g: and db: list methods only" sh -c "! tmux -S '$sock' capture-pane -p -t repl | grep -qE '__tostring|__index|_match|_st'"
T send-keys -t repl C-u
T send-keys -t repl -l 'toks:rel'
T send-keys -t repl Tab
T send-keys -t repl -l '() #toks'
T send-keys -t repl Enter
wait_for repl-11.10 'toks:release() #toks'
type_line 'x = {1,2}; x'
wait_for repl-12.1 '{ 1, 2 }'
type_line 'print("after " .. "x")'
wait_for repl-12.2 'after x'
type_line 'toks = lector.tokenize("ISIS’s 5,000 fighters in Al-Bab, the U.S. said.")'
type_line 'toks'
wait_for repl-13.1 'tokens(13) "ISIS’s 5,000 fighters …"'
type_line 'toks[1]'
wait_for repl-13.2 'token(1..4 word "ISIS")'
type_line 'g'
wait_for repl-13.3 'gazetteer(107 entries, 56 entities)'
type_line 'db'
wait_for repl-13.4 'lector.store("corpus.db", 5 documents)'
type_line 'g:matches(toks)'
wait_for repl-13.5 '3 matches:'
wait_for repl-13.6 'alias = "al-Bab"'
type_line 'db:rows("SELECT id FROM documents ORDER BY id")'
wait_for repl-13.7 '5 rows:'
wait_for repl-13.8 '  5  { id = 5 }'
type_line 'db:rows("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) SELECT i FROM n")'
wait_for repl-13.9 'the first 10 rows (more follow):'
type_line ':modules'
wait_for repl-14.1 'pipeline  pretty  progress  read  recipes  store'
expect_true repl-14.2 ":modules lists each module once" sh -c "tmux -S '$sock' capture-pane -p -t repl | grep -F 'pretty  progress' | grep -qvE 'store.*store|version|scripts_dir'"
T send-keys -t repl C-d
wait_for repl-14.3 'EXITED=0'
T kill-server 2>/dev/null

# lector.modules() is the same list, each once, whatever was loaded
run "$LECTOR" -e 'local _ = lector.store, lector.pretty, lector.tokenize; print(table.concat(lector.modules(), " "))'
expect_rc repl-14.4 0
expect_out repl-14.5 'context duplicates extract fs gazetteer html json pattern pipeline pretty progress read recipes store summary text tokenize tokens tty'

# a store that does not exist: the REPL says it made a new one
start_repl tmux7 typo.db
wait_for repl-15.1 "db = typo.db (a new, empty store: there was no such file)"
T send-keys -t repl C-d
wait_for repl-15.2 'EXITED=0'
T kill-server 2>/dev/null

# a store with the analyst's own view: refused, unless --trust-schema (in
# either place on the command line); stores opened later inherit the trust
run "$LECTOR" -e 'local db = lector.store.open("own.db"); db:exec("CREATE VIEW mine AS SELECT 7 AS n"); db:close()'
run_in 'print("n=" .. tostring(db and db:value("SELECT n FROM mine")))' "$LECTOR" repl own.db
expect_err_has repl-16.1 "the store's view mine is not one lector creates"
expect_out_has repl-16.2 "n=nil"
run_in 'print("n=" .. db:value("SELECT n FROM mine"))' "$LECTOR" repl --trust-schema own.db
expect_rc repl-16.3 0
expect_out_has repl-16.4 "n=7"
run_in 'print("n=" .. lector.store.open("own.db"):value("SELECT n FROM mine"))' "$LECTOR" repl own.db --trust-schema
expect_out_has repl-16.5 "n=7"
run "$LECTOR" repl --trust own.db
expect_rc repl-16.6 2
expect_err_has repl-16.7 "repl: unknown option --trust"
run "$LECTOR" repl a.db b.db
expect_err_has repl-16.8 "repl takes at most one DB"
