-- lector.report.views: the report of a tagged store as JSON, Markdown and
-- one self-contained HTML page, and the document view (a text with its
-- layers highlighted). The report and show recipes are thin over it.
--
--   local views = require "lector.report.views"
--   local html = views.document_html(db, 3)          -- one document
--   local r = views.collect(db, { outlet = "SANA" }) -- the report as data
--   io.open("r.html", "w"):write(views.html(r, { doc_link = function(id) return id .. ".html" end }))
local check = require "lector.check"
local data = require "lector.report.data"
local jsonout = require "lector.report.json"
local R = require "lector.report"
local store = require "lector.store"
local summary = require "lector.summary"

local M = {}

M.SCHEMA = "lector.report/1"

local function check_db(db, fname)
  if getmetatable(db) ~= store.Db then
    check.argerr(1, fname, "store", db, 3)
  end
end

--- Everything the report shows, as data (the JSON report's shape; see
-- README, "The report as JSON"). opts: the filters, top; s: a
-- lector.summary.collect result when the caller has one.
function M.collect(db, opts, s)
  check_db(db, "collect")
  opts = opts or {}
  s = s or summary.collect(db, opts)
  local r = { schema = M.SCHEMA }
  r.overview = data.overview(db, opts)
  r.documents = s.documents
  r.entities = s.entities
  r.entities_by_type = data.entities_by_type(db, opts)
  r.sources = s.sources
  r.citations = data.citations(db, opts)
  r.claims = data.claims(db, opts)
  local groups = data.claim_groups(r.claims)
  local index = {}
  for i, c in ipairs(r.claims) do index[c] = i end
  r.claim_groups = {}
  for _, g in ipairs(groups) do
    local ids = {}
    for _, c in ipairs(g.claims) do ids[#ids + 1] = index[c] end
    r.claim_groups[#r.claim_groups + 1] = { what = g.what, event = g.event, object = g.object, place = g.place,
      values = g.values, conflict = g.conflict, claims = ids }
  end
  r.timeline = data.timeline(db, opts)
  r.density = data.density(db, opts)
  r.hedges = s.hedges
  r.layers = jsonout.object(s.layers)
  return r
end

--- The report as JSON text (lists are arrays, also empty ones).
function M.json(r) return jsonout.encode(r) end

---------------------------------------------------------------------------
-- Markdown

local function md_cell(v)
  if v == nil then return "" end
  if type(v) == "number" then return R.number(v) end
  return (tostring(v):gsub("[\r\n]+", " "):gsub("([|\\`*_%[%]<>])", "\\%1"))
end

local function md_table(out, header, rows)
  local h = {}
  for i, x in ipairs(header) do h[i] = md_cell(x) end
  out[#out + 1] = "| " .. table.concat(h, " | ") .. " |"
  local sep = {}
  for i = 1, #header do sep[i] = "---" end
  out[#out + 1] = "| " .. table.concat(sep, " | ") .. " |"
  for _, r in ipairs(rows) do
    local c = {}
    for i = 1, #header do c[i] = md_cell(r[i]) end
    out[#out + 1] = "| " .. table.concat(c, " | ") .. " |"
  end
  out[#out + 1] = ""
end

local function dates_covered(o)
  if not o.first then return "no dates" end
  return o.first:sub(1, 10) .. " to " .. o.last:sub(1, 10)
end

local function claim_source(c)
  return c.source_entity or c.source or "(none named)"
end

local function value_of(c)
  if c.low and c.high and c.low ~= c.high then return R.number(c.low) .. "–" .. R.number(c.high) end
  return c.value and R.number(c.value) or c.text
end

-- The first n items of list, and how many were left out.
local function first(list, n)
  if #list <= n then return list, 0 end
  local out = {}
  for i = 1, n do out[i] = list[i] end
  return out, #list - n
end

local function more(n, what)
  return n > 0 and string.format("… and %s more %s in the JSON report (--format json).", R.number(n), what) or nil
end

--- The report as Markdown (GitHub tables); opts.top: claim groups shown
-- (default 15; 20 times as many dated events).
function M.markdown(r, opts)
  local top = opts and opts.top or 15
  local out = { "# lector report", "" }
  local o = r.overview
  out[#out + 1] = string.format("%s documents, %s outlets, %s; %d duplicates skipped, %d older versions not counted.",
    R.number(o.documents), R.number(#o.outlets), dates_covered(o), o.duplicates or 0, o.versions or 0)
  out[#out + 1] = ""
  out[#out + 1] = "## Entities by type"
  out[#out + 1] = ""
  for _, t in ipairs(r.entities_by_type) do
    out[#out + 1] = "### " .. md_cell(t.type ~= "" and t.type or "(no type)")
    out[#out + 1] = ""
    local rows = {}
    for _, e in ipairs(t.entities) do
      rows[#rows + 1] = { e.entity, e.mentions, e.documents, table.concat(e.names, ", ") }
    end
    md_table(out, { "entity", "mentions", "documents", "names seen" }, rows)
  end
  out[#out + 1] = "## Who cites whom"
  out[#out + 1] = ""
  local rows = {}
  for _, c in ipairs(r.citations) do
    rows[#rows + 1] = { c.outlet ~= "" and c.outlet or "(no outlet)", c.source, c.label, c.citations }
  end
  md_table(out, { "outlet", "source", "kind", "citations" }, rows)
  out[#out + 1] = "## Claimed figures"
  out[#out + 1] = ""
  local groups, left = first(r.claim_groups, top)
  for _, g in ipairs(groups) do
    out[#out + 1] = string.format("**%s%s**%s", md_cell(g.what), g.place and (" near " .. md_cell(g.place)) or "",
      g.conflict and " — conflicting figures" or "")
    out[#out + 1] = ""
    rows = {}
    for _, i in ipairs(g.claims) do
      local c = r.claims[i]
      rows[#rows + 1] = { value_of(c), c.sentence ~= nil and type(c.sentence) == "table" and c.sentence.text or c.text,
        "[" .. c.doc_id .. "]", c.outlet, claim_source(c), table.concat(c.hedges, ", ") }
    end
    md_table(out, { "figure", "sentence", "document", "outlet", "source", "hedges nearby" }, rows)
  end
  if left > 0 then out[#out + 1] = more(left, "groups of figures"); out[#out + 1] = "" end
  out[#out + 1] = "## Timeline"
  out[#out + 1] = ""
  rows = {}
  local events, eleft = first(r.timeline, top * 20)
  for _, t in ipairs(events) do rows[#rows + 1] = { t.iso, t.text, t.sentence, "[" .. t.doc_id .. "]" } end
  md_table(out, { "date", "as written", "sentence", "document" }, rows)
  if eleft > 0 then out[#out + 1] = more(eleft, "dated events"); out[#out + 1] = "" end
  out[#out + 1] = "## Hedging per 1,000 words"
  out[#out + 1] = ""
  rows = {}
  for _, d in ipairs(r.density.outlets) do
    rows[#rows + 1] = { d.outlet ~= "" and d.outlet or "(no outlet)", d.documents, d.words, d.hedge_rate,
      d.loaded_rate }
  end
  md_table(out, { "outlet", "documents", "words", "hedges", "loaded labels" }, rows)
  rows = {}
  for _, d in ipairs(r.density.documents) do
    rows[#rows + 1] = { "[" .. d.id .. "] " .. (d.title or ""), d.words, d.hedge_rate, d.loaded_rate }
  end
  md_table(out, { "document", "words", "hedges", "loaded labels" }, rows)
  out[#out + 1] = "## Documents"
  out[#out + 1] = ""
  rows = {}
  for _, d in ipairs(r.documents) do rows[#rows + 1] = { d.id, d.title or d.uri, d.outlet, d.published } end
  md_table(out, { "id", "title", "outlet", "published" }, rows)
  return table.concat(out, "\n")
end

---------------------------------------------------------------------------
-- HTML

-- A sentence with the claim's span in bold.
local function sentence_with(c)
  local s = type(c.sentence) == "table" and c.sentence or nil
  if not s or not s.text or not s.start_byte then return R.el("b", nil, c.text) end
  local rel0 = c.start_byte - s.start_byte
  if rel0 < 0 or c.end_byte > s.end_byte then return s.text end
  -- the sentence text had its spaces squeezed: find the claim in it
  local a, b = s.text:find(c.text, 1, true)
  if not a then return s.text end
  return { s.text:sub(1, a - 1), R.el("b", nil, c.text), s.text:sub(b + 1) }
end

--- The report as one self-contained HTML page. opts.doc_link(id) gives
-- the href of a document's view (nil: no links); opts.top: claim groups
-- shown (default 15; 20 times as many dated events).
function M.html(r, opts)
  opts = opts or {}
  local top = opts.top or 15
  local link = opts.doc_link
  local function doc_ref(id, label)
    label = label or ("[" .. id .. "]")
    if link then return R.el("a", { href = link(id) }, label) end
    return label
  end
  local o = r.overview
  local body = {}
  body[#body + 1] = R.raw('<nav><a href="#overview">overview</a><a href="#entities">entities</a>'
    .. '<a href="#citations">who cites whom</a><a href="#claims">claimed figures</a>'
    .. '<a href="#timeline">timeline</a><a href="#hedging">hedging</a><a href="#documents">documents</a></nav>')
  -- overview
  body[#body + 1] = R.el("section", { id = "overview" }, R.h2("Corpus overview"),
    R.p(string.format("%s documents from %s outlets, %s%s; %d duplicates skipped (the same text under another uri), "
      .. "%d older versions not counted.", R.number(o.documents), R.number(#o.outlets), dates_covered(o),
      (o.undated or 0) > 0 and (", " .. o.undated .. " undated") or "", o.duplicates or 0, o.versions or 0)),
    R.table({ "outlet", "documents" }, (function()
      local rows = {}
      for _, x in ipairs(o.outlets) do
        rows[#rows + 1] = { x.outlet ~= "" and x.outlet or "(no outlet)", x.documents }
      end
      return rows
    end)()),
    R.table({ "layer", "spans" }, (function()
      local rows, keys = {}, {}
      for k in pairs(o.layers) do keys[#keys + 1] = k end
      table.sort(keys)
      for _, k in ipairs(keys) do rows[#rows + 1] = { k, o.layers[k] } end
      return rows
    end)()))
  -- entities
  local ent = { R.h2("Entities by type") }
  local bars = {}
  for _, t in ipairs(r.entities_by_type) do
    local rows = {}
    for _, e in ipairs(t.entities) do
      rows[#rows + 1] = { e.entity, e.mentions, e.documents, table.concat(e.names, ", ") }
      bars[#bars + 1] = { label = e.entity, value = e.mentions, color = R.colors[t.type] and "#6b8fb3" or nil,
        title = e.entity .. " (" .. t.type .. ")" }
    end
    ent[#ent + 1] = R.el("h3", nil, (t.type ~= "" and t.type or "(no type)") .. " — " .. R.number(t.mentions)
      .. " mentions")
    ent[#ent + 1] = R.table({ "entity", "mentions", "documents", "names seen" }, rows)
  end
  table.sort(bars, function(a, b) return a.value > b.value or (a.value == b.value and a.label < b.label) end)
  while #bars > 20 do bars[#bars] = nil end
  table.insert(ent, 2, R.bars(bars, { title = "mentions of the most named entities" }))
  body[#body + 1] = R.el("section", { id = "entities" }, ent)
  -- citations
  local edges, rows = {}, {}
  for _, c in ipairs(r.citations) do
    local from = c.outlet ~= "" and c.outlet or "(no outlet)"
    edges[#edges + 1] = { from = from, to = c.source, weight = c.citations }
    rows[#rows + 1] = { from, c.source, c.label, c.citations, c.documents }
  end
  body[#body + 1] = R.el("section", { id = "citations" }, R.h2("Who cites whom"),
    #edges > 0 and R.network(edges, { title = "outlets and the sources they cite", left_title = "outlet",
      right_title = "cited source" }) or R.p("No sources cited."),
    R.table({ "outlet", "source", "kind", "citations", "documents" }, rows))
  -- claims
  local cl = { R.h2("Claimed figures"),
    R.p("Grouped by event (or what is counted) and place, among documents published within a week of "
      .. "each other: conflicting figures sit side by side.") }
  local groups, left = first(r.claim_groups, top)
  for _, g in ipairs(groups) do
    local crow = {}
    for _, i in ipairs(g.claims) do
      local c = r.claims[i]
      crow[#crow + 1] = { value_of(c), sentence_with(c), doc_ref(c.doc_id), c.outlet, c.published,
        claim_source(c), table.concat(c.hedges, ", ") }
    end
    cl[#cl + 1] = R.el("div", { class = g.conflict and "group conflict" or "group" },
      R.el("h3", nil, (g.what or "?") .. (g.place and (" near " .. g.place) or "")
        .. (g.conflict and (" — conflicting figures: " .. table.concat((function()
          local v = {}
          for k, x in ipairs(g.values) do v[k] = R.number(x) end
          return v
        end)(), " vs ")) or "")),
      R.table({ "figure", "sentence", "document", "outlet", "published", "source", "hedges nearby" }, crow))
  end
  if #r.claim_groups == 0 then cl[#cl + 1] = R.p("No figures claimed.") end
  if left > 0 then cl[#cl + 1] = R.p(more(left, "groups of figures")) end
  body[#body + 1] = R.el("section", { id = "claims" }, cl)
  -- timeline
  local tl, trows = {}, {}
  local events, eleft = first(r.timeline, top * 20)
  for _, t in ipairs(events) do
    tl[#tl + 1] = { day = t.day, label = t.iso .. " " .. (t.title or ""), title = t.sentence or t.text }
    trows[#trows + 1] = { t.iso, t.text, t.sentence or "", doc_ref(t.doc_id) }
  end
  body[#body + 1] = R.el("section", { id = "timeline" }, R.h2("Timeline of dated events"),
    #tl > 0 and R.timeline(tl, { title = "dated events" }) or R.p("No dates found."),
    R.table({ "date", "as written", "sentence", "document" }, trows),
    eleft > 0 and R.p(more(eleft, "dated events")) or "")
  -- density
  local dbars, obars, drows = {}, {}, {}
  for _, d in ipairs(r.density.documents) do
    dbars[#dbars + 1] = { label = "[" .. d.id .. "] " .. (d.title or ""), value = d.hedge_rate, value2 = d.loaded_rate }
    drows[#drows + 1] = { doc_ref(d.id, "[" .. d.id .. "] " .. (d.title or "")), d.outlet, d.words, d.hedges,
      d.loaded, d.hedge_rate, d.loaded_rate }
  end
  for _, d in ipairs(r.density.outlets) do
    obars[#obars + 1] = { label = d.outlet ~= "" and d.outlet or "(no outlet)", value = d.hedge_rate,
      value2 = d.loaded_rate }
  end
  table.sort(dbars, function(a, b) return a.value + a.value2 > b.value + b.value2 end)
  while #dbars > 40 do dbars[#dbars] = nil end
  local legend = { "hedges per 1,000 words", "loaded labels per 1,000 words" }
  body[#body + 1] = R.el("section", { id = "hedging" }, R.h2("Hedges and loaded labels per 1,000 words"),
    R.el("h3", nil, "per outlet"), R.bars(obars, { legend = legend, title = "per outlet" }),
    R.el("h3", nil, "per document"), R.bars(dbars, { legend = legend, title = "per document" }),
    R.table({ "document", "outlet", "words", "hedges", "loaded", "hedges / 1,000", "loaded / 1,000" }, drows))
  -- documents
  local docrows = {}
  for _, d in ipairs(r.documents) do
    docrows[#docrows + 1] = { doc_ref(d.id, tostring(d.id)), d.title or d.uri, d.outlet, d.published }
  end
  body[#body + 1] = R.el("section", { id = "documents" }, R.h2("Documents"),
    R.table({ "id", "title", "outlet", "published" }, docrows))
  return R.page(opts.title or "lector report", body)
end

---------------------------------------------------------------------------
-- the document view

--- One document's view: its text with the layers highlighted (opts.layer:
-- only those), a legend and a toggle per layer, each span's attributes
-- and why it matched on hover. Returns the HTML, or nil and a message
-- when there is no such document.
function M.document_html(db, id, opts)
  check_db(db, "document_html")
  opts = opts or {}
  local doc = db:document(id)
  if not doc then return nil, "no document " .. tostring(id) end
  local anns = data.annotations(db, doc.id, { layer = opts.layer, meta = opts.meta })
  local head = R.p(R.el("span", { class = "muted" }, string.format("document %d · %s%s%s", doc.id, doc.uri,
    doc.outlet and (" · " .. doc.outlet) or "", doc.published and (" · " .. doc.published) or "")))
  return R.document_page(doc.title or doc.uri, doc.text, anns, head), doc
end

---------------------------------------------------------------------------
-- writing

--- Makes directory path (its parent must exist); fine when it exists.
function M.mkdir(path)
  local ffi = require "ffi"
  pcall(ffi.cdef, "int mkdir(const char *path, unsigned int mode);")
  if ffi.C.mkdir(path, 493) ~= 0 then -- 0755
    local st = require("lector.fs").stat(path)
    if not st then check.fail(path .. ": cannot create the directory") end
  end
end

--- Opens path for writing ("-" or nil: standard output). Returns the
-- handle and a close function; raises with the path and reason.
function M.open_output(path)
  if path == nil or path == "-" then return io.stdout, function() io.stdout:flush() end end
  local fh, err = require("lector.fs").open(path, "wb")
  if not fh then check.fail(path .. ": cannot write: " .. err) end
  return fh, function() fh:close() end
end

--- What the report recipe writes: opts.format (text, md, html, json),
-- opts.output (a file, or standard output); html with a file also writes
-- the view of every document to FILE's name + _docs/ID.html (unless
-- opts.views == false) and links them.
function M.write_report(db, opts, s, print_text)
  local fh, close = M.open_output(opts.output)
  if opts.format == "text" then
    print_text(s, fh)
    close()
    return
  end
  local r = M.collect(db, opts, s)
  if opts.format == "json" then
    fh:write(M.json(r), "\n")
  elseif opts.format == "md" then
    fh:write(M.markdown(r, { top = opts.top }), "\n")
  else
    local link
    if opts.output and opts.output ~= "-" and opts.views ~= false then
      local dir = opts.output:gsub("%.html?$", "") .. "_docs"
      local rel = dir:match("[^/]*$")
      M.mkdir(dir)
      for _, d in ipairs(r.documents) do
        local html = M.document_html(db, d.id, { layer = opts.layer })
        local f, close_f = M.open_output(dir .. "/" .. d.id .. ".html")
        f:write(html)
        close_f()
      end
      link = function(id) return rel .. "/" .. id .. ".html" end
    end
    fh:write(M.html(r, { doc_link = link, top = opts.top }))
  end
  close()
end

return M
