-- lector.extract.util: what every extractor shares: a context from whatever
-- the caller passed, the token array read once into plain Lua arrays, and
-- phrase lexicons matched over the tokens' folded forms.
local check = require "lector.check"
local token = require "lector.token"
local context = require "lector.context"
local lexicon = require "lector.extract.lexicon"
local tnew = require "table.new"
local core = require "lector.core"
local bit = require "bit"

local norm_string = token.norm_string
local kinds = token.kinds
local F = token.flags

local M = {}

M.FCAP, M.FUPPER, M.FHY = F.cap, F.upper, F.hyphen_joined
M.FSB, M.FLE, M.FPE = F.space_before, F.line_end, F.para_end
M.FNONASCII = F.nonascii

--- A context from a context, a string or a document table; raises with
-- the extractor's name otherwise.
function M.ctx(v, opts, fname)
  if context.is(v) then return v end
  local tv = type(v)
  if tv == "string" or (tv == "table" and type(v.text) == "string") then
    return context.new(v, opts and opts.gazetteer and { gazetteer = opts.gazetteer } or nil)
  end
  check.argmsg(1, fname, "context, string or document expected, got " .. tv, 3)
end

function M.check_opts(opts, fname)
  if opts ~= nil and type(opts) ~= "table" then
    check.argerr(2, fname, "table", opts, 3)
  end
  return opts or {}
end

-- Norm id -> its string, as token.norm_string gives it: ids are dense
-- (1..the intern table's count), so this is an array, filled up to the
-- table's count before each document's tokens are read (norms_to). A
-- token loop that met unknown ids one by one left its trace for every
-- new word form: on 35 MB of varied text the first sight of each form
-- cost more than all the later lookups.
local norm_of, norm_known = {}, 0
local C, ffi = core.C, core.ffi
local lenp = ffi.new("size_t[1]")
local bor, lshift, byte, max = bit.bor, bit.lshift, string.byte, math.max

-- Norm id -> bits saying which scans stop at a token with that norm, so
-- an extractor skips the tokens no scan of its own cares about with one
-- array read and a bit test (ti.nid[i] is token i's norm id):
--   band(mask_of[ti.nid[i]], b) == 0
-- MDIGIT: the norm starts with a digit; MLOW: with a byte <= 57 (digits,
-- most punctuation); the other bits are the word sets of scan_bit().
local mask_of = { [0] = 0 }
M.mask_of = mask_of
M.MDIGIT, M.MLOW = 1, 2

-- mask_of again as a C array (cmask[id], ccap entries, 0 past the ids
-- set), for lector_tokens_scan: M.scan below.
local ccap = 1024
local cmask = ffi.new("uint32_t[?]", ccap)

-- Adds bits m to norm id's entry, in both.
local function mask_add(id, m)
  local v = bor(mask_of[id] or 0, m)
  mask_of[id] = v
  if id >= ccap then
    local cap = ccap
    while cap <= id do cap = cap * 2 end
    local grown = ffi.new("uint32_t[?]", cap)
    ffi.copy(grown, cmask, ccap * 4)
    cmask, ccap = grown, cap
  end
  cmask[id] = v
end

local function norms_to()
  local _, intern = token.default()
  local count = tonumber(C.lector_intern_count(intern))
  for id = norm_known + 1, count do
    local p = C.lector_intern_str(intern, id, lenp)
    local s = ffi.string(p, lenp[0])
    norm_of[id] = s
    local b, m = byte(s, 1), 0
    if b and b <= 57 then m = b >= 48 and 3 or 2 end
    mask_add(id, m)
  end
  if count > norm_known then norm_known = count end
end

-- kinds for M.scan: bit (1 << kind id) of each kind name
M.KIND = {}
for id, name in ipairs(kinds) do M.KIND[name] = lshift(1, id) end

--- The first token of i..last (of ti) whose kind is in kinds (a sum of
-- M.KIND bits), or whose norm has one of bits in mask_of, or has one of
-- cond while the next token's or the one after's has one of nxt; last + 1
-- when none (i when i > last). The loop over every token is in C
-- (lector_tokens_scan): a scan calls this, tests the token it gets, and
-- calls it again from the next one.
function M.scan(ti, i, last, kinds_, bits, cond, nxt)
  return tonumber(C.lector_tokens_scan(ti.tok, ti.n, i - 1, last, kinds_, cmask, ccap, bits, cond, nxt)) + 1
end

local bit_of = setmetatable({}, { __mode = "k" })
local sets = 0

--- The bit of mask_of marking the norms that are keys of set (a table
-- keyed by norm strings: a phrase index, a word set, not changed after),
-- given once per set table. A token whose norm lacks the bit is no key
-- of set; one that has it may be (the 28 bits are shared round when a
-- process has more sets: a scan then stops at a few more tokens, and its
-- own test tells them apart).
function M.scan_bit(set)
  local b = bit_of[set]
  if b then return b end
  b = lshift(4, sets % 28)
  sets = sets + 1
  -- (keys are interned, not just looked up: a word of the set that no
  -- text has shown yet, "half", gets its id now, and tokens get that id
  -- when it comes)
  local _, intern = token.default()
  for w in pairs(set) do
    if type(w) == "string" then
      local id = C.lector_intern_add(intern, w, #w)
      if id <= 0 then check.fail("lector.extract: out of memory interning a lexicon") end
      mask_add(id, b)
    end
  end
  bit_of[set] = b
  return b
end

--- The tokens as arrays, computed once per context: n, norm[i] (folded
-- string), nid[i] (its norm id), kind[i] (kind name), st[i], sp[i] (bytes), fl[i] (flags: test
-- with band(fl[i], M.FCAP) ~= 0 and FUPPER, FHY (hyphen-joined), FSB
-- (space before), FLE (line end), FPE (paragraph end), FNONASCII (a
-- non-ASCII byte; without one the norm is the text in lower case)).
--
-- The arrays of the last context's info are reused for the next context
-- (which takes them from it: asked again, it makes its own), so a
-- pipeline does not make and collect six arrays a document; a context's
-- info is read only while an extractor runs on that context.
local lent = setmetatable({}, { __mode = "v" }) -- lent[1]: that context
local spare -- its info

function M.info(ctx)
  local ti = rawget(ctx, "_ti")
  -- (made again for a context whose tokens were released since: M.scan
  -- reads the C token array, which went back to the tokenizer's pool)
  if ti and rawget(ctx, "tokens") == ti.toks then return ti end
  local toks = ctx.tokens
  local n = #toks
  local norm, kind, st, sp, fl, nid
  local old = spare
  if old then
    -- (no pairs(): LuaJIT 2.1 does not compile it, and a trace through it
    -- aborts)
    local c = lent[1]
    if c ~= nil and rawget(c, "_ti") == old then rawset(c, "_ti", nil) end
    norm, kind, st, sp, fl, nid = old.norm, old.kind, old.st, old.sp, old.fl, old.nid
    -- (the loops always run, max() instead of a skipped loop: the exit
    -- that skipped them, taken from long traces, made LuaJIT start a
    -- side trace there and abort it, "register coalescing too complex",
    -- hundreds of times a run)
    for i = n + 1, max(old.n, n + 1) do norm[i], kind[i], st[i], sp[i], nid[i] = nil, nil, nil, nil, nil end
    for i = n + 4, max(old.n + 3, n + 4) do fl[i] = nil end
  else
    norm, kind, st, sp, fl, nid = tnew(n, 0), tnew(n, 0), tnew(n, 0), tnew(n, 0), tnew(n, 0), tnew(n, 0)
  end
  -- Straight from the C array (toks stays alive in this frame): a view
  -- per token through toks:each() cost a quarter of the extractors' time.
  local tok = toks.t.tok
  norms_to()
  for i = 1, n do
    local t = tok[i - 1]
    local id = t.norm
    local s = norm_of[id]
    if s == nil then s = norm_string(id) end -- (id 0: no norms asked)
    norm[i], nid[i] = s, id
    kind[i] = kinds[t.kind]
    st[i], sp[i], fl[i] = t.start + 1, t["end"], t.flags
  end
  -- no flags just outside the array, so fl[i - 1] and fl[i + 1] are numbers
  fl[-1], fl[0], fl[n + 1], fl[n + 2], fl[n + 3] = 0, 0, 0, 0, 0
  -- (tok, the C array, for M.scan; toks keeps it alive)
  if old then
    -- the last context's table too (it lost it above): a table of ten
    -- fields a document was 7 MB of the run's garbage on 35 MB of text
    ti = old
    ti.n, ti.text, ti.tok, ti.toks = n, ctx.text, tok, toks
  else
    ti = { n = n, norm = norm, kind = kind, st = st, sp = sp, fl = fl, nid = nid, text = ctx.text,
      tok = tok, toks = toks }
  end
  rawset(ctx, "_ti", ti)
  lent[1], spare = ctx, ti
  return ti
end

-- The folded tokens of a phrase, as the tokenizer gives them for text.
local function phrase_norms(s)
  local toks = token.tokenize(s)
  local out = {}
  for _, t in toks:each() do out[#out + 1] = norm_string(t.norm_id) end
  toks:release()
  -- "feb." alone is no abbreviation to the tokenizer (it splits it), but
  -- "Feb." in text is: keep a dotted word whole
  if #out > 1 and not s:find("%s") and s:sub(-1) == "." then
    out = { norm_string(token.norm_id(s)) }
  end
  return out
end
M.phrase_norms = phrase_norms

local index_cache = setmetatable({}, { __mode = "k" })

local function longer(a, b) return a.n > b.n end

--- A phrase index over rows' column col: first folded word -> entries
-- {w = {norms}, row = row}, longest first. A `*` word in a phrase
-- matches 0 to 3 tokens (no sentence punctuation among them).
function M.index(rows, col)
  local byc = index_cache[rows]
  if not byc then byc = {}; index_cache[rows] = byc end
  if byc[col] then return byc[col] end
  local idx = {}
  for i = 1, #rows do
    local p = rows[i][col]
    if p then
      local w = phrase_norms(p)
      if #w > 0 and w[1] ~= "*" then
        local l = idx[w[1]]
        if not l then l = {}; idx[w[1]] = l end
        local star = false
        for k = #w, 2, -1 do if w[k] == "*" then star = k end end
        -- after: the word after the first `*` (false when none, or
        -- another `*`); match_at looks for it in the four tokens the star
        -- can reach (from token `star` - 1 of the phrase's) before it
        -- matches the rest
        local after = star and w[star + 1] ~= "*" and w[star + 1] or false
        l[#l + 1] = { w = w, row = rows[i], n = #w, star = star, after = after }
      end
    end
  end
  -- each first word's entries split by their second word, so a common
  -- first word ("the", "in") costs one more lookup, not a loop
  for w, l in pairs(idx) do
    table.sort(l, longer)
    local one, wild, by2 = false, false, false
    for j = 1, #l do
      local e = l[j]
      if e.n == 1 then
        one = one or e
      elseif e.w[2] == "*" then
        wild = wild or {}
        wild[#wild + 1] = e
      else
        by2 = by2 or {}
        local sub = by2[e.w[2]]
        if not sub then sub = {}; by2[e.w[2]] = sub end
        sub[#sub + 1] = e
      end
    end
    -- Every list has the three fields (false when none), set in one
    -- order into a table made with room for them and its entries: one
    -- hash layout for every list, so the field reads in match(), which
    -- every extractor's loop inlines, compile to one guard that holds,
    -- not a side exit for each mix of fields a first word has.
    local nl = tnew(#l, 3)
    nl.one, nl.wild, nl.by2 = one, wild, by2
    for j = 1, #l do nl[j] = l[j] end
    idx[w] = nl
  end
  byc[col] = idx
  return idx
end

--- The rows of a lexicon's phrase index (lexicon name, column), honouring
-- opts.lexicons.
function M.lex_index(name, col, opts)
  return M.index(lexicon.load(name, opts and opts.lexicons), col)
end

local STOP = { ["."] = true, ["!"] = true, ["?"] = true, [";"] = true }

-- Matches phrase words w[k..] at token i; returns the last token or nil.
local function match_from(norm, n, w, k, i)
  local wn = #w
  while k <= wn do
    local x = w[k]
    if x == "*" then
      for skip = 0, 3 do
        local e = match_from(norm, n, w, k + 1, i + skip)
        if e then return e end
        local s = norm[i + skip]
        if s == nil or STOP[s] then return nil end
      end
      return nil
    end
    if i > n or norm[i] ~= x then return nil end
    i, k = i + 1, k + 1
  end
  return i - 1
end

-- The last token of entry e (no `*` in it, three words or more) at token
-- i whose first two words agree, or nil. No loop and no recursion for
-- up to four words: match_from's recursion had LuaJIT blacklist it, and
-- every trace that reached it stopped there (the lexicons' phrases are
-- mostly of two to four words).
local function match_rest(norm, n, e, i)
  local w, wn = e.w, e.n
  local last = i + wn - 1
  if last > n or norm[i + 2] ~= w[3] then return nil end
  if wn == 3 then return last end
  if norm[i + 3] ~= w[4] then return nil end
  if wn == 4 then return last end
  return match_from(norm, n, w, 5, i + 4)
end

-- Whether the word a after a phrase's `*` (false: any) is one of the
-- four tokens from j the star can reach: when not, the phrase does not
-- match there, and match_from is not called.
local function star_reach(norm, j, a)
  return not a or norm[j] == a or norm[j + 1] == a or norm[j + 2] == a or norm[j + 3] == a
end

-- The longest phrase of idx starting at token i: entry, last token.
local function match_at(norm, n, l, i)
  local by2 = l.by2
  if by2 then
    local sub = by2[norm[i + 1]]
    if sub then
      for j = 1, #sub do
        local e = sub[j]
        local last
        if e.n == 2 then last = i + 1
        elseif e.star then
          if star_reach(norm, i + e.star - 1, e.after) then last = match_from(norm, n, e.w, 3, i + 2) end
        else last = match_rest(norm, n, e, i) end
        if last then return e, last end
      end
    end
  end
  local wild = l.wild
  if wild then
    for j = 1, #wild do
      local e = wild[j]
      -- (most tokens of a common first word, "is" of "is * believed
      -- to", have no such word after them: no call of match_from, whose
      -- recursion LuaJIT does not compile)
      if star_reach(norm, i + 1, e.after) then
        local last = match_from(norm, n, e.w, 2, i + 1)
        if last then return e, last end
      end
    end
  end
  local one = l.one
  if one then return one, i end
  return nil
end

--- The longest phrase of idx starting at token i: entry, last token (nil
-- when none).
function M.match(ti, idx, i)
  local norm = ti.norm
  local l = idx[norm[i]]
  if not l then return nil end
  if not l.by2 and not l.wild then
    local one = l.one
    if one then return one, i end
    return nil
  end
  return match_at(norm, ti.n, l, i)
end

local outlet_gaz = setmetatable({}, { __mode = "k" })

-- The outlets' kinds that publish what they are told (their matches'
-- type "MEDIA"; an official body's is "ORG": "told the Security
-- Council" is an audience, "told the Syrian Observatory" a channel).
local MEDIUM_KIND = { agency = true, outlet = true, broadcaster = true, blog = true, monitor = true,
  ["think-tank"] = true }

--- The gazetteer of the outlets lexicon (news outlets, agencies, monitors).
function M.outlet_gazetteer(opts)
  local rows = lexicon.load("outlets", opts and opts.lexicons)
  local g = outlet_gaz[rows]
  if g then return g end
  g = require("lector.gazetteer").new()
  for i = 1, #rows do
    local r = rows[i]
    -- no attrs: a match would decode them, and the extractors read the
    -- entity only (the lexicon row has kind and country)
    g:add(r.alias, r.entity or r.alias, MEDIUM_KIND[r.kind] and "MEDIA" or "ORG", nil,
      { case = r.case or "auto", label = r._line })
  end
  outlet_gaz[rows] = g
  return g
end

--- Token index -> outlet match (entity, type "MEDIA" or "ORG", first, last, text),
-- once per context.
function M.outlets_of(ctx, opts)
  local of = rawget(ctx, "_outlets")
  if of then return of end
  of = {}
  local ms = M.outlet_gazetteer(opts):find_all(ctx.tokens)
  for k = 1, #ms do
    local m = ms[k]
    for q = m.first, m.last do of[q] = m end
  end
  rawset(ctx, "_outlets", of)
  return of
end

--- The sentences' first and last tokens as two arrays (sentence number
-- -> token index), once per context: what ctx.sentences gives as a table
-- per sentence, read from the structs ctx.raw_sentences holds (the
-- extractors need no more, and the tables and a second sentence pass
-- cost a tenth of their time).
--
-- As info's arrays, the last context's are reused for the next (which
-- takes them from it): three tables a document were 8.5 MB of garbage in
-- the job bench's 35 MB.
local sb_lent = setmetatable({}, { __mode = "v" }) -- sb_lent[1]: that context
local sb_spare -- its {first, last, n}

function M.sentence_bounds(ctx)
  local sb = rawget(ctx, "_sb")
  if sb then return sb[1], sb[2] end
  local raw = ctx.raw_sentences
  local a, n = raw.array, raw.n
  sb = sb_spare
  local first, last
  if sb then
    local c = sb_lent[1]
    if c ~= nil and rawget(c, "_sb") == sb then rawset(c, "_sb", nil) end
    first, last = sb[1], sb[2]
    -- (nil past the last sentence: the callers' cursors stop there)
    for k = n + 1, max(sb.n, n + 1) do first[k], last[k] = nil, nil end
    sb.n = n
  else
    first, last = tnew(n, 0), tnew(n, 0)
    sb = { first, last, n = n }
  end
  for k = 1, n do
    local x = a[k - 1]
    first[k], last[k] = x.first + 1, x.last + 1
  end
  rawset(ctx, "_sb", sb)
  sb_lent[1], sb_spare = ctx, sb
  return first, last
end

--- Whether [a, b] overlaps a boilerplate span (cheap when there is none).
-- (The method from the context's class, not through ctx:in_boilerplate,
-- whose lookup is a call of the class's __index function each time.)
local in_boilerplate = context.Context.in_boilerplate

function M.boiler(ctx, a, b)
  local bp = ctx.layers.boilerplate
  if not bp or #bp == 0 then return false end
  return in_boilerplate(ctx, a, b)
end

return M
