-- What the README promises and no other spec checked (issue 22): each
-- expectation is written from the README's words, not from the code.
local T = require "testlib"
local lector = require "lector"
local store = lector.store

local tmpdir = os.tmpname()
os.remove(tmpdir)
assert(os.execute("mkdir -p '" .. tmpdir .. "'") == 0)
local function tmp(name) return tmpdir .. "/" .. name end
local function sh(cmd) return os.execute(cmd) == 0 end
local function sql(db, q)
  local p = io.popen("sqlite3 '" .. db .. "' \"" .. q .. "\" 2>&1")
  local out = p:read("*a"):gsub("\n$", "")
  p:close()
  return out
end

-- ---- recipes.in_groups: a group's transaction ends after 0.25 s ---------

T.case("promise-1.1 in_groups commits at least every quarter second", function()
  local groups, sizes = 0, {}
  local fake = { transaction = function(_, f) groups = groups + 1; sizes[groups] = 0; f() end }
  local i = 0
  local function items() i = i + 1; if i <= 8 then return i end end
  lector.recipes.in_groups(fake, items, function()
    sizes[groups] = sizes[groups] + 1
    local t0 = os.clock()
    while os.clock() - t0 < 0.1 do end -- 0.1 s of work an item
  end)
  -- 0.8 s of work: no group holds more than 0.25 s and one item's worth
  T.ok(groups >= 3, "groups: " .. groups)
  for g = 1, groups do T.ok(sizes[g] <= 3, "group " .. g .. " holds " .. sizes[g]) end
end)

T.case("promise-1.2 in_groups: quick items share one transaction, opts.max caps it", function()
  local groups = 0
  local fake = { transaction = function(_, f) groups = groups + 1; f() end }
  local function upto(n) local i = 0 return function() i = i + 1; if i <= n then return i end end end
  lector.recipes.in_groups(fake, upto(100), function() end)
  T.eq(groups, 1)
  groups = 0
  lector.recipes.in_groups(fake, upto(10), function() end, { max = 3 })
  T.eq(groups, 4)
end)

-- ---- the store ---------------------------------------------------------

T.case("promise-2.1 the default busy timeout is 5 s", function()
  local db = store.open(tmp("busy.db"))
  T.eq(db:value("PRAGMA busy_timeout"), 5000)
  db:close()
  db = store.open(tmp("busy.db"), { busy_timeout = 250 })
  T.eq(db:value("PRAGMA busy_timeout"), 250)
  db:close()
end)

T.case("promise-2.2 a store of a newer schema is refused with the README's message", function()
  local path = tmp("newer.db")
  store.open(path):close()
  T.eq(sql(path, "PRAGMA user_version = 6; PRAGMA user_version"), "6")
  T.raises(path .. ": schema version 6 is newer than this lector (" .. lector.version ..
    ") knows (5); upgrade lector", store.open, path)
end)

T.case("promise-2.2b an SQLite file of another application is left alone", function()
  local path = tmp("other_app.db")
  T.eq(sql(path, "PRAGMA application_id = 12345; PRAGMA application_id"), "12345")
  T.raises(path .. ": an SQLite database of another application (application_id 12345), not a lector store",
    store.open, path)
  T.eq(sql(path, "SELECT count(*) FROM sqlite_master"), "0")
end)

-- A version-2 store as lector wrote it: the schema of migrations 0 -> 1
-- -> 2, read from the C source's string literals (history, not logic).
local function schema_v2_sql()
  local src = T.readfile("core/store_schema.c")
  local body = src:match("migrations%[LECTOR_STORE_SCHEMA%] = {(.-)/%* 2 %-> 3")
  assert(body, "migrations 0 -> 2 not found in core/store_schema.c")
  local out = {}
  for lit in body:gmatch('"(.-)"%s*[\n,]') do out[#out + 1] = lit end
  return (table.concat(out):gsub("\\n", "\n"))
end

-- A version-2 store NAME.db with the rows of sql (then user_version 2).
local function v2_store(name, rows)
  local path = tmp(name .. ".db")
  local f = assert(io.open(tmp(name .. ".sql"), "w"))
  f:write(schema_v2_sql(), rows, "PRAGMA user_version = 2;\n")
  f:close()
  T.ok(sh("sqlite3 '" .. path .. "' < '" .. tmp(name .. ".sql") .. "'"), "a version-2 store built")
  return path
end

T.case("promise-2.3 a schema-2 store migrates, its annotations kept", function()
  local path = v2_store("v2", [[
INSERT INTO documents(uri, base_uri, hash, title, text) VALUES ('a.txt', 'a.txt', 'h', 'A', 'ISIS left Palmyra.');
INSERT INTO runs(name, version, started) VALUES ('old', '0.0.9', '2016-01-01');
INSERT INTO entities(key, type) VALUES ('Islamic State', 'ORG');
INSERT INTO annotations(doc_id, layer, label, entity, start_byte, end_byte, attrs, run_id)
  VALUES (1, 'entity', 'ORG', 'Islamic State', 0, 4, '{"alias":"ISIS"}', 1),
         (1, 'entity', 'PLACE', NULL, 10, 17, NULL, 1);
]])
  local db = store.open(path)
  T.eq(db:value("PRAGMA user_version"), 5)
  local got = {}
  for a in db:annotations{ layer = "entity", text = true } do
    got[#got + 1] = table.concat({ a.label, a.entity or "-", a.start_byte, a.end_byte, a.text }, " ")
  end
  T.eq(got, { "ORG Islamic State 0 4 ISIS", "PLACE - 10 17 Palmyra" })
  T.eq(db:value("SELECT count(*) FROM annotations WHERE entity = 'Islamic State'"), 1)
  T.eq(db:document(1).text, "ISIS left Palmyra.")
  db:close()
  -- what SQL written for version 2 reads is unchanged
  T.eq(sql(path, "SELECT layer, label, entity, start_byte FROM annotations ORDER BY id LIMIT 1"),
    "entity|ORG|Islamic State|0")
end)

T.case("promise-2.4 lean rows: attrs.sentence of an older store moves to the sentence column", function()
  local path = v2_store("v2s", [[
INSERT INTO documents(uri, base_uri, hash, title, text) VALUES ('a.txt', 'a.txt', 'h', 'A', 'ISIS left. Palmyra fell.');
INSERT INTO runs(name, version, started) VALUES ('old', '0.0.9', '2016-01-01');
INSERT INTO annotations(doc_id, layer, label, entity, start_byte, end_byte, attrs, run_id)
  VALUES (1, 'entity', 'ORG', 'Islamic State', 0, 4, '{"alias":"ISIS","sentence":1}', 1),
         (1, 'entity', 'PLACE', 'Palmyra', 11, 18, '{"sentence":2}', 1),
         (1, 'note', 'x', NULL, 11, 18, '{"sentence":"two"}', 1);
]])
  store.open(path):close()
  -- stored: the number in its column, attrs without it (NULL when empty);
  -- a sentence that is no positive integer stays in attrs
  T.eq(sql(path, "SELECT sentence || '|' || ifnull(attrs, 'NULL') FROM annotation_rows " ..
    "WHERE sentence IS NOT NULL ORDER BY id"),
    '1|{"alias":"ISIS"}\n2|NULL')
  T.eq(sql(path, "SELECT ifnull(sentence, '-') || '|' || attrs FROM annotation_rows WHERE sentence IS NULL"),
    '-|{"sentence":"two"}')
  -- read: the view gives it back in attrs, and the span's text
  T.eq(sql(path, "SELECT json_extract(attrs, '$.sentence') || '|' || sentence || '|' || span_text " ..
    "FROM annotations WHERE layer = 'entity' ORDER BY id"), "1|1|ISIS\n2|2|Palmyra")
end)

T.case("promise-2.5 db:annotate stores span.sentence or attrs.sentence in the sentence column", function()
  local db = store.open(tmp("lean.db"))
  local id = db:add{ uri = "a.txt", text = "ISIS left. Palmyra fell." }
  db:annotate(id, "entity", {
    { start = 1, stop = 4, entity = "Islamic State", sentence = 1 },
    { start = 12, stop = 18, entity = "Palmyra", attrs = { sentence = 2, alias = "palmyra" } },
  })
  T.eq(db:query("SELECT sentence, attrs FROM annotation_rows ORDER BY start_byte"),
    { { sentence = 1 }, { sentence = 2, attrs = '{"alias":"palmyra"}' } })
  local got = {}
  for a in db:annotations{ layer = "entity" } do got[#got + 1] = a.attrs.sentence end
  T.eq(got, { 1, 2 })
  T.raises("span 1: sentence must be a positive integer, got 0", db.annotate, db, id, "entity",
    { { start = 1, stop = 4, sentence = 0 } })
  db:close()
end)

local function corpus_db(name)
  local db = store.open(tmp(name))
  db:add{ uri = "a.txt", text = "Aleppo fell.", outlet = "TASS", author = "Ivanov", published = "2016-12-01" }
  db:add{ uri = "b.txt", text = "Raqqa held.", outlet = "Reuters", author = "Smith",
          published = "2017-02-06T23:58:00Z" }
  db:add{ uri = "c.txt", text = "Palmyra again.", outlet = "TASS", author = "Petrov", published = "2017-03-01" }
  return db
end

local function uris(iter)
  local out = {}
  for d in iter do out[#out + 1] = d.uri end
  table.sort(out)
  return out
end

T.case("promise-2.4 db:documents{outlet, author, since, until}", function()
  local db = corpus_db("docs.db")
  T.eq(uris(db:documents{ outlet = "TASS" }), { "a.txt", "c.txt" })
  T.eq(uris(db:documents{ author = "Smith" }), { "b.txt" })
  T.eq(uris(db:documents{ since = "2017-01-01" }), { "b.txt", "c.txt" })
  -- since is "on or after", until "before": the day itself on each side
  T.eq(uris(db:documents{ since = "2017-03-01" }), { "c.txt" })
  T.eq(uris(db:documents{ ["until"] = "2017-03-01" }), { "a.txt", "b.txt" })
  T.eq(uris(db:documents{ ["until"] = "2017-01-01" }), { "a.txt" })
  T.eq(uris(db:documents{ since = "2017-02-01", ["until"] = "2017-03-01" }), { "b.txt" })
  T.eq(uris(db:documents{ outlet = "TASS", since = "2017-01-01" }), { "c.txt" })
  T.eq(uris(db:documents{ outlet = "Nobody" }), {})
  db:close()
end)

T.case("promise-2.5 db:rows is an iterator of rows, parameters bound", function()
  local db = corpus_db("rows.db")
  local it = db:rows("SELECT uri, outlet FROM documents WHERE outlet = ? ORDER BY uri", "TASS")
  T.eq(type(it), "function")
  local got = {}
  for r in it do got[#got + 1] = r.uri .. "/" .. r.outlet end
  T.eq(got, { "a.txt/TASS", "c.txt/TASS" })
  db:close()
end)

T.case("promise-2.6 db:entity adds, then updates; renaming a key renames every annotation", function()
  local db = corpus_db("ent.db")
  db:entity{ key = "Aleppo", type = "PLACE", attrs = { country = "Syria" } }
  T.eq(db:value("SELECT type FROM entities WHERE key = 'Aleppo'"), "PLACE")
  db:entity{ key = "Aleppo", type = "CITY" }
  T.eq(db:value("SELECT type FROM entities WHERE key = 'Aleppo'"), "CITY")
  T.eq(db:value("SELECT count(*) FROM entities WHERE key = 'Aleppo'"), 1)
  db:annotate(1, "entity", { { start = 1, stop = 6, label = "PLACE", entity = "Aleppo" } })
  db:annotate(3, "entity", { { start = 1, stop = 7, label = "PLACE", entity = "Aleppo" } })
  db:exec("UPDATE entities SET key = 'Halab' WHERE key = 'Aleppo'")
  T.eq(db:value("SELECT count(*) FROM annotations WHERE entity = 'Halab'"), 2)
  T.eq(db:value("SELECT count(*) FROM annotations WHERE entity = 'Aleppo'"), 0)
  local n = 0
  for _ in db:annotations{ entity = "Halab" } do n = n + 1 end
  T.eq(n, 2)
  db:close()
end)

-- ---- readers -------------------------------------------------------------

local function write(name, s)
  local f = assert(io.open(tmp(name), "wb"))
  f:write(s)
  f:close()
  return tmp(name)
end

local function read_all(paths, opts)
  local out = {}
  for d in lector.read.documents(paths, opts) do out[#out + 1] = d end
  return out
end

T.case("promise-3.1 *.ndjson is JSON lines; url stands for uri", function()
  local p = write("feed.ndjson",
    '{"text": "Aleppo fell.", "url": "http://example.com/a", "title": "A"}\n' ..
    '{"text": "Raqqa held.", "uri": "b", "url": "http://example.com/b"}\n')
  local docs = read_all({ p })
  T.eq(#docs, 2)
  T.eq(docs[1].text, "Aleppo fell.")
  T.eq(docs[1].uri, "http://example.com/a")
  T.eq(docs[1].fields.title, "A")
  T.eq(docs[1].meta.url, "http://example.com/a")
  T.eq(docs[2].uri, "b")
end)

T.case("promise-3.2 JSON-lines fields win over what the text says", function()
  local text = "Islamic State close to taking city\nBy Alexander Mercouris\nThe Duran\n" ..
    "Mon, 06 Feb 2017 23:58 UTC\n\nThe city of Deir Ezzor is besieged.\n"
  local p = write("meta.jsonl", lector.json.encode{ text = text, uri = "d1", title = "My title",
    author = "Someone Else", outlet = "My Outlet", published = "2020-01-02" } .. "\n" ..
    lector.json.encode{ text = text, uri = "d2" } .. "\n")
  lector.recipes.run("ingest", { db = tmp("meta.db") }, { p })
  local db = store.open(tmp("meta.db"))
  local d1, d2 = db:document("d1"), db:document("d2")
  T.eq({ d1.title, d1.author, d1.outlet, d1.published },
    { "My title", "Someone Else", "My Outlet", "2020-01-02" })
  -- without the fields, the text's own lines give them
  T.eq({ d2.title, d2.author, d2.outlet, d2.published },
    { "Islamic State close to taking city", "Alexander Mercouris", "The Duran", "2017-02-06T23:58:00Z" })
  db:close()
end)

-- ---- gazetteers ----------------------------------------------------------

T.case("promise-4.1 g:count counts what g:matches gives", function()
  local g = lector.gazetteer.new()
  g:add("Aleppo", "Aleppo", "PLACE")
  g:add("Syrian Army", "Syrian Arab Army", "ORG")
  g:add("Syrian", "Syria", "NORP")
  local toks = lector.tokenize("The Syrian Army took Aleppo; Syrian forces left Aleppo. aleppo")
  T.eq(g:count(toks), 5)
  local n = 0
  for _ in g:matches(toks) do n = n + 1 end
  T.eq(n, 5)
  T.eq(g:count(lector.tokenize("nothing here")), 0)
end)

-- ---- patterns: every class of the README's table, and the limits --------

T.case("promise-5.1 every token class and flag of the README's table", function()
  local s = "Gen. Smith’s 5,000 troops, $5 and 👍 at http://x.org/a or a@b.org in Ḥalab: AL-BAB\n" ..
    "next line\n\nnew paragraph"
  local toks = lector.tokenize(s)
  local function first(src)
    local p = lector.pattern(src)
    local m = p:matches(toks)()
    return m and m.text
  end
  T.eq(first("<word>"), "Gen.")
  T.eq(first("<number>"), "5,000")
  T.eq(first("<punct>"), ",")
  T.eq(first("<symbol>"), "$")
  T.eq(first("<url>"), "http://x.org/a")
  T.eq(first("<email>"), "a@b.org")
  T.eq(first("<clitic>"), "’s")
  T.eq(first("<other>"), "👍")
  T.eq(first("<cap>"), "Gen.")
  T.eq(first("<upper>"), "AL")
  T.eq(first("<digit>"), "5,000")
  T.eq(first("<hyphen>"), "AL")
  T.eq(first("<abbrev>"), "Gen.")
  T.eq(first("<nonascii>"), "’s")
  T.eq(first("<line_end>"), "BAB")
  T.eq(first("<para_end>"), "line")
  T.eq(first("troops"), "troops")
  T.eq(first('"Smith"'), "Smith")
  T.eq(first('"smith"'), nil)
  T.eq(first("_"), "Gen.")
  T.eq(first("{paragraph troops}"), "troops")
  -- each class on its own: a capitalised word first, then a lower-case
  -- abbreviation, a number without digits' flag neighbours, ...
  toks = lector.tokenize("Smith saw approx. 5 tanks and e.g. AK-47s")
  T.eq(first("<abbrev>"), "approx.")
  T.eq(first("<cap>"), "Smith")
  T.eq(first("<upper>"), "AK")
  T.eq(first("<hyphen>"), "AK")
  T.eq(first("<abbrev> <number>"), "approx. 5")
end)

T.case("promise-5.2 at most 64 captures", function()
  local function caps(n)
    local t = {}
    for i = 1, n do t[i] = "c" .. i .. ":_" end
    return table.concat(t, " ")
  end
  local p = lector.pattern(caps(64))
  local m = p:matches(lector.tokenize(string.rep("w ", 64)))()
  T.eq(m.captures.c64.text, "w")
  T.raises("expected at most 64 captures", lector.pattern, caps(65))
end)

T.case("promise-5.3 at most 200 nested groups", function()
  local function nest(n) return string.rep("(", n) .. "a" .. string.rep(")", n) end
  local m = lector.pattern(nest(200)):matches(lector.tokenize("a"))()
  T.eq(m.text, "a")
  T.raises("expected fewer nested groups", lector.pattern, nest(201))
end)


T.case("promise-2.7 ids of a transaction SQLite itself rolled back are not reused", function()
  -- A trigger of the analyst's that rolls back the whole transaction
  -- (RAISE(ROLLBACK)) takes back the entity the first span added; lector
  -- must not keep using that entity's id afterwards.
  local db = store.open(tmp("rb.db"))
  local id = db:add{ uri = "a.txt", text = "Aleppo and Raqqa and Palmyra" }
  -- (the script's implicit run is made before, outside the transaction:
  -- a run made inside it is rolled back too, and lector keeps its id)
  db:annotate(id, "note", { { start_byte = 0, end_byte = 1, label = "x" } })
  db:exec([[CREATE TRIGGER no_99 BEFORE INSERT ON annotation_rows
    WHEN new.start_byte = 11 BEGIN SELECT RAISE(ROLLBACK, 'no span at 11'); END]])
  local ok, err = pcall(db.transaction, db, function()
    db:annotate(id, "entity", { { start_byte = 0, end_byte = 6, label = "PLACE", entity = "Aleppo" } })
    db:annotate(id, "entity", { { start_byte = 11, end_byte = 16, label = "PLACE", entity = "Raqqa" } })
  end)
  T.ok(not ok and tostring(err):find("no span at 11", 1, true), tostring(err))
  T.eq(db:value("SELECT count(*) FROM entities"), 0)
  -- another entity may now take the id Aleppo had: each keeps its own name
  db:annotate(id, "entity", { { start_byte = 21, end_byte = 28, label = "PLACE", entity = "Palmyra" } })
  db:annotate(id, "entity", { { start_byte = 0, end_byte = 6, label = "PLACE", entity = "Aleppo" } })
  local got = {}
  for r in db:rows("SELECT entity, start_byte FROM annotations WHERE layer = 'entity' ORDER BY start_byte") do
    got[#got + 1] = r.entity .. "@" .. r.start_byte
  end
  T.eq(got, { "Aleppo@0", "Palmyra@21" })
  db:close()
end)
os.execute("rm -rf '" .. tmpdir .. "'")
