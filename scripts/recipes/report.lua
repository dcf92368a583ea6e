-- report: what a tagged store holds — who and what is mentioned under which
-- names, which numbers are claimed and on whose authority, how sure the
-- wording is. Plain SQL over the documented schema: any SQLite client can
-- ask the same questions.
local lector = require "lector"
local P = require "lector.pipeline"
local report_lib = require "lector.report"
local recipes = require "lector.recipes"
local summary = require "lector.summary"
local views = require "lector.report.views"
local tty = require "lector.tty"

local R = {
  name = "report",
  summary = "summarise a tagged store: entities, claimed numbers with sources and hedges",
  inputs = "",
  description = "Reads the current version of each document (--all-versions: every\n" ..
    "version). A span counts once however many runs stored it. A claim's\n" ..
    "sources are those cited in the same sentence: the report does not say\n" ..
    "that they are the claim's own. A copy of another document in the\n" ..
    "report (ingest's meta.duplicate_of, a pair the dups recipe stored) is\n" ..
    "skipped unless --with-duplicates; the report says how many.",
  options = P.with_options({
    { name = "db", type = "string", required = true, input = true, help = "a store filled by ingest and tag" },
    { name = "top", type = "integer", default = 15, min = 1,
      help = "how many entities to list (per type in md and html)" },
    { name = "format", type = "choice", choices = { "text", "md", "html", "json" }, default = "text",
      help = "text or md for people, html for a browser (one self-contained file), json for programs" },
    { name = "output", short = "o", type = "string", help = "write to this file (-o), not standard output; " ..
      "html also writes a document view per document to FILE's name + _docs/" },
    { name = "layer", type = "list", help = "only these layers in the document views (html with -o)" },
    { name = "views", type = "boolean", default = true, help = "html with -o: write the document views too" },
    { name = "with-duplicates", type = "boolean", default = false,
      help = "count the copies of another document too (ingest's meta.duplicate_of, the dups recipe's pairs)" },
  }, "filters", "progress"),
}

local chars, cut = report_lib.chars, report_lib.cut

-- s on one line, escaped for a terminal, cut to n characters.
local function short(s, n)
  return cut(tty.escape((tostring(s or ""):gsub("%s+", " "))), n)
end

-- s cut to n characters and padded with spaces to n.
local function col(s, n)
  s = short(s, n)
  return s .. string.rep(" ", n - chars(s))
end

local function print_text(r, w)
  w:write(recipes.count(#r.documents, "document"), (r.duplicates_skipped or 0) > 0 and
    string.format(" (%s skipped: --with-duplicates counts %s)", recipes.count(r.duplicates_skipped, "duplicate"),
      r.duplicates_skipped == 1 and "it" or "them") or "", "\n")
  for _, d in ipairs(r.documents) do
    w:write(string.format("  [%d] %s%s\n", d.id, short(d.title or d.uri, 70),
      d.published and ("  (" .. tty.escape(d.published) .. ")") or ""))
  end
  w:write("\nentities (mentions, documents, names seen)\n")
  for _, e in ipairs(r.entities) do
    w:write(string.format("  %s %-7s %3d %3d  %s\n", col(e.entity, 34), tty.escape(e.type),
      e.mentions, e.documents, short(table.concat(e.names, ","), 60)))
  end
  w:write("\nclaimed numbers (document, claim, its source or else the sources cited in the same sentence,",
    " hedges nearby)\n")
  if #r.claims == 0 then w:write("  none\n") end
  for _, c in ipairs(r.claims) do
    local src
    if c.source then
      src = "source: " .. col(c.source_entity or c.source, 20)
    else
      src = "same sentence: " .. col(#c.same_sentence_sources > 0 and
        table.concat(c.same_sentence_sources, ", ") or "none cited", 13)
    end
    local claim = c.what and not tostring(c.claim):find(c.what, 1, true) and (c.claim .. " " .. c.what) or c.claim
    w:write(string.format("  [%d] %s %s %s\n", c.doc_id, col(claim, 34), src,
      #c.hedges > 0 and ("hedged: " .. table.concat(c.hedges, ",")) or ""))
  end
  w:write("\nsources cited\n")
  if #r.sources == 0 then w:write("  none\n") end
  for _, s in ipairs(r.sources) do
    w:write(string.format("  %s %-11s %3d in %d document%s\n", col(s.entity or "?", 34), s.label or "",
      s.citations, s.documents, s.documents == 1 and "" or "s"))
  end
  w:write("\nhedging per document\n")
  for _, h in ipairs(r.hedges) do
    w:write(string.format("  [%d] %s %2d  %s\n", h.id, col(h.title or "", 50), h.hedges, table.concat(h.kinds, ",")))
  end
end

function R.run(opts, inputs)
  if #inputs > 0 then recipes.fail("report takes no inputs, only --db", 2) end
  local ok, db = pcall(lector.store.open, opts.db, { readonly = true })
  if not ok then recipes.fail(db) end
  -- six queries; on a big store each takes a while
  local bar = require("lector.progress").new { mode = opts.progress, docs = 6, label = "report",
                                                 unit = "queries" }
  opts.on_step = function() bar:step(0) end
  local sok, r = pcall(summary.collect, db, opts)
  bar:done()
  if not sok then db:close(); recipes.fail(r) end
  if #r.documents > 0 and next(r.layers) == nil then
    io.stderr:write("lector: ", opts.db, " has no annotations yet: run the tag recipe first ",
      "(lector recipe tag --db ", opts.db, " --gazetteer G --patterns P)\n")
  end
  local wok, err = pcall(views.write_report, db, opts, r, print_text)
  db:close()
  if not wok then recipes.fail(err) end
  return 0
end

return R
