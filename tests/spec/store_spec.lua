-- Specs of lector.store: the Lua API over the corpus store.
local T = require "testlib"
local store = require "lector.store"

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir) == 0)
local function path(name) return dir .. "/" .. name end

local db = store.open(path("s.db"))

T.case("store-1.1 open gives a db with documented methods", function()
  T.eq(getmetatable(db), store.Db)
  for name in pairs(store.help) do
    T.ok(type(store.Db[name]) == "function", "help names a missing method " .. name)
  end
  T.eq(db:schema_version(), store.SCHEMA_VERSION)
  T.ok(tostring(db):find("s.db", 1, true))
end)

local id1
T.case("store-1.2 add, re-add unchanged, changed text is a new version", function()
  local id, is_new, v = db:add { uri = "a.txt", text = "Deir ez-Zor and Ḥalab", title = "T",
                                 author = "A", meta = { source = "x" } }
  T.ok(is_new); T.eq(v, 1)
  id1 = id
  local id2, new2 = db:add { uri = "a.txt", text = "Deir ez-Zor and Ḥalab" }
  T.eq(id2, id); T.eq(new2, false)
  local id3, new3, v3 = db:add { uri = "a.txt", text = "Deir ez-Zor, changed" }
  T.ok(new3); T.eq(v3, 2); T.ok(id3 ~= id)
  local d = db:document("a.txt")
  T.eq(d.id, id3); T.eq(d.uri, "a.txt#v2"); T.eq(d.supersedes, id); T.eq(d.base_uri, "a.txt")
  T.eq(db:document(id).meta, { source = "x" })
  T.eq(db:document(id).hash, store.sha256("Deir ez-Zor and Ḥalab"))
  local n = 0
  for _ in db:documents() do n = n + 1 end
  T.eq(n, 1)
  n = 0
  for _ in db:documents { all_versions = true } do n = n + 1 end
  T.eq(n, 2)
end)

T.case("store-1.3 argument errors use Lua's format", function()
  T.raises("bad argument #1 to 'add' (field 'uri'", db.add, db, { text = "x" })
  T.raises("bad argument #1 to 'add' (field 'text'", db.add, db, { uri = "x" })
  T.raises("bad argument #1 to 'open' (string expected, got nil)", store.open)
  T.raises("bad argument #3 to 'annotate' (span 2:", db.annotate, db, id1, "x",
           { { start = 1, stop = 2 }, { label = "no span" } })
  T.raises("invalid UTF-8 at byte 3", db.add, db, { uri = "bad", text = "ab\255" })
end)

T.case("store-1.4 add_many: in order, a uri twice, in bulk, all or none", function()
  local m = store.open(path("many.db"))
  local docs = {}
  for i = 1, 100 do
    docs[i] = { uri = "n/" .. i, text = "text " .. i .. " in Ḥalab", title = i, meta = { n = i } }
  end
  docs[101] = { uri = "n/1", text = "text 1 in Ḥalab" }
  docs[102] = { uri = "n/2", text = "changed" }
  local r = m:add_many(docs)
  T.eq(#r, 102)
  T.ok(r[1].is_new); T.eq(r[1].version, 1)
  T.eq(r[101].is_new, false); T.eq(r[101].id, r[1].id)
  T.ok(r[102].is_new); T.eq(r[102].version, 2)
  T.eq(m:document(r[50].id).uri, "n/50")
  T.eq(m:document(r[50].id).title, "50")
  T.eq(m:document(r[50].id).meta, { n = 50 })
  T.eq(m:document(r[102].id).supersedes, r[2].id)
  T.eq(m:value("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'halab'"), 100)
  -- the same documents one at a time give the same rows
  local one = store.open(path("one.db"))
  for i, d in ipairs(docs) do
    local id, is_new, v = one:add(d)
    T.eq({ id, is_new, v }, { r[i].id, r[i].is_new, r[i].version })
  end
  one:close()
  T.eq(m:add_many {}, {})
  T.raises("bad argument #1 to 'add_many' (document 2: field 'text': string expected, got nil)",
           m.add_many, m, { { uri = "p", text = "x" }, { uri = "q" } })
  T.raises("bad argument #1 to 'add_many' (table expected, got string)", m.add_many, m, "x")
  T.raises("q: invalid UTF-8 at byte 2", m.add_many, m,
           { { uri = "p", text = "x" }, { uri = "q", text = "a\255" } })
  T.eq(m:value("SELECT count(*) FROM documents WHERE uri IN ('p', 'q')"), 0)
  m:close()
end)

T.case("store-1.5 recipes.in_groups: transactions of at most max items, all or none each", function()
  local recipes = require "lector.recipes"
  local m = store.open(path("groups.db"))
  local i, commits = 0, 0
  local function items() i = i + 1; return i <= 10 and i or nil end
  recipes.in_groups(m, items, function(k) m:add { uri = "g/" .. k, text = "t" .. k } end,
    { max = 4, before_commit = function() commits = commits + 1 end })
  T.eq(m:value("SELECT count(*) FROM documents"), 10)
  T.eq(commits, 3) -- 4 + 4 + 2 items
  -- an error rolls back its own group and is raised; the groups before it stay
  i = 0
  T.raises("no 7", recipes.in_groups, m, items, function(k)
    if k == 7 then error("no 7", 0) end
    m:add { uri = "h/" .. k, text = "t" .. k }
  end, { max = 4 })
  T.eq(m:value("SELECT count(*) FROM documents WHERE uri LIKE 'h/%'"), 4)
  T.raises("bad argument #1 to 'in_groups' (store expected, got nil)", recipes.in_groups)
  T.raises("bad argument #2 to 'in_groups' (iterator function expected, got table)",
    recipes.in_groups, m, {}, print)
  T.raises("bad argument #3 to 'in_groups' (function expected, got nil)",
    recipes.in_groups, m, items)
  T.raises("bad argument #4 to 'in_groups' (table or nil expected, got number)",
    recipes.in_groups, m, items, print, 3)
  m:close()
end)

T.case("store-2.1 annotate: 1-based start/stop and 0-based bytes agree", function()
  local text = db:document(id1).text
  local s, e = text:find("Ḥalab", 1, true)
  local n = db:annotate(id1, "entity", {
    { start = s, stop = e, label = "PLACE", entity = "Aleppo", attrs = { alias = "Ḥalab" } },
    { start_byte = 0, end_byte = 4, type = "PLACE", key = "Deir ez-Zor" },
  })
  T.eq(n, 2)
  local got = {}
  for a in db:annotations { doc = id1, text = true } do got[#got + 1] = a end
  T.eq(#got, 2)
  T.eq(got[1].text, "Deir"); T.eq(got[1].start_byte, 0); T.eq(got[1].start, 1); T.eq(got[1].stop, 4)
  T.eq(got[2].text, "Ḥalab"); T.eq(got[2].start, s); T.eq(got[2].stop, e)
  T.eq(got[2].attrs, { alias = "Ḥalab" })
  T.eq(got[2].entity, "Aleppo")
  T.ok(got[1].run_id ~= nil, "every annotation records a run")
  T.eq(db:value("SELECT type FROM entities WHERE key = ?", "Aleppo"), "PLACE")
end)

T.case("store-2.1b gazetteer-style matches go in as they come", function()
  local shared = { country = "Syria" }
  local text = db:document(id1).text
  local s, e = text:find("Deir", 1, true)
  local matches = {
    { start = s, stop = e, first = 1, last = 1, text = "Deir", entity = "Deir ez-Zor", type = "PLACE",
      alias = "Deir", attrs = shared, source = "places.tsv:3", case = "insensitive" },
    { start = s, stop = e + 3, entity = "Deir ez-Zor", type = "PLACE", attrs = shared },
  }
  T.eq(db:annotate(id1, "gaz", matches), 2)
  local n = 0
  for a in db:annotations { layer = "gaz" } do
    n = n + 1
    T.eq(a.label, "PLACE"); T.eq(a.entity, "Deir ez-Zor"); T.eq(a.attrs, { country = "Syria" })
  end
  T.eq(n, 2)
end)

T.case("store-2.1c the span conversion loop of annotate compiles", function()
  local text = db:document(id1).text
  local spans = {}
  for i = 1, 2000 do
    local a = i % (#text - 2) + 1
    spans[i] = { start = a, stop = a + 1, label = (i % 2 == 0) and "A" or "B", entity = "Aleppo" }
  end
  -- aborts the JIT recovers from are fine; an NYI (something it cannot
  -- compile) in store.lua is not
  local aborts, traces = T.jit_trace(function()
    db:transaction(function()
      for _ = 1, 5 do db:annotate(id1, "jit", spans) end
    end)
  end, { file = "store.lua", nyi_only = true })
  T.eq(aborts, {})
  T.ok(traces >= 1, "traces compiled in store.lua: " .. traces)
  T.eq(db:value("SELECT count(*) FROM annotations WHERE layer = 'jit'"), 10000)
  db:exec("DELETE FROM annotations WHERE layer = 'jit'")
end)

T.case("store-2.2 annotate is all or nothing", function()
  local before = db:value("SELECT count(*) FROM annotations")
  T.raises("not within document", db.annotate, db, id1, "entity",
           { { start = 1, stop = 2, entity = "New" }, { start = 1, stop = 10000 } })
  T.eq(db:value("SELECT count(*) FROM annotations"), before)
  T.eq(db:value("SELECT count(*) FROM entities WHERE key = 'New'"), 0)
end)

T.case("store-2.2b a batch failing half-way inside a transaction is undone", function()
  local before = db:value("SELECT count(*) FROM annotations")
  local okay, err = pcall(db.transaction, db, function()
    db:annotate(id1, "ok", { { start = 1, stop = 2 } })
    local ok2, e2 = pcall(db.annotate, db, id1, "bad",
                          { { start = 1, stop = 2 }, { start = 1, stop = 2, attrs = "{not json" } })
    T.eq(ok2, false)
    T.ok(tostring(e2):find("CHECK constraint failed", 1, true), e2)
    T.eq(db:value("SELECT count(*) FROM annotations WHERE layer = 'bad'"), 0)
    T.eq(db:value("SELECT count(*) FROM annotations WHERE layer = 'ok'"), 1)
  end)
  T.ok(okay, err)
  T.eq(db:value("SELECT count(*) FROM annotations"), before + 1)
end)

T.case("store-2.2c SQL writes through the annotations view; names are stored once", function()
  db:exec("INSERT INTO annotations(doc_id, layer, label, entity, start_byte, end_byte, attrs) VALUES (" ..
          id1 .. ", 'sql', 'L', 'Via SQL', 0, 4, '{\"k\":1}')")
  local got = {}
  for a in db:annotations { layer = "sql", text = true } do got[#got + 1] = a end
  T.eq(#got, 1)
  T.eq(got[1].entity, "Via SQL"); T.eq(got[1].attrs, { k = 1 }); T.eq(got[1].text, "Deir")
  db:annotate(id1, "sql", { { start_byte = 1, end_byte = 2, label = "L", entity = "Via SQL" } })
  T.eq(db:value("SELECT count(*) FROM labels WHERE layer = 'sql' AND label = 'L'"), 1)
  T.eq(db:value("SELECT count(*) FROM entities WHERE key = 'Via SQL'"), 1)
  T.eq(db:value("SELECT count(DISTINCT label_id) FROM annotation_rows a JOIN labels l ON l.id = a.label_id " ..
                "WHERE l.layer = 'sql'"), 1)
  T.raises("annotations name this entity", db.exec, db, "DELETE FROM entities WHERE key = 'Via SQL'")
  db:exec("DELETE FROM annotations WHERE layer = 'sql'")
  T.eq(db:value("SELECT count(*) FROM annotations WHERE layer = 'sql'"), 0)
end)

T.case("store-2.3 runs: begin_run/finish record name, options, status", function()
  local run = db:begin_run("spec", { top = 3 })
  db:annotate(id1, "pattern", { { start = 1, stop = 4, label = "X" } })
  run:finish("ok")
  local r = db:query("SELECT name, options, status, finished IS NOT NULL AS done, version FROM runs WHERE id = ?",
                     run.id)[1]
  T.eq(r.name, "spec"); T.eq(r.options, '{"top":3}'); T.eq(r.status, "ok"); T.eq(r.done, 1)
  T.eq(r.version, require("lector").version)
  local n = 0
  for a in db:annotations { run = run } do n = n + 1; T.eq(a.layer, "pattern") end
  T.eq(n, 1)
end)

T.case("store-3.1 query binds parameters, never concatenates", function()
  local evil = "'); DROP TABLE documents; --"
  local id = db:add { uri = evil, text = evil, title = evil }
  T.eq(db:value("SELECT title FROM documents WHERE uri = ?", evil), evil)
  T.eq(db:query("SELECT count(*) AS n FROM documents WHERE id = ?", id)[1].n, 1)
  T.raises("the SQL has 1 parameter, 0 values given", db.query, db, "SELECT ?")
  T.raises("one SQL statement at a time", db.query, db, "SELECT 1; SELECT 2")
  T.eq(db:value("SELECT ?, ?", nil, 2), nil)
  T.eq(db:value("SELECT ? + 0.5", 1), 1.5)
  T.eq(db:value("SELECT ?", true), 1)
end)

T.case("store-3.2 hostile strings round-trip byte for byte", function()
  local text = "quote \" ' ` \0 NUL, emoji 🙂👍🏽, RTL \u{202E}abc, ’s, CR\r\nend\0"
  local label = "lab'el\0\"🙂"
  local id = db:add { uri = "hostile\u{1F600}", text = text, title = label, meta = { k = label } }
  local d = db:document(id)
  T.eq(d.text, text); T.eq(d.title, label); T.eq(d.meta.k, label)
  db:annotate(id, "x'; --", { { start = 1, stop = #text, label = label, entity = label } })
  local a = db:annotations { doc = id, text = true }()
  T.eq(a.label, label); T.eq(a.entity, label); T.eq(a.text, text); T.eq(a.layer, "x'; --")
end)

T.case("store-3.3 transaction commits, rolls back, re-raises the error object", function()
  local before = db:value("SELECT count(*) FROM documents")
  local err = { msg = "stop", code = 1 }
  local okay, got = pcall(db.transaction, db, function()
    db:add { uri = "tx1", text = "one" }
    error(err)
  end)
  T.eq(okay, false); T.ok(got == err, "the same error object")
  T.eq(db:value("SELECT count(*) FROM documents"), before)
  local r1, r2 = db:transaction(function(x)
    db:add { uri = "tx2", text = "two" }
    db:transaction(function() db:add { uri = "tx3", text = "three" } end)
    pcall(db.transaction, db, function() db:add { uri = "tx4", text = "four" }; error("inner") end)
    return x, "b"
  end, "a")
  T.eq(r1, "a"); T.eq(r2, "b")
  T.eq(db:value("SELECT count(*) FROM documents WHERE uri IN ('tx2', 'tx3', 'tx4')"), 2)
end)

T.case("store-3.4 a transaction begun with plain SQL stays the caller's", function()
  local before = db:value("SELECT count(*) FROM documents")
  db:exec("BEGIN")
  db:add { uri = "sql-tx-1", text = "one" }
  db:transaction(function() db:add { uri = "sql-tx-2", text = "two" } end)
  T.raises("no", db.transaction, db, function() db:add { uri = "sql-tx-3", text = "3" }; error("no") end)
  db:exec("ROLLBACK")
  T.eq(db:value("SELECT count(*) FROM documents"), before)
  db:exec("BEGIN")
  db:add { uri = "sql-tx-1", text = "one" }
  db:exec("COMMIT")
  T.eq(db:value("SELECT count(*) FROM documents"), before + 1)
end)

T.case("store-3.5 long_write: groups as one bulk load, the indexes out between commits, back at its end", function()
  local lw = store.open(path("long.db"))
  local id = lw:add { uri = "long", text = string.rep("Aleppo and Homs. ", 40) }
  local spans = {}
  for i = 0, 999 do
    local a = (i * 17) % 600
    spans[#spans + 1] = { start_byte = a, end_byte = a + 6, label = i % 2 == 0 and "PLACE" or "ORG",
                          entity = "E" .. (i % 25) }
  end
  local idx = "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'annotation_rows'"
  local seen = {}
  local r1, r2 = lw:long_write(function(x)
    for _ = 1, 4 do
      lw:transaction(function()
        for _ = 1, 4 do lw:annotate(id, "entity", spans) end
      end)
      seen[#seen + 1] = lw:value(idx)
    end
    -- queries in the middle are right without the two indexes
    T.eq(lw:value("SELECT count(*) FROM annotations WHERE entity = 'E3'"), 16 * 40)
    return x, "b"
  end, "a")
  T.eq({ r1, r2 }, { "a", "b" })
  -- groups of 4,000 rows: the long write counts over all of them, and
  -- leaves the two indexes out from its 10,000th row on
  T.eq(seen, { 3, 3, 1, 1 })
  T.eq(lw:value(idx), 3)
  T.eq(lw:value("PRAGMA integrity_check"), "ok")
  T.eq(lw:value("SELECT count(*) FROM annotations WHERE label = 'ORG'"), 16 * 500)
  T.ok(not io.open(path("long.db") .. "-lector-bulk"), "the lock file goes at the end")
  -- fn's error comes back unchanged, after the indexes are built; what it
  -- committed stays
  local err = { code = 7 }
  local okay, got = pcall(lw.long_write, lw, function()
    lw:transaction(function()
      for _ = 1, 40 do lw:annotate(id, "entity", spans) end
    end)
    T.eq(lw:value(idx), 1)
    error(err)
  end)
  T.eq(okay, false); T.ok(got == err, "the same error object")
  T.eq(lw:value(idx), 3)
  T.eq(lw:value("SELECT count(*) FROM annotation_rows"), 56000)
  T.raises("bad argument #1 to 'long_write' (function expected, got nil)", lw.long_write, lw)
  -- closing the store inside ends the long write
  lw:long_write(function() lw:close() end)
  local again = store.open(path("long.db"))
  T.eq(again:value(idx), 3)
  again:close()
  -- a store in memory: no lock file, nothing left out
  local mem = store.open(":memory:")
  local mid = mem:add { uri = "m", text = string.rep("x", 700) }
  mem:long_write(function()
    mem:transaction(function() for _ = 1, 12 do mem:annotate(mid, "entity", spans) end end)
  end)
  T.eq(mem:value(idx), 3)
  mem:close()
end)

T.case("store-4.1 search folds case and accents like lector.text.fold", function()
  db:add { uri = "s1", title = "Aleppo", text = "Fighting in Ḥalab near al-Bab; ISIS’s convoy." }
  db:add { uri = "s2", text = "HALAB was quiet. Al–Bab fell." }
  local function uris(q)
    local out = {}
    for _, r in ipairs(db:search(q)) do out[#out + 1] = r.uri end
    table.sort(out)
    return out
  end
  T.eq(uris("halab"), { "s1", "s2" })
  T.eq(uris("ḤALAB"), { "s1", "s2" })
  T.eq(uris("al-Bab"), { "s1", "s2" })
  T.eq(uris("ISIS's"), { "s1" })
  T.eq(uris("isis’s convoy"), { "s1" })
  T.eq(uris('"fell al bab"'), {})
  T.eq(uris("aleppo"), { "s1" }) -- titles are indexed too
  local r = db:search("halab", { raw = true })
  T.eq(#r, 2)
  T.ok(r[1].snippet:find("[", 1, true), "snippet marks the hit")
  T.raises("search", db.search, db, "AND OR (", { raw = true })
  -- Agreement with the text core's matching key, where it exists.
  -- Agreement with the text core's matching key: words that fold alike
  -- find each other, whichever form is stored and whichever is asked.
  local text = require "lector.text"
  local forms = { "Ḥalab", "HALAB", "halab", "ḥalab", "Halab" }
  db:add { uri = "fold", text = "zqx " .. forms[1] }
  for _, a in ipairs(forms) do
    T.eq(text.fold(a), text.fold(forms[3]), a)
    T.eq(#db:search("zqx " .. a), 1, "search " .. a)
  end
  T.eq(text.fold("ISIS’s"), text.fold("ISIS's"))
end)

T.case("store-4.2 plain queries never leak FTS5 syntax", function()
  T.eq(store.plain_query('al-Bab "Deir ez-Zor" x"y'), '"al-Bab" "Deir ez-Zor" "xy"')
  T.eq(store.plain_query("- ( )"), "")
  T.eq(#db:search("NEAR( OR"), 0)
end)

T.case("store-5.1 stats and close", function()
  local s = db:stats()
  T.ok(s.documents >= 1 and s.versions > s.documents and s.annotations > 0 and s.runs >= 1)
  db:close()
  db:close() -- idempotent
  T.raises("is closed", db.add, db, { uri = "x", text = "y" })
end)

T.case("store-5.1b close_all closes every store still open, each whole, and leaves closed ones alone", function()
  local a, b = store.open(path("all-a.db")), store.open(path("all-b.db"))
  a:add { uri = "a", text = "Aleppo" }
  local r = b:begin_run("r")
  b:add { uri = "b", text = "Homs" }
  a:close()
  store.close_all()
  T.raises("is closed", b.add, b, { uri = "x", text = "y" })
  b:close() -- idempotent
  T.ok(not io.open(path("all-b.db") .. "-wal"), "closed: its write-ahead log merged and gone")
  local again = store.open(path("all-b.db"))
  T.eq(again:value("SELECT count(*) FROM documents"), 1)
  T.eq(again:value("SELECT status FROM runs WHERE id = ?", r.id), "running")
  again:close()
  store.close_all() -- nothing open: nothing to do
end)

T.case("store-5.1c _text_lengths: bytes of each text from the rows' headers, none for a missing id", function()
  local m = store.open(":memory:")
  local a = m:add { uri = "a", text = "Ḥalab 🙂" }
  local b = m:add { uri = "b", text = string.rep("x", 70000) }
  T.eq(m:_text_lengths { a, b, 999 }, { [a] = #"Ḥalab 🙂", [b] = 70000 })
  T.eq(m:_text_lengths {}, {})
  m:close()
end)

T.case("store-5.2 errors name the path", function()
  T.raises(path("nodir") .. "/x.db: cannot create the database: directory", store.open, path("nodir/x.db"))
  local f = io.open(path("junk.db"), "wb"); f:write(string.rep("junk\n", 100)); f:close()
  T.raises("junk.db: not an SQLite database", store.open, path("junk.db"))
  local ro = store.open(path("s.db"), { readonly = true })
  T.raises("opened read-only", ro.add, ro, { uri = "z", text = "z" })
  T.ok(ro:value("SELECT count(*) FROM documents") > 0)
  ro:close()
end)

T.case("store-5.3 busy: a second writer waits, then says the file is locked", function()
  local a = store.open(path("busy.db"))
  local b = store.open(path("busy.db"), { busy_timeout = 50 })
  local okay, err = pcall(a.transaction, a, function()
    a:add { uri = "held", text = "held" }
    b:add { uri = "other", text = "other" }
  end)
  T.eq(okay, false)
  T.ok(tostring(err):find("locked by another process", 1, true), err)
  b:add { uri = "other", text = "other" }
  T.eq(a:value("SELECT count(*) FROM documents"), 1)
  a:close(); b:close()
end)

os.execute("rm -rf " .. dir)

T.case("store-9.1 positions are integers: 1.5 and NaN are refused, naming the value", function()
  local mem = store.open(":memory:")
  local id = mem:add { uri = "int", text = "hello world" }
  T.raises("(span 1: start must be an integer, got 1.5)", mem.annotate, mem, id, "x", { { start = 1.5, stop = 3 } })
  T.raises("(span 2: stop must be an integer, got 4.25)", mem.annotate, mem, id, "x",
    { { start = 1, stop = 3 }, { start = 1, stop = 4.25 } })
  T.raises("(span 1: start_byte must be an integer, got nan)", mem.annotate, mem, id, "x",
    { { start_byte = 0 / 0, end_byte = 3 } })
  T.raises("(span 1: end_byte must be an integer, got inf)", mem.annotate, mem, id, "x",
    { { start_byte = 0, end_byte = 1 / 0 } })
  local ok, err = pcall(mem.annotate, mem, id, "x", { { start = 0 / 0, stop = 3 } })
  T.ok(not ok and not tostring(err):find("9223372036854775808", 1, true), tostring(err))
  T.eq(mem:value("SELECT count(*) FROM annotations"), 0)
  T.eq(mem:annotate(id, "x", { { start = 1, stop = 5 } }), 1)
  mem:close()
end)

T.case("store-9.2 a batch's document and run are looked up again after SQL that may remove them", function()
  local mem = store.open(":memory:")
  local id = mem:add { uri = "gone", text = "hello world" }
  local run = mem:begin_run("r", {}, { recipe = true })
  mem:transaction(function()
    T.eq(mem:annotate(id, "x", { { start = 1, stop = 5 } }, { run = run }), 1)
    T.eq(mem:annotate(id, "y", { { start = 1, stop = 11 } }, { run = run }), 1)
    T.raises("not within document", mem.annotate, mem, id, "z", { { start = 1, stop = 12 } }, { run = run })
    mem:exec("DELETE FROM documents WHERE id = " .. id)
    T.raises("no document with id " .. id, mem.annotate, mem, id, "x", { { start = 1, stop = 5 } }, { run = run })
    local id2 = mem:add { uri = "new", text = "hi" }
    T.eq(id2, id) -- the id is taken again: its length is the new text's
    T.raises("not within document", mem.annotate, mem, id2, "x", { { start = 1, stop = 5 } }, { run = run })
    T.eq(mem:annotate(id2, "x", { { start = 1, stop = 2 } }, { run = run }), 1)
    local run2 = mem:begin_run("r2", {}, { recipe = true })
    T.eq(mem:annotate(id2, "w", { { start = 1, stop = 2 } }, { run = run2 }), 1)
    mem:query("DELETE FROM annotation_rows WHERE run_id = ?", run2.id)
    mem:query("DELETE FROM runs WHERE id = ?", run2.id)
    T.raises("no run with id " .. run2.id, mem.annotate, mem, id2, "w", { { start = 1, stop = 2 } }, { run = run2 })
  end)
  mem:close()
end)
