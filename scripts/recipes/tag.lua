-- tag: annotate the documents of a store with a gazetteer (layer `entity`)
-- and token patterns (their own layers: quantity, source, hedge, ...).
-- Re-tagging replaces what earlier `tag` runs stored for each document.
local lector = require "lector"
local recipes = require "lector.recipes"

local R = {
  name = "tag",
  summary = "tag the documents of a store with a gazetteer and token patterns",
  inputs = "",
  description = "Every gazetteer match becomes an `entity` annotation (label = type,\n" ..
    "entity = canonical key); every pattern match an annotation in the layer and\n" ..
    "with the label its row names, its captures as attributes. Each annotation\n" ..
    "records its sentence number (attrs.sentence) so claims can be joined to the\n" ..
    "sources and hedges around them (see the report recipe).",
  options = {
    { name = "db", type = "string", required = true, help = "the store to tag (fill it with the ingest recipe)" },
    { name = "gazetteer", type = "string", required = true,
      help = "gazetteer: TSV/CSV (alias, entity[, type, case, ...]) or a compiled one" },
    { name = "patterns", type = "string",
      help = "patterns TSV with columns layer, label, pattern (# comments)" },
    { name = "hyphens", type = "choice", choices = { "loose", "strict" }, default = "loose",
      help = "strict: ez-Zor and ez Zor differ" },
  },
}

local clean = recipes.message

-- Reads "layer<TAB>label<TAB>pattern" rows; a bad row stops with FILE:LINE.
local function load_patterns(path, g)
  local f, err = io.open(path, "rb")
  if not f then recipes.fail(err) end
  local pats, n = {}, 0
  for line in f:lines() do
    n = n + 1
    line = line:gsub("\r$", "")
    if line:match("%S") and not line:match("^%s*#") and not (n == 1 and line:match("^layer\t")) then
      local layer, label, src = line:match("^([^\t]+)\t([^\t]+)\t(.+)$")
      if not layer then
        f:close()
        recipes.fail(string.format("%s:%d: expected layer, label and pattern separated by tabs", path, n))
      end
      local ok, p = pcall(lector.pattern, src, { gazetteer = g })
      if not ok then
        f:close()
        recipes.fail(string.format("%s:%d: %s", path, n, clean(p)))
      end
      pats[#pats + 1] = { layer = layer, label = label, pattern = p }
    end
  end
  f:close()
  return pats
end

-- Sentence number (1-based) of every token, from the sentence ranges.
local function sentence_numbers(toks)
  local of = {}
  for si, s in ipairs(toks:sentences()) do
    for i = s.first, s.last do of[i] = si end
  end
  return of
end

-- The annotations of one document, by layer.
local function tag_document(text, g, pats)
  local toks = lector.tokenize(text)
  local sent = sentence_numbers(toks)
  local layers = { entity = {} }
  -- "first:last" -> gazetteer match, to name the entities patterns
  -- capture (only made when there are patterns: two strings a match)
  local at = #pats > 0 and {} or nil
  for m in g:matches(toks) do
    local spans = layers.entity
    spans[#spans + 1] = { start = m.start, stop = m.stop, label = m.type, entity = m.entity,
      attrs = { alias = m.alias, text = m.text, source = m.source, sentence = sent[m.first] } }
    if at then
      local key = m.first .. ":" .. m.last
      at[key] = at[key] or m
    end
  end
  for _, p in ipairs(pats) do
    local spans = layers[p.layer] or {}
    layers[p.layer] = spans
    for m in p.pattern:matches(toks) do
      local attrs = { text = m.text, sentence = sent[m.first] }
      local entity
      for name, c in pairs(m.captures) do
        attrs[name] = c.text
        local gm = at[c.first .. ":" .. c.last]
        if gm then
          attrs[name .. "_entity"] = gm.entity
          entity = entity or gm.entity
        end
      end
      if attrs.count then attrs.value = tonumber((attrs.count:gsub(",", ""))) end
      spans[#spans + 1] = { start = m.start, stop = m.stop, label = p.label, entity = entity, attrs = attrs }
    end
  end
  return layers
end

function R.run(opts, inputs)
  if #inputs > 0 then
    recipes.fail("tag takes no inputs: it tags the documents already in --db (add them with the ingest recipe)", 2)
  end
  local ok, db = pcall(lector.store.open, opts.db)
  if not ok then recipes.fail(clean(db)) end
  local gok, g = pcall(lector.gazetteer.load, opts.gazetteer, { hyphens = opts.hyphens })
  if not gok then recipes.fail(clean(g)) end
  local pats = opts.patterns and load_patterns(opts.patterns, g) or {}

  local ids = {}
  for row in db:rows("SELECT id FROM documents WHERE id IN (SELECT max(id) FROM documents GROUP BY uri) ORDER BY id") do
    ids[#ids + 1] = row.id
  end
  local run = db:begin_run("tag", opts)
  local totals, layer_names = {}, {}
  local tok, err = pcall(function()
    for _, id in ipairs(ids) do
      local doc = db:document(id)
      local layers = tag_document(doc.text, g, pats)
      db:transaction(function()
        db:query("DELETE FROM annotations WHERE doc_id = ? AND run_id IN " ..
                 "(SELECT id FROM runs WHERE name = 'tag' AND id <> ?)", id, run.id)
        for layer, spans in pairs(layers) do
          db:annotate(id, layer, spans, { run = run })
          if not totals[layer] then layer_names[#layer_names + 1] = layer end
          totals[layer] = (totals[layer] or 0) + #spans
        end
      end)
    end
  end)
  if not tok then
    run:finish("failed")
    recipes.fail(clean(err))
  end
  run:finish("ok")
  table.sort(layer_names)
  local parts = {}
  for _, l in ipairs(layer_names) do parts[#parts + 1] = string.format("%d %s", totals[l], l) end
  io.stdout:write(string.format("tag: %d documents -> %s (%s)\n", #ids, opts.db,
    #parts > 0 and table.concat(parts, ", ") or "nothing found"))
  db:close()
  return 0
end

return R
