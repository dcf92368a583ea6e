-- lector.extract.dates: absolute and relative dates, resolved against the
-- publication date.
local T = require "testlib"
local G = require "extract_gold"
local lector = require "lector"
local extract = lector.extract

local PUB = "2017-02-06" -- a Monday

local function dates(s, published, opts)
  local out = {}
  for _, sp in ipairs(extract.dates({ text = s, published = published }, opts)) do
    out[#out + 1] = { s:sub(sp.start, sp.stop), sp.attrs.iso, sp.attrs.granularity, sp.attrs.relative }
  end
  return out
end

T.case("dates-1.1 absolute forms", function()
  T.eq(dates("Mon, 06 Feb 2017 23:58 UTC", PUB), { { "Mon, 06 Feb 2017 23:58 UTC", "2017-02-06", "day", false } })
  T.eq(dates("On Thursday 3rd November 2016 he spoke.", PUB),
    { { "Thursday 3rd November 2016", "2016-11-03", "day", false } })
  T.eq(dates("It fell on February 2.", PUB), { { "February 2", "2017-02-02", "day", false } })
  T.eq(dates("Talks began 2 Feb. in Astana.", PUB), { { "2 Feb.", "2017-02-02", "day", false } })
  T.eq(dates("Berlin in April 1945 fell.", PUB), { { "April 1945", "1945-04", "month", false } })
  T.eq(dates("Encircled back in 2012.", PUB), { { "2012", "2012", "year", false } })
  T.eq(dates("Filed 2016-11-03 by staff.", PUB), { { "2016-11-03", "2016-11-03", "day", false } })
  T.eq(dates("On February 1, 2016, forces advanced.", PUB), { { "February 1, 2016", "2016-02-01", "day", false } })
  T.eq(dates("Since December 25, 2016 it held.", PUB), { { "December 25, 2016", "2016-12-25", "day", false } })
  T.eq(dates("The 3rd of March 2015 was calm.", PUB), { { "3rd of March 2015", "2015-03-03", "day", false } })
  -- a month alone: the latest one up to publication
  T.eq(dates("In December the army won.", PUB), { { "December", "2016-12", "month", false } })
  T.eq(dates("In January this year it began.", PUB), { { "January this year", "2017-01", "month", false } })
end)

T.case("dates-1.2 slashed dates follow the locale", function()
  T.eq(dates("On 11/03/2016 it began.", PUB, { locale = "en-US" }), { { "11/03/2016", "2016-11-03", "day", false } })
  T.eq(dates("On 11/03/2016 it began.", PUB, { locale = "en-GB" }), { { "11/03/2016", "2016-03-11", "day", false } })
  T.eq(dates("On 25/12/2016 it began.", PUB), { { "25/12/2016", "2016-12-25", "day", false } })
  -- ambiguous and no locale: kept, iso null
  local spans = extract.dates({ text = "On 11/03/2016 it began.", published = PUB })
  T.eq({ spans[1].attrs.iso, spans[1].attrs.ambiguous }, { nil, true })
end)

T.case("dates-1.3 relative dates resolved against published", function()
  T.eq(dates("Today the army advanced; yesterday it rested.", PUB),
    { { "Today", "2017-02-06", "day", true }, { "yesterday", "2017-02-05", "day", true } })
  T.eq(dates("They left on Friday.", PUB), { { "Friday", "2017-02-03", "day", true } })
  T.eq(dates("It happened last week.", PUB), { { "last week", "2017-W05", "week", true } })
  T.eq(dates("It rose earlier this month.", PUB), { { "earlier this month", "2017-02", "month", true } })
  T.eq(dates("The offensive of last summer failed.", PUB),
    { { "last summer", "2016-06/2016-08", "season", true } })
  T.eq(dates("Over the last few days ISIS pulled back.", PUB),
    { { "Over the last few days", "2017-02-02/2017-02-06", "range", true } })
  T.eq(dates("A few days ago it was quiet.", PUB), { { "A few days ago", "2017-02-02/2017-02-04", "range", true } })
  T.eq(dates("The assault may come this weekend.", PUB),
    { { "this weekend", "2017-02-11/2017-02-12", "weekend", true } })
  T.eq(dates("It was cold last year.", PUB), { { "last year", "2016", "year", true } })
  T.eq(dates("It began next Monday.", PUB), { { "next Monday", "2017-02-13", "day", true } })
  T.eq(dates("Two weeks ago the convoy arrived.", PUB), { { "Two weeks ago", "2017-W04", "week", true } })
  T.eq(dates("It ended 3 days ago.", PUB), { { "3 days ago", "2017-02-03", "day", true } })
  T.eq(dates("Fighting since early summer went on.", PUB),
    { { "early summer", "2016-06/2016-08", "season", true } })
end)

T.case("dates-1.4 unresolvable dates keep iso null; published from the dateline", function()
  local spans = extract.dates("They left on Friday.")
  T.eq(#spans, 1)
  T.eq({ spans[1].attrs.iso, spans[1].attrs.relative }, { nil, true })
  T.eq(lector.json.encode(spans[1].attrs):find('"iso"', 1, true), nil, "absent: JSON null")
  spans = extract.dates("Title\nMon, 06 Feb 2017 23:58 UTC\nOn Friday it fell.")
  T.eq(spans[2].attrs.iso, "2017-02-03")
  T.eq(spans[2].attrs.anchor, "dateline")
end)

T.case("dates-1.7 part of a month, the past N days or years", function()
  T.eq(dates("By mid-November, troops had entered the suburbs.", PUB),
    { { "mid-November", "2016-11", "month", false } })
  T.eq(dates("Over the past three years the city shrank.", PUB),
    { { "Over the past three years", "2014-02-07/2017-02-06", "range", true } })
  T.eq(dates("Some 40 fighters were killed in the past 48 hours.", PUB),
    { { "in the past 48 hours", "2017-02-04/2017-02-06", "range", true } })
  -- "the last two" without a unit is no date
  T.eq(dates("The last two convoys were turned back.", PUB), {})
end)

T.case("dates-1.5 not dates", function()
  T.eq(dates("He may go. 5,000 fighters and 2000 troops. March on!", PUB), {})
  T.raises("bad argument #1 to 'dates'", extract.dates, nil)
end)

T.case("dates-1.6 start words that start a date only before certain words", function()
  -- (the scan skips "this", "the", "a", "two", "year" elsewhere)
  T.eq(dates("This morning the year was hard; this is the week, a year of it.", PUB),
    { { "This morning", "2017-02-06", "day", true } })
  T.eq(dates("It may end later this week or next Friday, in the past year.", PUB), {
    { "later this week", "2017-W06", "week", true }, { "next Friday", "2017-02-10", "day", true },
    { "in the past year", "2016-02-07/2017-02-06", "range", true } })
  T.eq(dates("Two of them came, the two days ago and a week ago.", PUB),
    { { "two days ago", "2017-02-04", "day", true }, { "a week ago", "2017-W05", "week", true } })
end)

local function iso_same(s, g) return s.attrs.iso == g.iso end

local function score(name, text, gold, published)
  local ctx = lector.context.new({ text = text, published = published }, { gazetteer = G.gazetteer() })
  local res = extract.run(ctx, "boilerplate,dates")
  G.locate(text, gold)
  return G.score(name, text, res.date, gold, iso_same)
end

T.case("dates-1.7 dates to come, and parts of a month without a hyphen", function()
  -- published Monday 2017-02-06: a clause about what is to come looks ahead
  T.eq(dates("The vote is scheduled for March 15.", PUB), { { "March 15", "2017-03-15", "day", false } })
  T.eq(dates("Talks are due to resume in January.", PUB), { { "January", "2018-01", "month", false } })
  T.eq(dates("Talks will resume on Friday.", PUB), { { "Friday", "2017-02-10", "day", true } })
  -- the same dates in a past clause look back
  T.eq(dates("The vote was held on March 15.", PUB), { { "March 15", "2016-03-15", "day", false } })
  T.eq(dates("Talks resumed on Friday.", PUB), { { "Friday", "2017-02-03", "day", true } })
  T.eq(dates("The offensive expected in January was launched on Friday.", PUB),
    { { "January", "2017-01", "month", false }, { "Friday", "2017-02-03", "day", true } })
  local sp = extract.dates({ text = "A new round is planned for early April.", published = PUB })[1]
  T.eq({ sp.attrs.iso, sp.attrs.part, sp.attrs.future }, { "2017-04", "early", true })
end)

T.case("dates-2.1 own articles, whole documents", function()
  local p, r = score("dates article A", G.data("extract_article_a.txt"), {
    { "Tue, 14 Mar 2017 09:12 UTC", iso = "2017-03-14" },
    { "Monday", iso = "2017-03-13" }, { "Friday", iso = "2017-03-10" },
    { "last week", iso = "2017-W10" }, { "2 March 2017", iso = "2017-03-02" },
  })
  T.eq({ p, r }, { 1, 1 })
  p, r = score("dates article B", G.data("extract_article_b.txt"), {
    { "over the last few days", iso = "2017-06-03/2017-06-07" },
    { "Wednesday", iso = "2017-06-07" }, { "Sunday", iso = "2017-06-04" },
    { "2016", iso = "2016" }, { "last summer", iso = "2016-06/2016-08" },
  }, "2017-06-07")
  T.eq({ p, r }, { 1, 1 })
end)

-- Seed articles: 000 carries its date in a dateline; 003 has none, so its
-- relative dates stay unresolved (iso null) and "December" and "November 4"
-- have no year.
local seed = {
  ["000"] = {
    { "Mon, 06 Feb 2017 23:58 UTC", iso = "2017-02-06" },
    { "over the last few years", iso = "2014-02-07/2017-02-06" },
    { "February 2", iso = "2017-02-02" },
  },
  ["003"] = {
    { "February 1, 2016", iso = "2016-02-01" }, { "December" }, { "a few days ago" },
    { "today" }, { "a few days ago" }, { "last summer" }, { "summer" }, { "summer" },
    { "early summer" }, { "Friday" }, { "last summer" },
    { "Thursday 3rd November 2016", iso = "2016-11-03" }, { "over the last few days" },
    { "November 4" }, { "this weekend" }, { "this weekend" }, { "Friday" },
  },
  ["002"] = {
    { "over the last few days" }, { "today" }, { "2012", iso = "2012" },
    { "January this year" }, { "2014", iso = "2014" }, { "April 1945", iso = "1945-04" },
  },
}
for _, id in ipairs({ "000", "002", "003" }) do
  G.seed_case("dates-3." .. id .. " seed article " .. id, id, function(text)
    local p, r = score("dates seed " .. id, text, seed[id])
    T.ok(p >= 0.9, "precision " .. p)
    T.ok(r >= 0.9, "recall " .. r)
  end)
end

T.case("dates-1.8 ranges of days, decades, parts of a year, the Nth of the month", function()
  T.eq(dates("Strikes on the night of Jan. 30-31 hit the town.", PUB),
    { { "Jan. 30-31", "2017-01-30/2017-01-31", "range", false } })
  T.eq(dates("Talks ran from 4 to 6 December 2016.", PUB),
    { { "4 to 6 December 2016", "2016-12-04/2016-12-06", "range", false } })
  T.eq(dates("Talks ran 4-6 December 2016.", PUB), { { "4-6 December 2016", "2016-12-04/2016-12-06", "range", false } })
  T.eq(dates("Between January 9 and 11, the road was shut.", PUB),
    { { "January 9 and 11", "2017-01-09/2017-01-11", "range", false } })
  T.eq(dates("Founded in the 1980s, the group grew in the 1990's.", PUB),
    { { "1980s", "1980/1989", "decade", false }, { "1990's", "1990/1999", "decade", false } })
  local got = extract.dates({ text = "It has ruled the area since mid-2014.", published = PUB })
  T.eq({ got[1].attrs.iso, got[1].attrs.part }, { "2014", "mid" })
  -- "on the 3rd": this month's when it has passed, else last month's
  T.eq(dates("The truce broke on the 3rd, and again on the 28th.", PUB),
    { { "the 3rd", "2017-02-03", "day", true }, { "the 28th", "2017-01-28", "day", true } })
  -- an ordinal that is no day of a month
  T.eq(dates("They met on the 25th floor.", PUB), {})
end)

T.case("dates-1.9 03.11.2016 is day first, 2016/11/03 year first; 11/03/2016 waits for a locale", function()
  T.eq(dates("It ended on 03.11.2016. It began on 2016/11/03. Talks were on 11/03/2016."), {
    { "03.11.2016", "2016-11-03", "day", false }, { "2016/11/03", "2016-11-03", "day", false },
    { "11/03/2016", nil, "day", false } })
  T.eq(dates("Talks were on 11/03/2016.", nil, { locale = "en-US" })[1][2], "2016-11-03")
end)

T.case("dates-1.10 the part of a stretch: early next week, the end of last year, the end of the month", function()
  T.eq(dates("Talks resume early next week. At the end of last year it rose. It expires at the end of the month. "
    .. "At the end of the war many fled.", "2024-03-14"), {
    { "early next week", "2024-W12", "week", true }, { "end of last year", "2023", "year", true },
    { "end of the month", "2024-03", "month", true } })
  T.eq(extract.dates({ text = "By the end of this year it ends.", published = "2024-03-14" })[1].attrs.part, "end")
end)

T.case("dates-1.11 'the next day', 'two days later', 'a year earlier': from the date the text named last", function()
  T.eq(dates("On 3 March 2016 the army attacked. The next day it left. Two days later, 12 died. "
    .. "A year earlier, the town fell.", PUB), {
    { "3 March 2016", "2016-03-03", "day", false },
    { "The next day", "2016-03-04", "day", true },
    { "Two days later", "2016-03-06", "day", true },
    { "A year earlier", "2015", "year", true },
  })
  -- the day a relative date resolved to counts too; a week from its middle
  T.eq(dates("Rebels took the town on Thursday. A day later the army returned.", PUB), {
    { "Thursday", "2017-02-02", "day", true }, { "A day later", "2017-02-03", "day", true } })
  T.eq(dates("The truce began on 3 February 2016. Three weeks later it collapsed, and the following month "
    .. "talks resumed.", PUB), {
    { "3 February 2016", "2016-02-03", "day", false },
    { "Three weeks later", "2016-W08", "week", true },
    { "the following month", "2016-03", "month", true },
  })
  T.eq(dates("It was signed in December 2015. The previous month had been calm; the following year was not.", PUB), {
    { "December 2015", "2015-12", "month", false },
    { "The previous month", "2015-11", "month", true },
    { "the following year", "2016", "year", true },
  })
  -- no date named before, or none precise enough: kept, with no iso
  T.eq(dates("The next day the army left.", PUB), { { "The next day", nil, "day", true } })
  T.eq(dates("In 2015 the war grew. The next day, rebels attacked.", PUB),
    { { "2015", "2015", "year", false }, { "The next day", nil, "day", true } })
  -- which one it counts from, and from where
  local got = extract.dates({ text = "On 3 March 2016 they met. A week later they met again.", published = PUB })
  T.eq({ got[2].attrs.anchor, got[2].attrs.counted_from, got[2].attrs.iso }, { "previous date", "2016-03-03",
      "2016-W10" })
  -- a comparison with a period is no date
  T.eq(dates("Sales rose 5% from a year earlier.", PUB), {})
  T.eq(dates("On 3 March 2016 they met, a week earlier than planned.", PUB), { { "3 March 2016", "2016-03-03",
      "day", false } })
  -- counting back from publication is still "ago"
  T.eq(dates("He was killed three days ago.", PUB), { { "three days ago", "2017-02-03", "day", true } })
end)

T.case("dates-1.12 30-09-2022, year ranges 2006-2007 and 2014-15, and 'USA Today' no date", function()
  T.eq(dates("Updated: 30-09-2022 12:20 IST", PUB), { { "30-09-2022 12:20", "2022-09-30", "day", false } })
  T.eq(dates("Call 1-866-555-0199 now.", PUB), {})
  T.eq(dates("In 2006-2007 the war grew; the 2014-15 season was calm.", PUB),
    { { "2006-2007", "2006/2007", "range", false }, { "2014-15", "2014/2015", "range", false } })
  T.eq(dates("Some 2000-3000 people fled.", PUB), {})
  T.eq(dates("USA Today reported it. The Gaza Today programme aired it today.", PUB),
    { { "today", "2017-02-06", "day", true } })
end)

T.case("dates-1.13 'April next year', 'during the past few months'", function()
  T.eq(dates("The plant will open by April next year.", PUB), { { "April next year", "2018-04", "month", false } })
  T.eq(dates("Prices rose during the past few months.", PUB),
    { { "during the past few months", "2016-11-08/2017-02-06", "range", true } })
end)

T.case("dates-1.14 'would' speaks of what is to come as 'will' does", function()
  T.eq(dates("Experts would carry out further investigation on Wednesday.", PUB),
    { { "Wednesday", "2017-02-08", "day", true } })
  T.eq(dates("Experts carried out an investigation on Wednesday.", PUB), { { "Wednesday", "2017-02-01", "day", true } })
end)

T.case("dates-1.15 'until' a day a few weeks after publication: the coming one, unless the clause is past", function()
  T.eq(dates("The polls are being held over eight days until April 29.", "2021-04-02"),
    { { "April 29", "2021-04-29", "day", false } })
  T.eq(dates("The road was closed until April 29.", "2021-04-02"), { { "April 29", "2020-04-29", "day", false } })
  T.eq(dates("Fighting lasted until September 3.", "2021-04-02"), { { "September 3", "2020-09-03", "day", false } })
end)

T.case("dates-1.16 a publication known to the month places dates with no year, not weekdays", function()
  T.eq(dates("Results for the quarter ending Dec. 31 were strong; sales fell a year ago.", "2008-01"),
    { { "Dec. 31", "2007-12-31", "day", false }, { "a year ago", "2007", "year", true } })
  T.eq(dates("In January the plant reopened, and on Monday it closed.", "2008-01"),
    { { "January", "2008-01", "month", false }, { "Monday", nil, "day", true } })
end)

T.case("dates-1.17 a URL's date in one piece: /2022-08-29/, /20180917/, a slug's -2019-03-10-", function()
  local from_url = require("lector.extract.metadata").from_url
  T.eq({ from_url("https://www.latimes.com/story/2022-08-29/detroit-shooting") }, { "2022-08-29", "Detroit Shooting" })
  T.eq(from_url("https://www.pressreader.com/the-west-australian/20180917/281844349762"), "2018-09-17")
  T.eq(from_url("https://www.voanews.com/a/voacorr-2019-03-10-ethiopian-crash/4819.html"), "2019-03-10")
  T.eq(from_url("https://x.com/item/12345678/"), nil)
  T.eq({ from_url("https://x.com/news/2013/Dec/04/a-story"), from_url("https://x.com/2013/Foo/04/x") },
    { "2013-12-04", nil })
  T.eq(from_url("https://x.com/a/2019-13-40-x"), nil)
  T.eq(dates("URL: https://x.com/news/2022-08-29/story\n\nThe mayor spoke on Monday.")[1][2], "2022-08-29")
end)

T.case("dates-1.18 the weekend to come in a future clause; through and much of the weekend; as soon as", function()
  T.eq(dates("Rain will fall through the weekend.", "2018-09-14"),
    { { "through the weekend", "2018-09-15/2018-09-16", "weekend", true } })
  T.eq(dates("Rain fell for much of the weekend.", "2018-09-14"),
    { { "much of the weekend", "2018-09-08/2018-09-09", "weekend", true } })
  T.eq(dates("Names could be announced as soon as Thursday.", "2021-09-21"),
    { { "Thursday", "2021-09-23", "day", true } })
  T.eq(dates("Microsoft plans on Wednesday to announce a rebate.", "2002-07-17"),
    { { "Wednesday", "2002-07-17", "day", true } })
end)

T.case("dates-1.19 year ranges spelled out, a photo's date, won't, by, Sunday's this weekend, a city", function()
  T.eq(dates("Sales grew between 2016 and 2017; he ruled from 2002 to 2007; the 2017/2018 season.", PUB),
    { { "between 2016 and 2017", "2016/2017", "range", false }, { "from 2002 to 2007", "2002/2007", "range", false },
      { "2017/2018", "2017/2018", "range", false } })
  T.eq(dates("In this September 22, 2018 photo, a man walks.", PUB),
    { { "September 22, 2018", "2018-09-22", "day", false } })
  T.eq(dates("There won't be a strike on Monday.", "2019-02-10")[1][2], "2019-02-11")
  T.eq(dates("The request should be made by April 20.", "2021-03-01")[1][2], "2021-04-20")
  T.eq(dates("The fair is on this weekend.", "2019-02-10")[1][2], "2019-02-09/2019-02-10")
  T.eq(dates("He lives in 6th of October City.", PUB), {})
end)

T.case("dates-1.20 URL dates: /20201128-slug, /2004/12-10/, /02-Nov-2018/; in May.; last night", function()
  local from_url = require("lector.extract.metadata").from_url
  T.eq({ from_url("https://x.com/news/20201128-brexit-talks.php") }, { "2020-11-28", "Brexit Talks" })
  T.eq({ from_url("https://x.com/archive/2004/12-10/story"), from_url("https://x.com/news/02-Nov-2018/story"),
         from_url("https://x.com/view.php?ud=20241213050074"), from_url("https://x.com/view.php?id=12345678") },
    { "2004-12-10", "2018-11-02", "2024-12-13", nil })
  T.eq(dates("The bill passed the House in May. Since last night, 12 died. May I go?", "2019-05-20"),
    { { "May", "2019-05", "month", false }, { "last night", "2019-05-19", "day", true } })
end)

T.case("dates-1.21 years before 1900 after a preposition; since May, In May", function()
  T.eq(dates("The museum opened in 1879; 1850 soldiers marched.", PUB), { { "1879", "1879", "year", false } })
  T.eq(dates("Prices have risen since May and will rise.", "2020-06-01"), { { "May", "2020-05", "month", false } })
  T.eq(dates("In May the bill passed. You and May went home. It may rain.", "2020-06-01"),
    { { "May", "2020-05", "month", false } })
end)
