-- The Lua half of `lector repl`: printing values, Tab completion, the
-- :commands and opening a store as `db`. The C half (core/host/repl.c) owns the
-- terminal: line editing, history, Ctrl-C.
local check = require "lector.check"
local pretty = require "lector.pretty"

local M = {}

function M.banner()
  io.stdout:write("lector ", require("lector").version,
    " — Lua with the lector library. :help for a guide, Ctrl-D to leave.\n")
end

-- How many rows of an iterator the REPL shows, and how wide one may be.
local SHOW_ROWS, ROW_WIDTH = 10, 160

-- An iterator of the library (db:rows, g:matches ...) as a short list of
-- the rows it yields, one a line; this takes them from the iterator.
local function show_iterator(it, what)
  local rows = {}
  for _ = 1, SHOW_ROWS + 1 do
    local r = it()
    if r == nil then break end
    rows[#rows + 1] = r
  end
  local more = #rows > SHOW_ROWS
  if more then rows[#rows] = nil end
  local one = what:gsub("es$", ""):gsub("s$", "") -- matches -> match, rows -> row
  local out = { more and string.format("the first %d %s (more follow):", SHOW_ROWS, what)
                or string.format("%d %s%s", #rows, #rows == 1 and one or what, #rows > 0 and ":" or "") }
  for i, r in ipairs(rows) do
    local s = pretty.format(r, { width = math.huge })
    if #s > ROW_WIDTH then
      -- cut at a character boundary
      local cut = ROW_WIDTH
      while cut > 1 and s:byte(cut + 1) and s:byte(cut + 1) >= 0x80 and s:byte(cut + 1) < 0xC0 do
        cut = cut - 1
      end
      s = s:sub(1, cut) .. " …"
    end
    out[#out + 1] = string.format("%3d  %s", i, s)
  end
  return table.concat(out, "\n")
end

-- Prints each value an expression returned, tab-separated like lua's REPL;
-- an iterator of the library as the rows it yields.
function M.show(...)
  local n = select("#", ...)
  local out = {}
  for i = 1, n do
    local v = (select(i, ...))
    local what = pretty.is_iterator(v)
    out[i] = what and show_iterator(v, what) or pretty.format(v)
  end
  io.stdout:write(table.concat(out, "\t"), "\n")
end

-- Names worth offering after "v." or "v:" (methods_only): its own keys,
-- then the keys of its __index table chain (methods of objects such as
-- `db`); a token array's methods and a token's fields. Metamethods never;
-- names starting with "_" (internals such as g:_match) only when hidden
-- is set (the user typed the "_").
local function fields(v, methods_only, hidden)
  local names, seen = {}, {}
  local function add(k, val)
    if type(k) == "string" and not seen[k] and k:match("^[%a_][%w_]*$")
       and not k:match("^__") and (hidden or not k:match("^_"))
       and (not methods_only or type(val) == "function") then
      seen[k] = true
      names[#names + 1] = k
    end
  end
  if type(v) == "cdata" then
    for _, k in ipairs(require("lector.token").members(v) or {}) do
      local ok, val = pcall(function() return v[k] end)
      if ok then add(k, val) end
    end
    return names
  end
  local guard = 0
  while v ~= nil and guard < 8 do
    guard = guard + 1
    if type(v) == "table" then
      for k, val in pairs(v) do add(k, val) end
      if v == require("lector") then
        for _, k in ipairs(v.modules()) do add(k, true) end
      end
    end
    local ok, mt = pcall(getmetatable, v)
    if not ok or type(mt) ~= "table" then break end
    v = type(mt.__index) == "table" and mt.__index or nil
  end
  return names
end

-- The expression that ends line, as a chain: a global name, then .name,
-- [number] or ["string"] steps; returns the chain's keys, the separator
-- typed after it ("." or ":") and the partial name after that, and the
-- chain's text; nil when line does not end with such an expression.
local function trailing_chain(line)
  local last = line:match("[%w_]*$")
  local pos = #line - #last
  local sep = line:sub(pos, pos)
  if sep ~= "." and sep ~= ":" then return nil end
  local keys, stop = {}, pos - 1
  while true do
    local head = line:sub(1, stop)
    local k, n, bracket
    local num = head:match("%[%s*(%d+)%s*%]$")
    local str = head:match("%[%s*\"([^\"\\]*)\"%s*%]$") or head:match("%[%s*'([^'\\]*)'%s*%]$")
    if num then
      k, n, bracket = tonumber(num), #head:match("%[[^%[]*%]$"), true
    elseif str then
      k, n, bracket = str, #head:match("%[[^%[]*%]$"), true
    else
      k = head:match("[%a_][%w_]*$")
      if not k then return nil end
      n = #k
    end
    table.insert(keys, 1, k)
    stop = stop - n
    local before = line:sub(stop, stop)
    if not bracket and before ~= "." and before ~= "]" then
      -- the chain's first name: a global, not a field of something before it
      if before:match("[%w_%.:]") then return nil end
      break
    end
    if before == "." then stop = stop - 1 end
  end
  if type(keys[1]) ~= "string" or line:sub(stop + 1, stop + 1) == "[" then return nil end
  return keys, sep, last, line:sub(stop + 1, pos - 1)
end

-- complete(word [, line]) -> candidates for the word before the cursor;
-- line is the input up to the cursor. "lector.te" -> { "lector.text" };
-- for "toks[1].te" (where '[' and ']' break words, so word is ".te") the
-- candidates replace ".te". Resolves the chain from the globals (indexing,
-- never calling functions) and filters by the last part.
function M.complete(word, line)
  line = line or word
  local keys, sep, last, chain = trailing_chain(line)
  local out = {}
  if keys then
    local v = _G
    for _, k in ipairs(keys) do
      if type(v) ~= "table" and type(v) ~= "cdata" and type(v) ~= "userdata"
         and type(v) ~= "string" then return {} end
      local ok, nv = pcall(function() return v[k] end)
      if not ok or nv == nil then return {} end
      v = nv
    end
    -- the candidate is the whole expression; readline replaces only word
    local expr = chain .. sep .. last
    local keep = #word - #expr
    for _, k in ipairs(fields(v, sep == ":", last:sub(1, 1) == "_")) do
      if k:sub(1, #last) == last then
        local full = chain .. sep .. k
        out[#out + 1] = keep >= 0 and (word:sub(1, keep) .. full) or full:sub(1 - keep)
      end
    end
    table.sort(out)
    return out
  end
  last = word:match("[%w_]*$")
  if #last ~= #word then return {} end
  for _, k in ipairs(fields(_G, false, last:sub(1, 1) == "_")) do
    if k:sub(1, #last) == last then out[#out + 1] = k end
  end
  for _, kw in ipairs { "and", "break", "do", "else", "elseif", "end", "false",
    "for", "function", "if", "in", "local", "nil", "not", "or", "repeat",
    "return", "then", "true", "until", "while" } do
    if kw:sub(1, #last) == last and not _G[kw] then out[#out + 1] = kw end
  end
  table.sort(out)
  return out
end

local guide = [[
lector REPL — type Lua; an expression prints its value.

  s = "ISIS’s fighters left al-Bab."
  toks = lector.tokenize(s)          tokens (#toks, toks[i].text, toks:each())
  toks:sentences()                   sentence ranges
  lector.text.fold("Ḥalab")          the matching key: "halab"
  g = lector.gazetteer.load("examples/gazetteer.tsv")
  for m in g:matches(toks) do print(m.entity, m.start, m.stop) end
  p = lector.pattern("count:<number> _{0,3} what:{fighters dead}")
  db = lector.store.open("corpus.db") a store (or: lector repl corpus.db)

Commands:  :help  this guide      :modules  the library's modules
           :db    the store's methods (when `db` is open)      :quit  leave
Keys: Tab completes names and fields (lector. TAB), Ctrl-C interrupts a
running statement or drops the current input, Ctrl-D leaves. History is kept
in ~/.lector_history.]]

-- One line per method: the class's own help (lector.store's M.help for a
-- store) or just the method's name.
local function method_docs(obj)
  local mt = getmetatable(obj)
  local idx = type(mt) == "table" and mt.__index
  local store = package.loaded["lector.store"]
  local docs = (store and mt == store.Db and store.help) or {}
  local names = {}
  if type(idx) == "table" then
    for k, v in pairs(idx) do
      if type(v) == "function" and not k:match("^_") then names[#names + 1] = k end
    end
  end
  table.sort(names)
  for _, k in ipairs(names) do
    io.stdout:write("  ", docs[k] or ("db:" .. k .. "(...)"), "\n")
  end
  return #names
end

function M.command(line)
  local cmd = line:match("^:(%S+)")
  if cmd == "help" or cmd == "h" then
    io.stdout:write(guide, "\n")
    if rawget(_G, "db") ~= nil then
      io.stdout:write("\nThe store `db`:\n")
      method_docs(rawget(_G, "db"))
    end
  elseif cmd == "modules" then
    io.stdout:write(table.concat(require("lector").modules(), "  "), "\n")
  elseif cmd == "db" then
    if rawget(_G, "db") == nil then
      io.stdout:write("no store is open: lector repl corpus.db, or db = lector.store.open(path)\n")
    else
      method_docs(rawget(_G, "db"))
    end
  else
    io.stderr:write("unknown command ", line, " (try :help)\n")
  end
end

-- `lector repl --trust-schema ...`: stores opened in this session (the
-- command line's and the user's own store.open calls) may carry views and
-- triggers lector did not create, as the recipes' --trust-schema allows.
function M.trust_schema()
  require("lector.store").defaults.trust_schema = true
end

-- `lector repl corpus.db`: the store becomes the global `db`.
function M.open_db(path)
  local lector = require "lector"
  local ok, store = pcall(function() return lector.store end)
  if not ok or store == nil then
    check.abort("opening a store is not supported by this build yet (" .. path .. ")")
  end
  -- A mistyped name would otherwise quietly become a new, empty store.
  local existed = io.open(path, "rb")
  if existed then existed:close() end
  local db, err = store.open(path)
  if not db then check.abort(err) end
  rawset(_G, "db", db)
  if existed then
    local counted, n = pcall(db.value, db, "SELECT count(*) FROM current_documents")
    io.stdout:write("db = ", path,
      counted and string.format(" (%d document%s)", n, n == 1 and "" or "s") or "", "\n")
  else
    io.stdout:write("db = ", path, " (a new, empty store: there was no such file)\n")
  end
end

return M
