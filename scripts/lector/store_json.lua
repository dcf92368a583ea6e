-- lector.store_json: annotations as JSON text, between tag -j N's workers
-- and its one writer (core/store_json.c parses and writes it). Part of
-- lector.store, which calls extend() when it loads: store.spans_json and
-- db:annotate_json.
local check = require "lector.check"
local core = require "lector.core"
local profile = require "lector.profile"

local ffi, C = core.ffi, core.C

ffi.cdef [[
typedef struct _IO_FILE FILE;
extern FILE *stdout;
size_t fwrite(const void *ptr, size_t size, size_t n, FILE *f);
]]

local M = {}

--- Adds spans_json to the store module S and annotate_json to its store
-- methods Db; p: the store's own helpers (live, check_rc, current_run,
-- encode_later, bare).
function M.extend(S, Db, p)
  local json_p, json_len_p, bad_p = ffi.new("char *[1]"), ffi.new("size_t[1]"), ffi.new("size_t[1]")
  local pk -- one packed buffer, reused: a worker calls this for every layer of every document
  local function pack(spans)
    for i = 1, #spans do pk:add(spans[i], i) end
    if pk.later[1] then p.encode_later(pk) end
  end

  -- Writes the rows of the n packed spans at buf (into json_p, json_len_p);
  -- returns the text's pointer.
  local function written(buf, n, len)
    local rc = C.lector_spans_json(buf, n, len or -1, json_p, json_len_p, bad_p)
    if rc == C.LECTOR_EINVAL then
      local i = tonumber(bad_p[0])
      local b = buf[i]
      if b.start < 0 or b["end"] < b.start or (len and b["end"] > len) then
        check.fail(string.format("annotate: span %d: [%d, %d) is not within the document's %d bytes",
          i + 1, tonumber(b.start), tonumber(b["end"]), len or -1))
      end
      check.fail(string.format("annotate: span %d: attrs must be a JSON object", i + 1))
    elseif rc ~= 0 then
      error("spans_json: " .. ffi.string(C.lector_strerror(rc)), 2)
    end
    return json_p[0]
  end

  -- The text of S.spans_json in C memory (its pointer and length; the
  -- caller frees it).
  local function rows(spans, len)
    if type(spans) ~= "table" then check.argerr(1, "spans_json", "table", spans) end
    if len ~= nil and type(len) ~= "number" then check.argerr(2, "spans_json", "number or nil", len) end
    pk = pk or S.packed()
    pk:clear()
    p.bare.on = true
    local ok, err = pcall(pack, spans)
    p.bare.on = false
    if not ok then error(err, 0) end
    return written(pk.buf, pk.n, len), json_len_p[0]
  end

  --- The rows of spans from .. from + n - 1 (0-based) of packed (a
  -- lector.store.packed, its spans checked as they were packed) written
  -- to standard output (C's stdio, which io.stdout writes through too)
  -- as S.spans_json writes them, without making them a Lua string: a
  -- -j N worker packs each span as it is emitted.
  function S.write_packed_json(packed, from, n, len)
    if packed.later[1] then p.encode_later(packed) end
    local w = ffi.C.fwrite(written(packed.buf + from, n, len), 1, json_len_p[0], ffi.C.stdout)
    C.lector_free(json_p[0])
    if w ~= json_len_p[0] then check.fail("cannot write the output") end
  end

  --- One layer's spans (as db:annotate takes them) as the rows of the
  -- JSON text db:annotate_json takes: [[start_byte, end_byte, label,
  -- entity, sentence, attrs (, type)], ...], each field as annotate reads
  -- it (label or type, entity or key, a positive attrs.sentence in the
  -- sentence column, attrs as their JSON), written by the core. A span
  -- annotate would refuse, or not inside a text of len bytes (when
  -- given), raises "annotate: span K: ..." (no Lua position: a pipeline's
  -- worker calls it on what its stages emitted).
  function S.spans_json(spans, len)
    local ptr, n = rows(spans, len)
    local text = ffi.string(ptr, n)
    C.lector_free(ptr)
    return text
  end

  --- A group of documents' annotations gathered to be stored with one
  -- call (db:_annotate_set): the -j N writer's. layers: the run's layers,
  -- whose rows set:counts() gives. set:json(doc_id, s, from, to) adds the
  -- annotations JSON text s:sub(from, to) (as db:annotate_json takes it;
  -- no copy: s must live until the set is stored); set:packed(doc_id,
  -- layer, pk, from, n) adds spans from .. from + n - 1 (0-based) of the
  -- lector.store.packed pk (which must keep them until then too);
  -- set:clear() empties it (its counts stay).
  local Set = {}
  Set.__index = Set
  local at_p, what_p = ffi.new("size_t[1]"), ffi.new("const char *[1]")

  function S.batch_set(layers)
    if type(layers) ~= "table" then check.argerr(1, "batch_set", "table", layers) end
    local n = #layers
    for k = 1, n do
      if type(layers[k]) ~= "string" then check.argerr(1, "batch_set", "array of layer names", layers[k]) end
    end
    local names, lens = ffi.new("const char *[?]", n + 1), ffi.new("size_t[?]", n + 1)
    for k = 1, n do names[k - 1], lens[k - 1] = layers[k], #layers[k] end
    local bs = C.lector_batch_set_new(names, lens, n)
    if bs == nil then error("batch_set: out of memory", 2) end
    return setmetatable({ bs = ffi.gc(bs, C.lector_batch_set_free), layers = layers }, Set)
  end

  function Set:json(doc_id, s, from, to)
    local rc = C.lector_batch_set_json(self.bs, doc_id, ffi.cast("const char *", s) + (from - 1), to - from + 1,
      at_p, what_p)
    if rc == C.LECTOR_EFORMAT then
      check.fail(string.format("document %d: annotations JSON, byte %d: %s", doc_id, tonumber(at_p[0]),
        ffi.string(what_p[0])))
    elseif rc ~= 0 then
      error("batch_set: " .. ffi.string(C.lector_strerror(rc)), 2)
    end
  end

  function Set:packed(doc_id, layer, packed, from, n)
    if packed.later[1] then p.encode_later(packed) end
    local rc = C.lector_batch_set_spans(self.bs, doc_id, layer, #layer, packed.buf + from, n,
      packed.given_json and 0 or 1)
    if rc ~= 0 then error("batch_set: " .. ffi.string(C.lector_strerror(rc)), 2) end
  end

  function Set:clear() C.lector_batch_set_clear(self.bs) end

  --- layer -> the rows added to the set since it was made.
  function Set:counts()
    local out = {}
    for k, l in ipairs(self.layers) do out[l] = tonumber(C.lector_batch_set_count(self.bs, k - 1)) end
    return out
  end

  --- Stores the batch set's annotations (S.batch_set) under opts.run
  -- (default: the current run) in one call.
  function Db:_annotate_set(set, opts)
    local st = p.live(self, "_annotate_set")
    local run_id = opts and opts.run and opts.run.id or p.current_run(self, st)
    if profile.on then
      p.check_rc(st, profile.time("sqlite.annotate", C.lector_store_annotate_set, st, set.bs, run_id))
    else
      p.check_rc(st, C.lector_store_annotate_set(st, set.bs, run_id))
    end
  end

  local json_cap = 0
  local json_layers, json_lens, json_counts

  --- Stores the annotations of document doc_id given as JSON text (an
  -- array of [layer, rows] pairs, rows as S.spans_json writes them), which
  -- the core parses and checks (core/store_json.c): the writer of tag -j N
  -- stores its workers' lines so. opts.run: the run (default: the current
  -- one); opts.totals: layer -> count, added to for the layers in
  -- opts.layers (others are stored all the same). Returns the number stored.
  function Db:annotate_json(doc_id, text, opts)
    local st = p.live(self, "annotate_json")
    if type(doc_id) ~= "number" then check.argerr(1, "annotate_json", "number", doc_id) end
    if type(text) ~= "string" then check.argerr(2, "annotate_json", "string", text) end
    if opts ~= nil and type(opts) ~= "table" then check.argerr(3, "annotate_json", "table or nil", opts) end
    local layers = opts and opts.layers or {}
    if type(layers) ~= "table" then
      check.argmsg(3, "annotate_json", "field 'layers': array of layer names expected")
    end
    local n = #layers
    if n + 1 > json_cap then
      json_cap = n + 16
      json_layers, json_lens = ffi.new("const char *[?]", json_cap), ffi.new("size_t[?]", json_cap)
      json_counts = ffi.new("int64_t[?]", json_cap)
    end
    for k = 1, n do
      local l = layers[k]
      if type(l) ~= "string" or l == "" then
        check.argmsg(3, "annotate_json", "field 'layers': non-empty strings expected")
      end
      json_layers[k - 1], json_lens[k - 1], json_counts[k - 1] = l, #l, 0
    end
    json_counts[n] = 0
    local run_id = opts and opts.run and opts.run.id or p.current_run(self, st)
    p.check_rc(st, C.lector_store_annotate_json(st, doc_id, text, #text, run_id, json_layers, json_lens, n,
      json_counts))
    local totals = opts and opts.totals
    if totals then
      for k = 1, n do totals[layers[k]] = (totals[layers[k]] or 0) + tonumber(json_counts[k - 1]) end
    end
    return tonumber(json_counts[n])
  end
end

return M
