-- lector.pipeline: stages over one context, and the window a long
-- document is extracted in.
local T = require "testlib"
local lector = require "lector"
local P = lector.pipeline

local function corpus()
  local parts = {}
  for _, f in ipairs { "01-al-bab-offensive", "02-deir-ez-zor", "03-raqqa", "04-palmyra", "05-aleppo-evacuation" } do
    parts[#parts + 1] = T.readfile("examples/corpus/" .. f .. ".txt")
  end
  return table.concat(parts, "\n\n")
end

local function spans(stage, text, g)
  local out = {}
  stage(lector.context.new(text, { gazetteer = g }), function(layer, sp)
    out[#out + 1] = string.format("%s %d-%d %s s%s %s", layer, sp.start, sp.stop, tostring(sp.label),
      tostring(sp.sentence or sp.attrs and sp.attrs.sentence), text:sub(sp.start, sp.stop))
  end)
  table.sort(out)
  return out
end

T.case("pipeline-1.1 a long document extracted in windows gives the spans of one pass", function()
  local text = corpus()
  local g = lector.gazetteer.load("examples/gazetteer.tsv")
  local whole = spans(P.extractors("all", { window = 1e9 }), text, g)
  local windows = spans(P.extractors("all", { window = 3000 }), text, g)
  T.ok(#whole >= 50, "found " .. #whole)
  T.eq(windows, whole)
end)

T.case("pipeline-1.2 extractor lists", function()
  T.eq(P.extractor_list("all"), { "boilerplate", "quantities", "dates", "quotes", "sources", "hedges" })
  T.eq(P.extractor_list("hedges,quantities"), { "quantities", "hedges" })
  T.eq(P.extractor_list({ "none" }), {})
  T.raises("no extractor 'bogus'", P.extractor_list, "dates,bogus")
end)

T.case("pipeline-1.3 pattern stage: one span, one layer, one label", function()
  local g = lector.gazetteer.new()
  g:add("Reuters", "Reuters", "MEDIA")
  local pats = {
    { layer = "source", label = "cited", pattern = lector.pattern("src:@MEDIA reported", { gazetteer = g }) },
    { layer = "source", label = "cited", pattern = lector.pattern("src:@MEDIA {reported said}", { gazetteer = g }) },
    { layer = "quantity", label = "claim", pattern = lector.pattern("killing count:<number> _{0,3} militants") },
    { layer = "quantity", label = "claim", pattern = lector.pattern("count:<number> _{0,3} militants") },
  }
  local stage = P.patterns(pats)
  local text = "Reuters reported that troops were killing 60 Islamic State militants."
  local got = spans(stage, text, g)
  T.eq(got, { "quantity 35-68 claim s1 killing 60 Islamic State militants", "source 1-16 cited s1 Reuters reported" })
end)

T.case("pipeline-1.3b pattern stage: @TYPE in a document the gazetteer found nothing in", function()
  local g = lector.gazetteer.new()
  g:add("al-Bab", "al-Bab", "PLACE")
  local stage = P.patterns({ { layer = "event", label = "siege",
    pattern = lector.pattern("siege (of place:@PLACE)?", { gazetteer = g }) } })
  local function run(text, first)
    local ctx = lector.context.new(text, { gazetteer = g })
    if first then local _ = ctx.raw_matches end -- as tag's documents come
    local out = {}
    stage(ctx, function(_, sp) out[#out + 1] = text:sub(sp.start, sp.stop) end)
    return out, rawget(ctx, "overlap_buffer") ~= nil
  end
  -- the context's matches first: none, so no second pass for @TYPE
  T.eq({ run("the siege of Aleppo", true) }, { { "siege" }, false })
  T.eq({ run("the siege of al-Bab", true) }, { { "siege of al-Bab" }, true })
  -- not read before: the overlapping matches, as ever
  T.eq({ run("the siege of Aleppo", false) }, { { "siege" }, true })
  T.eq({ run("the siege of al-Bab", false) }, { { "siege of al-Bab" }, true })
end)

T.case("pipeline-1.4 process: every emitted span once in the context's layers", function()
  local text = "Rebels said at least 60 fighters were killed on Friday, Reuters reported."
  local ctx = P.process({ text = text }, { (P.extractors("quantities,sources")) }, nil)
  T.eq(#ctx:spans("quantity"), 1)
  T.eq(ctx:spans("quantity")[1].attrs.value, 60)
  local seen = {}
  for _, s in ipairs(ctx:spans("source")) do
    T.ok(not seen[s], "a source span twice in ctx.layers")
    seen[s] = true
  end
  -- a document read in windows: the spans reach the document's context too
  local long = string.rep(text .. "\n\n", 3)
  local c2 = P.process({ text = long }, { (P.extractors("quantities", { window = #text + 2 })) }, nil)
  T.eq(#c2:spans("quantity"), 3)
end)

-- The store sink with db = (grouped): a group's annotations are written
-- at its commit, a document that fails leaves none of its own, and the
-- layers of an earlier recipe run are replaced, not doubled.
T.case("pipeline-1.5 store sink: grouped writes, a failing document leaves nothing, re-runs replace", function()
  local path = os.tmpname()
  local db = lector.store.open(path)
  for i, t in ipairs { "Aleppo fell.", "Palmyra held. Aleppo too.", "Raqqa." } do
    db:add { uri = "d" .. i, text = t }
  end
  local function stage(ctx, emit)
    if ctx.text:find("Raqqa", 1, true) then error("no Raqqa here") end
    local s = ctx.text:find("Aleppo", 1, true)
    if s then emit("town", { start = s, stop = s + 5, label = "PLACE", sentence = ctx:sentence_at(s) }) end
  end
  local function tag()
    local run = db:begin_run("towns", {}, { recipe = true })
    local sink = P.store_sink(db, run, { "town" })
    local failed = {}
    local n = P.run { documents = P.from_store(db), stages = { stage }, sink = sink, db = db,
                      on_error = function(doc) failed[#failed + 1] = doc.uri; return true end }
    run:finish()
    return n, sink.totals.town, failed, sink.grouped
  end
  for _ = 1, 2 do
    local n, total, failed, grouped = tag()
    T.eq({ n, total, failed, grouped }, { 3, 2, { "d3" }, false })
    T.eq(db:query("SELECT d.uri, a.span_text, a.sentence FROM annotations a JOIN documents d ON d.id = a.doc_id " ..
      "WHERE a.layer = 'town' ORDER BY d.uri"),
      { { uri = "d1", span_text = "Aleppo", sentence = 1 }, { uri = "d2", span_text = "Aleppo", sentence = 2 } })
  end
  -- without db = the sink writes each document as it ends
  local run = db:begin_run("towns", {}, { recipe = true })
  local sink = P.store_sink(db, run, { "town" })
  P.process({ id = 1, text = "Aleppo fell." }, { stage }, sink)
  run:finish()
  T.eq(db:value("SELECT count(*) FROM annotations WHERE layer = 'town' AND run_id = ?", run.id), 1)
  db:close()
  os.remove(path); os.remove(path .. "-wal"); os.remove(path .. "-shm")
end)

T.case("pipeline-1.6 lector.profile adds CPU time by part", function()
  local profile = require "lector.profile"
  profile.reset()
  profile.add("a", 0.5)
  profile.add("a", 0.25)
  T.eq(profile.time("b", function(x) return x + 1, "y" end, 1), 2)
  local parts, all = profile.parts()
  T.eq({ parts[1][1], parts[1][2], parts[1][3], parts[2][1], parts[2][3], parts[3][1] },
    { "a", 0.75, 2, "b", 1, "other" })
  T.ok(all > 0 and parts[2][2] >= 0, "times are CPU seconds")
  profile.reset()
  T.eq(#profile.parts(), 1)
end)

T.case("pipeline-1.7 store sink: a span the store would refuse fails its own document only", function()
  local path = os.tmpname()
  local db = lector.store.open(path)
  db:add { uri = "ok", text = "Aleppo fell." }
  db:add { uri = "bad", text = "Raqqa." }
  local function stage(ctx, emit)
    emit("town", { start = 1, stop = ctx.text:find("Raqqa", 1, true) and 99 or 6 })
  end
  local run = db:begin_run("towns", {}, { recipe = true })
  local errs = {}
  P.run { documents = P.from_store(db), stages = { stage }, sink = P.store_sink(db, run, { "town" }), db = db,
          on_error = function(doc, err) errs[#errs + 1] = doc.uri .. ": " .. tostring(err); return true end }
  run:finish()
  T.eq(errs, { "bad: annotate: span 1: [1, 99] is not within the document's 6 bytes" })
  T.eq(db:query("SELECT span_text FROM annotations WHERE layer = 'town'"), { { span_text = "Aleppo" } })
  db:close()
  os.remove(path); os.remove(path .. "-wal"); os.remove(path .. "-shm")
end)

T.case("pipeline-1.7b store sink: layers interleaved, a big document written as it goes, one long write", function()
  local path = os.tmpname()
  local db = lector.store.open(path)
  local text = string.rep("word ", 2000)
  for i = 1, 4 do db:add { uri = "d" .. i, text = i == 3 and "Raqqa." or text } end
  -- d2 emits 25,000 spans of two layers, in turn: written 10,000 at a
  -- time; d3 emits some, then fails: nothing of it is kept
  local function stage(ctx, emit)
    local n = #ctx.text == 6 and 3 or ctx.doc.uri == "d2" and 25000 or 7
    for k = 1, n do
      local a = n == 3 and 1 or (k * 37) % 9990 + 1
      emit(k % 2 == 0 and "even" or "odd", { start = a, stop = a + 3, label = "L" .. (k % 3),
                                              entity = "E" .. (k % 5),
                                              attrs = ctx.doc.uri ~= "d4" and { k = k % 2, n = n } or nil })
    end
    if n == 3 then error("d3 fails") end
  end
  local function tag()
    local run = db:begin_run("t", {}, { recipe = true })
    local sink = P.store_sink(db, run, { "even", "odd" })
    local failed = {}
    P.run { documents = P.from_store(db), stages = { stage }, sink = sink, db = db,
            on_error = function(doc) failed[#failed + 1] = doc.uri; return true end }
    run:finish()
    return sink.totals, failed
  end
  for _ = 1, 2 do
    local totals, failed = tag()
    T.eq({ totals.even, totals.odd, failed }, { 12500 + 3 + 3, 12500 + 4 + 4, { "d3" } })
    T.eq(db:query("SELECT d.uri, a.layer, count(*) AS n, sum(json_extract(a.attrs, '$.k')) AS k " ..
      "FROM annotations a JOIN documents d ON d.id = a.doc_id WHERE a.layer IN ('even', 'odd') " ..
      "GROUP BY 1, 2 ORDER BY 1, 2"),
      { { uri = "d1", layer = "even", n = 3, k = 0 }, { uri = "d1", layer = "odd", n = 4, k = 4 },
        { uri = "d2", layer = "even", n = 12500, k = 0 }, { uri = "d2", layer = "odd", n = 12500, k = 12500 },
        { uri = "d4", layer = "even", n = 3 }, { uri = "d4", layer = "odd", n = 4 } })
    -- d3's attrs went with it, none landed on d4's spans (which have none)
    T.eq(db:value("SELECT count(*) FROM annotations WHERE json_extract(attrs, '$.n') = 3"), 0)
    T.eq(db:value("SELECT count(*) FROM annotations WHERE json_extract(attrs, '$.n') = 7"), 7)
  end
  -- the run's long write built its indexes at the end
  T.eq(db:value("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'annotation_rows'"), 3)
  T.ok(not io.open(path .. "-lector-bulk"), "no lock file left")
  db:close()
  os.remove(path); os.remove(path .. "-wal"); os.remove(path .. "-shm")
end)

T.case("pipeline-1.7c savepoints = false: a big document that fails half-written leaves what it had", function()
  local path = os.tmpname()
  local db = lector.store.open(path)
  local text = string.rep("word ", 2000)
  for i = 1, 3 do db:add { uri = "d" .. i, text = text } end
  -- d2 emits 15,000 spans (10,000 of them written, its layer cleared,
  -- before it fails) when told to fail, else 2
  local fail = false
  local function stage(ctx, emit)
    local big = fail and ctx.doc.uri == "d2"
    for k = 1, big and 15000 or 2 do emit("w", { start = k % 9990 + 1, stop = k % 9990 + 4, attrs = { k = k } }) end
    if big then error("d2 fails") end
  end
  local function tag()
    local run = db:begin_run("t", {}, { recipe = true })
    local sink = P.store_sink(db, run, { "w" })
    local failed = {}
    P.run { documents = P.from_store(db), stages = { stage }, sink = sink, db = db, savepoints = false,
            on_error = function(doc, err) failed[#failed + 1] = doc.uri .. ": " .. tostring(err); return true end }
    run:finish()
    return sink.totals.w, failed
  end
  T.eq({ tag() }, { 6, {} })
  fail = true
  local n, failed = tag()
  T.eq({ n, #failed, failed[1]:match("d2 fails") ~= nil }, { 4, 1, true })
  -- d2 keeps the first run's two spans; the others have the second run's
  T.eq(db:query("SELECT d.uri, count(*) AS n, max(a.run_id) AS run FROM annotations a " ..
    "JOIN documents d ON d.id = a.doc_id WHERE a.layer = 'w' GROUP BY 1 ORDER BY 1"),
    { { uri = "d1", n = 2, run = 2 }, { uri = "d2", n = 2, run = 1 }, { uri = "d3", n = 2, run = 2 } })
  -- the transaction's savepoints are all closed: the store takes more
  T.eq(db:transaction(function() return db:value("SELECT 1") end), 1)
  db:close()
  os.remove(path); os.remove(path .. "-wal"); os.remove(path .. "-shm")
end)

T.case("pipeline-1.7d ahead = k: the same spans, a document that cannot be tokenized fails alone", function()
  local g = lector.gazetteer.load("examples/gazetteer.tsv")
  local texts = { "Fighting near Aleppo.", "bad \xff byte", "Raqqa fell. Then Palmyra.", "", "Homs and Hama." }
  local function tagged(ahead)
    local out, failed, i = {}, {}, 0
    local function stage(ctx, emit)
      emit("n", { start = 1, stop = 0, label = #ctx.tokens .. "/" .. ctx.raw_sentences.n })
      for m in ctx:each_match() do emit("m", { start = m.start, stop = m.stop, label = m.entity }) end
    end
    local sink = { begin = function() end, finish = function() end,
                   emit = function(layer, sp) out[#out + 1] = i .. layer .. ":" .. sp.label end }
    P.run { documents = function() i = i + 1; return texts[i] and { text = texts[i] } end, gazetteer = g,
            stages = { stage }, sink = sink, ahead = ahead,
            on_error = function(_, err)
              failed[#failed + 1] = i .. ": " .. tostring(err):match("invalid UTF%-8")
              return true
            end }
    return out, failed
  end
  local out, failed = tagged(nil)
  T.eq(failed, { "2: invalid UTF-8" })
  T.eq(#out, 9)
  -- (i counts documents read: with ahead, read before their stages run)
  local out2, failed2 = tagged(2)
  T.eq(#failed2, 1)
  for k = 1, #out2 do out2[k] = out2[k]:gsub("^%d+", "") end
  for k = 1, #out do out[k] = out[k]:gsub("^%d+", "") end
  T.eq(out2, out)
end)

T.case("pipeline-1.7e ahead = k with more: only the documents more() says are at hand are read ahead", function()
  local texts = { "One.", "Two.", "Three.", "Four.", "Five." }
  local function order(more)
    local log, i = {}, 0
    local function stage(ctx) log[#log + 1] = "stage " .. ctx.text end
    P.run { documents = function()
              i = i + 1
              if texts[i] then log[#log + 1] = "read " .. texts[i] end
              return texts[i] and { text = texts[i] }
            end,
            stages = { stage }, ahead = 64, more = more }
    return table.concat(log, ", ")
  end
  T.eq(order(nil), "read One., read Two., read Three., read Four., read Five., "
    .. "stage One., stage Two., stage Three., stage Four., stage Five.")
  -- nothing more at hand: each document's stages run before the next is read
  T.eq(order(function() return false end), "read One., stage One., read Two., stage Two., read Three., "
    .. "stage Three., read Four., stage Four., read Five., stage Five.")
  -- two at hand, then none, then the rest
  local at_hand = { true, false, false, true, true }
  local asked = 0
  T.eq(order(function()
    asked = asked + 1
    return at_hand[asked] ~= false
  end), "read One., read Two., stage One., stage Two., read Three., stage Three., "
    .. "read Four., read Five., stage Four., stage Five.")
end)

T.case("pipeline-1.8 run gives back the token arrays of the contexts it made, not of one it was handed", function()
  local seen, kept = {}, {}
  local function stage(ctx, emit)
    local toks = ctx.tokens
    seen[#seen + 1] = toks[1]
    kept[#kept + 1] = ctx
    emit("first", { start = toks[1].start, stop = toks[1].stop })
  end
  local given = lector.context.new("Given words.")
  local docs = { { text = "Aleppo fell." }, given }
  local i = 0
  local n = P.run { documents = function() i = i + 1; return docs[i] end, stages = { stage },
                    keep = { first = true } }
  T.eq(n, 2)
  -- the run's own context: its array went back to the tokenizer when the
  -- document ended; the spans it emitted stay
  T.raises("token used after its token array was released or collected", function() return seen[1].text end)
  T.eq(kept[1].layers.first[1].stop, 6)
  -- the caller's context keeps its tokens
  T.eq(seen[2].text, "Given")
  T.eq(given.tokens[2].text, "words")
end)
