#!/bin/sh
# `make demo`: the whole job on the bundled examples — ingest the corpus
# (and a wire copy of one article) into a store, find the near duplicate,
# tag it with the example gazetteer and patterns, report what was found
# (the copy skipped). The store is left in build/demo.db for sqlite3 or `lector repl`.
set -e
LECTOR=${1:-build/lector}
cd "$(dirname "$0")/.."
db=build/demo.db
rm -f "$db" "$db-wal" "$db-shm"
echo "== lector recipe ingest --db $db examples/corpus examples/wire"
"$LECTOR" recipe ingest --db "$db" examples/corpus examples/wire
echo
echo "== lector recipe dups --db $db   (examples/wire is a wire copy of 04-palmyra with a boilerplate tail)"
"$LECTOR" recipe dups --db "$db"
echo
echo "== lector recipe tag --db $db --gazetteer examples/gazetteer.tsv --patterns examples/patterns.tsv"
"$LECTOR" recipe tag --db "$db" --gazetteer examples/gazetteer.tsv --patterns examples/patterns.tsv
echo
echo "== lector recipe report --db $db"
"$LECTOR" recipe report --db "$db"
echo
echo "== lector recipe entities --gazetteer examples/gazetteer.tsv --mentions examples/corpus/04-palmyra.txt"
"$LECTOR" recipe entities --gazetteer examples/gazetteer.tsv --mentions examples/corpus/04-palmyra.txt
echo
echo "== lector recipe kwic --db $db @Palmyra --width 30"
"$LECTOR" recipe kwic --db "$db" @Palmyra --width 30
echo
echo "== lector recipe report --db $db --format html -o build/report.html"
"$LECTOR" recipe report --db "$db" --format html -o build/report.html
echo "   one self-contained page, with a view of each document beside it: open build/report.html"
echo
echo "Explore it: $LECTOR repl $db   (or: sqlite3 $db)"
