-- lector.tokenize: the Lua API over the C token array, the tailorings seen
-- from Lua, the fast path against the slow one, and the promise that the
-- token loop compiles and allocates nothing per token.
local T = require "testlib"
local token = require "lector.token"
local text = require "lector.text"
local tokenize = token.tokenize

local function texts(toks)
  local out = {}
  for i, t in toks:each() do out[i] = t.text end
  return out
end

-- every field of every token, for comparing two runs
local function dump(toks)
  local out = {}
  for i = 1, #toks do
    local t = toks[i]
    out[i] = table.concat({ t.start, t.stop, t.kind, t.flags, t.norm_id }, ",")
  end
  return out
end

T.case("tokspec-1.1 array, fields, positions", function()
  local s = "ISIS’s fighters in Al-Bab."
  local toks = tokenize(s)
  T.eq(#toks, 8)
  T.eq(texts(toks), { "ISIS", "’s", "fighters", "in", "Al", "-", "Bab", "." })
  local t = toks[1]
  T.eq({ t.start, t.stop, t.text, t.kind, t.norm }, { 1, 4, "ISIS", "word", "isis" })
  T.eq({ t.cap, t.upper, t.digit, t.abbrev, t.hyphen_joined }, { true, true, false, false, false })
  for i, u in toks:each() do
    T.eq(s:sub(u.start, u.stop), u.text, "token " .. i)
    T.eq(u.norm, text.fold(u.text), "norm of token " .. i)
  end
  T.eq(toks[2].kind, "clitic")
  T.eq(toks[2].norm, "'s")
  T.eq({ toks[5].hyphen_joined, toks[6].hyphen_joined, toks[7].hyphen_joined }, { true, true, true })
  T.eq(toks[0], nil)
  T.eq(toks[99], nil)
  T.eq(toks[8].hyphen_joined, false)
  T.eq(toks:text(5, 7), "Al-Bab")
  T.eq(toks:text(3), "fighters")
  T.eq(toks:source(), s)
end)

T.case("tokspec-1.2 kinds and flags", function()
  local toks = tokenize("U.S. troops: 5,000 on the 3rd, see http://x.org/a or a@b.org $5 don't")
  local got = {}
  for _, t in toks:each() do got[#got + 1] = t.text .. "/" .. t.kind end
  T.eq(table.concat(got, " "), "U.S./word troops/word :/punct 5,000/number on/word the/word " ..
    "3rd/number ,/punct see/word http://x.org/a/url or/word a@b.org/email $/symbol 5/number " ..
    "do/word n't/clitic")
  T.ok(toks[1].abbrev)
  T.ok(toks[4].digit)
  -- no loop here: tokspec-3.1 counts trace aborts, and traces compiled
  -- before it change what it sees
  local ends = tokenize("Yes. No?! So... (a, b)")
  T.eq({ ends[2].text, ends[2].terminal, ends[4].terminal, ends[5].terminal, ends[7].text, ends[7].terminal },
    { ".", true, true, true, "...", true })
  T.eq({ ends[1].terminal, ends[8].terminal, ends[10].terminal, ends[12].terminal }, { false, false, false, false })
  T.eq(ends[2].flags % (2 * token.flags.terminal) >= token.flags.terminal, true)
end)

T.case("tokspec-1.3 norm ids are shared, norms computed once", function()
  local a = tokenize("Syria")
  local b = tokenize("SYRIA and syria")
  T.eq(a[1].norm_id, b[1].norm_id)
  T.eq(a[1].norm_id, b[3].norm_id)
  T.eq(token.norm_id("Syria"), a[1].norm_id)
  local tk, intern = token.default()
  T.ok(tk ~= nil and intern ~= nil)
  T.eq(tostring(require("ffi").typeof(tk)), "ctype<struct lector_tokenizer *>")
end)

T.case("tokspec-1.4 options", function()
  local toks = tokenize("ISIS’s U.S. x", { uax29 = true })
  T.eq(texts(toks), { "ISIS’s", " ", "U.S", ".", " ", "x" })
  T.eq(toks[2].kind, "space")
  T.eq(tokenize("Syria", { norm = false })[1].norm_id, 0)
end)

T.case("tokspec-1.5 errors", function()
  T.raises("bad argument #1 to 'tokenize' (string expected, got nil)", tokenize)
  T.raises("bad argument #2 to 'tokenize' (table expected, got string)", tokenize, "x", "y")
  T.raises("tokenize: invalid UTF-8 at byte 4: invalid byte", tokenize, "abc\255")
  T.raises("bad argument #1 to 'text' (token index 1..2 expected, got 3)",
    function() return tokenize("a b"):text(3) end)
end)

T.case("tokspec-1.6 abbreviations from Lua", function()
  T.eq(texts(tokenize("Qtr. results")), { "Qtr", ".", "results" })
  token.add_abbrev("Qtr.")
  T.eq(texts(tokenize("Qtr. results")), { "Qtr.", "results" })
  T.raises("add_abbrev: an abbreviation ends with its period", token.add_abbrev, "Qtr")
end)

T.case("tokspec-1.7 lector.tokenize and lector.tokens", function()
  local lector = require "lector"
  T.eq(lector.tokenize, tokenize)
  T.eq(lector.tokens.add_abbrev, token.add_abbrev)
end)

T.case("tokspec-2.1 fast path == slow path on carried text", function()
  local s = "Ḥalab’s “5,000” fighters—in al-Bab… U.S.-backed e\204\129té. " ..
    "Mail x@y.org or see www.rt.com/a. 中文 ok\r\n\n¡Sí! 3rd 1990s café's"
  T.eq(dump(tokenize(s, { fast = false })), dump(tokenize(s)))
end)

local dir = T.shared_corpus()
if dir then
  T.case("tokspec-2.2 fast path == slow path on the seed corpus", function()
    local p = io.popen('ls "' .. dir .. '"')
    local n = 0
    for name in p:lines() do
      local s = T.readfile(dir .. "/" .. name)
      T.eq(dump(tokenize(s, { fast = false })), dump(tokenize(s)), name)
      local a, b = tokenize(s):sentences(), tokenize(s, { fast = false }):sentences()
      T.eq(a, b, name .. " sentences")
      n = n + 1
    end
    p:close()
    T.ok(n >= 5, "articles read: " .. n)
  end)
else
  T.skip("tokspec-2.2", "no seed corpus in ../shared/corpus/news")
end

T.case("tokspec-3.1 the token loop compiles and allocates nothing", function()
  T.ok(jit.status(), "the JIT is on")
  local s = string.rep("The Syrian army took 5,000 ISIS fighters' positions in Al-Bab. ", 2000)
  local toks = tokenize(s)
  local words, sum, kb = 0, 0, 0
  -- (made before the traced part: a trace that runs on past a loop's exit
  -- into the code that creates a closure aborts there, "NYI: bytecode
  -- 51", whatever the loop itself does)
  local function pass()
    for _, t in toks:each() do
      if t.kind == "word" then words = words + 1 end
      sum = sum + t.norm_id + t.start + t.stop + (t.cap and 1 or 0)
    end
  end
  local aborts, traces = T.jit_trace(function()
    -- The same loop twice first: it is measured once it and its side traces
    -- are compiled (a trace is a collectable object: compiling one inside
    -- the measurement counted as the loop's allocation, whatever the
    -- earlier specs left in the trace cache).
    pass()
    pass()
    words, sum = 0, 0
    collectgarbage()
    collectgarbage("stop")
    local before = collectgarbage("count")
    for _ = 1, 5 do pass() end
    kb = collectgarbage("count") - before
    collectgarbage("restart")
  end)
  T.eq(words, 5 * 10 * 2000)
  -- and a loop over documents, tokenizing each (the usual pipeline shape)
  local doc = s:sub(1, 3000)
  local n = 0
  local aborts2, traces2 = T.jit_trace(function()
    for _ = 1, 300 do
      for _, t in tokenize(doc):each() do n = n + t.kind_id end
    end
  end)
  T.ok(n > 0)
  T.eq(aborts, {})
  T.eq(aborts2, {})
  T.ok(traces >= 1 and traces2 >= 1, "traces compiled: " .. traces .. ", " .. traces2)
  -- 140,000 token visits: a string or view per token would be megabytes
  T.ok(kb < 64, string.format("allocated %.1f KB in the loop", kb))
end)

T.case("tokspec-3.3 release", function()
  local toks = tokenize("one two three")
  T.eq(#toks, 3)
  toks:release()
  T.eq(#toks, 0)
  T.eq(toks[1], nil)
  toks:release() -- twice is harmless
  T.eq(toks:source(), "one two three") -- still known, and no sentences
  T.eq(toks:sentences(), {})
  local again = tokenize("four five")
  T.eq(again:text(1, 2), "four five")
end)

T.case("tokspec-3.4 views outliving their array keep their numbers, raise for text; loops keep it alive", function()
  local toks = tokenize("one two three")
  local t = toks[2]
  T.eq(t.text, "two")
  toks:release()
  T.raises("token used after its token array was released or collected",
    function() return t.text end)
  T.raises("token used after its token array was released or collected",
    function() return tostring(t) end)
  -- the numbers were copied into the view: still there, still right
  T.eq({ t.start, t.stop, t.kind, t.len, t.space_before }, { 5, 7, "word", 3, true })
  local kept = tokenize("alpha beta")[1]
  collectgarbage()
  collectgarbage()
  T.raises("token used after its token array was released or collected",
    function() return kept.text end)
  T.eq(kept.norm, "alpha")
  -- releasing the array inside its own loop stops the loop
  local arr = tokenize("x y z")
  T.raises("token array released or collected during its each() loop", function()
    for _ in arr:each() do arr:release() end
  end)
  -- each() anchors its array: a GC inside the loop changes nothing
  local words = {}
  for _, u in tokenize("gamma delta epsilon"):each() do
    collectgarbage()
    words[#words + 1] = u.text
  end
  T.eq(words, { "gamma", "delta", "epsilon" })
  -- but not after it ends: its last view is the current token no longer
  local last
  for _, u in tokenize("zeta eta"):each() do last = u end
  collectgarbage()
  collectgarbage()
  T.raises("token used after its token array was released or collected",
    function() return last.text end)
  T.eq(last.norm, "eta")
end)

T.case("tokspec-3.2 memory stays flat document by document", function()
  local doc = string.rep("Reports from Deir Ezzor speak of another major ISIS attack. ", 200)
  local function run(n)
    for i = 1, n do
      local toks = tokenize(doc .. i)
      T.ok(#toks > 0)
    end
    collectgarbage()
    collectgarbage()
    return collectgarbage("count")
  end
  run(50)
  local a = run(200)
  local b = run(200)
  T.ok(b - a < 256, string.format("Lua heap grew %.1f KB over 200 documents", b - a))
end)

-- 3,000 documents of 40 KB, each array (256 KB) dropped without
-- release(): unless tokenize returns dropped arrays to its pool as it
-- goes, they pile up (768 MB) until Lua's collector, which does not see
-- C memory, happens to run.
local statm = io.open("/proc/self/statm")
if not statm then
  T.skip("tokspec-3.5", "no /proc/self/statm to read resident memory from")
  T.skip("tokspec-3.6", "no /proc/self/statm to read resident memory from")
else
  statm:close()
  local function resident()
    local f = io.open("/proc/self/statm")
    local pages = tonumber(f:read("*l"):match("^%d+ (%d+)"))
    f:close()
    return pages * 4096
  end
  T.case("tokspec-3.5 arrays left to the collector: resident memory stays bounded", function()
    local doc = string.rep("Reports from Deir Ezzor speak of another ISIS attack. ", 740)
    collectgarbage()
    local before = resident()
    local n = 0
    for _ = 1, 3000 do n = n + #tokenize(doc) end
    local grown = resident() - before
    T.eq(n, 3000 * #tokenize(doc))
    T.ok(grown < 300e6, string.format("resident memory grew by %.0f MB", grown / 1e6))
  end)

  -- release() gives the array back and drops the array's finalizer (the
  -- collector then has nothing left to do for it): nothing may leak.
  T.case("tokspec-3.6 arrays given back with release(): resident memory stays bounded", function()
    local doc = string.rep("Reports from Deir Ezzor speak of another ISIS attack. ", 740)
    collectgarbage()
    local before = resident()
    local n = 0
    for _ = 1, 3000 do
      local toks = tokenize(doc)
      n = n + #toks
      toks:release()
    end
    collectgarbage()
    local grown = resident() - before
    T.eq(n, 3000 * #tokenize(doc))
    T.ok(grown < 64e6, string.format("resident memory grew by %.0f MB", grown / 1e6))
  end)
end

T.case("tokspec-1.8 helpers", function()
  local toks = tokenize("Aleppo, Aleppo and 5 more.")
  T.eq(toks:count_kinds(), { word = 4, punct = 2, number = 1 })
  T.eq(token.norm_string(toks[1].norm_id), "aleppo")
  T.eq(token.norm_string(-5), nil)
  T.eq(token.kinds[toks[1].kind_id], "word")
  T.eq(token.flags.cap, 1)
  T.ok(tostring(toks[1]):find('token(1..6 word "Aleppo")', 1, true))
end)

T.case("tokspec-1.9 toks:array() is the token array the views read", function()
  local s = "ISIS’s 5,000 fighters in Al-Bab, the U.S. said.\nThen: more."
  local toks = tokenize(s)
  local a, n = toks:array()
  T.eq(n, #toks)
  local from_array = {}
  for k = 0, n - 1 do
    local t = a[k]
    from_array[k + 1] = table.concat({ t.start + 1, t["end"], token.kinds[t.kind], t.flags, t.norm }, ",")
  end
  T.eq(from_array, dump(toks))
  T.eq(s:sub(a[2].start + 1, a[2]["end"]), "5,000")
  toks:release()
  T.eq(select(2, toks:array()), 0)
end)

T.case("tokspec-1.10 toks:sentence_view() is sentence_array()'s structs, owned by toks", function()
  local s = "The U.S. said so. Then it left.\nA new line. And “quoted.” End"
  local toks = tokenize(s)
  local sa, na = toks:sentence_array()
  local sv, nv = toks:sentence_view()
  T.eq(nv, na)
  T.ok(nv >= 4, "sentences: " .. nv)
  local a, b = {}, {}
  for k = 0, na - 1 do
    a[k + 1] = sa[k].first .. "-" .. sa[k].last
    b[k + 1] = sv[k].first .. "-" .. sv[k].last
  end
  T.eq(b, a)
  -- made once: a second call gives the same memory
  local sv2, nv2 = toks:sentence_view()
  T.ok(sv2 == sv and nv2 == nv)
  toks:release()
  -- released: no sentences, and sentence_array()'s copy still reads
  local sv3, nv3 = toks:sentence_view()
  T.eq(nv3, 0)
  T.ok(sv3 == nil)
  T.eq(sa[na - 1].last, #a > 0 and tonumber(a[#a]:match("%-(%d+)$")))
  local empty = tokenize("")
  T.eq(select(2, empty:sentence_view()), 0)
  -- left to the collector, the view's memory goes with toks (ASan checks)
  for _ = 1, 50 do
    local t = tokenize(s)
    t:sentence_view()
  end
  collectgarbage()
end)
