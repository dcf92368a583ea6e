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
