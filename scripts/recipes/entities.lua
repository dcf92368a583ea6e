-- entities: who and what is mentioned, under which names, in a pile of
-- documents, from a gazetteer (TSV/CSV with a header row, or a compiled
-- gazetteer saved with --save / g:save).
local lector = require "lector"
local json = require "lector.json"
local P = require "lector.pipeline"
local shares = require "lector.shares"
local recipes = require "lector.recipes"
local tty = require "lector.tty"

local R = {
  name = "entities",
  summary = "find the entities of a gazetteer in documents: types, counts, documents, aliases",
  inputs = "FILES|DIRS|JSONL...",
  input_files = true,
  description = "Every entity found, with its type, mention count, documents and the\n" ..
    "names it was mentioned by; with --mentions every mention with its document,\n" ..
    "byte span (1-based, inclusive) and sentence. An alias shared by several\n" ..
    "entities yields one mention per entity: filter the rows you do not want.",
  options = P.with_options({
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
    { name = "fuzzy", type = "boolean", default = false,
      help = "transliteration-aware matching too (scripts/lexicons/translit.tsv): Dayr az-Zawr finds Deir ez-Zor" },
    { name = "skip-bad", type = "boolean", default = false,
      help = "skip bad gazetteer lines (counted on stderr) instead of stopping" },
    { name = "save", type = "string",
      help = "also save the compiled gazetteer to this file (load it next time)" },
    { name = "db", type = "string",
      help = "also store the documents and their mentions (layer entity) in this store" },
    { name = "quiet", type = "boolean", default = false,
      help = "no warnings about skipped lines and gazetteer types (workers of -j N)" },
    shares.option,
  }, "reading", "jobs", "stream", "progress"),
}

local csv_field = P.csv_field

-- n is the number of columns: a nil field (an entry without a type) must
-- not end the row, as ipairs would.
local function csv_row(t, n)
  local out = {}
  for i = 1, n do out[i] = csv_field(t[i]) end
  io.stdout:write(table.concat(out, ","), "\n")
end

-- The store side of --db: documents added as ingest adds them (same
-- reader, same metadata), their `entity` layer replacing what earlier
-- recipe runs wrote there.
local function provenance_of(opts)
  local provenance = {}
  for k, v in pairs(opts) do provenance[k] = v end
  -- How it ran is not what it found.
  for _, k in ipairs { "jobs", "stream", "text", "prepared", "progress", "quiet", "format", "mentions" } do
    provenance[k] = nil
  end
  provenance.gazetteer_sha256 = P.file_sha256(opts.gazetteer)
  return provenance
end

local function open_store(opts)
  local ok, db = pcall(lector.store.open, opts.db)
  if not ok then recipes.fail(db) end
  local run = db:begin_run("entities", provenance_of(opts), { recipe = true })
  return db, run
end

-- --stream: JSON lines in, the same with their `entity` annotations out.
local function stream(opts, g)
  local skipped = 0
  local function on_skip(where, why)
    skipped = skipped + 1
    io.stderr:write("lector: entities: skipped ", where, ": ", why, "\n")
  end
  local sink = P.jsonl_sink(io.stdout, { text = opts.text, flush = true,
    run = P.run_info("entities", provenance_of(opts), { "entity" }) })
  local docs = P.stream_documents({ prepared = opts.prepared, repair = opts.repair, raw = opts.raw }, on_skip)
  local stage = P.entities { source = true }
  local ok, err = pcall(P.run, { documents = docs, gazetteer = g, stages = { stage }, sink = sink,
                                 progress = opts.progress, label = "entities", overlap = opts.overlap })
  io.stdout:flush()
  if not ok then recipes.fail(err) end
  return skipped > 0 and 1 or 0
end

local function oneline(s) return (s:gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")) end

-- The reading of inputs, the same in this process and in -j N workers.
local function read_options(opts)
  return { repair = opts.repair, jsonl = opts.jsonl, raw = opts.raw,
           all_files = opts["all-files"], follow_symlinks = opts["follow-symlinks"],
           special_files = opts["special-files"], keep_html = opts["keep-html"],
           exclude = opts.db and { opts.db } or nil }
end

-- A -j N worker: the documents of each share with their `entity`
-- annotations (and, for --mentions, the text of the sentences they are
-- in; for --db, what the store needs, the text hashed), in one line.
local function serve(opts, g)
  local stage = P.entities { source = true }
  shares.serve(read_options(opts), function(_, docs)
    local out = {}
    for d in docs do
      if d.error then
        out[#out + 1] = { error = d.error, where = d.where }
      else
        local rec = { uri = d.uri, where = d.where, size = d.size, line = d.line, bytes = #d.text,
                      annotations = {} }
        local sink = { begin = function() end, finish = function() end }
        function sink.emit(layer, s)
          local row = P.span_row(layer, s)
          -- Without --db the text stays here: the mention's goes along
          -- (row.attrs is the row's own: span_row added the sentence).
          if not opts.db then row.attrs.text = d.text:sub(s.start, s.stop) end
          rec.annotations[#rec.annotations + 1] = row
        end
        local ctx = P.process(d, { stage }, sink, { gazetteer = g, overlap = opts.overlap, keep = {} })
        if opts.mentions then
          rec.sentences = {}
          for _, a in ipairs(rec.annotations) do
            local n = a.attrs and a.attrs.sentence
            local sn = n and ctx.sentences[n]
            if sn then rec.sentences[tostring(n)] = oneline(d.text:sub(sn.start, sn.stop)) end
          end
        end
        if opts.db then
          for _, k in ipairs { "text", "meta", "title", "author", "outlet", "published", "spans" } do rec[k] = d[k] end
          rec.hash = require("lector.store").sha256(d.text)
          rec.meta = shares.meta_json(d.meta)
        end
        out[#out + 1] = rec
      end
    end
    return { docs = out }
  end)
  return 0
end

local function load_gazetteer(opts)
  local ok, g = pcall(lector.gazetteer.load, opts.gazetteer,
    { skip_bad = opts["skip-bad"], hyphens = opts.hyphens, fuzzy = opts.fuzzy and "translit" or nil })
  if not ok then recipes.fail(g, 1) end
  if g.skipped > 0 and not opts.quiet then
    io.stderr:write(string.format("lector: skipped %d bad gazetteer line%s (first: %s)\n",
      g.skipped, g.skipped == 1 and "" or "s", g.first_skip))
  end
  if opts.save then
    local sok, err = pcall(g.save, g, opts.save)
    if not sok then recipes.fail(err, 1) end
  end
  return g
end

function R.run(opts, inputs)
  if opts.shares then return serve(opts, load_gazetteer(opts)) end
  if opts.stream then
    if #inputs > 0 then recipes.fail("entities --stream reads standard input: leave out the inputs", 2) end
    if opts.db then recipes.fail("entities: --stream writes JSON lines, not a store: leave out --db", 2) end
  elseif #inputs == 0 then
    recipes.fail("entities needs at least one file, directory or JSON-lines input", 2)
  end
  local g = load_gazetteer(opts)
  if not opts.quiet then
    for _, w in ipairs(P.type_warnings(g)) do io.stderr:write("lector: warning: ", w, "\n") end
  end
  if opts.stream then return stream(opts, g) end
  local db, run, sink
  if opts.db then
    db, run = open_store(opts)
    sink = P.store_sink(db, run, { "entity" })
  end
  local fmt = opts.format
  local ents, order = {}, {}
  local docs, skipped = 0, 0
  if opts.mentions and fmt == "csv" then
    csv_row({ "document", "start", "stop", "entity", "type", "text", "alias", "source", "sentence" }, 9)
  end
  -- What the entity stage emits is counted here (and stored by sink).
  local cur, sents
  local report = {}
  function report.begin(doc)
    cur, sents = doc, nil
    if sink then sink.begin(doc) end
  end
  function report.finish() if sink then sink.finish() end end
  function report.abort() if sink then sink.abort() end end
  function report.emit(layer, span)
    if sink then sink.emit(layer, span) end
    -- The span's text is the document's (a -j N worker sends it in attrs
    -- when the document's text stays with the worker).
    local path, a = cur.uri, span.attrs
    local text = cur.text and cur.text:sub(span.start, span.stop) or a.text
    if opts.mentions then
      local sentence
      if cur.sentences then -- a -j N worker's
        sentence = cur.sentences[tostring(span.sentence or a.sentence)] or ""
      else
        sents = sents or report.ctx.sentences
        local s = sents[span.sentence or a.sentence]
        sentence = s and oneline(cur.text:sub(s.start, s.stop)) or ""
      end
      if fmt == "jsonl" then
        io.stdout:write(json.encode {
          document = path, start = span.start, stop = span.stop, entity = span.entity,
          type = span.label, text = text, alias = a.alias, source = a.source,
          sentence = sentence }, "\n")
      elseif fmt == "csv" then
        csv_row({ path, span.start, span.stop, span.entity, span.label, text, a.alias, a.source, sentence }, 9)
      else
        local e = tty.escape
        io.stdout:write(string.format("%s:%d-%d\t%s\t%s\t%s\t%s\n", e(path), span.start, span.stop,
          e(span.entity), e(span.label), e(oneline(text)), e(sentence)))
      end
    else
      local key = span.entity .. "\0" .. (span.label or "")
      local e = ents[key]
      if not e then
        e = { entity = span.entity, type = span.label, mentions = 0, docs = {}, seen = {}, ndocs = 0,
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
      local t = oneline(text)
      if not e.aliases[t] then e.alias_order[#e.alias_order + 1] = t end
      e.aliases[t] = (e.aliases[t] or 0) + 1
    end
  end
  local stage = P.entities { source = true }
  local stages = { function(ctx, emit)
    report.ctx = ctx
    return stage(ctx, emit)
  end }
  local read_opts = read_options(opts)
  local list = P.inputs(inputs, read_opts)
  local items = P.read(list, read_opts)
  local stored = { docs = 0, mentions = 0 }
  -- A document read (here or by a worker): skipped with its reason, or
  -- counted and stored (--db); true when it is to be reported.
  local function accept(d)
    if d.error then
      skipped = skipped + 1
      io.stderr:write("lector: ", tty.escape_message(d.where .. ": " .. d.error), "\n")
      return false
    end
    docs = docs + 1
    if db then
      d.id = P.store_document(db, d, run)
      stored.docs = stored.docs + 1
    end
    return true
  end
  local function documents()
    while true do
      local d = items()
      if d == nil then return nil end
      if accept(d) then return d end
    end
  end
  local ok, err
  local jobs = P.jobs(opts.jobs)
  if jobs > 1 then
    -- Workers read, prepare and match their shares of the inputs (loading
    -- the compiled gazetteer); this process stores and reports, in input
    -- order, so the output is the one of a single process.
    local path, cleanup = P.compiled_gazetteer(g, opts.gazetteer)
    local args = { "--quiet", "--gazetteer", path, "--hyphens", opts.hyphens }
    for _, k in ipairs { "overlap", "mentions", "repair", "jsonl", "raw", "keep-html", "fuzzy" } do
      if opts[k] then args[#args + 1] = "--" .. k end
    end
    if opts.db then
      args[#args + 1] = "--db"
      args[#args + 1] = opts.db
    end
    local bar = require("lector.progress").new { mode = opts.progress, bytes = list.bytes, label = "entities" }
    local results, close = shares.open { list = list, jobs = jobs, argv = shares.argv("entities", args) }
    local function one(d)
      bar:step(d.size or 0, not d.line)
      if not accept(d) then return end
      report.begin(d)
      for _, ls in ipairs(P.spans_of(d, d.bytes)) do report.emit(ls[1], ls[2]) end
      report.finish()
    end
    local batch, i = {}, 0
    local function each_doc()
      while true do
        i = i + 1
        if batch[i] then return batch[i] end
        local rec = results()
        if rec == nil then return nil end
        batch, i = rec.docs or {}, 0
      end
    end
    ok, err = pcall(function()
      if db then
        recipes.in_groups(db, each_doc, one, { max = 256 })
      else
        for d in each_doc do one(d) end
      end
    end)
    close()
    bar:done()
    cleanup()
  else
    ok, err = pcall(P.run, { documents = documents, gazetteer = g, stages = stages, sink = report,
                             db = db, progress = opts.progress, label = "entities",
                             overlap = opts.overlap })
  end
  if not ok then
    if run then
      run:finish("failed")
      db:close()
    end
    recipes.fail(err)
  end
  if sink then stored.mentions = sink.totals.entity or 0 end
  if not opts.mentions then
    table.sort(order, function(a, b)
      if a.mentions ~= b.mentions then return a.mentions > b.mentions end
      if a.entity ~= b.entity then return a.entity < b.entity end
      return (a.type or "") < (b.type or "")
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
        io.stdout:write(string.format("%-" .. w .. "s  %-8s %8d %5d  %s\n", tty.escape(e.entity),
          tty.escape(e.type), e.mentions, e.ndocs, tty.escape(table.concat(al, ", "))))
      end
      io.stdout:write(string.format("\n%s in %d document%s\n", recipes.count(#order, "entity", "entities"), docs,
        docs == 1 and "" or "s"))
    end
  end
  if db then
    run:finish(skipped > 0 and "ok, with skipped inputs" or "ok")
    db:close()
    io.stderr:write(string.format("lector: stored %d mention%s of %d document%s in %s\n",
      stored.mentions, stored.mentions == 1 and "" or "s", stored.docs,
      stored.docs == 1 and "" or "s", opts.db))
  end
  return skipped > 0 and 1 or 0 -- like ingest and stats: a skipped input is an error

end

return R
