-- lector: the Lua library. `require "lector"` (or the global `lector` in
-- scripts and the REPL) gives every module; modules load on first use so a
-- script pays only for what it touches.
local M = {}

-- field name -> module, loaded on first access.
local modules = {
  text = "lector.text",
  tokenize = { "lector.token", "tokenize" },
  tokens = "lector.token",
  store = "lector.store",
  gazetteer = "lector.gazetteer",
  pattern = "lector.pattern",
  recipes = "lector.recipes",
  pretty = "lector.pretty",
  read = "lector.read",
  json = "lector.json",
  fs = "lector.fs",
  context = "lector.context",
  pipeline = "lector.pipeline",
  progress = "lector.progress",
  summary = "lector.summary",
  duplicates = "lector.duplicates",
  extract = "lector.extract",
  html = "lector.html",
  tty = "lector.tty",
}

local core = require "lector.core"
M.version = core.version()

-- The library's modules, each once, sorted; loaded or not (a loaded one
-- is also a field of M, as are version and scripts_dir, which are not).
function M.modules()
  local names = {}
  for k in pairs(modules) do names[#names + 1] = k end
  table.sort(names)
  return names
end

return setmetatable(M, {
  __index = function(t, k)
    local spec = modules[k]
    if spec == nil then return nil end
    local v
    if type(spec) == "table" then
      v = require(spec[1])[spec[2]]
    else
      v = require(spec)
    end
    rawset(t, k, v)
    return v
  end,
})
