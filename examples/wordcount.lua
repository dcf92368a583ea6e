-- examples/wordcount.lua: count words in the files named on the command line
local counts = {}
for path in lector.fs.files(arg and #arg > 0 and arg or { "examples/corpus" }) do
  local text = assert(lector.fs.read(path))
  local n = 0
  for _ in text:gmatch("%S+") do n = n + 1 end
  counts[#counts + 1] = string.format("%6d %s", n, path)
end
print(table.concat(counts, "\n"))
