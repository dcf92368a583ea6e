-- lector.pipeline.sinks: where a pipeline's annotations go (the store,
-- JSON lines, CSV). Part of lector.pipeline, which re-exports it.
local check = require "lector.check"
local json = require "lector.json"
local store = require "lector.store"

local M = {}

-- Annotations go to the store 10,000 at a time: a document where every
-- word is a mention never holds a table per mention at once.
local BATCH = 10000

--- Sink: the store db, under run. For each document the layers the run
-- writes replace what earlier recipe runs wrote there (db:clear_layers);
-- annotations of scripts and SQL stay. layers: the names the stages
-- declared. Counts what it stored in sink.totals (layer -> n).
function M.store_sink(db, run, layers)
  if getmetatable(db) ~= store.Db then check.argerr(1, "store_sink", "store", db) end
  local sink = { totals = {}, layers = layers or {}, db = db, run = run }
  for _, l in ipairs(sink.layers) do sink.totals[l] = 0 end
  local pending, doc_id = {}, nil
  local function flush(layer)
    local spans = pending[layer]
    if spans and #spans > 0 then
      db:annotate(doc_id, layer, spans, { run = run })
      sink.totals[layer] = (sink.totals[layer] or 0) + #spans
      pending[layer] = {}
    end
  end
  function sink.begin(doc)
    doc_id = doc.id
    db:clear_layers(doc_id, sink.layers, run)
  end
  function sink.emit(layer, span)
    local spans = pending[layer]
    if not spans then
      spans = {}
      pending[layer] = spans
    end
    spans[#spans + 1] = span
    if #spans == BATCH then flush(layer) end
  end
  function sink.finish()
    for layer in pairs(pending) do flush(layer) end
  end
  function sink.abort() pending = {} end
  return sink
end

local doc_keys = { "id", "uri", "title", "author", "outlet", "published" }

-- A span in the shape JSON lines and CSV share with the store's columns:
-- 0-based byte offsets, end exclusive.
local function span_row(layer, s)
  return { layer = layer, label = s.label, entity = s.entity, start_byte = s.start - 1,
           end_byte = s.stop, attrs = s.attrs }
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
    local row = span_row(layer, span)
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
