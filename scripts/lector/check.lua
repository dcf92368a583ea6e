-- lector.check: the one argument-check and error convention of the Lua
-- library, modelled on lauxlib (luaL_argerror, luaL_checktype, luaL_error).
--
-- Misuse raises Lua's own format, `bad argument #N to 'f' (WANT expected,
-- got TYPE)`, positioned at the line that called the library function, so
-- a message never names a file inside scripts/lector/.
--
-- Levels. `level` counts as error()'s does, seen from the library function
-- that calls check: 1 is that function, 2 (the default) its caller — the
-- user's code. A helper that checks on behalf of a public function passes
-- 3 (one more frame in between), and so on. Level 0 raises the message
-- bare, with no position: used for data errors that already carry
-- FILE:LINE: or PATH: and would only be obscured by a second position.
local error, type, format = error, type, string.format

local M = {}

local function raise(msg, level)
  level = level or 2
  -- +1: this frame; +1: the check function that called raise.
  if level == 0 then error(msg, 0) end
  error(msg, level + 2)
end

-- Raises `bad argument #n to 'fname' (msg)` (luaL_argerror's extramsg).
function M.argmsg(n, fname, msg, level)
  raise(format("bad argument #%d to '%s' (%s)", n, fname, msg), level)
end

-- Raises `bad argument #n to 'fname' (WANT expected, got TYPE)`, TYPE being
-- type(got) as in luaL_typerror.
function M.argerr(n, fname, want, got, level)
  raise(format("bad argument #%d to '%s' (%s expected, got %s)", n, fname, want, type(got)), level)
end

-- When ok is false or nil: the same as argerr(n, fname, want, got, level).
-- Returns got otherwise, so a check can sit inside an expression.
function M.arg(n, fname, ok, want, got, level)
  if not ok then
    raise(format("bad argument #%d to '%s' (%s expected, got %s)", n, fname, want, type(got)), level)
  end
  return got
end

-- Raises msg as a data error (bad input rather than misuse) at `level`,
-- counted as above; level 0 adds no position.
function M.fail(msg, level)
  raise(msg, level)
end

return M
