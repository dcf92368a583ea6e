-- lector.extract.boilerplate: web debris marked, never removed (layer
-- `boilerplate`): newsletter prompts, comment widgets, disclaimers,
-- Patreon appeals, share counts, similar-posts lists, lone URLs, the start
-- of a second article glued on, and a closing byline or Source: line.
-- Lexicon: boilerplate (line patterns).
local lexicon = require "lector.extract.lexicon"
local util = require "lector.extract.util"

local M = {}

M.layer = "boilerplate"

-- A pattern's first item as an anchored pattern ("^%d", "^x"), or nil
-- when the pattern may start with anything it cannot tell (an optional
-- item, a set, a capture, an anchor): a line the rule matches starts
-- with that item.
local function first_item(pat)
  local item
  if pat:match("^%%%a") and not pat:match("^%%[bf]") then
    item = pat:sub(1, 2)
  elseif pat:match("^[^%%%.%[%]%(%)%*%+%-%?%^%$]") then
    item = pat:sub(1, 1)
  end
  if not item or pat:sub(#item + 1, #item + 1):match("^[%*%-%?]") then return nil end
  return "^" .. item
end

-- The rules, bucketed by the first byte a line must start with (lower
-- case), each with the literal prefix of its pattern as bytes: a line is
-- cut out and matched only when its first bytes agree with a rule's
-- prefix (or, with no prefix, its first byte with the pattern's first
-- item).
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
    prefix = prefix:sub(1, 40)
    local rule = { pat = "^" .. row.pattern .. "$", kind = row.kind or "debris",
                   tail = row.scope == "tail", pre = { prefix:byte(1, -1) },
                   first = prefix == "" and first_item(row.pattern) or nil }
    local b = prefix ~= "" and prefix:byte(1) or nil
    local bucket = b and r[b] or r.any
    if b and not r[b] then r[b] = bucket end
    bucket[#bucket + 1] = rule
  end
  rows._compiled = r
  return r
end

local byte, find, sub = string.byte, string.find, string.sub

-- The first rule of bucket matching the line low[start..stop] (low: the
-- text lower-cased): its kind and tail flag.
local function try(bucket, low, start, stop)
  local line
  for k = 1, #bucket do
    local rule = bucket[k]
    local pre = rule.pre
    local ok = true
    if stop - start + 1 < #pre then
      ok = false
    else
      for j = 1, #pre do
        if byte(low, start + j - 1) ~= pre[j] then ok = false; break end
      end
    end
    if ok and rule.first and not find(low, rule.first, start) then ok = false end
    if ok then
      line = line or sub(low, start, stop)
      if line:match(rule.pat) then return rule.kind, rule.tail end
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
  local low = text:lower()
  local tail_from = math.floor(len * 0.6)
  local in_tail = false
  local any = R.any
  local pos, li = 1, 0
  while pos <= len do
    local e = find(text, "\n", pos, true) or len + 1
    local a, b = pos, e - 1
    pos, li = e + 1, li + 1
    -- trim: first and last byte that is no space, tab, \r, \f or \v
    local start = a
    local c = byte(text, start)
    while c == 32 or (c and c >= 9 and c <= 13 and c ~= 10) do
      start = start + 1
      c = byte(text, start)
    end
    if start > b then start = nil end
    local stop = b
    while stop >= a and (byte(text, stop) == 32 or byte(text, stop) == 9 or byte(text, stop) == 13) do
      stop = stop - 1
    end
    if start and (stop - start < 400 or in_tail) then
      local kind, tail
      local fb = byte(low, start)
      local bucket = R[fb]
      if bucket then kind, tail = try(bucket, low, start, stop) end
      -- the rules with no literal prefix start with a digit or a symbol
      if not kind and (fb < 97 or fb > 122) then kind, tail = try(any, low, start, stop) end
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
