#!/bin/sh
# Prints scripts/lector/cdef.lua: the FFI block of the public header, as a
# Lua string for ffi.cdef, so the Lua side can never drift from the C API.
set -eu
hdr=${1:-include/lector.h}
echo "-- Generated from $hdr by scripts/build/cdef.sh: edit the header, not this file."
echo "return [==["
sed -n '/^\/\* LECTOR_FFI_BEGIN \*\/$/,/^\/\* LECTOR_FFI_END \*\/$/p' "$hdr" | sed '1d;$d' \
  | grep -v '^[[:space:]]*#'
echo "]==]"
