-- lector.extract.claims: which claims (the quantities and quotes of a
-- document) each attribution the sources extractor found covers, and the
-- speakers and sources those claims get from it. sources.lua finds the
-- attributions; this links them (claims.link), then adds them to the
-- context.
local util = require "lector.extract.util"

local Ctx = require("lector.context").Context
local band = require("bit").band
local FLE, FPE = util.FLE, util.FPE

local M = {}

-- (a speaker the quote layer left as one of the PRONOUN words is nobody
-- named yet)
local W = require "lector.extract.source_words"
local PRONOUN, LABELLED = W.PRONOUN, W.LABELLED

-- Spans by start (a comparator made once: a closure made in each call
-- stops LuaJIT's traces through it).
local function by_start_cmp(x, y) return x.start < y.start end

-- Sorts spans by start. They almost always come in order already, and
-- then table.sort (a C function: a trace stops there and starts again
-- after it) is not called: with starts strictly rising there is one
-- order, so skipping it changes nothing; ties or disorder go to it.
local function sort_by_start(spans)
  for j = 2, #spans do
    if spans[j].start <= spans[j - 1].start then
      table.sort(spans, by_start_cmp)
      return
    end
  end
end

-- Sorts an array of numbers (a source's claims: a few, nearly in order)
-- by insertion: equal numbers are alike, so this is table.sort's result.
local function sort_numbers(a)
  for j = 2, #a do
    local v = a[j]
    local k = j - 1
    while k >= 1 and a[k] > v do
      a[k + 1] = a[k]
      k = k - 1
    end
    a[k + 1] = v
  end
end

-- The index in spans (sorted by start) of the last one starting before pos.
local function before(spans, pos)
  local lo, hi = 1, #spans
  while lo <= hi do
    local mid = math.floor((lo + hi) / 2)
    if spans[mid].start < pos then lo = mid + 1 else hi = mid - 1 end
  end
  return hi
end

-- The speech quote (of speech, sorted by start) around span q, or nil.
local function quote_around(speech, q)
  local hi = before(speech, q.start)
  -- quotes nest only a few deep: the nearest starts before q are enough
  for j = hi, math.max(1, hi - 8), -1 do
    local qq = speech[j]
    if q.start > qq.start and q.stop < qq.stop then return qq end
  end
end

-- Whether the attribution s is set off by a comma at its sentence's end:
-- "..., state media reported."
local function trailing(ti, s)
  local q = s._last + 1
  return ti.norm[s._first - 1] == "," and (ti.kind[q] == nil or ti.kind[q] == "punct"
    and ti.norm[q] ~= "," and ti.norm[q] ~= ":")
end

-- hint: the sentence of the span assigned before (spans come mostly in
-- text order; sentence_at answers the same with or without it). Returns
-- the span's sentence, the next call's hint.
-- pos: where the span is read from (its start unless given).
local function assign(ctx, ti, by_sent, carry, span, hint, pos)
  local st = ti.st
  pos = pos or span.start
  local si = ctx:sentence_at(pos, hint)
  if not si then return hint end
  local list = by_sent[si]
  local best, after
  if list then
    for k = 1, #list do
      local s = list[k]
      if st[s._anchor] <= pos then best = s
      elseif not after then after = s end
    end
  end
  -- "X said a truce would work if ..., where mortar fire killed one
  -- person, state media reported.": an attribution set off at the end of
  -- the sentence covers the clause it closes, past a comma after X's
  if best and after and trailing(ti, after) then
    local c = ti.text:find(",", ti.sp[best._last] + 1, true)
    if c and c < pos then best = nil end
  end
  local s = best or after or carry[si]
  if not s then return si end
  span.attrs.source, span.attrs.source_entity = s.attrs.source, s.attrs.source_entity
  local cl = s.attrs.claims
  cl[#cl + 1] = span.start
  return si
end

-- claims: each quote and quantity gets the attribution in its sentence
-- whose verb comes last before it, else the first after it; a sentence
-- ending in ":" reaches over the next paragraph. Then the spans go to
-- the context.
function M.link(ctx, ti, out, slast)
  local norm = ti.norm
  local by_sent = {}
  for k = 1, #out do
    local s = out[k]
    s.attrs.claims = {}
    local si = s._sent
    local list = by_sent[si] or {}
    by_sent[si] = list
    list[#list + 1] = s
  end
  local carry = {}
  for k = 1, #out do
    local s = out[k]
    local sl = s._sent and slast[s._sent]
    if sl and norm[sl] == ":" then
      -- the next paragraph's sentences that name no source of their own
      local q = s._sent + 1
      while slast[q] do
        if not by_sent[q] then carry[q] = s end
        local lf = ti.fl[slast[q]]
        if band(lf, FLE) ~= 0 or band(lf, FPE) ~= 0 then break end
        q = q + 1
      end
    end
  end
  local quotes = Ctx.spans(ctx, "quote")
  -- The first attribution of each source (claims carried by a source go
  -- to it), and the attributions in text order: lookups, not scans, so a
  -- long document costs what its parts cost.
  local first_of = {}
  for j = 1, #out do
    local src = out[j].attrs.source
    if src ~= nil and first_of[src] == nil then first_of[src] = out[j] end
  end
  local by_start = {}
  for j = 1, #out do by_start[j] = out[j] end
  sort_by_start(by_start)
  -- (the first line: a headline, whose quotes are no one's words here)
  local headline_end = ti.text:find("\n", 1, true) or 0
  local prevq, hint
  for k = 1, #quotes do
    local q = quotes[k]
    if q.label == "speech" then
      hint = assign(ctx, ti, by_sent, carry, q, hint)
      local qa = q.attrs
      if not qa.source and qa.verb then
        -- '"The situation is under control. Our forces hold it," X said':
        -- a quote of two sentences, its attribution after the second
        assign(ctx, ti, by_sent, carry, q, nil, q.stop)
      end
      if not qa.source and qa.resolved then
        -- "he said" and a quote continuing the one before: the source
        -- that named that speaker, or the previous quote's
        local src
        if qa.resolved == "pronoun" then
          -- the nearest attribution before the quote that names the
          -- speaker (a few hundred back at most)
          for j = before(by_start, q.start), math.max(1, before(by_start, q.start) - 300), -1 do
            local o = by_start[j]
            if o.attrs.text == qa.speaker or o.attrs.source == qa.speaker_entity then
              src = o
              break
            end
          end
        end
        if src then
          qa.source, qa.source_entity = src.attrs.source, src.attrs.source_entity
          src.attrs.claims[#src.attrs.claims + 1] = q.start
        elseif prevq and prevq.attrs.source then
          qa.source, qa.source_entity = prevq.attrs.source, prevq.attrs.source_entity
          local o = first_of[qa.source]
          if o then
            local cl = o.attrs.claims
            cl[#cl + 1] = q.start
          end
        end
      end
      -- a quote an attribution covers whose speaker the quote layer did
      -- not find ('"...," Matt James, commanding officer, Station
      -- Islamorada, said') or left a bare pronoun: the source is who
      -- spoke (a quote passed on through an outlet, its first teller)
      if qa.source and (qa.speaker == nil or not qa.resolved and PRONOUN[qa.speaker:lower()]) then
        qa.speaker, qa.speaker_entity, qa.resolved = qa.source, qa.source_entity, "source"
      end
      prevq = q
    elseif q.label == "scare" and (q.attrs.words or 0) >= 2 then
      -- 'has killed "up to 100" people, a rights group said', 'is
      -- "gravely concerned", a spokesman said': words quoted inside what
      -- an attribution in their sentence reports are its words (not after
      -- "so-called", "what it called", "dubbed": a label)
      local si = ctx:sentence_at(q.start)
      local word_before = ti.text:sub(q.start > 24 and q.start - 24 or 1, q.start - 1):lower():match("(%a+)%W*$")
      -- (not in a headline: "Iran strikes 'Israeli spy HQ' in Erbil,
      -- Kurdish officials say" quotes Iran, not the officials)
      if si and by_sent[si] and not LABELLED[word_before or ""] and q.start > headline_end then
        assign(ctx, ti, by_sent, carry, q, nil)
        local qa = q.attrs
        if qa.source then
          q.label = "speech"
          qa.speaker, qa.speaker_entity, qa.resolved = qa.source, qa.source_entity, "source"
        end
      end
    end
  end
  local qs = Ctx.spans(ctx, "quantity")
  -- speech quotes with a source, by start, for the figures inside them
  local speech = {}
  for j = 1, #quotes do
    local qq = quotes[j]
    if qq.label == "speech" and qq.attrs.source then speech[#speech + 1] = qq end
  end
  sort_by_start(speech)
  hint = nil
  for k = 1, #qs do
    local q = qs[k]
    -- inside a speech quote: the quote's source
    local qq = quote_around(speech, q)
    if qq then
      q.attrs.source, q.attrs.source_entity = qq.attrs.source, qq.attrs.source_entity
      local o = first_of[qq.attrs.source]
      if o then
        local cl = o.attrs.claims
        cl[#cl + 1] = q.start
      end
    else
      hint = assign(ctx, ti, by_sent, carry, q, hint)
    end
  end
  for k = 1, #out do
    local s = out[k]
    s._anchor, s._sent, s._first, s._last, s._person = nil, nil, nil, nil, nil
    sort_numbers(s.attrs.claims)
    Ctx.add(ctx, "source", s)
  end
end

-- Not compiled: the claims' loops were cheaper interpreted (measured:
-- tests/bench/RESULTS.md), as the attribution code is.
jit.off(M.link)
return M
