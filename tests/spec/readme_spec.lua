-- The README and the notes beside the code are the manual: every ```lua
-- block in them must run as shown, from the repository root, in a fresh
-- environment with the library, and print what it says it prints.
--
-- A line that calls print and carries a `-->` comment states its output:
-- `print(x) --> 5` must print `5`. Runs of white space count as one space
-- (print separates values by tabs, the comments align them with spaces);
-- a line run more than once (in a loop) states every output, joined by
-- " / " (`--> a / b` for two turns). Such a line that never runs fails.
local T = require "testlib"

-- Markdown files whose Lua blocks are executed; README.md must have some.
local FILES = { "README.md", "core/README.md", "tests/bench/RESULTS.md", "tests/fuzz/README.md" }

local function squeeze(s)
  return (s:gsub("%s+", " "):gsub("^ ", ""):gsub(" $", ""))
end

-- Body line number -> the output it states, for lines calling print.
local function expectations(body)
  local want, n = {}, 0
  for line in (body .. "\n"):gmatch("([^\n]*)\n") do
    n = n + 1
    local code, said = line:match("^(.-)%-%->(.*)$")
    if code and code:find("%f[%w_]print%s*%(") then want[n] = squeeze(said) end
  end
  return want
end

local function run_block(file, line, body)
  local want = expectations(body)
  local got = {}
  local function capture(...)
    local info = debug.getinfo(2, "Sl")
    if info and info.source == "@" .. file .. ":" .. line then
      local parts = {}
      for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
      local at = info.currentline
      got[at] = got[at] or {}
      table.insert(got[at], squeeze(table.concat(parts, "\t")))
    end
  end
  local env = setmetatable({ arg = {}, print = capture }, { __index = _G })
  local chunk = assert(loadstring(body, "@" .. file .. ":" .. line))
  setfenv(chunk, env)
  local out = io.output()
  local sink = io.open("/dev/null", "w")
  io.output(sink)
  local ok, err = pcall(chunk)
  io.output(out)
  sink:close()
  if not ok then error(err, 0) end
  for at, said in pairs(want) do
    local printed = got[at] and table.concat(got[at], " / ")
    T.ok(printed ~= nil, string.format("%s:%d: this line never printed (expected %q)",
      file, line + at, said))
    T.ok(printed == said, string.format("%s:%d: printed %q, the comment says %q",
      file, line + at, tostring(printed), said))
  end
end

local readme_blocks = 0
for _, file in ipairs(FILES) do
  local f = io.open(file, "rb")
  local text = f and f:read("*a") or ""
  if f then f:close() end
  local pos = 1
  while true do
    local s, e, body = text:find("\n```lua\n(.-)\n```", pos)
    if not s then break end
    local _, nl = text:sub(1, s):gsub("\n", "")
    local line = nl + 2
    if file == "README.md" then readme_blocks = readme_blocks + 1 end
    local name = file == "README.md" and "readme-" .. line or "readme-" .. file .. ":" .. line
    T.case(name, function() run_block(file, line, body) end)
    pos = e
  end
end
T.case("readme-0 has runnable examples", function()
  T.ok(readme_blocks >= 2, "found " .. readme_blocks)
end)

-- The checker itself: a wrong comment fails, a right one passes.
T.case("readme-0.1 a --> comment is compared with what the line prints", function()
  local ok = pcall(run_block, "X.md", 1, 'local x = 2 + 3\nprint(x) --> 5\nprint("a", "b") -->  a  b')
  T.ok(ok, "right comments pass")
  local bad = pcall(run_block, "X.md", 1, "print(2 + 2) --> 5")
  T.ok(not bad, "a wrong comment fails")
  local loop = pcall(run_block, "X.md", 1, "for i = 1, 2 do\n  print(i) --> 1 / 2\nend")
  T.ok(loop, "a loop's outputs joined by ' / '")
  local never = pcall(run_block, "X.md", 1, "if false then print(1) --> 1\nend")
  T.ok(not never, "a line that never prints fails")
  local plain = pcall(run_block, "X.md", 1, "local s = 'a' --> not a print line")
  T.ok(plain, "a --> on a line without print is not checked")
end)
