-- lector.extract.subject: the person or body a sentence names where news
-- sets a name off with commas or puts a title before it. Sources and
-- quotes read a speech verb's subject backwards to the first comma; these
-- are the forms that stop them there:
--
--   Marianne Gasser, the head of the ICRC delegation, said ...
--   A coalition spokesman, Colonel Ryan Dillon, said ...
--   The UN's humanitarian chief, Stephen O'Brien, told ...
--
-- and clauses set off by commas (", speaking on condition of anonymity,").
-- For who "he" or "she" is: a name after a title ("Deputy Prime Minister
-- Numan Kurtulmus blamed ..."), never a Mrs. for "he". And where a speech
-- verb's form is none ("United States", "the claims"). Lexicons:
-- person_titles, dates (months and weekdays are nobody).
local lexicon = require "lector.extract.lexicon"
local band = require("bit").band
local token = require "lector.token"

local FCAP, FHY, FUPPER = token.flags.cap, token.flags.hyphen_joined, token.flags.upper

local M = {}

local function is_cap(ti, q) return band(ti.fl[q], FCAP) ~= 0 and ti.kind[q] == "word" end

-- Lower-case words inside a name ("Abdulrahman al-Hassan", "Osama bin
-- Laden", "Ursula von der Leyen").
local CONNECTOR = { al = true, el = true, ["bin"] = true, ibn = true, bint = true, de = true,
  du = true, da = true, del = true, der = true, von = true, van = true, ul = true, ad = true,
  ash = true, as = true, ar = true, az = true, la = true, le = true, di = true }

-- Words a descriptive phrase set off by commas starts with.
local DETERMINER = { the = true, a = true, an = true, his = true, her = true, its = true,
  their = true, our = true, another = true, one = true }

-- Words that show a clause, not a noun phrase, between two commas.
local CLAUSE = { is = true, are = true, was = true, were = true, has = true, have = true,
  had = true, will = true, would = true, could = true, should = true, may = true, might = true,
  can = true, did = true, does = true, ["do"] = true, ["not"] = true, ["n't"] = true, who = true,
  which = true, that = true, ["if"] = true, when = true, ["while"] = true, because = true,
  although = true, ["and"] = true, ["or"] = true, but = true }

-- Adverbs and auxiliaries between a subject, or an apposition's closing
-- comma, and its verb ("Rybakov also confirmed", "Assad has said", ",
-- later told", ", has called"); sources reads them too.
local ADVERB = { later = true, also = true, earlier = true, ["then"] = true, separately = true,
  previously = true, recently = true, again = true, however = true, meanwhile = true,
  has = true, have = true, had = true, repeatedly = true, publicly = true, reportedly = true,
  quickly = true, privately = true, immediately = true, further = true, first = true,
  there = true, here = true }
M.ADVERB = ADVERB

-- The forms of "be" before a passive participle ("was quoted as saying",
-- "were reported by"), for quotes and sources.
M.PASSIVE_BE = { was = true, were = true, is = true, are = true, been = true, be = true, being = true }

--- Whether tokens a..b are only adverbs and auxiliaries ("has", "later").
function M.only_aux(ti, a, b)
  for q = a, b do
    if not ADVERB[ti.norm[q]] then return false end
  end
  return true
end

-- Words a sentence may open with before its subject ("But", "Meanwhile,").
local OPENER = { but = true, ["and"] = true, meanwhile = true, however = true, also = true,
  separately = true, later = true, earlier = true, still = true, yet = true, [","] = true }
M.OPENER = OPENER

-- Words before a speech verb's form that make it a noun ("the claims",
-- "a statement", "shocked at reports").
local NOUN_BEFORE = { the = true, a = true, an = true, these = true, those = true, its = true,
  their = true, his = true, her = true, our = true, such = true, ["'s"] = true, at = true,
  of = true, ["in"] = true, on = true, ["for"] = true, with = true, about = true, from = true,
  by = true, under = true, amid = true, despite = true }

--- Whether the speech verb form at token q is no verb there: a noun by
-- the word before it, half of a hyphenated word, or capitalised after a
-- word, part of a name ("United States", "Edward Said").
local STATE_AFTER = { missing = true, dead = true, killed = true, injured = true, wounded = true,
  kidnapped = true, abducted = true, captured = true, arrested = true, safe = true, stranded = true }

local NEXT_VERB = { said = true, say = true, says = true, suggested = true, suggest = true,
  indicated = true, indicate = true, showed = true, show = true, claimed = true, put = true,
  had = true, have = true, were = true, are = true }

function M.not_verb(ti, q)
  if q <= 1 then return false end
  -- "Myanmar army accused of killing hundreds": the accused, in a passive
  if ti.norm[q] == "accused" and ti.norm[q + 1] == "of" then return true end
  -- "an attack that claimed 89 lives", "claims the lives of": a death toll
  local w = ti.norm[q]
  if (w == "claims" or w == "claimed" or w == "claiming" or w == "claim") and
     (ti.kind[q + 1] == "number" or ti.norm[q + 2] == "lives" or ti.norm[q + 3] == "lives") then
    return true
  end
  -- "Gunmen said to be in trucks", "villagers reported missing": hearsay
  -- or a state, no attribution
  if (w == "said" or w == "reported" or w == "believed" or w == "thought") and ti.norm[q + 1] == "to"
     and (ti.norm[q + 2] == "be" or ti.norm[q + 2] == "have") then
    return true
  end
  if w == "reported" and STATE_AFTER[ti.norm[q + 1]] then return true end
  -- "Media reports said", "unconfirmed reports suggested": a plural noun
  -- before the verb
  if (w == "reports" or w == "claims" or w == "estimates" or w == "figures") and NEXT_VERB[ti.norm[q + 1]] then
    return true
  end
  local p = q - 1
  if NOUN_BEFORE[ti.norm[p]] then return true end
  -- "the U.N.-declared year": half of a hyphenated word
  if ti.norm[p] == "-" and band(ti.fl[p], FHY) ~= 0 then return true end
  -- capitalised after a word: "United States", "the several States"
  return is_cap(ti, q) and ti.kind[p] == "word"
end

-- Titles that say whether "he" or "she" can be the person.
local FEMALE = { mrs = true, ["mrs."] = true, ms = true, ["ms."] = true, miss = true,
  madam = true, madame = true, mme = true, ["mme."] = true, queen = true, princess = true,
  lady = true, sister = true, dame = true }
local MALE = { mr = true, ["mr."] = true, sir = true, king = true, prince = true, lord = true,
  father = true, brother = true }

-- The first_names lexicon (the lexicon directory in force: the callers
-- carry no options) as lower-cased name -> "f" | "m", made once per
-- lexicon load.
local first_rows, first_gender
local function first_names()
  local rows = lexicon.load("first_names")
  if rows == first_rows then return first_gender end
  first_rows, first_gender = rows, {}
  for _, row in ipairs(rows) do
    if row.name and (row.gender == "f" or row.gender == "m") then first_gender[row.name:lower()] = row.gender end
  end
  return first_gender
end

--- Whether the name text (as written) cannot be pronoun ("he", "she"):
-- "Mrs. Lundeen" is no "he".
function M.wrong_gender(name, pronoun)
  local first = name and name:match("^%a+%.?")
  if not first then return false end
  first = first:lower()
  -- (past the titles to the first name: "Deputy Chief Minister Brajesh
  -- Pathak" is a "he" by Brajesh; a title that says it ("Mrs.") is read
  -- below)
  local g
  if not FEMALE[first] and not MALE[first] then
    local titles = M.titles()
    for w in name:gmatch("%a+") do
      local lw = w:lower()
      if not titles[lw] then
        g = first_names()[lw]
        break
      end
    end
  end
  if pronoun == "he" then return FEMALE[first] == true or g == "f" end
  if pronoun == "she" then return MALE[first] == true or g == "m" end
  return false
end

-- Words that are no one's name, capitalised or not.
local NOT_NAME = { i = true, we = true, you = true, it = true, they = true, he = true, she = true }

--- Whether tokens a..b are only a pronoun ("I", "We").
function M.pronoun_only(ti, a, b) return a == b and NOT_NAME[ti.norm[a]] == true end

local titles_of = setmetatable({}, { __mode = "k" })

--- The person_titles lexicon as a set of folded words.
function M.titles(opts)
  local rows = lexicon.load("person_titles", opts and opts.lexicons)
  local set = titles_of[rows]
  if set then return set end
  set = {}
  for i = 1, #rows do
    local w = rows[i].word
    if w then set[token.norm_string(token.norm_id(w))] = true end
  end
  titles_of[rows] = set
  return set
end

-- Whether token q may go on a name read from a capitalised word: a
-- connector or a hyphen between parts of it.
local function joins(ti, q)
  local s = ti.norm[q]
  if s == "-" then return band(ti.fl[q], FHY) ~= 0 end
  -- ("AT&T", "Texas A&M", "Marks & Spencer")
  if s == "&" then return true end
  return CONNECTOR[s] == true
end

-- Words capitalised at a sentence's start that are no name by themselves.
local FUNCTION = {}
for w in ([[in on at of for to from with by as and but or if so yet once then when while
  where after before since until though although because this that these those there here
  what who which how why some many most all both each every any one no not its it he she
  they we i you his her their our my your self meanwhile however also still now today]]):gmatch("%S+") do
  FUNCTION[w] = true
end

--- Whether tokens a..b are a name: capitalised words, with connectors
-- and hyphens inside (not first or last), at most six tokens.
function M.is_name(ti, a, b)
  if b < a or b - a > 5 or not is_cap(ti, a) or not is_cap(ti, b) then return false end
  if a == b and FUNCTION[ti.norm[a]] then return false end
  for q = a + 1, b - 1 do
    if not (is_cap(ti, q) or joins(ti, q)) then return false end
  end
  return true
end

-- Words that make a run of capitalised words a body, not a person.
local BODY = { army = true, forces = true, force = true, front = true, council = true,
  ministry = true, observatory = true, agency = true, committee = true, committees = true,
  brigade = true, brigades = true, movement = true, party = true, coalition = true,
  government = true, organisation = true, organization = true, network = true, union = true,
  office = true, institute = true, group = true, news = true, times = true, post = true,
  press = true, tv = true, radio = true, court = true, police = true, command = true,
  unit = true, units = true, corps = true, division = true, hospital = true, university = true,
  foundation = true, center = true, centre = true, commission = true, bureau = true,
  company = true, daily = true, state = true, states = true, nations = true, republic = true,
  kingdom = true, house = true, department = true, guard = true, guards = true, media = true,
  television = true, channel = true, newspaper = true, broadcaster = true, website = true,
  staff = true, assembly = true, parliament = true, senate = true, congress = true,
  directorate = true, authority = true, administration = true, province = true }

--- Whether the folded word s names a body ("ministry", "center",
-- "forces"), as a capitalised word in a name.
function M.body_word(s) return BODY[s] == true end

--- Whether tokens a..b name a person: a name (M.is_name) of two to
-- four words, none of them a word for a body ("Free Syrian Army").
function M.is_person_name(ti, a, b)
  if not M.is_name(ti, a, b) then return false end
  local words = 0
  for q = a, b do
    if is_cap(ti, q) then
      if BODY[ti.norm[q]] then return false end
      words = words + 1
    end
  end
  return words >= 2 and words <= 4
end

--- The name that runs from token a (a capitalised word), connectors and
-- hyphens inside it: its last token, or nil when a starts none.
function M.name_from(ti, a, hi)
  if not is_cap(ti, a) then return nil end
  local b, q = a, a + 1
  while q <= hi and q - a <= 5 do
    if is_cap(ti, q) then
      b = q
    elseif not joins(ti, q) then
      break
    end
    q = q + 1
  end
  return b
end

-- Whether tokens a..b read as a description ("the head of the ICRC
-- delegation", "a coalition spokesman", "the group's senior adviser"):
-- a determiner first or a title last, some lower-case word, no clause.
-- Prepositions after a title that say what it is of ("director for Cal
-- Fire").
local PREP_OF = { of = true, ["for"] = true, ["in"] = true, at = true, to = true, with = true }

local function is_description(ti, a, b, titles)
  if b < a or b - a > 18 then return false end
  local norm = ti.norm
  -- "Russia's ambassador to the UN", "Mr Guterres's spokesman"
  -- (or the Houthis' spokesman: a plural's apostrophe alone)
  local owner = false
  for q = a + 1, math.min(a + 3, b) do
    if norm[q] == "'s" or norm[q] == "'" then owner = true end
  end
  -- "adviser to the UN special envoy for Syria": a title first as well;
  -- or within the first words, before what it is of ("sector commander
  -- for Miami", "police spokesman in the state", "assistant deputy
  -- director for Cal Fire")
  local titled = false
  for q = a + 1, math.min(a + 3, b - 1) do
    if titles[norm[q]] and PREP_OF[norm[q + 1]] then titled = true; break end
  end
  if not (DETERMINER[norm[a]] or titles[norm[b]] or titles[norm[a]] or owner or titled) then return false end
  local lower = false
  for q = a, b do
    local s, k = norm[q], ti.kind[q]
    -- ("the group's chief negotiator and spokesman": one holder of two titles)
    -- (and inside a body's name: "the Red Cross and Red Crescent Societies'")
    -- ("chairman of the board and interim CEO": a second title a word on)
    if CLAUSE[s] and not (s == "and" and q > a and q < b and (titles[norm[q - 1]] or titles[norm[q + 1]]
                                                                or q + 2 <= b and titles[norm[q + 2]]
                                                                or (is_cap(ti, q - 1) and is_cap(ti, q + 1)))) then
      return false
    end
    -- (and an acronym in brackets: "the U.S. Homeland Security
    -- Investigations (HSI) agency")
    if k == "punct" and not (s == "-" and band(ti.fl[q], FHY) ~= 0)
       and not (s == "'" and q > a and norm[q - 1]:sub(-1) == "s")
       and not (s == "(" and norm[q + 2] == ")" and q + 2 <= b and band(ti.fl[q + 1], FUPPER) ~= 0)
       and not (s == ")" and norm[q - 2] == "(" and q - 2 >= a) then
      return false
    end
    if k == "word" and band(ti.fl[q], FCAP) == 0 then lower = true end
  end
  -- "The UN Secretary-General": capitalised throughout, a title last
  return lower or titles[norm[b]] == true
end

-- Capitalised words as sources.who has always read them.
local function cap_part(ti, q)
  return band(ti.fl[q], FCAP) ~= 0 and (ti.kind[q] == "word" or ti.norm[q] == "-")
end

-- Lower-case words inside the name of a body as well ("Center for Syrian
-- Reconciliation", "Institute for the Study of War").
local BODY_JOIN = { of = true, ["for"] = true, the = true, on = true, ["in"] = true }

local function joins_body(ti, q) return joins(ti, q) or BODY_JOIN[ti.norm[q]] == true end

--- The token before the name that ends a..b at b, its connectors
-- included ("Abdulrahman al-Hassan", not "Hassan"): the name is the
-- tokens after it up to b (none when it is b).
-- A capitalised word or the hyphen joining one to the next ("Al-Shabab",
-- "Co-operation").
-- the lower-case half of a hyphenated capitalised word
local function lower_half(ti, q)
  return ti.kind[q] == "word" and q > 2 and ti.norm[q - 1] == "-" and band(ti.fl[q - 1], FHY) ~= 0
    and cap_part(ti, q - 2)
end

local function name_part(ti, q)
  if cap_part(ti, q) then return true end
  -- (and the hyphen after one: "Tehreek-i-Taliban")
  if ti.norm[q] == "-" then
    return band(ti.fl[q], FHY) ~= 0 and q > 1 and (cap_part(ti, q - 1) or lower_half(ti, q - 1))
  end
  return lower_half(ti, q)
end

function M.name_back(ti, a, b)
  local q = b
  while q >= a and name_part(ti, q) do q = q - 1 end
  -- "Centers for Disease Control and Prevention", "Ministry of Labour and
  -- Social Affairs": an "and" inside a body's name that joins with "for"
  -- or "of" (not "Putin and Erdogan")
  if q > a and q < b and ti.norm[q] == "and" and is_cap(ti, q - 1) then
    local p = q - 1
    while p >= a and name_part(ti, p) do p = p - 1 end
    -- ("the General Command of the Army and Armed Forces")
    local p2 = ti.norm[p] == "the" and p - 1 or p
    if p2 > a and (ti.norm[p2] == "for" or ti.norm[p2] == "of") and is_cap(ti, p2 - 1) then q = p end
  end
  while q > a and q < b and joins_body(ti, q) do
    local p = q
    while p >= a and joins_body(ti, p) do p = p - 1 end
    if p < a or not is_cap(ti, p) then break end
    q = p
    while q >= a and name_part(ti, q) do q = q - 1 end
  end
  return q
end

-- Words after "X-" that make X a modifier of the noun that follows.
local LED = { led = true, backed = true, based = true, run = true, allied = true,
  funded = true, supported = true, controlled = true, held = true, linked = true,
  affiliated = true, sponsored = true, owned = true, aligned = true }

--- Whether the name ending at token q only modifies what follows it
-- within b: "U.S.-led coalition", "Iran-backed militias".
function M.modifies(ti, q, b)
  return q + 2 <= b and ti.norm[q + 1] == "-" and LED[ti.norm[q + 2]] == true
end

local calendar_of = setmetatable({}, { __mode = "k" })

--- The month and weekday names of the dates lexicon, as a set.
function M.calendar_words(opts)
  local rows = lexicon.load("dates", opts and opts.lexicons)
  local set = calendar_of[rows]
  if not set then
    set = {}
    for i = 1, #rows do
      local r = rows[i]
      if r.kind == "month" or r.kind == "weekday" then set[r.word] = true end
    end
    calendar_of[rows] = set
  end
  return set
end

--- Whether token q is a month or weekday name (the dates lexicon).
function M.calendar(ti, q, opts) return M.calendar_words(opts)[ti.norm[q]] == true end

--- The last token of a..b without an acronym in brackets at its end
-- ("Islamic State West Africa Province (ISWAP)", "the Red Cross (ICRC)"):
-- one to three words between the brackets.
function M.before_acronym(ti, a, b)
  if ti.norm[b] ~= ")" then return b end
  local p = b - 1
  while p > a and p >= b - 4 and ti.kind[p] == "word" do p = p - 1 end
  if ti.norm[p] == "(" and p > a and p < b - 1 then return p - 1 end
  return b
end

-- The first token from na (before b) past the titles a name opens with
-- ("Col. Turki al-Maliki", "Major-General Igor Konashenkov").
local function past_titles(ti, na, b, titles)
  local norm = ti.norm
  while na < b and (titles[norm[na]] and is_cap(ti, na)
        or norm[na] == "-" and band(ti.fl[na], FHY) ~= 0 and titles[norm[na + 1]]) do
    na = na + 1
  end
  return na
end

--- The apposition before a speech verb at token v whose sentence starts
-- at token lo: "NAME, DESCRIPTION, said", "DESCRIPTION, NAME, said" or
-- "NAME, AGE, said".
-- Returns the name's first and last tokens and the first token of the
-- whole subject, or nil.
--- The name before a description that opens a subject with no comma
-- after it ('"...," Ye Zhi, a villager in Zhangzha told'): tokens na, nb
-- of the name when a..b is a description and a comma and a person's
-- name right after a quote come before it; nil otherwise.
function M.name_before_description(ti, a, b, lo, opts)
  local norm = ti.norm
  if a - 3 < lo or norm[a - 1] ~= "," or not DETERMINER[norm[a]] then return nil end
  local nb = a - 2
  local na = nb
  while na - 1 >= lo and na > nb - 3 and is_cap(ti, na - 1) do na = na - 1 end
  if not M.is_person_name(ti, na, nb) then return nil end
  -- (after a quote's closing mark only: not "In London, The Sun and The
  -- Express reported", "Like Holmes, the private eye rejects")
  if norm[na - 1] ~= '"' and norm[na - 1] ~= "'" then return nil end
  if not is_description(ti, a, b, M.titles(opts)) then return nil end
  return na, nb
end

function M.appositive(ti, v, lo, opts)
  local norm = ti.norm
  local c2 = v - 1
  while c2 > lo and ADVERB[norm[c2]] do c2 = c2 - 1 end -- ", later told"
  if c2 - 2 < lo or norm[c2] ~= "," then return nil end
  local c1
  for q = c2 - 1, math.max(lo, c2 - 20), -1 do
    if norm[q] == "," then
      c1 = q
      break
    end
  end
  if not c1 or c1 == c2 - 1 then return nil end
  -- the first part reaches back to the sentence's start, past an opener,
  -- or to a closing quote mark ('"...," the center's head, NAME, told')
  local a1 = lo
  for q = c1 - 1, lo, -1 do
    local s = norm[q]
    if s == '"' or s == "'" then
      a1 = q + 1
      break
    end
  end
  while a1 < c1 and OPENER[norm[a1]] do a1 = a1 + 1 end
  -- past a short opening phrase: "Last October, NAME, the head of X,
  -- said", or a clause before a name: "Services were cut on Tuesday,
  -- NetBlocks, a group that monitors outages, said"
  local titles = M.titles(opts)
  local opener_a, opener_b
  for q = c1 - 1, a1, -1 do
    local w = norm[q]
    -- (a dash or a colon as well: "16:42 GMT - NAME, adviser to X, says")
    if w == "," or w == ":" or w == "—" or w == "–" or (w == "-" and band(ti.fl[q], FHY) == 0) then
      if q - a1 <= 5 or M.is_name(ti, q + 1, c1 - 1) or is_description(ti, q + 1, c1 - 1, titles) then
        opener_a, opener_b = a1, q - 1
        a1 = q + 1
      end
      break
    end
  end
  if a1 >= c1 or c1 - a1 > 12 then return nil end
  local a2, b1, b2 = c1 + 1, c1 - 1, c2 - 1
  -- "Inter-Services Public Relations (ISPR)": the name before its acronym
  -- (either part)
  b2 = M.before_acronym(ti, a2, b2)
  b1 = M.before_acronym(ti, a1, b1)
  -- "The Pakistani Taliban, or TTP, said": the name and another for it
  if norm[a2] == "or" and a2 < b2 and M.is_name(ti, a2 + 1, b2) then
    local na = a1
    while na < b1 and DETERMINER[norm[na]] do na = na + 1 end
    if M.is_name(ti, na, b1) then return na, b1, a1 end
  end
  -- "Ahmad Khalil, 34, said": a name and an age ("a protester named
  -- Mohamed, 27, told": the name)
  if a2 == b2 and ti.kind[a2] == "number" and (tonumber(norm[a2]) or 200) < 120 then
    if M.is_name(ti, a1, b1) then return a1, b1, a1 end
    for q = b1 - 1, a1, -1 do
      if (norm[q] == "named" or norm[q] == "called") and M.is_name(ti, q + 1, b1) then
        return q + 1, b1, a1
      end
    end
  end
  -- "NAME, a 52-year-old teacher who now works as a paramedic, said",
  -- "NAME, a group that monitors outages, said": the description up to
  -- its relative clause
  for q = a2 + 1, b2 do
    local w = norm[q]
    if w == "who" or w == "whose" or w == "which" or w == "that" then
      b2 = q - 1
      break
    end
  end
  -- "Ahmed Mohamed, 38, a resident who lost 11 relatives, said": a name,
  -- its age, then the description
  if a1 == b1 and ti.kind[a1] == "number" and (tonumber(norm[a1]) or 200) < 120 and opener_a
     and M.is_name(ti, opener_a, opener_b) and is_description(ti, a2, b2, titles) then
    return opener_a, opener_b, opener_a
  end
  if M.is_name(ti, a1, b1) and is_description(ti, a2, b2, titles) then
    -- without its titles: "Col. Turki al-Maliki, the spokesman, said"
    local na = past_titles(ti, a1, b1, titles)
    if not M.is_name(ti, na, b1) then na = a1 end
    return na, b1, a1
  end
  if is_description(ti, a1, b1, titles) then
    -- "Zaw Htay, a spokesman for the country's leader, Aung San Suu Kyi,
    -- told": the description and the name after it tell who the
    -- spokesman works for; the person named first speaks
    if opener_a and M.is_person_name(ti, opener_a, opener_b) then
      local dated = false -- "Last October, the head of X, NAME, said"
      for q = opener_a, opener_b do dated = dated or M.calendar(ti, q, opts) end
      if not dated then return opener_a, opener_b, opener_a end
    end
    -- a title may open the name part: "Colonel Ryan Dillon",
    -- "Major-General Igor Konashenkov"
    local na = past_titles(ti, a2, b2, titles)
    if M.is_name(ti, na, b2) then return na, b2, a1 end
  end
  return nil
end

-- Words that open a clause set off by commas (", who ...,", ", formerly
-- known as ...,", ", in a statement,"); participles ending -ing or -ed do too.
local CLAUSE_OPENER = { who = true, which = true, whose = true, formerly = true,
  previously = true, known = true, now = true, once = true, ["in"] = true, on = true,
  during = true, via = true, through = true, meanwhile = true, however = true, too = true,
  though = true, instead = true, also = true, separately = true, later = true }

--- The comma opening a clause that closes with the comma before token v
-- (", who spoke on condition of anonymity,", ", speaking to reporters,",
-- ", backed by Turkey,", ", formerly known as al-Nusra Front,"),
-- 24 tokens back at most (", who spoke on condition of anonymity because
-- he was not authorised to talk to the media,"): its index, or nil.
function M.clause_back(ti, v, lo)
  local norm = ti.norm
  if norm[v - 1] ~= "," then return nil end
  for q = v - 2, math.max(lo, v - 24), -1 do
    if norm[q] == "," then
      local w = norm[q + 1]
      if CLAUSE_OPENER[w] or (ti.kind[q + 1] == "word" and #w > 4 and not is_cap(ti, q + 1)
         and (w:sub(-3) == "ing" or w:sub(-2) == "ed")) then
        -- (an age before it is set off too: "Fatima, 62, who fled, told")
        if q - 2 >= lo and ti.kind[q - 1] == "number" and norm[q - 2] == "," then return q - 2 end
        return q
      end
    end
  end
  return nil
end

local SUBJECT_PRONOUN = { he = true, she = true, they = true }

-- The token after the dash of a dateline opening the sentence at token lo
-- ("PORT SUDAN, Sudan (AP) — ...", "KYIV, March 14 (Reuters) - ..."): a
-- place in capitals first, then names, dates and an agency in
-- parentheses; or nil.
function M.dateline_end(ti, lo, hi)
  local w = ti.text:sub(ti.st[lo], ti.sp[lo])
  if ti.kind[lo] ~= "word" or #w < 3 or w:find("%l") then return nil end
  for q = lo + 1, math.min(hi - 1, lo + 14) do
    local s, k = ti.norm[q], ti.kind[q]
    if (s == "—" or s == "–" or s == "-") and band(ti.fl[q], FHY) == 0 then return q + 1 end
    if not (k == "number" or s == "," or s == "." or s == "(" or s == ")" or is_cap(ti, q)) then
      return nil
    end
  end
  return nil
end

--- The noun phrase the sentence from token lo opens with, up to token
-- hi: a name, a description ending in a head noun ("Syria's justice
-- ministry", "The U.S.-led coalition"), read up to the first lower-case
-- word after a head. A head is a capitalised word, a title, a word for
-- a body, or a token is_head(q) says is one ("officials"). A pronoun
-- (he, she, they) alone is returned as it is. Its first and last tokens,
-- or nil. For a participle's subject: `X rejected it as "untrue", saying`.
function M.lead(ti, lo, hi, is_head, opts)
  local norm, kind = ti.norm, ti.kind
  local titles = M.titles(opts)
  local a = M.dateline_end(ti, lo, hi) or lo
  while a < hi and OPENER[norm[a]] do a = a + 1 end
  if SUBJECT_PRONOUN[norm[a]] then return a, a end -- "He rejected it as ..."
  local last
  local open, mods = true, 0 -- a noun phrase begun, its head still to come
  local q = a
  while q <= hi and q - a < 10 do
    local s = norm[q]
    if DETERMINER[s] or s == "'s" or s == "'" or (s == "-" and band(ti.fl[q], FHY) ~= 0)
        or (last and s == "of") then
      open = true -- possessives, hyphens, determiners and "of" go on
    elseif (is_cap(ti, q) and not (q == a and FUNCTION[s])) or titles[s] or BODY[s] or is_head(q) then
      last, open, mods = q, false, 0
    elseif open and mods < 3 and kind[q] == "word" and not CLAUSE[s] and not FUNCTION[s] then
      mods = mods + 1 -- a modifier before a head: "local officials"
    else
      break
    end
    q = q + 1
  end
  if not last or CLAUSE[norm[last]] then return nil end
  -- "The UN Secretary-General, António Guterres, has called ...": the
  -- name the description is set beside
  if norm[last + 1] == "," then
    for c2 = last + 3, math.min(hi, last + 8) do
      if norm[c2] == "," then
        if M.is_person_name(ti, last + 2, c2 - 1) then return last + 2, c2 - 1 end
        break
      end
    end
  end
  return a, last
end

--- ", said the office's spokesperson, Thameen Al-Kheetan, adding": the
-- person's name set beside a description a..b read after a verb (a
-- determiner first), up to hi: its first and last tokens, or nil.
function M.name_beside(ti, a, b, hi, titles)
  local norm = ti.norm
  if not DETERMINER[norm[a]] or norm[b + 1] ~= "," or b + 2 > hi then return nil end
  local nb = M.name_from(ti, b + 2, hi)
  if not nb then return nil end
  -- (past the titles: "a Coast Guard spokesman, Chief Petty Officer Levi
  -- Read")
  local na = b + 2
  if titles then na = past_titles(ti, na, nb, titles) end
  if not M.is_person_name(ti, na, nb) then return nil end
  local after = norm[nb + 1]
  if nb == hi or after == "," or after == "." or after == ";" or after == ":" then return na, nb end
  return nil
end

--- The first token of a person's name that ends a..b right after a
-- title ("Kremlin spokesman Dmitry Peskov", "US ambassador Nikki
-- Haley"; titles: M.titles), or nil.
function M.person_after_title(ti, a, b, titles)
  local q = M.name_back(ti, a, b)
  if q >= a and q < b and titles[ti.norm[q]] and M.is_person_name(ti, q + 1, b) then return q + 1 end
  return nil
end

--- The name after a title word at token q ("Minister Numan Kurtulmus",
-- "spokesman Talal Silo"): its first and last tokens, or nil.
function M.titled_name(ti, q, titles, hi)
  if not titles[ti.norm[q]] then return nil end
  local a = q + 1
  if a > hi or titles[ti.norm[a]] then return nil end
  local b = M.name_from(ti, a, hi)
  if not b then return nil end
  return a, b
end

return M
