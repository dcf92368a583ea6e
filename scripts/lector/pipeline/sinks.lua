-- lector.pipeline.sinks: where a pipeline's annotations go (the store,
-- JSON lines, CSV). Part of lector.pipeline, which re-exports it.
local check = require "lector.check"
local json = require "lector.json"
local store = require "lector.store"

local M = {}

-- A document's annotations go to the store 10,000 at a time at most: a
-- document where every word is a mention never holds a table per mention
-- at once.
local BATCH = 10000

-- What db:annotate would refuse in a span, checked when its document
-- ends (inside the document's savepoint), since the store sink writes
-- the group's spans only when the group commits; nil when it is fine.
local function bad_span(sp, len)
  if type(sp) ~= "table" then return "table expected, got " .. type(sp) end
  local a, z = sp.start, sp.stop
  if sp.start_byte ~= nil then a, z = sp.start_byte + 1, sp.end_byte end
  if type(a) ~= "number" or type(z) ~= "number" then return "start and stop expected" end
  if a ~= math.floor(a) or z ~= math.floor(z) or a < 1 or z < a - 1 or z > len then
    return string.format("[%s, %s] is not within the document's %d bytes", tostring(a), tostring(z), len)
  end
  local label, entity, attrs = sp.label or sp.type, sp.entity or sp.key, sp.attrs
  if label ~= nil and type(label) ~= "string" then return "label must be a string" end
  if entity ~= nil and type(entity) ~= "string" then return "entity must be a string" end
  if attrs ~= nil and type(attrs) ~= "table" and type(attrs) ~= "string" then
    return "attrs must be a table or JSON text"
  end
  return nil
end

local function check_spans(spans, len)
  for k = 1, #spans do
    local why = bad_span(spans[k], len)
    if why then check.fail(string.format("annotate: span %d: %s", k, why), 0) end
  end
end

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
-- store's bulk path. A group's annotations are held packed for the
-- store (lector.store.packed), not as a table each: a span table lives
-- for its document only. A document with more than 10,000 of one layer
-- writes them as they come.
function M.store_sink(db, run, layers)
  if getmetatable(db) ~= store.Db then check.argerr(1, "store_sink", "store", db) end
  local sink = { totals = {}, layers = layers or {}, db = db, run = run }
  for _, l in ipairs(sink.layers) do sink.totals[l] = 0 end
  -- The group's batches: doc_id, layer, first span in packed (0-based),
  -- count, flat; docs: the group's documents.
  local packed, batches, docs = store.packed(), {}, {}
  local cleared = {} -- doc_id -> true: cleared already (a big document)
  local pending, order, doc_id, doc_len = {}, {}, nil, 0
  local function write(id, layer, spans)
    db:annotate(id, layer, spans, { run = run })
    sink.totals[layer] = (sink.totals[layer] or 0) + #spans
  end
  function sink.begin(doc)
    doc_id, doc_len = doc.id, #doc.text
    pending, order = {}, {}
  end
  function sink.emit(layer, span)
    local spans = pending[layer]
    if not spans then
      spans = {}
      pending[layer] = spans
      order[#order + 1] = layer
    end
    spans[#spans + 1] = span
    if #spans == BATCH then
      if not cleared[doc_id] then
        db:clear_layers(doc_id, sink.layers, run)
        cleared[doc_id] = true
      end
      check_spans(spans, doc_len)
      write(doc_id, layer, spans)
      pending[layer] = {}
    end
  end
  function sink.finish()
    for _, layer in ipairs(order) do check_spans(pending[layer], doc_len) end
    -- Packed only once all are checked: a document that fails leaves
    -- nothing in the group (abort puts packed.n back).
    local mine = {}
    for _, layer in ipairs(order) do
      local spans = pending[layer]
      local from = packed.n
      for k = 1, #spans do packed:add(spans[k], k) end
      if #spans > 0 then mine[#mine + 1] = { layer, from, #spans } end
    end
    for _, b in ipairs(mine) do
      local nb = #batches
      batches[nb + 1], batches[nb + 2], batches[nb + 3], batches[nb + 4] = doc_id, b[1], b[2], b[3]
    end
    docs[#docs + 1] = doc_id
    pending, order = {}, {}
    if not sink.grouped then sink.flush_group() end
  end
  local function drop_unfinished()
    local nb = #batches
    packed.n = nb > 0 and batches[nb - 1] + batches[nb] or 0
  end
  function sink.abort()
    pending, order = {}, {}
    drop_unfinished()
  end
  function sink.flush_group()
    local ids = {}
    for _, id in ipairs(docs) do
      if not cleared[id] then ids[#ids + 1] = id end
    end
    if #ids > 0 then db:clear_layers(ids, sink.layers, run) end
    local opts = { run = run }
    for k = 1, #batches, 4 do
      local layer, n = batches[k + 1], batches[k + 3]
      db:_annotate_packed(batches[k], layer, packed, batches[k + 2], n, opts)
      sink.totals[layer] = (sink.totals[layer] or 0) + n
    end
    packed:clear()
    batches, docs, cleared = {}, {}, {}
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
-- is written (a -j N worker's writer waits for it); opts.attrs_text: attrs
-- as a string of JSON (what the writer of tag -j N passes on as it is).
function M.jsonl_sink(fh, opts)
  fh = fh or io.stdout
  opts = opts or {}
  local sink = { totals = {} }
  local cur, anns
  function sink.begin(doc)
    cur, anns = doc, {}
  end
  function sink.emit(layer, span)
    local row = M.span_row(layer, span)
    -- A -j N worker's writer stores attrs as the JSON text they arrive as.
    if opts.attrs_text and row.attrs ~= nil then row.attrs = json.encode(row.attrs) end
    anns[#anns + 1] = row
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
