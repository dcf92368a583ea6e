-- Issue 20: the pieces of -j N and --stream — worker pools (lector.proc),
-- the checks ingest makes on a line's annotations and run, one-letter
-- recipe options.
local T = require "testlib"
local lector = require "lector"
local P = lector.pipeline
local proc = require "lector.proc"
local json = require "lector.json"
local recipes = lector.recipes

T.case("parallel-1.1 a pool answers every line once", function()
  local pool = proc.pool({ "sh", "-c", "while read l; do echo \"$l!\"; done" }, 2)
  local i, seen, by = 0, {}, {}
  for line, w in pool:lines(function()
    i = i + 1
    if i <= 2000 then return "line " .. i end
  end) do
    seen[line] = (seen[line] or 0) + 1
    by[w] = true
  end
  local n = 0
  for _, c in pairs(seen) do
    n = n + 1
    T.eq(c, 1)
  end
  T.eq(n, 2000)
  T.ok(seen["line 1!"] and seen["line 2000!"])
  T.ok(by[1] or by[2])
end)

T.case("parallel-1.2 a long line crosses the pipes whole", function()
  local big = string.rep("abcdefgh", 200000) -- 1.6 MB, many reads and writes
  local pool = proc.pool({ "cat" }, 1)
  local got = {}
  local sent = false
  for line in pool:lines(function()
    if sent then return nil end
    sent = true
    return big
  end) do got[#got + 1] = line end
  T.eq(#got, 1)
  T.ok(got[1] == big)
end)

T.case("parallel-1.3 a worker that fails stops the pool with its exit code", function()
  local pool = proc.pool({ "sh", "-c", "read l; exit 4" }, 2)
  T.raises("failed (exit code 4)", function()
    for _ in pool:lines(function() return "x" end) do end
  end)
  T.raises("cannot start", proc.pool, { "/nonexistent/worker" }, 1)
  T.raises("bad argument #2 to 'pool'", proc.pool, { "cat" }, 0)
  T.ok(proc.cpu_count() >= 1)
end)

T.case("parallel-1.4 batches, a window that narrows, workers reaped after their output ends", function()
  -- A worker never has more than the window's lines unanswered, and gets
  -- them in one batch (the first write fills the window).
  local pool = proc.pool({ "sh", "-c", "while read l; do echo \"$l\"; done" }, 2)
  local i, got, calls = 0, 0, 0
  local ahead, most = { 0, 0 }, 0
  local function window()
    calls = calls + 1
    return 3
  end
  local function on_send(_, w)
    ahead[w] = ahead[w] + 1
    if ahead[w] > most then most = ahead[w] end
  end
  for _, w in pool:lines(function()
    i = i + 1
    if i <= 500 then return tostring(i) end
  end, { window = window, on_send = on_send }) do
    got = got + 1
    ahead[w] = ahead[w] - 1
  end
  T.eq(got, 500)
  T.eq(most, 3)
  T.ok(calls > 1)
  -- Output ended, then an exit code: with reap_later the lines are all
  -- read first, and finish says how the worker ended.
  pool = proc.pool({ "sh", "-c", "while read l; do echo \"$l\"; done; exec 1>&-; sleep 0.2; exit 3" }, 1)
  local sent, lines = 0, {}
  for line in pool:lines(function()
    sent = sent + 1
    if sent <= 3 then return "l" .. sent end
  end, { reap_later = true }) do lines[#lines + 1] = line end
  T.eq(#lines, 3)
  T.raises("failed (exit code 3)", pool.finish, pool)
  pool = proc.pool({ "sh", "-c", "while read l; do echo \"$l\"; done; exec 1>&-; sleep 0.1" }, 2)
  sent = 0
  for _ in pool:lines(function()
    sent = sent + 1
    if sent <= 3 then return "l" .. sent end
  end, { reap_later = true }) do end
  pool:finish() -- both exited 0
  T.ok(pool.closed)
end)

-- A pool of one slow worker over n lines with opts raises msg and is closed.
local function stops_with(msg, n, opts)
  local pool = proc.pool({ "sh", "-c", "while read l; do sleep 0.05; echo \"$l\"; done" }, 1)
  local i = 0
  T.raises(msg, function()
    for _ in pool:lines(function()
      i = i + 1
      if i <= n then return "l" .. i end
    end, opts) do end
  end)
  T.ok(pool.closed)
end

T.case("parallel-1.5 this process answers lines itself while no worker has one (idle)", function()
  -- A slow worker: this process takes most lines, the worker some; each
  -- line is answered once, this process's as worker 0.
  local pool = proc.pool({ "sh", "-c", "while read l; do sleep 0.01; echo \"$l!\"; done" }, 1)
  local i, seen, by, sent0 = 0, {}, { [0] = 0, [1] = 0 }, 0
  for line, w in pool:lines(function()
    i = i + 1
    if i <= 300 then return "line " .. i end
  end, { window = 2, one_answer = true, idle = function(l) return l .. "?" end,
         on_send = function(_, w) if w == 0 then sent0 = sent0 + 1 end end }) do
    local key = line:gsub("[!?]$", "")
    T.eq(seen[key], nil)
    seen[key] = true
    T.eq(line:sub(-1), w == 0 and "?" or "!")
    by[w] = by[w] + 1
  end
  T.eq(by[0] + by[1], 300)
  T.ok(by[0] > 0 and by[1] > 0, "both answered some: " .. by[0] .. " and " .. by[1])
  T.eq(sent0, by[0])
  -- An error in idle stops the pool and is raised as it is.
  stops_with("no answer for l", 50, { window = 1, idle = function(l) error("no answer for " .. l, 0) end })
end)

T.case("parallel-1.5b wait: called once the input has ended, before each wait for the workers", function()
  local pool = proc.pool({ "sh", "-c", "while read l; do sleep 0.02; echo \"$l!\"; done" }, 1)
  local i, ended, waits_before_end, waits, got = 0, false, 0, 0, 0
  for _ in pool:lines(function()
    i = i + 1
    if i <= 5 then return "line " .. i end
    ended = true
  end, { window = 5, wait = function()
    if ended then waits = waits + 1 else waits_before_end = waits_before_end + 1 end
  end }) do
    got = got + 1
  end
  T.eq(got, 5)
  T.eq(waits_before_end, 0)
  T.ok(waits >= 1, "waited for the answers after the input ended: " .. waits)
  -- an error in wait stops the pool and is raised as it is
  stops_with("cannot store", 2, { wait = function() error("cannot store", 0) end })
end)

T.case("parallel-1.6 one_answer: a worker that exits 0 owing answers fails", function()
  -- It reads two lines, answers one and ends well.
  local pool = proc.pool({ "sh", "-c", "read a; read b; echo \"$a\"" }, 1)
  local i = 0
  T.raises("ended without answering 1 lines", function()
    for _ in pool:lines(function()
      i = i + 1
      if i <= 2 then return "l" .. i end
    end, { window = 2, one_answer = true }) do end
  end)
  -- Without one_answer that is how a worker may end (answers are the caller's business).
  pool = proc.pool({ "sh", "-c", "read a; read b; echo \"$a\"" }, 1)
  i = 0
  local n = 0
  for _ in pool:lines(function()
    i = i + 1
    if i <= 2 then return "l" .. i end
  end, { window = 2 }) do n = n + 1 end
  T.eq(n, 1)
end)

T.case("parallel-2.1 annotations are checked against the text", function()
  local by, order = P.check_annotations({
    { layer = "entity", start_byte = 0, end_byte = 3, label = "PLACE", entity = "Abc", attrs = { n = 1 } },
    { layer = "hedge", start_byte = 1, end_byte = 2, label = json.null },
    { layer = "entity", start_byte = 3, end_byte = 3 },
  }, 3)
  T.eq(order, { "entity", "hedge" })
  T.eq(#by.entity, 2)
  T.eq(by.hedge[1].label, nil)
  local function bad(anns, want) T.eq(select(2, P.check_annotations(anns, 3)), want) end
  bad({ { layer = "e", start_byte = 0, end_byte = 4 } },
    "annotation 1: bytes 0 to 4 are not inside the text (3 bytes)")
  bad({ { layer = "e", start_byte = 2, end_byte = 1 } },
    "annotation 1: bytes 2 to 1 are not inside the text (3 bytes)")
  bad({ { layer = "e", start_byte = "0", end_byte = 1 } },
    "annotation 1: start_byte and end_byte must be integers")
  bad({ { layer = "e", start_byte = -1, end_byte = 1 } },
    "annotation 1: start_byte and end_byte must be integers")
  bad({ { start_byte = 0, end_byte = 1 } }, "annotation 1: layer: a non-empty string expected")
  bad({ { layer = "e", start_byte = 0, end_byte = 1, attrs = "x" } }, "annotation 1: attrs: an object expected")
  bad("x", "annotations: an array expected")
end)

T.case("parallel-2.2 one run, whatever the key order its writers used", function()
  local a = json.decode('{"name":"tag","recipe":"tag","version":"0.1.0","options":{"x":1,"y":[1,2]},"layers":["e"]}')
  local b = json.decode('{"layers":["e"],"options":{"y":[1,2],"x":1},"version":"0.1.0","name":"tag","recipe":"tag"}')
  T.eq(P.check_run(a), P.check_run(b))
  local c = json.decode('{"name":"tag","recipe":"tag","version":"0.1.0","options":{"x":2},"layers":["e"]}')
  T.ok(P.check_run(a) ~= P.check_run(c))
  T.eq(select(2, P.check_run({ recipe = "tag" })), "run: name: a non-empty string expected")
  T.eq(select(2, P.check_run({ name = "t", layers = { 1 } })), "run: layers: an array of strings expected")
  local info = P.run_info("tag", { gazetteer = "g.tsv" }, { "source", "entity" })
  T.eq(info.layers, { "entity", "source" })
  T.eq(info.version, lector.version)
end)

T.case("parallel-3.1 one-letter options: -j 2, -j2, --jobs", function()
  local r = recipes.load("tag")
  T.eq(recipes.parse(r, { "-j", "2", "--db", "x" }).jobs, 2)
  T.eq(recipes.parse(r, { "-j0", "--db", "x" }).jobs, 0)
  T.eq(recipes.parse(r, { "--jobs=3", "--db", "x" }).jobs, 3)
  T.eq(recipes.parse(r, { "--db", "x" }).jobs, 1)
  T.raises("out of range", recipes.parse, r, { "-j", "65" })
  T.raises("unknown option -q", recipes.parse, r, { "-q" })
  T.ok(recipes.usage(r):find("--jobs INTEGER, -j", 1, true))
end)

T.case("parallel-4.1 clear_layers takes an array of documents", function()
  local path = os.tmpname()
  local db = lector.store.open(path)
  local a = db:add { uri = "a", text = "Aleppo" }
  local b = db:add { uri = "b", text = "Raqqa" }
  local c = db:add { uri = "c", text = "Homs" }
  local old = db:begin_run("tag", {}, { recipe = true })
  for _, id in ipairs { a, b, c } do db:annotate(id, "entity", { { start = 1, stop = 4 } }, { run = old }) end
  old:finish()
  local new = db:begin_run("tag", {}, { recipe = true })
  T.eq(db:clear_layers({ a, b }, { "entity" }, new), 2)
  T.eq(db:value("SELECT count(*) FROM annotations WHERE doc_id = ?", c), 1)
  T.eq(db:clear_layers({}, { "entity" }, new), 0)
  T.raises("bad argument #1 to 'clear_layers'", db.clear_layers, db, { "x" }, { "entity" }, new)
  new:finish()
  db:close()
  for _, s in ipairs { "", "-wal", "-shm" } do os.remove(path .. s) end
end)

-- The documents of a JSON-lines file read whole, and read share by share
-- (lector.shares, as -j N workers read them), as comparable strings.
local function read_all(list, opts)
  local out = {}
  for d in P.read(list, opts) do
    out[#out + 1] = table.concat({ tostring(d.uri), tostring(d.where), tostring(d.text), tostring(d.error) }, "|")
  end
  return out
end

T.case("parallel-5.1 shares of a JSON-lines file read as the file does", function()
  local shares = require "lector.shares"
  local path = os.tmpname()
  local f = assert(io.open(path, "wb"))
  -- a byte order mark, blank lines, bad lines, a line longer than a
  -- share, lines without uri (named by their line number), no final "\n"
  f:write("\239\187\191", json.encode { uri = "a", text = "Aleppo" }, "\n\n")
  for i = 1, 200 do
    if i % 50 == 0 then f:write("not json\n") end
    if i % 7 == 0 then f:write("   \n") end
    f:write(json.encode { text = string.rep("word ", i % 13 + 1) .. i }, "\n")
  end
  f:write(json.encode { uri = "long", text = string.rep("x", 5000) }, "\n")
  f:write(json.encode { uri = "last", text = "Raqqa" })
  f:close()
  local list = P.inputs({ path }, { jsonl = true })
  local whole = read_all(list, {})
  for _, size in ipairs { 100, 1000, 2 ^ 30 } do
    local got, n = {}, 0
    for share in shares.split(list, 2, size) do
      n = n + 1
      -- as it crosses the pipe
      local sent = json.decode(json.encode(share))
      sent.resolved = true
      for _, s in ipairs(read_all(sent, {})) do got[#got + 1] = s end
    end
    T.eq(#got, #whole)
    for i = 1, #whole do T.eq(got[i], whole[i]) end
    T.ok(size > 1e6 and n == 1 or n > 3)
  end
  T.ok(whole[1]:find("^a|"))
  T.ok(whole[2]:find("^" .. path:gsub("%p", "%%%0") .. ":3|", 1))
  os.remove(path)
end)

T.case("parallel-5.2 a share says what it holds", function()
  local shares = require "lector.shares"
  T.eq(shares.describe { { path = "d.jsonl", line = 11, lines = 10 } }, "d.jsonl, lines 11-20")
  T.eq(shares.describe { { path = "a" }, { path = "b" }, { path = "c" }, { path = "d" }, { path = "e" } },
    "a; b; c and 2 more")
  T.eq(shares.describe { { path = "-", line = 1, lines = 1, data = "{}\n" } }, "standard input, lines 1-1")
end)

T.case("parallel-5.3 add_many takes the hash a worker computed", function()
  local path = os.tmpname()
  local db = lector.store.open(path)
  local h = lector.store.sha256("Aleppo")
  local r = db:add_many { { uri = "a", text = "Aleppo", hash = h }, { uri = "b", text = "Raqqa" } }
  T.eq(db:value("SELECT hash FROM documents WHERE id = ?", r[1].id), h)
  T.eq(db:value("SELECT hash FROM documents WHERE id = ?", r[2].id), lector.store.sha256("Raqqa"))
  -- the same text under the same uri is the same document
  T.eq(db:add_many({ { uri = "a", text = "Aleppo", hash = h } })[1].is_new, false)
  T.raises("64 lowercase hex digits", db.add_many, db, { { uri = "c", text = "x", hash = "ABC" } })
  T.raises("64 lowercase hex digits", db.add, db, { uri = "c", text = "x", hash = h:upper() })
  db:close()
  for _, s in ipairs { "", "-wal", "-shm" } do os.remove(path .. s) end
end)

T.case("parallel-5.4 a worker's texts go around its answer line and come back the same", function()
  local shares = require "lector.shares"
  local out = os.tmpname()
  local texts = { "Aleppo\n", "", "caf\195\169 \0 \"quoted\"\n\n", string.rep("x", 70000) }
  local docs = {}
  for i, t in ipairs(texts) do docs[i] = { uri = "u" .. i, text = t } end
  docs[#docs + 1] = { where = "bad", error = "no text" }
  shares.spill(out, docs, "text")
  for i, t in ipairs(texts) do
    T.eq(docs[i].text, nil)
    T.eq(docs[i].text_bytes, #t)
  end
  T.eq(docs[5].text_bytes, nil)
  -- as the answer crosses the pipe
  local back = json.decode(json.encode { docs = docs }).docs
  shares.unspill({ out = out }, back, "text")
  for i, t in ipairs(texts) do
    T.eq(back[i].text, t)
    T.eq(back[i].text_bytes, nil)
  end
  T.eq(back[5].error, "no text")
  T.eq(io.open(out, "rb"), nil) -- removed once read
  -- an answer that says more or fewer bytes than the file holds
  for _, n in ipairs { 3, 1 } do
    shares.spill(out, { { text = "ab" } }, "text")
    T.raises("a worker's answer has " .. (n > 2 and "fewer" or "more") .. " bytes of text than it says",
      shares.unspill, { out = out }, { { text_bytes = n } }, "text")
  end
  os.remove(out)
  T.raises("a worker's answer has no texts", shares.unspill, { out = out }, { { text_bytes = 1 } }, "text")
  -- two fields an item, read back in the order written
  local two = { { text = "Homs", extra = "[1]" }, { text = "Hama" }, { extra = "" } }
  shares.spill(out, two, { "text", "extra" })
  T.eq(two[1].extra_bytes, 3)
  shares.unspill({ out = out }, two, { "text", "extra" })
  T.eq(two[1].text .. two[1].extra .. two[2].text .. two[3].extra, "Homs[1]Hama")
  T.eq(two[2].extra, nil)
  -- no file asked for: nothing moves
  local plain = { { text = "Homs" } }
  shares.spill(nil, plain, "text")
  shares.unspill({}, plain, "text")
  T.eq(plain[1].text, "Homs")
end)
