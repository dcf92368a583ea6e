-- stats: a first look at a pile of text files.
local fs = require "lector.fs"
local recipes = require "lector.recipes"

local R = {
  name = "stats",
  summary = "count documents, bytes, lines and the most frequent words",
  inputs = "FILES|DIRS...",
  options = {
    { name = "top", type = "integer", default = 20, help = "how many frequent words to list" },
    { name = "format", type = "choice", choices = { "table", "json" }, default = "table",
      help = "output format" },
  },
}

function R.run(opts, inputs)
  if #inputs == 0 then recipes.fail("stats needs at least one file or directory", 2) end
  local docs, bytes, lines, words, skipped = 0, 0, 0, 0, 0
  local freq = {}
  for path in fs.files(inputs, function(_, msg)
    skipped = skipped + 1
    io.stderr:write("lector: skipped ", msg, "\n")
  end) do
    local text, err = fs.read(path)
    if not text then
      skipped = skipped + 1
      io.stderr:write("lector: skipped ", err, "\n")
    else
      docs = docs + 1
      bytes = bytes + #text
      local _, nl = text:gsub("\n", "")
      lines = lines + nl + ((#text > 0 and text:sub(-1) ~= "\n") and 1 or 0)
      for w in text:gmatch("[%w\128-\255]+") do
        words = words + 1
        w = w:lower()
        freq[w] = (freq[w] or 0) + 1
      end
    end
  end
  local top = {}
  for w, n in pairs(freq) do top[#top + 1] = { word = w, count = n } end
  table.sort(top, function(a, b)
    if a.count ~= b.count then return a.count > b.count end
    return a.word < b.word
  end)
  for i = #top, opts.top + 1, -1 do top[i] = nil end
  if opts.format == "json" then
    io.stdout:write(require("lector.json").encode {
      documents = docs, bytes = bytes, lines = lines, words = words,
      skipped = skipped, top_words = top }, "\n")
  else
    io.stdout:write(string.format("documents  %d\nbytes      %d\nlines      %d\nwords      %d\n",
      docs, bytes, lines, words))
    if skipped > 0 then io.stdout:write(string.format("skipped    %d\n", skipped)) end
    io.stdout:write("\ntop words:\n")
    for i, t in ipairs(top) do
      io.stdout:write(string.format("%4d  %-24s %d\n", i, t.word, t.count))
    end
  end
  return (docs == 0 and skipped > 0) and 1 or 0
end

return R
