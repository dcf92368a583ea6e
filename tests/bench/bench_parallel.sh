#!/bin/sh
# bench_parallel (issue 20): the analyst's job — ingest, tag, report — on one
# core and on N, and the streaming mode under GNU parallel and Dask.
#
#  1. the bench corpus (the distinct-text corpus, corpus.sh's
#     bench_distinct_corpus; otherwise the examples repeated to MIN_MB) as
#     JSON lines, one document a line;
#  2. ingest -j 1 and -j J into a store (the writer's CPU time apart),
#     stats and entities -j 1 and -j J (outputs compared); tag -j 1 and
#     tag -j J (default 2) on copies of the store, with
#     examples/gazetteer.tsv and examples/patterns.tsv, ROUNDS times
#     each (the best wall time counts), the workers timed one by one
#     (LECTOR_BIN wrapper) so the writer's own CPU time shows; rows and
#     report compared; the whole job (ingest -j J, then tag -j J) end
#     to end, against what limits it: the one writer's share (the store
#     taking the rows) and the job's CPU time over J cores;
#  3. tag --stream in one process (the rate of one worker, what a Dask or
#     GNU parallel worker does), its lines loaded by ingest -j 1 and -j J
#     (the one writer of such jobs), then `parallel --pipe --block 10M -j J`
#     and examples/dask_tag.py on a LocalCluster of J workers;
#  4. memory: tag --stream over a JSON-lines file of BIG_MB megabytes
#     (default 10240: 10 GB, generated from the corpus; BIG_MB=0 skips)
#     under `parallel --pipe -j J`, peak RSS of each worker process.
# Env: LECTOR_BIN, J, ROUNDS (3), MIN_MB (50), BIG_MB (10240).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
lector=${LECTOR_BIN:-$root/build/lector}
data=$here/data
j=${J:-2}
rounds=${ROUNDS:-3}
min_mb=${MIN_MB:-50}
big_mb=${BIG_MB:-10240}
py=/usr/bin/python3
G=$root/examples/gazetteer.tsv
PT=$root/examples/patterns.tsv
work=$data/parallel
mkdir -p "$work"
cd "$work" || exit 1

say() { printf '%s\n' "$*"; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
mbs() { awk -v n="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.1f", n / 1e6 / t; else print "n/a" }'; }
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }

say "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- 1. the corpus as JSON lines ----------------------------------------
if [ ! -s docs.jsonl ]; then
  # shellcheck disable=SC2034 # read by corpus.sh
  corpus_bench=$here
  # shellcheck source=tests/bench/corpus.sh
  . "$here/corpus.sh"
  src=$(bench_distinct_corpus text) || src=$data/no-corpus
  "$lector" -e '
    local json = require "lector.json"
    local src, out_path, min_mb, examples = arg[1], arg[2], tonumber(arg[3]), arg[4]
    local out = assert(io.open(out_path, "wb"))
    local f, n = io.open(src, "rb"), 0
    local function put(text)
      n = n + 1
      out:write(json.encode { uri = string.format("bench/%06d", n), text = text }, "\n")
    end
    if f then
      local all = f:read("*a")
      f:close()
      for doc in (all .. "\n\f\n"):gmatch("(.-)\n\f\n") do if doc:find("%S") then put(doc) end end
    else
      local texts = {}
      for p in lector.fs.files({ examples }) do texts[#texts + 1] = lector.fs.read(p) end
      local bytes = 0
      while bytes < min_mb * 1e6 do
        for _, t in ipairs(texts) do put(t); bytes = bytes + #t end
      end
    end
    out:close()' "$src" docs.jsonl "$min_mb" "$root/examples/corpus"
fi
bytes=$("$lector" -e 'local n = 0 for l in io.lines(arg[1]) do n = n + #(require("lector.json").decode(l).text) end print(n)' docs.jsonl)
ndocs=$(wc -l < docs.jsonl | tr -d ' ')
say "# corpus: $ndocs documents, $bytes bytes of text ($(wc -c < docs.jsonl | tr -d ' ') bytes of JSON lines)"

# ---- 2. ingest, tag -j 1, tag -j J --------------------------------------
# Every annotation but ingest's, sorted, with the sentence column and
# attrs key by key, and the entity catalogue with the types new entities got.
rows() {
  sqlite3 "$1" "SELECT d.uri, a.layer, a.label, a.entity, a.start_byte, a.end_byte, a.sentence,
    (SELECT group_concat(key || '=' || value, ';') FROM (SELECT key, value FROM json_each(a.attrs) ORDER BY key))
    FROM annotations a JOIN documents d ON d.id = a.doc_id WHERE a.layer <> 'meta' ORDER BY 1, 2, 3, 4, 5, 6, 7, 8;
    SELECT key, type FROM entities ORDER BY 1" | md5sum
}
cat > worker.sh <<EOF
#!/bin/sh
exec /usr/bin/time -a -o "$work/workers.time" -f '%U %S %M' "$lector" "\$@"
EOF
chmod +x worker.sh

# timed NAME CMD...: runs CMD ROUNDS times (after $before), its workers
# timed one by one; sets best (wall), cpu (every process, last round),
# wcpu (the workers' CPU) and pcpu (the process started: the writer).
timed() {
  name=$1
  shift
  best="" cpu="" wcpu=0 pcpu=""
  for r in $(seq 1 "$rounds"); do
    rm -f workers.time
    [ -n "${before:-}" ] && eval "$before"
    t0=$(now)
    LECTOR_BIN="$work/worker.sh" /usr/bin/time -f '%U %S' -o run.time "$@" > "$name.out" 2> "$name.err"
    t1=$(now)
    best=$(min "$best" "$(secs "$t0" "$t1")")
    cpu=$(awk '{ printf "%.2f", $1 + $2 }' run.time)
    wcpu=0
    [ -s workers.time ] && wcpu=$(awk '{ s += $1 + $2 } END { printf "%.2f", s }' workers.time)
    pcpu=$(awk -v a="$cpu" -v b="$wcpu" 'BEGIN { printf "%.2f", a - b }')
  done
}
docs_all() {
  sqlite3 "$1" "SELECT id, uri, version, hash, title, author, outlet, published,
    (SELECT group_concat(key || '=' || value, ';') FROM (SELECT key, value FROM json_each(meta) ORDER BY key))
    FROM documents ORDER BY id" | md5sum
}

# ingest -j 1 and -j J: the workers read, prepare and hash, one writer
for n in 1 "$j"; do
  before="rm -f i$n.db i$n.db-wal i$n.db-shm"
  timed ingest$n "$lector" recipe ingest -j "$n" --db i$n.db --quiet docs.jsonl
  before=""
  if [ "$n" = 1 ]; then ingest_wall=$best ingest_cpu=$cpu; else ingest_wallj=$best ingest_pcpuj=$pcpu ingest_cpuj=$cpu; fi
  say "ingest -j $n: best $best s wall of $rounds, $cpu s CPU (the writer $pcpu s, the workers $wcpu s), $(mbs "$bytes" "$best") MB/s, $(div "$ndocs" "$best") docs/s"
done
say "ingest -j $j / -j 1: $(div "$ingest_wall" "$ingest_wallj")x wall; the writer's CPU $ingest_pcpuj s against $ingest_cpu s for one process"
if [ "$(docs_all i1.db)" = "$(docs_all i$j.db)" ]; then say "ingest -j $j documents: identical to -j 1"; else say "ingest -j $j documents DIFFER from -j 1"; fi
cp i1.db base.db

# stats and entities -j 1 and -j J: workers read their shares of the file
for what in stats entities; do
  w1=""
  for n in 1 "$j"; do
    if [ "$what" = stats ]; then
      timed $what$n "$lector" recipe stats -j "$n" docs.jsonl
    else
      timed $what$n "$lector" recipe entities -j "$n" --gazetteer "$G" docs.jsonl
    fi
    [ "$n" = 1 ] && w1=$best
    say "$what -j $n: best $best s wall of $rounds, $cpu s CPU (this process $pcpu s, the workers $wcpu s)"
  done
  say "$what -j $j / -j 1: $(div "$w1" "$best")x wall"
  if cmp -s "$what$j.out" "${what}1.out"; then say "$what -j $j output: identical to -j 1"; else say "$what -j $j output DIFFERS from -j 1"; fi
done

best1="" bestj="" cpu1="" cpuj="" parent_cpu="" worker_cpu="" worker_rss="" floor1="" floorj=""
for r in $(seq 1 "$rounds"); do
  for n in 1 "$j"; do
    cp base.db t$n.db
    rm -f workers.time
    t0=$(now)
    LECTOR_BIN="$work/worker.sh" /usr/bin/time -f '%U %S' -o tag.time \
      "$lector" recipe tag -j "$n" --db t$n.db --gazetteer "$G" --patterns "$PT" >tag$n.out
    t1=$(now)
    w=$(secs "$t0" "$t1")
    cpu=$(awk '{ print $1 + $2 }' tag.time)
    if [ "$n" = 1 ]; then
      best1=$(min "$best1" "$w"); cpu1=$cpu
      floor1=$(min "$floor1" "$cpu")
    else
      bestj=$(min "$bestj" "$w"); cpuj=$cpu
      worker_cpu=$(awk '{ s += $1 + $2 } END { printf "%.2f", s }' workers.time)
      worker_rss=$(awk '{ printf "%s%d", (NR > 1 ? "/" : ""), $3 / 1024 }' workers.time)
      parent_cpu=$(awk -v a="$cpu" -v b="$worker_cpu" 'BEGIN { printf "%.2f", a - b }')
      # On idle cores -j J takes at least its CPU time over J cores. (The
      # writer's own time is no floor: it tags only while no answer
      # waits, so its share of the tagging shrinks as its storing grows.)
      floorj=$(min "$floorj" "$(awk -v c="$cpu" -v j="$j" -v n="$(nproc)" \
        'BEGIN { k = (j < n ? j : n); printf "%.2f", c / k }')")
    fi
  done
done
say "tag -j 1: best $best1 s wall of $rounds, $cpu1 s CPU, $(mbs "$bytes" "$best1") MB/s: $(cat tag1.out)"
say "tag -j $j: best $bestj s wall of $rounds, $cpuj s CPU ($parent_cpu s the writer, which tags too, $worker_cpu s the $((j - 1)) worker(s), peak RSS $worker_rss MB each), $(mbs "$bytes" "$bestj") MB/s"
say "tag -j $j / -j 1: $(div "$best1" "$bestj")x (target 1.7x)"
say "tag -j $j / -j 1 from the CPU times (idle cores: -j 1's least CPU over -j $j's least CPU / min($j, cores)): $floor1 s / $floorj s = $(div "$floor1" "$floorj")x"
if [ "$(rows t1.db)" = "$(rows t$j.db)" ] && [ "$("$lector" recipe report --db t1.db)" = "$("$lector" recipe report --db t$j.db)" ]; then
  say "tag -j $j rows and report: identical to -j 1"
else
  say "tag -j $j rows or report DIFFER from -j 1"
fi
# The whole job and what limits it: the one writer's share (the rows of
# ingest -j J, whose writer does little else, and tag's storing, the
# SQLite and JSON parts of LECTOR_PROFILE=1 over tag -j 1) against the
# job's CPU time over J cores.
cp base.db tp.db
store_tag=$(LECTOR_PROFILE=1 "$lector" recipe tag --db tp.db --gazetteer "$G" --patterns "$PT" 2>&1 >/dev/null |
  awk '$1 ~ /^sqlite[.]/ || $1 == "json" { s += $2 } END { printf "%.2f", s }')
job1=$(awk -v a="$ingest_wall" -v b="$best1" 'BEGIN { printf "%.2f", a + b }')
jobj=$(awk -v a="$ingest_wallj" -v b="$bestj" 'BEGIN { printf "%.2f", a + b }')
job_cpu=$(awk -v a="$ingest_cpuj" -v b="$cpuj" 'BEGIN { printf "%.2f", a + b }')
job_store=$(awk -v a="$ingest_pcpuj" -v b="$store_tag" 'BEGIN { printf "%.2f", a + b }')
job_cores=$(awk -v c="$job_cpu" -v j="$j" -v n="$(nproc)" 'BEGIN { k = (j < n ? j : n); printf "%.2f", c / k }')
say "ingest -j $j + tag -j $j end to end: $jobj s ($(mbs "$bytes" "$jobj") MB/s; -j 1: $job1 s), $job_cpu s CPU"
say "what limits the job: the store takes its rows in $job_store s of one core (ingest -j $j's writer $ingest_pcpuj s, tag's storing $store_tag s); its CPU over $j cores: $job_cores s; the rest ($(awk -v w="$jobj" -v a="$job_store" -v b="$job_cores" 'BEGIN { printf "%.2f", w - (a > b ? a : b) }') s) is the cores waiting on the one writer during ingest (its full-text index), processes starting, and other load"

# ---- 3. one streaming worker; GNU parallel; Dask -------------------------
t0=$(now)
/usr/bin/time -f '%U %S %M' -o stream.time "$lector" recipe tag --stream --gazetteer "$G" --patterns "$PT" \
  < docs.jsonl > tagged.jsonl
t1=$(now)
w=$(secs "$t0" "$t1")
say "tag --stream, one process: $w s wall, $(awk '{ printf "%.2f s CPU, %d MB peak", $1 + $2, $3 / 1024 }' stream.time), $(mbs "$bytes" "$w") MB/s of text per worker ($(awk -v b="$bytes" '{ printf "%.1f", b / 1e6 / ($1 + $2) }' stream.time) MB per CPU second)"
rm -f loaded.db loaded.db-wal loaded.db-shm
t0=$(now)
/usr/bin/time -f '%U %S %M' -o load.time "$lector" recipe ingest --db loaded.db --quiet tagged.jsonl
t1=$(now)
w=$(secs "$t0" "$t1")
say "ingest of the tagged JSON lines (the one writer of Dask and GNU parallel jobs): $w s wall, $(awk '{ printf "%.2f s CPU", $1 + $2 }' load.time), $(mbs "$bytes" "$w") MB/s ($(awk -v b="$bytes" '{ printf "%.1f", b / 1e6 / ($1 + $2) }' load.time) MB per CPU second)"
if [ "$(rows loaded.db)" = "$(rows t1.db)" ]; then say "stream + ingest rows: identical to tag -j 1"; else say "stream + ingest rows DIFFER from tag -j 1"; fi
# the same with -j J: workers read and check the lines, the writer stores
before="rm -f loadedj.db loadedj.db-wal loadedj.db-shm"
timed loadj "$lector" recipe ingest -j "$j" --db loadedj.db --quiet tagged.jsonl
before=""
say "ingest -j $j of the tagged JSON lines: best $best s wall of $rounds, $cpu s CPU (the writer $pcpu s, the workers $wcpu s), $(mbs "$bytes" "$best") MB/s"
if [ "$(rows loadedj.db)" = "$(rows t1.db)" ]; then say "stream + ingest -j $j rows: identical to tag -j 1"; else say "stream + ingest -j $j rows DIFFER from tag -j 1"; fi
if command -v parallel >/dev/null 2>&1; then
  t0=$(now)
  parallel --will-cite --pipe --block 10M -j "$j" "$lector" recipe tag --stream --no-text \
    --gazetteer "$G" --patterns "$PT" < docs.jsonl > gp.jsonl
  t1=$(now)
  w=$(secs "$t0" "$t1")
  say "parallel --pipe --block 10M -j $j tag --stream: $w s wall, $(mbs "$bytes" "$w") MB/s, $(wc -l < gp.jsonl | tr -d ' ') lines"
fi
if [ -x "$py" ] && "$py" -c 'import distributed' 2>/dev/null; then
  rm -f dask.db dask.db-wal dask.db-shm
  t0=$(now)
  LECTOR_BIN="$lector" "$py" "$root/examples/dask_tag.py" --workers "$j" --blocksize 10MB \
    --gazetteer "$G" --patterns "$PT" --db dask.db docs.jsonl 2>dask.err
  t1=$(now)
  w=$(secs "$t0" "$t1")
  say "dask_tag.py, LocalCluster of $j workers, into one store: $w s wall (cluster start included), $(mbs "$bytes" "$w") MB/s; $(tail -n 1 dask.err)"
  if [ "$(rows dask.db)" = "$(rows t1.db)" ]; then say "dask rows: identical to tag -j 1"; else say "dask rows DIFFER from tag -j 1"; fi
fi

# ---- 4. memory over BIG_MB of JSON lines ---------------------------------
if [ "$big_mb" -gt 0 ] && command -v parallel >/dev/null 2>&1; then
  big=big.jsonl
  want=$((big_mb * 1000000))
  if [ ! -s "$big" ] || [ "$(wc -c < "$big")" -lt "$want" ]; then
    : > "$big"
    while [ "$(wc -c < "$big")" -lt "$want" ]; do cat docs.jsonl >> "$big"; done
  fi
  size=$(wc -c < "$big" | tr -d ' ')
  rm -f big.time
  cat > bigworker.sh <<EOF
#!/bin/sh
exec /usr/bin/time -a -o "$work/big.time" -f '%M' "$lector" "\$@"
EOF
  chmod +x bigworker.sh
  t0=$(now)
  parallel --will-cite --pipe --block 10M -j "$j" "$work/bigworker.sh" recipe tag --stream --no-text \
    --gazetteer "$G" --patterns "$PT" < "$big" | wc -l > big.lines
  t1=$(now)
  w=$(secs "$t0" "$t1")
  say "memory: $size bytes of JSON lines, parallel --pipe --block 10M -j $j tag --stream: $w s, $(mbs "$size" "$w") MB/s, $(cat big.lines) documents; $(wc -l < big.time | tr -d ' ') worker processes (one per 10 MB block), peak RSS max $(sort -n big.time | tail -n 1 | awk '{ printf "%d", $1 / 1024 }') MB, median $(sort -n big.time | awk '{ a[NR] = $1 } END { printf "%d", a[int((NR + 1) / 2)] / 1024 }') MB"
  # One process over the whole file: its memory must stay flat as well.
  t0=$(now)
  /usr/bin/time -f '%M' -o one.time "$lector" recipe tag --stream --no-text --gazetteer "$G" --patterns "$PT" \
    < "$big" | wc -l > /dev/null
  t1=$(now)
  say "memory: the same file through one tag --stream process: $(secs "$t0" "$t1") s, peak RSS $(awk '{ printf "%d", $1 / 1024 }' one.time) MB"
fi
