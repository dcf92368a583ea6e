-- lector.extract.lexicon: the word lists extractors use, as TSV files.
--
-- A lexicon NAME is scripts/lexicons/NAME.tsv: a header row naming the
-- columns, then one entry a line; blank lines and lines starting with `#`
-- are comments. A user directory of lexicons (opts.lexicons, else the one
-- set by set_dir(), else $LECTOR_LEXICONS) can hold a file of the same
-- name: its rows are added after the shipped ones (so for keyed lookups a
-- user row wins over a shipped one with the same key), unless its first
-- line is `#replace`, in which case it replaces the shipped file.
local check = require "lector.check"
local M = {}

local getenv, open = os.getenv, io.open

-- scripts/lexicons, found from this file's own path
-- (scripts/lector/extract/lexicon.lua).
local function shipped_dir()
  local src = debug.getinfo(1, "S").source
  local dir = src:match("^@(.*)/lector/extract/[^/]*$")
  return (dir or "scripts") .. "/lexicons"
end
M.shipped = shipped_dir()

local user_dir -- set_dir()

function M.set_dir(dir)
  if dir ~= nil and type(dir) ~= "string" then
    check.argerr(1, "lexicons_dir", "string or nil", dir, 3)
  end
  user_dir = dir
  M.cache = {}
end

-- The environment does not change under a running process: read once.
local env_dir = getenv("LECTOR_LEXICONS")
if env_dir == "" then env_dir = nil end

function M.get_dir() return user_dir or env_dir end

M.cache = {}

-- Reads one file; returns header, rows, replace flag; nil when missing.
local function read_tsv(path)
  local f = open(path, "rb")
  if not f then return nil end
  local header, rows, replace, lineno = nil, {}, false, 0
  for line in f:lines() do
    lineno = lineno + 1
    line = line:gsub("\r$", "")
    if lineno == 1 and line:match("^#replace%s*$") then
      replace = true
    elseif line ~= "" and not line:match("^#") then
      local fields, k = {}, 0
      for field in (line .. "\t"):gmatch("([^\t]*)\t") do
        k = k + 1
        fields[k] = field
      end
      if not header then
        header = fields
      else
        local row = { _line = path .. ":" .. lineno }
        for c = 1, #header do
          local v = fields[c]
          if v ~= nil and v ~= "" then row[header[c]] = v end
        end
        if row[header[1]] == nil then
          f:close()
          check.fail(path .. ":" .. lineno .. ": empty first column (" .. header[1] .. ")")
        end
        rows[#rows + 1] = row
      end
    end
  end
  f:close()
  if not header then check.fail(path .. ": no header row") end
  return header, rows, replace
end

--- The rows of lexicon name (array of tables keyed by the header's column
-- names), merged with the user directory's file (dir, or the default user
-- directory). Cached per (dir, name).
function M.load(name, dir)
  dir = dir or user_dir or env_dir
  -- cache[dir][name], no key strings built: extractors call this per document
  local bydir = M.cache[dir or ""]
  if not bydir then bydir = {}; M.cache[dir or ""] = bydir end
  local rows = bydir[name]
  if rows then return rows end
  local _, base = read_tsv(M.shipped .. "/" .. name .. ".tsv")
  base = base or {}
  local uh, urows, replace
  if dir then uh, urows, replace = read_tsv(dir .. "/" .. name .. ".tsv") end
  if uh then
    if replace then
      base = urows
    else
      local merged = {}
      for i = 1, #base do merged[i] = base[i] end
      for i = 1, #urows do merged[#merged + 1] = urows[i] end
      base = merged
    end
  end
  bydir[name] = base
  return base
end

--- The lexicon as a map: column key -> row (later rows win).
function M.map(name, keycol, dir)
  local rows = M.load(name, dir)
  local maps = rawget(rows, "_maps")
  if not maps then maps = {}; rows._maps = maps end
  local m = maps[keycol]
  if m then return m end
  m = {}
  for i = 1, #rows do
    local k = rows[i][keycol]
    if k then m[k] = rows[i] end
  end
  maps[keycol] = m
  return m
end

return M
