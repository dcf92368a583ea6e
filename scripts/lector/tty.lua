-- Text for a terminal: a title or a file name holding ESC ] 0 ; ... BEL
-- (set the window title) or ESC [ 2 J (clear the screen) must not reach
-- the terminal as it is. Text formats (tables, reports, messages) show
-- control characters escaped; files, JSON and CSV keep the bytes.
--
--   io.stdout:write(tty.escape(title), "\n")   -- "\x1b]0;owned\x07"
local M = {}

local function hex(c) return string.format("\\x%02x", c:byte()) end
local function c1(c) return string.format("\\u%04x", c:byte(2)) end

--- s with every control character (C0 including tab and newline, DEL,
-- and the C1 controls U+0080..U+009F) written as \xHH or \uHHHH.
function M.escape(s)
  if type(s) ~= "string" then
    if s == nil then return "" end
    s = tostring(s)
  end
  if not s:find("[%z\1-\31\127\194]") then return s end
  return (s:gsub("[%z\1-\31\127]", hex):gsub("\194[\128-\159]", c1))
end

--- Like escape, but newlines and tabs stay: for messages of several lines.
function M.escape_message(s)
  if type(s) ~= "string" then s = tostring(s) end
  if not s:find("[%z\1-\8\11-\31\127\194]") then return s end
  return (s:gsub("[%z\1-\8\11-\31\127]", hex):gsub("\194[\128-\159]", c1))
end

return M
