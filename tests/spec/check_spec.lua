-- lector.check: the error convention (Lua's `bad argument` format, raised
-- at the caller's line).
local T = require "testlib"
local check = require "lector.check"

-- A stand-in library function in this file: check raises at its caller.
local function lib(s)
  check.arg(1, "lib", type(s) == "string", "string", s)
  return s
end
local function lib_argerr(v) check.argerr(2, "lib", "table or nil", v) end
local function lib_msg() check.argmsg(3, "lib", "span 2: offsets outside the text") end
local function lib_fail(msg) check.fail(msg) end
local function helper(v) check.arg(1, "outer", type(v) == "number", "number", v, 3) end
local function outer(v) helper(v) end

local function line_of_call(f, ...)
  local okay, err = pcall(f, ...)
  T.eq(okay, false)
  return err
end

T.case("check-1.1 exact format, as lauxlib writes it", function()
  T.eq(select(2, pcall(lib, 5)):match("bad argument.*$"),
    "bad argument #1 to 'lib' (string expected, got number)")
  T.eq(lib("x"), "x")
  T.eq(select(2, pcall(lib_argerr, true)):match("bad argument.*$"),
    "bad argument #2 to 'lib' (table or nil expected, got boolean)")
  T.eq(select(2, pcall(lib_msg)):match("bad argument.*$"),
    "bad argument #3 to 'lib' (span 2: offsets outside the text)")
end)

T.case("check-1.2 the position is the caller's line, not the library's", function()
  local src = debug.getinfo(1, "S").short_src
  local line = debug.getinfo(1, "l").currentline + 1
  local ok, err = pcall(function() lib(nil) end)
  T.eq(ok, false)
  T.eq(err, src .. ":" .. line .. ": bad argument #1 to 'lib' (string expected, got nil)")
  T.ok(not err:find("lector/check.lua", 1, true), err)
  -- a helper checking for a public function passes one more level
  line = debug.getinfo(1, "l").currentline + 1
  ok, err = pcall(function() outer("x") end)
  T.eq(ok, false)
  T.eq(err, src .. ":" .. line .. ": bad argument #1 to 'outer' (number expected, got string)")
end)

T.case("check-1.3 fail: data errors are bare, wherever they are raised", function()
  local ok, err = pcall(function() lib_fail("x.txt:3: bad line") end)
  T.eq(ok, false)
  T.eq(err, "x.txt:3: bad line")
  T.eq(line_of_call(lib_fail, "db.sqlite: locked"), "db.sqlite: locked")
end)

T.case("check-1.3b abort: a table the binary prints as lector: msg, with its code", function()
  local ok, e = pcall(check.abort, "c.db: locked", 2)
  T.eq(ok, false)
  T.eq({ check.is_abort(e), e.msg, e.code, tostring(e) }, { true, "c.db: locked", 2, "lector: c.db: locked" })
  T.eq(check.message(e), "c.db: locked")
  T.eq(check.message("plain"), "plain")
  T.eq(check.is_abort({ msg = "x" }), false)
  -- an abort of an abort keeps the message
  T.eq(check.failure(e, 1).msg, "c.db: locked")
end)

T.case("check-1.3c data errors met deep inside the library carry no Lua position", function()
  local context = require "lector.context"
  local pipeline = require "lector.pipeline"
  -- bad UTF-8 tokenized by a context a pipeline stage made
  local stage = function(ctx) return ctx.tokens end
  local ok, err = pcall(pipeline.process, { text = "ab\255cd" }, { stage })
  T.eq(ok, false)
  T.eq(err, "tokenize: invalid UTF-8 at byte 3: invalid byte")
  ok, err = pcall(function() return context.new({ text = "\192" }).tokens end)
  T.eq(ok, false)
  T.ok(not tostring(err):find("%.lua:%d"), err)
  -- a pattern that does not compile, and the patterns file naming it
  ok, err = pcall(require("lector.pattern"), "(a|b")
  T.eq(ok, false)
  T.ok(err:find("^pattern: "), err)
  local path = os.tmpname()
  local f = assert(io.open(path, "wb"))
  f:write("claim\tkill\t(a|b\n")
  f:close()
  ok, err = pcall(pipeline.load_patterns, path)
  os.remove(path)
  T.eq(ok, false)
  T.ok(err:find("^" .. path:gsub("%p", "%%%0") .. ":1: pattern: "), err)
end)

T.case("check-1.4 a real module raises at the caller's line", function()
  local text = require "lector.text"
  local src = debug.getinfo(1, "S").short_src
  local line = debug.getinfo(1, "l").currentline + 1
  local ok, err = pcall(function() text.valid(7) end)
  T.eq(ok, false)
  T.eq(err, src .. ":" .. line .. ": bad argument #1 to 'valid' (string expected, got number)")
end)

T.case("check-1.5 a helper inside the store points at the caller too", function()
  local store = require "lector.store"
  local src = debug.getinfo(1, "S").short_src
  local line = debug.getinfo(1, "l").currentline + 1
  local ok, err = pcall(function() store.Db.exec({}, "SELECT 1") end)
  T.eq(ok, false)
  T.eq(err, src .. ":" .. line .. ": bad argument #1 to 'exec' (store expected, got table)")
end)

T.case("check-1.6 store: clear_layers' misuse points at the caller, both ways in", function()
  local store = require "lector.store"
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir -p " .. dir) == 0)
  local db = store.open(dir .. "/c.db")
  local src = debug.getinfo(1, "S").short_src
  local line = debug.getinfo(1, "l").currentline + 1
  local ok, err = pcall(function() db:clear_layers(1, "entity") end)
  T.eq(ok, false)
  T.eq(err, src .. ":" .. line .. ": bad argument #2 to 'clear_layers' (table of layer names expected, got string)")
  line = debug.getinfo(1, "l").currentline + 1
  ok, err = pcall(function() db:clear_layers({ 1, 2 }, { 5 }) end)
  T.eq(ok, false)
  T.eq(err, src .. ":" .. line .. ": bad argument #2 to 'clear_layers' (table of strings expected, got number)")
  db:close()
  os.execute("rm -rf " .. dir)
end)

T.case("check-1.7 pattern: misuse points at the caller through either entry", function()
  local pattern = require "lector.pattern"
  local src = debug.getinfo(1, "S").short_src
  local line = debug.getinfo(1, "l").currentline + 1
  local ok, err = pcall(function() pattern(5) end)
  T.eq({ ok, err }, { false, src .. ":" .. line .. ": bad argument #1 to 'pattern' (string expected, got number)" })
  line = debug.getinfo(1, "l").currentline + 1
  ok, err = pcall(function() pattern.compile("x", 5) end)
  T.eq({ ok, err }, { false, src .. ":" .. line .. ": bad argument #2 to 'pattern' (table expected, got number)" })
end)
