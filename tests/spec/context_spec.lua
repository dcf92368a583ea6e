-- lector.context: one document's tokens, sentences and gazetteer matches,
-- computed once and shared by the stages of a pipeline.
local T = require "testlib"
local lector = require "lector"
local context = lector.context

local function gaz()
  local g = lector.gazetteer.new()
  g:add("Palmyra", "Palmyra", "PLACE")
  g:add("Islamic State", "Islamic State", "ORG")
  g:add("ISIS", "Islamic State", "ORG", nil, { case = "sensitive" })
  return g
end

local TEXT = "ISIS fighters left Palmyra. The Islamic State said 60 died.\n\nNothing else."

T.case("context-1.1 fields computed once, from the text", function()
  local c = context.new({ uri = "u", text = TEXT, published = "2017-02-06" }, { gazetteer = gaz() })
  T.eq(c.text, TEXT)
  T.eq(c.published, "2017-02-06")
  local toks = c.tokens
  T.ok(rawequal(toks, c.tokens), "the same token array on every read")
  T.eq(#c.sentences, 3)
  T.eq(c.sentences[2].start, TEXT:find("The", 1, true))
  T.eq(c.sentence_of[1], 1)
  T.eq(c.sentence_of[#toks], 3)
  local ents = {}
  for _, m in ipairs(c.matches) do ents[#ents + 1] = m.entity .. "@" .. m.start end
  T.eq(ents, { "Islamic State@1", "Palmyra@20", "Islamic State@33" })
  T.eq(c.match_of[1].entity, "Islamic State")
  T.eq(c.match_of[2], nil)
  T.eq(c:sentence_at(TEXT:find("60", 1, true)), 2)
  T.eq(c:sentence_at(#TEXT), 3)
end)

T.case("context-1.2 no gazetteer: no matches; a string is a document", function()
  local c = context.new("Just words here.")
  T.eq(c.matches, {})
  T.eq(c.doc.text, "Just words here.")
  T.eq(tostring(c), "context(?, 16 bytes)")
end)

T.case("context-1.3 layers and boilerplate", function()
  local c = context.new(TEXT)
  T.eq(c:spans("quantity"), {})
  c:add("boilerplate", { start = 62, stop = #TEXT, label = "tail" })
  T.ok(c:in_boilerplate(65, 70))
  T.ok(not c:in_boilerplate(1, 10))
  T.eq(#c:spans("boilerplate"), 1)
  T.raises("bad argument #2 to 'add' (span {start=, stop=} expected)", c.add, c, "x", {})
  T.raises("bad argument #1 to 'add' (non-empty string expected, got number)", c.add, c, 3, {})
end)

T.case("context-1.4 argument checks", function()
  T.raises("bad argument #1 to 'new' (document table with a text string expected, got nil)", context.new)
  T.raises("bad argument #2 to 'new' (gazetteer must be a lector.gazetteer, got table)",
    context.new, "x", { gazetteer = {} })
end)

T.case("context-1.5 sentence_at with a hint gives what it gives without one", function()
  local c = context.new(TEXT)
  -- every byte (spaces between sentences give nil), against every hint,
  -- good, off by one either way, far off and out of range
  local hints = { false, -1, 0, 1, 2, 3, 4, 99 }
  for pos = 1, #TEXT do
    local want = c:sentence_at(pos)
    for _, h in ipairs(hints) do
      T.eq(c:sentence_at(pos, h or nil), want, "byte " .. pos .. ", hint " .. tostring(h))
    end
  end
  T.eq(c:sentence_at(TEXT:find("Nothing", 1, true), 2), 3)
  T.eq(c:sentence_at(TEXT:find("Palmyra", 1, true), 3), 1)
  T.eq(c:sentence_at(TEXT:find(" The", 1, true), 1), nil)
end)

T.case("context-1.7 match_of: every token of a match, the same tables as matches", function()
  local text = "The Islamic State and Palmyra."
  -- match_of read before matches, then the other way round
  for _, first in ipairs { "match_of", "matches" } do
    local c = context.new(text, { gazetteer = gaz() })
    local _ = c[first]
    local ms = c.matches
    T.eq(#ms, 2)
    local got = {}
    for i = 1, #c.tokens do
      local m = c.match_of[i]
      got[i] = m and m.entity or false
      if m then T.ok(rawequal(m, ms[1]) or rawequal(m, ms[2]), "token " .. i .. ": a table of matches") end
    end
    T.eq(got, { false, "Islamic State", "Islamic State", false, "Palmyra", false }, first)
    T.ok(rawequal(c.match_of[2], c.match_of[3]), "one table for the match's tokens")
    T.eq(c.match_of[0], nil)
    T.eq(c.match_of[99], nil)
  end
  T.eq(context.new(text).match_of[2], nil) -- no gazetteer
end)

T.case("context-1.6 ctx.sentences (from the sentence structs) is tokens:sentences()", function()
  for _, text in ipairs { TEXT, "", "No end", "One. Two! Three?\n\nFour \"quoted.\" Five" } do
    local c = context.new(text)
    local _ = c.raw_sentences -- the structs first, as the pipeline reads them
    T.eq(c.sentences, c.tokens:sentences(), text)
  end
end)
