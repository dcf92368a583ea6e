-- ingest: files, directories and JSON lines into a corpus store.
--
-- Each document goes in with its metadata and its `meta` annotations in
-- the same transaction, so an interrupted run leaves only whole documents
-- and running it again completes it without duplicates.
local fs = require "lector.fs"
local read = require "lector.read"
local recipes = require "lector.recipes"
local store = require "lector.store"
local text_ = require "lector.text"

local R = {
  name = "ingest",
  summary = "store files, directories and JSON lines as documents in a corpus database",
  inputs = "FILES|DIRS|JSONL...",
  input_files = true,
  description = table.concat({
    "Directories are read recursively; *.jsonl and *.ndjson files (and - for",
    "standard input) hold one document per line: {\"text\": ..., \"uri\": ...,",
    "\"title\": ..., \"author\": ..., \"outlet\": ..., \"published\": ...}, other",
    "fields go to meta. The same uri with the same text is not added again;",
    "a changed text becomes a new version (uri#v2). Invalid UTF-8 is",
    "reported with its byte position and skipped unless --repair; UTF-16 is",
    "named as such and skipped. --from-encoding converts files (not JSON",
    "lines, which are UTF-8) from latin1, cp1252, utf-16 or another encoding",
    "iconv knows. Exit code 1 when any input was skipped, 2 when one named",
    "on the command line is missing or unreadable." }, "\n"),
  options = {
    { name = "db", type = "string", required = true, help = "the corpus database (created when missing)" },
    { name = "repair", type = "boolean", default = false,
      help = "replace invalid UTF-8 with U+FFFD (recorded in meta.utf8_repairs) instead of skipping" },
    { name = "jsonl", type = "boolean", default = false, help = "read every input file as JSON lines" },
    { name = "from-encoding", type = "string",
      help = "convert files from this encoding (latin1, cp1252, utf-16 ...) to UTF-8" },
    { name = "raw", type = "boolean", default = false,
      help = "store texts as they are, without pulling title/author/date from news headers" },
    { name = "busy-timeout", type = "integer", default = 5000,
      help = "milliseconds to wait while another process writes to the database" },
    { name = "progress", type = "choice", choices = { "auto", "always", "never" }, default = "auto",
      help = "a progress bar on stderr (auto: when stderr is a terminal and the input is over 20 MB or 2000 files)" },
    { name = "quiet", type = "boolean", default = false, help = "no summary on stdout" },
  },
}

local function stderr_is_tty()
  local ok = os.execute("test -t 2")
  return ok == 0 or ok == true
end

-- A progress line on stderr, redrawn at most every 0.2 s of CPU time.
local function progress(total_bytes, total_files)
  local last, done_bytes, done_files = -1, 0, 0
  local p = {}
  local function draw()
    local frac = total_bytes > 0 and done_bytes / total_bytes or done_files / math.max(total_files, 1)
    frac = math.min(frac, 1)
    local width = 30
    local fill = math.floor(frac * width + 0.5)
    io.stderr:write(string.format("\r  [%s%s] %3d%%  %d/%d files  %.1f MB ",
      string.rep("#", fill), string.rep(".", width - fill), math.floor(frac * 100),
      done_files, total_files, done_bytes / 1e6))
  end
  function p.step(bytes, file_done)
    done_bytes = done_bytes + bytes
    if file_done then done_files = done_files + 1 end
    local now = os.clock()
    if now - last >= 0.2 then last = now; draw() end
  end
  function p.done()
    done_bytes, done_files = total_bytes, total_files
    draw()
    io.stderr:write("\n")
  end
  return p
end

function R.run(opts, inputs)
  if #inputs == 0 then recipes.fail("ingest needs at least one file, directory or JSON-lines input", 2) end
  if opts["from-encoding"] then
    local eok, eerr = pcall(text_.from_encoding, "", opts["from-encoding"])
    if not eok then recipes.fail("option --from-encoding: " .. recipes.message(eerr), 2) end
  end
  local ok, db = pcall(store.open, opts.db, { busy_timeout = opts["busy-timeout"] })
  if not ok then recipes.fail(tostring(db), 1) end

  -- The database itself (and its -wal/-shm/-journal files) is never an
  -- input, even when it lies inside an input directory: ingesting
  -- corpus/ into corpus/corpus.db stored the database as a document.
  local own = {}
  for _, suffix in ipairs { "", "-wal", "-shm", "-journal" } do
    local st = fs.stat(opts.db .. suffix)
    if st then own[st.dev .. ":" .. st.ino] = true end
  end
  local list = { resolved = true }
  for _, inp in ipairs(read.inputs(inputs, { jsonl = opts.jsonl })) do
    local st = not inp.error and inp.path ~= "-" and fs.stat(inp.path)
    if not (st and own[st.dev .. ":" .. st.ino]) then list[#list + 1] = inp end
  end
  local total_bytes, total_files = 0, 0
  for _, inp in ipairs(list) do
    if not inp.error then total_bytes, total_files = total_bytes + (inp.size or 0), total_files + 1 end
  end
  local want_bar = opts.progress == "always" or opts.progress == "auto"
    and (total_bytes > 20e6 or total_files > 2000) and stderr_is_tty()
  local bar = want_bar and progress(total_bytes, total_files)

  local run = db:begin_run("ingest", { db = opts.db, inputs = inputs, repair = opts.repair,
                                       jsonl = opts.jsonl, raw = opts.raw })
  local n = { added = 0, updated = 0, unchanged = 0, skipped = 0, repaired = 0 }
  local function skip(where, why)
    n.skipped = n.skipped + 1
    io.stderr:write("lector: ", where, ": ", why, "\n")
  end

  -- An item as the document to add (with its header's meta spans), or
  -- nil when it is skipped.
  local function prepare(item)
    local text, meta = item.text, item.meta or {}
    local enc = opts["from-encoding"]
    if enc and not item.line then -- a file; a JSON-lines record is Unicode already
      local u, why = text_.from_encoding(text, enc)
      if not u then return skip(item.where, why) end
      text = u
    end
    local valid, pos = text_.valid(text)
    local why = text_.why_not_utf8(text)
    -- UTF-16 is never "repaired" into U+FFFD and NUL bytes: it is converted
    if why and (not opts.repair or not why:find("^invalid")) then
      return skip(item.where, why .. (why:find("^invalid") and "; --repair replaces it with U+FFFD"
        or "; --from-encoding utf-16 converts it"))
    end
    if not valid then
      local count
      text, count = text_.repair(text)
      meta.utf8_repairs = count
      meta.utf8_first_invalid_offset = pos - 1
      n.repaired = n.repaired + 1
    end
    local fields = item.fields or {}
    local m = (not opts.raw) and read.news_meta(text) or { spans = {} }
    if m.url and meta.url == nil then meta.url = m.url end
    return {
      uri = item.uri, text = text, meta = meta,
      title = fields.title or m.title, author = fields.author or m.author,
      outlet = fields.outlet or m.outlet, published = fields.published or m.published,
      spans = m.spans,
    }
  end

  -- Documents go to db:add_many in batches (of 64, or 8 MB of text): many
  -- to a statement, the full-text index takes them in bulk.
  local batch, batch_bytes = {}, 0
  local function flush()
    if #batch == 0 then return end
    for i, r in ipairs(db:add_many(batch)) do
      if not r.is_new then
        n.unchanged = n.unchanged + 1
      else
        if r.version > 1 then n.updated = n.updated + 1 else n.added = n.added + 1 end
        local spans = batch[i].spans
        if #spans > 0 then db:annotate(r.id, "meta", spans, { run = run }) end
      end
    end
    batch, batch_bytes = {}, 0
  end

  -- Documents go in groups, one transaction each (up to 512 documents or
  -- a quarter of a second, recipes.in_groups): a document and its
  -- annotations are always in the same transaction, so a crash leaves
  -- whole documents only, while the full-text index is flushed once per
  -- group instead of once per document.
  local function each(item)
    if item.error then
      skip(item.where, item.error)
    else
      local d = prepare(item)
      if d then
        batch[#batch + 1] = d
        batch_bytes = batch_bytes + #d.text
        if #batch == 64 or batch_bytes >= 8e6 then flush() end
      end
    end
    -- JSON lines count their bytes; a file counts once it is done.
    if bar then bar.step(item.text and #item.text or 0, not item.line) end
  end
  local okay, err = pcall(recipes.in_groups, db, read.documents(list), each,
                          { max = 512, before_commit = flush })
  if bar then bar.done() end
  if not okay then
    pcall(run.finish, run, "failed")
    db:close()
    if type(err) == "table" then error(err, 0) end
    recipes.fail(tostring(err), 1)
  end
  run:finish(n.skipped > 0 and "ok, with skipped inputs" or "ok")
  local st = db:stats()
  db:close()
  if not opts.quiet then
    io.stdout:write(string.format(
      "ingest: %d added, %d updated, %d unchanged, %d skipped%s -> %s (%s)\n",
      n.added, n.updated, n.unchanged, n.skipped,
      n.repaired > 0 and string.format(", %d repaired", n.repaired) or "", opts.db,
      recipes.count(st.documents, "document")))
  end
  return n.skipped > 0 and 1 or 0
end

return R
