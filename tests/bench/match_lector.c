/* Times lector_gazetteer_match alone from C over the bench corpus: each
 * document is tokenized untimed, then matched under the process CPU clock
 * (CPU time, so other jobs on a shared machine inflate it less). The Lua
 * figure of bench_match.lua adds the binding; this one is the floor under
 * it. Prints the compile (or load) time first. ROUNDS 0: compile only;
 * MAXDOCS: the first documents only (for callgrind). No warm-up.
 * Usage: match_lector GAZ(.tsv|.lgz) CORPUS [ROUNDS [MAXDOCS]] */
#define _GNU_SOURCE
#include "lector.h"
#include "text_docs.h"

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: match_lector GAZ CORPUS [ROUNDS [MAXDOCS]]\n");
        return 2;
    }
    int rounds = argc > 3 ? atoi(argv[3]) : 3;
    lector_tokenizer *tk = lector_tokenizer_default();
    lector_gazetteer *g =
        tk ? lector_gazetteer_new(tk, lector_tokenizer_intern(tk), 0) : NULL;
    if (!g) {
        fprintf(stderr, "match_lector: out of memory\n");
        return 1;
    }
    size_t an = strlen(argv[1]);
    int lgz = an > 4 && strcmp(argv[1] + an - 4, ".lgz") == 0;
    double c0 = cpu_now();
    int rc = lgz ? lector_gazetteer_open(g, argv[1])
                 : lector_gazetteer_load(g, argv[1], LECTOR_GAZ_SKIP_BAD, NULL);
    double c1 = cpu_now();
    if (rc != LECTOR_OK) {
        fprintf(stderr, "match_lector: %s\n", lector_gazetteer_errmsg(g));
        return 1;
    }
    printf("%s %.3f s (cpu)  %.1f MB\n", lgz ? "open" : "compile", c1 - c0,
           (double)lector_gazetteer_memory(g) / 1e6);
    if (rounds <= 0) return 0;
    docs_t d;
    if (docs_load(&d, argv[2]) < 0) {
        fprintf(stderr, "match_lector: cannot read %s\n", argv[2]);
        return 1;
    }
    if (argc > 4 && (size_t)atol(argv[4]) < d.n) {
        d.n = (size_t)atol(argv[4]);
        d.bytes = 0;
        for (size_t i = 0; i < d.n; i++)
            d.bytes += d.len[i];
    }
    lector_tokens t;
    lector_gazetteer_matches m;
    lector_tokens_init(&t);
    lector_gazetteer_matches_init(&m);
    /* No warm-up: the first round is the first sight of the corpus (its
     * tokenizing is not timed; the match pass is much the same either way). */
    double best = 1e30, first = 0;
    size_t ntok = 0, nmatch = 0;
    for (int r = 0; r < rounds; r++) {
        double secs = 0;
        ntok = nmatch = 0;
        for (size_t i = 0; i < d.n; i++) {
            if (lector_tokenize(tk, d.doc[i], d.len[i], 0, &t) != LECTOR_OK)
                t.n = 0; /* invalid UTF-8: nothing to match */
            double t0 = cpu_now();
            rc = lector_gazetteer_match(g, d.doc[i], d.len[i], &t, 0, &m);
            secs += cpu_now() - t0;
            if (rc != LECTOR_OK) {
                fprintf(stderr, "match_lector: %s\n", lector_strerror(rc));
                return 1;
            }
            ntok += t.n;
            nmatch += m.n;
        }
        if (secs < best) best = secs;
        if (r == 0) first = secs;
    }
    printf("match alone (C, cpu, first round %.3f s, best of %d) %.3f s  %.1f "
           "MB/s  %.1f ns/token"
           "  tokens %zu  matches %zu\n",
           first, rounds, best, (double)d.bytes / best / 1e6,
           best * 1e9 / (double)ntok, ntok, nmatch);
    lector_gazetteer_matches_release(&m);
    lector_tokens_release(&t);
    lector_gazetteer_free(g);
    docs_free(&d);
    return 0;
}
