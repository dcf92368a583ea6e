-- lector.extract.sources: who the text cites, the chains, and the claims
-- each attribution covers.
local T = require "testlib"
local G = require "extract_gold"
local lector = require "lector"
local extract = lector.extract

local function sources(s, opts)
  local ctx = lector.context.new(s, opts)
  local res = extract.run(ctx, "all")
  local out = {}
  for _, sp in ipairs(res.source) do
    out[#out + 1] = { s:sub(sp.start, sp.stop), sp.label, sp.attrs.source, sp.attrs.verb }
  end
  return out, res, ctx
end

T.case("sources-1.1 attribution forms", function()
  T.eq(sources("Already according to Al-Masdar the Tiger Forces advanced."),
    { { "according to Al-Masdar", "named", "Al-Masdar News", "according to" } })
  T.eq(sources("At least one commander told Reuters that the town was encircled."),
    { { "At least one commander told Reuters", "anonymous", "At least one commander", "told" } })
  T.eq(sources("CNN notes that the government blames ISIS."),
    { { "CNN notes", "named", "CNN", "notes" } })
  T.eq(sources("Sputnik reports the same."), { { "Sputnik reports", "named", "Sputnik", "reports" } })
  T.eq(sources("Local activists said the market was hit."),
    { { "Local activists said", "anonymous", "Local activists", "said" } })
  T.eq(sources("Another report relayed by CNN has ISIS recruiting tribes."),
    { { "relayed by CNN", "named", "CNN", "relayed" } })
end)

T.case("sources-1.2 chains: citing, relays, told", function()
  local _, res = sources("RT reported, citing the Syrian Observatory, that 40 died.")
  local a = res.source[1].attrs
  T.eq(a.chain, { "RT", "Syrian Observatory for Human Rights" })
  T.eq(a.source, "Syrian Observatory for Human Rights")
  _, res = sources("TASS, citing a military source, said 30 fighters were killed.")
  a = res.source[1].attrs
  T.eq({ a.chain, res.source[1].label }, { { "TASS", "a military source" }, "anonymous" })
  T.eq(res.quantity[1].attrs.source, "a military source")
  _, res = sources("Rudaw relays Russian claims of killing 60 militants.")
  T.eq(res.source[1].attrs.chain, { "Rudaw", "Russian" })
  _, res = sources("Sources told the Syrian Observatory for Human Rights that alliances were struck.")
  T.eq(res.source[1].attrs.chain, { "Syrian Observatory for Human Rights", "Sources" })
  T.eq(res.source[1].attrs.via, "Syrian Observatory for Human Rights")
end)

T.case("sources-1.3 each figure gets its own source", function()
  local s = "Rudaw relays Russian claims of killing 60 Islamic State militants in airstrikes, although "
    .. "the London-based Syrian Observatory for Human Rights said the death toll was only 44."
  local _, res = sources(s)
  local q = res.quantity
  T.eq(#q, 2)
  T.eq({ q[1].attrs.value, q[1].attrs.source }, { 60, "Russian" })
  T.eq({ q[2].attrs.value, q[2].attrs.source }, { 44, "Syrian Observatory for Human Rights" })
  T.eq(res.source[1].attrs.claims, { q[1].start })
  T.eq(res.source[2].attrs.claims, { q[2].start })
end)

T.case("sources-1.4 quotes are claims of their speakers' sources", function()
  local s = '"Hundreds of combatants have been killed," CNN reports.'
  local _, res = sources(s)
  T.eq(res.quote[1].attrs.source, "CNN")
  T.eq(res.quantity[1].attrs.source, "CNN")
  T.eq(res.source[1].attrs.claims, { 1, 2 })
  -- no subject, no source: "It is sometimes said", "I expect"
  T.eq((sources("It is sometimes said that ISIS would revert. I expect them to fail.")), {})
end)

T.case("sources-1.5 named institutions and people, unnamed spokesmen", function()
  local function one(s)
    local got = sources(s)
    return got[1] and { got[1][1], got[1][2], got[1][3] }
  end
  -- (an institution of the outlets lexicon: the span takes its article, as
  -- "The Syrian Observatory for Human Rights said" does)
  T.eq(one("The Pentagon said 12 soldiers were wounded."), { "The Pentagon said", "named", "Pentagon" })
  -- a person is named without the titles before the name (as "Colonel Ryan
  -- Dillon, a coalition spokesman," is), whoever the title says they serve
  T.eq(one("Turkish President Recep Tayyip Erdogan said Ankara would act."),
    { "Recep Tayyip Erdogan said", "named", "Recep Tayyip Erdogan" })
  T.eq(one("US ambassador Nikki Haley accused Moscow of stalling."),
    { "Nikki Haley accused", "named", "Nikki Haley" })
  T.eq(one("A spokesman for the coalition said the strikes continued."),
    { "A spokesman for the coalition said", "anonymous", "A spokesman for the coalition" })
  T.eq(one("Moscow said the talks would resume."), { "Moscow said", "named", "Moscow" })
  T.eq(one("Many said the war was lost."), nil)
  T.eq(one("He said he would go."), nil)
end)

local function same(s, g)
  return s.attrs.source == g.source and (not g.label or s.label == g.label)
end

local function score(name, text, gold)
  local ctx = lector.context.new(text, { gazetteer = G.gazetteer() })
  local res = extract.run(ctx, "all")
  G.locate(text, gold)
  local p, r = G.score(name, text, res.source, gold, same)
  return p, r, res
end

T.case("sources-2.1 own articles, whole documents", function()
  local p, r = score("sources article A", G.data("extract_article_a.txt"), {
    { "the Russian Defence Ministry said", source = "Russian Ministry of Defence" },
    { "Igor Konashenkov told", source = "Igor Konashenkov" },
    { "The Syrian Observatory for Human Rights, citing local activists, said", source = "local activists" },
    { "according to the United Nations", source = "United Nations" },
    { "A rebel commander told Reuters", source = "A rebel commander" },
    { "he said", source = "A rebel commander" },
    { "Opposition media reportedly claimed", source = "Opposition media" },
    { "The army said", source = "The army", label = "institution" },
    { "according to medics", source = "medics" },
  })
  T.eq({ p, r }, { 1, 1 })
  p, r = score("sources article B", G.data("extract_article_b.txt"), {
    { "the U.N. refugee agency UNHCR said", source = "UNHCR" },
    { "Anadolu Agency, citing military sources, said", source = "military sources" },
    { "Hawar News reported", source = "Hawar News Agency" },
    { "said Amina Khalil", source = "Amina Khalil" },
    { "Her neighbour said", source = "Her neighbour" },
    { "Sputnik reports", source = "Sputnik" },
  })
  T.eq({ p, r }, { 1, 1 })
end)

T.case("sources-2.2 own article C (a wire report), whole document", function()
  local p, r = score("sources article C", G.data("extract_article_c.txt"), {
    { "activists and a local official said", source = "activists and a local official", label = "anonymous" },
    { "The Britain-based", to = "and said", source = "Syrian Observatory for Human Rights" },
    { "A local council official, who", to = "said", source = "A local council official" },
    { "a doctor there told the AP", source = "a doctor", label = "anonymous" },
    { "according to the U.N.", source = "United Nations" },
  })
  T.eq({ p, r }, { 1, 1 })
end)

-- Three more wire-style reports written for these tests: names set off
-- by commas, a title before a name, "he"/"she" for the person just named,
-- "quoted X as saying", institutions by their lexicon names.
T.case("sources-2.3 own articles D, E, F: appositions, pronouns, institutions", function()
  local p, r = score("sources article D", G.data("extract_article_d.txt"), {
    { "the International Committee of the Red Cross said", source = "International Committee of the Red Cross" },
    { "said Pawel Krzysiek", source = "Pawel Krzysiek" },
    { "He added", source = "Pawel Krzysiek", label = "named" },
    { "Marianne Gasser, the head", to = "said", source = "Marianne Gasser", label = "named" },
    { "she said", source = "Marianne Gasser", label = "named" },
    { "A local doctor, who", to = "The Associated Press", source = "A local doctor", label = "anonymous" },
    { "An opposition activist in the town said", source = "An opposition activist in the town" },
    { "Syrian state television quoted a government official as saying", source = "a government official",
      label = "anonymous" },
    { "The UN's humanitarian chief, Stephen O'Brien, told", source = "Stephen O'Brien", label = "named" },
  })
  T.eq({ p, r }, { 1, 1 })
  p, r = score("sources article E", G.data("extract_article_e.txt"), {
    { "Kurdish-led forces say", source = "Kurdish-led forces" },
    { "a spokeswoman for the Syrian Democratic Forces said",
      source = "a spokeswoman for the Syrian Democratic Forces" },
    { "Jihan Sheikh Ahmed told Reuters", source = "Jihan Sheikh Ahmed" },
    { "She said", source = "Jihan Sheikh Ahmed" },
    { "The U.S.-led coalition said", source = "The U.S.-led coalition" },
    { "A coalition spokesman, Colonel Ryan Dillon, said", source = "Ryan Dillon", label = "named" },
    { "according to Hezbollah's military media unit", source = "Hezbollah's military media unit" },
    { "The group said", source = "The group" },
    { "Amnesty International accused", source = "Amnesty International" },
    { "said Donatella Rovera", source = "Donatella Rovera" },
  })
  T.eq({ p, r }, { 1, 1 })
  p, r = score("sources article F", G.data("extract_article_f.txt"), {
    { "a war monitor and rescue workers said", source = "a war monitor and rescue workers" },
    { "The Syrian Observatory for Human Rights said", source = "Syrian Observatory for Human Rights" },
    { "said Abdulrahman al-Hassan", source = "Abdulrahman al-Hassan" },
    { "Russia's defence ministry denied", source = "Russian Ministry of Defence", label = "named" },
    { "the RIA news agency reported", source = "RIA Novosti" },
    { "A ministry spokesman told RIA", source = "A ministry spokesman", label = "anonymous" },
    { "according to the United Nations", source = "United Nations" },
    { "state news agency SANA said", source = "SANA" },
  })
  T.eq({ p, r }, { 1, 1 })
end)

T.case("sources-2.4 own articles G and H: officials by title, owners of outlets, unnamed officials", function()
  local p, r = score("sources article G", G.data("extract_article_g.txt"), {
    { "commander says", source = "commander", label = "anonymous" },
    { "the head of the country's counter-terrorism service said",
      source = "the head of the country's counter-terrorism service", label = "anonymous" },
    { "Talib Shaghati told", source = "Talib Shaghati", label = "named" },
    { "He said", source = "Talib Shaghati" },
    { "The U.S.-led coalition estimates", source = "The U.S.-led coalition" },
    { "a United Nations report last month said", source = "United Nations" },
    { "according to the International Organization for Migration",
      source = "International Organization for Migration", label = "named" },
    { "Medical officials said", source = "Medical officials" },
    { "Islamic State's Amaq news agency said", source = "Amaq" },
    { "he told", source = "Haider al-Abadi" },
    { "A senior Kurdish official, who", to = "said", source = "A senior Kurdish official", label = "anonymous" },
    { "he said", source = "A senior Kurdish official" },
  })
  T.eq({ p, r }, { 1, 1 })
  p, r = score("sources article H", G.data("extract_article_h.txt"), {
    { "officials say", source = "officials" },
    { "Houthi officials and medics said", source = "Houthi officials and medics" },
    { "Youssef al-Hadhri said", source = "Youssef al-Hadhri" },
    { "he said", source = "Youssef al-Hadhri" },
    { "The coalition said", source = "The coalition" },
    { "Col. Turki al-Maliki, the", to = "said", source = "Turki al-Maliki", label = "named" },
    { "The United Nations says", source = "United Nations" },
    { "according to the World Food Programme", source = "World Food Programme" },
    { "said Jamie McGoldrick", source = "Jamie McGoldrick" },
    { "Human rights groups have documented", source = "Human rights groups", label = "institution" },
    { "according to the International Committee of the Red Cross",
      source = "International Committee of the Red Cross" },
    { "Riyadh says", source = "Riyadh" },
  })
  T.eq({ p, r }, { 1, 1 })
end)

T.case("sources-2.5 own articles I and J: relative clauses, names after the verb, passives", function()
  local p, r = score("sources article I", G.data("extract_article_i.txt"), {
    { "residents say", source = "residents", label = "anonymous" },
    { "residents and a local official said", source = "residents and a local official", label = "anonymous" },
    { "said Bulama Mali", source = "Bulama Mali", label = "named" },
    { "he said", source = "Bulama Mali" },
    { "A member of a civilian militia that fights alongside the army, who asked not to be named, put the "
      .. "death toll at", source = "A member of a civilian militia", label = "anonymous" },
    { "according to the United Nations", source = "United Nations" },
  })
  T.eq({ p, r }, { 1, 1 })
  p, r = score("sources article J", G.data("extract_article_j.txt"), {
    { "a senior official was quoted", source = "a senior official", label = "anonymous" },
    { "Ali Asghar Naserbakht, a deputy governor of Tehran, told", source = "Ali Asghar Naserbakht" },
    { "he said", source = "Ali Asghar Naserbakht" },
    { "State television said", source = "State television" },
    { "it said", source = "State television" },
    { "Exiled opposition groups put the number of", source = "Exiled opposition groups" },
    { "Amnesty International said", source = "Amnesty International" },
    { "Hassan Rouhani said", source = "Hassan Rouhani" },
    { "he said", source = "Hassan Rouhani" },
  })
  T.eq({ p, r }, { 1, 1 })
end)

T.case("sources-1.6 appositions, titles and the words that name nobody", function()
  local function one(s)
    local got = sources(s)
    return got[1] and { got[1][1], got[1][2], got[1][3] }
  end
  T.eq(one("Lina Haddad, a nurse at the hospital, said 14 people died."),
    { "Lina Haddad, a nurse at the hospital, said", "named", "Lina Haddad" })
  T.eq(one("The army's chief of staff, General Omar Saleh, told reporters the town had fallen."),
    { "The army's chief of staff, General Omar Saleh, told", "named", "Omar Saleh" })
  -- a clause between the commas is no apposition
  T.eq(one("The convoy, which was delayed for weeks, said nothing."), nil)
  T.eq(one("No group immediately claimed the attack."), nil)
  -- a weekday is nobody: "told the council on Monday"
  T.eq(one("Ahmed Salem, the envoy, told the council on Monday that talks had failed."),
    { "Ahmed Salem, the envoy, told", "named", "Ahmed Salem" })
  -- the name of a body with of/for/the inside
  T.eq(one("The Russian Center for Syrian Reconciliation said 40 fighters surrendered."),
    { "Russian Center for Syrian Reconciliation said", "named", "Russian Center for Syrian Reconciliation" })
  -- "the claims" is a noun, "dismissed" the verb
  T.eq(one("Damascus dismissed the claims as fake."), { "Damascus dismissed", "named", "Damascus" })
  -- an auxiliary before the verb; a participle opening the sentence is no verb of its own
  T.eq(one("President Bashar al-Assad has said the war is nearly won."),
    { "Bashar al-Assad has said", "named", "Bashar al-Assad" })
  T.eq(one("Asked about the attack in Khan Sheikhoun, officials said nothing had changed."),
    { "officials said", "anonymous", "officials" })
  -- a clause of another kind set off by commas; what follows "said its" is what was said
  T.eq(one("Jabhat Fateh al-Sham, formerly known as al-Nusra Front, said its fighters would leave for Idlib."),
    { "Jabhat Fateh al-Sham, formerly known as al-Nusra Front, said", "named", "Jabhat Fateh al-Sham" })
  -- "put the death toll at": the figure is the source's; one attribution a
  -- source a sentence
  local got2, res2 = sources("The Syrian Observatory put the death toll at 48, and said 70 people were wounded.")
  T.eq(#got2, 1)
  T.eq(got2[1][1], "The Syrian Observatory put the death toll at 48, and said")
  T.eq({ res2.quantity[1].attrs.source, res2.quantity[1].attrs.event, res2.quantity[2].attrs.source },
    { "Syrian Observatory for Human Rights", "kill", "Syrian Observatory for Human Rights" })
  -- an unnamed official described by a title and what he heads
  T.eq(one("The city is free, the head of the country's counter-terrorism service said on Tuesday."),
    { "the head of the country's counter-terrorism service said", "anonymous",
      "the head of the country's counter-terrorism service" })
  -- a place inside the name of a body is part of the name
  local place = lector.gazetteer.new()
  place:add("Syria", "Syria", "PLACE")
  local body = sources("The Russian Center for Reconciliation of Opposing Sides in Syria said 40 fighters left.",
    { gazetteer = place })
  T.eq({ body[1][1], body[1][2], body[1][3] }, { "Russian Center for Reconciliation of Opposing Sides in Syria said",
    "named", "Russian Center for Reconciliation of Opposing Sides in Syria" })
  -- an outlet after its owner is the outlet
  T.eq(one("Islamic State's Amaq news agency said its fighters had destroyed 14 vehicles."),
    { "Islamic State's Amaq news agency said", "named", "Amaq" })
  T.eq(one("Turkey's Anadolu news agency reported the deaths."),
    { "Turkey's Anadolu news agency reported", "named", "Anadolu Agency" })
  -- a name after a title and set off by commas loses the title
  T.eq(one("Col. Ahmed Naji, the coalition's spokesman, said the target was legitimate."),
    { "Col. Ahmed Naji, the coalition's spokesman, said", "named", "Ahmed Naji" })
  -- a capitalised word ending -ed is a name, not a participle: "Mohamed"
  T.eq(one("Last October, Mohamed El Baradei, the head of the IAEA, announced a deal."),
    { "Mohamed El Baradei, the head of the IAEA, announced", "named", "Mohamed El Baradei" })
  -- a source noun heading a proper name is a named body
  T.eq(one("The Iraqi Joint Operations Command said 1,500 fighters were killed."),
    { "Iraqi Joint Operations Command said", "named", "Iraqi Joint Operations Command" })
  -- (an official body of the outlets lexicon takes its article, as "The Pentagon said" does)
  T.eq(one("The Turkish General Staff said 1,500 fighters were killed."),
    { "The Turkish General Staff said", "named", "Turkish General Staff" })
  -- an official body told something is an audience, not a channel
  local _, told = sources("The UN chief, Stephen Smith, told the Security Council that 400,000 were trapped.")
  T.eq({ told.source[1].attrs.source, told.source[1].attrs.via }, { "Stephen Smith", nil })
  -- an attribution set off at the end of a sentence covers the clause it closes
  local _, closing = sources("The envoy, Omar Haddad, said a truce would work if the shelling stopped, "
    .. "which killed one person and injured six on Friday, state media reported.")
  T.eq({ closing.quantity[1].attrs.source, closing.quantity[2].attrs.source }, { "state media", "state media" })
  _, closing = sources("Omar Haddad said 30 people were killed, state media reported.")
  T.eq(closing.quantity[1].attrs.source, "Omar Haddad")
  -- a person's name after the body they chair is the person
  T.eq(one("Russian parliamentarian and deputy chairman of the Defense and Security Committee Omar Haddad said it."),
    { "Omar Haddad said", "named", "Omar Haddad" })
  -- a monitor's count is its claim
  local _, counted = sources("SANA reported 8 dead, citing a police source, while the monitor counted 14.")
  T.eq({ counted.quantity[2].attrs.source, counted.source[2].attrs.verb }, { "the monitor", "counted" })
  T.eq(one("Other sources put the number at about 300,000."),
    { "Other sources put the number at", "anonymous", "Other sources" })
  -- a statement from a body is the body's; people familiar with a matter are unnamed
  T.eq(one("According to a statement from the White House, the talks failed."),
    { "According to a statement from the White House", "named", "White House" })
  T.eq(one("People familiar with the matter said the deal was close."),
    { "People familiar with the matter said", "anonymous", "People familiar with the matter" })
  T.eq(one("Rebels backed by Turkey said they had entered the town."),
    { "Rebels backed by Turkey said", "anonymous", "Rebels backed by Turkey" })
  T.eq(one("A report by Reuters said 40 were killed."), { "A report by Reuters said", "named", "Reuters" })
  -- a participle clause set off by commas
  T.eq(one("One European diplomat, speaking on condition of anonymity, said talks had stalled."),
    { "One European diplomat, speaking on condition of anonymity, said", "anonymous", "One European diplomat" })
  -- a surname alone after the full name: the same person
  local got = sources('"It is over," says Emile Hokayem, an analyst. According to Hokayem, the army is short of men.')
  T.eq({ got[1][3], got[2][3] }, { "Emile Hokayem", "Emile Hokayem" })
  T.eq(one("Iran-backed militias said they had taken the hill."),
    { "Iran-backed militias said", "institution", "Iran-backed militias" })
  T.eq(one("Officials said Hassan bin Talal al-Khatib, who leads the council, fled."),
    { "Officials said", "anonymous", "Officials" })
end)

local seed = {
  ["000"] = {
    { "Sputnik reports", source = "Sputnik" },
    { "At least one anti-Daesh commander told Reuters", source = "At least one anti-Daesh commander" },
    { "the commander said", source = "the commander" },
    { "Russian parliamentarian", to = "Klintsevich said", source = "Franz Klintsevich" },
    { "Klintsevich said", source = "Franz Klintsevich" },
    { "he said", source = "Franz Klintsevich" },
    { "one FSA official said", source = "one FSA official", label = "anonymous" },
    { "The British-founded Syrian Human Rights Observatory noted", source = "Syrian Observatory for Human Rights" },
  },
  ["004"] = {
    { "CNN reports", source = "CNN" },
    { "the report continues", source = "the report" },
    { "ISIS claims", source = "Islamic State" },
    { "Analysts said", source = "Analysts" },
    { "the Institute for the Study of War saying", source = "Institute for the Study of War" },
    { "Rudaw relays Russian claims", source = "Russian" },
    { "the London-based Syrian Observatory for Human Rights said", source = "Syrian Observatory for Human Rights" },
    { "Reuters reports", source = "Syrian Observatory for Human Rights" },
    { "CNN notes", source = "CNN" },
    { "relayed by CNN", source = "CNN" },
    { "Sources told the Syrian Observatory for Human Rights", source = "Sources", label = "anonymous" },
  },
}
for _, id in ipairs({ "000", "004" }) do
  G.seed_case("sources-3." .. id .. " seed article " .. id, id, function(text)
    local p, r = score("sources seed " .. id, text, seed[id])
    T.ok(p >= 0.85, "precision " .. p)
    T.ok(r >= 0.85, "recall " .. r)
  end)
end

G.seed_case("sources-3.9 seed 004: each figure's source", "004", function(text)
  local _, _, res = score("sources seed 004 (again)", text, seed["004"])
  local by = {}
  for _, q in ipairs(res.quantity) do by[text:sub(q.start, q.stop)] = q.attrs.source end
  T.eq(by, { Hundreds = "CNN", ["60"] = "Russian", ["only 44"] = "Syrian Observatory for Human Rights",
    ["63"] = "Syrian Observatory for Human Rights", nine = "Syrian Observatory for Human Rights",
    Thousands = nil })
end)

T.case("sources-1.7 long subjects, inverted names, quoted-as-saying, papers and units", function()
  local function one(s)
    local got = sources(s)
    return got[1] and { got[1][2], got[1][3] }
  end
  -- a relative clause of twenty words between the subject and its verb
  T.eq(one("A nurse at the clinic, who asked not to be named because she feared losing her job at the "
    .. "only hospital still open in the district, said 12 people died."),
    { "anonymous", "A nurse at the clinic" })
  -- a plural's possessive and a participle after the source noun
  T.eq(one("Police shot 20 people, a lawyers' union allied with the opposition said."),
    { "institution", "a lawyers' union allied with the opposition" })
  -- what comes before ", said NAME" names nobody: the name after the verb
  T.eq(one("The blast hit a market, wounding 30 people, including a boy, said Karim Nouri, a local councillor."),
    { "named", "Karim Nouri" })
  -- ", saying ..." goes on with its sentence's subject, never a clause as a source
  local got = sources("Rebel spokesman Ali Darwish claimed the attack, saying the group had killed 12 guards.")
  T.eq(#got, 1)
  T.eq(got[1][3], "Ali Darwish")
  -- "X quoted Y, an apposition, as saying": the chain runs to Y
  local _, res = sources("The agency quoted a police officer, Captain Sami Aziz, as saying five men were held.")
  T.eq(res.source[1].attrs.chain, { "The agency", "Sami Aziz" })
  T.eq(res.quantity[1].attrs.source, "Sami Aziz")
  -- a statement by a body: the body
  T.eq(one("Ten men were detained, according to a statement by the regional governor's office."),
    { "institution", "the regional governor's office" })
  -- "NAME, a DESCRIPTION of SOMEONE, SOMEONE, told": the first name speaks
  T.eq(one("Omar Haddad, an adviser to the prime minister, Adel Karim, told reporters the vote would go ahead."),
    { "named", "Omar Haddad" })
  -- a name after a clause and a comma, a relative clause with "that"
  T.eq(one("Phone lines were down across the region on Sunday, Cloudwatch, a group that tracks outages, said."),
    { "named", "Cloudwatch" })
  -- "a DESCRIPTION named NAME, AGE": the name
  T.eq(one('"We ran," a farmer named Yusuf, 52, told reporters.'), { "named", "Yusuf" })
  -- the office or agency of a body the outlets lexicon names is that body
  T.eq(one("The UN's human rights office said 40 civilians were killed."), { "named", "United Nations" })
  T.eq(one("Italy's interior ministry said 400 migrants had arrived."),
    { "institution", "Italy's interior ministry" })
  -- the accused in a headline's passive is no source
  T.eq(one("Army accused of killing dozens in village raid"), nil)
  -- a clause read back from a second verb ("... could not ... and urged") is nobody
  T.eq(#sources("The minister said his country could not take in more people and urged others to help."), 1)
end)

T.case("sources-1.8 acronyms, means, two-sentence quotes, titles first, hyphenated names", function()
  local function one(s)
    local got = sources(s)
    return got[1] and { got[1][2], got[1][3] }
  end
  -- a name and its acronym in brackets before the verb, a clause after it
  T.eq(one("The World Food Programme (WFP) said 3 million people needed aid."),
    { "named", "World Food Programme" })
  T.eq(one("The Kenya Defence Forces (KDF), which lost 9 soldiers in the raid, said the camp was retaken."),
    { "named", "Kenya Defence Forces" })
  -- "said by phone": how, not who
  local _, res = sources('"We are holding the bridge. The enemy has fled," Karimi said by phone.')
  T.eq(#res.source, 1)
  T.eq(res.source[1].attrs.source, "Karimi")
  -- a quote of two sentences gets the attribution after its second
  T.eq(res.quote[1].attrs.source, "Karimi")
  -- a description that opens with a title, after a dash
  T.eq(one("10:05 GMT - Leyla Demir, adviser to the UN envoy for Yemen, says 800 people left."),
    { "named", "Leyla Demir" })
  -- a hyphenated name is one name
  T.eq(one("Al-Hamdani told the council the truce held."), { "named", "Al-Hamdani" })
  -- "continued its advance" says nothing; "estimate" claims
  T.eq(one("The army continued its advance on the town."), nil)
  T.eq(one("Aid workers estimate that 4,000 families have fled."), { "anonymous", "Aid workers" })
  -- a prepositional phrase set off by commas
  T.eq(one("The interior ministry, in a statement, said 30 men were held."),
    { "institution", "The interior ministry" })
end)

T.case("sources-1.9 a body named before its noun", function()
  local function one(s)
    local got = sources(s)
    return got[1] and { got[1][2], got[1][3] }
  end
  T.eq(one("The Kremlin press service said the talks were useful."), { "named", "Kremlin" })
  T.eq(one("The civil defence said 9 people were pulled from the rubble."), { "institution", "The civil defence" })
  -- a place's group is some group there
  T.eq(one("A U.S. group said the figures were too low."), { "institution", "A U.S. group" })
end)

T.case("sources-1.10 who 'him' and 'the general' are; a hyphenated title; audiences", function()
  local got = sources("Troops took 12 villages, the army's spokesman, Brigadier-General Saad Rahim, told "
    .. "reporters. According to him, 300 fighters surrendered. Many fled north. The general added that "
    .. "40 tanks were seized.")
  T.eq(#got, 3)
  for k = 1, 3 do T.eq(got[k][3], "Saad Rahim") end
  -- "..., told reporters": an audience is never who spoke
  T.eq(#sources("The town fell on Monday, told reporters."), 0)
  -- "they": the unnamed many the attribution before named
  got = sources("The officials, who spoke on condition of anonymity, said the raid was over. "
    .. "Nine guards were hurt, they said.")
  T.eq({ #got, got[2][3] }, { 2, "The officials" })
  -- a body a place owns, named after it; what a body the gazetteer knows owns
  T.eq(sources("According to Iraq's semi-official High Commission for Human Rights, 300 died.")[1][3],
    "High Commission for Human Rights")
  -- sources on the ground; an outlet's group; a person a preposition governs is no subject
  T.eq(sources("Sources on the ground reported that 12 died.")[1][3], "Sources on the ground")
  T.eq(sources("The White Helmets rescue group said 12 died.")[1][3], "White Helmets")
  got = sources("A fighter in the militia fighting in support of Bashar al-Assad told Reuters 12 died.",
    { gazetteer = (function()
      local g = lector.gazetteer.new(); g:add("Bashar al-Assad", "Bashar al-Assad", "PERSON"); return g
    end)() })
  -- (what the participle says only describes the militia)
  T.eq({ got[1][2], got[1][3] }, { "anonymous", "A fighter in the militia" })
  -- an outlet's alias inside a longer name is not that outlet; a people's adjective before one is
  T.eq(sources("Turkey's National Security Council said the operation was over.")[1][3],
    "National Security Council")
  T.eq(sources("The Lebanese Al-Mayadeen TV channel reported that 12 died.")[1][3], "Al Mayadeen")
  -- an acronym after an apposition's name; "X, or Y,"
  T.eq(sources("The army's media wing, Inter-Services Public Relations (ISPR), said 3 died.")[1][3],
    "Inter-Services Public Relations")
  T.eq(sources("The Pakistani Taliban, or TTP, said in a statement that it attacked.")[1][3], "Pakistani Taliban")
  -- official figures, what investigators believe
  T.eq(sources("Russia lost fewer than 30 servicemen, according to official figures.")[1][3], "official figures")
  T.eq(sources("Independent investigators believe the toll is higher.")[1][3], "Independent investigators")
  -- an acronym after the first part of an apposition; a clause, then "has repeatedly said"
  T.eq(sources("Islamic State West Africa Province (ISWAP), a splinter group, said 9 died.")[1][2], "named")
  T.eq(sources("President Musa Bello, who is seeking re-election, has repeatedly said the war is over.")[1][3],
    "Musa Bello")
  T.eq(sources("Two military sources and a militia member said 30 soldiers died.")[1][2], "anonymous")
  -- "rejected the figures as": a claim; a passive with an adverb is none
  T.eq(sources("The government spokesman, Michael Deng, rejected the UN's figures as exaggerated.")[1][3],
    "Michael Deng")
  T.eq(#sources("Our envoy was insultingly rejected."), 0)
  -- a passive speaks of someone, not for them
  T.eq(#sources("About one man in ten are reported to have died; losses were estimated at 400."), 0)
  T.eq(sources("A senior official was quoted as saying 12 died.")[1][3], "A senior official")
  -- "It said": the body named just before; "a figure officials dismissed": the officials
  got = sources("The army said its troops came under fire. It said four suspects were held.")
  T.eq({ #got, got[2][1], got[2][3] }, { 2, "It said", "The army" })
  got = sources("The group put the toll at 100, a figure officials dismissed.")
  T.eq({ got[2][1], got[2][3] }, { "officials dismissed", "officials" })
  -- "citing U.S. officials": the officials, not the country
  local _, r2 = sources("The Times reported, citing U.S. officials, that 12 died.",
    { gazetteer = (function()
      local g = lector.gazetteer.new(); g:add("U.S.", "United States", "PLACE"); return g
    end)() })
  T.eq({ r2.source[1].label, r2.source[1].attrs.source }, { "anonymous", "U.S. officials" })
  -- what has yet to be confirmed by someone, they did not say
  T.eq(#sources("The retreat has yet to be confirmed by the army."), 0)
  -- "dismissed reports by Western media": a noun
  got = sources("Rahim dismissed reports by Western media of 40 civilian deaths.")
  T.eq({ #got, got[1][3] }, { 1, "Rahim" })
end)

T.case("sources-1.11 a headline's source after a dash, not a page title's outlet", function()
  local _, res = sources("Syria: 40 killed in air strikes - activists\nThe strikes hit a market, medics said.")
  T.eq({ res.source[1].attrs.source, res.source[1].label }, { "activists", "anonymous" })
  T.eq(res.quantity[1].attrs.source, "activists")
  local got = sources("Syria: 40 killed in air strikes - BBC News\nThe strikes hit a market, medics said.")
  T.eq({ #got, got[1][3] }, { 1, "medics" })
end)

-- A gazetteer of one alias.
local function gaz1(alias, entity, ty)
  local g = lector.gazetteer.new()
  g:add(alias, entity, ty)
  return g
end

T.case("sources-1.12 the outlet spoken to, a plural's apposition, names with 'in' and hyphens", function()
  -- the outlet a sentence opens with passes on what its subject says
  local _, res = sources("Speaking to Al Jazeera from the camp, Mohamed Ali, a resident, said 12 died.")
  T.eq({ res.source[1].attrs.source, res.source[1].attrs.via }, { "Mohamed Ali", "Al Jazeera" })
  _, res = sources("In an interview with the BBC, the minister said 40 people died.")
  T.eq({ res.source[1].attrs.source, res.source[1].attrs.via }, { "the minister", "BBC" })
  _, res = sources("Ministry spokesman Abdulrahman Habib confirmed the order to AFP.")
  T.eq({ res.source[1].attrs.source, res.source[1].attrs.via }, { "Abdulrahman Habib", "Agence France-Presse" })
  -- (an audience is no outlet)
  _, res = sources("Speaking to the Security Council, the envoy said 40 people died.")
  T.eq({ res.source[1].attrs.source, res.source[1].attrs.via }, { "the envoy", nil })
  -- a plural's possessive and two titles in an apposition
  local got = sources("Ali Nasser, the rebels' chief negotiator and spokesman, told Al Masirah TV that "
    .. "talks had failed.")
  T.eq({ got[1][2], got[1][3] }, { "named", "Ali Nasser" })
  -- a place after "in" ends a body's longer name
  T.eq(sources("A group calling itself the Islamic Resistance in Iraq claimed the attack.",
    { gazetteer = gaz1("Iraq", "Iraq", "PLACE") })[1][3], "Islamic Resistance in Iraq")
  -- a lower-case particle inside a hyphenated name
  T.eq(sources("The banned Tehreek-i-Taliban Pakistan (TTP) denied involvement.")[1][3],
    "Tehreek-i-Taliban Pakistan")
  -- what a country's service owns through a word: "the U.S. military's Central Command"
  T.eq(sources("The U.S. military's Central Command said the ship was hit.",
    { gazetteer = gaz1("U.S.", "United States", "PLACE") })[1][3], "U.S. Central Command")
  -- an air force is a source; a lower-case adjective is no outlet's name
  T.eq(sources("Ukraine's air force said it had shot down 27 drones.")[1][3], "Ukraine's air force")
  T.eq(sources("The independent news outlet Irrawaddy reported that 40 died.")[1][3], "The Irrawaddy")
  got = sources("Intelligence reports were cited by the Independent. The Independent said 12 died.")
  T.eq(got[#got][3], "The Independent")
end)

T.case("sources-1.13 a two-word surname later, an adverb opening the sentence, coordinated subjects", function()
  local got = sources("Flavio Di Giacomo said 40 died. Later Di Giacomo said 50 died.")
  T.eq({ got[2][3], got[2][2] }, { "Flavio Di Giacomo", "named" })
  got = sources("The strike killed 30 people, three witnesses and a health worker told The Associated Press.")
  T.eq({ got[1][2], got[1][3] }, { "anonymous", "three witnesses and a health worker" })
end)

-- The first source's {label, source} of each text, against want.
local function first_sources(cases)
  for _, c in ipairs(cases) do
    local got = sources(c[1])
    T.eq({ got[1] and got[1][2], got[1] and got[1][3] }, { c[2], c[3] })
  end
end

T.case("sources-1.14 companies, secretaries, organisers; 'and' inside a body's name", function()
  first_sources({
    { "Of the injured, 56 were seriously hurt, the state health secretary said.", "anonymous",
      "the state health secretary" },
    { "The company said Friday it will lay off about 12,000 workers.", "institution", "The company" },
    { "Organisers claimed twice that number.", "anonymous", "Organisers" },
    { "The Ministry of Labour and Social Affairs said 300 workers lost jobs.", "named",
      "Ministry of Labour and Social Affairs" },
    { "Measles has spread, the Centers for Disease Control and Prevention said.", "named",
      "Centers for Disease Control and Prevention" },
    -- (two people are not one name)
    { "Ali and Omar said talks went well.", "named", "Omar" },
  })
end)

T.case("sources-1.15 a person of a body is the person", function()
  local got = sources('"It is catastrophic," said Jens Laerke of the UN humanitarian office.')
  T.eq({ got[1][2], got[1][3] }, { "named", "Jens Laerke" })
  got = sources("Sara Kayyali from Human Rights Watch said 40 died.")
  T.eq(got[1][3], "Sara Kayyali")
  -- (a body of a place stays the body)
  T.eq(sources("The Ministry of Defence said 40 died.")[1][3], "The Ministry of Defence")
end)

T.case("sources-1.16 'pro-X' and 'anti-X' make X a modifier", function()
  local got = sources("Pro-Kremlin military bloggers reported that thousands of troops had massed.",
    { gazetteer = gaz1("Kremlin", "Kremlin", "ORG") })
  T.eq({ got[1][2], got[1][3] }, { "anonymous", "Pro-Kremlin military bloggers" })
end)

T.case("sources-1.17 a day after the subject, what the agent accuses of, a dateline before a participle", function()
  T.eq(sources("The ministry on March 3 said 12 died.")[1][3], "The ministry")
  T.eq(sources("Sudan's army chief on Tuesday rejected the talks.")[1][3], "Sudan's army chief")
  local got = sources("The RSF has been accused by rights groups of widespread abuses in Darfur.")
  T.eq({ got[1][1], got[1][3] }, { "accused by rights groups", "rights groups" })
end)

T.case("sources-1.18 ', and analysts say': the conjunction is no part of the source", function()
  T.eq(sources("The strikes did little, and analysts say the campaign failed.")[1][1], "analysts say")
end)

T.case("sources-1.19 a person after a body's acronym or a staff's title", function()
  first_sources({
    { "Acting head of the DPR Denis Pushilin told TASS that teams had started work.", "named", "Denis Pushilin" },
    { "Chief of the General Staff Valery Gerasimov told the troops they advance.", "named", "Valery Gerasimov" },
    -- (initials are no acronym)
    { "Bangladesh's foreign minister, AH Mahmood Ali, said 12 died.", "named", "AH Mahmood Ali" },
    -- a name, an age and a clause set off by commas
    { "Fatima, 62, who fled with her grandchildren, told Al Jazeera that 12 died.", "named", "Fatima" },
    -- a long description with a body's name in it; a name, its age, then a description
    { "Tamer Ramadan, head of the International Federation of Red Cross and Red Crescent Societies' "
      .. "delegation in Libya, told reporters that 11,300 died.", "named", "Tamer Ramadan" },
    { "Ahmed Mohamed, 38, a resident who lost 11 relatives, said the water came at night.", "named",
      "Ahmed Mohamed" },
    -- an outlet's person
    { "Al Jazeera's Hani Mahmoud, reporting from Rafah, said families were trapped.", "named", "Hani Mahmoud" },
    -- where a state's mission or envoy is sent is no source; a person briefed is one
    { "Russia's envoy to the UN said 3 died.", "anonymous", "Russia's envoy" },
    { "A person briefed on the talks said penalties were considered.", "anonymous",
      "A person briefed on the talks" },
    -- a body's chief executive
    { "Save the Children chief executive Inger Ashing said aid would stop.", "named", "Inger Ashing" },
    -- "added in its statement": where, not what it added
    { '"Our forces repelled the attack," the ministry added in its statement.', "institution", "the ministry" },
  })
end)

T.case("sources-1.20 a surname's particle in either case; a toll 'claims' no one; 'Army and Armed Forces'", function()
  local got = sources("Health Minister Hassan al-Ghabbash announced the toll. Al-Ghabbash told SANA that "
    .. "277 were hurt.")
  T.eq(got[2][3], "Hassan al-Ghabbash")
  got = sources("Envoy Staffan de Mistura said talks failed. De Mistura said he had asked for more.")
  T.eq(got[2][3], "Staffan de Mistura")
  T.eq(#sources("Terrorist attack on Homs military academy claims 89 lives"), 0)
  T.eq(sources("The General Command of the Army and Armed Forces said in a statement that 9 died.")[1][3],
    "General Command of the Army and Armed Forces")
end)

T.case("sources-1.21 ', said the office's spokesperson, NAME,': the person", function()
  local got = sources('"It is a massacre," said the office\'s spokesperson, Thameen Al-Kheetan, adding that '
    .. '45 houses burned.')
  T.eq({ got[1][2], got[1][3] }, { "named", "Thameen Al-Kheetan" })
  -- (a clause after the comma is no name)
  got = sources('"It is a massacre," said the spokesperson, Geneva officials confirmed.')
  T.eq(got[1][3], "the spokesperson")
end)

T.case("sources-1.22 'X condemned the attack and said': the sentence's subject", function()
  local got = sources("Iraq's foreign ministry condemned the attack and said it would act.",
    { gazetteer = gaz1("Iraq", "Iraq", "PLACE") })
  T.eq(got[1][3], "Iraq's foreign ministry")
  -- (a sentence's first word is no subject: "About halfway through, Charlie looked ... and said")
  T.eq(#sources("About halfway through the bottle, Charlie looked at me and said nothing."), 0)
  -- (nor a body's name cut at "of": "The Joint Chiefs of Staff")
  T.eq(sources("The Joint Chiefs of Staff said the missile flew far.")[1][3], "The Joint Chiefs of Staff")
  -- (one attribution when the sentence had one: "X said ... and urged")
  got = sources("The minister said 12 died and urged calm.")
  T.eq({ #got, got[1][1] }, { 1, "The minister said" })
end)

T.case("sources-1.23 'The Guards said' after 'Iran's Revolutionary Guards said': the same body", function()
  local got = sources("Iran's Revolutionary Guards said they struck a base. The Guards said missiles were used.")
  T.eq({ got[2][2], got[2][3] }, { "named", "Revolutionary Guards" })
end)

T.case("sources-1.24 'the 45-year-old farmer said', 'she says' after a dateline: who the text opened with", function()
  local got = sources('AMIZMIZ, Morocco (AP) — Mohamed Ait Bella was asleep when the ground shook.\n\n'
    .. '"The walls were falling around us," the 45-year-old farmer said.')
  T.eq({ got[1][2], got[1][3] }, { "named", "Mohamed Ait Bella" })
  got = sources("ALEPPO — Dr. Rania Aziz has not slept in weeks. The surgeon runs a hospital where she says "
    .. "14 staff members have been killed.")
  T.eq({ got[1][1], got[1][3] }, { "she says", "Rania Aziz" })
end)

T.case("sources-1.25 unnamed bodies are institutions, unnamed people anonymous", function()
  first_sources({
    { "Police said 14 people were arrested.", "institution", "Police" },
    { "Two people died, the health ministry said.", "institution", "the health ministry" },
    { "State media reported that 30 soldiers were killed.", "institution", "State media" },
    { "The office of the governor said the road was closed.", "institution", "The office of the governor" },
    { "Officials said 14 people were arrested.", "anonymous", "Officials" },
    { "A police officer said 14 people were arrested.", "anonymous", "A police officer" },
    { "A spokesman for the ministry said two people died.", "anonymous", "A spokesman for the ministry" },
    { "Witnesses said the market was hit twice.", "anonymous", "Witnesses" },
    { "Military sources told Reuters 30 soldiers were killed.", "anonymous", "Military sources" },
    { "Residents and a rebel group said the town fell.", "anonymous", "Residents and a rebel group" },
    { "The army and the police said the town fell.", "institution", "The army and the police" },
  })
  -- a lexicon row without kind is a person's noun: a user's list can add
  -- either
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir -p '" .. dir .. "'") == 0)
  local f = assert(io.open(dir .. "/anonymous_sources.tsv", "w"))
  f:write("noun\tkind\nprefecture\tbody\nsherpas\n")
  f:close()
  local s = "The prefecture said the sherpas were safe. Sherpas said 4 climbers died."
  local got = {}
  for _, sp in ipairs(extract.run(s, "all", { lexicons = dir }).source) do
    got[#got + 1] = { sp.label, sp.attrs.source }
  end
  T.eq(got, { { "institution", "The prefecture" }, { "anonymous", "Sherpas" } })
  os.remove(dir .. "/anonymous_sources.tsv")
  os.remove(dir)
end)

T.case("sources-1.26 'the group said', 'the agency reported': the body of that kind named just before", function()
  local g = G.gazetteer()
  local function src(s)
    local got = sources(s, { gazetteer = g })
    local last = got[#got]
    return { last[1], last[2], last[3] }
  end
  T.eq(src("Human Rights Watch documented 40 cases. The group said 12 people were killed."),
    { "The group said", "named", "Human Rights Watch" })
  T.eq(src("Islamic State claimed the attack. Its fighters held the town for hours. The group said 30 soldiers died."),
    { "The group said", "named", "Islamic State" })
  T.eq(src("Anadolu reported the strikes. The agency said 12 died."), { "The agency said", "named", "Anadolu Agency" })
  T.eq(src("The Syrian Observatory for Human Rights counted 40 dead. The monitor said 12 were children."),
    { "The monitor said", "named", "Syrian Observatory for Human Rights" })
  T.eq(src("Strikes hit Aleppo, the Russian Defence Ministry said. The ministry said 12 militants died."),
    { "The ministry said", "named", "Russian Ministry of Defence" })
  -- no body of that kind before: the phrase, unnamed; a state's office is
  -- no group, nor a person or place
  T.eq(src("Fighting went on. The group said 12 died."), { "The group said", "institution", "The group" })
  T.eq(src("The Pentagon confirmed the raid near Aleppo. The group said 12 died."),
    { "The group said", "institution", "The group" })
  -- (only three sentences back)
  T.eq(src("Islamic State claimed it. One. Two. Three. The group said 12 died."),
    { "The group said", "institution", "The group" })
end)

T.case("sources-1.27 a headline's source after a colon: '...in Somalia: Official'", function()
  local function src(s)
    local got = {}
    for k, x in ipairs(sources(s)) do got[k] = { x[1], x[2] } end
    return got
  end
  T.eq(src("15 killed as minibus hits landmine in Somalia: Official\n\nThe bus hit a mine."), { { "Official",
      "anonymous" } })
  T.eq(src("Dozens killed near Deir Ezzor in Syria: Monitor\n\nThe town was hit."), { { "Monitor", "anonymous" } })
  T.eq(src("Quake: at least 22 killed\n\nThe town was hit."), {})
  T.eq(src("Note: Only a member\n\nThe town was hit."), {})
end)

T.case("sources-1.28 'The WHO said' (the acronym, not 'who'); agencies a country's name starts", function()
  T.eq(sources("The WHO said it had lost contact with the hospital.")[1], { "The WHO said", "named",
      "World Health Organization", "said" })
  T.eq(sources("Officials, who asked not to be named, said 12 died.")[1][3], "Officials")
  T.eq(sources("The U.S. Coast Guard says four died.")[1][3], "U.S. Coast Guard")
  T.eq(sources("The U.S. Geological Survey said the quake measured 7.1.")[1][3], "U.S. Geological Survey")
  T.eq(sources("The Chinese Red Cross said 40 died.")[1][3], "Red Cross Society of China")
end)

T.case("sources-1.29 what only describes the source: a participle, a relative clause, a clause before", function()
  T.eq(sources("The coalition fighting the rebel Houthi group in Yemen said the missile was intercepted.")[1][3],
    "The coalition")
  T.eq(sources("A source speaking on condition of anonymity said 12 people died.")[1][3], "A source")
  T.eq(sources("Medics and a Reuters photographer who saw the wreckage in Saada said 12 people died.")[1][3],
    "Medics and a Reuters photographer")
  T.eq(sources("The deaths came a day after the monitor said 40 people had been killed.")[1][3], "the monitor")
  -- (but the name a group calls itself is who it is)
  T.eq(sources("A group calling itself the Islamic Resistance in Iraq claimed the attack.")[1][3],
    "Islamic Resistance in Iraq")
end)

T.case("sources-1.30 appositions: a title before what it is of, an acronym in brackets, titles, a name", function()
  T.eq(sources('"We are searching," Capt. Jo-Ann Burdian, sector commander for Miami, said.')[1][3], "Jo-Ann Burdian")
  T.eq(sources("Twelve people died, police spokesman in the state, Mohammed Shehu, said.")[1][3], "Mohammed Shehu")
  T.eq(sources('"This is a catastrophe," Muktar Mohammed Seyyid, government relief co-ordinator, said.')[1][3],
    "Muktar Mohammed Seyyid")
  T.eq(sources("It is a reminder, Shawn Gibson, a special agent in charge of the Homeland Security "
    .. "Investigations (HSI) agency, said.")[1][3], "Shawn Gibson")
  local got = sources("The search was suspended, said a Coast Guard spokesman, Chief Petty Officer Levi Read. "
    .. "Read said the boat capsized.")
  T.eq({ got[1][2], got[1][3], got[2][3] }, { "named", "Levi Read", "Levi Read" })
end)

T.case("sources-1.31 what a body issued names the body ('a recent United Nations report'); 'Media reports said'",
    function()
  T.eq(sources("Some 300 people died, according to a recent United Nations report.")[1][2], "named")
  T.eq(sources("Some 300 people died, according to a recent United Nations report.")[1][3], "United Nations")
  T.eq(sources("Unconfirmed reports said 12 people died.")[1], { "Unconfirmed reports said", "anonymous",
      "Unconfirmed reports", "said" })
  T.eq(sources("A U.S. report said 12 died.")[1][2], "anonymous")
end)

T.case("sources-1.32 unnamed people and outlets news quotes: teachers, passengers, families, news outlets", function()
  T.eq(sources("Twelve people died, residents and a teacher said.")[1][3], "residents and a teacher")
  T.eq(sources("News outlets reported that 12 people died.")[1][2], "institution")
  T.eq(sources("The family said he was 17.")[1][2], "anonymous")
end)

T.case("sources-1.33 a name before its description, a name ending a phrase a title opens", function()
  T.eq(sources("The agency quoted Ahmed Ali, a local official, as saying 12 people died.")[1][2], "named")
  T.eq(sources("The agency quoted Ahmed Ali, a local official, as saying 12 people died.")[1][3], "Ahmed Ali")
  T.eq(sources("Commissioner of Police in the state Hakeem Busari said 12 people died.")[1][3], "Hakeem Busari")
  T.eq(sources("Prosecutors said Monday that 12 people died.")[1][2], "anonymous")
  T.eq(sources("Darmanin disclosed that 12 people died.")[1][3], "Darmanin")
end)

T.case("sources-1.34 hearsay and states are no attribution; a title that opens a name is no name", function()
  T.eq(sources("Gunmen said to be in trucks attacked the village."), {})
  T.eq(sources("Twelve villagers reported missing were found."), {})
  T.eq(sources("Deputy Inspector General of Police Abdul Razzaq Cheema said 12 people died.")[1][3],
    "Abdul Razzaq Cheema")
end)

T.case("sources-1.35 a phrase opening the sentence with no comma is not the sayer's", function()
  local sayers = {}
  for k, s in ipairs { "In a statement the company said it regretted the loss.",
                       "On Monday the ministry said three soldiers were killed.",
                       "In Washington a senior official said the plan was ready.",
                       "At least three officials said the road was closed.",
                       "Officials in the city said the road was closed.",
                       "Speaking with Reuters the minister said 30 soldiers died.",
                       "Talking to reporters on Monday the mayor said 12 people were missing.",
                       "Officials speaking to Reuters said the road was closed." } do
    sayers[k] = sources(s)[1][3]
  end
  T.eq(sayers, { "the company", "the ministry", "a senior official", "At least three officials",
                 "Officials in the city", "the minister", "the mayor", "Officials" })
end)

T.case("sources-1.36 a progressive's sayer, forecasters, a body an outlet's name starts, a time after 'by'", function()
  T.eq(sources("Authorities are warning that floods will come.")[1][3], "Authorities")
  T.eq(sources("The group has been claiming that 12 died.")[1][3], "The group")
  T.eq(sources("The army shelled the town, warning that more would come."), {})
  T.eq(sources("Rivers will swell, forecasters warn, as rain falls.")[1], { "forecasters warn", "anonymous",
    "forecasters", "warn" })
  T.eq(sources("The result was announced by the Independent National Electoral Commission.")[1][3],
    "Independent National Electoral Commission")
  T.eq(sources("The Independent reported that 12 people died.")[1][3], "The Independent")
  T.eq(sources("Casualties were reported by 2000 GMT on Tuesday."), {})
end)

T.case("sources-1.37 appositions: a role with no determiner, two titles joined by 'and', no closing comma", function()
  T.eq(sources('Maurice Kamto, candidate of the Movement for the Rebirth of Cameroon (MRC) party, said "no."')[1][3],
    "Maurice Kamto")
  T.eq(sources("John Kowalski, chairman of the board and interim CEO, said sales fell.")[1][3], "John Kowalski")
  T.eq(sources('"The tourists were in panic," Ye Zhi, a villager in Zhangzha told the news agency.')[1][3], "Ye Zhi")
  T.eq(sources("The army, a force of 300 men said nothing."), {})
end)

T.case("sources-1.38 a request or an order is no claim; 'answered'; 'quotes NAME, ..., saying'", function()
  T.eq(sources("Jennifer Rodi asked anyone with information to call police."), {})
  T.eq(sources("The man told the person to get away."), {})
  T.eq(sources("Mayor Mike Duggan had urged residents to come forward."), {})
  T.eq(sources("Police told Reuters on Monday that 12 died.")[1][3], "Police")
  T.eq(sources("Jihan Sheikh Ahmed told Reuters the SDF had advanced to within 3 km.")[1][3], "Jihan Sheikh Ahmed")
  T.eq(sources("Asked whether he would resign, Smith answered that he would not.")[1][3], "Smith")
  T.eq(sources('Bloomberg quotes Brian Yarbrough, an analyst at Edward Jones, saying, "It felt like a reset."')[1][3],
    "Brian Yarbrough")
end)

T.case("sources-1.39 clubs and prosecutions speak; revealed, joked, concluded, posted on Twitter; but said", function()
  T.eq(sources("The club said the player had signed.")[1][2], "institution")
  T.eq(sources("The prosecution alleged that he took bribes.")[1][3], "The prosecution")
  T.eq(sources("The mayor posted on Twitter that the road was closed.")[1][4], "posted on Twitter")
  T.eq(sources('Smith joked: "I am too old."')[1][3], "Smith")
  T.eq(sources("She posted on Twitter a photo of the dog."), {})
  T.eq(sources("The union walked out but said talks would continue.")[1][3], "The union")
  T.eq(sources("He said nothing."), {})
end)

T.case("sources-1.40 conceded, suggested that; carriers, skippers and ministers speak", function()
  T.eq(sources("The minister conceded that the plan failed.")[1][4], "conceded")
  T.eq(sources("The firm suggested a new date."), {})
  T.eq(sources("The firm suggested that talks resume.")[1][3], "The firm")
  T.eq(sources("The carrier said 12 flights were cancelled.")[1][2], "institution")
  T.eq(sources("The England skipper said the team was ready.")[1][3], "The England skipper")
end)

T.case("sources-1.41 a name with an ampersand: AT&T, Texas A&M, Marks & Spencer", function()
  T.eq(sources("AT&T revealed that 12 million users were hit.")[1][3], "AT&T")
  T.eq(sources("Texas A&M said the game was off.")[1][3], "Texas A&M")
  T.eq(sources("Marks & Spencer said sales fell.")[1][3], "Marks & Spencer")
end)

T.case("sources-1.42 lenders, drugmakers and museums speak; lamented, complained", function()
  T.eq(sources("The mortgage lender said rates would rise.")[1][2], "institution")
  T.eq(sources("The drugmaker said the trial failed.")[1][3], "The drugmaker")
  T.eq(sources("The union complained that pay was low.")[1][4], "complained")
end)
