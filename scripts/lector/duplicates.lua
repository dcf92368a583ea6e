-- lector.duplicates: documents whose text another document already has.
--
-- Exact: ingest gives a document whose text is that of a current document
-- stored before it under another uri meta.duplicate_of = that document's
-- uri (the first one stored with the text). Near: the dups recipe
-- (M.near) finds pairs of documents with most of their word 3-shingles in
-- common (the same wire story in two outlets, one with a boilerplate
-- tail) and stores each pair on the later document of the two as an
-- annotation of layer `duplicate` spanning its text, attrs {of = uri,
-- of_id = id, similarity, containment}.
-- Reports skip both kinds unless asked (M.report_opts); a duplicate is
-- skipped only when the document it copies is among those reported.
--
--   local dups = require "lector.duplicates"
--   for _, p in ipairs(dups.near(db, { threshold = 0.8 })) do print(p.similarity, p.uri, p.of_uri) end
local bit = require "bit"
local check = require "lector.check"
local store = require "lector.store"

local bxor, rol = bit.bxor, bit.rol

local M = {}

M.LAYER = "duplicate"

--- ensure_index(db): the index by text hash that makes finding a stored
-- text one lookup. Stores made before it get it on their next ingest: an
-- index, not a schema change (the schema check compares triggers and
-- views), so the schema version stays 4 and older lectors open the store.
local indexed = setmetatable({}, { __mode = "k" })
function M.ensure_index(db)
  if indexed[db] then return end
  db:exec("CREATE INDEX IF NOT EXISTS documents_hash ON documents(hash)")
  indexed[db] = true
end

-- For each document of a batch just added: the first document stored
-- before it with the same text under another uri, and current when it
-- was added (an index lookup by hash), one statement for the batch: the
-- same answer whenever it runs (ingest asks once a group).
local function first_sql(n)
  return "SELECT n.id, (SELECT o.uri FROM documents o WHERE o.hash = n.hash AND o.id < n.id" ..
    " AND o.base_uri IS NOT n.base_uri AND o.version = (SELECT max(version) FROM documents v" ..
    " WHERE v.base_uri = o.base_uri AND v.id < n.id) ORDER BY o.id LIMIT 1) AS of FROM documents n WHERE n.id IN (" ..
    string.rep("?", n, ",") .. ") AND instr(n.meta, '\"duplicate_of\"') = 0"
end

--- flag_exact(db, ids) -> n: for the documents ids just added (an array of
-- ids), sets meta.duplicate_of to the uri of the first current document
-- stored before it with the same text under another uri, unless meta
-- has a duplicate_of already. The text's hash is the store's (documents.hash,
-- an indexed lookup: M.ensure_index is made first), so no text is hashed
-- twice; only the duplicates, few, are written again. Returns how many
-- were flagged.
function M.flag_exact(db, ids)
  if getmetatable(db) ~= store.Db then check.argerr(1, "flag_exact", "store", db) end
  if type(ids) ~= "table" then check.argerr(2, "flag_exact", "array of ids", ids) end
  M.ensure_index(db)
  local n = 0
  for i = 1, #ids, 256 do
    local part = { unpack(ids, i, math.min(i + 255, #ids)) }
    for _, row in ipairs(db:query(first_sql(#part), unpack(part))) do
      if row.of then
        db:query("UPDATE documents SET meta = json_set(meta, '$.duplicate_of', ?) WHERE id = ?", row.of, row.id)
        n = n + 1
      end
    end
  end
  return n
end

---------------------------------------------------------------------------
-- skipping duplicates in reports

--- skip_sql(where, args, all) -> where, args, all: the condition of
-- lector.pipeline.filter_sql (on a row of current_documents, or of
-- documents when all) with "and not a duplicate of a document that the
-- same condition selects" added. The outer row is named by its table, the
-- conditions are unqualified: inside the subqueries they read the row o.
function M.skip_sql(where, args, all)
  local t = all and "documents" or "current_documents"
  local inner = where ~= "" and (" AND " .. where) or ""
  local o = "SELECT 1 FROM (SELECT * FROM " .. t .. ") o WHERE "
  local cond = "NOT ((instr(" .. t .. ".meta, '\"duplicate_of\"') > 0 AND EXISTS (" .. o ..
    "o.uri = json_extract(" .. t .. ".meta, '$.duplicate_of') AND o.id <> " .. t .. ".id" .. inner .. "))" ..
    " OR (" .. t .. ".id IN (SELECT doc_id FROM annotations WHERE layer = 'duplicate') AND EXISTS (" .. o ..
    "o.id IN (SELECT json_extract(attrs, '$.of_id') FROM annotations WHERE doc_id = " .. t ..
    ".id AND layer = 'duplicate')" .. inner .. ")))"
  local out = {}
  for _ = 1, 3 do
    for i = 1, #args do out[#out + 1] = args[i] end
  end
  return (where ~= "" and (where .. " AND ") or "") .. cond, out, all
end

--- report_opts(opts) -> opts: what the reports read: duplicates skipped
-- (skip_duplicates) unless opts.with_duplicates (or "with-duplicates")
-- or skip_duplicates = false. A copy when it adds the key.
function M.report_opts(opts)
  opts = opts or {}
  if opts.skip_duplicates ~= nil then return opts end
  local out = {}
  for k, v in pairs(opts) do out[k] = v end
  out.skip_duplicates = not (opts.with_duplicates or opts["with-duplicates"])
  return out
end

--- skipped(db, opts) -> n: how many documents of the filters of opts
-- the reports skip as duplicates (0 unless opts.skip_duplicates).
function M.skipped(db, opts)
  if not opts.skip_duplicates then return 0 end
  local P = require "lector.pipeline"
  local all = {}
  for k, v in pairs(opts) do all[k] = v end
  all.skip_duplicates = false
  local a, aargs = P.scope(all)
  local s, sargs = P.scope(opts)
  return db:value("SELECT count(*) FROM " .. a, unpack(aargs, 1, #aargs))
    - db:value("SELECT count(*) FROM " .. s, unpack(sargs, 1, #sargs))
end

---------------------------------------------------------------------------
-- near duplicates

-- MinHash signatures of 64 hashes cut into bands: documents that agree
-- on all the hashes of one band are candidates, compared exactly after.
-- 16 bands of 4 find a pair of similarity 0.7 with probability 0.99 and
-- one of 0.5 with 0.64; below a threshold of 0.6, 32 bands of 2 (0.5:
-- 0.9997, 0.3: 0.95).
local K = 64

local function shingle_set(text)
  local sim = require "lector.extract.similarity"
  local set, n = {}, 0
  for _, h in ipairs(sim.shingles(text)) do
    if not set[h] then set[h] = true; n = n + 1 end
  end
  return set, n
end

local function jaccard(a, na, b, nb)
  local small, big = a, b
  if na > nb then small, big = b, a end
  local common = 0
  for h in pairs(small) do if big[h] then common = common + 1 end end
  local union = na + nb - common
  return union > 0 and common / union or 1, math.min(na, nb) > 0 and common / math.min(na, nb) or 1
end

-- The earlier of two documents: the one published first when both say,
-- else the one stored first.
local function earlier(a, b)
  if a.published and b.published and a.published ~= b.published then return a.published < b.published end
  return a.id < b.id
end

--- near(db, opts) -> pairs: the near-duplicate pairs among the documents
-- that the filters of opts select (lector.pipeline.filter_sql), each
-- {id, uri, of_id, of_uri, similarity, containment}: id is the later
-- document, of_id the earlier (published first, else stored first);
-- similarity is the Jaccard similarity of their word 3-shingle sets
-- (at least opts.threshold, default 0.8), containment the share of the
-- smaller set found in the other. Documents with the same text are a pair
-- of similarity 1 with the first one (exact = true). Two versions of one
-- document (--all-versions) are no pair. Sorted by id, of_id.
-- opts.on_doc is called after each document is read (a progress bar).
function M.near(db, opts)
  if getmetatable(db) ~= store.Db then check.argerr(1, "near", "store", db) end
  if opts ~= nil and type(opts) ~= "table" then check.argerr(2, "near", "table or nil", opts) end
  opts = opts or {}
  local threshold = opts.threshold or 0.8
  if type(threshold) ~= "number" or threshold ~= threshold or threshold <= 0 or threshold > 1 then
    check.argmsg(2, "near", "threshold: a number in (0, 1] expected")
  end
  local sim = require "lector.extract.similarity"
  local P = require "lector.pipeline"
  local rows = threshold >= 0.6 and 4 or 2
  local where, args, all = P.filter_sql(opts)
  local docs, by_hash, buckets, cand = {}, {}, {}, {}
  local found = {}
  local function pair(a, b)
    if a.base == b.base then return end -- two versions of one document
    local x, y = a, b
    if earlier(b, a) then x, y = b, a end
    local key = y.i * 2 ^ 26 + x.i
    if not cand[key] then cand[key] = { y, x } end
  end
  local sql = "SELECT id, uri, base_uri, published, hash, text FROM " ..
    (all and "documents" or "current_documents") .. (where ~= "" and (" WHERE " .. where) or "") .. " ORDER BY id"
  for d in db:rows(sql, unpack(args, 1, #args)) do
    local rec = { id = d.id, uri = d.uri, base = d.base_uri, published = d.published, i = #docs + 1 }
    docs[#docs + 1] = rec
    local first = by_hash[d.hash]
    -- (a version back to an old text of its document is compared as any other)
    if first and first.base ~= rec.base then
      local x, y = first, rec
      if earlier(y, x) then x, y = y, x end
      found[#found + 1] = { id = y.id, uri = y.uri, of_id = x.id, of_uri = x.uri, similarity = 1, containment = 1,
                            exact = true }
    else
      by_hash[d.hash] = first or rec
      local sig = sim.minhash(d.text, K)
      for b = 0, K / rows - 1 do
        -- the band's hashes mixed into one number: keys that collide
        -- only add a candidate, which the exact comparison drops
        local h = 0
        for r = 1, rows do h = bxor(rol(h, 7), sig[b * rows + r]) end
        local key = b * 2 ^ 32 + h % 2 ^ 32
        local bucket = buckets[key]
        if bucket then
          for _, other in ipairs(bucket) do pair(other, rec) end
          bucket[#bucket + 1] = rec
        else
          buckets[key] = { rec }
        end
      end
    end
    if opts.on_doc then opts.on_doc(#d.text) end
  end
  buckets = nil -- luacheck: ignore
  -- Candidates compared exactly; each document's shingles computed once.
  local sets = {}
  local function set_of(rec)
    local s = sets[rec.id]
    if not s then
      local set, n = shingle_set(db:value("SELECT text FROM documents WHERE id = ?", rec.id))
      s = { set = set, n = n }
      sets[rec.id] = s
    end
    return s
  end
  local keys = {}
  for k in pairs(cand) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do
    local y, x = cand[k][1], cand[k][2]
    local sy, sx = set_of(y), set_of(x)
    local j, c = jaccard(sy.set, sy.n, sx.set, sx.n)
    if j >= threshold then
      found[#found + 1] = { id = y.id, uri = y.uri, of_id = x.id, of_uri = x.uri,
                            similarity = math.floor(j * 1000 + 0.5) / 1000,
                            containment = math.floor(c * 1000 + 0.5) / 1000 }
    end
  end
  table.sort(found, function(a, b)
    if a.id ~= b.id then return a.id < b.id end
    return a.of_id < b.of_id
  end)
  found.documents = #docs
  return found
end

--- store_pairs(db, pairs, run, ids): replaces the layer `duplicate` that
-- earlier recipe runs wrote on the documents ids (the documents
-- compared) by the pairs (from M.near), one annotation per pair on its
-- later document, spanning the text, label `exact` (the same text) or
-- `near`. Returns the number stored.
function M.store_pairs(db, pairs, run, ids)
  db:clear_layers(ids, { M.LAYER }, run)
  local by_doc, order = {}, {}
  for _, p in ipairs(pairs) do
    if not by_doc[p.id] then by_doc[p.id] = {}; order[#order + 1] = p.id end
    local len = db:value("SELECT length(CAST(text AS BLOB)) FROM documents WHERE id = ?", p.id)
    local list = by_doc[p.id]
    list[#list + 1] = { start_byte = 0, end_byte = len, label = p.exact and "exact" or "near",
      attrs = { of = p.of_uri, of_id = p.of_id, similarity = p.similarity, containment = p.containment } }
  end
  local n = 0
  for _, id in ipairs(order) do n = n + db:annotate(id, M.LAYER, by_doc[id], { run = run }) end
  return n
end

return M
