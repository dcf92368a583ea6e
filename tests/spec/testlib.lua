-- The Lua spec harness: plain asserts grouped into named cases, in the
-- spirit of LPeg's test.lua. Each case has an id ("tokenize-2.3") so a
-- failure points at one case; the runner prints the closing tally.
local M = { passed = 0, failed = 0, skipped = 0 }

local function show(v)
  if type(v) == "string" then return string.format("%q", v) end
  return tostring(v)
end

-- Deep equality for plain tables; other values compare with ==.
local function same(a, b)
  if a == b then return true end
  if type(a) ~= "table" or type(b) ~= "table" then return false end
  for k, v in pairs(a) do if not same(v, b[k]) then return false end end
  for k in pairs(b) do if a[k] == nil then return false end end
  return true
end
M.same = same

local function fail(msg, level) error(msg, (level or 1) + 1) end

function M.ok(cond, msg)
  if not cond then fail("assertion failed" .. (msg and (": " .. msg) or ""), 2) end
end

function M.eq(got, want, msg)
  if not same(got, want) then
    local g, w = got, want
    if type(g) == "table" or type(w) == "table" then
      local repl = require "lector.pretty"
      g, w = repl.format(g), repl.format(w)
    else
      g, w = show(g), show(w)
    end
    fail(string.format("%sgot %s, want %s", msg and (msg .. ": ") or "", g, w), 2)
  end
end

-- Asserts f(...) raises an error whose message contains plain text `want`.
function M.raises(want, f, ...)
  local okay, err = pcall(f, ...)
  if okay then fail("expected an error containing " .. show(want), 2) end
  err = tostring(err)
  if not err:find(want, 1, true) then
    fail(string.format("error %s does not contain %s", show(err), show(want)), 2)
  end
  return err
end

-- Runs one case now and counts it.
function M.case(id, fn)
  local okay, err = xpcall(fn, debug.traceback)
  if okay then
    M.passed = M.passed + 1
  else
    M.failed = M.failed + 1
    io.stdout:write("FAIL ", id, ": ", tostring(err), "\n")
  end
end

-- A case that cannot run on this machine (e.g. no ../shared corpus).
function M.skip(id, why)
  M.skipped = M.skipped + 1
  io.stdout:write("SKIP ", id, ": ", why, "\n")
end

-- Runs fn while watching LuaJIT's trace events; returns the aborts that
-- count (as "file:line: reason") and the number of traces compiled.
-- Aborts that depend on timing, not on the code, never count: "leaving
-- loop in root trace", "inner loop in root trace" and "loop unroll limit
-- reached" (LuaJIT choosing which loop to trace first, which depends on
-- which got hot first), and "error thrown or hook called during recording"
-- (the collector ran a finalizer, such as a token array's, while a trace
-- was recorded). Each is recorded again. opts.file keeps only events in
-- source files whose name contains it; opts.nyi_only counts only NYI
-- aborts.
function M.jit_trace(fn, opts)
  opts = opts or {}
  local jutil, vmdef = require "jit.util", require "jit.vmdef"
  local aborts, traces = {}, 0
  local function on_trace(what, _, func, pc, otr, oex)
    local loc = tostring(jutil.funcinfo(func, pc).loc)
    if opts.file and not loc:find(opts.file, 1, true) then return end
    if what == "abort" then
      local msg = vmdef.traceerr[otr]
      if type(msg) == "string" and oex then msg = msg:format(oex) end
      msg = tostring(msg)
      local timing = msg:find("leaving loop in root trace", 1, true)
        or msg:find("inner loop in root trace", 1, true)
        or msg:find("loop unroll limit reached", 1, true)
        or msg:find("error thrown or hook called during recording", 1, true)
      if not timing and (not opts.nyi_only or msg:find("NYI", 1, true)) then
        aborts[#aborts + 1] = loc .. ": " .. msg
      end
    elseif what == "stop" then
      traces = traces + 1
    end
  end
  jit.flush()
  jit.attach(on_trace, "trace")
  local okay, err = pcall(fn)
  jit.attach(on_trace)
  if not okay then error(err, 0) end
  return aborts, traces
end

-- The seed corpus outside the repository, or nil when this clone has none.
function M.shared_corpus()
  local dir = (os.getenv("LECTOR_SHARED") or "../shared") .. "/corpus/news"
  local f = io.open(dir .. "/000_edbceb3384c84068.txt", "rb")
  if not f then return nil end
  f:close()
  return dir
end

-- A case that needs the seed corpus: fn(dir) runs as a case, or, in a
-- clone without ../shared, the case is counted as skipped under its own
-- id (one skip for each case hidden, never one for many).
function M.corpus_case(id, fn)
  local dir = M.shared_corpus()
  if not dir then return M.skip(id, "no seed corpus in ../shared/corpus/news") end
  M.case(id, function() return fn(dir) end)
end

function M.readfile(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

return M
