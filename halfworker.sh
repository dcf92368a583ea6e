#!/bin/sh
"" "$@" | { head -n 40; sleep 1; }
