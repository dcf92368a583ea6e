-- Walking the inputs analysts name on the command line: files, and
-- directories recursively in sorted order, with unreadable entries and
-- symlink loops reported instead of failing the whole run.
local check = require "lector.check"
local core = require "lector.core"

local ffi, C = core.ffi, core.C
local M = {}

local info = ffi.new("lector_fileinfo")
local errno_box = ffi.new("int[1]")
local kinds = { "file", "dir", "other" }

-- stat(path) -> { kind = "file"|"dir"|"other", size=, readable=, dev=, ino=, link= }
-- (link: path itself is a symbolic link)
-- or nil, message (the message names the path).
function M.stat(path)
  if type(path) ~= "string" then
    check.argerr(1, "stat", "string", path)
  end
  if C.lector_stat(path, info, errno_box) ~= 0 then
    return nil, path .. ": " .. ffi.string(C.lector_errno_str(errno_box[0]))
  end
  return {
    kind = kinds[info.kind], size = tonumber(info.size), readable = info.readable ~= 0,
    dev = tonumber(info.dev), ino = tonumber(info.ino), link = info.is_link ~= 0,
  }
end

local path_box = ffi.new("char *[1]")

-- realpath(path) -> the absolute path with every link resolved, or nil,
-- message naming the path.
function M.realpath(path)
  if type(path) ~= "string" then
    check.argerr(1, "realpath", "string", path)
  end
  if C.lector_realpath(path, path_box, errno_box) ~= 0 then
    return nil, path .. ": " .. ffi.string(C.lector_errno_str(errno_box[0]))
  end
  local s = ffi.string(path_box[0])
  C.lector_free(path_box[0])
  path_box[0] = nil
  return s
end

local function inside(p, root)
  return p == root or root == "/" or p:sub(1, #root + 1) == root .. "/"
end

-- Sorted entry names of a directory, or nil, message.
function M.list(path)
  local d = C.lector_dir_open(path, errno_box)
  if d == nil then return nil, path .. ": " .. ffi.string(C.lector_errno_str(errno_box[0])) end
  local names = {}
  while true do
    local e = C.lector_dir_next(d)
    if e == nil then break end
    names[#names + 1] = ffi.string(e)
  end
  C.lector_dir_close(d)
  table.sort(names)
  return names
end

-- files(paths [, on_problem [, opts]]) iterates regular files under
-- paths: files as given, directories recursively (hidden entries skipped).
-- Problems — missing paths, unreadable files, symlink loops — go to
-- on_problem(path, message) (default: raise) and the walk goes on. Two
-- kinds of input are problems unless opts asks for them, since analysts
-- walk folders they scraped and stores go to colleagues:
--   opts.follow_symlinks: follow a symbolic link in a directory that
--     leads outside the directory named (`d/etclink -> /etc`);
--   opts.special: read a FIFO, device or socket named as an input (it may
--     block forever); inside directories they are always passed over.
function M.files(paths, on_problem, opts)
  if type(paths) == "string" then paths = { paths } end
  if type(paths) ~= "table" then
    check.argerr(1, "files", "table of paths", paths)
  end
  on_problem = on_problem or function(_, msg) error(msg, 0) end
  opts = opts or {}
  return coroutine.wrap(function()
    local active = {} -- dev:ino of the directories on the current path
    local root, root_name -- the real path of the directory named, and its name
    local function visit(path, top)
      local st, err = M.stat(path)
      if not st then return on_problem(path, err) end
      if not top and st.link and not opts.follow_symlinks then
        local real = M.realpath(path)
        if not real or not inside(real, root) then
          return on_problem(path, path .. ": symbolic link leading outside " .. root_name ..
                            ", skipped (--follow-symlinks reads it)")
        end
      end
      if st.kind == "dir" then
        local id = st.dev .. ":" .. st.ino
        if active[id] then return on_problem(path, path .. ": symlink loop, skipped") end
        if top then
          root, root_name = M.realpath(path) or path, path
        end
        local names, lerr = M.list(path)
        if not names then return on_problem(path, lerr) end
        active[id] = true
        for _, name in ipairs(names) do
          if name:sub(1, 1) ~= "." then visit(path:gsub("/$", "") .. "/" .. name, false) end
        end
        active[id] = nil
      elseif st.kind == "file" or top then
        if st.kind ~= "file" and not opts.special then
          return on_problem(path, path .. ": not a regular file (a FIFO, device or socket), " ..
                            "skipped (--special-files reads it)")
        end
        if not st.readable then return on_problem(path, path .. ": Permission denied") end
        coroutine.yield(path, st)
      end
    end
    for _, p in ipairs(paths) do visit(p, true) end
  end)
end

-- The text of a file as UTF-8, or nil and a message naming the path:
-- "PATH: invalid UTF-8 at byte POS: REASON", "PATH: UTF-16 (...), not
-- UTF-8", or "PATH: not valid cp1252 at byte POS" when encoding (a name
-- iconv knows, see lector.text.from_encoding) says what to convert from.
function M.read_text(path, encoding)
  local s, err = M.read(path)
  if not s then return nil, err end
  local text = require "lector.text"
  if encoding then
    -- An unknown encoding is the caller's mistake: raised at its line.
    local ok, u, why = pcall(text.from_encoding, s, encoding)
    if not ok then error(u, 2) end
    if not u then return nil, path .. ": " .. why end
    s = u
  end
  local why = text.why_not_utf8(s)
  if why then return nil, path .. ": " .. why end
  return s
end

-- io.open(path, mode), or nil and the reason alone ("No such file or
-- directory"): io.open's message starts with the path, which a caller
-- that names the path itself would repeat.
function M.open(path, mode)
  local f, err = io.open(path, mode)
  if f then return f end
  err = tostring(err)
  local prefix = path .. ": "
  if err:sub(1, #prefix) == prefix then err = err:sub(#prefix + 1) end
  return nil, err
end

-- The whole content of a file, or nil, message naming the path.
function M.read(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local s, rerr = f:read("*a")
  f:close()
  if not s then return nil, path .. ": " .. tostring(rerr) end
  return s
end

--- A new empty file in $TMPDIR (else /tmp) named PREFIX-XXXXXX (mkstemp:
-- made for this process alone), its path; nil and a message naming the
-- directory when it cannot be made there.
function M.temp_file(prefix)
  if prefix ~= nil and (type(prefix) ~= "string" or prefix:find("/", 1, true)) then
    check.argerr(1, "temp_file", "a file name prefix (no /)", prefix)
  end
  pcall(ffi.cdef, "int mkstemp(char *template); int close(int fd);")
  local dir = os.getenv("TMPDIR")
  if dir == nil or dir == "" then dir = "/tmp" end
  local template = dir:gsub("/+$", "") .. "/" .. (prefix or "lector") .. "-XXXXXX"
  local buf = ffi.new("char[?]", #template + 1, template)
  local fd = ffi.C.mkstemp(buf)
  if fd < 0 then
    return nil, string.format("%s: cannot make a temporary file there (set TMPDIR to a writable directory)", dir)
  end
  ffi.C.close(fd)
  return ffi.string(buf)
end

return M
