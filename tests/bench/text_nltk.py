"""Peer: NLTK's TreebankWordTokenizer (Debian python3-nltk).
Usage: /usr/bin/python3 text_nltk.py CORPUS [MAX_MB]"""
import time

from text_docs import load_docs

from nltk.tokenize import TreebankWordTokenizer

docs, nbytes = load_docs()
tok = TreebankWordTokenizer()
t0 = time.process_time()
n = 0
for d in docs:
    n += len(tok.tokenize(d))
t = time.process_time() - t0
print("%-30s %8.1f MB/s %12.0f tokens/s" % ("NLTK TreebankWordTokenizer", nbytes / t / 1e6, n / t))
