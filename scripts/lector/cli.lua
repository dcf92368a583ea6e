-- Entry points of the `lector` binary's subcommands that are written in
-- Lua. Each returns the process exit code.
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
  return recipes.start(r, opts, inputs)
end

return M
