-- lector.translit: the transliteration key under which spellings of one
-- name meet (Deir ez-Zor, Dayr az-Zawr, Deir Ezzor, Dair Alzour -> "dar
-- zar"). The rules are data: scripts/lexicons/translit.tsv (and a file of
-- the same name in the user's lexicon directory, added after them).
--
--   translit.word_key("sheikhoun")  --> "key", "caxan"
--   translit.word_key("al")         --> "skip"
--   translit.key("Khan Shaykhun")   --> "xan caxan"
local check = require "lector.check"
local lexicon = require "lector.extract.lexicon"
local token = require "lector.token"
local core = require "lector.core"

local C = core.C
local type, error, tonumber = type, error, tonumber

local M = {}

local compiled, compiled_rows -- the rules, and the rows they came from
local memo = {}               -- folded word -> kind, key

local function escape(s) return (s:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0")) end

--- The compiled rules: {strip = {pattern...}, article = set, joined = set,
-- stop = set, rules = {{from, to, note}...}, min_letters, min_key}.
function M.rules()
  local rows = lexicon.load("translit")
  if compiled and compiled_rows == rows then return compiled end
  local R = { strip = {}, article = {}, joined = {}, stop = {}, rules = {},
              min_letters = 5, min_key = 4, long_letters = 7, min_key_long = 3 }
  for _, r in ipairs(rows) do
    local k, from, to = r.kind, r.from, r.to or ""
    if k == "setting" then
      local v = tonumber(to)
      if not v or (from ~= "min_letters" and from ~= "min_key" and from ~= "long_letters"
          and from ~= "min_key_long") then
        error(r._line .. ": setting must be min_letters, min_key, long_letters or min_key_long " ..
          "with a number", 0)
      end
      R[from] = v
    elseif not from then
      check.fail(r._line .. ": empty from")
    elseif k == "strip" then R.strip[#R.strip + 1] = escape(from)
    elseif k == "article" then R.article[from] = true
    elseif k == "article-joined" then R.joined[from] = true
    elseif k == "stop" then R.stop[from] = true
    elseif k == "rule" then
      local ok, err = pcall(string.gsub, "x", from, to)
      if not ok then check.fail(r._line .. ": bad rule: " .. tostring(err)) end
      R.rules[#R.rules + 1] = { from, to, r.note }
    else
      check.fail(r._line .. ": unknown kind " .. tostring(k))
    end
  end
  compiled, compiled_rows, memo = R, rows, {}
  return R
end

--- The key of one folded word: "key", KEY (a-z) | "skip" (an article) |
-- "skip_joined" (an article when a hyphen joins it to the next word) |
-- "none" (a stop word, or nothing left).
function M.word_key(w)
  if type(w) ~= "string" then
    check.argerr(1, "word_key", "string", w)
  end
  local R = M.rules()
  local m = memo[w]
  if m then return m[1], m[2] end
  local kind, k = "none", nil
  if R.article[w] then kind = "skip"
  elseif R.joined[w] then kind = "skip_joined"
  elseif not R.stop[w] then
    k = w
    for i = 1, #R.strip do k = k:gsub(R.strip[i], "") end
    for i = 1, #R.rules do k = k:gsub(R.rules[i][1], R.rules[i][2]) end
    if k ~= "" and not k:find("[^a-z]") then kind = "key" else k = nil end
  end
  memo[w] = { kind, k }
  return kind, k
end

--- Which rules change a word, in order: {{rule, before, after}...} (to
-- see why two spellings met, or why they did not).
function M.explain(w)
  local R = M.rules()
  local out, k = {}, w
  for i = 1, #R.strip do k = k:gsub(R.strip[i], "") end
  for i = 1, #R.rules do
    local r = R.rules[i]
    local nk = k:gsub(r[1], r[2])
    if nk ~= k then out[#out + 1] = { rule = r[1] .. " -> " .. r[2], note = r[3], before = k, after = nk } end
    k = nk
  end
  return out
end

local tk_word = C.LECTOR_TK_WORD
local hyphen_joined = C.LECTOR_TF_HYPHEN_JOINED

--- The key of a phrase (an alias): its words' keys joined by spaces,
-- articles dropped, and the number of letters in the words keyed; nil
-- when some part has no key (a stop word, a digit, punctuation), or the
-- phrase is too short to match fuzzily (min_letters, min_key, and
-- min_key_long for aliases of long_letters).
function M.key(s)
  if type(s) ~= "string" then
    check.argerr(1, "key", "string", s)
  end
  local R = M.rules()
  local toks = token.tokenize(s)
  local t, n = toks.t.tok, tonumber(toks.t.n)
  local hyphen = token.norm_id("-")
  local parts, letters, keylen = {}, 0, 0
  for i = 0, n - 1 do
    local tok = t[i]
    local joined = i + 1 < n and t[i + 1].norm == hyphen and t[i + 1].flags % (2 * hyphen_joined) >= hyphen_joined
    if tok.norm == hyphen then
      if not (i > 0 and i + 1 < n) then toks:release(); return nil end
    elseif tok.kind ~= tk_word then
      toks:release()
      return nil
    else
      local w = token.norm_string(tok.norm)
      local kind, k = M.word_key(w)
      if kind == "key" then
        parts[#parts + 1] = k
        letters = letters + #w:gsub("[^%a]", "")
        keylen = keylen + #k
      elseif kind == "skip_joined" and not joined then
        toks:release()
        return nil
      elseif kind == "none" then
        toks:release()
        return nil
      end
    end
  end
  toks:release()
  if #parts == 0 or letters < R.min_letters then return nil end
  if keylen < R.min_key and not (letters >= R.long_letters and keylen >= R.min_key_long) then
    return nil
  end
  return table.concat(parts, " "), letters
end

return M
