-- stats: a first look at a pile of text files.
local P = require "lector.pipeline"
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
  }, "reading", "progress"),
}

function R.run(opts, inputs)
  if #inputs == 0 then recipes.fail("stats needs at least one file or directory", 2) end
  local docs, bytes, lines, words, skipped, ntokens, sentences = 0, 0, 0, 0, 0, 0, 0
  local kinds = {}
  local freq = {} -- norm id -> count, over word tokens
  local read_opts = { repair = opts.repair, jsonl = opts.jsonl, raw = true,
                      all_files = opts["all-files"], follow_symlinks = opts["follow-symlinks"],
                      special_files = opts["special-files"], keep_html = false }
  local list = P.inputs(inputs, read_opts)
  local bar = require("lector.progress").new { mode = opts.progress, bytes = list.bytes, label = "stats" }
  for d in P.read(list, read_opts) do
    bar:step(d.size or 0, not d.line)
    if d.error then
      skipped = skipped + 1
      io.stderr:write("lector: ", tty.escape_message(d.where .. ": " .. d.error), "\n")
    else
      local s = d.text
      docs = docs + 1
      bytes = bytes + #s
      local _, nl = s:gsub("\n", "")
      lines = lines + nl + ((#s > 0 and s:sub(-1) ~= "\n") and 1 or 0)
      local toks = token.tokenize(s)
      ntokens = ntokens + #toks
      sentences = sentences + #toks:sentences()
      for _, t in toks:each() do
        local k = t.kind
        kinds[k] = (kinds[k] or 0) + 1
        if k == "word" then
          words = words + 1
          local id = t.norm_id
          freq[id] = (freq[id] or 0) + 1
        end
      end
      toks:release()
    end
  end
  bar:done()
  local top = {}
  for id, n in pairs(freq) do top[#top + 1] = { word = token.norm_string(id), count = n } end
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
    for i, t in ipairs(top) do
      io.stdout:write(string.format("%4d  %-24s %d\n", i, t.word, t.count))
    end
  end
  return skipped > 0 and 1 or 0 -- like ingest: a skipped input is worth a non-zero exit
end

return R
