-- examples/pipeline.lua: the ingest -> tag job in a few lines of a script,
-- through lector.pipeline, the same library the recipes run on.
--
--   build/lector examples/pipeline.lua [STORE] [FILES|DIRS...]
--
-- Reads the files (text, HTML, JSON lines) as `ingest` does, stores them,
-- tags them with the example gazetteer and patterns as `tag` does, and
-- prints who is mentioned most and the numbers claimed.
local P = lector.pipeline
local path = arg[1] or "build/pipeline.db"
local inputs = { select(2, unpack(arg)) }
if #inputs == 0 then inputs = { "examples/corpus" } end

local db = lector.store.open(path)
local g = lector.gazetteer.load("examples/gazetteer.tsv")
local pats = P.load_patterns("examples/patterns.tsv", g)

-- 1. documents in: every file read as `ingest` reads it.
local ingest = db:begin_run("pipeline.lua ingest", { inputs = inputs }, { recipe = true })
db:transaction(function()
  for d in P.read(inputs, { exclude = { path } }) do
    if d.error then io.stderr:write("skipped ", d.where, ": ", d.error, "\n")
    else P.store_document(db, d, ingest) end
  end
end)
ingest:finish()

-- 2. tag the current documents: entities, the extractors' layers (counts,
-- dates, quotes, sources, hedges, boilerplate) and the pattern layers,
-- each replacing what an earlier run of a recipe wrote there.
local stages, layers = {}, {}
for _, s in ipairs { { P.entities() }, { P.extractors("all") }, { P.patterns(pats) } } do
  stages[#stages + 1] = s[1]
  for _, l in ipairs(s[2]) do layers[#layers + 1] = l end
end
local run = db:begin_run("pipeline.lua tag", {}, { recipe = true })
local sink = P.store_sink(db, run, layers)
local n = P.run { documents = P.from_store(db), gazetteer = g, stages = stages, sink = sink, db = db }
run:finish()

-- 3. what was found, from the same summary the report recipe prints.
local s = lector.summary.collect(db, { top = 5 })
print(string.format("%d documents tagged: %d entity mentions, %d claims", n,
  sink.totals.entity or 0, sink.totals.quantity or 0))
for _, e in ipairs(s.entities) do print(string.format("  %-28s %3d", e.entity, e.mentions)) end
for _, c in ipairs(s.claims) do print(string.format("  [%d] %s", c.doc_id, c.claim)) end
db:close()
