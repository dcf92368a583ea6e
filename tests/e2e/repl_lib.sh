# The tmux harness of the REPL tests (repl_test.sh, repl_promises_test.sh),
# sourced by them: a real pseudo-terminal, keys typed, the screen read.

# -u: tmux passes UTF-8 keys and screens whatever its own locale is.
T() { tmux -u -S "$sock" "$@"; }
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
  fail "$1" "screen never showed a line [$2]: $(screen | grep -v '^[[:space:]]*$' | tail -8)"
  return 1
}
# wait_prompt ID: waits until the REPL shows an empty "> " prompt (keys
# sent before it would reach a command still running, not the line editor).
wait_prompt() {
  i=0
  while [ $i -lt 100 ]; do
    if [ "$(screen | sed 's/[[:space:]]*$//' | grep -v '^$' | tail -n 1)" = ">" ]; then pass; return 0; fi
    sleep 0.1; i=$((i + 1))
  done
  fail "$1" "no empty prompt: $(screen | grep -v '^[[:space:]]*$' | tail -4)"
  return 1
}
type_line() { T send-keys -t repl -l -- "$1"; T send-keys -t repl Enter; }
# start_repl NAME [DB]: `lector repl [DB]` in a new tmux server of its own
# (a server just killed may still be exiting), printing its exit code.
# REPL_ENV: more env(1) arguments for lector, e.g. -u LANG; REPL_WIDTH:
# the terminal's columns (120).
start_repl() {
  sock="$E2E_TMP/$1.sock"
  T -f /dev/null new-session -d -s repl -x "${REPL_WIDTH:-120}" -y 60 \
    "env ${REPL_ENV:-} HOME=$E2E_TMP/home TERM=xterm $LECTOR repl ${2:-}; echo EXITED=\$?; sleep 30"
}
# Without tmux every case is counted as skipped, one by one.
if ! command -v tmux >/dev/null; then
  T() { :; }
  wait_for() { skip "$1" "tmux is not installed (scripts/build/deps.sh installs it)"; }
  wait_line() { skip "$1" "tmux is not installed (scripts/build/deps.sh installs it)"; }
  wait_prompt() { skip "$1" "tmux is not installed (scripts/build/deps.sh installs it)"; }
  expect_true() { skip "$1" "tmux is not installed (scripts/build/deps.sh installs it)"; }
fi
