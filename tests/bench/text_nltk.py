"""Peer: NLTK (Debian python3-nltk), one pass over the corpus in a fresh
process. WHICH: wordpunct (wordpunct_tokenize, NLTK's fast regular
expression tokenizer: the headline NLTK row) or treebank
(TreebankWordTokenizer, Penn Treebank conventions, slower).
Usage: /usr/bin/python3 text_nltk.py CORPUS MAX_MB WHICH"""
import sys
import time

from text_docs import load_docs, row

from nltk.tokenize import TreebankWordTokenizer, wordpunct_tokenize

docs, nbytes = load_docs()
which = sys.argv[3] if len(sys.argv) > 3 else "wordpunct"
tok = wordpunct_tokenize if which == "wordpunct" else TreebankWordTokenizer().tokenize
t0 = time.process_time()
n = 0
for d in docs:
    n += len(tok(d))
t = time.process_time() - t0
row("NLTK wordpunct_tokenize" if which == "wordpunct" else "NLTK TreebankWordTokenizer", nbytes, n, t)
