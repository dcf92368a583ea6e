"""pyahocorasick peer for bench_match.sh, as a careful user writes it: an
automaton of the lower-cased names; the scan lower-cases the text, takes
every hit (A.iter: the iter_long shortcut drops a longer name that starts
inside a shorter one's hit), keeps the hits with a word boundary on both
sides (a character that is not alphanumeric, or the text's ends) and then
selects leftmost-longest, non-overlapping: the matches lector reports. A
fresh process; the first scan is the headline (cold); ROUNDS - 1 more scans
give a warm figure (the fastest). Times are process CPU times.

Prints: build SECONDS scan SECONDS matches N hits H warm SECONDS
(H: hits at word boundaries, overlapping ones included).
With DUMP, writes the selected matches as "START END" byte offsets
(0-based, half-open) into TEXT, untimed.

Usage: /usr/bin/python3 aho_scan.py NAMES TEXT [ROUNDS [DUMP]]"""
import sys
import time

import ahocorasick

names_path, text_path = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 1
dump = sys.argv[4] if len(sys.argv) > 4 else None
with open(names_path, encoding="utf-8") as f:
    names = [line.rstrip("\n") for line in f if line.strip()]
with open(text_path, encoding="utf-8") as f:
    text = f.read()

t0 = time.process_time()
A = ahocorasick.Automaton()
for name in names:
    low = name.lower()
    A.add_word(low, len(low))
A.make_automaton()
t1 = time.process_time()


def scan():
    low = text.lower()
    n = len(low)
    hits = []
    for end, length in A.iter(low):
        start = end - length + 1
        if start > 0 and low[start - 1].isalnum():
            continue
        if end + 1 < n and low[end + 1].isalnum():
            continue
        hits.append((start, -(end + 1)))
    hits.sort()
    chosen, last = [], 0
    for start, neg_end in hits:
        if start >= last:
            chosen.append((start, -neg_end))
            last = -neg_end
    return chosen, len(hits)


times = []
for _ in range(max(rounds, 1)):
    t2 = time.process_time()
    chosen, nhits = scan()
    times.append(time.process_time() - t2)
warm = min(times[1:]) if len(times) > 1 else times[0]
print("build %.3f scan %.3f matches %d hits %d warm %.3f" % (t1 - t0, times[0], len(chosen), nhits, warm))

if dump:
    # character offsets of the lower-cased text to byte offsets of the
    # text (lower() keeps the length but for a few letters, such as İ)
    low_len = len(text.lower())
    back = None
    if low_len != len(text):
        back = [i for i, c in enumerate(text) for _ in c.lower()] + [len(text)]
    with open(dump, "w") as out:
        pos, byte = 0, 0
        for start, end in chosen:
            if back:
                start, end = back[start], back[end]
            byte += len(text[pos:start].encode("utf-8"))
            b_end = byte + len(text[start:end].encode("utf-8"))
            out.write("%d %d\n" % (byte, b_end))
            pos, byte = end, b_end
