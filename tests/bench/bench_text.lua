-- The lector side of bench_text.sh: tokenizes the corpus document by
-- document from Lua and prints one line per mode:
--   NAME MB/s tokens/s
-- Usage: lector bench_text.lua CORPUS [ROUNDS [U8WB_LIBRARY]]
-- With U8WB_LIBRARY (tests/bench/text_u8wb.c built as a library), the
-- raw u8_wordbreaks pass takes turns with the kinds+norm rounds, round by
-- round, and gets a line of its own.
local ffi = require "ffi"
local token = require "lector.token"
local tokenize = token.tokenize

local path, rounds, u8wb_path = arg[1], tonumber(arg[2] or "3"), arg[3]
local f = assert(io.open(path, "rb"))
local all = f:read("*a")
f:close()
local docs = {}
for d in (all .. "\n\f\n"):gmatch("(.-)\n\f\n") do docs[#docs + 1] = d end
local bytes = 0
for _, d in ipairs(docs) do bytes = bytes + #d end

-- best of `rounds` (the machine is shared): returns seconds, tokens; with
-- a second function, each round runs it after fn, and its best seconds and
-- tokens follow
local function best(fn, other)
  local t, n, t2, n2 = math.huge, 0, math.huge, 0
  for _ = 1, rounds do
    collectgarbage()
    local c = os.clock()
    n = fn()
    t = math.min(t, os.clock() - c)
    if other then
      c = os.clock()
      n2 = other()
      t2 = math.min(t2, os.clock() - c)
    end
  end
  return t, n, t2, n2
end

-- the raw pass over the same documents, all in C: one call a round
local u8wb_round
if u8wb_path then
  ffi.cdef [[
size_t u8wb_pass(const char *const *doc, const size_t *len, size_t n, size_t *kinds);
]]
  local lib = ffi.load(u8wb_path)
  local cdocs, clens = ffi.new("const char *[?]", #docs), ffi.new("size_t[?]", #docs)
  local ckinds = ffi.new("size_t[5]")
  for i, d in ipairs(docs) do cdocs[i - 1], clens[i - 1] = d, #d end
  u8wb_round = function() return tonumber(lib.u8wb_pass(cdocs, clens, #docs, ckinds)) end
end

local function report(name, secs, ntok)
  print(string.format("%-28s %8.1f MB/s %12.0f tokens/s", name, bytes / secs / 1e6, ntok / secs))
end

local nonorm = { norm = false }
local nkinds = #token.kinds

-- Tokens counted by kind (a table indexed by kind id: every token's kind
-- is read, and the loop has no branch on it; a branch whose outcome is
-- data, inside a compiled loop, costs LuaJIT a side trace, which would be
-- measured instead of the tokenizer).
local function by_kind()
  local c = {}
  for k = 1, nkinds do c[k] = 0 end
  return c
end

-- tokens and kinds: tokenize (no norms) and read every token's kind
report("lector kinds", best(function()
  local n, counts = 0, by_kind()
  for i = 1, #docs do
    local toks = tokenize(docs[i], nonorm)
    for _, t in toks:each() do
      local k = t.kind_id
      counts[k] = counts[k] + 1
    end
    n = n + #toks
    toks:release()
  end
  return n
end))

-- tokens, kinds and the norm id of every token (summed); the raw pass
-- takes turns with it
local norm_secs, norm_n, u8wb_secs, u8wb_n = best(function()
  local n, sum, counts = 0, 0, by_kind()
  for i = 1, #docs do
    local toks = tokenize(docs[i])
    for _, t in toks:each() do
      local k = t.kind_id
      counts[k] = counts[k] + 1
      sum = sum + t.norm_id
    end
    n = n + #toks
    toks:release()
  end
  return n
end, u8wb_round)
report("lector kinds+norm", norm_secs, norm_n)
if u8wb_round then report("u8_wordbreaks + kinds (C)", u8wb_secs, u8wb_n) end

-- the call alone: tokens, kinds and norm ids made and the array given
-- back, with no Lua loop over the tokens (the row above less this one is
-- what the loop costs)
report("lector kinds+norm, no loop", best(function()
  local n = 0
  for i = 1, #docs do
    local toks = tokenize(docs[i])
    n = n + #toks
    toks:release()
  end
  return n
end))

-- the same plus sentences; the splitter's own time is also summed apart
local sents, sent_secs = 0, math.huge
local secs, ntok = best(function()
  local n, sum, st, counts = 0, 0, 0, by_kind()
  sents = 0
  for i = 1, #docs do
    local toks = tokenize(docs[i])
    for _, t in toks:each() do
      local k = t.kind_id
      counts[k] = counts[k] + 1
      sum = sum + t.norm_id
    end
    local c = os.clock()
    sents = sents + #toks:sentences()
    st = st + (os.clock() - c)
    n = n + #toks
    toks:release()
  end
  sent_secs = math.min(sent_secs, st)
  return n
end)
report("lector kinds+norm+sentences", secs, ntok)
print(string.format("%-28s %8.1f MB/s %12.0f sentences/s", "lector sentences alone",
  bytes / sent_secs / 1e6, sents / sent_secs))
print(string.format("# %d documents, %.1f MB, %d tokens, %d sentences", #docs, bytes / 1e6, ntok, sents))
