-- kwic: keyword in context — every place a term (or an entity's mentions)
-- occurs, aligned on the term, as an analyst reads a concordance.
local lector = require "lector"
local P = require "lector.pipeline"
local recipes = require "lector.recipes"
local data = require "lector.report.data"

local chars = require("lector.report").chars

local csv = P.csv_field

return {
  name = "kwic",
  summary = "keyword in context: TERM or @ENTITY aligned in its surroundings",
  inputs = "TERM|@ENTITY",
  description = "TERM is matched word by word, ignoring case and accents (ISIS's finds\n" ..
    "ISIS’s); @ENTITY lists the mentions of that gazetteer entity, under\n" ..
    "whatever name (@\"Islamic State\" finds Daesh and ISIL too).",
  options = P.with_options({
    { name = "db", type = "string", required = true, input = true,
      help = "a store filled by ingest (and tag, for @ENTITY)" },
    { name = "width", type = "integer", default = 40, min = 5, help = "characters of context on each side" },
    { name = "format", type = "choice", choices = { "text", "csv" }, default = "text",
      help = "text for a terminal, csv for a spreadsheet" },
  }, "filters"),
  run = function(opts, inputs)
    if #inputs ~= 1 then recipes.fail("kwic takes one TERM or @ENTITY (quote a phrase)", 2) end
    local ok, db = pcall(lector.store.open, opts.db, { readonly = true })
    if not ok then recipes.fail(db) end
    local hok, hits = pcall(data.kwic, db, inputs[1], opts)
    db:close()
    if not hok then recipes.fail(hits) end
    local w = io.stdout
    if opts.format == "csv" then
      w:write("document,uri,start_byte,end_byte,left,match,right\n")
      for _, h in ipairs(hits) do
        w:write(table.concat({ h.doc_id, csv(h.uri), h.start_byte, h.end_byte, csv(h.left), csv(h.match),
          csv(h.right) }, ","), "\n")
      end
    else
      local idw = 0
      for _, h in ipairs(hits) do idw = math.max(idw, #tostring(h.doc_id)) end
      for _, h in ipairs(hits) do
        local left, right = h.left:gsub("%s+$", ""), h.right:gsub("^%s+", "")
        w:write(string.format("[%" .. idw .. "d] ", h.doc_id), string.rep(" ", opts.width - chars(left)), left,
          " ", h.match, " ", right, "\n")
      end
      if #hits == 0 then io.stderr:write("kwic: no occurrence of ", inputs[1], "\n") end
    end
    return 0
  end,
}
