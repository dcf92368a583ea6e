-- lector.repl's Lua half: Tab completion on the objects an analyst holds,
-- and printing (the terminal side is tests/e2e/repl_test.sh).
local T = require "testlib"
local repl = require "lector.repl"
local pretty = require "lector.pretty"
local lector = require "lector"

local function has(list, x)
  for _, v in ipairs(list) do if v == x then return true end end
  return false
end

T.case("repl-c-1.1 toks: lists the token array's methods", function()
  rawset(_G, "spec_toks", lector.tokenize("ISIS’s 5,000 fighters in Al-Bab, the U.S. said."))
  local c = repl.complete("spec_toks:", "spec_toks:")
  for _, m in ipairs { "each", "sentences", "release", "text", "source" } do
    T.ok(has(c, "spec_toks:" .. m), m)
  end
  T.eq(repl.complete("spec_toks:rel", "x = spec_toks:rel"), { "spec_toks:release" })
end)
T.case("repl-c-1.2 toks[1]. lists the token's fields, not the globals", function()
  -- '[' and ']' break words: readline's word is ".", the line says more
  local c = repl.complete(".", "spec_toks[1].")
  for _, f in ipairs { ".text", ".kind", ".start", ".stop", ".norm", ".cap" } do T.ok(has(c, f), f) end
  T.ok(not has(c, ".print"), "no globals")
  T.eq(repl.complete(".tex", "print(spec_toks[1].tex"), { ".text" })
  T.eq(repl.complete(".te", "print(spec_toks[1].te"), { ".terminal", ".text" })
  T.eq(repl.complete('.fo', 'lector["text"].fo'), { ".fold" })
end)
T.case("repl-c-1.3 g: and db: list methods only", function()
  local g = lector.gazetteer.new()
  rawset(_G, "spec_g", g)
  local c = repl.complete("spec_g:", "spec_g:")
  T.ok(has(c, "spec_g:matches") and has(c, "spec_g:add"))
  for _, k in ipairs(c) do
    T.ok(not k:find(":_", 1, true), k)
    T.ok(not k:find(":c$"), k) -- a field, not a method
  end
  T.eq(repl.complete("spec_g:_m", "spec_g:_m"), { "spec_g:_match" }) -- once "_" is typed
  local path = os.tmpname()
  os.remove(path)
  local db = lector.store.open(path)
  rawset(_G, "spec_db", db)
  c = repl.complete("spec_db:", "spec_db:")
  T.ok(has(c, "spec_db:query") and has(c, "spec_db:annotations"))
  T.ok(not has(c, "spec_db:__tostring") and not has(c, "spec_db:path"))
  db:close()
  os.remove(path)
  rawset(_G, "spec_g", nil); rawset(_G, "spec_db", nil); rawset(_G, "spec_toks", nil)
end)
T.case("repl-c-1.4 globals and keywords", function()
  T.ok(has(repl.complete("pri", "pri"), "print"))
  T.ok(has(repl.complete("lector.pre", "lector.pre"), "lector.pretty"))
  T.ok(has(repl.complete("whi", "whi"), "while"))
  T.eq(repl.complete(".", "1."), {})
end)
T.case("repl-c-2.1 objects print as what they are", function()
  local toks = lector.tokenize("ISIS’s 5,000 fighters in Al-Bab, the U.S. said.")
  T.eq(pretty.format(toks), 'tokens(13) "ISIS’s 5,000 fighters …"')
  T.eq(pretty.format(lector.tokenize("Short\n text.")), 'tokens(3) "Short text."')
  T.eq(pretty.format(lector.tokenize("")), "tokens(0)")
  local g = lector.gazetteer.new()
  g:add("Aleppo", "Aleppo", "PLACE")
  T.eq(pretty.format(g), "gazetteer(1 entry, 1 entity)")
  T.eq(pretty.is_iterator(g:matches(toks)), "matches")
  T.eq(pretty.is_iterator(print), nil)
  T.eq(pretty.is_iterator({}), nil)
end)
T.case("repl-c-3.1 modules, each once", function()
  local _, _, _ = lector.store, lector.pretty, lector.tokenize
  local seen = {}
  for _, m in ipairs(lector.modules()) do
    T.ok(not seen[m], m .. " twice")
    seen[m] = true
  end
  T.ok(seen.store and seen.tokenize and not seen.version and not seen.scripts_dir)
end)
