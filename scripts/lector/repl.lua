-- The Lua half of `lector repl`: printing values, Tab completion, the
-- :commands and opening a store as `db`. The C half (core/host/repl.c) owns the
-- terminal: line editing, history, Ctrl-C.
local pretty = require "lector.pretty"

local M = {}

function M.banner()
  io.stdout:write("lector ", require("lector").version,
    " — Lua with the lector library. :help for a guide, Ctrl-D to leave.\n")
end

-- Prints each value an expression returned, tab-separated like lua's REPL.
function M.show(...)
  local n = select("#", ...)
  local out = {}
  for i = 1, n do out[i] = pretty.format((select(i, ...))) end
  io.stdout:write(table.concat(out, "\t"), "\n")
end

-- Fields of v worth offering after "v." or "v:": its own keys, then the
-- keys of its __index table chain (methods of objects such as `db`).
local function fields(v, methods_only)
  local names, seen = {}, {}
  local function add(k, val)
    if type(k) == "string" and not seen[k] and k:match("^[%a_][%w_]*$")
       and (not methods_only or type(val) == "function") then
      seen[k] = true
      names[#names + 1] = k
    end
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

-- complete("lector.te") -> { "lector.text" }: resolves the dotted prefix
-- from the globals (never calling functions) and filters the last part.
function M.complete(word)
  local path, sep, last = word:match("^(.*)([%.:])([%w_]*)$")
  local v = _G
  if path then
    for part in path:gmatch("[^%.:]+") do
      if type(v) ~= "table" and type(v) ~= "cdata" and type(v) ~= "userdata" then return {} end
      local ok, nv = pcall(function() return v[part] end)
      if not ok or nv == nil then return {} end
      v = nv
    end
  else
    last, path, sep = word, "", ""
  end
  local out = {}
  for _, k in ipairs(fields(v, sep == ":")) do
    if k:sub(1, #last) == last then out[#out + 1] = path .. sep .. k end
  end
  if sep == "" then
    for _, kw in ipairs { "and", "break", "do", "else", "elseif", "end", "false",
      "for", "function", "if", "in", "local", "nil", "not", "or", "repeat",
      "return", "then", "true", "until", "while" } do
      if kw:sub(1, #last) == last and not _G[kw] then out[#out + 1] = kw end
    end
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

-- `lector repl corpus.db`: the store becomes the global `db`.
function M.open_db(path)
  local lector = require "lector"
  local ok, store = pcall(function() return lector.store end)
  if not ok or store == nil then
    error({ msg = "opening a store is not supported by this build yet (" .. path .. ")", code = 1 })
  end
  local db, err = store.open(path)
  if not db then error({ msg = tostring(err), code = 1 }) end
  rawset(_G, "db", db)
  io.stdout:write("db = ", path, "\n")
end

return M
