-- lector.extract.metadata: what the document header missed, found in the
-- text: a byline or `Source:` line at the end, a dateline near the top,
-- the date in a URL (/2017/02/06/) and a title from a URL slug.
local read = require "lector.read"

local M = {}

local SMALL = { a = true, an = true, the = true, of = true, ["in"] = true, on = true,
  to = true, ["for"] = true, ["and"] = true, ["or"] = true, but = true, at = true, by = true,
  from = true, with = true, as = true, vs = true, via = true, into = true, near = true }

--- Title case for a URL slug: "islamic-state-close-to-defeating" ->
-- "Islamic State Close to Defeating".
function M.slug_title(slug)
  local words = {}
  for w in slug:gsub("%.%a+$", ""):gmatch("[^%-_]+") do
    if #words > 0 and SMALL[w] then words[#words + 1] = w
    -- (not a date or an id the slug starts with: "20201128-brexit-talks")
    elseif #words > 0 or not w:match("^%d%d%d%d%d%d+$") then words[#words + 1] = w:sub(1, 1):upper() .. w:sub(2) end
  end
  if #words < 2 then return nil end
  return table.concat(words, " ")
end

-- A month's name as datelines write it (lector.read's rule).
local month_of = read.month_number

-- A date a URL's path writes in one piece: "/2022-08-29/", "-2019-03-10-"
-- in a slug, "/20180917/", "/2004/12-10/", "/2013/Dec/04/", "/02-Nov-2018/";
-- iso or nil.
local function url_day(path)
  local y, m, d = path:match("[/_%-](%d%d%d%d)%-(%d%d)%-(%d%d)[/_%-%.]")
  -- ("/20180917/", "/20201128-brexit-talks.php", "/20081129-130301")
  if not y then y, m, d = path:match("/(%d%d%d%d)(%d%d)(%d%d)[/%-_]") end
  -- ("/archive/2004/12-10/")
  if not y then y, m, d = path:match("/(%d%d%d%d)/(%d%d)%-(%d%d)/") end
  if not y then
    -- "/2013/Dec/04/", "/02-Nov-2018/": the month's name
    local mon
    y, mon, d = path:match("/(%d%d%d%d)/(%a%a%a%a?)/(%d%d?)/")
    if not y then d, mon, y = path:match("/(%d%d?)%-(%a%a%a%a?)%-(%d%d%d%d)/") end
    m = mon and month_of(mon)
  end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if y and m and y >= 1990 and y <= 2100 and m >= 1 and m <= 12 and d >= 1 and d <= 31 then
    return string.format("%04d-%02d-%02d", y, m, d)
  end
end

--- Date and title from a URL: iso ("2016-01-25", "2016-01") and title.
function M.from_url(url)
  local y, m, d = url:match("/(%d%d%d%d)/(%d%d?)/(%d%d?)/")
  local iso
  if y then iso = string.format("%s-%02d-%02d", y, tonumber(m), tonumber(d))
  else
    -- (or a query's date-stamped id: "view.php?ud=20241213050074")
    local stamped = url:match("[?&]%a+=(%d%d%d%d%d%d%d%d)%d*$")
    iso = url_day(url:gsub("[?#].*$", "") .. "/") or stamped and url_day("/" .. stamped .. "/")
    y, m = url:match("/(%d%d%d%d)/(%d%d?)/")
    if not iso and y and tonumber(m) <= 12 then iso = string.format("%s-%02d", y, tonumber(m)) end
  end
  local path = url:gsub("[?#].*$", ""):gsub("/+$", "")
  local slug = path:match("/([^/]+)$")
  local title
  if slug and slug:find("-", 1, true) and not slug:match("^%d+$") then title = M.slug_title(slug) end
  return iso, title
end


-- A weekday as datelines write it before the date: "Mon", "Tues", "Thurs",
-- "Monday".
local WEEKDAYS = { mon = true, tue = true, tues = true, wed = true, thu = true, thur = true,
  thurs = true, fri = true, sat = true, sun = true, monday = true, tuesday = true,
  wednesday = true, thursday = true, friday = true, saturday = true, sunday = true }

--- A dateline such as "Mon, 06 Feb 2017 23:58 UTC", "February 6, 2017",
-- "Thursday 3rd November 2016" or "2017-02-06" at the start of s: iso
-- date or nil.
function M.parse_dateline(s)
  -- each form has a 4-digit year: most lines have none, and one scan
  -- for it is cheaper than the anchored patterns below
  if not s:find("%d%d%d%d") then return nil end
  local wd, rest = s:match("^(%a+)%.?,?%s+(.*)$")
  if wd and WEEKDAYS[wd:lower()] then s = rest end
  local d, mon, y = s:match("^(%d%d?)%a*%s+(%a+)%.?,?%s+(%d%d%d%d)")
  if not d then
    mon, d, y = s:match("^(%a+)%.?%s+(%d%d?)%a*,?%s+(%d%d%d%d)")
  end
  if d then
    local m = month_of(mon)
    if m and tonumber(d) >= 1 and tonumber(d) <= 31 then return string.format("%s-%02d-%02d", y, m, tonumber(d)) end
  end
  local iy, im, id = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)")
  if iy then return iy .. "-" .. im .. "-" .. id end
  -- the forms lector.read reads in a news file's header ("Posted on May
  -- 19, 2017 in Health", "ScienceMag.org | By ... | May 6, 2021",
  -- "20.11.2012 u 12:39")
  local full = read.parse_date(s)
  return full and full:sub(1, 10)
end

local byte, find, sub = string.byte, string.find, string.sub

-- The first and last byte that are no space (\t \n \v \f \r or space)
-- of text[a..e - 1], or nil when there is none or the line is 200 bytes
-- or more (a paragraph, never a dateline, a URL or a byline).
local function trimmed(text, a, e)
  if e - a >= 200 then return nil end
  local f = a
  local c = byte(text, f)
  while f < e and (c == 32 or (c >= 9 and c <= 13)) do
    f = f + 1
    c = byte(text, f)
  end
  if f >= e then return nil end
  local z = e - 1
  c = byte(text, z)
  while c == 32 or (c >= 9 and c <= 13) do
    z = z - 1
    c = byte(text, z)
  end
  return f, z
end

-- Whether text[f..z] holds four digits in a row (parse_dateline's first
-- test, made on the bytes).
local function has_year(text, f, z)
  local run = 0
  for p = f, z do
    local c = byte(text, p)
    if c >= 48 and c <= 57 then
      run = run + 1
      if run == 4 then return true end
    else
      run = 0
    end
  end
  return false
end

-- published (when out has none), url_date and title_from_url from url
-- (nil or a string that may not be a URL) into out.
local function from_url(url, out)
  if url and url:match("^https?://") then
    local iso, title = M.from_url(url)
    if iso and not out.published then out.published, out.published_from = iso, "url" end
    out.url_date = iso
    out.title_from_url = title
  end
end

-- out.byline and out.source from the end of text.
local function from_end(text, out)
  -- byline and source lines among the last 16 lines (of the last 1500
  -- bytes, a line that starts before them left out), walked back from the
  -- end: only a short line starting with B or S is cut out and matched
  local lo = math.max(1, #text - 1500)
  local e = #text + 1 -- the line is text[s + 1 .. e - 1]
  if byte(text, #text) == 10 then e = #text end
  for _ = 1, 16 do
    local s = e - 1
    while s >= lo and byte(text, s) ~= 10 do s = s - 1 end
    if s < lo then break end
    local f = e - s <= 200 and find(text, "%S", s + 1)
    local b = f and f < e and byte(text, f)
    if b == 66 or b == 98 or b == 83 or b == 115 then -- B, b, S, s
      local z = e - 1
      local c = byte(text, z)
      while c == 32 or (c >= 9 and c <= 13) do z = z - 1; c = byte(text, z) end
      local l = text:sub(f, z)
      if b == 66 or b == 98 then
        local by = l:match("^[Bb][Yy]:?%s+(%u[%w%.'%-]*%s*[%u%w%.'%- ]*)$")
        if by and #by < 60 and not out.byline then out.byline = by end
      else
        local src = l:match("^[Ss]ource:%s*(.+)$")
        if src and #src < 80 and not out.source then out.source = src end
      end
    end
    e = s
  end
end

-- published, published_from, url (and, with bylines, byline) from the
-- first 8 lines of ctx's text or its URL, into out. Each line is tested
-- on its bytes first (four digits in a row, "http", "By") and cut out
-- only for the pattern it may match: the dates extractor asks this of
-- nearly every document.
local function from_head(ctx, out, bylines)
  local text = ctx.text
  local pos, len = 1, #text
  for _ = 1, 8 do
    if pos > len then break end
    local e = find(text, "\n", pos, true) or len + 1
    local f, z = trimmed(text, pos, e)
    if f then
      if not out.published and z - f < 59 and has_year(text, f, z) then
        local iso = M.parse_dateline(sub(text, f, z))
        if iso then out.published, out.published_from = iso, "dateline" end
      end
      local b1 = byte(text, f)
      if not out.url and (b1 == 104 and sub(text, f, f + 3) == "http" or (b1 == 85 or b1 == 117)
         and sub(text, f + 1, f + 3):lower() == "rl:") then
        -- (a bare URL line, or "URL: https://...")
        local l = sub(text, f, z)
        out.url = l:match("^https?://%S+$") or l:match("^[Uu][Rr][Ll]:%s*(https?://%S+)$")
      end
      if bylines and (b1 == 66 or b1 == 98) then
        local by = sub(text, f, z):match("^[Bb][Yy]:?%s+(%u[%w%.'%-]*%s*[%u%w%.'%- ]*)$")
        if by and #by < 60 and not out.byline then out.byline = by end
      end
    end
    pos = e + 1
  end
  from_url(out.url or (ctx.doc and ctx.doc.uri), out)
  return out
end

--- metadata(ctx) -> table: published (iso, from a dateline in the first
-- lines or a URL), published_from ("dateline" | "url"), byline, source,
-- url (the first URL line near the top), title_from_url.
function M.metadata(ctx)
  local out = from_head(ctx, {}, true)
  from_end(ctx.text, out) -- the last 15 lines
  return out
end

--- published(ctx) -> iso or nil, "dateline" | "url": metadata(ctx)'s
-- published and published_from without the rest (the dates extractor
-- asks this of every document without a published date).
function M.published(ctx)
  local out = from_head(ctx, {}, false)
  return out.published, out.published_from
end

--- fill(d, header) -> d: the fields of document d (as lector.pipeline.prepare
-- makes it: uri, text, meta, title, author, outlet, published) that the
-- header left empty, from what M.metadata finds in the text: published from
-- a dateline or the URL (meta.url, else the uri), author from a byline,
-- outlet from a `Source:` line, title from the URL's slug in title case,
-- also in place of a title header (lector.read.news_meta) took from the
-- slug itself. Where each came from goes to meta.<field>_from ("dateline",
-- "url", "byline", "source"). header false: d as it is (--raw).
function M.fill(d, header)
  if not header or type(d.meta) ~= "table" then return d end
  if d.published and d.author and d.outlet and d.title and header.title_from ~= "url" then return d end
  local meta = d.meta
  -- the first lines are the header's (lector.read.news_meta read them):
  -- only the end of the text and the URL are new
  local found = {}
  if not d.author or not d.outlet then from_end(d.text, found) end
  local url = meta.url or d.uri
  if not d.published or not d.title or header.title_from == "url" then
    from_url(type(url) == "string" and url or nil, found)
  end
  if not d.published and found.published then
    d.published, meta.published_from = found.published, found.published_from
  end
  if not d.author and found.byline then d.author, meta.author_from = found.byline, "byline" end
  if not d.outlet and found.source then d.outlet, meta.outlet_from = found.source, "source" end
  local slug = found.title_from_url
  if slug and (not d.title or (header.title_from == "url" and d.title == header.title)) then
    d.title, meta.title_from = slug, "url"
  end
  return d
end

return M
