/* The pattern VM against the backtracking VM it replaced (issue 16):
 * random patterns over random texts, with and without overlaps, must give
 * the same matches and the same captures. The old VM lives in
 * pattern_oracle.h, compiled into this test only. */
#include "check.h"
#include "lector.h"
#include "pattern_oracle.h"

#include <stdio.h>
#include <string.h>

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

typedef struct buf {
    char s[4096];
    size_t n;
    int caps;
} buf;

static void put(buf *b, const char *s)
{
    size_t k = strlen(s);
    if (b->n + k < sizeof b->s) {
        memcpy(b->s + b->n, s, k);
        b->n += k;
        b->s[b->n] = '\0';
    }
}

static void gen_alt(buf *b, int depth);

static void gen_atom(buf *b, int depth)
{
    static const char *const atoms[] = {"a",         "b",        "c",
                                        "\"A\"",     "_",        "<word>",
                                        "<punct>",   "<cap>",    "{a b}",
                                        "{c ,}",     "@",        "@PLACE",
                                        "@ORG",      "york",     "new",
                                        "_",         "a",        "b",
                                        "!a",        "!<punct>", "!(a | \"A\")",
                                        "{\"A\" b}", "!{a b}",   ","};
    unsigned k = rnd(depth < 3 ? 28 : 24);
    if (k < 24) {
        put(b, atoms[k]);
    } else {
        put(b, "(");
        gen_alt(b, depth + 1);
        put(b, ")");
    }
}

static void gen_item(buf *b, int depth)
{
    if (b->caps < 6 && rnd(5) == 0) {
        char nm[16];
        snprintf(nm, sizeof nm, "n%d:", b->caps++);
        put(b, nm);
    }
    gen_atom(b, depth);
    static const char *const q[] = {"?",     "*",   "+",    "{0,2}",
                                    "{1,3}", "{2}", "{,2}", "{1,}"};
    unsigned k = rnd(14);
    if (k < 8) put(b, q[k]);
    if (rnd(8) == 0) put(b, q[rnd(8)]);
}

static void gen_seq(buf *b, int depth)
{
    unsigned n = 1 + rnd(3);
    for (unsigned i = 0; i < n; i++) {
        if (i) put(b, " ");
        gen_item(b, depth);
    }
}

static void gen_alt(buf *b, int depth)
{
    unsigned n = 1 + (rnd(3) == 0 ? rnd(3) : 0);
    for (unsigned i = 0; i < n; i++) {
        if (i) put(b, " | ");
        gen_seq(b, depth);
    }
}

static unsigned max_words = 40;

static void gen_text(buf *b)
{
    static const char *const words[] = {"a", "b",   "c",    "A",   "B",
                                        ",", "New", "York", "new", "x"};
    unsigned n = rnd(max_words);
    b->n = 0;
    b->s[0] = '\0';
    for (unsigned i = 0; i < n; i++) {
        if (i) put(b, " ");
        put(b, words[rnd(10)]);
    }
}

/* 1 when both runs agree; prints the first difference. */
static int same(const char *id, const char *pat, const char *text,
                const lector_pattern_matches *x,
                const lector_pattern_matches *y, int nc, unsigned opts)
{
    const char *why = NULL;
    size_t i = 0;
    if (x->n != y->n) why = "match count";
    for (; !why && i < x->n; i++) {
        if (x->m[i].first != y->m[i].first || x->m[i].last != y->m[i].last)
            why = "match span";
        for (int k = 0; !why && k < nc; k++) {
            const lector_pattern_capture *a = &x->caps[x->m[i].cap + (size_t)k],
                                         *c = &y->caps[y->m[i].cap + (size_t)k];
            if (a->first != c->first || a->last != c->last) why = "capture";
        }
    }
    if (!why) return 1;
    fprintf(stderr,
            "%s: %s differs (match %zu, opts %u)\n  pattern: %s\n"
            "  text: %s\n",
            id, why, i ? i - 1 : 0, opts, pat, text);
    for (size_t k = 0; k < x->n || k < y->n; k++)
        fprintf(stderr, "  %zu: new %d..%d  old %d..%d\n", k,
                k < x->n ? (int)x->m[k].first : -1,
                k < x->n ? (int)x->m[k].last : -1,
                k < y->n ? (int)y->m[k].first : -1,
                k < y->n ? (int)y->m[k].last : -1);
    return 0;
}

/* A text of words from the first k of gen_text's (few words: many texts
 * lack what a pattern needs). */
static void gen_text_of(buf *b, unsigned k)
{
    static const char *const words[] = {"a", "b",   "c",    "A",   "B",
                                        ",", "New", "York", "new", "x"};
    unsigned n = rnd(12);
    b->n = 0;
    b->s[0] = '\0';
    for (unsigned i = 0; i < n; i++) {
        if (i) put(b, " ");
        put(b, words[rnd(k)]);
    }
}

/* lector_pattern_set_can_match never rules out a pattern that matches:
 * 0 only where lector_pattern_match finds nothing, 2 only where
 * lector_pattern_match_with given no gazetteer match finds nothing, over
 * sets of one to four random patterns and texts of a few words. */
static void test_sets(lector_intern *in, lector_tokenizer *tk,
                      lector_gazetteer *g, int iters)
{
    lector_tokens toks;
    lector_pattern_matches x;
    lector_gazetteer_matches none;
    lector_tokens_init(&toks);
    lector_pattern_matches_init(&x);
    lector_gazetteer_matches_init(&none);
    int bad = 0, zero = 0, two = 0, sets = 0;
    for (int it = 0; it < iters && bad < 3; it++) {
        lector_pattern *ps[4];
        buf pats[4];
        size_t np = 0, want = 1 + rnd(4);
        while (np < want) {
            pats[np] = (buf){.n = 0};
            pats[np].s[0] = '\0';
            gen_alt(&pats[np], 0);
            ps[np] = lector_pattern_new(in, g);
            if (lector_pattern_compile(ps[np], pats[np].s, pats[np].n) ==
                LECTOR_OK)
                np++;
            else
                lector_pattern_free(ps[np]);
        }
        lector_pattern_set *set = lector_pattern_set_new(ps, np);
        uint8_t can[4];
        for (int t = 0; t < 8 && set; t++) {
            buf text;
            gen_text_of(&text, 1 + rnd(10));
            lector_tokenize(tk, text.s, text.n, 0, &toks);
            if (lector_pattern_set_can_match(set, &toks, can) != LECTOR_OK) {
                bad++;
                break;
            }
            for (size_t k = 0; k < np; k++) {
                int rc = LECTOR_OK;
                if (can[k] == 0)
                    rc = lector_pattern_match(ps[k], text.s, text.n, &toks,
                                              LECTOR_MATCH_OVERLAP, &x);
                else if (can[k] == 2)
                    rc = lector_pattern_match_with(ps[k], text.s, text.n, &toks,
                                                   &none, LECTOR_MATCH_OVERLAP,
                                                   &x);
                if (can[k] != 1 && (rc != LECTOR_OK || x.n > 0)) {
                    fprintf(stderr,
                            "pattern-set-1.1: %d but a match\n  pattern: "
                            "%s\n  text: %s\n",
                            can[k], pats[k].s, text.s);
                    bad++;
                }
                zero += can[k] == 0;
                two += can[k] == 2;
            }
        }
        sets += set != NULL;
        lector_pattern_set_free(set);
        for (size_t k = 0; k < np; k++)
            lector_pattern_free(ps[k]);
    }
    /* A pattern compiled after the set first answered: its words count
     * from then on; and after a text big enough that the matchers free
     * their tables, the set still answers (from tables built anew). */
    lector_pattern *pp[2] = {lector_pattern_new(in, g),
                             lector_pattern_new(in, g)};
    lector_pattern_compile(pp[0], "a", 1);
    lector_pattern_set *set = lector_pattern_set_new(pp, 2);
    uint8_t can[2] = {9, 9};
    lector_tokenize(tk, "new york", 8, 0, &toks);
    CHECK("pattern-set-1.5",
          set && lector_pattern_set_can_match(set, &toks, can) == LECTOR_OK &&
              can[0] == 0 && can[1] == 0);
    lector_pattern_compile(pp[1], "york", 4);
    CHECK("pattern-set-1.6",
          set && lector_pattern_set_can_match(set, &toks, can) == LECTOR_OK &&
              can[0] == 0 && can[1] == 1);
    size_t big = (size_t)1 << 19;
    char *s = malloc(big);
    for (size_t i = 0; s && i < big; i += 2)
        s[i] = 'a', s[i + 1] = ' ';
    if (s) lector_tokenize(tk, s, big, 0, &toks);
    CHECK("pattern-set-1.7",
          s && lector_pattern_match(pp[0], s, big, &toks, 0, &x) == LECTOR_OK &&
              x.n == big / 2);
    lector_tokenize(tk, "new york", 8, 0, &toks);
    CHECK("pattern-set-1.8",
          set && lector_pattern_set_can_match(set, &toks, can) == LECTOR_OK &&
              can[0] == 0 && can[1] == 1);
    CHECK_INT("pattern-set-1.9", lector_pattern_set_can_match(NULL, &toks, can),
              LECTOR_EINVAL);
    free(s);
    lector_pattern_set_free(set);
    lector_pattern_free(pp[0]);
    lector_pattern_free(pp[1]);
    CHECK("pattern-set-1.1 a pattern ruled out never matches", bad == 0);
    CHECK("pattern-set-1.2 sets are made", sets > iters / 2);
    CHECK("pattern-set-1.3 patterns are ruled out", zero > iters);
    CHECK("pattern-set-1.4 some only through gazetteer matches", two > 0);
    fprintf(stderr, "pattern sets: %d ruled out, %d only through @TYPE\n", zero,
            two);
    lector_pattern_matches_release(&x);
    lector_tokens_release(&toks);
}

int main(int argc, char **argv)
{
    /* test_pattern_diff [ITERATIONS [MAX_WORDS]]: more, or longer texts */
    int iters = argc > 1 ? atoi(argv[1]) : 30000;
    if (argc > 2) max_words = (unsigned)atoi(argv[2]);
    lector_intern *in = lector_intern_new();
    lector_tokenizer *tk = lector_tokenizer_new(in);
    lector_gazetteer *g = lector_gazetteer_new(tk, in, 0);
    static const char *const rows[][3] = {
        {"a b", "ab", "PLACE"},       {"a b c", "abc", "ORG"},
        {"b", "b", "PLACE"},          {"c a", "ca", "ORG"},
        {"New York", "NY", "PLACE"},  {"York", "York", "ORG"},
        {"a b c a b", "long", "ORG"}, {"x", "x", "ORG"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        lector_gazetteer_add(g, rows[i][0], strlen(rows[i][0]), rows[i][1],
                             rows[i][2], NULL, NULL, 0, 0);
    lector_tokens toks;
    lector_pattern_matches x, y;
    lector_tokens_init(&toks);
    lector_pattern_matches_init(&x);
    lector_pattern_matches_init(&y);
    int bad = 0, compiled = 0, matched = 0;
    for (int it = 0; it < iters && bad < 3; it++) {
        /* the last tenth over longer texts, past the old VM's first
         * visited window of 64 tokens */
        if (argc <= 2) max_words = it < iters - iters / 10 ? 40 : 300;
        buf pat = {.n = 0}, text = {.n = 0};
        pat.s[0] = '\0';
        gen_alt(&pat, 0);
        lector_pattern *p = lector_pattern_new(in, g);
        if (lector_pattern_compile(p, pat.s, pat.n) != LECTOR_OK) {
            lector_pattern_free(p);
            continue;
        }
        compiled++;
        for (int t = 0; t < 4; t++) {
            gen_text(&text);
            lector_tokenize(tk, text.s, text.n, 0, &toks);
            for (unsigned opts = 0; opts <= LECTOR_MATCH_OVERLAP;
                 opts += LECTOR_MATCH_OVERLAP) {
                int r1 =
                    lector_pattern_match(p, text.s, text.n, &toks, opts, &x);
                int r2 = oracle_match(p, text.s, text.n, &toks, opts, &y);
                if (r1 != LECTOR_OK || r2 != LECTOR_OK) {
                    fprintf(stderr, "rc %d %d for %s\n", r1, r2, pat.s);
                    bad++;
                } else if (!same("pattern-diff-1.1", pat.s, text.s, &x, &y,
                                 lector_pattern_ncaptures(p), opts)) {
                    bad++;
                }
                matched += x.n > 0;
            }
        }
        lector_pattern_free(p);
    }
    /* One CHECK for the whole run: the ids of the differences are above. */
    CHECK("pattern-diff-1.1 new VM = backtracking VM on random patterns",
          bad == 0);
    if (bad == 0) { /* a difference stops the run early */
        CHECK("pattern-diff-1.2 most random patterns compile",
              compiled > iters / 2);
        CHECK("pattern-diff-1.3 many runs find matches", matched > iters / 4);
    }
    fprintf(stderr, "%d patterns compiled, %d runs with matches\n", compiled,
            matched);
    lector_pattern_matches_release(&x);
    lector_pattern_matches_release(&y);
    lector_tokens_release(&toks);
    test_sets(in, tk, g, iters / 3);
    lector_gazetteer_free(g);
    lector_tokenizer_free(tk);
    lector_intern_free(in);
    return check_done();
}
