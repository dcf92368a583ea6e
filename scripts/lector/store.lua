-- lector.store: the SQLite corpus store (documents, annotations, entities,
-- runs, full-text search) over the C core in core/store*.c.
--
--   local db = lector.store.open("corpus.db")
--   local id, is_new = db:add{uri = "a.txt", text = s, title = "..."}
--   db:annotate(id, "entity", matches)
--   for a in db:annotations{layer = "entity", label = "PLACE"} do ... end
--
-- Misuse raises "bad argument" errors through lector.check at the caller's
-- level: the position is the line that called the store, never a line of
-- this file (helpers such as live() and prepare() pass one level more).
-- Failures of the database (locked, read-only, disk full, not a database)
-- stay at level 0: they raise the core's message, which already begins
-- with the store's PATH and says what to do, so a Lua position in front
-- would only hide the path that matters.
local check = require "lector.check"
local core = require "lector.core"
local json = require "lector.json"
local pretty = require "lector.pretty"
local profile = require "lector.profile"

local ffi, C = core.ffi, core.C
local floor, huge = math.floor, math.huge
local type, tostring, select, pcall = type, tostring, select, pcall

local M = {}

-- Methods of a store object; the REPL's :help lists M.help.
local Db = {}
Db.__index = Db
M.Db = Db

local Run = {}
Run.__index = Run
M.Run = Run

M.help = {
  add = "db:add{uri=, text=, title=, author=, outlet=, published=, meta={}} -> id, is_new, version",
  add_many = "db:add_many{doc, ...} -> {{id=, is_new=, version=}, ...}: the documents in order, all or none, in bulk",
  annotate = "db:annotate(doc_id, layer, spans [, {run=}]) -> count; "
    .. "spans have start/stop or start_byte/end_byte, label, entity, attrs",
  annotations = "db:annotations{layer=, label=, entity=, doc=, run=, text=true, limit=} -> iterator of rows",
  begin_run = "db:begin_run(name [, options [, {recipe=true}]]) -> run; run:finish([status]) ends it",
  clear_layers = "db:clear_layers(doc_id, {layer, ...} [, run]) -> count: drop what other recipe runs wrote there",
  close = "db:close() -- idempotent; also done on garbage collection",
  document = "db:document(id | uri) -> row or nil (the latest version of a uri)",
  documents = "db:documents{uri=, outlet=, author=, since=, ['until']=, all_versions=, text=false, limit=} -> iterator",
  entity = "db:entity{key=, type=, attrs={}} -- add or update an entity in the catalogue",
  exec = "db:exec(sql) -- run SQL without parameters (DDL, several statements)",
  long_write = "db:long_write(fn, ...) -> fn's results; its transactions stored as one bulk load, "
    .. "the annotation indexes built once at its end",
  query = "db:query(sql, ...) -> array of rows; ? parameters bound, never concatenated",
  rows = "db:rows(sql, ...) -> iterator of rows",
  schema_version = "db:schema_version() -> the schema version of the file (PRAGMA user_version)",
  search = "db:search(q [, {limit=, raw=, all_versions=}]) -> array of {id, uri, title, snippet, rank}; "
    .. "FTS5, accent/case-insensitive",
  stats = "db:stats() -> {documents=, versions=, annotations=, entities=, runs=, bytes=}",
  transaction = "db:transaction(fn, ...) -> fn's results; all or nothing, rolled back on error",
  update_metadata = "db:update_metadata(id, {title=, author=, outlet=, published=, meta={}}) -> changed",
  value = "db:value(sql, ...) -> the first column of the first row, or nil",
}

-- The REPL's :help and :db read one-line docs from the metatable.
Db.__doc = M.help

local function live(self, fname)
  if getmetatable(self) ~= Db then check.argerr(1, fname, "store", self, 3) end
  local st = self._st
  if st == nil then error(fname .. ": the store " .. self.path .. " is closed", 3) end
  return st
end

local function errmsg(st) return ffi.string(C.lector_store_errmsg(st)) end

local raise_damaged -- below
local checking = false -- M.integrity is running: its own failure is no new damage report

-- Raises the core's message: it names the path, so no Lua position. A
-- damaged file is said so, with what PRAGMA integrity_check finds.
local function check_rc(st, rc)
  if rc ~= 0 then
    local msg = errmsg(st)
    if M.is_damage(msg) then
      local path = ffi.string(C.lector_store_path(st))
      raise_damaged(path, (msg:gsub("^.-the store is damaged %((.*)%); restore.*$", "%1")))
    end
    check.fail(msg)
  end
end

local function optstr(v, n, fname, field)
  if v == nil or type(v) == "string" then return v end
  if type(v) == "number" then return tostring(v) end
  check.argerr(n, fname, "field '" .. field .. "': string", v, 3)
end

---------------------------------------------------------------------------
-- opening and closing

-- The stores with a run open: finish_open_runs ends those runs at exit.
-- A strong reference, so that a store a script dropped is not collected
-- (and its run left `running`) before the script's end says how it went.
local open_stores = {}
-- Every store open (weakly): close_all closes those still open when the
-- process leaves without closing its Lua state.
local live_stores = setmetatable({}, { __mode = "k" })

--- What every M.open takes when its opts do not say: the CLI sets them
-- from --trust-schema and --time-limit.
M.defaults = { trust_schema = false, time_limit = nil }

--- Opens (or creates) the store at path. opts.readonly opens it read-only;
-- opts.busy_timeout (ms, default 5000) is how long to wait for a lock.
-- A store whose triggers or views are not the ones lector creates is
-- refused, naming the object, unless opts.trust_schema (a store is code:
-- they would run inside lector). opts.time_limit (seconds) stops any
-- query running past that time from the open on.
function M.open(path, opts)
  if type(path) ~= "string" then check.argerr(1, "open", "string", path) end
  if opts ~= nil and type(opts) ~= "table" then check.argerr(2, "open", "table or nil", opts) end
  opts = opts or {}
  local trust = opts.trust_schema
  if trust == nil then trust = M.defaults.trust_schema end
  local limit = opts.time_limit
  if limit == nil then limit = M.defaults.time_limit end
  if limit ~= nil and (type(limit) ~= "number" or limit ~= limit or limit <= 0) then
    check.argmsg(2, "open", "time_limit: positive number of seconds expected")
  end
  local flags = (opts.readonly and C.LECTOR_STORE_READONLY or 0) +
                (trust and C.LECTOR_STORE_TRUST_SCHEMA or 0)
  local pp = ffi.new("lector_store *[1]")
  local rc = C.lector_store_open(path, flags, opts.busy_timeout or -1, pp)
  local st = pp[0]
  if st == nil then check.fail("lector.store.open: out of memory") end
  if rc ~= 0 then
    local msg = errmsg(st)
    C.lector_store_close(st)
    check.fail(msg)
  end
  if limit then C.lector_store_set_time_limit(st, math.ceil(limit * 1000)) end
  local db = setmetatable({ _st = ffi.gc(st, C.lector_store_close), path = path,
                            readonly = opts.readonly and true or false, time_limit = limit }, Db)
  live_stores[db] = true
  return db
end

--- Ends the runs still open on every open store with status (the host
-- calls it when a script or chunk ends: "ok", or "failed" when it raised),
-- so a script that never calls db:close() leaves no run `running`, the
-- mark of a crash.
function M.finish_open_runs(status)
  for db in pairs(open_stores) do
    local st = db._st
    if st ~= nil then
      if db.run and not db.run.finished then
        C.lector_store_finish_run(st, db.run.id, status)
        db.run.finished = true
      end
      if db._implicit then
        C.lector_store_finish_run(st, db._implicit.id, status)
        db._implicit = nil
      end
    end
    open_stores[db] = nil
  end
end

--- Closes every store still open (the host calls it when a recipe ends:
-- the process then leaves without closing its Lua state, whose collector
-- would have closed them).
function M.close_all()
  for db in pairs(live_stores) do db:close() end
end

function Db:close()
  if getmetatable(self) ~= Db then check.argerr(1, "close", "store", self) end
  local st = self._st
  live_stores[self] = nil
  if st == nil then return end
  if self._implicit then
    C.lector_store_finish_run(st, self._implicit.id, "ok")
    self._implicit = nil
  end
  self._st = nil
  open_stores[self] = nil
  for _, k in pairs(self._doc_stmts or {}) do C.lector_stmt_free(ffi.gc(k.s, nil)) end
  self._doc_stmts = nil
  ffi.gc(st, nil)
  C.lector_store_close(st)
end

-- lector.store("corpus.db", 5 documents): the path and how many documents
-- (current versions) it holds, or that it is closed.
function Db:__tostring()
  local what = ", closed"
  if self._st then
    local ok, n = pcall(self.value, self, "SELECT count(*) FROM current_documents")
    what = ok and string.format(", %d document%s", n, n == 1 and "" or "s") or ""
  end
  return string.format("lector.store(%q%s)", self.path, what)
end

function Db:schema_version() return C.lector_store_schema_version(live(self, "schema_version")) end

---------------------------------------------------------------------------
-- statements

local stmt_pp = ffi.new("lector_stmt *[1]")
local len_p = ffi.new("size_t[1]")

local function prepare(_, st, sql, fname)
  if type(sql) ~= "string" then check.argerr(1, fname, "string", sql, 3) end
  local rc = C.lector_store_prepare(st, sql, #sql, stmt_pp)
  if rc ~= 0 then
    local msg = errmsg(st)
    if M.is_damage(msg) and not checking then raise_damaged(ffi.string(C.lector_store_path(st)), msg) end
    error(fname .. ": " .. msg, 3)
  end
  return ffi.gc(stmt_pp[0], C.lector_stmt_free)
end

local function release(s)
  ffi.gc(s, nil)
  C.lector_stmt_free(s)
end

local function bind(s, fname, n, ...)
  local want = C.lector_stmt_params(s)
  if n ~= want then
    release(s)
    error(string.format("%s: the SQL has %d parameter%s, %d value%s given", fname, want,
                        want == 1 and "" or "s", n, n == 1 and "" or "s"), 3)
  end
  for i = 1, n do
    local v = select(i, ...)
    local t = type(v)
    if t == "string" then
      C.lector_stmt_bind_text(s, i, v, #v)
    elseif t == "number" then
      if v == floor(v) and v >= -9007199254740992 and v <= 9007199254740992 then
        C.lector_stmt_bind_int64(s, i, v)
      else
        C.lector_stmt_bind_double(s, i, v)
      end
    elseif t == "boolean" then
      C.lector_stmt_bind_int64(s, i, v and 1 or 0)
    elseif v == nil then
      C.lector_stmt_bind_null(s, i)
    elseif t == "table" then
      local js = json.encode(v)
      C.lector_stmt_bind_text(s, i, js, #js)
    elseif t == "cdata" then
      C.lector_stmt_bind_int64(s, i, v)
    else
      release(s)
      error(string.format("%s: parameter %d: cannot bind a %s", fname, i, t), 3)
    end
  end
end

local function column_names(s)
  local names = {}
  for i = 0, C.lector_stmt_columns(s) - 1 do
    names[i + 1] = ffi.string(C.lector_stmt_column_name(s, i))
  end
  return names
end

-- Column i (0-based) of the row s stands on, as a Lua value.
local function column(s, i)
  local t = C.lector_stmt_column_type(s, i)
  if t == 1 then return tonumber(C.lector_stmt_column_int64(s, i)) end
  if t == 2 then return C.lector_stmt_column_double(s, i) end
  if t == 3 or t == 4 then
    local p = C.lector_stmt_column_text(s, i, len_p)
    return ffi.string(p, len_p[0])
  end
  return nil
end

local function read_row(s, names)
  local row = {}
  for i = 0, #names - 1 do row[names[i + 1]] = column(s, i) end
  return row
end

-- What SQLite says of a damaged file (as opposed to a mistake in SQL).
local damage_signs = { "database disk image is malformed", "malformed database schema",
                       "vtable constructor failed", "file is not a database", "database corruption" }

function M.is_damage(msg)
  msg = tostring(msg)
  for _, sign in ipairs(damage_signs) do
    if msg:find(sign, 1, true) then return true end
  end
  return false
end

--- What `PRAGMA integrity_check` says of the store at path, in one line
-- (at most 5 problems), "ok", or nil and why it could not run.
-- A damaged store is the file's problem, not the script's: raised as a
-- clean error (the binary prints "lector: msg", no traceback, exit 1).
function raise_damaged(path, reason)
  check.abort(M.damaged_message(path, reason))
end


function M.integrity(path)
  local ok, db = pcall(M.open, path, { readonly = true, trust_schema = true })
  if not ok then return nil, tostring(db) end
  checking = true
  local qok, rows = pcall(db.query, db, "PRAGMA integrity_check(5)")
  checking = false
  db:close()
  if not qok then return nil, check.message(rows) end
  local lines = {}
  for _, r in ipairs(rows) do lines[#lines + 1] = r.integrity_check end
  return table.concat(lines, "; ")
end

--- The message for a store found damaged: "PATH: the store is damaged
-- (reason); PRAGMA integrity_check says ..." (reason without positions or
-- the path repeated).
function M.damaged_message(path, reason)
  reason = check.message(reason)
  local p = path:gsub("%p", "%%%0")
  reason = reason:gsub("^%a+: " .. p .. ": ", ""):gsub("^" .. p .. ": ", "")
  local says, why = M.integrity(path)
  if not says then
    why = tostring(why):gsub("^%a+: " .. p .. ": ", ""):gsub("^" .. p .. ": ", "")
    return string.format("%s: the store is damaged (%s); PRAGMA integrity_check cannot run (%s)",
      path, reason, why)
  end
  return string.format("%s: the store is damaged (%s); PRAGMA integrity_check says %s", path, reason, says)
end

-- A statement that failed because it ran past the store's time limit
-- raises that, not SQLite's "interrupted"; one that met a damaged file
-- says so, with what integrity_check finds.
local function check_time_limit(self, msg)
  if msg and not checking and M.is_damage(msg) then raise_damaged(self.path, msg) end
  if self._st and C.lector_store_timed_out(self._st) ~= 0 then
    check.fail(string.format("%s: stopped at the time limit (%g s)", self.path, self.time_limit))
  end
end

-- An iterator over the rows of a bound statement; post(row) shapes each.
local function iterate(self, s, fname, post)
  local names = column_names(s)
  local done = false
  return pretty.iterator(function()
    if done then return nil end
    local rc = C.lector_stmt_step(s)
    if rc == 1 then
      local row = read_row(s, names)
      if post then post(row) end
      return row
    end
    done = true
    local msg = rc < 0 and ffi.string(C.lector_stmt_errmsg(s))
    release(s) -- ends the read transaction now, not at the next GC
    if msg then check_time_limit(self, msg) end
    if msg then check.fail(string.format("%s: %s: %s", fname, self.path, msg)) end
    return nil
  end, "rows")
end

--- An iterator of rows (tables keyed by column name) of any statement.
function Db:rows(sql, ...)
  local st = live(self, "rows")
  local s = prepare(self, st, sql, "rows")
  bind(s, "rows", select("#", ...), ...)
  return iterate(self, s, "rows")
end

--- All rows of a statement as an array.
function Db:query(sql, ...)
  local st = live(self, "query")
  local s = prepare(self, st, sql, "query")
  bind(s, "query", select("#", ...), ...)
  local out = {}
  for row in iterate(self, s, "query") do out[#out + 1] = row end
  return out
end

--- The first column of the first row, or nil.
function Db:value(sql, ...)
  local st = live(self, "value")
  local s = prepare(self, st, sql, "value")
  bind(s, "value", select("#", ...), ...)
  local names = column_names(s)
  local rc = C.lector_stmt_step(s)
  local v
  if rc == 1 then v = read_row(s, { names[1] })[names[1]] end
  local msg = rc < 0 and ffi.string(C.lector_stmt_errmsg(s))
  release(s)
  if msg then check_time_limit(self, msg) end
  if msg then check.fail("value: " .. self.path .. ": " .. msg) end
  return v
end

function Db:exec(sql)
  local st = live(self, "exec")
  if type(sql) ~= "string" then check.argerr(1, "exec", "string", sql) end
  check_rc(st, C.lector_store_exec(st, sql))
end

---------------------------------------------------------------------------
-- transactions and runs

-- The end of db:transaction: pcall's results in, fn's out (varargs, no
-- table a call: a pipeline takes a savepoint a document).
local function end_transaction(st, ok, ...)
  if not ok then
    C.lector_store_rollback(st)
    error((...), 0)
  end
  if profile.on then
    check_rc(st, profile.time("sqlite.commit", C.lector_store_commit, st))
  else
    check_rc(st, C.lector_store_commit(st))
  end
  return ...
end

--- Calls fn(...) inside a transaction: committed when fn returns, rolled
-- back (and the error re-raised unchanged) when it raises. Nests.
function Db:transaction(fn, ...)
  local st = live(self, "transaction")
  if type(fn) ~= "function" then check.argerr(1, "transaction", "function", fn) end
  check_rc(st, C.lector_store_begin(st))
  return end_transaction(st, pcall(fn, ...))
end

-- For the pipeline's store sink: a savepoint inside the open
-- transaction, and its end (released when ok, else rolled back).
function Db:_savepoint()
  local st = live(self, "_savepoint")
  check_rc(st, C.lector_store_begin(st))
end

function Db:_end_savepoint(ok)
  local st = live(self, "_end_savepoint")
  if not ok then return C.lector_store_rollback(st) end
  check_rc(st, C.lector_store_commit(st))
end

--- Calls fn(...) as one long write: its transactions (a recipe's groups)
-- store annotations as one bulk load, the indexes of annotation_rows by
-- label and by entity left out from its first big batch and built once
-- when fn returns or raises (lector_store_long_write; README, *The
-- store*). Each transaction is still committed whole; a process killed
-- in the middle leaves the two indexes out until the next read-write
-- open builds them. Returns fn's results; fn's error is raised again
-- after the indexes are built.
function Db:long_write(fn, ...)
  local st = live(self, "long_write")
  if type(fn) ~= "function" then check.argerr(1, "long_write", "function", fn) end
  check_rc(st, C.lector_store_long_write(st, 1))
  local r = { pcall(fn, ...) }
  st = self._st -- fn may have closed the store (which ended the long write)
  local rc = 0
  if st ~= nil then
    rc = profile.on and profile.time("sqlite.index", C.lector_store_long_write, st, 0)
      or C.lector_store_long_write(st, 0)
  end
  if not r[1] then error(r[2], 0) end
  check_rc(st, rc)
  return unpack(r, 2, table.maxn(r))
end

--- The byte lengths of the texts of documents ids (an array): id -> length
-- (no entry for an id with no document), from the rows' headers.
function Db:_text_lengths(ids)
  local st = live(self, "_text_lengths")
  local n = #ids
  local cids, lens = ffi.new("int64_t[?]", n + 1), ffi.new("int64_t[?]", n + 1)
  for k = 1, n do cids[k - 1] = ids[k] end
  check_rc(st, C.lector_store_text_lengths(st, cids, n, lens))
  local out = {}
  for k = 1, n do
    local v = tonumber(lens[k - 1])
    if v >= 0 then out[ids[k]] = v end
  end
  return out
end

--- Inside db:long_write: ends it now (lector_store_long_write_end): the
-- indexes it left out are built, and what fn writes after keeps them up
-- to date. The -j N writer's, while its workers tag the last documents.
function Db:_long_write_end()
  local st = live(self, "_long_write_end")
  check_rc(st, profile.on and profile.time("sqlite.index", C.lector_store_long_write_end, st)
    or C.lector_store_long_write_end(st))
end

local run_p = ffi.new("int64_t[1]")

--- Starts a run: every document and annotation stored until run:finish()
-- records it. how.recipe = true marks a recipe's run (runs.recipe = name):
-- the layers it writes replace what earlier recipe runs wrote on the same
-- documents (db:clear_layers), never what scripts and SQL wrote. Returns
-- the run object {id=, name=}.
function Db:begin_run(name, options, how)
  local st = live(self, "begin_run")
  if type(name) ~= "string" or name == "" then check.argerr(1, "begin_run", "non-empty string", name) end
  if options ~= nil and type(options) ~= "table" then check.argerr(2, "begin_run", "table or nil", options) end
  if how ~= nil and type(how) ~= "table" then check.argerr(3, "begin_run", "table or nil", how) end
  local opts = json.encode_sorted(options or {})
  if opts == "[]" then opts = "{}" end
  check_rc(st, C.lector_store_begin_run(st, name, opts, run_p))
  local run = setmetatable({ id = tonumber(run_p[0]), name = name, db = self }, Run)
  if how and how.recipe then
    self:query("UPDATE runs SET recipe = ? WHERE id = ?", name, run.id)
    run.recipe = name
  end
  self.run = run
  open_stores[self] = true
  return run
end

--- Ends the run with status ("ok" by default; "failed", "interrupted"...).
function Run:finish(status)
  if getmetatable(self) ~= Run then check.argerr(1, "finish", "run", self) end
  if status ~= nil and type(status) ~= "string" then check.argerr(1, "finish", "string or nil", status) end
  local db = self.db
  local st = live(db, "finish")
  check_rc(st, C.lector_store_finish_run(st, self.id, status or "ok"))
  if db.run == self then db.run = nil end
  if not db._implicit then open_stores[db] = nil end
  self.finished = true
end

-- The run to record: the open one, or one started on first use for
-- scripts that never called begin_run (named after the script).
local function current_run(self, st)
  local run = self.run
  if run and not run.finished then return run.id end
  if not self._implicit then
    local a = rawget(_G, "arg")
    local name = type(a) == "table" and (a[-1] == "-e" and "-e" or a[0]) or "lector"
    check_rc(st, C.lector_store_begin_run(st, name, "{}", run_p))
    self._implicit = { id = tonumber(run_p[0]) }
    open_stores[self] = true
  end
  return self._implicit.id
end

---------------------------------------------------------------------------
-- documents

local doc_fields = { "uri", "text", "title", "author", "outlet", "published", "meta" }

-- Points the lector_doc c at the fields of the document table d, or
-- returns what is wrong with d. The strings are borrowed: those made here
-- (a meta table's JSON, a number's text) go into `keep`, which the caller
-- holds in `anchor` until C has read them (a local the JIT sees unused
-- after the call might not keep them from the collector).

local function fill_doc(c, d, keep)
  if type(d) ~= "table" then return "table expected, got " .. type(d) end
  if type(d.uri) ~= "string" or d.uri == "" then
    return "field 'uri': non-empty string expected, got " .. type(d.uri)
  end
  if type(d.text) ~= "string" then return "field 'text': string expected, got " .. type(d.text) end
  for _, f in ipairs(doc_fields) do
    local v = d[f]
    if type(v) == "number" and f ~= "meta" then
      v = tostring(v)
    elseif f == "meta" and type(v) == "table" then
      local where, bad = json.unencodable(v, "meta")
      if where then
        return string.format("field '%s': %s, which JSON cannot hold", where, tostring(bad))
      end
      v = next(v) == nil and "{}" or json.encode_sorted(v)
    elseif v ~= nil and type(v) ~= "string" then
      return string.format("field '%s': %s expected, got %s", f,
        f == "meta" and "table or JSON string" or "string", type(v))
    end
    if v ~= d[f] then keep[#keep + 1] = v end
    c[f] = v
    c[f .. "_len"] = v and #v or 0
  end
  -- The text's SHA-256 when the caller hashed it already (-j N workers).
  local h = d.hash
  if h ~= nil and (type(h) ~= "string" or #h ~= 64 or h:find("[^0-9a-f]")) then
    return "field 'hash': the text's SHA-256 as 64 lowercase hex digits expected"
  end
  c.hash = h
end

local anchor = {} -- luacheck: no unused (written only: it holds strings for C)
local doc = ffi.new("lector_doc")
local id_p, new_p, ver_p = ffi.new("int64_t[1]"), ffi.new("int[1]"), ffi.new("int[1]")

--- Adds a document. Returns its id, whether a row was added (false when
-- the latest version under this uri has the same text) and its version.
function Db:add(d)
  local st = live(self, "add")
  local keep = {}
  local bad = fill_doc(doc, d, keep)
  if bad then
    ffi.fill(doc, ffi.sizeof(doc))
    check.argmsg(1, "add", bad)
  end
  local run = self.run
  anchor[1] = keep
  local rc = C.lector_store_add(st, doc, run and not run.finished and run.id or 0, id_p, new_p, ver_p)
  anchor[1] = nil
  -- Drop the borrowed pointers so no stale one outlives this call.
  ffi.fill(doc, ffi.sizeof(doc))
  check_rc(st, rc)
  return tonumber(id_p[0]), new_p[0] == 1, ver_p[0]
end

--- Adds the documents of the array docs, in order, all or none, many to
-- an SQL statement (the full-text index takes them in bulk: ingest's
-- path). Returns an array with, for each document, {id =, is_new =,
-- version =} as db:add returns them.
function Db:add_many(docs)
  local st = live(self, "add_many")
  if type(docs) ~= "table" then check.argerr(1, "add_many", "table", docs) end
  local n = #docs
  local cdocs = ffi.new("lector_doc[?]", math.max(n, 1))
  local keep = {}
  for i = 1, n do
    local bad = fill_doc(cdocs[i - 1], docs[i], keep)
    if bad then check.argmsg(1, "add_many", string.format("document %d: %s", i, bad)) end
  end
  local ids, news, vers = ffi.new("int64_t[?]", n + 1), ffi.new("int[?]", n + 1), ffi.new("int[?]", n + 1)
  local run = self.run
  anchor[1] = keep
  local rc = C.lector_store_add_many(st, cdocs, n, run and not run.finished and run.id or 0, ids, news, vers)
  anchor[1] = nil
  check_rc(st, rc)
  local out = {}
  for i = 1, n do
    out[i] = { id = tonumber(ids[i - 1]), is_new = news[i - 1] == 1, version = vers[i - 1] }
  end
  return out
end

local function decode_meta(row)
  local m = row.meta
  -- most documents have none: "{}" without a call to the decoder
  if m == "{}" then row.meta = {} elseif m then row.meta = json.decode(m) or m end
end

local doc_columns =
  "id, uri, base_uri, version, supersedes, hash, title, author, outlet, published, meta, added, run_id"

-- A document's row (doc_columns, then text) without a loop: LuaJIT made
-- its exit the start of a trace through a pipeline's whole document.
local function document_row(s)
  return { id = column(s, 0), uri = column(s, 1), base_uri = column(s, 2), version = column(s, 3),
           supersedes = column(s, 4), hash = column(s, 5), title = column(s, 6), author = column(s, 7),
           outlet = column(s, 8), published = column(s, 9), meta = column(s, 10), added = column(s, 11),
           run_id = column(s, 12), text = column(s, 13) }
end

local doc_sql = {
  number = "SELECT " .. doc_columns .. ", text FROM documents WHERE id = ?",
  string = "SELECT " .. doc_columns .. ", text FROM documents WHERE uri = ?1 OR base_uri = ?1 " ..
           "ORDER BY version DESC LIMIT 1",
}

--- A document by id, or the latest version of a uri; nil when absent.
-- The store keeps the two statements (by id, by uri) from the first call
-- on: a pipeline reads every document this way, and compiling the SQL
-- again for each was most of the reading.
function Db:document(key)
  local st = live(self, "document")
  local kind = type(key)
  local sql = doc_sql[kind]
  if not sql then check.argerr(1, "document", "id or uri", key) end
  local kept = self._doc_stmts
  if not kept then
    kept = {}
    self._doc_stmts = kept
  end
  local k = kept[kind]
  if not k then
    k = { s = prepare(self, st, sql, "document") }
    kept[kind] = k
  end
  local s = k.s
  C.lector_stmt_reset(s)
  bind(s, "document", 1, key)
  local rc = C.lector_stmt_step(s)
  local row
  if rc == 1 then
    row = document_row(s)
    decode_meta(row)
  end
  local msg = rc < 0 and ffi.string(C.lector_stmt_errmsg(s))
  C.lector_stmt_reset(s) -- ends the read transaction now
  if msg then
    check_time_limit(self, msg)
    check.fail(string.format("document: %s: %s", self.path, msg))
  end
  return row
end

-- sql with the WHERE conditions of the filters opts uses, ORDER BY order
-- and opts.limit; returns it with the values to bind. A filter is
-- {option, condition [, times its value is bound]}; with rows_ok, a row
-- table (a run or a document) stands for its id.
local function filtered(sql, filters, opts, order, rows_ok)
  local where, args = {}, {}
  for _, f in ipairs(filters) do
    local v = opts[f[1]]
    if rows_ok and type(v) == "table" and v.id then v = v.id end
    if v ~= nil then
      where[#where + 1] = f[2]
      for _ = 1, f[3] or 1 do args[#args + 1] = v end
    end
  end
  if #where > 0 then sql = sql .. " WHERE " .. table.concat(where, " AND ") end
  sql = sql .. " ORDER BY " .. order
  if opts.limit then sql = sql .. " LIMIT ?"; args[#args + 1] = opts.limit end
  return sql, args
end

-- Filters of documents{}: option -> SQL condition on a bound value.
local doc_filters = {
  { "id", "id = ?" }, { "uri", "(uri = ? OR base_uri = ?)", 2 }, { "outlet", "outlet = ?" },
  { "author", "author = ?" }, { "hash", "hash = ?" }, { "since", "published >= ?" },
  { "until", "published < ?" }, { "run", "run_id = ?" },
}

--- Iterates documents (the latest version of each uri unless
-- all_versions), oldest first, as row tables with meta decoded.
function Db:documents(opts)
  local st = live(self, "documents")
  if opts ~= nil and type(opts) ~= "table" then check.argerr(1, "documents", "table or nil", opts) end
  opts = opts or {}
  local from = opts.all_versions and "documents" or "current_documents"
  local sql, args = filtered("SELECT " .. doc_columns .. (opts.text == false and "" or ", text") ..
    " FROM " .. from, doc_filters, opts, "id")
  local s = prepare(self, st, sql, "documents")
  bind(s, "documents", #args, unpack(args, 1, #args))
  return iterate(self, s, "documents", decode_meta)
end

---------------------------------------------------------------------------
-- annotations and entities

local encode_lean
local span_cap = 1024
local spans_buf = ffi.new("lector_span[?]", span_cap)

-- (Called from fill, called from db:annotate: level 4 is annotate's
-- caller.) While bare.on (store.spans_json), a data error with no position.
local bare = { on = false }

-- What is wrong with span sp in a document of len bytes, as the
-- pipeline's store sink and tag -j N's workers say it (they check each
-- span as it is emitted: store.packed's pk:add(span, i, len)), or nil:
-- the first of these wrong, in this order, whatever else is.
local function bad_span(sp, len)
  if type(sp) ~= "table" then return "table expected, got " .. type(sp) end
  local a, z = sp.start, sp.stop
  if sp.start_byte ~= nil then a, z = sp.start_byte + 1, sp.end_byte end
  if type(a) ~= "number" or type(z) ~= "number" then return "start and stop expected" end
  if a ~= floor(a) or z ~= floor(z) or a < 1 or z < a - 1 or z > len then
    return string.format("[%s, %s] is not within the document's %d bytes", tostring(a), tostring(z), len)
  end
  local label, entity, attrs = sp.label or sp.type, sp.entity or sp.key, sp.attrs
  if label ~= nil and type(label) ~= "string" then return "label must be a string" end
  if entity ~= nil and type(entity) ~= "string" then return "entity must be a string" end
  if attrs ~= nil and type(attrs) ~= "table" and type(attrs) ~= "string" then
    return "attrs must be a table or JSON text"
  end
  return nil
end

-- With len (a packed span checked against its document's length), the
-- message is bad_span's when it finds something wrong: fill checks what
-- it does once, and names a fault as the pipeline always named it.
local function span_error(i, what, level, sp, len)
  if len then
    local why = bad_span(sp, len)
    if why then check.fail(string.format("annotate: span %d: %s", i, why)) end
  end
  if bare.on then check.fail(string.format("annotate: span %d: %s", i, what)) end
  check.argmsg(3, "annotate", string.format("span %d: %s", i, what), level or 4)
end

local function not_integer(i, sp, len)
  for _, k in ipairs { "start", "stop", "start_byte", "end_byte" } do
    local v = sp[k]
    if type(v) == "number" and (v ~= floor(v) or v == huge or v == -huge) then
      span_error(i, k .. " must be an integer, got " .. tostring(v), 5, sp, len)
    end
  end
end

local function bad_str(i, name, v, sp, len)
  span_error(i, name .. " must be a string, got " .. type(v), 5, sp, len)
end

-- The sentence number an attrs table carries, when the sentence column
-- can hold it (a positive integer), else nil.
local function sentence_of(attrs)
  local sn = attrs.sentence
  if type(sn) == "number" and sn >= 1 and sn == floor(sn) and sn < 2^53 then return sn end
  return nil
end

-- An attrs table's JSON without the sentence number (stored in its own
-- column; the annotations view puts it back), or false when nothing else
-- is left.
function encode_lean(attrs)
  local sn = sentence_of(attrs)
  if sn == nil then return json.encode(attrs) end
  attrs.sentence = nil
  local ok, js = pcall(json.encode, attrs)
  attrs.sentence = sn
  if not ok then error(js, 0) end
  if js == "{}" then return false end
  return js
end

-- encode_lean's JSON appended to the string.buffer out, by code LuaJIT
-- compiles (json.put_object) where it can; false when nothing but the
-- sentence is left (out may then end in a "{}" no one points at).
local function put_lean(out, attrs)
  local sn = sentence_of(attrs)
  local n = json.put_object(out, attrs, sn and "sentence")
  if n == nil then
    local js = encode_lean(attrs)
    if js then out:put(js) end
    return js ~= false
  end
  return not (n == 0 and sn)
end

-- Attrs tables whose maker never changes them (M.fixed_attrs) -> their
-- JSON as encode_lean gives it: encoded once while they live, not once
-- in every db:annotate call that stores them.
local fixed_json = setmetatable({}, { __mode = "k" })

--- Marks the attrs table t as never to change (its maker's promise) and
-- returns it: db:annotate encodes it once, not in each call that stores
-- it. The entities stage shares one such table among every mention of
-- a gazetteer entry in a run (on 35 MB of text, 2,942 distinct attrs on
-- 1.07M mentions).
function M.fixed_attrs(t)
  if type(t) ~= "table" then check.argerr(1, "fixed_attrs", "table", t) end
  fixed_json[t] = encode_lean(t)
  return t
end

-- LECTOR_PROFILE: the attrs tables' JSON, encoded ahead of the loop
-- below (which finds them there) so that the encoding is timed apart.
local function encode_attrs(spans, n)
  local t0, anchors = profile.clock(), {}
  for i = 1, n do
    local sp = spans[i]
    local attrs = type(sp) == "table" and sp.attrs
    if type(attrs) == "table" and anchors[attrs] == nil and fixed_json[attrs] == nil then
      anchors[attrs] = encode_lean(attrs)
    end
  end
  profile.add("json", profile.clock() - t0)
  return anchors
end

-- Fills the struct b from span sp (span number i, for messages), its
-- attrs table's JSON found in fixed_json or anchors (attrs table -> JSON,
-- encoded into it when missing). Returns the JSON text b points into
-- (nil when none), which the caller keeps alive until the C call; with
-- anchors nil, an attrs table not in fixed_json is left for the caller
-- to encode (b.attrs NULL), returned second. With len, the span must lie
-- within a document of len bytes, and a fault is named as bad_span names
-- it.
local function fill(b, i, sp, anchors, len)
  if type(sp) ~= "table" then span_error(i, "table expected, got " .. type(sp), nil, sp, len) end
  local s0, e0 = sp.start_byte, sp.end_byte
  if s0 == nil then
    local a, z = sp.start, sp.stop
    if type(a) ~= "number" or type(z) ~= "number" then
      span_error(i, "start and stop, or start_byte and end_byte, expected", nil, sp, len)
    end
    s0, e0 = a - 1, z
  elseif type(s0) ~= "number" or type(e0) ~= "number" then
    span_error(i, "start_byte and end_byte must be numbers", nil, sp, len)
  end
  -- Positions are integers: 1.5 was truncated, NaN read as INT64_MIN.
  if s0 ~= floor(s0) or e0 ~= floor(e0) or s0 == huge or s0 == -huge or e0 == huge or e0 == -huge then
    not_integer(i, sp, len)
  end
  if len and (s0 < 0 or e0 < s0 or e0 > len) then span_error(i, "out of range", nil, sp, len) end
  b.start, b["end"] = s0, e0
  -- Field by field (no computed names) so that the loop compiles.
  local label = sp.label or sp.type
  if label == nil then
    b.label, b.label_len = nil, 0
  elseif type(label) == "string" then
    b.label, b.label_len = label, #label
  else
    bad_str(i, "label", label, sp, len)
  end
  local entity = sp.entity or sp.key
  if entity == nil then
    b.entity, b.entity_len = nil, 0
  elseif type(entity) == "string" then
    b.entity, b.entity_len = entity, #entity
  else
    bad_str(i, "entity", entity, sp, len)
  end
  -- A new entity joins the catalogue with the span's type, else label.
  local etype = sp.type
  if type(etype) == "string" then
    b.type, b.type_len = etype, #etype
  else
    b.type, b.type_len = nil, 0
  end
  local attrs, sn = sp.attrs, sp.sentence
  local out, later = nil, nil
  if attrs == nil then
    b.attrs, b.attrs_len = nil, 0
  else
    if type(attrs) == "table" then
      -- Gazetteer matches share their entry's attrs table: encode once.
      local js = fixed_json[attrs]
      if js == nil then
        if anchors then
          js = anchors[attrs]
          if js == nil then
            js = encode_lean(attrs)
            anchors[attrs] = js
          end
        else
          later, js = attrs, false -- the caller encodes it
        end
      end
      -- attrs.sentence is stored in the sentence column
      if sn == nil then sn = sentence_of(attrs) end
      attrs = js
    elseif type(attrs) ~= "string" then
      bad_str(i, "attrs", attrs, sp, len)
    end
    if attrs == false then
      b.attrs, b.attrs_len = nil, 0
    else
      b.attrs, b.attrs_len = attrs, #attrs
      out = attrs
    end
  end
  if sn == nil then
    b.sentence = 0
  elseif type(sn) == "number" and sn >= 1 and sn == floor(sn) and sn < 2^53 then
    b.sentence = sn
  else
    span_error(i, "sentence must be a positive integer, got " .. tostring(sn), nil, sp, len)
  end
  return out, later
end

--- Stores spans of one layer on document doc_id in one transaction.
-- A span is {start=, stop=} (1-based inclusive, as tokens and matches
-- give them) or {start_byte=, end_byte=} (0-based, end exclusive), with
-- optional label (or type), entity (or key), attrs (table or JSON text).
-- Entities named by spans join the catalogue (with the span's type or
-- label) unless already there. Returns the number of spans stored.
function Db:annotate(doc_id, layer, spans, opts)
  local st = live(self, "annotate")
  if type(doc_id) ~= "number" then check.argerr(1, "annotate", "number", doc_id) end
  if type(layer) ~= "string" or layer == "" then check.argerr(2, "annotate", "non-empty string", layer) end
  if type(spans) ~= "table" then check.argerr(3, "annotate", "table", spans) end
  if opts ~= nil and type(opts) ~= "table" then check.argerr(4, "annotate", "table or nil", opts) end
  local n = #spans
  if n > span_cap then
    while span_cap < n do span_cap = span_cap * 2 end
    spans_buf = ffi.new("lector_span[?]", span_cap)
  end
  local buf = spans_buf
  -- attrs table -> its JSON (kept alive until the call)
  local anchors = profile.on and encode_attrs(spans, n) or {}
  for i = 1, n do
    fill(buf[i - 1], i, spans[i], anchors)
  end
  local run_id = opts and opts.run and opts.run.id or current_run(self, st)
  -- One call stores the spans, and the labels and entities they name,
  -- all or nothing (inside the caller's transaction without a savepoint:
  -- the core undoes a failed batch itself).
  local rc
  if profile.on then
    rc = profile.time("sqlite.annotate", C.lector_store_annotate, st, doc_id, layer, #layer, buf, n, run_id)
  else
    rc = C.lector_store_annotate(st, doc_id, layer, #layer, buf, n, run_id)
  end
  local _ = anchors
  check_rc(st, rc)
  return n
end

-- Spans packed for the store (store.packed, db:_annotate_packed,
-- db:_annotate_batches), and JSON text of annotations between tag -j N's
-- workers and writer (store.spans_json, db:annotate_json).
local encode_later = require("lector.store_packed").extend(M, Db, { live = live, check_rc = check_rc,
  current_run = current_run, fill = fill, put_lean = put_lean })
require("lector.store_json").extend(M, Db, { live = live, check_rc = check_rc, current_run = current_run,
  encode_later = encode_later, bare = bare })

--- Deletes what recipe runs other than run wrote in the given layers of
-- document doc_id (annotations of scripts and SQL, whose run has no
-- recipe, stay): a recipe run that writes a layer replaces it. doc_id may
-- be an array of ids (one statement for them all). Returns the number of
-- annotations deleted.
local clear_of

function Db:clear_layers(doc_id, layers, run)
  live(self, "clear_layers")
  if type(doc_id) == "table" then
    local total = 0
    for i = 1, #doc_id, 256 do
      local ids = { unpack(doc_id, i, math.min(i + 255, #doc_id)) }
      for _, id in ipairs(ids) do
        if type(id) ~= "number" then check.argerr(1, "clear_layers", "number or array of numbers", id) end
      end
      total = total + clear_of(self, ids, layers, run)
    end
    return total
  end
  if type(doc_id) ~= "number" then check.argerr(1, "clear_layers", "number", doc_id) end
  local n = clear_of(self, { doc_id }, layers, run) -- not a tail call: clear_of's errors count this frame
  return n
end

-- Misuse found here is raised at level 3, the caller of clear_layers.
clear_of = function(self, ids, layers, run)
  if type(layers) ~= "table" then check.argerr(2, "clear_layers", "table of layer names", layers, 3) end
  if #layers == 0 then return 0 end
  local marks = {}
  for i = 1, #layers do
    if type(layers[i]) ~= "string" then check.argerr(2, "clear_layers", "table of strings", layers[i], 3) end
    marks[i] = "?"
  end
  local run_id = type(run) == "table" and run.id or run or -1
  local args, qs = {}, {}
  for i = 1, #ids do
    args[i] = ids[i]
    qs[i] = "?"
  end
  for i = 1, #layers do args[#args + 1] = layers[i] end
  args[#args + 1] = run_id
  local t0 = profile.on and profile.clock()
  -- The unary + keeps SQLite on the documents' index: for a long list of
  -- ids it took the labels' one and went through every annotation of the
  -- layers, for each group of tag -j N's writer (a quarter of its time).
  self:query("DELETE FROM annotation_rows WHERE doc_id IN (" .. table.concat(qs, ",") .. ") AND +label_id IN " ..
    "(SELECT id FROM labels WHERE layer IN (" .. table.concat(marks, ",") .. ")) " ..
    "AND +run_id IN (SELECT id FROM runs WHERE recipe IS NOT NULL AND id <> ?)",
    unpack(args, 1, #args))
  local n = self:value("SELECT changes()")
  if t0 then profile.add("sqlite.clear", profile.clock() - t0) end
  return n
end

local meta_fields = { "title", "author", "outlet", "published" }

--- Sets the metadata fields of document id that d gives (title, author,
-- outlet, published; meta keys, a table or JSON text, are merged in) where they differ from the
-- stored ones; the text never changes. Returns true when a field changed.
function Db:update_metadata(id, d)
  live(self, "update_metadata")
  if type(id) ~= "number" then check.argerr(1, "update_metadata", "number", id) end
  if type(d) ~= "table" then check.argerr(2, "update_metadata", "table", d) end
  -- column = its new value, and the condition that it changes
  local sets, conds, vals = {}, {}, {}
  local function set(col, expr, v)
    sets[#sets + 1] = col .. " = " .. expr
    conds[#conds + 1] = col .. " IS NOT " .. expr
    vals[#vals + 1] = v
  end
  for _, f in ipairs(meta_fields) do
    local v = d[f]
    if v ~= nil then
      if type(v) ~= "string" then
        check.argmsg(2, "update_metadata", string.format("field '%s': string expected, got %s", f, type(v)))
      end
      set(f, "?", v)
    end
  end
  local meta = d.meta
  if type(meta) == "table" and next(meta) ~= nil then meta = json.encode_sorted(meta) end
  -- a JSON string as db:add takes it (a -j N worker encoded it)
  if type(meta) == "string" and meta ~= "{}" then set("meta", "json_patch(meta, ?)", meta) end
  if #sets == 0 then return false end
  local n, args = #vals, {}
  for k = 1, n do args[k], args[n + k] = vals[k], vals[k] end
  args[2 * n + 1] = id
  self:query("UPDATE documents SET " .. table.concat(sets, ", ") .. " WHERE (" ..
    table.concat(conds, " OR ") .. ") AND id = ?", unpack(args, 1, 2 * n + 1))
  return self:value("SELECT changes()") > 0
end

local function decode_ann(self, row)
  if type(row.start_byte) ~= "number" or type(row.end_byte) ~= "number" then
    raise_damaged(self.path, string.format("annotation %s has no start_byte or end_byte", tostring(row.id)))
  end
  row.start, row.stop = row.start_byte + 1, row.end_byte
  if row.attrs then row.attrs = json.decode(row.attrs) or row.attrs end
end

local ann_filters = {
  { "layer", "a.layer = ?" }, { "label", "a.label = ?" }, { "entity", "a.entity = ?" },
  { "doc", "a.doc_id = ?" }, { "run", "a.run_id = ?" },
}

--- Iterates annotations in document and position order, as rows with
-- start/stop (1-based) beside start_byte/end_byte and attrs decoded;
-- text = true adds each span's text.
function Db:annotations(opts)
  local st = live(self, "annotations")
  if opts ~= nil and type(opts) ~= "table" then check.argerr(1, "annotations", "table or nil", opts) end
  opts = opts or {}
  local sql = "SELECT a.id, a.doc_id, a.layer, a.label, a.entity, a.start_byte, a.end_byte, a.attrs, a.run_id"
  if opts.text then
    sql = sql .. ", substr(CAST(d.text AS BLOB), a.start_byte + 1, a.end_byte - a.start_byte) AS text" ..
          " FROM annotations a JOIN documents d ON d.id = a.doc_id"
  else
    sql = sql .. " FROM annotations a"
  end
  local args
  sql, args = filtered(sql, ann_filters, opts, "a.doc_id, a.start_byte, a.id", true)
  local s = prepare(self, st, sql, "annotations")
  bind(s, "annotations", #args, unpack(args, 1, #args))
  return iterate(self, s, "annotations", function(row) decode_ann(self, row) end)
end

--- Adds an entity to the catalogue, or updates its type and attrs.
function Db:entity(e)
  local st = live(self, "entity")
  if type(e) ~= "table" then check.argerr(1, "entity", "table", e) end
  local key, etype, attrs = e.key, e.type, e.attrs
  if type(key) ~= "string" or key == "" then
    check.argmsg(1, "entity", "field 'key': non-empty string expected")
  end
  etype = optstr(etype, 1, "entity", "type")
  if type(attrs) == "table" then attrs = json.encode(attrs) end
  attrs = optstr(attrs, 1, "entity", "attrs")
  check_rc(st, C.lector_store_entity(st, key, #key, etype, etype and #etype or 0,
                                  attrs, attrs and #attrs or 0, 1))
end

---------------------------------------------------------------------------
-- search and summary

local plain_query = require "lector.fts_query"
M.plain_query = plain_query

--- Full-text search over titles and texts, best first, with a snippet of
-- context around the hits ([...] marks them). q is plain words unless
-- opts.raw, when it is FTS5 query syntax (OR, NEAR, prefix*, title:...).
-- Only the latest version of each document unless opts.all_versions.
function Db:search(q, opts)
  local st = live(self, "search")
  if type(q) ~= "string" then check.argerr(1, "search", "string", q) end
  if opts ~= nil and type(opts) ~= "table" then check.argerr(2, "search", "table or nil", opts) end
  opts = opts or {}
  local match = opts.raw and q or plain_query(q)
  if match == "" then return {} end
  local s = prepare(self, st,
    "SELECT d.id, d.uri, d.title, snippet(documents_fts, 1, ?, ?, '…', ?) AS snippet, " ..
    "bm25(documents_fts) AS rank FROM documents_fts JOIN " ..
    (opts.all_versions and "documents" or "current_documents") .. " d ON d.id = documents_fts.rowid " ..
    "WHERE documents_fts MATCH ? ORDER BY rank LIMIT ?", "search")
  bind(s, "search", 5, opts.before or "[", opts.after or "]", opts.words or 12, match, opts.limit or 20)
  local out = {}
  for row in iterate(self, s, "search") do out[#out + 1] = row end
  return out
end

function Db:stats()
  local st = live(self, "stats")
  local _ = st
  local r = self:query([[SELECT
    (SELECT count(*) FROM current_documents) AS documents,
    (SELECT count(*) FROM documents) AS versions,
    (SELECT count(*) FROM annotation_rows) AS annotations,
    (SELECT count(*) FROM entities) AS entities,
    (SELECT count(*) FROM runs) AS runs,
    (SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()) AS bytes]])
  return r[1]
end

--- The SHA-256 of s in hex: what documents.hash holds for a text.
function M.sha256(s)
  if type(s) ~= "string" then check.argerr(1, "sha256", "string", s) end
  local out = ffi.new("char[65]")
  C.lector_store_sha256(s, #s, out)
  return ffi.string(out, 64)
end

M.SCHEMA_VERSION = C.LECTOR_STORE_SCHEMA

return M
