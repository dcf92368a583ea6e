-- dups: near-duplicate documents in a store — the same wire story in two
-- outlets, one with a boilerplate tail — found with MinHash over word
-- 3-shingles, bucketed by LSH bands (not every pair compared), and stored
-- as the layer `duplicate` of the later document of each pair.
local lector = require "lector"
local P = require "lector.pipeline"
local duplicates = require "lector.duplicates"
local recipes = require "lector.recipes"
local tty = require "lector.tty"

local R = {
  name = "dups",
  summary = "find near-duplicate documents (MinHash over word shingles) and store the pairs",
  inputs = "",
  description = table.concat({
    "Compares the documents in scope by their word 3-shingles (three words in",
    "a row, folded, punctuation left out): MinHash signatures cut into LSH",
    "bands pick the candidate pairs, whose Jaccard similarity (shared shingles",
    "over all) is then computed exactly. A pair at --threshold or above is",
    "stored on its later document (published later, else stored later) as an",
    "annotation of layer `duplicate` spanning the text, label near (exact for",
    "the same text), attrs {of, of_id, similarity, containment}; a run",
    "replaces the pairs earlier dups runs stored on those documents. Reports",
    "skip the later document of a pair unless --with-duplicates." }, "\n"),
  options = P.with_options({
    { name = "db", type = "string", required = true, input = true, help = "a store filled by ingest" },
    { name = "threshold", type = "number", default = 0.8,
      help = "the least Jaccard similarity of a pair, in (0, 1]; below about 0.3 pairs may be missed" },
    { name = "dry-run", type = "boolean", default = false, help = "print the pairs, store nothing" },
    { name = "quiet", type = "boolean", default = false, help = "only the summary line" },
  }, "filters", "progress"),
}

function R.run(opts, inputs)
  if #inputs > 0 then recipes.fail("dups takes no inputs, only --db", 2) end
  local t = opts.threshold
  if t ~= t or t <= 0 or t > 1 then recipes.fail("option --threshold: a number in (0, 1] expected", 2) end
  local ok, db = pcall(lector.store.open, opts.db, { readonly = opts["dry-run"] })
  if not ok then recipes.fail(db) end
  local scope = P.from_store(db, opts)
  local bar = require("lector.progress").new { mode = opts.progress, docs = scope.count, label = "dups" }
  local nopts = {}
  for k, v in pairs(opts) do nopts[k] = v end
  nopts.on_doc = function(bytes) bar:step(bytes) end
  local fok, pairs_ = pcall(duplicates.near, db, nopts)
  bar:done()
  if not fok then db:close(); recipes.fail(pairs_) end
  if not opts["dry-run"] then
    local sok, err = pcall(db.transaction, db, function()
      local run = db:begin_run("dups", { db = opts.db, threshold = t, doc = opts.doc, outlet = opts.outlet,
        since = opts.since, ["until"] = opts["until"], all_versions = opts["all-versions"] }, { recipe = true })
      duplicates.store_pairs(db, pairs_, run, scope.ids)
      run:finish("ok")
    end)
    if not sok then db:close(); recipes.fail(err) end
  end
  db:close()
  local w = io.stdout
  if not opts.quiet then
    for _, p in ipairs(pairs_) do
      w:write(string.format("%.3f  [%d] %s  copies  [%d] %s\n", p.similarity, p.id, tty.escape(p.uri),
        p.of_id, tty.escape(p.of_uri)))
    end
  end
  w:write(string.format("dups: %s among %s%s\n", recipes.count(#pairs_, "pair"),
    recipes.count(pairs_.documents, "document"),
    opts["dry-run"] and " (dry run: nothing stored)" or (" -> " .. opts.db)))
  return 0
end

return R
