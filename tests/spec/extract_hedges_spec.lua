-- lector.extract.hedges: uncertainty and distancing wording by category,
-- loaded labels with their neutral terms, density per 1,000 words.
local T = require "testlib"
local G = require "extract_gold"
local lector = require "lector"
local extract = lector.extract

local function hedges(s)
  local out = {}
  for _, sp in ipairs(extract.hedges(s)) do
    out[#out + 1] = { s:sub(sp.start, sp.stop), sp.label, sp.attrs.neutral }
  end
  return out
end

T.case("hedges-1.1 uncertainty by category", function()
  T.eq(hedges("Reports are circulating that the town fell."), { { "Reports are circulating", "rumour" } })
  T.eq(hedges("Reports have been circulating for days."), { { "Reports have been circulating", "rumour" } })
  T.eq(hedges("If true, this is a defeat."), { { "If true", "conditional" } })
  T.eq(hedges("The fighters were apparently trapped."), { { "apparently", "evidential" } })
  T.eq(hedges("Civilians are reportedly fleeing."), { { "reportedly", "evidential" } })
  T.eq(hedges("He allegedly ordered it."), { { "allegedly", "evidential" } })
  T.eq(hedges("There were unconfirmed reports of gas."), { { "unconfirmed reports", "unverified" } })
  T.eq(hedges("These reports have not been officially confirmed."),
    { { "have not been officially confirmed", "unverified" } })
  T.eq(hedges("The claims could not be independently verified."),
    { { "could not be independently verified", "unverified" } })
  T.eq(hedges("It seems that ISIS is digging in."), { { "It seems", "epistemic" } })
  -- footage and figures news cannot stand behind
  T.eq(hedges("The video, which appeared to show the strike, could not be authenticated."),
    { { "appeared to", "epistemic" }, { "could not be authenticated", "unverified" } })
  T.eq(hedges("Casualty figures are disputed."), { { "are disputed", "unverified" } })
  T.eq(hedges("The self-proclaimed emir and his purported deputy."),
    { { "self-proclaimed", "distancing" }, { "purported", "evidential" } })
end)

T.case("hedges-1.4 what a reporter could not confirm", function()
  T.eq(hedges("The Pentagon was aware of the reports but could not confirm them."),
    { { "could not confirm", "unverified" } })
  T.eq(hedges("Reuters could not immediately confirm the toll."), { { "could not immediately confirm", "unverified" } })
  T.eq(hedges("We were unable to verify the footage."), { { "unable to verify", "unverified" } })
  T.eq(hedges("Reuters could not immediately verify the reports."),
    { { "could not immediately verify", "unverified" } })
  T.eq(hedges("It was impossible to independently verify the claim."),
    { { "impossible to independently verify", "unverified" } })
  T.eq(hedges("The BBC has not been able to verify the video."), { { "not been able to verify", "unverified" } })
  T.eq(hedges("Officials gave a toll of 40, a figure rebels disputed."),
    { { "figure rebels disputed", "unverified" } })
  -- the dead no one has seen
  T.eq(hedges("Twelve fishermen are feared dead."), { { "feared dead", "epistemic" } })
  T.eq(hedges("Reports suggest the town fell; this could not be confirmed."),
    { { "Reports suggest", "rumour" }, { "could not be confirmed", "unverified" } })
  T.eq(hedges("It is believed that 20 died."), { { "It is believed", "epistemic" } })
end)

T.case("hedges-1.2 loaded labels and their neutral terms", function()
  T.eq(hedges("The regime shelled the town."), { { "regime", "loaded", "government" } })
  T.eq(hedges("Terrorists attacked; moderate rebels withdrew."),
    { { "Terrorists", "loaded", "armed groups" }, { "moderate rebels", "loaded", "armed opposition" } })
  T.eq(hedges("Jihadis fled the liberated city."),
    { { "Jihadis", "loaded", "Islamist fighters" }, { "liberated", "loaded", "captured" } })
  T.eq(hedges("The government retook the city."), {})
  -- the labels of other sides' media: Iranian and Syrian state media, the Turkish army, the opposition
  local function loaded(t)
    local out = {}
    for _, sp in ipairs(extract.hedges(t)) do out[#out + 1] = { t:sub(sp.start, sp.stop), sp.attrs.neutral } end
    return out
  end
  T.eq(loaded("Takfiri terrorists attacked; the army neutralized 30 PKK terrorists."),
    { { "Takfiri terrorists", "armed groups" }, { "neutralized", "killed or captured" }, { "PKK terrorists", "PKK" } })
  T.eq(loaded("Shabiha gunmen fired on the revolutionaries."),
    { { "Shabiha", "pro-government militia" }, { "revolutionaries", "armed opposition" } })
end)

T.case("hedges-1.3 density per 1,000 words", function()
  local ctx = lector.context.new("Reportedly the regime fell. " .. string.rep("word ", 96))
  local d = extract.hedge_density(ctx)
  T.eq({ d.words, d.hedges, d.loaded, d.per_1000, d.loaded_per_1000 }, { 100, 1, 1, 10, 10 })
  T.eq(d.by_category, { evidential = 1, loaded = 1 })
end)

local function same(s, g) return s.label == g.label end

local function score(name, text, gold)
  local ctx = lector.context.new(text, { gazetteer = G.gazetteer() })
  local res = extract.run(ctx, "boilerplate,hedges")
  G.locate(text, gold)
  return G.score(name, text, res.hedge, gold, same)
end

local function L(s) return { s, label = "loaded" } end

T.case("hedges-2.1 own articles, whole documents", function()
  local p, r = score("hedges article A", G.data("extract_article_a.txt"), {
    { "could not be independently verified", label = "unverified" },
    { "reportedly", label = "evidential" }, { "claimed", label = "distancing" },
    L "liberated", L "regime",
  })
  T.eq({ p, r }, { 1, 1 })
  p, r = score("hedges article B", G.data("extract_article_b.txt"), {
    L "rebels", { "reports are circulating", label = "rumour" }, L "terrorists", L "neutralised",
    { "could be independently verified", label = "unverified" },
    { "apparently", label = "evidential" }, { "If true", label = "conditional" },
  })
  T.eq({ p, r }, { 1, 1 })
end)

local seed = {
  ["000"] = {
    L "Daesh", { "Reports are circulating", label = "rumour" }, L "Jihadi",
    { "If true", label = "conditional" }, L "Jihadi", { "apparently", label = "evidential" },
    { "remains to be seen", label = "epistemic" }, L "Jihadi", { "It seems", label = "epistemic" },
    { "apparent", label = "evidential" }, { "may have", label = "epistemic" },
    { "there are now reports", label = "rumour" },
    L "Daesh", L "Daesh", L "Daesh", L "Daesh", L "liberation", L "Daesh", L "terrorists",
    L "Daesh", L "Daesh", L "terrorists", L "Daesh",
  },
  ["002"] = {
    { "Reports are circulating", label = "rumour" }, { "presumably", label = "epistemic" },
    { "There have also been reports", label = "rumour" }, L "Jihadi",
    { "It is sometimes said", label = "evidential" }, L "terrorist", { "I doubt", label = "epistemic" },
  },
}
for _, id in ipairs({ "000", "002" }) do
  G.seed_case("hedges-3." .. id .. " seed article " .. id, id, function(text)
    local p, r = score("hedges seed " .. id, text, seed[id])
    T.ok(p >= 0.85, "precision " .. p)
    T.ok(r >= 0.85, "recall " .. r)
  end)
end

T.case("hedges-1.5 an analyst's hedges: 'seem to', 'may even have', 'is widely believed to', 'suspected'", function()
  T.eq(hedges("The Houthis seem to be enjoying it."), { { "seem to", "epistemic" } })
  T.eq(hedges("The campaign may even have strengthened them."), { { "may even have", "epistemic" } })
  T.eq(hedges("Iran is widely believed to supply the group."), { { "is widely believed to", "evidential" } })
  T.eq(hedges("Suspected gunmen ambushed a convoy."), { { "Suspected", "evidential" } })
  T.eq(hedges("It was not immediately clear who fired, and details remain murky."),
    { { "not immediately clear", "epistemic" }, { "murky", "epistemic" } })
end)

T.case("hedges-1.6 'claimed responsibility' and 'claimed the lives of' distance nothing", function()
  T.eq(hedges("No group claimed responsibility. The blast claimed the lives of 12."), {})
  T.eq(hedges("The group claimed the town had fallen."), { { "claimed", "distancing" } })
end)

T.case("hedges-1.7 'claimed 24,800 lives', 'claimed by' distance nothing; a toll that could rise", function()
  T.eq(hedges("The war has claimed more than 24,800 lives. The attack was claimed by a local cell."), {})
  T.eq(hedges("Land claimed by both sides lies idle."), {})
  T.eq(hedges("It was claimed by officials that the town fell."), { { "It was claimed by", "distancing" } })
  T.eq(hedges("The death toll could rise further."), { { "could rise", "epistemic" } })
  T.eq(hedges("The toll is expected to rise, and the real number may be higher."),
    { { "expected to rise", "epistemic" }, { "may be higher", "epistemic" } })
  T.eq(hedges("The agency did not cite a source for the figure."), { { "did not cite a source", "unverified" } })
end)

T.case("hedges-1.8 reported in the past: 'was said to', 'believed to have'", function()
  T.eq(hedges("He was said to have been shot."), { { "was said to", "evidential" } })
  T.eq(hedges("A suspect believed to have wounded two officers fled."), { { "believed to have", "evidential" } })
end)

T.case("hedges-1.9 a loaded word that a capitalised name goes on after is the name's", function()
  T.eq(hedges("The National Liberation Army said it would free 12 hostages."), {})
  T.eq(hedges("The army liberated the town."), { { "liberated", "loaded", "captured" } })
end)
