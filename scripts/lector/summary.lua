-- lector.summary: what a tagged store holds, as tables — the documents,
-- who and what is mentioned under which names, the numbers claimed with
-- the sources and hedges around them, the sources cited, the hedging per
-- document. The report recipe prints it; scripts use it as data. Plain SQL
-- over the documented schema: any SQLite client can ask the same.
--
--   local s = lector.summary.collect(db, { since = "2017-01-01", top = 10 })
--   for _, e in ipairs(s.entities) do print(e.entity, e.mentions, table.concat(e.names, ", ")) end
local check = require "lector.check"
local duplicates = require "lector.duplicates"
local json = require "lector.json"
local pipeline = require "lector.pipeline"
local store = require "lector.store"

local M = {}

local scope, with = pipeline.scope, pipeline.bind

local function split(list)
  local out = {}
  if list then for item in (list .. "\31"):gmatch("(.-)\31") do out[#out + 1] = item end end
  return out
end

-- group_concat's comma-separated list as an array.
local function comma_list(s)
  local out = {}
  for item in (s or ""):gmatch("[^,]+") do out[#out + 1] = item end
  return out
end

-- A span counts once, however many runs or rows stored it.
local SPAN = "DISTINCT a.doc_id || ':' || a.start_byte || ':' || a.end_byte"

--- The summary of store db: {documents, entities, claims, sources,
-- hedges, layers, duplicates_skipped}. opts: the filters of
-- lector.pipeline.filter_sql (doc, outlet, since, until, all_versions),
-- with_duplicates (copies of another document are skipped unless true:
-- lector.duplicates), top (entities listed, default 15) and on_step
-- (called after each of its six queries, for a progress bar).
function M.collect(db, opts)
  if getmetatable(db) ~= store.Db then
    check.argerr(1, "collect", "store", db)
  end
  if opts ~= nil and type(opts) ~= "table" then
    check.argerr(2, "collect", "table or nil", opts)
  end
  opts = duplicates.report_opts(opts)
  local ids, args = scope(opts)
  local step = opts.on_step or function() end
  local r = {}
  r.documents = db:query("SELECT id, uri, title, outlet, published FROM documents WHERE id IN " .. ids ..
    " ORDER BY id", with(args))
  r.duplicates_skipped = duplicates.skipped(db, opts)
  step()
  r.layers = {}
  for row in db:rows("SELECT a.layer, count(" .. SPAN .. ") AS n FROM annotations a WHERE a.doc_id IN " ..
      ids .. " AND a.layer <> 'meta' GROUP BY a.layer ORDER BY a.layer", with(args)) do
    r.layers[row.layer] = row.n
  end
  step()
  r.entities = db:query([[
    SELECT a.entity, a.label AS type, count(]] .. SPAN .. [[) AS mentions,
           count(DISTINCT a.doc_id) AS documents,
           group_concat(DISTINCT coalesce(json_extract(a.attrs, '$.text'), a.span_text)) AS names
    FROM annotations a WHERE a.layer = 'entity' AND a.doc_id IN ]] .. ids .. [[
    GROUP BY a.entity, a.label ORDER BY mentions DESC, a.entity LIMIT ?]], with(args, opts.top or 15))
  -- Names in the order they first appear (document, then byte), not in
  -- the order rows were stored: -j N stores documents in another order.
  for _, e in ipairs(r.entities) do
    local names = {}
    for row in db:rows([[
        SELECT coalesce(json_extract(a.attrs, '$.text'), a.span_text) AS name FROM annotations a
        WHERE a.layer = 'entity' AND a.entity IS ? AND a.label IS ? AND a.doc_id IN ]] .. ids .. [[
        GROUP BY name HAVING name IS NOT NULL
        ORDER BY min(a.doc_id * 4294967296 + a.start_byte), name]], with({ e.entity, e.type }, with(args))) do
      names[#names + 1] = row.name
    end
    e.names = names
  end
  step()
  -- A claim's source is the one the extractors attributed it to
  -- (attrs.source); the sources named in the same sentence are listed
  -- apart, and nothing says that one of them is the claim's own.
  r.claims = db:query([[
    SELECT q.doc_id, d.title, q.start_byte, q.end_byte, q.label,
           CAST(substr(CAST(d.text AS BLOB), q.start_byte + 1, q.end_byte - q.start_byte) AS TEXT) AS claim,
           json_extract(q.attrs, '$.value') AS value,
           coalesce(json_extract(q.attrs, '$.what'), json_extract(q.attrs, '$.object')) AS what,
           json_extract(q.attrs, '$.event') AS event,
           json_extract(q.attrs, '$.source') AS source,
           json_extract(q.attrs, '$.source_entity') AS source_entity,
           json_extract(q.attrs, '$.sentence') AS sentence,
           (SELECT group_concat(e, char(31)) FROM (SELECT DISTINCT s.entity AS e FROM annotations s
             WHERE s.doc_id = q.doc_id AND s.layer = 'source' AND s.entity IS NOT NULL
               AND json_extract(s.attrs, '$.sentence') = json_extract(q.attrs, '$.sentence')))
             AS same_sentence_sources,
           (SELECT group_concat(l, char(31)) FROM (SELECT DISTINCT h.label AS l FROM annotations h
             WHERE h.doc_id = q.doc_id AND h.layer = 'hedge'
               AND json_extract(h.attrs, '$.sentence') BETWEEN json_extract(q.attrs, '$.sentence') - 1
                                                           AND json_extract(q.attrs, '$.sentence') + 1))
             AS hedges
    FROM annotations q JOIN documents d ON d.id = q.doc_id
    WHERE q.layer = 'quantity' AND q.doc_id IN ]] .. ids .. [[
    GROUP BY q.doc_id, q.start_byte, q.end_byte, q.label
    ORDER BY q.doc_id, q.start_byte]], with(args))
  for _, c in ipairs(r.claims) do
    c.same_sentence_sources = split(c.same_sentence_sources)
    c.hedges = split(c.hedges)
  end
  step()
  r.sources = db:query([[
    SELECT coalesce(a.entity, json_extract(a.attrs, '$.source')) AS entity, a.label,
           count(]] .. SPAN .. [[) AS citations, count(DISTINCT a.doc_id) AS documents
    FROM annotations a WHERE a.layer = 'source' AND a.doc_id IN ]] .. ids .. [[
    GROUP BY 1, a.label ORDER BY citations DESC, 1]], with(args))
  step()
  r.hedges = db:query([[
    SELECT d.id, d.title, count(DISTINCT h.start_byte || ':' || h.end_byte) AS hedges,
           group_concat(DISTINCT h.label) AS kinds
    FROM documents d LEFT JOIN annotations h ON h.doc_id = d.id AND h.layer = 'hedge'
    WHERE d.id IN ]] .. ids .. [[ GROUP BY d.id ORDER BY d.id]], with(args))
  for _, h in ipairs(r.hedges) do h.kinds = comma_list(h.kinds) end
  step()
  return r
end

--- The summary as one JSON text (lists are arrays).
function M.json(r) return json.encode(r) end

return M
