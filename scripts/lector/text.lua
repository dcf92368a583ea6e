-- lector.text: UTF-8 validation and repair, normalization, the folding
-- that defines token equality, and character <-> byte positions. Positions
-- are 1-based like Lua's string functions: s:byte(pos) is the byte at pos.
local core = require "lector.core"

local C, ffi = core.C, core.ffi
local type, tonumber, error = type, tonumber, error

local M = {}

local size1 = ffi.new("size_t[1]")
local size2 = ffi.new("size_t[1]")
local str1 = ffi.new("const char *[1]")
local out1 = ffi.new("char *[1]")

local function check_string(s, n, fname)
  if type(s) ~= "string" then
    error(string.format("bad argument #%d to '%s' (string expected, got %s)",
      n, fname, type(s)), 3)
  end
end

-- true when s is valid UTF-8; otherwise false, the 1-based position of the
-- first byte of the first invalid sequence, and the reason.
function M.valid(s)
  check_string(s, 1, "valid")
  if C.lector_utf8_check(s, #s, size1, str1) == 0 then return true end
  return false, tonumber(size1[0]) + 1, ffi.string(str1[0])
end

-- Raises "WHAT: invalid UTF-8 at byte POS: REASON" at the caller's caller
-- when s is not valid UTF-8 (used by every module that takes text).
function M.check(s, what, level)
  if C.lector_utf8_check(s, #s, size1, str1) ~= 0 then
    error(string.format("%s: invalid UTF-8 at byte %d: %s", what or "text",
      tonumber(size1[0]) + 1, ffi.string(str1[0])), (level or 1) + 1)
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
    error("bad argument #2 to 'normalize' (NFC, NFD, NFKC or NFKD expected, got "
      .. tostring(form) .. ")", 2)
  end
  M.check(s, "normalize", 2)
  local rc = C.lector_normalize(s, #s, f, out1, size1)
  if rc ~= 0 then error("normalize: " .. core.strerror(rc), 2) end
  return core.take_string(out1, size1[0])
end

-- The matching key: NFKC, case folded, marks removed, ’ → ', “” → ",
-- dashes → -. Ḥalab → halab. Gazetteers and patterns compare with it.
function M.fold(s)
  check_string(s, 1, "fold")
  M.check(s, "fold", 2)
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
    error("bad argument #2 to 'char_to_byte' (positive number expected, got "
      .. tostring(ci) .. ")", 2)
  end
  return tonumber(C.lector_char_to_byte(s, #s, ci - 1)) + 1
end

-- The number (1-based) of the character holding byte position pos.
function M.byte_to_char(s, pos)
  check_string(s, 1, "byte_to_char")
  if type(pos) ~= "number" or pos < 1 then
    error("bad argument #2 to 'byte_to_char' (positive number expected, got "
      .. tostring(pos) .. ")", 2)
  end
  return tonumber(C.lector_byte_to_char(s, #s, pos - 1)) + 1
end

return M
