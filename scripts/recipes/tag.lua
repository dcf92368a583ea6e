-- tag: annotate the documents of a store with a gazetteer (layer `entity`)
-- and token patterns (their own layers: quantity, source, hedge, ...),
-- through lector.pipeline. A layer this run writes replaces what earlier
-- recipe runs wrote in it for the same document.
local lector = require "lector"
local P = require "lector.pipeline"
local recipes = require "lector.recipes"
local tty = require "lector.tty"

local R = {
  name = "tag",
  summary = "tag the documents of a store with a gazetteer and token patterns",
  inputs = "",
  description = "The extractors (--extract, all by default) write the layers boilerplate,\n" ..
    "quantity, date, quote, source and hedge (see lector.extract).\n" ..
    "Every gazetteer match becomes an `entity` annotation (label = type,\n" ..
    "entity = canonical key); every pattern match an annotation in the layer and\n" ..
    "with the label its row names, its captures as attributes. Each annotation\n" ..
    "records its sentence number (attrs.sentence, 1-based in the document).\n" ..
    "Works on the current version of each document unless --all-versions; the\n" ..
    "layers it writes replace those earlier recipe runs wrote (annotations from\n" ..
    "scripts and SQL stay).\n" ..
    "\n" ..
    "-j N tags in N processes: N-1 workers (the same lector, in --stream mode,\n" ..
    "the gazetteer compiled once and loaded by each) and this process, which\n" ..
    "writes every annotation and tags documents between the workers' answers.\n" ..
    "--stream tags JSON lines from stdin to stdout instead of a store (for GNU\n" ..
    "parallel, Dask, Spark's pipe, Hadoop Streaming); `ingest` loads the lines\n" ..
    "back with their annotations.",
  options = P.with_options({
    { name = "db", type = "string", input = true,
      help = "the store to tag (fill it with the ingest recipe; required unless --stream)" },
    { name = "gazetteer", type = "string", input = true,
      help = "gazetteer: TSV/CSV (alias, entity[, type, case, ...]) or a compiled one" },
    { name = "patterns", type = "string", input = true,
      help = "patterns TSV with columns layer, label, pattern (# comments)" },
    { name = "fuzzy", type = "boolean", default = false,
      help = "transliteration-aware matching too (scripts/lexicons/translit.tsv): Dayr az-Zawr finds Deir ez-Zor" },
    { name = "hyphens", type = "choice", choices = { "loose", "strict" }, default = "loose",
      help = "strict: ez-Zor and ez Zor differ" },
    { name = "extract", type = "list", default = { "all" },
      help = "extractors to run: boilerplate,quantities,dates,quotes,sources,hedges, all or none" },
    { name = "lexicons", type = "string",
      help = "a directory of lexicon TSVs adding to (or, with a first line #replace, replacing) the shipped ones" },
    { name = "skip-bad", type = "boolean", default = false,
      help = "skip bad gazetteer and pattern rows and documents that cannot be tagged (counted on stderr)" },
    { name = "read-db", type = "string",
      help = "with --stream: each input line is {\"id\": N}, a document of this store (how -j N workers read)" },
    { name = "quiet", type = "boolean", default = false,
      help = "no warnings about skipped rows and gazetteer types (workers of -j N)" },
  }, "filters", "jobs", "stream", "progress"),
}

local plural = recipes.count

local function provenance_of(opts)
  local provenance = {}
  for k, v in pairs(opts) do provenance[k] = v end
  -- How it ran is not what it did: -j and the streaming switches leave
  -- the annotations as they are.
  for _, k in ipairs { "jobs", "stream", "text", "prepared", "progress", "quiet", "read-db" } do provenance[k] = nil end
  provenance.gazetteer_sha256 = P.file_sha256(opts.gazetteer)
  provenance.patterns_sha256 = P.file_sha256(opts.patterns)
  return provenance
end

-- --stream: JSON lines in, the same with annotations out.
local function stream(opts, g, stages, layers)
  local skipped = 0
  local function on_skip(where, why)
    skipped = skipped + 1
    io.stderr:write("lector: tag: skipped ", where, ": ", why, "\n")
  end
  -- A -j N worker (--read-db) writes only what the writer stores: the
  -- annotations, by layer, in the form db:annotate_json reads in C.
  local sink = opts["read-db"] and P.writer_sink(io.stdout)
    or P.jsonl_sink(io.stdout, { text = opts.text, flush = true, run = P.run_info("tag", provenance_of(opts), layers) })
  local function on_error(doc, err)
    local where = doc.where or (doc.id and string.format("document %d (%s)", doc.id, doc.uri)) or doc.uri
    local msg = string.format("%s: %s", where, recipes.message(err))
    if not opts["skip-bad"] then error(msg, 0) end
    if not opts["read-db"] then
      on_skip(where, recipes.message(err))
      return true
    end
    -- A -j N worker says it as tag -j 1 does and goes on (exit 0: the
    -- writer counts what was skipped); the writer waits for an answer to
    -- every id it sent.
    io.stderr:write("lector: skipped ", tty.escape_message(msg), "\n")
    io.stdout:write(string.format('{"id":%d,"skipped":true}\n', doc.id))
    return true
  end
  local read_db
  if opts["read-db"] then
    local ok, db = pcall(lector.store.open, opts["read-db"])
    if not ok then recipes.fail(db) end
    read_db = db
  end
  local docs, at_hand = P.stream_documents({ prepared = opts.prepared, read_db = read_db }, on_skip)
  -- A -j N worker tokenizes up to 64 documents ahead, as tag -j 1 does,
  -- of those it has been sent (it answers the ones it has before it
  -- waits for more).
  local ok, err = pcall(P.run, { documents = docs, gazetteer = g,
                                 stages = stages, sink = sink, progress = opts.progress,
                                 label = "tag", on_error = on_error,
                                 ahead = read_db and 64 or nil, more = at_hand })
  io.stdout:flush()
  -- A -j N worker's writer sees its output end now, not once it has
  -- freed what it loaded.
  if ok and read_db then ok, err = pcall(require("lector.proc").end_output) end
  if read_db then read_db:close() end
  if not ok then recipes.fail(err) end
  return skipped > 0 and 1 or 0
end

function R.run(opts, inputs)
  if #inputs > 0 then
    recipes.fail("tag takes no inputs: it tags the documents already in --db (add them with the ingest recipe)", 2)
  end
  local xok, xlist = pcall(P.extractor_list, opts.extract)
  if not xok then recipes.fail("option --extract: " .. xlist, 2) end
  if not opts.gazetteer and not opts.patterns and #xlist == 0 then
    recipes.fail("tag needs --gazetteer, --patterns or extractors (--extract)", 2)
  end
  if opts.stream and opts.db then recipes.fail("tag: --stream writes JSON lines, not a store: leave out --db", 2) end
  if not opts.stream and not opts.db then recipes.fail("recipe tag needs --db (the store to tag) or --stream", 2) end
  local db
  if not opts.stream then
    local ok
    ok, db = pcall(lector.store.open, opts.db)
    if not ok then recipes.fail(db) end
  end
  local g
  if opts.gazetteer then
    local gok
    gok, g = pcall(lector.gazetteer.load, opts.gazetteer, { hyphens = opts.hyphens, skip_bad = opts["skip-bad"],
      fuzzy = opts.fuzzy and "translit" or nil })
    if not gok then recipes.fail(g) end
    if g.skipped > 0 and not opts.quiet then
      io.stderr:write(string.format("lector: skipped %s (first: %s)\n",
        plural(g.skipped, "bad gazetteer line"), g.first_skip))
    end
  end
  local pats = {}
  if opts.patterns then
    local pok
    pok, pats = pcall(P.load_patterns, opts.patterns, g, { skip_bad = opts["skip-bad"] })
    -- load_patterns compiles through lector.pattern: a library caller, so a
    -- position may be in front
    if not pok then recipes.fail(pats) end
    if pats.skipped > 0 and not opts.quiet then
      io.stderr:write(string.format("lector: skipped %s (first: %s)\n",
        plural(pats.skipped, "bad pattern row"), pats.problems[1]))
    end
  end

  if not opts.quiet then
    for _, w in ipairs(P.type_warnings(g, pats)) do io.stderr:write("lector: warning: ", w, "\n") end
  end

  local stages, layers = {}, {}
  local function use(stage, names)
    stages[#stages + 1] = stage
    for _, l in ipairs(names) do layers[#layers + 1] = l end
  end
  if g then use(P.entities()) end
  if #xlist > 0 then use(P.extractors(xlist, { lexicons = opts.lexicons })) end
  if #pats > 0 then use(P.patterns(pats)) end

  if opts.stream then return stream(opts, g, stages, layers) end

  local jobs = P.jobs(opts.jobs)
  -- -j N: the workers start first and load while this process reads the
  -- ids (they wait for their first id).
  local pool, pool_err, cleanup = nil, nil, function() end
  if jobs > 1 then
    -- Workers load the compiled gazetteer instead of compiling it each.
    local args = { "--no-text", "--quiet", "--hyphens", opts.hyphens, "--read-db", opts.db }
    if g then
      local path
      path, cleanup = P.compiled_gazetteer(g, opts.gazetteer)
      args[#args + 1] = "--gazetteer"
      args[#args + 1] = path
    end
    if opts.patterns then
      args[#args + 1] = "--patterns"
      args[#args + 1] = opts.patterns
    end
    if opts["skip-bad"] then args[#args + 1] = "--skip-bad" end
    -- the workers run the same stages
    args[#args + 1] = "--extract"
    args[#args + 1] = #xlist > 0 and table.concat(xlist, ",") or "none"
    if opts.lexicons then
      args[#args + 1] = "--lexicons"
      args[#args + 1] = opts.lexicons
    end
    if opts.fuzzy then args[#args + 1] = "--fuzzy" end
    -- This process is the N-th: it tags between its workers' answers.
    local sok, started = pcall(require("lector.proc").pool, P.worker_argv("tag", args), jobs - 1)
    -- one that cannot start fails the run (below), as a worker that fails does
    if sok then pool = started else pool_err = started end
  end
  local function stop_workers()
    if pool then pool:close() end
    pool = nil
    cleanup()
  end
  local docs, run
  local sok, serr = pcall(function()
    docs = P.from_store(db, { doc = opts.doc, outlet = opts.outlet, since = opts.since,
                              ["until"] = opts["until"], all_versions = opts["all-versions"],
                              lengths = jobs > 1 })
    -- a store of one document is tagged here
    if docs.count <= 1 then
      stop_workers()
      pool_err = nil
    end
    run = db:begin_run("tag", provenance_of(opts), { recipe = true })
  end)
  if not sok then
    stop_workers()
    error(serr, 0)
  end
  local skipped = 0
  local totals
  local rok, err
  if pool_err then
    rok, err = false, pool_err
    stop_workers()
  elseif pool then
    local received
    rok, err = pcall(function()
      local tag = P.local_tagger { db = db, gazetteer = g, stages = stages, skip_bad = opts["skip-bad"] }
      totals, received = P.run_parallel { docs = docs, pool = pool, db = db, run = run, layers = layers,
                                          progress = opts.progress, label = "tag", tag = tag }
    end)
    stop_workers()
    if rok then skipped = docs.count - received end
  else
    local sink = P.store_sink(db, run, layers)
    totals = sink.totals
    local function on_error(doc, err_)
      local msg = string.format("document %d (%s): %s", doc.id, doc.uri, recipes.message(err_))
      if not opts["skip-bad"] then error(msg, 0) end
      skipped = skipped + 1
      io.stderr:write("lector: skipped ", tty.escape_message(msg), "\n")
      return true
    end
    -- No savepoint a document: the stages write nothing to the store.
    -- 64 documents read and tokenized at a time (pipeline.run's ahead).
    rok, err = pcall(P.run, { documents = docs, gazetteer = g, stages = stages, sink = sink,
                              savepoints = false, ahead = 64, db = db, progress = opts.progress,
                              label = "tag", on_error = on_error })
  end
  if not rok then
    run:finish("failed")
    db:close()
    if type(err) == "table" then error(err, 0) end
    recipes.fail(err)
  end
  run:finish(skipped > 0 and "ok, with skipped documents" or "ok")
  table.sort(layers)
  local parts = {}
  for _, l in ipairs(layers) do parts[#parts + 1] = string.format("%d %s", totals[l] or 0, l) end
  io.stdout:write(string.format("tag: %s -> %s (%s)\n", recipes.count(docs.count - skipped, "document"), opts.db,
    docs.count > 0 and #parts > 0 and table.concat(parts, ", ") or "nothing found"))
  db:close()
  return skipped > 0 and 1 or 0
end

return R
