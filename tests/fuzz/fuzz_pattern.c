/* Fuzz target: the pattern compiler and matcher (input: PATTERN 0xFF TEXT).
 * Invariants in inv_match.h; then, for small inputs, the matches and
 * captures must be those of the backtracking VM the matcher replaced
 * (tests/c/pattern_oracle.h), with and without overlaps. */
#include "inv_match.h"

#include "../c/pattern_oracle.h"

/* The oracle is quadratic: compare only where it stays fast. */
enum { DIFF_MAX_TOKENS = 400, DIFF_MAX_INSTS = 400 };

static int diff_pattern_input(const uint8_t *data, size_t size)
{
    size_t pn, tn;
    const uint8_t *text;
    inv_split(data, size, 0xFF, &pn, &text, &tn);
    const char *s = (const char *)text;
    if (!inv_valid(s, tn)) return 1;
    lector_intern *in = lector_intern_new();
    lector_tokenizer *tk = in ? lector_tokenizer_new(in) : NULL;
    lector_gazetteer *g = tk ? inv_small_gazetteer(tk, in) : NULL;
    lector_pattern *p = g ? lector_pattern_new(in, g) : NULL;
    lector_tokens t;
    lector_pattern_matches a, b;
    lector_tokens_init(&t);
    lector_pattern_matches_init(&a);
    lector_pattern_matches_init(&b);
    int ok = 1;
    if (!p || lector_pattern_compile(p, (const char *)data, pn) != LECTOR_OK ||
        p->ncode > DIFF_MAX_INSTS ||
        lector_tokenize(tk, s, tn, 0, &t) != LECTOR_OK || t.n > DIFF_MAX_TOKENS)
        goto done;
    for (unsigned opts = 0; ok && opts <= LECTOR_MATCH_OVERLAP;
         opts += LECTOR_MATCH_OVERLAP) {
        if (lector_pattern_match(p, s, tn, &t, opts, &a) != LECTOR_OK ||
            oracle_match(p, s, tn, &t, opts, &b) != LECTOR_OK)
            goto done; /* out of memory: not a difference */
        int nc = lector_pattern_ncaptures(p);
        if (a.n != b.n) {
            ok = inv_fail("pattern (opts %u): %zu matches, the backtracking "
                          "VM %zu",
                          opts, a.n, b.n);
            break;
        }
        for (size_t i = 0; ok && i < a.n; i++) {
            if (a.m[i].first != b.m[i].first || a.m[i].last != b.m[i].last)
                ok = inv_fail("pattern (opts %u) match %zu: tokens %u..%u, "
                              "the backtracking VM %u..%u",
                              opts, i, a.m[i].first, a.m[i].last, b.m[i].first,
                              b.m[i].last);
            for (int k = 0; ok && k < nc; k++) {
                const lector_pattern_capture *x = &a.caps[a.m[i].cap + (size_t)k],
                                     *y = &b.caps[b.m[i].cap + (size_t)k];
                if (x->first != y->first || x->last != y->last)
                    ok = inv_fail("pattern (opts %u) match %zu capture %d: "
                                  "%d..%d, the backtracking VM %d..%d",
                                  opts, i, k, x->first, x->last, y->first,
                                  y->last);
            }
        }
    }
done:
    lector_pattern_matches_release(&a);
    lector_pattern_matches_release(&b);
    lector_tokens_release(&t);
    lector_pattern_free(p);
    lector_gazetteer_free(g);
    lector_tokenizer_free(tk);
    lector_intern_free(in);
    return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!inv_pattern_input(data, size) || !diff_pattern_input(data, size)) {
        fprintf(stderr, "INVARIANT pattern: %s\n", inv_msg);
        abort();
    }
    return 0;
}
