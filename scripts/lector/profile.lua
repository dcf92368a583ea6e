-- lector.profile: where a pipeline's time goes. With LECTOR_PROFILE set
-- (to anything but "" or "0"), lector.pipeline.run, the extractors and
-- the store add the process CPU time (os.clock) each part takes, and
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

local clock = os.clock
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
  for _, name in ipairs(order) do
    out[#out + 1] = { name, total[name], calls[name] }
    sum = sum + total[name]
  end
  local all = clock()
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
end

return M
