/* Peer: ICU4C's word BreakIterator (rule status as the kind) and sentence
 * BreakIterator over each document, read as UTF-8 through UText.
 * Usage: text_icu CORPUS [ROUNDS] */
#include "text_docs.h"

#include <unicode/ubrk.h>
#include <unicode/utext.h>

static double run(docs_t *d, UBreakIteratorType type, size_t *count)
{
    UErrorCode st = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(type, "en_US", NULL, 0, &st);
    if (U_FAILURE(st)) {
        fprintf(stderr, "ubrk_open: %s\n", u_errorName(st));
        exit(1);
    }
    UText *ut = NULL;
    double t0 = cpu_now();
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++) {
        ut = utext_openUTF8(ut, d->doc[i], (int64_t)d->len[i], &st);
        ubrk_setUText(bi, ut, &st);
        if (U_FAILURE(st)) exit(1);
        ubrk_first(bi);
        while (ubrk_next(bi) != UBRK_DONE) {
            if (type == UBRK_SENTENCE ||
                ubrk_getRuleStatus(bi) != UBRK_WORD_NONE)
                n++;
        }
    }
    double t = cpu_now() - t0;
    utext_close(ut);
    ubrk_close(bi);
    *count = n;
    return t;
}

int main(int argc, char **argv)
{
    docs_t d;
    if (argc < 2 || docs_load(&d, argv[1])) return 1;
    int rounds = argc > 2 ? atoi(argv[2]) : 3;
    double bw = 1e9, bs = 1e9;
    size_t words = 0, sents = 0;
    for (int r = 0; r < rounds; r++) {
        double t = run(&d, UBRK_WORD, &words);
        if (t < bw) bw = t;
        t = run(&d, UBRK_SENTENCE, &sents);
        if (t < bs) bs = t;
    }
    report("ICU4C word BreakIterator", d.bytes, bw, words);
    report("ICU4C sentence BreakIterator", d.bytes, bs, sents);
    docs_free(&d);
    return 0;
}
