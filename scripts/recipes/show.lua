-- show: one document of a store as a page — its text with the layers
-- highlighted (entities coloured by type, quantities, dates, quotes,
-- sources, hedges, boilerplate greyed), a legend, a toggle per layer, and
-- each span's attributes and why it matched on hover.
local lector = require "lector"
local recipes = require "lector.recipes"
local views = require "lector.report.views"

return {
  name = "show",
  summary = "one document as an HTML page with its layers highlighted and toggled",
  inputs = "",
  description = "The page is self-contained (inline style and a small inline script, no\n" ..
    "network). Open it in a browser; #hide=LAYER,... in the URL starts with\n" ..
    "those layers off.",
  options = {
    { name = "db", type = "string", required = true, input = true, help = "a store filled by ingest and tag" },
    { name = "doc", type = "string", required = true, help = "the document: its id or uri" },
    { name = "output", short = "o", type = "string", help = "write the page to this file (-o), not standard output" },
    { name = "layer", type = "list", help = "only these layers (repeat or comma-separate)" },
    { name = "meta", type = "boolean", default = true, help = "show the header layer meta (title, dateline lines)" },
  },
  run = function(opts, inputs)
    if #inputs > 0 then recipes.fail("show takes no inputs, only --db and --doc", 2) end
    local ok, db = pcall(lector.store.open, opts.db, { readonly = true })
    if not ok then recipes.fail(db) end
    local id = tonumber(opts.doc) or opts.doc
    local hok, html, err = pcall(views.document_html, db, id, { layer = opts.layer, meta = opts.meta })
    db:close()
    if not hok then recipes.fail(html) end
    if not html then recipes.fail(opts.db .. ": " .. err) end
    local wok, werr = pcall(function()
      local fh, close = views.open_output(opts.output)
      fh:write(html)
      close()
    end)
    if not wok then recipes.fail(werr) end
    return 0
  end,
}
