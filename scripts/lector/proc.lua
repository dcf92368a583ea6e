-- lector.proc: worker processes that take lines on stdin and give lines
-- on stdout (core/proc.c), for `-j N`. The caller feeds them and reads
-- what they answer in one loop that never blocks on a single child:
--
--   local pool = lector.proc.pool({ "lector", "recipe", "tag", "--stream", ... }, 2)
--   local docs = ...                          -- an iterator of lines
--   for line, worker in pool:lines(docs) do ... end
--
-- A worker that exits with a non-zero code, or that cannot be written
-- to, raises an error from pool:lines after every worker was stopped;
-- pool:close() (also on error and at collection) stops and reaps them.
local check = require "lector.check"
local bit = require "bit"
local ffi = require "ffi"
local core = require "lector.core"

ffi.cdef [[
int getpid(void);
int poll(void *fds, unsigned long nfds, int timeout);
long readlink(const char *path, char *buf, size_t size);
]]

local C = core.C

local M = {}

local Pool = {}
Pool.__index = Pool

local BUF = 65536
local BATCH = 64 -- lines sent to a worker in one write, at most
local rbuf = ffi.new("char[?]", BUF)
local got = ffi.new("size_t[1]")
local errno_p = ffi.new("int[1]")

--- The number of processors online.
function M.cpu_count() return C.lector_cpu_count() end

--- The lector binary running this script, for starting workers: the
-- LECTOR_BIN environment variable, else /proc/self/exe, else "lector".
function M.self_exe()
  local env = os.getenv("LECTOR_BIN")
  if env and env ~= "" then return env end
  local buf = ffi.new("char[4096]")
  local k = ffi.C.readlink("/proc/self/exe", buf, 4096)
  if k > 0 and k < 4096 then return ffi.string(buf, k) end
  return "lector"
end

--- This process's id.
function M.pid() return ffi.C.getpid() end

--- Starts n copies of argv (an array of strings). Returns the pool.
function M.pool(argv, n)
  if type(argv) ~= "table" or type(argv[1]) ~= "string" then check.argerr(1, "pool", "array of strings", argv) end
  if type(n) ~= "number" or n < 1 or n > C.LECTOR_PROC_MAX_POLL or n ~= math.floor(n) then
    check.argmsg(2, "pool", "1 to " .. C.LECTOR_PROC_MAX_POLL .. " workers expected")
  end
  local cargv = ffi.new("const char *[?]", #argv + 1)
  for i, a in ipairs(argv) do
    if type(a) ~= "string" then check.argerr(1, "pool", "array of strings", a) end
    cargv[i - 1] = a
  end
  local self = setmetatable({ n = n, argv = argv, procs = ffi.new("lector_proc *[?]", n),
                              want = ffi.new("int[?]", n), ready = ffi.new("int[?]", n),
                              pending = {}, offset = {}, partial = {}, done = {}, sent = {}, exiting = {},
                              lines_out = {} }, Pool)
  self.anchor = ffi.gc(ffi.new("char[1]"), function() self:close() end)
  for i = 0, n - 1 do
    local p = C.lector_proc_spawn(cargv, errno_p)
    if p == nil then
      self:close()
      error(string.format("cannot start %s: %s", argv[1], ffi.string(C.lector_errno_str(errno_p[0]))), 2)
    end
    self.procs[i] = p
    self.sent[i] = 0
  end
  return self
end

--- Stops the workers still running (SIGTERM, then SIGKILL) and reaps
-- them. Idempotent.
function Pool:close()
  if self.closed then return end
  self.closed = true
  local st = ffi.new("int[1]")
  for i = 0, self.n - 1 do
    local p = self.procs[i]
    if p ~= nil then
      C.lector_proc_close_input(p)
      C.lector_proc_kill(p, 0)
    end
  end
  for i = 0, self.n - 1 do
    local p = self.procs[i]
    if p ~= nil then
      -- A tenth of a second to go quietly, then SIGKILL (lector_proc_free).
      for _ = 1, 20 do
        C.lector_proc_wait(p, 0, st)
        if st[0] >= 0 then break end
        ffi.C.poll(nil, 0, 5)
      end
      C.lector_proc_free(p)
      self.procs[i] = nil
    end
  end
end

-- i: the worker (0-based) that failed, kept in self.failed (1-based) for
-- the caller to say what that worker was doing.
local function fail(self, msg, i)
  if i and not self.failed then self.failed = i + 1 end
  self:close()
  error(msg, 0)
end

-- Waits for worker i (whose output ended) and raises unless it exited 0.
-- later: only when it has exited already; else it is left for
-- Pool:finish (self.exiting[i]).
local function reap(self, i, later)
  local st = ffi.new("int[1]")
  C.lector_proc_wait(self.procs[i], later and 0 or 1, st)
  self.done[i] = true
  if st[0] < 0 then
    self.exiting[i] = true
    return
  end
  self.exiting[i] = nil
  local code = st[0]
  if code ~= 0 then
    fail(self, string.format("worker %d (process %d) failed (%s)", i + 1,
      C.lector_proc_pid(self.procs[i]),
      code > 128 and ("signal " .. (code - 128)) or ("exit code " .. code)), i)
  end
end

--- Iterates the lines the workers write (without "\n"), with the number
-- of the worker (1..n) that wrote each, while feeding them the lines of
-- the iterator input (each line goes to one worker, whichever has room
-- first). Ends when every worker has closed its output after its input
-- ended. opts.on_send(line, worker) is called for each line sent (worker
-- 0: this process, with opts.idle).
-- opts.window = k: a worker has at most k lines it has not answered yet
-- (for workers that answer each line with one line), so that work goes
-- to whichever worker is free rather than being dealt out in advance; a
-- function instead of k is asked again before each wait (a caller that
-- knows how much input is left narrows it at the end).
-- opts.hold(): while it returns true no line is sent (a caller that hands
-- answers back in input order holds when too many wait for a late one).
-- opts.reap_later: a worker whose output ends with its input is not
-- waited for then; the iterator ends when every output has, and the
-- caller calls pool:finish() (a worker that has not exited then stops
-- no one from storing what it answered).
-- opts.one_answer: each line has one answer line; a worker whose output
-- ends before it answered every line it was sent fails, whatever its
-- exit code.
-- opts.idle(line): when no worker has an answer ready, this process
-- takes the next input line itself and idle returns its answer (given as
-- worker 0): the caller's own share of the work, as much as its time
-- between the workers' answers allows (an error it raises stops the pool).
-- opts.wait(): called before this process waits for the workers with
-- nothing of its own to do (its input has ended): the caller's chance to
-- get ahead with what it does with their answers.
-- A worker that fails leaves its number (1..n) in pool.failed.
function Pool:lines(input, opts)
  if type(input) ~= "function" then check.argerr(1, "lines", "iterator function", input) end
  local on_send = opts and opts.on_send
  local hold = opts and opts.hold
  local reap_later = opts and opts.reap_later
  local idle = opts and opts.idle
  local wait = opts and opts.wait
  local window = opts and opts.window or math.huge
  local one_answer = opts and opts.one_answer
  local window_of = type(window) == "function" and window or nil
  local owed = {}
  for i = 0, self.n - 1 do owed[i] = 0 end
  local n, procs, want, ready = self.n, self.procs, self.want, self.ready
  local pending, offset, partial, done = self.pending, self.offset, self.partial, self.done
  local queue, qhead, qtail = self.lines_out, 1, 0
  local batch = {}
  local input_done, closed_inputs = false, false
  local live = n

  local function pump(timeout)
    -- Which workers want input: those with nothing pending while input lasts.
    local feeding = not input_done and not (hold and hold())
    if window_of then window = window_of() end
    for i = 0, n - 1 do
      want[i] = (not done[i] and (pending[i] or feeding and owed[i] < window)) and 1 or 0
    end
    if input_done and not closed_inputs then
      local all = true
      for i = 0, n - 1 do if pending[i] then all = false end end
      if all then
        closed_inputs = true
        for i = 0, n - 1 do C.lector_proc_close_input(procs[i]) end
      end
    end
    local r = C.lector_proc_poll(procs, n, want, ready, timeout)
    if r < 0 then fail(self, "poll failed: " .. core.strerror(r)) end
    for i = 0, n - 1 do
      local flags = ready[i]
      if bit.band(flags, C.LECTOR_PROC_WRITABLE) ~= 0 then
        local s = pending[i]
        if not s and feeding and not input_done and owed[i] < window then
          -- As many lines as the window takes (up to BATCH), in one
          -- write: one poll and one send a batch, not a line.
          local nb = 0
          repeat
            local line = input()
            if line == nil then
              input_done = true
              break
            end
            if on_send then on_send(line, i + 1) end
            owed[i] = owed[i] + 1
            nb = nb + 1
            batch[nb] = line
          until owed[i] >= window or nb >= BATCH or (hold and hold())
          if nb > 0 then
            batch[nb + 1] = ""
            s = table.concat(batch, "\n", 1, nb + 1)
            pending[i], offset[i] = s, 0
          end
        end
        if s then
          local off = offset[i]
          local w = C.lector_proc_write(procs[i], ffi.cast("const char *", s) + off, #s - off)
          if w < 0 then
            -- Its input is gone: it ended. Say how, when it says soon.
            local st = ffi.new("int[1]")
            for _ = 1, 100 do
              C.lector_proc_wait(procs[i], 0, st)
              if st[0] >= 0 then break end
              ffi.C.poll(nil, 0, 10)
            end
            if st[0] >= 0 then reap(self, i) end
            fail(self, string.format("worker %d: %s", i + 1, ffi.string(C.lector_proc_errmsg(procs[i]))), i)
          end
          off = off + tonumber(w)
          if off >= #s then pending[i], offset[i] = nil, nil else offset[i] = off end
        end
      end
      if bit.band(flags, C.LECTOR_PROC_READABLE) ~= 0 then
        local rc = C.lector_proc_read(procs[i], rbuf, BUF, got)
        if rc < 0 then
          fail(self, string.format("worker %d: %s", i + 1, ffi.string(C.lector_proc_errmsg(procs[i]))), i)
        end
        local k = tonumber(got[0])
        if k > 0 then
          local chunk = ffi.string(rbuf, k)
          local start = 1
          while true do
            local nl = chunk:find("\n", start, true)
            if not nl then break end
            local piece = chunk:sub(start, nl - 1)
            local parts = partial[i]
            if parts then
              parts[#parts + 1] = piece
              piece = table.concat(parts)
              partial[i] = nil
            end
            qtail = qtail + 1
            queue[qtail] = { piece, i + 1 }
            owed[i] = owed[i] - 1
            start = nl + 1
          end
          if start <= #chunk then
            local parts = partial[i] or {}
            parts[#parts + 1] = chunk:sub(start)
            partial[i] = parts
          end
        end
        if rc == C.LECTOR_PROC_EOF then
          if partial[i] then
            qtail = qtail + 1
            queue[qtail] = { table.concat(partial[i]), i + 1 }
            owed[i] = owed[i] - 1
            partial[i] = nil
          end
          if not input_done or pending[i] then
            -- Gone before its input ended: it failed, or it stopped early.
            C.lector_proc_close_input(procs[i])
          end
          -- One that ended its output when its input did may still be
          -- exiting (freeing what it loaded): with opts.reap_later, what
          -- it answered is stored meanwhile and Pool:finish waits for it.
          reap(self, i, reap_later and input_done and not pending[i])
          live = live - 1
          if pending[i] or not input_done then
            fail(self, string.format("worker %d (process %d) ended before its input did", i + 1,
              C.lector_proc_pid(procs[i])), i)
          end
          -- One that ended owing answers failed, whatever its exit code.
          if one_answer and owed[i] > 0 then
            fail(self, string.format("worker %d (process %d) ended without answering %d lines", i + 1,
              C.lector_proc_pid(procs[i]), owed[i]), i)
          end
        end
      end
    end
  end

  return function()
    while true do
      local item = queue[qhead]
      if item then
        queue[qhead] = nil
        qhead = qhead + 1
        return item[1], item[2]
      end
      if live == 0 then
        if not next(self.exiting) then self:close() end
        return nil
      end
      -- With opts.idle, a look without waiting first: when no worker has
      -- answered, this process answers the next line itself.
      local take = idle and not input_done and not (hold and hold())
      local ok, err = true, nil
      if wait and input_done then ok, err = pcall(wait) end
      if ok then ok, err = pcall(pump, take and 0 or 1000) end
      if ok and take and queue[qhead] == nil and not input_done then
        local line = input()
        if line == nil then
          input_done = true
        else
          if on_send then on_send(line, 0) end
          ok, err = pcall(idle, line)
          if ok then
            qtail = qtail + 1
            queue[qtail] = { err, 0 }
          end
        end
      end
      if not ok then
        self:close()
        error(err, 0)
      end
    end
  end
end

--- After pool:lines with opts.reap_later: waits for the workers still
-- exiting and raises, as lines would have, unless each exited 0; then
-- closes the pool.
function Pool:finish()
  for i = 0, self.n - 1 do
    if self.exiting[i] then reap(self, i) end
  end
  self:close()
end

--- In a worker: ends this process's output now (flushed; descriptor 1
-- then points at /dev/null), so that the process reading it need not
-- wait for this one to finish exiting.
function M.end_output()
  if C.lector_proc_end_output() ~= 0 then check.fail("cannot write the output: " .. core.strerror(C.LECTOR_EIO)) end
end

M.Pool = Pool

return M
