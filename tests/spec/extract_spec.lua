-- lector.extract: run(), the lexicon files and their merge rule, the
-- near-duplicate fingerprints.
local T = require "testlib"
local G = require "extract_gold"
local lector = require "lector"
local extract = lector.extract

local TEXT = G.data("extract_article_a.txt")

T.case("extract-1.1 run: every layer, in dependency order, on a context", function()
  local ctx = lector.context.new({ text = TEXT })
  local res, c = extract.run(ctx, "all")
  T.ok(rawequal(c, ctx))
  for _, layer in ipairs({ "boilerplate", "quantity", "date", "quote", "source", "hedge" }) do
    T.ok(#res[layer] > 0, layer)
    T.eq(#ctx:spans(layer), #res[layer], layer .. " added to the context")
  end
  -- sources ran after quantities whatever the list's order
  res = extract.run(TEXT, { "sources", "quantities" })
  T.ok(res.quantity[1] and res.source[1])
  T.ok(res.quantity[2].attrs.source ~= nil, "claims linked")
  T.eq(res.boilerplate, nil)
  res = extract.run(TEXT, "dates, hedges")
  T.ok(#res.date > 0 and #res.hedge > 0)
end)

T.case("extract-1.2 spans encode as JSON, absent attrs as null", function()
  local res = extract.run(TEXT, "all")
  for _, spans in pairs(res) do
    for _, s in ipairs(spans) do
      local j = lector.json.decode(lector.json.encode(s))
      T.eq({ j.start, j.stop, j.label }, { s.start, s.stop, s.label })
    end
  end
end)

T.case("extract-1.3 argument checks", function()
  T.raises("bad argument #2 to 'run' (no extractor 'nope')", extract.run, "x", "nope")
  T.raises("bad argument #2 to 'run' (\"all\", a list string or an array expected, got number)",
    extract.run, "x", 3)
  T.raises("bad argument #1 to 'hedges' (context, string or document expected, got boolean)",
    extract.hedges, true)
  T.raises("bad argument #2 to 'minhash' (positive integer expected, got 0)", extract.minhash, "x", 0)
  T.raises("bad argument #1 to 'lexicons_dir' (string or nil expected, got number)",
    extract.lexicons_dir, 5)
end)

local function tmpdir()
  local d = os.tmpname()
  os.remove(d)
  assert(os.execute("mkdir -p '" .. d .. "'"))
  return d
end

local function write(path, s)
  local f = assert(io.open(path, "wb"))
  f:write(s)
  f:close()
end

T.case("extract-2.1 a user lexicon adds rows; #replace replaces the file", function()
  local d = tmpdir()
  write(d .. "/quantity_objects.tsv", "noun\tclass\n# our own\npeshmerga\tperson\n")
  local s = "Clashes left 40 peshmerga hurt and 12 troops dead."
  local got = extract.quantities(s)
  T.eq(got[1].attrs.object, nil, "not in the shipped lexicon")
  got = extract.quantities(s, { lexicons = d })
  T.eq({ got[1].attrs.object, got[2].attrs.object }, { "peshmerga", "troops" }, "added")
  write(d .. "/quantity_objects.tsv", "#replace\nnoun\tclass\npeshmerga\tperson\n")
  extract.lexicons_dir(d)
  got = extract.quantities(s)
  -- (troops is then a head noun of no class the lexicon knows)
  T.eq({ got[1].attrs.object, got[2].attrs.class }, { "peshmerga", nil }, "replaced")
  T.eq(#extract.lexicon("quantity_objects"), 1)
  extract.lexicons_dir(nil)
  T.ok(#extract.lexicon("quantity_objects") > 50, "back to the shipped file")
  os.execute("rm -rf '" .. d .. "'")
end)

T.case("extract-2.2 every shipped lexicon has a header and no empty key", function()
  local p = io.popen("ls scripts/lexicons/*.tsv")
  local n = 0
  for f in p:lines() do
    local name = f:match("([^/]+)%.tsv$")
    local rows = extract.lexicon(name)
    T.ok(#rows > 0, name)
    n = n + 1
  end
  p:close()
  T.ok(n >= 12, "lexicons: " .. n)
end)

T.case("extract-3.1 simhash, minhash, similarity", function()
  local a = TEXT
  local b = TEXT:gsub("Khan Sheikhoun", "Khan Shaykhun", 1)
  local c = G.data("extract_article_b.txt")
  local ha, hb, hc = extract.simhash(a), extract.simhash(b), extract.simhash(c)
  T.ok(ha:match("^%x+$") and #ha == 16, ha)
  T.eq(extract.simhash(a), ha, "stable")
  T.ok(extract.similarity(ha, hb) >= 0.9, "near-duplicate " .. extract.similarity(ha, hb))
  T.ok(extract.similarity(ha, hc) < 0.8, "different " .. extract.similarity(ha, hc))
  local ma, mb, mc = extract.minhash(a, 64), extract.minhash(b, 64), extract.minhash(c, 64)
  T.eq(#ma, 64)
  T.ok(extract.similarity(ma, mb) > 0.8)
  T.ok(extract.similarity(ma, mc) < 0.2)
  T.eq(extract.similarity(a, a), 1)
  T.ok(extract.similarity(a, c) < 0.2)
  -- case and curly quotes do not matter: shingles are of folded words
  T.eq(extract.simhash("The Army took “Al-Bab” today"), extract.simhash("the army took \"al-bab\" today"))
end)

T.case("extract-3.2 random news-like debris never raises", function()
  local pieces = { "5,000", " fighters", " killed", '"', "\226\128\156", "\226\128\157", "\226\128\152",
    "\226\128\153", "'", " said", " he", ",", ".", "\n", "\n\n", " according to", " Reuters", " February",
    " 2", " 2017", "-", " between", " and", " 30", " a dozen", " the", " regime", " What do you think?",
    " http://x.com/2017/02/06/a-b", " citing", " told", " Mon,", " 1,2,3", " 99999999999999999999", " 1.2.3",
    " 3rd", " 11/03/2016", " ", "\t", " \206\169", " ago", " two", " weeks", " last", " summer", " +", " $",
    " %", ":" }
  local seed = 7
  local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n + 1 end
  for it = 1, 300 do
    local t = {}
    for k = 1, rnd(40) - 1 do t[k] = pieces[rnd(#pieces)] end
    local s = table.concat(t)
    local ctx = lector.context.new({ text = s, published = it % 2 == 0 and "2017-02-06" or nil })
    local okay, err = pcall(function()
      extract.run(ctx, "all")
      extract.hedge_density(ctx)
      extract.metadata(ctx)
      extract.similarity(extract.simhash(ctx), extract.simhash(s .. " x"))
    end)
    T.ok(okay, string.format("%q: %s", s, tostring(err)))
  end
  for _, s in ipairs({ "", " ", "\n\n", '"', "5", "said", "according to" }) do
    T.ok(extract.run(s, "all"))
  end
end)

T.case("extract-3.3 contexts taken in turns: each its own tokens", function()
  -- the token arrays of one context's extractors are reused for the
  -- next context: going back to the first gives its spans, not the
  -- other's (a long text, then a short one, then the long one again)
  local function spans(res)
    local out = {}
    for _, layer in ipairs({ "quantity", "date", "quote", "source", "hedge" }) do
      for _, sp in ipairs(res[layer] or {}) do
        out[#out + 1] = layer .. ":" .. sp.start .. "-" .. sp.stop .. ":" .. tostring(sp.label)
      end
    end
    return table.concat(out, " ")
  end
  local B = G.data("extract_article_b.txt")
  local want_a, want_b = spans(extract.run(TEXT, "all")), spans(extract.run(B, "all"))
  T.ok(#want_a > 0 and #want_b > 0 and want_a ~= want_b)
  local a, b = lector.context.new({ text = TEXT }), lector.context.new({ text = B })
  local got_a = extract.run(a, { "boilerplate", "quantities" })
  local got_b = extract.run(b, "all")
  for k, v in pairs(extract.run(a, { "dates", "quotes", "sources", "hedges" })) do got_a[k] = v end
  T.eq(spans(got_a), want_a)
  T.eq(spans(got_b), want_b)
  T.eq(spans(extract.run(lector.context.new({ text = B }), "all")), want_b)
  -- a shorter text after a longer one: nothing of the longer past its end
  extract.quantities(lector.context.new({ text = "They counted 300+ fighters." }))
  local q = extract.quantities(lector.context.new({ text = "They counted 300" }))
  T.eq(#q, 1)
  T.eq({ q[1].start, q[1].stop, q[1].attrs.value, q[1].attrs.approx }, { 14, 16, 300, false })
end)

T.case("extract-3.4 scans skip tokens by norm id: sets before their words, user lexicons", function()
  local util = require "lector.extract.util"
  local band = require("bit").band
  -- a set whose word no text has shown yet: tokens of that word, met
  -- later, carry its bit, and no other token does
  local set = { zqxvbword = true }
  local b = util.scan_bit(set)
  T.ok(b ~= nil and band(b, util.MDIGIT + util.MLOW) == 0)
  T.eq(util.scan_bit(set), b, "one bit a set")
  local ti = util.info(lector.context.new({ text = "A Zqxvbword, then 42 and x." }))
  local marked, digits = {}, {}
  for i = 1, ti.n do
    local m = util.mask_of[ti.nid[i]]
    if band(m, b) ~= 0 then marked[#marked + 1] = ti.norm[i] end
    if band(m, util.MDIGIT) ~= 0 then digits[#digits + 1] = ti.norm[i] end
  end
  -- (the 28 bits are shared round once a process has made more sets, so
  -- a word of another set, "a", may carry it too; a word of none does not)
  local is_marked = {}
  for _, w in ipairs(marked) do is_marked[w] = true end
  T.eq({ is_marked.zqxvbword, is_marked["then"], is_marked.x, is_marked["42"] }, { true, nil, nil, nil })
  T.eq(digits, { "42" })
  -- a user lexicon's words, new to the process, stop the scans too,
  -- also when the bits are shared round (more sets than bits)
  for k = 1, 40 do util.scan_bit({ ["zqxvb" .. k] = true }) end
  local d = tmpdir()
  write(d .. "/hedges.tsv", "phrase\tcategory\nquibblesomely hinted\tepistemic\n")
  write(d .. "/speech_verbs.tsv", "verb\tkind\nblorptalked\tsay\n")
  local s = "Officials quibblesomely hinted at 300 dead, Reuters blorptalked."
  T.eq(#extract.hedges(s), 0)
  local h = extract.hedges(s, { lexicons = d })
  T.eq({ #h, h[1] and s:sub(h[1].start, h[1].stop) }, { 1, "quibblesomely hinted" })
  local src = extract.sources(s, { lexicons = d })
  T.eq({ #src, src[1] and src[1].attrs.verb }, { 1, "blorptalked" })
  os.execute("rm -rf '" .. d .. "'")
end)

T.case("extract-3.5 datelines: the three forms, and lines with no 4-digit year", function()
  local parse = require("lector.extract.metadata").parse_dateline
  T.eq(parse("Mon, 06 Feb 2017 23:58 UTC"), "2017-02-06")
  T.eq(parse("6 February 2017"), "2017-02-06")
  T.eq(parse("2017-02-06 12:00"), "2017-02-06")
  -- the month first, its whole name: the weekday pattern once read
  -- "Febru" as a weekday and "ary" as the month
  T.eq(parse("February 6, 2017"), "2017-02-06")
  T.eq(parse("Monday, February 6, 2017 - 10:12"), "2017-02-06")
  T.eq(parse("Thursday 3rd November 2016"), "2016-11-03")
  T.eq(parse("Sept. 21, 2016"), "2016-09-21")
  T.eq(parse("Tues 7 Mar 2017"), "2017-03-07")
  -- words that only begin like a month or a weekday, and a day 0
  T.eq(parse("Mayor 6 2017"), nil)
  T.eq(parse("Monument 6 Feb 2017"), nil)
  T.eq(parse("Febr 6, 2017"), nil)
  T.eq(parse("0 Feb 2017"), nil)
  -- what the year pre-check turns away, and what it lets through to the
  -- patterns that then refuse it
  T.eq(parse("February 6, 201"), nil)
  T.eq(parse("Mon, 06 Feb 17"), nil)
  T.eq(parse("Flight 2017 landed"), nil)
  T.eq(parse(""), nil)
end)

-- Speed of run() over every extractor, one core (printed, not asserted:
-- machines differ). The seed articles when they are here, else ours.
T.case("extract-3.6 util.scan stops where a token-by-token test does", function()
  local util = require "lector.extract.util"
  local band, bor = require("bit").band, require("bit").bor
  -- 2,000 new words: the C copy of the masks grows past its first size
  local many = {}
  for k = 1, 2000 do many["qzscanword" .. k] = true end
  local wb = util.scan_bit(many)
  local ti = util.info(lector.context.new({ text = G.data("extract_article_b.txt")
    .. " the qzscanword1999 in the past week, 12 two days ago" }))
  local the, past = util.scan_bit({ the = true, two = true }), util.scan_bit({ past = true, ago = true })
  local mask, nid = util.mask_of, ti.nid
  local function entry(i) return i <= ti.n and mask[nid[i]] or 0 end
  for _, c in ipairs {
    { util.KIND.number, util.MDIGIT, 0, 0 },
    { util.KIND.punct + util.KIND.number, wb, 0, 0 },
    { 0, wb, the, past },
    { util.KIND.number, 0, the, past },
  } do
    local kinds, bits, cond, nxt = c[1], c[2], c[3], c[4]
    local want, got = {}, {}
    for i = 1, ti.n do
      local m = entry(i)
      if band(kinds, util.KIND[ti.kind[i]] or 0) ~= 0 or band(m, bits) ~= 0
         or band(m, cond) ~= 0 and band(bor(entry(i + 1), entry(i + 2)), nxt) ~= 0 then
        want[#want + 1] = i
      end
    end
    local i = util.scan(ti, 1, ti.n, kinds, bits, cond, nxt)
    while i <= ti.n do
      got[#got + 1] = i
      i = util.scan(ti, i + 1, ti.n, kinds, bits, cond, nxt)
    end
    T.ok(#want > 0, "the text has tokens to stop at")
    T.eq(got, want)
  end
  -- a context whose tokens were released (their array back in the pool,
  -- then reused by another text) gets the same counts and dates again
  local text = G.data("extract_article_b.txt")
  local ctx = lector.context.new({ text = text })
  local function found()
    local out = {}
    for _, sp in ipairs(extract.quantities(ctx)) do out[#out + 1] = sp.start .. ":" .. sp.attrs.value end
    for _, sp in ipairs(extract.dates(ctx)) do out[#out + 1] = sp.start .. ":" .. tostring(sp.attrs.iso) end
    return out
  end
  local before = found()
  T.ok(#before > 5)
  ctx:release()
  local other = lector.context.new({ text = (text:gsub("%a+", "zz"):gsub("%d", "7")) })
  local _ = other.tokens
  T.eq(found(), before)
  -- the bounds: i..last only; last + 1 when nothing stops it, i past last
  T.eq(util.scan(ti, 1, 0, util.KIND.word, 0, 0, 0), 1)
  T.eq(util.scan(ti, ti.n - 1, ti.n - 2, util.KIND.word, 0, 0, 0), ti.n - 1)
  T.eq(util.scan(ti, 1, ti.n, 0, 0, 0, 0), ti.n + 1)
end)

T.case("extract-4.1 speed", function()
  local docs = {}
  for id in pairs(G.SEEDS) do docs[#docs + 1] = G.seed(id) end
  if #docs == 0 then docs = { TEXT, G.data("extract_article_b.txt") } end
  for _ = 1, 10 do -- compiled first: the figure is the steady state
    for _, d in ipairs(docs) do extract.run(d, "all") end
  end
  local bytes, t0 = 0, os.clock()
  for _ = 1, 40 do
    for _, d in ipairs(docs) do
      extract.run(d, "all")
      bytes = bytes + #d
    end
  end
  print(string.format("SPEED extract.run all: %.1f MB/s (%d documents, %d bytes)",
    bytes / (os.clock() - t0) / 1e6, #docs, bytes / 40))
end)
