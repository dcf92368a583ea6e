-- lector.extract.quantity_links: what the counts of one document share
-- once each has been read (lector.extract.quantities calls link): the
-- event across "and" ("24 rebels and 42 YPG fighters had been killed"),
-- the people of a count a few words before ("200 people were detained on
-- Saturday, 150 on Sunday"), an apposition's event ("41 civilians,
-- including 13 children,"), and whether cases count people. Also the word
-- sets the count path and these passes both read.
local util = require "lector.extract.util"
local band = require("bit").band

local M = {}

-- Counted nouns that are states of people and may describe the noun
-- after them ("23 wounded civilians"), or stand for it ("27 wounded").
M.STATE_ADJ = { wounded = true, injured = true, dead = true }
local STATE_ADJ = M.STATE_ADJ

-- Events that happen to people (a count with one of them and no noun,
-- after a count of people and "and", counts people).
M.PEOPLE_EVENT = { kill = true, wound = true, arrest = true, execute = true, displace = true,
  abduct = true, missing = true, protest = true, rescue = true, evacuate = true, ill = true, gather = true,
  encircle = true, release = true }
local PEOPLE_EVENT = M.PEOPLE_EVENT

-- The events that make cases (class "case" in quantity_objects.tsv)
-- people: an illness ("measles", "infected") or its toll.
M.CASE_EVENT = { ill = true, kill = true, wound = true }
local CASE_EVENT = M.CASE_EVENT

-- The verbs that follow a count opening a sentence as its subject
-- ("Eight were pulled from the rubble", "Only 31 survived").
local SUBJECT_VERB = { were = true, was = true, are = true, have = true, had = true, remain = true,
  remained = true, remains = true, survived = true, escaped = true, managed = true }

-- Whether count y has no noun, class or unit of its own and follows x, a
-- count of people (not of money or a share): what the passes below that
-- give y x's people ask first.
local function bare_after_people(x, y)
  return x.class == "person" and not y.class and not y.object and not y.unit and not x.unit
end

-- Whether the document names an illness: a count of it ("40 infected")
-- or an illness word among its tokens ("the Ebola outbreak").
local function illness_named(out, ti, L)
  for k = 1, #out do
    if out[k].attrs.event == "ill" then return true end
  end
  local nid, mask, eb, events = ti.nid, util.mask_of, L.eb, L.events
  for q = 1, ti.n do
    local e = band(mask[nid[q]], eb) ~= 0 and util.match(ti, events, q)
    if e and e.row.event == "ill" then return true end
  end
  return false
end

-- Whether the text between two counts opens another clause ("70 injured when two bombers struck").
local function opens_clause(gap)
  for w in gap:lower():gmatch("%a+") do
    if w == "when" or w == "while" or w == "after" or w == "as" or w == "because" or w == "who"
       or w == "which" or w == "that" or w == "where" or w == "before" or w == "until"
       or w == "including" or w == "among" or w == "such" then -- (another noun's apposition)
      return true
    end
  end
  return false
end

--- Whether the text between two counts joins them as "and" does ("24
-- rebels and 42 fighters", "five children as well as seven women").
function M.joined_by_and(gap)
  return gap:find("^[^%.,;:!?%(%)\"]*%sand%s+$") ~= nil or gap:find("^[^%.,;:!?%(%)\"]*%sas%s+well%s+as%s+$") ~= nil
end
local joined_by_and = M.joined_by_and

--- Shares events, nouns and classes between the counts out (quantity
-- spans in text order) of the document ctx, whose text is text, tokens
-- ti and lexicons L (quantities' own).
function M.link(out, ctx, text, ti, L)
  -- "24 rebels and 42 YPG fighters had been killed": the event the
  -- second count has, the first (with no event of its own) shares
  for k = #out - 1, 1, -1 do
    local x, y = out[k].attrs, out[k + 1].attrs
    -- (the gap's length from the offsets: a gap too long is not made)
    if not x.event and y.event and not x.unit and not y.unit and out[k + 1].start - out[k].stop - 1 < 60 then
      local gap = text:sub(out[k].stop + 1, out[k + 1].start - 1)
      if joined_by_and(gap) then x.event = y.event end
    end
  end
  -- "killed two soldiers and three civilians": the second count of
  -- people after "and" shares the first's event; "14 soldiers were killed
  -- and 27 wounded": the people of the first
  for k = 2, #out do
    local x, y = out[k - 1].attrs, out[k].attrs
    if x.class == "person" and (y.class == "person" or not y.object) and not x.unit and not y.unit
       and out[k].start - out[k - 1].stop - 1 < 60 then
      local gap = text:sub(out[k - 1].stop + 1, out[k].start - 1)
      if joined_by_and(gap) then
        if not y.event and x.event and y.class == "person" then y.event = x.event end
        -- "43 people had died and 61 had been injured": people too
        if not y.object and not y.class and PEOPLE_EVENT[y.event] then y.class = "person" end
        if STATE_ADJ[y.object or ""] and x.object and not STATE_ADJ[x.object] then y.object = x.object end
      end
    end
  end
  -- "41 civilians, including 13 children,", "513 deaths, among them 127
  -- children": a count inside another's apposition shares its event
  for k = 2, #out do
    local x, y = out[k].attrs, out[k - 1].attrs
    if not x.event and y.event and not x.unit and not y.unit and out[k].start - out[k - 1].stop - 1 < 80 then
      local gap = text:sub(out[k - 1].stop + 1, out[k].start - 1)
      -- (not past another clause: "killed 40 militants and destroyed
      -- several vehicles, including two VBIEDs")
      -- (and with no comma after a short noun phrase: "killed dozens of
      -- people including at least 29 children")
      if not gap:find("%sand%s") and (gap:find(",%s+including%s+$") or gap:find(",%s+among%s+them%s+$")
         or #gap < 30 and gap:find("^[%w%s']*%sincluding%s+$")
         or gap:find(",%s+mostly%s+$") or gap:find(",%s+mainly%s+$"))
         and ctx:sentence_at(out[k].start) == ctx:sentence_at(out[k - 1].start) then
        x.event = y.event
        if not x.class and not x.object and y.class == "person" and PEOPLE_EVENT[x.event] then
          x.class = "person" -- "21 people were killed, including 16 on Monday night"
        end
        -- "89 killed, including 31 women and 5 children": the count after
        -- "and" in the apposition too
        local z = out[k + 1] and out[k + 1].attrs
        if z and not z.event and z.class == "person" and not z.unit then
          local gap2 = text:sub(out[k].stop + 1, out[k + 1].start - 1)
          if #gap2 < 60 and gap2:find("^[^%.,;:!?%(%)\"]*%sand%s+$") then z.event = x.event end
        end
      end
    end
  end
  -- "200 people were detained on Saturday, 150 on Sunday and about 100
  -- on Monday", "4,467 migrants arrived, down from nearly 5,000", "1,030
  -- people were injured, 34 of them seriously": a count with no noun of its
  -- own, a few words after a count of people in the same sentence, counts
  -- the same people
  for k = 2, #out do
    local x, y = out[k - 1].attrs, out[k].attrs
    -- (not a number that ends a name: "the vessel Sea Watch 3")
    if bare_after_people(x, y) then
      -- ("22 people found alive in the trailer were taken to hospital, four
      -- of them in serious condition": "of them" reaches further back)
      -- (so does "more": "400,000 people have fled ..., and nearly half a
      -- million more are at risk")
      local of_them = text:find("^%s+of%s+them%f[%A]", out[k].stop + 1)
        or text:find("^%s+of%s+whom%f[%A]", out[k].stop + 1) or text:find("^%s+more%f[%A]", out[k].stop + 1)
      -- (a list's items may end in semicolons: "21 deaths were reported in
      -- Region 10; six in Region 5; four each in Regions 9 and 11")
      local item = text:find("^%s+[ie][na]c?h?%s", out[k].stop + 1) or text:find("^%s+from%s", out[k].stop + 1)
      local within = (of_them or item) and 120 or 50 + #(x.object or "")
      -- The gap's length first, from the offsets: only an item's gap is
      -- trimmed, any other is as long as the bytes between the counts, and
      -- most are far longer than `within` (two counts paragraphs apart:
      -- 900 gaps of 490 bytes on average in the job bench, each copied,
      -- then searched six times from every byte).
      local ga, gb = out[k - 1].stop + 1, out[k].start - 1
      if (item or gb - ga + 1 < within)
         and (y.qualifier or not text:sub(out[k].start > 30 and out[k].start - 30 or 1, out[k].start - 1)
                                    :match("%u%l*%s+$")) then
        local gap = text:sub(ga, gb)
        -- (one sentence, no clause between: "U.S." has its periods)
        -- (not a number a preposition governs: "14 people died in 24 [hours]")
        -- (but "520, followed by 305 in Khyber Pakhtunkhwa": a list's next item)
        local governed = gap:find("%s[Ii]n%s+$") or gap:find("%sfor%s+$") or gap:find("%swithin%s+$")
          or gap:find("%safter%s+$") or gap:find("%sover%s+$")
          or gap:find("%sby%s+$") and not gap:find(",%s+followed%s+by%s+$")
        if item then gap = gap:gsub(";%s+and%s+$", " "):gsub(";%s+$", " ") end
        -- ("40 patients, of which 11 were in the same ward": the count's own
        -- people)
        local of_which = gap:find(",%s+of%s+wh[io][cm]h?%s+$")
        if not governed and #gap < within and not gap:find("[;:!?%(%)\"]")
           and (of_which or not opens_clause(gap))
           and ctx:sentence_at(out[k].start) == ctx:sentence_at(out[k - 1].start) then
          y.class, y.object = "person", x.object
          if not y.event then y.event = x.event end
        end
      end
    end
  end
  -- "The quake killed 300 people. Another 14,000 were still buried",
  -- "... 240 passengers. 169 had been aboard": a count with no noun of its
  -- own that opens the next sentence, its verb right after it, counts the
  -- people the count before it counted
  for k = 2, #out do
    local x, y = out[k - 1].attrs, out[k].attrs
    -- ("Two of them were found alive": the verb after "of them")
    local after = out[k].stop + 1
    local _, of_end = text:find("^%s+of%s+th[eo][ms]e?%f[%A]", after)
    if of_end then after = of_end + 1 end
    if bare_after_people(x, y) and SUBJECT_VERB[(text:match("^%s+(%a+)", after) or ""):lower()] then
      local before = text:sub(out[k - 1].stop + 1, out[k].start - 1)
      local sx, sy = ctx:sentence_at(out[k - 1].start), ctx:sentence_at(out[k].start)
      if sx and sy and sy - sx >= 1 and sy - sx <= 2 and #before < 300 and not before:find("\n%s*\n")
         and (before:find("[%.!?][\"']?%s+$") or before:find("[%.!?][\"']?%s+[Aa]nother%s+$")) then
        y.class, y.object = "person", x.object
      end
    end
  end
  -- ("9,404 hospitalisations and 46 deaths": the event the list shares;
  -- "397 new confirmed cases" in a report whose illness was named before:
  -- the document's)
  local ill_doc
  for k = 1, #out do
    local a = out[k].attrs
    if a.class == "case" then
      if ill_doc == nil then ill_doc = illness_named(out, ti, L) end
      a.class = (CASE_EVENT[a.event] or ill_doc) and "person" or "thing"
    end
  end
end
-- (interpreted, as it was inside quantities' count path, whose jit.off
-- note says why)
jit.off(M.link)

return M
