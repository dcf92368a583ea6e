-- lector.fts_query: a user's plain search words as an FTS5 query (used by
-- db:search; lector.store.plain_query).
-- Plain words and "quoted phrases" become FTS5 phrases (all must occur),
-- so punctuation in a query (ISIS's, al-Bab) is never FTS5 syntax.
return function(q)
  local parts = {}
  local function add(p)
    if p:find("[%w\128-\255]") then parts[#parts + 1] = '"' .. p:gsub('"', '""') .. '"' end
  end
  local pos = 1
  while pos <= #q do
    local a, z, phrase = q:find('^%s*"([^"]*)"', pos)
    if a then
      add(phrase)
    else
      a, z = q:find("^%s*[^%s]+", pos)
      if not a then break end
      add((q:sub(a, z):gsub('"', ""):gsub("^%s+", "")))
    end
    pos = z + 1
  end
  return table.concat(parts, " ")
end
