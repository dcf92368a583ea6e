#!/bin/sh
# `make demo`: the most complete job lector can do on the bundled examples.
set -e
LECTOR=${1:-build/lector}
cd "$(dirname "$0")/.."
echo "== lector recipe stats examples/corpus"
"$LECTOR" recipe stats --top 10 examples/corpus
