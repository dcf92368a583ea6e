-- lector.report.export: a store's documents and annotations in the formats
-- other tools read — JSON lines (what ingest and the streaming mode share),
-- brat standoff, CSV, a GDELT GKG 2.1-style TSV, spaCy's Doc.to_json().
-- Every offset is named for its unit: *_byte (UTF-8 bytes, as the store)
-- or *_char (code points, as Python strings, brat and spaCy count).
--
--   local export = require "lector.report.export"
--   local n = export.write(db, "brat", "out/", { outlet = "SANA" })
local check = require "lector.check"
local context = require "lector.context"
local data = require "lector.report.data"
local jsonout = require "lector.report.json"
local store = require "lector.store"

local M = {}

M.formats = { "jsonl", "brat", "csv", "gkg", "spacy" }

local doc_keys = { "id", "uri", "title", "author", "outlet", "published" }

-- attrs as they are stored: a table from data.annotations (decoded); empty
-- ones are left out, as the pipeline's JSON-lines sink leaves them.
local function attrs_of(a)
  if type(a.attrs) == "table" and next(a.attrs) ~= nil then return jsonout.object(a.attrs) end
  return nil
end

--- One document and its annotations as the JSON-lines object: the shape
-- of lector.pipeline.jsonl_sink ({id, uri, title, author, outlet,
-- published, meta, text, annotations = [{layer, label, entity, start_byte,
-- end_byte, attrs}]}), each annotation with start_char/end_char beside.
function M.jsonl_object(doc, anns)
  local out = jsonout.object()
  for _, k in ipairs(doc_keys) do out[k] = doc[k] end
  if type(doc.meta) == "table" and next(doc.meta) then out.meta = jsonout.object(doc.meta) end
  out.text = doc.text
  local chars = data.char_counter(doc.text)
  local list = {}
  for _, a in ipairs(anns) do
    list[#list + 1] = jsonout.object { layer = a.layer, label = a.label, entity = a.entity,
      start_byte = a.start_byte, end_byte = a.end_byte, start_char = chars(a.start_byte),
      end_char = chars(a.end_byte), attrs = attrs_of(a) }
  end
  out.annotations = list
  return out
end

local pipeline_csv = require("lector.pipeline").csv_field
-- attrs in the JSON of lector.report.json (empty lists stay arrays)
local function csv_field(v) return pipeline_csv(v, jsonout.encode) end

M.CSV_HEADER = "document,uri,layer,label,entity,start_byte,end_byte,start_char,end_char,text,attrs"

--- The CSV rows of one document (no header): one per annotation.
function M.csv_rows(doc, anns, fh)
  local chars = data.char_counter(doc.text)
  for _, a in ipairs(anns) do
    local row = { doc.id, doc.uri, a.layer, a.label, a.entity, a.start_byte, a.end_byte, chars(a.start_byte),
      chars(a.end_byte), doc.text:sub(a.start_byte + 1, a.end_byte), attrs_of(a) }
    for i = 1, 11 do row[i] = csv_field(row[i]) end
    fh:write(table.concat(row, ","), "\n")
  end
end

---------------------------------------------------------------------------
-- brat

-- brat names: no spaces or punctuation that its parser splits on.
local function brat_name(s)
  s = tostring(s or ""):gsub("[^%w_%-]", "_")
  if s == "" then s = "_" end
  return s
end

-- The brat type of an annotation: the entity type for entities, else the
-- layer (its label becomes the attribute Label).
local function brat_type(a)
  if a.layer == "entity" and a.label then return brat_name(a.label) end
  return brat_name(a.layer:sub(1, 1):upper() .. a.layer:sub(2))
end
M.brat_type = brat_type

-- Attributes written as A lines (values made brat names); the others
-- go to an AnnotatorNotes line.
local BRAT_ATTRS = { "label", "event", "object", "category", "granularity", "stance", "verb", "qualifier" }
-- names that would clash with a type (the layer event)
local BRAT_ATTR_NAMES = { event = "EventKind" }

--- The .ann text of one document (character offsets into the .txt, which
-- is the text as stored). A span across line breaks is written in
-- fragments, as brat wants. conf collects the types, attributes and
-- relations seen, for annotation.conf.
function M.brat_ann(doc, anns, conf)
  conf = conf or { entities = {}, attributes = {}, relations = {} }
  local text = doc.text
  local chars = data.char_counter(text)
  local out, tid, aid, rid, nid = {}, 0, 0, 0, 0
  local by_start, sources = {}, {}
  for _, a in ipairs(anns) do
    if a.end_byte > a.start_byte then
      -- fragments: the span cut at line breaks, blank pieces dropped
      local frags, pieces = {}, {}
      local pos = a.start_byte
      local span = text:sub(a.start_byte + 1, a.end_byte)
      for piece, nl in (span .. "\n"):gmatch("([^\n]*)(\n)") do
        local lead = #piece:match("^%s*")
        local trail = #piece:match("%s*$")
        if #piece > lead then
          local s0, s1 = pos + lead, pos + #piece - trail
          frags[#frags + 1] = chars(s0) .. " " .. chars(s1)
          pieces[#pieces + 1] = text:sub(s0 + 1, s1)
        end
        pos = pos + #piece + #nl
      end
      if #frags > 0 then
        tid = tid + 1
        local t = "T" .. tid
        local ty = brat_type(a)
        conf.entities[ty] = true
        out[#out + 1] = t .. "\t" .. ty .. " " .. table.concat(frags, ";") .. "\t" .. table.concat(pieces, " ")
        local at = a.attrs or {}
        for _, k in ipairs(BRAT_ATTRS) do
          local v = k == "label" and (a.layer ~= "entity" and a.label or nil) or at[k]
          if type(v) == "string" or type(v) == "number" then
            aid = aid + 1
            local name = BRAT_ATTR_NAMES[k] or brat_name(k:sub(1, 1):upper() .. k:sub(2))
            local val = brat_name(v)
            conf.attributes[name] = conf.attributes[name] or {}
            conf.attributes[name][val] = true
            conf.attributes[name].types = conf.attributes[name].types or {}
            conf.attributes[name].types[ty] = true
            out[#out + 1] = "A" .. aid .. "\t" .. name .. " " .. t .. " " .. val
          end
        end
        local note = {}
        if a.entity then note[#note + 1] = "entity=" .. a.entity end
        local keys = {}
        for k in pairs(at) do keys[#keys + 1] = k end
        table.sort(keys)
        for _, k in ipairs(keys) do
          local v = at[k]
          if type(v) == "string" or type(v) == "number" or type(v) == "boolean" then
            note[#note + 1] = k .. "=" .. tostring(v)
          end
        end
        if #note > 0 then
          nid = nid + 1
          out[#out + 1] = "#" .. nid .. "\tAnnotatorNotes " .. t .. "\t" .. table.concat(note, "; "):gsub("[\t\n]", " ")
        end
        by_start[a.start_byte] = by_start[a.start_byte] or {}
        table.insert(by_start[a.start_byte], { t = t, a = a, ty = ty })
        if a.layer == "source" then sources[#sources + 1] = { t = t, a = a, ty = ty } end
      end
    end
  end
  -- a source covers the claims and quotes it names (attrs.claims: their
  -- start offsets, 1-based): AttributedTo relations from each claim to its source
  for _, s in ipairs(sources) do
    local claims = s.a.attrs and s.a.attrs.claims
    if type(claims) == "table" then
      for _, start in ipairs(claims) do
        for _, c in ipairs(by_start[tonumber(start) - 1] or by_start[tonumber(start)] or {}) do
          if c.a.layer == "quantity" or c.a.layer == "quote" then
            rid = rid + 1
            out[#out + 1] = "R" .. rid .. "\tAttributedTo Arg1:" .. c.t .. " Arg2:" .. s.t
            conf.relations[c.ty] = true
            conf.relation_to = conf.relation_to or {}
            conf.relation_to[s.ty] = true
          end
        end
      end
    end
  end
  return table.concat(out, "\n") .. (#out > 0 and "\n" or ""), conf
end

--- annotation.conf for the types, attributes and relations in conf.
function M.brat_conf(conf)
  local function keys(t)
    local out = {}
    for k in pairs(t or {}) do if k ~= "types" then out[#out + 1] = k end end
    table.sort(out)
    return out
  end
  local out = { "# written by lector recipe export --format brat", "[entities]" }
  for _, k in ipairs(keys(conf.entities)) do out[#out + 1] = k end
  out[#out + 1] = "[relations]"
  local from, to = keys(conf.relations), keys(conf.relation_to)
  if #from > 0 and #to > 0 then
    out[#out + 1] = "AttributedTo Arg1:" .. table.concat(from, "|") .. ", Arg2:" .. table.concat(to, "|")
  end
  out[#out + 1] = "<OVERLAP> Arg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>"
  out[#out + 1] = "[events]"
  out[#out + 1] = "[attributes]"
  for _, name in ipairs(keys(conf.attributes)) do
    out[#out + 1] = name .. " Arg:" .. table.concat(keys(conf.attributes[name].types), "|") .. ", Value:" ..
      table.concat(keys(conf.attributes[name]), "|")
  end
  return table.concat(out, "\n") .. "\n"
end

---------------------------------------------------------------------------
-- spaCy

--- One document as spaCy's Doc.to_json(): {text, ents = [{start, end,
-- label, kb_id}], sents = [{start, end}], tokens = [{id, start, end}],
-- spans = {layer = [{start, end, label, kb_id}]}, user_data}: offsets in
-- characters. Entities are the layer entity without overlaps (the longer
-- span wins); spans groups hold the other layers that lie on token
-- bounds. Returns the object and the number of spans left out
-- (overlapping entities, spans spaCy cannot place on tokens). The object
-- holds Doc.to_json()'s keys only; lines come in document id order, as
-- the jsonl export's.
function M.spacy_doc(doc, anns)
  local text = doc.text
  local chars = data.char_counter(text)
  local ctx = context.new(doc)
  local toks = ctx.tokens
  local tokens, tstart, tend = {}, {}, {}
  for i = 1, #toks do
    local t = toks[i]
    local s, e = t.start - 1, t.stop
    tokens[#tokens + 1] = jsonout.object { id = i - 1, start = chars(s), ["end"] = chars(e) }
    tstart[s], tend[e] = true, true
  end
  local sents = {}
  for _, s in ipairs(ctx.sentences) do
    sents[#sents + 1] = jsonout.object { start = chars(s.start - 1), ["end"] = chars(s.stop) }
  end
  ctx:release()
  local aligned = function(a) return tstart[a.start_byte] and tend[a.end_byte] end
  local ents, taken, skipped = {}, {}, 0
  local cand = {}
  for _, a in ipairs(anns) do if a.layer == "entity" then cand[#cand + 1] = a end end
  table.sort(cand, function(x, y)
    local lx, ly = x.end_byte - x.start_byte, y.end_byte - y.start_byte
    if lx ~= ly then return lx > ly end
    return x.start_byte < y.start_byte
  end)
  for _, a in ipairs(cand) do
    local free = aligned(a)
    for b = a.start_byte, a.end_byte - 1 do if taken[b] then free = false; break end end
    if free then
      for b = a.start_byte, a.end_byte - 1 do taken[b] = true end
      ents[#ents + 1] = a
    else
      skipped = skipped + 1
    end
  end
  table.sort(ents, function(x, y) return x.start_byte < y.start_byte end)
  local ej = {}
  for _, a in ipairs(ents) do
    ej[#ej + 1] = jsonout.object { start = chars(a.start_byte), ["end"] = chars(a.end_byte),
      label = a.label or "ENTITY", kb_id = a.entity or "" }
  end
  local spans = jsonout.object()
  for _, a in ipairs(anns) do
    if a.layer ~= "entity" and a.layer ~= "meta" then
      if aligned(a) and a.end_byte > a.start_byte then
        spans[a.layer] = spans[a.layer] or {}
        table.insert(spans[a.layer], jsonout.object { start = chars(a.start_byte), ["end"] = chars(a.end_byte),
          label = a.label or a.layer, kb_id = a.entity or "" })
      elseif a.layer ~= "boilerplate" then
        skipped = skipped + 1
      end
    end
  end
  -- nothing but Doc.to_json()'s keys: Doc.from_json validates the object
  return jsonout.object { text = text, ents = ej, sents = sents, tokens = tokens, spans = spans }, skipped
end

---------------------------------------------------------------------------
-- GDELT GKG 2.1-style

M.GKG_COLUMNS = { "GKGRECORDID", "V2.1DATE", "V2SOURCECOLLECTIONIDENTIFIER", "V2SOURCECOMMONNAME",
  "V2DOCUMENTIDENTIFIER", "V1COUNTS", "V2.1COUNTS", "V1THEMES", "V2ENHANCEDTHEMES", "V1LOCATIONS",
  "V2ENHANCEDLOCATIONS", "V1PERSONS", "V2ENHANCEDPERSONS", "V1ORGANIZATIONS", "V2ENHANCEDORGANIZATIONS",
  "V1.5TONE", "V2.1ENHANCEDDATES", "V2GCAM", "V2.1SHARINGIMAGE", "V2.1RELATEDIMAGES",
  "V2.1SOCIALIMAGEEMBEDS", "V2.1SOCIALVIDEOEMBEDS", "V2.1QUOTATIONS", "V2.1ALLNAMES", "V2.1AMOUNTS",
  "V2.1TRANSLATIONINFO", "V2EXTRASXML" }

-- GKG fields are separated by ; , # | and tabs: none may appear in a value.
local function gkg(s) return (tostring(s or ""):gsub("[;,#|\t\r\n]", " ")) end

--- One document as a GKG 2.1-style row (an array of the 27 fields):
-- persons, organisations (ORG and MEDIA), locations, counts (quantity),
-- dates, quotations, amounts, all names, with character offsets.
function M.gkg_row(doc, anns)
  local chars = data.char_counter(doc.text)
  local f = {}
  for i = 1, #M.GKG_COLUMNS do f[i] = "" end
  local date = (doc.published or ""):gsub("[^%d]", "")
  f[1] = tostring(doc.id)
  f[2] = (date .. "00000000000000"):sub(1, 14)
  f[3] = "1"
  f[4] = gkg(doc.outlet)
  f[5] = gkg(doc.uri)
  local persons, orgs, locs, epersons, eorgs, elocs, counts, counts2 = {}, {}, {}, {}, {}, {}, {}, {}
  local dates, quotes, names, amounts, seen = {}, {}, {}, {}, {}
  local function once(list, key, v)
    if not seen[key] then seen[key] = true; list[#list + 1] = v end
  end
  for _, a in ipairs(anns) do
    local off = chars(a.start_byte)
    local at = a.attrs or {}
    if a.layer == "entity" and a.entity then
      local name = gkg(a.entity)
      names[#names + 1] = name .. "," .. off
      if a.label == "PERSON" then
        once(persons, "p" .. name, name)
        epersons[#epersons + 1] = name .. "," .. off
      elseif a.label == "ORG" or a.label == "MEDIA" then
        once(orgs, "o" .. name, name)
        eorgs[#eorgs + 1] = name .. "," .. off
      elseif a.label == "PLACE" then
        -- type 1 (country) is unknown here: 0, with the name; no coordinates
        once(locs, "l" .. name, table.concat({ 0, name, "", "", "", "", "" }, "#"))
        elocs[#elocs + 1] = table.concat({ 0, name, "", "", "", "", "", "", off }, "#")
      end
    elseif a.layer == "quantity" and type(at.value) == "number" then
      local what = gkg(string.upper(tostring(at.event or at.class or a.label or "COUNT")))
      local obj = gkg(at.object)
      local n = string.format("%d", at.value)
      -- type#count#object#loctype#name#country#adm1#lat#long#featureid; 2.1
      -- adds adm2 after adm1 and the offset at the end
      counts[#counts + 1] = table.concat({ what, n, obj, 0, "", "", "", "", "", "" }, "#")
      counts2[#counts2 + 1] = table.concat({ what, n, obj, 0, "", "", "", "", "", "", "", off }, "#")
      amounts[#amounts + 1] = string.format("%d", at.value) .. "," .. obj .. "," .. off
    elseif a.layer == "date" and type(at.iso) == "string" then
      local y, m, d = at.iso:match("^(%d%d%d%d)%-?(%d?%d?)%-?(%d?%d?)")
      if y then
        local res = d ~= "" and 4 or (m ~= "" and 3 or 2)
        dates[#dates + 1] = res .. "#" .. (tonumber(m) or 0) .. "#" .. (tonumber(d) or 0) .. "#" .. y .. "#" .. off
      end
    elseif a.layer == "quote" and a.label == "speech" then
      local q = doc.text:sub(a.start_byte + 1, a.end_byte)
      quotes[#quotes + 1] = off .. "|" .. (chars(a.end_byte) - off) .. "|" .. gkg(at.verb) .. "|" ..
        (q:gsub("[|#\t\r\n]", " "))
    end
  end
  f[6] = table.concat(counts, ";")
  f[7] = table.concat(counts2, ";")
  f[10] = table.concat(locs, ";")
  f[11] = table.concat(elocs, ";")
  f[12] = table.concat(persons, ";")
  f[13] = table.concat(epersons, ";")
  f[14] = table.concat(orgs, ";")
  f[15] = table.concat(eorgs, ";")
  f[17] = table.concat(dates, ";")
  f[23] = table.concat(quotes, "#")
  f[24] = table.concat(names, ";")
  f[25] = table.concat(amounts, ";")
  f[27] = ""
  return f
end

---------------------------------------------------------------------------
-- writing

local function brat_file_name(doc)
  local base = tostring(doc.uri):match("([^/]*)$"):gsub("%.[^.]*$", ""):gsub("[^%w_%-]", "_")
  return string.format("%d_%s", doc.id, base ~= "" and base:sub(1, 60) or "doc")
end

--- Writes the documents in scope (opts: the filters, layer) of store db
-- in format to path (a file; a directory for brat, made when missing;
-- "-" or nil: standard output, not for brat). Returns the number of
-- documents, of annotations read, and (spacy) of spans left out.
function M.write(db, format, path, opts)
  if getmetatable(db) ~= store.Db then
    check.argerr(1, "write", "store", db)
  end
  local known = false
  for _, f in ipairs(M.formats) do if f == format then known = true end end
  if not known then
    check.argmsg(2, "write", "one of " .. table.concat(M.formats, ", ") .. " expected, got "
      .. tostring(format))
  end
  opts = opts or {}
  local views = require "lector.report.views"
  local ndocs, nanns, skipped = 0, 0, 0
  local aopts = {}
  for k, v in pairs(opts) do aopts[k] = v end
  if format == "brat" then
    if path == nil or path == "-" then check.fail("brat writes a directory: give -o DIR") end
    views.mkdir(path)
    local conf = { entities = {}, attributes = {}, relations = {} }
    for doc, anns in data.each_document(db, aopts) do
      local name = path .. "/" .. brat_file_name(doc)
      local fh, close = views.open_output(name .. ".txt")
      fh:write(doc.text)
      close()
      fh, close = views.open_output(name .. ".ann")
      fh:write((M.brat_ann(doc, anns, conf)))
      close()
      ndocs, nanns = ndocs + 1, nanns + #anns
    end
    local fh, close = views.open_output(path .. "/annotation.conf")
    fh:write(M.brat_conf(conf))
    close()
    fh, close = views.open_output(path .. "/visual.conf")
    fh:write("[labels]\n[drawing]\nSPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken\n"
      .. "ARC_DEFAULT\tcolor:black, arrowHead:triangle-5\n")
    close()
    return ndocs, nanns
  end
  local fh, close = views.open_output(path)
  if format == "csv" then fh:write(M.CSV_HEADER, "\n") end
  for doc, anns in data.each_document(db, aopts) do
    if format == "jsonl" then
      fh:write(jsonout.encode(M.jsonl_object(doc, anns)), "\n")
    elseif format == "csv" then
      M.csv_rows(doc, anns, fh)
    elseif format == "spacy" then
      local obj, left = M.spacy_doc(doc, anns)
      skipped = skipped + left
      fh:write(jsonout.encode(obj), "\n")
    elseif format == "gkg" then
      fh:write(table.concat(M.gkg_row(doc, anns), "\t"), "\n")
    end
    ndocs, nanns = ndocs + 1, nanns + #anns
  end
  close()
  return ndocs, nanns, skipped
end

return M
