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
    { name = "db", type = "string", required = true, input = true,
      help = "the store to tag (fill it with the ingest recipe)" },
    { name = "gazetteer", type = "string", required = true, input = true,
      help = "gazetteer: TSV/CSV (alias, entity[, type, case, ...]) or a compiled one" },
    { name = "patterns", type = "string", input = true,
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

-- Annotations go to the store 10,000 at a time, layer by layer: a
-- document where every word is a mention (15 M in 100 MB) never holds a
-- table per mention at once.
local BATCH = 10000

-- Tags one document inside the caller's transaction, adding what it
-- stored to totals (layer -> count).
local function tag_document(db, id, text, g, pats, run, totals)
  local toks = lector.tokenize(text)
  local sent = sentence_numbers(toks)
  local pending = {}
  local function flush(layer)
    local spans = pending[layer]
    if spans and #spans > 0 then
      db:annotate(id, layer, spans, { run = run })
      totals[layer] = totals[layer] + #spans
      pending[layer] = {}
    end
  end
  local function put(layer, span)
    local spans = pending[layer]
    if not spans then
      spans = {}
      pending[layer] = spans
    end
    spans[#spans + 1] = span
    if #spans == BATCH then flush(layer) end
  end
  -- Pattern matches first, kept until the gazetteer has named the
  -- entities their captures cover: named["first:last"] is false for a
  -- span some capture covers, then the first gazetteer match's entity.
  local found, named = {}, {}
  for _, p in ipairs(pats) do
    for m in p.pattern:matches(toks) do
      found[#found + 1] = { pattern = p, match = m }
      for _, c in pairs(m.captures) do named[c.first .. ":" .. c.last] = false end
    end
  end
  local want = next(named) ~= nil
  for m in g:matches(toks) do
    put("entity", { start = m.start, stop = m.stop, label = m.type, entity = m.entity,
      attrs = { alias = m.alias, text = m.text, source = m.source, sentence = sent[m.first] } })
    if want then
      local key = m.first .. ":" .. m.last
      if named[key] == false then named[key] = m.entity end
    end
  end
  flush("entity")
  for _, f in ipairs(found) do
    local m = f.match
    local attrs = { text = m.text, sentence = sent[m.first] }
    local entity
    for name, c in pairs(m.captures) do
      attrs[name] = c.text
      local e = named[c.first .. ":" .. c.last]
      if e then
        attrs[name .. "_entity"] = e
        entity = entity or e
      end
    end
    if attrs.count then attrs.value = tonumber((attrs.count:gsub(",", ""))) end
    put(f.pattern.layer, { start = m.start, stop = m.stop, label = f.pattern.label, entity = entity,
      attrs = attrs })
  end
  for _, p in ipairs(pats) do flush(p.layer) end
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
  local totals, layer_names = { entity = 0 }, { "entity" }
  for _, p in ipairs(pats) do
    if not totals[p.layer] then
      totals[p.layer] = 0
      layer_names[#layer_names + 1] = p.layer
    end
  end
  -- Documents go in groups of up to a quarter of a second, one
  -- transaction each (recipes.in_groups, as ingest's: a transaction a
  -- document made the 54 MB bench corpus take 31 s instead of 25, mostly
  -- in the kernel writing the WAL); a document's annotations always go
  -- with it.
  local k = 0
  local function next_id()
    k = k + 1
    return ids[k]
  end
  local tok, err = pcall(recipes.in_groups, db, next_id, function(id)
    local doc = db:document(id)
    db:query("DELETE FROM annotations WHERE doc_id = ? AND run_id IN " ..
             "(SELECT id FROM runs WHERE name = 'tag' AND id <> ?)", id, run.id)
    tag_document(db, id, doc.text, g, pats, run, totals)
  end)
  if not tok then
    run:finish("failed")
    recipes.fail(clean(err))
  end
  run:finish("ok")
  table.sort(layer_names)
  local parts = {}
  if #ids > 0 then
    for _, l in ipairs(layer_names) do parts[#parts + 1] = string.format("%d %s", totals[l], l) end
  end
  io.stdout:write(string.format("tag: %s -> %s (%s)\n", recipes.count(#ids, "document"), opts.db,
    #parts > 0 and table.concat(parts, ", ") or "nothing found"))
  db:close()
  return 0
end

return R
