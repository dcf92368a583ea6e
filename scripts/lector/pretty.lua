-- Readable rendering of Lua values for the REPL and for test messages:
-- nested tables with sorted keys, depth and length limits, cycles marked,
-- one line when short, indented when long.
local M = {}

local DEFAULTS = { depth = 4, items = 40, width = 78, strlen = 200 }

local keywords = {}
for w in ([[and break do else elseif end false for function goto if in
  local nil not or repeat return then true until while]]):gmatch("%a+") do
  keywords[w] = true
end

local function quote(s, limit)
  local cut = #s > limit
  if cut then s = s:sub(1, limit) end
  s = string.format("%q", s):gsub("\\\n", "\\n")
  return cut and (s .. "...") or s
end

local type_order = { number = 1, string = 2, boolean = 3 }

local function key_less(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return (type_order[ta] or 9) < (type_order[tb] or 9) end
  if ta == "number" or ta == "string" then return a < b end
  return tostring(a) < tostring(b)
end

local function scalar(v, opts)
  local t = type(v)
  if t == "string" then return quote(v, opts.strlen) end
  if t == "number" then
    if v == math.floor(v) and v > -1e15 and v < 1e15 then
      return string.format("%d", v)
    end
    return string.format("%.14g", v)
  end
  local mt = getmetatable(v)
  if (t == "table" or t == "userdata" or t == "cdata") and mt ~= nil and type(mt) == "table"
     and mt.__tostring then
    return tostring(v)
  end
  if t == "table" then return nil end
  return tostring(v)
end

local function render(v, opts, depth, seen, indent)
  local s = scalar(v, opts)
  if s then return s end
  if seen[v] then return "<cycle>" end
  if depth >= opts.depth then return "{...}" end
  seen[v] = true
  local n = #v
  local keys = {}
  for k in pairs(v) do
    if not (type(k) == "number" and k >= 1 and k <= n and k == math.floor(k)) then
      keys[#keys + 1] = k
    end
  end
  table.sort(keys, key_less)
  local parts, shown, total = {}, 0, n + #keys
  local inner = indent .. "  "
  for i = 1, n do
    if shown >= opts.items then break end
    parts[#parts + 1] = render(v[i], opts, depth + 1, seen, inner)
    shown = shown + 1
  end
  for _, k in ipairs(keys) do
    if shown >= opts.items then break end
    local ks
    if type(k) == "string" and k:match("^[%a_][%w_]*$") and not keywords[k] then
      ks = k
    else
      ks = "[" .. (scalar(k, opts) or tostring(k)) .. "]"
    end
    parts[#parts + 1] = ks .. " = " .. render(v[k], opts, depth + 1, seen, inner)
    shown = shown + 1
  end
  if total > shown then parts[#parts + 1] = string.format("... (%d more)", total - shown) end
  seen[v] = nil
  if #parts == 0 then return "{}" end
  local flat = "{ " .. table.concat(parts, ", ") .. " }"
  if #flat + #indent <= opts.width and not flat:find("\n", 1, true) then return flat end
  return "{\n" .. inner .. table.concat(parts, ",\n" .. inner) .. "\n" .. indent .. "}"
end

-- The library's iterators (db:rows, db:documents, g:matches, p:matches
-- ...) are marked here, so that the REPL can show what one yields rather
-- than "function: 0x...". Weak keys: marking keeps nothing alive.
local iterators = setmetatable({}, { __mode = "k" })

-- iterator(f [, what]) -> f, marked as an iterator of rows (what names
-- them: "rows", "documents", "matches").
function M.iterator(f, what)
  iterators[f] = what or "rows"
  return f
end

-- is_iterator(v) -> what it yields (a string) when v is a marked iterator.
-- A callable table whose metatable has __iterator = WHAT is one too.
function M.is_iterator(v)
  if type(v) == "table" then
    local mt = getmetatable(v)
    return type(mt) == "table" and type(mt.__iterator) == "string" and mt.__iterator or nil
  end
  return type(v) == "function" and iterators[v] or nil
end

-- format(v [, opts]) -> string; opts: depth, items, width, strlen.
function M.format(v, opts)
  local o = {}
  for k, d in pairs(DEFAULTS) do o[k] = (opts and opts[k]) or d end
  return render(v, o, 0, {}, "")
end

return M
