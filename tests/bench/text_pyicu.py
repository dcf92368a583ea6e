"""Peer: PyICU's word BreakIterator (Debian python3-icu, /usr/bin/python3).
Usage: /usr/bin/python3 text_pyicu.py CORPUS [MAX_MB]"""
import time

from text_docs import load_docs

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
print("%-30s %8.1f MB/s %12.0f tokens/s" % ("PyICU word BreakIterator", nbytes / t / 1e6, n / t))
