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
    -- no arguments; what print prints is kept, one line a call, its
    -- values separated by spaces; io.write goes nowhere
    local printed = {}
    local function keep(...)
      local t = {}
      for i = 1, select("#", ...) do t[i] = tostring((select(i, ...))) end
      printed[#printed + 1] = table.concat(t, " ")
    end
    local env = setmetatable({ arg = {}, print = keep }, { __index = _G })
    -- named SCRIPT as the README calls the script its outputs show
    -- (sources such as SCRIPT:2); errors say where the block starts
    local chunk = assert(loadstring(body, "@SCRIPT"))
    setfenv(chunk, env)
    local out = io.output()
    local sink = io.open("/dev/null", "w")
    io.output(sink)
    local ok, err = pcall(chunk)
    io.output(out)
    sink:close()
    if not ok then error("README.md:" .. line .. ": " .. tostring(err), 0) end
    -- The outputs the block shows ("--> ..." alone on a line or after a
    -- print) are what it prints, in order; white space runs count as one
    -- space and a closing "(comment)" is the README's, not output.
    local want = {}
    for l in (body .. "\n"):gmatch("(.-)\n") do
      local shown = l:match("%-%->%s*(.-)%s*$")
      if shown then
        shown = shown:gsub("%s+%(.-%)$", ""):gsub("%s+", " ")
        want[#want + 1] = shown
      end
    end
    if #want > 0 then
      local got = {}
      for i, l in ipairs(printed) do got[i] = (l:gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")) end
      T.eq(got, want, "README.md:" .. line .. " prints")
    end
  end)
  pos = e
end
T.case("readme-0 has runnable examples", function() T.ok(count >= 2, "found " .. count) end)
