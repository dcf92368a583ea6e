-- lector.pipeline.sources: where a pipeline's documents come from (a
-- store's documents, files, directories, HTML, JSON lines) and how a read
-- document is stored. Part of lector.pipeline, which re-exports it.
local check = require "lector.check"
local fs = require "lector.fs"
local read = require "lector.read"
local text_ = require "lector.text"
local store = require "lector.store"

local M = {}

---------------------------------------------------------------------------
-- documents from a store

--- The SQL condition on a documents row that the filters of opts ask for
-- (doc: ids or uris; outlet; since; until; skip_duplicates: see lector.duplicates),
-- its values to bind, and whether every version is wanted (all_versions or "all-versions").
function M.filter_sql(opts)
  local where, args = {}, {}
  if opts.doc and #opts.doc > 0 then
    local ors = {}
    for _, d in ipairs(opts.doc) do
      local id = tonumber(d)
      if id and math.floor(id) == id then
        ors[#ors + 1] = "id = ?"
        args[#args + 1] = id
      else
        ors[#ors + 1] = "(uri = ? OR base_uri = ?)"
        args[#args + 1] = d
        args[#args + 1] = d
      end
    end
    where[#where + 1] = "(" .. table.concat(ors, " OR ") .. ")"
  end
  if opts.outlet then where[#where + 1] = "outlet = ?"; args[#args + 1] = opts.outlet end
  if opts.since then where[#where + 1] = "published >= ?"; args[#args + 1] = opts.since end
  if opts["until"] then where[#where + 1] = "published < ?"; args[#args + 1] = opts["until"] end
  local cond, all = table.concat(where, " AND "), (opts.all_versions or opts["all-versions"]) and true or false
  if opts.skip_duplicates then return require("lector.duplicates").skip_sql(cond, args, all) end
  return cond, args, all
end

--- The documents the filters of opts select, as an SQL subquery of ids
-- ("(SELECT id FROM current_documents WHERE ...)") and its values to bind:
-- what queries over a store's documents put after `IN`.
function M.scope(opts)
  local where, args, all = M.filter_sql(opts)
  return "(SELECT id FROM " .. (all and "documents" or "current_documents") ..
    (where ~= "" and (" WHERE " .. where) or "") .. ")", args
end

--- The values of args, then those given: what a query with a scope
-- subquery and parameters of its own binds (db:query(sql, P.bind(args, top))).
function M.bind(args, ...)
  local out = {}
  for i = 1, #args do out[i] = args[i] end
  for i = 1, select("#", ...) do out[#out + 1] = (select(i, ...)) end
  return unpack(out, 1, #out)
end

--- The documents of store db to work on, as {ids = {...}, count =,
-- each = iterator of document rows with text}: the current version of
-- each uri unless opts.all_versions (or opts["all-versions"]); filters doc
-- (ids or uris), outlet, since, until. The ids are read first, so a sink
-- may write to the store while the documents are read. opts.lengths adds
-- .lengths: id -> the text's length in bytes.
function M.from_store(db, opts)
  if getmetatable(db) ~= store.Db then check.argerr(1, "from_store", "store", db) end
  if opts ~= nil and type(opts) ~= "table" then check.argerr(2, "from_store", "table or nil", opts) end
  opts = opts or {}
  local where, args, all = M.filter_sql(opts)
  local sql = "SELECT id FROM " .. (all and "documents" or "current_documents") ..
    (where ~= "" and (" WHERE " .. where) or "") .. " ORDER BY id"
  local sort = false
  if where == "" and not all then
    -- The current_documents view's rows in the order of the index on
    -- (base_uri, version), which holds all it reads: in id order SQLite
    -- reads the table, where base_uri and version come after the text
    -- (each text's overflow pages read; 0.035 s against 0.008 s for the
    -- job bench's 12,045 documents). Sorted by id here.
    sql = "SELECT id FROM documents d WHERE d.version = (SELECT max(version) FROM documents v " ..
      "WHERE v.base_uri = d.base_uri) ORDER BY base_uri, version"
    sort = true
  end
  local ids = {}
  for row in db:rows(sql, unpack(args, 1, #args)) do ids[#ids + 1] = row.id end
  if sort then table.sort(ids) end
  -- (from the rows' headers: the query's length() loads every text)
  local lengths = opts.lengths and db:_text_lengths(ids) or nil
  local k = 0
  return {
    ids = ids, count = #ids, lengths = lengths,
    each = function()
      k = k + 1
      local id = ids[k]
      if id then return db:document(id) end
    end,
  }
end

---------------------------------------------------------------------------
-- documents from files, directories and JSON lines

-- (Both look at the last byte, or the first that is not space, before
-- copying and lowercasing: a news file is neither, and the copies were
-- a fiftieth of ingest.)
local function is_html_path(path)
  local c = path:byte(-1)
  if c ~= 108 and c ~= 76 and c ~= 109 and c ~= 77 then return false end -- l L m M
  local p = path:lower()
  return p:match("%.html?$") ~= nil or p:match("%.xhtml$") ~= nil
end

local function looks_like_html(s)
  local at = s:find("%S")
  if not at or s:byte(at) ~= 60 then return false end -- "<"
  local head = s:sub(1, 512):lower()
  return head:match("^%s*<!doctype html") ~= nil or head:match("^%s*<html[%s>]") ~= nil
end

-- The published value as ISO 8601: the parsed date (as precise as the
-- value), with the original in meta.published_raw when it differs; nil
-- when it is not a date (the original is kept all the same).
local function published_of(v, meta)
  if v == nil then return nil end
  local iso = read.normalize_date(v)
  if iso ~= v then meta.published_raw = v end
  return iso
end

--- Turns an item of lector.read.documents into the document to store, or
-- nil and the reason it is skipped. The same for every recipe: HTML
-- becomes its visible text (lector.html), invalid UTF-8 is refused with its
-- offset or repaired (opts.repair), news headers give title, author,
-- outlet, dateline (unless opts.raw), and published is ISO 8601.
function M.prepare(item, opts)
  opts = opts or {}
  local text, meta = item.text, item.meta or {}
  local fields = item.fields or {}
  if opts.prepared then
    -- A document as a store holds it: its text is the text, its fields set.
    if not text_.valid(text) then
      local _, pos, reason = text_.valid(text)
      return nil, string.format("invalid UTF-8 at byte offset %d (byte %d): %s", pos - 1, pos, reason)
    end
    -- Its id is the store's, not metadata.
    local id = item.id
    if id == nil then id, meta.id = meta.id, nil end
    return {
      uri = item.uri, text = text, meta = meta, title = fields.title, author = fields.author,
      outlet = fields.outlet, published = fields.published, spans = {}, where = item.where,
      annotations = item.annotations, run = item.run, id = id,
    }
  end
  local from_html
  -- A line lector wrote with its annotations holds a text, never HTML.
  local is_html = item.path and item.path ~= "-" and not item.line
      and (is_html_path(item.path) or looks_like_html(text))
      or fields.format == "html" or meta.format == "html"
  if is_html and not item.annotations then
    local html = require "lector.html"
    local h, err = html.to_text(text)
    if not h then return nil, "not readable as HTML: " .. tostring(err) end
    if opts.keep_html or opts["keep-html"] then meta.html = text end
    meta.format = "html"
    meta.url = meta.url or h.url
    meta.lang = meta.lang or h.lang
    from_html = h
    text = h.text
  end
  local enc = opts.from_encoding or opts["from-encoding"]
  if enc and not item.line and not from_html then -- a file; a JSON-lines record is Unicode already
    local u, why = text_.from_encoding(text, enc)
    if not u then return nil, why end
    text = u
  end
  -- UTF-16 (valid UTF-8 when it is ASCII, NUL bytes and all) is named as
  -- such, and never "repaired" into U+FFFD and NUL bytes: it is converted.
  local why = text_.why_not_utf8(text)
  if why then
    local _, pos = text_.valid(text)
    if not opts.repair or not why:find("^invalid") then
      return nil, why .. (why:find("^invalid") and "; --repair replaces it with U+FFFD"
        or "; --from-encoding utf-16 converts it")
    end
    local count
    text, count = text_.repair(text)
    meta.utf8_repairs = count
    meta.utf8_first_invalid_offset = pos - 1
  end
  local m = (not opts.raw and not from_html) and read.news_meta(text) or { spans = {} }
  if m.url and meta.url == nil then meta.url = m.url end
  local h = from_html or {}
  local published = fields.published or h.published
  if published then published = published_of(published, meta) else published = m.published end
  return require("lector.extract.metadata").fill({ -- with what the header missed
    uri = item.uri, text = text, meta = meta,
    title = fields.title or h.title or m.title, author = fields.author or h.author or m.author,
    outlet = fields.outlet or h.outlet or m.outlet, published = published,
    spans = m.spans, where = item.where, repaired = meta.utf8_repairs ~= nil,
    annotations = item.annotations, run = item.run, id = item.id,
  }, not opts.raw and m)
end

local text_exts = { txt = true, md = true, text = true, jsonl = true, ndjson = true,
                    html = true, htm = true }

-- True when a file found in a directory is one of the text files lector
-- reads by default: a known extension, or none and valid UTF-8 without NUL.
local function wanted(path)
  local name = path:match("[^/]*$")
  local ext = name:match("%.([^.]+)$")
  if ext then return text_exts[ext:lower()] == true end
  local f = io.open(path, "rb")
  if not f then return true end -- let the reader report it
  local head = f:read(65536) or ""
  f:close()
  if head:find("%z") then return false end
  -- A cut multi-byte character at the end of the sample is not an error.
  local ok, pos = text_.valid(head)
  return ok or pos > #head - 3
end

--- The inputs under paths as lector.read.inputs gives them, without the
-- files of opts.exclude (the store being written, its -wal/-shm) and, in
-- directories, only text, JSON-lines and HTML files unless
-- opts.all_files; opts.follow_symlinks and opts.special_files as the
-- reading options say. Returns the list, with .bytes and .files totals.
function M.inputs(paths, opts)
  if type(paths) ~= "table" then check.argerr(1, "inputs", "table of paths", paths) end
  opts = opts or {}
  local own = {}
  for _, p in ipairs(opts.exclude or {}) do
    for _, suffix in ipairs { "", "-wal", "-shm", "-journal" } do
      local st = fs.stat(p .. suffix)
      if st then own[st.dev .. ":" .. st.ino] = true end
    end
  end
  local named = {}
  for _, p in ipairs(paths) do named[(p:gsub("/+$", ""))] = true end
  local all_files = opts.all_files or opts["all-files"]
  local list = { resolved = true, bytes = 0, files = 0 }
  local walk = {
    jsonl = opts.jsonl,
    follow_symlinks = opts.follow_symlinks or opts["follow-symlinks"],
    special = opts.special_files or opts["special-files"],
  }
  for _, inp in ipairs(read.inputs(paths, walk)) do
    local keep = true
    if not inp.error and inp.path ~= "-" then
      if own[inp.dev .. ":" .. inp.ino] then keep = false end
      if keep and not all_files and not named[inp.path] and not named["./" .. inp.path]
          and not wanted(inp.path) then
        keep = false
      end
    end
    if keep then
      list[#list + 1] = inp
      if not inp.error then list.bytes, list.files = list.bytes + (inp.size or 0), list.files + 1 end
    end
  end
  return list
end

--- Iterates the documents under paths ready to store (M.prepare), or
-- {error=, where=} items for inputs and lines that are skipped. opts:
-- repair, jsonl, raw, all_files, keep_html, exclude, follow_symlinks,
-- special_files (see M.inputs).
function M.read(paths, opts)
  local list = type(paths) == "table" and paths.resolved and paths or M.inputs(paths, opts)
  local items = read.documents(list)
  return function()
    local item = items()
    if item == nil then return nil end
    if item.error then return item end
    local d, why = M.prepare(item, opts)
    if not d then return { error = why, where = item.where, path = item.path, size = #item.text } end
    d.size = #item.text
    d.line = item.line
    return d
  end
end

--- Stores document d (from M.read) in db: added (with its header's `meta`
-- annotations), a new version when its text changed, or its metadata
-- updated when only that is new. Returns id and "added", "updated",
-- "metadata" or "unchanged".
function M.store_document(db, d, run)
  local id, is_new, version = db:add(d)
  if is_new then
    if d.spans and #d.spans > 0 then db:annotate(id, "meta", d.spans, { run = run }) end
    return id, version > 1 and "updated" or "added"
  end
  return id, M.refresh_metadata(db, id, d) and "metadata" or "unchanged"
end

--- For a document whose text is already stored: sets the metadata d
-- brings that the store lacks or has otherwise. Returns true when a field
-- changed.
function M.refresh_metadata(db, id, d)
  return db:update_metadata(id, { title = d.title, author = d.author, outlet = d.outlet,
                                  published = d.published, meta = d.meta })
end

return M
