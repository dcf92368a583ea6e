-- lector.pattern: each operator, captures, @TYPE with a gazetteer,
-- leftmost-longest, syntax errors with their column, and the count examples.
local T = require "testlib"
local lector = require "lector"
local pattern = lector.pattern

local function texts(src, s, opts, popts)
  local p = pattern(src, popts)
  local out = {}
  for m in p:matches(lector.tokenize(s), opts) do out[#out + 1] = m.text end
  return out
end

T.case("pattern-1.1 words, exact text, classes, any, sets", function()
  local s = "ISIS fighters and Isis militants killed 12 civilians."
  T.eq(texts("isis", s), { "ISIS", "Isis" })
  T.eq(texts('"ISIS"', s), { "ISIS" })
  T.eq(texts("<number> _", s), { "12 civilians" })
  T.eq(texts("<punct>", s), { "." })
  T.eq(texts("<upper>", s), { "ISIS" })
  T.eq(texts("<cap> <word>", s), { "ISIS fighters", "Isis militants" })
  T.eq(texts("{killed dead wounded} <number>", s), { "killed 12" })
end)

T.case("pattern-1.2 grouping, alternation, repeats", function()
  T.eq(texts("fighters | militants", "fighters and militants"), { "fighters", "militants" })
  T.eq(texts("isis (fighters | militants)", "ISIS fighters, Isis militants"),
    { "ISIS fighters", "Isis militants" })
  T.eq(texts("killed <number>? civilians", "killed civilians; killed 3 civilians"),
    { "killed civilians", "killed 3 civilians" })
  T.eq(texts("very* good", "good, very very good"), { "good", "very very good" })
  T.eq(texts("very+ good", "good, very very good"), { "very very good" })
  T.eq(texts("a{2}", "a a a"), { "a a" })
  T.eq(texts("a{1,2}", "a a a"), { "a a", "a" })
  T.eq(texts("a{2,}", "a a a b"), { "a a a" })
  T.eq(texts("b a{,2}", "b a a a"), { "b a a" })
  T.eq(texts("syrian | syrian army", "the Syrian Army"), { "Syrian Army" })
  T.eq(texts("_ _", "one two three", { overlap = true }), { "one two", "two three" })
end)

T.case("pattern-1.3 the count examples, with captures", function()
  local p = pattern("count:<number> (or so)? _{0,3} what:{fighters militants troops dead civilians}")
  local s = "Reports say 5,000 ISIS fighters are trapped; 150 or so U.S. trained Arab fighters crossed."
  local ms = p:find_all(lector.tokenize(s))
  T.eq(#ms, 2)
  T.eq(ms[1].text, "5,000 ISIS fighters")
  T.eq(ms[1].captures.count.text, "5,000")
  T.eq(ms[1].captures.what.text, "fighters")
  T.eq(ms[2].text, "150 or so U.S. trained Arab fighters")
  T.eq(ms[2].captures.count.text, "150")
  T.eq(s:sub(ms[2].start, ms[2].stop), ms[2].text)
  T.eq(s:sub(ms[2].captures.what.start, ms[2].captures.what.stop), "fighters")
  T.eq(p:captures(), { "count", "what" })
  local who = pattern("who:(<cap>+) said"):find_all(lector.tokenize("then Bashar Assad said"))
  T.eq(who[1].captures.who.text, "Bashar Assad")
  T.eq({ who[1].captures.who.first, who[1].captures.who.last }, { 2, 3 })
  local opt = pattern("x:a? b"):find_all(lector.tokenize("b"))
  T.eq(opt[1].captures.x, nil)
end)

T.case("pattern-1.4 @TYPE over a gazetteer", function()
  local g = lector.gazetteer.new()
  g:add("al-Bab", "al-Bab", "PLACE")
  g:add("Deir ez-Zor", "Deir ez-Zor", "PLACE")
  g:add("ISIS", "Islamic State", "ORG")
  local p = pattern("<number> _? org:@ORG fighters (in where:@PLACE)?", { gazetteer = g })
  local ms = p:find_all(lector.tokenize("5,000 ISIS fighters in Al-Bab and 300 ISIS fighters"))
  T.eq(#ms, 2)
  T.eq(ms[1].text, "5,000 ISIS fighters in Al-Bab")
  T.eq(ms[1].captures.where.text, "Al-Bab")
  T.eq(ms[2].captures.org.text, "ISIS")
  T.eq(texts("in @", "in Deir ez-Zor", nil, { gazetteer = g }), { "in Deir ez-Zor" })
end)

T.case("pattern-1.5 syntax errors name the column and what was expected", function()
  T.raises("pattern: column 5: expected ')' to close the group at column 1", pattern, "(a b")
  T.raises("column 1: expected a token, got the end of the pattern", pattern, "")
  T.raises("column 2: expected a token class", pattern, "<nmber>")
  T.raises("column 1: expected a token before '*'", pattern, "* a")
  T.raises("column 3: expected a maximum >= the minimum", pattern, "a{3,1}")
  T.raises("column 3: expected a gazetteer for @", pattern, "a @PLACE")
  T.raises("no entry has type NOPE", pattern, "@NOPE", { gazetteer = lector.gazetteer.new() })
  T.raises("bad argument #1 to 'pattern' (string expected, got number)", pattern, 42)
  T.raises("bad argument #1 to 'matches' (tokens from lector.tokenize expected",
    function() return pattern("a"):matches("a") end)
end)

T.case("pattern-1.6 quotes, negation, exact marks, ':' and '?' (issue 17)", function()
  local s = '\u{201C}We will win,\u{201D} he said. "No," she said: "never?"'
  -- folding: “ ” and " have one norm, so a bare mark or a set matches all
  T.eq(texts("{\u{201C}}", s), { "\u{201C}", "\u{201D}", '"', '"', '"', '"' })
  -- the quoted form is exact; \" is a double quote inside it
  T.eq(texts('"\u{201D}"', s), { "\u{201D}" })
  T.eq(texts('"\\""', s), { '"', '"', '"', '"' })
  -- quotations: an opening mark, then tokens that are not the closing one
  local function quotes(src)
    local got = {}
    for m in pattern(src):matches(lector.tokenize(s)) do got[#got + 1] = m.captures.quote.text end
    return got
  end
  T.eq(quotes('"\u{201C}" quote:(!"\u{201D}")+ "\u{201D}"'), { "We will win," })
  T.eq(quotes('"\\"" quote:(!"\\"")+ "\\""'), { "No,", "never?" })
  -- negation of a word, a class, a set, a group of tests
  T.eq(texts("!said said", s), { "he said", "she said" })
  T.eq(texts("she !said", s), {})
  T.eq(texts("said !<punct>", s), {})
  T.eq(texts("!{he she} said", s), {})
  T.eq(texts("!(<punct> | he | she | said)+", s), { "We will win", "No", "never" })
  -- ':' and '?' are words; inside { } anything but space, } and "
  T.eq(texts("said :", s), { "said:" })
  T.eq(texts("never {? !}", s), { "never?" })
  T.eq(texts('{: "\u{201D}"}', s), { "\u{201D}", ":" })
  T.raises("pattern: column 4: expected a word, '\"text\"', '<class>' or '{words}' after '!', not '_'",
    pattern, "a !_")
  T.raises("pattern: column 3: expected '\"' or '\\' after '\\' in the text", pattern, '"a\\b"')
end)

T.case("pattern-1.7 sets: which patterns can match a text at all", function()
  local g = lector.gazetteer.load("examples/gazetteer.tsv")
  local pats = { pattern("{ceasefire truce}"), pattern("{captured seized} place:@PLACE", { gazetteer = g }),
                 pattern("place:@PLACE ({was has} been)? {captured seized}", { gazetteer = g }),
                 pattern("_ truce"), pattern("place:@PLACE", { gazetteer = g }) }
  local set = pattern.set(pats)
  local function can(s)
    local toks = lector.tokenize(s)
    local c = set:can_match(toks)
    local out = {}
    for i = 1, #pats do out[i] = c[i - 1] end
    -- never 0 (nor 2 without gazetteer matches) where a pattern matches
    for i, p in ipairs(pats) do
      if out[i] == 0 then T.eq(p:find_all(toks), {}) end
    end
    return out
  end
  T.eq(can("The truce held."), { 1, 0, 0, 1, 2 })
  T.eq(can("Aleppo was captured."), { 0, 2, 2, 0, 2 })
  T.eq(can("Rain fell."), { 0, 0, 0, 0, 2 })
  T.eq(can(""), { 0, 0, 0, 0, 0 })
  T.raises("patterns expected", pattern.set, { pats[1], "truce" })
  T.raises("tokens from lector.tokenize expected", set.can_match, set, "truce")
end)

T.corpus_case("pattern-2.1 corpus: counts of fighters", function(dir)
  local p = pattern("count:<number> (or so)? _{0,3} what:{fighters militants troops dead civilians}")
  local s = T.readfile(dir .. "/000_edbceb3384c84068.txt")
  local got = {}
  for m in p:matches(lector.tokenize(s)) do got[#got + 1] = m.text end
  T.eq(got[1], "5,000 Daesh fighters")
  T.eq(got[2], "5,000 ISIS fighters")
  T.eq(got[3], "5,000 of its fighters")
end)
