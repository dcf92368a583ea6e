-- The fuzzy matcher's false matches on text that names none of the
-- gazetteer's entities (issue 23): the Brown corpus (American English of
-- 1961) under the example gazetteer of the Syrian war, where every
-- fuzzy-only match is a false one. Prints the matches (exact and fuzzy,
-- one per span), the fuzzy ones, the precision overall counting the
-- exact ones right (what the key adds wrong; the exact matcher's own
-- precision is the gazetteer's business), the fuzzy matches by the rules
-- under which text and alias met (those that rewrite one and not the
-- other), and a sample with context.
-- Usage: lector fuzzy_precision.lua GAZ.tsv CORPUS (documents split by \f lines)
local lector = require "lector"
local translit = require "lector.translit"

local gaz, corpus = ...
local g = lector.gazetteer.load(gaz, { fuzzy = "translit", skip_bad = true })
local text, docs = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "bench_docs.lua")(corpus)

-- The rules that rewrite one word and not the other.
local function rules_of(w)
  local set = {}
  for _, r in ipairs(translit.explain(w)) do set[r.rule] = true end
  return set
end
local function differing(a, b)
  local out = {}
  local ra, rb = {}, {}
  for w in a:lower():gmatch("%a+") do for r in pairs(rules_of(w)) do ra[r] = true end end
  for w in b:lower():gmatch("%a+") do for r in pairs(rules_of(w)) do rb[r] = true end end
  for r in pairs(ra) do if not rb[r] then out[#out + 1] = r end end
  for r in pairs(rb) do if not ra[r] then out[#out + 1] = r end end
  if #out == 0 then out[1] = "(same rules)" end
  return out
end

local spans, fuzzy, by_rule, sample = 0, 0, {}, {}
for i = 1, #docs do
  local d = docs[i]
  local seen = {}
  for m in g:matches(lector.tokenize(d)) do
    if not seen[m.start] then
      seen[m.start] = true
      spans = spans + 1
      if m.fuzzy then
        fuzzy = fuzzy + 1
        for _, r in ipairs(differing(m.text, m.alias)) do by_rule[r] = (by_rule[r] or 0) + 1 end
        if #sample < 5000 then
          local ctx = d:sub(math.max(1, m.start - 30), m.stop + 30):gsub("%s+", " ")
          sample[#sample + 1] = string.format("%s -> %s (%s): ...%s...", m.text, m.alias, m.key, ctx)
        end
      end
    end
  end
end
print(string.format("precision on %s (%.1f MB, %d docs): %d matches, %d fuzzy-only (%.1f per MB); " ..
  "precision overall %.4f counting the exact ones right",
  corpus:match("[^/]*$"), #text / 1e6, #docs, spans, fuzzy, fuzzy / (#text / 1e6), 1 - fuzzy / math.max(spans, 1)))
local list = {}
for r, n in pairs(by_rule) do list[#list + 1] = { r, n } end
table.sort(list, function(a, b) return a[2] > b[2] or (a[2] == b[2] and a[1] < b[1]) end)
for i = 1, math.min(#list, 8) do print(string.format("  by rule %5d  %s", list[i][2], list[i][1])) end
-- every n-th, so the sample spreads over the corpus
local show = tonumber(os.getenv("BENCH_FUZZY_SAMPLE") or 12)
local step = math.max(1, math.floor(#sample / show))
for i = 1, #sample, step do print("  " .. sample[i]) end
