-- Specs of issue 19's duplicates and metadata: ingest's meta.duplicate_of
-- (lector.duplicates.flag_exact), the metadata the header misses
-- (lector.extract.metadata.fill through lector.pipeline.prepare), near
-- duplicates (lector.duplicates.near, the dups recipe's work) and the
-- reports' skipping of copies.
local T = require "testlib"
local lector = require "lector"
local store = require "lector.store"
local P = require "lector.pipeline"
local dups = require "lector.duplicates"
local md = require "lector.extract.metadata"
local data = require "lector.report.data"
local summary = require "lector.summary"

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir) == 0)
local function path(name) return dir .. "/" .. name end
local function write(name, s)
  assert(os.execute("mkdir -p " .. path(name):match("^(.*)/")) == 0)
  local f = assert(io.open(path(name), "wb"))
  f:write(s)
  f:close()
  return path(name)
end
local function ingest(db, inputs)
  local out = io.stdout
  io.stdout = io.open("/dev/null", "w") -- luacheck: ignore
  local ok, err = pcall(lector.recipes.run, "ingest", { db = db }, inputs)
  io.stdout:close()
  io.stdout = out -- luacheck: ignore
  assert(ok, err)
end
local function meta_of(db, uri)
  local d = db:document(uri)
  return d and d.meta or nil
end

local STORY = "Army retakes town\n\nThe army retook the town of Tal Afar on Sunday after a week of fighting, " ..
  "officials said. Dozens of fighters were killed and hundreds of families fled to the camps in the south.\n"

T.case("dups-1.1 ingest flags a text stored under another uri, and one earlier in the same batch", function()
  write("a/one.txt", STORY)
  ingest(path("x.db"), { path("a") })
  write("b/two.txt", STORY)
  write("b/three.txt", STORY)
  write("c/p1.txt", "Other text\n\nNothing in common with the rest of them at all.\n")
  write("c/p2.txt", "Other text\n\nNothing in common with the rest of them at all.\n")
  ingest(path("x.db"), { path("b"), path("c") })
  local db = store.open(path("x.db"))
  T.eq(meta_of(db, path("a/one.txt")).duplicate_of, nil)
  T.eq(meta_of(db, path("b/two.txt")).duplicate_of, path("a/one.txt"))
  T.eq(meta_of(db, path("b/three.txt")).duplicate_of, path("a/one.txt"))
  -- within one batch: p2.txt comes after p1.txt
  T.eq(meta_of(db, path("c/p2.txt")).duplicate_of, path("c/p1.txt"))
  T.eq(meta_of(db, path("c/p1.txt")).duplicate_of, nil)
  T.eq(db:value("SELECT count(*) FROM documents WHERE json_extract(meta, '$.duplicate_of') IS NOT NULL"), 3)
  db:close()
  -- the original ingested again is no copy of its copies
  ingest(path("x.db"), { path("a"), path("b") })
  db = store.open(path("x.db"))
  T.eq(meta_of(db, path("a/one.txt")).duplicate_of, nil)
  db:close()
end)

T.case("dups-1.2 flag_exact: current documents only, a duplicate_of given is kept, misuse raises", function()
  local db = store.open(path("y.db"))
  local a = db:add { uri = "a", text = "first text" }
  db:add { uri = "a", text = "second text" } -- a's current text changes
  local b = db:add { uri = "b", text = "first text" } -- only a's old version had it
  local c = db:add { uri = "c", text = "second text", meta = { duplicate_of = "mine" } }
  local d = db:add { uri = "d", text = "second text" }
  T.eq(dups.flag_exact(db, { b, c, d }), 1)
  T.eq(db:document(b).meta.duplicate_of, nil)
  T.eq(db:document(c).meta.duplicate_of, "mine")
  T.eq(db:document(d).meta.duplicate_of, "a#v2")
  T.eq(db:document(a).meta.duplicate_of, nil)
  T.raises("bad argument #2 to 'flag_exact'", dups.flag_exact, db, "x")
  db:close()
end)

T.case("dups-1.3 flag_exact answers as of each document's adding, whenever it runs", function()
  local db = store.open(path("z.db"))
  db:add { uri = "a", text = "first text" }
  local b = db:add { uri = "b", text = "first text" } -- a's text then
  db:add { uri = "a", text = "second text" } -- a's text changes after b came
  local c = db:add { uri = "c", text = "first text" } -- after the change: no copy of a
  T.eq(dups.flag_exact(db, { b, c }), 2)
  T.eq(db:document(b).meta.duplicate_of, "a")
  T.eq(db:document(c).meta.duplicate_of, "b")
  db:close()
end)

T.case("dups-2.1 fill: byline and Source: line at the end, URL date and title case slug, header wins", function()
  local text = "http://wire.test/world/2017/02/06/army-retakes-tal-afar-from-islamic-state/\n\n" ..
    "The army retook the town on Sunday after a week of fighting, officials said. " ..
    "Dozens of fighters were killed, according to the army.\n\n" .. string.rep("More paragraphs of the " ..
    "story follow here, long enough to be body text and not a header line of any kind at all.\n\n", 10) ..
    "By Nadia Karim\nSource: Levant Wire\n\nShare this\n"
  local d = P.prepare({ uri = "x", text = text })
  T.eq({ d.title, d.published, d.author }, { "Army Retakes Tal Afar from Islamic State", "2017-02-06", "Nadia Karim" })
  T.eq({ d.meta.title_from, d.meta.published_from, d.meta.author_from }, { "url", "url", "byline" })
  -- the URL's host is the header's outlet; without a URL the Source: line is
  T.eq(d.outlet, "wire.test")
  local d2 = P.prepare({ uri = "y", text = "Headline here\n\n" .. string.rep("Body text of the story, long " ..
    "enough to be a paragraph and not a headline of any sort, it goes on and on.\n\n", 10) ..
    "By Nadia Karim\nSource: Levant Wire\n" })
  T.eq({ d2.title, d2.author, d2.outlet, d2.meta.outlet_from },
    { "Headline here", "Nadia Karim", "Levant Wire", "source" })
  -- what the header (or JSON fields) gave stays
  local d3 = P.prepare({ uri = "z", text = text, fields = { title = "Given", author = "Someone",
    published = "2020-01-02", outlet = "Mine" } })
  T.eq({ d3.title, d3.author, d3.published, d3.outlet }, { "Given", "Someone", "2020-01-02", "Mine" })
  T.eq({ d3.meta.title_from, d3.meta.author_from, d3.meta.published_from }, {})
  -- --raw: nothing from the text
  local d4 = P.prepare({ uri = "w", text = text }, { raw = true })
  T.eq({ d4.title, d4.author, d4.published }, {})
  -- a uri that is a URL gives the date when the text has none
  local d5 = P.prepare({ uri = "https://x.test/news/2016/11/03/siege-enters-third-year", text = "Siege\n\nText.\n" })
  T.eq({ d5.published, d5.title }, { "2016-11-03", "Siege" })
  T.eq(md.fill({ uri = "q", text = "By Nadia Karim", meta = {} }, false).author, nil)
end)

T.corpus_case("dups-2.2 seed 001: byline and Source: line at the end fill author and outlet", function(corpus)
  local d = P.prepare({ uri = "001", text = T.readfile(corpus .. "/001_24d23fa43b9e9066.txt") })
  T.eq({ d.author, d.outlet, d.meta.author_from, d.meta.outlet_from },
    { "Alexander Mercouris", "The Duran", "byline", "source" })
  T.eq(d.title, "Syrian Army on Brink of Total Victory in Central Syria")
  local d4 = P.prepare({ uri = "004", text = T.readfile(corpus .. "/004_fcb48b072c5b7eb4.txt") })
  T.eq({ d4.title, d4.published }, { "Islamic State Close to Defeating Syrian Army in Key Eastern City", "2016-01-25" })
end)

-- The examples and the wire copy of 04-palmyra (examples/wire).
local function examples_db(name)
  local p = path(name)
  ingest(p, { "examples/corpus", "examples/wire" })
  return store.open(p)
end

T.case("dups-3.1 near: the wire copy with its boilerplate tail, and nothing else", function()
  local db = examples_db("e.db")
  local pairs_ = dups.near(db)
  T.eq(pairs_.documents, 6)
  T.eq(#pairs_, 1)
  local p = pairs_[1]
  T.eq({ p.uri, p.of_uri, p.exact }, { "examples/wire/palmyra-levant-wire.txt", "examples/corpus/04-palmyra.txt", nil })
  T.ok(p.similarity >= 0.8 and p.similarity < 1, "similarity " .. p.similarity)
  T.ok(p.containment > p.similarity, "containment " .. p.containment)
  -- at a threshold above its similarity there is no pair; scope filters apply
  T.eq(#dups.near(db, { threshold = p.similarity + 0.01 }), 0)
  T.eq(dups.near(db, { doc = { "6", "5" } }).documents, 2)
  T.eq(#dups.near(db, { doc = { "6", "5" } }), 0)
  T.raises("threshold: a number in (0, 1] expected", dups.near, db, { threshold = 2 })
  T.raises("bad argument #1 to 'near'", dups.near, "db")
  db:close()
end)

T.corpus_case("dups-3.3 near on the seed articles: the wire copy only, even at a low threshold", function(corpus)
  local p = path("seed.db")
  ingest(p, { "examples/corpus", "examples/wire", corpus })
  local db = store.open(p)
  -- 000 has a second article glued to its end; no other file shares it
  local pairs_ = dups.near(db, { threshold = 0.1 })
  T.eq(pairs_.documents, 11)
  T.eq(#pairs_, 1)
  T.eq(pairs_[1].of_uri, "examples/corpus/04-palmyra.txt")
  db:close()
end)

T.case("dups-3.2 near: the later of a pair is the one published later, exact copies pair with the first", function()
  local db = store.open(path("n.db"))
  local body = {}
  for i = 1, 60 do body[#body + 1] = "word" .. i end
  local s = table.concat(body, " ")
  db:add { uri = "late", text = s .. " tail one two three", published = "2017-02-07" }
  db:add { uri = "early", text = s, published = "2017-02-06" }
  db:add { uri = "copy1", text = s }
  db:add { uri = "copy2", text = s }
  local got = {}
  for _, p in ipairs(dups.near(db, { threshold = 0.5 })) do
    got[#got + 1] = p.uri .. ">" .. p.of_uri .. (p.exact and "=" or "")
  end
  T.eq(got, { "late>early", "copy1>early=", "copy2>early=" })
  -- versions of one document are no pair, even back to an old text
  db:add { uri = "v", text = s .. " version one" }
  db:add { uri = "v", text = s .. " version two" }
  db:add { uri = "v", text = s .. " version one" }
  local ours = 0
  for _, p in ipairs(dups.near(db, { threshold = 0.5, all_versions = true })) do
    if p.uri:find("^v") and p.of_uri:find("^v") then ours = ours + 1 end
  end
  T.eq(ours, 0)
  -- each version is near "early" and "late": 3 + 3 * 2
  T.eq(#dups.near(db, { threshold = 0.5, all_versions = true }), 9)
  db:close()
end)

T.case("dups-4.1 reports skip copies whose original they report, unless with_duplicates", function()
  local db = examples_db("r.db")
  local run = db:begin_run("dups", {}, { recipe = true })
  local pairs_ = dups.near(db)
  T.eq(dups.store_pairs(db, pairs_, run, { 1, 2, 3, 4, 5, 6 }), 1)
  run:finish("ok")
  T.eq(db:value("SELECT label FROM annotations WHERE layer = 'duplicate' AND doc_id = 6"), "near")
  T.eq(data.count(db), 5)
  T.eq(data.count(db, { with_duplicates = true }), 6)
  T.eq(data.count(db, { ["with-duplicates"] = true }), 6)
  T.eq(data.overview(db).duplicates, 1)
  T.eq(data.overview(db, { with_duplicates = true }).duplicates, 0)
  -- the copy alone, or with others but not its original, is reported
  T.eq(data.count(db, { doc = { "6" } }), 1)
  T.eq(data.count(db, { doc = { "6", "5" } }), 2)
  T.eq(data.count(db, { doc = { "6", "4" } }), 1)
  local s = summary.collect(db)
  T.eq({ #s.documents, s.duplicates_skipped }, { 5, 1 })
  s = summary.collect(db, { with_duplicates = true })
  T.eq({ #s.documents, s.duplicates_skipped }, { 6, 0 })
  -- a dups run replaces what the last one stored
  run = db:begin_run("dups", {}, { recipe = true })
  dups.store_pairs(db, {}, run, { 1, 2, 3, 4, 5, 6 })
  run:finish("ok")
  T.eq(db:value("SELECT count(*) FROM annotations WHERE layer = 'duplicate'"), 0)
  T.eq(data.count(db), 6)
  -- an exact copy (meta.duplicate_of) is skipped the same way, also with every version
  db:add { uri = "again", text = db:document(3).text }
  T.eq(dups.flag_exact(db, { 7 }), 1)
  T.eq(data.count(db), 6)
  T.eq(data.count(db, { all_versions = true }), 6)
  T.eq(data.count(db, { with_duplicates = true }), 7)
  db:close()
end)
