-- lector.token: the tokenizer. `lector.tokenize(s [, opts])` returns a token
-- array read in place through the FFI: `#toks`, `toks[i]`, `toks:each()`,
-- `toks:text(i, j)`, `toks:sentences()`. A token (toks[i]) is a small view
-- with fields start, stop (1-based inclusive: s:sub(t.start, t.stop) is its
-- text), kind, flags and their booleans, norm_id, and on demand text and
-- norm. Nothing makes a Lua string per token unless .text or .norm is read.
-- A view holds a copy of its token's numbers; its text is read from the
-- source while the token array is alive.
local check = require "lector.check"
local core = require "lector.core"
local text = require "lector.text"

local C, ffi = core.C, core.ffi
local bit = require "bit"
local tnew = require "table.new"
local band = bit.band
local type, tonumber, error, setmetatable = type, tonumber, error, setmetatable
local collectgarbage, max = collectgarbage, math.max

local M = {}

-- Lua-side wrappers (not C API): the token array with its source text, and
-- the token view. The C types they hold come from the generated cdef.
ffi.cdef [[
typedef struct lector_lua_tokens {
  lector_tokens t;
  const char *src;
  size_t len;
  lector_sentence *sent;
  size_t nsent;
  int32_t slot;
  uint32_t gen;
  int32_t n;
} lector_lua_tokens;
typedef struct lector_lua_tokview {
  uint32_t start, stop;
  int32_t norm_id;
  uint16_t flags;
  uint8_t kind_id;
  uint8_t _pad;
  const char *_src;
  const lector_token *_base;
  int32_t _slot;
  uint32_t _gen;
  int32_t _n;
} lector_lua_tokview;
]]

M.kinds = { "word", "number", "punct", "symbol", "url", "email", "clitic",
            "other", "space" }
local kinds = M.kinds

M.flags = {
  cap = C.LECTOR_TF_CAP, upper = C.LECTOR_TF_UPPER, digit = C.LECTOR_TF_DIGIT,
  hyphen_joined = C.LECTOR_TF_HYPHEN_JOINED, abbrev = C.LECTOR_TF_ABBREV,
  space_before = C.LECTOR_TF_SPACE_BEFORE, line_end = C.LECTOR_TF_LINE_END,
  para_end = C.LECTOR_TF_PARA_END, nonascii = C.LECTOR_TF_NONASCII,
  terminal = C.LECTOR_TF_TERMINAL,
}
local F = M.flags

-- The process-wide intern table and tokenizer: norm ids agree across
-- documents, and with gazetteers and patterns built over the same table.
local default_in, default_tk

-- They belong to the C library (freed at exit), never to the Lua GC.
function M.default()
  if not default_tk then
    local tk = C.lector_tokenizer_default()
    if tk == nil then error("lector.token: out of memory", 2) end
    default_tk, default_in = tk, C.lector_tokenizer_intern(tk)
  end
  return default_tk, default_in
end

-- Norm strings by id, made once per id.
local norm_strings = {}
local lenp = ffi.new("size_t[1]")

function M.norm_string(id)
  local s = norm_strings[id]
  if s then return s end
  local _, intern = M.default()
  local p = C.lector_intern_str(intern, id, lenp)
  if p == nil then return nil end
  s = ffi.string(p, lenp[0])
  norm_strings[id] = s
  return s
end

-- The norm id of a word as the tokenizer would give it (fold, then intern).
function M.norm_id(s)
  if type(s) ~= "string" then
    check.argerr(1, "norm_id", "string", s)
  end
  local _, intern = M.default()
  local f = text.fold(s)
  return tonumber(C.lector_intern_add(intern, f, #f))
end

-- Adds an abbreviation that keeps its period ("Gen.", "approx.") and never
-- ends a sentence by it.
function M.add_abbrev(s)
  if type(s) ~= "string" then
    check.argerr(1, "add_abbrev", "string", s)
  end
  local tk = M.default()
  if C.lector_tokenizer_add_abbrev(tk, s, #s) ~= 0 then
    error("add_abbrev: " .. ffi.string(C.lector_tokenizer_errmsg(tk)), 2)
  end
end

-- ---- token views ------------------------------------------------------

-- Which token arrays are alive: every array holds a slot in `gens`, and
-- a view remembers its array's slot and generation. Releasing an array
-- bumps the slot's generation, so a view kept too long raises an error
-- instead of reading freed memory; the check is one load from a C array,
-- cheap enough for every field read in a compiled loop.
local gens = ffi.new("uint32_t[?]", 64)
local gens_cap, gens_used = 64, 0
local free_slots = {}

local function take_slot()
  local n = #free_slots
  if n > 0 then
    local slot = free_slots[n]
    free_slots[n] = nil
    return slot
  end
  if gens_used == gens_cap then
    local bigger = ffi.new("uint32_t[?]", gens_cap * 2)
    ffi.copy(bigger, gens, gens_cap * 4)
    gens, gens_cap = bigger, gens_cap * 2
  end
  gens_used = gens_used + 1
  return gens_used - 1
end

-- A view's numbers (start, stop, norm_id, flags, kind_id) are fields of
-- its own, copied from the token when the view is made or moved: reading
-- them is one load in a compiled loop, with no metamethod, and is safe
-- whatever became of the array. Only its text is read from the source
-- string, which lives as long as the array: that read checks the array's
-- generation and raises once it was released or collected.
-- Raises msg at the caller's caller (level 3) when v's array is gone.
local function check_alive(v, msg)
  if gens[v._slot] ~= v._gen then error(msg, 3) end
end

local function view_text(v)
  check_alive(v, "token used after its token array was released or collected")
  return ffi.string(v._src + v.start - 1, v.stop - v.start + 1)
end

local view_get = {
  kind = function(v) return kinds[v.kind_id] end,
  norm = function(v) return M.norm_string(v.norm_id) end,
  text = view_text,
  len = function(v) return v.stop - v.start + 1 end,
}
for name, bitv in pairs(F) do
  view_get[name] = function(v) return band(v.flags, bitv) ~= 0 end
end

local view_mt = {
  __index = function(v, k)
    local g = view_get[k]
    if g then return g(v) end
    return nil
  end,
  __tostring = function(v)
    return string.format("token(%d..%d %s %q)", v.start, v.stop,
      kinds[v.kind_id] or "?", view_text(v))
  end,
}
local tokview = ffi.metatype("lector_lua_tokview", view_mt)

-- Copies token p into view v.
local fill
if ffi.abi("le") then
  -- The view's first 16 bytes are laid out as the token's, but for start,
  -- which is 1-based: two 8-byte copies, start moved by one in the low
  -- half (it is below 2^32 - 1, so nothing carries into stop). Some 15
  -- instructions a token fewer than copying field by field.
  local u64p = ffi.typeof("uint64_t *")
  fill = function(v, p)
    local src, dst = ffi.cast(u64p, p), ffi.cast(u64p, v)
    dst[0] = src[0] + 1
    dst[1] = src[1]
  end
else
  fill = function(v, p)
    v.start = p.start + 1
    v.stop = p["end"]
    v.norm_id = p.norm
    v.flags = p.flags
    v.kind_id = p.kind
  end
end

-- ---- token arrays -----------------------------------------------------

local Tokens = {}
local anchors = setmetatable({}, { __mode = "k" }) -- toks -> source string
local keep = setmetatable({}, { __mode = "k" })    -- each()'s view -> toks

-- toks[i]: a view that does not keep toks alive (anchoring every view
-- would cost more than the token).
local function view(toks, i)
  local v = tokview()
  fill(v, toks.t.tok + (i - 1))
  v._src, v._slot, v._gen = toks.src, toks.slot, toks.gen
  return v
end

-- The iterator of each(): a plain function over (view, index), no closure,
-- so a loop over documents compiles too. It reads the array, so it checks
-- first that the array is still there (a loop may release it). At the end
-- it drops the view's anchor: left to the collector, the weak entries of
-- finished loops would cost more than the rest of each() (the figures are
-- in tests/bench/RESULTS.md).
local function next_token(v, i)
  i = i + 1
  if i <= v._n then
    check_alive(v, "token array released or collected during its each() loop")
    fill(v, v._base + (i - 1))
    return i, v
  end
  keep[v] = nil
end

-- for i, t in toks:each() do ... end. The loop reuses one view, moved
-- along the array, so iterating allocates nothing (a fresh view per token
-- would be materialised at every side exit of a compiled loop): t is
-- the current token until the next iteration; keep toks[i] when you need
-- it later. The loop keeps its array alive while it runs, not after.
function Tokens.each(toks)
  local v = tokview()
  v._src, v._base, v._slot, v._gen, v._n = toks.src, toks.t.tok, toks.slot, toks.gen, toks.n
  keep[v] = toks -- the loop may hold only the view: keep its array alive
  return next_token, v, 0
end

-- The tokens as the C array and their count: a[k] for k = 0 .. n - 1 is
-- a lector_token, fields start (0-based), ["end"] (one past the last
-- byte), norm (the norm id), flags and kind (an index into M.kinds):
-- the fastest way through a corpus, a load per field and no view. The
-- pointer is C memory that belongs to toks: valid while toks is alive
-- and not released (keep toks in a local while reading it). It does not
-- anchor toks, as each()'s view does: an anchor per document, left to
-- the collector, costs more than the loop (tests/bench/RESULTS.md).
function Tokens.array(toks)
  return toks.t.tok, toks.n
end

local function check_range(toks, i, j, fname)
  if type(i) ~= "number" or i < 1 or i > toks.n then
    check.argmsg(1, fname, string.format("token index 1..%d expected, got %s", toks.n, tostring(i)), 3)
  end
  if type(j) ~= "number" or j < i or j > toks.n then
    check.argmsg(2, fname, string.format("token index %d..%d expected, got %s", i, toks.n, tostring(j)), 3)
  end
end

-- The source text from the start of token i to the end of token j.
function Tokens.text(toks, i, j)
  j = j or i
  check_range(toks, i, j, "text")
  local a, b = toks.t.tok[i - 1].start, toks.t.tok[j - 1]["end"]
  return ffi.string(toks.src + a, b - a)
end

-- The source string the tokens were made from.
function Tokens.source(toks) return anchors[toks] end

local outp = ffi.new("lector_sentence *[1]")
local countp = ffi.new("size_t[1]")

-- The sentences as the C structs {first, last} (0-based token indexes),
-- 8 bytes each, and their count: for code that keeps them per document
-- without a table per sentence. The array is freed with the collector:
-- copied into one it allocates, and the splitter's freed at once (a
-- finalizer per call cost ten times the copy).
local sentence_vla = ffi.typeof("lector_sentence[?]")
local SENTENCE_BYTES = ffi.sizeof("lector_sentence")

function Tokens.sentence_array(toks)
  -- the source by the array's own fields, not the anchor table (a hash
  -- lookup a call): the anchor keeps it alive while toks is
  local rc = C.lector_sentences(default_tk, toks.src, toks.len, toks.t, outp, countp)
  if rc ~= 0 then check.fail("sentences: " .. core.strerror(rc)) end
  local out, n = outp[0], tonumber(countp[0])
  outp[0] = nil
  if out == nil then return out, n end
  local a = sentence_vla(n)
  ffi.copy(a, out, n * SENTENCE_BYTES)
  C.lector_free(out)
  return a, n
end

-- The same structs as the splitter made them, owned by toks as the token
-- array is (toks:array()): valid while toks is alive and not released,
-- freed with it, made once per toks. Neither a Lua allocation nor a copy
-- per call: a loop over a corpus gains a third of sentence_array()'s cost
-- over the splitter (tests/bench/RESULTS.md, lua6).
function Tokens.sentence_view(toks)
  if toks.sent == nil and toks.n > 0 then
    local rc = C.lector_sentences(default_tk, toks.src, toks.len, toks.t, outp, countp)
    if rc ~= 0 then check.fail("sentences: " .. core.strerror(rc)) end
    toks.sent, toks.nsent = outp[0], countp[0]
    outp[0] = nil
  end
  return toks.sent, tonumber(toks.nsent)
end

-- The tables of the n sentence structs out (toks:sentence_array()): what
-- toks:sentences() gives, for a caller that has the structs already.
function M.sentence_tables(toks, out, n)
  local res = tnew(n, 0)
  local tok = toks.t.tok
  for k = 0, n - 1 do
    local f, l = out[k].first, out[k].last
    res[k + 1] = { first = f + 1, last = l + 1, start = tok[f].start + 1, stop = tok[l]["end"] }
  end
  return res
end

-- Sentences: an array of {first=, last=, start=, stop=} (token indexes and
-- 1-based inclusive byte positions).
function Tokens.sentences(toks)
  return M.sentence_tables(toks, Tokens.sentence_array(toks))
end

-- Counts per kind name: {word = 120, punct = 30, ...}.
function Tokens.count_kinds(toks)
  local c = {}
  local tok = toks.t.tok
  for i = 0, toks.n - 1 do
    local k = kinds[tok[i].kind]
    c[k] = (c[k] or 0) + 1
  end
  return c
end

local tokens_mt = {
  __len = function(toks) return toks.n end,
  __index = function(toks, k)
    if type(k) == "number" then
      if k >= 1 and k <= toks.n and k % 1 == 0 then return view(toks, k) end
      return nil
    end
    return Tokens[k]
  end,
  -- tokens(13) "ISIS’s 5,000 fighters …": the count, then the text of the
  -- first tokens up to 20 characters or more, white space shown as one
  -- space, "…" when there is more.
  __tostring = function(toks)
    local n = toks.n
    if n == 0 then return "tokens(0)" end
    local tok, first = toks.t.tok, toks.t.tok[0].start
    local last, chars = n - 1, 0
    for i = 0, n - 1 do
      local a, b = i == 0 and first or tok[i - 1]["end"], tok[i]["end"]
      for j = a, b - 1 do
        if band(toks.src[j], 0xC0) ~= 0x80 then chars = chars + 1 end
      end
      if chars >= 20 then last = i; break end
    end
    local s = ffi.string(toks.src + first, tok[last]["end"] - first):gsub("%s+", " ")
    return string.format("tokens(%d) %s", n,
      string.format("%q", s .. (last < n - 1 and " …" or "")):gsub("\\\n", "\\n"))
  end,
}
local tokens_ct = ffi.metatype("lector_lua_tokens", tokens_mt)

-- What a token array or a token offers, for the REPL's Tab completion
-- (cdata keeps its metatable to itself): the names of toks's methods or
-- of a token's fields; nil for any other value.
function M.members(v)
  local names = {}
  if ffi.istype(tokens_ct, v) then
    for k in pairs(Tokens) do names[#names + 1] = k end
  elseif ffi.istype(tokview, v) then
    for _, k in ipairs { "start", "stop", "norm_id", "flags", "kind_id" } do names[#names + 1] = k end
    for k in pairs(view_get) do names[#names + 1] = k end
  else
    return nil
  end
  table.sort(names)
  return names
end

-- Tokens in arrays handed out and not given back since the last forced
-- collection (see tokenize), and how many may be before the next: at
-- least 2 M tokens (32 MB), more with a big heap.
local OUTSTANDING_MIN = 2 * 1024 * 1024
local outstanding, outstanding_max = 0, OUTSTANDING_MIN

-- The C array goes back to the tokenizer for the next document.
local function release(toks)
  local slot = toks.slot
  -- -1: tokenize failed before the array got a slot; a generation that
  -- moved on: released already (release(), then the GC)
  if slot >= 0 and gens[slot] == toks.gen then
    gens[slot] = toks.gen + 1
    free_slots[#free_slots + 1] = slot
    outstanding = max(0, outstanding - tonumber(toks.t.cap))
  end
  C.lector_tokenizer_recycle(default_tk, toks.t)
  if toks.sent ~= nil then
    C.lector_free(toks.sent)
    toks.sent, toks.nsent = nil, 0
  end
end

-- Gives the array back now rather than when the GC finds toks (a loop
-- over a corpus then reuses one array); toks is empty afterwards.
function Tokens.release(toks)
  release(toks)
  toks.n = 0
  ffi.gc(toks, nil)
end

-- lector.tokenize(s [, opts]): opts.uax29 (untailored UAX #29 segments,
-- white space included), opts.fast = false (no ASCII fast path; the output
-- is the same), opts.norm = false (skip norms: norm_id 0).
function M.tokenize(s, opts)
  if type(s) ~= "string" then
    check.argerr(1, "tokenize", "string", s)
  end
  local o = 0
  if opts ~= nil then
    if type(opts) ~= "table" then
      check.argerr(2, "tokenize", "table", opts)
    end
    if opts.uax29 then o = o + C.LECTOR_TOK_UAX29 end
    if opts.fast == false then o = o + C.LECTOR_TOK_NO_FAST end
    if opts.norm == false then o = o + C.LECTOR_TOK_NO_NORM end
  end
  local tk = M.default()
  local toks = ffi.gc(tokens_ct(), release)
  toks.slot = -1
  local rc = C.lector_tokenize(tk, s, #s, o, toks.t)
  if rc ~= 0 then
    if rc == C.LECTOR_EUTF8 then text.check(s, "tokenize") end
    check.fail("tokenize: " .. ffi.string(C.lector_tokenizer_errmsg(tk)))
  end
  toks.src, toks.len = s, #s
  toks.n = tonumber(toks.t.n)
  local slot = take_slot()
  toks.slot, toks.gen = slot, gens[slot]
  anchors[toks] = s
  -- The array is C memory the collector cannot see: when the arrays
  -- handed out and not given back reach a budget, a collection returns
  -- the dropped ones to the tokenizer's pool, so a loop that leaves its
  -- arrays to the collector reuses memory instead of faulting in fresh
  -- pages for every document.
  outstanding = outstanding + tonumber(toks.t.cap)
  if outstanding > outstanding_max then
    outstanding = 0
    collectgarbage()
    -- a collection costs what the heap holds: with a big heap, collect
    -- less often (arrays up to half the heap), as the collector itself
    -- paces its cycles
    outstanding_max = max(OUTSTANDING_MIN, collectgarbage("count") * 1024 / 32)
  end
  return toks
end

return M
