-- lector.candidates: names the text uses that a gazetteer lacks.
--
--   local c = lector.candidates.new { gazetteer = g }   -- g optional
--   c:add(text, "doc-1")                                 -- per document
--   for _, r in ipairs(c:results()) do print(r.name, r.mentions, r.type) end
--
-- A candidate is a run of capitalised words, with the connectors names
-- hold inside (al-, bin, of the, for the: "Institute for the Study of
-- War"), that no gazetteer match covers. Not candidates: a sentence's
-- first word, months and weekdays, words of headline lines (most words
-- capitalised), lone function words. Each result has its mentions,
-- documents, a guessed type from cue words (Brigade, Forces, Army -> ORG;
-- in/near/outside X -> PLACE; a title before or `said` after -> PERSON),
-- two contexts, and the known entity it may be a variant of (same
-- transliteration key, lector.translit).
local check = require "lector.check"
local token = require "lector.token"
local translit = require "lector.translit"
local subject = require "lector.extract.subject"
local core = require "lector.core"

local C = core.C
local type, tonumber = type, tonumber
local bit = require "bit"
local band = bit.band

local M = {}

local F_CAP, F_UPPER = C.LECTOR_TF_CAP, C.LECTOR_TF_UPPER
local F_HYPHEN = C.LECTOR_TF_HYPHEN_JOINED
local F_LINE_END, F_PARA_END = C.LECTOR_TF_LINE_END, C.LECTOR_TF_PARA_END
local TK_WORD = C.LECTOR_TK_WORD

local function set(list)
  local s = {}
  for w in list:gmatch("%S+") do s[w] = true end
  return s
end

-- Lower-case words a name holds inside ("Institute for the Study of War",
-- "Osama bin Laden", "Abu Bakr al-Baghdadi").
M.connectors = set("al el bin ibn bint of the for de du da del von van ul ad ar as ash az at an ez")
-- Capitalised words that are no name by themselves.
M.function_words = set([[the a an in on at of for and but or if it its this that these those
  he she they we i you his her their our my as by to from with while when where what who
  which there here after before during since until although though however meanwhile also
  according some many most all both each every one two three no not yet so then thus
  mr mrs ms dr]])
M.org_cues = set([[brigade brigades forces force army front movement party council committee
  institute observatory ministry group organisation organization agency union corps division
  regiment battalion battalions units unit guard guards coalition alliance network
  foundation center centre commission office bureau company news agency television tv
  radio times post journal daily press service services militia faction]])
M.place_cues = set("in near outside around from into across towards toward entered captured besieged")
M.person_titles = set([[president minister general colonel lieutenant major sheikh commander
  spokesman spokeswoman parliamentarian chairman deputy secretary senator ambassador
  mr mrs ms dr prince king emir leader chief envoy analyst journalist correspondent professor
  admiral captain brigadier]])
-- Words for peoples and their adjectives: a lone one is no candidate
-- (Syrian army, Jihadi sources), besides any word ending -ian, -ish, -ese.
M.demonyms = set([[arab arabs jihadi jihadis western eastern northern southern iraqi iraqis
  turks kurds american americans islamic islamist islamists sunni sunnis shia shiite shiites
  alawite alawites israeli israelis saudi saudis qatari european europeans western westerners
  french german dutch swiss greek jewish muslim muslims christian christians afghan]])
M.speech = set("said says told added stated claimed noted explained wrote")


local Cand = {}
Cand.__index = Cand

--- lector.candidates.new([opts]): opts.gazetteer (matches are not
-- candidates; its entities are what variants are found among),
-- opts.contexts (default 2), opts.width (context bytes each side, 60).
function M.new(opts)
  if opts ~= nil and type(opts) ~= "table" then
    check.argerr(1, "new", "table", opts)
  end
  opts = opts or {}
  local self = setmetatable({ g = opts.gazetteer, ncontexts = opts.contexts or 2,
    width = opts.width or 60, by = {}, order = {}, ndocs = 0, lower = {} }, Cand)
  -- known entities by key, for "variant of"
  self.known = {}
  if self.g then
    local n = self.g:stats().entries
    for id = 0, n - 1 do
      local e = self.g:entry(id)
      local k = translit.key(e.alias)
      if k and not self.known[k] then self.known[k] = e.entity end
    end
  end
  return self
end

local function norm_of(tok) return token.norm_string(tok.norm) end

-- After an opening bracket or quote, a colon, or at a line's start: as
-- good as a sentence's first word.
local opening = set([[( " “ ‘ : [ ' « /]])
local function after_opening(t, i)
  if i == 0 then return true end
  local p = t[i - 1]
  if band(p.flags, F_LINE_END + F_PARA_END) ~= 0 then return true end
  return p.kind ~= TK_WORD and opening[token.norm_string(p.norm)] ~= nil
end

-- Whether lines are headlines: per line, most words capitalised and no
-- sentence's end at the line's end, or nearly all words capitalised.
-- Returns a table token index -> true.
local enders = set([[. ! ? " ” ' ’ …]])
local function headline_tokens(t, n)
  local out, first = {}, 0
  local words, caps = 0, 0
  for i = 0, n - 1 do
    local tk = t[i]
    if tk.kind == TK_WORD then
      words = words + 1
      if band(tk.flags, F_CAP) ~= 0 then caps = caps + 1 end
    end
    if band(tk.flags, F_LINE_END + F_PARA_END) ~= 0 or i == n - 1 then
      local ended = t[i].kind ~= TK_WORD and enders[token.norm_string(t[i].norm)]
      if words >= 3 and (caps / words >= 0.9 or (not ended and caps / words >= 0.6)) then
        for k = first, i do out[k] = true end
      end
      first, words, caps = i + 1, 0, 0
    end
  end
  return out
end

--- c:add(text [, docid]): the candidates of one document.
function Cand:add(text, docid)
  if type(text) ~= "string" then
    check.argerr(1, "add", "string", text)
  end
  self.ndocs = self.ndocs + 1
  docid = docid or self.ndocs
  local toks = token.tokenize(text)
  local t, n = toks.t.tok, tonumber(toks.t.n)
  local covered = {}
  if self.g then
    local arr, nm = self.g:match_array(toks)
    for k = 0, nm - 1 do
      for i = arr[k].first, arr[k].last do covered[i] = true end
    end
  end
  local sent_first = {}
  local sa, ns = toks:sentence_array()
  for k = 0, ns - 1 do sent_first[sa[k].first] = true end
  local head = headline_tokens(t, n)
  local cal = subject.calendar_words()
  local lower = self.lower
  for k = 0, n - 1 do
    local tk = t[k]
    if tk.kind == TK_WORD and band(tk.flags, F_CAP) == 0 then
      local id = tk.norm
      lower[id] = (lower[id] or 0) + 1
    end
  end
  local function is_name_word(i)
    local tk = t[i]
    if tk.kind ~= TK_WORD or band(tk.flags, F_CAP) == 0 or covered[i] or head[i] then return false end
    if band(tk.flags, F_UPPER) ~= 0 then -- acronyms of 3 to 5 capitals; no shouting
      local len = tk["end"] - tk.start
      if len < 3 or len > 5 then return false end
    end
    local w = norm_of(tk)
    return not cal[w] and not M.function_words[w]
  end
  local i = 0
  while i < n do
    if is_name_word(i) and not sent_first[i] and not after_opening(t, i) then
      local a, b, j = i, i, i + 1
      while j < n do
        local tk = t[j]
        if is_name_word(j) then
          b = j
          j = j + 1
        elseif (tk.kind == TK_WORD and M.connectors[norm_of(tk)] and band(tk.flags, F_CAP) == 0
                and not covered[j]) or (band(tk.flags, F_HYPHEN) ~= 0 and tk.kind ~= TK_WORD) then
          j = j + 1 -- a connector: kept only if a name word follows
        else
          break
        end
      end
      -- Titles before a name are cues, not the name (Deputy Foreign
      -- Minister Sergey Ryabkov); an organisation's cue word ends it
      -- (Security Committee | Franz Klintsevich).
      local titled = false
      for k = a, b - 1 do
        if t[k].kind == TK_WORD and M.person_titles[norm_of(t[k])] then a, titled = k + 1, true end
      end
      while t[a].kind ~= TK_WORD or band(t[a].flags, F_CAP) == 0 do a = a + 1 end
      local s = a
      for k = a, b - 1 do
        if t[k].kind == TK_WORD and M.org_cues[norm_of(t[k])] and is_name_word(k + 1) then
          self:_mention(text, t, n, s, k, docid, false)
          s = k + 1
        end
      end
      self:_mention(text, t, n, s, b, docid, titled and s == a)
      i = b + 1
    else
      i = i + 1
    end
  end
  toks:release()
end

function Cand:_mention(text, t, n, a, b, docid, titled)
  local name = text:sub(t[a].start + 1, t[b]["end"]):gsub("%s+", " ")
  local r = self.by[name]
  if not r then
    r = { name = name, mentions = 0, documents = 0, docs = {}, votes = { ORG = 0, PLACE = 0, PERSON = 0 },
          contexts = {} }
    self.by[name] = r
    self.order[#self.order + 1] = r
  end
  r.mentions = r.mentions + 1
  if not r.docs[docid] then
    r.docs[docid] = true
    r.documents = r.documents + 1
  end
  for k = a, b do
    if t[k].kind == TK_WORD and M.org_cues[norm_of(t[k])] then
      r.votes.ORG = r.votes.ORG + 2
      break
    end
  end
  local p = a - 1
  while p >= 0 and t[p].kind ~= TK_WORD do p = p - 1 end
  if titled then r.votes.PERSON = r.votes.PERSON + 1 end
  r.words = b - a + 1
  if b == a then r.norm = t[a].norm end
  if p >= 0 then
    local w = norm_of(t[p])
    if M.place_cues[w] then r.votes.PLACE = r.votes.PLACE + 1 end
    if M.person_titles[w] then r.votes.PERSON = r.votes.PERSON + 1 end
  end
  local q = b + 1
  while q < n and t[q].kind ~= TK_WORD do q = q + 1 end
  if q < n and M.speech[norm_of(t[q])] then r.votes.PERSON = r.votes.PERSON + 1 end
  if #r.contexts < self.ncontexts and (#r.contexts == 0 or r.last_doc ~= docid or r.documents == 1) then
    local s, e = t[a].start + 1, t[b]["end"]
    local cs = math.max(1, s - self.width)
    local ctx = text:sub(cs, s - 1) .. "[" .. text:sub(s, e) .. "]" .. text:sub(e + 1, e + self.width)
    r.contexts[#r.contexts + 1] = (ctx:gsub("%s+", " "))
    r.last_doc = docid
  end
end

--- The candidates, ranked by mentions then documents then name:
-- {name, mentions, documents, type (ORG/PLACE/PERSON or nil), contexts
-- {...}, variant_of (an entity of the gazetteer, or nil), key}.
function Cand:results()
  local out = {}
  for _, r in ipairs(self.order) do
    -- a lone word the text also writes in lower case, or a people's
    -- word, is no name
    local w = r.norm and token.norm_string(r.norm)
    if w and ((self.lower[r.norm] or 0) > 0 or M.demonyms[w] or M.person_titles[w] or M.org_cues[w]
        or w:find("ian$") or w:find("ians$")
        or w:find("ish$") or w:find("ese$")) then
      goto next
    end
    do
    local best, bv = nil, 0
    for _, ty in ipairs { "ORG", "PERSON", "PLACE" } do
      if r.votes[ty] > bv then best, bv = ty, r.votes[ty] end
    end
    local key = translit.key(r.name)
    out[#out + 1] = { name = r.name, mentions = r.mentions, documents = r.documents, type = best,
                      contexts = r.contexts, key = key, variant_of = key and self.known[key] or nil }
    end
    ::next::
  end
  table.sort(out, function(x, y)
    if x.mentions ~= y.mentions then return x.mentions > y.mentions end
    if x.documents ~= y.documents then return x.documents > y.documents end
    -- a type from a cue word says it is a name
    if (x.type ~= nil) ~= (y.type ~= nil) then return x.type ~= nil end
    return x.name < y.name
  end)
  return out
end

return M
