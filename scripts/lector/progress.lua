-- lector.progress: a progress bar on stderr for long runs (documents, MB,
-- rate, ETA), drawn only when stderr is a terminal unless asked.
--
--   local bar = lector.progress.new{ mode = opts.progress, docs = n, bytes = total }
--   for ... do ...; bar:step(#text) end
--   bar:done()
local check = require "lector.check"
local ffi = require "ffi"
local M = {}

local Bar = {}
Bar.__index = Bar

local tty_cache
--- True when stderr is a terminal.
function M.stderr_is_tty()
  if tty_cache == nil then
    -- isatty(3) itself: os.execute("test -t 2") started a shell, 2-4 ms
    -- of every recipe's start-up, which asks this by default
    pcall(ffi.cdef, "int isatty(int fd);")
    tty_cache = ffi.C.isatty(2) == 1
  end
  return tty_cache
end

local function clock()
  -- os.time has whole seconds only; os.clock is CPU time, close enough
  -- to wall time for a CPU-bound run and never goes backwards.
  return os.clock()
end

local function eta(sec)
  if sec ~= sec or sec == math.huge or sec < 0 then return "--:--" end
  sec = math.floor(sec + 0.5)
  if sec >= 3600 then return string.format("%d:%02d:%02d", sec / 3600, sec % 3600 / 60, sec % 60) end
  return string.format("%02d:%02d", sec / 60, sec % 60)
end

function Bar:draw()
  local frac
  if self.bytes and self.bytes > 0 then frac = self.done_bytes / self.bytes
  elseif self.docs and self.docs > 0 then frac = self.done_docs / self.docs end
  local elapsed = clock() - self.t0
  local rate = elapsed > 0 and self.done_bytes / 1e6 / elapsed or 0
  local parts = {}
  if frac then
    frac = math.min(frac, 1)
    local width = 24
    local fill = math.floor(frac * width + 0.5)
    parts[#parts + 1] = string.format("[%s%s] %3d%%", string.rep("#", fill), string.rep(".", width - fill),
      math.floor(frac * 100))
  end
  local unit = self.unit or "documents"
  parts[#parts + 1] = self.docs and string.format("%d/%d %s", self.done_docs, self.docs, unit)
    or string.format("%d %s", self.done_docs, unit)
  if self.done_bytes > 0 or not self.unit then
    parts[#parts + 1] = string.format("%.1f MB", self.done_bytes / 1e6)
    parts[#parts + 1] = string.format("%.1f MB/s", rate)
  end
  if frac and frac > 0 then parts[#parts + 1] = "ETA " .. eta(elapsed * (1 - frac) / frac) end
  local line = (self.label and (self.label .. " ") or "") .. table.concat(parts, "  ")
  local pad = math.max(0, (self.width or 0) - #line)
  self.width = #line
  self.out:write("\r", line, string.rep(" ", pad))
  self.out:flush()
end

--- Counts bytes (and a document unless doc_done is false); redraws at
-- most every 0.2 s.
function Bar:step(bytes, doc_done)
  if not self.on then return end
  self.done_bytes = self.done_bytes + (bytes or 0)
  if doc_done ~= false then self.done_docs = self.done_docs + 1 end
  local now = clock()
  if now - self.last >= 0.2 then
    self.last = now
    self:draw()
  end
end

--- Draws the final state and ends the line.
function Bar:done()
  if not self.on or self.finished then return end
  self.finished = true
  self:draw()
  self.out:write("\n")
end

--- lector.progress.new{mode = "auto"|"always"|"never", docs = N, bytes = N,
-- label = "tag", unit = "queries"}: auto draws when stderr is a terminal;
-- docs counts units ("documents" unless unit says otherwise).
function M.new(opts)
  if opts ~= nil and type(opts) ~= "table" then
    check.argerr(1, "new", "table", opts)
  end
  opts = opts or {}
  local mode = opts.mode or "auto"
  if mode ~= "auto" and mode ~= "always" and mode ~= "never" then
    check.argmsg(1, "new", "mode must be auto, always or never, got " .. tostring(mode))
  end
  local on = mode == "always" or (mode == "auto" and M.stderr_is_tty())
  return setmetatable({ on = on, docs = opts.docs, bytes = opts.bytes, label = opts.label, unit = opts.unit,
                        done_docs = 0, done_bytes = 0, t0 = clock(), last = -1,
                        out = opts.out or io.stderr }, Bar)
end

return M
