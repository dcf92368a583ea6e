-- Sentences on the seed corpus: for every sentence of two whole articles,
-- the expected boundaries as 1-based byte positions (s:sub(start, stop) is
-- the sentence) and its first words, written down by reading the articles
-- (headlines, bylines, the URL line and "SIGN UP FOR OUR NEWSLETTER" are
-- sentences of their own; "U.S. trained", "(1)", "….this" do not split).
-- Checked with the ASCII fast path on and off. Plus rules on carried text.
local T = require "testlib"
local tokenize = require("lector.token").tokenize

local expected = {
  ["004_fcb48b072c5b7eb4.txt"] = {
    { 1, 119, "http://www.breitbart.com/national-sec..." },
    { 121, 123, "202" },
    { 125, 126, "20" },
    { 128, 153, "SIGN UP FOR" },
    { 156, 395, "The city of" },
    { 398, 565, "“ Hundreds of" },
    { 568, 593, "SIGN UP FOR" },
    { 596, 708, "“ The regime" },
    { 711, 919, "It still controls" },
    { 921, 1096, "But in the" },
    { 1099, 1340, "Analysts said Russia" },
    { 1343, 1599, "Rudaw relays Russian" },
    { 1602, 1669, "Some of the" },
    { 1671, 1811, "Reuters reports a" },
    { 1813, 1948, "According to this" },
    { 1951, 2093, "CNN notes that" },
    { 2095, 2269, "Independent confirmation is" },
    { 2271, 2348, "Thousands of civilians" },
    { 2351, 2571, "The Islamic State" },
    { 2573, 2703, "There are also" },
    { 2706, 2860, "Another disturbing report" },
    { 2862, 2958, "Sources told the" },
    { 2961, 3028, "Deir Ezzor is" },
    { 3030, 3140, "It would become" },
    { 3142, 3284, "The surrounding region" },
    { 3286, 3428, "A decisive defeat" },
    { 3431, 3498, "The Assad regime" },
    { 3500, 3970, "An article in" },
  },
  ["001_24d23fa43b9e9066.txt"] = {
    { 1, 54, "Syrian Army on" },
    { 57, 263, "Syrian offensive in" },
    { 266, 450, "Unreported by the" },
    { 453, 729, "Following the Syrian" },
    { 731, 935, "ISIS fighters occupying" },
    { 938, 1275, "The Syrian army" },
    { 1277, 1605, "It seems that" },
    { 1608, 1713, "The destruction of" },
    { 1716, 1943, "( 1 )" },
    { 1945, 2190, "This move has" },
    { 2192, 2224, "This is how" },
    { 2227, 2620, "… . this" },
    { 2622, 2743, "The new line" },
    { 2745, 2929, "The capture of" },
    { 2932, 2982, "( 2 )" },
    { 2984, 3231, "ISIS fighters based" },
    { 3233, 3354, "Capture of the" },
    { 3357, 3725, "( 3 )" },
    { 3728, 4000, "In the meantime" },
    { 4003, 4051, "These reports have" },
    { 4053, 4224, "However a US" },
    { 4227, 4449, "If these reports" },
    { 4451, 4579, "Here is how" },
    { 4582, 4719, "About 150 or" },
    { 4721, 4862, "They may later" },
    { 4864, 4953, "The Syrian army" },
    { 4955, 5022, "It is unlikely" },
    { 5024, 5094, "The U.S. contingent" },
    { 5096, 5255, "The Syrian and" },
    { 5258, 5389, "The various propagandists" },
    { 5391, 5581, "The “ Shia" },
    { 5583, 5687, "Their pushing for" },
    { 5690, 5997, "To which I" },
    { 5999, 6204, "Even though some" },
    { 6207, 6560, "Most probably –" },
    { 6563, 6716, "Several commentators noted" },
    { 6718, 6806, "With the war" },
    { 6810, 6831, "By Alexander Mercouris" },
    { 6833, 6849, "Source : The" },
    { 6852, 6864, "Similar Posts" },
    { 6867, 6879, "Leave a Reply" },
    { 6882, 6922, "Your email address" },
    { 6924, 6951, "Required fields are" },
  },
}

local function first_words(toks, se)
  local words = {}
  for k = se.first, math.min(se.first + 2, se.last) do words[#words + 1] = toks[k].text end
  local w = table.concat(words, " ")
  if #w > 40 then w = w:sub(1, 37) .. "..." end
  return w
end

local dir = T.shared_corpus()
for name, want in pairs(expected) do
  for _, fast in ipairs({ true, false }) do
    if not dir then
      T.skip("sentspec-seed " .. name .. (fast and "" or " (no fast path)"),
        "no seed corpus in ../shared/corpus/news")
    else
      T.case("sentspec-seed " .. name .. (fast and "" or " (no fast path)"), function()
        local s = T.readfile(dir .. "/" .. name)
        local toks = tokenize(s, { fast = fast })
        local got = {}
        for i, se in ipairs(toks:sentences()) do
          got[i] = { se.start, se.stop, first_words(toks, se) }
          T.eq(se.start, toks[se.first].start)
          T.eq(se.stop, toks[se.last].stop)
        end
        for i = 1, math.max(#got, #want) do
          T.eq(got[i], want[i], name .. " sentence " .. i)
        end
      end)
    end
  end
end

T.case("sentspec-1.1 fields", function()
  local s = "SIGN UP FOR OUR NEWSLETTER\n\n“The regime is battling,” the report continues:\n" ..
    "About 150 or so U.S. trained Arab fighters will be flown. It is unlikely."
  local toks = tokenize(s)
  local got = {}
  for i, se in ipairs(toks:sentences()) do got[i] = s:sub(se.start, se.stop) end
  T.eq(got, { "SIGN UP FOR OUR NEWSLETTER", "“The regime is battling,” the report continues:",
    "About 150 or so U.S. trained Arab fighters will be flown.", "It is unlikely." })
  local first = toks:sentences()[1]
  T.eq({ first.first, first.last, first.start, first.stop }, { 1, 5, 1, 26 })
  T.eq(tokenize(""):sentences(), {})
end)
