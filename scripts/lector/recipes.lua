-- The recipes framework. A recipe is a Lua file returning
--   { name = "stats", summary = "one line",
--     options = { { name = "top", type = "number", default = 20,
--                   help = "how many words to show" }, ... },
--     run = function(opts, inputs) ... return exit_code end }
-- found in $LECTOR_RECIPES (dir1:dir2) first, then lector's own recipes.
-- Option types: string, number, integer, boolean, list (repeatable or
-- comma-separated), choice (with `choices = {...}`). An option with
-- `input = true` names a file the recipe reads (a gazetteer, a store to
-- report on), and `input_files = true` in the recipe says its inputs are
-- files or directories ("-" being standard input): see check_inputs.
local check = require "lector.check"
local M = {}

-- The text of an error the library raised (lector.check.message): data
-- errors come without a Lua position, so it is printed as it is.
M.message = check.message

-- Ends the recipe: the binary prints "lector: msg" (no traceback) and exits
-- with code (1 for data problems, 2 for misuse of the command line). msg
-- may be an error the library raised (lector.check.abort).
M.fail = check.abort

local function usage_error(msg) M.fail(msg, 2) end

-- count(n, noun [, plural]) -> "1 document", "5 documents", "0 entities"
-- (plural defaults to noun .. "s"), for messages that read as English.
function M.count(n, noun, plural)
  return string.format("%d %s", n, n == 1 and noun or (plural or noun .. "s"))
end

local function builtin_dir()
  local lector = require "lector"
  if rawget(lector, "scripts_dir") then return lector.scripts_dir .. "/recipes" end
  local init = package.searchpath("lector", package.path)
  return init and init:gsub("/lector/init%.lua$", "/recipes") or nil
end

-- The folders searched, in order.
function M.dirs()
  local dirs = {}
  for d in (os.getenv("LECTOR_RECIPES") or ""):gmatch("[^:]+") do dirs[#dirs + 1] = d end
  dirs[#dirs + 1] = builtin_dir()
  return dirs
end

local TYPES = { string = true, number = true, integer = true, boolean = true,
                list = true, choice = true }

-- Checks a recipe's declaration so a mistake in it is reported by file.
local function validate(r, path)
  local function bad(what) check.fail(path .. ": bad recipe: " .. what) end
  if type(r) ~= "table" then bad("the file must return a table") end
  if type(r.name) ~= "string" then bad("`name` must be a string") end
  if type(r.summary) ~= "string" then bad("`summary` must be a string") end
  if type(r.run) ~= "function" then bad("`run` must be a function") end
  r.options = r.options or {}
  for i, o in ipairs(r.options) do
    if type(o.name) ~= "string" or not o.name:match("^[%w][%w%-_]*$") then
      bad("option #" .. i .. " needs a name of letters, digits, - or _")
    end
    o.type = o.type or "string"
    if not TYPES[o.type] then bad("option --" .. o.name .. " has unknown type " .. tostring(o.type)) end
    if o.type == "choice" and type(o.choices) ~= "table" then
      bad("option --" .. o.name .. " is a choice without `choices`")
    end
  end
  return r
end

-- load(name) -> recipe table, path; raises a usage error for an unknown name.
function M.load(name)
  if type(name) ~= "string" or not name:match("^[%w_%-]+$") then
    usage_error("bad recipe name " .. tostring(name))
  end
  local own = builtin_dir()
  for _, d in ipairs(M.dirs()) do
    local path = d .. "/" .. name .. ".lua"
    local f = io.open(path, "rb")
    if f then
      f:close()
      local chunk, err = loadfile(path)
      if not chunk then error(err, 0) end
      -- (an analyst's recipe may leave objects whose finalizers matter:
      -- the host then closes the Lua state at exit; see core/host/main.c)
      if d ~= own then M.user_code = true end
      return validate(chunk(), path), path
    end
  end
  usage_error("no recipe named '" .. name .. "' (lector recipes lists them)")
end

-- list() -> array of { name, summary, path }, sorted; a recipe in an
-- earlier folder hides one of the same name in a later folder.
function M.list()
  local fs = require "lector.fs"
  local seen, out = {}, {}
  for _, d in ipairs(M.dirs()) do
    for _, file in ipairs(fs.list(d) or {}) do
      local name = file:match("^([%w_%-]+)%.lua$")
      if name and not seen[name] then
        seen[name] = true
        local ok, r, path = pcall(M.load, name)
        out[#out + 1] = ok and { name = name, summary = r.summary, path = path }
          or { name = name, summary = "(broken: " .. tostring(r) .. ")", path = d .. "/" .. file }
      end
    end
  end
  table.sort(out, function(a, b) return a.name < b.name end)
  return out
end

local function show_default(o)
  if o.default == nil then return "" end
  local d = o.default
  if type(d) == "table" then d = table.concat(d, ",") end
  return " (default: " .. tostring(d) .. ")"
end

-- The --help text, generated from the declared options.
function M.usage(r)
  local lines = { "usage: lector recipe " .. r.name .. " [OPTIONS] " .. (r.inputs or "[INPUTS...]"),
                  "", r.summary, "" }
  if r.description then lines[#lines + 1] = r.description; lines[#lines + 1] = "" end
  lines[#lines + 1] = "options:"
  for _, o in ipairs(r.options) do
    local arg = o.type == "boolean" and "" or
      " " .. (o.type == "choice" and table.concat(o.choices, "|") or o.type:upper())
    local name = o.short and (o.name .. arg .. ", -" .. o.short) or (o.name .. arg)
    lines[#lines + 1] = string.format("  --%-22s %s%s%s", name, o.help or "",
      o.required and " (required)" or "", show_default(o))
  end
  lines[#lines + 1] = string.format("  --%-22s %s", "trust-schema",
    "open a store whose triggers or views are not lector's own (they run inside lector)")
  lines[#lines + 1] = string.format("  --%-22s %s", "time-limit SECONDS",
    "stop a store query running longer than this")
  lines[#lines + 1] = string.format("  --%-22s %s", "help", "show this help")
  return table.concat(lines, "\n") .. "\n"
end

local function convert(o, v)
  local t = o.type
  if t == "string" then return v end
  if t == "number" or t == "integer" then
    local n = tonumber(v)
    if not n or n ~= n or (t == "integer" and n ~= math.floor(n)) then
      usage_error(string.format("option --%s: expected %s, got '%s'", o.name,
        t == "integer" and "an integer" or "a number", v))
    end
    -- Integers are counts, sizes and times: from 0 (or the declared min)
    -- to 2^31 - 1 (or the declared max), so SQLite and C see what was meant.
    local lo = o.min or (t == "integer" and 0 or -math.huge)
    local hi = o.max or (t == "integer" and 2147483647 or math.huge)
    if n < lo or n > hi then
      usage_error(string.format("option --%s: %s is out of range (%s to %s)", o.name, v,
        lo == -math.huge and "-inf" or string.format("%d", lo),
        hi == math.huge and "inf" or string.format("%d", hi)))
    end
    return n
  end
  if t == "boolean" then
    local b = ({ ["true"] = true, yes = true, ["1"] = true, on = true,
                 ["false"] = false, no = false, ["0"] = false, off = false })[v:lower()]
    if b == nil then usage_error("option --" .. o.name .. ": expected true or false, got '" .. v .. "'") end
    return b
  end
  if t == "choice" then
    for _, c in ipairs(o.choices) do if c == v then return v end end
    usage_error(string.format("option --%s: expected one of %s, got '%s'", o.name,
      table.concat(o.choices, ", "), v))
  end
  if t == "list" then
    local items = {}
    for item in v:gmatch("[^,]+") do items[#items + 1] = item end
    return items
  end
end

-- parse(recipe, argv) -> opts, inputs (or the string "help"); raises a
-- usage error naming the option for anything unknown or ill-typed.
function M.parse(r, argv)
  local byname, byshort = {}, {}
  for _, o in ipairs(r.options) do
    byname[o.name] = o
    if o.short then byshort[o.short] = o end
  end
  local opts, inputs, i = {}, {}, 1
  while i <= #argv do
    local a = argv[i]
    if a == "--" then
      for j = i + 1, #argv do inputs[#inputs + 1] = argv[j] end
      break
    elseif a == "--help" or a == "-h" then
      return "help"
    elseif a == "--trust-schema" and not byname["trust-schema"] then
      require("lector.store").defaults.trust_schema = true
    elseif (a == "--time-limit" or a:match("^%-%-time%-limit=")) and not byname["time-limit"] then
      local v = a:match("=(.*)$")
      if not v then i = i + 1; v = argv[i] end
      local secs = tonumber(v)
      if not secs or secs ~= secs or secs <= 0 or secs == math.huge then
        usage_error("option --time-limit needs a positive number of seconds, not " .. tostring(v))
      end
      require("lector.store").defaults.time_limit = secs
    elseif a:sub(1, 2) == "--" then
      local name, value = a:match("^%-%-([^=]+)=(.*)$")
      name = name or a:sub(3)
      local o = byname[name]
      if not o and name:sub(1, 3) == "no-" and byname[name:sub(4)]
         and byname[name:sub(4)].type == "boolean" then
        o, value = byname[name:sub(4)], "false"
      end
      if not o then usage_error("unknown option --" .. name .. " for recipe " .. r.name ..
        " (lector recipe " .. r.name .. " --help)") end
      if value == nil then
        if o.type == "boolean" then
          value = "true"
        else
          i = i + 1
          value = argv[i]
          if value == nil then usage_error("option --" .. o.name .. " needs a value") end
        end
      end
      local v = convert(o, value)
      if o.type == "list" and opts[o.name] then
        for _, item in ipairs(v) do table.insert(opts[o.name], item) end
      else
        opts[o.name] = v
      end
    elseif a:sub(1, 1) == "-" and a ~= "-" and byshort[a:sub(2, 2)] then
      -- A one-letter alias (-j 2, -j2) of a declared option.
      local o = byshort[a:sub(2, 2)]
      local value = a:sub(3)
      if o.type == "boolean" and value == "" then
        value = "true"
      elseif value == "" then
        i = i + 1
        value = argv[i]
        if value == nil then usage_error("option -" .. o.short .. " needs a value") end
      end
      opts[o.name] = convert(o, value)
    elseif a:sub(1, 1) == "-" and a ~= "-" then
      usage_error("unknown option " .. a .. " for recipe " .. r.name)
    else
      inputs[#inputs + 1] = a
    end
    i = i + 1
  end
  return M.apply_defaults(r, opts), inputs
end

-- Fills defaults (copied, so a run cannot change the declaration) and
-- checks required options; also used when a script calls run() directly.
function M.apply_defaults(r, opts)
  for _, o in ipairs(r.options) do
    if opts[o.name] == nil then
      local d = o.default
      if type(d) == "table" then
        local copy = {}
        for k, v in pairs(d) do copy[k] = v end
        d = copy
      end
      opts[o.name] = d
    end
    if o.required and opts[o.name] == nil then
      usage_error("recipe " .. r.name .. " needs --" .. o.name .. " (" .. (o.help or o.type) .. ")")
    end
  end
  return opts
end

-- Calls each(item) for every item the iterator items() gives, in
-- transactions of the store db of up to a quarter of a second of CPU time
-- (and at most opts.max items): FTS5 and the WAL pay per commit, and a
-- short transaction holds the write lock briefly, so other writers get
-- turns. opts.before_commit() runs at the end of each group, inside its
-- transaction. An error rolls back the group it happened in and is
-- raised again; the groups before it stay.
function M.in_groups(db, items, each, opts)
  if type(db) ~= "table" or type(db.transaction) ~= "function" then
    check.argerr(1, "in_groups", "store", db)
  end
  if type(items) ~= "function" then
    check.argerr(2, "in_groups", "iterator function", items)
  end
  if type(each) ~= "function" then
    check.argerr(3, "in_groups", "function", each)
  end
  if opts ~= nil and type(opts) ~= "table" then
    check.argerr(4, "in_groups", "table or nil", opts)
  end
  local max = opts and opts.max or math.huge
  local before_commit = opts and opts.before_commit
  local done = false
  local function group()
    local t0, n = os.clock(), 0
    repeat
      local item = items()
      if item == nil then
        done = true
        break
      end
      each(item)
      n = n + 1
    until n >= max or os.clock() - t0 > 0.25
    if before_commit then before_commit() end
  end
  while not done do db:transaction(group) end
end

-- Why path cannot be read, as the system says it ("No such file or
-- directory", "Permission denied"), or nil when it can.
local function unreadable(path)
  local fs = require "lector.fs"
  local st, err = fs.stat(path)
  if not st then return (err:sub(#path + 3)) end
  if st.kind == "dir" then
    local _, lerr = fs.list(path)
    return lerr and lerr:sub(#path + 3) or nil
  end
  if not st.readable then return "Permission denied" end
  return nil
end

-- The one rule for files named on the command line: one that is missing
-- or unreadable is reported as "lector: PATH: reason" and makes the exit
-- code 2, in every recipe. An `input = true` option's file stops the
-- recipe before it starts; with r.input_files, an input (file or
-- directory) is left out and the others are still processed, unless none
-- is left. Returns the inputs to use and 2, or 0 when all can be read.
function M.check_inputs(r, opts, inputs)
  for _, o in ipairs(r.options) do
    local path = o.input and opts[o.name]
    local why = type(path) == "string" and unreadable(path)
    if why then M.fail(path .. ": " .. why, 2) end
  end
  if not r.input_files then return inputs, 0 end
  local ok, code = {}, 0
  for _, path in ipairs(inputs) do
    local why = path ~= "-" and unreadable(path)
    if why then
      io.stderr:write("lector: ", path, ": ", why, "\n")
      code = 2
    else
      ok[#ok + 1] = path
    end
  end
  if #ok == 0 and #inputs > 0 then M.fail("no input can be read", 2) end
  return ok, code
end

-- Runs recipe r with parsed options after check_inputs: its exit code, or
-- 2 when a named input was left out.
function M.start(r, opts, inputs)
  local ok_inputs, code = M.check_inputs(r, opts, inputs)
  local rc = r.run(opts, ok_inputs)
  rc = type(rc) == "number" and rc or 0
  return math.max(rc, code)
end

-- run(name, opts, inputs) from a script: typed options as a table.
function M.run(name, opts, inputs)
  local r = M.load(name)
  local o = {}
  for k, v in pairs(opts or {}) do o[k] = v end
  return M.start(r, M.apply_defaults(r, o), inputs or {})
end

return M
