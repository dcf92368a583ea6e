-- lector.extract.quotes: quoted passages, their speakers, scare quotes.
local T = require "testlib"
local G = require "extract_gold"
local lector = require "lector"
local extract = lector.extract

local function gaz()
  local g = lector.gazetteer.new()
  g:add("Klintsevich", "Franz Klintsevich", "PERSON")
  g:add("Franz Klintsevich", "Franz Klintsevich", "PERSON")
  g:add("Sputnik", "Sputnik", "MEDIA")
  return g
end

local function quotes(s, opts)
  local out = {}
  for _, sp in ipairs(extract.quotes(s, opts or { gazetteer = gaz() })) do
    out[#out + 1] = { s:sub(sp.start, sp.stop), sp.label, sp.attrs.speaker, sp.attrs.speaker_entity,
                      sp.attrs.resolved }
  end
  return out
end

-- The quotes of s after every extractor ran (the sources layer names
-- speakers too), each as its text and the fields asked for ("label" or
-- an attribute).
local function quotes_all(s, ...)
  local names, out = { ... }, {}
  for _, sp in ipairs(extract.run(lector.context.new(s), "all").quote) do
    local row = { s:sub(sp.start, sp.stop) }
    for k, f in ipairs(names) do
      if f == "label" then row[k + 1] = sp.label else row[k + 1] = sp.attrs[f] end
    end
    out[#out + 1] = row
  end
  return out
end

T.case("quotes-1.1 speakers after and before the quote", function()
  T.eq(quotes('"It is not a simple job," Klintsevich said.'),
    { { '"It is not a simple job,"', "speech", "Klintsevich", "Franz Klintsevich" } })
  T.eq(quotes('"We will stay," said Klintsevich.'),
    { { '"We will stay,"', "speech", "Klintsevich", "Franz Klintsevich" } })
  T.eq(quotes('Klintsevich told Sputnik: "The work is in progress."'),
    { { '"The work is in progress."', "speech", "Klintsevich", "Franz Klintsevich" } })
  T.eq(quotes('"It is clear they are in a hurry," one FSA official said.'),
    { { '"It is clear they are in a hurry,"', "speech", "one FSA official" } })
  T.eq(quotes("\226\128\156The town is ours,\226\128\157 the commander said."),
    { { "\226\128\156The town is ours,\226\128\157", "speech", "the commander" } })
end)

T.case("quotes-1.2 pronouns resolve to the nearest person before", function()
  local s = '"We are working hard," Klintsevich said. "It brings results," he said.'
  local q = quotes(s)
  T.eq(q[2], { '"It brings results,"', "speech", "Klintsevich", "Franz Klintsevich", "pronoun" })
  s = 'A rebel commander told Reuters the men were missing. "We will not give up," he said.'
  q = quotes(s)
  T.eq(q[1], { '"We will not give up,"', "speech", "A rebel commander", nil, "pronoun" })
end)

T.case("quotes-1.3 scare quotes, nested quotes, quotes over paragraphs", function()
  T.eq(quotes("ISIS pulled back to its \226\128\152capital\226\128\153 Raqqa."),
    { { "\226\128\152capital\226\128\153", "scare" } })
  T.eq(quotes("A 'race for Al-Bab' between them remains to be seen."),
    { { "'race for Al-Bab'", "scare" } })
  local s = "TASS quoted him:\n\n\226\128\156The work is in progress.\n\nYou can see how reasonable "
    .. "the command has been.\n\nPressure needs to be exerted on the terrorists.\226\128\157\n\nThen he left."
  local spans = extract.quotes(s)
  T.eq(#spans, 1)
  T.eq(spans[1].attrs.paragraphs, 3)
  T.eq(s:sub(spans[1].stop - 13, spans[1].stop), "terrorists.\226\128\157")
  s = '"He called it a \'do or die\' attempt, and it failed," the analyst said.'
  spans = extract.quotes(s)
  T.eq(#spans, 2)
  T.eq({ spans[1].label, spans[2].label, spans[2].attrs.nested }, { "speech", "scare", true })
  -- unmatched apostrophes and a lone closing quote do not make quotes
  T.eq(quotes("The Syrians' enemies' plans failed."), {})
end)

T.case("quotes-1.4 a quote continuing an attributed one keeps its speaker", function()
  local q = quotes('"The town is ours," Klintsevich said. "More than 300 fighters laid down their arms."')
  T.eq(q[2][3], "Klintsevich")
  T.eq(q[2][5], "continuation")
end)

T.case("quotes-1.5 partial quotes and according to", function()
  T.eq(quotes('Lavrov said that the US was "playing with fire".'),
    { { '"playing with fire"', "speech", "Lavrov" } })
  T.eq(quotes('According to the statement, "all troops have withdrawn."'),
    { { '"all troops have withdrawn."', "speech", "the statement" } })
  T.eq(quotes('Erdogan warned: "Turkey will not allow a terror corridor."'),
    { { '"Turkey will not allow a terror corridor."', "speech", "Erdogan" } })
  -- a word in quotes after a noun that only looks like a verb stays scare
  T.eq(quotes("It doubts its continued hold of its 'capital' Raqqa."), { { "'capital'", "scare" } })
end)

local function same(s, g)
  if s.label ~= g.label then return false end
  if g.entity and s.attrs.speaker_entity ~= g.entity then return false end
  if g.speaker and s.attrs.speaker ~= g.speaker then return false end
  return true
end

local function score(name, text, gold)
  local ctx = lector.context.new(text, { gazetteer = G.gazetteer() })
  local res = extract.run(ctx, "boilerplate,quotes")
  G.locate(text, gold)
  return G.score(name, text, res.quote, gold, same)
end

T.case("quotes-2.1 own articles, whole documents", function()
  local p, r = score("quotes article A", G.data("extract_article_a.txt"), {
    { '"The town', to = 'army,"', label = "speech", speaker = "ministry spokesman Igor Konashenkov" },
    { '"More than', to = 'arms."', label = "speech", speaker = "ministry spokesman Igor Konashenkov" },
    { '"We will not give up,"', label = "speech", speaker = "A rebel commander" },
    { '"liberated"', label = "scare" },
  })
  T.eq({ p, r }, { 1, 1 })
  p, r = score("quotes article B", G.data("extract_article_b.txt"), {
    { '"terrorists"', label = "scare" },
    { '"We were forced', to = 'behind,"', label = "speech", speaker = "Amina Khalil" },
  })
  T.eq({ p, r }, { 1, 1 })
end)

T.case("quotes-2.2 own articles D, E, F: she said, partial quotes, paragraphs", function()
  local p, r = score("quotes article D", G.data("extract_article_d.txt"), {
    { '"People are eating', to = 'days,"', label = "speech", speaker = "Pawel Krzysiek" },
    { '"beyond words"', label = "speech", speaker = "Marianne Gasser" },
    { '"We will keep coming back,"', label = "speech", speaker = "Marianne Gasser" },
    { '"But one convoy', to = 'months."', label = "speech", speaker = "Marianne Gasser" },
    { '"terrorists"', label = "speech" },
  })
  T.eq({ p, r }, { 1, 1 })
  p, r = score("quotes article E", G.data("extract_article_e.txt"), {
    { '"weeks, not months"', label = "speech", speaker = "Jihan Sheikh Ahmed" },
    { '"Civilians are paying an unacceptable price,"', label = "speech", speaker = "Donatella Rovera" },
  })
  T.eq({ p, r }, { 1, 1 })
  p, r = score("quotes article F", G.data("extract_article_f.txt"), {
    { '"We pulled out bodies for hours,"', label = "speech", speaker = "Abdulrahman al-Hassan" },
    { '"no combat missions"', label = "speech", speaker = "A ministry spokesman" },
  })
  T.eq({ p, r }, { 1, 1 })
end)

T.case("quotes-2.3 own articles G and H: titles, an unnamed official's he, participles", function()
  local p, r = score("quotes article G", G.data("extract_article_g.txt"), {
    { '"I announce the liberation of the left bank,"', label = "speech",
      speaker = "Lieutenant General Talib Shaghati" },
    { '"Daesh is finished in Iraq,"', label = "speech", speaker = "Haider al-Abadi" },
    { '"Our role is to hold the lines we have,"', label = "speech", speaker = "A senior Kurdish official" },
  })
  T.eq({ p, r }, { 1, 1 })
  p, r = score("quotes article H", G.data("extract_article_h.txt"), {
    { '"the reports of civilian casualties,"', label = "speech", speaker = "The coalition" },
    { '"abide by international humanitarian law."', label = "speech", speaker = "The coalition" },
    { '"a legitimate military objective."', label = "speech", speaker = "Turki al-Maliki" },
    { '"This is a horrific attack,"', label = "speech", speaker = "Jamie McGoldrick" },
    { '"Children are paying the highest price."', label = "speech", speaker = "Jamie McGoldrick" },
  })
  T.eq({ p, r }, { 1, 1 })
end)

T.case("quotes-1.7 who he or she is: a title before a name, a name set off by commas", function()
  local function speaker(s)
    local q = quotes(s)
    return q[#q] and q[#q][3]
  end
  T.eq(speaker('Foreign Minister Ana Ruiz met the envoy. "We expect results," she said.'), "Ana Ruiz")
  T.eq(speaker('Omar Said, the town\'s mayor, said water had run out. "We have nothing left," he said.'),
    "Omar Said")
  -- a short quote in what a named subject reports: speech, not scare
  T.eq(quotes('Omar Said said the siege, now in its third month, was "a slow death".'),
    { { '"a slow death"', "speech", "Omar Said" } })
  -- with no speaker for the verb it stays scare
  T.eq(quotes("It said its 'capital' would hold."), { { "'capital'", "scare" } })
  -- a name set off by commas after the quote; "the claims" is no verb
  T.eq(quotes([["Arms were laid down," the center's head, Lt. Gen. Sergei Kuralenko, told journalists.]]),
    { { '"Arms were laid down,"', "speech", "Sergei Kuralenko" } })
  T.eq(quotes('Damascus dismissed the claims as "fake".'), { { '"fake"', "speech", "Damascus" } })
  -- an owner's description, an adverb before the verb
  T.eq(quotes([[Russia's ambassador to the UN, Vassily Nebenzia, later said a truce was "not realistic".]]),
    { { '"not realistic"', "speech", "Vassily Nebenzia" } })
  T.eq(quotes('One European diplomat, speaking on condition of anonymity, said: "Everyone waits for Moscow."'),
    { { '"Everyone waits for Moscow."', "speech", "One European diplomat" } })
  -- he is the person an apposition named, whatever the verb
  T.eq(speaker('The UN Secretary-General, Antonio Guterres, has asked for a halt. Speaking in New York, he said: '
    .. '"It is high time to stop this."'), "Antonio Guterres")
end)

T.case("quotes-1.8 a participle's speaker, a quote after another, he after an unnamed source", function()
  local function speaker(s)
    local q = quotes(s)
    return q[#q] and q[#q][3]
  end
  -- ", saying ..." says what was said: the speaker is the sentence's subject
  T.eq(speaker('The justice ministry rejected the report as "totally untrue", saying it was part of a campaign.'),
    "The justice ministry")
  T.eq(speaker('Omar Said denied the charges as "lies", adding that he would appeal.'), "Omar Said")
  T.eq(speaker('State television quoted a senior officer as saying that "terrorists" had fled.'), "a senior officer")
  -- no clause is anyone
  T.ok(speaker('Rebels called the deal "a betrayal", saying it was signed in Moscow.') ~= "it was signed in Moscow")
  -- the verb quoted in an earlier quote is not the next quote's verb
  T.eq(quotes('The coalition said it would investigate "the reports of casualties," adding that its forces '
    .. '"abide by international law."'),
    { { '"the reports of casualties,"', "speech", "The coalition" },
      { '"abide by international law."', "speech", "The coalition" } })
  -- a name set off by commas before the verb, the quote later in the sentence
  T.eq(speaker('Col. Ahmed Naji, the coalition\'s spokesman, said the target had been '
    .. '"a legitimate military objective."'),
    "Ahmed Naji")
  -- a title's holder speaks, not the body the title names
  local un = gaz()
  un:add("UN", "United Nations", "ORG")
  local q = quotes('UN envoy Omar Haddad accused Moscow of stalling. "Every minute counts," he said.',
    { gazetteer = un })
  T.eq({ q[1][3], q[1][4], q[1][5] }, { "Omar Haddad", nil, "pronoun" })
  q = quotes('"Every minute counts," UN envoy Omar Haddad said.', { gazetteer = un })
  T.eq({ q[1][3], q[1][4] }, { "UN envoy Omar Haddad", nil })
  T.eq(speaker('Kremlin spokesman Omar Haddad said Moscow was "closely watching".'), "Kremlin spokesman Omar Haddad")
  -- a word or two of one's own to characterise something: speech, the subject's
  T.eq(quotes('The UN called the situation "catastrophic".'),
    { { '"catastrophic"', "speech", "The UN", "United Nations" } })
  T.eq(quotes('The ministry labelled the report "fake news".'), { { '"fake news"', "speech", "The ministry" } })
  T.eq(speaker('The UN chief, Ana Ruiz, has called for a halt, describing it as "hell on earth".'), "Ana Ruiz")
  -- but a name after "called" is no one's words
  T.eq(quotes('A group called "Jaish al-Islam" claimed it.'), { { '"Jaish al-Islam"', "scare" } })
  T.eq(speaker('Omar Said tweeted: "The strike was a success."'), "Omar Said")
  T.eq(speaker('As one official put it: "We are running out of time."'), "one official")
  -- a quote broken by its attribution goes on in the same speaker's words
  T.eq(quotes('"We were trapped," said Omar Said, "and nobody came to help us."'),
    { { '"We were trapped,"', "speech", "Omar Said" },
      { '"and nobody came to help us."', "speech", "Omar Said", nil, "continuation" } })
  -- a description running into a relative clause; a quote's verb past "and" is another clause's
  T.eq(speaker('Her colleague, Omar Haddad, a teacher who now works as a volunteer paramedic, said the '
    .. 'bombing had become "relentless".'), "Omar Haddad")
  T.eq(speaker('Moscow says its jets strike only "terrorists", and Damascus accuses rebels of lying.'), "Moscow")
  -- an aside's form that is a noun is no verb: "his warning"
  T.eq(speaker('President Omar Haddad spoke to Congress. This was his warning; he said, "If we falter, we lose."'),
    "Omar Haddad")
  -- ("and" inside a speaker's title is no new clause)
  T.eq(speaker('"It is not a simple job," deputy chairman of the Defense and Security Committee Omar Haddad said.'),
    "deputy chairman of the Defense and Security Committee Omar Haddad")
  -- a name with an age set off by commas
  T.eq(speaker('Omar Said, 34, said: "We were trapped for three days."'), "Omar Said")
  T.eq(speaker('"We were trapped," Haddad, 34, told reporters.'), "Haddad")
  -- "he" is the unnamed official the sentence before quoted, not an earlier name
  T.eq(speaker('Prime Minister Ana Ruiz pledged to retake the city. A senior Kurdish official, who asked not to be '
    .. 'named, said the forces would stay out. "Our role is to hold the lines," he said.'), "A senior Kurdish official")
end)

local seed = {
  ["000"] = {
    { "'enemies'", label = "scare" }, { "'enemies'", label = "scare" },
    { "'race for Al-Bab'", label = "scare" }, { '"narrow"', label = "scare" },
    { '"within close firing range."', label = "speech", speaker = "the commander" },
    { [["It's not a simple job,"]], label = "speech", entity = "Franz Klintsevich" },
    { '"We are working', to = 'coordination,"', label = "speech", entity = "Franz Klintsevich" },
    { '"it brings results,"', label = "speech", entity = "Franz Klintsevich" },
    { [["It's clear]], to = 'al-Bab,"', label = "speech", speaker = "one FSA official" },
  },
  ["004"] = {
    { "\226\128\156Hundreds", to = "units,\226\128\157", label = "speech", speaker = "CNN" },
    { "\226\128\156The regime", to = "area,\226\128\157", label = "speech", speaker = "the report" },
    { "\226\128\156the immediate", to = "forces.\226\128\157", label = "speech",
      speaker = "the Institute for the Study of War" },
    { "\226\128\156unclear", to = "casualties.\226\128\157", label = "speech",
      speaker = "the London-based Syrian Observatory for Human Rights" },
    { "\226\128\156infidel\226\128\157", label = "scare" },
  },
  ["002"] = {
    { "\226\128\152pulling back\226\128\153", label = "scare" },
    { "\226\128\152capital\226\128\153", label = "scare" }, { "\226\128\152capital\226\128\153", label = "scare" },
    { "\226\128\152capital\226\128\153", label = "scare" },
    { "\226\128\156Islamic State\226\128\157", label = "scare" },
  },
}
for _, id in ipairs({ "000", "002", "004" }) do
  G.seed_case("quotes-3." .. id .. " seed article " .. id, id, function(text)
    local p, r = score("quotes seed " .. id, text, seed[id])
    T.ok(p >= 0.85, "precision " .. p)
    T.ok(r >= 0.85, "recall " .. r)
  end)
end

T.case("quotes-1.9 short sentences, bodies are no 'he', names given 'only as', a verb after 'and'", function()
  local g = lector.gazetteer.new()
  g:add("Hezbollah", "Hezbollah", "ORG")
  -- a whole sentence of three words goes on with its speaker; a label stays scare
  local got = quotes('"The army failed us," the mayor said. "They must go." The "safe zone" was shelled again.',
    { gazetteer = g })
  T.eq({ got[2][2], got[2][3], got[2][5] }, { "speech", "the mayor", "continuation" })
  T.eq(got[3][2], "scare")
  -- a body quoted before is no "he"; a name given "only as" is
  got = quotes('Hezbollah said it had fired "warning shots". A farmer who gave his name only as '
    .. 'Abu Karim described the night. "The ground shook," he told AFP.', { gazetteer = g })
  T.eq({ got[2][3], got[2][5] }, { "Abu Karim", "pronoun" })
  -- 'condemned X and said Y would "..."': the sentence's subject, not "and"
  got = quotes('The embassy condemned the attack and said it would "stand with the victims".',
    { gazetteer = g })
  T.eq(got[1][3], "The embassy")
end)

T.case("quotes-1.10 a quote closing inside a quote, a name given after 'first name,'", function()
  local got = quotes('The head nurse, who asked to be identified only by her first name, Amal, spoke briefly. '
    .. '"They tell us, \'Leave, it is not safe,\'" she said. "Where would we go?"',
    { gazetteer = lector.gazetteer.new() })
  T.eq({ got[1][3], got[1][5] }, { "Amal", "pronoun" })
  T.eq({ got[3][2], got[3][3], got[3][5] }, { "speech", "Amal", "continuation" })
end)

T.case("quotes-1.11 a speaker phrase starts after 'after' and a clause's 'and'", function()
  local got = quotes('The strike came a day after Kremlin spokesman Dmitry Peskov told reporters that Moscow '
    .. 'would "continue to rely on its own forces".')
  T.eq(got[1][3], "Kremlin spokesman Dmitry Peskov")
  got = quotes('The ministry said 32 targets were hit, and Defence Minister Yasar Guler told parliament that '
    .. 'operations would go on "until the last one is neutralised".')
  T.eq(got[1][3], "Defence Minister Yasar Guler")
  -- a plural's possessive in an apposition before "told"
  got = quotes('Ali Nasser, the rebels\' chief negotiator, told Al Masirah TV that attacks would go on until '
    .. '"the siege is lifted".')
  T.eq(got[1][3], "Ali Nasser")
end)

T.case("quotes-1.12 'According to X, \"...\"', a quote after one with a quote nested in it", function()
  local got = quotes('According to Qatar\'s foreign ministry spokesman Majed al-Ansari, "the gaps are narrowing".')
  T.eq({ got[1][2], got[1][3] }, { "speech", "Qatar's foreign ministry spokesman Majed al-Ansari" })
  got = quotes('"I told him, \'Don\'t go,\'" she said. "He laughed and said, \'It\'s just one night.\'"')
  -- the third quote goes on from the first, not from the one nested in it
  T.eq({ got[3][1]:sub(1, 11), got[3][3], got[3][5] }, { '"He laughed', "she", "continuation" })
end)

T.case("quotes-1.13 speakers: after a dateline, the name beside a description, not into a headline", function()
  for _, c in ipairs({
    -- a participle's subject after a dateline
    { 'PORT SUDAN, Sudan (AP) — Sudan\'s army chief on Tuesday rejected calls for talks, '
      .. 'saying the military would "fight for 100 years" if needed.', "Sudan's army chief" },
    -- ", said the office's spokesperson, NAME,": the person
    { '"It is a massacre," said the office\'s spokesperson, Thameen Al-Kheetan, adding more.', "Thameen Al-Kheetan" },
    -- a name, an age and a clause set off by commas before the verb
    { '"I have lost everything," Fatima, 62, who fled with her grandchildren, told Al Jazeera.', "Fatima" },
    -- a speaker phrase does not run back into a headline above
    { "Minister condemns embassy attack\n\nThe foreign secretary said on Monday that Britain would respond."
      .. "\n\n'This was an outrageous assault,' she told MPs.", "The foreign secretary" },
  }) do
    T.eq(quotes(c[1])[1][3], c[2])
  end
end)

T.case("quotes-1.14 'X was quoted by Y as saying' gives X, short quote, long quote or after a colon", function()
  for _, c in ipairs({
    { 'Prime Minister Najib Mikati was quoted by the NNA as saying the strike was "a dangerous escalation".',
      "Prime Minister Najib Mikati" },
    { 'Mikati was quoted by the NNA as saying the strike was "a dangerous escalation that threatens the region".',
      "Mikati" },
    { 'Mikati was quoted by the NNA as saying: "We will not be dragged into war."', "Mikati" },
  }) do
    local got = quotes(c[1])
    T.eq({ got[1][2], got[1][3] }, { "speech", c[2] })
  end
end)

T.case("quotes-1.15 the speaker an attribution named when the quote layer found none, or only 'it'", function()
  local function run_all(s) return quotes_all(s, "speaker", "resolved") end
  T.eq(run_all("Iraq's foreign ministry condemned what it called \"an aggression on Iraq's sovereignty\" "
    .. "and said it would complain to the UN."),
    { { "\"an aggression on Iraq's sovereignty\"", "Iraq's foreign ministry", "source" } })
  T.eq(run_all('The Israeli military said troops held the crossing. "We do not target convoys," it said.'),
    { { '"We do not target convoys,"', "The Israeli military", "source" } })
  -- a speaker the quote layer found stays
  T.eq(run_all('"We will rebuild," the mayor said.'), { { '"We will rebuild,"', "the mayor", nil } })
end)

T.case("quotes-1.16 a partial quote in reported speech is speech; after 'so-called' or in a headline, scare", function()
  local function run_all(s) return quotes_all(s, "label", "speaker") end
  T.eq(run_all('Guterres is "gravely concerned" by the fighting, a spokesman said.'),
    { { '"gravely concerned"', "speech", "a spokesman" } })
  T.eq(run_all('The attack killed "up to 100" people, activists said.'), { { '"up to 100"', "speech", "activists" } })
  T.eq(run_all('The so-called "Islamic caliphate" collapsed, officials said.'), { { '"Islamic caliphate"', "scare",
      nil } })
  T.eq(run_all('The army "liberated" the town, state media said.'), { { '"liberated"', "scare", nil } })
  T.eq(run_all("Iran strikes 'Israeli spy HQ' in Erbil, Kurdish officials say\n\nThe strike hit a house."),
    { { "'Israeli spy HQ'", "scare", nil } })
  T.eq(run_all('The "Islamic caliphate" collapsed in 2019.'), { { '"Islamic caliphate"', "scare", nil } })
end)

T.case("quotes-1.17 a paragraph only a quote, after a speaker's quoted paragraph, goes on with that speaker", function()
  local s = 'Police chief Ng Lok-chun said the march was banned. '
    .. '"The organiser has violated the conditions," he said.\n\n'
    .. '"Those responsible will be punished."\n\nThe city was quiet on Monday.'
  local got = quotes(s)
  T.eq({ got[2][1], got[2][3], got[2][5] }, { '"Those responsible will be punished."', got[1][3], "continuation" })
  -- not after a paragraph of the writer's own
  s = '"We will stay," the mayor said.\n\nThe city was quiet.\n\n"Nobody came."'
  got = quotes(s)
  T.eq(got[2][3], nil)
end)

T.case("quotes-1.18 'he said' after '..., said the spokesman, Basir Mujahed.' is that spokesman", function()
  local s = "Taliban spokesman Zabihullah Mujahid said the bus was the target. Police chief Ali said it was not. "
    .. "The attack came at rush hour, said the spokesman, Basir Mujahed. "
    .. "\"The bomber attacked at one of the busiest times of the day,\" he said."
  local got = quotes(s)
  T.eq({ got[1][3], got[1][5] }, { "Basir Mujahed", "pronoun" })
end)

T.case("quotes-1.19 a short exclamation or question is said, not a label; chanted, shouted", function()
  T.eq(quotes_all('Protesters chanted "Raila go home!" as police fired tear gas.', "label", "speaker"),
    { { '"Raila go home!"', "speech", "Protesters" } })
  T.eq(quotes_all('The so-called "liberation" failed.', "label"), { { '"liberation"', "scare" } })
end)

T.case("quotes-1.20 called it, described as, pointed out introduce the subject's words; a passive does not", function()
  T.eq(quotes_all('The UN envoy called it "a dark day for the people of Sudan".', "speaker"),
    { { '"a dark day for the people of Sudan"', "The UN envoy" } })
  T.eq(quotes_all('The minister described the attack as "a cowardly act of terror".', "speaker"),
    { { '"a cowardly act of terror"', "The minister" } })
  T.eq(quotes_all('The victims were described as "a couple of German tourists".', "speaker"),
    { { '"a couple of German tourists"', nil } })
end)

T.case("quotes-1.21 'she said' goes to no one whose first name is a man's, past the titles", function()
  local s = 'Deputy Chief Minister Brajesh Pathak said four people were killed. "Confusion prevailed," she said.'
  T.eq(quotes(s)[1][3], "she")
  s = 'Chief Minister Neha Sharma said four people were killed. "Confusion prevailed," she said.'
  T.eq({ quotes(s)[1][3], quotes(s)[1][5] }, { "Chief Minister Neha Sharma", "pronoun" })
end)

T.case("quotes-1.27 a quote on the next line, after a long attribution, goes on with its speaker", function()
  local text = '"We played well," Pep Guardiola told mancity.com after the game.\n' ..
    '"It was a hard match and we are proud of the team."'
  local got = extract.quotes(text)
  T.eq({ got[2].attrs.speaker, got[2].attrs.resolved }, { "Pep Guardiola", "continuation" })
end)
