-- ingest: files, directories and JSON lines into a corpus store.
--
-- Each document goes in with its metadata and its `meta` annotations in
-- the same transaction, so an interrupted run leaves only whole documents
-- and running it again completes it without duplicates.
local P = require "lector.pipeline"
local duplicates = require "lector.duplicates"
local json = require "lector.json"
local shares = require "lector.shares"
local recipes = require "lector.recipes"
local store = require "lector.store"
local text_ = require "lector.text"
local tty = require "lector.tty"

local R = {
  name = "ingest",
  summary = "store files, directories and JSON lines as documents in a corpus database",
  inputs = "FILES|DIRS|JSONL...",
  input_files = true,
  description = table.concat({
    "Directories are read recursively; *.jsonl and *.ndjson files (and - for",
    "standard input) hold one document per line: {\"text\": ..., \"uri\": ...,",
    "\"title\": ..., \"author\": ..., \"outlet\": ..., \"published\": ...}, other",
    "fields go to meta. A line lector wrote (tag --stream, entities --stream)",
    "brings its `annotations` (stored under its `run`, replacing the same",
    "layers of earlier recipe runs as tag does). The same uri with the same text is not added again;",
    "a changed text becomes a new version (uri#v2). A text that a current",
    "document under another uri already has is stored with meta.duplicate_of",
    "= that document's uri (reports skip it). Invalid UTF-8 is",
    "reported with its byte position and skipped unless --repair; UTF-16 is",
    "named as such and skipped. --from-encoding converts files (not JSON",
    "lines, which are UTF-8) from latin1, cp1252, utf-16 or another encoding",
    "iconv knows. Exit code 1 when any input was skipped, 2 when one named",
    "on the command line is missing or unreadable." }, "\n"),
  options = P.with_options({
    { name = "db", type = "string", required = true, help = "the corpus database (created when missing)" },
    { name = "from-encoding", type = "string",
      help = "convert files from this encoding (latin1, cp1252, utf-16 ...) to UTF-8" },
    { name = "busy-timeout", type = "integer", default = 5000,
      help = "milliseconds to wait while another process writes to the database" },
    { name = "quiet", type = "boolean", default = false, help = "no summary on stdout" },
    shares.option,
  }, "reading", "jobs", "progress"),
}

-- What ingest makes of a document read (lector.pipeline.read) before the
-- store sees it, the same in this process (-j 1) and in a -j N worker:
-- a line lector wrote has its annotations and run checked (d.by, d.order,
-- d.run_key, or d.error), and the text is hashed (d.hash), so that the
-- one writer only inserts rows.
local function prepare(d)
  if not d.error and (d.annotations ~= nil or d.run ~= nil) then
    local by, order = P.check_annotations(d.annotations, #d.text)
    local key, why
    if by and d.run ~= nil then key, why = P.check_run(d.run) end
    if not by or why then
      d.error = by and why or order
    else
      d.by, d.order, d.run_key = by, order, key
    end
  end
  if not d.error then d.hash = store.sha256(d.text) end
  return d
end

-- The checked annotations of a line (d.by, d.order) as the JSON text
-- db:annotate_json takes: [[layer, rows], ...] in d.order, the rows
-- written by the core (store.spans_json) as db:annotate would store them.
local function annotations_json(d)
  local parts = {}
  for k, layer in ipairs(d.order) do
    parts[k] = "[" .. json.encode(layer) .. "," .. store.spans_json(d.by[layer], #d.text) .. "]"
  end
  return "[" .. table.concat(parts, ",") .. "]"
end

-- What goes around a worker's answer line (shares.spill).
local SPILLED = { "text", "annotations_json" }

-- A -j N worker: the documents of each share, prepared, in one line.
local function serve(read_opts)
  shares.serve(read_opts, function(_, docs, spill)
    local out = {}
    for d in docs do
      d = prepare(d)
      -- checked into d.by; the writer needs neither
      d.annotations, d.path = nil, nil
      d.meta = shares.meta_json(d.meta)
      -- A line's annotations go to the writer as the text it stores in
      -- C (db:annotate_json), not as tables to decode and pack again.
      -- One the store would refuse stays in d.by, for the writer to
      -- refuse as one process does.
      if d.by then
        local ok, text = pcall(annotations_json, d)
        if ok then d.annotations_json, d.by = text, nil end
      end
      out[#out + 1] = d
    end
    -- the texts go around the JSON line (shares.spill)
    shares.spill(spill, out, SPILLED)
    return { docs = out }
  end)
  return 0
end

-- FTS5 merges the index's segments as it goes ('automerge', 4 by
-- default): over a bulk load that merging redoes the same postings
-- again and again, a sixth of ingest's time. While ingest writes, only the
-- 'crisismerge' merges run (16 segments of a level at once), which leave
-- as few segments as automerge 16 would: MATCH queries take the same time
-- (tests/bench/RESULTS.md, issue 24). FTS5 also writes out the terms it
-- holds as a segment whenever they pass 'hashsize' (1 MB by default):
-- with 8 MB a group's documents make one segment, not several (a tenth of
-- ingest's CPU, RESULTS.md, ing7). The settings are the index's own, so
-- they are put back when ingest ends; a process killed in the middle
-- leaves automerge 0, which no one chooses, and the next ingest puts the
-- default back (a hashsize left at 8 MB only lets a writer hold more).
local BULK_HASHSIZE = 8 * 1024 * 1024

local function bulk_settings(db)
  local function setting(k)
    return tonumber(db:value("SELECT v FROM documents_fts_config WHERE k = ?", k))
  end
  local automerge, hashsize = setting("automerge"), setting("hashsize")
  if automerge == nil or automerge == 0 then automerge = 4 end
  hashsize = hashsize or 1024 * 1024
  local function set(k, v)
    db:exec(string.format("INSERT INTO documents_fts(documents_fts, rank) VALUES('%s', %d)", k, v))
  end
  set("automerge", 0)
  set("hashsize", BULK_HASHSIZE)
  return function()
    set("automerge", automerge)
    set("hashsize", hashsize)
  end
end

function R.run(opts, inputs)
  -- The database itself (and its -wal/-shm/-journal files) is never an
  -- input, even when it lies inside an input directory: ingesting
  -- corpus/ into corpus/corpus.db stored the database as a document.
  local read_opts = { repair = opts.repair, jsonl = opts.jsonl, raw = opts.raw,
                      all_files = opts["all-files"], follow_symlinks = opts["follow-symlinks"],
                      special_files = opts["special-files"], keep_html = opts["keep-html"], exclude = { opts.db },
                      from_encoding = opts["from-encoding"] }
  if opts.shares then return serve(read_opts) end
  if #inputs == 0 then recipes.fail("ingest needs at least one file, directory or JSON-lines input", 2) end
  if opts["from-encoding"] then
    local eok, eerr = pcall(text_.from_encoding, "", opts["from-encoding"])
    if not eok then recipes.fail("option --from-encoding: " .. eerr, 2) end
  end
  local ok, db = pcall(store.open, opts.db, { busy_timeout = opts["busy-timeout"] })
  if not ok then recipes.fail(tostring(db), 1) end
  local list = P.inputs(inputs, read_opts)
  local bar = require("lector.progress").new { mode = opts.progress, bytes = list.bytes, docs = list.files,
                                                 label = "ingest" }

  local run = db:begin_run("ingest", { db = opts.db, inputs = inputs, repair = opts.repair,
                                       jsonl = opts.jsonl, raw = opts.raw }, { recipe = true })
  local n = { added = 0, updated = 0, unchanged = 0, skipped = 0, repaired = 0, metadata = 0, annotations = 0,
              duplicates = 0 }
  -- Lines lector wrote (tag --stream ...) bring their annotations and the
  -- run that made them: each distinct run is recorded once.
  local imported = {}
  local function skip(where, why)
    n.skipped = n.skipped + 1
    io.stderr:write("lector: ", tty.escape_message(where .. ": " .. tostring(why)), "\n")
  end

  -- Documents go to db:add_many in batches (of 64, or 8 MB of text): many
  -- to a statement.
  local batch, batch_bytes = {}, 0
  -- The group's new documents: their duplicates are looked for once, when
  -- the group ends (SQL between two batches would make the store index
  -- each batch's text on its own instead of the group's at once).
  local added_ids = {}
  -- The group's documents whose annotations (`meta` spans, a line's
  -- annotations) wait for the group's end, {id, what of d, is_new}, for
  -- the same reason: SQL after each batch indexed 64 documents at a time
  -- (ingest of tagged lines, RESULTS.md, par8).
  local waiting = {}
  local function flush()
    if #batch == 0 then return end
    local added, results = pcall(db.add_many, db, batch)
    if not added then
      -- A document the store refuses must not take the others with it:
      -- each goes in alone, in a savepoint, and the one refused is skipped.
      local kept = {}
      results = {}
      for _, d in ipairs(batch) do
        local okd, id, is_new, version = pcall(db.transaction, db, db.add, db, d)
        if okd then
          kept[#kept + 1] = d
          results[#results + 1] = { id = id, is_new = is_new, version = version }
        elseif type(id) == "table" or store.is_damage(id) then
          error(id, 0) -- a damaged store is no document's fault
        else
          skip(d.where or d.uri, tostring(id):gsub("^bad argument #1 to 'add' %((.*)%)$", "%1"))
        end
      end
      batch = kept
    end
    for i, r in ipairs(results) do
      local d = batch[i]
      if not r.is_new then
        if P.refresh_metadata(db, r.id, d) then n.metadata = n.metadata + 1 end
        n.unchanged = n.unchanged + 1
      else
        if r.version > 1 then n.updated = n.updated + 1 else n.added = n.added + 1 end
        added_ids[#added_ids + 1] = r.id
      end
      if (r.is_new and #d.spans > 0) or d.by or d.annotations_json then
        -- (not the text: a group's texts could be gigabytes)
        waiting[#waiting + 1] = { r.id, { spans = d.spans, by = d.by, order = d.order, run = d.run,
          run_key = d.run_key, annotations_json = d.annotations_json }, r.is_new }
      end
    end
    batch, batch_bytes = {}, 0
  end
  -- The annotations of the group's documents, in their order.
  local function store_waiting()
    for _, w in ipairs(waiting) do
      local id, d = w[1], w[2]
      if w[3] and #d.spans > 0 then db:annotate(id, "meta", d.spans, { run = run }) end
      if d.by or d.annotations_json then
        local from = d.run_key and P.imported_run(db, d.run, d.run_key, imported) or run
        local totals = {}
        local clear = from.recipe and (from.layers or d.order) or {}
        if d.annotations_json then -- a -j N worker's
          if type(d.annotations_json) ~= "string" or type(d.order) ~= "table" then
            error("a worker wrote an answer with annotations that are not JSON text", 0)
          end
          db:clear_layers(id, clear, from)
          db:annotate_json(id, d.annotations_json, { run = from, layers = d.order, totals = totals })
        else
          P.store_annotations(db, id, from, d.by, d.order, clear, totals)
        end
        for _, k in pairs(totals) do n.annotations = n.annotations + k end
      end
    end
    waiting = {}
  end
  local function end_group()
    flush()
    store_waiting()
    n.duplicates = n.duplicates + duplicates.flag_exact(db, added_ids)
    added_ids = {}
  end

  -- Documents go in groups, one transaction each (up to 2048 documents or
  -- a quarter of a second, recipes.in_groups): a document and its
  -- annotations are always in the same transaction, so a crash leaves
  -- whole documents only, while the full-text index takes the group's
  -- documents with one statement when it ends (the store defers it:
  -- core/README.md) and the WAL pays once per group. Against 512
  -- documents a group, about a tenth less CPU (RESULTS.md, ing7).
  local function each(d)
    if d.error then
      skip(d.where, d.error)
    else
      if d.repaired then n.repaired = n.repaired + 1 end
      batch[#batch + 1] = d
      batch_bytes = batch_bytes + #d.text
      if #batch == 64 or batch_bytes >= 8e6 then flush() end
    end
    -- JSON lines count their bytes; a file counts once it is done.
    bar:step(d.size or 0, not d.line)
  end
  local jobs = P.jobs(opts.jobs)
  local documents
  local close = function() end
  if jobs > 1 and #list > 0 then
    -- Workers read, decode, parse, normalize and hash the documents of
    -- their shares of the inputs; this process only writes them, in input
    -- order (the same ids and versions as one process gives).
    local args = { "--db", opts.db }
    for _, k in ipairs { "repair", "jsonl", "raw", "keep-html" } do
      if opts[k] then args[#args + 1] = "--" .. k end
    end
    if opts["from-encoding"] then
      args[#args + 1] = "--from-encoding"
      args[#args + 1] = opts["from-encoding"]
    end
    local results
    results, close = shares.open { list = list, jobs = jobs, argv = shares.argv("ingest", args), spill = true }
    local docs, i = {}, 0
    documents = function()
      while true do
        i = i + 1
        if docs[i] then return docs[i] end
        local rec, share = results()
        if rec == nil then return nil end
        if type(rec.docs) ~= "table" then error("a worker wrote an answer without documents", 0) end
        shares.unspill(share, rec.docs, SPILLED)
        docs, i = rec.docs, 0
      end
    end
  else
    local read = P.read(list, read_opts)
    documents = function()
      local d = read()
      return d and prepare(d)
    end
  end
  local resume
  local okay, err = pcall(function()
    resume = bulk_settings(db)
    recipes.in_groups(db, documents, each, { max = 2048, before_commit = end_group })
  end)
  local rok, rerr = pcall(resume or function() end)
  if okay and not rok then okay, err = false, rerr end
  close()
  bar:done()
  for _, r in pairs(imported) do pcall(r.finish, r, okay and "ok" or "failed") end
  if not okay then
    pcall(run.finish, run, "failed")
    db:close()
    if type(err) == "table" then error(err, 0) end
    recipes.fail(tostring(err), 1)
  end
  run:finish(n.skipped > 0 and "ok, with skipped inputs" or "ok")
  local st = db:stats()
  db:close()
  if not opts.quiet then
    io.stdout:write(string.format(
      "ingest: %d added, %d updated, %d unchanged%s, %d skipped%s%s%s -> %s (%s)\n",
      n.added, n.updated, n.unchanged,
      n.metadata > 0 and string.format(" (%d with new metadata)", n.metadata) or "",
      n.skipped, n.repaired > 0 and string.format(", %d repaired", n.repaired) or "",
      n.duplicates > 0 and string.format(", %d %s of another uri's text", n.duplicates,
        n.duplicates == 1 and "copy" or "copies") or "",
      n.annotations > 0 and string.format(", %d annotations", n.annotations) or "", opts.db,
      recipes.count(st.documents, "document")))
  end
  return n.skipped > 0 and 1 or 0
end

return R
