-- lector.read: readers that turn files, directories and JSON-lines into
-- documents, and the metadata news files carry in their first lines.
--
--   for doc in lector.read.documents{"news/", "more.jsonl"} do
--     if doc.error then print(doc.where, doc.error) else ... end
--   end
--   local m = lector.read.news_meta(text) -- title, author, outlet, published, url, spans
local check = require "lector.check"
local fs = require "lector.fs"
local json = require "lector.json"

local M = {}

---------------------------------------------------------------------------
-- files and directories

local function is_jsonl(path)
  return path:match("%.jsonl$") or path:match("%.ndjson$")
end

local function clean_path(p)
  p = p:gsub("/+", "/")
  while p:sub(1, 2) == "./" and #p > 2 do p = p:sub(3) end
  if #p > 1 then p = p:gsub("/$", "") end
  return p
end

--- The input files under paths (files, and directories walked
-- recursively in name order, hidden entries skipped), as an array of
-- {path=, size=, jsonl=, dev=, ino=}, with {path=, error=} for inputs
-- that cannot be read. "-" is standard input, read as JSON lines;
-- opts.jsonl reads every file as JSON lines (otherwise *.jsonl and
-- *.ndjson are). opts.follow_symlinks follows links that leave a
-- directory named, and opts.special reads FIFOs and devices named
-- (lector.fs.files).
function M.inputs(paths, opts)
  if type(paths) == "string" then paths = { paths } end
  if type(paths) ~= "table" then check.argerr(1, "inputs", "table of paths", paths) end
  opts = opts or {}
  local list = { resolved = true }
  for i = 1, #paths do
    local p = paths[i]
    if type(p) ~= "string" then check.argerr(1, "inputs", "table of strings", p) end
    if p == "-" then
      list[#list + 1] = { path = "-", size = 0, jsonl = true }
    else
      local function problem(path, msg)
        list[#list + 1] = { path = path, error = (msg:gsub("^" .. path:gsub("%p", "%%%0") .. ": ", "")) }
      end
      local walk = { follow_symlinks = opts.follow_symlinks, special = opts.special }
      for path, st in fs.files({ clean_path(p) }, problem, walk) do
        list[#list + 1] = { path = path, size = st.size or 0, dev = st.dev, ino = st.ino,
                            jsonl = opts.jsonl or is_jsonl(path) and true or false }
      end
    end
  end
  return list
end

local function read_all(path)
  local f, err = fs.open(path, "rb")
  if not f then return nil, err end
  local s, rerr = f:read("*a")
  f:close()
  if not s then return nil, rerr or "read failed" end
  return s
end

-- The lines of an open file, without their "\n". LuaJIT's f:lines() reads
-- with fgets + strlen, so a line holding a NUL byte swallowed the next
-- line (its record was lost and later line numbers were off); this reads
-- 64 KiB blocks and splits them itself.
local function safe_lines(f)
  local buf, pos, eof = "", 1, false
  return function()
    local parts -- pieces of a line longer than what buf holds
    while true do
      local nl = buf:find("\n", pos, true)
      if nl then
        local line = buf:sub(pos, nl - 1)
        pos = nl + 1
        if parts then
          parts[#parts + 1] = line
          return table.concat(parts)
        end
        return line
      end
      if pos <= #buf then
        parts = parts or {}
        parts[#parts + 1] = buf:sub(pos)
      end
      local chunk = not eof and f:read(65536)
      buf, pos = chunk or "", 1
      if not chunk then
        eof = true
        return parts and table.concat(parts) or nil
      end
    end
  end
end

-- A share of a JSON-lines input (-j N workers read theirs, lector.shares):
-- the bytes [from, to) of the open file f, or of the string s,
-- as an object with the read and close that safe_lines uses.
local function string_file(s)
  local done = false
  return {
    read = function()
      if done then return nil end
      done = true
      return s
    end,
    close = function() end,
  }
end

local function part_of(f, from, to)
  local ok, err = f:seek("set", from)
  local s = ok and f:read(to - from) or ""
  f:close()
  if not ok then return nil, err end
  return string_file(s)
end

local doc_fields = { "title", "author", "outlet", "published" }

-- A document from one JSON-lines record (or an error item).
local function jsonl_doc(line, path, n)
  local where = path .. ":" .. n
  local obj, err = json.decode(line)
  if obj == nil then return { where = where, path = path, line = n, error = err } end
  if type(obj) ~= "table" then
    return { where = where, path = path, line = n, error = "a JSON object expected" }
  end
  local text = obj.text
  if type(text) ~= "string" then
    return { where = where, path = path, line = n, error = "no \"text\" string field" }
  end
  local function bad(msg) return { where = where, path = path, line = n, error = msg } end
  -- What the store cannot hold is this line's problem, said here with
  -- FILE:LINE, not an error that stops the whole ingest later.
  for k, v in pairs(obj) do
    local at, num = json.unencodable(v, tostring(k))
    if at then
      return bad("field \"" .. at .. "\": " .. tostring(num) ..
                 " is not a number JSON can hold (NaN or out of range)")
    end
  end
  local uri = obj.uri or obj.url or obj.id
  if type(uri) == "number" then
    if uri ~= math.floor(uri) or math.abs(uri) >= 2 ^ 63 then
      return bad("\"uri\" must be a string or an integer, got " .. tostring(uri))
    end
    uri = string.format("%d", uri)
  end
  if type(uri) ~= "string" or uri == "" then uri = where end
  if uri:find("%z") then return bad("\"uri\" holds a NUL byte") end

  local d = { uri = uri, text = text, where = where, path = path, line = n, fields = {} }
  for _, k in ipairs(doc_fields) do
    if type(obj[k]) == "string" then d.fields[k] = obj[k] end
  end
  -- What lector wrote beside a document (its annotations, the run that
  -- made them, its id in the store it came from) is not metadata.
  local ours = obj.annotations ~= nil or obj.run ~= nil
  if ours then d.annotations, d.run, d.id = obj.annotations, obj.run, obj.id end
  local meta = {}
  for k, v in pairs(obj) do
    if k ~= "text" and k ~= "uri" and not d.fields[k] and k ~= "meta"
        and not (ours and (k == "annotations" or k == "run" or k == "id")) then
      meta[k] = v
    end
  end
  if type(obj.meta) == "table" then for k, v in pairs(obj.meta) do meta[k] = v end end
  d.meta = meta
  return d
end

--- Iterates the documents under paths: each item is {uri=, text=,
-- path=, where=, fields={title=...}, meta={}} (fields and meta from
-- JSON-lines records), or {where=, path=, error=} for an input or a line
-- that cannot be read. Files are read whole; JSON lines one at a time.
-- opts.jsonl reads every file as JSON lines. An input of a resolved list
-- may be a share of a JSON-lines file: bytes from to to (0-based, end
-- excluded), or the lines in data, whose first line is line number line.
function M.documents(paths, opts)
  local list = type(paths) == "table" and paths.resolved and paths or M.inputs(paths, opts)
  return coroutine.wrap(function()
    for _, inp in ipairs(list) do
      if inp.error then
        coroutine.yield { where = inp.path, path = inp.path, error = inp.error }
      elseif inp.jsonl then
        local f, err
        if inp.data then
          f = string_file(inp.data)
        elseif inp.path == "-" then
          f = io.stdin
        else
          f, err = io.open(inp.path, "rb")
          if f and inp.from then f, err = part_of(f, inp.from, inp.to) end
        end
        if not f then
          coroutine.yield { where = inp.path, path = inp.path, error = err }
        else
          local n = (inp.line or 1) - 1
          for line in safe_lines(f) do
            n = n + 1
            -- A UTF-8 byte order mark is not JSON: drop it from the first line.
            if n == 1 and line:sub(1, 3) == "\239\187\191" then line = line:sub(4) end
            if line:find("%S") then coroutine.yield(jsonl_doc(line, inp.path, n)) end
          end
          if f ~= io.stdin then f:close() end
        end
      else
        local text, err = read_all(inp.path)
        if not text then
          coroutine.yield { where = inp.path, path = inp.path, error = err }
        else
          coroutine.yield { uri = inp.path, text = text, where = inp.path, path = inp.path,
                            size = #text, fields = {}, meta = {} }
        end
      end
    end
  end)
end

---------------------------------------------------------------------------
-- news metadata

local months = { jan = 1, feb = 2, mar = 3, apr = 4, may = 5, jun = 6, jul = 7, aug = 8,
                 sep = 9, oct = 10, nov = 11, dec = 12 }

-- A month's name as datelines write it: its first three letters, "Sept",
-- or the whole name ("Mayor", "Febr" and "Monument" are no months).
local MONTH_NAMES = { january = 1, february = 2, march = 3, april = 4, may = 5, june = 6, july = 7,
  august = 8, september = 9, october = 10, november = 11, december = 12, sept = 9 }
local function month_of(name)
  local w = name:lower()
  return #w == 3 and months[w] or MONTH_NAMES[w]
end
M.month_number = month_of

-- Zone abbreviations datelines use, as offsets (IST is India's, as the
-- news sites that write it mean; CST, shared by China and the US, is
-- left out).
local ZONES = { CET = "+01:00", CEST = "+02:00", BST = "+01:00", IST = "+05:30", EST = "-05:00",
  EDT = "-04:00", PST = "-08:00", PDT = "-07:00", MSK = "+03:00", JST = "+09:00", KST = "+09:00",
  AEST = "+10:00", AEDT = "+11:00", WIB = "+07:00", EAT = "+03:00", WAT = "+01:00", SAST = "+02:00",
  PKT = "+05:00", EET = "+02:00", EEST = "+03:00" }

local function zone(z)
  if z == nil or z == "" then return "" end
  local u = z:upper()
  if u == "UTC" or u == "GMT" or u == "Z" then return "Z" end
  if ZONES[u] then return ZONES[u] end
  local sign, hh, mm = z:match("^([+-])(%d%d):?(%d%d)$")
  if sign then return sign .. hh .. ":" .. mm end
  return nil
end

local function iso(y, mo, d, hh, mi, ss, z)
  y, mo, d = tonumber(y), mo, tonumber(d)
  if not (y and mo and d) or d < 1 or d > 31 or y < 1000 then return nil end
  local s = string.format("%04d-%02d-%02d", y, mo, d)
  if hh and hh ~= "" then
    hh, mi = tonumber(hh), tonumber(mi)
    if hh > 23 or mi > 59 then return nil end
    s = s .. string.format("T%02d:%02d", hh, mi)
    if ss and ss ~= "" then s = s .. string.format(":%02d", tonumber(ss)) else s = s .. ":00" end
    local zz = zone(z)
    if zz == nil then return nil end
    s = s .. zz
  end
  return s
end

--- The ISO 8601 form of a dateline ("Mon, 06 Feb 2017 23:58 UTC" ->
-- "2017-02-06T23:58:00Z", "February 6, 2017" -> "2017-02-06"), or nil
-- when line is not a date on its own.
function M.parse_date(line)
  if type(line) ~= "string" then check.argerr(1, "parse_date", "string", line) end
  local s = line:gsub("^%s+", ""):gsub("%s+$", "")
  -- A labelled date says it is one whatever follows it on the line
  -- ("Posted on May 19, 2017 in Health", "date 2023-12-19 At least ...").
  local label = s:match("^[Pp]ublished:?%s") or s:match("^[Uu]pdated:?%s") or s:match("^[Pp]osted:?%s")
    or s:match("^[Dd]ate:?%s")
  if not label and #s <= 120 and s:find(" | ", 1, true) then
    -- "ScienceMag.org | By Martin Enserink | May 6, 2021": one of the
    -- parts a rule sets off
    for part in (s .. " | "):gmatch("(.-) | ") do
      local d = M.parse_date(part)
      if d then return d end
    end
    return nil
  end
  if not label and #s > 60 then return nil end
  if label then s = s:sub(#label + 1):gsub("^%s*[Oo]n%s+", ""):gsub("^%s+", "") end
  s = s:gsub("^%a+day%s*,?%s*", ""):gsub("^%a%a%a,%s*", "") -- weekday ("Friday ,15 January 2016" too)
  -- Ordinal days: "3rd November 2016", "November 3rd, 2016".
  s = s:gsub("^(%d%d?)[snrt][tdh]%f[%s,]", "%1"):gsub("^(%a+%.?%s+%d%d?)[snrt][tdh]%f[%s,]", "%1")
  local d, mon, y, rest = s:match("^(%d%d?)%s+(%a+)%.?,?%s+(%d%d%d%d)(.*)$")
  if not d then
    mon, d, y, rest = s:match("^(%a+)%.?%s+(%d%d?),?%s+(%d%d%d%d)(.*)$")
  end
  if d then
    local mo = month_of(mon)
    if not mo then return nil end
    rest = rest:gsub("^,?%s*", ""):gsub("^at%s+", "")
    if rest == "" then return iso(y, mo, d) end
    local hh, mi, ss, z = rest:match("^(%d%d?):(%d%d):?(%d?%d?)%s*([%a+%-:%d]*)$")
    if hh then return iso(y, mo, d, hh, mi, ss, z) end
    -- "October 6, 2015 / 2:26 PM / 2 years ago", a label's line: the day
    if label or rest:find("^[/|%-\226]") or rest:find("^%d+ min read$") then return iso(y, mo, d) end
    return nil
  end
  local y2, mo2, d2, t = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)(.*)$")
  if y2 then
    if t == "" then return iso(y2, tonumber(mo2), d2) end
    local hh, mi, ss, z = t:match("^[T ](%d%d):(%d%d):?(%d?%d?)%s*([%a+%-:%d]*)$")
    if hh then return iso(y2, tonumber(mo2), d2, hh, mi, ss, z) end
    if label and t:find("^%s") then return iso(y2, tonumber(mo2), d2) end
    return nil
  end
  -- "20.11.2012", "20.11.2012 u 12:39": the day first, in dots; with
  -- dashes only when the first number can only be a day ("27-11-2020
  -- 14:13 IST", not "06-05-2020")
  local d3, sep, mo3, y3, t3 = s:match("^(%d%d?)([%.%-])(%d%d?)[%.%-](%d%d%d%d)(.*)$")
  if d3 and tonumber(mo3) >= 1 and tonumber(mo3) <= 12 and (sep == "." or tonumber(d3) > 12)
     and (t3 == "" or t3:find("^%s") and #t3 <= 16) then
    return iso(y3, tonumber(mo3), d3)
  end
  return nil
end

--- The ISO 8601 form of a date as metadata gives it, as precise as it
-- is: "Mon, 06 Feb 2017 23:58 UTC" -> "2017-02-06T23:58:00Z", "3 November
-- 2016" -> "2016-11-03", "2016/01/25" -> "2016-01-25", "April 2017" and
-- "2017-04" -> "2017-04", "2017" -> "2017", "2017-02-06T23:58:00.000+0000"
-- -> "2017-02-06T23:58:00+00:00"; nil when s is not a date.
function M.normalize_date(s)
  if type(s) ~= "string" then check.argerr(1, "normalize_date", "string", s) end
  s = s:gsub("^%s+", ""):gsub("%s+$", "")
  if s == "" or #s > 80 then return nil end
  local full = M.parse_date(s)
  if full then return full end
  -- ISO date-times with fractional seconds or a zone without a colon.
  local y, mo, d, hh, mi, ss, z =
    s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)[T ](%d%d):(%d%d):?(%d?%d?)%.?%d*%s*([%a+%-:%d]*)$")
  if y then return iso(y, tonumber(mo), d, hh, mi, ss, z) end
  y, mo, d = s:match("^(%d%d%d%d)[/.](%d%d?)[/.](%d%d?)$")
  if y and tonumber(mo) >= 1 and tonumber(mo) <= 12 then return iso(y, tonumber(mo), d) end
  y, mo = s:match("^(%d%d%d%d)%-(%d%d)$")
  if not y then y, mo = s:match("^(%d%d%d%d)/(%d%d?)$") end
  if y then
    mo = tonumber(mo)
    if mo >= 1 and mo <= 12 then return string.format("%s-%02d", y, mo) end
    return nil
  end
  local mon, y2 = s:match("^(%a+)%.?,?%s+(%d%d%d%d)$")
  if mon and month_of(mon) and #mon >= 3 then return string.format("%s-%02d", y2, month_of(mon)) end
  if s:match("^%d%d%d%d$") and tonumber(s) >= 1000 then return s end
  return nil
end

-- Whether s has at least k letters (ASCII, or bytes that start a UTF-8
-- character): counted only as far as k.
local function has_letters(s, k)
  local at = 0
  for _ = 1, k do
    at = s:find("[%a\192-\255]", at + 1)
    if not at then return false end
  end
  return true
end

-- "Alexander Mercouris": two to four capitalised words, no digits.
local function looks_like_name(s)
  if s:find("[%d%p]") and not s:find("^[%a%s%.'%-\128-\255]+$") then return false end
  local n = 0
  for w in s:gmatch("%S+") do
    n = n + 1
    if not w:find("^[%u\192-\255]") then return false end
  end
  return n >= 2 and n <= 4
end

-- lector.extract.boilerplate, loaded when a title is looked for (read
-- must not load the extractors at its own load).
local function boilerplate() return require "lector.extract.boilerplate" end

--- Pulls what a news file's first lines carry: the title (the first line
-- with words), a source URL line, a `By Author` line, author and outlet
-- lines before a dateline, and the dateline as ISO 8601 (published).
-- Returns a table with those fields (absent when not found) and spans:
-- {start=, stop=, label=} for each line used, 1-based inclusive bytes.
function M.news_meta(text)
  if type(text) ~= "string" then check.argerr(1, "news_meta", "string", text) end
  local lines = {}
  local pos, limit = 1, math.min(#text, 4000)
  while pos <= limit and #lines < 10 do
    local e = text:find("\n", pos, true) or (#text + 1)
    local a, z = text:find("%S", pos) or e, e - 1
    -- %s by bytes (space, \t \n \v \f \r): a pattern per byte left
    -- the compiled loop each time
    local c = text:byte(z)
    while z >= a and (c == 32 or (c >= 9 and c <= 13)) do
      z = z - 1
      c = text:byte(z)
    end
    if z >= a then
      -- A line longer than a headline is body text that no test below
      -- takes (a URL's aside): its text is not copied out (l.s nil), a
      -- tenth of ingest's time on news-sized documents (RESULTS.md).
      local body = z - a >= 250 and not text:find("^https?://", a)
      lines[#lines + 1] = { a = a, z = z, s = not body and text:sub(a, z) or nil }
    end
    pos = e + 1
  end
  local m = { spans = {} }
  local function take(l, label, value)
    m[label] = value or l.s
    m.spans[#m.spans + 1] = { start = l.a, stop = l.z, label = label }
    l.used = true
  end
  local title_i, date_i
  local nav = 0
  for i, l in ipairs(lines) do
    local s = l.s
    -- Cheap tests first: most lines are long body text.
    local date = not m.published and s and #s <= 120 and s:find("%d") and M.parse_date(s)
    -- ("date 2023-12-19 At least 111 people ...": a label glued to the body)
    -- (only the label and the date are the header's)
    local glued
    if not date and not m.published and text:find("^[Dd]ate:?%s+%d%d%d%d%-%d%d%-%d%d%s", l.a) then
      local _, z = text:find("^[Dd]ate:?%s+%d%d%d%d%-%d%d%-%d%d", l.a)
      date = M.parse_date(text:sub(l.a, z))
      glued = date and { a = l.a, z = z }
    end
    -- ("URL: https://...", "Source: https://...": the address of the page)
    local url = s and not m.url and (s:match("^https?://[^%s]+$") or s:match("^[Uu][Rr][Ll]:%s*(https?://[^%s]+)$")
      or s:match("^[Ss]ource:%s*(https?://[^%s]+)$"))
    if glued then
      take(glued, "published", date)
      date_i = i
    elseif not s then -- luacheck: ignore 542 (body text: nothing to take)
    elseif url then
      take(l, "url", url)
    elseif date then
      take(l, "published", date)
      date_i = i
    elseif not m.author and #s < 80 and s:match("^[Bb][Yy]%s+%S") then
      local who = s:gsub("^[Bb][Yy]%s+", ""):gsub("%s*[|,].*$", "")
      take(l, "author", who)
    elseif not title_i and i - nav <= 6 and #s <= 250 and has_letters(s, 3)
        and not (#s > 100 and s:find("%.$")) -- a first paragraph, not a headline
        and not (s:upper() == s and s:find("NEWSLETTER")) then
      -- (a scraped page's navigation is no title: "Skip to main content",
      -- "Menu"; nor does it count among the first lines)
      if #s < 60 and boilerplate().line_debris(s) then
        nav = nav + 1
      else
        title_i = i
        take(l, "title")
      end
    end
    if date_i then break end
  end
  -- Short unused lines between the title and a dateline: author, outlet.
  if title_i and date_i then
    for i = title_i + 1, date_i - 1 do
      local l = lines[i]
      if not l.used and l.s and #l.s <= 60 and not l.s:find("[%.!?]$") then
        if not m.author and looks_like_name(l.s) then
          take(l, "author")
        elseif not m.outlet then
          take(l, "outlet")
        end
      end
    end
  end
  -- No headline line: the slug of the source URL often is one.
  if m.url and not m.title then
    local slug = m.url:gsub("[?#].*$", ""):gsub("/$", ""):match("/([^/]+)$")
    slug = slug and slug:gsub("%.%w+$", "")
    if slug and slug:find("%-") and has_letters(slug, 10) then
      -- in title case, as a headline is written
      m.title = require("lector.extract.metadata").slug_title(slug) or slug
      m.title_from = "url"
    end
  end
  if m.url and not m.outlet then
    local host = m.url:match("^https?://([^/:?#]+)")
    if host then m.outlet = host:gsub("^www%.", ""):lower() end
  end
  table.sort(m.spans, function(x, y) return x.start < y.start end)
  return m
end

return M
