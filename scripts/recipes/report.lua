-- report: what a tagged store holds — who and what is mentioned under which
-- names, which numbers are claimed and on whose authority, how sure the
-- wording is. Plain SQL over the documented schema: any SQLite client can
-- ask the same questions.
local lector = require "lector"
local json = require "lector.json"
local recipes = require "lector.recipes"

local R = {
  name = "report",
  summary = "summarise a tagged store: entities, claimed numbers with sources and hedges",
  inputs = "",
  options = {
    { name = "db", type = "string", required = true, input = true, help = "a store filled by ingest and tag" },
    { name = "top", type = "integer", default = 15, help = "how many entities to list" },
    { name = "format", type = "choice", choices = { "text", "json" }, default = "text",
      help = "text for people, json for programs" },
  },
}

local LATEST = "(SELECT max(id) FROM documents GROUP BY uri)"

local SQL = {
  documents = "SELECT id, uri, title, outlet, published FROM documents WHERE id IN " .. LATEST .. " ORDER BY id",
  entities = [[
    SELECT entity, label AS type, count(*) AS mentions, count(DISTINCT doc_id) AS documents,
           group_concat(DISTINCT json_extract(attrs, '$.text')) AS names
    FROM annotations WHERE layer = 'entity' AND doc_id IN ]] .. LATEST .. [[
    GROUP BY entity, label ORDER BY mentions DESC, entity LIMIT ?]],
  claims = [[
    SELECT q.doc_id, d.title, json_extract(q.attrs, '$.text') AS claim,
           json_extract(q.attrs, '$.value') AS value, json_extract(q.attrs, '$.what') AS what,
           (SELECT group_concat(DISTINCT s.entity) FROM annotations s
             WHERE s.doc_id = q.doc_id AND s.layer = 'source'
               AND json_extract(s.attrs, '$.sentence') = json_extract(q.attrs, '$.sentence')) AS source,
           (SELECT group_concat(DISTINCT h.label) FROM annotations h
             WHERE h.doc_id = q.doc_id AND h.layer = 'hedge'
               AND json_extract(h.attrs, '$.sentence') BETWEEN json_extract(q.attrs, '$.sentence') - 1
                                                           AND json_extract(q.attrs, '$.sentence') + 1) AS hedges
    FROM annotations q JOIN documents d ON d.id = q.doc_id
    WHERE q.layer = 'quantity' AND q.doc_id IN ]] .. LATEST .. [[
    ORDER BY q.doc_id, q.start_byte]],
  sources = [[
    SELECT entity, count(*) AS citations, count(DISTINCT doc_id) AS documents
    FROM annotations WHERE layer = 'source' AND doc_id IN ]] .. LATEST .. [[
    GROUP BY entity ORDER BY citations DESC, entity]],
  hedges = [[
    SELECT d.id, d.title, count(h.id) AS hedges, group_concat(DISTINCT h.label) AS kinds
    FROM documents d LEFT JOIN annotations h ON h.doc_id = d.id AND h.layer = 'hedge'
    WHERE d.id IN ]] .. LATEST .. [[ GROUP BY d.id ORDER BY d.id]],
}

-- Widths count characters, not bytes, so titles with curly quotes align.
local function chars(s) return #s - select(2, s:gsub("[\128-\191]", "")) end

local function short(s, n)
  s = tostring(s or ""):gsub("%s+", " ")
  if chars(s) <= n then return s end
  local out, count = {}, 0
  for ch in s:gmatch("[%z\1-\127\192-\255][\128-\191]*") do
    if count == n - 1 then break end
    out[#out + 1] = ch
    count = count + 1
  end
  return table.concat(out) .. "…"
end

-- s cut to n characters and padded with spaces to n.
local function col(s, n)
  s = short(s, n)
  return s .. string.rep(" ", n - chars(s))
end

local function print_text(r)
  local w = io.stdout
  w:write(recipes.count(#r.documents, "document"), "\n")
  for _, d in ipairs(r.documents) do
    w:write(string.format("  [%d] %s%s\n", d.id, short(d.title or d.uri, 70),
      d.published and ("  (" .. d.published .. ")") or ""))
  end
  w:write("\nentities (mentions, documents, names seen)\n")
  for _, e in ipairs(r.entities) do
    w:write(string.format("  %s %-7s %3d %3d  %s\n", col(e.entity, 34), e.type or "",
      e.mentions, e.documents, short(e.names, 60)))
  end
  w:write("\nclaimed numbers (document, claim, source in the same sentence, hedges nearby)\n")
  if #r.claims == 0 then w:write("  none\n") end
  for _, c in ipairs(r.claims) do
    w:write(string.format("  [%d] %s source: %s %s\n", c.doc_id, col(c.claim, 34),
      col(c.source or "unattributed", 20), c.hedges and ("hedged: " .. c.hedges) or ""))
  end
  w:write("\nsources cited\n")
  if #r.sources == 0 then w:write("  none\n") end
  for _, s in ipairs(r.sources) do
    w:write(string.format("  %s %3d in %d document%s\n", col(s.entity or "?", 34), s.citations,
      s.documents, s.documents == 1 and "" or "s"))
  end
  w:write("\nhedging per document\n")
  for _, h in ipairs(r.hedges) do
    w:write(string.format("  [%d] %s %2d  %s\n", h.id, col(h.title or "", 50), h.hedges, h.kinds or ""))
  end
end

function R.run(opts, inputs)
  if #inputs > 0 then recipes.fail("report takes no inputs, only --db", 2) end
  local ok, db = pcall(lector.store.open, opts.db, { readonly = true })
  if not ok then recipes.fail(db) end
  local r = {
    documents = db:query(SQL.documents),
    entities = db:query(SQL.entities, opts.top),
    claims = db:query(SQL.claims),
    sources = db:query(SQL.sources),
    hedges = db:query(SQL.hedges),
  }
  db:close()
  if opts.format == "json" then
    io.stdout:write(json.encode(r), "\n")
  else
    print_text(r)
  end
  return 0
end

return R
