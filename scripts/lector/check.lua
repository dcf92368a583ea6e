-- lector.check: the one argument-check and error convention of the Lua
-- library, modelled on lauxlib (luaL_argerror, luaL_checktype, luaL_error).
-- Every library module raises through it, so a caller meets two kinds of
-- error only, and the recipe runner prints both as they come:
--
-- Misuse (arg, argerr, argmsg) raises Lua's own format, `bad argument #N
-- to 'f' (WANT expected, got TYPE)`, positioned at the line that called the
-- library function, so a message never names a file inside scripts/lector/.
-- `level` counts as error()'s does, seen from the library function that
-- calls check: 1 is that function, 2 (the default) its caller, the user's
-- code. A helper that checks on behalf of a public function passes 3 (one
-- more frame in between), and so on.
--
-- Bad data (fail) — a bad input text, a bad gazetteer or patterns line, a
-- locked or damaged store — raises the message bare, with no Lua position
-- at all: the message names the FILE:LINE:, PATH: or byte offset that
-- matters, and wherever in the library it is found (a pipeline stage deep
-- inside a recipe) it reads the same.
--
-- A program-ending error (abort) is a table {msg=, code=}: the binary
-- prints "lector: msg" with no traceback and exits with code. Recipes
-- raise theirs through lector.recipes.fail; message(err) is the text of
-- either kind.
local error, type, format, tostring = error, type, string.format, tostring
local getmetatable, setmetatable = getmetatable, setmetatable

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

-- Raises msg as a data error: bare, with no Lua position (see above).
function M.fail(msg)
  error(msg, 0)
end

local abort_mt = { __tostring = function(e) return "lector: " .. e.msg end }

-- The error that ends the program: the binary prints "lector: msg" (no
-- traceback) and exits with code (default 1; 2 is misuse of the command
-- line). abort raises it; failure makes it, for a caller that raises it later.
function M.failure(msg, code)
  return setmetatable({ msg = M.message(msg), code = code or 1 }, abort_mt)
end

function M.abort(msg, code)
  error(M.failure(msg, code), 0)
end

-- True when err is an error abort raised.
function M.is_abort(err)
  return getmetatable(err) == abort_mt
end

-- The text of an error: an abort's message, any other error as tostring
-- gives it.
function M.message(err)
  if type(err) == "table" and type(err.msg) == "string" then return err.msg end
  return tostring(err)
end

return M
