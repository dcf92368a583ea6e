-- lector.translit and fuzzy gazetteers: every rule of the key with a pair
-- that must meet and a pair that must not; fuzzy matches (what made them,
-- exact ones first, no flood); aliases with dates; a respelled article.
local T = require "testlib"
local lector = require "lector"
local translit = require "lector.translit"

local function key(s) return translit.key(s) end

-- {rule, meet = {a, b}, apart = {c, d}}
local RULES = {
  { "strip '", { "Hay'at Tahrir", "Hayat Tahrir" }, { "Hayat Tahrir", "Hayat Tahrim" } },
  { "strip ʿ", { "Maʿarrat Numan", "Maarrat Numan" }, { "Maarrat Numan", "Maarrat Nurman" } },
  { "article al", { "Deir al-Zour", "Deir Zour" }, { "Deir al-Zour", "Deir al-Hour" } },
  { "article el", { "Abdel Fattah el-Sisi", "Abdel Fattah Sisi" }, { "Abdel Fattah el-Sisi", "Abdel Fattah Sidi" } },
  { "article-joined", { "Ar-Raqqah", "Raqqah" }, { "Ar Raqqah", "Raqqah" } },
  { "joined al before a consonant", { "Dair Alzour", "Dair Zour" }, { "Aleppo", "Eppo" } },
  { "x = ks", { "Alexandria", "Aleksandria" }, { "Alexandria", "Alekhandria" } },
  { "ck = k", { "Mackenzie", "Makenzie" }, { "Mackenzie", "Mashenzie" } },
  { "ch = sh", { "Chaikhoun", "Shaikhoun" }, { "Chaikhoun", "Taikhoun" } },
  { "c = k", { "Cassab", "Kassab" }, { "Cassab", "Sassab" } },
  { "kh one sound", { "Khalid", "Khaled" }, { "Khalid", "Kalid" } },
  { "sh one sound", { "Shaddadi", "Chaddadi" }, { "Shaddadi", "Saddadi" } },
  { "gh = g", { "Ghouta", "Gouta" }, { "Ghouta", "Houta" } },
  { "dh = z", { "Dhahab", "Zahab" }, { "Dhahab", "Dahab" } },
  { "zh = j", { "Zhukov", "Jukov" }, { "Zhukov", "Zukov" } },
  { "dj = j", { "Djihad", "Jihad" }, { "Djihad", "Dihad" } },
  { "th = t", { "Thawra", "Tawra" }, { "Thawra", "Hawra" } },
  { "ph = f", { "Phalanx", "Falanx" }, { "Phalanx", "Palanx" } },
  { "q = k", { "Raqqa", "Rakka" }, { "Raqqa", "Ragga" } },
  { "mb = nb", { "Membij", "Menbij" }, { "Membij", "Mebij" } },
  { "final h after a vowel", { "Raqqah", "Raqqa" }, { "Raqqah", "Raqqat" } },
  { "w, y after a vowel", { "Dayr az-Zawr", "Deir ez-Zor" }, { "Sayadi", "Saadi" } },
  { "final y", { "Shouky", "Shouki" }, { "Shouky", "Shouka" } },
  { "doubled letters", { "Bashar al-Assad", "Bashar al-Asad" }, { "Bashar al-Assad", "Bashar al-Asar" } },
  { "initial vowel", { "Deir Ezzor", "Deir ez-Zor" }, { "Deir Ezzor", "Deir Ezzat" } },
  { "final vowel class", { "Kobani", "Kobane" }, { "Iraqi", "Raqqa" } },
  { "inner vowels", { "Khan Sheikhoun", "Khan Shaykhun" }, { "Hezbollah", "Hezbullan" } },
  { "inner a/e", { "Manbij", "Menbij" }, { "Manbij", "Manbis" } },
  { "ta marbuta -eh", { "Mhardeh", "Mhardah" }, { "Mhardeh", "Mhardi" } },
  { "first vowel elided", { "As-Sfireh", "As-Safira" }, { "Vladimir Putin", "Vladimir Ptin" } },
}

for i, r in ipairs(RULES) do
  T.case(string.format("translit-1.%d %s", i, r[1]), function()
    local a, b = key(r[2][1]), key(r[2][2])
    T.ok(a and a == b, r[2][1] .. " [" .. tostring(a) .. "] must meet " .. r[2][2] .. " [" .. tostring(b) .. "]")
    local c, d = key(r[3][1]), key(r[3][2])
    T.ok(c ~= d, r[3][1] .. " and " .. r[3][2] .. " must not meet (both " .. tostring(c) .. ")")
  end)
end

T.case("translit-1.89 prefix words are also keyed joined to the next", function()
  local function met(alias, text)
    local k = key(text)
    for _, x in ipairs(translit.keys(alias)) do if x == k then return true end end
    return false
  end
  T.eq(translit.keys("Abu Bakr al-Baghdadi"), { "bu bakr bagdadi", "babakr bagdadi" })
  T.ok(met("Abu Bakr al-Baghdadi", "Abubakr al-Baghdadi"), "Abubakr meets Abu Bakr")
  T.ok(met("Abdul Rahman Mustafa", "Abdulrahman Mustafa"), "Abdulrahman meets Abdul Rahman")
  T.ok(not met("Abu Bakr al-Baghdadi", "Abunakr al-Baghdadi"), "Abunakr must not meet Abu Bakr")
  T.ok(not met("Abu Bakr al-Baghdadi", "Bakr al-Baghdadi"), "the prefix is not dropped")
  T.eq(translit.keys("Homs"), {})
  T.raises("keys", translit.keys, 5)
end)

T.case("translit-1.90 the issue's spellings meet", function()
  for _, set in ipairs {
    { "Deir ez-Zor", "Dayr az-Zawr", "Deir Ezzor", "Deir al-Zour", "Dair Alzour" },
    { "Khan Shaykhun", "Khan Sheikhoun", "Khan Shaikhun" },
    { "Manbij", "Menbij", "Membij" }, { "Raqqa", "Ar-Raqqah", "Rakka" },
    { "Hezbollah", "Hizbullah", "Hizballah" }, { "Bashar al-Assad", "Bashar al-Asad" },
  } do
    for i = 2, #set do T.eq(key(set[i]), key(set[1]), set[i] .. " ~ " .. set[1]) end
  end
end)

T.case("translit-1.91 short names and stop words get no key", function()
  T.eq(key("Homs"), nil)
  T.eq(key("Bab"), nil)
  T.eq(key("al-Bab"), nil)
  T.eq(key("Major General"), nil)
  T.eq(key("Assad"), nil)      -- 5 letters, key "sad": too short (Said)
  T.eq(key("Ethriyah"), "tra") -- 8 letters: a 3-letter key will do
  T.eq(key("Athriya"), "tra")
  T.eq(translit.word_key("al"), "skip")
  T.eq(translit.word_key("ar"), "skip_joined")
  T.eq((translit.word_key("the")), "none")
end)

T.case("translit-1.92 explain names the rules that changed a word", function()
  local ex = translit.explain("raqqah")
  local seen = {}
  for _, e in ipairs(ex) do seen[e.rule] = true end
  T.ok(seen["q -> k"] and seen["([aeiou])h$ -> %1"], "q and final h")
end)

-- ---- fuzzy gazetteers ------------------------------------------------------

local function one_per_place(opts)
  local g = lector.gazetteer.new(opts or { fuzzy = "translit" })
  for _, e in ipairs {
    { "Deir ez-Zor", "PLACE" }, { "Khan Shaykhun", "PLACE" }, { "Manbij", "PLACE" },
    { "Raqqa", "PLACE" }, { "Hezbollah", "ORG" }, { "Bashar al-Assad", "PERSON" },
    { "Homs", "PLACE" }, { "al-Bab", "PLACE" }, { "Aleppo", "PLACE" }, { "Idlib", "PLACE" },
    { "Hayat Tahrir al-Sham", "ORG" }, { "Ghouta", "PLACE" }, { "Palmyra", "PLACE" },
    { "Daraa", "PLACE" }, { "Hama", "PLACE" }, { "Latakia", "PLACE" }, { "Kobani", "PLACE" },
    { "Qamishli", "PLACE" }, { "Abu Mohammad al-Julani", "PERSON" }, { "Jaish al-Islam", "ORG" },
  } do g:add(e[1], e[1], e[2]) end
  return g
end

local function found(g, s, opts)
  local out = {}
  for m in g:matches(lector.tokenize(s), opts) do
    out[#out + 1] = m.text .. "=" .. m.entity .. (m.fuzzy and "~" or "")
  end
  return out
end

T.case("translit-2.1 fuzzy matches carry their key and the alias they met", function()
  local g = one_per_place()
  local ms = g:find_all(lector.tokenize("Shelling hit Dayr az-Zawr and Ar-Raqqah."))
  T.eq(#ms, 2)
  T.eq({ ms[1].text, ms[1].entity, ms[1].fuzzy, ms[1].key, ms[1].alias },
    { "Dayr az-Zawr", "Deir ez-Zor", true, "dar zar", "Deir ez-Zor" })
  T.eq({ ms[2].text, ms[2].fuzzy, ms[2].key }, { "Ar-Raqqah", true, "raka" })
end)

T.case("translit-2.2 exact matches win on the same span, and are not fuzzy", function()
  local g = one_per_place()
  g:add("Deir Ezzor", "Deir Ezzor (the district)", "PLACE")
  T.eq(found(g, "Deir Ezzor and Deir al-Zour; Raqqa."),
    { "Deir Ezzor=Deir Ezzor (the district)", "Deir al-Zour=Deir ez-Zor~",
      "Deir al-Zour=Deir Ezzor (the district)~", "Raqqa=Raqqa" })
end)

T.case("translit-2.3 no flood: short names, lower case, common words", function()
  local g = one_per_place()
  T.eq(found(g, "Hums and Bob went to Bab; the hums of raqqah rakka; Iraqi forces; Rocky."), {})
  T.eq(found(g, "Homs, Hama"), { "Homs=Homs", "Hama=Hama" })
end)

T.case("translit-2.9 no flood: words the text writes in lower case, months and weekdays", function()
  local g = one_per_place()
  T.eq(found(g, "The Rakka fell."), { "Rakka=Raqqa~" })
  T.eq(found(g, "The Rakka fell; a rakka is a word here."), {}) -- lower_seen
  g:add("Junee", "Junee", "PLACE")
  g:add("Sindia", "Sindia", "PLACE")
  T.eq(found(g, "On Sunday in June, Junee and Sindia."), { "Junee=Junee", "Sindia=Sindia" })
  T.eq(translit.key("June"), nil) -- stop-lexicon dates month,weekday
end)

T.case("translit-2.4 off by default, off per entry, off per call", function()
  local g = one_per_place({})
  T.eq(found(g, "Rakka"), {})
  local f = lector.gazetteer.new { fuzzy = "translit" }
  f:add("Raqqa", "Raqqa", "PLACE", nil, { fuzzy = false })
  f:add("Manbij", "Manbij", "PLACE")
  T.eq(found(f, "Rakka, Menbij"), { "Menbij=Manbij~" })
  T.eq(found(f, "Rakka, Menbij", { fuzzy = false }), {})
  T.raises("fuzzy must be", lector.gazetteer.new, { fuzzy = "soundex" })
end)

T.case("translit-2.5 load with fuzzy and a fuzzy column", function()
  local path = os.tmpname()
  local f = assert(io.open(path, "w"))
  f:write("alias\tentity\ttype\tfuzzy\nRaqqa\tRaqqa\tPLACE\t\nManbij\tManbij\tPLACE\tno\n" ..
    "Hezbollah\tHezbollah\tORG\ttranslit\n")
  f:close()
  local g = lector.gazetteer.load(path, { fuzzy = "translit" })
  T.eq(found(g, "Rakka, Menbij, Hizballah"), { "Rakka=Raqqa~", "Hizballah=Hezbollah~" })
  local h = lector.gazetteer.load(path)
  T.eq(found(h, "Rakka, Menbij, Hizballah"), { "Hizballah=Hezbollah~" })
  os.remove(path)
end)

T.case("translit-2.6 overlapping matches keep exact and fuzzy apart", function()
  local g = one_per_place()
  T.eq(found(g, "Rakka and Raqqa", { overlap = true }), { "Rakka=Raqqa~", "Raqqa=Raqqa" })
end)

-- ---- aliases with dates ----------------------------------------------------

local function dated()
  local g = lector.gazetteer.new()
  g:add("ISIL", "ISIL (2013-2014)", "ORG", { valid_from = "2013-04", valid_to = "2014-06-28" })
  g:add("ISIL", "Islamic State", "ORG", { valid_from = "2014-06-29" })
  g:add("Jabhat al-Nusra", "Jabhat al-Nusra", "ORG", { valid_to = "2016-07-27" })
  g:add("Jabhat Fateh al-Sham", "Jabhat al-Nusra", "ORG", { valid_from = "2016-07-28", valid_to = "2017-01" })
  g:add("Hayat Tahrir al-Sham", "Jabhat al-Nusra", "ORG", { valid_from = "2017-01-28" })
  return g
end

T.case("translit-3.1 a published date picks the entity of its time", function()
  local g = dated()
  local toks = lector.tokenize("ISIL fighters left.")
  local ms = g:find_all(toks, { published = "2014-01-10" })
  T.eq(#ms, 1)
  T.eq(ms[1].entity, "ISIL (2013-2014)")
  ms = g:find_all(toks, { published = "2016" })
  T.eq(#ms, 1)
  T.eq(ms[1].entity, "Islamic State")
  T.eq(#g:find_all(toks), 2) -- no date: both, as before
end)

T.case("translit-3.2 names used outside their time are marked", function()
  local g = dated()
  local s = "Jabhat al-Nusra, Jabhat Fateh al-Sham and Hayat Tahrir al-Sham"
  local function marks(pub)
    local out = {}
    for _, m in ipairs(g:find_all(lector.tokenize(s), { published = pub })) do
      out[#out + 1] = m.anachronism and "x" or "."
    end
    return table.concat(out)
  end
  T.eq(marks("2015-05-01"), ".xx")
  T.eq(marks("2016-09-01"), "x.x")
  T.eq(marks("2017-01-15"), "x.x") -- valid_to 2017-01: all of January
  T.eq(marks("2018-03-01"), "xx.")
  T.eq(marks(nil), "...")
end)

T.case("translit-3.3 the context passes the document's date", function()
  local g = dated()
  local ctx = lector.context.new({ text = "Jabhat al-Nusra said.", published = "2017-02-06" },
    { gazetteer = g })
  T.eq(ctx.matches[1].anachronism, true)
  local n = 0
  for m in ctx:each_match() do n = n + 1; T.eq(m.anachronism, true) end
  T.eq(n, 1)
end)

-- ---- a respelled article ---------------------------------------------------

-- Written here: one article, its names respelled the ways outlets spell
-- them; the gazetteer holds one spelling per place. Every {...} is a
-- mention; the test counts recall over them and precision over all
-- matches.
local ARTICLE = [==[
Government forces pushed east from {Dayr az-Zawr} on Tuesday, while warplanes struck
{Khan Sheikhoun} and {Khan Shaikhun} in rural {Edlib}. Residents of {Ar-Raqqah} said the
road to {Menbij} was cut. In {Deir al-Zour} the governor said {Hizbullah} units had joined the
offensive; fighters of {Hizballah} were seen near {Deir Ezzor} airport. President
{Bashar al-Asad} met commanders in {Latakiya}. Opposition groups in {Eastern Ghuta} and
{Dara'a} accused {Hay'at Tahrir ash-Sham} and its leader {Abu Muhammad al-Jolani} of
abandoning {Qamishly}. The {Jaysh al-Islam} spokesman in {Douma} said {Rakka} and
{Membij} would fall. In {Tadmur}, which the West calls {Palmyra}, {Kobane} veterans fought.
Homs and Hama were quiet; the hums of generators filled the nights. Iraqi forces and a Major
General from Russia waited. {Aleppo} and {Halab} are the same city, and {Dair Alzour} too.
]==]

T.case("translit-4.1 a respelled article: recall and precision", function()
  local g = one_per_place()
  g:add("Eastern Ghouta", "Eastern Ghouta", "PLACE")
  g:add("Homs", "Homs", "PLACE")
  local want, s = {}, ARTICLE:gsub("{(.-)}", function(name) return name end)
  do
    local pos = 1
    for name in ARTICLE:gmatch("{(.-)}") do
      local a = s:find(name, pos, true)
      want[a] = name
      pos = a + #name
    end
  end
  local gold = 0
  for _ in pairs(want) do gold = gold + 1 end
  local hit, wrong, found_n = 0, {}, 0
  for m in g:matches(lector.tokenize(s)) do
    found_n = found_n + 1
    if want[m.start] == m.text then hit = hit + 1; want[m.start] = nil
    elseif m.text ~= "Homs" and m.text ~= "Hama" then wrong[#wrong + 1] = m.text end
  end
  -- Not in the gazetteer at all (no spelling to meet): Douma, Tadmur,
  -- Halab — the misses the test allows.
  if os.getenv("LECTOR_SHOW") then
    io.stderr:write(string.format("recall %d/%d, matches %d\n", hit, gold, found_n))
    for _, v in pairs(want) do io.stderr:write("missed ", v, "\n") end
  end
  T.ok(hit >= gold - 3, string.format("recall %d/%d", hit, gold))
  T.eq(wrong, {})
end)

T.case("translit-2.7 a saved gazetteer loaded with fuzzy gets its keys again", function()
  local g = one_per_place()
  local path = os.tmpname()
  g:save(path)
  T.eq(found(lector.gazetteer.load(path, { fuzzy = "translit" }), "Rakka"), { "Rakka=Raqqa~" })
  T.eq(found(lector.gazetteer.load(path), "Rakka"), {})
  os.remove(path)
end)

T.case("translit-2.8 patterns' @TYPE see fuzzy matches through the document's buffer", function()
  local g = one_per_place()
  local p = lector.pattern("<number> fighters (in|near) where:@PLACE", { gazetteer = g })
  local toks = lector.tokenize("300 fighters near Dayr az-Zawr; 20 fighters in Rakka")
  local ms = p:find_all(toks, { gazetteer_matches = g:overlap_buffer(toks) })
  T.eq(#ms, 2)
  T.eq(ms[1].captures.where.text, "Dayr az-Zawr")
  T.eq(ms[2].captures.where.text, "Rakka")
  -- and in a pipeline, through the context
  local ctx = lector.context.new({ text = "300 fighters near Dayr az-Zawr" }, { gazetteer = g })
  T.eq(#p:find_all(ctx.tokens, { gazetteer_matches = ctx.overlap_buffer }), 1)
end)
