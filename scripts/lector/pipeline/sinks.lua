-- lector.pipeline.sinks: where a pipeline's annotations go (the store,
-- JSON lines, CSV). Part of lector.pipeline, which re-exports it.
local check = require "lector.check"
local json = require "lector.json"
local store = require "lector.store"

local M = {}

-- A document's annotations are written as they come once 10,000 of them
-- are held: a document where every word is a mention never holds all
-- of them at once.
local BATCH = 10000

--- Packs span, the k-th of its layer in a document of len bytes, into
-- packed (lector.store.packed), which checks it once for all: as
-- db:annotate would and against len, as it is emitted (inside the
-- document's savepoint: the store sink writes the group's spans only
-- when the group commits). Counts it in runs: flat (layer, first, count)
-- triples, nr of them, a run of one layer, the last one (of layer last)
-- extended. Returns nr and layer, the new last. (The store sink, a -j N
-- worker, and the -j N writer for the documents it tags itself; no table
-- a run.)
function M.pack_span(packed, runs, nr, last, layer, span, k, len)
  local at = packed.n
  packed:add(span, k, len)
  if layer == last then
    runs[3 * nr] = runs[3 * nr] + 1
  else
    local j = 3 * nr
    runs[j + 1], runs[j + 2], runs[j + 3] = layer, at, 1
    nr = nr + 1
  end
  return nr, layer
end
local pack_span = M.pack_span

--- Sink: the store db, under run. For each document the layers the run
-- writes replace what earlier recipe runs wrote there (db:clear_layers);
-- annotations of scripts and SQL stay. layers: the names the stages
-- declared. Counts what it stored in sink.totals (layer -> n).
-- Each document's annotations are written when it ends; when M.run
-- groups the documents in transactions (spec.db) it sets sink.grouped,
-- and they are held until sink.flush_group(), which M.run calls before
-- each transaction commits (lector.recipes.in_groups): then one
-- statement clears the group's documents and the annotations go in back
-- to back, with no SQL between them, so that a big group takes the
-- store's bulk path. Each span is packed for the store as it is emitted
-- (lector.store.packed), so no span table outlives its stage: held
-- until the group commits, span tables tripled the entities stage's
-- time under the collector. A document with more than 10,000 writes
-- them as they come; when M.run takes no savepoint a document
-- (spec.savepoints = false: it sets sink.guard), inside a savepoint of
-- the sink's, released when the document ends, rolled back when it fails
-- (sink.abort).
function M.store_sink(db, run, layers)
  if getmetatable(db) ~= store.Db then check.argerr(1, "store_sink", "store", db) end
  local sink = { totals = {}, layers = layers or {}, db = db, run = run }
  for _, l in ipairs(sink.layers) do sink.totals[l] = 0 end
  local wopts = { run = run }
  -- The group's batches, flat: doc_id, layer, first span in packed
  -- (0-based), count; docs: the group's documents.
  local packed, batches, docs = store.packed(), {}, {}
  local cleared = {} -- doc_id -> true: cleared already (a big document)
  -- The document's: spans emitted by layer (counts[layer], valid when
  -- seen[layer] is the document's serial number: no table a document);
  -- runs of one layer in packed, flat (layer, first, count) triples, nr
  -- of them; where its spans begin in packed.
  local doc_id, doc_len, counts, seen, serial = nil, 0, {}, {}, 0
  local runs, nr, run_layer, doc_from = {}, 0, nil, 0
  local in_savepoint = false -- the document's, open (see sink.guard)
  local written -- layer -> spans of the document written before it ends
  function sink.begin(doc)
    doc_id, doc_len = doc.id, #doc.text
    serial, nr, run_layer, doc_from, written = serial + 1, 0, nil, packed.n, nil
  end
  -- A big document's spans so far, written now and dropped from packed.
  local function write_runs()
    if sink.guard and not in_savepoint then
      db:_savepoint()
      in_savepoint = true
    end
    if not cleared[doc_id] then
      db:clear_layers(doc_id, sink.layers, run)
      cleared[doc_id] = true
    end
    for j = 1, 3 * nr, 3 do
      local layer, n = runs[j], runs[j + 2]
      db:_annotate_packed(doc_id, layer, packed, runs[j + 1], n, wopts)
      sink.totals[layer] = (sink.totals[layer] or 0) + n
      written = written or {}
      written[layer] = (written[layer] or 0) + n
    end
    packed:truncate(doc_from)
    nr, run_layer = 0, nil
  end
  function sink.emit(layer, span)
    local k = 1
    if seen[layer] == serial then k = counts[layer] + 1 else seen[layer] = serial end
    counts[layer] = k
    nr, run_layer = pack_span(packed, runs, nr, run_layer, layer, span, k, doc_len)
    if packed.n - doc_from >= BATCH then write_runs() end
  end
  function sink.finish()
    for j = 1, 3 * nr, 3 do
      local nb = #batches
      batches[nb + 1], batches[nb + 2], batches[nb + 3], batches[nb + 4] = doc_id, runs[j], runs[j + 1], runs[j + 2]
    end
    docs[#docs + 1] = doc_id
    serial, nr, run_layer = serial + 1, 0, nil
    if in_savepoint then
      in_savepoint = false
      db:_end_savepoint(true)
    end
    if not sink.grouped then sink.flush_group() end
  end
  -- A document that fails leaves nothing in the group.
  function sink.abort()
    serial, nr, run_layer = serial + 1, 0, nil
    packed:truncate(doc_from)
    -- in M.run's groups, what it wrote is rolled back (by the sink's
    -- savepoint or M.run's)
    if sink.grouped and written then
      for layer, n in pairs(written) do sink.totals[layer] = sink.totals[layer] - n end
    end
    written = nil
    if in_savepoint then
      in_savepoint = false
      cleared[doc_id] = nil
      db:_end_savepoint(false)
    end
  end
  function sink.flush_group()
    local ids = {}
    for _, id in ipairs(docs) do
      if not cleared[id] then ids[#ids + 1] = id end
    end
    if #ids > 0 then db:clear_layers(ids, sink.layers, run) end
    if #batches > 0 then db:_annotate_batches(packed, batches, #batches / 4, wopts) end
    for k = 1, #batches, 4 do
      local layer = batches[k + 1]
      sink.totals[layer] = (sink.totals[layer] or 0) + batches[k + 3]
    end
    packed:clear()
    batches, docs, cleared = {}, {}, {}
    doc_from = 0
  end
  return sink
end

local doc_keys = { "id", "uri", "title", "author", "outlet", "published" }

--- A span in the shape JSON lines and CSV share with the store's columns:
-- 0-based byte offsets, end exclusive. A span's sentence number goes in
-- attrs.sentence, as the annotations view gives it and ingest reads it
-- back.
function M.span_row(layer, s)
  local attrs, sn = s.attrs, s.sentence
  if sn ~= nil and (type(attrs) ~= "table" or attrs.sentence == nil) then
    local t = { sentence = sn }
    if type(attrs) == "table" then
      for k, v in pairs(attrs) do t[k] = v end
    end
    attrs = t
  end
  return { layer = layer, label = s.label, entity = s.entity, start_byte = s.start - 1,
           end_byte = s.stop, attrs = attrs }
end

--- Sink: one JSON line per document on fh (default stdout): its fields
-- (uri, title, author, outlet, published, meta, text unless
-- opts.text == false) and `annotations`, each {layer, label, entity,
-- start_byte, end_byte, attrs}, and opts.run (pipeline.run_info) as `run` —
-- the line `ingest` reads back. opts.flush: each line is flushed as it
-- is written (a -j N worker's writer waits for it).
function M.jsonl_sink(fh, opts)
  fh = fh or io.stdout
  opts = opts or {}
  local sink = { totals = {} }
  local cur, anns
  function sink.begin(doc)
    cur, anns = doc, {}
  end
  function sink.emit(layer, span)
    anns[#anns + 1] = M.span_row(layer, span)
    sink.totals[layer] = (sink.totals[layer] or 0) + 1
  end
  function sink.finish()
    local out = {}
    for _, k in ipairs(doc_keys) do out[k] = cur[k] end
    if type(cur.meta) == "table" and next(cur.meta) then out.meta = cur.meta end
    if opts.text ~= false then out.text = cur.text end
    out.annotations = anns
    out.run = opts.run
    fh:write(json.encode(out), "\n")
    if opts.flush then fh:flush() end
  end
  return sink
end

--- One CSV field (RFC 4180): quoted when it holds a comma, a quote or a
-- line break; nil is empty, a table its JSON (by encode, default
-- lector.json.encode).
function M.csv_field(v, encode)
  if v == nil then return "" end
  if type(v) == "table" then v = (encode or json.encode)(v) end
  v = tostring(v)
  if v:find('[,"\r\n]') then v = '"' .. v:gsub('"', '""') .. '"' end
  return v
end
local csv_field = M.csv_field

--- Sink: one CSV row per annotation on fh (default stdout), with a header:
-- document, uri, layer, label, entity, start_byte, end_byte, text, attrs.
function M.csv_sink(fh)
  fh = fh or io.stdout
  local sink = { totals = {} }
  fh:write("document,uri,layer,label,entity,start_byte,end_byte,text,attrs\n")
  local cur
  function sink.begin(doc) cur = doc end
  function sink.emit(layer, s)
    sink.totals[layer] = (sink.totals[layer] or 0) + 1
    local row = { cur.id or "", cur.uri, layer, s.label, s.entity, s.start - 1, s.stop,
                  cur.text:sub(s.start, s.stop), s.attrs }
    for i = 1, #row do row[i] = csv_field(row[i]) end
    fh:write(table.concat(row, ","), "\n")
  end
  function sink.finish() end
  return sink
end

return M
