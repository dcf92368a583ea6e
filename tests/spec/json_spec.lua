-- Specs of lector.json's put_object: attrs tables written into a buffer
-- as the text json.encode (cjson) gives them, which the store sink uses
-- for every attrs table it stores.
local T = require "testlib"
local json = require "lector.json"
local buffer = require "string.buffer"
local store = require "lector.store"
local P = require "lector.pipeline"

local function put(t, omit)
  local out = buffer.new()
  out:put("<")
  local n = json.put_object(out, t, omit)
  return n, out:tostring()
end

T.case("json-1.1 put_object writes encode's text, member for member", function()
  local cases = {
    {}, { a = 1 }, { s = "plain", n = 5000, b = true, f = false },
    { nested = { 1, "two", { x = 3 } }, empty = {} },
    { big = 123456789012345, tie = 12345678901234.5, frac = 0.1, neg = -0.0, tiny = 1e-7, huge = 1e300 },
    { utf8 = "Ḥalab — “quoted”", slash = "a/b", quote = 'say "hi"', back = "a\\b", ctl = "a\1\31\127b" },
  }
  for c = 0, 255 do cases[#cases + 1] = { v = "x" .. string.char(c) .. "y", w = c } end
  for i, t in ipairs(cases) do
    local n, got = put(t)
    local count = 0
    for _ in pairs(t) do count = count + 1 end
    T.eq(n, count, "members of case " .. i)
    T.eq(got, "<" .. json.encode(t), "case " .. i)
  end
end)

T.case("json-1.2 put_object leaves out the member named omit", function()
  local t = { sentence = 3, value = 60, object = "civilians" }
  local n, got = put(t, "sentence")
  T.eq(n, 2)
  t.sentence = nil
  T.eq(got, "<" .. json.encode(t))
  T.eq({ put({ sentence = 3 }, "sentence") }, { 0, "<{}" })
end)

T.case("json-1.3 put_object leaves encode's cases to it, the buffer as it was", function()
  for _, t in ipairs {
    { [1] = "array" }, { [true] = 1 }, { x = 0 / 0 }, { x = math.huge }, { x = -math.huge },
    { x = json.null }, { x = print }, { ["k\n"] = 1 }, { ok = 1, bad = { 0 / 0 } },
  } do
    local n, got = put(t)
    T.eq(n, nil)
    T.eq(got, "<")
  end
end)

T.case("json-1.5 put_object writes arrays as encode does, and what is no array as well", function()
  local values = {
    { 1, 199, 291 }, { "18 war I went", "to sea" }, { "a/b" }, { "q\"" }, { "Ḥalab", 3, -0.0 },
    { 1.5 }, { 1e15 }, { 99999999999999, -99999999999999 }, {}, { 1, nil, 3 }, { [2] = 1 },
    { 1, x = 2 }, { true }, { { 1 } }, { "a", "b\n" },
  }
  for i, v in ipairs(values) do
    local t = { claims = v, source = "x" }
    local n, got = put(t)
    T.eq(n, 2, "members of value " .. i)
    T.eq(got, "<" .. json.encode(t), "value " .. i)
  end
  T.eq({ put({ claims = { 1, 0 / 0 } }) }, { nil, "<" })
end)

T.case("json-1.4 the store sink stores the attrs db:annotate stores", function()
  local text = "Ana met Bo in Halab. Then she left, 12345678901234.5 km."
  local spans = {
    { start = 1, stop = 3, label = "a", attrs = { sentence = 1, s = "x/y\n\"z\"", n = 12345678901234.5 } },
    { start = 5, stop = 7, attrs = { sentence = 1 } },
    { start = 9, stop = 10, attrs = { k = { 1, 2 }, t = true } },
    { start = 22, stop = 25, attrs = { sentence = 2, [1] = "odd" } },
    { start = 27, stop = 29, attrs = {} },
  }
  local function stored(db)
    local out = {}
    for r in db:rows("SELECT start_byte, sentence, attrs FROM annotation_rows ORDER BY start_byte") do
      out[#out + 1] = { r.start_byte, r.sentence or 0, r.attrs and json.decode(r.attrs) or "none" }
    end
    return out
  end
  local a, b = store.open(":memory:"), store.open(":memory:")
  local ida = a:add { uri = "d", text = text }
  b:add { uri = "d", text = text }
  a:annotate(ida, "x", spans)
  local run = b:begin_run("t", {}, { recipe = true })
  local sink = P.store_sink(b, run, { "x" })
  P.run { documents = P.from_store(b), db = b, sink = sink,
          stages = { function(_, emit) for _, sp in ipairs(spans) do emit("x", sp) end end } }
  T.eq(stored(b), stored(a))
  T.eq(#stored(b), 5)
  T.eq(b:value("SELECT count(*) FROM annotation_rows WHERE attrs IS NULL"), 1)
  -- a value JSON cannot hold is refused as encode refuses it
  local c = store.open(":memory:")
  c:add { uri = "d", text = text }
  local sink2 = P.store_sink(c, c:begin_run("t", {}, { recipe = true }), { "x" })
  T.raises("json.encode", P.run, { documents = P.from_store(c), db = c, sink = sink2,
    stages = { function(_, emit) emit("x", { start = 1, stop = 2, attrs = { v = 0 / 0 } }) end } })
  T.eq(c:value("SELECT count(*) FROM annotation_rows"), 0)
end)

T.case("json-1.9 encode_sorted: the same text whatever order the keys went in", function()
  local a, b = {}, {}
  for i = 1, 40 do a["k" .. i] = i end
  for i = 40, 1, -1 do b["k" .. i] = i end
  T.eq(json.encode_sorted(a), json.encode_sorted(b))
  T.eq(json.encode_sorted({ b = 1, a = { z = true, y = { 1, 2, "x" } }, c = json.null }),
    '{"a":{"y":[1,2,"x"],"z":true},"b":1,"c":null}')
  T.eq(json.decode(json.encode_sorted(a)).k17, 17)
  T.eq(json.encode_sorted({}), "{}")
  -- a run's options are stored so
  local db = store.open(":memory:")
  local run = db:begin_run("t", { zeta = 1, alpha = 2, mid = { y = 1, x = 2 } })
  T.eq(db:value("SELECT options FROM runs WHERE id = ?", run.id), '{"alpha":2,"mid":{"x":2,"y":1},"zeta":1}')
  db:close()
end)
