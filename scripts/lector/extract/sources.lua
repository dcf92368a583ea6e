-- lector.extract.sources: who the text attributes claims to (layer
-- `source`), and which claims (quantities, speech quotes) each covers.
-- Lexicons: speech_verbs, outlets, anonymous_sources.
local util = require "lector.extract.util"
local subject = require "lector.extract.subject"
local claims = require "lector.extract.claims"
local W = require "lector.extract.source_words"
local STOP, WHO_AUX, NOT_HEAD, MODAL, GROUPWORD, OWNER, OF_LIKE, UNIT, ONLY_BEFORE_THAT, ADDED_WHERE, NEGATION,
  MEANS, IT_BODY, FIGURE, PAPER, NOT_INVERTED, OPENING_PARTICIPLE, CHARGE_VERB, ENVOY, PRO_ANTI, OF_BODY, NOBODY,
  DETERMINER_CAP, PRONOUN, CLAIM_NOUNS, PREP_BEFORE, RELATIVE, WITH_PARTICIPLE, LY_NOUN, DOCUMENT =
  W.STOP, W.WHO_AUX, W.NOT_HEAD, W.MODAL, W.GROUPWORD, W.OWNER, W.OF_LIKE, W.UNIT, W.ONLY_BEFORE_THAT, W.ADDED_WHERE,
  W.NEGATION, W.MEANS, W.IT_BODY, W.FIGURE, W.PAPER, W.NOT_INVERTED, W.OPENING_PARTICIPLE, W.CHARGE_VERB, W.ENVOY,
  W.PRO_ANTI, W.OF_BODY, W.NOBODY, W.DETERMINER_CAP, W.PRONOUN, W.CLAIM_NOUNS, W.PREP_BEFORE, W.RELATIVE,
  W.WITH_PARTICIPLE, W.LY_NOUN, W.DOCUMENT
local lexicon_map = require("lector.extract.lexicon").map
local band = require("bit").band
local FCAP, FHY, FLE, FPE, FSB, FUPPER = util.FCAP, util.FHY, util.FLE, util.FPE, util.FSB, util.FUPPER

local M = {}

M.layer = "source"

-- "WHO" in capitals is the World Health Organization, not a relative
-- pronoun ("The WHO said").
local function is_who_acronym(ti, q)
  return ti.norm[q] == "who" and band(ti.fl[q], FUPPER) ~= 0
end

local function who_clause(ti, a, i)
  -- (a verb in the past: "claims" after "assert federal" is a noun)
  if i - a < 2 or WHO_AUX[ti.norm[a]] or ti.norm[i - 1] == "to" or ti.norm[i]:sub(-1) == "s" then
    return false
  end
  for q = a, i - 1 do
    local s = ti.norm[q]
    if s == "and" or s == "or" or s == "but" or s == "," then return false end
  end
  return true
end

-- Whether token q is an acronym in capitals ("DPR", "SDF"; not "I", nor
-- initials such as "AH Mahmood Ali").
local function acronym(ti, q)
  if ti.kind[q] ~= "word" or ti.sp[q] - ti.st[q] < 2 then return false end
  return not ti.text:sub(ti.st[q], ti.sp[q]):find("[^%u]")
end

local ADVERB = subject.ADVERB

local lead_phrase_end

local function is_break(ti, q)
  local k, s = ti.kind[q], ti.norm[q]
  -- (nor the "&" inside a name: "AT&T", "Texas A&M", "Marks & Spencer")
  return k == "punct" and not (s == "-" and (band(ti.fl[q], FHY) ~= 0))
    and not (s == "&" and ti.kind[q - 1] == "word" and ti.kind[q + 1] == "word"
             and band(ti.fl[q - 1], FCAP) ~= 0 and band(ti.fl[q + 1], FCAP) ~= 0)
end

-- Forms of "be" before a passive ("was quoted as saying").
local PASSIVE_BE = subject.PASSIVE_BE

local function adverb_at(ti, q)
  local s = ti.norm[q]
  return ADVERB[s] or ti.kind[q] == "word" and band(ti.fl[q], FCAP) == 0 and #s > 4 and s:sub(-2) == "ly"
    and not LY_NOUN[s]
end

-- A phrase that opens a sentence before its subject, with no comma: "In
-- a statement the company said", "On Monday the ministry said", "In an
-- interview with Reuters the minister said", "Speaking to Reuters the
-- minister said": the subject a..b starts at
-- its last determiner (or after a weekday or month the preposition
-- governs), not at the preposition.
-- Whether the capitalised word at token q ended a name of two or more
-- capitalised words before it ("John Cooper ... Cooper heaped praise").
local function surname_seen(ti, q)
  local norm, kind, fl = ti.norm, ti.kind, ti.fl
  if kind[q] ~= "word" or band(fl[q], FCAP) == 0 then return false end
  local w = norm[q]
  for p = 2, q - 1 do
    if norm[p] == w and kind[p - 1] == "word" and band(fl[p - 1], FCAP) ~= 0 and band(fl[p], FCAP) ~= 0
       and not is_break(ti, p - 1) then
      return true
    end
  end
  return false
end

-- Verbs of asking and ordering: with an infinitive after their object
-- they report a request, not a claim.
local REQUEST = { asked = true, asks = true, asking = true, urged = true, urges = true, urging = true,
  told = true, tells = true, telling = true, ordered = true, instructed = true, advised = true,
  encouraged = true, begged = true, invited = true }
-- Words after "to" that make it a preposition ("told it to the court").
local NOT_INFINITIVE = { the = true, a = true, an = true, his = true, her = true, their = true, its = true,
  this = true, these = true, those = true, our = true, my = true, your = true, him = true, them = true,
  me = true, us = true, whom = true }

-- What follows a progressive's speech verb when it reports words
-- ("authorities are warning that", "people are saying, '...'"), not
-- what it does ("was adding his bit", "is arguing before the court").
local PROGRESSIVE_NEXT = { that = true, [","] = true, [":"] = true, ['"'] = true }

local LEAD_PREP = { ["in"] = true, on = true, at = true, during = true, after = true, before = true,
  following = true, since = true }
local LEAD_DET = { the = true, a = true, an = true, its = true, his = true, her = true, their = true }
function lead_phrase_end(ti, a, b)
  local norm = ti.norm
  if not (LEAD_PREP[norm[a]] or OPENING_PARTICIPLE[norm[a]]) or band(ti.fl[a], FCAP) == 0 then return a end
  for p = b - 1, a + 2, -1 do
    if LEAD_DET[norm[p]] then return p end
  end
  if a + 1 < b and subject.calendar(ti, a + 1) and band(ti.fl[a + 2], FCAP) ~= 0 then return a + 2 end
  return a
end

local function back(ti, verbs, v, lo)
  local q = v - 1
  -- ("authorities are warning", "has been saying": a progressive's
  -- auxiliaries, as the adverbs)
  local ing = ti.norm[v]:sub(-3) == "ing"
  while q >= lo and (adverb_at(ti, q) or ing and PASSIVE_BE[ti.norm[q]]) do q = q - 1 end
  -- "The International Committee of the Red Cross (ICRC) said": the name
  -- before its acronym
  q = subject.before_acronym(ti, lo, q)
  local last = q
  local count = 0
  while q >= lo and count < 18 do
    local s = ti.norm[q]
    -- (a plural's possessive goes on: "a doctors' committee said")
    local possessive = s == "'" and q > lo and ti.kind[q - 1] == "word" and ti.norm[q - 1]:sub(-1) == "s"
      and ti.kind[q + 1] == "word"
    if is_break(ti, q) and not possessive
       or STOP[s] and not (s == "with" and WITH_PARTICIPLE[ti.norm[q - 1]]) and not is_who_acronym(ti, q)
       or s == '"' then
      break
    end
    if util.match(ti, verbs, q) and not subject.not_verb(ti, q) then break end -- (not "Omar Said")
    q, count = q - 1, count + 1
  end
  if q + 1 > last then return nil end
  -- "Speaking with Reuters the minister said": the walk stopped at the
  -- participle's preposition; the subject is after its phrase
  local p = q - 1
  if p >= lo and (ti.norm[q] == "with" or ti.norm[q] == "to") and OPENING_PARTICIPLE[ti.norm[p]] then
    local a = lead_phrase_end(ti, p, last)
    if a > p then return a, last end
  end
  return lead_phrase_end(ti, q + 1, last), last
end

local function fwd(ti, a, hi, maxn)
  local q = a
  local count = 0
  while q <= hi and count < (maxn or 10) do
    if is_break(ti, q) or STOP[ti.norm[q]] and not is_who_acronym(ti, q) or ti.norm[q] == '"' then break end
    q, count = q + 1, count + 1
  end
  if q - 1 < a then return nil end
  return a, q - 1
end

-- The outlet or the gazetteer match covering token q, or nil. match_of
-- is read only where raw_matches.of says a match covers q: for any
-- other token it calls its __index (a metamethod call from code that
-- runs interpreted), and most tokens asked about are such.
local function match_at(ctx, outlets, q)
  local m = outlets[q]
  if m then return m end
  if ctx.raw_matches.of[q] then return ctx.match_of[q] end
  return nil
end

-- The outlet a sentence from token lo opens with as the one spoken to
-- ("Speaking to Reuters, ...", "Talking to the BBC from Kyiv, ...", "In
-- an interview with CNN, ..."), the subject at token a: its match, or nil.
local function opened_to(ctx, ti, outlets, lo, a)
  local norm = ti.norm
  local q
  if (norm[lo] == "speaking" or norm[lo] == "talking") and norm[lo + 1] == "to" then
    q = lo + 2
  elseif norm[lo] == "in" and (norm[lo + 1] == "an" or norm[lo + 1] == "a")
         and norm[lo + 2] == "interview" and norm[lo + 3] == "with" then
    q = lo + 4
  else
    return nil
  end
  if norm[q] == "the" then q = q + 1 end
  local m = q < a and match_at(ctx, outlets, q)
  if m and m.last < a and m.type == "MEDIA" then return m end
  return nil
end

-- The outlet a verb at l..l passes its words to a few words on ("confirmed
-- the death toll to Dawn", "confirmed the order to AFP"): its match, or
-- nil.
local function confirmed_to(ctx, ti, outlets, l, hi)
  for q = l + 1, math.min(hi - 1, l + 5) do
    if is_break(ti, q) then return nil end
    if ti.norm[q] == "to" then
      local o = ti.norm[q + 1] == "the" and q + 2 or q + 1
      local m = match_at(ctx, outlets, o)
      if m and m.type == "MEDIA" and m.first == o then return m end
      return nil
    end
  end
  return nil
end

-- Whether the outlet m starts a longer name: capitalised words after it
-- up to a body's word ("the Independent National Electoral Commission").
local function name_goes_on(ti, m)
  if m.type ~= "MEDIA" then return false end
  local c = m.last + 1
  while c <= m.last + 4 and ti.kind[c] == "word" and band(ti.fl[c], FCAP) ~= 0 and band(ti.fl[c], FSB) ~= 0 do
    if subject.body_word(ti.norm[c]) then return true end
    c = c + 1
  end
  return false
end

-- The match at token q when it is the whole source there: not the
-- "U.S." of "U.S. officials" or the "TASS" of "a TASS source" (a source
-- noun right after it makes the phrase the source).
local function whole_match(ctx, ti, outlets, anon, q)
  local m = match_at(ctx, outlets, q)
  if m and name_goes_on(ti, m) then return nil end
  -- (but "UN estimates", "SOHR figures", "a UN report" are the body's)
  local nx = ti.norm[m and m.last + 1 or 0]
  if m and util.match(ti, anon, m.last + 1) and not (DOCUMENT[nx] or PAPER[nx]) then return nil end
  return m
end

-- Whether the folded word w has the shape of a people's adjective
-- (Kurdish, Syrian, Iraqi, Lebanese, American, French).
local function demonym(w)
  return w:match("[ia]n$") or w:match("ish$") or w:match("ese$") or w:match("[^aeiou]i$") or w:match("ch$")
end

-- Whether token q is the "by" of "backed by", "led by" (a participle
-- before it, inside the phrase from a): what follows only modifies. Not
-- "a report by Reuters".
local function by_participle(ti, q, a)
  if q <= a or ti.norm[q] ~= "by" then return false end
  local w = ti.norm[q - 1]
  return #w > 3 and w:sub(-2) == "ed"
end

-- The label of a source no name is given for, by the lexicon row of the
-- noun heading it: "police said", "the ministry said" (kind body) speak
-- on the record as a body; "officials said", "a military source told"
-- are the unnamed people news calls anonymous sources.
-- (People and a body together are unnamed people: "residents and a
-- rebel group said".)
local function unnamed(e, ti, anon, a, b)
  if e.row.kind ~= "body" then return "anonymous" end
  for q = a + 1, b - 1 do
    if ti.norm[q] == "and" then
      for r = a, b do
        local e5, l5 = util.match(ti, anon, r)
        if e5 and l5 <= b and e5.row.kind ~= "body" then return "anonymous" end
      end
      break
    end
  end
  return "institution"
end

-- who() for a phrase a..b whose name only modifies its head ("the
-- U.S.-led coalition", "Rebels backed by Turkey"): the whole phrase, no
-- entity, unnamed when its head is a source noun as "rebels" is.
local function modified_body(ti, anon, a, b)
  local e = util.match(ti, anon, a)
  return ti.text:sub(ti.st[a], ti.sp[b]), nil, e and unnamed(e, ti, anon, a, b) or "named", a
end

-- Whether a source noun ending a..b heads a proper name ("The Turkish
-- General Staff said", "the Free Syrian Army said"): it and the word
-- before it capitalised, in running text (the verb after it is not: in
-- a title-case headline, "Kurdish Officials Say", everything is).
local function proper_body(ti, a, b)
  if b <= a or band(ti.fl[b], FCAP) == 0 or band(ti.fl[b - 1], FCAP) == 0 then return false end
  if ti.kind[b - 1] ~= "word" or GROUPWORD[ti.norm[b - 1]] then return false end
  local nx = ti.kind[b + 1] == "word" and ti.fl[b + 1] or 0
  return band(nx, FCAP) == 0
end

-- Who tokens a..b name (titles: subject.titles): name, entity, label
-- ("named" | "anonymous"), or nil.
local who
function who(ctx, ti, anon, a, b, outlets, titles)
  -- "No group claimed", "None of them said": nobody
  if NOBODY[ti.norm[a]] then return nil end
  -- "In addition to the refugees admitted", "to absent parents who": a
  -- phrase "to" opens is no subject
  if a < b and (ti.norm[a] == "to" and band(ti.fl[a], FCAP) == 0
                or ti.norm[a] == "in" and ti.norm[a + 1] == "addition" and ti.norm[a + 2] == "to") then
    return nil
  end
  -- ", and analysts say": the clause's conjunction is no part of who
  if a < b and (ti.norm[a] == "and" or ti.norm[a] == "but") then a = a + 1 end
  -- "The ministry on Tuesday said", "the army on March 3 denied": the day
  -- is no part of who said it
  if b > a + 2 and ti.kind[b] == "number" and subject.calendar(ti, b - 1) and ti.norm[b - 2] == "on" then
    b = b - 3
  elseif b > a + 1 and subject.calendar(ti, b) and ti.norm[b - 1] == "on" then
    b = b - 2
  end
  -- "The coalition fighting the Houthis in Yemen said", "a source
  -- speaking on condition of anonymity said": a participle after a source
  -- noun starts what only describes it
  for q = a + 1, b - 1 do
    local s = ti.norm[q]
    -- (not "A group calling itself the Islamic Resistance in Iraq": the
    -- name it calls itself)
    if #s > 4 and s:sub(-3) == "ing" and ti.kind[q] == "word" and band(ti.fl[q], FCAP) == 0
       and s ~= "calling" then
      for r = math.max(a, q - 2), q - 1 do
        local e, l = util.match(ti, anon, r)
        if e and l == q - 1 then return who(ctx, ti, anon, a, q - 1, outlets, titles) end
      end
      break
    end
  end
  -- "quoted Ahmed Ali, a local official, as saying": the name, not its
  -- description
  for c = a + 1, math.min(b - 2, a + 5) do
    if ti.norm[c] == "," then
      local d = ti.norm[c + 1]
      if (d == "a" or d == "an" or d == "the" or titles[d]) and subject.is_person_name(ti, a, c - 1) then
        return who(ctx, ti, anon, a, c - 1, outlets, titles)
      end
      break
    end
  end
  -- "Commissioner of Police in the state Hakeem Busari said": a name of
  -- two words or more ending a phrase a title opens is the holder's
  if titles[ti.norm[a]] and b - a >= 3 then
    local nb = subject.name_back(ti, a, b)
    if nb < b - 1 and nb > a and band(ti.fl[nb], FCAP) == 0 and ti.kind[nb] == "word"
       and subject.is_person_name(ti, nb + 1, b) and not match_at(ctx, outlets, b) then
      return ti.text:sub(ti.st[nb + 1], ti.sp[b]), nil, "named", nb + 1, true
    end
  end
  local head = ti.norm[b]
  if NOT_HEAD[head] and not is_who_acronym(ti, b) then return nil end
  -- "a figure officials dismissed", "a claim the ministry denied": who
  -- dismissed it
  if (ti.norm[a] == "a" or ti.norm[a] == "the") and FIGURE[ti.norm[a + 1]] and b > a + 1
     and ti.norm[a + 2] ~= "of" then
    a = a + 2
  end
  for q = a, b - 1 do
    if MODAL[ti.norm[q]] and band(ti.fl[q], FCAP) == 0 then return nil end
  end
  -- "said Jens Laerke of the UN humanitarian office", "Sara Kayyali
  -- from Human Rights Watch": the person, whoever they work for
  -- (a title is no name: "Deputy Inspector General of Police NAME")
  local nb1 = ti.norm[a] ~= "the" and not titles[ti.norm[a]] and subject.name_from(ti, a, b)
  if nb1 and nb1 < b and OF_BODY[ti.norm[nb1 + 1]] and subject.is_person_name(ti, a, nb1) then
    local pm0 = match_at(ctx, outlets, a)
    if not pm0 or (pm0.type == "PERSON" and pm0.last == nb1) then
      return ti.text:sub(ti.st[a], ti.sp[nb1]), pm0 and pm0.entity, "named", a, true
    end
  end
  -- "a statement by the provincial governor's office": whoever issued it
  local paper = (ti.norm[a] == "a" or ti.norm[a] == "the") and a + 1 or a
  if PAPER[ti.norm[paper]] and (ti.norm[paper + 1] == "by" or ti.norm[paper + 1] == "from")
     and paper + 2 <= b then
    local name, ent, lab, _, person = who(ctx, ti, anon, paper + 2, b, outlets, titles)
    if name then return name, ent, lab, a, person end
  end
  -- "one FSA official", "a military source": unnamed, whoever they work for
  local e, l = util.match(ti, anon, b)
  if not e then
    for q = math.max(a, b - 2), b - 1 do
      e, l = util.match(ti, anon, q)
      if e and l == b then break end
      e = nil
    end
  end
  if e and l == b and not match_at(ctx, outlets, b) and not proper_body(ti, a, b) then
    -- "the RIA news agency", "the UN's human rights office", "the Magen
    -- David Adom ambulance service": the outlet or body the lexicon names,
    -- whose office or service it is (a place's is not: "Italy's interior
    -- ministry" stays unnamed)
    -- "The Islamic State group said": the body named right before the noun
    -- ("a spokesman for the Firat news agency" is someone unnamed)
    -- (whose noun, then, heads the phrase: "a spokesman for the coalition"
    -- is an unnamed person, "the office of the governor" a body)
    local someone = false
    for q = a, b - 1 do
      local e4, l4 = util.match(ti, anon, q)
      if e4 and l4 < b and OF_LIKE[ti.norm[l4 + 1]] then someone, e = true, e4; break end
    end
    local mb = UNIT[head] and not someone and b > a and match_at(ctx, outlets, b - 1)
    -- (a place's is some group there: "a U.S. group said")
    if mb and (mb.type == "ORG" or mb.type == "MEDIA") and not subject.modifies(ti, mb.last, b) then
      return mb.text, mb.entity, "named", a
    end
    if UNIT[head] and not someone then
      for q = a, b - 1 do
        -- (an outlet, or a body the gazetteer knows: "Hezbollah's media unit")
        local m = match_at(ctx, outlets, q)
        if m and (m.type == "ORG" or m.type == "MEDIA" or outlets[q]) and not subject.modifies(ti, m.last, b) then
          return m.text, m.entity, "named", a
        end
      end
    end
    return ti.text:sub(ti.st[a], ti.sp[b]), nil, unnamed(e, ti, anon, a, b), a
  end
  -- "deputy chairman of the Defense and Security Committee Franz
  -- Klintsevich": a phrase ending in a gazetteer person names that person
  local pm = match_at(ctx, outlets, b)
  -- (not a person a preposition governs: "fighting in support of Assad")
  if pm and pm.type == "PERSON" and pm.last == b and not PREP_BEFORE[ti.norm[pm.first - 1]] then
    return pm.text, pm.entity, "named", a, true
  end
  -- ... and one ending in a person's name after a body's or a title
  -- (or after a body's acronym: "Acting head of the DPR Denis Pushilin")
  local pa, nb0 = b, subject.name_back(ti, a, b)
  while pa > nb0 + 1 and band(ti.fl[pa - 1], FCAP) ~= 0 and not subject.body_word(ti.norm[pa - 1])
        and not titles[ti.norm[pa - 1]] and not acronym(ti, pa - 1) do
    pa = pa - 1
  end
  -- (not the rest of a body's longer name: "Islamic State West Africa Province")
  local mbody = pa > nb0 + 1 and match_at(ctx, outlets, pa - 1)
  local after_acronym = pa > nb0 + 1 and acronym(ti, pa - 1) and pa + 1 <= b
  if pa > nb0 + 1 and (subject.body_word(ti.norm[pa - 1]) or titles[ti.norm[pa - 1]] or after_acronym)
     and subject.is_person_name(ti, pa, b)
     and (after_acronym or not (mbody and mbody.last == pa - 1 and mbody.type ~= "PERSON")) then
    return ti.text:sub(ti.st[pa], ti.sp[b]), nil, "named", pa, true
  end
  -- "a spokesman for the coalition", "sources close to the army", "the
  -- head of the counter-terrorism service"
  for q = a, b - 2 do
    local e2, l2 = util.match(ti, anon, q)
    if not e2 and titles[ti.norm[q]] and q > a and band(ti.fl[q], FCAP) == 0 then l2 = q end
    -- "a statement from the White House": the body the paper is from
    if l2 and PAPER[ti.norm[l2]] and (ti.norm[l2 + 1] == "from" or ti.norm[l2 + 1] == "by") then
      local o = ti.norm[l2 + 2] == "the" and l2 + 3 or l2 + 2
      local m = o <= b and match_at(ctx, outlets, o)
      if m then return m.text, m.entity, "named", a, m.type == "PERSON" end
    end
    -- (not the capitalised name of a body: "the International Organization
    -- for Migration")
    if l2 and OF_LIKE[ti.norm[l2 + 1]] and not match_at(ctx, outlets, q) and q <= a + 5
       and (q == a or band(ti.fl[q], FCAP) == 0) then
      return ti.text:sub(ti.st[a], ti.sp[b]), nil, e2 and unnamed(e2, ti, anon, a, b) or "anonymous", a
    end
  end
  -- "US ambassador Nikki Haley", "UN envoy Staffan de Mistura": the
  -- person a title names, not the body the title's holder serves
  for q = a, b - 1 do
    if titles[ti.norm[q]] then
      local na = q + 1
      while na < b and titles[ti.norm[na]] do na = na + 1 end
      if subject.name_from(ti, na, b) == b and subject.is_person_name(ti, na, b) then
        for q2 = na, b do
          local m = match_at(ctx, outlets, q2)
          if m and m.type == "PERSON" then return m.text, m.entity, "named", na, true end
        end
        return ti.text:sub(ti.st[na], ti.sp[b]), nil, "named", na, true
      end
      break
    end
  end
  -- "the Russian Center for Reconciliation of Opposing Sides in Syria":
  -- a place inside the name of a body is no source of its own
  local inside = b + 1
  local nb = subject.name_back(ti, a, b)
  for q = nb + 1, b - 1 do
    if band(ti.fl[q], FCAP) ~= 0 and subject.body_word(ti.norm[q]) then inside = q; break end
  end
  local led = false
  for q = a, b do
    local m = match_at(ctx, outlets, q)
    if m and (m.first > inside or name_goes_on(ti, m)) then m = nil end
    -- "Turkey's National Security Council": a capitalised word before
    -- the match makes it part of a longer name (not the UN's "Security
    -- Council")
    if m and m.first > a and band(ti.fl[m.first - 1], FCAP) ~= 0
       and ti.kind[m.first - 1] == "word" and not titles[ti.norm[m.first - 1]]
       and not DETERMINER_CAP[ti.text:sub(ti.st[m.first - 1], ti.sp[m.first - 1])]
       and not subject.calendar(ti, m.first - 1) and not demonym(ti.norm[m.first - 1]) then
      m = nil -- (but "the Kurdish Hawar news agency": a people's adjective)
    end
    -- "Iran's mission to the United Nations": the body "to" governs is
    -- where the mission is, not who speaks
    if m and m.first > a then
      local p = ti.norm[m.first - 1] == "the" and m.first - 2 or m.first - 1
      if p > a and ti.norm[p] == "to" and ENVOY[ti.norm[p - 1]] then
        local n1, e1, l1, f1, p1 = who(ctx, ti, anon, a, p - 1, outlets, titles)
        if n1 then return n1, e1, l1, f1, p1 end
        return ti.text:sub(ti.st[a], ti.sp[p - 1]), nil, "anonymous", a
      end
    end
    -- "the Islamic Resistance in Iraq", "Islamic State in the Greater
    -- Sahara": a place after "in" ends a longer name
    if m and m.type ~= "MEDIA" and m.type ~= "ORG" and m.type ~= "PERSON" then
      local p = ti.norm[m.first - 1] == "the" and m.first - 2 or m.first - 1
      if p > a and ti.norm[p] == "in" and band(ti.fl[p - 1], FCAP) ~= 0 and ti.kind[p - 1] == "word"
         and not titles[ti.norm[p - 1]] then
        m = nil
      end
    end
    -- an owner before what it owns: "Islamic State's Amaq news agency",
    -- "Turkey's Anadolu news agency" are Amaq and Anadolu
    -- (and through a word: "the U.S. military's Central Command")
    local own = m and (OWNER[ti.norm[m.last + 1]] and m.last + 1
      or (m.last + 2 < b and ti.kind[m.last + 1] == "word" and band(ti.fl[m.last + 1], FCAP) == 0
          and OWNER[ti.norm[m.last + 2]] and m.last + 2))
    if own then
      -- "Al Jazeera's Hani Mahmoud": the outlet's (or the body's) person
      if own + 1 < b and subject.is_person_name(ti, own + 1, b) and not match_at(ctx, outlets, own + 1) then
        return ti.text:sub(ti.st[own + 1], ti.sp[b]), nil, "named", own + 1, true
      end
      for q2 = own + 1, b do
        if match_at(ctx, outlets, q2) then m = nil; break end
      end
      -- "Iraq's semi-official High Commission for Human Rights": the body
      -- a place owns, named after it
      local owned = m and (m.type ~= "MEDIA" and m.type ~= "ORG") and subject.name_back(ti, own + 1, b)
      if owned and owned < b - 1 and not subject.is_person_name(ti, owned + 1, b) then
        return ti.text:sub(ti.st[owned + 1], ti.sp[b]), nil, "named", a
      end
    end
    if m then
      -- "the U.S.-led coalition", "Iran-backed militias", "rebels backed
      -- by Turkey": a body that X leads or backs, not X
      -- (and "pro-Kremlin bloggers", "anti-government activists")
      if subject.modifies(ti, m.last, b) or by_participle(ti, m.first - 1, a)
         or (m.first - 2 >= a and m.last < b and ti.norm[m.first - 1] == "-" and PRO_ANTI[ti.norm[m.first - 2]]) then
        led = true
      else
        return m.text, m.entity, "named", a, m.type == "PERSON"
      end
    end
  end
  if led then return modified_body(ti, anon, a, b) end
  if PRONOUN[ti.norm[a]] and a == b then return nil end
  local proper = proper_body(ti, a, b)
  for q = a, b do
    local e3, l3 = util.match(ti, anon, q)
    if not proper and e3 and l3 == b then
      return ti.text:sub(ti.st[a], ti.sp[b]), nil, unnamed(e3, ti, anon, a, b), a
    end
  end
  -- a name: the trailing run of capitalised words
  local q = subject.name_back(ti, a, b)
  if q < b and by_participle(ti, q, a) then return modified_body(ti, anon, a, b) end
  if q + 1 == b and subject.calendar(ti, b) then return nil end -- "told the Council on Wednesday"
  if q < b and not (q + 1 == b and (PRONOUN[ti.norm[b]] or GROUPWORD[ti.norm[b]])) then
    if ti.norm[q + 1] == "the" then q = q + 1 end -- The Pentagon
    -- "Later Di Giacomo said": an adverb opening the sentence is no name's
    while q + 1 < b and subject.OPENER[ti.norm[q + 1]] do q = q + 1 end
    if q < b then
      return ti.text:sub(ti.st[q + 1], ti.sp[b]), nil, "named", q + 1, subject.is_person_name(ti, q + 1, b)
    end
  end
  return nil
end

-- The "as" of "quoted X as saying" in tokens a..hi (X at least one
-- token, no punctuation but the commas of an apposition: "quoted a
-- separatist commander, Eduard Basurin, as saying"), or nil.
local function as_saying(ti, a, hi)
  for q = a + 1, hi - 1 do
    if is_break(ti, q) and ti.norm[q] ~= "," then return nil end
    -- ("Bloomberg quotes NAME, an analyst at X, saying, ...": its comma)
    if ti.norm[q] == "saying" and ti.norm[q - 1] == "," and q - 2 > a then return q - 1 end
    if ti.norm[q] == "as" then
      local nx = ti.norm[q + 1]
      if nx == "saying" or nx == "said" then return q end
      return nil
    end
  end
end

-- The first token from i that may start a speech verb (n at most): the
-- C scan (util.scan) skips the tokens whose norm lacks the verbs' bit,
-- then a lookup. (A function of its own: inside the loop below, the
-- traces through this loop and the attribution code grew into a
-- thousand.)
local function next_verb(ti, i, n, vb, verbs, norm)
  local scan = util.scan
  i = scan(ti, i, n - 1, 0, vb, 0, 0)
  while i < n and verbs[norm[i]] == nil do i = scan(ti, i + 1, n - 1, 0, vb, 0, 0) end
  return i
end


-- Words that make a phrase after "said" a clause, not who said it
-- ("..., saying the group had killed 43").
local FINITE = { is = true, are = true, was = true, were = true, has = true, have = true,
  had = true, will = true, would = true }

-- The source phrase after a speech verb i..l set off by a comma or a
-- quote mark before it ('..." said Klintsevich', ", said a spokesman"),
-- 6 tokens at most: its first and last tokens, or nil. Not after a
-- participle (", saying the group had ..." goes on with its subject).
local INVERTS = { said = true, says = true, say = true, added = true, adds = true, asked = true, asks = true,
  told = true, wrote = true, writes = true, explained = true, recalled = true, continued = true,
  noted = true, replied = true, insisted = true, declared = true, stated = true, observed = true,
  remarked = true, conceded = true, acknowledged = true, admitted = true, argued = true,
  countered = true, cautioned = true, warned = true, claimed = true, confirmed = true, reported = true,
  reports = true, tweeted = true, cried = true, shouted = true, whispered = true, concluded = true,
  estimated = true, announced = true, suggested = true, agreed = true, disclosed = true, revealed = true,
  testified = true, alleged = true, maintained = true, stressed = true, emphasised = true,
  emphasized = true, pointed = true, ["out"] = true, explains = true, explain = true, responded = true,
  responds = true, notes = true, recalls = true, continues = true, insists = true, argues = true,
  warns = true, concludes = true, observes = true, answered = true, answers = true }

local function inverted_at(ti, i, l, hi, titles)
  local norm = ti.norm
  local p = norm[i - 1]
  if not (p == "," or p == '"' or p == "'") or NOT_INVERTED[norm[l + 1]] then return nil end
  if norm[i]:sub(-3) == "ing" then return nil end
  -- (only verbs news inverts: "..., said X", "..., added X"; not ",
  -- urged the release of political prisoners")
  if not INVERTS[norm[l]] then return nil end
  local a, b = fwd(ti, l + 1, hi, 6)
  if not a then return nil end
  for q = a, b do
    if FINITE[norm[q]] then return nil end
  end
  local na, nb = subject.name_beside(ti, a, b, hi, titles)
  -- (a name set beside a person's noun is a person's: "said the
  -- spokesman, Basir Mujahed")
  if na then return na, nb, true end
  return a, b
end

-- The person's name a sentence or two before sentence si opens with
-- ("Dr. Ahmed Abdullah has worked there for 12 years."), its titles left
-- out, not of the other gender than the pronoun pron (if any); or nil.
local function opening_person(ti, sfirst, slast, si, titles, pron)
  local norm, text, st, sp = ti.norm, ti.text, ti.st, ti.sp
  for s2 = si - 1, math.max(1, si - 2), -1 do
    local f = sfirst[s2]
    f = f and subject.dateline_end(ti, f, slast[s2]) or f -- (past "AMIZMIZ, Morocco (AP) —")
    local nb = f and subject.name_from(ti, f, slast[s2])
    local pa = f
    while pa and nb and pa < nb and titles[norm[pa]] do pa = pa + 1 end
    if nb and pa and subject.is_person_name(ti, pa, nb) and ti.kind[nb + 1] == "word"
       and band(ti.fl[nb + 1], FCAP) == 0
       and not (pron and subject.wrong_gender(text:sub(st[f], sp[nb]), pron)) then
      return text:sub(st[pa], sp[nb])
    end
  end
  return nil
end

-- The latest of the reach + 1 attributions before (2 unless given),
-- within reach sentences of sentence si, that ok(o, si) accepts.
local function recent(out, si, ok, reach)
  reach = reach or 2
  for k = #out, math.max(1, #out - reach), -1 do
    local o = out[k]
    if o._sent and si - o._sent <= reach and ok(o, si) then return o end
  end
end

-- What "it" can stand for: the attribution in its own sentence, whatever
-- it is ("The Pakistani Taliban said ... the attack, which it said killed
-- nine"), else a body; never one passing on another's words.
local function it_can_be(o, si)
  if o.attrs.via then return false end
  if o._sent == si then return true end
  local last = o.attrs.text:match("(%a+)$")
  last = last and last:lower()
  return not o._person and (o.attrs.source_entity ~= nil
    or last ~= nil and (subject.body_word(last) or UNIT[last] or IT_BODY[last]) == true)
end

-- "The group said", "the agency reported", "the monitor said": the body
-- of that kind named a few sentences back (a gazetteer entity or an
-- outlet), nearest first. What kind of body each noun stands for, and
-- whether a match m (with its outlets-lexicon row, if any) is one.
local DEFINITE = {
  group = "org", organisation = "org", organization = "org", movement = "org", militia = "org",
  faction = "org", charity = "org",
  agency = "agency",
  monitor = "monitor", observatory = "monitor", watchdog = "monitor",
  ministry = "ministry",
  broadcaster = "media", channel = "media", network = "media", newspaper = "media", paper = "media",
  daily = "media", outlet = "media", website = "media",
}
local function body_fits(want, m, row)
  local e = (m.entity or ""):lower()
  local kind = row and row.kind
  if want == "ministry" then return e:find("ministry", 1, true) ~= nil end
  if want == "monitor" then
    return kind == "monitor" or e:find("observatory", 1, true) ~= nil or e:find("monitor", 1, true) ~= nil
  end
  if want == "agency" then
    return kind == "agency" or (kind == "official" and row.country == "INT") or e:find("agency", 1, true) ~= nil
  end
  if want == "media" then return m.type == "MEDIA" end
  -- org: an armed or civic group, not a state's office nor an outlet
  if row then return kind == "monitor" or kind == "think-tank" end
  return m.type == "ORG"
end

local function definite_body(ctx, ti, outlets, a, b, lo, opts)
  if b ~= a + 1 or ti.norm[a] ~= "the" then return nil end
  local want = DEFINITE[ti.norm[b]]
  if not want then return nil end
  local rows = lexicon_map("outlets", "entity", opts and opts.lexicons)
  local q = a - 1
  while q >= lo do
    local m = match_at(ctx, outlets, q)
    if m then
      if m.type ~= "PERSON" and m.type ~= "PLACE"
         and body_fits(want, m, outlets[q] and rows[m.entity]) then
        return m
      end
      q = m.first - 1
    else
      q = q - 1
    end
  end
  return nil
end

-- What "they" can stand for: unnamed many ("The officials"), not passing
-- on another's words.
local function they_can_be(o) return not o._person and not o.attrs.via and o.attrs.text:sub(-1) == "s" end

-- The source a headline (the first line) names after a dash or a colon
-- at its end ("... - sources", "... – MoD", "...: Monitor"): an
-- attribution span, or nil.
local function headline_source(ctx, ti, anon, outlets, titles, opts)
  local norm, n = ti.norm, ti.n
  local e = 1
  while e < n and e < 40 and band(ti.fl[e], FLE + FPE) == 0 do e = e + 1 end
  if band(ti.fl[e], FLE + FPE) == 0 then return nil end
  for k = e - 1, math.max(2, e - 4), -1 do
    local s = norm[k]
    -- (after a dash, or a colon: "15 killed as minibus hits landmine in
    -- Somalia: Official"; not a label's: "Note: Only a member")
    if (s == "-" or s == "–" or s == "—") and band(ti.fl[k], FHY) == 0 or s == ":" and k > 3 then
      -- (the outlets only for a headline with a dash: most have none)
      outlets = outlets or util.outlets_of(ctx, opts)
      local name, ent, label = who(ctx, ti, anon, k + 1, e, outlets, titles)
      -- (not a page title's outlet: "... - BBC News", "... | Reuters")
      -- (a name must be known, or one word: "- MoD", not "- Webmaster Weekly")
      if not name or label == "named" and not ent and e > k + 1 then return nil end
      -- (after a colon only a known source or an unnamed one: not "One
      -- question: How", "Forwarded-by: Flower")
      if s == ":" and (label == "named" and not ent or band(ti.fl[k + 1], FSB) == 0) then return nil end
      for q = k + 1, e do
        local m = match_at(ctx, outlets, q)
        if m and m.type == "MEDIA" then return nil end
      end
      return { start = ti.st[k + 1], stop = ti.sp[e], label = label,
               attrs = { source = ent or name, source_entity = ent, verb = ti.text:sub(ti.st[k], ti.sp[k]),
                         text = name, chain = { ent or name } },
               _anchor = k + 1, _first = k + 1, _last = e }
    end
    if ti.kind[k] ~= "word" then return nil end
  end
end

-- The attributions of the document, in text order, and the sentences'
-- last tokens (nil when no verb was found).
local function attributions(ctx, ti, opts)
  local norm, st, sp, n, text = ti.norm, ti.st, ti.sp, ti.n, ti.text
  local verbs = util.lex_index("speech_verbs", "verb", opts)
  local anon = util.lex_index("anonymous_sources", "noun", opts)
  local titles = subject.titles(opts)
  -- the outlets and the sentence tables only for a document with a verb
  local outlets
  -- sentence numbers by binary search: a table per token cost more
  local sfirst, slast
  local cur = 1 -- the sentence cursor: verbs come in text order
  local out = {}
  local i = 1
  local vb = util.scan_bit(verbs)
  while i <= n do
    -- most tokens start no speech verb: a bit test each
    i = next_verb(ti, i, n, vb, verbs, norm)
    local e, l = util.match(ti, verbs, i)
    -- "dismissed the claims", "United States": the form is no verb there;
    -- ", adding that": no attribution of its own (speech_verbs.tsv, aside)
    -- (but "authorities are warning that": a progressive's own verb)
    local says_ing = e and PASSIVE_BE[norm[i - 1]] and norm[i]:sub(-3) == "ing" and PROGRESSIVE_NEXT[norm[l + 1]]
    if e and (e.row.kind == "aside" and not says_ing or subject.not_verb(ti, i)) then e = nil end
    -- "One man in ten are reported to have", "the losses were estimated
    -- at": a passive says who was spoken of, not who spoke (but "was quoted
    -- as saying", "was reported by X")
    -- ("authorities are warning that": a progressive, not a passive)
    if e and (PASSIVE_BE[norm[i - 1]] or i > 2 and adverb_at(ti, i - 1) and PASSIVE_BE[norm[i - 2]])
       and norm[l + 1] ~= "by" and not says_ing
       and not (norm[i] == "quoted" and norm[l + 1] == "as") then
      e = nil
    end
    -- "the army continued its advance": these say something only before
    -- "that", a quote or punctuation ("he added that", '..., he continued.')
    -- (but '," the ministry added in its statement': where, not what)
    if e and ONLY_BEFORE_THAT[norm[i]] and l == i and ti.kind[i + 1] == "word" and norm[i + 1] ~= "that"
       and not ((norm[i] == "added" or norm[i] == "adds") and ADDED_WHERE[norm[i + 1]]) then
      e = nil
    end
    -- "Charlie looked at me and said nothing": no claim
    if e and (norm[l + 1] == "nothing" or norm[l + 1] == "little") and ti.kind[l + 2] ~= "word" then e = nil end
    -- "asked anyone with information to call police", "told the man to
    -- get away", "urged residents to leave": a request or an order, no
    -- claim (but "told Reuters on Monday that", "told the court: ...")
    if e and l == i and REQUEST[norm[i]] then
      for q = l + 1, math.min(n - 1, l + 9) do
        local w = norm[q]
        -- (a clause of its own first: "told Reuters the SDF had advanced
        -- to within 3 km")
        if w == "that" or ti.kind[q] == "punct" or FINITE[w] then break end
        if w == "to" and q > l + 1 and ti.kind[q + 1] == "word" and band(ti.fl[q + 1], FCAP) == 0
           and not NOT_INFINITIVE[norm[q + 1]] then
          e = nil
          break
        end
      end
    end
    -- "Asked about the attack, he said": a participle opening the sentence
    if e and OPENING_PARTICIPLE[norm[i]] and (i == 1 or band(ti.fl[i - 1], FLE + FPE) ~= 0
       or is_break(ti, i - 1)) then e = nil end
    if e and not util.boiler(ctx, st[i], sp[l]) then
      if not sfirst then
        sfirst, slast = util.sentence_bounds(ctx)
        outlets = util.outlets_of(ctx, opts)
      end
      -- token i's sentence (nil between sentences), as
      -- ctx:sentence_of_token(i) gives it, without its search
      local sl = slast[cur]
      while sl and sl < i do
        cur = cur + 1
        sl = slast[cur]
      end
      local si = sl and sfirst[cur] <= i and cur or nil
      local lo, hi = si and sfirst[si] or 1, si and slast[si] or n
      local kind = e.row.kind == "aside" and "say" or e.row.kind
      local a, b, obj_a, obj_b, obj_end, by, from, inverted, inverted_b, beside
      -- the "as" of "was quoted by X as saying"
      local quoted_by_as = norm[i] == "quoted" and norm[l + 1] == "by" and PASSIVE_BE[norm[i - 1]]
        and as_saying(ti, l + 1, math.min(hi, l + 10))
      if kind == "according" then
        local m = whole_match(ctx, ti, outlets, anon, l + 1)
        -- (not "according to Iraq's High Commission ...": what Iraq owns)
        if m and OWNER[norm[m.last + 1]] then m = nil end
        if m then a, b = m.first, m.last else a, b = fwd(ti, l + 1, hi, 12) end
      elseif norm[i] == "reports" and norm[l + 1] == "by" then
        a = nil -- "dismissed reports by Western media": a noun, no attribution
      elseif norm[l + 1] == "by" and (NEGATION[norm[i - 1]] or NEGATION[norm[i - 2]] or NEGATION[norm[i - 3]]) then
        a = nil -- "has yet to be confirmed by the military": nobody confirmed it
      elseif quoted_by_as then
        -- "The minister was quoted by TASS as saying": the minister, via TASS
        local as = quoted_by_as
        a, b = back(ti, verbs, i - 1, lo)
        obj_a, obj_b, kind = l + 2, as - 1, "tell"
        if norm[obj_a] == "the" and obj_a < obj_b then obj_a = obj_a + 1 end
      elseif norm[l + 1] == "by" and l + 1 <= hi and band(ti.fl[l], FLE) == 0 and not MEANS[norm[l + 2]] then
        -- (not a headline's "..., commander says" over a byline "By X")
        local m = whole_match(ctx, ti, outlets, anon, l + 2)
        if m then a, b = m.first, m.last else a, b = fwd(ti, l + 2, hi, 8) end
        -- ("were reported by 2000 GMT": a time, nobody)
        if ti.kind[l + 2] == "number" then a = nil end
        -- "accused by rights groups of abuses": what the agent accuses
        -- them of is no part of the agent
        if a and CHARGE_VERB[norm[i]] then
          for q = a + 1, b do
            if norm[q] == "of" then b = q - 1; break end
          end
        end
        by = true
      elseif kind == "cite" and norm[i - 1] == "," and not (#out > 0 and out[#out]._sent == si
          and out[#out]._last == i - 2) then
        -- "Anadolu Agency, citing military sources(, said)": the phrase
        -- before the comma passes on what follows
        local xa, xb = back(ti, verbs, i - 1, lo)
        local m = whole_match(ctx, ti, outlets, anon, l + 1)
        local ya, yb
        if m then ya, yb = m.first, m.last else ya, yb = fwd(ti, l + 1, hi, 6) end
        if xa and ya then
          a, b, obj_a, obj_b = xa, xb, ya, yb
          if norm[yb + 1] == "," and util.match(ti, verbs, yb + 2) then
            local _, vl = util.match(ti, verbs, yb + 2)
            obj_end = vl
          end
        end
      elseif kind == "cite" and norm[i - 1] == "," then
        a = nil -- chained onto the attribution just before, below
      else
        a, b = back(ti, verbs, i, lo)
        if a then
          -- ('"...," Ye Zhi, a villager in Zhangzha told': the name before)
          local na, nb = subject.name_before_description(ti, a, b, lo, opts)
          if na then a, b = na, nb end
        end
        if norm[i] == "quoted" and PASSIVE_BE[norm[i - 1]] and norm[l + 1] == "as" then
          -- "a senior official was quoted as saying": the one quoted
          a, b = back(ti, verbs, i - 1, lo)
          kind = "say"
        end
        -- (past auxiliaries and adverbs: ", has repeatedly said")
        local vq = i
        while vq - 1 > lo and adverb_at(ti, vq - 1) do vq = vq - 1 end
        if not a and norm[vq - 1] == "," then
          -- "An official, who spoke on condition of anonymity, said",
          -- "One diplomat, speaking on condition of anonymity, said"
          local c = subject.clause_back(ti, vq, lo)
          if c then a, b = back(ti, verbs, c, lo) end
        end
        -- (after "who" any verb: "a photographer who saw the wreckage in
        -- Saada said")
        if a and RELATIVE[norm[a - 1]] and a - 2 >= lo and ti.kind[a] == "word"
           and band(ti.fl[a], FCAP) == 0
           and (norm[a]:sub(-1) == "s" or norm[a]:sub(-2) == "ed" or norm[a - 1] == "who" and who_clause(ti, a, i)) then
          -- "A member of a militia that fights alongside the army, who ...,
          -- put the toll at 34": the noun the relative clause describes
          local ra, rb = back(ti, verbs, a - 1, lo)
          if ra and who(ctx, ti, anon, ra, rb, outlets, titles) then a, b = ra, rb end
        end
        if not a then
          -- "Marianne Gasser, the head of the ICRC delegation, said"
          a, b, from = subject.appositive(ti, i, lo, opts)
        end
        if (not a or b == i - 1) and (norm[i - 1] == "and" or norm[i - 1] == "but")
           or (a and a == b and (norm[a] == "and" or norm[a] == "but")) then
          -- "SOHR put the toll at 48, and said", "Iraq's foreign ministry
          -- condemned the attack and said": the sentence's subject
          a = nil
          -- (a verb in the past: "and reports" may be a noun; and only
          -- when no attribution came before in the sentence: "X said ...
          -- and urged" is X's one attribution)
          local la, lb
          if norm[i]:sub(-1) ~= "s" and not (#out > 0 and out[#out]._sent == si) then
            la, lb = subject.lead(ti, lo, i - 1, function(q) return util.match(ti, anon, q) ~= nil end, opts)
          end
          -- (a subject that reads as a source: a body or person the
          -- gazetteer or the outlets know, one ending in a source noun, or
          -- a person's full name; not "About halfway through, ...")
          local src = la and lb < i - 2 and (util.match(ti, anon, lb) or subject.is_person_name(ti, la, lb)
            or subject.is_person_name(ti, la + 1, lb))
          if not src and la and lb < i - 2 then
            for q = la, lb do
              if match_at(ctx, outlets, q) then src = true; break end
            end
          end
          -- (or one capitalised word: "Cooper heaped praise on the team and
          -- said", a surname named in full before)
          local one = la and la == lb and lb < i - 2 and surname_seen(ti, la)
          if (src or one) and who(ctx, ti, anon, la, lb, outlets, titles) then
            a, b = la, lb
          else
            local q = lo
            if norm[q] == "the" or norm[q] == "a" then q = q + 1 end
            for k = q, math.min(q + 4, i - 1) do
              local m = match_at(ctx, outlets, k)
              if m then a, b = lo, m.last; break end
            end
          end
        end
        -- ('..., told reporters': an audience, never who spoke)
        if kind ~= "tell" then inverted, inverted_b, beside = inverted_at(ti, i, l, hi, titles) end
        if not a and inverted then
          a, b = inverted, inverted_b -- ," said Klintsevich (not: , said its fighters)
          inverted = nil
        else
          beside = nil
        end
        if kind == "tell" or kind == "cite" or kind == "report" then
          local o1 = norm[l + 1] == "the" and l + 2 or l + 1
          local m = match_at(ctx, outlets, o1)
          -- "told the semi-official ILNA news agency": a word or two before it
          for q = o1 + 1, math.min(hi, o1 + 4) do
            if m or kind ~= "tell" or ti.kind[q - 1] == "punct" and band(ti.fl[q - 1], FHY) == 0 then break end
            local m2 = match_at(ctx, outlets, q)
            if m2 and m2.type == "MEDIA" then m = m2 end
          end
          -- "told the Security Council", "told Assad": an audience, not a
          -- medium that passes the words on (util.outlets_of gives media
          -- and monitors type "MEDIA", as a gazetteer does)
          if m and kind == "tell" and m.type ~= "MEDIA" then m = nil end
          local as = kind == "cite" and not m and as_saying(ti, l + 1, math.min(hi, l + 14))
          if m then obj_a, obj_b = m.first, m.last
          elseif as then
            -- "state television quoted a government official as saying"
            obj_a, obj_b, obj_end = l + 1, as - 1, as + 1
            if norm[obj_b] == "," then obj_b = obj_b - 1 end
          elseif kind == "report" and (band(ti.fl[l + 1], FCAP) ~= 0) then
            local q = l + 1
            while q <= hi and q < l + 4 and not CLAIM_NOUNS[norm[q]] and ti.kind[q] == "word" do q = q + 1 end
            if CLAIM_NOUNS[norm[q]] and q > l + 1 then obj_a, obj_b, obj_end = l + 1, q - 1, q end
          end
        end
      end
      -- "Reuters reports a later estimate ... from the Syrian Observatory"
      if kind == "report" and not obj_a then
        for q = l + 1, math.min(hi, l + 20) do
          if norm[q] == "from" then
            local o1 = norm[q + 1] == "the" and q + 2 or q + 1
            local m = match_at(ctx, outlets, o1)
            if m then obj_a, obj_b = m.first, m.last; break end
          end
        end
      end
      local name, ent, label, na, person
      if a then
        ti.sentence_start = lo
        name, ent, label, na, person = who(ctx, ti, anon, a, b, outlets, titles)
        if name and beside then person = true end
        if not name and inverted then
          -- "killing seven, including a child, said Jilani Farhad": what
          -- came before the comma names nobody; who follows does
          a, b = inverted, inverted_b
          name, ent, label, na, person = who(ctx, ti, anon, a, b, outlets, titles)
        end
        if na and na > a and na <= b and not by and kind ~= "according" then a = na end
      end
      -- "Human Rights Watch said ... The group said": the body named before
      if name and not ent and si and a and b == a + 1 then
        local m = definite_body(ctx, ti, outlets, a, b, sfirst[math.max(1, si - 3)], opts)
        if m then name, ent, label = m.text, m.entity, "named" end
      end
      if not name and si and a and b == a + 1 and norm[a] == "the" and titles[norm[b]] then
        -- "The general added that": the person a title named a few sentences back
        local o = recent(out, si, function(x)
          return x._person and text:sub(x.start, x.stop):lower():find(norm[b], 1, true) ~= nil
        end, 5)
        if o then name, ent, label, person = o.attrs.text, o.attrs.source_entity, "named", true end
      end
      if not name and a and a == b and (PRONOUN[norm[a]] or norm[a] == "him" or norm[a] == "her") then
        -- "...," he said / he said: "...": the speaker the quote layer resolved
        local qs = ctx.layers.quote
        if qs then
          for k = #qs, 1, -1 do
            local q = qs[k]
            -- the quote just before ("...," he said) or just after (he said: "...")
            local near = q.stop < st[a] and q.stop >= st[a] - 3 or q.start > sp[l] and q.start <= sp[l] + 3
            if near and q.attrs.resolved == "pronoun" then
              name, ent = q.attrs.speaker, q.attrs.speaker_entity
              -- "British Ambassador Irfan Siddiq": the name an attribution
              -- before gave ("Irfan Siddiq said"), without the title
              for k2 = #out, 1, -1 do
                local t = out[k2]._person and out[k2].attrs.text
                if t and name and #t < #name and name:sub(-#t - 1) == " " .. t then
                  name = t
                  break
                end
              end
              -- named when the speaker is: an entity, or a capitalised
              -- name ("A rebel commander" is no name)
              label = (ent or name and name:match("^%u") and not DETERMINER_CAP[name:match("^%a+")])
                and "named" or "anonymous"
              break
            end
          end
        end
        if not name and (norm[a] == "he" or norm[a] == "she" or norm[a] == "him" or norm[a] == "her") then
          -- "He added that ...": the person the attribution just before
          -- named, a sentence or two back
          local o = si and recent(out, si, function(x)
            return x._person and not subject.wrong_gender(x.attrs.text, norm[a])
          end)
          if o then name, ent, label, person = o.attrs.text, o.attrs.source_entity, "named", true end
          -- "Dr. Ahmed Abdullah has worked there for 12 years. In the past
          -- month, he says, ...": the person a sentence just before opens with
          if not name and si and (#out == 0 or (out[#out]._sent or 0) < si - 2) then
            name = opening_person(ti, sfirst, slast, si, titles, norm[a])
            if name then label, person = "named", true end
          end
        end
        -- "It said four suspects were arrested": the body the attribution
        -- just before named; "More were hurt, they said": the unnamed many
        local o = not name and si and (norm[a] == "it" and recent(out, si, it_can_be)
          or norm[a] == "they" and recent(out, si, they_can_be))
        if o then name, ent, label = o.attrs.text, o.attrs.source_entity, o.label end
      end
      -- "Mohamed Ait Bella was asleep ... ," the 45-year-old farmer said':
      -- a description by age is the person named just before
      if name and label == "anonymous" and si and norm[a] == "the" and ti.kind[a + 1] == "number"
         and norm[a + 2] == "-" and norm[a + 3] == "year" then
        local o = recent(out, si, function(x) return x._person end)
        local who2 = o and o.attrs.text or opening_person(ti, sfirst, slast, si, titles)
        if who2 then name, ent, label, person = who2, o and o.attrs.source_entity, "named", true end
      end
      -- "Speaking to Al Jazeera, NAME said", "In an interview with the
      -- BBC, he said", "NAME confirmed the toll to Dawn": the outlet the
      -- sentence opens with, or a few words after the verb, passes it on
      if name and not obj_a and kind == "say" and si then
        local o = opened_to(ctx, ti, outlets, lo, a) or confirmed_to(ctx, ti, outlets, l, hi)
        if o then obj_a, obj_b, kind = o.first, o.last, "tell" end
      end
      if name then
        local attrs = { source = ent or name, source_entity = ent, verb = text:sub(st[i], sp[l]),
                        text = name, chain = { ent or name } }
        local first, last = math.min(from or a, i), math.max(b, l)
        if obj_a then
          local oname, oent = who(ctx, ti, anon, obj_a, obj_b, outlets, titles)
          oname = oname or text:sub(st[obj_a], sp[obj_b])
          if (oent or oname) == (ent or name) then
            -- "..., told Reuters" with no teller found: Reuters is the source
            attrs.via = nil
          elseif kind == "tell" and not obj_end then
            -- "a commander told Reuters": Reuters passes on the commander
            attrs.via = oent or oname
            attrs.chain = { oent or oname, ent or name }
          else
            -- "Rudaw relays Russian claims", "TASS, citing a military source"
            attrs.chain = { ent or name, oent or oname }
            attrs.via = ent or name
            attrs.source, attrs.source_entity, attrs.text = oent or oname, oent, oname
          end
          if obj_end or obj_a <= l + 2 then last = math.max(last, obj_end or obj_b) end
        end
        if kind == "cite" and obj_a and obj_a > i then
          -- X, citing Y: the span runs from X
          label = select(3, who(ctx, ti, anon, obj_a, obj_b, outlets, titles)) or label
        end
        local prev = out[#out]
        if prev and si and prev._sent == si and prev.attrs.source == attrs.source and not obj_a
           and prev.start <= st[first] and first - prev._last <= 8 then
          -- "SOHR put the death toll at 48, and said ...": one attribution
          -- a source a sentence, its span run on to the second verb
          prev.stop, prev._last = sp[last], last
        else
          local span = { start = st[first], stop = sp[last], label = label, attrs = attrs,
                         _anchor = i, _sent = si, _first = first, _last = last,
                         _person = person and attrs.text == name or nil }
          -- a following "citing X" extends the chain of the attribution before it
          out[#out + 1] = span
        end
        i = last + 1
      else
        if kind == "cite" and #out > 0 and out[#out]._sent == si then
          -- ", citing the Syrian Observatory": chain onto the previous one
          local m = whole_match(ctx, ti, outlets, anon, l + 1)
          local ca, cb
          if m then ca, cb = m.first, m.last else ca, cb = fwd(ti, l + 1, hi, 6) end
          if ca then
            local cname, cent, clabel = who(ctx, ti, anon, ca, cb, outlets, titles)
            if cname then
              local prev = out[#out].attrs
              prev.chain[#prev.chain + 1] = cent or cname
              prev.via = prev.source
              prev.source, prev.source_entity, prev.text = cent or cname, cent, cname
              out[#out].label = clabel
              out[#out].stop = sp[cb]
              l = cb -- go on after the chained source
            end
          end
        end
        i = l + 1
      end
    else
      i = i + 1
    end
  end
  -- a headline's source after a dash: "Iran steps up supplies to the
  -- Houthis - sources", "Russian jets hit 212 targets - MoD"
  local hl = headline_source(ctx, ti, anon, outlets, titles, opts)
  if hl then
    if not slast then slast = select(2, util.sentence_bounds(ctx)) end
    hl._sent = ctx:sentence_of_token(hl._anchor)
    table.insert(out, 1, hl)
  end
  -- "According to Hokayem" after "says Emile Hokayem": the same person
  local full = {}
  for k = 1, #out do
    local at = out[k].attrs
    if not at.source_entity and at.source == at.text then
      local last = at.text:match("^%u[%w'%-]* .-(%u[%w'%-]+)$")
      -- (a two-word surname too: "Flavio Di Giacomo" is "Di Giacomo"
      -- later; and with its particle in either case: "Hassan
      -- al-Ghabbash" is "Al-Ghabbash")
      local short = (at.text:match("^%u[%w'%-]+$") or at.text:match("^%S+ %u[%w'%-]+$")) and at.text:lower()
      if short and not full[short] then short = nil end
      -- (a body's too, by the word for a body that ends its name: "The
      -- Guards said" after "Iran's Revolutionary Guards said")
      if last and not out[k]._person and not short and out[k].label == "named"
         and subject.body_word(last:lower()) and not full[last:lower()] then
        full[last:lower()] = at.text
      end
      if last and out[k]._person and not short then
        for _, key in ipairs({ last, at.text:match("^%S+ .-(%S+)$"), at.text:match("^%S+ .-(%S+ %u[%w'%-]+)$") }) do
          key = key:lower()
          full[key] = full[key] or at.text
        end
      elseif short then
        local name = full[short]
        at.source, at.text, at.chain[#at.chain] = name, name, name
        if out[k].label ~= "named" then out[k].label = "named" end
      end
    end
  end
  return out, slast
end

--- sources(ctx_or_text [, opts]) -> spans, label "named", "anonymous" or
-- "institution";
-- attrs: source (the cited source as written, or its name), source_entity
-- (a gazetteer entity or an outlet from the outlets lexicon), verb, chain
-- (outermost first: {"RT", "Syrian Observatory for Human Rights"}), via
-- (the outlet passing it on), claims (start offsets of the quantity and
-- quote spans it covers). Each covered span gets attrs.source and
-- attrs.source_entity too. Run quantities and quotes first.
function M.sources(c, opts)
  opts = util.check_opts(opts, "sources")
  local ctx = util.ctx(c, opts, "sources")
  local ti = util.info(ctx)
  local out, slast = attributions(ctx, ti, opts)
  -- with no attribution no claim has a source to get (claims.link only
  -- hands out the attributions' sources), so most documents skip it
  if #out > 0 then claims.link(ctx, ti, out, slast) end
  return out
end

-- Not compiled: the attribution code and the claims. The loop over a
-- document's speech verbs (some 4 a document) runs through a hundred
-- branches, and LuaJIT made a side trace of nearly every path through
-- it: over a thousand traces in a `tag` of 8,390 documents, and most of
-- the time sources took went to the JIT compiler. The claims' loops
-- were cheaper interpreted too (measured: tests/bench/RESULTS.md). The
-- scan for verbs and the helpers are compiled.
jit.off(attributions)
return M
