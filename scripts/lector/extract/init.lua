-- lector.extract: the extractors (issue 19). Each is
-- extract.NAME(ctx_or_text [, opts]) -> array of spans, also added to the
-- context under its layer, so later extractors see them. ctx_or_text is
-- a lector.context, a string or a document table; opts.gazetteer (when it
-- is no context), opts.lexicons (a user directory of lexicons).
--
--   local ctx = lector.context.new(doc, { gazetteer = g })
--   local layers = lector.extract.run(ctx, "all")   -- layer -> spans
--
-- Layers and span attrs (spans are {start, stop, label, entity, attrs},
-- 1-based inclusive bytes):
--   boilerplate  label newsletter|comments|related|disclaimer|support|share|
--                url|byline|source|debris|advert|tail; attrs.text
--   quantity     label count|money|percent; attrs value, low, high, approx,
--                qualifier, object, class, event, actor, unit, source,
--                source_entity
--   date         label = granularity; attrs iso, granularity (day, month,
--                year, week, weekend, season, range), relative, anchor
--                (published|dateline|url), time, weekday, season, part,
--                ambiguous, year_from
--   quote        label speech|scare; attrs speaker, speaker_entity, verb,
--                resolved ("pronoun"), pronoun, nested, paragraphs, words,
--                source, source_entity
--   source       label named|anonymous|institution; attrs source, source_entity, text,
--                verb, chain, via, claims
--   hedge        label = category (rumour, unverified, conditional,
--                evidential, distancing, epistemic, loaded); attrs
--                category, neutral, stance
-- Absent attrs are JSON null.
local check = require "lector.check"
local util = require "lector.extract.util"
local lexicon = require "lector.extract.lexicon"
local profile = require "lector.profile"

local M = {}

-- The extractors are many small loops over the token arrays: with
-- LuaJIT's default limits (1000 traces, 512 KB of machine code) a
-- pipeline that also tokenizes, matches and writes fills the trace cache
-- and flushes it again and again, which slows run() down badly
-- (tests/bench/RESULTS.md). These limits only raise the defaults. 4,000
-- traces were too few for `tag` over varied text: 35 MB of mail, speeches
-- and fiction took about 5,200 and flushed the cache two or three times
-- (RESULTS.md, "Extractors and patterns"); machine code is allocated as
-- traces need it, so the higher ceiling costs nothing until used.
-- hotexit (10 by default) is how often a side exit is taken before LuaJIT
-- records a side trace from it; where that trace cannot be compiled it
-- tries again every hotexit exits for the whole run. At 100, `tag` made
-- 2,400 traces instead of 5,400 and spent 7% of its time compiling
-- instead of 9-12%, 3-5% less CPU in one process and more in each -j N
-- worker, which compiles its own (RESULTS.md, "The whole job", fourth
-- session). It must stay under 255: the exit counter is 8 bits, and at
-- 300 a compiled pairs() loop never ended.
if jit and jit.opt then jit.opt.start("maxtrace=16000", "maxmcode=32768", "hotexit=100") end

local mods = {
  boilerplate = "lector.extract.boilerplate",
  quantities = "lector.extract.quantities",
  dates = "lector.extract.dates",
  quotes = "lector.extract.quotes",
  sources = "lector.extract.sources",
  hedges = "lector.extract.hedges",
}

--- The order run() uses: debris first (the others skip it), then what
-- sources link claims to, then sources, then hedges.
M.order = { "boilerplate", "quantities", "dates", "quotes", "sources", "hedges" }

M.layers = { boilerplate = "boilerplate", quantities = "quantity", dates = "date",
  quotes = "quote", sources = "source", hedges = "hedge" }

-- (each module loaded on first use, then called straight: run() calls
-- these for every document)
for name, mod in pairs(mods) do
  local f
  M[name] = function(c, opts)
    f = f or require(mod)[name]
    return f(c, opts)
  end
end

M.hedge_density = function(c, opts) return require("lector.extract.hedges").hedge_density(c, opts) end
M.metadata = function(c, opts)
  return require("lector.extract.metadata").metadata(util.ctx(c, opts, "metadata"))
end
M.simhash = function(c) return require("lector.extract.similarity").simhash(c) end
M.minhash = function(c, k) return require("lector.extract.similarity").minhash(c, k) end
M.similarity = function(a, b) return require("lector.extract.similarity").similarity(a, b) end

--- lexicons_dir(dir): the user directory of lexicons for every later call
-- (nil: back to $LECTOR_LEXICONS). Returns the directory in effect.
function M.lexicons_dir(dir)
  lexicon.set_dir(dir)
  return lexicon.get_dir()
end

--- The rows of a lexicon as the extractors see it (after the merge).
function M.lexicon(name, dir) return lexicon.load(name, dir) end

-- The extractors of names (known ones, in M.order) on ctx, each result
-- under its layer in res.
local function run_names(ctx, names, opts, res)
  for i = 1, #names do
    local n = names[i]
    if profile.on then
      res[M.layers[n]] = profile.time("extract." .. n, M[n], ctx, opts)
    else
      res[M.layers[n]] = M[n](ctx, opts)
      -- A C function LuaJIT does not compile: a trace reaching it ends
      -- here and a new one starts after it ("stitch"), so the side
      -- trace leaving one extractor's loop does not run on into the
      -- next extractor's loops, where LuaJIT failed again and again to
      -- compile side traces off it ("register coalescing too complex").
      collectgarbage("count")
    end
  end
  return res
end

--- run(ctx_or_text, list [, opts]): list is "all", a comma-separated
-- string or an array of extractor names; they run in M.order whatever the
-- list's order. Returns layer -> spans (every run extractor's layer, an
-- empty array when it found nothing) and the context.
function M.run(c, list, opts)
  opts = util.check_opts(opts, "run")
  local ctx = util.ctx(c, opts, "run")
  local want = {}
  if list == nil or list == "all" then
    for _, n in ipairs(M.order) do want[n] = true end
  elseif type(list) == "string" then
    for n in list:gmatch("[^,%s]+") do want[n] = true end
  elseif type(list) == "table" then
    for _, n in ipairs(list) do want[n] = true end
  else
    check.argmsg(2, "run", "\"all\", a list string or an array expected, got " .. type(list))
  end
  for n in pairs(want) do
    if not mods[n] then check.argmsg(2, "run", "no extractor '" .. tostring(n) .. "'") end
  end
  local names = {}
  for _, n in ipairs(M.order) do
    if want[n] then names[#names + 1] = n end
  end
  return run_names(ctx, names, opts, {}), ctx
end

--- The pipeline's stage: names (known extractors, in M.order, checked
-- when the stage was made) on the context ctx, opts a table. What run()
-- does without reading and checking the list again for every document
-- (a table and a pairs() loop a document, which LuaJIT does not compile).
function M._run_names(ctx, names, opts)
  return run_names(ctx, names, opts, {})
end

return M
