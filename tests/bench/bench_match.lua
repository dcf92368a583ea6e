-- The lector side of bench_match.sh. Usage:
--   lector bench_match.lua compile GAZ.tsv OUT.lgz   compile, report, save
--   lector bench_match.lua open GAZ.lgz              load a saved gazetteer
--   lector bench_match.lua scan GAZ CORPUS [ROUNDS [DUMP [RELEASE]]]
--       tokenize + match: first a pass over the corpus in this fresh process
--       (cold: no word form of the corpus seen yet; the headline figure),
--       then ROUNDS more passes of each kind (default 1), the fastest
--       counting (warm); with DUMP, writes every leftmost-longest match as
--       "START END" (0-based half-open byte offsets into CORPUS), untimed
--       (DUMP "-": none); RELEASE "release": the cold pass gives each
--       document's token array back (toks:release()) instead of leaving it
--       to the collector.
-- Documents in CORPUS are separated by lines holding only \f. Times are
-- process CPU times, as for every tool of bench_match.sh.
local lector = require "lector"
local ffi = require "ffi"

ffi.cdef [[
typedef long time_t;
typedef struct { time_t tv_sec; long tv_nsec; } lector_bench_ts;
int clock_gettime(int clk, lector_bench_ts *ts);
]]
local ts = ffi.new("lector_bench_ts")
local function now() -- CLOCK_PROCESS_CPUTIME_ID
  ffi.C.clock_gettime(2, ts)
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end

local function status(field)
  for line in io.lines("/proc/self/status") do
    local v = line:match("^" .. field .. ":%s+(%d+) kB")
    if v then return tonumber(v) / 1024 end
  end
end

local mode, a, b, c, dump, release = ...
if dump == "-" then dump = nil end
local rounds = tonumber(c) or 1

if mode == "compile" then
  local rss0 = status("VmRSS")
  local t0, c0 = now(), os.clock()
  local g = lector.gazetteer.load(a, { skip_bad = true })
  local t1, c1 = now(), os.clock()
  local st = g:stats()
  print(string.format("compile %.3f s (cpu %.3f s)  entries %d  entities %d  nodes %d  gazetteer %.1f MB  " ..
    "process RSS +%.1f MB (peak %.1f MB)  skipped %d",
    t1 - t0, c1 - c0, st.entries, st.entities, st.nodes, st.memory / 1e6,
    status("VmRSS") - rss0, status("VmHWM"), g.skipped))
  if b then g:save(b) end
elseif mode == "open" then
  local t0, c0 = now(), os.clock()
  local g = lector.gazetteer.load(a)
  local t1, c1 = now(), os.clock()
  print(string.format("open %.3f s (cpu %.3f s)  entries %d", t1 - t0, c1 - c0, g:stats().entries))
elseif mode == "scan" then
  local g = lector.gazetteer.load(a)
  local text, docs, starts = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "bench_docs.lua")(b)
  collectgarbage()
  -- The cold pass: the first sight of the corpus's words in this process
  -- (the gazetteer's own words are interned by its load).
  local t0 = now()
  local cold_matches = 0
  if release == "release" then
    for i = 1, #docs do
      local toks = lector.tokenize(docs[i])
      cold_matches = cold_matches + g:count(toks)
      toks:release()
    end
  else
    for i = 1, #docs do cold_matches = cold_matches + g:count(lector.tokenize(docs[i])) end
  end
  local cold = now() - t0
  collectgarbage()
  -- Then each warm pass runs ROUNDS times and the fastest counts. The
  -- passes: tokenize; tokenize and match, the token arrays left to the
  -- collector; the same giving each document's array back with
  -- toks:release(), as a loop over a corpus can (the collector does not
  -- see the C arrays, frees them late and in bursts, and the tokenizer
  -- then allocates fresh ones); matching alone.
  local best = { tok = math.huge, scan = math.huge, rtok = math.huge, rscan = math.huge,
                 alone = math.huge }
  local ntok, matches, overlap = 0, 0, 0
  local function pass(name, fn)
    local t1 = now()
    fn()
    best[name] = math.min(best[name], now() - t1)
  end
  for _ = 1, rounds do
    pass("tok", function()
      ntok = 0
      for i = 1, #docs do ntok = ntok + #lector.tokenize(docs[i]) end
    end)
    pass("scan", function()
      matches = 0
      for i = 1, #docs do matches = matches + g:count(lector.tokenize(docs[i])) end
    end)
    pass("rtok", function()
      for i = 1, #docs do lector.tokenize(docs[i]):release() end
    end)
    pass("rscan", function()
      for i = 1, #docs do
        local toks = lector.tokenize(docs[i])
        g:count(toks)
        toks:release()
      end
    end)
    -- Matching alone, timed around each g:count with the document already
    -- tokenized (the difference of the loops above is at the mercy of the
    -- collector and of other jobs on the machine).
    local sum = 0
    for i = 1, #docs do
      local toks = lector.tokenize(docs[i])
      local t3 = now()
      g:count(toks)
      sum = sum + now() - t3
      toks:release()
    end
    best.alone = math.min(best.alone, sum)
  end
  assert(matches == cold_matches, "the cold and warm passes found different matches")
  for i = 1, #docs do overlap = overlap + g:count(lector.tokenize(docs[i]), { overlap = true }) end
  if dump then
    local out = assert(io.open(dump, "wb"))
    for i = 1, #docs do
      for m in g:matches(lector.tokenize(docs[i])) do
        out:write(starts[i] + m.start - 1, " ", starts[i] + m.stop, "\n")
      end
    end
    out:close()
  end
  local mb = #text / 1e6
  local function fig(name, label)
    return string.format("%s %.3f s (%.1f MB/s)", label, best[name], mb / best[name])
  end
  print(string.format("scan %.1f MB %d docs %d tokens: cold tokenize+match %.3f s (%.1f MB/s); warm, best of %d: " ..
    "%s, %s; tokens released: %s, %s; %s; matches %d (overlapping %d)", mb, #docs, ntok, cold, mb / cold,
    rounds, fig("tok", "tokenize"),
    fig("scan", "tokenize+match"), fig("rtok", "tokenize"), fig("rscan", "tokenize+match"),
    fig("alone", "match alone"), matches, overlap))
else
  io.stderr:write("usage: bench_match.lua compile|open|scan ...\n")
  os.exit(2)
end
