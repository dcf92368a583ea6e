-- lector.pattern: token-sequence patterns, compiled once in C and run over
-- a token array, leftmost-longest without overlaps.
--
--   local p = lector.pattern("count:<number> (or so)? _{0,3} what:{fighters troops}")
--   for m in p:matches(lector.tokenize(s)) do print(m.text, m.captures.count.text) end
--
-- Language: a word matches a token whose norm is the word's fold (so “ ”
-- and " are one word); "Text" matches the exact text (\" a quote, \\ a
-- backslash); <word> <number> <punct> <symbol> <url> <email> <clitic>
-- <other> are token kinds; <cap> <upper> <digit> <hyphen> <abbrev>
-- <nonascii> <line_end> <para_end> are flags; _ is any token; {a ? "“"} is
-- any of the words or exact texts; !test (a word, "text", <class>, {set},
-- or !(test | test)) is any token the test rejects; @TYPE is a gazetteer
-- match of that type and @ any gazetteer match (several tokens); ( )
-- groups, | alternates, ? * + {m,n} {m,} {,n} {m} repeat (greedy);
-- name:( ... ) or name:atom captures. A syntax error raises
-- "pattern: column C: expected X".
local check = require "lector.check"
local core = require "lector.core"
local token = require "lector.token"
local pretty = require "lector.pretty"

local C, ffi = core.C, core.ffi
local type, tonumber, error, setmetatable = type, tonumber, error, setmetatable

local M = {}

local tokens_ct = ffi.typeof("lector_lua_tokens")
local gm_ct = ffi.typeof("lector_gazetteer_matches[1]")

local Pat = {}
Pat.__index = Pat

local function errmsg(p) return ffi.string(C.lector_pattern_errmsg(p)) end

-- lector.pattern.compile(src [, opts]) or lector.pattern(src [, opts]);
-- opts.gazetteer serves @TYPE. Both call compile, which checks for them
-- (level 3: the user's call, one frame above either). A pattern that
-- does not compile is bad data: its message says where in src.
local function compile(src, opts)
  if type(src) ~= "string" then
    check.argerr(1, "pattern", "string", src, 3)
  end
  if opts ~= nil and type(opts) ~= "table" then
    check.argerr(2, "pattern", "table", opts, 3)
  end
  local g = opts and opts.gazetteer
  if g ~= nil and (type(g) ~= "table" or getmetatable(g) ~= require("lector.gazetteer").Gazetteer) then
    check.argmsg(2, "pattern", "gazetteer must be a lector.gazetteer, got " .. type(g), 3)
  end
  local _, intern = token.default()
  local cp = C.lector_pattern_new(intern, g and g.c or nil)
  if cp == nil then check.fail("pattern: out of memory") end
  cp = ffi.gc(cp, C.lector_pattern_free)
  if C.lector_pattern_compile(cp, src, #src) ~= 0 then
    check.fail("pattern: " .. errmsg(cp))
  end
  local names = {}
  for i = 0, C.lector_pattern_ncaptures(cp) - 1 do
    names[i + 1] = ffi.string(C.lector_pattern_capture_name(cp, i))
  end
  return setmetatable({
    c = cp, src = src, gazetteer = g, intern = intern, names = names,
    buf = ffi.gc(ffi.new("lector_pattern_matches[1]"), function(b)
      C.lector_pattern_matches_release(b)
    end),
  }, Pat)
end

function M.compile(src, opts)
  local p = compile(src, opts)
  return p
end

local function run(self, toks, opts, fname)
  if not ffi.istype(tokens_ct, toks) then
    check.argmsg(1, fname, "tokens from lector.tokenize expected, got " .. type(toks), 3)
  end
  if opts ~= nil and type(opts) ~= "table" then
    check.argerr(2, fname, "table", opts, 3)
  end
  local flags = (opts and opts.overlap) and C.LECTOR_MATCH_OVERLAP or 0
  local src = toks:source()
  local gm = opts and opts.gazetteer_matches
  local rc
  if gm ~= nil then
    -- The gazetteer's matches of these tokens, found once for every
    -- pattern (gazetteer:overlap_buffer): no gazetteer pass of its own.
    if not ffi.istype(gm_ct, gm) then
      check.argmsg(2, fname, "gazetteer_matches must come from " ..
        "gazetteer:overlap_buffer, got " .. type(gm), 3)
    end
    rc = C.lector_pattern_match_with(self.c, src, #src, toks.t, gm, flags, self.buf)
  else
    rc = C.lector_pattern_match(self.c, src, #src, toks.t, flags, self.buf)
  end
  if rc ~= 0 then error(fname .. ": " .. errmsg(self.c), 3) end
  return self.buf[0], src
end

-- The match table of match k of the C results b (0-based).
local function make(self, b, k, tok, src)
  local names, nc = self.names, #self.names
  local m = b.m[k]
  local a, e = m.start, m["end"]
  local caps = {}
  for j = 0, nc - 1 do
    local c = b.caps[m.cap + j]
    if c.first >= 0 then
      local ca, ce = tok[c.first].start, tok[c.last]["end"]
      caps[names[j + 1]] = { start = ca + 1, stop = ce, first = c.first + 1,
                             last = c.last + 1, text = src:sub(ca + 1, ce) }
    end
  end
  return { start = a + 1, stop = e, first = m.first + 1, last = m.last + 1,
           text = src:sub(a + 1, e), captures = caps }
end

local hit_array = ffi.typeof("lector_pattern_hit[?]")
local cap_array = ffi.typeof("lector_pattern_capture[?]")

-- The loop over the n > 0 matches of C results b (a function of its own:
-- a closure in Pat:matches would stop LuaJIT compiling its callers).
local function iterate(self, toks, b, n, nc, src)
  -- Copy out: the buffer is reused by the next call on this pattern.
  local copy = { n = n, m = hit_array(math.max(n, 1)), caps = cap_array(math.max(nc, 1)) }
  ffi.copy(copy.m, b.m, n * ffi.sizeof("lector_pattern_hit"))
  ffi.copy(copy.caps, b.caps, nc * ffi.sizeof("lector_pattern_capture"))
  local tok, i = toks.t.tok, -1
  return pretty.iterator(function()
    i = i + 1
    if i < n then return make(self, copy, i, tok, src) end
    local _ = toks -- the tokens stay alive as long as the loop
  end, "matches")
end

-- The loop over no match (most patterns on most documents): nothing to
-- copy, no closure made.
local function no_match() return nil end
pretty.iterator(no_match, "matches")

-- for m in p:matches(toks [, {overlap = true}]) do ... end: m has start,
-- stop (bytes, 1-based inclusive), first, last (tokens), text, and
-- captures.NAME = {start, stop, first, last, text} for each capture that
-- took part. overlap = true: the longest match at every start token.
-- The matches are found when the loop starts and kept as C structs (a
-- few dozen bytes each); each table is made when the loop reaches it, so
-- a document with a hundred thousand matches holds no table per match.
function Pat:matches(toks, opts)
  local b, src = run(self, toks, opts, "matches")
  local n, nc = tonumber(b.n), tonumber(b.ncaps)
  if n == 0 then return no_match end
  return iterate(self, toks, b, n, nc, src)
end

-- p:find_all(toks [, opts]) -> array of the match tables.
function Pat:find_all(toks, opts)
  local b, src = run(self, toks, opts, "find_all")
  local tok, res = toks.t.tok, {}
  for k = 0, tonumber(b.n) - 1 do res[k + 1] = make(self, b, k, tok, src) end
  return res
end

-- Capture names in order of appearance.
function Pat:captures()
  local c = {}
  for i, n in ipairs(self.names) do c[i] = n end
  return c
end

function Pat:__tostring() return "pattern(" .. self.src .. ")" end

M.Pattern = Pat

-- A set of patterns that says which of them can match a token array at
-- all, one pass over its tokens for them all (lector_pattern_set_can_match;
-- the pipeline's patterns stage asks before it runs each). set:can_match(toks)
-- returns a byte array (0-based, one byte a pattern, reused by the next
-- call): 0 when the pattern finds nothing in toks unless it has @TYPE and
-- the text has gazetteer matches.
local PatSet = {}
PatSet.__index = PatSet
local can_vla = ffi.typeof("uint8_t[?]")

function M.set(list)
  if type(list) ~= "table" then check.argerr(1, "set", "table", list) end
  local n = #list
  local arr = ffi.new("lector_pattern *[?]", math.max(n, 1))
  for i = 1, n do
    local p = list[i]
    if getmetatable(p) ~= Pat then check.argmsg(1, "set", "patterns expected, got " .. type(p) .. " at " .. i) end
    arr[i - 1] = p.c
  end
  local cs = C.lector_pattern_set_new(arr, n)
  if cs == nil then check.fail("pattern set: out of memory") end
  -- the patterns stay alive as long as the set (it keeps their pointers)
  return setmetatable({ c = ffi.gc(cs, C.lector_pattern_set_free), list = { unpack(list, 1, n) },
                        n = n, can = can_vla(math.max(n, 1)) }, PatSet)
end

function PatSet:can_match(toks)
  if not ffi.istype(tokens_ct, toks) then
    check.argmsg(1, "can_match", "tokens from lector.tokenize expected, got " .. type(toks))
  end
  local rc = C.lector_pattern_set_can_match(self.c, toks.t, self.can)
  if rc ~= 0 then check.fail("pattern set: " .. core.strerror(rc)) end
  return self.can
end

return setmetatable(M, {
  __call = function(_, src, opts)
    local p = compile(src, opts)
    return p
  end,
})
