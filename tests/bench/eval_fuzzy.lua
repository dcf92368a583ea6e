-- Accuracy of fuzzy matching on real articles respelled the ways outlets
-- spell names (issue 23). The gazetteer is GAZ with one spelling per
-- transliterated entity (VARIANTS below: only the row spelling the entity's
-- own name is kept; other entities keep their rows, ISIS and Daesh being
-- names, not spellings); every mention the full GAZ finds in the articles
-- is rewritten to the next of its outlet spellings (in turn), and the
-- reduced gazetteer, fuzzy, must find it again. A match is right when it
-- overlaps a mention of its entity.
-- Usage: lector eval_fuzzy.lua GAZ.tsv DIR
-- Prints recall over the mentions (respelled and not) and precision over
-- every match, exact and fuzzy, and the misses and wrong matches.
local lector = require "lector"

local VARIANTS = {
  ["Deir ez-Zor"] = { "Dayr az-Zawr", "Deir Ezzor", "Deir al-Zour", "Dair Alzour", "Deir el-Zor" },
  ["Raqqa"] = { "Ar-Raqqah", "Rakka", "Raqqah", "al-Raqqa" },
  ["Bashar al-Assad"] = { "Bashar al-Asad", "Bashar Assad", "Bashar el-Assad" },
  ["Hezbollah"] = { "Hizbullah", "Hizballah", "Hezbullah" },
  ["Manbij"] = { "Menbij", "Membij" },
  ["Latakia"] = { "Lattakia", "Latakiya", "Al-Lathqiyah" },
  ["Idlib"] = { "Edlib", "Idleb" },
  ["Kobani"] = { "Kobane", "Kobanî" },
  ["Kuweires"] = { "Kuwayris", "Kweires", "Kuweiris" },
  ["Abu Bakr al-Baghdadi"] = { "Abu Bakr al-Baghdady", "Abu Bakr el-Baghdadi", "Abubakr al-Baghdadi" },
  ["al-Qaeda"] = { "al-Qaida", "al-Qa'ida", "Al Qaeda" },
  ["al-Nusra Front"] = { "an-Nusra Front", "al-Nusrah Front" },
  ["Ethriyah"] = { "Athriya", "Ithriya" },
  ["Rusafa"] = { "Resafa", "Rasafa", "Ar-Rusafa" },
  ["Deir Hafer"] = { "Dayr Hafir", "Deir Hafir" },
  ["As-Safira"] = { "Al-Safira", "Safira", "As-Sfireh" },
  ["Mosul"] = { "Mossul", "Mousul" },
  ["Ramadi"] = { "Al-Ramadi", "Ar-Ramadi" },
  ["Sergei Lavrov"] = { "Sergey Lavrov" },
  ["Recep Tayyip Erdoğan"] = { "Recep Tayyip Erdogan", "Rejep Tayyip Erdoghan" },
}

local gaz, dir = ...
local full = lector.gazetteer.load(gaz)
local one = lector.gazetteer.new { fuzzy = "translit" }
do
  for id = 0, full:stats().entries - 1 do
    local e = full:entry(id)
    if not VARIANTS[e.entity] or e.alias:lower() == e.entity:lower() then
      one:add(e.alias, e.entity, e.type, nil, { label = "one", case = e.case })
    end
  end
end

local turn = {}
local gold, respelled, found, correct, matches, found_re = 0, 0, 0, 0, 0, 0
local misses, wrong = {}, {}
for f in io.popen("ls " .. dir):lines() do
  local s = io.open(dir .. "/" .. f):read("*a")
  -- respell: the full gazetteer's mentions, right to left
  local ms = full:find_all(lector.tokenize(s))
  local want = {}
  local out, pos = {}, 1
  local delta = 0
  for _, m in ipairs(ms) do
    if m.start >= pos then
      local v, variant = VARIANTS[m.entity], false
      local text = m.text
      if v then
        turn[m.entity] = (turn[m.entity] or 0) % #v + 1
        text = v[turn[m.entity]]
        respelled = respelled + 1
        variant = true
      end
      out[#out + 1] = s:sub(pos, m.start - 1)
      local a = m.start + delta
      want[a] = { entity = m.entity, text = text, stop = a + #text - 1, respelled = variant }
      out[#out + 1] = text
      delta = delta + #text - #m.text
      pos = m.stop + 1
    end
  end
  out[#out + 1] = s:sub(pos)
  local r = table.concat(out)
  for _ in pairs(want) do gold = gold + 1 end
  for m in one:matches(lector.tokenize(r)) do
    matches = matches + 1
    local w = want[m.start]
    if not w then -- a match inside a mention (Rusafa in Ar-Rusafa)
      for a, x in pairs(want) do
        if a <= m.start and x.stop >= m.stop then w = x end
      end
    end
    if w and w.entity == m.entity then
      correct = correct + 1
      if not w.hit then
        found = found + 1
        if w.respelled then found_re = found_re + 1 end
        w.hit = true
      end
    else
      wrong[#wrong + 1] = f .. ": " .. m.text .. " -> " .. m.entity .. (m.fuzzy and " (fuzzy " .. m.key .. ")" or "")
    end
  end
  for a, w in pairs(want) do
    if not w.hit then misses[#misses + 1] = f .. ":" .. a .. ": " .. w.text .. " (" .. w.entity .. ")" end
  end
end
print(string.format("mentions %d: recall %.3f (respelled %d: recall %.3f); matches %d: precision %.3f",
  gold, found / gold, respelled, found_re / respelled, matches, correct / matches))
table.sort(misses)
for _, m in ipairs(misses) do print("  missed " .. m) end
for _, m in ipairs(wrong) do print("  wrong  " .. m) end
