# The REPL through a real pseudo-terminal (tmux): value printing, multi-line
# input, error recovery, Ctrl-C, Tab completion, :help, history, Ctrl-D.

T() { tmux -S "$sock" "$@"; }
screen() { T capture-pane -p -J -S -200 -t repl; }

# wait_for ID TEXT: waits up to 10 s for TEXT on the screen; counts a case.
wait_for() {
  i=0
  while [ $i -lt 100 ]; do
    if screen | grep -qF -- "$2"; then pass; return 0; fi
    sleep 0.1; i=$((i + 1))
  done
  fail "$1" "screen never showed [$2]: $(screen | tail -8)"
  return 1
}
# wait_line ID ERE: like wait_for, for a whole screen line matching ERE
# (the output, not the typed line that holds the same words).
wait_line() {
  i=0
  while [ $i -lt 100 ]; do
    if screen | sed 's/[[:space:]]*$//' | grep -qxE -- "$2"; then pass; return 0; fi
    sleep 0.1; i=$((i + 1))
  done
  fail "$1" "screen never showed a line [$2]: $(screen | tail -8)"
  return 1
}
type_line() { T send-keys -t repl -l -- "$1"; T send-keys -t repl Enter; }
# start_repl NAME [DB]: `lector repl [DB]` in a new tmux server of its own
# (a server just killed may still be exiting), printing its exit code.
start_repl() {
  sock="$E2E_TMP/$1.sock"
  T -f /dev/null new-session -d -s repl -x 120 -y 60 \
    "env HOME=$E2E_TMP/home TERM=xterm $LECTOR repl ${2:-}; echo EXITED=\$?; sleep 30"
}
# Without tmux every case below is counted as skipped, one by one.
if ! command -v tmux >/dev/null; then
  T() { :; }
  wait_for() { skip "$1" "tmux is not installed (mk/deps.sh installs it)"; }
  wait_line() { skip "$1" "tmux is not installed (mk/deps.sh installs it)"; }
  expect_true() { skip "$1" "tmux is not installed (mk/deps.sh installs it)"; }
fi

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
wait_for repl-9.1 "db = corpus.db"
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
