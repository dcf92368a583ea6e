-- lector.pipeline.workers: streaming (JSON lines in and out) and worker
-- processes (-j N), with the checks on what a worker or an ingested line
-- sends back. Part of lector.pipeline, which re-exports it.
local check = require "lector.check"
local json = require "lector.json"
local progress = require "lector.progress"
local sources = require "lector.pipeline.sources"

local M = {}

--- The `run` object a streaming recipe writes on each line: what `ingest`
-- records as the run that made the line's annotations. layers: the
-- layers the run writes (they replace earlier recipe runs' on ingest).
function M.run_info(recipe, options, layers)
  local sorted = {}
  for i, l in ipairs(layers or {}) do sorted[i] = l end
  table.sort(sorted)
  return { name = recipe, recipe = recipe, options = options or {},
           version = require("lector.core").version(), layers = sorted }
end

--- The documents of JSON lines on standard input, as pipeline.read gives them
-- (opts.prepared: as a store holds them); a line that is not JSON or has
-- no text calls on_skip(where, reason) ("-:LINE") and is left out.
function M.stream_documents(opts, on_skip)
  opts = opts or {}
  if opts.read_db then return M.stream_ids(opts.read_db, on_skip) end
  local items = sources.read({ "-" }, { repair = opts.repair, raw = opts.raw, prepared = opts.prepared })
  return function()
    while true do
      local d = items()
      if d == nil then return nil end
      if not d.error then return d end
      on_skip("line " .. tostring(d.where):gsub("^%-:", ""), d.error)
    end
  end
end

-- True when standard input has bytes to read now (poll(2), no wait).
local pollfd
local function stdin_ready()
  local ffi = require "ffi"
  if not pollfd then
    require "lector.proc" -- declares poll()
    pcall(ffi.cdef, "struct pollfd { int fd; short events; short revents; };")
    pollfd = ffi.new("struct pollfd[1]")
    pollfd[0].fd, pollfd[0].events = 0, 1 -- POLLIN
  end
  return ffi.C.poll(pollfd, 1, 0) > 0
end

local READS = 64 -- documents a worker reads in one read transaction, at most

-- The lines of standard input, read with read(2) rather than through
-- stdio, so that whether a whole line is at hand can be told without
-- waiting (stdio's buffer hides the lines it holds from poll).
-- Returns next_line() (nil at the end) and at_hand().
local function stdin_reader()
  local ffi = require "ffi"
  stdin_ready() -- (declares poll)
  pcall(ffi.cdef, "long read(int fd, void *buf, size_t n);")
  local size = 65536
  local buf = ffi.new("char[?]", size)
  local pending, pos, eof = "", 1, false
  local function fill()
    local k
    repeat
      k = tonumber(ffi.C.read(0, buf, size))
    until k >= 0 or ffi.errno() ~= 4 -- EINTR
    if k <= 0 then
      eof = true
    else
      pending, pos = pending:sub(pos) .. ffi.string(buf, k), 1
    end
  end
  local function next_line()
    while true do
      local nl = pending:find("\n", pos, true)
      if nl then
        local line = pending:sub(pos, nl - 1)
        pos = nl + 1
        return line
      end
      if eof then
        if pos > #pending then return nil end
        local line = pending:sub(pos)
        pending, pos = "", 1
        return line
      end
      fill()
    end
  end
  local function at_hand()
    return pending:find("\n", pos, true) ~= nil or not eof and stdin_ready()
  end
  return next_line, at_hand
end

--- The documents of store db that the JSON lines on standard input name
-- ({"id": N} each): how -j N workers read their documents, so that only
-- ids go down the pipes. A line that names none calls on_skip. The
-- second result, at_hand(), tells whether the next document can be read
-- without waiting for input (pipeline.run's `more`: a worker tokenizes
-- ahead only what it has).
function M.stream_ids(db, on_skip)
  local n = 0
  local lines, at_hand = stdin_reader()
  -- Documents read back to back share one read transaction (SQLite takes
  -- and drops its locks once, not for each), ended before this worker
  -- waits for input and after READS documents, so that the writer's
  -- checkpoints are not held back long.
  local reads = 0
  local function end_reads()
    if reads > 0 then db:exec("COMMIT") end
    reads = 0
  end
  return function()
    while true do
      -- What this worker wrote waits in stdout's buffer until it would
      -- wait for the writer's next id: the writer, which wakes for every
      -- read, gets the answers a few at a time.
      if not at_hand() then
        end_reads()
        io.stdout:flush()
      end
      local line = lines()
      if line == nil then
        end_reads()
        return nil
      end
      n = n + 1
      -- the writer's lines are {"id":N}: no JSON decoder needed for them
      local id, err = tonumber(line:match('^{"id":(%d+)}$')), nil
      if not id then
        local rec
        rec, err = json.decode(line)
        id = type(rec) == "table" and rec.id
      end
      if reads == 0 then db:exec("BEGIN") end
      reads = reads + 1
      local d = type(id) == "number" and db:document(id)
      if reads >= READS then end_reads() end
      if d then return d end
      on_skip("line " .. n, err or "no stored document with this id")
    end
  end, at_hand
end

--- The number of workers `-j n` asks for: n, or the number of cores for 0.
function M.jobs(n)
  n = n or 1
  if n == 0 then n = require("lector.proc").cpu_count() end
  return n
end

--- The path of a compiled form of gazetteer g loaded from path, for
-- workers to load without compiling: path itself when it is compiled,
-- else a temporary file (removed by the function returned second).
function M.compiled_gazetteer(g, path)
  local f = io.open(path, "rb")
  local magic = f and f:read(8)
  if f then f:close() end
  if magic == "LECTORGZ" then return path, function() end end
  -- (in $TMPDIR, as the shares' spill files are)
  local tmp, err = require("lector.fs").temp_file("lector-gazetteer")
  if not tmp then error(err, 0) end
  g:save(tmp)
  return tmp, function() os.remove(tmp) end
end

--- The command line of a worker: this lector binary running recipe in
-- --stream mode (or mode: "--shares"), with args after.
function M.worker_argv(recipe, args, mode)
  local argv = { require("lector.proc").self_exe(), "recipe", recipe, mode or "--stream", "--progress", "never" }
  for _, a in ipairs(args or {}) do argv[#argv + 1] = a end
  return argv
end

-- Appends item to by[key], made on first use (key then joins order).
local function append(by, order, key, item)
  local list = by[key]
  if not list then
    list = {}
    by[key], order[#order + 1] = list, key
  end
  list[#list + 1] = item
end

local function is_int(v) return type(v) == "number" and v == math.floor(v) and v >= 0 and v < 2^53 end

--- Checks the `annotations` array of a JSON line against a text of len
-- bytes: each {layer, start_byte, end_byte [, label, entity, attrs]}
-- with integer offsets inside the text. Returns layer -> spans (as
-- db:annotate takes them) and the layers in order, or nil and a message.
function M.check_annotations(anns, len)
  if anns == nil or anns == json.null then return {}, {} end
  if type(anns) ~= "table" then return nil, "annotations: an array expected" end
  local by, order = {}, {}
  for i, a in ipairs(anns) do
    if type(a) ~= "table" then return nil, string.format("annotation %d: an object expected", i) end
    local layer, s0, e0 = a.layer, a.start_byte, a.end_byte
    if type(layer) ~= "string" or layer == "" then
      return nil, string.format("annotation %d: layer: a non-empty string expected", i)
    end
    if not is_int(s0) or not is_int(e0) then
      return nil, string.format("annotation %d: start_byte and end_byte must be integers", i)
    end
    if s0 > e0 or e0 > len then
      return nil, string.format("annotation %d: bytes %s to %s are not inside the text (%d bytes)",
        i, tostring(s0), tostring(e0), len)
    end
    local label, entity, attrs = a.label, a.entity, a.attrs
    if label == json.null then label = nil end
    if entity == json.null then entity = nil end
    if attrs == json.null then attrs = nil end
    if label ~= nil and type(label) ~= "string" then
      return nil, string.format("annotation %d: label: a string expected", i)
    end
    if entity ~= nil and type(entity) ~= "string" then
      return nil, string.format("annotation %d: entity: a string expected", i)
    end
    if attrs ~= nil and type(attrs) ~= "table" then
      return nil, string.format("annotation %d: attrs: an object expected", i)
    end
    append(by, order, layer, { start_byte = s0, end_byte = e0, label = label, entity = entity, attrs = attrs })
  end
  return by, order
end

local function canonical(v)
  if type(v) ~= "table" then return json.encode(v) end
  local keys, arr = {}, #v > 0
  for k in pairs(v) do keys[#keys + 1] = k end
  if arr and #keys == #v then
    local out = {}
    for i = 1, #v do out[i] = canonical(v[i]) end
    return "[" .. table.concat(out, ",") .. "]"
  end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  local out = {}
  for i, k in ipairs(keys) do out[i] = json.encode(tostring(k)) .. ":" .. canonical(v[k]) end
  return "{" .. table.concat(out, ",") .. "}"
end

--- Checks the `run` object of a JSON line (M.run_info's shape). Returns
-- its key (the same for the same run written by many processes), or nil
-- and a message.
function M.check_run(info)
  if type(info) ~= "table" then return nil, "run: an object expected" end
  if type(info.name) ~= "string" or info.name == "" then return nil, "run: name: a non-empty string expected" end
  for _, k in ipairs { "recipe", "version" } do
    if info[k] ~= nil and info[k] ~= json.null and type(info[k]) ~= "string" then
      return nil, "run: " .. k .. ": a string expected"
    end
  end
  if info.options ~= nil and info.options ~= json.null and type(info.options) ~= "table" then
    return nil, "run: options: an object expected"
  end
  local layers = info.layers
  if layers ~= nil and layers ~= json.null then
    if type(layers) ~= "table" then return nil, "run: layers: an array of strings expected" end
    for _, l in ipairs(layers) do
      if type(l) ~= "string" then return nil, "run: layers: an array of strings expected" end
    end
  end
  return canonical { info.name, info.recipe, info.options, info.version, layers }
end

--- The run of store db that records annotations read from JSON lines
-- with the `run` object info (M.check_run): one a distinct run, made on
-- first use, with its name, recipe, options and version; the store's
-- current run (db.run) stays what it was. runs: the cache (key -> run).
function M.imported_run(db, info, key, runs)
  local run = runs[key]
  if run then return run end
  local current = db.run
  local recipe = info.recipe ~= json.null and info.recipe or nil
  run = db:begin_run(info.name, type(info.options) == "table" and info.options or {}, { recipe = recipe ~= nil })
  db.run = current
  db:query("UPDATE runs SET recipe = ?, version = coalesce(?, version) WHERE id = ?",
    recipe, info.version ~= json.null and info.version or nil, run.id)
  run.recipe = recipe
  run.layers = type(info.layers) == "table" and info.layers or nil
  runs[key] = run
  return run
end

--- Stores the checked annotations of one document (M.check_annotations)
-- under run, replacing what earlier recipe runs wrote in clear (the
-- layers the run writes; default: those the line has). Adds to totals.
function M.store_annotations(db, doc_id, run, by, order, clear, totals)
  db:clear_layers(doc_id, clear or order, run)
  for _, layer in ipairs(order) do
    local spans = by[layer]
    db:annotate(doc_id, layer, spans, { run = run })
    if totals then totals[layer] = (totals[layer] or 0) + #spans end
  end
end

--- Sink of a -j N worker (tag --read-db): one line a document for the
-- writer, {"id":N,"layers":[[layer, rows], ...]} with the rows of
-- lector.store.spans_json (checked here, in the worker, as the store sink
-- checks them; the writer hands them to db:annotate_json without decoding
-- them in Lua); M.stream_ids flushes them before it waits for input.
-- To io.stdout a layer comes once for each run of its spans in the order
-- emitted (as the store sink stores them); to another file handle once,
-- all its spans together, in the order of its first span.
function M.writer_sink(fh)
  local store = require "lector.store"
  local sink = { totals = {} }
  local id, len, pending, order
  local quoted = {} -- layer -> its JSON string, with the bracket before
  local function quote(layer)
    local q = quoted[layer]
    if not q then
      q = "[" .. json.encode(layer) .. ","
      quoted[layer] = q
    end
    return q
  end
  if fh == io.stdout then
    -- A worker's: each span packed as it is emitted (no span table lives
    -- past its stage), in runs of one layer as the store sink packs them;
    -- each run's rows go from C memory to stdio: no Lua string a layer,
    -- nor a line.
    local pack_span = require("lector.pipeline.sinks").pack_span
    local pk = store.packed()
    local counts, runs, nr, last = nil, {}, 0, nil
    function sink.begin(doc)
      id, len = doc.id, #doc.text
      counts, nr, last = {}, 0, nil
      pk:clear()
    end
    function sink.emit(layer, span)
      local k = (counts[layer] or 0) + 1
      counts[layer] = k
      nr, last = pack_span(pk, runs, nr, last, layer, span, k, len)
    end
    function sink.abort() nr = 0 end
    function sink.finish()
      fh:write('{"id":', string.format("%d", id), ',"layers":[')
      for j = 1, 3 * nr, 3 do
        local layer, n = runs[j], runs[j + 2]
        fh:write(j > 1 and "," or "", quote(layer))
        store.write_packed_json(pk, runs[j + 1], n, len)
        fh:write("]")
        sink.totals[layer] = (sink.totals[layer] or 0) + n
      end
      fh:write("]}\n")
      nr = 0
    end
    return sink
  end
  function sink.begin(doc)
    id, len, pending, order = doc.id, #doc.text, {}, {}
  end
  function sink.emit(layer, span) append(pending, order, layer, span) end
  function sink.abort() pending, order = {}, {} end
  function sink.finish()
    local parts = {}
    for k, layer in ipairs(order) do
      local spans = pending[layer]
      parts[k] = quote(layer) .. store.spans_json(spans, len) .. "]"
      sink.totals[layer] = (sink.totals[layer] or 0) + #spans
    end
    fh:write('{"id":', string.format("%d", id), ',"layers":[', table.concat(parts, ","), "]}\n")
    pending, order = {}, {}
  end
  return sink
end

-- Sink of the -j N writer's own share: each document's spans packed as
-- the store sink packs them (lector.store.packed, with its checks), in
-- runs of one layer; as each document ends its answer for run_parallel
-- joins sink.answers: {pk = the packed buffer, runs = flat (layer,
-- first, count) triples, nr = how many}, stored when the documents
-- before it are. sink.renew(): later documents go to a new buffer (the
-- current one is kept by the answers that point into it).
local function share_sink()
  local store = require "lector.store"
  local pack_span = require("lector.pipeline.sinks").pack_span
  local sink = { totals = {}, pk = store.packed(), answers = {} }
  local len, counts, runs, nr, run_layer, from
  function sink.begin(doc)
    len, counts, runs, nr, run_layer, from = #doc.text, {}, {}, 0, nil, sink.pk.n
  end
  function sink.emit(layer, span)
    local k = (counts[layer] or 0) + 1
    counts[layer] = k
    nr, run_layer = pack_span(sink.pk, runs, nr, run_layer, layer, span, k, len)
  end
  function sink.abort()
    sink.pk:truncate(from)
    nr = 0
  end
  function sink.finish()
    local a = sink.answers
    a[#a + 1] = { pk = sink.pk, runs = runs, nr = nr }
  end
  function sink.renew(clear)
    if clear then sink.pk:clear() else sink.pk = store.packed() end
  end
  return sink
end

--- A function that tags documents of store db in this process, as a
-- -j N worker would (the same stages, pipeline.run, tokenizing the
-- documents of a call together), given an array of their ids, and
-- returns their answers for run_parallel in that order: each one's
-- spans packed for the store (see share_sink), or false when
-- spec.skip_bad skips it (said on stderr as tag -j 1 says it). How the
-- writer of tag -j N tags a share itself between its workers' answers.
-- spec: db, gazetteer, stages, skip_bad. The function's field
-- renew(clear) is share_sink's.
function M.local_tagger(spec)
  local P = require "lector.pipeline"
  local db = spec.db
  local sink = share_sink()
  local function on_error(doc, err)
    local msg = string.format("document %d (%s): %s", doc.id, doc.uri, require("lector.recipes").message(err))
    if not spec.skip_bad then error(msg, 0) end
    io.stderr:write("lector: skipped ", require("lector.tty").escape_message(msg), "\n")
    sink.answers[#sink.answers + 1] = false
    return true
  end
  -- pipeline.run as a worker runs it, one call's documents a resume:
  -- they are read and tokenized together (P.run's ahead, as many as
  -- wait in the queue), then the coroutine waits for the next call.
  local queue, at, n = {}, 1, 0
  local function next_doc()
    while at > n do coroutine.yield() end
    local doc = queue[at]
    queue[at], at = nil, at + 1
    return doc
  end
  local function more() return at <= n end
  local co = coroutine.create(function()
    P.run { documents = next_doc, gazetteer = spec.gazetteer, stages = spec.stages, sink = sink,
            on_error = on_error, ahead = 64, more = more }
  end)
  local started, err0 = coroutine.resume(co)
  if not started then error(err0, 0) end
  return setmetatable({ renew = sink.renew }, { __call = function(_, ids)
    for _, id in ipairs(ids) do
      local doc = db:document(id)
      if not doc then check.fail(string.format("document %d is not in %s", id, db.path)) end
      n = n + 1
      queue[n] = doc
    end
    sink.answers = {}
    local ok, err = coroutine.resume(co)
    if not ok then error(err, 0) end
    return sink.answers
  end })
end

local WINDOW = 256 -- ids a worker has not answered, at most (see run_parallel)
local TAKE = 32 -- ids the writer tags at a time, at most

--- Tags the documents of a store with worker processes (-j N): spec.docs
-- (pipeline.from_store with lengths), spec.argv (M.worker_argv: a --stream
-- --read-db recipe whose lines M.writer_sink writes) and spec.jobs, or
-- spec.pool (those workers started already: lector.proc.pool), spec.db,
-- spec.run, spec.layers, spec.progress, spec.label, spec.tag (optional:
-- M.local_tagger). This process reads the documents' ids and is the one
-- writer, in the transactions of lector.recipes.in_groups; the workers
-- tokenize, match and extract, and so does this process with spec.tag,
-- whenever no answer waits to be stored.
-- Returns the annotations stored by layer and the number of documents
-- the workers returned (a worker that skips a document returns none).
function M.run_parallel(spec)
  local proc = require "lector.proc"
  local db, run, layers = spec.db, spec.run, spec.layers
  local totals = {}
  for _, l in ipairs(layers) do totals[l] = 0 end
  local bar = progress.new { mode = spec.progress or "never", docs = spec.docs.count, label = spec.label }
  -- The workers read the documents from the store (--read-db): only ids
  -- and annotations go through the pipes.
  local lens, ids, k = spec.docs.lengths, spec.docs.ids, 0
  local function input()
    k = k + 1
    local id = ids[k]
    if id == nil then return nil end
    return string.format('{"id":%d}', id)
  end
  -- Answers are stored in the order the ids went out (the order of -j 1):
  -- a new entity's type is the one its first mention gives, and the
  -- first mention is the same then. waiting: id -> its layers' text (false:
  -- skipped) until the ids before it are answered (n_waiting of them).
  local waiting, n_waiting, next_k = {}, 0, 1
  local waiting_at = {} -- id -> where its layers begin in its line
  local pool = spec.pool or proc.pool(spec.argv, spec.jobs)
  -- A few documents a worker at a time: a worker that the machine slows
  -- down takes fewer of them. Enough that a worker does not run dry
  -- while this process commits a group or tags a long document itself
  -- (tens of milliseconds: 256 documents are about 0.1 s of a worker's
  -- work); fewer at the end, so that the workers and this process end
  -- together: at most an even share of what is left. (No hold while
  -- answers wait for a late one: a worker whose output was cut would
  -- then never be written to again, and never fail.)
  local jobs = pool.n + (spec.tag and 1 or 0)
  local function window()
    return math.max(1, math.min(WINDOW, math.ceil((#ids - k) / jobs)))
  end
  -- spec.tag (M.local_tagger): this process tags documents itself
  -- whenever no worker has an answer for it: the next id and up to
  -- TAKE - 1 after it (no more than the window: its share at the end),
  -- tokenized together. Its answer: {ids, answers}.
  -- With the last jobs * WINDOW ids left to hand out, this process ends
  -- its long write (the indexes it left out are built) while the workers
  -- tag the ids they hold: at the very end only this process would work,
  -- building them. The rows of the last documents then go in with the
  -- indexes kept up to date, which costs less than the workers' idling.
  local indexed = false
  local idle = spec.tag and function()
    if not indexed and #ids - k < jobs * WINDOW then
      indexed = true
      db:_long_write_end()
    end
    local batch = { ids[k] }
    local most = math.min(TAKE, window())
    while #batch < most and ids[k + 1] do
      k = k + 1
      batch[#batch + 1] = ids[k]
    end
    return { batch, spec.tag(batch) }
  end
  -- (flush, below: once every id is out, the rows of the answers in hand
  -- are stored while the last ones are awaited, not all after them)
  local flush
  local answers = pool:lines(input, { window = window, reap_later = true, idle = idle, one_answer = true,
                                      wait = function() if flush then flush(true) end end })
  -- The answers one document at a time (this process's {ids, answers}
  -- split into {id, answer}): a group is 256 documents at most, however
  -- they were tagged.
  local own, own_at = nil, 0
  local function lines()
    if own then
      own_at = own_at + 1
      local id = own[1][own_at]
      if id then return { id, own[2][own_at] } end
      own = nil
    end
    local line = answers()
    if type(line) ~= "table" then return line end
    own, own_at = line, 1
    return { line[1][1], line[2][1] }
  end
  local received = 0
  -- A group's documents are cleared in one statement, then their
  -- annotations go to the store in one call: the workers' lines parsed
  -- in C where they lie (from their "[" to the last "]"), this process's
  -- own spans copied from its packed buffer, in the order of the ids.
  local group_ids, group_text, group_at = {}, {}, {}
  local set = require("lector.store").batch_set(layers)
  -- This process's own answers wait in its packed buffers: n_own of them.
  local n_own = 0
  local function store_line(line)
    local id, answer, at
    if type(line) == "table" then -- {id, answer} from spec.tag
      id, answer = line[1], line[2]
      if answer then n_own = n_own + 1 end
    else
      id, at = line:match('^{"id":(%d+),"layers":()')
      id = tonumber(id or line:match('^{"id":(%d+),"skipped":true}$'))
      if not (id and lens[id]) or (at and line:byte(-1) ~= 125) then
        check.fail("a worker wrote a line that is not a tagged document: " .. line:sub(1, 80))
      end
      -- (a worker's line: its layers from byte at)
      answer = at and line or false
    end
    bar:step(lens[id])
    lens[id] = nil
    -- A document skipped (--skip-bad; its tagger said why on stderr)
    -- waits as false.
    waiting[id], n_waiting = answer, n_waiting + 1
    if at then waiting_at[id] = at end
    while true do
      local next_id = ids[next_k]
      local text = next_id and waiting[next_id]
      if text == nil then break end
      waiting[next_id], n_waiting, next_k = nil, n_waiting - 1, next_k + 1
      if text then
        received = received + 1
        local g = #group_ids + 1
        group_ids[g], group_text[g], group_at[g] = next_id, text, waiting_at[next_id] or false
        waiting_at[next_id] = nil
      end
    end
  end
  function flush(early)
    if early and not group_ids[1] then return end
    db:clear_layers(group_ids, layers, run)
    for i, id in ipairs(group_ids) do
      local a = group_text[i]
      if type(a) == "string" then
        set:json(id, a, group_at[i], #a - 1)
      else
        local r = a.runs
        for j = 1, 3 * a.nr, 3 do set:packed(id, r[j], a.pk, r[j + 1], r[j + 2]) end
        n_own = n_own - 1
      end
    end
    if group_ids[1] then db:_annotate_set(set, { run = run }) end
    set:clear()
    group_ids, group_text, group_at = {}, {}, {}
    -- The packed buffer is emptied for reuse once none of its answers waits.
    if spec.tag then spec.tag.renew(n_own == 0) end
  end
  -- Groups of at most 256 documents: this process's own CPU time, which
  -- in_groups counts, is a small part of a document's, so a quarter of a
  -- second of it would be thousands of documents a transaction.
  -- One long write, as one process's P.run: the groups' rows go in as one
  -- bulk load, the indexes by label and entity built once at the end.
  local ok, err = pcall(db.long_write, db, require("lector.recipes").in_groups, db, lines, store_line,
                        { before_commit = flush, max = 256 })
  -- The workers exit while the last group and the indexes are written;
  -- one that did not exit 0 fails the run all the same.
  if ok then ok, err = pcall(pool.finish, pool) end
  pool:close()
  bar:done()
  if not ok then error(err, 0) end
  for l, n in pairs(set:counts()) do totals[l] = n end
  return totals, received
end

--- The spans of a worker's line for a document of len bytes, as stages
-- emit them ({start=, stop=} 1-based inclusive, label, entity, attrs) in
-- the order written, each with its layer: {layer, span} pairs. Raises
-- when the annotations are not valid (M.check_annotations).
function M.spans_of(rec, len)
  local by, order = M.check_annotations(rec and rec.annotations, len)
  if not by then check.fail(order) end
  local out = {}
  for _, a in ipairs(rec and rec.annotations or {}) do
    local attrs = a.attrs
    if attrs == json.null then attrs = nil end
    out[#out + 1] = { a.layer, { start = a.start_byte + 1, stop = a.end_byte,
      label = a.label ~= json.null and a.label or nil, entity = a.entity ~= json.null and a.entity or nil,
      attrs = attrs } }
  end
  return out
end

return M
