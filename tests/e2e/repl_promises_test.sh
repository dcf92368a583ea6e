# What the README promises of the REPL and repl_test.sh did not check
# (issue 22): :modules, :db, :quit, and Ctrl-C dropping the line being
# typed. Written against today's REPL, in a file of its own so the REPL
# work can merge around it.

REPL_WIDTH=160
. "$E2E_ROOT/tests/e2e/repl_lib.sh"

mkdir -p home
start_repl p1
wait_line rprom-1.1 '.*Ctrl-D to leave\.'

# :modules lists the library's modules on a line of their own
type_line ':modules'
wait_line rprom-2.1 '(.*  )?gazetteer  (.*  )?pattern  (.*  )?store(  .*)?'
# :db without a store says how to open one
type_line ':db'
wait_line rprom-2.2 'no store is open: lector repl corpus\.db, or db = lector\.store\.open\(path\)'

# Ctrl-C while typing drops the line: nothing of it runs, the next line does
wait_prompt rprom-3.0
T send-keys -t repl -l 'print("DROPPED" .. "LINE")'
sleep 0.3
T send-keys -t repl C-c
# (keys typed before the new prompt may be flushed by the line editor)
wait_prompt rprom-3.0b
type_line 'print("KEPT" .. "LINE")'
wait_line rprom-3.1 'KEPTLINE'
expect_true rprom-3.2 "the dropped line never ran" sh -c "! tmux -S '$sock' capture-pane -p -J -S -200 -t repl | grep -qx 'DROPPEDLINE'"

# Ctrl-C also drops the lines of an unfinished statement
wait_prompt rprom-3.2b
type_line 'for i = 1, 2 do'
wait_line rprom-3.2c '>>'
T send-keys -t repl C-c
wait_prompt rprom-3.2d
type_line 'print("NEW" .. "STATEMENT")'
wait_line rprom-3.3 'NEWSTATEMENT'

# :quit leaves with status 0
type_line ':quit'
wait_line rprom-4.1 'EXITED=0'
T kill-server 2>/dev/null

# :db with a store lists its methods
"$LECTOR" recipe ingest --db c.db "$E2E_ROOT/examples/corpus" >/dev/null 2>&1
start_repl p2 c.db
wait_line rprom-5.1 '.*db = c\.db.*'
type_line ':db'
wait_line rprom-5.2 '.*db:documents.*'
wait_line rprom-5.3 '.*db:annotate.*'
type_line ':quit'
wait_line rprom-5.4 'EXITED=0'
T kill-server 2>/dev/null
