-- Issue 20: annotations as JSON text between a -j N worker and the one
-- writer — store.spans_json writes a layer's spans as rows (in the core),
-- db:annotate_json parses and stores them (in the core), and the rows are
-- those db:annotate stores from the same spans.
local T = require "testlib"
local lector = require "lector"
local store = lector.store
local json = require "lector.json"
local P = lector.pipeline

local text = "Ana met \"Bo\" in Ḥalab.\nThen she left."

-- Every stored annotation of a store, with its raw columns (the sentence
-- column and attrs as stored, the entity's type).
local function raw(db)
  local out = {}
  for _, r in ipairs(db:query([[
      SELECT a.doc_id, l.layer, l.label, e.key, e.type, a.start_byte, a.end_byte, a.sentence, a.attrs
      FROM annotation_rows a JOIN labels l ON l.id = a.label_id LEFT JOIN entities e ON e.id = a.entity_id
      ORDER BY 1, 2, 6, 7]])) do
    local row = {}
    for k, v in pairs(r) do row[k] = v end
    -- attrs key by key: two encodings of one table may order keys apart
    if row.attrs then row.attrs = json.decode(row.attrs) end
    out[#out + 1] = row
  end
  return out
end

local function spans()
  return {
    entity = {
      { start = 1, stop = 3, label = "PERSON", entity = "Ana", attrs = { sentence = 1, score = 0.5 } },
      { start_byte = 9, end_byte = 13, type = "PERSON", key = "Bo \"the\" \\ one\t!" },
      { start = 18, stop = 25, label = "PLACE", entity = "Ḥalab", type = "CITY", sentence = 1 },
    },
    hedge = {
      { start_byte = 28, end_byte = 32, attrs = { sentence = 2 } },
      { start_byte = 0, end_byte = 0, label = "empty", attrs = {} },
      { start_byte = 33, end_byte = 36, label = "x", attrs = '{"k":[1,{"z":null}],"s":"\\u00e9"}' },
    },
  }
end

T.case("store-json-1.1 spans_json + annotate_json store what annotate stores", function()
  local a, b = store.open(":memory:"), store.open(":memory:")
  local ida, idb = a:add { uri = "d", text = text }, b:add { uri = "d", text = text }
  for _, layer in ipairs { "entity", "hedge" } do a:annotate(ida, layer, spans()[layer]) end
  local parts = {}
  for i, layer in ipairs { "entity", "hedge" } do
    parts[i] = "[" .. json.encode(layer) .. "," .. store.spans_json(spans()[layer], #text) .. "]"
  end
  local totals = {}
  T.eq(b:annotate_json(idb, "[" .. table.concat(parts, ",") .. "]",
    { layers = { "hedge", "entity", "quote" }, totals = totals }), 6)
  T.eq(totals, { entity = 3, hedge = 3, quote = 0 })
  local ra, rb = raw(a), raw(b)
  T.eq(#rb, 6)
  T.eq(rb, ra)
  -- the sentence number went to its column; the type to the new entity
  T.eq(b:value("SELECT sentence FROM annotations WHERE entity = 'Ana'"), 1)
  T.eq(b:value("SELECT type FROM entities WHERE key = 'Ḥalab'"), "CITY")
  T.eq(b:value("SELECT attrs FROM annotation_rows WHERE start_byte = 28"), nil)
  a:close(); b:close()
end)

T.case("store-json-1.2 the rows' form, field by field", function()
  T.eq(store.spans_json({
    { start = 2, stop = 4, label = "L", entity = "E", attrs = { sentence = 3 } },
    { start_byte = 5, end_byte = 6, type = "T", key = "K" },
    { start_byte = 0, end_byte = 1, label = "L", type = "T2", sentence = 7, attrs = '{"a":1}' },
  }, 10), '[[1,4,"L","E",3,null],[5,6,"T","K",null,null],[0,1,"L",null,7,{"a":1},"T2"]]')
  T.eq(store.spans_json({}), "[]")
  T.eq(json.decode(store.spans_json({ { start = 1, stop = 1, label = "a\"\\\n\1é" } }))[1][3], "a\"\\\n\1é")
end)

T.case("store-json-2.1 spans_json refuses what annotate refuses, with no Lua position", function()
  T.raises("annotate: span 2: [3, 11) is not within the document's 10 bytes",
    store.spans_json, { { start = 1, stop = 1 }, { start = 4, stop = 11 } }, 10)
  T.raises("annotate: span 1: start must be an integer, got 1.5", store.spans_json, { { start = 1.5, stop = 3 } })
  T.raises("annotate: span 1: label must be a string, got number", store.spans_json,
    { { start = 1, stop = 3, label = 5 } })
  T.raises("annotate: span 1: attrs must be a JSON object", store.spans_json,
    { { start = 1, stop = 3, attrs = "[1]" } })
  T.raises("annotate: span 1: attrs must be a JSON object", store.spans_json,
    { { start = 1, stop = 3, attrs = '{"a":}' } })
  T.raises("annotate: span 1: sentence must be a positive integer, got 0", store.spans_json,
    { { start = 1, stop = 3, sentence = 0 } })
  T.raises("bad argument #1 to 'spans_json'", store.spans_json, "x")
end)

T.case("store-json-2.2 annotate_json names the byte of bad text and stores nothing", function()
  local db = store.open(":memory:")
  local id = db:add { uri = "d", text = "hello world" }
  local function bad(s, want, opts)
    T.raises(want, db.annotate_json, db, id, s, opts)
    T.eq(db:value("SELECT count(*) FROM annotation_rows"), 0)
  end
  bad('[["x",[[0,1,null,null,null,null]]', "annotations JSON, byte 33: ']' expected at the end of a layer")
  bad('[["x",[[0,1.5,null,null,null,null]]]]', "document 1: annotations JSON, byte 10: a non-negative integer expected")
  bad('[["x",[[-1,1,null,null,null,null]]]]', "byte 8: a non-negative integer expected")
  bad('[["x",[[0,1,5,null,null,null]]]]', "byte 12: a string expected")
  bad('[["x",[[0,1,null,null,0,null]]]]', "sentence: a positive integer or null expected")
  bad('[["x",[[0,1,null,null,null,[1]]]]]', "attrs: an object or null expected")
  bad('[["x",[[0,1,null,null,null,{"a":tru}]]]]', "a JSON value expected")
  bad('[["x",[[0,1,"\\q",null,null,null]]]]', "a bad escape in a string")
  bad('[["",[]]]', "an empty layer name")
  bad('[] x', "text after the array of layers")
  -- the second layer's span is past the text's end: the first layer's rows go too
  bad('[["x",[[0,1,null,null,null,null]]],["y",[[0,99,null,null,null,null]]]]', "not within document 1")
  bad('[["x",[]]]', "bad argument #3 to 'annotate_json'", { layers = { 5 } })
  T.raises("bad argument #2 to 'annotate_json'", db.annotate_json, db, id, nil)
  -- escapes and surrogate pairs decode to UTF-8
  T.eq(db:annotate_json(id, '[["x",[[0,5,"\\u00e9\\ud83d\\ude00\\"\\/",null,null,{"k":"v"}]]]]'), 1)
  T.eq(db:value("SELECT label FROM annotations"), "é😀\"/")
  T.eq(db:value("SELECT attrs FROM annotations"), '{"k":"v"}')
  -- totals count the layers named; the others are stored all the same
  local totals = {}
  T.eq(db:annotate_json(id, '[["x",[[0,1,null,null,null,null]]],["y",[[1,2,null,null,null,null]]]]',
    { layers = { "y", "z" }, totals = totals }), 2)
  T.eq(totals, { y = 1, z = 0 })
  T.eq(db:value("SELECT count(*) FROM annotations WHERE layer = 'x'"), 2)
  db:close()
end)

T.case("store-json-3.2 a worker's writer sink (standard output) writes runs of packed spans", function()
  -- In a process of its own: its standard output is what is compared.
  local code = [[
    local P = require("lector").pipeline
    local sink = P.writer_sink(io.stdout)
    sink.begin { id = 7, text = "abcdef" }
    sink.emit("b", { start = 1, stop = 2, label = "x" })
    sink.emit("b", { start = 2, stop = 2, label = "x\"y", attrs = { sentence = 2, k = 1 } })
    sink.emit("a", { start = 3, stop = 3 })
    sink.emit("b", { start = 4, stop = 6, label = "L", entity = "E", type = "T", attrs = { sentence = 1 } })
    sink.finish()
    sink.begin { id = 8, text = "abc" }
    sink.emit("a", { start = 1, stop = 1 })
    sink.abort()
    sink.begin { id = 9, text = "abc" }
    sink.finish()
    io.write(string.format("%d %d\n", sink.totals.a, sink.totals.b))
    sink.begin { id = 10, text = "abc" }
    local ok, err = pcall(sink.emit, "a", { start = 1, stop = 9 })
    io.write(tostring(ok), " ", err, "\n")
  ]]
  local f = assert(io.popen(string.format("%q -e %q", require("lector.proc").self_exe(), code)))
  local out = f:read("*a")
  f:close()
  T.eq(out, '{"id":7,"layers":[["b",[[0,2,"x",null,null,null],[1,2,"x\\"y",null,2,{"k":1}]]],'
    .. '["a",[[2,3,null,null,null,null]]],["b",[[3,6,"L","E",1,null,"T"]]]]}\n'
    .. '{"id":9,"layers":[]}\n'
    .. "1 3\n"
    .. "false annotate: span 1: [1, 9] is not within the document's 3 bytes\n")
end)

T.case("store-json-3.1 the writer sink: one line a document, layers in the order emitted", function()
  local out = {}
  local fh = { write = function(_, ...) for i = 1, select("#", ...) do out[#out + 1] = select(i, ...) end end }
  local sink = P.writer_sink(fh)
  sink.begin { id = 7, text = "abcdef" }
  sink.emit("b", { start = 1, stop = 2, label = "x" })
  sink.emit("a", { start = 3, stop = 3 })
  sink.emit("b", { start = 4, stop = 6, entity = "E", attrs = { sentence = 1 } })
  sink.finish()
  T.eq(table.concat(out), '{"id":7,"layers":[["b",[[0,2,"x",null,null,null],[3,6,null,"E",1,null]]],'
    .. '["a",[[2,3,null,null,null,null]]]]}\n')
  T.eq(sink.totals, { a = 1, b = 2 })
  -- a document whose stage failed half-way leaves nothing behind
  out = {}
  sink.begin { id = 8, text = "abc" }
  sink.emit("a", { start = 1, stop = 1 })
  sink.abort()
  sink.begin { id = 9, text = "abc" }
  sink.finish()
  T.eq(table.concat(out), '{"id":9,"layers":[]}\n')
  sink.begin { id = 10, text = "abc" }
  sink.emit("a", { start = 1, stop = 9 })
  T.raises("annotate: span 1: [0, 9) is not within the document's 3 bytes", sink.finish)
end)

T.case("store-json-4.1 a batch set stores a group's JSON and packed spans as annotate does, in one call", function()
  local a, b = store.open(":memory:"), store.open(":memory:")
  local ids_a, ids_b = {}, {}
  for i = 1, 3 do
    ids_a[i] = a:add { uri = "d" .. i, text = text }
    ids_b[i] = b:add { uri = "d" .. i, text = text }
  end
  -- document 1 and 3 as a worker's JSON, 2 as the writer's packed spans;
  -- annotate stores the same, document after document
  for i = 1, 3 do
    for _, layer in ipairs { "entity", "hedge" } do a:annotate(ids_a[i], layer, spans()[layer]) end
  end
  local function line(id)
    local parts = {}
    for i, layer in ipairs { "entity", "hedge" } do
      parts[i] = "[" .. json.encode(layer) .. "," .. store.spans_json(spans()[layer], #text) .. "]"
    end
    return string.format('{"id":%d,"layers":[%s]}', id, table.concat(parts, ","))
  end
  local set = store.batch_set { "hedge", "entity", "quote" }
  local l1, l3 = line(ids_b[1]), line(ids_b[3])
  set:json(ids_b[1], l1, #'{"id":1,"layers":' + 1, #l1 - 1)
  local pk = store.packed()
  for _, layer in ipairs { "entity", "hedge" } do
    local from = pk.n
    for k, sp in ipairs(spans()[layer]) do pk:add(sp, k) end
    set:packed(ids_b[2], layer, pk, from, pk.n - from)
  end
  set:json(ids_b[3], l3, #'{"id":3,"layers":' + 1, #l3 - 1)
  b:transaction(function() b:_annotate_set(set) end)
  T.eq(set:counts(), { entity = 9, hedge = 9, quote = 0 })
  T.eq(#raw(b), 18)
  T.eq(raw(b), raw(a))
  -- emptied, it stores nothing more; its counts stay
  set:clear()
  b:_annotate_set(set)
  T.eq(b:value("SELECT count(*) FROM annotation_rows"), 18)
  T.eq(set:counts().entity, 9)
  a:close(); b:close()
end)

T.case("store-json-4.2 a batch set refuses bad JSON, names its byte and keeps what it had", function()
  local db = store.open(":memory:")
  local id = db:add { uri = "d", text = "hello world" }
  local set = store.batch_set { "x" }
  -- s:sub(from, to) is the text: no copy of the line is made
  local j = '[["x",[[0,1,null,null,null,null]]]]'
  set:json(id, "xx" .. j .. "yy", 3, 2 + #j)
  local function whole(s) return s, 1, #s end
  T.raises("document 1: annotations JSON, byte 10: a non-negative integer expected",
    set.json, set, id, whole '[["x",[[0,1.5,null,null,null,null]]]]')
  T.raises("byte 33: ']' expected at the end of a layer", set.json, set, id, whole '[["x",[[0,1,null,null,null,null]]')
  -- JSON's numbers, as SQLite's json_valid reads them: no leading zero
  -- (the store takes a set's attrs as checked here)
  T.raises("byte 32: a JSON value expected", set.json, set, id, whole '[["x",[[0,1,null,null,null,{"k":01}]]]]')
  T.raises("byte 32: a JSON value expected", set.json, set, id, whole '[["x",[[0,1,null,null,null,{"k":-00}]]]]')
  -- packed spans whose attrs were given as JSON text are the caller's,
  -- which SQLite checks (store.packed tells: given_json)
  local pk = store.packed()
  pk:add({ start = 1, stop = 2, attrs = { k = 0 } }, 1)
  T.eq(pk.given_json, false)
  pk:add({ start = 1, stop = 2, attrs = '{"k":0}' }, 2)
  T.eq(pk.given_json, true)
  pk:clear()
  T.eq(pk.given_json, false)
  -- escapes decode; the spans of the good lines are all that is stored
  set:json(id, whole '[["x",[[0,5,"\\u00e9\\"",null,null,{"k":"v","z":0,"m":-0.5,"e":0e1}]]]]')
  T.eq(set:counts(), { x = 2 })
  db:_annotate_set(set)
  T.eq(db:value("SELECT count(*) FROM annotations"), 2)
  T.eq(db:value("SELECT label FROM annotations WHERE end_byte = 5"), "é\"")
  -- a span past the text's end fails the call, which stores nothing outside a transaction
  set:clear()
  set:json(id, whole '[["x",[[0,99,null,null,null,null]]]]')
  T.raises("not within document 1", db._annotate_set, db, set)
  T.eq(db:value("SELECT count(*) FROM annotations"), 2)
  T.raises("bad argument #1 to 'batch_set'", store.batch_set, "x")
  T.raises("bad argument #1 to 'batch_set'", store.batch_set, { "x", 5 })
  db:close()
end)
