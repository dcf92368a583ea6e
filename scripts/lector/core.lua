-- The FFI binding to lector's C core. Inside the `lector` binary the core's
-- symbols are in the executable (ffi.C); from a stock luajit the module
-- finds liblector.so on package.cpath. The declarations are generated from
-- include/lector.h (scripts/lector/cdef.lua), never copied by hand.
local ffi = require "ffi"

local M = {}

ffi.cdef(require "lector.cdef")

local function in_executable()
  return pcall(function() return ffi.C.lector_version end)
end

local C
if in_executable() then
  C = ffi.C
else
  local path = package.searchpath("liblector", package.cpath)
  if not path then
    error("lector: cannot find liblector.so on package.cpath (" .. package.cpath ..
          "); add the build directory, e.g. package.cpath = 'build/?.so;' .. package.cpath", 2)
  end
  C = ffi.load(path)
end
M.C = C
M.ffi = ffi

function M.version() return ffi.string(C.lector_version()) end

-- A fresh C string returned through char** becomes a Lua string, and is freed.
function M.take_string(pp, n)
  local s = ffi.string(pp[0], n)
  C.lector_free(pp[0])
  pp[0] = nil
  return s
end

function M.strerror(code) return ffi.string(C.lector_strerror(code)) end

return M
