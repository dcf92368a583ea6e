-- lector.extract.boilerplate and metadata: web debris marked (never
-- removed), and what the header missed.
local T = require "testlib"
local G = require "extract_gold"
local lector = require "lector"
local extract = lector.extract

local function bp(s)
  local out = {}
  for _, sp in ipairs(extract.boilerplate(s)) do out[#out + 1] = { s:sub(sp.start, sp.stop), sp.label } end
  return out
end

T.case("boilerplate-1.1 debris lines by kind", function()
  local s = table.concat({
    "SIGN UP FOR OUR NEWSLETTER", "The army advanced on the town, officials said.",
    "Help us grow. Support The Duran on Patreon!", "http://example.com/2017/02/06/a-story/",
    "202", "Related: Aid convoy reaches Madaya", "Share this:",
    "The statements, views and opinions expressed in this column are solely those of the author.",
  }, "\n")
  T.eq(bp(s), {
    { "SIGN UP FOR OUR NEWSLETTER", "newsletter" },
    { "Help us grow. Support The Duran on Patreon!", "support" },
    { "http://example.com/2017/02/06/a-story/", "url" }, { "202", "share" },
    { "Related: Aid convoy reaches Madaya", "related" }, { "Share this:", "share" },
    { "The statements, views and opinions expressed in this column are solely those of the author.", "disclaimer" },
  })
end)

T.case("boilerplate-1.2 comment widgets and what follows them at the end", function()
  local body = string.rep("The siege went on for months and the town held. ", 20)
  local s = body .. "\n\nWhat do you think?\n\nNotify of\nInline Feedbacks\nView all comments\n\n"
    .. "Trump names great American\n\nBREAKING: Possible attack thwarted"
  local got = bp(s)
  T.eq(got, {
    { "What do you think?", "comments" }, { "Notify of", "comments" },
    { "Inline Feedbacks", "comments" }, { "View all comments", "comments" },
    { "Trump names great American", "tail" }, { "BREAKING: Possible attack thwarted", "tail" },
  })
  -- a copyright line, a topics line and a comment counter with its sort order
  T.eq(bp("\u{A9} 2017 Example News. All rights reserved.\nTopics: Syria, Idlib\n" .. body
      .. "\n\nComments (12)\nSort by: Newest"),
    { { "\u{A9} 2017 Example News. All rights reserved.", "disclaimer" }, { "Topics: Syria, Idlib", "debris" },
      { "Comments (12)", "comments" }, { "Sort by: Newest", "comments" } })
  -- a WordPress reply form on one line
  T.eq(bp(body .. "\n\nLeave a Reply Cancel reply\n\nName"),
    { { "Leave a Reply Cancel reply", "comments" }, { "Name", "tail" } })
  -- the text is unchanged, and a widget line early in a text does not eat the rest
  T.eq(bp("What do you think?\n" .. body), { { "What do you think?", "comments" } })
end)

T.case("boilerplate-1.3 a byline and Source: line at the end", function()
  local s = "Body text here.\n\nBy Alexander Mercouris\nSource: The Duran\n"
  T.eq(bp(s), { { "By Alexander Mercouris", "byline" }, { "Source: The Duran", "source" } })
end)

T.case("boilerplate-1.4 bylines, appeals, tags, follow-us and copyright lines", function()
  local s = table.concat({
    "Posted by Staff Writer", "The army advanced on the town, officials said.",
    "Please support our independent journalism. Donate now!", "Tags: Syria, Palmyra, ISIS",
    "Follow us on Twitter", "Copyright 2017 Levant Monitor", "This article first appeared on Levant Monitor.",
    -- a byline with its date stays for the dates extractor
    "Posted by Staff Writer on March 3, 2017",
    "(Reporting by Tom Perry; Editing by Dominic Evans)", "Image caption Residents fled on foot",
    "Associated Press writer Zeina Karam in Beirut contributed to this report.",
  }, "\n")
  T.eq(bp(s), {
    { "Posted by Staff Writer", "byline" },
    { "Please support our independent journalism. Donate now!", "support" },
    { "Tags: Syria, Palmyra, ISIS", "debris" }, { "Follow us on Twitter", "share" },
    { "Copyright 2017 Levant Monitor", "disclaimer" },
    { "This article first appeared on Levant Monitor.", "source" },
    { "(Reporting by Tom Perry; Editing by Dominic Evans)", "byline" },
    { "Image caption Residents fled on foot", "debris" },
    { "Associated Press writer Zeina Karam in Beirut contributed to this report.", "byline" },
  })
end)

T.case("boilerplate-1.5 widgets news sites end with: popular, trending, promoted, comments", function()
  local body = string.rep("The shelling went on for a week and the enclave held. ", 20)
  local s = body .. "\n\nMost Popular\nTurkey warns Kurds over Manbij\nPromoted Stories\n"
    .. "Sponsored Content by Taboola\nYou might also like\nLoad more comments\nPowered by Disqus\nSort by Newest"
  T.eq(bp(s), {
    { "Most Popular", "related" }, { "Turkey warns Kurds over Manbij", "tail" }, { "Promoted Stories", "related" },
    { "Sponsored Content by Taboola", "advert" }, { "You might also like", "related" },
    { "Load more comments", "comments" }, { "Powered by Disqus", "comments" }, { "Sort by Newest", "comments" },
  })
  -- early in a text, a widget word does not eat the article
  T.eq(bp("Trending\n" .. body), { { "Trending", "related" } })
end)

T.case("metadata-1.1 byline, source, dateline, URL date and title", function()
  local md = extract.metadata("Title\nMon, 06 Feb 2017 23:58 UTC\nText.\n\nBy Alexander Mercouris\nSource: The Duran")
  T.eq({ md.published, md.published_from, md.byline, md.source },
    { "2017-02-06", "dateline", "Alexander Mercouris", "The Duran" })
  md = extract.metadata("http://www.breitbart.com/national-security/2016/01/25/"
    .. "islamic-state-close-to-defeating-syrian-army-in-key-eastern-city/\n202\nText.")
  T.eq({ md.published, md.published_from, md.title_from_url },
    { "2016-01-25", "url", "Islamic State Close to Defeating Syrian Army in Key Eastern City" })
  md = extract.metadata({ text = "Just text.", uri = "https://x.org/2017/02/06/assad-forces-take-al-bab" })
  T.eq({ md.url_date, md.title_from_url }, { "2017-02-06", "Assad Forces Take Al Bab" })
  T.eq(extract.metadata("Nothing here."), {})
end)

local function score(name, text, gold)
  local res = extract.run(text, "boilerplate")
  G.locate(text, gold)
  return G.score(name, text, res.boilerplate, gold, function(s, g) return s.label == g.label end)
end

T.case("boilerplate-2.1 own articles, whole documents", function()
  local p, r = score("boilerplate article A", G.data("extract_article_a.txt"), {
    { "By Lena Haddad", label = "byline" }, { "Share this:", label = "share" },
    { "Related: Aid convoy reaches Madaya", label = "related" },
    { "What do you think?", label = "comments" }, { "Notify of", label = "comments" },
    { "View all comments", label = "comments" },
  })
  T.eq({ p, r }, { 1, 1 })
  p, r = score("boilerplate article B", G.data("extract_article_b.txt"), {
    { "Source: Levant Monitor", label = "source" },
    { "Support Levant Monitor on Patreon!", label = "support" }, { "Similar Posts", label = "related" },
  })
  T.eq({ p, r }, { 1, 1 })
end)

local DISCLAIMER = "The statements, views and opinions expressed in this column are solely those of the "
  .. "author and do not necessarily represent those of this site. This site does not give financial, "
  .. "investment or medical advice."
local seed = {
  ["001"] = {
    { "By Alexander Mercouris", label = "byline" }, { "Source: The Duran", label = "source" },
    { "Similar Posts", label = "related" }, { "Leave a Reply", label = "comments" },
    { "Your email address will not be published.", to = "*", label = "comments" },
  },
  ["002"] = {
    { "in ,", label = "debris" }, { DISCLAIMER, label = "disclaimer" }, { "Report", label = "comments" },
    { DISCLAIMER, label = "disclaimer" }, { "What do you think?", label = "comments" },
    { "Subscribe", label = "newsletter" }, { "Notify of", label = "comments" },
    { "guest", label = "comments" }, { "0 Comments", label = "comments" },
    { "Inline Feedbacks", label = "comments" }, { "View all comments", label = "comments" },
    { "Trump names", to = "attack", label = "tail" }, { "BREAKING:", to = "Antwerp", label = "tail" },
  },
  ["004"] = {
    { "http://www.breitbart.com/", to = "city/", label = "url" }, { "202", label = "share" },
    { "20", label = "share" }, { "SIGN UP FOR OUR NEWSLETTER", label = "newsletter" },
    { "SIGN UP FOR OUR NEWSLETTER", label = "newsletter" },
  },
}
for _, id in ipairs({ "001", "002", "004" }) do
  G.seed_case("boilerplate-3." .. id .. " seed article " .. id, id, function(text)
    local p, r = score("boilerplate seed " .. id, text, seed[id])
    T.ok(p >= 0.9, "precision " .. p)
    T.ok(r >= 0.9, "recall " .. r)
  end)
end

G.seed_case("metadata-3.1 seed metadata", "004", function(text)
  local md = extract.metadata(text)
  T.eq({ md.published, md.title_from_url },
    { "2016-01-25", "Islamic State Close to Defeating Syrian Army in Key Eastern City" })
end)

T.case("boilerplate-1.6 breadcrumbs, contact lines, 'More on this story'", function()
  local s = table.concat({
    "Home | World | Europe", "Police said 30 people were detained in the capital on Sunday.",
    "The protest was the largest in years, organisers said.",
    "For further information, please contact: John Smith, +44 20 7946 0958",
    "More on this story", "Thousands rally against new law", "3 March 2019",
  }, "\n")
  T.eq(bp(s), {
    { "Home | World | Europe", "debris" },
    { "For further information, please contact: John Smith, +44 20 7946 0958", "contact" },
    { "More on this story", "related" }, { "Thousands rally against new law", "tail" }, { "3 March 2019", "tail" },
  })
end)

T.case("boilerplate-1.7 a second article glued on after the first, from its title", function()
  local s = table.concat({
    "Army retakes citadel", "SANA", "Mon, 27 Mar 2017 10:14 UTC",
    "Army units restored control over the citadel after fierce clashes, a military source said.",
    "The source added that engineers were clearing mines planted in the area.",
    "Turkey ends its operation in Syria", "Ankara, Anadolu", "Wed, 29 Mar 2017 18:02 UTC",
    "The National Security Council said the operation had been completed.",
  }, "\n")
  local got = bp(s)
  T.eq(got[1], { "Turkey ends its operation in Syria", "glued" })
  T.eq(#got, 4)
  -- the document's own header is no glued article
  T.eq(bp(table.concat({ "Army retakes citadel", "Mon, 27 Mar 2017 10:14 UTC",
    "Army units restored control over the citadel after fierce clashes, a military source said." }, "\n")), {})
end)

T.case("boilerplate-1.8 a page's header and footer: navigation, reading time, share buttons, cookies", function()
  local s = table.concat({
    "Skip to main content", "Menu", "Search", "World | Middle East", "Floods kill 21 in Yemen",
    "Updated 3 hours ago", "Listen to this article · 3 min",
    "Floods killed at least 21 people, officials said on Sunday.",
    "Facebook Twitter WhatsApp Email", "Get the day's top stories delivered to your inbox.",
    "We use cookies to improve your experience. Accept" }, "\n")
  T.eq(bp(s), {
    { "Skip to main content", "debris" }, { "Menu", "debris" }, { "Search", "debris" },
    { "World | Middle East", "debris" }, { "Updated 3 hours ago", "debris" },
    { "Listen to this article · 3 min", "debris" }, { "Facebook Twitter WhatsApp Email", "share" },
    { "Get the day's top stories delivered to your inbox.", "newsletter" },
    { "We use cookies to improve your experience. Accept", "disclaimer" } })
  -- the same words inside a sentence are text
  T.eq(bp("Officials said a search of the menu on Twitter found nothing.\nMore text."), {})
end)

T.case("boilerplate-1.20 a scraped page's furniture: players, reprints, photo credits, related links, credits",
    function()
  local s = table.concat({
    "Story highlights", "Slideshow ( 4 images )", "(Full-size photo)(All photos)",
    "Floods cut the main road north of the city on Monday, officials said.",
    "READ: Aid agencies warn of cholera after floods", "- Print Article", "- Order Reprints",
    "We apologise, but this video has failed to load.", "Back to video",
    "By the end of the day, 40 families had left, the mayor said.",
    "Also read: Three bridges closed as river rises", "Reporting by Jane Doe; Editing by John Roe",
    "Reporting by the Lagos newsroom", "- BY MARY SMITH", "Search This Blog",
    "Showing posts with label Floods. Show all posts", "Privacy Policy",
    "Also see the map below for the roads that are closed.",
  }, "\n")
  T.eq(bp(s), {
    { "Story highlights", "debris" }, { "Slideshow ( 4 images )", "debris" },
    { "(Full-size photo)(All photos)", "debris" },
    { "READ: Aid agencies warn of cholera after floods", "related" }, { "- Print Article", "debris" },
    { "- Order Reprints", "debris" }, { "We apologise, but this video has failed to load.", "debris" },
    { "Back to video", "debris" }, { "Also read: Three bridges closed as river rises", "related" },
    { "Reporting by Jane Doe; Editing by John Roe", "byline" }, { "Reporting by the Lagos newsroom", "byline" },
    { "- BY MARY SMITH", "byline" }, { "Search This Blog", "debris" },
    { "Showing posts with label Floods. Show all posts", "debris" }, { "Privacy Policy", "disclaimer" },
  })
end)

T.case("boilerplate-1.21 script a scraped page left in its text", function()
  local s = table.concat({
    "Floods cut the road, officials said.", "var time=new Date();",
    "document.write(date + \", \" + year);", "function check_empty(text) {",
    "The function of the dam is to hold water.",
  }, "\n")
  T.eq(bp(s), { { "var time=new Date();", "debris" }, { "document.write(date + \", \" + year);", "debris" },
    { "function check_empty(text) {", "debris" } })
end)

T.case("boilerplate-1.22 a mid-page related list ends at the prose after it, a comment thread does not", function()
  local prose = "The army and air force reacted vigorously, a military official told AFP. The base near the border "
    .. "had been hit before. Two soldiers were wounded in that attack, officials said at the time, and the road "
    .. "was closed for a week. Residents said the town was calm on Monday."
  local filler = {}
  for k = 1, 30 do filler[k] = "The town of Mondoro lies on the road south, officials said, line " .. k .. "." end
  local s = table.concat(filler, "\n") .. "\nRelated Posts\n" .. prose .. "\nTroops moved north."
  local got = bp(s)
  T.eq(got, { { "Related Posts", "related" } })
  s = table.concat(filler, "\n") .. "\nLeave a Reply\n" .. prose
  got = bp(s)
  T.eq({ got[1][2], got[2][2] }, { "comments", "tail" })
end)

T.case("boilerplate-1.23 a photo's credit with its caption on one line is no copyright notice", function()
  local cap = "© AP Photo/Douglas Engle 43 people were killed at the Ellis Park Stadium in Johannesburg, "
    .. "South Africa, during a stampede in 2001."
  local s = table.concat({
    "Floods cut the road, officials said.", cap, "© 2018 ABC News Internet Ventures. All rights reserved.",
    "© Examiner Echo Group Limited",
    "© 2016 The Associated Press. All rights reserved. This material may not be published, broadcast, "
      .. "rewritten or redistributed.",
  }, "\n")
  local got = bp(s)
  T.eq(#got, 3)
  for _, g in ipairs(got) do T.eq(g[2], "disclaimer") end
  for _, g in ipairs(got) do T.ok(g[1] ~= cap, "the caption stays text") end
end)
