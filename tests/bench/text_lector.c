/* Times lector_tokenize (and lector_sentences) over the benchmark corpus
 * from C, without Lua, as a reference for the Lua figures: one MODE in a
 * fresh process, a first pass (cold: no word form seen yet) and a second
 * (warm), as bench_text.lua does. Prints, tab-separated,
 *   NAME BYTES COUNT UNIT COLD_SECONDS WARM_SECONDS
 * Usage: text_lector CORPUS MODE   (MODE: 0 kinds, 1 kinds+norm,
 *        2 kinds+norm+sentences, 3 kinds without the fast path) */
#define _GNU_SOURCE
#include "lector.h"
#include "text_docs.h"

static const struct {
    const char *name;
    unsigned opts;
    int sent;
} modes[] = {
    {"lector C kinds", LECTOR_TOK_NO_NORM, 0},
    {"lector C kinds+norm", 0, 0},
    {"lector C kinds+norm+sentences", 0, 1},
    {"lector C no fast path", LECTOR_TOK_NO_NORM | LECTOR_TOK_NO_FAST, 0}};

/* One pass over every document; returns its CPU seconds, *ntok the tokens. */
static double pass(lector_tokenizer *tk, docs_t *d, size_t m,
                   lector_tokens *toks, size_t *ntok)
{
    double t0 = cpu_now();
    *ntok = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (lector_tokenize(tk, d->doc[i], d->len[i], modes[m].opts, toks))
            exit(1);
        *ntok += toks->n;
        if (modes[m].sent) {
            lector_sentence *v;
            size_t c;
            if (lector_sentences(tk, d->doc[i], d->len[i], toks, &v, &c))
                exit(1);
            lector_free(v);
        }
    }
    return cpu_now() - t0;
}

int main(int argc, char **argv)
{
    docs_t d;
    if (argc < 3 || docs_load(&d, argv[1])) {
        fprintf(stderr, "usage: text_lector CORPUS MODE\n");
        return 2;
    }
    size_t m = (size_t)atoi(argv[2]);
    if (m >= sizeof modes / sizeof *modes) return 2;
    lector_tokenizer *tk = lector_tokenizer_default();
    lector_tokens toks;
    lector_tokens_init(&toks);
    size_t ntok;
    double cold = pass(tk, &d, m, &toks, &ntok);
    double warm = pass(tk, &d, m, &toks, &ntok);
    printf("%s\t%zu\t%zu\ttokens\t%.6f\t%.6f\n", modes[m].name, d.bytes, ntok,
           cold, warm);
    lector_tokens_release(&toks);
    docs_free(&d);
    return 0;
}
