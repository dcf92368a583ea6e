-- lector.extract.similarity: near-duplicate fingerprints over word
-- shingles (three folded words in a row, punctuation left out). Hashes
-- are of the folded strings, not of intern ids, so fingerprints agree
-- across processes and runs and can be stored.
local check = require "lector.check"
local util = require "lector.extract.util"
local bit = require "bit"

local band, bor, bxor, lshift, rshift, tobit = bit.band, bit.bor, bit.bxor, bit.lshift,
  bit.rshift, bit.tobit
local byte, format = string.byte, string.format

local M = {}

-- 32-bit multiply (low 32 bits), exact in doubles.
local function mul32(a, b)
  local alo, ahi = band(a, 0xffff), rshift(a, 16)
  return tobit(alo * b + tobit(lshift(tobit(ahi * band(b, 0xffff)), 16)))
end

local function fmix(h)
  h = bxor(h, rshift(h, 16))
  h = mul32(h, 0x85ebca6b)
  h = bxor(h, rshift(h, 13))
  h = mul32(h, 0xc2b2ae35)
  return bxor(h, rshift(h, 16))
end

local str_hash = {} -- folded word -> 32-bit FNV-1a hash

local function hash_str(s)
  local h = str_hash[s]
  if h then return h end
  h = tobit(0x811c9dc5)
  for k = 1, #s do h = mul32(bxor(h, byte(s, k)), 0x01000193) end
  str_hash[s] = h
  return h
end

-- The word shingle hashes of a text or context (an array of 32-bit ints).
local function shingles(c, fname)
  local ctx = util.ctx(c, nil, fname)
  local ti = util.info(ctx)
  local norm, kind = ti.norm, ti.kind
  local w, nw = {}, 0
  for i = 1, ti.n do
    local k = kind[i]
    if k == "word" or k == "number" then
      nw = nw + 1
      w[nw] = hash_str(norm[i])
    end
  end
  local out = {}
  if nw < 3 then
    if nw > 0 then out[1] = fmix(bxor(w[1], w[2] or 0)) end
    return out
  end
  for i = 1, nw - 2 do
    out[i] = fmix(bxor(bxor(w[i], mul32(w[i + 1], 31)), mul32(w[i + 2], 961)))
  end
  return out
end
M.shingles = shingles

--- simhash(ctx_or_text) -> 16 hex digits: a 64-bit SimHash over word
-- 3-shingles. Near-duplicates differ in few bits: similarity(a, b) is
-- 1 - (differing bits) / 64; about 0.9 and above is a near-duplicate.
function M.simhash(c)
  local sh = shingles(c, "simhash")
  local v = {}
  for b = 0, 63 do v[b] = 0 end
  for i = 1, #sh do
    local h1 = sh[i]
    local h2 = fmix(bxor(h1, 0x5bd1e995))
    for b = 0, 31 do
      if band(h1, lshift(1, b)) ~= 0 then v[b] = v[b] + 1 else v[b] = v[b] - 1 end
      if band(h2, lshift(1, b)) ~= 0 then v[b + 32] = v[b + 32] + 1 else v[b + 32] = v[b + 32] - 1 end
    end
  end
  local lo, hi = 0, 0
  for b = 0, 31 do
    if v[b] > 0 then lo = bor(lo, lshift(1, b)) end
    if v[b + 32] > 0 then hi = bor(hi, lshift(1, b)) end
  end
  return format("%08x%08x", band(hi, 0xffffffff) % 2 ^ 32, band(lo, 0xffffffff) % 2 ^ 32)
end

--- minhash(ctx_or_text [, k]) -> array of k (default 64) signed 32-bit
-- ints: the minimum of k seeded hashes over the word 3-shingles. The share
-- of equal positions of two signatures estimates the Jaccard similarity
-- of the shingle sets.
function M.minhash(c, k)
  if k ~= nil and (type(k) ~= "number" or k < 1 or k % 1 ~= 0) then
    check.argmsg(2, "minhash", "positive integer expected, got " .. tostring(k))
  end
  k = k or 64
  local sh = shingles(c, "minhash")
  local sig = {}
  for j = 1, k do
    local seed = fmix(j * 0x9e3779b1 % 2 ^ 32)
    local m = 0x7fffffff
    for i = 1, #sh do
      local h = fmix(bxor(sh[i], seed))
      if h < m then m = h end
    end
    sig[j] = m
  end
  return sig
end

local function popcount(x)
  local c = 0
  while x ~= 0 do x = band(x, x - 1); c = c + 1 end
  return c
end

--- similarity(a, b) -> number in [0, 1]: two simhash strings (1 - Hamming
-- distance / 64), two minhash signatures of one length (share of equal
-- positions), or two texts/contexts (minhash of each, 64 hashes).
function M.similarity(a, b)
  local ta, tb = type(a), type(b)
  if ta == "string" and tb == "string" and #a == 16 and #b == 16
     and a:match("^%x+$") and b:match("^%x+$") then
    local d = popcount(bxor(tonumber(a:sub(1, 8), 16), tonumber(b:sub(1, 8), 16)))
      + popcount(bxor(tonumber(a:sub(9), 16), tonumber(b:sub(9), 16)))
    return 1 - d / 64
  end
  if ta == "table" and tb == "table" and type(a[1]) == "number" and type(b[1]) == "number" then
    if #a ~= #b then
      check.argmsg(2, "similarity", "minhash of the same length expected")
    end
    local eq = 0
    for i = 1, #a do if a[i] == b[i] then eq = eq + 1 end end
    return eq / #a
  end
  if a == nil or b == nil then
    check.argmsg(a == nil and 1 or 2, "similarity", "simhash, minhash, text or context expected")
  end
  return M.similarity(M.minhash(a), M.minhash(b))
end

return M
