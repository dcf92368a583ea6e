"""Peer: NLTK's TreebankWordTokenizer (Debian python3-nltk).
Usage: /usr/bin/python3 text_nltk.py CORPUS [MAX_MB]"""
import sys
import time

from nltk.tokenize import TreebankWordTokenizer

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
nbytes = sum(len(d.encode("utf-8")) for d in docs)
tok = TreebankWordTokenizer()
t0 = time.process_time()
n = 0
for d in docs:
    n += len(tok.tokenize(d))
t = time.process_time() - t0
print("%-30s %8.1f MB/s %12.0f tokens/s" % ("NLTK TreebankWordTokenizer", nbytes / t / 1e6, n / t))
