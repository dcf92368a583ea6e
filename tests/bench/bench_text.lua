-- The lector side of bench_text.sh: one MODE in a fresh process, over the
-- corpus document by document from Lua, twice: the first pass (cold: no
-- word form of the corpus has been seen by this process) and a second
-- over the same documents (warm: every surface form cached). Prints, per
-- row, tab-separated:
--   NAME  BYTES  COUNT  UNIT  COLD_SECONDS  WARM_SECONDS
-- (process CPU time of the pass alone; reading and splitting the corpus is
-- not timed). Modes:
--   kinds      tokenize (no norms) and read every token's kind
--   norm       tokenize, reading every token's kind and norm id
--   each       the same through toks:each()'s views instead of the array
--   call       the tokenize call alone, no loop over the tokens
--   sentences  norm plus the sentences, toks:sentence_view() with a loop
--              reading each one's first and last token
--   sentonly   the same but the loop reads only the sentences, not the
--              tokens (as ICU4C's sentence loop reads only its boundaries)
--   split      the same as sentences, printing the splitter's time alone (a clock read
--              around every call: about 0.25 us each, 4 ms a pass, which
--              the sentences row does not pay)
-- The loops read the tokens as an analyst after speed does, through the
-- C array of toks:array() (README, Lua API).
--   raw        the raw u8_wordbreaks + kinds pass (text_u8wb.c built as a
--              library, U8WB_LIBRARY), through the FFI, one call a pass
-- Usage: lector bench_text.lua CORPUS MODE [U8WB_LIBRARY]
local ffi = require "ffi"
local token = require "lector.token"
local tokenize = token.tokenize

local path, mode, u8wb_path = arg[1], arg[2], arg[3]
local docs = {}
do
  local f = assert(io.open(path, "rb"))
  local all = f:read("*a")
  f:close()
  for d in (all .. "\n\f\n"):gmatch("(.-)\n\f\n") do docs[#docs + 1] = d end
end
local bytes = 0
for _, d in ipairs(docs) do bytes = bytes + #d end

local nkinds = #token.kinds
local nonorm = { norm = false }

-- Tokens counted by kind (a table indexed by kind id: every token's kind
-- is read, and the loop has no branch on it; a branch whose outcome is
-- data, inside a compiled loop, costs LuaJIT a side trace, which would be
-- measured instead of the tokenizer).
local function by_kind()
  local c = {}
  for k = 1, nkinds do c[k] = 0 end
  return c
end

local split_secs, sents = 0, 0
-- tokens, reading every token's kind and norm id; with split, also the
-- sentences of each document, and with clock the splitter's own time
-- summed apart
local function norm_pass(split, clock, no_loop)
  return function()
    local n, sum, counts = 0, 0, by_kind()
    split_secs, sents = 0, 0
    for i = 1, #docs do
      local toks = tokenize(docs[i])
      local a, m = toks:array()
      for k = 0, no_loop and -1 or m - 1 do
        local t = a[k]
        local kind = t.kind
        counts[kind] = counts[kind] + 1
        sum = sum + t.norm
      end
      if split then
        local c = clock and os.clock()
        local sa, ns = toks:sentence_view()
        for k = 0, ns - 1 do sum = sum + sa[k].last - sa[k].first end
        sents = sents + ns
        if clock then split_secs = split_secs + (os.clock() - c) end
      end
      n = n + m
      toks:release()
    end
    return n
  end
end

local passes = {
  kinds = function()
    local n, counts = 0, by_kind()
    for i = 1, #docs do
      local toks = tokenize(docs[i], nonorm)
      local a, m = toks:array()
      for k = 0, m - 1 do
        local kind = a[k].kind
        counts[kind] = counts[kind] + 1
      end
      n = n + m
      toks:release()
    end
    return n
  end,
  norm = norm_pass(false),
  each = function()
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
  end,
  call = function()
    local n = 0
    for i = 1, #docs do
      local toks = tokenize(docs[i])
      n = n + #toks
      toks:release()
    end
    return n
  end,
  sentences = norm_pass(true, false),
  sentonly = norm_pass(true, false, true),
  split = norm_pass(true, true),
}

if mode == "raw" then
  -- all in C: one call a pass over every document
  ffi.cdef [[
size_t u8wb_pass(const char *const *doc, const size_t *len, size_t n, size_t *kinds);
]]
  local lib = ffi.load(assert(u8wb_path, "raw: U8WB_LIBRARY missing"))
  local cdocs, clens = ffi.new("const char *[?]", #docs), ffi.new("size_t[?]", #docs)
  local ckinds = ffi.new("size_t[5]")
  for i, d in ipairs(docs) do cdocs[i - 1], clens[i - 1] = d, #d end
  passes.raw = function() return tonumber(lib.u8wb_pass(cdocs, clens, #docs, ckinds)) end
end

local names = {
  kinds = "lector kinds", norm = "lector kinds+norm", call = "lector kinds+norm, no loop",
  each = "lector kinds+norm, each()",
  sentences = "lector kinds+norm+sentences", raw = "u8_wordbreaks + kinds (C)",
  sentonly = "lector +sentences, no loop",
}
local pass = passes[mode] or error("bench_text.lua: unknown mode " .. tostring(mode))

local function timed()
  collectgarbage()
  local c = os.clock()
  local n = pass()
  return os.clock() - c, n
end
local cold, n = timed()
local cold_split, cold_sents = split_secs, sents
local warm = timed()
if mode ~= "split" then
  print(string.format("%s\t%d\t%d\ttokens\t%.6f\t%.6f", names[mode], bytes, n, cold, warm))
else
  print(string.format("%s\t%d\t%d\tsentences\t%.6f\t%.6f", "lector sentences alone", bytes, cold_sents,
    cold_split, split_secs))
end
