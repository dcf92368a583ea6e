-- Runs the Lua specs: `lector tests/spec/run.lua DIR|FILE...`.
-- Each *_spec.lua is a chunk that uses tests/spec/testlib.lua; an error
-- outside any case counts as one failure of that file.
local here = arg[0]:match("^(.*)/[^/]*$") or "."
package.path = here .. "/?.lua;" .. package.path
local T = require "testlib"

local files = {}
for i = 1, #arg do
  local a = arg[i]
  if a:match("%.lua$") then
    files[#files + 1] = a
  else
    local p = io.popen('ls "' .. a .. '"/*_spec.lua 2>/dev/null')
    for f in p:lines() do files[#files + 1] = f end
    p:close()
  end
end
table.sort(files)

for _, f in ipairs(files) do
  local before = T.failed
  local chunk, err = loadfile(f)
  if not chunk then
    T.failed = T.failed + 1
    print("FAIL " .. f .. ": " .. err)
  else
    local okay, e = xpcall(chunk, debug.traceback)
    if not okay then
      T.failed = T.failed + 1
      print("FAIL " .. f .. ": " .. tostring(e))
    end
  end
  print(string.format("%-40s %s", f, T.failed == before and "ok" or "FAILED"))
end
print(string.format("%d passed, %d failed, %d skipped", T.passed, T.failed, T.skipped))
os.exit(T.failed == 0 and 0 or 1, true) -- close the state: finalizers free C memory (sanitizer runs)
