"""Peer: PyICU's word BreakIterator (Debian python3-icu, /usr/bin/python3),
one pass over the corpus in a fresh process.
Usage: /usr/bin/python3 text_pyicu.py CORPUS [MAX_MB]"""
import time

from text_docs import load_docs, row

from icu import BreakIterator, Locale

docs, nbytes = load_docs()
bi = BreakIterator.createWordInstance(Locale.getEnglish())
t0 = time.process_time()
n = 0
for d in docs:
    bi.setText(d)
    for _ in bi:
        if bi.getRuleStatus() != 0:
            n += 1
t = time.process_time() - t0
row("PyICU word BreakIterator", nbytes, n, t)
