-- Helpers for the extractor specs: the seed articles (read from the
-- shared corpus, never copied into the repository), gold span lists
-- located in a text, and precision/recall against them.
local T = require "testlib"
local lector = require "lector"

local M = {}

M.CORPUS = os.getenv("LECTOR_CORPUS") or "../shared/corpus/news"

M.SEEDS = {
  ["000"] = "000_edbceb3384c84068.txt",
  ["001"] = "001_24d23fa43b9e9066.txt",
  ["002"] = "002_5238b16f6bbe1952.txt",
  ["003"] = "003_2df66e9c9227f2b9.txt",
  ["004"] = "004_fcb48b072c5b7eb4.txt",
}

--- The text of seed article id, or nil when the corpus is not here.
function M.seed(id)
  local f = io.open(M.CORPUS .. "/" .. M.SEEDS[id], "rb")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end

--- The text of a file under tests/data.
function M.data(name)
  local f = assert(io.open("tests/data/" .. name, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

--- The gazetteer an analyst of these stories would bring.
function M.gazetteer()
  local g = lector.gazetteer.new()
  g:add("Islamic State", "Islamic State", "ORG")
  g:add("ISIS", "Islamic State", "ORG", nil, { case = "sensitive" })
  g:add("Daesh", "Islamic State", "ORG")
  g:add("Franz Klintsevich", "Franz Klintsevich", "PERSON")
  g:add("Klintsevich", "Franz Klintsevich", "PERSON")
  g:add("Sergey Ryabkov", "Sergey Ryabkov", "PERSON")
  g:add("Ryabkov", "Sergey Ryabkov", "PERSON")
  g:add("Rybakov", "Sergey Ryabkov", "PERSON")
  g:add("Bashar al-Assad", "Bashar al-Assad", "PERSON")
  g:add("Assad", "Bashar al-Assad", "PERSON")
  g:add("Free Syrian Army", "Free Syrian Army", "ORG")
  g:add("FSA", "Free Syrian Army", "ORG", nil, { case = "sensitive" })
  g:add("Al-Bab", "al-Bab", "PLACE")
  g:add("Deir Ezzor", "Deir ez-Zor", "PLACE")
  g:add("Raqqa", "Raqqa", "PLACE")
  g:add("Aleppo", "Aleppo", "PLACE")
  return g
end

local function escape(s) return (s:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0")) end

--- Locates gold items ({ "span text", key = value ... }, in text order;
-- { "start text", to = "end text" } for long spans)
-- in text: each gets start and stop (the next whole-word occurrence
-- after the previous item's end). Raises when one is not found.
function M.locate(text, gold)
  local pos = 1
  for _, g in ipairs(gold) do
    local s = g[1]
    local pat = (s:match("^%w") and "%f[%w]" or "") .. escape(s) .. (s:match("%w$") and "%f[%W]" or "")
    local a, b = text:find(pat, pos)
    if not a then error("gold span not found after byte " .. pos .. ": " .. s, 2) end
    if g.to then -- a long span: from s to the end of the first g.to after it
      local _, b2 = text:find(g.to, b + 1, true)
      if not b2 then error("gold span end not found: " .. g.to, 2) end
      b = b2
    end
    g.start, g.stop = a, b
    pos = b + 1
  end
  return gold
end

--- Scores spans against located gold: a span is right when its bytes are
-- the gold's and same(span, gold) holds. Prints one line with precision
-- and recall and one per miss; returns precision, recall.
function M.score(name, text, spans, gold, same)
  local used, tp = {}, 0
  local misses = {}
  for _, g in ipairs(gold) do
    local hit
    for k, s in ipairs(spans) do
      if not used[k] and s.start == g.start and s.stop == g.stop and (not same or same(s, g)) then
        hit = k
        break
      end
    end
    if hit then used[hit], tp = true, tp + 1
    else misses[#misses + 1] = "  missed " .. string.format("%q", g[1]) end
  end
  for k, s in ipairs(spans) do
    if not used[k] then
      misses[#misses + 1] = "  extra  " .. string.format("%q", text:sub(s.start, s.stop))
    end
  end
  local p = #spans == 0 and 1 or tp / #spans
  local r = #gold == 0 and 1 or tp / #gold
  print(string.format("PR %-28s precision %.2f recall %.2f (%d right, %d found, %d gold)",
    name, p, r, tp, #spans, #gold))
  for _, m in ipairs(misses) do print(m) end
  return p, r
end

--- Runs case id on seed article aid, or counts it skipped when the
-- corpus is missing.
function M.seed_case(id, aid, fn)
  local text = M.seed(aid)
  if not text then
    T.skip(id, "no seed corpus at " .. M.CORPUS)
    return
  end
  T.case(id, function() fn(text) end)
end

return M
