#!/bin/sh
# One big document against many small ones (issue 15): `tag` over one
# document of SIZE_MB (default 20) made of the examples repeated, and over
# the same text as news-sized documents, each into a fresh store; prints
# seconds per MB of both, their ratio, and peak memory per input byte.
# With and without the extractors.
set -u
LECTOR=${LECTOR_BIN:-build/lector}
root=$(cd "$(dirname "$0")/../.." && pwd)
mb=${SIZE_MB:-20}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
"$LECTOR" -e '
  local mb, root = tonumber(arg[1]), arg[2]
  local parts = {}
  for _, f in ipairs { "01-al-bab-offensive", "02-deir-ez-zor", "03-raqqa", "04-palmyra", "05-aleppo-evacuation" } do
    parts[#parts + 1] = assert(io.open(root .. "/examples/corpus/" .. f .. ".txt")):read("*a")
  end
  local one = table.concat(parts, "\n")
  local big = assert(io.open("big.txt", "wb"))
  local n, i = 0, 0
  os.execute("mkdir -p small")
  while n < mb * 1e6 do
    big:write(one, "\n")
    i = i + 1
    local f = assert(io.open(string.format("small/%05d.txt", i), "wb"))
    f:write(one)
    f:close()
    n = n + #one + 1
  end
  big:close()' "$mb" "$root"
"$LECTOR" recipe ingest --quiet --db big.db big.txt
"$LECTOR" recipe ingest --quiet --db small.db small
bytes=$(wc -c < big.txt)
run() { # label db extra-args...
  label=$1 db=$2; shift 2
  cp "$db" t.db; rm -f t.db-wal t.db-shm
  /usr/bin/time -f "%e %M" -o time.txt "$LECTOR" recipe tag --db t.db \
    --gazetteer "$root/examples/gazetteer.tsv" --patterns "$root/examples/patterns.tsv" "$@" > /dev/null
  set -- $(cat time.txt)
  echo "$label $1 $2"
}
for mode in "none" "all"; do
  b=$(run big big.db --extract "$mode")
  s=$(run small small.db --extract "$mode")
  echo "$b|$s" | awk -v bytes="$bytes" -v mode="$mode" -F'|' '{
    split($1, B, " "); split($2, S, " ");
    mbs = bytes / 1e6;
    printf "tag --extract %-4s one %.0f MB document: %.2f s/MB, peak %.1f bytes per input byte (%.1f above the small-document run)\n", mode, mbs, B[2] / mbs, B[3] * 1024 / bytes, (B[3] - S[3]) * 1024 / bytes;
    printf "tag --extract %-4s news-sized documents:  %.2f s/MB, peak %.1f MB\n", mode, S[2] / mbs, S[3] / 1024;
    printf "tag --extract %-4s big/small time per MB: %.2fx (target <= 2)\n", mode, (B[2] / mbs) / (S[2] / mbs) }'
done
