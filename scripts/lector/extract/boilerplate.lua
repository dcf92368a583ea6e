-- lector.extract.boilerplate: web debris marked, never removed (layer
-- `boilerplate`): newsletter prompts, comment widgets, disclaimers,
-- Patreon appeals, share counts, similar-posts lists, lone URLs, the start
-- of a second article glued on, and a closing byline or Source: line.
-- Lexicon: boilerplate (line patterns).
local check = require "lector.check"
local lexicon = require "lector.extract.lexicon"
local util = require "lector.extract.util"

local M = {}

M.layer = "boilerplate"

local byte, find, sub, char = string.byte, string.find, string.sub, string.char
local core = require "lector.core"
local bit = require "bit"
local band, bor, lshift, rshift = bit.band, bit.bor, bit.lshift, bit.rshift
local C, ffi = core.C, core.ffi
-- (ctx:add without the lookup through the context class's __index function)
local ctx_add = require("lector.context").Context.add

-- The bytes a line can start with when the rule's pattern matches it, as
-- byte -> true (nil: any byte; the pattern starts with an optional item,
-- a set, a capture or an anchor, which this does not read).
local function first_bytes(pat)
  local item
  -- (%d, %a ... and an escaped byte such as %( alike)
  if pat:match("^%%[^bf]") then
    item = pat:sub(1, 2)
  elseif pat:match("^[^%%%.%[%]%(%)%*%+%-%?%^%$]") then
    item = pat:sub(1, 1)
  end
  if not item or pat:sub(#item + 1, #item + 1):match("^[%*%-%?]") then return nil end
  local ok = {}
  for c = 0, 255 do
    if find(char(c), "^" .. item) then ok[c] = true end
  end
  return ok
end

-- The set of an item (a class or a byte, as first_bytes reads them:
-- "%d", "%.", "x") as byte -> true.
local function item_bytes(item)
  local ok = {}
  for c = 0, 255 do
    if find(char(c), "^" .. item .. "$") then ok[c] = true end
  end
  return ok
end

-- The bytes the last byte of a line the rule's pattern matches can be, as
-- byte -> true (nil: any byte). Read from the pattern's end: its last
-- item (a byte, an escaped byte or a %-class, alone or with +), or, when
-- that item is optional (? or *), it or the item before it. A set, a
-- capture, "." or anything else read there: nil. Most lines cannot end
-- so, and are then neither cut out, lowered nor matched: ".*all rights
-- reserved%.?" applies to every line not starting with a letter.
local function last_item(pat, e)
  -- the item ending at byte e of pat: its text and where it starts
  if e < 1 then return nil end
  local c = pat:sub(e, e)
  if e >= 2 and pat:sub(e - 1, e - 1) == "%" and (e < 3 or pat:sub(e - 2, e - 2) ~= "%") then
    if c:match("[bf]") then return nil end
    return pat:sub(e - 1, e), e - 1
  end
  if c:match("[%%%.%[%]%(%)%*%+%-%?%^%$]") then return nil end
  -- (a byte after an escaping %, as "%%" ends, is read as no item)
  if e >= 2 and pat:sub(e - 1, e - 1) == "%" then return nil end
  return c, e
end

local function last_bytes(pat)
  local e = #pat
  local q = pat:sub(e, e)
  -- (no quantifier after a % that escapes it: "think%?")
  if e >= 2 and pat:sub(e - 1, e - 1) == "%" then q = nil end
  local opt = q == "?" or q == "*"
  if opt or q == "+" then e = e - 1 end
  local item, from = last_item(pat, e)
  if not item then return nil end
  local ok = item_bytes(item)
  if opt then
    local prev = last_item(pat, from - 1)
    if not prev or prev:match("^[%*%+%-%?]$") then return nil end
    -- (the item before may itself be optional: then any byte before it)
    local pq = pat:sub(from - 1, from - 1)
    if pq == "?" or pq == "*" or pq == "-" then return nil end
    for c in pairs(item_bytes(prev)) do ok[c] = true end
  end
  return ok
end

-- (a rule's last bytes when they can be any)
local ANY = {}
for c = 0, 255 do ANY[c] = true end

-- A byte set (byte -> true) as the 256-bit set lector_lines_next reads.
local function bitset(set)
  local b = ffi.new("unsigned char[32]")
  for c in pairs(set) do b[rshift(c, 3)] = bor(b[rshift(c, 3)], lshift(1, band(c, 7))) end
  return b
end

-- The rules' tests before a match (prefix, first and last bytes) in C:
-- lector_lines_next skips the lines that pass none of them, and that are
-- no head or tail line that may be a byline (boilerplate() below).
local function line_rules(list)
  local lr = ffi.gc(C.lector_line_rules_new(), C.lector_line_rules_free)
  if lr == nil then check.fail("lector.extract.boilerplate: out of memory") end
  for i = 1, #list do
    local rule = list[i]
    local pre = ffi.new("unsigned char[?]", #rule.pre + 1)
    for j = 1, #rule.pre do pre[j - 1] = rule.pre[j] end
    local first = rule.first and bitset(rule.first) or nil
    if C.lector_line_rules_add(lr, pre, #rule.pre, first, bitset(rule.last)) ~= 0 then
      check.fail("lector.extract.boilerplate: out of memory")
    end
  end
  return lr
end

-- The rules in lexicon order, each with the literal prefix of its
-- pattern as bytes (lower case); a line is cut out and matched only
-- against the rules its first two bytes admit (cand(), cached by those
-- bytes), and only when its first bytes agree with the rule's prefix.
local function rules(opts)
  local rows = lexicon.load("boilerplate", opts.lexicons)
  local r = rawget(rows, "_compiled")
  if r then return r end
  r = { list = {}, cand = {} }
  for i = 1, #rows do
    local row = rows[i]
    local prefix = row.pattern:match("^[^%%%.%[%]%(%)%*%+%-%?%^%$]*")
    -- a quantifier after the prefix's last char makes that char optional
    if #prefix > 0 and row.pattern:sub(#prefix + 1, #prefix + 1):match("[%*%-%?]") then
      prefix = prefix:sub(1, -2)
    end
    r.list[i] = { pat = "^" .. row.pattern .. "$", kind = row.kind or "debris",
                  tail = row.scope == "tail", pre = { prefix:byte(1, -1) },
                  first = prefix == "" and first_bytes(row.pattern) or nil,
                  last = last_bytes(row.pattern) or ANY }
  end
  r.by1, r.nopre = {}, {}
  for i = 1, #r.list do
    local rule = r.list[i]
    local b = rule.pre[1]
    if b then
      r.by1[b] = r.by1[b] or {}
      table.insert(r.by1[b], rule)
    else
      r.nopre[#r.nopre + 1] = rule
    end
  end
  r.lines = line_rules(r.list)
  rows._compiled = r
  return r
end

-- The rules a line starting with bytes b1, b2 (lowered) can match, in the
-- order they are tried (false: none). The rules that start with a letter
-- come first, then those with no literal prefix, which only lines not
-- starting with a letter try (as the lexicon's lines were always tried).
local function cand(R, b1, b2)
  local key = b1 * 256 + b2
  local c = R.cand[key]
  if c ~= nil then return c end
  c = {}
  -- (from the rules by first byte and those with no prefix, each in
  -- lexicon order: a pass over every rule for each of the ~800 keys a
  -- run meets cost 0.013 s of `tag`)
  local by1 = R.by1[b1]
  for i = 1, by1 and #by1 or 0 do
    local rule = by1[i]
    local pre = rule.pre
    if #pre == 1 or pre[2] == b2 then c[#c + 1] = rule end
  end
  if b1 < 97 or b1 > 122 then
    for i = 1, #R.nopre do
      local rule = R.nopre[i]
      if not rule.first or rule.first[b1] then c[#c + 1] = rule end
    end
  end
  if #c == 0 then c = false end
  R.cand[key] = c
  return c
end

-- Byte c lower-cased as string.lower does (ASCII letters only):
-- LOWER[c], a table read and no branch (in the loop over lines, the
-- branches for upper case, lower case and the rest each grew side
-- traces).
local LOWER = {}
for c = 0, 255 do LOWER[c] = (c >= 65 and c <= 90) and c + 32 or c end

-- The bytes a line's leading trim skips (space, \t, \r, \f, \v) and
-- those its trailing trim drops (space, \t, \r), as the trims were
-- always done. The loops are functions of their own: most lines need
-- neither, and two loops inside the loop over lines made its traces
-- branch into hundreds of side traces.
local LEAD_SPACE = { [32] = true, [9] = true, [11] = true, [12] = true, [13] = true }
local TRAIL_SPACE = { [32] = true, [9] = true, [13] = true }

local function skip_space(text, p)
  while LEAD_SPACE[byte(text, p)] do p = p + 1 end
  return p
end

local function back_space(text, p, a)
  while p >= a and TRAIL_SPACE[byte(text, p)] do p = p - 1 end
  return p
end

-- The first rule of list matching the line text[start..stop] lower-cased
-- (only a line whose first bytes agree with a rule's prefix is cut out
-- and lowered): its kind and tail flag.
local function try(list, text, start, stop)
  local line
  local lb = LOWER[byte(text, stop)]
  for k = 1, #list do
    local rule = list[k]
    local pre = rule.pre
    local np = #pre
    local ok = stop - start + 1 >= np and rule.last[lb]
    local j = 3
    while ok and j <= np do
      if LOWER[byte(text, start + j - 1)] ~= pre[j] then ok = false end
      j = j + 1
    end
    if ok then
      line = line or sub(text, start, stop):lower()
      if find(line, rule.pat) then return rule.kind, rule.tail end
    end
  end
end

-- What the trimmed line text[start..stop] (line li of a text of len
-- bytes) is: its kind (nil: no debris) and whether its rule marks the
-- tail; list: the rules its first bytes admit (false: none).
local function line_kind(list, text, start, stop, li, len, in_tail)
  local kind, tail
  if list then kind, tail = try(list, text, start, stop) end
  if not kind and in_tail then kind = "tail" end
  if not kind and (li <= 5 or start > len - 1500) and stop - start < 60 then
    local fb = LOWER[byte(text, start)]
    if fb == 98 or fb == 115 then
      local lead = sub(text, start, stop)
      if lead:match("^[Bb]y:?%s+%u") then kind = "byline"
      elseif lead:match("^[Ss]ource:%s*%S") then kind = "source" end
    end
  end
  return kind, tail
end

-- A header's timestamp line, the whole line: "Wed, 29 Mar 2017 18:02 UTC",
-- "29 March 2017 18:02".
local STAMPS = {
  "^%a%a%a,? %d%d? %a+%.? %d%d%d%d,? %d%d?:%d%d",
  "^%d%d? %a+%.? %d%d%d%d,? %d%d?:%d%d",
  "^%a+%.? %d%d?, %d%d%d%d,? %d%d?:%d%d",
}

local function is_digit(c) return c ~= nil and c >= 48 and c <= 57 end

-- Whether text a..b is a header's timestamp line: short, starting with a
-- capital or a digit, one of STAMPS.
local function stamp_line(text, a, b)
  local c = byte(text, a)
  if b - a >= 39 or not (is_digit(c) or c and c >= 65 and c <= 90) then return false end
  local line = sub(text, a, b)
  for k = 1, #STAMPS do
    if find(line, STAMPS[k]) then return true end
  end
  return false
end

-- The title of the header whose timestamp line starts at a: the first
-- short line of the three before it that ends no sentence (back over an
-- author's and an outlet's line), not before from; nil when there is none.
local function header_title(text, a, from)
  local title, b = nil, a - 2
  for _ = 1, 3 do
    local s0 = b
    while s0 > 0 and byte(text, s0) ~= 10 do s0 = s0 - 1 end
    local prev = sub(text, s0 + 1, b)
    if prev:match("%S") then
      if #prev > 150 or prev:match("[%.!?]%s*$") then break end
      title = s0 + 1
    end
    b = s0 - 1
    if b < from then break end
  end
  return title
end

-- Where a second article glued on after the first starts: its title,
-- the first short line of the three before a header's timestamp line
-- past the first quarter of the text; nil when there is none.
local function glued_from(text)
  local len = #text
  local from = math.floor(len * 0.25)
  -- only the lines with a time in them (h:mm): a plain search for the
  -- colon (a pattern's search ran through every byte at Lua speed)
  local t = find(text, ":", from, true)
  while t do
    local e = t + 1
    local d0, _, d1, d2 = byte(text, t - 1, t + 2)
    if is_digit(d0) and is_digit(d1) and is_digit(d2) then
      local a = t
      while a > 1 and byte(text, a - 1) ~= 10 do a = a - 1 end
      e = find(text, "\n", t, true) or len + 1
      local title = a > from and stamp_line(text, a, e - 1) and header_title(text, a, from)
      if title then return title end
    end
    t = find(text, ":", e, true)
  end
  return nil
end

--- boilerplate(ctx_or_text [, opts]) -> spans: label = kind (newsletter,
-- comments, related, disclaimer, support, share, url, byline, source,
-- debris, tail), attrs.text = the line.
--- The kind of web debris the whole line s is by the boilerplate lexicon
-- ("debris", "share", "newsletter", ...; nil: none), as boilerplate()
-- reads each line (read.news_meta passes a page's navigation by before
-- its headline). opts.lexicons as for boilerplate().
function M.line_debris(s, opts)
  if type(s) ~= "string" then check.argerr(1, "line_debris", "string", s) end
  -- trimmed as boilerplate() trims each line
  local start = skip_space(s, 1)
  local stop = back_space(s, #s, start)
  if start > stop then return nil end
  local R = rules(opts or {})
  local list = cand(R, LOWER[byte(s, start)], LOWER[byte(s, start + 1)] or 0)
  return list and (try(list, s, start, stop)) or nil
end

-- What lector_lines_next stops at besides the rules' lines: the lines
-- line_kind reads for a byline or a Source: line (short, starting with a
-- B or an S, in the first five lines or the last 1,500 bytes), and every
-- line of a second article glued on (glued, set per text).
local lines_at = ffi.new("lector_lines_at")
lines_at.head, lines_at.near, lines_at.max_len, lines_at.short_len = 5, 1500, 400, 60
lines_at.short_first = bitset({ [98] = true, [115] = true })

-- Whether text[start..stop] reads as prose: sentences (two ends of one
-- followed by a capital) and no link.
local function prose(text, start, stop)
  local line = sub(text, start, stop)
  if find(line, "https?://") or find(line, "www%.") then return false end
  local ends = 0
  for _ in line:gmatch("[%.!?][\"'”’]?%s+%u") do
    ends = ends + 1
    if ends >= 2 then return true end
  end
  return false
end

-- Whether the line text[start..stop], which a "©" opens, is a photo's
-- credit and its caption on one line ("© AP Photo/Douglas Engle 43
-- people were killed at the Ellis Park Stadium ..."), not a site's
-- copyright notice: long, and saying nothing of rights or copyright.
local function caption(text, start, stop)
  if stop - start < 80 or byte(text, start) ~= 0xC2 or byte(text, start + 1) ~= 0xA9 then return false end
  local line = sub(text, start, stop):lower()
  return not (find(line, "rights", 1, true) or find(line, "copyright", 1, true)
              or find(line, "responsible", 1, true) or find(line, "reserved", 1, true))
end

function M.boilerplate(c, opts)
  opts = util.check_opts(opts, "boilerplate")
  local ctx = util.ctx(c, opts, "boilerplate")
  local text = ctx.text
  local R = rules(opts)
  local cands = R.cand
  local out = {}
  local len = #text
  local tail_from = math.floor(len * 0.6)
  local in_tail, tail_kind = false, nil
  -- a second article glued on: everything from its title (label "glued")
  local glued = len > 200 and glued_from(text)
  local lines, at = R.lines, lines_at
  at.glued = glued and glued - 1 or len
  local pos, li = 1, 0
  while pos <= len do
    -- the lines that can be no debris, in C (line_rules): only when
    -- not in the tail, where every line is
    if not in_tail then
      at.line = li
      pos = tonumber(C.lector_lines_next(lines, text, len, pos - 1, at)) + 1
      li = tonumber(at.line)
      if pos > len then break end
    end
    local e = find(text, "\n", pos, true) or len + 1
    local a, b = pos, e - 1
    pos, li = e + 1, li + 1
    -- trim: first and last byte that is no space, tab, \r, \f or \v
    -- (no space at all is the common case: the loops only then)
    local start = a
    if LEAD_SPACE[byte(text, a)] then start = skip_space(text, a) end
    if start > b then start = nil end
    local stop = b
    if b >= a and TRAIL_SPACE[byte(text, b)] then stop = back_space(text, b, a) end
    if start and glued and start >= glued then
      out[#out + 1] = ctx_add(ctx, "boilerplate", { start = start, stop = stop, label = "glued",
        attrs = { text = sub(text, start, stop) } })
    elseif start and (stop - start < 400 or in_tail) then
      local b1, b2 = LOWER[byte(text, start)], LOWER[byte(text, start + 1)] or 0
      local list = cands[b1 * 256 + b2]
      if list == nil then list = cand(R, b1, b2) end
      -- most lines: no rule starts with their bytes, not in the tail,
      -- not near either end
      -- (a paragraph of prose ends a tail a rule began: "Related Posts"
      -- in the middle of a page, the article going on after it)
      -- (not a comment thread's: readers write prose)
      if in_tail and tail_kind == "related" and stop - start > 250 and prose(text, start, stop) then
        in_tail = false
      end
      if list or in_tail or li <= 5 or start > len - 1500 then
        local kind, tail = line_kind(list, text, start, stop, li, len, in_tail)
        if kind == "disclaimer" and caption(text, start, stop) then kind = nil end
        if tail and start >= tail_from then in_tail, tail_kind = true, kind end
        if kind then
          out[#out + 1] = ctx_add(ctx, "boilerplate", { start = start, stop = stop, label = kind,
            attrs = { text = sub(text, start, stop) } })
        end
      end
    end
  end
  return out
end

return M
