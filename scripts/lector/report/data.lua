-- lector.report.data: the questions the reports, views and exports ask a
-- tagged store, as plain tables. Plain SQL over the documented schema (the
-- recipes hold none of their own), plus what SQL cannot give: sentence
-- text (the store keeps sentence numbers, the tokenizer finds the
-- sentences again) and offsets in characters beside the bytes.
--
--   local data = require "lector.report.data"
--   for doc, anns in data.each_document(db, { outlet = "SANA" }) do ... end
local check = require "lector.check"
local context = require "lector.context"
local duplicates = require "lector.duplicates"
local json = require "lector.json"
local pipeline = require "lector.pipeline"
local store = require "lector.store"

local M = {}

local function check_db(db, fname)
  if getmetatable(db) ~= store.Db then
    check.argerr(1, fname, "store", db, 3)
  end
end

local function check_opts(opts, fname)
  if opts ~= nil and type(opts) ~= "table" then
    check.argerr(2, fname, "table or nil", opts, 3)
  end
  return opts or {}
end

local scope, with = pipeline.scope, pipeline.bind

-- opts.layer: a list of layers (nil or empty: all but none excluded).
local function layer_set(opts)
  local l = opts.layer
  if type(l) == "string" then l = { l } end
  if not l or #l == 0 then return nil end
  local set = {}
  for _, x in ipairs(l) do set[x] = true end
  return set
end
M.layer_set = layer_set

local function decode(a)
  if type(a.attrs) == "string" then
    local v = json.decode(a.attrs)
    a.attrs = type(v) == "table" and v or {}
  elseif a.attrs == nil then
    a.attrs = {}
  end
  return a
end

--- Character offsets: a function(byte) -> the number of characters in
-- text before byte offset b (0-based), for offsets asked in any order.
-- Counting continues from the last offset asked when it is not smaller.
function M.char_counter(text)
  if type(text) ~= "string" then
    check.argerr(1, "char_counter", "string", text)
  end
  local last_b, last_c = 0, 0
  return function(b)
    if b < last_b then last_b, last_c = 0, 0 end
    local piece = text:sub(last_b + 1, b)
    last_c = last_c + #piece - select(2, piece:gsub("[\128-\191]", ""))
    last_b = b
    return last_c
  end
end

--- The annotations of document id in position order, each once (one span,
-- one layer, one label), attrs decoded; opts.layer limits the layers,
-- opts.meta = false leaves out the header layer `meta`.
function M.annotations(db, id, opts)
  check_db(db, "annotations")
  opts = check_opts(opts, "annotations")
  local want = layer_set(opts)
  local out, seen = {}, {}
  for a in db:rows([[SELECT id, layer, label, entity, start_byte, end_byte, attrs FROM annotations
                     WHERE doc_id = ? ORDER BY start_byte, end_byte DESC, layer, label, id]], id) do
    local key = a.layer .. "\31" .. (a.label or "") .. "\31" .. a.start_byte .. "\31" .. a.end_byte
    if not seen[key] and (not want or want[a.layer]) and not (opts.meta == false and a.layer == "meta") then
      seen[key] = true
      out[#out + 1] = decode(a)
    end
  end
  return out
end

--- Iterates the documents in scope (the filters of
-- lector.pipeline.filter_sql) as doc, annotations (M.annotations).
function M.each_document(db, opts)
  check_db(db, "each_document")
  opts = check_opts(opts, "each_document")
  local docs = pipeline.from_store(db, opts)
  return function()
    local d = docs.each()
    if d then return d, M.annotations(db, d.id, opts) end
  end
end

--- The number of documents in scope.
function M.count(db, opts)
  check_db(db, "count")
  opts = duplicates.report_opts(check_opts(opts, "count"))
  local ids, args = scope(opts)
  return db:value("SELECT count(*) FROM " .. ids, with(args))
end

--- The corpus overview: {documents, outlets = {{outlet, documents}},
-- first, last (published), undated, duplicates (documents skipped as
-- copies of another: lector.duplicates), versions (older versions not
-- counted), words, layers = {layer = spans}}.
function M.overview(db, opts)
  check_db(db, "overview")
  opts = duplicates.report_opts(check_opts(opts, "overview"))
  local ids, args = scope(opts)
  local r = db:query([[SELECT count(*) AS documents, min(published) AS first, max(published) AS last,
      sum(published IS NULL) AS undated
    FROM documents WHERE id IN ]] .. ids, with(args))[1]
  r.undated = r.undated or 0
  r.duplicates = duplicates.skipped(db, opts)
  r.versions = db:value("SELECT count(*) FROM documents WHERE id NOT IN (SELECT id FROM current_documents)")
  r.outlets = db:query([[SELECT coalesce(outlet, '') AS outlet, count(*) AS documents FROM documents
    WHERE id IN ]] .. ids .. " GROUP BY 1 ORDER BY 2 DESC, 1", with(args))
  r.layers = {}
  for row in db:rows([[SELECT layer, count(DISTINCT doc_id || ':' || start_byte || ':' || end_byte || ':' ||
      ifnull(label, '')) AS n FROM annotations WHERE doc_id IN ]] .. ids ..
      " AND layer <> 'meta' GROUP BY layer ORDER BY layer", with(args)) do
    r.layers[row.layer] = row.n
  end
  return r
end

--- Names used outside their time: entity mentions stored with
-- attrs.anachronism (a dated alias met in a document published outside
-- its valid_from/valid_to), one row per name as written, entity and
-- document: {{text, entity, valid_from, valid_to, doc_id, published,
-- title, mentions, context}} (context: the first mention with some text
-- either side), by document date.
function M.anachronisms(db, opts)
  check_db(db, "anachronisms")
  opts = check_opts(opts, "anachronisms")
  local ids, args = scope(opts)
  -- the name as written comes from the text (bytes), not from attrs
  local rows = db:query([[SELECT
        CAST(substr(CAST(d.text AS BLOB), a.start_byte + 1, a.end_byte - a.start_byte) AS TEXT) AS text,
        a.entity, json_extract(a.attrs, '$.valid_from') AS valid_from,
        json_extract(a.attrs, '$.valid_to') AS valid_to, a.doc_id, d.published, coalesce(d.title, d.uri) AS title,
        count(DISTINCT a.start_byte) AS mentions, min(a.start_byte) AS first_byte, min(a.end_byte) AS first_end
      FROM annotations a JOIN documents d ON d.id = a.doc_id
      WHERE a.layer = 'entity' AND json_extract(a.attrs, '$.anachronism') AND a.doc_id IN ]] .. ids .. [[
      GROUP BY 1, a.entity, a.doc_id ORDER BY d.published, a.doc_id, a.entity, 1]], with(args))
  for _, r in ipairs(rows) do
    local from = math.max(0, r.first_byte - 60)
    local want = r.first_end + 60 - from
    local ctx = db:value([[SELECT CAST(substr(CAST(text AS BLOB), ?, ?) AS TEXT) FROM documents WHERE id = ?]],
      from + 1, want, r.doc_id) or ""
    local cut_end = #ctx == want
    -- whole characters and words only, one line
    ctx = ctx:gsub("^[\128-\191]+", "")
    if cut_end then ctx = ctx:gsub("[\192-\255][\128-\191]*$", ""):gsub("%s+%S*$", "…", 1) end
    if from > 0 then ctx = ctx:gsub("^%S*%s+", "…", 1) end
    ctx = ctx:gsub("%s+", " ")
    r.context, r.first_byte, r.first_end = ctx, nil, nil
  end
  return rows
end

--- Entities by type: {{type, entities = {{entity, mentions, documents,
-- names = {...}}}}} with opts.top entities per type (default 15).
function M.entities_by_type(db, opts)
  check_db(db, "entities_by_type")
  opts = duplicates.report_opts(check_opts(opts, "entities_by_type"))
  local ids, args = scope(opts)
  local types, by = {}, {}
  for e in db:rows([[SELECT a.label AS type, a.entity,
        count(DISTINCT a.doc_id || ':' || a.start_byte || ':' || a.end_byte) AS mentions,
        count(DISTINCT a.doc_id) AS documents,
        json_group_array(DISTINCT coalesce(json_extract(a.attrs, '$.text'), a.span_text)) AS names
      FROM annotations a WHERE a.layer = 'entity' AND a.entity IS NOT NULL AND a.doc_id IN ]] .. ids .. [[
      GROUP BY a.label, a.entity ORDER BY a.label, mentions DESC, a.entity]], with(args)) do
    local t = e.type or ""
    if not by[t] then
      by[t] = { type = t, entities = {}, mentions = 0 }
      types[#types + 1] = by[t]
    end
    local names = {}
    for _, n in ipairs(json.decode(e.names) or {}) do
      if type(n) == "string" then names[#names + 1] = n end
    end
    e.names = names
    by[t].mentions = by[t].mentions + e.mentions
    if #by[t].entities < (opts.top or 15) then by[t].entities[#by[t].entities + 1] = e end
  end
  return types
end

--- Who cites whom: {{outlet, source, citations, documents}}, outlet ''
-- when unknown; the source is the entity or the words naming it.
function M.citations(db, opts)
  check_db(db, "citations")
  opts = duplicates.report_opts(check_opts(opts, "citations"))
  local ids, args = scope(opts)
  return db:query([[SELECT coalesce(d.outlet, '') AS outlet,
        coalesce(a.entity, json_extract(a.attrs, '$.source'), '?') AS source, a.label,
        count(DISTINCT a.doc_id || ':' || a.start_byte) AS citations, count(DISTINCT a.doc_id) AS documents
      FROM annotations a JOIN documents d ON d.id = a.doc_id
      WHERE a.layer = 'source' AND a.doc_id IN ]] .. ids .. [[
      GROUP BY 1, 2 ORDER BY citations DESC, 1, 2]], with(args))
end

-- Sentence text of each sentence number of a document, computed once.
-- The scope filters of opts (lector.pipeline.filter_sql's), for
-- M.each_document, with only the annotations of layers.
local function scope_filters(opts, layers)
  return { doc = opts.doc, outlet = opts.outlet, since = opts.since, ["until"] = opts["until"],
           all_versions = opts.all_versions or opts["all-versions"], skip_duplicates = opts.skip_duplicates,
           layer = layers }
end

local function sentence_finder(doc)
  local ctx
  return function(n)
    if not n or n == json.null then return nil end
    ctx = ctx or context.new(doc)
    local s = ctx.sentences[n]
    if not s then return nil end
    return (doc.text:sub(s.start, s.stop):gsub("%s+", " ")), s.start - 1, s.stop
  end
end

local function num(v) return type(v) == "number" and v or nil end
local function str(v) return type(v) == "string" and v or nil end

--- The claimed figures (layer quantity) with what an analyst checks them
-- by: {doc_id, uri, title, outlet, published, start_byte, end_byte,
-- start_char, end_char, label, text, value, low, high, object, event,
-- source, source_entity, sentence = {number, text, start_byte, end_byte},
-- places = {...} (PLACE entities of the sentence, or of the three
-- before, or the document's most named place: place_from says which), hedges = {...} (labels
-- within one sentence)}.
function M.claims(db, opts)
  check_db(db, "claims")
  opts = duplicates.report_opts(check_opts(opts, "claims"))
  local out = {}
  for doc, anns in M.each_document(db, scope_filters(opts, { "quantity", "entity", "hedge" })) do
    local sentence = sentence_finder(doc)
    local chars = M.char_counter(doc.text)
    local places, hedges, doc_places, top_place = {}, {}, {}, nil
    for _, a in ipairs(anns) do
      local s = num(a.attrs.sentence)
      if a.layer == "entity" and a.label == "PLACE" and a.entity then
        doc_places[a.entity] = (doc_places[a.entity] or 0) + 1
        if not top_place or doc_places[a.entity] > doc_places[top_place]
            or (doc_places[a.entity] == doc_places[top_place] and a.entity < top_place) then
          top_place = a.entity
        end
      end
      if s and a.layer == "entity" and a.label == "PLACE" and a.entity then
        places[s] = places[s] or {}
        places[s][a.entity] = true
      elseif s and a.layer == "hedge" then
        hedges[s] = hedges[s] or {}
        hedges[s][a.label or "?"] = true
      end
    end
    for _, a in ipairs(anns) do
      if a.layer == "quantity" then
        local at = a.attrs
        local sn = num(at.sentence)
        local stext, sb, se = sentence(sn)
        local c = {
          doc_id = doc.id, uri = doc.uri, title = doc.title, outlet = doc.outlet, published = doc.published,
          start_byte = a.start_byte, end_byte = a.end_byte,
          start_char = chars(a.start_byte), end_char = chars(a.end_byte),
          label = a.label, text = doc.text:sub(a.start_byte + 1, a.end_byte),
          value = num(at.value), low = num(at.low), high = num(at.high),
          object = str(at.object) or str(at.what), event = str(at.event), class = str(at.class),
          source = str(at.source), source_entity = str(at.source_entity),
          sentence = sn and { number = sn, text = stext, start_byte = sb, end_byte = se } or json.null,
          places = {}, hedges = {},
        }
        if sn then
          -- the places of its sentence, else of the three before, else
          -- the place the document names most (c.place_from says which)
          for back = 0, 3 do
            for p in pairs(places[sn - back] or {}) do c.places[#c.places + 1] = p end
            if #c.places > 0 then
              c.place_from = back == 0 and "sentence" or "nearby"
              break
            end
          end
          for d = sn - 1, sn + 1 do
            for h in pairs(hedges[d] or {}) do c.hedges[h] = true end
          end
        end
        if #c.places == 0 and top_place then
          c.places[1] = top_place
          c.place_from = "document"
        end
        -- the most named place first: it is the one claims are grouped by
        table.sort(c.places, function(x, y)
          local nx, ny = doc_places[x] or 0, doc_places[y] or 0
          if nx ~= ny then return nx > ny end
          return x < y
        end)
        local hl = {}
        for h in pairs(c.hedges) do hl[#hl + 1] = h end
        table.sort(hl)
        c.hedges = hl
        out[#out + 1] = c
      end
    end
  end
  return out
end

-- Days since 1970 of an ISO 8601 date (as precise as it is), or nil.
local function days(iso)
  if type(iso) ~= "string" then return nil end
  local y, m, d = iso:match("^(%d%d%d%d)%-?(%d?%d?)%-?(%d?%d?)")
  if not y then return nil end
  m, d = tonumber(m) or 7, tonumber(d) or (m ~= "" and 15 or 1)
  return os.time { year = tonumber(y), month = m, day = d, hour = 12 } / 86400
end
M.days = days

--- Claims grouped so that conflicting figures for the same event sit side
-- by side: one group per (event or counted object, place) among claims
-- published within opts.days (default 7) of each other. Returns
-- {{key, event, object, place, claims = {...}, values = {...},
-- conflict = true when they differ}}, conflicting groups first.
function M.claim_groups(claims, opts)
  if type(claims) ~= "table" then
    check.argerr(1, "claim_groups", "table", claims)
  end
  opts = opts or {}
  local window = opts.days or 7
  local buckets, order = {}, {}
  for _, c in ipairs(claims) do
    local what = c.event or c.object or c.class or c.label or "?"
    local places = #c.places > 0 and c.places or { "" }
    local key = what .. "\31" .. places[1]
    if not buckets[key] then
      buckets[key] = {}
      order[#order + 1] = key
    end
    table.insert(buckets[key], c)
  end
  local groups = {}
  for _, key in ipairs(order) do
    local list = buckets[key]
    table.sort(list, function(a, b)
      local da, db_ = days(a.published) or 0, days(b.published) or 0
      if da ~= db_ then return da < db_ end
      if a.doc_id ~= b.doc_id then return a.doc_id < b.doc_id end
      return a.start_byte < b.start_byte
    end)
    local cur, last
    for _, c in ipairs(list) do
      local d = days(c.published)
      if not cur or (d and last and d - last > window) then
        local what, place = key:match("^(.-)\31(.*)$")
        cur = { key = key, what = what, event = c.event, object = c.object,
                place = place ~= "" and place or nil, claims = {}, values = {} }
        groups[#groups + 1] = cur
      end
      last = d or last
      cur.claims[#cur.claims + 1] = c
    end
  end
  for _, g in ipairs(groups) do
    local seen = {}
    for _, c in ipairs(g.claims) do
      local v = c.value or c.low
      if v and not seen[v] then
        seen[v] = true
        g.values[#g.values + 1] = v
      end
    end
    g.conflict = #g.values > 1 and g.place ~= nil
  end
  table.sort(groups, function(a, b)
    if a.conflict ~= b.conflict then return a.conflict end
    if #a.claims ~= #b.claims then return #a.claims > #b.claims end
    return a.key < b.key
  end)
  return groups
end

--- The dated events: every `date` annotation with an ISO value, with its
-- sentence: {iso, day (days since 1970), label, doc_id, title, outlet,
-- start_byte, end_byte, text, sentence}, in date order.
function M.timeline(db, opts)
  check_db(db, "timeline")
  opts = duplicates.report_opts(check_opts(opts, "timeline"))
  local out = {}
  for doc, anns in M.each_document(db, scope_filters(opts, { "date" })) do
    local sentence = sentence_finder(doc)
    for _, a in ipairs(anns) do
      local iso = str(a.attrs.iso)
      local d = days(iso)
      if d then
        out[#out + 1] = { iso = iso, day = d, label = a.label, doc_id = doc.id, title = doc.title,
          outlet = doc.outlet, start_byte = a.start_byte, end_byte = a.end_byte,
          text = doc.text:sub(a.start_byte + 1, a.end_byte), sentence = sentence(num(a.attrs.sentence)) }
      end
    end
  end
  table.sort(out, function(a, b)
    if a.day ~= b.day then return a.day < b.day end
    if a.doc_id ~= b.doc_id then return a.doc_id < b.doc_id end
    return a.start_byte < b.start_byte
  end)
  return out
end

--- Hedges and loaded labels per 1,000 words: {documents = {{doc_id,
-- title, outlet, words, hedges, loaded, hedge_rate, loaded_rate}},
-- outlets = {{outlet, documents, words, hedges, loaded, hedge_rate,
-- loaded_rate}}}. Words are runs of letters or digits.
function M.density(db, opts)
  check_db(db, "density")
  opts = duplicates.report_opts(check_opts(opts, "density"))
  local ids, args = scope(opts)
  local docs, outlets, by = {}, {}, {}
  for d in db:rows([[SELECT d.id, d.title, coalesce(d.outlet, '') AS outlet, d.text,
        (SELECT count(DISTINCT start_byte) FROM annotations h WHERE h.doc_id = d.id AND h.layer = 'hedge'
           AND h.label <> 'loaded') AS hedges,
        (SELECT count(DISTINCT start_byte) FROM annotations h WHERE h.doc_id = d.id AND h.layer = 'hedge'
           AND h.label = 'loaded') AS loaded
      FROM documents d WHERE d.id IN ]] .. ids .. " ORDER BY d.id", with(args)) do
    local words = select(2, d.text:gsub("[%w\128-\255][%w\128-\255'’%-]*", ""))
    d.text = nil
    d.words = words
    local k = words > 0 and 1000 / words or 0
    d.hedge_rate, d.loaded_rate = d.hedges * k, d.loaded * k
    docs[#docs + 1] = d
    local o = by[d.outlet]
    if not o then
      o = { outlet = d.outlet, documents = 0, words = 0, hedges = 0, loaded = 0 }
      by[d.outlet] = o
      outlets[#outlets + 1] = o
    end
    o.documents, o.words = o.documents + 1, o.words + words
    o.hedges, o.loaded = o.hedges + d.hedges, o.loaded + d.loaded
  end
  for _, o in ipairs(outlets) do
    local k = o.words > 0 and 1000 / o.words or 0
    o.hedge_rate, o.loaded_rate = o.hedges * k, o.loaded * k
  end
  table.sort(outlets, function(a, b) return a.outlet < b.outlet end)
  return { documents = docs, outlets = outlets }
end

--- Keyword in context. term: words (matched case- and accent-
-- insensitively on lector.text.fold, at word boundaries) or "@ENTITY" (its
-- mentions in layer entity). Returns {{doc_id, uri, start_byte, end_byte,
-- left, match, right}} with opts.width characters of context each side.
function M.kwic(db, term, opts)
  check_db(db, "kwic")
  if type(term) ~= "string" or term == "" then
    check.argerr(2, "kwic", "non-empty string", term)
  end
  opts = opts or {}
  local width = opts.width or 40
  local text_ = require "lector.text"
  local hits = {}
  local function context_of(doc, b0, b1)
    local t = doc.text
    local left = t:sub(1, b0):gsub("%s+", " ")
    local right = t:sub(b1 + 1):gsub("%s+", " ")
    local function last_chars(s, n)
      local c = text_.chars(s)
      if c <= n then return s end
      return s:sub(text_.char_to_byte(s, c - n + 1))
    end
    local function first_chars(s, n)
      if text_.chars(s) <= n then return s end
      return s:sub(1, text_.char_to_byte(s, n + 1) - 1)
    end
    return last_chars(left:sub(-4 * width - 8), width), first_chars(right:sub(1, 4 * width + 8), width)
  end
  local entity = term:match("^@(.+)$")
  local f = {}
  for k, v in pairs(opts) do f[k] = v end
  if entity then
    f.layer = { "entity" }
    for doc, anns in M.each_document(db, f) do
      for _, a in ipairs(anns) do
        if a.entity == entity then
          local l, r = context_of(doc, a.start_byte, a.end_byte)
          hits[#hits + 1] = { doc_id = doc.id, uri = doc.uri, start_byte = a.start_byte, end_byte = a.end_byte,
                              left = l, match = doc.text:sub(a.start_byte + 1, a.end_byte), right = r }
        end
      end
    end
    return hits
  end
  -- the full-text index finds the documents; folding finds the places
  local want = text_.fold(term)
  local ids = {}
  for _, h in ipairs(db:search(term, { limit = 1e9, all_versions = f.all_versions or f["all-versions"] })) do
    ids[h.id] = true
  end
  f.layer = { "-" }
  for doc in M.each_document(db, f) do
    if ids[doc.id] then
      local toks = require("lector.token").tokenize(doc.text)
      local n = #toks
      local folded = {}
      local function fold_at(i)
        local v = folded[i]
        if v == nil then
          local t = toks[i]
          v = text_.fold(doc.text:sub(t.start, t.stop))
          folded[i] = v
        end
        return v
      end
      -- match token by token: the term's own tokens, in order
      local tt = require("lector.token").tokenize(term)
      local parts = {}
      for i = 1, #tt do parts[i] = text_.fold(term:sub(tt[i].start, tt[i].stop)) end
      if #parts == 0 then parts = { want } end
      for i = 1, n - #parts + 1 do
        local ok = true
        for j = 1, #parts do
          if fold_at(i + j - 1) ~= parts[j] then ok = false; break end
        end
        if ok then
          local b0, b1 = toks[i].start - 1, toks[i + #parts - 1].stop
          local l, r = context_of(doc, b0, b1)
          hits[#hits + 1] = { doc_id = doc.id, uri = doc.uri, start_byte = b0, end_byte = b1,
                              left = l, match = doc.text:sub(b0 + 1, b1), right = r }
        end
      end
      toks:release()
      tt:release()
    end
  end
  return hits
end

--- Entity co-occurrence: entities (layer entity) named in the same
-- sentence (opts.window = "sentence", the default) or the same document.
-- Returns nodes {{id, entity, type, mentions, documents}} and edges
-- {{source, target, weight}} (weight: sentences or documents shared).
function M.cooccur(db, opts)
  check_db(db, "cooccur")
  opts = duplicates.report_opts(check_opts(opts, "cooccur"))
  local by_doc = opts.window == "document"
  local nodes, node_of, edges, edge_of = {}, {}, {}, {}
  local f = {}
  for k, v in pairs(opts) do f[k] = v end
  f.layer = { "entity" }
  for _, anns in M.each_document(db, f) do
    local groups, docs_seen = {}, {}
    for _, a in ipairs(anns) do
      if a.entity then
        local n = node_of[a.entity]
        if not n then
          n = { id = #nodes, entity = a.entity, type = a.label, mentions = 0, documents = 0 }
          nodes[#nodes + 1] = n
          node_of[a.entity] = n
        end
        n.mentions = n.mentions + 1
        if not docs_seen[a.entity] then docs_seen[a.entity] = true; n.documents = n.documents + 1 end
        local g = by_doc and 0 or (num(a.attrs.sentence) or -1)
        groups[g] = groups[g] or {}
        groups[g][a.entity] = true
      end
    end
    for _, set in pairs(groups) do
      local list = {}
      for e in pairs(set) do list[#list + 1] = e end
      table.sort(list)
      for i = 1, #list do
        for j = i + 1, #list do
          local key = list[i] .. "\31" .. list[j]
          local e = edge_of[key]
          if not e then
            e = { source = node_of[list[i]].id, target = node_of[list[j]].id,
                  source_entity = list[i], target_entity = list[j], weight = 0 }
            edge_of[key] = e
            edges[#edges + 1] = e
          end
          e.weight = e.weight + 1
        end
      end
    end
  end
  table.sort(edges, function(a, b)
    if a.weight ~= b.weight then return a.weight > b.weight end
    if a.source ~= b.source then return a.source < b.source end
    return a.target < b.target
  end)
  return nodes, edges
end

return M
