"""The bench corpus for the Python peers, as text_docs.h is for the C ones:
documents split at "\\n\\f\\n", at most MAX_MB megabytes of them when given."""
import sys


def load_docs():
    """Returns (docs, nbytes) for sys.argv[1] and the optional sys.argv[2]."""
    data = open(sys.argv[1], encoding="utf-8").read()
    docs = data.split("\n\f\n")
    if len(sys.argv) > 2:
        limit, keep, size = float(sys.argv[2]) * 1e6, [], 0
        for d in docs:
            if size >= limit:
                break
            keep.append(d)
            size += len(d.encode("utf-8"))
        docs = keep
    return docs, sum(len(d.encode("utf-8")) for d in docs)
