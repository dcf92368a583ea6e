-- lector.shares: the inputs of a file recipe (ingest, stats, entities)
-- dealt out to -j N workers that read them themselves. This process only
-- cuts the inputs into shares (a few files, or a range of a JSON-lines
-- file's bytes that starts and ends at a line break) and sends each as
-- one small JSON line; a worker (the same recipe with --shares) reads,
-- decodes and prepares the share's documents and answers with one JSON
-- line, {"k": K, ...}, which this process hands back in input order.
--
--   local results, close = shares.open { list = P.inputs(paths, opts), jobs = 2,
--                                        argv = P.worker_argv("stats", { "--shares" }) }
--   local ok, err = pcall(function() for rec, share in results do ... end end)
--   close()
local check = require "lector.check"
local fs = require "lector.fs"
local json = require "lector.json"

local M = {}

--- The option a recipe adds for its workers.
M.option = { name = "shares", type = "boolean", default = false,
  help = "read shares of the inputs named by the JSON lines on stdin, one answer line each (how -j N workers read)" }

-- About eight shares a worker, of 64 KiB to 1 MiB: enough for the free
-- worker to take more, few enough that a share's line costs nothing.
local function share_size(list, jobs)
  return math.max(65536, math.min(1048576, math.floor((list.bytes or 0) / (jobs * 8))))
end

-- The shares of a JSON-lines input: {path, jsonl, from, to, line} for a
-- file (bytes [from, to), its first line's number), {path = "-", data,
-- line} for standard input, which only this process can read; each has
-- .lines, the number of lines it holds. A file that cannot be opened is
-- one share, for the worker to report as one process would.
local function jsonl_shares(inp, size, yield)
  -- A FIFO or device named as an input is read once, here, like stdin.
  local st = inp.path ~= "-" and fs.stat(inp.path)
  local stdin = inp.path == "-" or (st and st.kind ~= "file")
  local f
  if inp.path == "-" then f = io.stdin else f = io.open(inp.path, "rb") end
  if not f then return yield({ path = inp.path, jsonl = true }, 0) end
  -- A file's bytes are only looked at, for line breaks: what follows the
  -- last one of a block (rest bytes, which hold none) starts the next
  -- share. Standard input's are kept (carry) and sent.
  local from, line, rest, carry = 0, 1, 0, ""
  while true do
    local block = f:read(size)
    local cut -- the share ends after byte cut of block
    if block then
      for i = #block, 1, -1 do
        if block:byte(i) == 10 then
          cut = i
          break
        end
      end
    elseif rest > 0 then
      block, cut = "", 0
    else
      break
    end
    if cut then
      local lines, p = 0, 1
      while true do
        local q = block:find("\n", p, true)
        if not q or q > cut then break end
        lines, p = lines + 1, q + 1
      end
      local n = rest + cut
      -- a last line without its line break
      if #block == 0 then lines = 1 end
      local share = { path = inp.path, jsonl = true, line = line, lines = lines }
      if stdin then share.data = carry .. block:sub(1, cut) else share.from, share.to = from, from + n end
      yield(share, n)
      line, from, rest = line + lines, from + n, #block - cut
      if stdin then carry = block:sub(cut + 1) end
    else
      rest = rest + #block
      if stdin then carry = carry .. block end
    end
    if #block == 0 then break end
  end
  if f ~= io.stdin then f:close() end
end

--- The shares of list (lector.pipeline.inputs): arrays of inputs as
-- lector.read.documents reads them, in input order, each about size
-- bytes (default: what suits jobs workers). An iterator.
function M.split(list, jobs, size)
  size = size or share_size(list, jobs or 1)
  return coroutine.wrap(function()
    local cur, bytes = {}, 0
    local function add(inp, n)
      cur[#cur + 1] = inp
      bytes = bytes + n
      -- (a JSON-lines share ends at a line break a little short of size)
      if bytes * 2 >= size or #cur >= 64 then
        coroutine.yield(cur)
        cur, bytes = {}, 0
      end
    end
    for _, inp in ipairs(list) do
      if inp.jsonl and not inp.error then
        jsonl_shares(inp, size, add)
      else
        add({ path = inp.path, jsonl = inp.jsonl, error = inp.error, size = inp.size, lines = 1 }, inp.size or 0)
      end
    end
    if #cur > 0 then coroutine.yield(cur) end
  end)
end

--- What a share holds, for messages: "docs.jsonl, lines 1201-1400" or
-- "a.txt, b.txt, c.txt and 3 more".
function M.describe(share)
  local out = {}
  for i, inp in ipairs(share) do
    if i > 3 then
      out[#out] = out[#out] .. string.format(" and %d more", #share - 3)
      break
    end
    local name = inp.path == "-" and "standard input" or inp.path
    if inp.line then
      name = string.format("%s, lines %d-%d", name, inp.line, inp.line + math.max(inp.lines - 1, 0))
    end
    out[#out + 1] = name
  end
  return #out > 0 and table.concat(out, "; ") or "an empty share"
end

--- The bytes of a share's inputs (for a progress bar).
function M.bytes(share)
  local n = 0
  for _, inp in ipairs(share) do n = n + (inp.to and inp.to - inp.from or inp.data and #inp.data or inp.size or 0) end
  return n
end

--- A document's meta as the JSON text the store would make of it (what
-- db:add and db:update_metadata take): a worker sends it so, and the
-- writer stores it without decoding and encoding it again.
function M.meta_json(meta)
  if type(meta) ~= "table" then return meta end
  return next(meta) == nil and "{}" or json.encode_sorted(meta)
end

--- Hands long strings to the writer around the pipe: with shares.open's
-- spill, each share line names a file (its `out`), and a worker writes
-- there the field of each item of items (an array of tables) that has
-- it, one after another, leaving in its place the number of its bytes
-- (field .. "_bytes"); M.unspill puts them back. field: a name, or an
-- array of names (each item's, in that order). The writer then reads
-- each text once, straight into its string, where in the answer's JSON
-- line it was escaped, then read from the pipe in pieces, joined and
-- decoded: a tenth of ingest -j N's writer (RESULTS.md, par8). The file
-- is closed before the answer is written, so it is whole when the
-- answer comes.
-- Calls fn(item, name) for each item of items and each name of field
-- (a name or an array of names), in the order M.spill writes them.
local function each_field(items, field, fn)
  local fields = type(field) == "table" and field or { field }
  for _, it in ipairs(items) do
    for _, name in ipairs(fields) do fn(it, name) end
  end
end

function M.spill(out, items, field)
  if out == nil then return end
  local f, err = io.open(out, "wb")
  if not f then error("--shares: " .. tostring(err), 0) end
  each_field(items, field, function(it, name)
    local v = it[name]
    if type(v) ~= "string" then return end
    local ok, werr = f:write(v)
    if not ok then
      f:close()
      error("--shares: " .. out .. ": " .. tostring(werr), 0)
    end
    it[name], it[name .. "_bytes"] = nil, #v
  end)
  local ok, cerr = f:close()
  if not ok then error("--shares: " .. out .. ": " .. tostring(cerr), 0) end
end

--- The writer's side of M.spill: reads the strings of items back from
-- share.out (items as the answer brings them) and removes the file.
-- Raises when the file holds fewer or more bytes than the answer says.
function M.unspill(share, items, field)
  local out = share.out
  if out == nil then return end
  local f, err = io.open(out, "rb")
  if not f then error("a worker's answer has no texts: " .. tostring(err), 0) end
  each_field(items, field, function(it, name)
    local bytes = name .. "_bytes"
    local n = type(it) == "table" and it[bytes]
    if n == nil then return end
    local v = type(n) == "number" and n >= 0 and (n == 0 and "" or f:read(n))
    if not v or #v ~= n then
      f:close()
      error("a worker's answer has fewer bytes of text than it says, for " .. M.describe(share), 0)
    end
    it[name], it[bytes] = v, nil
  end)
  local extra = f:read(1)
  f:close()
  os.remove(out)
  if extra then error("a worker's answer has more bytes of text than it says, for " .. M.describe(share), 0) end
end

--- The command line of a worker: this lector binary running recipe
-- with --shares, then args.
function M.argv(recipe, args)
  return require("lector.pipeline").worker_argv(recipe, args, "--shares")
end

--- A worker's loop (a recipe run with --shares): for each share named on
-- standard input, calls each(k, documents), documents iterating the
-- share's documents as lector.pipeline.read gives them (read_opts), and
-- writes the table each returns as the share's answer line (its k added).
-- each's third argument: the file the share's long strings go to
-- (M.spill), when the writer asked for one.
function M.serve(read_opts, each)
  local P = require "lector.pipeline"
  for line in io.stdin:lines() do
    local share, err = json.decode(line)
    if type(share) ~= "table" or type(share.inputs) ~= "table" or type(share.k) ~= "number" then
      error("--shares: a line that is not a share: " .. (err or line:sub(1, 80)), 0)
    end
    local list = { resolved = true }
    for i, inp in ipairs(share.inputs) do list[i] = inp end
    if share.out ~= nil and type(share.out) ~= "string" then
      error("--shares: a share's out is not a path: " .. line:sub(1, 80), 0)
    end
    local answer = each(share.k, P.read(list, read_opts), share.out) or {}
    answer.k = share.k
    io.stdout:write(json.encode(answer), "\n")
    io.stdout:flush()
  end
end

-- A new empty file in $TMPDIR (else /tmp), lector-shares-XXXXXX, for
-- the shares' files (base.K) to be named after.
local function temp_base()
  local path, err = require("lector.fs").temp_file("lector-shares")
  if not path then check.fail(err) end
  return path
end

--- Starts spec.jobs workers (spec.argv: a recipe with --shares) on the
-- shares of spec.list (M.split) and returns an iterator of their answers
-- (decoded), with the share, in input order, and a function that stops the
-- workers. A line a worker writes without k goes to spec.other(rec).
-- The iterator raises when a worker fails, naming what it was reading.
-- spec.spill: each share names a file for the worker's long strings
-- (share.out, see M.spill), in a place of this process's making; the
-- function that stops the workers removes what is left of them.
function M.open(spec)
  if type(spec) ~= "table" then check.argerr(1, "open", "table", spec) end
  local base = spec.spill and temp_base()
  local pool = require("lector.proc").pool(spec.argv, spec.jobs)
  local shares = M.split(spec.list, spec.jobs, spec.size)
  local sent, inflight, answers, nextk = 0, {}, {}, 1
  local of_worker = {} -- worker -> the ks it has not answered, oldest first
  local function input()
    local share = shares()
    if share == nil then return nil end
    sent = sent + 1
    inflight[sent] = share
    if base then share.out = base .. "." .. sent end
    local inputs = {}
    for i, inp in ipairs(share) do
      inputs[i] = { path = inp.path, jsonl = inp.jsonl, error = inp.error, from = inp.from, to = inp.to,
                    line = inp.line, data = inp.data }
    end
    return json.encode { k = sent, inputs = inputs, out = share.out }
  end
  local function on_send(_, w)
    local q = of_worker[w] or {}
    of_worker[w] = q
    q[#q + 1] = sent
  end
  -- Answers wait here for an earlier one; past a few per worker, no more
  -- shares go out until it comes.
  local limit = 4 * spec.jobs
  local lines = pool:lines(input, { window = 2, on_send = on_send,
                                    hold = function() return sent - nextk >= limit end })
  local finished = false
  local function results()
    while true do
      local rec = answers[nextk]
      if rec then
        local share = inflight[nextk]
        answers[nextk], inflight[nextk] = nil, nil
        nextk = nextk + 1
        return rec, share
      end
      if finished then
        if inflight[nextk] then error("no worker answered for " .. M.describe(inflight[nextk]), 0) end
        return nil
      end
      local ok, line, w = pcall(lines)
      if not ok then
        local q = pool.failed and of_worker[pool.failed]
        local k = q and q[1]
        error(line .. (k and inflight[k] and (" while reading " .. M.describe(inflight[k])) or ""), 0)
      end
      if line == nil then
        finished = true
      else
        local got, err = json.decode(line)
        if type(got) ~= "table" then
          error("a worker wrote a line that is not JSON: " .. (err or line:sub(1, 80)), 0)
        end
        if got.k == nil then
          if not spec.other then error("a worker wrote a line that answers no share: " .. line:sub(1, 80), 0) end
          spec.other(got)
        else
          if type(got.k) ~= "number" or not inflight[got.k] or answers[got.k] then
            error("a worker wrote a line that answers no share it was given: " .. line:sub(1, 80), 0)
          end
          table.remove(of_worker[w], 1)
          answers[got.k] = got
        end
      end
    end
  end
  return results, function()
    pool:close()
    if base then
      for k = 1, sent do os.remove(base .. "." .. k) end
      os.remove(base)
    end
  end
end

return M
