-- lector.extract.dates: absolute and relative dates (layer `date`),
-- relative ones resolved against the publication date (the document's
-- `published`, else opts.published, else a dateline or URL date found by
-- lector.extract.metadata). Lexicons: dates, date_phrases, quantity_objects.
local util = require "lector.extract.util"
local lexicon = require "lector.extract.lexicon"
local band, bor = require("bit").band, require("bit").bor
local FCAP, FHY, FSB, FLE = util.FCAP, util.FHY, util.FSB, util.FLE
local metadata = require "lector.extract.metadata"
-- (ctx:add without the lookup through the context class's __index function)
local ctx_add = require("lector.context").Context.add

local tonumber, format, os_time, os_date, byte = tonumber, string.format, os.time, os.date, string.byte
local find, match = string.find, string.match

-- Words before a year of the 18th or 19th century that make it one ("in
-- 1879", "since 1850"; "1850 soldiers" alone is a count).
local YEAR_PREP = { ["in"] = true, since = true, ["until"] = true, by = true, from = true, around = true,
  about = true, circa = true, c = true, before = true, after = true }

-- Words after a date that make it a place's name ("6th of October City").
local PLACE_AFTER = { city = true, bridge = true, street = true, square = true, stadium = true, road = true,
  avenue = true, university = true, hospital = true, airport = true }

-- Zones and words after a 24-hour clock time ("by 2000 GMT", "at 1400
-- hours"): the number before them is a time, not a year.
local CLOCK_ZONE = { gmt = true, utc = true, hours = true, hrs = true, ["local"] = true, est = true,
  edt = true, cet = true, cest = true, bst = true, z = true }

local M = {}

M.layer = "date"

-- The last call's user directory (opts.lexicons), the lexicon module's
-- cache (a new one when its directory changes) and the indexes for them:
-- handed back without the three index lookups and a table a document.
local last_dir, last_cache, last_L

local function lex(opts)
  if last_L and opts.lexicons == last_dir and lexicon.cache == last_cache then return last_L end
  last_dir, last_cache = opts.lexicons, lexicon.cache
  last_L = {
    dates = util.lex_index("dates", "word", opts),
    phrases = util.lex_index("date_phrases", "phrase", opts),
    objects = util.lex_index("quantity_objects", "noun", opts),
  }
  return last_L
end

-- Day arithmetic on {y, m, d} at noon (local time: only the date is read).
local function stamp(y, m, d) return os_time({ year = y, month = m, day = d, hour = 12 }) end
local function ymd(t)
  local x = os_date("*t", t)
  return x.year, x.month, x.day, x.wday
end
local function iso_day(t) return os_date("%Y-%m-%d", t) end

-- Words before a month named alone ("in December").
local MONTH_PREP = { ["in"] = true, of = true, since = true, ["until"] = true, till = true,
  by = true, early = true, late = true, mid = true, during = true, from = true,
  before = true, after = true, through = true, throughout = true, last = true, next = true,
  this = true, ["end"] = false, on = true, ["and"] = true, to = true }

local WORDNUM = { a = 1, an = 1, one = 1, two = 2, three = 3, four = 4, five = 5, six = 6,
  seven = 7, eight = 8, nine = 9, ten = 10, eleven = 11, twelve = 12 }
local UNIT_OF = { day = "day", days = "day", week = "week", weeks = "week", month = "month",
  months = "month", year = "year", years = "year" }

-- The word two tokens after a count of units: "3 days ago" counts back
-- from publication; "two days later", "a year earlier" from the date the
-- text named last (see after_previous).
local AGO = { ago = true, later = true, earlier = true }
local COMPARED = { from = true, than = true, with = true, over = true, on = true }

-- mid-November, early-March, late-January: the part of the month
local EDGE_PART = { mid = "mid", early = "early", late = "late" }

-- The days a plural unit spans, for "the past 48 hours", "the last three years".
local SPAN_DAYS = { hours = 1 / 24, days = 1, weeks = 7, months = 30, years = 365 }
-- Words before "the past ..." that belong to the phrase.
local SPAN_PREP = { over = true, ["in"] = true, during = true, within = true, ["for"] = true }

-- Whether token i is the number of "the past 48 hours", "the last three
-- years" (a number, then a plural unit, after past or last).
local function span_at(norm, i)
  local p = norm[i - 1]
  return (p == "past" or p == "last") and SPAN_DAYS[norm[i + 1]] ~= nil
end

-- "earlier this week", "late last year"
local EDGE = { earlier = true, later = true, early = true, late = true }

-- Words for a part of a stretch of time before "of" ("the end of the
-- month"), and the part each names.
local EDGE_OF = { ["end"] = "end", beginning = "early", start = "early", middle = "mid" }

local MODS = { last = -1, past = -1, previous = -1, this = 0, current = 0, next = 1,
  coming = 1 }

local function kind_at(L, ti, i)
  if i < 1 or i > ti.n then return nil end
  local e, l = util.match(ti, L.dates, i)
  if not e then return nil end
  return e.row.kind, tonumber(e.row.value) or e.row.value, l
end

-- A day of the month (1-31, "3rd") at token i: one or two digits, then
-- nothing or [snrt][tdh]. Read byte by byte: every number token asks,
-- and the memo of string.match's answers this replaced ran a pattern
-- (which ends a LuaJIT trace) at each number not seen before.
local function day_num(ti, i)
  if ti.kind[i] ~= "number" then return nil end
  local s = ti.norm[i]
  local n = #s
  local b1, b2 = byte(s, 1, 2)
  if not b1 or b1 < 48 or b1 > 57 then return nil end
  local d, p = b1 - 48, 2
  if b2 and b2 >= 48 and b2 <= 57 then d, p = d * 10 + b2 - 48, 3 end
  if p <= n then
    if n ~= p + 1 then return nil end
    local x, y = byte(s, p, p + 1)
    if not (x == 115 or x == 110 or x == 114 or x == 116) or not (y == 116 or y == 100 or y == 104) then
      return nil
    end
  end
  if d < 1 or d > 31 then return nil end
  return d
end

-- A 4-digit year from 1800 to 2100 at token i (byte by byte, as day_num).
local function year_num(ti, i)
  if i > ti.n or ti.kind[i] ~= "number" then return nil end
  local s = ti.norm[i]
  if #s ~= 4 then return nil end
  local a, b, c, d = byte(s, 1, 4)
  if a < 48 or a > 57 or b < 48 or b > 57 or c < 48 or c > 57 or d < 48 or d > 57 then return nil end
  local y = (a - 48) * 1000 + (b - 48) * 100 + (c - 48) * 10 + (d - 48)
  if y < 1800 or y > 2100 then return nil end
  return y
end

-- A decade at token i ("1990s", "2010s"): its first year, or nil.
local function decade_num(ti, i)
  if i > ti.n or ti.kind[i] ~= "number" then return nil end
  local s = ti.norm[i]
  if #s ~= 5 or byte(s, 5) ~= 115 or byte(s, 4) ~= 48 then return nil end
  local y = tonumber(s:sub(1, 4))
  if not y or y < 1800 or y > 2090 then return nil end
  return y
end

-- Whether the number at token i is written as an ordinal ("25th").
local function ordinal(ti, i)
  local b = byte(ti.norm[i], -1)
  return b == 104 or b == 116 or b == 100 -- th, st, nd, rd
end

-- The end of a range of days after the day at token j ("6-7", "6 to 8",
-- "between 3 and 5"): the last day and its token, or nil.
local function day_range(ti, j, between)
  local norm = ti.norm
  local sep = norm[j + 1]
  local tight = sep == "-" and band(ti.fl[j + 1], FSB) == 0 and band(ti.fl[j + 2] or 0, FSB) == 0
  if not (tight or sep == "to" or (between and sep == "and")) then return nil end
  local d2 = day_num(ti, j + 2)
  if d2 then return d2, j + 2 end
end

-- A month word that is a month here: capitalised ("may" the verb is not),
-- "May" only with a day or year next to it.
local function month_at(L, ti, i)
  local k, v, l = kind_at(L, ti, i)
  if k ~= "month" or band(ti.fl[i], FCAP) == 0 then return nil end
  return v, l
end

-- Words that put what a clause says ahead of the time of writing.
local FUTURE = { will = true, ["'ll"] = true, shall = true, upcoming = true, plans = true, would = true,
  aims = true, intends = true, wo = true } -- (wo: "won't")
-- ... and these after "is", "are" or "be": "is due to", "are scheduled
-- for" ("the expected offensive" is none)
local FUTURE_AFTER_BE = { due = true, scheduled = true, planned = true, expected = true, set = true,
  slated = true, going = true }
local BE_NOW = { is = true, are = true, be = true, ["'s"] = true, ["'re"] = true }
-- Before a date with no year that comes after publication, words that
-- make it the coming one ("until April 29").
local UNTIL = { ["until"] = true, till = true, through = true, by = true }

-- Words of a past clause: a future word before them is another clause's.
local PAST = { was = true, were = true, had = true, did = true, said = true, told = true, been = true }

-- The tense of the clause before token a, by its nearest future or past
-- word up to 10 tokens back, not past a sentence's or clause's end:
-- "future" ("Talks will resume on Tuesday", "a round is planned for early
-- April"), "past" ("was held from March 2 until April 20") or nil.
local function tense_before(ti, a)
  local norm, kind = ti.norm, ti.kind
  for q = a - 1, math.max(1, a - 10), -1 do
    local s = norm[q]
    -- ("could be announced as soon as Thursday")
    if FUTURE[s] or (FUTURE_AFTER_BE[s] and BE_NOW[norm[q - 1]])
       or s == "soon" and norm[q - 1] == "as" and norm[q + 1] == "as" then return "future" end
    if PAST[s] then return "past" end
    if kind[q] == "punct" and s ~= "-" and s ~= "," then return nil end
  end
  return nil
end

local function emit(ctx, out, ti, a, b, attrs, anchor)
  local st, sp = ti.st, ti.sp
  if util.boiler(ctx, st[a], sp[b]) then return end
  -- "6th of October City", "the 6th of October Bridge": a place's name
  if PLACE_AFTER[ti.norm[b + 1]] and band(ti.fl[b + 1], FCAP) ~= 0 and ti.kind[b + 1] == "word" then return end
  attrs.relative = attrs.relative or false
  if attrs.relative and attrs.iso then attrs.anchor = anchor end
  out[#out + 1] = ctx_add(ctx, "date", { start = st[a], stop = sp[b], label = attrs.granularity,
    attrs = attrs })
end

-- "the next day", "two weeks later", "a year earlier": cnt units on from
-- the date the text named last (a narrative's own clock, not the
-- publication's, as temporal taggers read narratives): the iso and the
-- iso counted from; nil when the last date named is less precise than
-- the unit ("in 2015 ... the next day") or there is none.
-- The year, month and day an iso names, as precise as it is (a week or a
-- range of days gives its month: "2017-W08" is in February).
local function iso_parts(iso)
  local y, m, d = iso:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if y then return tonumber(y), tonumber(m), tonumber(d) end
  y, m = iso:match("^(%d%d%d%d)%-(%d%d)")
  if y then return tonumber(y), tonumber(m) end
  local wy, w = iso:match("^(%d%d%d%d)%-W(%d%d)$")
  if wy then
    -- ISO week 1 holds January 4th; its Thursday is the week's middle
    local jan4 = stamp(tonumber(wy), 1, 4)
    local _, _, _, wday = ymd(jan4)
    local t = jan4 + ((tonumber(w) - 1) * 7 + 3 - (wday + 5) % 7) * 86400
    y, m = ymd(t)
    return y, m
  end
  return tonumber(iso:match("^(%d%d%d%d)"))
end

local function after_previous(out, unit, cnt)
  for k = #out, 1, -1 do
    local iso = out[k].attrs.iso
    if iso then
      local y, m, d = iso_parts(iso)
      if not y or (unit == "day" or unit == "week") and not d or unit == "month" and not m then return nil end
      if unit == "day" then return iso_day(stamp(y, m, d) + cnt * 86400), iso end
      if unit == "week" then return os_date("%G-W%V", stamp(y, m, d) + cnt * 7 * 86400), iso end
      if unit == "month" then
        local mm = m + cnt
        while mm < 1 do y, mm = y - 1, mm + 12 end
        while mm > 12 do y, mm = y + 1, mm - 12 end
        return format("%04d-%02d", y, mm), iso
      end
      return format("%04d", y + cnt), iso
    end
  end
  return nil
end

-- A time after a date: 23:58 [UTC]: its last token and text.
local function time_after(ti, j)
  local kind, norm = ti.kind, ti.norm
  if kind[j] == "number" and norm[j + 1] == ":" and kind[j + 2] == "number" then
    local last = j + 2
    if norm[last + 1] == "utc" or norm[last + 1] == "gmt" then last = last + 1 end
    return last, ti.text:sub(ti.st[j], ti.sp[j + 2])
  end
end

-- Every first word a date can begin with (the lexicons' and the modifier,
-- edge and number words), one lookup a token for the scan; made once for
-- the lexicons in use (util caches their indexes).
local starts_cache = setmetatable({}, { __mode = "k" })

-- A start word that is no modifier or edge word starts a date only where
-- the dates or phrases lexicon matches there, or (a number word) where
-- "ago" is two tokens on: `full` marks the words that always do, `ago`
-- the number words; the others are checked against the lexicons.
-- Whether phrase index entry list l (util.index) matches with its first
-- word alone or with a `*` next.
local function alone(l) return l and (l.one or l.wild) end

local function starts_of(L)
  local c = starts_cache[L.dates]
  if c and c.phrases == L.phrases then return c end
  local set, full, ago = {}, {}, {}
  for _, t in ipairs { L.dates, L.phrases, MODS, EDGE, EDGE_OF, WORDNUM } do
    for w in pairs(t) do set[w] = true end
  end
  for _, t in ipairs { MODS, EDGE, EDGE_OF } do
    for w in pairs(t) do full[w] = true end
  end
  for w in pairs(set) do
    if WORDNUM[w] or tonumber(w) then ago[w] = true end
  end
  -- The scan's bit tests (util.scan_bit), made to skip most start words
  -- without a lookup: `now` marks the words checked wherever they are
  -- (lexicon words that match alone or with a `*` next, but units),
  -- `cond` the others, checked only where "ago" is two tokens on or the
  -- next word has the `second` bit: a phrase's second word ("the", "a",
  -- "in"), any dates word after a modifier ("this week"), "this" after
  -- an edge word ("earlier this year"). A unit word alone ("year") starts
  -- no date: the chain below reads units only after a modifier. "the",
  -- "a" and "in" were 600k of the 750k start words in 35 MB of text, and
  -- few of them start a date; "this" 43k.
  local now, cond, second = {}, {}, {}
  for w in pairs(set) do
    local l1, l2 = L.dates[w], L.phrases[w]
    local unit = l1 and l1.one and l1.one.row.kind == "unit" and not l1.wild
    if alone(l2) or alone(l1) and not unit then now[w] = true else cond[w] = true end
    for _, l in ipairs { l1 or {}, l2 or {} } do
      for w2 in pairs(l.by2 or {}) do second[w2] = true end
    end
    if MODS[w] then
      for w2 in pairs(L.dates) do second[w2] = true end
    end
    if EDGE[w] then
      for w2 in pairs(MODS) do second[w2] = true end -- "earlier this year", "early next week"
    end
    if EDGE_OF[w] then second["of"] = true end -- "the end of the month"
  end
  -- "the past three years": a number word (a `cond` word) before a
  -- plural unit
  for w2 in pairs(SPAN_DAYS) do second[w2] = true end
  c = { phrases = L.phrases, set = set, full = full, ago = ago,
    nb = util.scan_bit(now), cb = util.scan_bit(cond), pb = util.scan_bit(second),
    agob = util.scan_bit(AGO) }
  c.nxt = bor(c.pb, c.agob)
  starts_cache[L.dates] = c
  return c
end

-- Whether the dates lexicon's entry at token i can start a date there:
-- not a month in lower case ("may be", "march on": month_at wants the
-- capital, and the chain reads a month word no other way), 4k of the
-- chain's visits in 35 MB that found nothing.
local function dates_word(ti, idx, i)
  local e = util.match(ti, idx, i)
  return e ~= nil and (e.row.kind ~= "month" or band(ti.fl[i], FCAP) ~= 0)
end

-- Whether a date may start at token i (n at most): the chain in dates()
-- finds nothing at the others. (At i = n nothing comes after: a word
-- that starts a date only before a second one starts none there.)
local function may_start(ti, i, n, L, S)
  local norm = ti.norm
  if ti.kind[i] == "number" then
    -- a number starts a date only as a year, a day before a month
    -- word, 11/03/..., "3 days ago" or a lexicon word
    local nk = norm[i]
    if S.set[nk] or year_num(ti, i) or norm[i + 1] == "/" or AGO[norm[i + 2]] then return true end
    if norm[i + 1] == "-" and norm[i + 3] == "-" and year_num(ti, i + 4) then return true end -- 30-09-2022
    if #nk >= 8 and #nk <= 10 and find(nk, "^%d%d?%.%d%d?%.%d%d%d%d$") then return true end -- 03.11.2016
    if span_at(norm, i) then return true end -- the past 48 hours
    local dates_idx = L.dates
    if day_num(ti, i) and dates_idx[norm[norm[i + 1] == "of" and i + 2 or i + 1]] then return true end
    if decade_num(ti, i) then return true end -- the 1990s
    -- 6-7 February; on the 25th
    if (norm[i + 1] == "-" or norm[i + 1] == "to" or norm[i + 1] == "and" and norm[i - 1] == "between")
       and day_num(ti, i) and day_num(ti, i + 2) and dates_idx[norm[i + 3]] then
      return true
    end
    return norm[i - 1] == "the" and norm[i - 2] == "on" and day_num(ti, i) and ordinal(ti, i) or false
  end
  local mask, nid = util.mask_of, ti.nid
  local m = mask[nid[i]]
  if band(m, S.nb) ~= 0
     or band(m, S.cb) ~= 0 and i < n and (band(mask[nid[i + 1]], S.pb) ~= 0 or AGO[norm[i + 2]]) then
    local nk = norm[i]
    local dates_idx, phrases_idx = L.dates, L.phrases
    return S.set[nk] and (S.full[nk] or (S.ago[nk] and (AGO[norm[i + 2]] or span_at(norm, i)))
      or (dates_idx[nk] and dates_word(ti, dates_idx, i))
      or (phrases_idx[nk] and util.match(ti, phrases_idx, i) ~= nil)) or false
  end
  return false
end

-- The first token from i that may start a date, n + 1 when none. Most
-- tokens start none: the C scan (util.scan) skips the tokens that are no
-- number and have neither bit, then may_start() bit tests (and a lookup
-- or two) the others. A loop of its own, compiled apart from the date
-- chain in dates(). (The last token too: where every document's scan
-- ended, the chain ran at it, 7k visits in 35 MB that found nothing.)
local function next_start(ti, i, n, L, S)
  local scan, KNUM, nb, cb, nxt = util.scan, util.KIND.number, S.nb, S.cb, S.nxt
  i = scan(ti, i, n - 1, KNUM, nb, cb, nxt)
  while i < n do
    if may_start(ti, i, n, L, S) then return i end
    i = scan(ti, i + 1, n - 1, KNUM, nb, cb, nxt)
  end
  if i == n and not may_start(ti, i, n, L, S) then return n + 1 end
  return i
end

-- The publication date of ctx (the document's, else opts.published, else
-- one lector.extract.metadata finds in the first lines or the URL): year,
-- month, day, its stamp at noon, and where it came from; nils when none.
-- Asked only when a date needs it: most documents need none, and the
-- metadata lookup cost a sixth of the extractor.
local function pub_date(ctx, opts)
  local pub, anchor = ctx.published or opts.published, "published"
  if not pub then
    pub, anchor = metadata.published(ctx)
  end
  local py, pm, pd
  if type(pub) == "string" then
    py, pm, pd = pub:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)")
    -- (a month only, as a URL's /2014/05/ gives it: the year and month
    -- still place "Dec. 31" and "May last year"; no day, so no weekday)
    if not py then py, pm = pub:match("^(%d%d%d%d)%-(%d%d)$") end
    py, pm, pd = tonumber(py), tonumber(pm), tonumber(pd)
  end
  return py, pm, pd, pd and stamp(py, pm, pd), anchor
end

--- dates(ctx_or_text [, opts]): opts.published (ISO date) when the
-- document has none; opts.locale "us" reads 11/03/2016 as month/day,
-- anything else as day/month (unambiguous ones are read either way).
function M.dates(c, opts)
  opts = util.check_opts(opts, "dates")
  local ctx = util.ctx(c, opts, "dates")
  local L = lex(opts)
  local ti = util.info(ctx)
  local norm, kind, n = ti.norm, ti.kind, ti.n
  -- the publication date (py, pm, pd, its stamp pt, anchor) is looked
  -- for when a date needs it: pub_date(), before each use below
  local py, pm, pd, pt, anchor
  local pubd = false
  local locale = opts.locale or (ctx.doc and ctx.doc.locale)
  local us = type(locale) == "string" and (locale:lower() == "us" or locale:lower():match("%-us$"))
  local out = {}
  local i = 1
  local S = starts_of(L)
  while i <= n do
    i = next_start(ti, i, n, L, S)
    if i > n then break end
    local k, v, l = kind_at(L, ti, i)
    local done = false
    local a = i
    -- weekday, optional comma, then an absolute date
    local wd
    if k == "weekday" and (band(ti.fl[i], FCAP) ~= 0) then
      wd = v
      a = i
      i = l + 1
      if norm[i] == "," then i = i + 1 end
    end
    local y, m, d, last, part
    -- ISO 2016-11-03 / 2016-11
    local y0 = year_num(ti, i)
    if y0 and norm[i + 1] == "-" and (band(ti.fl[i + 1], FHY) ~= 0) and kind[i + 2] == "number"
       and band(ti.fl[i + 1], FSB) == 0 and band(ti.fl[i + 2], FSB) == 0 then
      local mm = tonumber(norm[i + 2])
      if mm and mm >= 1 and mm <= 12 and #norm[i + 2] == 2 then
        y, m, last = y0, mm, i + 2
        if norm[i + 3] == "-" and band(ti.fl[i + 3], FSB) == 0 and kind[i + 4] == "number" then
          local dd = tonumber(norm[i + 4])
          if dd and dd >= 1 and dd <= 31 then d, last = dd, i + 4 end
        end
      end
    end
    -- 03.11.2016: day first, as everywhere dots are written
    if not y and kind[i] == "number" then
      local dd, mm, yy = match(norm[i], "^(%d%d?)%.(%d%d?)%.(%d%d%d%d)$")
      dd, mm = tonumber(dd), tonumber(mm)
      if dd and mm >= 1 and mm <= 12 and dd >= 1 and dd <= 31 then y, m, d, last = tonumber(yy), mm, dd, i end
    end
    -- 2016/11/03: year first, never ambiguous
    if not y and year_num(ti, i) and norm[i + 1] == "/" and kind[i + 2] == "number" and norm[i + 3] == "/"
       and kind[i + 4] == "number" and band(ti.fl[i + 1], FSB) == 0 then
      local mm, dd = tonumber(norm[i + 2]), tonumber(norm[i + 4])
      if mm and dd and mm >= 1 and mm <= 12 and dd >= 1 and dd <= 31 then
        y, m, d, last = year_num(ti, i), mm, dd, i + 4
      end
    end
    -- 11/03/2016, and with dashes and a year of four digits 30-09-2022
    -- (as Indian and Pakistani sites write; not 1-866-555-0199)
    local sep = norm[i + 1]
    if not y and kind[i] == "number" and (sep == "/" or sep == "-" and year_num(ti, i + 4))
       and kind[i + 2] == "number" and norm[i + 3] == sep and kind[i + 4] == "number"
       and band(ti.fl[i + 1], FSB) == 0 and band(ti.fl[i + 3], FSB) == 0 and band(ti.fl[i + 4], FSB) == 0
       and (sep == "/" or norm[i - 1] ~= "-" and norm[i + 5] ~= "-") then
      local p1, p2 = tonumber(norm[i]), tonumber(norm[i + 2])
      local yy = tonumber(norm[i + 4])
      if p1 and p2 and yy and (#norm[i + 4] == 4 or #norm[i + 4] == 2) then
        if yy < 100 then yy = yy + 2000 end
        last = i + 4
        local mm, dd
        if p1 > 12 and p2 <= 12 then dd, mm = p1, p2
        elseif p2 > 12 and p1 <= 12 then mm, dd = p1, p2
        elseif p1 <= 12 and p2 <= 12 then
          if us then mm, dd = p1, p2 elseif locale then dd, mm = p1, p2 end
        end
        if mm and dd <= 31 then y, m, d = yy, mm, dd
        else
          emit(ctx, out, ti, a, last, { granularity = "day", ambiguous = true }, anchor)
          i, done = last + 1, true
        end
      end
    end
    local d_end -- the last day of a range of days
    if not done and not y then
      local dd = day_num(ti, i)
      local mi = dd and (norm[i + 1] == "of" and i + 2 or i + 1)
      local mv, ml = nil, nil
      if mi then mv, ml = month_at(L, ti, mi) end
      if dd and not mv then
        -- 6-7 February
        local de, dl = day_range(ti, i, norm[i - 1] == "between")
        if de and de > dd then
          mv, ml = month_at(L, ti, dl + 1)
          if mv then d_end = de end
        end
      end
      if mv then
        -- 3rd November 2016, 06 Feb 2017, 2 Feb.
        d, m, last = dd, mv, ml
        local yy = year_num(ti, ml + 1)
        if not yy and norm[ml + 1] == "," then yy = year_num(ti, ml + 2); if yy then last = ml + 2 end
        elseif yy then last = ml + 1 end
        y = yy
      else
        if i == a then
          -- (the kind at a is known: no second lookup)
          if k == "month" and band(ti.fl[i], FCAP) ~= 0 then mv, ml = v, l end
        else
          mv, ml = month_at(L, ti, i)
        end
        if mv then
          m, last = mv, ml
          local j = ml + 1
          local d2 = day_num(ti, j)
          if d2 and norm[j + 1] ~= ":" then
            d, last = d2, j
            -- Feb. 6-7, February 6 to 8, between January 3 and 5
            local de, dl = day_range(ti, j, norm[a - 1] == "between")
            if de and de > d2 then d_end, last, j = de, dl, dl end
            local q = j + 1
            if norm[q] == "," then q = q + 1 end
            local yy = year_num(ti, q)
            if yy then y, last = yy, q end
          else
            if norm[j] == "," then j = j + 1 end
            local yy = year_num(ti, j)
            if yy then y, last = yy, j
            elseif (norm[j] == "this" or norm[j] == "last" or norm[j] == "next") and norm[j + 1] == "year" then
              last = j + 1
              if not pubd then py, pm, pd, pt, anchor = pub_date(ctx, opts); pubd = true end
              if py then y = py + (norm[j] == "last" and -1 or norm[j] == "next" and 1 or 0) else m = m and -m end
            elseif norm[i - 1] == "-" and EDGE_PART[norm[i - 2]] then
              -- mid-November, early-March: the month with its part
              a, part = i - 2, EDGE_PART[norm[i - 2]]
            elseif i > 1 and EDGE_PART[norm[i - 1]] then
              a, part = i - 1, EDGE_PART[norm[i - 1]] -- early April, late March
            elseif norm[i] == "may" and not (MONTH_PREP[norm[i - 1]]
                                             and (ti.kind[i + 1] == "punct" and norm[i + 1] ~= "-"
                                                  or norm[i - 1] ~= "and" and norm[i - 1] ~= "to"))
                   or not MONTH_PREP[norm[i - 1]] then
              -- a month alone needs "in", "since" ...: "March on!", "May" the
              -- verb (but "passed the House in May.", "since May": May the
              -- month; not "you and May went")
              m = nil
            end
          end
        end
      end
    end
    if not done and m and m < 0 then
      -- "January this year" without a publication date
      emit(ctx, out, ti, a, last, { granularity = "month", year_from = "published" }, anchor)
      i, done = last + 1, true
    end
    if not done and m then
      local attrs = { part = part }
      local tl, tm = time_after(ti, last + 1)
      if tl then last, attrs.time = tl, tm end
      if y and d and d_end then
        attrs.iso = format("%04d-%02d-%02d/%04d-%02d-%02d", y, m, d, y, m, d_end)
        attrs.granularity = "range"
      elseif y and d then
        attrs.iso, attrs.granularity = format("%04d-%02d-%02d", y, m, d), "day"
      elseif y then
        attrs.iso, attrs.granularity = format("%04d-%02d", y, m), "month"
      else
        -- no year: the nearest such date on or before publication
        attrs.granularity = d and "day" or "month"
        attrs.year_from = "published"
        if not pubd then py, pm, pd, pt, anchor = pub_date(ctx, opts); pubd = true end
        if py then
          local yy = py
          local tense = tense_before(ti, a)
          if tense == "future" then
            -- "talks are due to resume on March 15": the next such date
            if m < pm or (m == pm and d and pd and d < pd) then yy = py + 1 end
            attrs.future = true
          elseif UNTIL[norm[a - 1]] and (m > pm or m == pm and d and pd and d > pd) and m - pm <= 1
                 and tense ~= "past" then
            -- "the polls are held over eight days until April 29" (April 2):
            -- the coming one, not last year's, within a month or so and
            -- with no past tense before
            attrs.future = true
          elseif m > pm or (m == pm and d and pd and d > pd + 7) then
            yy = py - 1
          end
          attrs.iso = d and format("%04d-%02d-%02d", yy, m, d) or format("%04d-%02d", yy, m)
          if d_end then attrs.iso = attrs.iso .. format("/%04d-%02d-%02d", yy, m, d_end) end
          attrs.anchor = anchor
        end
        if d_end then attrs.granularity = "range" end
      end
      if wd then attrs.weekday = wd end
      emit(ctx, out, ti, a, last, attrs, anchor)
      i, done = last + 1, true
    end
    if not done and wd then
      -- a weekday alone: the latest such day on or before publication
      local attrs = { granularity = "day", relative = true }
      if not pubd then py, pm, pd, pt, anchor = pub_date(ctx, opts); pubd = true end
      if pt then
        local _, _, _, wday = ymd(pt)
        local pw = (wday + 5) % 7 + 1 -- Monday = 1
        if tense_before(ti, a) == "future" then
          -- (the publication's own weekday is that day: "Microsoft plans
          -- on Wednesday to announce", written on the Wednesday)
          attrs.iso, attrs.future = iso_day(pt + ((wd - pw) % 7) * 86400), true
        else
          attrs.iso = iso_day(pt - ((pw - wd) % 7) * 86400)
        end
      end
      local b = a
      while b + 1 < i and norm[b + 1] ~= "," do b = b + 1 end
      emit(ctx, out, ti, a, b, attrs, anchor)
      done = true
    elseif not done then
      i = a
    end
    if not done then
      -- relative phrases
      local e, el = util.match(ti, L.phrases, i)
      if e and e.row.anchor == "previous" then
        -- "the next day", "the following week": from the date named last
        local attrs = { relative = true, granularity = e.row.unit or "day" }
        attrs.iso, attrs.counted_from = after_previous(out, attrs.granularity, tonumber(e.row.from) or 0)
        emit(ctx, out, ti, i, el, attrs, "previous date")
        i, done = el + 1, true
      elseif e then
        local from, to = tonumber(e.row.from), tonumber(e.row.to)
        -- ("last night", "the day before yesterday": one day)
        local attrs = { relative = true, granularity = from and from == to and "day" or "range" }
        if not pubd then py, pm, pd, pt, anchor = pub_date(ctx, opts); pubd = true end
        if pt then
          if from and from == to then
            attrs.iso = iso_day(pt + from * 86400)
          elseif from then
            attrs.iso = iso_day(pt + from * 86400) .. "/" .. iso_day(pt + to * 86400)
          else
            local _, _, _, wday = ymd(pt)
            local pw = (wday + 5) % 7 + 1
            -- ("rain will continue through the weekend": the coming one)
            local coming = e.row.from == "weekend+" or tense_before(ti, i) == "future"
            local sat = coming and (6 - pw) % 7 or -((pw - 6) % 7)
            -- ("this weekend" written on its Sunday: the one ending)
            if e.row.from == "weekend+" and pw == 7 then sat = -1 end
            attrs.iso = iso_day(pt + sat * 86400) .. "/" .. iso_day(pt + (sat + 1) * 86400)
            attrs.granularity = "weekend"
          end
        end
        emit(ctx, out, ti, i, el, attrs, anchor)
        i, done = el + 1, true
      end
    end
    if not done and i + 2 <= n and (norm[i + 2] == "later" or norm[i + 2] == "earlier") then
      -- two days later, a year earlier: from the date named last
      local cnt = tonumber(norm[i]) or WORDNUM[norm[i]]
      local unit = UNIT_OF[norm[i + 1]]
      -- (not a comparison with a period: "up 5% from a year earlier", "a
      -- week earlier than planned")
      if cnt and unit and cnt == math.floor(cnt) and cnt < 1000 and not COMPARED[norm[i - 1]]
         and norm[i + 3] ~= "than" then
        local attrs = { relative = true, granularity = unit }
        attrs.iso, attrs.counted_from = after_previous(out, unit, norm[i + 2] == "later" and cnt or -cnt)
        emit(ctx, out, ti, i, i + 2, attrs, "previous date")
        i, done = i + 3, true
      end
    end
    if not done and norm[i + 2] == "ago" and i + 2 <= n then
      -- two weeks ago, 3 days ago, a year ago
      local cnt = tonumber(norm[i]) or WORDNUM[norm[i]]
      local unit = UNIT_OF[norm[i + 1]]
      if cnt and unit then
        local attrs = { relative = true, granularity = unit }
        if not pubd then py, pm, pd, pt, anchor = pub_date(ctx, opts); pubd = true end
        if pt or py and (unit == "month" or unit == "year") then
          if unit == "day" then attrs.iso = iso_day(pt - cnt * 86400)
          elseif unit == "week" then attrs.iso = os_date("%G-W%V", pt - cnt * 7 * 86400)
          elseif unit == "month" then
            local yy, mm = py, pm - cnt
            while mm < 1 do yy, mm = yy - 1, mm + 12 end
            attrs.iso = format("%04d-%02d", yy, mm)
          else attrs.iso = format("%04d", py - cnt) end
        end
        emit(ctx, out, ti, i, i + 2, attrs, anchor)
        i, done = i + 3, true
      end
    end
    if not done and span_at(norm, i) then
      -- the past 48 hours, over the last three years: up to publication
      -- (read at the number, where the scan stops)
      local cnt = tonumber(norm[i]) or WORDNUM[norm[i]]
      local days = SPAN_DAYS[norm[i + 1]]
      if cnt and cnt > 1 then
        local first = i - 1
        if norm[first - 1] == "the" then
          first = first - 1
          if SPAN_PREP[norm[first - 1]] then first = first - 1 end
        end
        local attrs = { relative = true, granularity = "range" }
        if not pubd then py, pm, pd, pt, anchor = pub_date(ctx, opts); pubd = true end
        if pt then attrs.iso = iso_day(pt - math.ceil(cnt * days) * 86400) .. "/" .. iso_day(pt) end
        emit(ctx, out, ti, first, i + 1, attrs, anchor)
        i, done = i + 2, true
      end
    end
    -- (from here on, when not done, i is a again and k, v, l its kind)
    -- "USA Today", "Gaza Today": a capitalised day word right after a
    -- capitalised word names something (a paper, a programme)
    if not done and k == "day" and i > 1 and band(ti.fl[i], FCAP) ~= 0 and band(ti.fl[i - 1], FCAP) ~= 0
       and kind[i - 1] == "word" and band(ti.fl[i - 1], FLE) == 0 then
      i, done = l + 1, true
    end
    if not done and k == "day" then
      local attrs = { relative = true, granularity = "day" }
      if not pubd then py, pm, pd, pt, anchor = pub_date(ctx, opts); pubd = true end
      if pt then attrs.iso = iso_day(pt + v * 86400) end
      emit(ctx, out, ti, i, l, attrs, anchor)
      i, done = l + 1, true
    end
    if not done then
      -- last week, this month, earlier this year, last summer, next Friday
      local mi = i
      local early
      if EDGE[norm[i]] and MODS[norm[i + 1]] then
        early, mi = norm[i], i + 1 -- earlier this year, early next week, late last year
      elseif EDGE_OF[norm[i]] and norm[i + 1] == "of" then
        early, mi = EDGE_OF[norm[i]], i + 2 -- the end of last year, the start of this month
      end
      local mod = MODS[norm[mi]]
      -- "the end of the month": of this month
      if not mod and early and EDGE_OF[norm[i]] and norm[mi] == "the" and mi < n
         and kind_at(L, ti, mi + 1) == "unit" then
        mod = 0
      end
      if mod and mi < n then
        local ku, vu, lu = kind_at(L, ti, mi + 1)
        if norm[mi] == "past" and ku ~= "unit" then ku = nil end
        -- (not "this September 22, 2018 photo": a day after the month)
        if ku == "unit" or ku == "season" or ku == "weekday"
           or (ku == "month" and band(ti.fl[mi + 1], FCAP) ~= 0 and kind[lu + 1] ~= "number") then
          local attrs = { relative = true }
          if early then attrs.part = early end
          if not pubd then py, pm, pd, pt, anchor = pub_date(ctx, opts); pubd = true end
          if ku == "unit" then
            attrs.granularity = vu
            -- (a publication known to its month places "this year" too)
            if pt or py and (vu == "month" or vu == "year") then
              if vu == "week" then
                attrs.iso = os_date("%G-W%V", pt + mod * 7 * 86400)
              elseif vu == "month" then
                local yy, mm = py, pm + mod
                if mm < 1 then yy, mm = yy - 1, 12 elseif mm > 12 then yy, mm = yy + 1, 1 end
                attrs.iso = format("%04d-%02d", yy, mm)
              elseif vu == "year" then
                attrs.iso = format("%04d", py + mod)
              elseif vu == "weekend" then
                local _, _, _, wday = ymd(pt)
                local pw = (wday + 5) % 7 + 1
                local sat = mod >= 0 and (6 - pw) % 7 + mod * 7 or -((pw - 6) % 7) - (pw == 6 and 7 or 0)
                -- ("this weekend" written on its Sunday: the one ending)
                if mod == 0 and pw == 7 then sat = -1 end
                attrs.iso = iso_day(pt + sat * 86400) .. "/" .. iso_day(pt + (sat + 1) * 86400)
              end
            end
          elseif ku == "season" then
            attrs.granularity, attrs.season = "season", norm[mi + 1]
            if py then
              local yy = py + mod
              -- "last summer" in spring means the previous calendar year's
              if mod == -1 and vu > pm then yy = py - 1 elseif mod == -1 then yy = py end
              if mod == -1 and vu <= pm and pm - vu < 3 then yy = py - 1 end
              local m2 = vu + 2
              local y2 = yy
              if m2 > 12 then m2, y2 = m2 - 12, yy + 1 end
              attrs.iso = format("%04d-%02d/%04d-%02d", yy, vu, y2, m2)
            end
          elseif ku == "weekday" then
            attrs.granularity = "day"
            if pt then
              local _, _, _, wday = ymd(pt)
              local pw = (wday + 5) % 7 + 1
              local delta
              if mod < 0 then delta = -((pw - vu - 1) % 7 + 1)
              elseif mod > 0 then delta = (vu - pw - 1) % 7 + 1
              else delta = vu - pw end
              attrs.iso = iso_day(pt + delta * 86400)
            end
          else
            attrs.granularity = "month"
            if py then attrs.iso = format("%04d-%02d", py + (mod < 0 and vu >= pm and -1 or 0), vu) end
          end
          emit(ctx, out, ti, i, lu, attrs, anchor)
          i, done = lu + 1, true
        end
      end
    end
    if not done then
      -- the summer, early summer: the latest such season up to publication
      local ks, vs = k, v
      local pre = norm[i - 1]
      if ks == "season" and band(ti.fl[i], FCAP) == 0 and (pre == "the" or pre == "early" or pre == "late"
         or pre == "mid" or pre == "this") and norm[i] ~= "fall" and norm[i] ~= "spring" then
        local a2 = (pre == "the") and i or i - 1
        local attrs = { relative = true, granularity = "season", season = norm[i] }
        if pre ~= "the" then attrs.part = pre end
        if not pubd then py, pm, pd, pt, anchor = pub_date(ctx, opts); pubd = true end
        if py then
          local yy = vs <= pm and py or py - 1
          local m2, y2 = vs + 2, yy
          if m2 > 12 then m2, y2 = m2 - 12, yy + 1 end
          attrs.iso = format("%04d-%02d/%04d-%02d", yy, vs, y2, m2)
        end
        emit(ctx, out, ti, a2, i, attrs, anchor)
        done = true
        i = i + 1
      end
    end
    if not done and kind[i] == "number" and norm[i - 1] == "the" and norm[i - 2] == "on"
       and ordinal(ti, i) and (kind[i + 1] == "punct" or i == n) then
      -- "on the 25th": that day of the publication's month (or the one
      -- before, when the day is still to come)
      local dd = day_num(ti, i)
      if dd then
        local attrs = { granularity = "day", relative = true }
        if not pubd then py, pm, pd, pt, anchor = pub_date(ctx, opts); pubd = true end
        if pd then
          local yy, mm = py, pm
          if dd > pd then
            mm = mm - 1
            if mm < 1 then yy, mm = yy - 1, 12 end
          end
          attrs.iso = format("%04d-%02d-%02d", yy, mm, dd)
        end
        emit(ctx, out, ti, i - 1, i, attrs, anchor)
        i, done = i + 1, true
      end
    end
    if not done then
      -- a year alone: 2012, in 1945 (not "2000 fighters"); mid-2016,
      -- early 2017; a decade: the 1990s
      local yy = year_num(ti, i)
      local dy = decade_num(ti, i)
      -- the 1990's ("'s" after a number is two tokens, "'" and "s")
      local clitic = norm[i + 1] == "'s" and i + 1 or norm[i + 1] == "'" and norm[i + 2] == "s" and i + 2
      if yy and yy % 10 == 0 and clitic and band(ti.fl[i + 1], FSB) == 0 then dy, yy = yy, nil end
      -- 2006-2007, 2006-07, the 2017/2018 season: the years from one to
      -- the other; "between 2016 and 2017", "from 2002 to 2007" too
      local joined = (norm[i + 1] == "-" or norm[i + 1] == "/") and band(ti.fl[i + 1], FSB) == 0
        and band(ti.fl[i + 2], FSB) == 0
      local spelled = yy and (norm[i + 1] == "and" and norm[i - 1] == "between"
        or norm[i + 1] == "to" and norm[i - 1] == "from")
      local y2 = yy and (joined or spelled) and kind[i + 2] == "number" and (year_num(ti, i + 2)
          or joined and #norm[i + 2] == 2 and tonumber(norm[i + 2]) and yy - yy % 100 + tonumber(norm[i + 2]))
      if y2 and y2 > yy and y2 - yy <= 30 and yy >= 1900 and not util.match(ti, L.objects, i + 3)
         and norm[i + 3] ~= "-" and norm[i + 3] ~= "/" then
        local a2 = spelled and i - 1 or i
        emit(ctx, out, ti, a2, i + 2, { iso = format("%04d/%04d", yy, y2), granularity = "range" }, anchor)
        i = i + 2
      elseif yy and not util.match(ti, L.objects, i + 1) and norm[i - 1] ~= "$"
         and not (norm[i + 1] == "-" and band(ti.fl[i + 1], FSB) == 0)
         and (yy >= 1900 or yy >= 1700 and YEAR_PREP[norm[i - 1]])
         and not CLOCK_ZONE[norm[i + 1]] then
        local attrs, a2 = { iso = format("%04d", yy), granularity = "year" }, i
        if norm[i - 1] == "-" and band(ti.fl[i - 1], FSB) == 0 and EDGE_PART[norm[i - 2]] then
          attrs.part, a2 = EDGE_PART[norm[i - 2]], i - 2
        elseif EDGE_PART[norm[i - 1]] then
          attrs.part, a2 = EDGE_PART[norm[i - 1]], i - 1
        end
        emit(ctx, out, ti, a2, i, attrs, anchor)
      elseif dy then
        local b2 = clitic or i
        emit(ctx, out, ti, i, b2, { iso = format("%04d/%04d", dy, dy + 9), granularity = "decade" }, anchor)
      end
      i = i + 1
    end
  end
  return out
end

-- Not compiled: the date chain (next_start's scan is). Compiled, the
-- trace through dates() grew side traces off the scan's exits that
-- LuaJIT failed to compile ("register coalescing too complex") 270-470
-- times in one `tag` of the job bench's 12,045 documents, retried every
-- hotexit exits; interpreted, none, in the same CPU time (39k visits of
-- the chain, 30k dates; tests/bench/RESULTS.md, xq7).
jit.off(M.dates)
return M
