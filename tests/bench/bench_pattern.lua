-- bench_pattern: the token-pattern matcher on its worst cases (issue 16).
-- Each pattern runs over N tokens of generated words ("w1 w2 ...", with the
-- word `rare` once near the end) and the time of one find_all is printed.
-- Usage: lector tests/bench/bench_pattern.lua [N] [ROUNDS]   (default 50000, 3)
local lector = require "lector"

local n = tonumber(arg and arg[1]) or 50000
local rounds = tonumber(arg and arg[2]) or 3
local words = {}
for i = 1, n do words[i] = "w" .. (i % 97) end
words[10] = "rare"
local toks = lector.tokenize(table.concat(words, " "))
assert(#toks == n)

-- { pattern, overlap }
local cases = {
  { "_* rare" },
  { "(_*)* (_+)+ rare" },
  { "_ | _ _* never" },
  { "what:(_* rare) (x:_)?" },
  { "_{0,10} rare" },
  { "_* _*", true },
  { "_* rare", true },
}
local C = require("lector.core").C
local src = toks:source()

-- best time of rounds calls of f
local function best(f)
  local b = math.huge
  for _ = 1, rounds do
    local t0 = os.clock()
    f()
    local dt = os.clock() - t0
    if dt < b then b = dt end
  end
  return b
end

print(string.format("# %d tokens, best of %d rounds; the C call alone, then find_all "
  .. "(the C call and the Lua match tables)", n, rounds))
for _, c in ipairs(cases) do
  local pat, opts = c[1], c[2] and { overlap = true } or nil
  local p = lector.pattern(pat)
  local flags = opts and C.LECTOR_MATCH_OVERLAP or 0
  local tc = best(function()
    assert(C.lector_pattern_match(p.c, src, #src, toks.t, flags, p.buf) == 0)
  end)
  local nm = 0
  local tl = best(function() nm = #p:find_all(toks, opts) end)
  print(string.format("%-24s %-8s C %9.4f s  find_all %9.4f s  %d matches", pat,
    opts and "overlap" or "", tc, tl, nm))
end
