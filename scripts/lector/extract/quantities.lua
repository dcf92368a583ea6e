-- lector.extract.quantities: counts of people and things, with the value
-- parsed (layer `quantity`). See lector.extract for the span attrs.
--
-- Lexicons: numbers, quantity_qualifiers, quantity_objects,
-- quantity_events, units, dates (months and weekdays: a number next to
-- one is a date, not a count).
local util = require "lector.extract.util"
local lexicon = require "lector.extract.lexicon"
local links = require "lector.extract.quantity_links"
local STATE_ADJ, PEOPLE_EVENT, CASE_EVENT = links.STATE_ADJ, links.PEOPLE_EVENT, links.CASE_EVENT
local joined_by_and = links.joined_by_and
local band, bor = require("bit").band, require("bit").bor
local FCAP, FHY, FLE, FSB, FUPPER = util.FCAP, util.FHY, util.FLE, util.FSB, util.FUPPER
local FNONASCII = util.FNONASCII

local tonumber, floor, byte, sub, find = tonumber, math.floor, string.byte, string.sub, string.find
local tnew = require "table.new"
-- (ctx:add without the lookup through the context class's __index function)
local ctx_add = require("lector.context").Context.add

local M = {}

M.layer = "quantity"

-- Words before a small spelled-out number that make it a reference ("the
-- two sides", "the last three"), not a count.
local DETERMINERS = {
  the = true, these = true, those = true, its = true, their = true, his = true,
  her = true, our = true, my = true, your = true, last = true, first = true,
  next = true, other = true, ["'s"] = true, every = true, each = true, only = false,
}

-- "children under 15", "men over 60": a bound on an age, not a count.
local AGE_BOUND = { under = true, over = true, below = true, above = true }
local AGE_OF = { children = true, boys = true, girls = true, men = true, women = true, kids = true,
  minors = true, people = true, those = true, adults = true, anyone = true, males = true, females = true }

-- Words before a number that make it a name or an identifier.
local IDENT = {
  ["no."] = true, number = true, page = true, resolution = true, article = true, magnitude = true,
  route = true, highway = true, flight = true, chapter = true, section = true,
  paragraph = true, version = true, model = true, ["#"] = true, room = true,
  unit = true, brigade = true, division = true, battalion = true, regiment = true,
  corps = true, district = true, phase = true, stage = true, aged = true, age = true,
  ["ages"] = true, item = true, point = true, part = true, vol = true, ["vol."] = true,
  ["p."] = true, ["pp."] = true, tel = true, ["tel."] = true, code = true, zone = true,
  sector = true, gate = true, street = true, road = true, ["road."] = true, level = true,
  region = true, regions = true, ward = true, wards = true, precinct = true,
}

-- Words that may start a count besides numbers and qualifiers.
local START = { a = true, an = true, between = true, half = true, quarter = true, third = true }

-- Words that end a counted noun phrase.
local NP_STOP = {
  ["and"] = true, ["or"] = true, ["in"] = true, on = true, at = true, from = true,
  to = true, of = true, with = true, ["for"] = true, by = true, were = true, was = true,
  have = true, has = true, had = true, are = true, is = true, who = true, which = true,
  that = true, the = true, a = true, an = true, as = true, into = true, near = true,
  during = true, after = true, before = true, since = true, than = true, but = true,
  will = true, would = true, could = true, may = true, might = true, can = true,
  be = true, been = true, being = true, across = true, against = true, over = true,
  under = true, between = true, around = true, this = true, it = true, they = true,
  he = true, she = true, we = true, there = true, when = true, where = true,
  ["while"] = true, ["if"] = true, so = true, ["not"] = true, also = true, each = true,
  now = true, still = true, already = true, ["then"] = true, more = true, less = true,
  most = true, only = true, just = true, about = true, up = true, out = true,
  did = true, ["do"] = true, does = true, said = true, says = true,
  ["'s"] = true, ["n't"] = true, ["'"] = true,
}

-- Words joined on after a number that make it a count of people.
local STRONG = { strong = true, person = true, man = true, member = true, woman = true, men = true }

-- Verbs before a count of lives that take them.
local LIVES_TAKEN = { claimed = true, claiming = true, claims = true, cost = true, costing = true,
  took = true, taken = true, lost = true }

-- Whether a plural the lexicon does not list names people: by its ending, or (-ers, -ors) by what happened to it.
local HAPPENS_TO_PEOPLE = { kill = true, wound = true, arrest = true, abduct = true, execute = true,
  rescue = true, missing = true }
local function person_noun(w, event)
  if #w < 5 then return false end
  -- (patterns, no substrings made: this runs for every unknown noun)
  if find(w, "ists$") or find(w, "ians$") or find(w, "men$") then return true end
  return HAPPENS_TO_PEOPLE[event] == true and (find(w, "ers$") or find(w, "ors$")) ~= nil
end

-- Prepositions before a number that make it no object of the verb before them.
local GOVERNS = { ["in"] = true, ["for"] = true, within = true, over = true, after = true, by = true }

-- Nouns of people that say what happened to them: a count of them after
-- a determiner counts people ("the two survivors").
local EVENTFUL = { survivors = true, victims = true, hostages = true, captives = true, casualties = true,
  dead = true, wounded = true, injured = true, abductees = true, detainees = true, fugitives = true,
  deceased = true, missing = true, evacuees = true, refugees = true }

-- The nouns of those a toll counts: one of them is no count of its own.
local TOLLED = { wounded = true, injured = true, dead = true, killed = true, victims = true,
  casualties = true, deaths = true, bodies = true, fatalities = true }


-- Words of a sentence that make its cases people's.
local CASE_CONTEXT = { outbreak = true, epidemic = true, pandemic = true, virus = true, infection = true,
  infections = true, patients = true, hospital = true, hospitals = true, health = true, vaccination = true,
  hospitalisations = true, hospitalizations = true, admissions = true }

-- Words between a number and its counted noun ("12 more civilians").
local MORE = { more = true, other = true, further = true, additional = true, extra = true }

-- "Of them, 3,154 are in Dhaka": the people a count before numbered.
local THEM = { them = true, these = true, those = true, whom = true }

-- Determiners allowed between "of" and the counted noun.
local OF_DET = { the = true, its = true, their = true, his = true, her = true,
  them = true, these = true, those = true, our = true, whom = true, which = true }

-- The lexicons by their numbers index (util caches the indexes, so the
-- same lexicons give the same tables), with `starts`: every first word a
-- count can begin with, one lookup a token for the scan.
local lex_cache = setmetatable({}, { __mode = "k" })

-- The last call's: the user directory (opts.lexicons), the lexicon
-- module's cache (a new one when its directory changes) and the tables
-- made for them, handed back without the six index lookups and the
-- table a document.
local last_dir, last_cache, last_L

local function lex(opts)
  if last_L and opts.lexicons == last_dir and lexicon.cache == last_cache then return last_L end
  last_dir, last_cache = opts.lexicons, lexicon.cache
  last_L = nil
  local L = {
    numbers = util.lex_index("numbers", "word", opts),
    quals = util.lex_index("quantity_qualifiers", "phrase", opts),
    objects = util.lex_index("quantity_objects", "noun", opts),
    events = util.lex_index("quantity_events", "word", opts),
    units = util.lex_index("units", "word", opts),
    dates = util.lex_index("dates", "word", opts),
  }
  local old = lex_cache[L.numbers]
  if old and old.quals == L.quals and old.units == L.units then
    last_L = old
    return old
  end
  -- A token starts a count only as a number, a qualifier that goes
  -- before one, or a START word (a unit before a number is looked for
  -- from the number; qualifiers that go after one never start a count).
  local starts = {}
  for _, idx in ipairs { L.numbers, START } do
    for w in pairs(idx) do starts[w] = true end
  end
  -- and the most tokens a qualifier before a number takes (a `*` word
  -- takes up to 3)
  local qmax = 1
  for w, l in pairs(L.quals) do
    for j = 1, #l do
      local e = l[j]
      if e.row.position ~= "after" then
        starts[w] = true
        local len = 0
        for k = 1, e.n do len = len + (e.w[k] == "*" and 3 or 1) end
        if len > qmax then qmax = len end
      end
    end
  end
  L.starts = starts
  -- The scan's bits (util.scan_bit): a qualifier's first word that is no
  -- number or START word and begins only phrases of two words or more
  -- ("in excess of", "at least", "as many as") starts a count only before
  -- a second word of them, and "a" or "an" only before one of those or a
  -- number word ("a dozen", "a few": parse_number) (`qcond` before
  -- `qnext`: a visit elsewhere finds no qualifier and no number there);
  -- the other start words wherever they are (`qnow`). "in", "a", "at"
  -- and "as" were 31k of the 58k visits that found no count in 35 MB of
  -- text.
  local now, cond, second = {}, {}, {}
  for w in pairs(starts) do
    local l = L.quals[w]
    local article = w == "a" or w == "an"
    if l and (l.one or l.wild) or not article and (L.numbers[w] or START[w] or not l) then
      now[w] = true
    else
      cond[w] = true
      for w2 in pairs(l and l.by2 or {}) do second[w2] = true end
      if article then
        for w2 in pairs(L.numbers) do second[w2] = true end
      end
    end
  end
  L.qnow, L.qcond, L.qnext = util.scan_bit(now), util.scan_bit(cond), util.scan_bit(second)
  -- Every count has a number core: a digit token, or a word that starts
  -- a number phrase ("a" and "an" only lead to one: "a dozen", "a few").
  -- The core is at most two tokens after the number's first ("half a
  -- dozen"), which is at most qmax after the count's first (a qualifier,
  -- or "between"): no count starts more than `reach` tokens before one.
  local core = {}
  for w in pairs(L.numbers) do core[w] = true end
  core.a, core.an = nil, nil
  L.core, L.reach = core, qmax + 2
  -- the tokens that may start an event word, for find_event's bit test
  L.eb = util.scan_bit(L.events)
  lex_cache[L.numbers] = L
  last_L = L
  return L
end

-- "month" or "weekday" when token i is a capitalised month's or
-- weekday's name, else false (the capital first: most tokens next to a
-- number have none).
local function calendar_word(L, ti, i)
  if i < 1 or i > ti.n or band(ti.fl[i], FCAP) == 0 then return false end
  local e = util.match(ti, L.dates, i)
  return e ~= nil and (e.row.kind == "month" or e.row.kind == "weekday") and e.row.kind
end

-- The suffixes after digits (1.2m, 3k), in every case: SUFFIX[suf] is
-- what SUFFIX[suf:lower()] was.
local SUFFIX = {}
for w, m in pairs { m = 1e6, mn = 1e6, k = 1e3, bn = 1e9, b = 1e9 } do
  for _, v in ipairs { w, w:upper(), w:sub(1, 1):upper() .. w:sub(2), w:sub(1, 1) .. w:sub(2):upper() } do
    SUFFIX[v] = m
  end
end

-- A digit token's value, or nil (ordinals, times, codes), and the digits
-- without a suffix. Memoised: news repeats its numbers ("2016", "5,000").
local dv_cache, dv_plain, dv_n = {}, {}, 0

-- What s:match("^(%d[%d,]*%.?%d*)(%a*)$") read, then the thousands test
-- and the commas dropped, byte by byte: string.match, find and gsub are
-- no code LuaJIT compiles, and the trace that went on after them (at
-- each new number of a document) carried the rest of the count's tests,
-- where it grew side traces LuaJIT failed to compile again and again.
local function is_digit(c) return c ~= nil and c >= 48 and c <= 57 end

-- Whether the integer part int is grouped the Indian way, in twos before
-- the last three ("5,22,908", "1,56,874", "56,89,584": lakhs, crores).
local function indian_grouping(int)
  local rest = int:match("^%d%d?(,.+)$")
  if not rest or not rest:find("^,%d%d,") then return false end
  repeat rest = sub(rest, 4) until not rest:find("^,%d%d,")
  return rest:find("^,%d%d%d$") ~= nil
end

local function digits_value_(s)
  local len = #s
  if not is_digit(byte(s, 1)) then return nil end
  local j, comma = 2, nil
  while j <= len do
    local c = byte(s, j)
    if c == 44 then comma = comma or j
    elseif c < 48 or c > 57 then break end
    j = j + 1
  end
  if byte(s, j) == 46 then
    j = j + 1
    while is_digit(byte(s, j)) do j = j + 1 end
  end
  local numend = j - 1
  while j <= len do
    local c = byte(s, j)
    if not (c >= 65 and c <= 90 or c >= 97 and c <= 122) then return nil end
    j = j + 1
  end
  local num = sub(s, 1, numend)
  local digits = num
  if comma then
    -- "^%d%d?%d?,%d%d%d": one to three digits, the first comma, three digits
    if (comma > 4 or not (is_digit(byte(s, comma + 1)) and is_digit(byte(s, comma + 2))
       and is_digit(byte(s, comma + 3))) or comma + 3 > numend)
       and not indian_grouping(num:match("^[%d,]+")) then
      return nil
    end
    digits = sub(num, 1, comma - 1)
    local from = comma + 1
    for k = comma + 1, numend do
      if byte(num, k) == 44 then
        digits = digits .. sub(num, from, k - 1)
        from = k + 1
      end
    end
    digits = digits .. sub(num, from, numend)
  end
  local v = tonumber(digits)
  if not v then return nil end
  if numend == len then return v, num end
  local m = SUFFIX[sub(s, numend + 1)]
  if m then return v * m, num end
  return nil
end

local function digits_value(s)
  local v = dv_cache[s]
  if v == nil then
    local p
    v, p = digits_value_(s)
    if dv_n > 20000 then dv_cache, dv_plain, dv_n = {}, {}, 0 end
    dv_cache[s], dv_plain[s], dv_n = v or false, p, dv_n + 1
    return v, p
  end
  if v == false then return nil end
  return v, dv_plain[s]
end

-- Words after a number in a broadcaster's name ("FOX 56 News").
local STATION = { news = true, tv = true, radio = true, fm = true }

-- Words that end a street's name ("Schuyler St.", "Downing Street").
local STREET = { street = true, st = true, ["st."] = true, avenue = true, ave = true, ["ave."] = true, road = true,
  rd = true, ["rd."] = true, boulevard = true, blvd = true, ["blvd."] = true, lane = true, drive = true,
  highway = true, hwy = true, parkway = true, terrace = true }

-- Whether capitalised words from token k end in a street word: the number
-- before them is a house number ("9329 NE Schuyler St.", "10 Downing
-- Street"), not a count.
local function street_from(ti, k)
  for q = k + 1, k + 3 do
    if ti.kind[q - 1] ~= "word" or band(ti.fl[q - 1], FCAP) == 0 then return false end
    if ti.kind[q] == "word" and band(ti.fl[q], FCAP) ~= 0 and STREET[ti.norm[q]] then return true end
  end
  return false
end

-- Whether the folded number s is a year from 1800 to 2100 as written.
local function year_like(s)
  if #s ~= 4 then return false end
  local y = tonumber(s)
  return y ~= nil and y >= 1800 and y <= 2100
end

-- Parses a number at token i: value, last token, low, high, approx, kind
-- ("digits" | "words" | "vague": several, a few, a couple of), and
-- whether it was a plain 4-digit integer.
local function parse_number(L, ti, i)
  local norm, kind, text = ti.norm, ti.kind, ti.text
  local n = ti.n
  local k1 = kind[i]
  if k1 ~= "number" and k1 ~= "word" then return nil end
  local b1 = byte(norm[i], 1)
  if k1 == "number" or (b1 >= 48 and b1 <= 57) then
    -- the text, or its norm when that is the text in lower case (no
    -- non-ASCII byte): the same value and the same plain-digits test (a
    -- suffix is read in lower case), and no string made
    local s = band(ti.fl[i], FNONASCII) == 0 and norm[i] or text:sub(ti.st[i], ti.sp[i])
    local v, plain = digits_value(s)
    if not v then return nil end
    local last = i
    -- "5 000 troops", "some 800 000 people": groups of three digits set
    -- off by one space (or a no-break or thin one) before a word ("+962
    -- 79 000 0000", "00 353 818 304" are phone numbers, "53. 6 258. 7" a
    -- table)
    if plain == s and #s <= 3 and kind[i - 1] ~= "number" and byte(s, 1) ~= 48 then
      local q = i
      while kind[q + 1] == "number" and #norm[q + 1] == 3 and band(ti.fl[q + 1], FSB) ~= 0
            and ti.st[q + 1] - ti.sp[q] <= 4 and find(norm[q + 1], "^%d%d%d$") do
        q = q + 1
      end
      if q > i and kind[q + 1] == "word" then
        for k = i + 1, q do v = v * 1000 + tonumber(norm[k]) end
        last, plain = q, nil
      end
    end
    -- "over 60, 000 people": a space after the thousands comma (a list's
    -- next item never starts with a zero)
    if last == i and plain == s and #s <= 3 and norm[i + 1] == "," and kind[i + 2] == "number"
       and find(norm[i + 2], "^0%d%d$") and kind[i + 3] == "word" and band(ti.fl[i + 2], FSB) ~= 0 then
      v, last, plain = v * 1000 + tonumber(norm[i + 2]), i + 2, nil
    end
    -- ("69-million people": the scale joined on by a hyphen, before what
    -- is counted; "a 500-million dollar program" is no count)
    local sc = last + 1
    if norm[sc] == "-" and band(ti.fl[sc], FHY) ~= 0 and band(ti.fl[sc + 1] or 0, FSB) == 0
       and L.objects[norm[sc + 2]] then
      sc = sc + 1
    end
    if sc <= n and L.numbers[norm[sc]] then -- (util.match's first lookup, before the call)
      local e, l = util.match(ti, L.numbers, sc)
      if e and e.row.kind == "scale" and kind[i] == "number" and e.row.word ~= "dozen" then
        -- (4.1 million is 4,100,000, not 4,099,999.999...: a scale makes
        -- a whole number of a decimal)
        v = v * tonumber(e.row.value)
        if v >= 1000 then v = floor(v + 0.5) end
        last = l
      end
    end
    local year = last == i and plain == s and #s == 4 and v >= 1000 and v <= 2100
    return v, last, nil, nil, false, "digits", year
  end
  -- (a) quarter of a million, a third of a million
  local frac = norm[i] == "quarter" and 0.25 or norm[i] == "third" and 1 / 3
  if frac and norm[i + 1] == "of" and norm[i + 2] == "a" and i + 3 <= n then
    local e, l = util.match(ti, L.numbers, i + 3)
    if e and e.row.kind == "scale" and l == i + 3 then
      return floor(tonumber(e.row.value) * frac + 0.5), l, nil, nil, true, "words"
    end
  end
  -- half a million
  if norm[i] == "half" and norm[i + 1] == "a" and i + 2 <= n then
    local e, l = util.match(ti, L.numbers, i + 2)
    if e and e.row.kind == "scale" and l == i + 2 then
      return tonumber(e.row.value) / 2, l, nil, nil, false, "words"
    end
  end
  -- a / an + scale or dozen: "a dozen", "a hundred"
  local j = i
  if (norm[i] == "a" or norm[i] == "an") and i < n then
    local e, l = util.match(ti, L.numbers, i + 1)
    if e and (e.row.kind == "scale" or e.row.word == "dozen") and l == i + 1 then
      local v = tonumber(e.row.value)
      local last = l
      if l < n then -- "a hundred thousand"
        local e2, l2 = util.match(ti, L.numbers, l + 1)
        if e2 and e2.row.kind == "scale" then v, last = v * tonumber(e2.row.value), l2 end
      end
      return v, last, nil, nil, false, "words"
    end
    if not (e and e.row.kind == "several") then return nil end
    j = i -- "a few" is in the lexicon as a phrase
  end
  local e, l = util.match(ti, L.numbers, j)
  if not e then return nil end
  local k = e.row.kind
  if k == "several" then
    if l < n then
      local e2, l2 = util.match(ti, L.numbers, l + 1)
      if e2 and (e2.row.kind == "scale" or e2.row.word == "dozen") then
        local sc = tonumber(e2.row.value)
        return tonumber(e.row.value) * sc, l2, tonumber(e.row.value) * sc,
          tonumber(e.row.high) * sc, true, "words"
      end
    end
    -- "several people", "a couple of devotees": kept only as a count of
    -- people (decided with the noun, below), not "several reasons"; "few
    -- other folks were" says not many, no count
    if e.row.word == "few" then return nil end
    return tonumber(e.row.value), l, tonumber(e.row.value), tonumber(e.row.high), true, "vague"
  elseif k == "approx" then
    return tonumber(e.row.value), l, tonumber(e.row.value), tonumber(e.row.high), true, "words"
  elseif k == "scale" then
    return nil -- "thousand", "dozen" alone
  end
  -- units and scales: "twenty-five", "two hundred and fifty", "five thousand"
  local total, cur, last = 0, tonumber(e.row.value), l
  local p = l + 1
  while p <= n do
    local q = p
    local nq = norm[q]
    if (nq == "-" and (band(ti.fl[q], FHY) ~= 0)) or nq == "and" then q = q + 1 end
    if q > n then break end
    local e2, l2 = util.match(ti, L.numbers, q)
    if not e2 then break end
    local k2 = e2.row.kind
    local v2 = tonumber(e2.row.value)
    if k2 == "unit" then
      if nq == "and" and cur % 100 ~= 0 and total == 0 then break end
      if cur % 10 ~= 0 or v2 >= 10 and cur > 0 and cur < 100 then break end
      cur = cur + v2
    elseif k2 == "scale" then
      if nq == "and" then break end
      if v2 == 100 then cur = (cur == 0 and 1 or cur) * 100
      else total = total + (cur == 0 and 1 or cur) * v2; cur = 0 end
    else
      break
    end
    last, p = l2, l2 + 1
  end
  return total + cur, last, nil, nil, false, "words"
end

-- Whether a capitalised word's norm has the shape of a people's plural
-- (Syrians, Iraqis, Kurds): memoised, as the other shapes below, so
-- that no string pattern runs in the per-count loop (LuaJIT does not
-- compile them: each one ended a trace).
local people_cache, people_n = {}, 0

-- s:match("^%l+[^s]s$") by bytes (string.match stitched the trace, as
-- digits_value_'s did): lower-case letters, then a byte but "s", then "s".
local function people_shape_(s)
  local len = #s
  if len < 3 or byte(s, len) ~= 115 or byte(s, len - 1) == 115 then return false end
  for k = 1, len - 2 do
    local c = byte(s, k)
    if c < 97 or c > 122 then return false end
  end
  return true
end

local function people_shape(s)
  local r = people_cache[s]
  if r == nil then
    r = people_shape_(s)
    if people_n > 20000 then people_cache, people_n = {}, 0 end
    people_cache[s], people_n = r, people_n + 1
  end
  return r
end

-- "[^s]s$" (which "ies$" implies) by bytes
local function plural_shape(s)
  return #s >= 2 and byte(s, -1) == 115 and byte(s, -2) ~= 115
end

-- The counted noun after a number ending at token j: object text, its
-- first and last token, class, and the actor's gazetteer match.
-- Where the counted noun after a number ending at token j may start: past
-- "of" and a determiner ("three of the", "dozens of them") and a word such
-- as "more" ("12 more civilians", "30 other people").
local function noun_from(norm, j)
  local p = j + 1
  if norm[p] == "of" then
    p = p + 1
    if OF_DET[norm[p]] then p = p + 1 end
  end
  if MORE[norm[p]] then p = p + 1 end
  return p
end

-- (v: the count's value; a noun the lexicon lists for one only, number
-- "one", counts nothing else: "one girl", not "two girl children")
local function find_object(L, ti, ctx, j, lim, v)
  local norm, kind = ti.norm, ti.kind
  local p = noun_from(norm, j)
  local actor, head, headi
  -- (match_of's table only for a token inside a match, as raw_matches.of
  -- says: a lookup of any other token there is a call of its __index)
  local match_of, in_match = ctx.match_of, ctx.raw_matches.of
  local stop = p + 5
  if stop > lim then stop = lim end
  local q = p
  while q <= stop do
    local e, l = util.match(ti, L.objects, q)
    -- (joined on, a singular counts any number: "a 43-member team")
    if e and e.row.number == "one" and v ~= 1 and not (norm[q - 1] == "-" and kind[q - 2] == "number") then
      e = nil
    end
    if e then
      -- "23 wounded civilians", "48 injured people": the noun they describe
      if STATE_ADJ[norm[q]] and l == q then
        local e2, l2 = util.match(ti, L.objects, q + 1)
        if e2 then return ti.text:sub(ti.st[q + 1], ti.sp[l2]), q + 1, l2, e2.row.class, actor end
      end
      -- "212 militant targets", "12 police stations": a singular noun
      -- before a plural one only says what kind (the plural is the head)
      local nx = norm[l + 1]
      -- ("500 special-forces troops": a hyphenated modifier's noun is no
      -- head when a counted noun follows it)
      local modifier = q > 1 and norm[q - 1] == "-" and band(ti.fl[q - 1], FHY) ~= 0 and nx
        and kind[l + 1] == "word" and L.objects[nx] ~= nil
      if not modifier and not (nx and kind[l + 1] == "word" and not plural_shape(norm[l]) and plural_shape(nx)
              and not NP_STOP[nx] and band(ti.fl[l + 1], FCAP) == 0) then
        return ti.text:sub(ti.st[q], ti.sp[l]), q, l, e.row.class, actor
      end
      -- ("14 staff members", "513 civilian deaths": the head's own class)
      local e2, l2 = util.match(ti, L.objects, l + 1)
      if e2 then return ti.text:sub(ti.st[l + 1], ti.sp[l2]), l + 1, l2, e2.row.class, actor end
      head, headi = nx, l + 1
      break
    end
    -- "200 Islamic State (ISIS) militants": an acronym in brackets
    local m = in_match[q] and match_of[q]
    if norm[q] == "(" and norm[q + 2] == ")" and kind[q + 1] == "word" then
      q = q + 3
      stop = stop + 3 <= lim and stop + 3 or lim
    elseif m then
      actor = actor or m
      q = m.last + 1
    else
      local k, s = kind[q], norm[q]
      if k == "punct" and (s == "-" and (band(ti.fl[q], FHY) ~= 0) or s == '"' or s == "'") then
        q = q + 1
      elseif k ~= "word" or NP_STOP[s] then
        break
      elseif head and #s > 5 and band(ti.fl[q], FCAP) == 0 and s:sub(-3) == "ing" then
        break -- "41 buses carrying fighters": the phrase ends at a participle
      else
        local f = ti.fl[q]
        -- (capitalised, the rest lower case: not "VBIEDs")
        local b2 = byte(ti.text, ti.st[q] + 1)
        if band(f, FCAP) ~= 0 and band(f, FUPPER) == 0 and band(ti.fl[q + 1], FCAP) == 0
           and b2 and b2 >= 97 and b2 <= 122 and people_shape(s) then
          -- Syrians, Iraqis, Kurds: a people counted
          return ti.text:sub(ti.st[q], ti.sp[q]), q, q, "person", actor
        end
        -- (the last plural seen: "two suicide bombers struck")
        if head and band(ti.fl[headi], FCAP) == 0 and plural_shape(head) and not plural_shape(s) then
          break
        end
        head, headi = s, q
        q = q + 1
      end
    end
  end
  if head and band(ti.fl[headi], FCAP) == 0 and headi > j then
    -- the head noun: the last word of the phrase, if it looks like a plural
    -- noun (or any noun when the phrase ends at punctuation)
    if plural_shape(head) then
      return ti.text:sub(ti.st[headi], ti.sp[headi]), headi, headi, nil, actor
    end
  end
  -- "Fourteen of them are children": past "of them"
  if norm[j + 1] == "of" and (norm[j + 2] == "them" or norm[j + 2] == "whom") then j = j + 2 end
  -- "Of the 57 killed, 14 were children": the noun the count is said to be
  if (norm[j + 1] == "were" or norm[j + 1] == "are") and j + 2 <= lim then
    local e, l = util.match(ti, L.objects, j + 2)
    if e and e.row.class == "person" then return ti.text:sub(ti.st[j + 2], ti.sp[l]), j + 2, l, "person", actor end
  end
  return nil, nil, nil, nil, actor
end

-- Words that open an apposition inside a count (", including 11
-- children,", ", among them three children,", ", many of them children,").
local APPOS = { including = true, among = true, mostly = true, mainly = true, many = true, most = true,
  some = true, all = true, half = true }

-- Words between a verb and the count it governs ("killed at least 35", "destroyed some 60").
local LEAD_IN = { some = true, about = true, nearly = true, around = true, almost = true,
  roughly = true, approximately = true, over = true, more = true, than = true, at = true,
  least = true, up = true, to = true, as = true, many = true, another = true, an = true, a = true,
  estimated = true, just = true, only = true, fewer = true, less = true }


-- Words that open another clause, read back from a count.
local CLAUSE_BACK = { when = true, ["while"] = true, after = true, before = true, because = true,
  as = true, ["until"] = true, where = true, ["if"] = true }

-- Words for a number of people gathered ("estimated the crowd at 50,000").
local CROWD = { crowd = true, crowds = true, turnout = true, attendance = true }

-- Words before a number a toll reaches ("rose to 70", "stood at 48").
local TOLL_TO = { to = true, at = true, of = true, reached = true, hit = true, passed = true,
  topped = true, past = true, be = true, is = true, was = true, stood = true, stands = true,
  remains = true, remained = true, exceeded = true, surpassed = true, above = true, beyond = true,
  -- (before a bound: "rose above 22,000", "climbed over 300")
  rose = true, risen = true, climbed = true, jumped = true, soared = true, surged = true,
  below = true, fell = true, dropped = true }

-- A plural of the dead or hurt that a toll's verb reaches ("the reported
-- deaths from the outbreak have climbed to 12"), with the verbs it takes.
local TOLL_NOUN = { deaths = "kill", fatalities = "kill", injuries = "wound" }
local TOLL_RISE = { rose = true, risen = true, climbed = true, jumped = true, soared = true, surged = true,
  increased = true, grown = true, grew = true, reached = true, hit = true, topped = true, passed = true,
  stood = true, stands = true, stand = true, fell = true, dropped = true, declined = true, decreased = true }

-- ... or after "as" ("the death toll was recorded as 179").
local TOLL_AS = { recorded = true, given = true, put = true, estimated = true, listed = true, confirmed = true }

-- The event word nearest the count: in the counted phrase itself ("63
-- dead"), up to 4 tokens before ("killing 60") or 6 after ("were
-- killed"), not past punctuation or another number.
local function find_event(L, ti, a, b, sfirst, slast)
  local kind, nid, mask, eb = ti.kind, ti.nid, util.mask_of, L.eb
  for q = a, b do
    local e = band(mask[nid[q]], eb) ~= 0 and util.match(ti, L.events, q)
    if e then return e.row.event end
  end
  local best, bestd
  local norm = ti.norm
  local q, lim = b + 1, b + 6
  -- "nearly 2,000 members of the Iraqi security forces were killed"
  if norm[b + 1] == "of" then lim = lim + 5 end
  -- a count inside ", including 11 children," reads on after it
  local inside = APPOS[norm[a - 1]] or (norm[a - 1] == "them" and norm[a - 2] == "among")
  while q <= slast and q <= lim and kind[q] ~= "number" do
    if kind[q] == "punct" and norm[q] ~= '"' then
      if norm[q] ~= "," then break end
      if APPOS[norm[q + 1]] then
        -- "37 civilians, including 11 children, were killed"
        local c = q + 2
        while c <= slast and c < q + 14 and norm[c] ~= "," do c = c + 1 end
        if norm[c] ~= "," then break end
        q, lim = c + 1, c + 7
      elseif inside then
        inside = false
        q, lim = q + 1, q + 7
      else
        break
      end
    else
      local e, el
      if band(mask[nid[q]], eb) ~= 0 then e, el = util.match(ti, L.events, q) end
      if e then
        -- "repelled three attacks and destroyed two tanks": a verb with a
        -- number after it is that number's
        local t = el + 1
        while t <= el + 3 and LEAD_IN[norm[t]] do t = t + 1 end
        -- (a participle, or "sent", "deployed": what comes next may say
        -- what happened to them: "sent plummeting to their deaths")
        local ing = norm[q]:sub(-3) == "ing" and band(ti.fl[q], FCAP) == 0 or e.row.event == "deploy"
        if not (kind[t] == "number" or L.core[norm[t]]) and not (ing and best) then
          best, bestd = e.row.event, q - b
          -- ("killed 14 people fleeing to the south": a participle only
          -- describes them; the verb before governs the count, below, or
          -- one after it: "14 people fleeing the fighting were killed")
          if ing then bestd = 99 end
        end
        if not ing then break end
        q, lim = el + 1, lim + 4
      end
      q = q + 1
    end
  end
  q = a - 1
  -- ("died in 24 [hours]": a number a preposition governs is not what
  -- the verb before did)
  if GOVERNS[norm[a - 1]] then q = 0 end
  local joined = false -- past an "and": the verb before is another clause's
  while q >= sfirst and q >= a - 4 and (kind[q] ~= "punct" or norm[q] == '"') and kind[q] ~= "number" do
    -- "70 injured when two bombers struck": not the other clause's event
    if CLAUSE_BACK[norm[q]] then break end
    local e = band(mask[nid[q]], eb) ~= 0 and util.match(ti, L.events, q)
    if e then
      -- "43 people had died and 61 had been injured": 61's own verb
      if not bestd or a - q < bestd and not joined then best = e.row.event end
      -- ("Injury toll passes 100": the injury lexicon row starts before)
      if norm[q] == "toll" and q > 1 then
        local e0 = util.match(ti, L.events, q - 1)
        if e0 and best == e.row.event then best = e0.row.event end
      end
      break
    end
    if norm[q] == "and" then joined = true end
    q = q - 1
  end
  if not best and (TOLL_TO[norm[a - 1]] or norm[a - 1] == "as" and TOLL_AS[norm[a - 2]]) then
    -- "the death toll from Sunday's strikes on a market in the town of X
    -- rose to 57": a toll is of the dead (true: people)
    -- ("fatalities ... have reached 204": the verb right before the count)
    local rise = TOLL_RISE[norm[a - 1]] or false
    for t = a - 2, math.max(sfirst, a - 26), -1 do
      -- ("the official death toll, which the government said had risen
      -- to about 22,069": back past the relative clause's comma)
      -- (and "rose again, to 819": the comma before the "to")
      if kind[t] == "punct" and norm[t] ~= "-" and norm[t] ~= "'s" and norm[t] ~= "'"
         and not (norm[t] == "," and (norm[t + 1] == "which" or t == a - 2)) then break end
      if TOLL_RISE[norm[t]] then rise = true end
      if rise and TOLL_NOUN[norm[t]] then return TOLL_NOUN[norm[t]], true end
      -- ("the death count was expected to climb past 75")
      if norm[t] == "count" and (norm[t - 1] == "death" or norm[t - 1] == "body") then return "kill", true end
      -- ("the case count rose again, to 819")
      if norm[t] == "count" and (norm[t - 1] == "case" or norm[t - 1] == "infection") then return "ill", true end
      -- (an injury toll is of the wounded)
      if norm[t] == "toll" then
        local w = norm[t - 1]
        return (w == "injury" or w == "injuries" or w == "casualty") and "wound" or "kill", true
      end
      -- "put the size of the crowd at about 50,000": people
      if CROWD[norm[t]] then return nil, true end
      -- "bring the number of Palestinians killed this year to 140", "the
      -- number of dead rose to 45": what happened to those numbered
      if norm[t] == "number" and norm[t + 1] == "of" then
        for q2 = t + 2, math.min(t + 6, a - 2) do
          local e = band(mask[nid[q2]], eb) ~= 0 and util.match(ti, L.events, q2)
          if e then
            local o = util.match(ti, L.objects, t + 2)
            return e.row.event, e.row.event == "kill" or e.row.event == "wound" or e.row.event == "ill"
              or (o ~= nil and o.row.class == "person")
          end
        end
        -- "the number of migrants reaching Italy rose to 5,000": people
        for q2 = t + 2, math.min(t + 4, a - 2) do
          local o = util.match(ti, L.objects, q2)
          if o then return nil, o.row.class == "person" end
        end
        break
      end
    end
  end
  -- "Among the dead were five children and seven women", "Among the
  -- bodies were a father and his three children": the toll they are of
  if not best and norm[sfirst] == "among" and norm[sfirst + 1] == "the" and TOLLED[norm[sfirst + 2]]
     and sfirst + 2 < a then
    local w = norm[sfirst + 2]
    best = (w == "wounded" or w == "injured") and "wound" or "kill"
  end
  return best
end

-- The token from i where the next visit of quantities()' loop begins, and
-- the first number core at or after it (nc, passed back in); nil when no
-- core is left. The C scans and the few tokens they stop at for nothing:
-- the loop over tokens, compiled, apart from the count path (see the end
-- of this file).
local function next_visit(ti, i, nc, L, cb, sb, qcond, qnext)
  local n, kind, norm = ti.n, ti.kind, ti.norm
  local core, starts, reach = L.core, L.starts, L.reach
  local scan, KNUM = util.scan, util.KIND.number
  -- no count starts more than `reach` tokens before a number core
  if nc < i then
    nc = scan(ti, i, n, KNUM, cb, 0, 0)
    while nc <= n do
      local k = kind[nc]
      if k == "number" or core[norm[nc]] then break end
      if k == "word" then
        local b = byte(norm[nc], 1)
        if b >= 48 and b <= 57 then break end
      end
      nc = scan(ti, nc + 1, n, KNUM, cb, 0, 0)
    end
    if nc > n then return nil, nc end
  end
  if nc - reach > i then i = nc - reach end
  -- most tokens start no count: the C scan skips them (then a lookup
  -- or two). It stops at a norm starting with a digit (MDIGIT), not at
  -- every one starting with a byte <= 57 (MLOW): that stopped at each
  -- comma, period and quote, 103k times in 35 MB, for this loop to
  -- pass them by, and a word such as "'s" or "-" that it let through
  -- is no start word and no number (parse_number finds nothing there).
  i = scan(ti, i, n - 1, KNUM, sb, qcond, qnext)
  while i < n and kind[i] ~= "number" do
    local nk = norm[i]
    if starts[nk] or (kind[i] == "word" and byte(nk, 1) <= 57) then break end
    i = scan(ti, i + 1, n - 1, KNUM, sb, qcond, qnext)
  end
  return i, nc
end

-- Words of a bound or an estimate before a whole's number ("its nearly
-- 1,200", "more than 270").
local WHOLE_APPROX = { nearly = true, about = true, approximately = true, around = true, some = true,
  over = true, almost = true, roughly = true, more = true, than = true }

-- The first token of the number a partitive's whole starts with, from
-- token p after "of" ("the village's 1,800", "the 49", "75"), or nil:
-- only determiners, an owner and WHOLE_APPROX words before it.
local function whole_after(L, ti, p, lim)
  local norm, kind = ti.norm, ti.kind
  for q = p, math.min(p + 5, lim) do
    local s = norm[q]
    if kind[q] == "number" or L.numbers[s] and s ~= "a" and s ~= "an" then return q end
    -- (the, his, their; an owner: "the village's"; "its nearly 1,200")
    if not (OF_DET[s] or s == "'s" or s == "'" or WHOLE_APPROX[s]
            or kind[q] == "word" and (norm[q + 1] == "'s" or norm[q + 1] == "'")) then
      return nil
    end
  end
  return nil
end


--- quantities(ctx_or_text [, opts]) -> array of spans (layer "quantity").
function M.quantities(c, opts)
  opts = util.check_opts(opts, "quantities")
  local ctx = util.ctx(c, opts, "quantities")
  local L = lex(opts)
  local ti = util.info(ctx)
  local norm, kind, st, sp, n = ti.norm, ti.kind, ti.st, ti.sp, ti.n
  local text = ti.text
  local out = {}
  local i = 1
  local nc = 0 -- the first number core at or after i (n + 1: none)
  local sfirst, slast, si = nil, nil, 1
  local whole_at = {} -- the first tokens of counts a part was counted of
  -- the tokens that may be a number core, or start a count (and number
  -- tokens, whose norms need not start with a digit): util.scan skips the rest
  local cb = bor(util.scan_bit(L.core), util.MDIGIT)
  local sb, qcond, qnext = bor(L.qnow, util.MDIGIT), L.qcond, L.qnext
  while i <= n do
    i, nc = next_visit(ti, i, nc, L, cb, sb, qcond, qnext)
    if not i then break end
    local qe, qlast = nil, nil
    if kind[i] == "word" or kind[i] == "symbol" then
      local e, l = util.match(ti, L.quals, i)
      if e and e.row.position ~= "after" and l < n then qe, qlast = e, l end
    end
    local ni = qe and qlast + 1 or i
    local between = false
    if not qe and norm[i] == "between" and i < n then between, ni = true, i + 1 end
    local v, last, low, high, approx, nkind, year = parse_number(L, ti, ni)
    if not v and qe then
      -- the qualifier is not followed by a number: try the number here
      qe, ni, between = nil, i, false
      v, last, low, high, approx, nkind, year = parse_number(L, ti, i)
    end
    if not v and between then between = false end
    if v then
      local first = (qe or between) and i or ni
      local skip = false
      local unit
      local after = last + 1
      local pre = norm[ni - 1]
      -- ranges: 200-300, 20 to 30, between 20 and 30, two or three
      local sep = norm[after]
      -- A dash between two numbers with no space either side is a range
      -- whichever dash it is (2,000–3,000: an en dash joins nothing).
      local tight = sep == "-" and band(ti.fl[after], FSB) == 0 and after < n
        and band(ti.fl[after + 1], FSB) == 0
      if sep == "-" and ((band(ti.fl[after], FHY) ~= 0) or tight) and band(ti.fl[after], FSB) == 0
         or sep == "to" or sep == "or"
         or (sep == "and" and between) then
        -- ("$5-$14": the second number's currency sign too)
        local nx = after + 1
        if sep == "-" and kind[nx] ~= "number" then
          local eu = util.match(ti, L.units, nx)
          if eu and eu.row.position == "before" and eu.row.unit == "money" then nx = nx + 1 end
        end
        local v2, last2 = parse_number(L, ti, nx)
        if v2 and v2 > v then
          low, high, last = v, v2, last2
          after = last + 1
          if between then first = i end
          -- "1-866", "758-8084": a phone number's groups, no range (a range
          -- of thousands is written 2,000-3,000)
          local s1, s2 = norm[ni], norm[last2]
          if sep == "-" and last2 == ni + 2 and kind[last2] == "number" and (#s2 >= 4 and #s2 > #s1
             and not s2:find(",", 1, true) and not s1:find(",", 1, true)
             or norm[last2 + 1] == "-" and kind[last2 + 2] == "number") then
            skip = true -- (and 1-866-555-0199: more groups after)
          end
        elseif v2 and v2 <= v and sep == "-" and kind[after + 1] == "number" then
          skip = true -- "beat Arsenal 3-1", "a 5-4 vote": a score, no count
        elseif sep == "-" and (band(ti.fl[after], FHY) ~= 0) then
          -- (not "a 5,000-strong force", "a 15-person group", "a 32-man patrol")
          if not v2 and not STRONG[norm[after + 1]] then skip = true end -- 12-year-old
        end
      end
      if between and not high then first = ni end
      -- "a six to eight-week ceasefire", "a 12-hour curfew": a unit of
      -- time or measure joined on is a length, not a count
      if norm[last + 1] == "-" and band(ti.fl[last + 1], FHY) ~= 0 then
        local eu = util.match(ti, L.units, last + 2)
        if eu and eu.row.position == "after" and eu.row.unit ~= "money" and eu.row.unit ~= "percent" then
          skip = true
        end
      end
      -- qualifiers after: 3,000+, 150 or so, or more
      local qafter
      do
        local e, l
        if L.quals[norm[after]] then e, l = util.match(ti, L.quals, after) end
        if e and e.row.position == "after" and not (norm[after] == "+" and (band(ti.fl[after], FSB) ~= 0)) then
          if e.row.bound == "low" then low = low or v end
          if e.row.approx then approx = true end
          qafter = text:sub(st[after], sp[l])
          last, after = l, l + 1
        end
      end
      -- not counts
      -- (on the same line: "- Print Article" then "Two soldiers died")
      if pre and IDENT[pre] and band(ti.fl[ni - 1], FLE) == 0 then skip = true end
      -- "three out of four Yemenis": a share, neither number a count
      -- (out of ten or fewer: "200 out of 500 workers" is a part of a whole)
      -- ("one out of every eight residents", "two of every three": a share)
      if norm[after] == "out" and norm[after + 1] == "of" and norm[after + 2] == "every"
         or (norm[after] == "of" or norm[after] == "in") and norm[after + 1] == "every" then
        skip = true
      elseif norm[after] == "out" and norm[after + 1] == "of" then
        local m = tonumber(norm[after + 2])
        if not m then
          local e = util.match(ti, L.numbers, after + 2)
          m = e and tonumber(e.row.value)
        end
        if m and m <= 10 then skip = true end
      end
      if pre == "of" and norm[ni - 2] == "out" and v <= 10 then skip = true end
      if pre == "every" and (norm[ni - 2] == "of" or norm[ni - 2] == "in") and v <= 10 then skip = true end
      -- "The deceased were over 65": an age
      if qe and (norm[i] == "over" or norm[i] == "under" or norm[i] == "above") and v < 120 and nkind == "digits"
         and (norm[i - 1] == "were" or norm[i - 1] == "was" or norm[i - 1] == "are" or norm[i - 1] == "is")
         and not util.match(ti, L.objects, last + 1) then
        skip = true
      end
      -- "Regions 9 and 11": the second number the word names
      if (pre == "and" or pre == ",") and kind[ni - 2] == "number" and IDENT[norm[ni - 3]] then skip = true end
      -- "No 10", "No 1 priority": a number's abbreviation without its point
      if pre == "no" and band(ti.fl[ni - 1], FCAP) ~= 0 and nkind == "digits" then skip = true end
      -- "Umm Ahmad, 43,": an age
      if pre == "," and norm[after] == "," and kind[ni - 2] == "word" and band(ti.fl[ni - 2], FCAP) ~= 0
         and nkind == "digits" and v < 120 then skip = true end
      -- "one in five", "1 in 3": a share, not a count
      if pre == "in" and (norm[ni - 2] == "one" or norm[ni - 2] == "1") then skip = true end
      if year and not qe then skip = true end
      -- (skipped: on at once, past the tests and lookups below; interpreted)
      if skip then i = last + 1; goto next end
      -- 13:40, 3:2 (a time, a score); after ": " only a count of people
      -- or things something happened to ("officials: 120 civilians dead",
      -- not "Share this article: 1,204 shares")
      local after_colon = pre == ":" and band(ti.fl[ni], FSB) ~= 0
      -- (and "8:30am": the minutes run into their am)
      if pre == ":" and not after_colon or norm[after] == ":" and (kind[after + 1] == "number"
         or band(ti.fl[after + 1], FSB) == 0 and is_digit(byte(norm[after + 1] or "", 1))) then
        skip = true
      end
      if pre == "/" or (norm[after] == "/" and kind[after + 1] == "number") then skip = true end
      -- "+962 79 000 0000": a phone number (a plus, or digit groups side by side)
      -- (not after a year: "In 1984 2 of her bodyguards killed her")
      -- (nor after a date: "date 2024-05-30 21 pilgrims dead")
      if nkind == "digits" and (pre == "+" and band(ti.fl[ni], FSB) == 0
         or kind[ni - 1] == "number" and not year_like(norm[ni - 1])
            and not (norm[ni - 2] == "-" and norm[ni - 4] == "-" and year_like(norm[ni - 5] or ""))
         or kind[after] == "number") then
        skip = true
      end
      if pre == "-" and (band(ti.fl[ni - 1], FHY) ~= 0) and kind[ni - 2] == "word" then skip = true end
      -- the later groups of 1-866-555-0199 (a range took its first two)
      if pre == "-" and band(ti.fl[ni], FSB) == 0 and kind[ni - 2] == "number" then skip = true end
      if pre == "(" and norm[after] == ")" then skip = true end
      -- (a house number is plain digits: not "3,000 Migrants Block Highway")
      if nkind == "digits" and not qe and find(norm[ni], "^%d%d?%d?%d?%d?$") and find(norm[last], "^%d+$")
         and street_from(ti, after) then
        skip = true
      end
      -- "FOX 56 News", "Channel 4 News": a station's name
      if nkind == "digits" and ni > 1 and kind[ni - 1] == "word" and band(ti.fl[ni - 1], FCAP) ~= 0
         and STATION[norm[after]] and band(ti.fl[after], FCAP) ~= 0 then
        skip = true
      end
      -- "three men, ages 63, 40 and 32": a list of ages
      if nkind == "digits" and not qe then
        local q = ni - 1
        while q > 1 and q > ni - 8 and (kind[q] == "number" or norm[q] == "," or norm[q] == "and") do q = q - 1 end
        if q < ni - 1 and (norm[q] == "ages" or norm[q] == "aged") then skip = true end
      end
      if (ni == 1 or band(ti.fl[ni - 1], FLE) ~= 0) and (norm[after] == "." or norm[after] == ")") then
        skip = true
      end
      if (first == 1 or (band(ti.fl[first - 1], FLE) ~= 0)) and (band(ti.fl[last], FLE) ~= 0) then skip = true end
      if skip then i = last + 1; goto next end
      -- "the two sides", "his three children": after a determiner a small
      -- number counts only people something happened to ("his two sisters
      -- died"), decided below
      local det_small = nkind == "words" and v <= 10 and not qe and not low and DETERMINERS[pre]
      -- "children under 15", "men over 60", "under the age of five": an age
      if qe and AGE_BOUND[norm[i]] and AGE_OF[norm[i - 1]] then skip = true end
      if pre == "of" and norm[ni - 2] == "age" then skip = true end
      -- "boys between six and 11", "men aged 18 to 60"
      if between and high and (AGE_OF[norm[i - 1]] or norm[i - 1] == "aged") then skip = true end
      local lone_one = v == 1 and not qe and not high
      -- "1 killed, 3 injured" (a headline's digit right before what
      -- happened to them): a person, as "3 injured" is
      -- (a digit on its own, not a version's "coffee.1 released"; or the
      -- word opening its sentence: "One killed in mass shooting")
      local one_event = lone_one and (nkind == "digits" or ni == first) and (ni == 1 or band(ti.fl[ni], FSB) ~= 0)
        and (STATE_ADJ[norm[after]] ~= nil or util.match(ti, L.events, after) ~= nil and ti.kind[after] == "word")
      -- "one" alone counts only a person whose noun starts at most two
      -- tokens on (below): "one of the", "one of his" never do
      -- ("one of the men on board had died": one of people, the clause's
      -- event decides below)
      local nf = lone_one and noun_from(norm, last)
      local one_of = nf and norm[last + 1] == "of" and nf <= last + 3 and util.match(ti, L.objects, nf)
      -- (not one of those a toll already counts: "one of the dead was
      -- struck in the head")
      one_of = one_of and one_of.row.class == "person" and not TOLLED[norm[nf]] and nf
      -- ("... three in Region 8; and one in Caraga", "four from Ifugao,
      -- one from Kalinga": one more item of a list of counts of people,
      -- as the lists below are read)
      local list_one = false
      -- (a place after it: not "one in five")
      if lone_one and (norm[last + 1] == "in" or norm[last + 1] == "from") and kind[last + 2] == "word"
         and band(ti.fl[last + 2], FCAP) ~= 0 then
        -- (back through the list's bare items to a count of people)
        local pos = st[first]
        for k = #out, math.max(1, #out - 8), -1 do
          local o = out[k]
          if pos - o.stop >= 80 then break end
          if o.attrs.class == "person" then list_one = true; break end
          if o.attrs.class or o.attrs.object then break end
          pos = o.start
        end
      end
      -- ("one more unidentified person died": a word between)
      local more_one = lone_one and MORE[norm[last + 1]] and util.match(ti, L.objects, last + 3)
      if lone_one and not one_event and nf > last + 2 and not one_of and not list_one and not more_one then
        skip = true
      end
      if more_one then one_of = last + 3 end
      if ni > 1 and (band(ti.fl[ni - 1], FCAP) ~= 0) and kind[ni - 1] == "word" and nkind == "digits"
         and band(ti.fl[ni], FSB) == 0 then skip = true end
      -- (the lexicon lookups last, for what the tests above kept)
      -- ("March 12", "12 March", "Wednesday 9 March": a date; but "On
      -- Wednesday nine people were killed", "On Tuesday 9 people died")
      if not skip then
        local before = calendar_word(L, ti, ni - 1)
        if calendar_word(L, ti, last + 1) or before == "month" and nkind == "digits"
           or before == "weekday" and nkind == "digits"
              and (norm[last + 1] == "," or calendar_word(L, ti, last + 2)) then
          skip = true
        end
      end
      -- units
      if not skip then
        local e = L.units[norm[after]] and util.match(ti, L.units, after)
        if e and e.row.position == "after" then
          if e.row.unit == "money" or e.row.unit == "percent" then
            unit = e.row.unit
          elseif not (util.match(ti, L.objects, after)) then
            skip = true
          end
        end
        if not skip and ni > 1 then
          local e2 = L.units[pre] and util.match(ti, L.units, ni - 1)
          if e2 and e2.row.position == "before" then
            unit = e2.row.unit
            if first == ni then first = ni - 1 end
          end
        end
      end
      if not skip and util.boiler(ctx, st[first], sp[last]) then skip = true end
      local object, oa, ob, class, actor, event
      local of_event -- (the event of the count an "Of the ..." opener holds)
      if not skip then
        -- the sentence tables only for a document with a count; counts
        -- come in text order, so a cursor finds each one's sentence
        if not sfirst then sfirst, slast = util.sentence_bounds(ctx) end
        local sl = slast[si]
        while sl and sl < first do
          si = si + 1
          sl = slast[si]
        end
        local sf = sl and sfirst[si]
        if sf and sf > first then sf, sl = nil, nil end
        if not unit then
          object, oa, ob, class, actor = find_object(L, ti, ctx, last, sl or n, v)
          -- "150 of the village's 1,800 residents were killed", "55 of 75
          -- confirmed dead": the part counts the whole's noun, and takes
          -- the clause's event; the whole (marked) takes none
          local of_at = norm[last + 1] == "of" and last + 1
            or norm[last + 1] == "out" and norm[last + 2] == "of" and last + 2 -- ("200 out of 500 workers")
          if not object and of_at then
            local k = whole_after(L, ti, of_at + 1, sl or n)
            local wl
            if k then wl = select(2, parse_number(L, ti, k)) end
            if wl then
              object, oa, ob, class, actor = find_object(L, ti, ctx, wl, sl or n, 2)
              if object then whole_at[k] = true end
            end
          end
          -- "Of the deaths, 17,388 were reported in Kashmir": the noun the
          -- sentence opens with
          if not object and sf and first > sf + 3 and norm[first - 1] == "," and norm[sf] == "of" then
            local q = OF_DET[norm[sf + 1]] and sf + 2 or sf + 1
            local e, l = util.match(ti, L.objects, q)
            if e and l == first - 2 then
              object, class = text:sub(st[q], sp[l]), e.row.class -- (the event is after the count)
            end
          end
          -- "4,955 patients are in hospital. Of them, 3,154 are in Dhaka":
          -- of the people the count just before numbered
          local prev = out[#out]
          if not object and sf and first == sf + 3 and norm[sf] == "of" and THEM[norm[sf + 1]]
             and norm[sf + 2] == "," and prev and prev.attrs.class == "person" and st[first] - prev.stop < 300 then
            object, class = prev.attrs.object, "person"
          end
          -- "Of the 23 children killed, 13 were boys": part of the count
          -- the opening phrase holds, and what happened to it
          if sf and norm[sf] == "of" and norm[first - 1] == "," and prev and prev.start > st[sf]
             and prev.attrs.class == "person" and ctx:sentence_at(prev.start) == ctx:sentence_at(st[first]) then
            of_event = prev.attrs.event
            if not object then object, class = prev.attrs.object, "person" end
          end
        end
        -- (money and percentages are not counts anything happens to; nor
        -- is a lone "one" without a noun of people right after it, below)
        local toll
        if not unit and not whole_at[ni]
           and not (lone_one and not one_event
                    and (not oa or oa > (one_of or last + 2) or class and class ~= "person")) then
          event, toll = find_event(L, ti, first, ob or last, sf or 1, sl or n)
          event = event or of_event
        end
        if toll and not class then class = "person" end
        -- "6,607 cases of measles": cases count people where an illness or
        -- its toll is near (or shared in a list, below); "300 cases of
        -- fraud", "in 12 cases" count things
        if class == "case" and CASE_EVENT[event] then class = "person" end
        -- ("Measles cases were recorded at 6,078 in 2021, 5,598 cases in
        -- 2020": an illness, or what it takes people to, in the sentence)
        if class == "case" and not event and sf then
          local nid, mask, eb = ti.nid, util.mask_of, L.eb
          for q = sf, sl or n do
            local e = band(mask[nid[q]], eb) ~= 0 and util.match(ti, L.events, q)
            if e and CASE_EVENT[e.row.event] or CASE_CONTEXT[norm[q]] then
              class, event = "person", "ill"
              break
            end
          end
        end
        -- "the war has claimed more than 24,800 lives", "cost 40 lives"
        if not event and object and ob == oa and norm[oa] == "lives" and LIVES_TAKEN[norm[first - 1]] then
          event = "kill"
        end
        -- "claimed the lives of (a staggering) 550 pilgrims"
        if not event and object then
          local q = first - 1
          while q > first - 4 and q > 1 and kind[q] == "word" and norm[q] ~= "of" do q = q - 1 end
          local verb = norm[q - 2] == "the" and q - 3 or q - 2
          if norm[q] == "of" and norm[q - 1] == "lives" and LIVES_TAKEN[norm[verb]] then event = "kill" end
        end
        -- "at least 22 killed", "3 arrested": what happens to people, with no
        -- noun, counts people
        if not class and not object and PEOPLE_EVENT[event] and not unit then class = "person" end
        -- "a family of five": people
        -- (and "a population of nearly 600")
        local of_people = pre == "of" and (norm[ni - 2] == "family" or norm[ni - 2] == "families"
          or norm[ni - 2] == "population")
        if not object and of_people then
          object, class = text:sub(st[ni - 2], sp[ni - 2]), "person"
        elseif not object and qe and norm[i - 1] == "of" and norm[i - 2] == "population" then
          object, class = text:sub(st[i - 2], sp[i - 2]), "person"
        end
        -- a plural the lexicon lacks, of a shape that names people
        -- ("cultists", "technicians", "linemen"), or one
        -- something happened to as to people ("rioters were arrested")
        if object and not class and ob == oa and person_noun(norm[oa], event) then class = "person" end
        -- "one" alone counts only a person something happened to
        if one_event and event and not object then class = "person" end
        -- ("13 Israelis, 10 Thais and one Filipino", "Two women and one
        -- man were inside": the last item of a list of counts of people)
        local prev = out[#out]
        local one_more = lone_one and class == "person" and oa == last + 1 and prev and prev.attrs.class == "person"
          and st[first] - prev.stop < 80 and ctx:sentence_at(st[first]) == ctx:sentence_at(prev.start)
          and joined_by_and(text:sub(prev.stop + 1, st[first] - 1):gsub(",", " "))
        if lone_one and not list_one and not one_more
           and not (class == "person" and event and (oa and oa <= (one_of or last + 2) or one_event)) then
          skip = true
        end
        -- ("the two survivors", "the two victims", "the three hostages":
        -- the noun says what happened to them)
        if det_small and not (class == "person" and (event or object and EVENTFUL[object:lower()])) then
          skip = true
        end
        -- "the strongest measuring 5.1": a fraction with nothing counted is
        -- a measure ("7.7 million people" has its scale and its noun)
        if nkind == "digits" and floor(v) ~= v and not object and not unit and last == ni then skip = true end
        if after_colon and not (class and event) then skip = true end
        if nkind == "vague" and class ~= "person" then skip = true end
      end
      if not skip then
        local qual
        if qe then qual = text:sub(st[i], sp[qlast]) end
        if between then qual = norm[i] == "between" and text:sub(st[i], sp[i]) or qual end
        if qafter then qual = qual and (qual .. " ... " .. qafter) or qafter end
        if qe then
          local b = qe.row.bound
          if b == "low" then low = low or v
          elseif b == "high" then high = high or v end
          if qe.row.approx then approx = true end
        end
        -- (room for the fields a count has, not for all ten: most are
        -- absent, and a constructor naming them all made a table twice
        -- this size for each of 55k counts in 35 MB)
        local attrs = tnew(0, 8)
        attrs.value, attrs.approx = v, approx or false
        if low ~= nil then attrs.low = low end
        if high ~= nil then attrs.high = high end
        if qual ~= nil then attrs.qualifier = qual end
        if object ~= nil then attrs.object = object end
        if class ~= nil then attrs.class = class end
        if event ~= nil then attrs.event = event end
        if unit ~= nil then attrs.unit = unit end
        if actor and actor.entity then attrs.actor = actor.entity end
        out[#out + 1] = ctx_add(ctx, "quantity", {
          start = st[first], stop = sp[last], label = unit or "count", attrs = attrs,
        })
      end
      i = last + 1
    else
      i = i + 1
    end
    ::next::
  end
  links.link(out, ctx, text, ti, L)
  return out
end

-- Not compiled: the count path. A number's parse and its tests (ranges,
-- qualifiers, the twenty kinds of non-count, the counted noun, the event)
-- run through so many branches that LuaJIT made a side trace of nearly
-- every path: some 900 traces started in this file in one `tag` of the
-- job bench's 12,045 documents, new ones still coming on a second pass,
-- and each of ~1,100 side exits was taken 100 times in the interpreter
-- before its trace existed; side traces it then failed to compile
-- ("register coalescing too complex") came and went from run to run.
-- Interpreted, with next_visit (the scan over the tokens) and the
-- helpers compiled, quantities took 0.49 s against 0.53-0.74 s compiled
-- (tests/bench/RESULTS.md, xq4), as sources and quotes found for theirs.
jit.off(M.quantities)
return M
