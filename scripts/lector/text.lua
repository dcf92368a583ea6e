-- lector.text: UTF-8 validation and repair, normalization, the folding
-- that defines token equality, and character <-> byte positions. Positions
-- are 1-based like Lua's string functions: s:byte(pos) is the byte at pos.
local check = require "lector.check"
local core = require "lector.core"

local C, ffi = core.C, core.ffi
local bit = require "bit"
local type, tonumber, error = type, tonumber, error

local M = {}

local size1 = ffi.new("size_t[1]")
local size2 = ffi.new("size_t[1]")
local str1 = ffi.new("const char *[1]")
local out1 = ffi.new("char *[1]")

local function check_string(s, n, fname)
  if type(s) ~= "string" then
    check.argerr(n, fname, "string", s, 3)
  end
end

-- true when s is valid UTF-8; otherwise false, the 1-based position of the
-- first byte of the first invalid sequence, and the reason.
function M.valid(s)
  check_string(s, 1, "valid")
  if C.lector_utf8_check(s, #s, size1, str1) == 0 then return true end
  return false, tonumber(size1[0]) + 1, ffi.string(str1[0])
end

-- Raises "WHAT: invalid UTF-8 at byte POS: REASON" when s is not valid
-- UTF-8 (used by every module that takes text): bad data, so no Lua
-- position (lector.check.fail), wherever in a pipeline the text is met.
function M.check(s, what)
  if C.lector_utf8_check(s, #s, size1, str1) ~= 0 then
    check.fail(string.format("%s: invalid UTF-8 at byte %d: %s", what or "text",
      tonumber(size1[0]) + 1, ffi.string(str1[0])))
  end
end

-- s with every invalid sequence replaced by U+FFFD, and the count of
-- replacements.
function M.repair(s)
  check_string(s, 1, "repair")
  local rc = C.lector_utf8_repair(s, #s, out1, size1, size2)
  if rc ~= 0 then error("repair: " .. core.strerror(rc), 2) end
  local fixes = tonumber(size2[0])
  return core.take_string(out1, size1[0]), fixes
end

local forms = { NFC = C.LECTOR_NFC, NFD = C.LECTOR_NFD, NFKC = C.LECTOR_NFKC,
                NFKD = C.LECTOR_NFKD }

-- Unicode normalization; form is "NFC" (default), "NFD", "NFKC" or "NFKD".
function M.normalize(s, form)
  check_string(s, 1, "normalize")
  form = form or "NFC"
  local f = forms[form]
  if not f then
    check.argmsg(2, "normalize", "NFC, NFD, NFKC or NFKD expected, got " .. tostring(form))
  end
  M.check(s, "normalize")
  local rc = C.lector_normalize(s, #s, f, out1, size1)
  if rc ~= 0 then error("normalize: " .. core.strerror(rc), 2) end
  return core.take_string(out1, size1[0])
end

-- The matching key: NFKC, case folded, marks removed, ’ → ', “” → ",
-- dashes → -. Ḥalab → halab. Gazetteers and patterns compare with it.
function M.fold(s)
  check_string(s, 1, "fold")
  M.check(s, "fold")
  local rc = C.lector_fold(s, #s, out1, size1)
  if rc ~= 0 then error("fold: " .. core.strerror(rc), 2) end
  return core.take_string(out1, size1[0])
end

-- The count of characters (code points) of s.
function M.chars(s)
  check_string(s, 1, "chars")
  return tonumber(C.lector_byte_to_char(s, #s, #s))
end

-- The byte position where character number ci (1-based) starts; #s + 1 when
-- ci is past the end.
function M.char_to_byte(s, ci)
  check_string(s, 1, "char_to_byte")
  if type(ci) ~= "number" or ci < 1 then
    check.argmsg(2, "char_to_byte", "positive number expected, got " .. tostring(ci))
  end
  return tonumber(C.lector_char_to_byte(s, #s, ci - 1)) + 1
end

-- The number (1-based) of the character holding byte position pos.
function M.byte_to_char(s, pos)
  check_string(s, 1, "byte_to_char")
  if type(pos) ~= "number" or pos < 1 then
    check.argmsg(2, "byte_to_char", "positive number expected, got " .. tostring(pos))
  end
  return tonumber(C.lector_byte_to_char(s, #s, pos - 1)) + 1
end

-- ---- text that is not UTF-8 --------------------------------------------

local utf16_names = { [C.LECTOR_ENC_UTF16LE] = "little-endian", [C.LECTOR_ENC_UTF16BE] = "big-endian" }

-- "UTF-16LE" or "UTF-16BE" and whether it starts with a byte order mark,
-- when s looks like UTF-16 (see lector_guess_utf16); nil otherwise.
function M.utf16(s)
  check_string(s, 1, "utf16")
  local g = C.lector_guess_utf16(s, #s)
  if g == 0 then return nil end
  local bom = bit.band(g, C.LECTOR_ENC_BOM) ~= 0
  return bit.band(g, C.LECTOR_ENC_UTF16LE) ~= 0 and "UTF-16LE" or "UTF-16BE", bom
end

-- nil when s is UTF-8 text; otherwise why not, for a message after the
-- file's name: "UTF-16 (little-endian, with a byte order mark), not UTF-8"
-- or "invalid UTF-8 at byte POS: REASON" (POS 1-based).
function M.why_not_utf8(s)
  check_string(s, 1, "why_not_utf8")
  local g = C.lector_guess_utf16(s, #s)
  if g ~= 0 then
    local order = utf16_names[bit.band(g, 3)]
    return string.format("UTF-16 (%s, %s), not UTF-8", order,
      bit.band(g, C.LECTOR_ENC_BOM) ~= 0 and "with a byte order mark" or "without a byte order mark")
  end
  local ok, pos, why = M.valid(s)
  if ok then return nil end
  return string.format("invalid UTF-8 at byte %d: %s", pos, why)
end

local ENCODINGS = "latin1, cp1252, utf-16 or another name iconv knows"

-- s converted from encoding (a name iconv knows: "latin1", "cp1252",
-- "utf-16" — byte order from its mark, or guessed — "UTF-16LE" ...) to
-- UTF-8, a leading byte order mark dropped; or nil and why not ("not valid
-- cp1252 at byte POS", POS 1-based). An unknown encoding raises.
function M.from_encoding(s, encoding)
  check_string(s, 1, "from_encoding")
  if type(encoding) ~= "string" then
    check.argerr(2, "from_encoding", "string", encoding)
  end
  local rc = C.lector_convert_to_utf8(encoding, s, #s, out1, size1, size2)
  if rc == C.LECTOR_EINVAL then
    error("unknown encoding '" .. encoding .. "' (" .. ENCODINGS .. ")", 2)
  elseif rc == C.LECTOR_EFORMAT then
    return nil, string.format("not valid %s at byte %d", encoding, tonumber(size2[0]) + 1)
  elseif rc ~= 0 then
    error("from_encoding: " .. core.strerror(rc), 2)
  end
  return core.take_string(out1, size1[0])
end

return M
