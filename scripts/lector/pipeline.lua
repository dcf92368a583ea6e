-- lector.pipeline: the one document pipeline that recipes and analysts'
-- scripts share. Documents come in (a store's current documents, files,
-- directories, HTML, JSON lines), each becomes one context (tokens,
-- sentences, gazetteer matches computed once: lector.context), stages add
-- annotations to it, and a sink writes them (the store, JSON lines, CSV).
--
--   local P = lector.pipeline
--   local db = lector.store.open("corpus.db")
--   local g = lector.gazetteer.load("places.tsv")
--   local n = P.run {
--     documents = P.from_store(db, { since = "2017-01-01" }),
--     gazetteer = g,
--     stages = { P.entities(), P.patterns(P.load_patterns("patterns.tsv", g)) },
--     sink = P.store_sink(db, db:begin_run("my-tagging", {}, { recipe = true })),
--   }
--
-- A stage is a function(ctx, emit): emit(layer, span) hands a span to the
-- sink (and to ctx.layers when a later stage reads that layer;
-- emit(layer, span, true) when the stage put it in ctx.layers itself). Spans are
-- {start=, stop=} (1-based inclusive bytes) with label, entity and attrs.
--
-- The parts live in lector.pipeline.sources (documents in),
-- lector.pipeline.stages (entities, patterns, extractors),
-- lector.pipeline.sinks (store, JSON lines, CSV) and
-- lector.pipeline.workers (streaming, -j N); this module holds the option
-- groups and the runner, and gives all of them as one table.
local check = require "lector.check"
local context = require "lector.context"
local fs = require "lector.fs"
local store = require "lector.store"
local progress = require "lector.progress"
local profile = require "lector.profile"

local M = {}

for _, part in ipairs { "sources", "stages", "sinks", "workers" } do
  for k, v in pairs(require("lector.pipeline." .. part)) do M[k] = v end
end

---------------------------------------------------------------------------
-- option declarations recipes share

M.options = {
  -- which documents of a store
  filters = {
    { name = "doc", type = "list", help = "only these documents (ids or uris; repeat or comma-separate)" },
    { name = "outlet", type = "string", help = "only documents of this outlet" },
    { name = "since", type = "string", help = "only documents published on or after this date (ISO 8601)" },
    { name = "until", type = "string", help = "only documents published before this date (ISO 8601)" },
    { name = "all-versions", type = "boolean", default = false,
      help = "every stored version of a changed document, not only the current one" },
  },
  -- how files are read
  reading = {
    { name = "repair", type = "boolean", default = false,
      help = "replace invalid UTF-8 with U+FFFD (recorded in meta.utf8_repairs) instead of skipping" },
    { name = "jsonl", type = "boolean", default = false, help = "read every input file as JSON lines" },
    { name = "all-files", type = "boolean", default = false,
      help = "take every file in a directory, not only text, JSON-lines and HTML files" },
    { name = "raw", type = "boolean", default = false,
      help = "store texts as they are, without pulling title/author/date from news headers" },
    { name = "keep-html", type = "boolean", default = false,
      help = "keep an HTML input's markup in meta.html" },
    { name = "follow-symlinks", type = "boolean", default = false,
      help = "follow symbolic links that lead out of a directory input (skipped by default)" },
    { name = "special-files", type = "boolean", default = false,
      help = "read a FIFO or device named as an input (only regular files and - by default)" },
  },
  progress = {
    { name = "progress", type = "choice", choices = { "auto", "always", "never" }, default = "auto",
      help = "a progress bar on stderr (auto: when stderr is a terminal)" },
  },
  -- -j N: worker processes
  jobs = {
    { name = "jobs", short = "j", type = "integer", default = 1, max = 64,
      help = "worker processes that tokenize, match and extract (0: one per core); one writer" },
  },
  -- --stream: JSON lines in, JSON lines out, no store
  stream = {
    { name = "stream", type = "boolean", default = false,
      help = "documents as JSON lines on stdin, the same documents with their annotations " ..
        "as JSON lines on stdout; no store" },
    { name = "text", type = "boolean", default = true,
      help = "with --stream: each output line carries the text (--no-text: only fields and annotations)" },
    { name = "prepared", type = "boolean", default = false,
      help = "with --stream: texts and fields as a store holds them (no HTML, news header or date handling)" },
  },
}

--- The option declarations of the named groups after the recipe's own:
-- M.with_options(own, "filters", "progress").
function M.with_options(own, ...)
  local out = {}
  for _, o in ipairs(own) do out[#out + 1] = o end
  for i = 1, select("#", ...) do
    local group = M.options[select(i, ...)]
    if not group then error("with_options: no option group " .. tostring(select(i, ...)), 2) end
    for _, o in ipairs(group) do out[#out + 1] = o end
  end
  return out
end

---------------------------------------------------------------------------
-- running

-- Inside the store sink, the parts lector.store times itself.
local store_parts = { "json", "sqlite.annotate", "sqlite.clear" }

-- M.process with LECTOR_PROFILE: the context's tokens, sentences and
-- matches are made up front (every tag stage reads them) so that each
-- is timed as such, then each stage and the sink.
-- (module-level readers, not a closure a document: the profiled loop
-- should cost what the plain one does)
local function read_tokens(ctx) return ctx.tokens end
local function read_sentences(ctx) return ctx.raw_sentences end
local function read_matches(ctx) return ctx.raw_matches end

local function profiled(ctx, stages, sink, emit)
  if sink then profile.time_outer("sink", store_parts, sink.begin, ctx.doc) end
  profile.time("tokenize", read_tokens, ctx)
  profile.time("sentences", read_sentences, ctx)
  if ctx.gazetteer then profile.time("match", read_matches, ctx) end
  for _, stage in ipairs(stages) do
    local part = profile.part_of(stage)
    if part then
      profile.time_outer(part, store_parts, stage, ctx, emit)
    else
      -- the extractors time themselves (extract.NAME, extract.spans)
      stage(ctx, emit)
    end
    if #ctx.text > 4e6 then collectgarbage() end
  end
  if sink then profile.time_outer("sink", store_parts, sink.finish) end
  return ctx
end

-- The stages over ctx, what they emit going to emit (see M.process).
local function run_stages(ctx, stages, sink, emit)
  if profile.on then return profiled(ctx, stages, sink, emit) end
  if sink then sink.begin(ctx.doc) end
  -- A big document's stages leave tens of MB of tables behind each: a
  -- full collection between them keeps the peak near what is alive, and
  -- costs little beside the work on such a document.
  local big = #ctx.text > 4e6
  for _, stage in ipairs(stages) do
    stage(ctx, emit)
    if big then collectgarbage() end
  end
  if sink then sink.finish() end
  return ctx
end

-- emit(layer, span, in_ctx) for the context cur() returns: adds the span
-- to it (unless in_ctx, or keep leaves the layer out) and hands it to sink.
local function emitter(cur, keep, sink)
  return function(layer, span, in_ctx)
    if not in_ctx and (keep == nil or keep[layer]) then cur():add(layer, span) end
    if sink then sink.emit(layer, span) end
  end
end

--- Runs stages over one document (a table with text, or a context) and
-- hands what they emit to sink. Returns the context.
function M.process(doc, stages, sink, opts)
  local ctx = context.is(doc) and doc or context.new(doc, opts)
  return run_stages(ctx, stages, sink, emitter(function() return ctx end, opts and opts.keep, sink))
end

-- Forces a context's tokens, sentences and matches (a failure is left
-- for the stage that reads them to raise, inside its document), each
-- timed as such with LECTOR_PROFILE.
local function force(ctx, k)
  local _ = ctx[k]
end

local function prepare(ctx)
  force(ctx, "tokens")
  force(ctx, "raw_sentences")
  if ctx.gazetteer then force(ctx, "raw_matches") end
end

local function prepare_timed(ctx)
  profile.time("tokenize", pcall, force, ctx, "tokens")
  profile.time("sentences", pcall, force, ctx, "raw_sentences")
  if ctx.gazetteer then profile.time("match", pcall, force, ctx, "raw_matches") end
end

-- The iterator docs read k documents at a time (2 MB of text at most),
-- their contexts made and tokenized (sentences, matches) one after
-- another into made (document -> context): the tokenizer's tables (an
-- 8 MB surface cache, the intern table) and the gazetteer's then stay in
-- the CPU's caches for the k, where between two documents the stages had
-- pushed them out (tokenizing inside tag took twice what it takes alone;
-- with k = 64, read + tokenize + sentences + match 0.56 -> 0.43 s on the
-- job bench). The stages see the same tokens (only the norm ids of words
-- new to the tokenizer may come in another order, which no result reads).
local AHEAD_BYTES = 2e6 -- and at most this much text
local function read_ahead(docs, k, made, ctx_opts, more)
  local queue, at, n = {}, 1, 0
  return function()
    if at > n then
      n, at = 0, 1
      local bytes = 0
      for i = 1, k do
        if i > 1 and more and not more() then break end
        local doc = docs()
        if doc == nil then break end
        queue[i], n = doc, i
        bytes = bytes + #doc.text
        if bytes >= AHEAD_BYTES then break end
      end
      if n == 0 then return nil end
      for i = 1, n do
        local doc = queue[i]
        if not context.is(doc) then
          local ctx = context.new(doc, ctx_opts)
          made[doc] = ctx
          if profile.on then prepare_timed(ctx) else pcall(prepare, ctx) end
        end
      end
    end
    local doc = queue[at]
    queue[at], at = nil, at + 1
    return doc
  end
end

-- While documents flow the collector waits for the heap to grow fourfold
-- (LuaJIT's default: twofold) before its next cycle: each cycle marks
-- what the run keeps (the extractors' lexicons, the gazetteer: tens of
-- MB) however little a document leaves behind. On the job bench (tag
-- --extract all, 35 MB) that is half the cycles and ~0.1 s of 2.7-3 s,
-- for a peak 60 MB higher (136 -> 199 MB), which stays flat with the
-- corpus's size (tests/bench/RESULTS.md, job5).
local RUN_GC_PAUSE = 400

-- The documents of M.run through one(doc), in the store's groups with
-- spec.db.
local function drive(spec, docs, one)
  local db, sink = spec.db, spec.sink
  if db and sink and sink.flush_group then
    sink.grouped, sink.guard = true, spec.savepoints == false and spec.on_error ~= nil
    -- One long write: the groups' annotations go in as one bulk load.
    local ok, err = pcall(db.long_write, db, require("lector.recipes").in_groups, db, docs, one,
      { before_commit = sink.flush_group })
    sink.grouped, sink.guard = false, false
    if not ok then error(err, 0) end
  elseif db then
    require("lector.recipes").in_groups(db, docs, one)
  else
    for doc in docs do one(doc) end
  end
end

--- Runs a pipeline: spec.documents (an iterator of documents, or the
-- table M.from_store returns), spec.stages, spec.sink, spec.gazetteer;
-- spec.db groups the documents into transactions of that store
-- (lector.recipes.in_groups); spec.progress ("auto", "always", "never")
-- draws a bar; spec.on_error(doc, err) decides about a document that fails
-- (return true to go on; default: raise): with spec.db, inside a savepoint
-- of its own, so that it leaves nothing behind, unless spec.savepoints is
-- false (the stages write nothing to the store themselves, as tag's do:
-- the store sink then undoes a failed document's writes itself, and the
-- savepoint a document, a tenth of a second on tag's bench corpus, is
-- saved). spec.ahead = k: documents are read k at a time and tokenized
-- (sentences and gazetteer matches found) together before their stages
-- run: for stages that read the tokens, as tag's do (see read_ahead);
-- spec.more(), when given, says whether another document can be read
-- without waiting (a -j N worker's input): when not, fewer than k go.
-- Returns the number of documents.
function M.run(spec)
  if type(spec) ~= "table" then check.argerr(1, "run", "table", spec) end
  local docs = spec.documents
  local count
  if type(docs) == "table" then
    count = docs.count
    docs = docs.each
  end
  if type(docs) ~= "function" then check.argmsg(1, "run", "field 'documents': iterator expected") end
  local stages = spec.stages or {}
  local bar = progress.new { mode = spec.progress or "never", docs = count, label = spec.label }
  local ctx_opts = { gazetteer = spec.gazetteer, overlap = spec.overlap, keep = spec.keep or {} }
  local n = 0
  local db = spec.db
  -- One emit for the whole run, not a closure a document (a closure made
  -- in the loop stops LuaJIT compiling it).
  local cur
  local emit = emitter(function() return cur end, ctx_opts.keep, spec.sink)
  -- spec.ahead: the contexts made ahead (see read_ahead), by document.
  local made = {}
  local function process(doc)
    local ctx = made[doc]
    if ctx then made[doc] = nil else ctx = context.is(doc) and doc or context.new(doc, ctx_opts) end
    cur = ctx
    run_stages(ctx, stages, spec.sink, emit)
    -- The context is the run's: its token array goes back to the
    -- tokenizer now, not when the collector finds it (C memory it does
    -- not see, and with a big gazetteer loaded, faulting in fresh pages
    -- for every document costs more than the tokenizing).
    if ctx ~= doc then ctx:release() end
    cur = nil
  end
  local function one(doc)
    local ok, err
    if db and spec.on_error and spec.savepoints ~= false then
      -- A savepoint a document: one that fails leaves nothing behind.
      ok, err = pcall(db.transaction, db, process, doc)
    else
      ok, err = pcall(process, doc)
    end
    if not ok then
      if spec.sink and spec.sink.abort then spec.sink.abort() end
      if not (spec.on_error and spec.on_error(doc, err)) then error(err, 0) end
    end
    n = n + 1
    bar:step(#doc.text)
  end
  if profile.on then
    local each = docs
    docs = function() return profile.time("read", each) end
  end
  if spec.ahead and spec.ahead > 1 then docs = read_ahead(docs, spec.ahead, made, ctx_opts, spec.more) end
  local pause = collectgarbage("setpause", RUN_GC_PAUSE)
  local ok, err = pcall(drive, spec, docs, one)
  collectgarbage("setpause", pause)
  if not ok then error(err, 0) end
  bar:done()
  if profile.on then profile.report() end
  return n
end

--- The SHA-256 of a file's bytes (run provenance), or nil.
function M.file_sha256(path)
  local s = path and fs.read(path)
  return s and store.sha256(s) or nil
end

return M

