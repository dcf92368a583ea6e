"""pyahocorasick peer for bench_match.sh: builds an automaton of the
lower-cased names and scans the lower-cased text leftmost-longest
(iter_long), keeping matches with a word boundary on both sides (a
character that is not alphanumeric or the text's ends). The scan runs
ROUNDS times (default 1) and the fastest is reported, as for every tool
in bench_match.sh.

Usage: /usr/bin/python3 aho_scan.py NAMES TEXT [ROUNDS]"""
import sys
import time

import ahocorasick

names_path, text_path = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 1
with open(names_path, encoding="utf-8") as f:
    names = [line.rstrip("\n") for line in f if line.strip()]
with open(text_path, encoding="utf-8") as f:
    text = f.read()

t0 = time.perf_counter()
A = ahocorasick.Automaton()
for n in names:
    A.add_word(n.lower(), len(n))
A.make_automaton()
t1 = time.perf_counter()


def scan():
    low = text.lower()
    count = 0
    n = len(low)
    for end, length in A.iter_long(low):
        start = end - length + 1
        if start > 0 and low[start - 1].isalnum():
            continue
        if end + 1 < n and low[end + 1].isalnum():
            continue
        count += 1
    return count


best = None
for _ in range(rounds):
    t2 = time.perf_counter()
    count = scan()
    t3 = time.perf_counter()
    if best is None or t3 - t2 < best:
        best = t3 - t2
print("build %.3f scan %.3f matches %d" % (t1 - t0, best, count))
