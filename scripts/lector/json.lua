-- JSON for lector: lua-cjson (Debian's lua-cjson) behind errors that say
-- what was wrong. Objects decode to tables; JSON null decodes to json.null.
local check = require "lector.check"
local cjson = require "cjson.safe"

local M = {}

M.null = cjson.null

-- Sparse or mixed tables still encode (as objects) instead of failing.
cjson.encode_sparse_array(true)
cjson.encode_invalid_numbers(false)

function M.encode(v)
  local s, err = cjson.encode(v)
  if not s then error("json.encode: " .. tostring(err), 2) end
  return s
end

--- v as JSON with each object's members in the order of their keys, so
-- that the same table gives the same text in every process: a table's
-- own order of keys differs from one LuaJIT process to the next, and a
-- run's options or a document's meta are stored as text. (For small
-- tables: the annotations' attrs keep encode's order.)
function M.encode_sorted(v)
  if type(v) ~= "table" then return M.encode(v) end
  local keys, n = {}, 0
  for k in pairs(v) do
    n = n + 1
    keys[n] = k
  end
  if n == 0 or n == #v then
    -- an array (or {}): as encode writes it, its items in turn
    if n == 0 then return M.encode(v) end
    local parts = {}
    for i = 1, n do parts[i] = M.encode_sorted(v[i]) end
    return "[" .. table.concat(parts, ",") .. "]"
  end
  for i = 1, n do
    if type(keys[i]) ~= "string" then return M.encode(v) end -- (mixed keys: as encode does)
  end
  table.sort(keys)
  local parts = {}
  for i = 1, n do parts[i] = M.encode(keys[i]) .. ":" .. M.encode_sorted(v[keys[i]]) end
  return "{" .. table.concat(parts, ",") .. "}"
end

-- The key path (path, then ".key" for each level) of the first NaN or
-- infinity in v, which JSON cannot hold (a number that overflowed, like
-- 1e999), and that number; nil when there is none. Tables nest 64 deep
-- at most before the search stops.
local function unencodable(v, path, depth)
  if type(v) == "number" then
    if v ~= v or v == math.huge or v == -math.huge then return path, v end
  elseif type(v) == "table" and depth < 64 then
    for k, x in pairs(v) do
      local p, bad = unencodable(x, path .. "." .. tostring(k), depth + 1)
      if p then return p, bad end
    end
  end
end

function M.unencodable(v, path) return unencodable(v, path or "value", 0) end

-- Returns the decoded value, or nil and a message naming what is wrong.
function M.decode(s)
  if type(s) ~= "string" then
    check.argerr(1, "decode", "string", s)
  end
  local v, err = cjson.decode(s)
  if v == nil and err then return nil, "invalid JSON: " .. tostring(err) end
  return v
end

-- attrs tables as the store writes them: many small objects a run, each
-- appended to one buffer (string.buffer) instead of a string apiece, by
-- code LuaJIT compiles (cjson's calls are not: the interpreter ran each).
local ffi = require "ffi"
local bytes = ffi.typeof("const uint8_t *")
local floor = math.floor

-- True when s stands in JSON as it is between quotes; cjson escapes the
-- control characters, DEL, '"', '\' and '/'. A long string (a quote's
-- text) is searched by string.find, a short one byte by byte in
-- compiled code.
local find = string.find
local function plain(s)
  local n = #s
  if n > 40 then return not find(s, '[%z\1-\31"/\\\127]') end
  local p = ffi.cast(bytes, s)
  for i = 0, n - 1 do
    local c = p[i]
    if c < 32 or c == 34 or c == 47 or c == 92 or c == 127 then return false end
  end
  return true
end

-- Array t (keys 1..#t, #t > 0, nothing else) of plain strings and
-- integers, appended to out as cjson writes it; false, with out as it
-- was, for any other table. (A source's claims and chain: cjson's C call
-- ended the trace through the attrs of every source span.)
local function put_array(out, t)
  local n, c = #t, 0
  if n == 0 then return false end
  for _ in pairs(t) do c = c + 1 end
  if c ~= n then return false end
  for i = 1, n do
    local v = t[i]
    local tv = type(v)
    if tv == "string" then
      if not plain(v) then return false end
    elseif tv ~= "number" or v ~= floor(v) or v >= 1e14 or v <= -1e14 then
      return false
    end
  end
  for i = 1, n do
    local v = t[i]
    if type(v) == "string" then out:put(i == 1 and '["' or ',"', v, '"') else out:put(i == 1 and "[" or ",", v) end
  end
  out:put("]")
  return true
end

-- '"key":' by key, for the names attrs use again and again (a bounded
-- number of them: a run with endless distinct names builds the rest).
local quoted, nquoted = {}, 0

-- The object's members into out; the count, or nil for a value
-- put_object leaves to encode (out then holds a part of the object).
local function members(out, t, omit)
  local n = 0
  for k, v in pairs(t) do
    if type(k) ~= "string" then return nil end
    if k ~= omit then
      local q = quoted[k]
      if not q then
        if not plain(k) then return nil end
        q = '"' .. k .. '":'
        if nquoted < 4096 then
          quoted[k], nquoted = q, nquoted + 1
        end
      end
      out:put(n == 0 and "{" or ",", q)
      local tv = type(v)
      if tv == "string" then
        if plain(v) then out:put('"', v, '"') else out:put((cjson.encode(v))) end
      elseif tv == "number" then
        -- An integer of up to 14 digits reads the same in LuaJIT's
        -- formatting as in cjson's %.14g; others (LuaJIT rounds a tie in
        -- the 15th digit otherwise than the C library) go through cjson.
        if v == floor(v) and v < 1e14 and v > -1e14 then
          out:put(v)
        else
          local js = cjson.encode(v)
          if not js then return nil end
          out:put(js)
        end
      elseif tv == "boolean" then
        out:put(v and "true" or "false")
      elseif tv == "table" then
        if not put_array(out, v) then
          local js = cjson.encode(v)
          if not js then return nil end
          out:put(js)
        end
      else
        return nil
      end
      n = n + 1
    end
  end
  return n
end

--- Appends table t as a JSON object to the string.buffer out, the text
-- encode gives (members in the same order), without the member named
-- omit (when given). Returns the number of members written, or nil,
-- with out as it was, for a table that encode must write (keys that are
-- not strings, NaN or infinity, a value JSON cannot hold). (Written
-- straight into out: a table put_object cannot write is rare, and out is
-- put back as it was by copying what it held before.)
function M.put_object(out, t, omit)
  local at = #out
  local n = members(out, t, omit)
  if n == nil then
    if #out > at then
      local before = out:get(at)
      out:reset()
      out:put(before)
    end
    return nil
  end
  out:put(n == 0 and "{}" or "}")
  return n
end

return M
