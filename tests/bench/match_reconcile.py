"""Reconciles lector's gazetteer matches with a peer's on the same text
(bench_match.sh): both dumps hold leftmost-longest matches as "START END"
byte offsets into TEXT. Prints the spans both found, and those only one
found, sorted into named causes, each with its count and its most frequent
texts:

lector only (the peer could not fold the text to a name, lector could):
  case beyond ASCII     the text lower-cased is a name lower-cased
                        (Hyperscan's caseless mode folds ASCII only)
  full case folding     the same under str.casefold (ß = ss, ...)
  diacritics            the same with accents removed (lector folds them)
  NFKC                  the same after NFKC (ligatures, full-width forms)
  hyphens/apostrophes/line breaks
                        the same with hyphens as spaces, ’ as ', and white
                        space runs (line breaks) as one space
  boundaries/selection  the peer folds the text to a name too: its match
                        there lost to an overlapping one, or a word
                        boundary rule differs
peer only:
  beside a lector-only match
                        overlaps a match only lector found (a longer name
                        lector folded; the peer took a shorter one there)
  not a lector token span
                        starts or ends inside a lector token, or is an
                        alias lector skipped or splits otherwise (clitics,
                        abbreviations kept whole)

Usage: /usr/bin/python3 match_reconcile.py TEXT NAMES LECTOR_DUMP PEER_DUMP PEER_NAME"""
import collections
import re
import sys
import unicodedata

text_path, names_path, lector_path, peer_path, peer = sys.argv[1:6]
with open(text_path, "rb") as f:
    data = f.read()
with open(names_path, encoding="utf-8") as f:
    names = [line.rstrip("\n") for line in f if line.strip()]


def spans(path):
    """The distinct spans of a dump (lector gives one match per entity of
    an alias that several entities share, as homonymous cities: one span)
    and the number of its lines."""
    with open(path) as f:
        lines = [tuple(map(int, line.split())) for line in f if line.strip()]
    return set(lines), len(lines)


def ascii_lower(s):
    return s.translate(ASCII_LOWER)


ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def no_accents(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def loose(s):
    s = re.sub(r"[-\u2010\u2011\u2012\u2013\u2014]", " ", s).replace("\u2019", "'")
    return " ".join(s.split())


def full(s):
    return loose(no_accents(unicodedata.normalize("NFKC", s).casefold()))


# each fold, from the peer's own to lector's, as a set of folded names
peer_fold = ascii_lower if peer == "Hyperscan" else str.lower
folds = [
    ("boundaries/selection", peer_fold),
    ("case beyond ASCII", str.lower),
    ("full case folding", str.casefold),
    ("diacritics", lambda s: no_accents(s.casefold())),
    ("NFKC", lambda s: no_accents(unicodedata.normalize("NFKC", s).casefold())),
    ("hyphens/apostrophes/line breaks", full),
]
folded = [(name, fn, {fn(n) for n in names}) for name, fn in folds]

(lec, lec_lines), (other, _) = spans(lector_path), spans(peer_path)
both = lec & other
only_l, only_p = sorted(lec - other), sorted(other - lec)


def text_of(s, e):
    return data[s:e].decode("utf-8", "replace")


causes = collections.OrderedDict((name, collections.Counter()) for name, _ in folds)
causes["other"] = collections.Counter()
for s, e in only_l:
    t = text_of(s, e)
    for name, fn, names_set in folded:
        if fn(t) in names_set:
            causes[name][t] += 1
            break
    else:
        causes["other"][t] += 1

# peer-only spans next to a lector-only one (sorted lists: a sweep)
beside, alone = collections.Counter(), collections.Counter()
j = 0
for s, e in only_p:
    while j < len(only_l) and only_l[j][1] <= s:
        j += 1
    if j < len(only_l) and only_l[j][0] < e:
        beside[text_of(s, e)] += 1
    else:
        alone[text_of(s, e)] += 1


def show(label, counter):
    n = sum(counter.values())
    if not n:
        return
    top = ", ".join("%r %d" % (t.replace("\n", " "), c) for t, c in counter.most_common(5))
    print("    %-34s %8d   e.g. %s" % (label, n, top))


print("spans: lector %d (%d matches), %s %d: both %d; lector only %d; %s only %d" % (
    len(lec), lec_lines, peer, len(other), len(both), len(only_l), peer, len(only_p)))
print("  lector only, by cause:")
for name, counter in causes.items():
    show(name, counter)
print("  %s only:" % peer)
show("beside a lector-only match", beside)
show("not a lector token span", alone)
