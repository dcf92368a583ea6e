/* sentence.c: each rule on text the repository carries (the seed corpus
 * test is tests/spec/sentence_spec.lua). */
#include "check.h"
#include "lector.h"

#include <stdlib.h>
#include <string.h>

static lector_intern *in;
static lector_tokenizer *tk;
static char buf[4096];

/* The sentences of s, each as its source text, joined by " || ". */
static const char *split(const char *s)
{
    lector_tokens toks;
    lector_tokens_init(&toks);
    size_t n = strlen(s), count = 0;
    lector_sentence *v = NULL;
    if (lector_tokenize(tk, s, n, 0, &toks) ||
        lector_sentences(tk, s, n, &toks, &v, &count)) {
        lector_tokens_release(&toks);
        return "(error)";
    }
    size_t o = 0;
    for (size_t i = 0; i < count; i++) {
        uint32_t a = toks.tok[v[i].first].start, b = toks.tok[v[i].last].end;
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%.*s",
                              i ? " || " : "", (int)(b - a), s + a);
    }
    buf[o] = '\0';
    lector_free(v);
    lector_tokens_release(&toks);
    return buf;
}

/* Whether lector_sentences refuses toks, the tokens of (w, wn), with
 * any one of them made not to fit: past the text, or backwards. */
static int refuses_bad_tokens(const char *w, size_t wn, lector_tokens *toks)
{
    int all = 1;
    for (size_t k = 0; k < toks->n; k++)
        for (int how = 0; how < 2; how++) {
            lector_token keep = toks->tok[k];
            if (how)
                toks->tok[k].start = toks->tok[k].end + 1; /* backwards */
            else
                toks->tok[k].end = (uint32_t)wn + 1; /* past the text */
            lector_sentence *v = (lector_sentence *)1;
            size_t count = 9;
            all &= lector_sentences(tk, w, wn, toks, &v, &count) ==
                       LECTOR_EINVAL &&
                   v == NULL && count == 0;
            toks->tok[k] = keep;
        }
    return all;
}

int main(void)
{
    in = lector_intern_new();
    tk = lector_tokenizer_new(in);
    CHECK_STR("sentence-1.1 plain", split("One two. Three four! Five? Six"),
              "One two. || Three four! || Five? || Six");
    CHECK_STR("sentence-1.2 U.S. trained",
              split("About 150 U.S. trained Arab fighters will go. Then more."),
              "About 150 U.S. trained Arab fighters will go. || Then more.");
    CHECK_STR("sentence-1.3 titles",
              split("Mr. Smith met Gen. Jones and Dr. Who."),
              "Mr. Smith met Gen. Jones and Dr. Who.");
    CHECK_STR("sentence-1.4 month", split("On Feb. 6 they met. It rained."),
              "On Feb. 6 they met. || It rained.");
    CHECK_STR("sentence-1.5 closing quote",
              split("He said “it is over.” Then he left."),
              "He said “it is over.” || Then he left.");
    CHECK_STR("sentence-1.6 quote then lower",
              split("“Why?” he asked. “Because.”"),
              "“Why?” he asked. || “Because.”");
    CHECK_STR("sentence-1.7 bracket", split("(It ended.) Next one."),
              "(It ended.) || Next one.");
    CHECK_STR("sentence-1.8 ellipsis lower",
              split("He explains it\n\n….this is new. Yes."),
              "He explains it || ….this is new. || Yes.");
    CHECK_STR("sentence-1.9 ellipsis mid", split("Wait... what? No."),
              "Wait... what? || No.");
    CHECK_STR("sentence-1.10 numbered points",
              split("consequences:\n\n(1) Already done.\n\n(2) It enhances."),
              "consequences: || (1) Already done. || (2) It enhances.");
    CHECK_STR("sentence-1.11 list number", split("1. First point. 2. Second."),
              "1. First point. || 2. Second.");
    CHECK_STR("sentence-1.12 headline lines",
              split("Syrian Army on Brink\nBy Alexander Mercouris\n"
                    "SIGN UP FOR OUR NEWSLETTER\nThe city fell."),
              "Syrian Army on Brink || By Alexander Mercouris || "
              "SIGN UP FOR OUR NEWSLETTER || The city fell.");
    CHECK_STR("sentence-1.13 wrapped line continues",
              split("The army advanced from the south and the east\nslowly "
                    "into town. It held."),
              "The army advanced from the south and the east\nslowly into "
              "town. || It held.");
    CHECK_STR("sentence-1.14 short line before lower case",
              split("Notify of\nguest\n0 Comments"),
              "Notify of || guest || 0 Comments");
    CHECK_STR("sentence-1.14b etc. may end",
              split("Guns, tanks, etc. The rest."),
              "Guns, tanks, etc. || The rest.");
    CHECK_STR("sentence-1.15 etc. mid", split("guns, etc. and more."),
              "guns, etc. and more.");
    CHECK_STR("sentence-1.16 initials", split("George W. Bush spoke. Done."),
              "George W. Bush spoke. || Done.");
    CHECK_STR("sentence-1.17 numbers",
              split("It cost 3.5 million. Then 5,000 more."),
              "It cost 3.5 million. || Then 5,000 more.");
    CHECK_STR("sentence-1.18 url", split("See http://x.org/a.b. Then go."),
              "See http://x.org/a.b. || Then go.");
    CHECK_STR("sentence-1.19 paragraph always ends",
              split("no final punctuation\n\nnext paragraph"),
              "no final punctuation || next paragraph");
    /* however long its last line, a paragraph ends its sentence, even
     * before a lower-case word */
    CHECK_STR("sentence-1.19b long paragraph line, then lower case",
              split("the army advanced from the south and the east without "
                    "a pause\n\nnext paragraph starts here"),
              "the army advanced from the south and the east without a "
              "pause || next paragraph starts here");
    CHECK_STR("sentence-1.20 ?!", split("Really?! Yes."), "Really?! || Yes.");
    /* an abbreviation's period with a closing quote, then a capital, ends
     * the sentence; before a lower-case word it does not */
    CHECK_STR("sentence-1.21 abbreviation and closing quote",
              split("He moved to the U.S.” Then he left."),
              "He moved to the U.S.” || Then he left.");
    CHECK_STR("sentence-1.22 abbreviation, quote, lower case",
              split("“In the U.S.” he said, “no.”"),
              "“In the U.S.” he said, “no.”");
    /* company and name suffixes may end a sentence before a capital */
    CHECK_STR("sentence-1.23 Inc. Ltd. Co. Jr.",
              split("She sold it to Acme Inc. Then she joined Foo Ltd. "
                    "Then Bar Co. Later she met Smith Jr. Then more."),
              "She sold it to Acme Inc. || Then she joined Foo Ltd. || "
              "Then Bar Co. || Later she met Smith Jr. || Then more.");
    CHECK_STR("sentence-1.24 Inc. Ltd. before lower case",
              split("Shares of Acme Inc. rose and Foo Ltd. fell."),
              "Shares of Acme Inc. rose and Foo Ltd. fell.");
    CHECK_STR("sentence-1.25 a title before a capital does not end",
              split("They met Gen. Jones. Then Mr. Smith."),
              "They met Gen. Jones. || Then Mr. Smith.");

    lector_tokens toks;
    lector_tokens_init(&toks);
    lector_sentence *v = (lector_sentence *)1;
    size_t count = 9;
    CHECK_INT("sentence-2.1 empty",
              lector_sentences(tk, "", 0, &toks, &v, &count), 0);
    CHECK_INT("sentence-2.2 none", count, 0);
    CHECK("sentence-2.3 null out", v == NULL);
    lector_tokenize(tk, "a b. c", 6, 0, &toks);
    CHECK_INT("sentence-2.4 tokens past text",
              lector_sentences(tk, "a b", 3, &toks, &v, &count), LECTOR_EINVAL);
    /* A token that does not fit, wherever it stands (the skip over
     * tokens that end nothing takes several at a time). */
    const char *w = "one two three four five six seven eight nine ten eleven";
    size_t wn = strlen(w);
    lector_tokenize(tk, w, wn, 0, &toks);
    CHECK("sentence-2.4b a bad token anywhere is refused",
          toks.n == 11 && refuses_bad_tokens(w, wn, &toks));
    CHECK_INT("sentence-2.4c the same tokens intact",
              lector_sentences(tk, w, wn, &toks, &v, &count), LECTOR_OK);
    CHECK_INT("sentence-2.4d one sentence", count, 1);
    lector_free(v);
    /* The same over 200 tokens: the skip tests tokens in runs of 64,
     * eight or four at a time. */
    char lw[1200];
    size_t ln = 0;
    for (int k = 0; k < 100; k++)
        ln += (size_t)snprintf(lw + ln, sizeof lw - ln, "W%d%s", k,
                               k % 7 == 6 ? ". " : ", ");
    lector_tokenize(tk, lw, ln, 0, &toks);
    int seven = lector_sentences(tk, lw, ln, &toks, &v, &count) == LECTOR_OK &&
                count == 15;
    lector_free(v);
    CHECK("sentence-2.4e 200 tokens: a sentence per seven words, and a bad "
          "token anywhere refused",
          toks.n == 200 && seven && refuses_bad_tokens(lw, ln, &toks));
    /* A sentence end whose glued punctuation and quotes run over the
     * 64-token runs of the skip, wherever the run ends. */
    int across = 1;
    for (int pad = 56; pad <= 68; pad++) {
        char t[600];
        size_t o = 0;
        for (int k = 0; k < pad; k++)
            o += (size_t)snprintf(t + o, sizeof t - o, "w ");
        snprintf(t + o, sizeof t - o, "end?!\u201d) Next one.");
        const char *got = split(t);
        const char *cut = strstr(got, " || ");
        across &= cut && !strcmp(cut, " || Next one.") &&
                  !strncmp(cut - 9, "end?!\u201d)", 9);
    }
    CHECK("sentence-2.4h glued punctuation across the skip's runs", across);
    /* partition: consecutive, covering */
    const char *s = "A. B! C? D\nE\n\nF “G.” H (1) I.";
    lector_tokenize(tk, s, strlen(s), 0, &toks);
    lector_sentences(tk, s, strlen(s), &toks, &v, &count);
    int part = count > 0 && v[0].first == 0 && v[count - 1].last == toks.n - 1;
    for (size_t i = 1; i < count; i++)
        part &= v[i].first == v[i - 1].last + 1;
    CHECK("sentence-2.5 partition", part);
    lector_free(v);
    lector_tokens_release(&toks);
    lector_tokenizer_free(tk);
    lector_intern_free(in);
    return check_done();
}
