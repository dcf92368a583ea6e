-- lector.context: one document as every stage of a pipeline sees it. The
-- tokens, sentences and gazetteer matches are computed once, on first use,
-- and shared by every stage (patterns, extractors, sinks), so a stage never
-- tokenizes or matches the document again.
--
--   local ctx = lector.context.new({ text = s, published = "2017-02-06" },
--                                  { gazetteer = g })
--   for _, m in ipairs(ctx.matches) do print(m.entity, m.start, m.stop) end
--   ctx:add("quantity", { start = 1, stop = 5, label = "count", attrs = { value = 60 } })
--
-- Fields (computed when first read):
--   doc          the document table given to new() (id, uri, title, outlet,
--                published as ISO 8601, meta ...)
--   text         its text
--   published    doc.published (ISO 8601 or nil)
--   tokens       lector.tokenize(text)
--   sentences    tokens:sentences(): {first=, last=, start=, stop=} each
--   sentence_of  token index -> sentence number (1-based)
--   matches      gazetteer matches, leftmost-longest, in text order (an
--                empty array without a gazetteer); ctx:each_match() and
--                ctx:entity_of(first, last) read them without a table each
--   match_of     token index -> the match covering that token (the
--                table is made on the first lookup of a token of that
--                match: look tokens up, iterate matches instead)
--   layers       layer name -> array of the spans stages added so far
-- Spans are {start=, stop=} (1-based inclusive bytes, as tokens give them),
-- with optional label, entity and attrs (a table): the shape db:annotate,
-- the JSON-lines writer and every extractor share.
local check = require "lector.check"
local token = require "lector.token"

local M = {}

local Ctx = {}

local lazy = {}

-- raw_matches.of of a document without matches (never written)
local NO_MATCH = {}

function lazy.text(c) return c.doc.text end
function lazy.published(c) return c.doc.published end
function lazy.tokens(c) return token.tokenize(c.text) end

-- The sentences as 8-byte structs (tokens:sentence_array): {array =, n =}.
function lazy.raw_sentences(c)
  local a, n = c.tokens:sentence_array()
  return { array = a, n = n }
end

-- What tokens:sentences() gives, made from raw_sentences: the sentence
-- pass runs once a document, however many stages read either.
function lazy.sentences(c)
  local raw = c.raw_sentences
  return token.sentence_tables(c.tokens, raw.array, raw.n)
end

-- From the sentence structs, in a numeric loop (no table per sentence):
-- three extractors read it, and the tables cost a tenth of their time.
function lazy.sentence_of(c)
  local raw = c.raw_sentences
  local a = raw.array
  local of = {}
  for si = 0, raw.n - 1 do
    local s = a[si]
    for i = s.first + 1, s.last + 1 do of[i] = si + 1 end
  end
  return of
end

-- The gazetteer's matches as 24-byte structs (gazetteer:match_array):
-- {array =, n =, text =}. Stages that stream (the entity layer) read
-- these, so a huge document never holds a table per mention.
function lazy.raw_matches(c)
  local g = c.gazetteer
  if not g then return { n = 0, of = NO_MATCH, tabs = {} } end
  local opts, pub = c.match_opts, c.doc.published
  if pub and g.dated then -- dated aliases: prefer the entity of the document's time
    opts = { overlap = opts and opts.overlap, published = pub }
  end
  local a, n, src = g:match_array(c.tokens, opts)
  -- of: token index -> the number of the first match covering it (the
  -- last write wins, so the matches go backwards), made here, where every
  -- document passes once, and not inside an extractor's trace (a loop of
  -- a few turns in the middle of a long trace left a side exit whose
  -- trace LuaJIT failed to compile again and again: "register coalescing
  -- too complex"); tabs: match number -> its table, made when asked.
  local of = NO_MATCH
  if n > 0 then
    of = {}
    for k = n - 1, 0, -1 do
      local m = a[k]
      for i = m.first + 1, m.last + 1 do of[i] = k + 1 end
    end
  end
  return { array = a, n = n, text = src, published = pub, of = of, tabs = {} }
end

-- The overlapping matches, as patterns' @TYPE reads them: one gazetteer
-- pass for every pattern of the document (gazetteer:overlap_buffer).
function lazy.overlap_buffer(c)
  return c.gazetteer and c.gazetteer:overlap_buffer(c.tokens) or nil
end

-- The table of match number k of raw (1-based), made once: matches and
-- match_of hand out the same tables.
local function match_k(c, raw, k)
  local t = raw.tabs[k]
  if t == nil then
    t = c.gazetteer:match_table(raw.array[k - 1], raw.text, raw.published)
    raw.tabs[k] = t
  end
  return t
end

function lazy.matches(c)
  local raw = c.raw_matches
  local out = {}
  for k = 1, raw.n do out[k] = match_k(c, raw, k) end
  return out
end

-- match_of: token index -> its match table, made on the first lookup of
-- a token inside the match (raw_matches.of says which), so reading it
-- costs no loop over the matches and no table for a match nobody asks
-- about. The context of each match_of table: weak both ways, so neither
-- keeps the other alive.
local owner = setmetatable({}, { __mode = "kv" })
local MatchOf = {}
function MatchOf.__index(t, i)
  local c = owner[t]
  local raw = c.raw_matches
  local k = raw.of[i]
  if k == nil then return nil end
  local m = match_k(c, raw, k)
  rawset(t, i, m)
  return m
end

function lazy.match_of(c)
  local t = setmetatable({}, MatchOf)
  owner[t] = c
  return t
end

function lazy.layers() return {} end

Ctx.__index = function(c, k)
  local method = Ctx[k]
  if method ~= nil then return method end
  local make = lazy[k]
  if make == nil then return nil end
  local v = make(c)
  rawset(c, k, v)
  return v
end

function Ctx.__tostring(c)
  return string.format("context(%s, %d bytes)", tostring(c.doc.uri or c.doc.id or "?"), #c.text)
end

--- The number of the sentence holding byte position pos (1-based), or nil.
-- hint: a sentence number near pos (say the last call's answer): tried
-- first, then the one after it, before the binary search, so that
-- positions asked in text order cost one or two tests each.
function Ctx:sentence_at(pos, hint)
  local raw, tok = self.raw_sentences, self.tokens.t.tok
  local a, lo, hi = raw.array, 0, raw.n - 1
  pos = pos - 1
  if hint and hint >= 1 and hint <= raw.n then
    local s = a[hint - 1]
    if pos >= tok[s.first].start then
      if pos < tok[s.last]["end"] then return hint end
      if hint < raw.n then
        s = a[hint]
        if pos >= tok[s.first].start and pos < tok[s.last]["end"] then return hint + 1 end
      end
      lo = hint -- not in the hinted sentence, nor before it
    end
  end
  while lo <= hi do
    local mid = math.floor((lo + hi) / 2)
    local s = a[mid]
    if pos < tok[s.first].start then hi = mid - 1
    elseif pos >= tok[s.last]["end"] then lo = mid + 1
    else return mid + 1 end
  end
  return nil
end

--- The number of the sentence holding token i (1-based), or nil.
function Ctx:sentence_of_token(i)
  local raw = self.raw_sentences
  local a, lo, hi = raw.array, 0, raw.n - 1
  i = i - 1
  while lo <= hi do
    local mid = math.floor((lo + hi) / 2)
    local s = a[mid]
    if i < s.first then hi = mid - 1
    elseif i > s.last then lo = mid + 1
    else return mid + 1 end
  end
  return nil
end

--- Iterates the gazetteer matches in text order, a table for the one in
-- hand only (until ctx.matches is read, when it iterates that).
function Ctx:each_match()
  local ms = rawget(self, "matches")
  if ms then
    local i = 0
    return function()
      i = i + 1
      return ms[i]
    end
  end
  local raw = self.raw_matches
  if raw.n == 0 then return function() return nil end end
  return self.gazetteer:iterate(raw.array, raw.n, raw.text, raw.published)
end

--- The entity of the gazetteer match that spans exactly tokens first..last
-- (1-based), or nil: a binary search over the matches, no table made.
function Ctx:entity_of(first, last)
  local raw = self.raw_matches
  local a, lo, hi = raw.array, 0, raw.n - 1
  first, last = first - 1, last - 1
  while lo <= hi do
    local mid = math.floor((lo + hi) / 2)
    local f = a[mid].first
    if f < first then lo = mid + 1
    elseif f > first then hi = mid - 1
    else
      while mid > 0 and a[mid - 1].first == first do mid = mid - 1 end
      if a[mid].last == last then return self.gazetteer:entry(a[mid].entry).entity end
      return nil
    end
  end
  return nil
end

--- Records span in layer (so later stages can see it) and returns it.
function Ctx:add(layer, span)
  if type(layer) ~= "string" or layer == "" then
    check.argerr(1, "add", "non-empty string", layer)
  end
  if type(span) ~= "table" or type(span.start) ~= "number" or type(span.stop) ~= "number" then
    check.argmsg(2, "add", "span {start=, stop=} expected")
  end
  local spans = self.layers[layer]
  if not spans then
    spans = {}
    self.layers[layer] = spans
  end
  spans[#spans + 1] = span
  return span
end

--- The spans stages added to layer so far (an empty array when none).
function Ctx:spans(layer)
  return self.layers[layer] or {}
end

-- (made once: a closure made in each call stops LuaJIT's traces)
local function by_start(x, y) return x.start < y.start end

-- The boilerplate spans as disjoint sorted intervals (starts, stops),
-- made again when the layer has grown.
local function boiler_index(c, bp)
  local idx = rawget(c, "_boiler")
  if idx and idx.count == #bp then return idx end
  local order = {}
  for i = 1, #bp do order[i] = bp[i] end
  table.sort(order, by_start)
  local starts, stops = {}, {}
  for _, b in ipairs(order) do
    local k = #starts
    if k > 0 and b.start <= stops[k] + 1 then
      if b.stop > stops[k] then stops[k] = b.stop end
    else
      starts[k + 1], stops[k + 1] = b.start, b.stop
    end
  end
  idx = { count = #bp, starts = starts, stops = stops }
  rawset(c, "_boiler", idx)
  return idx
end

--- True when [start, stop] overlaps a span of the `boilerplate` layer:
-- extractors skip web debris. A binary search over the merged spans.
function Ctx:in_boilerplate(start, stop)
  local bp = self.layers.boilerplate
  if not bp or #bp == 0 then return false end
  local idx = boiler_index(self, bp)
  local starts, stops = idx.starts, idx.stops
  -- the last interval starting at or before stop
  local lo, hi = 1, #starts
  while lo <= hi do
    local mid = math.floor((lo + hi) / 2)
    if starts[mid] <= stop then lo = mid + 1 else hi = mid - 1 end
  end
  return hi >= 1 and stops[hi] >= start
end

--- Frees the token array now rather than at the next collection.
function Ctx:release()
  local t = rawget(self, "tokens")
  if t then t:release() end
  rawset(self, "tokens", nil)
end

-- lector.gazetteer's metatable, required on first use (a context without
-- a gazetteer never loads the module), then kept: new() runs per document.
local Gazetteer
local function gazetteer_mt()
  Gazetteer = Gazetteer or require("lector.gazetteer").Gazetteer
  return Gazetteer
end

--- lector.context.new(doc [, opts]): doc is a document table (at least
-- {text = ...}) or a string; opts.gazetteer gives the matches,
-- opts.overlap = true asks the gazetteer for overlapping matches.
function M.new(doc, opts)
  if type(doc) == "string" then doc = { text = doc } end
  if type(doc) ~= "table" or type(doc.text) ~= "string" then
    check.argmsg(1, "new", "document table with a text string expected, got " .. type(doc))
  end
  if opts ~= nil and type(opts) ~= "table" then
    check.argerr(2, "new", "table", opts)
  end
  opts = opts or {}
  local g = opts.gazetteer
  if g ~= nil and (type(g) ~= "table" or getmetatable(g) ~= gazetteer_mt()) then
    check.argmsg(2, "new", "gazetteer must be a lector.gazetteer, got " .. type(g))
  end
  return setmetatable({ doc = doc, gazetteer = g,
                        match_opts = opts.overlap and { overlap = true } or nil }, Ctx)
end

--- True when v is a context.
function M.is(v) return getmetatable(v) == Ctx end

M.Context = Ctx

return M
