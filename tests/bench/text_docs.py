"""The bench corpus for the Python peers, as text_docs.h is for the C ones:
documents split at "\\n\\f\\n", at most MAX_MB megabytes of them when given;
and the row every driver of bench_text.sh prints."""
import sys


def load_docs():
    """Returns (docs, nbytes) for sys.argv[1] and the optional sys.argv[2]
    (MAX_MB; 0 or absent: all)."""
    data = open(sys.argv[1], encoding="utf-8").read()
    docs = data.split("\n\f\n")
    if len(sys.argv) > 2 and float(sys.argv[2]) > 0:
        limit, keep, size = float(sys.argv[2]) * 1e6, [], 0
        for d in docs:
            if size >= limit:
                break
            keep.append(d)
            size += len(d.encode("utf-8"))
        docs = keep
    return docs, sum(len(d.encode("utf-8")) for d in docs)


def row(name, nbytes, count, cold, warm=None, unit="tokens"):
    """NAME BYTES COUNT UNIT COLD_SECONDS WARM_SECONDS, tab-separated: the
    first pass in this fresh process, and a second when there was one."""
    print("%s\t%d\t%d\t%s\t%.6f\t%s" % (name, nbytes, count, unit, cold,
                                         "-" if warm is None else "%.6f" % warm))
