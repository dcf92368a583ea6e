/* UAX #29 conformance of lector_tokenize(..., LECTOR_TOK_UAX29): every case
 * of Unicode's WordBreakTest.txt (Debian's unicode-data package), read at
 * run time, with the ASCII fast path on and off. Also the same cases with
 * ASCII context around them, which is where the fast path hands over to
 * libunistring. Reports the count of cases checked. */
#include "check.h"
#include "lector.h"

#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#define MAXB 512

static const char *path = "/usr/share/unicode/auxiliary/WordBreakTest.txt";

/* Parses "÷ 0001 × 0308 ÷" into UTF-8 text and the byte offsets of the
 * expected breaks (excluding 0). Returns the count of breaks, -1 on a
 * malformed line. */
static int parse(const char *line, char *text, size_t *tn, size_t *brk)
{
    int nb = 0;
    size_t o = 0;
    const char *p = line;
    while (*p && *p != '#') {
        if (!strncmp(p, "\xC3\xB7", 2)) { /* ÷ */
            if (o) brk[nb++] = o;
            p += 2;
        } else if (!strncmp(p, "\xC3\x97", 2)) { /* × */
            p += 2;
        } else if (*p == ' ' || *p == '\t') {
            p++;
        } else {
            char *end;
            unsigned long cp = strtoul(p, &end, 16);
            if (end == p || o + 4 >= MAXB) return -1;
            int len = u8_uctomb((uint8_t *)text + o, (ucs4_t)cp, 4);
            if (len <= 0) return -1;
            o += (size_t)len;
            p = end;
        }
    }
    *tn = o;
    return nb;
}

static int same_segments(lector_tokenizer *tk, const char *t, size_t tn,
                         const size_t *brk, int nb, size_t shift, unsigned opts,
                         lector_tokens *toks)
{
    if (lector_tokenize(tk, t, tn, LECTOR_TOK_UAX29 | opts, toks)) return 0;
    /* Skip the segments of the context before, compare the case's. */
    size_t i = 0;
    while (i < toks->n && toks->tok[i].end <= shift)
        i++;
    for (int k = 0; k < nb; k++, i++)
        if (i >= toks->n || toks->tok[i].end != brk[k] + shift) return 0;
    return 1;
}

int main(void)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        CHECK_SKIP("wordbreak-0", "WordBreakTest.txt not found: apt-get "
                                  "install unicode-data");
        return check_done();
    }
    lector_intern *in = lector_intern_new();
    lector_tokenizer *tk = lector_tokenizer_new(in);
    lector_tokens toks;
    lector_tokens_init(&toks);
    char line[4096], text[MAXB], ctx[MAXB + 16];
    size_t brk[MAXB], tn;
    int cases = 0, bad_fast = 0, bad_slow = 0, bad_ctx = 0, lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n') continue;
        int nb = parse(line, text, &tn, brk);
        if (nb < 0) {
            fprintf(stderr, "FAIL wordbreak-parse: %s:%d malformed\n", path,
                    lineno);
            bad_fast++;
            continue;
        }
        cases++;
        if (!same_segments(tk, text, tn, brk, nb, 0, 0, &toks)) {
            if (bad_fast++ < 10)
                fprintf(stderr, "FAIL wordbreak-fast: line %d: %s", lineno,
                        line);
        }
        if (!same_segments(tk, text, tn, brk, nb, 0, LECTOR_TOK_NO_FAST,
                           &toks)) {
            if (bad_slow++ < 10)
                fprintf(stderr, "FAIL wordbreak-slow: line %d: %s", lineno,
                        line);
        }
        /* "ab" VT before and VT "cd" after: UAX #29 always breaks around
         * a Newline (WB3a/b), so the case's breaks must not move, whether
         * the fast path or libunistring scans the context. */
        memcpy(ctx, "ab\v", 3);
        memcpy(ctx + 3, text, tn);
        memcpy(ctx + 3 + tn, "\vcd", 3);
        if (!same_segments(tk, ctx, tn + 6, brk, nb, 3, 0, &toks)) {
            if (bad_ctx++ < 10)
                fprintf(stderr, "FAIL wordbreak-context: line %d: %s", lineno,
                        line);
        }
    }
    fclose(f);
    printf("WordBreakTest.txt: %d cases checked, fast path on: %d failed, "
           "off: %d failed, in context: %d failed\n",
           cases, bad_fast, bad_slow, bad_ctx);
    /* the README promises all 1823 cases of the file Debian ships */
    CHECK_INT("wordbreak-1.0 every case read", cases, 1823);
    CHECK_INT("wordbreak-1.1 fast path", bad_fast, 0);
    CHECK_INT("wordbreak-1.2 no fast path", bad_slow, 0);
    CHECK_INT("wordbreak-1.3 in ASCII context", bad_ctx, 0);
    lector_tokens_release(&toks);
    lector_tokenizer_free(tk);
    lector_intern_free(in);
    return check_done();
}
