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
    "scripts and SQL stay).",
  options = P.with_options({
    { name = "db", type = "string", required = true, input = true,
      help = "the store to tag (fill it with the ingest recipe)" },
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
  }, "filters", "progress"),
}

local clean = recipes.message

local plural = recipes.count

function R.run(opts, inputs)
  if #inputs > 0 then
    recipes.fail("tag takes no inputs: it tags the documents already in --db (add them with the ingest recipe)", 2)
  end
  local xok, xlist = pcall(P.extractor_list, opts.extract)
  if not xok then recipes.fail("option --extract: " .. clean(xlist), 2) end
  if not opts.gazetteer and not opts.patterns and #xlist == 0 then
    recipes.fail("tag needs --gazetteer, --patterns or extractors (--extract)", 2)
  end
  local ok, db = pcall(lector.store.open, opts.db)
  if not ok then recipes.fail(clean(db)) end
  local g
  if opts.gazetteer then
    local gok
    gok, g = pcall(lector.gazetteer.load, opts.gazetteer, { hyphens = opts.hyphens, skip_bad = opts["skip-bad"],
      fuzzy = opts.fuzzy and "translit" or nil })
    if not gok then recipes.fail(clean(g)) end
    if g.skipped > 0 then
      io.stderr:write(string.format("lector: skipped %s (first: %s)\n",
        plural(g.skipped, "bad gazetteer line"), g.first_skip))
    end
  end
  local pats = {}
  if opts.patterns then
    local pok
    pok, pats = pcall(P.load_patterns, opts.patterns, g, { skip_bad = opts["skip-bad"] })
    if not pok then recipes.fail(clean(pats)) end
    if pats.skipped > 0 then
      io.stderr:write(string.format("lector: skipped %s (first: %s)\n",
        plural(pats.skipped, "bad pattern row"), pats.problems[1]))
    end
  end

  for _, w in ipairs(P.type_warnings(g, pats)) do io.stderr:write("lector: warning: ", w, "\n") end

  local stages, layers = {}, {}
  local function use(stage, names)
    stages[#stages + 1] = stage
    for _, l in ipairs(names) do layers[#layers + 1] = l end
  end
  if g then use(P.entities()) end
  if #xlist > 0 then use(P.extractors(xlist, { lexicons = opts.lexicons })) end
  if #pats > 0 then use(P.patterns(pats)) end

  local docs = P.from_store(db, opts)
  local provenance = {}
  for k, v in pairs(opts) do provenance[k] = v end
  provenance.gazetteer_sha256 = P.file_sha256(opts.gazetteer)
  provenance.patterns_sha256 = P.file_sha256(opts.patterns)
  local run = db:begin_run("tag", provenance, { recipe = true })
  local sink = P.store_sink(db, run, layers)
  local skipped = 0
  local function on_error(doc, err)
    local msg = string.format("document %d (%s): %s", doc.id, doc.uri, clean(err))
    if not opts["skip-bad"] then error(msg, 0) end
    skipped = skipped + 1
    io.stderr:write("lector: skipped ", tty.escape_message(msg), "\n")
    return true
  end
  local rok, err = pcall(P.run, { documents = docs, gazetteer = g, stages = stages, sink = sink,
                                  db = db, progress = opts.progress, label = "tag", on_error = on_error })
  if not rok then
    run:finish("failed")
    db:close()
    recipes.fail(clean(err))
  end
  run:finish(skipped > 0 and "ok, with skipped documents" or "ok")
  table.sort(layers)
  local parts = {}
  for _, l in ipairs(layers) do parts[#parts + 1] = string.format("%d %s", sink.totals[l] or 0, l) end
  io.stdout:write(string.format("tag: %s -> %s (%s)\n", recipes.count(docs.count - skipped, "document"), opts.db,
    docs.count > 0 and #parts > 0 and table.concat(parts, ", ") or "nothing found"))
  db:close()
  return skipped > 0 and 1 or 0
end

return R
