-- lector.extract.boilerplate: web debris marked, never removed (layer
-- `boilerplate`): newsletter prompts, comment widgets, disclaimers,
-- Patreon appeals, share counts, similar-posts lists, lone URLs, the start
-- of a second article glued on, and a closing byline or Source: line.
-- Lexicon: boilerplate (line patterns).
local lexicon = require "lector.extract.lexicon"
local util = require "lector.extract.util"

local M = {}

M.layer = "boilerplate"

-- The rules, bucketed by the first byte a line must start with (lower
-- case), each with the literal prefix of its pattern: a line is lowered
-- and matched only when its first bytes agree with a rule's prefix.
local function rules(opts)
  local rows = lexicon.load("boilerplate", opts.lexicons)
  local r = rawget(rows, "_compiled")
  if r then return r end
  r = { any = {} }
  for i = 1, #rows do
    local row = rows[i]
    local prefix = row.pattern:match("^[^%%%.%[%]%(%)%*%+%-%?%^%$]*")
    -- a quantifier after the prefix's last char makes that char optional
    if #prefix > 0 and row.pattern:sub(#prefix + 1, #prefix + 1):match("[%*%-%?]") then
      prefix = prefix:sub(1, -2)
    end
    prefix = prefix:sub(1, 40) -- compared with a line's first 40 bytes
    local rule = { pat = "^" .. row.pattern .. "$", kind = row.kind or "debris",
                   tail = row.scope == "tail", prefix = prefix }
    local b = prefix ~= "" and prefix:byte(1) or nil
    local bucket = b and r[b] or r.any
    if b and not r[b] then r[b] = bucket end
    bucket[#bucket + 1] = rule
  end
  rows._compiled = r
  return r
end

-- The first rule of bucket matching the line text[start..stop]: its kind
-- and tail flag. head is the line's first 40 bytes, lowered.
local function try(bucket, text, start, stop, head)
  local low
  for k = 1, #bucket do
    local rule = bucket[k]
    local pre = rule.prefix
    if pre == "" or head:find(pre, 1, true) == 1 then
      low = low or text:sub(start, stop):lower()
      if low:match(rule.pat) then return rule.kind, rule.tail end
    end
  end
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
  local tail_from = math.floor(len * 0.6)
  local in_tail = false
  local find, sub, byte = string.find, string.sub, string.byte
  local any = R.any
  local pos, li = 1, 0
  while pos <= len do
    local e = find(text, "\n", pos, true) or len + 1
    local a, b = pos, e - 1
    pos, li = e + 1, li + 1
    -- trim: first and last non-space byte
    local start = find(text, "[^ \t\r\f\v]", a)
    if start and start > b then start = nil end
    local stop = b
    while stop >= a and (byte(text, stop) == 32 or byte(text, stop) == 9 or byte(text, stop) == 13) do
      stop = stop - 1
    end
    if start and (stop - start < 400 or in_tail) then
      local kind, tail
      local fb = byte(text, start)
      if fb >= 65 and fb <= 90 then fb = fb + 32 end
      local bucket = R[fb]
      local any_ok = fb < 97 or fb > 122
      local head = (bucket or any_ok) and sub(text, start, start + 39):lower()
      if bucket then kind, tail = try(bucket, text, start, stop, head) end
      -- the rules with no literal prefix start with a digit or a symbol
      if not kind and any_ok then kind, tail = try(any, text, start, stop, head) end
      if not kind and in_tail then kind = "tail" end
      if not kind and (li <= 5 or start > len - 1500) and stop - start < 60 then
        local lead = sub(text, start, stop)
        if lead:match("^[Bb]y:?%s+%u") then kind = "byline"
        elseif lead:match("^[Ss]ource:%s*%S") then kind = "source" end
      end
      if tail and start >= tail_from then in_tail = true end
      if kind then
        out[#out + 1] = ctx:add("boilerplate", { start = start, stop = stop, label = kind,
          attrs = { text = sub(text, start, stop) } })
      end
    end
  end
  return out
end

return M
