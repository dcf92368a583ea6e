-- The lector side of bench_fuzzy.sh: the exact matcher's time beside the
-- fuzzy (transliteration-aware) one, on the same gazetteer and tokens.
-- Usage: lector bench_fuzzy.lua GAZ.tsv CORPUS [ROUNDS]
-- Documents in CORPUS are separated by lines holding only \f.
local lector = require "lector"
local ffi = require "ffi"

ffi.cdef [[
typedef long time_t;
typedef struct { time_t tv_sec; long tv_nsec; } lector_fz_ts;
int clock_gettime(int clk, lector_fz_ts *ts);
]]
local ts = ffi.new("lector_fz_ts")
local function now()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end

local gaz, corpus, rounds = ...
rounds = tonumber(rounds) or 3
local g = lector.gazetteer.load(gaz, { fuzzy = "translit", skip_bad = true })
local text, docs = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "bench_docs.lua")(corpus)
local toks = {}
for i = 1, #docs do toks[i] = lector.tokenize(docs[i]) end

local exact_opts, fuzzy_opts = { fuzzy = false }, {}
-- A first fuzzy pass keys every word of the corpus (the one-time cost).
local t0 = now()
for i = 1, #docs do g:count(toks[i], fuzzy_opts) end
local first = now() - t0
local best = { exact = math.huge, fuzzy = math.huge }
local nexact, nfuzzy = 0, 0
for _ = 1, rounds do
  for _, mode in ipairs { "exact", "fuzzy" } do
    local o = mode == "exact" and exact_opts or fuzzy_opts
    local n = 0
    local t1 = now()
    for i = 1, #docs do n = n + g:count(toks[i], o) end
    best[mode] = math.min(best[mode], now() - t1)
    if mode == "exact" then nexact = n else nfuzzy = n end
  end
end
-- The same with tokenizing in the time: what a run over documents pays.
local best_tok = { exact = math.huge, fuzzy = math.huge }
for _ = 1, rounds do
  for _, mode in ipairs { "exact", "fuzzy" } do
    local o = mode == "exact" and exact_opts or fuzzy_opts
    local t1 = now()
    for i = 1, #docs do g:count(lector.tokenize(docs[i]), o) end
    best_tok[mode] = math.min(best_tok[mode], now() - t1)
  end
end
-- What the fuzzy matcher adds, by text, for a look at its precision.
local added = {}
for i = 1, #docs do
  for m in g:matches(toks[i]) do
    if m.fuzzy then
      local k = m.text .. " -> " .. m.entity
      added[k] = (added[k] or 0) + 1
    end
  end
end
local mb = #text / 1e6
print(string.format("fuzzy %.1f MB %d docs, %d entries (%d fuzzy keys): exact %.3f s (%.0f MB/s, %d matches), " ..
  "fuzzy %.3f s (%.0f MB/s, %d matches) = %.2fx the exact time; first pass (keying every word) %.3f s",
  mb, #docs, g:stats().entries, tonumber(require("lector.core").C.lector_gazetteer_fuzzy_count(g.c)),
  best.exact, mb / best.exact, nexact, best.fuzzy, mb / best.fuzzy, nfuzzy, best.fuzzy / best.exact, first))
print(string.format("  tokenize + match: exact %.3f s, fuzzy %.3f s = %.2fx", best_tok.exact, best_tok.fuzzy,
  best_tok.fuzzy / best_tok.exact))
local list = {}
for k, n in pairs(added) do list[#list + 1] = { k, n } end
table.sort(list, function(a, b) return a[2] > b[2] or (a[2] == b[2] and a[1] < b[1]) end)
for i = 1, math.min(#list, tonumber(os.getenv("BENCH_FUZZY_SHOW") or 30)) do
  print(string.format("  fuzzy %5d  %s", list[i][2], list[i][1]))
end
