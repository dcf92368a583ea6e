-- lector.gazetteer: dictionaries of aliases -> entities, matched on
-- normalized tokens.
--
--   local g = lector.gazetteer.new()             -- or .load("places.tsv")
--   g:add("Deir ez-Zor", "Deir ez-Zor", "PLACE", { country = "Syria" })
--   for m in g:matches(lector.tokenize(s)) do print(m.entity, m.start, m.stop) end
--
-- A match is a table: start, stop (1-based inclusive bytes), first, last
-- (token indexes), text, entity, type, alias, attrs (a table, shared by all
-- matches of the entry: do not modify it), source (where the alias came
-- from: "FILE:LINE" or the g:add label), case ("sensitive"/"insensitive").
-- A fuzzy match (fuzzy = "translit", see lector.translit) also has fuzzy =
-- true and key (the key words it met on); alias is the alias it met. With
-- a published date (opts.published), a match whose entry's valid_from /
-- valid_to (attrs, ISO dates, partial allowed) do not cover it has
-- anachronism = true.
local check = require "lector.check"
local core = require "lector.core"
local token = require "lector.token"
local json = require "lector.json"

local C, ffi = core.C, core.ffi
local type, tonumber, error, setmetatable = type, tonumber, error, setmetatable

local M = {}

local tokens_ct = ffi.typeof("lector_lua_tokens")
local entry_buf = ffi.new("lector_gaz_entry")
local size1 = ffi.new("size_t[1]")

local Gaz = {}
Gaz.__index = Gaz

local function errmsg(g) return ffi.string(C.lector_gazetteer_errmsg(g.c)) end

local function opts_flags(opts, fname, argn)
  if opts == nil then return 0 end
  if type(opts) ~= "table" then
    check.argerr(argn, fname, "table", opts, 3)
  end
  if opts.fuzzy ~= nil and opts.fuzzy ~= false and opts.fuzzy ~= "translit" then
    check.argmsg(argn, fname, "fuzzy must be \"translit\" or false, got " .. tostring(opts.fuzzy), 3)
  end
  local f = 0
  if opts.hyphens ~= nil then
    if opts.hyphens == "strict" then f = f + C.LECTOR_GAZ_HYPHENS_STRICT
    elseif opts.hyphens ~= "loose" then
      check.argmsg(argn, fname, "hyphens must be \"strict\" or \"loose\", got " .. tostring(opts.hyphens), 3)
    end
  end
  return f
end

local function wrap(cg)
  local tk, intern = token.default()
  return setmetatable({
    c = ffi.gc(cg, C.lector_gazetteer_free),
    tk = tk, intern = intern,             -- keep them alive as long as g
    entries = {},                         -- entry id -> cached info
    buf = ffi.gc(ffi.new("lector_gazetteer_matches[1]"), function(b)
      C.lector_gazetteer_matches_release(b)
    end),
  }, Gaz)
end

-- lector.gazetteer.new([opts]): an empty gazetteer. opts.hyphens =
-- "strict" makes "ez-Zor" differ from "ez Zor" (default "loose").
function M.new(opts)
  local flags = opts_flags(opts, "new", 1)
  local tk, intern = token.default()
  local cg = C.lector_gazetteer_new(tk, intern, flags)
  if cg == nil then error("gazetteer.new: out of memory", 2) end
  local g = wrap(cg)
  if opts and opts.fuzzy then g.fuzzy = opts.fuzzy end
  return g
end

local fz_kinds = { key = C.LECTOR_FZ_KEY, none = C.LECTOR_FZ_NONE, skip = C.LECTOR_FZ_SKIP,
                   skip_joined = C.LECTOR_FZ_SKIP_JOINED }

-- Gives entry id (just added) its fuzzy key; false when it has none.
local function fuzzy_add(g, id, alias)
  local keys = require("lector.translit").keys(alias)
  if #keys == 0 then return false end
  for _, key in ipairs(keys) do
    if C.lector_gazetteer_fuzzy_add(g.c, id, key, #key) ~= 0 then error("fuzzy: " .. errmsg(g), 3) end
  end
  if not g.has_fuzzy then
    local R = require("lector.translit").rules()
    local flags = (R.lower_seen ~= 0 and C.LECTOR_FZ_LOWER_SEEN or 0) + (R.initial ~= 0 and C.LECTOR_FZ_INITIAL or 0)
    if C.lector_gazetteer_fuzzy_rules(g.c, flags) ~= 0 then error("fuzzy: " .. errmsg(g), 3) end
  end
  g.has_fuzzy = true
  return true
end

local fuzzy_on = { translit = true, yes = true, on = true, ["true"] = true, ["1"] = true }
local fuzzy_off = { no = true, off = true, ["false"] = true, ["0"] = true, none = true }

-- Fuzzy keys for the entries from first on (0-based): every one when
-- default is on, unless its fuzzy column says no; else only those whose
-- column says translit/yes. Notes whether any entry carries dates.
local fuzzy_entry

local function fuzzy_entries(g, first, default)
  for id = first, tonumber(C.lector_gazetteer_count(g.c)) - 1 do
    -- An entry without attrs (most) has nothing to say here unless fuzzy
    -- is on for all: skip making its table (for 135k entries, a tag run
    -- spent 0.4 s here).
    if default or C.lector_gazetteer_entry(g.c, id, entry_buf) ~= 0 or
       (entry_buf.attrs ~= nil and entry_buf.attrs[0] ~= 0) then
      fuzzy_entry(g, id, default)
    end
  end
end

-- fuzzy_entries for one entry.
function fuzzy_entry(g, id, default)
  local e = g:entry(id)
  local col = e.attrs.fuzzy
  local on = default
  if col then
    col = col:lower()
    if fuzzy_on[col] then on = true elseif fuzzy_off[col] then on = false end
  end
  if on then fuzzy_add(g, id, e.alias) end
  if e.attrs.valid_from or e.attrs.valid_to then g.dated = true end
end

local cases = { auto = C.LECTOR_CASE_AUTO, sensitive = C.LECTOR_CASE_SENSITIVE,
                insensitive = C.LECTOR_CASE_INSENSITIVE }

-- g:add(alias, entity [, type [, attrs [, opts]]]): attrs is a table of
-- attributes (encoded as JSON); opts.case = "auto" | "sensitive" |
-- "insensitive"; opts.label names the entry's origin (default: the
-- calling script's FILE:LINE). Returns g.
function Gaz:add(alias, entity, typ, attrs, opts)
  if type(alias) ~= "string" then
    check.argerr(1, "add", "string", alias)
  end
  if type(entity) ~= "string" then
    check.argerr(2, "add", "string", entity)
  end
  if typ ~= nil and type(typ) ~= "string" then
    check.argerr(3, "add", "string", typ)
  end
  if attrs ~= nil and type(attrs) ~= "table" then
    check.argerr(4, "add", "table", attrs)
  end
  if opts ~= nil and type(opts) ~= "table" then
    check.argerr(5, "add", "table", opts)
  end
  local cm = C.LECTOR_CASE_AUTO
  if opts and opts.case ~= nil then
    cm = cases[opts.case]
    if not cm then
      check.argmsg(5, "add", "case must be auto, sensitive or insensitive, got " .. tostring(opts.case))
    end
  end
  local label = opts and opts.label
  if label == nil then
    local info = debug.getinfo(2, "Sl")
    label = info and (info.short_src .. ":" .. (info.currentline or 0)) or "g:add"
  end
  local a = attrs and next(attrs) ~= nil and json.encode(attrs) or nil
  local before = C.lector_gazetteer_count(self.c)
  local rc = C.lector_gazetteer_add(self.c, alias, #alias, entity, typ, a, tostring(label),
    0, cm)
  if rc ~= 0 then error("add: " .. errmsg(self), 2) end
  if C.lector_gazetteer_count(self.c) > before then
    -- opts.fuzzy = false keeps one entry exact in a fuzzy gazetteer
    local f = opts and opts.fuzzy
    if f == nil and attrs then f = attrs.fuzzy end
    if type(f) == "string" then f = not fuzzy_off[f:lower()] end
    if (self.fuzzy and f ~= false) or f == true then
      fuzzy_add(self, tonumber(before), alias)
    end
    if attrs and (attrs.valid_from or attrs.valid_to) then self.dated = true end
  end
  return self
end

local MAGIC = "LECTORGZ"

local function read_magic(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local m = f:read(8)
  f:close()
  return m
end

-- lector.gazetteer.load(path [, opts]): a TSV/CSV file with a header row
-- (alias, entity required; type, case optional; other columns become
-- attrs), or a file written by g:save. A bad line raises "FILE:LINE: what
-- is wrong", unless opts.skip_bad: then it is skipped, and g.skipped
-- counts them (g.first_skip says why the first one was). opts.hyphens as
-- for new (a saved gazetteer keeps its own).
function M.load(path, opts)
  if type(path) ~= "string" then
    check.argerr(1, "load", "string", path)
  end
  local flags = opts_flags(opts, "load", 2)
  local g = M.new(opts and { hyphens = opts.hyphens, fuzzy = opts.fuzzy } or nil)
  if read_magic(path) == MAGIC then
    if C.lector_gazetteer_open(g.c, path) ~= 0 then check.fail(errmsg(g)) end
    g.skipped = 0
    -- the dump holds no fuzzy keys: they are made again from the entries
    fuzzy_entries(g, 0, g.fuzzy and true or false)
    return g
  end
  if opts and opts.skip_bad then flags = flags + C.LECTOR_GAZ_SKIP_BAD end
  local rc = C.lector_gazetteer_load(g.c, path, flags, size1)
  if rc ~= 0 then check.fail(errmsg(g)) end
  g.skipped = tonumber(size1[0])
  if g.skipped > 0 then g.first_skip = errmsg(g) end
  fuzzy_entries(g, 0, g.fuzzy and true or false)
  return g
end

-- lector.gazetteer.open(path): a gazetteer saved by g:save (load does this
-- too when it sees one).
function M.open(path)
  if type(path) ~= "string" then
    check.argerr(1, "open", "string", path)
  end
  local g = M.new()
  if C.lector_gazetteer_open(g.c, path) ~= 0 then check.fail(errmsg(g)) end
  g.skipped = 0
  return g
end

-- g:save(path): the compiled gazetteer, to load again with .load/.open
-- without recompiling.
function Gaz:save(path)
  if type(path) ~= "string" then
    check.argerr(1, "save", "string", path)
  end
  if C.lector_gazetteer_save(self.c, path) ~= 0 then check.fail("save: " .. errmsg(self)) end
  return self
end

local outp = ffi.new("char *[1]")

-- g:dump() -> string and lector.gazetteer.undump(s): the same bytes as
-- save/open, for keeping a compiled gazetteer in a database.
function Gaz:dump()
  local rc = C.lector_gazetteer_dump(self.c, outp, size1)
  if rc ~= 0 then check.fail("dump: " .. errmsg(self)) end
  return core.take_string(outp, size1[0])
end

function M.undump(s)
  if type(s) ~= "string" then
    check.argerr(1, "undump", "string", s)
  end
  local g = M.new()
  if C.lector_gazetteer_undump(g.c, s, #s) ~= 0 then check.fail("undump: " .. errmsg(g)) end
  g.skipped = 0
  return g
end

-- Sizes: entries, entities, trie nodes, bytes held.
function Gaz:stats()
  return {
    entries = tonumber(C.lector_gazetteer_count(self.c)),
    entities = tonumber(C.lector_gazetteer_entities(self.c)),
    nodes = tonumber(C.lector_gazetteer_nodes(self.c)),
    memory = tonumber(C.lector_gazetteer_memory(self.c)),
  }
end

--- The entity types the entries name, with how many entries name each:
-- {PLACE = 47, ...}, and where the first entry of each came from
-- ({PLACE = "places.tsv:2", ...}).
function Gaz:types()
  local count, first = {}, {}
  for id = 0, tonumber(C.lector_gazetteer_count(self.c)) - 1 do
    if C.lector_gazetteer_entry(self.c, id, entry_buf) == 0 and entry_buf.type_id >= 0 then
      local t = ffi.string(entry_buf.type)
      if not count[t] then
        local line = tonumber(entry_buf.line)
        first[t] = ffi.string(entry_buf.source) .. (line > 0 and (":" .. line) or "")
      end
      count[t] = (count[t] or 0) + 1
    end
  end
  return count, first
end

local case_names = { [C.LECTOR_CASE_SENSITIVE] = "sensitive",
                     [C.LECTOR_CASE_INSENSITIVE] = "insensitive" }

-- Entry info, made once per entry id.
local FUZZY_BIT = C.LECTOR_GAZ_FUZZY_BIT
local keys_out = ffi.new("const char *[1]")

function Gaz:entry(id)
  local e = self.entries[id]
  if e then return e end
  if id >= FUZZY_BIT then
    local main = C.lector_gazetteer_fuzzy_entry(self.c, id, keys_out)
    if main < 0 then return nil end
    local m = self:entry(main)
    e = setmetatable({ fuzzy = true, key = ffi.string(keys_out[0]), entry = main }, { __index = m })
    self.entries[id] = e
    return e
  end
  if C.lector_gazetteer_entry(self.c, id, entry_buf) ~= 0 then return nil end
  local b = entry_buf
  local attrs = ffi.string(b.attrs)
  local src, line = ffi.string(b.source), tonumber(b.line)
  e = {
    entity = ffi.string(b.entity),
    type = b.type_id >= 0 and ffi.string(b.type) or nil,
    alias = ffi.string(b.alias),
    attrs = attrs ~= "" and (json.decode(attrs) or {}) or {},
    source = line > 0 and (src .. ":" .. line) or src,
    file = line > 0 and src or nil,
    line = line > 0 and line or nil,
    case = case_names[tonumber(b.case_mode)],
  }
  self.entries[id] = e
  return e
end

-- The raw C matches of toks, for the pattern module and bulk users.
function Gaz:_match(toks, opts, fname)
  if not ffi.istype(tokens_ct, toks) then
    check.argmsg(1, fname, "tokens from lector.tokenize expected, got " .. type(toks), 3)
  end
  if opts ~= nil and type(opts) ~= "table" then
    check.argerr(2, fname, "table", opts, 3)
  end
  local flags = (opts and opts.overlap) and C.LECTOR_MATCH_OVERLAP or 0
  local src = toks:source()
  local rc
  if self.has_fuzzy and not (opts and opts.fuzzy == false) then
    rc = self:_fuzzy_match(src, toks, flags, self.buf)
  else
    rc = C.lector_gazetteer_match(self.c, src, #src, toks.t, flags, self.buf)
  end
  if rc ~= 0 then error(fname .. ": " .. errmsg(self), 3) end
  return self.buf[0], src
end

local need = ffi.new("size_t[1]")

-- The exact and fuzzy matches into buf: called again while the text
-- has words whose keys the C side has not cached yet (it asks lazily, for
-- the words its walks reach; each call asks for new words only, so this
-- ends).
function Gaz:_fuzzy_match(src, toks, flags, buf)
  local rc = C.lector_gazetteer_fuzzy_match(self.c, src, #src, toks.t, flags, buf, need)
  while rc == 0 and need[0] > 0 do
    local word_key = require("lector.translit").word_key
    local ids, norm_string = C.lector_gazetteer_fuzzy_needed(self.c), token.norm_string
    for i = 0, tonumber(need[0]) - 1 do
      local kind, k = word_key(norm_string(ids[i]))
      rc = C.lector_gazetteer_fuzzy_key(self.c, ids[i], fz_kinds[kind], k, k and #k or 0)
      if rc ~= 0 then return rc end
    end
    rc = C.lector_gazetteer_fuzzy_match(self.c, src, #src, toks.t, flags, buf, need)
  end
  return rc
end

-- One finalizer for every buffer (a closure made per document would stop
-- LuaJIT compiling the caller).
local function release_matches(b) C.lector_gazetteer_matches_release(b) end

--- g:overlap_buffer(toks) -> the overlapping matches of toks as the C
-- struct lector_gazetteer_matches (freed with the collector): what
-- patterns' @TYPE reads, computed once per document and handed to every
-- pattern made with this gazetteer (p:matches(toks, {gazetteer_matches = buf})).
function Gaz:overlap_buffer(toks)
  if not ffi.istype(tokens_ct, toks) then
    check.argmsg(1, "overlap_buffer", "tokens from lector.tokenize expected, got " .. type(toks))
  end
  local buf = ffi.gc(ffi.new("lector_gazetteer_matches[1]"), release_matches)
  local src = toks:source()
  local rc
  if self.has_fuzzy then -- patterns' @TYPE sees fuzzy matches too
    rc = self:_fuzzy_match(src, toks, C.LECTOR_MATCH_OVERLAP, buf)
  else
    rc = C.lector_gazetteer_match(self.c, src, #src, toks.t, C.LECTOR_MATCH_OVERLAP, buf)
  end
  if rc ~= 0 then error("overlap_buffer: " .. errmsg(self), 2) end
  return buf
end

-- The span comes from the match itself (bytes), not from the token array,
-- so a match table never depends on the tokens still being alive.
-- Whether ISO date d (partial allowed) falls inside the entry's
-- valid_from / valid_to (partial: "2014" is all of 2014).
local function covers(attrs, d)
  local from, to = attrs.valid_from, attrs.valid_to
  if from and d < from and d:sub(1, #from) ~= from then return false end
  if to and d:sub(1, #to) > to then return false end
  return true
end
M.covers = covers

local function make_match(self, cm, src, published)
  local e = self:entry(cm.entry)
  local a, b = cm.start, cm["end"]
  local late = published and (e.attrs.valid_from or e.attrs.valid_to) and not covers(e.attrs, published) or nil
  local m = {
    start = a + 1, stop = b, first = cm.first + 1, last = cm.last + 1,
    text = src:sub(a + 1, b),
    entity = e.entity, type = e.type, alias = e.alias, attrs = e.attrs,
    source = e.source, case = e.case, entry = tonumber(cm.entry),
    -- in the constructor, not set after it: with LuaJIT 2.1.0-beta3
    -- (Debian's) a later load of m.fuzzy was forwarded wrongly on some
    -- traces, and exact matches read as fuzzy (bench_fuzzy saw 17,000)
    fuzzy = e.fuzzy, key = e.key, anachronism = late,
  }
  return m
end

local match_array = ffi.typeof("lector_gazetteer_hit[?]")
local match_size = ffi.sizeof("lector_gazetteer_hit")

-- The iterator of g:matches: a callable table rather than a closure,
-- because LuaJIT cannot compile the making of a closure (FNEW), and a
-- loop over documents that makes one per document would run in the
-- interpreter.
local Iter = {}
Iter.__iterator = "matches" -- for the REPL: it shows the matches, see lector.pretty
Iter.__call = function(st)
  local i = st.i
  if i < st.n then
    st.i = i + 1
    return make_match(st.g, st.copy[i], st.src, st.published)
  end
end

-- for m in g:matches(toks [, {overlap = true}]) do ... end
-- Leftmost-longest without overlaps by default; overlap = true gives every
-- occurrence of every alias. An alias of several entities gives one match
-- per entity, same span. The matches are computed when the loop starts;
-- each table is made when the loop reaches it, so a document with millions
-- of mentions holds 24 bytes per match, not a table per match.
function Gaz:matches(toks, opts)
  local copy, n, src = self:match_array(toks, opts, "matches")
  return setmetatable({ g = self, copy = copy, src = src, n = n, i = 0,
                        published = opts and opts.published }, Iter)
end

--- g:match_array(toks [, opts]) -> array, n, text: the matches as the C
-- structs (0-based first, last, start, end and entry), 24 bytes each, for
-- code that keeps them per document without a table per match;
-- g:match_table(array[i], text) makes the match table of one.
function Gaz:match_array(toks, opts, fname)
  local buf, src = self:_match(toks, opts, fname or "match_array")
  local n = tonumber(buf.n)
  -- Copy out: the buffer is reused by the next call on this gazetteer.
  local copy = match_array(n)
  ffi.copy(copy, buf.m, n * match_size)
  local published = opts and opts.published
  if published and self.dated then copy, n = self:_prefer_dated(copy, n, published) end
  return copy, n, src
end

-- Of the matches sharing a span (one alias, several entities), keeps
-- those whose dates cover published when some do.
function Gaz:_prefer_dated(copy, n, published)
  local keep, k, i = match_array(n), 0, 0
  while i < n do
    local j = i
    while j + 1 < n and copy[j + 1].start == copy[i].start and copy[j + 1]["end"] == copy[i]["end"] do
      j = j + 1
    end
    local any = false
    if j > i then
      for x = i, j do
        if covers(self:entry(copy[x].entry).attrs, published) then any = true end
      end
    end
    for x = i, j do
      if not any or covers(self:entry(copy[x].entry).attrs, published) then
        keep[k] = copy[x]
        k = k + 1
      end
    end
    i = j + 1
  end
  return keep, k
end

--- The match table (as g:matches gives it) of one struct of match_array;
-- published (an ISO date) marks anachronisms.
function Gaz:match_table(cm, src, published) return make_match(self, cm, src, published) end

--- Iterates the match tables of an array from match_array.
function Gaz:iterate(copy, n, src, published)
  return setmetatable({ g = self, copy = copy, src = src, n = n, i = 0, published = published }, Iter)
end

-- g:find_all(toks [, opts]) -> array of the same match tables.
function Gaz:find_all(toks, opts)
  local copy, n, src = self:match_array(toks, opts, "find_all")
  local res, published = {}, opts and opts.published
  for k = 0, n - 1 do res[k + 1] = make_match(self, copy[k], src, published) end
  return res
end

-- g:count(toks) -> number of leftmost-longest matches, without building
-- tables (for throughput-minded loops).
function Gaz:count(toks, opts)
  local buf = self:_match(toks, opts, "count")
  return tonumber(buf.n)
end

function Gaz:__tostring()
  local s = self:stats()
  return string.format("gazetteer(%d entr%s, %d entit%s)", s.entries, s.entries == 1 and "y" or "ies",
    s.entities, s.entities == 1 and "y" or "ies")
end

M.Gazetteer = Gaz

return M
