-- lector.extract.quantities: counts of people and things with their
-- values, bounds, counted nouns, events and actors.
local T = require "testlib"
local G = require "extract_gold"
local lector = require "lector"
local extract = lector.extract

-- The first quantity span of s, with its text.
local function q1(s, opts)
  local spans = extract.quantities(s, opts)
  local sp = spans[1]
  if not sp then return nil end
  return s:sub(sp.start, sp.stop), sp.attrs, sp
end

local function all(s)
  local out = {}
  for _, sp in ipairs(extract.quantities(s)) do out[#out + 1] = s:sub(sp.start, sp.stop) end
  return out
end

-- Each count of s as the fields asked for ("text" is the span's text;
-- a missing attribute is false, so that lists compare whole).
local function fields(s, ...)
  local names, out = { ... }, {}
  for _, sp in ipairs(extract.quantities(s)) do
    local row = {}
    for k, f in ipairs(names) do
      local v
      if f == "text" then v = s:sub(sp.start, sp.stop) else v = sp.attrs[f] end
      if v == nil then v = false end
      row[k] = v
    end
    out[#out + 1] = row
  end
  return out
end

-- Each count's value, class and event; each count's event.
local function counted(s) return fields(s, "value", "class", "event") end
local function events_of(s) return fields(s, "event") end

T.case("quantities-1.1 digits, separators and scale words", function()
  local cases = {
    { "Some reports say 5,000 fighters are trapped.", "5,000", 5000 },
    { "The war displaced 7.7 million people.", "7.7 million", 7700000 },
    { "Camps now hold 1.2m refugees.", "1.2m", 1200000 },
    { "Officials said 3,000+ troops were sent.", "3,000+", 3000 },
    { "He said 12,500 civilians remain.", "12,500", 12500 },
  }
  for _, c in ipairs(cases) do
    local text, a = q1(c[1])
    T.eq(text, c[2], c[1])
    T.eq(a.value, c[3], c[1])
  end
  local _, a = q1("Officials said 3,000+ troops were sent.")
  T.eq(a.low, 3000)
end)

T.case("quantities-1.2 number words and phrases", function()
  local cases = {
    { "The raid killed nine soldiers.", "nine", 9, false },
    { "They freed twenty-five hostages.", "twenty-five", 25, false },
    { "Two hundred and fifty prisoners were executed.", "Two hundred and fifty", 250, false },
    { "Guards arrested a dozen protesters.", "a dozen", 12, false },
    { "Gunmen abducted dozens of villagers.", "dozens", 24, true },
    { "Hundreds of civilians fled.", "Hundreds", 200, true },
    { "Several thousand troops massed at the border.", "Several thousand", 3000, true },
    { "Tens of thousands of people were displaced.", "Tens of thousands", 20000, true },
    { "Scores of fighters were wounded.", "Scores", 40, true },
    { "Five thousand militants attacked.", "Five thousand", 5000, false },
  }
  for _, c in ipairs(cases) do
    local text, a = q1(c[1])
    T.eq(text, c[2], c[1])
    T.eq(a.value, c[3], c[1])
    T.eq(a.approx, c[4], c[1])
  end
end)

T.case("quantities-1.3 ranges and bounds", function()
  local cases = {
    { "Reports said 200-300 fighters surrendered.", "200-300", 200, 200, 300 },
    { "Between 20 and 30 soldiers died.", "Between 20 and 30", 20, 20, 30 },
    { "Shelling killed 20 to 30 civilians.", "20 to 30", 20, 20, 30 },
    { "Airstrikes killed more than 60 people.", "more than 60", 60, 60, nil },
    { "At least 72 civilians were killed.", "At least 72", 72, 72, nil },
    { "Over 325 wounded were evacuated.", "Over 325", 325, 325, nil },
    { "Up to 50 men were arrested.", "Up to 50", 50, nil, 50 },
    { "Nearly 40 fighters were captured.", "Nearly 40", 40, nil, 40 },
    { "Almost 100 people died.", "Almost 100", 100, nil, 100 },
    { "Two or three gunmen opened fire.", "Two or three", 2, 2, 3 },
    -- the longest reach from a count's first word to its number's core
    -- (the scan skips ahead to a few tokens before each number)
    { "Officials said no fewer than half a dozen fighters died.", "no fewer than half a dozen", 6, 6, nil },
    { "They saw no fewer than a few dozen fighters.", "no fewer than a few dozen", 36, 36, 108 },
  }
  for _, c in ipairs(cases) do
    local text, a = q1(c[1])
    T.eq(text, c[2], c[1])
    T.eq({ a.value, a.low, a.high }, { c[3], c[4], c[5] }, c[1])
  end
  local text, a = q1("About 20 people were hurt.")
  T.eq({ text, a.approx, a.qualifier }, { "About 20", true, "About" })
  text, a = q1("Around 15 fighters fled.")
  T.eq({ text, a.approx }, { "Around 15", true })
  text, a = q1("Some 300 troops arrived.")
  T.eq({ text, a.approx }, { "Some 300", true })
  text, a = q1("Then 150 or so fighters left.")
  T.eq({ text, a.approx, a.qualifier }, { "150 or so", true, "or so" })
  text, a = q1("About 150 or so fighters left.")
  T.eq({ text, a.value, a.qualifier }, { "About 150 or so", 150, "About ... or so" })
end)

T.case("quantities-1.4 counted noun, event, actor", function()
  local g = lector.gazetteer.new()
  g:add("ISIS", "Islamic State", "ORG", nil, { case = "sensitive" })
  g:add("Islamic State", "Islamic State", "ORG")
  local _, a = q1("Troops encircled 5,000 ISIS fighters.", { gazetteer = g })
  T.eq({ a.object, a.actor, a.event, a.class }, { "fighters", "Islamic State", "encircle", "person" })
  _, a = q1("Russia claims killing 60 Islamic State militants.", { gazetteer = g })
  T.eq({ a.value, a.object, a.event, a.actor }, { 60, "militants", "kill", "Islamic State" })
  _, a = q1("The toll rose to 63 dead.")
  T.eq({ a.value, a.object, a.event }, { 63, "dead", "kill" })
  _, a = q1("There were 325 wounded.")
  T.eq({ a.object, a.event }, { "wounded", "wound" })
  _, a = q1("Police arrested 14 suspects overnight.")
  T.eq({ a.object, a.event }, { "suspects", "arrest" })
  _, a = q1("About 2,000 families were displaced.")
  T.eq({ a.object, a.event }, { "families", "displace" })
  _, a = q1("Militants executed 11 hostages.")
  T.eq({ a.object, a.event }, { "hostages", "execute" })
  _, a = q1("Rebels captured 30 soldiers.")
  T.eq({ a.object, a.event }, { "soldiers", "capture" })
  _, a = q1("Some 5,000 of its fighters remain.")
  T.eq({ a.value, a.object }, { 5000, "fighters" })
  -- a noun not in the lexicon: the head noun
  _, a = q1("It had three important consequences.")
  T.eq({ a.value, a.object, a.class }, { 3, "consequences", nil })
end)

T.case("quantities-1.5 not counts: years, dates, times, ages, ordinals, lists, furniture", function()
  T.eq(all("In 2012 the siege began."), {})
  T.eq(all("On February 2 the talks resumed, and on 3 March 2017 again."), {})
  T.eq(all("At 23:58 UTC the shelling stopped."), {})
  T.eq(all("A 12-year-old boy was hurt."), {})
  T.eq(all("The boy, aged 12, was hurt."), {})
  T.eq(all("The 3rd brigade advanced."), {})
  T.eq(all("(1) Already the army advanced."), {})
  T.eq(all("202\n20\nThe text starts here."), {})
  T.eq(all("The two sides met; the last two did not."), {})
  T.eq(all("One of the key reasons is clear."), {})
  T.eq(all("It is 120 kilometers west of Baghdad and lasted 17 days."), {})
  T.eq(all("Resolution 2254 was adopted; the Su-24 was shot down."), {})
  T.eq(all("Date: 11/03/2016."), {})
end)

T.case("quantities-1.6 money and percent", function()
  local text, a, sp = q1("The deal was worth $5 million.")
  T.eq({ text, a.value, a.unit, sp.label }, { "$5 million", 5000000, "money", "money" })
  text, a = q1("Turnout was 20% this year.")
  T.eq({ text, a.value, a.unit }, { "20", 20, "percent" })
  a = select(2, q1("Prices rose 12 percent."))
  T.eq({ a.value, a.unit }, { 12, "percent" })
end)

T.case("quantities-1.7 boilerplate is skipped; argument checks", function()
  local ctx = lector.context.new("Killed 40 fighters.\n\nWhat do you think?\n\n0 Comments")
  extract.boilerplate(ctx)
  local spans = extract.quantities(ctx)
  T.eq(#spans, 1)
  T.eq(#ctx:spans("quantity"), 1, "added to the context")
  T.raises("bad argument #1 to 'quantities' (context, string or document expected, got number)",
    extract.quantities, 5)
  T.raises("bad argument #2 to 'quantities' (table expected, got string)",
    extract.quantities, "x", "y")
  -- a document table
  T.eq(#extract.quantities({ text = "Nine soldiers died." }), 1)
end)

T.case("quantities-1.8 more news forms", function()
  local cases = {
    { "A total of 42 civilians died.", "42", 42, "civilians", "kill" },
    { "The bodies of 17 soldiers were found.", "17", 17, "soldiers", "kill" },
    { "The blast killed 5 and wounded 20.", "5", 5, nil, "kill" },
    { "Half a million people fled.", "Half a million", 500000, "people", "displace" },
    { "ISIS executes 19 men.", "19", 19, "men", "execute" },
    { "Two dozen fighters surrendered.", "Two dozen", 24, "fighters", "surrender" },
    { "Some 2 million Syrians fled.", "Some 2 million", 2000000, "Syrians", "displace" },
    { "It killed one civilian.", "one", 1, "civilian", "kill" },
    { "7 killed in Aleppo shelling", "7", 7, nil, "kill" },
    { "The attack left 33 dead and 80 injured.", "33", 33, "dead", "kill" },
    { "Police detained 200 protesters.", "200", 200, "protesters", "arrest" },
  }
  for _, c in ipairs(cases) do
    local text, a = q1(c[1])
    T.eq({ text, a and a.value, a and a.object, a and a.event }, { c[2], c[3], c[4], c[5] }, c[1])
  end
  T.eq(all("Two people died and three were injured."), { "Two", "three" })
  T.eq(extract.quantities("Two people died and three were injured.")[2].attrs.event, "wound")
  T.eq(all("Highway 4 was cut. UN Resolution 2254 applies. Route 7 is open."), {})
  T.eq(all("Sukhoi Su-35 jets and F-16s flew over T-90 tanks."), {})
  T.eq(all("After 9/11, at 5 pm, No. 10 said so."), {})
  T.eq(all("Article 5 of the treaty, the 1990s, the 2014 elections, the 2011 uprising."), {})
  T.eq(all("One soldier said so; one of them left."), {})
end)

-- Whole documents: every count a careful reader marks.
local function value_same(s, g) return s.attrs.value == g.value end

local function score(name, text, gold, opts)
  local ctx = lector.context.new({ text = text, published = opts and opts.published },
    { gazetteer = G.gazetteer() })
  local res = extract.run(ctx, "boilerplate,quantities")
  G.locate(text, gold)
  local p, r = G.score(name, text, res.quantity, gold, value_same)
  return p, r, res.quantity
end

T.case("quantities-1.10 events across appositions, coordinations and tolls", function()
  local function events(s)
    local out = {}
    for _, sp in ipairs(extract.quantities(s)) do
      out[#out + 1] = { s:sub(sp.start, sp.stop), sp.attrs.event or false, sp.attrs.object or false }
    end
    return out
  end
  T.eq(events("At least 37 civilians, including 11 children, were killed on Tuesday."),
    { { "At least 37", "kill", "civilians" }, { "11", "kill", "children" } })
  T.eq(events("Five people, among them three children, died in the blast."),
    { { "Five", "kill", "people" }, { "three", "kill", "children" } })
  T.eq(events("Monitors said 24 rebels and 42 YPG fighters had been killed."),
    { { "24", "kill", "rebels" }, { "42", "kill", "fighters" } })
  T.eq(events("The death toll from the suspected chemical attack rose to 70, rescuers said."),
    { { "70", "kill", false } })
  T.eq(events("Shelling killed 12 more civilians overnight."), { { "12", "kill", "civilians" } })
  -- an age after a name is no count
  T.eq(events("Umm Ahmad, 43, said 12 people were killed."), { { "12", "kill", "people" } })
  -- after a colon and a space a count; a time is none
  T.eq(events("13:40 GMT: Kurdish officials: 120 civilians dead"), { { "120", "kill", "civilians" } })
  -- a share is no count
  T.eq(events("One in five of the 4,000 displaced sleep outside."), { { "4,000", "displace", false } })
  -- an apposition that is no part of the count's clause stays out
  T.eq(events("The 30 trucks, mostly from Turkey, arrived; 5 people were hurt."),
    { { "30", false, "trucks" }, { "5", "wound", "people" } })
end)

T.case("quantities-1.9 qualifier words and articles before the words that can follow them", function()
  -- (the scan skips "in", "as", "at", "a" and "an" elsewhere)
  T.eq(all("In excess of 300 troops came in as many as 40 trucks, at least a dozen in all."),
    { "In excess of 300", "as many as 40", "at least a dozen" })
  T.eq(all("In a week an estimated 2,000 people fled, at dawn a few hundred more; as of now up to 50 remain."),
    { "an estimated 2,000", "a few hundred", "up to 50" })
  T.eq(all("In the town a man saw an army of an hundred men."), { "an hundred" })
  local _, a = q1("In excess of 300 troops came.")
  T.eq({ a.value, a.low, a.qualifier }, { 300, 300, "In excess of" })
end)

T.case("quantities-1.10 counts inside another's apposition, ages, family members", function()
  local function events(s)
    local out = {}
    for _, sp in ipairs(extract.quantities(s)) do
      out[#out + 1] = { s:sub(sp.start, sp.stop), sp.attrs.event or false }
    end
    return out
  end
  -- the count inside ", including N ..." or ", among them N ..." shares the
  -- event of the count it belongs to, wherever that event stands
  T.eq(events("Strikes killed 41 civilians on Saturday, including 13 children, the monitor said."),
    { { "41", "kill" }, { "13", "kill" } })
  T.eq(events("The monitor has recorded 513 deaths since Feb. 18, among them 127 children."),
    { { "513", "kill" }, { "127", "kill" } })
  -- a verb with a count of its own is that count's, not the one before
  T.eq(events("Rebels repelled three attacks and destroyed two tanks."),
    { { "three", false }, { "two", "destroy" } })
  T.eq(events("More than 1,000 militants were killed in three weeks of fighting."),
    { { "More than 1,000", "kill" } })
  T.eq(events("Up to 13,000 people were hanged at the prison."), { { "Up to 13,000", "execute" } })
  -- the counted phrase ends at a participle: the buses, not the fighters
  local _, bus = q1("Overnight 41 buses carrying fighters left for Idlib.")
  T.eq({ bus.value, bus.object, bus.class }, { 41, "buses", nil })
  T.eq(events("46 soldiers have been martyred since the start of the operation."), { { "46", "kill" } })
  T.eq(events("The fire claimed the lives of 30 people."), { { "30", "kill" } })
  -- a quake's magnitude and Downing Street are no counts
  T.eq(all("A 7.8 magnitude quake struck, a magnitude 6.1 aftershock followed."), {})
  T.eq(all("He called No 10 on Friday."), {})
  -- money is no count anything happens to
  local _, m = q1("The court released $500,000 in frozen funds.")
  T.eq({ m.unit, m.event }, { "money", nil })
  T.eq(events("Around 100 civilians, many of them children, died in the strikes."), { { "Around 100", "kill" } })
  local _, h = q1("A handful of fighters surrendered.")
  T.eq({ h.value, h.high, h.approx, h.object }, { 3, 9, true, "fighters" })
  -- a bound on an age is no count
  T.eq(all("Nearly half of them are children under 15."), {})
  T.eq(all("Men over 60 were allowed to leave."), {})
  T.eq(all("Over 60 men were allowed to leave."), { "Over 60" })
  -- a small number after a possessive counts the people something happened to
  local _, a = q1("Residents said his two sisters died in the fire.")
  T.eq({ a.value, a.object, a.class, a.event }, { 2, "sisters", "person", "kill" })
  -- and not the sides of a talk
  T.eq(all("The two sides met in Geneva."), {})
  T.eq(all("Its three members met in Geneva."), {})
end)

T.case("quantities-2.1 own article A, whole document", function()
  local text = G.data("extract_article_a.txt")
  local gold = {
    { "Dozens", value = 24 }, { "at least 72", value = 72 }, { "More than 300", value = 300 },
    { "41", value = 41 }, { "12", value = 12 }, { "Up to 2,500", value = 2500 },
    { "some 400", value = 400 }, { "Nearly 40", value = 40 },
    { "between 20 and 30", value = 20 }, { "15", value = 15 }, { "35", value = 35 },
  }
  local p, r = score("quantities article A", text, gold)
  T.eq({ p, r }, { 1, 1 })
end)

T.case("quantities-2.2 own article B, whole document", function()
  local text = G.data("extract_article_b.txt")
  local gold = {
    { "hundreds", value = 200 }, { "Tens of thousands", value = 20000 },
    { "more than 60", value = 60 }, { "57", value = 57 }, { "11", value = 11 },
    { "five", value = 5 }, { "about 150 or so", value = 150 },
    { "several thousand", value = 3000 }, { "nearly 7,000", value = 7000 },
  }
  local p, r = score("quantities article B", text, gold)
  T.eq({ p, r }, { 1, 1 })
end)

T.case("quantities-2.3 own article C (a wire casualty report), whole document", function()
  local text = G.data("extract_article_c.txt")
  local gold = {
    { "43", value = 43 }, { "at least 43", value = 43 }, { "dozens", value = 24 },
    { "48", value = 48 }, { "six", value = 6 }, { "more than 70", value = 70 }, { "31", value = 31 },
    { "56", value = 56 }, { "nearly 60", value = 60 }, { "12", value = 12 },
    { "Some 1,200", value = 1200 }, { "about 400,000", value = 400000 }, { "23 million", value = 23000000 },
  }
  local p, r = score("quantities article C", text, gold)
  T.eq({ p, r }, { 1, 1 })
end)

T.case("quantities-2.5 own articles I and J: elided nouns, lists, headlines with no noun", function()
  local text = G.data("extract_article_i.txt")
  local p, r, res = score("quantities article I", text, {
    { "30", value = 30 }, { "at least 30", value = 30 }, { "a dozen", value = 12 }, { "30", value = 30 },
    { "34", value = 34 }, { "eight", value = 8 }, { "three", value = 3 }, { "about 200", value = 200 },
    { "more than 30,000", value = 30000 }, { "some 2 million", value = 2000000 }, { "276", value = 276 },
    { "More than 100", value = 100 },
  })
  T.eq({ p, r }, { 1, 1 })
  local cls = {}
  for _, sp in ipairs(res) do cls[#cls + 1] = sp.attrs.class or false end
  T.eq(cls, { "person", "person", "person", "person", "person", "person", "person", "group", "person",
    "person", "person", "person" })
  text = G.data("extract_article_j.txt")
  p, r, res = score("quantities article J", text, {
    { "Hundreds", value = 200 }, { "more than 450", value = 450 }, { "200", value = 200 },
    { "150", value = 150 }, { "about 100", value = 100 }, { "21", value = 21 }, { "16", value = 16 },
    { "Six", value = 6 }, { "thousands", value = 2000 },
  })
  T.eq({ p, r }, { 1, 1 })
  local ev = {}
  for _, sp in ipairs(res) do ev[#ev + 1] = { sp.attrs.class or false, sp.attrs.event or false } end
  T.eq(ev, { { "person", "arrest" }, { "person", "arrest" }, { "person", "arrest" }, { "person", "arrest" },
    { "person", "arrest" }, { "person", "kill" }, { "person", "kill" }, { "person", "kill" }, { "person", false } })
end)

T.case("quantities-2.4 own articles G and H (Reuters and AP wire reports), whole documents", function()
  local text = G.data("extract_article_g.txt")
  local p, r, res = score("quantities article G", text, {
    { "about 3,300", value = 3300 }, { "nearly 2,000", value = 2000 }, { "Around 160,000", value = 160000 },
    { "as many as 750,000", value = 750000 }, { "at least 23", value = 23 }, { "dozens", value = 24 },
    { "14", value = 14 }, { "50", value = 50 },
  })
  T.eq({ p, r }, { 1, 1 })
  local ev = {}
  for _, sp in ipairs(res) do ev[#ev + 1] = sp.attrs.event or false end
  T.eq(ev, { "kill", "kill", "displace", false, "kill", "wound", "destroy", "kill" })
  text = G.data("extract_article_h.txt")
  p, r, res = score("quantities article H", text, {
    { "31", value = 31 }, { "31", value = 31 }, { "56", value = 56 }, { "12", value = 12 },
    { "more than 10,000", value = 10000 }, { "Some 3 million", value = 3000000 },
    { "at least 17 million", value = 17000000 }, { "scores", value = 40 }, { "40", value = 40 },
    { "dozens", value = 24 },
  })
  T.eq({ p, r }, { 1, 1 })
  T.eq({ res[4].attrs.event, res[4].attrs.object, res[9].attrs.object, res[9].attrs.class },
    { "kill", "children", "boys", "person" })
end)

-- The seed articles (../shared/corpus/news), read as an analyst would.
local seed_gold = {
  ["000"] = {
    { "5,000", value = 5000 }, { "5,000", value = 5000 }, { "5,000", value = 5000 },
    { "several thousand", value = 3000 }, { "At least one", value = 1 },
    { "almost a dozen", value = 12 },
  },
  ["001"] = { { "three", value = 3 }, { "About 150 or so", value = 150 } },
  ["002"] = {},
  ["003"] = { { "3,000", value = 3000 }, { "16,000", value = 16000 } },
  ["004"] = {
    { "Hundreds", value = 200 }, { "60", value = 60 }, { "only 44", value = 44 },
    { "63", value = 63 }, { "nine", value = 9 }, { "Thousands", value = 2000 },
  },
}

local tp_p, tp_r, n_seed = 0, 0, 0
for _, id in ipairs({ "000", "001", "002", "003", "004" }) do
  G.seed_case("quantities-3." .. id .. " seed article " .. id, id, function(text)
    local p, r = score("quantities seed " .. id, text, seed_gold[id])
    tp_p, tp_r, n_seed = tp_p + p, tp_r + r, n_seed + 1
    T.ok(p >= 0.85, "precision " .. p)
    T.ok(r >= 0.9, "recall " .. r)
  end)
end
if n_seed > 0 then
  print(string.format("PR quantities, seed mean            precision %.2f recall %.2f",
    tp_p / n_seed, tp_r / n_seed))
end

G.seed_case("quantities-3.9 seed 004 attributes", "004", function(text)
  local ctx = lector.context.new(text, { gazetteer = G.gazetteer() })
  local res = extract.run(ctx, "all")
  local by = {}
  for _, s in ipairs(res.quantity) do by[text:sub(s.start, s.stop)] = s.attrs end
  T.eq({ by["60"].object, by["60"].event, by["60"].actor }, { "militants", "kill", "Islamic State" })
  T.eq({ by["63"].object, by["63"].event }, { "dead", "kill" })
  T.eq({ by.Thousands.object, by.Thousands.event, by.Thousands.approx }, { "civilians", "displace", true })
  T.eq(by.nine.object, "children")
end)

T.case("quantities-1.11 states before nouns, elided nouns, tolls far back, 'were children', families, ages", function()
  local function attrs_of(s)
    local out = {}
    for _, sp in ipairs(extract.quantities(s)) do
      local a = sp.attrs
      out[#out + 1] = { s:sub(sp.start, sp.stop), a.object, a.class, a.event }
    end
    return out
  end
  -- a state before the noun describes it
  T.eq(attrs_of("Medics treated 19 injured villagers."), { { "19", "villagers", "person", "wound" } })
  -- the second count after "and": the first's people, its own verb, or the first's verb
  T.eq(attrs_of("Nine police officers were killed and 16 wounded."),
    { { "Nine", "police officers", "person", "kill" }, { "16", "police officers", "person", "wound" } })
  T.eq(attrs_of("Nine people had died and 16 had been injured."),
    { { "Nine", "people", "person", "kill" }, { "16", nil, "person", "wound" } })
  T.eq(attrs_of("The raid killed four policemen and two civilians."),
    { { "four", "policemen", "person", "kill" }, { "two", "civilians", "person", "kill" } })
  -- a verb of another clause is not the count's
  T.eq(attrs_of("Scores were hurt when three gunmen opened fire.")[2], { "three", "gunmen", "person", nil })
  -- a toll far back in its sentence; "N were children"; a family of N
  T.eq(attrs_of("The toll from Friday's shelling of the old market in the east of the town reached 33.")[1],
    { "33", nil, "person", "kill" })
  T.eq(attrs_of("Of the dead, 8 were children.")[1], { "8", "children", "person", nil })
  T.eq(attrs_of("A family of six was among them.")[1], { "six", "family", "person", nil })
  -- an age is no count
  T.eq(all("All the victims were under the age of 12."), {})
  -- a singular noun before a plural one says what kind; an acronym in brackets
  T.eq(attrs_of("Jets hit 90 militant targets.")[1], { "90", "targets", nil, nil })
  T.eq(attrs_of("Jets hit 14 civilian homes.")[1], { "14", "homes", "thing", nil })
  T.eq(attrs_of("Some 300 Islamic State (IS) fighters crossed.")[1][2], "fighters")
  -- a phone number is no count, nor a measure with nothing counted
  T.eq(all("Call +44 20 7946 0958 for details."), {})
  T.eq(all("Call 1-866-555-0199 or 758-8084 for details."), {})
  T.eq(all("The strongest aftershock measured 5.4 on Monday."), {})
  -- counts with no noun of their own after a count of people, in the same clause
  local l = attrs_of("Police detained 200 people on Saturday, 150 on Sunday and about 90 on Monday.")
  T.eq({ l[2][3], l[2][2], l[3][3], l[3][4] }, { "person", "people", "person", "arrest" })
  T.eq(attrs_of("Nearly 700 people were hurt, 40 of them seriously.")[2][3], "person")
  T.eq(attrs_of("Some 70 were injured when three gunmen opened fire.")[2], { "three", "gunmen", "person", nil })
  -- a people's event with no noun: people ("at least 22 killed"); the last plural seen
  T.eq(attrs_of("Quake: at least 22 killed")[1], { "at least 22", nil, "person", "kill" })
  T.eq(attrs_of("Two suicide bombers struck the market.")[1][2], "bombers")
  -- an age range after a noun for people
  T.eq(#attrs_of("The dead were boys between six and 11."), 0)
  -- an acronym's plural is no people; an apposition after another clause
  -- shares nothing
  local got = attrs_of("Troops killed 30 militants and seized several trucks, including two VBIEDs.")
  T.eq(got[2], { "two", nil, nil, nil })
end)

T.case("quantities-1.12 'the number of X killed ... to N', a toll far back, the treated, nautical miles", function()
  local _, a = q1("The latest deaths bring the number of Palestinians killed in the West Bank this year to 140.")
  T.eq({ a.value, a.event, a.class }, { 140, "kill", "person" })
  _, a = q1("The number of martyrs since the beginning of the aggression has risen to 30,320.")
  T.eq({ a.value, a.event, a.class }, { 30320, "kill", "person" })
  _, a = q1("The number of trucks destroyed rose to 20.")
  T.eq({ a.value, a.event, a.class }, { 20, "destroy", nil })
  -- a toll 20 words back, past a clause
  _, a = q1("The death toll from a fire that ripped through a seven-storey commercial building in "
    .. "the capital Dhaka late on Thursday has risen to 46, officials said.")
  T.eq({ a.value, a.event, a.class }, { 46, "kill", "person" })
  -- people being treated are hurt; a count "including" them is of the same
  local got = extract.quantities("He said 22 were still being treated, including 12 in the burn unit.")
  T.eq({ #got, got[1].attrs.event, got[1].attrs.class, got[2].attrs.value, got[2].attrs.class },
    { 2, "wound", "person", 12, "person" })
  -- distances in nautical miles, feet and mph are no counts
  T.eq(all("The ship was hit about 100 nautical miles east of Assab, in waves of 30 feet and winds of 120 mph."),
    {})
end)

T.case("quantities-1.13 a crowd's size, people who march or are rescued", function()
  local _, a = q1("The interior ministry put the size of Saturday's crowd at about 50,000.")
  T.eq({ a.value, a.class }, { 50000, "person" })
  _, a = q1("Tens of thousands marched through the capital.")
  T.eq({ a.value, a.event, a.class }, { 20000, "protest", "person" })
  _, a = q1("By nightfall 75 had been rescued from the rubble.")
  T.eq({ a.value, a.event, a.class }, { 75, "rescue", "person" })
  -- a month is no march
  local got = extract.quantities("In March some 300 people died.")
  T.eq({ got[1].attrs.value, got[1].attrs.event }, { 300, "kill" })
end)

T.case("quantities-1.14 'four of them' reaches back to the count of people it takes from", function()
  local got = extract.quantities("Another 22 people found alive in the trailer were taken to hospital, "
    .. "four of them in serious condition.")
  T.eq({ #got, got[2].attrs.value, got[2].attrs.class }, { 2, 4, "person" })
end)

T.case("quantities-1.15 the count after 'and' in an apposition, 'N more' after a count of people", function()
  local got = extract.quantities("The toll has risen to 89 killed, including 31 women and 5 children.")
  T.eq({ got[3].attrs.value, got[3].attrs.event }, { 5, "kill" })
  got = extract.quantities("An estimated 400,000 people have fled the fighting, according to the United Nations, "
    .. "and nearly half a million more are at risk.")
  T.eq({ got[2].attrs.value, got[2].attrs.class }, { 500000, "person" })
end)

T.case("quantities-1.16 a score or a vote's tally is no count; fans and voters are people", function()
  T.eq(all("Manchester City beat Arsenal 3-1. The court ruled 5-4. They drew 2-2."), {})
  -- a range of money with its sign on both ends
  local text, b = q1("Prices could rise by $5-$14 a barrel.")
  T.eq({ text, b.low, b.high, b.unit }, { "$5-$14", 5, 14, "money" })
  local _, a = q1("Between 200-300 people died.")
  T.eq({ a.low, a.high }, { 200, 300 })
  _, a = q1("They drew and 30 fans were hurt.")
  T.eq({ a.value, a.class }, { 30, "person" })
end)

T.case("quantities-1.30 one of a noun of people, singular; a headline's '1 killed'", function()
  local function attrs_of(s) return fields(s, "text", "value", "object", "class", "event") end
  T.eq(attrs_of("The gunmen killed one officer."), { { "one", 1, "officer", "person", "kill" } })
  T.eq(attrs_of("One police officer was killed."), { { "One", 1, "police officer", "person", "kill" } })
  T.eq(attrs_of("Wildfire: 1 killed, 3 injured"),
    { { "1", 1, false, "person", "kill" }, { "3", 3, "injured", "person", "wound" } })
  -- a singular noun counts only one: two of it is a modifier
  T.eq(attrs_of("She had two girl children."), { { "two", 2, "children", "person", false } })
  -- a version number's last digit is no count
  T.eq(attrs_of("Release: coffee.1 released on Monday"), {})
  -- "one" alone with no person is still no count
  T.eq(attrs_of("One of the officers left."), {})
end)

T.case("quantities-1.31 events of disasters and epidemics: unaccounted for, sickened, relocated, apprehended",
    function()
  T.eq(counted("About 550 people still remain unaccounted for."), { { 550, "person", "missing" } })
  T.eq(counted("The outbreak has sickened more than 50 people."), { { 50, "person", "ill" } })
  T.eq(counted("Some 31,000 people have been relocated."), { { 31000, "person", "displace" } })
  T.eq(counted("Officials ordered the evacuation of 168,000 people."), { { 168000, "person", "evacuate" } })
  T.eq(counted("Police said 983 people were apprehended."), { { 983, "person", "arrest" } })
end)

T.case("quantities-1.32 a part of a whole: '150 of the village's 1,800 residents were killed', 'one of the men'",
    function()
  local function attrs_of(s) return fields(s, "text", "object", "class", "event") end
  -- the part takes the whole's noun and the clause's event; the whole none
  T.eq(attrs_of("At least 150 of the village's 1,800 residents were killed."), {
    { "At least 150", "residents", "person", "kill" }, { "1,800", "residents", "person", false } })
  T.eq(attrs_of("At least nine of the 49 bus passengers were being treated."), {
    { "At least nine", "passengers", "person", "wound" }, { "49", "passengers", "person", false } })
  T.eq(attrs_of("One of the men on board had died."), { { "One", "men", "person", "kill" } })
  T.eq(attrs_of("Of the injured, 56 were seriously hurt."), { { "56", "injured", "person", "wound" } })
  -- one of a thing is no count
  T.eq(attrs_of("It was one of the biggest attacks."), {})
end)

T.case("quantities-1.33 a bare number that gathered, fell ill or is trapped counts people", function()
  T.eq(counted("Thousands gathered outside the parliament."), { { 2000, "person", "gather" } })
  T.eq(counted("More than 50 have been sickened."), { { 50, "person", "ill" } })
  T.eq(counted("Another 22 are believed to still be trapped."), { { 22, "person", "encircle" } })
  T.eq(counted("The army encircled 3 villages."), { { 3, "thing", "encircle" } })
end)

T.case("quantities-1.34 a participle after the noun only describes it: 'killed 14 people fleeing to the south'",
    function()
  local function ev(s) local _, a = q1(s); return a and a.event end
  T.eq(ev("An air strike killed 14 people fleeing to the south."), "kill")
  T.eq(ev("Some 14 people fleeing the fighting were killed."), "kill")
  T.eq(ev("Some 20,000 people fleeing the violence crossed the border."), "displace")
end)

T.case("quantities-1.35 tolls of injuries, lives claimed, 'including' with no comma", function()
  T.eq(events_of("Injury toll passes 100 as fires rage."), { { "wound" } })
  T.eq(events_of("The war has claimed more than 24,800 lives."), { { "kill" } })
  T.eq(events_of("Rescuers saved 100 lives."), { { false } })
  T.eq(events_of("The strikes killed dozens of people including at least 29 children."), { { "kill" }, { "kill" } })
end)

T.case("quantities-1.36 a label on the line before names no number; a death count", function()
  T.eq(all("- Print Article\nTwo soldiers in Mali died in attacks."), { "Two" })
  T.eq(all("Under Article 5 the allies act."), {})
  local _, a = q1("The death count was expected to climb past 75.")
  T.eq({ a.class, a.event }, { "person", "kill" })
end)

T.case("quantities-1.37 a number ending a name counts nobody the count before counted: 'the vessel Sea Watch 3'",
    function()
  T.eq(fields("Some 40 migrants were picked up by the vessel Sea Watch 3 on Monday.", "class"), { { "person" },
      { false } })
end)

T.case("quantities-1.38 'Among the dead were ...', 'as well as' joins counts as 'and' does", function()
  T.eq(events_of("Among the dead were five children as well as seven women."), { { "kill" }, { "kill" } })
  T.eq(events_of("Among the bodies were a father and his three children."), { { "kill" } })
  T.eq(events_of("Among the injured were 12 soldiers."), { { "wound" } })
end)

T.case("quantities-1.39 'the two survivors', a toll that was 287, hostages released, 'died in 24'", function()
  T.eq(counted("The two survivors were taken to hospital."), { { 2, "person", "wound" } })
  T.eq(counted("His two sons went to school."), {})
  T.eq(counted("The death toll was 287."), { { 287, "person", "kill" } })
  T.eq(counted("Of them, 105 were released in November."), { { 105, "person", "release" } })
  T.eq(counted("14 people died in 24."), { { 14, "person", "kill" }, { 24, false, false } })
  T.eq(counted("About 100 of more than 270 schoolgirls remain in captivity."), { { 100, "person", false }, { 270,
      "person", false } })
end)

T.case("quantities-1.40 lists by place, 'of them are', nouns of people by shape, lengths joined on", function()
  local function at(s) return fields(s, "value", "class") end
  T.eq(at("21 deaths were reported in Region 10; six in Region 5; four each in Regions 9 and 11; and one in Caraga."),
    { { 21, "person" }, { 6, "person" }, { 4, "person" }, { 1, "person" } })
  T.eq(at("Fourteen of them are children."), { { 14, "person" } })
  T.eq(at("Police said 47 of the cultists had been arrested."), { { 47, "person" } })
  T.eq(at("Police arrested 40 rioters."), { { 40, "person" } })
  T.eq(at("The plant shipped 12 containers."), { { 12, false } })
  T.eq(at("A six to eight-week ceasefire was agreed."), {})
  T.eq(at("The village had a population of nearly 600."), { { 600, "person" } })
  T.eq(at("One in five of the displaced sleep outside, 40 people said."), { { 40, "person" } })
  T.eq(at("Later, one more unidentified person died."), { { 1, "person" } })
end)

T.case("quantities-1.41 a decimal with a scale is a whole number: 4.1 million is 4,100,000", function()
  T.eq(fields("4.1 million people fled.", "value"), { { 4100000 } })
  T.eq(fields("About 2.3 million were displaced.", "value"), { { 2300000 } })
end)

T.case("quantities-1.42 a number joined on to a word for people: a 15-person group, a 32-man patrol", function()
  T.eq(fields("A 15-person group of skiers was caught.", "value", "class"), { { 15, "person" } })
  T.eq(fields("A 32-man patrol was ambushed.", "value", "class"), { { 32, "person" } })
  T.eq(fields("A 12-year-old was hurt.", "value"), {})
end)

T.case("quantities-1.43 lakh and crore, rupees, degrees, a time that runs into its am", function()
  T.eq(fields("The victims got Rs 5 lakh each.", "value", "unit"), { { 500000, "money" } })
  T.eq(fields("About 3 lakh people were evacuated.", "value", "class"), { { 300000, "person" } })
  T.eq(fields("He paid 500,000 rupees.", "unit"), { { "money" } })
  T.eq(fields("It was 40°C in Delhi.", "value"), {})
  T.eq(fields("The blast hit at 8:30am on Monday.", "value"), {})
end)

T.case("quantities-1.44 shot, nabbed, trapping, releasing; 'One killed' opening a headline; nouns of people",
  function()
  T.eq(fields("Eight people were shot at a party.", "value", "class", "event"), { { 8, "person", "wound" } })
  T.eq(fields("TEXAS: Two people were fatally shot outside a bar.", "value", "class", "event"),
    { { 2, "person", "kill" } })
  T.eq(fields("One officer was shot by the suspect.", "value", "class", "event"), { { 1, "person", "wound" } })
  T.eq(fields("Police nabbed 14 suspects.", "value", "event"), { { 14, "arrest" } })
  T.eq(fields("The fire trapped 20 workers, trapping dozens more.", "event"), { { "encircle" }, { "encircle" } })
  T.eq(fields("Hamas began releasing 13 Israelis.", "value", "event"), { { 13, "release" } })
  T.eq(fields("12 perish in building collapse.", "value", "class", "event"), { { 12, "person", "kill" } })
  T.eq(fields("One killed in mass shooting at party.", "value", "class", "event"), { { 1, "person", "kill" } })
  T.eq(fields("One said the attack was a warning.", "value"), {})
  T.eq(fields("Two sergeants and three experts were wounded.", "value", "class"),
    { { 2, "person" }, { 3, "person" } })
end)

T.case("quantities-1.45 cases count people where an illness is near; cases of fraud count things", function()
  T.eq(fields("The country has recorded 6,607 cases of measles.", "value", "class", "event"),
    { { 6607, "person", "ill" } })
  T.eq(fields("Measles is back: there were 5,598 cases in 2020.", "value", "class"), { { 5598, "person" } })
  T.eq(fields("The ministry reported 9,404 hospitalisations and 46 deaths.", "value", "class"),
    { { 9404, "person" }, { 46, "person" } })
  T.eq(fields("The court has heard 300 cases of fraud.", "value", "class"), { { 300, "thing" } })
  T.eq(fields("In 12 cases, the suspects were released on bail.", "value", "class"), { { 12, "thing" } })
  T.eq(fields("The total number of dengue patients this year rose to 1,723.", "value", "class", "event"),
    { { 1723, "person", "ill" } })
  T.eq(fields("The number of migrants reaching Italy rose to 5,000.", "value", "class"), { { 5000, "person" } })
  T.eq(fields("The number of cars sold rose to 5,000.", "value", "class"), { { 5000, false } })
  T.eq(fields("The evacuation of more than 1,000 sick and wounded people was agreed.", "event"),
    { { "evacuate" } })
end)

T.case("quantities-1.46 'Of them, N': the people counted before; a toll 'recorded as'; a 43-member team", function()
  T.eq(fields("Currently, 4,955 patients are in hospital. Of them, 3,154 are in Dhaka and 1,801 are outside.",
    "value", "class", "object"), { { 4955, "person", "patients" }, { 3154, "person", "patients" },
    { 1801, "person", "patients" } })
  T.eq(fields("The plant made 400 cars. Of them, 300 were sold.", "value", "class"), { { 400, false }, { 300, false } })
  T.eq(fields("The official death toll that year was recorded as 179.", "value", "class", "event"),
    { { 179, "person", "kill" } })
  T.eq(fields("The prize was given as 100 dollars.", "value", "class"), { { 100, false } })
  T.eq(fields("A 43-member team is conducting rescue operations.", "value", "class"), { { 43, "person" } })
  T.eq(fields("Two women and one man were inside.", "value", "class"), { { 2, "person" }, { 1, "person" } })
  T.eq(fields("Two women arrived and one said it was over.", "value"), { { 2 } })
  T.eq(fields("The crush claimed the lives of a staggering 550 pilgrims.", "value", "event"), { { 550, "kill" } })
  T.eq(fields("The lives of 300 children changed.", "value", "event"), { { 300, false } })
  T.eq(fields("Of the 23 kids killed, 13 were boys.", "value", "event"), { { 23, "kill" }, { 13, "kill" } })
  T.eq(fields("Of the 300 cars sold, 12 were red.", "value", "class"), { { 300, false }, { 12, false } })
end)

T.case("quantities-1.47 in hospital, in critical condition: people hurt; a house number is no count", function()
  T.eq(counted("Nearly 700 remain in hospital."), { { 700, "person", "wound" } })
  T.eq(counted("Twelve were taken to hospital with burns."), { { 12, "person", "wound" } })
  T.eq(counted("At least 40 were rushed to the hospital after eating at the wedding."), { { 40, "person", "wound" } })
  T.eq(counted("Five are in critical condition."), { { 5, "person", "wound" } })
  T.eq(counted("The work added eight beds to the hospital."), { { 8, false, false } })
  T.eq(counted("Susan Smith, of 9329 NE Schuyler St., was in serious condition."), {})
  T.eq(counted("Protesters gathered outside 10 Downing Street."), {})
  T.eq(counted("Some 300 Main Street residents were evacuated."), { { 300, "person", "evacuate" } })
end)

T.case("quantities-1.48 several and a couple; Indian and spaced digit groups; 69-million; toll verbs", function()
  T.eq(fields("Several workers died and a couple of devotees slipped.", "value", "low", "high", "class"),
    { { 3, 3, 9, "person" }, { 2, 2, 2, "person" } })
  T.eq(fields("There were several reasons and a couple of weeks.", "value"), {})
  T.eq(counted("The floods hit 5,22,908 people and 1,56,874 animals."),
    { { 522908, "person", false }, { 156874, "thing", false } })
  T.eq(fields("Prices rose by 5,22 points.", "value"), {})
  T.eq(counted("Some 5 000 troops arrived on Monday. Nearly 4 000 people died."),
    { { 5000, "person", false }, { 4000, "person", "kill" } })
  T.eq(fields("Call 00 353 818 304 304 now or +962 79 000 0000.", "value"), {})
  T.eq(counted("Nearly 69-million people face hunger."), { { 69000000, "person", false } })
  T.eq(fields("The 275-billion dollar debt grew.", "value"), {})
  T.eq(counted("The death toll from the quake rose above 22,000 on Friday."), { { 22000, "person", "kill" } })
  T.eq(counted("The official death toll, which the government said had risen to about 22,069, may rise."),
    { { 22069, "person", "kill" } })
  T.eq(counted("The reported deaths from the outbreak have climbed to 12."), { { 12, "person", "kill" } })
  T.eq(counted("Exports, which rose to 300, fell."), { { 300, false, false } })
  T.eq(counted("A team of 25 divers found seven cadavers; 12 districts and the several States."),
    { { 25, "person", false }, { 7, "person", false }, { 12, "thing", false } })
end)

T.case("quantities-1.49 a bare count opening the next sentence as its subject counts the people before", function()
  T.eq(fields("The quake killed 300 people. Another 14,000 were still buried under the rubble.", "value", "class"),
    { { 300, "person" }, { 14000, "person" } })
  T.eq(fields("The boat sank with 200 migrants on board. Only 31 survived.", "value", "class", "object"),
    { { 200, "person", "migrants" }, { 31, "person", "migrants" } })
  T.eq(fields("The plant made 400 cars. Another 300 were sold.", "value", "class"), { { 400, false }, { 300, false } })
  T.eq(fields("The boat carried 200 migrants.\n\nOnly 31 were on time.", "value", "class"),
    { { 200, "person" }, { 31, false } })
end)

T.case("quantities-1.50 one out of every eight, two of every three, one in every four: shares, no counts", function()
  T.eq(fields("More than one out of every eight residents left; two of every three households were hit.", "value"), {})
  T.eq(fields("One in every four people was ill, and 12 of the 40 soldiers died.", "value"), { { 12 }, { 40 } })
end)

T.case("quantities-1.51 tolls reached or fallen below, a case count, cases in a report naming its illness", function()
  T.eq(counted("Traffic fatalities during the holiday have reached 204."), { { 204, "person", "kill" } })
  T.eq(counted("Daily deaths from the virus fell below 100."), { { 100, "person", "kill" } })
  T.eq(counted("The case count rose again, to 819."), { { 819, "person", "ill" } })
  T.eq(counted("Prices rose again, to 819."), { { 819, false, false } })
  T.eq(fields("The cholera outbreak has spread. The ministry reported 397 new confirmed cases.", "value", "class"),
    { { 397, "person" } })
  T.eq(fields("The court heard 300 cases.", "value", "class"), { { 300, "thing" } })
  T.eq(counted("Police detain hundreds; 52,812 finishers ran."),
    { { 200, "person", "arrest" }, { 52812, "person", false } })
end)

T.case("quantities-1.52 after a date line, a station's name, a list of ages", function()
  T.eq(counted(" date 2024-05-30 21 pilgrims dead as bus plunges into gorge"), { { 21, "person", "kill" } })
  T.eq(fields("Watch FOX 56 News and Channel 4 News tonight.", "value"), {})
  T.eq(fields("Three men, ages 63, 40 and 32, were held; children aged 8, 10 and 12 were rescued.", "value"),
    { { 3 } })
end)

T.case("quantities-1.53 'of which N', 'N of them were' in the next sentence: the people counted before", function()
  T.eq(fields("The hospital treated 40 patients, of which 11 were in the same ward.", "value", "class"),
    { { 40, "person" }, { 11, "person" } })
  T.eq(fields("Rescuers found five miners. Two of them were found alive.", "value", "class"),
    { { 5, "person" }, { 2, "person" } })
  T.eq(fields("The plant made 40 cars, of which 11 were red. He read 5 books. Two of those were long.",
    "value", "class"),
    { { 40, false }, { 11, false }, { 5, false }, { 2, false } })
end)

T.case("quantities-1.54 60, 000 people; forces, ultras, colleagues as people; Government Areas as things", function()
  T.eq(counted("Over 60, 000 people fled."), { { 60000, "person", "displace" } })
  T.eq(fields("Scores were 1, 2, 3 and 4.", "value"), { { 40 }, { 2 }, { 3 }, { 4 } })
  T.eq(fields("Across 57 Local Government Areas, 30,000 Iraqi forces and 157 ultras were killed.", "value", "class"),
    { { 57, "thing" }, { 30000, "person" }, { 157, "person" } })
end)

T.case("quantities-1.55 a weekday before a count: On Wednesday nine people were killed; Wednesday 9 March", function()
  T.eq(counted("On Wednesday nine people were killed."), { { 9, "person", "kill" } })
  T.eq(counted("On Tuesday 9 people died."), { { 9, "person", "kill" } })
  T.eq(counted("On Wednesday 9 March, 12 people died."), { { 12, "person", "kill" } })
  T.eq(counted("He came on Monday 21, and left."), {})
end)

T.case("quantities-1.56 offenders, traffickers; 400,000 protest, hundreds have turned out; heatstroke cases", function()
  T.eq(counted("12 offenders were released and 400,000 protest."),
    { { 12, "person", "release" }, { 400000, "person", "protest" } })
  T.eq(counted("Hundreds have turned out in the rain."), { { 200, "person", "gather" } })
  T.eq(counted("The state recorded 16,344 suspected heatstroke cases."), { { 16344, "person", "ill" } })
end)

T.case("quantities-1.57 a title-case headline's count is no house number; prosecutors, criminals", function()
  T.eq(fields("3,000 Migrants Block Highway", "value", "class"), { { 3000, "person" } })
  T.eq(fields("Police held 12 criminals and 4 prosecutors.", "value", "class"), { { 12, "person" }, { 4, "person" } })
end)

T.case("quantities-1.58 a hyphenated modifier's noun is no head: 500 special-forces troops", function()
  T.eq(fields("Washington has about 500 special-forces troops in northern Syria.", "value", "object"),
    { { 500, "troops" } })
end)

T.case("quantities-1.59 a breakdown after followed by, or after an apposition's item: the same people", function()
  T.eq(fields("Punjab recorded the most deaths at 520, followed by 305 in Khyber Pakhtunkhwa, and 281 in Balochistan.",
    "value", "class"), { { 520, "person" }, { 305, "person" }, { 281, "person" } })
  T.eq(fields("The floods killed 1,100 people, including 400 in Sindh and 300 in Punjab.", "value", "class"),
    { { 1100, "person" }, { 400, "person" }, { 300, "person" } })
end)
