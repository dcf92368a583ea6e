-- lector.extract.source_words: the word sets sources.lua reads a source
-- phrase and its verb by (what ends a phrase, what heads none, what a
-- body or a paper is ...), apart from the code that reads them.
local M = {}

-- Words that end a source phrase read backwards from its verb.
M.STOP = { that = true, which = true, who = true, ["while"] = true, but = true,
  although = true, though = true, as = true, because = true, when = true, ["if"] = true,
  after = true, before = true, ["until"] = true, once = true,
  with = true, what = true, how = true, where = true, whereas = true, since = true,
  so = true, yet = true, ["then"] = true, ["and"] = false }

-- Whether tokens a..i-1 after "who" are a relative clause of their own
-- before the verb at i ("a photographer who saw the wreckage in Saada
-- said"), not the verb's own auxiliaries or a clause the verb belongs to
-- ("Congress who do not believe", "litigants who choose to assert",
-- "a man who lost his wife and now believes").
M.WHO_AUX = { ["do"] = true, does = true, did = true, just = true, will = true, would = true,
  have = true, has = true, had = true, are = true, were = true, is = true, was = true, also = true,
  ["not"] = true, can = true, could = true, may = true, might = true, must = true, should = true }

-- Words a source phrase may not end with (it is then no subject).
M.NOT_HEAD = { it = true, he = true, she = true, they = true, we = true, i = true,
  you = true, him = true, them = true, there = true, this = true, is = true, are = true,
  was = true, were = true, be = true, been = true, have = true, has = true, had = true,
  to = true, the = true, a = true, an = true, of = true, sometimes = true, often = true,
  who = true, also = true, ["not"] = true, ["n't"] = true, will = true, would = true,
  could = true, may = true, might = true, can = true, should = true, did = true, ["do"] = true,
  does = true, widely = true, reportedly = true, allegedly = true, ["in"] = true, on = true,
  ["and"] = true, ["or"] = true }

-- Lower-case words no subject holds ("his country could not take in
-- more refugees and urged": a clause, read back from the second verb).
M.MODAL = { could = true, would = true, should = true, can = true, may = true, might = true,
  must = true, will = true, ["not"] = true, ["n't"] = true, cannot = true }

-- Capitalised words that start a sentence and name nobody ("Many said").
M.GROUPWORD = { many = true, some = true, others = true, most = true, both = true,
  all = true, several = true, few = true, none = true, one = true, each = true, everyone = true,
  nobody = true, somebody = true, someone = true, this = true, that = true, these = true,
  those = true, who = true, which = true, what = true, there = true, here = true, critics = true,
  supporters = true, opponents = true, the = true, a = true, an = true }

-- Words after an unnamed source's noun that keep it unnamed.
M.OWNER = { ["'s"] = true, ["'"] = true }

M.OF_LIKE = { ["for"] = true, of = true, from = true, at = true, ["in"] = true, close = true,
  with = true, within = true, inside = true, familiar = true, linked = true, loyal = true,
  affiliated = true, allied = true, based = true, aligned = true, backed = true, attached = true,
  on = true, near = true, across = true, around = true }

-- Source nouns for a part of a body ("the RIA news agency", "the UN's
-- human rights office").
M.UNIT = { agency = true, office = true, service = true, association = true, union = true,
  unit = true, directorate = true, department = true, team = true, mission = true,
  committee = true, council = true, body = true, ministry = true, group = true, channel = true,
  tv = true, television = true, radio = true, newspaper = true, website = true, broadcaster = true,
  -- (and what a body issues: "a recent United Nations report", "Human
  -- Rights Watch figures")
  report = true, reports = true, statement = true, figures = true, estimates = true, data = true,
  study = true, survey = true, assessment = true, tally = true, count = true }

-- Speech verbs that take an object of another kind ("continued its
-- advance", "added two brigades", "maintains a base").
M.ONLY_BEFORE_THAT = { continued = true, continues = true, added = true, adds = true,
  maintained = true, maintains = true, concluded = true, concludes = true, revealed = true, reveals = true,
  admits = true, joked = true, jokes = true, mentioned = true, suggested = true, suggests = true,
  highlighted = true }

-- Words after "added" that say where or when, not what was added.
M.ADDED_WHERE = { ["in"] = true, on = true, at = true, during = true, via = true, later = true }

-- Words before a passive that say it did not happen.
M.NEGATION = { yet = true, ["not"] = true, never = true, ["n't"] = true }

-- Words after "said by" that say how, not who ("said by phone").
M.MEANS = { phone = true, telephone = true, email = true, ["e-mail"] = true, video = true,
  text = true, satellite = true, radio = true, letter = true, mail = true, messenger = true }

-- Heads of a source "it" can stand for (a body, not a person).
M.IT_BODY = { military = true, army = true, police = true, coalition = true, observatory = true,
  embassy = true, monitor = true, organisation = true, organization = true, report = true,
  statement = true, newspaper = true, channel = true, broadcaster = true, website = true,
  television = true, tv = true, radio = true, media = true }

-- Nouns for what a source disputes or makes, before its subject.
M.FIGURE = { figure = true, claim = true, number = true, toll = true, charge = true,
  allegation = true, account = true, version = true }

-- Papers a body issues: "a statement from the White House".
M.PAPER = { statement = true, report = true, communique = true, ["communiqué"] = true,
  bulletin = true, release = true, letter = true }

-- Words after "said" that start what was said, not who said it.
M.NOT_INVERTED = { its = true, his = true, her = true, their = true, it = true, they = true,
  he = true, she = true, we = true, i = true, that = true, ["on"] = true, ["in"] = true,
  at = true, ["if"] = true, there = true, this = true }

-- Speech verbs that open a participle clause at a sentence's start.
M.OPENING_PARTICIPLE = { asked = true, speaking = true, writing = true, talking = true,
  commenting = true, responding = true, referring = true }

-- Verbs whose "of" says what someone is accused of ("accused by X of Y").
M.CHARGE_VERB = { accused = true, charged = true, suspected = true, convicted = true,
  criticised = true, criticized = true }

-- Words for who a state sends to a body ("Iran's mission to the UN").
M.ENVOY = { mission = true, envoy = true, ambassador = true, delegation = true, representative = true,
  delegate = true, emissary = true, observer = true, missions = true, envoys = true, ambassadors = true }

-- Prefixes that make a name a modifier ("pro-Kremlin bloggers").
M.PRO_ANTI = { pro = true, anti = true }

-- Words between a person's name and the body they work for.
M.OF_BODY = { of = true, from = true, at = true, with = true }

-- Words that open a phrase naming nobody.
M.NOBODY = { no = true, none = true, nobody = true, neither = true, nor = true,
  there = true }

-- Capitalised words that open a description, not a name ("A rebel commander").
M.DETERMINER_CAP = { A = true, An = true, The = true, One = true, Another = true }

M.PRONOUN = { he = true, she = true, they = true, it = true, we = true, i = true }

-- Object words after "relays"/"cites" that make a chain: "relays Russian claims".
M.CLAIM_NOUNS = { claims = true, claim = true, reports = true, report = true,
  estimates = true, estimate = true, figures = true, accounts = true, account = true,
  sources = true, statements = true, statement = true }

-- Prepositions before a person's name that make it no subject.
M.PREP_BEFORE = { of = true, ["for"] = true, to = true, with = true, against = true, by = true,
  ["in"] = true, on = true, from = true, at = true }

-- Relative pronouns that open a clause inside a subject.
M.RELATIVE = { that = true, which = true, who = true }

-- Words before "with" that keep it inside a source phrase ("people
-- familiar with the matter", "a union allied with the opposition").
M.WITH_PARTICIPLE = { familiar = true, allied = true, affiliated = true, aligned = true,
  associated = true }

-- Whether token q is an adverb or auxiliary between a subject and its
-- verb ("also", "has", and -ly adverbs: "has repeatedly said").
-- (nouns that end as adverbs do: "The family said")
M.LY_NOUN = { family = true, assembly = true, rally = true, ally = true, supply = true,
  monopoly = true, anomaly = true, reply = true, assemblyman = true }

-- Source nouns for what a body puts out, not who speaks for it.
M.DOCUMENT = { estimates = true, estimate = true, figures = true, report = true, reports = true,
  data = true, count = true, tally = true }

-- Words before a quoted label ("the so-called", "what it called", "dubbed").
M.LABELLED = { called = true, calls = true, call = true, dubbed = true, termed = true, named = true,
  labelled = true, labeled = true, branded = true, described = true, as = true }

return M
