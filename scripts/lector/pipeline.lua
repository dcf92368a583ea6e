-- lector.pipeline: the one document pipeline that recipes and analysts'
-- scripts share. Documents come in (a store's current documents, files,
-- directories, HTML, JSON lines), each becomes one context (tokens,
-- sentences, gazetteer matches computed once: lector.context), stages add
-- annotations to it, and a sink writes them (the store, JSON lines, CSV).
--
--   local P = lector.pipeline
--   local db = lector.store.open("corpus.db")
--   local g = lector.gazetteer.load("places.tsv")
--   local n = P.run {
--     documents = P.from_store(db, { since = "2017-01-01" }),
--     gazetteer = g,
--     stages = { P.entities(), P.patterns(P.load_patterns("patterns.tsv", g)) },
--     sink = P.store_sink(db, db:begin_run("my-tagging", {}, { recipe = true })),
--   }
--
-- A stage is a function(ctx, emit): emit(layer, span) hands a span to the
-- sink (and to ctx.layers when a later stage reads that layer;
-- emit(layer, span, true) when the stage put it in ctx.layers itself). Spans are
-- {start=, stop=} (1-based inclusive bytes) with label, entity and attrs.
local check = require "lector.check"
local context = require "lector.context"
local fs = require "lector.fs"
local json = require "lector.json"
local read = require "lector.read"
local text_ = require "lector.text"
local pattern = require "lector.pattern"
local store = require "lector.store"
local progress = require "lector.progress"

local M = {}

---------------------------------------------------------------------------
-- option declarations recipes share

M.options = {
  -- which documents of a store
  filters = {
    { name = "doc", type = "list", help = "only these documents (ids or uris; repeat or comma-separate)" },
    { name = "outlet", type = "string", help = "only documents of this outlet" },
    { name = "since", type = "string", help = "only documents published on or after this date (ISO 8601)" },
    { name = "until", type = "string", help = "only documents published before this date (ISO 8601)" },
    { name = "all-versions", type = "boolean", default = false,
      help = "every stored version of a changed document, not only the current one" },
  },
  -- how files are read
  reading = {
    { name = "repair", type = "boolean", default = false,
      help = "replace invalid UTF-8 with U+FFFD (recorded in meta.utf8_repairs) instead of skipping" },
    { name = "jsonl", type = "boolean", default = false, help = "read every input file as JSON lines" },
    { name = "all-files", type = "boolean", default = false,
      help = "take every file in a directory, not only text, JSON-lines and HTML files" },
    { name = "raw", type = "boolean", default = false,
      help = "store texts as they are, without pulling title/author/date from news headers" },
    { name = "keep-html", type = "boolean", default = false,
      help = "keep an HTML input's markup in meta.html" },
    { name = "follow-symlinks", type = "boolean", default = false,
      help = "follow symbolic links that lead out of a directory input (skipped by default)" },
    { name = "special-files", type = "boolean", default = false,
      help = "read a FIFO or device named as an input (only regular files and - by default)" },
  },
  progress = {
    { name = "progress", type = "choice", choices = { "auto", "always", "never" }, default = "auto",
      help = "a progress bar on stderr (auto: when stderr is a terminal)" },
  },
  -- -j N: worker processes
  jobs = {
    { name = "jobs", short = "j", type = "integer", default = 1, max = 64,
      help = "worker processes that tokenize, match and extract (0: one per core); one writer" },
  },
  -- --stream: JSON lines in, JSON lines out, no store
  stream = {
    { name = "stream", type = "boolean", default = false,
      help = "documents as JSON lines on stdin, the same documents with their annotations " ..
        "as JSON lines on stdout; no store" },
    { name = "text", type = "boolean", default = true,
      help = "with --stream: each output line carries the text (--no-text: only fields and annotations)" },
    { name = "prepared", type = "boolean", default = false,
      help = "with --stream: texts and fields as a store holds them (no HTML, news header or date handling)" },
  },
}

--- The option declarations of the named groups after the recipe's own:
-- M.with_options(own, "filters", "progress").
function M.with_options(own, ...)
  local out = {}
  for _, o in ipairs(own) do out[#out + 1] = o end
  for i = 1, select("#", ...) do
    local group = M.options[select(i, ...)]
    if not group then error("with_options: no option group " .. tostring(select(i, ...)), 2) end
    for _, o in ipairs(group) do out[#out + 1] = o end
  end
  return out
end

---------------------------------------------------------------------------
-- documents from a store

--- The SQL condition on a documents row that the filters of opts ask
-- for (doc: ids or uris; outlet; since; until), its values to bind, and
-- whether every version is wanted (all_versions or "all-versions").
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
  return table.concat(where, " AND "), args, (opts.all_versions or opts["all-versions"]) and true or false
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
  local sql = "SELECT id" .. (opts.lengths and ", length(CAST(text AS BLOB)) AS bytes" or "") ..
    " FROM " .. (all and "documents" or "current_documents") ..
    (where ~= "" and (" WHERE " .. where) or "") .. " ORDER BY id"
  local ids, lengths = {}, opts.lengths and {} or nil
  for row in db:rows(sql, unpack(args, 1, #args)) do
    ids[#ids + 1] = row.id
    if lengths then lengths[row.id] = row.bytes end
  end
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

local function is_html_path(path)
  local p = path:lower()
  return p:match("%.html?$") ~= nil or p:match("%.xhtml$") ~= nil
end

local function looks_like_html(s)
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
  return {
    uri = item.uri, text = text, meta = meta,
    title = fields.title or h.title or m.title, author = fields.author or h.author or m.author,
    outlet = fields.outlet or h.outlet or m.outlet, published = published,
    spans = m.spans, where = item.where, repaired = meta.utf8_repairs ~= nil,
    annotations = item.annotations, run = item.run, id = item.id,
  }
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
      local st = fs.stat(inp.path)
      if st and own[st.dev .. ":" .. st.ino] then keep = false end
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

---------------------------------------------------------------------------
-- stages

--- Stage: every gazetteer match becomes an `entity` annotation (label =
-- type, entity = canonical key; attrs alias, text, source, sentence, and
-- fuzzy/key for a fuzzy match, anachronism for a name used outside its
-- dates).
function M.entities()
  return function(ctx, emit)
    if not ctx.gazetteer then return end
    -- Matches come in text order: the sentence number walks along.
    local raw, si = ctx.raw_sentences, 0
    local sa, ns = raw.array, raw.n
    for m in ctx:each_match() do
      local first = m.first - 1
      while si + 1 < ns and sa[si + 1].first <= first do si = si + 1 end
      emit("entity", { start = m.start, stop = m.stop, label = m.type, entity = m.entity,
        attrs = { alias = m.alias, text = m.text, source = m.source, sentence = si + 1,
                  fuzzy = m.fuzzy, key = m.key, anachronism = m.anachronism } })
    end
  end, { "entity" }
end

--- Reads a patterns file ("layer<TAB>label<TAB>pattern" rows, # comments,
-- an optional header row): returns the patterns, or raises with every bad
-- row (FILE:LINE: reason, up to 20). opts.skip_bad skips bad rows
-- instead, counting them in the result's .skipped.
function M.load_patterns(path, g, opts)
  if type(path) ~= "string" then check.argerr(1, "load_patterns", "string", path) end
  opts = opts or {}
  local f, err = io.open(path, "rb")
  if not f then error(path .. ": " .. tostring(err):gsub("^[^:]*: ", ""), 2) end
  local pats, bad, n = { skipped = 0, warnings = {} }, {}, 0
  local function problem(msg)
    bad[#bad + 1] = string.format("%s:%d: %s", path, n, msg)
  end
  for line in f:lines() do
    n = n + 1
    line = line:gsub("\r$", "")
    if line:match("%S") and not line:match("^%s*#") and not (n == 1 and line:match("^layer\t")) then
      local layer, label, src = line:match("^([^\t]+)\t([^\t]+)\t(.+)$")
      if not layer then
        if not line:find("\t") and line:match("^%S+%s+%S+%s+%S") then
          problem("expected layer, label and pattern separated by tabs; this row is separated by spaces")
        else
          problem("expected layer, label and pattern separated by tabs")
        end
      else
        local ok, p = pcall(pattern, src, { gazetteer = g })
        if not ok then
          problem(tostring(p):gsub("^[^\n]-%.lua:%d+: ", ""))
        else
          pats[#pats + 1] = { layer = layer, label = label, pattern = p, line = n, source = path .. ":" .. n }
        end
      end
    end
  end
  f:close()
  if #bad > 0 then
    if opts.skip_bad then
      pats.skipped = #bad
      pats.problems = bad
    else
      local shown = {}
      for i = 1, math.min(#bad, 20) do shown[i] = bad[i] end
      if #bad > 20 then shown[#shown + 1] = string.format("... and %d more bad rows", #bad - 20) end
      error(table.concat(shown, "\n"), 2)
    end
  end
  return pats
end

--- Warnings about types a typo may have made: a gazetteer type that one
-- entry alone names and no pattern asks for ("FILE:LINE: type PALCE is
-- named by this entry only and by no pattern"). Returns an array.
function M.type_warnings(g, pats)
  local out = {}
  if not g then return out end
  local count, first = g:types()
  local asked = {}
  for _, p in ipairs(pats or {}) do
    for t in p.pattern.src:gmatch("@([%w_]+)") do asked[t] = true end
  end
  local names = {}
  for t, n in pairs(count) do
    if n == 1 and not asked[t] then names[#names + 1] = t end
  end
  table.sort(names)
  for _, t in ipairs(names) do
    out[#out + 1] = string.format("%s: type %s is named by this entry only and by no pattern", first[t], t)
  end
  return out
end

-- Two matches of one layer that overlap and count the same number are one
-- claim ("killing 60 militants" and "60 militants"): the longer stays.
local function same_claim(a, b)
  return a.count_at and a.count_at == b.count_at and a.start <= b.stop and b.start <= a.stop
end

--- Stage: every match of the patterns (from M.load_patterns) becomes an
-- annotation in its row's layer with its label; captures become attrs
-- (name = text, name_entity = the gazetteer entity the capture covers),
-- a count capture gives attrs.value, attrs.pattern names the row
-- (FILE:LINE) that matched. One span, one layer, one label: one
-- annotation, whichever rows matched it.
function M.patterns(pats)
  local layers, seen = {}, {}
  for _, p in ipairs(pats) do
    if not seen[p.layer] then
      seen[p.layer] = true
      layers[#layers + 1] = p.layer
    end
  end
  return function(ctx, emit)
    if #pats == 0 then return end
    local toks = ctx.tokens
    local by_layer = {}
    for _, p in ipairs(pats) do
      -- Patterns that name gazetteer types read the document's matches,
      -- found once for all of them.
      local popts
      if p.pattern.gazetteer and p.pattern.gazetteer == ctx.gazetteer and p.pattern.src:find("@", 1, true) then
        popts = { gazetteer_matches = ctx.overlap_buffer }
      end
      for m in p.pattern:matches(toks, popts) do
        -- attrs.pattern: the row that matched (FILE:LINE), so a wrong hit
        -- is one look away from its rule
        local attrs = { text = m.text, sentence = ctx:sentence_at(m.start), pattern = p.source }
        local entity, count_at
        for name, c in pairs(m.captures) do
          attrs[name] = c.text
          if ctx.gazetteer then
            local e = ctx:entity_of(c.first, c.last)
            if e then
              attrs[name .. "_entity"] = e
              entity = entity or e
            end
          end
          if name == "count" then count_at = c.start end
        end
        if attrs.count then attrs.value = tonumber((attrs.count:gsub(",", ""))) end
        local list = by_layer[p.layer]
        if not list then
          list = {}
          by_layer[p.layer] = list
        end
        list[#list + 1] = { start = m.start, stop = m.stop, label = p.label, entity = entity,
                            attrs = attrs, count_at = count_at }
      end
    end
    for _, layer in ipairs(layers) do
      local list = by_layer[layer]
      if list then
        table.sort(list, function(a, b)
          if a.start ~= b.start then return a.start < b.start end
          return a.stop > b.stop
        end)
        local kept = {}
        for _, s in ipairs(list) do
          local dup = false
          for j = #kept, math.max(1, #kept - 8), -1 do
            local k = kept[j]
            if (k.start == s.start and k.stop == s.stop and k.label == s.label) or same_claim(k, s) then
              dup = true
              break
            end
          end
          if not dup then kept[#kept + 1] = s end
        end
        for _, s in ipairs(kept) do
          s.count_at = nil
          emit(layer, s)
        end
      end
    end
  end, layers
end

--- The extractor names of a list ("all", "quantities,dates", an array),
-- in the order they run; raises naming an unknown one.
function M.extractor_list(list)
  local extract = require "lector.extract"
  local want = {}
  if list == nil or list == "all" or (type(list) == "table" and #list == 1 and list[1] == "all") then
    for _, n in ipairs(extract.order) do want[n] = true end
  else
    if type(list) == "string" then
      local t = {}
      for n in list:gmatch("[^,%s]+") do t[#t + 1] = n end
      list = t
    end
    for _, n in ipairs(list) do
      if n ~= "none" then
        if not extract.layers[n] then
          error(string.format("no extractor '%s' (known: %s, all, none)", n,
            table.concat(extract.order, ", ")), 2)
        end
        want[n] = true
      end
    end
  end
  local out = {}
  for _, n in ipairs(extract.order) do if want[n] then out[#out + 1] = n end end
  return out
end

-- Documents longer than this are extracted a window at a time.
local EXTRACT_WINDOW = 1e6

--- Stage: the extractors of list (M.extractor_list) on the context, each
-- writing its layer (boilerplate, quantity, date, quote, source, hedge).
-- opts.lexicons: a directory of lexicons adding to or replacing the
-- shipped ones; opts.window: the window (bytes) a longer document is read
-- in (default 1 MB, cut at paragraph breaks).
function M.extractors(list, opts)
  local extract = require "lector.extract"
  local names = M.extractor_list(list)
  local layers = {}
  for i, n in ipairs(names) do layers[i] = extract.layers[n] end
  local xopts = { lexicons = opts and opts.lexicons }
  local window = opts and opts.window or EXTRACT_WINDOW
  local function each_part(ctx, emit)
    local found = extract.run(ctx, names, xopts)
    for _, layer in ipairs(layers) do
      local spans = found[layer]
      if spans then
        for i = 1, #spans do
          local sp = spans[i]
          -- Every annotation says its sentence (attrs.sentence, as the
          -- entity and pattern layers do) and a cited source is the
          -- source span's entity when the gazetteer or the outlets know it.
          local attrs = sp.attrs
          if not attrs then
            attrs = {}
            sp.attrs = attrs
          end
          if attrs.sentence == nil then attrs.sentence = ctx:sentence_at(sp.start) end
          if layer == "source" and sp.entity == nil then sp.entity = attrs.source_entity end
          -- extract.run added it to ctx already
          emit(layer, sp, true)
        end
      end
    end
  end
  return function(ctx, emit)
    if #names == 0 then return end
    local text = ctx.text
    if #text <= window then return each_part(ctx, emit) end
    -- A document of many MB (a crawl's dump, a book) is read in windows
    -- of about `window` bytes cut at paragraph breaks: the extractors keep
    -- tables per token, and a window's worth at a time bounds them. Spans
    -- and their sentence numbers are the document's.
    local pos, sent0 = 1, 0
    while pos <= #text do
      local cut = pos + window - 1
      if cut >= #text then
        cut = #text
      else
        local para = text:find("\n%s*\n", cut)
        cut = para and para or #text
      end
      local part = context.new({ text = text:sub(pos, cut), published = ctx.doc.published,
                                 uri = ctx.doc.uri, id = ctx.doc.id },
                               { gazetteer = ctx.gazetteer })
      local shift = pos - 1
      -- the window's context holds these spans, the document's not yet
      each_part(part, function(layer, sp)
        sp.start, sp.stop = sp.start + shift, sp.stop + shift
        if sp.attrs.sentence then sp.attrs.sentence = sp.attrs.sentence + sent0 end
        if type(sp.attrs.claims) == "table" then
          for k, c in ipairs(sp.attrs.claims) do sp.attrs.claims[k] = c + shift end
        end
        emit(layer, sp)
      end)
      sent0 = sent0 + part.raw_sentences.n
      part:release()
      pos = cut + 1
      collectgarbage()
    end
  end, layers
end

---------------------------------------------------------------------------
-- sinks

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
-- start_byte, end_byte, attrs}, and opts.run (M.run_info) as `run` —
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

---------------------------------------------------------------------------
-- streaming and worker processes (-j N)

--- The `run` object a streaming recipe writes on each line: what `ingest`
-- records as the run that made the line's annotations. layers: the
-- layers the run writes (they replace earlier recipe runs' on ingest).
function M.run_info(recipe, options, layers)
  local sorted = {}
  for i, l in ipairs(layers or {}) do sorted[i] = l end
  table.sort(sorted)
  return { name = recipe, recipe = recipe, options = options or {},
           version = require("lector.core").version(), layers = sorted }
end

--- The documents of JSON lines on standard input, as M.read gives them
-- (opts.prepared: as a store holds them); a line that is not JSON or has
-- no text calls on_skip(where, reason) ("-:LINE") and is left out.
function M.stream_documents(opts, on_skip)
  opts = opts or {}
  if opts.read_db then return M.stream_ids(opts.read_db, on_skip) end
  local items = M.read({ "-" }, { repair = opts.repair, raw = opts.raw, prepared = opts.prepared })
  return function()
    while true do
      local d = items()
      if d == nil then return nil end
      if not d.error then return d end
      on_skip("line " .. tostring(d.where):gsub("^%-:", ""), d.error)
    end
  end
end

--- The documents of store db that the JSON lines on standard input name
-- ({"id": N} each): how -j N workers read their documents, so that only
-- ids go down the pipes. A line that names none calls on_skip.
function M.stream_ids(db, on_skip)
  local n = 0
  local lines = io.stdin:lines()
  return function()
    while true do
      local line = lines()
      if line == nil then return nil end
      n = n + 1
      local rec, err = json.decode(line)
      local d = type(rec) == "table" and type(rec.id) == "number" and db:document(rec.id)
      if d then return d end
      on_skip("line " .. n, err or "no stored document with this id")
    end
  end
end

--- The number of workers `-j n` asks for: n, or the number of cores for 0.
function M.jobs(n)
  n = n or 1
  if n == 0 then n = require("lector.proc").cpu_count() end
  return n
end

--- The path of a compiled form of gazetteer g loaded from path, for
-- workers to load without compiling: path itself when it is compiled,
-- else a temporary file (removed by the function returned second).
function M.compiled_gazetteer(g, path)
  local f = io.open(path, "rb")
  local magic = f and f:read(8)
  if f then f:close() end
  if magic == "LECTORGZ" then return path, function() end end
  local tmp = os.tmpname()
  g:save(tmp)
  return tmp, function() os.remove(tmp) end
end

--- The command line of a worker: this lector binary running recipe in
-- --stream mode (or mode: "--shares"), with args after.
function M.worker_argv(recipe, args, mode)
  local argv = { require("lector.proc").self_exe(), "recipe", recipe, mode or "--stream", "--progress", "never" }
  for _, a in ipairs(args or {}) do argv[#argv + 1] = a end
  return argv
end

local function is_int(v) return type(v) == "number" and v == math.floor(v) and v >= 0 and v < 2^53 end

--- Checks the `annotations` array of a JSON line against a text of len
-- bytes: each {layer, start_byte, end_byte [, label, entity, attrs]}
-- with integer offsets inside the text. Returns layer -> spans (as
-- db:annotate takes them) and the layers in order, or nil and a message.
-- attrs_text: attrs may be JSON text (M.jsonl_sink's opts.attrs_text).
function M.check_annotations(anns, len, attrs_text)
  if anns == nil or anns == json.null then return {}, {} end
  if type(anns) ~= "table" then return nil, "annotations: an array expected" end
  local by, order = {}, {}
  for i, a in ipairs(anns) do
    if type(a) ~= "table" then return nil, string.format("annotation %d: an object expected", i) end
    local layer, s0, e0 = a.layer, a.start_byte, a.end_byte
    if type(layer) ~= "string" or layer == "" then
      return nil, string.format("annotation %d: layer: a non-empty string expected", i)
    end
    if not is_int(s0) or not is_int(e0) then
      return nil, string.format("annotation %d: start_byte and end_byte must be integers", i)
    end
    if s0 > e0 or e0 > len then
      return nil, string.format("annotation %d: bytes %s to %s are not inside the text (%d bytes)",
        i, tostring(s0), tostring(e0), len)
    end
    local label, entity, attrs = a.label, a.entity, a.attrs
    if label == json.null then label = nil end
    if entity == json.null then entity = nil end
    if attrs == json.null then attrs = nil end
    if label ~= nil and type(label) ~= "string" then
      return nil, string.format("annotation %d: label: a string expected", i)
    end
    if entity ~= nil and type(entity) ~= "string" then
      return nil, string.format("annotation %d: entity: a string expected", i)
    end
    if attrs ~= nil and type(attrs) ~= "table" and not (attrs_text and type(attrs) == "string") then
      return nil, string.format("annotation %d: attrs: an object expected", i)
    end
    local list = by[layer]
    if not list then
      list = {}
      by[layer] = list
      order[#order + 1] = layer
    end
    list[#list + 1] = { start_byte = s0, end_byte = e0, label = label, entity = entity, attrs = attrs }
  end
  return by, order
end

local function canonical(v)
  if type(v) ~= "table" then return json.encode(v) end
  local keys, arr = {}, #v > 0
  for k in pairs(v) do keys[#keys + 1] = k end
  if arr and #keys == #v then
    local out = {}
    for i = 1, #v do out[i] = canonical(v[i]) end
    return "[" .. table.concat(out, ",") .. "]"
  end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  local out = {}
  for i, k in ipairs(keys) do out[i] = json.encode(tostring(k)) .. ":" .. canonical(v[k]) end
  return "{" .. table.concat(out, ",") .. "}"
end

--- Checks the `run` object of a JSON line (M.run_info's shape). Returns
-- its key (the same for the same run written by many processes), or nil
-- and a message.
function M.check_run(info)
  if type(info) ~= "table" then return nil, "run: an object expected" end
  if type(info.name) ~= "string" or info.name == "" then return nil, "run: name: a non-empty string expected" end
  for _, k in ipairs { "recipe", "version" } do
    if info[k] ~= nil and info[k] ~= json.null and type(info[k]) ~= "string" then
      return nil, "run: " .. k .. ": a string expected"
    end
  end
  if info.options ~= nil and info.options ~= json.null and type(info.options) ~= "table" then
    return nil, "run: options: an object expected"
  end
  local layers = info.layers
  if layers ~= nil and layers ~= json.null then
    if type(layers) ~= "table" then return nil, "run: layers: an array of strings expected" end
    for _, l in ipairs(layers) do
      if type(l) ~= "string" then return nil, "run: layers: an array of strings expected" end
    end
  end
  return canonical { info.name, info.recipe, info.options, info.version, layers }
end

--- The run of store db that records annotations read from JSON lines
-- with the `run` object info (M.check_run): one a distinct run, made on
-- first use, with its name, recipe, options and version; the store's
-- current run (db.run) stays what it was. runs: the cache (key -> run).
function M.imported_run(db, info, key, runs)
  local run = runs[key]
  if run then return run end
  local current = db.run
  local recipe = info.recipe ~= json.null and info.recipe or nil
  run = db:begin_run(info.name, type(info.options) == "table" and info.options or {}, { recipe = recipe ~= nil })
  db.run = current
  db:query("UPDATE runs SET recipe = ?, version = coalesce(?, version) WHERE id = ?",
    recipe, info.version ~= json.null and info.version or nil, run.id)
  run.recipe = recipe
  run.layers = type(info.layers) == "table" and info.layers or nil
  runs[key] = run
  return run
end

--- Stores the checked annotations of one document (M.check_annotations)
-- under run, replacing what earlier recipe runs wrote in clear (the
-- layers the run writes; default: those the line has). Adds to totals.
function M.store_annotations(db, doc_id, run, by, order, clear, totals)
  db:clear_layers(doc_id, clear or order, run)
  for _, layer in ipairs(order) do
    local spans = by[layer]
    db:annotate(doc_id, layer, spans, { run = run })
    if totals then totals[layer] = (totals[layer] or 0) + #spans end
  end
end

--- Tags the documents of a store with worker processes (-j N): spec.docs
-- (M.from_store with lengths), spec.argv (M.worker_argv: a --stream
-- --no-text --read-db recipe), spec.jobs, spec.db, spec.run, spec.layers, spec.progress,
-- spec.label. This process reads the documents and is the one writer,
-- in the transactions of lector.recipes.in_groups; the workers
-- tokenize, match and extract. Returns the annotations stored by layer
-- and the number of documents the workers returned (a worker that skips
-- a document returns none).
function M.run_parallel(spec)
  local proc = require "lector.proc"
  local db, run, layers = spec.db, spec.run, spec.layers
  local totals = {}
  for _, l in ipairs(layers) do totals[l] = 0 end
  local bar = progress.new { mode = spec.progress or "never", docs = spec.docs.count, label = spec.label }
  -- The workers read the documents from the store (--read-db): only ids
  -- and annotations go through the pipes.
  local lens, ids, k = spec.docs.lengths, spec.docs.ids, 0
  local function input()
    k = k + 1
    local id = ids[k]
    if id == nil then return nil end
    return string.format('{"id":%d}', id)
  end
  local pool = proc.pool(spec.argv, spec.jobs)
  -- A few documents a worker at a time: a worker that the machine slows
  -- down takes fewer of them.
  local lines = pool:lines(input, { window = 8 })
  local received = 0
  -- A group's documents are cleared in one statement, then annotated.
  local group = {}
  local function store_line(line)
    local rec, err = json.decode(line)
    if type(rec) ~= "table" or type(rec.id) ~= "number" or not lens[rec.id] then
      error("a worker wrote a line that is not a tagged document: " ..
        (err or line:sub(1, 80)), 0)
    end
    local len = lens[rec.id]
    lens[rec.id] = nil
    bar:step(len)
    -- A document the worker skipped (--skip-bad; it said why on stderr).
    if rec.skipped then return end
    local by, order = M.check_annotations(rec.annotations, len, true)
    if not by then error(string.format("document %d: %s", rec.id, order), 0) end
    group[#group + 1] = { rec.id, by, order }
    received = received + 1
  end
  local function flush()
    local these = {}
    for i, g in ipairs(group) do these[i] = g[1] end
    db:clear_layers(these, layers, run)
    for _, g in ipairs(group) do M.store_annotations(db, g[1], run, g[2], g[3], {}, totals) end
    group = {}
  end
  -- Groups of at most 256 documents: this process's own CPU time, which
  -- in_groups counts, is a small part of a document's, so a quarter of a
  -- second of it would be thousands of documents a transaction.
  local ok, err = pcall(require("lector.recipes").in_groups, db, lines, store_line,
                        { before_commit = flush, max = 256 })
  pool:close()
  bar:done()
  if not ok then error(err, 0) end
  return totals, received
end

--- The spans of a worker's line for a document of len bytes, as stages
-- emit them ({start=, stop=} 1-based inclusive, label, entity, attrs) in
-- the order written, each with its layer: {layer, span} pairs. Raises
-- when the annotations are not valid (M.check_annotations).
function M.spans_of(rec, len)
  local by, order = M.check_annotations(rec and rec.annotations, len)
  if not by then error(order, 0) end
  local out = {}
  for _, a in ipairs(rec and rec.annotations or {}) do
    local attrs = a.attrs
    if attrs == json.null then attrs = nil end
    out[#out + 1] = { a.layer, { start = a.start_byte + 1, stop = a.end_byte,
      label = a.label ~= json.null and a.label or nil, entity = a.entity ~= json.null and a.entity or nil,
      attrs = attrs } }
  end
  return out
end

---------------------------------------------------------------------------
-- running

--- Runs stages over one document (a table with text, or a context) and
-- hands what they emit to sink. Returns the context.
function M.process(doc, stages, sink, opts)
  local ctx = context.is(doc) and doc or context.new(doc, opts)
  local keep = opts and opts.keep
  local function emit(layer, span, in_ctx)
    if not in_ctx and (keep == nil or keep[layer]) then ctx:add(layer, span) end
    if sink then sink.emit(layer, span) end
  end
  if sink then sink.begin(ctx.doc) end
  -- A big document's stages leave tens of MB of tables behind each: a
  -- full collection between them keeps the peak near what is alive (a few
  -- ms, against seconds of work on such a document).
  local big = #ctx.text > 4e6
  for _, stage in ipairs(stages) do
    stage(ctx, emit)
    if big then collectgarbage() end
  end
  if sink then sink.finish() end
  return ctx
end

--- Runs a pipeline: spec.documents (an iterator of documents, or the
-- table M.from_store returns), spec.stages, spec.sink, spec.gazetteer;
-- spec.db groups the documents into transactions of that store
-- (lector.recipes.in_groups); spec.progress ("auto", "always", "never")
-- draws a bar; spec.on_error(doc, err) decides about a document that fails
-- (return true to go on; default: raise). Returns the number of documents.
function M.run(spec)
  if type(spec) ~= "table" then check.argerr(1, "run", "table", spec) end
  local docs = spec.documents
  local count
  if type(docs) == "table" then
    count = docs.count
    docs = docs.each
  end
  if type(docs) ~= "function" then check.argmsg(1, "run", "field 'documents': iterator expected") end
  local stages = spec.stages or {}
  local bar = progress.new { mode = spec.progress or "never", docs = count, label = spec.label }
  local ctx_opts = { gazetteer = spec.gazetteer, overlap = spec.overlap, keep = spec.keep or {} }
  local n = 0
  local db = spec.db
  local function one(doc)
    local ok, err
    if db and spec.on_error then
      -- A savepoint a document: one that fails leaves nothing behind.
      ok, err = pcall(db.transaction, db, M.process, doc, stages, spec.sink, ctx_opts)
    else
      ok, err = pcall(M.process, doc, stages, spec.sink, ctx_opts)
    end
    if not ok then
      if spec.sink and spec.sink.abort then spec.sink.abort() end
      if not (spec.on_error and spec.on_error(doc, err)) then error(err, 0) end
    end
    n = n + 1
    bar:step(#doc.text)
  end
  if db then
    require("lector.recipes").in_groups(db, docs, one)
  else
    for doc in docs do one(doc) end
  end
  bar:done()
  return n
end

--- The SHA-256 of a file's bytes (run provenance), or nil.
function M.file_sha256(path)
  local s = path and fs.read(path)
  return s and store.sha256(s) or nil
end

return M
