-- Specs of lector.read: inputs, JSON lines, UTF-8 checks, news metadata.
local T = require "testlib"
local read = require "lector.read"

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir .. "/sub/deeper " .. dir .. "/.hidden") == 0)
local function write(name, s)
  local f = assert(io.open(dir .. "/" .. name, "wb"))
  f:write(s)
  f:close()
end

T.case("read-1.1 parse_date: datelines to ISO 8601", function()
  T.eq(read.parse_date("Mon, 06 Feb 2017 23:58 UTC"), "2017-02-06T23:58:00Z")
  T.eq(read.parse_date("  Tue, 7 Mar 2017 08:05:09 GMT "), "2017-03-07T08:05:09Z")
  T.eq(read.parse_date("February 6, 2017"), "2017-02-06")
  T.eq(read.parse_date("6 February 2017"), "2017-02-06")
  T.eq(read.parse_date("Published: Sept. 12, 2016"), "2016-09-12")
  T.eq(read.parse_date("2016-01-25"), "2016-01-25")
  T.eq(read.parse_date("2016-01-25T10:30:00+02:00"), "2016-01-25T10:30:00+02:00")
  T.eq(read.parse_date("Mon, 06 Feb 2017 23:58 +0300"), "2017-02-06T23:58:00+03:00")
  T.eq(read.parse_date("Mon, 06 Foo 2017 23:58 UTC"), nil)
  T.eq(read.parse_date("Mon, 32 Feb 2017"), nil)
  T.eq(read.parse_date("06 Feb 2017 25:00 UTC"), nil)
  T.eq(read.parse_date("On 6 February 2017 the army advanced"), nil)
  -- a label, a rule or a slash after the day, the day first in dots
  T.eq(read.parse_date("Posted on May 19, 2017 in Health"), "2017-05-19")
  T.eq(read.parse_date("October 6, 2015 / 2:26 PM / 2 years ago"), "2015-10-06")
  T.eq(read.parse_date("ScienceMag.org | By Martin Enserink | May 6, 2021"), "2021-05-06")
  T.eq(read.parse_date("20.11.2012 u 12:39"), "2012-11-20")
  T.eq(read.parse_date("date 2023-12-19 At least 111 people died"), "2023-12-19")
  T.eq(read.parse_date("February 6, 2017 the army advanced"), nil)
  T.eq(read.parse_date("20.13.2012"), nil)
  T.eq({ read.parse_date("Friday ,15 January 2016"), read.parse_date("April 3, 2021 2 min read") },
    { "2016-01-15", "2021-04-03" })
  -- zones by name; dashes day first only when the day is past 12
  T.eq({ read.parse_date("17 January 2013, 15:34 CET"), read.parse_date("Updated: 27-11-2020 14:13 IST"),
         read.parse_date("06-05-2020 12:35 IST") }, { "2013-01-17T15:34:00+01:00", "2020-11-27", nil })
  T.eq({ read.parse_date("Mayor 6 2017"), read.parse_date("Monument 6 Feb 2017"), read.parse_date("Sept. 21, 2016") },
    { nil, nil, "2016-09-21" })
  T.raises("bad argument #1 to 'parse_date'", read.parse_date, nil)
end)

T.case("read-1.2 news_meta: title, author, outlet, dateline, spans", function()
  local text = "Syrian Army encircles Al-Bab\nAlexander Mercouris\nThe Duran\n" ..
               "Mon, 06 Feb 2017 23:58 UTC\nReports are circulating.\n"
  local m = read.news_meta(text)
  T.eq(m.title, "Syrian Army encircles Al-Bab")
  T.eq(m.author, "Alexander Mercouris")
  T.eq(m.outlet, "The Duran")
  T.eq(m.published, "2017-02-06T23:58:00Z")
  T.eq(#m.spans, 4)
  for _, sp in ipairs(m.spans) do
    local line = text:sub(sp.start, sp.stop)
    T.ok(not line:find("\n"), "span within a line")
    if sp.label == "published" then T.eq(line, "Mon, 06 Feb 2017 23:58 UTC") end
    if sp.label ~= "published" then T.eq(line, m[sp.label]) end
  end
end)

T.case("read-1.3 news_meta: URL line, By-line, junk first lines", function()
  local m = read.news_meta("in ,\n\nhttps://www.example.org/world/2016/01/25/army-retakes-key-town/\n" ..
                           "Army retakes key town\nBy Jane Roe | Example News\n\nBody text here.\n")
  T.eq(m.url, "https://www.example.org/world/2016/01/25/army-retakes-key-town/")
  T.eq(m.title, "Army retakes key town")
  T.eq(m.author, "Jane Roe")
  T.eq(m.outlet, "example.org")
  -- "URL: ..." and "Source: ..." lines are the address too, not a title;
  -- "date 2023-12-19" glued to the first paragraph is its date alone
  local labelled = read.news_meta("URL: https://www.upi.com/Top_News/2011/05/24/Quake-kills-12/123/\n\n" ..
    "Quake kills 12\nMOSCOW, May 24 (UPI) -- A quake killed 12.\n")
  T.eq({ labelled.url, labelled.title },
    { "https://www.upi.com/Top_News/2011/05/24/Quake-kills-12/123/", "Quake kills 12" })
  local body = " date 2023-12-19 At least 111 people were killed when an earthquake hit the province, officials " ..
    "said on Tuesday, in what was the deadliest quake in years, as rescuers searched the rubble for survivors.\n"
  local glued = read.news_meta(body)
  T.eq({ glued.published, glued.spans[1].label, body:sub(glued.spans[1].start, glued.spans[1].stop) },
    { "2023-12-19", "published", "date 2023-12-19" })
  local slug = read.news_meta("http://news.example.com/2016/01/islamic-state-close-to-taking-city/\n202\n" ..
    "The city of Deir Ezzor in eastern Syria, scene of a recent mass abduction by the Islamic State, " ..
    "looks to be a decisive battle.\n")
  T.eq(slug.title, "Islamic State Close to Taking City")
  T.eq(slug.title_from, "url")
  T.eq(read.news_meta("").spans, {})
  T.eq(read.news_meta("just one line of body text without a header").title,
       "just one line of body text without a header")
end)

T.case("read-1.3b news_meta: a scraped page's navigation before its headline", function()
  local m = read.news_meta("Skip to main content\nMenu\nSearch\nWorld | Middle East\n\n" ..
    "Flash floods kill 21 in Yemen\n\nUpdated 3 hours ago\n\nFloods killed 21 people, officials said.\n")
  T.eq(m.title, "Flash floods kill 21 in Yemen")
  T.eq(require("lector.extract.boilerplate").line_debris("  Skip to main content "), "debris")
  T.eq(require("lector.extract.boilerplate").line_debris("Flash floods kill 21 in Yemen"), nil)
end)

T.corpus_case("read-1.4 news_meta on the seed corpus", function(corpus)
  local m = read.news_meta(T.readfile(corpus .. "/000_edbceb3384c84068.txt"))
  T.eq(m.author, "Alexander Mercouris")
  T.eq(m.outlet, "The Duran")
  T.eq(m.published, "2017-02-06T23:58:00Z")
  T.ok(m.title:find("Al%-Bab"), m.title)
  local m4 = read.news_meta(T.readfile(corpus .. "/004_fcb48b072c5b7eb4.txt"))
  T.ok(m4.url:find("^http://www.breitbart.com/"), m4.url)
  T.eq(m4.outlet, "breitbart.com")
end)

T.case("read-3.1 inputs: directories recursively in name order, hidden skipped", function()
  write("b.txt", "B")
  write("a.txt", "A")
  write("sub/deeper/c.txt", "C")
  write(".hidden/x.txt", "X")
  write("sub/docs.jsonl", '{"text": "J1", "uri": "j/1", "title": "T1", "tag": "k"}\n\n' ..
                          'not json\n{"text": 5}\n{"text": "J2", "id": 42}\n')
  local got = {}
  for d in read.documents({ dir, dir .. "/missing.txt" }) do
    got[#got + 1] = d
  end
  local uris = {}
  for _, d in ipairs(got) do uris[#uris + 1] = d.uri or ("ERR " .. d.where) end
  T.eq(uris, { dir .. "/a.txt", dir .. "/b.txt", dir .. "/sub/deeper/c.txt", "j/1",
               "ERR " .. dir .. "/sub/docs.jsonl:3", "ERR " .. dir .. "/sub/docs.jsonl:4", "42",
               "ERR " .. dir .. "/missing.txt" })
  T.eq(got[4].fields.title, "T1"); T.eq(got[4].meta.tag, "k"); T.eq(got[4].text, "J1")
  T.ok(got[5].error:find("invalid JSON"), got[5].error)
  T.ok(got[6].error:find("text"), got[6].error)
  T.ok(got[8].error:find("No such file"), got[8].error)
end)

T.case("read-3.2 inputs: --jsonl forces JSON lines; paths are cleaned", function()
  write("lines.txt", '{"text": "L"}\n')
  local list = read.inputs({ dir .. "//lines.txt" }, { jsonl = true })
  T.eq(#list, 1)
  T.eq(list[1].jsonl, true)
  T.ok(not list[1].path:find("//", 1, true))
  T.raises("bad argument #1 to 'inputs'", read.inputs, 5)
end)

os.execute("rm -rf " .. dir)
