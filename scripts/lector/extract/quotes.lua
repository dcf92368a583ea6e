-- lector.extract.quotes: quoted passages and who said them (layer
-- `quote`). Straight and curly quotes, quotes over several paragraphs,
-- quotes inside quotes. Lexicon: speech_verbs.
local util = require "lector.extract.util"
local subject = require "lector.extract.subject"
-- the context's add, called straight from quote_spans, which runs
-- interpreted (not through the context's __index, a call more each)
local Ctx = require("lector.context").Context
local band = require("bit").band
local FCAP, FHY, FLE, FPE, FSB = util.FCAP, util.FHY, util.FLE, util.FPE, util.FSB

local M = {}

M.layer = "quote"

local PRONOUNS = { he = "he", she = "she", him = "he", her = "she", they = "they", them = "they" }

-- Words that end a speaker phrase read backwards from the verb.
local STOP = { that = true, which = true, who = true, ["while"] = true, but = true,
  although = true, though = true, as = true, because = true, when = true, ["if"] = true,
  with = true, what = true, ["and"] = false, where = true, whereas = true, since = true,
  so = true, yet = true, ["then"] = true, after = true, before = true, ["until"] = true }

local byte = string.byte

-- The kind ("d" double, "s" single) and role ("open", "close" or nil) of
-- the quote mark at token i, read from its bytes (no string made).
local function mark_of(text, ti, i)
  local a, len = ti.st[i], ti.sp[i] - ti.st[i] + 1
  if len == 3 and byte(text, a) == 226 and byte(text, a + 1) == 128 then
    local c = byte(text, a + 2)
    if c == 156 then return "d", "open" end   -- “
    if c == 157 then return "d", "close" end  -- ”
    if c == 152 then return "s", "open" end   -- ‘
    if c == 153 then return "s", "close" end  -- ’
  end
  local kind = (len == 1 and byte(text, a) == 34) and "d" or "s"
  local n = ti.n
  local before = i == 1 or band(ti.fl[i], FSB) ~= 0 or band(ti.fl[i - 1], FLE) ~= 0
    or ti.norm[i - 1] == "(" or ti.norm[i - 1] == "["
  local after = i == n or (band(ti.fl[i + 1], FSB) ~= 0) or (band(ti.fl[i], FLE) ~= 0)
  if before and not after then return kind, "open" end
  if after and not before then return kind, "close" end
  if not before and not after and ti.kind[i + 1] == "punct" then return kind, "close" end
  return kind, nil
end

-- Words before "as NAME" that name a person ("identified only as Ali").
local NAMED_AS = { only = true, name = true, identified = true, himself = true, herself = true,
  introduced = true, known = true }

-- Punctuation that ends a sentence inside a quote.
local TERMINAL = { ["."] = true, ["?"] = true, ["!"] = true, ["…"] = true }

-- The verb "be" before a passive ("was quoted").
local PASSIVE_BE = subject.PASSIVE_BE

-- Heads of a phrase that name no person ("The Islamic State group said").
local NOT_PERSON = { group = true, groups = true, ministry = true, agency = true, office = true,
  statement = true, report = true, militia = true, faction = true, organisation = true,
  organization = true, authorities = true, government = true, embassy = true, council = true }

-- Auxiliaries between a speaker and the verb, not part of the speaker.
local AUX = { has = true, have = true, had = true }

-- Speaker phrase read back from token v - 1 to the sentence start, a
-- punctuation mark or a clause word, auxiliaries before v left out
-- ("Assad has said"): first, last (or nil).
local function phrase_back(ti, v, lo)
  local q = v - 1
  local count = 0
  while q >= lo and count < 14 do
    local k, s = ti.kind[q], ti.norm[q]
    if k == "punct" and not (s == "-" and (band(ti.fl[q], FHY) ~= 0)) then break end
    -- (nor past the end of a paragraph: a headline without a stop above
    -- it; a line's end alone may be a hard wrap)
    if q < v - 1 and band(ti.fl[q], FPE) ~= 0 then break end
    if STOP[s] then break end
    q, count = q - 1, count + 1
  end
  local b = v - 1
  while b > q + 1 and AUX[ti.norm[b]] do b = b - 1 end -- "Assad has said"
  -- ", and Defence Minister X told parliament": the clause's conjunction
  -- is no part of its subject
  if q + 1 < b and (ti.norm[q + 1] == "and" or ti.norm[q + 1] == "but") then q = q + 1 end
  if q + 1 > b then return nil end
  return q + 1, b
end

local function phrase_fwd(ti, v, hi)
  local q = v + 1
  local count = 0
  while q <= hi and count < 10 do
    local k, s = ti.kind[q], ti.norm[q]
    if k == "punct" and not (s == "-" and (band(ti.fl[q], FHY) ~= 0)) then break end
    if STOP[s] then break end
    q, count = q + 1, count + 1
  end
  if q - 1 < v + 1 then return nil end
  return v + 1, q - 1
end

-- The subject of the speech verb at token k in the sentence from lo: the
-- phrase before it (phrase_back, lo = 1 reads past the sentence's start
-- as phrase_back always has), or, where a comma ends that phrase, the one
-- before a clause set off by commas ("A senior official, who asked not to
-- be named, said") or an apposition ("NAME, the envoy, said"): first,
-- last (or nil).
local function set_off(ti, k, s_first, opts)
  local c = subject.clause_back(ti, k, s_first)
  if c then return phrase_back(ti, c, s_first) end
  return subject.appositive(ti, k, s_first, opts)
end

local function subject_back(ti, k, lo, s_first, opts)
  local a, b = phrase_back(ti, k, lo)
  if a then return a, b end
  return set_off(ti, k, s_first, opts)
end

-- Whether the match m in tokens a..b only says whom the person named at
-- the end serves: "US ambassador Nikki Haley", "UN envoy Staffan de
-- Mistura".
local function serves(ti, m, a, b)
  if m.last >= b then return false end
  local q = subject.name_back(ti, a, b)
  return q > m.last and subject.is_person_name(ti, q + 1, b)
end

-- The entity in tokens a..b: a gazetteer match (persons first) or an
-- outlet.
local function entity_in(ctx, a, b)
  local of, mo = ctx.raw_matches.of, ctx.match_of
  local best
  for q = a, b do
    -- (match_of only where a match covers q: a miss calls its __index)
    local m = of[q] and mo[q]
    if m then
      if m.type == "PERSON" then return m.entity, m end
      best = best or m
    end
  end
  local ti = util.info(ctx)
  if best and not serves(ti, best, a, b) then return best.entity, best end
  local om = util.outlets_of(ctx)
  for q = a, b do
    if om[q] and not serves(ti, om[q], a, b) then return om[q].entity, om[q] end
  end
end

-- The trailing run of capitalised words of a phrase (a name), or nil.
local function name_in(ti, a, b)
  local q = b
  while q >= a and (band(ti.fl[q], FCAP) ~= 0) and ti.kind[q] == "word" do q = q - 1 end
  if q == b or subject.pronoun_only(ti, q + 1, b) then return nil end
  return ti.text:sub(ti.st[q + 1], ti.sp[b]), q + 1
end

-- Whether tokens a..b read as someone who speaks: he, she or they, a
-- name, a phrase with an entity or outlet in it, or one ending in a
-- title or a source noun ("the ministry spokesman", "local officials").
local SPEAKER_PRONOUN = { he = true, she = true, they = true }
local function speaker_like(ctx, ti, a, b, opts)
  if b - a > 8 then return false end
  if a == b and SPEAKER_PRONOUN[ti.norm[a]] then return true end
  if subject.is_name(ti, a, b) then return true end -- (a pronoun alone is no name)
  if entity_in(ctx, a, b) then return true end
  -- "Kremlin spokesman Dmitry Peskov": a name after a title
  local titles = subject.titles(opts)
  if subject.person_after_title(ti, a, b, titles) then return true end
  if titles[ti.norm[b]] then return true end
  return util.match(ti, util.lex_index("anonymous_sources", "noun", opts), b) ~= nil
end

-- The quote pairs of the text ({open, close [, nested = true]}), by
-- opening token. (A function of its own, the loop over every token
-- compiled apart from the work on each pair.)
local function pair_marks(ti, text)
  local norm, n, kind, fl = ti.norm, ti.n, ti.kind, ti.fl
  local pairs_ = {}
  local open_d, open_s
  for i = 1, n do
    local s = norm[i]
    if (s == '"' or s == "'") and kind[i] == "punct" then
      local k, role = mark_of(text, ti, i)
      if k == "d" then
        if role == "open" then
          if open_d then
            local para = false
            for q = open_d, i - 1 do if (band(fl[q], FPE) ~= 0) then para = true; break end end
            if not para then open_d, open_s = i, nil end -- an unclosed one before: dropped
          else
            open_d, open_s = i, nil
          end
        elseif role == "close" and open_d then
          pairs_[#pairs_ + 1] = { open_d, i }
          open_d, open_s = nil, nil
        end
      else
        if role == "open" and not open_s then
          open_s = i
        elseif role == "close" and open_s then
          pairs_[#pairs_ + 1] = { open_s, i, nested = open_d ~= nil }
          open_s = nil
        end
      end
    end
  end
  -- by opening token: pairs are made as they close, so only a pair
  -- inside another comes out of order (an insertion sort, and no
  -- table.sort with a Lua comparator, which stops a trace; no two pairs
  -- share an opening token, so the order is the one table.sort gave)
  for j = 2, #pairs_ do
    local p = pairs_[j]
    local o = p[1]
    local k = j - 1
    while k >= 1 and pairs_[k][1] > o do
      pairs_[k + 1] = pairs_[k]
      k = k - 1
    end
    pairs_[k + 1] = p
  end
  return pairs_
end

-- The loops over tokens M.quotes runs for each pair, compiled (M.quotes
-- is not, below).

-- The words (word and number tokens, the second half of a hyphened
-- word not counted) and paragraphs of the tokens inside pair o..cl.
local function count_words(ti, o, cl)
  local norm, kind, fl = ti.norm, ti.kind, ti.fl
  local words, paras = 0, 1
  for q = o + 1, cl - 1 do
    local k = kind[q]
    if (k == "word" or k == "number") and not (norm[q - 1] == "-" and band(fl[q - 1], FHY) ~= 0) then
      words = words + 1
    end
    if band(fl[q], FPE) ~= 0 then paras = paras + 1 end
  end
  return words, paras
end

-- Whether the verb at token q is a participle ("saying", "adding").
local function participle(ti, q)
  local w = ti.norm[q]
  return #w > 5 and w:sub(-3) == "ing"
end

-- The speech verb at token q (its lexicon entry and last token), but
-- not where the form is no verb (subject.not_verb): a name, "Omar
-- Said"; a noun, "the claims", "his warning".
local function verb_at(ti, verbs, q)
  local e, l = util.match(ti, verbs, q)
  if e and subject.not_verb(ti, q) then return nil end
  -- an aside's participle goes on from a comma (", adding that");
  -- elsewhere its form is mostly a noun ("his warning")
  local before = ti.norm[q - 1]
  if e and e.row.kind == "aside" and participle(ti, q) and before ~= "," and before ~= '"' and before ~= "'" then
    return nil
  end
  -- a passive says nothing of its subject's words: "the victims were
  -- described as 'a couple of tourists'"
  if e and PASSIVE_BE[before] and e.row.kind == "aside" then return nil end
  return e, l
end

-- The nearest speech verb (but "according to") ending before token o,
-- from o - 1 back to s_first, none inside the quote prev ({open, close},
-- the one before): its first and last token, or nil.
local function verb_before(ti, verbs, o, s_first, prev)
  local q = o - 1
  while q >= s_first do
    -- not a verb quoted: "... investigate "the reports of civilian
    -- casualties," adding that its forces "abide by ...""
    if prev and q == prev[2] then q = prev[1] - 1 end
    local e, l = verb_at(ti, verbs, q)
    if e and l < o and e.row.kind ~= "according" then return q, l end
    q = q - 1
  end
end

-- After a quote (from token p, s_last the sentence's last token): ," X
-- said or ," said X: the verb's first and last token and the speaker
-- phrase's (or nil).
local function verb_after(ti, verbs, p, s_last, opts)
  local e, l = util.match(ti, verbs, p)
  if e and e.row.kind ~= "according" then
    -- ," saying ...: what follows is what was said, not who said it
    if participle(ti, p) then return p, l end
    local sa, sb = phrase_fwd(ti, l, s_last)
    -- (", said the office's spokesperson, NAME,": the person)
    if sa then
      local na, nb = subject.name_beside(ti, sa, sb, s_last, subject.titles(opts))
      if na then return p, l, na, nb end
    end
    return p, l, sa, sb
  end
  local norm, kind, fl = ti.norm, ti.kind, ti.fl
  local q = p
  while q <= s_last and q < p + 15 do
    local k, s = kind[q], norm[q]
    if k == "punct" and not (s == "-" and (band(fl[q], FHY) ~= 0)) then break end
    -- '"terrorists", and Damascus accuses': another clause's subject
    if q == p and (STOP[s] or s == "and" or s == "or") then break end
    local e2, l2 = util.match(ti, verbs, q)
    if e2 and e2.row.kind ~= "according" then return q, l2, p, q - 1 end
    q = q + 1
  end
  if norm[q] == "," then
    -- ," the center's head, Lt. Gen. Sergei Kuralenko, told
    local c2 = q + 1
    while c2 <= s_last and c2 < q + 14 and norm[c2] ~= "," do c2 = c2 + 1 end
    local e3, l3 = util.match(ti, verbs, c2 + 1)
    if norm[c2] == "," and e3 and e3.row.kind ~= "according" then
      local na, nb = subject.appositive(ti, c2 + 1, p, opts)
      if na then return c2 + 1, l3, na, nb end
    end
    -- ," Fatima, 62, who fled with her grandchildren, told": a name, then
    -- an age and a clause set off by commas
    if not e3 and subject.is_name(ti, p, q - 1) and kind[q + 1] == "number" and norm[q + 2] == "," then
      local c3 = q + 3
      while c3 <= s_last and c3 < q + 26 and norm[c3] ~= "," do c3 = c3 + 1 end
      local e4, l4 = util.match(ti, verbs, c3 + 1)
      if norm[c3] == "," and e4 and e4.row.kind ~= "according" and subject.clause_back(ti, c3 + 1, q) == q then
        return c3 + 1, l4, p, q - 1
      end
    end
  end
  return nil
end

-- A short quote in its sentence (opening token o): Lavrov said that the
-- US was "playing with fire". The say or tell verb before it in the
-- clause, when "that" or nothing comes between, and the phrase before
-- the verb: verb first, last, speaker first, last (or nil).
local function partial_verb(ti, verbs, o, s_first)
  local norm, kind, fl = ti.norm, ti.kind, ti.fl
  for q = o - 1, s_first, -1 do
    if kind[q] == "punct" and not (norm[q] == "-" and (band(fl[q], FHY) ~= 0)) then return nil end
    local e = util.match(ti, verbs, q)
    if e and (e.row.kind == "say" or e.row.kind == "tell") then
      -- said that ... "x", or said "x"
      local that = q == o - 1
      for q2 = q + 1, o - 1 do if norm[q2] == "that" then that = true; break end end
      local xa, xb = phrase_back(ti, q, s_first)
      if xa and that then return q, q, xa, xb end
      return nil
    end
  end
  return nil
end

-- "Mikati was quoted by the NNA as saying ...": whether the participle
-- at token q is such a passive's, and who was quoted (first, last, when
-- it reads as a speaker).
local function quoted_as(ctx, ti, q, s_first, opts)
  local norm = ti.norm
  if not (participle(ti, q) and norm[q - 1] == "as") then return false end
  for p = q - 2, math.max(s_first + 1, q - 10), -1 do
    if norm[p] == "quoted" and PASSIVE_BE[norm[p - 1]] then
      local xa, xb = phrase_back(ti, p - 1, s_first)
      if xa and speaker_like(ctx, ti, xa, xb, opts) then return true, xa, xb end
      return true
    end
  end
  return false
end

-- The speaker of the speech verb at token k: who was quoted for "was
-- quoted by X as saying", else subject_back's phrase.
local function verb_subject(ctx, ti, k, lo, s_first, opts)
  local passive, xa, xb = quoted_as(ctx, ti, k, s_first, opts)
  if passive then return xa, xb end
  return subject_back(ti, k, lo, s_first, opts)
end

-- A short quote (opening token o) in what a named subject is reported
-- saying: She said the offensive, launched in June, would take "weeks,
-- not months". The say or tell verb before it in the sentence (from
-- s_first), commas between only in pairs, and a subject before the verb
-- that reads as a speaker (speaker_like): verb first, last, speaker
-- first, last (or nil).
local function reported_verb(ctx, ti, verbs, o, s_first, opts)
  local norm = ti.norm
  local q, l = verb_before(ti, verbs, o, s_first)
  local e = q and util.match(ti, verbs, q)
  if not (e and (e.row.kind == "say" or e.row.kind == "tell")) then return nil end
  local commas = 0
  for q2 = l + 1, o - 1 do
    local s2 = norm[q2]
    if s2 == "," then
      commas = commas + 1
    elseif ti.kind[q2] == "punct" and not (s2 == "-" and band(ti.fl[q2], FHY) ~= 0) then
      return nil
    end
  end
  if commas % 2 ~= 0 then return nil end
  local passive, xa, xb = quoted_as(ctx, ti, q, s_first, opts)
  if passive then
    if xa then return q, l, xa, xb end
    return nil
  end
  xa, xb = phrase_back(ti, q, s_first)
  if not (xa and speaker_like(ctx, ti, xa, xb, opts)) then
    xa, xb = subject.appositive(ti, q, s_first, opts) -- "NAME, the envoy, (later) said"
  end
  if xa and speaker_like(ctx, ti, xa, xb, opts) then return q, l, xa, xb end
  return nil
end

-- Verbs by which someone characterises something in a word or two of
-- their own: He described the strike as "a massacre"; The UN called the
-- situation "catastrophic".
local CHARACTERISE = { described = true, describes = true, describing = true, called = true,
  calls = true, calling = true, labelled = true, labeled = true, labels = true, branded = true,
  brands = true, termed = true, terms = true, dubbed = true, dubs = true }

-- No word is a head of its own (subject.lead's is_head), made once: a
-- closure made in the loop below was a bytecode (UCLO) LuaJIT's traces
-- stop at.
local function no_head() return false end

-- A short quote (opening token o) that characterises what a subject's
-- verb names: the verb before it in the clause (from s_first) with its
-- object between them, and a subject before the verb that reads as a
-- speaker. Not "a group called "Jaish al-Islam"" (nothing between).
-- Verb first, last, speaker first, last (or nil).
local function characterising(ctx, ti, o, s_first, opts)
  local norm, kind = ti.norm, ti.kind
  for q = o - 1, math.max(s_first, o - 10), -1 do
    if kind[q] == "punct" and not (norm[q] == "-" and band(ti.fl[q], FHY) ~= 0) then return nil end
    if CHARACTERISE[norm[q]] then
      if q >= o - 1 or (q == o - 2 and norm[o - 1] == "as") then return nil end
      local xa, xb
      if participle(ti, q) then
        xa, xb = subject.lead(ti, s_first, q - 1, no_head, opts)
      else
        xa, xb = phrase_back(ti, q, s_first)
      end
      if xa and speaker_like(ctx, ti, xa, xb, opts) then return q, q, xa, xb end
      return nil
    end
  end
  return nil
end

-- The number of the sentence holding token i (sentence k holds tokens
-- first[k]..last[k]), or nil: ctx:sentence_of_token(i) read from the
-- bounds quote_spans has (no method call through the context's __index
-- from code that runs interpreted); hint, a sentence near i, is tried
-- first.
local function sentence_of(first, last, i, hint)
  if hint and first[hint] <= i and i <= last[hint] then return hint end
  local lo, hi = 1, #first
  while lo <= hi do
    local mid = math.floor((lo + hi) / 2)
    if i < first[mid] then hi = mid - 1
    elseif i > last[mid] then lo = mid + 1
    else return mid end
  end
  return nil
end

-- The first token of token q's sentence (1 between sentences). (Not a
-- closure in nearest_person: a function that makes one closes upvalues
-- at each return, a bytecode (UCLO) LuaJIT's traces stop at.)
local function start_of(sfirst, slast, q)
  local sq = sentence_of(sfirst, slast, q)
  return sq and sfirst[sq] or 1
end

-- The nearest person before a quote (opening token o) whose speaker
-- phrase (from token sa) is the pronoun pron: a PERSON match, a name set
-- off by commas ("The UN Secretary-General, Antonio Guterres, has ..."),
-- a name after a title, the subject of a speech verb, or cand (an earlier
-- quote's named speaker) when it comes first; 120 tokens back at most,
-- none of the other sex by its title (Mrs. for "he"). Returns {text,
-- entity, pos} or cand. sfirst, slast: the sentences' bounds.
local function nearest_person(ctx, ti, verbs, o, sa, cand, pron, opts, sfirst, slast)
  local norm, st, sp, text = ti.norm, ti.st, ti.sp, ti.text
  local of, mo = ctx.raw_matches.of, ctx.match_of
  local wrong = subject.wrong_gender
  -- (he or she is a person: not "The Islamic State group" quoted before)
  if cand and (wrong(cand.text, pron) or cand.person == false and pron ~= "they") then cand = nil end
  local titles = subject.titles(opts)
  for q = o - 1, math.max(1, o - 120), -1 do
    if cand and st[q] < cand.pos then break end
    local m2 = of[q] and mo[q] -- (as in entity_in)
    if m2 and m2.type == "PERSON" and not wrong(m2.text, pron) then
      return { text = m2.text, entity = m2.entity, pos = st[q] }
    end
    if norm[q] == "," and q < sa then
      local na, nb = subject.appositive(ti, q + 1, start_of(sfirst, slast, q), opts)
      if na and not wrong(text:sub(st[na], sp[nb]), pron) then
        return { text = text:sub(st[na], sp[nb]), entity = entity_in(ctx, na, nb), pos = st[na] }
      end
    end
    -- "a shopkeeper who gave his name only as Abu Ali", "a man named Ali"
    -- ("identified only by his first name, Mahmoud")
    if (norm[q] == "as" and NAMED_AS[norm[q - 1]] or norm[q] == "named"
        or norm[q] == "," and norm[q - 1] == "name") and q + 1 < sa then
      local nb = subject.name_from(ti, q + 1, o - 1)
      if nb and subject.is_name(ti, q + 1, nb) and not wrong(text:sub(st[q + 1], sp[nb]), pron) then
        return { text = text:sub(st[q + 1], sp[nb]), entity = entity_in(ctx, q + 1, nb), pos = st[q + 1] }
      end
    end
    -- "Deputy Prime Minister Numan Kurtulmus", "spokesman Talal Silo"
    local ta, tb = subject.titled_name(ti, q, titles, o - 1)
    if ta and tb < sa and not wrong(text:sub(st[q], sp[tb]), pron) then
      return { text = text:sub(st[ta], sp[tb]), entity = entity_in(ctx, ta, tb), pos = st[ta] }
    end
    local ev = verb_at(ti, verbs, q)
    -- ", said Bulama Mali, a community leader": the name after the verb
    -- (a "say" verb: after "told" comes who heard it, "told Al Jazeera")
    if ev and q < sa and (norm[q - 1] == "," or norm[q - 1] == '"') and ev.row.kind == "say" then
      local nb = subject.name_from(ti, q + 1, o - 1)
      local ent, m = nil, nil
      if nb then ent, m = entity_in(ctx, q + 1, nb) end
      if nb and nb < sa and subject.is_person_name(ti, q + 1, nb) and not (m and m.type ~= "PERSON")
         and not wrong(text:sub(st[q + 1], sp[nb]), pron) then
        return { text = text:sub(st[q + 1], sp[nb]), entity = ent, pos = st[q + 1] }
      end
      -- ", said the spokesman, Basir Mujahed.": the name beside the noun
      local pa, pb = phrase_fwd(ti, q, o - 1)
      local na2, nb2
      if pa then na2, nb2 = subject.name_beside(ti, pa, pb, o - 1, titles) end
      if na2 and nb2 < sa and not wrong(text:sub(st[na2], sp[nb2]), pron) then
        return { text = text:sub(st[na2], sp[nb2]), entity = entity_in(ctx, na2, nb2), pos = st[na2] }
      end
    end
    -- (an aside's subject is its clause's: ", adding" names no one)
    if ev and ev.row.kind ~= "according" and ev.row.kind ~= "aside" and q < sa then
      local xa, xb = phrase_back(ti, q, 1)
      if xa and subject.only_aux(ti, xa, xb) then xa = nil end -- ", has called"
      if not xa then xa, xb = set_off(ti, q, start_of(sfirst, slast, q), opts) end
      -- "US ambassador Nikki Haley accused ...": the name after the title
      if xa then xa = subject.person_after_title(ti, xa, xb, titles) or xa end
      if xa and not PRONOUNS[norm[xb]] and norm[xa - 1] ~= '"' and not subject.pronoun_only(ti, xa, xa)
         and not wrong(text:sub(st[xa], sp[xb]), pron) then
        -- (a body is no "he": "The Islamic State group said", "the ministry said")
        local ent, m = entity_in(ctx, xa, xb)
        if not (m and m.type ~= "PERSON" or subject.body_word(norm[xb]) or NOT_PERSON[norm[xb]]) then
          return { text = text:sub(st[xa], sp[xb]), entity = ent, pos = st[xa] }
        end
      end
    end
  end
  return cand
end

-- Whether tokens a..b-1 cross no line end.
local function same_paragraph(ti, a, b)
  for q = a, b - 1 do
    if band(ti.fl[q], FLE) ~= 0 or band(ti.fl[q], FPE) ~= 0 then return false end
  end
  return true
end

-- Whether the quote o..cl is a paragraph of its own right after the one
-- the quote closing at token pc ends (with at most its attribution after
-- it: '"...," he said.'), as wire copy quotes a speaker on: the same
-- speaker.
local function next_paragraph_quote(ti, pc, o, cl)
  -- (a paragraph may end in one line break: scraped news often has no
  -- blank lines; the attribution before may run on: '"...," Pep Guardiola
  -- told mancity.com after the game.')
  local ends = FPE + FLE
  if o < 2 or band(ti.fl[o - 1], ends) == 0 then return false end
  local n = ti.n
  if not (cl >= n or band(ti.fl[cl], ends) ~= 0 or ti.kind[cl + 1] == "punct" and band(ti.fl[cl + 1], ends) ~= 0
          or cl + 1 >= n) then
    return false
  end
  if o - pc > 16 then return false end
  for q = pc, o - 2 do
    if band(ti.fl[q], ends) ~= 0 then return false end
  end
  return true
end

-- The quote spans of the pairs (added to ctx), with their speakers.
local function quote_spans(ctx, ti, pairs_, opts)
  local norm, st, sp, n, text = ti.norm, ti.st, ti.sp, ti.n, ti.text
  local verbs = util.lex_index("speech_verbs", "verb", opts)
  local out = {}
  -- sentence numbers by binary search: a table per token cost more
  -- (the sentence tables and the match index only when there is a pair)
  local sfirst, slast
  if #pairs_ > 0 then sfirst, slast = util.sentence_bounds(ctx) end
  local scl -- the last pair's closing sentence (a hint for the next pair's)
  local last_named -- {text=, entity=, pos=}
  for pi = 1, #pairs_ do
    local o, cl = pairs_[pi][1], pairs_[pi][2]
    if not util.boiler(ctx, st[o], sp[cl]) then
      local words, paras = count_words(ti, o, cl)
      local so = sentence_of(sfirst, slast, o, scl)
      scl = sentence_of(sfirst, slast, cl, so)
      local snext = sentence_of(sfirst, slast, cl + 1, scl)
      local s_first = so and sfirst[so] or 1
      local s_last = scl and slast[scl] or n
      if norm[cl + 1] and snext and snext ~= scl and norm[cl - 1] == "," then
        s_last = slast[snext] -- ," he said. split off
      end
      local va, vb, sa, sb_ -- verb, speaker phrase
      -- after: ," X said / ," said X
      -- (only when the quote ends a clause: ,"  ." ?" or ", )
      local p = cl + 1
      local ends = norm[cl - 1]
      -- (through a quote closing inside it: "They tell us, 'Leave,'" he said)
      if (ends == "'" or ends == '"') and cl - 2 > o then ends = norm[cl - 2] end
      local clause = ends == "," or ends == "." or ends == "?" or ends == "!" or ends == "-"
        or norm[p] == ","
      if norm[p] == "," then p = p + 1 end
      if clause and p <= s_last then va, vb, sa, sb_ = verb_after(ti, verbs, p, s_last, opts) end
      -- before: X said: " / X told Sputnik, "
      if not va then
        local q = o - 1
        local lim = o - 4
        local sep = false
        while q >= 1 and q >= lim do
          local s = norm[q]
          if s == ":" or s == "," or s == "that" then
            q, sep = q - 1, true
          elseif not sep and q < o - 1 then
            break
          else
            -- the verb may be followed by its object: told Sputnik
            local k = q
            while k >= (sep and q - 3 or q) and k >= 1 do
              local e, l = verb_at(ti, verbs, k)
              if e and l <= q and e.row.kind ~= "according" then
                va, vb = k, l
                -- "One diplomat, speaking on condition of anonymity, said:"
                -- / "Ahmed Salem, the envoy, said:" / "X was quoted as saying:"
                sa, sb_ = verb_subject(ctx, ti, k, 1, s_first, opts)
                break
              end
              k = k - 1
            end
            break
          end
        end
      end
      -- according to X, "..."
      if not va and norm[o - 1] == "," then
        -- (a title's holder too: "According to Qatar's foreign ministry
        -- spokesman Majed al-Ansari, "...")
        for q = o - 2, math.max(s_first, o - 14), -1 do
          if norm[q] == "according" and norm[q + 1] == "to" then
            va, vb, sa, sb_ = q, q + 1, q + 2, o - 2
            break
          end
        end
      end
      -- Lavrov said that the US was "playing with fire": a partial quote
      if not va and words <= 3 then va, vb, sa, sb_ = partial_verb(ti, verbs, o, s_first) end
      -- She said it would take "weeks, not months" (a quote not inside a quote)
      if not va and words <= 3 and not pairs_[pi].nested then
        va, vb, sa, sb_ = reported_verb(ctx, ti, verbs, o, s_first, opts)
      end
      -- He described the strike as "a massacre"
      if not va and words <= 6 and not pairs_[pi].nested then
        va, vb, sa, sb_ = characterising(ctx, ti, o, s_first, opts)
      end
      -- elsewhere in the sentence, before the quote (long quotes only)
      if not va and words > 3 then
        local q, l = verb_before(ti, verbs, o, s_first, pairs_[pi - 1])
        if q then
          va, vb = q, l
          sa, sb_ = verb_subject(ctx, ti, q, s_first, s_first, opts)
        end
      end
      if va and not sa and participle(ti, va) and norm[va - 1] == "as" then
        -- quoted a government official as saying that "...": the object
        for q = va - 2, math.max(s_first, va - 12), -1 do
          local e, l = verb_at(ti, verbs, q)
          if e and l < va - 2 then
            sa, sb_ = l + 1, va - 2
            break
          end
        end
      end
      -- 'condemned the "attack" and said Washington would "..."': the
      -- subject of the sentence, not "and"
      if sa and (norm[sb_] == "and" or norm[sb_] == "but") then sa, sb_ = nil, nil end
      if va and not sa and (participle(ti, va) or norm[va - 1] == "and" or norm[va - 1] == "but") then
        -- The ministry rejected the report as "untrue", saying ... / The
        -- coalition said ..., adding that its forces "abide by ...": the
        -- sentence's subject
        local anon = util.lex_index("anonymous_sources", "noun", opts)
        local la, lb = subject.lead(ti, s_first, o - 1, function(q) return util.match(ti, anon, q) ~= nil end, opts)
        if la and speaker_like(ctx, ti, la, lb, opts) then sa, sb_ = la, lb end
      end
      -- "We were trapped," said Ahmad, "and nobody came.": the verb of the
      -- quote just before, in the same sentence, and its speaker
      local prev_q = out[#out]
      local goes_on = va and not sa and prev_q and prev_q.attrs.speaker and pi > 1 and pairs_[pi - 1][2] < va
        and o - pairs_[pi - 1][2] <= 12 and sentence_of(sfirst, slast, pairs_[pi - 1][2], so) == so
      local label = "speech"
      local attrs = { words = words }
      if pairs_[pi].nested then attrs.nested = true end
      if paras > 1 then attrs.paragraphs = paras end
      -- (a whole sentence after a speaker's quote in the same paragraph
      -- goes on with it however short: '"...," he said. "They should resign."')
      local pq = out[#out]
      -- ("Help us!", "Raila go home!": an exclamation or a question is
      -- said, not a label)
      if not va and words <= 3 and norm[cl - 1] ~= "!" and norm[cl - 1] ~= "?"
         and not (band(ti.fl[o + 1], FCAP) ~= 0 and TERMINAL[norm[cl - 1]]
          and pq and pq.label == "speech" and pq.attrs.speaker and same_paragraph(ti, pairs_[pi - 1][2], o)) then
        label = "scare"
      end
      -- a second quote right after an attributed one, same paragraph, no
      -- attribution of its own: the same speaker
      -- (the quote before at the same level: not one nested in it, whose
      -- speaker is whoever the speaker quotes)
      local pk = #out
      if not attrs.nested then
        while pk > 0 and out[pk].attrs.nested do pk = pk - 1 end
      end
      local prev = out[pk]
      if not va and label == "speech" and prev and prev.label == "speech" and prev.attrs.speaker then
        if same_paragraph(ti, pairs_[pi - 1][2], o) or next_paragraph_quote(ti, pairs_[pi - 1][2], o, cl) then
          attrs.speaker, attrs.speaker_entity = prev.attrs.speaker, prev.attrs.speaker_entity
          attrs.resolved = "continuation"
        end
      end
      if va then attrs.verb = text:sub(st[va], sp[vb]) end
      if goes_on then
        attrs.speaker, attrs.speaker_entity = prev_q.attrs.speaker, prev_q.attrs.speaker_entity
        attrs.resolved = "continuation"
      elseif sa then
        attrs.speaker = text:sub(st[sa], sp[sb_])
        local pron
        for q = sa, sb_ do if PRONOUNS[norm[q]] then pron = norm[q]; break end end
        local ent, m = entity_in(ctx, sa, sb_)
        if ent then
          attrs.speaker_entity = ent
          last_named = { text = m.text or attrs.speaker, entity = ent, pos = st[sa],
                         person = m.type == "PERSON" }
        elseif pron and (sb_ - sa) <= 5 then
          -- the nearest person before: a PERSON match, the subject of a
          -- speech verb, or an earlier quote's named speaker
          local cand = nearest_person(ctx, ti, verbs, o, sa, last_named, pron, opts, sfirst, slast)
          attrs.pronoun = pron
          if cand then
            attrs.speaker, attrs.speaker_entity, attrs.resolved = cand.text, cand.entity, "pronoun"
          end
        else
          local nm = name_in(ti, sa, sb_)
          if nm then last_named = { text = nm, pos = st[sa] } end
        end
      end
      out[#out + 1] = Ctx.add(ctx, "quote", { start = st[o], stop = sp[cl], label = label, attrs = attrs })
    end
  end
  return out
end

--- quotes(ctx_or_text [, opts]) -> spans, label "speech" or "scare";
-- attrs: speaker, speaker_entity, verb, resolved ("pronoun"), pronoun,
-- nested (a quote inside a quote), paragraphs (how many it spans), words.
function M.quotes(c, opts)
  opts = util.check_opts(opts, "quotes")
  local ctx = util.ctx(c, opts, "quotes")
  local ti = util.info(ctx)
  local pairs_ = pair_marks(ti, ti.text)
  if #pairs_ == 0 then return {} end
  return quote_spans(ctx, ti, pairs_, opts)
end

-- Not compiled: the speaker search. The loop over a document's quote
-- pairs (3 or 4 of them) went through so many branches that LuaJIT made
-- a side trace of nearly every path (800 traces in a `tag` of 8,390
-- documents); interpreted, it costs less than compiling them did.
-- pair_marks, the helpers and the loops over a quote's tokens are
-- compiled (the helpers uncompiled too were slower, measured).
jit.off(quote_spans)
return M
