/* Times lector_tokenize (and lector_sentences) over the benchmark corpus
 * from C, without Lua, as a reference for the Lua figures.
 * Usage: text_lector CORPUS [ROUNDS [MODE]]   (MODE: run only that one) */
#define _GNU_SOURCE
#include "lector.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 2) return 2;
    int rounds = argc > 2 ? atoi(argv[2]) : 3;
    FILE *f = fopen(argv[1], "rb");
    if (!f) return 1;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *all = malloc((size_t)size + 1);
    if (!all || fread(all, 1, (size_t)size, f) != (size_t)size) return 1;
    fclose(f);
    all[size] = 0;
    /* documents are separated by "\n\f\n" */
    size_t ndocs = 0, cap = 1024;
    char **doc = malloc(cap * sizeof *doc);
    size_t *len = malloc(cap * sizeof *len);
    char *p = all;
    for (;;) {
        char *q = strstr(p, "\n\f\n");
        if (ndocs == cap) {
            cap *= 2;
            doc = realloc(doc, cap * sizeof *doc);
            len = realloc(len, cap * sizeof *len);
        }
        doc[ndocs] = p;
        len[ndocs++] = q ? (size_t)(q - p) : strlen(p);
        if (!q) break;
        p = q + 3;
    }
    size_t bytes = 0;
    for (size_t i = 0; i < ndocs; i++)
        bytes += len[i];
    lector_tokenizer *tk = lector_tokenizer_default();
    lector_tokens toks;
    lector_tokens_init(&toks);
    static const struct {
        const char *name;
        unsigned opts;
        int sent;
    } modes[] = {
        {"lector C kinds", LECTOR_TOK_NO_NORM, 0},
        {"lector C kinds+norm", 0, 0},
        {"lector C kinds+norm+sentences", 0, 1},
        {"lector C no fast path", LECTOR_TOK_NO_NORM | LECTOR_TOK_NO_FAST, 0}};
    for (size_t m = 0; m < sizeof modes / sizeof *modes; m++) {
        if (argc > 3 && (size_t)atoi(argv[3]) != m) continue;
        double best = 1e9;
        size_t ntok = 0;
        for (int r = 0; r < rounds; r++) {
            double t0 = now();
            ntok = 0;
            for (size_t i = 0; i < ndocs; i++) {
                if (lector_tokenize(tk, doc[i], len[i], modes[m].opts, &toks))
                    return 1;
                ntok += toks.n;
                if (modes[m].sent) {
                    lector_sentence *v;
                    size_t c;
                    if (lector_sentences(tk, doc[i], len[i], &toks, &v, &c))
                        return 1;
                    lector_free(v);
                }
            }
            double t = now() - t0;
            if (t < best) best = t;
        }
        printf("%-28s %8.1f MB/s %12.0f tokens/s\n", modes[m].name,
               bytes / best / 1e6, ntok / best);
    }
    lector_tokens_release(&toks);
    free(doc);
    free(len);
    free(all);
    return 0;
}
