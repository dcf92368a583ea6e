-- Specs of lector.html: HTML pages as visible text and head metadata.
local T = require "testlib"
local html = require "lector.html"

local page_text = table.concat({
  "Home World Opinion",
  "Water returns to Manbij after three-week outage",
  "By Lina Haddad · 14 March 2017",
  "Engineers restored the main pumping station on the Euphrates on Tuesday, "
    .. "ending an outage that had left about 100,000 residents relying on tanker "
    .. "trucks, according to the town’s water board.",
  "“The first neighbourhoods had water again by noon,” said Ahmad Suleiman, an "
    .. "engineer with the board. “We expect the whole network to be under "
    .. "pressure by Thursday.”",
  "The pumping station north of the town. Photo: Courier staff",
  "Repairs took longer than planned because spare parts had to come from Aleppo.",
  "The board said it had tested the water at 12 points along the network and "
    .. "found it safe to drink\194\160— but advised residents to boil it for "
    .. "another week.",
  "Related",
  "Power cuts ease in Manbij",
  "Euphrates levels fall again",
  "© 2017 The Riverside Courier",
}, "\n\n")

T.case("html-1.1 a news page: text and every metadata field", function()
  local r = html.to_text(T.readfile("tests/data/news_page.html"))
  T.eq(r, {
    text = page_text,
    title = "Water returns to Manbij after three-week outage",
    author = "Lina Haddad",
    outlet = "The Riverside Courier",
    published = "2017-03-14T09:30:00+03:00",
    url = "https://courier.example/world/manbij-water",
    lang = "en",
    charset = "UTF-8",
  })
end)

T.case("html-1.2 absent metadata is absent, not empty", function()
  T.eq(html.to_text("<p>just <i>this</i></p>"), { text = "just this", charset = "UTF-8" })
  T.eq(html.to_text(""), { text = "", charset = "UTF-8" })
  T.eq(html.to_text("<title> </title><meta name=author content=''>x"),
    { text = "x", charset = "UTF-8" })
end)

T.case("html-1.3 breaks, dropped elements, pre", function()
  T.eq(html.to_text("<h1>T</h1><div>a<br>b</div><script>x()</script><p>c</p>").text,
    "T\n\na\nb\n\nc")
  T.eq(html.to_text("<pre>\n a  b\n</pre>").text, " a  b")
end)

T.case("html-1.4 repairs: invalid UTF-8 and NUL bytes become U+FFFD, counted", function()
  T.eq(html.to_text("<p>a\255b\0c</p>"),
    { text = "a\239\191\189b\239\191\189c", charset = "UTF-8", repairs = 2 })
end)

T.case("html-1.5 a declared charset decodes the page", function()
  local r = html.to_text("<meta charset=windows-1252><title>It\146s</title><p>caf\233</p>")
  T.eq(r, { text = "café", title = "It’s", charset = "windows-1252" })
end)

T.case("html-2.1 misuse raises in Lua's format", function()
  T.raises("bad argument #1 to 'to_text' (string expected, got nil)", html.to_text)
  T.raises("bad argument #1 to 'to_text' (string expected, got table)", html.to_text, {})
end)

T.case("html-2.2 a refusal of the core is nil, message", function()
  -- The only refusals are a page over 1 GiB and out of memory: too big to
  -- provoke here, so the binding is loaded over a core that refuses.
  local ffi = require "ffi"
  local core = require "lector.core"
  local msg = ffi.new("char[?]", 64, "the HTML is larger than 1 GiB, the parser's limit")
  local fake = {
    ffi = ffi, strerror = core.strerror,
    C = setmetatable({
      lector_html_text = function(_, _, doc) doc.errmsg = msg; return -6 end,
    }, { __index = core.C }),
  }
  local saved = package.loaded["lector.core"]
  package.loaded["lector.core"] = fake
  local ok, mod = pcall(dofile, "scripts/lector/html.lua")
  package.loaded["lector.core"] = saved
  assert(ok, mod)
  T.eq({ mod.to_text("<p>x</p>") },
    { nil, "to_text: the HTML is larger than 1 GiB, the parser's limit" })
end)

T.case("html-2.3 the lector module has it", function()
  T.eq(require("lector").html, html)
end)

T.case("html-2.4 binary junk gives valid UTF-8 without NUL bytes", function()
  local text = require "lector.text"
  local bytes = {}
  local s = 7
  for i = 1, 3000 do
    s = (s * 1103515245 + 12345) % 2147483648
    bytes[i] = string.char(math.floor(s / 65536) % 256)
  end
  local r = html.to_text("<p>" .. table.concat(bytes))
  T.eq(text.valid(r.text), true)
  T.eq(r.text:find("\0", 1, true), nil)
  T.ok(r.repairs > 0)
end)
