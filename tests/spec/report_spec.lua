-- Specs of lector.report (the building blocks of HTML reports),
-- lector.report.json, lector.report.data and lector.report.export.
local T = require "testlib"
local R = require "lector.report"
local jsonout = require "lector.report.json"
local data = require "lector.report.data"
local export = require "lector.report.export"

-- The text of an HTML fragment: tags dropped, the entities we write undone.
local function strip(html)
  return (html:gsub("<[^>]*>", ""):gsub("&(#?%w+);", { lt = "<", gt = ">", quot = '"', ["#39"] = "'", amp = "&" }))
end

T.case("report-1.1 esc escapes the five characters, nil is empty", function()
  T.eq(R.esc([[<script>alert("x" & 'y')</script>]]),
    "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;")
  T.eq(R.esc(nil), "")
  T.eq(R.esc(12), "12")
end)

T.case("report-1.2 tables escape cells and headers, raw parts pass, numbers align right", function()
  local t = R.table({ "<b>name</b>", "n" }, { { "<script>x</script>", 1234567 }, { R.raw("<i>ok</i>"), 1.5 } }).raw
  T.ok(not t:find("<script>", 1, true), t)
  T.ok(t:find("&lt;b&gt;name&lt;/b&gt;", 1, true))
  T.ok(t:find('<td class="n">1,234,567</td>', 1, true), t)
  T.ok(t:find("<td><i>ok</i></td>", 1, true))
  T.ok(t:find('<td class="n">1.50</td>', 1, true))
  T.raises("bad argument #1 to 'table'", R.table, nil, {})
end)

T.case("report-1.3 charts are SVG with escaped labels", function()
  local b = R.bars({ { label = "<SOHR>", value = 12 }, { label = "TASS \"x\"", value = 4 } }, { title = "a<b" }).raw
  T.ok(b:find("^<svg "), b:sub(1, 40))
  T.ok(b:find("&lt;SOHR&gt;", 1, true) and b:find("TASS &quot;x&quot;", 1, true))
  T.ok(not b:find("<SOHR>", 1, true))
  local _, rects = b:gsub('<rect class="bar"', "")
  T.eq(rects, 2)
  local tl = R.timeline({ { iso = "2016-11-03", label = "<one>" }, { iso = "2017-02", label = "two" } }).raw
  local _, dots = tl:gsub('<circle class="ev"', "")
  T.eq(dots, 2)
  T.ok(tl:find("2016-11-03", 1, true) and tl:find("&lt;one&gt;", 1, true))
  local n = R.network({ { from = "SANA", to = "<SOHR>", weight = 3 }, { from = "RT", to = "<SOHR>", weight = 1 } }).raw
  local _, edges = n:gsub('<path class="edge"', "")
  local _, nodes = n:gsub('<circle class="node"', "")
  T.eq({ edges, nodes }, { 2, 3 })
  T.raises("bad argument #1 to 'bars'", R.bars, "x")
end)

T.case("report-1.4 highlight: nested and crossing spans keep the text, each span marked, escaped", function()
  local text = "Rebels said <60> killed near Ḥalab."
  local spans = {
    { start_byte = 0, end_byte = 11, layer = "source", label = "named" },
    { start_byte = 0, end_byte = 6, layer = "entity", label = "ORG", entity = "Rebels",
      attrs = { source = "g.tsv:3" } },
    { start_byte = 12, end_byte = 26, layer = "quantity", label = "count", attrs = { note = '"<b>"' } },
    { start_byte = 20, end_byte = 35, layer = "hedge", label = "x" }, -- crosses the quantity
    { start_byte = 29, end_byte = 35, layer = "entity", label = "PLACE" },
  }
  local h = R.highlight(text, spans).raw
  local body = h:match('<div class="doctext">(.*)</div>$')
  T.eq(strip(body), text)
  for i = 1, #spans do T.ok(body:find('data-span="' .. i .. '"', 1, true), "span " .. i) end
  T.ok(body:find("matched (gazetteer line): g.tsv:3", 1, true), "why it matched")
  T.ok(body:find("&quot;&lt;b&gt;&quot;", 1, true), "attribute escaped")
  T.ok(not body:find("<60>", 1, true))
  T.ok(h:find('data-layer="entity"', 1, true) and h:find('data-layer="hedge"', 1, true), "a toggle per layer")
  T.ok(h:find("body.hide-entity mark.L-entity", 1, true))
  T.raises("span 1: offsets outside the text", R.highlight, "abc", { { start_byte = 0, end_byte = 9, layer = "x" } })
end)

T.case("report-1.4b a quote shows its speaker after its last piece, escaped, outside the text", function()
  local h = R.highlight("“Go,” he said.", { { start_byte = 0, end_byte = #"“Go,”", layer = "quote", label = "speech",
    attrs = { speaker = "<Abu \"X\">" } } }).raw
  T.ok(h:find('data-who="&lt;Abu &quot;X&quot;&gt;"', 1, true), h)
  T.eq(strip(h:match('<div class="doctext">(.*)</div>$')), "“Go,” he said.")
end)

T.case("report-1.5 page: self-contained, script refused when it could close the element", function()
  local p = R.page("A <title>", { R.h2("x") }, { script = "var a=1;" })
  T.ok(p:find("<title>A &lt;title&gt;</title>", 1, true))
  T.ok(p:find("default-src 'none'", 1, true))
  T.ok(not p:find("src=", 1, true) and not p:find("<link", 1, true) and not p:find("url(", 1, true))
  T.raises("script must not contain '</'", R.page, "t", {}, { script = "</script><b>" })
end)

T.case("report-2.1 json: empty lists are arrays, objects when marked, keys sorted, raw kept", function()
  T.eq(jsonout.encode({ b = {}, a = { 1, 2 }, c = jsonout.object(), d = jsonout.raw('{"x":1}') }),
    '{"a":[1,2],"b":[],"c":{},"d":{"x":1}}')
  T.eq(jsonout.encode({ s = "é\"<", n = 1.5, big = 5000 }), '{"big":5000,"n":1.5,"s":"é\\"<"}')
end)

T.case("report-3.1 char_counter counts code points before a byte offset, in any order", function()
  local s = "Ḥalab — Erdoğan"
  local c = data.char_counter(s)
  T.eq(c(0), 0)
  T.eq(c(#"Ḥalab"), 5)
  T.eq(c(#s), 15)
  T.eq(c(#"Ḥ"), 1)
end)

T.case("report-3.2 claim_groups: 60 vs 44 near Palmyra side by side, far dates apart", function()
  local function claim(doc, v, place, pub)
    return { doc_id = doc, start_byte = 0, value = v, event = "kill", places = { place }, published = pub }
  end
  local g = data.claim_groups({ claim(1, 60, "Palmyra", "2016-12-11"), claim(2, 44, "Palmyra", "2016-12-12"),
    claim(3, 7, "Aleppo", "2016-12-11"), claim(4, 90, "Palmyra", "2017-05-01") })
  T.eq(g[1].conflict, true)
  T.eq(g[1].values, { 60, 44 })
  T.eq(g[1].place, "Palmyra")
  T.eq(#g, 3)
end)

T.case("report-4.1 brat: fragments at line breaks, character offsets, relations from claims to sources", function()
  local text = "Ḥalab: SOHR said\n60 died."
  local doc = { id = 1, uri = "x", text = text }
  local anns = {
    { layer = "entity", label = "PLACE", entity = "Aleppo", start_byte = 0, end_byte = #"Ḥalab", attrs = {} },
    { layer = "source", label = "named", start_byte = #"Ḥalab: ", end_byte = #"Ḥalab: SOHR said",
      attrs = { claims = { #"Ḥalab: SOHR said\n" + 1 } } },
    { layer = "quote", label = "speech", start_byte = #"Ḥalab: ", end_byte = #text, attrs = {} },
    { layer = "quantity", label = "count", start_byte = #"Ḥalab: SOHR said\n", end_byte = #"Ḥalab: SOHR said\n60",
      attrs = { value = 60, event = "kill" } },
  }
  local ann, conf = export.brat_ann(doc, anns)
  T.ok(ann:find("T1\tPLACE 0 5\tḤalab\n", 1, true), ann)
  T.ok(ann:find("T3\tQuote 7 16;17 25\tSOHR said 60 died.\n", 1, true), ann)
  T.ok(ann:find("EventKind T4 kill", 1, true), ann)
  T.ok(ann:find("R1\tAttributedTo Arg1:T4 Arg2:T2", 1, true), ann)
  local c = export.brat_conf(conf)
  T.ok(c:find("[entities]\nPLACE\nQuantity\nQuote\nSource\n", 1, true), c)
end)

T.case("report-4.2 spacy: tokens, sents and ents in characters, overlapping entities resolved", function()
  local text = "Islamic State left Ḥalab."
  local d, left = export.spacy_doc({ id = 1, uri = "x", text = text }, {
    { layer = "entity", label = "ORG", entity = "Islamic State", start_byte = 0, end_byte = 13, attrs = {} },
    { layer = "entity", label = "ORG", entity = "State", start_byte = 8, end_byte = 13, attrs = {} },
    { layer = "entity", label = "PLACE", entity = "Aleppo", start_byte = 19, end_byte = 19 + #"Ḥalab", attrs = {} },
  })
  T.eq(#d.ents, 2)
  T.eq({ d.ents[2].start, d.ents[2]["end"] }, { 19, 24 })
  T.eq(d.sents[1].start, 0)
  T.eq(d.sents[1]["end"], 25)
  T.eq(d.tokens[#d.tokens]["end"], 25)
  T.eq(left, 1)
  T.eq(d.user_data, nil)
end)

T.case("report-4.3 gkg: 27 fields, no separators inside values", function()
  local f = export.gkg_row({ id = 3, uri = "u;1", text = "Putin met Assad.", outlet = "T#A", published = "2017-02-06" },
    { { layer = "entity", label = "PERSON", entity = "Vladimir Putin", start_byte = 0, end_byte = 5, attrs = {} } })
  T.eq(#f, 27)
  T.eq(f[2], "20170206000000")
  T.eq(f[4], "T A")
  T.eq(f[13], "Vladimir Putin,0")
end)
