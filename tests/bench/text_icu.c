/* Peer: ICU4C's word BreakIterator (rule status as the kind) or sentence
 * BreakIterator over each document, read as UTF-8 through UText; a first
 * pass in a fresh process (cold) and a second (warm), as for lector.
 * Prints NAME BYTES COUNT UNIT COLD_SECONDS WARM_SECONDS, tab-separated.
 * Usage: text_icu CORPUS word|sentence */
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
    if (argc < 3 || docs_load(&d, argv[1])) {
        fprintf(stderr, "usage: text_icu CORPUS word|sentence\n");
        return 2;
    }
    int word = strcmp(argv[2], "sentence") != 0;
    UBreakIteratorType type = word ? UBRK_WORD : UBRK_SENTENCE;
    size_t n;
    double cold = run(&d, type, &n);
    double warm = run(&d, type, &n);
    printf("%s\t%zu\t%zu\t%s\t%.6f\t%.6f\n",
           word ? "ICU4C word BreakIterator" : "ICU4C sentence BreakIterator",
           d.bytes, n, word ? "tokens" : "sentences", cold, warm);
    docs_free(&d);
    return 0;
}
