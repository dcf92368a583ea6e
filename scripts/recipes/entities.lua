-- entities: who and what is mentioned, under which names, in a pile of
-- documents, from a gazetteer (TSV/CSV with a header row, or a compiled
-- gazetteer saved with --save / g:save).
local lector = require "lector"
local fs = require "lector.fs"
local json = require "lector.json"
local recipes = require "lector.recipes"

local R = {
  name = "entities",
  summary = "find the entities of a gazetteer in documents: types, counts, documents, aliases",
  inputs = "FILES|DIRS...",
  input_files = true,
  description = "Every entity found, with its type, mention count, documents and the\n" ..
    "names it was mentioned by; with --mentions every mention with its document,\n" ..
    "byte span (1-based, inclusive) and sentence. An alias shared by several\n" ..
    "entities yields one mention per entity: filter the rows you do not want.",
  options = {
    { name = "gazetteer", type = "string", required = true, input = true,
      help = "gazetteer file: TSV/CSV (alias, entity[, type, case, ...]) or saved" },
    { name = "format", type = "choice", choices = { "table", "csv", "jsonl" },
      default = "table", help = "output format" },
    { name = "mentions", type = "boolean", default = false,
      help = "print every mention instead of the per-entity summary" },
    { name = "overlap", type = "boolean", default = false,
      help = "report overlapping matches too (default: leftmost-longest)" },
    { name = "hyphens", type = "choice", choices = { "loose", "strict" }, default = "loose",
      help = "strict: ez-Zor and ez Zor differ" },
    { name = "skip-bad", type = "boolean", default = false,
      help = "skip bad gazetteer lines (counted on stderr) instead of stopping" },
    { name = "save", type = "string",
      help = "also save the compiled gazetteer to this file (load it next time)" },
    { name = "db", type = "string",
      help = "also store the documents and their mentions (layer entity) in this store" },
  },
}

local function csv_field(v)
  v = tostring(v == nil and "" or v)
  if v:find('[,"\r\n]') then v = '"' .. v:gsub('"', '""') .. '"' end
  return v
end

-- n is the number of columns: a nil field (an entry without a type) must
-- not end the row, as ipairs would.
local function csv_row(t, n)
  local out = {}
  for i = 1, n do out[i] = csv_field(t[i]) end
  io.stdout:write(table.concat(out, ","), "\n")
end

local clean = recipes.message

-- The store side of --db: documents added (deduplicated by the store),
-- their mentions replacing those of earlier entities runs.
local function open_store(opts)
  local ok, db = pcall(lector.store.open, opts.db)
  if not ok then recipes.fail(clean(db)) end
  local run = db:begin_run("entities", opts)
  local stored = { docs = 0, mentions = 0 }
  -- A document, then its mentions, replacing those of earlier entities
  -- runs; the caller's group transaction holds them together. Spans go
  -- to db:annotate 10,000 at a time: a document where every word is a
  -- mention (15 M in 100 MB) never holds a table per mention at once.
  local function store(path, text, matches)
    local id = db:add { uri = path, text = text }
    db:query("DELETE FROM annotations WHERE doc_id = ? AND layer = 'entity' AND run_id IN " ..
             "(SELECT id FROM runs WHERE name = 'entities' AND id <> ?)", id, run.id)
    local n, spans = 0, {}
    for m in matches do
      spans[#spans + 1] = { start = m.start, stop = m.stop, label = m.type, entity = m.entity,
                            attrs = { alias = m.alias, text = m.text, source = m.source } }
      if #spans == 10000 then
        db:annotate(id, "entity", spans, { run = run })
        n, spans = n + #spans, {}
      end
    end
    if #spans > 0 then db:annotate(id, "entity", spans, { run = run }) end
    stored.docs = stored.docs + 1
    stored.mentions = stored.mentions + n + #spans
  end
  local function finish(status)
    run:finish(status)
    db:close()
  end
  -- Documents go in groups of up to a quarter of a second, one
  -- transaction each (recipes.in_groups, as ingest's): a transaction a
  -- document made --db about 1.5x slower. A failed group ends the run.
  local function in_groups(files, each)
    local gok, gerr = pcall(recipes.in_groups, db, files, each)
    if not gok then
      finish("failed")
      recipes.fail(clean(gerr))
    end
  end
  return store, finish, stored, in_groups
end

local function oneline(s) return (s:gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")) end

local function load_gazetteer(opts)
  local ok, g = pcall(lector.gazetteer.load, opts.gazetteer,
    { skip_bad = opts["skip-bad"], hyphens = opts.hyphens })
  if not ok then recipes.fail(clean(g), 1) end
  if g.skipped > 0 then
    io.stderr:write(string.format("lector: skipped %d bad gazetteer line%s (first: %s)\n",
      g.skipped, g.skipped == 1 and "" or "s", g.first_skip))
  end
  if opts.save then
    local sok, err = pcall(g.save, g, opts.save)
    if not sok then recipes.fail(clean(err), 1) end
  end
  return g
end

function R.run(opts, inputs)
  if #inputs == 0 then recipes.fail("entities needs at least one file or directory", 2) end
  local g = load_gazetteer(opts)
  local store, finish, stored, in_groups
  if opts.db then store, finish, stored, in_groups = open_store(opts) end
  local fmt = opts.format
  local match_opts = { overlap = opts.overlap }
  local ents, order = {}, {}
  local docs, skipped = 0, 0
  local function problem(_, msg)
    skipped = skipped + 1
    io.stderr:write("lector: ", msg, "\n")
  end
  if opts.mentions and fmt == "csv" then
    csv_row({ "document", "start", "stop", "entity", "type", "text", "alias", "source", "sentence" }, 9)
  end
  local function one(path)
    local text, err = fs.read_text(path) -- UTF-8, or why not (UTF-16, invalid at byte N)
    local ok, toks
    if text then
      ok, toks = pcall(lector.tokenize, text)
      if not ok then err = path .. ": " .. clean(toks) end
    end
    if not text or not ok then
      problem(path, err)
    else
      docs = docs + 1
      local sents = opts.mentions and toks:sentences() or nil
      local si = 1
      -- g:matches, not g:find_all: 24 bytes a match until the loop makes
      -- its table; matching twice (store, then report) costs less than
      -- keeping every table.
      if store then store(path, text, g:matches(toks, match_opts)) end
      for m in g:matches(toks, match_opts) do
        if opts.mentions then
          while sents[si] and sents[si].last < m.first do si = si + 1 end
          local s = sents[si]
          local sentence = s and oneline(text:sub(s.start, s.stop)) or ""
          if fmt == "jsonl" then
            io.stdout:write(json.encode {
              document = path, start = m.start, stop = m.stop, entity = m.entity,
              type = m.type, text = m.text, alias = m.alias, source = m.source,
              sentence = sentence }, "\n")
          elseif fmt == "csv" then
            csv_row({ path, m.start, m.stop, m.entity, m.type, m.text, m.alias, m.source, sentence }, 9)
          else
            io.stdout:write(string.format("%s:%d-%d\t%s\t%s\t%s\t%s\n", path, m.start, m.stop,
              m.entity, m.type or "", oneline(m.text), sentence))
          end
        else
          local key = m.entity .. "\0" .. (m.type or "")
          local e = ents[key]
          if not e then
            e = { entity = m.entity, type = m.type, mentions = 0, docs = {}, seen = {}, ndocs = 0,
                  aliases = {}, alias_order = {} }
            ents[key] = e
            order[#order + 1] = e
          end
          e.mentions = e.mentions + 1
          if not e.seen[path] then
            e.seen[path] = true
            e.ndocs = e.ndocs + 1
            e.docs[#e.docs + 1] = path
          end
          local a = oneline(m.text)
          if not e.aliases[a] then e.alias_order[#e.alias_order + 1] = a end
          e.aliases[a] = (e.aliases[a] or 0) + 1
        end
      end
    end
  end
  local files = fs.files(inputs, problem)
  if in_groups then
    in_groups(files, one)
  else
    for path in files do one(path) end
  end
  if not opts.mentions then
    table.sort(order, function(a, b)
      if a.mentions ~= b.mentions then return a.mentions > b.mentions end
      return a.entity < b.entity
    end)
    local function alias_list(e)
      table.sort(e.alias_order, function(x, y)
        if e.aliases[x] ~= e.aliases[y] then return e.aliases[x] > e.aliases[y] end
        return x < y
      end)
      return e.alias_order
    end
    if fmt == "jsonl" then
      for _, e in ipairs(order) do
        local aliases = {}
        for _, a in ipairs(alias_list(e)) do aliases[#aliases + 1] = { text = a, count = e.aliases[a] } end
        io.stdout:write(json.encode { entity = e.entity, type = e.type, mentions = e.mentions,
          documents = e.docs, aliases = aliases }, "\n")
      end
    elseif fmt == "csv" then
      csv_row({ "entity", "type", "mentions", "documents", "aliases" }, 5)
      for _, e in ipairs(order) do
        local al = {}
        for _, a in ipairs(alias_list(e)) do al[#al + 1] = a .. " (" .. e.aliases[a] .. ")" end
        csv_row({ e.entity, e.type, e.mentions, e.ndocs, table.concat(al, "; ") }, 5)
      end
    else
      local w = 6
      for _, e in ipairs(order) do if #e.entity > w then w = math.min(#e.entity, 40) end end
      io.stdout:write(string.format("%-" .. w .. "s  %-8s %8s %5s  %s\n", "ENTITY", "TYPE",
        "MENTIONS", "DOCS", "ALIASES"))
      for _, e in ipairs(order) do
        local al = {}
        for _, a in ipairs(alias_list(e)) do al[#al + 1] = a .. " (" .. e.aliases[a] .. ")" end
        io.stdout:write(string.format("%-" .. w .. "s  %-8s %8d %5d  %s\n", e.entity,
          e.type or "", e.mentions, e.ndocs, table.concat(al, ", ")))
      end
      io.stdout:write(string.format("\n%s in %d document%s\n", recipes.count(#order, "entity", "entities"), docs,
        docs == 1 and "" or "s"))
    end
  end
  if finish then
    finish("ok")
    io.stderr:write(string.format("lector: stored %d mention%s of %d document%s in %s\n",
      stored.mentions, stored.mentions == 1 and "" or "s", stored.docs,
      stored.docs == 1 and "" or "s", opts.db))
  end
  return skipped > 0 and 1 or 0 -- like ingest and stats: a skipped input is an error

end

return R
