-- lector.extract.hedges: uncertainty and distancing wording, and loaded
-- labels with the neutral term each stands for (layer `hedge`).
-- Lexicons: hedges, loaded_labels.
local util = require "lector.extract.util"
local band = require("bit").band
local FHY, FCAP, FLE = util.FHY, util.FCAP, util.FLE
-- (ctx:add without the lookup through the context class's __index function)
local ctx_add = require("lector.context").Context.add

local M = {}

M.layer = "hedge"

-- The first words of both phrase indexes as one table (cached by the
-- pair): the scan looks each token up once, not once in each. A first
-- word maps to true when a phrase may end or go on with any word after
-- it (one word, or `*` next), else to the set of second words its
-- phrases have: "it", "is", "there" start hedges only before a few words,
-- and the scan passes them by without trying both indexes.
local first_cache = setmetatable({}, { __mode = "k" })

local function first_words(H, LL)
  local byll = first_cache[H]
  if not byll then byll = setmetatable({}, { __mode = "k" }); first_cache[H] = byll end
  local set = byll[LL]
  if set then return set end
  set = {}
  for _, idx in ipairs { H, LL } do
    for w, l in pairs(idx) do
      for j = 1, #l do
        local e = l[j]
        if e.n == 1 or e.w[2] == "*" then
          set[w] = true
        elseif set[w] ~= true then
          local seconds = set[w] or {}
          seconds[e.w[2]] = true
          set[w] = seconds
        end
      end
    end
  end
  byll[LL] = set
  return set
end

-- The scan's bits (util.scan_bit) for first-word set `first`: `now`
-- the words that start a phrase whatever comes next, `cond` those that
-- start one only before certain second words, `second` those words
-- ("it", "is", "there" are common and start hedges only before a few).
local bits_cache = setmetatable({}, { __mode = "k" })

local function scan_bits(first)
  local b = bits_cache[first]
  if b then return b end
  local now, cond, second = {}, {}, {}
  for w, f in pairs(first) do
    if f == true then
      now[w] = true
    else
      cond[w] = true
      for w2 in pairs(f) do second[w2] = true end
    end
  end
  b = { util.scan_bit(now), util.scan_bit(cond), util.scan_bit(second) }
  bits_cache[first] = b
  return b
end

-- The first token from i that may start a phrase of either index (n at
-- most): the C scan (util.scan) skips the tokens whose bits say they
-- cannot, then the first word, then the second are looked up.
local function next_start(ti, i, n, nb, cb, sb, first, norm)
  local scan = util.scan
  i = scan(ti, i, n - 1, 0, nb, cb, sb)
  while i < n do
    local f = first[norm[i]]
    if f == true or (f and f[norm[i + 1]]) then return i end
    i = scan(ti, i + 1, n - 1, 0, nb, cb, sb)
  end
  return i
end

--- hedges(ctx_or_text [, opts]) -> spans: label = category (rumour,
-- unverified, conditional, evidential, distancing, epistemic) or "loaded";
-- attrs.category, and for loaded labels attrs.neutral and attrs.stance.
-- Whether the phrase ending at token l goes on into a capitalised name
-- after it ("Liberation Army", "Liberation Front"; not "the Assad Regime
-- fell").
local function in_name(ti, l)
  return l < ti.n and ti.kind[l + 1] == "word" and band(ti.fl[l + 1], FCAP) ~= 0 and band(ti.fl[l], FLE) == 0
end

function M.hedges(c, opts)
  opts = util.check_opts(opts, "hedges")
  local ctx = util.ctx(c, opts, "hedges")
  local ti = util.info(ctx)
  local st, sp, n = ti.st, ti.sp, ti.n
  local H = util.lex_index("hedges", "phrase", opts)
  local LL = util.lex_index("loaded_labels", "phrase", opts)
  local out = {}
  local norm = ti.norm
  local first = first_words(H, LL)
  local bits = scan_bits(first)
  local nb, cb, sb = bits[1], bits[2], bits[3]
  local i = 1
  while i <= n do
    -- most tokens start no phrase of either lexicon
    i = next_start(ti, i, n, nb, cb, sb, first, norm)
    local e, l = util.match(ti, H, i)
    local e2, l2 = util.match(ti, LL, i)
    if e2 and (not e or l2 > l) then e, l = e2, l2 end
    -- a lexicon phrase of category "none" is no hedge, and being longer
    -- it wins over the hedge it starts with ("claimed responsibility"
    -- against "claimed")
    if e and e ~= e2 and e.row.category == "none" then e = nil end
    -- a loaded word inside a capitalised name labels nobody: "National
    -- Liberation Army", "Tigray People's Liberation Front"
    if e and e == e2 and band(ti.fl[i], FCAP) ~= 0 and in_name(ti, l) then e = nil end
    if e and not (ti.norm[i] == "-" or (i > 1 and ti.norm[i - 1] == "-" and (band(ti.fl[i - 1], FHY) ~= 0) and e ~= e2))
       and not util.boiler(ctx, st[i], sp[l]) then
      local attrs
      if e == e2 then
        attrs = { category = "loaded", neutral = e.row.neutral, stance = e.row.stance }
      else
        attrs = { category = e.row.category }
      end
      out[#out + 1] = ctx_add(ctx, "hedge", { start = st[i], stop = sp[l], label = attrs.category,
        attrs = attrs })
      i = l + 1
    else
      i = i + 1
    end
  end
  return out
end

--- hedge_density(ctx) -> { words =, hedges =, loaded =, per_1000 = (hedges
-- other than loaded labels per 1,000 words), loaded_per_1000 =,
-- by_category = {category = count} }. Runs hedges() when the context has
-- no hedge layer yet.
function M.hedge_density(c, opts)
  local ctx = util.ctx(c, opts, "hedge_density")
  local spans = ctx.layers.hedge or M.hedges(ctx, opts)
  local ti = util.info(ctx)
  local words = 0
  local kind = ti.kind
  for i = 1, ti.n do
    if kind[i] == "word" or kind[i] == "number" then words = words + 1 end
  end
  local by, h, loaded = {}, 0, 0
  for i = 1, #spans do
    local cat = spans[i].attrs.category
    by[cat] = (by[cat] or 0) + 1
    if cat == "loaded" then loaded = loaded + 1 else h = h + 1 end
  end
  local k = words > 0 and 1000 / words or 0
  return { words = words, hedges = h, loaded = loaded, per_1000 = h * k,
           loaded_per_1000 = loaded * k, by_category = by }
end

return M
