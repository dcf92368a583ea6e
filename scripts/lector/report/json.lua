-- lector.report.json: JSON for reports and exports, where a list is always
-- an array — also an empty one (lua-cjson 2.1 writes an empty table as
-- {}) — and object keys come out sorted, so output compares byte for byte.
-- M.object(t) marks a table to write as an object even when empty;
-- M.raw(text) embeds JSON text as it is (an annotation's stored attrs).
local check = require "lector.check"
local cjson = require "cjson"

local M = {}

local OBJECT, RAW = {}, {}

function M.object(t) return setmetatable(t or {}, OBJECT) end
function M.raw(text)
  if type(text) ~= "string" then check.argerr(1, "raw", "string", text) end
  return setmetatable({ text = text }, RAW)
end

local function encode(v, out)
  local t = type(v)
  if t == "string" then
    out[#out + 1] = cjson.encode(v)
  elseif t == "number" then
    if v ~= v or v == math.huge or v == -math.huge then
      out[#out + 1] = "null"
    elseif v == math.floor(v) and math.abs(v) < 2 ^ 53 then
      out[#out + 1] = string.format("%d", v)
    else
      out[#out + 1] = string.format("%.17g", v)
    end
  elseif t == "boolean" then
    out[#out + 1] = v and "true" or "false"
  elseif t == "table" then
    local mt = getmetatable(v)
    if mt == RAW then
      out[#out + 1] = v.text
      return
    end
    if v == cjson.null then out[#out + 1] = "null"; return end
    local n = #v
    if mt ~= OBJECT and (n > 0 or next(v) == nil) then
      out[#out + 1] = "["
      for i = 1, n do
        if i > 1 then out[#out + 1] = "," end
        encode(v[i], out)
      end
      out[#out + 1] = "]"
      return
    end
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = tostring(k) end
    table.sort(keys)
    out[#out + 1] = "{"
    for i, k in ipairs(keys) do
      if i > 1 then out[#out + 1] = "," end
      out[#out + 1] = cjson.encode(k)
      out[#out + 1] = ":"
      local val = v[k]
      if val == nil then val = v[tonumber(k)] end
      encode(val, out)
    end
    out[#out + 1] = "}"
  else
    out[#out + 1] = "null"
  end
end

--- The JSON text of v.
function M.encode(v)
  local out = {}
  encode(v, out)
  return table.concat(out)
end

return M
