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
local read = require "lector.read"

local M = {}

function M.check(path)
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

return M
