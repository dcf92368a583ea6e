-- lector.extract.quantities: counts of people and things, with the value
-- parsed (layer `quantity`). See lector.extract for the span attrs.
--
-- Lexicons: numbers, quantity_qualifiers, quantity_objects,
-- quantity_events, units, dates (months and weekdays: a number next to
-- one is a date, not a count).
local util = require "lector.extract.util"
local band, bor = require("bit").band, require("bit").bor
local FCAP, FHY, FLE, FSB, FUPPER = util.FCAP, util.FHY, util.FLE, util.FSB, util.FUPPER

local tonumber, byte, max = tonumber, string.byte, math.max
local tnew = require "table.new"

local M = {}

M.layer = "quantity"

-- Words before a small spelled-out number that make it a reference ("the
-- two sides", "the last three"), not a count.
local DETERMINERS = {
  the = true, these = true, those = true, its = true, their = true, his = true,
  her = true, our = true, my = true, your = true, last = true, first = true,
  next = true, other = true, ["'s"] = true, every = true, each = true, only = false,
}

-- Words before a number that make it a name or an identifier.
local IDENT = {
  ["no."] = true, number = true, page = true, resolution = true, article = true,
  route = true, highway = true, flight = true, chapter = true, section = true,
  paragraph = true, version = true, model = true, ["#"] = true, room = true,
  unit = true, brigade = true, division = true, battalion = true, regiment = true,
  corps = true, district = true, phase = true, stage = true, aged = true, age = true,
  ["ages"] = true, item = true, point = true, part = true, vol = true, ["vol."] = true,
  ["p."] = true, ["pp."] = true, tel = true, ["tel."] = true, code = true, zone = true,
  sector = true, gate = true, street = true, road = true, ["road."] = true, level = true,
}

-- Words that may start a count besides numbers and qualifiers.
local START = { a = true, an = true, between = true, half = true }

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

-- Determiners allowed between "of" and the counted noun.
local OF_DET = { the = true, its = true, their = true, his = true, her = true,
  them = true, these = true, those = true, our = true, whom = true, which = true }

-- The lexicons by their numbers index (util caches the indexes, so the
-- same lexicons give the same tables), with `starts`: every first word a
-- count can begin with, one lookup a token for the scan.
local lex_cache = setmetatable({}, { __mode = "k" })

local function lex(opts)
  local L = {
    numbers = util.lex_index("numbers", "word", opts),
    quals = util.lex_index("quantity_qualifiers", "phrase", opts),
    objects = util.lex_index("quantity_objects", "noun", opts),
    events = util.lex_index("quantity_events", "word", opts),
    units = util.lex_index("units", "word", opts),
    dates = util.lex_index("dates", "word", opts),
  }
  local old = lex_cache[L.numbers]
  if old and old.quals == L.quals and old.units == L.units then return old end
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
  return L
end

-- (the capital first: most tokens next to a number have none)
local function is_month(L, ti, i)
  if i < 1 or i > ti.n or band(ti.fl[i], FCAP) == 0 then return false end
  local e = util.match(ti, L.dates, i)
  return e ~= nil and (e.row.kind == "month" or e.row.kind == "weekday")
end

local SUFFIX = { m = 1e6, mn = 1e6, k = 1e3, bn = 1e9, b = 1e9 }

-- A digit token's value, or nil (ordinals, times, codes), and the digits
-- without a suffix. Memoised: news repeats its numbers ("2016", "5,000").
local dv_cache, dv_plain, dv_n = {}, {}, 0

local function digits_value_(s)
  local num, suf = s:match("^(%d[%d,]*%.?%d*)(%a*)$")
  if not num then return nil end
  if num:find(",", 1, true) and not num:match("^%d%d?%d?,%d%d%d") then return nil end
  local v = tonumber((num:gsub(",", "")))
  if not v then return nil end
  if suf == "" then return v, num end
  local m = SUFFIX[suf:lower()]
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

-- Parses a number at token i: value, last token, low, high, approx, kind
-- ("digits" | "words"), and whether it was a plain 4-digit integer.
local function parse_number(L, ti, i)
  local norm, kind, text = ti.norm, ti.kind, ti.text
  local n = ti.n
  local k1 = kind[i]
  if k1 ~= "number" and k1 ~= "word" then return nil end
  local b1 = byte(norm[i], 1)
  if k1 == "number" or (b1 >= 48 and b1 <= 57) then
    local s = text:sub(ti.st[i], ti.sp[i])
    local v, plain = digits_value(s)
    if not v then return nil end
    local last = i
    if i < n then
      local e, l = util.match(ti, L.numbers, i + 1)
      if e and e.row.kind == "scale" and kind[i] == "number" and e.row.word ~= "dozen" then
        v = v * tonumber(e.row.value)
        last = l
      end
    end
    local year = last == i and plain == s and #s == 4 and v >= 1000 and v <= 2100
    return v, last, nil, nil, false, "digits", year
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
    return nil
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

local function people_shape(s)
  local r = people_cache[s]
  if r == nil then
    r = s:match("^%l+[^s]s$") ~= nil
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
local function find_object(L, ti, ctx, j, lim)
  local norm, kind = ti.norm, ti.kind
  local p = j + 1
  if norm[p] == "of" then
    p = p + 1
    if OF_DET[norm[p]] then p = p + 1 end
  end
  local actor, head, headi
  local match_of = ctx.match_of
  local stop = p + 5
  if stop > lim then stop = lim end
  local q = p
  while q <= stop do
    local e, l = util.match(ti, L.objects, q)
    if e then
      return ti.text:sub(ti.st[q], ti.sp[l]), q, l, e.row.class, actor
    end
    local m = match_of[q]
    if m then
      actor = actor or m
      q = m.last + 1
    else
      local k, s = kind[q], norm[q]
      if k == "punct" and (s == "-" and (band(ti.fl[q], FHY) ~= 0) or s == '"' or s == "'") then
        q = q + 1
      elseif k ~= "word" or NP_STOP[s] then
        break
      else
        local f = ti.fl[q]
        if band(f, FCAP) ~= 0 and band(f, FUPPER) == 0 and band(ti.fl[q + 1], FCAP) == 0
           and people_shape(s) then
          -- Syrians, Iraqis, Kurds: a people counted
          return ti.text:sub(ti.st[q], ti.sp[q]), q, q, "person", actor
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
  return nil, nil, nil, nil, actor
end

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
  local q = b + 1
  while q <= slast and q <= b + 6 and (kind[q] ~= "punct" or ti.norm[q] == '"') and kind[q] ~= "number" do
    local e = band(mask[nid[q]], eb) ~= 0 and util.match(ti, L.events, q)
    if e then best, bestd = e.row.event, q - b; break end
    q = q + 1
  end
  q = a - 1
  while q >= sfirst and q >= a - 4 and kind[q] ~= "punct" and kind[q] ~= "number" do
    local e = band(mask[nid[q]], eb) ~= 0 and util.match(ti, L.events, q)
    if e then
      if not bestd or a - q < bestd then best = e.row.event end
      break
    end
    q = q - 1
  end
  return best
end

-- The candidates the scan keeps, for count_spans, by column: first and
-- last token, value, low, high, approx, unit, "one" alone, the
-- qualifier's tokens before (c_qa 0: none) and after (c_xa 0: none).
-- Module arrays reused by every call (only 1..K are read). Each column
-- holds one type: NONE (NaN) for no number, "" for no string, 0 and 1
-- for no and yes. A nil stored past an array's end goes to its hash part
-- (the traces storing there exited again and again), and LuaJIT
-- compiles a loop again for each mix of types it loads (true and false
-- are two types to it): the loops over these columns had dozens of
-- variants.
local c_first, c_last, c_v, c_low, c_high, c_approx, c_unit, c_lone = {}, {}, {}, {}, {}, {}, {}, {}
local c_qa, c_qb, c_xa, c_xb = {}, {}, {}, {}
-- and what count_spans finds: sentence bounds (c_sf 0: none), whether
-- the count stays, the counted noun, its tokens, class and actor, the
-- event, the qualifier's text
local c_sf, c_sl, c_ok, c_obj, c_oa, c_ob, c_class, c_actor = {}, {}, {}, {}, {}, {}, {}, {}
local c_event, c_qual = {}, {}
local NONE = 0 / 0

-- The string attrs a count may lack, as their columns: set from the
-- columns by a loop, not by one table constructor, since which of them
-- are absent varies from count to count, and a constructor had LuaJIT
-- trace each combination (and the rest of the loop body after it) apart.
local OPT_KEYS = { "qualifier", "object", "class", "event", "unit", "actor" }
local OPT_COLS = { c_qual, c_obj, c_class, c_event, c_unit, c_actor }

-- The spans of the K candidates, step by step, each step a loop over
-- them all (short loops trace well; one loop doing every step had a
-- trace for each path through them).
local function count_spans(L, ti, ctx, out, K)
  local text, st, sp, n = ti.text, ti.st, ti.sp, ti.n
  -- each candidate's sentence, found by a cursor (they come in text
  -- order); those in boilerplate dropped
  local sfirst, slast = util.sentence_bounds(ctx)
  local si = 1
  for k = 1, K do
    local first = c_first[k]
    c_ok[k] = util.boiler(ctx, st[first], sp[c_last[k]]) and 0 or 1
    local sl = slast[si]
    while sl and sl < first do
      si = si + 1
      sl = slast[si]
    end
    local sf = sl and sfirst[si]
    if sf and sf > first then sf = nil end
    c_sf[k], c_sl[k] = sf or 0, sf and sl or n
  end
  -- the counted noun (none with a unit)
  for k = 1, K do
    local object, oa, ob, class, actor
    if c_ok[k] == 1 and c_unit[k] == "" then
      object, oa, ob, class, actor = find_object(L, ti, ctx, c_last[k], c_sl[k])
    end
    c_obj[k], c_oa[k], c_ob[k], c_class[k] = object or "", oa or 0, ob or 0, class or ""
    c_actor[k] = actor and actor.entity or false
  end
  -- the event; "one" alone counts only a person something happened to
  for k = 1, K do
    local event
    if c_ok[k] == 1 then
      local sf, last, ob = c_sf[k], c_last[k], c_ob[k]
      event = find_event(L, ti, c_first[k], ob > 0 and ob or last, sf > 0 and sf or 1, c_sl[k])
      if c_lone[k] == 1 then
        local oa = c_oa[k]
        if not (c_class[k] == "person" and event and oa > 0 and oa <= last + 2) then c_ok[k] = 0 end
      end
    end
    c_event[k] = event or ""
  end
  -- the qualifier's text
  for k = 1, K do
    local qual = ""
    if c_ok[k] == 1 then
      local qa, xa = c_qa[k], c_xa[k]
      if qa > 0 then qual = text:sub(st[qa], sp[c_qb[k]]) end
      if xa > 0 then
        local qafter = text:sub(st[xa], sp[c_xb[k]])
        qual = qa > 0 and (qual .. " ... " .. qafter) or qafter
      end
    end
    c_qual[k] = qual
  end
  for k = 1, K do
    if c_ok[k] == 1 then
      local attrs = tnew(0, 8)
      attrs.value, attrs.approx = c_v[k], c_approx[k] == 1
      local low, high = c_low[k], c_high[k]
      if low == low then attrs.low = low end
      if high == high then attrs.high = high end
      for j = 1, #OPT_KEYS do
        local x = OPT_COLS[j][k]
        if x and x ~= "" then attrs[OPT_KEYS[j]] = x end
      end
      local unit = c_unit[k]
      out[#out + 1] = ctx:add("quantity", {
        start = st[c_first[k]], stop = sp[c_last[k]], label = unit ~= "" and unit or "count", attrs = attrs,
      })
    end
  end
end

-- The tokens a count may start at, in order: ss[1..NS] (module arrays
-- reused by every call). A token a count may start at is a number, a
-- word of L.starts or a word starting with a byte <= 57, with a number
-- core (a digit token or a number word: every core is such a token) at
-- most L.reach tokens on. Two flat loops, neither with a loop inside
-- (a scan loop inside the candidates loop kept LuaJIT from compiling
-- it, and at times had it blacklisted): the cores (few: one bit test a
-- token), then the tokens at most reach before each.
local ss, cores = {}, {}

-- Whether token p (kind k) is a number core, and whether a count may
-- start at it, past a bit test of its norm id against cb (sb).
local function is_core(L, ti, p, k, cb)
  if k == "number" then return true end
  if band(util.mask_of[ti.nid[p]], cb) == 0 then return false end
  local s = ti.norm[p]
  local b = byte(s, 1)
  return L.core[s] or (k == "word" and b >= 48 and b <= 57) or false
end

local function is_start(L, ti, p, k, sb)
  if k == "number" then return true end
  if band(util.mask_of[ti.nid[p]], sb) == 0 then return false end
  local s = ti.norm[p]
  return L.starts[s] or (k == "word" and byte(s, 1) <= 57) or false
end

local function starts_at(L, ti)
  local kind, n, reach = ti.kind, ti.n, L.reach
  -- the tokens that may be a number core, or start a count (with the
  -- number tokens, whose norms need not start with a digit): a bit test
  -- each skips the others
  local cb = bor(util.scan_bit(L.core), util.MDIGIT)
  local sb = bor(util.scan_bit(L.starts), util.MLOW)
  local NC = 0
  for p = 1, n do
    if is_core(L, ti, p, kind[p], cb) then
      NC = NC + 1
      cores[NC] = p
    end
  end
  local NS = 0
  if NC == 0 then return 0 end
  -- p walks the windows [core - reach, core] in order (they overlap)
  local w, c = 1, cores[1]
  local p = max(c - reach, 1)
  while true do
    if p > c then
      w = w + 1
      if w > NC then break end
      c = cores[w]
      p = max(p, c - reach)
    else
      if is_start(L, ti, p, kind[p], sb) then
        NS = NS + 1
        ss[NS] = p
      end
      p = p + 1
    end
  end
  return NS
end

-- The numbers parsed, for keep_counts, by column (module arrays as
-- the c_ ones): the candidate's first token, the number's first, the
-- count's first and last, the token after, value, low, high, approx,
-- spelled out, a plain year, the qualifier before (entry, last token),
-- "between", skipped already, the qualifier after (tokens, 0: none).
local p_i, p_ni, p_first, p_last, p_after, p_v, p_low, p_high = {}, {}, {}, {}, {}, {}, {}, {}
local p_approx, p_words, p_year, p_qe, p_qlast, p_between = {}, {}, {}, {}, {}, {}
local p_skip, p_xa, p_xb = {}, {}, {}
local NOQE = {} -- p_qe: no qualifier before (a table, as the entries are)

-- The not-a-count tests and the units over the NP numbers parsed (a loop
-- of its own, after the loop that parses them, so that neither body is
-- long); those kept go to the c_ columns. Returns their count.
local function keep_counts(L, ti, NP)
  local norm, kind = ti.norm, ti.kind
  local K = 0
  for q = 1, NP do
    local i, ni, first, last, after = p_i[q], p_ni[q], p_first[q], p_last[q], p_after[q]
    local v, low, high, approx = p_v[q], p_low[q], p_high[q], p_approx[q] == 1
    if low ~= low then low = nil end
    if high ~= high then high = nil end
    local qe, qlast, between, skip = p_qe[q], p_qlast[q], p_between[q] == 1, p_skip[q] == 1
    if qe == NOQE then qe = nil end
    local year, nkind = p_year[q] == 1, p_words[q] == 1 and "words" or "digits"
    local qafter, qafter_l = p_xa[q], p_xb[q]
    local pre = norm[ni - 1]
    local unit
    -- not counts
    if pre and IDENT[pre] then skip = true end
    if year and not qe then skip = true end
    if pre == ":" or norm[after] == ":" and kind[after + 1] == "number" then skip = true end
    if pre == "/" or (norm[after] == "/" and kind[after + 1] == "number") then skip = true end
    if pre == "-" and (band(ti.fl[ni - 1], FHY) ~= 0) and kind[ni - 2] == "word" then skip = true end
    if pre == "(" and norm[after] == ")" then skip = true end
    if (ni == 1 or band(ti.fl[ni - 1], FLE) ~= 0) and (norm[after] == "." or norm[after] == ")") then
      skip = true
    end
    if (first == 1 or (band(ti.fl[first - 1], FLE) ~= 0)) and (band(ti.fl[last], FLE) ~= 0) then skip = true end
    if nkind == "words" and v <= 10 and not qe and not low and DETERMINERS[pre] then skip = true end
    local lone_one = v == 1 and not qe and not high
    if ni > 1 and (band(ti.fl[ni - 1], FCAP) ~= 0) and kind[ni - 1] == "word" and nkind == "digits"
       and band(ti.fl[ni], FSB) == 0 then skip = true end
    -- (the lexicon lookups last, for what the tests above kept)
    if not skip and (is_month(L, ti, ni - 1) or is_month(L, ti, last + 1)) then skip = true end
    -- units
    if not skip then
      local e = util.match(ti, L.units, after)
      if e and e.row.position == "after" then
        if e.row.unit == "money" or e.row.unit == "percent" then
          unit = e.row.unit
        elseif not (util.match(ti, L.objects, after)) then
          skip = true
        end
      end
      if not skip and ni > 1 then
        local e2 = util.match(ti, L.units, ni - 1)
        if e2 and e2.row.position == "before" then
          unit = e2.row.unit
          if first == ni then first = ni - 1 end
        end
      end
    end
    if not skip then
      if qe then
        local b = qe.row.bound
        if b == "low" then low = low or v
        elseif b == "high" then high = high or v end
        if qe.row.approx then approx = true end
      end
      K = K + 1
      c_first[K], c_last[K], c_v[K], c_low[K], c_high[K] = first, last, v, low or NONE, high or NONE
      c_approx[K], c_unit[K], c_lone[K] = approx and 1 or 0, unit or "", lone_one and 1 or 0
      c_qa[K], c_qb[K] = qe and i or (between and norm[i] == "between" and i) or 0, qe and qlast or i
      c_xa[K], c_xb[K] = qafter or 0, qafter_l or 0
    end
  end
  return K
end

-- The numbers at the tokens a count may start at (starts_at), with the
-- qualifier before and after and the range they make, to the p_
-- columns. Returns their count. A count found goes on past its last
-- token: a candidate inside it is not one.
local function parse_all(L, ti)
  local norm, kind, n = ti.norm, ti.kind, ti.n
  local NP = 0
  local NS = starts_at(L, ti) -- where a count may start: tokens ss[1] < ... < ss[NS]
  local nexti = 1 -- the next token a count may start at
  for ci = 1, NS do
    local i = ss[ci]
    if i < nexti then goto continue end
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
      local after = last + 1
      -- ranges: 200-300, 20 to 30, between 20 and 30, two or three
      local sep = norm[after]
      -- A dash between two numbers with no space either side is a range
      -- whichever dash it is (2,000–3,000: an en dash joins nothing).
      local tight = sep == "-" and band(ti.fl[after], FSB) == 0 and after < n
        and band(ti.fl[after + 1], FSB) == 0
      if sep == "-" and ((band(ti.fl[after], FHY) ~= 0) or tight) and band(ti.fl[after], FSB) == 0
         or sep == "to" or sep == "or"
         or (sep == "and" and between) then
        local v2, last2 = parse_number(L, ti, after + 1)
        if v2 and v2 > v then
          low, high, last = v, v2, last2
          after = last + 1
          if between then first = i end
        elseif sep == "-" and (band(ti.fl[after], FHY) ~= 0) then
          if not v2 and norm[after + 1] ~= "strong" then skip = true end -- 12-year-old
        end
      end
      if between and not high then first = ni end
      -- qualifiers after: 3,000+, 150 or so, or more
      local qafter, qafter_l
      do
        local e, l = util.match(ti, L.quals, after)
        if e and e.row.position == "after" and not (norm[after] == "+" and (band(ti.fl[after], FSB) ~= 0)) then
          if e.row.bound == "low" then low = low or v end
          if e.row.approx then approx = true end
          qafter, qafter_l = after, l
          last, after = l, l + 1
        end
      end
      NP = NP + 1
      p_i[NP], p_ni[NP], p_first[NP], p_last[NP], p_after[NP] = i, ni, first, last, after
      p_v[NP], p_low[NP], p_high[NP], p_approx[NP] = v, low or NONE, high or NONE, approx and 1 or 0
      p_words[NP], p_year[NP], p_qe[NP], p_qlast[NP] = nkind == "words" and 1 or 0, year and 1 or 0, qe or NOQE,
        qlast or 0
      p_between[NP], p_skip[NP], p_xa[NP], p_xb[NP] = between and 1 or 0, skip and 1 or 0, qafter or 0, qafter_l or 0
      nexti = last + 1
    end
    ::continue::
  end
  return NP
end

--- quantities(ctx_or_text [, opts]) -> array of spans (layer "quantity").
function M.quantities(c, opts)
  local _, ctx, ti, L = util.start(c, opts, "quantities", lex)
  local out = {}
  local NP = parse_all(L, ti)
  local K = NP > 0 and keep_counts(L, ti, NP) or 0
  if K > 0 then count_spans(L, ti, ctx, out, K) end
  return out
end

return M
