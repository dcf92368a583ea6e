-- The bench corpus's documents: the text of PATH split at lines holding
-- only \f (text_corpus.py writes them so), for the bench drivers.
--   local text, docs, starts = dofile(here .. "/bench_docs.lua")(path)
-- starts[i]: the byte offset (0-based) where document i begins in text.
return function(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("*a")
  f:close()
  local docs, starts, pos = {}, {}, 1
  while pos <= #text do
    local s, e = text:find("\n\f\n", pos, true)
    docs[#docs + 1] = text:sub(pos, (s or #text + 1) - 1)
    starts[#docs] = pos - 1
    pos = (e or #text) + 1
  end
  return text, docs, starts
end
