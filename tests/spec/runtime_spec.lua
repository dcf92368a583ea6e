-- The runtime's Lua modules: pretty printer, recipes framework, fs walk,
-- REPL completion.
local T = require "testlib"
local pretty = require "lector.pretty"
local recipes = require "lector.recipes"
local fs = require "lector.fs"
local repl = require "lector.repl"

T.case("pretty-1.1 sorted keys, arrays first", function()
  T.eq(pretty.format({ 3, 4, z = 1, a = "x", [10] = true }), '{ 3, 4, [10] = true, a = "x", z = 1 }')
end)
T.case("pretty-1.2 cycles are marked", function()
  local t = { name = "loop" }
  t.self = t
  T.eq(pretty.format(t), '{ name = "loop", self = <cycle> }')
end)
T.case("pretty-1.3 depth and length limits", function()
  T.eq(pretty.format({ a = { b = { c = 1 } } }, { depth = 2 }), "{ a = { b = {...} } }")
  local long = {}
  for i = 1, 100 do long[i] = i end
  local s = pretty.format(long, { items = 3 })
  T.eq(s, "{ 1, 2, 3, ... (97 more) }")
end)
T.case("pretty-1.4 long tables break into lines", function()
  local t = {}
  for i = 1, 30 do t["key" .. i] = i end
  local s = pretty.format(t)
  T.ok(s:find("\n  key1 = 1,\n", 1, true), s)
end)
T.case("pretty-1.5 strings quoted, keywords bracketed", function()
  T.eq(pretty.format({ ["end"] = "a\nb" }), '{ ["end"] = "a\\nb" }')
end)

local demo = {
  name = "demo", summary = "s",
  options = {
    { name = "n", type = "integer", default = 5 },
    { name = "ratio", type = "number" },
    { name = "flag", type = "boolean", default = false },
    { name = "tags", type = "list" },
    { name = "mode", type = "choice", choices = { "a", "b" }, default = "a" },
  },
  run = function() end,
}
T.case("recipes-1.1 parse options and inputs", function()
  local opts, inputs = recipes.parse(demo, { "--n", "7", "x", "--flag", "--tags", "p,q",
    "--tags=r", "--ratio=0.5", "--mode", "b", "--", "--not-an-option" })
  T.eq(opts, { n = 7, flag = true, tags = { "p", "q", "r" }, ratio = 0.5, mode = "b" })
  T.eq(inputs, { "x", "--not-an-option" })
end)
T.case("recipes-1.2 defaults and --no-flag", function()
  local opts = recipes.parse(demo, { "--no-flag" })
  T.eq(opts, { n = 5, flag = false, mode = "a" })
end)
T.case("recipes-1.3 errors name the option", function()
  T.raises("option --n: expected an integer, got '1.5'", recipes.parse, demo, { "--n", "1.5" })
  T.raises("unknown option --nope", recipes.parse, demo, { "--nope" })
  T.raises("option --mode: expected one of a, b, got 'c'", recipes.parse, demo, { "--mode", "c" })
  T.raises("option --ratio needs a value", recipes.parse, demo, { "--ratio" })
  local ok, e = pcall(recipes.parse, demo, { "--n", "x" })
  T.eq(ok, false)
  T.eq(e.code, 2)
end)
T.case("recipes-1.4 usage generated from the options", function()
  local u = recipes.usage(demo)
  T.ok(u:find("--n INTEGER", 1, true), u)
  T.ok(u:find("(default: 5)", 1, true), u)
  T.ok(u:find("--mode a|b", 1, true), u)
end)
T.case("recipes-1.5 the built-in recipes list and load", function()
  local names = {}
  for _, r in ipairs(recipes.list()) do names[r.name] = r.summary end
  T.ok(names.stats, "stats is listed")
  T.eq(recipes.load("stats").name, "stats")
  T.raises("no recipe named 'zzz'", recipes.load, "zzz")
end)

T.case("fs-1.1 stat and list", function()
  local st = fs.stat("tests/spec/runtime_spec.lua")
  T.eq(st.kind, "file")
  T.ok(st.size > 0)
  T.eq(fs.stat("tests").kind, "dir")
  local none, err = fs.stat("no/such/path")
  T.eq(none, nil)
  T.ok(err:find("no/such/path: No such file or directory", 1, true), err)
  T.raises("bad argument #1 to 'stat'", fs.stat, 42)
end)
T.case("fs-1.2 recursive walk reports problems and goes on", function()
  local got, problems = {}, {}
  for path in fs.files({ "tests/spec", "missing-dir" }, function(p) problems[#problems + 1] = p end) do
    got[#got + 1] = path
  end
  T.eq(problems, { "missing-dir" })
  local seen = false
  for _, p in ipairs(got) do if p == "tests/spec/runtime_spec.lua" then seen = true end end
  T.ok(seen, "found this spec")
end)

T.case("fs-1.3 temp_file: a new empty file of this process's in $TMPDIR", function()
  local a = assert(fs.temp_file("lector-spec"))
  local b = assert(fs.temp_file("lector-spec"))
  T.ok(a ~= b, "two files")
  T.eq({ fs.stat(a).kind, fs.stat(a).size }, { "file", 0 })
  local dir = os.getenv("TMPDIR")
  if dir == nil or dir == "" then dir = "/tmp" end
  T.eq(a:sub(1, #dir:gsub("/+$", "") + 13), dir:gsub("/+$", "") .. "/lector-spec-")
  os.remove(a)
  os.remove(b)
  T.raises("bad argument #1 to 'temp_file'", fs.temp_file, "a/b")
end)

T.case("repl-1.1 completion of globals, fields and methods", function()
  local c = repl.complete("lector.pre")
  T.eq(c, { "lector.pretty" })
  T.eq(repl.complete("string.up"), { "string.upper" })
  T.eq(repl.complete("whi"), { "while" })
  rawset(_G, "obj_for_spec", setmetatable({}, { __index = { frob = function() end, x = 1 } }))
  T.eq(repl.complete("obj_for_spec:fr"), { "obj_for_spec:frob" })
  rawset(_G, "obj_for_spec", nil)
  T.eq(repl.complete("nothing.here"), {})
end)
T.case("recipes-1.6 fail prints a library error as it is", function()
  -- data errors come without a Lua position: nothing to strip
  local ok, err = pcall(require("lector.gazetteer").load, "/nonexistent/g.tsv")
  T.eq(ok, false)
  T.eq(recipes.message(err):sub(1, 18), "/nonexistent/g.tsv")
  local e
  ok, e = pcall(recipes.fail, err)
  T.eq(ok, false)
  T.eq({ e.msg, e.code, tostring(e) }, { err, 1, "lector: " .. err })
  -- an error that ends the program passes through with its code
  local e2
  ok, e2 = pcall(recipes.fail, e, 2)
  T.eq({ ok, e2.msg, e2.code }, { false, err, 2 })
end)
