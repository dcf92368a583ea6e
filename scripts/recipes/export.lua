-- export: a store's documents and annotations for other tools — JSON lines
-- (what ingest reads back), brat standoff, CSV, a GDELT GKG 2.1-style TSV,
-- spaCy's Doc.to_json(). Offsets are named for their unit: *_byte (UTF-8
-- bytes) and *_char (code points).
local lector = require "lector"
local P = require "lector.pipeline"
local recipes = require "lector.recipes"
local export = require "lector.report.export"

return {
  name = "export",
  summary = "write a store's annotations as jsonl, brat, csv, gkg or spacy",
  inputs = "",
  description = "jsonl: one document a line with its annotations (the shape ingest reads).\n" ..
    "brat: DIR/ID_NAME.txt + .ann pairs and annotation.conf (character offsets).\n" ..
    "csv: one row per annotation. gkg: one GDELT GKG 2.1-style row per document\n" ..
    "(tab-separated, no header). spacy: one Doc.to_json() object a line.",
  options = P.with_options({
    { name = "db", type = "string", required = true, input = true, help = "a store filled by ingest and tag" },
    { name = "format", type = "choice", choices = export.formats, required = true,
      help = "jsonl, brat, csv, gkg or spacy" },
    { name = "output", short = "o", type = "string",
      help = "the file (-o; default standard output), or the directory for brat" },
    { name = "layer", type = "list", help = "only these layers (repeat or comma-separate)" },
  }, "filters"),
  run = function(opts, inputs)
    if #inputs > 0 then recipes.fail("export takes no inputs, only --db", 2) end
    if opts.format == "brat" and (opts.output == nil or opts.output == "-") then
      recipes.fail("--format brat writes a directory: give -o DIR", 2)
    end
    local ok, db = pcall(lector.store.open, opts.db, { readonly = true })
    if not ok then recipes.fail(db) end
    local wok, ndocs, nanns, left = pcall(export.write, db, opts.format, opts.output, opts)
    db:close()
    if not wok then recipes.fail(ndocs) end
    if opts.output and opts.output ~= "-" then
      io.stderr:write("export: ", recipes.count(ndocs, "document"), ", ", recipes.count(nanns, "annotation"),
        left and left > 0 and (" (" .. recipes.count(left, "span") .. " spaCy cannot place left out)") or "",
        " -> ", opts.output, "\n")
    end
    return 0
  end,
}
