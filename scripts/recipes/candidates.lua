-- candidates: names the documents of a store use that the gazetteer lacks,
-- as gazetteer rows an analyst edits and appends (lector.candidates).
local lector = require "lector"
local P = require "lector.pipeline"
local recipes = require "lector.recipes"
local candidates = require "lector.candidates"

local R = {
  name = "candidates",
  summary = "list names the documents use that the gazetteer lacks, as gazetteer rows (TSV)",
  inputs = "",
  description = "Capitalised word runs (with their inner al-, bin, of the) that no gazetteer\n" ..
    "match covers, ranked by mentions and documents; sentence-initial words, months,\n" ..
    "weekdays and headline lines are left out. Each row has the gazetteer's own\n" ..
    "columns (alias, entity, type, and the rest of --gazetteer's header when it\n" ..
    "is a TSV file), the entity set to the name, the type guessed from cue words\n" ..
    "(Brigade, Forces -> ORG; in/near X -> PLACE; a title or `said` -> PERSON), and\n" ..
    "a note: mentions, documents, the known entity it may be a variant of (same\n" ..
    "transliteration key) and two contexts. Edit it, then append it.",
  options = P.with_options({
    { name = "db", type = "string", required = true, input = true, help = "the store whose documents are read" },
    { name = "gazetteer", type = "string", input = true,
      help = "gazetteer: what it matches is no candidate; its entities are the variants' targets" },
    { name = "fuzzy", type = "boolean", default = false,
      help = "also leave out what the gazetteer matches fuzzily (transliterations)" },
    { name = "top", type = "integer", default = 100, help = "how many candidates (0: all)" },
    { name = "min-mentions", type = "integer", default = 1, help = "fewest mentions to list a name" },
  }, "filters", "progress"),
}


-- The gazetteer's header columns when it is a TSV file, else the default.
local function columns(path)
  local cols = { "alias", "entity", "type", "note" }
  if not path then return cols end
  local f = io.open(path, "rb")
  if not f then return cols end
  local line
  repeat line = f:read("*l") until not line or (line ~= "" and not line:match("^#"))
  f:close()
  if not line or not line:find("\t") then return cols end
  line = line:gsub("^\239\187\191", ""):gsub("\r$", "")
  local out, has_note = {}, false
  for c in (line .. "\t"):gmatch("([^\t]*)\t") do
    out[#out + 1] = c
    if c:lower() == "note" then has_note = true end
  end
  if not has_note then out[#out + 1] = "note" end
  return out
end

local function field(s) return (tostring(s or ""):gsub("[\t\r\n]+", " ")) end

function R.run(opts, inputs)
  if #inputs > 0 then
    recipes.fail("candidates takes no inputs: it reads the documents in --db", 2)
  end
  local g
  if opts.gazetteer then
    local ok
    ok, g = pcall(lector.gazetteer.load, opts.gazetteer,
      { skip_bad = true, fuzzy = opts.fuzzy and "translit" or nil })
    if not ok then recipes.fail(g) end
  end
  local ok, db = pcall(lector.store.open, opts.db)
  if not ok then recipes.fail(db) end
  local c = candidates.new { gazetteer = g }
  local docs = P.from_store(db, opts)
  local bar = require("lector.progress").new { mode = opts.progress, docs = docs.count, label = "candidates" }
  for d in docs.each do
    bar:step(#d.text, true)
    c:add(d.text, d.id)
  end
  bar:done()
  db:close()
  local cols = columns(opts.gazetteer)
  io.stdout:write(table.concat(cols, "\t"), "\n")
  local n = 0
  for _, r in ipairs(c:results()) do
    if r.mentions >= opts["min-mentions"] then
      n = n + 1
      if opts.top > 0 and n > opts.top then break end
      local note = string.format("candidate: %d mention%s, %d document%s", r.mentions,
        r.mentions == 1 and "" or "s", r.documents, r.documents == 1 and "" or "s")
      if r.variant_of then note = note .. "; variant of " .. r.variant_of end
      for _, ctx in ipairs(r.contexts) do note = note .. " | " .. ctx end
      local row = {}
      for i, col in ipairs(cols) do
        local l = col:lower()
        row[i] = field(l == "alias" and r.name or l == "entity" and (r.variant_of or r.name)
          or l == "type" and r.type or l == "note" and note or "")
      end
      io.stdout:write(table.concat(row, "\t"), "\n")
    end
  end
  return 0
end

return R
