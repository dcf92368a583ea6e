-- The invariants of the JSON-lines reader (lector.read.documents with
-- jsonl = true), shared by the libFuzzer target fuzz_jsonl.c (which runs
-- it in an embedded LuaJIT) and the bad-input suite (which replays
-- tests/fuzz/regress/jsonl/* through `lector`).
--
-- check(path) reads path as JSON lines and returns nil when every
-- invariant holds, else a message: the reader never raises on bad data;
-- each item names path:LINE with lines increasing and within the file;
-- an item is either an error (a non-empty message) or a document with a
-- non-empty uri, a text string and fields/meta tables; every line that
-- holds a non-space character gives exactly one item.
--
-- check_ingest(path) runs the `ingest` recipe over path (as JSON lines,
-- into a fresh in-memory store) and returns nil when it did what ingest
-- promises with each line: store it or skip it with FILE:LINE and a
-- reason, nothing else. The recipe never raises; added + updated +
-- unchanged + skipped is the number of non-blank lines; every message is
-- "lector: ingest: skipped PATH:LINE: reason" with lines increasing; the
-- exit code is 1 exactly when something was skipped. check(path) runs
-- both.
local read = require "lector.read"
local recipes = require "lector.recipes"

local M = {}

local function check_reader(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  -- The lines f:lines() gives, and which of them are not blank.
  local want = {}
  local n = 0
  for line in (data:sub(-1) == "\n" and data or data .. "\n"):gmatch("([^\n]*)\n") do
    n = n + 1
    if line:find("%S") then want[#want + 1] = n end
  end
  if data == "" then n, want = 0, {} end
  local got = {}
  local ok, err = pcall(function()
    for d in read.documents({ path }, { jsonl = true }) do
      if type(d) ~= "table" or type(d.where) ~= "string" then
        error("INV: an item without where", 0)
      end
      local line = tonumber(d.where:match(":(%d+)$"))
      if d.where:sub(1, #path + 1) ~= path .. ":" or not line then
        error("INV: where is " .. d.where .. ", not " .. path .. ":LINE", 0)
      end
      if line < 1 or line > n or (got[#got] and line <= got[#got]) then
        error(string.format("INV: line %d after %s in a file of %d lines",
          line, tostring(got[#got]), n), 0)
      end
      got[#got + 1] = line
      if d.error ~= nil then
        if type(d.error) ~= "string" or d.error == "" then
          error("INV: " .. d.where .. ": an error item without a message", 0)
        end
      elseif type(d.text) ~= "string" or type(d.uri) ~= "string" or d.uri == ""
          or type(d.fields) ~= "table" or type(d.meta) ~= "table" then
        error("INV: " .. d.where .. ": a document without uri/text/fields/meta", 0)
      end
    end
  end)
  if not ok then
    if tostring(err):sub(1, 5) == "INV: " then return tostring(err):sub(6) end
    return "the reader raised: " .. tostring(err)
  end
  if #got ~= #want then
    return string.format("%d items for %d non-blank lines", #got, #want)
  end
  for i = 1, #want do
    if got[i] ~= want[i] then
      return string.format("item %d is line %d, want line %d", i, got[i], want[i])
    end
  end
  return nil
end

-- A stand-in for io.stdout / io.stderr that keeps what is written.
local function collector()
  local c = { parts = {} }
  function c.write(self, ...)
    for i = 1, select("#", ...) do self.parts[#self.parts + 1] = tostring((select(i, ...))) end
    return self
  end
  function c.flush() end
  function c.setvbuf() end
  function c.text(self) return table.concat(self.parts) end
  return c
end

function M.check_ingest(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  local nonblank, n = 0, 0
  for line in (data:sub(-1) == "\n" and data or data .. "\n"):gmatch("([^\n]*)\n") do
    n = n + 1
    if n == 1 then line = line:gsub("^\239\187\191", "") end
    if line:find("%S") then nonblank = nonblank + 1 end
  end
  if data == "" then n = 0 end
  local out, err = collector(), collector()
  local real_out, real_err = io.stdout, io.stderr
  io.stdout, io.stderr = out, err -- luacheck: ignore 122 (the recipe writes through io.stdout and io.stderr)
  local ok, code = pcall(recipes.run, "ingest", { db = ":memory:", jsonl = true, progress = "never" }, { path })
  io.stdout, io.stderr = real_out, real_err -- luacheck: ignore 122
  if not ok then return "ingest raised: " .. recipes.message(code) end
  local summary = out:text()
  local a, u, c, s = summary:match("^ingest: (%d+) added, (%d+) updated, (%d+) unchanged[^,]*, (%d+) skipped")
  if not a then return "ingest printed no summary: " .. summary:sub(1, 200) end
  a, u, c, s = tonumber(a), tonumber(u), tonumber(c), tonumber(s)
  if a + u + c + s ~= nonblank then
    return string.format("%d added + %d updated + %d unchanged + %d skipped for %d non-blank lines",
      a, u, c, s, nonblank)
  end
  local skips, last = 0, 0
  local prefix = "lector: " .. path .. ":"
  for line in err:text():gmatch("([^\n]*)\n") do
    if line:sub(1, #prefix) ~= prefix then return "ingest wrote " .. line:sub(1, 200) end
    local ln, why = line:sub(#prefix + 1):match("^(%d+): (.+)$")
    ln = tonumber(ln)
    if not ln or ln <= last or ln > n then return "a skip without a good FILE:LINE: " .. line:sub(1, 200) end
    if why:find("json.encode", 1, true) or why:find("%.lua:%d+:") then
      return "a skip whose reason is internal: " .. line:sub(1, 200)
    end
    last, skips = ln, skips + 1
  end
  if skips ~= s then return string.format("%d skip messages for %d skipped", skips, s) end
  if code ~= (s > 0 and 1 or 0) then return string.format("exit code %s with %d skipped", tostring(code), s) end
  return nil
end

function M.check(path)
  return check_reader(path) or M.check_ingest(path)
end

return M
