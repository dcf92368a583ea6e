-- lector.store_packed: spans packed for the store, for a writer that
-- holds many documents' annotations until it stores them (the pipeline's
-- store sink, tag -j N's workers and writer). Part of lector.store, which
-- calls extend() when it loads: store.packed, db:_annotate_packed and
-- db:_annotate_batches.
local core = require "lector.core"
local buffer = require "string.buffer"
local tclear = require "table.clear"
local profile = require "lector.profile"

local ffi, C = core.ffi, core.C

local M = {}

--- Adds packed to the store module S and _annotate_packed,
-- _annotate_batches to its store methods Db; p: the store's own helpers
-- (live, check_rc, current_run, fill, put_lean). Returns encode_later
-- (for lector.store_json).
function M.extend(S, Db, p)
  local live, check_rc, current_run, fill, put_lean = p.live, p.check_rc, p.current_run, p.fill, p.put_lean

  --- A growing buffer of spans packed for the store, for a writer that
  -- holds many documents' annotations until it stores them (the pipeline's
  -- store sink holds a group's): span tables alive that long tripled the
  -- entities stage's time under LuaJIT's collector (tests/bench/RESULTS.md,
  -- *A run-long bulk path*). pk:add(span, i [, len]) packs a span with
  -- db:annotate's checks (i: its number in its batch, for messages; len:
  -- its document's length, which it must lie within);
  -- pk.n is the number packed; db:_annotate_packed(doc_id, layer, pk,
  -- from, n [, {run=}]) stores spans from .. from + n - 1 (0-based) as
  -- db:annotate stores a batch; pk:truncate(n) drops the spans from n on;
  -- pk:clear() empties it.
  local Packed = {}
  Packed.__index = Packed
  local span_size = ffi.sizeof("lector_span")

  function S.packed()
    return setmetatable({ buf = ffi.new("lector_span[?]", 1024), cap = 1024, n = 0, keep = {}, nkeep = 0,
                          later = {}, at = {}, used = {}, spare = {}, given_json = false }, Packed)
  end

  function Packed:add(sp, i, len)
    local n = self.n
    if n == self.cap then
      local buf = ffi.new("lector_span[?]", self.cap * 2)
      ffi.copy(buf, self.buf, n * span_size)
      self.buf, self.cap = buf, self.cap * 2
    end
    local js, later = fill(self.buf[n], i, sp, nil, len)
    -- attrs given as JSON text: the store has SQLite check it (the rest
    -- is JSON the store encodes itself, see _annotate_batches)
    if js and not later and type(sp.attrs) == "string" then self.given_json = true end
    -- The strings the struct points into, alive until they are stored.
    local keep, k = self.keep, self.nkeep
    keep[k + 1], keep[k + 2], keep[k + 3], keep[k + 4] = sp.label or sp.type or false,
      sp.entity or sp.key or false, sp.type or false, js or false
    self.nkeep, self.n = k + 4, n + 1
    if later then -- encoded when stored (timed as json, not as the stage)
      local l = self.later
      l[#l + 1], l[#l + 2] = n, later
    end
  end

  -- The JSON of the attrs tables add left, into their structs: written
  -- one after another into one buffer (put_lean), which the structs point
  -- into and pk.used holds until they are stored. Each table is written
  -- as often as spans name it (none of tag's are shared: a table -> offset
  -- map to write a shared one once cost more than all the rest), the
  -- offsets kept in pk.at, a number array reused from group to group.
  local function encode_later(pk)
    local l, at = pk.later, pk.at
    local out = table.remove(pk.spare) or buffer.new() -- (a new one faulted in fresh pages)
    local buf = pk.buf
    for j = 1, #l, 2 do
      local b, from = buf[l[j]], #out
      if put_lean(out, l[j + 1]) then
        at[j] = from
        b.attrs_len = #out - from
      else
        at[j] = false
      end
    end
    local base = ffi.cast("const char *", (out:ref()))
    for j = 1, #l, 2 do
      local a = at[j]
      if a then buf[l[j]].attrs = base + a end
    end
    pk.used[#pk.used + 1] = out
    tclear(l)
  end

  -- Drops the spans from n on (a document that failed).
  function Packed:truncate(n)
    local l = self.later
    while #l > 0 and l[#l - 1] >= n do
      l[#l], l[#l - 1] = nil, nil
    end
    self.n = n
  end

  function Packed:clear()
    for _, out in ipairs(self.used) do self.spare[#self.spare + 1] = out:reset() end
    -- (emptied, not made anew: a group's tables grow to tens of thousands
    -- of entries, which it cost more to grow again than to clear)
    tclear(self.keep)
    tclear(self.later)
    self.n, self.nkeep, self.used, self.given_json = 0, 0, {}, false
  end

  function Db:_annotate_packed(doc_id, layer, pk, from, n, opts)
    local st = live(self, "_annotate_packed")
    if pk.later[1] then
      if profile.on then profile.time("json", encode_later, pk) else encode_later(pk) end
    end
    local run_id = opts and opts.run and opts.run.id or current_run(self, st)
    local rc
    if profile.on then
      rc = profile.time("sqlite.annotate", C.lector_store_annotate, st, doc_id, layer, #layer, pk.buf + from, n,
        run_id)
    else
      rc = C.lector_store_annotate(st, doc_id, layer, #layer, pk.buf + from, n, run_id)
    end
    check_rc(st, rc)
    return n
  end

  local batch_vla = ffi.typeof("lector_span_batch[?]")
  local batch_buf, batch_cap = nil, 0

  -- Stores the nb batches b lists flat (doc_id, layer, first, n: spans
  -- first .. first + n - 1 of packed pk, 0-based) as _annotate_packed would
  -- one after another, in one call (lector_store_annotate_batches: one
  -- statement for them all on the bulk path). The pipeline's store sink
  -- stores a group so.
  function Db:_annotate_batches(pk, b, nb, opts)
    local st = live(self, "_annotate_batches")
    if pk.later[1] then
      if profile.on then profile.time("json", encode_later, pk) else encode_later(pk) end
    end
    if nb > batch_cap then
      batch_cap = math.max(nb, 2 * batch_cap)
      batch_buf = batch_vla(batch_cap)
    end
    -- attrs_own: every attrs text is the store's own JSON (put_lean,
    -- fixed_attrs), valid as written: SQLite need not parse it again
    local own = pk.given_json and 0 or 1
    for k = 0, nb - 1 do
      local c, j, layer = batch_buf[k], 4 * k, b[4 * k + 2]
      c.doc_id, c.layer, c.layer_len, c.first, c.n, c.attrs_own = b[j + 1], layer, #layer, b[j + 3], b[j + 4], own
    end
    local run_id = opts and opts.run and opts.run.id or current_run(self, st)
    local rc
    if profile.on then
      rc = profile.time("sqlite.annotate", C.lector_store_annotate_batches, st, pk.buf, batch_buf, nb, run_id)
    else
      rc = C.lector_store_annotate_batches(st, pk.buf, batch_buf, nb, run_id)
    end
    check_rc(st, rc)
  end

  return encode_later
end

return M
