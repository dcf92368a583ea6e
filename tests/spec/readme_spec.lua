-- The README is the manual: every ```lua block in it must run as shown,
-- from the repository root, in a fresh environment with the library.
local T = require "testlib"

local text = T.readfile("README.md")
local count = 0
local pos = 1
while true do
  local s, e, body = text:find("\n```lua\n(.-)\n```", pos)
  if not s then break end
  local _, nl = text:sub(1, s):gsub("\n", "")
  local line = nl + 2
  count = count + 1
  T.case("readme-" .. line, function()
    -- no arguments, and printing goes nowhere: only errors count here
    local env = setmetatable({ arg = {}, print = function() end }, { __index = _G })
    local chunk = assert(loadstring(body, "@README.md:" .. line))
    setfenv(chunk, env)
    local out = io.output()
    local sink = io.open("/dev/null", "w")
    io.output(sink)
    local ok, err = pcall(chunk)
    io.output(out)
    sink:close()
    if not ok then error(err, 0) end
  end)
  pos = e
end
T.case("readme-0 has runnable examples", function() T.ok(count >= 2, "found " .. count) end)
