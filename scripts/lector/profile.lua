-- lector.profile: where a pipeline's time goes. With LECTOR_PROFILE set
-- (to anything but "" or "0"), lector.pipeline.run, the extractors and
-- the store add the CPU time each part takes (see clock below), and
-- pipeline.run prints the table to stderr when it ends:
--
--   LECTOR_PROFILE=1 lector recipe tag --db corpus.db --gazetteer g.tsv
--
-- Parts: read (documents from the store), tokenize, sentences, match
-- (gazetteer), entities (the entity spans), extract.NAME (each extractor),
-- patterns, JSON (attrs encoded for the store), SQLite (annotations
-- stored, layers cleared, commits), and "other" (the rest of the
-- process: start, loading, the bar). Off, each hook is one test of a
-- boolean.
local M = {}

local v = os.getenv("LECTOR_PROFILE")
M.on = v ~= nil and v ~= "" and v ~= "0"

-- Each part is timed with the monotonic clock, which glibc reads in the
-- vDSO (30 ns), not with os.clock: the process CPU clock is a system call,
-- 0.3 us a reading on the Xeon of earlier sessions but 1.7 us on the AMD
-- EPYC VM of the eleventh, where `tag --extract all` times 223,000 parts:
-- 446,000 readings, 0.8 s, and more again in the parts they slowed. About
-- one reading fell between two parts for every part timed, which made
-- most of "other" there (tests/bench/RESULTS.md, job11). parts() turns
-- the elapsed seconds into CPU seconds with the share of the elapsed time
-- since profiling began that the process had the CPU (1 for a CPU-bound
-- process alone on its core; less on a shared one), so that the total,
-- and "other", stay the process's CPU time.
local ffi = require "ffi"
local clock, monotonic = os.clock, false
do
  local ok = pcall(ffi.cdef, [[
    struct lector_profile_ts { long sec; long nsec; };
    int clock_gettime(int clk, struct lector_profile_ts *ts);
  ]])
  local ts = ok and ffi.new("struct lector_profile_ts")
  if ts and ffi.os == "Linux" and ffi.abi("64bit") and ffi.C.clock_gettime(1, ts) == 0 then
    local C = ffi.C
    clock, monotonic = function()
      C.clock_gettime(1, ts)
      return tonumber(ts.sec) + tonumber(ts.nsec) * 1e-9
    end, true
  end
end
local cpu = os.clock
local cpu0, wall0 = cpu(), clock()
local total, calls, order = {}, {}, {}

--- Adds dt CPU seconds to part name.
function M.add(name, dt)
  if total[name] == nil then
    total[name], calls[name] = 0, 0
    order[#order + 1] = name
  end
  total[name] = total[name] + dt
  calls[name] = calls[name] + 1
end

M.clock = clock

--- Calls fn(...) and adds its CPU time to part name; returns what fn
-- returns (two values at most: the hooks need no more).
function M.time(name, fn, ...)
  local t0 = clock()
  local a, b = fn(...)
  M.add(name, clock() - t0)
  return a, b
end

--- The CPU seconds of part name so far (0 when never timed).
function M.total(name) return total[name] or 0 end

--- Calls fn(...) and adds its CPU time to part name, less what the
-- parts it calls (inner, an array of names) took meanwhile.
function M.time_outer(name, inner, fn, ...)
  local before = 0
  for i = 1, #inner do before = before + (total[inner[i]] or 0) end
  local t0 = clock()
  local a, b = fn(...)
  local dt = clock() - t0
  for i = 1, #inner do dt = dt - (total[inner[i]] or 0) end
  M.add(name, dt + before)
  return a, b
end

--- The parts so far: an array of {name, seconds, calls}, in the order
-- they were first timed, then {"other", ...} for the rest of the
-- process's CPU time, and the total.
function M.parts()
  local out, sum = {}, 0
  local all, wall = cpu(), clock() - wall0
  local busy = M.on and monotonic and wall > 0 and math.min(1, (all - cpu0) / wall) or 1
  for _, name in ipairs(order) do
    local t = total[name] * busy
    out[#out + 1] = { name, t, calls[name] }
    sum = sum + t
  end
  out[#out + 1] = { "other", math.max(all - sum, 0), 1 }
  return out, all
end

--- Writes the table to fh (default stderr): part, CPU seconds, share.
function M.report(fh)
  fh = fh or io.stderr
  local parts, all = M.parts()
  fh:write(string.format("%-22s %9s %7s %9s\n", "part", "cpu s", "share", "calls"))
  for _, p in ipairs(parts) do
    fh:write(string.format("%-22s %9.3f %6.1f%% %9d\n", p[1], p[2], all > 0 and 100 * p[2] / all or 0, p[3]))
  end
  fh:write(string.format("%-22s %9.3f %6.1f%%\n", "total (process)", all, 100))
end

-- The part each stage's time goes to, by stage function (weak keys).
local stage_part = setmetatable({}, { __mode = "k" })

--- Marks stage (a pipeline stage function) as timed under part; returns
-- stage and layers, so a stage constructor can end with
-- `return profile.stage("entities", function(ctx, emit) ... end, layers)`.
function M.stage(part, stage, layers)
  stage_part[stage] = part
  return stage, layers
end

--- The part stage was marked with (nil: it times itself).
function M.part_of(stage) return stage_part[stage] end

--- Forgets every part (for a script that profiles several runs).
function M.reset()
  total, calls, order = {}, {}, {}
  cpu0, wall0 = cpu(), clock()
end

return M
