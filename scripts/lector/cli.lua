-- Entry points of the `lector` binary's subcommands that are written in
-- Lua. Each returns the process exit code.
local check = require "lector.check"
local recipes = require "lector.recipes"

local M = {}

-- lector recipes
function M.recipes(...)
  if select("#", ...) > 0 then recipes.fail("usage: lector recipes (no arguments)", 2) end
  local list = recipes.list()
  local width = 0
  for _, r in ipairs(list) do width = math.max(width, #r.name) end
  for _, r in ipairs(list) do
    io.stdout:write(string.format("%-" .. width .. "s  %s\n", r.name, r.summary))
  end
  return 0
end

-- An error a recipe raised, as the binary shows it (lector.check.failure):
-- the library's errors as they are, since they carry no library
-- positions. When the recipe works on a store (--db) and the error is
-- SQLite's word for a damaged file, or a Lua error that a store holding
-- impossible values causes (arithmetic on a NULL position), it becomes
-- "PATH: the store is damaged (...); PRAGMA integrity_check says ...".
function M.explain(err, opts)
  if type(err) == "table" and err.msg then return err end
  local msg = tostring(err)
  local db = type(opts) == "table" and type(opts.db) == "string" and opts.db
  if db then
    local store = require "lector.store"
    local damaged = store.is_damage(msg)
    -- Only a Lua runtime error (arithmetic on a NULL position) asks
    -- integrity_check, which reads the whole file.
    if not damaged and msg:find("attempt to ", 1, true) then
      local says = store.integrity(db)
      damaged = says ~= nil and says ~= "ok"
      -- The reason is the store's values, not the line of Lua that met
      -- them: what the VM says from "attempt to" on.
      if damaged then msg = msg:sub((msg:find("attempt to ", 1, true))) end
    end
    if damaged then msg = store.damaged_message(db, msg) end
  end
  return check.failure(msg)
end

-- lector recipe NAME [--opt value ...] [INPUTS...]
function M.recipe(name, ...)
  local r = recipes.load(name)
  local ok, opts, inputs = pcall(recipes.parse, r, { ... })
  if not ok then
    local e = opts
    if type(e) == "table" and e.code == 2 then
      -- misuse: the reason, then the short usage line
      e.msg = e.msg .. "\n" .. recipes.usage(r):match("^[^\n]*")
    end
    error(e, 0)
  end
  if opts == "help" then
    io.stdout:write(recipes.usage(r))
    return 0
  end
  local ok_run, code = pcall(recipes.start, r, opts, inputs)
  if not ok_run then error(M.explain(code, opts), 0) end
  return code
end

return M
