-- stats: a first look at a pile of text files.
local P = require "lector.pipeline"
local shares = require "lector.shares"
local recipes = require "lector.recipes"
local token = require "lector.token"
local tty = require "lector.tty"

local R = {
  name = "stats",
  summary = "count documents, bytes, lines, tokens by kind, sentences and the most frequent words",
  inputs = "FILES|DIRS|JSONL...",
  input_files = true,
  options = P.with_options({
    { name = "top", type = "integer", default = 20, help = "how many frequent words to list" },
    { name = "format", type = "choice", choices = { "table", "json" }, default = "table",
      help = "output format" },
    { name = "partial", type = "boolean", default = false,
      help = "JSON lines on stdin, one JSON line of totals with every word's count on stdout " ..
        "(counts of several processes to add up)" },
    shares.option,
  }, "reading", "jobs", "stream", "progress"),
}

-- The counts of one text: bytes, lines, tokens by kind, sentences, words;
-- each word's normalized form id is counted in freq.
local function count(s, t, freq)
  t.documents = t.documents + 1
  t.bytes = t.bytes + #s
  local _, nl = s:gsub("\n", "")
  t.lines = t.lines + nl + ((#s > 0 and s:sub(-1) ~= "\n") and 1 or 0)
  local toks = token.tokenize(s)
  t.tokens = t.tokens + #toks
  t.sentences = t.sentences + #toks:sentences()
  local kinds = t.kinds
  for _, tk in toks:each() do
    local k = tk.kind
    kinds[k] = (kinds[k] or 0) + 1
    if k == "word" then
      t.words = t.words + 1
      local id = tk.norm_id
      freq[id] = (freq[id] or 0) + 1
    end
  end
  toks:release()
end

local function totals()
  return { documents = 0, bytes = 0, lines = 0, words = 0, tokens = 0, sentences = 0, kinds = {} }
end

local FIELDS = { "documents", "bytes", "lines", "words", "tokens", "sentences" }

-- --stream: each document out with its counts ({stats = ...}); --partial:
-- one line of totals at the end, every word counted by its normalized form.
local function stream(opts)
  local skipped = 0
  local function on_skip(where, why)
    skipped = skipped + 1
    io.stderr:write("lector: stats: skipped ", where, ": ", why, "\n")
  end
  local json = require "lector.json"
  local all, freq = totals(), {}
  for d in P.stream_documents({ prepared = opts.prepared, repair = opts.repair, raw = true }, on_skip) do
    if opts.partial then
      count(d.text, all, freq)
    else
      local t, f = totals(), {}
      count(d.text, t, f)
      t.documents = nil
      local out = { id = d.id, uri = d.uri, title = d.title, author = d.author, outlet = d.outlet,
                    published = d.published, stats = t }
      if type(d.meta) == "table" and next(d.meta) then out.meta = d.meta end
      if opts.text then out.text = d.text end
      io.stdout:write(json.encode(out), "\n")
    end
  end
  if opts.partial then
    local words = {}
    for id, n in pairs(freq) do words[token.norm_string(id)] = n end
    all.skipped = skipped
    all.freq = words
    io.stdout:write(json.encode(all), "\n")
  end
  return skipped > 0 and 1 or 0
end

-- The one reading of inputs, in this process or a -j N worker.
local function read_options(opts)
  return { repair = opts.repair, jsonl = opts.jsonl, raw = true,
           all_files = opts["all-files"], follow_symlinks = opts["follow-symlinks"],
           special_files = opts["special-files"], keep_html = false }
end

-- A -j N worker: it counts the documents of the shares it is given
-- (answering each with what it skipped, so that it is given more and the
-- messages keep their order), then writes its totals line.
local function serve(opts)
  local all, freq = totals(), {}
  shares.serve(read_options(opts), function(_, docs)
    local skips = {}
    for d in docs do
      if d.error then
        skips[#skips + 1] = d.where .. ": " .. d.error
      else
        count(d.text, all, freq)
      end
    end
    return { skips = skips }
  end)
  local words = {}
  for id, n in pairs(freq) do words[token.norm_string(id)] = n end
  all.freq = words
  io.stdout:write(require("lector.json").encode(all), "\n")
  return 0
end

-- The reading options of a -j N worker's command line.
local function worker_args(opts)
  local args = {}
  for _, k in ipairs { "repair", "jsonl" } do
    if opts[k] then args[#args + 1] = "--" .. k end
  end
  return args
end

function R.run(opts, inputs)
  if opts.shares then return serve(opts) end
  if opts.stream or opts.partial then
    if #inputs > 0 then recipes.fail("stats --stream reads standard input: leave out the inputs", 2) end
    return stream(opts)
  end
  if #inputs == 0 then recipes.fail("stats needs at least one file or directory", 2) end
  local t, skipped = totals(), 0
  local freq = {} -- norm id -> count, over word tokens (word -> count from workers)
  local read_opts = read_options(opts)
  local list = P.inputs(inputs, read_opts)
  local bar = require("lector.progress").new { mode = opts.progress, bytes = list.bytes, label = "stats" }
  local items = P.read(list, read_opts)
  local function documents()
    while true do
      local d = items()
      if d == nil then return nil end
      bar:step(d.size or 0, not d.line)
      if not d.error then return d end
      skipped = skipped + 1
      io.stderr:write("lector: ", tty.escape_message(d.where .. ": " .. d.error), "\n")
    end
  end
  local jobs = P.jobs(opts.jobs)
  local by_word
  if jobs > 1 then
    -- Workers read and count their shares of the inputs and send their
    -- totals at the end: only the counts come through the pipes.
    by_word = {}
    local function add(part)
      if type(part.freq) ~= "table" then
        error("a worker wrote a line that is not its totals: " .. require("lector.json").encode(part):sub(1, 80), 0)
      end
      for _, f in ipairs(FIELDS) do t[f] = t[f] + (part[f] or 0) end
      for k, n in pairs(part.kinds or {}) do t.kinds[k] = (t.kinds[k] or 0) + n end
      for w, n in pairs(part.freq) do by_word[w] = (by_word[w] or 0) + n end
    end
    local results, close = shares.open { list = list, jobs = jobs, other = add,
                                         argv = shares.argv("stats", worker_args(opts)) }
    local ok, err = pcall(function()
      for rec, share in results do
        for _, msg in ipairs(rec.skips or {}) do
          skipped = skipped + 1
          io.stderr:write("lector: ", tty.escape_message(msg), "\n")
        end
        bar:step(shares.bytes(share), true)
      end
    end)
    close()
    if not ok then bar:done(); recipes.fail(err) end
  else
    for d in documents do count(d.text, t, freq) end
  end
  local docs, bytes, lines, words, ntokens, sentences, kinds =
    t.documents, t.bytes, t.lines, t.words, t.tokens, t.sentences, t.kinds
  bar:done()
  local top = {}
  if by_word then
    for w, n in pairs(by_word) do top[#top + 1] = { word = w, count = n } end
  else
    for id, n in pairs(freq) do top[#top + 1] = { word = token.norm_string(id), count = n } end
  end
  table.sort(top, function(a, b)
    if a.count ~= b.count then return a.count > b.count end
    return a.word < b.word
  end)
  for i = #top, opts.top + 1, -1 do top[i] = nil end
  if opts.format == "json" then
    io.stdout:write(require("lector.json").encode {
      documents = docs, bytes = bytes, lines = lines, words = words, tokens = ntokens,
      kinds = kinds, sentences = sentences, skipped = skipped, top_words = top }, "\n")
  else
    io.stdout:write(string.format("documents  %d\nbytes      %d\nlines      %d\nsentences  %d\n" ..
      "tokens     %d\nwords      %d\n", docs, bytes, lines, sentences, ntokens, words))
    local names = {}
    for k in pairs(kinds) do names[#names + 1] = k end
    table.sort(names, function(a, b) return kinds[a] > kinds[b] or (kinds[a] == kinds[b] and a < b) end)
    for _, k in ipairs(names) do
      io.stdout:write(string.format("  %-8s %d\n", k, kinds[k]))
    end
    if skipped > 0 then io.stdout:write(string.format("skipped    %d\n", skipped)) end
    io.stdout:write("\ntop words:\n")
    for i, w in ipairs(top) do
      io.stdout:write(string.format("%4d  %-24s %d\n", i, w.word, w.count))
    end
  end
  return skipped > 0 and 1 or 0 -- like ingest: a skipped input is worth a non-zero exit
end

return R
