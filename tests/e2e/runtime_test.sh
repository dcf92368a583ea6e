# The lector binary: commands, scripts, arg, errors, exit codes, SIGINT,
# recipes framework, install, and the library from a stock luajit.

run "$LECTOR" --version
expect_rc rt-1.1 0
expect_out_has rt-1.2 "lector 0.1.0"
expect_out_has rt-1.3 "SQLite"
run "$LECTOR" help
expect_rc rt-1.4 0
expect_out_has rt-1.5 "lector repl [DB]"
run "$LECTOR" -h
expect_out_has rt-1.6 "usage: lector"
run "$LECTOR" --help
expect_out_has rt-1.7 "lector recipes"

# misuse: short usage line on stderr, exit 2, nothing on stdout
run "$LECTOR" --bogus
expect_rc rt-2.1 2
expect_err_has rt-2.2 "unknown option --bogus"
expect_err_has rt-2.3 "usage: lector"
expect_out rt-2.4 ""
run "$LECTOR" run
expect_rc rt-2.5 2
expect_err_has rt-2.6 "run needs SCRIPT"
run "$LECTOR" -e
expect_rc rt-2.7 2
run "$LECTOR" missing-script.lua
expect_rc rt-2.8 2
expect_err_has rt-2.9 "lector: missing-script.lua: No such file or directory"
expect_out rt-2.10 ""
run "$LECTOR" repl a.db b.db
expect_rc rt-2.11 2

# scripts: arg as lua sets it, ... holds the arguments, both spellings
cat > args.lua <<'LUA'
print(arg[0], arg[1], arg[2], #arg, select("#", ...), (...))
print(type(lector), lector == require "lector", lector.version)
LUA
run "$LECTOR" args.lua one two
expect_rc rt-3.1 0
expect_out rt-3.2 "args.lua	one	two	2	2	one
table	true	0.1.0"
run "$LECTOR" run args.lua one two
expect_out_has rt-3.3 "args.lua	one	two	2	2	one"
expect_err_empty rt-3.4

# shebang scripts run directly when lector is on PATH
printf '#!/usr/bin/env lector\nprint("shebang", arg[1])\n' > tool
chmod +x tool
PATH="$(dirname "$LECTOR"):$PATH" run ./tool x
expect_out rt-3.5 "shebang	x"

# -e chunks and scripts from stdin
run "$LECTOR" -e 'print(1 + 1, arg[1], ...)' a b
expect_out rt-3.6 "2	a	a	b"
run_in 'print("from stdin")' "$LECTOR" -
expect_out rt-3.7 "from stdin"
run_in 'print("piped")' "$LECTOR"
expect_out rt-3.8 "piped"

# errors: FILE:LINE: message, a traceback, exit 1; stdout has only what the script printed
cat > boom.lua <<'LUA'
print("before")
local function f() error("it broke") end
f()
LUA
run "$LECTOR" boom.lua
expect_rc rt-4.1 1
expect_out rt-4.2 "before"
expect_err_has rt-4.3 "boom.lua:2: it broke"
expect_err_has rt-4.4 "stack traceback:"
printf 'local x = = 1\n' > syntax.lua
run "$LECTOR" syntax.lua
expect_rc rt-4.5 1
expect_err_has rt-4.6 "syntax.lua:1:"
run "$LECTOR" -e 'error({})'
expect_rc rt-4.7 1
expect_err_has rt-4.8 "error object is a table value"
run "$LECTOR" -e 'table.sort({3, 2, 1}, function(a, b) error("in comparator") end)'
expect_rc rt-4.9 1
expect_err_has rt-4.10 "in comparator"
run "$LECTOR" -e 'os.exit(7)'
expect_rc rt-4.11 7

# LUA_PATH is honoured for the analyst's own modules
mkdir -p mods
printf 'return { hello = function() return "hi from mymod" end }\n' > mods/mymod.lua
LUA_PATH="$PWD/mods/?.lua;;" run "$LECTOR" -e 'print(require("mymod").hello())'
expect_out rt-5.1 "hi from mymod"

# SIGINT ends a running script with 130, interpreted or JIT-compiled.
# interrupt_e CODE [VAR=VALUE...]: lector -e CODE in that environment,
# Ctrl-C half a second in; sets rc, stderr in int.err.
interrupt_e() {
  code=$1
  shift
  env "$@" "$LECTOR" -e "$code" >/dev/null 2>int.err &
  pid=$!
  sleep 0.5
  kill -INT $pid
  wait $pid
  rc=$?
}
for code in 'while true do io.write("") end' 'local x = 0 while true do x = x + 1 end'; do
  interrupt_e "$code"
  expect_eq rt-6.1 "$rc" 130
  expect_true rt-6.2 "interrupted message" grep -q "lector: interrupted" int.err
  # a -j N worker (LECTOR_WORKER, set by the process pool) stops the same
  # way but leaves the message to its parent: one line for all of them
  interrupt_e "$code" LECTOR_WORKER=1
  expect_eq rt-6.3 "$rc" 130
  expect_eq rt-6.4 "$(cat int.err)" ""
done

# recipes: list, help, option errors name the option, custom folders
run "$LECTOR" recipes
expect_rc rt-7.1 0
expect_out_has rt-7.2 "stats"
run "$LECTOR" recipe stats --help
expect_out_has rt-7.3 "usage: lector recipe stats"
expect_out_has rt-7.4 "--top INTEGER"
run "$LECTOR" recipe stats --top many .
expect_rc rt-7.5 2
expect_err_has rt-7.6 "option --top: expected an integer, got 'many'"
run "$LECTOR" recipe stats --frobnicate .
expect_rc rt-7.7 2
expect_err_has rt-7.8 "unknown option --frobnicate"
expect_err_has rt-7.9 "usage: lector recipe stats"
run "$LECTOR" recipe no-such-recipe
expect_rc rt-7.10 2
expect_err_has rt-7.11 "no recipe named 'no-such-recipe'"
mkdir -p myrecipes
cat > myrecipes/shout.lua <<'LUA'
return {
  name = "shout", summary = "print the inputs loudly",
  options = {
    { name = "times", type = "integer", default = 1, help = "repeat count" },
    { name = "mark", type = "string", required = true, help = "end mark" },
    { name = "quiet", type = "boolean", default = false, help = "print nothing" },
  },
  run = function(opts, inputs)
    if opts.quiet then return 0 end
    for _ = 1, opts.times do print(table.concat(inputs, " "):upper() .. opts.mark) end
    return 3
  end,
}
LUA
LECTOR_RECIPES="$PWD/myrecipes" run "$LECTOR" recipes
expect_true rt-7.12 "shout listed with its summary" grep -Eq '^shout +print the inputs loudly' "$E2E_TMP/out"
LECTOR_RECIPES="$PWD/myrecipes" run "$LECTOR" recipe shout --times 2 --mark=! a b
expect_rc rt-7.13 3
expect_out rt-7.14 "A B!
A B!"
LECTOR_RECIPES="$PWD/myrecipes" run "$LECTOR" recipe shout a
expect_rc rt-7.15 2
expect_err_has rt-7.16 "needs --mark"
LECTOR_RECIPES="$PWD/myrecipes" run "$LECTOR" recipe shout --mark . --quiet a
expect_out rt-7.17 ""

# the stats recipe counts what is there
mkdir -p docs/sub
printf 'Aleppo and Raqqa.\nAleppo again.\n' > docs/a.txt
printf 'Raqqa, Aleppo' > docs/sub/b.txt
run "$LECTOR" recipe stats --top 2 --format json docs
expect_rc rt-8.1 0
run_in "$OUT" "$LECTOR" -e 'local t = lector.json.decode(io.read("*a"))
  print(t.documents, t.lines, t.words, t.top_words[1].word, t.top_words[1].count, #t.top_words)'
expect_out rt-8.2 "2	3	7	aleppo	3	2"
run "$LECTOR" recipe stats nowhere
expect_rc rt-8.5 2
expect_err_has rt-8.6 "nowhere: No such file or directory"

# make install: the installed binary finds its scripts with no environment
if make -s -C "$E2E_ROOT" install PREFIX="$PWD/prefix" BUILD="${LECTOR_BUILD_DIR:-build}" \
     SANITIZER="${LECTOR_SANITIZER:-}" >install.log 2>&1; then
  pass
  run env -u LECTOR_SCRIPTS "$PWD/prefix/bin/lector" -e 'print(lector.version, #lector.recipes.list() > 0,
    type(lector.pipeline.read), type(require("lector.extract").run), type(require("lector.report")))'
  expect_out rt-9.2 "0.1.0	true	function	function	table"
  expect_true rt-9.3 "header installed" test -f prefix/include/lector.h
else
  fail rt-9.1 "make install failed: $(tail -5 install.log)"
fi

# the library from a stock luajit, with package.path/cpath pointing at it
if command -v luajit >/dev/null && [ -z "${LECTOR_SANITIZER:-}" ]; then
  run luajit -e "package.path='$E2E_ROOT/scripts/?.lua;$E2E_ROOT/scripts/?/init.lua;'..package.path
    package.cpath='$E2E_ROOT/${LECTOR_BUILD_DIR:-build}/?.so;'..package.cpath
    local l = require 'lector'; print(l.version, l.fs.stat('$E2E_ROOT/Makefile').kind)"
  expect_out rt-10.1 "0.1.0	file"
else
  skip rt-10.1 "stock luajit cannot load a sanitized liblector.so"
fi

# SIGINT while a script writes a store: exit 130 and only whole documents,
# each with all of its annotations, are left; the database is intact.
cat > writer.lua <<'LUA'
local db = lector.store.open(arg[1])
local i = 0
while true do
  i = i + 1
  db:transaction(function()
    local id = db:add { uri = "doc-" .. i, text = string.rep("word ", 2000) .. i }
    local spans = {}
    for k = 1, 500 do spans[k] = { start_byte = (k - 1) * 5, end_byte = (k - 1) * 5 + 4, label = "w" } end
    db:annotate(id, "test", spans)
  end)
  if i == 20 then io.stderr:write("writing\n") end
end
LUA
"$LECTOR" writer.lua int.db 2>writer.err &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q writing writer.err 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
kill -INT $pid
wait $pid
expect_eq rt-6.3 "$?" 130
run sqlite3 int.db "PRAGMA integrity_check"
expect_out rt-6.4 "ok"
run sqlite3 int.db "SELECT count(*) > 0 FROM documents; SELECT count(*) FROM documents d WHERE (SELECT count(*) FROM annotations a WHERE a.doc_id = d.id) <> 500;"
expect_out rt-6.5 "1
0"

# LuaJIT's machine-code areas (host/jit_mcode.c): the binary maps them
# writable and executable once instead of switching them with mprotect for
# every trace; LECTOR_JIT_WX=1 keeps the switching. Both give the same
# results from code the JIT compiles in many traces.
cat > traces.lua <<'LUA'
local sum = 0
for k = 1, 200 do
  local f = load("return function(n) local s = 0 for i = 1, n do if i % " .. (k % 7 + 2) ..
    " == 0 then s = s + i * " .. k .. " else s = s - 1 end end return s end")()
  sum = sum + f(2000)
end
local rwx = 0
for line in io.lines("/proc/self/maps") do
  if line:match("^%x+%-%x+ rwxp ") then rwx = rwx + 1 end
end
print(sum, rwx > 0 and "rwx" or "w^x")
LUA
if [ -z "${LECTOR_SANITIZER:-}" ]; then
  run "$LECTOR" traces.lua
  expect_rc rt-11.1 0
  want=$(LECTOR_JIT_WX=1 "$LECTOR" traces.lua)
  expect_eq rt-11.2 "${OUT%	*}" "${want%	*}"
  expect_eq rt-11.3 "${OUT#*	}" "rwx"
  expect_eq rt-11.4 "${want#*	}" "w^x"
  expect_true rt-11.5 "the same sum as plain luajit" sh -c "[ \"\$(luajit traces.lua 2>/dev/null | cut -f1)\" = \"${OUT%	*}\" ] || ! command -v luajit >/dev/null"
else
  skip_all "the sanitizer build leaves mprotect to its interceptors" rt-11.1 rt-11.2 rt-11.3 rt-11.4 rt-11.5
fi
