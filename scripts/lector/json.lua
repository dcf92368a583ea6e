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

return M
