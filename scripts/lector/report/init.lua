-- lector.report: the building blocks of reports an analyst opens in a
-- browser — tables, bar charts, timelines and networks as inline SVG, a
-- self-contained HTML page, a text with its spans highlighted. Everything
-- printed is escaped; nothing is fetched from a network (no CDN, no font,
-- no image by URL), so the page opens offline and prints.
--
--   local R = require "lector.report"
--   local page = R.page("Sources", {
--     R.h2("Who is cited"),
--     R.bars({ { label = "SOHR", value = 12 }, { label = "TASS", value = 4 } }),
--     R.table({ "source", "citations" }, { { "SOHR", 12 }, { "TASS", 4 } }),
--   })
--   io.open("sources.html", "w"):write(page)
local check = require "lector.check"
local M = {}

local function argcheck(cond, n, fname, msg)
  if not cond then check.argmsg(n, fname, msg, 3) end
end

--- HTML-escapes any value (nil gives ""): & < > " ' all become entities,
-- so the result is safe in text and in quoted attributes.
function M.esc(v)
  if v == nil then return "" end
  return (tostring(v):gsub("[&<>\"']", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
                                         ['"'] = "&quot;", ["'"] = "&#39;" }))
end
local esc = M.esc

--- Raw HTML, not escaped again by the functions that take parts.
function M.raw(s) return { raw = tostring(s) } end

-- A part: a raw table, an array of parts, or text (escaped).
local function render(part)
  if type(part) == "table" then
    if part.raw then return part.raw end
    local out = {}
    for i = 1, #part do out[i] = render(part[i]) end
    return table.concat(out)
  end
  return esc(part)
end
M.render = render

--- An element: M.el("p", {class = "x"}, part, ...) -> raw HTML.
function M.el(tag, attrs, ...)
  argcheck(type(tag) == "string" and tag:match("^[%a][%w]*$"), 1, "el", "tag name expected")
  local out = { "<", tag }
  if attrs then
    local keys = {}
    for k in pairs(attrs) do keys[#keys + 1] = k end
    table.sort(keys)
    for _, k in ipairs(keys) do
      local v = attrs[k]
      if v ~= nil and v ~= false then
        out[#out + 1] = " " .. k .. (v == true and "" or ('="' .. esc(v) .. '"'))
      end
    end
  end
  out[#out + 1] = ">"
  for i = 1, select("#", ...) do out[#out + 1] = render((select(i, ...))) end
  out[#out + 1] = "</" .. tag .. ">"
  return M.raw(table.concat(out))
end

function M.h2(text, id) return M.el("h2", { id = id }, text) end
function M.p(...) return M.el("p", nil, ...) end

local function fmt_num(v)
  if type(v) ~= "number" then return v end
  if v ~= math.floor(v) then return string.format("%.2f", v) end
  local s, k = string.format("%d", v), 1
  while k > 0 do s, k = s:gsub("^(-?%d+)(%d%d%d)", "%1,%2") end
  return s
end
M.number = fmt_num

--- A table: header (array of strings), rows (arrays of cells: text,
-- numbers, or raw parts); opts.class, opts.caption. Numbers align right.
function M.table(header, rows, opts)
  argcheck(type(header) == "table", 1, "table", "array of column names expected")
  argcheck(type(rows) == "table", 2, "table", "array of rows expected")
  opts = opts or {}
  local out = { '<table class="', esc(opts.class or "data"), '">' }
  if opts.caption then out[#out + 1] = "<caption>" .. esc(opts.caption) .. "</caption>" end
  out[#out + 1] = "<thead><tr>"
  for _, h in ipairs(header) do out[#out + 1] = "<th>" .. render(h) .. "</th>" end
  out[#out + 1] = "</tr></thead><tbody>"
  for _, r in ipairs(rows) do
    out[#out + 1] = "<tr>"
    for i = 1, #header do
      local v = r[i]
      if type(v) == "number" then
        out[#out + 1] = '<td class="n">' .. esc(fmt_num(v)) .. "</td>"
      else
        out[#out + 1] = "<td>" .. render(v) .. "</td>"
      end
    end
    out[#out + 1] = "</tr>"
  end
  out[#out + 1] = "</tbody></table>"
  return M.raw(table.concat(out))
end

local PALETTE = { "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
                  "#ff9da7", "#9c755f", "#bab0ac" }
M.palette = PALETTE

local function svg_open(w, h, title, class)
  return string.format('<svg xmlns="http://www.w3.org/2000/svg" class="%s" role="img" width="%d" height="%d" '
    .. 'viewBox="0 0 %d %d"><title>%s</title>', esc(class or "chart"), w, h, w, h, esc(title or ""))
end

-- Widths count characters, not bytes, so titles with curly quotes align.
local function chars(s) return #s - select(2, s:gsub("[\128-\191]", "")) end
M.chars = chars

-- s cut to n characters, with an ellipsis.
local function cut(s, n)
  s = tostring(s or "")
  if chars(s) <= n then return s end
  local out, k = {}, 0
  for ch in s:gmatch("[%z\1-\127\192-\255][\128-\191]*") do
    if k == n - 1 then break end
    out[#out + 1] = ch
    k = k + 1
  end
  return table.concat(out) .. "…"
end
M.cut = cut

--- A horizontal bar chart as SVG: items {{label=, value=, color=,
-- title=}}; opts.width (default 640), opts.title, opts.unit. A second
-- series: item.value2 and opts.legend = {"first", "second"}.
function M.bars(items, opts)
  argcheck(type(items) == "table", 1, "bars", "array of {label=, value=} expected")
  opts = opts or {}
  local w, bh, lw = opts.width or 640, 18, opts.label_width or 190
  local two = opts.legend ~= nil
  local row = two and 2 * bh + 6 or bh + 6
  local h = #items * row + 10 + (two and 20 or 0)
  local max = 0
  for _, it in ipairs(items) do
    max = math.max(max, tonumber(it.value) or 0, tonumber(it.value2) or 0)
  end
  if max == 0 then max = 1 end
  local span = w - lw - 70
  local out = { svg_open(w, h, opts.title, "chart bars") }
  for i, it in ipairs(items) do
    local y = 5 + (i - 1) * row
    local v = tonumber(it.value) or 0
    out[#out + 1] = string.format('<text x="%d" y="%d" text-anchor="end" class="lab">%s</text>',
      lw - 6, y + 13, esc(cut(it.label, 28)))
    out[#out + 1] = string.format('<rect class="bar" x="%d" y="%d" width="%.1f" height="%d" fill="%s">'
      .. '<title>%s: %s</title></rect>', lw, y, math.max(v / max * span, 1), bh, esc(it.color or PALETTE[1]),
      esc(it.title or it.label), esc(fmt_num(v)))
    out[#out + 1] = string.format('<text x="%.1f" y="%d" class="val">%s%s</text>', lw + v / max * span + 4,
      y + 13, esc(fmt_num(v)), esc(opts.unit or ""))
    if two then
      local v2 = tonumber(it.value2) or 0
      out[#out + 1] = string.format('<rect class="bar2" x="%d" y="%d" width="%.1f" height="%d" fill="%s">'
        .. '<title>%s: %s</title></rect>', lw, y + bh + 2, math.max(v2 / max * span, 1), bh, PALETTE[2],
        esc(it.title or it.label), esc(fmt_num(v2)))
      out[#out + 1] = string.format('<text x="%.1f" y="%d" class="val">%s%s</text>', lw + v2 / max * span + 4,
        y + bh + 15, esc(fmt_num(v2)), esc(opts.unit or ""))
    end
  end
  if two then
    local y = h - 8
    out[#out + 1] = string.format('<rect x="%d" y="%d" width="10" height="10" fill="%s"/><text x="%d" y="%d" '
      .. 'class="lab">%s</text>', lw, y - 9, PALETTE[1], lw + 14, y, esc(opts.legend[1]))
    out[#out + 1] = string.format('<rect x="%d" y="%d" width="10" height="10" fill="%s"/><text x="%d" y="%d" '
      .. 'class="lab">%s</text>', lw + 160, y - 9, PALETTE[2], lw + 174, y, esc(opts.legend[2]))
  end
  out[#out + 1] = "</svg>"
  return M.raw(table.concat(out))
end

--- A timeline as SVG: items {{day = days since 1970 (or iso = "2016-11-03"),
-- label=, title=, color=}} placed on a date axis; labels alternate above
-- and below. opts.width, opts.title.
function M.timeline(items, opts)
  argcheck(type(items) == "table", 1, "timeline", "array of {day= or iso=, label=} expected")
  opts = opts or {}
  local w = opts.width or 900
  local pts = {}
  for _, it in ipairs(items) do
    local d = it.day
    if not d and it.iso then d = require("lector.report.data").days(it.iso) end
    if d then pts[#pts + 1] = { d = d, it = it } end
  end
  table.sort(pts, function(a, b) return a.d < b.d end)
  local lanes = 6
  local h = 60 + lanes * 2 * 16
  local mid = h / 2
  local out = { svg_open(w, h, opts.title, "chart timeline") }
  out[#out + 1] = string.format('<line x1="20" y1="%d" x2="%d" y2="%d" class="axis" stroke="#444"/>', mid, w - 20,
    mid)
  if #pts > 0 then
    local lo, hi = pts[1].d, pts[#pts].d
    if hi - lo < 1 then lo, hi = lo - 1, hi + 1 end
    local function x(d) return 40 + (d - lo) / (hi - lo) * (w - 80) end
    for _, d in ipairs { lo, (lo + hi) / 2, hi } do
      out[#out + 1] = string.format('<text x="%.1f" y="%d" text-anchor="middle" class="tick">%s</text>', x(d),
        h - 4, os.date("!%Y-%m-%d", math.floor(d * 86400)))
    end
    -- each label takes the first lane (above, then below the axis, going
    -- outwards) whose last label ends before it starts
    local lane_end = {}
    for i, p in ipairs(pts) do
      local px = x(p.d)
      local label = cut(p.it.label, 34)
      local lw = chars(label) * 6 + 10
      local left = px > w * 0.7 and px - lw or px
      local pick = (i - 1) % (2 * lanes)
      for k = 0, 2 * lanes - 1 do
        if (lane_end[k] or -1e9) < left then pick = k; break end
      end
      lane_end[pick] = left + lw
      local lane, up = math.floor(pick / 2), pick % 2 == 0
      local ly = up and (mid - 14 - lane * 16) or (mid + 24 + lane * 16)
      out[#out + 1] = string.format('<circle class="ev" cx="%.1f" cy="%d" r="4" fill="%s"><title>%s</title>'
        .. '</circle>', x(p.d), mid, esc(p.it.color or PALETTE[1]), esc(p.it.title or p.it.label))
      out[#out + 1] = string.format('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#bbb"/>', x(p.d), mid,
        x(p.d), ly + (up and 3 or -11))
      out[#out + 1] = string.format('<text x="%.1f" y="%d" class="lab" text-anchor="%s">%s</text>', x(p.d), ly,
        x(p.d) > w * 0.7 and "end" or "start", esc(label))
    end
  end
  out[#out + 1] = "</svg>"
  return M.raw(table.concat(out))
end

--- A two-column network as SVG: edges {{from=, to=, weight=}}; the
-- from-nodes on the left, the to-nodes on the right, line widths by
-- weight (the way outlets cite sources). opts.width, opts.title,
-- opts.left_title, opts.right_title.
function M.network(edges, opts)
  argcheck(type(edges) == "table", 1, "network", "array of {from=, to=, weight=} expected")
  opts = opts or {}
  local w = opts.width or 760
  local left, right, li, ri = {}, {}, {}, {}
  local lsum, rsum = {}, {}
  local max = 1
  for _, e in ipairs(edges) do
    if not li[e.from] then left[#left + 1] = e.from; li[e.from] = true end
    if not ri[e.to] then right[#right + 1] = e.to; ri[e.to] = true end
    lsum[e.from] = (lsum[e.from] or 0) + (e.weight or 1)
    rsum[e.to] = (rsum[e.to] or 0) + (e.weight or 1)
    max = math.max(max, e.weight or 1)
  end
  table.sort(left, function(a, b) return lsum[a] > lsum[b] or (lsum[a] == lsum[b] and a < b) end)
  table.sort(right, function(a, b) return rsum[a] > rsum[b] or (rsum[a] == rsum[b] and a < b) end)
  local step = 24
  local h = math.max(#left, #right) * step + 50
  local lx, rx = 200, w - 200
  local ly, ry = {}, {}
  local function ypos(i, n) return 40 + (i - 1) * step + (math.max(#left, #right) - n) * step / 2 end
  for i, n in ipairs(left) do ly[n] = ypos(i, #left) end
  for i, n in ipairs(right) do ry[n] = ypos(i, #right) end
  local out = { svg_open(w, h, opts.title, "chart network") }
  out[#out + 1] = string.format('<text x="%d" y="18" text-anchor="end" class="head">%s</text>', lx,
    esc(opts.left_title or ""))
  out[#out + 1] = string.format('<text x="%d" y="18" class="head">%s</text>', rx, esc(opts.right_title or ""))
  for i, e in ipairs(edges) do
    local c = PALETTE[((i - 1) % #PALETTE) + 1]
    out[#out + 1] = string.format('<path class="edge" d="M%d %.1f C%d %.1f %d %.1f %d %.1f" stroke="%s" '
      .. 'stroke-opacity="0.6" fill="none" stroke-width="%.1f"><title>%s → %s: %s</title></path>', lx + 6, ly[e.from],
      (lx + rx) / 2, ly[e.from], (lx + rx) / 2, ry[e.to], rx - 6, ry[e.to], c, 1 + 5 * (e.weight or 1) / max,
      esc(e.from), esc(e.to), esc(fmt_num(e.weight or 1)))
  end
  for _, n in ipairs(left) do
    out[#out + 1] = string.format('<circle class="node" cx="%d" cy="%.1f" r="5" fill="#333"/>'
      .. '<text x="%d" y="%.1f" text-anchor="end" class="lab">%s</text>', lx, ly[n], lx - 9, ly[n] + 4,
      esc(cut(n, 28)))
  end
  for _, n in ipairs(right) do
    out[#out + 1] = string.format('<circle class="node" cx="%d" cy="%.1f" r="5" fill="#333"/>'
      .. '<text x="%d" y="%.1f" class="lab">%s</text>', rx, ry[n], rx + 9, ry[n] + 4, esc(cut(n, 28)))
  end
  out[#out + 1] = "</svg>"
  return M.raw(table.concat(out))
end

-- The colours of the layers and entity types in a highlighted text.
M.colors = {
  PLACE = "#b6e3b6", ORG = "#aec7e8", PERSON = "#f7b6d2", MEDIA = "#ffd59e",
  entity = "#c7c7e2", quantity = "#ffef8a", date = "#c5e8f7", quote = "#e2d4f0",
  source = "#ffc9a6", hedge = "#f5a3a3", event = "#d0f0c0", boilerplate = "#e8e8e8",
}

M.CSS = [[
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;max-width:1100px;
margin:1.5em auto;padding:0 1em}
h1{font-size:1.6em;margin:.2em 0}h2{border-bottom:1px solid #ccc;margin-top:1.6em;font-size:1.25em}
table.data{border-collapse:collapse;margin:.6em 0;font-size:.92em}
table.data th,table.data td{border:1px solid #ddd;padding:3px 7px;vertical-align:top;text-align:left}
table.data th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
svg.chart{display:block;margin:.6em 0;max-width:100%;height:auto}svg .lab,svg .val,svg .tick{font-size:11px;fill:#333}
svg .head{font-size:12px;font-weight:bold}nav a{margin-right:.8em}
.group{border:1px solid #ddd;border-radius:4px;padding:.4em .7em;margin:.6em 0;page-break-inside:avoid}
.group.conflict{border-color:#d62728;background:#fff6f6}.muted{color:#777}
.doctext{white-space:pre-wrap;line-height:1.9;border:1px solid #eee;padding:1em}
mark{background:transparent;color:inherit;border-radius:3px;padding:0 1px}
.legend label{margin-right:1em;white-space:nowrap}
.legend .sw{display:inline-block;width:.9em;height:.9em;border-radius:2px;vertical-align:-1px;margin-right:3px}
@media print{nav,.legend input{display:none}body{max-width:none}a{color:inherit;text-decoration:none}}
]]

--- A complete self-contained HTML page: title, body parts; opts.css
-- (added after the default style), opts.script (inline JavaScript, kept
-- small; "</" in it is refused, as it would end the element).
function M.page(title, body, opts)
  argcheck(type(title) == "string", 1, "page", "string expected")
  opts = opts or {}
  local script = opts.script or ""
  argcheck(not script:find("</", 1, true), 3, "page", "script must not contain '</'")
  return table.concat {
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">",
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; ",
    "script-src 'unsafe-inline'; img-src data:\">",
    "<title>", esc(title), "</title><style>", M.CSS, opts.css or "", "</style></head>\n<body>\n",
    "<h1>", esc(title), "</h1>\n", render(body),
    script ~= "" and ("\n<script>" .. script .. "</script>") or "", "\n</body></html>\n",
  }
end

-- The script of a highlighted text: a checkbox per layer toggles the
-- class hide-LAYER on the body; #hide=a,b in the URL starts with those off.
local TOGGLE = [[
(function(){var b=document.body;function set(l,on){b.classList.toggle('hide-'+l,!on);}
var boxes=document.querySelectorAll('.legend input[data-layer]');
var h=(location.hash.match(/hide=([^&]*)/)||[])[1];var off=h?decodeURIComponent(h).split(','):[];
for(var i=0;i<boxes.length;i++){(function(x){var l=x.getAttribute('data-layer');if(off.indexOf(l)>=0){x.checked=false;}
set(l,x.checked);x.addEventListener('change',function(){set(l,x.checked);});})(boxes[i]);}})();
]]
M.TOGGLE_SCRIPT = TOGGLE

-- A span's hover text: layer, label, entity, attributes, why it matched.
local function tip(s)
  local lines = { s.layer .. (s.label and (" · " .. s.label) or "") .. (s.entity and (" · " .. s.entity) or "") }
  local attrs = s.attrs or {}
  local keys = {}
  for k in pairs(attrs) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do
    local v = attrs[k]
    if type(v) == "table" then
      local ok, j = pcall(require("lector.json").encode, v)
      v = ok and j or "?"
    end
    if k == "source" and s.layer == "entity" then k = "matched (gazetteer line)" end
    if k == "rule" or k == "pattern" then k = "matched (" .. k .. ")" end
    lines[#lines + 1] = k .. ": " .. tostring(v)
  end
  return table.concat(lines, "\n")
end

--- A text with spans highlighted, as the displaCy entity view shows them,
-- with a legend and a toggle per layer. spans: {{start_byte=, end_byte=,
-- layer=, label=, entity=, attrs=}} (0-based, end exclusive); they may
-- overlap and nest. Returns raw HTML (the legend and the text); the page
-- needs M.TOGGLE_SCRIPT (M.document_page adds it).
function M.highlight(text, spans)
  argcheck(type(text) == "string", 1, "highlight", "string expected")
  argcheck(type(spans) == "table", 2, "highlight", "array of spans expected")
  -- boundaries where the set of open spans changes
  local cuts = { 0, #text }
  local layers, lset = {}, {}
  for i, s in ipairs(spans) do
    local a, b = tonumber(s.start_byte), tonumber(s.end_byte)
    if not a or not b or a < 0 or b > #text or a > b then
      check.argmsg(2, "highlight", string.format("span %d: offsets outside the text", i))
    end
    cuts[#cuts + 1], cuts[#cuts + 2] = a, b
    if not lset[s.layer] then lset[s.layer] = true; layers[#layers + 1] = s.layer end
  end
  table.sort(cuts)
  local uniq = {}
  for _, c in ipairs(cuts) do if uniq[#uniq] ~= c then uniq[#uniq + 1] = c end end
  -- spans by start, longer first, so outer marks open first
  local order = {}
  for i = 1, #spans do order[i] = i end
  table.sort(order, function(x, y)
    local a, b = spans[x], spans[y]
    if a.start_byte ~= b.start_byte then return a.start_byte < b.start_byte end
    if a.end_byte ~= b.end_byte then return a.end_byte > b.end_byte end
    return x < y
  end)
  local out, k, open = {}, 1, {}
  for ci = 1, #uniq - 1 do
    local a, b = uniq[ci], uniq[ci + 1]
    while k <= #order and spans[order[k]].start_byte <= a do
      if spans[order[k]].end_byte > a then open[#open + 1] = order[k] end
      k = k + 1
    end
    local still = {}
    for _, i in ipairs(open) do if spans[i].end_byte > a then still[#still + 1] = i end end
    open = still
    local seg = esc(text:sub(a + 1, b))
    for j = #open, 1, -1 do
      local s = spans[open[j]]
      local key = s.layer == "entity" and s.label or s.layer
      local color = M.colors[key] or M.colors[s.layer] or "#ddd"
      -- a quote's speaker (or a source's name) after its last piece, by CSS:
      -- shown, not part of the text
      local who = ""
      if s.end_byte == b and (s.layer == "quote" or s.layer == "source") and type(s.attrs) == "table" then
        local v = s.attrs.speaker_entity or s.attrs.speaker or s.attrs.source_entity or s.attrs.source
        if type(v) == "string" then who = ' data-who="' .. esc(v) .. '"' end
      end
      seg = string.format('<mark class="L-%s T-%s" data-span="%d"%s title="%s" style="background:%s">%s</mark>',
        esc(s.layer:gsub("[^%w_-]", "_")), esc(tostring(s.label or ""):gsub("[^%w_-]", "_")), open[j], who,
        esc(tip(s)), color, seg)
    end
    out[#out + 1] = seg
  end
  table.sort(layers)
  local legend = { '<div class="legend">' }
  for _, l in ipairs(layers) do
    legend[#legend + 1] = string.format('<label><input type="checkbox" checked data-layer="%s">'
      .. '<span class="sw" style="background:%s"></span>%s</label>', esc(l:gsub("[^%w_-]", "_")),
      M.colors[l] or "#ddd", esc(l))
  end
  local types = {}
  for _, s in ipairs(spans) do
    if s.layer == "entity" and s.label and not types[s.label] then types[s.label] = true end
  end
  local tl = {}
  for t in pairs(types) do tl[#tl + 1] = t end
  table.sort(tl)
  if #tl > 0 then
    legend[#legend + 1] = '<br><span class="muted">entity types:</span> '
    for _, t in ipairs(tl) do
      legend[#legend + 1] = string.format('<label><span class="sw" style="background:%s"></span>%s</label>',
        M.colors[t] or "#ddd", esc(t))
    end
  end
  legend[#legend + 1] = "</div>"
  local css = {}
  for _, l in ipairs(layers) do
    local c = l:gsub("[^%w_-]", "_")
    css[#css + 1] = string.format("body.hide-%s mark.L-%s{background:transparent!important;}", c, c)
  end
  css[#css + 1] = "mark.L-boilerplate{color:#999}body.hide-boilerplate mark.L-boilerplate{color:inherit}"
  css[#css + 1] = "mark.L-quote{border-bottom:2px dotted #8a6db1}body.hide-quote mark.L-quote{border-bottom:0}"
  css[#css + 1] = "mark.L-quote[data-who]::after{content:' — ' attr(data-who);font-size:.75em;color:#6a4d91}"
  css[#css + 1] = "body.hide-quote mark.L-quote[data-who]::after{content:none}"
  return M.raw(table.concat(legend) .. '<style>' .. table.concat(css) .. '</style><div class="doctext">'
    .. table.concat(out) .. "</div>")
end

--- A page for one text with highlighted spans (M.highlight) and the layer
-- toggles; head: parts shown above the text.
function M.document_page(title, text, spans, head)
  return M.page(title, { head or "", M.highlight(text, spans) }, { script = TOGGLE })
end

return M
