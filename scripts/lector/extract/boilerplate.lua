-- lector.extract.boilerplate: web debris marked, never removed (layer
-- `boilerplate`): newsletter prompts, comment widgets, disclaimers,
-- Patreon appeals, share counts, similar-posts lists, lone URLs, the start
-- of a second article glued on, and a closing byline or Source: line.
-- Lexicon: boilerplate (line patterns).
local lexicon = require "lector.extract.lexicon"
local util = require "lector.extract.util"

local M = {}

M.layer = "boilerplate"

local function rules(opts)
  local rows = lexicon.load("boilerplate", opts.lexicons)
  local r = rawget(rows, "_compiled")
  if r then return r end
  -- bucketed by the pattern's first letter when it starts with one, so a
  -- line is tried against the few that can match it
  r = { any = {} }
  for i = 1, #rows do
    local row = rows[i]
    local rule = { pat = "^" .. row.pattern .. "$", kind = row.kind or "debris",
                   tail = row.scope == "tail" }
    local c = row.pattern:match("^(%l)[%l ,:']") -- a literal first letter
    local b = c and r[c] or r.any
    if c and not r[c] then r[c] = b end
    b[#b + 1] = rule
  end
  rows._compiled = r
  return r
end

--- boilerplate(ctx_or_text [, opts]) -> spans: label = kind (newsletter,
-- comments, related, disclaimer, support, share, url, byline, source,
-- debris, tail), attrs.text = the line.
function M.boilerplate(c, opts)
  opts = util.check_opts(opts, "boilerplate")
  local ctx = util.ctx(c, opts, "boilerplate")
  local text = ctx.text
  local R = rules(opts)
  local out = {}
  local len = #text
  local pos, nl = 1, 0
  local lines = {}
  while pos <= len do
    local e = text:find("\n", pos, true) or len + 1
    nl = nl + 1
    lines[nl] = { pos, e - 1 }
    pos = e + 1
  end
  local tail_from = math.floor(len * 0.6)
  local in_tail = false
  local find, sub, byte = string.find, string.sub, string.byte
  local any = R.any
  for li = 1, nl do
    local a, b = lines[li][1], lines[li][2]
    -- trim: first and last non-space byte
    local start = find(text, "[^ \t\r\f\v]", a)
    if start and start > b then start = nil end
    local stop = b
    while stop >= a and (byte(text, stop) == 32 or byte(text, stop) == 9 or byte(text, stop) == 13) do
      stop = stop - 1
    end
    if start and (stop - start < 400 or in_tail) then
      local lead = sub(text, start, stop)
      local low = lead:lower()
      local kind, tail
      local bucket = R[sub(low, 1, 1)]
      if bucket then
        for k = 1, #bucket do
          if low:match(bucket[k].pat) then kind, tail = bucket[k].kind, bucket[k].tail; break end
        end
      end
      if not kind then
        for k = 1, #any do
          if low:match(any[k].pat) then kind, tail = any[k].kind, any[k].tail; break end
        end
      end
      if not kind and in_tail then kind = "tail" end
      if not kind and (li <= 5 or li > nl - 14) and #lead < 60 then
        if lead:match("^[Bb]y:?%s+%u") then kind = "byline"
        elseif lead:match("^[Ss]ource:%s*%S") then kind = "source" end
      end
      if tail and start >= tail_from then in_tail = true end
      if kind then
        out[#out + 1] = ctx:add("boilerplate", { start = start, stop = stop, label = kind,
          attrs = { text = lead } })
      end
    end
  end
  return out
end

return M
